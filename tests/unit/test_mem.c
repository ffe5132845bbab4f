/* SPDX-License-Identifier: MIT */
/* hv/core/mem.c: the first-fit 1 MiB section allocator. */
#include "hv/config.h"
#include "hv/mem.h"
#include "unit.h"

#define MIB 0x100000u
#define BASE 0x60000000u

static uint32_t mem_test_alloc(uint32_t size)
{
    paddr_t pa = pa_init(0xdeadbeef);
    if (!mem_alloc(size, &pa)) {
        return 0;
    }
    return (uint32_t)pa_addr(pa);
}

TEST(mem, init_counts_granules)
{
    mem_init(pa_init(BASE), 8 * MIB);
    EXPECT_EQ(mem_free_bytes(), 8 * MIB);
    /* A partial granule at the end is not usable. */
    mem_init(pa_init(BASE), 3 * MIB + 0x80000u);
    EXPECT_EQ(mem_free_bytes(), 3 * MIB);
    mem_init(pa_init(BASE), 0);
    EXPECT_EQ(mem_free_bytes(), 0u);
    EXPECT_EQ(mem_test_alloc(MIB), 0u);
}

TEST(mem, init_caps_at_bitmap_size)
{
    mem_init(pa_init(0x40000000u), 0x80000000u); /* 2 GiB */
    EXPECT_EQ(mem_free_bytes(), HV_MEM_MAX_GRANULES * MIB);
    /* Re-initialising forgets earlier allocations. */
    EXPECT_EQ(mem_test_alloc(4 * MIB), 0x40000000u);
    mem_init(pa_init(BASE), 4 * MIB);
    EXPECT_EQ(mem_free_bytes(), 4 * MIB);
    EXPECT_EQ(mem_test_alloc(4 * MIB), BASE);
}

TEST(mem, alloc_in_order)
{
    mem_init(pa_init(BASE), 8 * MIB);
    EXPECT_EQ(mem_test_alloc(MIB), BASE);
    EXPECT_EQ(mem_test_alloc(MIB), BASE + MIB);
    EXPECT_EQ(mem_test_alloc(3 * MIB), BASE + 2 * MIB);
    EXPECT_EQ(mem_test_alloc(MIB), BASE + 5 * MIB);
    EXPECT_EQ(mem_free_bytes(), 2 * MIB);
}

/* Multiples of 2 MiB start on a 2 MiB boundary if one is free (Linux
 * patches its phys-to-virt offset in 2 MiB units), else anywhere. */
TEST(mem, multiples_of_2mib_are_2mib_aligned)
{
    mem_init(pa_init(BASE), 8 * MIB);
    EXPECT_EQ(mem_test_alloc(MIB), BASE);
    EXPECT_EQ(mem_test_alloc(2 * MIB), BASE + 2 * MIB); /* not BASE + 1 */
    EXPECT_EQ(mem_test_alloc(MIB), BASE + MIB);         /* fills the gap */
    EXPECT_EQ(mem_test_alloc(4 * MIB), BASE + 4 * MIB);
    EXPECT_EQ(mem_free_bytes(), 0u);

    /* An unaligned base: the first aligned start is one granule in. */
    mem_init(pa_init(BASE + MIB), 8 * MIB);
    EXPECT_EQ(mem_test_alloc(2 * MIB), BASE + 2 * MIB);
    /* Only unaligned room is left for 4 MiB: it is used. */
    EXPECT_EQ(mem_test_alloc(4 * MIB), BASE + 4 * MIB);
    mem_init(pa_init(BASE + MIB), 3 * MIB);
    EXPECT_EQ(mem_test_alloc(MIB), BASE + MIB);
    EXPECT_EQ(mem_test_alloc(2 * MIB), BASE + 2 * MIB);
    mem_init(pa_init(BASE + MIB), 2 * MIB);
    EXPECT_EQ(mem_test_alloc(2 * MIB), BASE + MIB); /* no aligned room */
}

TEST(mem, rejects_non_granule_sizes)
{
    paddr_t pa = pa_init(0x1234);

    mem_init(pa_init(BASE), 8 * MIB);
    EXPECT_FALSE(mem_alloc(0, &pa));
    EXPECT_FALSE(mem_alloc(1, &pa));
    EXPECT_FALSE(mem_alloc(MIB - 1, &pa));
    EXPECT_FALSE(mem_alloc(MIB + 0x1000u, &pa));
    EXPECT_FALSE(mem_alloc(0x180000u, &pa));
    EXPECT_EQ(pa_addr(pa), 0x1234u); /* untouched on failure */
    EXPECT_EQ(mem_free_bytes(), 8 * MIB);
}

TEST(mem, exhaustion)
{
    mem_init(pa_init(BASE), 4 * MIB);
    EXPECT_EQ(mem_test_alloc(5 * MIB), 0u);
    EXPECT_EQ(mem_test_alloc(4 * MIB), BASE);
    EXPECT_EQ(mem_free_bytes(), 0u);
    EXPECT_EQ(mem_test_alloc(MIB), 0u);
    mem_free(pa_init(BASE), 4 * MIB);
    EXPECT_EQ(mem_free_bytes(), 4 * MIB);
    EXPECT_EQ(mem_test_alloc(MIB), BASE);
}

TEST(mem, huge_size_fails)
{
    mem_init(pa_init(BASE), 8 * MIB);
    EXPECT_EQ(mem_test_alloc(0xfff00000u), 0u);
    EXPECT_EQ(mem_free_bytes(), 8 * MIB);
}

TEST(mem, first_fit_reuses_holes)
{
    mem_init(pa_init(BASE), 8 * MIB);
    uint32_t a = mem_test_alloc(MIB);     /* 0 */
    uint32_t b = mem_test_alloc(3 * MIB); /* 1-3 */
    uint32_t c = mem_test_alloc(MIB);     /* 4 */
    EXPECT_EQ(c, BASE + 4 * MIB);

    mem_free(pa_init(a), MIB);
    /* 3 MiB do not fit the 1 MiB hole at 0: they go after c. */
    EXPECT_EQ(mem_test_alloc(3 * MIB), BASE + 5 * MIB);
    /* 1 MiB does: the first hole wins. */
    EXPECT_EQ(mem_test_alloc(MIB), BASE);

    mem_free(pa_init(b), 3 * MIB);
    EXPECT_EQ(mem_test_alloc(3 * MIB), BASE + MIB);
    EXPECT_EQ(mem_free_bytes(), 0u);
}

TEST(mem, fragmentation)
{
    uint32_t blocks[8];

    mem_init(pa_init(BASE), 8 * MIB);
    for (int i = 0; i < 8; i++) {
        blocks[i] = mem_test_alloc(MIB);
        EXPECT_EQ(blocks[i], BASE + (uint32_t)i * MIB);
    }
    for (int i = 0; i < 8; i += 2) {
        mem_free(pa_init(blocks[i]), MIB);
    }
    /* Half is free, but no two free granules are adjacent. */
    EXPECT_EQ(mem_free_bytes(), 4 * MIB);
    EXPECT_EQ(mem_test_alloc(2 * MIB), 0u);
    mem_free(pa_init(blocks[3]), MIB);
    /* 2, 3 and 4 are now one run. */
    EXPECT_EQ(mem_test_alloc(3 * MIB), BASE + 2 * MIB);
    EXPECT_EQ(mem_free_bytes(), 2 * MIB);
}

TEST(mem, free_middle_of_run)
{
    mem_init(pa_init(BASE), 4 * MIB);
    EXPECT_EQ(mem_test_alloc(4 * MIB), BASE);
    mem_free(pa_init(BASE + MIB), 2 * MIB);
    EXPECT_EQ(mem_free_bytes(), 2 * MIB);
    EXPECT_EQ(mem_test_alloc(2 * MIB), BASE + MIB);
}
