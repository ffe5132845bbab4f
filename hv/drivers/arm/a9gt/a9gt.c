/* SPDX-License-Identifier: MIT */
/* Cortex-A9 MPCore global timer, used as a 64-bit clock only. */
#include <stdint.h>

#include "hv/board.h"
#include "hv/driver.h"
#include "hv/timer_dev.h"

#define GT_COUNTER_LO 0x00
#define GT_COUNTER_HI 0x04
#define GT_CONTROL 0x08
#define GT_ENABLE (1u << 0)

static volatile uint32_t *a9gt_regs;

/* The guest ABI's clock starts with the monitor, and a boot loader may
 * have run this counter for seconds: it restarts from 0 (writable while
 * the timer is off). */
static void a9gt_init(void *base)
{
    a9gt_regs = base;
    a9gt_regs[GT_CONTROL / 4] = 0;
    a9gt_regs[GT_COUNTER_LO / 4] = 0;
    a9gt_regs[GT_COUNTER_HI / 4] = 0;
    a9gt_regs[GT_CONTROL / 4] = GT_ENABLE; /* prescaler 0 */
}

static uint64_t a9gt_counter(void)
{
    uint32_t hi;
    uint32_t lo;

    /* The halves are read separately: retry if the low word wrapped. */
    do {
        hi = a9gt_regs[GT_COUNTER_HI / 4];
        lo = a9gt_regs[GT_COUNTER_LO / 4];
    } while (hi != a9gt_regs[GT_COUNTER_HI / 4]);
    return ((uint64_t)hi << 32) | lo;
}

static struct timer_dev a9gt_dev = {.counter = a9gt_counter};

static const struct timer_dev *a9gt_probe(const struct board_device *dev,
                                          void *const *regs)
{
    a9gt_init(regs[0]);
    a9gt_dev.hz = dev->hz;
    return &a9gt_dev;
}

HV_DRIVER(a9gt, clock, a9gt_probe, ("global timer"), DRIVER_HZ,
          "arm,cortex-a9-global-timer");
