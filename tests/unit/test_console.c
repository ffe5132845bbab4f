/* SPDX-License-Identifier: MIT */
/* hv/core/console.c: monitor log lines and guest line buffering. */
#include <arch/fake.h>
#include <hvabi/hypercall.h>
#include <stdio.h>
#include <string.h>

#include "hv/console.h"
#include "unit.h"

static struct console_line console_test_line;

static void console_test_write(const char *s)
{
    console_guest_write(&console_test_line, "vm1", s, (uint32_t)strlen(s));
}

TEST(console, dlog_prefix_and_crlf)
{
    fake_console_capture();
    dlog("value %u, name %s", 42u, "x");
    EXPECT_STREQ(fake_output(), "hv: value 42, name x\r\n");
}

TEST(console, dlog_newlines_inside)
{
    fake_console_capture();
    dlog("a\nb");
    EXPECT_STREQ(fake_output(), "hv: a\r\nb\r\n");
}

TEST(console, dlog_truncates_long_messages)
{
    char big[400];
    memset(big, 'z', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';

    fake_console_capture();
    dlog("%s", big);
    const char *out = fake_output();
    EXPECT_CONTAINS(out, "[...]\r\n");
    /* What fits in the 256-byte buffer: 255 characters. */
    EXPECT_EQ(unit_count(out, "z"), 255u);
}

TEST(console, dlog_before_uart_uses_debug_channel)
{
    dlog("early");
    EXPECT_STREQ(fake_output(), "hv: early\n");
    EXPECT_EQ(fake_debug_chars(), strlen("hv: early\n"));
}

TEST(console, guest_line_waits_for_newline)
{
    fake_console_capture();
    console_test_write("hello, ");
    EXPECT_STREQ(fake_output(), "");
    console_test_write("world\nnext");
    EXPECT_STREQ(fake_output(), "[vm1] hello, world\r\n");
    EXPECT_EQ(console_test_line.len, 4u);
    console_guest_flush(&console_test_line, "vm1");
    EXPECT_STREQ(fake_output(), "[vm1] hello, world\r\n[vm1] next\r\n");
    EXPECT_EQ(console_test_line.len, 0u);
    /* Flushing an empty line prints nothing. */
    console_guest_flush(&console_test_line, "vm1");
    EXPECT_EQ(unit_count(fake_output(), "\n"), 2u);
}

TEST(console, guest_empty_lines_and_cr)
{
    fake_console_capture();
    console_test_write("\n\r\nx\r\r\n");
    EXPECT_STREQ(fake_output(), "[vm1] \r\n[vm1] \r\n[vm1] x\r\n");
}

TEST(console, guest_control_characters_shown)
{
    fake_console_capture();
    /* ESC, BEL, BS, DEL and NUL would act on the terminal; TAB is fine. */
    static const char in[] = "a\x1b[2Jb\x07\x08\x7f\tc\0d\n";
    console_guest_write(&console_test_line, "vm1", in, sizeof(in) - 1);
    EXPECT_STREQ(fake_output(), "[vm1] a?[2Jb???\tc?d\r\n");
}

TEST(console, guest_utf8_passes)
{
    fake_console_capture();
    /* Bytes 0x80-0xff are text (UTF-8), on every host. */
    console_test_write("gr\xc3\xbc\xc3\x9f \xe2\x82\xac\n");
    EXPECT_STREQ(fake_output(), "[vm1] gr\xc3\xbc\xc3\x9f \xe2\x82\xac\r\n");
}

TEST(console, guest_long_line_split_without_loss)
{
    char big[400];
    for (size_t i = 0; i < sizeof(big); i++) {
        big[i] = (char)('a' + i % 26);
    }

    fake_console_capture();
    console_guest_write(&console_test_line, "vm1", big, sizeof(big));
    /* Two full lines of HV_CONSOLE_LINE_MAX - 1 went out, the rest waits. */
    const unsigned int full = HV_CONSOLE_LINE_MAX - 1;
    EXPECT_EQ(unit_count(fake_output(), "[vm1] "), 2u);
    EXPECT_EQ(console_test_line.len, sizeof(big) - 2 * full);
    console_guest_flush(&console_test_line, "vm1");

    /* Taking the prefixes and line ends out gives back the input. */
    char joined[sizeof(big) + 1];
    size_t n = 0;
    const char *p = fake_output();
    unsigned int lines = 0;
    while (*p) {
        ASSERT_TRUE(strncmp(p, "[vm1] ", 6) == 0);
        p += 6;
        const char *end = strstr(p, "\r\n");
        ASSERT_TRUE(end != NULL);
        size_t len = (size_t)(end - p);
        EXPECT_TRUE(len <= full);
        ASSERT_TRUE(n + len <= sizeof(big));
        memcpy(joined + n, p, len);
        n += len;
        p = end + 2;
        lines++;
    }
    EXPECT_EQ(lines, 3u);
    EXPECT_EQ(n, sizeof(big));
    EXPECT_EQ(memcmp(joined, big, sizeof(big)), 0);
}

TEST(console, guest_line_of_max_length)
{
    char line[HV_CONSOLE_LINE_MAX - 1];
    memset(line, 'q', sizeof(line));

    fake_console_capture();
    /* HV_CONSOLE_LINE_MAX - 1 characters fill the buffer; it goes out
     * when the next character shows the line is longer. */
    console_guest_write(&console_test_line, "vm1", line, sizeof(line));
    EXPECT_EQ(unit_count(fake_output(), "\n"), 0u);
    EXPECT_EQ(console_test_line.len, HV_CONSOLE_LINE_MAX - 1);
    console_test_write("r\n");
    EXPECT_EQ(unit_count(fake_output(), "q"), HV_CONSOLE_LINE_MAX - 1);
    EXPECT_CONTAINS(fake_output(), "q\r\n[vm1] r\r\n");
}

/*
 * A guest line of exactly HV_CONSOLE_LINE_MAX - 1 characters followed by
 * its '\n' comes out as that one line, with no empty "[name] " after it
 * (a bug once).
 */
TEST(console, guest_line_of_max_length_then_newline)
{
    char line[HV_CONSOLE_LINE_MAX];
    memset(line, 'q', sizeof(line));
    line[HV_CONSOLE_LINE_MAX - 1] = '\n';

    fake_console_capture();
    console_guest_write(&console_test_line, "vm1", line, sizeof(line));
    EXPECT_EQ(unit_count(fake_output(), "\n"), 1u);
    EXPECT_NOT_CONTAINS(fake_output(), "[vm1] \r\n");
}

TEST(console, guest_lines_of_two_guests_do_not_mix)
{
    struct console_line a = {0};
    struct console_line b = {0};

    fake_console_capture();
    console_guest_write(&a, "alpha", "one ", 4);
    console_guest_write(&b, "beta", "uno ", 4);
    console_guest_write(&a, "alpha", "two\n", 4);
    console_guest_write(&b, "beta", "dos\n", 4);
    EXPECT_STREQ(fake_output(), "[alpha] one two\r\n[beta] uno dos\r\n");
}

TEST(console, guest_longest_name_prefix)
{
    fake_console_capture();
    console_guest_write(&console_test_line, "fifteen-chars-x", "hi\n", 3);
    EXPECT_STREQ(fake_output(), "[fifteen-chars-x] hi\r\n");
}

/* --- Output buffer: the monitor never waits for the UART for a guest ---- */

/* A PL011's FIFO (r1p5). */
#define CONSOLE_TEST_FIFO 32u

/* The line sends everything the monitor queues, as the transmit
 * interrupt would have it; returns the bytes sent. */
static size_t console_test_drain_all(void)
{
    size_t sent = 0;
    for (int i = 0; i < 100000; i++) {
        sent += fake_uart_tx_send(CONSOLE_TEST_FIFO);
        console_drain();
        if (fake_uart_tx_queued() == 0) {
            return sent;
        }
    }
    unit_fail(__FILE__, __LINE__, true, "console output never drained");
    return sent;
}

static struct console_line console_test_owned(uint32_t owner)
{
    struct console_line line;
    memset(&line, 0, sizeof(line));
    line.owner = owner;
    return line;
}

TEST(console, flood_of_newlines_bounded_per_call)
{
    struct console_line line = console_test_owned(1);
    char nl[HV_CONSOLE_WRITE_MAX];
    memset(nl, '\n', sizeof(nl));

    fake_console_capture();
    fake_uart_tx_fifo(CONSOLE_TEST_FIFO);
    /* 256 newlines would be 256 "[flooder] \r\n": 3 KiB at once. */
    uint32_t taken = console_guest_write(&line, "flooder", nl, sizeof(nl));
    EXPECT_TRUE(fake_output_len() <= CONSOLE_TEST_FIFO);
    EXPECT_EQ(fake_uart_tx_waits(), 0u);
    /* The guest's share of the ring holds what it took, no more. */
    EXPECT_TRUE(taken > 0);
    EXPECT_EQ(taken, HV_CONSOLE_GUEST_QUOTA / 12);
    /* The rest of that waits, and the transmit interrupt is asked for. */
    EXPECT_TRUE(fake_uart_tx_irq_enabled());

    /* Offering the rest again as the UART drains: every line, in order,
     * none waited for. */
    uint32_t done = taken;
    for (int round = 0; done < sizeof(nl) && round < 1000; round++) {
        console_test_drain_all();
        done += console_guest_write(&line, "flooder", nl + done,
                                    (uint32_t)sizeof(nl) - done);
    }
    EXPECT_EQ(done, sizeof(nl));
    console_test_drain_all();
    EXPECT_EQ(fake_uart_tx_waits(), 0u);
    EXPECT_FALSE(fake_uart_tx_irq_enabled());
    EXPECT_EQ(unit_count(fake_output(), "[flooder] \r\n"), 256u);
    EXPECT_EQ(fake_output_len(), 256u * 12);
}

TEST(console, max_length_write_bounded_per_call)
{
    struct console_line line = console_test_owned(1);
    char buf[HV_CONSOLE_WRITE_MAX];
    for (size_t i = 0; i < sizeof(buf); i++) {
        buf[i] = (i % 2) ? '\n' : (char)('a' + i % 26);
    }

    fake_console_capture();
    fake_uart_tx_fifo(CONSOLE_TEST_FIFO);
    uint32_t taken = console_guest_write(&line, "vm1", buf, sizeof(buf));
    EXPECT_TRUE(fake_output_len() <= CONSOLE_TEST_FIFO);
    EXPECT_EQ(fake_uart_tx_waits(), 0u);
    EXPECT_TRUE(taken > 0 && taken < sizeof(buf));
    /* Stopped right before a newline that did not fit, nothing lost. */
    EXPECT_EQ(buf[taken], '\n');
    EXPECT_EQ(line.len, 1u);
}

TEST(console, full_share_takes_nothing_until_drained)
{
    struct console_line line = console_test_owned(1);

    fake_console_capture();
    fake_uart_tx_fifo(CONSOLE_TEST_FIFO);
    uint32_t total = 0;
    while (console_guest_write(&line, "vm1", "x\n", 2) == 2) {
        total += 2;
        ASSERT_TRUE(total < 4096);
    }
    /* Full: "x" was taken, the newline that would print it was not. */
    EXPECT_EQ(console_guest_write(&line, "vm1", "\n", 1), 0u);
    EXPECT_EQ(console_guest_write(&line, "vm1", "\n", 1), 0u);
    EXPECT_EQ(line.len, 1u);
    EXPECT_EQ(fake_uart_tx_waits(), 0u);
    /* Room again once the UART sent some. */
    fake_uart_tx_send(CONSOLE_TEST_FIFO);
    console_drain();
    EXPECT_EQ(console_guest_write(&line, "vm1", "\n", 1), 1u);
    console_test_drain_all();
    EXPECT_EQ(unit_count(fake_output(), "[vm1] x\r\n"), total / 2 + 1);
    EXPECT_EQ(fake_output_len(), (total / 2 + 1) * 9);
}

TEST(console, flooder_does_not_starve_others_or_monitor)
{
    struct console_line flood = console_test_owned(1);
    struct console_line quiet = console_test_owned(2);
    char nl[HV_CONSOLE_WRITE_MAX];
    memset(nl, '\n', sizeof(nl));

    fake_console_capture();
    fake_uart_tx_fifo(CONSOLE_TEST_FIFO);
    for (int i = 0; i < 10; i++) {
        console_guest_write(&flood, "flood", nl, sizeof(nl));
    }
    EXPECT_EQ(console_guest_write(&flood, "flood", nl, sizeof(nl)), 0u);
    /* Another guest's line and the monitor's still go in, in order. */
    EXPECT_EQ(console_guest_write(&quiet, "quiet", "alive\n", 6), 6u);
    dlog("monitor");
    EXPECT_EQ(fake_uart_tx_waits(), 0u);
    console_test_drain_all();
    EXPECT_CONTAINS(fake_output(),
                    "[flood] \r\n[quiet] alive\r\nhv: monitor\r\n");
}

TEST(console, monitor_lines_stay_in_order_with_guest_lines)
{
    struct console_line line = console_test_owned(1);

    fake_console_capture();
    fake_uart_tx_fifo(4);
    console_guest_write(&line, "vm1", "one\n", 4);
    dlog("two");
    console_guest_write(&line, "vm1", "three", 5);
    console_guest_flush(&line, "vm1");
    dlog("four");
    EXPECT_STREQ(fake_output(), "[vm1");
    console_test_drain_all();
    EXPECT_STREQ(fake_output(),
                 "[vm1] one\r\nhv: two\r\n[vm1] three\r\nhv: four\r\n");
}

static void console_test_halt(void *ctx)
{
    (void)ctx;
    arch_halt(3);
}

TEST(console, halt_writes_out_everything_queued)
{
    struct console_line line = console_test_owned(1);
    char nl[HV_CONSOLE_WRITE_MAX];
    memset(nl, '\n', sizeof(nl));

    fake_console_capture();
    fake_uart_tx_fifo(CONSOLE_TEST_FIFO);
    uint32_t taken = console_guest_write(&line, "vm1", nl, sizeof(nl));
    console_guest_write(&line, "vm1", "last words", 10);
    console_guest_flush(&line, "vm1");
    dlog("halting");
    EXPECT_TRUE(fake_halt_catch(console_test_halt, NULL));
    EXPECT_EQ(unit_count(fake_output(), "[vm1] \r\n"), taken);
    const char *tail = "[vm1] last words\r\nhv: halting\r\n";
    EXPECT_STREQ(fake_output() + fake_output_len() - strlen(tail), tail);
}

/* --- C1 controls and UTF-8 ------------------------------------------------ */

static void console_test_expect(const char *in, const char *want)
{
    struct console_line line = console_test_owned(1);

    fake_output_clear();
    console_guest_write(&line, "vm1", in, (uint32_t)strlen(in));
    console_guest_flush(&line, "vm1");
    char full[256];
    snprintf(full, sizeof(full), "[vm1] %s\r\n", want);
    EXPECT_STREQ(fake_output(), full);
}

TEST(console, guest_c1_controls_shown)
{
    fake_console_capture();
    /* Lone C1 bytes (CSI 0x9b, NEL 0x85, 0x80, 0x9f). */
    console_test_expect("a\x9b"
                        "2Jb\x85\x80\x9f",
                        "a?2Jb???");
    /* C1 as UTF-8 code points U+0080-U+009F. */
    console_test_expect("a\xc2\x9b"
                        "2J\xc2\x80\xc2\x9f",
                        "a?2J??");
    /* U+00A0 onwards is text. */
    console_test_expect("\xc2\xa0\xc2\xbf", "\xc2\xa0\xc2\xbf");
}

TEST(console, guest_malformed_utf8_shown)
{
    fake_console_capture();
    /* Continuation bytes with no lead, in 0x80-0xbf. */
    console_test_expect("\xa9\xbf", "??");
    /* A sequence cut short: one '?', the next byte starts afresh. */
    console_test_expect("\xe2\x82"
                        "A",
                        "?A");
    console_test_expect("\xe2\x82\xe2\x82\xac", "?\xe2\x82\xac");
    /* Overlong, surrogate, above U+10FFFF, never-valid bytes. */
    console_test_expect("\xc0\x80", "??");
    console_test_expect("\xe0\x80\x80", "???");
    console_test_expect("\xed\xa0\x80", "???");
    console_test_expect("\xf4\x90\x80\x80", "????");
    console_test_expect("\xf5\xff\xfe", "???");
    /* Cut short by the end of output (the guest stopping). */
    console_test_expect("x\xf0\x9f\x98", "x?");
    /* Four-byte characters pass whole. */
    console_test_expect("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80");
}

TEST(console, guest_utf8_split_across_calls)
{
    struct console_line line = console_test_owned(1);

    fake_console_capture();
    EXPECT_EQ(console_guest_write(&line, "vm1", "\xe2", 1), 1u);
    EXPECT_EQ(console_guest_write(&line, "vm1", "\x82", 1), 1u);
    EXPECT_EQ(console_guest_write(&line, "vm1", "\xac\n", 2), 2u);
    EXPECT_STREQ(fake_output(), "[vm1] \xe2\x82\xac\r\n");
}

TEST(console, guest_utf8_character_not_split_across_lines)
{
    struct console_line line = console_test_owned(1);
    char buf[HV_CONSOLE_LINE_MAX + 8];
    memset(buf, 'q', HV_CONSOLE_LINE_MAX - 2);
    memcpy(buf + HV_CONSOLE_LINE_MAX - 2, "\xe2\x82\xac\n", 4);

    fake_console_capture();
    console_guest_write(&line, "vm1", buf, HV_CONSOLE_LINE_MAX + 2);
    EXPECT_CONTAINS(fake_output(), "q\r\n[vm1] \xe2\x82\xac\r\n");
}
