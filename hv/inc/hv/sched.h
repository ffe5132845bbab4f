/* SPDX-License-Identifier: MIT */
/*
 * Round-robin scheduling of guests, one vCPU each, on one physical CPU,
 * with woken guests boosted (sched.c says how, and what bounds it).
 */
#ifndef HV_SCHED_H
#define HV_SCHED_H

#include "hv/vcpu.h"
#include "hv/vm.h"

/* The running guest, NULL if none: sched.c's to change. */
extern struct vm *sched_running;

/** The guest whose registers the last exception saved. */
static inline struct vm *sched_current(void)
{
    return sched_running;
}
/** Sets the running guest at boot and after a switch. */
void sched_set_current(struct vm *vm);
/**
 * Moves to the next runnable guest after the current one (a yield),
 * switching to it (its CPU state, address space, slice and clock). If
 * none is runnable, the last guest's CPU state is saved and nobody runs
 * (sched_current() is NULL).
 */
void sched_rotate(void);
/**
 * Nobody runs for now (a guest is being restarted): the current guest's
 * CPU state is saved as when going idle, and the next sched_pick
 * switches to a guest in full (registers, address space, slice).
 */
void sched_park(void);
/** Timer tick: the current guest's slice (or boost) is over. */
void sched_tick(void);
/** The next sched_pick chooses again (a woken guest's wait is over). */
static inline void sched_repick(void)
{
    vcpu_settled = NULL;
}
/** sched_pick's decisions beyond "the current guest runs on". */
struct vm *sched_pick_slow(void);
/**
 * The guest to run: the current one if it is still runnable and no
 * woken guest preempts it, else the next one (sched_rotate); NULL if
 * none can run.
 */
static inline struct vm *sched_pick(void)
{
    struct vm *vm = vcpu_settled; /* sched_running, unless a guest woke */
    if (vm && vm->state == VM_RUNNABLE) {
        return vm;
    }
    return sched_pick_slow();
}
/** True if some guest waits for an event (an interrupt can wake it). */
bool sched_any_blocked(void);

#endif /* HV_SCHED_H */
