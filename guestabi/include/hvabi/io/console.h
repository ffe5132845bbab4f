/* SPDX-License-Identifier: MIT */
/*
 * The console protocol: a byte stream each way between a guest (the
 * frontend) and the guest that owns a UART (the backend, a driver
 * domain), on one page the frontend grants read-write to the backend
 * and publishes with HV_OP_CONN_SET_RING (connection kind
 * HV_CONN_KIND_CONSOLE, <hvabi/conn.h>). docs/io.md has the protocol
 * rules; this header is its reference implementation.
 *
 * The page (struct hv_cons_page): four free-running uint32_t indexes,
 * then two byte rings whose sizes are powers of two:
 *
 *   out_prod  bytes the frontend wrote into out[]      frontend writes
 *   out_cons  bytes of out[] the backend has sent       backend writes
 *   in_prod   bytes the backend wrote into in[]         backend writes
 *   in_cons   bytes of in[] the frontend has read       frontend writes
 *
 * Byte i of a ring is at i & (size - 1). A side writes only its own two
 * indexes and only the bytes between its producer index and the peer's
 * consumer index plus the size; it reads the peer's index once per call
 * and accepts it only if it moved forward and not further than the
 * ring holds. Anything else is a broken peer: -HV_ERANGE, and the ring
 * stays broken for that side (struct hv_cons_side) until it attaches
 * again.
 *
 * Nothing is lost across a backend restart: the frontend's page, with
 * the bytes not yet sent, outlives the backend (the monitor keeps the
 * ring grant). A backend advances out_cons only once the UART has sent
 * the bytes, and a restarted backend takes its own indexes from the page
 * (hv_cons_back_attach): it resumes where the last life stopped. While
 * no backend runs, the frontend's writes fill out[] and then return 0
 * (a full ring: the writer waits); they never overwrite.
 *
 * Notification: after moving an index, a side sends the connection's
 * event (HV_OP_EVTCHN_SEND) if it moved anything; each side rereads the
 * indexes on every event, and once more after it re-enabled its event
 * (a console's rate needs no hold-off).
 *
 * Needs only <stdint.h>, <hvabi/abi.h> and <hvabi/io/ring.h> (its
 * barriers, index accesses and copies).
 */
#ifndef HVABI_IO_CONSOLE_H
#define HVABI_IO_CONSOLE_H

#include "ring.h"

#define HV_CONS_OUT_SIZE 2048u /* frontend -> backend (guest output) */
#define HV_CONS_IN_SIZE 1024u  /* backend -> frontend (guest input) */

struct hv_cons_page {
    uint32_t out_prod;     /* frontend */
    uint32_t out_cons;     /* backend */
    uint32_t in_prod;      /* backend */
    uint32_t in_cons;      /* frontend */
    uint32_t reserved[12]; /* 0 */
    uint8_t out[HV_CONS_OUT_SIZE];
    uint8_t in[HV_CONS_IN_SIZE];
};
HV_STATIC_ASSERT(sizeof(struct hv_cons_page) == 64 + 3072, hv_cons_page_size);
HV_STATIC_ASSERT(HV_IO_OFFSETOF(struct hv_cons_page, out) == 64,
                 hv_cons_page_out);
HV_STATIC_ASSERT(HV_IO_OFFSETOF(struct hv_cons_page, in) == 64 + 2048,
                 hv_cons_page_in);
HV_STATIC_ASSERT((HV_CONS_OUT_SIZE & (HV_CONS_OUT_SIZE - 1)) == 0 &&
                     (HV_CONS_IN_SIZE & (HV_CONS_IN_SIZE - 1)) == 0,
                 hv_cons_sizes_pow2);

/*
 * One side's private view of one direction's indexes: what it produced
 * or consumed (its own index, which it trusts), the peer's index as last
 * accepted, and the broken state.
 */
struct hv_cons_side {
    uint32_t out;      /* frontend: out_prod; backend: out_cons */
    uint32_t in;       /* frontend: in_cons; backend: in_prod */
    uint32_t peer_out; /* frontend: out_cons; backend: out_prod, accepted */
    uint32_t peer_in;  /* frontend: in_prod; backend: in_cons, accepted */
    int32_t error;     /* 0, or -HV_ERANGE once the peer broke the ring */
};

/*
 * Reads the peer's index @shared once and accepts it if it lies in
 * [*seen, @limit]: moved forward from @seen (the last accepted) and not
 * past @limit, which is our own producer index for a consumer's index
 * (it may not pass what we produced) and our own consumer index + size
 * for a producer's (it may not overwrite what we have not consumed).
 * Returns 0 or -HV_ERANGE (kept in @error). Wrap-safe.
 */
static HV_IO_INLINE int32_t hv_cons_accept(const volatile uint32_t *shared,
                                           uint32_t *seen, uint32_t limit,
                                           int32_t *error)
{
    uint32_t v;

    if (*error) {
        return *error;
    }
    v = hv_ring_load(shared);
    if ((uint32_t)(v - *seen) > (uint32_t)(limit - *seen)) {
        *error = -HV_ERANGE;
        return *error;
    }
    /* RMB: the index load before the loads of the bytes it covers (a
     * producer's index) or before our stores into the bytes it freed (a
     * consumer's index; ARMv7 has no load-store-only barrier). */
    hv_ring_mb();
    *seen = v;
    return 0;
}

/*
 * Producer: writes up to @len bytes of @data into the ring @buf of @size
 * bytes, after *prod (private), with the consumer's index read from
 * @shared_cons (last accepted in *peer_cons), and publishes *prod in
 * @shared_prod. Returns the bytes written (0 if the ring is full) or
 * -HV_ERANGE.
 */
static HV_IO_INLINE int32_t hv_cons_put(volatile uint32_t *shared_prod,
                                        const volatile uint32_t *shared_cons,
                                        uint32_t *prod, uint32_t *peer_cons,
                                        int32_t *error, volatile uint8_t *buf,
                                        uint32_t size, const void *data,
                                        uint32_t len)
{
    const uint8_t *src = (const uint8_t *)data;
    uint32_t space, n, at, first;
    int32_t rc = hv_cons_accept(shared_cons, peer_cons, *prod, error);

    if (rc) {
        return rc;
    }
    space = size - (*prod - *peer_cons);
    n = len < space ? len : space;
    if (n == 0) {
        return 0;
    }
    at = *prod & (size - 1);
    first = size - at < n ? size - at : n;
    hv_ring_copy_out(buf + at, src, first);
    hv_ring_copy_out(buf, src + first, n - first);
    *prod += n;
    /* MB (release): the bytes before the index that covers them. */
    hv_ring_mb();
    hv_ring_store(shared_prod, *prod);
    return (int32_t)n;
}

/*
 * Consumer: reads up to @len bytes into @data from the ring @buf of
 * @size bytes, after *cons (private), with the producer's index read
 * from @shared_prod (last accepted in *peer_prod), and publishes *cons
 * in @shared_cons. With @peek, the bytes are copied but *cons and
 * @shared_cons do not move (a backend passes them on, then calls again
 * without @peek once they are sent). Returns the bytes read (0 if none
 * wait) or -HV_ERANGE.
 */
static HV_IO_INLINE int32_t hv_cons_get(const volatile uint32_t *shared_prod,
                                        volatile uint32_t *shared_cons,
                                        uint32_t *cons, uint32_t *peer_prod,
                                        int32_t *error,
                                        const volatile uint8_t *buf,
                                        uint32_t size, void *data, uint32_t len,
                                        int peek)
{
    uint8_t *dst = (uint8_t *)data;
    uint32_t avail, n, at, first;
    int32_t rc = hv_cons_accept(shared_prod, peer_prod, *cons + size, error);

    if (rc) {
        return rc;
    }
    avail = *peer_prod - *cons;
    n = len < avail ? len : avail;
    if (n == 0) {
        return 0;
    }
    at = *cons & (size - 1);
    first = size - at < n ? size - at : n;
    hv_ring_copy_in(dst, buf + at, first);
    hv_ring_copy_in(dst + first, buf, n - first);
    if (!peek) {
        *cons += n;
        /* MB: our loads of the bytes before the index that frees them. */
        hv_ring_mb();
        hv_ring_store(shared_cons, *cons);
    }
    return (int32_t)n;
}

/* Frontend: a fresh page (zeroed by the caller) and side. */
static HV_IO_INLINE void hv_cons_front_init(struct hv_cons_side *s)
{
    s->out = s->in = s->peer_out = s->peer_in = 0;
    s->error = 0;
}

/* Frontend: guest output. Bytes written, 0 if full, or -HV_ERANGE. */
static HV_IO_INLINE int32_t hv_cons_front_write(struct hv_cons_side *s,
                                                volatile struct hv_cons_page *p,
                                                const void *data, uint32_t len)
{
    return hv_cons_put(&p->out_prod, &p->out_cons, &s->out, &s->peer_out,
                       &s->error, p->out, HV_CONS_OUT_SIZE, data, len);
}

/* Frontend: guest input. Bytes read, 0 if none, or -HV_ERANGE. */
static HV_IO_INLINE int32_t hv_cons_front_read(struct hv_cons_side *s,
                                               volatile struct hv_cons_page *p,
                                               void *data, uint32_t len)
{
    return hv_cons_get(&p->in_prod, &p->in_cons, &s->in, &s->peer_in, &s->error,
                       p->in, HV_CONS_IN_SIZE, data, len, 0);
}

/*
 * Backend: attach to a page, a fresh backend or one whose last life
 * died: its own indexes come from the page, checked against the
 * frontend's. 0, or -HV_ERANGE if the page cannot be a console's (the
 * frontend is broken; the side stays broken).
 */
static HV_IO_INLINE int32_t hv_cons_back_attach(struct hv_cons_side *s,
                                                volatile struct hv_cons_page *p)
{
    s->out = hv_ring_load(&p->out_cons);
    s->in = hv_ring_load(&p->in_prod);
    s->peer_out = s->out;
    s->peer_in = s->in - HV_CONS_IN_SIZE;
    s->error = 0;
    /* The frontend's indexes must lie in what ours allow. */
    if (hv_cons_accept(&p->out_prod, &s->peer_out, s->out + HV_CONS_OUT_SIZE,
                       &s->error) ||
        hv_cons_accept(&p->in_cons, &s->peer_in, s->in, &s->error)) {
        return s->error;
    }
    return 0;
}

/*
 * Backend: guest output waiting to be sent, copied into @data (up to
 * @len) without consuming it. Bytes copied, 0 if none, or -HV_ERANGE.
 */
static HV_IO_INLINE int32_t hv_cons_back_peek(struct hv_cons_side *s,
                                              volatile struct hv_cons_page *p,
                                              void *data, uint32_t len)
{
    return hv_cons_get(&p->out_prod, &p->out_cons, &s->out, &s->peer_out,
                       &s->error, p->out, HV_CONS_OUT_SIZE, data, len, 1);
}

/*
 * Backend: @n bytes of what hv_cons_back_peek returned have been sent:
 * consumes them. @n must not exceed what the last peek returned. Only
 * an @n beyond the bytes waiting when the last peek looked is ignored
 * (out_cons never passes out_prod); one within those but beyond the
 * peek's count consumes bytes never sent, and they are lost.
 */
static HV_IO_INLINE void hv_cons_back_consumed(struct hv_cons_side *s,
                                               volatile struct hv_cons_page *p,
                                               uint32_t n)
{
    if (s->error || n > s->peer_out - s->out) {
        return;
    }
    s->out += n;
    hv_ring_mb();
    hv_ring_store(&p->out_cons, s->out);
}

/* Backend: input for the guest. Bytes written, 0 if full, or -HV_ERANGE. */
static HV_IO_INLINE int32_t hv_cons_back_write(struct hv_cons_side *s,
                                               volatile struct hv_cons_page *p,
                                               const void *data, uint32_t len)
{
    return hv_cons_put(&p->in_prod, &p->in_cons, &s->in, &s->peer_in, &s->error,
                       p->in, HV_CONS_IN_SIZE, data, len);
}

#endif /* HVABI_IO_CONSOLE_H */
