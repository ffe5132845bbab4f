/* SPDX-License-Identifier: MIT */
/*
 * Guest start-up for bare-metal C guests.
 * In (from the monitor, see <hvabi/start_info.h>): r0 = start info, r2 = the
 * device tree's physical address or 0 (kept in hv_entry_r2), sp = just
 * below the initial page tables. Clears bss, calls guest_main(start_info) and shuts the
 * guest down with its return value as exit code.
 */
    .section .text.start, "ax"
    .arm
    .global _start
_start:
    mov     r4, r0
    mov     r5, r2                  /* device tree (physical), or 0 */
    ldr     r1, =__bss_start
    ldr     r2, =__bss_end
    mov     r3, #0
1:  cmp     r1, r2
    strlo   r3, [r1], #4
    blo     1b
    ldr     r1, =hv_entry_r2
    str     r5, [r1]
    mov     r0, r4
    bl      guest_main
    mov     r12, #4                 /* HV_OP_SHUTDOWN, r0 = exit code */
    svc     #0
2:  b       2b
