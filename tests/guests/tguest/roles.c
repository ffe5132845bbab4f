/* SPDX-License-Identifier: MIT */
/*
 * Non-test behaviours of the test guest, chosen with role=<name>:
 *   witness  rounds=N   checks its memory and keeps yielding; reports
 *                       SUCCESS if it stayed intact for N rounds
 *   chatter  count=N mode=yield|spin spin=LOOPS   prints N numbered
 *                       lines, yielding or busy-waiting between them
 *   spinner             loops forever without a hypercall
 *   wfi                 executes WFI forever
 *   yielder             yields forever
 *   waker    period_us=P work_us=W end_ms=T   until T ms of monitor time,
 *                       sleeps on its virtual timer and works W us every
 *                       P us (a guest boosted on every wake-up); prints
 *                       its wakes, the work it got done, its latest wake
 *   granter  peer=ID    grants ID two frames (grant_tests.c), then yields
 *   bench    n=N        measures hypercall, switch, page-table, syscall
 *                       and event costs
 *   blkback  [delay_ms=T] [crash=N] [features=F] [evil_id=N]
 *            [evil_prod=N] [evil_dup=N] [evil_reread=1]   the backend
 *                       of the first device connection, a RAM disk,
 *                       honest or hostile (conn_tests.c)
 *   consfront_evil [wait_ms=T] [storm_ms=T] [flood=N] [outflood_ms=T]
 *            [linux=ID]
 *                       the frontend of a console that breaks its page in
 *                       four lives, then is served again (cons_tests.c)
 *   consback_evil evil=in_far|out_beyond|out_back [flood=N]
 *                       the backend of a console that serves, then breaks
 *                       the ring and storms (cons_tests.c)
 *   netfront_evil [peer_mac=M] [linux=ID] [flood_ms=T] [storm_ms=T]
 *            [flood=N] [wait_ms=T]
 *                       the frontend of a network interface: malformed
 *                       requests, bad grant references, broken indexes
 *                       and floods over nine lives (net_tests.c)
 *   netback_evil evil=rx_len|rx_id|rsp_far|tx_back|garbage [flood=N]
 *                       the backend of a network interface that serves,
 *                       then breaks the ring and storms (net_tests.c)
 *   echo     peer=ID    opens event port 1 for ID, echoes one event
 *   storm    peer=ID    sends events to ID as fast as it can
 *   vfp_holder          keeps a pattern in d0-d31 across switches
 *   masked_spinner      spins forever with events masked
 *   share    end_ms=T   counts work done until T ms of monitor time
 *   hcfuzz   seed=S count=N   random hypercalls (hcfuzz.c)
 *   flood    calls=N end_ms=T   writes 256 newlines a call, never
 *                       yielding, N times or until T ms of monitor time;
 *                       then says how many it got in
 *   lives    end=crash|shutdown|wait code=C   checks that its memory is
 *                       fresh (nothing of a previous life), says which
 *                       life it is (start info's restarts + 1), marks its
 *                       memory, then crashes (data abort), shuts down
 *                       with code C or spins until killed; for the
 *                       monitor's restart policy
 *   killer   target=ID expect=ok|eperm kills=N gap_ms=T sleep=0|1
 *            confirm=0|1 start_ms=S
 *                       HV_OP_VM_KILL: with expect=ok, kills ID as a crash
 *                       every T ms (the first at S + T), N times, checking
 *                       the errors around
 *                       it (busy between kills, or blocked with sleep=1;
 *                       confirm=0: no second kill expecting ENOENT, which
 *                       a restart quicker than this guest's next turn
 *                       would answer, on a busy system, by a kill of the
 *                       new life); with expect=eperm, checks that it may
 *                       not
 */
#include <stdbool.h>
#include <string.h>

#include "hvtest.h"

#define WITNESS_WORDS 16384

static uint32_t witness_area[WITNESS_WORDS];

static void role_busy(uint32_t loops)
{
    for (volatile uint32_t i = 0; i < loops; i++) {
    }
}

static int role_witness(const struct hv_start_info *si)
{
    uint32_t rounds = 40;
    hv_cmdline_get_u32(si->cmdline, "rounds", &rounds);

    for (uint32_t i = 0; i < WITNESS_WORDS; i++) {
        witness_area[i] = i * 2654435761u;
    }
    for (uint32_t r = 0; r < rounds; r++) {
        hv_yield();
        role_busy(2000);
        for (uint32_t i = 0; i < WITNESS_WORDS; i++) {
            if (witness_area[i] != i * 2654435761u) {
                hv_printf("hvtest: FAIL witness memory changed at word %lu\n",
                          (unsigned long)i);
                hv_puts("hvtest: role.witness: FAILURE\n");
                return HVTEST_FAILURE;
            }
        }
        if (r % 10 == 9) {
            hv_printf("witness alive, round %lu\n", (unsigned long)r + 1);
        }
    }
    hv_puts("hvtest: role.witness: SUCCESS\n");
    return HVTEST_SUCCESS;
}

static int role_chatter(const struct hv_start_info *si)
{
    uint32_t count = 10;
    uint32_t spin = 200000;
    char mode[8] = "yield";
    hv_cmdline_get_u32(si->cmdline, "count", &count);
    hv_cmdline_get_u32(si->cmdline, "spin", &spin);
    hv_cmdline_get(si->cmdline, "mode", mode, sizeof(mode));

    for (uint32_t i = 0; i < count; i++) {
        hv_printf("chatter line %lu\n", (unsigned long)i);
        if (strcmp(mode, "yield") == 0) {
            hv_yield();
        } else {
            role_busy(spin);
        }
    }
    hv_puts("hvtest: role.chatter: SUCCESS\n");
    return HVTEST_SUCCESS;
}

/* Counts how much work it gets done until the clock reaches end_ms. */
/*
 * A guest that keeps time beside another (a Linux guest, say): every
 * period_ms it prints a heartbeat, count times, yielding in between, then
 * reports success. If it stops beating, its neighbour or the monitor
 * took the CPU from it for good.
 */
static int role_heartbeat(const struct hv_start_info *si)
{
    uint32_t count = 5;
    uint32_t period_ms = 1000;
    hv_cmdline_get_u32(si->cmdline, "count", &count);
    hv_cmdline_get_u32(si->cmdline, "period_ms", &period_ms);

    uint64_t start = hv_clock_read();
    for (uint32_t i = 1; i <= count; i++) {
        uint64_t due = start + (uint64_t)i * period_ms * 1000000u;
        while (hv_clock_read() < due) {
            hv_yield();
        }
        hv_printf("heartbeat %lu of %lu\n", (unsigned long)i,
                  (unsigned long)count);
    }
    hv_puts("hvtest: role.heartbeat: SUCCESS\n");
    return HVTEST_SUCCESS;
}

static int role_share(const struct hv_start_info *si)
{
    uint32_t end_ms = 500;
    uint32_t count = 0;
    hv_cmdline_get_u32(si->cmdline, "end_ms", &end_ms);
    while (hv_clock_read() < (uint64_t)end_ms * 1000000u) {
        for (volatile int i = 0; i < 1000; i++) {
        }
        count++;
    }
    hv_printf("share: %lu\n", (unsigned long)count);
    return HVTEST_SUCCESS;
}

static uint8_t role_waker_page[4096] __attribute__((aligned(4096)));

/*
 * Wakes up all the time: every period_us (monitor time) its virtual timer
 * wakes it from HV_OP_BLOCK and it busy-waits work_us, until end_ms; the
 * scheduler boosts it on each wake. Prints "waker: N wakes, M us of
 * work, the latest L us late" (L: the longest wait from a deadline to
 * running). Periods that pass while it works or waits are skipped. Its
 * events stay masked: it polls the pending word after each block.
 */
static int role_waker(const struct hv_start_info *si)
{
    uint32_t period_us = 1000;
    uint32_t work_us = 100;
    uint32_t end_ms = 600;
    hv_cmdline_get_u32(si->cmdline, "period_us", &period_us);
    hv_cmdline_get_u32(si->cmdline, "work_us", &work_us);
    hv_cmdline_get_u32(si->cmdline, "end_ms", &end_ms);

    volatile struct hv_vcpu_shared *sh =
        (volatile struct hv_vcpu_shared *)role_waker_page;
    sh->events_masked = 1;
    uint32_t pa =
        (uint32_t)(uintptr_t)role_waker_page - si->mem_base + si->mem_phys;
    if (hv_vcpu_register(pa) != 0) {
        hvtest_error("waker: cannot register the shared page");
    }
    const uint64_t end = (uint64_t)end_ms * 1000000u;
    const uint64_t period = (uint64_t)period_us * 1000u;
    uint64_t next = hv_clock_read() + period;
    uint32_t wakes = 0;
    uint64_t worked_ns = 0;
    uint64_t latest_ns = 0;
    for (; next < end; next += period) {
        hv_timer_set(next);
        while (!(sh->events_pending & HV_EVENT_TIMER)) {
            hv_block();
        }
        __atomic_fetch_and(&sh->events_pending, ~HV_EVENT_TIMER,
                           __ATOMIC_SEQ_CST);
        wakes++;
        uint64_t from = hv_clock_read();
        if (from - next > latest_ns) {
            latest_ns = from - next;
        }
        uint64_t until = from + (uint64_t)work_us * 1000u;
        uint64_t now;
        while ((now = hv_clock_read()) < until && now < end) {
        }
        worked_ns += now - from;
        while (next + period <= now) {
            next += period; /* periods missed while it worked or waited */
        }
    }
    hv_printf("waker: %lu wakes, %lu us of work, the latest %lu us late\n",
              (unsigned long)wakes, (unsigned long)(worked_ns / 1000u),
              (unsigned long)(latest_ns / 1000u));
    hv_puts("hvtest: role.waker: SUCCESS\n");
    return HVTEST_SUCCESS;
}

/*
 * A hostile console writer: as many prefixes per byte as it can get, and
 * it retries at once when refused. Every newline the monitor took must
 * come out as a line "[name] ", and its neighbours must keep running.
 */
static int role_flood(const struct hv_start_info *si)
{
    static char newlines[HV_CONSOLE_WRITE_MAX];
    uint32_t end_ms = 300;
    uint32_t max_calls = 200;
    uint32_t taken = 0;
    uint32_t calls = 0;
    uint32_t short_counts = 0;
    uint32_t refused = 0;
    uint32_t off = 0;

    hv_cmdline_get_u32(si->cmdline, "end_ms", &end_ms);
    hv_cmdline_get_u32(si->cmdline, "calls", &max_calls);
    memset(newlines, '\n', sizeof(newlines));
    while (calls < max_calls && hv_clock_read() < (uint64_t)end_ms * 1000000u) {
        int32_t n = hv_console_write(newlines + off, sizeof(newlines) - off);
        calls++;
        if (n == -HV_EAGAIN) {
            refused++;
            continue;
        }
        if (n <= 0 || (uint32_t)n > sizeof(newlines) - off) {
            hv_printf("hvtest: FAIL console write returned %ld\n", (long)n);
            hv_puts("hvtest: role.flood: FAILURE\n");
            return HVTEST_FAILURE;
        }
        taken += (uint32_t)n;
        off += (uint32_t)n;
        if (off < sizeof(newlines)) {
            short_counts++;
        } else {
            off = 0;
        }
    }
    hv_printf("flood: %lu calls, %lu short, %lu refused\n",
              (unsigned long)calls, (unsigned long)short_counts,
              (unsigned long)refused);
    hv_printf("flood: %lu newlines taken\n", (unsigned long)taken);
    hv_puts("hvtest: role.flood: SUCCESS\n");
    return HVTEST_SUCCESS;
}

static uint64_t role_elapsed_ns(void (*body)(uint32_t), uint32_t n)
{
    uint64_t start = hv_clock_read();
    body(n);
    return hv_clock_read() - start;
}

static void bench_empty(uint32_t n)
{
    for (volatile uint32_t i = 0; i < n; i++) {
    }
}

static void bench_version(uint32_t n)
{
    for (volatile uint32_t i = 0; i < n; i++) {
        hv_version();
    }
}

static void bench_yield(uint32_t n)
{
    for (volatile uint32_t i = 0; i < n; i++) {
        hv_yield();
    }
}

/*
 * Loop overhead is measured with the same loop and subtracted. With a
 * second guest yielding, each hv_yield is two guest switches (there and
 * back); alone, it is a yield that resumes the caller.
 */
void mmu_bench_pin_l1(uint32_t n, uint64_t *full, uint64_t *empty,
                      uint64_t *cleared, uint32_t *entries);
uint64_t vmode_bench_syscall(uint32_t n);
uint64_t vmode_bench_syscall_in_place(uint32_t n);
uint64_t vmode_bench_event(uint32_t n, uint64_t *without_event);
uint64_t vmode_bench_tick(uint32_t turns, uint32_t period_ns,
                          uint64_t *without_ticks, uint32_t *ticks);
uint64_t mmu_bench_update(uint32_t n, uint32_t batch);
uint64_t mmu_bench_switch(uint32_t n);
int vmode_role_masked_spinner(void);
int evtchn_role_echo(void);
int vfp_role_holder(void);
int evtchn_role_storm(void);
int hcfuzz_role(const struct hv_start_info *si);
int grant_role_granter(void);
int conn_role_blkback(void);
int cons_role_front_evil(void);
int cons_role_back_evil(void);
int net_role_front_evil(void);
int net_role_back_evil(void);
uint64_t grant_bench(uint32_t peer, uint32_t n, uint64_t *copy_ns,
                     uint64_t *memcpy_ns);

static int bench_failed;

static void bench_report(const char *name, uint64_t ns, uint32_t per)
{
    if (ns == 0 || ns > (1ull << 62)) {
        hv_printf("hvtest: FAIL bench %s did not run as expected\n", name);
        bench_failed = 1;
        return;
    }
    hv_printf("bench: %s_ns %lu\n", name, (unsigned long)(ns / per));
}

static int role_bench(const struct hv_start_info *si)
{
    uint32_t n = 1000;
    hv_cmdline_get_u32(si->cmdline, "n", &n);

    uint64_t empty = role_elapsed_ns(bench_empty, n);
    uint64_t version = role_elapsed_ns(bench_version, n);
    uint64_t yield = role_elapsed_ns(bench_yield, n);
    hv_printf("bench: iterations %lu\n", (unsigned long)n);
    bench_report("null_hypercall", version - empty, n);
    bench_report("guest_switch", yield - empty, 2 * n);
    bench_report("pte_update_single", mmu_bench_update(n, 1) - empty, n);
    bench_report("pte_update_batch64_per_entry", mmu_bench_update(n / 16, 64),
                 (n / 16) * 64);
    bench_report("address_space_switch", mmu_bench_switch(n) - empty / 2, n);
    uint64_t pin_full;
    uint64_t pin_empty;
    uint64_t pin_cleared;
    uint32_t pin_entries;
    mmu_bench_pin_l1(n / 20, &pin_full, &pin_empty, &pin_cleared, &pin_entries);
    hv_printf("bench: l1_pin_unpin of %lu entries: %lu ns, %lu with none, "
              "%lu cleared by the pin\n",
              (unsigned long)pin_entries, (unsigned long)pin_full,
              (unsigned long)pin_empty, (unsigned long)pin_cleared);
    bench_report("l1_pin_unpin_cleared", pin_cleared, 1);
    bench_report("l1_pin_unpin_per_entry",
                 pin_entries != 0 && pin_full > pin_empty
                     ? (pin_full - pin_empty) / pin_entries
                     : 0,
                 1);
    bench_report("syscall_bounce", vmode_bench_syscall(n), n);
    bench_report("syscall_bounce_in_place", vmode_bench_syscall_in_place(n), n);
    uint64_t base = 0;
    uint64_t with = vmode_bench_event(n, &base);
    bench_report("event_delivery", with ? with - base : 0, n);
    /* 2.5 million turns of a 2-instruction user loop (5 ms), a tick
     * every 25 us: about 200 ticks. */
    uint32_t ticks = 0;
    with = vmode_bench_tick(2500000u, 25000u, &base, &ticks);
    hv_printf("bench: timer_ticks %lu in %lu ns (%lu without)\n",
              (unsigned long)ticks, (unsigned long)with, (unsigned long)base);
    bench_report("timer_tick", with > base ? with - base : 0,
                 ticks ? ticks : 1);
    uint32_t granter = 0;
    if (hv_cmdline_get_u32(si->cmdline, "granter", &granter)) {
        uint64_t copy = 0;
        uint64_t copy_self = 0;
        uint64_t map = grant_bench(granter, n, &copy, &copy_self);
        bench_report("grant_map_unmap_4k", map, n);
        bench_report("grant_copy_4k", copy, n);
        bench_report("guest_memcpy_4k", copy_self, n);
    }
    if (bench_failed) {
        hv_puts("hvtest: role.bench: FAILURE\n");
        return HVTEST_FAILURE;
    }
    hv_puts("hvtest: role.bench: SUCCESS\n");
    return HVTEST_SUCCESS;
}

extern char __guest_end[];

/* In .data: a restart must load it from the image again, unchanged. */
static volatile uint32_t lives_data = 0x11fe5a5au;
#define LIVES_DATA_IMAGE 0x11fe5a5au
#define LIVES_WORDS 1024u

/*
 * One life of a guest the monitor restarts. Fresh means: the page above
 * the image and bss (which start.S does not clear) is all zero, and the
 * .data word holds the image's value, though the last life changed both.
 * A stale word is a FAIL line; the test forbids it.
 */
static int role_lives(const struct hv_start_info *si)
{
    char end[16] = "";
    uint32_t code = 0;
    hv_cmdline_get(si->cmdline, "end", end, sizeof(end));
    hv_cmdline_get_u32(si->cmdline, "code", &code);
    bool crash = strcmp(end, "crash") == 0;
    bool wait = strcmp(end, "wait") == 0;
    if (!crash && !wait && strcmp(end, "shutdown") != 0) {
        hv_printf("hvtest: error: role lives needs end=crash|shutdown|wait\n");
        return HVTEST_ERROR;
    }
    volatile uint32_t *marks =
        (volatile uint32_t *)(((uintptr_t)__guest_end + 0x1fffu) & ~0xfffu);
    uint32_t stale = 0;
    for (uint32_t i = 0; i < LIVES_WORDS; i++) {
        stale += marks[i] != 0;
    }
    hv_printf("life %lu: started at %lu ms, %s memory\n",
              (unsigned long)si->restarts + 1,
              (unsigned long)(hv_clock_read() / 1000000u),
              stale == 0 && lives_data == LIVES_DATA_IMAGE ? "fresh" : "STALE");
    if (stale != 0 || lives_data != LIVES_DATA_IMAGE) {
        hv_printf("hvtest: FAIL %lu words left by a previous life, data "
                  "0x%08lx\n",
                  (unsigned long)stale, (unsigned long)lives_data);
    }
    for (uint32_t i = 0; i < LIVES_WORDS; i++) {
        marks[i] = 0xdead0000u | i;
    }
    lives_data = 0xdeadbeefu;
    while (wait) {
        /* Until another guest kills it; spinning, not yielding, so that
         * QEMU is not slowed by a switch per yield. */
        role_busy(100000);
    }
    if (!crash) {
        return (int)code;
    }
    /* Nothing is mapped at 0 and no upcall is registered: a crash. */
    volatile uintptr_t nowhere = 4;
    return (int)*(volatile uint32_t *)nowhere;
}

/* Reports a VM_KILL status other than @want; true if it was @want. */
static bool killer_expect(const char *what, int32_t rc, int32_t want)
{
    if (rc == want) {
        return true;
    }
    hv_printf("hvtest: FAIL vm_kill %s returned %ld, expected %ld\n", what,
              (long)rc, (long)want);
    return false;
}

/*
 * A supervisor of another guest (issue 11's driver-domain restarts):
 * kills it as a crash, so that its on-crash policy restarts it.
 */
static int role_killer(const struct hv_start_info *si)
{
    uint32_t target = 0;
    uint32_t kills = 1;
    uint32_t gap_ms = 200;
    uint32_t sleep = 0;
    uint32_t confirm = 1;
    uint32_t start_ms = 0;
    char expect[8] = "ok";
    hv_cmdline_get_u32(si->cmdline, "target", &target);
    hv_cmdline_get_u32(si->cmdline, "kills", &kills);
    hv_cmdline_get_u32(si->cmdline, "gap_ms", &gap_ms);
    hv_cmdline_get_u32(si->cmdline, "sleep", &sleep);
    hv_cmdline_get_u32(si->cmdline, "confirm", &confirm);
    hv_cmdline_get_u32(si->cmdline, "start_ms", &start_ms);
    hv_cmdline_get(si->cmdline, "expect", expect, sizeof(expect));
    bool ok = true;

    if (strcmp(expect, "eperm") == 0) {
        ok &=
            killer_expect("without may-kill", hv_vm_kill(target, 0), -HV_EPERM);
        ok &= killer_expect("without may-kill (shutdown)",
                            hv_vm_kill(target, HV_VM_KILL_SHUTDOWN), -HV_EPERM);
        if (ok) {
            hv_printf("killer: may not kill guest %lu (EPERM)\n",
                      (unsigned long)target);
        }
    } else {
        ok &= killer_expect("bad how", hv_vm_kill(target, 2), -HV_EINVAL);
        ok &= killer_expect("itself", hv_vm_kill(si->vm_id, HV_VM_KILL_CRASH),
                            -HV_EINVAL);
        ok &= killer_expect("id 0", hv_vm_kill(0, HV_VM_KILL_CRASH), -HV_EPERM);
        uint64_t start = hv_clock_read() + (uint64_t)start_ms * 1000000u;
        for (uint32_t k = 1; ok && k <= kills; k++) {
            uint64_t due = start + (uint64_t)k * gap_ms * 1000000u;
            if (sleep) {
                /* Blocked until due: the CPU stays with the others. */
                hv_timer_set(due);
                while (hv_clock_read() < due) {
                    hv_block();
                }
            }
            while (hv_clock_read() < due) {
                role_busy(1000); /* preempted, not yielding: few switches */
            }
            ok &= killer_expect("of a running target",
                                hv_vm_kill(target, HV_VM_KILL_CRASH), HV_OK);
            if (!confirm) {
                if (ok) {
                    hv_printf("killer: killed guest %lu (kill %lu)\n",
                              (unsigned long)target, (unsigned long)k);
                }
                continue;
            }
            /* Stopped now, waiting for its restart. */
            ok &=
                killer_expect("of a stopped target",
                              hv_vm_kill(target, HV_VM_KILL_CRASH), -HV_ENOENT);
            if (ok) {
                hv_printf("killer: killed guest %lu (kill %lu), then ENOENT\n",
                          (unsigned long)target, (unsigned long)k);
            }
        }
    }
    hv_puts(ok ? "hvtest: role.killer: SUCCESS\n"
               : "hvtest: role.killer: FAILURE\n");
    return ok ? HVTEST_SUCCESS : HVTEST_FAILURE;
}

int hvtest_role(const struct hv_start_info *si, const char *role)
{
    if (strcmp(role, "killer") == 0) {
        return role_killer(si);
    }
    if (strcmp(role, "lives") == 0) {
        return role_lives(si);
    }
    if (strcmp(role, "witness") == 0) {
        return role_witness(si);
    }
    if (strcmp(role, "chatter") == 0) {
        return role_chatter(si);
    }
    if (strcmp(role, "heartbeat") == 0) {
        return role_heartbeat(si);
    }
    if (strcmp(role, "bench") == 0) {
        return role_bench(si);
    }
    if (strcmp(role, "flood") == 0) {
        return role_flood(si);
    }
    if (strcmp(role, "share") == 0) {
        return role_share(si);
    }
    if (strcmp(role, "waker") == 0) {
        return role_waker(si);
    }
    if (strcmp(role, "vfp_holder") == 0) {
        return vfp_role_holder();
    }
    if (strcmp(role, "granter") == 0) {
        return grant_role_granter();
    }
    if (strcmp(role, "blkback") == 0) {
        return conn_role_blkback();
    }
    if (strcmp(role, "consfront_evil") == 0) {
        return cons_role_front_evil();
    }
    if (strcmp(role, "consback_evil") == 0) {
        return cons_role_back_evil();
    }
    if (strcmp(role, "netfront_evil") == 0) {
        return net_role_front_evil();
    }
    if (strcmp(role, "netback_evil") == 0) {
        return net_role_back_evil();
    }
    if (strcmp(role, "echo") == 0) {
        return evtchn_role_echo();
    }
    if (strcmp(role, "storm") == 0) {
        return evtchn_role_storm();
    }
    if (strcmp(role, "hcfuzz") == 0) {
        return hcfuzz_role(si);
    }
    if (strcmp(role, "masked_spinner") == 0) {
        return vmode_role_masked_spinner();
    }
    if (strcmp(role, "spinner") == 0) {
        hv_puts("spinning forever\n");
        for (;;) {
        }
    }
    if (strcmp(role, "wfi") == 0) {
        hv_puts("waiting for interrupts forever\n");
        for (;;) {
            __asm__ volatile("wfi");
        }
    }
    if (strcmp(role, "yielder") == 0) {
        for (;;) {
            hv_yield();
        }
    }
    hv_printf("hvtest: error: unknown role '%s'\n", role);
    return HVTEST_ERROR;
}
