/* SPDX-License-Identifier: MIT */
/* Monitor log and guest console lines on the one physical console. */
#ifndef HV_CONSOLE_H
#define HV_CONSOLE_H

#include "hv/types.h"

#define HV_CONSOLE_LINE_MAX 160
/* "[" name "] " and a NUL. */
#define HV_VM_NAME_MAX_PREFIX (16 + 4)

/** A guest's partial output line, printed when complete or full. */
struct console_line {
    uint32_t len;
    char buf[HV_CONSOLE_LINE_MAX];
};

/** The physical console's output routine (a UART driver's). */
typedef void (*console_putc_fn)(char c);

void console_set_output(console_putc_fn putc);
/** Monitor messages: printf-style, each call prefixed with "hv: ". */
void dlog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** Appends guest bytes to @line; full lines go out prefixed "[name] ". */
void console_guest_write(struct console_line *line, const char *name,
                         const char *buf, uint32_t len);
/** Prints whatever partial line @line still holds. */
void console_guest_flush(struct console_line *line, const char *name);

/** Queues one byte of console input; false (and counted) when full. */
bool console_input_put(char c);
/** Takes up to @size queued input bytes into @buf; returns how many. */
uint32_t console_input_take(char *buf, uint32_t size);

#endif /* HV_CONSOLE_H */
