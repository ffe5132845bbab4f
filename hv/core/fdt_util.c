/* SPDX-License-Identifier: MIT */
/* Small typed readers over libfdt that report what is wrong, by name. */
#include "hv/fdt_util.h"

#include <libfdt.h>
#include <stdio.h>
#include <string.h>

/*
 * Visits every node and property once, so a damaged structure block is
 * found now rather than half-way through reading it. (The libfdt that
 * Linux carries has no fdt_check_full.)
 */
/* Index of the first byte of @s outside printable ASCII, or -1. */
static int fdt_util_unprintable(const char *s)
{
    for (int i = 0; s[i]; i++) {
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e) {
            return i;
        }
    }
    return -1;
}

/*
 * After the root node closes only NOPs and the end tag may follow. libfdt's
 * searches go on past the root, and fdt_get_path steps back before the
 * start of its buffer on a node found there (dt_fuzz found it).
 */
static int fdt_util_check_tags(const void *fdt)
{
    int offset = 0;
    int depth = 0;

    for (;;) {
        int next;
        uint32_t tag = fdt_next_tag(fdt, offset, &next);
        if (next < 0) {
            return next;
        }
        /* A property whose length is negative as an int (0xfffffff4, say)
         * steps this libfdt back onto the same tag or before it: a loop
         * for ever (dt_fuzz found it). Every tag moves forward. */
        if (next <= offset && tag != FDT_END) {
            return -FDT_ERR_BADSTRUCTURE;
        }
        switch (tag) {
        case FDT_BEGIN_NODE:
            if (depth == 0 && offset != 0) {
                return -FDT_ERR_BADSTRUCTURE; /* a second top-level node */
            }
            depth++;
            break;
        case FDT_END_NODE:
            if (--depth < 0) {
                return -FDT_ERR_BADSTRUCTURE;
            }
            break;
        case FDT_PROP:
            if (depth == 0) {
                return -FDT_ERR_BADSTRUCTURE;
            }
            break;
        case FDT_NOP:
            break;
        case FDT_END:
            return depth == 0 && offset != 0 ? 0 : -FDT_ERR_BADSTRUCTURE;
        default:
            return -FDT_ERR_BADSTRUCTURE;
        }
        offset = next;
    }
}

/*
 * Visits every node and property, so later lookups meet no surprise.
 * Names must be printable ASCII: they end up in one-line error messages,
 * where a newline or an escape sequence would forge other lines.
 */
static int fdt_util_walk(const void *fdt)
{
    int depth = 0;
    int node = 0;

    while (node >= 0) {
        int prop;
        const char *node_name = fdt_get_name(fdt, node, NULL);
        if (!node_name || fdt_util_unprintable(node_name) >= 0) {
            return -FDT_ERR_BADSTRUCTURE;
        }
        fdt_for_each_property_offset (prop, fdt, node) {
            int len;
            const char *name;
            if (!fdt_getprop_by_offset(fdt, prop, &name, &len)) {
                return len;
            }
            if (fdt_util_unprintable(name) >= 0) {
                return -FDT_ERR_BADSTRUCTURE;
            }
        }
        if (prop != -FDT_ERR_NOTFOUND) {
            return prop;
        }
        node = fdt_next_node(fdt, node, &depth);
        if (depth < 0) {
            return 0; /* left the root node: every node was visited */
        }
    }
    /* The tree ended without closing the root node. */
    return node == -FDT_ERR_NOTFOUND ? -FDT_ERR_BADSTRUCTURE : node;
}

bool fdt_util_header_ok(const void *fdt, size_t avail, const char *what,
                        char *err, size_t err_size)
{
    if (avail < sizeof(struct fdt_header)) {
        snprintf(err, err_size, "%s: %u bytes, too small for a device tree",
                 what, (unsigned)avail);
        return false;
    }
    int rc = fdt_check_header(fdt);
    if (rc == 0 && fdt_totalsize(fdt) > avail) {
        rc = -FDT_ERR_TRUNCATED;
    }
    /* The specification's alignment, which this libfdt does not check:
     * every tag read would be a misaligned word access otherwise. */
    if (rc == 0 && ((fdt_off_dt_struct(fdt) & 3u) != 0 ||
                    (fdt_off_mem_rsvmap(fdt) & 7u) != 0)) {
        rc = -FDT_ERR_ALIGNMENT;
    }
    if (rc == 0) {
        rc = fdt_util_check_tags(fdt);
    }
    if (rc == 0) {
        rc = fdt_util_walk(fdt);
    }
    if (rc != 0) {
        snprintf(err, err_size, "%s: not a valid device tree (%s)", what,
                 fdt_strerror(rc));
        return false;
    }
    return true;
}

void fdt_util_path(const void *fdt, int node, char *buf, size_t size)
{
    if (fdt_get_path(fdt, node, buf, (int)size) != 0) {
        snprintf(buf, size, "<node at offset %d>", node);
    }
}

bool fdt_util_fail(const void *fdt, int node, const char *prop,
                   const char *problem, const char *what, char *err,
                   size_t err_size)
{
    char path[96];
    fdt_util_path(fdt, node, path, sizeof(path));
    if (prop) {
        snprintf(err, err_size, "%s: node %s: property '%s' %s", what, path,
                 prop, problem);
    } else {
        snprintf(err, err_size, "%s: node %s: %s", what, path, problem);
    }
    return false;
}

int fdt_util_u32(const void *fdt, int node, const char *prop, uint32_t *value,
                 const char *what, char *err, size_t err_size)
{
    char path[96];
    int len;
    const fdt32_t *cell = fdt_getprop(fdt, node, prop, &len);

    if (!cell) {
        return FDT_UTIL_MISSING;
    }
    if (len != 4) {
        fdt_util_path(fdt, node, path, sizeof(path));
        snprintf(err, err_size,
                 "%s: node %s: property '%s' is %d bytes, "
                 "expected one 32-bit cell",
                 what, path, prop, len);
        return FDT_UTIL_BAD;
    }
    *value = fdt32_to_cpu(*cell);
    return FDT_UTIL_OK;
}

bool fdt_util_string(const void *fdt, int node, const char *prop,
                     const char **value, size_t max_len, const char *what,
                     char *err, size_t err_size)
{
    char path[96];
    int len;
    const char *s = fdt_getprop(fdt, node, prop, &len);

    if (!s) {
        *value = NULL;
        return true;
    }
    if (len < 1 || s[len - 1] != '\0' || strlen(s) != (size_t)len - 1) {
        fdt_util_path(fdt, node, path, sizeof(path));
        snprintf(err, err_size,
                 "%s: node %s: property '%s' is not one "
                 "NUL-terminated string",
                 what, path, prop);
        return false;
    }
    if ((size_t)len - 1 > max_len) {
        fdt_util_path(fdt, node, path, sizeof(path));
        snprintf(err, err_size,
                 "%s: node %s: property '%s' is %d "
                 "characters, at most %u allowed",
                 what, path, prop, len - 1, (unsigned)max_len);
        return false;
    }
    int bad = fdt_util_unprintable(s);
    if (bad >= 0) {
        fdt_util_path(fdt, node, path, sizeof(path));
        snprintf(err, err_size,
                 "%s: node %s: property '%s' has byte 0x%02x at %d, not "
                 "printable ASCII",
                 what, path, prop, (unsigned)(unsigned char)s[bad], bad);
        return false;
    }
    *value = s;
    return true;
}
