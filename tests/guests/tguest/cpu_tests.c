/* SPDX-License-Identifier: MIT */
/*
 * CPU state a guest can see that must be the monitor's, not what a boot
 * loader left: run after tests/guests/dirtyboot (hvtest.py --dirty-boot),
 * which opens all of it before hv starts.
 */
#include "hvtest.h"

#define PSR_F (1u << 6)

/* hvtest-system: own */
TEST(cpu, boot_state_forced)
{
    uint32_t pmuserenr;
    uint32_t tpidrurw;
    uint32_t tpidruro;
    uint32_t cpsr;

    __asm__ volatile("mrc p15, 0, %0, c9, c14, 0" : "=r"(pmuserenr));
    __asm__ volatile("mrc p15, 0, %0, c13, c0, 2" : "=r"(tpidrurw));
    __asm__ volatile("mrc p15, 0, %0, c13, c0, 3" : "=r"(tpidruro));
    __asm__ volatile("mrs %0, cpsr" : "=r"(cpsr));
    /* PMU access from USR would be a channel between guests. */
    EXPECT_EQ(pmuserenr, 0u);
    /* Thread registers start empty, whatever was in them. */
    EXPECT_EQ(tpidrurw, 0u);
    EXPECT_EQ(tpidruro, 0u);
    /* Guests run with FIQ masked: hv uses none and blames none on them. */
    EXPECT_TRUE((cpsr & PSR_F) != 0);
    EXPECT_EQ(cpsr & 0x1fu, 0x10u);
}
