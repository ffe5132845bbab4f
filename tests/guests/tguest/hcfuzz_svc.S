/* SPDX-License-Identifier: MIT */
/*
 * One hypercall for the fuzzer (hcfuzz.c), with every register the ABI
 * says is preserved (r4-r12, sp, lr, the NZCV flags) set to a known value
 * before the svc and compared after it.
 *
 *   void hcfuzz_svc(struct hcfuzz_io *io);
 *
 * io: +0 r0-r3 in, +16 op (r12), +20 r0-r3 out, +36 mask of clobbered
 * registers (bit n: rn, 13 sp, 14 lr, 16-19 Z C N V), +40 scratch (sp).
 */
    .syntax unified
    .text
    .arm

.macro canary reg, value
    movw    \reg, #(\value & 0xffff)
    movt    \reg, #(\value >> 16)
.endm

.macro check reg, value, bit
    canary  r1, \value
    cmp     \reg, r1
    orrne   r0, r0, #(1 << \bit)
.endm

    .global hcfuzz_svc
    .type hcfuzz_svc, %function
    .align 2
hcfuzz_svc:
    push    {r4-r11, lr}
    push    {r0}
    str     sp, [r0, #40]
    canary  r4, 0xa4a40004
    canary  r5, 0xa5a50005
    canary  r6, 0xa6a60006
    canary  r7, 0xa7a70007
    canary  r8, 0xa8a80008
    canary  r9, 0xa9a90009
    canary  r10, 0xaaaa000a
    canary  r11, 0xabab000b
    canary  lr, 0xaeae000e
    ldr     r12, [r0, #16]
    ldr     r3, [r0, #12]
    ldr     r2, [r0, #8]
    ldr     r1, [r0, #4]
    cmp     r0, r0              /* Z and C set, N and V clear */
    ldr     r0, [r0, #0]
    svc     #0
    push    {r0-r3}
    mov     r0, #0
    orrne   r0, r0, #(1 << 16)
    orrcc   r0, r0, #(1 << 17)
    orrmi   r0, r0, #(1 << 18)
    orrvs   r0, r0, #(1 << 19)
    check   r4, 0xa4a40004, 4
    check   r5, 0xa5a50005, 5
    check   r6, 0xa6a60006, 6
    check   r7, 0xa7a70007, 7
    check   r8, 0xa8a80008, 8
    check   r9, 0xa9a90009, 9
    check   r10, 0xaaaa000a, 10
    check   r11, 0xabab000b, 11
    check   lr, 0xaeae000e, 14
    ldr     r1, [sp, #16]       /* io */
    ldr     r2, [r1, #16]
    cmp     r12, r2
    orrne   r0, r0, #(1 << 12)
    ldr     r2, [r1, #40]
    add     r3, sp, #16
    cmp     r2, r3
    orrne   r0, r0, #(1 << 13)
    str     r0, [r1, #36]
    pop     {r2-r5}
    str     r2, [r1, #20]
    str     r3, [r1, #24]
    str     r4, [r1, #28]
    str     r5, [r1, #32]
    add     sp, sp, #4
    pop     {r4-r11, pc}
    .size hcfuzz_svc, . - hcfuzz_svc
