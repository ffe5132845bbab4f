/* SPDX-License-Identifier: MIT */
/*
 * Virtual kernel and user modes. Both run in ARM USR mode; the monitor
 * tracks which one a guest is in, reflects its exceptions to its kernel
 * as upcalls with a pt_regs-shaped frame, and restores frames on
 * HV_OP_IRET after checking them. The rules are in guestabi hv/vcpu.h.
 */
#include "hv/vcpu.h"

#include <string.h>

#include "hv/arch.h"
#include "hv/clock.h"
#include "hv/console.h"
#include "hv/pt.h"

/* Only once registered (vm->vcpu_shared not 0). */
static struct hv_vcpu_shared *vcpu_shared(const struct vm *vm)
{
    return vm->vcpu_shared_va;
}

int32_t vcpu_register(struct vm *vm, paddr_t pa)
{
    if (pa_addr(pa) == pa_addr(vm->vcpu_shared)) {
        return HV_OK; /* already this page: clearing it would unprotect it */
    }
    int32_t rc = pt_set_shared(vm, pa);
    if (rc != HV_OK) {
        return rc;
    }
    if (pa_addr(vm->vcpu_shared) != 0) {
        pt_clear_shared(vm, vm->vcpu_shared);
    }
    vm->vcpu_shared = pa;
    vm->vcpu_shared_va = arch_mm_vcpu_page(vm->id - 1, pa);
    vcpu_update_time(vm);
    struct hv_vcpu_shared *shared = vcpu_shared(vm);
    shared->events_pending = 0;
    shared->mode = vm->mode == VM_MODE_USER ? HV_VCPSR_USER : HV_VCPSR_KERNEL;
    return HV_OK;
}

int32_t vcpu_set_callbacks(struct vm *vm, gvaddr_t callbacks)
{
    struct hv_callbacks cb;
    int32_t rc = vm_copy_from_guest(vm, &cb, callbacks, sizeof(cb));
    if (rc != HV_OK) {
        return rc;
    }
    for (unsigned int i = 0; i < ARRAY_SIZE(cb.reserved); i++) {
        if (cb.reserved[i] != 0) {
            return -HV_EINVAL;
        }
    }
    if ((cb.flags & ~HV_CALLBACKS_FLAGS_KNOWN) != 0) {
        return -HV_EINVAL;
    }
    memcpy(vm->callbacks, cb.entry, sizeof(vm->callbacks));
    vm->callback_flags = cb.flags;
    vm->syscall_entry_in_place = (cb.flags & HV_CALLBACKS_REGS_IN_PLACE) != 0
                                     ? cb.entry[HV_UPCALL_SYSCALL]
                                     : 0;
    return HV_OK;
}

static bool vcpu_regs_in_place(const struct vm *vm)
{
    return (vm->callback_flags & HV_CALLBACKS_REGS_IN_PLACE) != 0;
}

static void vcpu_set_mode(struct vm *vm, enum vm_mode mode)
{
    vm->mode = mode;
    vcpu_shared(vm)->mode =
        mode == VM_MODE_USER ? HV_VCPSR_USER : HV_VCPSR_KERNEL;
    arch_vcpu_mode_changed(vm);
}

int32_t vcpu_iret(struct vm *vm, gvaddr_t frame_va)
{
    struct hv_frame frame;

    if (pa_addr(vm->vcpu_shared) == 0) {
        return -HV_EPERM; /* no shared page: nowhere to keep the mask */
    }
    int32_t rc = vm_copy_from_guest(vm, &frame, frame_va, sizeof(frame));
    if (rc != HV_OK) {
        return rc;
    }
    uint32_t mode = frame.cpsr & HV_VCPSR_MODE_MASK;
    if ((mode != HV_VCPSR_USER && mode != HV_VCPSR_KERNEL) ||
        (frame.cpsr & ~(HV_VCPSR_FLAGS | HV_VCPSR_MODE_MASK | HV_VCPSR_I)) !=
            0) {
        return -HV_EINVAL;
    }
    if (vcpu_regs_in_place(vm)) {
        /* r1-r11 are the caller's, as the trap saved them. */
        vm->regs.r[0] = frame.r[0];
        vm->regs.r[12] = frame.r[12];
    } else {
        memcpy(vm->regs.r, frame.r, sizeof(frame.r));
    }
    vm->regs.sp = frame.sp;
    vm->regs.lr = frame.lr;
    vm->regs.pc = frame.pc;
    vm->regs.cpsr = (frame.cpsr & HV_VCPSR_FLAGS) | HV_VCPSR_USER;
    struct hv_vcpu_shared *shared = vcpu_shared(vm);
    shared->events_masked = (frame.cpsr & HV_VCPSR_I) != 0;
    if (mode == HV_VCPSR_USER) {
        arch_vcpu_set_user_tls(vm, shared->user_tls);
    }
    vcpu_set_mode(vm, mode == HV_VCPSR_USER ? VM_MODE_USER : VM_MODE_KERNEL);
    return HV_OK;
}

/* Stores by the CPU with the guest's rights where it can (a faulting
 * store leaves a partial frame, which the stopped guest never sees).
 * With the registers in place, a system call's frame is only its sp, lr,
 * pc and cpsr: the kernel stores the rest. */
static int32_t vcpu_write_frame(struct vm *vm, uint32_t va,
                                const struct hv_frame *frame, bool in_place)
{
    const size_t skip = in_place ? offsetof(struct hv_frame, sp) : 0;
    const size_t size =
        in_place ? offsetof(struct hv_frame, orig_r0) - skip : sizeof(*frame);
    const uint8_t *from = (const uint8_t *)frame + skip;

    int32_t rc = arch_mm_write_user(vm, va + skip, from, size);
    if (rc != -HV_ENOSYS) {
        return rc;
    }
    return vm_copy_to_guest(vm, gva_init(va + skip), from, size);
}

int32_t vcpu_upcall(struct vm *vm, enum hv_upcall kind, uint32_t address,
                    uint32_t status, struct fault_info *failed)
{
    struct hv_vcpu_shared *shared = vcpu_shared(vm);
    struct hv_frame frame;
    bool from_user = vm->mode == VM_MODE_USER;
    uint32_t sp = from_user ? shared->kernel_sp : vm->regs.sp;
    uint32_t frame_va = (sp - sizeof(frame)) & ~7u;

    memcpy(frame.r, vm->regs.r, sizeof(frame.r));
    frame.sp = vm->regs.sp;
    frame.lr = vm->regs.lr;
    frame.pc = vm->regs.pc;
    frame.cpsr = (vm->regs.cpsr & HV_VCPSR_FLAGS) |
                 (from_user ? HV_VCPSR_USER : HV_VCPSR_KERNEL) |
                 (shared->events_masked ? HV_VCPSR_I : 0);
    frame.orig_r0 = vm->regs.r[0];

    /* The frame is written as the kernel would write it. */
    if (from_user) {
        vcpu_set_mode(vm, VM_MODE_KERNEL);
    }
    bool in_place = kind == HV_UPCALL_SYSCALL && vcpu_regs_in_place(vm);
    if (sp < sizeof(frame) ||
        vcpu_write_frame(vm, frame_va, &frame, in_place) != HV_OK) {
        *failed = (struct fault_info){
            .kind = "upcall failed",
            .detail = "its kernel stack is not writable",
            .address = frame_va,
            .pc = frame.pc,
            .status = kind,
            .upcall = -1,
        };
        return -HV_EFAULT;
    }
    shared->events_masked = 1;
    uint32_t entry = vm->callbacks[kind];
    if (in_place) {
        arch_regs_enter(&vm->regs, entry, frame_va); /* r0-r12 stay */
        return HV_OK;
    }
    arch_regs_init(&vm->regs, entry, frame_va, frame_va);
    arch_regs_set_result(&vm->regs, 1, address);
    arch_regs_set_result(&vm->regs, 2, status);
    arch_regs_set_result(&vm->regs, 3, kind);
    return HV_OK;
}

void vcpu_update_time(struct vm *vm)
{
    if (pa_addr(vm->vcpu_shared) == 0) {
        return;
    }
    struct hv_vcpu_shared *shared = vcpu_shared(vm);
    uint64_t ns;
    uint32_t ticks;
    /* The guest is not running: the sequence number only guards against
     * its being preempted in the middle of its own read. */
    shared->time_version++;
    clock_guest_now(&ns, &ticks);
    shared->time_ns = ns;
    shared->time_ticks = ticks;
    shared->time_version++;
}

uint32_t vcpu_woken;
_Static_assert(HV_MAX_VMS <= 32, "vcpu_woken has a bit per guest");
struct vm *vcpu_settled;

void vcpu_raise(struct vm *vm, uint32_t events)
{
    if (pa_addr(vm->vcpu_shared) == 0) {
        return; /* nowhere to record it: the guest asked for no events */
    }
    vcpu_shared(vm)->events_pending |= events;
    if (vm->state == VM_BLOCKED) {
        vm->state = VM_RUNNABLE;
        vcpu_woken |= 1u << (vm->id - 1); /* ids are pool index + 1 */
        vcpu_settled = NULL;
    }
}

int32_t vcpu_block(struct vm *vm)
{
    if (pa_addr(vm->vcpu_shared) == 0) {
        return -HV_EPERM; /* nothing could ever wake it */
    }
    if (vcpu_shared(vm)->events_pending == 0) {
        vm->state = VM_BLOCKED;
    }
    return HV_OK;
}

/*
 * The guests whose virtual timer may be armed, a bit per vm_pool index:
 * the timer loops below, on every timer interrupt and HV_OP_TIMER_SET,
 * visit these alone. A bit may outlive its deadline (a restarted guest's
 * state is cleared): the loops drop it when they find the deadline 0.
 */
static uint32_t vcpu_timers_armed;
_Static_assert(HV_MAX_VMS <= 32, "vcpu_timers_armed has a bit per guest");

void vcpu_timer_arm(struct vm *vm, uint64_t deadline)
{
    vm->timer_deadline = deadline;
    if (deadline != 0) {
        vcpu_timers_armed |= 1u << (unsigned int)(vm - vm_pool);
    }
}

void vcpu_check_timers(void)
{
    uint64_t now = clock_now_ns();

    for (uint32_t armed = vcpu_timers_armed; armed != 0; armed &= armed - 1) {
        unsigned int i = (unsigned int)__builtin_ctz(armed);
        struct vm *vm = vm_by_index(i);
        if (vm->timer_deadline == 0) {
            vcpu_timers_armed &= ~(1u << i);
            continue;
        }
        if ((vm->state != VM_RUNNABLE && vm->state != VM_BLOCKED) ||
            vm->timer_deadline > now) {
            continue;
        }
        vm->timer_deadline = 0;
        vcpu_timers_armed &= ~(1u << i);
        vcpu_raise(vm, HV_EVENT_TIMER);
    }
}

uint64_t vcpu_next_deadline(uint64_t limit)
{
    uint64_t next = limit;

    for (uint32_t armed = vcpu_timers_armed; armed != 0; armed &= armed - 1) {
        const struct vm *vm = vm_by_index((unsigned int)__builtin_ctz(armed));
        if (vm->state != VM_FREE && vm->state != VM_STOPPED &&
            vm->timer_deadline != 0 && vm->timer_deadline < next) {
            next = vm->timer_deadline;
        }
    }
    return next;
}
