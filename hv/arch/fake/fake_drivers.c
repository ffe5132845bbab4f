/* SPDX-License-Identifier: MIT */
/*
 * Host stand-ins for the board drivers of hv/inc/hv/drivers.h, so that
 * the core's interrupt path (irq.c, and sched.c's idle loop through it)
 * runs in unit tests. Nothing happens by itself: a test raises an
 * interrupt, fires the timer or feeds the UART through arch/fake.h, and
 * the core finds it as it would find the hardware's.
 */
#include <arch/fake.h>
#include <string.h>

#include "hv/drivers.h"

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
    fake_gic_last_eoi = GIC_SPURIOUS;
    fake_timer_fired = false;
    fake_timer_ns = 0;
    fake_timer_programs = 0;
    fake_ticks = 0;
    fake_uart_rx_head = 0;
    fake_uart_rx_len = 0;
    fake_uart_rx_irq = false;
    fake_wfi_hook = NULL;
    fake_wfis = 0;
}

/* --- GIC ----------------------------------------------------------------- */

void gic_init(void *dist, void *cpu)
{
    (void)dist;
    (void)cpu;
}

void gic_enable(uint32_t irq)
{
    if (irq < FAKE_GIC_IRQS) {
        fake_gic_on[irq] = true;
    }
}

void gic_disable(uint32_t irq)
{
    if (irq < FAKE_GIC_IRQS) {
        fake_gic_on[irq] = false;
    }
}

uint32_t gic_ack(void)
{
    /* Equal priorities: the lowest ID wins, as on the GIC. */
    for (uint32_t irq = 0; irq < FAKE_GIC_IRQS; irq++) {
        if (fake_gic_pending[irq] && fake_gic_on[irq]) {
            fake_gic_pending[irq] = false;
            return irq;
        }
    }
    return GIC_SPURIOUS;
}

void gic_end(uint32_t irq)
{
    fake_gic_eois++;
    fake_gic_last_eoi = irq;
}

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

void sp804_init(void *base, uint32_t hz)
{
    (void)base;
    (void)hz;
}

void sp804_program_ns(uint64_t ns)
{
    fake_timer_ns = ns;
    fake_timer_programs++;
}

bool sp804_tick_ack(void)
{
    bool fired = fake_timer_fired;
    fake_timer_fired = false;
    return fired;
}

uint64_t sp804_counter(void)
{
    return fake_ticks;
}

void a9gt_init(void *base)
{
    (void)base;
}

uint64_t a9gt_counter(void)
{
    return fake_ticks;
}

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

void pl011_init(void *base)
{
    (void)base;
}

void pl011_putc(char c)
{
    fake_console_putc(c);
}

void pl011_enable_rx_irq(void)
{
    fake_uart_rx_irq = true;
}

bool pl011_try_putc(char c)
{
    fake_console_putc(c);
    return true;
}

void pl011_tx_irq(bool on)
{
    /* The console's own UART is the one console_set_output was given
     * (fake_console_capture); this driver only feeds input. */
    (void)on;
}

void pl011_ack(void)
{
    /* The fake UART's interrupt is level: it follows the buffer. */
}

int pl011_getc(void)
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
