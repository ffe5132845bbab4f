/* SPDX-License-Identifier: MIT */
/* Monitor log and guest console lines on the one physical console. */
#ifndef HV_CONSOLE_H
#define HV_CONSOLE_H

#include "hv/config.h"
#include "hv/types.h"
#include "hv/uart.h"

#define HV_CONSOLE_LINE_MAX 160
/* "[" name "] " and a NUL. */
#define HV_VM_NAME_MAX_PREFIX (16 + 4)

/*
 * Output waits in one ring, in the order it was produced, until the UART
 * takes it. Each guest may have at most HV_CONSOLE_GUEST_QUOTA bytes in
 * it, so a flooding guest fills its share, not the ring: the monitor's
 * messages and the other guests' lines always find room.
 */
#define HV_CONSOLE_OUT_SIZE 16384u
#define HV_CONSOLE_GUEST_QUOTA 768u
/* The longest guest line in the ring: prefix, text and "\r\n". */
#define HV_CONSOLE_LINE_OUT_MAX                                                \
    (HV_VM_NAME_MAX_PREFIX - 1 + HV_CONSOLE_LINE_MAX - 1 + 2)

/** A guest's partial output line, printed when complete or full. */
struct console_line {
    /* Whose share of the ring the line's output counts against: the
     * guest's id (1 .. HV_MAX_VMS); 0 for a line of no guest (tests). */
    uint32_t owner;
    uint32_t len;
    /* A UTF-8 sequence begun but not complete: its bytes and how many
     * continuation bytes are still missing. */
    uint8_t utf8_len;
    uint8_t utf8_need;
    char utf8[4];
    char buf[HV_CONSOLE_LINE_MAX];
};

/** Installs @uart as console_uart (NULL: none), with an empty output ring. */
void console_set_output(const struct uart_ops *uart);
/** Monitor messages: printf-style, each call prefixed with "hv: ". */
void dlog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/**
 * Appends guest bytes to @line; full lines go out prefixed "[name] ".
 * Returns how many of the @len bytes were taken: fewer when the guest's
 * share of the output ring is full. The rest was not looked at.
 */
uint32_t console_guest_write(struct console_line *line, const char *name,
                             const char *buf, uint32_t len);
/** Prints whatever partial line @line still holds (the guest stops). */
void console_guest_flush(struct console_line *line, const char *name);
/**
 * Moves queued output to the UART while its FIFO has room, at most
 * uart_ops.burst bytes, and asks for the transmit interrupt while
 * some is left. Never waits.
 */
void console_drain(void);
/** Writes out everything queued, waiting on the UART: the system halts. */
void console_sync(void);

/** Queues one byte of console input; false (and counted) when full. */
bool console_input_put(char c);
/** Takes up to @size queued input bytes into @buf; returns how many. */
uint32_t console_input_take(char *buf, uint32_t size);

#endif /* HV_CONSOLE_H */
