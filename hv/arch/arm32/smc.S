/* SPDX-License-Identifier: MIT */
/*
 * arch_smc: a call to the boot ROM's secure monitor (hv/inc/hv/arch.h).
 * Assembly because the ROM's convention is not AAPCS: it takes the
 * function in r12 and its argument in r0, and may change r1-r12 and lr
 * (OMAP4's does), so everything but sp is saved around it.
 *
 * Register contract: in r0 = function, r1 = argument; out r0 = the
 * monitor's r0; r1-r12 and lr as on entry. IRQs and FIQs stay masked (the
 * monitor runs so).
 */
    .arch_extension sec
    .arm
    .text
    .global arch_smc
arch_smc:
    push    {r1-r12, lr}
    mov     r12, r0
    mov     r0, r1
    dsb
    smc     #0
    isb
    pop     {r1-r12, pc}
