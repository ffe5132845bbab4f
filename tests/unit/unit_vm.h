/* SPDX-License-Identifier: MIT */
/* Guests for tests of vm.c, sched.c and hypercall.c on the fake arch. */
#ifndef UNIT_VM_H
#define UNIT_VM_H

#include "hv/vm.h"

#define UNIT_GUEST_BASE HV_DEFAULT_GUEST_BASE
#define UNIT_MIB 0x100000u

/** The bytes every unit_vm_config guest is loaded with. */
extern const uint8_t unit_vm_image[64];

/**
 * A fresh monitor: all of fake RAM free for guests, an empty vm pool, no
 * current guest, console captured.
 */
void unit_vm_setup(void);
/** A config for guest @name: unit_vm_image, @mem_size at UNIT_GUEST_BASE. */
struct vm_config unit_vm_config(const char *name, uint32_t mem_size);
/** vm_create of unit_vm_config(@name, @mem_size); the test ends on NULL. */
struct vm *unit_vm_create(const char *name, uint32_t mem_size);
/**
 * Host pointer to guest address @gva of @vm, worked out from its physical
 * memory so tests do not depend on arch_mm_guest_ptr.
 */
void *unit_vm_mem(const struct vm *vm, uint32_t gva);

#endif /* UNIT_VM_H */
