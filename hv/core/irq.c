/* SPDX-License-Identifier: MIT */
/*
 * Physical interrupts: the monitor's timer, the console UART's (input
 * arrived, room to transmit), and those the manifest gives to guests
 * (event channels).
 */
#include "hv/irq.h"

#include "hv/console.h"
#include "hv/evtchn.h"
#include "hv/guest.h"
#include "hv/irqchip.h"
#include "hv/sched.h"
#include "hv/timer.h"
#include "hv/timer_dev.h"
#include "hv/uart.h"
#include "hv/vcpu.h"

static uint32_t irq_tick = IRQCHIP_SPURIOUS;
static uint32_t irq_console = IRQCHIP_SPURIOUS;

void irq_set_console(uint32_t irq)
{
    irq_console = irq;
}

void irq_set_tick(uint32_t irq)
{
    irq_tick = irq;
}

void irq_handle(void)
{
    for (;;) {
        uint32_t irq = irqchip->ack();
        if (irq == IRQCHIP_SPURIOUS) {
            /* The UART's transmit interrupt, and every tick as a
             * fallback, move queued console output on. */
            console_drain();
            return;
        }
        if (irq == irq_tick) {
            /* Even if reprogramming already cleared the timer's own
             * interrupt, this is the monitor's: run the timer work, and
             * never disable it as an unowned interrupt. */
            tick_timer->ack();
            vcpu_check_timers();
            guest_restart_due();
            if (timer_slice_over()) {
                sched_tick(); /* or a woken guest's wait is over */
            }
            if (sched_current()) {
                vcpu_update_time(sched_current());
            }
            timer_reprogram();
        } else if (irq == irq_console) {
            int c;
            bool any = false;
            /* Acknowledge first, then drain: a byte arriving after the
             * last read raises the interrupt again instead of waiting
             * unseen in the FIFO. */
            console_uart->ack();
            while ((c = console_uart->getc()) >= 0) {
                any |= console_input_put((char)c);
            }
            if (any) {
                evtchn_console_input();
            }
        } else if (!evtchn_route_irq(irq)) {
            /* Nobody owns it: keep it from firing again. */
            irqchip->disable(irq);
            dlog("unexpected interrupt %u, disabled", (unsigned)irq);
        }
        irqchip->end(irq);
    }
}
