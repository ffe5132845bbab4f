// SPDX-License-Identifier: MIT
/*
 * Hostile peers of network connections (<hvabi/io/netif.h>): two roles
 * that play one side of a PV network interface honestly at first, then
 * break the page on purpose, against the PV Linux side of the connection.
 *
 *   netfront_evil  a frontend served by hvnetback in a PV Linux driver
 *                  domain, on the bridge an honest Linux guest uses too
 *                  (linux.net_hostile_frontend)
 *   netback_evil   the backend of a PV Linux guest's eth0 (hvnet;
 *                  linux.net_hostile_backend_*)
 *
 * Neither trusts the Linux side either: what they can check of it (the
 * backend answered every request once, in order, with the right status;
 * it unmapped every page; the frontend sent nothing once it called the
 * ring broken) they check, and a role that sees something wrong prints a
 * FAIL line and ends with FAILURE. The guest that runs a role halts the
 * system when done (halt-on-shutdown), after the Linux guest whose test
 * runs beside it has stopped: then every line of both is in the log.
 *
 * Frames: the roles speak just enough ARP and ICMP to have traffic they
 * can check end to end: netfront_evil asks QEMU's gateway (10.0.2.2) for
 * its MAC address through the driver domain's bridge and the board's
 * NIC; netback_evil answers the Linux guest's ARP requests and pings for
 * 10.0.2.2 itself.
 */
#include <hvabi/guest.h>
#include <hvabi/io/netif.h>
#include <hvabi/mmu.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "hvtest.h"

#define NS_ATTR_RW                                                             \
    (HV_L2_SMALL | HV_L2_TEXCB(HV_TEXCB_NORMAL_WBWA) | HV_L2_NG |              \
     HV_L2_AP(HV_AP_RW))
#define NS_MS 1000000ull /* ns */
#define NS_PAGE 4096u

#define NS_ETH_ARP 0x0806u
#define NS_ETH_IP 0x0800u
#define NS_ETH_FLOOD 0x88b5u   /* IEEE local experimental */
#define NS_GATEWAY 0x0a000202u /* 10.0.2.2, QEMU's user network */

static const uint8_t ns_broadcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

static uint8_t ns_shared_page[NS_PAGE] __attribute__((aligned(NS_PAGE)));
static volatile struct hv_vcpu_shared *ns_sh;
static uint32_t ns_seed = 1;
static bool ns_failed;
static uint32_t ns_free_va, ns_free_end; /* pages above the image */

extern char __guest_end[];

static uint32_t ns_pa(const void *p)
{
    const struct hv_start_info *si = hvtest_start_info();
    return (uint32_t)(uintptr_t)p - si->mem_base + si->mem_phys;
}

/* The initial L2 entry of @va (<hvabi/start_info.h>). */
static uint32_t ns_pte_of(const void *va)
{
    const struct hv_start_info *si = hvtest_start_info();
    uint32_t index = ((uint32_t)(uintptr_t)va - si->mem_base) >> 12;
    return si->pt_l2_first + (index / 512) * 4096u + HV_MMU_L2_HW_OFFSET +
           (index % 512) * 4u;
}

static uint32_t ns_arg(const char *key, uint32_t dflt)
{
    uint32_t v = dflt;
    hv_cmdline_get_u32(hvtest_start_info()->cmdline, key, &v);
    return v;
}

static uint32_t ns_rand(void)
{
    ns_seed ^= ns_seed << 13;
    ns_seed ^= ns_seed >> 17;
    ns_seed ^= ns_seed << 5;
    return ns_seed;
}

static void ns_fail(const char *role, const char *why)
{
    hv_printf("%s: FAIL %s\n", role, why);
    ns_failed = true;
}

/*
 * The roles' pages (buffers, one ring page per life) come from the free
 * memory between the image and the initial stack, not from .bss: the
 * test guest's image stays the size every other test knows, and only
 * these tests' manifests give it the memory.
 */
static void ns_pages_init(void)
{
    const struct hv_start_info *si = hvtest_start_info();
    uint32_t l1_va = si->pt_l1 - si->mem_phys + si->mem_base;

    ns_free_va =
        ((uint32_t)(uintptr_t)__guest_end + NS_PAGE - 1) & ~(NS_PAGE - 1);
    ns_free_end = l1_va - HV_DTB_STACK_GAP;
    if (si->dtb_offset != 0 && si->mem_base + si->dtb_offset < ns_free_end) {
        ns_free_end = si->mem_base + si->dtb_offset;
    }
}

/* @n zeroed pages, or 0 if the guest has too little memory. */
static uint8_t *ns_pages(uint32_t n)
{
    uint8_t *p = (uint8_t *)(uintptr_t)ns_free_va;

    if (ns_free_va + n * NS_PAGE > ns_free_end) {
        return 0;
    }
    ns_free_va += n * NS_PAGE;
    memset(p, 0, n * NS_PAGE);
    return p;
}

/* Events stay masked: the roles poll with hv_block, taking no upcalls. */
static void ns_register(void)
{
    ns_sh = (volatile struct hv_vcpu_shared *)ns_shared_page;
    ns_sh->events_masked = 1;
    if (hv_vcpu_register(ns_pa(ns_shared_page)) != 0) {
        hvtest_error("cannot register the shared page");
    }
}

/*
 * Sleeps until an event comes or @deadline (monitor time) passes; takes
 * every pending event, so that a port the peer keeps raising cannot turn
 * the next sleep into a busy loop.
 */
static void ns_block_until(uint64_t deadline)
{
    hv_timer_set(deadline);
    while (ns_sh->events_pending == 0 && hv_clock_read() < deadline) {
        hv_block();
    }
    (void)__atomic_exchange_n(&ns_sh->events_pending, 0, __ATOMIC_SEQ_CST);
    hv_timer_set(0);
}

static void ns_sleep_ms(uint32_t ms)
{
    uint64_t end = hv_clock_read() + ms * NS_MS;

    while (hv_clock_read() < end) {
        ns_block_until(end);
    }
}

static uint64_t ns_ms_since(uint64_t t)
{
    return (hv_clock_read() - t) / NS_MS;
}

/* The first network connection in which this guest has @role. */
static bool ns_find(uint32_t role, uint32_t *index, struct hv_conn_info *info)
{
    for (uint32_t i = 0; hv_conn_query(i, info) == 0; i++) {
        if (info->kind == HV_CONN_KIND_NET && info->role == role) {
            *index = i;
            return true;
        }
    }
    return false;
}

/* A guest that has stopped is found by nobody: the monitor answers an
 * event port opened for it with ENOENT. */
static bool ns_guest_gone(uint32_t id)
{
    int32_t port = hv_evtchn_alloc_unbound(id);

    if (port > 0) {
        hv_evtchn_close((uint32_t)port);
    }
    return port == -HV_ENOENT;
}

static bool ns_wait_gone(uint32_t id, uint32_t s)
{
    uint64_t end = hv_clock_read() + s * 1000ull * NS_MS;

    while (!ns_guest_gone(id)) {
        if (hv_clock_read() > end) {
            return false;
        }
        ns_sleep_ms(50);
    }
    return true;
}

static uint32_t ns_flood(uint32_t port, uint32_t n)
{
    uint32_t ok = 0;

    for (uint32_t i = 0; i < n; i++) {
        ok += hv_evtchn_send(port) == 0;
    }
    return ok;
}

/* --- Frames ----------------------------------------------------------------
 */

static uint32_t ns_get16(const uint8_t *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t ns_get32(const uint8_t *p)
{
    return ns_get16(p) << 16 | ns_get16(p + 2);
}

static void ns_put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void ns_put32(uint8_t *p, uint32_t v)
{
    ns_put16(p, v >> 16);
    ns_put16(p + 2, v);
}

/* "02:48:56:00:00:03" (the connection's device field) into @mac. */
static bool ns_parse_mac(const char *s, uint8_t mac[6])
{
    for (uint32_t i = 0; i < 6; i++) {
        uint32_t v = 0;
        for (uint32_t j = 0; j < 2; j++) {
            char c = s[i * 3 + j];
            v <<= 4;
            if (c >= '0' && c <= '9') {
                v |= (uint32_t)(c - '0');
            } else if (c >= 'a' && c <= 'f') {
                v |= (uint32_t)(c - 'a' + 10);
            } else if (c >= 'A' && c <= 'F') {
                v |= (uint32_t)(c - 'A' + 10);
            } else {
                return false;
            }
        }
        if (i < 5 && s[i * 3 + 2] != ':') {
            return false;
        }
        mac[i] = (uint8_t)v;
    }
    return true;
}

static void ns_mac_text(const uint8_t mac[6], char out[18])
{
    snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2],
             mac[3], mac[4], mac[5]);
}

/* An ARP frame (padded to Ethernet's 60 bytes); returns its length. */
static uint32_t ns_arp(uint8_t *f, uint32_t op, const uint8_t dst[6],
                       const uint8_t sha[6], uint32_t spa, const uint8_t tha[6],
                       uint32_t tpa)
{
    memset(f, 0, 60);
    memcpy(f, dst, 6);
    memcpy(f + 6, sha, 6);
    ns_put16(f + 12, NS_ETH_ARP);
    ns_put16(f + 14, 1);
    ns_put16(f + 16, NS_ETH_IP);
    f[18] = 6;
    f[19] = 4;
    ns_put16(f + 20, op);
    memcpy(f + 22, sha, 6);
    ns_put32(f + 28, spa);
    memcpy(f + 32, tha, 6);
    ns_put32(f + 38, tpa);
    return 60;
}

/* The ARP operation of frame @f (1 request, 2 reply), or 0. */
static uint32_t ns_arp_op(const uint8_t *f, uint32_t len)
{
    if (len < 42 || ns_get16(f + 12) != NS_ETH_ARP || ns_get16(f + 14) != 1 ||
        ns_get16(f + 16) != NS_ETH_IP || f[18] != 6 || f[19] != 4) {
        return 0;
    }
    return ns_get16(f + 20);
}

static uint32_t ns_csum(const uint8_t *p, uint32_t len)
{
    uint32_t sum = 0;

    for (uint32_t i = 0; i + 1 < len; i += 2) {
        sum += ns_get16(p + i);
    }
    if (len & 1) {
        sum += (uint32_t)p[len - 1] << 8;
    }
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return ~sum & 0xffff;
}

/* --- The hostile frontend --------------------------------------------------
 */

#define NF "netfront_evil"
#define NF_LIVES 9u
#define NF_IP 0x0a00024du /* 10.0.2.77: outside QEMU's DHCP range */
#define NF_OFFERED 24u    /* receive buffers kept offered */
#define NF_HONEST (-1)

struct nf_state {
    uint32_t index;
    struct hv_conn_info info;
    uint8_t mac[6];
    uint8_t peer_mac[6]; /* the honest guest's */
    uint8_t *tx_pages;   /* HV_NETIF_BUF_PAGES, granted read-only */
    uint8_t *rx_pages;   /* HV_NETIF_BUF_PAGES, granted read-write */
    uint8_t *ring_pages; /* one per life */
    volatile struct hv_netif_page *page;
    struct hv_ring_front tx, rx;
    struct hv_ring_ids tx_ids, rx_ids;
    /* Per request index (mod 32): NF_HONEST, or the buffer number of a
     * request made malformed on purpose, which the response must echo
     * with HV_NETIF_EINVAL. Responses come in request order. */
    int32_t tx_bad[HV_NETIF_RING_SLOTS];
    int32_t rx_bad[HV_NETIF_RING_SLOTS];
    uint16_t tx_buf_of[HV_NETIF_RING_SLOTS]; /* honest: the buffer named */
    uint16_t rx_buf_of[HV_NETIF_RING_SLOTS];
    int32_t refs[1 + 2 * HV_NETIF_BUF_PAGES]; /* this life's grants */
    uint32_t nrefs;
    uint32_t lives;
    uint32_t features;  /* this life's (HV_NETIF_F_*) */
    uint32_t connected; /* lives the backend attached to */
    uint64_t wait_ns;
    /* This life's answers. */
    uint32_t tx_ok, tx_drop, tx_einval, rx_frames, rx_einval;
    bool got_peer_frame, got_arp_reply;
    uint32_t frames_from_peer;
};

static struct nf_state nf;

static uint8_t *nf_tx_buf(uint32_t buf)
{
    return nf.tx_pages + hv_netif_buf_page(buf) * NS_PAGE +
           hv_netif_buf_offset(buf);
}

static const uint8_t *nf_rx_buf(uint32_t buf)
{
    return nf.rx_pages + hv_netif_buf_page(buf) * NS_PAGE +
           hv_netif_buf_offset(buf);
}

static void nf_notify(void)
{
    (void)hv_evtchn_send(nf.info.port);
}

/* Offers receive buffer @buf (honest). */
static void nf_rx_offer(uint32_t buf)
{
    struct hv_netif_rx_request req = {(uint16_t)buf, 0};

    nf.rx_bad[nf.rx.req_prod_pvt % HV_NETIF_RING_SLOTS] = NF_HONEST;
    nf.rx_buf_of[nf.rx.req_prod_pvt % HV_NETIF_RING_SLOTS] = (uint16_t)buf;
    if (hv_netif_rx_put_request(&nf.rx, &req) != 0) {
        ns_fail(NF, "no room to offer a receive buffer");
    }
}

/* A malformed receive request (a buffer out of range, or reserved set). */
static void nf_rx_bad(uint16_t buf, uint16_t reserved)
{
    struct hv_netif_rx_request req = {buf, reserved};

    nf.rx_bad[nf.rx.req_prod_pvt % HV_NETIF_RING_SLOTS] = buf;
    if (hv_netif_rx_put_request(&nf.rx, &req) != 0) {
        ns_fail(NF, "no room for a bad receive request");
    }
}

/* A new life of our side: INIT, a fresh ring page, the buffers granted
 * (@bad_gref: 1 an unknown reference for a transmit page, 2 a read-only
 * grant for a receive page), the page published, READY; CONNECTED once
 * the backend is READY, waiting up to @connect_ms. @bad_rx malformed
 * receive requests go first in the ring. */
static bool nf_open(uint32_t bad_gref, uint32_t bad_rx, uint32_t connect_ms,
                    uint32_t features)
{
    uint32_t life = nf.lives;
    uint8_t *ring = nf.ring_pages + life * NS_PAGE;
    uint32_t peer_state;
    int32_t rc;

    if (hv_conn_query(nf.index, &nf.info) != 0 ||
        nf.info.state != HV_CONN_DOWN ||
        hv_conn_set_state(nf.info.id, HV_CONN_INIT, &peer_state) != 0) {
        ns_fail(NF, "cannot go INIT");
        return false;
    }
    nf.lives++;
    nf.nrefs = 0;
    nf.tx_ok = nf.tx_drop = nf.tx_einval = nf.rx_frames = nf.rx_einval = 0;
    nf.got_peer_frame = nf.got_arp_reply = false;
    memset(ring, 0, NS_PAGE);
    nf.page = (volatile struct hv_netif_page *)ring;
    struct hv_netif_page *page = (struct hv_netif_page *)ring;
    page->hdr.magic = HV_NETIF_MAGIC;
    page->hdr.features = features;
    nf.features = features;
    for (uint32_t i = 0; i < HV_NETIF_BUF_PAGES; i++) {
        int32_t t = hv_grant_access(ns_pa(nf.tx_pages + i * NS_PAGE),
                                    nf.info.peer_id, HV_GRANT_READONLY);
        int32_t r = hv_grant_access(ns_pa(nf.rx_pages + i * NS_PAGE),
                                    nf.info.peer_id, 0);
        if (t < 0 || r < 0) {
            ns_fail(NF, "cannot grant the buffers");
            return false;
        }
        nf.refs[nf.nrefs++] = t;
        nf.refs[nf.nrefs++] = r;
        page->hdr.tx_gref[i] = (uint32_t)t;
        page->hdr.rx_gref[i] = (uint32_t)r;
    }
    if (bad_gref == 1) {
        /* Far above any reference this guest has live (512 at most). */
        page->hdr.tx_gref[5] = 4000;
        hv_printf(NF ": life %lu: breaking the header: tx_gref[5] 4000, no "
                     "such grant\n",
                  (unsigned long)nf.lives);
    } else if (bad_gref == 2) {
        page->hdr.rx_gref[0] = page->hdr.tx_gref[0];
        hv_printf(NF ": life %lu: breaking the header: rx_gref[0] %lu, a "
                     "read-only grant (tx_gref[0])\n",
                  (unsigned long)nf.lives, (unsigned long)page->hdr.rx_gref[0]);
    }
    if (hv_netif_tx_front_init(&nf.tx, &page->tx) != 0 ||
        hv_netif_rx_front_init(&nf.rx, &page->rx) != 0 ||
        hv_ring_ids_init(&nf.tx_ids, HV_NETIF_BUFS) != 0 ||
        hv_ring_ids_init(&nf.rx_ids, HV_NETIF_BUFS) != 0) {
        ns_fail(NF, "cannot set the rings up");
        return false;
    }
    if (bad_rx >= 1) {
        nf_rx_bad(HV_NETIF_BUFS, 0);
    }
    if (bad_rx >= 2) {
        nf_rx_bad(0xffff, 0);
    }
    if (bad_rx >= 3) {
        /* Buffer 31, which no honest request names: reserved set. */
        nf_rx_bad(HV_NETIF_BUFS - 1, 1);
    }
    for (uint32_t b = 0; b < NF_OFFERED; b++) {
        nf_rx_offer((uint32_t)hv_ring_id_alloc(&nf.rx_ids));
    }
    (void)hv_ring_front_push(&nf.rx);
    rc = hv_grant_access(ns_pa(ring), nf.info.peer_id, 0);
    if (rc < 0) {
        ns_fail(NF, "cannot grant the ring page");
        return false;
    }
    nf.refs[nf.nrefs++] = rc;
    if (hv_conn_set_ring(nf.info.id, (uint32_t)rc) != 0 ||
        hv_conn_set_state(nf.info.id, HV_CONN_READY, &peer_state) != 0 ||
        hv_conn_query(nf.index, &nf.info) != 0 || nf.info.port == 0) {
        ns_fail(NF, "cannot publish the page");
        return false;
    }
    uint64_t end = hv_clock_read() + connect_ms * NS_MS;
    while ((rc = hv_conn_set_state(nf.info.id, HV_CONN_CONNECTED,
                                   &peer_state)) == -HV_EAGAIN) {
        if (hv_clock_read() > end) {
            (void)hv_conn_query(nf.index, &nf.info);
            hv_printf(NF ": life %lu: not connected after %lu ms, the "
                         "backend's state %lu\n",
                      (unsigned long)nf.lives, (unsigned long)connect_ms,
                      (unsigned long)nf.info.peer_state);
            return false;
        }
        ns_block_until(hv_clock_read() + 100 * NS_MS);
    }
    if (rc != 0) {
        ns_fail(NF, "CONNECTED refused");
        return false;
    }
    nf.connected++;
    hv_printf(NF ": life %lu: connected to guest %lu (page %lu)\n",
              (unsigned long)nf.lives, (unsigned long)nf.info.peer_id,
              (unsigned long)nf.refs[nf.nrefs - 1]);
    return true;
}

/* Takes the transmit responses waiting and checks each against what was
 * asked; false once the backend answered something wrong. */
static bool nf_reap_tx(void)
{
    struct hv_netif_tx_response rsp;

    for (;;) {
        uint32_t at = nf.tx.rsp_cons % HV_NETIF_RING_SLOTS;
        int32_t rc = hv_netif_tx_get_response(&nf.tx, &rsp);
        if (rc == -HV_EAGAIN) {
            return true;
        }
        if (rc != 0) {
            ns_fail(NF, "the backend broke our transmit ring");
            return false;
        }
        if (nf.tx_bad[at] != NF_HONEST) {
            if (rsp.buf != (uint16_t)nf.tx_bad[at] ||
                rsp.status != HV_NETIF_EINVAL) {
                hv_printf(NF ": bad request for buffer %ld answered buffer "
                             "%u status %d\n",
                          (long)nf.tx_bad[at], rsp.buf, rsp.status);
                ns_fail(NF, "a malformed transmit request was not refused");
                return false;
            }
            nf.tx_einval++;
            continue;
        }
        if (rsp.buf != nf.tx_buf_of[at] ||
            hv_ring_id_complete(&nf.tx_ids, rsp.buf) != 0 ||
            (rsp.status != HV_NETIF_OK && rsp.status != HV_NETIF_EDROP)) {
            hv_printf(NF ": transmit of buffer %u answered buffer %u status "
                         "%d\n",
                      nf.tx_buf_of[at], rsp.buf, rsp.status);
            ns_fail(NF, "an honest transmit request answered wrong");
            return false;
        }
        if (rsp.status == HV_NETIF_OK) {
            nf.tx_ok++;
        } else {
            nf.tx_drop++;
        }
    }
}

/* Looks at a frame received: the honest guest's, an ARP reply of the
 * gateway to us. */
static void nf_look(const uint8_t *f, uint32_t len)
{
    if (memcmp(f + 6, nf.peer_mac, 6) == 0) {
        nf.frames_from_peer++;
        nf.got_peer_frame = true;
    }
    if (ns_arp_op(f, len) == 2 && ns_get32(f + 28) == NS_GATEWAY &&
        memcmp(f + 32, nf.mac, 6) == 0 && ns_get32(f + 38) == NF_IP) {
        nf.got_arp_reply = true;
    }
}

/* Takes the receive responses waiting, checks each, looks at the frames
 * and offers the buffers again; false once the backend answered wrong. */
static bool nf_reap_rx(void)
{
    struct hv_netif_rx_response rsp;
    bool offered = false;

    for (;;) {
        uint32_t at = nf.rx.rsp_cons % HV_NETIF_RING_SLOTS;
        int32_t rc = hv_netif_rx_get_response(&nf.rx, &rsp);
        if (rc == -HV_EAGAIN) {
            break;
        }
        if (rc != 0) {
            ns_fail(NF, "the backend broke our receive ring");
            return false;
        }
        if (nf.rx_bad[at] != NF_HONEST) {
            if (rsp.buf != (uint16_t)nf.rx_bad[at] ||
                rsp.status != HV_NETIF_EINVAL) {
                ns_fail(NF, "a malformed receive request was not refused");
                return false;
            }
            nf.rx_einval++;
            continue;
        }
        if (rsp.buf != nf.rx_buf_of[at] ||
            hv_ring_id_complete(&nf.rx_ids, rsp.buf) != 0 ||
            hv_netif_check_rx_response(&rsp) != HV_NETIF_OK) {
            hv_printf(NF ": receive buffer %u answered buffer %u len %u "
                         "status %ld\n",
                      nf.rx_buf_of[at], rsp.buf, rsp.len, (long)rsp.status);
            ns_fail(NF, "an honest receive request answered wrong");
            return false;
        }
        nf.rx_frames++;
        nf_look(nf_rx_buf(rsp.buf) + hv_netif_rx_frame_start(nf.features),
                rsp.len);
        nf_rx_offer((uint32_t)hv_ring_id_alloc(&nf.rx_ids));
        offered = true;
    }
    if (offered && hv_ring_front_push(&nf.rx)) {
        nf_notify();
    }
    return true;
}

static bool nf_reap(void)
{
    return nf_reap_tx() && nf_reap_rx();
}

/* Puts frame @f into a free transmit buffer and asks for it to be sent;
 * false if no buffer is free. Not published until nf_push. */
static bool nf_put_frame(const uint8_t *f, uint32_t len)
{
    int32_t buf = hv_ring_id_alloc(&nf.tx_ids);
    uint32_t start = hv_netif_tx_frame_start(nf.features, 0);

    if (buf < 0) {
        return false;
    }
    memcpy(nf_tx_buf((uint32_t)buf) + start, f, len);
    struct hv_netif_tx_request req = {(uint16_t)buf, (uint16_t)(start + len)};
    nf.tx_bad[nf.tx.req_prod_pvt % HV_NETIF_RING_SLOTS] = NF_HONEST;
    nf.tx_buf_of[nf.tx.req_prod_pvt % HV_NETIF_RING_SLOTS] = (uint16_t)buf;
    if (hv_netif_tx_put_request(&nf.tx, &req) != 0) {
        ns_fail(NF, "no transmit slot for a free buffer");
        return false;
    }
    return true;
}

static void nf_push(void)
{
    (void)hv_ring_front_push(&nf.tx);
    nf_notify();
}

/* Waits up to @ms for the backend to answer every transmit request. */
static bool nf_drain_tx(uint32_t ms)
{
    uint64_t end = hv_clock_read() + ms * NS_MS;

    while (nf.tx.rsp_cons != nf.tx.req_prod) {
        if (!nf_reap()) {
            return false;
        }
        if (nf.tx.rsp_cons == nf.tx.req_prod) {
            break;
        }
        if (hv_clock_read() > end) {
            ns_fail(NF, "the backend did not answer every transmit request");
            return false;
        }
        ns_block_until(hv_clock_read() + 50 * NS_MS);
    }
    return true;
}

/*
 * Asks the gateway for its MAC address (ARP, broadcast through the
 * bridge and the board's NIC) until it answers, up to @ms: the backend
 * serves this page both ways.
 */
static bool nf_served(const char *what, uint32_t ms)
{
    uint64_t start = hv_clock_read(), next = 0;
    uint8_t f[60];
    uint32_t n = ns_arp(f, 1, ns_broadcast, nf.mac, NF_IP,
                        (const uint8_t[6]){0}, NS_GATEWAY);

    nf.got_arp_reply = false;
    while (!nf.got_arp_reply) {
        if (!nf_reap()) {
            return false;
        }
        if (nf.got_arp_reply) {
            break;
        }
        if (ns_ms_since(start) > ms) {
            hv_printf(NF ": life %lu: no ARP reply from 10.0.2.2 in %lu ms "
                         "(%s)\n",
                      (unsigned long)nf.lives, (unsigned long)ms, what);
            ns_fail(NF, "the backend did not serve the page");
            return false;
        }
        if (hv_clock_read() >= next) {
            next = hv_clock_read() + 500 * NS_MS;
            if (nf_put_frame(f, n)) {
                nf_push();
            }
        }
        ns_block_until(hv_clock_read() + 20 * NS_MS);
    }
    hv_printf(NF ": life %lu: 10.0.2.2 answered our ARP request (%s)\n",
              (unsigned long)nf.lives, what);
    return nf_drain_tx(ms);
}

/* Waits up to @s seconds for a frame from the honest guest's MAC (its
 * DHCP or ARP broadcasts): it is up, and our lives overlap its test. */
static bool nf_wait_peer(uint32_t s)
{
    uint64_t start = hv_clock_read();
    char text[18];

    ns_mac_text(nf.peer_mac, text);
    while (!nf.got_peer_frame) {
        if (!nf_reap()) {
            return false;
        }
        if (nf.got_peer_frame) {
            break;
        }
        if (ns_ms_since(start) > s * 1000ull) {
            ns_fail(NF, "no frame from the other guest");
            return false;
        }
        ns_block_until(hv_clock_read() + 100 * NS_MS);
    }
    hv_printf(NF ": life %lu: a frame from %s (the other guest) after %lu "
                 "ms\n",
              (unsigned long)nf.lives, text, (unsigned long)ns_ms_since(start));
    return true;
}

/* Malformed transmit requests: every one must be answered EINVAL. */
static bool nf_bad_tx(void)
{
    static const struct {
        uint16_t buf, len;
    } bad[] = {
        {0, 1515},    /* past the MTU */
        {1, 2048},    /* the whole buffer */
        {2, 4000},    /* past the buffer */
        {3, 0xffff},  /* far past it */
        {4, 13},      /* shorter than a header */
        {5, 0},       /* empty */
        {32, 60},     /* no such buffer */
        {0xffff, 60}, /* far from any buffer */
    };
    uint32_t n = sizeof(bad) / sizeof(bad[0]);

    /* Buffers 0-5 are free (every honest request was answered): the
     * backend must not send what they hold. */
    for (uint32_t i = 0; i < n; i++) {
        struct hv_netif_tx_request req = {bad[i].buf, bad[i].len};
        if (bad[i].buf < HV_NETIF_BUFS) {
            memset(nf_tx_buf(bad[i].buf), 0xee, HV_NETIF_BUF_SIZE);
        }
        nf.tx_bad[nf.tx.req_prod_pvt % HV_NETIF_RING_SLOTS] = bad[i].buf;
        if (hv_netif_tx_put_request(&nf.tx, &req) != 0) {
            ns_fail(NF, "no room for the bad requests");
            return false;
        }
    }
    hv_printf(NF ": life %lu: %lu bad transmit requests: lengths 1515, "
                 "2048, 4000, 65535, 13, 0; buffers 32, 65535\n",
              (unsigned long)nf.lives, (unsigned long)n);
    nf_push();
    if (!nf_drain_tx(5000)) {
        return false;
    }
    hv_printf(NF ": life %lu: %lu bad transmit requests answered EINVAL\n",
              (unsigned long)nf.lives, (unsigned long)nf.tx_einval);
    if (nf.tx_einval != n) {
        ns_fail(NF, "not every bad transmit request was refused");
        return false;
    }
    return true;
}

/* A transmit request that must be answered EINVAL (not published). */
static bool nf_put_bad(uint32_t buf, uint32_t len)
{
    struct hv_netif_tx_request req = {(uint16_t)buf, (uint16_t)len};

    nf.tx_bad[nf.tx.req_prod_pvt % HV_NETIF_RING_SLOTS] = (int32_t)buf;
    if (hv_netif_tx_put_request(&nf.tx, &req) != 0) {
        ns_fail(NF, "no room for the bad requests");
        return false;
    }
    return true;
}

/* The meta at the start of transmit buffer @buf. */
static void nf_put_meta(uint32_t buf, uint32_t flags, uint32_t gso_type,
                        uint32_t gso_size, uint32_t start, uint32_t off)
{
    struct hv_netif_tx_meta m = {
        (uint8_t)flags,  (uint8_t)gso_type, 54, (uint16_t)gso_size,
        (uint16_t)start, (uint16_t)off,     0};
    memcpy(nf_tx_buf(buf), &m, sizeof(m));
}

/*
 * Malformed chains (HV_NETIF_F_TX_OFFLOAD): every request of each chain
 * so far, the bad one included, must be answered EINVAL. The last two
 * pass netif.h's checks and must be refused by the Linux backend's own
 * (virtio_net_hdr_to_skb: TSO with the checksum elsewhere than TCP's).
 */
static bool nf_bad_chains(void)
{
    const uint32_t M = HV_NETIF_TXF_MORE, X = HV_NETIF_TXF_META;
    uint32_t n = 0;
    bool ok = true;

    for (uint32_t b = 0; b < 26; b++) {
        memset(nf_tx_buf(b), 0xee, HV_NETIF_BUF_SIZE);
    }
    /* 16 requests, the 16th still with MORE: one too many */
    for (uint32_t b = 0; b < 16; b++) {
        ok = ok && nf_put_bad(b, 100 | M);
    }
    ok =
        ok && nf_put_bad(16, 100 | M) && nf_put_bad(17, 100 | X); /* meta 2nd */
    ok =
        ok && nf_put_bad(18, 100 | M) && nf_put_bad(18, 100); /* buffer twice */
    ok = ok && nf_put_bad(19, 100 | 0x1000);                  /* a bad flag */
    ok = ok && nf_put_bad(20, 27 | X); /* no room for a header after the meta */
    nf_put_meta(21, 0, HV_NETIF_GSO_TCPV4, 1448, 0, 0);
    ok = ok && nf_put_bad(21, 100 | X); /* TSO without the checksum */
    nf_put_meta(22, HV_NETIF_META_CSUM, 0, 0, 80, 16);
    ok = ok && nf_put_bad(22, 100 | X | M) && nf_put_bad(23, 100); /* csum
                                                           past buffer 1 */
    nf_put_meta(24, 0, 0, 0, 0, 0);
    ok = ok && nf_put_bad(24, 1600 | X); /* 1586 bytes, no TSO */
    nf_put_meta(25, HV_NETIF_META_CSUM, HV_NETIF_GSO_TCPV4, 1448, 34, 6);
    ok = ok && nf_put_bad(25, 114 | X); /* TSO, checksum not TCP's */
    if (!ok) {
        return false;
    }
    n = nf.tx.req_prod_pvt - nf.tx.req_prod;
    hv_printf(NF ": life %lu: %lu requests in 9 malformed chains (too long, "
                 "meta not first, a buffer twice, a bad flag, short, 4 bad "
                 "metas)\n",
              (unsigned long)nf.lives, (unsigned long)n);
    nf.tx_einval = 0;
    nf_push();
    if (!nf_drain_tx(5000)) {
        return false;
    }
    hv_printf(NF ": life %lu: %lu requests in bad chains answered EINVAL\n",
              (unsigned long)nf.lives, (unsigned long)nf.tx_einval);
    if (nf.tx_einval != n) {
        ns_fail(NF, "not every request of a bad chain was refused");
        return false;
    }
    return true;
}

/*
 * A TSO frame netif.h's checks and virtio's accept, its IP header
 * garbage, broadcast: the driver domain's stack must drop it where it
 * cuts the segments (the bridge floods it to the board's NIC and the
 * other guest's interface), and go on serving. Answered OK or EDROP.
 */
static bool nf_garbage_tso(void)
{
    int32_t b0 = hv_ring_id_alloc(&nf.tx_ids),
            b1 = hv_ring_id_alloc(&nf.tx_ids);
    uint32_t start = hv_netif_tx_frame_start(nf.features, 1);
    uint8_t *f;

    if (b0 < 0 || b1 < 0) {
        ns_fail(NF, "no transmit buffers for the TSO frame");
        return false;
    }
    memset(nf_tx_buf((uint32_t)b0), 0xee, HV_NETIF_BUF_SIZE);
    memset(nf_tx_buf((uint32_t)b1), 0xee, HV_NETIF_BUF_SIZE);
    nf_put_meta((uint32_t)b0, HV_NETIF_META_CSUM, HV_NETIF_GSO_TCPV4, 1448, 34,
                16);
    f = nf_tx_buf((uint32_t)b0) + start;
    memcpy(f, ns_broadcast, 6);
    memcpy(f + 6, nf.mac, 6);
    ns_put16(f + 12, 0x0800);
    struct hv_netif_tx_request r0 = {
        (uint16_t)b0,
        (uint16_t)(HV_NETIF_BUF_SIZE | HV_NETIF_TXF_META | HV_NETIF_TXF_MORE)};
    struct hv_netif_tx_request r1 = {(uint16_t)b1, 1000};
    nf.tx_bad[nf.tx.req_prod_pvt % HV_NETIF_RING_SLOTS] = NF_HONEST;
    nf.tx_buf_of[nf.tx.req_prod_pvt % HV_NETIF_RING_SLOTS] = (uint16_t)b0;
    (void)hv_netif_tx_put_request(&nf.tx, &r0);
    nf.tx_bad[nf.tx.req_prod_pvt % HV_NETIF_RING_SLOTS] = NF_HONEST;
    nf.tx_buf_of[nf.tx.req_prod_pvt % HV_NETIF_RING_SLOTS] = (uint16_t)b1;
    (void)hv_netif_tx_put_request(&nf.tx, &r1);
    nf.tx_ok = nf.tx_drop = 0;
    nf_push();
    if (!nf_drain_tx(5000)) {
        return false;
    }
    hv_printf(NF ": life %lu: a TSO frame of %lu bytes with a garbage IP "
                 "header: %lu requests answered OK, %lu EDROP\n",
              (unsigned long)nf.lives,
              (unsigned long)(HV_NETIF_BUF_SIZE - start + 1000),
              (unsigned long)nf.tx_ok, (unsigned long)nf.tx_drop);
    return true;
}

/*
 * Honest frames as fast as the ring takes them, an event after each
 * push and whenever the ring is full, for @ms: to our own MAC address,
 * so that the bridge drops them rather than flood the other guest.
 */
static bool nf_txflood(uint32_t ms)
{
    uint64_t end = hv_clock_read() + ms * NS_MS;
    uint32_t frames = 0, full = 0, events = 0;
    uint8_t f[HV_NETIF_FRAME_MAX];

    hv_printf(NF ": life %lu: transmit flood for %lu ms\n",
              (unsigned long)nf.lives, (unsigned long)ms);
    nf.tx_ok = nf.tx_drop = 0;
    memcpy(f, nf.mac, 6);
    memcpy(f + 6, nf.mac, 6);
    ns_put16(f + 12, NS_ETH_FLOOD);
    while (hv_clock_read() < end) {
        uint32_t len = 60 + frames % (HV_NETIF_FRAME_MAX - 59);
        ns_put32(f + 14, frames);
        if (!nf_put_frame(f, len)) {
            full++;
            events += hv_evtchn_send(nf.info.port) == 0;
            if (!nf_reap()) {
                return false;
            }
            continue;
        }
        frames++;
        (void)hv_ring_front_push(&nf.tx);
        events += hv_evtchn_send(nf.info.port) == 0;
    }
    if (!nf_drain_tx(10000)) {
        return false;
    }
    hv_printf(NF ": life %lu: transmit flood over: %lu frames, %lu sent, %lu "
                 "dropped, %lu times full, %lu events\n",
              (unsigned long)nf.lives, (unsigned long)frames,
              (unsigned long)nf.tx_ok, (unsigned long)nf.tx_drop,
              (unsigned long)full, (unsigned long)events);
    if (nf.tx_ok + nf.tx_drop != frames || frames == 0) {
        ns_fail(NF, "the flood's frames were not all answered");
        return false;
    }
    return true;
}

/* Every index and byte of the rings rewritten at random, with events
 * between, for @ms. */
static void nf_storm(uint32_t ms)
{
    uint64_t end = hv_clock_read() + ms * NS_MS;
    volatile uint8_t *tx = (volatile uint8_t *)&nf.page->tx;
    volatile uint8_t *rx = (volatile uint8_t *)&nf.page->rx;
    uint32_t rewrites = 0;

    hv_printf(NF ": life %lu: breaking the rings: an index storm for %lu "
                 "ms\n",
              (unsigned long)nf.lives, (unsigned long)ms);
    while (hv_clock_read() < end) {
        for (uint32_t i = 0; i < 64; i++) {
            uint32_t r = ns_rand();
            hv_ring_store(&nf.page->tx.hdr.req_prod, ns_rand());
            hv_ring_store(&nf.page->rx.hdr.req_prod, ns_rand());
            tx[64 + r % (HV_NETIF_RING_SLOTS * 4)] = (uint8_t)(r >> 8);
            rx[64 + (r >> 16) % (HV_NETIF_RING_SLOTS * 4)] = (uint8_t)r;
            nf_notify();
            rewrites++;
        }
    }
    hv_printf(NF ": life %lu: storm over: %lu rewrites\n",
              (unsigned long)nf.lives, (unsigned long)rewrites);
}

/* Floods the backend with @flood events, leaves @wait_ms later (time to
 * find a broken ring before we go), then ends every grant of the life:
 * the backend must have unmapped them all. */
static void nf_close(uint32_t flood, uint32_t wait_ms)
{
    uint32_t sent = ns_flood(nf.info.port, flood);
    uint32_t ended = 0;

    ns_sleep_ms(wait_ms);
    hv_printf(NF ": life %lu: %lu of %lu events sent, closing\n",
              (unsigned long)nf.lives, (unsigned long)sent,
              (unsigned long)flood);
    if (hv_conn_set_state(nf.info.id, HV_CONN_CLOSING, 0) != 0 ||
        hv_conn_set_state(nf.info.id, HV_CONN_DOWN, 0) != 0) {
        ns_fail(NF, "cannot close");
        return;
    }
    uint64_t end = hv_clock_read() + 10000 * NS_MS;
    for (uint32_t i = 0; i < nf.nrefs; i++) {
        int32_t rc;
        while ((rc = hv_grant_end((uint32_t)nf.refs[i])) == -HV_EBUSY &&
               hv_clock_read() < end) {
            ns_sleep_ms(20);
        }
        ended += rc == 0;
    }
    hv_printf(NF ": life %lu: %lu of %lu grants ended\n",
              (unsigned long)nf.lives, (unsigned long)ended,
              (unsigned long)nf.nrefs);
    if (ended != nf.nrefs) {
        /* The pages may still be mapped: not ours to reuse. */
        ns_fail(NF, "the backend still maps a page we left");
    }
}

/* Lives 2-3: a header the backend cannot map: it must refuse the page
 * (stay INIT, never READY) and map nothing of it in the end. */
static void nf_life_refused(uint32_t how)
{
    if (nf_open(how, 0, 2000, 0)) {
        ns_fail(NF, "the backend served a page whose buffers it cannot map");
    } else if (!ns_failed) {
        if (nf.info.peer_state == HV_CONN_READY ||
            nf.info.peer_state == HV_CONN_CONNECTED) {
            ns_fail(NF, "the backend went READY on a page it cannot map");
        }
    }
    nf_close(0, 0);
}

/* Lives 4-8: an honest start, then an index broken (@how). */
static void nf_life_broken(uint32_t how, uint32_t storm_ms, uint32_t flood,
                           uint32_t wait_ms)
{
    if (!nf_open(0, 0, (uint32_t)(nf.wait_ns / NS_MS), 0) ||
        !nf_served("served before the break", 10000)) {
        return;
    }
    uint32_t tx_prod = nf.tx.req_prod, rx_prod = nf.rx.req_prod;
    switch (how) {
    case 4:
        hv_printf(NF ": life %lu: breaking the ring: tx req_prod %lu, 1000 "
                     "past rsp_prod + 32\n",
                  (unsigned long)nf.lives,
                  (unsigned long)(tx_prod + HV_NETIF_RING_SLOTS + 1000u));
        hv_ring_store(&nf.page->tx.hdr.req_prod,
                      tx_prod + HV_NETIF_RING_SLOTS + 1000u);
        break;
    case 5:
        hv_printf(NF ": life %lu: breaking the ring: tx req_prod back from "
                     "%lu to %lu\n",
                  (unsigned long)nf.lives, (unsigned long)tx_prod,
                  (unsigned long)(tx_prod - 4u));
        hv_ring_store(&nf.page->tx.hdr.req_prod, tx_prod - 4u);
        break;
    case 6:
    case 7: {
        uint32_t prod =
            how == 6 ? rx_prod + HV_NETIF_RING_SLOTS + 1000u : rx_prod - 8u;
        hv_printf(NF ": life %lu: breaking the ring: rx req_prod %s %lu to "
                     "%lu, then an ARP request\n",
                  (unsigned long)nf.lives,
                  how == 6 ? "1032 ahead, from" : "back from",
                  (unsigned long)rx_prod, (unsigned long)prod);
        hv_ring_store(&nf.page->rx.hdr.req_prod, prod);
        /* The backend reads the receive ring's index when a frame comes
         * for us (or when it re-arms): the gateway's answer comes. */
        uint8_t f[60];
        uint32_t n = ns_arp(f, 1, ns_broadcast, nf.mac, NF_IP,
                            (const uint8_t[6]){0}, NS_GATEWAY);
        if (nf_put_frame(f, n)) {
            nf_push();
        }
        break;
    }
    default:
        nf_storm(storm_ms);
        break;
    }
    nf_notify();
    nf_close(flood, wait_ms);
}

/*
 * Role "netfront_evil [peer_mac=M] [linux=ID] [backend_wait_s=S]
 * [flood_ms=T] [storm_ms=T] [flood=N] [wait_ms=T] [seed=S]": the frontend
 * of its network connection, nine lives, each on a fresh ring page (the
 * buffers are the same pages, granted again once the last life's grants
 * ended):
 *   1  honest: three malformed receive requests first in the ring; waits
 *      for a frame from M (the honest guest, default 02:48:56:00:00:01);
 *      the gateway answers ARP; eight malformed transmit requests (lengths
 *      past the MTU, the buffer, shorter than a header; buffers past the
 *      32); all answered EINVAL; served again; a transmit flood of T ms
 *      (1000) with an event per frame; served again
 *   2  an unknown grant reference in the header: never connected
 *   3  a read-only grant as a receive page: never connected
 *   4  tx req_prod 1000 past what the ring holds
 *   5  tx req_prod moved back
 *   6  rx req_prod 1000 past what the ring holds, then an ARP request
 *   7  rx req_prod moved back, then an ARP request
 *   8  an index storm of T ms (1000)
 *   9  honest, with HV_NETIF_F_TX_OFFLOAD and HV_NETIF_F_IP_ALIGN: served
 *      again; 27 requests in malformed chains (too long, the meta not
 *      first, a buffer twice, a bad flag, too short for the meta, a bad
 *      meta four ways) all answered EINVAL; served; a TSO frame with a
 *      garbage IP header, broadcast; served again
 * Lives 4-8 are served first, and after the break send N events (20000)
 * and leave T ms (1000) later. Each life's grants must end when it is
 * over. With linux=ID, the role then waits for that guest to stop.
 */
int net_role_front_evil(void);
int net_role_front_evil(void)
{
    char peer_mac[24] = "02:48:56:00:00:01";
    uint32_t flood_ms = ns_arg("flood_ms", 1000);
    uint32_t storm_ms = ns_arg("storm_ms", 1000);
    uint32_t flood = ns_arg("flood", 20000);
    uint32_t wait_ms = ns_arg("wait_ms", 1000);
    uint32_t linux_id = ns_arg("linux", 0);
    char text[18];

    ns_seed = ns_arg("seed", 1) | 1u;
    nf.wait_ns = ns_arg("backend_wait_s", 100) * 1000ull * NS_MS;
    hv_cmdline_get(hvtest_start_info()->cmdline, "peer_mac", peer_mac,
                   sizeof(peer_mac));
    ns_register();
    ns_pages_init();
    nf.tx_pages = ns_pages(HV_NETIF_BUF_PAGES);
    nf.rx_pages = ns_pages(HV_NETIF_BUF_PAGES);
    nf.ring_pages = ns_pages(NF_LIVES);
    if (!nf.tx_pages || !nf.rx_pages || !nf.ring_pages) {
        hv_puts(NF ": too little memory (memory-size)\n");
        return HVTEST_ERROR;
    }
    if (!ns_parse_mac(peer_mac, nf.peer_mac)) {
        hv_puts(NF ": peer_mac= is not a MAC address\n");
        return HVTEST_ERROR;
    }
    if (!ns_find(HV_CONN_FRONTEND, &nf.index, &nf.info) ||
        !ns_parse_mac(nf.info.device, nf.mac)) {
        hv_puts(NF ": no network connection of which this guest is the "
                   "frontend, with a MAC address\n");
        return HVTEST_ERROR;
    }
    ns_mac_text(nf.mac, text);
    hv_printf(NF ": the frontend of network connection %lu, backend guest "
                 "%lu, MAC %s\n",
              (unsigned long)nf.info.id, (unsigned long)nf.info.peer_id, text);

    uint32_t broken = 0, refused = 0, served = 0;
    /* Life 1: honest, with malformed requests among the honest ones. */
    if (nf_open(0, 3, (uint32_t)(nf.wait_ns / NS_MS), 0) && nf_wait_peer(100)) {
        hv_printf(NF ": life 1: %lu bad receive requests answered EINVAL\n",
                  (unsigned long)nf.rx_einval);
        if (nf.rx_einval != 3) {
            ns_fail(NF, "not every bad receive request was refused");
        }
        if (!ns_failed && nf_served("before the bad requests", 10000) &&
            nf_bad_tx() && nf_served("after the bad requests", 10000) &&
            nf_txflood(flood_ms) &&
            nf_served("after the transmit flood", 10000)) {
            served++;
        }
    }
    if (!ns_failed) {
        nf_close(0, 0);
    }
    for (uint32_t life = 2; life <= 3 && !ns_failed; life++) {
        nf_life_refused(life - 1);
        refused++;
    }
    for (uint32_t life = 4; life <= 8 && !ns_failed; life++) {
        nf_life_broken(life, storm_ms, flood, wait_ms);
        broken++;
    }
    if (!ns_failed &&
        nf_open(0, 0, (uint32_t)(nf.wait_ns / NS_MS),
                HV_NETIF_F_TX_OFFLOAD | HV_NETIF_F_IP_ALIGN) &&
        nf_served("served again on a fresh page after 7 bad ones", 10000) &&
        nf_bad_chains() && nf_served("after the bad chains", 10000) &&
        nf_garbage_tso() && nf_served("after the garbage TSO frame", 10000)) {
        served++;
        nf_close(0, 0);
    }
    hv_printf(NF ": %lu lives: %lu served, %lu pages refused, %lu rings "
                 "broken\n",
              (unsigned long)nf.lives, (unsigned long)served,
              (unsigned long)refused, (unsigned long)broken);
    hv_printf(NF ": attached by the backend %lu times\n",
              (unsigned long)nf.connected);
    if (linux_id != 0) {
        if (ns_wait_gone(linux_id, 110)) {
            hv_printf(NF ": waited for 1 guest to stop (guest %lu)\n",
                      (unsigned long)linux_id);
        } else {
            ns_fail(NF, "the Linux guest did not stop");
        }
    }
    hv_puts(ns_failed ? "hvtest: role.netfront_evil: FAILURE\n"
                      : "hvtest: role.netfront_evil: SUCCESS\n");
    return ns_failed ? HVTEST_FAILURE : HVTEST_SUCCESS;
}

/* --- The hostile backend ---------------------------------------------------
 */

#define NB "netback_evil"
#define NB_TRIGGER 0x0a000263u /* 10.0.2.99: "break now" */
/* The payload byte of the script's pings after the report (ping -p 5a):
 * a frontend that called the ring broken must not put them in a buffer. */
#define NB_MARK 0x5au
#define NB_MARK_RUN 64u

static const uint8_t nb_gw_mac[6] = {0x52, 0x55, 0x0a, 0x00, 0x02, 0x02};

struct nb_state {
    struct hv_conn_info info;
    volatile struct hv_netif_page *page;
    struct hv_netif_header hdr; /* our copy */
    struct hv_ring_back tx, rx;
    uint32_t frames, arps, pings, no_buffer;
    bool trigger;
};

static struct nb_state nb;

/* Copies @len bytes between buffer @buf of the frontend (@rx: a receive
 * buffer, written), from its byte @at, and @local. */
static bool nb_copy(bool rx, uint32_t buf, uint32_t at, void *local,
                    uint32_t len)
{
    const uint32_t *refs = rx ? nb.hdr.rx_gref : nb.hdr.tx_gref;
    struct hv_grant_copy op = {
        nb.info.peer_id,
        refs[hv_netif_buf_page(buf)],
        hv_netif_buf_offset(buf) + at,
        len,
        (uint32_t)(uintptr_t)local,
        rx ? HV_GRANT_COPY_TO_GRANT : 0,
    };
    uint32_t done = 0;

    return hv_grant_copy(&op, 1, &done) == 0 && done == 1;
}

/* A frame for the guest: into the next receive buffer it offered. */
static bool nb_deliver(const uint8_t *f, uint32_t len)
{
    struct hv_netif_rx_request req;
    struct hv_netif_rx_response rsp = {0, 0, HV_NETIF_OK};

    if (hv_netif_rx_get_request(&nb.rx, &req) != 0) {
        nb.no_buffer++;
        return false;
    }
    rsp.buf = req.buf;
    if (hv_netif_check_rx_request(&req, 0) != HV_NETIF_OK ||
        !nb_copy(true, req.buf, hv_netif_rx_frame_start(nb.hdr.features),
                 (void *)(uintptr_t)f, len)) {
        ns_fail(NB, "the frontend offered a receive buffer we cannot fill");
        rsp.status = HV_NETIF_EINVAL;
    } else {
        rsp.len = (uint16_t)len;
    }
    (void)hv_netif_rx_put_response(&nb.rx, &rsp);
    if (hv_ring_back_push(&nb.rx)) {
        (void)hv_evtchn_send(nb.info.port);
    }
    return rsp.status == HV_NETIF_OK;
}

/* Answers what the guest sent, as the gateway would: ARP for 10.0.2.2,
 * pings of it. An ARP request for 10.0.2.99 is the signal to break. */
static void nb_answer(uint8_t *f, uint32_t len)
{
    uint8_t out[HV_NETIF_FRAME_MAX];

    if (ns_arp_op(f, len) == 1) {
        uint32_t tpa = ns_get32(f + 38);
        if (tpa == NB_TRIGGER) {
            nb.trigger = true;
            return;
        }
        if (tpa == NS_GATEWAY) {
            uint32_t n = ns_arp(out, 2, f + 6, nb_gw_mac, NS_GATEWAY, f + 22,
                                ns_get32(f + 28));
            if (nb_deliver(out, n) && nb.arps++ == 0) {
                hv_puts(NB ": answered the guest's ARP request for "
                           "10.0.2.2\n");
            }
        }
        return;
    }
    /* An ICMP echo request to 10.0.2.2: the same back, as a reply. */
    uint32_t ihl = (f[14] & 15u) * 4u;
    if (len < 14 + 20 || ns_get16(f + 12) != NS_ETH_IP || f[14] >> 4 != 4 ||
        ihl < 20 || f[23] != 1 || ns_get32(f + 30) != NS_GATEWAY ||
        14 + ihl + 8 > len || f[14 + ihl] != 8) {
        return;
    }
    uint32_t total = ns_get16(f + 16);
    if (total < ihl + 8 || 14 + total > len) {
        return;
    }
    memcpy(out, f + 6, 6);
    memcpy(out + 6, nb_gw_mac, 6);
    memcpy(out + 12, f + 12, 14 + total - 12);
    memcpy(out + 26, f + 30, 4);
    memcpy(out + 30, f + 26, 4);
    out[14 + ihl] = 0;
    ns_put16(out + 14 + ihl + 2, 0);
    ns_put16(out + 14 + ihl + 2, ns_csum(out + 14 + ihl, total - ihl));
    if (nb_deliver(out, 14 + total)) {
        nb.pings++;
        hv_printf(NB ": answered ping %lu of the guest (seq %lu)\n",
                  (unsigned long)nb.pings,
                  (unsigned long)ns_get16(f + 14 + ihl + 6));
    }
}

/* Serves the transmit ring: every request copied out, checked, answered
 * once its frame is whole (a chain, with the frontend's features); a
 * frame in one buffer without meta answered in turn (ARP, pings: what
 * the gateway answers). False if the frontend broke the ring. */
static bool nb_serve_tx(void)
{
    static struct hv_netif_tx_request chain[HV_NETIF_TX_CHAIN_MAX];
    static struct hv_netif_tx_chain c;
    static uint8_t f[HV_NETIF_FRAME_MAX];

    for (;;) {
        struct hv_netif_tx_request *req = &chain[c.n];
        int32_t rc = hv_netif_tx_get_request(&nb.tx, req);
        if (rc == -HV_EAGAIN) {
            break;
        }
        if (rc != 0) {
            ns_fail(NB, "the frontend broke its transmit ring");
            return false;
        }
        rc = hv_netif_tx_chain_add(&c, req, nb.hdr.features, 0);
        if (rc == HV_NETIF_OK) {
            continue;
        }
        uint32_t n = rc == HV_NETIF_TX_FRAME ? c.n : c.n + 1;
        bool whole = c.n == 1 && !c.meta && rc == HV_NETIF_TX_FRAME;
        if (rc != HV_NETIF_TX_FRAME ||
            (whole && !nb_copy(false, chain[0].buf,
                               hv_netif_tx_frame_start(nb.hdr.features, 0), f,
                               c.bytes))) {
            ns_fail(NB, "the frontend sent a malformed transmit request");
        }
        for (uint32_t i = 0; i < n; i++) {
            struct hv_netif_tx_response rsp = {
                chain[i].buf,
                rc == HV_NETIF_TX_FRAME ? HV_NETIF_OK : HV_NETIF_EINVAL};
            (void)hv_netif_tx_put_response(&nb.tx, &rsp);
        }
        if (rc == HV_NETIF_TX_FRAME) {
            nb.frames++;
            if (whole) {
                nb_answer(f, c.bytes);
            }
        }
        memset(&c, 0, sizeof(c));
    }
    if (hv_ring_back_push(&nb.tx)) {
        (void)hv_evtchn_send(nb.info.port);
    }
    return true;
}

/*
 * Looks for a run of the script's after-report payload in every transmit
 * buffer: 1 found, 0 not, -1 the buffers cannot be read (the guest has
 * stopped: its grants ended).
 */
static int nb_mark_scan(void)
{
    static uint8_t page[NS_PAGE];

    for (uint32_t p = 0; p < HV_NETIF_BUF_PAGES; p++) {
        struct hv_grant_copy op = {
            nb.info.peer_id, nb.hdr.tx_gref[p],         0,
            NS_PAGE,         (uint32_t)(uintptr_t)page, 0};
        uint32_t done = 0, run = 0;
        if (hv_grant_copy(&op, 1, &done) != 0 || done != 1) {
            return -1;
        }
        for (uint32_t i = 0; i < NS_PAGE; i++) {
            run = page[i] == NB_MARK ? run + 1 : 0;
            if (run == NB_MARK_RUN) {
                hv_printf(NB ": FOUND the after-report payload in transmit "
                             "buffer %lu\n",
                          (unsigned long)(p * 2 + i / HV_NETIF_BUF_SIZE));
                return 1;
            }
        }
    }
    return 0;
}

/* Breaks the ring the way @evil says. */
static bool nb_break(const char *evil)
{
    uint32_t tx_rsp = nb.tx.rsp_prod, rx_rsp = nb.rx.rsp_prod;
    struct hv_netif_rx_request req;

    if (strcmp(evil, "rx_len") == 0 || strcmp(evil, "rx_id") == 0) {
        /* A receive buffer it offered, answered with a lie. */
        if (hv_netif_rx_get_request(&nb.rx, &req) != 0) {
            ns_fail(NB, "no receive buffer offered to break the ring with");
            return false;
        }
        struct hv_netif_rx_response rsp = {req.buf, 4000, HV_NETIF_OK};
        if (evil[3] == 'i') {
            rsp.buf = 45;
            rsp.len = 60;
            hv_printf(NB ": breaking the ring: an rx response for buffer 45, "
                         "past the 32 (offered: %u)\n",
                      req.buf);
        } else {
            hv_printf(NB ": breaking the ring: an rx response for buffer %u, "
                         "length 4000, past the buffer\n",
                      req.buf);
        }
        (void)hv_netif_rx_put_response(&nb.rx, &rsp);
        (void)hv_ring_back_push(&nb.rx);
    } else if (strcmp(evil, "rsp_far") == 0) {
        hv_printf(NB ": breaking the ring: rx rsp_prod %lu, 1000 past the "
                     "requests (from %lu)\n",
                  (unsigned long)(nb.rx.req_prod + 1000u),
                  (unsigned long)rx_rsp);
        hv_ring_store(&nb.page->rx.hdr.rsp_prod, nb.rx.req_prod + 1000u);
    } else if (strcmp(evil, "tx_back") == 0) {
        /* After the frontend read the last one (it polls on our event). */
        ns_sleep_ms(500);
        hv_printf(NB ": breaking the ring: tx rsp_prod back from %lu to %lu\n",
                  (unsigned long)tx_rsp, (unsigned long)(tx_rsp - 4u));
        hv_ring_store(&nb.page->tx.hdr.rsp_prod, tx_rsp - 4u);
    } else {
        /* Random bytes in every response slot, and as many responses
         * published as there are buffers offered (up to 8): a valid
         * index over garbage. */
        volatile uint8_t *slots = (volatile uint8_t *)nb.page->rx.rsp;
        uint32_t offered = nb.rx.req_prod - nb.rx.rsp_prod;
        uint32_t n = offered < 8 ? offered : 8;
        for (uint32_t i = 0; i < sizeof(nb.page->rx.rsp); i++) {
            slots[i] = (uint8_t)ns_rand();
        }
        hv_ring_mb();
        hv_printf(NB ": breaking the ring: %lu rx responses of random bytes\n",
                  (unsigned long)n);
        if (n == 0) {
            ns_fail(NB, "no receive buffer offered to break the ring with");
            return false;
        }
        hv_ring_store(&nb.page->rx.hdr.rsp_prod, rx_rsp + n);
    }
    return true;
}

/*
 * Role "netback_evil evil=rx_len|rx_id|rsp_far|tx_back|garbage [flood=N]
 * [seed=S] [frontend_wait_s=S]": the backend of its network connection
 * (tests/linux/tests/net_hostile.sh is the frontend's side), which maps
 * the ring page and copies frames through the buffers (HV_OP_GRANT_COPY).
 * Honest until the guest asks for 10.0.2.99's MAC address: it answers
 * ARP requests for 10.0.2.2 and pings of it. Then it breaks the ring:
 *   rx_len   an rx response of length 4000 for a buffer offered
 *   rx_id    an rx response for buffer 45
 *   rsp_far  rx rsp_prod 1000 past the requests
 *   tx_back  tx rsp_prod moved back by 4
 *   garbage  rx responses of random bytes, under a valid rsp_prod
 * sends N events (20000), waits 1 s for the frontend to find it, then
 * storms until the frontend's guest stops: both rsp_prods and the
 * response slots rewritten at random, events between. At the end it
 * looks for the script's after-report pings in the transmit buffers.
 */
int net_role_back_evil(void);
int net_role_back_evil(void)
{
    char evil[16] = "";
    uint32_t flood = ns_arg("flood", 20000);
    uint64_t wait_ns = ns_arg("frontend_wait_s", 100) * 1000ull * NS_MS;
    uint32_t index, peer_state;

    ns_seed = ns_arg("seed", 1) | 1u;
    hv_cmdline_get(hvtest_start_info()->cmdline, "evil", evil, sizeof(evil));
    if (strcmp(evil, "rx_len") != 0 && strcmp(evil, "rx_id") != 0 &&
        strcmp(evil, "rsp_far") != 0 && strcmp(evil, "tx_back") != 0 &&
        strcmp(evil, "garbage") != 0) {
        hv_puts(NB ": evil= must be rx_len, rx_id, rsp_far, tx_back or "
                   "garbage\n");
        return HVTEST_ERROR;
    }
    ns_register();
    ns_pages_init();
    uint8_t *slot = ns_pages(1);
    if (!slot) {
        hv_puts(NB ": too little memory (memory-size)\n");
        return HVTEST_ERROR;
    }
    if (!ns_find(HV_CONN_BACKEND, &index, &nb.info)) {
        hv_puts(NB ": no network connection of which this guest is the "
                   "backend\n");
        return HVTEST_ERROR;
    }
    hv_printf(NB ": the backend of network connection %lu ('%s') of guest "
                 "%lu\n",
              (unsigned long)nb.info.id, nb.info.device,
              (unsigned long)nb.info.peer_id);
    if (hv_conn_set_state(nb.info.id, HV_CONN_INIT, &peer_state) != 0) {
        hv_puts(NB ": cannot go INIT\n");
        return HVTEST_ERROR;
    }
    uint64_t end = hv_clock_read() + wait_ns;
    for (;;) {
        if (hv_conn_query(index, &nb.info) != 0) {
            return HVTEST_ERROR;
        }
        if (nb.info.ring_ref != HV_CONN_NO_RING &&
            (nb.info.peer_state == HV_CONN_READY ||
             nb.info.peer_state == HV_CONN_CONNECTED)) {
            break;
        }
        if (hv_clock_read() > end) {
            hv_puts(NB ": FAIL the frontend never published its page\n");
            return HVTEST_FAILURE;
        }
        ns_block_until(hv_clock_read() + 1000 * NS_MS);
    }
    uint32_t pte = ns_pte_of(slot);
    struct hv_mmu_update u = {pte, 0};
    uint32_t done;
    if (hv_mmu_update(&u, 1, &done) != 0 ||
        hv_mmu_tlb(HV_TLB_FLUSH_VA, (uint32_t)(uintptr_t)slot) != 0 ||
        hv_grant_map(nb.info.peer_id, nb.info.ring_ref, pte, NS_ATTR_RW) != 0) {
        hv_puts(NB ": cannot map the page\n");
        return HVTEST_ERROR;
    }
    nb.page = (volatile struct hv_netif_page *)slot;
    hv_ring_copy_in(&nb.hdr, &nb.page->hdr, sizeof(nb.hdr));
    if (hv_netif_check_header(&nb.hdr) != HV_NETIF_OK ||
        hv_netif_tx_back_attach(
            &nb.tx, (struct hv_netif_tx_sring *)&nb.page->tx) != 0 ||
        hv_netif_rx_back_attach(
            &nb.rx, (struct hv_netif_rx_sring *)&nb.page->rx) != 0) {
        hv_puts(NB ": cannot attach\n");
        return HVTEST_ERROR;
    }
    /* Before READY: the frontend's "connected" line comes after it. */
    hv_printf(NB ": attached to guest %lu's page %lu\n",
              (unsigned long)nb.info.peer_id, (unsigned long)nb.info.ring_ref);
    if (hv_conn_set_state(nb.info.id, HV_CONN_READY, &peer_state) != 0 ||
        hv_conn_set_state(nb.info.id, HV_CONN_CONNECTED, &peer_state) != 0) {
        hv_puts(NB ": cannot go READY, CONNECTED\n");
        return HVTEST_ERROR;
    }

    /* Honest until the signal. */
    end = hv_clock_read() + wait_ns;
    while (!nb.trigger) {
        if (!nb_serve_tx()) {
            return HVTEST_FAILURE;
        }
        if (nb.trigger) {
            break;
        }
        if (hv_ring_back_final_check(&nb.tx) != 0) {
            continue;
        }
        if (hv_clock_read() > end) {
            ns_fail(NB, "the signal to break never came");
            return HVTEST_FAILURE;
        }
        ns_block_until(hv_clock_read() + 1000 * NS_MS);
    }
    hv_printf(NB ": the guest asked for 10.0.2.99: break now (%lu frames, %lu "
                 "ARP requests and %lu pings answered, %lu frames without a "
                 "buffer)\n",
              (unsigned long)nb.frames, (unsigned long)nb.arps,
              (unsigned long)nb.pings, (unsigned long)nb.no_buffer);
    if (!nb_break(evil)) {
        return HVTEST_FAILURE;
    }
    uint32_t sent = ns_flood(nb.info.port, flood);
    hv_printf(NB ": %lu of %lu events sent\n", (unsigned long)sent,
              (unsigned long)flood);
    ns_sleep_ms(1000);

    /* The storm lasts as long as the frontend's guest: its kernel carries
     * on under it, to the end of its test. */
    volatile uint8_t *tx_rsp = (volatile uint8_t *)nb.page->tx.rsp;
    volatile uint8_t *rx_rsp = (volatile uint8_t *)nb.page->rx.rsp;
    uint64_t give_up = hv_clock_read() + 110000 * NS_MS, next_look = 0;
    uint64_t next_scan = 0;
    uint32_t rewrites = 0, scans = 0;
    bool gone = false, found = false;
    sent = 0;
    while (!gone) {
        for (uint32_t i = 0; i < 64; i++) {
            uint32_t r = ns_rand();
            hv_ring_store(&nb.page->tx.hdr.rsp_prod, ns_rand());
            hv_ring_store(&nb.page->rx.hdr.rsp_prod, ns_rand());
            tx_rsp[r % sizeof(nb.page->tx.rsp)] = (uint8_t)(r >> 8);
            rx_rsp[(r >> 16) % sizeof(nb.page->rx.rsp)] = (uint8_t)r;
            sent += hv_evtchn_send(nb.info.port) == 0;
            rewrites++;
        }
        uint64_t now = hv_clock_read();
        if (now >= next_look) {
            next_look = now + 20 * NS_MS;
            gone = ns_guest_gone(nb.info.peer_id);
            if (!gone && now > give_up) {
                ns_fail(NB, "the frontend's guest did not stop");
                break;
            }
        }
        /* While the guest runs (its grants live), a look at what it put
         * in its transmit buffers every 200 ms. */
        if (!gone && !found && now >= next_scan) {
            int r = nb_mark_scan();
            next_scan = now + 200 * NS_MS;
            scans += r == 0;
            found = r == 1;
        }
    }
    hv_printf(NB ": guest %lu stopped, the storm made %lu rewrites and %lu "
                 "events\n",
              (unsigned long)nb.info.peer_id, (unsigned long)rewrites,
              (unsigned long)sent);
    if (found) {
        ns_failed = true;
    } else {
        hv_printf(NB ": the frontend put nothing in its transmit buffers "
                     "after its report (%lu looks)\n",
                  (unsigned long)scans);
        if (scans == 0) {
            ns_fail(NB, "the transmit buffers were never looked at");
        }
    }
    if (hv_grant_unmap(pte) != 0) {
        ns_fail(NB, "cannot unmap the page");
    }
    hv_puts(ns_failed ? "hvtest: role.netback_evil: FAILURE\n"
                      : "hvtest: role.netback_evil: SUCCESS\n");
    return ns_failed ? HVTEST_FAILURE : HVTEST_SUCCESS;
}
