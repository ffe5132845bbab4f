/* SPDX-License-Identifier: MIT */
/*
 * hv/arch/arm32/string.c, the monitor's memcpy, memmove and memset, built
 * here as string_test_memcpy, ... (tests/unit/CMakeLists.txt) and checked
 * against the C library's for every alignment of both ends, lengths around
 * the word and 32-byte block sizes, and overlaps in both directions.
 */
#include <stdint.h>
#include <string.h>

#include "unit.h"

void *string_test_memcpy(void *restrict dst, const void *restrict src,
                         size_t n);
void *string_test_memmove(void *dst, const void *src, size_t n);
void *string_test_memset(void *dst, int c, size_t n);

#define STRING_AREA 256u

static const size_t string_lengths[] = {0,  1,  2,   3,   4,   5,   7,   8,  15,
                                        16, 17, 31,  32,  33,  63,  64,  65, 95,
                                        96, 97, 100, 127, 128, 129, 160, 161};

static void string_pattern(uint8_t *p, size_t n, uint8_t seed)
{
    for (size_t i = 0; i < n; i++) {
        p[i] = (uint8_t)(seed + i * 7u + (i >> 3));
    }
}

TEST(string, memcpy_every_alignment_and_length)
{
    uint8_t src[STRING_AREA], got[STRING_AREA], want[STRING_AREA];

    for (size_t s_off = 0; s_off < 8; s_off++) {
        for (size_t d_off = 0; d_off < 8; d_off++) {
            for (size_t l = 0; l < sizeof(string_lengths) / sizeof(size_t);
                 l++) {
                size_t n = string_lengths[l];
                string_pattern(src, sizeof(src), (uint8_t)(n + s_off));
                memset(got, 0xee, sizeof(got));
                memset(want, 0xee, sizeof(want));
                void *r = string_test_memcpy(got + d_off, src + s_off, n);
                memcpy(want + d_off, src + s_off, n);
                EXPECT_TRUE(r == got + d_off);
                if (memcmp(got, want, sizeof(got)) != 0) {
                    unit_fail(__FILE__, __LINE__, true,
                              "memcpy of %zu bytes, source +%zu, "
                              "destination +%zu differs",
                              n, s_off, d_off);
                }
            }
        }
    }
}

TEST(string, memmove_overlapping_both_ways)
{
    uint8_t got[STRING_AREA], want[STRING_AREA];

    for (size_t s_off = 0; s_off < 40; s_off++) {
        for (size_t d_off = 0; d_off < 40; d_off++) {
            for (size_t l = 0; l < sizeof(string_lengths) / sizeof(size_t);
                 l++) {
                size_t n = string_lengths[l];
                string_pattern(got, sizeof(got), (uint8_t)n);
                string_pattern(want, sizeof(want), (uint8_t)n);
                void *r = string_test_memmove(got + d_off, got + s_off, n);
                memmove(want + d_off, want + s_off, n);
                EXPECT_TRUE(r == got + d_off);
                if (memcmp(got, want, sizeof(got)) != 0) {
                    unit_fail(__FILE__, __LINE__, true,
                              "memmove of %zu bytes from +%zu to +%zu "
                              "differs",
                              n, s_off, d_off);
                }
            }
        }
    }
}

TEST(string, memset_every_alignment_and_length)
{
    uint8_t got[STRING_AREA], want[STRING_AREA];
    static const int values[] = {0, 0xa5, 0x1ff, -1};

    for (size_t off = 0; off < 8; off++) {
        for (size_t v = 0; v < sizeof(values) / sizeof(values[0]); v++) {
            for (size_t l = 0; l < sizeof(string_lengths) / sizeof(size_t);
                 l++) {
                size_t n = string_lengths[l];
                string_pattern(got, sizeof(got), 3);
                string_pattern(want, sizeof(want), 3);
                void *r = string_test_memset(got + off, values[v], n);
                memset(want + off, values[v], n);
                EXPECT_TRUE(r == got + off);
                if (memcmp(got, want, sizeof(got)) != 0) {
                    unit_fail(__FILE__, __LINE__, true,
                              "memset of %zu bytes of 0x%x at +%zu differs", n,
                              (unsigned)values[v], off);
                }
            }
        }
    }
}
