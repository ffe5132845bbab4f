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
 * struct arch_regs layout (must match inc/arch/regs.h):
 *   0   r0 .. r12    52  sp_usr   56  lr_usr   60  pc   64  cpsr
 *
 * The monitor itself runs with IRQ masked (every exception entry masks
 * it; FIQ is never raised: the GIC signals all interrupts as IRQ), so an
 * exception taken from a privileged mode is a monitor bug: it goes to
 * arch_exception_monitor_fault on a separate stack and never returns.
 */
#include <arch/layout.h>

#define MODE_USR 0x10
#define MODE_SVC 0x13
#define REGS_SIZE 68

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

/* Kinds, as enum arch_exception in inc/arch/regs.h. */
#define EXC_UNDEF 1
#define EXC_SVC 2
#define EXC_PABT 3
#define EXC_DABT 4
#define EXC_IRQ 5
#define EXC_FIQ 6
#define EXC_OTHER 7

vec_undef:      /* lr = faulting instruction + 4 (ARM) or + 2 (Thumb) */
    srsdb   sp!, #MODE_SVC
    cps     #MODE_SVC
    save_frame
    mov     r1, #EXC_UNDEF
    b       exception_common

vec_svc:        /* lr = instruction after the SVC: the return address */
    srsdb   sp!, #MODE_SVC
    save_frame
    mov     r1, #EXC_SVC
    b       exception_common

vec_pabt:       /* lr = faulting instruction + 4 */
    sub     lr, lr, #4
    srsdb   sp!, #MODE_SVC
    cps     #MODE_SVC
    save_frame
    mov     r1, #EXC_PABT
    b       exception_common

vec_dabt:       /* lr = faulting instruction + 8 */
    sub     lr, lr, #8
    srsdb   sp!, #MODE_SVC
    cps     #MODE_SVC
    save_frame
    mov     r1, #EXC_DABT
    b       exception_common

vec_irq:        /* lr = interrupted instruction + 4 */
    sub     lr, lr, #4
    srsdb   sp!, #MODE_SVC
    cps     #MODE_SVC
    save_frame
    mov     r1, #EXC_IRQ
    b       exception_common

vec_fiq:
    sub     lr, lr, #4
    srsdb   sp!, #MODE_SVC
    cps     #MODE_SVC
    save_frame
    mov     r1, #EXC_FIQ
    b       exception_common

vec_reset:
vec_reserved:
    srsdb   sp!, #MODE_SVC
    cps     #MODE_SVC
    save_frame
    mov     r1, #EXC_OTHER
    b       exception_common

/*
 * exception_common: r0 = frame, r1 = kind. A frame from USR mode is a
 * guest's; anything else is the monitor's own fault.
 */
exception_common:
    /* SVC and undefined-instruction entries leave CPSR.A as the guest's
     * (clear): mask asynchronous aborts in the monitor, so a guest's
     * late bus error is taken in guest context, never here. */
    cpsid   a
    ldr     r2, [r0, #64]
    and     r2, r2, #0x1f
    cmp     r2, #MODE_USR
    bne     1f
    ldr     sp, =(hv_stack + HV_STACK_SIZE)
    bl      arch_exception_dispatch     /* returns regs to resume in r0 */
    b       arch_resume_guest
1:  ldr     sp, =(hv_panic_stack + HV_PANIC_STACK_SIZE)
    bl      arch_exception_monitor_fault
2:  b       2b

/*
 * arch_resume_guest(struct arch_regs *regs): never returns.
 * In: r0 = the vCPU registers to load; their CPSR was sanitized by the
 * caller (USR mode, A/I/F clear). Leaves SVC sp just past regs for the
 * next exception. Clears the exclusive monitor so a guest never
 * completes a STREX against another guest's LDREX.
 */
    .text
    .global arch_resume_guest
arch_resume_guest:
    mov     lr, r0
    add     r0, lr, #52
    ldmia   r0, {sp, lr}^
    nop
    clrex
    add     sp, lr, #REGS_SIZE
    ldmia   lr, {r0-r12}
    add     lr, lr, #60
    rfeia   lr
    .ltorg
