/* SPDX-License-Identifier: MIT */
/*
 * The ARMv7 generic timer ("arm,armv7-timer": Cortex-A7, A15 and QEMU's
 * virt board with them): its PL1 physical timer as the monitor's one-shot
 * event timer and its 64-bit count as the clock. Its registers are CP15's
 * (c14), reached through arch_gtimer_*: the node has no reg. The
 * interrupt is the timer's PPI, the board's first "interrupts" entry (the
 * non-secure physical one, PPI 14, on a core without the Security
 * Extensions' secure state in use; board/virt.dts names only that one).
 * The rate is CNTFRQ, as firmware left it (QEMU sets it; firmware on
 * hardware must, as Linux expects too).
 *
 * Guests get no trap-free counter page from it (the guest ABI's page is a
 * memory-mapped down counter); they read the clock with HV_OP_CLOCK_READ.
 */
#include <stdint.h>

#include "hv/arch.h"
#include "hv/board.h"
#include "hv/driver.h"
#include "hv/timer_dev.h"

static uint32_t gtimer_hz;
static uint32_t gtimer_ticks_per_ns; /* timer_dev_ticks_per_ns */

static void gtimer_program_ns(uint64_t ns)
{
    arch_gtimer_set(arch_gtimer_count() +
                        timer_dev_ticks(ns, gtimer_hz, gtimer_ticks_per_ns),
                    true);
}

/* The condition stays met while the count is past the compare value: the
 * timer is turned off until the next program_ns. */
static void gtimer_ack(void)
{
    if (arch_gtimer_fired()) {
        arch_gtimer_set(0, false);
    }
}

static uint64_t gtimer_start; /* the count at probe: time 0 */

/* Ticks since the probe: the count runs from power-on, and a boot loader
 * (U-Boot) may have run for seconds; the guest ABI's clock starts with
 * the monitor. */
static uint64_t gtimer_counter(void)
{
    return arch_gtimer_count() - gtimer_start;
}

static struct timer_dev gtimer_dev = {.program_ns = gtimer_program_ns,
                                      .ack = gtimer_ack,
                                      .counter = gtimer_counter};

static const struct timer_dev *gtimer_probe(const struct board_device *dev,
                                            void *const *regs)
{
    (void)regs;
    (void)dev;
    gtimer_hz = arch_gtimer_frequency();
    gtimer_ticks_per_ns = timer_dev_ticks_per_ns(gtimer_hz);
    gtimer_dev.hz = gtimer_hz;
    arch_gtimer_set(0, false);
    gtimer_start = arch_gtimer_count();
    return &gtimer_dev;
}

HV_DRIVER(armv7_timer, timer, gtimer_probe, (NULL), DRIVER_IRQ,
          "arm,armv7-timer", "arm,armv8-timer");
