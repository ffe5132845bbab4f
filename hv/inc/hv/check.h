/* SPDX-License-Identifier: MIT */
/*
 * Invariant checks: CHECK(cond) states a condition that holds unless the
 * monitor itself is wrong ("cannot happen"), where a guest or a boot input
 * can never make it fail. Errors that can happen are -HV_E* codes instead
 * (docs/layout.md, "Errors"). A failed check prints
 * "PANIC: check failed: <file>:<line>: <cond>" and halts with
 * HV_HALT_CHECK. Checks are never compiled out.
 */
#ifndef HV_CHECK_H
#define HV_CHECK_H

#include "hv/types.h"

/* The file's base name keeps the image small (no build paths in it). */
#ifdef __FILE_NAME__
#define CHECK_FILE __FILE_NAME__
#else
#define CHECK_FILE __FILE__
#endif

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (__builtin_expect(!(cond), 0)) {                                    \
            check_fail(CHECK_FILE, __LINE__, #cond);                           \
        }                                                                      \
    } while (0)

/* On a function returning a status (HV_OK or -HV_E*): a caller that
 * drops it does not compile (-Werror). */
#define HV_MUST_CHECK __attribute__((warn_unused_result))

/* On a function the compiler would inline into a hot caller whose own
 * stack frame (and so every call's entry and exit) would then grow. */
#define HV_NOINLINE __attribute__((noinline))

/** Reports a failed CHECK and halts the machine with HV_HALT_CHECK. */
noreturn void check_fail(const char *file, unsigned int line, const char *cond);

#endif /* HV_CHECK_H */
