/* SPDX-License-Identifier: MIT */
/*
 * VFP/NEON register file save and restore. The monitor itself is built
 * soft-float and never touches these registers otherwise.
 *
 * struct arch_vfp (inc/arch/vm.h): d0-d31 (256 bytes), fpscr, reserved
 * (checked in offsets.c).
 */
    .syntax unified
    .arm
    .fpu    neon
    .text

/*
 * arch_vfp_save(struct arch_vfp *state): r0 = state. Needs FPEXC.EN set.
 * Clobbers r1.
 */
    .global arch_vfp_save
arch_vfp_save:
    vstmia  r0!, {d0-d15}
    vstmia  r0!, {d16-d31}
    vmrs    r1, fpscr
    str     r1, [r0]
    bx      lr

/*
 * arch_vfp_load(const struct arch_vfp *state): r0 = state. Needs
 * FPEXC.EN set. Clobbers r1.
 */
    .global arch_vfp_load
arch_vfp_load:
    vldmia  r0!, {d0-d15}
    vldmia  r0!, {d16-d31}
    ldr     r1, [r0]
    vmsr    fpscr, r1
    bx      lr

/* uint32_t arch_vfp_read_fpexc(void) / arch_vfp_write_fpexc(uint32_t). */
    .global arch_vfp_read_fpexc
arch_vfp_read_fpexc:
    vmrs    r0, fpexc
    bx      lr

    .global arch_vfp_write_fpexc
arch_vfp_write_fpexc:
    vmsr    fpexc, r0
    isb
    bx      lr
