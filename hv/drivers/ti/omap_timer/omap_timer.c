/* SPDX-License-Identifier: MIT */
/*
 * TI OMAP general-purpose timer (GPTIMER, the OMAP3 register layout of
 * "ti,omap3430-timer": GPTIMER1-12 on OMAP3, GPTIMER1, 2 and 10 on OMAP4)
 * as the monitor's one-shot event timer, and the 32 kHz synchronization
 * counter ("ti,omap-counter32k") as its clock.
 *
 * The timer counts up from its load value and interrupts when it
 * overflows past 0xffffffff; one-shot, it stops there. Its functional
 * clock is the board's "clock-frequency": on OMAP3 GPTIMER1's is the
 * 32,768 Hz clock after reset (CM_CLKSEL_WKUP), which U-Boot leaves so
 * (its own timer is GPTIMER2); a board description that says otherwise
 * must match what the boot loader set. Posted writes are off, so that a
 * register write has happened when the store returns.
 *
 * The sync counter runs from power-on at 32,768 Hz and cannot be stopped
 * or written; it counts up, so guests get no trap-free clock page from
 * it (the guest ABI's counter page counts down) and read the clock with
 * HV_OP_CLOCK_READ.
 */
#include <stdint.h>

#include "hv/board.h"
#include "hv/driver.h"
#include "hv/timer_dev.h"

#define GPT_TIOCP_CFG 0x10
#define GPT_TISTAT 0x14
#define GPT_TISR 0x18
#define GPT_TIER 0x1c
#define GPT_TCLR 0x24
#define GPT_TCRR 0x28
#define GPT_TSICR 0x40

#define TIOCP_SOFTRESET (1u << 1)
#define TISTAT_RESETDONE (1u << 0)
#define IT_OVF (1u << 1) /* TISR, TIER */
#define TCLR_ST (1u << 0)
#define TSICR_POSTED (1u << 2)
#define GPT_RESET_POLLS 100000u

#define CNT32K_CR 0x10
#define CNT32K_HZ 32768u

static volatile uint32_t *gpt_regs;
static uint32_t gpt_hz;
static uint32_t gpt_ticks_per_ns; /* timer_dev_ticks_per_ns */

static inline volatile uint32_t *gpt_reg(uint32_t offset)
{
    return gpt_regs + offset / 4;
}

static void gpt_init(void *base, uint32_t hz)
{
    gpt_regs = base;
    gpt_hz = hz;
    gpt_ticks_per_ns = timer_dev_ticks_per_ns(hz);
    *gpt_reg(GPT_TIOCP_CFG) = TIOCP_SOFTRESET;
    for (uint32_t i = 0; i < GPT_RESET_POLLS; i++) {
        if (*gpt_reg(GPT_TISTAT) & TISTAT_RESETDONE) {
            break;
        }
    }
    *gpt_reg(GPT_TSICR) = 0; /* not posted */
    *gpt_reg(GPT_TCLR) = 0;
    *gpt_reg(GPT_TIER) = 0;
    *gpt_reg(GPT_TISR) = IT_OVF;
}

static void gpt_program_ns(uint64_t ns)
{
    /* at most the counter's range: 36 hours at 32 kHz */
    uint64_t t = timer_dev_ticks(ns, gpt_hz, gpt_ticks_per_ns);
    uint32_t ticks = t > 0xffffffffu ? 0xffffffffu : (uint32_t)t;

    *gpt_reg(GPT_TCLR) = 0;
    *gpt_reg(GPT_TISR) = IT_OVF;
    /* Overflows after exactly @ticks counts: 0 - ticks, modulo 2^32. */
    *gpt_reg(GPT_TCRR) = 0u - ticks;
    *gpt_reg(GPT_TIER) = IT_OVF;
    *gpt_reg(GPT_TCLR) = TCLR_ST; /* one-shot: no auto-reload */
}

static void gpt_ack(void)
{
    if (*gpt_reg(GPT_TISR) & IT_OVF) {
        *gpt_reg(GPT_TISR) = IT_OVF; /* write 1 to clear */
    }
}

static struct timer_dev gpt_dev = {.program_ns = gpt_program_ns,
                                   .ack = gpt_ack};

static const struct timer_dev *gpt_probe(const struct board_device *dev,
                                         void *const *regs)
{
    gpt_init(regs[0], dev->hz);
    gpt_dev.hz = dev->hz;
    return &gpt_dev;
}

HV_DRIVER(omap_gptimer, timer, gpt_probe, ("GPTIMER"), DRIVER_IRQ | DRIVER_HZ,
          "ti,omap3430-timer");

static volatile uint32_t *cnt32k_regs;
static uint32_t cnt32k_last;
static uint64_t cnt32k_high;
static uint32_t cnt32k_start; /* the count at probe: time 0 */

/* Ticks since the probe. A read at least once per 36 hours (every clock
 * read and tick does one) keeps the 64-bit count. */
static uint64_t cnt32k_counter(void)
{
    uint32_t now = cnt32k_regs[CNT32K_CR / 4];

    if (now < cnt32k_last) {
        cnt32k_high += 1ull << 32;
    }
    cnt32k_last = now;
    return (cnt32k_high | now) - cnt32k_start;
}

static struct timer_dev cnt32k_dev = {.counter = cnt32k_counter,
                                      .hz = CNT32K_HZ};

static const struct timer_dev *cnt32k_probe(const struct board_device *dev,
                                            void *const *regs)
{
    (void)dev;
    cnt32k_regs = regs[0];
    cnt32k_start = cnt32k_regs[CNT32K_CR / 4];
    cnt32k_last = cnt32k_start;
    cnt32k_high = 0;
    return &cnt32k_dev;
}

HV_DRIVER(omap_counter32k, clock, cnt32k_probe, ("32k sync counter"), 0,
          "ti,omap-counter32k");
