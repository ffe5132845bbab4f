/* SPDX-License-Identifier: MIT */
/* Halting, debug output and per-vCPU CPU state on arm32. */
#include <arch/cp15.h>

#include <arch/layout.h>

#include "hv/arch.h"
#include "hv/console.h"
#include "hv/vm.h"
#include <hvabi/mmu.h>
#include "arm32.h"

#define SEMIHOSTING_SYS_WRITE0 0x04u
#define SEMIHOSTING_SYS_EXIT_EXTENDED 0x20u
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u

#ifdef HV_SEMIHOSTING
/* ARM-state semihosting trap; QEMU handles it when run with -semihosting. */
static uint32_t cpu_semihosting(uint32_t op, const void *arg)
{
    register uint32_t r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("svc 0x123456" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}
#endif

void arch_debug_puts(const char *s)
{
#ifdef HV_SEMIHOSTING
    cpu_semihosting(SEMIHOSTING_SYS_WRITE0, s);
#else
    (void)s;
#endif
}

noreturn void arch_halt(uint32_t code)
{
    static bool synced;
    /* The harness reads the last lines: out with all that is queued,
     * waiting now is fine. Once: a fault in there halts again. */
    if (!synced) {
        synced = true;
        console_sync();
    }
#ifdef HV_SEMIHOSTING
    static bool halting;
    if (!halting) {
        halting = true;
        uint32_t block[2] = {ADP_STOPPED_APPLICATION_EXIT, code};
        cpu_semihosting(SEMIHOSTING_SYS_EXIT_EXTENDED, block);
    }
#else
    (void)code;
#endif
    for (;;) {
        __asm__ volatile("wfi");
    }
}

void arch_wait_for_interrupt(void)
{
    dsb();
    __asm__ volatile("wfi");
}

uint32_t arch_gtimer_frequency(void)
{
    uint32_t hz;
    __asm__ volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(hz));
    return hz;
}

uint64_t arch_gtimer_count(void)
{
    uint32_t lo, hi;
    isb(); /* not read early, ahead of what precedes it */
    __asm__ volatile("mrrc p15, 0, %0, %1, c14" : "=r"(lo), "=r"(hi));
    return (uint64_t)hi << 32 | lo;
}

#define GTIMER_CTL_ENABLE (1u << 0)
#define GTIMER_CTL_ISTATUS (1u << 2)

void arch_gtimer_set(uint64_t compare, bool on)
{
    __asm__ volatile("mcrr p15, 2, %0, %1, c14"
                     :
                     : "r"((uint32_t)compare), "r"((uint32_t)(compare >> 32)));
    __asm__ volatile("mcr p15, 0, %0, c14, c2, 1"
                     :
                     : "r"(on ? GTIMER_CTL_ENABLE : 0u));
    isb();
}

bool arch_gtimer_fired(void)
{
    uint32_t ctl;
    __asm__ volatile("mrc p15, 0, %0, c14, c2, 1" : "=r"(ctl));
    return (ctl & (GTIMER_CTL_ENABLE | GTIMER_CTL_ISTATUS)) ==
           (GTIMER_CTL_ENABLE | GTIMER_CTL_ISTATUS);
}

_Static_assert(HV_DACR_VALUE == (HV_DACR_CLIENT(HV_MMU_DOMAIN_MONITOR) |
                                 HV_DACR_CLIENT(HV_MMU_DOMAIN_KERNEL) |
                                 HV_DACR_CLIENT(HV_MMU_DOMAIN_USER)),
               "the monitor's and the guests' domains are Client");

void arch_vcpu_switch(struct vm *prev, struct vm *next)
{
    if (prev) {
        prev->arch.tpidrurw = cp15_read_tpidrurw();
    }
    if (!next) {
        return; /* idle: the next guest loads its own when it comes */
    }
    cp15_write_tpidrurw(next->arch.tpidrurw);
    cp15_write_tpidruro(next->arch.tpidruro);
    arch_vcpu_mode_changed(next);
    arch_vfp_switch(next);
}

uint32_t arm32_dacr_of(const struct vm *vm)
{
    return vm->mode == VM_MODE_USER ? ARM32_DACR_VUSER : ARM32_DACR_VKERNEL;
}

void arch_vcpu_mode_changed(struct vm *vm)
{
    cp15_write_dacr(arm32_dacr_of(vm));
    isb();
}

void arch_vcpu_set_user_tls(struct vm *vm, uint32_t value)
{
    vm->arch.tpidruro = value;
    cp15_write_tpidruro(value);
}
