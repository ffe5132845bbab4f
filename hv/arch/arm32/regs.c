/* SPDX-License-Identifier: MIT */
/*
 * The guest register conventions of the ABI (guestabi hv/abi.h): where
 * hypercall numbers, arguments and results live, and what CPSR a guest
 * may run with. Plain C on struct arch_regs, so the host fake arch
 * compiles this same file for the unit tests.
 */
#include <hvabi/vcpu.h>

#include "hv/arch.h"
#include "psr.h"

/*
 * What a guest's CPSR holds: the flags USR mode may change itself (NZCVQ,
 * IT, GE, E, T: HV_VCPSR_FLAGS, as a virtual CPSR keeps them), USR mode,
 * and F set. hv uses no FIQ: guests run with it masked, so no FIQ (a
 * boot loader's left-over source, say) is ever taken, nor blamed on a
 * guest.
 */

void arch_regs_init(struct arch_regs *regs, uint32_t entry, uint32_t sp,
                    uint32_t arg0)
{
    /* Field by field: a whole-struct initializer became a memset call,
     * half the cost of an event upcall's C path. */
    regs->r[0] = arg0;
#pragma GCC unroll 12
    for (unsigned int i = 1; i < 13; i++) {
        regs->r[i] = 0;
    }
    arch_regs_enter(regs, entry, sp);
}

void arch_regs_enter(struct arch_regs *regs, uint32_t entry, uint32_t sp)
{
    regs->sp = sp;
    regs->lr = 0;
    regs->pc = entry & ~1u;
    regs->cpsr = PSR_MODE_USR | PSR_F | ((entry & 1u) ? PSR_T : 0);
}

uint32_t arch_regs_pc(const struct arch_regs *regs)
{
    return regs->pc;
}

bool arch_regs_condition_passed(uint32_t cond, uint32_t cpsr)
{
    bool n = cpsr >> 31 & 1u;
    bool z = cpsr >> 30 & 1u;
    bool c = cpsr >> 29 & 1u;
    bool v = cpsr >> 28 & 1u;
    bool result;

    switch (cond >> 1) {
    case 0:
        result = z;
        break;
    case 1:
        result = c;
        break;
    case 2:
        result = n;
        break;
    case 3:
        result = v;
        break;
    case 4:
        result = c && !z;
        break;
    case 5:
        result = n == v;
        break;
    case 6:
        result = !z && n == v;
        break;
    default:
        return true; /* AL */
    }
    return (cond & 1u) ? !result : result;
}

/*
 * Taking an SVC advances the IT state before the SPSR is saved: the
 * saved IT bits are the next instruction's. To run the SVC again, step
 * back: ITAdvance shifted IT[4:0] left by one, losing IT[4], the low bit
 * of the SVC's own condition; the SVC was taken, so that condition held
 * under the (unchanged) flags, which tells the bit. IT = 0 after the SVC
 * means it was outside a block or its last instruction: run again
 * unconditionally, it passes as it did.
 */
void arch_regs_it_before_svc(struct arch_regs *regs)
{
    uint32_t cpsr = regs->cpsr;
    uint32_t it = ((cpsr >> 25) & 3u) | ((cpsr >> 8) & 0xfcu);

    if (!(cpsr & PSR_T) || it == 0) {
        return;
    }
    uint32_t cond = (it >> 5) << 1;
    if (!arch_regs_condition_passed(cond, cpsr)) {
        cond |= 1u;
    }
    uint32_t before = (it & 0xe0u) | (cond & 1u) << 4 | (it & 0x1fu) >> 1;
    regs->cpsr =
        (cpsr & ~PSR_IT_MASK) | (before & 3u) << 25 | (before >> 2) << 10;
}

void arch_regs_sanitize(struct arch_regs *regs)
{
    regs->cpsr = (regs->cpsr & HV_VCPSR_FLAGS) | PSR_F | PSR_MODE_USR;
    /* Returning to a state ARMv7 calls UNPREDICTABLE is not the guest's
     * to ask for: no IT bits in ARM state, a pc aligned to the state. */
    if (regs->cpsr & PSR_T) {
        regs->pc &= ~1u;
    } else {
        regs->cpsr &= ~PSR_IT_MASK;
        regs->pc &= ~3u;
    }
}
