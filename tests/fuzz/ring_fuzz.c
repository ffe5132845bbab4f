/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for <hvabi/io/ring.h>, <hvabi/io/blkif.h>,
 * <hvabi/io/console.h> and <hvabi/io/netif.h>, each side facing a
 * hostile peer that may write anything anywhere in the shared ring or
 * page, at any time, indexes included.
 *
 * The input: a mode byte (bit 4: the network backend's transmit chains,
 * run_netchain below; bit 3: a network backend, run_net below; bit
 * 2: the console, run_console below; else bit 0: play the backend or
 * the frontend; bit 1: the device description taken raw, else made
 * sane from the bytes), 24 bytes of device description, then a script
 * of operations, one byte each followed by its operands:
 *   0  the peer writes bytes anywhere in the shared ring (offset, count)
 *   1  the peer sets its producer index (absolute, or near ours)
 *   2  our side takes one item out of the ring and handles it
 *   3  our side pushes; 4 final check; 5 our side restarts (re-attach;
 *      the frontend issues requests instead)
 *   6  (backend) the peer publishes a request shaped to pass most checks
 * The ring is allocated at its exact size, so ASan sees any access out
 * of it; data frames too (4 KiB each), so a segment a checked request
 * names is used byte by byte.
 *
 * Checked: every private index relation the header promises (never more
 * requests taken than slots, never more responses than requests); a
 * copied item is the slot's bytes at the time, from the right slot; a
 * broken ring stays broken; hv_blkif_check_request accepts exactly what
 * an independent oracle below accepts (written differently: 64-bit sums,
 * per-operation rules); hv_blkif_check_response accepts an id only while
 * it is outstanding, once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hvabi/io/blkif.h>
#include <hvabi/io/console.h>
#include <hvabi/io/netif.h>

#define FAIL(...)                                                              \
    do {                                                                       \
        fprintf(stderr, "ring_fuzz: " __VA_ARGS__);                            \
        fprintf(stderr, "\n");                                                 \
        abort();                                                               \
    } while (0)
#define CHECK(cond, what)                                                      \
    do {                                                                       \
        if (!(cond)) {                                                         \
            FAIL("%s", what);                                                  \
        }                                                                      \
    } while (0)

struct input {
    const uint8_t *p;
    size_t n;
};

static uint32_t take(struct input *in, unsigned int bytes)
{
    uint32_t v = 0;

    for (unsigned int i = 0; i < bytes; i++) {
        v |= (uint32_t)(in->n ? (in->n--, *in->p++) : 0) << (8 * i);
    }
    return v;
}

/* The oracle: 1 if a backend may execute req on dev. */
static int oracle_ok(const struct hv_blkif_request *req,
                     const struct hv_blkif_info *dev)
{
    uint64_t ss = dev->sector_size;
    uint64_t unit = ss / 512; /* 512-byte sectors per logical block */
    uint64_t bytes = 0;
    int ro = (dev->features & HV_BLKIF_F_READ_ONLY) != 0;
    int fua = req->flags == HV_BLKIF_REQ_FUA;

    if ((ss != 512 && ss != 1024 && ss != 2048 && ss != 4096) ||
        dev->features > 15 || dev->reserved[0] || dev->reserved[1] ||
        dev->sectors % unit != 0) {
        return 0;
    }
    if (req->reserved0 || req->reserved1 || req->flags > 1) {
        return 0;
    }
    switch (req->operation) {
    case 0: /* read */
    case 1: /* write */
        if (fua && (req->operation == 0 || !(dev->features & 4))) {
            return 0;
        }
        if (req->operation == 1 && ro) {
            return 0;
        }
        if (req->nr_segments < 1 || req->nr_segments > 11) {
            return 0;
        }
        for (int i = 0; i < req->nr_segments; i++) {
            uint64_t first = req->seg[i].offset;
            uint64_t end = first + req->seg[i].length;
            if (end <= first || end > 4096 || first % ss || end % ss) {
                return 0;
            }
            bytes += end - first;
        }
        if (bytes != (uint64_t)req->nr_sectors * 512) {
            return 0;
        }
        break;
    case 2: /* flush */
        return !fua && (dev->features & 2) && req->nr_segments == 0 &&
               req->nr_sectors == 0 && req->sector == 0;
    case 3: /* discard */
        if (fua || ro || !(dev->features & 8) || req->nr_segments != 0 ||
            req->nr_sectors == 0) {
            return 0;
        }
        break;
    default:
        return 0;
    }
    if (req->sector % unit != 0 || req->nr_sectors % unit != 0) {
        return 0;
    }
    /* 128-bit: no wrap to worry about. */
    return (unsigned __int128)req->sector + req->nr_sectors <= dev->sectors;
}

static uint8_t frames[HV_BLKIF_MAX_SEGMENTS][HV_BLKIF_FRAME_SIZE];

/* A checked read or write: touch exactly what it names. */
static void use_request(const struct hv_blkif_request *req)
{
    uint8_t *frame;

    for (unsigned int i = 0; i < req->nr_segments; i++) {
        /* An exact 4 KiB allocation: ASan sees a byte outside. */
        frame = malloc(HV_BLKIF_FRAME_SIZE);
        memset(frame + req->seg[i].offset, 0x5a, req->seg[i].length);
        memcpy(frames[i], frame, HV_BLKIF_FRAME_SIZE);
        free(frame);
    }
}

static void check_back(const struct hv_ring_back *b)
{
    if (b->size != HV_BLKIF_RING_SIZE) {
        FAIL("backend: size changed");
    }
    if (b->req_cons - b->rsp_prod_pvt > b->size) {
        FAIL("backend: more requests taken than slots");
    }
    if (b->req_prod - b->req_cons > b->size - (b->req_cons - b->rsp_prod_pvt)) {
        FAIL("backend: accepted a producer index past the free slots");
    }
    if (b->rsp_prod_pvt - b->rsp_prod > b->req_cons - b->rsp_prod) {
        FAIL("backend: published more than it answered");
    }
}

static void run_backend(struct hv_blkif_sring *s, struct input *in,
                        const struct hv_blkif_info *dev)
{
    struct hv_ring_back b;
    int32_t broken = 0;

    if (hv_blkif_back_attach(&b, s) != 0) {
        FAIL("attach refused");
    }
    while (in->n > 0) {
        uint32_t op = take(in, 1) % 7;
        struct hv_blkif_request req;
        int32_t rc;

        switch (op) {
        case 0: {
            uint32_t off = take(in, 2) % sizeof(*s);
            uint32_t count = take(in, 1);
            for (uint32_t i = 0; i < count && off + i < sizeof(*s); i++) {
                ((uint8_t *)s)[off + i] = (uint8_t)take(in, 1);
            }
            break;
        }
        case 1: {
            uint32_t mode = take(in, 1);
            uint32_t v = take(in, 4);
            s->hdr.req_prod = mode & 1 ? v : b.req_cons + (v % 80) - 8;
            break;
        }
        case 2: {
            uint32_t cons = b.req_cons;
            rc = hv_blkif_get_request(&b, &req);
            if (broken && rc != broken) {
                FAIL("backend: a broken ring worked again");
            }
            if (rc == -HV_ERANGE) {
                broken = rc;
                break;
            }
            if (rc == -HV_EAGAIN) {
                if (b.req_cons != b.req_prod) {
                    FAIL("backend: EAGAIN with requests waiting");
                }
                break;
            }
            if (rc != 0) {
                FAIL("backend: get returned %d", (int)rc);
            }
            if (b.req_cons != cons + 1 ||
                memcmp(&req, &s->req[cons % HV_BLKIF_RING_SIZE], sizeof(req)) !=
                    0) {
                FAIL("backend: the copy is not the slot's request");
            }
            int32_t status = hv_blkif_check_request(&req, dev);
            int want = oracle_ok(&req, dev);
            if ((status == HV_BLKIF_OK) != want) {
                FAIL("check_request says %d, the oracle %s", (int)status,
                     want ? "accepts" : "refuses");
            }
            if (!hv_blkif_status_known(status)) {
                FAIL("check_request: unknown status %d", (int)status);
            }
            if (status == HV_BLKIF_OK && req.operation <= 1) {
                use_request(&req);
            }
            /* The peer changes the slot now: the checked copy stays. */
            struct hv_blkif_request again = req;
            memset(&s->req[cons % HV_BLKIF_RING_SIZE], 0xff, sizeof(s->req[0]));
            if (memcmp(&again, &req, sizeof(req)) != 0) {
                FAIL("backend: the copy changed with the slot");
            }
            struct hv_blkif_response a;
            memset(&a, 0, sizeof(a));
            a.id = req.id;
            a.operation = req.operation;
            a.status = status;
            if (hv_blkif_put_response(&b, &a) != 0) {
                FAIL("backend: could not answer a request it took");
            }
            break;
        }
        case 3: {
            /* (With nothing new it writes nothing: the peer's garbage in
             * rsp_prod stays, and hurts only the peer.) */
            int fresh = b.rsp_prod != b.rsp_prod_pvt;
            hv_ring_back_push(&b);
            if (b.rsp_prod != b.rsp_prod_pvt ||
                (fresh && s->hdr.rsp_prod != b.rsp_prod_pvt)) {
                FAIL("backend: push did not publish");
            }
            break;
        }
        case 4:
            rc = hv_ring_back_final_check(&b);
            if (broken && rc != broken) {
                FAIL("backend: a broken ring worked again");
            }
            if (rc < 0) {
                broken = rc;
            } else if (rc > (int32_t)HV_BLKIF_RING_SIZE) {
                FAIL("backend: more requests waiting than slots");
            }
            break;
        case 6: {
            /* The peer publishes a request shaped to get past the
             * easy checks: aligned segments of 0 to 15 sectors at 0 to
             * 15 sectors in, nr_sectors their total or off by one. */
            struct hv_blkif_request r;
            uint32_t shape = take(in, 1);
            uint32_t total = 0;
            memset(&r, 0, sizeof(r));
            r.id = take(in, 1);
            r.operation = shape & 0x80 ? (uint8_t)take(in, 1) : shape & 3;
            r.flags = (shape >> 2) & 1;
            r.nr_segments = (uint8_t)(take(in, 1) % 13);
            for (unsigned int i = 0; i < r.nr_segments && i < 11; i++) {
                uint32_t o = take(in, 1);
                r.seg[i].gref = i;
                r.seg[i].offset = (uint16_t)((o & 15) * 512);
                r.seg[i].length = (uint16_t)(((o >> 4) & 15) * 512);
                total += r.seg[i].length;
            }
            r.nr_sectors =
                shape & 0x40 ? take(in, 4) : total / 512 + ((shape >> 3) & 1);
            r.sector = take(in, 2);
            if (shape & 0x20) {
                r.sector |= (uint64_t)take(in, 4) << 32;
            }
            memcpy(&s->req[s->hdr.req_prod % HV_BLKIF_RING_SIZE], &r,
                   sizeof(r));
            s->hdr.req_prod++;
            break;
        }
        case 5:
            if (hv_blkif_back_attach(&b, s) != 0) {
                FAIL("re-attach refused");
            }
            broken = 0;
            break;
        }
        check_back(&b);
    }
}

static void run_frontend(struct hv_blkif_sring *s, struct input *in)
{
    struct hv_ring_front f;
    struct hv_ring_ids ids;
    uint8_t ops[HV_BLKIF_RING_SIZE] = {0};
    uint32_t outstanding = 0;
    int32_t broken = 0;

    if (hv_blkif_front_init(&f, s) != 0 ||
        hv_ring_ids_init(&ids, HV_BLKIF_RING_SIZE) != 0) {
        FAIL("init refused");
    }
    while (in->n > 0) {
        uint32_t op = take(in, 1) % 6;
        int32_t rc;

        switch (op) {
        case 0: {
            uint32_t off = take(in, 2) % sizeof(*s);
            uint32_t count = take(in, 1);
            for (uint32_t i = 0; i < count && off + i < sizeof(*s); i++) {
                ((uint8_t *)s)[off + i] = (uint8_t)take(in, 1);
            }
            break;
        }
        case 1: {
            uint32_t mode = take(in, 1);
            uint32_t v = take(in, 4);
            s->hdr.rsp_prod = mode & 1 ? v : f.rsp_cons + (v % 80) - 8;
            break;
        }
        case 2: {
            struct hv_blkif_response a;
            uint32_t cons = f.rsp_cons;
            rc = hv_blkif_get_response(&f, &a);
            if (broken && rc != broken) {
                FAIL("frontend: a broken ring worked again");
            }
            if (rc == -HV_ERANGE) {
                broken = rc;
                break;
            }
            if (rc != 0) {
                break;
            }
            if (memcmp(&a, &s->rsp[cons % HV_BLKIF_RING_SIZE], sizeof(a)) !=
                0) {
                FAIL("frontend: the copy is not the slot's response");
            }
            uint32_t was = a.id < HV_BLKIF_RING_SIZE
                               ? (ids.outstanding[0] >> a.id) & 1
                               : 0;
            rc = hv_blkif_check_response(&a, &ids, ops);
            if (rc == 0) {
                if (!was || outstanding == 0) {
                    FAIL("frontend: accepted an id not outstanding");
                }
                outstanding--;
            } else if (rc != -HV_ERANGE && rc != -HV_ENOENT &&
                       rc != -HV_EINVAL) {
                FAIL("frontend: check_response returned %d", (int)rc);
            }
            break;
        }
        case 3:
            hv_ring_front_push(&f);
            break;
        case 4:
            rc = hv_ring_front_final_check(&f);
            if (broken && rc != broken) {
                FAIL("frontend: a broken ring worked again");
            }
            if (rc < 0) {
                broken = rc;
            }
            break;
        case 5: {
            /* Issue a request, if an id and a slot are free. */
            struct hv_blkif_request r;
            memset(&r, 0, sizeof(r));
            if (hv_ring_front_free(&f) == 0) {
                struct hv_blkif_request r2;
                memset(&r2, 0, sizeof(r2));
                if (hv_blkif_put_request(&f, &r2) !=
                    (broken ? broken : -HV_EAGAIN)) {
                    FAIL("frontend: a full ring took a request");
                }
                break;
            }
            int32_t id = hv_ring_id_alloc(&ids);
            if (id < 0) {
                break;
            }
            r.id = (uint32_t)id;
            r.operation = (uint8_t)(take(in, 1) % 4);
            ops[id] = r.operation;
            rc = hv_blkif_put_request(&f, &r);
            if (rc == 0) {
                outstanding++;
            } else if (rc != broken) {
                FAIL("frontend: put refused with a free slot");
            } else {
                hv_ring_id_complete(&ids, (uint32_t)id);
            }
            break;
        }
        }
        /* rsp_cons <= rsp_prod <= req_prod <= req_prod_pvt <= rsp_cons +
         * size, all modulo 2^32. */
        if (f.rsp_prod - f.rsp_cons > f.req_prod - f.rsp_cons ||
            f.req_prod - f.rsp_cons > f.req_prod_pvt - f.rsp_cons ||
            f.req_prod_pvt - f.rsp_cons > f.size) {
            FAIL("frontend: index relations broken");
        }
    }
}

/* --- The console (<hvabi/io/console.h>) ---------------------------------- */

/*
 * Both sides of one console page run the real functions; between their
 * calls the script writes anything anywhere in the page, indexes
 * included, standing for either peer gone hostile. Script operations
 * (a byte, then operands):
 *   0  bytes anywhere in the page (offset, count, bytes)
 *   1  one of the four indexes: a raw value, or one near a side's own
 *   2  frontend write     3  frontend read     4  backend peek
 *   5  backend consumed   6  backend write     7  backend (re)attach
 *   8  a new frontend life on a fresh page
 * Each call's data buffer is allocated at exactly its length and the
 * page at exactly its size, so ASan sees any access outside them.
 *
 * Checked after every call: the page changed only where that call may
 * write (its own index, and for a write exactly the ring bytes it
 * reports); bytes read are the ring's, from the side's own position;
 * counts within the request and the ring; a side's private indexes
 * within the ring's size of each other; a broken side stays broken (the
 * backend until it attaches again) and changes nothing.
 */

struct cons_fuzz {
    struct hv_cons_page *p;
    struct hv_cons_page before; /* the page before the call */
    struct hv_cons_side f, b;
    int attached; /* the backend has attached (else its side is unset) */
};

#define CONS_FIELD(name) ((uint32_t)HV_IO_OFFSETOF(struct hv_cons_page, name))

/* A byte the call may have written: offset @off of the page. */
struct cons_allowed {
    uint32_t field; /* offset of the one index it writes, or ~0 */
    uint32_t ring;  /* CONS_FIELD(out) or (in), or ~0 */
    uint32_t size;
    uint32_t from, n; /* ring positions from, n bytes (wrapping) */
};

static int cons_may_write(const struct cons_allowed *a, uint32_t off)
{
    if (a->field != ~0u && off >= a->field && off < a->field + 4) {
        return 1;
    }
    if (a->ring != ~0u && off >= a->ring && off < a->ring + a->size) {
        return ((off - a->ring) - a->from) % a->size < a->n;
    }
    return 0;
}

static void cons_check_writes(const struct cons_fuzz *c,
                              const struct cons_allowed *a, const char *what)
{
    const uint8_t *was = (const uint8_t *)&c->before;
    const uint8_t *now = (const uint8_t *)c->p;

    for (uint32_t off = 0; off < sizeof(*c->p); off++) {
        if (was[off] != now[off] && !cons_may_write(a, off)) {
            FAIL("console: %s wrote page offset %u", what, (unsigned)off);
        }
    }
}

static void cons_check_sides(const struct cons_fuzz *c)
{
    if (!c->f.error && (c->f.out - c->f.peer_out > HV_CONS_OUT_SIZE ||
                        c->f.peer_in - c->f.in > HV_CONS_IN_SIZE)) {
        FAIL("console: frontend indexes out of the rings' bounds");
    }
    if (c->attached && !c->b.error &&
        (c->b.peer_out - c->b.out > HV_CONS_OUT_SIZE ||
         c->b.in - c->b.peer_in > HV_CONS_IN_SIZE)) {
        FAIL("console: backend indexes out of the rings' bounds");
    }
}

/* A call's result: a count within @len, or the side's broken state. */
static void cons_check_rc(int32_t rc, uint32_t len, int32_t was_error,
                          int32_t error, const char *what)
{
    if (was_error && (rc != was_error || error != was_error)) {
        FAIL("console: %s: a broken side worked again (%d)", what, (int)rc);
    }
    if (rc < 0 ? rc != -HV_ERANGE || error != rc : (uint32_t)rc > len) {
        FAIL("console: %s returned %d for %u bytes", what, (int)rc,
             (unsigned)len);
    }
}

static uint8_t *cons_buf(struct input *in, uint32_t len)
{
    uint8_t *buf = malloc(len ? len : 1);

    for (uint32_t i = 0; i < len; i++) {
        buf[i] = (uint8_t)(in->n ? take(in, 1) : i);
    }
    return buf;
}

/* A put of @rc bytes of @buf from ring position @prod: there they are. */
static void cons_check_put(const volatile uint8_t *ring, uint32_t size,
                           uint32_t prod, const uint8_t *buf, int32_t rc,
                           const char *what)
{
    for (int32_t i = 0; i < rc; i++) {
        if (ring[(prod + (uint32_t)i) & (size - 1)] != buf[i]) {
            FAIL("console: %s: byte %d not where it belongs", what, (int)i);
        }
    }
}

/* A get of @rc bytes into @buf from position @cons of the page as it
 * was: they are the ring's. */
static void cons_check_get(const uint8_t *ring, uint32_t size, uint32_t cons,
                           const uint8_t *buf, int32_t rc, const char *what)
{
    for (int32_t i = 0; i < rc; i++) {
        if (ring[(cons + (uint32_t)i) & (size - 1)] != buf[i]) {
            FAIL("console: %s: byte %d is not the ring's", what, (int)i);
        }
    }
}

static uint32_t cons_len(struct input *in)
{
    /* Mostly short, up to beyond either ring. */
    uint32_t v = take(in, 2);
    return v & 0x8000 ? v % 3000 : v % 80;
}

static void run_console(struct input *in)
{
    struct cons_fuzz *c = calloc(1, sizeof(*c));
    const struct cons_allowed none = {~0u, ~0u, 1, 0, 0};

    c->p = calloc(1, sizeof(*c->p));
    hv_cons_front_init(&c->f);
    while (in->n > 0) {
        uint32_t op = take(in, 1) % 9;
        struct cons_allowed a = none;
        int32_t was, rc;
        uint32_t len, at;
        uint8_t *buf;

        memcpy(&c->before, c->p, sizeof(c->before));
        switch (op) {
        case 0: {
            uint32_t off = take(in, 2) % sizeof(*c->p);
            uint32_t count = take(in, 1);
            for (uint32_t i = 0; i < count && off + i < sizeof(*c->p); i++) {
                ((uint8_t *)c->p)[off + i] = (uint8_t)take(in, 1);
            }
            continue;
        }
        case 1: {
            uint32_t which = take(in, 1);
            uint32_t v = take(in, 4);
            const uint32_t near[4] = {c->f.out, c->b.out, c->b.in, c->f.in};
            volatile uint32_t *idx[4] = {&c->p->out_prod, &c->p->out_cons,
                                         &c->p->in_prod, &c->p->in_cons};
            *idx[which & 3] =
                which & 4 ? v : near[(which >> 3) & 3] + (v % 4200) - 2100;
            continue;
        }
        case 2:
            len = cons_len(in);
            buf = cons_buf(in, len);
            was = c->f.error;
            at = c->f.out;
            rc = hv_cons_front_write(&c->f, c->p, buf, len);
            cons_check_rc(rc, len, was, c->f.error, "front write");
            if (rc > 0) {
                a = (struct cons_allowed){
                    CONS_FIELD(out_prod), CONS_FIELD(out), HV_CONS_OUT_SIZE,
                    at & (HV_CONS_OUT_SIZE - 1), (uint32_t)rc};
                cons_check_put(c->p->out, HV_CONS_OUT_SIZE, at, buf, rc,
                               "front write");
                if (c->p->out_prod != c->f.out ||
                    c->f.out != at + (uint32_t)rc) {
                    FAIL("console: front write published %u, wrote to %u",
                         (unsigned)c->p->out_prod, (unsigned)c->f.out);
                }
            }
            cons_check_writes(c, &a, "front write");
            free(buf);
            break;
        case 3:
        case 4:
            len = cons_len(in);
            buf = malloc(len ? len : 1);
            if (op == 3) {
                was = c->f.error;
                at = c->f.in;
                rc = hv_cons_front_read(&c->f, c->p, buf, len);
                cons_check_rc(rc, len, was, c->f.error, "front read");
                cons_check_get(c->before.in, HV_CONS_IN_SIZE, at, buf, rc,
                               "front read");
                if (rc > 0) {
                    a.field = CONS_FIELD(in_cons);
                    if (c->p->in_cons != at + (uint32_t)rc) {
                        FAIL("console: front read published a wrong in_cons");
                    }
                }
                cons_check_writes(c, &a, "front read");
            } else if (c->attached) {
                was = c->b.error;
                at = c->b.out;
                rc = hv_cons_back_peek(&c->b, c->p, buf, len);
                cons_check_rc(rc, len, was, c->b.error, "back peek");
                cons_check_get(c->before.out, HV_CONS_OUT_SIZE, at, buf, rc,
                               "back peek");
                if (c->b.out != at) {
                    FAIL("console: a peek consumed");
                }
                cons_check_writes(c, &a, "back peek");
            }
            free(buf);
            break;
        case 5:
            if (!c->attached) {
                break;
            }
            len = take(in, 2) % 2200;
            at = c->b.out;
            was = c->b.error;
            hv_cons_back_consumed(&c->b, c->p, len);
            if (c->b.out != at &&
                (was || c->b.out != at + len || len > c->b.peer_out - at)) {
                FAIL("console: consumed %u: out_cons %u -> %u", (unsigned)len,
                     (unsigned)at, (unsigned)c->b.out);
            }
            /* Its own index, and only its own value (consumed 0 may
             * store it again, undoing a hostile write: harmless). */
            if (c->p->out_cons != c->before.out_cons &&
                c->p->out_cons != c->b.out) {
                FAIL("console: consumed published a wrong out_cons");
            }
            a.field = CONS_FIELD(out_cons);
            cons_check_writes(c, &a, "back consumed");
            break;
        case 6:
            if (!c->attached) {
                break;
            }
            len = cons_len(in);
            buf = cons_buf(in, len);
            was = c->b.error;
            at = c->b.in;
            rc = hv_cons_back_write(&c->b, c->p, buf, len);
            cons_check_rc(rc, len, was, c->b.error, "back write");
            if (rc > 0) {
                a = (struct cons_allowed){
                    CONS_FIELD(in_prod), CONS_FIELD(in), HV_CONS_IN_SIZE,
                    at & (HV_CONS_IN_SIZE - 1), (uint32_t)rc};
                cons_check_put(c->p->in, HV_CONS_IN_SIZE, at, buf, rc,
                               "back write");
                if (c->p->in_prod != c->b.in) {
                    FAIL("console: back write published a wrong in_prod");
                }
            }
            cons_check_writes(c, &a, "back write");
            free(buf);
            break;
        case 7: {
            uint32_t d_out = c->p->out_prod - c->p->out_cons;
            uint32_t d_in = c->p->in_prod - c->p->in_cons;
            memset(&c->b, 0xa5, sizeof(c->b));
            rc = hv_cons_back_attach(&c->b, c->p);
            c->attached = 1;
            if ((rc == 0) !=
                (d_out <= HV_CONS_OUT_SIZE && d_in <= HV_CONS_IN_SIZE)) {
                FAIL("console: attach says %d to %u bytes out, %u in", (int)rc,
                     (unsigned)d_out, (unsigned)d_in);
            }
            if (rc != 0 && (rc != -HV_ERANGE || c->b.error != rc)) {
                FAIL("console: attach returned %d", (int)rc);
            }
            cons_check_writes(c, &a, "back attach");
            break;
        }
        case 8:
            memset(c->p, 0, sizeof(*c->p));
            hv_cons_front_init(&c->f);
            break;
        }
        cons_check_sides(c);
    }
    free(c->p);
    free(c);
}

/* --- The network backend (<hvabi/io/netif.h>) ----------------------------- */

/*
 * A backend modelled on what a real one does with netif.h, facing a
 * frontend that writes anything anywhere in the page and in its buffers
 * between the backend's calls: it copies each request out of the ring,
 * checks the copy (hv_netif_check_*_request) against its own busy bits,
 * uses an accepted buffer (copies a frame out of a transmit buffer,
 * into a receive buffer), and answers every request it took once, in
 * order, also the refused ones. Script operations (a byte, operands):
 *   0  the frontend writes bytes anywhere in the page (offset, count)
 *   1  the frontend sets an index of either ring: raw or near the
 *      backend's own, req_prod mostly, sometimes the backend's fields
 *   2  the frontend writes bytes into one of its buffers
 *   3  the frontend publishes a request shaped to pass most checks
 *   4  backend: take a tx request     5  backend: answer the oldest tx
 *   6  backend: take an rx request    7  backend: fill the oldest rx
 *   8  backend: push                  9  backend: final check
 *  10  backend: (re)attach: the header read, the buffers "mapped"
 *  11  backend: an answer with no request held, which the ring must
 *      refuse (so do 5 and 7 with none held)
 * The page and each buffer are allocations of their exact size, and so
 * is each frame the backend copies, so ASan sees any access outside.
 *
 * Checked: a request accepted has a buffer number in range that is not
 * busy and a frame length in range (an oracle written apart from the
 * header's checks); the busy bits are exactly the accepted requests not
 * yet answered; each request taken is answered once and only once (the
 * ring refuses a second; the answers' count never passes the requests
 * taken; a broken ring takes none, and they stay owed to the next
 * life); a backend call changes only the backend's bytes of the page,
 * and only those it may (its response slot when it answers, rsp_prod
 * when it pushes, req_event in its final check); a broken ring stays
 * broken until the backend attaches again; an answer is one the
 * frontend's checks accept (hv_netif_check_rx_response,
 * hv_netif_tx_status_known).
 */

#define NET_GREF_TX 0x100u /* the frontend's grants: tx pages read-only */
#define NET_GREF_RX 0x200u /* rx pages read-write */

struct net_held {
    uint16_t buf;
    uint16_t len;
    int32_t status; /* HV_NETIF_OK: it set the busy bit */
};

struct net_dir {
    struct hv_ring_back b;
    uint32_t busy;
    struct net_held q[HV_NETIF_RING_SLOTS]; /* taken, not answered */
    uint32_t head, n;
    int32_t broken;
    uint32_t taken, answered; /* this life */
};

struct net_fuzz {
    struct hv_netif_page *p;
    struct hv_netif_page before;
    uint8_t **tx_buf; /* HV_NETIF_BUFS exact-size buffers each */
    uint8_t **rx_buf;
    int attached;
    /* What the backend mapped at attach: buffer pages by grant. */
    uint8_t **tx_map;
    uint8_t **rx_map;
    struct net_dir tx, rx;
};

/* The byte offsets of @m within the page. */
#define NET_OFF(m) ((uint32_t)HV_IO_OFFSETOF(struct hv_netif_page, m))

/* The buffer (page @page, offset @off of it) through what the backend
 * mapped: the page array is exact-size too. */
static uint8_t *net_buffer(uint8_t **map, uint32_t b)
{
    uint32_t page = hv_netif_buf_page(b);
    uint32_t off = hv_netif_buf_offset(b);
    /* Two exact-size buffers per page stand for it. */
    return map[2 * page + off / HV_NETIF_BUF_SIZE] + off % HV_NETIF_BUF_SIZE;
}

/* The frontend's grant table: page @page of the buffers @bufs. */
static int net_grant(const struct net_fuzz *c, uint32_t gref, int rx,
                     uint8_t **map, uint32_t page)
{
    uint32_t base = rx ? NET_GREF_RX : NET_GREF_TX;
    uint8_t **bufs = rx ? c->rx_buf : c->tx_buf;

    if (gref - base >= HV_NETIF_BUF_PAGES) {
        return 0; /* not granted to us (or not writable for rx) */
    }
    map[2 * page] = bufs[2 * (gref - base)];
    map[2 * page + 1] = bufs[2 * (gref - base) + 1];
    return 1;
}

/* Page bytes a backend call may write: @fields of ring @rx's header
 * (NET_RSP_PROD, NET_REQ_EVENT) and its response slot @rsp_at (or ~0u). */
#define NET_RSP_PROD 1u
#define NET_REQ_EVENT 2u

static int net_may_write(int rx, uint32_t fields, uint32_t rsp_at, uint32_t off)
{
    uint32_t ring = rx ? NET_OFF(rx) : NET_OFF(tx);
    uint32_t rsp = rx ? NET_OFF(rx.rsp) : NET_OFF(tx.rsp);
    uint32_t size = rx ? sizeof(struct hv_netif_rx_response)
                       : sizeof(struct hv_netif_tx_response);
    uint32_t prod =
        ring + (uint32_t)HV_IO_OFFSETOF(struct hv_ring_header, rsp_prod);
    uint32_t event =
        ring + (uint32_t)HV_IO_OFFSETOF(struct hv_ring_header, req_event);

    if ((fields & NET_RSP_PROD) && off >= prod && off < prod + 4) {
        return 1;
    }
    if ((fields & NET_REQ_EVENT) && off >= event && off < event + 4) {
        return 1;
    }
    return rsp_at != ~0u && off >= rsp + rsp_at * size &&
           off < rsp + (rsp_at + 1) * size;
}

static void net_check_page(const struct net_fuzz *c, int rx, uint32_t fields,
                           uint32_t rsp_at, const char *what)
{
    const uint8_t *was = (const uint8_t *)&c->before;
    const uint8_t *now = (const uint8_t *)c->p;

    for (uint32_t off = 0; off < sizeof(*c->p); off++) {
        if (was[off] != now[off] &&
            (rx < 0 || !net_may_write(rx, fields, rsp_at, off))) {
            FAIL("net: %s wrote page offset %u", what, (unsigned)off);
        }
    }
}

/* The oracle: may a backend act on this request, given @busy? */
static int net_oracle(uint32_t buf, uint32_t len_or_reserved, uint32_t busy,
                      int rx)
{
    if (buf >= 32 || (buf < 32 && (busy & (1u << buf)))) {
        return 0;
    }
    return rx ? len_or_reserved == 0
              : len_or_reserved >= 14 && len_or_reserved <= 1514;
}

static void net_check_dir(const struct net_dir *d, const char *what)
{
    uint32_t busy = 0;

    if (d->n > HV_NETIF_RING_SLOTS) {
        FAIL("net: %s: more requests held than slots", what);
    }
    for (uint32_t i = 0; i < d->n; i++) {
        const struct net_held *h = &d->q[(d->head + i) % HV_NETIF_RING_SLOTS];
        if (h->status == HV_NETIF_OK) {
            if (busy & (1u << h->buf)) {
                FAIL("net: %s: buffer %u held twice", what, h->buf);
            }
            busy |= 1u << h->buf;
        }
    }
    if (busy != d->busy) {
        FAIL("net: %s: busy bits %08x, held %08x", what, (unsigned)d->busy,
             (unsigned)busy);
    }
    /* One answer per request taken, each in its slot. */
    if (d->answered + d->n != d->taken ||
        d->b.rsp_prod_pvt - d->b.req_cons != (uint32_t)0 - d->n) {
        FAIL("net: %s: %u taken, %u answered, %u held", what,
             (unsigned)d->taken, (unsigned)d->answered, (unsigned)d->n);
    }
}

/* A get: the ring's result, a broken ring staying broken. */
static int32_t net_get(struct net_dir *d, int32_t rc, const char *what)
{
    if (d->broken && rc != d->broken) {
        FAIL("net: %s: a broken ring worked again (%d)", what, (int)rc);
    }
    if (rc == -HV_ERANGE) {
        d->broken = rc;
    } else if (rc != 0 && rc != -HV_EAGAIN) {
        FAIL("net: %s: get returned %d", what, (int)rc);
    }
    return rc;
}

static void net_hold(struct net_dir *d, uint16_t buf, uint16_t len,
                     int32_t status)
{
    struct net_held *h = &d->q[(d->head + d->n) % HV_NETIF_RING_SLOTS];

    if (d->n == HV_NETIF_RING_SLOTS) {
        FAIL("net: the ring gave more requests than slots");
    }
    h->buf = buf;
    h->len = len;
    h->status = status;
    if (status == HV_NETIF_OK) {
        d->busy |= 1u << buf;
    }
    d->n++;
    d->taken++;
}

/* The oldest request held leaves the queue, answered: its buffer is
 * free again if it was the one that made it busy. */
static struct net_held net_release(struct net_dir *d)
{
    struct net_held h = d->q[d->head];

    d->head = (d->head + 1) % HV_NETIF_RING_SLOTS;
    d->n--;
    d->answered++;
    if (h.status == HV_NETIF_OK) {
        d->busy &= ~(1u << h.buf);
    }
    return h;
}

static void net_attach(struct net_fuzz *c)
{
    struct hv_netif_header h;

    memset(&c->tx, 0xa5, sizeof(c->tx));
    memset(&c->rx, 0xa5, sizeof(c->rx));
    c->attached = 0;
    /* The header once, into private memory; the maps from the copy. */
    hv_ring_copy_in(&h, &c->p->hdr, sizeof(h));
    if (h.magic != HV_NETIF_MAGIC) {
        return;
    }
    for (uint32_t i = 0; i < HV_NETIF_BUF_PAGES; i++) {
        if (!net_grant(c, h.tx_gref[i], 0, c->tx_map, i) ||
            !net_grant(c, h.rx_gref[i], 1, c->rx_map, i)) {
            return;
        }
    }
    if (hv_netif_tx_back_attach(&c->tx.b, &c->p->tx) != 0 ||
        hv_netif_rx_back_attach(&c->rx.b, &c->p->rx) != 0) {
        FAIL("net: attach refused");
    }
    c->tx.busy = c->rx.busy = 0;
    c->tx.head = c->tx.n = c->rx.head = c->rx.n = 0;
    c->tx.broken = c->rx.broken = 0;
    c->tx.taken = c->tx.answered = c->rx.taken = c->rx.answered = 0;
    c->attached = 1;
}

static void run_net(struct input *in)
{
    struct net_fuzz *c = calloc(1, sizeof(*c));
    uint32_t ops = 0;

    c->p = calloc(1, sizeof(*c->p));
    c->tx_buf = malloc(HV_NETIF_BUFS * sizeof(*c->tx_buf));
    c->rx_buf = malloc(HV_NETIF_BUFS * sizeof(*c->rx_buf));
    c->tx_map = malloc(HV_NETIF_BUFS * sizeof(*c->tx_map));
    c->rx_map = malloc(HV_NETIF_BUFS * sizeof(*c->rx_map));
    for (uint32_t i = 0; i < HV_NETIF_BUFS; i++) {
        c->tx_buf[i] = calloc(1, HV_NETIF_BUF_SIZE);
        c->rx_buf[i] = calloc(1, HV_NETIF_BUF_SIZE);
    }
    /* An honest start: the frontend set the page up; the script may
     * spoil it before the first attach. */
    c->p->hdr.magic = HV_NETIF_MAGIC;
    for (uint32_t i = 0; i < HV_NETIF_BUF_PAGES; i++) {
        /* Pages granted in some order, not necessarily 0, 1, ... */
        c->p->hdr.tx_gref[i] = NET_GREF_TX + (i * 5) % HV_NETIF_BUF_PAGES;
        c->p->hdr.rx_gref[i] = NET_GREF_RX + (i * 3) % HV_NETIF_BUF_PAGES;
    }
    struct hv_ring_front f;
    if (hv_netif_tx_front_init(&f, &c->p->tx) != 0 ||
        hv_netif_rx_front_init(&f, &c->p->rx) != 0) {
        FAIL("net: front init refused");
    }
    net_attach(c);

    while (in->n > 0 && ops++ < 4000) {
        uint32_t op = take(in, 1) % 12;
        int rx = -1; /* which ring a backend call may write */
        uint32_t fields = 0;
        uint32_t rsp_at = ~0u;
        const char *what = "";
        struct net_dir *d;

        memcpy(&c->before, c->p, sizeof(c->before));
        switch (op) {
        case 0: {
            uint32_t off = take(in, 2) % sizeof(*c->p);
            uint32_t count = take(in, 1);
            for (uint32_t i = 0; i < count && off + i < sizeof(*c->p); i++) {
                ((uint8_t *)c->p)[off + i] = (uint8_t)take(in, 1);
            }
            continue;
        }
        case 1: {
            uint32_t which = take(in, 1);
            uint32_t v = take(in, 4);
            struct hv_ring_header *h =
                which & 1 ? &c->p->rx.hdr : &c->p->tx.hdr;
            const struct net_dir *nd = which & 1 ? &c->rx : &c->tx;
            uint32_t near = c->attached ? nd->b.req_cons : 0;
            uint32_t val = which & 2 ? v : near + (v % 80) - 8;
            volatile uint32_t *idx[4] = {&h->req_prod, &h->req_prod,
                                         &h->rsp_prod, &h->req_event};
            *idx[(which >> 2) & 3] = val;
            continue;
        }
        case 2: {
            uint32_t which = take(in, 1);
            uint8_t *buf = (which & 0x80 ? c->rx_buf : c->tx_buf)[which % 32];
            uint32_t off = take(in, 2) % HV_NETIF_BUF_SIZE;
            uint32_t count = take(in, 2) % 1600;
            for (uint32_t i = 0; i < count && off + i < HV_NETIF_BUF_SIZE;
                 i++) {
                buf[off + i] = (uint8_t)take(in, 1);
            }
            continue;
        }
        case 3: {
            /* A request near the checks' edges, at req_prod, published. */
            uint32_t shape = take(in, 1);
            uint32_t buf = shape & 0x40 ? take(in, 2) : shape & 0x1f;
            uint32_t v = take(in, 2);
            if (shape & 0x80) {
                struct hv_netif_rx_request r = {
                    (uint16_t)buf, (uint16_t)(shape & 0x20 ? v : 0)};
                uint32_t at = c->p->rx.hdr.req_prod;
                c->p->rx.req[at % HV_NETIF_RING_SLOTS] = r;
                c->p->rx.hdr.req_prod = at + 1;
            } else {
                static const uint16_t lens[] = {13, 14, 60, 1514, 1515};
                struct hv_netif_tx_request r = {
                    (uint16_t)buf, (uint16_t)(shape & 0x20 ? v : lens[v % 5])};
                uint32_t at = c->p->tx.hdr.req_prod;
                c->p->tx.req[at % HV_NETIF_RING_SLOTS] = r;
                c->p->tx.hdr.req_prod = at + 1;
            }
            continue;
        }
        case 4: {
            struct hv_netif_tx_request r;
            uint32_t busy = c->tx.busy;
            if (!c->attached) {
                break;
            }
            rx = 0;
            what = "tx take";
            if (net_get(&c->tx, hv_netif_tx_get_request(&c->tx.b, &r), what)) {
                break;
            }
            int32_t st = hv_netif_check_tx_request(&r, busy);
            if ((st == HV_NETIF_OK) != net_oracle(r.buf, r.len, busy, 0) ||
                (st != HV_NETIF_OK && st != HV_NETIF_EINVAL)) {
                FAIL("net: tx check says %d to buf %u len %u busy %08x",
                     (int)st, r.buf, r.len, (unsigned)busy);
            }
            if (st == HV_NETIF_OK) {
                /* Send it: copied out of the buffer, exactly. */
                uint8_t *frame = malloc(r.len);
                memcpy(frame, net_buffer(c->tx_map, r.buf), r.len);
                free(frame);
            }
            net_hold(&c->tx, r.buf, r.len, st);
            break;
        }
        case 6: {
            struct hv_netif_rx_request r;
            uint32_t busy = c->rx.busy;
            if (!c->attached) {
                break;
            }
            rx = 1;
            what = "rx take";
            if (net_get(&c->rx, hv_netif_rx_get_request(&c->rx.b, &r), what)) {
                break;
            }
            int32_t st = hv_netif_check_rx_request(&r, busy);
            if ((st == HV_NETIF_OK) != net_oracle(r.buf, r.reserved, busy, 1) ||
                (st != HV_NETIF_OK && st != HV_NETIF_EINVAL)) {
                FAIL("net: rx check says %d to buf %u reserved %u busy %08x",
                     (int)st, r.buf, r.reserved, (unsigned)busy);
            }
            net_hold(&c->rx, r.buf, 0, st);
            break;
        }
        case 5:
        case 7:
        case 11: {
            int is_rx = op == 7 || (op == 11 && (take(in, 1) & 1));
            d = is_rx ? &c->rx : &c->tx;
            if (!c->attached || (op == 11 && d->n > 0)) {
                break;
            }
            rx = is_rx;
            what = is_rx ? "rx answer" : "tx answer";
            uint32_t at = d->b.rsp_prod_pvt;
            struct net_held h = d->n ? d->q[d->head] : (struct net_held){0};
            struct hv_netif_tx_response ta = {h.buf, (int16_t)h.status};
            struct hv_netif_rx_response ra = {h.buf, 0, h.status};
            if (is_rx && d->n && h.status == HV_NETIF_OK) {
                /* A frame from the network, into the buffer: the
                 * buffer's bytes only, copied from private memory. */
                uint32_t len = HV_NETIF_FRAME_MIN + take(in, 2) % 1501;
                uint8_t *frame = malloc(len);
                memset(frame, (int)len, len);
                memcpy(net_buffer(c->rx_map, h.buf), frame, len);
                free(frame);
                ra.len = (uint16_t)len;
            }
            int32_t want =
                h.status == HV_NETIF_OK ? HV_NETIF_OK : HV_NETIF_EDROP;
            if (d->n && (is_rx ? hv_netif_check_rx_response(&ra) != want
                               : !hv_netif_tx_status_known(ta.status))) {
                FAIL("net: %s: the frontend would refuse it", what);
            }
            int32_t rc = is_rx ? hv_netif_rx_put_response(&d->b, &ra)
                               : hv_netif_tx_put_response(&d->b, &ta);
            if (d->n == 0) {
                /* Every request taken is answered: no second answer. */
                if (rc == 0 || d->b.rsp_prod_pvt != at) {
                    FAIL("net: %s with no request held was taken", what);
                }
                break;
            }
            /* A broken ring takes no answer (they stay owed: a new life
             * takes the requests again); a sound one takes each once. */
            if (rc != d->broken) {
                FAIL("net: %s: put returned %d", what, (int)rc);
            }
            if (rc == 0) {
                if (d->b.rsp_prod_pvt != at + 1) {
                    FAIL("net: %s: not one answer in its slot", what);
                }
                rsp_at = at % HV_NETIF_RING_SLOTS;
                net_release(d);
            }
            break;
        }
        case 8:
            if (!c->attached) {
                break;
            }
            rx = take(in, 1) & 1;
            d = rx ? &c->rx : &c->tx;
            what = rx ? "rx push" : "tx push";
            fields = NET_RSP_PROD;
            hv_ring_back_push(&d->b);
            if (d->b.rsp_prod != d->b.rsp_prod_pvt) {
                FAIL("net: %s did not publish", what);
            }
            break;
        case 9: {
            if (!c->attached) {
                break;
            }
            rx = take(in, 1) & 1;
            d = rx ? &c->rx : &c->tx;
            what = rx ? "rx final check" : "tx final check";
            fields = NET_REQ_EVENT;
            int32_t rc = hv_ring_back_final_check(&d->b);
            if (d->broken && rc != d->broken) {
                FAIL("net: %s: a broken ring worked again", what);
            }
            if (rc < 0) {
                if (rc != -HV_ERANGE) {
                    FAIL("net: %s returned %d", what, (int)rc);
                }
                d->broken = rc;
            } else if (rc > (int32_t)HV_NETIF_RING_SLOTS) {
                FAIL("net: %s: more requests waiting than slots", what);
            }
            break;
        }
        case 10:
            what = "attach";
            net_attach(c);
            break;
        }
        if (op >= 4) {
            net_check_page(c, rx, fields, rsp_at, what);
            if (c->attached) {
                net_check_dir(&c->tx, "tx");
                net_check_dir(&c->rx, "rx");
            }
        }
    }
    for (uint32_t i = 0; i < HV_NETIF_BUFS; i++) {
        free(c->tx_buf[i]);
        free(c->rx_buf[i]);
    }
    free(c->tx_buf);
    free(c->rx_buf);
    free(c->tx_map);
    free(c->rx_map);
    free(c->p);
    free(c);
}

/* --- The network backend's transmit chains (mode bit 4) ------------------ */

/*
 * hv_netif_check_header, hv_netif_tx_chain_add and hv_netif_check_tx_meta
 * against an oracle written apart from them (per-flag rules, the frame's
 * bytes counted its own way). The input: a header of raw bytes (its
 * features, when accepted, are the chain's; else a byte picks them),
 * then requests of raw 16-bit buffer numbers and lengths (flag bits
 * included), each whole frame with the meta followed by 12 raw bytes of
 * its meta. Checked: every answer the oracle's, a whole frame's byte
 * counts and buffers, no buffer twice in a chain.
 */
static int32_t chain_oracle(uint32_t features, uint32_t n, uint32_t busy,
                            uint32_t *bytes_so_far, uint32_t *first,
                            uint32_t *has_meta, uint32_t buf, uint32_t len)
{
    uint32_t bytes = len & 0xfffu, more = len & 0x8000u, meta = len & 0x4000u;
    uint32_t start;

    if (!(features & 1u)) {
        if (buf >= 32 || ((busy >> buf) & 1u) || len < 14 || len > 1514) {
            return HV_NETIF_EINVAL;
        }
        *bytes_so_far = *first = len;
        return HV_NETIF_TX_FRAME;
    }
    start = (meta ? 12u : 0u) + ((features & 2u) ? 2u : 0u);
    if (buf >= 32 || ((busy >> buf) & 1u) || (len & 0x3000u) || bytes == 0 ||
        bytes > 2048 || (meta && n > 0) || (n == 0 && bytes < 14 + start) ||
        (more && n + 2 > 16)) {
        return HV_NETIF_EINVAL;
    }
    if (n == 0) {
        *has_meta = meta != 0;
        *first = bytes - start;
        *bytes_so_far = bytes - start;
    } else {
        *bytes_so_far += bytes;
    }
    if (more) {
        return HV_NETIF_OK;
    }
    return *has_meta || *bytes_so_far <= 1514 ? HV_NETIF_TX_FRAME
                                              : HV_NETIF_EINVAL;
}

static int32_t meta_oracle(const uint8_t *m, uint32_t bytes, uint32_t first)
{
    uint32_t flags = m[0], type = m[1];
    uint32_t size = m[4] | (uint32_t)m[5] << 8;
    uint32_t cstart = m[6] | (uint32_t)m[7] << 8;
    uint32_t coff = m[8] | (uint32_t)m[9] << 8;

    if (m[10] || m[11] || (flags & 0xfeu)) {
        return HV_NETIF_EINVAL;
    }
    if (type == 0) {
        if (size != 0 || bytes > 1514) {
            return HV_NETIF_EINVAL;
        }
    } else if ((type != 1 && type != 4 && type != 0x81 && type != 0x84) ||
               !(flags & 1u) || size == 0 || size > 1500 || bytes > 32754) {
        return HV_NETIF_EINVAL;
    }
    if (!(flags & 1u)) {
        return cstart == 0 && coff == 0 ? HV_NETIF_OK : HV_NETIF_EINVAL;
    }
    return cstart >= 14 && cstart + coff + 2 <= first ? HV_NETIF_OK
                                                      : HV_NETIF_EINVAL;
}

static void run_netchain(struct input *in)
{
    struct hv_netif_header h;
    struct hv_netif_tx_chain c;
    uint32_t n = 0, bytes = 0, first = 0, has_meta = 0, bufs = 0;
    uint8_t raw[sizeof(h)];

    for (unsigned int i = 0; i < sizeof(raw); i++) {
        raw[i] = (uint8_t)take(in, 1);
    }
    memcpy(&h, raw, sizeof(h));
    int32_t want = h.magic == HV_NETIF_MAGIC && !(h.features & ~3u) &&
                           (h.features & 3u) != 2u && !h.reserved[0] &&
                           !h.reserved[1]
                       ? HV_NETIF_OK
                       : HV_NETIF_EINVAL;
    CHECK(hv_netif_check_header(&h) == want, "header check");
    uint32_t features = want == HV_NETIF_OK ? h.features : take(in, 1) & 3u;
    if (features == 2u) {
        features = 3u; /* the aligned layout only with the offload */
    }
    memset(&c, 0, sizeof(c));
    while (in->n > 0) {
        struct hv_netif_tx_request r;
        r.buf = (uint16_t)take(in, 1); /* mostly in range */
        if (r.buf == 0xff) {
            r.buf = (uint16_t)take(in, 2);
        }
        /* raw, or a full buffer (long chains, the largest frames) */
        uint32_t shape = take(in, 1);
        r.len = shape < 0xc0 ? (uint16_t)take(in, 2)
                             : (uint16_t)(2048u | (shape & 1u ? 0x8000u : 0u) |
                                          (shape & 2u ? 0x4000u : 0u));
        int32_t exp = chain_oracle(features, n, bufs, &bytes, &first, &has_meta,
                                   r.buf, r.len);
        int32_t got = hv_netif_tx_chain_add(&c, &r, features, 0);
        CHECK(got == exp, "chain answer");
        if (got == HV_NETIF_EINVAL) {
            memset(&c, 0, sizeof(c));
            n = bytes = first = has_meta = bufs = 0;
            continue;
        }
        n++;
        bufs |= 1u << r.buf;
        CHECK(c.n == n && c.busy == bufs && c.bytes == bytes &&
                  c.first == first && c.meta == has_meta,
              "chain state");
        if (got == HV_NETIF_OK) {
            continue;
        }
        CHECK(n <= HV_NETIF_TX_CHAIN_MAX && c.first >= HV_NETIF_FRAME_MIN &&
                  c.first <= c.bytes,
              "a whole frame's counts");
        if (c.meta) {
            struct hv_netif_tx_meta m;
            uint8_t mb[sizeof(m)];
            static const uint8_t types[] = {0, 1, 4, 0x81, 0x84, 3};
            uint32_t sane = take(in, 1);
            for (unsigned int i = 0; i < sizeof(mb); i++) {
                mb[i] = (uint8_t)take(in, 1);
            }
            if (sane & 1u) {
                /* past the first checks: reserved 0, known values */
                mb[0] &= 3u;
                mb[1] = types[mb[1] % sizeof(types)];
                mb[10] = mb[11] = 0;
                if (sane & 2u) {
                    mb[5] &= 7u; /* segment sizes near the MTU */
                }
            }
            memcpy(&m, mb, sizeof(m));
            CHECK(hv_netif_check_tx_meta(&m, &c) ==
                      meta_oracle(mb, c.bytes, c.first),
                  "meta check");
        }
        memset(&c, 0, sizeof(c));
        n = bytes = first = has_meta = bufs = 0;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct input in = {data, size};
    uint32_t mode = take(&in, 1);
    struct hv_blkif_info dev;
    uint8_t raw[sizeof(dev)];

    if (mode & 16) {
        run_netchain(&in);
        return 0;
    }
    if (mode & 8) {
        run_net(&in);
        return 0;
    }
    if (mode & 4) {
        run_console(&in);
        return 0;
    }

    for (unsigned int i = 0; i < sizeof(raw); i++) {
        raw[i] = (uint8_t)take(&in, 1);
    }
    memcpy(&dev, raw, sizeof(dev));
    if (!(mode & 2)) {
        /* Sane: sector size 512 << (0..3), features, a capacity that
         * fits it, small or near the top of the range. */
        dev.sector_size = 512u << (raw[8] & 3);
        dev.features &= HV_BLKIF_F_ALL;
        dev.reserved[0] = dev.reserved[1] = 0;
        if (raw[9] & 1) {
            dev.sectors &= 0xffff;
        }
        dev.sectors -= dev.sectors % (dev.sector_size / 512);
    }
    /* The shared ring, exactly its size; the peer's garbage in it. */
    struct hv_blkif_sring *s = malloc(sizeof(*s));
    memset(s, 0, sizeof(*s));
    if (mode & 1) {
        run_frontend(s, &in);
    } else {
        run_backend(s, &in, &dev);
    }
    free(s);
    return 0;
}
