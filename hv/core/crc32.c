/* SPDX-License-Identifier: MIT */
/*
 * CRC-32 (IEEE 802.3, reflected, as zlib's crc32). The table is built on
 * first use rather than stored, which keeps it out of the image.
 */
#include "hv/crc32.h"

#include <stdbool.h>

static uint32_t crc32_table[256];
static bool crc32_table_ready;

static void crc32_build_table(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int bit = 0; bit < 8; bit++) {
            c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
        }
        crc32_table[i] = c;
    }
    crc32_table_ready = true;
}

uint32_t crc32_update(uint32_t crc, const void *data, size_t len)
{
    const uint8_t *p = data;

    if (!crc32_table_ready) {
        crc32_build_table();
    }
    crc = ~crc;
    while (len--) {
        crc = crc32_table[(crc ^ *p++) & 0xffu] ^ (crc >> 8);
    }
    return ~crc;
}
