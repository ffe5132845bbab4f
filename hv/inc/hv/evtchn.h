/* SPDX-License-Identifier: MIT */
/* Event channels (ABI in guestabi hv/hypercall.h, "EVENT CHANNELS"). */
#ifndef HV_EVTCHN_H
#define HV_EVTCHN_H

#include "hv/vm.h"

/** Disconnects every port of a stopping guest; peers become unbound. */
void evtchn_release_vm(struct vm *vm);

HV_MUST_CHECK int32_t evtchn_alloc_unbound(struct vm *vm, uint32_t remote_id);
HV_MUST_CHECK int32_t evtchn_bind_interdomain(struct vm *vm, uint32_t remote_id,
                                              uint32_t remote_port);
HV_MUST_CHECK int32_t evtchn_send(struct vm *vm, uint32_t port);
HV_MUST_CHECK int32_t evtchn_close(struct vm *vm, uint32_t port);
HV_MUST_CHECK int32_t evtchn_bind_virq(struct vm *vm, uint32_t virq);
HV_MUST_CHECK int32_t evtchn_bind_irq(struct vm *vm, uint32_t irq);
HV_MUST_CHECK int32_t evtchn_unmask(struct vm *vm, uint32_t port);

/** A physical interrupt fired: true if a guest owns it (it is raised). */
bool evtchn_route_irq(uint32_t irq);
/** Console input arrived: raises HV_VIRQ_CONSOLE where it is bound. */
void evtchn_console_input(void);

#endif /* HV_EVTCHN_H */
