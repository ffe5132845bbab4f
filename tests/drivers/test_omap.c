/* SPDX-License-Identifier: MIT */
/*
 * The TI OMAP drivers (hv/drivers/ti) against register models: the
 * interrupt controller (INTCPS), the general-purpose timer as the
 * one-shot event timer, the 32 kHz sync counter as the clock, and the
 * UART. Each is probed through the registry by its compatible, with an
 * array for its register window; the test plays the hardware: it sets
 * what a register read returns and applies what a write did (the
 * controller's write-1 mask registers) between the driver's calls.
 */
#include <stdio.h>
#include <string.h>

#include "hv/board.h"
#include "hv/driver.h"
#include "hv/irqchip.h"
#include "hv/timer_dev.h"
#include "hv/uart.h"

#include "unit.h"

#define WINDOW_WORDS 1024u /* 4 KiB, each device's window */

static uint32_t regs[WINDOW_WORDS];

static uint32_t *reg(uint32_t offset)
{
    return &regs[offset / 4];
}

static const struct driver *probe_find(uint32_t kind, const char *compatible)
{
    const struct driver *d = driver_find(kind, compatible);
    if (!d) {
        fprintf(stderr, "no driver of kind %u for %s\n", kind, compatible);
    }
    return d;
}

/* --- INTCPS ---------------------------------------------------------- */

#define SYSCONFIG 0x10
#define SYSSTATUS 0x14
#define SIR_IRQ 0x40
#define CONTROL 0x48
#define THRESHOLD 0x68
#define MIR_CLEAR(bank) (0x88 + 0x20 * (bank))
#define MIR_SET(bank) (0x8c + 0x20 * (bank))
#define ILR(line) (0x100 + 4 * (line))

/* The controller's mask, by bank, as the writes to MIR_CLEAR and MIR_SET
 * leave it (write 1 to clear or set a bit; the registers read 0). */
static uint32_t intc_mask[4];

static void intc_apply_writes(uint32_t banks)
{
    for (uint32_t b = 0; b < banks; b++) {
        intc_mask[b] &= ~*reg(MIR_CLEAR(b));
        intc_mask[b] |= *reg(MIR_SET(b));
        *reg(MIR_CLEAR(b)) = 0;
        *reg(MIR_SET(b)) = 0;
    }
}

/* The hardware's choice for SIR_IRQ: the lowest unmasked pending line, or
 * the spurious flag (bits 31:7 set). */
static void intc_raise(const uint32_t *pending, uint32_t banks)
{
    for (uint32_t line = 0; line < banks * 32; line++) {
        if ((pending[line / 32] >> (line % 32)) & 1u &&
            !((intc_mask[line / 32] >> (line % 32)) & 1u)) {
            *reg(SIR_IRQ) = line;
            return;
        }
    }
    *reg(SIR_IRQ) = 0xffffff80u | 0x5u; /* spurious; a stale line number */
}

static const struct irqchip_ops *intc_setup(const char *compatible,
                                            uint32_t banks)
{
    const struct driver *d = probe_find(DRIVER_IRQCHIP, compatible);
    struct board_device dev = {.driver = d};
    void *windows[BOARD_DEVICE_REGS] = {regs};

    memset(regs, 0xa5, sizeof(regs)); /* the boot loader's leftovers */
    *reg(SYSSTATUS) = 1;              /* reset done */
    memset(intc_mask, 0, sizeof(intc_mask));
    if (!d) {
        return NULL;
    }
    const struct irqchip_ops *ops = d->probe.irqchip(&dev, windows);
    intc_apply_writes(banks);
    return ops;
}

TEST(omap_intc, init_masks_every_line_and_routes_all_to_irq)
{
    const struct irqchip_ops *ops = intc_setup("ti,omap3-intc", 3);
    ASSERT_TRUE(ops != NULL);
    EXPECT_EQ(*reg(SYSCONFIG), 2u); /* soft reset asked */
    for (uint32_t b = 0; b < 3; b++) {
        EXPECT_EQ(intc_mask[b], 0xffffffffu);
    }
    /* Bank 3 (lines 96-127) is not OMAP3's: untouched. */
    EXPECT_EQ(*reg(MIR_SET(3)), 0xa5a5a5a5u);
    for (uint32_t line = 0; line < 96; line++) {
        EXPECT_EQ(*reg(ILR(line)), 0u); /* IRQ, not FIQ; priority 0 */
    }
    EXPECT_EQ(*reg(ILR(96)), 0xa5a5a5a5u);
    EXPECT_EQ(*reg(THRESHOLD), 0xffu);
    EXPECT_EQ(*reg(CONTROL), 1u); /* a new agreement: stale ones dropped */
}

TEST(omap_intc, enable_disable_ack_end)
{
    const struct irqchip_ops *ops = intc_setup("ti,omap3-intc", 3);
    uint32_t pending[3] = {0, 0, 0};
    ASSERT_TRUE(ops != NULL);

    /* Line 37 (GPTIMER1 on OMAP3) pending, masked: nothing to ack. */
    pending[1] = 1u << 5;
    intc_raise(pending, 3);
    EXPECT_EQ(ops->ack(), IRQCHIP_SPURIOUS);
    ops->enable(37);
    intc_apply_writes(3);
    EXPECT_EQ(intc_mask[1], ~(1u << 5));
    intc_raise(pending, 3);
    EXPECT_EQ(ops->ack(), 37u);
    *reg(CONTROL) = 0;
    ops->end(37);
    EXPECT_EQ(*reg(CONTROL), 1u); /* NEWIRQAGR */
    /* Two pending and enabled: the lower comes first. */
    ops->enable(74); /* UART3 */
    intc_apply_writes(3);
    ops->enable(95);
    intc_apply_writes(3);
    pending[2] = (1u << 10) | (1u << 31);
    pending[1] = 0;
    intc_raise(pending, 3);
    EXPECT_EQ(ops->ack(), 74u);
    ops->disable(74);
    intc_apply_writes(3);
    intc_raise(pending, 3);
    EXPECT_EQ(ops->ack(), 95u);
    EXPECT_EQ(intc_mask[2], 0xffffffffu & ~(1u << 31));
    /* Lines past the controller's are ignored, never a write out of the
     * banks it has. */
    ops->enable(96);
    ops->disable(200);
    EXPECT_EQ(*reg(MIR_CLEAR(3)), 0xa5a5a5a5u);
    EXPECT_EQ(*reg(MIR_SET(3)), 0xa5a5a5a5u);
    /* A line number past 95 in SIR_IRQ is not believed. */
    *reg(SIR_IRQ) = 100;
    EXPECT_EQ(ops->ack(), IRQCHIP_SPURIOUS);
}

TEST(omap_intc, am33xx_has_128_lines)
{
    const struct irqchip_ops *ops = intc_setup("ti,am33xx-intc", 4);
    ASSERT_TRUE(ops != NULL);
    EXPECT_EQ(intc_mask[3], 0xffffffffu);
    ops->enable(127);
    intc_apply_writes(4);
    EXPECT_EQ(intc_mask[3], 0x7fffffffu);
    *reg(SIR_IRQ) = 127;
    EXPECT_EQ(ops->ack(), 127u);
    *reg(SIR_IRQ) = 0xffffff80u | 127u;
    EXPECT_EQ(ops->ack(), IRQCHIP_SPURIOUS);
}

/* --- GPTIMER and the 32k counter ---------------------------------------- */

#define TIOCP_CFG 0x10
#define TISTAT 0x14
#define TISR 0x18
#define TIER 0x1c
#define TCLR 0x24
#define TCRR 0x28
#define TSICR 0x40
#define OVF 2u

static const struct timer_dev *gpt_setup(uint32_t hz)
{
    const struct driver *d = probe_find(DRIVER_TIMER, "ti,omap3430-timer");
    struct board_device dev = {.driver = d, .hz = hz};
    void *windows[BOARD_DEVICE_REGS] = {regs};

    memset(regs, 0xa5, sizeof(regs));
    *reg(TISTAT) = 1;
    return d ? d->probe.timer(&dev, windows) : NULL;
}

/* The ticks the driver loaded: the counter overflows after them. */
static uint64_t gpt_loaded_ticks(void)
{
    return 0x100000000ull - *reg(TCRR);
}

TEST(omap_gptimer, init_stops_it_without_posted_writes)
{
    const struct timer_dev *t = gpt_setup(32768);
    ASSERT_TRUE(t != NULL);
    EXPECT_EQ(*reg(TIOCP_CFG), 2u); /* soft reset */
    EXPECT_EQ(*reg(TSICR), 0u);     /* posted mode off */
    EXPECT_EQ(*reg(TCLR), 0u);
    EXPECT_EQ(*reg(TIER), 0u);
    EXPECT_EQ(*reg(TISR), OVF); /* a stale overflow cleared */
    EXPECT_EQ(t->hz, 32768u);
    EXPECT_TRUE(t->counter == NULL); /* the sync counter is the clock */
    EXPECT_TRUE(t->program_ns != NULL && t->ack != NULL);
}

TEST(omap_gptimer, one_shot_never_early_and_hardly_late)
{
    static const uint32_t rates[] = {32768, 13000000, 26000000};
    static const uint64_t ns[] = {
        1,         30517,      30518,         1000000,       10000000,
        999999999, 1000000000, 4294967295ull, 4294967296ull, 100000000000ull};
    for (uint32_t r = 0; r < sizeof(rates) / sizeof(rates[0]); r++) {
        const struct timer_dev *t = gpt_setup(rates[r]);
        ASSERT_TRUE(t != NULL);
        for (uint32_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
            *reg(TCLR) = 0xdead;
            t->program_ns(ns[i]);
            uint64_t ticks = gpt_loaded_ticks();
            /* ticks / hz >= ns (unless capped at the counter's range);
             * late by at most two ticks (the rounded-up fraction), or
             * past 4.3 s two ticks and 1 us */
            unsigned __int128 at = (unsigned __int128)ticks * 1000000000u;
            unsigned __int128 want = (unsigned __int128)ns[i] * rates[r];
            EXPECT_TRUE(at >= want || ticks == 0xffffffffu);
            EXPECT_TRUE(ticks >= 1);
            EXPECT_TRUE((unsigned __int128)ticks * 1000000000u <
                        want + 2000000000u +
                            (ns[i] > 0xffffffffu ? rates[r] * 1000ull : 0));
            EXPECT_EQ(*reg(TCLR), 1u); /* started, one-shot */
            EXPECT_EQ(*reg(TIER), OVF);
        }
    }
    /* 30,517 ns is under one 32 kHz tick (30,517.6), 30,518 just over. */
    const struct timer_dev *t = gpt_setup(32768);
    t->program_ns(30517);
    EXPECT_EQ(gpt_loaded_ticks(), 1u);
    t->program_ns(30518);
    EXPECT_EQ(gpt_loaded_ticks(), 2u);
    t->program_ns(1000000000); /* the quotient, or one more */
    EXPECT_TRUE(gpt_loaded_ticks() == 32768u || gpt_loaded_ticks() == 32769u);
    /* 200,000 s is past the counter's 36 hours: capped. */
    t->program_ns(200000ull * 1000000000u);
    EXPECT_EQ(gpt_loaded_ticks(), 0xffffffffu);
}

TEST(omap_gptimer, ack_clears_only_its_overflow)
{
    const struct timer_dev *t = gpt_setup(32768);
    ASSERT_TRUE(t != NULL);
    *reg(TISR) = 0; /* not ours: no write */
    t->ack();
    EXPECT_EQ(*reg(TISR), 0u);
    *reg(TISR) = OVF | 1u; /* ours: write 1 to its bit alone */
    t->ack();
    EXPECT_EQ(*reg(TISR), OVF);
}

TEST(omap_counter32k, counts_from_the_probe_across_the_wrap)
{
    const struct driver *d = probe_find(DRIVER_CLOCK, "ti,omap-counter32k");
    ASSERT_TRUE(d != NULL);
    struct board_device dev = {.driver = d};
    void *windows[BOARD_DEVICE_REGS] = {regs};
    memset(regs, 0, sizeof(regs));
    *reg(0x10) = 1000; /* running since power-on */
    const struct timer_dev *c = d->probe.clock(&dev, windows);
    ASSERT_TRUE(c != NULL);
    EXPECT_EQ(c->hz, 32768u);
    EXPECT_TRUE(c->program_ns == NULL);
    EXPECT_EQ(c->counter(), 0u);
    *reg(0x10) = 1000 + 32768;
    EXPECT_EQ(c->counter(), 32768u);
    *reg(0x10) = 0xfffffff0u;
    EXPECT_EQ(c->counter(), 0xfffffff0u - 1000u);
    *reg(0x10) = 0x10u; /* wrapped */
    EXPECT_EQ(c->counter(), 0x100000010ull - 1000u);
    *reg(0x10) = 0x20u;
    EXPECT_EQ(c->counter(), 0x100000020ull - 1000u);
    /* Guests get no page from it: it counts up. */
    EXPECT_EQ(pa_addr(c->guest_page), 0u);
}

/* --- UART ---------------------------------------------------------------- */

#define UART_THR 0x00
#define UART_IER 0x04
#define UART_FCR 0x08
#define UART_LSR 0x14
#define UART_SSR 0x44

static const struct uart_ops *uart_setup(const char *compatible)
{
    const struct driver *d = probe_find(DRIVER_UART, compatible);
    struct board_device dev = {.driver = d};
    void *windows[BOARD_DEVICE_REGS] = {regs};
    memset(regs, 0, sizeof(regs));
    return d ? d->probe.uart(&dev, windows) : NULL;
}

TEST(omap_uart, transmit_receive_and_interrupts)
{
    const struct uart_ops *u = uart_setup("ti,omap3-uart");
    ASSERT_TRUE(u != NULL);
    EXPECT_EQ(*reg(UART_FCR), 3u); /* FIFOs on, receive FIFO emptied */
    EXPECT_EQ(*reg(UART_IER), 1u); /* receive interrupt */
    EXPECT_EQ(u->burst, 64u);
    /* A full transmit FIFO (SSR bit 0) takes nothing. */
    *reg(UART_SSR) = 1;
    *reg(UART_THR) = 0;
    EXPECT_FALSE(u->try_putc('a'));
    EXPECT_EQ(*reg(UART_THR), 0u);
    *reg(UART_SSR) = 0;
    EXPECT_TRUE(u->try_putc('a'));
    EXPECT_EQ(*reg(UART_THR), (uint32_t)'a');
    u->putc_wait('b');
    EXPECT_EQ(*reg(UART_THR), (uint32_t)'b');
    /* Receive: LSR bit 0 says a byte waits in RHR (THR's address). */
    *reg(UART_LSR) = 0x60;
    EXPECT_EQ(u->getc(), -1);
    *reg(UART_LSR) = 0x61;
    *reg(UART_THR) = 0x178; /* RHR: only the low 8 bits are data */
    EXPECT_EQ(u->getc(), 0x78);
    u->tx_irq(true);
    EXPECT_EQ(*reg(UART_IER), 3u);
    u->tx_irq(false);
    EXPECT_EQ(*reg(UART_IER), 1u);
    u->ack(); /* reads IIR: nothing to check but that it returns */
    EXPECT_TRUE(uart_setup("ti,omap4-uart") != NULL);
}

/* --- Watchdog (WDT2) ---------------------------------------------------- */

#define WDT_WWPS 0x34
#define WDT_WSPR 0x48

static const char *wdt_stop(uint32_t wwps)
{
    const struct driver *d = probe_find(DRIVER_WATCHDOG, "ti,omap3-wdt");
    if (!d) {
        return "no driver";
    }
    memset(regs, 0, sizeof(regs));
    *reg(WDT_WWPS) = wwps;
    struct board_device dev = {.driver = d};
    void *windows[BOARD_DEVICE_REGS] = {regs};
    return d->probe.watchdog(&dev, windows);
}

TEST(omap_wdt, stop_sequence)
{
    EXPECT_TRUE(wdt_stop(0) == NULL);
    EXPECT_EQ(*reg(WDT_WSPR), 0x5555u); /* the second word, last */
}

/* A posted write never taken: an error, not a hang, and the sequence
 * stops at its first word. */
TEST(omap_wdt, stuck_posted_write_reported)
{
    const char *problem = wdt_stop(1u << 4);
    ASSERT_TRUE(problem != NULL);
    EXPECT_CONTAINS(problem, "W_PEND_WSPR");
    EXPECT_EQ(*reg(WDT_WSPR), 0xaaaau);
}
