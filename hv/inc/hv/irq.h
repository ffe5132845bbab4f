/* SPDX-License-Identifier: MIT */
#ifndef HV_IRQ_H
#define HV_IRQ_H

#include "hv/types.h"

/** Sets the interrupt that drives preemption. */
void irq_set_tick(uint32_t irq);
/** Sets the console UART's receive interrupt. */
void irq_set_console(uint32_t irq);
/** Handles every pending physical interrupt. */
void irq_handle(void);

#endif /* HV_IRQ_H */
