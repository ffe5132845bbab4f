/* SPDX-License-Identifier: MIT */
/* Cortex-A9 MPCore global timer, used as a 64-bit clock only. */
#include <stdint.h>

#include "hv/drivers.h"

#define GT_COUNTER_LO 0x00
#define GT_COUNTER_HI 0x04
#define GT_CONTROL 0x08
#define GT_ENABLE (1u << 0)

static volatile uint32_t *a9gt_regs;

void a9gt_init(void *base)
{
    a9gt_regs = base;
    a9gt_regs[GT_CONTROL / 4] = GT_ENABLE; /* prescaler 0 */
}

uint64_t a9gt_counter(void)
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
