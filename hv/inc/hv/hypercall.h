/* SPDX-License-Identifier: MIT */
/* Hypercall dispatch (the operations: guestabi's <hvabi/hypercall.h>). */
#ifndef HV_HYPERCALL_H
#define HV_HYPERCALL_H

#include "hv/vm.h"

/** Handles the hypercall in @vm's saved registers; returns regs to run. */
struct arch_regs *hypercall_handle(struct vm *vm);

#endif /* HV_HYPERCALL_H */
