/* SPDX-License-Identifier: MIT */
/* The arm32 part of a guest: thread registers and VFP state. */
#ifndef ARCH_VM_H
#define ARCH_VM_H

#include <stdbool.h>
#include <stdint.h>

/* A vCPU's VFP/NEON registers, saved while another vCPU owns the unit. */
struct arch_vfp {
    uint64_t d[32];
    uint32_t fpscr;
    uint32_t reserved;
};

struct arch_vm {
    uint32_t tpidrurw; /* user read/write thread register */
    uint32_t tpidruro; /* user read-only thread register */
    bool vfp_enabled;  /* the guest's virtual FPEXC.EN */
    struct arch_vfp vfp;
};

#endif /* ARCH_VM_H */
