/* SPDX-License-Identifier: MIT */
/* Saved USR-mode state of a guest vCPU; layout fixed by entry.S. */
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
_Static_assert(sizeof(struct arch_regs) == 68, "entry.S frame layout");

#endif /* ARCH_REGS_H */
