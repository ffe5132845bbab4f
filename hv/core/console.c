/* SPDX-License-Identifier: MIT */
/*
 * One physical console shared by the monitor and every guest. Guest output
 * is collected per guest and printed a whole line at a time, prefixed with
 * the guest's name, so lines of different guests never mix.
 */
#include "hv/console.h"

#include <stdarg.h>
#include <stdio.h>

#include "hv/arch.h"

#include <hv/hypercall.h>

static console_putc_fn console_putc;

/* Console input waiting for the guest that has it (HV_OP_CONSOLE_READ). */
static char console_in[HV_CONSOLE_INPUT_MAX];
static uint32_t console_in_head;
static uint32_t console_in_len;
static uint32_t console_in_dropped;

void console_set_output(console_putc_fn putc)
{
    console_putc = putc;
}

static void console_puts(const char *s)
{
    if (!console_putc) {
        /* No UART yet (board description unread or broken). */
        arch_debug_puts(s);
        return;
    }
    while (*s) {
        if (*s == '\n') {
            console_putc('\r');
        }
        console_putc(*s++);
    }
}

void dlog(const char *fmt, ...)
{
    char text[200];
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
}

static void console_emit_line(struct console_line *line, const char *name)
{
    char prefix[HV_VM_NAME_MAX_PREFIX];

    snprintf(prefix, sizeof(prefix), "[%s] ", name);
    line->buf[line->len] = '\0';
    console_puts(prefix);
    console_puts(line->buf);
    console_puts("\n");
    line->len = 0;
}

void console_guest_write(struct console_line *line, const char *name,
                         const char *buf, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++) {
        /* Unsigned: bytes 0x80-0xff (UTF-8) pass on every host. */
        unsigned char c = (unsigned char)buf[i];
        if (c == '\n') {
            console_emit_line(line, name);
            continue;
        }
        if (c == '\r') {
            continue;
        }
        /* Bytes that would upset a terminal are shown, not obeyed. */
        if ((c < 0x20 && c != '\t') || c == 0x7f) {
            c = '?';
        }
        if (line->len == HV_CONSOLE_LINE_MAX - 1) {
            /* Split long lines; nothing is dropped. */
            console_emit_line(line, name);
        }
        line->buf[line->len++] = (char)c;
    }
}

void console_guest_flush(struct console_line *line, const char *name)
{
    if (line->len > 0) {
        console_emit_line(line, name);
    }
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
