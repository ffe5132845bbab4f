/* SPDX-License-Identifier: MIT */
/*
 * Grants (<hvabi/grant.h>; hv/core/grant.c, pt_grant_map/unmap in pt.c,
 * the GRANT_* cases of hypercall.c): guests made by vm_create, calls made
 * through hypercall_handle as the trap would, the self-check run after
 * each step that changes counts.
 */
#include <arch/fake.h>
#include <hvabi/mmu.h>
#include <stdio.h>
#include <string.h>

#include "hv/grant.h"
#include "hv/guest.h"
#include "hv/hypercall.h"
#include "hv/mem.h"
#include "hv/pt.h"
#include "hv/sched.h"
#include "hv/selfcheck.h"
#include "unit.h"
#include "unit_vm.h"

#define MIB UNIT_MIB
#define BASE UNIT_GUEST_BASE
#define PAGE 4096u

/* Small page attributes, as a guest passes them to HV_OP_GRANT_MAP. */
#define ATTR_RW                                                                \
    (HV_L2_SMALL | HV_L2_TEXCB(HV_TEXCB_NORMAL_WBWA) | HV_L2_AP(HV_AP_RW))
#define ATTR_RO                                                                \
    (HV_L2_SMALL | HV_L2_TEXCB(HV_TEXCB_NORMAL_WBWA) | HV_L2_AP(HV_AP_PL0_RO))

#define MAP_PAGE 16u /* beta's page whose entry maps grants */
#define MAP_VA (BASE + MAP_PAGE * PAGE)

static struct vm *alpha; /* the granter, 1 MiB */
static struct vm *beta;  /* the grantee, 2 MiB */
static struct vm *gamma_;

static void gr_setup(void)
{
    unit_vm_setup();
    alpha = unit_vm_create("alpha", MIB);
    beta = unit_vm_create("beta", 2 * MIB);
    gamma_ = unit_vm_create("gamma", MIB);
}

static int32_t gr_call(struct vm *vm, uint32_t op, uint32_t a0, uint32_t a1,
                       uint32_t a2, uint32_t a3)
{
    sched_set_current(vm);
    vm->regs.r[12] = op;
    vm->regs.r[0] = a0;
    vm->regs.r[1] = a1;
    vm->regs.r[2] = a2;
    vm->regs.r[3] = a3;
    fake_exception_return(hypercall_handle(vm));
    return (int32_t)vm->regs.r[0];
}

static uint32_t gr_pa(const struct vm *vm, uint32_t off)
{
    return (uint32_t)pa_addr(vm->mem_pa) + off;
}

/* The initial L2 entry of @vm's page @page (<hvabi/start_info.h>). */
static uint32_t gr_entry(const struct vm *vm, uint32_t page)
{
    uint32_t l2_count = (vm->mem_size + 2 * MIB - 1) / (2 * MIB);
    uint32_t l2_first = gr_pa(vm, vm->mem_size - PAGE) - l2_count * PAGE;
    return l2_first + (page / 512) * PAGE + HV_MMU_L2_HW_OFFSET +
           (page % 512) * 4;
}

/* Empties beta's entry for MAP_PAGE, so a grant can be mapped there. */
static void gr_clear_entry(void)
{
    ASSERT_EQ(pt_update(beta, pa_init(gr_entry(beta, MAP_PAGE)), 0), HV_OK);
}

static int32_t gr_grant(uint32_t off, uint32_t peer, uint32_t flags)
{
    return gr_call(alpha, HV_OP_GRANT_ACCESS, gr_pa(alpha, off), peer, flags,
                   0);
}

static int32_t gr_map(struct vm *vm, uint32_t ref, uint32_t attrs)
{
    return gr_call(vm, HV_OP_GRANT_MAP, alpha->id, ref, gr_entry(vm, MAP_PAGE),
                   attrs);
}

static uint32_t gr_writable(uint32_t pa)
{
    struct pt_frame_counts c;
    ASSERT_TRUE(pt_frame_counts(pa_init(pa), &c));
    return c.writable_refs;
}

static void gr_selfcheck_ok(void)
{
    struct selfcheck_result r;
    bool ok = selfcheck_run(&r);
    if (!ok) {
        fprintf(stderr, "self-check: %s\n", r.what);
    }
    EXPECT_TRUE(ok);
}

static uint32_t gr_maps(uint32_t ref)
{
    return grant_entry_at(alpha->id, ref)->maps;
}

TEST(grant, access_checks_arguments)
{
    gr_setup();
    EXPECT_EQ(gr_grant(0x1000, beta->id, 0), 0);
    EXPECT_EQ(gr_grant(0x2000, beta->id, HV_GRANT_READONLY), 1);
    EXPECT_EQ(gr_grant(0x2001, beta->id, 0), -HV_EINVAL);
    EXPECT_EQ(gr_grant(0x3000, beta->id, 2), -HV_EINVAL);
    EXPECT_EQ(gr_grant(0x3000, alpha->id, 0), -HV_EINVAL);
    EXPECT_EQ(gr_grant(0x3000, 0, 0), -HV_EINVAL);
    EXPECT_EQ(gr_grant(0x3000, HV_MAX_VMS + 1, 0), -HV_EINVAL);
    EXPECT_EQ(gr_grant(MIB, beta->id, 0), -HV_EPERM); /* beyond alpha */
    EXPECT_EQ(
        gr_call(alpha, HV_OP_GRANT_ACCESS, gr_pa(beta, 0), gamma_->id, 0, 0),
        -HV_EPERM);
    /* A peer that does not exist yet may be named. */
    EXPECT_EQ(gr_grant(0x3000, 7, 0), 2);
    for (uint32_t i = 3; i < HV_GRANT_ENTRIES; i++) {
        EXPECT_EQ(gr_grant(0x3000, beta->id, 0), (int32_t)i);
    }
    EXPECT_EQ(gr_grant(0x3000, beta->id, 0), -HV_ENOMEM);
    EXPECT_EQ(gr_call(alpha, HV_OP_GRANT_END, 1, 0, 0, 0), HV_OK);
    EXPECT_EQ(gr_grant(0x3000, beta->id, 0), 1); /* reused */
    EXPECT_EQ(gr_call(alpha, HV_OP_GRANT_END, HV_GRANT_ENTRIES, 0, 0, 0),
              -HV_EINVAL);
    gr_selfcheck_ok();
}

/*
 * The manifest's max-grants bounds the references a guest gets: past it
 * HV_ENOMEM, as for a full table, and ending one makes room again.
 */
TEST(grant, max_grants_bounds_the_table)
{
    unit_vm_setup();
    struct vm_config c = unit_vm_config("alpha", MIB);
    c.max_grants = 3;
    alpha = vm_create(&c);
    ASSERT_TRUE(alpha != NULL);
    beta = unit_vm_create("beta", 2 * MIB);
    EXPECT_EQ(alpha->max_grants, 3u);
    EXPECT_EQ(beta->max_grants, HV_GRANT_ENTRIES); /* config 0: the table */
    EXPECT_EQ(gr_grant(0x1000, beta->id, 0), 0);
    EXPECT_EQ(gr_grant(0x2000, beta->id, 0), 1);
    EXPECT_EQ(gr_grant(0x3000, beta->id, 0), 2);
    EXPECT_EQ(gr_grant(0x4000, beta->id, 0), -HV_ENOMEM);
    EXPECT_EQ(gr_call(alpha, HV_OP_GRANT_END, 3, 0, 0, 0), -HV_EINVAL);
    EXPECT_EQ(gr_call(alpha, HV_OP_GRANT_END, 1, 0, 0, 0), HV_OK);
    EXPECT_EQ(gr_grant(0x4000, beta->id, 0), 1); /* reused, still below 3 */
    EXPECT_EQ(gr_grant(0x5000, beta->id, 0), -HV_ENOMEM);
    gr_selfcheck_ok();
}

/*
 * A grant takes the first free entry from just past the last one given
 * (frontends end grants in about the order they made them: no scan of
 * the live ones), wrapping; a granter's next life starts from ref 0.
 */
TEST(grant, refs_given_round_from_the_last)
{
    gr_setup();
    EXPECT_EQ(gr_grant(0x1000, beta->id, 0), 0);
    EXPECT_EQ(gr_grant(0x2000, beta->id, 0), 1);
    EXPECT_EQ(gr_grant(0x3000, beta->id, 0), 2);
    EXPECT_EQ(gr_call(alpha, HV_OP_GRANT_END, 0, 0, 0, 0), HV_OK);
    EXPECT_EQ(gr_grant(0x1000, beta->id, 0), 3); /* not 0: past the last */
    for (uint32_t i = 4; i < HV_GRANT_ENTRIES; i++) {
        EXPECT_EQ(gr_grant(0x3000, beta->id, 0), (int32_t)i);
    }
    EXPECT_EQ(gr_grant(0x3000, beta->id, 0), 0); /* wrapped to the free one */
    EXPECT_EQ(gr_grant(0x3000, beta->id, 0), -HV_ENOMEM);
    EXPECT_EQ(gr_call(alpha, HV_OP_GRANT_END, 2, 0, 0, 0), HV_OK);
    EXPECT_EQ(gr_grant(0x3000, beta->id, 0), 2);
    gr_selfcheck_ok();
    /* What a stop does to the table: the next life's first ref is 0. */
    grant_release_granter(alpha->id);
    EXPECT_EQ(gr_grant(0x1000, beta->id, 0), 0);
    EXPECT_EQ(gr_grant(0x2000, beta->id, 0), 1);
    gr_selfcheck_ok();
}

TEST(grant, map_not_granted)
{
    gr_setup();
    gr_clear_entry();
    EXPECT_EQ(gr_map(beta, 0, ATTR_RW), -HV_ENOENT); /* no grant at all */
    int32_t ref = gr_grant(0x1000, gamma_->id, 0);
    EXPECT_EQ(gr_map(beta, (uint32_t)ref, ATTR_RW), -HV_ENOENT); /* gamma's */
    EXPECT_EQ(gr_call(beta, HV_OP_GRANT_MAP, 0, (uint32_t)ref,
                      gr_entry(beta, MAP_PAGE), ATTR_RW),
              -HV_ENOENT);
    EXPECT_EQ(gr_call(beta, HV_OP_GRANT_MAP, HV_MAX_VMS + 1, (uint32_t)ref,
                      gr_entry(beta, MAP_PAGE), ATTR_RW),
              -HV_ENOENT);
    /* An ordinary update still refuses another guest's frame. */
    EXPECT_EQ(pt_update(beta, pa_init(gr_entry(beta, MAP_PAGE)),
                        gr_pa(alpha, 0x1000) | ATTR_RW),
              -HV_EPERM);
    EXPECT_EQ(gr_writable(gr_pa(alpha, 0x1000)), 1u); /* alpha's own map */
    gr_selfcheck_ok();
}

TEST(grant, map_read_write_unmap)
{
    gr_setup();
    gr_clear_entry();
    uint32_t frame = gr_pa(alpha, 0x5000);
    int32_t ref = gr_grant(0x5000, beta->id, 0);
    ASSERT_EQ(ref, 0);
    memcpy(unit_vm_mem(alpha, BASE + 0x5000), "granted", 8);
    EXPECT_EQ(gr_map(beta, 0, ATTR_RW), HV_OK);
    EXPECT_EQ(gr_maps(0), 1u);
    EXPECT_EQ(gr_writable(frame), 2u); /* alpha's own mapping and beta's */
    gr_selfcheck_ok();

    /* beta reaches alpha's frame through its mapping, both ways. */
    char buf[8];
    paddr_t pa;
    EXPECT_EQ(pt_translate(beta, MAP_VA, true, &pa), HV_OK);
    EXPECT_EQ(pa_addr(pa), frame);
    EXPECT_EQ(vm_copy_from_guest(beta, buf, gva_init(MAP_VA), 8), HV_OK);
    EXPECT_STREQ(buf, "granted");
    EXPECT_EQ(vm_copy_to_guest(beta, gva_init(MAP_VA), "written", 8), HV_OK);
    EXPECT_STREQ((char *)unit_vm_mem(alpha, BASE + 0x5000), "written");

    /* A second mapping in the same entry: busy. End while mapped: busy. */
    EXPECT_EQ(gr_map(beta, 0, ATTR_RW), -HV_EBUSY);
    EXPECT_EQ(gr_call(alpha, HV_OP_GRANT_END, 0, 0, 0, 0), -HV_EBUSY);
    EXPECT_EQ(gr_maps(0), 1u);
    /* alpha cannot pin the frame as a table while beta maps it writable
     * (unmapping its own view first). */
    EXPECT_EQ(pt_update(alpha, pa_init(gr_entry(alpha, 5)), 0), HV_OK);
    EXPECT_EQ(pt_pin_l2(alpha, pa_init(frame), 0), -HV_EBUSY);

    /* Only beta's own grant mappings can be unmapped. */
    EXPECT_EQ(
        gr_call(beta, HV_OP_GRANT_UNMAP, gr_entry(beta, MAP_PAGE + 1), 0, 0, 0),
        -HV_EINVAL);
    EXPECT_EQ(
        gr_call(gamma_, HV_OP_GRANT_UNMAP, gr_entry(beta, MAP_PAGE), 0, 0, 0),
        -HV_EINVAL);
    EXPECT_EQ(
        gr_call(beta, HV_OP_GRANT_UNMAP, gr_entry(beta, MAP_PAGE), 0, 0, 0),
        HV_OK);
    EXPECT_EQ(*(uint32_t *)unit_vm_mem(beta, BASE + beta->mem_size - PAGE -
                                                 PAGE + HV_MMU_L2_HW_OFFSET +
                                                 MAP_PAGE * 4),
              0u);
    EXPECT_EQ(gr_maps(0), 0u);
    EXPECT_EQ(gr_writable(frame), 0u);
    EXPECT_EQ(
        gr_call(beta, HV_OP_GRANT_UNMAP, gr_entry(beta, MAP_PAGE), 0, 0, 0),
        -HV_EINVAL);
    gr_selfcheck_ok();
    EXPECT_EQ(gr_call(alpha, HV_OP_GRANT_END, 0, 0, 0, 0), HV_OK);
    /* Map after end. */
    EXPECT_EQ(gr_map(beta, 0, ATTR_RW), -HV_ENOENT);
    EXPECT_EQ(gr_call(alpha, HV_OP_GRANT_END, 0, 0, 0, 0), -HV_EINVAL);
    EXPECT_EQ(pt_pin_l2(alpha, pa_init(frame), 0), HV_OK);
    gr_selfcheck_ok();
}

TEST(grant, read_only_grant)
{
    gr_setup();
    gr_clear_entry();
    uint32_t frame = gr_pa(alpha, 0x6000);
    int32_t ref = gr_grant(0x6000, beta->id, HV_GRANT_READONLY);
    ASSERT_EQ(ref, 0);
    EXPECT_EQ(gr_map(beta, 0, ATTR_RW), -HV_EPERM);
    EXPECT_EQ(gr_maps(0), 0u);
    EXPECT_EQ(gr_map(beta, 0, ATTR_RO), HV_OK);
    EXPECT_EQ(gr_writable(frame), 1u); /* alpha's own only */
    paddr_t pa;
    EXPECT_EQ(pt_translate(beta, MAP_VA, false, &pa), HV_OK);
    EXPECT_EQ(pt_translate(beta, MAP_VA, true, &pa), -HV_EFAULT);
    EXPECT_EQ(vm_copy_to_guest(beta, gva_init(MAP_VA), "x", 1), -HV_EFAULT);
    gr_selfcheck_ok();
    /* Overwriting the entry with an update unmaps it. */
    EXPECT_EQ(pt_update(beta, pa_init(gr_entry(beta, MAP_PAGE)),
                        gr_pa(beta, MAP_PAGE * PAGE) | ATTR_RW),
              HV_OK);
    EXPECT_EQ(gr_maps(0), 0u);
    gr_selfcheck_ok();
    EXPECT_EQ(gr_call(alpha, HV_OP_GRANT_END, 0, 0, 0, 0), HV_OK);
}

TEST(grant, map_checks_entry_and_attributes)
{
    gr_setup();
    gr_clear_entry();
    int32_t ref = gr_grant(0x1000, beta->id, 0);
    ASSERT_EQ(ref, 0);
    uint32_t e = gr_entry(beta, MAP_PAGE);
    /* Not a pinned L2's hardware half; not beta's. */
    EXPECT_EQ(gr_call(beta, HV_OP_GRANT_MAP, alpha->id, 0, e - 2048, ATTR_RW),
              -HV_EINVAL);
    EXPECT_EQ(gr_call(beta, HV_OP_GRANT_MAP, alpha->id, 0, gr_pa(beta, 0x1000),
                      ATTR_RW),
              -HV_EINVAL);
    EXPECT_EQ(gr_call(beta, HV_OP_GRANT_MAP, alpha->id, 0, e + 2, ATTR_RW),
              -HV_EINVAL);
    EXPECT_EQ(gr_call(beta, HV_OP_GRANT_MAP, alpha->id, 0, gr_entry(alpha, 1),
                      ATTR_RW),
              -HV_EINVAL);
    /* Frame bits, a large page, a fault, non-cacheable memory. */
    EXPECT_EQ(gr_map(beta, 0, ATTR_RW | 0x1000), -HV_EINVAL);
    EXPECT_EQ(gr_map(beta, 0, (ATTR_RW & ~3u) | 1u), -HV_EINVAL);
    EXPECT_EQ(gr_map(beta, 0, ATTR_RW & ~3u), -HV_EINVAL);
    EXPECT_EQ(gr_map(beta, 0,
                     HV_L2_SMALL | HV_L2_AP(HV_AP_RW) |
                         HV_L2_TEXCB(HV_TEXCB_STRONGLY_ORDERED)),
              -HV_EINVAL);
    /* An entry in use. */
    EXPECT_EQ(gr_call(beta, HV_OP_GRANT_MAP, alpha->id, 0,
                      gr_entry(beta, MAP_PAGE + 1), ATTR_RW),
              -HV_EBUSY);
    /* A frame that became a table of its granter. */
    int32_t t = gr_grant(0x7000, beta->id, HV_GRANT_READONLY);
    ASSERT_EQ(pt_update(alpha, pa_init(gr_entry(alpha, 7)), 0), HV_OK);
    ASSERT_EQ(pt_pin_l2(alpha, pa_init(gr_pa(alpha, 0x7000)), 0), HV_OK);
    EXPECT_EQ(gr_map(beta, (uint32_t)t, ATTR_RO), -HV_EBUSY);
    EXPECT_EQ(gr_maps(0), 0u);
    EXPECT_EQ(gr_maps((uint32_t)t), 0u);
    /* nG is forced and S cleared, as for any entry. */
    EXPECT_EQ(gr_map(beta, 0, ATTR_RW | HV_L2_S), HV_OK);
    uint32_t stored =
        *(uint32_t *)unit_vm_mem(beta, BASE + beta->mem_size - 2 * PAGE +
                                           HV_MMU_L2_HW_OFFSET + MAP_PAGE * 4);
    EXPECT_EQ(stored, gr_pa(alpha, 0x1000) | ATTR_RW | HV_L2_NG);
    gr_selfcheck_ok();
}

TEST(grant, mapping_table_full)
{
    gr_setup();
    int32_t ref = gr_grant(0x1000, beta->id, HV_GRANT_READONLY);
    ASSERT_EQ(ref, 0);
    for (uint32_t i = 0; i <= HV_GRANT_MAPS; i++) {
        uint32_t page = 64 + i;
        ASSERT_EQ(pt_update(beta, pa_init(gr_entry(beta, page)), 0), HV_OK);
        int32_t rc = gr_call(beta, HV_OP_GRANT_MAP, alpha->id, 0,
                             gr_entry(beta, page), ATTR_RO);
        EXPECT_EQ(rc, i < HV_GRANT_MAPS ? HV_OK : -HV_ENOMEM);
    }
    EXPECT_EQ(gr_maps(0), HV_GRANT_MAPS);
    gr_selfcheck_ok();
}

TEST(grant, unpin_unmaps)
{
    gr_setup();
    /* beta's page 32 becomes an L2 (read-only first), mapping a grant. */
    uint32_t l2 = gr_pa(beta, 32 * PAGE);
    memset(unit_vm_mem(beta, BASE + 32 * PAGE), 0, PAGE);
    ASSERT_EQ(pt_update(beta, pa_init(gr_entry(beta, 32)), l2 | ATTR_RO),
              HV_OK);
    ASSERT_EQ(pt_pin_l2(beta, pa_init(l2), 0), HV_OK);
    int32_t ref = gr_grant(0x1000, beta->id, 0);
    ASSERT_EQ(gr_call(beta, HV_OP_GRANT_MAP, alpha->id, (uint32_t)ref,
                      l2 + HV_MMU_L2_HW_OFFSET + 8, ATTR_RW),
              HV_OK);
    EXPECT_EQ(gr_writable(gr_pa(alpha, 0x1000)), 2u);
    gr_selfcheck_ok();
    EXPECT_EQ(pt_unpin(beta, pa_init(l2)), HV_OK);
    EXPECT_EQ(gr_maps((uint32_t)ref), 0u);
    EXPECT_EQ(gr_writable(gr_pa(alpha, 0x1000)), 1u);
    gr_selfcheck_ok();
    EXPECT_EQ(gr_call(alpha, HV_OP_GRANT_END, (uint32_t)ref, 0, 0, 0), HV_OK);
}

TEST(grant, grantee_death_unmaps)
{
    gr_setup();
    gr_clear_entry();
    uint32_t frame = gr_pa(alpha, 0x1000);
    int32_t ref = gr_grant(0x1000, beta->id, 0);
    ASSERT_EQ(gr_map(beta, (uint32_t)ref, ATTR_RW), HV_OK);
    ASSERT_EQ(pt_update(beta, pa_init(gr_entry(beta, MAP_PAGE + 1)), 0), HV_OK);
    ASSERT_EQ(gr_call(beta, HV_OP_GRANT_MAP, alpha->id, (uint32_t)ref,
                      gr_entry(beta, MAP_PAGE + 1), ATTR_RO),
              HV_OK);
    EXPECT_EQ(gr_maps((uint32_t)ref), 2u);
    EXPECT_EQ(gr_writable(frame), 2u);
    uint32_t free_before = mem_free_bytes();
    guest_stop(beta, 0, false);
    EXPECT_EQ(mem_free_bytes(), free_before + 2 * MIB);
    EXPECT_EQ(gr_maps((uint32_t)ref), 0u);
    EXPECT_EQ(gr_writable(frame), 1u);
    for (uint32_t i = 0; i < HV_GRANT_MAPS; i++) {
        EXPECT_EQ(grant_track_at(beta->id, i)->pte, 0u);
    }
    gr_selfcheck_ok();
    /* The grant outlives its peer: it may be ended, or used by the
     * peer's next life. */
    EXPECT_EQ(gr_call(alpha, HV_OP_GRANT_END, (uint32_t)ref, 0, 0, 0), HV_OK);
    gr_selfcheck_ok();
}

TEST(grant, granter_death_keeps_frame_until_unmapped)
{
    gr_setup();
    gr_clear_entry();
    uint32_t frame = gr_pa(alpha, 0x1000);
    uint32_t alpha_pa = gr_pa(alpha, 0);
    int32_t ref = gr_grant(0x1000, beta->id, 0);
    int32_t unused = gr_grant(0x2000, beta->id, 0);
    ASSERT_EQ(gr_map(beta, (uint32_t)ref, ATTR_RW), HV_OK);
    uint32_t free_before = mem_free_bytes();
    guest_stop(alpha, 0, false);
    /* alpha's only granule stays allocated: beta still maps its frame. */
    EXPECT_EQ(mem_free_bytes(), free_before);
    EXPECT_EQ(gr_writable(frame), 1u); /* beta's mapping, counted */
    const struct grant_entry *e = grant_entry_at(alpha->id, (uint32_t)ref);
    EXPECT_TRUE((e->flags & GRANT_ORPHAN) != 0);
    EXPECT_EQ(e->maps, 1u);
    EXPECT_EQ(grant_entry_at(alpha->id, (uint32_t)unused)->flags, 0u);
    gr_selfcheck_ok();
    /* The mapping still works; the grant cannot be used again. */
    EXPECT_EQ(vm_copy_to_guest(beta, gva_init(MAP_VA), "kept", 5), HV_OK);
    ASSERT_EQ(pt_update(beta, pa_init(gr_entry(beta, MAP_PAGE + 1)), 0), HV_OK);
    EXPECT_EQ(gr_call(beta, HV_OP_GRANT_MAP, alpha->id, (uint32_t)ref,
                      gr_entry(beta, MAP_PAGE + 1), ATTR_RW),
              -HV_ENOENT);
    /* A new guest does not get the frame. */
    struct vm *delta = unit_vm_create("delta", MIB);
    EXPECT_NE(pa_addr(delta->mem_pa), alpha_pa);
    gr_selfcheck_ok();
    guest_stop(delta, 0, false);
    /* The last unmap frees it. */
    free_before = mem_free_bytes();
    EXPECT_EQ(
        gr_call(beta, HV_OP_GRANT_UNMAP, gr_entry(beta, MAP_PAGE), 0, 0, 0),
        HV_OK);
    EXPECT_EQ(mem_free_bytes(), free_before + MIB);
    EXPECT_EQ(gr_writable(frame), 0u);
    EXPECT_EQ(grant_entry_at(alpha->id, (uint32_t)ref)->flags, 0u);
    EXPECT_FALSE(grant_granule_held(pa_init(alpha_pa)));
    gr_selfcheck_ok();
}

TEST(grant, both_die)
{
    gr_setup();
    gr_clear_entry();
    int32_t ref = gr_grant(0x1000, beta->id, 0);
    ASSERT_EQ(gr_map(beta, (uint32_t)ref, ATTR_RW), HV_OK);
    uint32_t free_before = mem_free_bytes();
    guest_stop(alpha, 0, false);
    guest_stop(beta, 0, false);
    EXPECT_EQ(mem_free_bytes(), free_before + 3 * MIB);
    EXPECT_FALSE(grant_granule_held(alpha->mem_pa));
    gr_selfcheck_ok();
}

static int32_t gr_copy(struct vm *vm, const struct hv_grant_copy *ops,
                       uint32_t count, uint32_t *done)
{
    /* The array at beta's (or gamma's) page 8. */
    memcpy(unit_vm_mem(vm, BASE + 8 * PAGE), ops, count * sizeof(*ops));
    int32_t rc = gr_call(vm, HV_OP_GRANT_COPY, BASE + 8 * PAGE, count, 0, 0);
    *done = vm->regs.r[1];
    return rc;
}

TEST(grant, copy_bounds_and_rights)
{
    gr_setup();
    uint32_t done;
    int32_t rw = gr_grant(0x1000, beta->id, 0);
    int32_t ro = gr_grant(0x2000, beta->id, HV_GRANT_READONLY);
    uint8_t *frame_rw = unit_vm_mem(alpha, BASE + 0x1000);
    uint8_t *frame_ro = unit_vm_mem(alpha, BASE + 0x2000);
    memset(frame_ro, 0xab, PAGE);
    /* beta's buffer crosses a page: 0x9f00 .. 0xaeff. */
    uint8_t *buf = unit_vm_mem(beta, BASE + 0x9f00);
    for (uint32_t i = 0; i < PAGE; i++) {
        buf[i] = (uint8_t)i;
    }
    struct hv_grant_copy ops[3] = {
        {alpha->id, (uint32_t)rw, 0, PAGE, BASE + 0x9f00,
         HV_GRANT_COPY_TO_GRANT},
        {alpha->id, (uint32_t)ro, 100, 200, BASE + 0x9f00, 0},
        {alpha->id, (uint32_t)ro, 0, 1, BASE + 0x9f00, HV_GRANT_COPY_TO_GRANT},
    };
    EXPECT_EQ(gr_copy(beta, ops, 3, &done), -HV_EPERM);
    EXPECT_EQ(done, 2u);
    for (uint32_t i = 0; i < PAGE; i++) {
        ASSERT_EQ(frame_rw[i], (uint8_t)i);
    }
    EXPECT_EQ(buf[0], 0xab);
    EXPECT_EQ(buf[199], 0xab);
    EXPECT_EQ(buf[200], 200);
    EXPECT_EQ(frame_ro[0], 0xab);

    struct hv_grant_copy bad[] = {
        {alpha->id, (uint32_t)rw, 4000, 97, BASE, 0},       /* past the end */
        {alpha->id, (uint32_t)rw, PAGE, 0, BASE, 0},        /* offset */
        {alpha->id, (uint32_t)rw, 0, 0xffffffffu, BASE, 0}, /* wraps */
        {alpha->id, (uint32_t)rw, 0, 8, BASE, 4},           /* flag */
    };
    for (uint32_t i = 0; i < ARRAY_SIZE(bad); i++) {
        EXPECT_EQ(gr_copy(beta, &bad[i], 1, &done), -HV_EINVAL);
        EXPECT_EQ(done, 0u);
    }
    /* Buffer not the caller's, or not writable for a copy out. */
    struct hv_grant_copy fault = {alpha->id, (uint32_t)rw, 0, 8, 0x1000, 0};
    EXPECT_EQ(gr_copy(beta, &fault, 1, &done), -HV_EFAULT);
    uint32_t l1_va = BASE + pt_initial_tables_offset(beta->mem_size);
    struct hv_grant_copy into_table = {alpha->id, (uint32_t)rw, 0, 8, l1_va, 0};
    EXPECT_EQ(gr_copy(beta, &into_table, 1, &done), -HV_EFAULT);
    /* Another guest, an ended grant. */
    struct hv_grant_copy ok = {alpha->id, (uint32_t)rw, 0, 8, BASE + 0x9f00, 0};
    EXPECT_EQ(gr_copy(gamma_, &ok, 1, &done), -HV_ENOENT);
    EXPECT_EQ(gr_call(alpha, HV_OP_GRANT_END, (uint32_t)rw, 0, 0, 0), HV_OK);
    EXPECT_EQ(gr_copy(beta, &ok, 1, &done), -HV_ENOENT);
    /* Count and array. */
    EXPECT_EQ(
        gr_call(beta, HV_OP_GRANT_COPY, BASE, HV_GRANT_COPY_MAX + 1, 0, 0),
        -HV_E2BIG);
    EXPECT_EQ(gr_call(beta, HV_OP_GRANT_COPY, 0x1000, 1, 0, 0), -HV_EFAULT);
    /* Never into a page table of the granter. */
    int32_t t = gr_grant(0x7000, beta->id, 0);
    ASSERT_EQ(pt_update(alpha, pa_init(gr_entry(alpha, 7)), 0), HV_OK);
    ASSERT_EQ(pt_pin_l2(alpha, pa_init(gr_pa(alpha, 0x7000)), 0), HV_OK);
    struct hv_grant_copy tbl = {alpha->id,     (uint32_t)t,           0, 4,
                                BASE + 0x9f00, HV_GRANT_COPY_TO_GRANT};
    EXPECT_EQ(gr_copy(beta, &tbl, 1, &done), -HV_EBUSY);
    tbl.flags = 0;
    EXPECT_EQ(gr_copy(beta, &tbl, 1, &done), HV_OK); /* reading is fine */
    gr_selfcheck_ok();
}

/* HV_OP_GRANT_BATCH with @ops at alpha's page 8; the results back in @ops. */
static int32_t gr_batch(struct hv_grant_op *ops, uint32_t count)
{
    void *array = unit_vm_mem(alpha, BASE + 8 * PAGE);
    memcpy(array, ops, count * sizeof(*ops));
    int32_t rc =
        gr_call(alpha, HV_OP_GRANT_BATCH, BASE + 8 * PAGE, count, 0, 0);
    memcpy(ops, array, count * sizeof(*ops));
    return rc;
}

TEST(grant, batch_access_and_end)
{
    gr_setup();
    gr_clear_entry();
    struct hv_grant_op ops[5] = {
        {HV_GRANT_OP_ACCESS, gr_pa(alpha, 0x1000), beta->id, 0, 77, 0},
        {HV_GRANT_OP_ACCESS, gr_pa(alpha, 0x2000), beta->id, HV_GRANT_READONLY,
         77, 0},
        {HV_GRANT_OP_ACCESS, gr_pa(alpha, 0x3001), beta->id, 0, 77, 0},
        {HV_GRANT_OP_ACCESS, gr_pa(alpha, 0x3000), alpha->id, 0, 77, 0},
        {HV_GRANT_OP_ACCESS, gr_pa(beta, 0x3000), beta->id, 0, 77, 0},
    };
    /* Each as its own HV_OP_GRANT_ACCESS; failures stop nothing. */
    ASSERT_EQ(gr_batch(ops, 5), HV_OK);
    EXPECT_EQ(ops[0].result, 0);
    EXPECT_EQ(ops[1].result, 1);
    EXPECT_EQ(ops[2].result, -HV_EINVAL); /* misaligned */
    EXPECT_EQ(ops[3].result, -HV_EINVAL); /* its own id */
    EXPECT_EQ(ops[4].result, -HV_EPERM);  /* not its RAM */
    ASSERT_EQ(gr_map(beta, 0, ATTR_RW), HV_OK);
    gr_selfcheck_ok();

    /* Ends: one mapped (busy), one free, one unknown; bad entries. */
    struct hv_grant_op ends[6] = {
        {HV_GRANT_OP_END, 0, 0, 0, 77, 0},
        {HV_GRANT_OP_END, 1, 0, 0, 77, 0},
        {HV_GRANT_OP_END, 1, 0, 0, 77, 0},
        {HV_GRANT_OP_END, 5, beta->id, 0, 77, 0},
        {HV_GRANT_OP_END, 5, 0, 0, 77, 1},
        {3, 5, 0, 0, 77, 0},
    };
    ASSERT_EQ(gr_batch(ends, 6), HV_OK);
    EXPECT_EQ(ends[0].result, -HV_EBUSY);
    EXPECT_EQ(ends[1].result, HV_OK);
    EXPECT_EQ(ends[2].result, -HV_EINVAL); /* ended just before */
    EXPECT_EQ(ends[3].result, -HV_EINVAL); /* peer not 0 */
    EXPECT_EQ(ends[4].result, -HV_EINVAL); /* reserved */
    EXPECT_EQ(ends[5].result, -HV_EINVAL); /* op */
    EXPECT_EQ(gr_maps(0), 1u);

    /* Unmapped, the end goes through. */
    ASSERT_EQ(
        gr_call(beta, HV_OP_GRANT_UNMAP, gr_entry(beta, MAP_PAGE), 0, 0, 0),
        HV_OK);
    ASSERT_EQ(gr_batch(ends, 1), HV_OK);
    EXPECT_EQ(ends[0].result, HV_OK);
    gr_selfcheck_ok();

    /* The array: too long, misaligned, not writable; nothing done (an
     * access waits at page 8 for the first two). */
    ASSERT_EQ(gr_batch(ops, 1), HV_OK);
    ASSERT_EQ(ops[0].result, 2);
    ops[0].result = 77;
    memcpy(unit_vm_mem(alpha, BASE + 8 * PAGE), ops, sizeof(ops));
    EXPECT_EQ(gr_call(alpha, HV_OP_GRANT_BATCH, BASE + 8 * PAGE,
                      HV_GRANT_BATCH_MAX + 1, 0, 0),
              -HV_E2BIG);
    EXPECT_EQ(gr_call(alpha, HV_OP_GRANT_BATCH, BASE + 8 * PAGE + 2, 1, 0, 0),
              -HV_EINVAL);
    uint32_t l1_va = BASE + pt_initial_tables_offset(alpha->mem_size);
    EXPECT_EQ(gr_call(alpha, HV_OP_GRANT_BATCH, l1_va, 1, 0, 0), -HV_EFAULT);
    EXPECT_EQ(gr_call(alpha, HV_OP_GRANT_BATCH, 0x1000, 1, 0, 0), -HV_EFAULT);
    EXPECT_EQ(gr_call(alpha, HV_OP_GRANT_BATCH, 0, 0, 0, 0), HV_OK);
    /* Nothing was granted by the refused calls, nor written back. */
    EXPECT_EQ(
        ((struct hv_grant_op *)unit_vm_mem(alpha, BASE + 8 * PAGE))->result,
        77);
    EXPECT_EQ(gr_grant(0x1000, beta->id, 0), 3);
    gr_selfcheck_ok();
}

/* HV_GRANT_COPY_BUF_PA: the buffer by the caller's physical address. */
TEST(grant, copy_buffer_by_physical_address)
{
    gr_setup();
    uint32_t done;
    int32_t rw = gr_grant(0x1000, beta->id, 0);
    uint8_t *frame = unit_vm_mem(alpha, BASE + 0x1000);
    uint8_t *buf = unit_vm_mem(beta, BASE + 0x9000);
    const uint8_t *back = unit_vm_mem(beta, BASE + 0xa010);
    const uint8_t *across = unit_vm_mem(beta, BASE + 0xafc0);
    for (uint32_t i = 0; i < PAGE; i++) {
        buf[i] = (uint8_t)(i * 7);
    }
    const uint32_t flags = HV_GRANT_COPY_TO_GRANT | HV_GRANT_COPY_BUF_PA;
    struct hv_grant_copy in = {alpha->id, (uint32_t)rw,        0,
                               PAGE,      gr_pa(beta, 0x9000), flags};
    ASSERT_EQ(gr_copy(beta, &in, 1, &done), HV_OK);
    EXPECT_EQ(done, 1u);
    for (uint32_t i = 0; i < PAGE; i++) {
        ASSERT_EQ(frame[i], (uint8_t)(i * 7));
    }
    /* Back, 100 bytes at an offset, into another page of beta's. */
    memset(frame + 40, 0x5a, 100);
    struct hv_grant_copy out = {
        alpha->id, (uint32_t)rw,        40,
        100,       gr_pa(beta, 0xa010), HV_GRANT_COPY_BUF_PA};
    ASSERT_EQ(gr_copy(beta, &out, 1, &done), HV_OK);
    EXPECT_EQ(back[0], 0x5a);
    EXPECT_EQ(back[99], 0x5a);
    EXPECT_EQ(back[100], 0);

    /* Across a page: refused, nothing copied. */
    out.buf = gr_pa(beta, 0xafc0);
    EXPECT_EQ(gr_copy(beta, &out, 1, &done), -HV_EINVAL);
    EXPECT_EQ(done, 0u);
    EXPECT_EQ(across[0], 0);
    /* Not beta's RAM: the granter's frame itself, just past beta's end. */
    out.buf = gr_pa(alpha, 0x1000);
    EXPECT_EQ(gr_copy(beta, &out, 1, &done), -HV_EFAULT);
    out.buf = gr_pa(beta, beta->mem_size);
    EXPECT_EQ(gr_copy(beta, &out, 1, &done), -HV_EFAULT);
    out.buf = gr_pa(beta, 0) - PAGE;
    EXPECT_EQ(gr_copy(beta, &out, 1, &done), -HV_EFAULT);
    /* Its own pinned L1: read from, never written into. */
    uint32_t l1_pa = gr_pa(beta, pt_initial_tables_offset(beta->mem_size));
    out.buf = l1_pa;
    EXPECT_EQ(gr_copy(beta, &out, 1, &done), -HV_EBUSY);
    in.buf = l1_pa;
    in.len = 64;
    EXPECT_EQ(gr_copy(beta, &in, 1, &done), HV_OK);
    /* An unknown flag next to it. */
    in.flags |= 4u;
    EXPECT_EQ(gr_copy(beta, &in, 1, &done), -HV_EINVAL);
    gr_selfcheck_ok();
}

TEST(grant, selfcheck_catches_a_lost_count)
{
    gr_setup();
    gr_clear_entry();
    int32_t ref = gr_grant(0x1000, beta->id, 0);
    ASSERT_EQ(gr_map(beta, (uint32_t)ref, ATTR_RW), HV_OK);
    gr_selfcheck_ok();
    /* A grant mapping the track table does not know. */
    struct grant_track *t = (struct grant_track *)grant_track_at(beta->id, 0);
    ASSERT_EQ(t->pte, gr_entry(beta, MAP_PAGE));
    struct grant_track saved = *t;
    memset(t, 0, sizeof(*t));
    struct selfcheck_result r;
    EXPECT_FALSE(selfcheck_run(&r));
    EXPECT_CONTAINS(r.what, "writable mappings, recomputed 1");
    *t = saved;
    /* A map count off by one. */
    struct grant_entry *e =
        (struct grant_entry *)grant_entry_at(alpha->id, (uint32_t)ref);
    e->maps++;
    EXPECT_FALSE(selfcheck_run(&r));
    EXPECT_CONTAINS(r.what, "mappings, recomputed");
    e->maps--;
    gr_selfcheck_ok();
}

TEST(grant, features_bit)
{
    gr_setup();
    EXPECT_EQ(gr_call(alpha, HV_OP_FEATURES, 0, 0, 0, 0), HV_OK);
    EXPECT_TRUE((alpha->regs.r[1] & (1u << HV_FEAT_GRANT)) != 0);
    EXPECT_TRUE((alpha->regs.r[1] & (1u << HV_FEAT_GRANT_BATCH)) != 0);
}
