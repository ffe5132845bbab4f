/* SPDX-License-Identifier: MIT */
/*
 * The fake architecture itself: its register conventions must be those of
 * hv/arch/arm32/cpu.c, or every other test checks the wrong thing.
 */
#include <arch/fake.h>
#include <string.h>

#include "hv/arch.h"
#include "hv/console.h"
#include "unit.h"

TEST(fake, regs_init_arm_entry)
{
    struct arch_regs regs;
    memset(&regs, 0x77, sizeof(regs));

    arch_regs_init(&regs, 0x80000100u, 0x800ff000u, 0x800ff000u);
    EXPECT_EQ(regs.pc, 0x80000100u);
    EXPECT_EQ(arch_regs_pc(&regs), 0x80000100u);
    EXPECT_EQ(regs.sp, 0x800ff000u);
    EXPECT_EQ(regs.r[0], 0x800ff000u);
    EXPECT_EQ(regs.cpsr, 0x50u); /* USR, FIQ masked: hv uses none */
    for (int i = 1; i < 13; i++) {
        EXPECT_EQ(regs.r[i], 0u);
    }
    EXPECT_EQ(regs.lr, 0u);
}

TEST(fake, regs_init_thumb_entry)
{
    struct arch_regs regs;

    arch_regs_init(&regs, 0x80000101u, 0, 0);
    EXPECT_EQ(regs.pc, 0x80000100u);
    EXPECT_EQ(regs.cpsr, 0x70u);
}

TEST(fake, regs_hypercall_convention)
{
    struct arch_regs regs = {0};

    for (unsigned int i = 0; i < 13; i++) {
        regs.r[i] = 100 + i;
    }
    EXPECT_EQ(arch_regs_hypercall_op(&regs), 112u);
    for (unsigned int i = 0; i < 4; i++) {
        EXPECT_EQ(arch_regs_arg(&regs, i), 100 + i);
    }
    EXPECT_EQ(arch_regs_arg(&regs, 4), 0u);

    arch_regs_set_result(&regs, 0, 0xfffffff2u);
    arch_regs_set_result(&regs, 3, 33);
    arch_regs_set_result(&regs, 4, 44); /* not a result register */
    EXPECT_EQ(regs.r[0], 0xfffffff2u);
    EXPECT_EQ(regs.r[3], 33u);
    EXPECT_EQ(regs.r[4], 104u);
}

TEST(fake, regs_sanitize)
{
    struct arch_regs regs = {0};

    regs.cpsr = 0xffffffffu;
    arch_regs_sanitize(&regs);
    EXPECT_EQ(regs.cpsr, 0xfe0ffe70u);

    /* SVC mode with A, I and F set: back to USR, F alone kept. */
    regs.cpsr = 0x1d3u;
    arch_regs_sanitize(&regs);
    EXPECT_EQ(regs.cpsr, 0x50u);

    /* Flags, GE, E and T survive; F is set even when it was clear. */
    regs.cpsr = 0xf00f0230u;
    arch_regs_sanitize(&regs);
    EXPECT_EQ(regs.cpsr, 0xf00f0270u);
}

/* IT state bits of a CPSR: IT[1:0] at 26:25, IT[7:2] at 15:10. */
static uint32_t it_bits(uint32_t it)
{
    return (it & 3u) << 25 | (it >> 2) << 10;
}

TEST(fake, regs_condition_passed)
{
    const uint32_t z = 1u << 30;
    EXPECT_TRUE(arch_regs_condition_passed(0x0, z));  /* EQ */
    EXPECT_FALSE(arch_regs_condition_passed(0x1, z)); /* NE */
    EXPECT_FALSE(arch_regs_condition_passed(0x0, 0));
    EXPECT_TRUE(arch_regs_condition_passed(0x1, 0));
    EXPECT_TRUE(arch_regs_condition_passed(0xe, 0)); /* AL */
}

/*
 * An SVC inside an IT block, seen after the exception advanced the IT
 * state: stepping back gives the state the SVC itself ran under.
 */
TEST(fake, regs_it_before_svc)
{
    const uint32_t t = 1u << 5;
    const uint32_t z = 1u << 30;
    struct arch_regs regs = {0};

    /* "ite eq; svceq; movne": IT is 0x0c at the SVC (EQ, one else to
     * come), 0x18 after ITAdvance (movne's). Z set: the SVC's EQ held. */
    regs.cpsr = 0x10u | t | z | it_bits(0x18);
    arch_regs_it_before_svc(&regs);
    EXPECT_EQ(regs.cpsr, 0x10u | t | z | it_bits(0x0c));

    /* "itte ne; x; svcne; moveq": IT is 0x14 at the SVC (NE), 0x08 after
     * (moveq's). Z clear: the bit the advance lost was 1. */
    regs.cpsr = 0x10u | t | it_bits(0x08);
    arch_regs_it_before_svc(&regs);
    EXPECT_EQ(regs.cpsr, 0x10u | t | it_bits(0x14));

    /* The SVC was the block's last (or outside one): IT 0 stays 0. */
    regs.cpsr = 0x10u | t;
    arch_regs_it_before_svc(&regs);
    EXPECT_EQ(regs.cpsr, 0x10u | t);

    /* ARM state has no IT state: nothing changes. */
    regs.cpsr = 0x10u | z;
    arch_regs_it_before_svc(&regs);
    EXPECT_EQ(regs.cpsr, 0x10u | z);
}

TEST(fake, boot_ptr_bounds)
{
    uint8_t *base = arch_mm_boot_ptr(pa_init(FAKE_RAM_BASE), 1);
    ASSERT_TRUE(base != NULL);
    EXPECT_PTR_EQ(fake_phys(pa_init(FAKE_RAM_BASE)), base);
    EXPECT_PTR_EQ(arch_mm_boot_ptr(pa_init(FAKE_RAM_BASE), FAKE_RAM_SIZE),
                  base);
    EXPECT_PTR_EQ(
        arch_mm_boot_ptr(pa_init(FAKE_RAM_BASE + FAKE_RAM_SIZE - 1), 1),
        base + FAKE_RAM_SIZE - 1);
    EXPECT_PTR_EQ(arch_mm_boot_ptr(pa_init(FAKE_RAM_BASE), FAKE_RAM_SIZE + 1),
                  NULL);
    EXPECT_PTR_EQ(arch_mm_boot_ptr(pa_init(FAKE_RAM_BASE - 1), 1), NULL);
    EXPECT_PTR_EQ(arch_mm_boot_ptr(pa_init(FAKE_RAM_BASE + FAKE_RAM_SIZE), 0),
                  NULL);
    EXPECT_PTR_EQ(arch_mm_boot_ptr(pa_init(FAKE_RAM_BASE + 16), (size_t)-1),
                  NULL);

    EXPECT_EQ(arch_mm_boot_reach(pa_init(FAKE_RAM_BASE)), FAKE_RAM_SIZE);
    EXPECT_EQ(arch_mm_boot_reach(pa_init(FAKE_RAM_BASE + 0x1000)),
              FAKE_RAM_SIZE - 0x1000);
    EXPECT_EQ(arch_mm_boot_reach(pa_init(FAKE_RAM_BASE + FAKE_RAM_SIZE)), 0u);
    EXPECT_EQ(arch_mm_boot_reach(pa_init(0)), 0u);
}

TEST(fake, map_device_slots)
{
    uint8_t *uart = arch_mm_map_device(pa_init(0x10009000u), 4096);
    ASSERT_TRUE(uart != NULL);
    /* The same page again is the same slot. */
    EXPECT_PTR_EQ(arch_mm_map_device(pa_init(0x10009100u), 16), uart + 0x100);
    EXPECT_EQ(fake_device_slots_used(), 1u);
    EXPECT_PTR_EQ(arch_mm_map_device(pa_init(0x10009ff0u), 32), NULL);
    EXPECT_PTR_EQ(arch_mm_map_device(pa_init(0x1000a000u), 0), NULL);
    for (unsigned int i = 1; i < FAKE_DEVICE_SLOTS; i++) {
        EXPECT_TRUE(arch_mm_map_device(pa_init(0x20000000u + i * 4096), 4));
    }
    EXPECT_PTR_EQ(arch_mm_map_device(pa_init(0x30000000u), 4), NULL);
}

TEST(fake, phys_ptr_is_ram)
{
    uint8_t *ram = fake_phys(pa_init(FAKE_RAM_BASE + 0x5000));
    ASSERT_TRUE(ram != NULL);
    memcpy(ram, "abcdefgh", 8);

    uint8_t *p = arch_mm_phys_ptr(pa_init(FAKE_RAM_BASE + 0x5002), 4);
    ASSERT_TRUE(p != NULL);
    EXPECT_EQ(memcmp(p, "cdef", 4), 0);
    /* Both ways: it is the same memory, not a copy. */
    p[0] = 'X';
    EXPECT_EQ(ram[2], 'X');
    ram[3] = 'Y';
    EXPECT_EQ(p[1], 'Y');
}

TEST(fake, phys_ptr_up_to_16k)
{
    uint32_t *l1 = arch_mm_phys_ptr(pa_init(FAKE_RAM_BASE + 0x8000), 16384);
    ASSERT_TRUE(l1 != NULL);
    l1[4095] = 0x12345678u;
    uint32_t *ram = fake_phys(pa_init(FAKE_RAM_BASE + 0x8000 + 4095 * 4));
    EXPECT_EQ(*ram, 0x12345678u);
}

TEST(fake, phys_ptr_stale_pointer_aliases_next_mapping)
{
    /* Valid until the next call, as on arm32: then the same address
     * reaches whatever the slot maps now. */
    uint32_t *a = fake_phys(pa_init(FAKE_RAM_BASE));
    uint32_t *b = fake_phys(pa_init(FAKE_RAM_BASE + 0x10000));
    *a = 0xaaaaaaaau;
    *b = 0xbbbbbbbbu;
    uint32_t *p = arch_mm_phys_ptr(pa_init(FAKE_RAM_BASE), 4);
    EXPECT_EQ(*p, 0xaaaaaaaau);
    uint32_t *q = arch_mm_phys_ptr(pa_init(FAKE_RAM_BASE + 0x10000), 4);
    EXPECT_PTR_EQ(p, q);
    EXPECT_EQ(*p, 0xbbbbbbbbu);
}

TEST(fake, fill_window)
{
    uint32_t *l1 = unit_alloc(16384);
    for (unsigned int i = 0; i < 4096; i++) {
        l1[i] = 0x11u;
    }
    arch_mm_fill_window(l1);
    EXPECT_EQ(l1[0xfdf], 0x11u);
    EXPECT_EQ(l1[0xfe0], FAKE_WINDOW_L1(0xfe0));
    EXPECT_EQ(l1[0xfe0], 0xfe000412u);
    EXPECT_EQ(l1[0xfef], FAKE_WINDOW_L1(0xfef));
    EXPECT_EQ(l1[0xff0], 0x11u);
}

static void fake_test_halt(void *ctx)
{
    arch_halt(*(uint32_t *)ctx);
}

static void fake_test_no_halt(void *ctx)
{
    *(int *)ctx = 1;
}

TEST(fake, halt_catch)
{
    uint32_t code = 42;
    int ran = 0;

    EXPECT_TRUE(fake_halt_catch(fake_test_halt, &code));
    EXPECT_EQ(fake_halt_code(), 42u);
    EXPECT_EQ(fake_halt_count(), 1u);
    EXPECT_FALSE(fake_halt_catch(fake_test_no_halt, &ran));
    EXPECT_EQ(ran, 1);
    EXPECT_EQ(fake_halt_count(), 1u);
    code = 7;
    EXPECT_TRUE(fake_halt_catch(fake_test_halt, &code));
    EXPECT_EQ(fake_halt_code(), 7u);
    EXPECT_EQ(fake_halt_count(), 2u);
}

TEST(fake, output_capture)
{
    /* No UART yet: dlog goes to the debug channel, unchanged. */
    dlog("early %d", 1);
    EXPECT_STREQ(fake_output(), "hv: early 1\n");
    EXPECT_EQ(fake_debug_chars(), fake_output_len());

    fake_output_clear();
    EXPECT_STREQ(fake_output(), "");
    fake_console_capture();
    dlog("late");
    EXPECT_STREQ(fake_output(), "hv: late\r\n");
    EXPECT_EQ(fake_debug_chars(), 0u);
}
