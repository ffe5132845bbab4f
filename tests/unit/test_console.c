/* SPDX-License-Identifier: MIT */
/* hv/core/console.c: monitor log lines and guest line buffering. */
#include <arch/fake.h>
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
    /* What fits in the 200-byte buffer: 199 characters. */
    EXPECT_EQ(unit_count(out, "z"), 199u);
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
