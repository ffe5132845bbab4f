/* SPDX-License-Identifier: MIT */
/*
 * unit: a tiny harness for host unit tests of hv/core (run against the
 * fake architecture, hv/arch/fake).
 *
 *   TEST(suite, name) { EXPECT_EQ(...); ASSERT_TRUE(...); }
 *
 * registers suite.name. DISABLED_TEST(suite, name) registers a test that
 * documents a known bug: it only runs when named explicitly. The runner
 * (unit_main.c) takes test or suite names, or runs everything; each test
 * starts from fake_reset(). tests/unit/CMakeLists.txt finds the TEST lines
 * with a regular expression, so keep each TEST(...) at the start of a
 * line with plain identifiers.
 *
 * EXPECT_* records a failure (file:line and both values) and goes on;
 * ASSERT_* ends the test, for when what follows would make no sense.
 */
#ifndef UNIT_H
#define UNIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct unit_test {
    const char *suite;
    const char *name;
    void (*fn)(void);
    bool disabled;
    struct unit_test *next;
};

void unit_register(struct unit_test *test);

#define UNIT_TEST_(suite, name, disabled)                                      \
    static void unit_fn_##suite##_##name(void);                                \
    static struct unit_test unit_desc_##suite##_##name = {                     \
        #suite, #name, unit_fn_##suite##_##name, disabled, NULL};              \
    __attribute__((constructor)) static void unit_reg_##suite##_##name(void)   \
    {                                                                          \
        unit_register(&unit_desc_##suite##_##name);                            \
    }                                                                          \
    static void unit_fn_##suite##_##name(void)

#define TEST(suite, name) UNIT_TEST_(suite, name, false)
#define DISABLED_TEST(suite, name) UNIT_TEST_(suite, name, true)

/* Failure reporting; @fatal ends the test. */
void unit_fail(const char *file, int line, bool fatal, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void unit_fail_int(const char *file, int line, bool fatal, const char *expr,
                   long long got, long long want);
void unit_fail_str(const char *file, int line, bool fatal, const char *expr,
                   const char *got, const char *want);

/** Zeroed, 8-byte aligned memory freed when the current test ends. */
void *unit_alloc(size_t size);
/** True if @haystack contains @needle (NULL never contains anything). */
bool unit_contains(const char *haystack, const char *needle);
/** Number of non-overlapping occurrences of @needle in @haystack. */
unsigned int unit_count(const char *haystack, const char *needle);

#define UNIT_CHECK_(cond, expr, fatal)                                         \
    do {                                                                       \
        if (!(cond)) {                                                         \
            unit_fail(__FILE__, __LINE__, fatal, "%s", expr);                  \
        }                                                                      \
    } while (0)

/* Integers compare as long long: a uint32_t register holding 0xfffffff2
 * does not equal -14, so a status must be read as int32_t to pass. That
 * is deliberate: it is how a guest sees r0. */
#define UNIT_CMP_(a, op, b, fatal)                                             \
    do {                                                                       \
        long long unit_a_ = (long long)(a);                                    \
        long long unit_b_ = (long long)(b);                                    \
        if (!(unit_a_ op unit_b_)) {                                           \
            unit_fail_int(__FILE__, __LINE__, fatal, #a " " #op " " #b,        \
                          unit_a_, unit_b_);                                   \
        }                                                                      \
    } while (0)

#define UNIT_STR_(a, b, want_eq, fatal)                                        \
    do {                                                                       \
        const char *unit_a_ = (a);                                             \
        const char *unit_b_ = (b);                                             \
        bool unit_ok_ = want_eq ? (unit_a_ && unit_b_ &&                       \
                                   __builtin_strcmp(unit_a_, unit_b_) == 0)    \
                                : unit_contains(unit_a_, unit_b_);             \
        if (!unit_ok_) {                                                       \
            unit_fail_str(__FILE__, __LINE__, fatal,                           \
                          want_eq ? #a " equals " #b : #a " contains " #b,     \
                          unit_a_, unit_b_);                                   \
        }                                                                      \
    } while (0)

#define EXPECT_TRUE(c) UNIT_CHECK_((c), #c, false)
#define EXPECT_FALSE(c) UNIT_CHECK_(!(c), "!(" #c ")", false)
#define EXPECT_EQ(a, b) UNIT_CMP_(a, ==, b, false)
#define EXPECT_NE(a, b) UNIT_CMP_(a, !=, b, false)
#define EXPECT_LT(a, b) UNIT_CMP_(a, <, b, false)
#define EXPECT_STREQ(a, b) UNIT_STR_(a, b, true, false)
#define EXPECT_CONTAINS(s, needle) UNIT_STR_(s, needle, false, false)
#define EXPECT_NOT_CONTAINS(s, needle)                                         \
    UNIT_CHECK_(!unit_contains((s), (needle)),                                 \
                #s " does not contain " #needle, false)
#define EXPECT_PTR_EQ(a, b)                                                    \
    do {                                                                       \
        const void *unit_pa_ = (a);                                            \
        const void *unit_pb_ = (b);                                            \
        if (unit_pa_ != unit_pb_) {                                            \
            unit_fail(__FILE__, __LINE__, false, "%s: %p, expected %p",        \
                      #a " == " #b, unit_pa_, unit_pb_);                       \
        }                                                                      \
    } while (0)

#define ASSERT_TRUE(c) UNIT_CHECK_((c), #c, true)
#define ASSERT_FALSE(c) UNIT_CHECK_(!(c), "!(" #c ")", true)
#define ASSERT_EQ(a, b) UNIT_CMP_(a, ==, b, true)
#define ASSERT_NE(a, b) UNIT_CMP_(a, !=, b, true)

#endif /* UNIT_H */
