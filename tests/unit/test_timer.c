/* SPDX-License-Identifier: MIT */
/*
 * hv/core/timer.c: the one-shot board timer is programmed for the end of
 * the running guest's slice or the earliest virtual-timer deadline of a
 * live guest, whichever comes first (the fake SP804 records what it was
 * asked for).
 */
#include <arch/fake.h>

#include "hv/guest.h"
#include "hv/clock.h"
#include "hv/config.h"
#include "hv/timer.h"
#include "unit.h"
#include "unit_vm.h"

#define MS 1000000ull /* nanoseconds */

static struct vm *alpha;
static struct vm *beta;
static struct vm *gamma_;

/* Counter at @us microseconds (1 MHz). */
static void tm_at_us(uint64_t us)
{
    fake_counter_set(us);
}

/* Three guests; now is 1 ms; a slice of the default weight (10 ms)
 * started now, so it ends at 11 ms. */
static void tm_setup(void)
{
    unit_vm_setup();
    alpha = unit_vm_create("alpha", UNIT_MIB);
    beta = unit_vm_create("beta", UNIT_MIB);
    gamma_ = unit_vm_create("gamma", UNIT_MIB);
    tm_at_us(1000);
    clock_set_source(&fake_timer);
    tick_timer = &fake_timer;
    timer_start_slice(HV_WEIGHT_DEFAULT);
}

/* Reprograms; returns what the device was asked for (once). */
static uint64_t tm_reprogram(void)
{
    unsigned int before = fake_timer_program_count();
    timer_reprogram();
    EXPECT_EQ(fake_timer_program_count(), before + 1);
    return fake_timer_programmed_ns();
}

TEST(timer, slice_end_without_deadlines)
{
    tm_setup();
    EXPECT_EQ(tm_reprogram(), 10 * MS);
    tm_at_us(4000);
    EXPECT_EQ(tm_reprogram(), 7 * MS);
    /* A slice's length is its weight. */
    timer_start_slice(3);
    EXPECT_EQ(tm_reprogram(), 3 * MS);
}

TEST(timer, earliest_deadline_wins)
{
    tm_setup();
    vcpu_timer_arm(alpha, 5 * MS);
    vcpu_timer_arm(beta, 3 * MS);
    vcpu_timer_arm(gamma_, 20 * MS);
    EXPECT_EQ(tm_reprogram(), 2 * MS);
    vcpu_timer_arm(beta, 0); /* cancelled */
    EXPECT_EQ(tm_reprogram(), 4 * MS);
    vcpu_timer_arm(alpha, 0);
    EXPECT_EQ(tm_reprogram(), 10 * MS); /* gamma's is after the slice */
    vcpu_timer_arm(gamma_, 11 * MS);
    EXPECT_EQ(tm_reprogram(), 10 * MS);
    vcpu_timer_arm(gamma_, 11 * MS - 1);
    EXPECT_EQ(tm_reprogram(), 10 * MS - 1);
    /* The order of the guests does not matter. */
    vcpu_timer_arm(alpha, 2 * MS);
    vcpu_timer_arm(beta, 6 * MS);
    EXPECT_EQ(tm_reprogram(), 1 * MS);
}

TEST(timer, only_live_guests_count)
{
    tm_setup();
    /* A blocked guest waits for exactly this. */
    alpha->state = VM_BLOCKED;
    vcpu_timer_arm(alpha, 4 * MS);
    EXPECT_EQ(tm_reprogram(), 3 * MS);
    vcpu_timer_arm(alpha, 0);

    vcpu_timer_arm(gamma_, 2 * MS);
    guest_stop(gamma_, 0, false);
    EXPECT_EQ(tm_reprogram(), 10 * MS);

    struct vm *unused = vm_by_index(HV_MAX_VMS - 1);
    ASSERT_EQ(unused->state, VM_FREE);
    vcpu_timer_arm(unused, 2 * MS);
    EXPECT_EQ(tm_reprogram(), 10 * MS);

    vcpu_timer_arm(beta, 9 * MS);
    EXPECT_EQ(tm_reprogram(), 8 * MS);
}

TEST(timer, zero_when_already_due)
{
    tm_setup();
    vcpu_timer_arm(alpha, 1 * MS); /* now */
    EXPECT_EQ(tm_reprogram(), 0u);
    vcpu_timer_arm(alpha, MS / 2); /* past */
    EXPECT_EQ(tm_reprogram(), 0u);
    vcpu_timer_arm(alpha, 1); /* the earliest possible */
    EXPECT_EQ(tm_reprogram(), 0u);
    vcpu_timer_arm(alpha, MS + 1);
    EXPECT_EQ(tm_reprogram(), 1u);

    /* The slice is over and nothing else is due. */
    vcpu_timer_arm(alpha, 0);
    tm_at_us(11000);
    EXPECT_EQ(tm_reprogram(), 0u);
    tm_at_us(50000);
    EXPECT_EQ(tm_reprogram(), 0u);
}

TEST(timer, times_beyond_32_bits)
{
    tm_setup();
    /* Over an hour after boot: nanoseconds need 64 bits. */
    const uint64_t now_us = 5000000000ull;
    tm_at_us(now_us);
    timer_start_slice(HV_WEIGHT_DEFAULT);
    EXPECT_EQ(tm_reprogram(), 10 * MS);
    vcpu_timer_arm(alpha, now_us * 1000 + 3 * MS);
    EXPECT_EQ(tm_reprogram(), 3 * MS);
    vcpu_timer_arm(alpha, now_us * 1000 - 5 * MS);
    EXPECT_EQ(tm_reprogram(), 0u);
}

TEST(timer, slice_over)
{
    tm_setup();
    timer_start_slice(2); /* 1 ms .. 3 ms */
    EXPECT_FALSE(timer_slice_over());
    tm_at_us(2999);
    EXPECT_FALSE(timer_slice_over());
    tm_at_us(3000);
    EXPECT_TRUE(timer_slice_over());
    timer_start_slice(HV_WEIGHT_MAX);
    EXPECT_FALSE(timer_slice_over());
    tm_at_us(3000 + HV_WEIGHT_MAX * 1000 - 1);
    EXPECT_FALSE(timer_slice_over());
    tm_at_us(3000 + HV_WEIGHT_MAX * 1000);
    EXPECT_TRUE(timer_slice_over());
}

TEST(timer, no_device_no_call)
{
    tm_setup();
    tick_timer = NULL;
    vcpu_timer_arm(alpha, 2 * MS);
    timer_reprogram();
    EXPECT_EQ(fake_timer_program_count(), 0u);
}
