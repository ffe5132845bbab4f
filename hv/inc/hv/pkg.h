/* SPDX-License-Identifier: MIT */
/* Reading the boot package (format in loader/include/hvpkg.h). */
#ifndef HV_PKG_H
#define HV_PKG_H

#include <hvpkg.h>

#include "hv/types.h"

struct pkg {
    const uint8_t *base;
    const struct hvpkg_header *header;
    const struct hvpkg_entry *entries;
};

/**
 * Validates the package at @base, of which at most @avail bytes are
 * readable: header, entry table and every payload's CRC. On failure writes
 * a one-line reason to @err and returns false; nothing in the package may
 * be used then.
 */
bool pkg_open(struct pkg *pkg, const void *base, size_t avail, char *err,
              size_t err_size);
/** Checks the CRC of the monitor binary the package records. */
bool pkg_check_monitor(const struct pkg *pkg, const void *monitor,
                       size_t monitor_avail, char *err, size_t err_size);
/** The entry of @type (and @name, unless NULL), or NULL. */
const struct hvpkg_entry *pkg_find(const struct pkg *pkg, uint32_t type,
                                   const char *name);
const void *pkg_payload(const struct pkg *pkg, const struct hvpkg_entry *entry);

#endif /* HV_PKG_H */
