/* SPDX-License-Identifier: MIT */
/*
 * Event channels: 32 ports per guest, each one bit of its shared
 * events_pending word. Channels between guests are set up in two steps
 * (one side opens a port for the other, the other binds it), as in Xen,
 * so neither side can connect to a guest that did not agree.
 */
#include "hv/evtchn.h"

#include "hv/check.h"
#include "hv/irqchip.h"
#include "hv/vcpu.h"

static int32_t evtchn_alloc_port(struct vm *vm)
{
    for (unsigned int i = 1; i < HV_EVTCHN_PORTS; i++) {
        if (vm->ports[i].kind == EVTCHN_FREE) {
            return (int32_t)i;
        }
    }
    return -HV_ENOMEM;
}

/* The other end of @vm's interdomain @port reverts to open-for-@vm. */
static void evtchn_disconnect(struct vm *vm, struct evtchn_port *p)
{
    struct vm *remote = vm_by_id(p->remote_id);
    if (remote && p->remote_port < HV_EVTCHN_PORTS) {
        struct evtchn_port *rp = &remote->ports[p->remote_port];
        if (rp->kind == EVTCHN_INTERDOMAIN && rp->remote_id == vm->id) {
            rp->kind = EVTCHN_UNBOUND;
            rp->remote_port = 0;
        }
    }
}

static void evtchn_free(struct vm *vm, unsigned int port)
{
    struct evtchn_port *p = &vm->ports[port];
    if (p->kind == EVTCHN_INTERDOMAIN) {
        evtchn_disconnect(vm, p);
    } else if (p->kind == EVTCHN_IRQ && irqchip) {
        irqchip->disable(p->irq);
    }
    *p = (struct evtchn_port){0};
}

void evtchn_release_vm(struct vm *vm)
{
    for (unsigned int i = 1; i < HV_EVTCHN_PORTS; i++) {
        evtchn_free(vm, i);
    }
}

int32_t evtchn_open(struct vm *vm, uint32_t remote_id)
{
    CHECK(remote_id != vm->id && remote_id >= 1 && remote_id <= HV_MAX_VMS);
    int32_t port = evtchn_alloc_port(vm);
    if (port >= 0) {
        vm->ports[port].kind = EVTCHN_UNBOUND;
        vm->ports[port].remote_id = (uint8_t)remote_id;
    }
    return port;
}

int32_t evtchn_alloc_unbound(struct vm *vm, uint32_t remote_id)
{
    if (remote_id == vm->id) {
        return -HV_EINVAL;
    }
    if (!vm_by_id(remote_id)) {
        return -HV_ENOENT;
    }
    return evtchn_open(vm, remote_id);
}

int32_t evtchn_bind_interdomain(struct vm *vm, uint32_t remote_id,
                                uint32_t remote_port)
{
    if (remote_id == vm->id) {
        return -HV_EINVAL;
    }
    struct vm *remote = vm_by_id(remote_id);
    if (!remote) {
        return -HV_ENOENT;
    }
    if (remote_port >= HV_EVTCHN_PORTS ||
        remote->ports[remote_port].kind != EVTCHN_UNBOUND ||
        remote->ports[remote_port].remote_id != vm->id) {
        return -HV_EINVAL;
    }
    int32_t port = evtchn_alloc_port(vm);
    if (port < 0) {
        return port;
    }
    vm->ports[port] = (struct evtchn_port){
        EVTCHN_INTERDOMAIN, (uint8_t)remote_id, (uint8_t)remote_port, 0};
    remote->ports[remote_port].kind = EVTCHN_INTERDOMAIN;
    remote->ports[remote_port].remote_port = (uint8_t)port;
    return port;
}

int32_t evtchn_send(struct vm *vm, uint32_t port)
{
    if (port >= HV_EVTCHN_PORTS) {
        return -HV_ERANGE;
    }
    struct evtchn_port *p = &vm->ports[port];
    struct vm *remote = vm_by_id(p->remote_id);
    if (p->kind != EVTCHN_INTERDOMAIN || !remote) {
        return -HV_EINVAL;
    }
    vcpu_raise(remote, 1u << p->remote_port);
    return HV_OK;
}

int32_t evtchn_close(struct vm *vm, uint32_t port)
{
    if (port >= HV_EVTCHN_PORTS) {
        return -HV_ERANGE;
    }
    if (port == 0 || vm->ports[port].kind == EVTCHN_FREE) {
        return -HV_EINVAL;
    }
    evtchn_free(vm, port);
    return HV_OK;
}

int32_t evtchn_bind_virq(struct vm *vm, uint32_t virq)
{
    if (virq != HV_VIRQ_CONSOLE) {
        return -HV_EINVAL;
    }
    if (!vm->console_input) {
        return -HV_EPERM;
    }
    for (unsigned int i = 1; i < HV_EVTCHN_PORTS; i++) {
        if (vm->ports[i].kind == EVTCHN_VIRQ_CONSOLE) {
            return -HV_EBUSY;
        }
    }
    int32_t port = evtchn_alloc_port(vm);
    if (port >= 0) {
        vm->ports[port].kind = EVTCHN_VIRQ_CONSOLE;
    }
    return port;
}

int32_t evtchn_bind_irq(struct vm *vm, uint32_t irq)
{
    bool owned = false;
    for (uint32_t i = 0; i < vm->irq_count; i++) {
        owned |= vm->irqs[i] == irq;
    }
    if (!owned) {
        return -HV_EPERM;
    }
    for (unsigned int i = 1; i < HV_EVTCHN_PORTS; i++) {
        if (vm->ports[i].kind == EVTCHN_IRQ && vm->ports[i].irq == irq) {
            return -HV_EBUSY;
        }
    }
    int32_t port = evtchn_alloc_port(vm);
    if (port < 0) {
        return port;
    }
    vm->ports[port].kind = EVTCHN_IRQ;
    vm->ports[port].irq = (uint16_t)irq;
    if (irqchip) {
        irqchip->enable(irq);
    }
    return port;
}

/* False if @port (below HV_EVTCHN_PORTS) is not bound to an interrupt. */
static bool evtchn_enable_irq(struct vm *vm, unsigned int port)
{
    if (vm->ports[port].kind != EVTCHN_IRQ) {
        return false;
    }
    if (irqchip) {
        irqchip->enable(vm->ports[port].irq);
    }
    return true;
}

int32_t evtchn_unmask(struct vm *vm, uint32_t port)
{
    if (port >= HV_EVTCHN_PORTS) {
        return -HV_ERANGE;
    }
    return evtchn_enable_irq(vm, port) ? HV_OK : -HV_EINVAL;
}

/* Apart from evtchn_unmask_shared, whose early return (nothing asked,
 * at every interrupt) then saves no registers. */
static HV_NOINLINE void
evtchn_unmask_ports(struct vm *vm, volatile struct hv_vcpu_shared *shared,
                    uint32_t ports)
{
    shared->unmask_ports = 0;
    while (ports != 0) {
        unsigned int port = (unsigned int)__builtin_ctz(ports);
        ports &= ports - 1;
        /* A bit of a port not bound to an interrupt has nothing to undo,
         * and no caller to tell. */
        evtchn_enable_irq(vm, port);
    }
}

void evtchn_unmask_shared(struct vm *vm)
{
    volatile struct hv_vcpu_shared *shared = vm->vcpu_shared_va;
    if (shared != NULL && shared->unmask_ports != 0) {
        evtchn_unmask_ports(vm, shared, shared->unmask_ports);
    }
}

/*
 * The guest and port that last took each interrupt: a device interrupt
 * (the SD card's, one per 64 bytes a read moves) would otherwise search
 * every guest's ports each time. Only a hint: checked against the port
 * before use, so a port closed or a guest gone since needs no update here.
 */
#define EVTCHN_IRQ_HINTS 1020u /* GIC IDs 0-1019 */
static struct {
    uint8_t vm_index;
    uint8_t port; /* 0: none */
} evtchn_irq_hint[EVTCHN_IRQ_HINTS];
_Static_assert(HV_MAX_VMS <= 256 && HV_EVTCHN_PORTS <= 256,
               "evtchn_irq_hint holds guest indexes and ports in a byte");

static bool evtchn_irq_port_live(struct vm *vm, unsigned int port, uint32_t irq)
{
    return (vm->state == VM_RUNNABLE || vm->state == VM_BLOCKED) &&
           vm->ports[port].kind == EVTCHN_IRQ && vm->ports[port].irq == irq;
}

static void evtchn_deliver_irq(struct vm *vm, unsigned int port, uint32_t irq)
{
    /* Level-triggered devices keep asserting until the guest has served
     * them: off until HV_OP_EVTCHN_UNMASK. */
    if (irqchip) {
        irqchip->disable(irq);
    }
    vcpu_raise(vm, 1u << port);
}

bool evtchn_route_irq(uint32_t irq)
{
    if (irq < EVTCHN_IRQ_HINTS && evtchn_irq_hint[irq].port != 0) {
        struct vm *vm = vm_by_index(evtchn_irq_hint[irq].vm_index);
        unsigned int port = evtchn_irq_hint[irq].port;
        if (evtchn_irq_port_live(vm, port, irq)) {
            evtchn_deliver_irq(vm, port, irq);
            return true;
        }
    }
    for (unsigned int v = 0; v < HV_MAX_VMS; v++) {
        struct vm *vm = vm_by_index(v);
        for (unsigned int i = 1; i < HV_EVTCHN_PORTS; i++) {
            if (evtchn_irq_port_live(vm, i, irq)) {
                if (irq < EVTCHN_IRQ_HINTS) {
                    evtchn_irq_hint[irq].vm_index = (uint8_t)v;
                    evtchn_irq_hint[irq].port = (uint8_t)i;
                }
                evtchn_deliver_irq(vm, i, irq);
                return true;
            }
        }
    }
    return false;
}

void evtchn_console_input(void)
{
    for (unsigned int v = 0; v < HV_MAX_VMS; v++) {
        struct vm *vm = vm_by_index(v);
        if (vm->state != VM_RUNNABLE && vm->state != VM_BLOCKED) {
            continue;
        }
        for (unsigned int i = 1; i < HV_EVTCHN_PORTS; i++) {
            if (vm->ports[i].kind == EVTCHN_VIRQ_CONSOLE) {
                vcpu_raise(vm, 1u << i);
            }
        }
    }
}
