/* SPDX-License-Identifier: MIT */
/*
 * The OMAP watchdog timer (WDT2, the MPU's: OMAP3 and OMAP4): turned off
 * at boot by its documented sequence (0xaaaa then 0x5555 to WSPR, each
 * write waiting for the posted-write flag), whatever the ROM or U-Boot
 * left. The monitor has no use for it: a guest that hangs is the
 * monitor's to stop, and the monitor itself never waits on a guest.
 */
#include <stdint.h>

#include "hv/board.h"
#include "hv/driver.h"

#define WDT_WWPS 0x34 /* write posting status */
#define WDT_WSPR 0x48 /* start/stop */
#define WDT_W_PEND_WSPR (1u << 4)
#define WDT_POLL_MAX 1000000u

static bool wdt_write_posted(volatile uint32_t *regs, uint32_t value)
{
    regs[WDT_WSPR / 4] = value;
    for (uint32_t i = 0; i < WDT_POLL_MAX; i++) {
        if (!(regs[WDT_WWPS / 4] & WDT_W_PEND_WSPR)) {
            return true;
        }
    }
    return false;
}

static const char *wdt_probe(const struct board_device *dev, void *const *regs)
{
    (void)dev;
    volatile uint32_t *wdt = regs[0];
    if (!wdt_write_posted(wdt, 0xaaaau) || !wdt_write_posted(wdt, 0x5555u)) {
        return "its stop sequence was never taken (WWPS.W_PEND_WSPR stays "
               "set): it may reset the board";
    }
    return NULL;
}

HV_DRIVER(omap_wdt, watchdog, wdt_probe, ("WDT"), 0, "ti,omap3-wdt");
