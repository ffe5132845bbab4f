/* SPDX-License-Identifier: MIT */
/*
 * CRC-32 (IEEE 802.3, reflected, as zlib's crc32). The tables are built on
 * first use rather than stored, which keeps them out of the image.
 *
 * Four bytes at a time ("slicing by 4": table k gives the CRC of a byte
 * followed by k zero bytes), about a third of the instructions of one
 * byte at a time: the monitor checks every image of the boot package
 * (several MiB for a Linux system) before it starts a guest.
 */
#include "hv/crc32.h"

#include <stdbool.h>
#include <stdint.h>

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
               "crc32_update reads words little-endian");

static uint32_t crc32_table[4][256];
static bool crc32_table_ready;

static void crc32_build_table(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int bit = 0; bit < 8; bit++) {
            c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
        }
        crc32_table[0][i] = c;
    }
    for (uint32_t i = 0; i < 256; i++) {
        for (int k = 1; k < 4; k++) {
            uint32_t c = crc32_table[k - 1][i];
            crc32_table[k][i] = (c >> 8) ^ crc32_table[0][c & 0xffu];
        }
    }
    crc32_table_ready = true;
}

static uint32_t crc32_byte(uint32_t crc, uint8_t byte)
{
    return crc32_table[0][(crc ^ byte) & 0xffu] ^ (crc >> 8);
}

uint32_t crc32_update(uint32_t crc, const void *data, size_t len)
{
    const uint8_t *p = data;

    if (!crc32_table_ready) {
        crc32_build_table();
    }
    crc = ~crc;
    for (; len > 0 && ((uintptr_t)p & 3u) != 0; len--) {
        crc = crc32_byte(crc, *p++);
    }
    for (; len >= 4; len -= 4, p += 4) {
        crc ^= *(const uint32_t *)(const void *)p;
        crc = crc32_table[3][crc & 0xffu] ^ crc32_table[2][(crc >> 8) & 0xffu] ^
              crc32_table[1][(crc >> 16) & 0xffu] ^ crc32_table[0][crc >> 24];
    }
    for (; len > 0; len--) {
        crc = crc32_byte(crc, *p++);
    }
    return ~crc;
}
