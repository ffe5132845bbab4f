/* SPDX-License-Identifier: MIT */
#include "boot_check.h"

#include <hvabi/mmu.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hv/pt.h"

static noreturn void bc_fail(const char *what, const char *name, uint32_t value)
{
    fprintf(stderr, "boot check: %s (%s, value 0x%08x)\n", what, name,
            (unsigned)value);
    abort();
}

static bool bc_terminated(const char *s, size_t size)
{
    return memchr(s, '\0', size) != NULL;
}

void fuzz_check_board(const struct board_desc *b)
{
    uint32_t ram = (uint32_t)pa_addr(b->ram_base);

    if (!bc_terminated(b->model, sizeof(b->model))) {
        bc_fail("model not NUL-terminated", "board", 0);
    }
    if (b->ram_size == 0 || (ram & 0xfffffu) != 0 ||
        (uint64_t)ram + b->ram_size > 0x100000000ull) {
        bc_fail("RAM not 1 MiB-aligned, empty or beyond 4 GiB", "board", ram);
    }
    /* Every role but the optional ones (clock, watchdog, outer cache)
     * has a device; each has the reg windows, interrupt and rate its
     * driver asks for. */
    for (uint32_t k = 0; k < DRIVER_KINDS; k++) {
        const struct board_device *d = &b->devices[k];
        if (!d->driver) {
            if (k < DRIVER_CLOCK) {
                bc_fail("no device for a role", "board", k);
            }
            continue;
        }
        if (d->driver->kind != k || !bc_terminated(d->node, sizeof(d->node))) {
            bc_fail("device of the wrong kind or unterminated path", "board",
                    k);
        }
        for (uint32_t r = 0; r < d->reg_count; r++) {
            if (d->reg[r].size == 0 || !d->driver->regs[r]) {
                bc_fail("empty or unnamed reg window", d->node, r);
            }
        }
        if (d->reg_count > BOARD_DEVICE_REGS || d->driver->regs[d->reg_count]) {
            bc_fail("reg windows missing", d->node, d->reg_count);
        }
        uint32_t lowest = b->irq_cells == 1 ? 0 : 16;
        if ((b->irq_cells != 1 && b->irq_cells != 3) ||
            ((d->driver->flags & DRIVER_IRQ) &&
             (d->irq < lowest || d->irq > 1019))) {
            bc_fail("interrupt outside 16-1019 (GIC) or 0-1019 (lines)",
                    d->node, d->irq);
        }
        if ((d->driver->flags & DRIVER_HZ) && d->hz == 0) {
            bc_fail("zero clock frequency", d->node, 0);
        }
    }
}

/* [p, p + size) inside the package's bytes. */
static bool bc_in_pkg(const struct pkg *pkg, const void *p, uint32_t size)
{
    const uint8_t *b = p;
    const uint8_t *start = pkg->base + pkg->header->header_size;
    const uint8_t *end = pkg->base + pkg->header->total_size;
    return b >= start && b <= end && size <= (size_t)(end - b);
}

static void bc_check_guest(const struct vm_config *c, const struct pkg *pkg)
{
    const char *n = c->name;

    if (!bc_terminated(c->name, sizeof(c->name)) || c->name[0] == '\0' ||
        strchr(c->name, '@')) {
        bc_fail("guest name empty, too long or with '@'", "?", 0);
    }
    if (!bc_terminated(c->cmdline, sizeof(c->cmdline))) {
        bc_fail("bootargs not NUL-terminated", n, 0);
    }
    if (!c->image || !bc_in_pkg(pkg, c->image, c->image_size)) {
        bc_fail("image outside the package", n, c->image_size);
    }
    if (c->mem_size == 0 || (c->mem_size & (HV_MEM_GRANULE - 1)) != 0) {
        bc_fail("memory size not a non-zero multiple of 1 MiB", n, c->mem_size);
    }
    uint32_t top = pt_initial_tables_offset(c->mem_size);
    if ((c->image_offset & 0xfffu) != 0 || c->image_offset >= c->mem_size) {
        bc_fail("image offset misaligned or outside memory", n,
                c->image_offset);
    }
    uint64_t image_end = (uint64_t)c->image_offset + c->image_size;
    if (image_end > (c->dtb ? c->dtb_offset : top)) {
        bc_fail("image overlaps the device tree or initial tables", n,
                (uint32_t)image_end);
    }
    if (c->dtb) {
        if (!bc_in_pkg(pkg, c->dtb, c->dtb_size) ||
            (c->dtb_offset & 0xfffu) != 0 ||
            (uint64_t)c->dtb_offset + c->dtb_size > top) {
            bc_fail("device tree outside the package or below the tables", n,
                    c->dtb_offset);
        }
    }
    if (c->entry_offset < c->image_offset ||
        c->entry_offset - c->image_offset >= c->image_size ||
        (c->entry_offset & 1u) != 0) {
        bc_fail("entry point not an even offset inside the image", n,
                c->entry_offset);
    }
    if ((c->base_gva & (HV_MEM_GRANULE - 1)) != 0 ||
        (uint64_t)c->base_gva + c->mem_size > 0x100000000ull) {
        bc_fail("base address misaligned or memory beyond 4 GiB", n,
                c->base_gva);
    }
    if (c->phys_addr != 0 &&
        ((c->phys_addr & (HV_MEM_GRANULE - 1)) != 0 ||
         (uint64_t)c->phys_addr + c->mem_size > 0x100000000ull)) {
        bc_fail("physical address misaligned or beyond 4 GiB", n, c->phys_addr);
    }
    if (c->weight < 1 || c->weight > HV_WEIGHT_MAX) {
        bc_fail("weight outside 1-100", n, c->weight);
    }
    if (c->hw.irq_count > HV_VM_MAX_IRQS) {
        bc_fail("too many interrupts", n, c->hw.irq_count);
    }
    for (uint32_t i = 0; i < c->hw.irq_count; i++) {
        if (c->hw.irqs[i] < 32 || c->hw.irqs[i] > 1019) {
            bc_fail("interrupt not a shared peripheral one", n, c->hw.irqs[i]);
        }
    }
    if (c->hw.device_count > HV_VM_MAX_DEVICES) {
        bc_fail("too many device regions", n, c->hw.device_count);
    }
    for (uint32_t i = 0; i < c->hw.device_count; i++) {
        const struct vm_device *d = &c->hw.devices[i];
        if (d->size == 0 || ((d->pa | d->size) & 0xfffu) != 0 ||
            d->pa + d->size - 1 < d->pa) {
            bc_fail("device region misaligned, empty or wrapping", n, d->pa);
        }
    }
}

void fuzz_check_manifest(const struct manifest *m, const struct pkg *pkg)
{
    if (m->count == 0 || m->count > HV_MAX_VMS) {
        bc_fail("guest count", "manifest", m->count);
    }
    for (unsigned int i = 0; i < m->count; i++) {
        bc_check_guest(&m->guests[i], pkg);
    }
}

uint32_t fuzz_crc32(uint32_t crc, const void *data, size_t len)
{
    static uint32_t table[256];
    const uint8_t *p = data;

    if (table[1] == 0) {
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++) {
                c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
            }
            table[i] = c;
        }
    }
    crc = ~crc;
    for (size_t i = 0; i < len; i++) {
        crc = table[(crc ^ p[i]) & 0xffu] ^ (crc >> 8);
    }
    return ~crc;
}

size_t fuzz_pkg_build(void *buf, size_t cap, const struct fuzz_pkg_item *items,
                      unsigned int count)
{
    struct hvpkg_header h = {0};
    uint8_t *p = buf;

    h.magic = HVPKG_MAGIC;
    h.version = HVPKG_VERSION;
    h.entry_count = count;
    h.header_size = sizeof(h) + count * sizeof(struct hvpkg_entry);
    size_t total = (h.header_size + 7u) & ~(size_t)7u;
    if (total > cap) {
        return 0;
    }
    memset(buf, 0, total);
    for (unsigned int i = 0; i < count; i++) {
        struct hvpkg_entry e = {{0}, 0, 0, 0, 0};
        snprintf(e.name, sizeof(e.name), "%s", items[i].name);
        e.type = items[i].type;
        e.offset = (uint32_t)total;
        e.size = items[i].size;
        e.crc32 = fuzz_crc32(0, items[i].data, items[i].size);
        if (total + items[i].size + 8 > cap) {
            return 0;
        }
        memcpy(p + total, items[i].data, items[i].size);
        memset(p + total + items[i].size, 0, 8);
        total = (total + items[i].size + 7u) & ~(size_t)7u;
        memcpy(p + sizeof(h) + i * sizeof(e), &e, sizeof(e));
    }
    h.total_size = (uint32_t)total;
    memcpy(p, &h, sizeof(h));
    fuzz_pkg_seal(buf, total);
    return total;
}

void fuzz_pkg_seal(void *pkg, size_t size)
{
    uint8_t *p = pkg;
    struct hvpkg_header h;

    if (size < sizeof(h)) {
        return;
    }
    memcpy(&h, p, sizeof(h));
    uint32_t count = h.entry_count <= HVPKG_MAX_ENTRIES ? h.entry_count : 0;
    if (sizeof(h) + count * sizeof(struct hvpkg_entry) > size) {
        return;
    }
    for (uint32_t i = 0; i < count; i++) {
        struct hvpkg_entry e;
        uint8_t *at = p + sizeof(h) + i * sizeof(e);
        memcpy(&e, at, sizeof(e));
        if (e.offset <= size && e.size <= size - e.offset) {
            e.crc32 = fuzz_crc32(0, p + e.offset, e.size);
            memcpy(at, &e, sizeof(e));
        }
    }
    h.header_crc32 = 0;
    uint32_t crc = fuzz_crc32(0, &h, sizeof(h));
    h.header_crc32 =
        fuzz_crc32(crc, p + sizeof(h), count * sizeof(struct hvpkg_entry));
    memcpy(p, &h, sizeof(h));
}
