/* SPDX-License-Identifier: MIT */
/*
 * The interrupt controller interface: what the monitor asks of the board's
 * controller (a driver of kind DRIVER_IRQCHIP, hv/inc/hv/driver.h).
 */
#ifndef HV_IRQCHIP_H
#define HV_IRQCHIP_H

#include "hv/types.h"

/** What irqchip_ops.ack returns when nothing is pending. */
#define IRQCHIP_SPURIOUS 1023u

struct irqchip_ops {
    /** Acknowledges the highest pending interrupt; IRQCHIP_SPURIOUS if
     * none. */
    uint32_t (*ack)(void);
    /** Ends the interrupt ack returned. */
    void (*end)(uint32_t irq);
    void (*enable)(uint32_t irq);
    void (*disable)(uint32_t irq);
};

/** The board's controller: boot installs its driver's (fake_reset in host
 * tests). irq.c and evtchn.c call through it. */
extern const struct irqchip_ops *irqchip;

#endif /* HV_IRQCHIP_H */
