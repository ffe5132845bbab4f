/* SPDX-License-Identifier: MIT */
/*
 * An outer cache the boot loader left on (a PL310 on a Cortex-A9 board):
 * CP15's maintenance by address stops at the inner caches, so every
 * maintenance the monitor relies on (page-table writes reaching the table
 * walker, which reads memory; guests' HV_OP_CACHE) also goes through
 * these, by physical address. docs/design.md, "Outer cache".
 */
#ifndef HV_OUTER_CACHE_H
#define HV_OUTER_CACHE_H

#include "hv/types.h"

struct outer_cache_ops {
    /** Writes the dirty lines of [@pa, @pa + @size) back to memory;
     * returns when memory has them. */
    void (*clean)(paddr_t pa, size_t size);
    /** As clean, then drops the lines: the next read comes from memory. */
    void (*flush)(paddr_t pa, size_t size);
};

#endif /* HV_OUTER_CACHE_H */
