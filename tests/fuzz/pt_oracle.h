/* SPDX-License-Identifier: MIT */
/*
 * The page-table oracle of the fuzzers: a second, independent account of
 * what hv/core/pt.c's reference counts must be, and of the invariant of
 * guestabi/include/hvabi/mmu.h (no page-table frame writable at PL0, no entry
 * reaching memory that is not its guest's, every L1 table entry pointing
 * into the hardware half of a pinned L2, no global or malformed entry, the
 * monitor window intact). Any difference aborts with what and where.
 *
 * It is incremental: the fuzzer says which bytes of guest memory an
 * operation may change (pt_oracle_touch: the table it pins or unpins, the
 * entry it updates) and pt_oracle_check then recounts only those entries,
 * from a snapshot of every pinned table, and compares the counts of the
 * frames and sections whose expected counts moved. pt_oracle_full
 * recounts everything from scratch (at the end of every input) and also
 * catches what changed where no operation was said to write: a type or a
 * table entry changed behind the oracle's back is a bug of its own.
 *
 * Compiled without coverage instrumentation: its branches are not the
 * code under test, and it is where the fuzzers spent most of their time.
 */
#ifndef PT_ORACLE_H
#define PT_ORACLE_H

#include "hv/vm.h"

/**
 * Starts over for guests @vms[0 .. @count) (their memory ranges are read
 * now and must not move; a guest that stops keeps its range, with no
 * tables in it). The oracle covers the 1 MiB-aligned span of fake RAM
 * from the lowest guest to the end of the highest, and takes it to hold
 * no table and no reference: if it does, call pt_oracle_touch_all so the
 * next check adopts what is there. @asids: L1 frames may carry an ASID
 * in their reference bits (pt_asid_of), which is then not compared.
 */
void pt_oracle_reset(struct vm *const *vms, unsigned int count, bool asids);

/** Bytes [@pa, @pa + @size) may change (in type or contents) next. */
void pt_oracle_touch(uint32_t pa, uint32_t size);
/** Anything covered may have changed: the next check is a full one. */
void pt_oracle_touch_all(void);

/** After an operation: recounts what was touched, compares, aborts. */
void pt_oracle_check(void);
/** Recounts and compares everything (and forgets what was touched). */
void pt_oracle_full(void);

/**
 * Everything covered was just cleared (pt_release_vm of every guest after
 * a check): what was typed or referenced must read zero now, and the
 * oracle starts over from empty.
 */
void pt_oracle_cleared(void);

/** True if, as last checked, nothing covered is typed or referenced. */
bool pt_oracle_empty(void);

/** Pinned tables now (after a check): L1 base addresses, then L2 frames.
 * Returns how many were stored in @out (at most @max). */
unsigned int pt_oracle_tables(uint32_t *out, unsigned int max);

#endif /* PT_ORACLE_H */
