/* SPDX-License-Identifier: MIT */
/*
 * <hvabi/io/console.h>: both byte rings through their ends and the
 * index wrap, a full output ring, peek and consumed, a backend that
 * attaches to a page its last life left, hostile indexes on either
 * side, pages attach must refuse, zero-length calls, and a long
 * randomised run in which the two sides interleave at every shared
 * index access and the backend dies at any of them.
 *
 * One thread plays both sides. HV_RING_STEP, the header's test hook,
 * runs before each shared index access; the randomised test uses it to
 * run the other side's operations there, or to end the backend's life
 * (a longjmp out of the call, as if the guest stopped at that access).
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

static void cs_step(void);
#define HV_RING_STEP() cs_step()
#include <hvabi/io/console.h>

#define OUT HV_CONS_OUT_SIZE
#define IN HV_CONS_IN_SIZE

/* The two streams: byte k of each, not periodic in a ring's size, so a
 * byte from the wrong place never looks right. */
static uint8_t out_byte(uint32_t k)
{
    return (uint8_t)((k * 2654435761u) >> 24);
}

static uint8_t in_byte(uint32_t k)
{
    return (uint8_t)(((k ^ 0x5bd1e995u) * 2246822519u) >> 24);
}

struct cons {
    struct hv_cons_page *p;
    struct hv_cons_side f;
    struct hv_cons_side b;
};

/*
 * A page whose four indexes are all @start (as if that many bytes had
 * gone each way), the frontend's side matching, the backend attached.
 */
static struct cons *cons_new(uint32_t start)
{
    struct cons *c = unit_alloc(sizeof(*c));

    c->p = unit_alloc(sizeof(*c->p));
    hv_cons_front_init(&c->f);
    c->p->out_prod = c->p->out_cons = start;
    c->p->in_prod = c->p->in_cons = start;
    c->f.out = c->f.peer_out = c->f.in = c->f.peer_in = start;
    memset(&c->b, 0xa5, sizeof(c->b)); /* attach must set every field */
    ASSERT_EQ(hv_cons_back_attach(&c->b, c->p), 0);
    return c;
}

/* Frontend writes @len bytes of the output stream from @at; returns rc. */
static int32_t front_write_stream(struct cons *c, uint32_t at, uint32_t len)
{
    uint8_t *buf = malloc(len ? len : 1);
    for (uint32_t i = 0; i < len; i++) {
        buf[i] = out_byte(at + i);
    }
    int32_t rc = hv_cons_front_write(&c->f, c->p, buf, len);
    free(buf);
    return rc;
}

static int32_t back_write_stream(struct cons *c, uint32_t at, uint32_t len)
{
    uint8_t *buf = malloc(len ? len : 1);
    for (uint32_t i = 0; i < len; i++) {
        buf[i] = in_byte(at + i);
    }
    int32_t rc = hv_cons_back_write(&c->b, c->p, buf, len);
    free(buf);
    return rc;
}

/* Backend: peeks up to @len, checks the bytes are the stream's from @at,
 * consumes @send of them. Returns what the peek returned. */
static int32_t back_send(struct cons *c, uint32_t at, uint32_t len,
                         uint32_t send)
{
    uint8_t *buf = malloc(len ? len : 1);
    int32_t n = hv_cons_back_peek(&c->b, c->p, buf, len);
    for (int32_t i = 0; i < n; i++) {
        if (buf[i] != out_byte(at + (uint32_t)i)) {
            unit_fail(__FILE__, __LINE__, false,
                      "output byte %u: 0x%02x, expected 0x%02x",
                      (unsigned)(at + (uint32_t)i), buf[i],
                      out_byte(at + (uint32_t)i));
            break;
        }
    }
    free(buf);
    if (n > 0) {
        hv_cons_back_consumed(&c->b, c->p,
                              send < (uint32_t)n ? send : (uint32_t)n);
    }
    return n;
}

/* Frontend reads up to @len and checks them against the stream at @at. */
static int32_t front_read_stream(struct cons *c, uint32_t at, uint32_t len)
{
    uint8_t *buf = malloc(len ? len : 1);
    int32_t n = hv_cons_front_read(&c->f, c->p, buf, len);
    for (int32_t i = 0; i < n; i++) {
        if (buf[i] != in_byte(at + (uint32_t)i)) {
            unit_fail(__FILE__, __LINE__, false,
                      "input byte %u: 0x%02x, expected 0x%02x",
                      (unsigned)(at + (uint32_t)i), buf[i],
                      in_byte(at + (uint32_t)i));
            break;
        }
    }
    free(buf);
    return n;
}

/* The randomised test's state; the fixed tests leave it inactive. */
static struct {
    int active;
    struct cons *c;
    uint32_t rng;
    int depth;     /* operations under way: 1 top level, 2 nested */
    int back_top;  /* the top-level operation is the backend's */
    int crashable; /* ... and its guest may die in it */
    int back_alive;
    jmp_buf crash;
    uint8_t *back_buf; /* the backend's buffer, freed if it dies */
    uint32_t out_written, uart_sent, in_read;
    unsigned long steps, crashes, restarts, nested, out_full, in_full;
} cs;

static void cs_front_op(void);
static void cs_back_op(void);

/* xorshift32: the same schedule on every run. */
static uint32_t cs_rand(uint32_t below)
{
    cs.rng ^= cs.rng << 13;
    cs.rng ^= cs.rng >> 17;
    cs.rng ^= cs.rng << 5;
    return cs.rng % below;
}

/*
 * Before a shared index access of a top-level operation: now and then
 * the other side runs one operation of its own here, or the backend's
 * guest dies here (nothing after this point of its call happens).
 */
static void cs_step(void)
{
    if (!cs.active || cs.depth != 1) {
        return;
    }
    cs.steps++;
    if (cs.back_top && cs.crashable && cs_rand(64) == 0) {
        cs.crashes++;
        cs.back_alive = 0;
        longjmp(cs.crash, 1);
    }
    if (cs_rand(3) != 0) {
        return;
    }
    cs.nested++;
    cs.depth = 2;
    if (cs.back_top) {
        cs_front_op();
    } else if (cs.back_alive) {
        int crashable = cs.crashable;
        cs.crashable = 0;
        cs_back_op();
        cs.crashable = crashable;
    }
    cs.depth = 1;
}

static void cs_front_op(void)
{
    struct cons *c = cs.c;
    uint32_t len = cs_rand(4) == 0 ? cs_rand(OUT + 200) : cs_rand(80);

    if (cs_rand(3) != 0) {
        int32_t n = front_write_stream(c, cs.out_written, len);
        ASSERT_TRUE(n >= 0 && (uint32_t)n <= len);
        cs.out_written += (uint32_t)n;
        if ((uint32_t)n < len) {
            /* Short only when full, as far as the frontend knows. */
            EXPECT_EQ(c->f.out - c->f.peer_out, OUT);
            cs.out_full++;
        }
    } else {
        int32_t n = front_read_stream(c, cs.in_read, len);
        ASSERT_TRUE(n >= 0 && (uint32_t)n <= len);
        cs.in_read += (uint32_t)n;
    }
}

/* The backend, alive: sends output to its "UART", writes input. */
static void cs_back_op(void)
{
    struct cons *c = cs.c;
    uint32_t len = cs_rand(4) == 0 ? cs_rand(OUT + 200) : cs_rand(80);
    int32_t n;

    switch (cs_rand(5)) {
    case 0:
    case 1:
    case 2:
        /* Peek; the UART takes some of it (crash: none sent). */
        cs.back_buf = malloc(len ? len : 1);
        n = hv_cons_back_peek(&c->b, c->p, cs.back_buf, len);
        ASSERT_TRUE(n >= 0 && (uint32_t)n <= len);
        ASSERT_EQ(c->b.out, cs.uart_sent);
        for (int32_t i = 0; i < n; i++) {
            ASSERT_EQ(cs.back_buf[i], out_byte(cs.uart_sent + (uint32_t)i));
        }
        free(cs.back_buf);
        cs.back_buf = NULL;
        if (n > 0) {
            uint32_t sent = 1 + cs_rand((uint32_t)n);
            /* Sent, then consumed: the guest does not die in between
             * here (that would repeat bytes, never lose them). */
            int crashable = cs.crashable;
            cs.crashable = 0;
            cs.uart_sent += sent;
            hv_cons_back_consumed(&c->b, c->p, sent);
            cs.crashable = crashable;
        }
        break;
    case 3:
        /* Input from the "UART": the stream from where the page says
         * it stands, so bytes a dead life never published come again. */
        cs.back_buf = malloc(len ? len : 1);
        for (uint32_t i = 0; i < len; i++) {
            cs.back_buf[i] = in_byte(c->b.in + i);
        }
        n = hv_cons_back_write(&c->b, c->p, cs.back_buf, len);
        free(cs.back_buf);
        cs.back_buf = NULL;
        ASSERT_TRUE(n >= 0 && (uint32_t)n <= len);
        if ((uint32_t)n < len) {
            EXPECT_EQ(c->b.in - c->b.peer_in, IN);
            cs.in_full++;
        }
        break;
    default:
        /* A clean restart: a new life attaches to the page. */
        memset(&c->b, 0x5a, sizeof(c->b));
        ASSERT_EQ(hv_cons_back_attach(&c->b, c->p), 0);
        cs.restarts++;
        break;
    }
}

/* What holds between top-level operations, whoever ran last. */
static void cs_check(void)
{
    struct cons *c = cs.c;

    ASSERT_EQ(c->f.error, 0);
    ASSERT_EQ(c->p->out_prod, cs.out_written);
    ASSERT_EQ(c->f.out, cs.out_written);
    ASSERT_EQ(c->p->out_cons, cs.uart_sent);
    ASSERT_TRUE(cs.out_written - cs.uart_sent <= OUT);
    ASSERT_EQ(c->p->in_cons, cs.in_read);
    ASSERT_EQ(c->f.in, cs.in_read);
    ASSERT_TRUE(c->p->in_prod - cs.in_read <= IN);
    if (cs.back_alive) {
        ASSERT_EQ(c->b.error, 0);
        ASSERT_EQ(c->b.out, cs.uart_sent);
        ASSERT_EQ(c->b.in, c->p->in_prod);
    }
}

static void cs_run(uint32_t seed, uint32_t start, unsigned int ops)
{
    memset(&cs, 0, sizeof(cs));
    cs.c = cons_new(start);
    cs.rng = seed;
    cs.back_alive = 1;
    cs.out_written = cs.uart_sent = cs.in_read = start;
    cs.active = 1;
    for (unsigned int i = 0; i < ops; i++) {
        uint32_t who = cs_rand(16);
        if (who < 8) {
            cs.depth = 1;
            cs.back_top = 0;
            cs_front_op();
        } else if (cs.back_alive) {
            if (setjmp(cs.crash) == 0) {
                cs.depth = 1;
                cs.back_top = 1;
                cs.crashable = 1;
                cs_back_op();
            } else {
                free(cs.back_buf); /* died in the middle of a call */
                cs.back_buf = NULL;
            }
        } else if (who < 10) {
            /* The next life; the frontend may run during its attach. */
            cs.depth = 1;
            cs.back_top = 1;
            cs.crashable = 0;
            memset(&cs.c->b, 0x5a, sizeof(cs.c->b));
            ASSERT_EQ(hv_cons_back_attach(&cs.c->b, cs.c->p), 0);
            cs.back_alive = 1;
            cs.restarts++;
        }
        cs.depth = 0;
        cs.crashable = 0;
        cs_check();
    }
    /* Drain both ways with a backend alive. */
    cs.active = 0;
    if (!cs.back_alive) {
        ASSERT_EQ(hv_cons_back_attach(&cs.c->b, cs.c->p), 0);
    }
    for (int round = 0; round < 8; round++) {
        int32_t n;
        while ((n = back_send(cs.c, cs.uart_sent, 100, 100)) > 0) {
            cs.uart_sent += (uint32_t)n;
        }
        ASSERT_EQ(n, 0);
        while ((n = front_read_stream(cs.c, cs.in_read, 100)) > 0) {
            cs.in_read += (uint32_t)n;
        }
        ASSERT_EQ(n, 0);
    }
    EXPECT_EQ(cs.uart_sent, cs.out_written);
    EXPECT_EQ(cs.c->p->out_cons, cs.out_written);
    EXPECT_EQ(cs.in_read, cs.c->p->in_prod);
    printf("seed %u: %u bytes out, %u in, %lu steps, %lu nested, %lu "
           "crashes, %lu restarts, out full %lu, in full %lu\n",
           (unsigned)seed, (unsigned)(cs.out_written - start),
           (unsigned)(cs.in_read - start), cs.steps, cs.nested, cs.crashes,
           cs.restarts, cs.out_full, cs.in_full);
    /* The schedule did reach what the test is about. */
    EXPECT_LT(100000u, cs.out_written - start);
    EXPECT_LT(10000u, cs.in_read - start);
    EXPECT_LT(100u, cs.crashes);
    EXPECT_LT(100u, cs.nested);
    EXPECT_LT(10u, cs.out_full);
    EXPECT_LT(10u, cs.in_full);
}

/* --- Fixed cases ---------------------------------------------------------- */

TEST(console, layout)
{
    EXPECT_EQ(sizeof(struct hv_cons_page), 3136u);
    EXPECT_EQ(HV_IO_OFFSETOF(struct hv_cons_page, out_prod), 0u);
    EXPECT_EQ(HV_IO_OFFSETOF(struct hv_cons_page, out_cons), 4u);
    EXPECT_EQ(HV_IO_OFFSETOF(struct hv_cons_page, in_prod), 8u);
    EXPECT_EQ(HV_IO_OFFSETOF(struct hv_cons_page, in_cons), 12u);
    EXPECT_EQ(HV_IO_OFFSETOF(struct hv_cons_page, out), 64u);
    EXPECT_EQ(HV_IO_OFFSETOF(struct hv_cons_page, in), 64u + OUT);
    EXPECT_TRUE(sizeof(struct hv_cons_page) <= 4096u); /* one page */
}

TEST(console, round_trip_wraps_at_ring_end)
{
    /* Bytes cross the end of out[] and in[], and every index crosses
     * 2^32 on the way. */
    struct cons *c = cons_new(0xffffffffu - OUT - 100);
    uint32_t at = c->f.out;

    for (int i = 0; i < 5; i++) {
        ASSERT_EQ(front_write_stream(c, at, 1500), 1500);
        ASSERT_EQ(back_send(c, at, 2000, 2000), 1500);
        at += 1500;
    }
    EXPECT_EQ(c->p->out_prod, at);
    EXPECT_EQ(c->p->out_cons, at);
    EXPECT_TRUE(c->p->out_prod < 0x10000u); /* wrapped */
    /* The page holds the stream where byte i belongs: i & (size - 1). */
    for (uint32_t k = at - 1500; k != at; k++) {
        ASSERT_EQ(c->p->out[k & (OUT - 1)], out_byte(k));
    }

    at = c->b.in;
    for (int i = 0; i < 5; i++) {
        ASSERT_EQ(back_write_stream(c, at, 700), 700);
        ASSERT_EQ(front_read_stream(c, at, 300), 300);
        ASSERT_EQ(front_read_stream(c, at + 300, 1000), 400);
        at += 700;
    }
    EXPECT_EQ(c->p->in_prod, at);
    EXPECT_EQ(c->p->in_cons, at);
    EXPECT_EQ(front_read_stream(c, at, 10), 0);
    EXPECT_EQ(c->f.error, 0);
    EXPECT_EQ(c->b.error, 0);
}

TEST(console, full_out_ring_never_overwrites)
{
    struct cons *c = cons_new(0);
    uint8_t snapshot[OUT];

    /* No backend reads: the frontend can hold exactly OUT bytes. */
    ASSERT_EQ(front_write_stream(c, 0, OUT + 500), (int32_t)OUT);
    memcpy(snapshot, c->p->out, OUT);
    EXPECT_EQ(front_write_stream(c, OUT, 1), 0);
    EXPECT_EQ(front_write_stream(c, OUT, 300), 0);
    EXPECT_EQ(c->p->out_prod, OUT);
    EXPECT_EQ(memcmp(snapshot, c->p->out, OUT), 0);
    /* Ten bytes sent: exactly ten more fit, after the first OUT. */
    ASSERT_EQ(back_send(c, 0, 10, 10), 10);
    EXPECT_EQ(front_write_stream(c, OUT, 300), 10);
    EXPECT_EQ(front_write_stream(c, OUT + 10, 1), 0);
    for (uint32_t k = 10; k < OUT + 10; k++) {
        ASSERT_EQ(c->p->out[k & (OUT - 1)], out_byte(k));
    }
    EXPECT_EQ(back_send(c, 10, 2 * OUT, 2 * OUT), (int32_t)OUT);

    /* The input ring likewise. */
    ASSERT_EQ(back_write_stream(c, 0, IN + 1), (int32_t)IN);
    EXPECT_EQ(back_write_stream(c, IN, 5), 0);
    EXPECT_EQ(front_read_stream(c, 0, 2 * IN), (int32_t)IN);
    EXPECT_EQ(c->f.error, 0);
    EXPECT_EQ(c->b.error, 0);
}

TEST(console, peek_then_consumed)
{
    struct cons *c = cons_new(0);
    uint8_t buf[64];

    ASSERT_EQ(front_write_stream(c, 0, 20), 20);
    /* Peeking moves nothing: the same bytes again. */
    EXPECT_EQ(hv_cons_back_peek(&c->b, c->p, buf, 8), 8);
    EXPECT_EQ(hv_cons_back_peek(&c->b, c->p, buf, sizeof(buf)), 20);
    EXPECT_EQ(buf[0], out_byte(0));
    EXPECT_EQ(buf[19], out_byte(19));
    EXPECT_EQ(c->p->out_cons, 0u);
    /* Consumed: the shared index moves by exactly that. */
    hv_cons_back_consumed(&c->b, c->p, 5);
    EXPECT_EQ(c->p->out_cons, 5u);
    EXPECT_EQ(c->b.out, 5u);
    hv_cons_back_consumed(&c->b, c->p, 0);
    EXPECT_EQ(c->p->out_cons, 5u);
    /* More than was peeked (15 wait): ignored, nothing moves. */
    hv_cons_back_consumed(&c->b, c->p, 16);
    EXPECT_EQ(c->p->out_cons, 5u);
    EXPECT_EQ(c->b.out, 5u);
    hv_cons_back_consumed(&c->b, c->p, 0xffffffffu);
    EXPECT_EQ(c->p->out_cons, 5u);
    /* Bytes the frontend wrote after the peek are not consumable until
     * a peek saw them. */
    ASSERT_EQ(front_write_stream(c, 20, 10), 10);
    hv_cons_back_consumed(&c->b, c->p, 20);
    EXPECT_EQ(c->p->out_cons, 5u);
    EXPECT_EQ(hv_cons_back_peek(&c->b, c->p, buf, sizeof(buf)), 25);
    EXPECT_EQ(buf[0], out_byte(5));
    hv_cons_back_consumed(&c->b, c->p, 25);
    EXPECT_EQ(c->p->out_cons, 30u);
    EXPECT_EQ(hv_cons_back_peek(&c->b, c->p, buf, sizeof(buf)), 0);
    /* The frontend sees the space. */
    EXPECT_EQ(front_write_stream(c, 30, OUT), (int32_t)OUT);
    EXPECT_EQ(c->b.error, 0);
}

TEST(console, backend_restart_resumes_where_the_page_says)
{
    struct cons *c = cons_new(0xfffffe00u);
    uint32_t base = 0xfffffe00u;
    uint8_t buf[OUT];

    /* The first life: 300 bytes out, 200 of them sent; a peek of the
     * rest it never sent; 100 bytes in, 40 of them read. */
    ASSERT_EQ(front_write_stream(c, base, 300), 300);
    ASSERT_EQ(back_send(c, base, 200, 200), 200);
    ASSERT_EQ(hv_cons_back_peek(&c->b, c->p, buf, sizeof(buf)), 100);
    ASSERT_EQ(back_write_stream(c, base, 100), 100);
    ASSERT_EQ(front_read_stream(c, base, 40), 40);
    /* It dies. With no backend the frontend fills the ring, then
     * waits: nothing is overwritten. */
    memset(&c->b, 0xee, sizeof(c->b));
    ASSERT_EQ(front_write_stream(c, base + 300, OUT), (int32_t)(OUT - 100));
    EXPECT_EQ(front_write_stream(c, base + 200 + OUT, 1), 0);
    EXPECT_EQ(front_read_stream(c, base + 40, 30), 30);

    /* The next life takes its indexes from the page. */
    ASSERT_EQ(hv_cons_back_attach(&c->b, c->p), 0);
    EXPECT_EQ(c->b.out, base + 200);
    EXPECT_EQ(c->b.in, base + 100);
    EXPECT_EQ(c->b.peer_out, base + 200 + OUT);
    EXPECT_EQ(c->b.peer_in, base + 70);
    /* Output resumes at the first byte not sent: none lost, none
     * repeated. */
    ASSERT_EQ(back_send(c, base + 200, 50, 50), 50);
    ASSERT_EQ(back_send(c, base + 250, 2 * OUT, 2 * OUT), (int32_t)OUT - 50);
    /* Input goes on after the last byte the first life published. */
    ASSERT_EQ(back_write_stream(c, base + 100, 10), 10);
    ASSERT_EQ(front_read_stream(c, base + 70, 100), 40);
    EXPECT_EQ(c->p->in_cons, base + 110);
    EXPECT_EQ(c->f.error, 0);
    EXPECT_EQ(c->b.error, 0);
}

/* The page as it is, to check a broken side writes nothing. */
static void snap(const struct cons *c, struct hv_cons_page *into)
{
    memcpy(into, c->p, sizeof(*into));
}

static void expect_unchanged(const struct cons *c,
                             const struct hv_cons_page *was)
{
    EXPECT_EQ(memcmp(was, c->p, sizeof(*was)), 0);
}

/* Every call of a broken backend fails and changes nothing. */
static void expect_back_broken(struct cons *c)
{
    struct hv_cons_page *was = unit_alloc(sizeof(*was));
    uint8_t buf[16];

    snap(c, was);
    EXPECT_EQ(c->b.error, -HV_ERANGE);
    EXPECT_EQ(hv_cons_back_peek(&c->b, c->p, buf, sizeof(buf)), -HV_ERANGE);
    EXPECT_EQ(hv_cons_back_peek(&c->b, c->p, buf, 0), -HV_ERANGE);
    EXPECT_EQ(hv_cons_back_write(&c->b, c->p, buf, sizeof(buf)), -HV_ERANGE);
    hv_cons_back_consumed(&c->b, c->p, 1);
    expect_unchanged(c, was);
}

static void expect_front_broken(struct cons *c)
{
    struct hv_cons_page *was = unit_alloc(sizeof(*was));
    uint8_t buf[16] = {0};

    snap(c, was);
    EXPECT_EQ(c->f.error, -HV_ERANGE);
    EXPECT_EQ(hv_cons_front_write(&c->f, c->p, buf, sizeof(buf)), -HV_ERANGE);
    EXPECT_EQ(hv_cons_front_read(&c->f, c->p, buf, sizeof(buf)), -HV_ERANGE);
    EXPECT_EQ(hv_cons_front_read(&c->f, c->p, buf, 0), -HV_ERANGE);
    expect_unchanged(c, was);
}

TEST(console, hostile_producer_index)
{
    /* The frontend's out_prod past out_cons + OUT: it would have
     * overwritten bytes not sent. */
    struct cons *c = cons_new(0xfffffff0u);
    ASSERT_EQ(front_write_stream(c, 0xfffffff0u, 100), 100);
    c->p->out_prod = c->p->out_cons + OUT + 1;
    EXPECT_EQ(hv_cons_back_peek(&c->b, c->p, NULL, 0), -HV_ERANGE);
    /* Put right again: the side stays broken. */
    c->p->out_prod = c->p->out_cons;
    expect_back_broken(c);
    /* Exactly full is fine. */
    c = cons_new(7);
    c->p->out_prod = 7 + OUT;
    EXPECT_EQ(hv_cons_back_peek(&c->b, c->p, NULL, 0), 0);
    EXPECT_EQ(c->b.error, 0);

    /* The backend's in_prod past in_cons + IN. */
    c = cons_new(0xfffffff0u);
    c->p->in_prod = c->p->in_cons + IN + 1;
    uint8_t buf[8];
    EXPECT_EQ(hv_cons_front_read(&c->f, c->p, buf, sizeof(buf)), -HV_ERANGE);
    c->p->in_prod = c->p->in_cons;
    expect_front_broken(c);
    /* Far past (half the index space): not taken for a step back. */
    c = cons_new(0);
    c->p->in_prod = 0x80000000u;
    EXPECT_EQ(hv_cons_front_read(&c->f, c->p, buf, sizeof(buf)), -HV_ERANGE);
}

TEST(console, hostile_consumer_index)
{
    /* out_cons past what the frontend produced. */
    struct cons *c = cons_new(0xffffffe0u);
    ASSERT_EQ(front_write_stream(c, 0xffffffe0u, 50), 50);
    c->p->out_cons = c->p->out_prod + 1;
    EXPECT_EQ(front_write_stream(c, 0xffffffe0u + 50, 1), -HV_ERANGE);
    c->p->out_cons = c->p->out_prod;
    expect_front_broken(c);

    /* in_cons past what the backend produced. */
    c = cons_new(0xffffffe0u);
    ASSERT_EQ(back_write_stream(c, 0xffffffe0u, 50), 50);
    c->p->in_cons = c->p->in_prod + 1;
    EXPECT_EQ(back_write_stream(c, 0xffffffe0u + 50, 1), -HV_ERANGE);
    c->p->in_cons = c->p->in_prod;
    expect_back_broken(c);
}

TEST(console, index_moving_backwards)
{
    uint8_t buf[8];

    /* Each of the four indexes, seen by its peer, one step back. */
    struct cons *c = cons_new(0x10u);
    ASSERT_EQ(front_write_stream(c, 0x10u, 40), 40);
    ASSERT_EQ(back_send(c, 0x10u, 8, 0), 8); /* accepted out_prod 0x38 */
    c->p->out_prod -= 1;
    EXPECT_EQ(hv_cons_back_peek(&c->b, c->p, buf, sizeof(buf)), -HV_ERANGE);
    expect_back_broken(c);

    c = cons_new(0x10u);
    ASSERT_EQ(front_write_stream(c, 0x10u, 40), 40);
    ASSERT_EQ(back_send(c, 0x10u, 40, 40), 40);
    ASSERT_EQ(front_write_stream(c, 0x38u, 1), 1); /* accepted out_cons */
    c->p->out_cons = 0x10u + 39;
    EXPECT_EQ(front_write_stream(c, 0x39u, 1), -HV_ERANGE);
    expect_front_broken(c);

    c = cons_new(0);
    ASSERT_EQ(back_write_stream(c, 0, 30), 30);
    ASSERT_EQ(front_read_stream(c, 0, 4), 4); /* accepted in_prod 30 */
    c->p->in_prod = 29;
    EXPECT_EQ(front_read_stream(c, 4, 4), -HV_ERANGE);
    expect_front_broken(c);

    c = cons_new(0);
    ASSERT_EQ(back_write_stream(c, 0, 30), 30);
    ASSERT_EQ(front_read_stream(c, 0, 30), 30);
    ASSERT_EQ(back_write_stream(c, 30, 1), 1); /* accepted in_cons 30 */
    c->p->in_cons = 0;                         /* back to the start */
    EXPECT_EQ(back_write_stream(c, 31, 1), -HV_ERANGE);
    expect_back_broken(c);
}

/* Attach to a page with these indexes: its result and, on refusal, a
 * side that stays broken. */
static int32_t attach_to(uint32_t out_prod, uint32_t out_cons, uint32_t in_prod,
                         uint32_t in_cons)
{
    struct cons *c = cons_new(0);
    c->p->out_prod = out_prod;
    c->p->out_cons = out_cons;
    c->p->in_prod = in_prod;
    c->p->in_cons = in_cons;
    memset(&c->b, 0x77, sizeof(c->b));
    int32_t rc = hv_cons_back_attach(&c->b, c->p);
    if (rc != 0) {
        expect_back_broken(c);
    }
    return rc;
}

TEST(console, attach_refuses_impossible_pages)
{
    /* What a console can be: empty, full, across the index wrap. */
    EXPECT_EQ(attach_to(0, 0, 0, 0), 0);
    EXPECT_EQ(attach_to(OUT, 0, IN, 0), 0);
    EXPECT_EQ(attach_to(OUT - 6, 0xfffffffau, IN - 3, 0xfffffffdu), 0);
    EXPECT_EQ(attach_to(0x12345678u, 0x12345000u, 5, 5), 0);
    /* Output: more than the ring, or a producer behind its consumer. */
    EXPECT_EQ(attach_to(OUT + 1, 0, 0, 0), -HV_ERANGE);
    EXPECT_EQ(attach_to(0xfffffffau + OUT + 1, 0xfffffffau, 0, 0), -HV_ERANGE);
    EXPECT_EQ(attach_to(99, 100, 0, 0), -HV_ERANGE);
    EXPECT_EQ(attach_to(0, 0x80000000u, 0, 0), -HV_ERANGE);
    /* Input: a consumer ahead of the producer, or more than the ring
     * between them. */
    EXPECT_EQ(attach_to(0, 0, 100, 101), -HV_ERANGE);
    EXPECT_EQ(attach_to(0, 0, IN + 1, 0), -HV_ERANGE);
    EXPECT_EQ(attach_to(0, 0, 0, 0xfffffbffu), -HV_ERANGE); /* IN + 1 */
    EXPECT_EQ(attach_to(0, 0, 0, 0xfffffc00u), 0);          /* IN */

    /* A refused page put right: the next attach takes it. */
    struct cons *c = cons_new(0);
    c->p->out_prod = OUT + 1;
    EXPECT_EQ(hv_cons_back_attach(&c->b, c->p), -HV_ERANGE);
    EXPECT_EQ(hv_cons_back_peek(&c->b, c->p, NULL, 0), -HV_ERANGE);
    c->p->out_prod = OUT;
    EXPECT_EQ(hv_cons_back_attach(&c->b, c->p), 0);
    EXPECT_EQ(c->b.error, 0);
}

TEST(console, zero_length_calls)
{
    struct cons *c = cons_new(0);
    struct hv_cons_page *was = unit_alloc(sizeof(*was));

    snap(c, was);
    EXPECT_EQ(hv_cons_front_write(&c->f, c->p, NULL, 0), 0);
    EXPECT_EQ(hv_cons_front_read(&c->f, c->p, NULL, 0), 0);
    EXPECT_EQ(hv_cons_back_peek(&c->b, c->p, NULL, 0), 0);
    EXPECT_EQ(hv_cons_back_write(&c->b, c->p, NULL, 0), 0);
    hv_cons_back_consumed(&c->b, c->p, 0);
    expect_unchanged(c, was);
    /* With bytes waiting each way, and both rings full. */
    ASSERT_EQ(front_write_stream(c, 0, OUT), (int32_t)OUT);
    ASSERT_EQ(back_write_stream(c, 0, IN), (int32_t)IN);
    snap(c, was);
    EXPECT_EQ(hv_cons_front_write(&c->f, c->p, NULL, 0), 0);
    EXPECT_EQ(hv_cons_front_read(&c->f, c->p, NULL, 0), 0);
    EXPECT_EQ(hv_cons_back_peek(&c->b, c->p, NULL, 0), 0);
    EXPECT_EQ(hv_cons_back_write(&c->b, c->p, NULL, 0), 0);
    hv_cons_back_consumed(&c->b, c->p, 0);
    expect_unchanged(c, was);
    EXPECT_EQ(c->f.error, 0);
    EXPECT_EQ(c->b.error, 0);
    /* A zero-length call still checks the peer's index. */
    c->p->out_cons = OUT + 1;
    EXPECT_EQ(hv_cons_front_write(&c->f, c->p, NULL, 0), -HV_ERANGE);
}

/* --- Randomised interleaving ---------------------------------------------- */

TEST(console, random_interleaving)
{
    cs_run(1, 0, 200000);
    /* The same from indexes that cross 2^32 during the run. */
    cs_run(2, 0xfff00000u, 200000);
}
