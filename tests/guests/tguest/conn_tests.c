// SPDX-License-Identifier: MIT
/*
 * Device connections on the real monitor (<hvabi/conn.h>) carrying the
 * block protocol (<hvabi/io/ring.h>, <hvabi/io/blkif.h>): the tests here
 * are the frontend, the role "blkback" the backend, serving a RAM disk
 * (tests/systems/conn-block.dts).
 *
 * The frontend goes INIT, grants its ring page to the backend, publishes
 * it, goes READY and waits (without error) until the backend is READY,
 * then CONNECTED. Data frames are granted per frame; the backend maps
 * the ring (HV_OP_GRANT_MAP) and copies data with HV_OP_GRANT_COPY.
 *
 * The RAM disk starts as a pattern of (sector, byte) in every life of the
 * backend, so reads are checkable across its restarts.
 */
#include <hvabi/guest.h>
#include <hvabi/io/blkif.h>
#include <hvabi/mmu.h>
#include <stdbool.h>
#include <string.h>

#include "hvtest.h"

#define CN_ATTR (HV_L2_SMALL | HV_L2_TEXCB(HV_TEXCB_NORMAL_WBWA) | HV_L2_NG)
#define CN_ATTR_RW (CN_ATTR | HV_L2_AP(HV_AP_RW))
#define CN_DISK_SECTORS 128u /* 64 KiB */
#define CN_FRAMES 8u
#define CN_TIMEOUT_NS 10000000000ull /* 10 s */

/*
 * How long the frontend waits for the backend to come, and for responses:
 * 10 s, or backend_wait_s=S from the command line (a Linux driver domain
 * boots, and boots again after a crash, before it serves).
 */
static uint64_t cn_timeout_ns(void)
{
    uint32_t s = 0;

    if (hv_cmdline_get_u32(hvtest_start_info()->cmdline, "backend_wait_s",
                           &s) &&
        s != 0) {
        return (uint64_t)s * 1000000000ull;
    }
    return CN_TIMEOUT_NS;
}

static uint8_t cn_ring_page[4096] __attribute__((aligned(4096)));
static uint8_t cn_frames[CN_FRAMES][4096] __attribute__((aligned(4096)));
static uint8_t cn_shared_page[4096] __attribute__((aligned(4096)));

static uint32_t cn_pa(const void *p)
{
    const struct hv_start_info *si = hvtest_start_info();
    return (uint32_t)(uintptr_t)p - si->mem_base + si->mem_phys;
}

/* The initial L2 entry of @va (<hvabi/start_info.h>). */
static uint32_t cn_pte_of(const void *va)
{
    const struct hv_start_info *si = hvtest_start_info();
    uint32_t index = ((uint32_t)(uintptr_t)va - si->mem_base) >> 12;
    return si->pt_l2_first + (index / 512) * 4096u + HV_MMU_L2_HW_OFFSET +
           (index % 512) * 4u;
}

static uint8_t cn_pattern(uint32_t sector, uint32_t byte)
{
    return (uint8_t)(sector * 7u + byte * 13u + 1u);
}

/* Events accumulate in the shared page; nobody takes upcalls. */
static volatile struct hv_vcpu_shared *cn_register(void)
{
    volatile struct hv_vcpu_shared *sh = (volatile void *)cn_shared_page;
    sh->events_masked = 1;
    if (hv_vcpu_register(cn_pa(cn_shared_page)) != 0) {
        hvtest_error("cannot register the shared page");
    }
    return sh;
}

static void cn_query(struct hv_conn_info *info)
{
    if (hv_conn_query(0, info) != 0) {
        hvtest_error("no connection");
    }
}

/* --- The frontend --------------------------------------------------------- */

struct cn_front {
    struct hv_conn_info info;
    struct hv_blkif_sring *sring;
    struct hv_ring_front ring;
    struct hv_ring_ids ids;
    uint8_t ops[HV_BLKIF_RING_SIZE];
    int32_t status[HV_BLKIF_RING_SIZE];
    uint32_t answered[HV_BLKIF_RING_SIZE]; /* responses per id */
    uint32_t frame_ref[CN_FRAMES];
    uint32_t backend_downs; /* times it saw the backend DOWN */
    volatile struct hv_vcpu_shared *shared;
    struct hv_blkif_info dev; /* what the backend published */
};

static struct cn_front fe;

/* Sets up the ring and connects; waits for a late backend. */
static void cn_front_attach(void);

/* Sleeps @ms milliseconds on the virtual timer. */
static void cn_sleep_ms(volatile struct hv_vcpu_shared *sh, uint32_t ms)
{
    hv_timer_set(hv_clock_read() + (uint64_t)ms * 1000000u);
    while (!(sh->events_pending & HV_EVENT_TIMER)) {
        hv_block();
    }
    __atomic_fetch_and(&sh->events_pending, ~HV_EVENT_TIMER, __ATOMIC_SEQ_CST);
}

/*
 * Registers, waits front_delay_ms=T if given, connects; then waits
 * connected_delay_ms=C if given (so that its I/O comes while another
 * frontend of the same backend is busy being hostile).
 */
static void cn_front_connect(void)
{
    uint32_t delay_ms = 0, connected_ms = 0;
    const char *cmdline = hvtest_start_info()->cmdline;

    fe.shared = cn_register();
    hv_cmdline_get_u32(cmdline, "front_delay_ms", &delay_ms);
    if (delay_ms != 0) {
        cn_sleep_ms(fe.shared, delay_ms);
    }
    cn_front_attach();
    hv_cmdline_get_u32(cmdline, "connected_delay_ms", &connected_ms);
    if (connected_ms != 0) {
        cn_sleep_ms(fe.shared, connected_ms);
    }
}

/* From DOWN: a fresh ring, published; waits for the backend. */
static void cn_front_attach(void)
{
    uint32_t peer_state;

    cn_query(&fe.info);
    ASSERT_EQ(fe.info.role, HV_CONN_FRONTEND);
    ASSERT_EQ(fe.info.kind, HV_CONN_KIND_BLOCK);
    EXPECT_EQ(fe.info.sector_size, 512u);
    EXPECT_EQ(fe.info.state, HV_CONN_DOWN);
    EXPECT_EQ(fe.info.ring_ref, HV_CONN_NO_RING);
    EXPECT_EQ(fe.info.device[0], 0); /* the backend's business */
    ASSERT_EQ(hv_conn_set_state(fe.info.id, HV_CONN_READY, 0), -HV_EINVAL);
    ASSERT_EQ(hv_conn_set_state(fe.info.id, HV_CONN_INIT, &peer_state), 0);

    memset(cn_ring_page, 0, sizeof(cn_ring_page));
    fe.sring = (struct hv_blkif_sring *)cn_ring_page;
    ASSERT_EQ(hv_blkif_front_init(&fe.ring, fe.sring), 0);
    ASSERT_EQ(hv_ring_ids_init(&fe.ids, HV_BLKIF_RING_SIZE), 0);
    int32_t ref = hv_grant_access(cn_pa(cn_ring_page), fe.info.peer_id, 0);
    ASSERT_TRUE(ref >= 0);
    for (uint32_t i = 0; i < CN_FRAMES; i++) {
        int32_t r = hv_grant_access(cn_pa(cn_frames[i]), fe.info.peer_id, 0);
        ASSERT_TRUE(r >= 0);
        fe.frame_ref[i] = (uint32_t)r;
    }
    ASSERT_EQ(hv_conn_set_ring(fe.info.id, (uint32_t)ref), 0);
    ASSERT_EQ(hv_conn_set_state(fe.info.id, HV_CONN_READY, &peer_state), 0);
    cn_query(&fe.info);
    EXPECT_EQ(fe.info.ring_ref, (uint32_t)ref);
    ASSERT_TRUE(fe.info.port != 0);

    /* A late backend is normal: wait for it, quietly, blocked until its
     * state changes raise our port (a timer in case they never do). */
    uint64_t start = hv_clock_read();
    uint32_t port_events = 0;
    int32_t rc;
    while ((rc = hv_conn_set_state(fe.info.id, HV_CONN_CONNECTED,
                                   &peer_state)) == -HV_EAGAIN) {
        if (hv_clock_read() - start > cn_timeout_ns()) {
            hvtest_error("the backend never came");
        }
        hv_timer_set(hv_clock_read() + 1000000000ull);
        while (fe.shared->events_pending == 0) {
            hv_block();
        }
        uint32_t ev = __atomic_exchange_n(&fe.shared->events_pending, 0,
                                          __ATOMIC_SEQ_CST);
        if (ev & (1u << fe.info.port)) {
            port_events++;
        }
    }
    hv_timer_set(0);
    ASSERT_EQ(rc, 0);
    /* What the backend offers: checked like anything from the peer. */
    cn_query(&fe.info);
    ASSERT_EQ(fe.info.backend_info_len, sizeof(fe.dev));
    memcpy(&fe.dev, fe.info.backend_info, sizeof(fe.dev));
    ASSERT_EQ(hv_blkif_check_info(&fe.dev), HV_BLKIF_OK);
    EXPECT_EQ(fe.dev.sector_size, fe.info.sector_size);
    hv_printf("frontend: connected after %lu events from the backend, "
              "backend %s\n",
              (unsigned long)port_events,
              peer_state == HV_CONN_CONNECTED ? "connected" : "ready");
}

static void cn_front_notify(void)
{
    int32_t rc = hv_evtchn_send(fe.info.port);
    /* EINVAL while the backend is down: it reads the ring when back. */
    if (rc != 0 && rc != -HV_EINVAL) {
        EXPECT_EQ(rc, 0);
    }
}

/* Queues one request on frame @frame; returns its id. */
static uint32_t cn_front_put(uint8_t op, uint64_t sector, uint32_t frame,
                             uint32_t bytes)
{
    struct hv_blkif_request req;
    int32_t id = hv_ring_id_alloc(&fe.ids);

    ASSERT_TRUE(id >= 0);
    memset(&req, 0, sizeof(req));
    req.id = (uint32_t)id;
    req.operation = op;
    req.sector = sector;
    req.nr_sectors = bytes / HV_BLKIF_SECTOR_SIZE;
    req.nr_segments = 1;
    req.seg[0].gref = fe.frame_ref[frame];
    req.seg[0].offset = 0;
    req.seg[0].length = (uint16_t)bytes;
    fe.ops[id] = op;
    fe.status[id] = 1; /* not answered */
    ASSERT_EQ(hv_blkif_put_request(&fe.ring, &req), 0);
    return (uint32_t)id;
}

static void cn_front_push(void)
{
    if (hv_ring_front_push(&fe.ring)) {
        cn_front_notify();
    }
}

/* Takes responses until @count have come; every one checked. */
static void cn_front_collect(uint32_t count)
{
    uint64_t start = hv_clock_read();
    uint32_t got = 0;
    uint32_t last_attaches = fe.info.peer_attaches;
    bool down = false;

    while (got < count) {
        struct hv_blkif_response rsp;
        int32_t rc = hv_blkif_get_response(&fe.ring, &rsp);
        if (rc == 0) {
            int32_t ok = hv_blkif_check_response(&rsp, &fe.ids, fe.ops);
            ASSERT_EQ(ok, 0); /* outstanding, answered once */
            fe.status[rsp.id] = rsp.status;
            fe.answered[rsp.id]++;
            got++;
            continue;
        }
        ASSERT_EQ(rc, -HV_EAGAIN);
        if (hv_ring_front_final_check(&fe.ring) > 0) {
            continue;
        }
        if (hv_clock_read() - start > cn_timeout_ns()) {
            hvtest_error("responses missing");
        }
        /* The backend's state, for the record: its requests stay. */
        struct hv_conn_info now;
        cn_query(&now);
        if (now.peer_state == HV_CONN_DOWN && !down) {
            down = true;
            fe.backend_downs++;
            hv_printf("frontend: backend down, %lu requests wait in the "
                      "ring\n",
                      (unsigned long)(count - got));
        } else if (now.peer_state != HV_CONN_DOWN && down) {
            down = false;
        }
        if (now.peer_attaches != last_attaches) {
            last_attaches = now.peer_attaches;
            if (!down && fe.backend_downs == 0) {
                fe.backend_downs++; /* came and went between two looks */
            }
        }
        fe.info.peer_attaches = now.peer_attaches;
        hv_yield();
    }
}

static void cn_front_close(void)
{
    ASSERT_EQ(hv_conn_set_state(fe.info.id, HV_CONN_CLOSING, 0), 0);
    ASSERT_EQ(hv_conn_set_state(fe.info.id, HV_CONN_DOWN, 0), 0);
}

/* hvtest-system: own */
TEST(conn, block_roundtrip)
{
    uint32_t features = 0;
    ASSERT_EQ(hv_features(0, &features), 0);
    ASSERT_TRUE(features & (1u << HV_FEAT_CONN));
    cn_front_connect();

    /* Write 8 sectors, read them back into another frame. */
    for (uint32_t i = 0; i < 4096; i++) {
        cn_frames[0][i] = (uint8_t)(i * 31u + 5u);
    }
    memset(cn_frames[1], 0, 4096);
    uint32_t w = cn_front_put(HV_BLKIF_OP_WRITE, 16, 0, 4096);
    cn_front_push();
    cn_front_collect(1);
    EXPECT_EQ(fe.status[w], HV_BLKIF_OK);
    uint32_t r = cn_front_put(HV_BLKIF_OP_READ, 16, 1, 4096);
    cn_front_push();
    cn_front_collect(1);
    EXPECT_EQ(fe.status[r], HV_BLKIF_OK);
    EXPECT_EQ(memcmp(cn_frames[0], cn_frames[1], 4096), 0);

    /* Several in flight at once: untouched sectors hold the pattern. */
    uint32_t ids[4];
    for (uint32_t i = 0; i < 4; i++) {
        memset(cn_frames[2 + i], 0, 4096);
        ids[i] = cn_front_put(HV_BLKIF_OP_READ, 32 + 8 * i, 2 + i, 4096);
    }
    EXPECT_EQ(fe.dev.sectors, (uint64_t)CN_DISK_SECTORS);
    uint32_t bad = cn_front_put(HV_BLKIF_OP_READ, fe.dev.sectors - 4, 6,
                                4096); /* past the end */
    cn_front_push();
    cn_front_collect(5);
    for (uint32_t i = 0; i < 4; i++) {
        EXPECT_EQ(fe.status[ids[i]], HV_BLKIF_OK);
        for (uint32_t b = 0; b < 4096; b++) {
            uint32_t sector = 32 + 8 * i + b / 512;
            if (cn_frames[2 + i][b] != cn_pattern(sector, b % 512)) {
                EXPECT_EQ(cn_frames[2 + i][b], cn_pattern(sector, b % 512));
                break;
            }
        }
    }
    EXPECT_EQ(fe.status[bad], HV_BLKIF_EINVAL);
    cn_front_close();
    hv_puts("frontend: done\n");
}

/* One request of any shape, queued; returns its id. */
static uint32_t cn_front_put_req(struct hv_blkif_request *req)
{
    int32_t id = hv_ring_id_alloc(&fe.ids);

    ASSERT_TRUE(id >= 0);
    req->id = (uint32_t)id;
    fe.ops[id] = req->operation;
    fe.status[id] = 1; /* not answered */
    ASSERT_EQ(hv_blkif_put_request(&fe.ring, req), 0);
    return (uint32_t)id;
}

static uint32_t cn_front_put_op(uint8_t op, uint8_t flags, uint64_t sector,
                                uint32_t nr_sectors)
{
    struct hv_blkif_request req;

    memset(&req, 0, sizeof(req));
    req.operation = op;
    req.flags = flags;
    req.sector = sector;
    req.nr_sectors = nr_sectors;
    return cn_front_put_req(&req);
}

/* Issues one request and waits for its status. */
static int32_t cn_front_do(struct hv_blkif_request *req)
{
    uint32_t id = cn_front_put_req(req);

    cn_front_push();
    cn_front_collect(1);
    return fe.status[id];
}

static uint8_t cn_ops_pattern(uint32_t i)
{
    return (uint8_t)(i * 11u + 0x5au);
}

/*
 * conn.block_ops: every operation and the backend's refusals, against
 * whatever the backend offers (the RAM disk: none of flush, FUA,
 * discard; a Linux driver domain on an SD card: flush and discard).
 *   - a write of three segments at odd offsets of three frames, read back
 *     with one-frame reads: segments follow each other on the device;
 *   - FUA write, flush, discard: OK when offered (then read: the discarded
 *     range holds its old data or zeros), ENOTSUP when not;
 *   - two writes, a flush and a write in flight together: all OK, the
 *     data of all three writes read back;
 *   - refused without harm: a reserved field set (EINVAL), an unknown
 *     operation (ENOTSUP), a grant never made (EACCES), a read into a
 *     read-only grant (EACCES); the ring goes on serving.
 */
/* hvtest-system: own */
TEST(conn, block_ops)
{
    struct hv_blkif_request req;
    const uint32_t base = 48; /* sectors 48-79: the test's own */

    cn_front_connect();
    uint32_t features = fe.dev.features;
    hv_printf("frontend: backend offers%s%s%s%s\n",
              features & HV_BLKIF_F_READ_ONLY ? " read-only" : "",
              features & HV_BLKIF_F_FLUSH ? " flush" : "",
              features & HV_BLKIF_F_FUA ? " fua" : "",
              features & HV_BLKIF_F_DISCARD ? " discard" : "");
    ASSERT_TRUE(!(features & HV_BLKIF_F_READ_ONLY));
    ASSERT_TRUE(fe.dev.sectors >= base + 32);

    /* Three segments: frame 2 bytes 512-1535, frame 3 whole, frame 4
     * bytes 3584-4095: 11 sectors from sector base. */
    for (uint32_t f = 2; f <= 4; f++) {
        for (uint32_t i = 0; i < 4096; i++) {
            cn_frames[f][i] = cn_ops_pattern(f * 4096 + i);
        }
    }
    memset(&req, 0, sizeof(req));
    req.operation = HV_BLKIF_OP_WRITE;
    req.sector = base;
    req.nr_sectors = 11;
    req.nr_segments = 3;
    req.seg[0] = (struct hv_blkif_segment){fe.frame_ref[2], 512, 1024};
    req.seg[1] = (struct hv_blkif_segment){fe.frame_ref[3], 0, 4096};
    req.seg[2] = (struct hv_blkif_segment){fe.frame_ref[4], 3584, 512};
    ASSERT_EQ(cn_front_do(&req), HV_BLKIF_OK);
    memset(cn_frames[5], 0, 4096);
    memset(cn_frames[6], 0, 4096);
    uint32_t r0 = cn_front_put(HV_BLKIF_OP_READ, base, 5, 4096);
    uint32_t r1 = cn_front_put(HV_BLKIF_OP_READ, base + 8, 6, 4096);
    cn_front_push();
    cn_front_collect(2);
    EXPECT_EQ(fe.status[r0], HV_BLKIF_OK);
    EXPECT_EQ(fe.status[r1], HV_BLKIF_OK);
    uint32_t bad = 0;
    for (uint32_t i = 0; i < 11 * 512; i++) {
        uint8_t want;
        if (i < 1024) {
            want = cn_ops_pattern(2 * 4096 + 512 + i);
        } else if (i < 1024 + 4096) {
            want = cn_ops_pattern(3 * 4096 + i - 1024);
        } else {
            want = cn_ops_pattern(4 * 4096 + 3584 + i - 1024 - 4096);
        }
        uint8_t got = i < 4096 ? cn_frames[5][i] : cn_frames[6][i - 4096];
        bad += got != want;
    }
    EXPECT_EQ(bad, 0u);
    hv_printf("frontend: 3-segment write read back, %lu bytes differ\n",
              (unsigned long)bad);

    /* FUA, flush, discard. */
    uint32_t w = cn_front_put(HV_BLKIF_OP_WRITE, base + 16, 2, 4096);
    cn_front_push();
    cn_front_collect(1);
    EXPECT_EQ(fe.status[w], HV_BLKIF_OK);
    memset(&req, 0, sizeof(req));
    req.operation = HV_BLKIF_OP_WRITE;
    req.flags = HV_BLKIF_REQ_FUA;
    req.sector = base + 24;
    req.nr_sectors = 8;
    req.nr_segments = 1;
    req.seg[0] = (struct hv_blkif_segment){fe.frame_ref[3], 0, 4096};
    EXPECT_EQ(cn_front_do(&req),
              (features & HV_BLKIF_F_FUA) ? HV_BLKIF_OK : HV_BLKIF_ENOTSUP);
    memset(&req, 0, sizeof(req));
    req.operation = HV_BLKIF_OP_FLUSH;
    EXPECT_EQ(cn_front_do(&req),
              (features & HV_BLKIF_F_FLUSH) ? HV_BLKIF_OK : HV_BLKIF_ENOTSUP);
    memset(&req, 0, sizeof(req));
    req.operation = HV_BLKIF_OP_DISCARD;
    req.sector = base + 16;
    req.nr_sectors = 8;
    EXPECT_EQ(cn_front_do(&req),
              (features & HV_BLKIF_F_DISCARD) ? HV_BLKIF_OK : HV_BLKIF_ENOTSUP);
    memset(cn_frames[5], 0xee, 4096);
    uint32_t rd = cn_front_put(HV_BLKIF_OP_READ, base + 16, 5, 4096);
    cn_front_push();
    cn_front_collect(1);
    EXPECT_EQ(fe.status[rd], HV_BLKIF_OK);
    uint32_t zero = 0, old = 0;
    for (uint32_t i = 0; i < 4096; i++) {
        zero += cn_frames[5][i] == 0;
        old += cn_frames[5][i] == cn_frames[2][i];
    }
    /* Per sector: its old data or zeros. */
    for (uint32_t sct = 0; sct < 8; sct++) {
        bool all_zero = true, all_old = true;
        for (uint32_t b = 0; b < 512; b++) {
            all_zero &= cn_frames[5][sct * 512 + b] == 0;
            all_old &=
                cn_frames[5][sct * 512 + b] == cn_frames[2][sct * 512 + b];
        }
        EXPECT_TRUE(all_zero || all_old);
    }
    hv_printf("frontend: after the discard %lu bytes zero, %lu as written\n",
              (unsigned long)zero, (unsigned long)old);

    /* Two writes, a flush, a write, in flight together (the flush only
     * where offered: it is refused otherwise, which must not matter). */
    for (uint32_t i = 0; i < 4096; i++) {
        cn_frames[0][i] = cn_ops_pattern(i + 7);
        cn_frames[1][i] = cn_ops_pattern(i + 13);
        cn_frames[4][i] = cn_ops_pattern(i + 29);
    }
    uint32_t a = cn_front_put(HV_BLKIF_OP_WRITE, base, 0, 4096);
    uint32_t b2 = cn_front_put(HV_BLKIF_OP_WRITE, base + 8, 1, 4096);
    uint32_t fl = cn_front_put_op(HV_BLKIF_OP_FLUSH, 0, 0, 0);
    uint32_t c = cn_front_put(HV_BLKIF_OP_WRITE, base + 24, 4, 4096);
    cn_front_push();
    cn_front_collect(4);
    EXPECT_EQ(fe.status[a], HV_BLKIF_OK);
    EXPECT_EQ(fe.status[b2], HV_BLKIF_OK);
    EXPECT_EQ(fe.status[fl],
              (features & HV_BLKIF_F_FLUSH) ? HV_BLKIF_OK : HV_BLKIF_ENOTSUP);
    EXPECT_EQ(fe.status[c], HV_BLKIF_OK);
    const uint32_t back[3][2] = {{0, base}, {1, base + 8}, {4, base + 24}};
    for (uint32_t k = 0; k < 3; k++) {
        memset(cn_frames[5], 0, 4096);
        uint32_t id = cn_front_put(HV_BLKIF_OP_READ, back[k][1], 5, 4096);
        cn_front_push();
        cn_front_collect(1);
        EXPECT_EQ(fe.status[id], HV_BLKIF_OK);
        EXPECT_EQ(memcmp(cn_frames[5], cn_frames[back[k][0]], 4096), 0);
    }

    /* Refusals: each answered, nothing else happens. */
    memset(&req, 0, sizeof(req));
    req.operation = HV_BLKIF_OP_READ;
    req.reserved0 = 1;
    req.sector = base;
    req.nr_sectors = 1;
    req.nr_segments = 1;
    req.seg[0] = (struct hv_blkif_segment){fe.frame_ref[5], 0, 512};
    EXPECT_EQ(cn_front_do(&req), HV_BLKIF_EINVAL);
    memset(&req, 0, sizeof(req));
    req.operation = 9;
    EXPECT_EQ(cn_front_do(&req), HV_BLKIF_ENOTSUP);
    memset(&req, 0, sizeof(req));
    req.operation = HV_BLKIF_OP_READ;
    req.sector = base;
    req.nr_sectors = 1;
    req.nr_segments = 1;
    req.seg[0] = (struct hv_blkif_segment){100, 0, 512}; /* never granted */
    EXPECT_EQ(cn_front_do(&req), HV_BLKIF_EACCES);
    int32_t ro = hv_grant_access(cn_pa(cn_frames[7]), fe.info.peer_id,
                                 HV_GRANT_READONLY);
    ASSERT_TRUE(ro >= 0);
    memset(cn_frames[7], 0x77, 4096);
    req.seg[0] = (struct hv_blkif_segment){(uint32_t)ro, 0, 512};
    EXPECT_EQ(cn_front_do(&req), HV_BLKIF_EACCES);
    EXPECT_EQ(cn_frames[7][0], 0x77); /* a read-only grant stays as it was */
    /* ... and a write from it is fine: the backend only reads it. */
    req.operation = HV_BLKIF_OP_WRITE;
    req.sector = base + 31;
    EXPECT_EQ(cn_front_do(&req), HV_BLKIF_OK);
    memset(cn_frames[5], 0, 4096);
    uint32_t last = cn_front_put(HV_BLKIF_OP_READ, base + 24, 5, 4096);
    cn_front_push();
    cn_front_collect(1);
    EXPECT_EQ(fe.status[last], HV_BLKIF_OK);
    EXPECT_EQ(memcmp(cn_frames[5], cn_frames[4], 3584), 0);
    EXPECT_EQ(cn_frames[5][3584], 0x77);
    EXPECT_EQ(hv_grant_end((uint32_t)ro), 0);
    hv_puts("frontend: operations done\n");
    cn_front_close();
}

/*
 * conn.block_hostile_ring: a frontend that breaks its ring (req_prod far
 * past what the ring can hold) loses only its own connection: the
 * backend answers nothing more on it. After closing and connecting again
 * on a fresh ring it is served again. Run beside another frontend of the
 * same backend, which must not notice (linux.blkback_hostile_frontend).
 */
/* hvtest-system: own */
TEST(conn, block_hostile_ring)
{
    uint32_t wait_ms = 1500;

    cn_front_connect();
    memset(cn_frames[0], 0xaa, 4096);
    uint32_t r = cn_front_put(HV_BLKIF_OP_READ, 0, 0, 4096);
    cn_front_push();
    cn_front_collect(1);
    ASSERT_EQ(fe.status[r], HV_BLKIF_OK);

    /* Three requests, published with a req_prod 1000 past them. */
    for (uint32_t i = 0; i < 3; i++) {
        cn_front_put(HV_BLKIF_OP_READ, 8 * i, 1 + i, 4096);
    }
    uint32_t rsp_before = hv_ring_load(&fe.sring->hdr.rsp_prod);
    hv_ring_mb();
    hv_ring_store(&fe.sring->hdr.req_prod, fe.ring.req_prod_pvt + 1000);
    cn_front_notify();
    hv_printf("frontend: ring broken on purpose (req_prod %lu + 1000)\n",
              (unsigned long)fe.ring.req_prod_pvt);
    hv_cmdline_get_u32(hvtest_start_info()->cmdline, "hostile_wait_ms",
                       &wait_ms);
    cn_sleep_ms(fe.shared, wait_ms);
    EXPECT_EQ(hv_ring_load(&fe.sring->hdr.rsp_prod), rsp_before);
    hv_printf(
        "frontend: %lu responses on the broken ring after %lu ms\n",
        (unsigned long)(hv_ring_load(&fe.sring->hdr.rsp_prod) - rsp_before),
        (unsigned long)wait_ms);

    /* Close, connect again on a fresh ring: served. */
    cn_front_close();
    cn_front_attach();
    memset(cn_frames[0], 0xaa, 4096);
    r = cn_front_put(HV_BLKIF_OP_READ, 0, 0, 4096);
    cn_front_push();
    cn_front_collect(1);
    EXPECT_EQ(fe.status[r], HV_BLKIF_OK);
    EXPECT_TRUE(cn_frames[0][0] != 0xaa);
    hv_puts("frontend: served again on a fresh ring\n");
    cn_front_close();
}

/*
 * conn.block_backend_restart: the backend (crash=N) crashes on purpose
 * at its N-th request, after doing it and before answering; the monitor
 * restarts it; the new life attaches to the same ring and replays. 16
 * reads in flight (a full ring): every one answered exactly once, with
 * the right data.
 */
/* hvtest-system: own */
TEST(conn, block_backend_restart)
{
    enum { N = HV_BLKIF_RING_SIZE };
    uint32_t ids[N];

    cn_front_connect();
    for (uint32_t i = 0; i < N; i++) {
        uint32_t frame = i % CN_FRAMES;
        ids[i] = cn_front_put(HV_BLKIF_OP_READ, 8 * (i % 16), frame, 512);
    }
    cn_front_push();
    cn_front_collect(N);
    for (uint32_t i = 0; i < N; i++) {
        EXPECT_EQ(fe.status[ids[i]], HV_BLKIF_OK);
        EXPECT_EQ(fe.answered[ids[i]], 1u);
    }
    /* The last read of each frame is what it holds: check those. */
    for (uint32_t i = N - CN_FRAMES; i < N; i++) {
        uint32_t sector = 8 * (i % 16);
        for (uint32_t b = 0; b < 512; b++) {
            if (cn_frames[i % CN_FRAMES][b] != cn_pattern(sector, b)) {
                EXPECT_EQ(cn_frames[i % CN_FRAMES][b], cn_pattern(sector, b));
                break;
            }
        }
    }
    struct hv_conn_info now;
    cn_query(&now);
    EXPECT_EQ(now.peer_attaches, 2u);
    EXPECT_EQ(now.state, HV_CONN_CONNECTED);
    hv_printf("frontend: %d requests answered once each, backend attached "
              "%lu times\n",
              N, (unsigned long)now.peer_attaches);
    cn_front_close();
}

/*
 * conn.block_frontend_restart: the frontend (on-crash = "restart") writes
 * a pattern of its own to sectors 40-47 in its first life and crashes on
 * purpose; the backend unmaps the dead life's ring and waits. The second
 * life (restarts == 1) attaches again (a new ring grant, CONN_SET_RING,
 * READY, CONNECTED) and reads back what the first wrote: the RAM disk
 * outlived the frontend.
 */
#define CN_FR_SECTOR 40u

static uint8_t cn_fr_pattern(uint32_t i)
{
    return (uint8_t)(i * 29u + 3u) ^ 0xa5u; /* not cn_pattern's */
}

/* hvtest-system: own */
TEST(conn, block_frontend_restart)
{
    const struct hv_start_info *si = hvtest_start_info();

    ASSERT_TRUE(si->restarts <= 1u);
    cn_front_connect();
    if (si->restarts == 0) {
        for (uint32_t i = 0; i < 4096; i++) {
            cn_frames[0][i] = cn_fr_pattern(i);
        }
        uint32_t w = cn_front_put(HV_BLKIF_OP_WRITE, CN_FR_SECTOR, 0, 4096);
        cn_front_push();
        cn_front_collect(1);
        ASSERT_EQ(fe.status[w], HV_BLKIF_OK);
        hv_printf("frontend: life 1 wrote sectors %lu-%lu, crashing\n",
                  (unsigned long)CN_FR_SECTOR,
                  (unsigned long)CN_FR_SECTOR + 7u);
        /* Nothing is mapped at 4: a data abort, which the monitor
         * restarts (on-crash = "restart"). */
        volatile uintptr_t nowhere = 4;
        (void)*(volatile uint32_t *)nowhere;
        hvtest_error("still alive after the crash");
    }
    /* The second life: connected again on a ring of its own. */
    memset(cn_frames[1], 0, 4096);
    uint32_t r = cn_front_put(HV_BLKIF_OP_READ, CN_FR_SECTOR, 1, 4096);
    cn_front_push();
    cn_front_collect(1);
    ASSERT_EQ(fe.status[r], HV_BLKIF_OK);
    uint32_t bad = 0;
    for (uint32_t i = 0; i < 4096; i++) {
        bad += cn_frames[1][i] != cn_fr_pattern(i);
    }
    EXPECT_EQ(bad, 0u);
    hv_printf("frontend: life 2 read back sectors %lu-%lu, %lu bytes "
              "differ\n",
              (unsigned long)CN_FR_SECTOR, (unsigned long)CN_FR_SECTOR + 7u,
              (unsigned long)bad);
    cn_front_close();
}

/* --- Hostile frontends -----------------------------------------------------
 */

/*
 * What a frontend may try against its backend (docs/io.md, "What each
 * side checks"). Each test ends with a request done right, which must
 * still work: the backend answered the bad ones with errors (or stopped
 * using a ring the frontend broke) and is still serving.
 */

/* Queues @req as given (its id from the id table); returns the id. */
static uint32_t cn_front_put_raw(struct hv_blkif_request *req)
{
    int32_t id = hv_ring_id_alloc(&fe.ids);

    ASSERT_TRUE(id >= 0);
    req->id = (uint32_t)id;
    fe.ops[id] = req->operation;
    fe.status[id] = 1;
    ASSERT_EQ(hv_blkif_put_request(&fe.ring, req), 0);
    return (uint32_t)id;
}

static struct hv_blkif_request cn_one_segment(uint8_t op, uint64_t sector,
                                              uint32_t gref, uint32_t bytes)
{
    struct hv_blkif_request req;

    memset(&req, 0, sizeof(req));
    req.operation = op;
    req.sector = sector;
    req.nr_sectors = bytes / HV_BLKIF_SECTOR_SIZE;
    req.nr_segments = 1;
    req.seg[0].gref = gref;
    req.seg[0].length = (uint16_t)bytes;
    return req;
}

/* A write then a read of sectors 8-15 through frames 0 and 1. */
static void cn_front_check_still_served(void)
{
    for (uint32_t i = 0; i < 4096; i++) {
        cn_frames[0][i] = (uint8_t)(i * 17u + 9u);
    }
    memset(cn_frames[1], 0, 4096);
    /* One after the other: requests in flight together have no order. */
    uint32_t w = cn_front_put(HV_BLKIF_OP_WRITE, 8, 0, 4096);
    cn_front_push();
    cn_front_collect(1);
    uint32_t r = cn_front_put(HV_BLKIF_OP_READ, 8, 1, 4096);
    cn_front_push();
    cn_front_collect(1);
    EXPECT_EQ(fe.status[w], HV_BLKIF_OK);
    EXPECT_EQ(fe.status[r], HV_BLKIF_OK);
    EXPECT_EQ(memcmp(cn_frames[0], cn_frames[1], 4096), 0);
}

/*
 * How long a hostile frontend keeps at it: hostile_ms=T of monitor time
 * from the command line (at least one pass when 0 or absent), so that
 * another frontend of the same backend does its I/O meanwhile.
 */
static uint64_t cn_hostile_ns(void)
{
    uint32_t ms = 0;

    hv_cmdline_get_u32(hvtest_start_info()->cmdline, "hostile_ms", &ms);
    return (uint64_t)ms * 1000000ull;
}

/*
 * conn.hostile_requests: malformed requests are each answered with the
 * documented error, nothing done: grants the frontend does not hold for
 * the backend (never made, ended, out of range, made to another guest),
 * a read into a read-only grant, a range past the device and one that
 * wraps, a segment count of 0 and of 12, segments past their frame,
 * misaligned, empty or not adding up to nr_sectors, a reserved field
 * set, an unknown operation. With hostile_ms=T the whole batch is sent
 * again and again for T ms (beside another frontend:
 * linux.blkback_hostile_requests).
 */
/* hvtest-system: own */
TEST(conn, hostile_requests)
{
    static uint8_t ro_frame[4096] __attribute__((aligned(4096)));
    struct hv_blkif_request req;
    enum { CASES = 16 };
    uint32_t ids[CASES];
    int32_t want[CASES];
    const char *what[CASES];
    uint32_t n = 0, batches = 0;

    cn_front_connect();
    int32_t ro =
        hv_grant_access(cn_pa(ro_frame), fe.info.peer_id, HV_GRANT_READONLY);
    ASSERT_TRUE(ro >= 0);
    /* A frame granted to a guest that is neither this one nor the
     * backend, and one granted to the backend and ended again. */
    uint32_t other = 1;
    while (other == hvtest_start_info()->vm_id || other == fe.info.peer_id) {
        other++;
    }
    int32_t elsewhere = hv_grant_access(cn_pa(cn_frames[6]), other, 0);
    ASSERT_TRUE(elsewhere >= 0);
    int32_t ended = hv_grant_access(cn_pa(cn_frames[7]), fe.info.peer_id, 0);
    ASSERT_TRUE(ended >= 0);
    ASSERT_EQ(hv_grant_end((uint32_t)ended), 0);

    uint64_t start = hv_clock_read();
    hv_printf("frontend: malformed requests begin\n");
    do {
        n = 0;
        req = cn_one_segment(HV_BLKIF_OP_READ, 0, 100, 4096);
        what[n] = "a grant never made", want[n] = HV_BLKIF_EACCES;
        ids[n++] = cn_front_put_raw(&req);
        req = cn_one_segment(HV_BLKIF_OP_READ, 0, (uint32_t)ended, 4096);
        what[n] = "a grant ended", want[n] = HV_BLKIF_EACCES;
        ids[n++] = cn_front_put_raw(&req);
        req = cn_one_segment(HV_BLKIF_OP_WRITE, 0, 0xffffffffu, 4096);
        what[n] = "a grant reference out of range", want[n] = HV_BLKIF_EACCES;
        ids[n++] = cn_front_put_raw(&req);
        req = cn_one_segment(HV_BLKIF_OP_WRITE, 0, (uint32_t)elsewhere, 4096);
        what[n] = "a grant made to another guest", want[n] = HV_BLKIF_EACCES;
        ids[n++] = cn_front_put_raw(&req);
        req = cn_one_segment(HV_BLKIF_OP_READ, 0, (uint32_t)ro, 4096);
        what[n] = "a read into a read-only grant", want[n] = HV_BLKIF_EACCES;
        ids[n++] = cn_front_put_raw(&req);
        req = cn_one_segment(HV_BLKIF_OP_WRITE, fe.dev.sectors, fe.frame_ref[0],
                             512);
        what[n] = "a range past the device", want[n] = HV_BLKIF_EINVAL;
        ids[n++] = cn_front_put_raw(&req);
        req = cn_one_segment(HV_BLKIF_OP_READ, ~(uint64_t)7, fe.frame_ref[0],
                             4096);
        what[n] = "a range that wraps", want[n] = HV_BLKIF_EINVAL;
        ids[n++] = cn_front_put_raw(&req);
        req = cn_one_segment(HV_BLKIF_OP_READ, 0, fe.frame_ref[0], 512);
        req.nr_segments = HV_BLKIF_MAX_SEGMENTS + 1;
        what[n] = "too many segments", want[n] = HV_BLKIF_EINVAL;
        ids[n++] = cn_front_put_raw(&req);
        req = cn_one_segment(HV_BLKIF_OP_READ, 0, fe.frame_ref[0], 512);
        req.nr_segments = 0;
        what[n] = "no segment", want[n] = HV_BLKIF_EINVAL;
        ids[n++] = cn_front_put_raw(&req);
        req = cn_one_segment(HV_BLKIF_OP_READ, 0, fe.frame_ref[0], 1024);
        req.seg[0].offset = 3584; /* 3584 + 1024 > 4096 */
        what[n] = "a segment past its frame", want[n] = HV_BLKIF_EINVAL;
        ids[n++] = cn_front_put_raw(&req);
        req = cn_one_segment(HV_BLKIF_OP_READ, 0, fe.frame_ref[0], 8192);
        what[n] = "a segment longer than a frame", want[n] = HV_BLKIF_EINVAL;
        ids[n++] = cn_front_put_raw(&req);
        req = cn_one_segment(HV_BLKIF_OP_READ, 0, fe.frame_ref[0], 512);
        req.seg[0].offset = 100;
        what[n] = "a misaligned segment", want[n] = HV_BLKIF_EINVAL;
        ids[n++] = cn_front_put_raw(&req);
        req = cn_one_segment(HV_BLKIF_OP_READ, 0, fe.frame_ref[0], 512);
        req.seg[0].length = 0;
        req.nr_sectors = 0;
        what[n] = "an empty segment", want[n] = HV_BLKIF_EINVAL;
        ids[n++] = cn_front_put_raw(&req);
        req = cn_one_segment(HV_BLKIF_OP_READ, 0, fe.frame_ref[0], 512);
        req.nr_sectors = 8;
        what[n] = "segments not adding up", want[n] = HV_BLKIF_EINVAL;
        ids[n++] = cn_front_put_raw(&req);
        req = cn_one_segment(HV_BLKIF_OP_READ, 0, fe.frame_ref[0], 512);
        req.reserved1 = 1;
        what[n] = "a reserved field set", want[n] = HV_BLKIF_EINVAL;
        ids[n++] = cn_front_put_raw(&req);
        req = cn_one_segment(HV_BLKIF_OP_READ, 0, fe.frame_ref[0], 512);
        req.operation = 77;
        what[n] = "an unknown operation", want[n] = HV_BLKIF_ENOTSUP;
        ids[n++] = cn_front_put_raw(&req);
        ASSERT_EQ(n, (uint32_t)CASES);

        memset(cn_frames[0], 0x3c, 4096);
        memset(cn_frames[6], 0x3d, 4096);
        memset(ro_frame, 0x3e, 4096);
        cn_front_push();
        cn_front_collect(CASES);
        for (uint32_t i = 0; i < CASES; i++) {
            if (fe.status[ids[i]] != want[i]) {
                hv_printf("frontend: %s answered %ld, not %ld\n", what[i],
                          (long)fe.status[ids[i]], (long)want[i]);
            }
            EXPECT_EQ(fe.status[ids[i]], want[i]);
            EXPECT_EQ(fe.answered[ids[i]], 1u);
            fe.answered[ids[i]] = 0;
        }
        /* Nothing done: no frame written (the read-only one, the other
         * guest's, the one a refused read named). */
        uint32_t changed = 0;
        for (uint32_t i = 0; i < 4096; i++) {
            changed += (cn_frames[0][i] != 0x3c) + (cn_frames[6][i] != 0x3d) +
                       (ro_frame[i] != 0x3e);
        }
        EXPECT_EQ(changed, 0u);
        batches++;
    } while (hv_clock_read() - start < cn_hostile_ns());
    cn_front_check_still_served();
    EXPECT_EQ(hv_grant_end((uint32_t)ro), 0);
    EXPECT_EQ(hv_grant_end((uint32_t)elsewhere), 0);
    hv_printf("frontend: %lu batches in %lu ms\n", (unsigned long)batches,
              (unsigned long)((hv_clock_read() - start) / 1000000u));
    hv_printf("frontend: %d malformed requests refused, still served\n", CASES);
    cn_front_close();
}

/*
 * conn.hostile_notify_storm: notifications as fast as the frontend can
 * send them, 20000 with nothing in the ring, then reads (of sectors
 * 8-15, written first) each sent with a notification after another
 * until it is answered. They cost the backend only wake-ups: it answers
 * every read right and then serves as before. With hostile_ms=T it
 * storms for T ms (beside another frontend, which the backend must keep
 * serving: linux.blkback_hostile_storm).
 */
/* hvtest-system: own */
TEST(conn, hostile_notify_storm)
{
    uint32_t sends = 0, busy_sends = 0, reads = 0, bad = 0;

    cn_front_connect();
    cn_front_check_still_served(); /* sectors 8-15: frame 0's bytes */
    uint64_t start = hv_clock_read();
    hv_printf("frontend: storm begins\n");
    do {
        for (uint32_t i = 0; i < 20000; i++) {
            cn_front_notify();
        }
        sends += 20000;
        for (uint32_t k = 0; k < 16; k++) {
            struct hv_blkif_response rsp;
            int32_t rc;
            uint64_t t0 = hv_clock_read();

            memset(cn_frames[2], 0xee, 4096);
            uint32_t id = cn_front_put(HV_BLKIF_OP_READ, 8, 2, 4096);
            cn_front_push();
            while ((rc = hv_blkif_get_response(&fe.ring, &rsp)) == -HV_EAGAIN) {
                cn_front_notify();
                busy_sends++;
                if (hv_clock_read() - t0 > cn_timeout_ns()) {
                    hvtest_error("a read was never answered in the storm");
                }
            }
            ASSERT_EQ(rc, 0);
            ASSERT_EQ(hv_blkif_check_response(&rsp, &fe.ids, fe.ops), 0);
            ASSERT_EQ(rsp.id, id);
            EXPECT_EQ(rsp.status, HV_BLKIF_OK);
            bad += memcmp(cn_frames[2], cn_frames[0], 4096) != 0;
            reads++;
        }
    } while (hv_clock_read() - start < cn_hostile_ns());
    EXPECT_EQ(bad, 0u);
    hv_printf("frontend: storm over after %lu ms: %lu notifications, %lu of "
              "them with a read in flight, %lu reads, %lu wrong\n",
              (unsigned long)((hv_clock_read() - start) / 1000000u),
              (unsigned long)(sends + busy_sends), (unsigned long)busy_sends,
              (unsigned long)reads, (unsigned long)bad);
    cn_front_check_still_served();
    hv_puts("frontend: notification storm, still served\n");
    cn_front_close();
}

/*
 * conn.hostile_rewrite: the frontend rewrites a request in its slot while
 * the backend may be reading it: right after publishing it, and over and
 * over until it is answered (so also after the backend consumed it). The
 * backend must act on one copy, the one it checked: the response matches
 * that copy or is an error, and nothing outside what a checked copy
 * names is touched. The slot alternates between the request as first
 * written (A) and a rewritten one (E), word by word (a copy may mix
 * them: each mix is a request the backend checks like any other). Modes,
 * one per round in turn:
 *   sector   reads of sectors 16-23 into frame 0, E reads past the device
 *   count    E has HV_BLKIF_MAX_SEGMENTS segments (frames 2-4), their
 *            total not nr_sectors
 *   segment  E's segment is 3584 + 4096 bytes of its frame
 *   grant    E names frame 1 instead of frame 0: both allowed
 *   all      E does all of the above at once
 *   wsector  a write of frame 0 to sectors 32-39, E to 40-47
 *   wgrant   E names a grant never made
 *   wall     E writes past the device from a grant never made, all
 *            HV_BLKIF_MAX_SEGMENTS segments
 * Checked each round: a read answered OK filled frame 0 (or, where E
 * names it, frame 1) with sectors 16-23 and nothing else; refused, it
 * touched no frame; a write answered OK wrote its data to sectors 32-39
 * (or, where E names them, 40-47) and nowhere else; refused, it wrote
 * nothing (read back each round). Frames 2-4 (E's extra segments) are
 * never written. rounds=N (default 48), and at least hostile_ms=T.
 * expect_caught=1: the backend is known to use what it did not check
 * (role=blkback evil_reread=1): the test passes only if it sees that.
 */
enum {
    CN_RW_SECTOR,
    CN_RW_COUNT,
    CN_RW_SEGMENT,
    CN_RW_GRANT,
    CN_RW_ALL,
    CN_RW_WSECTOR,
    CN_RW_WGRANT,
    CN_RW_WALL,
    CN_RW_MODES
};
static const char *const cn_rw_names[CN_RW_MODES] = {
    "sector", "count", "segment", "grant", "all", "wsector", "wgrant", "wall"};
#define CN_RW_READ_AT 16u  /* read modes: sectors 16-23 */
#define CN_RW_WRITE_AT 32u /* write modes: 32-39, and 40-47 for E */
#define CN_RW_WORDS (sizeof(struct hv_blkif_request) / 4u)

static uint8_t cn_rw_byte(uint32_t seed, uint32_t i)
{
    return (uint8_t)(seed * 73u + i * 7u + (i >> 8) * 3u + 1u);
}

static bool cn_rw_is(const uint8_t *frame, uint32_t seed)
{
    for (uint32_t i = 0; i < 4096; i++) {
        if (frame[i] != cn_rw_byte(seed, i)) {
            return false;
        }
    }
    return true;
}

static bool cn_rw_filled(const uint8_t *frame, uint8_t fill)
{
    for (uint32_t i = 0; i < 4096; i++) {
        if (frame[i] != fill) {
            return false;
        }
    }
    return true;
}

/* A one-frame write or read done right; its status. */
static int32_t cn_rw_honest(uint8_t op, uint64_t sector, uint32_t frame)
{
    uint32_t id = cn_front_put(op, sector, frame, 4096);
    cn_front_push();
    cn_front_collect(1);
    return fe.status[id];
}

/* Seeds of what sectors 32-39 and 40-47 hold (-1: unknown). */
static int32_t cn_rw_held[2];

/* Reads back sectors 32-47: which seeds they hold (-1: neither known). */
static void cn_rw_read_back(int32_t got[2], uint32_t seed)
{
    for (uint32_t k = 0; k < 2; k++) {
        ASSERT_EQ(cn_rw_honest(HV_BLKIF_OP_READ, CN_RW_WRITE_AT + 8 * k, 5),
                  HV_BLKIF_OK);
        got[k] = cn_rw_is(cn_frames[5], seed) ? (int32_t)seed
                 : cn_rw_is(cn_frames[5], (uint32_t)cn_rw_held[k])
                     ? cn_rw_held[k]
                     : -1;
    }
}

/* hvtest-system: own */
TEST(conn, hostile_rewrite)
{
    const char *cmdline = hvtest_start_info()->cmdline;
    struct hv_blkif_request a, e;
    uint32_t rounds = 48, expect_caught = 0;
    uint32_t as_first = 0, as_rewritten = 0, refused = 0, wrong = 0;
    uint32_t toggles = 0;

    hv_cmdline_get_u32(cmdline, "rounds", &rounds);
    hv_cmdline_get_u32(cmdline, "expect_caught", &expect_caught);
    cn_front_connect();
    ASSERT_TRUE(fe.dev.sectors >= 64);
    /* What the reads read, and what sectors 32-47 hold to begin with. */
    for (uint32_t i = 0; i < 4096; i++) {
        cn_frames[0][i] = cn_rw_byte(1, i);
        cn_frames[1][i] = cn_rw_byte(2, i);
        cn_frames[2][i] = cn_rw_byte(3, i);
    }
    ASSERT_EQ(cn_rw_honest(HV_BLKIF_OP_WRITE, CN_RW_READ_AT, 0), HV_BLKIF_OK);
    ASSERT_EQ(cn_rw_honest(HV_BLKIF_OP_WRITE, CN_RW_WRITE_AT, 1), HV_BLKIF_OK);
    ASSERT_EQ(cn_rw_honest(HV_BLKIF_OP_WRITE, CN_RW_WRITE_AT + 8, 2),
              HV_BLKIF_OK);
    cn_rw_held[0] = 2;
    cn_rw_held[1] = 3;

    uint64_t start = hv_clock_read();
    hv_printf("frontend: rewriting requests in flight begins\n");
    for (uint32_t round = 0;
         round < rounds || hv_clock_read() - start < cn_hostile_ns(); round++) {
        uint32_t mode = round % CN_RW_MODES;
        uint32_t how = (round / CN_RW_MODES) % 3;
        bool write = mode >= CN_RW_WSECTOR;
        uint32_t seed = 100u + round; /* this round's write data */
        uint8_t fill = (uint8_t)(0xc1u + round % 8u);

        /* Frames: 0 the request's, 1 the rewritten grant's, 2-4 the
         * rewritten extra segments'. */
        if (write) {
            for (uint32_t i = 0; i < 4096; i++) {
                cn_frames[0][i] = cn_rw_byte(seed, i);
            }
        } else {
            memset(cn_frames[0], fill, 4096);
        }
        for (uint32_t f = 1; f <= 4; f++) {
            memset(cn_frames[f], fill, 4096);
        }
        a = cn_one_segment(write ? HV_BLKIF_OP_WRITE : HV_BLKIF_OP_READ,
                           write ? CN_RW_WRITE_AT : CN_RW_READ_AT,
                           fe.frame_ref[0], 4096);
        for (uint32_t s = 1; s < HV_BLKIF_MAX_SEGMENTS; s++) {
            a.seg[s] =
                (struct hv_blkif_segment){fe.frame_ref[2 + s % 3], 0, 4096};
        }
        uint32_t idx = fe.ring.req_prod_pvt;
        uint32_t id = cn_front_put_raw(&a); /* sets a.id */
        e = a;
        if (mode == CN_RW_SECTOR || mode == CN_RW_ALL || mode == CN_RW_WALL) {
            e.sector = fe.dev.sectors - 4;
        }
        if (mode == CN_RW_COUNT || mode == CN_RW_ALL || mode == CN_RW_WALL) {
            e.nr_segments = HV_BLKIF_MAX_SEGMENTS;
        }
        if (mode == CN_RW_SEGMENT || mode == CN_RW_ALL) {
            e.seg[0].offset = 3584;
        }
        if (mode == CN_RW_GRANT || mode == CN_RW_ALL) {
            e.seg[0].gref = fe.frame_ref[1];
        }
        if (mode == CN_RW_WSECTOR) {
            e.sector = CN_RW_WRITE_AT + 8;
        }
        if (mode == CN_RW_WGRANT || mode == CN_RW_WALL) {
            e.seg[0].gref = 100; /* never made */
        }
        volatile uint32_t *slot =
            (volatile uint32_t *)&fe.sring->req[idx % HV_BLKIF_RING_SIZE];
        uint32_t wa[CN_RW_WORDS], we[CN_RW_WORDS];
        memcpy(wa, &a, sizeof(a));
        memcpy(we, &e, sizeof(e));

        /* Published as A; then E at once (how 0, 2) or after letting the
         * backend run (how 1); then A and E in turn until answered
         * (how 0, 1: spinning for 2 ms, which the monitor preempts at
         * any word, then one rewrite per yield), or E held (how 2). */
        hv_ring_front_push(&fe.ring);
        cn_front_notify();
        if (how == 1) {
            hv_yield();
        }
        bool now_e = true;
        for (uint32_t w = 0; w < CN_RW_WORDS; w++) {
            if (wa[w] != we[w]) {
                slot[w] = we[w];
            }
        }
        struct hv_blkif_response rsp;
        int32_t rc;
        uint64_t t0 = hv_clock_read();
        while ((rc = hv_blkif_get_response(&fe.ring, &rsp)) == -HV_EAGAIN) {
            if (hv_clock_read() - t0 > cn_timeout_ns()) {
                hvtest_error("a rewritten request was never answered");
            }
            if (how == 2) {
                hv_yield();
                continue;
            }
            now_e = !now_e;
            for (uint32_t w = 0; w < CN_RW_WORDS; w++) {
                if (wa[w] != we[w]) {
                    slot[w] = now_e ? we[w] : wa[w];
                }
            }
            toggles++;
            if (hv_clock_read() - t0 > 2000000u) {
                hv_yield();
            }
        }
        ASSERT_EQ(rc, 0);
        ASSERT_EQ(hv_blkif_check_response(&rsp, &fe.ids, fe.ops), 0);
        ASSERT_EQ(rsp.id, id);

        /* The outcome: one copy's, checked, or nothing at all. */
        bool ok = rsp.status == HV_BLKIF_OK;
        bool good, first = false;
        const char *why = "";
        if (!write) {
            bool f0 = cn_rw_is(cn_frames[0], 1);
            bool f0_untouched = cn_rw_filled(cn_frames[0], fill);
            bool f1 = cn_rw_is(cn_frames[1], 1);
            bool f1_untouched = cn_rw_filled(cn_frames[1], fill);
            bool extras = cn_rw_filled(cn_frames[2], fill) &&
                          cn_rw_filled(cn_frames[3], fill) &&
                          cn_rw_filled(cn_frames[4], fill);
            bool e_grant = mode == CN_RW_GRANT || mode == CN_RW_ALL;
            if (!extras) {
                good = false, why = "a frame of the rewritten segments written";
            } else if (ok) {
                good = (f0 && f1_untouched) || (e_grant && f1 && f0_untouched);
                first = f0;
                why = "answered OK, but not with sectors 16-23 in one frame";
            } else {
                good = rsp.status == HV_BLKIF_EINVAL && mode != CN_RW_GRANT &&
                       f0_untouched && f1_untouched;
                why = "refused, but not as malformed, or a frame written";
            }
        } else {
            int32_t got[2];
            bool e_elsewhere = mode == CN_RW_WSECTOR;
            bool src = cn_rw_is(cn_frames[0], seed);
            cn_rw_read_back(got, seed);
            bool as_a = got[0] == (int32_t)seed && got[1] == cn_rw_held[1];
            bool as_e = got[0] == cn_rw_held[0] && got[1] == (int32_t)seed;
            bool none = got[0] == cn_rw_held[0] && got[1] == cn_rw_held[1];
            if (!src) {
                good = false, why = "the write's own frame written";
            } else if (ok) {
                good = as_a || (e_elsewhere && as_e);
                first = as_a;
                why = "answered OK, but its data not in sectors 32-39 (or "
                      "40-47 where rewritten) alone";
            } else {
                good = none && mode != CN_RW_WSECTOR &&
                       (rsp.status == HV_BLKIF_EINVAL ||
                        rsp.status == HV_BLKIF_EACCES);
                why = "refused, but not as malformed or for its grant, or "
                      "data written";
            }
            cn_rw_held[0] = got[0];
            cn_rw_held[1] = got[1];
            if (got[0] < 0 || got[1] < 0) {
                /* Unknown data: write what the next round expects. */
                for (uint32_t i = 0; i < 4096; i++) {
                    cn_frames[5][i] = cn_rw_byte(seed + 1000u, i);
                }
                for (uint32_t k = 0; k < 2; k++) {
                    ASSERT_EQ(cn_rw_honest(HV_BLKIF_OP_WRITE,
                                           CN_RW_WRITE_AT + 8 * k, 5),
                              HV_BLKIF_OK);
                    cn_rw_held[k] = (int32_t)(seed + 1000u);
                }
            }
        }
        if (!good) {
            if (wrong < 8) {
                hv_printf("frontend: round %lu (%s, how %lu): %s (status "
                          "%ld)\n",
                          (unsigned long)round, cn_rw_names[mode],
                          (unsigned long)how, why, (long)rsp.status);
            }
            wrong++;
        } else if (!ok) {
            refused++;
        } else if (first) {
            as_first++;
        } else {
            as_rewritten++;
        }
    }
    uint32_t done = as_first + as_rewritten + refused + wrong;
    hv_printf("frontend: %lu requests rewritten in flight (%lu rewrites) in "
              "%lu ms: %lu done as first written, %lu as rewritten, %lu "
              "refused, %lu wrong\n",
              (unsigned long)done, (unsigned long)toggles,
              (unsigned long)((hv_clock_read() - start) / 1000000u),
              (unsigned long)as_first, (unsigned long)as_rewritten,
              (unsigned long)refused, (unsigned long)wrong);
    if (expect_caught) {
        /* The backend double-fetches on purpose: this is the proof that
         * the checks above see it. */
        EXPECT_TRUE(wrong > 0);
        if (wrong > 0) {
            hv_puts("frontend: caught the backend using what it did not "
                    "check\n");
        }
    } else {
        EXPECT_EQ(wrong, 0u);
    }
    /* Sectors 16-23 still hold what was written first. */
    memset(cn_frames[6], 0, 4096);
    ASSERT_EQ(cn_rw_honest(HV_BLKIF_OP_READ, CN_RW_READ_AT, 6), HV_BLKIF_OK);
    EXPECT_TRUE(cn_rw_is(cn_frames[6], 1));
    cn_front_check_still_served();
    hv_puts("frontend: rewritten requests done, still served\n");
    cn_front_close();
}

/*
 * conn.hostile_backend: against role=blkback lying at its second or third
 * request (evil=E here; E=1: evil_id=2, E=2: evil_dup=3, E=3: evil_prod=2
 * there): the first request is answered properly; the second one's response
 * is refused: an id never issued (E=1) or already answered (E=2) fails
 * hv_blkif_check_response, a response producer past every request (E=3)
 * breaks the ring (-HV_ERANGE) for good. Nothing is taken from the lie.
 */
/* hvtest-system: own */
TEST(conn, hostile_backend)
{
    const struct hv_start_info *si = hvtest_start_info();
    uint32_t evil = 0;
    struct hv_blkif_response rsp;
    int32_t rc;

    ASSERT_TRUE(hv_cmdline_get_u32(si->cmdline, "evil", &evil));
    cn_front_connect();
    uint32_t first = cn_front_put(HV_BLKIF_OP_READ, 0, 0, 512);
    cn_front_push();
    cn_front_collect(1);
    EXPECT_EQ(fe.status[first], HV_BLKIF_OK);

    /* Two in flight: a duplicate needs an id still outstanding to copy. */
    uint32_t second = cn_front_put(HV_BLKIF_OP_READ, 8, 1, 512);
    uint32_t third = cn_front_put(HV_BLKIF_OP_READ, 16, 2, 512);
    cn_front_push();
    int32_t refused = 0;
    for (uint32_t got = 0; got < 2 && refused == 0;) {
        uint64_t start = hv_clock_read();
        while ((rc = hv_blkif_get_response(&fe.ring, &rsp)) == -HV_EAGAIN) {
            if (hv_clock_read() - start > CN_TIMEOUT_NS) {
                hvtest_error("the hostile backend never answered");
            }
            hv_yield();
        }
        if (rc != 0) {
            refused = rc; /* the ring itself is broken */
            break;
        }
        got++;
        rc = hv_blkif_check_response(&rsp, &fe.ids, fe.ops);
        if (rc != 0) {
            refused = rc;
            hv_printf("frontend: refused a response with id %lu (%s)\n",
                      (unsigned long)rsp.id,
                      rc == -HV_ERANGE ? "never issued" : "answered already");
        } else {
            fe.status[rsp.id] = rsp.status;
        }
    }
    if (evil == 3) {
        EXPECT_EQ(refused, -HV_ERANGE);
        EXPECT_EQ(hv_blkif_get_response(&fe.ring, &rsp), -HV_ERANGE);
        /* The second is answered before the lie: taken or not, as the
         * frontend read rsp_prod before or after the jump. */
        hv_puts("frontend: refused a response producer past the requests\n");
    } else if (evil == 1) {
        EXPECT_EQ(refused, -HV_ERANGE);
        EXPECT_EQ(fe.status[second], 1);
    } else {
        EXPECT_EQ(refused, -HV_ENOENT);
        EXPECT_EQ(fe.status[second], HV_BLKIF_OK); /* the honest one */
    }
    EXPECT_EQ(fe.status[third], 1);
    cn_front_close();
}

/* --- The backend ---------------------------------------------------------- */

static uint8_t cn_disk[CN_DISK_SECTORS * 512];
static uint8_t cn_ring_slot[4096] __attribute__((aligned(4096)));

/* One segment between the disk and the frontend's frame. */
static int32_t cn_back_copy(uint32_t peer, const struct hv_blkif_segment *seg,
                            uint32_t disk_off, bool to_grant)
{
    static struct hv_grant_copy op;
    uint32_t done;
    op = (struct hv_grant_copy){peer,
                                seg->gref,
                                seg->offset,
                                seg->length,
                                (uint32_t)(uintptr_t)&cn_disk[disk_off],
                                to_grant ? HV_GRANT_COPY_TO_GRANT : 0u};
    return hv_grant_copy(&op, 1, &done);
}

static int32_t cn_back_do(uint32_t peer, const struct hv_blkif_request *req)
{
    uint32_t off = (uint32_t)req->sector * 512u;
    if (req->sector >= CN_DISK_SECTORS ||
        req->nr_segments > HV_BLKIF_MAX_SEGMENTS) {
        return HV_BLKIF_EIO; /* unchecked (evil_reread): not past the disk */
    }
    for (uint32_t i = 0; i < req->nr_segments; i++) {
        if (off + req->seg[i].length > sizeof(cn_disk)) {
            return HV_BLKIF_EIO;
        }
        if (cn_back_copy(peer, &req->seg[i], off,
                         req->operation == HV_BLKIF_OP_READ) != 0) {
            return HV_BLKIF_EACCES;
        }
        off += req->seg[i].length;
    }
    return HV_BLKIF_OK;
}

/*
 * Role "blkback [delay_ms=T] [crash=N] [features=F] [evil_id=N]
 * [evil_prod=N] [evil_dup=N] [evil_reread=1] [evil_info=1]": the backend
 * of connection 0
 * (read-only if the manifest says so; hostile once at request N with evil_*,
 * below). It waits T ms first (a late backend), and, in a life that starts on a
 * fresh ring, crashes at its N-th request after doing it. When the
 * frontend leaves (closes, or dies: DOWN, or a new life attached) it
 * unmaps the ring, goes CLOSING -> INIT and serves the next life on the
 * ring that life publishes; the disk stays as it was.
 */
int conn_role_blkback(void);
int conn_role_blkback(void)
{
    const struct hv_start_info *si = hvtest_start_info();
    struct hv_conn_info info;
    struct hv_blkif_info dev = {CN_DISK_SECTORS, 512, 0, {0, 0}};
    struct hv_ring_back b;
    uint32_t delay_ms = 0, crash = 0, peer_state, served = 0;
    uint32_t evil_id = 0, evil_prod = 0, evil_dup = 0, last_id = 0;
    uint32_t evil_reread = 0, evil_info = 0;
    bool lying = false;

    hv_cmdline_get_u32(si->cmdline, "delay_ms", &delay_ms);
    hv_cmdline_get_u32(si->cmdline, "crash", &crash);
    /* features=F: what the RAM disk offers besides reads and writes
     * (HV_BLKIF_F_FLUSH 2, _FUA 4, _DISCARD 8: a RAM disk has no cache,
     * so flush and FUA are no-ops and discard keeps the data). */
    hv_cmdline_get_u32(si->cmdline, "features", &dev.features);
    /* A hostile backend, once, at its N-th request: evil_id=N answers it
     * with an id never issued, evil_prod=N answers it and publishes a
     * rsp_prod beyond the requests (the frontend must refuse both). */
    hv_cmdline_get_u32(si->cmdline, "evil_id", &evil_id);
    hv_cmdline_get_u32(si->cmdline, "evil_prod", &evil_prod);
    /* evil_dup=N answers request N with the id of request N - 1 (a
     * duplicate of an id still outstanding when both were in flight). */
    hv_cmdline_get_u32(si->cmdline, "evil_dup", &evil_dup);
    /* evil_reread=1 uses each request as it is in the ring after checking
     * its copy (a double fetch: conn.hostile_rewrite must catch it). */
    hv_cmdline_get_u32(si->cmdline, "evil_reread", &evil_reread);
    /* evil_info=1: from its second life on (after a restart) it offers
     * another device, half the capacity: a frontend must not take that
     * for the disk it has. */
    hv_cmdline_get_u32(si->cmdline, "evil_info", &evil_info);
    dev.features &= HV_BLKIF_F_FLUSH | HV_BLKIF_F_FUA | HV_BLKIF_F_DISCARD;
    for (uint32_t s = 0; s < CN_DISK_SECTORS; s++) {
        for (uint32_t i = 0; i < 512; i++) {
            cn_disk[s * 512 + i] = cn_pattern(s, i);
        }
    }
    volatile struct hv_vcpu_shared *sh = cn_register();
    if (delay_ms != 0) {
        hv_timer_set(hv_clock_read() + (uint64_t)delay_ms * 1000000u);
        while (!(sh->events_pending & HV_EVENT_TIMER)) {
            hv_block();
        }
        __atomic_fetch_and(&sh->events_pending, ~HV_EVENT_TIMER,
                           __ATOMIC_SEQ_CST);
    }
    cn_query(&info);
    if (info.role != HV_CONN_BACKEND || strcmp(info.device, "ram0") != 0) {
        hv_puts("blkback: not the backend of ram0\n");
        return 1;
    }
    if (info.flags & HV_CONN_READONLY) {
        dev.features |= HV_BLKIF_F_READ_ONLY; /* the manifest's read-only */
    }
    if (evil_info != 0 && si->restarts != 0) {
        dev.sectors = CN_DISK_SECTORS / 2;
        hv_printf("blkback: evil: life %lu offers %lu sectors\n",
                  (unsigned long)si->restarts + 1, (unsigned long)dev.sectors);
    }
    hv_printf("blkback: serving %s to guest %lu, frontend %s, features "
              "%#lx\n",
              info.device, (unsigned long)info.peer_id,
              info.peer_state == HV_CONN_DOWN ? "down" : "waiting",
              (unsigned long)dev.features);
    if (hv_conn_set_state(info.id, HV_CONN_INIT, &peer_state) != 0 ||
        hv_conn_set_info(info.id, &dev, sizeof(dev)) != 0) {
        return 2;
    }
    uint32_t lives = 0; /* frontend lives served */
again:
    while (info.ring_ref == HV_CONN_NO_RING ||
           (info.peer_state != HV_CONN_READY &&
            info.peer_state != HV_CONN_CONNECTED)) {
        hv_yield();
        cn_query(&info);
    }
    uint32_t pte = cn_pte_of(cn_ring_slot);
    struct hv_mmu_update u = {pte, 0};
    uint32_t done;
    if (hv_mmu_update(&u, 1, &done) != 0 ||
        hv_mmu_tlb(HV_TLB_FLUSH_VA, (uint32_t)(uintptr_t)cn_ring_slot) != 0 ||
        hv_grant_map(info.peer_id, info.ring_ref, pte, CN_ATTR_RW) != 0) {
        hv_puts("blkback: cannot map the ring\n");
        return 3;
    }
    struct hv_blkif_sring *sring = (struct hv_blkif_sring *)cn_ring_slot;
    if (hv_blkif_back_attach(&b, sring) != 0) {
        return 4;
    }
    bool replaying = hv_ring_load(&sring->hdr.rsp_prod) != 0;
    if (replaying) {
        hv_printf("blkback: attached again at response %lu, request %lu\n",
                  (unsigned long)hv_ring_load(&sring->hdr.rsp_prod),
                  (unsigned long)hv_ring_load(&sring->hdr.req_prod));
    }
    if (hv_conn_set_state(info.id, HV_CONN_READY, &peer_state) != 0 ||
        hv_conn_set_state(info.id, HV_CONN_CONNECTED, &peer_state) != 0) {
        return 5;
    }
    uint32_t front_attaches = info.peer_attaches; /* this life's */
    if (lives++ != 0) {
        hv_printf("blkback: frontend back (life %lu), ring %lu mapped, "
                  "serving again\n",
                  (unsigned long)lives, (unsigned long)info.ring_ref);
    }
    bool broken = false;
    for (;;) {
        struct hv_blkif_request req;
        int32_t rc = broken ? -HV_ERANGE : hv_blkif_get_request(&b, &req);
        if (rc == 0) {
            struct hv_blkif_response rsp = {req.id,
                                            req.operation,
                                            {0, 0, 0},
                                            hv_blkif_check_request(&req, &dev)};
            if (rsp.status == HV_BLKIF_OK && evil_reread) {
                /* A double fetch, on purpose: checked one copy, let the
                 * frontend run, use the slot as it is now. */
                hv_yield();
                hv_ring_copy_in(
                    &req, &sring->req[(b.req_cons - 1u) % HV_BLKIF_RING_SIZE],
                    sizeof(req));
            }
            if (rsp.status == HV_BLKIF_OK) {
                rsp.status = cn_back_do(info.peer_id, &req);
            }
            served++;
            if (crash != 0 && !replaying && served == crash) {
                hv_printf("blkback: crashing at request %lu, done but not "
                          "answered\n",
                          (unsigned long)served);
                volatile uintptr_t nowhere = 4;
                return (int)*(volatile uint32_t *)nowhere;
            }
            if (evil_id != 0 && served == evil_id) {
                hv_printf("blkback: evil: request %lu answered as id %#lx\n",
                          (unsigned long)served, 0xbad0ul + req.id);
                rsp.id = 0xbad0u + req.id;
            }
            uint32_t id = req.id;
            if (evil_dup != 0 && served == evil_dup) {
                hv_printf("blkback: evil: request %lu answered as id %lu, "
                          "the one before's\n",
                          (unsigned long)served, (unsigned long)last_id);
                rsp.id = last_id;
            }
            last_id = id;
            hv_blkif_put_response(&b, &rsp);
            if (hv_ring_back_push(&b)) {
                (void)hv_evtchn_send(info.port);
            }
            /* The lie again after every later push, which would
             * otherwise correct it before the frontend looks. */
            if (evil_prod != 0 && (served == evil_prod || lying)) {
                if (!lying) {
                    lying = true; /* until this ring's frontend leaves */
                    hv_printf("blkback: evil: rsp_prod %lu published after "
                              "request %lu\n",
                              (unsigned long)(b.rsp_prod + 7u),
                              (unsigned long)served);
                }
                hv_ring_store(&sring->hdr.rsp_prod, b.rsp_prod + 7u);
                (void)hv_evtchn_send(info.port);
            }
            continue;
        }
        if (rc != -HV_EAGAIN && !broken) {
            /* A hostile or corrupted frontend: serve nothing more on
             * this ring, wait for the frontend to set up a new one. */
            hv_puts("blkback: broken ring (the frontend's index is out of "
                    "range), waiting for the frontend to reconnect\n");
            broken = true;
        }
        if (!broken && hv_ring_back_final_check(&b) > 0) {
            continue;
        }
        cn_query(&info);
        if (info.peer_state == HV_CONN_CLOSING ||
            info.peer_state == HV_CONN_DOWN ||
            info.peer_attaches != front_attaches) {
            break;
        }
        hv_yield();
    }
    /* The frontend has gone (closed, or died): unmap, then wait for its
     * next life, which publishes a new ring (and is told the truth). */
    lying = false;
    if (hv_grant_unmap(pte) != 0) {
        hv_puts("blkback: cannot unmap the ring\n");
        return 7;
    }
    hv_mmu_tlb(HV_TLB_FLUSH_VA, (uint32_t)(uintptr_t)cn_ring_slot);
    if (hv_conn_set_state(info.id, HV_CONN_CLOSING, &peer_state) != 0 ||
        hv_conn_set_state(info.id, HV_CONN_INIT, &peer_state) != 0) {
        return 8;
    }
    hv_printf("blkback: frontend left after %lu requests, ring unmapped, "
              "waiting for its next life\n",
              (unsigned long)served);
    cn_query(&info);
    goto again;
}
