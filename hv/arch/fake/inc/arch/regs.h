/* SPDX-License-Identifier: MIT */
/* Saved USR-mode state of a guest vCPU; host stand-in with the arm32 shape. */
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
_Static_assert(sizeof(struct arch_regs) == 68, "same shape as arm32");

#endif /* ARCH_REGS_H */
