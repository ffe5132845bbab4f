/* SPDX-License-Identifier: MIT */
/*
 * The arch functions the drivers hvpack links call (a driver of a CPU
 * register device, as the generic timer's, reaches it through arch_*).
 * hvpack only reads the drivers' registry entries and never probes one,
 * so none of these is ever called: each says so and stops.
 */
#include <stdio.h>
#include <stdlib.h>

#include "hv/arch.h"

static noreturn void arch_stub(const char *name)
{
    fprintf(stderr, "hvpack: %s called: hvpack never probes a driver\n", name);
    abort();
}

uint32_t arch_gtimer_frequency(void)
{
    arch_stub(__func__);
}

uint64_t arch_gtimer_count(void)
{
    arch_stub(__func__);
}

uint32_t arch_smc(uint32_t function, uint32_t arg)
{
    (void)function;
    (void)arg;
    arch_stub(__func__);
}

void arch_gtimer_set(uint64_t compare, bool on)
{
    (void)compare;
    (void)on;
    arch_stub(__func__);
}

bool arch_gtimer_fired(void)
{
    arch_stub(__func__);
}
