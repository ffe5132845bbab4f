/* SPDX-License-Identifier: MIT */
/*
 * hvtest: tests that run inside a guest, in the spirit of Hafnium's hftest
 * and XTF. TEST(suite, name) registers a test in a linker section; the
 * guest runs the one named by "test=suite.name" on its command line,
 * prints "hvtest: suite.name: RESULT" and shuts down with the result code.
 *
 * Results: SUCCESS, SKIP, ERROR (the test itself is broken or could not
 * run), FAILURE (the thing under test is wrong). No result line at all is
 * a CRASH, decided by the host runner (tests/runner/hvtest.py).
 */
#ifndef HVTEST_H
#define HVTEST_H

#include <hvabi/guestlib.h>

enum hvtest_result {
    HVTEST_SUCCESS = 0,
    HVTEST_FAILURE = 1,
    HVTEST_ERROR = 2,
    HVTEST_SKIP = 3,
};

struct hvtest {
    const char *suite;
    const char *name;
    void (*fn)(void);
};

#define TEST(suite, name)                                                      \
    static void hvtest_fn_##suite##_##name(void);                              \
    static const struct hvtest hvtest_desc_##suite##_##name                    \
        __attribute__((used, section("hvtest_list"), aligned(4))) = {          \
            #suite, #name, hvtest_fn_##suite##_##name};                        \
    static void hvtest_fn_##suite##_##name(void)

/** Records a failure at file:line and goes on (EXPECT) or ends (ASSERT). */
void hvtest_fail(const char *file, int line, const char *what, uint32_t got,
                 uint32_t want, int fatal);
/** Ends the test with SKIP or ERROR and a reason. */
void hvtest_skip(const char *reason) __attribute__((noreturn));
void hvtest_error(const char *reason) __attribute__((noreturn));
/** The start info and command line of this guest. */
const struct hv_start_info *hvtest_start_info(void);

#define HVTEST_CMP(a, b, fatal)                                                \
    do {                                                                       \
        uint32_t hvtest_a_ = (uint32_t)(a);                                    \
        uint32_t hvtest_b_ = (uint32_t)(b);                                    \
        if (hvtest_a_ != hvtest_b_) {                                          \
            hvtest_fail(__FILE__, __LINE__, #a " == " #b, hvtest_a_,           \
                        hvtest_b_, fatal);                                     \
        }                                                                      \
    } while (0)

#define EXPECT_EQ(a, b) HVTEST_CMP(a, b, 0)
#define ASSERT_EQ(a, b) HVTEST_CMP(a, b, 1)
#define EXPECT_TRUE(c) HVTEST_CMP(!!(c), 1, 0)
#define ASSERT_TRUE(c) HVTEST_CMP(!!(c), 1, 1)

#endif /* HVTEST_H */
