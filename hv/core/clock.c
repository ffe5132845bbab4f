/* SPDX-License-Identifier: MIT */
#include "hv/clock.h"

static uint64_t (*clock_read)(void);
static uint32_t clock_hz;

void clock_set_source(uint64_t (*read_ticks)(void), uint32_t hz)
{
    clock_read = read_ticks;
    clock_hz = hz;
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
    return clock_ticks_to_ns(clock_read(), clock_hz);
}
