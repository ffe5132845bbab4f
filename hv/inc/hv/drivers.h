/* SPDX-License-Identifier: MIT */
/* The board device drivers the monitor itself uses (hv/drivers). */
#ifndef HV_DRIVERS_H
#define HV_DRIVERS_H

#include "hv/types.h"

/* ARM PL011 UART: the console. */
void pl011_init(void *base);
/** Waits while the transmit FIFO is full, then queues @c. */
void pl011_putc(char c);
/** Queues @c unless the transmit FIFO is full (then false). */
bool pl011_try_putc(char c);
/** Interrupts on received bytes. */
void pl011_enable_rx_irq(void);
/**
 * Turns the transmit interrupt on or off. On, it comes when the FIFO
 * drains below its trigger level after having been filled past it (and
 * on QEMU, whose FIFO never fills, at once).
 */
void pl011_tx_irq(bool on);
/** Clears the receive and transmit interrupts; then drain with
 * pl011_getc and refill. */
void pl011_ack(void);
/** A received byte, or -1 if none is waiting. */
int pl011_getc(void);

/* ARM GIC (v1: Cortex-A9 MPCore, PL390): interrupt controller. */
void gic_init(void *dist, void *cpu);
void gic_enable(uint32_t irq);
void gic_disable(uint32_t irq);
/** Acknowledges the highest pending interrupt; 1023 if none. */
uint32_t gic_ack(void);
void gic_end(uint32_t irq);
#define GIC_SPURIOUS 1023u

/* ARM SP804 dual timer: timer 1 one-shot, timer 2 counts freely. */
void sp804_init(void *base, uint32_t hz);
/** Interrupts (timer 1) in about @ns nanoseconds (at least one tick). */
void sp804_program_ns(uint64_t ns);
/** Clears the timer interrupt; true if timer 1 had raised it. */
bool sp804_tick_ack(void);
/** Ticks of the free-running timer 2, extended to 64 bits. */
uint64_t sp804_counter(void);

/* Cortex-A9 global timer: a 64-bit up counter, the finest clock. */
void a9gt_init(void *base);
uint64_t a9gt_counter(void);

#endif /* HV_DRIVERS_H */
