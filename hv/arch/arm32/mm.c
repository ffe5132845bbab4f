/* SPDX-License-Identifier: MIT */
/*
 * The monitor's translation tables (short descriptors).
 *
 * hv_boot_l1 is the monitor's own table: an identity map of RAM for boot
 * plus the monitor window (1 MiB sections, PL1 only, global). Guests run
 * on tables in their own memory (hv/core/pt.c), into which the window
 * entries are copied when they are pinned; the temporary slot's L2 is
 * shared by all of them. Table walks are non-cacheable, so every table
 * write is cleaned to the point of coherency.
 */
#include <arch/cp15.h>
#include <arch/layout.h>
#include <string.h>

#include "hv/arch.h"
#include "hv/outer_cache.h"
#include "hv/check.h"
#include "hv/console.h"
#include "hv/vm.h"
#include <hvabi/mmu.h>
#include "arm32.h"

#define L1_ENTRIES 4096u
#define L1_INDEX(va) ((uint32_t)(va) >> HV_SECTION_SHIFT)
#define CACHE_LINE 32u /* smallest line of Cortex-A8 and A9 */

/* Monitor device registers: shareable device, never executable. */
#define SECT_DEVICE                                                            \
    (HV_L1_TYPE_SECTION | HV_L1_SECT_TEXCB(HV_TEXCB_DEVICE) | HV_L1_SECT_XN |  \
     HV_L1_SECT_AP(HV_AP_PL1_RW))
uint32_t hv_boot_l1[L1_ENTRIES]
    __attribute__((aligned(16384), section(".bss.pgtable")));

/* L2 table behind the temporary slot, shared by every address space. */
static uint32_t mm_temp_l2[256]
    __attribute__((aligned(1024), section(".bss.pgtable")));
#define MM_TEMP_PAGES 4u /* arch_mm_phys_ptr maps at most 16 KiB */
/* Slots 4 .. 4 + HV_MAX_VMS - 1: each guest's vCPU shared page, kept. */
#define MM_VCPU_SLOT(vm_index) (MM_TEMP_PAGES + (vm_index))
_Static_assert(MM_VCPU_SLOT(HV_MAX_VMS) <= 128u,
               "vCPU page slots run into the hashed single-page slots");
/* Small page, PL1 read/write, normal write-back, never executable. */
#define PAGE_MONITOR_NORMAL                                                    \
    (HV_L2_SMALL | HV_L2_XN | HV_L2_TEXCB(HV_TEXCB_NORMAL_WBWA) |              \
     HV_L2_AP(HV_AP_PL1_RW))

static uint32_t mm_bss_pa;
static uint32_t mm_idmap_start;
static uint32_t mm_idmap_end;
static uint32_t mm_device_section[HV_DEVICE_SLOTS];
static unsigned int mm_device_slots_used;
static bool mm_left_boot_table;

static void mm_clean_range(const void *va, size_t size)
{
    uintptr_t p = (uintptr_t)va & ~(uintptr_t)(CACHE_LINE - 1);
    uintptr_t end = (uintptr_t)va + size;

    for (; p < end; p += CACHE_LINE) {
        cp15_write_dccmvac(p);
    }
    dsb();
}

static uint32_t mm_bss_va_to_pa(const void *va)
{
    return mm_bss_pa + ((uint32_t)(uintptr_t)va - HV_BSS_VA);
}

void arch_mm_boot_init(uint32_t load_pa, uint32_t bss_pa)
{
    mm_bss_pa = bss_pa;
    /* Mirrors what boot.S identity-mapped. */
    mm_idmap_start = load_pa & ~(HV_SECTION_SIZE - 1);
    mm_idmap_end = mm_idmap_start + HV_IDMAP_SIZE;
    if (mm_idmap_end > HV_WINDOW_BASE || mm_idmap_end < mm_idmap_start) {
        mm_idmap_end = HV_WINDOW_BASE;
    }
    uint32_t *entry = &hv_boot_l1[L1_INDEX(HV_TEMP_VA)];
    *entry = mm_bss_va_to_pa(mm_temp_l2) | HV_L1_TYPE_TABLE |
             HV_L1_DOMAIN(HV_MMU_DOMAIN_MONITOR);
    mm_clean_range(entry, sizeof(*entry));
}

/* Sets temp slot @slot's entry to @entry (0: unmapped); no-op if it
 * already is. A slot that was mapped loses its TLB entry. */
static void mm_temp_set(uint32_t slot, uint32_t entry)
{
    if (mm_temp_l2[slot] == entry) {
        return;
    }
    bool was_mapped = mm_temp_l2[slot] != 0;
    mm_temp_l2[slot] = entry;
    mm_clean_range(&mm_temp_l2[slot], sizeof(entry));
    if (was_mapped) {
        cp15_write_tlbimva(HV_TEMP_VA + slot * 4096u);
        dsb();
    }
    isb();
}

/* Points temp slot @slot at the frame @frame. */
static void mm_temp_map(uint32_t slot, uint32_t frame)
{
    mm_temp_set(slot, frame | PAGE_MONITOR_NORMAL);
}

#define PAR_F (1u << 0)  /* the translation faulted */
#define PAR_SS (1u << 1) /* a supersection: PA bits 39:32 elsewhere */

/* @vm's view is the CPU's: its L1, its ASID (TLB entries are tagged with
 * it) and its mode's domains. */
static bool mm_view_is(const struct vm *vm)
{
    return (cp15_read_ttbr0() & ~(HV_MMU_L1_SIZE - 1)) ==
               (uint32_t)pa_addr(vm->active_l1) &&
           (cp15_read_contextidr() & 0xffu) == vm->active_asid &&
           cp15_read_dacr() == arm32_dacr_of(vm);
}

int32_t arch_mm_translate_user(const struct vm *vm, uint32_t va, bool write,
                               paddr_t *pa)
{
    if (!mm_view_is(vm)) {
        return -HV_ENOSYS;
    }
    if (write) {
        cp15_write_ats1cuw(va);
    } else {
        cp15_write_ats1cur(va);
    }
    isb();
    uint32_t par = cp15_read_par();
    if (par & (PAR_F | PAR_SS)) {
        return -HV_EFAULT;
    }
    *pa = pa_init((par & ~0xfffu) | (va & 0xfffu));
    return HV_OK;
}

int32_t arch_mm_write_user(const struct vm *vm, uint32_t va, const void *src,
                           uint32_t len)
{
    if (((va | len | (uint32_t)(uintptr_t)src) & 3u) != 0 || len == 0 ||
        !mm_view_is(vm)) {
        return -HV_ENOSYS;
    }
    /* STRT: the store is checked with PL0's rights (fastpath.S). */
    return arm32_copy_to_user(va, src, len / 4);
}

void arch_vcpu_upcall_event(struct vm *vm)
{
    /* STRT through the view the CPU has: only if it is @vm's. */
    if (mm_view_is(vm)) {
        (void)arm32_upcall_event(vm); /* back only if it could not */
    }
}

void *arch_mm_vcpu_page(unsigned int vm_index, paddr_t pa)
{
    uint32_t slot = MM_VCPU_SLOT(vm_index);

    CHECK(vm_index < HV_MAX_VMS && IS_ALIGNED(pa_addr(pa), 4096u));
    mm_temp_map(slot, (uint32_t)pa_addr(pa));
    return (void *)(uintptr_t)(HV_TEMP_VA + slot * 4096u);
}

void arch_mm_vcpu_page_drop(unsigned int vm_index)
{
    CHECK(vm_index < HV_MAX_VMS);
    mm_temp_set(MM_VCPU_SLOT(vm_index), 0);
}

/*
 * Multi-page requests use slots 0-3; a single page goes to one of slots
 * 128-255 chosen by its frame number, so the handful of frames a
 * hypercall touches (shared page, table entries, stack) usually stay
 * mapped and need no TLB maintenance.
 */
void *arch_mm_phys_ptr(paddr_t pa, size_t size)
{
    uint32_t a = (uint32_t)pa_addr(pa);
    uint32_t offset = a & 0xfffu;
    uint32_t first = a - offset;

    /* One page, most often one already mapped (each table entry a
     * page-table update writes): a compare, no call. */
    if (size != 0 && size <= 4096u - offset) {
        uint32_t slot = 128u + ((first >> 12) & 127u);
        uint32_t entry = first | PAGE_MONITOR_NORMAL;
        if (mm_temp_l2[slot] != entry) {
            mm_temp_set(slot, entry);
        }
        return (void *)(uintptr_t)(HV_TEMP_VA + slot * 4096u + offset);
    }
    uint32_t pages = ((a + (uint32_t)size - 1) >> 12) - (first >> 12) + 1;
    if (size == 0 || pages > MM_TEMP_PAGES) {
        return NULL;
    }
    for (uint32_t i = 0; i < pages; i++) {
        mm_temp_map(i, first + i * 4096u);
    }
    return (void *)(uintptr_t)(HV_TEMP_VA + (a - first));
}

void arch_mm_phys_copy(paddr_t dst, paddr_t src, size_t size)
{
    uint32_t d = (uint32_t)pa_addr(dst);
    uint32_t s = (uint32_t)pa_addr(src);

    if (size == 0) {
        return;
    }
    /* Two multi-page slots, so both pages are mapped at once. */
    mm_temp_map(0, d & ~0xfffu);
    mm_temp_map(1, s & ~0xfffu);
    memmove((void *)(uintptr_t)(HV_TEMP_VA + (d & 0xfffu)),
            (const void *)(uintptr_t)(HV_TEMP_VA + 4096u + (s & 0xfffu)), size);
}

/* An outer cache's maintenance (a PL310 the boot loader left on). */
static const struct outer_cache_ops *mm_outer;

void arch_outer_cache_set(const struct outer_cache_ops *ops)
{
    mm_outer = ops;
}

/* The physical address behind a monitor VA (mapped: the caller wrote
 * through it). */
static uint32_t mm_monitor_pa(uintptr_t va)
{
    cp15_write_ats1cpr((uint32_t)va);
    isb();
    return (cp15_read_par() & ~0xfffu) | ((uint32_t)va & 0xfffu);
}

/* The table walker reads memory: past the outer cache too, a page
 * (physically contiguous) at a time. Out of line: most boards have none,
 * and each page-table write pays only the test. */
static void __attribute__((noinline, cold))
mm_outer_clean_va(uintptr_t va, size_t size)
{
    for (uintptr_t end = va + size; va < end;) {
        size_t chunk = 4096u - (va & 0xfffu);
        if (chunk > end - va) {
            chunk = end - va;
        }
        mm_outer->clean(pa_init(mm_monitor_pa(va)), chunk);
        va += chunk;
    }
}

void arch_mm_pt_written(void *ptr, size_t size)
{
    mm_clean_range(ptr, size);
    if (__builtin_expect(mm_outer != NULL, 0)) {
        mm_outer_clean_va((uintptr_t)ptr, size);
    }
}

void arch_mm_fill_window(uint32_t *l1)
{
    for (uint32_t i = L1_INDEX(HV_WINDOW_BASE); i < L1_INDEX(HV_WINDOW_END);
         i++) {
        l1[i] = hv_boot_l1[i];
    }
}

void arch_mm_tlb_flush_asid(uint32_t asid)
{
    dsb();
    cp15_write_tlbiasid(asid);
    cp15_write_bpiall(0);
    dsb();
    isb();
}

void arch_mm_tlb_flush_va(gvaddr_t va, uint32_t asid)
{
    dsb();
    cp15_write_tlbimva((gva_addr(va) & ~0xfffu) | asid);
    cp15_write_bpiall(0);
    dsb();
    isb();
}

void arch_mm_tlb_flush_all(void)
{
    dsb();
    cp15_write_tlbiall(0);
    cp15_write_bpiall(0);
    dsb();
    isb();
}

size_t arch_mm_boot_reach(paddr_t pa)
{
    uint32_t a = (uint32_t)pa_addr(pa);
    return a >= mm_idmap_start && a < mm_idmap_end ? mm_idmap_end - a : 0;
}

void *arch_mm_boot_ptr(paddr_t pa, size_t size)
{
    uint32_t a = (uint32_t)pa_addr(pa);

    if (a < mm_idmap_start || a >= mm_idmap_end || size > mm_idmap_end - a) {
        return NULL;
    }
    return (void *)(uintptr_t)a;
}

void *arch_mm_map_device(paddr_t pa, size_t size)
{
    uint32_t a = (uint32_t)pa_addr(pa);
    uint32_t section = a >> HV_SECTION_SHIFT;
    unsigned int slot;

    if (size == 0 || ((a + size - 1) >> HV_SECTION_SHIFT) != section) {
        return NULL;
    }
    for (slot = 0; slot < mm_device_slots_used; slot++) {
        if (mm_device_section[slot] == section) {
            break;
        }
    }
    if (slot == mm_device_slots_used) {
        if (slot == HV_DEVICE_SLOTS) {
            return NULL;
        }
        uint32_t *entry = &hv_boot_l1[L1_INDEX(HV_DEVICE_VA) + slot];
        *entry = (section << HV_SECTION_SHIFT) | SECT_DEVICE;
        mm_clean_range(entry, sizeof(*entry));
        cp15_write_tlbimva(HV_DEVICE_VA + slot * HV_SECTION_SIZE);
        dsb();
        isb();
        mm_device_section[slot] = section;
        mm_device_slots_used++;
    }
    return (void *)(uintptr_t)(HV_DEVICE_VA + slot * HV_SECTION_SIZE +
                               (a & (HV_SECTION_SIZE - 1)));
}

bool arch_mm_vm_init(struct vm *vm)
{
    _Static_assert(HV_WINDOW_BASE == HV_MMU_WINDOW_BASE &&
                       HV_WINDOW_END == HV_MMU_WINDOW_END,
                   "the ABI's monitor window is the arm32 window");
    /* The image was written through the identity map: make it visible to
     * instruction fetches from the guest's mapping. */
    void *mem = arch_mm_boot_ptr(vm->mem_pa, vm->mem_size);
    for (uintptr_t p = (uintptr_t)mem; p < (uintptr_t)mem + vm->mem_size;
         p += CACHE_LINE) {
        cp15_write_dccmvau(p);
    }
    dsb();
    cp15_write_iciallu(0);
    cp15_write_bpiall(0);
    dsb();
    isb();
    return true;
}

void arch_mm_vm_free(struct vm *vm)
{
    uint32_t base = (uint32_t)pa_addr(vm->mem_pa);
    uint32_t ttbr0 = cp15_read_ttbr0() & ~(HV_MMU_L1_SIZE - 1);

    if (ttbr0 - base >= vm->mem_size) {
        return; /* the CPU is on another guest's tables, or the monitor's */
    }
    /* Its tables are about to be unpinned and its memory and ASID handed
     * on: the CPU must not idle on them. */
    arch_mm_use_monitor_table();
}

void arch_mm_use_monitor_table(void)
{
    /* Through ASID 0, as activate. */
    dsb();
    cp15_write_contextidr(0);
    isb();
    cp15_write_ttbr0(mm_bss_va_to_pa(hv_boot_l1));
    isb();
    /* The boot table's identity map is global: flush it again when the
     * next guest comes. */
    mm_left_boot_table = false;
}

/*
 * Switches TTBR0 and ASID through the reserved ASID 0, so no TLB entry
 * of the new table is ever tagged with the old ASID.
 */
void arch_mm_activate(struct vm *vm)
{
    dsb();
    cp15_write_contextidr(0);
    isb();
    cp15_write_ttbr0((uint32_t)pa_addr(vm->active_l1));
    isb();
    if (!mm_left_boot_table) {
        /* The boot identity map is global: drop it from the TLB. */
        cp15_write_tlbiall(0);
        dsb();
        isb();
        mm_left_boot_table = true;
    }
    cp15_write_contextidr(vm->active_asid);
    isb();
}

void arch_cache_range(enum arch_cache_op op, paddr_t pa, size_t size)
{
    uintptr_t va = (uintptr_t)arch_mm_phys_ptr(pa, size);
    uintptr_t end = va + size;

    for (va &= ~(uintptr_t)(CACHE_LINE - 1); va < end; va += CACHE_LINE) {
        switch (op) {
        case ARCH_CACHE_CLEAN_POU:
            cp15_write_dccmvau(va);
            break;
        case ARCH_CACHE_CLEAN:
            cp15_write_dccmvac(va);
            break;
        case ARCH_CACHE_FLUSH:
            cp15_write_dccimvac(va);
            break;
        }
    }
    dsb();
    /* Inner first, then outer: the inner clean may have just written
     * lines into the outer cache. */
    if (mm_outer && op == ARCH_CACHE_CLEAN) {
        mm_outer->clean(pa, size);
    } else if (mm_outer && op == ARCH_CACHE_FLUSH) {
        mm_outer->flush(pa, size);
    }
}

void arch_cache_invalidate_icache(void)
{
    cp15_write_iciallu(0);
    cp15_write_bpiall(0);
    dsb();
    isb();
}
