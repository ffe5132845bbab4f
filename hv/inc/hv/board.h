/* SPDX-License-Identifier: MIT */
/* What the monitor needs from the board's device tree. */
#ifndef HV_BOARD_H
#define HV_BOARD_H

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

#define BOARD_MAX_WINDOWS 16

struct board_window {
    uint32_t kind; /* enum board_window_kind */
    uint32_t base;
    uint32_t size; /* base + size <= 4 GiB */
    uint32_t ram;  /* BOARD_WINDOW_RAM_ALIAS: the RAM address base shows */
    char node[48]; /* the node's path, for messages */
};

struct board_desc {
    char model[48];
    paddr_t ram_base; /* the RAM the monitor manages: the first "memory" */
    uint32_t ram_size;
    paddr_t uart; /* "arm,pl011": the console */
    uint32_t uart_size;
    uint32_t uart_irq; /* its receive interrupt */
    paddr_t gic_dist;  /* "arm,cortex-a9-gic" or "arm,pl390" */
    uint32_t gic_dist_size;
    paddr_t gic_cpu;
    uint32_t gic_cpu_size;
    paddr_t timer; /* "arm,sp804": preemption and clock */
    uint32_t timer_size;
    uint32_t timer_irq;    /* GIC interrupt ID of its first timer */
    uint32_t timer_hz;     /* its "clock-frequency" */
    bool has_global_timer; /* "arm,cortex-a9-global-timer" */
    paddr_t global_timer;
    uint32_t global_timer_size;
    uint32_t global_timer_hz;
    uint32_t window_count;
    struct board_window windows[BOARD_MAX_WINDOWS];
};

/**
 * Reads @fdt into @board. On failure writes a one-line reason naming the
 * node and property to @err and returns false.
 */
bool board_parse(const void *fdt, struct board_desc *board, char *err,
                 size_t err_size);

#endif /* HV_BOARD_H */
