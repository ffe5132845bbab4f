/* SPDX-License-Identifier: MIT */
/*
 * TI OMAP interrupt controller (INTCPS), as on OMAP3 (96 lines: OMAP34xx,
 * OMAP35xx, DM37xx of the BeagleBoard and BeagleBoard-xM) and AM33xx
 * (128). Every line is an IRQ (never FIQ) of one priority; the monitor
 * acknowledges the active one (SIR_IRQ) and lets the controller pick the
 * next (NEWIRQAGR) when it ends it. Its interrupt numbers are the lines'
 * (0-95), where a GIC's are SPIs from 32.
 */
#include <stdint.h>

#include "hv/board.h"
#include "hv/driver.h"
#include "hv/irqchip.h"

#define INTC_SYSCONFIG 0x10
#define INTC_SYSSTATUS 0x14
#define INTC_SIR_IRQ 0x40
#define INTC_CONTROL 0x48
#define INTC_THRESHOLD 0x68
#define INTC_MIR_CLEAR(bank) (0x88 + 0x20 * (bank))
#define INTC_MIR_SET(bank) (0x8c + 0x20 * (bank))
#define INTC_ILR(line) (0x100 + 4 * (line))

#define SYSCONFIG_SOFTRESET (1u << 1)
#define SYSSTATUS_RESETDONE (1u << 0)
#define SIR_ACTIVE_MASK 0x7fu
#define SIR_SPURIOUS_MASK 0xffffff80u /* all set: no valid interrupt */
#define CONTROL_NEWIRQAGR (1u << 0)
#define THRESHOLD_OFF 0xffu
/* Polls of RESETDONE before giving up on the soft reset: it takes a few
 * interface clocks (the TRM); a controller that never says so is left
 * as the boot loader set it, with every line masked below. */
#define INTC_RESET_POLLS 100000u

static volatile uint32_t *intc_regs;
static uint32_t intc_lines;

static inline volatile uint32_t *intc_reg(uint32_t offset)
{
    return intc_regs + offset / 4;
}

static void intc_init(void *base, uint32_t lines)
{
    intc_regs = base;
    intc_lines = lines;
    *intc_reg(INTC_SYSCONFIG) = SYSCONFIG_SOFTRESET;
    for (uint32_t i = 0; i < INTC_RESET_POLLS; i++) {
        if (*intc_reg(INTC_SYSSTATUS) & SYSSTATUS_RESETDONE) {
            break;
        }
    }
    for (uint32_t bank = 0; bank < lines / 32; bank++) {
        *intc_reg(INTC_MIR_SET(bank)) = 0xffffffffu;
    }
    for (uint32_t line = 0; line < lines; line++) {
        *intc_reg(INTC_ILR(line)) = 0; /* IRQ, priority 0 */
    }
    *intc_reg(INTC_THRESHOLD) = THRESHOLD_OFF;
    /* Whatever the boot loader left active is dropped. */
    *intc_reg(INTC_CONTROL) = CONTROL_NEWIRQAGR;
}

static uint32_t intc_ack(void)
{
    uint32_t sir = *intc_reg(INTC_SIR_IRQ);
    uint32_t line = sir & SIR_ACTIVE_MASK;

    if ((sir & SIR_SPURIOUS_MASK) != 0 || line >= intc_lines) {
        return IRQCHIP_SPURIOUS;
    }
    return line;
}

static void intc_end(uint32_t irq)
{
    (void)irq; /* the controller knows which is active */
    *intc_reg(INTC_CONTROL) = CONTROL_NEWIRQAGR;
}

static void intc_enable(uint32_t irq)
{
    if (irq < intc_lines) {
        *intc_reg(INTC_MIR_CLEAR(irq / 32)) = 1u << (irq % 32);
    }
}

static void intc_disable(uint32_t irq)
{
    if (irq < intc_lines) {
        *intc_reg(INTC_MIR_SET(irq / 32)) = 1u << (irq % 32);
    }
}

static const struct irqchip_ops intc_ops = {intc_ack, intc_end, intc_enable,
                                            intc_disable};

static const struct irqchip_ops *
intc_probe_omap3(const struct board_device *dev, void *const *regs)
{
    (void)dev;
    intc_init(regs[0], 96);
    return &intc_ops;
}

static const struct irqchip_ops *
intc_probe_am33xx(const struct board_device *dev, void *const *regs)
{
    (void)dev;
    intc_init(regs[0], 128);
    return &intc_ops;
}

HV_DRIVER(omap3_intc, irqchip, intc_probe_omap3, ("INTCPS"), 0,
          "ti,omap3-intc");
HV_DRIVER(am33xx_intc, irqchip, intc_probe_am33xx, ("INTCPS"), 0,
          "ti,am33xx-intc");
