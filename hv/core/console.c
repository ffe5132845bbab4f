/* SPDX-License-Identifier: MIT */
/*
 * One physical console shared by the monitor and every guest. Guest output
 * is collected per guest and printed a whole line at a time, prefixed with
 * the guest's name, so lines of different guests never mix.
 *
 * Nothing here waits for the UART on a guest's behalf: the monitor runs
 * with interrupts masked, and a few hundred guest bytes can become
 * kilobytes of prefixes, which a real UART needs most of a second for.
 * Lines go into one ring instead, in the order they were made (monitor
 * messages and guest lines alike), and leave it as fast as the UART's
 * FIFO takes them: right after they are queued, and on its transmit
 * interrupt. Only halting waits (console_sync).
 */
#include "hv/console.h"

#include <stdarg.h>
#include <stdio.h>

#include "hv/arch.h"

#include <hvabi/hypercall.h>

/* Ring owners: 0 the monitor, 1 .. HV_MAX_VMS guests, then lines of no
 * guest. */
#define CONSOLE_OWNERS (HV_MAX_VMS + 2)
#define CONSOLE_OWNER_NONE (HV_MAX_VMS + 1)

_Static_assert(HV_MAX_VMS *(HV_CONSOLE_GUEST_QUOTA + HV_CONSOLE_LINE_OUT_MAX) <=
                   HV_CONSOLE_OUT_SIZE / 2,
               "guests can fill at most half the ring: the monitor's "
               "messages always fit without waiting");
_Static_assert(HV_CONSOLE_LINE_OUT_MAX <= HV_CONSOLE_GUEST_QUOTA,
               "a guest's longest line fits its share");

static char console_out[HV_CONSOLE_OUT_SIZE];
static uint8_t console_out_owner[HV_CONSOLE_OUT_SIZE];
static uint32_t console_out_head;
static uint32_t console_out_len;
/* Bytes in the ring per owner. */
static uint32_t console_queued[CONSOLE_OWNERS];
static bool console_tx_irq_on;

/* Console input waiting for the guest that has it (HV_OP_CONSOLE_READ). */
static char console_in[HV_CONSOLE_INPUT_MAX];
static uint32_t console_in_head;
static uint32_t console_in_len;
static uint32_t console_in_dropped;

void console_set_output(const struct uart_ops *uart)
{
    console_uart = uart;
    console_out_head = 0;
    console_out_len = 0;
    for (uint32_t i = 0; i < CONSOLE_OWNERS; i++) {
        console_queued[i] = 0;
    }
    console_tx_irq_on = false;
    if (uart) {
        uart->tx_irq(false);
    }
}

static uint32_t console_out_free(void)
{
    return HV_CONSOLE_OUT_SIZE - console_out_len;
}

/* Drops the oldest byte (it went to the UART). */
static void console_out_advance(void)
{
    console_queued[console_out_owner[console_out_head]]--;
    console_out_head = (console_out_head + 1) % HV_CONSOLE_OUT_SIZE;
    console_out_len--;
}

static char console_out_pop(void)
{
    char c = console_out[console_out_head];
    console_out_advance();
    return c;
}

static void console_out_push(char c, uint32_t owner)
{
    uint32_t i = (console_out_head + console_out_len) % HV_CONSOLE_OUT_SIZE;
    console_out[i] = c;
    console_out_owner[i] = (uint8_t)owner;
    console_out_len++;
    console_queued[owner]++;
}

/*
 * Room for @n bytes, waiting on the UART if there is none. Only for the
 * monitor's own output, and for a stopping guest's last line: guests
 * share at most half the ring (see the assertion above), so this waits
 * only behind a burst of more than HV_CONSOLE_OUT_SIZE / 2 bytes of
 * monitor messages.
 */
static void console_out_make_room(uint32_t n)
{
    while (console_out_free() < n) {
        console_uart->putc_wait(console_out_pop());
    }
}

/* Apart from console_drain, whose early return then saves no registers. */
__attribute__((noinline)) static void console_drain_some(void)
{
    /* QEMU's PL011 never fills: the burst keeps a call's UART work
     * bounded there too, and has QEMU run the transmit interrupt path. */
    uint32_t burst = console_uart->burst ? console_uart->burst : UINT32_MAX;
    for (uint32_t n = 0; n < burst && console_out_len > 0 &&
                         console_uart->try_putc(console_out[console_out_head]);
         n++) {
        console_out_advance();
    }
    /* The interrupt only while output waits: an idle transmitter would
     * keep raising it. */
    bool want = console_out_len > 0;
    if (want != console_tx_irq_on) {
        console_tx_irq_on = want;
        console_uart->tx_irq(want);
    }
}

void console_drain(void)
{
    /* Every interrupt ends here (irq_handle's last, spurious ack): with
     * nothing queued and the transmit interrupt off there is no work. */
    if (console_uart && (console_out_len != 0 || console_tx_irq_on)) {
        console_drain_some();
    }
}

void console_sync(void)
{
    if (!console_uart) {
        return;
    }
    while (console_out_len > 0) {
        console_uart->putc_wait(console_out_pop());
    }
}

static void console_puts(const char *s)
{
    if (!console_uart) {
        /* No UART yet (board description unread or broken). */
        arch_debug_puts(s);
        return;
    }
    for (; *s; s++) {
        console_out_make_room(2);
        if (*s == '\n') {
            console_out_push('\r', 0);
        }
        console_out_push(*s, 0);
    }
}

void dlog(const char *fmt, ...)
{
    char text[256];
    va_list args;

    va_start(args, fmt);
    int n = vsnprintf(text, sizeof(text), fmt, args);
    va_end(args);

    console_puts("hv: ");
    console_puts(text);
    if (n >= (int)sizeof(text)) {
        console_puts("[...]");
    }
    console_puts("\n");
    console_drain();
}

static uint32_t console_owner_slot(const struct console_line *line)
{
    if (line->owner >= 1 && line->owner <= HV_MAX_VMS) {
        return line->owner;
    }
    return CONSOLE_OWNER_NONE;
}

/* The "[name] " that starts each line of @name: its length. */
static uint32_t console_prefix(const char *name,
                               char prefix[HV_VM_NAME_MAX_PREFIX])
{
    int plen = snprintf(prefix, HV_VM_NAME_MAX_PREFIX, "[%s] ", name);
    if (plen < 0) {
        return 0;
    }
    return plen >= HV_VM_NAME_MAX_PREFIX ? HV_VM_NAME_MAX_PREFIX - 1
                                         : (uint32_t)plen;
}

/* Queues the prefix, @line and "\r\n" (there is room) and empties it. */
static void console_push_line(struct console_line *line, const char *prefix,
                              uint32_t plen, uint32_t owner)
{
    for (uint32_t i = 0; i < plen; i++) {
        console_out_push(prefix[i], owner);
    }
    for (uint32_t i = 0; i < line->len; i++) {
        console_out_push(line->buf[i], owner);
    }
    console_out_push('\r', owner);
    console_out_push('\n', owner);
    line->len = 0;
}

/*
 * Queues @line as "[name] text\r\n" and empties it, only within the
 * owner's share of the ring; false (nothing queued) if it does not fit.
 */
static bool console_emit_line(struct console_line *line, const char *name)
{
    char prefix[HV_VM_NAME_MAX_PREFIX];
    uint32_t owner = console_owner_slot(line);
    uint32_t plen = console_prefix(name, prefix);
    uint32_t cost = plen + line->len + 2;

    if (console_queued[owner] + cost > HV_CONSOLE_GUEST_QUOTA ||
        console_out_free() < cost) {
        return false;
    }
    console_push_line(line, prefix, plen, owner);
    return true;
}

/* As console_emit_line, beyond the share: room is made by waiting on the
 * UART (a stopping guest's last line). */
static void console_emit_line_forced(struct console_line *line,
                                     const char *name)
{
    char prefix[HV_VM_NAME_MAX_PREFIX];
    uint32_t plen = console_prefix(name, prefix);

    console_out_make_room(plen + line->len + 2);
    console_push_line(line, prefix, plen, console_owner_slot(line));
}

/* Appends @n bytes that belong together (one UTF-8 character), sending
 * the line first if they do not fit; false if that line has no room. */
static bool console_line_add(struct console_line *line, const char *name,
                             const char *s, uint32_t n)
{
    if (line->len + n > HV_CONSOLE_LINE_MAX - 1 &&
        !console_emit_line(line, name)) {
        return false;
    }
    for (uint32_t i = 0; i < n; i++) {
        line->buf[line->len++] = s[i];
    }
    return true;
}

/*
 * Continuation bytes UTF-8 allows after @lead at position @pos (1 ..):
 * no overlong forms, surrogates or code points above U+10FFFF.
 */
static bool console_utf8_next_ok(unsigned char lead, uint32_t pos,
                                 unsigned char c)
{
    unsigned char lo = 0x80;
    unsigned char hi = 0xbf;

    if (pos == 1) {
        if (lead == 0xe0) {
            lo = 0xa0;
        } else if (lead == 0xed) {
            hi = 0x9f;
        } else if (lead == 0xf0) {
            lo = 0x90;
        } else if (lead == 0xf4) {
            hi = 0x8f;
        }
    }
    return c >= lo && c <= hi;
}

/* Continuation bytes a UTF-8 lead byte announces; 0 if @c is none. */
static uint8_t console_utf8_need(unsigned char c)
{
    if (c >= 0xc2 && c <= 0xdf) {
        return 1;
    }
    if (c >= 0xe0 && c <= 0xef) {
        return 2;
    }
    if (c >= 0xf0 && c <= 0xf4) {
        return 3;
    }
    return 0;
}

/*
 * Takes guest byte @c into @line; false, with @c not taken, if a line
 * that had to go out did not fit.
 *
 * What reaches the terminal is plain text: C0 controls but tab, DEL, and
 * C1 controls print as '?'. For C1, a UTF-8 terminal obeys the code
 * points U+0080-U+009F (bytes C2 80 - C2 9F), and an 8-bit one, or a
 * UTF-8 one falling back on malformed input, obeys lone bytes 0x80-0x9f.
 * So well-formed UTF-8 passes but for those code points, and every byte
 * of 0x80-0xff that is not part of a well-formed sequence becomes '?'
 * (one '?' for a sequence cut short), so no byte 0x80-0x9f ever reaches
 * the terminal outside a valid multi-byte character.
 */
static bool console_take(struct console_line *line, const char *name,
                         unsigned char c)
{
    if (line->utf8_need > 0) {
        if (console_utf8_next_ok((unsigned char)line->utf8[0], line->utf8_len,
                                 c)) {
            line->utf8[line->utf8_len] = (char)c;
            if (line->utf8_need > 1) {
                line->utf8_len++;
                line->utf8_need--;
                return true;
            }
            bool c1 = (unsigned char)line->utf8[0] == 0xc2 && c <= 0x9f;
            if (!console_line_add(line, name, c1 ? "?" : line->utf8,
                                  c1 ? 1 : line->utf8_len + 1u)) {
                return false;
            }
            line->utf8_len = 0;
            line->utf8_need = 0;
            return true;
        }
        /* Cut short: the partial sequence is one '?', and @c starts
         * afresh. */
        if (!console_line_add(line, name, "?", 1)) {
            return false;
        }
        line->utf8_len = 0;
        line->utf8_need = 0;
    }
    if (c == '\n') {
        return console_emit_line(line, name);
    }
    if (c == '\r') {
        return true;
    }
    uint8_t need = console_utf8_need(c);
    if (need > 0) {
        line->utf8[0] = (char)c;
        line->utf8_len = 1;
        line->utf8_need = need;
        return true;
    }
    if ((c < 0x20 && c != '\t') || c >= 0x7f) {
        c = '?';
    }
    char ch = (char)c;
    return console_line_add(line, name, &ch, 1);
}

uint32_t console_guest_write(struct console_line *line, const char *name,
                             const char *buf, uint32_t len)
{
    uint32_t taken = 0;

    while (taken < len && console_take(line, name, (unsigned char)buf[taken])) {
        taken++;
    }
    console_drain();
    return taken;
}

void console_guest_flush(struct console_line *line, const char *name)
{
    if (line->utf8_need > 0) {
        /* A sequence cut short by the end of output: one '?'. */
        if (line->len + 1 > HV_CONSOLE_LINE_MAX - 1) {
            console_emit_line_forced(line, name);
        }
        line->buf[line->len++] = '?';
        line->utf8_len = 0;
        line->utf8_need = 0;
    }
    if (line->len > 0) {
        console_emit_line_forced(line, name);
    }
    console_drain();
}

bool console_input_put(char c)
{
    if (console_in_len == sizeof(console_in)) {
        if (console_in_dropped++ == 0) {
            dlog("console input full: dropping input until a guest reads");
        }
        return false;
    }
    console_in[(console_in_head + console_in_len++) % sizeof(console_in)] = c;
    return true;
}

uint32_t console_input_take(char *buf, uint32_t size)
{
    uint32_t n = 0;
    while (n < size && console_in_len > 0) {
        buf[n++] = console_in[console_in_head];
        console_in_head = (console_in_head + 1) % sizeof(console_in);
        console_in_len--;
    }
    if (n > 0 && console_in_dropped > 0) {
        dlog("console input: %u byte(s) were dropped while full",
             (unsigned)console_in_dropped);
        console_in_dropped = 0;
    }
    return n;
}
