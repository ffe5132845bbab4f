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
#include <arch/layout.h>
#include <arch/regs.h>
#include <arch/vm.h>
#include <hvabi/abi.h>
#include <hvabi/hypercall.h>
#include <hvabi/mmu.h>
#include <hvabi/vcpu.h>
#include <hvpkg.h>
#include <stddef.h>

#include "hv/vm_types.h"
#include "arm32.h"

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

/* fastpath.S writes and reads a struct hv_frame word by word, in order. */
#define FRAME_AT(field, n) (offsetof(struct hv_frame, field) == (n)*4)
_Static_assert(FRAME_AT(r, 0) && FRAME_AT(sp, 13) && FRAME_AT(lr, 14) &&
                   FRAME_AT(pc, 15) && FRAME_AT(cpsr, 16) &&
                   FRAME_AT(orig_r0, 17) && sizeof(struct hv_frame) == 18 * 4,
               "fastpath.S: r0-r12, sp, lr, pc, cpsr, orig_r0");
/* fastpath.S loads and stores vm->mode as a byte (short enums here). */
_Static_assert(sizeof(enum vm_mode) == 1, "fastpath.S: vm->mode is a byte");

/* arch_resume_guest returns with RFEDB from just past the registers. */
_Static_assert(offsetof(struct arch_regs, pc) == sizeof(struct arch_regs) - 8 &&
                   offsetof(struct arch_regs, cpsr) ==
                       sizeof(struct arch_regs) - 4,
               "entry.S: pc and cpsr are the last two words");

/* fastpath.S passes a guest's saved registers as its struct vm. */
_Static_assert(offsetof(struct vm, regs) == 0,
               "fastpath.S: struct vm starts with its registers");

/* A field of struct vm, from its saved registers: what SVC sp points at. */
#define VM_FROM_REGS(field)                                                    \
    (offsetof(struct vm, field) - offsetof(struct vm, regs))

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
    /* fastpath.S: the vCPU fields the syscall and IRET fast paths use. */
    DEFINE(VM_REGS_MODE, VM_FROM_REGS(mode));
    DEFINE(VM_REGS_SHARED_VA, VM_FROM_REGS(vcpu_shared_va));
    DEFINE(VM_REGS_UPCALL_ENTRIES, VM_FROM_REGS(callbacks));
    DEFINE(VM_REGS_CALLBACK_FLAGS, VM_FROM_REGS(callback_flags));
    DEFINE(VM_REGS_SYSCALL_IN_PLACE, VM_FROM_REGS(syscall_entry_in_place));
    DEFINE(VM_REGS_TPIDRURO, VM_FROM_REGS(arch.tpidruro));
    DEFINE(VM_MODE_KERNEL_VALUE, VM_MODE_KERNEL);
    DEFINE(VM_MODE_USER_VALUE, VM_MODE_USER);
    DEFINE(SHARED_EVENTS_MASKED,
           offsetof(struct hv_vcpu_shared, events_masked));
    DEFINE(SHARED_KERNEL_SP, offsetof(struct hv_vcpu_shared, kernel_sp));
    DEFINE(SHARED_USER_TLS, offsetof(struct hv_vcpu_shared, user_tls));
    DEFINE(SHARED_UNMASK_PORTS, offsetof(struct hv_vcpu_shared, unmask_ports));
    DEFINE(SHARED_EVENTS_PENDING,
           offsetof(struct hv_vcpu_shared, events_pending));
    DEFINE(SHARED_MODE, offsetof(struct hv_vcpu_shared, mode));
    DEFINE(FRAME_SIZE, sizeof(struct hv_frame));
    DEFINE(FRAME_SP, offsetof(struct hv_frame, sp));
    DEFINE(ABI_OP_IRET, HV_OP_IRET);
    DEFINE(ABI_EFAULT, HV_EFAULT);
    DEFINE(ABI_UPCALL_SYSCALL, HV_UPCALL_SYSCALL);
    DEFINE(ABI_CALLBACKS_REGS_IN_PLACE, HV_CALLBACKS_REGS_IN_PLACE);
    DEFINE(ABI_UPCALL_DATA_ABORT, HV_UPCALL_DATA_ABORT);
    DEFINE(ABI_UPCALL_PREFETCH_ABORT, HV_UPCALL_PREFETCH_ABORT);
    DEFINE(ABI_UPCALL_EVENT, HV_UPCALL_EVENT);
    DEFINE(ABI_VCPSR_USER, HV_VCPSR_USER);
    DEFINE(ABI_VCPSR_KERNEL, HV_VCPSR_KERNEL);
    DEFINE(ABI_VCPSR_I, HV_VCPSR_I);
    DEFINE(ABI_VCPSR_MODE_MASK, HV_VCPSR_MODE_MASK);
    DEFINE(ABI_VCPSR_FLAGS, HV_VCPSR_FLAGS);
    DEFINE(ABI_VCPSR_NOT_ALLOWED,
           ~(HV_VCPSR_FLAGS | HV_VCPSR_MODE_MASK | HV_VCPSR_I));
    DEFINE(ARM32_DACR_VKERNEL_VALUE, ARM32_DACR_VKERNEL);
    DEFINE(ARM32_DACR_VUSER_VALUE, ARM32_DACR_VUSER);
    /* boot.S: the boot package's header, before any C runs. */
    DEFINE(HVPKG_HEADER_MAGIC, offsetof(struct hvpkg_header, magic));
    DEFINE(HVPKG_HEADER_TOTAL_SIZE, offsetof(struct hvpkg_header, total_size));
    DEFINE(HVPKG_MAGIC_VALUE, HVPKG_MAGIC);
}
