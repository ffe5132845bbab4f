/* SPDX-License-Identifier: MIT */
/*
 * Grant tables (<hvabi/grant.h>): per guest, the frames it grants and to
 * whom, and the mappings it holds of frames granted to it (a "track" per
 * mapping, keyed by the page-table entry that holds it). Below the page
 * tables: pt.c asks here whether a mapping of another guest's frame is a
 * grant mapping, and records and drops them; the counts of the frames
 * themselves stay pt.c's.
 */
#ifndef HV_GRANT_H
#define HV_GRANT_H

#include "hv/vm_types.h"

/* struct grant_entry.flags */
#define GRANT_LIVE 1u     /* granted: the peer may map or copy */
#define GRANT_READONLY 2u /* HV_GRANT_READONLY */
#define GRANT_ORPHAN 4u   /* the granter stopped while mapped: no new use */
#define GRANT_STALE 8u    /* unmapped since the peer's TLB was flushed */

struct grant_entry {
    uint32_t frame; /* physical address; 0 when free */
    uint8_t peer;   /* the grantee's id */
    uint8_t flags;
    uint16_t maps; /* tracks naming this entry */
};

struct grant_track {
    uint32_t pte; /* physical address of the L2 entry; 0 when free */
    uint8_t granter;
    uint8_t writable;
    uint16_t ref;
};

/* What dropping a track did. */
struct grant_drop {
    uint32_t frame;
    bool writable;
    bool freed; /* an orphan's last mapping: its granule was freed */
};

void grant_init(void);

/* Tracks each guest holds, by id - 1 (grant.c keeps it). */
extern uint16_t grant_tracks_held[HV_MAX_VMS];
/** True if guest @id maps any granted frame (cheap: the update path). */
static inline bool grant_holds_maps(uint32_t id)
{
    return grant_tracks_held[id - 1] != 0;
}

/** HV_OP_GRANT_ACCESS: a new grant of @frame of @vm to @peer; ref or -E. */
int32_t grant_access(const struct vm *vm, paddr_t frame, uint32_t peer,
                     uint32_t flags);
/**
 * HV_OP_GRANT_END. *@flush_peer is set to the peer's id when its TLB must
 * be flushed before the frame is the granter's alone, else 0.
 */
int32_t grant_end(const struct vm *vm, uint32_t ref, uint32_t *flush_peer);
/**
 * The frame of grant @ref of @granter to @grantee, if it may be used now
 * (live, not orphaned) for @write: -HV_ENOENT, -HV_EPERM.
 */
int32_t grant_find(uint32_t grantee, uint32_t granter, uint32_t ref, bool write,
                   paddr_t *frame);
/** Records that @grantee's entry at @pte maps grant @ref of @granter. */
int32_t grant_track_add(uint32_t grantee, uint32_t granter, uint32_t ref,
                        paddr_t pte, bool writable);
/** True if @grantee's entry at @pte holds a grant mapping. */
bool grant_track_exists(uint32_t grantee, paddr_t pte);
/** Drops the track of @grantee's entry at @pte; false if there is none. */
bool grant_track_drop(uint32_t grantee, paddr_t pte, struct grant_drop *out);
/** Drops some track of @grantee (it stops); false when none is left. */
bool grant_track_pop(uint32_t grantee, struct grant_drop *out);
/**
 * @granter stops: grants nobody maps end, mapped ones become orphans.
 * True if some ended grant may still be in a peer's TLB.
 */
bool grant_release_granter(uint32_t granter);
/** True if the 1 MiB granule at @pa holds a frame an orphan keeps. */
bool grant_granule_held(paddr_t pa);

/* For pt.c, the self-check and tests: the tables as they are. */
const struct grant_entry *grant_entry_at(uint32_t granter, uint32_t ref);
const struct grant_track *grant_track_at(uint32_t grantee, uint32_t i);

#endif /* HV_GRANT_H */
