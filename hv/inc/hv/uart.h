/* SPDX-License-Identifier: MIT */
/*
 * The console UART interface (a driver of kind DRIVER_UART,
 * hv/inc/hv/driver.h): transmit for console.c, receive for irq.c.
 */
#ifndef HV_UART_H
#define HV_UART_H

#include "hv/types.h"

struct uart_ops {
    /** Queues @c if the transmit FIFO has room; false, doing nothing, if
     * it is full. Never waits. */
    bool (*try_putc)(char c);
    /** Waits for room, then queues @c: only for halting. */
    void (*putc_wait)(char c);
    /** Turns the interrupt that says the FIFO has room again on or off.
     * On, it comes when the FIFO drains below its trigger level after
     * having been filled past it (and on QEMU, whose FIFO never fills, at
     * once). */
    void (*tx_irq)(bool on);
    /** Clears the receive and transmit interrupts; then drain with getc
     * and refill. */
    void (*ack)(void);
    /** A received byte, or -1 if none is waiting. */
    int (*getc)(void);
    /** The most bytes one console_drain writes (the FIFO's depth), even
     * if try_putc would take more; 0 for no limit. */
    uint32_t burst;
};

/** The console UART: console_set_output installs it (boot, with the
 * driver's; fake_console_capture in host tests). NULL: none. */
extern const struct uart_ops *console_uart;

#endif /* HV_UART_H */
