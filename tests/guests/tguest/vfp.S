/* SPDX-License-Identifier: MIT */
/* VFP/NEON register helpers for the isolation tests (the guest itself
 * is built soft-float). */
    .syntax unified
    .arm
    .fpu    neon
    .text

/* vfp_store_all(uint64_t out[32]): d0-d31 to memory. */
    .global vfp_store_all
vfp_store_all:
    vstmia  r0!, {d0-d15}
    vstmia  r0!, {d16-d31}
    bx      lr

/* vfp_load_all(const uint64_t in[32]): memory to d0-d31. */
    .global vfp_load_all
vfp_load_all:
    vldmia  r0!, {d0-d15}
    vldmia  r0!, {d16-d31}
    bx      lr

/* uint32_t vfp_read_fpscr(void) */
    .global vfp_read_fpscr
vfp_read_fpscr:
    vmrs    r0, fpscr
    bx      lr
