/* SPDX-License-Identifier: MIT */
/*
 * Host stand-ins for the board drivers (hv/drivers), so that the core's
 * interrupt path (irq.c, and sched.c's idle loop through it) runs in unit
 * tests. They implement the same interfaces (irqchip.h, timer_dev.h,
 * uart.h) and register through the same registry (driver.h) for the same
 * compatibles, reg windows and properties as the real ones, so board.c
 * and assign.c see the same board in tests as in the monitor. Nothing
 * happens by itself: a test raises an interrupt, fires the timer or feeds
 * the UART through arch/fake.h, and the core finds it as it would find
 * the hardware's.
 */
#include <arch/fake.h>
#include <string.h>

#include "hv/board.h"
#include "hv/driver.h"
#include "hv/irqchip.h"
#include "hv/timer_dev.h"
#include "hv/uart.h"

#define FAKE_GIC_IRQS 1020u
#define FAKE_UART_RX 256u

static bool fake_gic_pending[FAKE_GIC_IRQS];
static bool fake_gic_on[FAKE_GIC_IRQS];
static unsigned int fake_gic_eois;
static uint32_t fake_gic_last_eoi;

static bool fake_timer_fired;
static uint64_t fake_timer_ns;
static unsigned int fake_timer_programs;
static uint64_t fake_ticks;

static char fake_uart_rx_buf[FAKE_UART_RX];
static size_t fake_uart_rx_head;
static size_t fake_uart_rx_len;
static bool fake_uart_rx_irq;

static void (*fake_wfi_hook)(void);
static unsigned int fake_wfis;

void fake_drivers_reset(void)
{
    memset(fake_gic_pending, 0, sizeof(fake_gic_pending));
    memset(fake_gic_on, 0, sizeof(fake_gic_on));
    fake_gic_eois = 0;
    fake_gic_last_eoi = IRQCHIP_SPURIOUS;
    fake_timer_fired = false;
    fake_timer_ns = 0;
    fake_timer_programs = 0;
    fake_ticks = 0;
    fake_uart_rx_head = 0;
    fake_uart_rx_len = 0;
    fake_uart_rx_irq = false;
    fake_wfi_hook = NULL;
    fake_wfis = 0;
    irqchip = &fake_gic;
    tick_timer = NULL;
}

/* --- GIC ----------------------------------------------------------------- */

static void fake_gic_enable(uint32_t irq)
{
    if (irq < FAKE_GIC_IRQS) {
        fake_gic_on[irq] = true;
    }
}

static void fake_gic_disable(uint32_t irq)
{
    if (irq < FAKE_GIC_IRQS) {
        fake_gic_on[irq] = false;
    }
}

static uint32_t fake_gic_ack(void)
{
    /* Equal priorities: the lowest ID wins, as on the GIC. */
    for (uint32_t irq = 0; irq < FAKE_GIC_IRQS; irq++) {
        if (fake_gic_pending[irq] && fake_gic_on[irq]) {
            fake_gic_pending[irq] = false;
            return irq;
        }
    }
    return IRQCHIP_SPURIOUS;
}

static void fake_gic_end(uint32_t irq)
{
    fake_gic_eois++;
    fake_gic_last_eoi = irq;
}

const struct irqchip_ops fake_gic = {fake_gic_ack, fake_gic_end,
                                     fake_gic_enable, fake_gic_disable};

static const struct irqchip_ops *fake_gic_probe(const struct board_device *dev,
                                                void *const *regs)
{
    (void)dev;
    (void)regs;
    return &fake_gic;
}

HV_DRIVER(fake_gic, irqchip, fake_gic_probe,
          ("GIC distributor", "GIC CPU interface"), 0, "arm,cortex-a9-gic",
          "arm,pl390");

void fake_gic_raise(uint32_t irq)
{
    if (irq < FAKE_GIC_IRQS) {
        fake_gic_pending[irq] = true;
    }
}

bool fake_gic_is_pending(uint32_t irq)
{
    return irq < FAKE_GIC_IRQS && fake_gic_pending[irq];
}

bool fake_gic_is_enabled(uint32_t irq)
{
    return irq < FAKE_GIC_IRQS && fake_gic_on[irq];
}

unsigned int fake_gic_eoi_count(void)
{
    return fake_gic_eois;
}

uint32_t fake_gic_eoi_last(void)
{
    return fake_gic_last_eoi;
}

/* --- SP804 and the global timer ---------------------------------------- */

static void fake_timer_program_ns(uint64_t ns)
{
    fake_timer_ns = ns;
    fake_timer_programs++;
}

static void fake_timer_ack(void)
{
    fake_timer_fired = false;
}

static uint64_t fake_counter(void)
{
    return fake_ticks;
}

/* No guest-readable register: tests that want one give their own. */
const struct timer_dev fake_timer = {.program_ns = fake_timer_program_ns,
                                     .ack = fake_timer_ack,
                                     .counter = fake_counter,
                                     .hz = 1000000u};
const struct timer_dev fake_clock = {.counter = fake_counter, .hz = 100000000u};

static const struct timer_dev *fake_timer_probe(const struct board_device *dev,
                                                void *const *regs)
{
    (void)dev;
    (void)regs;
    return &fake_timer;
}

static const struct timer_dev *fake_clock_probe(const struct board_device *dev,
                                                void *const *regs)
{
    (void)dev;
    (void)regs;
    return &fake_clock;
}

HV_DRIVER(fake_sp804, timer, fake_timer_probe, ("SP804 timer"),
          DRIVER_IRQ | DRIVER_HZ, "arm,sp804");
HV_DRIVER(fake_a9gt, clock, fake_clock_probe, ("global timer"), DRIVER_HZ,
          "arm,cortex-a9-global-timer");

void fake_timer_fire(void)
{
    fake_timer_fired = true;
}

uint64_t fake_timer_programmed_ns(void)
{
    return fake_timer_ns;
}

unsigned int fake_timer_program_count(void)
{
    return fake_timer_programs;
}

void fake_counter_set(uint64_t ticks)
{
    fake_ticks = ticks;
}

/* --- PL011 --------------------------------------------------------------- */

void fake_uart_rx_ack(void)
{
    /* The fake UART's interrupt is level: it follows the buffer. */
}

int fake_uart_getc(void)
{
    if (fake_uart_rx_len == 0) {
        return -1;
    }
    char c = fake_uart_rx_buf[fake_uart_rx_head];
    fake_uart_rx_head = (fake_uart_rx_head + 1) % FAKE_UART_RX;
    fake_uart_rx_len--;
    return (unsigned char)c;
}

size_t fake_uart_rx(const char *s, size_t len)
{
    size_t n = 0;
    for (; n < len && fake_uart_rx_len < FAKE_UART_RX; n++) {
        fake_uart_rx_buf[(fake_uart_rx_head + fake_uart_rx_len) %
                         FAKE_UART_RX] = s[n];
        fake_uart_rx_len++;
    }
    return n;
}

bool fake_uart_rx_irq_enabled(void)
{
    return fake_uart_rx_irq;
}

/* Output goes to what fake_console_capture installs, which takes its
 * input from here: probing only turns the receive interrupt on. */
static const struct uart_ops *fake_pl011_probe(const struct board_device *dev,
                                               void *const *regs)
{
    (void)dev;
    (void)regs;
    fake_uart_rx_irq = true;
    return console_uart;
}

HV_DRIVER(fake_pl011, uart, fake_pl011_probe, ("console UART"), DRIVER_IRQ,
          "arm,pl011");

/* --- Waiting ------------------------------------------------------------- */

void fake_set_wfi_hook(void (*hook)(void))
{
    fake_wfi_hook = hook;
}

unsigned int fake_wfi_count(void)
{
    return fake_wfis;
}

void arch_wait_for_interrupt(void)
{
    fake_wfis++;
    if (fake_wfi_hook) {
        fake_wfi_hook();
        return;
    }
    /* Nothing would ever wake the machine: say so rather than spin. */
    for (uint32_t irq = 0; irq < FAKE_GIC_IRQS; irq++) {
        if (fake_gic_pending[irq] && fake_gic_on[irq]) {
            return;
        }
    }
    fake_die("arch_wait_for_interrupt with no interrupt pending and no "
             "fake_set_wfi_hook to raise one");
}
