// SPDX-License-Identifier: MIT
/*
 * Hostile peers of console connections (<hvabi/io/console.h>): two roles
 * that play one side of a console honestly at first, then break the
 * page on purpose, against the PV Linux side of the connection.
 *
 *   consfront_evil  the frontend of a console served by hvconsback in a
 *                   PV Linux driver domain (linux.console_hostile_frontend)
 *   consback_evil   the backend of a PV Linux guest's /dev/hvc1
 *                   (hvc_hvcons; linux.console_hostile_backend*)
 *
 * Neither trusts the Linux side either: what they can check of it (the
 * backend served each life, unmapped every page, the frontend wrote
 * nothing once it called the ring broken) they check, and a role that
 * sees something wrong prints a FAIL line and ends with FAILURE. The
 * guest that runs a role halts the system when done (halt-on-shutdown),
 * after the Linux guest whose test decides has stopped: then every
 * line of both is in the log whichever finishes first.
 */
#include <hvabi/guest.h>
#include <hvabi/io/console.h>
#include <hvabi/mmu.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "hvtest.h"

#define CS_ATTR_RW                                                             \
    (HV_L2_SMALL | HV_L2_TEXCB(HV_TEXCB_NORMAL_WBWA) | HV_L2_NG |              \
     HV_L2_AP(HV_AP_RW))
#define CS_MS 1000000ull /* ns */

/* One page per life of the frontend: a page the backend may still map is
 * never reused for the next life. */
#define CS_LIVES 5u

static uint8_t cs_pages[CS_LIVES][4096] __attribute__((aligned(4096)));
static uint8_t cs_slot[4096] __attribute__((aligned(4096)));
static uint8_t cs_shared_page[4096] __attribute__((aligned(4096)));
static volatile struct hv_vcpu_shared *cs_sh;
static uint32_t cs_seed = 1;
static bool cs_failed;

static uint32_t cs_pa(const void *p)
{
    const struct hv_start_info *si = hvtest_start_info();
    return (uint32_t)(uintptr_t)p - si->mem_base + si->mem_phys;
}

/* The initial L2 entry of @va (<hvabi/start_info.h>). */
static uint32_t cs_pte_of(const void *va)
{
    const struct hv_start_info *si = hvtest_start_info();
    uint32_t index = ((uint32_t)(uintptr_t)va - si->mem_base) >> 12;
    return si->pt_l2_first + (index / 512) * 4096u + HV_MMU_L2_HW_OFFSET +
           (index % 512) * 4u;
}

static uint32_t cs_arg(const char *key, uint32_t dflt)
{
    uint32_t v = dflt;
    hv_cmdline_get_u32(hvtest_start_info()->cmdline, key, &v);
    return v;
}

static uint32_t cs_rand(void)
{
    cs_seed ^= cs_seed << 13;
    cs_seed ^= cs_seed >> 17;
    cs_seed ^= cs_seed << 5;
    return cs_seed;
}

static void cs_fail(const char *role, const char *why)
{
    hv_printf("%s: FAIL %s\n", role, why);
    cs_failed = true;
}

/* Events stay masked: the roles poll with hv_block, taking no upcalls. */
static void cs_register(void)
{
    cs_sh = (volatile struct hv_vcpu_shared *)cs_shared_page;
    cs_sh->events_masked = 1;
    if (hv_vcpu_register(cs_pa(cs_shared_page)) != 0) {
        hvtest_error("cannot register the shared page");
    }
}

/*
 * Sleeps until an event comes or @deadline (monitor time) passes; takes
 * every pending event, so that a port the peer keeps raising cannot turn
 * the next sleep into a busy loop. Returns the events taken.
 */
static uint32_t cs_block_until(uint64_t deadline)
{
    uint32_t ev;

    hv_timer_set(deadline);
    while (cs_sh->events_pending == 0 && hv_clock_read() < deadline) {
        hv_block();
    }
    ev = __atomic_exchange_n(&cs_sh->events_pending, 0, __ATOMIC_SEQ_CST);
    hv_timer_set(0);
    return ev;
}

static void cs_sleep_ms(uint32_t ms)
{
    uint64_t end = hv_clock_read() + ms * CS_MS;

    while (hv_clock_read() < end) {
        cs_block_until(end);
    }
}

/* The first console connection in which this guest has @role. */
static bool cs_find(uint32_t role, uint32_t *index, struct hv_conn_info *info)
{
    for (uint32_t i = 0; hv_conn_query(i, info) == 0; i++) {
        if (info->kind == HV_CONN_KIND_CONSOLE && info->role == role) {
            *index = i;
            return true;
        }
    }
    return false;
}

/* A guest that has stopped is found by nobody: the monitor answers an
 * event port opened for it with ENOENT. */
static bool cs_guest_gone(uint32_t id)
{
    int32_t port = hv_evtchn_alloc_unbound(id);

    if (port > 0) {
        hv_evtchn_close((uint32_t)port);
    }
    return port == -HV_ENOENT;
}

/* Waits up to @s seconds for guest @id to stop. */
static bool cs_wait_gone(uint32_t id, uint32_t s)
{
    uint64_t end = hv_clock_read() + s * 1000ull * CS_MS;

    while (!cs_guest_gone(id)) {
        if (hv_clock_read() > end) {
            return false;
        }
        cs_sleep_ms(50);
    }
    return true;
}

static uint32_t cs_flood(uint32_t port, uint32_t n)
{
    uint32_t ok = 0;

    for (uint32_t i = 0; i < n; i++) {
        ok += hv_evtchn_send(port) == 0;
    }
    return ok;
}

/* --- The hostile frontend ------------------------------------------------ */

struct cs_front {
    uint32_t index;
    struct hv_conn_info info;
    volatile struct hv_cons_page *page;
    struct hv_cons_side side;
    int32_t refs[CS_LIVES];
    uint32_t lives;
    uint64_t wait_ns; /* for the backend: to come, to send a line */
};

static struct cs_front cf;

#define CF "consfront_evil"

/* A new life of our side: INIT, a fresh page granted and published,
 * READY, then CONNECTED once the backend is READY (it maps the page). */
static bool cf_open(void)
{
    uint32_t life = cf.lives;
    uint32_t peer_state;
    int32_t rc;

    if (hv_conn_query(cf.index, &cf.info) != 0 ||
        cf.info.state != HV_CONN_DOWN ||
        hv_conn_set_state(cf.info.id, HV_CONN_INIT, &peer_state) != 0) {
        cs_fail(CF, "cannot go INIT");
        return false;
    }
    memset(cs_pages[life], 0, 4096);
    cf.page = (volatile struct hv_cons_page *)cs_pages[life];
    hv_cons_front_init(&cf.side);
    cf.refs[life] = hv_grant_access(cs_pa(cs_pages[life]), cf.info.peer_id, 0);
    if (cf.refs[life] < 0 ||
        hv_conn_set_ring(cf.info.id, (uint32_t)cf.refs[life]) != 0 ||
        hv_conn_set_state(cf.info.id, HV_CONN_READY, &peer_state) != 0 ||
        hv_conn_query(cf.index, &cf.info) != 0 || cf.info.port == 0) {
        cs_fail(CF, "cannot publish the page");
        return false;
    }
    cf.lives++;
    uint64_t end = hv_clock_read() + cf.wait_ns;
    while ((rc = hv_conn_set_state(cf.info.id, HV_CONN_CONNECTED,
                                   &peer_state)) == -HV_EAGAIN) {
        if (hv_clock_read() > end) {
            cs_fail(CF, "the backend never came");
            return false;
        }
        cs_block_until(hv_clock_read() + 1000 * CS_MS);
    }
    if (rc != 0) {
        cs_fail(CF, "CONNECTED refused");
        return false;
    }
    hv_printf(CF ": life %lu: connected to guest %lu (page %lu)\n",
              (unsigned long)cf.lives, (unsigned long)cf.info.peer_id,
              (unsigned long)cf.refs[life]);
    return true;
}

/*
 * Writes @text into the out ring and waits up to @ms for the backend to
 * send all of it (out_cons reaching out_prod). False if it did not.
 */
static bool cf_say(const char *text, uint32_t ms)
{
    uint32_t len = (uint32_t)strlen(text), done = 0;
    uint64_t end = hv_clock_read() + ms * CS_MS;

    while (done < len) {
        int32_t n =
            hv_cons_front_write(&cf.side, cf.page, text + done, len - done);
        if (n < 0) {
            cs_fail(CF, "the backend broke our out ring");
            return false;
        }
        done += (uint32_t)n;
        (void)hv_evtchn_send(cf.info.port);
        if (done < len) {
            if (hv_clock_read() > end) {
                return false;
            }
            cs_block_until(hv_clock_read() + 100 * CS_MS);
        }
    }
    while (hv_ring_load(&cf.page->out_cons) != cf.side.out) {
        if (hv_clock_read() > end) {
            return false;
        }
        cs_block_until(hv_clock_read() + 100 * CS_MS);
    }
    return true;
}

/* A line the backend must send before we break anything. */
static bool cf_served(const char *what)
{
    char line[96];

    snprintf(line, sizeof(line), CF ": life %lu: %s\n", (unsigned long)cf.lives,
             what);
    if (!cf_say(line, (uint32_t)(cf.wait_ns / CS_MS))) {
        cs_fail(CF, "the backend did not send our line");
        return false;
    }
    return true;
}

/* What the backend must never send: the whole out ring of it. */
static void cf_fill_never(void)
{
    static const char never[] = "NEVER SENT ";

    for (uint32_t i = 0; i < HV_CONS_OUT_SIZE; i++) {
        cf.page->out[i] = (uint8_t)never[i % (sizeof(never) - 1)];
    }
    hv_ring_mb();
}

static void cf_close(uint32_t flood, uint32_t wait_ms)
{
    uint32_t sent = cs_flood(cf.info.port, flood);

    /* hvconsback looks at the page before it looks at our state: time
     * to find it broken before we leave it */
    cs_sleep_ms(wait_ms);
    hv_printf(CF ": life %lu: %lu of %lu events sent, closing\n",
              (unsigned long)cf.lives, (unsigned long)sent,
              (unsigned long)flood);
    if (hv_conn_set_state(cf.info.id, HV_CONN_CLOSING, 0) != 0 ||
        hv_conn_set_state(cf.info.id, HV_CONN_DOWN, 0) != 0) {
        cs_fail(CF, "cannot close");
    }
}

/* Life 1: every index and byte of the page rewritten at random, with
 * events between, for @ms. */
static void cf_storm(uint32_t ms)
{
    uint64_t end = hv_clock_read() + ms * CS_MS;
    uint32_t rewrites = 0;

    hv_printf(CF ": life %lu: breaking the page: an index storm for %lu "
                 "ms\n",
              (unsigned long)cf.lives, (unsigned long)ms);
    while (hv_clock_read() < end) {
        for (uint32_t i = 0; i < 64; i++) {
            uint32_t r = cs_rand();
            hv_ring_store(&cf.page->out_prod, cs_rand());
            hv_ring_store(&cf.page->in_cons, cs_rand());
            cf.page->reserved[r % 12u] = cs_rand();
            cf.page->out[r % HV_CONS_OUT_SIZE] = (uint8_t)(r >> 8);
            (void)hv_evtchn_send(cf.info.port);
            rewrites++;
        }
    }
    hv_printf(CF ": life %lu: storm over: %lu rewrites\n",
              (unsigned long)cf.lives, (unsigned long)rewrites);
}

/*
 * Life 4: in_cons past in_prod, which the backend sees only when it has
 * input to write; out still works, so the page asks for input (the
 * runner types into the UART on "ready for input") and then probes: the
 * backend serves the probes until the input comes, then nothing more.
 */
static void cf_in_cons(void)
{
    uint32_t in_prod = hv_ring_load(&cf.page->in_prod);
    char line[96];

    hv_printf(CF ": life %lu: breaking the page: in_cons %lu, 100 past "
                 "in_prod %lu\n",
              (unsigned long)cf.lives, (unsigned long)(in_prod + 100),
              (unsigned long)in_prod);
    hv_ring_store(&cf.page->in_cons, in_prod + 100);
    if (!cf_served("ready for input")) {
        return;
    }
    for (uint32_t probe = 1; probe <= 60; probe++) {
        snprintf(line, sizeof(line), CF ": life %lu: probe %lu\n",
                 (unsigned long)cf.lives, (unsigned long)probe);
        if (!cf_say(line, 2000)) {
            hv_printf(CF ": life %lu: the backend stopped serving at probe "
                         "%lu\n",
                      (unsigned long)cf.lives, (unsigned long)probe);
            return;
        }
        cs_sleep_ms(250);
    }
    cs_fail(CF, "the backend still serves a page whose in_cons is past "
                "in_prod, after input came");
}

/*
 * Honest output as fast as the ring takes it, for @ms: numbered lines
 * "flood N", each written whole once the ring has room for it, an event
 * after each (and while full); the backend must send every one.
 */
static void cf_outflood(uint32_t ms)
{
    uint64_t end = hv_clock_read() + ms * CS_MS;
    uint32_t lines = 0, full = 0;
    char line[64];

    hv_printf(CF ": life %lu: output flood for %lu ms\n",
              (unsigned long)cf.lives, (unsigned long)ms);
    while (hv_clock_read() < end) {
        int len = snprintf(line, sizeof(line), "flood %lu\n",
                           (unsigned long)lines + 1);
        if (HV_CONS_OUT_SIZE -
                (cf.side.out - hv_ring_load(&cf.page->out_cons)) <
            (uint32_t)len) {
            full++;
            (void)hv_evtchn_send(cf.info.port);
            continue;
        }
        if (hv_cons_front_write(&cf.side, cf.page, line, (uint32_t)len) !=
            len) {
            cs_fail(CF, "flood: a write the ring had room for failed");
            return;
        }
        (void)hv_evtchn_send(cf.info.port);
        lines++;
    }
    hv_printf(CF ": life %lu: output flood over: %lu lines, %lu times full\n",
              (unsigned long)cf.lives, (unsigned long)lines,
              (unsigned long)full);
}

/*
 * Role "consfront_evil [backend_wait_s=S] [wait_ms=T] [storm_ms=T]
 * [flood=N] [outflood_ms=T] [seed=S] [linux=ID]": the frontend of its
 * console connection, five lives, each on a fresh page that the backend
 * must first serve (a line sent): lives 1-4 break it after that, each
 * its own way, flood the backend with N events (20000) and leave T ms
 * (1000) later; life 5 is honest and must be served again. With
 * outflood_ms, life 1 first writes honest output as fast as the backend
 * takes it, for that long. Then every page's grant must end
 * (the backend unmapped them all), and, with linux=ID, the role waits
 * for that guest to stop before it ends.
 */
int cons_role_front_evil(void);
int cons_role_front_evil(void)
{
    uint32_t wait_ms = cs_arg("wait_ms", 1000);
    uint32_t flood = cs_arg("flood", 20000);
    uint32_t storm_ms = cs_arg("storm_ms", 2000);
    uint32_t linux_id = cs_arg("linux", 0);
    uint32_t outflood_ms = cs_arg("outflood_ms", 0);
    uint32_t broken = 0;

    cs_seed = cs_arg("seed", 1) | 1u;
    cf.wait_ns = cs_arg("backend_wait_s", 100) * 1000ull * CS_MS;
    cs_register();
    if (!cs_find(HV_CONN_FRONTEND, &cf.index, &cf.info)) {
        hv_puts(CF ": no console connection of which this guest is the "
                   "frontend\n");
        return HVTEST_ERROR;
    }
    hv_printf(CF ": the frontend of console connection %lu, backend guest "
                 "%lu\n",
              (unsigned long)cf.info.id, (unsigned long)cf.info.peer_id);

    /* 1: the storm; 2: out_prod far past out_cons + 2048; 3: out_prod
     * back; 4: in_cons past in_prod. */
    for (uint32_t life = 1; life <= 4 && !cs_failed; life++) {
        if (!cf_open()) {
            break;
        }
        if (life == 1 && outflood_ms != 0) {
            cf_outflood(outflood_ms);
        }
        if (!cf_served("served before the break")) {
            break;
        }
        uint32_t out = cf.side.out;
        switch (life) {
        case 1:
            cf_storm(storm_ms);
            break;
        case 2:
            cf_fill_never();
            hv_printf(CF ": life 2: breaking the page: out_prod %lu, 4096 "
                         "past out_cons + 2048\n",
                      (unsigned long)(out + HV_CONS_OUT_SIZE + 4096u));
            hv_ring_store(&cf.page->out_prod, out + HV_CONS_OUT_SIZE + 4096u);
            break;
        case 3:
            cf_fill_never();
            hv_printf(CF ": life 3: breaking the page: out_prod back from "
                         "%lu to %lu\n",
                      (unsigned long)out, (unsigned long)(out - 16u));
            hv_ring_store(&cf.page->out_prod, out - 16u);
            break;
        default:
            cf_in_cons();
            break;
        }
        broken++;
        cf_close(flood, wait_ms);
    }
    if (!cs_failed && cf_open() &&
        cf_served("served again on a fresh page after 4 broken ones")) {
        char in[64];
        int32_t n = hv_cons_front_read(&cf.side, cf.page, in, sizeof(in));
        hv_printf(CF ": life 5: served again, %ld bytes of input waiting\n",
                  (long)n);
        cf_close(0, 0);
    }

    /* The backend left every page: each grant ends (EBUSY while mapped). */
    uint32_t ended = 0;
    uint64_t end = hv_clock_read() + 10000 * CS_MS;
    for (uint32_t i = 0; i < cf.lives; i++) {
        int32_t rc;
        while ((rc = hv_grant_end((uint32_t)cf.refs[i])) == -HV_EBUSY &&
               hv_clock_read() < end) {
            cs_sleep_ms(50);
        }
        ended += rc == 0;
    }
    hv_printf(CF ": %lu pages broken, %lu of %lu grants ended\n",
              (unsigned long)broken, (unsigned long)ended,
              (unsigned long)cf.lives);
    if (ended != cf.lives) {
        cs_fail(CF, "the backend still maps a page we left");
    }
    if (linux_id != 0) {
        if (cs_wait_gone(linux_id, 110)) {
            hv_printf(CF ": waited for 1 guest to stop (guest %lu)\n",
                      (unsigned long)linux_id);
        } else {
            cs_fail(CF, "the Linux guest did not stop");
        }
    }
    hv_puts(cs_failed ? "hvtest: role.consfront_evil: FAILURE\n"
                      : "hvtest: role.consfront_evil: SUCCESS\n");
    return cs_failed ? HVTEST_FAILURE : HVTEST_SUCCESS;
}

/* --- The hostile backend -------------------------------------------------- */

#define CB "consback_evil"
/* What the frontend's script writes once its kernel has reported the
 * broken ring: from then on no byte of it may reach the page. */
#define CB_MARK "after the report"

struct cs_back {
    struct hv_conn_info info;
    volatile struct hv_cons_page *page;
    struct hv_cons_side side;
    char line[128];
    uint32_t line_len;
    bool found; /* the mark seen in the out ring */
};

static struct cs_back cb;

/* Serves output until the line @until has come (consumed); prints each
 * line. */
static bool cb_serve_until(const char *until, uint64_t end)
{
    uint8_t buf[256];

    for (;;) {
        int32_t n = hv_cons_back_peek(&cb.side, cb.page, buf, sizeof(buf));
        if (n < 0) {
            cs_fail(CB, "the frontend broke the page");
            return false;
        }
        if (n == 0) {
            if (hv_clock_read() > end) {
                cs_fail(CB, "the frontend's line never came");
                return false;
            }
            cs_block_until(hv_clock_read() + 1000 * CS_MS);
            continue;
        }
        for (int32_t i = 0; i < n; i++) {
            char c = (char)buf[i];
            if (c != '\n') {
                if (cb.line_len < sizeof(cb.line) - 1 && c != '\r') {
                    cb.line[cb.line_len++] = c >= ' ' && c < 127 ? c : '?';
                }
                continue;
            }
            cb.line[cb.line_len] = 0;
            cb.line_len = 0;
            hv_printf(CB ": got '%s'\n", cb.line);
            if (strcmp(cb.line, until) == 0) {
                hv_cons_back_consumed(&cb.side, cb.page, (uint32_t)i + 1u);
                (void)hv_evtchn_send(cb.info.port);
                return true;
            }
        }
        hv_cons_back_consumed(&cb.side, cb.page, (uint32_t)n);
        (void)hv_evtchn_send(cb.info.port);
    }
}

/* Looks for the mark anywhere in the out ring, across its wrap too. */
static void cb_scan(void)
{
    static char ring[2 * HV_CONS_OUT_SIZE + 1];

    if (cb.found) {
        return;
    }
    hv_ring_mb();
    for (uint32_t i = 0; i < HV_CONS_OUT_SIZE; i++) {
        char c = (char)cb.page->out[i];
        ring[i] = ring[i + HV_CONS_OUT_SIZE] = c ? c : '.';
    }
    ring[2 * HV_CONS_OUT_SIZE] = 0;
    if (strstr(ring, CB_MARK)) {
        cb.found = true;
        hv_printf(CB ": FOUND '" CB_MARK "' in the out ring: the frontend "
                     "wrote after the ring broke (out_prod %lu)\n",
                  (unsigned long)hv_ring_load(&cb.page->out_prod));
    }
}

/*
 * Role "consback_evil evil=in_far|out_beyond|out_back [flood=N] [seed=S]
 * [frontend_wait_s=S]": the backend of its console
 * connection (tests/linux/tests/console_hostile.sh is the frontend's
 * side). Honest until the frontend writes "hvcons-hostile: break now":
 * it prints each line, answers "...ready for input" with a line and 512
 * random bytes of input. Then it breaks the ring (in_far: in_prod 4096
 * past in_cons + 1024 over random bytes; out_beyond: out_cons 256 past
 * out_prod; out_back: out_cons back to half), sends N events (20000),
 * waits 1 s for the frontend to find it, then storms until the
 * frontend's guest stops: in_prod, out_cons and the in ring rewritten at
 * random, events between. Meanwhile it watches the out ring for the
 * script's "after the report" lines, which a frontend that called the
 * ring broken must never write there.
 */
int cons_role_back_evil(void);
int cons_role_back_evil(void)
{
    char evil[16] = "";
    uint32_t flood = cs_arg("flood", 20000);
    uint64_t wait_ns = cs_arg("frontend_wait_s", 100) * 1000ull * CS_MS;
    uint32_t index, peer_state;

    cs_seed = cs_arg("seed", 1) | 1u;
    hv_cmdline_get(hvtest_start_info()->cmdline, "evil", evil, sizeof(evil));
    if (strcmp(evil, "in_far") != 0 && strcmp(evil, "out_beyond") != 0 &&
        strcmp(evil, "out_back") != 0) {
        hv_puts(CB ": evil= must be in_far, out_beyond or out_back\n");
        return HVTEST_ERROR;
    }
    cs_register();
    if (!cs_find(HV_CONN_BACKEND, &index, &cb.info)) {
        hv_puts(CB ": no console connection of which this guest is the "
                   "backend\n");
        return HVTEST_ERROR;
    }
    hv_printf(CB ": the backend of console connection %lu ('%s') of guest "
                 "%lu\n",
              (unsigned long)cb.info.id, cb.info.device,
              (unsigned long)cb.info.peer_id);
    if (hv_conn_set_state(cb.info.id, HV_CONN_INIT, &peer_state) != 0) {
        hv_puts(CB ": cannot go INIT\n");
        return HVTEST_ERROR;
    }
    uint64_t end = hv_clock_read() + wait_ns;
    for (;;) {
        if (hv_conn_query(index, &cb.info) != 0) {
            return HVTEST_ERROR;
        }
        if (cb.info.ring_ref != HV_CONN_NO_RING &&
            (cb.info.peer_state == HV_CONN_READY ||
             cb.info.peer_state == HV_CONN_CONNECTED)) {
            break;
        }
        if (hv_clock_read() > end) {
            hv_puts(CB ": FAIL the frontend never published its page\n");
            return HVTEST_FAILURE;
        }
        cs_block_until(hv_clock_read() + 1000 * CS_MS);
    }
    uint32_t pte = cs_pte_of(cs_slot);
    struct hv_mmu_update u = {pte, 0};
    uint32_t done;
    if (hv_mmu_update(&u, 1, &done) != 0 ||
        hv_mmu_tlb(HV_TLB_FLUSH_VA, (uint32_t)(uintptr_t)cs_slot) != 0 ||
        hv_grant_map(cb.info.peer_id, cb.info.ring_ref, pte, CS_ATTR_RW) != 0) {
        hv_puts(CB ": cannot map the page\n");
        return HVTEST_ERROR;
    }
    cb.page = (volatile struct hv_cons_page *)cs_slot;
    if (hv_cons_back_attach(&cb.side, cb.page) != 0) {
        hv_puts(CB ": cannot attach\n");
        return HVTEST_ERROR;
    }
    /* Before READY: the frontend's "connected" line comes after it. */
    hv_printf(CB ": attached to guest %lu's page %lu\n",
              (unsigned long)cb.info.peer_id, (unsigned long)cb.info.ring_ref);
    if (hv_conn_set_state(cb.info.id, HV_CONN_READY, &peer_state) != 0 ||
        hv_conn_set_state(cb.info.id, HV_CONN_CONNECTED, &peer_state) != 0) {
        hv_puts(CB ": cannot go READY, CONNECTED\n");
        return HVTEST_ERROR;
    }

    /* Honest: lines out, a line and random bytes in. */
    static const char hello[] = "hello from the backend\n";
    static char reply[sizeof(hello) - 1 + 512];
    memcpy(reply, hello, sizeof(hello) - 1);
    for (uint32_t i = sizeof(hello) - 1; i < sizeof(reply); i++) {
        reply[i] = (char)cs_rand();
    }
    end = hv_clock_read() + wait_ns;
    if (!cb_serve_until("hvcons-hostile: ready for input", end)) {
        return HVTEST_FAILURE;
    }
    if (hv_cons_back_write(&cb.side, cb.page, reply, sizeof(reply)) !=
        (int32_t)sizeof(reply)) {
        cs_fail(CB, "no room for the input");
        return HVTEST_FAILURE;
    }
    (void)hv_evtchn_send(cb.info.port);
    hv_puts(CB ": a line and 512 random bytes of input written\n");
    if (!cb_serve_until("hvcons-hostile: break now", end)) {
        return HVTEST_FAILURE;
    }

    uint32_t in_cons = hv_ring_load(&cb.page->in_cons);
    uint32_t out_prod = hv_ring_load(&cb.page->out_prod);
    if (strcmp(evil, "in_far") == 0) {
        for (uint32_t i = 0; i < HV_CONS_IN_SIZE; i++) {
            cb.page->in[i] = (uint8_t)cs_rand();
        }
        hv_ring_mb();
        hv_printf(CB ": breaking the ring: in_prod %lu, 4096 past in_cons "
                     "%lu + 1024\n",
                  (unsigned long)(in_cons + HV_CONS_IN_SIZE + 4096u),
                  (unsigned long)in_cons);
        hv_ring_store(&cb.page->in_prod, in_cons + HV_CONS_IN_SIZE + 4096u);
    } else if (strcmp(evil, "out_beyond") == 0) {
        hv_printf(CB ": breaking the ring: out_cons %lu, 256 past out_prod "
                     "%lu\n",
                  (unsigned long)(out_prod + 256u), (unsigned long)out_prod);
        hv_ring_store(&cb.page->out_cons, out_prod + 256u);
    } else {
        /* Back to half of it: behind what the frontend last accepted,
         * which was all but its last line (a few dozen bytes of some
         * 300), and without wrapping below 0. */
        hv_printf(CB ": breaking the ring: out_cons back from %lu to %lu\n",
                  (unsigned long)cb.side.out, (unsigned long)cb.side.out / 2);
        hv_ring_store(&cb.page->out_cons, cb.side.out / 2);
    }
    uint32_t sent = cs_flood(cb.info.port, flood);
    hv_printf(CB ": %lu of %lu events sent\n", (unsigned long)sent,
              (unsigned long)flood);
    cs_sleep_ms(1000);

    /* The storm lasts as long as the frontend's guest: its kernel carries
     * on under it, to the end of its test. */
    uint64_t give_up = hv_clock_read() + 110000 * CS_MS, next_look = 0;
    uint32_t rewrites = 0;
    bool gone = false;
    sent = 0;
    while (!gone) {
        for (uint32_t i = 0; i < 64; i++) {
            uint32_t r = cs_rand();
            hv_ring_store(&cb.page->in_prod, cs_rand());
            hv_ring_store(&cb.page->out_cons, cs_rand());
            cb.page->in[r % HV_CONS_IN_SIZE] = (uint8_t)(r >> 8);
            sent += hv_evtchn_send(cb.info.port) == 0;
            rewrites++;
        }
        cb_scan();
        uint64_t now = hv_clock_read();
        if (now >= next_look) {
            next_look = now + 20 * CS_MS;
            gone = cs_guest_gone(cb.info.peer_id);
            if (!gone && now > give_up) {
                cs_fail(CB, "the frontend's guest did not stop");
                break;
            }
        }
    }
    hv_printf(CB ": guest %lu stopped, the storm made %lu rewrites and %lu "
                 "events\n",
              (unsigned long)cb.info.peer_id, (unsigned long)rewrites,
              (unsigned long)sent);
    cb_scan();
    if (!cb.found) {
        hv_puts(CB ": the frontend wrote nothing into the page after its "
                   "report\n");
    } else {
        cs_failed = true;
    }
    if (hv_grant_unmap(pte) != 0) {
        cs_fail(CB, "cannot unmap the page");
    }
    hv_puts(cs_failed ? "hvtest: role.consback_evil: FAILURE\n"
                      : "hvtest: role.consback_evil: SUCCESS\n");
    return cs_failed ? HVTEST_FAILURE : HVTEST_SUCCESS;
}
