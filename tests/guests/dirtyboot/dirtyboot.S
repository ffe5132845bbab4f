/* SPDX-License-Identifier: MIT */
/*
 * A careless boot loader: leaves open every piece of CPU state that USR
 * mode could use or see (PMU access, thread registers, ThumbEE, FIQ
 * unmasked), then jumps to hv, 32 KiB above itself (where QEMU's -kernel
 * would have put it). Position-independent: loaded at RAM base + 0x8000
 * by tests/runner/hvtest.py --dirty-boot. The monitor must force each of
 * these before any guest runs (hv/arch/arm32/setup.c).
 */
    .arm
    .section .text
    .global _start
_start:
    mov     r0, #1
    mcr     p15, 0, r0, c9, c14, 0     /* PMUSERENR.EN: PMU open to USR */
    ldr     r0, =0x8000000f
    mcr     p15, 0, r0, c9, c12, 1     /* PMCNTENSET */
    mrc     p15, 0, r0, c9, c12, 0
    orr     r0, r0, #1
    mcr     p15, 0, r0, c9, c12, 0     /* PMCR.E: counters on */
    ldr     r0, =0x5a5a0001
    mcr     p15, 0, r0, c13, c0, 2     /* TPIDRURW */
    ldr     r0, =0x5a5a0002
    mcr     p15, 0, r0, c13, c0, 3     /* TPIDRURO */
    mov     r0, #0
    mcr     p14, 6, r0, c0, c0, 0      /* TEECR: TEEHBR open to USR */
    ldr     r0, =0x5a5a0003
    mcr     p14, 6, r0, c1, c0, 0      /* TEEHBR */
    cpsie   f                          /* FIQ unmasked */
    adr     r0, _start
    add     r0, r0, #0x8000
    bx      r0
    .ltorg
