/* SPDX-License-Identifier: MIT */
/*
 * The guest register conventions of the ABI (guestabi hv/abi.h): where
 * hypercall numbers, arguments and results live, and what CPSR a guest
 * may run with. Plain C on struct arch_regs, so the host fake arch
 * compiles this same file for the unit tests.
 */
#include "hv/arch.h"

#define PSR_MODE_USR 0x10u
#define PSR_T (1u << 5)
/* hv uses no FIQ: guests run with it masked, so no FIQ (a boot loader's
 * left-over source, say) is ever taken, nor blamed on a guest. */
#define PSR_F (1u << 6)
/* What USR mode may change itself: flags, GE, IT, E and T. */
#define PSR_GUEST_BITS 0xfe0ffe20u
#define PSR_IT_BITS 0x0600fc00u

void arch_regs_init(struct arch_regs *regs, uint32_t entry, uint32_t sp,
                    uint32_t arg0)
{
    *regs = (struct arch_regs){0};
    regs->r[0] = arg0;
    regs->sp = sp;
    regs->pc = entry & ~1u;
    regs->cpsr = PSR_MODE_USR | PSR_F | ((entry & 1u) ? PSR_T : 0);
}

uint32_t arch_regs_hypercall_op(const struct arch_regs *regs)
{
    return regs->r[12];
}

uint32_t arch_regs_arg(const struct arch_regs *regs, unsigned int index)
{
    return index < 4 ? regs->r[index] : 0;
}

void arch_regs_set_result(struct arch_regs *regs, unsigned int index,
                          uint32_t value)
{
    if (index < 4) {
        regs->r[index] = value;
    }
}

uint32_t arch_regs_pc(const struct arch_regs *regs)
{
    return regs->pc;
}

void arch_regs_sanitize(struct arch_regs *regs)
{
    regs->cpsr = (regs->cpsr & PSR_GUEST_BITS) | PSR_F | PSR_MODE_USR;
    /* Returning to a state ARMv7 calls UNPREDICTABLE is not the guest's
     * to ask for: no IT bits in ARM state, a pc aligned to the state. */
    if (regs->cpsr & PSR_T) {
        regs->pc &= ~1u;
    } else {
        regs->cpsr &= ~PSR_IT_BITS;
        regs->pc &= ~3u;
    }
}
