/* SPDX-License-Identifier: MIT */
/*
 * Faults. Each of these tests ends with the monitor stopping this guest;
 * reaching the end is itself the failure. The host runner checks the
 * monitor's one-line report and that another guest kept running.
 */
#include "hvtest.h"

#define MONITOR_ADDR 0xfe010000u

static void fault_not_stopped(void)
{
    hvtest_fail(__FILE__, __LINE__, "the monitor should have stopped me", 0, 1,
                1);
}

/* hvtest-system: fault undefined instruction */
TEST(fault, undefined_instruction)
{
    __asm__ volatile(".word 0xe7f000f0"); /* UDF #0 */
    fault_not_stopped();
}

/* hvtest-system: fault undefined instruction */
TEST(fault, write_sctlr)
{
    __asm__ volatile("mcr p15, 0, %0, c1, c0, 0" : : "r"(0));
    fault_not_stopped();
}

/* hvtest-system: fault undefined instruction */
TEST(fault, write_ttbr0)
{
    __asm__ volatile("mcr p15, 0, %0, c2, c0, 0" : : "r"(0));
    fault_not_stopped();
}

/* hvtest-system: fault undefined instruction */
TEST(fault, write_dacr)
{
    __asm__ volatile("mcr p15, 0, %0, c3, c0, 0" : : "r"(0xffffffffu));
    fault_not_stopped();
}

/* hvtest-system: fault undefined instruction */
TEST(fault, write_vbar)
{
    __asm__ volatile("mcr p15, 0, %0, c12, c0, 0" : : "r"(0));
    fault_not_stopped();
}

/* With VFP off and no upcall entry, a VFP instruction stops the guest. */
/* hvtest-system: fault undefined instruction */
TEST(fault, vfp_disabled)
{
    hv_vfp(HV_VFP_DISABLE);
    __asm__ volatile(".word 0xeef10a10"); /* vmrs r0, fpscr */
    fault_not_stopped();
}

/* hvtest-system: fault data abort on read \(permission fault, section\) at address 0xfe010000 */
TEST(fault, read_monitor)
{
    (void)*(volatile uint32_t *)MONITOR_ADDR;
    fault_not_stopped();
}

/* hvtest-system: fault data abort on write \(permission fault, section\) at address 0xfe010000 */
TEST(fault, write_monitor)
{
    *(volatile uint32_t *)MONITOR_ADDR = 0xdeadbeef;
    fault_not_stopped();
}

/* Trying to become privileged first changes nothing: USR ignores it. */
/* hvtest-system: fault data abort on read \(permission fault, section\) at address 0xfe010000 */
TEST(fault, msr_cpsr_then_read_monitor)
{
    __asm__ volatile("msr cpsr_c, #0xd3\n\tcpsid aif" ::: "memory");
    (void)*(volatile uint32_t *)MONITOR_ADDR;
    fault_not_stopped();
}

/* hvtest-system: fault data abort on read \(translation fault, section\) at address 0x00001000 */
TEST(fault, read_unmapped)
{
    (void)*(volatile uint32_t *)0x00001000u;
    fault_not_stopped();
}

/* The UART's physical address: device memory the guest does not own. */
/* hvtest-system: fault data abort on write \(translation fault, section\) at address 0x10009000 */
TEST(fault, write_device)
{
    *(volatile uint32_t *)0x10009000u = 'X';
    fault_not_stopped();
}

/* hvtest-system: fault prefetch abort \(permission fault, section\) at address 0xfe010000 */
TEST(fault, jump_into_monitor)
{
    ((void (*)(void))MONITOR_ADDR)();
    fault_not_stopped();
}

/* hvtest-system: fault prefetch abort \(translation fault, section\) at address 0x00000000 */
TEST(fault, jump_unmapped)
{
    ((void (*)(void))0x00000000u)();
    fault_not_stopped();
}

/* hvtest-system: fault prefetch abort \(translation fault, section\) at address 0xffff0000 */
TEST(fault, jump_high_vectors)
{
    ((void (*)(void))0xffff0000u)();
    fault_not_stopped();
}

static uint32_t fault_garbage[16];

/* hvtest-system: fault undefined instruction */
TEST(fault, jump_into_garbage)
{
    for (unsigned int i = 0; i < 16; i++) {
        fault_garbage[i] = 0xffffffffu;
    }
    ((void (*)(void))fault_garbage)();
    fault_not_stopped();
}

/* hvtest-system: fault data abort on write \(translation fault, section\) at address 0x00000000 */
TEST(fault, bad_stack_pointer)
{
    __asm__ volatile("mov sp, %0\n\tpush {r0-r3}" : : "r"(0x10u) : "memory");
    fault_not_stopped();
}

/* hvtest-system: fault prefetch abort \(debug event\) */
TEST(fault, breakpoint)
{
    __asm__ volatile("bkpt #0");
    fault_not_stopped();
}

/* ThumbEE's handler base register would carry values between guests:
 * the monitor makes it undefined in USR mode. */
/* hvtest-system: fault undefined instruction */
TEST(fault, thumbee_register)
{
    uint32_t value;
    __asm__ volatile("mrc p14, 6, %0, c1, c0, 0" : "=r"(value));
    (void)value;
    fault_not_stopped();
}
