/* SPDX-License-Identifier: MIT */
/*
 * The Cortex-A9 global timer driver (hv/drivers/arm/a9gt) against a
 * register model: it is the clock, and the guest ABI's clock starts with
 * the monitor, so the probe restarts the count a boot loader left running.
 */
#include <string.h>

#include "hv/board.h"
#include "hv/driver.h"
#include "hv/timer_dev.h"

#include "unit.h"

#define GT_COUNTER_LO 0x00
#define GT_COUNTER_HI 0x04
#define GT_CONTROL 0x08

static uint32_t gt_regs[8];

TEST(a9gt, probe_restarts_the_count_and_enables_it)
{
    const struct driver *d =
        driver_find(DRIVER_CLOCK, "arm,cortex-a9-global-timer");
    ASSERT_TRUE(d != NULL);
    /* Seconds of U-Boot: enabled, with a prescaler, counting. */
    gt_regs[GT_COUNTER_LO / 4] = 0x89abcdefu;
    gt_regs[GT_COUNTER_HI / 4] = 0x5u;
    gt_regs[GT_CONTROL / 4] = 0x0301u;
    struct board_device dev = {.driver = d, .hz = 100000000};
    void *windows[BOARD_DEVICE_REGS] = {gt_regs};
    const struct timer_dev *t = d->probe.clock(&dev, windows);
    ASSERT_TRUE(t != NULL);
    EXPECT_EQ(t->hz, 100000000u);
    EXPECT_EQ(gt_regs[GT_COUNTER_LO / 4], 0u);
    EXPECT_EQ(gt_regs[GT_COUNTER_HI / 4], 0u);
    EXPECT_EQ(gt_regs[GT_CONTROL / 4], 1u); /* enabled, prescaler 0 */
    EXPECT_EQ(t->counter(), 0u);
    gt_regs[GT_COUNTER_LO / 4] = 0xfffffff0u;
    gt_regs[GT_COUNTER_HI / 4] = 1u;
    EXPECT_EQ(t->counter(), 0x1fffffff0ull);
}
