/* SPDX-License-Identifier: MIT */
/*
 * Round-robin over the guest pool. Each turn is a time slice of the
 * guest's weight in milliseconds (manifest "weight"), ended by the
 * one-shot timer (hv/core/timer.c) or by the guest yielding or blocking;
 * a guest that spins is preempted, so it cannot starve the others. This
 * only says who runs next, or nobody: stopping guests, event upcalls and
 * halting are guest.c's, waiting for an interrupt the arch's.
 */
#include "hv/sched.h"

#include "hv/arch.h"
#include "hv/config.h"
#include "hv/pt.h"
#include "hv/timer.h"
#include "hv/vcpu.h"

struct vm *sched_running;

void sched_set_current(struct vm *vm)
{
    sched_running = vm;
}

/* The next runnable guest after @from in pool order, or NULL. */
static struct vm *sched_pick_after(const struct vm *from)
{
    unsigned int start = from ? from->id : 0; /* ids are index + 1 */

    for (unsigned int n = 0; n < HV_MAX_VMS; n++) {
        struct vm *vm = vm_by_index((start + n) % HV_MAX_VMS);
        if (vm->state == VM_RUNNABLE) {
            return vm;
        }
    }
    return NULL;
}

static void sched_switch(struct vm *next)
{
    if (!next && sched_running) {
        /* Going idle: keep what the last guest left in the CPU. */
        arch_vcpu_switch(sched_running, NULL);
    }
    if (next && next != sched_running) {
        arch_vcpu_switch(sched_running, next);
        /* Another guest's ASID rollover may have taken its ASID. */
        next->active_asid = pt_asid_of(next->active_l1);
        arch_mm_activate(next);
        timer_start_slice(next->weight);
        vcpu_update_time(next);
    }
    sched_running = next;
}

void sched_rotate(void)
{
    sched_switch(sched_pick_after(sched_running));
}

void sched_park(void)
{
    sched_switch(NULL);
}

void sched_tick(void)
{
    sched_rotate();
    /* Also when the same guest runs on. */
    timer_start_slice(sched_running ? sched_running->weight
                                    : HV_WEIGHT_DEFAULT);
}

bool sched_any_blocked(void)
{
    for (unsigned int i = 0; i < HV_MAX_VMS; i++) {
        if (vm_by_index(i)->state == VM_BLOCKED) {
            return true;
        }
    }
    return false;
}
