/* SPDX-License-Identifier: MIT */
/* The guest pool: creating and releasing guests, copies to and from them. */
#include "hv/vm.h"

#include <hvabi/mmu.h>

#include <string.h>

#include "hv/arch.h"
#include "hv/check.h"
#include "hv/clock.h"
#include "hv/console.h"
#include "hv/grant.h"
#include "hv/mem.h"
#include "hv/pt.h"

#define START_INFO_SIZE 4096u

struct vm vm_pool[HV_MAX_VMS];

void vm_pool_init(void)
{
    memset(vm_pool, 0, sizeof(vm_pool));
}

struct vm *vm_by_id(uint32_t id)
{
    if (id == 0 || id > HV_MAX_VMS) {
        return NULL;
    }
    struct vm *vm = &vm_pool[id - 1];
    return vm->state == VM_RUNNABLE || vm->state == VM_BLOCKED ? vm : NULL;
}

static struct vm *vm_alloc_slot(void)
{
    for (unsigned int i = 0; i < HV_MAX_VMS; i++) {
        if (vm_pool[i].state == VM_FREE) {
            memset(&vm_pool[i], 0, sizeof(vm_pool[i]));
            vm_pool[i].id = i + 1;
            vm_pool[i].console.owner = i + 1;
            return &vm_pool[i];
        }
    }
    return NULL;
}

static void vm_write_start_info(struct vm *vm, uint8_t *mem,
                                const struct vm_config *config,
                                const struct pt_initial *pt)
{
    struct hv_start_info *si =
        (struct hv_start_info *)(mem + vm->mem_size - START_INFO_SIZE);

    si->magic = HV_START_INFO_MAGIC;
    si->abi_version = HV_ABI_VERSION;
    si->vm_id = vm->id;
    si->mem_base = gva_addr(vm->mem_gva);
    si->mem_size = vm->mem_size;
    si->image_size = config->image_size;
    si->image_offset = config->image_offset;
    si->dtb_offset = config->dtb ? config->dtb_offset : 0;
    si->dtb_size = config->dtb ? config->dtb_size : 0;
    si->mem_phys = (uint32_t)pa_addr(vm->mem_pa);
    si->pt_l1 = pt->l1;
    si->pt_l2_first = pt->l2_first;
    si->pt_l2_count = pt->l2_count;
    si->clock_page = (uint32_t)pa_addr(clock_guest_page());
    si->clock_offset = clock_guest_offset();
    si->clock_hz = clock_guest_hz();
    memcpy(si->cmdline, config->cmdline, sizeof(si->cmdline));
    si->restarts = vm->life.total;
}

/* Undoes a vm_load that failed after allocating memory; the slot goes
 * back to @state (free, or stopped for a restart). */
static void vm_free_failed(struct vm *vm, enum vm_state state)
{
    pt_release_vm(vm);
    mem_free(vm->mem_pa, vm->mem_size);
    vm->state = state;
}

/*
 * Loads the guest of slot @vm (id set, the rest zero but its life) from
 * @config: memory, zeroed, the image, the initial tables, the start info,
 * the registers. On failure prints why and leaves the slot @failed.
 */
static bool vm_load(struct vm *vm, const struct vm_config *config,
                    enum vm_state failed)
{
    if (config->phys_addr != 0) {
        vm->mem_pa = pa_init(config->phys_addr);
        if (!mem_alloc_at(vm->mem_pa, config->mem_size)) {
            dlog("guest '%s': physical-address 0x%08x, %u KiB, is not free "
                 "guest RAM",
                 config->name, (unsigned)config->phys_addr,
                 (unsigned)(config->mem_size / 1024));
            vm->state = failed;
            return false;
        }
    } else if (!mem_alloc(config->mem_size, &vm->mem_pa)) {
        dlog("guest '%s': cannot allocate %u KiB of contiguous memory "
             "(%u KiB free)",
             config->name, (unsigned)(config->mem_size / 1024),
             (unsigned)(mem_free_bytes() / 1024));
        vm->state = failed;
        return false;
    }
    memcpy(vm->name, config->name, sizeof(vm->name));
    vm->config = config;
    vm->mem_size = config->mem_size;
    vm->mem_gva = gva_init(config->base_gva);
    vm->image_size = config->image_size;
    vm->image_offset = config->image_offset;
    vm->halt_on_shutdown = config->halt_on_shutdown;
    vm->policy = config->policy;
    vm->console_input = config->console_input;
    vm->may_kill = config->may_kill;
    vm->weight = config->weight ? config->weight : HV_WEIGHT_DEFAULT;
    vm->max_grants =
        config->max_grants != 0 && config->max_grants <= HV_GRANT_ENTRIES
            ? config->max_grants
            : HV_GRANT_ENTRIES;
    vm->irq_count = config->hw.irq_count;
    memcpy(vm->irqs, config->hw.irqs, sizeof(vm->irqs));
    vm->device_count = config->hw.device_count;
    memcpy(vm->devices, config->hw.devices, sizeof(vm->devices));
    vm->ports[0].kind = EVTCHN_TIMER; /* the others are free (zero) */
    arch_vfp_vm_init(vm);

    uint64_t base = config->base_gva;
    uint64_t end = base + config->mem_size; /* may be exactly 4 GiB */
    if (end > HV_MMU_WINDOW_BASE && base < HV_MMU_WINDOW_END) {
        dlog("guest '%s': memory 0x%08x-0x%08x overlaps the monitor window "
             "0x%08x-0x%08x",
             vm->name, (unsigned)base, (unsigned)(end - 1),
             (unsigned)HV_MMU_WINDOW_BASE, (unsigned)HV_MMU_WINDOW_END - 1);
        vm_free_failed(vm, failed);
        return false;
    }

    uint8_t *mem = arch_mm_boot_ptr(vm->mem_pa, vm->mem_size);
    if (!mem) {
        dlog("guest '%s': memory at 0x%08x is not reachable at boot", vm->name,
             (unsigned)pa_addr(vm->mem_pa));
        vm_free_failed(vm, failed);
        return false;
    }
    /* A guest never sees what an earlier guest left in this memory. */
    memset(mem, 0, vm->mem_size);
    memcpy(mem + config->image_offset, config->image, config->image_size);
    if (config->dtb) {
        memcpy(mem + config->dtb_offset, config->dtb, config->dtb_size);
    }

    struct pt_initial pt;
    int32_t rc = pt_build_initial(vm, &pt);
    if (rc != HV_OK) {
        dlog("guest '%s': no room for its initial page tables above the "
             "%u-byte image (error %d)",
             vm->name, (unsigned)vm->image_size, (int)rc);
        vm_free_failed(vm, failed);
        return false;
    }
    vm_write_start_info(vm, mem, config, &pt);
    if (!arch_mm_vm_init(vm)) {
        vm_free_failed(vm, failed);
        return false;
    }
    /* The stack grows down from just below the initial tables. */
    uint32_t gva = gva_addr(vm->mem_gva);
    uint32_t pa = (uint32_t)pa_addr(vm->mem_pa);
    uint32_t start_info = gva + vm->mem_size - START_INFO_SIZE;
    arch_regs_init(&vm->regs, gva + config->entry_offset, gva + (pt.l1 - pa),
                   start_info);
    if (config->dtb) {
        /* As a boot loader hands Linux its device tree. */
        arch_regs_set_result(&vm->regs, 2, pa + config->dtb_offset);
    }
    vm->state = VM_RUNNABLE;
    return true;
}

struct vm *vm_create(const struct vm_config *config)
{
    struct vm *vm = vm_alloc_slot();

    if (!vm) {
        dlog("guest '%s': no free guest slot (HV_MAX_VMS = %u)", config->name,
             (unsigned)HV_MAX_VMS);
        return NULL;
    }
    if (!vm_load(vm, config, VM_FREE)) {
        return NULL;
    }
    dlog("guest %u '%s': %u KiB at 0x%08x (guest 0x%08x), image %u bytes",
         (unsigned)vm->id, vm->name, (unsigned)(vm->mem_size / 1024),
         (unsigned)pa_addr(vm->mem_pa), (unsigned)gva_addr(vm->mem_gva),
         (unsigned)vm->image_size);
    return vm;
}

bool vm_recreate(struct vm *vm)
{
    const struct vm_config *config = vm->config;
    struct vm_life life = vm->life;
    uint32_t id = vm->id;

    CHECK(vm->state == VM_STOPPED && config != NULL);
    /* Nothing of the last life but its id, manifest entry and count. */
    memset(vm, 0, sizeof(*vm));
    vm->id = id;
    vm->console.owner = id;
    vm->life = life;
    vm->config = config;
    memcpy(vm->name, config->name, sizeof(vm->name));
    vm->state = VM_STOPPED;
    return vm_load(vm, config, VM_STOPPED);
}

void vm_release(struct vm *vm)
{
    arch_mm_vm_free(vm);
    /* Its shared page goes with its memory: an event raised for it from
     * now on is dropped, never written to memory that is not its own. */
    arch_mm_vcpu_page_drop(vm->id - 1);
    vm->vcpu_shared = pa_init(0);
    vm->vcpu_shared_va = NULL;
    arch_vfp_vm_free(vm);
    pt_release_vm(vm);
    /* A granule holding a frame another guest still maps stays allocated
     * until it is unmapped (grant.c frees it then). */
    for (uint32_t off = 0; off < vm->mem_size; off += HV_MEM_GRANULE) {
        paddr_t granule = pa_add(vm->mem_pa, off);
        if (!grant_granule_held(granule)) {
            mem_free(granule, HV_MEM_GRANULE);
        }
    }
}

int32_t vm_translate_range(struct vm *vm, gvaddr_t gva, uint32_t len,
                           bool write, paddr_t *pages, unsigned int max,
                           unsigned int *count)
{
    uint32_t start = gva_addr(gva);
    uint32_t last = start + len - 1;
    paddr_t pa;

    if (count) {
        *count = 0;
    }
    if (len == 0) {
        return HV_OK;
    }
    if (last < start) {
        return -HV_EFAULT; /* wraps past 4 GiB */
    }
    for (uint32_t page = start & ~0xfffu;; page += 0x1000u) {
        if (pt_translate(vm, page, write, &pa) != HV_OK) {
            return -HV_EFAULT;
        }
        if (count && *count < max) {
            pages[(*count)++] = pa;
        }
        if (page == (last & ~0xfffu)) {
            return HV_OK;
        }
    }
}

/*
 * Checks every page of [gva, gva + len) first and only then copies, so a
 * hypercall that fails has touched nothing.
 */
static int32_t vm_copy(struct vm *vm, uint32_t gva, uint8_t *buf, uint32_t len,
                       bool to_guest)
{
    /* Hypercall buffers span at most a few pages: their translations are
     * kept from the check so the copy does not walk the tables again. */
    paddr_t pages[4];
    unsigned int count = 0;
    paddr_t pa;

    int32_t rc = vm_translate_range(vm, gva_init(gva), len, to_guest, pages,
                                    ARRAY_SIZE(pages), &count);
    if (rc != HV_OK || len == 0) {
        return rc;
    }
    for (unsigned int n = 0; len > 0; n++) {
        uint32_t chunk = 0x1000u - (gva & 0xfffu);
        if (chunk > len) {
            chunk = len;
        }
        if (n < count) {
            pa = pa_init(pa_addr(pages[n]) | (gva & 0xfffu));
        } else {
            /* vm_translate_range has just checked this page. */
            rc = pt_translate(vm, gva, to_guest, &pa);
            CHECK(rc == HV_OK);
        }
        uint8_t *p = arch_mm_phys_ptr(pa, chunk);
        if (to_guest) {
            memcpy(p, buf, chunk);
        } else {
            memcpy(buf, p, chunk);
        }
        gva += chunk;
        buf += chunk;
        len -= chunk;
    }
    return HV_OK;
}

int32_t vm_copy_from_guest(struct vm *vm, void *dst, gvaddr_t src, uint32_t len)
{
    return vm_copy(vm, gva_addr(src), dst, len, false);
}

int32_t vm_copy_to_guest(struct vm *vm, gvaddr_t dst, const void *src,
                         uint32_t len)
{
    return vm_copy(vm, gva_addr(dst), (uint8_t *)src, len, true);
}
