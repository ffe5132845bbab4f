/* SPDX-License-Identifier: MIT */
/*
 * <hvabi/io/ring.h>: round trips, wrap-around of the free-running
 * indexes, full rings, hold-off, hostile indexes, replay after a backend
 * restart, the id tracker. One thread plays both sides, in turns; the
 * interleavings are test_ring_interleave.c's.
 */
#include <string.h>

#include "ring_test_types.h"
#include "unit.h"

struct pair {
    struct t4_sring *s;
    struct hv_ring_front f;
    struct hv_ring_back b;
};

/* A fresh ring whose every index starts at start, both sides attached. */
static struct pair *pair_new(uint32_t start)
{
    struct pair *p = unit_alloc(sizeof(*p));

    p->s = unit_alloc(sizeof(*p->s));
    ASSERT_EQ(t4_front_init(&p->f, p->s), 0);
    if (start != 0) {
        p->s->hdr.req_prod = start;
        p->s->hdr.rsp_prod = start;
        p->s->hdr.req_event = start + 1;
        p->s->hdr.rsp_event = start + 1;
        p->f.req_prod_pvt = p->f.req_prod = start;
        p->f.rsp_cons = p->f.rsp_prod = start;
    }
    ASSERT_EQ(t4_back_attach(&p->b, p->s), 0);
    ASSERT_EQ(p->b.req_cons, start);
    return p;
}

static struct t_req req_of(uint32_t seq)
{
    struct t_req r = {seq, seq * 3u, ~seq, seq ^ 0x5a5a5a5au};
    return r;
}

/* The backend's answer to r. */
static struct t_rsp answer(const struct t_req *r)
{
    struct t_rsp a = {r->seq, r->a + r->b + r->c};
    return a;
}

/* The backend serves every waiting request; returns how many. */
static unsigned int serve(struct pair *p, unsigned int *notified)
{
    struct t_req r;
    unsigned int n = 0;

    while (t4_get_request(&p->b, &r) == 0) {
        struct t_rsp a = answer(&r);
        EXPECT_EQ(t4_put_response(&p->b, &a), 0);
        n++;
    }
    if (hv_ring_back_push(&p->b) && notified) {
        (*notified)++;
    }
    return n;
}

TEST(ring, round_trip_through_index_wrap)
{
    /* 0xfffffff0 + 200: every index crosses 2^32 on the way. */
    struct pair *p = pair_new(0xfffffff0u);
    uint32_t sent = 0;
    uint32_t got = 0;

    while (got < 200) {
        /* Batches of 1 to 4, as many as fit. */
        unsigned int batch = 1 + sent % 4;
        while (batch-- > 0 && sent < 200 && hv_ring_front_free(&p->f) > 0) {
            struct t_req r = req_of(sent);
            ASSERT_EQ(t4_put_request(&p->f, &r), 0);
            sent++;
        }
        hv_ring_front_push(&p->f);
        serve(p, NULL);
        struct t_rsp a;
        while (t4_get_response(&p->f, &a) == 0) {
            struct t_req r = req_of(got);
            EXPECT_EQ(a.seq, got);
            EXPECT_EQ(a.sum, answer(&r).sum);
            got++;
        }
        ASSERT_EQ(p->f.error, 0);
        ASSERT_EQ(p->b.error, 0);
    }
    EXPECT_EQ(sent, 200u);
    EXPECT_EQ(p->s->hdr.req_prod, 0xfffffff0u + 200u);
    EXPECT_EQ(p->s->hdr.rsp_prod, 0xfffffff0u + 200u);
    EXPECT_LT(p->s->hdr.req_prod, 0xfffffff0u); /* it did wrap */
}

TEST(ring, full_ring_refuses_without_overwriting)
{
    struct pair *p = pair_new(0xfffffffeu);
    struct t_req r;
    struct t_rsp a;

    for (uint32_t i = 0; i < 4; i++) {
        r = req_of(i);
        ASSERT_EQ(t4_put_request(&p->f, &r), 0);
    }
    r = req_of(99);
    EXPECT_EQ(t4_put_request(&p->f, &r), -HV_EAGAIN);
    EXPECT_EQ(hv_ring_front_free(&p->f), 0u);
    hv_ring_front_push(&p->f);

    /* Consumed and answered but the answers not yet read: still full. */
    EXPECT_EQ(serve(p, NULL), 4u);
    EXPECT_EQ(t4_put_request(&p->f, &r), -HV_EAGAIN);
    /* Every slot still holds the answer to its own request. */
    for (uint32_t i = 0; i < 4; i++) {
        ASSERT_EQ(t4_get_response(&p->f, &a), 0);
        EXPECT_EQ(a.seq, i);
        if (i == 0) {
            /* One slot free now, and only one. */
            EXPECT_EQ(t4_put_request(&p->f, &r), 0);
            EXPECT_EQ(t4_put_request(&p->f, &r), -HV_EAGAIN);
        }
    }
    EXPECT_EQ(hv_ring_front_free(&p->f), 3u);
}

TEST(ring, backend_answers_only_what_it_consumed)
{
    struct pair *p = pair_new(0);
    struct t_req r = req_of(1);
    struct t_rsp a = {1, 2};

    EXPECT_EQ(t4_put_response(&p->b, &a), -HV_EINVAL);
    ASSERT_EQ(t4_put_request(&p->f, &r), 0);
    hv_ring_front_push(&p->f);
    ASSERT_EQ(t4_get_request(&p->b, &r), 0);
    EXPECT_EQ(t4_put_response(&p->b, &a), 0);
    EXPECT_EQ(t4_put_response(&p->b, &a), -HV_EINVAL);
    EXPECT_EQ(t4_get_request(&p->b, &r), -HV_EAGAIN);
}

TEST(ring, init_refuses_bad_shapes)
{
    struct hv_ring_front f;
    struct hv_ring_back b;
    static struct {
        struct hv_ring_header h;
        uint32_t req[64];
        uint32_t rsp[64];
    } area;

#define INIT(req_size, rsp_size, size)                                         \
    hv_ring_front_init(&f, &area.h, area.req, req_size, area.rsp, rsp_size,    \
                       size)
    EXPECT_EQ(INIT(8, 4, 0), -HV_EINVAL);
    EXPECT_EQ(INIT(8, 4, 3), -HV_EINVAL);
    EXPECT_EQ(INIT(6, 4, 4), -HV_EINVAL);
    EXPECT_EQ(INIT(8, 2, 4), -HV_EINVAL);
    EXPECT_EQ(INIT(0, 4, 4), -HV_EINVAL);
    EXPECT_EQ(INIT(8, 0, 4), -HV_EINVAL);
    EXPECT_EQ(hv_ring_back_attach(&b, &area.h, area.req, 4, area.rsp, 4, 8192),
              -HV_EINVAL);
    memset(&area, 0xff, sizeof(area));
    EXPECT_EQ(INIT(8, 8, 32), 0);
#undef INIT
    EXPECT_EQ(area.h.req_event, 1u);
    EXPECT_EQ(area.h.rsp_event, 1u);
    EXPECT_EQ(area.h.req_prod, 0u);
    EXPECT_EQ(area.h.back_reserved[5], 0u);
    for (int i = 0; i < 64; i++) {
        EXPECT_EQ(area.req[i], 0u);
        EXPECT_EQ(area.rsp[i], 0u);
    }
    EXPECT_EQ(HV_RING_SLOTS_IN(4096, 112 + 12), 32u);
    EXPECT_EQ(HV_RING_SLOTS_IN(4096, 16), 128u);
    EXPECT_EQ(HV_RING_SLOTS_IN(128, 64), 1u);
}

TEST(ring, notify_window_wraps)
{
    /* Notify iff the event lies in (old, new]. */
    EXPECT_TRUE(hv_ring_notify_needed(5, 6, 6));
    EXPECT_FALSE(hv_ring_notify_needed(5, 6, 5));
    EXPECT_FALSE(hv_ring_notify_needed(5, 6, 7));
    EXPECT_FALSE(hv_ring_notify_needed(5, 5, 5));
    EXPECT_TRUE(hv_ring_notify_needed(0xfffffffeu, 1, 0xffffffffu));
    EXPECT_TRUE(hv_ring_notify_needed(0xfffffffeu, 1, 0));
    EXPECT_TRUE(hv_ring_notify_needed(0xfffffffeu, 1, 1));
    EXPECT_FALSE(hv_ring_notify_needed(0xfffffffeu, 1, 2));
    EXPECT_FALSE(hv_ring_notify_needed(0xfffffffeu, 1, 0xfffffffeu));
}

TEST(ring, holdoff_batches_notifications)
{
    /* The backend sleeps whenever it finds nothing; the frontend pushes
     * after every single request, in bursts of 4 (the ring's size), and
     * notifies when told to. */
    struct pair *p = pair_new(0x7ffffff0u);
    unsigned int to_back = 0;
    unsigned int to_front = 0;
    uint32_t sent = 0;
    uint32_t got = 0;

    ASSERT_EQ(hv_ring_back_final_check(&p->b), 0); /* asleep */
    while (got < 1000) {
        while (sent < 1000 && hv_ring_front_free(&p->f) > 0) {
            struct t_req r = req_of(sent++);
            ASSERT_EQ(t4_put_request(&p->f, &r), 0);
            to_back += hv_ring_front_push(&p->f);
        }
        /* Woken (or not): serves all, then re-arms before sleeping. */
        do {
            serve(p, &to_front);
        } while (hv_ring_back_final_check(&p->b) > 0);
        struct t_rsp a;
        do {
            while (t4_get_response(&p->f, &a) == 0) {
                EXPECT_EQ(a.seq, got);
                got++;
            }
        } while (hv_ring_front_final_check(&p->f) > 0);
    }
    /* One notification each way per burst of 4, not one per request. */
    EXPECT_EQ(to_back, 250u);
    EXPECT_EQ(to_front, 250u);

    /* A consumer that keeps up without sleeping is notified once, by the
     * first request, which finds it asleep. */
    to_back = 0;
    for (uint32_t i = 0; i < 100; i++) {
        struct t_req r = req_of(i);
        struct t_rsp a;
        ASSERT_EQ(t4_put_request(&p->f, &r), 0);
        to_back += hv_ring_front_push(&p->f);
        serve(p, NULL);
        ASSERT_EQ(t4_get_response(&p->f, &a), 0);
    }
    EXPECT_EQ(to_back, 1u);
}

TEST(ring, rearmed_consumer_is_notified)
{
    struct pair *p = pair_new(0);
    struct t_req r = req_of(0);

    /* Asleep: the next request must notify, the one after not. */
    ASSERT_EQ(hv_ring_back_final_check(&p->b), 0);
    ASSERT_EQ(t4_put_request(&p->f, &r), 0);
    EXPECT_EQ(hv_ring_front_push(&p->f), 1);
    ASSERT_EQ(t4_put_request(&p->f, &r), 0);
    EXPECT_EQ(hv_ring_front_push(&p->f), 0);
    /* Work published while re-arming is found by the final check. */
    EXPECT_EQ(hv_ring_back_final_check(&p->b), 2);
}

TEST(ring, request_producer_too_far_ahead)
{
    struct pair *p = pair_new(0xfffffffdu);
    struct t_req r;

    /* Two consumed, none answered: at most rsp_prod_pvt + 4. */
    for (int i = 0; i < 2; i++) {
        r = req_of(i);
        ASSERT_EQ(t4_put_request(&p->f, &r), 0);
    }
    hv_ring_front_push(&p->f);
    ASSERT_EQ(t4_get_request(&p->b, &r), 0);
    ASSERT_EQ(t4_get_request(&p->b, &r), 0);
    p->s->hdr.req_prod = 0xfffffffdu + 4; /* full, fine */
    EXPECT_EQ(hv_ring_back_poll(&p->b), 2);
    p->s->hdr.req_prod = 0xfffffffdu + 5; /* would overwrite a request */
    EXPECT_EQ(hv_ring_back_poll(&p->b), -HV_ERANGE);
    /* Broken for good: putting it back does not help. */
    p->s->hdr.req_prod = 0xfffffffdu + 2;
    EXPECT_EQ(hv_ring_back_poll(&p->b), -HV_ERANGE);
    EXPECT_EQ(t4_get_request(&p->b, &r), -HV_ERANGE);
    EXPECT_EQ(hv_ring_back_final_check(&p->b), -HV_ERANGE);

    p = pair_new(0);
    p->s->hdr.req_prod = 0x80000000u;
    EXPECT_EQ(t4_get_request(&p->b, &r), -HV_ERANGE);
}

TEST(ring, request_producer_moving_back)
{
    struct pair *p = pair_new(0x00000001u);
    struct t_req r;

    for (int i = 0; i < 3; i++) {
        r = req_of(i);
        ASSERT_EQ(t4_put_request(&p->f, &r), 0);
    }
    hv_ring_front_push(&p->f);
    ASSERT_EQ(hv_ring_back_poll(&p->b), 3);
    ASSERT_EQ(t4_get_request(&p->b, &r), 0);
    /* Behind what it published, though not behind req_cons. */
    p->s->hdr.req_prod = 0x00000001u + 2;
    EXPECT_EQ(hv_ring_back_poll(&p->b), -HV_ERANGE);

    /* Behind the consumer, across the wrap: 0 - 1. */
    p = pair_new(0);
    p->s->hdr.req_prod = 0xffffffffu;
    EXPECT_EQ(hv_ring_back_final_check(&p->b), -HV_ERANGE);
}

TEST(ring, response_producer_hostile)
{
    struct pair *p = pair_new(0xffffffffu);
    struct t_req r = req_of(0);
    struct t_rsp a;

    /* Two published, a third written but not published. */
    ASSERT_EQ(t4_put_request(&p->f, &r), 0);
    ASSERT_EQ(t4_put_request(&p->f, &r), 0);
    hv_ring_front_push(&p->f);
    ASSERT_EQ(t4_put_request(&p->f, &r), 0);
    p->s->hdr.rsp_prod = 0xffffffffu + 2;
    EXPECT_EQ(hv_ring_front_poll(&p->f), 2);
    /* Answers to a request never published. */
    p->s->hdr.rsp_prod = 0xffffffffu + 3;
    EXPECT_EQ(hv_ring_front_poll(&p->f), -HV_ERANGE);
    EXPECT_EQ(t4_get_response(&p->f, &a), -HV_ERANGE);
    EXPECT_EQ(t4_put_request(&p->f, &r), -HV_ERANGE);

    /* Moving back. */
    p = pair_new(10);
    ASSERT_EQ(t4_put_request(&p->f, &r), 0);
    hv_ring_front_push(&p->f);
    p->s->hdr.rsp_prod = 11;
    ASSERT_EQ(t4_get_response(&p->f, &a), 0);
    p->s->hdr.rsp_prod = 10;
    EXPECT_EQ(hv_ring_front_final_check(&p->f), -HV_ERANGE);
}

TEST(ring, shared_slot_changed_after_copy)
{
    struct pair *p = pair_new(0);
    struct t_req r = req_of(7);
    struct t_req got;

    ASSERT_EQ(t4_put_request(&p->f, &r), 0);
    hv_ring_front_push(&p->f);
    ASSERT_EQ(t4_get_request(&p->b, &got), 0);
    /* The frontend rewrites the slot after the copy: the copy stays. */
    memset(&p->s->req[0], 0xff, sizeof(p->s->req[0]));
    EXPECT_EQ(memcmp(&got, &r, sizeof(r)), 0);
    EXPECT_EQ(got.seq, 7u);
}

TEST(ring, copy_reads_each_byte_once_unaligned)
{
    /* Both the word and the byte paths copy exactly n bytes. */
    unsigned char src[40];
    unsigned char dst[40];

    for (unsigned int i = 0; i < sizeof(src); i++) {
        src[i] = (unsigned char)(i * 7 + 1);
    }
    for (unsigned int off = 0; off < 4; off++) {
        for (unsigned int n = 0; n < 32; n++) {
            memset(dst, 0, sizeof(dst));
            hv_ring_copy_in(dst + off, src + 4, n);
            EXPECT_EQ(memcmp(dst + off, src + 4, n), 0);
            for (unsigned int i = off + n; i < sizeof(dst); i++) {
                EXPECT_EQ(dst[i], 0);
            }
            memset(dst, 0, sizeof(dst));
            hv_ring_copy_out(dst + 4, src + off, n);
            EXPECT_EQ(memcmp(dst + 4, src + off, n), 0);
            EXPECT_EQ(dst[4 + n], 0);
        }
    }
}

TEST(ring, replay_after_backend_restart)
{
    struct pair *p = pair_new(0xfffffffcu);
    struct t_req r;
    struct t_rsp a;
    unsigned int answered[4] = {0};

    for (uint32_t i = 0; i < 4; i++) {
        r = req_of(i);
        ASSERT_EQ(t4_put_request(&p->f, &r), 0);
    }
    hv_ring_front_push(&p->f);
    /* The first backend consumes all four, answers two and publishes
     * them, writes a third answer, and dies before publishing it. */
    for (int i = 0; i < 4; i++) {
        ASSERT_EQ(t4_get_request(&p->b, &r), 0);
    }
    for (uint32_t i = 0; i < 3; i++) {
        r = req_of(i);
        a = answer(&r);
        ASSERT_EQ(t4_put_response(&p->b, &a), 0);
        if (i == 1) {
            hv_ring_back_push(&p->b);
        }
    }
    /* A new backend: it starts at rsp_prod and finds requests 2 and 3. */
    memset(&p->b, 0xa5, sizeof(p->b));
    ASSERT_EQ(t4_back_attach(&p->b, p->s), 0);
    EXPECT_EQ(hv_ring_back_final_check(&p->b), 2);
    for (uint32_t i = 2; i < 4; i++) {
        struct t_req want = req_of(i);
        ASSERT_EQ(t4_get_request(&p->b, &r), 0);
        /* Intact, though the first backend wrote the answer to 2. */
        EXPECT_EQ(memcmp(&r, &want, sizeof(r)), 0);
    }
    EXPECT_EQ(t4_get_request(&p->b, &r), -HV_EAGAIN);
    for (uint32_t i = 2; i < 4; i++) {
        r = req_of(i);
        a = answer(&r);
        ASSERT_EQ(t4_put_response(&p->b, &a), 0);
    }
    hv_ring_back_push(&p->b);
    /* Every request answered exactly once, in order. */
    for (uint32_t i = 0; i < 4; i++) {
        ASSERT_EQ(t4_get_response(&p->f, &a), 0);
        EXPECT_EQ(a.seq, i);
        answered[a.seq]++;
    }
    EXPECT_EQ(t4_get_response(&p->f, &a), -HV_EAGAIN);
    for (int i = 0; i < 4; i++) {
        EXPECT_EQ(answered[i], 1u);
    }
}

TEST(ring, ids_refuse_unknown_and_duplicate)
{
    struct hv_ring_ids ids;

    EXPECT_EQ(hv_ring_ids_init(&ids, 0), -HV_EINVAL);
    EXPECT_EQ(hv_ring_ids_init(&ids, HV_RING_IDS_MAX + 1), -HV_EINVAL);
    ASSERT_EQ(hv_ring_ids_init(&ids, 40), 0);
    for (int i = 0; i < 40; i++) {
        EXPECT_EQ(hv_ring_id_alloc(&ids), i);
    }
    EXPECT_EQ(hv_ring_id_alloc(&ids), -HV_EAGAIN);
    EXPECT_EQ(hv_ring_id_complete(&ids, 40), -HV_ERANGE);
    EXPECT_EQ(hv_ring_id_complete(&ids, 0xffffffffu), -HV_ERANGE);
    EXPECT_EQ(hv_ring_id_complete(&ids, 33), 0);
    EXPECT_EQ(hv_ring_id_complete(&ids, 33), -HV_ENOENT); /* duplicate */
    EXPECT_EQ(hv_ring_id_alloc(&ids), 33);
    EXPECT_EQ(hv_ring_id_complete(&ids, 5), 0);
    EXPECT_EQ(hv_ring_id_complete(&ids, 3), 0);
    EXPECT_EQ(hv_ring_id_alloc(&ids), 3);
    EXPECT_EQ(hv_ring_id_alloc(&ids), 5);
    /* Never issued. */
    ASSERT_EQ(hv_ring_ids_init(&ids, 8), 0);
    EXPECT_EQ(hv_ring_id_complete(&ids, 2), -HV_ENOENT);
    /* Whole words of ids: 32 and the most, the last id of each. */
    for (uint32_t count = 32; count <= HV_RING_IDS_MAX; count += 224) {
        ASSERT_EQ(hv_ring_ids_init(&ids, count), 0);
        for (uint32_t i = 0; i < count; i++) {
            EXPECT_EQ(hv_ring_id_alloc(&ids), (int32_t)i);
        }
        EXPECT_EQ(hv_ring_id_alloc(&ids), -HV_EAGAIN);
        EXPECT_EQ(hv_ring_id_complete(&ids, count - 1), 0);
        EXPECT_EQ(hv_ring_id_alloc(&ids), (int32_t)(count - 1));
    }
}
