/* SPDX-License-Identifier: MIT */
/*
 * What the manifest gives each guest of the board, and whether it may:
 * a device region is never RAM in any view the board description gives
 * (its memory nodes and their aliases), never a device the monitor drives,
 * never another guest's, and a DMA master only with the manifest's
 * explicit consent, because without an IOMMU it reaches all memory.
 *
 * Used by the monitor at boot and by hvpack at pack time (loader/), so it
 * reports into a buffer and never prints or halts.
 */
#include "hv/assign.h"

#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include "hv/fdt_util.h"

#define WHAT "manifest"

static bool assign_fail(const void *fdt, int node, const char *prop,
                        const char *problem, char *err, size_t err_size)
{
    return fdt_util_fail(fdt, node, prop, problem, WHAT, err, err_size);
}

static bool assign_irqs(const void *fdt, int node, struct assign *hw, char *err,
                        size_t err_size)
{
    int len;
    const fdt32_t *cells = fdt_getprop(fdt, node, "interrupts", &len);
    if (!cells) {
        return true;
    }
    if (len % 4 != 0 || len == 0 || (size_t)len / 4 > ARRAY_SIZE(hw->irqs)) {
        return assign_fail(fdt, node, "interrupts",
                           "must list 1 to 8 GIC interrupt IDs", err, err_size);
    }
    hw->irq_count = (uint32_t)len / 4;
    for (uint32_t i = 0; i < hw->irq_count; i++) {
        hw->irqs[i] = fdt32_to_cpu(cells[i]);
        if (hw->irqs[i] < 32 || hw->irqs[i] > 1019) {
            return assign_fail(fdt, node, "interrupts",
                               "names an ID outside the shared "
                               "peripheral interrupts 32-1019",
                               err, err_size);
        }
    }
    return true;
}

static bool assign_devices(const void *fdt, int node, struct assign *hw,
                           char *err, size_t err_size)
{
    int len;
    const fdt32_t *cells = fdt_getprop(fdt, node, "device-regions", &len);
    if (!cells) {
        return true;
    }
    if (len % 8 != 0 || len == 0 || (size_t)len / 8 > ARRAY_SIZE(hw->devices)) {
        return assign_fail(fdt, node, "device-regions",
                           "must list 1 to 4 <address size> pairs", err,
                           err_size);
    }
    hw->device_count = (uint32_t)len / 8;
    for (uint32_t i = 0; i < hw->device_count; i++) {
        uint32_t pa = fdt32_to_cpu(cells[2 * i]);
        uint32_t size = fdt32_to_cpu(cells[2 * i + 1]);
        if (size == 0 || !IS_ALIGNED(pa, 4096u) || !IS_ALIGNED(size, 4096u) ||
            pa + size - 1 < pa) {
            return assign_fail(fdt, node, "device-regions",
                               "needs 4 KiB-aligned, non-empty "
                               "regions below 4 GiB",
                               err, err_size);
        }
        hw->devices[i].pa = pa;
        hw->devices[i].size = size;
    }
    return true;
}

/*
 * "dma-capable-regions": the integrator's statement that these device
 * regions can bus-master, and so that the guest is trusted with all
 * memory. Each entry repeats a "device-regions" pair exactly, so a region
 * is either acknowledged as a whole or not at all.
 */
static bool assign_dma(const void *fdt, int node, struct assign *hw, char *err,
                       size_t err_size)
{
    static const char prop[] = "dma-capable-regions";
    int len;
    const fdt32_t *cells = fdt_getprop(fdt, node, prop, &len);
    if (!cells) {
        return true;
    }
    if (len % 8 != 0 || len == 0 || (size_t)len / 8 > ARRAY_SIZE(hw->devices)) {
        return assign_fail(fdt, node, prop,
                           "must list 1 to 4 <address size> pairs", err,
                           err_size);
    }
    for (int i = 0; i < len / 8; i++) {
        uint32_t pa = fdt32_to_cpu(cells[2 * i]);
        uint32_t size = fdt32_to_cpu(cells[2 * i + 1]);
        uint32_t d = 0;
        while (d < hw->device_count &&
               (hw->devices[d].pa != pa || hw->devices[d].size != size)) {
            d++;
        }
        if (d == hw->device_count) {
            char problem[96];
            snprintf(problem, sizeof(problem),
                     "names <0x%08x 0x%x>, which is not a pair of "
                     "'device-regions'",
                     (unsigned)pa, (unsigned)size);
            return assign_fail(fdt, node, prop, problem, err, err_size);
        }
        hw->dma_mask |= 1u << d;
    }
    return true;
}

bool assign_parse(const void *fdt, int node, struct assign *hw, char *err,
                  size_t err_size)
{
    memset(hw, 0, sizeof(*hw));
    return assign_irqs(fdt, node, hw, err, err_size) &&
           assign_devices(fdt, node, hw, err, err_size) &&
           assign_dma(fdt, node, hw, err, err_size);
}

/* [base, base + size) as a 64-bit end: a range may end exactly at 4 GiB. */
static bool assign_overlap(uint32_t a, uint32_t a_size, uint32_t b,
                           uint32_t b_size)
{
    return a < (uint64_t)b + b_size && b < (uint64_t)a + a_size;
}

static unsigned int assign_last(uint32_t base, uint32_t size)
{
    return (unsigned)(base + size - 1);
}

/* Checks @dev of guest @g against every board window. */
static bool assign_check_windows(const struct board_desc *b,
                                 const struct assign_guest *g, uint32_t d,
                                 uint32_t kind, char *err, size_t err_size)
{
    const struct vm_device *dev = &g->hw->devices[d];
    for (uint32_t i = 0; i < b->window_count; i++) {
        const struct board_window *w = &b->windows[i];
        if (w->kind != kind ||
            !assign_overlap(dev->pa, dev->size, w->base, w->size)) {
            continue;
        }
        if (kind == BOARD_WINDOW_RAM) {
            snprintf(err, err_size,
                     WHAT ": guest '%s': device region 0x%08x-0x%08x is RAM "
                          "(0x%08x-0x%08x, %s)",
                     g->name, (unsigned)dev->pa,
                     assign_last(dev->pa, dev->size), (unsigned)w->base,
                     assign_last(w->base, w->size), w->node);
            return false;
        }
        if (kind == BOARD_WINDOW_RAM_ALIAS) {
            snprintf(err, err_size,
                     WHAT ": guest '%s': device region 0x%08x-0x%08x is RAM "
                          "(0x%08x-0x%08x is an alias of 0x%08x, %s)",
                     g->name, (unsigned)dev->pa,
                     assign_last(dev->pa, dev->size), (unsigned)w->base,
                     assign_last(w->base, w->size), (unsigned)w->ram, w->node);
            return false;
        }
        if (kind == BOARD_WINDOW_MONITOR) {
            snprintf(err, err_size,
                     WHAT ": guest '%s': device region 0x%08x-0x%08x holds "
                          "%s, which only the monitor may use",
                     g->name, (unsigned)dev->pa,
                     assign_last(dev->pa, dev->size), w->node);
            return false;
        }
        if (!(g->hw->dma_mask & (1u << d))) {
            snprintf(err, err_size,
                     WHAT ": guest '%s': device region 0x%08x-0x%08x holds "
                          "DMA master %s, which reaches all memory, and is "
                          "not in 'dma-capable-regions'",
                     g->name, (unsigned)dev->pa,
                     assign_last(dev->pa, dev->size), w->node);
            return false;
        }
    }
    return true;
}

/*
 * The monitor's own devices, each as the 4 KiB pages its reg covers: a
 * guest mapping any of them could mask interrupts, stop the preemption
 * timer or write the console.
 */
static bool assign_check_monitor(const struct board_desc *b,
                                 const struct assign_guest *g,
                                 const struct vm_device *dev, char *err,
                                 size_t err_size)
{
    for (unsigned int k = 0; k < DRIVER_KINDS; k++) {
        const struct board_device *mine = &b->devices[k];
        for (uint32_t r = 0; mine->driver && r < mine->reg_count; r++) {
            uint32_t pa = (uint32_t)pa_addr(mine->reg[r].base);
            uint32_t first = pa & ~0xfffu;
            uint64_t end = ALIGN_UP((uint64_t)pa + mine->reg[r].size, 4096u);
            if (!assign_overlap(dev->pa, dev->size, first,
                                (uint32_t)(end - first))) {
                continue;
            }
            snprintf(err, err_size,
                     WHAT ": guest '%s': device region 0x%08x-0x%08x holds "
                          "the monitor's %s (0x%08x-0x%08x)",
                     g->name, (unsigned)dev->pa,
                     assign_last(dev->pa, dev->size), mine->driver->regs[r],
                     (unsigned)first, (unsigned)(end - 1));
            return false;
        }
    }
    return true;
}

static bool assign_check_devices(const struct board_desc *b,
                                 const struct assign_guest *guests,
                                 unsigned int g, char *err, size_t err_size)
{
    const struct assign_guest *c = &guests[g];
    for (uint32_t d = 0; d < c->hw->device_count; d++) {
        const struct vm_device *dev = &c->hw->devices[d];
        if (!assign_check_windows(b, c, d, BOARD_WINDOW_RAM, err, err_size) ||
            !assign_check_windows(b, c, d, BOARD_WINDOW_RAM_ALIAS, err,
                                  err_size) ||
            !assign_check_windows(b, c, d, BOARD_WINDOW_MONITOR, err,
                                  err_size) ||
            !assign_check_monitor(b, c, dev, err, err_size)) {
            return false;
        }
        /* Two guests driving one device would corrupt each other's use
         * of it; nothing in the monitor arbitrates. */
        for (unsigned int o = 0; o < g; o++) {
            const struct assign *other = guests[o].hw;
            for (uint32_t e = 0; e < other->device_count; e++) {
                const struct vm_device *od = &other->devices[e];
                if (assign_overlap(dev->pa, dev->size, od->pa, od->size)) {
                    snprintf(err, err_size,
                             WHAT ": guest '%s': device region "
                                  "0x%08x-0x%08x overlaps device region "
                                  "0x%08x-0x%08x of guest '%s'",
                             c->name, (unsigned)dev->pa,
                             assign_last(dev->pa, dev->size), (unsigned)od->pa,
                             assign_last(od->pa, od->size), guests[o].name);
                    return false;
                }
            }
        }
        if (!assign_check_windows(b, c, d, BOARD_WINDOW_DMA, err, err_size)) {
            return false;
        }
    }
    return true;
}

static bool assign_check_irqs(const struct board_desc *b,
                              const struct assign_guest *guests, unsigned int g,
                              char *err, size_t err_size)
{
    const struct assign_guest *c = &guests[g];
    for (uint32_t i = 0; i < c->hw->irq_count; i++) {
        uint32_t irq = c->hw->irqs[i];
        bool mine = false;
        for (unsigned int k = 0; k < DRIVER_KINDS; k++) {
            const struct driver *d = b->devices[k].driver;
            mine |= d && (d->flags & DRIVER_IRQ) && b->devices[k].irq == irq;
        }
        if (mine) {
            snprintf(err, err_size,
                     WHAT ": guest '%s': interrupt %u is the monitor's",
                     c->name, (unsigned)irq);
            return false;
        }
        for (unsigned int o = 0; o < g; o++) {
            for (uint32_t j = 0; j < guests[o].hw->irq_count; j++) {
                if (guests[o].hw->irqs[j] == irq) {
                    snprintf(err, err_size,
                             WHAT ": guests '%s' and '%s' both claim "
                                  "interrupt %u",
                             guests[o].name, c->name, (unsigned)irq);
                    return false;
                }
            }
        }
    }
    return true;
}

bool assign_check(const struct board_desc *board,
                  const struct assign_guest *guests, unsigned int count,
                  char *err, size_t err_size)
{
    for (unsigned int g = 0; g < count; g++) {
        if (!assign_check_devices(board, guests, g, err, err_size) ||
            !assign_check_irqs(board, guests, g, err, err_size)) {
            return false;
        }
    }
    return true;
}

bool assign_dma_warning(const struct assign_guest *guest, char *buf,
                        size_t size)
{
    const struct assign *hw = guest->hw;
    if (!hw->dma_mask) {
        return false;
    }
    int n = snprintf(buf, size,
                     "WARNING: guest '%s' is trusted with all memory (no "
                     "IOMMU): DMA-capable device region(s)",
                     guest->name);
    for (uint32_t d = 0; d < hw->device_count; d++) {
        if ((hw->dma_mask & (1u << d)) && n >= 0 && (size_t)n < size) {
            n += snprintf(buf + n, size - (size_t)n, " 0x%08x-0x%08x",
                          (unsigned)hw->devices[d].pa,
                          assign_last(hw->devices[d].pa, hw->devices[d].size));
        }
    }
    return true;
}
