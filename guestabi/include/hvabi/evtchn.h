/* SPDX-License-Identifier: MIT */
/*
 * Event channel hypercalls.
 *
 * One block per operation: IN registers, OUT registers, errors. The calling
 * convention is in <hvabi/abi.h>; numbers are unique across the
 * headers of <hvabi/>.
 */
#ifndef HVABI_EVTCHN_H
#define HVABI_EVTCHN_H

#include "abi.h"

/*
 * EVENT CHANNELS
 *
 * A guest has HV_EVTCHN_PORTS ports; port n is bit n of
 * shared->events_pending (<hvabi/vcpu.h>). Port 0 is the virtual timer
 * (HV_EVENT_TIMER), always bound. Other ports are bound with the calls
 * below to: a channel to another guest (two ports, one per side: a send
 * on either side raises the other's bit), the console input, or a
 * physical interrupt the manifest gives the guest. Raising a bit wakes a
 * blocked guest and, if events are unmasked, makes an event upcall. The
 * guest clears the bits it has handled (with LDREX/STREX: the monitor
 * may set others between its load and store).
 */
#define HV_EVTCHN_PORTS 32

/*
 * HV_OP_EVTCHN_ALLOC_UNBOUND: open a port that guest @remote may bind.
 *
 *   IN   r0  the remote guest's id
 *   OUT  r0  the new local port
 *   ERRORS
 *        HV_ENOENT  no running guest has that id
 *        HV_EINVAL  the id is the caller's own
 *        HV_ENOMEM  no free port
 */
#define HV_OP_EVTCHN_ALLOC_UNBOUND 19

/*
 * HV_OP_EVTCHN_BIND_INTERDOMAIN: connect to a port another guest opened.
 *
 *   IN   r0  the remote guest's id; r1  its port
 *   OUT  r0  the new local port
 *   ERRORS
 *        HV_ENOENT  no running guest has that id
 *        HV_EINVAL  that port is not open for this guest, or the id is
 *                   the caller's own
 *        HV_ENOMEM  no free port
 */
#define HV_OP_EVTCHN_BIND_INTERDOMAIN 20

/*
 * HV_OP_EVTCHN_SEND: raise the event on the other end of a channel.
 *
 *   IN   r0  a local port bound to another guest
 *   OUT  r0  0
 *   ERRORS
 *        HV_ERANGE  port not below HV_EVTCHN_PORTS
 *        HV_EINVAL  the port is not connected to another guest
 */
#define HV_OP_EVTCHN_SEND 21

/*
 * HV_OP_EVTCHN_CLOSE: free a port.
 *
 *   IN   r0  the port
 *   OUT  r0  0
 *   ERRORS
 *        HV_ERANGE  port not below HV_EVTCHN_PORTS
 *        HV_EINVAL  port 0, or a free port
 *
 * The other end of a closed channel becomes open again (unbound) for
 * the same guest; a physical interrupt is disabled.
 */
#define HV_OP_EVTCHN_CLOSE 22

/*
 * HV_OP_EVTCHN_BIND_VIRQ: bind a monitor event source to a new port.
 *
 *   IN   r0  HV_VIRQ_CONSOLE (console input arrived)
 *   OUT  r0  the new local port
 *   ERRORS
 *        HV_EINVAL  unknown source
 *        HV_EPERM   the manifest does not give this guest console input
 *        HV_EBUSY   already bound
 *        HV_ENOMEM  no free port
 */
#define HV_OP_EVTCHN_BIND_VIRQ 23
#define HV_VIRQ_CONSOLE 1

/*
 * HV_OP_EVTCHN_BIND_IRQ: route a physical interrupt to a new port.
 *
 *   IN   r0  the GIC interrupt ID
 *   OUT  r0  the new local port
 *   ERRORS
 *        HV_EPERM   the manifest does not give this guest that interrupt
 *        HV_EBUSY   already bound
 *        HV_ENOMEM  no free port
 *
 * When the interrupt fires the monitor disables it at the interrupt
 * controller and raises the port; the guest quiets its device, then
 * re-enables the interrupt with HV_OP_EVTCHN_UNMASK.
 */
#define HV_OP_EVTCHN_BIND_IRQ 24

/*
 * HV_OP_EVTCHN_UNMASK: re-enable the physical interrupt of a port.
 *
 *   IN   r0  a port bound with HV_OP_EVTCHN_BIND_IRQ
 *   OUT  r0  0
 *   ERRORS
 *        HV_ERANGE  port not below HV_EVTCHN_PORTS
 *        HV_EINVAL  the port is not bound to a physical interrupt
 *
 * Without a trap (since 0.7, feature HV_FEAT_UNMASK_PORTS): the guest
 * sets bit n of unmask_ports in its shared vCPU page (<hvabi/vcpu.h>)
 * instead, and the monitor does the unmask for every bit set, then
 * clears the word, at the guest's next HV_OP_IRET or HV_OP_BLOCK, or at
 * the next interrupt taken while the guest runs, whichever comes first.
 * A device's interrupt handler that ends with HV_OP_IRET thus pays no
 * hypercall of its own. Bits of ports not bound to a physical interrupt
 * are cleared and ignored (there is no error to return). The monitor
 * writes the word only to clear it, so a read-modify-write by the guest
 * that a trap interrupts can at worst set again a bit already served:
 * one unmask too many, which the level-triggered device answers with at
 * most one more event.
 */
#define HV_OP_EVTCHN_UNMASK 25

#endif /* HVABI_EVTCHN_H */
