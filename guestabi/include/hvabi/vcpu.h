/* SPDX-License-Identifier: MIT */
/*
 * Virtual kernel and user modes, upcalls and the shared vCPU page.
 *
 * A guest vCPU is in virtual kernel mode or virtual user mode; both run in
 * ARM USR mode. In virtual user mode the guest-kernel domain
 * (HV_MMU_DOMAIN_KERNEL) is No Access, so user code cannot touch kernel
 * mappings; HV_MMU_DOMAIN_USER is accessible in both modes.
 *
 * UPCALLS
 *   The monitor enters the guest kernel at a registered entry point
 *   (HV_OP_VCPU_CALLBACKS) when, in either mode, the guest takes a data
 *   abort, prefetch abort or undefined instruction; when it executes SVC
 *   in virtual user mode (a system call: user code can never make a
 *   hypercall); and when an event is pending while events are unmasked.
 *   It then:
 *     1. writes a struct hv_frame (the interrupted state, shaped as
 *        Linux's struct pt_regs) below the kernel stack: below
 *        shared->kernel_sp when coming from virtual user mode, below the
 *        interrupted sp in virtual kernel mode; 8-byte aligned;
 *     2. switches to virtual kernel mode with events masked
 *        (shared->events_masked = 1), as an exception masks IRQs;
 *     3. enters the entry point with sp = r0 = the frame; r1 = the fault
 *        address for aborts (DFAR/IFAR), the instruction's address for an
 *        undefined instruction, the address after the SVC for a system
 *        call, 0 for an event; r2 = the fault status for aborts (DFSR/IFSR
 *        format), else 0; r3 = the enum hv_upcall kind; r4-r12 and lr
 *        0 (nothing of the monitor's; the interrupted registers are all
 *        in the frame); in ARM state, or Thumb if bit 0 of the entry
 *        point is set.
 *   If the frame cannot be written (the kernel stack is not mapped
 *   writable) the guest is stopped: it would fault forever.
 *
 * REGISTERS IN PLACE (since 0.9, feature HV_FEAT_REGS_IN_PLACE)
 *   A kernel that sets HV_CALLBACKS_REGS_IN_PLACE in hv_callbacks.flags
 *   saves and restores the general registers itself, as a native kernel
 *   does, and the monitor moves only what the kernel cannot reach:
 *   - a system call upcall writes only the frame's sp, lr, pc and cpsr
 *     (r[0..12] and orig_r0 are left as the stack held them) and enters
 *     the system call entry with r0-r12 as user mode had them, sp = the
 *     frame and lr 0; the kernel stores them, e.g. STMIA sp, {r0-r12}
 *     and STR r0, [sp, #68]. The pc after the SVC is the frame's pc.
 *   - HV_OP_IRET restores r0, r12, sp, lr, pc and cpsr from the frame and
 *     keeps r1-r11 as they are at the call: the kernel loads them from
 *     the frame first (e.g. ADD r1, r0, #4; LDMIA r1, {r1-r11}).
 *   Every other upcall writes the whole frame and passes r1-r3 as above.
 *   The flag lasts until the next HV_OP_VCPU_CALLBACKS.
 *
 * TIME WITHOUT A TRAP
 *   The board has a free-running 32-bit down counter that any guest may
 *   map read-only (Device memory, XN): struct hv_start_info gives its
 *   page, the register's offset and its rate. The monitor keeps a pair
 *   (time_ns, time_ticks) in the shared page up to date at least once per
 *   time slice while the guest runs, under a sequence number:
 *     now = time_ns + (uint32_t)(~register - time_ticks) * 1e9 / hz.
 *   This guest clock is monotonic; it may differ from HV_OP_CLOCK_READ
 *   (which can use a finer counter) by a few microseconds.
 *
 * THE VIRTUAL CPSR in a frame: the real flags (NZCVQ, GE, IT, E, T), mode
 *   0x10 (user) or 0x13 (kernel) for the virtual mode, and bit 7 (I) set
 *   if events were masked. HV_OP_IRET restores a frame: only modes 0x10
 *   and 0x13 are accepted, the A and F bits and every other privileged
 *   bit are refused (HV_EINVAL), I sets events_masked.
 *
 * CP15 REGISTERS
 *   In USR mode almost every CP15 access is undefined. The monitor
 *   emulates, on that trap and in virtual kernel mode only (user code
 *   gets the undefined instruction, as on the bare core), the reads a
 *   kernel needs to know its core:
 *   MRC p15 in ARM state of MIDR, CTR, MPIDR (reads 0xc0000000: one
 *   uniprocessor vCPU), ID_PFR0-1, ID_DFR0, ID_AFR0, ID_MMFR0-3,
 *   ID_ISAR0-5 and CLIDR, into r0-r12. TPIDRURW and reading TPIDRURO
 *   need nothing (USR may); TPIDRURO is set through shared->user_tls.
 *   Translation tables, TLBs and caches go through hypercalls
 *   (<hvabi/mmu.h>, HV_OP_CACHE); FPEXC through HV_OP_VFP. Every other CP15
 *   access, and every write, stays an undefined instruction (upcall),
 *   except that an MRC p15 into r0-r12 whose condition fails is skipped,
 *   as the core would have skipped it.
 */
#ifndef HVABI_VCPU_H
#define HVABI_VCPU_H

#include "abi.h"

/* What an upcall reports in r3. */
enum hv_upcall {
    HV_UPCALL_EVENT = 0,   /* an event is pending */
    HV_UPCALL_SYSCALL = 1, /* SVC in virtual user mode */
    HV_UPCALL_DATA_ABORT = 2,
    HV_UPCALL_PREFETCH_ABORT = 3,
    HV_UPCALL_UNDEFINED = 4, /* undefined or privileged instruction */
    HV_UPCALL_COUNT = 5
};

/* Entry points, guest virtual addresses (bit 0 set: Thumb). */
struct hv_callbacks {
    uint32_t entry[HV_UPCALL_COUNT]; /* IN: indexed by enum hv_upcall */
    uint32_t flags;                  /* IN: HV_CALLBACKS_*, since 0.9 */
    uint32_t reserved[2];            /* IN: 0 */
};

/* hv_callbacks.flags: see REGISTERS IN PLACE above. */
#define HV_CALLBACKS_REGS_IN_PLACE (1u << 0)
#define HV_CALLBACKS_FLAGS_KNOWN HV_CALLBACKS_REGS_IN_PLACE
HV_STATIC_ASSERT(sizeof(struct hv_callbacks) == 32, hv_callbacks_size);

/* The interrupted state, laid out as Linux's struct pt_regs. */
struct hv_frame {
    uint32_t r[13];
    uint32_t sp;
    uint32_t lr;
    uint32_t pc;
    uint32_t cpsr;    /* virtual CPSR, see above */
    uint32_t orig_r0; /* r0 at the exception (Linux restarts syscalls) */
};
HV_STATIC_ASSERT(sizeof(struct hv_frame) == 72, hv_frame_size);

#define HV_VCPSR_MODE_MASK 0x1fu
#define HV_VCPSR_USER 0x10u
#define HV_VCPSR_KERNEL 0x13u
#define HV_VCPSR_I 0x80u
#define HV_VCPSR_FLAGS 0xfe0ffe20u /* the real flags: NZCVQ, IT, GE, E, T */

/*
 * The page a vCPU shares with the monitor (HV_OP_VCPU_REGISTER). The
 * monitor reads and writes it through its physical address, so the guest
 * may map it anywhere, and never needs a hypercall to mask or unmask.
 */
struct hv_vcpu_shared {
    /* Written by the guest, read by the monitor. */
    uint32_t events_masked; /* non-zero: no event upcall (like CPSR.I) */
    uint32_t kernel_sp;     /* stack for upcalls from virtual user mode */
    uint32_t user_tls;      /* TPIDRURO on every return to user mode */
    uint32_t unmask_ports;  /* since 0.7: HV_OP_EVTCHN_UNMASK, deferred */
    /* Written by the monitor. */
    uint32_t events_pending; /* non-zero: an event upcall is due */
    uint32_t mode;           /* HV_VCPSR_USER or HV_VCPSR_KERNEL */
    /* Time without a trap: see hv_time_ns in <hvabi/guest.h>. */
    uint32_t time_version; /* odd while the monitor updates the pair */
    uint32_t time_ticks;   /* counter ticks (counting up) at time_ns */
    uint64_t time_ns;      /* guest clock at time_ticks */
    uint32_t reserved1[2];
};
HV_STATIC_ASSERT(sizeof(struct hv_vcpu_shared) == 48, hv_vcpu_shared_size);

/* The vCPU hypercalls. */

/*
 * HV_OP_VCPU_REGISTER: share a page with the monitor (<hvabi/vcpu.h>).
 *
 *   IN   r0  physical address of a 4 KiB frame of this guest; it holds a
 *            struct hv_vcpu_shared at offset 0
 *   OUT  r0  0
 *   ERRORS
 *        HV_EINVAL  not 4 KiB aligned
 *        HV_EPERM   not this guest's memory
 *        HV_EBUSY   the frame is a pinned page table
 *
 * NOTES
 *   Until a page is registered no upcall is made: faults stop the guest
 *   as with interface version 0.1. The frame can never be pinned as a
 *   table while registered. Registering another frame releases this one.
 */
#define HV_OP_VCPU_REGISTER 12

/*
 * HV_OP_VCPU_CALLBACKS: set the upcall entry points.
 *
 *   IN   r0  guest virtual address of a struct hv_callbacks
 *   OUT  r0  0
 *   ERRORS
 *        HV_EFAULT  the structure is not readable
 *        HV_EINVAL  a reserved field is not 0, or flags has a bit not in
 *                   HV_CALLBACKS_FLAGS_KNOWN (monitors before 0.9 refuse
 *                   any flag so: a kernel may try, then do without)
 *
 * An entry of 0 means none: that exception then stops the guest. On an
 * error nothing changes: the previous entries and flags stay.
 */
#define HV_OP_VCPU_CALLBACKS 13

/*
 * HV_OP_IRET: return from an upcall (or enter user mode the first time).
 *
 *   IN   r0  guest virtual address of a struct hv_frame
 *   OUT  on success the call does not return: execution continues with
 *        the frame's registers in the frame's virtual mode; returning to
 *        user mode loads shared->user_tls into TPIDRURO
 *   ERRORS (r0, execution continues after the call)
 *        HV_EPERM   no shared vCPU page is registered
 *        HV_EFAULT  the frame is not readable
 *        HV_EINVAL  the virtual CPSR names another mode than 0x10 or
 *                   0x13, or has A, F, J or reserved bits set
 */
#define HV_OP_IRET 14

/*
 * HV_OP_EVENTS_CHECK: have pending events delivered now.
 *
 *   IN   none
 *   OUT  r0  0
 *   ERRORS none
 *
 * A guest that unmasks events (shared->events_masked = 0) and finds
 * shared->events_pending non-zero makes this call; if events are still
 * unmasked and pending on the way back, the event upcall is made before
 * the instruction after the call runs.
 */
#define HV_OP_EVENTS_CHECK 15

/*
 * HV_OP_BLOCK: sleep until an event is pending.
 *
 *   IN   none
 *   OUT  r0  0, once shared->events_pending is non-zero (at once if it
 *            already is). Masking does not matter: a guest that blocks
 *            with events masked wakes up and must unmask to take them.
 *   ERRORS
 *        HV_EPERM   no shared vCPU page is registered (nothing could
 *                   ever wake the guest)
 *
 * This is the idle instruction of a guest: WFI in USR mode does not trap
 * and would only stall until the next interrupt of anyone.
 */
#define HV_OP_BLOCK 18

/*
 * HV_OP_VFP: the guest's own VFP/NEON enable bit (its view of FPEXC.EN).
 *
 *   IN   r0  HV_VFP_ENABLE, HV_VFP_DISABLE or HV_VFP_STATUS
 *   OUT  r0  HV_VFP_STATUS: HV_VFP_FPEXC_EN if enabled, else 0;
 *            otherwise 0
 *   ERRORS
 *        HV_EINVAL  unknown operation
 *        HV_ENOSYS  the core has no VFP/NEON unit (HV_FEAT_VFP is clear)
 *
 * NOTES
 *   Every guest has its own VFP/NEON registers (d0-d31, FPSCR); the
 *   monitor switches them lazily and no guest ever sees another's. A
 *   guest starts enabled. While disabled, any VFP/NEON instruction gives
 *   its kernel an HV_UPCALL_UNDEFINED (or stops it without one), which is
 *   how a kernel switches per-task state lazily. FPEXC itself is
 *   privileged: these are the only FPEXC bits a guest controls; the
 *   cores' VFPv3 raises no trapped floating-point exceptions.
 */
#define HV_OP_VFP 27
#define HV_VFP_ENABLE 0
#define HV_VFP_DISABLE 1
#define HV_VFP_STATUS 2
#define HV_VFP_FPEXC_EN (1u << 30)

#endif /* HVABI_VCPU_H */
