/* SPDX-License-Identifier: MIT */
/* Saved USR-mode state of a guest vCPU, stored and loaded by entry.S as
 * one block: the order is fixed (checked in arch/arm32/offsets.c, which
 * also gives entry.S the offsets). */
#ifndef ARCH_REGS_H
#define ARCH_REGS_H

#include <stdint.h>

struct arch_regs {
    uint32_t r[13];
    uint32_t sp;
    uint32_t lr;
    uint32_t pc;
    uint32_t cpsr;
};

#endif /* ARCH_REGS_H */
