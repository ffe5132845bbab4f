/* SPDX-License-Identifier: MIT */
/* Physical interrupts. Only the timer exists until devices get owners. */
#include "hv/irq.h"

#include "hv/console.h"
#include "hv/drivers.h"
#include "hv/sched.h"
#include "hv/timer.h"
#include "hv/vcpu_state.h"

static uint32_t irq_tick = GIC_SPURIOUS;

void irq_set_tick(uint32_t irq)
{
    irq_tick = irq;
}

void irq_handle(void)
{
    for (;;) {
        uint32_t irq = gic_ack();
        if (irq == GIC_SPURIOUS) {
            return;
        }
        if (irq == irq_tick && sp804_tick_ack()) {
            vcpu_check_timers();
            if (timer_slice_over()) {
                sched_tick();
            }
            timer_reprogram();
        } else {
            dlog("unexpected interrupt %u", (unsigned)irq);
        }
        gic_end(irq);
    }
}
