/* SPDX-License-Identifier: MIT */
/* What the monitor needs from the board's device tree. */
#ifndef HV_BOARD_H
#define HV_BOARD_H

#include "hv/driver.h"
#include "hv/types.h"

/*
 * Physical address windows of the board other than the monitor's own
 * devices. No guest device region may overlap RAM in any of its views; one
 * overlapping a DMA master needs the manifest's consent (hv/core/assign.c).
 */
enum board_window_kind {
    BOARD_WINDOW_RAM,       /* a reg entry of a "memory" node */
    BOARD_WINDOW_RAM_ALIAS, /* an "hv,ram-aliases" triplet of one */
    BOARD_WINDOW_DMA,       /* a reg entry of a node with "hv,dma-master" */
    BOARD_WINDOW_MONITOR,   /* a reg entry of a node with "hv,monitor-only" */
};

#define BOARD_MAX_WINDOWS 48

struct board_window {
    uint32_t kind; /* enum board_window_kind */
    uint32_t base;
    uint32_t size; /* base + size <= 4 GiB */
    uint32_t ram;  /* BOARD_WINDOW_RAM_ALIAS: the RAM address base shows */
    char node[80]; /* the node's path, for messages */
};

#define BOARD_DEVICE_REGS 2

/* The largest board tree the monitor copies from a boot loader: Linux's
 * omap4-panda-es.dtb, every node of the SoC, is about 95 KB. */
#define BOARD_FDT_MAX (128u * 1024u)

/*
 * A device the monitor drives itself: the board's node for one role
 * (enum driver_kind) and the driver that matched its compatible.
 */
struct board_device {
    const struct driver *driver; /* NULL: none (an optional role) */
    char node[80];               /* the node's path, for messages */
    uint32_t reg_count;          /* as many as the driver names */
    struct {
        paddr_t base;
        uint32_t size;
    } reg[BOARD_DEVICE_REGS];
    uint32_t irq; /* DRIVER_IRQ: its first interrupt, as the controller
                     numbers it (a GIC interrupt ID; an INTC line) */
    uint32_t hz;  /* DRIVER_HZ: its "clock-frequency" */
    /* "hv,enable" (no value): the monitor turns the device on if the boot
     * loader left it off (an outer cache). */
    bool enable;
    /* "hv,smc-control": the secure monitor function that writes its
     * control register (OMAP4's PL310: 0x102), 0 for a plain write. */
    uint32_t smc_control;
};

struct board_desc {
    char model[48];
    paddr_t ram_base; /* the RAM the monitor manages: the first "memory" */
    uint32_t ram_size;
    struct board_device devices[DRIVER_KINDS]; /* by enum driver_kind */
    /* The controller's #interrupt-cells: 3, GIC cells (IDs 16-1019); 1,
     * a line number (below 1020). */
    uint32_t irq_cells;
    uint32_t window_count;
    struct board_window windows[BOARD_MAX_WINDOWS];
};

/**
 * Reads @fdt into @board: RAM, windows, and for each role the node the
 * board designates (the console: /chosen "stdout-path"; the interrupt
 * controller: the root's "interrupt-parent", else the node marked
 * "interrupt-controller"), else the first node compatible with a driver
 * of that role, and its driver. On failure writes a one-line reason
 * naming the node and property, or the compatible no driver handles, to
 * @err and returns false.
 */
bool board_parse(const void *fdt, struct board_desc *board, char *err,
                 size_t err_size);

#endif /* HV_BOARD_H */
