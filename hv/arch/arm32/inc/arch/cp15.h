/* SPDX-License-Identifier: MIT */
/* CP15 accessors and barriers used by the arm32 arch code. */
#ifndef ARCH_CP15_H
#define ARCH_CP15_H

#include <stdint.h>

#define CP15_READ(name, op1, crn, crm, op2)                                    \
    static inline uint32_t cp15_read_##name(void)                              \
    {                                                                          \
        uint32_t v;                                                            \
        __asm__ volatile("mrc p15, " #op1 ", %0, " #crn ", " #crm ", " #op2    \
                         : "=r"(v));                                           \
        return v;                                                              \
    }
#define CP15_WRITE(name, op1, crn, crm, op2)                                   \
    static inline void cp15_write_##name(uint32_t v)                           \
    {                                                                          \
        __asm__ volatile("mcr p15, " #op1 ", %0, " #crn ", " #crm ", " #op2    \
                         :                                                     \
                         : "r"(v)                                              \
                         : "memory");                                          \
    }

CP15_READ(midr, 0, c0, c0, 0)
CP15_READ(dfsr, 0, c5, c0, 0)
CP15_READ(ifsr, 0, c5, c0, 1)
CP15_READ(dfar, 0, c6, c0, 0)
CP15_READ(ifar, 0, c6, c0, 2)
CP15_READ(ttbr0, 0, c2, c0, 0)
CP15_WRITE(ttbr0, 0, c2, c0, 0)
CP15_READ(id_pfr1, 0, c0, c1, 1)
CP15_READ(contextidr, 0, c13, c0, 1)
CP15_READ(pmuserenr, 0, c9, c14, 0)
CP15_WRITE(pmuserenr, 0, c9, c14, 0)
CP15_WRITE(pmintenclr, 0, c9, c14, 2)
CP15_WRITE(pmcntenclr, 0, c9, c12, 2)
CP15_WRITE(pmovsr, 0, c9, c12, 3)
CP15_READ(pmcr, 0, c9, c12, 0)
CP15_WRITE(pmcr, 0, c9, c12, 0)
CP15_WRITE(cntkctl, 0, c14, c1, 0)
CP15_WRITE(dacr, 0, c3, c0, 0)
CP15_READ(dacr, 0, c3, c0, 0)
/* VA to PA, stage 1, current state, with PL0's permissions: PAR. */
CP15_WRITE(ats1cur, 0, c7, c8, 2)
CP15_WRITE(ats1cpr, 0, c7, c8, 0) /* with PL1's: the monitor's own VAs */
CP15_WRITE(ats1cuw, 0, c7, c8, 3)
CP15_READ(par, 0, c7, c4, 0)
CP15_READ(tpidrurw, 0, c13, c0, 2)
CP15_WRITE(tpidrurw, 0, c13, c0, 2)
CP15_READ(tpidruro, 0, c13, c0, 3)
CP15_WRITE(tpidruro, 0, c13, c0, 3)
CP15_WRITE(contextidr, 0, c13, c0, 1)
CP15_WRITE(tlbiall, 0, c8, c7, 0)
CP15_WRITE(tlbimva, 0, c8, c7, 1)
CP15_WRITE(tlbiasid, 0, c8, c7, 2)
CP15_WRITE(iciallu, 0, c7, c5, 0)
CP15_WRITE(bpiall, 0, c7, c5, 6)
CP15_WRITE(dccmvac, 0, c7, c10, 1)
CP15_WRITE(dccmvau, 0, c7, c11, 1)
CP15_WRITE(dccimvac, 0, c7, c14, 1)

static inline void dsb(void)
{
    __asm__ volatile("dsb" ::: "memory");
}

static inline void isb(void)
{
    __asm__ volatile("isb" ::: "memory");
}

#endif /* ARCH_CP15_H */
