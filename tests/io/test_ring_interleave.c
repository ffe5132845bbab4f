/* SPDX-License-Identifier: MIT */
/*
 * No lost wake-up: a frontend and a backend, each a thread running the
 * real functions of <hvabi/io/ring.h>, take turns one shared-index
 * access at a time (HV_RING_STEP, the header's test hook, hands the turn
 * back to a scheduler before each access). Each sleeps when its final
 * check finds nothing, and wakes only on a notification from the other.
 * A schedule fails if both sleep while requests are unanswered (a lost
 * wake-up), if an answer is missing, repeated or out of order, or if it
 * runs past a step limit.
 *
 * Schedules: every interleaving with at most PREEMPTIONS switches away
 * from a side that could have gone on (a depth-first search over the
 * choices, replayed from the start each time), then random ones from a
 * fixed seed. Notifications are steps too: a side may be switched out
 * between learning it must notify and doing so.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "unit.h"

static void sim_step(void);
#define HV_RING_STEP() sim_step()
#include "ring_test_types.h"

HV_RING_DEFINE(t2, struct t_req, struct t_rsp, 2);
HV_RING_DEFINE(t1, struct t_req, struct t_rsp, 1);

enum { SIM_FRONT, SIM_BACK, SIM_SCHEDULER = -1 };
enum sim_state { SIM_RUNNING, SIM_AT_STEP, SIM_ASLEEP, SIM_DONE };

#define SIM_MAX_STEPS 20000
#define SIM_MAX_CHOICES 4096
#define SIM_RANDOM_RUNS 1000

static struct sim {
    pthread_mutex_t mu;
    pthread_cond_t cv; /* the scheduler's */
    pthread_cond_t side_cv[2];
    int turn;
    enum sim_state state[2];
    int pending[2]; /* a notification waits for this side */
    int stop;
    /* The ring, of 1, 2 or 4 slots. */
    struct hv_ring_header *hdr;
    struct hv_ring_front f;
    struct hv_ring_back b;
    uint32_t requests;
    uint32_t answered;
    unsigned int notifications;
    char failure[160];
    /* The schedule. */
    int random;
    uint32_t rng;
    int preemptions_left;
    int choice[SIM_MAX_CHOICES];
    int nchoice;
    int pos;
    int last;
} sim = {.mu = PTHREAD_MUTEX_INITIALIZER,
         .cv = PTHREAD_COND_INITIALIZER,
         .side_cv = {PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER}};

static __thread int sim_me = SIM_SCHEDULER;

static void sim_fail(const char *why)
{
    if (!sim.failure[0]) {
        snprintf(sim.failure, sizeof(sim.failure), "%s", why);
    }
}

/* Gives the turn back as `state`, waits to be scheduled again. */
static void sim_yield(enum sim_state state)
{
    pthread_mutex_lock(&sim.mu);
    sim.state[sim_me] = state;
    sim.turn = SIM_SCHEDULER;
    pthread_cond_signal(&sim.cv);
    while (sim.turn != sim_me) {
        pthread_cond_wait(&sim.side_cv[sim_me], &sim.mu);
    }
    if (sim.stop) {
        pthread_mutex_unlock(&sim.mu);
        pthread_exit(NULL);
    }
    if (state == SIM_ASLEEP) {
        sim.pending[sim_me] = 0;
    }
    sim.state[sim_me] = SIM_RUNNING;
    pthread_mutex_unlock(&sim.mu);
}

static void sim_step(void)
{
    if (sim_me != SIM_SCHEDULER) {
        sim_yield(SIM_AT_STEP);
    }
}

static void sim_notify(int peer)
{
    sim_step();
    sim.pending[peer] = 1;
    sim.notifications++;
}

static void sim_done(void)
{
    pthread_mutex_lock(&sim.mu);
    sim.state[sim_me] = SIM_DONE;
    sim.turn = SIM_SCHEDULER;
    pthread_cond_signal(&sim.cv);
    pthread_mutex_unlock(&sim.mu);
}

static void *sim_front(void *arg)
{
    uint32_t sent = 0;
    uint32_t got = 0;

    (void)arg;
    sim_me = SIM_FRONT;
    sim_step();
    for (;;) {
        int progress = 0;
        struct t_rsp a;
        int32_t rc;

        while (sent < sim.requests && hv_ring_front_free(&sim.f) > 0) {
            struct t_req r = {sent, sent, 0, 0};
            if (hv_ring_front_put(&sim.f, &r, sizeof(r)) != 0) {
                sim_fail("frontend: put refused with a free slot");
            }
            sent++;
            progress = 1;
            if (hv_ring_front_push(&sim.f)) {
                sim_notify(SIM_BACK);
            }
        }
        while ((rc = hv_ring_front_get(&sim.f, &a, sizeof(a))) == 0) {
            if (a.seq != got || a.sum != got + 1) {
                sim_fail("frontend: wrong, repeated or reordered answer");
            }
            got++;
            progress = 1;
        }
        if (rc != -HV_EAGAIN) {
            sim_fail("frontend: the ring broke");
            break;
        }
        if (got == sim.requests) {
            break;
        }
        if (progress) {
            continue;
        }
        rc = hv_ring_front_final_check(&sim.f);
        if (rc < 0) {
            sim_fail("frontend: the ring broke in the final check");
            break;
        }
        if (rc == 0) {
            sim_yield(SIM_ASLEEP);
        }
    }
    sim.answered = got;
    sim_done();
    return NULL;
}

static void *sim_back(void *arg)
{
    uint32_t next = 0;

    (void)arg;
    sim_me = SIM_BACK;
    sim_step();
    for (;;) {
        int progress = 0;
        struct t_req r;
        int32_t rc;

        while ((rc = hv_ring_back_get(&sim.b, &r, sizeof(r))) == 0) {
            struct t_rsp a = {r.seq, r.a + 1};
            if (r.seq != next++) {
                sim_fail("backend: a request lost, repeated or reordered");
            }
            if (hv_ring_back_put(&sim.b, &a, sizeof(a)) != 0) {
                sim_fail("backend: put refused");
            }
            progress = 1;
            if (hv_ring_back_push(&sim.b)) {
                sim_notify(SIM_FRONT);
            }
        }
        if (rc != -HV_EAGAIN) {
            sim_fail("backend: the ring broke");
            break;
        }
        if (progress) {
            continue;
        }
        rc = hv_ring_back_final_check(&sim.b);
        if (rc < 0) {
            sim_fail("backend: the ring broke in the final check");
            break;
        }
        if (rc == 0) {
            sim_yield(SIM_ASLEEP);
        }
    }
    sim_done();
    return NULL;
}

static int sim_runnable(int side)
{
    return sim.state[side] == SIM_AT_STEP ||
           (sim.state[side] == SIM_ASLEEP && sim.pending[side]);
}

/* Which side runs next, when both could. 0: the one that ran last. */
static int sim_decide(void)
{
    int c;

    if (sim.random) {
        sim.rng = sim.rng * 1103515245u + 12345u;
        return (sim.rng >> 16) % 3 == 0; /* switch a third of the time */
    }
    if (sim.preemptions_left == 0) {
        return 0;
    }
    if (sim.pos < sim.nchoice) {
        c = sim.choice[sim.pos++];
    } else {
        if (sim.nchoice == SIM_MAX_CHOICES) {
            sim_fail("scheduler: too many choices");
            return 0;
        }
        c = sim.choice[sim.nchoice++] = 0;
        sim.pos++;
    }
    sim.preemptions_left -= c;
    return c;
}

/* Runs one schedule; returns 0 or a description of the failure. */
static const char *sim_run(void *sring, uint32_t size, uint32_t requests)
{
    pthread_t th[2];
    int steps = 0;

    memset(sim.state, 0, sizeof(sim.state));
    memset(sim.pending, 0, sizeof(sim.pending));
    sim.stop = 0;
    sim.turn = SIM_SCHEDULER;
    sim.hdr = sring;
    sim.requests = requests;
    sim.answered = 0;
    sim.notifications = 0;
    sim.failure[0] = 0;
    sim.pos = 0;
    sim.last = SIM_FRONT;
    char *req = (char *)sring + HV_RING_HEADER_SIZE;
    char *rsp = req + size * sizeof(struct t_req);
    if (hv_ring_front_init(&sim.f, sim.hdr, req, sizeof(struct t_req), rsp,
                           sizeof(struct t_rsp), size) != 0 ||
        hv_ring_back_attach(&sim.b, sim.hdr, req, sizeof(struct t_req), rsp,
                            sizeof(struct t_rsp), size) != 0 ||
        hv_ring_back_final_check(&sim.b) != 0) {
        return "ring setup failed";
    }
    pthread_create(&th[SIM_FRONT], NULL, sim_front, NULL);
    pthread_create(&th[SIM_BACK], NULL, sim_back, NULL);

    pthread_mutex_lock(&sim.mu);
    for (;;) {
        while (sim.turn != SIM_SCHEDULER || sim.state[0] == SIM_RUNNING ||
               sim.state[1] == SIM_RUNNING) {
            pthread_cond_wait(&sim.cv, &sim.mu);
        }
        int a = sim_runnable(sim.last);
        int b = sim_runnable(!sim.last);
        if (!a && !b) {
            if (sim.state[SIM_FRONT] != SIM_DONE) {
                sim_fail("lost wake-up: both asleep, requests unanswered");
            }
            break;
        }
        if (++steps > SIM_MAX_STEPS) {
            sim_fail("no end after the step limit");
            break;
        }
        if (a && b) {
            sim.last = sim_decide() ? !sim.last : sim.last;
        } else if (b) {
            sim.last = !sim.last;
        }
        sim.turn = sim.last;
        pthread_cond_signal(&sim.side_cv[sim.last]);
    }
    sim.stop = 1;
    for (int side = 0; side < 2; side++) {
        if (sim.state[side] != SIM_DONE) {
            sim.turn = side;
            pthread_cond_signal(&sim.side_cv[side]);
        }
        pthread_mutex_unlock(&sim.mu);
        pthread_join(th[side], NULL);
        pthread_mutex_lock(&sim.mu);
    }
    pthread_mutex_unlock(&sim.mu);
    if (!sim.failure[0] && sim.answered != requests) {
        sim_fail("frontend finished short");
    }
    return sim.failure[0] ? sim.failure : NULL;
}

/* Every schedule with at most `preemptions` preemptions; returns how
 * many ran, stops at the first failure. */
static unsigned int sim_exhaustive(void *sring, uint32_t size,
                                   uint32_t requests, int preemptions)
{
    unsigned int runs = 0;

    sim.random = 0;
    sim.nchoice = 0;
    for (;;) {
        sim.preemptions_left = preemptions;
        const char *why = sim_run(sring, size, requests);
        runs++;
        if (why) {
            printf("schedule %u (choices:", runs);
            for (int i = 0; i < sim.nchoice; i++) {
                printf(" %d", sim.choice[i]);
            }
            printf("): %s\n", why);
            EXPECT_TRUE(why == NULL);
            return runs;
        }
        while (sim.nchoice > 0 && sim.choice[sim.nchoice - 1] == 1) {
            sim.nchoice--;
        }
        if (sim.nchoice == 0) {
            return runs;
        }
        sim.choice[sim.nchoice - 1] = 1;
    }
}

TEST(ring_interleave, one_slot_exhaustive)
{
    static struct t1_sring s;
    unsigned int runs = sim_exhaustive(&s, 1, 3, 2);

    printf("%u schedules\n", runs);
    EXPECT_LT(100, runs);
}

TEST(ring_interleave, two_slots_exhaustive)
{
    static struct t2_sring s;
    unsigned int runs = sim_exhaustive(&s, 2, 4, 2);

    printf("%u schedules\n", runs);
    EXPECT_LT(100, runs);
}

TEST(ring_interleave, four_slots_random)
{
    static struct t4_sring s;
    unsigned int notifications = 0;

    sim.random = 1;
    sim.rng = 1;
    for (int run = 0; run < SIM_RANDOM_RUNS; run++) {
        const char *why = sim_run(&s, 4, 20);
        if (why) {
            printf("random schedule %d: %s\n", run, why);
            EXPECT_TRUE(why == NULL);
            return;
        }
        notifications += sim.notifications;
    }
    printf("%.2f notifications per request\n",
           notifications / (SIM_RANDOM_RUNS * 20.0));
}
