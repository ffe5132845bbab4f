/* SPDX-License-Identifier: MIT */
/* The monitor's monotonic clock, fed by a board timer driver. */
#ifndef HV_CLOCK_H
#define HV_CLOCK_H

#include "hv/types.h"

/** Installs the counter read by clock_now_ns; @hz is its rate. */
void clock_set_source(uint64_t (*read_ticks)(void), uint32_t hz);
/** Nanoseconds since the source started; 0 without a source. */
uint64_t clock_now_ns(void);
/**
 * The counter guests read themselves: @read returns its ticks since boot
 * (64 bits, counting up); the hardware register at @page + @offset holds
 * the low 32 bits inverted (a down counter). @page is mapped read-only
 * into no guest by default; guests may map it read-only.
 */
void clock_set_guest_counter(uint64_t (*read)(void), uint32_t hz, paddr_t page,
                             uint32_t offset);
/** Its current reading: nanoseconds and the low 32 bits of its ticks. */
void clock_guest_now(uint64_t *ns, uint32_t *ticks);
/** Where it is (page 0 if there is none) and how fast it counts. */
paddr_t clock_guest_page(void);
uint32_t clock_guest_offset(void);
uint32_t clock_guest_hz(void);

/** Converts @ticks of a @hz counter to nanoseconds without overflow. */
uint64_t clock_ticks_to_ns(uint64_t ticks, uint32_t hz);

#endif /* HV_CLOCK_H */
