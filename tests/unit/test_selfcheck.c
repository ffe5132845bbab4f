/* SPDX-License-Identifier: MIT */
/*
 * hv/core/selfcheck.c: passes on the state real operations leave, and
 * catches each kind of corruption planted behind pt.c's and evtchn.c's
 * backs (so it is a check that can fail).
 */
#include <arch/fake.h>
#include <hvabi/mmu.h>
#include <string.h>

#include "hv/guest.h"
#include "hv/evtchn.h"
#include "hv/pt.h"
#include "hv/sched.h"
#include "hv/selfcheck.h"
#include "hv/vcpu.h"
#include "unit.h"
#include "unit_vm.h"

#define MIB UNIT_MIB
#define SHARED_OFF 0x2000u
#define DATA_OFF 0x3000u
#define L2_NORMAL                                                              \
    ((uint32_t)(HV_L2_SMALL | HV_L2_TEXCB(HV_TEXCB_NORMAL_WBWA) | HV_L2_NG))
#define L2_RW ((uint32_t)HV_L2_AP(HV_AP_RW))
#define L2_RO ((uint32_t)HV_L2_AP(HV_AP_PL0_RO))

static struct vm *alpha;
static struct vm *beta;

/* alpha (1 MiB, shared page, current) and beta (2 MiB), with one event
 * channel between them. */
static void sc_setup(void)
{
    unit_vm_setup();
    alpha = unit_vm_create("alpha", MIB);
    beta = unit_vm_create("beta", 2 * MIB);
    ASSERT_EQ(vcpu_register(alpha, pa_add(alpha->mem_pa, SHARED_OFF)), HV_OK);
    sched_set_current(alpha);
    int32_t a = evtchn_alloc_unbound(alpha, beta->id);
    ASSERT_TRUE(a > 0);
    ASSERT_TRUE(evtchn_bind_interdomain(beta, alpha->id, (uint32_t)a) > 0);
}

static uint32_t *sc_word(uint32_t pa)
{
    uint32_t *p = fake_phys(pa_init(pa));
    ASSERT_TRUE(p != NULL);
    return p;
}

/* pt.c's bookkeeping word of frame @pa. */
static uint32_t *sc_frame_word(uint32_t pa)
{
    struct pt_view v;
    pt_selfcheck_view(&v);
    ASSERT_TRUE(pa >= v.base && (pa - v.base) / 4096u < v.frames);
    return &v.frame_words[(pa - v.base) / 4096u];
}

/* The L2 frame mapping the first MiB of @vm (from its initial L1). */
static uint32_t sc_first_l2(const struct vm *vm)
{
    uint32_t l1 = (uint32_t)pa_addr(vm->active_l1);
    uint32_t d = *sc_word(l1 + (gva_addr(vm->mem_gva) >> 20) * 4);
    return d & ~0xfffu;
}

/* Address of the hardware entry mapping guest offset @off of @vm. */
static uint32_t sc_pte(const struct vm *vm, uint32_t off)
{
    return sc_first_l2(vm) + HV_MMU_L2_HW_OFFSET + (off >> 12) * 4;
}

static void sc_expect_failure(const char *needle)
{
    struct selfcheck_result r;
    EXPECT_FALSE(selfcheck_run(&r));
    EXPECT_CONTAINS(r.what, needle);
}

TEST(selfcheck, ok_on_fresh_guests)
{
    struct selfcheck_result r;
    sc_setup();
    ASSERT_TRUE(selfcheck_run(&r));
    EXPECT_EQ(r.guests, 2u);
    EXPECT_EQ(r.l1_tables, 2u);
    EXPECT_EQ(r.l2_tables, 2u);    /* one per 2 MiB */
    EXPECT_EQ(r.l2_refs, 1u + 2u); /* one L1 entry per MiB */
    /* All memory writable but the tables and the start-info page ... */
    EXPECT_LT(r.page_rw_refs, (MIB + 2 * MIB) / 4096u);
    EXPECT_LT((MIB + 2 * MIB) / 4096u - 20u, r.page_rw_refs);
    EXPECT_EQ(r.section_rw, 0u);
    EXPECT_EQ(r.shared_pages, 1u);
    EXPECT_EQ(r.ports, 2u);
}

TEST(selfcheck, ok_after_pin_update_unpin)
{
    struct selfcheck_result r;
    sc_setup();
    uint32_t base = (uint32_t)pa_addr(beta->mem_pa);
    uint32_t l2 = base + 0x10000u;
    /* A second L2: made read-only, pinned, a page mapped through it. */
    memset(sc_word(l2), 0, 4096);
    ASSERT_EQ(pt_update(beta, pa_init(sc_pte(beta, 0x10000u)),
                        l2 | L2_NORMAL | L2_RO),
              HV_OK);
    ASSERT_EQ(pt_pin_l2(beta, pa_init(l2), 0), HV_OK);
    ASSERT_EQ(pt_update(beta, pa_init(l2 + HV_MMU_L2_HW_OFFSET),
                        (base + DATA_OFF) | L2_NORMAL | L2_RW),
              HV_OK);
    ASSERT_EQ(pt_update(beta,
                        pa_init((uint32_t)pa_addr(beta->active_l1) +
                                (0x90000000u >> 20) * 4),
                        (l2 + HV_MMU_L2_HW_OFFSET) | HV_L1_TYPE_TABLE |
                            HV_L1_DOMAIN(HV_MMU_DOMAIN_KERNEL)),
              HV_OK);
    ASSERT_TRUE(selfcheck_run(&r));
    EXPECT_EQ(r.l2_tables, 3u);
    EXPECT_EQ(r.l2_refs, 4u);
    /* Undone again. */
    ASSERT_EQ(pt_update(beta,
                        pa_init((uint32_t)pa_addr(beta->active_l1) +
                                (0x90000000u >> 20) * 4),
                        0),
              HV_OK);
    ASSERT_EQ(pt_unpin(beta, pa_init(l2)), HV_OK);
    ASSERT_TRUE(selfcheck_run(&r));
    EXPECT_EQ(r.l2_tables, 2u);
    /* A stopped guest leaves nothing behind. */
    guest_stop(beta, 0, false);
    ASSERT_TRUE(selfcheck_run(&r));
    EXPECT_EQ(r.guests, 1u);
    EXPECT_EQ(r.ports, 1u); /* alpha's end, open for beta again */
}

TEST(selfcheck, catches_l2_reference_count)
{
    sc_setup();
    *sc_frame_word(sc_first_l2(beta)) += 1u << 2;
    sc_expect_failure("guest 2 'beta': frame ");
    sc_expect_failure("3 L1 references, recomputed 2");
}

TEST(selfcheck, catches_writable_count)
{
    sc_setup();
    uint32_t data = (uint32_t)pa_addr(alpha->mem_pa) + DATA_OFF;
    *sc_frame_word(data) -= 1u << 16;
    sc_expect_failure("0 writable mappings, recomputed 1");
}

TEST(selfcheck, catches_entry_written_behind_pt)
{
    sc_setup();
    /* A monitor bug writing a table directly: alpha's L2 frame, mapped
     * read-only, made writable without taking the reference. */
    uint32_t l2 = sc_first_l2(alpha);
    uint32_t *pte =
        sc_word(sc_pte(alpha, l2 - (uint32_t)pa_addr(alpha->mem_pa)));
    EXPECT_EQ(*pte & L2_RW, L2_RO);
    *pte |= L2_RW;
    sc_expect_failure("0 writable mappings, recomputed 1");
    /* In a table's frame those bits count its used entries (pt.c). */
    *sc_frame_word(l2) += 1u << 16;
    sc_expect_failure("entries in use, recomputed");
}

TEST(selfcheck, catches_invalid_entry_kept)
{
    sc_setup();
    *sc_word(sc_pte(beta, 0x5000u)) = 0x1u; /* a large page */
    sc_expect_failure("large page");
}

TEST(selfcheck, catches_other_guests_memory)
{
    sc_setup();
    uint32_t other = (uint32_t)pa_addr(beta->mem_pa) + DATA_OFF;
    *sc_word(sc_pte(alpha, DATA_OFF)) = other | L2_NORMAL | L2_RO;
    sc_expect_failure("maps RAM not its own");
}

TEST(selfcheck, catches_ram_mapped_uncached)
{
    sc_setup();
    /* A read-only, non-cacheable view (TEX 001, C 0, B 0) of its own
     * frame: the alias pt.c refuses. */
    uint32_t pa = (uint32_t)pa_addr(alpha->mem_pa) + DATA_OFF;
    *sc_word(sc_pte(alpha, DATA_OFF)) = pa | 0x2u | 0x40u | 0x800u | 0x20u;
    sc_expect_failure("maps RAM as other than write-back");
}

TEST(selfcheck, catches_ram_mapped_shareable)
{
    sc_setup();
    /* Write-back but shareable (S, bit 10): non-cacheable on A8/A9. */
    uint32_t pa = (uint32_t)pa_addr(alpha->mem_pa) + DATA_OFF;
    *sc_word(sc_pte(alpha, DATA_OFF)) = pa | L2_NORMAL | L2_RW | HV_L2_S;
    sc_expect_failure("maps RAM as other than write-back");
}

TEST(selfcheck, catches_section_count)
{
    struct pt_view v;
    sc_setup();
    pt_selfcheck_view(&v);
    v.section_tables[((uint32_t)pa_addr(beta->mem_pa) - v.base) >> 20]++;
    sc_expect_failure("table frames, recomputed 0");
}

TEST(selfcheck, catches_wrong_type)
{
    sc_setup();
    uint32_t data = (uint32_t)pa_addr(alpha->mem_pa) + DATA_OFF;
    *sc_frame_word(data) = (*sc_frame_word(data) & ~3u) | 3u;
    sc_expect_failure("typed shared vCPU page");
}

TEST(selfcheck, catches_unregistered_shared_page)
{
    sc_setup();
    *sc_frame_word((uint32_t)pa_addr(alpha->vcpu_shared)) &= ~3u;
    sc_expect_failure("shared vCPU page");
}

TEST(selfcheck, catches_one_sided_channel)
{
    sc_setup();
    for (unsigned int i = 1; i < HV_EVTCHN_PORTS; i++) {
        if (beta->ports[i].kind == EVTCHN_INTERDOMAIN) {
            beta->ports[i].remote_port++;
        }
    }
    sc_expect_failure("which does not point back");
}

TEST(selfcheck, catches_channel_to_stopped_guest)
{
    sc_setup();
    struct vm *gamma_ = unit_vm_create("gamma", MIB);
    alpha->ports[7] =
        (struct evtchn_port){EVTCHN_INTERDOMAIN, (uint8_t)gamma_->id, 1, 0};
    gamma_->ports[1] =
        (struct evtchn_port){EVTCHN_INTERDOMAIN, (uint8_t)alpha->id, 7, 0};
    struct selfcheck_result r;
    EXPECT_TRUE(selfcheck_run(&r));
    gamma_->state = VM_STOPPED; /* stopped without closing its ports */
    sc_expect_failure("guest 1 'alpha': port 7 is connected to guest 3");
}

TEST(selfcheck, catches_unreleased_state)
{
    sc_setup();
    uint32_t base = (uint32_t)pa_addr(beta->mem_pa);
    guest_stop(beta, 0, false);
    *sc_frame_word(base + 0x4000u) = 1u << 16;
    sc_expect_failure("of no live guest has state");
}

TEST(selfcheck, catches_stale_asid)
{
    sc_setup();
    uint32_t l1 = (uint32_t)pa_addr(beta->active_l1);
    alpha->active_asid = pt_asid_of(alpha->active_l1);
    ASSERT_TRUE(pt_asid_of(beta->active_l1) != 0);
    struct selfcheck_result r;
    EXPECT_TRUE(selfcheck_run(&r));
    EXPECT_EQ(r.asids, 2u);
    *sc_frame_word(l1) &= 3u; /* the L1 forgot its ASID */
    sc_expect_failure("not a pinned L1 with that ASID");
}

TEST(selfcheck, report_prints_one_line)
{
    sc_setup();
    fake_output_clear();
    EXPECT_TRUE(selfcheck_report());
    EXPECT_CONTAINS(fake_output(), "hv: self-check: ok (2 guests, 2 L1, 2 L2");
    EXPECT_EQ(unit_count(fake_output(), "\n"), 1u);
    beta->ports[0].kind = EVTCHN_FREE;
    fake_output_clear();
    EXPECT_FALSE(selfcheck_report());
    EXPECT_CONTAINS(fake_output(),
                    "hv: self-check: FAILED: guest 2 'beta': port 0 is not "
                    "the timer");
}

static void sc_stop_alpha(void *ctx)
{
    (void)ctx;
    guest_stop(alpha, 0, false);
}

static void sc_fault_alpha(void *ctx)
{
    (void)ctx;
    guest_stop(alpha, 0, true);
}

/* A guest that faults as it halts the machine: the self-check's code
 * still wins over the fault's. */
TEST(selfcheck, failure_at_faulting_halt_sets_exit_code)
{
    sc_setup();
    alpha->halt_on_shutdown = true;
    beta->ports[0].kind = EVTCHN_FREE;
    EXPECT_TRUE(fake_halt_catch(sc_fault_alpha, NULL));
    EXPECT_EQ(fake_halt_code(), HV_HALT_SELFCHECK);
}

TEST(selfcheck, failure_at_halt_sets_exit_code)
{
    sc_setup();
    alpha->halt_on_shutdown = true;
    beta->ports[0].kind = EVTCHN_FREE;
    EXPECT_TRUE(fake_halt_catch(sc_stop_alpha, NULL));
    EXPECT_EQ(fake_halt_code(), HV_HALT_SELFCHECK);
    EXPECT_CONTAINS(fake_output(), "hv: self-check: FAILED");
}

TEST(selfcheck, ok_at_halt_keeps_exit_code)
{
    sc_setup();
    alpha->halt_on_shutdown = true;
    fake_output_clear();
    EXPECT_TRUE(fake_halt_catch(sc_stop_alpha, NULL));
    EXPECT_EQ(fake_halt_code(), 0u);
    EXPECT_CONTAINS(fake_output(), "hv: self-check: ok (2 guests");
}
