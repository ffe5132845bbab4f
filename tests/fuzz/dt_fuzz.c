/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the device-tree readers of boot: the input is one
 * blob, checked as boot checks a package entry (fdt_util_header_ok), then
 * read both as the board description (board.c) and as the guest manifest
 * (manifest.c, against a package holding the images the test manifests
 * name: "tguest", "linux", "dtb-linux"). What either accepts must pass
 * boot_check.c; what either refuses must say why.
 * Seeds: every .dts of hv/boards, tests/systems, tests/dt and
 * tests/linux, compiled by the build (tests/fuzz/seeds.py).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot_check.h"
#include "hv/fdt_util.h"

static uint64_t dt_pkg_buf[(64 * 1024) / 8];
static struct pkg dt_pkg;

static void dt_setup(void)
{
    static uint8_t tguest[4096];
    static uint8_t linux_image[32768];
    static uint8_t dtb[512];
    static const uint8_t placeholder[8] = {0};
    char err[200];

    for (size_t i = 0; i < sizeof(linux_image); i++) {
        linux_image[i] = (uint8_t)(i * 7);
    }
    memcpy(tguest, "tguest", 6);
    memcpy(dtb, "\xd0\x0d\xfe\xed", 4);
    const struct fuzz_pkg_item items[] = {
        {"board.dtb", HVPKG_TYPE_BOARD_DTB, placeholder, sizeof(placeholder)},
        {"manifest.dtb", HVPKG_TYPE_MANIFEST, placeholder, sizeof(placeholder)},
        {"tguest", HVPKG_TYPE_IMAGE, tguest, sizeof(tguest)},
        {"linux", HVPKG_TYPE_IMAGE, linux_image, sizeof(linux_image)},
        {"dtb-linux", HVPKG_TYPE_IMAGE, dtb, sizeof(dtb)},
    };
    size_t n = fuzz_pkg_build(dt_pkg_buf, sizeof(dt_pkg_buf), items,
                              ARRAY_SIZE(items));
    if (n == 0 || !pkg_open(&dt_pkg, dt_pkg_buf, n, err, sizeof(err))) {
        fprintf(stderr, "dt_fuzz: the package: %s\n", n ? err : "too big");
        abort();
    }
}

/* A refusal gives a reason. (Names from the input are echoed as they
 * are, control characters too: see tests/fuzz/crashes/README.md.) */
static void dt_check_err(const char *err, size_t size, const char *what)
{
    if (!memchr(err, '\0', size) || err[0] == '\0') {
        fprintf(stderr, "dt_fuzz: %s refused without a reason\n", what);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool once;
    char err[200];

    if (!once) {
        once = true;
        dt_setup();
    }
    /* An exact-size copy, 8-byte aligned as package payloads are: ASan
     * sees any read past the end. */
    uint8_t *fdt = malloc(size ? size : 1);
    memcpy(fdt, data, size);
    memset(err, 0, sizeof(err));
    if (!fdt_util_header_ok(fdt, size, "fuzz", err, sizeof(err))) {
        dt_check_err(err, sizeof(err), "fdt_util_header_ok");
        free(fdt);
        return 0;
    }
    struct board_desc board;
    memset(err, 0, sizeof(err));
    if (board_parse(fdt, &board, err, sizeof(err))) {
        fuzz_check_board(&board);
    } else {
        dt_check_err(err, sizeof(err), "board_parse");
    }
    static struct manifest manifest;
    memset(err, 0, sizeof(err));
    if (manifest_parse(fdt, &dt_pkg, &manifest, err, sizeof(err))) {
        fuzz_check_manifest(&manifest, &dt_pkg);
    } else {
        dt_check_err(err, sizeof(err), "manifest_parse");
    }
    free(fdt);
    return 0;
}
