/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the hypercall interface (hv/core/hypercall.c and
 * everything behind it: pt.c, vm.c, vcpu.c, evtchn.c, sched.c) on the
 * fake architecture.
 *
 * Two guests exist, made by vm_create as boot makes them: "alpha" (1 MiB,
 * console input, interrupts 40 and 41, a device page) and "beta" (1 MiB,
 * interrupt 42). The input is a script of 16-byte steps, each one thing
 * the running guest (or the machine) does: a hypercall with
 * fuzzer-chosen number and arguments, a write to its own memory through
 * its own mappings (as its code could), a batch of page-table updates or
 * an IRET frame built in its memory and passed to the hypercall, time
 * passing, an interrupt, a fault. Arguments are decoded with a mode that
 * biases them to where bugs hide: addresses in the guest's own memory
 * (virtual and physical), in the other guest's, in its page tables, at
 * the edges of limits and of the address space.
 *
 * After every step the page-table oracle (pt_oracle.c) recounts what the
 * step may have changed, and the monitor's own invariants are checked: the
 * running guest's registers are USR-mode ones, every live guest runs on a
 * pinned L1 of its own, a registered shared page is typed as one, event
 * channels are connected both ways. At the end of the input the oracle
 * checks everything from scratch; then the monitor is put back as it was
 * after boot.
 */
#include <arch/fake.h>
#include <hvabi/mmu.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hv/clock.h"
#include "hv/console.h"
#include "hv/driver.h"
#include "hv/evtchn.h"
#include "hv/fault.h"
#include "hv/grant.h"
#include "hv/guest.h"
#include "hv/hypercall.h"
#include "hv/selfcheck.h"
#include "hv/irq.h"
#include "hv/mem.h"
#include "hv/pt.h"
#include "hv/sched.h"
#include "hv/timer.h"
#include "hv/vcpu.h"
#include "pt_oracle.h"

#define MIB 0x100000u
#define RAM_SIZE (4 * MIB)
#define STEP 16
#define TICK_IRQ 34
#define UART_IRQ 37
#define TIMER_HZ 1000000u
#define DEVICE_PA 0x10020000u
#define CLOCK_PA 0x10011000u

#define GUESTS 2

static struct vm *hc_vm[GUESTS];
static struct vm hc_saved[GUESTS];
static uint8_t *hc_saved_mem[GUESTS];
static uint64_t hc_ticks;

static const uint8_t hc_image[64] = {0xde, 0xad, 0xbe, 0xef};

static noreturn void hc_fail(const char *what, const struct vm *vm,
                             uint32_t value)
{
    fprintf(stderr, "hypercall_fuzz: %s (guest %u, value 0x%08x)\n", what,
            vm ? (unsigned)vm->id : 0u, (unsigned)value);
    abort();
}

static uint64_t hc_counter(void)
{
    return hc_ticks;
}

static bool hc_live(const struct vm *vm)
{
    return vm->state == VM_RUNNABLE || vm->state == VM_BLOCKED;
}

static unsigned int hc_waits;

/*
 * Every guest is blocked and the monitor waits for an interrupt: time
 * passes until the timer it programmed fires. A machine that keeps
 * waiting has nothing left to do, and the input ends there.
 */
static void hc_wfi(void)
{
    if (++hc_waits > 32) {
        arch_halt(0xfe);
    }
    hc_ticks += fake_timer_programmed_ns() / (1000000000u / TIMER_HZ) + 1;
    fake_timer_fire();
    fake_gic_raise(TICK_IRQ);
}

/* The monitor's devices, as boot_devices sets them up (drivers faked). */
static void hc_devices(void)
{
    fake_drivers_reset();
    fake_set_wfi_hook(hc_wfi);
    tick_timer = &fake_timer;
    static const struct timer_dev counter = {.counter = hc_counter,
                                             .hz = TIMER_HZ,
                                             .guest_page = {CLOCK_PA},
                                             .guest_offset = 0x24};
    clock_set_source(&counter);
    clock_set_guest_counter(&counter);
    irq_set_tick(TICK_IRQ);
    irqchip->enable(TICK_IRQ);
    irq_set_console(UART_IRQ);
    (void)driver_find(DRIVER_UART, "arm,pl011")->probe.uart(NULL, NULL);
    irqchip->enable(UART_IRQ);
}

static void hc_setup(void)
{
    fake_reset();
    fake_console_capture();
    hc_devices();
    mem_init(pa_init(FAKE_RAM_BASE), RAM_SIZE);
    pt_init(pa_init(FAKE_RAM_BASE), RAM_SIZE);
    vm_pool_init();
    for (unsigned int i = 0; i < GUESTS; i++) {
        struct vm_config c = {0};
        snprintf(c.name, sizeof(c.name), "%s", i ? "beta" : "alpha");
        c.image = hc_image;
        c.image_size = sizeof(hc_image);
        c.mem_size = MIB;
        c.base_gva = HV_DEFAULT_GUEST_BASE;
        c.weight = 1 + i;
        if (i == 0) {
            c.console_input = true;
            c.hw.irq_count = 2;
            c.hw.irqs[0] = 40;
            c.hw.irqs[1] = 41;
            c.hw.device_count = 1;
            c.hw.devices[0].pa = DEVICE_PA;
            c.hw.devices[0].size = 0x2000;
        } else {
            c.hw.irq_count = 1;
            c.hw.irqs[0] = 42;
        }
        hc_vm[i] = vm_create(&c);
        if (!hc_vm[i]) {
            hc_fail("vm_create failed", NULL, i);
        }
        hc_saved[i] = *hc_vm[i];
        hc_saved_mem[i] = malloc(MIB);
        memcpy(hc_saved_mem[i], fake_phys(hc_vm[i]->mem_pa), MIB);
    }
    pt_oracle_reset(hc_vm, GUESTS, true);
}

/* Back to the state right after boot (hc_setup). */
static void hc_restart(void)
{
    char drain[64];

    hc_devices();
    hc_ticks = 0;
    hc_waits = 0;
    while (console_input_take(drain, sizeof(drain)) > 0) {
    }
    mem_init(pa_init(FAKE_RAM_BASE), RAM_SIZE);
    pt_init(pa_init(FAKE_RAM_BASE), RAM_SIZE);
    for (unsigned int i = 0; i < GUESTS; i++) {
        struct vm *vm = hc_vm[i];
        struct pt_initial pt;
        *vm = hc_saved[i];
        memcpy(fake_phys(vm->mem_pa), hc_saved_mem[i], MIB);
        if (!mem_alloc_at(vm->mem_pa, vm->mem_size) ||
            pt_build_initial(vm, &pt) != HV_OK) {
            hc_fail("cannot restore the guest", vm, 0);
        }
    }
    sched_set_current(hc_vm[0]);
    timer_start_slice(hc_vm[0]->weight);
    fake_output_clear();
    pt_oracle_reset(hc_vm, GUESTS, true);
    pt_oracle_touch_all();
    pt_oracle_check();
}

/* --- Arguments ------------------------------------------------------------ */

static uint32_t hc_rd32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static struct vm *hc_other(const struct vm *vm)
{
    return hc_vm[vm == hc_vm[0]];
}

/* A word inside one of @vm's pinned tables (as the oracle last saw them),
 * or its active L1. */
static uint32_t hc_table_word(const struct vm *vm, uint32_t v)
{
    uint32_t tables[64];
    unsigned int n = pt_oracle_tables(tables, 64);
    uint32_t base = (uint32_t)pa_addr(vm->active_l1);
    uint32_t size = HV_MMU_L1_SIZE;

    if (n > 0 && (v & 0x80000000u)) {
        base = tables[(v >> 16) % n];
        struct pt_frame_counts c;
        if (pt_frame_counts(pa_init(base), &c) && c.type == 2) {
            size = 4096u;
        }
    }
    return base + (v % size & ~3u);
}

static const uint32_t hc_edges[] = {
    0,
    1,
    2,
    3,
    4,
    7,
    8,
    0xffffffffu,
    0xfffffffcu,
    0x7fffffffu,
    0x80000000u,
    HV_MMU_WINDOW_BASE,
    HV_MMU_WINDOW_BASE - 4,
    HV_MMU_WINDOW_END,
    HV_MMU_WINDOW_END - 4,
    HV_MMU_UPDATE_MAX,
    HV_MMU_UPDATE_MAX + 1,
    HV_CONSOLE_WRITE_MAX,
    HV_CONSOLE_WRITE_MAX + 1,
    HV_CACHE_MAX,
    HV_CACHE_MAX + 1,
    HV_EVTCHN_PORTS - 1,
    HV_EVTCHN_PORTS,
    HV_FEATURE_WORDS,
    HV_OP_COUNT,
    31,
    32,
    1019,
    1020,
    FAKE_RAM_BASE,
    FAKE_RAM_BASE + RAM_SIZE,
    DEVICE_PA,
    CLOCK_PA,
};

/*
 * Argument from 5 bytes: a mode, then a value it is built from. Guest
 * addresses land inside, just below or just past the guest's memory.
 */
static uint32_t hc_arg(const struct vm *vm, const uint8_t *p)
{
    uint32_t v = hc_rd32(p + 1);
    uint32_t gva = (uint32_t)gva_addr(vm->mem_gva);
    uint32_t pa = (uint32_t)pa_addr(vm->mem_pa);
    uint32_t span = vm->mem_size + 0x2000u;

    switch (p[0] % 10) {
    case 0:
    default:
        return v;
    case 1: /* its own memory, virtual */
        return gva - 0x1000u + v % span;
    case 2: /* its own memory, physical */
        return pa - 0x1000u + v % span;
    case 3: /* the other guest's, physical or virtual */
        return (v & 1 ? (uint32_t)pa_addr(hc_other(vm)->mem_pa)
                      : (uint32_t)gva_addr(hc_other(vm)->mem_gva)) +
               (v >> 1) % hc_other(vm)->mem_size;
    case 4:
        return hc_edges[v % ARRAY_SIZE(hc_edges)] +
               ((v >> 16) & 0x8000u ? (v >> 24) - 0x80u : 0);
    case 5: /* an entry of one of its tables */
        return hc_table_word(vm, v);
    case 6: /* a page-table frame, 16 KiB or 4 KiB aligned */
        return pa + (v % vm->mem_size & ~((v & 1) ? 0x3fffu : 0xfffu));
    case 7:
        return v % 64u;
    case 8: /* an id: 0, itself, the other, or beyond */
        return v % (HV_MAX_VMS + 2);
    case 9: /* its own memory, virtual, 8-byte aligned near the top */
        return gva + vm->mem_size - 0x1000u - (v % 0x3000u & ~7u);
    }
}

/* A descriptor pointing into @vm's memory (or near), with fuzzed bits. */
static uint32_t hc_desc(const struct vm *vm, uint32_t v, uint32_t bits)
{
    uint32_t pa = (uint32_t)pa_addr(vm->mem_pa);
    uint32_t target = pa - 0x1000u + v % (vm->mem_size + 0x2000u);
    if ((bits & 3u) == 2 && (v & 0x80000000u)) {
        target &= ~(MIB - 1);
    }
    if (bits & 0x10000u) { /* the descriptor bits of a valid page */
        bits = (bits & ~0xfffu) | 0x2u | (3u << 4) | ((bits >> 4) & 0xcu);
    }
    return (target & ~0x3ffu) | (bits & 0x3ffu);
}

/* --- What the guest writes itself ------------------------------------------
 */

/* Writes @len bytes at @va as @vm's USR-mode code could: false (nothing
 * written) if a page is not mapped writable for it. */
static bool hc_guest_write(struct vm *vm, uint32_t va, const void *src,
                           uint32_t len)
{
    paddr_t pa;
    for (uint32_t off = 0; off < len; off = (off | 0xfffu) + 1) {
        if (va + off < va || pt_translate(vm, va + off, true, &pa) != HV_OK) {
            return false;
        }
    }
    for (uint32_t i = 0; i < len; i++) {
        if (pt_translate(vm, va + i, true, &pa) != HV_OK) {
            return false;
        }
        *(uint8_t *)fake_phys(pa) = ((const uint8_t *)src)[i];
    }
    return true;
}

/* Reads @len bytes at @va as @vm's USR-mode code could. */
static bool hc_guest_read(struct vm *vm, uint32_t va, void *dst, uint32_t len)
{
    paddr_t pa;
    for (uint32_t i = 0; i < len; i++) {
        if (va + i < va || pt_translate(vm, va + i, false, &pa) != HV_OK) {
            return false;
        }
        ((uint8_t *)dst)[i] = *(const uint8_t *)fake_phys(pa);
    }
    return true;
}

/* A cheap generator for the contents of batches and frames. */
static uint32_t hc_next(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

/* --- Steps --------------------------------------------------------------- */

enum {
    HC_GUEST_WRITE = HV_OP_COUNT, /* 12 bytes of the step, at an address */
    HC_MMU_BATCH,                 /* a batch built, then HV_OP_MMU_UPDATE */
    HC_IRET_FRAME,                /* a frame built, then HV_OP_IRET */
    HC_CALLBACKS,                 /* entry points written, then registered */
    HC_SHARED_WRITE,              /* the guest writes its shared page */
    HC_TIME,                      /* time passes */
    HC_INTERRUPT,                 /* an interrupt arrives */
    HC_FAULT,                     /* the guest faults */
    HC_RAW_OP,                    /* a hypercall number beyond the known */
    HC_GRANT_ACCESS,              /* a frame of its own to the other guest */
    HC_GRANT_MAP,                 /* the other's grant, well-formed bits */
    HC_STEP_KINDS,
};

struct hc_call {
    struct vm *vm;
    struct arch_regs *next;
    int kind; /* 0 hypercall, 1 interrupt, 2 fault */
    struct fault_info fault;
};

static void hc_run(void *ctx)
{
    struct hc_call *c = ctx;
    switch (c->kind) {
    case 0:
        c->next = fake_exception_return(hypercall_handle(c->vm));
        break;
    case 1:
        irq_handle();
        c->next = fake_exception_return(guest_resume());
        break;
    default:
        c->next = fake_exception_return(fault_guest(c->vm, &c->fault));
        break;
    }
}

/* Tells the oracle what hypercall @op of @vm may change in page tables. */
static void hc_touch(struct vm *vm, uint32_t op)
{
    uint32_t a0 = vm->regs.r[0];
    uint32_t a1 = vm->regs.r[1];

    switch (op) {
    case HV_OP_MMU_PIN:
        pt_oracle_touch(a0, HV_MMU_L1_SIZE);
        break;
    case HV_OP_MMU_UNPIN:
        pt_oracle_touch(a0 & ~(HV_MMU_L1_SIZE - 1), HV_MMU_L1_SIZE);
        break;
    case HV_OP_MMU_UPDATE:
        for (uint32_t i = 0; a1 <= HV_MMU_UPDATE_MAX && i < a1; i++) {
            uint32_t ptr;
            if (!hc_guest_read(vm, a0 + i * 8u, &ptr, 4)) {
                break; /* the monitor refuses the batch as a whole */
            }
            pt_oracle_touch(ptr, 4);
        }
        break;
    case HV_OP_GRANT_MAP:
        pt_oracle_touch(vm->regs.r[2], 4);
        break;
    case HV_OP_GRANT_UNMAP:
        pt_oracle_touch(a0, 4);
        break;
    case HV_OP_VCPU_REGISTER:
        pt_oracle_touch(a0 & ~0xfffu, 4096u);
        pt_oracle_touch((uint32_t)pa_addr(vm->vcpu_shared), 4096u);
        break;
    }
}

static void hc_check_vm(const struct vm *vm)
{
    if (!hc_live(vm)) {
        return;
    }
    if (!pt_is_l1(vm, vm->active_l1)) {
        hc_fail("a live guest's active L1 is not a pinned L1 of its own", vm,
                (uint32_t)pa_addr(vm->active_l1));
    }
    /* USR, A and I clear, F set (hv uses no FIQ: guests run masked). */
    if ((vm->regs.cpsr & 0x1fu) != 0x10u || (vm->regs.cpsr & 0x1c0u) != 0x40u) {
        hc_fail("guest registers are not USR mode with A, I clear, F set", vm,
                vm->regs.cpsr);
    }
    if (vm->mode != VM_MODE_KERNEL && vm->mode != VM_MODE_USER) {
        hc_fail("virtual mode", vm, vm->mode);
    }
    uint32_t shared = (uint32_t)pa_addr(vm->vcpu_shared);
    struct pt_frame_counts c;
    if (shared != 0 &&
        (!pt_frame_counts(vm->vcpu_shared, &c) || c.type != 3 ||
         (shared & 0xfffu) != 0 ||
         shared - (uint32_t)pa_addr(vm->mem_pa) >= vm->mem_size)) {
        hc_fail("the shared vCPU page is not a shared frame of its own", vm,
                shared);
    }
    if (vm->ports[0].kind != EVTCHN_TIMER) {
        hc_fail("port 0 is not the timer", vm, vm->ports[0].kind);
    }
    for (uint32_t p = 1; p < HV_EVTCHN_PORTS; p++) {
        const struct evtchn_port *port = &vm->ports[p];
        if (port->kind > EVTCHN_IRQ || port->kind == EVTCHN_TIMER) {
            hc_fail("port kind", vm, port->kind);
        }
        if (port->kind == EVTCHN_INTERDOMAIN) {
            const struct vm *r = vm_by_id(port->remote_id);
            if (!r || r == vm || port->remote_port >= HV_EVTCHN_PORTS) {
                hc_fail("interdomain port to no live guest", vm, p);
            }
            const struct evtchn_port *rp = &r->ports[port->remote_port];
            if (rp->kind != EVTCHN_INTERDOMAIN || rp->remote_id != vm->id ||
                rp->remote_port != p) {
                hc_fail("interdomain port not connected back", vm, p);
            }
        }
        if (port->kind == EVTCHN_IRQ) {
            bool owned = false;
            for (uint32_t i = 0; i < vm->irq_count; i++) {
                owned |= vm->irqs[i] == port->irq;
            }
            if (!owned) {
                hc_fail("port bound to an interrupt not its own", vm,
                        port->irq);
            }
        }
    }
}

/* One step; false when the machine halted (the input ends). */
static bool hc_step(const uint8_t *s)
{
    struct vm *vm = sched_current();
    struct hc_call call = {.vm = vm, .kind = 0};
    bool live[GUESTS];
    uint32_t kind = s[0] % HC_STEP_KINDS;
    uint32_t a[3];
    uint32_t seed = hc_rd32(s + 12) | 1u;

    if (!vm) {
        return false;
    }
    hc_waits = 0;
    for (unsigned int i = 0; i < 3; i++) {
        a[i] = hc_arg(vm, s + 1 + 5 * i);
    }
    for (unsigned int i = 0; i < GUESTS; i++) {
        live[i] = hc_live(hc_vm[i]);
    }
    uint32_t op = kind;
    switch (kind) {
    case HC_GUEST_WRITE:
        hc_guest_write(vm, a[0], s + 6, 10);
        op = UINT32_MAX;
        break;
    case HC_MMU_BATCH: {
        struct hv_mmu_update batch[8];
        uint32_t n = 1 + a[1] % 8u;
        for (uint32_t i = 0; i < n; i++) {
            batch[i].ptr = hc_table_word(vm, hc_next(&seed));
            batch[i].val = hc_desc(vm, hc_next(&seed), hc_next(&seed));
        }
        a[0] &= ~7u;
        hc_guest_write(vm, a[0], batch, n * sizeof(batch[0]));
        a[1] = n;
        op = HV_OP_MMU_UPDATE;
        break;
    }
    case HC_IRET_FRAME: {
        struct hv_frame f;
        for (unsigned int i = 0; i < ARRAY_SIZE(f.r); i++) {
            f.r[i] = hc_next(&seed);
        }
        f.sp = a[1];
        f.lr = hc_next(&seed);
        f.pc = a[2];
        uint32_t r = hc_next(&seed);
        f.cpsr = (r & 1 ? HV_VCPSR_USER : HV_VCPSR_KERNEL) |
                 (r & 2 ? HV_VCPSR_I : 0) | (r & 4 ? 0 : r & 0xfe0ffe20u) |
                 (r & 8 ? 0 : (r >> 8) & 0x1ffu);
        f.orig_r0 = 0;
        a[0] &= ~7u;
        hc_guest_write(vm, a[0], &f, sizeof(f));
        op = HV_OP_IRET;
        break;
    }
    case HC_CALLBACKS: {
        struct hv_callbacks cb = {{0}, 0, {0}};
        for (unsigned int i = 0; i < HV_UPCALL_COUNT; i++) {
            cb.entry[i] = hc_next(&seed) & 1 ? 0 : a[1] + i * 4u;
        }
        cb.flags = (a[2] & 0xf00) == 0 ? a[2] >> 12 : 0;
        cb.reserved[(a[2] >> 12) & 1] = (a[2] & 0xff) == 0 ? a[2] : 0;
        hc_guest_write(vm, a[0], &cb, sizeof(cb));
        op = HV_OP_VCPU_CALLBACKS;
        break;
    }
    case HC_SHARED_WRITE:
        if (pa_addr(vm->vcpu_shared) != 0) {
            /* events_masked, kernel_sp, user_tls: the guest's to write */
            uint32_t *w = fake_phys(vm->vcpu_shared);
            w[a[0] % 3] = a[1];
        }
        op = UINT32_MAX;
        break;
    case HC_TIME:
        hc_ticks += a[0] % (TIMER_HZ * 4);
        op = UINT32_MAX;
        break;
    case HC_INTERRUPT: {
        static const uint32_t irqs[] = {TICK_IRQ, UART_IRQ, 40, 41, 42, 43};
        uint32_t irq = irqs[a[0] % ARRAY_SIZE(irqs)];
        if (irq == TICK_IRQ) {
            fake_timer_fire();
        } else if (irq == UART_IRQ) {
            fake_uart_rx((const char *)s + 6, 1 + s[5] % 10);
        }
        fake_gic_raise(irq);
        call.kind = 1;
        op = UINT32_MAX;
        break;
    }
    case HC_FAULT:
        call.kind = 2;
        call.fault = (struct fault_info){
            "data abort", "fuzzed", a[0],
            vm->regs.pc,  a[1],     (int)(a[2] % (HV_UPCALL_COUNT + 1)) - 1};
        op = UINT32_MAX;
        break;
    case HC_RAW_OP:
        op = a[2] % 4 ? HV_OP_COUNT + a[2] % 8 : a[2];
        break;
    case HC_GRANT_ACCESS:
        a[0] = (uint32_t)pa_addr(vm->mem_pa) + (a[0] % vm->mem_size & ~0xfffu);
        a[1] = hc_other(vm)->id;
        a[2] = seed & HV_GRANT_READONLY;
        op = HV_OP_GRANT_ACCESS;
        break;
    case HC_GRANT_MAP: {
        static const uint32_t attrs[] = {
            0x2u | (1u << 2) | (1u << 3) | (1u << 6) | (3u << 4), /* RW */
            0x2u | (1u << 2) | (1u << 3) | (1u << 6) | (2u << 4), /* RO */
            0x3u | (1u << 2) | (1u << 3) | (3u << 4) | (1u << 11),
            0x2u | (2u << 4), /* strongly ordered */
        };
        a[0] = hc_other(vm)->id;
        a[1] %= 4;
        op = HV_OP_GRANT_MAP;
        vm->regs.r[3] = attrs[seed % 4];
        break;
    }
    }
    if (op != UINT32_MAX) {
        vm->regs.r[12] = op;
        vm->regs.r[0] = a[0];
        vm->regs.r[1] = a[1];
        vm->regs.r[2] = a[2];
        if (kind != HC_GRANT_MAP) {
            vm->regs.r[3] = hc_rd32(s + 12);
        }
        hc_touch(vm, op);
    }
    bool halted = false;
    if (call.kind != 0 || op != UINT32_MAX) {
        halted = fake_halt_catch(hc_run, &call);
    }
    for (unsigned int i = 0; i < GUESTS; i++) {
        if (live[i] && !hc_live(hc_vm[i])) {
            pt_oracle_touch_all(); /* its tables are gone */
        }
    }
    pt_oracle_check();
    for (unsigned int i = 0; i < GUESTS; i++) {
        hc_check_vm(hc_vm[i]);
    }
    if (halted) {
        return false;
    }
    struct vm *cur = sched_current();
    if ((call.kind != 0 || op != UINT32_MAX) &&
        (!cur || cur->state != VM_RUNNABLE || call.next != &cur->regs)) {
        hc_fail("the registers resumed are not the running guest's", cur, 0);
    }
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool once;
    if (!once) {
        once = true;
        hc_setup();
    }
    hc_restart();
    /* One input in eight keeps the strict temporary mapping, which
     * catches a pointer the monitor keeps past the next mapping. */
    fake_set_phys_direct(size == 0 || (data[0] & 7u) != 0);
    for (size_t pos = 1; pos + STEP <= size; pos += STEP) {
        if (!hc_step(data + pos)) {
            break;
        }
    }
    pt_oracle_full();
    /* The monitor's own self-check agrees, grants included. */
    struct selfcheck_result r;
    if (!selfcheck_run(&r)) {
        hc_fail(r.what, NULL, 0);
    }
    return 0;
}
