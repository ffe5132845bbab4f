/* SPDX-License-Identifier: MIT */
/*
 * hv/core/guest.c: guest_resume answers who runs next, or nobody (the
 * arch then waits for an interrupt: fake_exception_return, as arm32's
 * arch_exception_dispatch), and guest_stop stops a guest once.
 */
#include <arch/fake.h>

#include "hv/guest.h"
#include "hv/sched.h"
#include "unit.h"
#include "unit_vm.h"

static struct vm *alpha;
static struct vm *beta;

static void gt_setup(void)
{
    unit_vm_setup();
    alpha = unit_vm_create("alpha", UNIT_MIB);
    beta = unit_vm_create("beta", UNIT_MIB);
    sched_set_current(alpha);
    fake_output_clear();
}

TEST(guest, resume_runs_the_current_guest_on)
{
    gt_setup();
    EXPECT_PTR_EQ(guest_resume(), &alpha->regs);
    EXPECT_PTR_EQ(sched_current(), alpha);
    beta->state = VM_BLOCKED;
    alpha->state = VM_BLOCKED;
    beta->state = VM_RUNNABLE;
    EXPECT_PTR_EQ(guest_resume(), &beta->regs);
    EXPECT_PTR_EQ(sched_current(), beta);
}

static void gt_wake_alpha(void)
{
    alpha->state = VM_RUNNABLE; /* as an interrupt's event would */
}

TEST(guest, nobody_runnable_is_null_and_the_arch_waits)
{
    gt_setup();
    alpha->state = VM_BLOCKED;
    beta->state = VM_BLOCKED;
    unsigned int switches = fake_vcpu_switch_count();

    /* Nobody runs: the last guest's CPU state is saved, no wait yet. */
    EXPECT_PTR_EQ(guest_resume(), NULL);
    EXPECT_PTR_EQ(sched_current(), NULL);
    EXPECT_EQ(fake_vcpu_switch_count(), switches + 1);
    EXPECT_PTR_EQ(fake_vcpu_switch_prev(), alpha);
    EXPECT_PTR_EQ(fake_vcpu_switch_next(), NULL);
    EXPECT_EQ(fake_wfi_count(), 0u);

    /* The arch's loop: wait, handle the interrupt, ask again. */
    fake_set_wfi_hook(gt_wake_alpha);
    EXPECT_PTR_EQ(fake_exception_return(NULL), &alpha->regs);
    EXPECT_EQ(fake_wfi_count(), 1u);
    EXPECT_PTR_EQ(sched_current(), alpha);

    /* Something to run already: no wait. */
    EXPECT_PTR_EQ(fake_exception_return(&alpha->regs), &alpha->regs);
    EXPECT_EQ(fake_wfi_count(), 1u);
}

TEST(guest, stop_is_once)
{
    gt_setup();
    guest_stop(beta, 3, false);
    EXPECT_EQ(beta->state, VM_STOPPED);
    EXPECT_EQ(beta->exit_code, 3u);
    guest_stop(beta, 5, true);
    EXPECT_EQ(beta->exit_code, 3u);
    EXPECT_PTR_EQ(guest_resume(), &alpha->regs);
}
