/* SPDX-License-Identifier: MIT */
/*
 * hv/core/pkg.c: packages laid out as loader/hvpack.c writes them, then
 * broken one field at a time. Each edit is resealed (header CRC, payload
 * CRC) unless the CRC is the point, so the check under test is the one
 * that has to catch it.
 */
#include <string.h>

#include "hv/pkg.h"
#include "unit.h"
#include "unit_build.h"

static char pkg_err[200];

static bool pkg_test_open(const struct unit_pkg *p, struct pkg *pkg,
                          size_t avail)
{
    memset(pkg_err, 0, sizeof(pkg_err));
    return pkg_open(pkg, p->base, avail, pkg_err, sizeof(pkg_err));
}

/* Must be refused, with @word in the reason. */
#define PKG_EXPECT_REFUSED(p, word)                                            \
    do {                                                                       \
        struct pkg pkg_r_;                                                     \
        EXPECT_FALSE(pkg_test_open((p), &pkg_r_, (p)->size));                  \
        EXPECT_CONTAINS(pkg_err, word);                                        \
    } while (0)

TEST(pkg, good_package)
{
    struct unit_pkg p;
    struct pkg pkg;

    unit_pkg_standard(&p);
    ASSERT_TRUE(pkg_test_open(&p, &pkg, p.size));
    EXPECT_STREQ(pkg_err, "");
    EXPECT_PTR_EQ(pkg.base, p.base);
    /* More readable bytes than the package needs is normal. */
    EXPECT_TRUE(pkg_test_open(&p, &pkg, p.size + 64));
}

TEST(pkg, find_and_payload)
{
    struct unit_pkg p;
    struct pkg pkg;

    unit_pkg_standard(&p);
    ASSERT_TRUE(pkg_test_open(&p, &pkg, p.size));

    const struct hvpkg_entry *e = pkg_find(&pkg, HVPKG_TYPE_BOARD_DTB, NULL);
    ASSERT_TRUE(e != NULL);
    EXPECT_STREQ(e->name, "board.dtb");
    EXPECT_STREQ(pkg_payload(&pkg, e), "board device tree stand-in");

    e = pkg_find(&pkg, HVPKG_TYPE_MANIFEST, NULL);
    ASSERT_TRUE(e != NULL);
    EXPECT_STREQ(e->name, "manifest.dtb");

    e = pkg_find(&pkg, HVPKG_TYPE_IMAGE, "img-b");
    ASSERT_TRUE(e != NULL);
    EXPECT_EQ(e->size, 3u);
    const uint8_t *b = pkg_payload(&pkg, e);
    EXPECT_EQ(b[0], 1);
    EXPECT_EQ(b[2], 3);
    EXPECT_EQ(((uintptr_t)b - (uintptr_t)p.base) % HVPKG_PAYLOAD_ALIGN, 0u);

    /* Without a name: the first of the type. */
    e = pkg_find(&pkg, HVPKG_TYPE_IMAGE, NULL);
    ASSERT_TRUE(e != NULL);
    EXPECT_STREQ(e->name, "img-a");

    /* Name and type must both match. */
    EXPECT_PTR_EQ(pkg_find(&pkg, HVPKG_TYPE_IMAGE, "board.dtb"), NULL);
    EXPECT_PTR_EQ(pkg_find(&pkg, HVPKG_TYPE_IMAGE, "img-c"), NULL);
    EXPECT_PTR_EQ(pkg_find(&pkg, HVPKG_TYPE_IMAGE, "img"), NULL);
    EXPECT_PTR_EQ(pkg_find(&pkg, 99, NULL), NULL);
}

TEST(pkg, empty_payload_is_fine)
{
    static const char dtb[] = "x";
    const struct unit_pkg_item items[] = {
        {"board.dtb", HVPKG_TYPE_BOARD_DTB, dtb, sizeof(dtb)},
        {"manifest.dtb", HVPKG_TYPE_MANIFEST, dtb, sizeof(dtb)},
        {"empty", HVPKG_TYPE_IMAGE, NULL, 0},
    };
    struct unit_pkg p;
    struct pkg pkg;

    unit_pkg_build(&p, items, 3, 16);
    EXPECT_TRUE(pkg_test_open(&p, &pkg, p.size));
}

TEST(pkg, bad_magic)
{
    struct unit_pkg p;
    unit_pkg_standard(&p);
    p.header->magic = 0x4b504749u;
    unit_pkg_seal(&p);
    PKG_EXPECT_REFUSED(&p, "magic");
}

TEST(pkg, zeroed_memory)
{
    /* What an image without a package leaves after the monitor. */
    uint8_t *zeros = unit_alloc(4096);
    struct pkg pkg;
    EXPECT_FALSE(pkg_open(&pkg, zeros, 4096, pkg_err, sizeof(pkg_err)));
    EXPECT_CONTAINS(pkg_err, "no boot package");
}

TEST(pkg, wrong_version)
{
    struct unit_pkg p;
    unit_pkg_standard(&p);
    p.header->version = HVPKG_VERSION + 1;
    unit_pkg_seal(&p);
    PKG_EXPECT_REFUSED(&p, "version 2");
}

TEST(pkg, zero_entries)
{
    struct unit_pkg p;
    unit_pkg_standard(&p);
    p.header->entry_count = 0;
    p.header->header_size = sizeof(struct hvpkg_header);
    unit_pkg_seal(&p);
    PKG_EXPECT_REFUSED(&p, "0 entries");
}

TEST(pkg, too_many_entries)
{
    struct unit_pkg_item items[HVPKG_MAX_ENTRIES + 1];
    static const char names[HVPKG_MAX_ENTRIES + 1][8] = {
        "b",  "m",   "i2",  "i3",  "i4",  "i5",  "i6",  "i7",  "i8",
        "i9", "i10", "i11", "i12", "i13", "i14", "i15", "i16",
    };
    static const char data[] = "data";
    for (unsigned int i = 0; i < HVPKG_MAX_ENTRIES + 1; i++) {
        items[i] = (struct unit_pkg_item){names[i],
                                          i == 0   ? HVPKG_TYPE_BOARD_DTB
                                          : i == 1 ? HVPKG_TYPE_MANIFEST
                                                   : HVPKG_TYPE_IMAGE,
                                          data, sizeof(data)};
    }
    struct unit_pkg p;
    struct pkg pkg;

    /* The most allowed opens ... */
    unit_pkg_build(&p, items, HVPKG_MAX_ENTRIES, 16);
    EXPECT_TRUE(pkg_test_open(&p, &pkg, p.size));
    /* ... one more does not. */
    unit_pkg_build(&p, items, HVPKG_MAX_ENTRIES + 1, 16);
    PKG_EXPECT_REFUSED(&p, "17 entries");
}

TEST(pkg, header_size_mismatch)
{
    struct unit_pkg p;
    unit_pkg_standard(&p);
    p.header->header_size += sizeof(struct hvpkg_entry);
    unit_pkg_seal(&p);
    PKG_EXPECT_REFUSED(&p, "header size");

    unit_pkg_standard(&p);
    p.header->header_size -= 8;
    unit_pkg_seal(&p);
    PKG_EXPECT_REFUSED(&p, "header size");
}

TEST(pkg, truncated)
{
    struct unit_pkg p;
    struct pkg pkg;
    unit_pkg_standard(&p);

    EXPECT_FALSE(pkg_test_open(&p, &pkg, p.size - 1));
    EXPECT_CONTAINS(pkg_err, "truncated");
    EXPECT_FALSE(pkg_test_open(&p, &pkg, 200));
    EXPECT_CONTAINS(pkg_err, "truncated");
    /* Not even a header. */
    EXPECT_FALSE(pkg_test_open(&p, &pkg, sizeof(struct hvpkg_header) - 1));
    EXPECT_CONTAINS(pkg_err, "truncated");
    EXPECT_FALSE(pkg_test_open(&p, &pkg, 0));
    EXPECT_CONTAINS(pkg_err, "truncated");
}

TEST(pkg, total_smaller_than_header)
{
    struct unit_pkg p;
    unit_pkg_standard(&p);
    p.header->total_size = p.header->header_size - 1;
    unit_pkg_seal(&p);
    PKG_EXPECT_REFUSED(&p, "corrupt");
}

TEST(pkg, header_crc_mismatch)
{
    struct unit_pkg p;
    unit_pkg_standard(&p);
    p.header->header_crc32 ^= 1;
    PKG_EXPECT_REFUSED(&p, "header CRC-32");

    /* A change in the entry table is covered too. */
    unit_pkg_standard(&p);
    p.entries[3].name[4] = 'z';
    PKG_EXPECT_REFUSED(&p, "header CRC-32");

    /* So is the monitor CRC in the header. */
    unit_pkg_standard(&p);
    p.header->monitor_crc32 ^= 0x100;
    PKG_EXPECT_REFUSED(&p, "header CRC-32");
}

TEST(pkg, payload_crc_mismatch)
{
    struct unit_pkg p;
    unit_pkg_standard(&p);
    p.base[p.entries[2].offset + 5] ^= 0x20;
    PKG_EXPECT_REFUSED(&p, "'img-a': CRC-32");
    EXPECT_CONTAINS(pkg_err, "corrupt");

    /* The last byte of the last payload counts. */
    unit_pkg_standard(&p);
    p.base[p.entries[3].offset + p.entries[3].size - 1] ^= 0x80;
    PKG_EXPECT_REFUSED(&p, "'img-b': CRC-32");
}

TEST(pkg, padding_is_not_checked)
{
    struct unit_pkg p;
    struct pkg pkg;
    unit_pkg_standard(&p);
    /* img-b is 3 bytes; the 5 bytes of alignment after it are not data. */
    p.base[p.entries[3].offset + 4] ^= 0xff;
    EXPECT_TRUE(pkg_test_open(&p, &pkg, p.size));
}

TEST(pkg, entry_offset_out_of_range)
{
    struct unit_pkg p;

    unit_pkg_standard(&p);
    p.entries[2].offset = p.header->total_size + 8;
    unit_pkg_seal(&p);
    PKG_EXPECT_REFUSED(&p, "offset");

    /* Starts inside, ends outside. */
    unit_pkg_standard(&p);
    p.entries[3].size = 100;
    unit_pkg_seal(&p);
    PKG_EXPECT_REFUSED(&p, "outside");

    /* A size that would wrap 32 bits. */
    unit_pkg_standard(&p);
    p.entries[3].size = 0xfffffff0u;
    unit_pkg_seal(&p);
    PKG_EXPECT_REFUSED(&p, "outside");

    /* Inside the header. */
    unit_pkg_standard(&p);
    p.entries[0].offset = 8;
    unit_pkg_seal(&p);
    PKG_EXPECT_REFUSED(&p, "offset 8");
}

TEST(pkg, entry_offset_misaligned)
{
    struct unit_pkg p;
    unit_pkg_standard(&p);
    p.entries[2].offset += 4;
    p.entries[2].size = 8;
    unit_pkg_seal_entry(&p, 2);
    PKG_EXPECT_REFUSED(&p, "misaligned");
}

TEST(pkg, entry_at_exact_end)
{
    struct unit_pkg p;
    struct pkg pkg;
    unit_pkg_standard(&p);
    /* An empty payload right at the end is inside the package. */
    p.entries[3].offset = p.header->total_size;
    p.entries[3].size = 0;
    unit_pkg_seal_entry(&p, 3);
    EXPECT_TRUE(pkg_test_open(&p, &pkg, p.size));
}

/* A name with a newline (pkg_fuzz's finding) or an escape would forge
 * console lines when echoed in a message: refused, the byte named. */
TEST(pkg, unprintable_names)
{
    struct unit_pkg p;
    unit_pkg_standard(&p);
    strcpy(p.entries[3].name, "img\nb");
    unit_pkg_seal(&p);
    PKG_EXPECT_REFUSED(&p, "package entry 3: name has byte 0x0a at 3");

    unit_pkg_standard(&p);
    strcpy(p.entries[2].name, "\x1b[2J");
    unit_pkg_seal(&p);
    PKG_EXPECT_REFUSED(&p, "byte 0x1b at 0, not printable ASCII");
}

TEST(pkg, duplicate_names)
{
    struct unit_pkg p;
    unit_pkg_standard(&p);
    strcpy(p.entries[3].name, "img-a");
    unit_pkg_seal(&p);
    PKG_EXPECT_REFUSED(&p, "'img-a' appears twice");

    /* Also across types. */
    unit_pkg_standard(&p);
    strcpy(p.entries[2].name, "board.dtb");
    unit_pkg_seal(&p);
    PKG_EXPECT_REFUSED(&p, "twice");
}

TEST(pkg, unterminated_name)
{
    struct unit_pkg p;
    unit_pkg_standard(&p);
    memset(p.entries[2].name, 'n', HVPKG_NAME_MAX);
    unit_pkg_seal(&p);
    PKG_EXPECT_REFUSED(&p, "NUL-terminated");
    EXPECT_CONTAINS(pkg_err, "entry 2");
}

TEST(pkg, empty_name)
{
    struct unit_pkg p;
    unit_pkg_standard(&p);
    memset(p.entries[1].name, 0, HVPKG_NAME_MAX);
    unit_pkg_seal(&p);
    PKG_EXPECT_REFUSED(&p, "name empty");
}

TEST(pkg, longest_name)
{
    struct unit_pkg p;
    struct pkg pkg;
    unit_pkg_standard(&p);
    memset(p.entries[2].name, 'n', HVPKG_NAME_MAX - 1);
    unit_pkg_seal(&p);
    EXPECT_TRUE(pkg_test_open(&p, &pkg, p.size));
}

TEST(pkg, unknown_type)
{
    struct unit_pkg p;
    const uint32_t types[] = {0, HVPKG_TYPE_IMAGE + 1, 0x80000000u};
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        unit_pkg_standard(&p);
        p.entries[3].type = types[i];
        unit_pkg_seal(&p);
        PKG_EXPECT_REFUSED(&p, "unknown type");
        EXPECT_CONTAINS(pkg_err, "img-b");
    }
}

/* A package for U-Boot's bootm has no board tree: the boot loader passes
 * it (boot.c then reads r2's). */
TEST(pkg, board_tree_optional)
{
    static const char data[] = "data";
    const struct unit_pkg_item items[] = {
        {"manifest.dtb", HVPKG_TYPE_MANIFEST, data, sizeof(data)},
        {"img", HVPKG_TYPE_IMAGE, data, sizeof(data)},
    };
    struct unit_pkg p;
    unit_pkg_build(&p, items, 2, 16);
    struct pkg pkg;
    ASSERT_TRUE(pkg_test_open(&p, &pkg, p.size));
    EXPECT_TRUE(pkg_find(&pkg, HVPKG_TYPE_BOARD_DTB, NULL) == NULL);
    EXPECT_TRUE(pkg_find(&pkg, HVPKG_TYPE_MANIFEST, NULL) != NULL);
}

TEST(pkg, missing_manifest)
{
    static const char data[] = "data";
    const struct unit_pkg_item items[] = {
        {"board.dtb", HVPKG_TYPE_BOARD_DTB, data, sizeof(data)},
        {"img", HVPKG_TYPE_IMAGE, data, sizeof(data)},
    };
    struct unit_pkg p;
    unit_pkg_build(&p, items, 2, 16);
    PKG_EXPECT_REFUSED(&p, "0 manifest(s)");
}

/* At most one board tree, exactly one manifest (loader/include/hvpkg.h):
 * pkg_find would otherwise pick one of two silently. */
TEST(pkg, two_boards)
{
    static const char data[] = "data";
    const struct unit_pkg_item items[] = {
        {"board.dtb", HVPKG_TYPE_BOARD_DTB, data, sizeof(data)},
        {"manifest.dtb", HVPKG_TYPE_MANIFEST, data, sizeof(data)},
        {"other.dtb", HVPKG_TYPE_BOARD_DTB, data, sizeof(data)},
    };
    struct unit_pkg p;
    unit_pkg_build(&p, items, 3, 16);
    PKG_EXPECT_REFUSED(&p, "2 board device tree(s)");
}

TEST(pkg, two_manifests)
{
    static const char data[] = "data";
    const struct unit_pkg_item items[] = {
        {"board.dtb", HVPKG_TYPE_BOARD_DTB, data, sizeof(data)},
        {"manifest.dtb", HVPKG_TYPE_MANIFEST, data, sizeof(data)},
        {"other.dtb", HVPKG_TYPE_MANIFEST, data, sizeof(data)},
    };
    struct unit_pkg p;
    unit_pkg_build(&p, items, 3, 16);
    PKG_EXPECT_REFUSED(&p, "2 manifest(s)");
}

TEST(pkg, monitor_check)
{
    struct unit_pkg p;
    struct pkg pkg;
    unit_pkg_standard(&p);
    ASSERT_TRUE(pkg_test_open(&p, &pkg, p.size));

    EXPECT_TRUE(pkg_check_monitor(&pkg, p.monitor, p.monitor_size, pkg_err,
                                  sizeof(pkg_err)));
    /* The monitor may be followed by more readable bytes (padding). */
    EXPECT_TRUE(pkg_check_monitor(&pkg, p.monitor, p.monitor_size + 1, pkg_err,
                                  sizeof(pkg_err)));

    uint8_t *copy = unit_alloc(p.monitor_size);
    memcpy(copy, p.monitor, p.monitor_size);
    copy[p.monitor_size / 2] ^= 4;
    EXPECT_FALSE(pkg_check_monitor(&pkg, copy, p.monitor_size, pkg_err,
                                   sizeof(pkg_err)));
    EXPECT_CONTAINS(pkg_err, "monitor CRC-32");

    EXPECT_FALSE(pkg_check_monitor(&pkg, p.monitor, p.monitor_size - 1, pkg_err,
                                   sizeof(pkg_err)));
    EXPECT_CONTAINS(pkg_err, "1000-byte monitor, this one is 999 bytes");
}

TEST(pkg, short_error_buffer)
{
    struct unit_pkg p;
    struct pkg pkg;
    char small[12];
    unit_pkg_standard(&p);
    p.header->version = 9;
    unit_pkg_seal(&p);
    memset(small, 'x', sizeof(small));
    EXPECT_FALSE(pkg_open(&pkg, p.base, p.size, small, sizeof(small)));
    EXPECT_EQ(small[sizeof(small) - 1], '\0');
}
