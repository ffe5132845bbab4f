/* SPDX-License-Identifier: MIT */
/*
 * Guest page-table validation: direct paging, as Xen's PV guests do it.
 * Guests keep their own ARMv7 short-descriptor tables; once pinned, a
 * table is read-only to its guest and every change goes through
 * pt_update, which checks the new entry and keeps reference counts so
 * the invariant of <hvabi/mmu.h> holds after every single operation.
 */
#include "hv/pt.h"

#include <hvabi/mmu.h>
#include <string.h>

#include "hv/arch.h"
#include "hv/clock.h"
#include "hv/check.h"
#include "hv/config.h"
#include "hv/grant.h"

#define PT_FRAME_SHIFT 12
#define PT_FRAME_SIZE 4096u
#define PT_SECTION_SHIFT 20
#define PT_FRAMES_PER_SECTION 256u
#define PT_MAX_FRAMES (HV_MEM_MAX_GRANULES * PT_FRAMES_PER_SECTION)

#define PT_TYPE_NONE 0u
#define PT_TYPE_L1 1u
#define PT_TYPE_L2 2u
#define PT_TYPE_SHARED 3u /* a registered shared vCPU page: never a table */

/*
 * Frame word: type in bits 0-1, L1 references 2-15, writable maps 16-31.
 * A table has no writable mapping: in a table's frame, bits 16-31 count
 * instead its entries the hardware reads that are not 0 (the monitor
 * window's excepted), so unpinning visits only frames that hold some.
 */
#define FRAME_TYPE(f) ((f)&3u)
#define FRAME_TYPE_REFS(f) (((f) >> 2) & 0x3fffu)
#define FRAME_WRITABLE(f) ((f) >> 16)
#define FRAME_USED(f) ((f) >> 16)
#define FRAME_USED_ONE (1u << 16)
#define FRAME_ENTRIES (PT_FRAME_SIZE / 4u)
#define FRAME_MAX_TYPE_REFS 0x3fffu
#define FRAME_MAX_WRITABLE 0xffffu

/* Descriptor fields: <hvabi/ptdesc.h>, through <hvabi/mmu.h>. */
#define L1_TYPE(d) ((d)&HV_L1_TYPE_MASK)
#define L2_TYPE(d) ((d)&HV_L2_TYPE_MASK)

#define L1_ENTRIES 4096u
#define L2_HW_ENTRIES (HV_MMU_L2_HW_SIZE / 4u)

/*
 * For the checks and reference updates every table entry goes through
 * (pt_update, pt_take_all): inlined, a struct pt_ref stays in registers
 * instead of going through the stack, about 25 instructions an entry
 * (pte_update_batch64_per_entry, docs/benchmarks.md).
 */
#define PT_PER_ENTRY static inline __attribute__((always_inline))

/*
 * ASIDs, one per pinned L1 in use, shared by all guests: allocated when
 * an L1 is switched to, so a guest switching between its processes keeps
 * their TLB entries. When all 255 are taken, every TLB entry is flushed
 * and allocation starts over (a new generation). The owner table says
 * which L1 an ASID belongs to; an L1 frame remembers its last ASID in
 * its (otherwise unused) reference bits.
 */
#define PT_ASIDS 256u
static uint32_t pt_asid_owner[PT_ASIDS]; /* L1 physical address, 0 free */
static uint32_t pt_asid_next = 1;

static uint32_t pt_base;
static uint32_t pt_frames_count;
static uint32_t pt_frames[PT_MAX_FRAMES];
static uint16_t pt_section_writable[HV_MEM_MAX_GRANULES];
static uint16_t pt_section_tables[HV_MEM_MAX_GRANULES];

void pt_init(paddr_t base, uint32_t size)
{
    pt_base = (uint32_t)pa_addr(base);
    pt_frames_count = size >> PT_FRAME_SHIFT;
    if (pt_frames_count > PT_MAX_FRAMES) {
        pt_frames_count = PT_MAX_FRAMES;
    }
    memset(pt_frames, 0, sizeof(pt_frames));
    memset(pt_section_writable, 0, sizeof(pt_section_writable));
    memset(pt_section_tables, 0, sizeof(pt_section_tables));
    memset(pt_asid_owner, 0, sizeof(pt_asid_owner));
    pt_asid_next = 1;
    grant_init();
}

/* True if [pa, pa + size) is inside @vm's memory. */
static bool pt_owned(const struct vm *vm, uint32_t pa, uint32_t size)
{
    uint32_t base = (uint32_t)pa_addr(vm->mem_pa);
    return pa >= base && pa - base < vm->mem_size &&
           size <= vm->mem_size - (pa - base);
}

/* True if @pa is in the RAM the frame table covers. */
static bool pt_in_ram(uint32_t pa)
{
    return pa >= pt_base && (pa - pt_base) >> PT_FRAME_SHIFT < pt_frames_count;
}

/*
 * A mapping of memory outside the guest's RAM: only inside a device
 * region the manifest gave it, as Device or Strongly-ordered memory that
 * is never executable.
 */
static int32_t pt_check_device(const struct vm *vm, uint32_t pa, uint32_t size,
                               uint32_t tex_c_b, bool xn, bool writable)
{
    bool inside = false;
    uint32_t clock = (uint32_t)pa_addr(clock_guest_page());
    if (clock != 0 && pa == clock && size == PT_FRAME_SIZE && !writable) {
        inside = true; /* the guest clock counter: every guest, read-only */
    }
    for (uint32_t i = 0; i < vm->device_count; i++) {
        const struct vm_device *d = &vm->devices[i];
        inside |= pa >= d->pa && pa - d->pa < d->size &&
                  size <= d->size - (pa - d->pa);
    }
    if (!inside) {
        return -HV_EPERM;
    }
    /* TEX:C:B 000:0:0 strongly ordered, 000:0:1 and 010:0:0 device. */
    if ((tex_c_b != HV_TEXCB_STRONGLY_ORDERED && tex_c_b != HV_TEXCB_DEVICE &&
         tex_c_b != HV_TEXCB_DEVICE_NS) ||
        !xn) {
        return -HV_EINVAL;
    }
    return HV_OK;
}

/*
 * Guest RAM may be mapped only as Normal memory, inner and outer
 * write-back (TEX:C:B 001:1:1, write-allocate, as the monitor maps it, or
 * 000:1:1), so every view of a frame has the same cacheability. With a
 * non-cacheable alias a guest could write a page-table entry straight to
 * memory under a stale clean cache line; the monitor would validate the
 * line, the table walker (non-cacheable) would use memory (Guanciale et
 * al., "Cache storage channels", IEEE S&P 2016). The two allocation
 * hints differ only in what a miss allocates, not in coherence.
 */
static int32_t pt_check_ram_type(uint32_t tex_c_b)
{
    return tex_c_b == HV_TEXCB_NORMAL_WBWA || tex_c_b == HV_TEXCB_NORMAL_WB
               ? HV_OK
               : -HV_EINVAL;
}

static uint32_t pt_l1_tex_c_b(uint32_t desc)
{
    return HV_L1_SECT_GET_TEXCB(desc);
}

static uint32_t pt_l2_tex_c_b(uint32_t desc)
{
    return HV_L2_GET_TEXCB(desc);
}

static uint32_t *pt_frame(uint32_t pa)
{
    return &pt_frames[(pa - pt_base) >> PT_FRAME_SHIFT];
}

/* Entry @entry_pa of a pinned table goes from @old to @value. */
static inline void pt_used_adjust(uint32_t entry_pa, uint32_t old,
                                  uint32_t value)
{
    if ((old == 0) != (value == 0)) {
        *pt_frame(entry_pa) += value != 0 ? FRAME_USED_ONE : -FRAME_USED_ONE;
    }
}

static uint32_t pt_section_index(uint32_t pa)
{
    return (pa - pt_base) >> PT_SECTION_SHIFT;
}

static bool pt_window_index(uint32_t index)
{
    uint32_t va = index << PT_SECTION_SHIFT;
    return va >= HV_MMU_WINDOW_BASE && va < HV_MMU_WINDOW_END;
}

/* What a valid entry holds a reference to. */
enum pt_ref_kind {
    PT_REF_NONE,
    PT_REF_L2,         /* an L1 entry pointing at an L2 frame */
    PT_REF_SECTION_RW, /* a writable section mapping */
    PT_REF_PAGE_RW,    /* a writable small page mapping */
};

struct pt_ref {
    enum pt_ref_kind kind;
    uint32_t pa;
};

/* The reference @desc holds; @desc must be valid (checked before). */
static struct pt_ref pt_ref_of(bool l1, uint32_t desc)
{
    struct pt_ref ref = {PT_REF_NONE, 0};

    if (!pt_in_ram(desc & ~(PT_FRAME_SIZE - 1))) {
        return ref; /* device memory holds no counted references */
    }
    if (l1 && L1_TYPE(desc) == HV_L1_TYPE_TABLE) {
        ref.kind = PT_REF_L2;
        ref.pa = desc & ~(PT_FRAME_SIZE - 1);
    } else if (l1 && L1_TYPE(desc) == HV_L1_TYPE_SECTION &&
               HV_L1_SECT_GET_AP(desc) == HV_AP_RW) {
        ref.kind = PT_REF_SECTION_RW;
        ref.pa = desc & ~(HV_MEM_GRANULE - 1);
    } else if (!l1 && (desc & HV_L2_SMALL) && HV_L2_GET_AP(desc) == HV_AP_RW) {
        ref.kind = PT_REF_PAGE_RW;
        ref.pa = desc & ~(PT_FRAME_SIZE - 1);
    }
    return ref;
}

static int32_t pt_check_domain(uint32_t desc)
{
    uint32_t domain = HV_L1_GET_DOMAIN(desc);
    if (domain == HV_MMU_DOMAIN_MONITOR) {
        return -HV_EPERM;
    }
    if (domain != HV_MMU_DOMAIN_KERNEL && domain != HV_MMU_DOMAIN_USER) {
        return -HV_EINVAL;
    }
    return HV_OK;
}

/*
 * Checks L1 entry @desc for @vm; when it is accepted, *@ref is the
 * reference it holds (what pt_ref_of would say, found on the way).
 */
PT_PER_ENTRY int32_t pt_check_l1(const struct vm *vm, uint32_t desc,
                                 struct pt_ref *ref)
{
    int32_t rc;

    ref->kind = PT_REF_NONE;
    switch (L1_TYPE(desc)) {
    case HV_L1_TYPE_FAULT:
        return HV_OK;
    case HV_L1_TYPE_TABLE: {
        uint32_t l2 = desc & HV_L1_TABLE_ADDR_MASK;
        uint32_t frame = l2 & ~(PT_FRAME_SIZE - 1);
        if (desc & HV_MMU_L1_TABLE_MBZ) {
            return -HV_EINVAL;
        }
        rc = pt_check_domain(desc);
        if (rc != HV_OK) {
            return rc;
        }
        if (!pt_owned(vm, frame, PT_FRAME_SIZE)) {
            return -HV_EPERM;
        }
        uint32_t f = *pt_frame(frame);
        if (FRAME_TYPE(f) != PT_TYPE_L2 || l2 - frame < HV_MMU_L2_HW_OFFSET) {
            return -HV_EINVAL; /* not the hardware half of a pinned L2 */
        }
        if (FRAME_TYPE_REFS(f) == FRAME_MAX_TYPE_REFS) {
            return -HV_ENOMEM;
        }
        *ref = (struct pt_ref){PT_REF_L2, frame};
        return HV_OK;
    }
    case HV_L1_TYPE_SECTION: {
        uint32_t pa = desc & ~(HV_MEM_GRANULE - 1);
        if (desc & HV_MMU_L1_SECT_MBZ) {
            return -HV_EINVAL;
        }
        rc = pt_check_domain(desc);
        if (rc != HV_OK) {
            return rc;
        }
        if (!pt_owned(vm, pa, HV_MEM_GRANULE)) {
            *ref = pt_ref_of(true, desc); /* none, outside RAM */
            return pt_check_device(vm, pa, HV_MEM_GRANULE, pt_l1_tex_c_b(desc),
                                   (desc & HV_L1_SECT_XN) != 0,
                                   HV_L1_SECT_GET_AP(desc) == HV_AP_RW);
        }
        rc = pt_check_ram_type(pt_l1_tex_c_b(desc));
        if (rc != HV_OK || HV_L1_SECT_GET_AP(desc) != HV_AP_RW) {
            return rc;
        }
        uint32_t s = pt_section_index(pa);
        if (pt_section_tables[s] != 0) {
            return -HV_EBUSY; /* would expose a page table */
        }
        if (pt_section_writable[s] == 0xffffu) {
            return -HV_ENOMEM;
        }
        *ref = (struct pt_ref){PT_REF_SECTION_RW, pa};
        return HV_OK;
    }
    default:
        return -HV_EINVAL; /* reserved, or PXN sections the cores lack */
    }
}

/* As pt_check_l1, for L2 entry @desc. */
PT_PER_ENTRY int32_t pt_check_l2(const struct vm *vm, uint32_t desc,
                                 struct pt_ref *ref)
{
    ref->kind = PT_REF_NONE;
    if (L2_TYPE(desc) == HV_L2_TYPE_FAULT) {
        return HV_OK;
    }
    if (L2_TYPE(desc) == HV_L2_TYPE_LARGE) {
        return -HV_EINVAL; /* large pages are not supported */
    }
    uint32_t pa = desc & ~(PT_FRAME_SIZE - 1);
    if (!pt_owned(vm, pa, PT_FRAME_SIZE)) {
        *ref = pt_ref_of(false, desc); /* none, outside RAM */
        return pt_check_device(vm, pa, PT_FRAME_SIZE, pt_l2_tex_c_b(desc),
                               (desc & HV_L2_XN) != 0,
                               HV_L2_GET_AP(desc) == HV_AP_RW);
    }
    int32_t rc = pt_check_ram_type(pt_l2_tex_c_b(desc));
    if (rc != HV_OK || HV_L2_GET_AP(desc) != HV_AP_RW) {
        return rc;
    }
    uint32_t f = *pt_frame(pa);
    if (FRAME_TYPE(f) == PT_TYPE_L1 || FRAME_TYPE(f) == PT_TYPE_L2) {
        return -HV_EBUSY; /* would expose a page table */
    }
    if (FRAME_WRITABLE(f) == FRAME_MAX_WRITABLE) {
        return -HV_ENOMEM;
    }
    *ref = (struct pt_ref){PT_REF_PAGE_RW, pa};
    return HV_OK;
}

PT_PER_ENTRY void pt_ref_apply(struct pt_ref ref, int delta)
{
    switch (ref.kind) {
    case PT_REF_NONE:
        break;
    case PT_REF_L2:
        *pt_frame(ref.pa) += (uint32_t)(delta * (1 << 2));
        break;
    case PT_REF_SECTION_RW:
        pt_section_writable[pt_section_index(ref.pa)] += delta;
        break;
    case PT_REF_PAGE_RW:
        *pt_frame(ref.pa) += (uint32_t)(delta * (1 << 16));
        break;
    }
}

/*
 * Every section and page a guest maps is made not-global (nG), whatever
 * it asked for: a global entry would match any ASID, and so be used by
 * whichever guest runs next at that address. Mappings of RAM are also
 * made non-shareable (S clear), as the monitor maps it: Cortex-A8, and
 * Cortex-A9 without ACTLR.SMP, treat shareable Normal memory as
 * non-cacheable, which would be the cache alias pt_check_ram_type bans.
 */
PT_PER_ENTRY uint32_t pt_with_ng(bool l1, uint32_t desc)
{
    /* S is rarely set: test it before asking whether the frame is RAM. */
    if (l1 && L1_TYPE(desc) == HV_L1_TYPE_SECTION) {
        desc |= HV_L1_SECT_NG;
        if ((desc & HV_L1_SECT_S) && pt_in_ram(desc & ~(HV_MEM_GRANULE - 1))) {
            desc &= ~HV_L1_SECT_S;
        }
    } else if (!l1 && (desc & HV_L2_SMALL)) {
        desc |= HV_L2_NG;
        if ((desc & HV_L2_S) && pt_in_ram(desc & ~(PT_FRAME_SIZE - 1))) {
            desc &= ~HV_L2_S;
        }
    }
    return desc;
}

/* Checks every entry and takes its reference; undoes all on failure. */
/*
 * The first index from @i on whose entry is not 0, else @count. Most of a
 * table is 0 (valid, and holding no reference): eight entries are tested
 * at once where they can be, a third of the instructions of one by one
 * on the 4,096 entries of an L1, which every pin and unpin scans.
 */
static uint32_t pt_next_used(const uint32_t *table, uint32_t i, uint32_t count)
{
    while (i < count) {
        if ((i & 7u) == 0 && count - i >= 8) {
            const uint32_t *t = table + i;
            if ((t[0] | t[1] | t[2] | t[3] | t[4] | t[5] | t[6] | t[7]) == 0) {
                i += 8;
                continue;
            }
        }
        if (table[i] != 0) {
            return i;
        }
        i++;
    }
    return count;
}

static int32_t pt_take_all(const struct vm *vm, bool l1, uint32_t *table,
                           uint32_t first, uint32_t count, uint32_t table_pa)
{
    for (uint32_t i = pt_next_used(table, first, count); i < count;
         i = pt_next_used(table, i + 1, count)) {
        int32_t rc;
        struct pt_ref ref = {PT_REF_NONE, 0};
        if (l1 && pt_window_index(i)) {
            rc = table[i] == 0 ? HV_OK : -HV_EINVAL;
        } else if (l1) {
            rc = pt_check_l1(vm, table[i], &ref);
        } else {
            rc = pt_check_l2(vm, table[i], &ref);
        }
        if (rc != HV_OK) {
            while (i-- > 0) {
                pt_ref_apply(pt_ref_of(l1, table[i]), -1);
            }
            return rc;
        }
        pt_ref_apply(ref, +1);
        table[i] = pt_with_ng(l1, table[i]);
        pt_used_adjust(table_pa + i * 4, 0, table[i]);
    }
    return HV_OK;
}

/*
 * True if L2 entry @desc of @vm maps RAM that is not @vm's: only
 * pt_grant_map writes such an entry, and a grant track records it.
 */
static bool pt_is_grant_map(const struct vm *vm, uint32_t desc)
{
    uint32_t pa = desc & ~(PT_FRAME_SIZE - 1);
    return (desc & HV_L2_SMALL) && pt_in_ram(pa) &&
           !pt_owned(vm, pa, PT_FRAME_SIZE);
}

static void pt_asid_release(uint32_t l1);

/*
 * The grant mapping in @vm's L2 entry at @entry_pa goes (the entry's own
 * reference is dropped by the caller). If that freed the frame (its
 * granter had stopped), no TLB entry of @vm may keep it.
 */
static void pt_grant_unmapped(struct vm *vm, uint32_t entry_pa)
{
    struct grant_drop d;
    bool tracked = grant_track_drop(vm->id, pa_init(entry_pa), &d);
    CHECK(tracked);
    if (d.freed) {
        pt_asid_flush_vm(vm);
    }
}

/*
 * Drops the reference L2 entry @old at @entry_pa of @vm holds. A page of
 * the guest's own RAM is tested first, so that common case costs what it
 * did before grants; anything else may be a grant mapping, which
 * overwriting unmaps.
 */
static inline void pt_drop_l2(struct vm *vm, uint32_t entry_pa, uint32_t old)
{
    uint32_t pa = old & ~(PT_FRAME_SIZE - 1);

    if ((old & HV_L2_SMALL) && pt_owned(vm, pa, PT_FRAME_SIZE)) {
        if (HV_L2_GET_AP(old) == HV_AP_RW) {
            pt_ref_apply((struct pt_ref){PT_REF_PAGE_RW, pa}, -1);
        }
        return;
    }
    pt_ref_apply(pt_ref_of(false, old), -1);
    if (pt_is_grant_map(vm, old)) {
        pt_grant_unmapped(vm, entry_pa);
    }
}

/*
 * Drops the references of a table's entries, the first at @table_pa: in
 * each frame, up to the last of the entries its used count says it holds
 * (none, for most of an L1 at a process's exit).
 */
static void pt_drop_all(struct vm *vm, bool l1, uint32_t *table, uint32_t count,
                        uint32_t table_pa)
{
    for (uint32_t start = 0; start < count; start += FRAME_ENTRIES) {
        uint32_t end =
            count - start < FRAME_ENTRIES ? count : start + FRAME_ENTRIES;
        uint32_t left = FRAME_USED(*pt_frame(table_pa + start * 4));
        if (left == 0) {
            continue;
        }
        for (uint32_t i = pt_next_used(table, start, end); i < end;
             i = pt_next_used(table, i + 1, end)) {
            if (l1 && pt_window_index(i)) {
                continue;
            }
            pt_ref_apply(pt_ref_of(l1, table[i]), -1);
            if (!l1 && grant_holds_maps(vm->id) &&
                pt_is_grant_map(vm, table[i])) {
                pt_grant_unmapped(vm, table_pa + i * 4);
                table[i] = 0;
            }
            if (--left == 0) {
                break;
            }
        }
    }
}

/* A frame may become a table only if nothing maps it writable. */
static int32_t pt_frames_free(const struct vm *vm, uint32_t pa, uint32_t size)
{
    if (!pt_owned(vm, pa, size)) {
        return -HV_EPERM;
    }
    for (uint32_t off = 0; off < size; off += PT_FRAME_SIZE) {
        uint32_t f = *pt_frame(pa + off);
        if (FRAME_TYPE(f) != PT_TYPE_NONE || FRAME_WRITABLE(f) != 0 ||
            pt_section_writable[pt_section_index(pa + off)] != 0) {
            return -HV_EBUSY;
        }
    }
    return HV_OK;
}

/*
 * Cleans and invalidates [pa, pa + size) before the validator reads it,
 * so it reads what the table walker will: memory, not a stale line.
 */
static void pt_flush_frames(uint32_t pa, uint32_t size)
{
    for (uint32_t off = 0; off < size; off += PT_FRAME_SIZE) {
        arch_cache_range(ARCH_CACHE_FLUSH, pa_init(pa + off), PT_FRAME_SIZE);
    }
}

/*
 * A frame that stops being a table has no references, no used entries
 * and no ASID left: its word becomes 0.
 */
static void pt_set_type(uint32_t pa, uint32_t size, uint32_t type)
{
    for (uint32_t off = 0; off < size; off += PT_FRAME_SIZE) {
        uint32_t *f = pt_frame(pa + off);
        if (type == PT_TYPE_NONE) {
            *f = 0;
            pt_section_tables[pt_section_index(pa + off)]--;
        } else {
            *f = (*f & ~3u) | type;
            pt_section_tables[pt_section_index(pa + off)]++;
        }
    }
}

/*
 * The first @zero_bytes of the table at @a (@size bytes) are written 0,
 * the rest flushed from the caches so the validator reads what the table
 * walker will. Zeroing is cheaper than checking what the guest wrote
 * there: most of a new table is empty.
 */
static void pt_prepare(uint32_t a, uint32_t size, uint32_t *table,
                       uint32_t zero_bytes)
{
    memset(table, 0, zero_bytes);
    uint32_t flushed = zero_bytes & ~(PT_FRAME_SIZE - 1);
    pt_flush_frames(a + flushed, size - flushed);
}

int32_t pt_pin_l1(struct vm *vm, paddr_t pa, uint32_t zero_bytes)
{
    uint32_t a = (uint32_t)pa_addr(pa);
    int32_t rc;

    if (!IS_ALIGNED(a, HV_MMU_L1_SIZE) || zero_bytes > HV_MMU_L1_SIZE ||
        !IS_ALIGNED(zero_bytes, 4u)) {
        return -HV_EINVAL;
    }
    rc = pt_frames_free(vm, a, HV_MMU_L1_SIZE);
    if (rc != HV_OK) {
        return rc;
    }
    /* Typed first, so an entry that maps the table itself is caught. */
    pt_set_type(a, HV_MMU_L1_SIZE, PT_TYPE_L1);
    uint32_t *table = arch_mm_phys_ptr(pa, HV_MMU_L1_SIZE);
    pt_prepare(a, HV_MMU_L1_SIZE, table, zero_bytes);
    rc = pt_take_all(vm, true, table, zero_bytes / 4, L1_ENTRIES, a);
    if (rc != HV_OK) {
        pt_set_type(a, HV_MMU_L1_SIZE, PT_TYPE_NONE);
        return rc;
    }
    arch_mm_fill_window(table);
    arch_mm_pt_written(table, HV_MMU_L1_SIZE);
    /* Stale TLB entries may still allow writes to the new table. */
    arch_mm_tlb_flush_all();
    return HV_OK;
}

int32_t pt_pin_l2(struct vm *vm, paddr_t pa, uint32_t zero_bytes)
{
    uint32_t a = (uint32_t)pa_addr(pa);
    int32_t rc;

    if (!IS_ALIGNED(a, HV_MMU_L2_FRAME_SIZE) ||
        zero_bytes > HV_MMU_L2_FRAME_SIZE || !IS_ALIGNED(zero_bytes, 4u)) {
        return -HV_EINVAL;
    }
    rc = pt_frames_free(vm, a, HV_MMU_L2_FRAME_SIZE);
    if (rc != HV_OK) {
        return rc;
    }
    pt_set_type(a, HV_MMU_L2_FRAME_SIZE, PT_TYPE_L2);
    uint32_t *table = arch_mm_phys_ptr(pa, HV_MMU_L2_FRAME_SIZE);
    pt_prepare(a, HV_MMU_L2_FRAME_SIZE, table, zero_bytes);
    /* Entries below HV_MMU_L2_HW_OFFSET are the guest's, never checked. */
    uint32_t first = zero_bytes > HV_MMU_L2_HW_OFFSET
                         ? (zero_bytes - HV_MMU_L2_HW_OFFSET) / 4
                         : 0;
    rc = pt_take_all(vm, false, table + HV_MMU_L2_HW_OFFSET / 4, first,
                     L2_HW_ENTRIES, a + HV_MMU_L2_HW_OFFSET);
    if (rc != HV_OK) {
        pt_set_type(a, HV_MMU_L2_FRAME_SIZE, PT_TYPE_NONE);
        return rc;
    }
    /* The walker reads the hardware half alone. The guest's half below it
     * is plain guest memory, which every view maps write-back
     * (pt_check_ram_type): zeroed through the cache, as the guest would. */
    arch_mm_pt_written(table + HV_MMU_L2_HW_OFFSET / 4,
                       HV_MMU_L2_FRAME_SIZE - HV_MMU_L2_HW_OFFSET);
    arch_mm_tlb_flush_all();
    return HV_OK;
}

int32_t pt_unpin(struct vm *vm, paddr_t pa)
{
    uint32_t a = (uint32_t)pa_addr(pa);

    if (!IS_ALIGNED(a, PT_FRAME_SIZE) || !pt_owned(vm, a, PT_FRAME_SIZE)) {
        return -HV_EINVAL;
    }
    uint32_t f = *pt_frame(a);
    if (FRAME_TYPE(f) == PT_TYPE_L1) {
        if (!IS_ALIGNED(a, HV_MMU_L1_SIZE)) {
            return -HV_EINVAL;
        }
        if (pa_addr(vm->active_l1) == a) {
            return -HV_EBUSY; /* the guest is running on it */
        }
        uint32_t *table = arch_mm_phys_ptr(pa, HV_MMU_L1_SIZE);
        pt_drop_all(vm, true, table, L1_ENTRIES, a);
        /* Hand the table back without the monitor's entries in it. */
        for (uint32_t i = HV_MMU_WINDOW_BASE >> PT_SECTION_SHIFT;
             i < HV_MMU_WINDOW_END >> PT_SECTION_SHIFT; i++) {
            table[i] = 0;
        }
        pt_asid_release(a);
        pt_set_type(a, HV_MMU_L1_SIZE, PT_TYPE_NONE);
        arch_mm_tlb_flush_all();
        return HV_OK;
    }
    if (FRAME_TYPE(f) == PT_TYPE_L2) {
        if (FRAME_TYPE_REFS(f) != 0) {
            return -HV_EBUSY; /* an L1 entry still points at it */
        }
        uint32_t *table = arch_mm_phys_ptr(pa, HV_MMU_L2_FRAME_SIZE);
        pt_drop_all(vm, false, table + HV_MMU_L2_HW_OFFSET / 4, L2_HW_ENTRIES,
                    a + HV_MMU_L2_HW_OFFSET);
        pt_set_type(a, HV_MMU_L2_FRAME_SIZE, PT_TYPE_NONE);
        arch_mm_tlb_flush_all();
        return HV_OK;
    }
    return -HV_EINVAL;
}

int32_t pt_update(struct vm *vm, paddr_t entry_pa, uint32_t value)
{
    uint32_t a = (uint32_t)pa_addr(entry_pa);
    struct pt_ref ref;
    int32_t rc;

    if (!IS_ALIGNED(a, 4u) || !pt_owned(vm, a, 4)) {
        return -HV_EINVAL;
    }
    uint32_t frame = a & ~(PT_FRAME_SIZE - 1);
    uint32_t type = FRAME_TYPE(*pt_frame(frame));
    bool l1 = type == PT_TYPE_L1;

    if (type == PT_TYPE_L1) {
        /* An L1 is 16 KiB aligned: the entry index is the offset in it. */
        uint32_t index = (a & (HV_MMU_L1_SIZE - 1)) / 4;
        if (pt_window_index(index)) {
            return -HV_EPERM;
        }
        rc = pt_check_l1(vm, value, &ref);
    } else if (type == PT_TYPE_L2) {
        if (a - frame < HV_MMU_L2_HW_OFFSET) {
            /* The guest's private half: no meaning to the hardware. */
            uint32_t *p = arch_mm_phys_ptr(entry_pa, 4);
            *p = value;
            return HV_OK;
        }
        rc = pt_check_l2(vm, value, &ref);
    } else {
        return -HV_EINVAL; /* not a pinned table */
    }
    if (rc != HV_OK) {
        return rc;
    }
    uint32_t *p = arch_mm_phys_ptr(entry_pa, 4);
    uint32_t old = *p;
    value = pt_with_ng(l1, value);
    pt_ref_apply(ref, +1);
    if (l1) {
        pt_ref_apply(pt_ref_of(true, old), -1);
    } else {
        pt_drop_l2(vm, a, old);
    }
    pt_used_adjust(a, old, value);
    *p = value;
    arch_mm_pt_written(p, 4);
    return HV_OK;
}

bool pt_is_l1(const struct vm *vm, paddr_t pa)
{
    uint32_t a = (uint32_t)pa_addr(pa);
    return IS_ALIGNED(a, HV_MMU_L1_SIZE) && pt_owned(vm, a, HV_MMU_L1_SIZE) &&
           FRAME_TYPE(*pt_frame(a)) == PT_TYPE_L1;
}

void pt_release_vm(struct vm *vm)
{
    uint32_t base = (uint32_t)pa_addr(vm->mem_pa);

    if (base < pt_base) {
        return;
    }
    for (uint32_t asid = 1; asid < PT_ASIDS; asid++) {
        if (pt_asid_owner[asid] != 0 &&
            pt_owned(vm, pt_asid_owner[asid], HV_MMU_L1_SIZE)) {
            pt_asid_release(pt_asid_owner[asid]);
        }
    }
    /* As a grantee: its mappings of others' frames go (its TLB entries
     * went with its ASIDs above). */
    struct grant_drop d;
    while (grant_track_pop(vm->id, &d)) {
        if (d.writable) {
            pt_ref_apply((struct pt_ref){PT_REF_PAGE_RW, d.frame}, -1);
        }
    }
    for (uint32_t off = 0; off < vm->mem_size; off += PT_FRAME_SIZE) {
        *pt_frame(base + off) = 0;
    }
    for (uint32_t off = 0; off < vm->mem_size; off += HV_MEM_GRANULE) {
        pt_section_writable[pt_section_index(base + off)] = 0;
        pt_section_tables[pt_section_index(base + off)] = 0;
    }
    /* As a granter: frames others still map writable keep that count
     * (vm_release keeps their granules allocated). */
    for (uint32_t g = 1; g <= HV_MAX_VMS; g++) {
        for (uint32_t i = 0; i < HV_GRANT_MAPS; i++) {
            const struct grant_track *t = grant_track_at(g, i);
            if (t->pte != 0 && t->granter == vm->id && t->writable) {
                pt_ref_apply(
                    (struct pt_ref){PT_REF_PAGE_RW,
                                    grant_entry_at(vm->id, t->ref)->frame},
                    +1);
            }
        }
    }
    if (grant_release_granter(vm->id)) {
        arch_mm_tlb_flush_all(); /* a peer's stale entry of a freed frame */
    }
}

int32_t pt_grant_map(struct vm *vm, uint32_t granter, uint32_t ref,
                     paddr_t entry_pa, uint32_t attrs)
{
    uint32_t a = (uint32_t)pa_addr(entry_pa);
    uint32_t frame = a & ~(PT_FRAME_SIZE - 1);
    paddr_t target;

    if (!IS_ALIGNED(a, 4u) || !pt_owned(vm, a, 4) ||
        FRAME_TYPE(*pt_frame(frame)) != PT_TYPE_L2 ||
        a - frame < HV_MMU_L2_HW_OFFSET) {
        return -HV_EINVAL;
    }
    if ((attrs & ~(PT_FRAME_SIZE - 1)) != 0 || !(attrs & HV_L2_SMALL) ||
        pt_check_ram_type(pt_l2_tex_c_b(attrs)) != HV_OK) {
        return -HV_EINVAL;
    }
    bool writable = HV_L2_GET_AP(attrs) == HV_AP_RW;
    int32_t rc = grant_find(vm->id, granter, ref, writable, &target);
    if (rc != HV_OK) {
        return rc;
    }
    uint32_t t = (uint32_t)pa_addr(target);
    uint32_t f = *pt_frame(t);
    uint32_t *p = arch_mm_phys_ptr(entry_pa, 4);
    if (FRAME_TYPE(f) == PT_TYPE_L1 || FRAME_TYPE(f) == PT_TYPE_L2 ||
        L2_TYPE(*p) != HV_L2_TYPE_FAULT) {
        return -HV_EBUSY;
    }
    if (writable && FRAME_WRITABLE(f) == FRAME_MAX_WRITABLE) {
        return -HV_ENOMEM;
    }
    rc = grant_track_add(vm->id, granter, ref, entry_pa, writable);
    if (rc != HV_OK) {
        return rc;
    }
    uint32_t desc = pt_with_ng(false, t | attrs);
    pt_ref_apply(pt_ref_of(false, desc), +1);
    pt_used_adjust(a, *p, desc);
    *p = desc;
    arch_mm_pt_written(p, 4);
    return HV_OK;
}

int32_t pt_grant_unmap(struct vm *vm, paddr_t entry_pa)
{
    uint32_t a = (uint32_t)pa_addr(entry_pa);
    uint32_t frame = a & ~(PT_FRAME_SIZE - 1);

    if (!IS_ALIGNED(a, 4u) || !pt_owned(vm, a, 4) ||
        FRAME_TYPE(*pt_frame(frame)) != PT_TYPE_L2 ||
        a - frame < HV_MMU_L2_HW_OFFSET ||
        !grant_track_exists(vm->id, entry_pa)) {
        return -HV_EINVAL;
    }
    uint32_t *p = arch_mm_phys_ptr(entry_pa, 4);
    CHECK(pt_is_grant_map(vm, *p));
    pt_ref_apply(pt_ref_of(false, *p), -1);
    pt_grant_unmapped(vm, a);
    pt_used_adjust(a, *p, 0);
    *p = 0;
    arch_mm_pt_written(p, 4);
    return HV_OK;
}

bool pt_frame_counts(paddr_t pa, struct pt_frame_counts *out)
{
    uint32_t a = (uint32_t)pa_addr(pa);
    if (a < pt_base || (a - pt_base) >> PT_FRAME_SHIFT >= pt_frames_count) {
        return false;
    }
    uint32_t f = *pt_frame(a);
    bool table = FRAME_TYPE(f) == PT_TYPE_L1 || FRAME_TYPE(f) == PT_TYPE_L2;
    out->type = FRAME_TYPE(f);
    out->type_refs = FRAME_TYPE_REFS(f);
    out->writable_refs = table ? 0 : FRAME_WRITABLE(f);
    out->used_entries = table ? FRAME_USED(f) : 0;
    return true;
}

uint32_t pt_section_writable_refs(paddr_t pa)
{
    return pt_section_writable[pt_section_index((uint32_t)pa_addr(pa))];
}

/* PL0 access rights of an AP[2:0] value. */
static bool pt_ap_allows(uint32_t ap, bool write)
{
    if (write) {
        return ap == HV_AP_RW;
    }
    return ap == HV_AP_PL0_RO || ap == HV_AP_RW || ap == HV_AP_RO_V6 ||
           ap == HV_AP_RO;
}

int32_t pt_translate(const struct vm *vm, uint32_t va, bool write, paddr_t *pa)
{
    uint32_t index = va >> PT_SECTION_SHIFT;
    uint32_t l1 = (uint32_t)pa_addr(vm->active_l1);

    if (l1 == 0 || pt_window_index(index)) {
        return -HV_EFAULT;
    }
    /* The CPU answers for the guest whose view it has loaded: the same
     * tables, domains and PL0 permissions this walk checks (the tables
     * validated, the TLB maintained as the guest itself relies on), in
     * a few instructions instead of two mapped reads and the decoding. */
    int32_t rc = arch_mm_translate_user(vm, va, write, pa);
    if (rc != -HV_ENOSYS) {
        /* Never device memory: the monitor reads it as normal memory. */
        return rc == HV_OK && pt_in_ram((uint32_t)pa_addr(*pa)) ? HV_OK
                                                                : -HV_EFAULT;
    }
    uint32_t desc = *(uint32_t *)arch_mm_phys_ptr(pa_init(l1 + index * 4), 4);
    if (vm->mode == VM_MODE_USER &&
        HV_L1_GET_DOMAIN(desc) == HV_MMU_DOMAIN_KERNEL) {
        return -HV_EFAULT; /* that domain is off in virtual user mode */
    }
    if (L1_TYPE(desc) == HV_L1_TYPE_SECTION) {
        if (!pt_ap_allows(HV_L1_SECT_GET_AP(desc), write)) {
            return -HV_EFAULT;
        }
        *pa = pa_init((desc & ~(HV_MEM_GRANULE - 1)) |
                      (va & (HV_MEM_GRANULE - 1)));
        /* Never device memory: the monitor reads it as normal memory. */
        return pt_in_ram((uint32_t)pa_addr(*pa)) ? HV_OK : -HV_EFAULT;
    }
    if (L1_TYPE(desc) != HV_L1_TYPE_TABLE) {
        return -HV_EFAULT;
    }
    uint32_t entry =
        (desc & HV_L1_TABLE_ADDR_MASK) + ((va >> PT_FRAME_SHIFT) & 0xffu) * 4;
    uint32_t pte = *(uint32_t *)arch_mm_phys_ptr(pa_init(entry), 4);
    if (!(pte & HV_L2_SMALL) || !pt_ap_allows(HV_L2_GET_AP(pte), write)) {
        return -HV_EFAULT;
    }
    *pa = pa_init((pte & ~(PT_FRAME_SIZE - 1)) | (va & (PT_FRAME_SIZE - 1)));
    return pt_in_ram((uint32_t)pa_addr(*pa)) ? HV_OK : -HV_EFAULT;
}

/* Small page, normal write-back memory, not global. */
#define PT_PAGE_NORMAL                                                         \
    (HV_L2_SMALL | HV_L2_TEXCB(HV_TEXCB_NORMAL_WBWA) | HV_L2_NG)
#define PT_PAGE_AP_RW HV_L2_AP(HV_AP_RW)
#define PT_PAGE_AP_RO HV_L2_AP(HV_AP_PL0_RO)

uint32_t pt_initial_tables_offset(uint32_t mem_size)
{
    uint32_t l2_count = (mem_size + 0x1fffffu) / 0x200000u;
    uint32_t below = PT_FRAME_SIZE + l2_count * PT_FRAME_SIZE + HV_MMU_L1_SIZE;
    if (mem_size < below) {
        return 0;
    }
    return (mem_size - below) & ~(HV_MMU_L1_SIZE - 1);
}

int32_t pt_build_initial(struct vm *vm, struct pt_initial *out)
{
    uint32_t base = (uint32_t)pa_addr(vm->mem_pa);
    uint32_t top = base + vm->mem_size - PT_FRAME_SIZE; /* start info */
    uint32_t l2_count = (vm->mem_size + 0x1fffffu) / 0x200000u;
    uint32_t l2_first = top - l2_count * PT_FRAME_SIZE;
    uint32_t l1 = base + pt_initial_tables_offset(vm->mem_size);
    uint32_t gva = gva_addr(vm->mem_gva);
    int32_t rc;

    if (l1 < base + vm->image_offset + vm->image_size || l1 < base) {
        return -HV_ENOMEM;
    }
    for (uint32_t f = 0; f < l2_count; f++) {
        uint32_t *l2 = arch_mm_phys_ptr(pa_init(l2_first + f * PT_FRAME_SIZE),
                                        PT_FRAME_SIZE);
        memset(l2, 0, PT_FRAME_SIZE);
        for (uint32_t i = 0; i < L2_HW_ENTRIES; i++) {
            uint32_t off = (f * L2_HW_ENTRIES + i) * PT_FRAME_SIZE;
            if (off >= vm->mem_size) {
                break;
            }
            uint32_t pa = base + off;
            bool table = pa >= l1 && pa < top;
            l2[HV_MMU_L2_HW_OFFSET / 4 + i] =
                pa | PT_PAGE_NORMAL | (table ? PT_PAGE_AP_RO : PT_PAGE_AP_RW);
        }
        rc = pt_pin_l2(vm, pa_init(l2_first + f * PT_FRAME_SIZE), 0);
        if (rc != HV_OK) {
            return rc;
        }
    }
    uint32_t *table = arch_mm_phys_ptr(pa_init(l1), HV_MMU_L1_SIZE);
    memset(table, 0, HV_MMU_L1_SIZE);
    for (uint32_t mb = 0; mb < vm->mem_size >> PT_SECTION_SHIFT; mb++) {
        uint32_t l2 = l2_first + (mb / 2) * PT_FRAME_SIZE +
                      HV_MMU_L2_HW_OFFSET + (mb % 2) * 1024u;
        table[(gva >> PT_SECTION_SHIFT) + mb] =
            l2 | HV_L1_TYPE_TABLE | HV_L1_DOMAIN(HV_MMU_DOMAIN_KERNEL);
    }
    rc = pt_pin_l1(vm, pa_init(l1), 0);
    if (rc != HV_OK) {
        return rc;
    }
    vm->active_l1 = pa_init(l1);
    out->l1 = l1;
    out->l2_first = l2_first;
    out->l2_count = l2_count;
    return HV_OK;
}

int32_t pt_set_shared(struct vm *vm, paddr_t pa)
{
    uint32_t a = (uint32_t)pa_addr(pa);

    if (!IS_ALIGNED(a, PT_FRAME_SIZE)) {
        return -HV_EINVAL;
    }
    if (!pt_owned(vm, a, PT_FRAME_SIZE)) {
        return -HV_EPERM;
    }
    uint32_t *f = pt_frame(a);
    if (FRAME_TYPE(*f) == PT_TYPE_L1 || FRAME_TYPE(*f) == PT_TYPE_L2) {
        return -HV_EBUSY;
    }
    *f = (*f & ~3u) | PT_TYPE_SHARED;
    return HV_OK;
}

void pt_clear_shared(struct vm *vm, paddr_t pa)
{
    uint32_t a = (uint32_t)pa_addr(pa);
    if (pt_owned(vm, a, PT_FRAME_SIZE)) {
        uint32_t *f = pt_frame(a);
        *f &= ~3u;
    }
}

uint32_t pt_asid_of(paddr_t l1)
{
    uint32_t a = (uint32_t)pa_addr(l1);
    uint32_t *f = pt_frame(a);
    uint32_t asid = FRAME_TYPE_REFS(*f) & 0xffu;

    if (asid != 0 && pt_asid_owner[asid] == a) {
        return asid;
    }
    for (uint32_t n = 0; n < PT_ASIDS - 1; n++) {
        uint32_t candidate = pt_asid_next;
        pt_asid_next = pt_asid_next % (PT_ASIDS - 1) + 1;
        if (pt_asid_owner[candidate] == 0) {
            asid = candidate;
            break;
        }
        asid = 0;
    }
    if (asid == 0) {
        /* Rollover: every L1 loses its ASID and gets a new one on use. */
        memset(pt_asid_owner, 0, sizeof(pt_asid_owner));
        arch_mm_tlb_flush_all();
        asid = pt_asid_next;
        pt_asid_next = pt_asid_next % (PT_ASIDS - 1) + 1;
    }
    pt_asid_owner[asid] = a;
    *f = (*f & ~(0xffu << 2)) | (asid << 2);
    return asid;
}

void pt_asid_flush_vm(const struct vm *vm)
{
    for (uint32_t asid = 1; asid < PT_ASIDS; asid++) {
        if (pt_asid_owner[asid] != 0 &&
            pt_owned(vm, pt_asid_owner[asid], HV_MMU_L1_SIZE)) {
            arch_mm_tlb_flush_asid(asid);
        }
    }
}

uint32_t pt_asid_live(const struct vm *vm, paddr_t l1)
{
    uint32_t a = (uint32_t)pa_addr(l1);
    if (!pt_is_l1(vm, l1)) {
        return 0;
    }
    uint32_t asid = FRAME_TYPE_REFS(*pt_frame(a)) & 0xffu;
    return asid != 0 && pt_asid_owner[asid] == a ? asid : 0;
}

/*
 * Forgets @l1's ASID (it is unpinned or its guest is gone). An L1 owns at
 * most one ASID, the one its first frame remembers (pt_asid_of).
 */
static void pt_asid_release(uint32_t l1)
{
    uint32_t asid = FRAME_TYPE_REFS(*pt_frame(l1)) & 0xffu;
    if (asid != 0 && pt_asid_owner[asid] == l1) {
        pt_asid_owner[asid] = 0;
        arch_mm_tlb_flush_asid(asid);
    }
}

void pt_selfcheck_view(struct pt_view *out)
{
    out->base = pt_base;
    out->frames = pt_frames_count;
    out->frame_words = pt_frames;
    out->section_tables = pt_section_tables;
    out->asid_owner = pt_asid_owner;
    out->asids = PT_ASIDS;
}
