/* SPDX-License-Identifier: MIT */
/*
 * Bare-metal program for tests/tools/test_hvcount.py, loaded at 0x60010000
 * on -M vexpress-a9 (SVC mode, MMU off). Between the two markers it takes
 * exactly: 2 SVC exceptions, 1 undefined-instruction exception, 3 DACR
 * writes, 1 TTBR0 and 1 CONTEXTIDR write, 2 TLB and 3 cache maintenance
 * operations, 1 CP15 barrier, 1 TLS write and 1 conditional CP15 write
 * that does not execute, and 10 turns of a two-instruction loop at
 * profile_loop (for the profile); then it exits through semihosting.
 */
    .arm
    .section .text
    .global _start
_start:
    ldr     sp, =0x60100000
    adr     r0, vectors
    mcr     p15, 0, r0, c12, c0, 0      /* VBAR (other_cp15: before the marks) */
    isb
    mrc     p15, 0, r4, c3, c0, 0       /* DACR, written back unchanged */
    mrc     p15, 0, r5, c2, c0, 0       /* TTBR0 */
    orr     r12, r12, r12               /* marker 1 */
    svc     #1
    svc     #2
    .word   0xe7f000f0                  /* udf: undefined instruction */
    mcr     p15, 0, r4, c3, c0, 0       /* DACR x3 */
    mcr     p15, 0, r4, c3, c0, 0
    mcr     p15, 0, r4, c3, c0, 0
    mcr     p15, 0, r5, c2, c0, 0       /* TTBR0 */
    mov     r0, #0
    mcr     p15, 0, r0, c13, c0, 1      /* CONTEXTIDR */
    mcr     p15, 0, r0, c8, c7, 0       /* TLBIALL */
    mcr     p15, 0, r0, c8, c7, 1       /* TLBIMVA */
    mcr     p15, 0, r0, c7, c5, 0       /* ICIALLU */
    ldr     r1, =0x60100000
    mcr     p15, 0, r1, c7, c10, 1      /* DCCMVAC */
    mcr     p15, 0, r1, c7, c14, 1      /* DCCIMVAC */
    mcr     p15, 0, r0, c7, c10, 4      /* CP15DSB */
    mcr     p15, 0, r0, c13, c0, 3      /* TPIDRURO */
    cmp     r0, #0
    mcrne   p15, 0, r0, c1, c0, 0       /* not taken: r0 is 0 */
    mov     r2, #10                     /* the profile's loop: 10 turns */
    .global profile_loop
profile_loop:
    subs    r2, r2, #1
    bne     profile_loop
    orr     r12, r12, r12               /* marker 2 */
    mov     r0, #0x18                   /* SYS_EXIT */
    ldr     r1, =0x20026                /* ADP_Stopped_ApplicationExit */
    svc     #0x123456

    .balign 32
vectors:
    b       .                           /* reset */
    movs    pc, lr                      /* undefined: skip it */
    movs    pc, lr                      /* svc: return after it */
    b       .
    b       .
    b       .
    b       .
    b       .
    .ltorg
