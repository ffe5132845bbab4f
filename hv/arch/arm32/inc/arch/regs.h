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

/*
 * The hypercall register convention of <hvabi/abi.h>: the number in r12,
 * arguments and results in r0-r3. Inline because every hypercall reads
 * and writes them (a call each cost as much as the access); the rest of
 * the arch_regs_* interface is in hv/arch.h.
 */

/** The hypercall number. */
static inline uint32_t arch_regs_hypercall_op(const struct arch_regs *regs)
{
    return regs->r[12];
}

/** Argument @index (0-3) of a hypercall; 0 for any other index. */
static inline uint32_t arch_regs_arg(const struct arch_regs *regs,
                                     unsigned int index)
{
    return index < 4 ? regs->r[index] : 0;
}

/** Sets result register @index (0 = status) of a hypercall; 0-3 only. */
static inline void arch_regs_set_result(struct arch_regs *regs,
                                        unsigned int index, uint32_t value)
{
    if (index < 4) {
        regs->r[index] = value;
    }
}

#endif /* ARCH_REGS_H */
