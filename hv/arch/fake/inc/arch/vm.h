/* SPDX-License-Identifier: MIT */
/* Host stand-in: guest memory is a host buffer. */
#ifndef ARCH_VM_H
#define ARCH_VM_H

#include <stdint.h>

struct arch_vm {
    uint8_t *host_mem; /* backing store of the guest's memory */
    int activations;   /* how often arch_mm_activate chose this vm */
};

#endif /* ARCH_VM_H */
