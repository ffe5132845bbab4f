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

/* tx request: send transmit buffer `buf`, `len` bytes of frame. */
struct hv_netif_tx_request {
    uint16_t buf; /* 0 .. HV_NETIF_BUFS - 1; also the request id */
    uint16_t len; /* HV_NETIF_FRAME_MIN .. HV_NETIF_FRAME_MAX */
};

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
    uint32_t reserved[3];                 /* 0 */
    uint32_t tx_gref[HV_NETIF_BUF_PAGES]; /* read-only grants */
    uint32_t rx_gref[HV_NETIF_BUF_PAGES]; /* read-write grants */
};

struct hv_netif_page {
    struct hv_netif_header hdr;
    struct hv_netif_tx_sring tx;
    struct hv_netif_rx_sring rx;
};

HV_STATIC_ASSERT(sizeof(struct hv_netif_tx_request) == 4, hv_netif_txq_size);
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
