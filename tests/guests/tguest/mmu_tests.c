/* SPDX-License-Identifier: MIT */
/*
 * Guest page tables through the MMU hypercalls: what works, and every
 * attack on the rules of <hvabi/mmu.h> being refused with its documented
 * error. The guest starts on the initial tables the monitor built, which
 * map its memory linearly with 4 KiB pages (see <hvabi/start_info.h>).
 */
#include <hvabi/mmu.h>
#include <string.h>

#include "hvtest.h"

#define MONITOR_ADDR 0xfe010000u
#define ALIAS_VA 0x90000000u /* unused by the initial tables */

/* Small page: normal write-back, not global; RW or RO at PL0. */
#define PTE_NORMAL (HV_L2_SMALL | HV_L2_TEXCB(HV_TEXCB_NORMAL_WBWA) | HV_L2_NG)
#define PTE_RW(pa) ((pa) | PTE_NORMAL | HV_L2_AP(HV_AP_RW))
#define PTE_RO(pa) ((pa) | PTE_NORMAL | HV_L2_AP(HV_AP_PL0_RO))
#define L1_TABLE(pa, domain) ((pa) | HV_L1_TYPE_TABLE | HV_L1_DOMAIN(domain))
/* Section, normal write-back, PL0 read-write. */
#define L1_SECTION_RW(pa, domain)                                              \
    ((pa) | HV_L1_TYPE_SECTION | HV_L1_SECT_TEXCB(HV_TEXCB_NORMAL_WBWA) |      \
     HV_L1_SECT_AP(HV_AP_RW) | HV_L1_DOMAIN(domain))

static uint8_t mmu_pages[4][4096] __attribute__((aligned(4096)));
static uint8_t mmu_l1_space[2 * HV_MMU_L1_SIZE]
    __attribute__((aligned(HV_MMU_L1_SIZE)));

static const struct hv_start_info *si(void)
{
    return hvtest_start_info();
}

static uint32_t va_to_pa(const void *p)
{
    return (uint32_t)(uintptr_t)p - si()->mem_base + si()->mem_phys;
}

static const uint32_t *pa_to_ptr(uint32_t pa)
{
    return (const uint32_t *)(uintptr_t)(pa - si()->mem_phys + si()->mem_base);
}

/* Physical address of the initial L2 entry that maps @va. */
static uint32_t pte_of(const void *va)
{
    uint32_t index = ((uint32_t)(uintptr_t)va - si()->mem_base) >> 12;
    return si()->pt_l2_first + (index / 512) * 4096u + HV_MMU_L2_HW_OFFSET +
           (index % 512) * 4u;
}

static uint32_t l1e_of(uint32_t va)
{
    return si()->pt_l1 + (va >> 20) * 4u;
}

static int32_t update1(uint32_t ptr, uint32_t val)
{
    struct hv_mmu_update u = {ptr, val};
    uint32_t done = 0xdead;
    int32_t rc = hv_mmu_update(&u, 1, &done);
    EXPECT_EQ(done, rc == 0 ? 1u : 0u);
    return rc;
}

/* Makes the page at @va read-only (so it may become a table) or back. */
static void set_writable(void *va, int writable)
{
    uint32_t pa = va_to_pa(va);
    ASSERT_EQ(update1(pte_of(va), writable ? PTE_RW(pa) : PTE_RO(pa)), 0);
    ASSERT_EQ(hv_mmu_tlb(HV_TLB_FLUSH_VA, (uint32_t)(uintptr_t)va), 0);
}

static void let_others_run(void)
{
    for (int i = 0; i < 40; i++) {
        hv_yield();
    }
}

TEST(mmu, initial_tables_described)
{
    EXPECT_TRUE(si()->pt_l1 % HV_MMU_L1_SIZE == 0);
    EXPECT_TRUE(si()->pt_l1 >= si()->mem_phys);
    EXPECT_EQ(si()->pt_l2_count, (si()->mem_size + 0x1fffffu) / 0x200000u);
    /* Our own code is mapped by the L2 entry we compute for it. */
    uint32_t pte = *pa_to_ptr(pte_of((void *)si()->mem_base));
    EXPECT_EQ(pte & ~0xfffu, si()->mem_phys);
    /* The tables are read-only to us; hv_vm_info cannot write there. */
    EXPECT_EQ(hv_vm_info((struct hv_vm_info *)pa_to_ptr(si()->pt_l1)),
              -HV_EFAULT);
}

/* Pin a fresh L2, map one of our pages a second time through it. */
TEST(mmu, pin_map_alias_unpin)
{
    uint8_t *l2 = mmu_pages[0];
    /* volatile: the compiler cannot know ALIAS_VA aliases this page. */
    volatile uint32_t *data = (volatile uint32_t *)mmu_pages[1];
    uint32_t l2_pa = va_to_pa(l2);

    memset(l2, 0, 4096);
    data[5] = 0x1234abcd;
    EXPECT_EQ(hv_mmu_pin(l2_pa, HV_MMU_L2), -HV_EBUSY); /* still writable */
    set_writable(l2, 0);
    ASSERT_EQ(hv_mmu_pin(l2_pa, HV_MMU_L2), 0);
    EXPECT_EQ(hv_mmu_pin(l2_pa, HV_MMU_L2), -HV_EBUSY); /* twice */
    ASSERT_EQ(
        update1(l2_pa + HV_MMU_L2_HW_OFFSET, PTE_RW(va_to_pa(mmu_pages[1]))),
        0);
    /* The guest's own half of an L2 frame takes any value. */
    EXPECT_EQ(update1(l2_pa, 0xffffffffu), 0);
    EXPECT_EQ(*pa_to_ptr(l2_pa), 0xffffffffu);
    ASSERT_EQ(update1(l1e_of(ALIAS_VA), L1_TABLE(l2_pa + HV_MMU_L2_HW_OFFSET,
                                                 HV_MMU_DOMAIN_KERNEL)),
              0);
    volatile uint32_t *alias = (volatile uint32_t *)ALIAS_VA;
    EXPECT_EQ(alias[5], 0x1234abcdu);
    alias[6] = 0x55aa55aau;
    EXPECT_EQ(data[6], 0x55aa55aau);
    /* Hypercalls see the new mapping too. */
    EXPECT_EQ(hv_console_write((const void *)ALIAS_VA, 0), 0);
    EXPECT_EQ(hv_vm_info((struct hv_vm_info *)ALIAS_VA), 0);

    EXPECT_EQ(hv_mmu_unpin(l2_pa), -HV_EBUSY); /* the L1 points at it */
    ASSERT_EQ(update1(l1e_of(ALIAS_VA), 0), 0);
    ASSERT_EQ(hv_mmu_tlb(HV_TLB_FLUSH_ALL, 0), 0);
    EXPECT_EQ(hv_mmu_unpin(l2_pa), 0);
    EXPECT_EQ(hv_mmu_unpin(l2_pa), -HV_EINVAL);
    set_writable(l2, 1);
    l2[0] = 1; /* ours to write again */
}

/* Copies the initial L1 into @l1, leaving the monitor window's entries 0
 * as a table to be pinned must. */
static void copy_initial_l1(uint32_t *l1)
{
    const uint32_t *initial = pa_to_ptr(si()->pt_l1);
    for (uint32_t i = 0; i < 4096; i++) {
        uint32_t va = i << 20;
        l1[i] = (va >= HV_MMU_WINDOW_BASE && va < HV_MMU_WINDOW_END)
                    ? 0
                    : initial[i];
    }
}

/* A second address space: copy the initial L1, pin, switch, come back. */
TEST(mmu, switch_address_space)
{
    uint32_t *l1 = (uint32_t *)mmu_l1_space;
    uint32_t l1_pa = va_to_pa(l1);

    copy_initial_l1(l1);
    EXPECT_EQ(hv_mmu_switch(l1_pa), -HV_EINVAL); /* not pinned */
    for (uint32_t off = 0; off < HV_MMU_L1_SIZE; off += 4096) {
        set_writable((uint8_t *)l1 + off, 0);
    }
    ASSERT_EQ(hv_mmu_pin(l1_pa, HV_MMU_L1), 0);
    ASSERT_EQ(hv_mmu_switch(l1_pa), 0);
    EXPECT_EQ(hv_console_write("on the new tables\n", 18), 18);
    EXPECT_EQ(hv_mmu_unpin(l1_pa), -HV_EBUSY); /* active */
    ASSERT_EQ(hv_mmu_switch(si()->pt_l1), 0);
    EXPECT_EQ(hv_mmu_unpin(l1_pa), 0);
    for (uint32_t off = 0; off < HV_MMU_L1_SIZE; off += 4096) {
        set_writable((uint8_t *)l1 + off, 1);
    }
}

TEST(mmu, batch_stops_at_first_error)
{
    uint32_t *page = (uint32_t *)mmu_pages[2];
    uint32_t pa = va_to_pa(page);
    struct hv_mmu_update batch[3] = {
        {pte_of(page), PTE_RO(pa)},
        {pte_of(page), 0x1u}, /* a large page: refused */
        {pte_of(page), PTE_RW(pa)},
    };
    uint32_t done = 0;
    EXPECT_EQ(hv_mmu_update(batch, 3, &done), -HV_EINVAL);
    EXPECT_EQ(done, 1u);
    EXPECT_EQ(*pa_to_ptr(pte_of(page)), PTE_RO(pa)); /* the first applied */
    batch[1] = batch[2];
    EXPECT_EQ(hv_mmu_update(&batch[1], 1, &done), 0);
    hv_mmu_tlb(HV_TLB_FLUSH_VA, (uint32_t)(uintptr_t)page);
    page[0] = 7;
    EXPECT_EQ(hv_mmu_update(batch, 0, &done), 0);
    EXPECT_EQ(done, 0u);
}

/* hvtest-system: witness-last */
TEST(hostile, tlb_ops)
{
    EXPECT_EQ(hv_mmu_tlb(HV_TLB_FLUSH_ALL, 0), 0);
    EXPECT_EQ(hv_mmu_tlb(HV_TLB_FLUSH_VA, si()->mem_base), 0);
    EXPECT_EQ(hv_mmu_tlb(3, 0), -HV_EINVAL);
    EXPECT_EQ(hv_mmu_tlb(0xffffffffu, 0), -HV_EINVAL);
    EXPECT_EQ(hv_mmu_tlb(HV_TLB_FLUSH_VA, HV_MMU_WINDOW_BASE), -HV_EINVAL);
    EXPECT_EQ(hv_mmu_tlb(HV_TLB_FLUSH_VA, 0xfe010000u), -HV_EINVAL);
    EXPECT_EQ(hv_mmu_tlb_in(si()->mem_base, si()->pt_l1), 0);
    EXPECT_EQ(hv_mmu_tlb_in(si()->mem_base, si()->pt_l1 + 0x4000u),
              -HV_EINVAL); /* not a pinned L1 */
    EXPECT_EQ(hv_mmu_tlb_in(si()->mem_base, 0x60000000u), -HV_EINVAL);
    EXPECT_EQ(hv_mmu_tlb_mm(0), 0);
    EXPECT_EQ(hv_mmu_tlb_mm(si()->pt_l1), 0);
    EXPECT_EQ(hv_mmu_tlb_mm(si()->pt_l1 + 0x4000u), -HV_EINVAL);
    EXPECT_EQ(hv_mmu_tlb_mm(0x60000000u), -HV_EINVAL);
}

/* A global entry would be used by other guests' ASIDs too. */
TEST(mmu, entries_made_not_global)
{
    uint32_t *page = (uint32_t *)mmu_pages[2];
    uint32_t pa = va_to_pa(page);
    uint32_t global = PTE_RW(pa) & ~HV_L2_NG;
    ASSERT_EQ(update1(pte_of(page), global), 0);
    EXPECT_EQ(*pa_to_ptr(pte_of(page)), global | HV_L2_NG);
    ASSERT_EQ(update1(l1e_of(ALIAS_VA), si()->mem_phys | 0x2u | 0x4u | 0x8u |
                                            0x1000u | 0x800u |
                                            (HV_MMU_DOMAIN_KERNEL << 5)),
              0);
    EXPECT_TRUE(*pa_to_ptr(l1e_of(ALIAS_VA)) & HV_L1_SECT_NG);
    ASSERT_EQ(update1(l1e_of(ALIAS_VA), 0), 0);
}

/* --- Attacks ------------------------------------------------------------ */

/* hvtest-system: witness-first */
TEST(hostile, map_monitor_window)
{
    EXPECT_EQ(update1(l1e_of(HV_MMU_WINDOW_BASE), 0), -HV_EPERM);
    EXPECT_EQ(update1(l1e_of(MONITOR_ADDR),
                      L1_SECTION_RW(si()->mem_phys, HV_MMU_DOMAIN_KERNEL)),
              -HV_EPERM);
    EXPECT_EQ(update1(l1e_of(HV_MMU_WINDOW_END - 1), 0), -HV_EPERM);
    let_others_run();
}

/* The monitor's own memory lies below every guest's. */
/* hvtest-system: witness-first */
TEST(hostile, map_monitor_memory)
{
    uint32_t below = (si()->mem_phys & ~0xfffffu) - 0x100000u;
    EXPECT_EQ(update1(l1e_of(ALIAS_VA),
                      L1_SECTION_RW(below & ~0xfffffu, HV_MMU_DOMAIN_KERNEL)),
              -HV_EPERM);
    EXPECT_EQ(update1(pte_of(mmu_pages[3]), PTE_RO(0x60010000u)), -HV_EPERM);
    EXPECT_EQ(update1(pte_of(mmu_pages[3]), PTE_RO(0x70010000u)), -HV_EPERM);
    let_others_run();
}

/* Guests are placed in manifest order: the one before us is just below. */
/* hvtest-system: witness-first */
TEST(hostile, map_other_guest)
{
    uint32_t other = si()->mem_phys - 0x100000u;
    uint32_t after = si()->mem_phys + si()->mem_size;
    EXPECT_EQ(
        update1(l1e_of(ALIAS_VA), L1_SECTION_RW(other, HV_MMU_DOMAIN_KERNEL)),
        -HV_EPERM);
    EXPECT_EQ(update1(pte_of(mmu_pages[3]), PTE_RW(other + 0x3000u)),
              -HV_EPERM);
    EXPECT_EQ(update1(pte_of(mmu_pages[3]), PTE_RW(after)), -HV_EPERM);
    EXPECT_EQ(hv_mmu_pin(other, HV_MMU_L2), -HV_EPERM);
    EXPECT_EQ(hv_mmu_switch(other & ~0x3fffu), -HV_EINVAL);
    EXPECT_EQ(hv_mmu_unpin(other), -HV_EINVAL);
    let_others_run();
}

/*
 * Hypercall buffers are reached with this guest's own rights, whichever
 * way the monitor translates them (the CPU's VA-to-PA operation for the
 * guest whose tables are loaded, or its own walk): a page readable but
 * not writable at PL0, one writable only at PL1 (the validator allows
 * such mappings, even of table frames) and a read-only view of our own
 * L2 are refused as HV_OP_VM_INFO's output (nothing written) and, the
 * PL1-only one, as HV_OP_MMU_UPDATE's input.
 */
/* hvtest-system: witness-first */
TEST(hostile, hypercall_buffers_by_permission)
{
    uint8_t *page = mmu_pages[2];
    uint32_t pa = va_to_pa(page);
    uint32_t l2 = si()->pt_l2_first;
    struct hv_mmu_update *req = (struct hv_mmu_update *)(void *)page;
    uint32_t done;

    /* The request a readable page carries: mmu_pages[3], as it is. */
    req->ptr = pte_of(mmu_pages[3]);
    req->val = PTE_RW(va_to_pa(mmu_pages[3]));
    memset(page + 64, 0x5a, 64);
    /* PL0 read-only: a source, not a destination. */
    ASSERT_EQ(update1(pte_of(page), PTE_RO(pa)), 0);
    ASSERT_EQ(hv_mmu_tlb(HV_TLB_FLUSH_VA, (uint32_t)(uintptr_t)page), 0);
    EXPECT_EQ(hv_vm_info((struct hv_vm_info *)(void *)(page + 64)), -HV_EFAULT);
    EXPECT_EQ(page[64], 0x5a);
    EXPECT_EQ(page[64 + 39], 0x5a);
    EXPECT_EQ(hv_mmu_update(req, 1, &done), 0);
    EXPECT_EQ(done, 1u);
    /* Writable at PL1 only: neither. */
    ASSERT_EQ(update1(pte_of(page), pa | PTE_NORMAL | HV_L2_AP(HV_AP_PL1_RW)),
              0);
    ASSERT_EQ(hv_mmu_tlb(HV_TLB_FLUSH_VA, (uint32_t)(uintptr_t)page), 0);
    EXPECT_EQ(hv_vm_info((struct hv_vm_info *)(void *)(page + 64)), -HV_EFAULT);
    EXPECT_EQ(hv_mmu_update(req, 1, &done), -HV_EFAULT);
    /* Our own L2, read-only, as a destination. */
    ASSERT_EQ(update1(pte_of(page), PTE_RO(l2)), 0);
    ASSERT_EQ(hv_mmu_tlb(HV_TLB_FLUSH_VA, (uint32_t)(uintptr_t)page), 0);
    uint32_t before = *(volatile uint32_t *)(page + HV_MMU_L2_HW_OFFSET);
    EXPECT_EQ(
        hv_vm_info((struct hv_vm_info *)(void *)(page + HV_MMU_L2_HW_OFFSET)),
        -HV_EFAULT);
    EXPECT_EQ(*(volatile uint32_t *)(page + HV_MMU_L2_HW_OFFSET), before);
    /* Back to normal: the same calls work. */
    ASSERT_EQ(update1(pte_of(page), PTE_RW(pa)), 0);
    ASSERT_EQ(hv_mmu_tlb(HV_TLB_FLUSH_VA, (uint32_t)(uintptr_t)page), 0);
    EXPECT_EQ(hv_vm_info((struct hv_vm_info *)(void *)(page + 64)), 0);
    EXPECT_EQ(hv_mmu_update(req, 1, &done), 0);
    let_others_run();
}

/* hvtest-system: witness-first */
TEST(hostile, map_own_tables_writable)
{
    uint32_t l1 = si()->pt_l1;
    uint32_t l2 = si()->pt_l2_first;
    /* Through a page of the initial L2, and through a section. */
    EXPECT_EQ(update1(pte_of(pa_to_ptr(l1)), PTE_RW(l1)), -HV_EBUSY);
    EXPECT_EQ(update1(pte_of(pa_to_ptr(l2)), PTE_RW(l2)), -HV_EBUSY);
    EXPECT_EQ(update1(l1e_of(ALIAS_VA),
                      L1_SECTION_RW(l1 & ~0xfffffu, HV_MMU_DOMAIN_KERNEL)),
              -HV_EBUSY);
    /* A writable page cannot become a table, nor a table be pinned
     * twice as another kind. */
    EXPECT_EQ(hv_mmu_pin(va_to_pa(mmu_pages[3]), HV_MMU_L2), -HV_EBUSY);
    EXPECT_EQ(hv_mmu_pin(l2, HV_MMU_L1), -HV_EINVAL);
    EXPECT_EQ(hv_mmu_pin(l2, HV_MMU_L2), -HV_EBUSY);
    EXPECT_EQ(hv_mmu_pin(l1 & ~0x3fffu, HV_MMU_L1), -HV_EBUSY);
    let_others_run();
}

/*
 * The cache-alias attack (Guanciale et al., S&P 2016): a second view of
 * one of our own frames, non-cacheable or strongly ordered, through which
 * a page-table entry could reach memory behind a stale clean line. Every
 * memory type other than normal write-back is refused for our own RAM,
 * for pages and sections, writable or not; the write-back forms work.
 */
/* hvtest-system: witness-first */
TEST(hostile, map_own_ram_uncached)
{
    static const uint32_t bad_types[] = {
        0x000u,         /* strongly ordered */
        0x004u,         /* shareable device */
        0x080u,         /* non-shareable device (TEX 010) */
        0x040u,         /* normal non-cacheable (TEX 001) */
        0x008u,         /* write-through */
        0x100u | 0x0cu, /* TEX 100: inner write-back, outer non-cacheable */
    };
    uint32_t pa = va_to_pa(mmu_pages[2]);
    uint32_t pte = pte_of(mmu_pages[2]);
    uint32_t sect = si()->mem_phys & ~0xfffffu;

    for (unsigned int i = 0; i < sizeof(bad_types) / sizeof(bad_types[0]);
         i++) {
        uint32_t t = bad_types[i];
        EXPECT_EQ(update1(pte, pa | 0x2u | 0x800u | 0x30u | t), -HV_EINVAL);
        EXPECT_EQ(update1(pte, pa | 0x2u | 0x800u | 0x20u | t), -HV_EINVAL);
        /* A section's TEX is at bits 14:12, C and B where a page has them. */
        uint32_t st = (t & 0xcu) | ((t >> 6) << 12);
        EXPECT_EQ(update1(l1e_of(ALIAS_VA), sect | 0x2u | 0x800u | st |
                                                (HV_MMU_DOMAIN_KERNEL << 5)),
                  -HV_EINVAL);
    }
    /* The page still maps what it did: the initial write-back entry. */
    EXPECT_EQ(*pa_to_ptr(pte), PTE_RW(pa));
    mmu_pages[2][0] = 0x5a;
    EXPECT_EQ(mmu_pages[2][0], 0x5a);
    /* Write-back without write-allocate is the same cacheability: fine. */
    EXPECT_EQ(update1(pte, pa | 0x2u | 0x800u | 0x30u | 0xcu), 0);
    EXPECT_EQ(update1(pte, PTE_RW(pa)), 0);
    EXPECT_EQ(hv_mmu_tlb(HV_TLB_FLUSH_VA, (uint32_t)(uintptr_t)mmu_pages[2]),
              0);
    let_others_run();
}

/* The UART and the GIC: device memory no guest owns. */
/* hvtest-system: witness-first */
TEST(hostile, map_device)
{
    EXPECT_EQ(update1(l1e_of(ALIAS_VA), 0x10000000u | 0x2u | 0x4u | 0x10u |
                                            0xc00u |
                                            (HV_MMU_DOMAIN_KERNEL << 5)),
              -HV_EPERM);
    EXPECT_EQ(update1(pte_of(mmu_pages[3]), PTE_RW(0x1e000000u)), -HV_EPERM);
    let_others_run();
}

/* hvtest-system: witness-first */
TEST(hostile, malformed_entries)
{
    uint32_t pa = si()->mem_phys;
    uint32_t l1e = l1e_of(ALIAS_VA);
    EXPECT_EQ(update1(l1e, L1_SECTION_RW(pa, 0)), -HV_EPERM); /* domain 0 */
    EXPECT_EQ(update1(l1e, L1_SECTION_RW(pa, 5)), -HV_EINVAL);
    EXPECT_EQ(update1(l1e, L1_SECTION_RW(pa, 1) | (1u << 18)), -HV_EINVAL);
    EXPECT_EQ(update1(l1e, L1_SECTION_RW(pa, 1) | (1u << 19)), -HV_EINVAL);
    EXPECT_EQ(update1(l1e, 0x3u), -HV_EINVAL);
    /* A table pointer at a frame that is not a pinned L2. */
    EXPECT_EQ(update1(l1e, L1_TABLE(va_to_pa(mmu_pages[3]), 1)), -HV_EINVAL);
    EXPECT_EQ(update1(pte_of(mmu_pages[3]), va_to_pa(mmu_pages[3]) | 0x1u),
              -HV_EINVAL);
    /* Updates must name an entry of a pinned table. */
    EXPECT_EQ(update1(va_to_pa(mmu_pages[3]), 0), -HV_EINVAL);
    EXPECT_EQ(update1(si()->pt_l1 + 2, 0), -HV_EINVAL);
    EXPECT_EQ(hv_mmu_pin(si()->mem_phys + 0x100u, HV_MMU_L2), -HV_EINVAL);
    EXPECT_EQ(hv_mmu_pin(si()->mem_phys + 0x1000u, HV_MMU_L1), -HV_EINVAL);
    EXPECT_EQ(hv_mmu_pin(si()->mem_phys, 3), -HV_EINVAL);
    let_others_run();
}

/* hvtest-system: witness-first */
TEST(hostile, unbounded_batch)
{
    static struct hv_mmu_update many[HV_MMU_UPDATE_MAX + 1];
    uint32_t done = 0xdead;
    EXPECT_EQ(hv_mmu_update(many, HV_MMU_UPDATE_MAX + 1, &done), -HV_E2BIG);
    EXPECT_EQ(done, 0u);
    EXPECT_EQ(hv_mmu_update(many, 0xffffffffu, &done), -HV_E2BIG);
    EXPECT_EQ(hv_mmu_update((void *)MONITOR_ADDR, 4, &done), -HV_EFAULT);
    EXPECT_EQ(hv_mmu_update((void *)0xfffffff8u, 2, &done), -HV_EFAULT);
    EXPECT_EQ(done, 0u);
    let_others_run();
}

/* hvtest-system: witness-first */
TEST(hostile, unpin_active_tables)
{
    EXPECT_EQ(hv_mmu_unpin(si()->pt_l1), -HV_EBUSY);
    EXPECT_EQ(hv_mmu_unpin(si()->pt_l2_first), -HV_EBUSY);
    let_others_run();
}

/* Ends with the monitor stopping us: tables are read-only. */
/* hvtest-system: fault data abort on write \(permission fault, page\) */
TEST(fault, write_own_page_table)
{
    *(volatile uint32_t *)pa_to_ptr(si()->pt_l1) = 0;
    hvtest_fail(__FILE__, __LINE__, "the monitor should have stopped me", 0, 1,
                1);
}

/* --- Benchmarks (called by the bench role) ------------------------------ */

/* One entry changed n times, one hypercall each. */
uint64_t mmu_bench_update(uint32_t n, uint32_t batch);
uint64_t mmu_bench_update(uint32_t n, uint32_t batch)
{
    static struct hv_mmu_update reqs[HV_MMU_UPDATE_MAX];
    uint32_t done;
    for (uint32_t i = 0; i < batch; i++) {
        uint8_t *page = mmu_pages[i % 4];
        reqs[i].ptr = pte_of(page);
        reqs[i].val = PTE_RW(va_to_pa(page));
    }
    uint64_t start = hv_clock_read();
    for (uint32_t i = 0; i < n; i++) {
        if (hv_mmu_update(reqs, batch, &done) != 0) {
            return 0;
        }
    }
    return hv_clock_read() - start;
}

/* Back and forth between the initial L1 and a copy of it. */
uint64_t mmu_bench_switch(uint32_t n);
uint64_t mmu_bench_switch(uint32_t n)
{
    uint32_t *l1 = (uint32_t *)mmu_l1_space;
    uint32_t l1_pa = va_to_pa(l1);
    copy_initial_l1(l1);
    for (uint32_t off = 0; off < HV_MMU_L1_SIZE; off += 4096) {
        uint32_t pa = va_to_pa((uint8_t *)l1 + off);
        update1(pte_of((uint8_t *)l1 + off), PTE_RO(pa));
    }
    hv_mmu_tlb(HV_TLB_FLUSH_ALL, 0);
    if (hv_mmu_pin(l1_pa, HV_MMU_L1) != 0) {
        return 0;
    }
    uint64_t start = hv_clock_read();
    for (uint32_t i = 0; i < n; i++) {
        hv_mmu_switch(l1_pa);
        hv_mmu_switch(si()->pt_l1);
    }
    return (hv_clock_read() - start) / 2;
}

/* L1 entries the pin benchmark adds: about a Linux kernel half's. */
#define PIN_BENCH_EXTRA 127u
#define PIN_BENCH_FIRST 0x100u /* at 256 MiB: nothing of the test guest's */

/*
 * Pin and unpin of one L1 (the second of mmu_l1_space), n times each way:
 * *full: a copy of the initial L1 whose table entry is repeated in
 * PIN_BENCH_EXTRA more slots (the table is never used, only pinned), its
 * *entries non-zero entries checked and counted at every pin and dropped
 * at every unpin, as a process's kernel half is in PV Linux; *empty: the same
 * table with every entry 0, as the guest wrote it (flushed and scanned);
 * *cleared: the monitor clears the whole table as it pins it (r2 = its
 * size). Per turn, in ns. 0s if a call fails.
 */
void mmu_bench_pin_l1(uint32_t n, uint64_t *full, uint64_t *empty,
                      uint64_t *cleared, uint32_t *entries);
void mmu_bench_pin_l1(uint32_t n, uint64_t *full, uint64_t *empty,
                      uint64_t *cleared, uint32_t *entries)
{
    uint32_t *l1 = (uint32_t *)(mmu_l1_space + HV_MMU_L1_SIZE);
    uint32_t l1_pa = va_to_pa(l1);
    uint64_t *out[3] = {full, empty, cleared};

    *full = *empty = *cleared = 0;
    copy_initial_l1(l1);
    uint32_t table = 0;
    for (uint32_t i = 0; i < 4096 && table == 0; i++) {
        table = (l1[i] & 3u) == 1u ? l1[i] : 0; /* a table entry */
    }
    for (uint32_t i = 0; i < PIN_BENCH_EXTRA && table != 0; i++) {
        if (l1[PIN_BENCH_FIRST + i] != 0) {
            return; /* the test guest grew: move PIN_BENCH_FIRST */
        }
        l1[PIN_BENCH_FIRST + i] = table;
    }
    *entries = 0;
    for (uint32_t i = 0; i < 4096; i++) {
        *entries += l1[i] != 0;
    }
    for (uint32_t off = 0; off < HV_MMU_L1_SIZE; off += 4096) {
        uint32_t pa = va_to_pa((uint8_t *)l1 + off);
        update1(pte_of((uint8_t *)l1 + off), PTE_RO(pa));
    }
    hv_mmu_tlb(HV_TLB_FLUSH_ALL, 0);
    for (unsigned int kind = 0; kind < 3; kind++) {
        uint32_t zero = kind == 2 ? HV_MMU_L1_SIZE : 0;
        uint64_t start = hv_clock_read();
        for (uint32_t i = 0; i < n; i++) {
            if (hv_mmu_pin_zeroed(l1_pa, HV_MMU_L1, zero) != 0 ||
                hv_mmu_unpin(l1_pa) != 0) {
                return;
            }
        }
        *out[kind] = (hv_clock_read() - start) / n;
        if (kind == 0) {
            /* The same table, every entry 0, for the next: cleared by a
             * pin that clears it, then unpinned. */
            if (hv_mmu_pin_zeroed(l1_pa, HV_MMU_L1, HV_MMU_L1_SIZE) != 0 ||
                hv_mmu_unpin(l1_pa) != 0) {
                *full = 0;
                return;
            }
        }
    }
}

/*
 * More address spaces than ASIDs (255): switching through all of them
 * forces a rollover. Each maps ALIAS_VA to one of two sections (read
 * only, MiB 1 or 7: the address spaces fill MiB 2-6) by the parity of its
 * number; as 255 is odd, an ASID reused by a neighbour of the other
 * parity would show the wrong marker through a stale TLB entry. Needs
 * memory-size 8 MiB.
 */
#define ROLLOVER_SPACES 300u
#define ROLLOVER_FIRST 0x00200000u /* offset of the first L1 in memory */

/* hvtest-system: own */
TEST(mmu, asid_rollover)
{
    if (si()->mem_size < 0x800000u) {
        hvtest_error("needs memory-size of 8 MiB");
    }
    if (ROLLOVER_FIRST + ROLLOVER_SPACES * HV_MMU_L1_SIZE >
        si()->pt_l1 - si()->mem_phys) {
        hvtest_error("the address spaces do not fit below the tables");
    }
    *(uint32_t *)(si()->mem_base + (1u << 20)) = 0x5ec70001u;
    *(uint32_t *)(si()->mem_base + (7u << 20)) = 0x5ec70007u;
    for (uint32_t n = 0; n < ROLLOVER_SPACES; n++) {
        uint32_t off = ROLLOVER_FIRST + n * HV_MMU_L1_SIZE;
        uint32_t *l1 = (uint32_t *)(si()->mem_base + off);
        uint32_t target = n % 2 ? 7 : 1;
        copy_initial_l1(l1);
        /* Read-only section (AP 10): allowed over any of our memory. */
        l1[ALIAS_VA >> 20] = (si()->mem_phys + (target << 20)) | 0x2u | 0x4u |
                             0x8u | 0x1000u | 0x800u |
                             (HV_MMU_DOMAIN_KERNEL << 5);
        struct hv_mmu_update ro[4];
        for (uint32_t k = 0; k < 4; k++) {
            uint32_t pa = si()->mem_phys + off + k * 4096u;
            ro[k].ptr = pte_of((uint8_t *)l1 + k * 4096u);
            ro[k].val = PTE_RO(pa);
        }
        uint32_t done;
        ASSERT_EQ(hv_mmu_update(ro, 4, &done), 0);
        ASSERT_EQ(hv_mmu_tlb(HV_TLB_FLUSH_ALL, 0), 0);
        ASSERT_EQ(hv_mmu_pin(si()->mem_phys + off, HV_MMU_L1), 0);
    }
    /* Twice round: the second pass reuses ASIDs of the first. */
    for (uint32_t pass = 0; pass < 2; pass++) {
        for (uint32_t n = 0; n < ROLLOVER_SPACES; n++) {
            uint32_t off = ROLLOVER_FIRST + n * HV_MMU_L1_SIZE;
            uint32_t target = n % 2 ? 7 : 1;
            ASSERT_EQ(hv_mmu_switch(si()->mem_phys + off), 0);
            uint32_t seen = *(volatile uint32_t *)ALIAS_VA;
            if (seen != (0x5ec70000u | target)) {
                hvtest_fail(__FILE__, __LINE__, "marker through ALIAS_VA", seen,
                            0x5ec70000u | target, 1);
            }
        }
    }
    ASSERT_EQ(hv_mmu_switch(si()->pt_l1), 0);
    for (uint32_t n = 0; n < ROLLOVER_SPACES; n++) {
        EXPECT_EQ(
            hv_mmu_unpin(si()->mem_phys + ROLLOVER_FIRST + n * HV_MMU_L1_SIZE),
            0);
    }
}
