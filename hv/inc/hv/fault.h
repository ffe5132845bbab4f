/* SPDX-License-Identifier: MIT */
/* A guest's fault: reflected to its kernel, or the guest is stopped. */
#ifndef HV_FAULT_H
#define HV_FAULT_H

#include "hv/vm.h"

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

#endif /* HV_FAULT_H */
