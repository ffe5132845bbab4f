/* SPDX-License-Identifier: MIT */
/*
 * The ARMv7 generic timer's driver (hv/drivers/arm/armv7_timer) against a
 * model of the CPU's timer registers: this file is the arch_gtimer_*
 * layer it calls (hv/arch/arm32/cpu.c on hardware), so the test sets the
 * count and the rate and sees what the driver programmed.
 */
#include <string.h>

#include "hv/arch.h"
#include "hv/board.h"
#include "hv/driver.h"
#include "hv/timer_dev.h"

#include "unit.h"

static uint32_t gt_freq;
static uint64_t gt_count;
static uint64_t gt_compare;
static bool gt_on;
static unsigned int gt_sets;

uint32_t arch_gtimer_frequency(void)
{
    return gt_freq;
}

uint64_t arch_gtimer_count(void)
{
    return gt_count;
}

void arch_gtimer_set(uint64_t compare, bool on)
{
    gt_compare = compare;
    gt_on = on;
    gt_sets++;
}

bool arch_gtimer_fired(void)
{
    return gt_on && gt_count >= gt_compare;
}

static const struct timer_dev *gt_setup(uint32_t hz, uint64_t count)
{
    const struct driver *d = driver_find(DRIVER_TIMER, "arm,armv7-timer");
    struct board_device dev = {.driver = d};
    void *windows[BOARD_DEVICE_REGS] = {NULL};

    gt_freq = hz;
    gt_count = count;
    gt_compare = 0x1234;
    gt_on = true; /* as firmware may leave it */
    gt_sets = 0;
    return d ? d->probe.timer(&dev, windows) : NULL;
}

TEST(armv7_timer, probe_takes_cntfrq_and_stops_the_timer)
{
    const struct timer_dev *t = gt_setup(62500000, 5);
    ASSERT_TRUE(t != NULL);
    EXPECT_EQ(t->hz, 62500000u);
    EXPECT_FALSE(gt_on);
    EXPECT_TRUE(t->counter != NULL && t->program_ns != NULL);
    EXPECT_EQ(pa_addr(t->guest_page), 0u); /* no memory-mapped counter */
    const struct driver *d = driver_find(DRIVER_TIMER, "arm,armv8-timer");
    ASSERT_TRUE(d != NULL);
    EXPECT_EQ(d->flags, DRIVER_IRQ); /* its PPI; no reg, no rate needed */
    EXPECT_TRUE(d->regs[0] == NULL);
}

TEST(armv7_timer, one_shot_from_now_never_early)
{
    static const uint32_t rates[] = {62500000, 24000000, 19200000, 1000000};
    static const uint64_t ns[] = {1,
                                  15,
                                  16,
                                  1000,
                                  10000000,
                                  999999999,
                                  4294967295ull,
                                  4294967296ull,
                                  90000000000ull};
    for (uint32_t r = 0; r < sizeof(rates) / sizeof(rates[0]); r++) {
        /* From a count past 32 bits: the compare value is 64 bits. */
        const struct timer_dev *t = gt_setup(rates[r], 0x123456789ull);
        ASSERT_TRUE(t != NULL);
        for (uint32_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
            t->program_ns(ns[i]);
            uint64_t ticks = gt_compare - gt_count;
            unsigned __int128 at = (unsigned __int128)ticks * 1000000000u;
            unsigned __int128 want = (unsigned __int128)ns[i] * rates[r];
            EXPECT_TRUE(gt_on);
            EXPECT_TRUE(ticks >= 1);
            EXPECT_TRUE(at >= want);
            EXPECT_TRUE(at <
                        want + 2000000000u +
                            (ns[i] > 0xffffffffu ? rates[r] * 1000ull : 0));
        }
    }
}

TEST(armv7_timer, ack_turns_it_off_only_when_it_fired)
{
    const struct timer_dev *t = gt_setup(62500000, 1000);
    ASSERT_TRUE(t != NULL);
    t->program_ns(1000000); /* 62,500 ticks on */
    unsigned int sets = gt_sets;
    gt_count += 100;
    t->ack(); /* not yet: nothing changes */
    EXPECT_TRUE(gt_on);
    EXPECT_EQ(gt_sets, sets);
    gt_count = gt_compare;
    t->ack(); /* fired: off until the next program_ns */
    EXPECT_FALSE(gt_on);
    EXPECT_FALSE(arch_gtimer_fired());
    /* The counter is the 64-bit count since the probe. */
    gt_count = 0x100000000ull + 1007;
    EXPECT_EQ(t->counter(), 0x100000007ull);
}

/* The count runs from power-on; the ABI's clock starts with the monitor,
 * whatever a boot loader ran before it. */
TEST(armv7_timer, counter_starts_at_the_probe)
{
    const struct timer_dev *t = gt_setup(62500000, 7ull * 62500000);
    ASSERT_TRUE(t != NULL);
    EXPECT_EQ(t->counter(), 0u);
    gt_count += 625;
    EXPECT_EQ(t->counter(), 625u);
}
