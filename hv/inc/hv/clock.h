/* SPDX-License-Identifier: MIT */
/* The monitor's monotonic clock, fed by a board timer driver. */
#ifndef HV_CLOCK_H
#define HV_CLOCK_H

#include "hv/timer_dev.h"
#include "hv/types.h"

/** Makes @dev's counter the one clock_now_ns reads (NULL: none). */
void clock_set_source(const struct timer_dev *dev);
/**
 * Offers a board timer with a counter: it becomes the source if it is finer
 * than the current one, and its guest-readable register the guest
 * counter if there is none yet.
 */
void clock_offer(const struct timer_dev *dev);
/** Nanoseconds since the source started; 0 without a source. */
uint64_t clock_now_ns(void);
/**
 * The counter guests read themselves (NULL: none): @dev->counter returns
 * its ticks since boot; the hardware register at @dev->guest_page +
 * guest_offset holds the low 32 bits inverted (a down counter). The page
 * is mapped into no guest by default; guests may map it read-only.
 */
void clock_set_guest_counter(const struct timer_dev *dev);
/** Its current reading: nanoseconds and the low 32 bits of its ticks. */
void clock_guest_now(uint64_t *ns, uint32_t *ticks);
/** Where it is (page 0 if there is none) and how fast it counts. */
paddr_t clock_guest_page(void);
uint32_t clock_guest_offset(void);
uint32_t clock_guest_hz(void);

/** Converts @ticks of a @hz counter to nanoseconds without overflow. */
uint64_t clock_ticks_to_ns(uint64_t ticks, uint32_t hz);

#endif /* HV_CLOCK_H */
