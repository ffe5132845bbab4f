/* SPDX-License-Identifier: MIT */
/*
 * <hvabi/io/netif.h>: the page's layout, where each buffer lies, the
 * backend's request checks and the frontend's response checks at their
 * boundaries, and a frontend and a backend that move 10,000 frames each
 * way through one page, the rings' free-running indexes wrapping, the
 * backend restarted in the middle.
 *
 * The pair runs in one thread, in turns; grants are a table from
 * reference to page (the backend "maps" what the page's header lists).
 * Every buffer page is an allocation of its own, so ASan sees a copy
 * that strays out of one.
 */
#include <stdio.h>
#include <string.h>

#include <hvabi/io/netif.h>

#include "unit.h"

#define PAGE 4096u
#define OFF(m) ((unsigned long)HV_IO_OFFSETOF(struct hv_netif_page, m))

TEST(netif, layout)
{
    EXPECT_EQ(HV_NETIF_MAGIC, 0x6e657431u);
    EXPECT_EQ(HV_NETIF_MTU, 1500u);
    EXPECT_EQ(HV_NETIF_FRAME_MIN, 14u);
    EXPECT_EQ(HV_NETIF_FRAME_MAX, 1514u);
    EXPECT_EQ(HV_NETIF_BUF_SIZE, 2048u);
    EXPECT_EQ(HV_NETIF_BUF_PAGES, 16u);
    EXPECT_EQ(HV_NETIF_BUFS, 32u);
    EXPECT_EQ(HV_NETIF_RING_SLOTS, 32u);
    EXPECT_EQ(HV_NETIF_OK, 0);
    EXPECT_EQ(HV_NETIF_EINVAL, -1);
    EXPECT_EQ(HV_NETIF_EDROP, -2);

    EXPECT_EQ(sizeof(struct hv_netif_tx_request), 4u);
    EXPECT_EQ(HV_IO_OFFSETOF(struct hv_netif_tx_request, len), 2u);
    EXPECT_EQ(sizeof(struct hv_netif_tx_response), 4u);
    EXPECT_EQ(HV_IO_OFFSETOF(struct hv_netif_tx_response, status), 2u);
    EXPECT_EQ(sizeof(struct hv_netif_rx_request), 4u);
    EXPECT_EQ(HV_IO_OFFSETOF(struct hv_netif_rx_request, reserved), 2u);
    EXPECT_EQ(sizeof(struct hv_netif_rx_response), 8u);
    EXPECT_EQ(HV_IO_OFFSETOF(struct hv_netif_rx_response, len), 2u);
    EXPECT_EQ(HV_IO_OFFSETOF(struct hv_netif_rx_response, status), 4u);

    EXPECT_EQ(sizeof(struct hv_netif_tx_meta), 12u);
    EXPECT_EQ(HV_IO_OFFSETOF(struct hv_netif_tx_meta, gso_type), 1u);
    EXPECT_EQ(HV_IO_OFFSETOF(struct hv_netif_tx_meta, hdr_len), 2u);
    EXPECT_EQ(HV_IO_OFFSETOF(struct hv_netif_tx_meta, gso_size), 4u);
    EXPECT_EQ(HV_IO_OFFSETOF(struct hv_netif_tx_meta, csum_start), 6u);
    EXPECT_EQ(HV_IO_OFFSETOF(struct hv_netif_tx_meta, csum_offset), 8u);
    EXPECT_EQ(HV_IO_OFFSETOF(struct hv_netif_tx_meta, reserved), 10u);
    EXPECT_EQ(HV_NETIF_F_TX_OFFLOAD, 1u);
    EXPECT_EQ(HV_NETIF_TXF_MORE, 0x8000u);
    EXPECT_EQ(HV_NETIF_TXF_META, 0x4000u);
    EXPECT_EQ(HV_NETIF_TX_CHAIN_MAX, 16u);
    EXPECT_EQ(HV_NETIF_F_IP_ALIGN, 2u);
    EXPECT_EQ(HV_NETIF_IP_ALIGN, 2u);
    EXPECT_EQ(HV_NETIF_GSO_FRAME_MAX, 16u * 2048u - 12u - 2u);

    EXPECT_EQ(OFF(hdr.magic), 0u);
    EXPECT_EQ(OFF(hdr.features), 4u);
    EXPECT_EQ(OFF(hdr.reserved), 8u);
    EXPECT_EQ(OFF(hdr.tx_gref), 16u);
    EXPECT_EQ(OFF(hdr.rx_gref), 80u);
    EXPECT_EQ(OFF(tx), 144u);
    EXPECT_EQ(OFF(tx.hdr.req_prod), 144u);
    EXPECT_EQ(OFF(tx.hdr.rsp_prod), 176u);
    EXPECT_EQ(OFF(tx.req), 208u);
    EXPECT_EQ(OFF(tx.rsp), 208u + 32u * 4u);
    EXPECT_EQ(OFF(rx), 464u);
    EXPECT_EQ(OFF(rx.hdr.rsp_prod), 496u);
    EXPECT_EQ(OFF(rx.req), 528u);
    EXPECT_EQ(OFF(rx.rsp), 528u + 32u * 4u);
    EXPECT_EQ(sizeof(struct hv_netif_page), 912u);
    EXPECT_EQ(OFF(rx.rsp) + 32u * 8u, 912u); /* nothing after the rings */
    EXPECT_LT(sizeof(struct hv_netif_page), PAGE + 1);
}

TEST(netif, every_buffer_has_its_own_place)
{
    unsigned char seen[HV_NETIF_BUF_PAGES][2];

    memset(seen, 0, sizeof(seen));
    for (uint32_t b = 0; b < HV_NETIF_BUFS; b++) {
        uint32_t page = hv_netif_buf_page(b);
        uint32_t off = hv_netif_buf_offset(b);
        EXPECT_EQ(page, b / 2);
        EXPECT_EQ(off, (b & 1) ? 2048u : 0u);
        ASSERT_TRUE(page < HV_NETIF_BUF_PAGES);
        /* A whole buffer, and so the largest frame, fits its page. */
        EXPECT_TRUE(off + HV_NETIF_BUF_SIZE <= PAGE);
        EXPECT_TRUE(off + HV_NETIF_FRAME_MAX <= PAGE);
        EXPECT_EQ(off % HV_NETIF_BUF_SIZE, 0u);
        seen[page][off / HV_NETIF_BUF_SIZE]++;
    }
    /* The 32 buffers tile the 16 pages exactly once. */
    for (uint32_t p = 0; p < HV_NETIF_BUF_PAGES; p++) {
        EXPECT_EQ(seen[p][0], 1u);
        EXPECT_EQ(seen[p][1], 1u);
    }
}

static int32_t tx_check(uint32_t buf, uint32_t len, uint32_t busy)
{
    struct hv_netif_tx_request r = {(uint16_t)buf, (uint16_t)len};
    return hv_netif_check_tx_request(&r, busy);
}

static int32_t rx_check(uint32_t buf, uint32_t reserved, uint32_t busy)
{
    struct hv_netif_rx_request r = {(uint16_t)buf, (uint16_t)reserved};
    return hv_netif_check_rx_request(&r, busy);
}

TEST(netif, tx_request_check)
{
    EXPECT_EQ(tx_check(0, 60, 0), HV_NETIF_OK);
    EXPECT_EQ(tx_check(31, 60, 0), HV_NETIF_OK);
    EXPECT_EQ(tx_check(32, 60, 0), HV_NETIF_EINVAL);
    EXPECT_EQ(tx_check(33, 60, 0), HV_NETIF_EINVAL);
    EXPECT_EQ(tx_check(0xffff, 60, 0), HV_NETIF_EINVAL);
    /* Lengths: an Ethernet header up to header + MTU. */
    EXPECT_EQ(tx_check(7, 13, 0), HV_NETIF_EINVAL);
    EXPECT_EQ(tx_check(7, 14, 0), HV_NETIF_OK);
    EXPECT_EQ(tx_check(7, 1514, 0), HV_NETIF_OK);
    EXPECT_EQ(tx_check(7, 1515, 0), HV_NETIF_EINVAL);
    EXPECT_EQ(tx_check(7, 0, 0), HV_NETIF_EINVAL);
    EXPECT_EQ(tx_check(7, 2048, 0), HV_NETIF_EINVAL);
    EXPECT_EQ(tx_check(7, 0xffff, 0), HV_NETIF_EINVAL);
    /* A buffer with a request in flight is refused; other buffers' bits
     * do not matter, the top bit included. */
    for (uint32_t b = 0; b < HV_NETIF_BUFS; b++) {
        EXPECT_EQ(tx_check(b, 100, 1u << b), HV_NETIF_EINVAL);
        EXPECT_EQ(tx_check(b, 100, ~(1u << b)), HV_NETIF_OK);
    }
    EXPECT_EQ(tx_check(31, 100, 0x80000000u), HV_NETIF_EINVAL);
    EXPECT_EQ(tx_check(32, 100, 0), HV_NETIF_EINVAL); /* never bit 0 */
    EXPECT_EQ(tx_check(32, 100, 0xffffffffu), HV_NETIF_EINVAL);
}

TEST(netif, header_check)
{
    struct hv_netif_header h;
    memset(&h, 0, sizeof(h));
    h.magic = HV_NETIF_MAGIC;
    EXPECT_EQ(hv_netif_check_header(&h), HV_NETIF_OK);
    h.features = HV_NETIF_F_TX_OFFLOAD;
    EXPECT_EQ(hv_netif_check_header(&h), HV_NETIF_OK);
    h.features = HV_NETIF_F_TX_OFFLOAD | HV_NETIF_F_IP_ALIGN;
    EXPECT_EQ(hv_netif_check_header(&h), HV_NETIF_OK);
    h.features = HV_NETIF_F_IP_ALIGN; /* only with the offload */
    EXPECT_EQ(hv_netif_check_header(&h), HV_NETIF_EINVAL);
    h.features = 4; /* a feature this backend does not know */
    EXPECT_EQ(hv_netif_check_header(&h), HV_NETIF_EINVAL);
    h.features = 0x80000001u;
    EXPECT_EQ(hv_netif_check_header(&h), HV_NETIF_EINVAL);
    h.features = 0;
    h.reserved[1] = 1;
    EXPECT_EQ(hv_netif_check_header(&h), HV_NETIF_EINVAL);
    h.reserved[1] = 0;
    h.magic = HV_NETIF_MAGIC + 1;
    EXPECT_EQ(hv_netif_check_header(&h), HV_NETIF_EINVAL);
}

/* Feeds requests (buf, len with flags) to a fresh chain; the last result,
 * or the first HV_NETIF_EINVAL. */
static int32_t chain_run(struct hv_netif_tx_chain *c, uint32_t features,
                         const uint16_t (*reqs)[2], uint32_t n)
{
    int32_t st = HV_NETIF_EINVAL;
    memset(c, 0, sizeof(*c));
    for (uint32_t i = 0; i < n; i++) {
        struct hv_netif_tx_request r = {reqs[i][0], reqs[i][1]};
        st = hv_netif_tx_chain_add(c, &r, features, 0);
        if (st == HV_NETIF_EINVAL || (st == HV_NETIF_TX_FRAME && i + 1 < n)) {
            return st == HV_NETIF_TX_FRAME ? -100 : st; /* ended early */
        }
    }
    return st;
}

/* A chain of 16 full buffers (0 .. 15), the first with the meta, each
 * but the last with MORE (@last_more: the last too, one request too
 * many). The last result, -100 if the chain ended early. */
static int32_t full_chain(struct hv_netif_tx_chain *c, uint32_t features,
                          bool last_more)
{
    int32_t st = HV_NETIF_EINVAL;
    memset(c, 0, sizeof(*c));
    for (uint32_t i = 0; i < HV_NETIF_TX_CHAIN_MAX; i++) {
        bool last = i + 1 == HV_NETIF_TX_CHAIN_MAX;
        uint32_t flags = (i == 0 ? HV_NETIF_TXF_META : 0u) |
                         (!last || last_more ? HV_NETIF_TXF_MORE : 0u);
        struct hv_netif_tx_request r = {(uint16_t)i,
                                        (uint16_t)(HV_NETIF_BUF_SIZE | flags)};
        st = hv_netif_tx_chain_add(c, &r, features, 0);
        if (st != HV_NETIF_OK && !last) {
            return -100;
        }
    }
    return st;
}

#define MORE HV_NETIF_TXF_MORE
#define META HV_NETIF_TXF_META
#define OFFLOAD HV_NETIF_F_TX_OFFLOAD
#define RUN(f, ...)                                                            \
    ({                                                                         \
        static const uint16_t r_[][2] = {__VA_ARGS__};                         \
        chain_run(&c, (f), r_, sizeof(r_) / sizeof(r_[0]));                    \
    })

TEST(netif, tx_chain_without_the_feature_is_one_request)
{
    struct hv_netif_tx_chain c;
    EXPECT_EQ(RUN(0, {3, 60}), HV_NETIF_TX_FRAME);
    EXPECT_EQ(c.bytes, 60u);
    EXPECT_EQ(c.busy, 1u << 3);
    EXPECT_EQ(RUN(0, {3, 1514}), HV_NETIF_TX_FRAME);
    EXPECT_EQ(RUN(0, {3, 1515}), HV_NETIF_EINVAL);
    /* No flag is allowed without the feature. */
    EXPECT_EQ(RUN(0, {3, 60 | MORE}), HV_NETIF_EINVAL);
    EXPECT_EQ(RUN(0, {3, 60 | META}), HV_NETIF_EINVAL);
    EXPECT_EQ(RUN(0, {32, 60}), HV_NETIF_EINVAL);
    /* A busy buffer is refused. */
    memset(&c, 0, sizeof(c));
    struct hv_netif_tx_request r = {5, 60};
    EXPECT_EQ(hv_netif_tx_chain_add(&c, &r, 0, 1u << 5), HV_NETIF_EINVAL);
}

TEST(netif, tx_chain_with_offload)
{
    struct hv_netif_tx_chain c;
    /* One buffer, no meta: an Ethernet frame, 14 .. 1514 bytes. */
    EXPECT_EQ(RUN(OFFLOAD, {0, 14}), HV_NETIF_TX_FRAME);
    EXPECT_EQ(RUN(OFFLOAD, {0, 13}), HV_NETIF_EINVAL);
    EXPECT_EQ(RUN(OFFLOAD, {0, 1514}), HV_NETIF_TX_FRAME);
    EXPECT_EQ(RUN(OFFLOAD, {0, 1515}), HV_NETIF_EINVAL);
    /* Scattered without meta: still at most 1514 in all. */
    EXPECT_EQ(RUN(OFFLOAD, {0, 1000 | MORE}, {1, 514}), HV_NETIF_TX_FRAME);
    EXPECT_EQ(c.bytes, 1514u);
    EXPECT_EQ(c.first, 1000u);
    EXPECT_EQ(c.n, 2u);
    EXPECT_EQ(c.busy, 3u);
    EXPECT_EQ(RUN(OFFLOAD, {0, 1000 | MORE}, {1, 515}), HV_NETIF_EINVAL);
    /* With meta: the first buffer holds it and an Ethernet header. */
    EXPECT_EQ(RUN(OFFLOAD, {4, 26 | META}), HV_NETIF_TX_FRAME);
    EXPECT_EQ(c.bytes, 14u);
    EXPECT_EQ(c.meta, 1u);
    EXPECT_EQ(RUN(OFFLOAD, {4, 25 | META}), HV_NETIF_EINVAL);
    /* A full chain: 16 buffers of 2048, the meta taken off. */
    EXPECT_EQ(full_chain(&c, OFFLOAD, false), HV_NETIF_TX_FRAME);
    EXPECT_EQ(c.bytes, HV_NETIF_GSO_FRAME_MAX + HV_NETIF_IP_ALIGN);
    /* ... and one more is too many: refused at the 16th's MORE. */
    EXPECT_EQ(full_chain(&c, OFFLOAD, true), HV_NETIF_EINVAL);
    /* Lengths of a piece: 1 .. 2048, and only two flag bits. */
    EXPECT_EQ(RUN(OFFLOAD, {0, 100 | MORE}, {1, 0}), HV_NETIF_EINVAL);
    EXPECT_EQ(RUN(OFFLOAD, {0, 100 | MORE}, {1, 1}), HV_NETIF_TX_FRAME);
    EXPECT_EQ(RUN(OFFLOAD, {0, 100 | MORE}, {1, 2049}), HV_NETIF_EINVAL);
    EXPECT_EQ(RUN(OFFLOAD, {0, 100 | 0x1000}), HV_NETIF_EINVAL);
    EXPECT_EQ(RUN(OFFLOAD, {0, 100 | 0x2000}), HV_NETIF_EINVAL);
    /* Meta only in the first; a buffer once per chain. */
    EXPECT_EQ(RUN(OFFLOAD, {0, 100 | MORE}, {1, 100 | META}), HV_NETIF_EINVAL);
    EXPECT_EQ(RUN(OFFLOAD, {0, 100 | MORE}, {0, 100}), HV_NETIF_EINVAL);
    EXPECT_EQ(RUN(OFFLOAD, {31, 100 | MORE}, {32, 100}), HV_NETIF_EINVAL);
}

TEST(netif, tx_chain_aligned)
{
    struct hv_netif_tx_chain c;
    const uint32_t F = OFFLOAD | HV_NETIF_F_IP_ALIGN;
    EXPECT_EQ(hv_netif_tx_frame_start(F, 0), 2u);
    EXPECT_EQ(hv_netif_tx_frame_start(F, 1), 14u);
    EXPECT_EQ(hv_netif_tx_frame_start(OFFLOAD, 1), 12u);
    EXPECT_EQ(hv_netif_rx_frame_start(F), 2u);
    EXPECT_EQ(hv_netif_rx_frame_start(OFFLOAD), 0u);
    /* The first buffer's count includes the 2 bytes (and the meta). */
    EXPECT_EQ(RUN(F, {0, 16}), HV_NETIF_TX_FRAME);
    EXPECT_EQ(c.bytes, 14u);
    EXPECT_EQ(RUN(F, {0, 15}), HV_NETIF_EINVAL);
    EXPECT_EQ(RUN(F, {0, 1516}), HV_NETIF_TX_FRAME);
    EXPECT_EQ(RUN(F, {0, 1517}), HV_NETIF_EINVAL);
    EXPECT_EQ(RUN(F, {0, 28 | META}), HV_NETIF_TX_FRAME);
    EXPECT_EQ(c.first, 14u);
    EXPECT_EQ(RUN(F, {0, 27 | META}), HV_NETIF_EINVAL);
    /* A full chain: the largest TSO frame exactly. */
    EXPECT_EQ(full_chain(&c, F, false), HV_NETIF_TX_FRAME);
    EXPECT_EQ(c.bytes, HV_NETIF_GSO_FRAME_MAX);
    EXPECT_EQ(c.first, 2048u - 14u);
}

static int32_t meta_check(uint32_t flags, uint32_t gso_type, uint32_t gso_size,
                          uint32_t start, uint32_t off, uint32_t first,
                          uint32_t bytes)
{
    struct hv_netif_tx_meta m = {
        (uint8_t)flags,  (uint8_t)gso_type, 54, (uint16_t)gso_size,
        (uint16_t)start, (uint16_t)off,     0};
    struct hv_netif_tx_chain c = {2, bytes, first, 3, 1};
    return hv_netif_check_tx_meta(&m, &c);
}

TEST(netif, tx_meta_check)
{
    const uint32_t CS = HV_NETIF_META_CSUM;
    /* Nothing asked: a plain frame of at most 1514. */
    EXPECT_EQ(meta_check(0, 0, 0, 0, 0, 100, 1514), HV_NETIF_OK);
    EXPECT_EQ(meta_check(0, 0, 0, 0, 0, 100, 1515), HV_NETIF_EINVAL);
    EXPECT_EQ(meta_check(0, 0, 0, 34, 0, 100, 60), HV_NETIF_EINVAL);
    EXPECT_EQ(meta_check(0, 0, 1448, 0, 0, 100, 60), HV_NETIF_EINVAL);
    /* A partial checksum: its place in the first buffer, past the
     * Ethernet header (IPv4 TCP: start 34, offset 16). */
    EXPECT_EQ(meta_check(CS, 0, 0, 34, 16, 100, 1514), HV_NETIF_OK);
    EXPECT_EQ(meta_check(CS, 0, 0, 34, 16, 52, 1514), HV_NETIF_OK);
    EXPECT_EQ(meta_check(CS, 0, 0, 34, 16, 51, 1514), HV_NETIF_EINVAL);
    EXPECT_EQ(meta_check(CS, 0, 0, 13, 16, 100, 1514), HV_NETIF_EINVAL);
    EXPECT_EQ(meta_check(CS, 0, 0, 0xffff, 0xffff, 100, 1514), HV_NETIF_EINVAL);
    /* TCP segmentation: with the checksum, a size, up to the chain's. */
    EXPECT_EQ(meta_check(CS, HV_NETIF_GSO_TCPV4, 1448, 34, 16, 100, 30000),
              HV_NETIF_OK);
    EXPECT_EQ(meta_check(CS, HV_NETIF_GSO_TCPV6 | HV_NETIF_GSO_ECN, 1428, 54,
                         16, 100, HV_NETIF_GSO_FRAME_MAX),
              HV_NETIF_OK);
    EXPECT_EQ(meta_check(CS, HV_NETIF_GSO_TCPV4, 1448, 34, 16, 100,
                         HV_NETIF_GSO_FRAME_MAX + 1),
              HV_NETIF_EINVAL);
    EXPECT_EQ(meta_check(0, HV_NETIF_GSO_TCPV4, 1448, 0, 0, 100, 30000),
              HV_NETIF_EINVAL);
    EXPECT_EQ(meta_check(CS, HV_NETIF_GSO_TCPV4, 0, 34, 16, 100, 30000),
              HV_NETIF_EINVAL);
    EXPECT_EQ(meta_check(CS, HV_NETIF_GSO_TCPV4, 1501, 34, 16, 100, 30000),
              HV_NETIF_EINVAL);
    /* UDP (virtio's 3) and unknown kinds, ECN alone, unknown flags. */
    EXPECT_EQ(meta_check(CS, 3, 1448, 34, 6, 100, 30000), HV_NETIF_EINVAL);
    EXPECT_EQ(meta_check(CS, 2, 1448, 34, 16, 100, 30000), HV_NETIF_EINVAL);
    EXPECT_EQ(meta_check(CS, HV_NETIF_GSO_ECN, 0, 34, 16, 100, 1000),
              HV_NETIF_EINVAL);
    EXPECT_EQ(meta_check(CS | 2, 0, 0, 34, 16, 100, 1000), HV_NETIF_EINVAL);
    struct hv_netif_tx_meta m = {0, 0, 0, 0, 0, 0, 1};
    struct hv_netif_tx_chain c = {1, 60, 60, 1, 1};
    EXPECT_EQ(hv_netif_check_tx_meta(&m, &c), HV_NETIF_EINVAL);
}

TEST(netif, rx_request_check)
{
    EXPECT_EQ(rx_check(0, 0, 0), HV_NETIF_OK);
    EXPECT_EQ(rx_check(31, 0, 0), HV_NETIF_OK);
    EXPECT_EQ(rx_check(32, 0, 0), HV_NETIF_EINVAL);
    EXPECT_EQ(rx_check(0xffff, 0, 0), HV_NETIF_EINVAL);
    EXPECT_EQ(rx_check(5, 1, 0), HV_NETIF_EINVAL);
    EXPECT_EQ(rx_check(5, 0x8000, 0), HV_NETIF_EINVAL);
    EXPECT_EQ(rx_check(5, 0xffff, 0), HV_NETIF_EINVAL);
    for (uint32_t b = 0; b < HV_NETIF_BUFS; b++) {
        EXPECT_EQ(rx_check(b, 0, 1u << b), HV_NETIF_EINVAL);
        EXPECT_EQ(rx_check(b, 0, ~(1u << b)), HV_NETIF_OK);
    }
}

static int32_t rx_rsp_check(uint32_t len, int32_t status)
{
    struct hv_netif_rx_response r = {3, (uint16_t)len, status};
    return hv_netif_check_rx_response(&r);
}

TEST(netif, rx_response_check)
{
    /* A frame: its length in range. */
    EXPECT_EQ(rx_rsp_check(14, HV_NETIF_OK), HV_NETIF_OK);
    EXPECT_EQ(rx_rsp_check(60, HV_NETIF_OK), HV_NETIF_OK);
    EXPECT_EQ(rx_rsp_check(1514, HV_NETIF_OK), HV_NETIF_OK);
    EXPECT_EQ(rx_rsp_check(13, HV_NETIF_OK), HV_NETIF_EINVAL);
    EXPECT_EQ(rx_rsp_check(0, HV_NETIF_OK), HV_NETIF_EINVAL);
    EXPECT_EQ(rx_rsp_check(1515, HV_NETIF_OK), HV_NETIF_EINVAL);
    EXPECT_EQ(rx_rsp_check(2048, HV_NETIF_OK), HV_NETIF_EINVAL);
    EXPECT_EQ(rx_rsp_check(0xffff, HV_NETIF_OK), HV_NETIF_EINVAL);
    /* The backend refused the request: no frame, the buffer is free,
     * whatever the length says. */
    EXPECT_EQ(rx_rsp_check(0, HV_NETIF_EINVAL), HV_NETIF_EDROP);
    EXPECT_EQ(rx_rsp_check(0xffff, HV_NETIF_EINVAL), HV_NETIF_EDROP);
    /* Any other status is a lie: rx has no EDROP. */
    EXPECT_EQ(rx_rsp_check(60, HV_NETIF_EDROP), HV_NETIF_EINVAL);
    EXPECT_EQ(rx_rsp_check(60, 1), HV_NETIF_EINVAL);
    EXPECT_EQ(rx_rsp_check(60, -3), HV_NETIF_EINVAL);
    EXPECT_EQ(rx_rsp_check(60, 0x7fffffff), HV_NETIF_EINVAL);
    EXPECT_EQ(rx_rsp_check(60, (int32_t)0x80000000u), HV_NETIF_EINVAL);
    EXPECT_EQ(rx_rsp_check(60, 0x10000), HV_NETIF_EINVAL); /* not 16 bits */
}

TEST(netif, tx_status_known)
{
    EXPECT_TRUE(hv_netif_tx_status_known(HV_NETIF_OK));
    EXPECT_TRUE(hv_netif_tx_status_known(HV_NETIF_EINVAL));
    EXPECT_TRUE(hv_netif_tx_status_known(HV_NETIF_EDROP));
    EXPECT_FALSE(hv_netif_tx_status_known(1));
    EXPECT_FALSE(hv_netif_tx_status_known(-3));
    EXPECT_FALSE(hv_netif_tx_status_known(0x7fff));
    EXPECT_FALSE(hv_netif_tx_status_known(-32768));
    /* As the frontend reads it: the response's 16-bit field. */
    struct hv_netif_tx_response r = {0, HV_NETIF_EDROP};
    EXPECT_TRUE(hv_netif_tx_status_known(r.status));
    r.status = (int16_t)0xfffd;
    EXPECT_FALSE(hv_netif_tx_status_known(r.status));
}

/* --- A frontend and a backend ----------------------------------------------
 */

#define NF_FRAMES 10000u
#define NF_TX_GREF 100u /* the references the frontend "grants" */
#define NF_RX_GREF 200u
#define NF_GREFS 256u

/* The grant table: reference to page, and whether the page is granted
 * writable (the rx pages only). */
static uint8_t *nf_grant[NF_GREFS];
static int nf_grant_rw[NF_GREFS];

static uint32_t nf_rng;

static uint32_t nf_rand(uint32_t below)
{
    nf_rng ^= nf_rng << 13;
    nf_rng ^= nf_rng >> 17;
    nf_rng ^= nf_rng << 5;
    return nf_rng % below;
}

/* Frame @seq: its length (every length from 14 to 1514 comes up) and
 * bytes; the sequence number in the first four, little-endian. */
static uint32_t nf_len(uint32_t seq)
{
    return HV_NETIF_FRAME_MIN +
           (seq * 7919u) % (HV_NETIF_FRAME_MAX - HV_NETIF_FRAME_MIN + 1);
}

static uint8_t nf_byte(uint32_t seq, uint32_t i, uint32_t salt)
{
    if (i < 4) {
        return (uint8_t)(seq >> (8 * i));
    }
    return (uint8_t)(((seq ^ salt) * 2654435761u + i * 40503u) >> 13);
}

static void nf_frame(uint8_t *to, uint32_t seq, uint32_t salt)
{
    uint32_t len = nf_len(seq);
    for (uint32_t i = 0; i < len; i++) {
        to[i] = nf_byte(seq, i, salt);
    }
}

/* The sequence number of the frame of @len bytes at @p, or ~0u if it is
 * not one of @salt's frames exactly. */
static uint32_t nf_frame_seq(const uint8_t *p, uint32_t len, uint32_t salt)
{
    uint32_t seq = p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                   (uint32_t)p[3] << 24;
    if (seq >= 2 * NF_FRAMES || nf_len(seq) != len) {
        return ~0u;
    }
    for (uint32_t i = 4; i < len; i++) {
        if (p[i] != nf_byte(seq, i, salt)) {
            return ~0u;
        }
    }
    return seq;
}

#define NF_TX_SALT 0x1234567u
#define NF_RX_SALT 0x7654321u

struct nf_front {
    struct hv_ring_front tx, rx;
    struct hv_ring_ids tx_ids, rx_ids;
    uint8_t *tx_page[HV_NETIF_BUF_PAGES];
    uint8_t *rx_page[HV_NETIF_BUF_PAGES];
    uint32_t tx_seq[HV_NETIF_BUFS]; /* the frame in each tx buffer */
    uint32_t tx_next;               /* frames handed to the ring */
    uint32_t rx_got;                /* frames received */
    uint32_t rx_last;               /* the last one's sequence number + 1 */
    uint32_t rx_gaps;               /* frames skipped (lost) */
};

/* A request the backend took and has not answered (or not published the
 * answer to): what it needs to answer it, and for the test which frame. */
struct nf_held {
    uint16_t buf;
    uint16_t len;   /* rx: the frame put in the buffer */
    uint32_t seq;   /* tx: the frame sent; rx: the frame put */
    int32_t status; /* what the answer says */
    int answered;   /* written into the ring (not yet published) */
};

struct nf_back {
    struct hv_ring_back tx, rx;
    uint32_t tx_busy, rx_busy;
    const uint8_t *tx_map[HV_NETIF_BUF_PAGES];
    uint8_t *rx_map[HV_NETIF_BUF_PAGES];
    /* Requests consumed and not published, oldest first (ring order). */
    struct nf_held txq[HV_NETIF_RING_SLOTS];
    struct nf_held rxq[HV_NETIF_RING_SLOTS];
    uint32_t txq_n, rxq_n;
    uint32_t tx_answered, rx_filled; /* of txq, rxq: answers written */
};

static struct hv_netif_page *nf_page;
static struct nf_front nf_f;
static struct nf_back nf_b;
static uint32_t nf_sent[NF_FRAMES];     /* times tx frame k went out */
static uint32_t nf_answered[NF_FRAMES]; /* times tx frame k was answered */
static uint32_t nf_net_next;            /* the network's next rx frame */

/* Starts both rings' indexes at @tx_start and @rx_start (before the
 * backend attaches), as if that many frames had gone by. */
static void nf_ring_start(struct hv_ring_front *f, struct hv_ring_header *h,
                          uint32_t start)
{
    h->req_prod = h->rsp_prod = start;
    h->req_event = h->rsp_event = start + 1;
    f->req_prod_pvt = f->req_prod = start;
    f->rsp_cons = f->rsp_prod = start;
}

/* The frontend offers every free receive buffer. */
static void nf_front_offer(struct nf_front *f)
{
    int32_t id;
    while ((id = hv_ring_id_alloc(&f->rx_ids)) >= 0) {
        struct hv_netif_rx_request r = {(uint16_t)id, 0};
        ASSERT_EQ(hv_netif_rx_put_request(&f->rx, &r), 0);
    }
    hv_ring_front_push(&f->rx);
}

static void nf_front_init(struct nf_front *f, uint32_t tx_start,
                          uint32_t rx_start)
{
    nf_page = unit_alloc(sizeof(*nf_page));
    memset(f, 0, sizeof(*f));
    memset(nf_grant, 0, sizeof(nf_grant));
    nf_page->hdr.magic = HV_NETIF_MAGIC;
    for (uint32_t p = 0; p < HV_NETIF_BUF_PAGES; p++) {
        f->tx_page[p] = unit_alloc(PAGE);
        f->rx_page[p] = unit_alloc(PAGE);
        nf_page->hdr.tx_gref[p] = NF_TX_GREF + p;
        nf_page->hdr.rx_gref[p] = NF_RX_GREF + p;
        nf_grant[NF_TX_GREF + p] = f->tx_page[p];
        nf_grant_rw[NF_TX_GREF + p] = 0;
        nf_grant[NF_RX_GREF + p] = f->rx_page[p];
        nf_grant_rw[NF_RX_GREF + p] = 1;
    }
    ASSERT_EQ(hv_netif_tx_front_init(&f->tx, &nf_page->tx), 0);
    ASSERT_EQ(hv_netif_rx_front_init(&f->rx, &nf_page->rx), 0);
    nf_ring_start(&f->tx, &nf_page->tx.hdr, tx_start);
    nf_ring_start(&f->rx, &nf_page->rx.hdr, rx_start);
    ASSERT_EQ(hv_ring_ids_init(&f->tx_ids, HV_NETIF_BUFS), 0);
    ASSERT_EQ(hv_ring_ids_init(&f->rx_ids, HV_NETIF_BUFS), 0);
    nf_front_offer(f);
}

/* The frontend sends up to @n frames, as buffers free up. */
static void nf_front_send(struct nf_front *f, uint32_t n)
{
    for (; n > 0 && f->tx_next < NF_FRAMES; n--) {
        int32_t id = hv_ring_id_alloc(&f->tx_ids);
        if (id < 0) {
            break; /* every buffer in flight */
        }
        uint32_t b = (uint32_t)id;
        uint32_t seq = f->tx_next++;
        nf_frame(f->tx_page[hv_netif_buf_page(b)] + hv_netif_buf_offset(b), seq,
                 NF_TX_SALT);
        f->tx_seq[b] = seq;
        struct hv_netif_tx_request r = {(uint16_t)b, (uint16_t)nf_len(seq)};
        /* One slot per buffer: a free buffer means a free slot. */
        ASSERT_EQ(hv_netif_tx_put_request(&f->tx, &r), 0);
    }
    hv_ring_front_push(&f->tx);
}

/* The frontend takes every response waiting; @rx_wait: the receive
 * buffers still to come back after a restart (bits cleared here). */
static void nf_front_collect(struct nf_front *f, uint32_t *rx_wait)
{
    struct hv_netif_tx_response t;
    struct hv_netif_rx_response r;
    int32_t rc;

    while ((rc = hv_netif_tx_get_response(&f->tx, &t)) == 0) {
        ASSERT_EQ(hv_ring_id_complete(&f->tx_ids, t.buf), 0);
        ASSERT_TRUE(hv_netif_tx_status_known(t.status));
        EXPECT_EQ(t.status, HV_NETIF_OK);
        nf_answered[f->tx_seq[t.buf]]++;
    }
    ASSERT_EQ(rc, -HV_EAGAIN);
    while ((rc = hv_netif_rx_get_response(&f->rx, &r)) == 0) {
        ASSERT_EQ(hv_ring_id_complete(&f->rx_ids, r.buf), 0);
        ASSERT_EQ(hv_netif_check_rx_response(&r), HV_NETIF_OK);
        const uint8_t *p =
            f->rx_page[hv_netif_buf_page(r.buf)] + hv_netif_buf_offset(r.buf);
        uint32_t seq = nf_frame_seq(p, r.len, NF_RX_SALT);
        ASSERT_NE(seq, ~0u);
        /* In order, none twice; a gap only for frames a dead backend
         * put in buffers and never published. */
        ASSERT_TRUE(seq >= f->rx_last);
        f->rx_gaps += seq - f->rx_last;
        f->rx_last = seq + 1;
        f->rx_got++;
        *rx_wait &= ~(1u << r.buf);
    }
    ASSERT_EQ(rc, -HV_EAGAIN);
    nf_front_offer(f);
}

/* Backend: attach to the page (a first life or a restarted one). */
static void nf_back_attach(struct nf_back *b)
{
    struct hv_netif_header h;

    memset(b, 0xa5, sizeof(*b)); /* nothing of an earlier life */
    hv_ring_copy_in(&h, &nf_page->hdr, sizeof(h));
    ASSERT_EQ(h.magic, HV_NETIF_MAGIC);
    for (uint32_t p = 0; p < HV_NETIF_BUF_PAGES; p++) {
        ASSERT_TRUE(h.tx_gref[p] < NF_GREFS && nf_grant[h.tx_gref[p]]);
        ASSERT_TRUE(h.rx_gref[p] < NF_GREFS && nf_grant[h.rx_gref[p]] &&
                    nf_grant_rw[h.rx_gref[p]]);
        b->tx_map[p] = nf_grant[h.tx_gref[p]];
        b->rx_map[p] = nf_grant[h.rx_gref[p]];
    }
    ASSERT_EQ(hv_netif_tx_back_attach(&b->tx, &nf_page->tx), 0);
    ASSERT_EQ(hv_netif_rx_back_attach(&b->rx, &nf_page->rx), 0);
    b->tx_busy = b->rx_busy = 0;
    b->txq_n = b->rxq_n = 0;
    b->tx_answered = b->rx_filled = 0;
    /* Arms the events and finds what an earlier life left. */
    ASSERT_TRUE(hv_ring_back_final_check(&b->tx) >= 0);
    ASSERT_TRUE(hv_ring_back_final_check(&b->rx) >= 0);
}

/* Backend: takes up to @n transmit requests and sends their frames
 * (copied out of the buffer first: the frontend could change it). */
static void nf_back_take_tx(struct nf_back *b, uint32_t n)
{
    struct hv_netif_tx_request r;
    uint8_t frame[HV_NETIF_FRAME_MAX];

    for (; n > 0 && hv_netif_tx_get_request(&b->tx, &r) == 0; n--) {
        struct nf_held *h = &b->txq[b->txq_n++];
        ASSERT_TRUE(b->txq_n <= HV_NETIF_RING_SLOTS);
        h->buf = r.buf;
        h->answered = 0;
        h->status = hv_netif_check_tx_request(&r, b->tx_busy);
        ASSERT_EQ(h->status, HV_NETIF_OK); /* an honest frontend */
        b->tx_busy |= 1u << r.buf;
        memcpy(frame,
               b->tx_map[hv_netif_buf_page(r.buf)] + hv_netif_buf_offset(r.buf),
               r.len);
        h->seq = nf_frame_seq(frame, r.len, NF_TX_SALT);
        ASSERT_TRUE(h->seq < NF_FRAMES);
        nf_sent[h->seq]++;
    }
}

/* Backend: writes the answers to up to @n sent frames, oldest first;
 * the buffer is free for the frontend once it reads the answer. */
static void nf_back_answer_tx(struct nf_back *b, uint32_t n)
{
    for (; n > 0 && b->tx_answered < b->txq_n; n--) {
        struct nf_held *h = &b->txq[b->tx_answered++];
        struct hv_netif_tx_response a = {h->buf, (int16_t)h->status};
        ASSERT_EQ(hv_netif_tx_put_response(&b->tx, &a), 0);
        b->tx_busy &= ~(1u << h->buf);
        h->answered = 1;
    }
}

/* Backend: takes up to @n offered receive buffers. */
static void nf_back_take_rx(struct nf_back *b, uint32_t n)
{
    struct hv_netif_rx_request r;

    for (; n > 0 && hv_netif_rx_get_request(&b->rx, &r) == 0; n--) {
        struct nf_held *h = &b->rxq[b->rxq_n++];
        ASSERT_TRUE(b->rxq_n <= HV_NETIF_RING_SLOTS);
        h->buf = r.buf;
        h->answered = 0;
        h->status = hv_netif_check_rx_request(&r, b->rx_busy);
        ASSERT_EQ(h->status, HV_NETIF_OK);
        b->rx_busy |= 1u << r.buf;
    }
}

/* Backend: up to @n frames from the network into the oldest buffers
 * taken; returns the buffers filled, in order, into @used. */
static uint32_t nf_back_fill_rx(struct nf_back *b, uint32_t n, uint16_t *used)
{
    uint32_t k = 0;

    for (; n > 0 && b->rx_filled < b->rxq_n; n--) {
        struct nf_held *h = &b->rxq[b->rx_filled++];
        uint8_t *to =
            b->rx_map[hv_netif_buf_page(h->buf)] + hv_netif_buf_offset(h->buf);
        h->seq = nf_net_next++;
        h->len = (uint16_t)nf_len(h->seq);
        nf_frame(to, h->seq, NF_RX_SALT);
        struct hv_netif_rx_response a = {h->buf, h->len, HV_NETIF_OK};
        ASSERT_EQ(hv_netif_rx_put_response(&b->rx, &a), 0);
        b->rx_busy &= ~(1u << h->buf);
        h->answered = 1;
        if (used) {
            used[k] = h->buf;
        }
        k++;
    }
    return k;
}

/* Backend: publishes what it wrote; the published leave its queues. */
static void nf_back_push(struct nf_back *b, int tx, int rx)
{
    if (tx) {
        hv_ring_back_push(&b->tx);
        memmove(b->txq, b->txq + b->tx_answered,
                (b->txq_n - b->tx_answered) * sizeof(b->txq[0]));
        b->txq_n -= b->tx_answered;
        b->tx_answered = 0;
    }
    if (rx) {
        hv_ring_back_push(&b->rx);
        memmove(b->rxq, b->rxq + b->rx_filled,
                (b->rxq_n - b->rx_filled) * sizeof(b->rxq[0]));
        b->rxq_n -= b->rx_filled;
        b->rx_filled = 0;
    }
}

/* A backend's turn: a random share of the work, sometimes unpublished
 * until a later turn. */
static void nf_back_turn(struct nf_back *b)
{
    nf_back_take_tx(b, nf_rand(40));
    nf_back_answer_tx(b, nf_rand(40));
    nf_back_take_rx(b, nf_rand(40));
    nf_back_fill_rx(b, nf_rand(40), NULL);
    nf_back_push(b, nf_rand(4) != 0, nf_rand(4) != 0);
    if (nf_rand(3) == 0) {
        ASSERT_TRUE(hv_ring_back_final_check(&b->tx) >= 0);
        ASSERT_TRUE(hv_ring_back_final_check(&b->rx) >= 0);
    }
}

TEST(netif, frames_both_ways_across_backend_restart)
{
    /* Both rings' indexes wrap half-way through. */
    const uint32_t tx_start = 0u - NF_FRAMES / 2;
    const uint32_t rx_start = 0u - 7u;
    uint32_t rx_wait = 0;
    uint32_t dup_expected[HV_NETIF_RING_SLOTS];
    uint32_t dup_count = 0, rx_lost = 0, rx_replay = 0;
    uint16_t rx_replay_buf[HV_NETIF_RING_SLOTS];
    uint32_t tx_replay_seq[HV_NETIF_RING_SLOTS], tx_replay = 0;
    int restarted = 0;

    nf_rng = 0x2545f491u;
    nf_net_next = 0;
    memset(nf_sent, 0, sizeof(nf_sent));
    memset(nf_answered, 0, sizeof(nf_answered));
    nf_front_init(&nf_f, tx_start, rx_start);
    nf_back_attach(&nf_b);

    for (unsigned int round = 0;; round++) {
        ASSERT_TRUE(round < 20000); /* progress, or a hang */
        nf_front_send(&nf_f, nf_rand(40));
        nf_back_turn(&nf_b);
        nf_front_collect(&nf_f, &rx_wait);
        if (!restarted && nf_f.tx_next >= NF_FRAMES / 2) {
            /*
             * The backend dies in the middle of its work: it took every
             * request waiting, sent frames and wrote the answers to some
             * (unpublished), filled some receive buffers (unpublished)
             * and holds others empty.
             */
            restarted = 1;
            nf_front_send(&nf_f, 40);
            nf_back_take_tx(&nf_b,
                            (nf_page->tx.hdr.req_prod - nf_b.tx.req_cons) / 2);
            nf_back_answer_tx(&nf_b, (nf_b.txq_n - nf_b.tx_answered) / 2);
            nf_back_take_rx(&nf_b, 40);
            nf_back_fill_rx(&nf_b, (nf_b.rxq_n - nf_b.rx_filled) / 2, NULL);
            rx_lost = nf_b.rx_filled; /* written, never published */
            ASSERT_TRUE(nf_b.tx_answered > 0);
            ASSERT_TRUE(nf_b.txq_n > nf_b.tx_answered);
            ASSERT_TRUE(rx_lost > 0 && nf_b.rxq_n > rx_lost);
            /* Frames it sent without publishing the answer go out
             * again; those are the requests the ring still holds. */
            for (uint32_t i = 0; i < nf_b.txq_n; i++) {
                dup_expected[dup_count++] = nf_b.txq[i].seq;
            }
            /* The receive buffers offered, without a published answer:
             * the next life must use these, in this order. */
            const struct hv_ring_header *rh = &nf_page->rx.hdr;
            for (uint32_t i = rh->rsp_prod; i != rh->req_prod; i++) {
                uint16_t buf = nf_page->rx.req[i % HV_NETIF_RING_SLOTS].buf;
                rx_replay_buf[rx_replay++] = buf;
                rx_wait |= 1u << buf;
            }
            const struct hv_ring_header *th = &nf_page->tx.hdr;
            for (uint32_t i = th->rsp_prod; i != th->req_prod; i++) {
                uint16_t buf = nf_page->tx.req[i % HV_NETIF_RING_SLOTS].buf;
                tx_replay_seq[tx_replay++] = nf_f.tx_seq[buf];
            }
            /* Some the dead life never took. */
            ASSERT_TRUE(tx_replay > dup_count);
            /* No backend for a while: the frontend goes on; what it
             * sends waits in the ring (32 buffers' worth at most). */
            for (int i = 0; i < 5; i++) {
                nf_front_send(&nf_f, 40);
                nf_front_collect(&nf_f, &rx_wait);
            }
            const struct hv_ring_header *th2 = &nf_page->tx.hdr;
            for (uint32_t i = th->rsp_prod + tx_replay; i != th2->req_prod;
                 i++) {
                uint16_t buf = nf_page->tx.req[i % HV_NETIF_RING_SLOTS].buf;
                tx_replay_seq[tx_replay++] = nf_f.tx_seq[buf];
            }

            /* The next life: it replays the transmit requests in ring
             * order, and fills the buffers offered before it came. */
            nf_back_attach(&nf_b);
            nf_back_take_tx(&nf_b, tx_replay);
            ASSERT_EQ(nf_b.txq_n, tx_replay);
            for (uint32_t i = 0; i < tx_replay; i++) {
                EXPECT_EQ(nf_b.txq[i].seq, tx_replay_seq[i]);
            }
            uint16_t used[HV_NETIF_RING_SLOTS];
            nf_back_take_rx(&nf_b, rx_replay);
            ASSERT_EQ(nf_back_fill_rx(&nf_b, rx_replay, used), rx_replay);
            for (uint32_t i = 0; i < rx_replay; i++) {
                EXPECT_EQ(used[i], rx_replay_buf[i]);
            }
            nf_back_push(&nf_b, 0, 1);
            nf_front_collect(&nf_f, &rx_wait);
            EXPECT_EQ(rx_wait, 0u); /* every offered buffer came back */
            EXPECT_EQ(nf_f.rx_gaps, rx_lost);
        }
        if (nf_f.tx_next == NF_FRAMES && nf_f.rx_got >= NF_FRAMES &&
            hv_ring_front_free(&nf_f.tx) == HV_NETIF_RING_SLOTS) {
            break;
        }
    }
    ASSERT_TRUE(restarted);

    /* Every frame sent was answered exactly once; each went out, and
     * twice only if a dead backend had sent it without publishing the
     * answer. */
    uint32_t twice = 0;
    for (uint32_t k = 0; k < NF_FRAMES; k++) {
        EXPECT_EQ(nf_answered[k], 1u);
        EXPECT_TRUE(nf_sent[k] == 1 || nf_sent[k] == 2);
        if (nf_sent[k] == 2) {
            int expected = 0;
            for (uint32_t i = 0; i < dup_count; i++) {
                expected |= dup_expected[i] == k;
            }
            EXPECT_TRUE(expected);
            twice++;
        }
    }
    EXPECT_EQ(twice, dup_count);
    EXPECT_TRUE(dup_count > 0);
    /* Received: 10,000 or more, in order; lost only what the dead life
     * had put in buffers and not published. */
    EXPECT_TRUE(nf_f.rx_got >= NF_FRAMES);
    EXPECT_EQ(nf_f.rx_gaps, rx_lost);
    EXPECT_EQ(nf_f.rx_got + nf_f.rx_gaps, nf_f.rx_last);
    /* The indexes wrapped. */
    EXPECT_TRUE(nf_f.tx.req_prod < tx_start);
    EXPECT_TRUE(nf_f.rx.req_prod < rx_start);
    EXPECT_EQ(nf_f.tx.rsp_cons, nf_f.tx.req_prod);
    EXPECT_EQ(nf_f.tx.error, 0);
    EXPECT_EQ(nf_f.rx.error, 0);
    printf("netif: %u frames each way; at the restart %u transmit requests "
           "replayed, %u of them sent twice, %u receive buffers still "
           "offered, %u received frames lost with the dead backend\n",
           (unsigned)NF_FRAMES, (unsigned)tx_replay, (unsigned)twice,
           (unsigned)rx_replay, (unsigned)rx_lost);
}
