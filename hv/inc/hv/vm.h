/* SPDX-License-Identifier: MIT */
/*
 * The guest pool: creating, looking up and releasing guests, and copies
 * to and from guest memory (types in vm_types.h).
 */
#ifndef HV_VM_H
#define HV_VM_H

#include "hv/check.h"
#include "hv/vm_types.h"

void vm_pool_init(void);
/**
 * Creates a guest from @config: allocates memory, loads the image, writes
 * the start-info page and builds the address space. Returns NULL and
 * prints why on failure.
 */
struct vm *vm_create(const struct vm_config *config);
/**
 * Loads the stopped guest @vm again from its manifest entry, as vm_create
 * did: fresh memory (placed again, zeroed), the image, tables and start
 * info, the same id and name; of the last life only vm->life is kept.
 * Needs the identity map (arch_mm_boot_ptr: the CPU on the monitor's own
 * table, arch_mm_use_monitor_table). False if it could not be placed
 * (printed); the guest then stays stopped.
 */
HV_MUST_CHECK bool vm_recreate(struct vm *vm);
/** The guest with @id (1 ..) if it exists and has not stopped. */
struct vm *vm_by_id(uint32_t id);
/**
 * Releases what @vm, stopped, still holds: moves the CPU off its tables
 * and ASID, forgets its VFP state, unpins its tables (pt_release_vm) and
 * frees its memory. Stopping it is guest_stop's (guest.h).
 */
void vm_release(struct vm *vm);
/* The guest pool; vm_by_index is inline for the loops over it on the
 * timer and scheduling paths. */
extern struct vm vm_pool[HV_MAX_VMS];
/** The pool slot @index (0 .. HV_MAX_VMS - 1), whatever its state. */
static inline struct vm *vm_by_index(unsigned int index)
{
    return index < HV_MAX_VMS ? &vm_pool[index] : NULL;
}
/**
 * Checks that every page of [@gva, @gva + @len) of the running guest @vm
 * is accessible to its USR-mode code (for @write or read), without
 * wrapping past 4 GiB; -HV_EFAULT otherwise. Stores the physical
 * addresses of the first @max pages in @pages (@count may be NULL).
 */
HV_MUST_CHECK int32_t vm_translate_range(struct vm *vm, gvaddr_t gva,
                                         uint32_t len, bool write,
                                         paddr_t *pages, unsigned int max,
                                         unsigned int *count);
/**
 * Copy @len bytes from or to guest virtual memory of the running guest
 * @vm, as its USR-mode code could access it (read, or write). Either the
 * whole range is accessible and copied, or -HV_EFAULT and nothing is.
 */
HV_MUST_CHECK int32_t vm_copy_from_guest(struct vm *vm, void *dst, gvaddr_t src,
                                         uint32_t len);
HV_MUST_CHECK int32_t vm_copy_to_guest(struct vm *vm, gvaddr_t dst,
                                       const void *src, uint32_t len);

#endif /* HV_VM_H */
