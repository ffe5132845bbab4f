/* SPDX-License-Identifier: MIT */
/*
 * A boot loader that leaves vexpress-a9's PL310 outer cache on (at
 * 0x1e00a000; QEMU models its registers, not a cache), then jumps to hv
 * 32 KiB above itself, as dirtyboot.S does. The monitor must find it on
 * and keep every page-table write and HV_OP_CACHE reaching through it
 * (hv/drivers/arm/pl310): tests/CMakeLists.txt, boot.outer_cache_on.
 */
    .arm
    .section .text
    .global _start
_start:
    ldr     r0, =0x1e00a100            /* L2C-310 control */
    mov     r1, #1
    str     r1, [r0]
    adr     r0, _start
    add     r0, r0, #0x8000
    bx      r0
    .ltorg
