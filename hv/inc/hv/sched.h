/* SPDX-License-Identifier: MIT */
/* Round-robin scheduling of guests, one vCPU each, on one physical CPU. */
#ifndef HV_SCHED_H
#define HV_SCHED_H

#include "hv/vm.h"

/** The guest whose registers the last exception saved. */
struct vm *sched_current(void);
/** Sets the running guest at boot and after a switch. */
void sched_set_current(struct vm *vm);
/** Moves to the next runnable guest after the current one (a yield). */
void sched_rotate(void);
/** Timer tick: the current guest's slice is over. */
void sched_tick(void);
/**
 * Registers to resume: the current guest if still runnable, else the next
 * runnable one. Halts the machine when no guest is left.
 */
struct arch_regs *sched_resume(void);
/** Called by vm_stop: decides whether the machine halts now. */
void sched_on_stop(struct vm *vm, bool faulted);

#endif /* HV_SCHED_H */
