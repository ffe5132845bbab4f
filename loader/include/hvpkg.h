/* SPDX-License-Identifier: MIT */
/*
 * The boot package: what follows the monitor in the image that QEMU's
 * -kernel (or U-Boot) loads.
 *
 *   image = monitor binary, zero-padded to HVPKG_ALIGN
 *         | struct hvpkg_header
 *         | struct hvpkg_entry[entry_count]
 *         | payloads, each at an offset aligned to HVPKG_PAYLOAD_ALIGN
 *
 * All fields are little-endian. Offsets count from the header. Every
 * payload has its own CRC-32 (IEEE 802.3, as zlib's crc32), the header and
 * entry table have one, and so does the monitor binary, so a truncated or
 * corrupted image is refused before anything in it is used.
 *
 * Written by loader/hvpack.c on the host, read by hv/core/pkg.c at boot.
 */
#ifndef HVPKG_H
#define HVPKG_H

#include <stdint.h>

#define HVPKG_MAGIC 0x4b504748u /* "HGPK" in memory order */
#define HVPKG_VERSION 1u
#define HVPKG_ALIGN 4096u      /* the package starts at this alignment */
#define HVPKG_PAYLOAD_ALIGN 8u /* device trees need 8 */
#define HVPKG_NAME_MAX 32u     /* including the NUL */
#define HVPKG_MAX_ENTRIES 16u

enum hvpkg_type {
    HVPKG_TYPE_BOARD_DTB = 1, /* the board description (exactly one) */
    HVPKG_TYPE_MANIFEST = 2,  /* the guest manifest (exactly one) */
    HVPKG_TYPE_IMAGE = 3,     /* a guest image, named by the manifest */
};

struct hvpkg_header {
    uint32_t magic;         /* HVPKG_MAGIC */
    uint32_t version;       /* HVPKG_VERSION */
    uint32_t header_size;   /* header plus entry table, bytes */
    uint32_t total_size;    /* whole package from the header, bytes */
    uint32_t entry_count;   /* 1 .. HVPKG_MAX_ENTRIES */
    uint32_t monitor_size;  /* bytes of monitor binary before padding */
    uint32_t monitor_crc32; /* CRC-32 of those bytes */
    uint32_t header_crc32;  /* CRC-32 of header and entries, this field 0 */
};

struct hvpkg_entry {
    char name[HVPKG_NAME_MAX]; /* NUL-terminated, unique */
    uint32_t type;             /* enum hvpkg_type */
    uint32_t offset;           /* from the header, HVPKG_PAYLOAD_ALIGN */
    uint32_t size;             /* bytes */
    uint32_t crc32;            /* CRC-32 of the payload */
};

_Static_assert(sizeof(struct hvpkg_header) == 32, "hvpkg_header layout");
_Static_assert(sizeof(struct hvpkg_entry) == 48, "hvpkg_entry layout");

#endif /* HVPKG_H */
