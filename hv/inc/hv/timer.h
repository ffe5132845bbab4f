/* SPDX-License-Identifier: MIT */
/*
 * The monitor's one timer interrupt, programmed one-shot for whichever
 * comes first: the end of the running guest's time slice (or the moment
 * a woken guest may preempt it, sched.c), the earliest virtual-timer
 * deadline of any guest, or the monitor's own deadline (a guest's
 * restart, guest.c). The device is tick_timer
 * (hv/timer_dev.h).
 */
#ifndef HV_TIMER_H
#define HV_TIMER_H

#include "hv/types.h"

/** A slice of @weight units starts now (a guest was switched to). */
void timer_start_slice(uint32_t weight);
/* timer.c's; set through the functions below. */
extern uint64_t timer_slice_end;

/** The current slice ends at @end_ns (clock_now_ns time). */
static inline void timer_set_slice_end(uint64_t end_ns)
{
    timer_slice_end = end_ns;
}
/** When the current slice ends (clock_now_ns time). */
static inline uint64_t timer_slice_end_ns(void)
{
    return timer_slice_end;
}
/** True once the current slice is over. */
bool timer_slice_over(void);
/**
 * The monitor's own next deadline (clock_now_ns time; 0: none): the timer
 * interrupt comes no later (the next timer_reprogram applies it).
 */
void timer_set_monitor_deadline(uint64_t ns);
/** Reprograms the device for the next slice end or deadline. */
void timer_reprogram(void);

#endif /* HV_TIMER_H */
