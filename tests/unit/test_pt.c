/* SPDX-License-Identifier: MIT */
/*
 * hv/core/pt.c against the rules of guestabi/include/hvabi/mmu.h. Most tests
 * use a guest made by hand (struct vm over fake RAM, no initial tables),
 * so every frame starts out free and each test builds exactly the tables
 * it needs, as a guest would: write the table in its memory, then pin it.
 */
#include <arch/fake.h>
#include <hvabi/mmu.h>
#include <string.h>

#include "hv/clock.h"
#include "hv/pt.h"
#include "unit.h"
#include "unit_vm.h"

#define MIB UNIT_MIB

/* The hand-made guest: 4 MiB of RAM at G, seen at GVA. */
#define G (FAKE_RAM_BASE + 4 * MIB)
#define GSIZE (4 * MIB)
#define GVA 0x80000000u

/* Frames of it the tests use. */
#define L1A (G + 0x10000) /* 16 KiB aligned */
#define L1B (G + 0x14000)
#define L2A (G + 0x20000)
#define L2B (G + 0x21000)
#define DATA (G + 0x30000)
/*
 * An L2 frame is laid out as Linux does it (PTE_HWTABLE_OFF): the
 * guest's private half first, words 0-511, then from HW (byte 2048) the
 * two hardware tables of 256 entries, at 2048 and 3072.
 */
#define HW HV_MMU_L2_HW_OFFSET

/*
 * Descriptor bits: <hvabi/ptdesc.h>, as pt.c uses them. The header is
 * checked against the architecture here, with the literal values of the
 * ARM ARM (B3.5.1): these asserts are the one deliberate copy, an oracle.
 */
_Static_assert(HV_L1_TYPE_TABLE == 0x1 && HV_L1_TYPE_SECTION == 0x2 &&
                   HV_L1_SECT_B == 0x4 && HV_L1_SECT_C == 0x8 &&
                   HV_L1_SECT_XN == 0x10 && HV_L1_DOMAIN(15) == 0x1e0 &&
                   HV_L1_IMP == 0x200 && HV_L1_SECT_AP(HV_AP_RW) == 0xc00 &&
                   HV_L1_SECT_AP(HV_AP_PL1_RO) == 0x8400 &&
                   HV_L1_SECT_TEXCB(0x1f) == 0x700c &&
                   HV_L1_SECT_APX == 0x8000 && HV_L1_SECT_S == 0x10000 &&
                   HV_L1_SECT_NG == 0x20000 && HV_L1_SECT_SUPER == 0x40000 &&
                   HV_L1_SECT_NS == 0x80000 && HV_L1_TABLE_PXN == 0x4 &&
                   HV_L1_TABLE_NS == 0x8 && HV_L1_TABLE_SBZ == 0x10 &&
                   HV_L1_TABLE_ADDR_MASK == 0xfffffc00u &&
                   HV_L1_SECT_ADDR_MASK == 0xfff00000u,
               "L1 descriptor bits");
_Static_assert(HV_L2_XN == 0x1 && HV_L2_SMALL == 0x2 &&
                   HV_L2_TYPE_LARGE == 0x1 && HV_L2_B == 0x4 &&
                   HV_L2_C == 0x8 && HV_L2_AP(HV_AP_RW) == 0x30 &&
                   HV_L2_AP(HV_AP_PL1_RO) == 0x210 &&
                   HV_L2_TEXCB(0x1f) == 0x1cc && HV_L2_APX == 0x200 &&
                   HV_L2_S == 0x400 && HV_L2_NG == 0x800 &&
                   HV_L2_ADDR_MASK == 0xfffff000u,
               "L2 descriptor bits");
_Static_assert(HV_TEXCB_NORMAL_WBWA == 0x7 && HV_TEXCB_NORMAL_WB == 0x3 &&
                   HV_TEXCB_DEVICE == 0x1 && HV_TEXCB_DEVICE_NS == 0x8 &&
                   HV_TEXCB_STRONGLY_ORDERED == 0,
               "TEX:C:B 001:1:1, 000:1:1, 000:0:1, 010:0:0, 000:0:0");

/* L1 descriptors. */
#define L1_TABLE ((uint32_t)HV_L1_TYPE_TABLE)
#define L1_SECTION ((uint32_t)HV_L1_TYPE_SECTION)
#define L1_B ((uint32_t)HV_L1_SECT_B)
#define L1_C ((uint32_t)HV_L1_SECT_C)
#define L1_XN ((uint32_t)HV_L1_SECT_XN)
#define L1_BIT9 ((uint32_t)HV_L1_IMP)
#define L1_AP_PL1 ((uint32_t)HV_L1_SECT_AP(HV_AP_PL1_RW))
#define L1_AP_RO ((uint32_t)HV_L1_SECT_AP(HV_AP_PL0_RO))
#define L1_AP_RW ((uint32_t)HV_L1_SECT_AP(HV_AP_RW))
#define L1_TEX(n) ((uint32_t)(n) << HV_L1_SECT_TEX_SHIFT)
#define L1_SUPER ((uint32_t)HV_L1_SECT_SUPER)
#define L1_NS ((uint32_t)HV_L1_SECT_NS)
#define L1_DOMAIN(d) ((uint32_t)HV_L1_DOMAIN(d))

/* L2 small-page descriptors. */
#define L2_XN ((uint32_t)HV_L2_XN)
#define L2_SMALL ((uint32_t)HV_L2_SMALL)
#define L2_B ((uint32_t)HV_L2_B)
#define L2_C ((uint32_t)HV_L2_C)
#define L2_AP_PL1 ((uint32_t)HV_L2_AP(HV_AP_PL1_RW))
#define L2_AP_RO ((uint32_t)HV_L2_AP(HV_AP_PL0_RO))
#define L2_AP_RW ((uint32_t)HV_L2_AP(HV_AP_RW))
#define L2_TEX(n) ((uint32_t)(n) << HV_L2_TEX_SHIFT)
#define L2_APX ((uint32_t)HV_L2_APX)
#define L2_NG ((uint32_t)HV_L2_NG)
/* Normal write-back memory, as pt_build_initial maps it. */
#define L2_NORMAL (L2_SMALL | L2_B | L2_C | L2_TEX(1) | L2_NG)

#define WINDOW_FIRST (HV_MMU_WINDOW_BASE >> 20)     /* 0xfe0 */
#define WINDOW_LAST ((HV_MMU_WINDOW_END >> 20) - 1) /* 0xfef */

static uint32_t table(uint32_t l2, uint32_t domain)
{
    return l2 | L1_DOMAIN(domain) | L1_TABLE;
}

/* A section; one of the hand-made guest's RAM with no memory type given
 * is normal write-back, the only type guest RAM may have. */
static uint32_t section(uint32_t pa, uint32_t attrs, uint32_t domain)
{
    const uint32_t type_bits = L1_B | L1_C | L1_TEX(7);
    if (pa >= G && pa - G < GSIZE && (attrs & type_bits) == 0) {
        attrs |= L1_B | L1_C | L1_TEX(1);
    }
    return (pa & 0xfff00000u) | attrs | L1_DOMAIN(domain) | L1_SECTION;
}

static uint32_t page_rw(uint32_t pa)
{
    return pa | L2_NORMAL | L2_AP_RW;
}

static uint32_t page_ro(uint32_t pa)
{
    return pa | L2_NORMAL | L2_AP_RO;
}

/* Device memory (TEX:C:B 000:0:1), never executable, with @ap. */
static uint32_t page_dev(uint32_t pa, uint32_t ap)
{
    return pa | L2_SMALL | L2_XN | L2_B | ap;
}

/* Host view of guest memory at physical @pa. */
static uint32_t *mem(uint32_t pa)
{
    uint32_t *p = fake_phys(pa_init(pa));
    ASSERT_TRUE(p != NULL);
    return p;
}

/* A guest with id 1 owning [@base, @base + @size), nothing pinned. */
static struct vm *pt_test_vm_at(uint32_t base, uint32_t size)
{
    struct vm *vm = unit_alloc(sizeof(*vm));
    vm->id = 1;
    vm->state = VM_RUNNABLE;
    vm->mem_pa = pa_init(base);
    vm->mem_size = size;
    vm->mem_gva = gva_init(GVA);
    vm->mode = VM_MODE_KERNEL;
    /* Fake RAM starts out poisoned: a guest clears its tables first. */
    memset(mem(base), 0, size);
    return vm;
}

static struct vm *pt_test_vm(void)
{
    pt_init(pa_init(FAKE_RAM_BASE), FAKE_RAM_SIZE);
    fake_console_capture();
    return pt_test_vm_at(G, GSIZE);
}

static struct pt_frame_counts counts(uint32_t pa)
{
    struct pt_frame_counts c = {99, 99, 99, 99};
    ASSERT_TRUE(pt_frame_counts(pa_init(pa), &c));
    return c;
}

/* What the monitor stores for an accepted @value: sections and pages are
 * always made not-global (nG). */
static uint32_t stored(uint32_t entry, uint32_t value)
{
    bool l1 = counts(entry & ~0xfffu).type == 1;
    if (l1 && (value & 3u) == 2) {
        return value | (1u << 17);
    }
    if (!l1 && (value & 2u)) {
        return value | (1u << 11);
    }
    return value;
}

/* Every frame of [@pa, @pa + @size) is ordinary, unreferenced memory. */
static void expect_clear(uint32_t pa, uint32_t size)
{
    unsigned int dirty = 0;
    for (uint32_t off = 0; off < size; off += 4096) {
        struct pt_frame_counts c = counts(pa + off);
        dirty += c.type != 0 || c.type_refs != 0 || c.writable_refs != 0;
    }
    EXPECT_EQ(dirty, 0u);
}

static uint32_t swr(uint32_t pa)
{
    return pt_section_writable_refs(pa_init(pa));
}

static int32_t pin_l1(struct vm *vm, uint32_t pa)
{
    return pt_pin_l1(vm, pa_init(pa), 0);
}

static int32_t pin_l2(struct vm *vm, uint32_t pa)
{
    return pt_pin_l2(vm, pa_init(pa), 0);
}

static int32_t unpin(struct vm *vm, uint32_t pa)
{
    return pt_unpin(vm, pa_init(pa));
}

static int32_t update(struct vm *vm, uint32_t entry, uint32_t value)
{
    return pt_update(vm, pa_init(entry), value);
}

/* The address of L1 entry @index of table @l1, of L2 entry @index. */
static uint32_t l1e(uint32_t l1, uint32_t index)
{
    return l1 + 4 * index;
}

/* Hardware entry @index (0-511) of L2 frame @l2: entries 0-255 are its
 * first hardware table, 256-511 its second. */
static uint32_t l2e(uint32_t l2, uint32_t index)
{
    return l2 + HW + 4 * index;
}

/* Hardware table @n (0 or 1) of L2 frame @l2: where an L1 entry points. */
static uint32_t hwt(uint32_t l2, uint32_t n)
{
    return l2 + HW + 1024 * n;
}

/* Host view of the 512 hardware entries of L2 frame @l2; mem(@l2) is its
 * private half. */
static uint32_t *hw(uint32_t l2)
{
    return mem(l2 + HW);
}

static int32_t translate(struct vm *vm, uint32_t va, bool write, uint32_t *pa)
{
    paddr_t out = pa_init(0);
    int32_t rc = pt_translate(vm, va, write, &out);
    if (pa) {
        *pa = (uint32_t)pa_addr(out);
    }
    return rc;
}

/* --- Pinning ------------------------------------------------------------- */

TEST(pt, pin_l2_empty)
{
    struct vm *vm = pt_test_vm();
    unsigned int flushes = fake_tlb_flush_count();

    EXPECT_EQ(pin_l2(vm, L2A), HV_OK);
    struct pt_frame_counts c = counts(L2A);
    EXPECT_EQ(c.type, 2u);
    EXPECT_EQ(c.type_refs, 0u);
    EXPECT_EQ(c.writable_refs, 0u);
    /* No stale writable translation of the new table may survive. */
    EXPECT_EQ(fake_tlb_flush_count(), flushes + 1);
    /* Its neighbours are untouched. */
    EXPECT_EQ(counts(L2A - 4096).type, 0u);
    EXPECT_EQ(counts(L2A + 4096).type, 0u);
    EXPECT_FALSE(pt_is_l1(vm, pa_init(L2A)));
}

TEST(pt, pin_l1_fills_window)
{
    struct vm *vm = pt_test_vm();
    uint32_t *t = mem(L1A);

    ASSERT_EQ(pin_l1(vm, L1A), HV_OK);
    for (uint32_t off = 0; off < HV_MMU_L1_SIZE; off += 4096) {
        EXPECT_EQ(counts(L1A + off).type, 1u);
    }
    EXPECT_EQ(counts(L1A + HV_MMU_L1_SIZE).type, 0u);
    for (uint32_t i = WINDOW_FIRST; i <= WINDOW_LAST; i++) {
        EXPECT_EQ(t[i], FAKE_WINDOW_L1(i));
    }
    EXPECT_EQ(t[WINDOW_FIRST - 1], 0u);
    EXPECT_EQ(t[WINDOW_LAST + 1], 0u);
    EXPECT_TRUE(pt_is_l1(vm, pa_init(L1A)));
    EXPECT_FALSE(pt_is_l1(vm, pa_init(L1A + 4096)));
    EXPECT_FALSE(pt_is_l1(vm, pa_init(L1B)));
}

TEST(pt, pin_l1_with_entries)
{
    struct vm *vm = pt_test_vm();
    uint32_t *t = mem(L1A);

    ASSERT_EQ(pin_l2(vm, L2A), HV_OK);
    t[0x800] = table(hwt(L2A, 0), HV_MMU_DOMAIN_KERNEL);
    t[0x801] = table(hwt(L2A, 1), HV_MMU_DOMAIN_USER); /* second hw table */
    t[0x802] = section(G + 2 * MIB, L1_AP_RW, HV_MMU_DOMAIN_KERNEL);
    t[0x803] = section(G + 3 * MIB, L1_AP_RO, HV_MMU_DOMAIN_USER);
    /* A read-only section over the tables themselves is fine. */
    t[0x804] = section(G, L1_AP_RO, HV_MMU_DOMAIN_KERNEL);
    ASSERT_EQ(pin_l1(vm, L1A), HV_OK);
    EXPECT_EQ(counts(L2A).type_refs, 2u);
    EXPECT_EQ(swr(G + 2 * MIB), 1u);
    EXPECT_EQ(swr(G + 3 * MIB), 0u);
    EXPECT_EQ(swr(G), 0u);
}

TEST(pt, pin_misaligned)
{
    struct vm *vm = pt_test_vm();

    EXPECT_EQ(pin_l1(vm, L1A + 0x1000), -HV_EINVAL); /* 4 KiB only */
    EXPECT_EQ(pin_l1(vm, L1A + 4), -HV_EINVAL);
    EXPECT_EQ(pin_l1(vm, L1A + 0x2000), -HV_EINVAL);
    EXPECT_EQ(pin_l2(vm, L2A + 4), -HV_EINVAL);
    EXPECT_EQ(pin_l2(vm, L2A + 0x800), -HV_EINVAL);
    EXPECT_EQ(pin_l2(vm, L2A + 0xfff), -HV_EINVAL);
    expect_clear(G, 0x40000);
}

TEST(pt, pin_not_owned)
{
    struct vm *vm = pt_test_vm();

    /* Other RAM, right below and right above the guest, outside RAM. */
    EXPECT_EQ(pin_l2(vm, FAKE_RAM_BASE), -HV_EPERM);
    EXPECT_EQ(pin_l2(vm, G - 0x1000), -HV_EPERM);
    EXPECT_EQ(pin_l2(vm, G + GSIZE), -HV_EPERM);
    EXPECT_EQ(pin_l2(vm, 0x10000000u), -HV_EPERM);
    EXPECT_EQ(pin_l1(vm, G - 0x4000), -HV_EPERM);
    EXPECT_EQ(pin_l1(vm, G + GSIZE), -HV_EPERM);
    EXPECT_EQ(pin_l1(vm, 0x10000000u), -HV_EPERM);
    EXPECT_EQ(counts(G - 0x1000).type, 0u);
    EXPECT_EQ(counts(G + GSIZE).type, 0u);
    /* The first and the last frames are the guest's. */
    EXPECT_EQ(pin_l2(vm, G + GSIZE - 0x1000), HV_OK);
    EXPECT_EQ(pin_l1(vm, G), HV_OK);
}

TEST(pt, pin_already_pinned)
{
    struct vm *vm = pt_test_vm();

    ASSERT_EQ(pin_l2(vm, L2A), HV_OK);
    ASSERT_EQ(pin_l1(vm, L1A), HV_OK);
    EXPECT_EQ(pin_l2(vm, L2A), -HV_EBUSY);
    EXPECT_EQ(pin_l1(vm, L2A), -HV_EBUSY); /* 16 KiB aligned, but an L2 */
    EXPECT_EQ(pin_l1(vm, L1A), -HV_EBUSY);
    EXPECT_EQ(pin_l2(vm, L1A), -HV_EBUSY);
    EXPECT_EQ(pin_l2(vm, L1A + 0x3000), -HV_EBUSY);
    EXPECT_EQ(counts(L2A).type, 2u);
    EXPECT_EQ(counts(L1A + 0x3000).type, 1u);
}

TEST(pt, pin_mapped_writable)
{
    struct vm *vm = pt_test_vm();
    uint32_t *l2 = hw(L2A);

    /* DATA is writable through a pinned L2: it may not become a table. */
    l2[0x30] = page_rw(DATA);
    ASSERT_EQ(pin_l2(vm, L2A), HV_OK);
    EXPECT_EQ(counts(DATA).writable_refs, 1u);
    EXPECT_EQ(pin_l2(vm, DATA), -HV_EBUSY);
    EXPECT_EQ(pin_l1(vm, DATA), -HV_EBUSY);
    EXPECT_EQ(counts(DATA).type, 0u);
    /* Read-only, it may. */
    ASSERT_EQ(update(vm, l2e(L2A, 0x30), page_ro(DATA)), HV_OK);
    EXPECT_EQ(counts(DATA).writable_refs, 0u);
    EXPECT_EQ(pin_l2(vm, DATA), HV_OK);

    /* Nor may a frame of a section mapped writable. */
    uint32_t *t = mem(L1A);
    t[0x900] = section(G + 2 * MIB, L1_AP_RW, HV_MMU_DOMAIN_USER);
    ASSERT_EQ(pin_l1(vm, L1A), HV_OK);
    EXPECT_EQ(pin_l2(vm, G + 2 * MIB + 0x5000), -HV_EBUSY);
    EXPECT_EQ(pin_l1(vm, G + 2 * MIB), -HV_EBUSY);
    EXPECT_EQ(counts(G + 2 * MIB).type, 0u);

    /* An L2 whose entry maps a pinned table writable is refused. */
    uint32_t *l2b = hw(L2B);
    l2b[5] = page_rw(L1A + 0x1000);
    EXPECT_EQ(pin_l2(vm, L2B), -HV_EBUSY);
    EXPECT_EQ(counts(L2B).type, 0u);
    EXPECT_EQ(counts(L1A + 0x1000).writable_refs, 0u);
}

TEST(pt, pin_window_entry_not_zero)
{
    struct vm *vm = pt_test_vm();
    const uint32_t l1 = G + MIB + 0x10000; /* its MiB holds no other table */
    uint32_t *t = mem(l1);

    ASSERT_EQ(pin_l2(vm, L2A), HV_OK);
    t[0x800] = table(hwt(L2A, 0), HV_MMU_DOMAIN_KERNEL);
    t[0x801] = section(G + 2 * MIB, L1_AP_RW, HV_MMU_DOMAIN_KERNEL);
    /* Even what the monitor itself would put there is refused. */
    t[WINDOW_LAST] = FAKE_WINDOW_L1(WINDOW_LAST);
    EXPECT_EQ(pin_l1(vm, l1), -HV_EINVAL);
    t[WINDOW_LAST] = 0;
    t[WINDOW_FIRST] = 1; /* a "page table" entry */
    EXPECT_EQ(pin_l1(vm, l1), -HV_EINVAL);

    /* Nothing is left behind by either attempt. */
    expect_clear(l1, HV_MMU_L1_SIZE);
    EXPECT_EQ(counts(L2A).type_refs, 0u);
    EXPECT_EQ(swr(G + 2 * MIB), 0u);
    EXPECT_EQ(unpin(vm, L2A), HV_OK);
    /* Its MiB holds no table: it may be mapped writable. */
    uint32_t *tb = mem(L1A);
    tb[0x900] = section(G + MIB, L1_AP_RW, HV_MMU_DOMAIN_KERNEL);
    EXPECT_EQ(pin_l1(vm, L1A), HV_OK);

    /* Entries just outside the window are the guest's. */
    t[WINDOW_FIRST] = 0;
    t[0x800] = 0; /* L2A is not pinned any more */
    t[WINDOW_FIRST - 1] = section(G + 3 * MIB, L1_AP_RO, 1);
    t[WINDOW_LAST + 1] = section(G + 3 * MIB, L1_AP_RO, 1);
    EXPECT_EQ(update(vm, l1e(L1A, 0x900), 0), HV_OK);
    EXPECT_EQ(pin_l1(vm, l1), HV_OK);
}

/*
 * An L1 whose section maps the L1 itself writable: the table is typed
 * before its entries are checked, so this is caught, and the references
 * taken by the entries before it are all given back.
 */
TEST(pt, pin_l1_mapping_itself_writable)
{
    struct vm *vm = pt_test_vm();
    const uint32_t l1 = G + MIB + 0x10000;
    uint32_t *t = mem(l1);

    ASSERT_EQ(pin_l2(vm, L2A), HV_OK);
    t[0x100] = table(hwt(L2A, 0), HV_MMU_DOMAIN_KERNEL);
    t[0x101] = section(G + 2 * MIB, L1_AP_RW, HV_MMU_DOMAIN_KERNEL);
    t[0x102] = table(hwt(L2A, 1), HV_MMU_DOMAIN_USER);
    t[0x200] = section(G + MIB, L1_AP_RW, HV_MMU_DOMAIN_KERNEL); /* itself */
    EXPECT_EQ(pin_l1(vm, l1), -HV_EBUSY);

    expect_clear(l1, HV_MMU_L1_SIZE);
    EXPECT_EQ(counts(L2A).type_refs, 0u);
    EXPECT_EQ(swr(G + 2 * MIB), 0u);
    EXPECT_EQ(swr(G + MIB), 0u);
    EXPECT_FALSE(pt_is_l1(vm, pa_init(l1)));
    /* Nothing pins the L2 any more. */
    EXPECT_EQ(unpin(vm, L2A), HV_OK);
    ASSERT_EQ(pin_l2(vm, L2A), HV_OK);

    /* The section counts no table: another L1 may map it writable. */
    uint32_t *ta = mem(L1A);
    ta[0x300] = section(G + MIB, L1_AP_RW, HV_MMU_DOMAIN_KERNEL);
    ASSERT_EQ(pin_l1(vm, L1A), HV_OK);
    EXPECT_EQ(swr(G + MIB), 1u);
    ASSERT_EQ(update(vm, l1e(L1A, 0x300), 0), HV_OK);

    /* Read-only, the same table is accepted. */
    t[0x200] = section(G + MIB, L1_AP_RO, HV_MMU_DOMAIN_KERNEL);
    EXPECT_EQ(pin_l1(vm, l1), HV_OK);
    EXPECT_EQ(counts(L2A).type_refs, 2u);
    EXPECT_EQ(swr(G + 2 * MIB), 1u);
}

TEST(pt, pin_l2_refuses_bad_entries)
{
    struct vm *vm = pt_test_vm();
    uint32_t *l2 = hw(L2A);

    l2[0] = page_rw(DATA);
    l2[1] = page_rw(DATA + 0x1000);
    l2[2] = (DATA + 0x2000) | 0x1u; /* a large page */
    EXPECT_EQ(pin_l2(vm, L2A), -HV_EINVAL);
    l2[2] = page_rw(FAKE_RAM_BASE); /* not the guest's */
    EXPECT_EQ(pin_l2(vm, L2A), -HV_EPERM);
    EXPECT_EQ(counts(L2A).type, 0u);
    EXPECT_EQ(counts(DATA).writable_refs, 0u);
    EXPECT_EQ(counts(DATA + 0x1000).writable_refs, 0u);
    /* The last hardware entry is looked at too. */
    l2[2] = 0;
    l2[511] = page_rw(FAKE_RAM_BASE);
    EXPECT_EQ(pin_l2(vm, L2A), -HV_EPERM);
    EXPECT_EQ(counts(L2A).type, 0u);
    EXPECT_EQ(counts(DATA).writable_refs, 0u);
    /* The guest's half is not, from its first word to its last, nor is it
     * rewritten (no nG added). */
    l2[511] = 0;
    uint32_t *own = mem(L2A);
    const uint32_t foreign = page_rw(FAKE_RAM_BASE) & ~L2_NG;
    own[0] = 0xffffffffu;
    own[HW / 4 - 1] = foreign;
    EXPECT_EQ(pin_l2(vm, L2A), HV_OK);
    EXPECT_EQ(counts(DATA).writable_refs, 1u);
    EXPECT_EQ(own[0], 0xffffffffu);
    EXPECT_EQ(own[HW / 4 - 1], foreign);
}

/* --- Memory types of guest RAM (the cache-alias attack) ------------------ */

/*
 * Guest RAM only as Normal write-back (TEX:C:B 001:1:1 or 000:1:1):
 * strongly-ordered, device, non-cacheable and write-through views of
 * the same frame are refused, at pin and at update, for pages and
 * sections alike.
 */
TEST(pt, ram_only_write_back)
{
    struct vm *vm = pt_test_vm();
    const uint32_t bad_page[] = {
        0,                       /* strongly ordered */
        L2_B,                    /* shareable device */
        L2_TEX(2),               /* non-shareable device */
        L2_TEX(1),               /* normal, non-cacheable */
        L2_C,                    /* write-through */
        L2_TEX(1) | L2_C,        /* TEX 001 C 1 B 0: reserved */
        L2_TEX(4) | L2_C | L2_B, /* inner WB, outer non-cacheable */
        L2_TEX(5) | L2_C | L2_B, /* inner WB, outer WB: TEX[2] form */
        L2_TEX(7) | L2_C | L2_B, /* outer WB no-allocate, inner WB */
    };
    uint32_t *l2 = hw(L2A);

    ASSERT_EQ(pin_l2(vm, L2A), HV_OK);
    for (unsigned int i = 0; i < sizeof(bad_page) / sizeof(bad_page[0]); i++) {
        uint32_t desc = DATA | L2_SMALL | L2_AP_RW | bad_page[i];
        EXPECT_EQ(update(vm, l2e(L2A, 0), desc), -HV_EINVAL);
        EXPECT_EQ(update(vm, l2e(L2A, 1), desc | L2_APX), -HV_EINVAL);
    }
    EXPECT_EQ(l2[0], 0u);
    EXPECT_EQ(counts(DATA).writable_refs, 0u);
    /* The two write-back forms are accepted. */
    EXPECT_EQ(update(vm, l2e(L2A, 0), page_rw(DATA)), HV_OK);
    EXPECT_EQ(update(vm, l2e(L2A, 1), DATA | L2_SMALL | L2_AP_RW | L2_C | L2_B),
              HV_OK);
    EXPECT_EQ(counts(DATA).writable_refs, 2u);

    /* At pin time too. */
    memset(hw(L2B), 0, HV_MMU_L2_HW_SIZE);
    hw(L2B)[7] = DATA | L2_SMALL | L2_AP_RO | L2_TEX(1);
    EXPECT_EQ(pin_l2(vm, L2B), -HV_EINVAL);
    EXPECT_EQ(counts(L2B).type, 0u);

    /* Sections: the same rule. */
    uint32_t *t = mem(L1A);
    t[0] = section(G, L1_AP_RW | L1_TEX(1), HV_MMU_DOMAIN_KERNEL);
    EXPECT_EQ(pin_l1(vm, L1A), -HV_EINVAL);
    t[0] = G | L1_AP_RO | L1_DOMAIN(1) | L1_SECTION; /* strongly ordered */
    EXPECT_EQ(pin_l1(vm, L1A), -HV_EINVAL);
    t[0] = section(G, L1_AP_RO | L1_C | L1_B | L1_TEX(1), HV_MMU_DOMAIN_KERNEL);
    EXPECT_EQ(pin_l1(vm, L1A), HV_OK);
    EXPECT_EQ(update(vm, l1e(L1A, 1),
                     section(G + MIB, L1_AP_RO | L1_B, HV_MMU_DOMAIN_KERNEL)),
              -HV_EINVAL);
    EXPECT_EQ(
        update(vm, l1e(L1A, 1),
               section(G + MIB, L1_AP_RO | L1_C | L1_B, HV_MMU_DOMAIN_KERNEL)),
        HV_OK);
}

/*
 * Shareable Normal memory is non-cacheable on these cores (A8; A9
 * without ACTLR.SMP): the monitor stores RAM entries with S clear, as it
 * sets nG, at update and at pin. A device entry keeps what it asked.
 */
TEST(pt, ram_entries_made_non_shareable)
{
    struct vm *vm = pt_test_vm();
    const uint32_t l2_s = 1u << 10;
    const uint32_t l1_s = 1u << 16;

    hw(L2A)[5] = page_ro(DATA + 0x5000) | l2_s;
    ASSERT_EQ(pin_l2(vm, L2A), HV_OK);
    EXPECT_EQ(hw(L2A)[5], page_ro(DATA + 0x5000));
    ASSERT_EQ(update(vm, l2e(L2A, 0), page_rw(DATA) | l2_s), HV_OK);
    EXPECT_EQ(hw(L2A)[0], page_rw(DATA));

    uint32_t *t = mem(L1A);
    t[0x801] = section(G + MIB, L1_AP_RO | l1_s, HV_MMU_DOMAIN_KERNEL);
    ASSERT_EQ(pin_l1(vm, L1A), HV_OK);
    EXPECT_EQ(t[0x801],
              section(G + MIB, L1_AP_RO, HV_MMU_DOMAIN_KERNEL) | (1u << 17));
    ASSERT_EQ(
        update(vm, l1e(L1A, 0x802),
               section(G + 2 * MIB, L1_AP_RO | l1_s, HV_MMU_DOMAIN_KERNEL)),
        HV_OK);
    EXPECT_EQ(t[0x802], section(G + 2 * MIB, L1_AP_RO, HV_MMU_DOMAIN_KERNEL) |
                            (1u << 17));
}

/*
 * The attack itself, with the alias written: the table's cache line says
 * harmless, memory (what the non-cacheable walker reads) maps another
 * guest's frame. Pinning must validate memory: it cleans and invalidates
 * the frame first, then refuses.
 */
TEST(pt, pin_reads_memory_not_a_stale_line)
{
    struct vm *vm = pt_test_vm();
    const uint32_t foreign = page_rw(FAKE_RAM_BASE);

    fake_cache_stale(pa_init(l2e(L2A, 3)), page_ro(DATA), foreign);
    EXPECT_EQ(pin_l2(vm, L2A), -HV_EPERM);
    EXPECT_EQ(hw(L2A)[3], foreign);
    EXPECT_EQ(counts(L2A).type, 0u);

    /* The same through an L1 section entry, in its last frame. */
    uint32_t *t = mem(L1A);
    memset(t, 0, HV_MMU_L1_SIZE);
    fake_cache_stale(pa_init(l1e(L1A, 4000)), 0,
                     section(FAKE_RAM_BASE, L1_AP_RW | L1_C | L1_B | L1_TEX(1),
                             HV_MMU_DOMAIN_KERNEL));
    EXPECT_EQ(pin_l1(vm, L1A), -HV_EPERM);
    EXPECT_EQ(counts(L1A).type, 0u);

    /* Every frame of a table is cleaned and invalidated when pinned. */
    unsigned int before = fake_cache_op_count(ARCH_CACHE_FLUSH);
    memset(t, 0, HV_MMU_L1_SIZE);
    memset(hw(L2A), 0, HV_MMU_L2_HW_SIZE);
    EXPECT_EQ(pin_l2(vm, L2A), HV_OK);
    EXPECT_EQ(fake_cache_op_count(ARCH_CACHE_FLUSH), before + 1);
    EXPECT_EQ(pin_l1(vm, L1A), HV_OK);
    EXPECT_EQ(fake_cache_op_count(ARCH_CACHE_FLUSH), before + 5);
}

/* A pinned L1 whose entries are all one L2: its type count overflows. */
TEST(pt, pin_type_ref_overflow)
{
    struct vm *vm = pt_test_vm();
    const uint32_t per_l1 = 4096 - (WINDOW_LAST - WINDOW_FIRST + 1);

    ASSERT_EQ(pin_l2(vm, L2A), HV_OK);
    for (uint32_t n = 0; n < 4; n++) {
        uint32_t l1 = G + MIB + n * HV_MMU_L1_SIZE;
        uint32_t *t = mem(l1);
        for (uint32_t i = 0; i < 4096; i++) {
            if (i < WINDOW_FIRST || i > WINDOW_LAST) {
                t[i] = table(hwt(L2A, 0), HV_MMU_DOMAIN_KERNEL);
            }
        }
        ASSERT_EQ(pin_l1(vm, l1), HV_OK);
    }
    ASSERT_EQ(counts(L2A).type_refs, 4 * per_l1);
    const uint32_t room = 0x3fffu - 4 * per_l1;

    uint32_t l1 = G + MIB + 4 * HV_MMU_L1_SIZE;
    uint32_t *t = mem(l1);
    for (uint32_t i = 0; i <= room; i++) {
        t[i] = table(hwt(L2A, 0), HV_MMU_DOMAIN_KERNEL);
    }
    EXPECT_EQ(pin_l1(vm, l1), -HV_ENOMEM);
    EXPECT_EQ(counts(L2A).type_refs, 4 * per_l1);
    expect_clear(l1, HV_MMU_L1_SIZE);
    t[room] = 0;
    EXPECT_EQ(pin_l1(vm, l1), HV_OK);
    EXPECT_EQ(counts(L2A).type_refs, 0x3fffu);
    /* And through an update. */
    EXPECT_EQ(update(vm, l1e(l1, 0x800), table(hwt(L2A, 0), 1)), -HV_ENOMEM);
    EXPECT_EQ(mem(l1)[0x800], 0u);
}

/* --- Updates ------------------------------------------------------------- */

TEST(pt, update_window_index)
{
    struct vm *vm = pt_test_vm();

    ASSERT_EQ(pin_l1(vm, L1A), HV_OK);
    EXPECT_EQ(update(vm, l1e(L1A, WINDOW_FIRST), 0), -HV_EPERM);
    EXPECT_EQ(update(vm, l1e(L1A, WINDOW_LAST), 0), -HV_EPERM);
    EXPECT_EQ(
        update(vm, l1e(L1A, 0xfe8), section(G, L1_AP_RO, HV_MMU_DOMAIN_KERNEL)),
        -HV_EPERM);
    EXPECT_EQ(mem(L1A)[WINDOW_FIRST], FAKE_WINDOW_L1(WINDOW_FIRST));
    EXPECT_EQ(mem(L1A)[WINDOW_LAST], FAKE_WINDOW_L1(WINDOW_LAST));
    const uint32_t ro = section(G, L1_AP_RO, HV_MMU_DOMAIN_KERNEL);
    EXPECT_EQ(update(vm, l1e(L1A, WINDOW_FIRST - 1), ro), HV_OK);
    EXPECT_EQ(update(vm, l1e(L1A, WINDOW_LAST + 1), ro), HV_OK);
    EXPECT_EQ(mem(L1A)[WINDOW_LAST + 1], stored(l1e(L1A, 0), ro));
}

TEST(pt, update_needs_a_pinned_table)
{
    struct vm *vm = pt_test_vm();

    EXPECT_EQ(update(vm, L2A, 0), -HV_EINVAL); /* not pinned yet */
    EXPECT_EQ(update(vm, l2e(L2A, 0), 0), -HV_EINVAL);
    ASSERT_EQ(pin_l2(vm, L2A), HV_OK);
    EXPECT_EQ(update(vm, DATA, 0), -HV_EINVAL);
    EXPECT_EQ(update(vm, L2A + 2, 0), -HV_EINVAL); /* misaligned */
    EXPECT_EQ(update(vm, G - 4, 0), -HV_EINVAL);   /* not owned */
    EXPECT_EQ(update(vm, FAKE_RAM_BASE, 0), -HV_EINVAL);
    EXPECT_EQ(update(vm, 0x10000000u, 0), -HV_EINVAL);
    ASSERT_EQ(pt_set_shared(vm, pa_init(DATA + 0x1000)), HV_OK);
    EXPECT_EQ(update(vm, DATA + 0x1000, 0), -HV_EINVAL);
    EXPECT_EQ(update(vm, l2e(L2A, 0), page_ro(DATA)), HV_OK);
    EXPECT_EQ(hw(L2A)[0], page_ro(DATA));
    EXPECT_EQ(mem(DATA)[0], 0u);
}

TEST(pt, update_l2_private_half_unchecked)
{
    struct vm *vm = pt_test_vm();

    ASSERT_EQ(pin_l1(vm, L1A), HV_OK);
    ASSERT_EQ(pin_l2(vm, L2A), HV_OK);
    /* Anything at all in bytes 0-2047, even what would map a table
     * writable, stored as given (no nG added). */
    const uint32_t rw_l1 = page_rw(L1A) & ~L2_NG;
    EXPECT_EQ(update(vm, L2A, 0xffffffffu), HV_OK);
    EXPECT_EQ(update(vm, L2A + HW - 4, rw_l1), HV_OK);
    EXPECT_EQ(update(vm, L2A + 1000, page_rw(FAKE_RAM_BASE)), HV_OK);
    EXPECT_EQ(mem(L2A)[0], 0xffffffffu);
    EXPECT_EQ(mem(L2A)[HW / 4 - 1], rw_l1);
    EXPECT_EQ(mem(L2A)[250], page_rw(FAKE_RAM_BASE));
    EXPECT_EQ(counts(L1A).writable_refs, 0u);
    EXPECT_EQ(counts(FAKE_RAM_BASE).writable_refs, 0u);
    /* From byte 2048 on, the hardware entries: the first and the last of
     * them are checked. */
    EXPECT_EQ(update(vm, L2A + HW, rw_l1), -HV_EBUSY);
    EXPECT_EQ(update(vm, L2A + HW, page_rw(FAKE_RAM_BASE)), -HV_EPERM);
    EXPECT_EQ(update(vm, L2A + 4092, rw_l1), -HV_EBUSY);
    EXPECT_EQ(hw(L2A)[0], 0u);
    EXPECT_EQ(hw(L2A)[511], 0u);
    EXPECT_EQ(counts(L1A).writable_refs, 0u);
    /* The private half still holds what the guest put there. */
    EXPECT_EQ(mem(L2A)[HW / 4 - 1], rw_l1);
}

/*
 * The layout of an L2 frame: an L1 page-table entry points at byte 2048
 * or 3072 of it (its two hardware tables), never at byte 0 or 1024 (the
 * guest's private half); walks go through the entries from byte 2048;
 * updates of bytes 0-2047 are written unchecked, of bytes 2048-4095
 * checked.
 */
TEST(pt, l2_frame_layout)
{
    struct vm *vm = pt_test_vm();
    const uint32_t mb0 = GVA >> 20;
    uint32_t *t = mem(L1A);
    uint32_t *own = mem(L2A);
    uint32_t pa = 0;

    /* The private half holds what would be mappings of other pages, had
     * the hardware been pointed at it: a walk shows which half it used. */
    own[0] = page_rw(G + 0x50000);
    own[256] = page_rw(G + 0x51000);
    hw(L2A)[0] = page_ro(G + 0x40000);
    hw(L2A)[256] = page_rw(G + 0x41000);
    ASSERT_EQ(pin_l2(vm, L2A), HV_OK);
    EXPECT_EQ(counts(G + 0x41000).writable_refs, 1u);
    EXPECT_EQ(counts(G + 0x50000).writable_refs, 0u);
    EXPECT_EQ(counts(G + 0x51000).writable_refs, 0u);

    /* Pinning an L1 that points at the private half is refused. */
    t[mb0] = table(L2A, HV_MMU_DOMAIN_KERNEL);
    EXPECT_EQ(pin_l1(vm, L1A), -HV_EINVAL);
    t[mb0] = table(L2A + 1024, HV_MMU_DOMAIN_KERNEL);
    EXPECT_EQ(pin_l1(vm, L1A), -HV_EINVAL);
    expect_clear(L1A, HV_MMU_L1_SIZE);
    EXPECT_EQ(counts(L2A).type_refs, 0u);
    t[mb0] = 0;
    ASSERT_EQ(pin_l1(vm, L1A), HV_OK);

    /* So is an update to it; bytes 2048 and 3072 are the tables. */
    EXPECT_EQ(update(vm, l1e(L1A, mb0), table(L2A, 1)), -HV_EINVAL);
    EXPECT_EQ(update(vm, l1e(L1A, mb0), table(L2A + 1024, 2)), -HV_EINVAL);
    EXPECT_EQ(t[mb0], 0u);
    EXPECT_EQ(counts(L2A).type_refs, 0u);
    ASSERT_EQ(update(vm, l1e(L1A, mb0), table(L2A + 2048, 1)), HV_OK);
    ASSERT_EQ(update(vm, l1e(L1A, mb0 + 1), table(L2A + 3072, 2)), HV_OK);
    EXPECT_EQ(counts(L2A).type_refs, 2u);

    /* Walks use the hardware entries, entry i of table n at byte
     * 2048 + 1024 n + 4 i. */
    vm->active_l1 = pa_init(L1A);
    EXPECT_EQ(translate(vm, GVA + 0x10, false, &pa), HV_OK);
    EXPECT_EQ(pa, G + 0x40010);
    EXPECT_EQ(translate(vm, GVA + 0x10, true, NULL), -HV_EFAULT);
    EXPECT_EQ(translate(vm, GVA + MIB + 0x20, true, &pa), HV_OK);
    EXPECT_EQ(pa, G + 0x41020);
    EXPECT_EQ(translate(vm, GVA + 0x1000, false, NULL), -HV_EFAULT);

    /* Every word of the frame: bytes 0-2047 take even a writable mapping
     * of a pinned table, unchecked; bytes 2048-4095 refuse it. */
    unsigned int wrong = 0;
    for (uint32_t off = 0; off < 4096; off += 4) {
        int32_t want = off < HW ? HV_OK : -HV_EBUSY;
        wrong += update(vm, L2A + off, page_rw(L1A)) != want;
    }
    EXPECT_EQ(wrong, 0u);
    EXPECT_EQ(own[0], page_rw(L1A));
    EXPECT_EQ(own[HW / 4 - 1], page_rw(L1A));
    EXPECT_EQ(hw(L2A)[0], page_ro(G + 0x40000));
    EXPECT_EQ(hw(L2A)[255], 0u);
    EXPECT_EQ(hw(L2A)[256], page_rw(G + 0x41000));
    EXPECT_EQ(hw(L2A)[511], 0u);
    EXPECT_EQ(counts(L1A).writable_refs, 0u);
    /* ... and change no walk. */
    EXPECT_EQ(translate(vm, GVA + 0x10, false, &pa), HV_OK);
    EXPECT_EQ(pa, G + 0x40010);
    EXPECT_EQ(translate(vm, GVA + 0x10, true, NULL), -HV_EFAULT);

    /* Accepted hardware updates take effect, with their references. */
    EXPECT_EQ(update(vm, L2A + 2048, page_rw(G + 0x42000)), HV_OK);
    EXPECT_EQ(translate(vm, GVA + 0x10, true, &pa), HV_OK);
    EXPECT_EQ(pa, G + 0x42010);
    EXPECT_EQ(update(vm, L2A + 3072, 0), HV_OK);
    EXPECT_EQ(translate(vm, GVA + MIB, false, NULL), -HV_EFAULT);
    EXPECT_EQ(counts(G + 0x41000).writable_refs, 0u);
    EXPECT_EQ(counts(G + 0x42000).writable_refs, 1u);
}

struct pt_case {
    uint32_t value;
    int32_t rc;
};

/* Applies each case to @entry of a pinned table; a refused one changes
 * nothing, an accepted one is written (and undone). */
static void pt_cases(struct vm *vm, uint32_t entry, const struct pt_case *c,
                     size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int32_t rc = update(vm, entry, c[i].value);
        if (rc != c[i].rc) {
            unit_fail(__FILE__, __LINE__, false,
                      "case %zu, value 0x%08x: %d, expected %d", i,
                      (unsigned)c[i].value, (int)rc, (int)c[i].rc);
        }
        EXPECT_EQ(*mem(entry), rc == HV_OK ? stored(entry, c[i].value) : 0u);
        if (rc == HV_OK) {
            EXPECT_EQ(update(vm, entry, 0), HV_OK);
        }
    }
}

TEST(pt, update_l1_entries)
{
    struct vm *vm = pt_test_vm();
    const uint32_t s = G + 2 * MIB; /* a section holding no table */
    const struct pt_case cases[] = {
        {section(s, L1_AP_RW, 1), HV_OK},
        {section(s, L1_AP_RO, 2), HV_OK},
        {table(hwt(L2A, 0), 1), HV_OK},
        {table(hwt(L2A, 1), 2), HV_OK},
        /* Supersection, NS, should-be-zero, reserved type. */
        {section(s, L1_AP_RO | L1_SUPER, 1), -HV_EINVAL},
        {section(s, L1_AP_RO | L1_NS, 1), -HV_EINVAL},
        {section(s, L1_AP_RO | L1_BIT9, 1), -HV_EINVAL},
        {s | L1_DOMAIN(1) | 0x3u, -HV_EINVAL},
        {table(hwt(L2A, 0), 1) | (1u << 2), -HV_EINVAL},
        {table(hwt(L2A, 0), 1) | (1u << 3), -HV_EINVAL},
        {table(hwt(L2A, 0), 1) | (1u << 4), -HV_EINVAL},
        {table(hwt(L2A, 0), 1) | (1u << 9), -HV_EINVAL},
        /* Domains: 0 is the monitor's, others reserved. */
        {section(s, L1_AP_RO, 0), -HV_EPERM},
        {table(hwt(L2A, 0), 0), -HV_EPERM},
        {section(s, L1_AP_RO, 5), -HV_EINVAL},
        {section(s, L1_AP_RO, 3), -HV_EINVAL},
        {section(s, L1_AP_RO, 15), -HV_EINVAL},
        {table(hwt(L2A, 0), 5), -HV_EINVAL},
        /* Tables: only the hardware half of a pinned L2 of this guest,
         * never its private half (bytes 0 and 1024). */
        {table(DATA, 1), -HV_EINVAL},
        {table(hwt(DATA, 0), 1), -HV_EINVAL},
        {table(L2A, 1), -HV_EINVAL},
        {table(L2A + 1024, 1), -HV_EINVAL},
        {table(hwt(L2B, 1), 1), -HV_EINVAL}, /* not pinned */
        {table(FAKE_RAM_BASE, 1), -HV_EPERM},
        {table(hwt(FAKE_RAM_BASE, 0), 1), -HV_EPERM},
        /* Memory not the guest's. */
        {section(FAKE_RAM_BASE, L1_AP_RO, 1), -HV_EPERM},
        {section(G + GSIZE, L1_AP_RO, 1), -HV_EPERM},
        {section(0x10000000u, L1_AP_RO | L1_XN | L1_B, 1), -HV_EPERM},
    };

    ASSERT_EQ(pin_l2(vm, L2A), HV_OK);
    ASSERT_EQ(pin_l1(vm, L1A), HV_OK);
    pt_cases(vm, l1e(L1A, 0x800), cases, ARRAY_SIZE(cases));
    EXPECT_EQ(counts(L2A).type_refs, 0u);
    EXPECT_EQ(swr(s), 0u);
}

TEST(pt, update_l2_entries)
{
    struct vm *vm = pt_test_vm();
    const struct pt_case cases[] = {
        {page_rw(DATA), HV_OK},
        {page_ro(DATA), HV_OK},
        {page_rw(DATA) | L2_XN, HV_OK},
        {DATA | 0x1u, -HV_EINVAL}, /* large page */
        {(DATA | 0x1u) | L2_AP_RO, -HV_EINVAL},
        {page_rw(FAKE_RAM_BASE), -HV_EPERM},
        {page_ro(G + GSIZE), -HV_EPERM},
        {page_ro(G - 0x1000), -HV_EPERM},
        /* Pinned tables: never writable, read-only is fine. */
        {page_rw(L1A), -HV_EBUSY},
        {page_rw(L1A + 0x3000), -HV_EBUSY},
        {page_rw(L2A), -HV_EBUSY},
        {page_ro(L1A), HV_OK},
        {page_ro(L2A), HV_OK},
        {L1A | L2_NORMAL | L2_APX | L2_AP_RW, HV_OK}, /* AP 111: read-only */
        {L1A | L2_NORMAL | L2_AP_PL1, HV_OK},         /* PL1 only */
    };

    ASSERT_EQ(pin_l2(vm, L2A), HV_OK);
    ASSERT_EQ(pin_l1(vm, L1A), HV_OK);
    pt_cases(vm, l2e(L2A, 7), cases, ARRAY_SIZE(cases));
    EXPECT_EQ(counts(DATA).writable_refs, 0u);
    EXPECT_EQ(counts(L1A).writable_refs, 0u);
}

TEST(pt, update_writable_section_over_pinned_table)
{
    struct vm *vm = pt_test_vm();

    ASSERT_EQ(pin_l1(vm, L1A), HV_OK);
    EXPECT_EQ(update(vm, l1e(L1A, 0x800), section(G, L1_AP_RW, 1)), -HV_EBUSY);
    EXPECT_EQ(mem(L1A)[0x800], 0u);
    EXPECT_EQ(swr(G), 0u);
    EXPECT_EQ(update(vm, l1e(L1A, 0x800), section(G, L1_AP_RO, 1)), HV_OK);
    /* Another MiB of the guest holds no table. */
    EXPECT_EQ(update(vm, l1e(L1A, 0x801), section(G + MIB, L1_AP_RW, 1)),
              HV_OK);
    /* And now no frame of that MiB may become a table. */
    EXPECT_EQ(pin_l2(vm, G + MIB + 0x4000), -HV_EBUSY);
    /* An L2 in a section mapped writable by an L1 still being built. */
    ASSERT_EQ(pin_l2(vm, L2A), HV_OK);
    EXPECT_EQ(update(vm, l1e(L1A, 0x802), section(G, L1_AP_RW, 2)), -HV_EBUSY);
}

TEST(pt, counts_follow_updates)
{
    struct vm *vm = pt_test_vm();
    const uint32_t x = G + 0x40000;
    const uint32_t y = G + 0x50000;

    ASSERT_EQ(pin_l2(vm, L2A), HV_OK);
    ASSERT_EQ(pin_l2(vm, L2B), HV_OK);
    ASSERT_EQ(pin_l1(vm, L1A), HV_OK);

    /* Writable pages. */
    ASSERT_EQ(update(vm, l2e(L2A, 0x40), page_rw(x)), HV_OK);
    EXPECT_EQ(counts(x).writable_refs, 1u);
    ASSERT_EQ(update(vm, l2e(L2B, 0x41), page_rw(x)), HV_OK);
    EXPECT_EQ(counts(x).writable_refs, 2u);
    ASSERT_EQ(update(vm, l2e(L2A, 0x40), page_rw(y)), HV_OK); /* replace */
    EXPECT_EQ(counts(x).writable_refs, 1u);
    EXPECT_EQ(counts(y).writable_refs, 1u);
    ASSERT_EQ(update(vm, l2e(L2A, 0x40), page_rw(y)), HV_OK); /* the same */
    EXPECT_EQ(counts(y).writable_refs, 1u);
    ASSERT_EQ(update(vm, l2e(L2B, 0x41), page_ro(x)), HV_OK);
    EXPECT_EQ(counts(x).writable_refs, 0u);
    ASSERT_EQ(update(vm, l2e(L2A, 0x40), 0), HV_OK);
    EXPECT_EQ(counts(y).writable_refs, 0u);

    /* Page-table references. */
    ASSERT_EQ(update(vm, l1e(L1A, 0x800), table(hwt(L2A, 0), 1)), HV_OK);
    ASSERT_EQ(update(vm, l1e(L1A, 0x801), table(hwt(L2A, 1), 1)), HV_OK);
    EXPECT_EQ(counts(L2A).type_refs, 2u);
    ASSERT_EQ(update(vm, l1e(L1A, 0x800), table(hwt(L2B, 0), 1)), HV_OK);
    EXPECT_EQ(counts(L2A).type_refs, 1u);
    EXPECT_EQ(counts(L2B).type_refs, 1u);
    ASSERT_EQ(update(vm, l1e(L1A, 0x801), 0), HV_OK);
    ASSERT_EQ(update(vm, l1e(L1A, 0x800), 0), HV_OK);
    EXPECT_EQ(counts(L2A).type_refs, 0u);
    EXPECT_EQ(counts(L2B).type_refs, 0u);

    /* Writable sections. */
    ASSERT_EQ(update(vm, l1e(L1A, 0x900), section(G + 2 * MIB, L1_AP_RW, 1)),
              HV_OK);
    EXPECT_EQ(swr(G + 2 * MIB), 1u);
    EXPECT_EQ(swr(G + 2 * MIB + 0x80000), 1u); /* same section */
    ASSERT_EQ(update(vm, l1e(L1A, 0x900), section(G + 3 * MIB, L1_AP_RW, 1)),
              HV_OK);
    EXPECT_EQ(swr(G + 2 * MIB), 0u);
    EXPECT_EQ(swr(G + 3 * MIB), 1u);
    ASSERT_EQ(update(vm, l1e(L1A, 0x900), section(G + 3 * MIB, L1_AP_RO, 1)),
              HV_OK);
    EXPECT_EQ(swr(G + 3 * MIB), 0u);

    /* A refused update takes nothing and drops nothing. */
    ASSERT_EQ(update(vm, l2e(L2A, 0x42), page_rw(x)), HV_OK);
    EXPECT_EQ(update(vm, l2e(L2A, 0x42), page_rw(L1A)), -HV_EBUSY);
    EXPECT_EQ(counts(x).writable_refs, 1u);
    ASSERT_EQ(update(vm, l2e(L2A, 0x42), 0), HV_OK);

    expect_clear(G + 0x30000, 0x30000);
    EXPECT_EQ(counts(L2A).type_refs, 0u);
    EXPECT_EQ(counts(L2A).writable_refs, 0u);
}

/* --- Unpinning ----------------------------------------------------------- */

TEST(pt, unpin_drops_references)
{
    struct vm *vm = pt_test_vm();
    const uint32_t x = G + 0x40000;
    uint32_t *l2 = hw(L2A);
    uint32_t *t = mem(L1A);

    l2[3] = page_rw(x);
    l2[300] = page_rw(x);     /* second hardware table */
    l2[511] = page_rw(x);     /* its last entry */
    mem(L2A)[3] = page_rw(x); /* the guest's half: holds no reference */
    mem(L2A)[511] = page_rw(x);
    ASSERT_EQ(pin_l2(vm, L2A), HV_OK);
    t[0x800] = table(hwt(L2A, 0), 1);
    t[0x801] = table(hwt(L2A, 1), 1);
    t[0x900] = section(G + 2 * MIB, L1_AP_RW, 2);
    ASSERT_EQ(pin_l1(vm, L1A), HV_OK);
    EXPECT_EQ(counts(x).writable_refs, 3u);
    EXPECT_EQ(counts(L2A).type_refs, 2u);

    /* Still pointed at. */
    EXPECT_EQ(unpin(vm, L2A), -HV_EBUSY);
    EXPECT_EQ(counts(L2A).type, 2u);

    EXPECT_EQ(unpin(vm, L1A), HV_OK);
    expect_clear(L1A, HV_MMU_L1_SIZE);
    EXPECT_FALSE(pt_is_l1(vm, pa_init(L1A)));
    EXPECT_EQ(counts(L2A).type_refs, 0u);
    EXPECT_EQ(swr(G + 2 * MIB), 0u);
    /* The table goes back without the monitor's entries, with the
     * guest's. */
    for (uint32_t i = WINDOW_FIRST; i <= WINDOW_LAST; i++) {
        EXPECT_EQ(t[i], 0u);
    }
    /* Entries stay as written, made not-global (nG) when pinned. */
    EXPECT_EQ(t[0x900], section(G + 2 * MIB, L1_AP_RW, 2) | (1u << 17));

    EXPECT_EQ(unpin(vm, L2A), HV_OK);
    expect_clear(L2A, 4096);
    EXPECT_EQ(counts(x).writable_refs, 0u);
    EXPECT_EQ(unpin(vm, L2A), -HV_EINVAL);
    EXPECT_EQ(unpin(vm, L1A), -HV_EINVAL);
    /* Both are ordinary memory again. */
    EXPECT_EQ(pin_l2(vm, L1A), HV_OK);
}

/*
 * Pin and unpin skip empty entries eight at a time: an entry at any
 * position around a group of eight, and the last, is still taken, given
 * back and, if bad, refused.
 */
TEST(pt, pin_sees_entries_at_every_position)
{
    struct vm *vm = pt_test_vm();
    const uint32_t x = G + 0x40000;
    static const uint32_t at[] = {0, 7, 8, 9, 15, 16, 255, 256, 263, 504, 511};
    uint32_t *l2 = hw(L2A);

    for (unsigned int i = 0; i < ARRAY_SIZE(at); i++) {
        l2[at[i]] = page_rw(x);
    }
    ASSERT_EQ(pin_l2(vm, L2A), HV_OK);
    EXPECT_EQ(counts(x).writable_refs, (uint32_t)ARRAY_SIZE(at));
    EXPECT_EQ(unpin(vm, L2A), HV_OK);
    EXPECT_EQ(counts(x).writable_refs, 0u);
    for (unsigned int i = 0; i < ARRAY_SIZE(at); i++) {
        l2[at[i]] = page_rw(FAKE_RAM_BASE); /* not the guest's */
        EXPECT_EQ(pin_l2(vm, L2A), -HV_EPERM);
        EXPECT_EQ(counts(L2A).type, 0u);
        EXPECT_EQ(counts(x).writable_refs, 0u);
        l2[at[i]] = page_rw(x);
    }
}

/*
 * HV_OP_MMU_PIN's r2: the first bytes are written 0 and not checked, the
 * rest is; the count of used entries per table frame follows pins,
 * updates and unpins, and unpinning still drops every reference of a
 * frame whose count says it has some.
 */
TEST(pt, pin_zeroes_the_first_bytes)
{
    struct vm *vm = pt_test_vm();
    const uint32_t x = G + 0x40000;
    uint32_t *t = mem(L1A);
    uint32_t *l2 = hw(L2A);

    /* Garbage the guest left where it asked for zeros is not looked at. */
    for (uint32_t i = 0; i < 0xc00; i++) {
        t[i] = 0xffffffffu;
    }
    t[0xc00] = section(G + 2 * MIB, L1_AP_RW, HV_MMU_DOMAIN_KERNEL);
    EXPECT_EQ(pt_pin_l1(vm, pa_init(L1A), 0xc00 * 4 + 2), -HV_EINVAL);
    EXPECT_EQ(pt_pin_l1(vm, pa_init(L1A), HV_MMU_L1_SIZE + 4), -HV_EINVAL);
    EXPECT_EQ(counts(L1A).type, 0u);
    EXPECT_EQ(pt_pin_l1(vm, pa_init(L1A), 0xbff * 4), -HV_EINVAL);
    EXPECT_EQ(counts(L1A).type, 0u);
    ASSERT_EQ(pt_pin_l1(vm, pa_init(L1A), 0xc00 * 4), HV_OK);
    for (uint32_t i = 0; i < 0xc00; i++) {
        ASSERT_EQ(t[i], 0u);
    }
    EXPECT_EQ(swr(G + 2 * MIB), 1u);
    EXPECT_EQ(counts(L1A).used_entries, 0u);
    EXPECT_EQ(counts(L1A + 0x2000).used_entries, 0u);
    EXPECT_EQ(counts(L1A + 0x3000).used_entries, 1u); /* 0xc00 */
    EXPECT_EQ(counts(L1A + 0x3000).writable_refs, 0u);

    /* An L2 frame cleared whole: the guest's half too. */
    mem(L2A)[5] = 0x1234u;
    l2[9] = 0xffffffffu;
    ASSERT_EQ(pt_pin_l2(vm, pa_init(L2A), 4096), HV_OK);
    for (uint32_t i = 0; i < 1024; i++) {
        ASSERT_EQ(mem(L2A)[i], 0u);
    }
    EXPECT_EQ(counts(L2A).used_entries, 0u);
    /* Only its guest's half: the hardware half is checked. */
    ASSERT_EQ(unpin(vm, L2A), HV_OK);
    l2[9] = page_rw(FAKE_RAM_BASE); /* not the guest's */
    EXPECT_EQ(pt_pin_l2(vm, pa_init(L2A), HV_MMU_L2_HW_OFFSET), -HV_EPERM);
    l2[9] = page_rw(x);
    ASSERT_EQ(pt_pin_l2(vm, pa_init(L2A), HV_MMU_L2_HW_OFFSET + 4), HV_OK);
    EXPECT_EQ(counts(L2A).used_entries, 1u);
    EXPECT_EQ(counts(x).writable_refs, 1u);

    /* Updates count: 0 to used, used to used, used to 0. */
    ASSERT_EQ(update(vm, L1A + 4 * 0x10, table(hwt(L2A, 0), 1)), HV_OK);
    EXPECT_EQ(counts(L1A).used_entries, 1u);
    ASSERT_EQ(update(vm, L2A + HV_MMU_L2_HW_OFFSET + 4 * 20, page_rw(x)),
              HV_OK);
    ASSERT_EQ(update(vm, L2A + HV_MMU_L2_HW_OFFSET + 4 * 20, page_ro(x)),
              HV_OK);
    EXPECT_EQ(counts(L2A).used_entries, 2u);
    EXPECT_EQ(counts(x).writable_refs, 1u);
    ASSERT_EQ(update(vm, L2A + HV_MMU_L2_HW_OFFSET + 4 * 9, 0), HV_OK);
    EXPECT_EQ(counts(L2A).used_entries, 1u);
    EXPECT_EQ(counts(x).writable_refs, 0u);
    /* The guest's half is not counted. */
    ASSERT_EQ(update(vm, L2A + 4 * 3, 0x55u), HV_OK);
    EXPECT_EQ(counts(L2A).used_entries, 1u);

    /* Unpinning drops what the used frames hold, and clears the counts. */
    ASSERT_EQ(update(vm, L2A + HV_MMU_L2_HW_OFFSET + 4 * 511, page_rw(x)),
              HV_OK);
    EXPECT_EQ(counts(x).writable_refs, 1u);
    ASSERT_EQ(update(vm, L1A + 4 * 0x10, 0), HV_OK);
    EXPECT_EQ(counts(L1A).used_entries, 0u);
    ASSERT_EQ(unpin(vm, L2A), HV_OK);
    EXPECT_EQ(counts(x).writable_refs, 0u);
    EXPECT_EQ(counts(L2A).writable_refs, 0u);
    EXPECT_EQ(counts(L2A).used_entries, 0u);
    ASSERT_EQ(unpin(vm, L1A), HV_OK);
    EXPECT_EQ(swr(G + 2 * MIB), 0u);
    for (uint32_t k = 0; k < 4; k++) {
        EXPECT_EQ(counts(L1A + k * 0x1000).writable_refs, 0u);
        EXPECT_EQ(counts(L1A + k * 0x1000).type_refs, 0u);
    }
}

TEST(pt, unpin_errors)
{
    struct vm *vm = pt_test_vm();

    ASSERT_EQ(pin_l1(vm, L1A), HV_OK);
    ASSERT_EQ(pin_l1(vm, L1B), HV_OK);
    vm->active_l1 = pa_init(L1A);
    EXPECT_EQ(unpin(vm, L1A), -HV_EBUSY); /* the guest runs on it */
    EXPECT_EQ(counts(L1A).type, 1u);
    EXPECT_EQ(mem(L1A)[WINDOW_FIRST], FAKE_WINDOW_L1(WINDOW_FIRST));
    EXPECT_EQ(unpin(vm, L1A + 0x1000), -HV_EINVAL); /* inside an L1 */
    EXPECT_EQ(unpin(vm, L1A + 0x3000), -HV_EINVAL);
    EXPECT_EQ(unpin(vm, L1A + 4), -HV_EINVAL);
    EXPECT_EQ(unpin(vm, DATA), -HV_EINVAL);
    EXPECT_EQ(unpin(vm, FAKE_RAM_BASE), -HV_EINVAL);
    EXPECT_EQ(unpin(vm, G + GSIZE), -HV_EINVAL);
    ASSERT_EQ(pt_set_shared(vm, pa_init(DATA)), HV_OK);
    EXPECT_EQ(unpin(vm, DATA), -HV_EINVAL);
    EXPECT_EQ(counts(DATA).type, 3u);
    EXPECT_EQ(counts(L1A).type, 1u);
    /* Another L1 may go. */
    EXPECT_EQ(unpin(vm, L1B), HV_OK);
    vm->active_l1 = pa_init(0);
    EXPECT_EQ(unpin(vm, L1A), HV_OK);
}

/* --- Translation --------------------------------------------------------- */

/*
 * L1A active: VA GVA through L2A (domain 1), GVA + 1 MiB a writable
 * section (domain 2), GVA + 2 MiB a read-only section (domain 1).
 */
static void pt_translate_setup(struct vm *vm)
{
    uint32_t *l2 = hw(L2A);
    uint32_t *t = mem(L1A);

    l2[0] = page_rw(G + 0x40000);
    l2[1] = page_ro(G + 0x41000);
    l2[2] = (G + 0x42000) | L2_NORMAL | L2_AP_PL1;          /* AP 001 */
    l2[3] = (G + 0x43000) | L2_NORMAL | L2_APX | L2_AP_RW;  /* AP 111 */
    l2[4] = 0;                                              /* fault */
    l2[5] = (G + 0x45000) | L2_NORMAL | L2_APX | L2_AP_RO;  /* AP 110 */
    l2[6] = (G + 0x46000) | L2_NORMAL | L2_APX | L2_AP_PL1; /* AP 101 */
    ASSERT_EQ(pin_l2(vm, L2A), HV_OK);
    t[GVA >> 20] = table(hwt(L2A, 0), HV_MMU_DOMAIN_KERNEL);
    t[(GVA >> 20) + 1] = section(G + 2 * MIB, L1_AP_RW, HV_MMU_DOMAIN_USER);
    t[(GVA >> 20) + 2] = section(G + 3 * MIB, L1_AP_RO, HV_MMU_DOMAIN_KERNEL);
    ASSERT_EQ(pin_l1(vm, L1A), HV_OK);
    vm->active_l1 = pa_init(L1A);
}

TEST(pt, translate_permissions)
{
    struct vm *vm = pt_test_vm();
    uint32_t pa;

    pt_translate_setup(vm);
    EXPECT_EQ(translate(vm, GVA + 0x123, false, &pa), HV_OK);
    EXPECT_EQ(pa, G + 0x40123);
    EXPECT_EQ(translate(vm, GVA + 0xffc, true, &pa), HV_OK);
    EXPECT_EQ(pa, G + 0x40ffc);

    EXPECT_EQ(translate(vm, GVA + 0x1010, false, &pa), HV_OK);
    EXPECT_EQ(pa, G + 0x41010);
    EXPECT_EQ(translate(vm, GVA + 0x1010, true, NULL), -HV_EFAULT);
    EXPECT_EQ(translate(vm, GVA + 0x2000, false, NULL), -HV_EFAULT);
    EXPECT_EQ(translate(vm, GVA + 0x2000, true, NULL), -HV_EFAULT);
    EXPECT_EQ(translate(vm, GVA + 0x3000, false, NULL), HV_OK);
    EXPECT_EQ(translate(vm, GVA + 0x3000, true, NULL), -HV_EFAULT);
    EXPECT_EQ(translate(vm, GVA + 0x4000, false, NULL), -HV_EFAULT);
    EXPECT_EQ(translate(vm, GVA + 0x5000, false, NULL), HV_OK);
    EXPECT_EQ(translate(vm, GVA + 0x5000, true, NULL), -HV_EFAULT);
    EXPECT_EQ(translate(vm, GVA + 0x6000, false, NULL), -HV_EFAULT);
    EXPECT_EQ(translate(vm, GVA + 0x7000, false, NULL), -HV_EFAULT);

    EXPECT_EQ(translate(vm, GVA + MIB + 0x12345, true, &pa), HV_OK);
    EXPECT_EQ(pa, G + 2 * MIB + 0x12345);
    EXPECT_EQ(translate(vm, GVA + 2 * MIB + 0xfffff, false, &pa), HV_OK);
    EXPECT_EQ(pa, G + 3 * MIB + 0xfffff);
    EXPECT_EQ(translate(vm, GVA + 2 * MIB, true, NULL), -HV_EFAULT);
    EXPECT_EQ(translate(vm, GVA + 3 * MIB, false, NULL), -HV_EFAULT);
    EXPECT_EQ(translate(vm, GVA - 4, false, NULL), -HV_EFAULT);
    EXPECT_EQ(translate(vm, 0, false, NULL), -HV_EFAULT);
}

TEST(pt, translate_domains_in_user_mode)
{
    struct vm *vm = pt_test_vm();

    pt_translate_setup(vm);
    vm->mode = VM_MODE_USER;
    /* The kernel domain is off, through a table or a section. */
    EXPECT_EQ(translate(vm, GVA, false, NULL), -HV_EFAULT);
    EXPECT_EQ(translate(vm, GVA + 2 * MIB, false, NULL), -HV_EFAULT);
    /* The user domain is on. */
    EXPECT_EQ(translate(vm, GVA + MIB, true, NULL), HV_OK);
    vm->mode = VM_MODE_KERNEL;
    EXPECT_EQ(translate(vm, GVA, true, NULL), HV_OK);
    EXPECT_EQ(translate(vm, GVA + 2 * MIB, false, NULL), HV_OK);
    EXPECT_EQ(translate(vm, GVA + MIB, true, NULL), HV_OK);
}

TEST(pt, translate_monitor_window)
{
    struct vm *vm = pt_test_vm();

    pt_translate_setup(vm);
    /* Whatever the window entries hold, they are not the guest's. */
    uint32_t *t = mem(L1A);
    t[WINDOW_FIRST] = section(G + 2 * MIB, L1_AP_RW, HV_MMU_DOMAIN_USER);
    t[WINDOW_LAST] = section(G + 2 * MIB, L1_AP_RW, HV_MMU_DOMAIN_USER);
    t[WINDOW_LAST + 1] = section(G + 2 * MIB, L1_AP_RW, HV_MMU_DOMAIN_USER);
    EXPECT_EQ(translate(vm, HV_MMU_WINDOW_BASE, false, NULL), -HV_EFAULT);
    EXPECT_EQ(translate(vm, HV_MMU_WINDOW_END - 1, false, NULL), -HV_EFAULT);
    EXPECT_EQ(translate(vm, HV_MMU_WINDOW_END, true, NULL), HV_OK);

    /* Without an active L1 nothing translates. */
    vm->active_l1 = pa_init(0);
    EXPECT_EQ(translate(vm, GVA, false, NULL), -HV_EFAULT);
}

TEST(pt, translate_device_memory)
{
    struct vm *vm = pt_test_vm();

    vm->device_count = 2;
    vm->devices[0] = (struct vm_device){0x10000000u, 0x2000};
    vm->devices[1] = (struct vm_device){0x11000000u, MIB};
    pt_translate_setup(vm);
    ASSERT_EQ(update(vm, l2e(L2A, 8), page_dev(0x10001000u, L2_AP_RW)), HV_OK);
    ASSERT_EQ(update(vm, l1e(L1A, (GVA >> 20) + 3),
                     section(0x11000000u, L1_AP_RW | L1_XN | L1_B, 1)),
              HV_OK);
    /* Mapped, but the monitor never reads device memory as memory. */
    EXPECT_EQ(translate(vm, GVA + 0x8000, false, NULL), -HV_EFAULT);
    EXPECT_EQ(translate(vm, GVA + 0x8000, true, NULL), -HV_EFAULT);
    EXPECT_EQ(translate(vm, GVA + 3 * MIB + 0x10, false, NULL), -HV_EFAULT);
}

/* --- Device regions and the clock page ----------------------------------- */

TEST(pt, device_regions)
{
    struct vm *vm = pt_test_vm();
    const uint32_t d = 0x10000000u;
    const uint32_t s = 0x11000000u;
    vm->device_count = 2;
    vm->devices[0] = (struct vm_device){d, 0x2000};
    vm->devices[1] = (struct vm_device){s, MIB};
    const struct pt_case pages[] = {
        {page_dev(d, L2_AP_RW), HV_OK},
        {page_dev(d + 0x1000, L2_AP_RO), HV_OK},
        {(d + 0x1000) | L2_SMALL | L2_XN | L2_AP_RW, HV_OK}, /* strongly ord. */
        {(s + 0x80000) | L2_SMALL | L2_XN | L2_B | L2_AP_RW, HV_OK},
        /* Executable device memory. */
        {d | L2_SMALL | L2_B | L2_AP_RW, -HV_EINVAL},
        /* Normal memory types. */
        {d | L2_SMALL | L2_XN | L2_B | L2_C | L2_TEX(1) | L2_AP_RW, -HV_EINVAL},
        {d | L2_SMALL | L2_XN | L2_C | L2_AP_RW, -HV_EINVAL},
        {d | L2_SMALL | L2_XN | L2_B | L2_C | L2_AP_RW, -HV_EINVAL},
        {d | L2_SMALL | L2_XN | L2_TEX(1) | L2_AP_RW, -HV_EINVAL},
        /* Outside the regions. */
        {page_dev(d + 0x2000, L2_AP_RW), -HV_EPERM},
        {page_dev(d - 0x1000, L2_AP_RW), -HV_EPERM},
        {page_dev(s + MIB, L2_AP_RW), -HV_EPERM},
        {page_dev(0x20000000u, L2_AP_RO), -HV_EPERM},
        /* Checked before the type: outside a region is EPERM anyway. */
        {(d + 0x2000) | L2_SMALL | L2_AP_RW, -HV_EPERM},
    };
    const struct pt_case sections[] = {
        {section(s, L1_AP_RW | L1_XN | L1_B, 1), HV_OK},
        {section(s, L1_AP_RO | L1_XN, 2), HV_OK},
        {section(s, L1_AP_RW | L1_B, 1), -HV_EINVAL},
        {section(s, L1_AP_RW | L1_XN | L1_B | L1_C | L1_TEX(1), 1), -HV_EINVAL},
        {section(s, L1_AP_RW | L1_XN | L1_TEX(1), 1), -HV_EINVAL},
        /* Region d is smaller than a section. */
        {section(d, L1_AP_RW | L1_XN | L1_B, 1), -HV_EPERM},
        {section(s + MIB, L1_AP_RW | L1_XN | L1_B, 1), -HV_EPERM},
        /* The domain rules hold for devices too. */
        {section(s, L1_AP_RW | L1_XN | L1_B, 0), -HV_EPERM},
    };

    ASSERT_EQ(pin_l2(vm, L2A), HV_OK);
    ASSERT_EQ(pin_l1(vm, L1A), HV_OK);
    pt_cases(vm, l2e(L2A, 9), pages, ARRAY_SIZE(pages));
    pt_cases(vm, l1e(L1A, 0x700), sections, ARRAY_SIZE(sections));
    /* Device mappings hold no references: the tables unpin cleanly. */
    ASSERT_EQ(update(vm, l2e(L2A, 9), page_dev(d, L2_AP_RW)), HV_OK);
    ASSERT_EQ(update(vm, l1e(L1A, 0x700), sections[0].value), HV_OK);
    EXPECT_EQ(unpin(vm, L1A), HV_OK);
    EXPECT_EQ(unpin(vm, L2A), HV_OK);
    expect_clear(G, 0x40000);
}

/*
 * Bug: hv/core/pt.c pt_check_device accepts TEX:C:B "010:0:0" as
 * tex_c_b == 0x10, but the value is built as TEX << 2 | C << 1 | B, so
 * TEX = 010 gives 0x08. Device memory as <hvabi/mmu.h> documents it
 * (010:0:0, non-shareable Device) is refused with HV_EINVAL, and
 * TEX:C:B 100:0:0 (Normal memory, non-cacheable) is accepted for a device
 * region.
 */
TEST(pt, device_type_010)
{
    struct vm *vm = pt_test_vm();
    const uint32_t d = 0x10000000u;
    const uint32_t s = 0x11000000u;
    vm->device_count = 2;
    vm->devices[0] = (struct vm_device){d, 0x1000};
    vm->devices[1] = (struct vm_device){s, MIB};
    const struct pt_case pages[] = {
        {d | L2_SMALL | L2_XN | L2_TEX(2) | L2_AP_RW, HV_OK},
        {d | L2_SMALL | L2_XN | L2_TEX(4) | L2_AP_RW, -HV_EINVAL},
    };
    const struct pt_case sections[] = {
        {section(s, L1_AP_RW | L1_XN | L1_TEX(2), 1), HV_OK},
        {section(s, L1_AP_RW | L1_XN | L1_TEX(4), 1), -HV_EINVAL},
    };

    ASSERT_EQ(pin_l2(vm, L2A), HV_OK);
    ASSERT_EQ(pin_l1(vm, L1A), HV_OK);
    pt_cases(vm, l2e(L2A, 9), pages, ARRAY_SIZE(pages));
    pt_cases(vm, l1e(L1A, 0x700), sections, ARRAY_SIZE(sections));
}

TEST(pt, clock_page)
{
    struct vm *vm = pt_test_vm();
    const uint32_t clk = 0x10020000u;
    const struct pt_case with_clock[] = {
        {page_dev(clk, L2_AP_RO), HV_OK},
        {page_dev(clk, L2_APX | L2_AP_RW), HV_OK},  /* AP 111 */
        {clk | L2_SMALL | L2_XN | L2_AP_RO, HV_OK}, /* strongly ordered */
        {page_dev(clk, L2_AP_RW), -HV_EPERM},       /* writable */
        {clk | L2_SMALL | L2_B | L2_AP_RO, -HV_EINVAL},
        {clk | L2_NORMAL | L2_XN | L2_AP_RO, -HV_EINVAL},
        {page_dev(clk + 0x1000, L2_AP_RO), -HV_EPERM},
        {page_dev(clk - 0x1000, L2_AP_RO), -HV_EPERM},
    };
    const struct pt_case sections[] = {
        /* Only its own page, never the section around it. */
        {section(clk, L1_AP_RO | L1_XN | L1_B, 1), -HV_EPERM},
    };
    const struct pt_case without_clock[] = {
        {page_dev(clk, L2_AP_RO), -HV_EPERM},
        /* "No clock page" is page 0, which is not one either. */
        {page_dev(0, L2_AP_RO), -HV_EPERM},
    };

    ASSERT_EQ(pin_l2(vm, L2A), HV_OK);
    ASSERT_EQ(pin_l1(vm, L1A), HV_OK);
    pt_cases(vm, l2e(L2A, 9), without_clock, ARRAY_SIZE(without_clock));
    const struct timer_dev dev = {
        .hz = 1000000, .guest_page = pa_init(clk), .guest_offset = 0x24};
    clock_set_guest_counter(&dev);
    pt_cases(vm, l2e(L2A, 9), with_clock, ARRAY_SIZE(with_clock));
    pt_cases(vm, l1e(L1A, 0x700), sections, ARRAY_SIZE(sections));
    clock_set_guest_counter(NULL);
    pt_cases(vm, l2e(L2A, 9), without_clock, ARRAY_SIZE(without_clock));
}

/* --- The shared vCPU page ------------------------------------------------ */

TEST(pt, shared_page_is_never_a_table)
{
    struct vm *vm = pt_test_vm();
    const uint32_t sh = DATA;

    ASSERT_EQ(pin_l2(vm, L2A), HV_OK);
    EXPECT_EQ(pt_set_shared(vm, pa_init(sh + 4)), -HV_EINVAL);
    EXPECT_EQ(pt_set_shared(vm, pa_init(FAKE_RAM_BASE)), -HV_EPERM);
    EXPECT_EQ(pt_set_shared(vm, pa_init(G + GSIZE)), -HV_EPERM);
    EXPECT_EQ(pt_set_shared(vm, pa_init(L2A)), -HV_EBUSY);
    EXPECT_EQ(counts(L2A).type, 2u);

    ASSERT_EQ(pt_set_shared(vm, pa_init(sh)), HV_OK);
    EXPECT_EQ(counts(sh).type, 3u);
    EXPECT_EQ(pin_l2(vm, sh), -HV_EBUSY);
    EXPECT_EQ(pin_l1(vm, sh), -HV_EBUSY); /* DATA is 16 KiB aligned */
    EXPECT_EQ(counts(sh).type, 3u);
    /* It may be mapped writable, as a guest maps its shared page. */
    EXPECT_EQ(update(vm, l2e(L2A, 0x30), page_rw(sh)), HV_OK);
    EXPECT_EQ(counts(sh).writable_refs, 1u);
    EXPECT_EQ(counts(sh).type, 3u);

    pt_clear_shared(vm, pa_init(sh));
    EXPECT_EQ(counts(sh).type, 0u);
    EXPECT_EQ(counts(sh).writable_refs, 1u); /* the mapping's, kept */
    EXPECT_EQ(pin_l2(vm, sh), -HV_EBUSY);    /* still writable */
    ASSERT_EQ(update(vm, l2e(L2A, 0x30), page_ro(sh)), HV_OK);
    EXPECT_EQ(pin_l2(vm, sh), HV_OK);
}

/* --- The initial address space ------------------------------------------- */

TEST(pt, initial_tables_offset)
{
    /* L1 16 KiB aligned below one L2 per 2 MiB, below the start info. */
    EXPECT_EQ(pt_initial_tables_offset(MIB), 0xf8000u);
    EXPECT_EQ(pt_initial_tables_offset(2 * MIB), 0x1f8000u);
    EXPECT_EQ(pt_initial_tables_offset(3 * MIB), 0x2f8000u);
    EXPECT_EQ(pt_initial_tables_offset(64 * MIB), 0x3fd8000u);
    EXPECT_EQ(pt_initial_tables_offset(0x6000), 0u);
    EXPECT_EQ(pt_initial_tables_offset(0x5000), 0u);
    EXPECT_EQ(pt_initial_tables_offset(0), 0u);
}

TEST(pt, build_initial_layout)
{
    static const uint32_t sizes[] = {MIB, 2 * MIB, 3 * MIB, 5 * MIB};
    const uint32_t base = FAKE_RAM_BASE + 8 * MIB;

    fake_console_capture();
    for (size_t n = 0; n < ARRAY_SIZE(sizes); n++) {
        const uint32_t size = sizes[n];
        const uint32_t top = base + size - 4096; /* the start-info page */
        struct pt_initial out = {0, 0, 0};

        pt_init(pa_init(FAKE_RAM_BASE), FAKE_RAM_SIZE);
        struct vm *vm = pt_test_vm_at(base, size);
        vm->image_size = 64;
        ASSERT_EQ(pt_build_initial(vm, &out), HV_OK);

        EXPECT_EQ(out.l2_count, (size + 2 * MIB - 1) / (2 * MIB));
        EXPECT_EQ(out.l2_first + out.l2_count * 4096, top);
        EXPECT_EQ(out.l1 % HV_MMU_L1_SIZE, 0u);
        EXPECT_TRUE(out.l1 + HV_MMU_L1_SIZE <= out.l2_first);
        EXPECT_TRUE(out.l2_first - (out.l1 + HV_MMU_L1_SIZE) < HV_MMU_L1_SIZE);
        EXPECT_EQ(out.l1, base + pt_initial_tables_offset(size));
        EXPECT_EQ(pa_addr(vm->active_l1), out.l1);
        EXPECT_TRUE(pt_is_l1(vm, pa_init(out.l1)));
        for (uint32_t f = 0; f < out.l2_count; f++) {
            EXPECT_EQ(counts(out.l2_first + f * 4096).type, 2u);
        }
        EXPECT_EQ(counts(out.l2_first).type_refs, size >= 2 * MIB ? 2u : 1u);

        /* Every page at its place; only the tables read-only. */
        unsigned int wrong = 0;
        for (uint32_t off = 0; off < size; off += 4096) {
            uint32_t pa = 0;
            bool is_table = base + off >= out.l1 && base + off < top;
            wrong += translate(vm, GVA + off + 8, false, &pa) != HV_OK ||
                     pa != base + off + 8;
            wrong += translate(vm, GVA + off, true, NULL) !=
                     (is_table ? -HV_EFAULT : HV_OK);
            wrong += counts(base + off).writable_refs != (is_table ? 0u : 1u);
        }
        EXPECT_EQ(wrong, 0u);
        EXPECT_EQ(translate(vm, GVA + size, false, NULL), -HV_EFAULT);
        EXPECT_EQ(translate(vm, GVA - 4096, false, NULL), -HV_EFAULT);

        /* Kernel domain, not global, nothing else mapped. */
        const uint32_t *t = mem(out.l1);
        unsigned int others = 0;
        for (uint32_t i = 0; i < 4096; i++) {
            bool guest = i >= (GVA >> 20) && i < ((GVA + size) >> 20);
            bool window = i >= WINDOW_FIRST && i <= WINDOW_LAST;
            others += !guest && !window && t[i] != 0;
        }
        EXPECT_EQ(others, 0u);
        EXPECT_EQ((t[GVA >> 20] >> 5) & 0xfu, HV_MMU_DOMAIN_KERNEL);
        EXPECT_TRUE(hw(out.l2_first)[0] & L2_NG);

        /* MiB n through hardware table n % 2 of L2 frame n / 2, that is
         * byte 2048 or 3072 of it. */
        unsigned int bad_l1 = 0;
        for (uint32_t mb = 0; mb < size / MIB; mb++) {
            uint32_t l2 = out.l2_first + (mb / 2) * 4096;
            bad_l1 += t[(GVA >> 20) + mb] !=
                      table(hwt(l2, mb % 2), HV_MMU_DOMAIN_KERNEL);
        }
        EXPECT_EQ(bad_l1, 0u);
        EXPECT_EQ(t[GVA >> 20], (out.l2_first + 2048) | 0x21u);
        if (size >= 2 * MIB) {
            EXPECT_EQ(t[(GVA >> 20) + 1], (out.l2_first + 3072) | 0x21u);
        }
        /* Hardware entries from byte 2048 of each L2 frame, page i at
         * entry i; the private half and entries past the end left 0. */
        unsigned int bad_l2 = 0;
        unsigned int private_set = 0;
        for (uint32_t f = 0; f < out.l2_count; f++) {
            const uint32_t *own = mem(out.l2_first + f * 4096);
            const uint32_t *e = hw(out.l2_first + f * 4096);
            for (uint32_t i = 0; i < 512; i++) {
                uint32_t pa = base + (f * 512 + i) * 4096;
                bool is_table = pa >= out.l1 && pa < top;
                uint32_t want = 0;
                if (pa - base < size) {
                    want = pa | L2_NORMAL | (is_table ? L2_AP_RO : L2_AP_RW);
                }
                bad_l2 += e[i] != want;
                private_set += own[i] != 0;
            }
        }
        EXPECT_EQ(bad_l2, 0u);
        EXPECT_EQ(private_set, 0u);
        vm->mode = VM_MODE_USER;
        EXPECT_EQ(translate(vm, GVA, false, NULL), -HV_EFAULT);
    }
}

TEST(pt, build_initial_image_too_large)
{
    const uint32_t base = FAKE_RAM_BASE + 8 * MIB;
    struct pt_initial out = {0, 0, 0};

    pt_init(pa_init(FAKE_RAM_BASE), FAKE_RAM_SIZE);
    struct vm *vm = pt_test_vm_at(base, MIB);
    vm->image_size = pt_initial_tables_offset(MIB) + 1;
    EXPECT_EQ(pt_build_initial(vm, &out), -HV_ENOMEM);
    EXPECT_EQ(pa_addr(vm->active_l1), 0u);
    expect_clear(base, MIB);
    vm->image_size = pt_initial_tables_offset(MIB);
    EXPECT_EQ(pt_build_initial(vm, &out), HV_OK);
}

/* --- Releasing a guest --------------------------------------------------- */

TEST(pt, release_vm_zeroes_counts)
{
    struct vm *vm = pt_test_vm();
    /* A second guest right above, with a table of its own. */
    struct vm *other = pt_test_vm_at(G + GSIZE, MIB);
    const uint32_t other_l2 = G + GSIZE + 0x8000;
    uint32_t *l2 = hw(L2A);
    uint32_t *t = mem(L1A);

    hw(other_l2)[0] = page_rw(G + GSIZE + 0x9000);
    ASSERT_EQ(pin_l2(other, other_l2), HV_OK);

    l2[0] = page_rw(DATA);
    l2[1] = page_rw(DATA);
    ASSERT_EQ(pin_l2(vm, L2A), HV_OK);
    ASSERT_EQ(pin_l2(vm, L2B), HV_OK);
    t[0x800] = table(hwt(L2A, 0), 1);
    t[0x801] = section(G + 2 * MIB, L1_AP_RW, 1);
    ASSERT_EQ(pin_l1(vm, L1A), HV_OK);
    ASSERT_EQ(pt_set_shared(vm, pa_init(DATA + 0x4000)), HV_OK);
    vm->active_l1 = pa_init(L1A);

    pt_release_vm(vm);
    expect_clear(G, GSIZE);
    for (uint32_t s = 0; s < GSIZE; s += MIB) {
        EXPECT_EQ(swr(G + s), 0u);
    }
    /* The other guest keeps its table and its counts. */
    EXPECT_EQ(counts(other_l2).type, 2u);
    EXPECT_EQ(counts(G + GSIZE + 0x9000).writable_refs, 1u);

    /* The MiB that held the tables holds none now: it may be mapped
     * writable, by an L1 in another MiB. */
    vm->active_l1 = pa_init(0);
    const uint32_t l1 = G + MIB + 0x10000;
    uint32_t *tb = mem(l1);
    tb[0x800] = section(G, L1_AP_RW, 1);
    EXPECT_EQ(pin_l1(vm, l1), HV_OK);
    EXPECT_EQ(swr(G), 1u);
    EXPECT_EQ(unpin(vm, l1), HV_OK);
    EXPECT_EQ(pin_l2(vm, L2A), HV_OK);
    EXPECT_EQ(counts(DATA).writable_refs, 2u);
}
