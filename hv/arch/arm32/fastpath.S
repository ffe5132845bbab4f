/* SPDX-License-Identifier: MIT */
/*
 * The hottest monitor paths in assembly: an exception in virtual user
 * mode reflected to the guest kernel as an upcall (a system call, a data
 * or prefetch abort), and HV_OP_IRET back. Each handles the common case
 * and leaves everything else, untouched, to the C path (exception_common
 * with the exception's kind), which stays the reference: vcpu_upcall and
 * vcpu_iret in hv/core/vcpu.c. What the fast paths do is exactly what
 * those do in the cases they take. Also here: the event upcall, which C
 * calls when it delivers events (arm32_upcall_event: the same frame
 * code, from virtual user or kernel mode), the other hypercalls' way
 * into C past the exception dispatch, and arm32_copy_to_user, with which
 * the C path stores its own upcall frames.
 *
 * Guest memory is reached only with STRT and LDRT, after the DACR is the
 * guest kernel's: the access is checked with the guest's own (PL0)
 * permissions, so a frame aimed at memory the guest may not write (a
 * page table, mapped for PL1 only) faults instead of being written. A
 * fault there is not the monitor's: vec_dabt finds the instruction
 * between a fast_uaccess_*_start and _end label (uaccess_fixup in
 * entry.S), resumes at the path's fixup, and the C path runs from the
 * unchanged saved registers; it meets the same fault in its own way and
 * reports it. tests/tools/test_entry_window.py checks that every STRT
 * and LDRT in the monitor is inside such a range that it tests.
 *
 * Values read from guest memory are untrusted: the IRET frame's CPSR is
 * checked as vcpu_iret checks it and sanitized as arch_regs_sanitize
 * does; nothing from the frame is used as a monitor address. IRQs stay
 * masked, as in all of the monitor, for the few dozen instructions the
 * paths take; a pending one is taken as soon as the guest runs again.
 *
 * After a fast return, vm->regs holds the new sp, lr, pc and cpsr, but
 * r0-r12 only as they were at the trap: the guest is running, and its
 * next exception stores all of them before anything reads them.
 */
#include <arch/layout.h>
#include <arch/offsets.h>

#include "arm32.h"
#include "psr.h"

    .text
    .arm

/*
 * upcall_kernel_mode: the part of vcpu_upcall both upcall paths share
 * once the frame is stored: virtual kernel mode, events masked, and the
 * entry's pc and CPSR as arch_regs_enter makes them (ARM or, with bit 0
 * of the entry set, Thumb; USR mode, F masked).
 * In: r0 = vm->regs, r3 = the shared page, r4 = the entry.
 * Out: \rzero = 0 (VM_MODE_KERNEL_VALUE, and the entry's lr), r7 = the
 *      entry's pc, r9 = its CPSR. Clobbers r2, r8.
 */
.macro upcall_kernel_mode rzero
    .if VM_MODE_KERNEL_VALUE != 0
    .error "upcall_kernel_mode's \rzero is both VM_MODE_KERNEL_VALUE and 0"
    .endif
    mov     \rzero, #VM_MODE_KERNEL_VALUE
    mov     r2, #ABI_VCPSR_KERNEL
    mov     r8, #1
    strb    \rzero, [r0, #VM_REGS_MODE]
    str     r2, [r3, #SHARED_MODE]
    str     r8, [r3, #SHARED_EVENTS_MASKED]
    mov     r9, #(PSR_MODE_USR | PSR_F)
    bfi     r9, r4, #5, #1              /* PSR_T: bit 0 of the entry */
    bic     r7, r4, #1
.endm

/*
 * fast_svc: from vec_svc, after save_frame.
 * In:  r0 = sp = the saved registers of the context that made the SVC
 *      (a guest's vm->regs if it came from USR mode); r1-r12 still as
 *      that context had them (and saved); SPSR its CPSR; A, I, F masked.
 * Out: the guest runs again (never returns); or a hypercall other than
 *      HV_OP_IRET from virtual kernel mode goes to arch_exception_hypercall;
 *      or exception_common with r0 = the frame and r1 = EXC_SVC.
 */
    .global fast_svc
fast_svc:
    mrs     r1, spsr                    /* the CPSR SRS saved */
    tst     r1, #0xf                    /* 0 in USR mode alone */
    bne     fast_svc_slow               /* the monitor's own: a panic */
    ldrb    r2, [r0, #VM_REGS_MODE]
    cmp     r2, #VM_MODE_USER_VALUE
    bne     fast_iret                   /* r12 is still the guest's */

/*
 * A system call in virtual user mode: with the registers in place (a
 * shared page and an entry set with HV_CALLBACKS_REGS_IN_PLACE), the
 * upcall below that; otherwise the full upcall after it, with kind
 * HV_UPCALL_SYSCALL, address the pc after the SVC, status 0.
 */
    ldr     r3, [r0, #VM_REGS_SHARED_VA]
    ldr     r4, [r0, #VM_REGS_SYSCALL_IN_PLACE]
    cmp     r3, #0
    cmpne   r4, #0
    bne     fast_syscall_in_place
    ldr     r4, [r0, #VM_REGS_UPCALL_ENTRIES + 4 * ABI_UPCALL_SYSCALL]
    ldr     r1, [r0, #ARCH_REGS_PC]
    mov     r2, #0
    mov     r11, #ABI_UPCALL_SYSCALL
    mov     r12, #EXC_SVC
    b       fast_upcall_user

/*
 * The system call upcall with the registers in place, as vcpu_upcall
 * then: only the frame's sp, lr, pc and cpsr are stored (the kernel
 * stores r0-r12 and orig_r0 itself), and the entry runs with the
 * caller's r0-r12, sp = the frame, lr = 0. Slow path if there is no
 * room below the kernel sp, or (fast_syscall_fixup) a store faults.
 * In: r0 = sp = vm->regs, r1 = the caller's CPSR, r3 = the shared page,
 *     r4 = the entry; r0-r12 saved in vm->regs.
 */
fast_syscall_in_place:
    ldr     r5, [r3, #SHARED_KERNEL_SP]
    ldr     r6, =ARM32_DACR_VKERNEL_VALUE
    cmp     r5, #FRAME_SIZE
    blo     fast_svc_slow
    /* Written as the guest kernel would write it: its domain on. */
    mcr     p15, 0, r6, c3, c0, 0
    ldr     r8, [r3, #SHARED_EVENTS_MASKED]
    sub     r5, r5, #FRAME_SIZE
    bic     r5, r5, #7                  /* r5: the frame's address */
    /* A guest in USR mode has the CPSR arch_regs_sanitize gave it, but
     * for the flags it may change: USR mode, F set, A, I and J clear. So
     * (cpsr & ABI_VCPSR_FLAGS) | ABI_VCPSR_USER is the CPSR without F. */
    bic     r6, r1, #PSR_F
    cmp     r8, #0
    orrne   r6, r6, #ABI_VCPSR_I        /* r6: the frame's virtual CPSR */
    add     r10, r0, #ARCH_REGS_SP
    ldmia   r10, {r1, r2, r8}           /* the caller's sp, lr, pc */
    add     r7, r5, #FRAME_SP
    isb
    .global fast_uaccess_syscall_start
fast_uaccess_syscall_start:
    strt    r1, [r7], #4
    strt    r2, [r7], #4
    strt    r8, [r7], #4
    strt    r6, [r7]
    .global fast_uaccess_syscall_end
fast_uaccess_syscall_end:
    upcall_kernel_mode r6
    stmia   r10, {r5, r6, r7, r9}       /* sp, lr (0), pc, cpsr */
    ldmia   r10, {sp, lr}^
    clrex                               /* (no banked register after LDM^) */
    add     sp, r0, #ARCH_REGS_SIZE     /* for the next exception */
    ldmia   r0, {r0-r12}                /* the caller's, in place */
    rfedb   sp                          /* pc, cpsr: the frame's last words */

/*
 * fast_dabt, fast_pabt: from vec_dabt and vec_pabt, after save_frame.
 * In: r0 = sp = the saved registers of the aborted context; A, I, F
 * masked; r1-r12, lr free. A guest's abort in virtual user mode becomes
 * the upcall below, with the fault's address and status registers.
 * Out: as fast_svc's, with EXC_DABT or EXC_PABT for the C path.
 */
    .global fast_dabt
fast_dabt:
    mov     r12, #EXC_DABT
    mov     r11, #ABI_UPCALL_DATA_ABORT
    mrc     p15, 0, r1, c6, c0, 0       /* DFAR */
    mrc     p15, 0, r2, c5, c0, 0       /* DFSR */
    b       1f
    .global fast_pabt
fast_pabt:
    mov     r12, #EXC_PABT
    mov     r11, #ABI_UPCALL_PREFETCH_ABORT
    mrc     p15, 0, r1, c6, c0, 2       /* IFAR */
    mrc     p15, 0, r2, c5, c0, 1       /* IFSR */
1:  ldr     r3, [r0, #ARCH_REGS_CPSR]
    tst     r3, #0xf                    /* 0 in USR mode alone */
    bne     fast_slow                   /* the monitor's own: a panic */
    ldrb    r5, [r0, #VM_REGS_MODE]
    ldr     r3, [r0, #VM_REGS_SHARED_VA]
    add     r4, r0, #VM_REGS_UPCALL_ENTRIES
    cmp     r5, #VM_MODE_USER_VALUE
    bne     fast_slow
    ldr     r4, [r4, r11, lsl #2]

/*
 * The upcall from virtual user mode, as vcpu_upcall: a frame on the
 * kernel stack the guest registered, events masked, the entry called
 * with r0 = sp = the frame, r1 = address, r2 = status, r3 = the kind,
 * every other register 0. Slow path if the guest registered no shared
 * page or no entry (C stops it), or has no room below its kernel sp.
 * In: r0 = sp = vm->regs, r1 = address, r2 = status, r3 = the shared
 *     page (or 0), r4 = the entry (or 0), r11 = the upcall kind,
 *     r12 = the exception kind for the C path.
 */
fast_upcall_user:
    cmp     r3, #0
    cmpne   r4, #0
    beq     fast_slow
    ldr     r5, [r3, #SHARED_KERNEL_SP]
    mov     r7, #ABI_VCPSR_USER
    cmp     r5, #FRAME_SIZE
    blo     fast_slow
    /* Written as the guest kernel would write it: its domain on. */
    ldr     r6, =ARM32_DACR_VKERNEL_VALUE
    mcr     p15, 0, r6, c3, c0, 0
    isb

/*
 * Both modes: the frame below r5, stored with STRT.
 * In: as fast_upcall_user's, and r5 = the stack the frame goes below
 *     (at least FRAME_SIZE), r7 = the virtual mode it is taken from
 *     (ABI_VCPSR_USER or _KERNEL), the DACR the guest kernel's.
 */
fast_upcall_store:
    ldr     r6, =fast_upcall_args       /* kept for the entry and the fixup */
    stmia   r6, {r1, r2, r11, r12}
    ldr     r8, [r3, #SHARED_EVENTS_MASKED]
    ldr     r6, [r0, #ARCH_REGS_CPSR]
    ldr     r9, =ABI_VCPSR_FLAGS
    sub     r5, r5, #FRAME_SIZE
    bic     r5, r5, #7                  /* r5: the frame's address */
    and     r6, r6, r9
    orr     r6, r6, r7
    cmp     r8, #0
    orrne   r6, r6, #ABI_VCPSR_I        /* r6: the frame's virtual CPSR */
    mov     lr, r0                      /* reads vm->regs */
    mov     r7, r5                      /* writes the frame */
    .global fast_uaccess_upcall_start
fast_uaccess_upcall_start:
    ldmia   lr!, {r1, r2, r8-r12}       /* r0-r6 */
    strt    r1, [r7], #4
    strt    r2, [r7], #4
    strt    r8, [r7], #4
    strt    r9, [r7], #4
    strt    r10, [r7], #4
    strt    r11, [r7], #4
    strt    r12, [r7], #4
    ldmia   lr!, {r1, r2, r8-r12}       /* r7-r12, sp */
    strt    r1, [r7], #4
    strt    r2, [r7], #4
    strt    r8, [r7], #4
    strt    r9, [r7], #4
    strt    r10, [r7], #4
    strt    r11, [r7], #4
    strt    r12, [r7], #4
    ldmia   lr, {r1, r2}                /* lr, pc */
    strt    r1, [r7], #4
    strt    r2, [r7], #4
    strt    r6, [r7], #4                /* cpsr */
    ldr     r1, [r0]
    strt    r1, [r7]                    /* orig_r0 */
    .global fast_uaccess_upcall_end
fast_uaccess_upcall_end:
    upcall_kernel_mode r6
    add     r10, r0, #ARCH_REGS_SP
    stmia   r10, {r5, r6, r7, r9}       /* sp, lr (0), pc, cpsr */
    ldmia   r10, {sp, lr}^
    ldr     r1, =fast_upcall_args       /* (no banked register after LDM^) */
    add     sp, r0, #ARCH_REGS_SIZE     /* for the next exception */
    ldmia   r1, {r1, r2, r3}            /* address, status, kind */
    mov     r0, r5
    ldr     r4, =fast_zeroes
    ldmia   r4, {r4-r12}
    clrex
    rfedb   sp                          /* pc, cpsr: the frame's last words */

/*
 * arm32_upcall_event(struct vm *vm): the event upcall, as vcpu_upcall
 * with HV_UPCALL_EVENT, from C (arch_vcpu_upcall_event, for
 * guest_resume). @vm runs next, its view is loaded, and an event is due
 * (so its shared page and event entry are registered). Enters the guest
 * and does not return; or, if the frame does not fit below the stack or
 * a store of it faults, returns -HV_EFAULT with nothing changed, and the
 * C path meets the same fault and reports it.
 * In: r0 = vm (its saved registers come first: offsets.c), lr = the
 *     caller, sp = the monitor stack. Out (only if declined): r0 =
 *     -HV_EFAULT, r4-r11 and sp as they were (AAPCS).
 */
    .global arm32_upcall_event
arm32_upcall_event:
    push    {r4-r11, lr}
    ldr     r1, =fast_event_caller_sp
    str     sp, [r1]
    ldr     r3, [r0, #VM_REGS_SHARED_VA]
    ldr     r4, [r0, #VM_REGS_UPCALL_ENTRIES + 4 * ABI_UPCALL_EVENT]
    ldrb    r5, [r0, #VM_REGS_MODE]
    mov     r1, #0                      /* address */
    mov     r2, #0                      /* status */
    mov     r11, #ABI_UPCALL_EVENT
    mov     r12, #EXC_EVENT
    cmp     r5, #VM_MODE_USER_VALUE
    beq     fast_upcall_user
    /* From virtual kernel mode: below its own sp, its DACR already on. */
    cmp     r3, #0
    cmpne   r4, #0
    beq     fast_event_decline
    ldr     r5, [r0, #ARCH_REGS_SP]
    mov     r7, #ABI_VCPSR_KERNEL
    cmp     r5, #FRAME_SIZE
    bhs     fast_upcall_store
    b       fast_event_decline

/*
 * iret_commit: the checks and changes of vcpu_iret once a frame is read:
 * refuses (to the slow path) what it refuses or an event due on the way
 * back, then the virtual mode, the events mask, the TLS and DACR of user
 * mode, and the sanitized sp, lr, pc and cpsr in vm->regs and the banked
 * sp and lr. The caller then loads r0-r12 and returns with RFEDB.
 * In: r0 = sp = vm->regs, r3 = the shared page, r4-r7 = the frame's sp,
 *     lr, pc and cpsr. Clobbers r1, r2, r7-r10.
 */
.macro iret_commit
    /* Only the flags, a mode of 0x10 or 0x13 and I. */
    ldr     r8, =ABI_VCPSR_NOT_ALLOWED
    and     r9, r7, #ABI_VCPSR_MODE_MASK
    tst     r7, r8
    bne     fast_svc_slow
    ubfx    r10, r7, #7, #1             /* events_masked: the frame's I */
    ldr     r8, [r3, #SHARED_EVENTS_PENDING]
    cmp     r8, #0
    cmpne   r10, #1                     /* pending and unmasked: NE */
    bne     fast_svc_slow
    cmp     r9, #ABI_VCPSR_USER
    beq     1f
    cmp     r9, #ABI_VCPSR_KERNEL
    bne     fast_svc_slow
    str     r9, [r3, #SHARED_MODE]      /* stays in kernel mode */
    b       2f
1:  /* Into virtual user mode: its TLS, the guest kernel's domain off.
     * The exception return below synchronises both writes. */
    mov     r1, #VM_MODE_USER_VALUE
    ldr     r2, [r3, #SHARED_USER_TLS]
    ldr     r8, =ARM32_DACR_VUSER_VALUE
    strb    r1, [r0, #VM_REGS_MODE]
    str     r9, [r3, #SHARED_MODE]
    str     r2, [r0, #VM_REGS_TPIDRURO]
    mcr     p15, 0, r2, c13, c0, 3
    mcr     p15, 0, r8, c3, c0, 0
2:  str     r10, [r3, #SHARED_EVENTS_MASKED]
    /* arch_regs_sanitize: the flags, USR mode, F set; no IT bits in ARM
     * state; pc aligned to the state. */
    bic     r7, r7, #(ABI_VCPSR_MODE_MASK | ABI_VCPSR_I) /* leaves the flags:
                                           the rest was refused above */
    orr     r7, r7, #(PSR_MODE_USR | PSR_F)
    tst     r7, #PSR_T
    bicne   r6, r6, #1
    biceq   r6, r6, #3
    ldreq   r8, =PSR_IT_MASK
    biceq   r7, r7, r8
    add     r10, r0, #ARCH_REGS_SP
    stmia   r10, {r4-r7}                /* sp, lr, pc, cpsr */
    ldmia   r10, {sp, lr}^
.endm

/*
 * HV_OP_IRET from virtual kernel mode, as vcpu_iret: r0 = the frame's
 * address. The frame is read whole into fast_iret_frame before anything
 * changes. Slow path: another hypercall, no shared page, a frame not
 * word-aligned, a CPSR vcpu_iret refuses (it returns HV_EINVAL), or an
 * event due on the way back (C delivers it). Unmasks the guest asked for
 * in unmask_ports are done first (fast_iret_unmask).
 * In: r0 = sp = vm->regs.
 */
fast_iret:
    cmp     r12, #ABI_OP_IRET           /* the hypercall number */
    bne     fast_hypercall
fast_iret_again:
    ldr     r3, [r0, #VM_REGS_SHARED_VA]
    ldr     r11, [r0]                   /* the frame's address */
    cmp     r3, #0
    beq     fast_svc_slow
    ldr     r1, [r3, #SHARED_UNMASK_PORTS]
    tst     r11, #3
    bne     fast_svc_slow
    cmp     r1, #0
    bne     fast_iret_unmask
    ldr     r2, [r0, #VM_REGS_CALLBACK_FLAGS]
    tst     r2, #ABI_CALLBACKS_REGS_IN_PLACE
    bne     fast_iret_in_place
    ldr     lr, =fast_iret_frame
    .global fast_uaccess_iret_start
fast_uaccess_iret_start:
    ldrt    r1, [r11], #4               /* r0-r6 */
    ldrt    r2, [r11], #4
    ldrt    r4, [r11], #4
    ldrt    r5, [r11], #4
    ldrt    r6, [r11], #4
    ldrt    r7, [r11], #4
    ldrt    r8, [r11], #4
    stmia   lr!, {r1, r2, r4-r8}
    ldrt    r1, [r11], #4               /* r7-r12 */
    ldrt    r2, [r11], #4
    ldrt    r4, [r11], #4
    ldrt    r5, [r11], #4
    ldrt    r6, [r11], #4
    ldrt    r7, [r11], #4
    stmia   lr, {r1, r2, r4-r7}
    ldrt    r4, [r11], #4               /* sp */
    ldrt    r5, [r11], #4               /* lr */
    ldrt    r6, [r11], #4               /* pc */
    ldrt    r7, [r11]                   /* cpsr */
    .global fast_uaccess_iret_end
fast_uaccess_iret_end:
    iret_commit
    ldr     r12, =fast_iret_frame       /* (no banked register after LDM^) */
    add     sp, r0, #ARCH_REGS_SIZE     /* for the next exception */
    ldmia   r12, {r0-r12}
    clrex
    rfedb   sp                          /* pc, cpsr: the frame's last words */

/*
 * HV_OP_IRET with the registers in place: r1-r11 are the caller's (in
 * vm->regs), so only the frame's r0, r12, sp, lr, pc and cpsr are read.
 * In: as fast_iret's, lr = the frame's address (word-aligned).
 */
fast_iret_in_place:
    .global fast_uaccess_iret_in_place_start
fast_uaccess_iret_in_place_start:
    ldrt    lr, [r11], #48              /* r0, kept in lr_svc */
    ldrt    r12, [r11], #4              /* r12 */
    ldrt    r4, [r11], #4               /* sp */
    ldrt    r5, [r11], #4               /* lr */
    ldrt    r6, [r11], #4               /* pc */
    ldrt    r7, [r11]                   /* cpsr */
    .global fast_uaccess_iret_in_place_end
fast_uaccess_iret_in_place_end:
    iret_commit                         /* (LDM^ leaves lr_svc alone) */
    add     sp, r0, #ARCH_REGS_SIZE     /* for the next exception */
    ldmib   r0, {r1-r11}                /* the caller's, in place */
    mov     r0, lr
    clrex
    rfedb   sp                          /* pc, cpsr: the frame's last words */

/*
 * The guest asked for unmasks in its shared page (a device interrupt it
 * has served): evtchn_unmask_shared(vm) on the monitor stack, which
 * clears the word, then the IRET from the start. Nothing of the guest's
 * is live in registers: its r0 (the frame's address) is in vm->regs.
 * In: r0 = sp = vm->regs.
 */
fast_iret_unmask:
    ldr     sp, =(hv_stack + HV_STACK_SIZE)
    mov     r4, r0                      /* kept across the call (AAPCS) */
    bl      evtchn_unmask_shared
    mov     r0, r4
    mov     sp, r4
    b       fast_iret_again

/*
 * Any other hypercall from virtual kernel mode: straight to
 * hypercall_handle on the monitor stack, past the exception dispatch.
 * In: r0 = sp = the frame, which is the running guest's struct vm (its
 * registers come first: offsets.c); a frame of anyone else is a monitor
 * bug, which arch_exception_hypercall reports. hypercall_handle returns
 * the registers to resume, or NULL when no guest can run
 * (arm32_exception_wait waits for one).
 */
fast_hypercall:
    ldr     sp, =(hv_stack + HV_STACK_SIZE)
    ldr     r1, =sched_running
    ldr     r1, [r1]
    cmp     r0, r1
    bne     1f
    bl      hypercall_handle            /* r0 = the vm */
    cmp     r0, #0
    bne     arch_resume_guest
    bl      arm32_exception_wait
    b       arch_resume_guest
1:  bl      arch_exception_hypercall    /* panics */
    b       arch_resume_guest

/*
 * arm32_copy_to_user(uint32_t va, const void *src, uint32_t words): for
 * arch_mm_write_user, called from C with the guest's view loaded.
 * In:  r0 = guest address, r1 = source, both word-aligned; r2 = words,
 *      at least 1.
 * Out: r0 = 0, or -HV_EFAULT if a store faulted (fast_copy_fixup: the
 *      words before it were written). Clobbers r1-r3 (AAPCS).
 */
    .global arm32_copy_to_user
arm32_copy_to_user:
    .global fast_uaccess_copy_start
fast_uaccess_copy_start:
1:  ldr     r3, [r1], #4
    strt    r3, [r0], #4
    subs    r2, r2, #1
    bne     1b
    .global fast_uaccess_copy_end
fast_uaccess_copy_end:
    mov     r0, #0
    bx      lr
    .global fast_copy_fixup
fast_copy_fixup:                        /* lr is still the caller's */
    mvn     r0, #(ABI_EFAULT - 1)
    bx      lr

/*
 * The fixups (uaccess_fixup in entry.S resumes here in SVC mode, with
 * every register but lr as at the fault). Nothing was committed: the
 * upcall changed only the DACR, put back for virtual user mode, and,
 * by faulting, the data fault registers, put back for a data abort's
 * C path to read.
 */
    .global fast_upcall_fixup
fast_upcall_fixup:
    ldr     r12, =fast_upcall_args
    ldr     r12, [r12, #12]             /* the C path's EXC_* kind */
    cmp     r12, #EXC_EVENT
    beq     fast_event_fixup
    ldr     r1, =ARM32_DACR_VUSER_VALUE
    mcr     p15, 0, r1, c3, c0, 0
    isb
    ldr     r12, =fast_upcall_args
    ldmia   r12, {r1, r2, r3, r12}      /* address, status, kind, EXC_* */
    cmp     r12, #EXC_DABT
    mcreq   p15, 0, r1, c6, c0, 0       /* DFAR */
    mcreq   p15, 0, r2, c5, c0, 0       /* DFSR */
    b       fast_slow
    .global fast_syscall_fixup
fast_syscall_fixup:
    ldr     r1, =ARM32_DACR_VUSER_VALUE
    mcr     p15, 0, r1, c3, c0, 0
    isb
    .global fast_iret_fixup
fast_iret_fixup:
fast_svc_slow:
    mov     r12, #EXC_SVC
/* The C path: r12 = the exception kind; the frame is at sp. */
fast_slow:
    cmp     r12, #EXC_EVENT
    beq     fast_event_decline
    mov     r0, sp
    mov     r1, r12
    b       exception_common

/*
 * arm32_upcall_event's way back to its caller: its frame faulted (the
 * DACR back to what the guest's mode wants: r0 is still the vm), or it
 * declined before changing anything.
 */
fast_event_fixup:
    ldrb    r1, [r0, #VM_REGS_MODE]
    cmp     r1, #VM_MODE_USER_VALUE
    ldreq   r1, =ARM32_DACR_VUSER_VALUE
    mcreq   p15, 0, r1, c3, c0, 0
    isb
fast_event_decline:
    ldr     r1, =fast_event_caller_sp
    ldr     sp, [r1]
    mvn     r0, #(ABI_EFAULT - 1)
    pop     {r4-r11, pc}
    .ltorg

    .section .rodata
    .align  2
fast_zeroes:
    .space  9 * 4

    .bss
    .align  2
/* The upcall's address, status and kind, and the C path's EXC_* kind. */
fast_upcall_args:
    .space  4 * 4
/* arm32_upcall_event's caller's sp, after it saved r4-r11 and lr. */
fast_event_caller_sp:
    .space  4
/* The IRET frame's r0-r12, read before anything is changed. */
fast_iret_frame:
    .space  13 * 4
