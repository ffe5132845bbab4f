/* SPDX-License-Identifier: MIT */
/*
 * Grant hypercalls: one guest lets one named peer map or copy one of its
 * 4 KiB frames.
 *
 * One block per operation: IN registers, OUT registers, errors. The calling
 * convention is in <hvabi/abi.h>; numbers are unique across the
 * headers of <hvabi/>.
 */
#ifndef HVABI_GRANT_H
#define HVABI_GRANT_H

#include "abi.h"

/*
 * GRANTS
 *
 * The grant table is the monitor's, not a page of the guest: a guest
 * fills it with HV_OP_GRANT_ACCESS (frame, peer, rights) and gets back a
 * reference, a small number it hands to the peer (in a ring, say). The
 * peer, and only it, then either maps the frame into its own tables
 * (HV_OP_GRANT_MAP, undone by HV_OP_GRANT_UNMAP or by overwriting the
 * entry) or has the monitor copy to or from it (HV_OP_GRANT_COPY).
 *
 * The granter ends a grant with HV_OP_GRANT_END, which fails with
 * HV_EBUSY while the peer still maps the frame: the frame is the
 * granter's again only when no mapping remains, and the monitor flushes
 * the peer's TLB entries of it before that. When the peer stops, the
 * monitor removes its mappings itself. When the granter stops, a frame
 * the peer still maps stays allocated (to nobody: no new guest gets it)
 * until the peer unmaps it; every other grant of the granter ends.
 *
 * A reference is valid for the one peer named; references of a guest
 * are numbered from 0 and reused after HV_OP_GRANT_END. Each guest may
 * have a fixed number of grants and of mappings of others' frames
 * (monitor configuration: 512 grants and 128 mappings by default; the
 * manifest's max-grants may give a guest fewer grants); beyond, HV_ENOMEM.
 */

/* HV_OP_GRANT_ACCESS flags */
#define HV_GRANT_READONLY 1u /* the peer may only read the frame */

/*
 * HV_OP_GRANT_ACCESS: grant a peer access to one frame of this guest.
 *
 *   IN   r0  physical address of the frame (4 KiB aligned, this
 *            guest's RAM)
 *        r1  the peer's guest id (1 .. 8, not the caller's own; it need
 *            not be running yet)
 *        r2  flags: 0 (read-write) or HV_GRANT_READONLY
 *   OUT  r0  the grant reference (0 or above)
 *   ERRORS
 *        HV_EINVAL  misaligned frame, unknown flag, the caller's own or
 *                   an impossible id
 *        HV_EPERM   the frame is not this guest's RAM
 *        HV_ENOMEM  the guest's grant table is full
 *
 * The peer sees the frame as it is: whatever it holds beyond what the
 * granter means to share (stale data in the rest of the page) leaks to
 * the peer. Zero or bounce-buffer what is granted.
 */
#define HV_OP_GRANT_ACCESS 28

/*
 * HV_OP_GRANT_END: end a grant of this guest.
 *
 *   IN   r0  the reference
 *   OUT  r0  0; the reference is free, the peer can no longer map or
 *            copy the frame and no TLB entry of the peer's still maps it
 *   ERRORS
 *        HV_EINVAL  not a reference of a grant of this guest
 *        HV_EBUSY   the peer still maps the frame (nothing changes: end
 *                   again after the peer unmapped it)
 */
#define HV_OP_GRANT_END 29

/*
 * HV_OP_GRANT_MAP: map a frame granted to this guest.
 *
 *   IN   r0  the granter's guest id
 *        r1  the grant reference
 *        r2  physical address of an entry in the hardware half of a
 *            pinned L2 frame of this guest (<hvabi/mmu.h>); the entry
 *            must be a fault (0)
 *        r3  the entry's attribute bits (bits 0-11 of a small-page
 *            descriptor, <hvabi/ptdesc.h>): the monitor adds the frame
 *   OUT  r0  0; the entry maps the frame. As for any update, it is
 *            stored with nG set and S clear
 *   ERRORS
 *        HV_ENOENT  no such grant to this guest (unknown granter,
 *                   reference not live, granted to another guest,
 *                   ended, or its granter stopped)
 *        HV_EPERM   a read-only grant and a PL0-writable entry
 *                   (AP = HV_AP_RW)
 *        HV_EINVAL  r2 is not in the hardware half of a pinned L2 of this
 *                   guest; r3 has bits above 11, is not a small page, or
 *                   is not normal write-back memory (as for own RAM)
 *        HV_EBUSY   the entry is not a fault; the frame is now a pinned
 *                   page table of its granter
 *        HV_ENOMEM  the guest's mapping table is full, or a count would
 *                   overflow
 *
 * The mapping is counted: while it exists, HV_OP_GRANT_END of the grant
 * fails, and a writable one keeps the granter from pinning the frame as
 * a table.
 */
#define HV_OP_GRANT_MAP 30

/*
 * HV_OP_GRANT_UNMAP: remove a mapping HV_OP_GRANT_MAP made.
 *
 *   IN   r0  physical address of the entry
 *   OUT  r0  0; the entry is a fault (0)
 *   ERRORS
 *        HV_EINVAL  the entry does not hold a grant mapping of this guest
 *
 * HV_OP_MMU_UPDATE overwriting the entry, and HV_OP_MMU_UNPIN of its
 * table, unmap as well. As for any update, flush the address with
 * HV_OP_MMU_TLB before reusing it; the monitor itself flushes this
 * guest's TLB entries of the frame before the granter gets it back.
 */
#define HV_OP_GRANT_UNMAP 31

/*
 * HV_OP_GRANT_COPY: copy between granted frames and this guest's memory.
 *
 *   IN   r0  guest virtual address of struct hv_grant_copy[count]
 *        r1  count, 0 .. HV_GRANT_COPY_MAX
 *   OUT  r0  0 when all were done, else the error of the first that was
 *            not
 *        r1  number of copies done (those before the failing one)
 *   ERRORS
 *        HV_E2BIG   count above HV_GRANT_COPY_MAX (nothing done)
 *        HV_EFAULT  the array is not readable (nothing done); per copy,
 *                   the buffer is not accessible in the direction used
 *        per copy:
 *        HV_ENOENT  no such grant to this guest (as HV_OP_GRANT_MAP)
 *        HV_EPERM   HV_GRANT_COPY_TO_GRANT with a read-only grant
 *        HV_EINVAL  unknown flag, offset + length beyond the frame;
 *                   with HV_GRANT_COPY_BUF_PA, a buffer crossing a page
 *        HV_EBUSY   HV_GRANT_COPY_TO_GRANT into a frame that is now a
 *                   pinned page table of its granter; with
 *                   HV_GRANT_COPY_BUF_PA, a copy into a buffer in a
 *                   pinned page table of the caller
 *
 * A copy is done whole or not at all; the buffer may cross pages, but
 * not with HV_GRANT_COPY_BUF_PA (since 0.7, feature HV_FEAT_GRANT_BATCH):
 * buf is then the physical address of the caller's own RAM, which saves
 * the monitor a walk of the caller's tables per copy (a driver domain
 * copying into its own pages, whose physical addresses it knows). Such a
 * buffer outside the caller's RAM is HV_EFAULT, like an unmapped one.
 */
#define HV_OP_GRANT_COPY 32
#define HV_GRANT_COPY_MAX 16

/* struct hv_grant_copy flags */
#define HV_GRANT_COPY_TO_GRANT 1u /* buffer -> frame; else frame -> buffer */
#define HV_GRANT_COPY_BUF_PA 2u   /* since 0.7: buf is a physical address */

struct hv_grant_copy {
    uint32_t granter; /* IN: the granter's guest id */
    uint32_t ref;     /* IN: the grant reference */
    uint32_t offset;  /* IN: byte offset in the frame */
    uint32_t len;     /* IN: bytes, offset + len <= 4096 */
    uint32_t buf;     /* IN: guest virtual address of the caller's buffer */
    uint32_t flags;   /* IN: HV_GRANT_COPY_TO_GRANT or 0 */
};
HV_STATIC_ASSERT(sizeof(struct hv_grant_copy) == 24, hv_grant_copy_size);

/*
 * HV_OP_GRANT_BATCH: several HV_OP_GRANT_ACCESS and HV_OP_GRANT_END in
 * one trap (since 0.7, feature HV_FEAT_GRANT_BATCH): a block request's
 * segments, say, granted before it is sent and ended after its answer.
 *
 *   IN   r0  guest virtual address of struct hv_grant_op[count], word
 *            aligned, readable and writable by the guest
 *        r1  count, 0 .. HV_GRANT_BATCH_MAX
 *   OUT  r0  0; every entry's result is written
 *   ERRORS (nothing done, no result written)
 *        HV_E2BIG   count above HV_GRANT_BATCH_MAX
 *        HV_EINVAL  the array is not word aligned
 *        HV_EFAULT  the array is not readable and writable
 *
 * The entries are done in order, each as its own hypercall would be, and
 * one that fails does not stop the others. An entry's result is:
 *   HV_GRANT_OP_ACCESS  the reference, or -HV_E* as HV_OP_GRANT_ACCESS
 *                       (arg = the frame, peer, flags)
 *   HV_GRANT_OP_END     0, or -HV_E* as HV_OP_GRANT_END (arg = the
 *                       reference; peer and flags 0)
 *   -HV_EINVAL          another op, reserved not 0, or peer or flags not
 *                       0 for an end
 * The array is read once, before the first entry is done.
 */
#define HV_OP_GRANT_BATCH 38
#define HV_GRANT_BATCH_MAX 32

/* struct hv_grant_op op */
#define HV_GRANT_OP_ACCESS 1u
#define HV_GRANT_OP_END 2u

struct hv_grant_op {
    uint32_t op;       /* IN: HV_GRANT_OP_ACCESS or HV_GRANT_OP_END */
    uint32_t arg;      /* IN: the frame's physical address, or the ref */
    uint32_t peer;     /* IN: access: the peer's guest id; end: 0 */
    uint32_t flags;    /* IN: access: 0 or HV_GRANT_READONLY; end: 0 */
    int32_t result;    /* OUT: see above */
    uint32_t reserved; /* IN: 0 */
};
HV_STATIC_ASSERT(sizeof(struct hv_grant_op) == 24, hv_grant_op_size);

#endif /* HVABI_GRANT_H */
