/* SPDX-License-Identifier: MIT */
#include "hv/timer.h"

#include "hv/clock.h"
#include "hv/config.h"
#include "hv/timer_dev.h"
#include "hv/vcpu.h"

uint64_t timer_slice_end;
static uint64_t timer_monitor_deadline; /* 0: none */

void timer_start_slice(uint32_t weight)
{
    timer_slice_end = clock_now_ns() + weight * HV_TIME_SLICE_UNIT_NS;
}

bool timer_slice_over(void)
{
    return clock_now_ns() >= timer_slice_end;
}

void timer_set_monitor_deadline(uint64_t ns)
{
    timer_monitor_deadline = ns;
}

void timer_reprogram(void)
{
    uint64_t limit = timer_slice_end;
    if (timer_monitor_deadline != 0 && timer_monitor_deadline < limit) {
        limit = timer_monitor_deadline;
    }
    uint64_t next = vcpu_next_deadline(limit);

    if (tick_timer) {
        uint64_t now = clock_now_ns();
        tick_timer->program_ns(next > now ? next - now : 0);
    }
}
