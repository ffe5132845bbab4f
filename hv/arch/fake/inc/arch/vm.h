/* SPDX-License-Identifier: MIT */
/* Host stand-in: guest memory is a host buffer. */
#ifndef ARCH_VM_H
#define ARCH_VM_H

#include <stdbool.h>
#include <stdint.h>

struct arch_vm {
    uint8_t *host_mem; /* backing store of the guest's memory */
    int activations;   /* how often arch_mm_activate chose this vm */
    int mode_changes;  /* calls of arch_vcpu_mode_changed for it */
    uint32_t tpidrurw; /* user read/write thread register, as arm32 */
    uint32_t tpidruro; /* user read-only thread register */
    bool vfp_enabled;  /* the guest's own FPEXC.EN (HV_OP_VFP) */
    bool vfp_live;     /* between arch_vfp_vm_init and _free */
};

#endif /* ARCH_VM_H */
