/* SPDX-License-Identifier: MIT */
/* Entry points from the arch exception code into generic handling. */
#ifndef HV_HYPERCALL_DISPATCH_H
#define HV_HYPERCALL_DISPATCH_H

#include "hv/vm.h"

/** Handles the hypercall in @vm's saved registers; returns regs to run. */
struct arch_regs *hypercall_handle(struct vm *vm);

/** What a guest did wrong, for the one-line report. */
struct fault_info {
    const char *kind;   /* "data abort", "undefined instruction", ... */
    const char *detail; /* decoded status, e.g. "permission fault" */
    uint32_t address;   /* faulting data or instruction address */
    uint32_t pc;
    uint32_t status; /* raw fault status register, 0 if none */
    int upcall;      /* enum hv_upcall to reflect it as, or -1 */
};

/**
 * Reflects @fault to @vm's kernel as an upcall if it registered one;
 * otherwise stops @vm with a report. Returns the registers to run next.
 */
struct arch_regs *fault_guest(struct vm *vm, const struct fault_info *fault);

#endif /* HV_HYPERCALL_DISPATCH_H */
