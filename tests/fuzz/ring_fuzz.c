/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for <hvabi/io/ring.h>, <hvabi/io/blkif.h> and
 * <hvabi/io/console.h>, each side facing a hostile peer that may write
 * anything anywhere in the shared ring or page, at any time, indexes
 * included.
 *
 * The input: a mode byte (bit 2: the console, run_console below; else
 * bit 0: play the backend or the frontend; bit 1: the device description
 * taken raw, else made sane from the bytes), 24 bytes of device
 * description, then a script of operations, one byte each followed by
 * its operands:
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

#define FAIL(...)                                                              \
    do {                                                                       \
        fprintf(stderr, "ring_fuzz: " __VA_ARGS__);                            \
        fprintf(stderr, "\n");                                                 \
        abort();                                                               \
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct input in = {data, size};
    uint32_t mode = take(&in, 1);
    struct hv_blkif_info dev;
    uint8_t raw[sizeof(dev)];

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
