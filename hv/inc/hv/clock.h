/* SPDX-License-Identifier: MIT */
/* The monitor's monotonic clock, fed by a board timer driver. */
#ifndef HV_CLOCK_H
#define HV_CLOCK_H

#include "hv/types.h"

/** Installs the counter read by clock_now_ns; @hz is its rate. */
void clock_set_source(uint64_t (*read_ticks)(void), uint32_t hz);
/** Nanoseconds since the source started; 0 without a source. */
uint64_t clock_now_ns(void);
/** Converts @ticks of a @hz counter to nanoseconds without overflow. */
uint64_t clock_ticks_to_ns(uint64_t ticks, uint32_t hz);

#endif /* HV_CLOCK_H */
