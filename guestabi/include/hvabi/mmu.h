/* SPDX-License-Identifier: MIT */
/*
 * Guest page tables: the rules the monitor enforces on them.
 *
 * A guest builds ARMv7 short-descriptor tables in its own memory and
 * registers ("pins") them; from then on the monitor alone writes them, on
 * the guest's behalf, after checking each entry. Tables use physical
 * addresses of the guest's own memory.
 *
 * PAGE-TABLE FRAMES
 *   L1  16 KiB, 16 KiB aligned, 4096 entries. The entries that cover the
 *       monitor window (HV_MMU_WINDOW_BASE .. HV_MMU_WINDOW_END) must be 0
 *       when the table is pinned; the monitor fills them and refuses any
 *       update to them.
 *   L2  one 4 KiB frame, laid out as Linux does (PTE_HWTABLE_OFF): its
 *       first 2 KiB are the guest's own (Linux keeps its software PTEs
 *       there), written unchecked by updates; its second 2 KiB, from
 *       HV_MMU_L2_HW_OFFSET, hold two hardware tables of 256 entries. An
 *       L1 page-table entry may point at offset 2048 or 3072 of a pinned
 *       L2 frame.
 *
 * ENTRIES ACCEPTED
 *   L1 fault (type 0); page table (type 1) pointing at offset 2048 or
 *   3072 (a hardware table) of a pinned L2 frame
 *   of this guest; section (type 2, not supersection) of this guest's
 *   memory. L2 fault (type 0) and small page (type 2 or 3) of this guest's
 *   memory. The guest's own memory only as Normal memory, inner and outer
 *   write-back (TEX:C:B 001:1:1, as the monitor maps it, or 000:1:1):
 *   any other type (strongly ordered, device, non-cacheable,
 *   write-through, the TEX[2] forms) is refused with HV_EINVAL, for
 *   read-only entries too. Two views of one frame with different
 *   cacheability would let a write reach memory behind a stale cache
 *   line, where the monitor validates the line and the table walker
 *   reads memory. Memory outside the guest's RAM may be mapped only inside a
 *   device region its manifest gives it ("device-regions"), as Device or
 *   Strongly-ordered memory (TEX:C:B 000:0:1, 010:0:0 or 000:0:0) with XN
 *   set; hypercall buffers are never taken from device memory
 *   (HV_EFAULT). Large pages, supersections, the reserved L1 type 3, the NS
 *   bit, non-zero should-be-zero bits, domain 0 (the monitor's: HV_EPERM) and
 *   domains other than the guest domains (HV_EINVAL) are refused.
 *
 * THE INITIAL ADDRESS SPACE
 *   The monitor builds it in the guest's memory before the guest starts,
 *   and pins it: an L1 and as many L2 frames as the memory needs (one per
 *   2 MiB), just below the start-info page, mapping all guest memory with
 *   4 KiB pages at the guest's base address (normal write-back memory,
 *   not global, domain HV_MMU_DOMAIN_KERNEL), read-write below the L1 and
 *   read-only from the L1 up to the start-info page (the tables and any
 *   alignment gap between them). struct hv_start_info says where they are.
 *
 * NOT GLOBAL, NOT SHAREABLE
 *   The monitor sets nG in every section and small-page entry it accepts
 *   (at pin and at update): a global entry would match any ASID, also
 *   another guest's. Kernels that map their own memory global (Linux)
 *   need no change; reading the entry back shows nG set. In entries that
 *   map the guest's own memory it also clears S (section bit 16, small
 *   page bit 10): these cores treat shareable Normal memory as
 *   non-cacheable, a second memory type for the frame.
 *
 * THE INVARIANT
 *   No frame is at once a pinned page table and mapped writable at PL0
 *   (AP[2] = 0 and AP[1:0] = 0b11) by any pinned table of its guest.
 *   Pinning a frame that is mapped writable, or mapping writable a frame
 *   (or a section holding a frame) that is pinned, fails with HV_EBUSY.
 *
 * The operations that use these rules are HV_OP_MMU_PIN, _UNPIN,
 * _UPDATE, _SWITCH and _TLB (<hvabi/hypercall.h>).
 */
#ifndef HVABI_MMU_H
#define HVABI_MMU_H

#include "abi.h"
#include "ptdesc.h" /* the descriptor bits */

#define HV_MMU_WINDOW_BASE 0xfe000000u
#define HV_MMU_WINDOW_END 0xff000000u
#define HV_MMU_L1_SIZE 16384u
#define HV_MMU_L2_FRAME_SIZE 4096u
#define HV_MMU_L2_HW_OFFSET 2048u /* the hardware half of an L2 frame */
#define HV_MMU_L2_HW_SIZE 2048u
/* Bits an entry must have clear (else HV_EINVAL): PXN, NS, bits 4 and 9 of
 * an L1 page-table entry; bit 9, supersection and NS of a section. */
#define HV_MMU_L1_TABLE_MBZ                                                    \
    (HV_L1_TABLE_PXN | HV_L1_TABLE_NS | HV_L1_TABLE_SBZ | HV_L1_IMP)
#define HV_MMU_L1_SECT_MBZ (HV_L1_IMP | HV_L1_SECT_SUPER | HV_L1_SECT_NS)
/*
 * Domains. L1 entries must use one of the guest domains; domain 0 is the
 * monitor's (HV_EPERM), the others are reserved (HV_EINVAL). Both guest
 * domains are Client domains, never Manager, so AP and XN always apply.
 * The kernel domain is No Access while the guest is in virtual user mode
 * (<hvabi/vcpu.h>); the user domain is accessible in both modes.
 */
#define HV_MMU_DOMAIN_MONITOR 0u
#define HV_MMU_DOMAIN_KERNEL 1u
#define HV_MMU_DOMAIN_USER 2u

#endif /* HVABI_MMU_H */
