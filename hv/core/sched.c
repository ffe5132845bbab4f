/* SPDX-License-Identifier: MIT */
/*
 * Round robin over the guest pool, with wake-up boosts.
 *
 * Each turn is a time slice of the guest's weight in milliseconds
 * (manifest "weight"), ended by the one-shot timer (hv/core/timer.c) or
 * by the guest yielding or blocking; a guest that spins is preempted, so
 * it cannot starve the others.
 *
 * A guest that blocked and is woken (an event: a driver domain kicked by
 * its frontend, its device's interrupt, its virtual timer) would wait for
 * its turn, up to a whole round of the others' slices, and every request
 * of a PV device would wait with it. So a woken guest preempts the one
 * on its turn, once that one has run SCHED_MIN_RUN_NS of it (wake-ups
 * cannot make it thrash), and runs boosted until it blocks, yields or its
 * boost ends; then the next woken guest runs, or the preempted one goes
 * on with the rest of its slice. Boosts are paid for: boosted time is the
 * guest's debt, its next turn is shorter by as much (skipped if the debt
 * is a whole slice), a guest owing a whole slice gets no boost, and the
 * round robin passing a guest that cannot run clears its debt (it gave
 * up that turn). So a guest runs about its own slice per round, boosted
 * or not, and the others keep the share their weights give them: waking
 * often buys latency, not CPU time.
 *
 * This only says who runs next, or nobody: stopping guests, event upcalls
 * and halting are guest.c's, waiting for an interrupt the arch's.
 */
#include "hv/sched.h"

#include "hv/arch.h"
#include "hv/clock.h"
#include "hv/config.h"
#include "hv/pt.h"
#include "hv/timer.h"
#include "hv/vcpu.h"

struct vm *sched_running;

/* The scheduler's own state, in one place: one address to form. */
static struct {
    /* A bit per pool index: owing boosted time (sched_debt_ns not 0).
     * The woken ones, which may be boosted, are vcpu_woken. */
    uint32_t owing;
    /* Whose turn it is (boosts aside): the round robin goes on after
     * it. */
    const struct vm *turn_of;
    /* While sched_running runs boosted, or parked in its boost: the
     * guest whose turn that is, and what is left of it (ns). */
    bool boosting;
    struct vm *preempted;
    uint64_t preempted_left;
    /* A woken guest waits out sched_running's minimum run: the slice end
     * is set for then, and the true one kept here. */
    bool preempt_armed;
    uint64_t true_slice_end;
    uint64_t run_start; /* sched_running ran since then */
} sched;
_Static_assert(HV_MAX_VMS <= 32, "sched.owing has a bit per guest");

/* Only for a guest in use (a free entry's id is 0). */
static uint32_t sched_bit(const struct vm *vm)
{
    return 1u << (vm->id - 1); /* ids are index + 1 */
}

static uint64_t sched_slice_ns(const struct vm *vm)
{
    return (uint64_t)vm->weight * HV_TIME_SLICE_UNIT_NS;
}

void sched_set_current(struct vm *vm)
{
    sched_running = vm;
    vcpu_settled = vm;
    sched.turn_of = vm;
}

/* Runs @next (NULL: nobody) from @now for @slice_ns. */
static inline __attribute__((always_inline)) void
sched_switch(struct vm *next, uint64_t slice_ns, uint64_t now)
{
    if (!next && sched_running) {
        /* Going idle: keep what the last guest left in the CPU. */
        arch_vcpu_switch(sched_running, NULL);
    }
    if (next && next != sched_running) {
        arch_vcpu_switch(sched_running, next);
        /* Another guest's ASID rollover may have taken its ASID. */
        next->active_asid = pt_asid_of(next->active_l1);
        arch_mm_activate(next);
        vcpu_update_time(next);
    }
    if (next) {
        vcpu_woken &= ~sched_bit(next);
    } else {
        /* Idle: the tick still comes, a default slice apart (a slice end
         * left in the past would make it come at once, forever). */
        slice_ns = HV_WEIGHT_DEFAULT * HV_TIME_SLICE_UNIT_NS;
    }
    timer_set_slice_end(now + slice_ns);
    sched.preempt_armed = false;
    sched.run_start = now;
    sched_running = next;
    vcpu_settled = next;
}

/*
 * sched_next_turn while some guest owes boosted time: every guest passed,
 * and the one chosen, has its turn now, so its debt is paid or given up.
 */
static struct vm *sched_next_turn_owing(unsigned int start, uint64_t *slice)
{
    struct vm *skipped = NULL;

    for (unsigned int n = 0; n < HV_MAX_VMS; n++) {
        unsigned int i = (start + n) % HV_MAX_VMS;
        struct vm *vm = vm_by_index(i);
        uint64_t debt = vm->sched_debt_ns;
        vm->sched_debt_ns = 0;
        sched.owing &= ~(1u << i);
        if (vm->state != VM_RUNNABLE) {
            continue;
        }
        uint64_t full = sched_slice_ns(vm);
        if (debt + SCHED_MIN_RUN_NS <= full) {
            *slice = full - debt;
            return vm;
        }
        if (!skipped) {
            skipped = vm; /* its boosts took this turn */
        }
    }
    /* Only guests that owed their turn can run: the first takes it. */
    if (skipped) {
        *slice = sched_slice_ns(skipped);
    }
    return skipped;
}

/*
 * The next guest after @from in pool order to take its turn, with its
 * slice, or NULL if none can run.
 */
static struct vm *sched_next_turn(const struct vm *from, uint64_t *slice)
{
    unsigned int start = from ? from->id : 0; /* ids are index + 1 */

    if (sched.owing != 0) {
        return sched_next_turn_owing(start, slice);
    }
    for (unsigned int n = 0; n < HV_MAX_VMS; n++) {
        struct vm *vm = vm_by_index((start + n) % HV_MAX_VMS);
        if (vm->state == VM_RUNNABLE) {
            *slice = sched_slice_ns(vm);
            return vm;
        }
    }
    return NULL;
}

/* A woken guest that may run boosted, and for how long; NULL if none. */
static struct vm *sched_boost_candidate(uint64_t *slice)
{
    for (uint32_t woken = vcpu_woken; woken != 0; woken &= woken - 1) {
        unsigned int i = (unsigned int)__builtin_ctz(woken);
        struct vm *vm = vm_by_index(i);
        uint64_t full = sched_slice_ns(vm);
        if (vm->state == VM_RUNNABLE && vm != sched_running &&
            vm->sched_debt_ns + SCHED_MIN_RUN_NS <= full) {
            *slice = full - vm->sched_debt_ns;
            return vm;
        }
        /* It stopped, runs already, or owes its next turn: it waits for
         * that turn. */
        vcpu_woken &= ~(1u << i);
    }
    return NULL;
}

/* The running guest's boost is over (it may go on in its own turn). */
static void sched_end_boost(uint64_t now)
{
    if (sched.boosting) {
        sched_running->sched_debt_ns += now - sched.run_start;
        sched.owing |= sched_bit(sched_running);
        sched.boosting = false;
    }
}

void sched_rotate(void)
{
    uint64_t now = clock_now_ns();
    uint64_t slice = 0;
    struct vm *next = NULL;
    bool boost = false;
    bool resumed = false;

    sched_end_boost(now);
    if (sched.preempted) {
        /* A boost ended: another woken guest's, or back to the turn it
         * interrupted. */
        next = sched_boost_candidate(&slice);
        boost = next != NULL;
        if (!next) {
            struct vm *back = sched.preempted;
            sched.preempted = NULL;
            if (back->state == VM_RUNNABLE) {
                next = back;
                slice = sched.preempted_left;
                resumed = true;
            }
        }
    }
    if (!next) {
        next = sched_next_turn(sched.turn_of, &slice);
        if (next) {
            sched.turn_of = next;
        }
    }
    sched_switch(next, slice, now);
    sched.boosting = boost;
    if (boost || resumed) {
        /* The device may be set for later than this slice's end. */
        timer_reprogram();
    }
}

void sched_park(void)
{
    uint64_t now = clock_now_ns();

    sched_end_boost(now);
    sched_switch(NULL, 0, now);
}

void sched_tick(void)
{
    if (sched.preempt_armed) {
        /* Not the slice's end: the minimum run a woken guest waited for
         * is over, and sched_pick decides. */
        sched.preempt_armed = false;
        timer_set_slice_end(sched.true_slice_end);
        sched_repick();
        return;
    }
    sched_rotate();
}

struct vm *sched_pick_slow(void)
{
    struct vm *vm = sched_running;

    if (!vm || vm->state != VM_RUNNABLE) {
        sched_rotate();
        return sched_running;
    }
    vcpu_settled = vm; /* unless preempted below */
    if (sched.boosting) {
        return vm; /* a boost is not preempted: the woken go next */
    }
    uint64_t slice;
    struct vm *woken = sched_boost_candidate(&slice);
    if (!woken) {
        return vm;
    }
    uint64_t now = clock_now_ns();
    uint64_t may_preempt = sched.run_start + SCHED_MIN_RUN_NS;
    uint64_t end =
        sched.preempt_armed ? sched.true_slice_end : timer_slice_end_ns();
    if (now < may_preempt) {
        if (!sched.preempt_armed && may_preempt < end) {
            /* Decided again then (sched_tick). */
            sched.preempt_armed = true;
            sched.true_slice_end = end;
            timer_set_slice_end(may_preempt);
            timer_reprogram();
        }
        return vm;
    }
    sched.preempted = vm;
    sched.preempted_left = end > now ? end - now : 0;
    sched_switch(woken, slice, now);
    sched.boosting = true;
    timer_reprogram();
    return woken;
}

bool sched_any_blocked(void)
{
    for (unsigned int i = 0; i < HV_MAX_VMS; i++) {
        if (vm_by_index(i)->state == VM_BLOCKED) {
            return true;
        }
    }
    return false;
}
