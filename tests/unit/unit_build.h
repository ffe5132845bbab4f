/* SPDX-License-Identifier: MIT */
/*
 * Builders for the inputs hv/core parses: device trees (libfdt's
 * sequential-write API) and boot packages (as loader/hvpack.c lays them
 * out). Everything lives in unit_alloc memory; a builder error is a broken
 * test, so it aborts.
 */
#ifndef UNIT_BUILD_H
#define UNIT_BUILD_H

#include <hvpkg.h>
#include <stddef.h>
#include <stdint.h>

/* --- Device trees --------------------------------------------------------- */

struct unit_fdt {
    void *blob;
    int size; /* of the buffer being written */
};

/** Starts a tree; the root node is open. */
void unit_fdt_begin(struct unit_fdt *f);
void unit_fdt_node(struct unit_fdt *f, const char *name);
void unit_fdt_end_node(struct unit_fdt *f);
void unit_fdt_u32(struct unit_fdt *f, const char *prop, uint32_t value);
/** A property of @count 32-bit cells, given as further arguments. */
void unit_fdt_cells(struct unit_fdt *f, const char *prop, unsigned int count,
                    ...);
void unit_fdt_str(struct unit_fdt *f, const char *prop, const char *value);
void unit_fdt_empty(struct unit_fdt *f, const char *prop);
void unit_fdt_raw(struct unit_fdt *f, const char *prop, const void *value,
                  int len);
/** Closes the root node and the tree; returns the blob. */
void *unit_fdt_finish(struct unit_fdt *f);

/* --- Boot packages -------------------------------------------------------- */

/* More than a package may hold, so tests can build one too many. */
#define UNIT_PKG_MAX_ITEMS (HVPKG_MAX_ENTRIES + 4)

struct unit_pkg_item {
    const char *name;
    uint32_t type; /* enum hvpkg_type */
    const void *data;
    uint32_t size;
};

struct unit_pkg {
    uint8_t *base;      /* the header; 8-byte aligned */
    size_t size;        /* total_size */
    unsigned int count; /* entries built */
    struct hvpkg_header *header;
    struct hvpkg_entry *entries;
    const uint8_t *monitor;
    uint32_t monitor_size;
};

/**
 * Lays out @count items exactly as hvpack does, with a monitor binary of
 * @monitor_size bytes (made up here) recorded in the header.
 */
void unit_pkg_build(struct unit_pkg *p, const struct unit_pkg_item *items,
                    unsigned int count, uint32_t monitor_size);
/** A good package: board.dtb, manifest.dtb and images "img-a", "img-b". */
void unit_pkg_standard(struct unit_pkg *p);
/** Recomputes the header CRC, so an edit trips only the check it aims at. */
void unit_pkg_seal(struct unit_pkg *p);
/** Recomputes entry @index's payload CRC, then the header CRC. */
void unit_pkg_seal_entry(struct unit_pkg *p, unsigned int index);

#endif /* UNIT_BUILD_H */
