/* SPDX-License-Identifier: MIT */
/*
 * First instructions of the monitor. Entered as a Linux-style image:
 * PL1 (SVC on QEMU; Hyp from a boot loader that starts kernels there), at
 * any load address whose offset within its 1 MiB section is
 * HV_LOAD_OFFSET, MMU and caches on or off. r2 from the boot loader is
 * passed on: when the boot package has no board device tree, it is the
 * device tree's address (U-Boot's bootm); r0 and r1 are ignored.
 *
 * Runs position-independent until the MMU is on; then jumps to its link
 * address in the monitor window and calls hv_main().
 */
#include <arch/layout.h>
#include <arch/offsets.h>
#include <hvabi/ptdesc.h>

#include "psr.h"

#define PKG_MAX_TOTAL HV_IDMAP_SIZE /* the package is inside the map */

/* Normal memory, inner/outer write-back write-allocate, PL1 only, global,
 * domain 0 (HV_MMU_DOMAIN_MONITOR). */
#define SECT_NORMAL_MONITOR                                                    \
    (HV_L1_TYPE_SECTION | HV_L1_SECT_TEXCB(HV_TEXCB_NORMAL_WBWA) |             \
     HV_L1_SECT_AP(HV_AP_PL1_RW))

    .arch_extension virt               /* the Hyp exit: MSR ELR_hyp, ERET */
    .section .text.boot, "ax"
    .arm
    .global _start
/*
 * _start: register use until hv_main:
 *   r8 = r2 from the boot loader (a device tree, ATAGs or nothing)
 *   r12 = CPSR at entry (hv_main reports a Hyp entry)
 *   r4 = physical address of _start
 *   r5 = physical address of the boot package (right after the image)
 *   r6 = package total size from its header, or 0 if the magic is wrong
 *   r7 = physical address backing the bss window
 *   r9 = physical address of the boot L1 table
 */
_start:
    mov     r8, r2
    mrs     r12, cpsr
    and     r0, r12, #PSR_MODE_MASK
    cmp     r0, #PSR_MODE_HYP
    bne     1f
    /* Hyp (a Cortex-A7/A15 boot loader starting a kernel Non-secure):
     * CPS cannot leave it; an exception return to SVC, everything masked,
     * can. The virtualization extensions stay unused. */
    mov     r0, #(PSR_MODE_SVC | PSR_A | PSR_I | PSR_F)
    msr     spsr_cxsf, r0             /* SPSR_hyp: banked MSR is for Monitor mode */
    adr     r0, 1f
    msr     elr_hyp, r0
    eret
1:  cpsid   aif, #PSR_MODE_SVC
    setend  le                         /* a boot loader could leave BE */
    mov     r0, #0
    mcr     p15, 0, r0, c13, c0, 0     /* FCSEIDR 0 before the MMU is on:
                                          another PID relocates VAs below
                                          32 MiB (RAZ/WI where absent) */
    mrc     p15, 0, r0, c1, c0, 0
    bic     r0, r0, #(1 << 0)          /* MMU off */
    bic     r0, r0, #(1 << 2)          /* D-cache off */
    bic     r0, r0, #(1 << 12)         /* I-cache off */
    mcr     p15, 0, r0, c1, c0, 0
    isb
    bl      boot_clean_dcache

    adr     r4, _start
    ldr     r0, =(HV_SECTION_SIZE - 1)
    and     r1, r4, r0
    ldr     r2, =HV_LOAD_OFFSET
    cmp     r1, r2
    bne     boot_hang                  /* no console yet: see docs/boot.md */

    ldr     r0, =__image_end
    ldr     r1, =_start
    sub     r0, r0, r1
    add     r5, r4, r0

    ldr     r0, [r5, #HVPKG_HEADER_MAGIC]
    ldr     r1, =HVPKG_MAGIC_VALUE
    mov     r6, #0
    cmp     r0, r1
    ldreq   r6, [r5, #HVPKG_HEADER_TOTAL_SIZE]
    ldr     r1, =PKG_MAX_TOTAL
    cmp     r6, r1
    movhi   r6, #0                     /* absurd: hv_main reports it */

    add     r7, r5, r6
    ldr     r0, =(HV_SECTION_SIZE - 1)
    add     r7, r7, r0
    bic     r7, r7, r0

    /* Zero the bss through its physical address. */
    ldr     r0, =__bss_start
    ldr     r1, =__bss_end
    sub     r1, r1, r0
    mov     r0, r7
    add     r1, r1, r7
    mov     r2, #0
1:  cmp     r0, r1
    strlo   r2, [r0], #4
    blo     1b

    ldr     r0, =hv_boot_l1
    ldr     r1, =__bss_start
    sub     r0, r0, r1
    add     r9, r7, r0

    /* Identity map HV_IDMAP_SIZE from the load section: image, package. */
    ldr     r10, =SECT_NORMAL_MONITOR
    lsr     r0, r4, #HV_SECTION_SHIFT  /* first section index */
    add     r1, r0, #(HV_IDMAP_SIZE >> HV_SECTION_SHIFT)
    ldr     r2, =(HV_WINDOW_BASE >> HV_SECTION_SHIFT)
    cmp     r1, r2
    movhi   r1, r2                     /* never into the window */
2:  cmp     r0, r1
    bhs     3f
    orr     r3, r10, r0, lsl #HV_SECTION_SHIFT
    str     r3, [r9, r0, lsl #2]
    add     r0, r0, #1
    b       2b
3:
    /* Image window -> load section and the next one. */
    ldr     r0, =(HV_IMAGE_VA >> HV_SECTION_SHIFT)
    lsr     r1, r4, #HV_SECTION_SHIFT
    orr     r3, r10, r1, lsl #HV_SECTION_SHIFT
    str     r3, [r9, r0, lsl #2]
    add     r0, r0, #1
    add     r3, r3, #HV_SECTION_SIZE
    str     r3, [r9, r0, lsl #2]

    /* Bss window -> r7 and the next section. */
    ldr     r0, =(HV_BSS_VA >> HV_SECTION_SHIFT)
    orr     r3, r10, r7
    str     r3, [r9, r0, lsl #2]
    add     r0, r0, #1
    add     r3, r3, #HV_SECTION_SIZE
    str     r3, [r9, r0, lsl #2]

    mov     r0, #0
    mcr     p15, 0, r0, c2, c0, 2      /* TTBCR: TTBR0 only, 16 KiB L1 */
    mcr     p15, 0, r9, c2, c0, 0      /* TTBR0: non-cacheable walks */
    mcr     p15, 0, r0, c13, c0, 1     /* CONTEXTIDR: ASID 0 */
    ldr     r0, =HV_DACR_VALUE
    mcr     p15, 0, r0, c3, c0, 0
    mov     r0, #0
    mcr     p15, 0, r0, c8, c7, 0      /* TLBIALL */
    mcr     p15, 0, r0, c7, c5, 0      /* ICIALLU */
    mcr     p15, 0, r0, c7, c5, 6      /* BPIALL */
    dsb
    isb

    mrc     p15, 0, r0, c1, c0, 0
    orr     r0, r0, #(1 << 0)          /* M */
    orr     r0, r0, #(1 << 2)          /* C */
    orr     r0, r0, #(1 << 11)         /* Z: branch prediction */
    orr     r0, r0, #(1 << 12)         /* I */
    bic     r0, r0, #(1 << 1)          /* A: unaligned loads allowed */
    bic     r0, r0, #(1 << 13)         /* V: vectors from VBAR */
    bic     r0, r0, #(1 << 28)         /* TRE off */
    bic     r0, r0, #(1 << 29)         /* AFE off */
    bic     r0, r0, #(1 << 30)         /* TE: exceptions in ARM state */
    bic     r0, r0, #(1 << 25)         /* EE: exceptions little-endian */
    mcr     p15, 0, r0, c1, c0, 0
    isb
    ldr     pc, =boot_virtual

boot_virtual:
    cps     #PSR_MODE_ABT              /* vec_dabt's scratch words */
    ldr     sp, =entry_abt_scratch
    cps     #PSR_MODE_SVC
    ldr     sp, =(hv_stack + HV_STACK_SIZE)
    ldr     r0, =hv_vectors
    mcr     p15, 0, r0, c12, c0, 0     /* VBAR */
    isb
    sub     sp, sp, #8
    str     r8, [sp]                   /* hv_main's 5th and 6th arguments */
    str     r12, [sp, #4]
    mov     r0, r4
    mov     r1, r5
    mov     r2, r7
    mov     r3, r6
    bl      hv_main
boot_hang:
    wfe
    b       boot_hang

/*
 * boot_clean_dcache: clean and invalidate every data/unified cache up to
 * the level of coherency, by set/way (CLIDR, CCSIDR). Caches hold
 * whatever reset or the boot loader left, and the MMU is about to turn
 * them on. Uses r0-r3, r5, r7, r9-r11; returns with lr.
 */
boot_clean_dcache:
    mrc     p15, 1, r0, c0, c0, 1      /* CLIDR */
    ands    r3, r0, #0x07000000        /* level of coherency */
    lsr     r3, r3, #23                /* as level * 2 */
    beq     5f
    mov     r10, #0                    /* level * 2, as CSSELR wants */
1:  add     r2, r10, r10, lsr #1       /* level * 3 */
    lsr     r1, r0, r2
    and     r1, r1, #7                 /* cache type at this level */
    cmp     r1, #2
    blt     4f                         /* no data cache here */
    mcr     p15, 2, r10, c0, c0, 0     /* CSSELR */
    isb
    mrc     p15, 1, r1, c0, c0, 0      /* CCSIDR */
    and     r2, r1, #7
    add     r2, r2, #4                 /* log2 of the line length */
    ldr     r5, =0x3ff
    ands    r5, r5, r1, lsr #3         /* ways - 1 */
    clz     r11, r5                    /* way field position */
    ldr     r7, =0x7fff
    ands    r7, r7, r1, lsr #13        /* sets - 1 */
2:  mov     r9, r5
3:  orr     r1, r10, r9, lsl r11
    orr     r1, r1, r7, lsl r2
    mcr     p15, 0, r1, c7, c14, 2     /* DCCISW */
    subs    r9, r9, #1
    bge     3b
    subs    r7, r7, #1
    bge     2b
4:  add     r10, r10, #2
    cmp     r3, r10
    bgt     1b
5:  mov     r10, #0
    mcr     p15, 2, r10, c0, c0, 0     /* CSSELR back to level 1 */
    dsb
    isb
    bx      lr
    .ltorg
