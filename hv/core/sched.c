/* SPDX-License-Identifier: MIT */
/*
 * Round-robin over the guest pool. Each turn is a time slice of the
 * guest's weight in milliseconds (manifest "weight"), ended by the
 * one-shot timer (hv/core/timer.c) or by the guest yielding or blocking;
 * a guest that spins is preempted, so it cannot starve the others. With
 * every guest blocked the CPU sleeps until an interrupt.
 */
#include "hv/sched.h"

#include "hv/arch.h"
#include "hv/config.h"
#include "hv/console.h"
#include "hv/irq.h"
#include "hv/pt.h"
#include "hv/selfcheck.h"
#include "hv/timer.h"
#include "hv/vcpu.h"

static struct vm *sched_running;
static uint32_t sched_halt_code;
static bool sched_halt_code_set;

struct vm *sched_current(void)
{
    return sched_running;
}

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

void sched_tick(void)
{
    sched_rotate();
    /* Also when the same guest runs on. */
    timer_start_slice(sched_running ? sched_running->weight
                                    : HV_WEIGHT_DEFAULT);
}

void sched_on_stop(struct vm *vm, bool faulted)
{
    if (vm->exit_code != 0 && !sched_halt_code_set) {
        sched_halt_code = vm->exit_code;
        sched_halt_code_set = true;
    }
    if (vm->halt_on_shutdown) {
        uint32_t code = faulted && vm->exit_code != HV_HALT_SELFCHECK
                            ? HV_HALT_GUEST_FAULT
                            : vm->exit_code;
        dlog("halting: guest '%s' has halt-on-shutdown (code %u)", vm->name,
             (unsigned)code);
        arch_halt(code);
    }
}

static bool sched_any_blocked(void)
{
    for (unsigned int i = 0; i < HV_MAX_VMS; i++) {
        if (vm_by_index(i)->state == VM_BLOCKED) {
            return true;
        }
    }
    return false;
}

struct arch_regs *sched_resume(void)
{
    /* Delivering an event can stop a guest (bad kernel stack): pick
     * again until one can run. */
    for (;;) {
        if (!sched_running || sched_running->state != VM_RUNNABLE) {
            sched_switch(sched_pick_after(sched_running));
        }
        if (!sched_running && sched_any_blocked()) {
            /* Every guest waits for an event: sleep until an interrupt
             * (they stay masked; the GIC is polled) makes one runnable. */
            arch_wait_for_interrupt();
            irq_handle();
            continue;
        }
        if (!sched_running) {
            break;
        }
        vcpu_deliver_events(sched_running);
        if (sched_running->state == VM_RUNNABLE) {
            break;
        }
    }
    if (!sched_running) {
        if (!selfcheck_report()) {
            sched_halt_code = HV_HALT_SELFCHECK;
        }
        dlog("halting: all guests have stopped (code %u)",
             (unsigned)sched_halt_code);
        arch_halt(sched_halt_code);
    }
    arch_regs_sanitize(&sched_running->regs);
    return &sched_running->regs;
}
