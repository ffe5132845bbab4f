/* SPDX-License-Identifier: MIT */
/*
 * What a guest finds when it starts.
 *
 * The monitor enters a guest at its entry point in USR mode, ARM state, with
 *   r0  guest virtual address of a struct hv_start_info
 *   r2  physical address of the guest's device tree (manifest
 *       "device-tree"), or 0 (as Linux expects it from a boot loader)
 *   sp  the guest virtual address of the initial L1 (16 KiB aligned): the
 *       stack grows down from just below the initial page tables
 *   all other registers 0, CPSR flags clear, interrupts not used.
 *
 * Memory, from the top down: the start-info page (the last 4 KiB), the
 * initial L2 frames, the initial L1 (16 KiB aligned), HV_DTB_STACK_GAP
 * bytes for the initial stack, the device tree if the guest has one (4 KiB
 * aligned), then free memory down to the image at mem_base +
 * image_offset. The translation tables in use are the
 * initial ones (<hvabi/mmu.h>), pinned. The guest may reuse the start-info
 * page once it has read what it needs.
 */
#ifndef HVABI_START_INFO_H
#define HVABI_START_INFO_H

#include "abi.h"

#define HV_START_INFO_MAGIC 0x48565349u /* "HVSI" */
#define HV_CMDLINE_MAX 256
/* Room between the initial L1 and the device tree for the first stack. */
#define HV_DTB_STACK_GAP 0x10000u

struct hv_start_info {
    uint32_t magic;        /* HV_START_INFO_MAGIC */
    uint32_t abi_version;  /* as HV_OP_VERSION */
    uint32_t vm_id;        /* this guest's id, 1 .. */
    uint32_t mem_base;     /* guest virtual address of guest memory */
    uint32_t mem_size;     /* bytes of guest memory */
    uint32_t image_size;   /* bytes of the image (at image_offset) */
    uint32_t mem_phys;     /* physical address of guest memory */
    uint32_t pt_l1;        /* physical address of the initial L1 */
    uint32_t pt_l2_first;  /* physical address of the 1st L2 frame */
    uint32_t pt_l2_count;  /* initial L2 frames, contiguous */
    uint32_t clock_page;   /* physical page of the guest clock counter */
    uint32_t clock_offset; /* the counter register's offset in it */
    uint32_t clock_hz;     /* its rate (<hvabi/vcpu.h>, TIME) */
    uint32_t image_offset; /* the image is at mem_base + image_offset */
    uint32_t dtb_offset;   /* its device tree at mem_base + dtb_offset, */
    uint32_t dtb_size;     /* of this many bytes; 0 if it has none */
    char cmdline[HV_CMDLINE_MAX]; /* manifest "bootargs", NUL-terminated */
    /* Since 0.5; appended, so the fields above stay where 0.2-0.4 have
     * them (a guest that reads only those sees no change). */
    uint32_t restarts; /* times this guest was restarted: 0 in its first
                        * life (all restarts, the window's count or not) */
};
HV_STATIC_ASSERT(sizeof(struct hv_start_info) == 68 + HV_CMDLINE_MAX,
                 hv_start_info_size);

#endif /* HVABI_START_INFO_H */
