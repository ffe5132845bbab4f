/* SPDX-License-Identifier: MIT */
/*
 * A guest's life after boot, above the scheduler: stopping it (ports,
 * self-check, release, the halting rules) and resuming the next guest
 * (its pending event upcall).
 */
#ifndef HV_GUEST_H
#define HV_GUEST_H

#include "hv/vcpu.h"

/**
 * Stops @vm (a shutdown with @exit_code, or @faulted): flushes its console
 * line, closes its ports and releases it (vm_release). Halts the machine
 * if @vm has halt-on-shutdown, after a self-check while its tables and
 * ports still exist. Nothing if @vm has stopped already.
 */
void guest_stop(struct vm *vm, uint32_t exit_code, bool faulted);
/** Prints @fault as @vm's one-line report and stops it (a fault). */
void guest_stop_fault(struct vm *vm, const struct fault_info *fault);
/**
 * The registers to run next: the current guest if it is still runnable,
 * else the next runnable one (sched_pick), once its pending event upcall
 * is entered (a guest whose upcall fails is stopped, and the next one
 * tried). NULL if no guest can run but some are blocked: the caller (the
 * arch's exception loop) waits for an interrupt, handles it and asks
 * again; never at boot, when every guest is runnable. Halts the machine
 * when no guest is left.
 */
struct arch_regs *guest_resume(void);

#endif /* HV_GUEST_H */
