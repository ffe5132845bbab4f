/* SPDX-License-Identifier: MIT */
/*
 * The PL310 (L2C-310) outer cache of Cortex-A9 boards: OMAP4's, and
 * vexpress-a9's in QEMU. The monitor keeps it as the boot loader left it
 * (U-Boot's bootm turns it off; enabling it on OMAP4 takes the ROM's
 * secure monitor). If it is on, every maintenance the monitor relies on
 * reaches through it by physical address (hv/inc/hv/outer_cache.h):
 * these registers are writable from the Non-secure side.
 */
#include <stdint.h>

#include "hv/board.h"
#include "hv/driver.h"
#include "hv/outer_cache.h"

#define L2_CONTROL 0x100
#define L2_AUX_CONTROL 0x104
#define L2_CACHE_SYNC 0x730
#define L2_INV_PA 0x770
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

static const struct outer_cache_ops *pl310_probe(const struct board_device *dev,
                                                 void *const *regs)
{
    (void)dev;
    pl310_regs = regs[0];
    if (!(pl310_read(L2_CONTROL) & L2_ENABLE)) {
        return NULL;
    }
    /* On: whatever it holds from before goes to memory and out, so that
     * nothing older than the monitor's own writes can be read back. */
    uint32_t ways =
        (pl310_read(L2_AUX_CONTROL) & L2_AUX_16_WAY) ? 0xffffu : 0xffu;
    pl310_write(L2_CLEAN_INV_WAY, ways);
    for (uint32_t i = 0;
         i < L2_POLL_MAX && (pl310_read(L2_CLEAN_INV_WAY) & ways); i++) {
    }
    pl310_sync();
    return &pl310_ops;
}

HV_DRIVER(pl310, outer_cache, pl310_probe, ("L2C-310"), 0, "arm,pl310-cache");
