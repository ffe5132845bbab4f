/* SPDX-License-Identifier: MIT */
/* The arm32 part of a guest: its ASID (its tables are in struct vm). */
#ifndef ARCH_VM_H
#define ARCH_VM_H

#include <stdint.h>

struct arch_vm {
    uint32_t asid;     /* 1 .. HV_MAX_VMS; 0 is reserved for switching */
    uint32_t tpidrurw; /* user read/write thread register */
    uint32_t tpidruro; /* user read-only thread register */
};

#endif /* ARCH_VM_H */
