/* SPDX-License-Identifier: MIT */
/* hv/check.h: a failed invariant check names its file and line, halts. */
#include <arch/fake.h>
#include <stdio.h>

#include "hv/check.h"
#include "hv/config.h"
#include "unit.h"

static int check_test_line;

static void check_test_trip(void *ctx)
{
    int value = *(int *)ctx;
    check_test_line = __LINE__ + 1;
    CHECK(value == 2);
}

TEST(check, failure_names_file_line_and_condition)
{
    int one = 1;
    char where[80];

    fake_console_capture();
    EXPECT_TRUE(fake_halt_catch(check_test_trip, &one));
    EXPECT_EQ(fake_halt_count(), 1u);
    EXPECT_EQ(fake_halt_code(), HV_HALT_CHECK);
    snprintf(where, sizeof(where),
             "hv: PANIC: check failed: test_check.c:%d: value == 2\r\n",
             check_test_line);
    EXPECT_STREQ(fake_output(), where);
}

TEST(check, success_is_silent)
{
    int two = 2;

    fake_console_capture();
    EXPECT_FALSE(fake_halt_catch(check_test_trip, &two));
    EXPECT_EQ(fake_halt_count(), 0u);
    EXPECT_STREQ(fake_output(), "");
}
