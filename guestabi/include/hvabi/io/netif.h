/* SPDX-License-Identifier: MIT */
/*
 * The network protocol: Ethernet frames between a guest (the frontend, a
 * network interface) and a driver domain (the backend, which bridges the
 * frontend's frames with the other interfaces of one network), on one
 * page the frontend grants read-write to the backend and publishes with
 * HV_OP_CONN_SET_RING (connection kind HV_CONN_KIND_NET, <hvabi/conn.h>).
 * docs/io.md has the protocol rules; this header is its reference
 * implementation.
 *
 * The frames themselves travel in buffers the frontend owns and grants
 * once, at connection time, for the connection's life: HV_NETIF_BUF_PAGES
 * pages for transmit (granted read-only) and as many for receive
 * (read-write), each page holding two HV_NETIF_BUF_SIZE buffers, whose
 * grant references the frontend lists in the page. The backend maps them
 * all once (or copies through them), so a frame costs no grant operation:
 * only the copy into or out of a buffer, and an event now and then.
 *
 * The page (struct hv_netif_page):
 *   a header (struct hv_netif_header: magic, the references of the buffer
 *   pages), then two rings of <hvabi/io/ring.h>:
 *   - tx: the frontend asks the backend to send the frame in transmit
 *     buffer `buf` (`len` bytes); the response says it is done with the
 *     buffer (sent, or dropped: status);
 *   - rx: the frontend offers receive buffer `buf`; the response gives
 *     it back holding a received frame of `len` bytes (or status < 0 and
 *     no frame).
 * Buffer numbers are 0 .. HV_NETIF_BUFS - 1 in each direction: buffer b
 * is at byte (b % 2) * HV_NETIF_BUF_SIZE of page b / 2.
 *
 * Checks (each side copies a slot out of the ring, then checks the copy:
 * ring.h): a request's buffer number in range and not already in use by
 * another request, a length from HV_NETIF_FRAME_MIN to HV_NETIF_FRAME_MAX;
 * a response's id outstanding (ring.h's id tracker: the id of a request
 * is its buffer number), its length within the buffer. A bad request is
 * answered HV_NETIF_EINVAL and counted; a bad response breaks the ring
 * for the frontend (which then drops frames until the next backend life).
 *
 * A backend that restarts attaches to the same page (the monitor keeps
 * the ring reference): the transmit requests it had not answered are
 * sent again (a frame may go out twice: Ethernet allows it), the receive
 * buffers offered stay offered. Frames that arrived for the frontend
 * while no backend ran are lost, as on a cable pulled out and plugged
 * back: the interface, its name and its MAC address stay.
 *
 * Needs only <stdint.h>, <hvabi/abi.h> and <hvabi/io/ring.h>.
 */
#ifndef HVABI_IO_NETIF_H
#define HVABI_IO_NETIF_H

#include "ring.h"

#define HV_NETIF_MAGIC 0x6e657431u /* "net1" */
#define HV_NETIF_MTU 1500u         /* IP bytes; no jumbo frames */
#define HV_NETIF_FRAME_MIN 14u     /* an Ethernet header */
#define HV_NETIF_FRAME_MAX 1514u   /* header + MTU; no FCS, no VLAN tag */
#define HV_NETIF_BUF_SIZE 2048u    /* a buffer: two per page */
#define HV_NETIF_BUF_PAGES 16u     /* pages per direction */
#define HV_NETIF_BUFS (2u * HV_NETIF_BUF_PAGES) /* buffers per direction */
#define HV_NETIF_RING_SLOTS 32u /* = HV_NETIF_BUFS: one per buffer */

/* Statuses (responses). */
#define HV_NETIF_OK 0
#define HV_NETIF_EINVAL (-1) /* the request was malformed: nothing done */
#define HV_NETIF_EDROP (-2)  /* tx: not sent (no room, link down) */

/*
 * tx request: send transmit buffer `buf`, `len` bytes of frame.
 * Without HV_NETIF_F_TX_OFFLOAD: one buffer, one frame; `len` is
 * HV_NETIF_FRAME_MIN .. HV_NETIF_FRAME_MAX, no flag bits.
 * With it, `len` also carries two flags (HV_NETIF_TXF_*), the byte count
 * being len & HV_NETIF_TXF_LEN_MASK (1 .. HV_NETIF_BUF_SIZE): a frame is
 * a chain of up to HV_NETIF_TX_CHAIN_MAX requests, each but the last with
 * HV_NETIF_TXF_MORE, its bytes the buffers' in ring order; the first may
 * carry HV_NETIF_TXF_META: its buffer then starts with a struct
 * hv_netif_tx_meta, the frame's bytes after it. With HV_NETIF_F_IP_ALIGN
 * too, the frame starts 2 bytes later in its first buffer (after the
 * meta, if any). The byte count of the first request counts from the
 * buffer's start: the meta and those 2 bytes included
 * (hv_netif_tx_frame_start).
 */
struct hv_netif_tx_request {
    uint16_t buf; /* 0 .. HV_NETIF_BUFS - 1; also the request id */
    uint16_t len; /* bytes, and HV_NETIF_TXF_* flags */
};

/* Features (hv_netif_header.features); 0: the protocol without them. */
#define HV_NETIF_F_TX_OFFLOAD 0x1u /* chains, partial checksums, TSO */
/*
 * Frames start at byte HV_NETIF_IP_ALIGN of their (first) buffer, both
 * ways, so that the IP header after the 14-byte Ethernet header is
 * word-aligned in the buffer as in either side's packet buffers: the
 * copies in and out run a word at a time. Only with HV_NETIF_F_TX_OFFLOAD.
 */
#define HV_NETIF_F_IP_ALIGN 0x2u
#define HV_NETIF_F_ALL (HV_NETIF_F_TX_OFFLOAD | HV_NETIF_F_IP_ALIGN)
#define HV_NETIF_IP_ALIGN 2u

#define HV_NETIF_TXF_MORE 0x8000u /* the frame goes on in the next request */
#define HV_NETIF_TXF_META 0x4000u /* the buffer starts with the meta */
#define HV_NETIF_TXF_LEN_MASK 0x0fffu
#define HV_NETIF_TX_CHAIN_MAX 16u /* requests (buffers) in one frame */
/* The largest TSO frame: what a full chain holds after the meta and the
 * alignment (HV_NETIF_F_IP_ALIGN). */
#define HV_NETIF_GSO_FRAME_MAX 32754u

/*
 * The meta of a frame (HV_NETIF_TXF_META), 12 bytes at the start of its
 * first buffer; every offset counts from the frame's first byte (its
 * Ethernet header). The fields mean what virtio-net's header's do.
 *   flags        HV_NETIF_META_CSUM: the frame's L4 checksum is partial:
 *                the receiver completes the ones' complement sum over
 *                csum_start .. the frame's end into the 16 bits at
 *                csum_start + csum_offset (which hold the pseudo-header's
 *                sum), as for Linux's CHECKSUM_PARTIAL.
 *   gso_type     HV_NETIF_GSO_NONE, or _TCPV4 or _TCPV6 (with
 *                HV_NETIF_GSO_ECN or not): the frame is a TCP segment of
 *                up to HV_NETIF_GSO_FRAME_MAX bytes for the backend to
 *                cut into segments of gso_size payload bytes each; needs
 *                HV_NETIF_META_CSUM.
 *   hdr_len      the frame's header bytes (Ethernet to TCP), a hint.
 *   gso_size     payload bytes per segment: 1 .. HV_NETIF_MTU (TCP
 *                segmentation only; 0 without).
 *   csum_start, csum_offset  as above (0 without HV_NETIF_META_CSUM).
 *   reserved     0.
 */
struct hv_netif_tx_meta {
    uint8_t flags;
    uint8_t gso_type;
    uint16_t hdr_len;
    uint16_t gso_size;
    uint16_t csum_start;
    uint16_t csum_offset;
    uint16_t reserved;
};

#define HV_NETIF_META_CSUM 0x01u
#define HV_NETIF_GSO_NONE 0u
#define HV_NETIF_GSO_TCPV4 1u
#define HV_NETIF_GSO_TCPV6 4u
#define HV_NETIF_GSO_ECN 0x80u

/* tx response: the backend is done with buffer `buf`. */
struct hv_netif_tx_response {
    uint16_t buf;
    int16_t status; /* HV_NETIF_OK, _EINVAL, _EDROP */
};

/* rx request: receive buffer `buf` is free for a frame. */
struct hv_netif_rx_request {
    uint16_t buf;
    uint16_t reserved; /* 0 */
};

/* rx response: buffer `buf` holds a frame of `len` bytes (status OK). */
struct hv_netif_rx_response {
    uint16_t buf;
    uint16_t len;
    int32_t status; /* HV_NETIF_OK, or _EINVAL (the request was bad) */
};

HV_RING_DEFINE(hv_netif_tx, struct hv_netif_tx_request,
               struct hv_netif_tx_response, HV_NETIF_RING_SLOTS);
HV_RING_DEFINE(hv_netif_rx, struct hv_netif_rx_request,
               struct hv_netif_rx_response, HV_NETIF_RING_SLOTS);

/* Written by the frontend before it publishes the page, then constant. */
struct hv_netif_header {
    uint32_t magic;                       /* HV_NETIF_MAGIC */
    uint32_t features;                    /* HV_NETIF_F_*: what it uses */
    uint32_t reserved[2];                 /* 0 */
    uint32_t tx_gref[HV_NETIF_BUF_PAGES]; /* read-only grants */
    uint32_t rx_gref[HV_NETIF_BUF_PAGES]; /* read-write grants */
};

struct hv_netif_page {
    struct hv_netif_header hdr;
    struct hv_netif_tx_sring tx;
    struct hv_netif_rx_sring rx;
};

HV_STATIC_ASSERT(sizeof(struct hv_netif_tx_request) == 4, hv_netif_txq_size);
HV_STATIC_ASSERT(sizeof(struct hv_netif_tx_meta) == 12, hv_netif_meta_size);
HV_STATIC_ASSERT(HV_IO_OFFSETOF(struct hv_netif_tx_meta, csum_start) == 6,
                 hv_netif_meta_csum_start);
HV_STATIC_ASSERT(HV_NETIF_BUF_SIZE <= HV_NETIF_TXF_LEN_MASK,
                 hv_netif_len_fits_mask);
HV_STATIC_ASSERT(HV_NETIF_GSO_FRAME_MAX <=
                     HV_NETIF_TX_CHAIN_MAX * HV_NETIF_BUF_SIZE -
                         sizeof(struct hv_netif_tx_meta) - HV_NETIF_IP_ALIGN,
                 hv_netif_gso_fits_chain);
HV_STATIC_ASSERT(sizeof(struct hv_netif_tx_response) == 4, hv_netif_txr_size);
HV_STATIC_ASSERT(sizeof(struct hv_netif_rx_request) == 4, hv_netif_rxq_size);
HV_STATIC_ASSERT(sizeof(struct hv_netif_rx_response) == 8, hv_netif_rxr_size);
HV_STATIC_ASSERT(sizeof(struct hv_netif_header) == 16 + 2 * 4 * 16,
                 hv_netif_header_size);
HV_STATIC_ASSERT(HV_IO_OFFSETOF(struct hv_netif_page, tx) == 144,
                 hv_netif_page_tx);
HV_STATIC_ASSERT(sizeof(struct hv_netif_tx_sring) == 64 + 32 * (4 + 4),
                 hv_netif_tx_sring_size);
HV_STATIC_ASSERT(HV_IO_OFFSETOF(struct hv_netif_page, rx) == 144 + 320,
                 hv_netif_page_rx);
HV_STATIC_ASSERT(sizeof(struct hv_netif_page) == 144 + 320 + 64 + 32 * 12,
                 hv_netif_page_size);
HV_STATIC_ASSERT(sizeof(struct hv_netif_page) <= 4096, hv_netif_page_fits);
HV_STATIC_ASSERT(HV_NETIF_RING_SLOTS == HV_NETIF_BUFS, hv_netif_slot_per_buf);

/*
 * Backend: the page's header (its copy) is one it can serve: HV_NETIF_OK,
 * or HV_NETIF_EINVAL (not a netif page, a feature it does not know, a
 * reserved word not 0): it then leaves the page alone and says why.
 */
static HV_IO_INLINE int32_t
hv_netif_check_header(const struct hv_netif_header *h)
{
    if (h->magic != HV_NETIF_MAGIC || (h->features & ~HV_NETIF_F_ALL) != 0 ||
        ((h->features & HV_NETIF_F_IP_ALIGN) &&
         !(h->features & HV_NETIF_F_TX_OFFLOAD)) ||
        h->reserved[0] != 0 || h->reserved[1] != 0) {
        return HV_NETIF_EINVAL;
    }
    return HV_NETIF_OK;
}

/* Byte offset of buffer @buf in its page, and the page's index. */
static HV_IO_INLINE uint32_t hv_netif_buf_page(uint32_t buf)
{
    return buf / 2u;
}

static HV_IO_INLINE uint32_t hv_netif_buf_offset(uint32_t buf)
{
    return (buf % 2u) * HV_NETIF_BUF_SIZE;
}

/*
 * Backend: a tx request (its copy) is one it may act on: HV_NETIF_OK, or
 * HV_NETIF_EINVAL. @busy: bit b set while transmit buffer b has a request
 * not answered yet (the caller's, updated by the caller).
 */
static HV_IO_INLINE int32_t
hv_netif_check_tx_request(const struct hv_netif_tx_request *req, uint32_t busy)
{
    if (req->buf >= HV_NETIF_BUFS || (busy >> req->buf) & 1u ||
        req->len < HV_NETIF_FRAME_MIN || req->len > HV_NETIF_FRAME_MAX) {
        return HV_NETIF_EINVAL;
    }
    return HV_NETIF_OK;
}

/* Where a frame starts in its first transmit buffer (@meta: 1 with the
 * meta), and in a receive buffer. */
static HV_IO_INLINE uint32_t hv_netif_tx_frame_start(uint32_t features,
                                                     uint32_t meta)
{
    return meta * (uint32_t)sizeof(struct hv_netif_tx_meta) +
           ((features & HV_NETIF_F_IP_ALIGN) ? HV_NETIF_IP_ALIGN : 0u);
}

static HV_IO_INLINE uint32_t hv_netif_rx_frame_start(uint32_t features)
{
    return (features & HV_NETIF_F_IP_ALIGN) ? HV_NETIF_IP_ALIGN : 0u;
}

/*
 * Backend: the frame a chain of tx requests is gathering (its own state,
 * zeroed before the first request of every frame).
 */
struct hv_netif_tx_chain {
    uint32_t n;     /* requests taken */
    uint32_t bytes; /* frame bytes so far (the meta not counted) */
    uint32_t first; /* frame bytes in the first buffer */
    uint32_t busy;  /* bit b: buffer b is in the chain */
    uint32_t meta;  /* 1: the first buffer starts with the meta */
};

#define HV_NETIF_TX_FRAME 1 /* hv_netif_tx_chain_add: the frame is whole */

/*
 * Backend: adds a tx request (its copy) to chain @c, for a frontend that
 * uses @features. Returns HV_NETIF_OK if it was taken and the frame goes
 * on in the next request, HV_NETIF_TX_FRAME if it was taken and ends the
 * frame, HV_NETIF_EINVAL if it is malformed: the backend answers it and
 * every request of the chain so far HV_NETIF_EINVAL and starts a new
 * chain. @busy as for hv_netif_check_tx_request (the chain's own buffers
 * are busy as well). Without HV_NETIF_F_TX_OFFLOAD every frame is one
 * request, checked as hv_netif_check_tx_request checks it. A whole frame
 * with the meta is then checked with hv_netif_check_tx_meta.
 */
static HV_IO_INLINE int32_t hv_netif_tx_chain_add(
    struct hv_netif_tx_chain *c, const struct hv_netif_tx_request *req,
    uint32_t features, uint32_t busy)
{
    uint32_t bytes = req->len & HV_NETIF_TXF_LEN_MASK;
    uint32_t flags = req->len & ~HV_NETIF_TXF_LEN_MASK;
    uint32_t meta = (flags & HV_NETIF_TXF_META) ? 1u : 0u;
    uint32_t first = c->n == 0;
    uint32_t start = hv_netif_tx_frame_start(features, meta);

    if (!(features & HV_NETIF_F_TX_OFFLOAD)) {
        if (hv_netif_check_tx_request(req, busy | c->busy) != HV_NETIF_OK) {
            return HV_NETIF_EINVAL;
        }
        c->n = 1;
        c->bytes = c->first = req->len;
        c->busy = 1u << req->buf;
        return HV_NETIF_TX_FRAME;
    }
    if (req->buf >= HV_NETIF_BUFS || ((busy | c->busy) >> req->buf) & 1u ||
        (flags & ~(HV_NETIF_TXF_MORE | HV_NETIF_TXF_META)) != 0 || bytes == 0 ||
        bytes > HV_NETIF_BUF_SIZE || (meta && !first) ||
        (first && bytes < HV_NETIF_FRAME_MIN + start) ||
        ((flags & HV_NETIF_TXF_MORE) && c->n + 1 >= HV_NETIF_TX_CHAIN_MAX)) {
        return HV_NETIF_EINVAL;
    }
    if (first) {
        c->meta = meta;
        bytes -= start;
        c->first = bytes;
    }
    c->n++;
    c->bytes += bytes;
    c->busy |= 1u << req->buf;
    if (flags & HV_NETIF_TXF_MORE) {
        return HV_NETIF_OK;
    }
    /* Whole: a frame without the meta is an Ethernet frame of at most
     * an MTU; one with it, hv_netif_check_tx_meta says. */
    return c->meta || c->bytes <= HV_NETIF_FRAME_MAX ? HV_NETIF_TX_FRAME
                                                     : HV_NETIF_EINVAL;
}

/*
 * Backend: the meta (its copy) of whole frame @c: HV_NETIF_OK or
 * HV_NETIF_EINVAL (the frame's requests are answered so). The checksum's
 * place must lie in the first buffer, past the Ethernet header.
 */
static HV_IO_INLINE int32_t hv_netif_check_tx_meta(
    const struct hv_netif_tx_meta *m, const struct hv_netif_tx_chain *c)
{
    uint32_t gso = m->gso_type & (uint32_t)~HV_NETIF_GSO_ECN;
    uint32_t csum = m->flags & HV_NETIF_META_CSUM;

    if (m->reserved != 0 || (m->flags & ~HV_NETIF_META_CSUM) != 0) {
        return HV_NETIF_EINVAL;
    }
    if (gso == HV_NETIF_GSO_NONE) {
        if (m->gso_type != HV_NETIF_GSO_NONE || m->gso_size != 0 ||
            c->bytes > HV_NETIF_FRAME_MAX) {
            return HV_NETIF_EINVAL;
        }
    } else if ((gso != HV_NETIF_GSO_TCPV4 && gso != HV_NETIF_GSO_TCPV6) ||
               !csum || m->gso_size == 0 || m->gso_size > HV_NETIF_MTU ||
               c->bytes > HV_NETIF_GSO_FRAME_MAX) {
        return HV_NETIF_EINVAL;
    }
    if (!csum) {
        return m->csum_start == 0 && m->csum_offset == 0 ? HV_NETIF_OK
                                                         : HV_NETIF_EINVAL;
    }
    if (m->csum_start < HV_NETIF_FRAME_MIN ||
        (uint32_t)m->csum_start + m->csum_offset + 2u > c->first) {
        return HV_NETIF_EINVAL;
    }
    return HV_NETIF_OK;
}

/* Backend: an rx request (its copy): HV_NETIF_OK or HV_NETIF_EINVAL;
 * @busy as for tx, for the receive buffers offered. */
static HV_IO_INLINE int32_t
hv_netif_check_rx_request(const struct hv_netif_rx_request *req, uint32_t busy)
{
    if (req->buf >= HV_NETIF_BUFS || (busy >> req->buf) & 1u ||
        req->reserved != 0) {
        return HV_NETIF_EINVAL;
    }
    return HV_NETIF_OK;
}

/*
 * Frontend: an rx response (its copy) for a buffer it offered (the id
 * tracker checked that): HV_NETIF_OK if it carries a frame to take,
 * HV_NETIF_EDROP if it carries none (the backend refused the request:
 * the buffer is free again), HV_NETIF_EINVAL if it lies (a length out
 * of range, an unknown status): the ring is to be treated as broken.
 */
static HV_IO_INLINE int32_t
hv_netif_check_rx_response(const struct hv_netif_rx_response *rsp)
{
    if (rsp->status == HV_NETIF_OK) {
        return rsp->len >= HV_NETIF_FRAME_MIN && rsp->len <= HV_NETIF_FRAME_MAX
                   ? HV_NETIF_OK
                   : HV_NETIF_EINVAL;
    }
    return rsp->status == HV_NETIF_EINVAL ? HV_NETIF_EDROP : HV_NETIF_EINVAL;
}

/* Frontend: a tx response's status is one of the three. */
static HV_IO_INLINE int hv_netif_tx_status_known(int32_t status)
{
    return status == HV_NETIF_OK || status == HV_NETIF_EINVAL ||
           status == HV_NETIF_EDROP;
}

#endif /* HVABI_IO_NETIF_H */
