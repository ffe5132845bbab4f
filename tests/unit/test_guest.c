/* SPDX-License-Identifier: MIT */
/*
 * hv/core/guest.c: guest_resume answers who runs next, or nobody (the
 * arch then waits for an interrupt: fake_exception_return, as arm32's
 * arch_exception_dispatch), guest_stop stops a guest once, and the
 * lifecycle policy: decisions (guest_decide), restarts with fresh memory
 * and the same id and name, backoff, limit, halting.
 */
#include <arch/fake.h>

#include "hv/clock.h"
#include "hv/evtchn.h"
#include "hv/guest.h"
#include "hv/hypercall.h"
#include "hv/irq.h"
#include "hv/irqchip.h"
#include "hv/mem.h"
#include "hv/sched.h"
#include "hv/selfcheck.h"
#include "hv/timer.h"
#include "hv/timer_dev.h"
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

/* --- Lifecycle policy: guest_decide ----------------------------------------
 */

static struct vm_policy gt_policy(uint8_t on_crash, uint8_t on_shutdown,
                                  uint32_t limit, uint32_t delay_ms,
                                  uint32_t delay_max_ms)
{
    return (struct vm_policy){
        .on_crash = on_crash,
        .on_shutdown = on_shutdown,
        .on_limit = VM_ACTION_STOP,
        .limit = limit,
        .delay_ms = delay_ms,
        .delay_max_ms = delay_max_ms,
    };
}

TEST(guest, decide_by_kind_of_end)
{
    struct vm_policy p =
        gt_policy(VM_ACTION_RESTART, VM_ACTION_HALT, 5, 100, 1000);
    struct guest_decision d = guest_decide(&p, 0, 0, true);
    EXPECT_EQ(d.action, VM_ACTION_RESTART);
    EXPECT_EQ(d.restarts, 1u);
    EXPECT_EQ(d.delay_ms, 100u);
    d = guest_decide(&p, 2, 0, false);
    EXPECT_EQ(d.action, VM_ACTION_HALT);
    EXPECT_EQ(d.restarts, 2u); /* not a restart: the count stays */
    EXPECT_FALSE(d.limit_reached);
    p.on_crash = VM_ACTION_STOP;
    EXPECT_EQ(guest_decide(&p, 0, 0, true).action, VM_ACTION_STOP);
}

TEST(guest, decide_backoff_doubles_up_to_the_cap)
{
    struct vm_policy p =
        gt_policy(VM_ACTION_RESTART, VM_ACTION_STOP, 0, 100, 1000);
    static const uint32_t want[] = {100, 200, 400, 800, 1000, 1000};
    for (uint32_t r = 0; r < 6; r++) {
        struct guest_decision d = guest_decide(&p, r, 0, true);
        EXPECT_EQ(d.action, VM_ACTION_RESTART);
        EXPECT_EQ(d.delay_ms, want[r]);
        EXPECT_EQ(d.restarts, r + 1);
    }
    /* No limit: the count goes on, the delay stays at the cap. */
    EXPECT_EQ(guest_decide(&p, 0xfffffff0u, 0, true).delay_ms, 1000u);
    /* No delay: none, however many restarts. */
    p.delay_ms = 0;
    EXPECT_EQ(guest_decide(&p, 0xfffffff0u, 0, true).delay_ms, 0u);
    /* The cap of the manifest's maximum, without overflow. */
    p.delay_ms = 3000000;
    p.delay_max_ms = 3600000;
    EXPECT_EQ(guest_decide(&p, 1, 0, true).delay_ms, 3600000u);
    EXPECT_EQ(guest_decide(&p, 0, 0, true).delay_ms, 3000000u);
}

TEST(guest, decide_limit)
{
    struct vm_policy p =
        gt_policy(VM_ACTION_STOP, VM_ACTION_RESTART, 3, 10, 1000);
    struct guest_decision d = guest_decide(&p, 2, 0, false);
    EXPECT_EQ(d.action, VM_ACTION_RESTART);
    EXPECT_EQ(d.restarts, 3u);
    d = guest_decide(&p, 3, 0, false);
    EXPECT_EQ(d.action, VM_ACTION_STOP);
    EXPECT_TRUE(d.limit_reached);
    EXPECT_EQ(d.restarts, 3u);
    p.on_limit = VM_ACTION_HALT;
    EXPECT_EQ(guest_decide(&p, 3, 0, false).action, VM_ACTION_HALT);
}

TEST(guest, decide_window_starts_the_count_over)
{
    struct vm_policy p =
        gt_policy(VM_ACTION_RESTART, VM_ACTION_STOP, 3, 10, 1000);
    p.window_ms = 100;
    /* A life shorter than the window: the limit holds. */
    EXPECT_TRUE(guest_decide(&p, 3, 99999999ull, true).limit_reached);
    /* As long as the window: count and backoff start over. */
    struct guest_decision d = guest_decide(&p, 3, 100000000ull, true);
    EXPECT_EQ(d.action, VM_ACTION_RESTART);
    EXPECT_EQ(d.restarts, 1u);
    EXPECT_EQ(d.delay_ms, 10u);
}

/* --- Lifecycle: stopping, restarting ---------------------------------------
 */

#define GT_TICK_IRQ 34u
#define GT_MS 1000u /* counter ticks (1 MHz) */

/* Outlives the guest: a restart reloads it from here. */
static struct vm_config gt_cfg;

/* alpha (2 MiB, @policy) running and beta; now is 1 ms, a 100 ms slice. */
static void gt_life_setup(struct vm_policy policy)
{
    unit_vm_setup();
    fake_counter_set(1 * GT_MS);
    clock_set_source(&fake_timer);
    tick_timer = &fake_timer;
    irq_set_tick(GT_TICK_IRQ);
    irqchip->enable(GT_TICK_IRQ);
    gt_cfg = unit_vm_config("alpha", 2 * UNIT_MIB);
    gt_cfg.policy = policy;
    alpha = vm_create(&gt_cfg);
    ASSERT_TRUE(alpha != NULL);
    beta = unit_vm_create("beta", UNIT_MIB);
    sched_set_current(alpha);
    timer_start_slice(HV_WEIGHT_MAX);
    fake_output_clear();
}

TEST(guest, restart_reloads_fresh_memory_keeping_id_and_name)
{
    gt_life_setup(gt_policy(VM_ACTION_RESTART, VM_ACTION_STOP, 5, 0, 0));
    uint32_t base = UNIT_GUEST_BASE;
    paddr_t pa = alpha->mem_pa;
    uint32_t free_before = mem_free_bytes();
    /* What the first life leaves behind: a changed image, data above
     * it, CPU state, a channel to beta. */
    *(uint8_t *)unit_vm_mem(alpha, base) = 0x55;
    *(uint32_t *)unit_vm_mem(alpha, base + 0x80000) = 0xfeedface;
    alpha->arch.tpidrurw = 7;
    vcpu_timer_arm(alpha, 123456789);
    alpha->callbacks[0] = base + 0x1000;
    int32_t port = evtchn_alloc_unbound(beta, alpha->id);
    ASSERT_TRUE(port > 0);
    int32_t local = evtchn_bind_interdomain(alpha, beta->id, (uint32_t)port);
    ASSERT_TRUE(local > 0);

    guest_stop_fault(alpha, &(struct fault_info){
                                .kind = "data abort on read",
                                .detail = "translation fault, page",
                                .address = 4,
                                .pc = base + 0x100,
                                .status = 7,
                                .upcall = -1,
                            });
    EXPECT_STREQ(fake_output(),
                 "hv: guest 1 'alpha' stopped: data abort on read "
                 "(translation fault, page) at address 0x00000004, pc "
                 "0x80000100, status 0x00000007; restarting in 0 ms "
                 "(restart 1 of 5)\r\n");
    EXPECT_EQ(alpha->state, VM_STOPPED);
    EXPECT_EQ(mem_free_bytes(), free_before + 2 * UNIT_MIB);
    /* The peer sees the close, as for any stop. */
    EXPECT_EQ(beta->ports[port].kind, EVTCHN_UNBOUND);
    /* Not run again before its restart: beta runs. */
    EXPECT_PTR_EQ(guest_resume(), &beta->regs);
    fake_output_clear();

    guest_restart_due();
    EXPECT_STREQ(fake_output(), "hv: guest 1 'alpha' restarted (restart 1 of "
                                "5)\r\n");
    EXPECT_EQ(alpha->state, VM_RUNNABLE);
    EXPECT_EQ(alpha->id, 1u);
    EXPECT_STREQ(alpha->name, "alpha");
    EXPECT_EQ(alpha->life.restarts, 1u);
    EXPECT_EQ(alpha->life.restart_ns, 0u);
    EXPECT_EQ(mem_free_bytes(), free_before);
    /* The same memory, zeroed and loaded again from the image. */
    EXPECT_EQ(pa_addr(alpha->mem_pa), pa_addr(pa));
    EXPECT_EQ(*(uint8_t *)unit_vm_mem(alpha, base), unit_vm_image[0]);
    EXPECT_EQ(*(uint32_t *)unit_vm_mem(alpha, base + 0x80000), 0u);
    const struct hv_start_info *si =
        unit_vm_mem(alpha, base + 2 * UNIT_MIB - 4096);
    EXPECT_EQ(si->magic, HV_START_INFO_MAGIC);
    EXPECT_EQ(si->vm_id, 1u);
    EXPECT_EQ(alpha->arch.tpidrurw, 0u);
    EXPECT_EQ(alpha->timer_deadline, 0u);
    EXPECT_EQ(alpha->callbacks[0], 0u);
    EXPECT_EQ(alpha->ports[0].kind, EVTCHN_TIMER);
    EXPECT_EQ(alpha->ports[local].kind, EVTCHN_FREE);
    /* Reloaded on the monitor's table; nobody runs until the next pick,
     * which switches in full. */
    EXPECT_EQ(fake_current_ttbr0(), 0u);
    EXPECT_PTR_EQ(sched_current(), NULL);
    EXPECT_PTR_EQ(guest_resume(), &alpha->regs);
    EXPECT_PTR_EQ(fake_last_activated(), alpha);
    EXPECT_TRUE(selfcheck_report());
}

static void gt_crash_alpha(void)
{
    guest_stop(alpha, HV_HALT_GUEST_FAULT, true);
}

static void gt_resume_ctx(void *ctx)
{
    (void)ctx;
    (void)guest_resume();
}

TEST(guest, restart_waits_for_its_backoff_until_the_limit)
{
    gt_life_setup(gt_policy(VM_ACTION_RESTART, VM_ACTION_STOP, 3, 50, 150));
    gt_crash_alpha();
    EXPECT_CONTAINS(fake_output(), "restarting in 50 ms (restart 1 of 3)");
    /* The timer comes at the restart, before the slice end (101 ms). */
    EXPECT_EQ(fake_timer_programmed_ns(), 50 * HV_TIME_SLICE_UNIT_NS);
    fake_counter_set(51 * GT_MS - 1);
    guest_restart_due();
    EXPECT_EQ(alpha->state, VM_STOPPED);
    fake_counter_set(51 * GT_MS);
    guest_restart_due();
    EXPECT_EQ(alpha->state, VM_RUNNABLE);

    fake_output_clear();
    gt_crash_alpha();
    EXPECT_CONTAINS(fake_output(), "restarting in 100 ms (restart 2 of 3)");
    fake_counter_set(151 * GT_MS - 1);
    guest_restart_due();
    EXPECT_EQ(alpha->state, VM_STOPPED);
    fake_counter_set(151 * GT_MS);
    guest_restart_due();
    EXPECT_EQ(alpha->state, VM_RUNNABLE);

    fake_output_clear();
    gt_crash_alpha();
    EXPECT_CONTAINS(fake_output(), "restarting in 150 ms (restart 3 of 3)");
    fake_counter_set(301 * GT_MS);
    guest_restart_due();
    EXPECT_EQ(alpha->state, VM_RUNNABLE);

    fake_output_clear();
    gt_crash_alpha();
    EXPECT_STREQ(fake_output(), "hv: guest 1 'alpha' stopped (code 240); "
                                "restart limit reached (3 restarts), stays "
                                "stopped\r\n");
    EXPECT_EQ(alpha->state, VM_STOPPED);
    EXPECT_EQ(alpha->life.restart_ns, 0u);
    fake_counter_set(10000 * GT_MS);
    guest_restart_due();
    EXPECT_EQ(alpha->state, VM_STOPPED);
    /* Used up, it counts as a stopped guest: its fault is the code. */
    EXPECT_PTR_EQ(guest_resume(), &beta->regs);
    guest_stop(beta, 0, false);
    EXPECT_TRUE(fake_halt_catch(gt_resume_ctx, NULL));
    EXPECT_EQ(fake_halt_code(), HV_HALT_GUEST_FAULT);
}

static void gt_restart_ticks(void)
{
    /* As the one-shot timer would: at the restart. */
    fake_counter_set(21 * GT_MS);
    fake_timer_fire();
    fake_gic_raise(GT_TICK_IRQ);
}

TEST(guest, resume_waits_for_a_pending_restart)
{
    gt_life_setup(gt_policy(VM_ACTION_RESTART, VM_ACTION_STOP, 5, 20, 20));
    guest_stop(beta, 0, false);
    gt_crash_alpha();
    /* Nobody can run, but alpha comes back: wait, do not halt. */
    EXPECT_PTR_EQ(guest_resume(), NULL);
    fake_set_wfi_hook(gt_restart_ticks);
    EXPECT_PTR_EQ(fake_exception_return(NULL), &alpha->regs);
    EXPECT_EQ(fake_wfi_count(), 1u);
    EXPECT_EQ(alpha->state, VM_RUNNABLE);
    EXPECT_PTR_EQ(fake_last_activated(), alpha);
    EXPECT_CONTAINS(fake_output(), "hv: guest 1 'alpha' restarted");
}

TEST(guest, restart_parks_the_running_guest)
{
    gt_life_setup(gt_policy(VM_ACTION_RESTART, VM_ACTION_STOP, 5, 5, 5));
    gt_crash_alpha();
    EXPECT_PTR_EQ(guest_resume(), &beta->regs);
    EXPECT_PTR_EQ(sched_current(), beta);
    unsigned int switches = fake_vcpu_switch_count();
    /* The restart is due, beta's slice (to 11 ms) is not over. */
    fake_counter_set(6 * GT_MS);
    fake_timer_fire();
    fake_gic_raise(GT_TICK_IRQ);
    irq_handle();
    /* beta's CPU state was saved, alpha reloaded on the monitor's table;
     * the next pick starts from the first guest. */
    EXPECT_EQ(alpha->state, VM_RUNNABLE);
    EXPECT_EQ(fake_vcpu_switch_count(), switches + 1);
    EXPECT_PTR_EQ(fake_vcpu_switch_prev(), beta);
    EXPECT_PTR_EQ(fake_vcpu_switch_next(), NULL);
    EXPECT_PTR_EQ(guest_resume(), &alpha->regs);
    EXPECT_PTR_EQ(fake_last_activated(), alpha);
}

TEST(guest, shutdown_policy_and_crash_codes)
{
    gt_life_setup(gt_policy(VM_ACTION_STOP, VM_ACTION_RESTART, 0, 0, 0));
    guest_shutdown(alpha, 0);
    EXPECT_STREQ(fake_output(), "hv: guest 1 'alpha' shut down with code 0; "
                                "restarting in 0 ms (restart 1)\r\n");
    guest_restart_due();
    EXPECT_EQ(alpha->state, VM_RUNNABLE);
    fake_output_clear();
    /* A non-zero code is a crash: on-crash says stop. */
    guest_shutdown(alpha, 2);
    EXPECT_STREQ(fake_output(),
                 "hv: guest 1 'alpha' shut down with code 2\r\n");
    guest_restart_due();
    EXPECT_EQ(alpha->state, VM_STOPPED);
}

static void gt_crash_alpha_ctx(void *ctx)
{
    (void)ctx;
    gt_crash_alpha();
}

TEST(guest, limit_halts_when_the_policy_says)
{
    struct vm_policy p = gt_policy(VM_ACTION_RESTART, VM_ACTION_STOP, 1, 0, 0);
    p.on_limit = VM_ACTION_HALT;
    gt_life_setup(p);
    gt_crash_alpha();
    guest_restart_due();
    EXPECT_EQ(alpha->state, VM_RUNNABLE);
    fake_output_clear();
    EXPECT_TRUE(fake_halt_catch(gt_crash_alpha_ctx, NULL));
    EXPECT_EQ(fake_halt_code(), HV_HALT_GUEST_FAULT);
    EXPECT_CONTAINS(fake_output(), "restart limit reached (1 restarts), "
                                   "halting the system\r\n");
    EXPECT_CONTAINS(fake_output(), "hv: self-check: ok");
    EXPECT_CONTAINS(fake_output(), "hv: halting: guest 'alpha' has "
                                   "on-restart-limit = \"halt-system\" (code "
                                   "240)\r\n");
}

TEST(guest, crash_halts_when_the_policy_says)
{
    gt_life_setup(gt_policy(VM_ACTION_HALT, VM_ACTION_STOP, 0, 0, 0));
    EXPECT_TRUE(fake_halt_catch(gt_crash_alpha_ctx, NULL));
    EXPECT_EQ(fake_halt_code(), HV_HALT_GUEST_FAULT);
    EXPECT_CONTAINS(fake_output(), "hv: halting: guest 'alpha' has on-crash "
                                   "= \"halt-system\" (code 240)\r\n");
}

TEST(guest, restart_without_memory_stays_stopped)
{
    gt_life_setup(gt_policy(VM_ACTION_RESTART, VM_ACTION_STOP, 5, 0, 0));
    gt_crash_alpha();
    /* Something took every free granule meanwhile. */
    paddr_t taken;
    while (mem_alloc(UNIT_MIB, &taken)) {
    }
    ASSERT_EQ(mem_free_bytes(), 0u);
    fake_output_clear();
    guest_restart_due();
    EXPECT_CONTAINS(fake_output(), "guest 'alpha': cannot allocate");
    EXPECT_CONTAINS(fake_output(), "hv: guest 1 'alpha' could not be "
                                   "restarted; stays stopped\r\n");
    EXPECT_EQ(alpha->state, VM_STOPPED);
    EXPECT_EQ(alpha->id, 1u);
    EXPECT_EQ(alpha->life.restart_ns, 0u);
    EXPECT_PTR_EQ(vm_by_id(1), NULL);
    /* Not pending any more: with beta gone too, the system halts with
     * alpha's fault. */
    EXPECT_PTR_EQ(guest_resume(), &beta->regs);
    guest_stop(beta, 0, false);
    EXPECT_TRUE(fake_halt_catch(gt_resume_ctx, NULL));
    EXPECT_EQ(fake_halt_code(), HV_HALT_GUEST_FAULT);
}

/* HV_OP_VM_KILL as the trap makes it: @killer's registers. */
static int32_t gt_kill(struct vm *killer, uint32_t id, uint32_t how)
{
    EXPECT_PTR_EQ(sched_current(), killer);
    killer->regs.r[12] = HV_OP_VM_KILL;
    killer->regs.r[0] = id;
    killer->regs.r[1] = how;
    EXPECT_PTR_EQ(fake_exception_return(hypercall_handle(killer)),
                  &killer->regs);
    return (int32_t)killer->regs.r[0];
}

static const struct hv_start_info *gt_start_info(const struct vm *vm)
{
    return unit_vm_mem(vm, gva_addr(vm->mem_gva) + vm->mem_size - 4096);
}

TEST(guest, kill_errors_in_order)
{
    gt_life_setup(gt_policy(VM_ACTION_RESTART, VM_ACTION_STOP, 5, 0, 0));
    sched_set_current(beta);
    /* Default: may kill no one, whatever the id. */
    EXPECT_EQ(beta->may_kill, 0u);
    EXPECT_EQ(gt_kill(beta, alpha->id, HV_VM_KILL_CRASH), -HV_EPERM);
    EXPECT_EQ(gt_kill(beta, 0, HV_VM_KILL_CRASH), -HV_EPERM);
    EXPECT_EQ(gt_kill(beta, HV_MAX_VMS + 1, HV_VM_KILL_CRASH), -HV_EPERM);
    EXPECT_EQ(gt_kill(beta, 0xffffffffu, HV_VM_KILL_SHUTDOWN), -HV_EPERM);
    /* EINVAL first: a bad how, or itself, even with the right. */
    beta->may_kill = 0xffu;
    EXPECT_EQ(gt_kill(beta, alpha->id, 2), -HV_EINVAL);
    EXPECT_EQ(gt_kill(beta, beta->id, HV_VM_KILL_CRASH), -HV_EINVAL);
    /* A slot nobody uses: allowed, but no such running guest. */
    EXPECT_EQ(gt_kill(beta, 5, HV_VM_KILL_CRASH), -HV_ENOENT);
    EXPECT_EQ(alpha->state, VM_RUNNABLE);
    EXPECT_STREQ(fake_output(), "");
}

TEST(guest, kill_is_a_crash_under_the_targets_policy)
{
    gt_life_setup(gt_policy(VM_ACTION_RESTART, VM_ACTION_STOP, 5, 20, 20));
    uint32_t free_before = mem_free_bytes();
    EXPECT_EQ(gt_start_info(alpha)->restarts, 0u);
    sched_set_current(beta);
    beta->may_kill = 1u << (alpha->id - 1);

    EXPECT_EQ(gt_kill(beta, alpha->id, HV_VM_KILL_CRASH), HV_OK);
    EXPECT_STREQ(fake_output(), "hv: guest 1 'alpha' killed by guest 2 "
                                "'beta'; restarting in 20 ms (restart 1 of "
                                "5)\r\n");
    EXPECT_EQ(alpha->state, VM_STOPPED);
    EXPECT_EQ(alpha->exit_code, HV_HALT_GUEST_FAULT);
    EXPECT_EQ(mem_free_bytes(), free_before + 2 * UNIT_MIB);
    /* The killer runs on; the target is gone until its restart. */
    EXPECT_PTR_EQ(sched_current(), beta);
    EXPECT_EQ(beta->state, VM_RUNNABLE);
    EXPECT_EQ(gt_kill(beta, alpha->id, HV_VM_KILL_CRASH), -HV_ENOENT);
    /* Without the right, the same call is EPERM: no lookup first. */
    beta->may_kill = 0;
    EXPECT_EQ(gt_kill(beta, alpha->id, HV_VM_KILL_CRASH), -HV_EPERM);
    beta->may_kill = 1u;

    fake_counter_set(21 * GT_MS);
    fake_output_clear();
    guest_restart_due();
    EXPECT_STREQ(fake_output(), "hv: guest 1 'alpha' restarted (restart 1 of "
                                "5)\r\n");
    EXPECT_EQ(gt_start_info(alpha)->restarts, 1u);

    /* As a shutdown: on-shutdown says stop, so no policy suffix. */
    fake_output_clear();
    EXPECT_PTR_EQ(guest_resume(), &alpha->regs);
    sched_set_current(beta);
    EXPECT_EQ(gt_kill(beta, alpha->id, HV_VM_KILL_SHUTDOWN), HV_OK);
    EXPECT_STREQ(fake_output(),
                 "hv: guest 1 'alpha' shut down by guest 2 'beta'\r\n");
    EXPECT_EQ(alpha->state, VM_STOPPED);
    EXPECT_EQ(alpha->exit_code, 0u);
    EXPECT_EQ(alpha->life.restart_ns, 0u);
    EXPECT_EQ(gt_kill(beta, alpha->id, HV_VM_KILL_SHUTDOWN), -HV_ENOENT);
    EXPECT_TRUE(selfcheck_report());
}

static void gt_beta_kills_alpha(void *ctx)
{
    (void)ctx;
    (void)gt_kill(beta, alpha->id, HV_VM_KILL_CRASH);
}

TEST(guest, kill_halts_when_the_targets_policy_says)
{
    gt_life_setup(gt_policy(VM_ACTION_HALT, VM_ACTION_STOP, 0, 0, 0));
    sched_set_current(beta);
    beta->may_kill = 1u;
    EXPECT_TRUE(fake_halt_catch(gt_beta_kills_alpha, NULL));
    EXPECT_EQ(fake_halt_code(), HV_HALT_GUEST_FAULT);
    EXPECT_CONTAINS(fake_output(), "hv: guest 1 'alpha' killed by guest 2 "
                                   "'beta'\r\n");
    EXPECT_CONTAINS(fake_output(), "hv: halting: guest 'alpha' has on-crash "
                                   "= \"halt-system\" (code 240)\r\n");
}

TEST(guest, kill_feature_bit)
{
    gt_setup();
    alpha->regs.r[12] = HV_OP_FEATURES;
    alpha->regs.r[0] = 0;
    (void)fake_exception_return(hypercall_handle(alpha));
    EXPECT_EQ(alpha->regs.r[0], 0u);
    EXPECT_TRUE((alpha->regs.r[1] & (1u << HV_FEAT_VM_KILL)) != 0);
}

TEST(guest, start_info_counts_every_restart)
{
    /* A window of 10 ms: the policy's count starts over, the start
     * info's does not. */
    struct vm_policy p = gt_policy(VM_ACTION_RESTART, VM_ACTION_STOP, 1, 0, 0);
    p.window_ms = 10;
    gt_life_setup(p);
    EXPECT_EQ(gt_start_info(alpha)->restarts, 0u);
    gt_crash_alpha();
    guest_restart_due();
    EXPECT_EQ(alpha->life.restarts, 1u);
    EXPECT_EQ(gt_start_info(alpha)->restarts, 1u);
    fake_counter_set(50 * GT_MS); /* a stable life: the count starts over */
    gt_crash_alpha();
    EXPECT_CONTAINS(fake_output(), "(restart 1 of 1)");
    guest_restart_due();
    EXPECT_EQ(alpha->state, VM_RUNNABLE);
    EXPECT_EQ(alpha->life.restarts, 1u);
    EXPECT_EQ(gt_start_info(alpha)->restarts, 2u);
}
