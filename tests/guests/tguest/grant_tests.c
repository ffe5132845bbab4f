// SPDX-License-Identifier: MIT
/*
 * Grants between two guests on the real monitor (<hvabi/grant.h>):
 * grant.between_guests (the grantee, this test) against the role
 * "granter" (tests/systems/grant-between-guests.dts), and the grant
 * figures of the bench role.
 *
 * The granter grants this guest ref 0 (read-write, a data frame) and ref 1
 * (read-only, a status frame). The data frame's words talk:
 *   [0]  GR_MAGIC, written by the granter before granting
 *   [1]  1 once this guest has it mapped (written through the mapping)
 *   [2]  the status of the granter's HV_OP_GRANT_END while mapped
 *   [3]  1 once the granter has tried it (this guest then unmaps)
 *   [4]  1 once this guest has unmapped (written with HV_OP_GRANT_COPY)
 * and the status frame's: [0] the status of the granter's second end,
 * [1] 1 once it is there.
 */
#include <hvabi/guest.h>
#include <hvabi/mmu.h>
#include <string.h>

#include "hvtest.h"

#define GR_MAGIC 0x6772616eu /* "gran" */
#define GR_ATTR (HV_L2_SMALL | HV_L2_TEXCB(HV_TEXCB_NORMAL_WBWA) | HV_L2_NG)
#define GR_ATTR_RW (GR_ATTR | HV_L2_AP(HV_AP_RW))
#define GR_ATTR_RO (GR_ATTR | HV_L2_AP(HV_AP_PL0_RO))

/* Pages of this guest whose entries are emptied to map grants at. */
static uint8_t gr_slot[2][4096] __attribute__((aligned(4096)));
static uint8_t gr_buf[4096] __attribute__((aligned(4096)));
/* The granter's two frames. */
static uint8_t gr_frames[2][4096] __attribute__((aligned(4096)));

static uint32_t gr_pa(const void *p)
{
    const struct hv_start_info *si = hvtest_start_info();
    return (uint32_t)(uintptr_t)p - si->mem_base + si->mem_phys;
}

/* The initial L2 entry of @va (<hvabi/start_info.h>). */
static uint32_t gr_pte_of(const void *va)
{
    const struct hv_start_info *si = hvtest_start_info();
    uint32_t index = ((uint32_t)(uintptr_t)va - si->mem_base) >> 12;
    return si->pt_l2_first + (index / 512) * 4096u + HV_MMU_L2_HW_OFFSET +
           (index % 512) * 4u;
}

static int32_t gr_update(uint32_t ptr, uint32_t val)
{
    struct hv_mmu_update u = {ptr, val};
    uint32_t done;
    return hv_mmu_update(&u, 1, &done);
}

/* Empties the entry of gr_slot[i], so a grant can be mapped there. */
static int32_t gr_free_slot(int i)
{
    int32_t rc = gr_update(gr_pte_of(gr_slot[i]), 0);
    hv_mmu_tlb(HV_TLB_FLUSH_VA, (uint32_t)(uintptr_t)gr_slot[i]);
    return rc;
}

static int32_t gr_unmap(int i)
{
    int32_t rc = hv_grant_unmap(gr_pte_of(gr_slot[i]));
    hv_mmu_tlb(HV_TLB_FLUSH_VA, (uint32_t)(uintptr_t)gr_slot[i]);
    return rc;
}

static uint32_t gr_arg(const char *key)
{
    uint32_t v;
    if (!hv_cmdline_get_u32(hvtest_start_info()->cmdline, key, &v)) {
        hvtest_error("missing a numeric command-line argument");
    }
    return v;
}

/* One word of grant @ref of @granter, read with HV_OP_GRANT_COPY. */
static int32_t gr_peek(uint32_t granter, uint32_t ref, uint32_t word,
                       uint32_t *out)
{
    static struct hv_grant_copy op;
    uint32_t done;
    op = (struct hv_grant_copy){
        granter, ref, word * 4, 4, (uint32_t)(uintptr_t)out, 0};
    return hv_grant_copy(&op, 1, &done);
}

static int32_t gr_poke(uint32_t granter, uint32_t ref, uint32_t word,
                       uint32_t value)
{
    static struct hv_grant_copy op;
    static uint32_t v;
    uint32_t done;
    v = value;
    op = (struct hv_grant_copy){granter,
                                ref,
                                word * 4,
                                4,
                                (uint32_t)(uintptr_t)&v,
                                HV_GRANT_COPY_TO_GRANT};
    return hv_grant_copy(&op, 1, &done);
}

/*
 * HV_OP_GRANT_COPY both ways at every alignment of both ends and lengths
 * around the monitor's copy strides (bytes, words, 32-byte blocks),
 * checked through @mapped, this guest's mapping of the same frame: every
 * byte in range arrives, no byte beside it changes. Bytes 256-4095 of
 * ref 0, which the granter no longer reads. Returns the failed case's
 * number, 0 if all passed.
 */
static uint8_t gr_shadow[4096];
static uint8_t gr_src[4096 + 8];

static int gr_copy_sweep(uint32_t peer, const volatile uint8_t *mapped)
{
    static const uint16_t lens[] = {1,  2,   3,   4,   5,   7,    8,
                                    15, 16,  31,  32,  33,  63,   64,
                                    65, 100, 255, 256, 257, 1000, 3800};
    static struct hv_grant_copy op;
    uint32_t done;
    int n = 0;

    for (uint32_t i = 256; i < 4096; i++) {
        gr_shadow[i] = mapped[i];
    }
    for (uint32_t li = 0; li < sizeof(lens) / sizeof(lens[0]); li++) {
        for (uint32_t goff = 256; goff < 264; goff += 3) {
            for (uint32_t boff = 0; boff < 4; boff++) {
                uint32_t len = lens[li];
                n++;
                /* Into the grant. */
                for (uint32_t i = 0; i < len; i++) {
                    gr_src[boff + i] = (uint8_t)(n * 7 + i * 13 + 1);
                }
                op = (struct hv_grant_copy){peer,
                                            0,
                                            goff,
                                            len,
                                            (uint32_t)(uintptr_t)&gr_src[boff],
                                            HV_GRANT_COPY_TO_GRANT};
                if (hv_grant_copy(&op, 1, &done) != 0 || done != 1) {
                    return n;
                }
                for (uint32_t i = 0; i < len; i++) {
                    gr_shadow[goff + i] = gr_src[boff + i];
                }
                for (uint32_t i = 256; i < 4096; i++) {
                    if (mapped[i] != gr_shadow[i]) {
                        return n;
                    }
                }
                /* And out again, into a buffer around it. */
                memset(gr_buf, 0x5a, sizeof(gr_buf));
                op = (struct hv_grant_copy){
                    peer, 0, goff, len, (uint32_t)(uintptr_t)&gr_buf[boff], 0};
                if (hv_grant_copy(&op, 1, &done) != 0 || done != 1) {
                    return n;
                }
                for (uint32_t i = 0; i < sizeof(gr_buf); i++) {
                    uint8_t want = i >= boff && i < boff + len
                                       ? gr_shadow[goff + i - boff]
                                       : 0x5a;
                    if (gr_buf[i] != want) {
                        return n;
                    }
                }
            }
        }
    }
    return 0;
}

/* hvtest-system: own */
TEST(grant, between_guests)
{
    uint32_t peer = gr_arg("peer");
    uint32_t features = 0;
    uint32_t word = 0;

    ASSERT_EQ(hv_features(0, &features), 0);
    ASSERT_TRUE(features & (1u << HV_FEAT_GRANT));
    ASSERT_EQ(gr_free_slot(0), 0);
    ASSERT_EQ(gr_free_slot(1), 0);
    /* The granter may not have run yet. */
    int32_t rc = -HV_ENOENT;
    for (int tries = 0; tries < 100 && rc == -HV_ENOENT; tries++) {
        rc = hv_grant_map(peer, 1, gr_pte_of(gr_slot[1]), GR_ATTR_RO);
        if (rc == -HV_ENOENT) {
            hv_yield();
        }
    }
    ASSERT_EQ(rc, 0);
    /* Ref 1 is read-only: writable mappings and copies into it fail. */
    EXPECT_EQ(gr_unmap(1), 0);
    EXPECT_EQ(hv_grant_map(peer, 1, gr_pte_of(gr_slot[1]), GR_ATTR_RW),
              -HV_EPERM);
    EXPECT_EQ(gr_poke(peer, 1, 0, 1), -HV_EPERM);
    /* Not granted, a bad entry, another guest's entry. */
    EXPECT_EQ(hv_grant_map(peer, 5, gr_pte_of(gr_slot[0]), GR_ATTR_RW),
              -HV_ENOENT);
    EXPECT_EQ(hv_grant_map(peer, 0, gr_pa(gr_slot[0]), GR_ATTR_RW), -HV_EINVAL);
    EXPECT_EQ(hv_grant_unmap(gr_pte_of(gr_slot[0])), -HV_EINVAL);
    /* Copies read the grant too. */
    EXPECT_EQ(gr_peek(peer, 0, 0, &word), 0);
    EXPECT_EQ(word, GR_MAGIC);

    /* Map ref 0, read it, write through it. */
    ASSERT_EQ(hv_grant_map(peer, 0, gr_pte_of(gr_slot[0]), GR_ATTR_RW), 0);
    volatile uint32_t *data = (volatile uint32_t *)gr_slot[0];
    EXPECT_EQ(data[0], GR_MAGIC);
    for (uint32_t i = 64; i < 1024; i++) {
        if (data[i] != i * 2654435761u) {
            EXPECT_EQ(data[i], i * 2654435761u);
            break;
        }
    }
    EXPECT_EQ(gr_copy_sweep(peer, gr_slot[0]), 0);
    data[1] = 1; /* mapped */
    /* The granter tries to end the grant while we map it. */
    while (data[3] == 0) {
        hv_yield();
    }
    EXPECT_EQ((int32_t)data[2], -HV_EBUSY);
    EXPECT_EQ(gr_unmap(0), 0);
    EXPECT_EQ(gr_poke(peer, 0, 4, 1), 0); /* unmapped */
    /* The granter now ends ref 0 and reports through ref 1. */
    word = 0;
    for (int tries = 0; tries < 1000 && word == 0; tries++) {
        hv_yield();
        ASSERT_EQ(gr_peek(peer, 1, 1, &word), 0);
    }
    ASSERT_EQ(word, 1u);
    ASSERT_EQ(gr_peek(peer, 1, 0, &word), 0);
    EXPECT_EQ(word, 0u); /* the end succeeded */
    /* Ended: no map, no copy. */
    EXPECT_EQ(hv_grant_map(peer, 0, gr_pte_of(gr_slot[0]), GR_ATTR_RW),
              -HV_ENOENT);
    EXPECT_EQ(gr_peek(peer, 0, 0, &word), -HV_ENOENT);
    /* Our own grant table: refs, ends, busy. */
    int32_t ref = hv_grant_access(gr_pa(gr_buf), peer, 0);
    EXPECT_TRUE(ref >= 0);
    EXPECT_EQ(hv_grant_end((uint32_t)ref), 0);
    EXPECT_EQ(hv_grant_end((uint32_t)ref), -HV_EINVAL);
    EXPECT_EQ(hv_grant_access(gr_pa(gr_buf), hvtest_start_info()->vm_id, 0),
              -HV_EINVAL);
    EXPECT_EQ(hv_grant_access(0x1000, peer, 0), -HV_EPERM);
}

/*
 * Role "granter peer=<id>": grants ref 0 (read-write) and ref 1 (read-only)
 * to the peer, then follows the protocol above, yielding in between.
 * In the bench system the peer only maps and copies; this then yields
 * forever, as the yielder does.
 */
int grant_role_granter(void);
int grant_role_granter(void)
{
    uint32_t peer = gr_arg("peer");
    volatile uint32_t *data = (volatile uint32_t *)gr_frames[0];
    volatile uint32_t *status = (volatile uint32_t *)gr_frames[1];

    memset(gr_frames, 0, sizeof(gr_frames));
    for (uint32_t i = 64; i < 1024; i++) {
        data[i] = i * 2654435761u;
    }
    data[0] = GR_MAGIC;
    if (hv_grant_access(gr_pa(gr_frames[0]), peer, 0) != 0 ||
        hv_grant_access(gr_pa(gr_frames[1]), peer, HV_GRANT_READONLY) != 1) {
        hv_puts("granter: granting failed\n");
        return 1;
    }
    hv_puts("granter: granted refs 0 and 1\n");
    while (data[1] == 0) {
        hv_yield();
    }
    data[2] = (uint32_t)hv_grant_end(0); /* -HV_EBUSY: still mapped */
    data[3] = 1;
    while (data[4] == 0) {
        hv_yield();
    }
    status[0] = (uint32_t)hv_grant_end(0);
    status[1] = 1;
    hv_printf("granter: end while mapped %d, after unmap %d\n", (int)data[2],
              (int)status[0]);
    for (;;) {
        hv_yield();
    }
}

/*
 * The bench role's grant figures, against a granter with id @peer: n
 * times map + read one word + unmap + TLB flush of the address, n copies
 * of 4 KiB out of the grant, and n memcpy of 4 KiB in this guest (what a
 * mapping backend does after mapping). 0 for the first if it failed.
 */
uint64_t grant_bench(uint32_t peer, uint32_t n, uint64_t *copy_ns,
                     uint64_t *memcpy_ns);
uint64_t grant_bench(uint32_t peer, uint32_t n, uint64_t *copy_ns,
                     uint64_t *memcpy_ns)
{
    static struct hv_grant_copy op;
    uint32_t done;
    uint32_t pte = gr_pte_of(gr_slot[0]);
    volatile uint32_t sink = 0;

    *copy_ns = 0;
    *memcpy_ns = 0;
    if (gr_free_slot(0) != 0) {
        return 0;
    }
    int32_t rc = -HV_ENOENT;
    for (int tries = 0; tries < 100 && rc == -HV_ENOENT; tries++) {
        rc = hv_grant_map(peer, 0, pte, GR_ATTR_RW);
        if (rc == -HV_ENOENT) {
            hv_yield();
        }
    }
    if (rc != 0 || gr_unmap(0) != 0) {
        return 0;
    }
    uint64_t start = hv_clock_read();
    for (uint32_t i = 0; i < n; i++) {
        if (hv_grant_map(peer, 0, pte, GR_ATTR_RW) != 0) {
            return 0;
        }
        sink += *(volatile uint32_t *)gr_slot[0];
        hv_grant_unmap(pte);
        hv_mmu_tlb(HV_TLB_FLUSH_VA, (uint32_t)(uintptr_t)gr_slot[0]);
    }
    uint64_t map_ns = hv_clock_read() - start;
    op = (struct hv_grant_copy){peer, 0, 0, 4096, (uint32_t)(uintptr_t)gr_buf,
                                0};
    start = hv_clock_read();
    for (uint32_t i = 0; i < n; i++) {
        if (hv_grant_copy(&op, 1, &done) != 0) {
            return 0;
        }
    }
    *copy_ns = hv_clock_read() - start;
    start = hv_clock_read();
    for (uint32_t i = 0; i < n; i++) {
        memcpy(gr_buf, gr_slot[1], 4096);
        __asm__ volatile("" ::: "memory");
    }
    *memcpy_ns = hv_clock_read() - start;
    (void)sink;
    return map_ns;
}
