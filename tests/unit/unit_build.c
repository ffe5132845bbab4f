/* SPDX-License-Identifier: MIT */
#include "unit_build.h"

#include <libfdt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hv/crc32.h"
#include "hv/types.h"
#include "unit.h"

/* The package is read by casting, as on the little-endian target. */
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "hvpkg is little-endian and hv/core reads it natively"
#endif

#define UNIT_FDT_BUFFER 65536
#define UNIT_ALIGN8(x) ALIGN_UP((x), HVPKG_PAYLOAD_ALIGN)

static void unit_fdt_check(int rc, const char *op)
{
    if (rc != 0) {
        fprintf(stderr, "unit: %s: %s\n", op, fdt_strerror(rc));
        abort();
    }
}

void unit_fdt_begin(struct unit_fdt *f)
{
    f->size = UNIT_FDT_BUFFER;
    f->blob = unit_alloc(UNIT_FDT_BUFFER);
    unit_fdt_check(fdt_create(f->blob, f->size), "fdt_create");
    unit_fdt_check(fdt_finish_reservemap(f->blob), "fdt_finish_reservemap");
    unit_fdt_check(fdt_begin_node(f->blob, ""), "fdt_begin_node /");
}

void unit_fdt_node(struct unit_fdt *f, const char *name)
{
    unit_fdt_check(fdt_begin_node(f->blob, name), name);
}

void unit_fdt_end_node(struct unit_fdt *f)
{
    unit_fdt_check(fdt_end_node(f->blob), "fdt_end_node");
}

void unit_fdt_u32(struct unit_fdt *f, const char *prop, uint32_t value)
{
    unit_fdt_check(fdt_property_u32(f->blob, prop, value), prop);
}

void unit_fdt_cells(struct unit_fdt *f, const char *prop, unsigned int count,
                    ...)
{
    fdt32_t cells[16];
    va_list args;

    if (count > 16) {
        fprintf(stderr, "unit: %s: too many cells\n", prop);
        abort();
    }
    va_start(args, count);
    for (unsigned int i = 0; i < count; i++) {
        cells[i] = cpu_to_fdt32(va_arg(args, uint32_t));
    }
    va_end(args);
    unit_fdt_check(fdt_property(f->blob, prop, cells, (int)(count * 4)), prop);
}

void unit_fdt_str(struct unit_fdt *f, const char *prop, const char *value)
{
    unit_fdt_check(fdt_property_string(f->blob, prop, value), prop);
}

void unit_fdt_empty(struct unit_fdt *f, const char *prop)
{
    unit_fdt_check(fdt_property(f->blob, prop, NULL, 0), prop);
}

void unit_fdt_raw(struct unit_fdt *f, const char *prop, const void *value,
                  int len)
{
    unit_fdt_check(fdt_property(f->blob, prop, value, len), prop);
}

void *unit_fdt_finish(struct unit_fdt *f)
{
    unit_fdt_check(fdt_end_node(f->blob), "fdt_end_node /");
    unit_fdt_check(fdt_finish(f->blob), "fdt_finish");
    return f->blob;
}

void unit_pkg_build(struct unit_pkg *p, const struct unit_pkg_item *items,
                    unsigned int count, uint32_t monitor_size)
{
    uint32_t header_size = (uint32_t)(sizeof(struct hvpkg_header) +
                                      count * sizeof(struct hvpkg_entry));
    uint32_t offsets[UNIT_PKG_MAX_ITEMS];
    uint32_t total = UNIT_ALIGN8(header_size);

    if (count > UNIT_PKG_MAX_ITEMS) {
        fprintf(stderr, "unit: package of %u items\n", count);
        abort();
    }
    for (unsigned int i = 0; i < count; i++) {
        offsets[i] = total;
        total = UNIT_ALIGN8(total + items[i].size);
    }
    /* Slack past the end, so tests can lie about sizes without the
     * sanitizer catching the lie before hv/core does. */
    p->base = unit_alloc(total + 64);
    p->size = total;
    p->count = count;
    p->header = (struct hvpkg_header *)p->base;
    p->entries = (struct hvpkg_entry *)(p->header + 1);

    for (unsigned int i = 0; i < count; i++) {
        struct hvpkg_entry *e = &p->entries[i];
        snprintf(e->name, sizeof(e->name), "%s", items[i].name);
        e->type = items[i].type;
        e->offset = offsets[i];
        e->size = items[i].size;
        if (items[i].size > 0) {
            memcpy(p->base + offsets[i], items[i].data, items[i].size);
        }
        e->crc32 = crc32_update(0, p->base + offsets[i], items[i].size);
    }

    uint8_t *monitor = unit_alloc(monitor_size + 1);
    for (uint32_t i = 0; i < monitor_size; i++) {
        monitor[i] = (uint8_t)(i * 7 + 3);
    }
    p->monitor = monitor;
    p->monitor_size = monitor_size;

    p->header->magic = HVPKG_MAGIC;
    p->header->version = HVPKG_VERSION;
    p->header->header_size = header_size;
    p->header->total_size = total;
    p->header->entry_count = count;
    p->header->monitor_size = monitor_size;
    p->header->monitor_crc32 = crc32_update(0, monitor, monitor_size);
    unit_pkg_seal(p);
}

void unit_pkg_standard(struct unit_pkg *p)
{
    static const char board[] = "board device tree stand-in";
    static const char manifest[] = "manifest stand-in";
    static const char image_a[] = "image A: 25 bytes + NUL";
    static const uint8_t image_b[3] = {1, 2, 3};
    const struct unit_pkg_item items[] = {
        {"board.dtb", HVPKG_TYPE_BOARD_DTB, board, sizeof(board)},
        {"manifest.dtb", HVPKG_TYPE_MANIFEST, manifest, sizeof(manifest)},
        {"img-a", HVPKG_TYPE_IMAGE, image_a, sizeof(image_a)},
        {"img-b", HVPKG_TYPE_IMAGE, image_b, sizeof(image_b)},
    };
    unit_pkg_build(p, items, 4, 1000);
}

void unit_pkg_seal(struct unit_pkg *p)
{
    /* hvpack's way: CRC of header (CRC field 0) and entries in one go. */
    uint32_t count = p->header->entry_count;
    if (count > p->count) {
        count = p->count; /* a lie under test; never read past the table */
    }
    p->header->header_crc32 = 0;
    p->header->header_crc32 = crc32_update(
        0, p->base,
        sizeof(struct hvpkg_header) + count * sizeof(struct hvpkg_entry));
}

void unit_pkg_seal_entry(struct unit_pkg *p, unsigned int index)
{
    struct hvpkg_entry *e = &p->entries[index];
    e->crc32 = crc32_update(0, p->base + e->offset, e->size);
    unit_pkg_seal(p);
}
