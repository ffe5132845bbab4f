/* SPDX-License-Identifier: MIT */
/*
 * Monitor self-check: recomputes the page-table bookkeeping of pt.c from
 * the pinned tables themselves and checks the event-channel pairs, so a
 * run that ends can show the monitor's state was still consistent.
 */
#ifndef HV_SELFCHECK_H
#define HV_SELFCHECK_H

#include "hv/types.h"

#define SELFCHECK_WHAT_MAX 160

struct selfcheck_result {
    bool ok;
    char what[SELFCHECK_WHAT_MAX]; /* the first inconsistency found */
    /* What was checked (all live guests together). */
    uint32_t guests;
    uint32_t l1_tables;    /* pinned L1 tables */
    uint32_t l2_tables;    /* pinned L2 frames */
    uint32_t l2_refs;      /* L1 entries pointing at L2 frames */
    uint32_t page_rw_refs; /* writable small-page mappings */
    uint32_t section_rw;   /* writable section mappings */
    uint32_t shared_pages; /* registered shared vCPU pages */
    uint32_t ports;        /* bound event-channel ports, port 0 aside */
    uint32_t asids;        /* ASIDs held by L1 tables */
    uint32_t grants;       /* live grants */
    uint32_t grant_maps;   /* mappings of granted frames */
};

/** Checks every live guest; @out says what was found. True if ok. */
bool selfcheck_run(struct selfcheck_result *out);
/**
 * selfcheck_run, then one console line: "self-check: ok (counts)" or
 * "self-check: FAILED: what". True if ok.
 */
bool selfcheck_report(void);

#endif /* HV_SELFCHECK_H */
