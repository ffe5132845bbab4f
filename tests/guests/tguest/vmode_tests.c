/* SPDX-License-Identifier: MIT */
/*
 * A small test kernel on the virtual-mode ABI (<hvabi/vcpu.h>): it registers
 * a shared vCPU page and an upcall entry, maps a user address space in the
 * user domain, and runs little user programs (user.S) in virtual user
 * mode. Each test checks what reaches the kernel and that nothing a user
 * program does reaches the monitor or the kernel's memory.
 */
#include <hvabi/mmu.h>
#include <setjmp.h>
#include <string.h>

#include "hvtest.h"

#define USER_BASE 0x00100000u
#define USER_CODE USER_BASE
#define USER_STACK_TOP (USER_BASE + 0x2000u)
#define PTE_NORMAL (HV_L2_SMALL | HV_L2_TEXCB(HV_TEXCB_NORMAL_WBWA) | HV_L2_NG)
#define PTE_RW(pa) ((pa) | PTE_NORMAL | HV_L2_AP(HV_AP_RW))
#define PTE_RO(pa) ((pa) | PTE_NORMAL | HV_L2_AP(HV_AP_PL0_RO))
#define EXIT_SYSCALL 1u

extern const uint8_t user_syscall[], user_syscall_end[];
extern const uint8_t user_read_kernel[], user_read_kernel_end[];
extern const uint8_t user_hypercall[], user_hypercall_end[];
extern const uint8_t user_jump_kernel[], user_jump_kernel_end[];
extern const uint8_t user_privileged[], user_privileged_end[];
extern const uint8_t user_undefined[], user_undefined_end[];
extern const uint8_t user_spin[], user_spin_end[];
extern const uint8_t user_read_tls[], user_read_tls_end[];
extern const uint8_t user_write_tls[], user_write_tls_end[];
extern const uint8_t user_syscall_loop[], user_syscall_loop_end[];
extern const uint8_t user_count[], user_count_end[];
extern const uint8_t user_loop[], user_loop_end[];
extern const uint8_t user_svc_iret_number[], user_svc_iret_number_end[];
extern const uint8_t user_syscall_filled[], user_syscall_filled_end[];
extern const uint8_t user_syscall_all_filled[], user_syscall_all_filled_end[];
extern const uint8_t user_exit_now[], user_exit_now_end[];
extern void vk_entry(void);
extern void vk_entry_regs(void);
extern void vk_entry_in_place(void);
/* What vk_entry_in_place records (user.S): once, when asked. */
uint32_t vk_in_place_record;
uint32_t vk_in_place_regs[14];  /* r0-r12, lr as they came */
uint32_t vk_in_place_found[14]; /* the frame's r[0..12], orig_r0 */
extern int32_t vk_iret_with_regs(const struct hv_frame *frame,
                                 const uint32_t regs[11]);
uint32_t vk_iret_back[11]; /* r1-r11 after a refused vk_iret_with_regs */
/* r4-r12 as the last upcall to vk_entry_regs found them (user.S). */
uint32_t vk_upcall_regs[9];
extern uint32_t vk_kernel_load(uint32_t unused, uint32_t addr);
extern void vk_events_check_filled(uint32_t sp);

/* What ended the last user run, and counters. */
static struct {
    jmp_buf back;
    uint32_t kind;
    uint32_t addr;
    uint32_t status;
    struct hv_frame frame;
    uint32_t syscalls;
    uint32_t events;
    uint32_t kernel_faults;
    uint32_t kernel_fault_addr;
    int stop_on_event;
    int record_event_frame; /* if set, copy each event's frame here: */
    struct hv_frame event_frame;
    /* If set, an event upcall from user mode goes here (never returns). */
    void (*user_event)(struct hv_frame *f);
} vk;

static uint8_t vk_shared_page[4096] __attribute__((aligned(4096)));
static uint8_t vk_stack[8192] __attribute__((aligned(8)));
static uint8_t vk_user[3][4096] __attribute__((aligned(4096)));
/* Pages the hostile tests remap: a view of another frame, an edge. */
static uint8_t vk_view[4096] __attribute__((aligned(4096)));
static uint8_t vk_edge[2][4096] __attribute__((aligned(4096)));
static volatile uint32_t vk_kernel_secret = 0x5ec2e7;

static struct hv_vcpu_shared *vk_shared(void)
{
    return (struct hv_vcpu_shared *)vk_shared_page;
}

static uint32_t va_to_pa(const void *p)
{
    const struct hv_start_info *si = hvtest_start_info();
    return (uint32_t)(uintptr_t)p - si->mem_base + si->mem_phys;
}

static uint32_t pte_of(const void *va)
{
    const struct hv_start_info *si = hvtest_start_info();
    uint32_t index = ((uint32_t)(uintptr_t)va - si->mem_base) >> 12;
    return si->pt_l2_first + (index / 512) * 4096u + HV_MMU_L2_HW_OFFSET +
           (index % 512) * 4u;
}

static int32_t vk_update(uint32_t ptr, uint32_t val)
{
    struct hv_mmu_update u = {ptr, val};
    uint32_t done;
    return hv_mmu_update(&u, 1, &done);
}

void vk_upcall(struct hv_frame *f, uint32_t addr, uint32_t status,
               uint32_t kind) __attribute__((noreturn));

void vk_upcall(struct hv_frame *f, uint32_t addr, uint32_t status,
               uint32_t kind)
{
    int from_user = (f->cpsr & HV_VCPSR_MODE_MASK) == HV_VCPSR_USER;

    if (kind == HV_UPCALL_EVENT) {
        vk.events++;
        if (vk.record_event_frame) {
            vk.event_frame = *f;
        }
        __atomic_fetch_and(&vk_shared()->events_pending, ~HV_EVENT_TIMER,
                           __ATOMIC_SEQ_CST);
        if (from_user && vk.user_event) {
            vk.user_event(f);
        }
        if (!(from_user && vk.stop_on_event)) {
            hv_iret_regs(f);
        }
    } else if (kind == HV_UPCALL_SYSCALL && f->r[7] != EXIT_SYSCALL) {
        vk.syscalls++;
        f->r[0] = f->r[7] == 42 ? f->r[0] + 100 : (uint32_t)-38;
        hv_iret_regs(f);
    } else if (!from_user) {
        /* A fault in the kernel itself (or a VFP trap): skip the
         * instruction, as a uaccess fixup would. */
        vk.kernel_faults++;
        vk.kernel_fault_addr = addr;
        f->pc += 4;
        hv_iret_regs(f);
    }
    vk.kind = kind;
    vk.addr = addr;
    vk.status = status;
    vk.frame = *f;
    longjmp(vk.back, 1);
}

static struct hv_callbacks vk_callbacks;

/* The system call upcall goes to @entry from now on. */
static void vk_set_syscall_entry(void (*entry)(void))
{
    vk_callbacks.entry[HV_UPCALL_SYSCALL] = (uint32_t)(uintptr_t)entry;
    ASSERT_EQ(hv_vcpu_callbacks(&vk_callbacks), 0);
}

/* The registers in place from now on (the entry vk_entry_in_place), or
 * not (vk_entry). */
static void vk_set_in_place(int on)
{
    vk_callbacks.flags = on ? HV_CALLBACKS_REGS_IN_PLACE : 0;
    vk_set_syscall_entry(on ? vk_entry_in_place : vk_entry);
}

static void vk_setup(void)
{
    struct hv_callbacks *cb = &vk_callbacks;
    static int done;
    if (done) {
        return; /* the benchmarks set up once for several runs */
    }
    done = 1;
    for (unsigned int i = 0; i < HV_UPCALL_COUNT; i++) {
        cb->entry[i] = (uint32_t)(uintptr_t)vk_entry;
    }
    ASSERT_EQ(hv_vcpu_register(va_to_pa(vk_shared_page)), 0);
    vk_shared()->kernel_sp = (uint32_t)(uintptr_t)(vk_stack + sizeof(vk_stack));
    ASSERT_EQ(hv_vcpu_callbacks(cb), 0);

    /* User space: one L2 (vk_user[0]) with code (read-only to the user)
     * and a stack page, in the user domain at USER_BASE. */
    memset(vk_user[0], 0, 4096);
    uint32_t l2 = va_to_pa(vk_user[0]);
    ASSERT_EQ(vk_update(pte_of(vk_user[0]), PTE_RO(l2)), 0);
    hv_mmu_tlb(HV_TLB_FLUSH_ALL, 0);
    ASSERT_EQ(hv_mmu_pin(l2, HV_MMU_L2), 0);
    ASSERT_EQ(vk_update(l2 + HV_MMU_L2_HW_OFFSET, PTE_RO(va_to_pa(vk_user[1]))),
              0);
    ASSERT_EQ(
        vk_update(l2 + HV_MMU_L2_HW_OFFSET + 4, PTE_RW(va_to_pa(vk_user[2]))),
        0);
    uint32_t l1e = hvtest_start_info()->pt_l1 + (USER_BASE >> 20) * 4;
    ASSERT_EQ(vk_update(l1e, (l2 + HV_MMU_L2_HW_OFFSET) | 0x1u |
                                 (HV_MMU_DOMAIN_USER << 5)),
              0);
    hv_mmu_tlb(HV_TLB_FLUSH_ALL, 0);
}

/*
 * Runs a user program until it exits or an upcall ends it, entering it
 * with @cpsr at @pc (the program is at USER_CODE).
 */
static void vk_run_as(const uint8_t *start, const uint8_t *end, uint32_t r1,
                      uint32_t cpsr, uint32_t pc)
{
    static struct hv_frame frame;

    memcpy(vk_user[1], start, (size_t)(end - start));
    ASSERT_EQ(hv_cache(HV_CACHE_SYNC_ICACHE, (uint32_t)(uintptr_t)vk_user[1],
                       (uint32_t)(end - start)),
              0);
    memset(&frame, 0, sizeof(frame));
    frame.pc = pc;
    frame.sp = USER_STACK_TOP;
    frame.r[1] = r1;
    frame.cpsr = cpsr;
    if (setjmp(vk.back) == 0) {
        int32_t rc = hv_iret_regs(&frame);
        hvtest_fail(__FILE__, __LINE__, "hv_iret returned", (uint32_t)rc, 0, 1);
    }
}

static void vk_run(const uint8_t *start, const uint8_t *end, uint32_t r1)
{
    vk_run_as(start, end, r1, HV_VCPSR_USER, USER_CODE);
}

TEST(vmode, syscall_bounce)
{
    vk_setup();
    vk_run(user_syscall, user_syscall_end, 0);
    EXPECT_EQ(vk.kind, HV_UPCALL_SYSCALL);
    EXPECT_EQ(vk.frame.r[7], EXIT_SYSCALL);
    EXPECT_EQ(vk.frame.r[0], 101u); /* syscall 42 added 100 */
    EXPECT_EQ(vk.syscalls, 1u);
    EXPECT_EQ(vk.frame.cpsr & HV_VCPSR_MODE_MASK, HV_VCPSR_USER);
    EXPECT_EQ(vk.frame.pc, USER_CODE + 5 * 4); /* after the second svc */
    EXPECT_EQ(vk_shared()->mode, HV_VCPSR_KERNEL);
}

TEST(vmode, user_reads_kernel_memory)
{
    vk_setup();
    uint32_t secret = (uint32_t)(uintptr_t)&vk_kernel_secret;
    vk_run(user_read_kernel, user_read_kernel_end, secret);
    EXPECT_EQ(vk.kind, HV_UPCALL_DATA_ABORT);
    EXPECT_EQ(vk.addr, secret);
    EXPECT_EQ(vk.status & 0xdu, 0x9u); /* domain fault, section or page */
    EXPECT_EQ(vk.frame.pc, USER_CODE);
    EXPECT_EQ(vk.frame.cpsr & HV_VCPSR_MODE_MASK, HV_VCPSR_USER);
    EXPECT_TRUE(vk.frame.r[0] != vk_kernel_secret);
}

/* Fetching kernel code from user mode: a prefetch abort upcall with the
 * address and the frame at it. */
TEST(vmode, user_jumps_into_kernel)
{
    vk_setup();
    uint32_t target = (uint32_t)(uintptr_t)vk_kernel_load;
    vk_run(user_jump_kernel, user_jump_kernel_end, target);
    EXPECT_EQ(vk.kind, HV_UPCALL_PREFETCH_ABORT);
    EXPECT_EQ(vk.addr, target);
    EXPECT_EQ(vk.status & 0xdu, 0x9u); /* domain fault, section or page */
    EXPECT_EQ(vk.frame.pc, target);
    EXPECT_EQ(vk.frame.r[1], target);
    EXPECT_EQ(vk.frame.cpsr & HV_VCPSR_MODE_MASK, HV_VCPSR_USER);
}

TEST(vmode, user_hypercall_is_a_syscall)
{
    vk_setup();
    vk_run(user_hypercall, user_hypercall_end, 0);
    EXPECT_EQ(vk.kind, HV_UPCALL_SYSCALL);
    EXPECT_EQ(vk.frame.r[0], (uint32_t)-38); /* our kernel's ENOSYS */
    EXPECT_EQ(vk.syscalls, 1u);
}

TEST(vmode, user_cannot_mask_or_change_mode)
{
    vk_setup();
    vk_run(user_privileged, user_privileged_end, 0);
    EXPECT_EQ(vk.kind, HV_UPCALL_SYSCALL);
    EXPECT_EQ(vk.frame.cpsr & HV_VCPSR_MODE_MASK, HV_VCPSR_USER);
    EXPECT_EQ(vk.frame.cpsr & HV_VCPSR_I, 0u);
}

TEST(vmode, user_undefined_instruction)
{
    vk_setup();
    vk_run(user_undefined, user_undefined_end, 0);
    EXPECT_EQ(vk.kind, HV_UPCALL_UNDEFINED);
    EXPECT_EQ(vk.frame.pc, USER_CODE);
}

TEST(vmode, timer_event_interrupts_user)
{
    vk_setup();
    vk.stop_on_event = 1;
    ASSERT_EQ(hv_timer_set(hv_clock_read() + 20000000ull), 0);
    vk_run(user_spin, user_spin_end, 0);
    EXPECT_EQ(vk.kind, HV_UPCALL_EVENT);
    EXPECT_EQ(vk.events, 1u);
    EXPECT_EQ(vk.frame.cpsr & HV_VCPSR_MODE_MASK, HV_VCPSR_USER);
    EXPECT_TRUE(vk.frame.r[0] > 0); /* it ran before the event */
}

TEST(vmode, user_tls)
{
    vk_setup();
    vk_shared()->user_tls = 0x12345678;
    vk_run(user_read_tls, user_read_tls_end, 0);
    EXPECT_EQ(vk.kind, HV_UPCALL_SYSCALL);
    EXPECT_EQ(vk.frame.r[0], 0x12345678u);
    vk_run(user_write_tls, user_write_tls_end, 0);
    EXPECT_EQ(vk.kind, HV_UPCALL_UNDEFINED);
}

TEST(vmode, kernel_fault_fixup)
{
    vk_setup();
    vk_kernel_load(0, 0x1000);
    EXPECT_EQ(vk.kernel_faults, 1u);
    EXPECT_EQ(vk.kernel_fault_addr, 0x1000u);
    /* Events were unmasked in the interrupted frame, and are again. */
    EXPECT_EQ(vk_shared()->events_masked, 0u);
}

TEST(vmode, events_wait_for_unmask)
{
    vk_setup();
    vk_shared()->events_masked = 1;
    ASSERT_EQ(hv_timer_set(1), 0); /* already due: pending at once */
    for (volatile int i = 0; i < 2000000; i++) {
    }
    EXPECT_EQ(vk.events, 0u);
    EXPECT_EQ(vk_shared()->events_pending & HV_EVENT_TIMER, HV_EVENT_TIMER);
    vk_shared()->events_masked = 0;
    EXPECT_EQ(hv_events_check(), 0);
    EXPECT_EQ(vk.events, 1u); /* delivered before the call returned */
    EXPECT_EQ(vk_shared()->events_pending & HV_EVENT_TIMER, 0u);
}

/*
 * An event due when a hypercall from kernel mode returns enters the
 * upcall with a frame of the caller just below its sp: its registers,
 * virtual kernel mode with events unmasked, and the pc after the SVC.
 */
TEST(vmode, event_from_kernel_frames_the_caller)
{
    vk_setup();
    vk.events = 0;
    vk.record_event_frame = 1;
    vk_shared()->events_masked = 1;
    ASSERT_EQ(hv_timer_set(1), 0);
    vk_shared()->events_masked = 0;
    vk_events_check_filled(0);
    vk.record_event_frame = 0;
    ASSERT_EQ(vk.events, 1u);
    const struct hv_frame *f = &vk.event_frame;
    for (unsigned int i = 4; i < 12; i++) {
        EXPECT_EQ(f->r[i], 0x44u + (i - 4) * 0x11u);
    }
    EXPECT_EQ(f->r[12], (uint32_t)HV_OP_EVENTS_CHECK);
    EXPECT_EQ(f->cpsr & (HV_VCPSR_MODE_MASK | HV_VCPSR_I), HV_VCPSR_KERNEL);
    EXPECT_TRUE(f->pc > (uint32_t)(uintptr_t)vk_events_check_filled &&
                f->pc < (uint32_t)(uintptr_t)vk_events_check_filled + 0x60u);
    EXPECT_EQ(vk_shared()->events_masked, 0u); /* IRET put it back */
}

TEST(vmode, shared_page_cannot_be_a_table)
{
    vk_setup();
    uint32_t pa = va_to_pa(vk_shared_page);
    ASSERT_EQ(vk_update(pte_of(vk_shared_page), PTE_RO(pa)), 0);
    hv_mmu_tlb(HV_TLB_FLUSH_ALL, 0);
    EXPECT_EQ(hv_mmu_pin(pa, HV_MMU_L2), -HV_EBUSY);
    EXPECT_EQ(hv_vcpu_register(hvtest_start_info()->pt_l1), -HV_EBUSY);
    EXPECT_EQ(hv_vcpu_register(pa + 4), -HV_EINVAL);
    EXPECT_EQ(hv_vcpu_register(0x10000000u), -HV_EPERM);
}

/*
 * The syscall upcall enters the kernel with r0 = sp = the frame, r1 = the
 * pc after the SVC, r2 = 0, r3 = the kind and every other register 0:
 * nothing of the monitor's (its pointers) and nothing of the user's,
 * whose registers are all in the frame.
 */
TEST(vmode, upcall_registers_hold_nothing_of_the_monitor)
{
    vk_setup();
    memset(vk_upcall_regs, 0xee, sizeof(vk_upcall_regs));
    vk_set_syscall_entry(vk_entry_regs);
    vk_run(user_syscall_filled, user_syscall_filled_end, 0);
    vk_set_syscall_entry(vk_entry);
    EXPECT_EQ(vk.kind, HV_UPCALL_SYSCALL);
    for (unsigned int i = 0; i < 9; i++) {
        EXPECT_EQ(vk_upcall_regs[i], 0u);
    }
    /* The exit's frame: the user's registers, as it left them. */
    EXPECT_EQ(vk.frame.r[4], 0x44u);
    EXPECT_EQ(vk.frame.r[6], 0x66u);
    EXPECT_EQ(vk.frame.r[12], 0xccu);
    EXPECT_EQ(vk.frame.r[0], 101u);
    EXPECT_EQ(vk.frame.orig_r0, 101u);
    EXPECT_EQ(vk.addr, vk.frame.pc);
    EXPECT_EQ(vk.status, 0u);
}

/*
 * With the registers in place the system call entry gets the user's
 * r0-r12 as they were, lr 0, and a frame with only sp, lr, pc and cpsr
 * written: the words a kernel stores itself stay as they were. The
 * return (HV_OP_IRET with r1-r11 loaded by the kernel) gives the user
 * back every register, r0 the result.
 */
TEST(vmode, syscall_registers_in_place)
{
    vk_setup();
    vk_set_in_place(1);
    struct hv_frame *slot =
        (struct hv_frame *)((uintptr_t)(vk_stack + sizeof(vk_stack) -
                                        sizeof(struct hv_frame)) &
                            ~(uintptr_t)7);
    memset(slot, 0x5a, sizeof(*slot));
    vk_in_place_record = 1;
    vk.syscalls = 0;
    vk_run(user_syscall_all_filled, user_syscall_all_filled_end, 0);
    vk_set_in_place(0);
    EXPECT_EQ(vk_in_place_record, 0u);
    EXPECT_EQ(vk.syscalls, 1u);
    static const uint32_t user[13] = {1,  0x11, 0x22, 0x33, 0x44, 0x55, 0x66,
                                      42, 0x88, 0x99, 0xaa, 0xbb, 0xcc};
    for (unsigned int i = 0; i < 13; i++) {
        EXPECT_EQ(vk_in_place_regs[i], user[i]);
        EXPECT_EQ(vk_in_place_found[i], 0x5a5a5a5au);
    }
    EXPECT_EQ(vk_in_place_regs[13], 0u); /* lr: nothing of the monitor's */
    EXPECT_EQ(vk_in_place_found[13], 0x5a5a5a5au);
    /* The exit's frame: r0 the result, the rest as the user set them. */
    EXPECT_EQ(vk.kind, HV_UPCALL_SYSCALL);
    EXPECT_EQ(vk.frame.r[0], 101u);
    EXPECT_EQ(vk.frame.orig_r0, 101u);
    for (unsigned int i = 1; i < 13; i++) {
        EXPECT_EQ(vk.frame.r[i], i == 7 ? 1u : user[i]);
    }
    EXPECT_EQ(vk.frame.sp, USER_STACK_TOP);
    EXPECT_EQ(vk.frame.lr, 0xe0u);
    EXPECT_EQ(vk.frame.pc, USER_CODE + 17 * 4);
    EXPECT_EQ(vk.frame.cpsr & ~HV_VCPSR_FLAGS, HV_VCPSR_USER);
    EXPECT_EQ(vk.addr, vk.frame.pc);
}

/*
 * HV_OP_IRET with the registers in place takes r1-r11 from the
 * registers, r0, r12, sp, lr, pc and cpsr from the frame: the fast path
 * (a word-aligned frame) and the C path (one that is not) alike.
 */
TEST(vmode, iret_registers_in_place)
{
    static uint8_t buf[sizeof(struct hv_frame) + 8] __attribute__((aligned(8)));
    uint32_t regs[11];
    vk_setup();
    vk_set_in_place(1);
    for (unsigned int offset = 0; offset <= 2; offset += 2) {
        struct hv_frame frame;
        memset(&frame, 0, sizeof(frame));
        frame.r[0] = 0x1000u + offset;
        for (unsigned int i = 1; i < 12; i++) {
            frame.r[i] = 0xdead0000u + i; /* must not be used */
            regs[i - 1] = 0x100u * i + offset;
        }
        regs[6] = 1; /* r7: the exit */
        frame.r[12] = 0xc12u;
        frame.sp = USER_STACK_TOP;
        frame.lr = 0x1eu;
        frame.pc = USER_CODE;
        frame.cpsr = HV_VCPSR_USER;
        memcpy(vk_user[1], user_exit_now,
               (size_t)(user_exit_now_end - user_exit_now));
        ASSERT_EQ(
            hv_cache(HV_CACHE_SYNC_ICACHE, (uint32_t)(uintptr_t)vk_user[1], 4),
            0);
        memcpy(buf + offset, &frame, sizeof(frame));
        if (setjmp(vk.back) == 0) {
            int32_t rc = vk_iret_with_regs(
                (const struct hv_frame *)(void *)(buf + offset), regs);
            hvtest_fail(__FILE__, __LINE__, "IRET returned", (uint32_t)rc, 0,
                        1);
        }
        EXPECT_EQ(vk.kind, HV_UPCALL_SYSCALL);
        EXPECT_EQ(vk.frame.r[0], 0x1000u + offset);
        for (unsigned int i = 1; i < 12; i++) {
            EXPECT_EQ(vk.frame.r[i], regs[i - 1]);
        }
        EXPECT_EQ(vk.frame.r[12], 0xc12u);
        EXPECT_EQ(vk.frame.sp, USER_STACK_TOP);
        EXPECT_EQ(vk.frame.lr, 0x1eu);
        EXPECT_EQ(vk.frame.pc, USER_CODE + 4);
    }
    vk_set_in_place(0);
}

/* A refused IRET with the registers in place comes back with r1-r11 as
 * they were: an unreadable frame (the fast path's load faults), a bad
 * CPSR. */
TEST(vmode, iret_registers_in_place_refused)
{
    static struct hv_frame frame;
    uint32_t regs[11];
    vk_setup();
    vk_set_in_place(1);
    for (unsigned int i = 0; i < 11; i++) {
        regs[i] = 0x7000u + i;
    }
    memset(vk_iret_back, 0, sizeof(vk_iret_back));
    EXPECT_EQ(vk_iret_with_regs((const struct hv_frame *)0xfe010000u, regs),
              -HV_EFAULT);
    for (unsigned int i = 0; i < 11; i++) {
        EXPECT_EQ(vk_iret_back[i], regs[i]);
    }
    memset(&frame, 0, sizeof(frame));
    frame.pc = USER_CODE;
    frame.cpsr = HV_VCPSR_USER | (1u << 6); /* F */
    memset(vk_iret_back, 0, sizeof(vk_iret_back));
    EXPECT_EQ(vk_iret_with_regs(&frame, regs), -HV_EINVAL);
    for (unsigned int i = 0; i < 11; i++) {
        EXPECT_EQ(vk_iret_back[i], regs[i]);
    }
    vk_set_in_place(0);
}

/* In virtual user mode r12 = HV_OP_IRET means nothing: a system call. */
TEST(vmode, user_svc_with_iret_number_is_a_syscall)
{
    vk_setup();
    vk.syscalls = 0;
    /* r0: a frame that would be valid, had it been an IRET. */
    vk_run(user_svc_iret_number, user_svc_iret_number_end,
           USER_STACK_TOP - (uint32_t)sizeof(struct hv_frame));
    EXPECT_EQ(vk.kind, HV_UPCALL_SYSCALL);
    EXPECT_EQ(vk.syscalls, 1u);
    EXPECT_EQ(vk.frame.r[0], (uint32_t)-38);
    EXPECT_EQ(vk.frame.r[12], 14u);
    EXPECT_EQ(vk.frame.cpsr & HV_VCPSR_MODE_MASK, HV_VCPSR_USER);
}

/*
 * An event already pending when the kernel returns to user mode with
 * events unmasked is delivered at once: the user program has not run one
 * instruction (no wake-up lost until the next interrupt).
 */
TEST(vmode, event_due_on_iret_to_user)
{
    vk_setup();
    vk.events = 0;
    vk.stop_on_event = 1;
    vk_shared()->events_masked = 1;
    ASSERT_EQ(hv_timer_set(1), 0); /* due now: pending at once */
    EXPECT_EQ(vk_shared()->events_pending & HV_EVENT_TIMER, HV_EVENT_TIMER);
    vk_run(user_count, user_count_end, 0);
    vk.stop_on_event = 0;
    EXPECT_EQ(vk.kind, HV_UPCALL_EVENT);
    EXPECT_EQ(vk.events, 1u);
    EXPECT_EQ(vk.frame.pc, USER_CODE);
    EXPECT_EQ(vk.frame.r[0], 0u);
    EXPECT_EQ(vk.frame.cpsr & HV_VCPSR_MODE_MASK, HV_VCPSR_USER);
}

/* --- Attacks on the return path --------------------------------------- */

#define PSR_IT_BITS 0x0600fc00u

/*
 * A frame's CPSR may carry IT bits (ARM state: meaningless) and its pc
 * a misaligned address: the monitor clears the one and aligns the other
 * before the return, as ARMv7 leaves both UNPREDICTABLE.
 */
/* hvtest-system: witness-last */
TEST(hostile, iret_frame_sanitized)
{
    vk_setup();
    vk_run_as(user_syscall, user_syscall_end, 0, HV_VCPSR_USER | PSR_IT_BITS,
              USER_CODE + 2);
    EXPECT_EQ(vk.kind, HV_UPCALL_SYSCALL);
    EXPECT_EQ(vk.frame.r[0], 101u);
    EXPECT_EQ(vk.frame.pc, USER_CODE + 5 * 4);
    EXPECT_EQ(vk.frame.cpsr & PSR_IT_BITS, 0u);
}

/*
 * HV_OP_IRET reads its frame with the guest's own (PL0) rights: not from
 * a page only PL1 may read, nor from one that ends in an unmapped page.
 * Each fails with HV_EFAULT and changes nothing; the caller carries on.
 */
/* hvtest-system: witness-last */
TEST(hostile, iret_frame_by_permission)
{
    vk_setup();
    struct hv_frame good = {.pc = USER_CODE, .cpsr = HV_VCPSR_USER};
    uint32_t view = va_to_pa(vk_view);
    uint32_t edge = va_to_pa(vk_edge[1]);
    memcpy(vk_view, &good, sizeof(good));
    ASSERT_EQ(
        vk_update(pte_of(vk_view), view | PTE_NORMAL | HV_L2_AP(HV_AP_PL1_RW)),
        0);
    ASSERT_EQ(hv_mmu_tlb(HV_TLB_FLUSH_ALL, 0), 0);
    EXPECT_EQ(hv_iret((const struct hv_frame *)(void *)vk_view), -HV_EFAULT);
    ASSERT_EQ(vk_update(pte_of(vk_view), PTE_RW(view)), 0);

    /* Ten words on a mapped page, eight on an unmapped one. */
    uint8_t *straddle = vk_edge[1] - 40;
    memcpy(straddle, &good, 40);
    ASSERT_EQ(vk_update(pte_of(vk_edge[1]), 0), 0);
    ASSERT_EQ(hv_mmu_tlb(HV_TLB_FLUSH_ALL, 0), 0);
    EXPECT_EQ(hv_iret((const struct hv_frame *)(void *)straddle), -HV_EFAULT);
    ASSERT_EQ(vk_update(pte_of(vk_edge[1]), PTE_RW(edge)), 0);
    ASSERT_EQ(hv_mmu_tlb(HV_TLB_FLUSH_ALL, 0), 0);
    EXPECT_EQ(vk_shared()->mode, HV_VCPSR_KERNEL);
}

/* hvtest-system: witness-last */
TEST(hostile, cache_ops_on_foreign_addresses)
{
    static uint8_t mine[64];
    EXPECT_EQ(hv_cache(HV_CACHE_FLUSH, (uint32_t)(uintptr_t)mine, 64), 0);
    EXPECT_EQ(hv_cache(HV_CACHE_CLEAN, (uint32_t)(uintptr_t)mine, 64), 0);
    EXPECT_EQ(hv_cache(HV_CACHE_FLUSH, 0xfe010000u, 64), -HV_EFAULT);
    EXPECT_EQ(hv_cache(HV_CACHE_SYNC_ICACHE, 0x1000u, 4), -HV_EFAULT);
    EXPECT_EQ(hv_cache(HV_CACHE_CLEAN, 0x10009000u, 4), -HV_EFAULT);
    EXPECT_EQ(hv_cache(HV_CACHE_FLUSH, 0xfffffff0u, 0x20), -HV_EFAULT);
    EXPECT_EQ(
        hv_cache(HV_CACHE_FLUSH, (uint32_t)(uintptr_t)mine, HV_CACHE_MAX + 1),
        -HV_E2BIG);
    EXPECT_EQ(hv_cache(HV_CACHE_ICACHE_ALL, 0xfe010000u, 0xffffffffu), 0);
    EXPECT_EQ(hv_cache(4, (uint32_t)(uintptr_t)mine, 4), -HV_EINVAL);
}

/* hvtest-system: witness-last */
TEST(hostile, iret_unregistered)
{
    static struct hv_frame frame = {.cpsr = HV_VCPSR_USER};
    EXPECT_EQ(hv_iret(&frame), -HV_EPERM);
}

/* hvtest-system: witness-last */
TEST(hostile, iret_privileged_cpsr)
{
    static struct hv_frame frame;
    static const uint32_t bad[] = {
        0x1f,
        0x11,
        0x12,
        0x16,
        0x17,
        0x1b,
        0x1a,
        0x00,
        HV_VCPSR_USER | 0x40,       /* F */
        HV_VCPSR_USER | 0x100,      /* A */
        HV_VCPSR_USER | (1u << 24), /* J */
        HV_VCPSR_USER | (1u << 20), /* reserved */
    };
    vk_setup();
    for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        memset(&frame, 0, sizeof(frame));
        frame.pc = USER_CODE;
        frame.cpsr = bad[i];
        EXPECT_EQ(hv_iret(&frame), -HV_EINVAL);
    }
    EXPECT_EQ(hv_iret((const struct hv_frame *)0xfe010000u), -HV_EFAULT);
    EXPECT_EQ(hv_iret((const struct hv_frame *)0x1000u), -HV_EFAULT);
    static struct hv_callbacks cb = {{0}, 0, {1, 0}};
    EXPECT_EQ(hv_vcpu_callbacks(&cb), -HV_EINVAL);
    cb.reserved[0] = 0;
    cb.reserved[1] = 1;
    EXPECT_EQ(hv_vcpu_callbacks(&cb), -HV_EINVAL);
    cb.reserved[1] = 0;
    for (unsigned int bit = 1; bit < 32; bit++) {
        cb.flags = 1u << bit; /* not HV_CALLBACKS_FLAGS_KNOWN */
        EXPECT_EQ(hv_vcpu_callbacks(&cb), -HV_EINVAL);
    }
    EXPECT_EQ(hv_vcpu_callbacks((void *)0xfe010000u), -HV_EFAULT);
}

/* The monitor cannot push an upcall frame: the guest must be stopped. */
/* hvtest-system: fault upcall failed \(its kernel stack is not writable\) at address 0xfe000fb8 */
TEST(fault, bad_kernel_stack)
{
    vk_setup();
    vk_shared()->kernel_sp = 0xfe001000u;
    vk_run(user_syscall, user_syscall_end, 0);
    hvtest_fail(__FILE__, __LINE__, "the monitor should have stopped me", 0, 1,
                1);
}

/* The same with the registers in place: the fast path's four stores
 * fault, its fixup hands the upcall to the C path, which stops the guest. */
/* hvtest-system: fault upcall failed \(its kernel stack is not writable\) at address 0xfe000fb8 */
TEST(fault, bad_kernel_stack_in_place)
{
    vk_setup();
    vk_set_in_place(1);
    vk_shared()->kernel_sp = 0xfe001000u;
    vk_run(user_syscall, user_syscall_end, 0);
    hvtest_fail(__FILE__, __LINE__, "the monitor should have stopped me", 0, 1,
                1);
}

/* Upcalls from user mode get a kernel stack at the top of vk_view, made
 * a PL0-read-only (PL1-writable) view of our own first L2 table. */
static void vk_kernel_stack_on_table_view(void)
{
    vk_setup();
    ASSERT_EQ(
        vk_update(pte_of(vk_view), PTE_RO(hvtest_start_info()->pt_l2_first)),
        0);
    ASSERT_EQ(hv_mmu_tlb(HV_TLB_FLUSH_ALL, 0), 0);
    vk_shared()->kernel_sp = (uint32_t)(uintptr_t)vk_view + 4096;
}

/*
 * The upcall frame is written with the guest's own (PL0) rights: a
 * kernel sp in a page the guest may read but only PL1 may write (here a
 * view of its own L2 table, which the validator allows) cannot be
 * written: the guest is stopped, its table untouched.
 */
/* hvtest-system: fault upcall failed \(its kernel stack is not writable\) at address 0x[0-9a-f]*fb8 */
TEST(fault, upcall_frame_onto_own_page_table)
{
    vk_kernel_stack_on_table_view();
    vk_run(user_syscall, user_syscall_end, 0);
    hvtest_fail(__FILE__, __LINE__, "the monitor should have stopped me", 0, 1,
                1);
}

/* The same for an event upcall, which the C path makes (an interrupt
 * while user code runs): its frame store faults, the guest stops. */
/* hvtest-system: fault upcall failed \(its kernel stack is not writable\) at address 0x[0-9a-f]*fb8 */
TEST(fault, event_frame_onto_own_page_table)
{
    vk_kernel_stack_on_table_view();
    vk.stop_on_event = 1;
    ASSERT_EQ(hv_timer_set(hv_clock_read() + 2000000ull), 0);
    vk_run(user_spin, user_spin_end, 0);
    hvtest_fail(__FILE__, __LINE__, "the monitor should have stopped me", 0, 1,
                1);
}

/* A frame that starts on a writable page and ends on an unmapped one:
 * stopped as well, after the first words went to the writable page. */
/* hvtest-system: fault upcall failed \(its kernel stack is not writable\) at address 0x[0-9a-f]*fd8 */
TEST(fault, upcall_frame_half_writable)
{
    vk_setup();
    ASSERT_EQ(vk_update(pte_of(vk_edge[1]), 0), 0);
    ASSERT_EQ(hv_mmu_tlb(HV_TLB_FLUSH_ALL, 0), 0);
    vk_shared()->kernel_sp = (uint32_t)(uintptr_t)vk_edge[1] + 32;
    vk_run(user_syscall, user_syscall_end, 0);
    hvtest_fail(__FILE__, __LINE__, "the monitor should have stopped me", 0, 1,
                1);
}

/* With the registers in place: of the frame only sp, lr, pc and cpsr are
 * stored; here sp and lr land on the writable page, pc faults. Stopped. */
/* hvtest-system: fault upcall failed \(its kernel stack is not writable\) at address 0x[0-9a-f]*fc8 */
TEST(fault, upcall_frame_half_writable_in_place)
{
    vk_setup();
    vk_set_in_place(1);
    ASSERT_EQ(vk_update(pte_of(vk_edge[1]), 0), 0);
    ASSERT_EQ(hv_mmu_tlb(HV_TLB_FLUSH_ALL, 0), 0);
    vk_shared()->kernel_sp = (uint32_t)(uintptr_t)vk_edge[1] + 16;
    vk_run(user_syscall, user_syscall_end, 0);
    hvtest_fail(__FILE__, __LINE__, "the monitor should have stopped me", 0, 1,
                1);
}

/* ... and onto a view of its own page table: stopped, the table untouched. */
/* hvtest-system: fault upcall failed \(its kernel stack is not writable\) at address 0x[0-9a-f]*fb8 */
TEST(fault, upcall_frame_onto_own_page_table_in_place)
{
    vk_kernel_stack_on_table_view();
    vk_set_in_place(1);
    vk_run(user_syscall, user_syscall_end, 0);
    hvtest_fail(__FILE__, __LINE__, "the monitor should have stopped me", 0, 1,
                1);
}

/*
 * The same from kernel mode with its sp in a page only PL1 may write
 * (a view of its own L2 table): the frame store faults, the guest
 * stops, its table untouched.
 */
/* hvtest-system: fault upcall failed \(its kernel stack is not writable\) at address 0x[0-9a-f]*fb8 */
TEST(fault, event_frame_from_kernel_onto_own_page_table)
{
    vk_kernel_stack_on_table_view();
    vk_shared()->events_masked = 1;
    ASSERT_EQ(hv_timer_set(1), 0);
    vk_shared()->events_masked = 0;
    vk_events_check_filled((uint32_t)(uintptr_t)vk_view + 4096);
    hvtest_fail(__FILE__, __LINE__, "the monitor should have stopped me", 0, 1,
                1);
}

/* Roles for the benchmark and the masked-spinner attack. */
int vmode_role_masked_spinner(void);
int vmode_role_masked_spinner(void)
{
    vk_setup();
    vk_shared()->events_masked = 1;
    hv_timer_set(1);
    hv_puts("spinning with events masked\n");
    for (;;) {
    }
}

uint64_t vmode_bench_syscall(uint32_t n);
uint64_t vmode_bench_syscall(uint32_t n)
{
    vk_setup();
    uint64_t start = hv_clock_read();
    vk_run(user_syscall_loop, user_syscall_loop_end, n);
    uint64_t ns = hv_clock_read() - start;
    return vk.syscalls == n ? ns : 0;
}

/*
 * The same with the registers in place, as the PV Linux kernel runs,
 * and the least kernel (vk_entry_bench_in_place): a turn is the monitor's
 * bounce and 10 guest instructions. The run must end in the exit with
 * the loop's count at 0: every turn went round.
 */
extern void vk_entry_bench_in_place(void);
uint64_t vmode_bench_syscall_in_place(uint32_t n);
uint64_t vmode_bench_syscall_in_place(uint32_t n)
{
    vk_setup();
    vk_set_in_place(1);
    vk_set_syscall_entry(vk_entry_bench_in_place);
    vk.frame.r[1] = n;
    uint64_t start = hv_clock_read();
    vk_run(user_syscall_loop, user_syscall_loop_end, n);
    uint64_t ns = hv_clock_read() - start;
    vk_set_in_place(0);
    int done = vk.kind == HV_UPCALL_SYSCALL && vk.frame.r[7] == EXIT_SYSCALL &&
               vk.frame.r[1] == 0;
    return done ? ns : 0;
}

/* Event delivery: a due timer, the check, the upcall and the IRET back. */
uint64_t vmode_bench_event(uint32_t n, uint64_t *without_event);
uint64_t vmode_bench_event(uint32_t n, uint64_t *without_event)
{
    vk_setup();
    vk.events = 0;
    /* Same calls with events masked: the cost without the upcall. */
    vk_shared()->events_masked = 1;
    uint64_t start = hv_clock_read();
    for (uint32_t i = 0; i < n; i++) {
        hv_timer_set(1);
        hv_events_check();
    }
    *without_event = hv_clock_read() - start;
    vk_shared()->events_pending = 0;
    vk_shared()->events_masked = 0;
    start = hv_clock_read();
    for (uint32_t i = 0; i < n; i++) {
        hv_timer_set(1);
        hv_events_check();
    }
    uint64_t ns = hv_clock_read() - start;
    return vk.events == n ? ns : 0;
}

/*
 * The timer tick, as Linux's: a user program runs, and the kernel's event
 * upcall re-arms a one-shot timer @period_ns after the last deadline.
 * The same program runs once without the timer; what the ticks added,
 * per tick, is the hardware timer interrupt, the monitor's timer work,
 * the event upcall from user mode, the handler (a few instructions),
 * its HV_OP_TIMER_SET and its HV_OP_IRET back to user mode.
 */
static uint64_t vk_tick_deadline;
static uint32_t vk_tick_period;
static uint32_t vk_ticks;

static void vk_tick(struct hv_frame *f)
{
    vk_ticks++;
    vk_tick_deadline += vk_tick_period;
    hv_timer_set(vk_tick_deadline);
    hv_iret(f);
}

uint64_t vmode_bench_tick(uint32_t turns, uint32_t period_ns,
                          uint64_t *without_ticks, uint32_t *ticks);
uint64_t vmode_bench_tick(uint32_t turns, uint32_t period_ns,
                          uint64_t *without_ticks, uint32_t *ticks)
{
    vk_setup();
    vk_shared()->events_pending = 0;
    vk_shared()->events_masked = 0;
    uint64_t start = hv_clock_read();
    vk_run(user_loop, user_loop_end, turns);
    *without_ticks = hv_clock_read() - start;
    int clean = vk.kind == HV_UPCALL_SYSCALL;

    vk_ticks = 0;
    vk_tick_period = period_ns;
    vk.user_event = vk_tick;
    start = hv_clock_read();
    vk_tick_deadline = start + period_ns;
    hv_timer_set(vk_tick_deadline);
    vk_run(user_loop, user_loop_end, turns);
    uint64_t ns = hv_clock_read() - start;
    hv_timer_set(0);
    vk.user_event = NULL;
    vk_shared()->events_pending = 0;
    *ticks = vk_ticks;
    clean = clean && vk.kind == HV_UPCALL_SYSCALL;
    return clean && vk_ticks > 0 ? ns : 0;
}

TEST(vmode, block_until_timer)
{
    vk_setup();
    vk_shared()->events_masked = 1; /* wake up, but take no upcall */
    vk_shared()->events_pending = 0;
    uint64_t start = hv_clock_read();
    ASSERT_EQ(hv_timer_set(start + 1000000ull), 0);
    ASSERT_EQ(hv_block(), 0);
    uint64_t slept = hv_clock_read() - start;
    EXPECT_TRUE(slept >= 1000000ull);
    /* A one-shot deadline, not the next 10 ms slice boundary. */
    EXPECT_TRUE(slept < 6000000ull);
    EXPECT_EQ(vk_shared()->events_pending & HV_EVENT_TIMER, HV_EVENT_TIMER);
    /* Already pending: returns at once. */
    start = hv_clock_read();
    ASSERT_EQ(hv_block(), 0);
    EXPECT_TRUE(hv_clock_read() - start < 1000000ull);
    EXPECT_EQ(vk.events, 0u);
}

TEST(vmode, block_needs_shared_page)
{
    EXPECT_EQ(hv_block(), -HV_EPERM);
}

uint32_t vfp_read_fpscr(void);

/* With its VFP bit off, a VFP instruction goes to the guest kernel. */
TEST(vfp, disabled_traps_to_kernel)
{
    vk_setup();
    ASSERT_EQ(hv_vfp(HV_VFP_DISABLE), 0);
    vk.kernel_faults = 0;
    vfp_read_fpscr(); /* undefined: the handler skips it */
    EXPECT_EQ(vk.kernel_faults, 1u);
    ASSERT_EQ(hv_vfp(HV_VFP_ENABLE), 0);
    vfp_read_fpscr();
    EXPECT_EQ(vk.kernel_faults, 1u);
}

/* --- Two user tasks in two address spaces, switched by timer events ----- */

#define TASK_SWITCHES 20
#define TASK_PERIOD_NS 2000000ull

static uint8_t task_b_pages[3][4096] __attribute__((aligned(4096)));
static uint8_t task_b_l1[2 * HV_MMU_L1_SIZE]
    __attribute__((aligned(HV_MMU_L1_SIZE)));

static struct {
    struct hv_frame frame[2];
    uint32_t l1[2];
    unsigned int current;
    unsigned int switches;
} tasks;

static void tasks_on_event(struct hv_frame *f)
{
    tasks.frame[tasks.current] = *f;
    if (++tasks.switches == TASK_SWITCHES) {
        vk.kind = HV_UPCALL_EVENT;
        longjmp(vk.back, 1);
    }
    tasks.current ^= 1;
    if (hv_mmu_switch(tasks.l1[tasks.current]) != 0) {
        hvtest_error("address-space switch refused");
    }
    hv_timer_set(hv_clock_read() + TASK_PERIOD_NS);
    hv_iret(&tasks.frame[tasks.current]);
    hvtest_error("hv_iret returned");
}

static void task_frame(struct hv_frame *f)
{
    memset(f, 0, sizeof(*f));
    f->pc = USER_CODE;
    f->sp = USER_STACK_TOP;
    f->cpsr = HV_VCPSR_USER;
}

TEST(vmode, two_user_tasks_preempted)
{
    const struct hv_start_info *si = hvtest_start_info();
    size_t len = (size_t)(user_count_end - user_count);

    vk_setup();
    /* Task A: the initial tables, user space set up by vk_setup. */
    memcpy(vk_user[1], user_count, len);
    memset(vk_user[2], 0, 4096);
    /* Task B: its own L2, code and stack pages, and its own L1. */
    uint32_t l2 = va_to_pa(task_b_pages[0]);
    memset(task_b_pages[0], 0, 4096);
    memcpy(task_b_pages[1], user_count, len);
    memset(task_b_pages[2], 0, 4096);
    ASSERT_EQ(
        hv_cache(HV_CACHE_SYNC_ICACHE, (uint32_t)(uintptr_t)vk_user[1], len),
        0);
    ASSERT_EQ(hv_cache(HV_CACHE_SYNC_ICACHE,
                       (uint32_t)(uintptr_t)task_b_pages[1], len),
              0);
    ASSERT_EQ(vk_update(pte_of(task_b_pages[0]), PTE_RO(l2)), 0);
    hv_mmu_tlb(HV_TLB_FLUSH_ALL, 0);
    ASSERT_EQ(hv_mmu_pin(l2, HV_MMU_L2), 0);
    ASSERT_EQ(
        vk_update(l2 + HV_MMU_L2_HW_OFFSET, PTE_RO(va_to_pa(task_b_pages[1]))),
        0);
    ASSERT_EQ(vk_update(l2 + HV_MMU_L2_HW_OFFSET + 4,
                        PTE_RW(va_to_pa(task_b_pages[2]))),
              0);

    uint32_t *l1 = (uint32_t *)task_b_l1;
    const uint32_t *initial =
        (const uint32_t *)(uintptr_t)(si->pt_l1 - si->mem_phys + si->mem_base);
    for (uint32_t i = 0; i < 4096; i++) {
        uint32_t va = i << 20;
        l1[i] = (va >= HV_MMU_WINDOW_BASE && va < HV_MMU_WINDOW_END)
                    ? 0
                    : initial[i];
    }
    l1[USER_BASE >> 20] =
        (l2 + HV_MMU_L2_HW_OFFSET) | 0x1u | (HV_MMU_DOMAIN_USER << 5);
    for (uint32_t off = 0; off < HV_MMU_L1_SIZE; off += 4096) {
        uint32_t pa = va_to_pa(task_b_l1 + off);
        ASSERT_EQ(vk_update(pte_of(task_b_l1 + off), PTE_RO(pa)), 0);
    }
    hv_mmu_tlb(HV_TLB_FLUSH_ALL, 0);
    ASSERT_EQ(hv_mmu_pin(va_to_pa(l1), HV_MMU_L1), 0);

    tasks.l1[0] = si->pt_l1;
    tasks.l1[1] = va_to_pa(l1);
    task_frame(&tasks.frame[0]);
    task_frame(&tasks.frame[1]);
    vk.user_event = tasks_on_event;
    ASSERT_EQ(hv_timer_set(hv_clock_read() + TASK_PERIOD_NS), 0);
    if (setjmp(vk.back) == 0) {
        hv_iret(&tasks.frame[0]);
        hvtest_fail(__FILE__, __LINE__, "hv_iret returned", 0, 0, 1);
    }
    vk.user_event = NULL;
    ASSERT_EQ(hv_mmu_switch(si->pt_l1), 0);

    /* Both ran, each counting in its own stack page at the same VA. */
    uint32_t a = *(volatile uint32_t *)(vk_user[2] + 4092);
    uint32_t b = *(volatile uint32_t *)(task_b_pages[2] + 4092);
    hv_printf("tasks: A counted %lu, B counted %lu over %u switches\n",
              (unsigned long)a, (unsigned long)b, TASK_SWITCHES);
    EXPECT_TRUE(a > 1000);
    EXPECT_TRUE(b > 1000);
    /* The counter in r0 is one ahead if the event came between its add
     * and its store. */
    EXPECT_TRUE(tasks.frame[0].r[0] - a <= 1);
    EXPECT_TRUE(tasks.frame[1].r[0] - b <= 1);
    EXPECT_EQ(tasks.switches, (unsigned)TASK_SWITCHES);
}

/* CP15 reads the monitor emulates, and one it must not. */
TEST(cp15, id_registers_emulated)
{
    uint32_t midr;
    uint32_t ctr;
    uint32_t mpidr;
    uint32_t mmfr0;
    uint32_t isar0;
    uint32_t clidr;
    __asm__ volatile("mrc p15, 0, %0, c0, c0, 0" : "=r"(midr));
    __asm__ volatile("mrc p15, 0, %0, c0, c0, 1" : "=r"(ctr));
    __asm__ volatile("mrc p15, 0, %0, c0, c0, 5" : "=r"(mpidr));
    __asm__ volatile("mrc p15, 0, %0, c0, c1, 4" : "=r"(mmfr0));
    __asm__ volatile("mrc p15, 0, %0, c0, c2, 0" : "=r"(isar0));
    __asm__ volatile("mrc p15, 1, %0, c0, c0, 1" : "=r"(clidr));
    hv_printf("cp15: MIDR 0x%08lx CTR 0x%08lx MPIDR 0x%08lx\n",
              (unsigned long)midr, (unsigned long)ctr, (unsigned long)mpidr);
    EXPECT_EQ(midr >> 24, 0x41u); /* ARM */
    EXPECT_TRUE(((midr >> 4) & 0xfffu) == 0xc09u ||
                ((midr >> 4) & 0xfffu) == 0xc08u ||
                ((midr >> 4) & 0xfffu) == 0xc0fu); /* Cortex-A9, A8, A15 */
    EXPECT_TRUE(ctr != 0);
    EXPECT_EQ(mpidr, 0xc0000000u);
    EXPECT_TRUE(mmfr0 != 0);
    EXPECT_TRUE(isar0 != 0);
    EXPECT_TRUE(clidr != 0);
    /* A conditional read whose condition fails writes nothing. */
    uint32_t untouched = 0xabcd0123u;
    __asm__ volatile("cmp %0, %0\n\tmrcne p15, 0, %0, c0, c0, 0"
                     : "+r"(untouched)
                     :
                     : "cc");
    EXPECT_EQ(untouched, 0xabcd0123u);
    uint32_t taken = 0;
    __asm__ volatile("cmp %0, %0\n\tmrceq p15, 0, %0, c0, c0, 0"
                     : "+r"(taken)
                     :
                     : "cc");
    EXPECT_EQ(taken, midr);
}

TEST(cp15, control_registers_stay_privileged)
{
    uint32_t value = 0x12345678;
    vk_setup();
    vk.kernel_faults = 0;
    /* Reading SCTLR and TTBR0: undefined, the kernel handler skips them. */
    /* "memory": the upcall handler changes vk behind the compiler. */
    __asm__ volatile("mrc p15, 0, %0, c1, c0, 0" : "+r"(value) : : "memory");
    __asm__ volatile("mrc p15, 0, %0, c2, c0, 0" : "+r"(value) : : "memory");
    EXPECT_EQ(vk.kernel_faults, 2u);
    EXPECT_EQ(value, 0x12345678u);
}
