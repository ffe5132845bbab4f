/* SPDX-License-Identifier: MIT */
/* Hypercalls: results and documented errors for every bad argument. */
#include <string.h>

#include "hvtest.h"

#define MONITOR_ADDR 0xfe010000u

static uint32_t guest_base(void)
{
    return hvtest_start_info()->mem_base;
}

static uint32_t guest_end(void)
{
    return hvtest_start_info()->mem_base + hvtest_start_info()->mem_size;
}

TEST(hypercall, version)
{
    EXPECT_EQ(hv_version(), HV_ABI_VERSION);
    EXPECT_EQ(HV_ABI_VERSION_GET_MAJOR(hv_version()), HV_ABI_VERSION_MAJOR);
}

TEST(hypercall, features)
{
    uint32_t bits = 0;
    EXPECT_EQ(hv_features(0, &bits), 0);
    EXPECT_TRUE(bits & (1u << HV_FEAT_CONSOLE_WRITE));
    EXPECT_TRUE(bits & (1u << HV_FEAT_YIELD));
    EXPECT_TRUE(bits & (1u << HV_FEAT_CLOCK));
    EXPECT_TRUE(bits & (1u << HV_FEAT_VM_INFO));
    EXPECT_EQ(hv_features(HV_FEATURE_WORDS, &bits), -HV_ERANGE);
    EXPECT_EQ(hv_features(0xffffffffu, &bits), -HV_ERANGE);
}

TEST(hypercall, unknown_number)
{
    EXPECT_EQ(hv_call(HV_OP_COUNT, 0, 0, 0, 0, 0, 0, 0), -HV_ENOSYS);
    EXPECT_EQ(hv_call(0x1000, 1, 2, 3, 4, 0, 0, 0), -HV_ENOSYS);
    EXPECT_EQ(hv_call(0xffffffffu, 0, 0, 0, 0, 0, 0, 0), -HV_ENOSYS);
}

/* The SVC immediate QEMU uses for semihosting is an ordinary hypercall
 * from USR mode: it must not reach the debugger or stop the machine. */
TEST(hypercall, semihosting_svc_is_contained)
{
    register uint32_t r0 __asm__("r0") = 0x18; /* SYS_EXIT */
    register uint32_t r1 __asm__("r1") = 0x20026;
    register uint32_t r12 __asm__("r12") = 0xdead;
    __asm__ volatile("svc 0x123456"
                     : "+r"(r0), "+r"(r1)
                     : "r"(r12)
                     : "r2", "r3", "memory");
    EXPECT_EQ(r0, -HV_ENOSYS);
}

TEST(hypercall, preserves_registers)
{
    register uint32_t r4 __asm__("r4") = 0x44444444;
    register uint32_t r8 __asm__("r8") = 0x88888888;
    register uint32_t r12 __asm__("r12") = HV_OP_VERSION;
    register uint32_t r0 __asm__("r0") = 0;
    __asm__ volatile("svc #0"
                     : "+r"(r0), "+r"(r4), "+r"(r8), "+r"(r12)
                     :
                     : "r1", "r2", "r3", "memory");
    EXPECT_EQ(r0, HV_ABI_VERSION);
    EXPECT_EQ(r4, 0x44444444u);
    EXPECT_EQ(r8, 0x88888888u);
    EXPECT_EQ(r12, HV_OP_VERSION);
}

TEST(console, write_ok)
{
    static const char msg[] = "console write test line\n";
    EXPECT_EQ(hv_console_write(msg, sizeof(msg) - 1), sizeof(msg) - 1);
    EXPECT_EQ(hv_console_write(0, 0), 0);
    static char full[HV_CONSOLE_WRITE_MAX];
    memset(full, 'x', sizeof(full));
    full[sizeof(full) - 1] = '\n';
    EXPECT_EQ(hv_console_write(full, sizeof(full)), HV_CONSOLE_WRITE_MAX);
}

TEST(console, too_long)
{
    static char big[HV_CONSOLE_WRITE_MAX + 1];
    memset(big, 'y', sizeof(big));
    EXPECT_EQ(hv_console_write(big, sizeof(big)), -HV_E2BIG);
    EXPECT_EQ(hv_console_write(big, 0xffffffffu), -HV_E2BIG);
}

TEST(console, pointer_into_monitor)
{
    EXPECT_EQ(hv_console_write((void *)MONITOR_ADDR, 16), -HV_EFAULT);
    EXPECT_EQ(hv_console_write((void *)0xfe000000u, 1), -HV_EFAULT);
    EXPECT_EQ(hv_console_write((void *)0xfdfffff8u, 16), -HV_EFAULT);
}

/* hvtest-system: own */
TEST(console, pointer_into_other_guest)
{
    uint32_t other;
    if (!hv_cmdline_get_u32(hvtest_start_info()->cmdline, "other", &other)) {
        hvtest_error("needs other=<base of the other guest>");
    }
    EXPECT_EQ(hv_console_write((void *)other, 16), -HV_EFAULT);
    EXPECT_EQ(hv_console_write((void *)(other + 0x1000), 1), -HV_EFAULT);
}

TEST(console, pointer_unmapped)
{
    EXPECT_EQ(hv_console_write((void *)0x1000, 8), -HV_EFAULT);
    EXPECT_EQ(hv_console_write((void *)(guest_base() - 4), 8), -HV_EFAULT);
    EXPECT_EQ(hv_console_write((void *)(guest_end() - 4), 8), -HV_EFAULT);
    EXPECT_EQ(hv_console_write((void *)guest_end(), 1), -HV_EFAULT);
}

TEST(console, pointer_wraps)
{
    EXPECT_EQ(hv_console_write((void *)0xfffffff0u, 32), -HV_EFAULT);
    EXPECT_EQ(hv_console_write((void *)0xffffffffu, 2), -HV_EFAULT);
}

TEST(vm_info, ok)
{
    static struct hv_vm_info info __attribute__((aligned(8)));
    EXPECT_EQ(hv_vm_info(&info), 0);
    EXPECT_EQ(info.abi_version, HV_ABI_VERSION);
    EXPECT_EQ(info.vm_id, hvtest_start_info()->vm_id);
    EXPECT_EQ(info.mem_base, guest_base());
    EXPECT_EQ(info.mem_size, hvtest_start_info()->mem_size);
    EXPECT_TRUE(info.name[0] != '\0');
    EXPECT_EQ(info.name[HV_VM_NAME_MAX - 1], 0);
}

TEST(vm_info, unaligned)
{
    static uint8_t buf[64] __attribute__((aligned(8)));
    EXPECT_EQ(hv_vm_info((struct hv_vm_info *)(buf + 4)), -HV_EINVAL);
    EXPECT_EQ(hv_vm_info((struct hv_vm_info *)(buf + 1)), -HV_EINVAL);
    /* Misalignment is reported even for an address that is also bad. */
    EXPECT_EQ(hv_vm_info((struct hv_vm_info *)(MONITOR_ADDR + 4)), -HV_EINVAL);
}

TEST(vm_info, bad_pointer)
{
    EXPECT_EQ(hv_vm_info((struct hv_vm_info *)MONITOR_ADDR), -HV_EFAULT);
    EXPECT_EQ(hv_vm_info((struct hv_vm_info *)0x1000), -HV_EFAULT);
    /* Starts inside guest memory, ends past it. */
    EXPECT_EQ(hv_vm_info((struct hv_vm_info *)(guest_end() - 8)), -HV_EFAULT);
    EXPECT_EQ(hv_vm_info((struct hv_vm_info *)0xfffffff8u), -HV_EFAULT);
}

TEST(clock, monotonic)
{
    uint64_t a = hv_clock_read();
    for (volatile int i = 0; i < 100000; i++) {
    }
    uint64_t b = hv_clock_read();
    EXPECT_TRUE(b > a);
    EXPECT_TRUE(a > 0);
}

TEST(sched, yield)
{
    for (int i = 0; i < 10; i++) {
        EXPECT_EQ(hv_yield(), 0);
    }
}

TEST(start_info, contents)
{
    const struct hv_start_info *si = hvtest_start_info();
    EXPECT_EQ(si->magic, HV_START_INFO_MAGIC);
    EXPECT_EQ(si->abi_version, HV_ABI_VERSION);
    EXPECT_TRUE(si->vm_id >= 1);
    EXPECT_EQ((uint32_t)(uintptr_t)si, guest_end() - 4096);
    EXPECT_TRUE(strstr(si->cmdline, "test=start_info.contents") != 0);
    EXPECT_TRUE(si->image_size > 0 && si->image_size < si->mem_size);
}

/* The manifest's "device-tree": in guest memory, and in r2 at entry. */
/* hvtest-system: own */
TEST(start_info, device_tree)
{
    const struct hv_start_info *si = hvtest_start_info();
    ASSERT_TRUE(si->dtb_size > 40);
    ASSERT_EQ(si->dtb_offset % 4096u, 0u);
    EXPECT_EQ(hv_entry_r2, si->mem_phys + si->dtb_offset);
    const uint8_t *dtb =
        (const uint8_t *)(uintptr_t)(si->mem_base + si->dtb_offset);
    /* Big-endian header: magic 0xd00dfeed, then the total size. */
    uint32_t magic =
        (uint32_t)dtb[0] << 24 | dtb[1] << 16 | dtb[2] << 8 | dtb[3];
    uint32_t total =
        (uint32_t)dtb[4] << 24 | dtb[5] << 16 | dtb[6] << 8 | dtb[7];
    EXPECT_EQ(magic, 0xd00dfeedu);
    EXPECT_EQ(total, si->dtb_size);
    /* Below the initial tables, with the stack gap in between. */
    EXPECT_TRUE(si->dtb_offset + si->dtb_size + HV_DTB_STACK_GAP <=
                si->pt_l1 - si->mem_phys);
}

TEST(start_info, no_device_tree)
{
    EXPECT_EQ(hvtest_start_info()->dtb_size, 0u);
    EXPECT_EQ(hv_entry_r2, 0u);
}
