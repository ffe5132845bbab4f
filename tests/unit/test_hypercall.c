/* SPDX-License-Identifier: MIT */
/*
 * hv/core/hypercall.c with sched.c, vm.c and console.c behind it: guests
 * made by vm_create, hypercalls made by filling their saved registers as
 * the trap would, as guestabi/include/hvabi/hypercall.h documents them.
 */
#include <arch/fake.h>
#include <hvabi/mmu.h>
#include <string.h>

#include "hv/guest.h"
#include "hv/clock.h"
#include "hv/console.h"
#include "hv/fault.h"
#include "hv/hypercall.h"
#include "hv/pt.h"
#include "hv/mem.h"
#include "hv/sched.h"
#include "unit.h"
#include "unit_vm.h"

#define MIB UNIT_MIB
#define BASE UNIT_GUEST_BASE

static struct vm *alpha;
static struct vm *beta;

/* alpha (1 MiB) and beta (2 MiB) exist, alpha is running. */
static void hc_setup(void)
{
    unit_vm_setup();
    alpha = unit_vm_create("alpha", MIB);
    beta = unit_vm_create("beta", 2 * MIB);
    sched_set_current(alpha);
    fake_output_clear();
}

static void hc_load(struct vm *vm, uint32_t op, uint32_t a0, uint32_t a1)
{
    vm->regs.r[12] = op;
    vm->regs.r[0] = a0;
    vm->regs.r[1] = a1;
}

/* The trap, as exception.c makes it: the current guest's registers. */
static struct arch_regs *hc_call(struct vm *vm, uint32_t op, uint32_t a0,
                                 uint32_t a1)
{
    EXPECT_PTR_EQ(sched_current(), vm);
    hc_load(vm, op, a0, a1);
    return fake_exception_return(hypercall_handle(vm));
}

static int32_t hc_status(const struct vm *vm)
{
    return (int32_t)vm->regs.r[0];
}

struct hc_halting {
    struct vm *vm;
    struct arch_regs *next;
};

static void hc_handle(void *ctx)
{
    struct hc_halting *h = ctx;
    h->next = fake_exception_return(hypercall_handle(h->vm));
}

/* Makes the call; true if it halted the machine (code: fake_halt_code). */
static bool hc_call_halts(struct vm *vm, uint32_t op, uint32_t a0)
{
    struct hc_halting h = {vm, NULL};
    hc_load(vm, op, a0, 0);
    return fake_halt_catch(hc_handle, &h);
}

static void hc_fault(void *ctx)
{
    static const struct fault_info fault = {
        .kind = "data abort",
        .detail = "translation fault",
        .address = 0xdeadbee0u,
        .pc = 0x80000104u,
        .status = 0x5,
        .upcall = -1, /* no upcall: the guest is stopped */
    };
    struct hc_halting *h = ctx;
    h->next = fake_exception_return(fault_guest(h->vm, &fault));
}

static char *hc_guest_str(struct vm *vm, uint32_t gva, const char *s)
{
    char *p = unit_vm_mem(vm, gva);
    memcpy(p, s, strlen(s));
    return p;
}

TEST(hypercall, version)
{
    hc_setup();
    for (int i = 4; i < 12; i++) {
        alpha->regs.r[i] = 0x1000u + (uint32_t)i;
    }
    alpha->regs.sp = 0x800ff000u;
    alpha->regs.lr = 0x80000040u;
    alpha->regs.pc = 0x80000044u;
    /* As a trap saves it: USR mode with F set (a guest cannot clear F),
     * so the common return gives it back untouched. */
    alpha->regs.cpsr = 0x80000050u;

    struct arch_regs *next = hc_call(alpha, HV_OP_VERSION, 0, 0);
    EXPECT_PTR_EQ(next, &alpha->regs);
    EXPECT_EQ(alpha->regs.r[0], HV_ABI_VERSION);
    EXPECT_EQ(HV_ABI_VERSION_GET_MAJOR(alpha->regs.r[0]), HV_ABI_VERSION_MAJOR);
    /* Everything the ABI preserves is preserved. */
    for (int i = 4; i < 12; i++) {
        EXPECT_EQ(alpha->regs.r[i], 0x1000u + (uint32_t)i);
    }
    EXPECT_EQ(alpha->regs.r[12], (uint32_t)HV_OP_VERSION);
    EXPECT_EQ(alpha->regs.sp, 0x800ff000u);
    EXPECT_EQ(alpha->regs.lr, 0x80000040u);
    EXPECT_EQ(alpha->regs.pc, 0x80000044u);
    EXPECT_EQ(alpha->regs.cpsr, 0x80000050u);
    EXPECT_STREQ(fake_output(), "");
}

TEST(hypercall, features)
{
    const uint32_t base = (1u << HV_FEAT_CONSOLE_WRITE) |
                          (1u << HV_FEAT_YIELD) | (1u << HV_FEAT_CLOCK) |
                          (1u << HV_FEAT_VM_INFO) | (1u << HV_FEAT_MMU);
    hc_setup();
    hc_call(alpha, HV_OP_FEATURES, 0, 0);
    EXPECT_EQ(hc_status(alpha), HV_OK);
    EXPECT_EQ(alpha->regs.r[1] & base, base);
    EXPECT_TRUE(alpha->regs.r[1] & (1u << HV_FEAT_VFP));

    hc_call(alpha, HV_OP_FEATURES, HV_FEATURE_WORDS, 0);
    EXPECT_EQ(hc_status(alpha), -HV_ERANGE);
    hc_call(alpha, HV_OP_FEATURES, 0xffffffffu, 0);
    EXPECT_EQ(hc_status(alpha), -HV_ERANGE);
}

TEST(hypercall, features_without_vfp)
{
    hc_setup();
    fake_set_vfp_present(false);
    hc_call(alpha, HV_OP_FEATURES, 0, 0);
    EXPECT_FALSE(alpha->regs.r[1] & (1u << HV_FEAT_VFP));
    hc_call(alpha, HV_OP_VFP, HV_VFP_STATUS, 0);
    EXPECT_EQ(hc_status(alpha), -HV_ENOSYS);
}

/*
 * Bug: hv/core/hypercall.c hypercall_features sets only CONSOLE_WRITE,
 * YIELD, CLOCK, VM_INFO and MMU (and VFP at run time), although the
 * operations named by HV_FEAT_VCPU, HV_FEAT_TIMER, HV_FEAT_CACHE,
 * HV_FEAT_BLOCK and HV_FEAT_EVTCHN are all dispatched. The header says a
 * bit is set when what it names is available, so a guest that checks
 * features before using them never uses these.
 */
TEST(hypercall, features_name_every_operation)
{
    hc_setup();
    hc_call(alpha, HV_OP_FEATURES, 0, 0);
    const uint32_t bits = alpha->regs.r[1];
    EXPECT_TRUE(bits & (1u << HV_FEAT_VCPU));
    EXPECT_TRUE(bits & (1u << HV_FEAT_TIMER));
    EXPECT_TRUE(bits & (1u << HV_FEAT_CACHE));
    EXPECT_TRUE(bits & (1u << HV_FEAT_BLOCK));
    EXPECT_TRUE(bits & (1u << HV_FEAT_EVTCHN));
}

TEST(hypercall, vfp_enable_bit)
{
    hc_setup();
    hc_call(alpha, HV_OP_VFP, HV_VFP_STATUS, 0);
    EXPECT_EQ(alpha->regs.r[0], HV_VFP_FPEXC_EN); /* guests start enabled */
    hc_call(alpha, HV_OP_VFP, HV_VFP_DISABLE, 0);
    EXPECT_EQ(hc_status(alpha), 0);
    hc_call(alpha, HV_OP_VFP, HV_VFP_STATUS, 0);
    EXPECT_EQ(hc_status(alpha), 0);
    hc_call(alpha, HV_OP_VFP, 3, 0);
    EXPECT_EQ(hc_status(alpha), -HV_EINVAL);
}

TEST(hypercall, unknown_op)
{
    hc_setup();
    const uint32_t ops[] = {HV_OP_COUNT, 0x100, 0x80000000u, 0xffffffffu};
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        alpha->regs.r[2] = 0x2222u;
        struct arch_regs *next = hc_call(alpha, ops[i], 1, 2);
        EXPECT_PTR_EQ(next, &alpha->regs);
        EXPECT_EQ(hc_status(alpha), -HV_ENOSYS);
        EXPECT_EQ(alpha->regs.r[1], 2u);
        EXPECT_EQ(alpha->regs.r[2], 0x2222u);
    }
    EXPECT_EQ(alpha->state, VM_RUNNABLE);
}

TEST(hypercall, console_write)
{
    hc_setup();
    hc_guest_str(alpha, BASE + 0x1000, "hello\n");
    struct arch_regs *next =
        hc_call(alpha, HV_OP_CONSOLE_WRITE, BASE + 0x1000, 6);
    EXPECT_PTR_EQ(next, &alpha->regs);
    EXPECT_EQ(hc_status(alpha), 6);
    EXPECT_STREQ(fake_output(), "[alpha] hello\r\n");
}

TEST(hypercall, console_write_partial_lines)
{
    hc_setup();
    hc_guest_str(alpha, BASE + 0x1000, "abc");
    hc_call(alpha, HV_OP_CONSOLE_WRITE, BASE + 0x1000, 3);
    EXPECT_EQ(hc_status(alpha), 3);
    EXPECT_STREQ(fake_output(), "");
    hc_guest_str(alpha, BASE + 0x2000, "def\ng");
    hc_call(alpha, HV_OP_CONSOLE_WRITE, BASE + 0x2000, 5);
    EXPECT_EQ(hc_status(alpha), 5);
    EXPECT_STREQ(fake_output(), "[alpha] abcdef\r\n");
}

TEST(hypercall, console_write_max_length)
{
    hc_setup();
    char *p = unit_vm_mem(alpha, BASE + 0x3000);
    memset(p, 'm', HV_CONSOLE_WRITE_MAX + 1);

    hc_call(alpha, HV_OP_CONSOLE_WRITE, BASE + 0x3000, HV_CONSOLE_WRITE_MAX);
    EXPECT_EQ(hc_status(alpha), HV_CONSOLE_WRITE_MAX);
    EXPECT_EQ(alpha->console.len + unit_count(fake_output(), "m"),
              (unsigned)HV_CONSOLE_WRITE_MAX);

    /* One more is refused whole: the monitor never truncates. */
    fake_output_clear();
    uint32_t pending = alpha->console.len;
    hc_call(alpha, HV_OP_CONSOLE_WRITE, BASE + 0x3000,
            HV_CONSOLE_WRITE_MAX + 1);
    EXPECT_EQ(hc_status(alpha), -HV_E2BIG);
    EXPECT_EQ(alpha->console.len, pending);
    EXPECT_STREQ(fake_output(), "");
    /* E2BIG wins over a bad pointer: nothing is looked at. */
    hc_call(alpha, HV_OP_CONSOLE_WRITE, 0, 0xffffffffu);
    EXPECT_EQ(hc_status(alpha), -HV_E2BIG);
}

/*
 * 256 newlines are 256 "[alpha] \r\n": 2.5 KiB for the UART, most of a
 * quarter second at 115200 baud, once spent spinning with interrupts
 * masked. Now a call writes only what the FIFO takes, takes only what
 * fits the guest's share of the buffer, and says so.
 */
TEST(hypercall, console_write_flood_never_waits)
{
    hc_setup();
    fake_uart_tx_fifo(32);
    memset(unit_vm_mem(alpha, BASE + 0x3000), '\n', HV_CONSOLE_WRITE_MAX);

    hc_call(alpha, HV_OP_CONSOLE_WRITE, BASE + 0x3000, HV_CONSOLE_WRITE_MAX);
    int32_t taken = hc_status(alpha);
    EXPECT_TRUE(taken > 0 && taken < HV_CONSOLE_WRITE_MAX);
    EXPECT_TRUE(fake_output_len() <= 32);
    EXPECT_EQ(fake_uart_tx_waits(), 0u);

    /* What the FIFO took left room for a few more; then its share is
     * full: nothing taken, nothing waited for. */
    hc_call(alpha, HV_OP_CONSOLE_WRITE, BASE + 0x3000 + (uint32_t)taken,
            HV_CONSOLE_WRITE_MAX - (uint32_t)taken);
    int32_t more = hc_status(alpha);
    EXPECT_TRUE(more > 0 && more <= 4);
    taken += more;
    hc_call(alpha, HV_OP_CONSOLE_WRITE, BASE + 0x3000 + (uint32_t)taken,
            HV_CONSOLE_WRITE_MAX - (uint32_t)taken);
    EXPECT_EQ(hc_status(alpha), -HV_EAGAIN);
    EXPECT_TRUE(fake_output_len() <= 32);
    EXPECT_EQ(fake_uart_tx_waits(), 0u);

    /* Another guest still gets its line in. */
    sched_set_current(beta);
    hc_guest_str(beta, BASE + 0x1000, "beta here\n");
    hc_call(beta, HV_OP_CONSOLE_WRITE, BASE + 0x1000, 10);
    EXPECT_EQ(hc_status(beta), 10);
    EXPECT_EQ(fake_uart_tx_waits(), 0u);

    /* Everything taken comes out, in order, and nothing else. */
    while (fake_uart_tx_queued() > 0) {
        fake_uart_tx_send(32);
        console_drain();
    }
    EXPECT_EQ(unit_count(fake_output(), "[alpha] \r\n"), (unsigned)taken);
    const char *tail = "[alpha] \r\n[beta] beta here\r\n";
    ASSERT_TRUE(fake_output_len() >= strlen(tail));
    EXPECT_STREQ(fake_output() + fake_output_len() - strlen(tail), tail);
    EXPECT_EQ(fake_output_len(), (size_t)taken * 10 + 18);
}

TEST(hypercall, console_write_bad_buffer)
{
    hc_setup();
    memset(unit_vm_mem(alpha, BASE), 'x', 0x10000);
    const struct {
        uint32_t gva, len;
    } bad[] = {
        {BASE - 1, 2},        /* starts below */
        {BASE - 256, 256},    /* ends right below */
        {BASE + MIB - 3, 4},  /* runs off the end */
        {BASE + MIB, 1},      /* right after */
        {0, 16},              /* unmapped */
        {0xffffff80u, 0x100}, /* wraps past 4 GiB */
        {0xffffffffu, 2},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        hc_call(alpha, HV_OP_CONSOLE_WRITE, bad[i].gva, bad[i].len);
        EXPECT_EQ(hc_status(alpha), -HV_EFAULT);
    }
    EXPECT_EQ(alpha->console.len, 0u);
    EXPECT_STREQ(fake_output(), "");

    /* The last bytes of memory are fine. */
    hc_call(alpha, HV_OP_CONSOLE_WRITE, BASE + MIB - 4, 4);
    EXPECT_EQ(hc_status(alpha), 4);
}

TEST(hypercall, console_write_wrap_into_low_guest)
{
    /* A guest at address 0: a wrapping buffer would end inside it. */
    unit_vm_setup();
    struct vm_config c = unit_vm_config("low", MIB);
    c.base_gva = 0;
    struct vm *low = vm_create(&c);
    ASSERT_TRUE(low != NULL);
    sched_set_current(low);
    hc_call(low, HV_OP_CONSOLE_WRITE, 0xffffff80u, 0x100);
    EXPECT_EQ(hc_status(low), -HV_EFAULT);
    hc_call(low, HV_OP_CONSOLE_WRITE, 0, 0x100);
    EXPECT_EQ(hc_status(low), 0x100);
}

TEST(hypercall, console_write_zero_length)
{
    hc_setup();
    hc_call(alpha, HV_OP_CONSOLE_WRITE, BASE, 0);
    EXPECT_EQ(hc_status(alpha), 0);
    /* Documented: a zero length is fine at any address. */
    hc_call(alpha, HV_OP_CONSOLE_WRITE, 0, 0);
    EXPECT_EQ(hc_status(alpha), 0);
    hc_call(alpha, HV_OP_CONSOLE_WRITE, 0xffffffffu, 0);
    EXPECT_EQ(hc_status(alpha), 0);
    EXPECT_STREQ(fake_output(), "");
}

TEST(hypercall, console_write_reads_only_own_memory)
{
    hc_setup();
    /* Same guest address, different memory: each prints its own. */
    hc_guest_str(alpha, BASE + 0x100, "mine\n");
    hc_guest_str(beta, BASE + 0x100, "NOPE\n");
    hc_call(alpha, HV_OP_CONSOLE_WRITE, BASE + 0x100, 5);
    EXPECT_STREQ(fake_output(), "[alpha] mine\r\n");
}

TEST(hypercall, yield_round_robin)
{
    hc_setup();
    struct vm *gamma = unit_vm_create("gamma", MIB);

    struct arch_regs *next = hc_call(alpha, HV_OP_YIELD, 0, 0);
    EXPECT_EQ(hc_status(alpha), 0);
    EXPECT_PTR_EQ(next, &beta->regs);
    EXPECT_PTR_EQ(sched_current(), beta);
    EXPECT_PTR_EQ(fake_last_activated(), beta);
    EXPECT_EQ(beta->arch.activations, 1);

    next = hc_call(beta, HV_OP_YIELD, 0, 0);
    EXPECT_PTR_EQ(next, &gamma->regs);
    next = hc_call(gamma, HV_OP_YIELD, 0, 0);
    EXPECT_PTR_EQ(next, &alpha->regs);
    EXPECT_PTR_EQ(sched_current(), alpha);
    EXPECT_EQ(alpha->arch.activations, 1);
    next = hc_call(alpha, HV_OP_YIELD, 0, 0);
    EXPECT_PTR_EQ(next, &beta->regs);
    EXPECT_EQ(beta->arch.activations, 2);
    EXPECT_EQ(gamma->arch.activations, 1);
}

TEST(hypercall, yield_alone)
{
    unit_vm_setup();
    struct vm *solo = unit_vm_create("solo", MIB);
    sched_set_current(solo);
    struct arch_regs *next = hc_call(solo, HV_OP_YIELD, 0, 0);
    EXPECT_PTR_EQ(next, &solo->regs);
    EXPECT_EQ(hc_status(solo), 0);
    /* No switch, so no address-space change. */
    EXPECT_EQ(solo->arch.activations, 0);
}

TEST(hypercall, yield_skips_stopped)
{
    hc_setup();
    struct vm *gamma = unit_vm_create("gamma", MIB);
    guest_stop(beta, 0, false);
    struct arch_regs *next = hc_call(alpha, HV_OP_YIELD, 0, 0);
    EXPECT_PTR_EQ(next, &gamma->regs);
}

TEST(hypercall, shutdown_frees_and_switches)
{
    hc_setup();
    uint32_t free_before = mem_free_bytes();
    struct arch_regs *next = NULL;

    EXPECT_FALSE(hc_call_halts(alpha, HV_OP_SHUTDOWN, 0));
    next = &sched_current()->regs;
    EXPECT_EQ(alpha->state, VM_STOPPED);
    EXPECT_EQ(alpha->exit_code, 0u);
    EXPECT_EQ(mem_free_bytes(), free_before + MIB);
    EXPECT_PTR_EQ(fake_last_freed(), alpha);
    EXPECT_PTR_EQ(sched_current(), beta);
    EXPECT_PTR_EQ(next, &beta->regs);
    EXPECT_EQ(fake_halt_count(), 0u);
    EXPECT_CONTAINS(fake_output(), "guest 1 'alpha' shut down with code 0");
}

TEST(hypercall, shutdown_flushes_console_first)
{
    hc_setup();
    hc_guest_str(alpha, BASE, "last words");
    hc_call(alpha, HV_OP_CONSOLE_WRITE, BASE, 10);
    EXPECT_FALSE(hc_call_halts(alpha, HV_OP_SHUTDOWN, 0));
    const char *out = fake_output();
    const char *words = strstr(out, "[alpha] last words\r\n");
    const char *down = strstr(out, "shut down");
    ASSERT_TRUE(words != NULL && down != NULL);
    EXPECT_TRUE(words < down);
}

TEST(hypercall, last_shutdown_halts_with_first_nonzero_code)
{
    hc_setup();
    EXPECT_FALSE(hc_call_halts(alpha, HV_OP_SHUTDOWN, 5));
    EXPECT_TRUE(hc_call_halts(beta, HV_OP_SHUTDOWN, 7));
    EXPECT_EQ(fake_halt_count(), 1u);
    EXPECT_EQ(fake_halt_code(), 5u);
    EXPECT_EQ(beta->state, VM_STOPPED);
    EXPECT_EQ(mem_free_bytes(), FAKE_RAM_SIZE);
    EXPECT_CONTAINS(fake_output(), "all guests have stopped (code 5)");
}

TEST(hypercall, last_shutdown_halts_with_zero)
{
    hc_setup();
    EXPECT_FALSE(hc_call_halts(alpha, HV_OP_SHUTDOWN, 0));
    EXPECT_TRUE(hc_call_halts(beta, HV_OP_SHUTDOWN, 0));
    EXPECT_EQ(fake_halt_code(), 0u);
}

TEST(hypercall, later_nonzero_code_counts_after_zero)
{
    hc_setup();
    EXPECT_FALSE(hc_call_halts(alpha, HV_OP_SHUTDOWN, 0));
    EXPECT_TRUE(hc_call_halts(beta, HV_OP_SHUTDOWN, 3));
    EXPECT_EQ(fake_halt_code(), 3u);
}

TEST(hypercall, halt_on_shutdown)
{
    unit_vm_setup();
    struct vm_config c = unit_vm_config("alpha", MIB);
    c.halt_on_shutdown = true;
    alpha = vm_create(&c);
    ASSERT_TRUE(alpha != NULL);
    beta = unit_vm_create("beta", MIB);
    sched_set_current(alpha);

    /* beta could still run, but alpha decides for the machine. */
    EXPECT_TRUE(hc_call_halts(alpha, HV_OP_SHUTDOWN, 9));
    EXPECT_EQ(fake_halt_code(), 9u);
    EXPECT_EQ(alpha->state, VM_STOPPED);
    EXPECT_EQ(beta->state, VM_RUNNABLE);
    EXPECT_CONTAINS(fake_output(), "halt-on-shutdown (code 9)");
}

TEST(hypercall, halt_on_shutdown_of_other_guest)
{
    unit_vm_setup();
    alpha = unit_vm_create("alpha", MIB);
    struct vm_config c = unit_vm_config("beta", MIB);
    c.halt_on_shutdown = true;
    beta = vm_create(&c);
    ASSERT_TRUE(beta != NULL);
    sched_set_current(alpha);

    /* alpha going does not stop the machine; beta going does, with 0. */
    EXPECT_FALSE(hc_call_halts(alpha, HV_OP_SHUTDOWN, 4));
    EXPECT_PTR_EQ(sched_current(), beta);
    EXPECT_TRUE(hc_call_halts(beta, HV_OP_SHUTDOWN, 0));
    EXPECT_EQ(fake_halt_code(), 0u);
}

TEST(hypercall, fault_reports_and_stops)
{
    hc_setup();
    uint32_t free_before = mem_free_bytes();
    struct hc_halting h = {alpha, NULL};

    EXPECT_FALSE(fake_halt_catch(hc_fault, &h));
    EXPECT_PTR_EQ(h.next, &beta->regs);
    EXPECT_PTR_EQ(sched_current(), beta);
    EXPECT_EQ(alpha->state, VM_STOPPED);
    EXPECT_EQ(alpha->exit_code, (uint32_t)HV_HALT_GUEST_FAULT);
    EXPECT_EQ(mem_free_bytes(), free_before + MIB);
    const char *out = fake_output();
    EXPECT_CONTAINS(out, "'alpha'");
    EXPECT_CONTAINS(out, "data abort");
    EXPECT_CONTAINS(out, "translation fault");
    EXPECT_CONTAINS(out, "0xdeadbee0");
    EXPECT_CONTAINS(out, "pc 0x80000104");
    EXPECT_EQ(unit_count(out, "\n"), 1u);

    /* The fault decides the exit code once every guest is gone. */
    EXPECT_TRUE(hc_call_halts(beta, HV_OP_SHUTDOWN, 0));
    EXPECT_EQ(fake_halt_code(), (uint32_t)HV_HALT_GUEST_FAULT);
}

TEST(hypercall, fault_of_halt_on_shutdown_guest)
{
    unit_vm_setup();
    struct vm_config c = unit_vm_config("alpha", MIB);
    c.halt_on_shutdown = true;
    alpha = vm_create(&c);
    ASSERT_TRUE(alpha != NULL);
    beta = unit_vm_create("beta", MIB);
    sched_set_current(alpha);

    struct hc_halting h = {alpha, NULL};
    EXPECT_TRUE(fake_halt_catch(hc_fault, &h));
    EXPECT_EQ(fake_halt_code(), (uint32_t)HV_HALT_GUEST_FAULT);
    EXPECT_CONTAINS(fake_output(), "0xdeadbee0");
}

TEST(hypercall, fault_flushes_console)
{
    hc_setup();
    hc_guest_str(alpha, BASE, "before");
    hc_call(alpha, HV_OP_CONSOLE_WRITE, BASE, 6);
    struct hc_halting h = {alpha, NULL};
    EXPECT_FALSE(fake_halt_catch(hc_fault, &h));
    EXPECT_CONTAINS(fake_output(), "[alpha] before\r\n");
}

TEST(hypercall, vm_info)
{
    hc_setup();
    sched_set_current(beta);
    struct hv_vm_info *info = unit_vm_mem(beta, BASE + 0x4000);
    memset(info, 0xee, sizeof(*info));

    hc_call(beta, HV_OP_VM_INFO, BASE + 0x4000, 0);
    EXPECT_EQ(hc_status(beta), 0);
    EXPECT_EQ(info->abi_version, HV_ABI_VERSION);
    EXPECT_EQ(info->vm_id, 2u);
    EXPECT_EQ(info->mem_base, BASE);
    EXPECT_EQ(info->mem_size, 2 * MIB);
    EXPECT_EQ(info->uptime_ns, 0u); /* no clock source */
    EXPECT_STREQ(info->name, "beta");
    for (size_t i = strlen("beta"); i < sizeof(info->name); i++) {
        EXPECT_EQ(info->name[i], 0);
    }
}

TEST(hypercall, vm_info_at_end_of_memory)
{
    hc_setup();
    uint32_t at = BASE + MIB - (uint32_t)sizeof(struct hv_vm_info);
    hc_call(alpha, HV_OP_VM_INFO, at, 0);
    EXPECT_EQ(hc_status(alpha), 0);
    const struct hv_vm_info *info = unit_vm_mem(alpha, at);
    EXPECT_EQ(info->vm_id, 1u);
}

TEST(hypercall, vm_info_unaligned)
{
    hc_setup();
    uint8_t *p = unit_vm_mem(alpha, BASE + 0x4000);
    memset(p, 0xee, 64);
    const uint32_t offsets[] = {1, 2, 4, 7};
    for (size_t i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
        hc_call(alpha, HV_OP_VM_INFO, BASE + 0x4000 + offsets[i], 0);
        EXPECT_EQ(hc_status(alpha), -HV_EINVAL);
    }
    /* Misaligned and outside: misalignment is what is reported. */
    hc_call(alpha, HV_OP_VM_INFO, 0x4, 0);
    EXPECT_EQ(hc_status(alpha), -HV_EINVAL);
    size_t touched = 0;
    for (size_t i = 0; i < 64; i++) {
        touched += p[i] != 0xee;
    }
    EXPECT_EQ(touched, 0u);
}

TEST(hypercall, vm_info_outside)
{
    hc_setup();
    uint8_t *tail = unit_vm_mem(alpha, BASE + MIB - 32);
    memset(tail, 0xee, 32);
    /* Aligned, but the 40 bytes run off the end. */
    hc_call(alpha, HV_OP_VM_INFO, BASE + MIB - 32, 0);
    EXPECT_EQ(hc_status(alpha), -HV_EFAULT);
    for (size_t i = 0; i < 32; i++) {
        EXPECT_EQ(tail[i], 0xee);
    }
    hc_call(alpha, HV_OP_VM_INFO, BASE - 8, 0);
    EXPECT_EQ(hc_status(alpha), -HV_EFAULT);
    hc_call(alpha, HV_OP_VM_INFO, 0, 0);
    EXPECT_EQ(hc_status(alpha), -HV_EFAULT);
    hc_call(alpha, HV_OP_VM_INFO, 0xfffffff8u, 0);
    EXPECT_EQ(hc_status(alpha), -HV_EFAULT);
}

/* A buffer may end with the last byte of the address space. */
TEST(hypercall, vm_info_at_top_of_address_space)
{
    unit_vm_setup();
    struct vm_config c = unit_vm_config("top", MIB);
    c.base_gva = 0xfff00000u;
    struct vm *top = vm_create(&c);
    ASSERT_TRUE(top != NULL);
    sched_set_current(top);
    uint32_t at = 0u - (uint32_t)sizeof(struct hv_vm_info);
    hc_call(top, HV_OP_VM_INFO, at, 0);
    EXPECT_EQ(hc_status(top), 0);
}

TEST(hypercall, vm_info_into_page_tables)
{
    hc_setup();
    const struct hv_start_info *si = unit_vm_mem(alpha, BASE + MIB - 4096);
    uint32_t l1_gva = BASE + (si->pt_l1 - si->mem_phys);
    /* The guest may read its tables but not have them written for it. */
    hc_call(alpha, HV_OP_VM_INFO, l1_gva, 0);
    EXPECT_EQ(hc_status(alpha), -HV_EFAULT);
}

static uint64_t hc_ticks;

static uint64_t hc_counter(void)
{
    return hc_ticks;
}

TEST(hypercall, clock_read)
{
    hc_setup();
    hc_call(alpha, HV_OP_CLOCK_READ, 0, 0);
    EXPECT_EQ(hc_status(alpha), 0);
    EXPECT_EQ(alpha->regs.r[1], 0u);
    EXPECT_EQ(alpha->regs.r[2], 0u);

    /* 2^32 + 5 ticks at 1 MHz: 4294967301 us. */
    hc_ticks = 0x100000005ull;
    static const struct timer_dev dev = {.counter = hc_counter, .hz = 1000000};
    clock_set_source(&dev);
    hc_call(alpha, HV_OP_CLOCK_READ, 0, 0);
    uint64_t ns = 4294967301000ull;
    EXPECT_EQ(hc_status(alpha), 0);
    EXPECT_EQ(alpha->regs.r[1], (uint32_t)ns);
    EXPECT_EQ(alpha->regs.r[2], (uint32_t)(ns >> 32));

    struct hv_vm_info *info = unit_vm_mem(alpha, BASE + 0x100);
    hc_call(alpha, HV_OP_VM_INFO, BASE + 0x100, 0);
    EXPECT_EQ(info->uptime_ns, ns);
    clock_set_source(NULL);
}

TEST(hypercall, resume_sanitizes_cpsr)
{
    hc_setup();
    /* Whatever ended up in the saved CPSR, the guest resumes in USR. */
    beta->regs.cpsr = 0x600001dfu; /* SYS, A, I, F, flags */
    struct arch_regs *next = hc_call(alpha, HV_OP_YIELD, 0, 0);
    ASSERT_TRUE(next == &beta->regs);
    EXPECT_EQ(next->cpsr, 0x60000050u); /* USR, F masked */
}

/* --- Guest page tables through hypercalls ------------------------------ */

/* Small page, normal memory, as pt_build_initial makes them. */
#define HC_PAGE_NORMAL                                                         \
    ((uint32_t)(HV_L2_SMALL | HV_L2_TEXCB(HV_TEXCB_NORMAL_WBWA) | HV_L2_NG))
#define HC_PAGE_RW (HC_PAGE_NORMAL | HV_L2_AP(HV_AP_RW))
#define HC_PAGE_RO (HC_PAGE_NORMAL | HV_L2_AP(HV_AP_PL0_RO))

/* Physical address of alpha's memory at @off, and of its initial L2
 * entry for that page (in the hardware half of its L2 frame). */
static uint32_t hc_pa(uint32_t off)
{
    return (uint32_t)pa_addr(alpha->mem_pa) + off;
}

static uint32_t hc_l2_entry(uint32_t off)
{
    const struct hv_start_info *si = unit_vm_mem(alpha, BASE + MIB - 4096);
    uint32_t page = off / 4096;
    return si->pt_l2_first + (page / 512) * 4096 + HV_MMU_L2_HW_OFFSET +
           (page % 512) * 4;
}

static uint32_t hc_l1(void)
{
    const struct hv_start_info *si = unit_vm_mem(alpha, BASE + MIB - 4096);
    return si->pt_l1;
}

/* Puts @n updates at BASE + 0x3000 and asks for them. */
static void hc_mmu_update(const struct hv_mmu_update *u, uint32_t n)
{
    memcpy(unit_vm_mem(alpha, BASE + 0x3000), u, n * sizeof(*u));
    hc_call(alpha, HV_OP_MMU_UPDATE, BASE + 0x3000, n);
}

TEST(hypercall, mmu_pin_unpin_and_map)
{
    hc_setup();
    const uint32_t off = 0x10000;
    uint8_t byte = 1;

    /* Writable at PL0: it may not become a table. */
    hc_call(alpha, HV_OP_MMU_PIN, hc_pa(off), HV_MMU_L2);
    EXPECT_EQ(hc_status(alpha), -HV_EBUSY);

    /* Read-only first, then it may. */
    const struct hv_mmu_update ro = {hc_l2_entry(off), hc_pa(off) | HC_PAGE_RO};
    hc_mmu_update(&ro, 1);
    EXPECT_EQ(hc_status(alpha), 0);
    EXPECT_EQ(alpha->regs.r[1], 1u);
    EXPECT_EQ(vm_copy_to_guest(alpha, gva_init(BASE + off), &byte, 1),
              -HV_EFAULT);
    EXPECT_EQ(vm_copy_from_guest(alpha, &byte, gva_init(BASE + off), 1), HV_OK);

    unsigned int flushes = fake_tlb_flush_count();
    hc_call(alpha, HV_OP_MMU_PIN, hc_pa(off), HV_MMU_L2);
    EXPECT_EQ(hc_status(alpha), 0);
    EXPECT_EQ(fake_tlb_flush_count(), flushes + 1);
    /* Pinned twice: busy. */
    hc_call(alpha, HV_OP_MMU_PIN, hc_pa(off), HV_MMU_L2);
    EXPECT_EQ(hc_status(alpha), -HV_EBUSY);

    /* A pinned table may not be mapped writable again ... */
    const struct hv_mmu_update rw = {hc_l2_entry(off), hc_pa(off) | HC_PAGE_RW};
    hc_mmu_update(&rw, 1);
    EXPECT_EQ(hc_status(alpha), -HV_EBUSY);
    EXPECT_EQ(alpha->regs.r[1], 0u);
    /* ... until it is unpinned. */
    hc_call(alpha, HV_OP_MMU_UNPIN, hc_pa(off), 0);
    EXPECT_EQ(hc_status(alpha), 0);
    hc_mmu_update(&rw, 1);
    EXPECT_EQ(hc_status(alpha), 0);
    EXPECT_EQ(vm_copy_to_guest(alpha, gva_init(BASE + off), &byte, 1), HV_OK);
}

/* HV_MMU_UPDATE_BY_PA: the batch by physical address, in one page of the
 * caller's own RAM. */
TEST(hypercall, mmu_update_by_physical_address)
{
    hc_setup();
    const struct hv_mmu_update u[2] = {
        {hc_l2_entry(0x20000), hc_pa(0x20000) | HC_PAGE_RO},
        {hc_l2_entry(0x21000), hc_pa(0x21000) | HC_PAGE_RO},
    };
    uint8_t byte = 1;

    memcpy(unit_vm_mem(alpha, BASE + 0x3000), u, sizeof(u));
    hc_call(alpha, HV_OP_MMU_UPDATE, hc_pa(0x3000), 2 | HV_MMU_UPDATE_BY_PA);
    EXPECT_EQ(hc_status(alpha), 0);
    EXPECT_EQ(alpha->regs.r[1], 2u);
    EXPECT_EQ(vm_copy_to_guest(alpha, gva_init(BASE + 0x21000), &byte, 1),
              -HV_EFAULT);

    /* Not alpha's RAM, or across a page: nothing applied. */
    memcpy(unit_vm_mem(beta, BASE + 0x3000), u, sizeof(u));
    hc_call(alpha, HV_OP_MMU_UPDATE, (uint32_t)pa_addr(beta->mem_pa) + 0x3000,
            1 | HV_MMU_UPDATE_BY_PA);
    EXPECT_EQ(hc_status(alpha), -HV_EFAULT);
    EXPECT_EQ(alpha->regs.r[1], 0u);
    memcpy(unit_vm_mem(alpha, BASE + 0x3ff8), u, sizeof(u));
    hc_call(alpha, HV_OP_MMU_UPDATE, hc_pa(0x3ff8), 2 | HV_MMU_UPDATE_BY_PA);
    EXPECT_EQ(hc_status(alpha), -HV_EINVAL);
    EXPECT_EQ(alpha->regs.r[1], 0u);
    hc_call(alpha, HV_OP_MMU_UPDATE, hc_pa(0x3000),
            (HV_MMU_UPDATE_MAX + 1) | HV_MMU_UPDATE_BY_PA);
    EXPECT_EQ(hc_status(alpha), -HV_E2BIG);
    hc_call(alpha, HV_OP_MMU_UPDATE, hc_pa(0x3000), HV_MMU_UPDATE_BY_PA);
    EXPECT_EQ(hc_status(alpha), 0);
}

/* HV_OP_MMU_PIN's r2: bytes the monitor clears before it checks. */
TEST(hypercall, mmu_pin_zeroes)
{
    hc_setup();
    const uint32_t off = 0x10000;
    const struct hv_mmu_update ro = {hc_l2_entry(off), hc_pa(off) | HC_PAGE_RO};
    uint32_t *frame = unit_vm_mem(alpha, BASE + off);

    hc_mmu_update(&ro, 1);
    ASSERT_EQ(hc_status(alpha), 0);
    memset(frame, 0xff, 4096); /* invalid entries everywhere */
    hc_load(alpha, HV_OP_MMU_PIN, hc_pa(off), HV_MMU_L2);
    alpha->regs.r[2] = 4097;
    fake_exception_return(hypercall_handle(alpha));
    EXPECT_EQ(hc_status(alpha), -HV_EINVAL);
    alpha->regs.r[2] = 2048;
    alpha->regs.r[0] = hc_pa(off);
    alpha->regs.r[1] = HV_MMU_L2;
    fake_exception_return(hypercall_handle(alpha));
    EXPECT_EQ(hc_status(alpha), -HV_EPERM); /* the hardware half checked */
    alpha->regs.r[2] = 4096;
    alpha->regs.r[0] = hc_pa(off);
    alpha->regs.r[1] = HV_MMU_L2;
    fake_exception_return(hypercall_handle(alpha));
    EXPECT_EQ(hc_status(alpha), 0);
    for (uint32_t i = 0; i < 1024; i++) {
        ASSERT_EQ(frame[i], 0u);
    }
}

TEST(hypercall, mmu_pin_bad_arguments)
{
    hc_setup();
    hc_call(alpha, HV_OP_MMU_PIN, hc_pa(0x10000), 3);
    EXPECT_EQ(hc_status(alpha), -HV_EINVAL);
    hc_call(alpha, HV_OP_MMU_PIN, hc_pa(0x10000) + 4, HV_MMU_L2);
    EXPECT_EQ(hc_status(alpha), -HV_EINVAL);
    /* beta's memory is not alpha's. */
    hc_call(alpha, HV_OP_MMU_PIN, (uint32_t)pa_addr(beta->mem_pa) + 0x10000,
            HV_MMU_L2);
    EXPECT_EQ(hc_status(alpha), -HV_EPERM);
    hc_call(alpha, HV_OP_MMU_UNPIN, hc_pa(0x10000), 0);
    EXPECT_EQ(hc_status(alpha), -HV_EINVAL);
}

TEST(hypercall, mmu_update_batch_stops_at_first_error)
{
    hc_setup();
    const struct hv_mmu_update u[3] = {
        {hc_l2_entry(0x20000), hc_pa(0x20000) | HC_PAGE_RO},
        {hc_l1() + 4 * 0xfe0, 0}, /* the monitor window */
        {hc_l2_entry(0x21000), hc_pa(0x21000) | HC_PAGE_RO},
    };
    hc_mmu_update(u, 3);
    EXPECT_EQ(hc_status(alpha), -HV_EPERM);
    EXPECT_EQ(alpha->regs.r[1], 1u);
    const uint32_t *e1 = fake_phys(pa_init(hc_l2_entry(0x20000)));
    EXPECT_EQ(*e1, hc_pa(0x20000) | HC_PAGE_RO);
    const uint32_t *e3 = fake_phys(pa_init(hc_l2_entry(0x21000)));
    EXPECT_EQ(*e3, hc_pa(0x21000) | HC_PAGE_RW);
}

TEST(hypercall, mmu_update_limits)
{
    hc_setup();
    hc_call(alpha, HV_OP_MMU_UPDATE, BASE + 0x3000, HV_MMU_UPDATE_MAX + 1);
    EXPECT_EQ(hc_status(alpha), -HV_E2BIG);
    EXPECT_EQ(alpha->regs.r[1], 0u);
    /* The array must be readable, all of it. */
    hc_call(alpha, HV_OP_MMU_UPDATE, BASE + MIB - 8, 2);
    EXPECT_EQ(hc_status(alpha), -HV_EFAULT);
    EXPECT_EQ(alpha->regs.r[1], 0u);
    hc_call(alpha, HV_OP_MMU_UPDATE, 0, 0);
    EXPECT_EQ(hc_status(alpha), 0);
    EXPECT_EQ(alpha->regs.r[1], 0u);
    /* Not an entry of a pinned table. */
    const struct hv_mmu_update u = {hc_pa(0x20000), 0};
    hc_mmu_update(&u, 1);
    EXPECT_EQ(hc_status(alpha), -HV_EINVAL);
}

TEST(hypercall, mmu_switch)
{
    hc_setup();
    int before = alpha->arch.activations;
    hc_call(alpha, HV_OP_MMU_SWITCH, hc_l1(), 0);
    EXPECT_EQ(hc_status(alpha), 0);
    EXPECT_EQ(alpha->arch.activations, before + 1);
    /* Its own ASID: switching flushes nothing. */
    EXPECT_EQ(fake_tlb_flush_vm_count(), 0u);
    EXPECT_TRUE(alpha->active_asid >= 1 && alpha->active_asid <= 255);
    EXPECT_EQ(alpha->active_asid, pt_asid_of(alpha->active_l1));
    EXPECT_EQ(pa_addr(alpha->active_l1), hc_l1());

    hc_call(alpha, HV_OP_MMU_SWITCH, hc_pa(0x10000), 0);
    EXPECT_EQ(hc_status(alpha), -HV_EINVAL);
    hc_call(alpha, HV_OP_MMU_SWITCH, 0, 0);
    EXPECT_EQ(hc_status(alpha), -HV_EINVAL);
    /* beta's L1 is not alpha's. */
    hc_call(alpha, HV_OP_MMU_SWITCH, (uint32_t)pa_addr(beta->active_l1), 0);
    EXPECT_EQ(hc_status(alpha), -HV_EINVAL);
    EXPECT_EQ(pa_addr(alpha->active_l1), hc_l1());

    /* The active L1 cannot be unpinned. */
    hc_call(alpha, HV_OP_MMU_UNPIN, hc_l1(), 0);
    EXPECT_EQ(hc_status(alpha), -HV_EBUSY);
}

TEST(hypercall, mmu_tlb)
{
    hc_setup();
    /* Switching gives the L1 its ASID; only then can it have entries. */
    hc_call(alpha, HV_OP_MMU_SWITCH, hc_l1(), 0);
    EXPECT_EQ(hc_status(alpha), 0);
    hc_call(alpha, HV_OP_MMU_TLB, HV_TLB_FLUSH_ALL, 0);
    EXPECT_EQ(hc_status(alpha), 0);
    EXPECT_EQ(fake_tlb_flush_vm_count(), 1u); /* its one live ASID */
    hc_call(alpha, HV_OP_MMU_TLB, HV_TLB_FLUSH_VA, 0x80001234u);
    EXPECT_EQ(hc_status(alpha), 0);
    EXPECT_EQ(fake_tlb_flush_va_count(), 1u);
    EXPECT_EQ(fake_tlb_flush_va_last(), 0x80001234u);
    /* One address space: the active one (r2 0), or a pinned L1. */
    alpha->regs.r[2] = 0;
    hc_call(alpha, HV_OP_MMU_TLB, HV_TLB_FLUSH_MM, 0);
    EXPECT_EQ(hc_status(alpha), 0);
    EXPECT_EQ(fake_tlb_flush_vm_count(), 2u);
    alpha->regs.r[2] = hc_l1();
    hc_call(alpha, HV_OP_MMU_TLB, HV_TLB_FLUSH_MM, 0);
    EXPECT_EQ(hc_status(alpha), 0);
    EXPECT_EQ(fake_tlb_flush_vm_count(), 3u);
    alpha->regs.r[2] = (uint32_t)pa_addr(beta->active_l1); /* not alpha's */
    hc_call(alpha, HV_OP_MMU_TLB, HV_TLB_FLUSH_MM, 0);
    EXPECT_EQ(hc_status(alpha), -HV_EINVAL);
    EXPECT_EQ(fake_tlb_flush_vm_count(), 3u);
    /* The window's addresses only matter to FLUSH_VA. */
    alpha->regs.r[2] = 0;
    hc_call(alpha, HV_OP_MMU_TLB, HV_TLB_FLUSH_MM, 0xfe001000u);
    EXPECT_EQ(hc_status(alpha), 0);
    hc_call(alpha, HV_OP_MMU_TLB, 3, 0);
    EXPECT_EQ(hc_status(alpha), -HV_EINVAL);
    EXPECT_EQ(fake_tlb_flush_vm_count(), 4u);
}
