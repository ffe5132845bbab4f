/* SPDX-License-Identifier: MIT */
/* Physical interrupts. Only the tick exists until devices get owners. */
#include "hv/irq.h"

#include "hv/console.h"
#include "hv/drivers.h"
#include "hv/sched.h"

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
            sched_tick();
        } else {
            dlog("unexpected interrupt %u", (unsigned)irq);
        }
        gic_end(irq);
    }
}
