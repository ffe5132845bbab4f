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

/* The reg entry @index of @node: one address cell, one size cell. */
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
    *addr = pa_init(fdt32_to_cpu(reg[index * 2]));
    *size = fdt32_to_cpu(reg[index * 2 + 1]);
    if (*size == 0) {
        return board_fail_node(fdt, node, "reg", "has a zero size", err,
                               err_size);
    }
    return true;
}

static bool board_irq(const void *fdt, int node, uint32_t *irq, char *err,
                      size_t err_size)
{
    int len;
    const fdt32_t *cells = fdt_getprop(fdt, node, "interrupts", &len);
    if (!cells) {
        return board_fail_node(fdt, node, "interrupts", "is missing", err,
                               err_size);
    }
    if (len < 12) {
        return board_fail_node(fdt, node, "interrupts",
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
        return board_fail_node(fdt, node, "interrupts",
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

/* The RAM the monitor manages: the first reg entry of the first memory
 * node (/memory, else by device_type). Returns the node, or -1. */
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
        return board_fail_node(fdt, node, prop,
                               "makes more than 16 RAM, RAM alias and DMA "
                               "master windows (BOARD_MAX_WINDOWS)",
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

/*
 * The node the board designates for @kind: the console by /chosen
 * "stdout-path" (a path or an alias, options after ':' ignored), the
 * interrupt controller by the root's "interrupt-parent", else as the node
 * marked "interrupt-controller". -1 if it designates none; -2 (and @err)
 * if the designation is broken.
 */
static int board_designated(const void *fdt, uint32_t kind, char *err,
                            size_t err_size)
{
    int len;
    if (kind == DRIVER_UART) {
        int chosen = fdt_path_offset(fdt, "/chosen");
        const char *path =
            chosen >= 0 ? fdt_getprop(fdt, chosen, "stdout-path", &len) : NULL;
        if (!path) {
            return -1;
        }
        const char *end = memchr(path, ':', (size_t)len);
        int node = fdt_path_offset_namelen(
            fdt, path,
            end ? (int)(end - path) : (int)strnlen(path, (size_t)len));
        if (node < 0) {
            board_fail_node(fdt, chosen, "stdout-path", "names no node", err,
                            err_size);
            return -2;
        }
        return node;
    }
    if (kind != DRIVER_IRQCHIP) {
        return -1;
    }
    const fdt32_t *parent = fdt_getprop(fdt, 0, "interrupt-parent", &len);
    if (parent) {
        /* By value: a phandle is the cell of a "phandle" property. */
        int node = len == 4 ? fdt_node_offset_by_prop_value(fdt, -1, "phandle",
                                                            parent, 4)
                            : -1;
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

/* The first node compatible with a driver of @kind, in the registry's
 * order; -1 if none is, with a message listing what would do. */
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
            int node = fdt_node_offset_by_compatible(fdt, -1, *c);
            if (node >= 0) {
                *driver = d;
                return node;
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

/* The device of @kind: its node, driver, reg windows, interrupt and
 * rate. Only the clock is optional. */
static bool board_device(const void *fdt, uint32_t kind,
                         struct board_device *dev, char *err, size_t err_size)
{
    const struct driver *d = NULL;
    int node = board_designated(fdt, kind, err, err_size);
    if (node == -2) {
        return false;
    }
    if (node >= 0) {
        d = board_match(fdt, node, kind, err, err_size);
        if (!d) {
            return false;
        }
    } else {
        node = board_search(fdt, kind, &d, err, err_size);
        if (node < 0) {
            return kind == DRIVER_CLOCK;
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
            return false;
        }
    }
    return (!(d->flags & DRIVER_IRQ) ||
            board_irq(fdt, node, &dev->irq, err, err_size)) &&
           (!(d->flags & DRIVER_HZ) ||
            board_hz(fdt, node, &dev->hz, err, err_size));
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
    for (uint32_t kind = 0; kind < DRIVER_KINDS; kind++) {
        if (!board_device(fdt, kind, &board->devices[kind], err, err_size)) {
            return false;
        }
    }
    return true;
}
