/* SPDX-License-Identifier: MIT */
/* A failed invariant check (hv/check.h): a monitor bug, never a guest's. */
#include "hv/check.h"

#include "hv/arch.h"
#include "hv/config.h"
#include "hv/console.h"

noreturn void check_fail(const char *file, unsigned int line, const char *cond)
{
    dlog("PANIC: check failed: %s:%u: %s", file, line, cond);
    arch_halt(HV_HALT_CHECK);
}
