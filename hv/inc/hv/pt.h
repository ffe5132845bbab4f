/* SPDX-License-Identifier: MIT */
/*
 * Validation of guest page tables (rules in guestabi/include/hvabi/mmu.h).
 *
 * Every 4 KiB frame of guest RAM has a type (none, L1, L2) and counts:
 * how many pinned L1 entries point at it (L2 frames) and how many pinned
 * entries map it writable. Each 1 MiB section also counts its writable
 * section mappings and its page-table frames. Those counts make both
 * sides of the invariant O(1) to check: a page-table frame is never
 * writable at PL0.
 */
#ifndef HV_PT_H
#define HV_PT_H

#include "hv/vm_types.h"

/** Covers [@base, @base + @size) of RAM, the memory guests are given. */
void pt_init(paddr_t base, uint32_t size);

/**
 * Registers the 16 KiB L1 table at @pa of @vm: its first @zero_bytes are
 * written 0, every other entry is validated.
 */
int32_t pt_pin_l1(struct vm *vm, paddr_t pa, uint32_t zero_bytes);
/**
 * Registers the L2 frame at @pa: its first @zero_bytes are written 0,
 * the rest of its hardware half is validated.
 */
int32_t pt_pin_l2(struct vm *vm, paddr_t pa, uint32_t zero_bytes);
/** Releases a pinned table that nothing uses any more. */
int32_t pt_unpin(struct vm *vm, paddr_t pa);
/** Writes @value to the entry at @entry_pa of a pinned table of @vm. */
int32_t pt_update(struct vm *vm, paddr_t entry_pa, uint32_t value);
/** True if @pa is a pinned L1 table of @vm (may be switched to). */
bool pt_is_l1(const struct vm *vm, paddr_t pa);
/** The ASID of pinned L1 @l1 (allocated now if it has none). */
uint32_t pt_asid_of(paddr_t l1);
/** @l1's ASID if it holds one, else 0 (no TLB entry can be tagged). */
uint32_t pt_asid_live(const struct vm *vm, paddr_t l1);
/** Flushes the TLB entries of every ASID of @vm's tables. */
void pt_asid_flush_vm(const struct vm *vm);
/**
 * Unpins every table of @vm (when it stops) and drops its grant mappings;
 * frames of @vm others still map keep their counts (docs/design.md,
 * "Grants").
 */
void pt_release_vm(struct vm *vm);

/**
 * HV_OP_GRANT_MAP: writes the L2 entry at @entry_pa of @vm, a fault now,
 * to map grant @ref of @granter with attributes @attrs.
 */
int32_t pt_grant_map(struct vm *vm, uint32_t granter, uint32_t ref,
                     paddr_t entry_pa, uint32_t attrs);
/** HV_OP_GRANT_UNMAP: clears @vm's grant mapping at @entry_pa. */
int32_t pt_grant_unmap(struct vm *vm, paddr_t entry_pa);

/**
 * Translates @va through @vm's active tables as its USR-mode code would
 * (for @write or read). -HV_EFAULT if that access would fault.
 */
int32_t pt_translate(const struct vm *vm, uint32_t va, bool write, paddr_t *pa);

/** Where pt_build_initial put the initial tables (physical addresses). */
struct pt_initial {
    uint32_t l1;
    uint32_t l2_first;
    uint32_t l2_count;
};
/**
 * Where, from the start of guest memory of @mem_size bytes, the initial
 * tables begin: the image must end below it. 0 if they do not fit.
 */
uint32_t pt_initial_tables_offset(uint32_t mem_size);
/**
 * Builds and pins @vm's initial address space in its memory, below the
 * start-info page (see <hvabi/mmu.h>), and makes it the active one.
 */
int32_t pt_build_initial(struct vm *vm, struct pt_initial *out);

/**
 * Marks @pa as @vm's shared vCPU page, which may be mapped writable but
 * never pinned as a table (and must not be one now: -HV_EBUSY).
 */
int32_t pt_set_shared(struct vm *vm, paddr_t pa);
void pt_clear_shared(struct vm *vm, paddr_t pa);

/* For tests and the fuzzer: the raw counts of a frame. */
struct pt_frame_counts {
    uint32_t type; /* 0 none, 1 L1, 2 L2, 3 shared vCPU page */
    uint32_t type_refs;
    uint32_t writable_refs;
    uint32_t used_entries; /* tables: entries the hardware reads, not 0 */
};
bool pt_frame_counts(paddr_t pa, struct pt_frame_counts *out);
uint32_t pt_section_writable_refs(paddr_t pa);

/*
 * For the monitor self-check (selfcheck.c) and its tests: where pt.c keeps
 * its bookkeeping. Read it through pt_frame_counts and
 * pt_section_writable_refs; the pointers are for what those do not show
 * (and for tests that corrupt it on purpose).
 */
struct pt_view {
    uint32_t base;              /* physical address of the first frame */
    uint32_t frames;            /* 4 KiB frames covered from base */
    uint32_t *frame_words;      /* one per frame (encoding private) */
    uint16_t *section_tables;   /* per 1 MiB: table frames in it */
    const uint32_t *asid_owner; /* per ASID: its L1's address, 0 free */
    uint32_t asids;             /* entries of asid_owner (0 unused) */
};
void pt_selfcheck_view(struct pt_view *out);

#endif /* HV_PT_H */
