/* SPDX-License-Identifier: MIT */
/* ARM Generic Interrupt Controller v1, as on Cortex-A9 MPCore and PL390,
 * and v2 (Cortex-A15, QEMU virt) used as one: no security groups, no
 * virtualization interface. */
#include <stdint.h>

#include "hv/board.h"
#include "hv/driver.h"
#include "hv/irqchip.h"

#define GICD_CTLR 0x000
#define GICD_TYPER 0x004
#define GICD_ISENABLER 0x100
#define GICD_ICENABLER 0x180
#define GICD_ICPENDR 0x280
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICC_CTLR 0x00
#define GICC_PMR 0x04
#define GICC_IAR 0x0c
#define GICC_EOIR 0x10

static volatile uint32_t *gic_dist;
static volatile uint32_t *gic_cpu;
static uint32_t gic_lines;

static inline volatile uint32_t *gicd(uint32_t offset)
{
    return gic_dist + offset / 4;
}

static inline volatile uint32_t *gicc(uint32_t offset)
{
    return gic_cpu + offset / 4;
}

static void gic_init(void *dist, void *cpu)
{
    gic_dist = dist;
    gic_cpu = cpu;
    *gicd(GICD_CTLR) = 0;
    gic_lines = ((*gicd(GICD_TYPER) & 0x1fu) + 1) * 32;
    for (uint32_t i = 0; i < gic_lines; i += 32) {
        *gicd(GICD_ICENABLER + i / 8) = 0xffffffffu;
        *gicd(GICD_ICPENDR + i / 8) = 0xffffffffu;
    }
    for (uint32_t i = 32; i < gic_lines; i += 4) {
        *gicd(GICD_IPRIORITYR + i) = 0xa0a0a0a0u;
        *gicd(GICD_ITARGETSR + i) = 0x01010101u;
    }
    *gicd(GICD_CTLR) = 1;
    *gicc(GICC_PMR) = 0xf0;
    *gicc(GICC_CTLR) = 1;
}

static void gic_enable(uint32_t irq)
{
    if (irq < gic_lines) {
        *gicd(GICD_ISENABLER + (irq / 32) * 4) = 1u << (irq % 32);
    }
}

static void gic_disable(uint32_t irq)
{
    if (irq < gic_lines) {
        *gicd(GICD_ICENABLER + (irq / 32) * 4) = 1u << (irq % 32);
    }
}

static uint32_t gic_ack(void)
{
    return *gicc(GICC_IAR) & 0x3ffu;
}

static void gic_end(uint32_t irq)
{
    *gicc(GICC_EOIR) = irq;
}

static const struct irqchip_ops gic_ops = {gic_ack, gic_end, gic_enable,
                                           gic_disable};

static const struct irqchip_ops *gic_probe(const struct board_device *dev,
                                           void *const *regs)
{
    (void)dev;
    gic_init(regs[0], regs[1]);
    return &gic_ops;
}

HV_DRIVER(gic, irqchip, gic_probe, ("GIC distributor", "GIC CPU interface"), 0,
          "arm,cortex-a9-gic", "arm,pl390", "arm,cortex-a15-gic");
