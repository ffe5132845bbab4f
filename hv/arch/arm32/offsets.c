/* SPDX-License-Identifier: MIT */
/*
 * Structure offsets and C constants for the assembly files, generated
 * from the C definitions at build time (as Hafnium's offsets.c): this
 * file is only compiled to assembly (-S), never linked; each DEFINE
 * leaves a line "->NAME value" there, which cmake/offsets.cmake turns
 * into "#define NAME value" in gen/arch/offsets.h (hv/CMakeLists.txt).
 * When a structure changes, the header and the .S files that include it
 * are rebuilt.
 */
#include <arch/regs.h>
#include <arch/vm.h>
#include <hvpkg.h>
#include <stddef.h>

/*
 * What the offsets cannot say. entry.S stores a frame as one block, from
 * its top down: SRS the pc and cpsr, STM^ the USR sp and lr, STM r0-r12;
 * arch_resume_guest loads it with LDM and RFE.
 */
#define REGS_AT(field, n) (offsetof(struct arch_regs, field) == (n)*4)
_Static_assert(REGS_AT(r, 0) && REGS_AT(sp, 13) && REGS_AT(lr, 14) &&
                   REGS_AT(pc, 15) && REGS_AT(cpsr, 16) &&
                   sizeof(struct arch_regs) == 17 * 4,
               "entry.S: r0-r12, sp, lr, pc, cpsr, in one block");
/* vfp.S stores d0-d31 with post-increment, then FPSCR right after. */
_Static_assert(offsetof(struct arch_vfp, d) == 0 &&
                   offsetof(struct arch_vfp, fpscr) == 32 * 8,
               "vfp.S: d0-d31, then fpscr");

#define DEFINE(name, value)                                                    \
    __asm__ volatile("\n->" #name " %c0\n" : : "i"(value))

void offsets(void);

void offsets(void)
{
    /* entry.S: the frame SRS and save_frame build, arch_resume_guest. */
    DEFINE(ARCH_REGS_SP, offsetof(struct arch_regs, sp));
    DEFINE(ARCH_REGS_PC, offsetof(struct arch_regs, pc));
    DEFINE(ARCH_REGS_CPSR, offsetof(struct arch_regs, cpsr));
    DEFINE(ARCH_REGS_SIZE, sizeof(struct arch_regs));
    /* boot.S: the boot package's header, before any C runs. */
    DEFINE(HVPKG_HEADER_MAGIC, offsetof(struct hvpkg_header, magic));
    DEFINE(HVPKG_HEADER_TOTAL_SIZE, offsetof(struct hvpkg_header, total_size));
    DEFINE(HVPKG_MAGIC_VALUE, HVPKG_MAGIC);
}
