/* SPDX-License-Identifier: MIT */
/*
 * The page-table oracle (pt_oracle.h). Its state, per 4 KiB frame of the
 * span it covers: the type pt.c gave the frame when last checked, a copy
 * of the frame's contents if it was a table then (the snapshot), and the
 * reference counts the pinned tables imply. Recounting an entry means
 * taking the old value's references out (from the snapshot) and the new
 * value's in (from memory, checking it on the way).
 */
#include "pt_oracle.h"

#include <arch/fake.h>
#include <hvabi/mmu.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hv/clock.h"
#include "hv/grant.h"
#include "hv/pt.h"

#define PO_FRAME 4096u
#define PO_FRAME_WORDS 1024u
#define PO_BLOCK 16384u /* an L1 table; touches are kept per block */
#define PO_BLOCK_WORDS 4096u
#define PO_SECTION 0x100000u
#define PO_MAX_TOUCH 64u

#define PO_TYPE_L1 1u
#define PO_TYPE_L2 2u

#define L2_FIRST (HV_MMU_L2_HW_OFFSET / 4u) /* word of the hardware half */

/*
 * Descriptor bits are literals here on purpose, not <hvabi/ptdesc.h>'s
 * names: the oracle is an independent reading of the architecture, so a
 * wrong bit in the header pt.c uses shows up as a disagreement.
 */

struct po_touch {
    uint32_t block; /* index in the span */
    uint32_t lo;    /* words [lo, hi) of the block */
    uint32_t hi;
};

static struct {
    struct vm *vms[HV_MAX_VMS];
    unsigned int vm_count;
    bool asids;
    uint32_t base; /* the span covered */
    uint32_t frames;
    uint32_t *mem; /* its host view */
    uint8_t *type;
    uint32_t *shadow; /* frames * PO_FRAME_WORDS */
    uint32_t *want_l2;
    uint32_t *want_rw;
    uint32_t *want_sec;
    uint32_t *sec_tables; /* frames of each section typed L1 or L2 */
    uint8_t *check;       /* frame marks for the next comparison */
    uint32_t *check_list;
    uint32_t check_count;
    uint8_t *sec_check;
    uint32_t *sec_list;
    uint32_t sec_count;
    struct po_touch touch[PO_MAX_TOUCH];
    unsigned int touch_count;
    bool touch_all;
    struct pt_frame_counts *counts; /* pt_oracle_full's reading */
    uint32_t counts_size;
    bool empty;   /* as of the last pt_oracle_full */
    bool recount; /* PT_ORACLE_RECOUNT: check the oracle itself */
    uint32_t *saved_l2;
    uint32_t *saved_rw;
} po;

static noreturn void po_fail(const char *what, uint32_t pa, uint32_t want,
                             uint32_t got)
{
    fprintf(stderr, "pt oracle: %s at 0x%08x: want 0x%x, got 0x%x\n", what,
            (unsigned)pa, (unsigned)want, (unsigned)got);
    abort();
}

static uint32_t po_pa(uint32_t frame)
{
    return po.base + frame * PO_FRAME;
}

static bool po_covered(uint32_t pa)
{
    return pa - po.base < po.frames * PO_FRAME;
}

/* The guest whose memory @pa is (stopped or not), or NULL. */
static const struct vm *po_vm_of(uint32_t pa)
{
    for (unsigned int i = 0; i < po.vm_count; i++) {
        const struct vm *vm = po.vms[i];
        if (pa - (uint32_t)pa_addr(vm->mem_pa) < vm->mem_size) {
            return vm;
        }
    }
    return NULL;
}

static void po_mark_frame(uint32_t f)
{
    if (!po.check[f]) {
        po.check[f] = 1;
        po.check_list[po.check_count++] = f;
    }
}

static void po_mark_section(uint32_t s)
{
    if (!po.sec_check[s]) {
        po.sec_check[s] = 1;
        po.sec_list[po.sec_count++] = s;
    }
}

static bool po_window(uint32_t index)
{
    uint32_t va = index << 20;
    return va >= HV_MMU_WINDOW_BASE && va < HV_MMU_WINDOW_END;
}

/* Memory outside every guest: only a device region of @vm's, or the clock
 * page read-only, as Device or Strongly-ordered memory, never executable. */
static bool po_device_ok(const struct vm *vm, uint32_t pa, uint32_t size,
                         uint32_t tex_c_b, bool xn, bool writable)
{
    uint32_t clock = (uint32_t)pa_addr(clock_guest_page());
    bool inside = clock != 0 && pa == clock && size == PO_FRAME && !writable;

    for (uint32_t i = 0; i < vm->device_count; i++) {
        const struct vm_device *d = &vm->devices[i];
        inside |= pa - d->pa < d->size && size <= d->size - (pa - d->pa);
    }
    return inside && (tex_c_b == 0 || tex_c_b == 1 || tex_c_b == 8) && xn;
}

static void po_check_domain(uint32_t d, uint32_t entry_pa)
{
    uint32_t domain = (d >> 5) & 0xfu;
    if (domain != HV_MMU_DOMAIN_KERNEL && domain != HV_MMU_DOMAIN_USER) {
        po_fail("L1 entry in a domain not the guest's", entry_pa,
                HV_MMU_DOMAIN_KERNEL, domain);
    }
}

/*
 * Entry @index (of an L1 table, or word index in an L2 frame) at
 * @entry_pa of a table of @owner, value @d: its references are added
 * (@sign +1, after checking it) or taken out (-1, checked before).
 */
/*
 * True if @owner's L2 entry at @entry_pa may map @target: a grant
 * mapping (HV_OP_GRANT_MAP), tracked, of a grant of that frame.
 */
static bool po_grant_map(const struct vm *owner, uint32_t entry_pa,
                         uint32_t target)
{
    for (uint32_t i = 0; owner && i < HV_GRANT_MAPS; i++) {
        const struct grant_track *t = grant_track_at(owner->id, i);
        if (t->pte == entry_pa) {
            const struct grant_entry *e = grant_entry_at(t->granter, t->ref);
            return e && e->frame == target && e->peer == owner->id;
        }
    }
    return false;
}

static void po_entry(const struct vm *owner, bool l1, uint32_t index,
                     uint32_t entry_pa, uint32_t d, int sign)
{
    bool check = sign > 0;
    uint32_t target;
    uint32_t size;
    uint32_t tex_c_b;
    bool xn;
    bool writable;

    if (l1 && po_window(index)) {
        if (check && d != FAKE_WINDOW_L1(index)) {
            po_fail("monitor window entry is not the monitor's", entry_pa,
                    FAKE_WINDOW_L1(index), d);
        }
        return;
    }
    if (l1) {
        switch (d & 3u) {
        case 0:
            return;
        case 1:
            target = d & ~(PO_FRAME - 1);
            if (check) {
                if (d & ((1u << 2) | (1u << 3) | (1u << 4) | (1u << 9))) {
                    po_fail("L1 table entry with should-be-zero bits set",
                            entry_pa, 0, d);
                }
                po_check_domain(d, entry_pa);
                if (po_vm_of(target) != owner) {
                    po_fail("L1 entry points at memory not its guest's",
                            entry_pa, 0, d);
                }
                if ((d & 0xc00u) < HV_MMU_L2_HW_OFFSET) {
                    po_fail("L1 entry points below the hardware half of an L2",
                            entry_pa, 0, d);
                }
            }
            if (po_vm_of(target)) {
                uint32_t f = (target - po.base) / PO_FRAME;
                po.want_l2[f] += (uint32_t)sign;
                po_mark_frame(f);
            }
            return;
        case 2:
            if (check) {
                if (d & ((1u << 18) | (1u << 19) | (1u << 9))) {
                    po_fail("section entry with supersection, NS or SBZ bits",
                            entry_pa, 0, d);
                }
                po_check_domain(d, entry_pa);
                if (!(d & (1u << 17))) {
                    po_fail("global (not nG) section entry", entry_pa, 0, d);
                }
            }
            target = d & ~(PO_SECTION - 1);
            size = PO_SECTION;
            tex_c_b = ((d >> 12) & 7u) << 2 | ((d >> 2) & 3u);
            xn = (d & (1u << 4)) != 0;
            writable = (((d >> 10) & 3u) | ((d >> 13) & 4u)) == 3u;
            break;
        default:
            if (check) {
                po_fail("invalid L1 entry kept", entry_pa, 0, d);
            }
            return;
        }
    } else {
        switch (d & 3u) {
        case 0:
            return;
        case 1:
            if (check) {
                po_fail("large-page L2 entry kept", entry_pa, 0, d);
            }
            return;
        default:
            if (check && !(d & (1u << 11))) {
                po_fail("global (not nG) page entry", entry_pa, 0, d);
            }
            target = d & ~(PO_FRAME - 1);
            size = PO_FRAME;
            tex_c_b = ((d >> 6) & 7u) << 2 | ((d >> 2) & 3u);
            xn = (d & 1u) != 0;
            writable = (((d >> 4) & 3u) | ((d >> 7) & 4u)) == 3u;
            break;
        }
    }
    const struct vm *tvm = po_vm_of(target);
    if (!tvm && !po_covered(target)) {
        if (check &&
            !po_device_ok(owner, target, size, tex_c_b, xn, writable)) {
            po_fail("maps memory outside its guest that is no device region "
                    "of its own (or not as device memory)",
                    entry_pa, 0, d);
        }
        return;
    }
    if (check && tvm != owner &&
        (l1 || !po_grant_map(owner, entry_pa, target))) {
        po_fail("maps memory of another guest, or of none", entry_pa, 0, d);
    }
    /* A page of RAM of another guest, or of a stopped one, is a grant
     * mapping (checked when added): its writable count is the frame's. */
    if (!writable || (!tvm && l1)) {
        return;
    }
    if (l1) {
        uint32_t s = (target - po.base) / PO_SECTION;
        po.want_sec[s] += (uint32_t)sign;
        po_mark_section(s);
    } else {
        uint32_t f = (target - po.base) / PO_FRAME;
        po.want_rw[f] += (uint32_t)sign;
        po_mark_frame(f);
    }
}

/* Every entry of the table at frame @f whose contents are @words. */
static void po_table(bool l1, uint32_t f, const uint32_t *words, int sign)
{
    uint32_t pa = po_pa(f);
    const struct vm *owner = po_vm_of(pa);
    uint32_t first = l1 ? 0 : L2_FIRST;
    uint32_t end = l1 ? PO_BLOCK_WORDS : PO_FRAME_WORDS;

    /* The hot loop of the oracle: skip zero words without asking about
     * the window; the window's entries are visited whatever they hold. */
    for (uint32_t i = first; i < end; i++) {
        if (words[i] != 0 && !(l1 && po_window(i))) {
            po_entry(owner, l1, i, pa + i * 4u, words[i], sign);
        }
    }
    if (l1) {
        for (uint32_t i = HV_MMU_WINDOW_BASE >> 20; i < HV_MMU_WINDOW_END >> 20;
             i++) {
            po_entry(owner, l1, i, pa + i * 4u, words[i], sign);
        }
    }
}

/* Words [lo, hi) of the block at frame @f0, a table of the same type
 * before and after: only entries whose value changed are recounted. */
static void po_diff(bool l1, uint32_t f0, uint32_t lo, uint32_t hi)
{
    uint32_t *sh = po.shadow + f0 * PO_FRAME_WORDS;
    const uint32_t *mem = po.mem + f0 * PO_FRAME_WORDS;
    uint32_t pa = po_pa(f0);
    const struct vm *owner = po_vm_of(pa);

    for (uint32_t i = lo; i < hi; i++) {
        if (sh[i] == mem[i]) {
            continue;
        }
        uint32_t index = l1 ? i : i % PO_FRAME_WORDS;
        po_entry(owner, l1, index, pa + i * 4u, sh[i], -1);
        sh[i] = mem[i];
        po_entry(owner, l1, index, pa + i * 4u, sh[i], +1);
    }
}

static void po_read_counts(uint32_t f, struct pt_frame_counts *c)
{
    if (!pt_frame_counts(pa_init(po_pa(f)), c)) {
        *c = (struct pt_frame_counts){0, 0, 0};
    }
}

static bool po_is_table(uint32_t type)
{
    return type == PO_TYPE_L1 || type == PO_TYPE_L2;
}

static uint32_t po_read_type(uint32_t f)
{
    struct pt_frame_counts c;
    po_read_counts(f, &c);
    return c.type;
}

static void po_set_type(uint32_t f, uint32_t type)
{
    uint32_t s = f / (PO_SECTION / PO_FRAME);
    po.sec_tables[s] -= po_is_table(po.type[f]);
    po.type[f] = (uint8_t)type;
    po.sec_tables[s] += po_is_table(type);
}

/*
 * The frames and sections entries in words [lo, hi) of the block at frame
 * @f0 would reference, as L1 or as L2 entries: a pin that failed half-way
 * must have given back exactly what it took, so their counts are compared
 * even though they are expected not to move.
 */
static void po_mark_targets(uint32_t f0, uint32_t lo, uint32_t hi)
{
    const uint32_t *mem = po.mem + f0 * PO_FRAME_WORDS;

    for (uint32_t i = lo; i < hi; i++) {
        uint32_t d = mem[i];
        if (d == 0) {
            continue;
        }
        uint32_t page = d & ~(PO_FRAME - 1);
        if ((d & 3u) == 2u && po_covered(d)) {
            po_mark_section((d - po.base) / PO_SECTION);
        }
        if ((d & 3u) != 0 && po_covered(page)) {
            po_mark_frame((page - po.base) / PO_FRAME);
        }
    }
}

/* Recounts words [lo, hi) of block @b, and whatever changed type in it. */
static void po_block(uint32_t b, uint32_t lo, uint32_t hi)
{
    uint32_t f0 = b * (PO_BLOCK / PO_FRAME);
    uint32_t nt[4];
    uint32_t *sh = po.shadow + f0 * PO_FRAME_WORDS;
    const uint32_t *mem = po.mem + f0 * PO_FRAME_WORDS;

    for (uint32_t k = 0; k < 4; k++) {
        nt[k] = po_read_type(f0 + k);
    }
    /* Out with what stops being a table (from the snapshot)... */
    bool ol1 = po.type[f0] == PO_TYPE_L1;
    bool nl1 = nt[0] == PO_TYPE_L1;
    if (ol1 && !nl1) {
        po_table(true, f0, sh, -1);
    }
    for (uint32_t k = 0; k < 4; k++) {
        if (po.type[f0 + k] == PO_TYPE_L2 && nt[k] != PO_TYPE_L2) {
            po_table(false, f0 + k, sh + k * PO_FRAME_WORDS, -1);
        }
    }
    /* ... then the entries that changed in tables that stay... */
    if (ol1 && nl1) {
        po_diff(true, f0, lo, hi);
    }
    for (uint32_t k = 0; k < 4; k++) {
        uint32_t flo = k * PO_FRAME_WORDS + L2_FIRST;
        uint32_t fhi = (k + 1) * PO_FRAME_WORDS;
        flo = flo > lo ? flo : lo;
        fhi = fhi < hi ? fhi : hi;
        if (po.type[f0 + k] == PO_TYPE_L2 && nt[k] == PO_TYPE_L2 && flo < fhi) {
            po_diff(false, f0, flo, fhi);
        }
    }
    /* ... and in with what becomes one (from memory, checked). */
    if (!ol1 && nl1) {
        memcpy(sh, mem, PO_BLOCK);
        po_table(true, f0, sh, +1);
    }
    for (uint32_t k = 0; k < 4; k++) {
        uint32_t *ksh = sh + k * PO_FRAME_WORDS;
        if (po.type[f0 + k] != PO_TYPE_L2 && nt[k] == PO_TYPE_L2) {
            memcpy(ksh + L2_FIRST, mem + k * PO_FRAME_WORDS + L2_FIRST,
                   HV_MMU_L2_HW_SIZE);
            po_table(false, f0 + k, ksh, +1);
        }
    }
    /* A pin of free frames that failed must have taken nothing (a pin of
     * frames in use must not even have looked: the full check sees to
     * that). */
    bool failed_pin = hi - lo >= PO_FRAME_WORDS &&
                      po.want_sec[f0 / (PO_SECTION / PO_FRAME)] == 0;
    for (uint32_t k = 0; k < 4; k++) {
        bool in_range =
            k * PO_FRAME_WORDS < hi && lo < (k + 1) * PO_FRAME_WORDS;
        failed_pin &= !po_is_table(nt[k]) && !po_is_table(po.type[f0 + k]) &&
                      (!in_range || po.want_rw[f0 + k] == 0);
        po_set_type(f0 + k, nt[k]);
        po_mark_frame(f0 + k);
    }
    if (failed_pin) {
        po_mark_targets(f0, lo, hi);
    }
    po_mark_section(f0 / (PO_SECTION / PO_FRAME));
}

static void po_verify_counts(uint32_t f, const struct pt_frame_counts *c)
{
    uint32_t pa = po_pa(f);

    if (c->type != po.type[f]) {
        po_fail("frame type changed where no operation was said to change it",
                pa, po.type[f], c->type);
    }
    uint32_t refs = c->type_refs;
    if (po.asids && c->type == PO_TYPE_L1 && (pa & (PO_BLOCK - 1)) == 0) {
        refs &= ~0xffu; /* the L1's ASID */
    }
    if (refs != po.want_l2[f]) {
        po_fail("L2 reference count", pa, po.want_l2[f], c->type_refs);
    }
    if (c->writable_refs != po.want_rw[f]) {
        po_fail("writable reference count", pa, po.want_rw[f],
                c->writable_refs);
    }
    if (po.want_l2[f] != 0 && c->type != PO_TYPE_L2) {
        po_fail("an L1 entry points at a frame that is not a pinned L2", pa,
                PO_TYPE_L2, c->type);
    }
    if (po.want_rw[f] != 0 && po_is_table(c->type)) {
        po_fail("a page-table frame is mapped writable", pa, 0, po.want_rw[f]);
    }
}

static void po_verify_frame(uint32_t f)
{
    struct pt_frame_counts c;
    po_read_counts(f, &c);
    po_verify_counts(f, &c);
}

static void po_verify_section(uint32_t s)
{
    uint32_t pa = po.base + s * PO_SECTION;
    uint32_t got = pt_section_writable_refs(pa_init(pa));

    if (got != po.want_sec[s]) {
        po_fail("section writable count", pa, po.want_sec[s], got);
    }
    if (po.want_sec[s] != 0 && po.sec_tables[s] != 0) {
        po_fail("a writable section maps page-table frames", pa, 0,
                po.sec_tables[s]);
    }
}

static void po_verify_marked(void)
{
    for (uint32_t i = 0; i < po.check_count; i++) {
        po_verify_frame(po.check_list[i]);
        po.check[po.check_list[i]] = 0;
    }
    for (uint32_t i = 0; i < po.sec_count; i++) {
        po_verify_section(po.sec_list[i]);
        po.sec_check[po.sec_list[i]] = 0;
    }
    po.check_count = 0;
    po.sec_count = 0;
    po.touch_count = 0;
    po.touch_all = false;
}

static void *po_alloc(size_t size)
{
    void *p = calloc(1, size);
    if (!p) {
        fprintf(stderr, "pt oracle: out of memory\n");
        abort();
    }
    return p;
}

void pt_oracle_reset(struct vm *const *vms, unsigned int count, bool asids)
{
    uint32_t lo = UINT32_MAX;
    uint32_t hi = 0;

    if (count == 0 || count > HV_MAX_VMS) {
        fprintf(stderr, "pt oracle: %u guests\n", count);
        abort();
    }
    po.vm_count = count;
    po.asids = asids;
    po.recount = getenv("PT_ORACLE_RECOUNT") != NULL;
    for (unsigned int i = 0; i < count; i++) {
        uint32_t base = (uint32_t)pa_addr(vms[i]->mem_pa);
        po.vms[i] = vms[i];
        lo = base < lo ? base : lo;
        hi = base + vms[i]->mem_size > hi ? base + vms[i]->mem_size : hi;
    }
    lo &= ~(PO_SECTION - 1);
    hi = (hi + PO_SECTION - 1) & ~(PO_SECTION - 1);
    uint32_t frames = (hi - lo) / PO_FRAME;
    if (frames != po.frames) {
        free(po.type);
        free(po.shadow);
        free(po.want_l2);
        free(po.want_rw);
        free(po.want_sec);
        free(po.sec_tables);
        free(po.check);
        free(po.check_list);
        free(po.sec_check);
        free(po.sec_list);
        uint32_t sections = frames / (PO_SECTION / PO_FRAME);
        po.type = po_alloc(frames);
        po.shadow = po_alloc((size_t)frames * PO_FRAME);
        po.want_l2 = po_alloc(frames * sizeof(uint32_t));
        po.want_rw = po_alloc(frames * sizeof(uint32_t));
        free(po.saved_l2);
        free(po.saved_rw);
        po.saved_l2 = po_alloc(frames * sizeof(uint32_t));
        po.saved_rw = po_alloc(frames * sizeof(uint32_t));
        po.want_sec = po_alloc(sections * sizeof(uint32_t));
        po.sec_tables = po_alloc(sections * sizeof(uint32_t));
        po.check = po_alloc(frames);
        po.check_list = po_alloc(frames * sizeof(uint32_t));
        po.sec_check = po_alloc(sections);
        po.sec_list = po_alloc(sections * sizeof(uint32_t));
        po.frames = frames;
    }
    po.base = lo;
    po.mem = fake_phys(pa_init(lo));
    if (!po.mem || !fake_phys(pa_init(hi - 1))) {
        fprintf(stderr, "pt oracle: guests outside fake RAM\n");
        abort();
    }
    uint32_t sections = frames / (PO_SECTION / PO_FRAME);
    memset(po.type, 0, frames);
    memset(po.want_l2, 0, frames * sizeof(uint32_t));
    memset(po.want_rw, 0, frames * sizeof(uint32_t));
    memset(po.want_sec, 0, sections * sizeof(uint32_t));
    memset(po.sec_tables, 0, sections * sizeof(uint32_t));
    po.check_count = 0;
    po.sec_count = 0;
    memset(po.check, 0, frames);
    memset(po.sec_check, 0, sections);
    po.touch_count = 0;
    po.touch_all = false;
    po.empty = true;
}

void pt_oracle_touch_all(void)
{
    po.touch_all = true;
}

void pt_oracle_touch(uint32_t pa, uint32_t size)
{
    uint64_t lo = pa;
    uint64_t hi = (uint64_t)pa + size;
    uint64_t end = (uint64_t)po.base + (uint64_t)po.frames * PO_FRAME;

    lo = lo > po.base ? lo : po.base;
    hi = hi < end ? hi : end;
    while (lo < hi) {
        uint32_t b = (uint32_t)(lo - po.base) / PO_BLOCK;
        uint64_t bstart = (uint64_t)po.base + (uint64_t)b * PO_BLOCK;
        uint64_t bend = bstart + PO_BLOCK < hi ? bstart + PO_BLOCK : hi;
        uint32_t wlo = (uint32_t)(lo - bstart) / 4u;
        uint32_t whi = (uint32_t)(bend - bstart + 3u) / 4u;
        unsigned int i;
        for (i = 0; i < po.touch_count && po.touch[i].block != b; i++) {
        }
        if (i == po.touch_count) {
            if (i == PO_MAX_TOUCH) {
                po.touch_all = true;
                return;
            }
            po.touch[i] = (struct po_touch){b, wlo, whi};
            po.touch_count++;
        }
        po.touch[i].lo = wlo < po.touch[i].lo ? wlo : po.touch[i].lo;
        po.touch[i].hi = whi > po.touch[i].hi ? whi : po.touch[i].hi;
        lo = bend;
    }
}

void pt_oracle_check(void)
{
    if (po.touch_all) {
        pt_oracle_full();
        return;
    }
    for (unsigned int i = 0; i < po.touch_count; i++) {
        po_block(po.touch[i].block, po.touch[i].lo, po.touch[i].hi);
    }
    po_verify_marked();
}

/* pt_oracle_full's comparison of everything (po.counts read already). */
static void po_verify_all(uint32_t sections)
{
    uint32_t any = 0;

    for (uint32_t i = 0; i < po.check_count; i++) {
        po.check[po.check_list[i]] = 0;
    }
    for (uint32_t i = 0; i < po.sec_count; i++) {
        po.sec_check[po.sec_list[i]] = 0;
    }
    po.check_count = 0;
    po.sec_count = 0;
    for (uint32_t f = 0; f < po.frames; f++) {
        po_verify_counts(f, &po.counts[f]);
        any |= po.type[f] | po.want_l2[f] | po.want_rw[f];
    }
    for (uint32_t s = 0; s < sections; s++) {
        po_verify_section(s);
        any |= po.want_sec[s];
    }
    po.empty = any == 0;
    po.touch_count = 0;
    po.touch_all = false;
}

void pt_oracle_full(void)
{
    uint32_t sections = po.frames / (PO_SECTION / PO_FRAME);
    bool adopt = po.touch_all;

    if (po.counts_size < po.frames) {
        free(po.counts);
        po.counts = po_alloc(po.frames * sizeof(po.counts[0]));
        po.counts_size = po.frames;
    }
    if (!adopt) {
        for (unsigned int i = 0; i < po.touch_count; i++) {
            po_block(po.touch[i].block, po.touch[i].lo, po.touch[i].hi);
        }
        po.touch_count = 0;
    }
    /* What only a touch may change must not have changed elsewhere. */
    for (uint32_t f = 0; f < po.frames; f++) {
        struct pt_frame_counts *c = &po.counts[f];
        po_read_counts(f, c);
        if (adopt) {
            po_set_type(f, c->type);
            continue;
        }
        if (c->type != po.type[f]) {
            po_fail("frame type changed where no operation was said to "
                    "change it",
                    po_pa(f), po.type[f], c->type);
        }
        uint32_t first = 0;
        uint32_t bytes = 0;
        if (c->type == PO_TYPE_L1 && (f % 4u) == 0) {
            bytes = PO_BLOCK;
        } else if (c->type == PO_TYPE_L2) {
            first = L2_FIRST;
            bytes = HV_MMU_L2_HW_SIZE;
        }
        uint32_t off = f * PO_FRAME_WORDS + first;
        if (bytes && memcmp(po.shadow + off, po.mem + off, bytes) != 0) {
            po_fail("table entries changed where no operation was said to "
                    "write",
                    po_pa(f) + first * 4u, 0, 0);
        }
    }
    /*
     * Every table, its snapshot and its type are as the incremental checks
     * left them: so are the counts they imply, and recounting them would
     * only check the oracle (PT_ORACLE_RECOUNT=1 in the environment does).
     * Otherwise everything is recounted from memory.
     */
    if (!adopt && !po.recount) {
        po_verify_all(sections);
        return;
    }
    if (po.recount) {
        memcpy(po.saved_l2, po.want_l2, po.frames * sizeof(uint32_t));
        memcpy(po.saved_rw, po.want_rw, po.frames * sizeof(uint32_t));
    }
    memset(po.want_l2, 0, po.frames * sizeof(uint32_t));
    memset(po.want_rw, 0, po.frames * sizeof(uint32_t));
    memset(po.want_sec, 0, sections * sizeof(uint32_t));
    for (uint32_t f = 0; f < po.frames; f++) {
        uint32_t *sh = po.shadow + f * PO_FRAME_WORDS;
        const uint32_t *mem = po.mem + f * PO_FRAME_WORDS;
        if (po.type[f] == PO_TYPE_L1 && (f % 4u) == 0) {
            memcpy(sh, mem, PO_BLOCK);
            po_table(true, f, sh, +1);
        } else if (po.type[f] == PO_TYPE_L2) {
            memcpy(sh + L2_FIRST, mem + L2_FIRST, HV_MMU_L2_HW_SIZE);
            po_table(false, f, sh, +1);
        }
    }
    if (po.recount && !adopt) {
        for (uint32_t f = 0; f < po.frames; f++) {
            if (po.want_l2[f] != po.saved_l2[f] ||
                po.want_rw[f] != po.saved_rw[f]) {
                po_fail("oracle: recount differs from the incremental count",
                        po_pa(f), po.saved_l2[f] | po.saved_rw[f] << 16,
                        po.want_l2[f] | po.want_rw[f] << 16);
            }
        }
    }
    po_verify_all(sections);
}

void pt_oracle_cleared(void)
{
    uint32_t sections = po.frames / (PO_SECTION / PO_FRAME);

    for (uint32_t f = 0; f < po.frames; f++) {
        if (po.type[f] | po.want_l2[f] | po.want_rw[f]) {
            struct pt_frame_counts c;
            po_read_counts(f, &c);
            if (c.type != 0 || c.type_refs != 0 || c.writable_refs != 0) {
                po_fail("frame not cleared", po_pa(f), 0,
                        c.type | c.type_refs << 2 | c.writable_refs << 16);
            }
            po_set_type(f, 0);
            po.want_l2[f] = 0;
            po.want_rw[f] = 0;
        }
    }
    for (uint32_t s = 0; s < sections; s++) {
        uint32_t pa = po.base + s * PO_SECTION;
        if (po.want_sec[s] != 0 && pt_section_writable_refs(pa_init(pa))) {
            po_fail("section not cleared", pa, 0,
                    pt_section_writable_refs(pa_init(pa)));
        }
        po.want_sec[s] = 0;
    }
    po.empty = true;
}

bool pt_oracle_empty(void)
{
    return po.empty;
}

unsigned int pt_oracle_tables(uint32_t *out, unsigned int max)
{
    unsigned int n = 0;

    for (uint32_t f = 0; f < po.frames && n < max; f += 4) {
        if (po.type[f] == PO_TYPE_L1) {
            out[n++] = po_pa(f);
        }
    }
    for (uint32_t f = 0; f < po.frames && n < max; f++) {
        if (po.type[f] == PO_TYPE_L2) {
            out[n++] = po_pa(f);
        }
    }
    return n;
}
