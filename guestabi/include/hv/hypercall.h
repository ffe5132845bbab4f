/* SPDX-License-Identifier: MIT */
/*
 * hv hypercall numbers and the operations they name.
 *
 * One block per operation: IN registers, OUT registers, errors. The calling
 * convention (trap, number in r12, status in r0) is in <hv/abi.h>.
 */
#ifndef HV_HYPERCALL_H
#define HV_HYPERCALL_H

#include "abi.h"

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
#define HV_FEAT_CONSOLE_WRITE 0 /* HV_OP_CONSOLE_WRITE */
#define HV_FEAT_YIELD 1         /* HV_OP_YIELD */
#define HV_FEAT_CLOCK 2         /* HV_OP_CLOCK_READ */
#define HV_FEAT_VM_INFO 3       /* HV_OP_VM_INFO */
#define HV_FEAT_MMU 4           /* HV_OP_MMU_*, guest page tables */
#define HV_FEAT_VCPU 5          /* virtual modes, upcalls, HV_OP_IRET */
#define HV_FEAT_TIMER 6         /* HV_OP_TIMER_SET */
#define HV_FEAT_CACHE 7         /* HV_OP_CACHE */
#define HV_FEAT_BLOCK 8         /* HV_OP_BLOCK */
#define HV_FEAT_EVTCHN 9        /* HV_OP_EVTCHN_*, HV_OP_CONSOLE_READ */
#define HV_FEAT_VFP 10          /* VFP/NEON for guests, HV_OP_VFP */

/*
 * HV_OP_CONSOLE_WRITE: write bytes to the guest's console.
 *
 *   IN   r0  guest virtual address of the bytes
 *        r1  number of bytes, 0 .. HV_CONSOLE_WRITE_MAX
 *   OUT  r0  number of bytes taken, 1 .. r1 (0 for a zero length). Fewer
 *            than r1 (a short count) when the guest's share of the
 *            monitor's output buffer filled up: the bytes from r0 + taken
 *            on were not taken and must be offered again.
 *   ERRORS
 *        HV_EAGAIN  the guest's share of the output buffer is full: no
 *                   byte was taken. Retry once the UART has caught up
 *                   (after HV_OP_YIELD, a timer, or simply again)
 *        HV_E2BIG   the length is above HV_CONSOLE_WRITE_MAX (nothing is
 *                   taken: the monitor never truncates)
 *        HV_EFAULT  the buffer is not entirely readable by the guest
 *
 * NOTES
 *   The monitor prefixes each line with the guest's name. Output of
 *   different guests is interleaved line by line, never within a line.
 *   Lines wait in a monitor buffer, in order with the monitor's own
 *   messages, and go to the UART without ever waiting for it; each guest
 *   may have up to 768 bytes there (prefixes and line ends included), so
 *   a guest that floods the console only slows its own output. Taken
 *   bytes are never lost; a guest's partial line is printed when it
 *   stops. Control bytes print as '?' (see docs/abi.md for UTF-8).
 */
#define HV_OP_CONSOLE_WRITE 2
#define HV_CONSOLE_WRITE_MAX 256

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
 * HV_OP_CLOCK_READ: read the monitor's monotonic clock.
 *
 *   IN   none
 *   OUT  r0  0
 *        r1  nanoseconds since the monitor started, low 32 bits
 *        r2  high 32 bits
 *   ERRORS none
 *
 * NOTES
 *   The resolution is that of the board's clock source (1 us on an SP804
 *   at 1 MHz, finer on the Cortex-A9 global timer).
 */
#define HV_OP_CLOCK_READ 5

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
 * HV_OP_MMU_PIN: register a page-table frame (rules in <hv/mmu.h>).
 *
 *   IN   r0  physical address of the table
 *        r1  HV_MMU_L1 (a 16 KiB L1 table) or HV_MMU_L2 (a 4 KiB L2 frame)
 *   OUT  r0  0; the table is read-only to the guest from now on
 *   ERRORS
 *        HV_EINVAL  misaligned, unknown level, a malformed entry, an L1
 *                   entry of the monitor window that is not 0, an entry
 *                   mapping this guest's memory as other than normal
 *                   write-back
 *        HV_EPERM   the table, or memory one of its entries maps, is not
 *                   this guest's; an entry uses the monitor's domain
 *        HV_EBUSY   the table is already pinned, is mapped writable or is
 *                   the registered shared vCPU page; an
 *                   entry maps a pinned table writable
 *        HV_ENOMEM  a reference count would overflow
 *
 * NOTES
 *   The monitor flushes all TLBs when a frame becomes a table, so no
 *   stale writable translation of it survives.
 */
#define HV_OP_MMU_PIN 7
#define HV_MMU_L1 1
#define HV_MMU_L2 2

/*
 * HV_OP_MMU_UNPIN: release a pinned table; it is ordinary memory again.
 *
 *   IN   r0  physical address of the table
 *   OUT  r0  0
 *   ERRORS
 *        HV_EINVAL  not a pinned table of this guest (or misaligned)
 *        HV_EBUSY   the L1 is the active one, or an L1 entry still points
 *                   into the L2 frame
 */
#define HV_OP_MMU_UNPIN 8

/*
 * HV_OP_MMU_UPDATE: write entries of pinned tables, in order.
 *
 *   IN   r0  guest virtual address of struct hv_mmu_update[count]
 *        r1  count, 0 .. HV_MMU_UPDATE_MAX
 *   OUT  r0  0 when all were applied, else the error of the first that
 *            was not
 *        r1  number of updates applied (those before the failing one)
 *   ERRORS
 *        HV_E2BIG   count above HV_MMU_UPDATE_MAX (nothing applied)
 *        HV_EFAULT  the array is not readable (nothing applied)
 *        HV_EINVAL  ptr is not an entry of a pinned table of this guest,
 *                   or the new entry is malformed or maps this guest's
 *                   memory as other than normal write-back (<hv/mmu.h>)
 *        HV_EPERM   ptr is an L1 entry of the monitor window, or the entry
 *                   maps memory not this guest's
 *        HV_EBUSY   the entry would map a pinned table writable
 *        HV_ENOMEM  a reference count would overflow
 *
 * NOTES
 *   The monitor does not flush TLBs for updates: use HV_OP_MMU_TLB as
 *   the hardware would need. In the first half of an L2 frame (the
 *   guest's own half, below HV_MMU_L2_HW_OFFSET), any value is written
 *   unchecked.
 */
#define HV_OP_MMU_UPDATE 9
#define HV_MMU_UPDATE_MAX 64

struct hv_mmu_update {
    uint32_t ptr; /* IN: physical address of the entry */
    uint32_t val; /* IN: its new value */
};
HV_STATIC_ASSERT(sizeof(struct hv_mmu_update) == 8, hv_mmu_update_size);

/*
 * HV_OP_MMU_SWITCH: make a pinned L1 the active translation table.
 *
 *   IN   r0  physical address of a pinned L1 of this guest
 *   OUT  r0  0
 *   ERRORS
 *        HV_EINVAL  not a pinned L1 of this guest
 *
 * NOTES
 *   Nothing is flushed: the monitor gives every pinned L1 in use an ASID
 *   of its own (from one pool of 255 for all guests; when it runs out,
 *   all TLBs are flushed and ASIDs are handed out anew), so entries of
 *   the other address spaces stay valid. Unpinning an L1 frees its ASID.
 */
#define HV_OP_MMU_SWITCH 10

/*
 * HV_OP_MMU_TLB: invalidate this guest's TLB entries.
 *
 *   IN   r0  HV_TLB_FLUSH_ALL: every entry of every address space of
 *            this guest; or HV_TLB_FLUSH_VA: r1 = a virtual address whose
 *            page is invalidated in the address space of r2 = a pinned L1
 *            (0: the active one)
 *   OUT  r0  0
 *   ERRORS
 *        HV_EINVAL  unknown operation; an address in the monitor window
 *                   (its entries are not the guest's to evict); r2 not a
 *                   pinned L1 of this guest
 */
#define HV_OP_MMU_TLB 11
#define HV_TLB_FLUSH_ALL 0
#define HV_TLB_FLUSH_VA 1

/*
 * HV_OP_VCPU_REGISTER: share a page with the monitor (<hv/vcpu.h>).
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
 *        HV_EINVAL  a reserved field is not 0
 *
 * An entry of 0 means none: that exception then stops the guest.
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
 * HV_OP_TIMER_SET: arm or cancel the one-shot virtual timer.
 *
 *   IN   r0, r1  deadline in HV_OP_CLOCK_READ nanoseconds (low, high);
 *                0 cancels
 *   OUT  r0  0
 *   ERRORS none
 *
 * When the clock passes the deadline, the monitor sets HV_EVENT_TIMER in
 * shared->events_pending (and the timer is disarmed). A deadline in the
 * past fires at once. The monitor's timer is programmed one-shot for the
 * earliest deadline, so the event comes within one tick of the board
 * timer (1 us on the SP804) after the deadline, plus scheduling delay
 * if another guest is running its slice.
 */
#define HV_OP_TIMER_SET 16
#define HV_EVENT_TIMER (1u << 0)

/*
 * HV_OP_CACHE: cache maintenance on a range of guest memory.
 *
 *   IN   r0  HV_CACHE_SYNC_ICACHE (make written code visible to
 *            instruction fetch), HV_CACHE_CLEAN (write dirty data to
 *            memory), HV_CACHE_FLUSH (clean, then invalidate) or
 *            HV_CACHE_ICACHE_ALL (invalidate all instruction caches,
 *            r1 and r2 ignored: for kernels whose I-cache may alias)
 *        r1  guest virtual address; r2  length, 0 .. HV_CACHE_MAX
 *   OUT  r0  0
 *   ERRORS
 *        HV_EINVAL  unknown operation
 *        HV_E2BIG   length above HV_CACHE_MAX
 *        HV_EFAULT  part of the range is not readable by the guest in its
 *                   current mode (nothing is done)
 *
 * NOTES
 *   Cache maintenance instructions are privileged on ARMv7: USR code
 *   cannot issue them itself. There is no invalidate-only operation.
 */
#define HV_OP_CACHE 17
#define HV_CACHE_SYNC_ICACHE 0
#define HV_CACHE_CLEAN 1
#define HV_CACHE_FLUSH 2
#define HV_CACHE_ICACHE_ALL 3
#define HV_CACHE_MAX 0x100000u

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
 * EVENT CHANNELS
 *
 * A guest has HV_EVTCHN_PORTS ports; port n is bit n of
 * shared->events_pending (<hv/vcpu.h>). Port 0 is the virtual timer
 * (HV_EVENT_TIMER), always bound. Other ports are bound with the calls
 * below to: a channel to another guest (two ports, one per side: a send
 * on either side raises the other's bit), the console input, or a
 * physical interrupt the manifest gives the guest. Raising a bit wakes a
 * blocked guest and, if events are unmasked, makes an event upcall. The
 * guest clears the bits it has handled (with LDREX/STREX: the monitor
 * may set others between its load and store).
 */
#define HV_EVTCHN_PORTS 32

/*
 * HV_OP_EVTCHN_ALLOC_UNBOUND: open a port that guest @remote may bind.
 *
 *   IN   r0  the remote guest's id
 *   OUT  r0  the new local port
 *   ERRORS
 *        HV_ENOENT  no running guest has that id
 *        HV_EINVAL  the id is the caller's own
 *        HV_ENOMEM  no free port
 */
#define HV_OP_EVTCHN_ALLOC_UNBOUND 19

/*
 * HV_OP_EVTCHN_BIND_INTERDOMAIN: connect to a port another guest opened.
 *
 *   IN   r0  the remote guest's id; r1  its port
 *   OUT  r0  the new local port
 *   ERRORS
 *        HV_ENOENT  no running guest has that id
 *        HV_EINVAL  that port is not open for this guest, or the id is
 *                   the caller's own
 *        HV_ENOMEM  no free port
 */
#define HV_OP_EVTCHN_BIND_INTERDOMAIN 20

/*
 * HV_OP_EVTCHN_SEND: raise the event on the other end of a channel.
 *
 *   IN   r0  a local port bound to another guest
 *   OUT  r0  0
 *   ERRORS
 *        HV_ERANGE  port not below HV_EVTCHN_PORTS
 *        HV_EINVAL  the port is not connected to another guest
 */
#define HV_OP_EVTCHN_SEND 21

/*
 * HV_OP_EVTCHN_CLOSE: free a port.
 *
 *   IN   r0  the port
 *   OUT  r0  0
 *   ERRORS
 *        HV_ERANGE  port not below HV_EVTCHN_PORTS
 *        HV_EINVAL  port 0, or a free port
 *
 * The other end of a closed channel becomes open again (unbound) for
 * the same guest; a physical interrupt is disabled.
 */
#define HV_OP_EVTCHN_CLOSE 22

/*
 * HV_OP_EVTCHN_BIND_VIRQ: bind a monitor event source to a new port.
 *
 *   IN   r0  HV_VIRQ_CONSOLE (console input arrived)
 *   OUT  r0  the new local port
 *   ERRORS
 *        HV_EINVAL  unknown source
 *        HV_EPERM   the manifest does not give this guest console input
 *        HV_EBUSY   already bound
 *        HV_ENOMEM  no free port
 */
#define HV_OP_EVTCHN_BIND_VIRQ 23
#define HV_VIRQ_CONSOLE 1

/*
 * HV_OP_EVTCHN_BIND_IRQ: route a physical interrupt to a new port.
 *
 *   IN   r0  the GIC interrupt ID
 *   OUT  r0  the new local port
 *   ERRORS
 *        HV_EPERM   the manifest does not give this guest that interrupt
 *        HV_EBUSY   already bound
 *        HV_ENOMEM  no free port
 *
 * When the interrupt fires the monitor disables it at the interrupt
 * controller and raises the port; the guest quiets its device, then
 * re-enables the interrupt with HV_OP_EVTCHN_UNMASK.
 */
#define HV_OP_EVTCHN_BIND_IRQ 24

/*
 * HV_OP_EVTCHN_UNMASK: re-enable the physical interrupt of a port.
 *
 *   IN   r0  a port bound with HV_OP_EVTCHN_BIND_IRQ
 *   OUT  r0  0
 *   ERRORS
 *        HV_ERANGE  port not below HV_EVTCHN_PORTS
 *        HV_EINVAL  the port is not bound to a physical interrupt
 */
#define HV_OP_EVTCHN_UNMASK 25

/*
 * HV_OP_CONSOLE_READ: take bytes of console input.
 *
 *   IN   r0  guest virtual address of a buffer; r1  its size
 *            (0 .. HV_CONSOLE_WRITE_MAX)
 *   OUT  r0  bytes read, 0 if none are waiting
 *   ERRORS
 *        HV_EPERM   the manifest does not give this guest console input
 *        HV_E2BIG   size above HV_CONSOLE_WRITE_MAX
 *        HV_EFAULT  the buffer is not writable by the guest
 *
 * The monitor keeps up to HV_CONSOLE_INPUT_MAX bytes; beyond that, input
 * is dropped and counted in the console log, never silently.
 */
#define HV_OP_CONSOLE_READ 26
#define HV_CONSOLE_INPUT_MAX 1024

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

/* Number of hypercalls defined by this version. */
#define HV_OP_COUNT 28

#endif /* HV_HYPERCALL_H */
