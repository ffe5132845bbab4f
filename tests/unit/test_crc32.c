/* SPDX-License-Identifier: MIT */
/* hv/core/crc32.c: must agree with zlib, or hvpack's packages fail. */
#include <string.h>

#include "hv/crc32.h"
#include "unit.h"

TEST(crc32, check_value)
{
    /* The standard check value of CRC-32/ISO-HDLC. */
    EXPECT_EQ(crc32_update(0, "123456789", 9), 0xcbf43926u);
}

TEST(crc32, empty_is_zero)
{
    EXPECT_EQ(crc32_update(0, "", 0), 0u);
    EXPECT_EQ(crc32_update(0, NULL, 0), 0u);
}

TEST(crc32, known_vectors)
{
    /* Values from zlib's crc32(). */
    EXPECT_EQ(crc32_update(0, "a", 1), 0xe8b7be43u);
    EXPECT_EQ(
        crc32_update(0, "The quick brown fox jumps over the lazy dog", 43),
        0x414fa339u);
    static const unsigned char zeros[32];
    EXPECT_EQ(crc32_update(0, zeros, sizeof(zeros)), 0x190a55adu);
}

TEST(crc32, incremental_equals_one_shot)
{
    const char *s = "hvpkg header and entries";
    size_t n = strlen(s);
    uint32_t whole = crc32_update(0, s, n);

    for (size_t cut = 0; cut <= n; cut++) {
        uint32_t part = crc32_update(crc32_update(0, s, cut), s + cut, n - cut);
        EXPECT_EQ(part, whole);
    }
}

TEST(crc32, one_bit_changes_it)
{
    unsigned char buf[64];
    memset(buf, 0x5a, sizeof(buf));
    uint32_t before = crc32_update(0, buf, sizeof(buf));
    buf[40] ^= 0x01;
    EXPECT_NE(crc32_update(0, buf, sizeof(buf)), before);
}

/* One bit at a time, straight from the polynomial: the reference. */
static uint32_t crc32_bitwise(const unsigned char *p, size_t len)
{
    uint32_t crc = 0xffffffffu;
    for (size_t i = 0; i < len; i++) {
        crc ^= p[i];
        for (int bit = 0; bit < 8; bit++) {
            crc = (crc & 1u) ? (crc >> 1) ^ 0xedb88320u : crc >> 1;
        }
    }
    return ~crc;
}

/* Four bytes at a time where aligned, bytes at either end: every start
 * alignment and every length up to a few words agrees with the bits. */
TEST(crc32, every_alignment_and_length)
{
    static unsigned char buf[96];
    uint32_t x = 12345u;
    for (size_t i = 0; i < sizeof(buf); i++) {
        x = x * 1103515245u + 12345u;
        buf[i] = (unsigned char)(x >> 16);
    }
    for (size_t start = 0; start < 8; start++) {
        for (size_t len = 0; start + len <= sizeof(buf) && len <= 80; len++) {
            EXPECT_EQ(crc32_update(0, buf + start, len),
                      crc32_bitwise(buf + start, len));
        }
    }
}
