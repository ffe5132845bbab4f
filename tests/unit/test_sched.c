/* SPDX-License-Identifier: MIT */
/*
 * hv/core/sched.c on the fake arch: the round robin, wake-up boosts and
 * what bounds them (the preempted guest's minimum run, the boost's length,
 * the debt that shortens or skips the booster's next turn), and a
 * simulated second of a spinner beside a guest that wakes all the time.
 * The clock counts microseconds; the tick goes through irq_handle as on
 * the board.
 */
#include <arch/fake.h>
#include <stdio.h>

#include "hv/clock.h"
#include "hv/config.h"
#include "hv/irq.h"
#include "hv/irqchip.h"
#include "hv/sched.h"
#include "hv/timer.h"
#include "hv/vcpu.h"
#include "unit.h"
#include "unit_vm.h"

#define TICK_IRQ 34u
#define US 1000ull /* ns */
#define MS 1000000ull
#define MIN_RUN_US (SCHED_MIN_RUN_NS / US)

static struct vm *alpha;
static struct vm *beta;
static struct vm *gamma_;
static uint64_t st_now_us;

static void st_at_us(uint64_t us)
{
    st_now_us = us;
    fake_counter_set(us);
}

/* alpha, beta and gamma, weights 10, 20 and 10; alpha's turn from 0. */
static void st_setup(void)
{
    unit_vm_setup();
    alpha = unit_vm_create("alpha", UNIT_MIB);
    beta = unit_vm_create("beta", UNIT_MIB);
    gamma_ = unit_vm_create("gamma", UNIT_MIB);
    beta->weight = 20;
    /* A shared page each: vcpu_raise wakes only guests that have one. */
    struct vm *all[] = {alpha, beta, gamma_};
    for (unsigned int i = 0; i < 3; i++) {
        ASSERT_EQ(vcpu_register(all[i], pa_add(all[i]->mem_pa, 0x2000u)),
                  HV_OK);
    }
    st_at_us(0);
    clock_set_source(&fake_timer);
    tick_timer = &fake_timer;
    irq_set_tick(TICK_IRQ);
    irqchip->enable(TICK_IRQ);
    sched_set_current(alpha);
    timer_start_slice(alpha->weight);
}

/* The timer interrupt, then the pick guest_resume makes. */
static struct vm *st_tick(void)
{
    fake_timer_fire();
    fake_gic_raise(TICK_IRQ);
    irq_handle();
    return sched_pick();
}

/* When the device was last asked to interrupt (absolute, us). */
static uint64_t st_deadline_us(void)
{
    timer_reprogram();
    return st_now_us + fake_timer_programmed_ns() / US;
}

static void st_block(struct vm *vm)
{
    vm->state = VM_BLOCKED;
}

/* What vcpu_raise does to a blocked guest. */
static void st_wake(struct vm *vm)
{
    vm->state = VM_BLOCKED;
    vcpu_raise(vm, 1);
}

/* st_setup, then gamma blocks and wakes when alpha has had its minimum
 * run: it runs boosted from MIN_RUN_US. */
static void st_setup_gamma_boosted(void)
{
    st_setup();
    st_block(gamma_);
    st_at_us(MIN_RUN_US);
    st_wake(gamma_);
    EXPECT_PTR_EQ(sched_pick(), gamma_);
}

TEST(sched, round_robin_by_weight)
{
    st_setup();
    st_at_us(10 * 1000);
    EXPECT_PTR_EQ(st_tick(), beta);
    EXPECT_EQ(st_deadline_us(), 30u * 1000); /* 20 ms */
    st_at_us(30 * 1000);
    EXPECT_PTR_EQ(st_tick(), gamma_);
    st_at_us(40 * 1000);
    EXPECT_PTR_EQ(st_tick(), alpha);
    /* A yield hands on at once; a blocked guest is passed over. */
    st_block(beta);
    sched_rotate();
    EXPECT_PTR_EQ(sched_current(), gamma_);
}

TEST(sched, idle_tick_stays_a_slice_apart)
{
    st_setup();
    st_at_us(3000);
    st_block(alpha);
    st_block(beta);
    st_block(gamma_);
    EXPECT_TRUE(sched_pick() == NULL);
    /* Nobody runs: the tick comes a default slice from now, not at once
     * (a slice end left in the past made it an interrupt storm). */
    EXPECT_EQ(st_deadline_us(), 3000u + HV_WEIGHT_DEFAULT * 1000);
    st_at_us(3000 + HV_WEIGHT_DEFAULT * 1000);
    EXPECT_TRUE(st_tick() == NULL);
    EXPECT_EQ(st_deadline_us(), 3000u + 2 * HV_WEIGHT_DEFAULT * 1000);
    /* A wake-up while idle is a turn, in full. */
    st_wake(beta);
    EXPECT_PTR_EQ(sched_pick(), beta);
    EXPECT_EQ(st_deadline_us(), st_now_us + 20 * 1000);
}

TEST(sched, woken_guest_waits_out_min_run_then_preempts)
{
    st_setup();
    st_block(beta);
    /* beta wakes 100 us into alpha's turn: alpha runs on until it has
     * had its minimum, and the timer is due then. */
    st_at_us(100);
    st_wake(beta);
    EXPECT_PTR_EQ(sched_pick(), alpha);
    EXPECT_EQ(st_deadline_us(), MIN_RUN_US);
    /* The same decision is not made again on every hypercall. */
    EXPECT_PTR_EQ(vcpu_settled, alpha);
    st_at_us(MIN_RUN_US);
    EXPECT_PTR_EQ(st_tick(), beta);
    /* beta's boost is at most its own slice. */
    EXPECT_EQ(st_deadline_us(), MIN_RUN_US + 20 * 1000);
    /* beta blocks after 300 us: alpha goes on with the rest of its
     * slice, not a new one, and the round robin goes on after alpha. */
    st_at_us(MIN_RUN_US + 300);
    st_block(beta);
    EXPECT_PTR_EQ(sched_pick(), alpha);
    EXPECT_EQ(st_deadline_us(), 10 * 1000 + 300);
    st_at_us(10 * 1000 + 300);
    EXPECT_PTR_EQ(st_tick(), gamma_);
}

TEST(sched, woken_guest_preempts_at_once_after_min_run)
{
    st_setup();
    st_block(gamma_);
    st_at_us(MIN_RUN_US + 1);
    st_wake(gamma_);
    EXPECT_PTR_EQ(sched_pick(), gamma_);
}

TEST(sched, no_boost_when_idle_or_running)
{
    st_setup();
    /* A wake-up of the running guest (not through vcpu_raise, which
     * wakes only blocked ones) changes nothing. */
    st_at_us(MIN_RUN_US + 5);
    vcpu_woken |= 1u;
    vcpu_settled = NULL;
    EXPECT_PTR_EQ(sched_pick(), alpha);
    /* A boost is not preempted by another woken guest: it goes next. */
    st_block(beta);
    st_block(gamma_);
    st_wake(beta);
    EXPECT_PTR_EQ(sched_pick(), beta);
    st_at_us(MIN_RUN_US + 3000);
    st_wake(gamma_);
    EXPECT_PTR_EQ(sched_pick(), beta);
    st_block(beta);
    EXPECT_PTR_EQ(sched_pick(), gamma_);
    st_block(gamma_);
    EXPECT_PTR_EQ(sched_pick(), alpha);
}

TEST(sched, boost_debt_shortens_and_skips_turns)
{
    st_setup_gamma_boosted();
    /* gamma spins: its boost ends after its slice (10 ms); it is still
     * runnable but waits for its turn, and alpha goes on. */
    uint64_t boost_end = MIN_RUN_US + 10 * 1000;
    EXPECT_EQ(st_deadline_us(), boost_end);
    st_at_us(boost_end);
    EXPECT_PTR_EQ(st_tick(), alpha);
    EXPECT_TRUE(gamma_->state == VM_RUNNABLE);
    /* A guest owing a whole slice gets no boost. */
    EXPECT_TRUE(gamma_->sched_debt_ns >= 10 * MS);
    /* alpha's slice ends at 10 ms of its own running: beta's turn, then
     * gamma's is skipped (its boost took it) and alpha runs again. */
    st_at_us(boost_end + 10 * 1000 - MIN_RUN_US);
    EXPECT_PTR_EQ(st_tick(), beta);
    st_at_us(st_now_us + 20 * 1000);
    EXPECT_PTR_EQ(st_tick(), alpha);
    EXPECT_EQ(gamma_->sched_debt_ns, 0u);
    /* Paid: gamma has its next turn in full. */
    st_at_us(st_now_us + 10 * 1000);
    EXPECT_PTR_EQ(st_tick(), beta);
    st_at_us(st_now_us + 20 * 1000);
    EXPECT_PTR_EQ(st_tick(), gamma_);
    EXPECT_EQ(st_deadline_us(), st_now_us + 10 * 1000);
}

TEST(sched, partial_debt_shortens_the_next_turn)
{
    st_setup_gamma_boosted();
    st_at_us(MIN_RUN_US + 4000); /* 4 ms boosted, then it yields */
    sched_rotate();
    EXPECT_PTR_EQ(sched_current(), alpha);
    st_at_us(st_now_us + 10 * 1000 - MIN_RUN_US);
    EXPECT_PTR_EQ(st_tick(), beta);
    st_at_us(st_now_us + 20 * 1000);
    EXPECT_PTR_EQ(st_tick(), gamma_);
    EXPECT_EQ(st_deadline_us(), st_now_us + 6 * 1000);
}

TEST(sched, passing_a_blocked_guest_clears_its_debt)
{
    st_setup_gamma_boosted();
    st_at_us(MIN_RUN_US + 9900);
    st_block(gamma_);
    EXPECT_PTR_EQ(sched_pick(), alpha);
    EXPECT_EQ(gamma_->sched_debt_ns, 9900 * US);
    /* Owing about a slice, gamma gets no boost now. */
    st_wake(gamma_);
    st_at_us(st_now_us + MIN_RUN_US);
    EXPECT_PTR_EQ(sched_pick(), alpha);
    st_block(gamma_);
    /* The round robin passes gamma blocked: its turn is given up, its
     * debt with it, and its next wake boosts it again. */
    st_at_us(st_now_us + 10 * 1000);
    EXPECT_PTR_EQ(st_tick(), beta);
    st_at_us(st_now_us + 20 * 1000);
    EXPECT_PTR_EQ(st_tick(), alpha);
    EXPECT_EQ(gamma_->sched_debt_ns, 0u);
    st_at_us(st_now_us + MIN_RUN_US);
    st_wake(gamma_);
    EXPECT_PTR_EQ(sched_pick(), gamma_);
}

TEST(sched, preempted_guest_stopped_during_boost)
{
    st_setup_gamma_boosted();
    alpha->state = VM_STOPPED; /* killed meanwhile */
    st_block(gamma_);
    /* The round robin goes on after alpha, whose turn it was. */
    EXPECT_PTR_EQ(sched_pick(), beta);
}

TEST(sched, park_during_boost_resumes_the_preempted)
{
    st_setup_gamma_boosted();
    st_at_us(MIN_RUN_US + 100);
    sched_park(); /* a restart */
    EXPECT_TRUE(sched_current() == NULL);
    st_block(gamma_);
    EXPECT_PTR_EQ(sched_pick(), alpha);
    EXPECT_EQ(gamma_->sched_debt_ns, 100 * US);
}

/*
 * One simulated second: alpha spins; beta (weight 10 here) blocks, wakes
 * every @period_us and works @work_us each time. Returns alpha's share
 * in per mille, and beta's in *@beta_pm.
 */
static unsigned int st_simulate(uint64_t period_us, uint64_t work_us,
                                unsigned int *beta_pm)
{
    st_setup();
    beta->weight = 10;
    gamma_->state = VM_STOPPED;
    st_block(beta);
    uint64_t ran[2] = {0, 0};
    uint64_t next_wake = period_us;
    uint64_t work_left = 0;
    const uint64_t end = 1000 * 1000;

    while (st_now_us < end) {
        struct vm *cur = sched_current();
        uint64_t next = st_deadline_us();
        if (beta->state == VM_BLOCKED && next_wake < next) {
            next = next_wake;
        }
        if (cur == beta && st_now_us + work_left < next) {
            next = st_now_us + work_left;
        }
        if (next > end) {
            next = end;
        }
        uint64_t delta = next - st_now_us;
        if (cur == alpha) {
            ran[0] += delta;
        } else if (cur == beta) {
            ran[1] += delta;
            work_left -= delta;
        }
        st_at_us(next);
        if (cur == beta && work_left == 0 && beta->state == VM_RUNNABLE) {
            st_block(beta);
            sched_pick();
        }
        if (beta->state == VM_BLOCKED && st_now_us >= next_wake) {
            while (next_wake <= st_now_us) {
                next_wake += period_us;
            }
            work_left = work_us;
            st_wake(beta);
            sched_pick();
        }
        if (st_now_us >= st_deadline_us()) {
            st_tick();
        }
    }
    *beta_pm = (unsigned int)(ran[1] * 1000 / end);
    printf("alpha %u, beta %u per mille\n", (unsigned)(ran[0] * 1000 / end),
           *beta_pm);
    return (unsigned int)(ran[0] * 1000 / end);
}

TEST(sched, frequent_waker_waits_for_min_runs)
{
    unsigned int beta_pm;
    /* Wakes every 100 us wanting 90 us (90% of the CPU): each wake waits
     * out alpha's minimum run, so it gets a boost per 2 ms. */
    unsigned int alpha_pm = st_simulate(100, 90, &beta_pm);
    EXPECT_TRUE(alpha_pm >= 940);
    EXPECT_TRUE(beta_pm >= 40);
}

TEST(sched, long_waker_cannot_take_more_than_its_weight)
{
    unsigned int beta_pm;
    /* Wakes every 6 ms wanting 5 ms: boosts alone would give it 5 ms of
     * every 7; its debt holds it to about its weight's half. */
    unsigned int alpha_pm = st_simulate(6000, 5000, &beta_pm);
    EXPECT_TRUE(alpha_pm >= 470);
    EXPECT_TRUE(beta_pm <= 530);
}

TEST(sched, light_waker_runs_at_once_and_costs_the_spinner_little)
{
    unsigned int beta_pm;
    /* Every 5 ms, 200 us of work: all of it done (199 wakes in the
     * second), alpha keeps the rest. */
    unsigned int alpha_pm = st_simulate(5000, 200, &beta_pm);
    EXPECT_EQ(beta_pm, 39u);
    EXPECT_EQ(alpha_pm, 960u);
}
