/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the boot package (hv/core/pkg.c, format in
 * loader/include/hvpkg.h) and what boot reads from it: the input is a
 * mode byte, then the bytes after the monitor. With bit 0 of the mode set
 * the harness first recomputes the entry and header CRC-32s, so mutations
 * reach the checks behind them. As boot_start does: pkg_open, the monitor
 * check, the board and manifest entries through fdt_util_header_ok,
 * board_parse and manifest_parse. Anything accepted must pass
 * boot_check.c and the package's own invariants. Seeds: the packages of
 * the images the build makes, and packages of the test manifests
 * (tests/fuzz/seeds.py).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot_check.h"
#include "hv/fdt_util.h"

static noreturn void pf_fail(const char *what, unsigned int index)
{
    fprintf(stderr, "pkg_fuzz: %s (entry %u)\n", what, index);
    abort();
}

static void pf_check_err(const char *err, size_t size, const char *what)
{
    if (!memchr(err, '\0', size) || err[0] == '\0') {
        pf_fail(what, 0);
    }
}

/* An accepted package: everything it describes lies inside it. */
static void pf_check_pkg(const struct pkg *pkg, size_t avail)
{
    const struct hvpkg_header *h = pkg->header;

    if (h->total_size > avail || h->header_size > h->total_size ||
        h->entry_count == 0 || h->entry_count > HVPKG_MAX_ENTRIES) {
        pf_fail("header accepted with bad sizes", h->entry_count);
    }
    for (unsigned int i = 0; i < h->entry_count; i++) {
        const struct hvpkg_entry *e = &pkg->entries[i];
        if (!memchr(e->name, '\0', sizeof(e->name)) ||
            e->offset < h->header_size || e->offset > h->total_size ||
            e->size > h->total_size - e->offset || (e->offset & 7u) != 0) {
            pf_fail("entry accepted outside the package", i);
        }
    }
    /* The board tree is optional (the boot loader's, from r2); at most
     * one of it and exactly one manifest. */
    unsigned int boards = 0;
    unsigned int manifests = 0;
    for (unsigned int i = 0; i < h->entry_count; i++) {
        boards += pkg->entries[i].type == HVPKG_TYPE_BOARD_DTB;
        manifests += pkg->entries[i].type == HVPKG_TYPE_MANIFEST;
    }
    if (boards > 1 || manifests != 1) {
        pf_fail("package accepted with a board count other than 0 or 1, or "
                "a manifest count other than 1",
                boards * 100 + manifests);
    }
}

/* An entry read as a device tree, as boot_fdt does; NULL if there is
 * none or it is no device tree. */
static const void *pf_fdt(const struct pkg *pkg, uint32_t type)
{
    char err[200] = {0};
    const struct hvpkg_entry *e = pkg_find(pkg, type, NULL);
    if (!e) {
        return NULL; /* a board tree is optional: the boot loader's */
    }
    const void *fdt = pkg_payload(pkg, e);
    if (!fdt_util_header_ok(fdt, e->size, "fuzz", err, sizeof(err))) {
        pf_check_err(err, sizeof(err), "fdt_util_header_ok");
        return NULL;
    }
    return fdt;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t monitor[4096];
    static struct manifest manifest;
    char err[200] = {0};
    struct pkg pkg;

    if (size == 0) {
        return 0;
    }
    size_t n = size - 1;
    uint8_t *base = malloc(n ? n : 1); /* exact size: ASan sees overreads */
    memcpy(base, data + 1, n);
    if (data[0] & 1) {
        fuzz_pkg_seal(base, n);
    }
    if (!pkg_open(&pkg, base, n, err, sizeof(err))) {
        pf_check_err(err, sizeof(err), "pkg_open");
        free(base);
        return 0;
    }
    pf_check_pkg(&pkg, n);
    /* Boot stops when the monitor's CRC is wrong; reading on tests more. */
    pkg_check_monitor(&pkg, monitor, sizeof(monitor), err, sizeof(err));
    const void *board_fdt = pf_fdt(&pkg, HVPKG_TYPE_BOARD_DTB);
    struct board_desc board;
    if (board_fdt && board_parse(board_fdt, &board, err, sizeof(err))) {
        fuzz_check_board(&board);
    }
    const void *manifest_fdt = pf_fdt(&pkg, HVPKG_TYPE_MANIFEST);
    if (manifest_fdt &&
        manifest_parse(manifest_fdt, &pkg, &manifest, err, sizeof(err))) {
        fuzz_check_manifest(&manifest, &pkg);
    }
    free(base);
    return 0;
}
