/* SPDX-License-Identifier: MIT */
/*
 * A guest's life after boot, above the scheduler: stopping it (ports,
 * self-check, release, the halting rules) and resuming the next guest
 * (its pending event upcall), restarting guests by their policy.
 */
#ifndef HV_GUEST_H
#define HV_GUEST_H

#include "hv/vcpu.h"

/** What a guest's policy says when a life ends (guest_decide). */
struct guest_decision {
    enum vm_action action; /* stop, restart or halt (never the default) */
    bool limit_reached;    /* restarts used up: action is on_limit's */
    uint32_t restarts;     /* vm->life.restarts after this end */
    uint32_t delay_ms;     /* restart: after this long */
};

/**
 * The policy decision when a life of @life_ns ends, @crashed (a fault or
 * a non-zero shutdown code) or not, after @restarts restarts: the
 * action for the kind of end; for a restart, the count starts over if
 * the life lasted window_ms, the limit turns it into on_limit's action,
 * and the delay is delay_ms doubled per restart already made, at most
 * delay_max_ms. Pure: no state is changed.
 */
struct guest_decision guest_decide(const struct vm_policy *policy,
                                   uint32_t restarts, uint64_t life_ns,
                                   bool crashed);
/**
 * Ends @vm's life (a shutdown with @exit_code, or @faulted), as its
 * policy says: flushes its console line, closes its ports and releases
 * it (vm_release); then it stays stopped, or is due to restart
 * (guest_restart_due), or the machine halts, after a self-check while
 * its tables and ports still exist. Prints a line only if its policy
 * restarts it or its restarts are used up. Nothing if @vm has stopped
 * already.
 */
void guest_stop(struct vm *vm, uint32_t exit_code, bool faulted);
/**
 * HV_OP_SHUTDOWN: guest_stop with the line "guest N 'name' shut down
 * with code C" and what the policy does next. A non-zero code is a crash.
 */
void guest_shutdown(struct vm *vm, uint32_t exit_code);
/**
 * HV_OP_VM_KILL: ends @vm, another guest than @killer (the caller has
 * checked the manifest's may-kill), as a crash (exit code
 * HV_HALT_GUEST_FAULT, as a fault) if @crash, else as a shutdown with code
 * 0, with the line "guest N 'x' killed by guest M 'y'" (or "shut down
 * by") and what its policy does next; then as guest_stop.
 */
void guest_kill(struct vm *vm, const struct vm *killer, bool crash);
/** Prints @fault as @vm's one-line report and stops it (a crash). */
void guest_stop_fault(struct vm *vm, const struct fault_info *fault);
/**
 * From the timer interrupt: restarts every stopped guest whose restart
 * is due (vm_recreate, on the monitor's own table; the running guest is
 * parked, sched_park), with one line each, and sets the timer's monitor
 * deadline for the next one. Cheap when none is due.
 */
void guest_restart_due(void);
/**
 * The registers to run next: the current guest if it is still runnable,
 * else the next runnable one (sched_pick), once its pending event upcall
 * is entered (a guest whose upcall fails is stopped, and the next one
 * tried). NULL if no guest can run but some are blocked: the caller (the
 * arch's exception loop) waits for an interrupt, handles it and asks
 * again; never at boot, when every guest is runnable. Also NULL while a
 * restart is pending. Halts the machine when no guest is left. Entering
 * an event upcall may not return at all: the arch's fast way
 * (arch_vcpu_upcall_event) resumes the guest itself, so a caller must
 * have nothing left to do but resume what this returns.
 */
struct arch_regs *guest_resume(void);

#endif /* HV_GUEST_H */
