/* SPDX-License-Identifier: MIT */
/* hv/core/clock.c: tick to nanosecond conversion. */
#include "hv/clock.h"
#include "unit.h"

static uint64_t clock_test_ticks;

static uint64_t clock_test_read(void)
{
    return clock_test_ticks;
}

TEST(clock, no_source_reads_zero)
{
    clock_set_source(NULL);
    EXPECT_EQ(clock_now_ns(), 0u);
}

TEST(clock, conversion)
{
    EXPECT_EQ(clock_ticks_to_ns(0, 1000000), 0u);
    EXPECT_EQ(clock_ticks_to_ns(1, 1000000), 1000u);
    EXPECT_EQ(clock_ticks_to_ns(3, 100000000), 30u);
    EXPECT_EQ(clock_ticks_to_ns(1, 3), 333333333u);
    EXPECT_EQ(clock_ticks_to_ns(4, 3), 1333333333u);
}

TEST(clock, no_overflow_for_long_uptimes)
{
    /* Ten years at 100 MHz: ticks * 1e9 alone would overflow 64 bits. */
    uint64_t seconds = 10ull * 365 * 24 * 3600;
    uint64_t ticks = seconds * 100000000ull + 12345;
    EXPECT_EQ(clock_ticks_to_ns(ticks, 100000000),
              seconds * 1000000000ull + 123450);
}

TEST(clock, now_uses_source)
{
    clock_test_ticks = 2500000;
    static const struct timer_dev dev = {.counter = clock_test_read,
                                         .hz = 1000000};
    clock_set_source(&dev);
    EXPECT_EQ(clock_now_ns(), 2500000000ull);
    clock_test_ticks = 2500001;
    EXPECT_EQ(clock_now_ns(), 2500001000ull);
    clock_set_source(NULL);
}
