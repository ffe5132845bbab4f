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

/** Ticks per ns of a @hz counter as a 0.32 fixed-point fraction, rounded
 * up (@hz below 1 GHz): a driver's one-shot load without a run-time
 * division (none on this core) for deadlines under 4.3 s. */
static inline uint32_t timer_dev_ticks_per_ns(uint32_t hz)
{
    return (uint32_t)((((uint64_t)hz << 32) + 999999999u) / 1000000000u);
}

/** Ticks of a @hz counter for @ns (@ticks_per_ns from the above), never
 * fewer than the time asked and at least 1: the exact quotient's
 * ceiling or one more under 4.3 s, up to 1 us and a tick more past it. */
static inline uint64_t timer_dev_ticks(uint64_t ns, uint32_t hz,
                                       uint32_t ticks_per_ns)
{
    uint64_t ticks;

    if (ns <= 0xffffffffu) {
        ticks = ((uint64_t)(uint32_t)ns * ticks_per_ns + 0xffffffffu) >> 32;
    } else {
        ticks = (ns / 1000u + 1u) * hz / 1000000u + 1u;
    }
    return ticks == 0 ? 1 : ticks;
}

/** The monitor's event timer: boot installs the DRIVER_TIMER device's
 * (fake_reset in host tests). timer.c programs it, irq.c acknowledges
 * it. */
extern const struct timer_dev *tick_timer;

#endif /* HV_TIMER_DEV_H */
