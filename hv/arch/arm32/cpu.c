/* SPDX-License-Identifier: MIT */
/* vCPU register conventions, halting and debug output on arm32. */
#include <arch/cp15.h>

#include <arch/layout.h>

#include "hv/arch.h"
#include "hv/vm.h"

#define PSR_MODE_MASK 0x1fu
#define PSR_MODE_USR 0x10u
#define PSR_T (1u << 5)
#define PSR_F (1u << 6)
#define PSR_I (1u << 7)
#define PSR_A (1u << 8)
#define PSR_E (1u << 9)
/* What USR mode may change itself: flags, GE, IT, E and T. */
#define PSR_GUEST_BITS 0xfe0ffe20u

#define SEMIHOSTING_SYS_WRITE0 0x04u
#define SEMIHOSTING_SYS_EXIT_EXTENDED 0x20u
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u

void arch_regs_init(struct arch_regs *regs, uint32_t entry, uint32_t sp,
                    uint32_t arg0)
{
    *regs = (struct arch_regs){0};
    regs->r[0] = arg0;
    regs->sp = sp;
    regs->pc = entry & ~1u;
    regs->cpsr = PSR_MODE_USR | ((entry & 1u) ? PSR_T : 0);
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
    regs->cpsr = (regs->cpsr & PSR_GUEST_BITS) | PSR_MODE_USR;
}

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

/* Kernel mode: monitor, guest kernel and guest user domains; user mode:
 * the guest kernel domain is turned off. */
#define DACR_VKERNEL HV_DACR_VALUE
#define DACR_VUSER (HV_DACR_VALUE & ~(3u << (2 * HV_DOMAIN_GUEST)))

void arch_vfp_switch(struct vm *next);

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

void arch_vcpu_mode_changed(struct vm *vm)
{
    cp15_write_dacr(vm->mode == VM_MODE_USER ? DACR_VUSER : DACR_VKERNEL);
    isb();
}

void arch_vcpu_set_user_tls(struct vm *vm, uint32_t value)
{
    vm->arch.tpidruro = value;
    cp15_write_tpidruro(value);
}
