/* SPDX-License-Identifier: MIT */
/*
 * hv/core/evtchn.c ("EVENT CHANNELS" in guestabi/include/hvabi/hypercall.h)
 * with guests made by vm_create, their shared vCPU pages registered, and
 * the fake GIC as the interrupt controller.
 */
#include <arch/fake.h>
#include <string.h>

#include "hv/guest.h"
#include "hv/hypercall.h"
#include "hv/evtchn.h"
#include "hv/sched.h"
#include "hv/vcpu.h"
#include "unit.h"
#include "unit_vm.h"

#define MIB UNIT_MIB
#define SHARED_OFF 0x2000u /* where each guest's shared page is */
#define IRQ_A 40u
#define IRQ_B 41u

static struct vm *alpha;
static struct vm *beta;
static struct vm *gamma_;

static struct vm *ev_create(const char *name, bool console_input, uint32_t irq)
{
    struct vm_config c = unit_vm_config(name, MIB);
    c.console_input = console_input;
    if (irq != 0) {
        c.hw.irq_count = 1;
        c.hw.irqs[0] = irq;
    }
    struct vm *vm = vm_create(&c);
    ASSERT_TRUE(vm != NULL);
    return vm;
}

static struct hv_vcpu_shared *ev_shared(struct vm *vm)
{
    return unit_vm_mem(vm, UNIT_GUEST_BASE + SHARED_OFF);
}

static void ev_register(struct vm *vm)
{
    ASSERT_EQ(vcpu_register(vm, pa_add(vm->mem_pa, SHARED_OFF)), HV_OK);
}

/* alpha (console input, IRQ_A), beta and gamma; alpha and beta have
 * shared pages, gamma none. */
static void ev_setup(void)
{
    unit_vm_setup();
    irqchip = &fake_gic;
    alpha = ev_create("alpha", true, IRQ_A);
    beta = ev_create("beta", false, 0);
    gamma_ = ev_create("gamma", false, 0);
    ev_register(alpha);
    ev_register(beta);
    sched_set_current(alpha);
}

/* A channel alpha:@pa <-> beta:@pb. */
static void ev_connect(uint32_t *pa, uint32_t *pb)
{
    int32_t a = evtchn_alloc_unbound(alpha, beta->id);
    ASSERT_TRUE(a > 0);
    int32_t b = evtchn_bind_interdomain(beta, alpha->id, (uint32_t)a);
    ASSERT_TRUE(b > 0);
    *pa = (uint32_t)a;
    *pb = (uint32_t)b;
}

TEST(evtchn, port0_is_the_timer)
{
    ev_setup();
    EXPECT_EQ(alpha->ports[0].kind, EVTCHN_TIMER);
    for (unsigned int i = 1; i < HV_EVTCHN_PORTS; i++) {
        EXPECT_EQ(alpha->ports[i].kind, EVTCHN_FREE);
    }
    EXPECT_EQ(HV_EVENT_TIMER, 1u << 0);
    EXPECT_EQ(evtchn_close(alpha, 0), -HV_EINVAL);
    EXPECT_EQ(evtchn_send(alpha, 0), -HV_EINVAL);
    EXPECT_EQ(evtchn_unmask(alpha, 0), -HV_EINVAL);
    EXPECT_EQ(alpha->ports[0].kind, EVTCHN_TIMER);
    /* Ports are handed out from 1. */
    EXPECT_EQ(evtchn_alloc_unbound(alpha, beta->id), 1);
    EXPECT_EQ(evtchn_alloc_unbound(alpha, beta->id), 2);
}

TEST(evtchn, alloc_unbound_errors)
{
    ev_setup();
    EXPECT_EQ(evtchn_alloc_unbound(alpha, alpha->id), -HV_EINVAL);
    EXPECT_EQ(evtchn_alloc_unbound(alpha, 0), -HV_ENOENT);
    EXPECT_EQ(evtchn_alloc_unbound(alpha, 4), -HV_ENOENT); /* free slot */
    EXPECT_EQ(evtchn_alloc_unbound(alpha, HV_MAX_VMS + 1), -HV_ENOENT);
    EXPECT_EQ(evtchn_alloc_unbound(alpha, 0x101), -HV_ENOENT);
    EXPECT_EQ(evtchn_alloc_unbound(alpha, 0xffffffffu), -HV_ENOENT);
    guest_stop(gamma_, 0, false);
    EXPECT_EQ(evtchn_alloc_unbound(alpha, gamma_->id), -HV_ENOENT);
    for (unsigned int i = 1; i < HV_EVTCHN_PORTS; i++) {
        EXPECT_EQ(alpha->ports[i].kind, EVTCHN_FREE);
    }
    /* A blocked guest is a running one. */
    beta->state = VM_BLOCKED;
    EXPECT_EQ(evtchn_alloc_unbound(alpha, beta->id), 1);
    EXPECT_EQ(alpha->ports[1].kind, EVTCHN_UNBOUND);
    EXPECT_EQ(alpha->ports[1].remote_id, beta->id);
}

TEST(evtchn, interdomain_handshake)
{
    ev_setup();
    int32_t a = evtchn_alloc_unbound(alpha, beta->id);
    ASSERT_EQ(a, 1);
    /* Only the guest it was opened for may bind it. */
    EXPECT_EQ(evtchn_bind_interdomain(gamma_, alpha->id, 1), -HV_EINVAL);
    EXPECT_EQ(evtchn_bind_interdomain(beta, alpha->id, 2), -HV_EINVAL);
    EXPECT_EQ(evtchn_bind_interdomain(beta, alpha->id, 0), -HV_EINVAL);
    EXPECT_EQ(evtchn_bind_interdomain(beta, alpha->id, HV_EVTCHN_PORTS),
              -HV_EINVAL);
    EXPECT_EQ(evtchn_bind_interdomain(beta, alpha->id, 0xffffffffu),
              -HV_EINVAL);
    EXPECT_EQ(evtchn_bind_interdomain(beta, beta->id, 1), -HV_EINVAL);
    EXPECT_EQ(evtchn_bind_interdomain(beta, 0, 1), -HV_ENOENT);
    EXPECT_EQ(evtchn_bind_interdomain(beta, 6, 1), -HV_ENOENT);
    EXPECT_EQ(alpha->ports[1].kind, EVTCHN_UNBOUND);
    EXPECT_EQ(beta->ports[1].kind, EVTCHN_FREE);
    EXPECT_EQ(gamma_->ports[1].kind, EVTCHN_FREE);

    /* beta already uses port 1 for something else: it gets port 2. */
    ASSERT_EQ(evtchn_alloc_unbound(beta, gamma_->id), 1);
    int32_t b = evtchn_bind_interdomain(beta, alpha->id, 1);
    ASSERT_EQ(b, 2);
    EXPECT_EQ(alpha->ports[1].kind, EVTCHN_INTERDOMAIN);
    EXPECT_EQ(alpha->ports[1].remote_id, beta->id);
    EXPECT_EQ(alpha->ports[1].remote_port, 2u);
    EXPECT_EQ(beta->ports[2].kind, EVTCHN_INTERDOMAIN);
    EXPECT_EQ(beta->ports[2].remote_id, alpha->id);
    EXPECT_EQ(beta->ports[2].remote_port, 1u);
    /* Once connected it is no longer open. */
    EXPECT_EQ(evtchn_bind_interdomain(beta, alpha->id, 1), -HV_EINVAL);
    EXPECT_EQ(beta->ports[3].kind, EVTCHN_FREE);
}

TEST(evtchn, send_raises_remote_and_wakes)
{
    uint32_t pa, pb;

    ev_setup();
    ASSERT_EQ(evtchn_alloc_unbound(beta, gamma_->id), 1); /* so pb != pa */
    ev_connect(&pa, &pb);
    ASSERT_EQ(pa, 1u);
    ASSERT_EQ(pb, 2u);
    ev_shared(beta)->events_pending = 1u << 7; /* already pending */
    beta->state = VM_BLOCKED;

    EXPECT_EQ(evtchn_send(alpha, pa), HV_OK);
    EXPECT_EQ(ev_shared(beta)->events_pending, (1u << 7) | (1u << pb));
    EXPECT_EQ(beta->state, VM_RUNNABLE);
    EXPECT_EQ(ev_shared(alpha)->events_pending, 0u);
    EXPECT_EQ(alpha->state, VM_RUNNABLE);

    EXPECT_EQ(evtchn_send(beta, pb), HV_OK);
    EXPECT_EQ(ev_shared(alpha)->events_pending, 1u << pa);
    /* Masking does not stop the bit, only the upcall. */
    ev_shared(alpha)->events_masked = 1;
    ev_shared(alpha)->events_pending = 0;
    EXPECT_EQ(evtchn_send(beta, pb), HV_OK);
    EXPECT_EQ(ev_shared(alpha)->events_pending, 1u << pa);
}

TEST(evtchn, send_errors)
{
    ev_setup();
    EXPECT_EQ(evtchn_send(alpha, 1), -HV_EINVAL); /* free */
    ASSERT_EQ(evtchn_alloc_unbound(alpha, beta->id), 1);
    EXPECT_EQ(evtchn_send(alpha, 1), -HV_EINVAL); /* not connected yet */
    EXPECT_EQ(evtchn_send(alpha, HV_EVTCHN_PORTS), -HV_ERANGE);
    EXPECT_EQ(evtchn_send(alpha, 0xffffffffu), -HV_ERANGE);
    ASSERT_EQ(evtchn_bind_virq(alpha, HV_VIRQ_CONSOLE), 2);
    EXPECT_EQ(evtchn_send(alpha, 2), -HV_EINVAL);
    ASSERT_EQ(evtchn_bind_irq(alpha, IRQ_A), 3);
    EXPECT_EQ(evtchn_send(alpha, 3), -HV_EINVAL);
    EXPECT_EQ(ev_shared(beta)->events_pending, 0u);
    EXPECT_EQ(ev_shared(alpha)->events_pending, 0u);

    /* A peer without a shared page: the send succeeds, nothing is
     * recorded anywhere. */
    int32_t g = evtchn_alloc_unbound(gamma_, alpha->id);
    ASSERT_TRUE(g > 0);
    ASSERT_EQ(evtchn_bind_interdomain(alpha, gamma_->id, (uint32_t)g), 4);
    EXPECT_EQ(evtchn_send(alpha, 4), HV_OK);
    EXPECT_EQ(ev_shared(alpha)->events_pending, 0u);
}

TEST(evtchn, close_reverts_remote)
{
    uint32_t pa, pb;

    ev_setup();
    ev_connect(&pa, &pb);
    EXPECT_EQ(evtchn_close(alpha, pa), HV_OK);
    EXPECT_EQ(alpha->ports[pa].kind, EVTCHN_FREE);
    /* beta's end is open again, for alpha. */
    EXPECT_EQ(beta->ports[pb].kind, EVTCHN_UNBOUND);
    EXPECT_EQ(beta->ports[pb].remote_id, alpha->id);
    EXPECT_EQ(evtchn_send(beta, pb), -HV_EINVAL);
    EXPECT_EQ(evtchn_send(alpha, pa), -HV_EINVAL);
    EXPECT_EQ(ev_shared(alpha)->events_pending, 0u);
    EXPECT_EQ(ev_shared(beta)->events_pending, 0u);
    /* ... and alpha may connect to it anew; gamma may not. */
    EXPECT_EQ(evtchn_bind_interdomain(gamma_, beta->id, pb), -HV_EINVAL);
    int32_t again = evtchn_bind_interdomain(alpha, beta->id, pb);
    ASSERT_EQ(again, 1);
    EXPECT_EQ(evtchn_send(beta, pb), HV_OK);
    EXPECT_EQ(ev_shared(alpha)->events_pending, 1u << 1);

    /* Closing the end that was bound works the same way. */
    EXPECT_EQ(evtchn_close(beta, pb), HV_OK);
    EXPECT_EQ(beta->ports[pb].kind, EVTCHN_FREE);
    EXPECT_EQ(alpha->ports[1].kind, EVTCHN_UNBOUND);
    EXPECT_EQ(alpha->ports[1].remote_id, beta->id);
}

TEST(evtchn, close_errors)
{
    ev_setup();
    EXPECT_EQ(evtchn_close(alpha, 0), -HV_EINVAL);
    EXPECT_EQ(evtchn_close(alpha, 1), -HV_EINVAL);
    EXPECT_EQ(evtchn_close(alpha, HV_EVTCHN_PORTS - 1), -HV_EINVAL);
    EXPECT_EQ(evtchn_close(alpha, HV_EVTCHN_PORTS), -HV_ERANGE);
    EXPECT_EQ(evtchn_close(alpha, 0xffffffffu), -HV_ERANGE);
    ASSERT_EQ(evtchn_alloc_unbound(alpha, beta->id), 1);
    EXPECT_EQ(evtchn_close(alpha, 1), HV_OK);
    EXPECT_EQ(evtchn_close(alpha, 1), -HV_EINVAL); /* closed twice */
    EXPECT_EQ(alpha->ports[0].kind, EVTCHN_TIMER);
}

TEST(evtchn, exhausting_ports)
{
    ev_setup();
    for (int32_t i = 1; i < (int32_t)HV_EVTCHN_PORTS; i++) {
        ASSERT_EQ(evtchn_alloc_unbound(alpha, beta->id), i);
    }
    EXPECT_EQ(evtchn_alloc_unbound(alpha, beta->id), -HV_ENOMEM);
    EXPECT_EQ(evtchn_bind_virq(alpha, HV_VIRQ_CONSOLE), -HV_ENOMEM);
    EXPECT_EQ(evtchn_bind_irq(alpha, IRQ_A), -HV_ENOMEM);
    EXPECT_FALSE(fake_gic_is_enabled(IRQ_A));
    int32_t b = evtchn_alloc_unbound(beta, alpha->id);
    ASSERT_EQ(b, 1);
    EXPECT_EQ(evtchn_bind_interdomain(alpha, beta->id, 1), -HV_ENOMEM);
    EXPECT_EQ(beta->ports[1].kind, EVTCHN_UNBOUND); /* still open */
    /* A closed port is the next one handed out. */
    EXPECT_EQ(evtchn_close(alpha, 17), HV_OK);
    EXPECT_EQ(evtchn_bind_interdomain(alpha, beta->id, 1), 17);
    EXPECT_EQ(evtchn_alloc_unbound(alpha, beta->id), -HV_ENOMEM);
}

TEST(evtchn, bind_virq_console)
{
    ev_setup();
    EXPECT_EQ(evtchn_bind_virq(beta, HV_VIRQ_CONSOLE), -HV_EPERM);
    EXPECT_EQ(evtchn_bind_virq(alpha, 0), -HV_EINVAL);
    EXPECT_EQ(evtchn_bind_virq(alpha, 2), -HV_EINVAL);
    EXPECT_EQ(evtchn_bind_virq(beta, 2), -HV_EINVAL);
    ASSERT_EQ(evtchn_alloc_unbound(alpha, beta->id), 1);
    int32_t p = evtchn_bind_virq(alpha, HV_VIRQ_CONSOLE);
    ASSERT_EQ(p, 2);
    EXPECT_EQ(alpha->ports[2].kind, EVTCHN_VIRQ_CONSOLE);
    EXPECT_EQ(evtchn_bind_virq(alpha, HV_VIRQ_CONSOLE), -HV_EBUSY);
    EXPECT_EQ(alpha->ports[3].kind, EVTCHN_FREE);

    alpha->state = VM_BLOCKED;
    evtchn_console_input();
    EXPECT_EQ(ev_shared(alpha)->events_pending, 1u << 2);
    EXPECT_EQ(alpha->state, VM_RUNNABLE);
    EXPECT_EQ(ev_shared(beta)->events_pending, 0u);

    /* Closed, it may be bound again. */
    EXPECT_EQ(evtchn_close(alpha, 2), HV_OK);
    ev_shared(alpha)->events_pending = 0;
    evtchn_console_input();
    EXPECT_EQ(ev_shared(alpha)->events_pending, 0u);
    EXPECT_EQ(evtchn_bind_virq(alpha, HV_VIRQ_CONSOLE), 2);
}

TEST(evtchn, bind_irq_route_unmask)
{
    ev_setup();
    EXPECT_EQ(evtchn_bind_irq(alpha, IRQ_B), -HV_EPERM);
    EXPECT_EQ(evtchn_bind_irq(beta, IRQ_A), -HV_EPERM);
    EXPECT_EQ(evtchn_bind_irq(alpha, 0), -HV_EPERM);
    EXPECT_FALSE(fake_gic_is_enabled(IRQ_A));
    EXPECT_FALSE(fake_gic_is_enabled(IRQ_B));

    int32_t p = evtchn_bind_irq(alpha, IRQ_A);
    ASSERT_EQ(p, 1);
    EXPECT_EQ(alpha->ports[1].kind, EVTCHN_IRQ);
    EXPECT_EQ(alpha->ports[1].irq, IRQ_A);
    EXPECT_TRUE(fake_gic_is_enabled(IRQ_A));
    EXPECT_EQ(evtchn_bind_irq(alpha, IRQ_A), -HV_EBUSY);

    /* It fires: off at the GIC until the guest unmasks it. */
    alpha->state = VM_BLOCKED;
    EXPECT_TRUE(evtchn_route_irq(IRQ_A));
    EXPECT_FALSE(fake_gic_is_enabled(IRQ_A));
    EXPECT_EQ(ev_shared(alpha)->events_pending, 1u << 1);
    EXPECT_EQ(alpha->state, VM_RUNNABLE);
    EXPECT_EQ(ev_shared(beta)->events_pending, 0u);
    EXPECT_FALSE(evtchn_route_irq(IRQ_B)); /* nobody's */

    EXPECT_EQ(evtchn_unmask(alpha, 1), HV_OK);
    EXPECT_TRUE(fake_gic_is_enabled(IRQ_A));
    EXPECT_EQ(evtchn_unmask(alpha, 2), -HV_EINVAL);
    EXPECT_EQ(evtchn_unmask(alpha, HV_EVTCHN_PORTS), -HV_ERANGE);
    EXPECT_EQ(evtchn_unmask(alpha, 0xffffffffu), -HV_ERANGE);
    ASSERT_EQ(evtchn_alloc_unbound(alpha, beta->id), 2);
    EXPECT_EQ(evtchn_unmask(alpha, 2), -HV_EINVAL);
    EXPECT_EQ(evtchn_unmask(beta, 1), -HV_EINVAL);

    /* Closing the port disables the interrupt. */
    EXPECT_EQ(evtchn_close(alpha, 1), HV_OK);
    EXPECT_FALSE(fake_gic_is_enabled(IRQ_A));
    EXPECT_FALSE(evtchn_route_irq(IRQ_A));
    EXPECT_EQ(evtchn_unmask(alpha, 1), -HV_EINVAL);
}

/* unmask_ports in the shared page: HV_OP_EVTCHN_UNMASK without a trap. */
TEST(evtchn, unmask_shared_word)
{
    ev_setup();
    ASSERT_EQ(evtchn_bind_irq(alpha, IRQ_A), 1);
    ASSERT_EQ(evtchn_alloc_unbound(alpha, beta->id), 2);
    EXPECT_TRUE(evtchn_route_irq(IRQ_A));
    EXPECT_FALSE(fake_gic_is_enabled(IRQ_A));

    /* Nothing asked: nothing done. */
    evtchn_unmask_shared(alpha);
    EXPECT_FALSE(fake_gic_is_enabled(IRQ_A));
    /* Another guest's word does not reach alpha's interrupt. */
    ev_shared(beta)->unmask_ports = 1u << 1;
    evtchn_unmask_shared(beta);
    EXPECT_FALSE(fake_gic_is_enabled(IRQ_A));
    EXPECT_EQ(ev_shared(beta)->unmask_ports, 0u);

    /* Port 1 with ports that are no interrupt (the timer, an unbound
     * port, free ports): port 1 is unmasked, the rest ignored, the word
     * cleared. */
    ev_shared(alpha)->unmask_ports = 0xffffffffu;
    evtchn_unmask_shared(alpha);
    EXPECT_TRUE(fake_gic_is_enabled(IRQ_A));
    EXPECT_EQ(ev_shared(alpha)->unmask_ports, 0u);
    EXPECT_EQ(alpha->ports[0].kind, EVTCHN_TIMER);
    EXPECT_EQ(alpha->ports[2].kind, EVTCHN_UNBOUND);

    /* Fires again; HV_OP_BLOCK takes the word before it sleeps (the
     * interrupt it enables is what will wake it). */
    EXPECT_TRUE(evtchn_route_irq(IRQ_A));
    EXPECT_FALSE(fake_gic_is_enabled(IRQ_A));
    ev_shared(alpha)->events_pending = 0;
    ev_shared(alpha)->unmask_ports = 1u << 1;
    sched_set_current(alpha);
    alpha->regs.r[12] = HV_OP_BLOCK;
    fake_exception_return(hypercall_handle(alpha));
    EXPECT_EQ(alpha->regs.r[0], (uint32_t)HV_OK);
    EXPECT_TRUE(fake_gic_is_enabled(IRQ_A));
    EXPECT_EQ(ev_shared(alpha)->unmask_ports, 0u);
    EXPECT_EQ(alpha->state, VM_BLOCKED);

    /* A closed port's bit does not enable the interrupt again. */
    EXPECT_EQ(evtchn_close(alpha, 1), HV_OK);
    ev_shared(alpha)->unmask_ports = 1u << 1;
    evtchn_unmask_shared(alpha);
    EXPECT_FALSE(fake_gic_is_enabled(IRQ_A));
}

/* evtchn_route_irq remembers where an interrupt went last; the port
 * closed, bound again elsewhere, or its guest stopped, it must follow. */
TEST(evtchn, route_follows_rebinding)
{
    ev_setup();
    alpha->state = VM_BLOCKED;
    ASSERT_EQ(evtchn_bind_irq(alpha, IRQ_A), 1);
    EXPECT_TRUE(evtchn_route_irq(IRQ_A));
    EXPECT_EQ(ev_shared(alpha)->events_pending, 1u << 1);
    EXPECT_TRUE(evtchn_route_irq(IRQ_A)); /* the remembered port */
    EXPECT_EQ(evtchn_close(alpha, 1), HV_OK);

    /* Port 1 reused for something else, the interrupt bound at port 2. */
    ASSERT_EQ(evtchn_bind_virq(alpha, HV_VIRQ_CONSOLE), 1);
    ASSERT_EQ(evtchn_bind_irq(alpha, IRQ_A), 2);
    ev_shared(alpha)->events_pending = 0;
    EXPECT_TRUE(evtchn_route_irq(IRQ_A));
    EXPECT_EQ(ev_shared(alpha)->events_pending, 1u << 2);

    /* The guest stopped: nothing is delivered to its freed memory. */
    guest_stop(alpha, 0, false);
    ev_shared(alpha)->events_pending = 0;
    EXPECT_FALSE(evtchn_route_irq(IRQ_A));
    EXPECT_EQ(ev_shared(alpha)->events_pending, 0u);
}

TEST(evtchn, release_vm_disconnects_peers)
{
    uint32_t pa, pb;

    ev_setup();
    ev_connect(&pa, &pb);
    ASSERT_EQ(evtchn_bind_irq(alpha, IRQ_A), 2);
    ASSERT_EQ(evtchn_bind_virq(alpha, HV_VIRQ_CONSOLE), 3);
    int32_t g = evtchn_alloc_unbound(gamma_, alpha->id);
    ASSERT_TRUE(g > 0);
    ASSERT_EQ(evtchn_bind_interdomain(alpha, gamma_->id, (uint32_t)g), 4);

    evtchn_release_vm(alpha);
    EXPECT_EQ(alpha->ports[0].kind, EVTCHN_TIMER);
    for (unsigned int i = 1; i < HV_EVTCHN_PORTS; i++) {
        EXPECT_EQ(alpha->ports[i].kind, EVTCHN_FREE);
    }
    EXPECT_EQ(beta->ports[pb].kind, EVTCHN_UNBOUND);
    EXPECT_EQ(beta->ports[pb].remote_id, alpha->id);
    EXPECT_EQ(gamma_->ports[g].kind, EVTCHN_UNBOUND);
    EXPECT_EQ(gamma_->ports[g].remote_id, alpha->id);
    EXPECT_FALSE(fake_gic_is_enabled(IRQ_A));
    EXPECT_EQ(evtchn_send(beta, pb), -HV_EINVAL);
    EXPECT_FALSE(evtchn_route_irq(IRQ_A));
}

TEST(evtchn, stopping_a_guest_disconnects_it)
{
    uint32_t pa, pb;

    ev_setup();
    ev_connect(&pa, &pb);
    ASSERT_EQ(evtchn_bind_irq(alpha, IRQ_A), 2);
    guest_stop(alpha, 0, false);
    EXPECT_EQ(beta->ports[pb].kind, EVTCHN_UNBOUND);
    EXPECT_FALSE(fake_gic_is_enabled(IRQ_A));
    EXPECT_EQ(evtchn_send(beta, pb), -HV_EINVAL);
    /* Nothing reaches the stopped guest's (freed) memory. */
    ev_shared(alpha)->events_pending = 0;
    EXPECT_FALSE(evtchn_route_irq(IRQ_A));
    evtchn_console_input();
    EXPECT_EQ(ev_shared(alpha)->events_pending, 0u);
    /* Nor can it be connected to. */
    EXPECT_EQ(evtchn_bind_interdomain(beta, alpha->id, pa), -HV_ENOENT);
}
