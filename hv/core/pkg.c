/* SPDX-License-Identifier: MIT */
/*
 * Validation of the boot package. Nothing from the package is used before
 * every check here has passed, so a truncated or corrupted image is
 * refused as a whole instead of booting half.
 */
#include "hv/pkg.h"

#include <stdio.h>
#include <string.h>

#include "hv/crc32.h"

static bool pkg_fail(char *err, size_t err_size, const char *what)
{
    snprintf(err, err_size, "%s", what);
    return false;
}

static bool pkg_entry_ok(const struct pkg *pkg, unsigned int index, char *err,
                         size_t err_size)
{
    const struct hvpkg_header *h = pkg->header;
    const struct hvpkg_entry *e = &pkg->entries[index];

    if (memchr(e->name, '\0', sizeof(e->name)) == NULL || e->name[0] == 0) {
        snprintf(err, err_size,
                 "package entry %u: name empty or not "
                 "NUL-terminated",
                 index);
        return false;
    }
    /* Names go into one-line messages: printable ASCII only. */
    for (unsigned int i = 0; e->name[i]; i++) {
        if ((unsigned char)e->name[i] < 0x20 ||
            (unsigned char)e->name[i] > 0x7e) {
            snprintf(err, err_size,
                     "package entry %u: name has byte 0x%02x at %u, not "
                     "printable ASCII",
                     index, (unsigned)(unsigned char)e->name[i], i);
            return false;
        }
    }
    if (e->type < HVPKG_TYPE_BOARD_DTB || e->type > HVPKG_TYPE_IMAGE) {
        snprintf(err, err_size, "package entry '%s': unknown type %u", e->name,
                 (unsigned)e->type);
        return false;
    }
    if (!IS_ALIGNED(e->offset, HVPKG_PAYLOAD_ALIGN) ||
        e->offset < h->header_size || e->offset > h->total_size ||
        e->size > h->total_size - e->offset) {
        snprintf(err, err_size,
                 "package entry '%s': payload at offset "
                 "%u, %u bytes, outside the %u-byte package or misaligned",
                 e->name, (unsigned)e->offset, (unsigned)e->size,
                 (unsigned)h->total_size);
        return false;
    }
    for (unsigned int j = 0; j < index; j++) {
        if (strcmp(pkg->entries[j].name, e->name) == 0) {
            snprintf(err, err_size, "package entry '%s' appears twice",
                     e->name);
            return false;
        }
    }
    uint32_t crc = crc32_update(0, pkg->base + e->offset, e->size);
    if (crc != e->crc32) {
        snprintf(err, err_size,
                 "package entry '%s': CRC-32 is 0x%08x, "
                 "expected 0x%08x (image corrupt or truncated)",
                 e->name, (unsigned)crc, (unsigned)e->crc32);
        return false;
    }
    return true;
}

bool pkg_open(struct pkg *pkg, const void *base, size_t avail, char *err,
              size_t err_size)
{
    const struct hvpkg_header *h = base;

    pkg->base = base;
    pkg->header = h;
    pkg->entries = (const struct hvpkg_entry *)(h + 1);

    if (avail < sizeof(*h)) {
        return pkg_fail(err, err_size,
                        "boot package truncated: no room "
                        "for its header");
    }
    if (h->magic != HVPKG_MAGIC) {
        snprintf(err, err_size,
                 "no boot package after the monitor (magic "
                 "0x%08x, expected 0x%08x)",
                 (unsigned)h->magic, (unsigned)HVPKG_MAGIC);
        return false;
    }
    if (h->version != HVPKG_VERSION) {
        snprintf(err, err_size,
                 "boot package version %u, this monitor "
                 "reads version %u",
                 (unsigned)h->version, (unsigned)HVPKG_VERSION);
        return false;
    }
    if (h->entry_count == 0 || h->entry_count > HVPKG_MAX_ENTRIES) {
        snprintf(err, err_size,
                 "boot package has %u entries (1 .. %u "
                 "allowed)",
                 (unsigned)h->entry_count, (unsigned)HVPKG_MAX_ENTRIES);
        return false;
    }
    if (h->header_size !=
        sizeof(*h) + h->entry_count * sizeof(struct hvpkg_entry)) {
        return pkg_fail(err, err_size,
                        "boot package header size does not "
                        "match its entry count");
    }
    if (h->total_size < h->header_size || h->total_size > avail) {
        snprintf(err, err_size,
                 "boot package claims %u bytes, %u are "
                 "available (truncated or corrupt)",
                 (unsigned)h->total_size, (unsigned)avail);
        return false;
    }
    struct hvpkg_header copy = *h;
    copy.header_crc32 = 0;
    uint32_t crc = crc32_update(0, &copy, sizeof(copy));
    crc = crc32_update(crc, pkg->entries,
                       h->entry_count * sizeof(struct hvpkg_entry));
    if (crc != h->header_crc32) {
        snprintf(err, err_size,
                 "boot package header CRC-32 is 0x%08x, "
                 "expected 0x%08x (corrupt)",
                 (unsigned)crc, (unsigned)h->header_crc32);
        return false;
    }
    for (unsigned int i = 0; i < h->entry_count; i++) {
        if (!pkg_entry_ok(pkg, i, err, err_size)) {
            return false;
        }
    }
    unsigned int boards = 0;
    unsigned int manifests = 0;
    for (unsigned int i = 0; i < h->entry_count; i++) {
        boards += pkg->entries[i].type == HVPKG_TYPE_BOARD_DTB;
        manifests += pkg->entries[i].type == HVPKG_TYPE_MANIFEST;
    }
    /* No board tree: the boot loader passes it (U-Boot's bootm, r2). */
    if (boards > 1 || manifests != 1) {
        snprintf(err, err_size,
                 "boot package has %u board device tree(s) and %u "
                 "manifest(s); at most one board tree and exactly one "
                 "manifest are allowed",
                 boards, manifests);
        return false;
    }
    return true;
}

bool pkg_check_monitor(const struct pkg *pkg, const void *monitor,
                       size_t monitor_avail, char *err, size_t err_size)
{
    const struct hvpkg_header *h = pkg->header;

    if (h->monitor_size > monitor_avail) {
        snprintf(err, err_size,
                 "package records a %u-byte monitor, this "
                 "one is %u bytes",
                 (unsigned)h->monitor_size, (unsigned)monitor_avail);
        return false;
    }
    uint32_t crc = crc32_update(0, monitor, h->monitor_size);
    if (crc != h->monitor_crc32) {
        snprintf(err, err_size,
                 "monitor CRC-32 is 0x%08x, expected 0x%08x "
                 "(image corrupt, or packed with another monitor)",
                 (unsigned)crc, (unsigned)h->monitor_crc32);
        return false;
    }
    return true;
}

const struct hvpkg_entry *pkg_find(const struct pkg *pkg, uint32_t type,
                                   const char *name)
{
    for (unsigned int i = 0; i < pkg->header->entry_count; i++) {
        const struct hvpkg_entry *e = &pkg->entries[i];
        if (e->type == type && (!name || strcmp(e->name, name) == 0)) {
            return e;
        }
    }
    return NULL;
}

const void *pkg_payload(const struct pkg *pkg, const struct hvpkg_entry *entry)
{
    return pkg->base + entry->offset;
}
