/* SPDX-License-Identifier: MIT */
/*
 * Shared rings between two guests: a frontend (the client of a split
 * device) and a backend (the guest that owns the device). docs/io.md has
 * the protocol; this header is its reference implementation.
 *
 * One shared area, granted by the frontend: a 64-byte header
 * (struct hv_ring_header), then `size` request slots (written by the
 * frontend only), then `size` response slots (written by the backend
 * only); size is a power of two. The response at index i answers the
 * request at index i: a backend may execute requests in any order but
 * publishes their responses in request order. A request slot is reused
 * only once its response has been consumed, so every request not yet
 * answered is still intact in the ring: a backend that restarts replays
 * those between rsp_prod and req_prod (docs/io.md). Four free-running
 * uint32_t indexes, compared only by their differences (wrap-safe):
 *
 *   req_prod   requests published by the frontend       frontend writes
 *   rsp_event  "notify me when rsp_prod passes this"     frontend writes
 *   rsp_prod   responses published by the backend       backend writes
 *   req_event  "notify me when req_prod passes this"     backend writes
 *
 * Slots of index i: i & (size - 1). Each side keeps its own indexes in a
 * private struct (struct hv_ring_front, struct hv_ring_back) and trusts
 * only those: a shared index is read once, checked against the private
 * ones, and the ring is marked broken (-HV_ERANGE from then on) if the
 * peer moved it where it never could. Slots are copied out into private
 * memory before anything looks at them (double fetch, XSA-155), and the
 * copy is what the caller validates and uses.
 *
 * Notification hold-off: after publishing, a producer notifies the peer
 * only if the peer's event index lies in (old, new]. A consumer about to
 * sleep re-arms its event index and then checks the producer index once
 * more (hv_ring_*_final_check), so no wake-up is lost.
 *
 * Generic over slot types: the core functions take sizes, and
 * HV_RING_DEFINE(name, request type, response type, slots) declares the
 * shared layout and typed wrappers (io/blkif.h uses it).
 *
 * Needs only <stdint.h> and <hvabi/abi.h>; C89-C11 and C++98-C++17, GCC
 * or clang. The inline functions are available on the host too (with
 * compiler fences), so tests run there.
 */
#ifndef HVABI_IO_RING_H
#define HVABI_IO_RING_H

#if defined(__KERNEL__) && defined(__linux__)
/* A Linux guest kernel carries these headers verbatim (pvlinux-patches):
 * it has no <stdint.h>, and <linux/types.h> defines the same types. */
#include <linux/types.h>
#else
#include <stdint.h>
#endif

#include "../abi.h"

#if defined(__cplusplus)
#define HV_IO_INLINE inline
#elif defined(__GNUC__)
#define HV_IO_INLINE __inline__
#else
#error "hvabi/io/ring.h needs GCC or clang (inline, asm, builtins)"
#endif

/* offsetof without <stddef.h>, usable in HV_STATIC_ASSERT. */
#define HV_IO_OFFSETOF(type, member) __builtin_offsetof(type, member)

/*
 * Barriers.
 *
 * ARMv7: both guests are CPUs of one inner shareable domain, so DMB ISH.
 * Today the machine is uniprocessor and the monitor switches guests
 * through exceptions, which a single core observes in program order:
 * there the barriers only need to stop the compiler. They are real DMBs
 * all the same, for a future SMP monitor that runs the two peers on two
 * cores at once (their shared pages then mapped inner shareable), and
 * because a switch may happen at any instruction.
 *
 *   hv_ring_rmb()  loads before later loads     DMB ISH (ARMv7 has no
 *                                               load-only DMB)
 *   hv_ring_mb()   loads and stores before      DMB ISH: before publishing
 *                  later loads and stores       an index (our slot writes
 *                                               and slot reads done), and
 *                                               wherever a store must
 *                                               precede a later load
 *
 * (DMB ISHST, stores only, is not enough to publish: see the pushes.)
 *
 * Elsewhere (the host, for tests; an older ARM, for the header compile
 * tests) the compiler's fences, which also emit whatever the target needs.
 * Each includes a compiler barrier ("memory" clobber).
 */
#if defined(__arm__) && defined(__ARM_ARCH) && __ARM_ARCH >= 7
#define hv_ring_rmb() __asm__ __volatile__("dmb ish" : : : "memory")
#define hv_ring_mb() __asm__ __volatile__("dmb ish" : : : "memory")
#else
#define hv_ring_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define hv_ring_mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#endif

/*
 * Test hook: runs before every access to a shared index. Empty unless
 * the includer defines it; the host tests use it to interleave the two
 * sides one shared access at a time (tests/io/test_ring_interleave.c).
 */
#ifndef HV_RING_STEP
#define HV_RING_STEP() ((void)0)
#endif

/* The shared header: each side writes its own 32-byte cache line only. */
struct hv_ring_header {
    /* Written by the frontend. */
    uint32_t req_prod;
    uint32_t rsp_event;
    uint32_t front_reserved[6]; /* 0 */
    /* Written by the backend. */
    uint32_t rsp_prod;
    uint32_t req_event;
    uint32_t back_reserved[6]; /* 0 */
};
#define HV_RING_HEADER_SIZE 64u
HV_STATIC_ASSERT(sizeof(struct hv_ring_header) == HV_RING_HEADER_SIZE,
                 hv_ring_header_size);
HV_STATIC_ASSERT(HV_IO_OFFSETOF(struct hv_ring_header, req_prod) == 0,
                 hv_ring_header_req_prod);
HV_STATIC_ASSERT(HV_IO_OFFSETOF(struct hv_ring_header, rsp_event) == 4,
                 hv_ring_header_rsp_event);
HV_STATIC_ASSERT(HV_IO_OFFSETOF(struct hv_ring_header, rsp_prod) == 32,
                 hv_ring_header_rsp_prod);
HV_STATIC_ASSERT(HV_IO_OFFSETOF(struct hv_ring_header, req_event) == 36,
                 hv_ring_header_req_event);

/* Rings have 1 to HV_RING_MAX_SIZE slots, a power of two. */
#define HV_RING_MAX_SIZE 4096u

/* The largest power of two <= n, for 1 <= n < 8192 (a constant). */
#define HV_RING_POW2_FLOOR(n)                                                  \
    ((n) >= 4096u   ? 4096u                                                    \
     : (n) >= 2048u ? 2048u                                                    \
     : (n) >= 1024u ? 1024u                                                    \
     : (n) >= 512u  ? 512u                                                     \
     : (n) >= 256u  ? 256u                                                     \
     : (n) >= 128u  ? 128u                                                     \
     : (n) >= 64u   ? 64u                                                      \
     : (n) >= 32u   ? 32u                                                      \
     : (n) >= 16u   ? 16u                                                      \
     : (n) >= 8u    ? 8u                                                       \
     : (n) >= 4u    ? 4u                                                       \
     : (n) >= 2u    ? 2u                                                       \
                    : 1u)

/* Slot pairs (a request and a response slot of pair_size bytes together)
 * that fit in an area of bytes after the header. */
#define HV_RING_SLOTS_IN(bytes, pair_size)                                     \
    HV_RING_POW2_FLOOR(((bytes)-HV_RING_HEADER_SIZE) / (pair_size))

/* The frontend's private state. Only these values are trusted. */
struct hv_ring_front {
    struct hv_ring_header *sh;
    unsigned char *req_slots;
    unsigned char *rsp_slots;
    uint32_t req_size;     /* bytes of a request slot */
    uint32_t rsp_size;     /* bytes of a response slot */
    uint32_t size;         /* slots of each kind, a power of two */
    uint32_t req_prod_pvt; /* requests written into slots */
    uint32_t req_prod;     /* requests published (our last req_prod store) */
    uint32_t rsp_cons;     /* responses consumed */
    uint32_t rsp_prod;     /* the backend's rsp_prod as last read and checked */
    int32_t error;         /* 0, or -HV_ERANGE once the backend broke it */
};

/* The backend's private state. */
struct hv_ring_back {
    struct hv_ring_header *sh;
    unsigned char *req_slots;
    unsigned char *rsp_slots;
    uint32_t req_size;
    uint32_t rsp_size;
    uint32_t size;
    uint32_t rsp_prod_pvt; /* responses written into slots */
    uint32_t rsp_prod;     /* responses published */
    uint32_t req_cons;     /* requests consumed (copied out) */
    uint32_t req_prod; /* the frontend's req_prod as last read and checked */
    int32_t error;     /* 0, or -HV_ERANGE once the frontend broke it */
};

/*
 * Shared index accesses: one aligned 32-bit volatile load or store each,
 * a single LDR or STR (single-copy atomic on ARMv7), never repeated or
 * merged by the compiler.
 */
static HV_IO_INLINE uint32_t hv_ring_load(const volatile uint32_t *p)
{
    HV_RING_STEP();
    return *p;
}

static HV_IO_INLINE void hv_ring_store(volatile uint32_t *p, uint32_t v)
{
    HV_RING_STEP();
    *p = v;
}

#if defined(__GNUC__)
/* A word that may alias anything, for the copies below. */
typedef uint32_t __attribute__((__may_alias__)) hv_ring_word_t;
#endif

/*
 * Copies n bytes out of shared memory into private memory, reading each
 * shared byte exactly once (volatile). The peer may change the source
 * meanwhile: the copy may then be a mix of old and new bytes, but it
 * stays what it is, and the caller validates and uses the copy only.
 */
static HV_IO_INLINE void hv_ring_copy_in(void *dst, const volatile void *src,
                                         uint32_t n)
{
    unsigned char *d = (unsigned char *)dst;
    const volatile unsigned char *s = (const volatile unsigned char *)src;
    uint32_t i = 0;

#if defined(__GNUC__)
    if ((((uintptr_t)d | (uintptr_t)s | n) & 3u) == 0) {
        const volatile hv_ring_word_t *sw = (const volatile hv_ring_word_t *)s;
        hv_ring_word_t *dw = (hv_ring_word_t *)d;
        for (; i < n / 4; i++) {
            dw[i] = sw[i];
        }
        return;
    }
#endif
    for (; i < n; i++) {
        d[i] = s[i];
    }
}

/* Copies n private bytes into shared memory, writing each byte once. */
static HV_IO_INLINE void hv_ring_copy_out(volatile void *dst, const void *src,
                                          uint32_t n)
{
    volatile unsigned char *d = (volatile unsigned char *)dst;
    const unsigned char *s = (const unsigned char *)src;
    uint32_t i = 0;

#if defined(__GNUC__)
    if ((((uintptr_t)d | (uintptr_t)s | n) & 3u) == 0) {
        volatile hv_ring_word_t *dw = (volatile hv_ring_word_t *)d;
        const hv_ring_word_t *sw = (const hv_ring_word_t *)s;
        for (; i < n / 4; i++) {
            dw[i] = sw[i];
        }
        return;
    }
#endif
    for (; i < n; i++) {
        d[i] = s[i];
    }
}

/*
 * Notification hold-off: a producer that moved its index from old to prod
 * notifies the peer only if the peer asked to be told at an index in
 * (old, prod]. All three are free-running: the differences do the wrap.
 */
static HV_IO_INLINE int hv_ring_notify_needed(uint32_t old, uint32_t prod,
                                              uint32_t event)
{
    return (uint32_t)(prod - event) < (uint32_t)(prod - old);
}

/*
 * Publishes this side's producer index: @prod (its private copy) into
 * @shared_prod, remembered in @published. Returns 1 if the peer must be
 * notified (its @peer_event lies in (old, new]), else 0. The two
 * barriers are the whole protocol's; hv_ring_front_final_check and
 * hv_ring_back_final_check have the mirror of the second.
 */
static HV_IO_INLINE int hv_ring_publish(volatile uint32_t *shared_prod,
                                        uint32_t *published, uint32_t prod,
                                        const volatile uint32_t *peer_event)
{
    uint32_t old = *published;

    if (old == prod) {
        return 0;
    }
    /* MB (release): the bytes stored into the slots are visible before
     * the index that tells the peer to read them, and our copies out of
     * the peer's slots consumed are done before it: once the peer sees
     * the index it may write those slots again. A full DMB, not DMB
     * ISHST, because that also orders those loads: ARMv7 lets an earlier
     * load complete after a later store to another address. */
    hv_ring_mb();
    hv_ring_store(shared_prod, prod);
    *published = prod;
    /* MB: the index store is visible before the peer's event index is
     * loaded (store then load: only a full barrier orders them).
     * Otherwise the load could see the peer's old event index while the
     * peer, having just re-armed it, reads our old index and sleeps: a
     * lost wake-up. */
    hv_ring_mb();
    return hv_ring_notify_needed(old, prod, hv_ring_load(peer_event));
}

/*
 * Reads the peer's producer index once and accepts it only if it moved
 * forward from @seen (the last accepted) and not past @limit; wrap-safe,
 * as all indexes are free-running. Returns the entries waiting after
 * @cons, or -HV_ERANGE, which then stays in @error (the ring is broken).
 */
static HV_IO_INLINE int32_t hv_ring_accept(const volatile uint32_t *shared_prod,
                                           uint32_t *seen, uint32_t limit,
                                           uint32_t cons, int32_t *error)
{
    uint32_t prod;

    if (*error) {
        return *error;
    }
    prod = hv_ring_load(shared_prod);
    if ((uint32_t)(prod - *seen) > (uint32_t)(limit - *seen)) {
        *error = -HV_ERANGE;
        return *error;
    }
    /* RMB: the index load comes before the loads of the slots it covers,
     * so they cannot return what was there before the peer wrote them
     * (the first MB of the peer's hv_ring_publish is the other half). */
    hv_ring_rmb();
    *seen = prod;
    return (int32_t)(prod - cons);
}

/*
 * Before sleeping: asks the peer to notify at index @cons + 1. The caller
 * then polls again.
 */
static HV_IO_INLINE void hv_ring_rearm(volatile uint32_t *event, uint32_t cons)
{
    hv_ring_store(event, cons + 1);
    /* MB: the event store is visible before the producer index is loaded
     * again (store then load). Either the peer's hv_ring_publish sees the
     * new event and notifies, or the reload sees its new index; without
     * the barrier both could miss (the mirror of hv_ring_publish's second
     * MB). */
    hv_ring_mb();
}

static HV_IO_INLINE int hv_ring_size_ok(uint32_t size, uint32_t req_size,
                                        uint32_t rsp_size)
{
    return size != 0 && size <= HV_RING_MAX_SIZE && (size & (size - 1)) == 0 &&
           req_size != 0 && req_size % 4 == 0 && rsp_size != 0 &&
           rsp_size % 4 == 0;
}

static HV_IO_INLINE volatile unsigned char *
hv_ring_slot_at(unsigned char *slots, uint32_t slot_size, uint32_t size,
                uint32_t index)
{
    return slots + (index & (size - 1)) * slot_size;
}

/* --- Frontend ------------------------------------------------------------ */

/*
 * Sets up a fresh ring in memory the frontend owns (before granting it):
 * the header and every slot zeroed, both event indexes 1 (the first item
 * either way notifies). Returns 0, or -HV_EINVAL for a size that is not
 * a power of two up to HV_RING_MAX_SIZE or a slot size not a multiple of 4.
 */
static HV_IO_INLINE int32_t hv_ring_front_init(
    struct hv_ring_front *f, struct hv_ring_header *sh, void *req_slots,
    uint32_t req_size, void *rsp_slots, uint32_t rsp_size, uint32_t size)
{
    volatile unsigned char *h = (volatile unsigned char *)sh;
    volatile unsigned char *q = (volatile unsigned char *)req_slots;
    volatile unsigned char *r = (volatile unsigned char *)rsp_slots;
    uint32_t i;

    if (!hv_ring_size_ok(size, req_size, rsp_size)) {
        return -HV_EINVAL;
    }
    for (i = 0; i < HV_RING_HEADER_SIZE; i++) {
        h[i] = 0;
    }
    for (i = 0; i < size * req_size; i++) {
        q[i] = 0;
    }
    for (i = 0; i < size * rsp_size; i++) {
        r[i] = 0;
    }
    hv_ring_store(&sh->req_event, 1);
    hv_ring_store(&sh->rsp_event, 1);
    f->sh = sh;
    f->req_slots = (unsigned char *)req_slots;
    f->rsp_slots = (unsigned char *)rsp_slots;
    f->req_size = req_size;
    f->rsp_size = rsp_size;
    f->size = size;
    f->req_prod_pvt = 0;
    f->req_prod = 0;
    f->rsp_cons = 0;
    f->rsp_prod = 0;
    f->error = 0;
    /* MB: the zeroed ring is complete before any later store (the grant
     * or connection hypercall that hands the page over, itself an
     * exception, or a direct store of a shared flag). */
    hv_ring_mb();
    return 0;
}

/* Free slots for new requests: those whose response was consumed. */
static HV_IO_INLINE uint32_t hv_ring_front_free(const struct hv_ring_front *f)
{
    return f->size - (f->req_prod_pvt - f->rsp_cons);
}

/*
 * Writes one request (len bytes, at most a slot) into the next free slot,
 * not yet published. -HV_EAGAIN when the ring is full: a request slot is
 * reused only after the response at the same index has been consumed, so
 * an unanswered request is never overwritten (a new backend may need to
 * read it again). -HV_ERANGE once the ring is broken.
 */
static HV_IO_INLINE int32_t hv_ring_front_put(struct hv_ring_front *f,
                                              const void *req, uint32_t len)
{
    if (f->error) {
        return f->error;
    }
    if (len > f->req_size) {
        return -HV_EINVAL;
    }
    if (hv_ring_front_free(f) == 0) {
        return -HV_EAGAIN;
    }
    hv_ring_copy_out(
        hv_ring_slot_at(f->req_slots, f->req_size, f->size, f->req_prod_pvt),
        req, len);
    f->req_prod_pvt++;
    return 0;
}

/*
 * Publishes the requests written since the last push. Returns 1 if the
 * backend must be notified (its req_event lies in (old, new]), else 0.
 */
static HV_IO_INLINE int hv_ring_front_push(struct hv_ring_front *f)
{
    return hv_ring_publish(&f->sh->req_prod, &f->req_prod, f->req_prod_pvt,
                           &f->sh->req_event);
}

/*
 * Reads rsp_prod once and checks it: it may only move forward, and never
 * past the requests we published (a response answers a published request).
 * Returns the responses waiting, or -HV_ERANGE (the ring is then broken).
 */
static HV_IO_INLINE int32_t hv_ring_front_poll(struct hv_ring_front *f)
{
    return hv_ring_accept(&f->sh->rsp_prod, &f->rsp_prod, f->req_prod,
                          f->rsp_cons, &f->error);
}

/*
 * Copies the next response (len bytes) out of its slot into rsp. Returns
 * 0, -HV_EAGAIN if none is waiting, -HV_ERANGE if the ring is broken.
 * The caller then checks the copy (its id is one outstanding, ...).
 */
static HV_IO_INLINE int32_t hv_ring_front_get(struct hv_ring_front *f,
                                              void *rsp, uint32_t len)
{
    if (f->error) {
        return f->error;
    }
    if (len > f->rsp_size) {
        return -HV_EINVAL;
    }
    if (f->rsp_cons == f->rsp_prod) {
        int32_t n = hv_ring_front_poll(f);
        if (n <= 0) {
            return n < 0 ? n : -HV_EAGAIN;
        }
    }
    hv_ring_copy_in(
        rsp, hv_ring_slot_at(f->rsp_slots, f->rsp_size, f->size, f->rsp_cons),
        len);
    f->rsp_cons++;
    return 0;
}

/*
 * Before sleeping: asks to be notified of the next response (rsp_event =
 * rsp_cons + 1), then looks again. Returns the responses waiting (sleep
 * only on 0), or -HV_ERANGE.
 */
static HV_IO_INLINE int32_t hv_ring_front_final_check(struct hv_ring_front *f)
{
    int32_t n = hv_ring_front_poll(f);

    if (n != 0) {
        return n;
    }
    hv_ring_rearm(&f->sh->rsp_event, f->rsp_cons);
    return hv_ring_front_poll(f);
}

/* --- Backend ------------------------------------------------------------- */

/*
 * Attaches to a ring the frontend set up, possibly after an earlier
 * backend died: everything starts at the published rsp_prod, so the
 * requests between rsp_prod and req_prod (whatever an earlier backend
 * consumed but did not answer) are consumed again (docs/io.md, replay).
 * Call hv_ring_back_final_check next: it arms req_event and finds those.
 */
static HV_IO_INLINE int32_t hv_ring_back_attach(
    struct hv_ring_back *b, struct hv_ring_header *sh, void *req_slots,
    uint32_t req_size, void *rsp_slots, uint32_t rsp_size, uint32_t size)
{
    uint32_t start;

    if (!hv_ring_size_ok(size, req_size, rsp_size)) {
        return -HV_EINVAL;
    }
    start = hv_ring_load(&sh->rsp_prod);
    b->sh = sh;
    b->req_slots = (unsigned char *)req_slots;
    b->rsp_slots = (unsigned char *)rsp_slots;
    b->req_size = req_size;
    b->rsp_size = rsp_size;
    b->size = size;
    b->rsp_prod_pvt = start;
    b->rsp_prod = start;
    b->req_cons = start;
    b->req_prod = start;
    b->error = 0;
    return 0;
}

/*
 * Reads req_prod once and checks it: it may only move forward, and at
 * most to rsp_prod + size (the published responses: a request slot is
 * free only once the frontend could have read the response at its index;
 * more would overwrite a request not yet answered). Returns the requests
 * waiting, or -HV_ERANGE.
 */
static HV_IO_INLINE int32_t hv_ring_back_poll(struct hv_ring_back *b)
{
    return hv_ring_accept(&b->sh->req_prod, &b->req_prod, b->rsp_prod + b->size,
                          b->req_cons, &b->error);
}

/*
 * Copies the next request (len bytes) out of its slot into req, the only
 * copy the caller may validate and use. Returns 0, -HV_EAGAIN if none is
 * waiting, -HV_ERANGE if the ring is broken.
 */
static HV_IO_INLINE int32_t hv_ring_back_get(struct hv_ring_back *b, void *req,
                                             uint32_t len)
{
    if (b->error) {
        return b->error;
    }
    if (len > b->req_size) {
        return -HV_EINVAL;
    }
    if (b->req_cons == b->req_prod) {
        int32_t n = hv_ring_back_poll(b);
        if (n <= 0) {
            return n < 0 ? n : -HV_EAGAIN;
        }
    }
    hv_ring_copy_in(
        req, hv_ring_slot_at(b->req_slots, b->req_size, b->size, b->req_cons),
        len);
    b->req_cons++;
    return 0;
}

/*
 * Writes the response to the oldest request not yet answered (it must be
 * that one: responses go in request order) into the response slot of the
 * same index, not yet published. -HV_EINVAL if every consumed request is
 * answered already (one response per request).
 */
static HV_IO_INLINE int32_t hv_ring_back_put(struct hv_ring_back *b,
                                             const void *rsp, uint32_t len)
{
    if (b->error) {
        return b->error;
    }
    if (len > b->rsp_size || b->rsp_prod_pvt == b->req_cons) {
        return -HV_EINVAL;
    }
    hv_ring_copy_out(
        hv_ring_slot_at(b->rsp_slots, b->rsp_size, b->size, b->rsp_prod_pvt),
        rsp, len);
    b->rsp_prod_pvt++;
    return 0;
}

/*
 * Publishes the responses written since the last push. Returns 1 if the
 * frontend must be notified (its rsp_event lies in (old, new]), else 0.
 * Works on a broken ring too: answering what was consumed does no harm.
 */
static HV_IO_INLINE int hv_ring_back_push(struct hv_ring_back *b)
{
    return hv_ring_publish(&b->sh->rsp_prod, &b->rsp_prod, b->rsp_prod_pvt,
                           &b->sh->rsp_event);
}

/*
 * Before sleeping: asks to be notified of the next request (req_event =
 * req_cons + 1), then looks again. Returns the requests waiting (sleep
 * only on 0), or -HV_ERANGE.
 */
static HV_IO_INLINE int32_t hv_ring_back_final_check(struct hv_ring_back *b)
{
    int32_t n = hv_ring_back_poll(b);

    if (n != 0) {
        return n;
    }
    hv_ring_rearm(&b->sh->req_event, b->req_cons);
    return hv_ring_back_poll(b);
}

/* --- Outstanding ids (frontend) ----------------------------------------- */

/*
 * Which request ids are outstanding, so that a response naming an id
 * never issued, or one already answered, is refused. Ids are 0 to
 * count - 1 (count <= HV_RING_IDS_MAX; a ring's size is enough).
 */
#define HV_RING_IDS_MAX 256u
struct hv_ring_ids {
    uint32_t count;
    uint32_t outstanding[HV_RING_IDS_MAX / 32]; /* bit set: issued */
};

static HV_IO_INLINE int32_t hv_ring_ids_init(struct hv_ring_ids *ids,
                                             uint32_t count)
{
    uint32_t i;

    if (count == 0 || count > HV_RING_IDS_MAX) {
        return -HV_EINVAL;
    }
    ids->count = count;
    for (i = 0; i < HV_RING_IDS_MAX / 32; i++) {
        ids->outstanding[i] = 0;
    }
    return 0;
}

/* The lowest free id, now outstanding; -HV_EAGAIN if all are. A word of
 * ids at a time (a frontend allocates one per frame it sends). */
static HV_IO_INLINE int32_t hv_ring_id_alloc(struct hv_ring_ids *ids)
{
    uint32_t w;

    for (w = 0; w * 32u < ids->count; w++) {
        uint32_t left = ids->count - w * 32u;
        uint32_t valid = left >= 32u ? 0xffffffffu : (1u << left) - 1u;
        uint32_t free_ids = ~ids->outstanding[w] & valid;

        if (free_ids != 0) {
            uint32_t bit = (uint32_t)__builtin_ctz(free_ids);
            ids->outstanding[w] |= 1u << bit;
            return (int32_t)(w * 32u + bit);
        }
    }
    return -HV_EAGAIN;
}

/*
 * A response names id: 0 if it was outstanding (it is free again),
 * -HV_ERANGE if it is not an id at all, -HV_ENOENT if it is not
 * outstanding (never issued, or answered already: a duplicate).
 */
static HV_IO_INLINE int32_t hv_ring_id_complete(struct hv_ring_ids *ids,
                                                uint32_t id)
{
    uint32_t bit;

    if (id >= ids->count) {
        return -HV_ERANGE;
    }
    bit = 1u << (id % 32);
    if (!(ids->outstanding[id / 32] & bit)) {
        return -HV_ENOENT;
    }
    ids->outstanding[id / 32] &= ~bit;
    return 0;
}

/* --- Typed rings --------------------------------------------------------- */

/*
 * HV_RING_DEFINE(name, req_type, rsp_type, slots) declares
 *   struct name_sring     the shared area: header, request slots,
 *                         response slots
 * and typed wrappers of the functions above:
 *   name_front_init(f, sring)       name_back_attach(b, sring)
 *   name_put_request(f, &req)       name_get_request(b, &req)
 *   name_get_response(f, &rsp)      name_put_response(b, &rsp)
 * (push, poll and final checks are the untyped hv_ring_* ones). The
 * slots count must be a power of two and both types a multiple of 4
 * bytes; the use ends with a ';'.
 */
#define HV_RING_DEFINE(name, req_type, rsp_type, slots)                        \
    struct name##_sring {                                                      \
        struct hv_ring_header hdr;                                             \
        req_type req[slots];                                                   \
        rsp_type rsp[slots];                                                   \
    };                                                                         \
    static HV_IO_INLINE int32_t name##_front_init(struct hv_ring_front *f,     \
                                                  struct name##_sring *s)      \
    {                                                                          \
        return hv_ring_front_init(                                             \
            f, &s->hdr, s->req, (uint32_t)sizeof(req_type), s->rsp,            \
            (uint32_t)sizeof(rsp_type), (uint32_t)(slots));                    \
    }                                                                          \
    static HV_IO_INLINE int32_t name##_back_attach(struct hv_ring_back *b,     \
                                                   struct name##_sring *s)     \
    {                                                                          \
        return hv_ring_back_attach(                                            \
            b, &s->hdr, s->req, (uint32_t)sizeof(req_type), s->rsp,            \
            (uint32_t)sizeof(rsp_type), (uint32_t)(slots));                    \
    }                                                                          \
    static HV_IO_INLINE int32_t name##_put_request(struct hv_ring_front *f,    \
                                                   const req_type *req)        \
    {                                                                          \
        return hv_ring_front_put(f, req, (uint32_t)sizeof(req_type));          \
    }                                                                          \
    static HV_IO_INLINE int32_t name##_get_response(struct hv_ring_front *f,   \
                                                    rsp_type *rsp)             \
    {                                                                          \
        return hv_ring_front_get(f, rsp, (uint32_t)sizeof(rsp_type));          \
    }                                                                          \
    static HV_IO_INLINE int32_t name##_get_request(struct hv_ring_back *b,     \
                                                   req_type *req)              \
    {                                                                          \
        return hv_ring_back_get(b, req, (uint32_t)sizeof(req_type));           \
    }                                                                          \
    static HV_IO_INLINE int32_t name##_put_response(struct hv_ring_back *b,    \
                                                    const rsp_type *rsp)       \
    {                                                                          \
        return hv_ring_back_put(b, rsp, (uint32_t)sizeof(rsp_type));           \
    }                                                                          \
    HV_STATIC_ASSERT(((slots) & ((slots)-1)) == 0 && (slots) != 0 &&           \
                         sizeof(req_type) % 4 == 0 &&                          \
                         sizeof(rsp_type) % 4 == 0,                            \
                     name##_ring_shape)

#endif /* HVABI_IO_RING_H */
