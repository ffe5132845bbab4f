/* SPDX-License-Identifier: MIT */
/*
 * Time hypercalls: the monotonic clock and the one-shot virtual timer.
 *
 * One block per operation: IN registers, OUT registers, errors. The calling
 * convention is in <hvabi/abi.h>; numbers are unique across the
 * headers of <hvabi/>.
 */
#ifndef HVABI_CLOCK_H
#define HVABI_CLOCK_H

#include "abi.h"

/*
 * HV_OP_CLOCK_READ: read the monitor's monotonic clock.
 *
 *   IN   none
 *   OUT  r0  0
 *        r1  nanoseconds since the monitor started, low 32 bits
 *        r2  high 32 bits
 *   ERRORS none
 *
 * NOTES
 *   The resolution is that of the board's clock source (1 us on an SP804
 *   at 1 MHz, finer on the Cortex-A9 global timer).
 */
#define HV_OP_CLOCK_READ 5

/*
 * HV_OP_TIMER_SET: arm or cancel the one-shot virtual timer.
 *
 *   IN   r0, r1  deadline in HV_OP_CLOCK_READ nanoseconds (low, high);
 *                0 cancels
 *   OUT  r0  0
 *   ERRORS none
 *
 * When the clock passes the deadline, the monitor sets HV_EVENT_TIMER in
 * shared->events_pending (and the timer is disarmed). A deadline in the
 * past fires at once. The monitor's timer is programmed one-shot for the
 * earliest deadline, so the event comes within one tick of the board
 * timer (1 us on the SP804) after the deadline, plus scheduling delay
 * if another guest is running its slice.
 */
#define HV_OP_TIMER_SET 16
#define HV_EVENT_TIMER (1u << 0)

#endif /* HVABI_CLOCK_H */
