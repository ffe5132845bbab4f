/* SPDX-License-Identifier: MIT */
/*
 * The interface between generic monitor code (hv/core) and an
 * architecture (hv/arch/<arch>). Declared once here; hv/arch/arm32
 * implements it for the hardware, hv/arch/fake for host unit tests.
 */
#ifndef HV_ARCH_H
#define HV_ARCH_H

#include <arch/regs.h>

#include "hv/types.h"

struct outer_cache_ops;
struct vm;

/* --- vCPU registers --------------------------------------------------- */

/** Sets up registers to enter a guest at @entry in USR mode. */
void arch_regs_init(struct arch_regs *regs, uint32_t entry, uint32_t sp,
                    uint32_t arg0);
/** As arch_regs_init, but r0-r12 are left as they are. */
void arch_regs_enter(struct arch_regs *regs, uint32_t entry, uint32_t sp);
/* arch_regs_hypercall_op, arch_regs_arg and arch_regs_set_result, the
 * hypercall convention, are inline in <arch/regs.h>. */
uint32_t arch_regs_pc(const struct arch_regs *regs);
/** Whether ARM condition @cond (0-15) holds under the flags of @cpsr. */
bool arch_regs_condition_passed(uint32_t cond, uint32_t cpsr);
/**
 * @regs' pc was rewound to an SVC the guest is to run again (an
 * asynchronous abort taken in the entry window): steps the saved IT
 * state back to the SVC's own.
 */
void arch_regs_it_before_svc(struct arch_regs *regs);
/** Forces the CPSR into what a guest may run with (USR, A/I clear, F set). */
void arch_regs_sanitize(struct arch_regs *regs);

/* --- Virtual modes ------------------------------------------------------ */

/**
 * Saves @prev's per-vCPU CPU state (@prev may be NULL or stopped) and
 * loads @next's (@next may be NULL: the CPU goes idle).
 */
void arch_vcpu_switch(struct vm *prev, struct vm *next);
/** @vm (running) changed virtual mode: apply its domain access. */
void arch_vcpu_mode_changed(struct vm *vm);
/** Sets the user read-only thread register of @vm (running). */
void arch_vcpu_set_user_tls(struct vm *vm, uint32_t value);
/**
 * Enters @vm's event upcall at once, as vcpu_upcall(HV_UPCALL_EVENT)
 * would, and does not return, if the arch has a faster way and it
 * succeeds. @vm runs next and has an event due. Returns, with nothing
 * changed, otherwise (no fast way, the view not loaded, the frame does
 * not fit or faults): then the caller takes vcpu_upcall's path.
 */
void arch_vcpu_upcall_event(struct vm *vm);

/** Sets up @vm's floating-point state (enabled, registers zero). */
void arch_vfp_vm_init(struct vm *vm);
/** Forgets @vm's floating-point state. */
void arch_vfp_vm_free(struct vm *vm);
/** The guest's own VFP enable bit (HV_OP_VFP), @vm running. */
void arch_vfp_set_enabled(struct vm *vm, bool enabled);
bool arch_vfp_enabled(const struct vm *vm);
/** True if guests get floating point (HV_FEAT_VFP). */
bool arch_vfp_present(void);

/* --- Address spaces ---------------------------------------------------- */

/**
 * Prepares the CPU for @vm's freshly loaded memory (on arm32: makes the
 * image visible to instruction fetch). Its tables are hv/core/pt.c's.
 */
bool arch_mm_vm_init(struct vm *vm);
/**
 * @vm has stopped, before its tables and memory are released: if the CPU
 * still translates through @vm's tables (TTBR0, ASID), switch it to the
 * monitor's own table and ASID 0, so no freed table or ASID stays live
 * while the CPU idles. (Its ASIDs' TLB entries go with its tables, in
 * pt_release_vm.)
 */
void arch_mm_vm_free(struct vm *vm);
/**
 * Moves the CPU to the monitor's own table and ASID 0, whose identity map
 * makes arch_mm_boot_ptr usable again (a guest restart reloads it through
 * that map). The next arch_mm_activate leaves it.
 */
void arch_mm_use_monitor_table(void);
/** Makes @vm's address space (active_l1, tagged active_asid) current. */
void arch_mm_activate(struct vm *vm);
/** Maps a device's registers into the monitor window; NULL if full. */
void *arch_mm_map_device(paddr_t pa, size_t size);
/**
 * Monitor pointer to physical memory during boot (identity map).
 * NULL if @pa .. @pa + @size is outside what boot can reach.
 */
void *arch_mm_boot_ptr(paddr_t pa, size_t size);
/** Bytes reachable through arch_mm_boot_ptr from @pa on (0 if none). */
size_t arch_mm_boot_reach(paddr_t pa);

/**
 * A monitor pointer to @size bytes (at most 16 KiB, not crossing a 16 KiB
 * boundary) of guest RAM at @pa, valid until the next call.
 */
void *arch_mm_phys_ptr(paddr_t pa, size_t size);
/**
 * Translates @va as @vm's own code would reach it now, by the CPU: its
 * loaded tables, its virtual mode's domains and PL0 permissions (@write:
 * for a write). HV_OK with *@pa, -HV_EFAULT if that access would fault,
 * -HV_ENOSYS if the CPU cannot answer for @vm (another guest's tables or
 * domains loaded, or no such operation): the caller walks the tables.
 */
int32_t arch_mm_translate_user(const struct vm *vm, uint32_t va, bool write,
                               paddr_t *pa);
/**
 * Writes @len bytes from @src to @va as @vm's own code would store them
 * now (its tables, its virtual mode's domains, PL0 permissions), a word
 * at a time: for an upcall frame. HV_OK; -HV_EFAULT if a store faulted
 * (the words before it are written); -HV_ENOSYS if the CPU cannot do it
 * for @vm (another guest's view loaded, @va or @len not word-aligned, no
 * such access): the caller copies through a translation instead.
 */
int32_t arch_mm_write_user(const struct vm *vm, uint32_t va, const void *src,
                           uint32_t len);
/**
 * A lasting monitor pointer to the 4 KiB page at @pa (page-aligned) for
 * guest slot @vm_index (id - 1): its vCPU shared page, which every trap
 * reads. Other mappings do not disturb it; it holds until the next call
 * for the same slot or arch_mm_vcpu_page_drop.
 */
void *arch_mm_vcpu_page(unsigned int vm_index, paddr_t pa);
/** Ends @vm_index's arch_mm_vcpu_page mapping (its guest is released). */
void arch_mm_vcpu_page_drop(unsigned int vm_index);
/**
 * Copies @size bytes of guest RAM from @src to @dst, each range inside
 * one 4 KiB page (ends arch_mm_phys_ptr's last pointer).
 */
void arch_mm_phys_copy(paddr_t dst, paddr_t src, size_t size);
/** Makes page-table writes at @ptr visible to the table walker. */
void arch_mm_pt_written(void *ptr, size_t size);
/** Writes the monitor window entries into a guest L1 table. */
void arch_mm_fill_window(uint32_t *l1);
/** Invalidates every TLB entry, all ASIDs. */
void arch_mm_tlb_flush_all(void);
/** Invalidates the TLB entries tagged with @asid. */
void arch_mm_tlb_flush_asid(uint32_t asid);
/** Invalidates the entry of the page holding @va tagged with @asid. */
void arch_mm_tlb_flush_va(gvaddr_t va, uint32_t asid);

/** Data-cache maintenance kinds, on guest memory by physical address. */
enum arch_cache_op {
    ARCH_CACHE_CLEAN_POU, /* clean to the point of unification */
    ARCH_CACHE_CLEAN,     /* clean to the point of coherency */
    ARCH_CACHE_FLUSH,     /* clean and invalidate to the point of coherency */
};
/** @op on [@pa, @pa + @size), within one 4 KiB page. */
void arch_cache_range(enum arch_cache_op op, paddr_t pa, size_t size);
/** Invalidates the instruction cache and branch predictor. */
void arch_cache_invalidate_icache(void);
/**
 * An outer cache is on (@ops; NULL: none): from now on arch_mm_pt_written
 * and arch_cache_range's clean and flush reach through it too
 * (hv/inc/hv/outer_cache.h).
 */
void arch_outer_cache_set(const struct outer_cache_ops *ops);

/* --- CPU --------------------------------------------------------------- */

/** Stops the machine; under semihosting QEMU exits with @code. */
noreturn void arch_halt(uint32_t code);
/** Writes a NUL-terminated string where a debugger can see it (or not). */
void arch_debug_puts(const char *s);
/** Waits until an interrupt is pending (interrupts stay masked). */
void arch_wait_for_interrupt(void);
/** Starts running @regs in USR mode; never returns. */
noreturn void arch_resume_guest(struct arch_regs *regs);

/* --- The generic timer (CP15 c14), for its driver ------------------------ */

/* The PL1 physical timer of a core with the Generic Timer extension
 * (Cortex-A7, A15; QEMU's virt): no memory-mapped registers, so the
 * driver (hv/drivers/arm/armv7_timer) reaches it through these. */
/** CNTFRQ: the counter's rate in Hz, as firmware set it (0: not set). */
uint32_t arch_gtimer_frequency(void);
/** CNTPCT: the physical count, 64 bits. */
uint64_t arch_gtimer_count(void);
/** CNTP_CVAL = @compare, then CNTP_CTL: enabled and unmasked if @on
 * (the interrupt asserts while the count is at or past @compare), else
 * disabled. */
void arch_gtimer_set(uint64_t compare, bool on);
/** CNTP_CTL.ISTATUS: the timer's condition is met (and it is enabled). */
bool arch_gtimer_fired(void);

/* --- Firmware's secure monitor, for drivers ------------------------------ */

/**
 * A call to the secure monitor a boot ROM leaves (SMC #0, function in r12,
 * argument in r0: OMAP4's convention; 0x102 writes the PL310's control
 * register). Returns r0 as the monitor left it. Only for what a board
 * tree names (hv,smc-control): a core without one would take the
 * exception at its own, absent, monitor vector.
 */
uint32_t arch_smc(uint32_t function, uint32_t arg);

#endif /* HV_ARCH_H */
