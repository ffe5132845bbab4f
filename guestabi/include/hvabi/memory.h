/* SPDX-License-Identifier: MIT */
/*
 * Memory hypercalls: page tables (descriptor rules in <hvabi/mmu.h>),
 * TLB and cache maintenance.
 *
 * One block per operation: IN registers, OUT registers, errors. The calling
 * convention is in <hvabi/abi.h>; numbers are unique across the
 * headers of <hvabi/>.
 */
#ifndef HVABI_MEMORY_H
#define HVABI_MEMORY_H

#include "abi.h"

/*
 * HV_OP_MMU_PIN: register a page-table frame (rules in <hvabi/mmu.h>).
 *
 *   IN   r0  physical address of the table
 *        r1  HV_MMU_L1 (a 16 KiB L1 table) or HV_MMU_L2 (a 4 KiB L2 frame)
 *        r2  bytes at the start of the table the monitor writes 0 before
 *            it checks the rest: a multiple of 4, up to the table's size
 *            (since 0.8, feature HV_FEAT_PIN_ZERO; monitors before 0.8
 *            ignore r2, so pass 0 to them)
 *   OUT  r0  0; the table is read-only to the guest from now on
 *   ERRORS
 *        HV_EINVAL  misaligned, unknown level, r2 too large or not a
 *                   multiple of 4, a malformed entry, an L1
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
 *   stale writable translation of it survives. Zeroing costs less than
 *   checking: a new process's L1 is empty below the kernel's entries
 *   (Linux: USER_PTRS_PER_PGD * 8 bytes) and a new L2 frame is empty,
 *   so the guest need not clear them itself.
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
 *   IN   r0  guest virtual address of struct hv_mmu_update[count], or
 *            with HV_MMU_UPDATE_BY_PA its physical address
 *        r1  count, 0 .. HV_MMU_UPDATE_MAX, ORed with HV_MMU_UPDATE_BY_PA
 *            (since 0.8): r0 is a physical address; the array lies
 *            within one 4 KiB page of the caller's RAM
 *   OUT  r0  0 when all were applied, else the error of the first that
 *            was not
 *        r1  number of updates applied (those before the failing one)
 *   ERRORS
 *        HV_E2BIG   count above HV_MMU_UPDATE_MAX (nothing applied)
 *        HV_EFAULT  the array is not readable; by physical address: not
 *                   in the caller's RAM (nothing applied)
 *        HV_EINVAL  by physical address: the array crosses a page
 *                   (nothing applied)
 *        HV_EINVAL  ptr is not an entry of a pinned table of this guest,
 *                   or the new entry is malformed or maps this guest's
 *                   memory as other than normal write-back (<hvabi/mmu.h>)
 *        HV_EPERM   ptr is an L1 entry of the monitor window, or the entry
 *                   maps memory not this guest's
 *        HV_EBUSY   the entry would map a pinned table writable
 *        HV_ENOMEM  a reference count would overflow
 *
 * NOTES
 *   The monitor does not flush TLBs for updates: use HV_OP_MMU_TLB as
 *   the hardware would need. In the first half of an L2 frame (the
 *   guest's own half, below HV_MMU_L2_HW_OFFSET), any value is written
 *   unchecked. By physical address, the monitor reads the array without
 *   walking the guest's tables: a guest keeps its batch in one page
 *   (512-byte aligned, HV_MMU_UPDATE_MAX entries never cross one).
 */
#define HV_OP_MMU_UPDATE 9
#define HV_MMU_UPDATE_MAX 64
#define HV_MMU_UPDATE_BY_PA (1u << 31)

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
 *            (0: the active one); or HV_TLB_FLUSH_MM (since 0.8): every
 *            entry of the address space of r2 (as for HV_TLB_FLUSH_VA;
 *            r1 ignored), the other address spaces' entries kept
 *   OUT  r0  0
 *   ERRORS
 *        HV_EINVAL  unknown operation; an address in the monitor window
 *                   (its entries are not the guest's to evict); r2 not a
 *                   pinned L1 of this guest
 */
#define HV_OP_MMU_TLB 11
#define HV_TLB_FLUSH_ALL 0
#define HV_TLB_FLUSH_VA 1
#define HV_TLB_FLUSH_MM 2

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

#endif /* HVABI_MEMORY_H */
