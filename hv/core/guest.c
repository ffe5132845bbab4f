/* SPDX-License-Identifier: MIT */
/*
 * A guest's life after boot: how it ends (stop, restart or halt the
 * system, by its manifest policy), restarting it when its backoff is
 * over, the halting rules, and resuming the next guest. Above the
 * scheduler (who runs next), event channels, device connections and the
 * self-check, which it calls in order.
 */
#include "hv/guest.h"

#include <stdio.h>

#include "hv/arch.h"
#include "hv/check.h"
#include "hv/clock.h"
#include "hv/config.h"
#include "hv/conn.h"
#include "hv/console.h"
#include "hv/evtchn.h"
#include "hv/sched.h"
#include "hv/selfcheck.h"
#include "hv/timer.h"

#define GUEST_NS_PER_MS 1000000ull

static uint32_t guest_halt_code;
static bool guest_halt_code_set;
/* The earliest restart due (clock_now_ns time); 0: none pending. */
static uint64_t guest_next_restart;

struct guest_decision guest_decide(const struct vm_policy *policy,
                                   uint32_t restarts, uint64_t life_ns,
                                   bool crashed)
{
    struct guest_decision d = {
        .action = crashed ? policy->on_crash : policy->on_shutdown,
        .restarts = restarts,
    };

    if (d.action != VM_ACTION_RESTART) {
        return d;
    }
    if (policy->window_ms != 0 &&
        life_ns >= policy->window_ms * GUEST_NS_PER_MS) {
        d.restarts = 0; /* it ran long enough: count and backoff start over */
    }
    if (policy->limit != 0 && d.restarts >= policy->limit) {
        d.action = policy->on_limit;
        d.limit_reached = true;
        return d;
    }
    /* delay_ms doubled per restart already made, up to delay_max_ms. */
    uint32_t delay = policy->delay_ms;
    for (uint32_t i = 0; i < d.restarts && delay != 0; i++) {
        if (delay >= policy->delay_max_ms / 2) {
            delay = policy->delay_max_ms;
            break;
        }
        delay *= 2;
    }
    d.delay_ms = delay < policy->delay_max_ms ? delay : policy->delay_max_ms;
    d.restarts++;
    return d;
}

/* @action, or what "not given" means for @vm (halt-on-shutdown or not). */
static uint8_t guest_action(const struct vm *vm, uint8_t action)
{
    if (action != VM_ACTION_DEFAULT) {
        return action;
    }
    return vm->halt_on_shutdown ? VM_ACTION_HALT : VM_ACTION_STOP;
}

/* Restarts @vm when its time comes: guest_restart_due, from the timer. */
static void guest_schedule_restart(struct vm *vm, uint64_t at)
{
    if (at == 0) {
        at = 1; /* 0 means none pending */
    }
    vm->life.restart_ns = at;
    if (guest_next_restart == 0 || at < guest_next_restart) {
        guest_next_restart = at;
        timer_set_monitor_deadline(at);
        timer_reprogram();
    }
}

/* The policy's part of the line ending a life ("; restarting ..."). */
static void guest_decision_text(const struct vm *vm,
                                const struct guest_decision *d, char *buf,
                                size_t size)
{
    buf[0] = '\0';
    if (d->action == VM_ACTION_RESTART) {
        char of[24] = "";
        if (vm->policy.limit != 0) {
            snprintf(of, sizeof(of), " of %u", (unsigned)vm->policy.limit);
        }
        snprintf(buf, size, "; restarting in %u ms (restart %u%s)",
                 (unsigned)d->delay_ms, (unsigned)d->restarts, of);
    } else if (d->limit_reached) {
        snprintf(buf, size, "; restart limit reached (%u restarts), %s",
                 (unsigned)d->restarts,
                 d->action == VM_ACTION_HALT ? "halting the system"
                                             : "stays stopped");
    }
}

/*
 * Ends @vm's life (a shutdown with @exit_code, or @faulted) as its policy
 * says, with one line: the @fault's report, the kill's if @killer, or the
 * shutdown's if @shutdown, and what happens next (only that, for none).
 */
static void guest_end(struct vm *vm, uint32_t exit_code, bool faulted,
                      const struct fault_info *fault, bool shutdown,
                      const struct vm *killer)
{
    if (vm->state != VM_RUNNABLE && vm->state != VM_BLOCKED) {
        return;
    }
    console_guest_flush(&vm->console, vm->name);
    uint64_t now = clock_now_ns();
    bool crashed = faulted || exit_code != 0;
    struct vm_policy policy = vm->policy;
    policy.on_crash = guest_action(vm, policy.on_crash);
    policy.on_shutdown = guest_action(vm, policy.on_shutdown);
    policy.on_limit = guest_action(vm, policy.on_limit);
    struct guest_decision d = guest_decide(&policy, vm->life.restarts,
                                           now - vm->life.started_ns, crashed);
    char then[80];
    guest_decision_text(vm, &d, then, sizeof(then));
    if (fault) {
        dlog("guest %u '%s' stopped: %s (%s) at address 0x%08x, pc 0x%08x, "
             "status 0x%08x%s",
             (unsigned)vm->id, vm->name, fault->kind, fault->detail,
             (unsigned)fault->address, (unsigned)fault->pc,
             (unsigned)fault->status, then);
    } else if (killer) {
        dlog("guest %u '%s' %s by guest %u '%s'%s", (unsigned)vm->id, vm->name,
             crashed ? "killed" : "shut down", (unsigned)killer->id,
             killer->name, then);
    } else if (shutdown) {
        dlog("guest %u '%s' shut down with code %u%s", (unsigned)vm->id,
             vm->name, (unsigned)exit_code, then);
    } else if (then[0]) {
        dlog("guest %u '%s' stopped (code %u)%s", (unsigned)vm->id, vm->name,
             (unsigned)exit_code, then);
    }

    /* The machine halts after this guest: check the monitor's state
     * while the guest's tables and ports still exist. */
    bool halting = d.action == VM_ACTION_HALT;
    if (halting && !selfcheck_report()) {
        exit_code = HV_HALT_SELFCHECK;
    }
    vm->state = VM_STOPPED;
    evtchn_release_vm(vm);
    conn_release_vm(vm); /* its peers see it DOWN; the records stay */
    vm->exit_code = exit_code;
    vm_release(vm);
    vm->life.restarts = d.restarts;

    if (d.action == VM_ACTION_RESTART) {
        guest_schedule_restart(vm, now + d.delay_ms * GUEST_NS_PER_MS);
        return;
    }
    if (exit_code != 0 && !guest_halt_code_set) {
        guest_halt_code = exit_code;
        guest_halt_code_set = true;
    }
    if (halting) {
        uint32_t code = faulted && exit_code != HV_HALT_SELFCHECK
                            ? HV_HALT_GUEST_FAULT
                            : exit_code;
        if (vm->halt_on_shutdown) {
            dlog("halting: guest '%s' has halt-on-shutdown (code %u)", vm->name,
                 (unsigned)code);
        } else {
            dlog("halting: guest '%s' has %s = \"halt-system\" (code %u)",
                 vm->name,
                 d.limit_reached ? "on-restart-limit"
                 : crashed       ? "on-crash"
                                 : "on-shutdown",
                 (unsigned)code);
        }
        arch_halt(code);
    }
}

void guest_stop(struct vm *vm, uint32_t exit_code, bool faulted)
{
    guest_end(vm, exit_code, faulted, NULL, false, NULL);
}

void guest_shutdown(struct vm *vm, uint32_t exit_code)
{
    guest_end(vm, exit_code, false, NULL, true, NULL);
}

void guest_kill(struct vm *vm, const struct vm *killer, bool crash)
{
    CHECK(vm != killer);
    guest_end(vm, crash ? HV_HALT_GUEST_FAULT : 0, crash, NULL, !crash, killer);
}

/* Not inlined: guest_resume's fast path would pay for its arguments. */
__attribute__((noinline)) void guest_stop_fault(struct vm *vm,
                                                const struct fault_info *fault)
{
    guest_end(vm, HV_HALT_GUEST_FAULT, true, fault, false, NULL);
}

/* Loads @vm again; it becomes runnable, or stays stopped if it cannot. */
static void guest_restart(struct vm *vm, uint64_t now)
{
    uint32_t exit_code = vm->exit_code;

    vm->life.restart_ns = 0;
    vm->life.started_ns = now;
    vm->life.total++; /* its start info says so */
    if (!vm_recreate(vm)) {
        dlog("guest %u '%s' could not be restarted; stays stopped",
             (unsigned)vm->id, vm->name);
        /* It ended for good with the last life's code. */
        vm->exit_code = exit_code;
        if (exit_code != 0 && !guest_halt_code_set) {
            guest_halt_code = exit_code;
            guest_halt_code_set = true;
        }
        return;
    }
    char of[24] = "";
    if (vm->policy.limit != 0) {
        snprintf(of, sizeof(of), " of %u", (unsigned)vm->policy.limit);
    }
    dlog("guest %u '%s' restarted (restart %u%s)", (unsigned)vm->id, vm->name,
         (unsigned)vm->life.restarts, of);
}

void guest_restart_due(void)
{
    if (guest_next_restart == 0) {
        return;
    }
    uint64_t now = clock_now_ns();
    if (now < guest_next_restart) {
        return;
    }
    uint64_t next = 0;
    bool parked = false;
    for (unsigned int i = 0; i < HV_MAX_VMS; i++) {
        struct vm *vm = vm_by_index(i);
        if (vm->state != VM_STOPPED || vm->life.restart_ns == 0) {
            continue;
        }
        if (vm->life.restart_ns > now) {
            if (next == 0 || vm->life.restart_ns < next) {
                next = vm->life.restart_ns;
            }
            continue;
        }
        if (!parked) {
            /* Off every guest's tables: the reload goes through the
             * identity map, as at boot; the next pick switches in full. */
            sched_park();
            arch_mm_use_monitor_table();
            parked = true;
        }
        guest_restart(vm, now);
    }
    guest_next_restart = next;
    timer_set_monitor_deadline(next);
}

/* Enters @vm's event upcall; false if that stopped it instead. */
static bool guest_deliver_events(struct vm *vm)
{
    struct fault_info failed;

    /* The arch's fast way enters the guest and does not come back; if
     * it cannot, vcpu_upcall does the same or finds why not. */
    arch_vcpu_upcall_event(vm);
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
    if (sched_any_blocked() || guest_next_restart != 0) {
        return NULL; /* the arch waits for an interrupt (or the restart) */
    }
    if (!selfcheck_report()) {
        guest_halt_code = HV_HALT_SELFCHECK;
    }
    dlog("halting: all guests have stopped (code %u)",
         (unsigned)guest_halt_code);
    arch_halt(guest_halt_code);
}
