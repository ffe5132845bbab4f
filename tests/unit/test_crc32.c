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
