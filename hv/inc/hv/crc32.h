/* SPDX-License-Identifier: MIT */
#ifndef HV_CRC32_H
#define HV_CRC32_H

#include <stddef.h>
#include <stdint.h>

/** CRC-32 of @data continuing from @crc (0 to start), as zlib's crc32. */
uint32_t crc32_update(uint32_t crc, const void *data, size_t len);

#endif /* HV_CRC32_H */
