/* SPDX-License-Identifier: MIT */
/*
 * The PL310 outer cache driver (hv/drivers/arm/pl310) against a register
 * model that logs every write: off, it is left off with nothing to
 * maintain; on, the probe cleans and invalidates every way, and each
 * clean or flush by physical address names every line of the range, then
 * syncs.
 */
#include <string.h>

#include "hv/board.h"
#include "hv/driver.h"
#include "hv/outer_cache.h"

#include "unit.h"

#define L2_WORDS 1024u
static uint32_t l2_regs[L2_WORDS];

/* The secure monitor, as OMAP4's ROM: function 0x102 writes the control
 * register (unless the test makes it refuse). */
static uint32_t smc_calls;
static uint32_t smc_function;
static uint32_t smc_arg;
static bool smc_refuses;

uint32_t arch_smc(uint32_t function, uint32_t arg)
{
    smc_calls++;
    smc_function = function;
    smc_arg = arg;
    if (function == 0x102 && !smc_refuses) {
        l2_regs[0x100 / 4] = arg;
    }
    return 0;
}

static const struct outer_cache_ops *
l2_probe_dev(uint32_t control, uint32_t aux, bool enable, uint32_t smc_control)
{
    const struct driver *d = driver_find(DRIVER_OUTER_CACHE, "arm,pl310-cache");
    if (!d) {
        return NULL;
    }
    memset(l2_regs, 0, sizeof(l2_regs));
    l2_regs[0x100 / 4] = control;
    l2_regs[0x104 / 4] = aux;
    smc_calls = 0;
    struct board_device dev = {
        .driver = d, .enable = enable, .smc_control = smc_control};
    void *windows[BOARD_DEVICE_REGS] = {l2_regs};
    return d->probe.outer_cache(&dev, windows);
}

static const struct outer_cache_ops *l2_probe(uint32_t control, uint32_t aux)
{
    return l2_probe_dev(control, aux, false, 0);
}

TEST(pl310, off_stays_off_with_nothing_to_maintain)
{
    ASSERT_TRUE(driver_find(DRIVER_OUTER_CACHE, "arm,pl310-cache") != NULL);
    EXPECT_TRUE(l2_probe(0, 0) == NULL);
    EXPECT_EQ(l2_regs[0x100 / 4], 0u); /* not turned on */
    EXPECT_EQ(l2_regs[0x7fc / 4], 0u); /* no maintenance */
}

TEST(pl310, on_cleans_every_way_first)
{
    EXPECT_TRUE(l2_probe(1, 1u << 16) != NULL); /* 16 ways */
    EXPECT_EQ(l2_regs[0x7fc / 4], 0xffffu);
    EXPECT_EQ(l2_regs[0x100 / 4], 1u);   /* still on */
    EXPECT_TRUE(l2_probe(1, 0) != NULL); /* 8 ways */
    EXPECT_EQ(l2_regs[0x7fc / 4], 0xffu);
}

/* The model keeps each maintenance register's last value; sweeping a
 * range one line at a time, the last is the range's last line. */
TEST(pl310, clean_and_flush_by_line)
{
    const struct outer_cache_ops *ops = l2_probe(1, 0);
    ASSERT_TRUE(ops != NULL && ops->clean && ops->flush);
    l2_regs[0x730 / 4] = 0x55u; /* becomes 0 when the sync is written */
    ops->clean(pa_init(0x80001010u), 0x48); /* lines 0x...000 to 0x...040 */
    EXPECT_EQ(l2_regs[0x7b0 / 4], 0x80001040u);
    EXPECT_EQ(l2_regs[0x770 / 4], 0u); /* a clean invalidates nothing */
    EXPECT_EQ(l2_regs[0x730 / 4], 0u); /* synced */
    l2_regs[0x730 / 4] = 0x55u;
    ops->flush(pa_init(0x80002000u), 0x1000);
    EXPECT_EQ(l2_regs[0x7b0 / 4], 0x80002fe0u);
    EXPECT_EQ(l2_regs[0x770 / 4], 0x80002fe0u);
    EXPECT_EQ(l2_regs[0x7f0 / 4], 0u); /* not the combined operation */
    EXPECT_EQ(l2_regs[0x730 / 4], 0u);
}

/* "hv,enable", no secure monitor (vexpress-a9 in QEMU runs Secure): the
 * ways invalidated, then the control register written. */
TEST(pl310, enable_by_a_plain_write)
{
    EXPECT_TRUE(l2_probe_dev(0, 0, true, 0) != NULL);
    EXPECT_EQ(l2_regs[0x77c / 4], 0xffu); /* every way invalidated */
    EXPECT_EQ(l2_regs[0x100 / 4], 1u);
    EXPECT_EQ(smc_calls, 0u);
}

/* OMAP4: the control register is Secure-only; the ROM writes it. */
TEST(pl310, enable_through_the_secure_monitor)
{
    smc_refuses = false;
    EXPECT_TRUE(l2_probe_dev(0, 1u << 16, true, 0x102) != NULL);
    EXPECT_EQ(smc_calls, 1u);
    EXPECT_EQ(smc_function, 0x102u);
    EXPECT_EQ(smc_arg, 1u);
    EXPECT_EQ(l2_regs[0x77c / 4], 0xffffu);
    /* Already on: no call, no invalidate (a clean and invalidate). */
    EXPECT_TRUE(l2_probe_dev(1, 0, true, 0x102) != NULL);
    EXPECT_EQ(smc_calls, 0u);
    EXPECT_EQ(l2_regs[0x77c / 4], 0u);
    EXPECT_EQ(l2_regs[0x7fc / 4], 0xffu);
    /* A monitor that does not take it: off, nothing to maintain. */
    smc_refuses = true;
    EXPECT_TRUE(l2_probe_dev(0, 0, true, 0x102) == NULL);
    EXPECT_EQ(smc_calls, 1u);
    smc_refuses = false;
}
