/* SPDX-License-Identifier: MIT */
/*
 * What the boot parsers' results must satisfy, for the parser fuzzers
 * (dt_fuzz.c, pkg_fuzz.c): whatever bytes came in, a board description or
 * manifest that was accepted must be one boot and vm_create can use
 * without going out of bounds (memory, images and device trees inside
 * what they claim, alignments, limits). Any violation aborts. Also a
 * boot package builder and CRC-32 of their own, uninstrumented.
 */
#ifndef BOOT_CHECK_H
#define BOOT_CHECK_H

#include "hv/board.h"
#include "hv/manifest.h"
#include "hv/pkg.h"

void fuzz_check_board(const struct board_desc *board);
void fuzz_check_manifest(const struct manifest *m, const struct pkg *pkg);

/** CRC-32 (IEEE 802.3), as hv/core/crc32.c and zlib compute it. */
uint32_t fuzz_crc32(uint32_t crc, const void *data, size_t len);

struct fuzz_pkg_item {
    const char *name;
    uint32_t type; /* enum hvpkg_type */
    const void *data;
    uint32_t size;
};

/**
 * Lays out a package as loader/hvpack.c does, into @buf (8-byte aligned,
 * @cap bytes). Returns its size, 0 if it does not fit.
 */
size_t fuzz_pkg_build(void *buf, size_t cap, const struct fuzz_pkg_item *items,
                      unsigned int count);

/**
 * Recomputes the CRC of every entry whose payload lies inside the
 * @size bytes at @pkg, then the header CRC (if the header fits), so that
 * a mutated package reaches the checks behind the CRCs.
 */
void fuzz_pkg_seal(void *pkg, size_t size);

#endif /* BOOT_CHECK_H */
