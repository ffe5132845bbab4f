/* SPDX-License-Identifier: MIT */
/*
 * The PL310 (L2C-310) outer cache of Cortex-A9 boards: OMAP4's, and
 * vexpress-a9's in QEMU. Off as the boot loader left it (U-Boot's bootm
 * turns it off), it stays off unless the board tree says "hv,enable":
 * then every way is invalidated and the control register written, by the
 * ROM's secure monitor if the tree names its function
 * ("hv,smc-control": OMAP4's 0x102; the register is Secure-only there),
 * else directly. On, every maintenance the monitor relies on reaches
 * through it by physical address (hv/inc/hv/outer_cache.h): those
 * registers are writable from the Non-secure side.
 */
#include <stdint.h>

#include "hv/arch.h"
#include "hv/board.h"
#include "hv/driver.h"
#include "hv/outer_cache.h"

#define L2_CONTROL 0x100
#define L2_AUX_CONTROL 0x104
#define L2_CACHE_SYNC 0x730
#define L2_INV_PA 0x770
#define L2_INV_WAY 0x77c
#define L2_CLEAN_PA 0x7b0
#define L2_CLEAN_INV_WAY 0x7fc
#define L2_ENABLE (1u << 0)
#define L2_AUX_16_WAY (1u << 16)
#define L2_LINE 32u
/* A maintenance by way or sync that never ends is a broken cache; the
 * bound keeps it from hanging the monitor (about a millisecond's polls). */
#define L2_POLL_MAX 1000000u

static volatile uint32_t *pl310_regs;

static uint32_t pl310_read(uint32_t offset)
{
    return pl310_regs[offset / 4];
}

static void pl310_write(uint32_t offset, uint32_t value)
{
    pl310_regs[offset / 4] = value;
}

/* Waits for the operations before to reach memory. */
static void pl310_sync(void)
{
    pl310_write(L2_CACHE_SYNC, 0);
    for (uint32_t i = 0; i < L2_POLL_MAX && (pl310_read(L2_CACHE_SYNC) & 1u);
         i++) {
    }
}

static void pl310_by_pa(uint32_t op, paddr_t pa, size_t size)
{
    uint32_t start = (uint32_t)pa_addr(pa) & ~(L2_LINE - 1);
    uint32_t end = (uint32_t)pa_addr(pa) + (uint32_t)size;
    for (uint32_t line = start; line < end; line += L2_LINE) {
        pl310_write(op, line);
    }
}

static void pl310_clean(paddr_t pa, size_t size)
{
    pl310_by_pa(L2_CLEAN_PA, pa, size);
    pl310_sync();
}

/* Clean, then invalidate: not the combined operation, which PL310
 * r0p0-r1p0 (erratum 588369, OMAP4430's) do not apply to clean lines.
 * Nothing dirties the lines in between: the monitor runs with
 * interrupts masked on one core. */
static void pl310_flush(paddr_t pa, size_t size)
{
    pl310_by_pa(L2_CLEAN_PA, pa, size);
    pl310_by_pa(L2_INV_PA, pa, size);
    pl310_sync();
}

static const struct outer_cache_ops pl310_ops = {.clean = pl310_clean,
                                                 .flush = pl310_flush};

/* Runs a maintenance by way on every way, until the cache says done. */
static void pl310_all_ways(uint32_t op)
{
    uint32_t ways =
        (pl310_read(L2_AUX_CONTROL) & L2_AUX_16_WAY) ? 0xffffu : 0xffu;
    pl310_write(op, ways);
    for (uint32_t i = 0; i < L2_POLL_MAX && (pl310_read(op) & ways); i++) {
    }
    pl310_sync();
}

static const struct outer_cache_ops *pl310_probe(const struct board_device *dev,
                                                 void *const *regs)
{
    pl310_regs = regs[0];
    if (pl310_read(L2_CONTROL) & L2_ENABLE) {
        /* On: whatever it holds from before goes to memory and out, so
         * that nothing older than the monitor's own writes is read back. */
        pl310_all_ways(L2_CLEAN_INV_WAY);
        return &pl310_ops;
    }
    if (!dev->enable) {
        return NULL;
    }
    /* Off, memory is current: drop whatever the ways hold, then on. */
    pl310_all_ways(L2_INV_WAY);
    if (dev->smc_control) {
        arch_smc(dev->smc_control, L2_ENABLE);
    } else {
        pl310_write(L2_CONTROL, L2_ENABLE);
    }
    return (pl310_read(L2_CONTROL) & L2_ENABLE) ? &pl310_ops : NULL;
}

HV_DRIVER(pl310, outer_cache, pl310_probe, ("L2C-310"), 0, "arm,pl310-cache");
