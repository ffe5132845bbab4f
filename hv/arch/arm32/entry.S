/* SPDX-License-Identifier: MIT */
/*
 * Exception vectors and the return to a guest.
 *
 * While a guest runs, SVC-mode sp points just past that guest's
 * struct arch_regs (set by arch_resume_guest). Every exception, whatever
 * mode it enters, stores the guest's return address and CPSR there with
 * SRS, switches to SVC mode and stores r0-r12 and the USR sp and lr below
 * them, so the guest's state lands directly in its vCPU without a copy.
 * Then the handler runs on the monitor stack.
 *
 * struct arch_regs (inc/arch/regs.h): r0-r12, then sp and lr of USR mode,
 * pc and cpsr; the offsets are ARCH_REGS_* of <arch/offsets.h>, generated
 * from the struct (arch/arm32/offsets.c).
 *
 * The monitor runs with A, I and F masked: every vector's first
 * instruction is cpsid aif (SVC and undefined-instruction entries leave
 * A as the guest had it, and no entry but FIQ's masks F). hv uses no FIQ
 * and guests run with F set too (arch_regs_sanitize), so FIQ is never
 * taken. An exception taken from a privileged mode is a monitor bug: it
 * goes to arch_exception_monitor_fault on a separate stack and never
 * returns; with one exception, below.
 *
 * THE ENTRY WINDOW. An SVC or undefined-instruction entry leaves CPSR.A
 * clear for two instruction boundaries: before the vector slot's branch
 * and before the stub's cpsid. An asynchronous abort a guest caused (a
 * bus error on its device's write) can land there, in SVC or UND mode.
 * vec_dabt recognises exactly those four addresses and turns the abort
 * into the guest's own: the trapping instruction (the SVC, or the
 * undefined one) has not executed, the guest's registers are untouched
 * and SVC sp is still just past its struct arch_regs, so the abort is
 * taken as if just before that instruction, which runs again when the
 * guest resumes. (An SVC advanced the IT state before it was saved:
 * arch_regs_it_before_svc steps it back.) tests/tools/test_entry_window.py
 * checks the layout.
 */
#include <arch/layout.h>
#include <arch/offsets.h>

#include "arm32.h"
#include "psr.h"

/* In SVC mode, after SRS: push the rest of the frame; r0 = frame. */
.macro save_frame
    sub     sp, sp, #8
    stmia   sp, {sp, lr}^
    stmdb   sp!, {r0-r12}
    mov     r0, sp
.endm

    .section .text.vectors, "ax"
    .arm
    .align  5
    .global hv_vectors
hv_vectors:
    b       vec_reset
    b       vec_undef
    b       vec_svc
    b       vec_pabt
    b       vec_dabt
    b       vec_reserved
    b       vec_irq
    b       vec_fiq

/* r1: the exception kind, EXC_* of arm32.h. */
vec_undef:      /* lr = faulting instruction + 4 (ARM) or + 2 (Thumb) */
    cpsid   aif
    srsdb   sp!, #PSR_MODE_SVC
    cps     #PSR_MODE_SVC
    save_frame
    mov     r1, #EXC_UNDEF
    b       exception_common

vec_svc:        /* lr = instruction after the SVC: the return address */
    cpsid   aif
    srsdb   sp!, #PSR_MODE_SVC
    save_frame
    b       fast_svc                    /* fastpath.S; else exception_common */

vec_pabt:       /* lr = faulting instruction + 4 */
    cpsid   aif
    sub     lr, lr, #4
    srsdb   sp!, #PSR_MODE_SVC
    cps     #PSR_MODE_SVC
    save_frame
    b       fast_pabt                   /* fastpath.S; else exception_common */

/*
 * vec_dabt: lr = faulting (or, asynchronous, interrupted) instruction + 8.
 * ABT sp points at entry_abt_scratch, two words to free r0 and r1 while
 * it decides whether this is an abort in the entry window (see the top).
 */
vec_dabt:
    cpsid   aif
    sub     lr, lr, #8
    stmia   sp, {r0, r1}
    mrs     r0, spsr
    and     r0, r0, #PSR_MODE_MASK
    cmp     r0, #PSR_MODE_USR
    beq     dabt_frame
    cmp     r0, #PSR_MODE_SVC
    bne     1f
    ldr     r1, =(hv_vectors + 8)
    cmp     lr, r1
    ldrne   r1, =vec_svc
    cmpne   lr, r1
    bne     uaccess_fixup               /* a fast path's, or a panic */
    cps     #PSR_MODE_SVC
    mov     r1, lr                      /* after the guest's SVC */
    mrs     r0, spsr                    /* the guest's CPSR */
    cps     #PSR_MODE_ABT
    bl      3f                          /* lr, spsr: the SVC's */
    ldmia   sp, {r0, r1}
    srsdb   sp!, #PSR_MODE_SVC
    cps     #PSR_MODE_SVC
    save_frame
    mov     r1, #EXC_DABT_SVC_WINDOW    /* C steps IT back, too */
    b       exception_common
1:  cmp     r0, #PSR_MODE_UND
    bne     dabt_frame
    ldr     r1, =(hv_vectors + 4)
    cmp     lr, r1
    ldrne   r1, =vec_undef
    cmpne   lr, r1
    bne     dabt_frame
    cps     #PSR_MODE_UND
    mov     r1, lr                      /* after the undefined instruction */
    mrs     r0, spsr
    cps     #PSR_MODE_ABT
    bl      3f
    b       dabt_frame
    /* Called with bl: r1 = the guest's return address, r0 = its CPSR.
     * Sets lr and spsr to the trapping instruction's address and that
     * CPSR, so dabt_frame saves them as the guest's; returns through r0
     * (r0 and r1 are reloaded from the scratch after). */
3:  tst     r0, #PSR_T
    subne   r1, r1, #2
    subeq   r1, r1, #4
    msr     spsr_cxsf, r0
    mov     r0, lr
    mov     lr, r1                      /* the guest resumes at it */
    bx      r0
dabt_frame:
    ldmia   sp, {r0, r1}
    srsdb   sp!, #PSR_MODE_SVC
    cps     #PSR_MODE_SVC
    save_frame
    b       fast_dabt                   /* fastpath.S; else exception_common */

/*
 * uaccess_fixup: an abort in SVC mode outside the entry window. If its
 * instruction is one of fastpath.S's STRT/LDRT ranges, resume at that
 * path's fixup in SVC mode (SPSR_abt holds its CPSR), r0 and r1 restored;
 * any other is the monitor's own fault. In: ABT mode, lr = the aborted
 * instruction, r0 and r1 in entry_abt_scratch.
 */
/* If lr is in [\start, \end), resume at \fixup (at 1: below). */
.macro fixup_range start, end, fixup
    ldr     r0, =\start
    ldr     r1, =\end
    cmp     lr, r0
    cmphs   r1, lr
    ldrhi   lr, =\fixup
    bhi     1f
.endm
uaccess_fixup:
    fixup_range fast_uaccess_upcall_start, fast_uaccess_upcall_end, fast_upcall_fixup
    fixup_range fast_uaccess_iret_start, fast_uaccess_iret_end, fast_iret_fixup
    fixup_range fast_uaccess_syscall_start, fast_uaccess_syscall_end, fast_syscall_fixup
    fixup_range fast_uaccess_iret_in_place_start, fast_uaccess_iret_in_place_end, fast_iret_fixup
    fixup_range fast_uaccess_copy_start, fast_uaccess_copy_end, fast_copy_fixup
    b       dabt_frame                  /* the monitor's own: a panic */
1:  ldmia   sp, {r0, r1}
    movs    pc, lr

vec_irq:        /* lr = interrupted instruction + 4 */
    cpsid   aif
    sub     lr, lr, #4
    srsdb   sp!, #PSR_MODE_SVC
    cps     #PSR_MODE_SVC
    save_frame
    mov     r1, #EXC_IRQ
    b       exception_common

vec_fiq:
    cpsid   aif
    sub     lr, lr, #4
    srsdb   sp!, #PSR_MODE_SVC
    cps     #PSR_MODE_SVC
    save_frame
    mov     r1, #EXC_FIQ
    b       exception_common

vec_reset:
vec_reserved:
    cpsid   aif
    srsdb   sp!, #PSR_MODE_SVC
    cps     #PSR_MODE_SVC
    save_frame
    mov     r1, #EXC_OTHER
    b       exception_common
    .ltorg

/*
 * exception_common: r0 = frame, r1 = kind. A frame from USR mode is a
 * guest's; anything else is the monitor's own fault.
 */
    .global exception_common
exception_common:
    ldr     r2, [r0, #ARCH_REGS_CPSR]
    and     r2, r2, #PSR_MODE_MASK
    cmp     r2, #PSR_MODE_USR
    bne     1f
    ldr     sp, =(hv_stack + HV_STACK_SIZE)
    bl      arch_exception_dispatch     /* returns regs to resume in r0 */
    b       arch_resume_guest
1:  ldr     sp, =(hv_panic_stack + HV_PANIC_STACK_SIZE)
    bl      arch_exception_monitor_fault
2:  b       2b

/* ABT mode's sp: where vec_dabt frees two registers (set at boot). */
    .bss
    .align  3
    .global entry_abt_scratch
entry_abt_scratch:
    .space  8

/*
 * arch_resume_guest(struct arch_regs *regs): never returns.
 * In: r0 = the vCPU registers to load; their CPSR was sanitized by the
 * caller (USR mode, A and I clear, F set). Leaves SVC sp just past regs for the
 * next exception. Clears the exclusive monitor so a guest never
 * completes a STREX against another guest's LDREX.
 */
    .text
    .global arch_resume_guest
arch_resume_guest:
    mov     lr, r0
    add     r0, lr, #ARCH_REGS_SP
    ldmia   r0, {sp, lr}^
    clrex                               /* also: no banked register right
                                           after an LDM^ */
    add     sp, lr, #ARCH_REGS_SIZE
    ldmia   lr, {r0-r12}
    rfedb   sp                          /* pc and cpsr: the last two words */
    .ltorg
