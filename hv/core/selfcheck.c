/* SPDX-License-Identifier: MIT */
/*
 * Monitor self-check, run when the machine halts. pt.c keeps reference
 * counts so each page-table operation is O(1); a bug in that bookkeeping
 * would silently break the frame invariant later. This recomputes every
 * count from the pinned tables (as tests/fuzz/pt_fuzz.c's oracle does),
 * checks each entry against the rules of <hvabi/mmu.h> and each event-channel
 * pair from both ends, and reports the first inconsistency.
 *
 * No heap: the recount goes through a fixed window of frames, one guest
 * and one window at a time, rescanning that guest's tables per window
 * (one pass for guests up to SC_CHUNK frames, all of them in the tests).
 */
#include "hv/selfcheck.h"

#include <hvabi/mmu.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hv/arch.h"
#include "hv/clock.h"
#include "hv/config.h"
#include "hv/conn.h"
#include "hv/console.h"
#include "hv/grant.h"
#include "hv/pt.h"
#include "hv/sched.h"
#include "hv/vm.h"

#define SC_FRAME 4096u
#define SC_SECTION 0x100000u
#define SC_CHUNK 8192u /* frames recounted per pass: 32 MiB of guest RAM */

/* struct pt_frame_counts.type */
#define SC_TYPE_NONE 0u
#define SC_TYPE_L1 1u
#define SC_TYPE_L2 2u
#define SC_TYPE_SHARED 3u

/* Recomputed counts of the frames of the current window, and of the
 * sections of the current guest. */
static uint32_t sc_type_refs[SC_CHUNK];
static uint32_t sc_writable[SC_CHUNK];
static uint32_t sc_section_rw[HV_MEM_MAX_GRANULES];
static uint32_t sc_section_tables[HV_MEM_MAX_GRANULES];
/* Tracks naming each grant entry, recounted. */
static uint16_t sc_grant_maps[HV_MAX_VMS][HV_GRANT_ENTRIES];

struct sc_ctx {
    struct selfcheck_result *r;
    struct pt_view view;
    const struct vm *vm; /* the guest being checked, or NULL */
    uint32_t base;       /* its memory */
    uint32_t size;
    uint32_t chunk;      /* first frame (index in the guest) of this window */
    bool first_pass;     /* totals and per-section counts are taken once */
    uint32_t grant_maps; /* grant mappings found in this guest's tables */
};

static bool sc_fail(struct sc_ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static bool sc_fail(struct sc_ctx *c, const char *fmt, ...)
{
    struct selfcheck_result *r = c->r;
    int n = 0;
    va_list args;

    if (!r->ok) {
        return false; /* the first inconsistency is the one reported */
    }
    r->ok = false;
    if (c->vm) {
        n = snprintf(r->what, sizeof(r->what),
                     "guest %u '%s': ", (unsigned)c->vm->id, c->vm->name);
        if (n < 0 || n >= (int)sizeof(r->what)) {
            n = 0;
        }
    }
    va_start(args, fmt);
    vsnprintf(r->what + n, sizeof(r->what) - (size_t)n, fmt, args);
    va_end(args);
    return false;
}

static bool sc_live(const struct vm *vm)
{
    return vm->state == VM_RUNNABLE || vm->state == VM_BLOCKED;
}

static bool sc_own(const struct sc_ctx *c, uint32_t pa, uint32_t size)
{
    return pa >= c->base && pa - c->base < c->size &&
           size <= c->size - (pa - c->base);
}

static bool sc_in_ram(const struct sc_ctx *c, uint32_t pa)
{
    return pa >= c->view.base &&
           (pa - c->view.base) / SC_FRAME < c->view.frames;
}

/* A frame's counts; outside RAM, where pt.c keeps no state, all zero. */
static struct pt_frame_counts sc_counts(uint32_t pa)
{
    struct pt_frame_counts fc;
    if (!pt_frame_counts(pa_init(pa), &fc)) {
        fc = (struct pt_frame_counts){0, 0, 0, 0};
    }
    return fc;
}

/* Guest RAM has one memory type: normal write-back (TEX:C:B 001:1:1 or
 * 000:1:1; <hvabi/mmu.h>), non-shareable (callers check S), so no cache
 * alias of it exists. */
static bool sc_write_back(uint32_t tex_c_b)
{
    return tex_c_b == HV_TEXCB_NORMAL_WBWA || tex_c_b == HV_TEXCB_NORMAL_WB;
}

/* A mapping outside RAM: a device region of the guest, or the clock page,
 * never executable, Device or Strongly-ordered. */
static bool sc_device(struct sc_ctx *c, uint32_t at, uint32_t d, uint32_t pa,
                      uint32_t size, uint32_t tex_c_b, bool xn, bool rw)
{
    bool inside = false;
    uint32_t clock = (uint32_t)pa_addr(clock_guest_page());

    if (clock != 0 && pa == clock && size == SC_FRAME && !rw) {
        inside = true;
    }
    for (uint32_t i = 0; i < c->vm->device_count; i++) {
        const struct vm_device *dev = &c->vm->devices[i];
        inside |= pa >= dev->pa && pa - dev->pa < dev->size &&
                  size <= dev->size - (pa - dev->pa);
    }
    if (!inside) {
        return sc_fail(c, "entry 0x%08x at 0x%08x maps memory not its own",
                       (unsigned)d, (unsigned)at);
    }
    if ((tex_c_b != HV_TEXCB_STRONGLY_ORDERED && tex_c_b != HV_TEXCB_DEVICE &&
         tex_c_b != HV_TEXCB_DEVICE_NS) ||
        !xn) {
        return sc_fail(c, "entry 0x%08x at 0x%08x maps a device as memory",
                       (unsigned)d, (unsigned)at);
    }
    return true;
}

static bool sc_domain(struct sc_ctx *c, uint32_t at, uint32_t d)
{
    uint32_t domain = HV_L1_GET_DOMAIN(d);
    if (domain != HV_MMU_DOMAIN_KERNEL && domain != HV_MMU_DOMAIN_USER) {
        return sc_fail(c, "L1 entry 0x%08x at 0x%08x: domain %u", (unsigned)d,
                       (unsigned)at, (unsigned)domain);
    }
    return true;
}

/* Counts a reference to frame @pa of the guest if it is in the window. */
static void sc_count(struct sc_ctx *c, uint32_t *counts, uint32_t pa)
{
    uint32_t f = (pa - c->base) / SC_FRAME;
    if (f >= c->chunk && f - c->chunk < SC_CHUNK) {
        counts[f - c->chunk]++;
    }
}

static bool sc_l1_entry(struct sc_ctx *c, uint32_t at, uint32_t d)
{
    switch (d & HV_L1_TYPE_MASK) {
    case HV_L1_TYPE_FAULT:
        return true;
    case HV_L1_TYPE_TABLE: {
        uint32_t hw = d & HV_L1_TABLE_ADDR_MASK;
        uint32_t frame = d & ~(SC_FRAME - 1);
        if ((d & HV_MMU_L1_TABLE_MBZ) != 0) {
            return sc_fail(c, "L1 entry 0x%08x at 0x%08x: SBZ bits set",
                           (unsigned)d, (unsigned)at);
        }
        if (!sc_domain(c, at, d)) {
            return false;
        }
        if (!sc_own(c, frame, SC_FRAME) ||
            sc_counts(frame).type != SC_TYPE_L2 ||
            hw - frame < HV_MMU_L2_HW_OFFSET) {
            return sc_fail(c,
                           "L1 entry 0x%08x at 0x%08x does not point at the "
                           "hardware half of a pinned L2 of its guest",
                           (unsigned)d, (unsigned)at);
        }
        sc_count(c, sc_type_refs, frame);
        c->r->l2_refs += c->first_pass;
        return true;
    }
    case HV_L1_TYPE_SECTION: {
        uint32_t pa = d & ~(SC_SECTION - 1);
        bool rw = HV_L1_SECT_GET_AP(d) == HV_AP_RW;
        if ((d & HV_MMU_L1_SECT_MBZ) != 0) {
            return sc_fail(c, "L1 entry 0x%08x at 0x%08x: refused bits set",
                           (unsigned)d, (unsigned)at);
        }
        if (!sc_domain(c, at, d)) {
            return false;
        }
        if ((d & HV_L1_SECT_NG) == 0) {
            return sc_fail(c, "L1 section 0x%08x at 0x%08x is global",
                           (unsigned)d, (unsigned)at);
        }
        if (sc_own(c, pa, SC_SECTION)) {
            if (!sc_write_back(HV_L1_SECT_GET_TEXCB(d)) ||
                (d & HV_L1_SECT_S) != 0) {
                return sc_fail(c,
                               "L1 section 0x%08x at 0x%08x maps RAM as other "
                               "than write-back",
                               (unsigned)d, (unsigned)at);
            }
            if (rw && c->first_pass) {
                sc_section_rw[(pa - c->base) / SC_SECTION]++;
                c->r->section_rw++;
            }
            return true;
        }
        if (sc_in_ram(c, pa)) {
            return sc_fail(c,
                           "L1 section 0x%08x at 0x%08x maps RAM not its own",
                           (unsigned)d, (unsigned)at);
        }
        return sc_device(c, at, d, pa, SC_SECTION, HV_L1_SECT_GET_TEXCB(d),
                         (d & HV_L1_SECT_XN) != 0, rw);
    }
    default:
        return sc_fail(c, "L1 entry 0x%08x at 0x%08x: reserved type",
                       (unsigned)d, (unsigned)at);
    }
}

/* An L2 entry mapping another guest's frame: a grant mapping, tracked. */
static bool sc_grant_map(struct sc_ctx *c, uint32_t at, uint32_t d, uint32_t pa,
                         bool rw)
{
    const struct grant_track *t = NULL;

    for (uint32_t i = 0; i < HV_GRANT_MAPS && t == NULL; i++) {
        const struct grant_track *k = grant_track_at(c->vm->id, i);
        t = k->pte == at ? k : NULL;
    }
    if (t == NULL) {
        return sc_fail(c, "L2 entry 0x%08x at 0x%08x maps RAM not its own",
                       (unsigned)d, (unsigned)at);
    }
    const struct grant_entry *e = grant_entry_at(t->granter, t->ref);
    if (e == NULL || !(e->flags & (GRANT_LIVE | GRANT_ORPHAN)) ||
        e->frame != pa || e->peer != c->vm->id) {
        return sc_fail(c,
                       "grant mapping 0x%08x at 0x%08x is not of grant %u of "
                       "guest %u",
                       (unsigned)d, (unsigned)at, (unsigned)t->ref,
                       (unsigned)t->granter);
    }
    if (rw != (t->writable != 0) || (rw && (e->flags & GRANT_READONLY))) {
        return sc_fail(c,
                       "grant mapping 0x%08x at 0x%08x: rights differ from "
                       "its grant",
                       (unsigned)d, (unsigned)at);
    }
    if (!sc_write_back(HV_L2_GET_TEXCB(d)) || (d & HV_L2_S) != 0) {
        return sc_fail(c, "grant mapping 0x%08x at 0x%08x is not write-back",
                       (unsigned)d, (unsigned)at);
    }
    uint32_t type = sc_counts(pa).type;
    if (rw && (type == SC_TYPE_L1 || type == SC_TYPE_L2)) {
        return sc_fail(c, "grant mapping at 0x%08x maps a page table writable",
                       (unsigned)at);
    }
    if (c->first_pass) {
        c->grant_maps++;
        c->r->grant_maps++;
        c->r->page_rw_refs += rw;
    }
    return true;
}

static bool sc_l2_entry(struct sc_ctx *c, uint32_t at, uint32_t d)
{
    uint32_t pa = d & ~(SC_FRAME - 1);
    bool rw = HV_L2_GET_AP(d) == HV_AP_RW;

    if ((d & HV_L2_TYPE_MASK) == HV_L2_TYPE_FAULT) {
        return true;
    }
    if ((d & HV_L2_TYPE_MASK) == HV_L2_TYPE_LARGE) {
        return sc_fail(c, "L2 entry 0x%08x at 0x%08x: large page", (unsigned)d,
                       (unsigned)at);
    }
    if ((d & HV_L2_NG) == 0) {
        return sc_fail(c, "L2 entry 0x%08x at 0x%08x is global", (unsigned)d,
                       (unsigned)at);
    }
    if (sc_own(c, pa, SC_FRAME)) {
        if (!sc_write_back(HV_L2_GET_TEXCB(d)) || (d & HV_L2_S) != 0) {
            return sc_fail(c,
                           "L2 entry 0x%08x at 0x%08x maps RAM as other than "
                           "write-back",
                           (unsigned)d, (unsigned)at);
        }
        if (rw) {
            sc_count(c, sc_writable, pa);
            c->r->page_rw_refs += c->first_pass;
        }
        return true;
    }
    if (sc_in_ram(c, pa)) {
        return sc_grant_map(c, at, d, pa, rw);
    }
    return sc_device(c, at, d, pa, SC_FRAME, HV_L2_GET_TEXCB(d),
                     (d & HV_L2_XN) != 0, rw);
}

/*
 * A table frame's count of entries that are not 0 (pt.c skips frames
 * whose count is 0 when it unpins) must be what the frame holds.
 */
static bool sc_used_entries(struct sc_ctx *c, uint32_t frame, uint32_t used)
{
    uint32_t counted = sc_counts(frame).used_entries;
    if (counted != used) {
        return sc_fail(c,
                       "table frame 0x%08x: %u entries in use, recomputed %u",
                       (unsigned)frame, (unsigned)counted, (unsigned)used);
    }
    return true;
}

/* Walks every pinned table of the guest, counting into the window. */
static bool sc_scan_tables(struct sc_ctx *c)
{
    for (uint32_t off = 0; off < c->size; off += SC_FRAME) {
        uint32_t pa = c->base + off;
        uint32_t type = sc_counts(pa).type;
        if (type == SC_TYPE_L1 && (pa & (HV_MMU_L1_SIZE - 1)) == 0) {
            for (uint32_t k = 1; k < HV_MMU_L1_SIZE / SC_FRAME; k++) {
                if (!sc_own(c, pa + k * SC_FRAME, SC_FRAME) ||
                    sc_counts(pa + k * SC_FRAME).type != SC_TYPE_L1) {
                    return sc_fail(c, "L1 at 0x%08x is not typed whole",
                                   (unsigned)pa);
                }
            }
            const uint32_t *t = arch_mm_phys_ptr(pa_init(pa), HV_MMU_L1_SIZE);
            uint32_t used[HV_MMU_L1_SIZE / SC_FRAME] = {0};
            for (uint32_t i = 0; i < HV_MMU_L1_SIZE / 4; i++) {
                uint32_t va = i << HV_L1_SHIFT;
                if (va >= HV_MMU_WINDOW_BASE && va < HV_MMU_WINDOW_END) {
                    continue; /* the monitor's own entries */
                }
                if (!sc_l1_entry(c, pa + i * 4, t[i])) {
                    return false;
                }
                used[i / (SC_FRAME / 4)] += t[i] != 0;
            }
            for (uint32_t k = 0; k < HV_MMU_L1_SIZE / SC_FRAME; k++) {
                if (!sc_used_entries(c, pa + k * SC_FRAME, used[k])) {
                    return false;
                }
            }
            c->r->l1_tables += c->first_pass;
        } else if (type == SC_TYPE_L1) {
            /* Not a first frame: its table starts at the 16 KiB boundary
             * below, whose scan checks all four frames. */
            uint32_t head = pa & ~(HV_MMU_L1_SIZE - 1);
            if (!sc_own(c, head, SC_FRAME) ||
                sc_counts(head).type != SC_TYPE_L1) {
                return sc_fail(c, "L1 frame 0x%08x has no 16 KiB-aligned start",
                               (unsigned)pa);
            }
        } else if (type == SC_TYPE_L2) {
            const uint32_t *t = arch_mm_phys_ptr(pa_init(pa), SC_FRAME);
            uint32_t used = 0;
            for (uint32_t i = HV_MMU_L2_HW_OFFSET / 4; i < SC_FRAME / 4; i++) {
                if (!sc_l2_entry(c, pa + i * 4, t[i])) {
                    return false;
                }
                used += t[i] != 0;
            }
            if (!sc_used_entries(c, pa, used)) {
                return false;
            }
            c->r->l2_tables += c->first_pass;
        }
        if (c->first_pass && (type == SC_TYPE_L1 || type == SC_TYPE_L2)) {
            sc_section_tables[off / SC_SECTION]++;
        }
    }
    return true;
}

/* Adds the writable grant mappings of the window's frames by others. */
static void sc_grant_window(struct sc_ctx *c)
{
    uint32_t frames = c->size / SC_FRAME;

    for (uint32_t g = 1; g <= HV_MAX_VMS; g++) {
        for (uint32_t i = 0; i < HV_GRANT_MAPS; i++) {
            const struct grant_track *t = grant_track_at(g, i);
            const struct grant_entry *e =
                t->pte != 0 ? grant_entry_at(t->granter, t->ref) : NULL;
            if (e == NULL || !t->writable || t->granter != c->vm->id ||
                !sc_own(c, e->frame, SC_FRAME)) {
                continue;
            }
            uint32_t f = (e->frame - c->base) / SC_FRAME;
            if (f >= c->chunk && f - c->chunk < SC_CHUNK && f < frames) {
                sc_writable[f - c->chunk]++;
            }
        }
    }
}

/* Compares pt.c's counts of the window's frames with the recount. */
static bool sc_compare_window(struct sc_ctx *c)
{
    uint32_t frames = c->size / SC_FRAME;
    uint32_t shared = (uint32_t)pa_addr(c->vm->vcpu_shared);

    for (uint32_t f = c->chunk; f < frames && f - c->chunk < SC_CHUNK; f++) {
        uint32_t pa = c->base + f * SC_FRAME;
        struct pt_frame_counts fc = sc_counts(pa);
        uint32_t refs = sc_type_refs[f - c->chunk];
        uint32_t rw = sc_writable[f - c->chunk];

        if (fc.type == SC_TYPE_L1) {
            /* An L1's first frame keeps its ASID in the reference bits. */
            uint32_t extra = (pa & (HV_MMU_L1_SIZE - 1)) == 0
                                 ? fc.type_refs & ~0xffu
                                 : fc.type_refs;
            if (extra != 0) {
                return sc_fail(c, "L1 frame 0x%08x has references 0x%x",
                               (unsigned)pa, (unsigned)fc.type_refs);
            }
        } else if (fc.type_refs != refs) {
            return sc_fail(c, "frame 0x%08x: %u L1 references, recomputed %u",
                           (unsigned)pa, (unsigned)fc.type_refs,
                           (unsigned)refs);
        }
        /* A table's count is 0 (its bits count used entries instead), so a
         * writable mapping of a table fails here too. */
        if (fc.writable_refs != rw) {
            return sc_fail(
                c, "frame 0x%08x: %u writable mappings, recomputed %u",
                (unsigned)pa, (unsigned)fc.writable_refs, (unsigned)rw);
        }
        if (fc.type == SC_TYPE_SHARED && pa != shared) {
            return sc_fail(c,
                           "frame 0x%08x is typed shared vCPU page but the "
                           "registered one is 0x%08x",
                           (unsigned)pa, (unsigned)shared);
        }
    }
    return true;
}

static bool sc_guest(struct sc_ctx *c)
{
    const struct vm *vm = c->vm;
    uint32_t frames = c->size / SC_FRAME;
    uint32_t sections = c->size / SC_SECTION;

    if (c->base < c->view.base || !sc_in_ram(c, c->base + c->size - 1) ||
        sections > HV_MEM_MAX_GRANULES) {
        return sc_fail(c, "memory 0x%08x+0x%x is not all in the frame table",
                       (unsigned)c->base, (unsigned)c->size);
    }
    memset(sc_section_rw, 0, sizeof(sc_section_rw));
    memset(sc_section_tables, 0, sizeof(sc_section_tables));
    c->grant_maps = 0;
    for (c->chunk = 0; c->chunk < frames; c->chunk += SC_CHUNK) {
        c->first_pass = c->chunk == 0;
        memset(sc_type_refs, 0, sizeof(sc_type_refs));
        memset(sc_writable, 0, sizeof(sc_writable));
        if (!sc_scan_tables(c)) {
            return false;
        }
        sc_grant_window(c);
        if (!sc_compare_window(c)) {
            return false;
        }
    }
    uint32_t tracks = 0;
    for (uint32_t i = 0; i < HV_GRANT_MAPS; i++) {
        tracks += grant_track_at(vm->id, i)->pte != 0;
    }
    if (tracks != c->grant_maps) {
        return sc_fail(c, "%u grant tracks, %u grant mappings in its tables",
                       (unsigned)tracks, (unsigned)c->grant_maps);
    }
    for (uint32_t s = 0; s < sections; s++) {
        uint32_t pa = c->base + s * SC_SECTION;
        uint32_t tables = c->view.section_tables[(pa - c->view.base) >> 20];
        uint32_t rw = pt_section_writable_refs(pa_init(pa));
        if (tables != sc_section_tables[s]) {
            return sc_fail(c, "section 0x%08x: %u table frames, recomputed %u",
                           (unsigned)pa, (unsigned)tables,
                           (unsigned)sc_section_tables[s]);
        }
        if (rw != sc_section_rw[s]) {
            return sc_fail(c,
                           "section 0x%08x: %u writable mappings, recomputed "
                           "%u",
                           (unsigned)pa, (unsigned)rw,
                           (unsigned)sc_section_rw[s]);
        }
        if (tables != 0 && rw != 0) {
            return sc_fail(c, "section 0x%08x holds a table and is writable",
                           (unsigned)pa);
        }
    }
    uint32_t shared = (uint32_t)pa_addr(vm->vcpu_shared);
    if (shared != 0) {
        if ((shared & (SC_FRAME - 1)) != 0 || !sc_own(c, shared, SC_FRAME) ||
            sc_counts(shared).type != SC_TYPE_SHARED) {
            return sc_fail(c, "shared vCPU page 0x%08x is not typed as one",
                           (unsigned)shared);
        }
        c->r->shared_pages++;
    }
    uint32_t l1 = (uint32_t)pa_addr(vm->active_l1);
    if ((l1 & (HV_MMU_L1_SIZE - 1)) != 0 || !sc_own(c, l1, HV_MMU_L1_SIZE) ||
        sc_counts(l1).type != SC_TYPE_L1) {
        return sc_fail(c, "active L1 0x%08x is not a pinned L1 of its guest",
                       (unsigned)l1);
    }
    if (vm == sched_current() && vm->active_asid != 0 &&
        (vm->active_asid >= c->view.asids ||
         c->view.asid_owner[vm->active_asid] != l1)) {
        return sc_fail(c, "running on ASID %u, which its L1 does not hold",
                       (unsigned)vm->active_asid);
    }
    return true;
}

/*
 * What pt.c keeps for a frame of no live guest: nothing, or, for a frame
 * of a stopped granter still mapped (an orphan), its writable mappings.
 */
static uint32_t sc_orphan_word(uint32_t pa)
{
    uint32_t rw = 0;

    for (uint32_t g = 1; g <= HV_MAX_VMS; g++) {
        for (uint32_t i = 0; i < HV_GRANT_MAPS; i++) {
            const struct grant_track *t = grant_track_at(g, i);
            const struct grant_entry *e =
                t->pte != 0 ? grant_entry_at(t->granter, t->ref) : NULL;
            rw += e != NULL && t->writable && e->frame == pa;
        }
    }
    return rw << 16;
}

/*
 * The grant tables: each entry's map count is the number of tracks naming
 * it; live entries are of live granters' own frames, orphans of no live
 * guest's and still mapped; only live grantees hold tracks, of live or
 * orphaned grants made to them.
 */
static bool sc_grants(struct sc_ctx *c)
{
    c->vm = NULL;
    memset(sc_grant_maps, 0, sizeof(sc_grant_maps));
    for (uint32_t g = 1; g <= HV_MAX_VMS; g++) {
        bool live = sc_live(vm_by_index(g - 1));
        for (uint32_t i = 0; i < HV_GRANT_MAPS; i++) {
            const struct grant_track *t = grant_track_at(g, i);
            if (t->pte == 0) {
                continue;
            }
            const struct grant_entry *e = grant_entry_at(t->granter, t->ref);
            if (!live || e == NULL ||
                !(e->flags & (GRANT_LIVE | GRANT_ORPHAN)) || e->peer != g) {
                return sc_fail(c,
                               "guest %u holds a mapping of grant %u of guest "
                               "%u, which it may not",
                               (unsigned)g, (unsigned)t->ref,
                               (unsigned)t->granter);
            }
            sc_grant_maps[t->granter - 1][t->ref]++;
        }
    }
    for (uint32_t g = 1; g <= HV_MAX_VMS; g++) {
        const struct vm *vm = vm_by_index(g - 1);
        uint32_t base = (uint32_t)pa_addr(vm->mem_pa);
        for (uint32_t ref = 0; ref < HV_GRANT_ENTRIES; ref++) {
            const struct grant_entry *e = grant_entry_at(g, ref);
            bool own = sc_live(vm) && e->frame >= base &&
                       e->frame - base < vm->mem_size;
            if (e->maps != sc_grant_maps[g - 1][ref]) {
                return sc_fail(c,
                               "grant %u of guest %u: %u mappings, "
                               "recomputed %u",
                               (unsigned)ref, (unsigned)g, (unsigned)e->maps,
                               (unsigned)sc_grant_maps[g - 1][ref]);
            }
            if ((e->flags & GRANT_LIVE) &&
                (!own || e->peer < 1 || e->peer > HV_MAX_VMS || e->peer == g ||
                 (e->frame & (SC_FRAME - 1)) != 0)) {
                return sc_fail(c, "grant %u of guest %u is malformed",
                               (unsigned)ref, (unsigned)g);
            }
            if ((e->flags & GRANT_ORPHAN) &&
                ((e->flags & GRANT_LIVE) || own || e->maps == 0 ||
                 sc_counts(e->frame).type != SC_TYPE_NONE ||
                 sc_counts(e->frame).writable_refs !=
                     sc_orphan_word(e->frame) >> 16)) {
                return sc_fail(c, "orphaned grant %u of guest %u is malformed",
                               (unsigned)ref, (unsigned)g);
            }
            c->r->grants += (e->flags & GRANT_LIVE) != 0;
        }
    }
    return true;
}

/* RAM no live guest owns holds no page-table state (released on stop). */
static bool sc_unowned(struct sc_ctx *c)
{
    c->vm = NULL;
    for (uint32_t f = 0; f < c->view.frames; f++) {
        uint32_t pa = c->view.base + f * SC_FRAME;
        bool owned = false;
        for (unsigned int i = 0; i < HV_MAX_VMS && !owned; i++) {
            const struct vm *vm = vm_by_index(i);
            uint32_t base = (uint32_t)pa_addr(vm->mem_pa);
            owned = sc_live(vm) && pa >= base && pa - base < vm->mem_size;
        }
        if (owned) {
            continue;
        }
        /* Non-zero only for orphans (sc_grants checked those). */
        if (c->view.frame_words[f] != 0 &&
            c->view.frame_words[f] != sc_orphan_word(pa)) {
            return sc_fail(c, "frame 0x%08x of no live guest has state 0x%08x",
                           (unsigned)pa, (unsigned)c->view.frame_words[f]);
        }
        if ((f & 0xffu) == 0 && (c->view.section_tables[f >> 8] != 0 ||
                                 pt_section_writable_refs(pa_init(pa)) != 0)) {
            return sc_fail(c, "section 0x%08x of no live guest has counts",
                           (unsigned)pa);
        }
    }
    return true;
}

/* Every ASID held belongs to a pinned L1 of a live guest that knows it. */
static bool sc_asids(struct sc_ctx *c)
{
    c->vm = NULL;
    for (uint32_t asid = 1; asid < c->view.asids; asid++) {
        uint32_t l1 = c->view.asid_owner[asid];
        if (l1 == 0) {
            continue;
        }
        struct pt_frame_counts fc = sc_counts(l1);
        bool owned = false;
        for (unsigned int i = 0; i < HV_MAX_VMS && !owned; i++) {
            const struct vm *vm = vm_by_index(i);
            uint32_t base = (uint32_t)pa_addr(vm->mem_pa);
            owned = sc_live(vm) && l1 >= base && l1 - base < vm->mem_size;
        }
        if (!owned || (l1 & (HV_MMU_L1_SIZE - 1)) != 0 ||
            fc.type != SC_TYPE_L1 || (fc.type_refs & 0xffu) != asid) {
            return sc_fail(c,
                           "ASID %u is held by 0x%08x, not a pinned L1 "
                           "with that ASID",
                           (unsigned)asid, (unsigned)l1);
        }
        c->r->asids++;
    }
    return true;
}

static bool sc_ports(struct sc_ctx *c)
{
    const struct vm *vm = c->vm;
    bool console = false;

    if (vm->ports[0].kind != EVTCHN_TIMER) {
        return sc_fail(c, "port 0 is not the timer");
    }
    for (unsigned int i = 1; i < HV_EVTCHN_PORTS; i++) {
        const struct evtchn_port *p = &vm->ports[i];
        switch (p->kind) {
        case EVTCHN_FREE:
            if (p->remote_id != 0 || p->remote_port != 0 || p->irq != 0) {
                return sc_fail(c, "free port %u is not clear", i);
            }
            continue;
        case EVTCHN_UNBOUND:
            /* The remote may have stopped: it stays open for that id. */
            if (p->remote_id == vm->id || p->remote_id == 0 ||
                p->remote_id > HV_MAX_VMS) {
                return sc_fail(c, "port %u is open for guest %u", i,
                               (unsigned)p->remote_id);
            }
            break;
        case EVTCHN_INTERDOMAIN: {
            const struct vm *remote =
                p->remote_id == vm->id ? NULL : vm_by_id(p->remote_id);
            const struct evtchn_port *rp =
                remote && p->remote_port < HV_EVTCHN_PORTS
                    ? &remote->ports[p->remote_port]
                    : NULL;
            if (!rp || p->remote_port == 0 || rp->kind != EVTCHN_INTERDOMAIN ||
                rp->remote_id != vm->id || rp->remote_port != i) {
                return sc_fail(c,
                               "port %u is connected to guest %u port %u, "
                               "which does not point back",
                               i, (unsigned)p->remote_id,
                               (unsigned)p->remote_port);
            }
            break;
        }
        case EVTCHN_VIRQ_CONSOLE:
            if (!vm->console_input || console) {
                return sc_fail(c, "port %u: console input bound wrongly", i);
            }
            console = true;
            break;
        case EVTCHN_IRQ: {
            bool granted = false;
            for (uint32_t k = 0; k < vm->irq_count; k++) {
                granted |= vm->irqs[k] == p->irq;
            }
            if (!granted) {
                return sc_fail(c, "port %u: interrupt %u not granted", i,
                               (unsigned)p->irq);
            }
            for (unsigned int v = 0; v < HV_MAX_VMS; v++) {
                const struct vm *o = vm_by_index(v);
                for (unsigned int j = 1; sc_live(o) && j < HV_EVTCHN_PORTS;
                     j++) {
                    if ((o != vm || j != i) && o->ports[j].kind == EVTCHN_IRQ &&
                        o->ports[j].irq == p->irq) {
                        return sc_fail(c, "port %u: interrupt %u bound twice",
                                       i, (unsigned)p->irq);
                    }
                }
            }
            break;
        }
        default:
            return sc_fail(c, "port %u has kind %u", i, (unsigned)p->kind);
        }
        c->r->ports++;
    }
    return true;
}

/*
 * The device connections: known states; a side is attached (not DOWN,
 * with a port) only while its guest lives; a ring only while the
 * frontend is attached.
 */
static bool sc_conns(struct sc_ctx *c)
{
    const struct conn *k;

    for (uint32_t id = 0; (k = conn_at(id)) != NULL; id++) {
        for (unsigned int role = 0; role < 2; role++) {
            const struct conn_side *s = &k->side[role];
            uint32_t guest =
                role == HV_CONN_FRONTEND ? k->dev->frontend : k->dev->backend;
            if (s->state > HV_CONN_CLOSING ||
                (s->state == HV_CONN_DOWN) != (s->port == 0) ||
                s->port >= HV_EVTCHN_PORTS ||
                (s->state != HV_CONN_DOWN && !vm_by_id(guest))) {
                return sc_fail(c,
                               "connection %u: side of guest %u in state %u "
                               "with port %u",
                               (unsigned)id, (unsigned)guest,
                               (unsigned)s->state, (unsigned)s->port);
            }
        }
        if (k->ring_ref != HV_CONN_NO_RING &&
            k->side[HV_CONN_FRONTEND].state == HV_CONN_DOWN) {
            return sc_fail(c, "connection %u: a ring without its frontend",
                           (unsigned)id);
        }
    }
    return true;
}

bool selfcheck_run(struct selfcheck_result *out)
{
    struct sc_ctx c;

    memset(out, 0, sizeof(*out));
    out->ok = true;
    memset(&c, 0, sizeof(c));
    c.r = out;
    pt_selfcheck_view(&c.view);
    for (unsigned int i = 0; i < HV_MAX_VMS && out->ok; i++) {
        const struct vm *vm = vm_by_index(i);
        if (!sc_live(vm)) {
            continue;
        }
        c.vm = vm;
        c.base = (uint32_t)pa_addr(vm->mem_pa);
        c.size = vm->mem_size;
        out->guests++;
        if (sc_guest(&c)) {
            sc_ports(&c);
        }
    }
    if (out->ok && sc_grants(&c) && sc_unowned(&c) && sc_asids(&c)) {
        sc_conns(&c);
    }
    return out->ok;
}

bool selfcheck_report(void)
{
    static struct selfcheck_result r;

    if (!selfcheck_run(&r)) {
        dlog("self-check: FAILED: %s", r.what);
        return false;
    }
    dlog("self-check: ok (%u guests, %u L1, %u L2, %u L2 refs, %u writable "
         "pages, %u writable sections, %u shared pages, %u ports, %u ASIDs, "
         "%u grants, %u grant maps)",
         (unsigned)r.guests, (unsigned)r.l1_tables, (unsigned)r.l2_tables,
         (unsigned)r.l2_refs, (unsigned)r.page_rw_refs, (unsigned)r.section_rw,
         (unsigned)r.shared_pages, (unsigned)r.ports, (unsigned)r.asids,
         (unsigned)r.grants, (unsigned)r.grant_maps);
    return true;
}
