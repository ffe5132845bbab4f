/* SPDX-License-Identifier: MIT */
/* Virtual kernel/user modes and upcalls (ABI in guestabi hv/vcpu.h). */
#ifndef HV_VCPU_H
#define HV_VCPU_H

#include <hvabi/vcpu.h>

#include "hv/vm.h"

/** What a guest did wrong, for the one-line report when it is stopped. */
struct fault_info {
    const char *kind;   /* "data abort", "undefined instruction", ... */
    const char *detail; /* decoded status, e.g. "permission fault" */
    uint32_t address;   /* faulting data or instruction address */
    uint32_t pc;
    uint32_t status; /* raw fault status register, 0 if none */
    int upcall;      /* enum hv_upcall to reflect it as, or -1 */
};

/** HV_OP_VCPU_REGISTER: @pa becomes @vm's shared vCPU page. */
HV_MUST_CHECK int32_t vcpu_register(struct vm *vm, paddr_t pa);
/** HV_OP_VCPU_CALLBACKS: reads the entry points from guest memory. */
HV_MUST_CHECK int32_t vcpu_set_callbacks(struct vm *vm, gvaddr_t callbacks);
/**
 * HV_OP_IRET: restores the frame at @frame. On success @vm's registers
 * are the frame's and HV_OK is returned; nothing is changed otherwise.
 */
HV_MUST_CHECK int32_t vcpu_iret(struct vm *vm, gvaddr_t frame);
/** True if @vm registered an entry point for @kind. */
static inline bool vcpu_can_upcall(const struct vm *vm, enum hv_upcall kind)
{
    return pa_addr(vm->vcpu_shared) != 0 && vm->callbacks[kind] != 0;
}
/**
 * Enters @vm's kernel at its @kind entry with a frame of its current
 * state: HV_OK. If the frame cannot be written below its kernel stack,
 * -HV_EFAULT and @failed says so, for the caller to stop the guest with
 * (guest_stop_fault); the guest must not run again.
 */
HV_MUST_CHECK int32_t vcpu_upcall(struct vm *vm, enum hv_upcall kind,
                                  uint32_t address, uint32_t status,
                                  struct fault_info *failed);
/** Refreshes the guest-clock pair in @vm's shared page. */
void vcpu_update_time(struct vm *vm);
/**
 * What wake-ups tell the scheduler (sched.c, a layer above, reads and
 * clears them): the guests woken from blocked since it last looked, a
 * bit per pool index; and the running guest while its choice stands,
 * which a wake-up sets to NULL so that the next sched_pick chooses again
 * (one load on every hypercall's return tells both).
 */
extern uint32_t vcpu_woken;
extern struct vm *vcpu_settled;
/**
 * Marks @events pending for @vm and wakes it if it is blocked (then it
 * may preempt the running guest: vcpu_woken).
 */
void vcpu_raise(struct vm *vm, uint32_t events);
/** HV_OP_BLOCK: @vm sleeps until an event is pending. */
HV_MUST_CHECK int32_t vcpu_block(struct vm *vm);
/** HV_OP_TIMER_SET: @vm's virtual timer fires at @deadline (0: never). */
void vcpu_timer_arm(struct vm *vm, uint64_t deadline);
/** Fires the virtual timers whose deadline has passed. */
void vcpu_check_timers(void);
/**
 * The earliest armed virtual-timer deadline of a live guest if it is
 * before @limit, else @limit.
 */
uint64_t vcpu_next_deadline(uint64_t limit);
/**
 * True if @vm is to enter its event upcall before it runs on: it has
 * one, events are pending and not masked (guest_resume delivers).
 * Inline: every hypercall's return asks.
 */
static inline bool vcpu_events_due(const struct vm *vm)
{
    /* Nothing pending, the common answer, first. The page's address is
     * NULL exactly while none is registered (vcpu_register, vm_release). */
    const struct hv_vcpu_shared *shared = vm->vcpu_shared_va;
    return shared != NULL && shared->events_pending != 0 &&
           !shared->events_masked && vm->callbacks[HV_UPCALL_EVENT] != 0;
}

#endif /* HV_VCPU_H */
