/* SPDX-License-Identifier: MIT */
/*
 * Grant tables: which frames each guest grants to whom, and which
 * mappings of granted frames each guest holds (docs/design.md, "Grants").
 * Monitor memory only, filled by hypercalls: nothing here is read from a
 * guest page, so there is nothing to fetch twice.
 */
#include "hv/grant.h"

#include <string.h>

#include "hv/config.h"
#include "hv/mem.h"

#define GRANT_FRAME 4096u

static struct grant_entry grant_tables[HV_MAX_VMS][HV_GRANT_ENTRIES];
static struct grant_track grant_tracks[HV_MAX_VMS][HV_GRANT_MAPS];
uint16_t grant_tracks_held[HV_MAX_VMS];
/* Where each table's search for a free entry starts: just past the last
 * one handed out. Frontends end grants roughly in the order they made
 * them, so the entry here is usually free and a grant costs no scan of
 * the live ones (a block request grants every page it moves). */
static uint16_t grant_next_free[HV_MAX_VMS];

void grant_init(void)
{
    memset(grant_tables, 0, sizeof(grant_tables));
    memset(grant_tracks, 0, sizeof(grant_tracks));
    memset(grant_tracks_held, 0, sizeof(grant_tracks_held));
    memset(grant_next_free, 0, sizeof(grant_next_free));
}

static bool grant_id_ok(uint32_t id)
{
    return id >= 1 && id <= HV_MAX_VMS;
}

int32_t grant_access(const struct vm *vm, paddr_t frame, uint32_t peer,
                     uint32_t flags)
{
    uint32_t pa = (uint32_t)pa_addr(frame);
    uint32_t base = (uint32_t)pa_addr(vm->mem_pa);

    if ((flags & ~HV_GRANT_READONLY) != 0 || !IS_ALIGNED(pa, GRANT_FRAME) ||
        !grant_id_ok(peer) || peer == vm->id) {
        return -HV_EINVAL;
    }
    if (pa < base || pa - base >= vm->mem_size) {
        return -HV_EPERM;
    }
    struct grant_entry *t = grant_tables[vm->id - 1];
    uint32_t limit = vm->max_grants; /* the manifest's, <= HV_GRANT_ENTRIES */
    uint32_t ref = grant_next_free[vm->id - 1];
    for (uint32_t tried = 0; tried < limit; tried++) {
        if (ref >= limit) {
            ref = 0;
        }
        if ((t[ref].flags & (GRANT_LIVE | GRANT_ORPHAN)) != 0) {
            ref++;
            continue;
        }
        t[ref].frame = pa;
        t[ref].peer = (uint8_t)peer;
        t[ref].flags =
            (uint8_t)(GRANT_LIVE |
                      ((flags & HV_GRANT_READONLY) != 0 ? GRANT_READONLY : 0u));
        t[ref].maps = 0;
        grant_next_free[vm->id - 1] = (uint16_t)(ref + 1);
        return (int32_t)ref;
    }
    return -HV_ENOMEM;
}

int32_t grant_end(const struct vm *vm, uint32_t ref, uint32_t *flush_peer)
{
    *flush_peer = 0;
    if (ref >= HV_GRANT_ENTRIES) {
        return -HV_EINVAL;
    }
    struct grant_entry *e = &grant_tables[vm->id - 1][ref];
    if (!(e->flags & GRANT_LIVE)) {
        return -HV_EINVAL;
    }
    if (e->maps != 0) {
        return -HV_EBUSY; /* XSA-396: never end a grant still mapped */
    }
    if (e->flags & GRANT_STALE) {
        *flush_peer = e->peer;
    }
    memset(e, 0, sizeof(*e));
    return HV_OK;
}

int32_t grant_find(uint32_t grantee, uint32_t granter, uint32_t ref, bool write,
                   paddr_t *frame)
{
    if (!grant_id_ok(granter) || ref >= HV_GRANT_ENTRIES) {
        return -HV_ENOENT;
    }
    const struct grant_entry *e = &grant_tables[granter - 1][ref];
    if (!(e->flags & GRANT_LIVE) || e->peer != grantee) {
        return -HV_ENOENT;
    }
    if (write && (e->flags & GRANT_READONLY)) {
        return -HV_EPERM;
    }
    *frame = pa_init(e->frame);
    return HV_OK;
}

int32_t grant_track_add(uint32_t grantee, uint32_t granter, uint32_t ref,
                        paddr_t pte, bool writable)
{
    struct grant_entry *e = &grant_tables[granter - 1][ref];
    struct grant_track *t = grant_tracks[grantee - 1];

    if (e->maps == 0xffffu) {
        return -HV_ENOMEM;
    }
    for (uint32_t i = 0; i < HV_GRANT_MAPS; i++) {
        if (t[i].pte == 0) {
            t[i].pte = (uint32_t)pa_addr(pte);
            t[i].granter = (uint8_t)granter;
            t[i].writable = writable;
            t[i].ref = (uint16_t)ref;
            e->maps++;
            grant_tracks_held[grantee - 1]++;
            return HV_OK;
        }
    }
    return -HV_ENOMEM;
}

static struct grant_track *grant_track_find(uint32_t grantee, uint32_t pte)
{
    struct grant_track *t = grant_tracks[grantee - 1];
    for (uint32_t i = 0; i < HV_GRANT_MAPS; i++) {
        if (t[i].pte == pte) {
            return &t[i];
        }
    }
    return NULL;
}

bool grant_track_exists(uint32_t grantee, paddr_t pte)
{
    uint32_t a = (uint32_t)pa_addr(pte);
    return a != 0 && grant_track_find(grantee, a) != NULL;
}

bool grant_granule_held(paddr_t pa)
{
    uint32_t granule = (uint32_t)pa_addr(pa) & ~(HV_MEM_GRANULE - 1);
    for (uint32_t g = 0; g < HV_MAX_VMS; g++) {
        for (uint32_t r = 0; r < HV_GRANT_ENTRIES; r++) {
            const struct grant_entry *e = &grant_tables[g][r];
            if ((e->flags & GRANT_ORPHAN) &&
                (e->frame & ~(HV_MEM_GRANULE - 1)) == granule) {
                return true;
            }
        }
    }
    return false;
}

static void grant_drop(uint32_t grantee, struct grant_track *t,
                       struct grant_drop *out)
{
    struct grant_entry *e = &grant_tables[t->granter - 1][t->ref];

    out->frame = e->frame;
    out->writable = t->writable;
    out->freed = false;
    memset(t, 0, sizeof(*t));
    grant_tracks_held[grantee - 1]--;
    e->maps--;
    e->flags |= GRANT_STALE;
    if ((e->flags & GRANT_ORPHAN) && e->maps == 0) {
        /* The granter is gone: the frame is nobody's now. */
        memset(e, 0, sizeof(*e));
        paddr_t granule = pa_init(out->frame & ~(HV_MEM_GRANULE - 1));
        if (!grant_granule_held(granule)) {
            mem_free(granule, HV_MEM_GRANULE);
            out->freed = true;
        }
    }
}

bool grant_track_drop(uint32_t grantee, paddr_t pte, struct grant_drop *out)
{
    uint32_t a = (uint32_t)pa_addr(pte);
    struct grant_track *t = a != 0 ? grant_track_find(grantee, a) : NULL;

    if (t == NULL) {
        return false;
    }
    grant_drop(grantee, t, out);
    return true;
}

bool grant_track_pop(uint32_t grantee, struct grant_drop *out)
{
    struct grant_track *t = grant_tracks[grantee - 1];
    for (uint32_t i = 0; i < HV_GRANT_MAPS; i++) {
        if (t[i].pte != 0) {
            grant_drop(grantee, &t[i], out);
            return true;
        }
    }
    return false;
}

bool grant_release_granter(uint32_t granter)
{
    struct grant_entry *t = grant_tables[granter - 1];
    bool stale = false;

    grant_next_free[granter - 1] = 0; /* a next life starts from ref 0 */

    for (uint32_t ref = 0; ref < HV_GRANT_ENTRIES; ref++) {
        if (!(t[ref].flags & GRANT_LIVE)) {
            continue; /* free, or an orphan of an earlier life */
        }
        if (t[ref].maps != 0) {
            t[ref].flags =
                (uint8_t)((t[ref].flags & ~GRANT_LIVE) | GRANT_ORPHAN);
        } else {
            stale |= (t[ref].flags & GRANT_STALE) != 0;
            memset(&t[ref], 0, sizeof(t[ref]));
        }
    }
    return stale;
}

const struct grant_entry *grant_entry_at(uint32_t granter, uint32_t ref)
{
    if (!grant_id_ok(granter) || ref >= HV_GRANT_ENTRIES) {
        return NULL;
    }
    return &grant_tables[granter - 1][ref];
}

const struct grant_track *grant_track_at(uint32_t grantee, uint32_t i)
{
    if (!grant_id_ok(grantee) || i >= HV_GRANT_MAPS) {
        return NULL;
    }
    return &grant_tracks[grantee - 1][i];
}
