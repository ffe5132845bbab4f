/* SPDX-License-Identifier: MIT */
/*
 * hv hypercalls: the generic operations, and every subsystem's header.
 *
 * The operations are grouped by subsystem, one header each, one block per
 * operation (IN registers, OUT registers, errors):
 *   <hvabi/hypercall.h>  version, features, yield, shutdown, guest info,
 *                        ending another guest (VM_KILL)
 *   <hvabi/console.h>    console output and input
 *   <hvabi/clock.h>      the monotonic clock, the one-shot virtual timer
 *   <hvabi/memory.h>     page tables, TLB and cache maintenance
 *   <hvabi/vcpu.h>       virtual modes, upcalls, the shared vCPU page,
 *                        blocking, VFP
 *   <hvabi/evtchn.h>     event channels
 *   <hvabi/grant.h>      grants: sharing frames with another guest
 *   <hvabi/conn.h>       device connections held by the monitor
 * Including this header includes them all. Operation numbers are unique
 * across them; HV_OP_COUNT is below. The calling convention (trap, number
 * in r12, status in r0) is in <hvabi/abi.h>. Guest-to-guest wire
 * protocols, which define no hypercall, are in <hvabi/io/>.
 */
#ifndef HVABI_HYPERCALL_H
#define HVABI_HYPERCALL_H

#include "abi.h"
#include "conn.h"
#include "console.h"
#include "evtchn.h"
#include "grant.h"
#include "memory.h"
#include "clock.h"
#include "vcpu.h"

/*
 * HV_OP_VERSION: report the monitor's interface version.
 *
 *   IN   none
 *   OUT  r0  HV_ABI_VERSION of the monitor: (major << 16) | minor
 *   ERRORS none
 */
#define HV_OP_VERSION 0

/*
 * HV_OP_FEATURES: read one 32-bit word of the feature bitmap.
 *
 *   IN   r0  word index (0 .. HV_FEATURE_WORDS - 1)
 *   OUT  r0  0
 *        r1  the bitmap word; bit n of word w is feature 32 * w + n
 *   ERRORS
 *        HV_ERANGE  the index is HV_FEATURE_WORDS or above
 *
 * A feature bit is set when the operation or behaviour it names is
 * available. Bits this header does not name read as 0.
 */
#define HV_OP_FEATURES 1
#define HV_FEATURE_WORDS 1
#define HV_FEAT_CONSOLE_WRITE 0  /* HV_OP_CONSOLE_WRITE */
#define HV_FEAT_YIELD 1          /* HV_OP_YIELD */
#define HV_FEAT_CLOCK 2          /* HV_OP_CLOCK_READ */
#define HV_FEAT_VM_INFO 3        /* HV_OP_VM_INFO */
#define HV_FEAT_MMU 4            /* HV_OP_MMU_*, guest page tables */
#define HV_FEAT_VCPU 5           /* virtual modes, upcalls, HV_OP_IRET */
#define HV_FEAT_TIMER 6          /* HV_OP_TIMER_SET */
#define HV_FEAT_CACHE 7          /* HV_OP_CACHE */
#define HV_FEAT_BLOCK 8          /* HV_OP_BLOCK */
#define HV_FEAT_EVTCHN 9         /* HV_OP_EVTCHN_*, HV_OP_CONSOLE_READ */
#define HV_FEAT_VFP 10           /* VFP/NEON for guests, HV_OP_VFP */
#define HV_FEAT_GRANT 11         /* HV_OP_GRANT_* */
#define HV_FEAT_VM_KILL 12       /* HV_OP_VM_KILL */
#define HV_FEAT_CONN 13          /* HV_OP_CONN_* */
#define HV_FEAT_UNMASK_PORTS 14  /* hv_vcpu_shared.unmask_ports (evtchn.h) */
#define HV_FEAT_GRANT_BATCH 15   /* HV_OP_GRANT_BATCH */
#define HV_FEAT_PIN_ZERO 16      /* HV_OP_MMU_PIN zeroes r2 bytes (memory.h) */
#define HV_FEAT_REGS_IN_PLACE 17 /* HV_CALLBACKS_REGS_IN_PLACE (vcpu.h) */

/*
 * HV_OP_YIELD: give up the rest of the time slice.
 *
 *   IN   none
 *   OUT  r0  0
 *   ERRORS none
 *
 * The guest runs again after every other runnable guest had its turn.
 */
#define HV_OP_YIELD 3

/*
 * HV_OP_SHUTDOWN: stop this guest.
 *
 *   IN   r0  exit code, reported by the monitor on its console
 *   OUT  never returns
 *   ERRORS none
 *
 * The monitor frees the guest's memory. When the guest's manifest node has
 * the "halt-on-shutdown" property, the whole system halts and (under a
 * debugger or QEMU with semihosting) exits with this code.
 */
#define HV_OP_SHUTDOWN 4

/*
 * HV_OP_VM_INFO: describe the calling guest.
 *
 *   IN   r0  guest virtual address of a struct hv_vm_info, aligned to 8
 *            bytes, writable by the guest
 *   OUT  r0  0; the structure is filled in
 *   ERRORS
 *        HV_EINVAL  the address is not 8-byte aligned
 *        HV_EFAULT  the structure is not entirely writable by the guest
 */
#define HV_OP_VM_INFO 6

#define HV_VM_NAME_MAX 16

struct hv_vm_info {
    uint32_t abi_version;      /* OUT: as HV_OP_VERSION */
    uint32_t vm_id;            /* OUT: this guest's id, 1 .. */
    uint32_t mem_base;         /* OUT: guest virtual address of its memory */
    uint32_t mem_size;         /* OUT: bytes of memory */
    uint64_t uptime_ns;        /* OUT: as HV_OP_CLOCK_READ */
    char name[HV_VM_NAME_MAX]; /* OUT: NUL-terminated manifest name */
};
HV_STATIC_ASSERT(sizeof(struct hv_vm_info) == 40, hv_vm_info_size);

/*
 * HV_OP_VM_KILL: end another guest's life, as if it had crashed or shut
 * down, for a guest that supervises others (a driver domain's restarter).
 *
 *   IN   r0  the target's guest id
 *        r1  HV_VM_KILL_CRASH: a crash, the target's manifest "on-crash"
 *            policy applies (stop, restart after its backoff, halt);
 *            HV_VM_KILL_SHUTDOWN: a shutdown with code 0, "on-shutdown"
 *            applies
 *   OUT  r0  0; the target has stopped (its ports are closed, its memory
 *            released) and its policy has been applied before the call
 *            returns. The caller runs on, unless that policy halts the
 *            system
 *   ERRORS (checked in this order)
 *        HV_EINVAL  r1 is neither value, or r0 is the caller's own id
 *                   (a guest ends itself with HV_OP_SHUTDOWN)
 *        HV_EPERM   the caller's manifest entry does not name the target
 *                   in "may-kill" (so also any id no guest has); the
 *                   default is that a guest may kill no one
 *        HV_ENOENT  the target is not running: stopped, or stopped and
 *                   waiting for its restart
 *
 * A kill as a crash counts as a fault (exit code 0xf0, as the halt code
 * with on-crash = "halt-system"). The monitor prints "guest N 'x' killed
 * by guest M 'y'" (or "shut down by"), then what the target's policy does.
 */
#define HV_OP_VM_KILL 33
#define HV_VM_KILL_CRASH 0
#define HV_VM_KILL_SHUTDOWN 1

/* Number of hypercalls defined by this version. */
#define HV_OP_COUNT 39

#endif /* HVABI_HYPERCALL_H */
