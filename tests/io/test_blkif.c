/* SPDX-License-Identifier: MIT */
/*
 * <hvabi/io/blkif.h>: the backend's request check, the frontend's
 * response check, a request changed in the ring after the backend copied
 * it, and a small disk served end to end through the ring.
 */
#include <string.h>

#include <hvabi/io/blkif.h>

#include "unit.h"

/* 1 MiB, 512-byte sectors, every feature. */
static const struct hv_blkif_info dev_all = {
    2048, 512, HV_BLKIF_F_FLUSH | HV_BLKIF_F_FUA | HV_BLKIF_F_DISCARD, {0, 0}};

static struct hv_blkif_request rw(uint8_t op, uint64_t sector,
                                  unsigned int segments)
{
    struct hv_blkif_request r;

    memset(&r, 0, sizeof(r));
    r.id = 1;
    r.operation = op;
    r.sector = sector;
    r.nr_segments = (uint8_t)segments;
    for (unsigned int i = 0; i < segments; i++) {
        r.seg[i].gref = 100 + i;
        r.seg[i].offset = 0;
        r.seg[i].length = 4096;
    }
    r.nr_sectors = segments * 8;
    return r;
}

TEST(blkif, ring_shape)
{
    EXPECT_EQ(sizeof(struct hv_blkif_sring), 64u + 16u * (240u + 12u));
    EXPECT_EQ(sizeof(struct hv_blkif_sring), 4096u); /* the page, no slack */
    EXPECT_EQ(HV_BLKIF_RING_SIZE, 16u);
    EXPECT_EQ(HV_BLKIF_MAX_SEGMENTS * HV_BLKIF_FRAME_SIZE, 108u * 1024u);
}

TEST(blkif, good_requests_accepted)
{
    struct hv_blkif_request r = rw(HV_BLKIF_OP_READ, 0, HV_BLKIF_MAX_SEGMENTS);
    EXPECT_EQ(hv_blkif_check_request(&r, &dev_all), HV_BLKIF_OK);

    r = rw(HV_BLKIF_OP_WRITE, 2048 - 8, 1);
    r.flags = HV_BLKIF_REQ_FUA;
    EXPECT_EQ(hv_blkif_check_request(&r, &dev_all), HV_BLKIF_OK);

    /* Sub-frame segments. */
    r = rw(HV_BLKIF_OP_WRITE, 5, 2);
    r.seg[0].offset = 512;
    r.seg[0].length = 1024;
    r.seg[1].offset = 3584;
    r.seg[1].length = 512;
    r.nr_sectors = 3;
    EXPECT_EQ(hv_blkif_check_request(&r, &dev_all), HV_BLKIF_OK);

    r = rw(HV_BLKIF_OP_FLUSH, 0, 0);
    EXPECT_EQ(hv_blkif_check_request(&r, &dev_all), HV_BLKIF_OK);

    r = rw(HV_BLKIF_OP_DISCARD, 8, 0);
    r.nr_sectors = 2040;
    EXPECT_EQ(hv_blkif_check_request(&r, &dev_all), HV_BLKIF_OK);
}

TEST(blkif, bad_requests_refused)
{
    struct hv_blkif_info ro = dev_all;
    struct hv_blkif_info bare = {2048, 512, 0, {0, 0}};
    struct hv_blkif_info big = {2048, 4096, HV_BLKIF_F_DISCARD, {0, 0}};
    struct hv_blkif_request r;

    ro.features |= HV_BLKIF_F_READ_ONLY;
#define REFUSED(req, dev, status)                                              \
    EXPECT_EQ(hv_blkif_check_request(&(req), &(dev)), status)

    r = rw(HV_BLKIF_OP_READ, 0, 1);
    r.operation = 4;
    REFUSED(r, dev_all, HV_BLKIF_ENOTSUP);
    r.operation = 255;
    REFUSED(r, dev_all, HV_BLKIF_ENOTSUP);
    r = rw(HV_BLKIF_OP_READ, 0, 1);
    r.reserved0 = 1;
    REFUSED(r, dev_all, HV_BLKIF_EINVAL);
    r = rw(HV_BLKIF_OP_READ, 0, 1);
    r.reserved1 = 1;
    REFUSED(r, dev_all, HV_BLKIF_EINVAL);
    r = rw(HV_BLKIF_OP_WRITE, 0, 1);
    r.flags = 0x02;
    REFUSED(r, dev_all, HV_BLKIF_EINVAL);

    /* Features. */
    r = rw(HV_BLKIF_OP_WRITE, 0, 1);
    REFUSED(r, ro, HV_BLKIF_EROFS);
    r = rw(HV_BLKIF_OP_READ, 0, 1);
    EXPECT_EQ(hv_blkif_check_request(&r, &ro), HV_BLKIF_OK);
    r = rw(HV_BLKIF_OP_DISCARD, 0, 0);
    r.nr_sectors = 8;
    REFUSED(r, ro, HV_BLKIF_EROFS);
    REFUSED(r, bare, HV_BLKIF_ENOTSUP);
    r = rw(HV_BLKIF_OP_FLUSH, 0, 0);
    REFUSED(r, bare, HV_BLKIF_ENOTSUP);
    r = rw(HV_BLKIF_OP_WRITE, 0, 1);
    r.flags = HV_BLKIF_REQ_FUA;
    REFUSED(r, bare, HV_BLKIF_ENOTSUP);
    r = rw(HV_BLKIF_OP_READ, 0, 1);
    r.flags = HV_BLKIF_REQ_FUA;
    REFUSED(r, dev_all, HV_BLKIF_EINVAL);

    /* Segments. */
    r = rw(HV_BLKIF_OP_READ, 0, 0);
    REFUSED(r, dev_all, HV_BLKIF_EINVAL);
    r = rw(HV_BLKIF_OP_READ, 0, HV_BLKIF_MAX_SEGMENTS);
    r.nr_segments = HV_BLKIF_MAX_SEGMENTS + 1;
    r.nr_sectors = (HV_BLKIF_MAX_SEGMENTS + 1) * 8;
    REFUSED(r, dev_all, HV_BLKIF_EINVAL);
    r = rw(HV_BLKIF_OP_READ, 0, 2);
    r.seg[1].length = 0;
    r.nr_sectors = 8;
    REFUSED(r, dev_all, HV_BLKIF_EINVAL);
    r = rw(HV_BLKIF_OP_READ, 0, 1);
    r.seg[0].offset = 512; /* 512 + 4096 is past the frame */
    REFUSED(r, dev_all, HV_BLKIF_EINVAL);
    r = rw(HV_BLKIF_OP_READ, 0, 1);
    r.seg[0].offset = 65535;
    r.seg[0].length = 65535;
    REFUSED(r, dev_all, HV_BLKIF_EINVAL);
    r = rw(HV_BLKIF_OP_READ, 0, 1);
    r.seg[0].offset = 100; /* not sector aligned */
    r.seg[0].length = 512;
    r.nr_sectors = 1;
    REFUSED(r, dev_all, HV_BLKIF_EINVAL);
    r = rw(HV_BLKIF_OP_READ, 0, 1);
    r.nr_sectors = 7; /* not the segments' total */
    REFUSED(r, dev_all, HV_BLKIF_EINVAL);
    r = rw(HV_BLKIF_OP_FLUSH, 0, 0);
    r.nr_segments = 1;
    REFUSED(r, dev_all, HV_BLKIF_EINVAL);
    r = rw(HV_BLKIF_OP_FLUSH, 8, 0);
    REFUSED(r, dev_all, HV_BLKIF_EINVAL);
    r = rw(HV_BLKIF_OP_DISCARD, 0, 0);
    REFUSED(r, dev_all, HV_BLKIF_EINVAL); /* discards nothing */
    r = rw(HV_BLKIF_OP_DISCARD, 0, 1);
    REFUSED(r, dev_all, HV_BLKIF_EINVAL); /* carries a segment */

    /* Range. */
    r = rw(HV_BLKIF_OP_READ, 2048 - 7, 1);
    REFUSED(r, dev_all, HV_BLKIF_EINVAL);
    r = rw(HV_BLKIF_OP_READ, 2048, 1);
    REFUSED(r, dev_all, HV_BLKIF_EINVAL);
    r = rw(HV_BLKIF_OP_READ, UINT64_MAX - 3, 1); /* wraps to 4 */
    REFUSED(r, dev_all, HV_BLKIF_EINVAL);
    r = rw(HV_BLKIF_OP_DISCARD, 8, 0);
    r.nr_sectors = 0xffffffffu;
    REFUSED(r, dev_all, HV_BLKIF_EINVAL);

    /* 4 KiB logical blocks: everything in whole blocks. */
    r = rw(HV_BLKIF_OP_READ, 8, 1);
    EXPECT_EQ(hv_blkif_check_request(&r, &big), HV_BLKIF_OK);
    r = rw(HV_BLKIF_OP_READ, 4, 1);
    REFUSED(r, big, HV_BLKIF_EINVAL);
    r = rw(HV_BLKIF_OP_READ, 8, 1);
    r.seg[0].length = 2048;
    r.nr_sectors = 4;
    REFUSED(r, big, HV_BLKIF_EINVAL);
    r = rw(HV_BLKIF_OP_DISCARD, 8, 0);
    r.nr_sectors = 12;
    REFUSED(r, big, HV_BLKIF_EINVAL);

    /* A device description no backend may offer refuses everything. */
    struct hv_blkif_info odd = dev_all;
    odd.sector_size = 768;
    r = rw(HV_BLKIF_OP_READ, 0, 1);
    REFUSED(r, odd, HV_BLKIF_EINVAL);
    odd = dev_all;
    odd.features |= 0x100;
    REFUSED(r, odd, HV_BLKIF_EINVAL);
    odd = dev_all;
    odd.sector_size = 4096;
    odd.sectors = 2044;
    REFUSED(r, odd, HV_BLKIF_EINVAL);
#undef REFUSED
}

TEST(blkif, request_changed_in_ring_after_copy)
{
    struct hv_blkif_sring *s = unit_alloc(sizeof(*s));
    struct hv_ring_front f;
    struct hv_ring_back b;
    struct hv_blkif_request r = rw(HV_BLKIF_OP_WRITE, 16, 2);
    struct hv_blkif_request got;

    ASSERT_EQ(hv_blkif_front_init(&f, s), 0);
    ASSERT_EQ(hv_blkif_back_attach(&b, s), 0);
    ASSERT_EQ(hv_blkif_put_request(&f, &r), 0);
    hv_ring_front_push(&f);
    ASSERT_EQ(hv_blkif_get_request(&b, &got), 0);
    ASSERT_EQ(hv_blkif_check_request(&got, &dev_all), HV_BLKIF_OK);
    /* The frontend now makes the shared request invalid. */
    s->req[0].nr_segments = 200;
    s->req[0].sector = UINT64_MAX;
    s->req[0].seg[0].length = 65535;
    EXPECT_EQ(hv_blkif_check_request(&s->req[0], &dev_all), HV_BLKIF_EINVAL);
    /* What the backend checked and will use has not changed. */
    EXPECT_EQ(memcmp(&got, &r, sizeof(r)), 0);
    EXPECT_EQ(hv_blkif_check_request(&got, &dev_all), HV_BLKIF_OK);
}

TEST(blkif, responses_checked_by_id)
{
    struct hv_ring_ids ids;
    uint8_t ops[HV_BLKIF_RING_SIZE] = {0};
    struct hv_blkif_response a;

    ASSERT_EQ(hv_ring_ids_init(&ids, HV_BLKIF_RING_SIZE), 0);
    for (int i = 0; i < 3; i++) {
        int32_t id = hv_ring_id_alloc(&ids);
        ASSERT_EQ(id, i);
        ops[id] = i == 1 ? HV_BLKIF_OP_WRITE : HV_BLKIF_OP_READ;
    }
    memset(&a, 0, sizeof(a));
    a.id = HV_BLKIF_RING_SIZE; /* not an id */
    EXPECT_EQ(hv_blkif_check_response(&a, &ids, ops), -HV_ERANGE);
    a.id = 0xffffffffu;
    EXPECT_EQ(hv_blkif_check_response(&a, &ids, ops), -HV_ERANGE);
    a.id = 5; /* never issued */
    EXPECT_EQ(hv_blkif_check_response(&a, &ids, ops), -HV_ENOENT);
    a.id = 1; /* issued as a write */
    a.operation = HV_BLKIF_OP_READ;
    EXPECT_EQ(hv_blkif_check_response(&a, &ids, ops), -HV_EINVAL);
    a.operation = HV_BLKIF_OP_WRITE;
    a.status = -6; /* unknown status */
    EXPECT_EQ(hv_blkif_check_response(&a, &ids, ops), -HV_EINVAL);
    a.status = 1;
    EXPECT_EQ(hv_blkif_check_response(&a, &ids, ops), -HV_EINVAL);
    a.status = HV_BLKIF_EIO;
    EXPECT_EQ(hv_blkif_check_response(&a, &ids, ops), 0);
    EXPECT_EQ(hv_blkif_check_response(&a, &ids, ops), -HV_ENOENT); /* dup */
    a.id = 0;
    a.operation = HV_BLKIF_OP_READ;
    a.status = HV_BLKIF_OK;
    EXPECT_EQ(hv_blkif_check_response(&a, &ids, ops), 0);
    EXPECT_EQ(hv_ring_id_alloc(&ids), 0);
}

/* --- A disk served through the ring --------------------------------------- */

#define DISK_SECTORS 256
#define FRAMES 16

struct disk {
    struct hv_blkif_sring *s;
    struct hv_ring_front f;
    struct hv_ring_back b;
    struct hv_ring_ids ids;
    uint8_t ops[HV_BLKIF_RING_SIZE];
    unsigned char (*media)[HV_BLKIF_SECTOR_SIZE]; /* the backend's device */
    unsigned char (*frames)[HV_BLKIF_FRAME_SIZE]; /* "granted": gref = index */
};

/* The backend: every waiting request copied, checked, done, answered. */
static void disk_serve(struct disk *d, const struct hv_blkif_info *info)
{
    struct hv_blkif_request r;

    while (hv_blkif_get_request(&d->b, &r) == 0) {
        struct hv_blkif_response a;
        int32_t status = hv_blkif_check_request(&r, info);
        uint64_t sector = r.sector;

        for (unsigned int i = 0; status == HV_BLKIF_OK && i < r.nr_segments;
             i++) {
            const struct hv_blkif_segment *g = &r.seg[i];
            if (g->gref >= FRAMES) {
                status = HV_BLKIF_EACCES;
                break;
            }
            for (unsigned int off = g->offset; off < g->offset + g->length;
                 off += HV_BLKIF_SECTOR_SIZE) {
                unsigned char *mem = d->frames[g->gref] + off;
                if (r.operation == HV_BLKIF_OP_READ) {
                    memcpy(mem, d->media[sector], HV_BLKIF_SECTOR_SIZE);
                } else {
                    memcpy(d->media[sector], mem, HV_BLKIF_SECTOR_SIZE);
                }
                sector++;
            }
        }
        memset(&a, 0, sizeof(a));
        a.id = r.id;
        a.operation = r.operation;
        a.status = status;
        EXPECT_EQ(hv_blkif_put_response(&d->b, &a), 0);
    }
    hv_ring_back_push(&d->b);
}

/* The frontend: issues r with a fresh id, the backend serves, the answer
 * is checked; returns its status. */
static int32_t disk_io(struct disk *d, const struct hv_blkif_info *info,
                       struct hv_blkif_request r)
{
    struct hv_blkif_response a;
    int32_t id = hv_ring_id_alloc(&d->ids);

    if (id < 0) {
        return -100;
    }
    r.id = (uint32_t)id;
    d->ops[id] = r.operation;
    EXPECT_EQ(hv_blkif_put_request(&d->f, &r), 0);
    hv_ring_front_push(&d->f);
    disk_serve(d, info);
    EXPECT_EQ(hv_blkif_get_response(&d->f, &a), 0);
    EXPECT_EQ(a.id, (uint32_t)id);
    EXPECT_EQ(hv_blkif_check_response(&a, &d->ids, d->ops), 0);
    return a.status;
}

TEST(blkif, disk_through_the_ring)
{
    static const struct hv_blkif_info info = {
        DISK_SECTORS, 512, HV_BLKIF_F_FLUSH, {0, 0}};
    struct disk *d = unit_alloc(sizeof(*d));
    struct hv_blkif_request r;

    d->s = unit_alloc(sizeof(*d->s));
    d->media = unit_alloc(DISK_SECTORS * HV_BLKIF_SECTOR_SIZE);
    d->frames = unit_alloc(FRAMES * HV_BLKIF_FRAME_SIZE);
    ASSERT_EQ(hv_blkif_front_init(&d->f, d->s), 0);
    ASSERT_EQ(hv_blkif_back_attach(&d->b, d->s), 0);
    ASSERT_EQ(hv_ring_ids_init(&d->ids, HV_BLKIF_RING_SIZE), 0);

    /* 100 writes then reads of 3 sectors, through the wrap of the ring. */
    for (unsigned int i = 0; i < 100; i++) {
        uint64_t sector = (i * 5) % (DISK_SECTORS - 3);
        memset(d->frames[1], (int)i, HV_BLKIF_FRAME_SIZE);
        r = rw(HV_BLKIF_OP_WRITE, sector, 1);
        r.seg[0].gref = 1;
        r.seg[0].offset = 1024;
        r.seg[0].length = 1536;
        r.nr_sectors = 3;
        ASSERT_EQ(disk_io(d, &info, r), HV_BLKIF_OK);
        memset(d->frames[2], 0xee, HV_BLKIF_FRAME_SIZE);
        r.operation = HV_BLKIF_OP_READ;
        r.seg[0].gref = 2;
        r.seg[0].offset = 0;
        ASSERT_EQ(disk_io(d, &info, r), HV_BLKIF_OK);
        for (unsigned int k = 0; k < 1536; k++) {
            ASSERT_EQ(d->frames[2][k], (unsigned char)i);
        }
        ASSERT_EQ(d->frames[2][1536], 0xee);
    }
    r = rw(HV_BLKIF_OP_FLUSH, 0, 0);
    EXPECT_EQ(disk_io(d, &info, r), HV_BLKIF_OK);
    r = rw(HV_BLKIF_OP_READ, DISK_SECTORS - 4, 1);
    EXPECT_EQ(disk_io(d, &info, r), HV_BLKIF_EINVAL);
    r = rw(HV_BLKIF_OP_READ, 0, 1);
    r.seg[0].gref = FRAMES; /* not granted */
    EXPECT_EQ(disk_io(d, &info, r), HV_BLKIF_EACCES);
    r = rw(HV_BLKIF_OP_DISCARD, 0, 0);
    r.nr_sectors = 8;
    EXPECT_EQ(disk_io(d, &info, r), HV_BLKIF_ENOTSUP);
    EXPECT_EQ(d->f.error, 0);
    EXPECT_EQ(d->b.error, 0);
}
