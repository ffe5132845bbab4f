/* SPDX-License-Identifier: MIT */
/* Event channels (ABI in guestabi hv/hypercall.h, "EVENT CHANNELS"). */
#ifndef HV_EVTCHN_H
#define HV_EVTCHN_H

#include "hv/vm.h"

/** Disconnects every port of a stopping guest; peers become unbound. */
void evtchn_release_vm(struct vm *vm);

/**
 * A port of @vm open for guest @remote_id (another possible id) to bind,
 * whether that guest runs now or not (device connections: a late or
 * restarting peer); the port or -HV_ENOMEM.
 */
HV_MUST_CHECK int32_t evtchn_open(struct vm *vm, uint32_t remote_id);
HV_MUST_CHECK int32_t evtchn_alloc_unbound(struct vm *vm, uint32_t remote_id);
HV_MUST_CHECK int32_t evtchn_bind_interdomain(struct vm *vm, uint32_t remote_id,
                                              uint32_t remote_port);
HV_MUST_CHECK int32_t evtchn_send(struct vm *vm, uint32_t port);
HV_MUST_CHECK int32_t evtchn_close(struct vm *vm, uint32_t port);
HV_MUST_CHECK int32_t evtchn_bind_virq(struct vm *vm, uint32_t virq);
HV_MUST_CHECK int32_t evtchn_bind_irq(struct vm *vm, uint32_t irq);
HV_MUST_CHECK int32_t evtchn_unmask(struct vm *vm, uint32_t port);
/**
 * The unmasks @vm asked for in its shared page's unmask_ports (guestabi
 * hvabi/evtchn.h): done, and the word cleared. Called at its HV_OP_IRET,
 * its HV_OP_BLOCK and every interrupt taken while it runs.
 */
void evtchn_unmask_shared(struct vm *vm);

/** A physical interrupt fired: true if a guest owns it (it is raised). */
bool evtchn_route_irq(uint32_t irq);
/** Console input arrived: raises HV_VIRQ_CONSOLE where it is bound. */
void evtchn_console_input(void);

#endif /* HV_EVTCHN_H */
