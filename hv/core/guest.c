/* SPDX-License-Identifier: MIT */
/*
 * A guest's life after boot: stopping it and the halting rules, and
 * resuming the next guest. Above the scheduler (who runs next), event
 * channels and the self-check, which it calls in order.
 */
#include "hv/guest.h"

#include "hv/arch.h"
#include "hv/config.h"
#include "hv/console.h"
#include "hv/evtchn.h"
#include "hv/sched.h"
#include "hv/selfcheck.h"

static uint32_t guest_halt_code;
static bool guest_halt_code_set;

void guest_stop(struct vm *vm, uint32_t exit_code, bool faulted)
{
    if (vm->state != VM_RUNNABLE && vm->state != VM_BLOCKED) {
        return;
    }
    console_guest_flush(&vm->console, vm->name);
    /* The machine halts after this guest: check the monitor's state
     * while the guest's tables and ports still exist. */
    if (vm->halt_on_shutdown && !selfcheck_report()) {
        exit_code = HV_HALT_SELFCHECK;
    }
    vm->state = VM_STOPPED;
    evtchn_release_vm(vm);
    vm->exit_code = exit_code;
    vm_release(vm);

    if (exit_code != 0 && !guest_halt_code_set) {
        guest_halt_code = exit_code;
        guest_halt_code_set = true;
    }
    if (vm->halt_on_shutdown) {
        uint32_t code = faulted && exit_code != HV_HALT_SELFCHECK
                            ? HV_HALT_GUEST_FAULT
                            : exit_code;
        dlog("halting: guest '%s' has halt-on-shutdown (code %u)", vm->name,
             (unsigned)code);
        arch_halt(code);
    }
}

void guest_stop_fault(struct vm *vm, const struct fault_info *fault)
{
    console_guest_flush(&vm->console, vm->name);
    dlog("guest %u '%s' stopped: %s (%s) at address 0x%08x, pc 0x%08x, "
         "status 0x%08x",
         (unsigned)vm->id, vm->name, fault->kind, fault->detail,
         (unsigned)fault->address, (unsigned)fault->pc,
         (unsigned)fault->status);
    guest_stop(vm, HV_HALT_GUEST_FAULT, true);
}

/* Enters @vm's event upcall; false if that stopped it instead. */
static bool guest_deliver_events(struct vm *vm)
{
    struct fault_info failed;

    if (vcpu_upcall(vm, HV_UPCALL_EVENT, 0, 0, &failed) == HV_OK) {
        return true;
    }
    guest_stop_fault(vm, &failed);
    return false;
}

struct arch_regs *guest_resume(void)
{
    struct vm *vm;

    /* Delivering an event can stop a guest (bad kernel stack): pick
     * again until one can run. */
    while ((vm = sched_pick()) != NULL) {
        if (!vcpu_events_due(vm) || guest_deliver_events(vm)) {
            arch_regs_sanitize(&vm->regs);
            return &vm->regs;
        }
    }
    if (sched_any_blocked()) {
        return NULL; /* the arch waits for an interrupt */
    }
    if (!selfcheck_report()) {
        guest_halt_code = HV_HALT_SELFCHECK;
    }
    dlog("halting: all guests have stopped (code %u)",
         (unsigned)guest_halt_code);
    arch_halt(guest_halt_code);
}
