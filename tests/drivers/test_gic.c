/* SPDX-License-Identifier: MIT */
/*
 * The GIC driver (hv/drivers/arm/gic) against a register model: a GICv1
 * as on vexpress-a9 (96 lines) and the GICv2 of QEMU's virt used as one
 * (288 lines; its generic timer's PPI 14 is ID 30), and OMAP4's, reached
 * behind its wake-up generator (SPI 74, ID 106). The test reads what the
 * probe and each operation wrote.
 */
#include <string.h>

#include "hv/board.h"
#include "hv/driver.h"
#include "hv/irqchip.h"

#include "unit.h"

#define GICD_WORDS 1024u
#define GICC_WORDS 64u
static uint32_t gicd_regs[GICD_WORDS];
static uint32_t gicc_regs[GICC_WORDS];

#define GICD(offset) gicd_regs[(offset) / 4]
#define GICC(offset) gicc_regs[(offset) / 4]

static const struct irqchip_ops *gic_setup(const char *compatible,
                                           uint32_t typer)
{
    const struct driver *d = driver_find(DRIVER_IRQCHIP, compatible);
    if (!d) {
        return NULL;
    }
    memset(gicd_regs, 0, sizeof(gicd_regs));
    memset(gicc_regs, 0, sizeof(gicc_regs));
    GICD(0x004) = typer;
    GICD(0x000) = 1; /* as a boot loader may leave it */
    struct board_device dev = {.driver = d};
    void *windows[BOARD_DEVICE_REGS] = {gicd_regs, gicc_regs};
    return d->probe.irqchip(&dev, windows);
}

TEST(gic, probe_masks_everything_then_enables)
{
    const struct irqchip_ops *g = gic_setup("arm,cortex-a9-gic", 2);
    ASSERT_TRUE(g != NULL);
    for (uint32_t i = 0; i < 3; i++) {
        EXPECT_EQ(GICD(0x180 + 4 * i), 0xffffffffu); /* every line masked */
        EXPECT_EQ(GICD(0x280 + 4 * i), 0xffffffffu); /* and not pending */
    }
    EXPECT_EQ(GICD(0x180 + 4 * 3), 0u);       /* no line 96 on this one */
    EXPECT_EQ(GICD(0x400 + 32), 0xa0a0a0a0u); /* SPI priorities */
    EXPECT_EQ(GICD(0x800 + 92), 0x01010101u); /* to CPU 0 */
    EXPECT_EQ(GICD(0x000), 1u);
    EXPECT_EQ(GICC(0x04), 0xf0u);
    EXPECT_EQ(GICC(0x00), 1u);
}

TEST(gic, enable_disable_ack_end)
{
    const struct irqchip_ops *g = gic_setup("arm,cortex-a15-gic", 8);
    ASSERT_TRUE(g != NULL);
    g->enable(30); /* virt's generic timer: PPI 14 */
    EXPECT_EQ(GICD(0x100), 1u << 30);
    g->enable(106); /* SPI 74: OMAP4's UART3 */
    EXPECT_EQ(GICD(0x100 + 4 * 3), 1u << 10);
    g->disable(106);
    EXPECT_EQ(GICD(0x180 + 4 * 3), 1u << 10);
    GICD(0x100 + 4 * 9) = 0;
    g->enable(288); /* past the lines TYPER reports: nothing written */
    EXPECT_EQ(GICD(0x100 + 4 * 9), 0u);
    GICC(0x0c) = (2u << 10) | 30u; /* IAR: the source CPU bits go */
    EXPECT_EQ(g->ack(), 30u);
    GICC(0x0c) = 1023u;
    EXPECT_EQ(g->ack(), (uint32_t)IRQCHIP_SPURIOUS);
    g->end(30);
    EXPECT_EQ(GICC(0x10), 30u);
    EXPECT_TRUE(gic_setup("arm,pl390", 2) != NULL);
}
