/* SPDX-License-Identifier: MIT */
/*
 * hv/core/vcpu.c (guestabi/include/hvabi/vcpu.h): the shared page, upcalls,
 * HV_OP_IRET, blocking, events and the virtual timer, on guests made by
 * vm_create (1 MiB at UNIT_GUEST_BASE, initial tables in the kernel
 * domain).
 */
#include <arch/fake.h>
#include <hvabi/mmu.h>
#include <stdio.h>
#include <string.h>

#include "hv/fault.h"
#include "hv/guest.h"
#include "hv/clock.h"
#include "hv/pt.h"
#include "hv/sched.h"
#include "hv/vcpu.h"
#include "unit.h"
#include "unit_vm.h"

#define MIB UNIT_MIB
#define BASE UNIT_GUEST_BASE
#define SHARED_OFF 0x2000u
#define FRAME_GVA (BASE + 0x7000u) /* where tests put frames for IRET */
#define KSTACK (BASE + 0x9000u)    /* the kernel stack of upcalls */
/* A small page as pt_build_initial maps one, read-only. */
#define PAGE_RO                                                                \
    ((uint32_t)(HV_L2_SMALL | HV_L2_TEXCB(HV_TEXCB_NORMAL_WBWA) | HV_L2_NG |   \
                HV_L2_AP(HV_AP_PL0_RO)))

static struct vm *alpha;
static struct vm *beta;

static struct hv_vcpu_shared *vc_shared(struct vm *vm)
{
    return unit_vm_mem(vm, BASE + SHARED_OFF);
}

static paddr_t vc_pa(struct vm *vm, uint32_t off)
{
    return pa_add(vm->mem_pa, off);
}

/* The initial L1 and L2 of a 1 MiB guest, from its start info. */
static const struct hv_start_info *vc_si(struct vm *vm)
{
    return unit_vm_mem(vm, BASE + MIB - 4096);
}

/* alpha (shared page registered, running) and beta (none). */
static void vc_setup(void)
{
    unit_vm_setup();
    alpha = unit_vm_create("alpha", MIB);
    beta = unit_vm_create("beta", MIB);
    sched_set_current(alpha);
    ASSERT_EQ(vcpu_register(alpha, vc_pa(alpha, SHARED_OFF)), HV_OK);
    fake_output_clear();
}

static struct hv_frame *vc_frame(struct vm *vm, uint32_t gva)
{
    return unit_vm_mem(vm, gva);
}

/* A frame at FRAME_GVA of @vm with distinct registers and @cpsr. */
static struct hv_frame *vc_put_frame(struct vm *vm, uint32_t cpsr)
{
    struct hv_frame *f = vc_frame(vm, FRAME_GVA);
    for (int i = 0; i < 13; i++) {
        f->r[i] = 0x200u + (uint32_t)i;
    }
    f->sp = BASE + 0x6000;
    f->lr = BASE + 0x1111;
    f->pc = BASE + 0x2222;
    f->cpsr = cpsr;
    f->orig_r0 = 0x999;
    return f;
}

/* Registers the running guest had before an operation that must fail. */
static void vc_fill_regs(struct vm *vm)
{
    for (int i = 0; i < 13; i++) {
        vm->regs.r[i] = 0x100u + (uint32_t)i;
    }
    vm->regs.sp = BASE + 0x8888;
    vm->regs.lr = BASE + 0x444;
    vm->regs.pc = BASE + 0x1234;
    vm->regs.cpsr = 0x10;
}

/* --- HV_OP_VCPU_REGISTER ------------------------------------------------- */

TEST(vcpu, register_errors)
{
    unit_vm_setup();
    alpha = unit_vm_create("alpha", MIB);
    beta = unit_vm_create("beta", MIB);
    const struct hv_start_info *si = vc_si(alpha);

    EXPECT_EQ(vcpu_register(alpha, vc_pa(alpha, SHARED_OFF + 4)), -HV_EINVAL);
    EXPECT_EQ(vcpu_register(alpha, vc_pa(alpha, SHARED_OFF + 0x800)),
              -HV_EINVAL);
    EXPECT_EQ(vcpu_register(alpha, vc_pa(beta, SHARED_OFF)), -HV_EPERM);
    EXPECT_EQ(vcpu_register(alpha, pa_init(FAKE_RAM_BASE + 32 * MIB)),
              -HV_EPERM);
    EXPECT_EQ(vcpu_register(alpha, pa_init(0x10000000u)), -HV_EPERM);
    EXPECT_EQ(vcpu_register(alpha, vc_pa(alpha, MIB)), -HV_EPERM);
    EXPECT_EQ(vcpu_register(alpha, pa_init(si->pt_l1)), -HV_EBUSY);
    EXPECT_EQ(vcpu_register(alpha, pa_init(si->pt_l1 + 0x3000)), -HV_EBUSY);
    EXPECT_EQ(vcpu_register(alpha, pa_init(si->pt_l2_first)), -HV_EBUSY);
    EXPECT_EQ(pa_addr(alpha->vcpu_shared), 0u);
    /* Without a page nothing is delivered, nothing blocks. */
    EXPECT_FALSE(vcpu_can_upcall(alpha, HV_UPCALL_EVENT));
    EXPECT_EQ(vcpu_block(alpha), -HV_EPERM);
}

TEST(vcpu, register_initializes_the_page)
{
    unit_vm_setup();
    alpha = unit_vm_create("alpha", MIB);
    struct hv_vcpu_shared *sh = vc_shared(alpha);
    struct pt_frame_counts c;

    /* What the guest left there before registering. */
    sh->events_pending = 0xffffffffu;
    sh->mode = 0x77;
    sh->time_version = 6;
    sh->events_masked = 1;
    sh->kernel_sp = 0x1234;
    ASSERT_EQ(vcpu_register(alpha, vc_pa(alpha, SHARED_OFF)), HV_OK);
    EXPECT_EQ(pa_addr(alpha->vcpu_shared), pa_addr(vc_pa(alpha, SHARED_OFF)));
    EXPECT_EQ(sh->events_pending, 0u);
    EXPECT_EQ(sh->mode, HV_VCPSR_KERNEL);
    EXPECT_EQ(sh->time_version, 8u); /* one update, even */
    /* The guest's own fields are the guest's. */
    EXPECT_EQ(sh->events_masked, 1u);
    EXPECT_EQ(sh->kernel_sp, 0x1234u);
    ASSERT_TRUE(pt_frame_counts(vc_pa(alpha, SHARED_OFF), &c));
    EXPECT_EQ(c.type, 3u);

    /* Another page, from virtual user mode: the old one is released. */
    alpha->mode = VM_MODE_USER;
    struct hv_vcpu_shared *sh2 = unit_vm_mem(alpha, BASE + 0x3000);
    sh2->mode = 0x77;
    ASSERT_EQ(vcpu_register(alpha, vc_pa(alpha, 0x3000)), HV_OK);
    EXPECT_EQ(sh2->mode, HV_VCPSR_USER);
    EXPECT_EQ(pa_addr(alpha->vcpu_shared), pa_addr(vc_pa(alpha, 0x3000)));
    ASSERT_TRUE(pt_frame_counts(vc_pa(alpha, SHARED_OFF), &c));
    EXPECT_EQ(c.type, 0u);
    ASSERT_TRUE(pt_frame_counts(vc_pa(alpha, 0x3000), &c));
    EXPECT_EQ(c.type, 3u);

    /* A refused register keeps the page there is. */
    EXPECT_EQ(vcpu_register(alpha, vc_pa(alpha, 0x4001)), -HV_EINVAL);
    EXPECT_EQ(pa_addr(alpha->vcpu_shared), pa_addr(vc_pa(alpha, 0x3000)));
    ASSERT_TRUE(pt_frame_counts(vc_pa(alpha, 0x3000), &c));
    EXPECT_EQ(c.type, 3u);
}

/*
 * Bug: hv/core/vcpu.c vcpu_register marks the new page shared
 * (pt_set_shared) and then releases the old one (pt_clear_shared) without
 * checking that they differ. Registering the page that is already
 * registered therefore leaves it unmarked: it can then be pinned as a
 * page table (once mapped read-only) while the monitor still writes
 * events_pending, mode and the time pair into it, so the guest gets the
 * monitor to write into its own page table. <hvabi/hypercall.h> says "The
 * frame can never be pinned as a table while registered".
 */
TEST(vcpu, register_same_page_twice)
{
    unit_vm_setup();
    alpha = unit_vm_create("alpha", MIB);
    const paddr_t pa = vc_pa(alpha, SHARED_OFF);
    struct hv_vcpu_shared *sh = vc_shared(alpha);
    struct pt_frame_counts c;

    ASSERT_EQ(vcpu_register(alpha, pa), HV_OK);
    ASSERT_EQ(vcpu_register(alpha, pa), HV_OK);
    ASSERT_TRUE(pt_frame_counts(pa, &c));
    EXPECT_EQ(c.type, 3u);
    /* The page is the guest's memory: it maps it read-only (through the
     * hardware half of its initial L2 frame, so that only the shared
     * marking can refuse the pin) and pins it. The shared fields lie in
     * the first 2 KiB, the half of an L2 frame a pin does not check; the
     * second half is zero, valid L2 entries. */
    const uint32_t l2 = vc_si(alpha)->pt_l2_first;
    ASSERT_EQ(
        pt_update(alpha,
                  pa_init(l2 + HV_MMU_L2_HW_OFFSET + 4 * (SHARED_OFF / 4096)),
                  (uint32_t)pa_addr(pa) | PAGE_RO),
        HV_OK);
    ASSERT_TRUE(pt_frame_counts(pa, &c));
    EXPECT_EQ(c.writable_refs, 0u);
    int32_t rc = pt_pin_l2(alpha, pa, 0);
    EXPECT_EQ(rc, -HV_EBUSY);
    if (rc == HV_OK) {
        /* What follows: the monitor writes into a pinned table frame. */
        vcpu_raise(alpha, 0x32u);
        EXPECT_NE(((const uint32_t *)sh)[4], 0x32u);
    }
}

/* --- HV_OP_VCPU_CALLBACKS ------------------------------------------------ */

TEST(vcpu, set_callbacks)
{
    vc_setup();
    struct hv_callbacks *cb = unit_vm_mem(alpha, BASE + 0x6000);
    const uint32_t entries[HV_UPCALL_COUNT] = {BASE + 0x100, BASE + 0x200, 0,
                                               BASE + 0x401, BASE + 0x500};

    memcpy(cb->entry, entries, sizeof(entries));
    ASSERT_EQ(vcpu_set_callbacks(alpha, gva_init(BASE + 0x6000)), HV_OK);
    for (unsigned int i = 0; i < HV_UPCALL_COUNT; i++) {
        EXPECT_EQ(alpha->callbacks[i], entries[i]);
    }
    EXPECT_TRUE(vcpu_can_upcall(alpha, HV_UPCALL_EVENT));
    EXPECT_FALSE(vcpu_can_upcall(alpha, HV_UPCALL_DATA_ABORT));
    EXPECT_TRUE(vcpu_can_upcall(alpha, HV_UPCALL_UNDEFINED));

    EXPECT_EQ(alpha->callback_flags, 0u);
    EXPECT_EQ(alpha->syscall_entry_in_place, 0u);

    /* Each reserved field must be 0, and flags only known bits; a refused
     * call changes nothing. */
    for (unsigned int r = 0; r < 2 + 31; r++) {
        memset(cb, 0, sizeof(*cb));
        cb->entry[0] = BASE + 0x999;
        cb->flags = HV_CALLBACKS_REGS_IN_PLACE;
        if (r < 2) {
            cb->reserved[r] = 1u << (r * 8);
        } else {
            cb->flags |= 1u << (r - 1); /* bits 1-31 */
        }
        EXPECT_EQ(vcpu_set_callbacks(alpha, gva_init(BASE + 0x6000)),
                  -HV_EINVAL);
        EXPECT_EQ(alpha->callbacks[0], entries[0]);
        EXPECT_EQ(alpha->callback_flags, 0u);
        EXPECT_EQ(alpha->syscall_entry_in_place, 0u);
    }

    /* The registers in place: the flag, and the system call entry the
     * fast path tests; gone with the next call without the flag. */
    memcpy(cb->entry, entries, sizeof(entries));
    cb->flags = HV_CALLBACKS_REGS_IN_PLACE;
    ASSERT_EQ(vcpu_set_callbacks(alpha, gva_init(BASE + 0x6000)), HV_OK);
    EXPECT_EQ(alpha->callback_flags, HV_CALLBACKS_REGS_IN_PLACE);
    EXPECT_EQ(alpha->syscall_entry_in_place, entries[HV_UPCALL_SYSCALL]);
    cb->flags = 0;
    ASSERT_EQ(vcpu_set_callbacks(alpha, gva_init(BASE + 0x6000)), HV_OK);
    EXPECT_EQ(alpha->callback_flags, 0u);
    EXPECT_EQ(alpha->syscall_entry_in_place, 0u);

    /* Unreadable: past the end, unmapped, the window, or kernel memory
     * seen from virtual user mode. */
    EXPECT_EQ(vcpu_set_callbacks(alpha, gva_init(BASE + MIB - 16)), -HV_EFAULT);
    EXPECT_EQ(vcpu_set_callbacks(alpha, gva_init(0x1000)), -HV_EFAULT);
    EXPECT_EQ(vcpu_set_callbacks(alpha, gva_init(HV_MMU_WINDOW_BASE)),
              -HV_EFAULT);
    memset(cb, 0, sizeof(*cb));
    alpha->mode = VM_MODE_USER;
    EXPECT_EQ(vcpu_set_callbacks(alpha, gva_init(BASE + 0x6000)), -HV_EFAULT);
    EXPECT_EQ(alpha->callbacks[1], entries[1]);
    alpha->mode = VM_MODE_KERNEL;
    /* All zero: no upcall of any kind. */
    EXPECT_EQ(vcpu_set_callbacks(alpha, gva_init(BASE + 0x6000)), HV_OK);
    EXPECT_FALSE(vcpu_can_upcall(alpha, HV_UPCALL_UNDEFINED));
    /* Entries need the shared page too. */
    beta->callbacks[HV_UPCALL_EVENT] = BASE + 0x100;
    EXPECT_FALSE(vcpu_can_upcall(beta, HV_UPCALL_EVENT));
}

/* --- Upcalls ------------------------------------------------------------- */

TEST(vcpu, upcall_from_user_mode)
{
    vc_setup();
    struct hv_vcpu_shared *sh = vc_shared(alpha);
    const uint32_t frame_va = KSTACK - sizeof(struct hv_frame);
    uint32_t *above = unit_vm_mem(alpha, KSTACK);

    *above = 0x5a5a5a5au;
    sh->kernel_sp = KSTACK;
    sh->events_masked = 0;
    alpha->callbacks[HV_UPCALL_DATA_ABORT] = BASE + 0x500;
    alpha->mode = VM_MODE_USER;
    for (int i = 0; i < 13; i++) {
        alpha->regs.r[i] = 0x100u + (uint32_t)i;
    }
    alpha->regs.sp = BASE + 0x77770;
    alpha->regs.lr = BASE + 0x1001;
    alpha->regs.pc = BASE + 0x1234;
    /* N, C, E, A, I, F, T, USR: only the guest's bits go in the frame. */
    alpha->regs.cpsr = 0xa00003f0u;
    int changes = alpha->arch.mode_changes;

    struct arch_regs *next =
        fault_upcall(alpha, HV_UPCALL_DATA_ABORT, 0xdead0004u, 0x805);
    EXPECT_PTR_EQ(next, &alpha->regs);

    const struct hv_frame *f = vc_frame(alpha, frame_va);
    for (int i = 0; i < 13; i++) {
        EXPECT_EQ(f->r[i], 0x100u + (uint32_t)i);
    }
    EXPECT_EQ(f->sp, BASE + 0x77770);
    EXPECT_EQ(f->lr, BASE + 0x1001);
    EXPECT_EQ(f->pc, BASE + 0x1234);
    EXPECT_EQ(f->cpsr, 0xa0000230u); /* flags, E, T, mode 0x10, I clear */
    EXPECT_EQ(f->orig_r0, 0x100u);
    EXPECT_EQ(*above, 0x5a5a5a5au);

    /* Kernel mode, events masked, at the entry with the frame. */
    EXPECT_EQ(alpha->mode, VM_MODE_KERNEL);
    EXPECT_EQ(sh->mode, HV_VCPSR_KERNEL);
    EXPECT_EQ(sh->events_masked, 1u);
    EXPECT_TRUE(alpha->arch.mode_changes > changes);
    EXPECT_EQ(alpha->regs.r[0], frame_va);
    EXPECT_EQ(alpha->regs.sp, frame_va);
    EXPECT_EQ(alpha->regs.r[1], 0xdead0004u);
    EXPECT_EQ(alpha->regs.r[2], 0x805u);
    EXPECT_EQ(alpha->regs.r[3], (uint32_t)HV_UPCALL_DATA_ABORT);
    EXPECT_EQ(alpha->regs.pc, BASE + 0x500);
    EXPECT_EQ(alpha->regs.cpsr, 0x50u); /* ARM state, USR, F masked */
    EXPECT_EQ(alpha->state, VM_RUNNABLE);
}

/*
 * With the registers in place a system call's frame gets only sp, lr,
 * pc and cpsr (the rest of it is the kernel's to store), and the entry
 * runs with the caller's r0-r12; other upcalls still write it all.
 */
TEST(vcpu, upcall_syscall_registers_in_place)
{
    vc_setup();
    struct hv_vcpu_shared *sh = vc_shared(alpha);
    const uint32_t frame_va = KSTACK - sizeof(struct hv_frame);
    struct hv_frame *f = vc_frame(alpha, frame_va);

    memset(f, 0x5a, sizeof(*f));
    sh->kernel_sp = KSTACK;
    sh->events_masked = 0;
    alpha->callbacks[HV_UPCALL_SYSCALL] = BASE + 0x501; /* Thumb */
    alpha->callbacks[HV_UPCALL_DATA_ABORT] = BASE + 0x600;
    alpha->callback_flags = HV_CALLBACKS_REGS_IN_PLACE;
    alpha->mode = VM_MODE_USER;
    vc_fill_regs(alpha);
    alpha->regs.cpsr = 0x60000050u; /* Z, C; USR, F */

    struct arch_regs *next =
        fault_upcall(alpha, HV_UPCALL_SYSCALL, BASE + 0x1234, 0);
    EXPECT_PTR_EQ(next, &alpha->regs);
    for (int i = 0; i < 13; i++) {
        EXPECT_EQ(f->r[i], 0x5a5a5a5au);
        EXPECT_EQ(alpha->regs.r[i], 0x100u + (uint32_t)i);
    }
    EXPECT_EQ(f->orig_r0, 0x5a5a5a5au);
    EXPECT_EQ(f->sp, BASE + 0x8888);
    EXPECT_EQ(f->lr, BASE + 0x444);
    EXPECT_EQ(f->pc, BASE + 0x1234);
    EXPECT_EQ(f->cpsr, 0x60000010u);
    EXPECT_EQ(alpha->mode, VM_MODE_KERNEL);
    EXPECT_EQ(sh->events_masked, 1u);
    EXPECT_EQ(alpha->regs.sp, frame_va);
    EXPECT_EQ(alpha->regs.lr, 0u);
    EXPECT_EQ(alpha->regs.pc, BASE + 0x500);
    EXPECT_EQ(alpha->regs.cpsr, 0x70u); /* Thumb, USR, F masked */

    /* A data abort from user mode: the whole frame, as without the flag. */
    memset(f, 0x5a, sizeof(*f));
    sh->events_masked = 0;
    alpha->mode = VM_MODE_USER;
    vc_fill_regs(alpha);
    fault_upcall(alpha, HV_UPCALL_DATA_ABORT, 0xdead0004u, 0x805);
    for (int i = 0; i < 13; i++) {
        EXPECT_EQ(f->r[i], 0x100u + (uint32_t)i);
    }
    EXPECT_EQ(f->orig_r0, 0x100u);
    EXPECT_EQ(alpha->regs.r[0], frame_va);
    EXPECT_EQ(alpha->regs.r[1], 0xdead0004u);
    EXPECT_EQ(alpha->regs.r[3], (uint32_t)HV_UPCALL_DATA_ABORT);
}

/* Its four words cannot be written: stopped, as with a whole frame. */
TEST(vcpu, upcall_syscall_registers_in_place_unwritable_stops_guest)
{
    vc_setup();
    struct hv_vcpu_shared *sh = vc_shared(alpha);
    const uint32_t l1_gva = BASE + (vc_si(alpha)->pt_l1 - FAKE_RAM_BASE);

    sh->kernel_sp = l1_gva + 0x100;
    alpha->callbacks[HV_UPCALL_SYSCALL] = BASE + 0x500;
    alpha->callback_flags = HV_CALLBACKS_REGS_IN_PLACE;
    alpha->mode = VM_MODE_USER;
    vc_fill_regs(alpha);
    fault_upcall(alpha, HV_UPCALL_SYSCALL, 0, 0);
    EXPECT_EQ(alpha->state, VM_STOPPED);
    EXPECT_CONTAINS(fake_output(), "kernel stack is not writable");
}

TEST(vcpu, upcall_from_kernel_mode)
{
    vc_setup();
    struct hv_vcpu_shared *sh = vc_shared(alpha);

    sh->kernel_sp = KSTACK; /* not used from kernel mode */
    sh->events_masked = 1;
    alpha->callbacks[HV_UPCALL_UNDEFINED] = BASE + 0x601; /* Thumb */
    alpha->mode = VM_MODE_KERNEL;
    vc_fill_regs(alpha);
    alpha->regs.sp = BASE + 0x8004; /* not 8-byte aligned */
    alpha->regs.cpsr = 0x40000010u;

    fault_upcall(alpha, HV_UPCALL_UNDEFINED, 0, 0);
    const uint32_t frame_va = (BASE + 0x8004 - 72) & ~7u;
    EXPECT_EQ(frame_va % 8, 0u);
    const struct hv_frame *f = vc_frame(alpha, frame_va);
    EXPECT_EQ(f->r[0], 0x100u);
    EXPECT_EQ(f->r[12], 0x10cu);
    EXPECT_EQ(f->sp, BASE + 0x8004);
    EXPECT_EQ(f->lr, BASE + 0x444);
    EXPECT_EQ(f->pc, BASE + 0x1234);
    EXPECT_EQ(f->cpsr, 0x40000000u | HV_VCPSR_KERNEL | HV_VCPSR_I);
    EXPECT_EQ(f->orig_r0, 0x100u);
    /* Nothing went below kernel_sp. */
    const struct hv_frame *unused =
        vc_frame(alpha, KSTACK - sizeof(struct hv_frame));
    EXPECT_EQ(unused->pc, 0u);

    EXPECT_EQ(alpha->mode, VM_MODE_KERNEL);
    EXPECT_EQ(sh->events_masked, 1u);
    EXPECT_EQ(alpha->regs.r[0], frame_va);
    EXPECT_EQ(alpha->regs.sp, frame_va);
    EXPECT_EQ(alpha->regs.r[1], 0u);
    EXPECT_EQ(alpha->regs.r[2], 0u);
    EXPECT_EQ(alpha->regs.r[3], (uint32_t)HV_UPCALL_UNDEFINED);
    EXPECT_EQ(alpha->regs.pc, BASE + 0x600);
    EXPECT_TRUE(alpha->regs.cpsr & 0x20u); /* entered in Thumb state */
}

TEST(vcpu, upcall_to_unwritable_stack_stops_guest)
{
    vc_setup();
    struct hv_vcpu_shared *sh = vc_shared(alpha);
    const uint32_t l1_gva = BASE + (vc_si(alpha)->pt_l1 - FAKE_RAM_BASE);

    /* The kernel stack is in the (read-only) L1. */
    sh->kernel_sp = l1_gva + 0x100;
    alpha->callbacks[HV_UPCALL_SYSCALL] = BASE + 0x500;
    alpha->mode = VM_MODE_USER;
    vc_fill_regs(alpha);
    struct arch_regs *next = fault_upcall(alpha, HV_UPCALL_SYSCALL, 0, 0);

    EXPECT_EQ(alpha->state, VM_STOPPED);
    EXPECT_PTR_EQ(next, &beta->regs);
    EXPECT_PTR_EQ(sched_current(), beta);
    EXPECT_CONTAINS(fake_output(), "guest 1 'alpha' stopped");
    EXPECT_CONTAINS(fake_output(), "upcall failed");
    EXPECT_CONTAINS(fake_output(), "kernel stack is not writable");
    char where[40];
    snprintf(where, sizeof(where), "address 0x%08x",
             (unsigned)(l1_gva + 0x100 - 72));
    EXPECT_CONTAINS(fake_output(), where);
    EXPECT_CONTAINS(fake_output(), "pc 0x80001234");
    EXPECT_EQ(beta->state, VM_RUNNABLE);
}

static struct vm *vc_guest_with_stack(const char *name, bool from_user,
                                      uint32_t sp)
{
    struct vm *vm = unit_vm_create(name, MIB);
    ASSERT_EQ(vcpu_register(vm, vc_pa(vm, SHARED_OFF)), HV_OK);
    vm->callbacks[HV_UPCALL_PREFETCH_ABORT] = BASE + 0x500;
    vc_fill_regs(vm);
    if (from_user) {
        vm->mode = VM_MODE_USER;
        vc_shared(vm)->kernel_sp = sp;
    } else {
        vm->regs.sp = sp;
    }
    return vm;
}

TEST(vcpu, upcall_stack_outside_memory_stops_guest)
{
    unit_vm_setup();
    struct vm *runner = unit_vm_create("runner", MIB);
    struct vm *cases[] = {
        vc_guest_with_stack("zero", true, 0),   /* below 0: wraps */
        vc_guest_with_stack("low", true, 0x40), /* less than a frame */
        vc_guest_with_stack("past", false, BASE + MIB + 0x100),
        vc_guest_with_stack("below", false, BASE + 0x20), /* straddles */
        vc_guest_with_stack("window", false, HV_MMU_WINDOW_BASE + 0x1000),
    };

    /* Last first: the scheduler then always moves on to the runner. */
    for (size_t i = ARRAY_SIZE(cases); i-- > 0;) {
        sched_set_current(cases[i]);
        struct arch_regs *next =
            fault_upcall(cases[i], HV_UPCALL_PREFETCH_ABORT, BASE, 0xd);
        EXPECT_EQ(cases[i]->state, VM_STOPPED);
        EXPECT_PTR_EQ(next, &runner->regs);
    }
    EXPECT_EQ(unit_count(fake_output(), "upcall failed"), ARRAY_SIZE(cases));
    EXPECT_EQ(runner->state, VM_RUNNABLE);
}

/* --- HV_OP_IRET ---------------------------------------------------------- */

TEST(vcpu, iret_to_user_mode)
{
    vc_setup();
    struct hv_vcpu_shared *sh = vc_shared(alpha);

    sh->user_tls = 0x1234abcdu;
    sh->events_masked = 0;
    vc_put_frame(alpha, 0x800000b0u); /* N, I, T, user */
    int changes = alpha->arch.mode_changes;
    ASSERT_EQ(vcpu_iret(alpha, gva_init(FRAME_GVA)), HV_OK);

    for (int i = 0; i < 13; i++) {
        EXPECT_EQ(alpha->regs.r[i], 0x200u + (uint32_t)i);
    }
    EXPECT_EQ(alpha->regs.sp, BASE + 0x6000);
    EXPECT_EQ(alpha->regs.lr, BASE + 0x1111);
    EXPECT_EQ(alpha->regs.pc, BASE + 0x2222);
    EXPECT_EQ(alpha->regs.cpsr, 0x80000030u); /* really USR, I not real */
    EXPECT_EQ(alpha->mode, VM_MODE_USER);
    EXPECT_EQ(sh->mode, HV_VCPSR_USER);
    EXPECT_EQ(sh->events_masked, 1u);
    EXPECT_EQ(alpha->arch.tpidruro, 0x1234abcdu);
    EXPECT_TRUE(alpha->arch.mode_changes > changes);
}

/* With the registers in place r1-r11 are the caller's at the call. */
TEST(vcpu, iret_registers_in_place)
{
    vc_setup();
    alpha->callback_flags = HV_CALLBACKS_REGS_IN_PLACE;
    vc_shared(alpha)->events_masked = 1;
    vc_put_frame(alpha, 0x60000010u); /* Z, C, user */
    vc_fill_regs(alpha);
    ASSERT_EQ(vcpu_iret(alpha, gva_init(FRAME_GVA)), HV_OK);
    EXPECT_EQ(alpha->regs.r[0], 0x200u);
    for (int i = 1; i < 12; i++) {
        EXPECT_EQ(alpha->regs.r[i], 0x100u + (uint32_t)i);
    }
    EXPECT_EQ(alpha->regs.r[12], 0x20cu);
    EXPECT_EQ(alpha->regs.sp, BASE + 0x6000);
    EXPECT_EQ(alpha->regs.lr, BASE + 0x1111);
    EXPECT_EQ(alpha->regs.pc, BASE + 0x2222);
    EXPECT_EQ(alpha->regs.cpsr, 0x60000010u); /* sanitized on resume */
    EXPECT_EQ(alpha->mode, VM_MODE_USER);
    EXPECT_EQ(vc_shared(alpha)->events_masked, 0u);
}

TEST(vcpu, iret_to_kernel_mode)
{
    vc_setup();
    struct hv_vcpu_shared *sh = vc_shared(alpha);

    sh->user_tls = 0x1234abcdu;
    sh->events_masked = 1;
    alpha->arch.tpidruro = 0x5555u;
    vc_put_frame(alpha, 0x40000013u); /* Z, kernel, events unmasked */
    ASSERT_EQ(vcpu_iret(alpha, gva_init(FRAME_GVA)), HV_OK);
    EXPECT_EQ(alpha->regs.r[0], 0x200u); /* r0, not orig_r0 */
    EXPECT_EQ(alpha->regs.pc, BASE + 0x2222);
    EXPECT_EQ(alpha->regs.cpsr, 0x40000010u);
    EXPECT_EQ(alpha->mode, VM_MODE_KERNEL);
    EXPECT_EQ(sh->mode, HV_VCPSR_KERNEL);
    EXPECT_EQ(sh->events_masked, 0u);
    EXPECT_EQ(alpha->arch.tpidruro, 0x5555u); /* only on return to user */

    /* Every guest flag survives (NZCVQ, IT, GE, E, T: literal on purpose,
     * an oracle for HV_VCPSR_FLAGS). */
    vc_put_frame(alpha, 0xfe0ffe20u | HV_VCPSR_USER);
    ASSERT_EQ(vcpu_iret(alpha, gva_init(FRAME_GVA)), HV_OK);
    EXPECT_EQ(alpha->regs.cpsr, 0xfe0ffe30u);
}

TEST(vcpu, iret_refuses_bad_cpsr)
{
    static const uint32_t bad[] = {
        0x00,
        0x03,
        0x0f,
        0x11,
        0x12,
        0x16,
        0x17,
        0x1a,
        0x1b,
        0x1f,
        0x14,
        0x18,
        0x1c,
        0x10 | 0x100u,
        0x13 | 0x100u, /* A */
        0x10 | 0x40u,
        0x13 | 0x40u, /* F */
        0x10 | 0x01000000u,
        0x13 | 0x01000000u, /* J */
        0x10 | 0x00100000u,
        0x10 | 0x00200000u, /* reserved */
        0x10 | 0x00400000u,
        0x10 | 0x00800000u,
    };

    vc_setup();
    struct hv_vcpu_shared *sh = vc_shared(alpha);
    sh->events_masked = 1;
    sh->user_tls = 0x1234u;
    alpha->arch.tpidruro = 0x5555u;
    vc_fill_regs(alpha);
    const struct arch_regs before = alpha->regs;

    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        vc_put_frame(alpha, bad[i]);
        int32_t rc = vcpu_iret(alpha, gva_init(FRAME_GVA));
        if (rc != -HV_EINVAL) {
            unit_fail(__FILE__, __LINE__, false, "cpsr 0x%08x: %d",
                      (unsigned)bad[i], (int)rc);
        }
        EXPECT_EQ(memcmp(&alpha->regs, &before, sizeof(before)), 0);
        EXPECT_EQ(alpha->mode, VM_MODE_KERNEL);
        EXPECT_EQ(sh->mode, HV_VCPSR_KERNEL);
        EXPECT_EQ(sh->events_masked, 1u);
        EXPECT_EQ(alpha->arch.tpidruro, 0x5555u);
    }
}

TEST(vcpu, iret_unreadable_frame)
{
    vc_setup();
    vc_fill_regs(alpha);
    const struct arch_regs before = alpha->regs;

    EXPECT_EQ(vcpu_iret(alpha, gva_init(BASE + MIB - 8)), -HV_EFAULT);
    EXPECT_EQ(vcpu_iret(alpha, gva_init(0)), -HV_EFAULT);
    EXPECT_EQ(vcpu_iret(alpha, gva_init(0xfffffff0u)), -HV_EFAULT);
    /* The kernel's memory, from virtual user mode. */
    vc_put_frame(alpha, HV_VCPSR_KERNEL);
    alpha->mode = VM_MODE_USER;
    EXPECT_EQ(vcpu_iret(alpha, gva_init(FRAME_GVA)), -HV_EFAULT);
    EXPECT_EQ(alpha->mode, VM_MODE_USER);
    EXPECT_EQ(memcmp(&alpha->regs, &before, sizeof(before)), 0);
}

TEST(vcpu, iret_needs_shared_page)
{
    vc_setup();
    vc_put_frame(beta, HV_VCPSR_USER);
    vc_fill_regs(beta);
    const struct arch_regs before = beta->regs;
    EXPECT_EQ(vcpu_iret(beta, gva_init(FRAME_GVA)), -HV_EPERM);
    EXPECT_EQ(memcmp(&beta->regs, &before, sizeof(before)), 0);
    EXPECT_EQ(beta->mode, VM_MODE_KERNEL);
}

/* --- Events -------------------------------------------------------------- */

/* As guest_resume delivers: nothing here can make the upcall fail. */
static void vc_deliver(struct vm *vm)
{
    struct fault_info failed;
    if (vcpu_events_due(vm)) {
        EXPECT_EQ(vcpu_upcall(vm, HV_UPCALL_EVENT, 0, 0, &failed), HV_OK);
    }
}

TEST(vcpu, deliver_events_only_when_due)
{
    vc_setup();
    struct hv_vcpu_shared *sh = vc_shared(alpha);

    vc_fill_regs(alpha);
    alpha->regs.sp = KSTACK;
    const struct arch_regs before = alpha->regs;
    alpha->callbacks[HV_UPCALL_EVENT] = BASE + 0x700;

    sh->events_masked = 1;
    sh->events_pending = 0x4;
    vc_deliver(alpha); /* masked */
    EXPECT_EQ(memcmp(&alpha->regs, &before, sizeof(before)), 0);
    sh->events_masked = 0;
    sh->events_pending = 0;
    vc_deliver(alpha); /* nothing pending */
    EXPECT_EQ(memcmp(&alpha->regs, &before, sizeof(before)), 0);
    sh->events_pending = 0x4;
    alpha->callbacks[HV_UPCALL_EVENT] = 0;
    alpha->callbacks[HV_UPCALL_SYSCALL] = BASE + 0x800;
    vc_deliver(alpha); /* no event entry */
    EXPECT_EQ(memcmp(&alpha->regs, &before, sizeof(before)), 0);
    EXPECT_EQ(sh->events_masked, 0u);

    alpha->callbacks[HV_UPCALL_EVENT] = BASE + 0x700;
    vc_deliver(alpha);
    EXPECT_EQ(alpha->regs.pc, BASE + 0x700);
    EXPECT_EQ(alpha->regs.r[1], 0u);
    EXPECT_EQ(alpha->regs.r[2], 0u);
    EXPECT_EQ(alpha->regs.r[3], (uint32_t)HV_UPCALL_EVENT);
    EXPECT_EQ(alpha->regs.sp, KSTACK - 72);
    EXPECT_EQ(sh->events_masked, 1u);
    EXPECT_EQ(sh->events_pending, 0x4u); /* the guest clears it */
    EXPECT_EQ(vc_frame(alpha, KSTACK - 72)->pc, BASE + 0x1234);

    /* Without a shared page nothing happens. */
    vc_fill_regs(beta);
    const struct arch_regs beta_before = beta->regs;
    beta->callbacks[HV_UPCALL_EVENT] = BASE + 0x700;
    vc_deliver(beta);
    EXPECT_EQ(memcmp(&beta->regs, &beta_before, sizeof(beta_before)), 0);
}

TEST(vcpu, block_and_raise)
{
    vc_setup();
    struct hv_vcpu_shared *sh = vc_shared(alpha);

    EXPECT_EQ(vcpu_block(beta), -HV_EPERM);
    EXPECT_EQ(beta->state, VM_RUNNABLE);

    sh->events_pending = 0;
    EXPECT_EQ(vcpu_block(alpha), HV_OK);
    EXPECT_EQ(alpha->state, VM_BLOCKED);
    vcpu_raise(alpha, 1u << 4);
    EXPECT_EQ(alpha->state, VM_RUNNABLE);
    EXPECT_EQ(sh->events_pending, 1u << 4);
    vcpu_raise(alpha, 1u << 0);
    EXPECT_EQ(sh->events_pending, (1u << 4) | 1u);
    EXPECT_EQ(alpha->state, VM_RUNNABLE);

    /* Pending already, even masked: no sleep. */
    sh->events_masked = 1;
    EXPECT_EQ(vcpu_block(alpha), HV_OK);
    EXPECT_EQ(alpha->state, VM_RUNNABLE);

    /* A guest without a page is left alone. */
    vcpu_raise(beta, 1u << 3);
    EXPECT_EQ(beta->state, VM_RUNNABLE);
    EXPECT_EQ(vc_shared(beta)->events_pending, 0u);
}

/* --- The virtual timer and the guest clock -------------------------------- */

TEST(vcpu, check_timers_fires_due_deadlines)
{
    unit_vm_setup();
    struct vm *v[5];
    static const char *const names[] = {"a", "b", "c", "d", "e"};
    for (int i = 0; i < 5; i++) {
        v[i] = unit_vm_create(names[i], MIB);
        if (i != 3) {
            ASSERT_EQ(vcpu_register(v[i], vc_pa(v[i], SHARED_OFF)), HV_OK);
        }
    }
    fake_counter_set(10000); /* 10 ms at 1 MHz */
    clock_set_source(&fake_timer);

    vcpu_timer_arm(v[0], 5000000); /* past, and blocked */
    v[0]->state = VM_BLOCKED;
    vc_shared(v[0])->events_pending = 0x4;
    vcpu_timer_arm(v[1], 10000000); /* exactly now */
    vcpu_timer_arm(v[2], 10000001); /* a nanosecond ahead */
    vcpu_timer_arm(v[3], 2000000);  /* due, but no shared page */
    vcpu_timer_arm(v[4], 1000000);  /* due, but the guest stopped */
    guest_stop(v[4], 0, false);
    vc_shared(v[4])->events_pending = 0;

    vcpu_check_timers();
    EXPECT_EQ(v[0]->timer_deadline, 0u);
    EXPECT_EQ(vc_shared(v[0])->events_pending, 0x4u | HV_EVENT_TIMER);
    EXPECT_EQ(v[0]->state, VM_RUNNABLE);
    EXPECT_EQ(v[1]->timer_deadline, 0u);
    EXPECT_EQ(vc_shared(v[1])->events_pending, HV_EVENT_TIMER);
    EXPECT_EQ(v[2]->timer_deadline, 10000001u);
    EXPECT_EQ(vc_shared(v[2])->events_pending, 0u);
    EXPECT_EQ(v[3]->timer_deadline, 0u); /* disarmed all the same */
    EXPECT_EQ(v[4]->timer_deadline, 1000000u);
    EXPECT_EQ(vc_shared(v[4])->events_pending, 0u);
    EXPECT_EQ(v[4]->state, VM_STOPPED);

    /* Fired once only. */
    vc_shared(v[1])->events_pending = 0;
    vcpu_check_timers();
    EXPECT_EQ(vc_shared(v[1])->events_pending, 0u);

    fake_counter_set(10001);
    vcpu_check_timers();
    EXPECT_EQ(v[2]->timer_deadline, 0u);
    EXPECT_EQ(vc_shared(v[2])->events_pending, HV_EVENT_TIMER);
    clock_set_source(NULL);
}

TEST(vcpu, update_time)
{
    vc_setup();
    struct hv_vcpu_shared *sh = vc_shared(alpha);
    const uint32_t v0 = sh->time_version;

    EXPECT_EQ(v0 % 2, 0u);
    const struct timer_dev dev = {.counter = fake_timer.counter,
                                  .hz = 1000000,
                                  .guest_page = pa_init(0x10020000u),
                                  .guest_offset = 0x24};
    clock_set_guest_counter(&dev);
    fake_counter_set(0x123456789ull);
    vcpu_update_time(alpha);
    EXPECT_EQ(sh->time_version, v0 + 2);
    EXPECT_EQ(sh->time_ticks, 0x23456789u);
    EXPECT_EQ(sh->time_ns, 0x123456789ull * 1000);

    fake_counter_set(0x200000000ull + 7);
    vcpu_update_time(alpha);
    EXPECT_EQ(sh->time_version, v0 + 4);
    EXPECT_EQ(sh->time_ticks, 7u);
    EXPECT_EQ(sh->time_ns, (0x200000000ull + 7) * 1000);

    /* No page, nothing written. */
    vcpu_update_time(beta);
    EXPECT_EQ(vc_shared(beta)->time_version, 0u);
    EXPECT_EQ(vc_shared(beta)->time_ns, 0u);
    clock_set_guest_counter(NULL);
}

/*
 * The shared page stays mapped for the monitor while other pages come
 * and go (every trap reads it without a remap), and the mapping ends with
 * the guest: an event raised for a stopped guest is dropped, not written
 * to memory it no longer owns.
 */
TEST(vcpu, shared_page_mapping_lasts_and_ends_with_the_guest)
{
    vc_setup();
    struct hv_vcpu_shared *sh = vc_shared(alpha);

    for (uint32_t off = 0; off < MIB; off += 4096) {
        (void)arch_mm_phys_ptr(pa_add(alpha->mem_pa, off), 4);
    }
    vcpu_raise(alpha, 1u << 5);
    EXPECT_EQ(sh->events_pending, 1u << 5);
    EXPECT_TRUE(alpha->vcpu_shared_va != NULL);

    guest_stop(alpha, 0, false);
    EXPECT_EQ(pa_addr(alpha->vcpu_shared), 0u);
    EXPECT_TRUE(alpha->vcpu_shared_va == NULL);
    uint32_t before = sh->events_pending;
    vcpu_raise(alpha, 1u << 6);
    EXPECT_EQ(sh->events_pending, before);
    EXPECT_EQ(vcpu_block(alpha), -HV_EPERM);
}
