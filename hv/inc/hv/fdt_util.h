/* SPDX-License-Identifier: MIT */
#ifndef HV_FDT_UTIL_H
#define HV_FDT_UTIL_H

#include "hv/types.h"

enum {
    FDT_UTIL_OK = 0,
    FDT_UTIL_MISSING = 1, /* the property is absent; err untouched */
    FDT_UTIL_BAD = 2,     /* present but malformed; err says how */
};

/** Checks that @fdt is a complete, well-formed blob within @avail. */
bool fdt_util_header_ok(const void *fdt, size_t avail, const char *what,
                        char *err, size_t err_size);
/** Full path of @node, for messages. */
void fdt_util_path(const void *fdt, int node, char *buf, size_t size);
/**
 * Writes "<what>: node <path>: property '<prop>' <problem>" to @err (without
 * the property part when @prop is NULL); returns false, for
 * "return fdt_util_fail(...)".
 */
bool fdt_util_fail(const void *fdt, int node, const char *prop,
                   const char *problem, const char *what, char *err,
                   size_t err_size);
/** Reads a one-cell property. */
int fdt_util_u32(const void *fdt, int node, const char *prop, uint32_t *value,
                 const char *what, char *err, size_t err_size);
/**
 * Reads a string property of at most @max_len characters; *value is NULL
 * when absent. False (with err set) when malformed or too long.
 */
bool fdt_util_string(const void *fdt, int node, const char *prop,
                     const char **value, size_t max_len, const char *what,
                     char *err, size_t err_size);

#endif /* HV_FDT_UTIL_H */
