/* SPDX-License-Identifier: MIT */
/*
 * The board description: the project's own device tree for each board
 * (hv/boards/<board>.dts). Every node and property the monitor needs is checked
 * here, and a missing or malformed one stops boot with its name.
 */
#include "hv/board.h"

#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include "hv/fdt_util.h"

#define WHAT "board device tree"

/* GIC "interrupts" cells: type (0 SPI, 1 PPI), number, flags. */
#define GIC_SPI 0
#define GIC_PPI 1

static bool board_fail_node(const void *fdt, int node, const char *prop,
                            const char *problem, char *err, size_t err_size)
{
    return fdt_util_fail(fdt, node, prop, problem, WHAT, err, err_size);
}

/*
 * @addr, an address on @node's bus, as the CPU sees it:
 * through the "ranges" of every bus up to the root (Linux's OMAP trees put
 * devices in target modules whose reg is an offset). One address and one
 * size cell on each side of every bus; an empty "ranges" is the identity.
 */
static bool board_translate(const void *fdt, int node, uint32_t *addr,
                            char *err, size_t err_size)
{
    for (int bus = fdt_parent_offset(fdt, node); bus > 0;
         bus = fdt_parent_offset(fdt, bus)) {
        int len;
        const fdt32_t *ranges = fdt_getprop(fdt, bus, "ranges", &len);
        if (!ranges) {
            return board_fail_node(fdt, bus, "ranges",
                                   "is missing: the bus does not map its "
                                   "children's reg into the CPU's addresses",
                                   err, err_size);
        }
        if (len == 0) {
            continue;
        }
        int up = fdt_parent_offset(fdt, bus);
        if (fdt_address_cells(fdt, bus) != 1 || fdt_size_cells(fdt, bus) != 1 ||
            fdt_address_cells(fdt, up) != 1 || len % 12 != 0) {
            return board_fail_node(fdt, bus, "ranges",
                                   "must be <child parent size> triplets of "
                                   "one cell each",
                                   err, err_size);
        }
        bool mapped = false;
        for (int i = 0; i < len / 12 && !mapped; i++) {
            uint32_t child = fdt32_to_cpu(ranges[3 * i]);
            uint32_t parent = fdt32_to_cpu(ranges[3 * i + 1]);
            uint32_t span = fdt32_to_cpu(ranges[3 * i + 2]);
            /* The start only, as Linux's of_translate_address: its OMAP4
             * trees give modules more reg than their range maps. */
            if (*addr >= child && *addr - child < span) {
                *addr = parent + (*addr - child);
                mapped = true;
            }
        }
        if (!mapped) {
            return board_fail_node(fdt, node, "reg",
                                   "lies outside every range its bus maps", err,
                                   err_size);
        }
    }
    return true;
}

/* The reg entry @index of @node, as the CPU addresses it: one address
 * cell, one size cell. */
static bool board_reg(const void *fdt, int node, int index, paddr_t *addr,
                      uint32_t *size, char *err, size_t err_size)
{
    int parent = fdt_parent_offset(fdt, node);
    int ac = fdt_address_cells(fdt, parent);
    int sc = fdt_size_cells(fdt, parent);
    if (ac != 1 || sc != 1) {
        return board_fail_node(fdt, node, "reg",
                               "needs #address-cells = "
                               "<1> and #size-cells = <1> in its parent",
                               err, err_size);
    }
    int len;
    const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
    if (!reg) {
        return board_fail_node(fdt, node, "reg", "is missing", err, err_size);
    }
    if (len % 8 != 0 || len < 8 * (index + 1)) {
        char problem[64];
        snprintf(problem, sizeof(problem),
                 "has %d bytes, needs at least "
                 "%d (address and size cells)",
                 len, 8 * (index + 1));
        return board_fail_node(fdt, node, "reg", problem, err, err_size);
    }
    uint32_t bus_addr = fdt32_to_cpu(reg[index * 2]);
    *size = fdt32_to_cpu(reg[index * 2 + 1]);
    if (*size == 0) {
        return board_fail_node(fdt, node, "reg", "has a zero size", err,
                               err_size);
    }
    if (!board_translate(fdt, node, &bus_addr, err, err_size)) {
        return false;
    }
    *addr = pa_init(bus_addr);
    return true;
}

/*
 * A wake-up generator that mirrors the GIC's interrupts one to one (OMAP4's
 * and OMAP5's, at the root's interrupt-parent in Linux's trees): the
 * monitor drives the GIC behind it.
 */
static const char *const board_transparent_irqchips[] = {
    "ti,omap4-wugen-mpu",
    "ti,omap5-wugen-mpu",
    NULL,
};

/* The node a phandle cell names, through transparent controllers. */
static int board_controller(const void *fdt, const fdt32_t *phandle)
{
    int node = fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(*phandle));
    for (int hops = 0; node >= 0 && hops < 4; hops++) {
        bool transparent = false;
        for (const char *const *c = board_transparent_irqchips; *c; c++) {
            transparent |= fdt_node_check_compatible(fdt, node, *c) == 0;
        }
        int len;
        const fdt32_t *up = fdt_getprop(fdt, node, "interrupt-parent", &len);
        if (!transparent || !up || len != 4) {
            return node;
        }
        node = fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(*up));
    }
    return node;
}

/* The controller @node's interrupts go to: its "interrupt-parent", else
 * its nearest ancestor's. -1 if none says. */
static int board_irq_parent(const void *fdt, int node)
{
    for (int n = node; n >= 0; n = n == 0 ? -1 : fdt_parent_offset(fdt, n)) {
        int len;
        const fdt32_t *p = fdt_getprop(fdt, n, "interrupt-parent", &len);
        if (p && len == 4) {
            return board_controller(fdt, p);
        }
    }
    return -1;
}

/*
 * @node's first interrupt as the monitor's interrupt controller (at
 * @irqchip) numbers it: one cell, a line number (OMAP3's INTC), or three
 * GIC cells <type number flags>, as the controller's #interrupt-cells
 * says (three where no interrupt-parent names one).
 */
static bool board_irq(const void *fdt, int node, int irqchip, uint32_t *irq,
                      char *err, size_t err_size)
{
    int len;
    int controller;
    const char *prop = "interrupts";
    const fdt32_t *cells = fdt_getprop(fdt, node, prop, &len);
    if (cells) {
        controller = board_irq_parent(fdt, node);
    } else {
        /* <controller cells...> pairs (Linux's BeagleBoard UART3: the
         * INTC's line and a pad's wake-up): the first one. */
        prop = "interrupts-extended";
        cells = fdt_getprop(fdt, node, prop, &len);
        if (!cells || len < 8) {
            return board_fail_node(fdt, node, "interrupts",
                                   "is missing (and no interrupts-extended)",
                                   err, err_size);
        }
        controller = board_controller(fdt, cells);
        cells++;
        len -= 4;
    }
    if (controller >= 0 && irqchip >= 0 && controller != irqchip) {
        return board_fail_node(fdt, node, prop,
                               "go to another controller than the one the "
                               "monitor drives",
                               err, err_size);
    }
    uint32_t count = 3;
    if (controller >= 0) {
        int n_len;
        const fdt32_t *n =
            fdt_getprop(fdt, controller, "#interrupt-cells", &n_len);
        if (!n || n_len != 4) {
            return board_fail_node(fdt, controller, "#interrupt-cells",
                                   "is missing or not one cell", err, err_size);
        }
        count = fdt32_to_cpu(*n);
    }
    if (count == 1) {
        *irq = fdt32_to_cpu(cells[0]);
        if (len < 4 || *irq >= 1020) {
            return board_fail_node(fdt, node, prop,
                                   "needs one cell, a line number below 1020",
                                   err, err_size);
        }
        return true;
    }
    if (count != 3) {
        return board_fail_node(fdt, controller, "#interrupt-cells",
                               "must be 1 (a line number) or 3 (GIC cells)",
                               err, err_size);
    }
    if (len < 12) {
        return board_fail_node(fdt, node, prop,
                               "needs three GIC "
                               "cells <type number flags>",
                               err, err_size);
    }
    uint32_t type = fdt32_to_cpu(cells[0]);
    uint32_t number = fdt32_to_cpu(cells[1]);
    if (type == GIC_SPI && number < 988) {
        *irq = number + 32;
    } else if (type == GIC_PPI && number < 16) {
        *irq = number + 16;
    } else {
        return board_fail_node(fdt, node, prop,
                               "names no valid GIC "
                               "SPI or PPI",
                               err, err_size);
    }
    return true;
}

static bool board_hz(const void *fdt, int node, uint32_t *hz, char *err,
                     size_t err_size)
{
    int rc =
        fdt_util_u32(fdt, node, "clock-frequency", hz, WHAT, err, err_size);
    if (rc == FDT_UTIL_MISSING) {
        return board_fail_node(fdt, node, "clock-frequency", "is missing", err,
                               err_size);
    }
    if (rc == FDT_UTIL_OK && *hz == 0) {
        return board_fail_node(fdt, node, "clock-frequency", "is zero", err,
                               err_size);
    }
    return rc == FDT_UTIL_OK;
}

static int board_reg_count(const void *fdt, int node);

/* The RAM the monitor manages: the first reg entry of the first memory
 * node (/memory, else by device_type), with the entries that continue it.
 * Returns the node, or -1. */
static int board_memory(const void *fdt, struct board_desc *board, char *err,
                        size_t err_size)
{
    int node = fdt_path_offset(fdt, "/memory");
    if (node < 0) {
        node = fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory",
                                             sizeof("memory"));
    }
    if (node < 0) {
        snprintf(err, err_size, WHAT ": no /memory node");
        return -1;
    }
    if (!board_reg(fdt, node, 0, &board->ram_base, &board->ram_size, err,
                   err_size)) {
        return -1;
    }
    /* Banks that follow on (U-Boot writes one reg entry per DRAM bank it
     * found: a PandaBoard's two 512 MiB) are one RAM. */
    for (int r = 1; r < board_reg_count(fdt, node); r++) {
        paddr_t base;
        uint32_t size;
        if (!board_reg(fdt, node, r, &base, &size, err, err_size)) {
            return -1;
        }
        uint64_t end = pa_addr(board->ram_base) + (uint64_t)board->ram_size;
        if (pa_addr(base) != end || end + size > 0x100000000ull) {
            break;
        }
        board->ram_size += size;
    }
    if (pa_addr(board->ram_base) + (uint64_t)board->ram_size > 0x100000000ull ||
        !IS_ALIGNED(pa_addr(board->ram_base), 0x100000u)) {
        board_fail_node(fdt, node, "reg",
                        "must describe 1 MiB-"
                        "aligned RAM below 4 GiB",
                        err, err_size);
        return -1;
    }
    return node;
}

/* How many <address size> entries @node's reg has (board_reg checked it). */
static int board_reg_count(const void *fdt, int node)
{
    int len;
    return fdt_getprop(fdt, node, "reg", &len) ? len / 8 : 0;
}

static bool board_add_window(const void *fdt, int node, const char *prop,
                             struct board_desc *board, uint32_t kind,
                             uint32_t base, uint32_t size, uint32_t ram,
                             char *err, size_t err_size)
{
    if (board->window_count == BOARD_MAX_WINDOWS) {
        return board_fail_node(
            fdt, node, prop,
            "makes more than 48 RAM, RAM alias, DMA master and "
            "monitor-only windows (BOARD_MAX_WINDOWS)",
            err, err_size);
    }
    if (size == 0 || base + (uint64_t)size > 0x100000000ull) {
        return board_fail_node(fdt, node, prop,
                               "must describe non-empty windows below 4 GiB",
                               err, err_size);
    }
    struct board_window *w = &board->windows[board->window_count++];
    w->kind = kind;
    w->base = base;
    w->size = size;
    w->ram = ram;
    fdt_util_path(fdt, node, w->node, sizeof(w->node));
    return true;
}

static bool board_is_memory(const void *fdt, int node)
{
    int len;
    const char *type = fdt_getprop(fdt, node, "device_type", &len);
    return type && len == sizeof("memory") &&
           memcmp(type, "memory", sizeof("memory")) == 0;
}

/*
 * "hv,ram-aliases" = <alias-address ram-address size> triplets: the RAM at
 * ram-address (inside this node's reg) also answers at alias-address. A
 * device region there would be that RAM, monitor and guests included.
 */
static bool board_ram_aliases(const void *fdt, int node,
                              struct board_desc *board, char *err,
                              size_t err_size)
{
    static const char prop[] = "hv,ram-aliases";
    int len;
    const fdt32_t *cells = fdt_getprop(fdt, node, prop, &len);
    if (!cells) {
        return true;
    }
    if (len == 0 || len % 12 != 0) {
        return board_fail_node(fdt, node, prop,
                               "must list <alias-address ram-address size> "
                               "triplets",
                               err, err_size);
    }
    for (int i = 0; i < len / 12; i++) {
        uint32_t alias = fdt32_to_cpu(cells[3 * i]);
        uint32_t ram = fdt32_to_cpu(cells[3 * i + 1]);
        uint32_t size = fdt32_to_cpu(cells[3 * i + 2]);
        bool inside = false;
        for (int r = 0; r < board_reg_count(fdt, node); r++) {
            paddr_t base;
            uint32_t rsize;
            if (!board_reg(fdt, node, r, &base, &rsize, err, err_size)) {
                return false;
            }
            inside |= ram >= pa_addr(base) &&
                      ram + (uint64_t)size <= pa_addr(base) + (uint64_t)rsize;
        }
        if (!inside) {
            return board_fail_node(fdt, node, prop,
                                   "names RAM outside this node's 'reg'", err,
                                   err_size);
        }
        if (!board_add_window(fdt, node, prop, board, BOARD_WINDOW_RAM_ALIAS,
                              alias, size, ram, err, err_size)) {
            return false;
        }
    }
    return true;
}

/*
 * The windows guest device regions are checked against: every reg entry
 * of every memory node (not only the RAM the monitor manages), their
 * aliases, the registers of every bus master the board marks with
 * "hv,dma-master" (no value), and of every device it marks
 * "hv,monitor-only" (no value): what no guest may ever drive (an outer
 * cache controller, whose invalidate would drop the monitor's writes; a
 * system controller that resets or reclocks the board).
 */
static bool board_windows(const void *fdt, int managed,
                          struct board_desc *board, char *err, size_t err_size)
{
    for (int node = fdt_next_node(fdt, -1, NULL); node >= 0;
         node = fdt_next_node(fdt, node, NULL)) {
        uint32_t kind;
        int len;
        if (node == managed || board_is_memory(fdt, node)) {
            kind = BOARD_WINDOW_RAM;
        } else if (fdt_getprop(fdt, node, "hv,monitor-only", &len)) {
            if (len != 0) {
                return board_fail_node(fdt, node, "hv,monitor-only",
                                       "takes no value", err, err_size);
            }
            /* Before a DMA master mark: consent must not lift it. */
            kind = BOARD_WINDOW_MONITOR;
        } else if (fdt_getprop(fdt, node, "hv,dma-master", &len)) {
            if (len != 0) {
                return board_fail_node(fdt, node, "hv,dma-master",
                                       "takes no value", err, err_size);
            }
            kind = BOARD_WINDOW_DMA;
        } else {
            continue;
        }
        paddr_t base;
        uint32_t size;
        if (!board_reg(fdt, node, 0, &base, &size, err, err_size)) {
            return false;
        }
        for (int r = 0; r < board_reg_count(fdt, node); r++) {
            if (!board_reg(fdt, node, r, &base, &size, err, err_size) ||
                !board_add_window(fdt, node, "reg", board, kind,
                                  (uint32_t)pa_addr(base), size, 0, err,
                                  err_size)) {
                return false;
            }
        }
        if (kind == BOARD_WINDOW_RAM &&
            !board_ram_aliases(fdt, node, board, err, err_size)) {
            return false;
        }
    }
    return true;
}

/* A node named by a property that is a phandle cell or a path (with an
 * alias allowed and ":options" ignored). -1 if @prop is absent; -2 (and
 * @err) if it names no node. */
static int board_named_node(const void *fdt, int at, const char *prop,
                            char *err, size_t err_size)
{
    int len;
    const char *value = at >= 0 ? fdt_getprop(fdt, at, prop, &len) : NULL;
    if (!value) {
        return -1;
    }
    int node;
    if (len == 4 && value[0] != '/') {
        node = fdt_node_offset_by_phandle(
            fdt, fdt32_to_cpu(*(const fdt32_t *)(const void *)value));
    } else {
        const char *end = memchr(value, ':', (size_t)len);
        node = fdt_path_offset_namelen(fdt, value,
                                       end ? (int)(end - value)
                                           : (int)strnlen(value, (size_t)len));
    }
    if (node < 0) {
        board_fail_node(fdt, at, prop, "names no node", err, err_size);
        return -2;
    }
    return node;
}

/*
 * The node the board designates for @kind: the console by /chosen
 * "stdout-path", the preemption timer and the clock by /chosen
 * "hv,timer" and "hv,clock" (a phandle or a path: Linux's trees list a
 * dozen GPTIMERs), the interrupt controller by the root's
 * "interrupt-parent" (through a wake-up generator in front of a GIC),
 * else as the node marked "interrupt-controller". -1 if it designates
 * none; -2 (and @err) if the designation is broken.
 */
static int board_designated(const void *fdt, uint32_t kind, char *err,
                            size_t err_size)
{
    static const char *const chosen_prop[DRIVER_KINDS] = {
        [DRIVER_UART] = "stdout-path",
        [DRIVER_TIMER] = "hv,timer",
        [DRIVER_CLOCK] = "hv,clock",
    };
    if (kind != DRIVER_IRQCHIP) {
        return chosen_prop[kind]
                   ? board_named_node(fdt, fdt_path_offset(fdt, "/chosen"),
                                      chosen_prop[kind], err, err_size)
                   : -1;
    }
    int len;
    const fdt32_t *parent = fdt_getprop(fdt, 0, "interrupt-parent", &len);
    if (parent) {
        int node = len == 4 ? board_controller(fdt, parent) : -1;
        if (node < 0) {
            board_fail_node(fdt, 0, "interrupt-parent", "names no node", err,
                            err_size);
            return -2;
        }
        return node;
    }
    for (int node = fdt_next_node(fdt, -1, NULL); node >= 0;
         node = fdt_next_node(fdt, node, NULL)) {
        if (fdt_getprop(fdt, node, "interrupt-controller", NULL)) {
            return node;
        }
    }
    return -1;
}

/* A node not switched off: "status" absent, "okay" or "ok". */
static bool board_node_enabled(const void *fdt, int node)
{
    int len;
    const char *status = fdt_getprop(fdt, node, "status", &len);
    return !status || strncmp(status, "okay", (size_t)len) == 0 ||
           strncmp(status, "ok", (size_t)len) == 0;
}

/* The driver of @kind for @node: the first registered one that handles
 * any of its compatible strings. */
static const struct driver *board_match(const void *fdt, int node,
                                        uint32_t kind, char *err,
                                        size_t err_size)
{
    const struct driver *d;
    for (size_t i = 0; (d = driver_at(i)) != NULL; i++) {
        for (const char *const *c = d->compatible; d->kind == kind && *c; c++) {
            if (fdt_node_check_compatible(fdt, node, *c) == 0) {
                return d;
            }
        }
    }
    int len;
    const char *c = fdt_getprop(fdt, node, "compatible", &len);
    char path[48];
    fdt_util_path(fdt, node, path, sizeof(path));
    snprintf(err, err_size,
             WHAT ": node %s: no driver for compatible \"%.*s\" (%s)", path,
             c ? (int)strnlen(c, (size_t)len) : 0, c ? c : "",
             driver_kind_name(kind));
    return NULL;
}

/* The first enabled node compatible with a driver of @kind, in the
 * registry's order; -1 if none is, with a message listing what would do. */
static int board_search(const void *fdt, uint32_t kind,
                        const struct driver **driver, char *err,
                        size_t err_size)
{
    const struct driver *d;
    size_t n =
        (size_t)snprintf(err, err_size, WHAT ": no node compatible with");
    const char *sep = " ";
    for (size_t i = 0; (d = driver_at(i)) != NULL; i++) {
        for (const char *const *c = d->compatible; d->kind == kind && *c; c++) {
            for (int node = fdt_node_offset_by_compatible(fdt, -1, *c);
                 node >= 0;
                 node = fdt_node_offset_by_compatible(fdt, node, *c)) {
                if (board_node_enabled(fdt, node)) {
                    *driver = d;
                    return node;
                }
            }
            if (n < err_size) {
                n += (size_t)snprintf(err + n, err_size - n, "%s\"%s\"", sep,
                                      *c);
            }
            sep = ", ";
        }
    }
    if (n < err_size) {
        snprintf(err + n, err_size - n, " (%s)", driver_kind_name(kind));
    }
    return -1;
}

/* The device of @kind: its node, driver, reg windows, interrupt (as
 * the controller at @irqchip numbers it) and rate. The clock, watchdog
 * and outer cache are optional. Returns its node; -1 if there is none
 * (an optional one); -2 and
 * @err if the board is wrong. */
static int board_device(const void *fdt, uint32_t kind, int irqchip,
                        struct board_device *dev, char *err, size_t err_size)
{
    const struct driver *d = NULL;
    int node = board_designated(fdt, kind, err, err_size);
    if (node == -2) {
        return -2;
    }
    if (node >= 0) {
        d = board_match(fdt, node, kind, err, err_size);
        if (!d) {
            return -2;
        }
    } else {
        node = board_search(fdt, kind, &d, err, err_size);
        if (node < 0) {
            return kind >= DRIVER_CLOCK ? -1 : -2; /* the optional ones */
        }
    }
    dev->driver = d;
    fdt_util_path(fdt, node, dev->node, sizeof(dev->node));
    for (dev->reg_count = 0;
         dev->reg_count < BOARD_DEVICE_REGS && d->regs[dev->reg_count];
         dev->reg_count++) {
        if (!board_reg(fdt, node, (int)dev->reg_count,
                       &dev->reg[dev->reg_count].base,
                       &dev->reg[dev->reg_count].size, err, err_size)) {
            return -2;
        }
    }
    int len;
    const fdt32_t *enable = fdt_getprop(fdt, node, "hv,enable", &len);
    if (enable && len != 0) {
        board_fail_node(fdt, node, "hv,enable", "takes no value", err,
                        err_size);
        return -2;
    }
    dev->enable = enable != NULL;
    if (fdt_util_u32(fdt, node, "hv,smc-control", &dev->smc_control, WHAT, err,
                     err_size) == FDT_UTIL_BAD) {
        return -2;
    }
    bool ok = (!(d->flags & DRIVER_IRQ) ||
               board_irq(fdt, node, irqchip, &dev->irq, err, err_size)) &&
              (!(d->flags & DRIVER_HZ) ||
               board_hz(fdt, node, &dev->hz, err, err_size));
    return ok ? node : -2;
}

bool board_parse(const void *fdt, struct board_desc *board, char *err,
                 size_t err_size)
{
    memset(board, 0, sizeof(*board));
    const char *model = fdt_getprop(fdt, 0, "model", NULL);
    snprintf(board->model, sizeof(board->model), "%s",
             model ? model : "(no model)");

    int memory = board_memory(fdt, board, err, err_size);
    if (memory < 0 || !board_windows(fdt, memory, board, err, err_size)) {
        return false;
    }
    /* The controller first: the others' interrupts are its numbers. */
    int irqchip = board_device(fdt, DRIVER_IRQCHIP, -1,
                               &board->devices[DRIVER_IRQCHIP], err, err_size);
    if (irqchip < 0) {
        return false;
    }
    const fdt32_t *cells = fdt_getprop(fdt, irqchip, "#interrupt-cells", NULL);
    board->irq_cells = cells && fdt32_to_cpu(*cells) == 1 ? 1 : 3;
    for (uint32_t kind = 0; kind < DRIVER_KINDS; kind++) {
        if (kind != DRIVER_IRQCHIP &&
            board_device(fdt, kind, irqchip, &board->devices[kind], err,
                         err_size) == -2) {
            return false;
        }
    }
    return true;
}
