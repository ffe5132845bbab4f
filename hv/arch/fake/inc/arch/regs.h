/* SPDX-License-Identifier: MIT */
/* Saved USR-mode state of a guest vCPU: the host fake arch has the arm32
 * shape and register convention (it also compiles arm32's regs.c), so it
 * takes arm32's header as it is. */
#ifndef FAKE_ARCH_REGS_H
#define FAKE_ARCH_REGS_H

#include "../../../arm32/inc/arch/regs.h"

_Static_assert(sizeof(struct arch_regs) == 68, "same shape as arm32");

#endif /* FAKE_ARCH_REGS_H */
