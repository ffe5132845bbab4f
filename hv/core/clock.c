/* SPDX-License-Identifier: MIT */
/*
 * Monotonic time from free-running counters. Converting ticks to
 * nanoseconds is on every switch and timer path, so rates that divide a
 * second exactly (1 MHz, 100 MHz: the boards here) take one multiply
 * instead of a 64-bit division.
 */
#include "hv/clock.h"

static uint64_t (*clock_read)(void);
static uint32_t clock_hz;
static uint32_t clock_ns_per_tick; /* 0: the rate does not divide 1 s */

/* Worked out when a counter is chosen, not on every read: the test is a
 * division, and this runs on every switch and timer path. */
static uint32_t clock_exact_ns_per_tick(uint32_t hz)
{
    return hz != 0 && 1000000000u % hz == 0 ? 1000000000u / hz : 0;
}

static uint64_t clock_convert(uint64_t ticks, uint32_t hz, uint32_t ns_per_tick)
{
    if (ns_per_tick != 0) {
        return ticks * ns_per_tick;
    }
    return clock_ticks_to_ns(ticks, hz);
}

void clock_set_source(const struct timer_dev *dev)
{
    clock_read = dev ? dev->counter : NULL;
    clock_hz = dev ? dev->hz : 0;
    clock_ns_per_tick = clock_exact_ns_per_tick(clock_hz);
}

static uint64_t (*clock_guest_read)(void);
static uint32_t clock_guest_rate;
static uint32_t clock_guest_ns_per_tick;
static paddr_t clock_guest_pa;
static uint32_t clock_guest_reg;

void clock_set_guest_counter(const struct timer_dev *dev)
{
    clock_guest_read = dev ? dev->counter : NULL;
    clock_guest_rate = dev ? dev->hz : 0;
    clock_guest_ns_per_tick = clock_exact_ns_per_tick(clock_guest_rate);
    clock_guest_pa = dev ? dev->guest_page : pa_init(0);
    clock_guest_reg = dev ? dev->guest_offset : 0;
}

void clock_offer(const struct timer_dev *dev)
{
    if (dev->counter && dev->hz > clock_hz) {
        clock_set_source(dev);
    }
    if (pa_addr(clock_guest_pa) == 0 && pa_addr(dev->guest_page) != 0) {
        clock_set_guest_counter(dev);
    }
}

void clock_guest_now(uint64_t *ns, uint32_t *ticks)
{
    uint64_t t = clock_guest_read ? clock_guest_read() : 0;
    *ticks = (uint32_t)t;
    *ns = clock_guest_rate
              ? clock_convert(t, clock_guest_rate, clock_guest_ns_per_tick)
              : 0;
}

paddr_t clock_guest_page(void)
{
    return clock_guest_pa;
}

uint32_t clock_guest_offset(void)
{
    return clock_guest_reg;
}

uint32_t clock_guest_hz(void)
{
    return clock_guest_rate;
}

uint64_t clock_ticks_to_ns(uint64_t ticks, uint32_t hz)
{
    /* Split so that ticks * 1e9 never overflows 64 bits. */
    return ticks / hz * 1000000000ull + ticks % hz * 1000000000ull / hz;
}

uint64_t clock_now_ns(void)
{
    if (!clock_read) {
        return 0;
    }
    return clock_convert(clock_read(), clock_hz, clock_ns_per_tick);
}
