/* SPDX-License-Identifier: MIT */
/*
 * hv/core/irq.c (with timer.c and sched.c behind it) on the fake board
 * devices of hv/arch/fake/fake_drivers.c: the tick, console input and
 * interrupts nobody owns.
 */
#include <arch/fake.h>
#include <string.h>

#include "hv/clock.h"
#include "hv/config.h"
#include "hv/irq.h"
#include "hv/sched.h"
#include "hv/timer.h"
#include "unit.h"
#include "unit_vm.h"

#define TICK_IRQ 34u
#define UART_IRQ 37u
#define SLICE_US ((HV_WEIGHT_DEFAULT * HV_TIME_SLICE_UNIT_NS) / 1000u)

static struct vm *alpha;
static struct vm *beta;

/* alpha and beta, alpha running; the clock counts microseconds. */
static void irq_test_setup(void)
{
    unit_vm_setup();
    alpha = unit_vm_create("alpha", UNIT_MIB);
    beta = unit_vm_create("beta", UNIT_MIB);
    sched_set_current(alpha);
    fake_counter_set(0);
    clock_set_source(&fake_timer);
    tick_timer = &fake_timer;
    irq_set_tick(TICK_IRQ);
    irqchip->enable(TICK_IRQ);
    timer_start_slice(HV_WEIGHT_DEFAULT);
}

static void irq_test_tick(void)
{
    fake_timer_fire();
    fake_gic_raise(TICK_IRQ);
    irq_handle();
}

TEST(irq, tick_ends_slice)
{
    irq_test_setup();
    fake_counter_set(SLICE_US);
    irq_test_tick();
    EXPECT_PTR_EQ(sched_current(), beta);
    EXPECT_EQ(fake_gic_eoi_count(), 1u);
    EXPECT_EQ(fake_gic_eoi_last(), TICK_IRQ);
    /* The next interrupt is due a whole slice from now. */
    EXPECT_EQ(fake_timer_program_count(), 1u);
    EXPECT_EQ(fake_timer_programmed_ns(),
              (HV_WEIGHT_DEFAULT * HV_TIME_SLICE_UNIT_NS));
    EXPECT_TRUE(fake_gic_is_enabled(TICK_IRQ));

    fake_counter_set(2 * SLICE_US);
    irq_test_tick();
    EXPECT_PTR_EQ(sched_current(), alpha);
}

TEST(irq, tick_within_slice)
{
    irq_test_setup();
    fake_counter_set(SLICE_US / 4);
    irq_test_tick();
    EXPECT_PTR_EQ(sched_current(), alpha);
    /* Woken early: the rest of the slice is still due. */
    EXPECT_EQ(fake_timer_program_count(), 1u);
    EXPECT_EQ(fake_timer_programmed_ns(),
              (HV_WEIGHT_DEFAULT * HV_TIME_SLICE_UNIT_NS) * 3 / 4);
}

TEST(irq, handles_every_pending)
{
    irq_test_setup();
    irqchip->enable(40);
    fake_counter_set(SLICE_US);
    fake_gic_raise(40);
    irq_test_tick();
    EXPECT_EQ(fake_gic_eoi_count(), 2u);
    EXPECT_FALSE(fake_gic_is_pending(TICK_IRQ));
    EXPECT_FALSE(fake_gic_is_pending(40));
}

TEST(irq, unowned_interrupt_is_disabled)
{
    irq_test_setup();
    irqchip->enable(40);
    fake_gic_raise(40);
    irq_handle();
    EXPECT_FALSE(fake_gic_is_enabled(40));
    EXPECT_EQ(fake_gic_eoi_last(), 40u);
    EXPECT_CONTAINS(fake_output(), "unexpected interrupt 40, disabled");
    EXPECT_PTR_EQ(sched_current(), alpha);
}

TEST(irq, console_input)
{
    char buf[16];

    irq_test_setup();
    irq_set_console(UART_IRQ);
    irqchip->enable(UART_IRQ);
    EXPECT_EQ(fake_uart_rx("hi\n", 3), 3u);
    fake_gic_raise(UART_IRQ);
    irq_handle();
    EXPECT_EQ(fake_gic_eoi_last(), UART_IRQ);
    EXPECT_TRUE(fake_gic_is_enabled(UART_IRQ));
    memset(buf, 0, sizeof(buf));
    EXPECT_EQ(console_input_take(buf, sizeof(buf)), 3u);
    EXPECT_STREQ(buf, "hi\n");
}

TEST(irq, console_output_drains_on_transmit_interrupt)
{
    static const char msg[] = "a message longer than the UART's FIFO";

    irq_test_setup();
    irq_set_console(UART_IRQ);
    irqchip->enable(UART_IRQ);
    fake_output_clear();
    fake_uart_tx_fifo(16);
    dlog("%s", msg);
    EXPECT_EQ(fake_output_len(), 16u);
    EXPECT_TRUE(fake_uart_tx_irq_enabled());
    for (int i = 0; i < 10 && fake_uart_tx_irq_enabled(); i++) {
        fake_uart_tx_send(16);
        fake_gic_raise(UART_IRQ);
        irq_handle();
        EXPECT_EQ(fake_gic_eoi_last(), UART_IRQ);
    }
    EXPECT_FALSE(fake_uart_tx_irq_enabled());
    EXPECT_STREQ(fake_output(),
                 "hv: a message longer than the UART's FIFO\r\n");
    EXPECT_EQ(fake_uart_tx_waits(), 0u);
}
