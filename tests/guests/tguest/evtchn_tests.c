/* SPDX-License-Identifier: MIT */
/*
 * Event channels between guests, console input, and a physical device
 * (the board's second SP804) given to a guest by its manifest.
 */
#include <hvabi/mmu.h>
#include <string.h>

#include "hvtest.h"

static uint8_t ev_shared_page[4096] __attribute__((aligned(4096)));

static struct hv_vcpu_shared *ev_shared(void)
{
    return (struct hv_vcpu_shared *)ev_shared_page;
}

static uint32_t ev_pa(const void *p)
{
    const struct hv_start_info *si = hvtest_start_info();
    return (uint32_t)(uintptr_t)p - si->mem_base + si->mem_phys;
}

/* Events masked: this guest polls with hv_block, it takes no upcalls. */
static void ev_setup(void)
{
    static int done;
    if (!done) {
        done = 1;
        if (hv_vcpu_register(ev_pa(ev_shared_page)) != 0) {
            hvtest_error("cannot register the shared vCPU page");
        }
        ev_shared()->events_masked = 1;
    }
}

/* Blocks until @port is pending, then clears it. */
static void ev_wait(uint32_t port)
{
    while (!(ev_shared()->events_pending & (1u << port))) {
        hv_block();
    }
    __atomic_fetch_and(&ev_shared()->events_pending, ~(1u << port),
                       __ATOMIC_SEQ_CST);
}

static uint32_t ev_arg(const char *key)
{
    uint32_t v;
    if (!hv_cmdline_get_u32(hvtest_start_info()->cmdline, key, &v)) {
        hvtest_error("missing a numeric command-line argument");
    }
    return v;
}

/* For roles: set up, then open a port for the guest "peer=ID" names. */
static int32_t ev_open_for_peer(void)
{
    uint32_t peer;
    if (!hv_cmdline_get_u32(hvtest_start_info()->cmdline, "peer", &peer)) {
        return -HV_EINVAL;
    }
    ev_setup();
    return hv_evtchn_alloc_unbound(peer);
}

/* Role of the other guest in evtchn.ping: open port 1 for the peer, echo
 * one event back, shut down. */
int evtchn_role_echo(void);
int evtchn_role_echo(void)
{
    int32_t port = ev_open_for_peer();
    if (port != 1) {
        hv_printf("echo: alloc_unbound gave %ld\n", (long)port);
        return HVTEST_ERROR;
    }
    ev_wait((uint32_t)port);
    hv_puts("echo: got the event, sending it back\n");
    hv_evtchn_send((uint32_t)port);
    return HVTEST_SUCCESS;
}

/* Role for the storm attack: send to the peer's port as fast as possible. */
int evtchn_role_storm(void);
int evtchn_role_storm(void)
{
    int32_t port = ev_open_for_peer();
    if (port < 0) {
        return HVTEST_ERROR;
    }
    hv_puts("storm: sending events forever\n");
    for (;;) {
        hv_evtchn_send((uint32_t)port);
    }
}

/* hvtest-system: own */
TEST(evtchn, ping)
{
    uint32_t peer = ev_arg("peer");
    int32_t port = -HV_EINVAL;
    ev_setup();
    /* The peer may not have opened its port yet. */
    for (int tries = 0; tries < 100 && port < 0; tries++) {
        port = hv_evtchn_bind_interdomain(peer, 1);
        if (port < 0) {
            EXPECT_EQ(port, -HV_EINVAL);
            hv_yield();
        }
    }
    ASSERT_TRUE(port > 0);
    EXPECT_EQ(hv_evtchn_send((uint32_t)port), 0);
    ev_wait((uint32_t)port);
    /* The peer shuts down after echoing: the channel goes dead. */
    for (int i = 0; i < 20; i++) {
        hv_yield();
    }
    EXPECT_EQ(hv_evtchn_send((uint32_t)port), -HV_EINVAL);
    EXPECT_EQ(hv_evtchn_close((uint32_t)port), 0);
    EXPECT_EQ(hv_evtchn_close((uint32_t)port), -HV_EINVAL);
}

TEST(evtchn, errors)
{
    uint32_t self = hvtest_start_info()->vm_id;
    ev_setup();
    EXPECT_EQ(hv_evtchn_alloc_unbound(self), -HV_EINVAL);
    EXPECT_EQ(hv_evtchn_alloc_unbound(7), -HV_ENOENT);
    EXPECT_EQ(hv_evtchn_alloc_unbound(0), -HV_ENOENT);
    EXPECT_EQ(hv_evtchn_alloc_unbound(0xffffffffu), -HV_ENOENT);
    EXPECT_EQ(hv_evtchn_bind_interdomain(7, 1), -HV_ENOENT);
    EXPECT_EQ(hv_evtchn_bind_interdomain(self, 1), -HV_EINVAL);
    EXPECT_EQ(hv_evtchn_send(0), -HV_EINVAL);
    EXPECT_EQ(hv_evtchn_send(5), -HV_EINVAL);
    EXPECT_EQ(hv_evtchn_send(HV_EVTCHN_PORTS), -HV_ERANGE);
    EXPECT_EQ(hv_evtchn_close(0), -HV_EINVAL);
    EXPECT_EQ(hv_evtchn_close(9), -HV_EINVAL);
    EXPECT_EQ(hv_evtchn_close(0xffffffffu), -HV_ERANGE);
    EXPECT_EQ(hv_evtchn_bind_virq(HV_VIRQ_CONSOLE), -HV_EPERM);
    EXPECT_EQ(hv_evtchn_bind_virq(5), -HV_EINVAL);
    EXPECT_EQ(hv_evtchn_bind_irq(35), -HV_EPERM);
    EXPECT_EQ(hv_evtchn_bind_irq(34), -HV_EPERM); /* the monitor's timer */
    EXPECT_EQ(hv_evtchn_unmask(3), -HV_EINVAL);
    char buf[8];
    EXPECT_EQ(hv_console_read(buf, sizeof(buf)), -HV_EPERM);
}

/* hvtest-system: own */
TEST(evtchn, console_input)
{
    static char line[64];
    uint32_t len = 0;
    ev_setup();
    int32_t port = hv_evtchn_bind_virq(HV_VIRQ_CONSOLE);
    ASSERT_TRUE(port > 0);
    EXPECT_EQ(hv_evtchn_bind_virq(HV_VIRQ_CONSOLE), -HV_EBUSY);
    EXPECT_EQ(hv_console_read((void *)0xfe010000u, 8), -HV_EFAULT);
    EXPECT_EQ(hv_console_read(line, HV_CONSOLE_WRITE_MAX + 1), -HV_E2BIG);
    hv_puts("ready for input\n");
    while (len == 0 || line[len - 1] != '\n') {
        ev_wait((uint32_t)port);
        int32_t n = hv_console_read(line + len, sizeof(line) - 1 - len);
        ASSERT_TRUE(n >= 0);
        len += (uint32_t)n;
        ASSERT_TRUE(len < sizeof(line) - 1);
    }
    line[len - 1] = '\0';
    hv_printf("read: '%s'\n", line);
    EXPECT_EQ(strcmp(line, "hello hv"), 0);
}

/* --- A device of our own: the second SP804 --------------------------- */

#define DEV_VA 0x90000000u
#define SP804_LOAD 0x00
#define SP804_CONTROL 0x08
#define SP804_INTCLR 0x0c
#define SP804_MIS 0x14

static uint8_t ev_l2[4096] __attribute__((aligned(4096)));

static int32_t ev_update(uint32_t ptr, uint32_t val)
{
    struct hv_mmu_update u = {ptr, val};
    uint32_t done;
    return hv_mmu_update(&u, 1, &done);
}

static uint32_t ev_pte_of(const void *va)
{
    const struct hv_start_info *si = hvtest_start_info();
    uint32_t index = ((uint32_t)(uintptr_t)va - si->mem_base) >> 12;
    return si->pt_l2_first + (index / 512) * 4096u + HV_MMU_L2_HW_OFFSET +
           (index % 512) * 4u;
}

/* Small page: shareable device (TEX 000, C 0, B 1), PL0 RW, XN. */
#define PTE_DEVICE(pa)                                                         \
    ((pa) | HV_L2_SMALL | HV_L2_XN | HV_L2_TEXCB(HV_TEXCB_DEVICE) |            \
     HV_L2_AP(HV_AP_RW))

/* Makes ev_l2 an empty pinned L2 frame (read-only to us first). */
static int32_t ev_pin_l2(void)
{
    uint32_t l2 = ev_pa(ev_l2);
    memset(ev_l2, 0, sizeof(ev_l2));
    int32_t rc = ev_update(ev_pte_of(ev_l2),
                           l2 | 0x2u | 0x4u | 0x8u | 0x40u | 0x800u | 0x20u);
    if (rc != HV_OK) {
        return rc;
    }
    hv_mmu_tlb(HV_TLB_FLUSH_ALL, 0);
    return hv_mmu_pin(l2, HV_MMU_L2);
}

/* hvtest-system: own */
TEST(device, assigned_timer_interrupt)
{
    uint32_t dev = ev_arg("dev");
    uint32_t irq = ev_arg("irq");
    const struct hv_start_info *si = hvtest_start_info();
    uint32_t l2 = ev_pa(ev_l2);

    ev_setup();
    ASSERT_EQ(ev_pin_l2(), 0);
    /* Refused: normal memory type, executable, another device. */
    EXPECT_EQ(ev_update(l2 + HV_MMU_L2_HW_OFFSET,
                        dev | 0x2u | 0x1u | 0x4u | 0x8u | 0x30u),
              -HV_EINVAL);
    EXPECT_EQ(ev_update(l2 + HV_MMU_L2_HW_OFFSET, dev | 0x2u | 0x4u | 0x30u),
              -HV_EINVAL);
    EXPECT_EQ(ev_update(l2 + HV_MMU_L2_HW_OFFSET, PTE_DEVICE(dev - 0x1000u)),
              -HV_EPERM);
    ASSERT_EQ(ev_update(l2 + HV_MMU_L2_HW_OFFSET, PTE_DEVICE(dev)), 0);
    ASSERT_EQ(ev_update(si->pt_l1 + (DEV_VA >> 20) * 4,
                        (l2 + HV_MMU_L2_HW_OFFSET) | HV_L1_TYPE_TABLE |
                            HV_L1_DOMAIN(HV_MMU_DOMAIN_KERNEL)),
              0);
    hv_mmu_tlb(HV_TLB_FLUSH_ALL, 0);
    /* Hypercall buffers never come from device memory. */
    EXPECT_EQ(hv_console_write((const void *)DEV_VA, 4), -HV_EFAULT);

    volatile uint32_t *timer = (volatile uint32_t *)DEV_VA;
    int32_t port = hv_evtchn_bind_irq(irq);
    ASSERT_TRUE(port > 0);
    EXPECT_EQ(hv_evtchn_bind_irq(irq), -HV_EBUSY);
    timer[SP804_CONTROL / 4] = 0;
    timer[SP804_INTCLR / 4] = 1;
    timer[SP804_LOAD / 4] = 2000;                         /* 2 ms at 1 MHz */
    timer[SP804_CONTROL / 4] = 0x80 | 0x20 | 0x02 | 0x01; /* one-shot */
    ev_wait((uint32_t)port);
    EXPECT_EQ(timer[SP804_MIS / 4] & 1u, 1u);
    timer[SP804_INTCLR / 4] = 1;
    EXPECT_EQ(hv_evtchn_unmask((uint32_t)port), 0);
    /* Once more, to see the unmask worked. */
    timer[SP804_LOAD / 4] = 1000;
    timer[SP804_CONTROL / 4] = 0x80 | 0x20 | 0x02 | 0x01;
    ev_wait((uint32_t)port);
    timer[SP804_INTCLR / 4] = 1;
    /* Without a trap: the bit in unmask_ports, done by HV_OP_BLOCK (the
     * interrupt stays off, and ev_wait waits forever, if it is not). */
    uint32_t features = 0;
    EXPECT_EQ(hv_features(0, &features), 0);
    EXPECT_TRUE((features >> HV_FEAT_UNMASK_PORTS) & 1u);
    ev_shared()->unmask_ports = (1u << port) | 1u; /* the timer: ignored */
    timer[SP804_LOAD / 4] = 1000;
    timer[SP804_CONTROL / 4] = 0x80 | 0x20 | 0x02 | 0x01;
    ev_wait((uint32_t)port);
    EXPECT_EQ(ev_shared()->unmask_ports, 0u);
    timer[SP804_INTCLR / 4] = 1;
    EXPECT_EQ(hv_evtchn_close((uint32_t)port), 0);
    EXPECT_EQ(hv_evtchn_unmask((uint32_t)port), -HV_EINVAL);
}

/* --- The guest clock: a counter read without a trap ----------------------- */

#define CLOCK_VA 0x90100000u

TEST(time, guest_clock_without_trap)
{
    const struct hv_start_info *si = hvtest_start_info();
    uint32_t l2 = ev_pa(ev_l2);
    uint32_t page = si->clock_page;

    ASSERT_TRUE(page != 0 && si->clock_hz != 0);
    ev_setup();
    ASSERT_EQ(ev_pin_l2(), 0);
    /* Writable, normal memory, executable: all refused. */
    EXPECT_EQ(ev_update(l2 + HV_MMU_L2_HW_OFFSET, PTE_DEVICE(page)), -HV_EPERM);
    EXPECT_EQ(ev_update(l2 + HV_MMU_L2_HW_OFFSET,
                        page | 0x2u | 0x1u | 0x4u | 0x8u | 0x20u),
              -HV_EINVAL);
    EXPECT_EQ(ev_update(l2 + HV_MMU_L2_HW_OFFSET, page | 0x2u | 0x4u | 0x20u),
              -HV_EINVAL);
    /* Read-only shareable device memory, never executable. */
    ASSERT_EQ(
        ev_update(l2 + HV_MMU_L2_HW_OFFSET, page | 0x2u | 0x1u | 0x4u | 0x20u),
        0);
    ASSERT_EQ(ev_update(si->pt_l1 + (CLOCK_VA >> 20) * 4,
                        (l2 + HV_MMU_L2_HW_OFFSET) | HV_L1_TYPE_TABLE |
                            HV_L1_DOMAIN(HV_MMU_DOMAIN_KERNEL)),
              0);
    hv_mmu_tlb(HV_TLB_FLUSH_ALL, 0);

    const volatile uint32_t *counter =
        (const volatile uint32_t *)(CLOCK_VA + si->clock_offset);
    uint64_t last = 0;
    for (int i = 0; i < 2000; i++) {
        uint64_t t = hv_time_ns(ev_shared(), counter, si->clock_hz);
        ASSERT_TRUE(t >= last); /* monotonic, across switches too */
        last = t;
        if (i % 100 == 0) {
            hv_yield();
        }
    }
    uint64_t before = hv_clock_read();
    uint64_t t = hv_time_ns(ev_shared(), counter, si->clock_hz);
    uint64_t after = hv_clock_read();
    /* Same timeline as HV_OP_CLOCK_READ, within a few microseconds. */
    EXPECT_TRUE(t + 50000u >= before);
    EXPECT_TRUE(t <= after + 50000u);
}
