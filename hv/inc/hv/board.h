/* SPDX-License-Identifier: MIT */
/* What the monitor needs from the board's device tree. */
#ifndef HV_BOARD_H
#define HV_BOARD_H

#include "hv/types.h"

struct board_desc {
    char model[48];
    paddr_t ram_base;
    uint32_t ram_size;
    paddr_t uart;      /* "arm,pl011": the console */
    uint32_t uart_irq; /* its receive interrupt */
    paddr_t gic_dist;  /* "arm,cortex-a9-gic" or "arm,pl390" */
    paddr_t gic_cpu;
    paddr_t timer;         /* "arm,sp804": preemption and clock */
    uint32_t timer_irq;    /* GIC interrupt ID of its first timer */
    uint32_t timer_hz;     /* its "clock-frequency" */
    bool has_global_timer; /* "arm,cortex-a9-global-timer" */
    paddr_t global_timer;
    uint32_t global_timer_hz;
};

/**
 * Reads @fdt into @board. On failure writes a one-line reason naming the
 * node and property to @err and returns false.
 */
bool board_parse(const void *fdt, struct board_desc *board, char *err,
                 size_t err_size);

#endif /* HV_BOARD_H */
