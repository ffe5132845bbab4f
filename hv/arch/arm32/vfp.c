/* SPDX-License-Identifier: MIT */
/*
 * Lazy VFP/NEON switching. The unit is left disabled (FPEXC.EN = 0) when
 * a guest is switched in; its first VFP instruction traps as undefined,
 * and only then are the previous owner's registers saved and its own
 * loaded. Each guest also has a virtual EN bit (HV_OP_VFP) so its kernel
 * can run its own lazy per-task switching on top: while that bit is clear
 * the trap goes to the guest as an undefined-instruction upcall.
 */
#include <arch/cp15.h>

#include "hv/arch.h"
#include "hv/console.h"
#include "hv/vm.h"
#include "arm32.h"

#define FPEXC_EN (1u << 30)
#define CPACR_CP10_CP11_FULL (0xfu << 20)

static struct vm *vfp_owner; /* whose registers the unit holds */
static bool vfp_present;

static inline uint32_t vfp_read_cpacr(void)
{
    uint32_t v;
    __asm__ volatile("mrc p15, 0, %0, c1, c0, 2" : "=r"(v));
    return v;
}

static inline uint32_t vfp_read_mvfr0(void)
{
    uint32_t v;
    __asm__ volatile(".fpu neon\n\tvmrs %0, mvfr0" : "=r"(v));
    return v;
}

void arch_vfp_init(void)
{
    uint32_t cpacr = vfp_read_cpacr() | CPACR_CP10_CP11_FULL;
    __asm__ volatile("mcr p15, 0, %0, c1, c0, 2" : : "r"(cpacr));
    isb();
    if ((vfp_read_cpacr() & CPACR_CP10_CP11_FULL) != CPACR_CP10_CP11_FULL) {
        dlog("no VFP unit: guests get no floating point");
        return;
    }
    /* Saving assumes 32 double registers (VFPv3-D32, as with NEON). */
    if ((vfp_read_mvfr0() & 0xfu) != 2) {
        dlog("VFP has 16 double registers: not supported, disabled");
        return;
    }
    vfp_present = true;
    arch_vfp_write_fpexc(0);
}

bool arch_vfp_present(void)
{
    return vfp_present;
}

void arch_vfp_vm_init(struct vm *vm)
{
    vm->arch.vfp_enabled = true;
    for (unsigned int i = 0; i < 32; i++) {
        vm->arch.vfp.d[i] = 0;
    }
    vm->arch.vfp.fpscr = 0;
}

void arch_vfp_vm_free(struct vm *vm)
{
    if (vfp_owner == vm) {
        vfp_owner = NULL; /* nothing of it needs saving any more */
    }
}

/* Switching guests: the next one starts with the unit off. */
void arch_vfp_switch(struct vm *next)
{
    if (!vfp_present) {
        return;
    }
    bool on = next == vfp_owner && next->arch.vfp_enabled;
    arch_vfp_write_fpexc(on ? FPEXC_EN : 0);
}

bool arch_vfp_trap(struct vm *vm)
{
    if (!vfp_present || (arch_vfp_read_fpexc() & FPEXC_EN) ||
        !vm->arch.vfp_enabled) {
        return false; /* a real undefined instruction, or the guest's */
    }
    arch_vfp_write_fpexc(FPEXC_EN);
    if (vfp_owner != vm) {
        if (vfp_owner) {
            arch_vfp_save(&vfp_owner->arch.vfp);
        }
        arch_vfp_load(&vm->arch.vfp);
        vfp_owner = vm;
    }
    return true;
}

void arch_vfp_set_enabled(struct vm *vm, bool enabled)
{
    vm->arch.vfp_enabled = enabled;
    if (!enabled && vfp_owner == vm) {
        arch_vfp_write_fpexc(0); /* its next VFP instruction traps */
    }
}

bool arch_vfp_enabled(const struct vm *vm)
{
    return vm->arch.vfp_enabled;
}
