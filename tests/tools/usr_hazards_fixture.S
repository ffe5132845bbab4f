/* SPDX-License-Identifier: MIT */
/*
 * Every kind of instruction that silently misbehaves in USR mode (16 of
 * them, in ARM and Thumb), next to look-alikes that are fine (flags-only
 * msr, plain ldm, mov pc, bx): tests/tools/test_usr_hazards.py checks
 * that guestabi/tools/usr-hazards.py reports exactly the former.
 */
    .syntax unified
    .arm
    .text
    .global f1
f1: cpsid i
    cpsie if
    msr cpsr_c, #0xd3
    msr cpsr_fc, r0
    msr APSR_nzcvq, r0
    msr spsr_cxsf, r1
    mrs r0, cpsr
    mrs r0, spsr
    ldmia sp, {r0-pc}^
    stmdb sp, {sp, lr}^
    ldm r0, {r1, r2}
    movs pc, lr
    subs pc, lr, #4
    mov pc, lr
    wfi
    wfe
    bx lr
    .thumb
    .global f2
    .thumb_func
f2: cpsid i
    wfi
    msr cpsr_c, r0
    bx lr
