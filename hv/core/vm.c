/* SPDX-License-Identifier: MIT */
/* Creating, stopping and checking guests. */
#include "hv/vm.h"

#include <string.h>

#include "hv/arch.h"
#include "hv/console.h"
#include "hv/mem.h"
#include "hv/pt.h"
#include "hv/sched.h"

#define START_INFO_SIZE 4096u

static struct vm vm_pool[HV_MAX_VMS];

void vm_pool_init(void)
{
    memset(vm_pool, 0, sizeof(vm_pool));
}

struct vm *vm_by_index(unsigned int index)
{
    return index < HV_MAX_VMS ? &vm_pool[index] : NULL;
}

static struct vm *vm_alloc_slot(void)
{
    for (unsigned int i = 0; i < HV_MAX_VMS; i++) {
        if (vm_pool[i].state == VM_FREE) {
            memset(&vm_pool[i], 0, sizeof(vm_pool[i]));
            vm_pool[i].id = i + 1;
            return &vm_pool[i];
        }
    }
    return NULL;
}

static void vm_write_start_info(struct vm *vm, uint8_t *mem,
                                const struct vm_config *config)
{
    struct hv_start_info *si =
        (struct hv_start_info *)(mem + vm->mem_size - START_INFO_SIZE);

    si->magic = HV_START_INFO_MAGIC;
    si->abi_version = HV_ABI_VERSION;
    si->vm_id = vm->id;
    si->mem_base = gva_addr(vm->mem_gva);
    si->mem_size = vm->mem_size;
    si->image_size = config->image_size;
    memcpy(si->cmdline, config->cmdline, sizeof(si->cmdline));
}

struct vm *vm_create(const struct vm_config *config)
{
    struct vm *vm = vm_alloc_slot();

    if (!vm) {
        dlog("guest '%s': no free guest slot (HV_MAX_VMS = %u)", config->name,
             (unsigned)HV_MAX_VMS);
        return NULL;
    }
    if (!mem_alloc(config->mem_size, &vm->mem_pa)) {
        dlog("guest '%s': cannot allocate %u KiB of contiguous memory "
             "(%u KiB free)",
             config->name, (unsigned)(config->mem_size / 1024),
             (unsigned)(mem_free_bytes() / 1024));
        vm->state = VM_FREE;
        return NULL;
    }
    memcpy(vm->name, config->name, sizeof(vm->name));
    vm->mem_size = config->mem_size;
    vm->mem_gva = gva_init(config->base_gva);
    vm->image_size = config->image_size;
    vm->halt_on_shutdown = config->halt_on_shutdown;

    uint8_t *mem = arch_mm_boot_ptr(vm->mem_pa, vm->mem_size);
    if (!mem) {
        dlog("guest '%s': memory at 0x%08x is not reachable at boot", vm->name,
             (unsigned)pa_addr(vm->mem_pa));
        mem_free(vm->mem_pa, vm->mem_size);
        vm->state = VM_FREE;
        return NULL;
    }
    /* A guest never sees what an earlier guest left in this memory. */
    memset(mem, 0, vm->mem_size);
    memcpy(mem, config->image, config->image_size);
    vm_write_start_info(vm, mem, config);

    if (!arch_mm_vm_init(vm)) {
        mem_free(vm->mem_pa, vm->mem_size);
        vm->state = VM_FREE;
        return NULL;
    }
    uint32_t top = gva_addr(vm->mem_gva) + vm->mem_size - START_INFO_SIZE;
    arch_regs_init(&vm->regs, gva_addr(vm->mem_gva) + config->entry_offset, top,
                   top);
    vm->state = VM_RUNNABLE;
    dlog("guest %u '%s': %u KiB at 0x%08x (guest 0x%08x), image %u bytes",
         (unsigned)vm->id, vm->name, (unsigned)(vm->mem_size / 1024),
         (unsigned)pa_addr(vm->mem_pa), (unsigned)gva_addr(vm->mem_gva),
         (unsigned)vm->image_size);
    return vm;
}

void vm_stop(struct vm *vm, uint32_t exit_code, bool faulted)
{
    if (vm->state != VM_RUNNABLE) {
        return;
    }
    console_guest_flush(&vm->console, vm->name);
    vm->state = VM_STOPPED;
    vm->exit_code = exit_code;
    arch_mm_vm_free(vm);
    pt_release_vm(vm);
    mem_free(vm->mem_pa, vm->mem_size);
    sched_on_stop(vm, faulted);
}

bool vm_range_ok(const struct vm *vm, gvaddr_t gva, uint32_t len,
                 enum vm_access access)
{
    uint32_t start = gva_addr(gva);
    uint32_t base = gva_addr(vm->mem_gva);

    (void)access; /* all of a guest's memory is read-write for now */
    if (len == 0) {
        return true;
    }
    if (start + len < start) {
        return false; /* wraps past 4 GiB */
    }
    return start >= base && start - base <= vm->mem_size &&
           len <= vm->mem_size - (start - base);
}
