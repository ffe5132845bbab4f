/* SPDX-License-Identifier: MIT */
/*
 * What the hv/arch/arm32 files call in each other besides the arch
 * interface (hv/arch.h), included as "arm32.h" by them alone: it is on
 * no include path, so core cannot reach it. Assembly includes it too,
 * for the exception kinds; the rest is C only.
 */
#ifndef ARM32_H
#define ARM32_H

/* Exception kinds: entry.S passes one in r1 to arch_exception_dispatch or
 * arch_exception_monitor_fault. */
#define EXC_UNDEF 1
#define EXC_SVC 2
#define EXC_PABT 3
#define EXC_DABT 4
#define EXC_IRQ 5
#define EXC_FIQ 6
#define EXC_OTHER 7
#define EXC_DABT_SVC_WINDOW 8 /* an abort rewound to the guest's SVC */
#define EXC_EVENT 9 /* fastpath.S: arm32_upcall_event, never dispatched */

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

#include "hv/arch.h"

struct arch_vfp;
struct vm;

/* setup.c, called by boot.S with the MMU on. */
noreturn void hv_main(uint32_t load_pa, uint32_t pkg_pa, uint32_t bss_pa,
                      uint32_t pkg_size, uint32_t loader_r2,
                      uint32_t entry_cpsr);

/* exception.c, called by entry.S: a guest's exception (returns the
 * registers to resume), or one the monitor took itself. */
struct arch_regs *arch_exception_dispatch(struct arch_regs *frame,
                                          uint32_t kind);
noreturn void arch_exception_monitor_fault(struct arch_regs *frame,
                                           uint32_t kind);
/* exception.c, called by fastpath.S: a hypercall from virtual kernel
 * mode (other than the IRET it handles itself), checked against the
 * running guest; and the wait, when no guest can run, for one that can
 * (the registers to resume). */
struct arch_regs *arch_exception_hypercall(struct arch_regs *frame);
struct arch_regs *arm32_exception_wait(void);

/* The DACR in virtual kernel mode: monitor, guest kernel and guest user
 * domains; in virtual user mode the guest kernel domain is turned off
 * (HV_DACR_VALUE: <arch/layout.h>; the domains: <hvabi/mmu.h>). */
#define ARM32_DACR_VKERNEL HV_DACR_VALUE
#define ARM32_DACR_VUSER (HV_DACR_VALUE & ~(3u << (2 * HV_MMU_DOMAIN_KERNEL)))

/* fastpath.S: @words words from @src to the guest's @va with STRT (the
 * guest's view loaded); HV_OK, or -HV_EFAULT when a store faulted. */
int32_t arm32_copy_to_user(uint32_t va, const void *src, uint32_t words);
/* fastpath.S: the event upcall of @vm, which runs next with its view
 * loaded; returns (-HV_EFAULT, nothing changed) only if it could not. */
int32_t arm32_upcall_event(struct vm *vm);

/* cpu.c: the DACR value for @vm's current virtual mode. */
uint32_t arm32_dacr_of(const struct vm *vm);

/* mm.c: the boot table's temporary slot and identity-map bounds. */
void arch_mm_boot_init(uint32_t load_pa, uint32_t bss_pa);

/* vfp.c: lazy VFP switching. */
void arch_vfp_init(void);
bool arch_vfp_trap(struct vm *vm);
void arch_vfp_switch(struct vm *next);

/* vfp.S: the register file and FPEXC. */
void arch_vfp_save(struct arch_vfp *state);
void arch_vfp_load(const struct arch_vfp *state);
uint32_t arch_vfp_read_fpexc(void);
void arch_vfp_write_fpexc(uint32_t value);
#endif /* __ASSEMBLER__ */

#endif /* ARM32_H */
