/* SPDX-License-Identifier: MIT */
/*
 * What a guest finds when it starts.
 *
 * The monitor enters a guest at its entry point in USR mode, ARM state, with
 *   r0  guest virtual address of a struct hv_start_info
 *   sp  the top of guest memory below the start-info page (8-byte aligned)
 *   all other registers 0, CPSR flags clear, interrupts not used.
 *
 * The start-info page is the last 4 KiB page of the guest's memory. The
 * guest may reuse it once it has read what it needs.
 */
#ifndef HV_START_INFO_H
#define HV_START_INFO_H

#include "abi.h"

#define HV_START_INFO_MAGIC 0x48565349u /* "HVSI" */
#define HV_CMDLINE_MAX 256

struct hv_start_info {
    uint32_t magic;               /* HV_START_INFO_MAGIC */
    uint32_t abi_version;         /* as HV_OP_VERSION */
    uint32_t vm_id;               /* this guest's id, 1 .. */
    uint32_t mem_base;            /* guest virtual address of guest memory */
    uint32_t mem_size;            /* bytes of guest memory */
    uint32_t image_size;          /* bytes of the image loaded at mem_base */
    uint32_t reserved[2];         /* 0 */
    char cmdline[HV_CMDLINE_MAX]; /* manifest "bootargs", NUL-terminated */
};
HV_STATIC_ASSERT(sizeof(struct hv_start_info) == 32 + HV_CMDLINE_MAX,
                 hv_start_info_size);

#endif /* HV_START_INFO_H */
