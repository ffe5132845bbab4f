/* SPDX-License-Identifier: MIT */
/*
 * ARM SP804 dual timer. Timer 1 raises the monitor's timer interrupt,
 * one-shot; timer 2 runs freely as the clock on boards without a finer
 * one.
 */
#include <stdint.h>

#include "hv/board.h"
#include "hv/driver.h"
#include "hv/timer_dev.h"

#define T1 0x00
#define T2 0x20
#define LOAD 0x00
#define VALUE 0x04
#define CONTROL 0x08
#define INTCLR 0x0c
#define MIS 0x14
#define CTRL_ENABLE (1u << 7)
#define CTRL_PERIODIC (1u << 6)
#define CTRL_INTEN (1u << 5)
#define CTRL_32BIT (1u << 1)
#define CTRL_ONESHOT (1u << 0)

static volatile uint32_t *sp804_regs;
static uint32_t sp804_hz;
/* Ticks per ns as a 0.32 fixed-point fraction, rounded up (hz < 1 GHz):
 * the one-shot load without a run-time division (none on this core). */
static uint32_t sp804_ticks_per_ns;
static uint32_t sp804_last;
static uint64_t sp804_high;

static uint64_t sp804_counter(void);

static inline volatile uint32_t *sp804_reg(uint32_t offset)
{
    return sp804_regs + offset / 4;
}

static void sp804_init(void *base, uint32_t hz)
{
    sp804_regs = base;
    sp804_hz = hz;
    sp804_ticks_per_ns =
        (uint32_t)((((uint64_t)hz << 32) + 999999999u) / 1000000000u);
    *sp804_reg(T1 + CONTROL) = 0;
    *sp804_reg(T2 + CONTROL) = 0;
    *sp804_reg(T1 + INTCLR) = 1;
    /* Free-running: counts down from 0xffffffff and wraps. */
    *sp804_reg(T2 + LOAD) = 0xffffffffu;
    *sp804_reg(T2 + CONTROL) = CTRL_ENABLE | CTRL_32BIT;
    sp804_last = 0;
    sp804_high = 0;
}

static void sp804_program_ns(uint64_t ns)
{
    uint64_t ticks;

    /* Usually well under 4 s away: one 32x32 multiply then, its fraction
     * rounded up, so the count is the exact quotient's ceiling or one
     * more: never earlier than asked. An interrupt before the deadline
     * would find nothing due and cost a second one for the rest. */
    if (ns <= 0xffffffffu && sp804_hz < 1000000000u) {
        ticks =
            ((uint64_t)(uint32_t)ns * sp804_ticks_per_ns + 0xffffffffu) >> 32;
    } else {
        ticks = (ns / 1000u + 1u) * sp804_hz / 1000000u + 1u;
    }

    if (ticks == 0) {
        ticks = 1;
    } else if (ticks > 0xffffffffu) {
        ticks = 0xffffffffu;
    }
    *sp804_reg(T1 + CONTROL) = 0;
    *sp804_reg(T1 + INTCLR) = 1;
    *sp804_reg(T1 + LOAD) = (uint32_t)ticks;
    *sp804_reg(T1 + CONTROL) =
        CTRL_ENABLE | CTRL_ONESHOT | CTRL_INTEN | CTRL_32BIT;
}

static void sp804_tick_ack(void)
{
    if (!(*sp804_reg(T1 + MIS) & 1u)) {
        return;
    }
    *sp804_reg(T1 + INTCLR) = 1;
    /* Keep the 64-bit extension current: a tick comes well within one
     * wrap of timer 2. */
    (void)sp804_counter();
}

static uint64_t sp804_counter(void)
{
    uint32_t now = ~*sp804_reg(T2 + VALUE); /* counts up from 0 */
    if (now < sp804_last) {
        sp804_high += 1ull << 32;
    }
    sp804_last = now;
    return sp804_high | now;
}

static struct timer_dev sp804_dev = {.program_ns = sp804_program_ns,
                                     .ack = sp804_tick_ack,
                                     .counter = sp804_counter};

static const struct timer_dev *sp804_probe(const struct board_device *dev,
                                           void *const *regs)
{
    uint32_t pa = (uint32_t)pa_addr(dev->reg[0].base);
    sp804_init(regs[0], dev->hz);
    sp804_dev.hz = dev->hz;
    /* Timer 2's value register: readable by guests without a trap. */
    sp804_dev.guest_page = pa_init(pa & ~0xfffu);
    sp804_dev.guest_offset = (pa & 0xfffu) + T2 + VALUE;
    return &sp804_dev;
}

HV_DRIVER(sp804, timer, sp804_probe, ("SP804 timer"), DRIVER_IRQ | DRIVER_HZ,
          "arm,sp804");
