/* SPDX-License-Identifier: MIT */
#include <hvabi/guestlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* r2 at entry (start.S): the device tree's physical address, or 0. */
uint32_t hv_entry_r2;

static void guestlib_write(const char *s, size_t len)
{
    while (len > 0) {
        uint32_t chunk =
            len > HV_CONSOLE_WRITE_MAX ? HV_CONSOLE_WRITE_MAX : (uint32_t)len;
        int32_t n = hv_console_write(s, chunk);
        if (n == -HV_EAGAIN) {
            /* This guest's share of the monitor's output buffer is full
             * until the UART catches up: let others run meanwhile. */
            hv_yield();
            continue;
        }
        if (n <= 0) {
            return;
        }
        /* A short count: the rest goes again. */
        s += n;
        len -= (uint32_t)n;
    }
}

void hv_puts(const char *s)
{
    guestlib_write(s, strlen(s));
}

int hv_printf(const char *fmt, ...)
{
    char buf[512];
    va_list args;

    va_start(args, fmt);
    int n = vsnprintf(buf, sizeof(buf), fmt, args);
    va_end(args);
    if (n < 0) {
        return n;
    }
    guestlib_write(buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
    if ((size_t)n >= sizeof(buf)) {
        hv_puts("[truncated by hv_printf]\n");
    }
    return n;
}

int hv_cmdline_get(const char *cmdline, const char *key, char *out,
                   unsigned int size)
{
    size_t klen = strlen(key);
    const char *p = cmdline;

    while (*p) {
        while (*p == ' ') {
            p++;
        }
        const char *end = p;
        while (*end && *end != ' ') {
            end++;
        }
        if ((size_t)(end - p) > klen && strncmp(p, key, klen) == 0 &&
            p[klen] == '=') {
            size_t vlen = (size_t)(end - p) - klen - 1;
            if (vlen >= size) {
                vlen = size - 1;
            }
            memcpy(out, p + klen + 1, vlen);
            out[vlen] = '\0';
            return 1;
        }
        p = end;
    }
    return 0;
}

int hv_cmdline_get_u32(const char *cmdline, const char *key, uint32_t *value)
{
    char buf[24];
    char *end;

    if (!hv_cmdline_get(cmdline, key, buf, sizeof(buf)) ||
        strlen(buf) == sizeof(buf) - 1) {
        return 0; /* absent, or possibly cut short */
    }
    unsigned long v = strtoul(buf, &end, 0);
    if (*end != '\0') {
        return 0;
    }
    *value = (uint32_t)v;
    return 1;
}
