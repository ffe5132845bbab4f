/* SPDX-License-Identifier: MIT */
/*
 * The timer and clock interface: a one-shot event timer, a free-running
 * counter, or both (drivers of kind DRIVER_TIMER and DRIVER_CLOCK,
 * hv/inc/hv/driver.h).
 */
#ifndef HV_TIMER_DEV_H
#define HV_TIMER_DEV_H

#include "hv/types.h"

struct timer_dev {
    /** Interrupts in about @ns nanoseconds (at least one tick); NULL for a
     * clock only. */
    void (*program_ns)(uint64_t ns);
    /** Clears the event interrupt, if this timer raised it. */
    void (*ack)(void);
    /** Ticks since the driver started it, counting up, 64 bits; NULL for
     * an event timer without a counter. */
    uint64_t (*counter)(void);
    /** The counter's rate. */
    uint32_t hz;
    /** A register guests may read the counter from without a trap: the
     * low 32 bits inverted (a down counter), at @guest_page +
     * @guest_offset; page 0 if there is none. */
    paddr_t guest_page;
    uint32_t guest_offset;
};

/** The monitor's event timer: boot installs the DRIVER_TIMER device's
 * (fake_reset in host tests). timer.c programs it, irq.c acknowledges
 * it. */
extern const struct timer_dev *tick_timer;

#endif /* HV_TIMER_DEV_H */
