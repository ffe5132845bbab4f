/* SPDX-License-Identifier: MIT */
/* A guest's fault: reflected to its kernel, or the guest is stopped. */
#ifndef HV_FAULT_H
#define HV_FAULT_H

#include "hv/vcpu.h"

/**
 * Reflects @fault to @vm's kernel as an upcall if it registered one;
 * otherwise stops @vm with a report. Returns the registers to run next
 * (guest_resume: NULL if only blocked guests are left).
 */
struct arch_regs *fault_guest(struct vm *vm, const struct fault_info *fault);
/**
 * Enters @vm's kernel at its @kind entry with a frame of its current
 * state (vcpu_upcall); if the frame cannot be written, stops the guest
 * ("upcall failed"). Returns the registers to run next, as fault_guest.
 */
struct arch_regs *fault_upcall(struct vm *vm, enum hv_upcall kind,
                               uint32_t address, uint32_t status);

#endif /* HV_FAULT_H */
