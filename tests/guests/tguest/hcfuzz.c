/* SPDX-License-Identifier: MIT */
/*
 * role=hcfuzz seed=S count=N [peer=ID] [wait=MASK|waitall=1] [linger=1]:
 * an in-guest hypercall fuzzer. It makes N hypercalls (every number of
 * the ABI and unknown ones) with random and boundary arguments drawn from
 * a generator seeded with S, and checks each result against the
 * documented error codes (and the exact one where the arguments decide
 * it), that r4-r12, sp, lr and the flags survive every call, and that
 * calls that must not return do not. Any unexpected outcome is printed
 * with the call's index, number and arguments; the run then reports
 * FAILURE. The same seed and count replay the same calls (what they
 * return can differ with what the other guests do meanwhile).
 *
 * peer=ID: event channels are tried mostly with that guest (another
 * fuzzer), so real channel pairs come and go. wait=MASK: after its calls,
 * it waits until the guests of the bits in MASK (bit n: guest n; waitall
 * for all) have stopped, so that as the last guest, with halt-on-shutdown,
 * its state is what the monitor's self-check at halt looks at. linger=1:
 * after reporting, it blocks for ever, keeping its tables and ports.
 *
 * What it must not do to itself, and how it avoids it:
 *   - HV_OP_SHUTDOWN ends it: only the final call (the role's return).
 *   - HV_OP_BLOCK with nothing pending sleeps for ever: it is only made
 *     right after arming the timer a little ahead.
 *   - Page tables: the memory it runs on (everything but a sandbox of
 *     frames after its image) keeps its mappings. Updates aimed at those
 *     entries (the L1 entries of its own range in any L1 it may switch
 *     to, the initial L2 entries of its own frames) are turned into
 *     rewrites of the current value; an update of a sandbox frame's own
 *     mapping keeps that frame (attributes are random), so a sandbox
 *     address never reaches other memory. It switches only to L1s whose
 *     own-range entries it has just checked. Everything else (pins,
 *     unpins, tables built at random in the sandbox, mappings at other
 *     addresses, of other guests, the monitor, devices) is fair game.
 *   - Any address outside its memory may end up mapped (to its own
 *     memory, even writable) by its updates, but for a hole of 16 MiB at
 *     0 that every L1 it may use keeps empty. Writes by the monitor
 *     (VM_INFO, the shared vCPU page) never aim at its own data;
 *     callbacks, IRET frames and update batches come from its own buffers
 *     or from addresses in no memory (the hole, the monitor window,
 *     wrapping), so an upcall or IRET never jumps anywhere unplanned.
 *   - Faults are expected where it touches the sandbox (its mappings
 *     change under it) and after an IRET to virtual user mode (its code
 *     is kernel-only): every upcall kind is registered, and the handler
 *     resumes the fuzzing loop. A fault anywhere else is a failure.
 */
#include <hvabi/mmu.h>
#include <setjmp.h>
#include <stdbool.h>
#include <string.h>

#include "hvtest.h"

struct hcfuzz_io {
    uint32_t a[4];
    uint32_t op;
    uint32_t r[4];
    uint32_t clobbered;
    uint32_t sp;
};
void hcfuzz_svc(struct hcfuzz_io *io);

#define FZ_PAGE 4096u
#define FZ_SANDBOX_FRAMES 48u /* 12 L1-sized groups */
#define FZ_MAX_MIB 64u
#define FZ_HOLE_MIB 16u /* VAs 0 - 16 MiB stay unmapped */
#define FZ_REPORT_MAX 10u

/* Descriptor bits (<hvabi/ptdesc.h>). */
#define FZ_L1_TABLE ((uint32_t)HV_L1_TYPE_TABLE)
#define FZ_L1_SECTION ((uint32_t)HV_L1_TYPE_SECTION)
#define FZ_L2_SMALL ((uint32_t)HV_L2_SMALL)
#define FZ_L2_AP_RW ((uint32_t)HV_L2_AP(HV_AP_RW))
#define FZ_L2_AP_RO ((uint32_t)HV_L2_AP(HV_AP_PL0_RO))
#define FZ_L2_NORMAL                                                           \
    ((uint32_t)(HV_L2_SMALL | HV_L2_TEXCB(HV_TEXCB_NORMAL_WBWA) | HV_L2_NG))

enum fz_armed {
    FZ_ARMED_NONE,
    FZ_ARMED_PROBE,   /* touching the sandbox: aborts expected */
    FZ_ARMED_LANDING, /* a good kernel-mode IRET: lands in fz_landing */
    FZ_ARMED_USER,    /* a good user-mode IRET: a prefetch abort follows */
};
#define FZ_JUMP_FAULT 1
#define FZ_JUMP_LANDED 2

static const struct hv_start_info *fz_si;
static uint64_t fz_state;
static uint32_t fz_seed;
static uint32_t fz_index; /* of the current call */
static uint32_t fz_failures;
static uint32_t fz_mem_base, fz_mem_size, fz_mem_phys;
static uint32_t fz_l1;     /* the initial L1 (physical) */
static uint32_t fz_l1_va;  /* where the tables' region starts (virtual) */
static uint32_t fz_active; /* the L1 in use */
static uint32_t fz_sb_va;  /* the sandbox */
static uint32_t fz_peer;   /* another fuzzer's id, 0 if none */
static uint32_t fz_canon[FZ_MAX_MIB]; /* own-range entries of the L1 */
static bool fz_home_registered;
static uint64_t fz_last_clock;

static volatile uint32_t fz_armed;
static jmp_buf fz_jb;

/* Counters for the final report. */
static uint32_t fz_ok, fz_errors, fz_faults, fz_landings, fz_switches;
static uint32_t fz_pins, fz_user_irets;

static uint8_t fz_home[FZ_PAGE] __attribute__((aligned(4096)));
static uint8_t fz_landing_stack[2048] __attribute__((aligned(8)));
static uint8_t fz_kernel_stack[2048] __attribute__((aligned(8)));
static struct hv_mmu_update fz_batch[HV_MMU_UPDATE_MAX + 2];
static struct hv_callbacks fz_callbacks;
static struct hv_callbacks fz_bad_callbacks;
static struct hv_frame fz_frame;
static uint64_t fz_info_words[8]; /* room for a struct hv_vm_info */
static const char fz_text[] = "hcfuzz console text ";

extern char __guest_end[];

/* --- Random numbers (xorshift64*) ----------------------------------------- */

static uint32_t fz_rand(void)
{
    fz_state ^= fz_state >> 12;
    fz_state ^= fz_state << 25;
    fz_state ^= fz_state >> 27;
    return (uint32_t)((fz_state * 2685821657736338717ull) >> 32);
}

static uint32_t fz_below(uint32_t n)
{
    return n ? fz_rand() % n : 0;
}

static bool fz_chance(uint32_t one_in)
{
    return fz_below(one_in) == 0;
}

/* --- Addresses -------------------------------------------------------------
 */

static uint32_t fz_pa(uint32_t va)
{
    return va - fz_mem_base + fz_mem_phys;
}

static bool fz_own_pa(uint32_t pa)
{
    return pa >= fz_mem_phys && pa - fz_mem_phys < fz_mem_size;
}

static bool fz_own_va(uint32_t va)
{
    return va >= fz_mem_base && va - fz_mem_base < fz_mem_size;
}

static bool fz_sandbox_va(uint32_t va)
{
    return va >= fz_sb_va && va - fz_sb_va < FZ_SANDBOX_FRAMES * FZ_PAGE;
}

static bool fz_sandbox_pa(uint32_t pa)
{
    return fz_own_pa(pa) && fz_sandbox_va(pa - fz_mem_phys + fz_mem_base);
}

static uint32_t fz_sandbox_frame(void)
{
    return fz_pa(fz_sb_va) + fz_below(FZ_SANDBOX_FRAMES) * FZ_PAGE;
}

static uint32_t fz_sandbox_group(void) /* 16 KiB aligned */
{
    return fz_pa(fz_sb_va) + fz_below(FZ_SANDBOX_FRAMES / 4) * HV_MMU_L1_SIZE;
}

static uint32_t fz_start_info_va(void)
{
    return fz_mem_base + fz_mem_size - FZ_PAGE;
}

/* The entry of the initial L2s that maps own address @va. */
static uint32_t fz_initial_pte(uint32_t va)
{
    uint32_t i = (va - fz_mem_base) / FZ_PAGE;
    return fz_si->pt_l2_first + (i / 512) * FZ_PAGE + HV_MMU_L2_HW_OFFSET +
           (i % 512) * 4;
}

static uint32_t fz_int(void)
{
    static const uint32_t edges[] = {
        0,          1,        2,          3,          4,          7,
        8,          16,       31,         32,         33,         63,
        64,         65,       255,        256,        257,        4095,
        4096,       0x10000,  0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe,
        0xfffff000, 0x100000, 0x100001,   0x80000001, 0x12345678,
    };
    switch (fz_below(4)) {
    case 0:
        return fz_rand();
    case 1:
        return fz_below(70);
    default:
        return edges[fz_below(sizeof(edges) / sizeof(edges[0]))];
    }
}

/* A physical address worth trying. */
static uint32_t fz_phys(void)
{
    uint32_t frames = fz_mem_size / FZ_PAGE;
    switch (fz_below(13)) {
    case 0:
        return fz_int();
    case 1:
        return fz_mem_phys + fz_below(frames) * FZ_PAGE;
    case 2:
        return fz_mem_phys + fz_below(fz_mem_size) + (fz_chance(2) ? 1 : 0);
    case 3:
        return fz_l1 + (fz_chance(2) ? 0 : fz_below(4) * FZ_PAGE);
    case 4:
        return fz_si->pt_l2_first + fz_below(fz_si->pt_l2_count) * FZ_PAGE +
               (fz_chance(2) ? 0 : fz_below(4) * 1024);
    case 5:
        return fz_sandbox_group();
    case 6:
        return fz_sandbox_frame() + (fz_chance(4) ? fz_below(4096) : 0);
    case 7:
        return fz_pa((uint32_t)(uintptr_t)fz_home);
    case 8: /* other guests, below and above */
        return fz_chance(2)
                   ? fz_mem_phys - 0x100000u + fz_below(256) * FZ_PAGE
                   : fz_mem_phys + fz_mem_size + fz_below(256) * FZ_PAGE;
    case 9: /* the monitor and the start of RAM */
        return (fz_mem_phys & 0xf0000000u) + fz_below(64) * FZ_PAGE;
    case 10: /* devices: the clock page, UART, GIC, SP804 */
        switch (fz_below(4)) {
        case 0:
            return fz_si->clock_page;
        case 1:
            return 0x10009000u;
        case 2:
            return 0x1e000000u;
        default:
            return 0x10011000u;
        }
    case 11:
        return 0xfe000000u + fz_below(0x1000000u);
    default:
        return fz_rand() & ~0xfffu;
    }
}

/* A virtual address for a buffer the monitor only reads. */
static uint32_t fz_virt(void)
{
    switch (fz_below(12)) {
    case 0:
        return fz_int();
    case 1:
        return fz_mem_base + fz_below(fz_mem_size);
    case 2:
        return fz_sb_va + fz_below(FZ_SANDBOX_FRAMES * FZ_PAGE);
    case 3:
        return fz_l1_va + fz_below(fz_mem_size - (fz_l1_va - fz_mem_base));
    case 4:
        return fz_mem_base + fz_mem_size - fz_below(64);
    case 5:
        return 0xfe000000u + fz_below(0x1000000u);
    case 6:
        return 0xfffffff0u + fz_below(16);
    case 7:
        return fz_below(0x2000);
    case 8:
        return (uint32_t)(uintptr_t)fz_text + fz_below(8);
    case 9:
        return 0x10009000u;
    default:
        return fz_rand();
    }
}

/*
 * An address no buffer can be at: in the hole (the first FZ_HOLE_MIB MiB,
 * which no L1 the fuzzer may use maps, see fz_protect), in the monitor
 * window, or wrapping past 4 GiB. Any other address outside its memory
 * may well be mapped, to its own memory, by the fuzzer's updates.
 */
static uint32_t fz_bad_va(void)
{
    switch (fz_below(3)) {
    case 0:
        return fz_below(FZ_HOLE_MIB << 20);
    case 1:
        return 0xfe000000u + fz_below(0x1000000u);
    default:
        return 0xffffff00u + fz_below(0x100);
    }
}

/*
 * A virtual address for a buffer the monitor writes: never the fuzzer's
 * own data (only its scratch buffer, the sandbox, its read-only tables'
 * region), else one in no memory at all.
 */
static uint32_t fz_virt_out(void)
{
    uint32_t va = fz_virt();
    if (fz_chance(3)) {
        return (uint32_t)(uintptr_t)fz_info_words + fz_below(3) * 4;
    }
    if (fz_own_va(va + 0) || fz_own_va(va + 63)) {
        if (fz_sandbox_va(va) && fz_sandbox_va(va + 63)) {
            return va;
        }
        if (va >= fz_l1_va && va + 63 < fz_start_info_va()) {
            return va;
        }
        return (uint32_t)(uintptr_t)fz_info_words;
    }
    return fz_bad_va();
}

/* --- Reports ----------------------------------------------------------------
 */

static void fz_unexpected(const struct hcfuzz_io *io, const char *why)
{
    fz_failures++;
    if (fz_failures > FZ_REPORT_MAX) {
        return;
    }
    hv_printf("hcfuzz: UNEXPECTED at call %lu: op %lu (0x%08lx, 0x%08lx, "
              "0x%08lx, 0x%08lx) returned %ld (r1 0x%08lx): %s\n",
              (unsigned long)fz_index, (unsigned long)io->op,
              (unsigned long)io->a[0], (unsigned long)io->a[1],
              (unsigned long)io->a[2], (unsigned long)io->a[3],
              (long)(int32_t)io->r[0], (unsigned long)io->r[1], why);
}

/* --- Upcalls ----------------------------------------------------------------
 */

static __attribute__((noreturn)) void fz_landing(void)
{
    if (fz_armed != FZ_ARMED_LANDING) {
        hv_puts("hcfuzz: landed without a good IRET\n");
        hv_puts("hvtest: role.hcfuzz: FAILURE\n");
        hv_shutdown(HVTEST_FAILURE);
    }
    longjmp(fz_jb, FZ_JUMP_LANDED);
}

/* Every upcall kind enters here (sp = r0 = the frame). */
static __attribute__((noreturn, used)) void fz_upcall(struct hv_frame *frame,
                                                      uint32_t address,
                                                      uint32_t status,
                                                      uint32_t kind)
{
    if (kind == HV_UPCALL_EVENT) {
        /* Nothing to do with events but forget them; return masked, so
         * one left pending (on another shared page) cannot loop. */
        if (fz_home_registered) {
            volatile struct hv_vcpu_shared *sh = (volatile void *)fz_home;
            __atomic_store_n(&sh->events_pending, 0, __ATOMIC_SEQ_CST);
        }
        frame->cpsr |= HV_VCPSR_I;
        hv_iret_regs(frame);
        hv_puts("hcfuzz: IRET from the event upcall failed\n");
    } else if (fz_armed == FZ_ARMED_PROBE ||
               (fz_armed == FZ_ARMED_USER &&
                kind == HV_UPCALL_PREFETCH_ABORT)) {
        fz_faults++;
        longjmp(fz_jb, FZ_JUMP_FAULT);
    } else {
        hv_printf("hcfuzz: UNEXPECTED upcall %lu at call %lu: address "
                  "0x%08lx status 0x%08lx pc 0x%08lx mode 0x%lx\n",
                  (unsigned long)kind, (unsigned long)fz_index,
                  (unsigned long)address, (unsigned long)status,
                  (unsigned long)frame->pc, (unsigned long)frame->cpsr);
    }
    hv_printf("hcfuzz: seed %lu, failed\n", (unsigned long)fz_seed);
    hv_puts("hvtest: role.hcfuzz: FAILURE\n");
    hv_shutdown(HVTEST_FAILURE);
}

/* --- Page-table arguments ---------------------------------------------------
 */

/* A descriptor, L1 or L2, good or bad. */
static uint32_t fz_desc(void)
{
    uint32_t domain = fz_chance(4) ? fz_below(16) : 1 + fz_below(2);
    uint32_t attrs = fz_rand() & 0x000ffdfcu; /* AP, TEX, C, B, XN, ... */
    switch (fz_below(8)) {
    case 0:
        return 0;
    case 1: /* L1 table: at an L2 frame's hardware half, or anywhere */
        return ((fz_chance(2) ? fz_sandbox_frame() : fz_phys()) |
                (fz_chance(2) ? HV_MMU_L2_HW_OFFSET + fz_below(2) * 1024
                              : fz_below(4) * 1024)) |
               (fz_chance(8) ? (fz_rand() & 0x21cu) : 0) | domain << 5 |
               FZ_L1_TABLE;
    case 2: { /* L1 section */
        uint32_t d = (fz_phys() & 0xfff00000u) | (attrs & 0xfdc1cu) |
                     domain << 5 | FZ_L1_SECTION;
        /* A writable section of its own memory stops every pin in that
         * MiB while it lasts: rare, or little else would be pinned. */
        if (fz_own_pa(d & 0xfff00000u) && !fz_chance(16)) {
            d &= ~(uint32_t)(2 << HV_L1_SECT_AP_SHIFT); /* AP[1] */
        }
        return d;
    }
    case 3: /* L2 small page of own RAM, writable or not */
        return (fz_chance(2)
                    ? fz_sandbox_frame()
                    : fz_mem_phys + fz_below(fz_mem_size / FZ_PAGE) * FZ_PAGE) |
               FZ_L2_NORMAL | (fz_chance(4) ? FZ_L2_AP_RW : FZ_L2_AP_RO);
    case 4: /* L2 small page anywhere, any attributes */
        return (fz_phys() & ~0xfffu) | (attrs & 0xffdu) | FZ_L2_SMALL;
    default:
        return fz_rand();
    }
}

/* Where an update goes: a table entry worth trying. */
static uint32_t fz_entry_ptr(void)
{
    switch (fz_below(6)) {
    case 0: /* the initial L1, near the window or the own range too */
        switch (fz_below(3)) {
        case 0:
            return fz_l1 + (0xfd0u + fz_below(0x30)) * 4;
        case 1:
            return fz_l1 + ((fz_mem_base >> 20) + fz_below(4)) * 4;
        default:
            return fz_l1 + fz_below(4096) * 4;
        }
    case 1: /* the sandbox frames' own mappings */
        return fz_initial_pte(fz_sb_va + fz_below(FZ_SANDBOX_FRAMES) * FZ_PAGE);
    case 2: /* the initial L2s, anywhere */
        return fz_si->pt_l2_first + fz_below(fz_si->pt_l2_count) * FZ_PAGE +
               fz_below(1024) * 4;
    case 3:
    case 4: /* tables the fuzzer pinned in the sandbox */
        return fz_sandbox_frame() + fz_below(1024) * 4;
    default:
        return fz_phys() + (fz_chance(2) ? 0 : fz_below(4));
    }
}

/*
 * Keeps the fuzzer's own memory mapped (see the top of the file): an
 * update of an entry it runs on becomes a rewrite of that entry's value.
 */
static void fz_protect(struct hv_mmu_update *u)
{
    uint32_t ptr = u->ptr;
    uint32_t first = fz_mem_base >> 20;
    uint32_t mibs = fz_mem_size >> 20;

    if (!fz_own_pa(ptr)) {
        return;
    }
    if ((ptr >= fz_l1 && ptr - fz_l1 < HV_MMU_L1_SIZE) || fz_sandbox_pa(ptr)) {
        /* An L1 (or a sandbox frame that might be one): own range. */
        uint32_t index = (ptr & (HV_MMU_L1_SIZE - 1)) / 4;
        if (index >= first && index - first < mibs) {
            u->val = fz_canon[index - first];
        } else if (index < FZ_HOLE_MIB) {
            u->val = 0;
        }
        return;
    }
    uint32_t l2_end = fz_si->pt_l2_first + fz_si->pt_l2_count * FZ_PAGE;
    if (ptr < fz_si->pt_l2_first || ptr >= l2_end) {
        return; /* not a table the fuzzer runs on */
    }
    uint32_t off = (ptr - fz_si->pt_l2_first) % FZ_PAGE;
    if (off < HV_MMU_L2_HW_OFFSET) {
        return; /* the guest's half: no meaning to the hardware */
    }
    uint32_t page = (ptr - fz_si->pt_l2_first) / FZ_PAGE * 512 +
                    (off - HV_MMU_L2_HW_OFFSET) / 4;
    uint32_t va = fz_mem_base + page * FZ_PAGE;
    if (page >= fz_mem_size / FZ_PAGE) {
        return; /* beyond its memory */
    }
    if (fz_sandbox_va(va)) {
        /* The same frame, any attributes (or something refused). */
        if ((u->val & 3u) >= 2 || fz_own_pa(u->val & ~0xfffu)) {
            u->val = (u->val & 0xfffu) | fz_pa(va);
        }
        return;
    }
    u->val = *(volatile uint32_t *)(ptr - fz_mem_phys + fz_mem_base);
}

/* Sandbox tables: written at random, through mappings that may fault.
 * @clear: zeroed first; @noise: random entries added. */
static void fz_build_table(uint32_t pa, bool l1, bool clear, uint32_t noise)
{
    volatile uint32_t *volatile t =
        (volatile uint32_t *)(pa - fz_mem_phys + fz_mem_base);
    volatile uint32_t words = l1 ? HV_MMU_L1_SIZE / 4 : FZ_PAGE / 4;
    volatile uint32_t n = noise;
    uint32_t first = fz_mem_base >> 20;

    fz_armed = FZ_ARMED_PROBE;
    if (setjmp(fz_jb) == 0) {
        if (clear) {
            for (uint32_t i = 0; i < words; i++) {
                t[i] = 0;
            }
        }
        if (l1 && !fz_chance(8)) {
            for (uint32_t i = 0; i < fz_mem_size >> 20; i++) {
                t[first + i] = fz_canon[i];
            }
        }
        for (; n > 0; n--) {
            uint32_t i = fz_below(words);
            if (l1 && ((i >= first && i - first < (fz_mem_size >> 20)) ||
                       i < FZ_HOLE_MIB)) {
                continue;
            }
            t[i] = fz_desc();
        }
    }
    fz_armed = FZ_ARMED_NONE;
}

/* True if the L1 at @pa keeps the fuzzer's own range as it is. */
static bool fz_l1_good(uint32_t pa)
{
    volatile bool good = false;
    uint32_t first = fz_mem_base >> 20;

    if (pa == fz_l1) {
        return true;
    }
    if (!fz_sandbox_pa(pa) || (pa & (HV_MMU_L1_SIZE - 1)) != 0) {
        return false;
    }
    volatile uint32_t *t =
        (volatile uint32_t *)(pa - fz_mem_phys + fz_mem_base);
    fz_armed = FZ_ARMED_PROBE;
    if (setjmp(fz_jb) == 0) {
        bool same = true;
        for (uint32_t i = 0; i < fz_mem_size >> 20; i++) {
            same &= t[first + i] == fz_canon[i];
        }
        for (uint32_t i = 0; i < FZ_HOLE_MIB; i++) {
            same &= t[i] == 0;
        }
        good = same;
    }
    fz_armed = FZ_ARMED_NONE;
    return good;
}

/* --- Results
 * ------------------------------------------------------------------ */

static bool fz_in(int32_t rc, uint32_t allowed)
{
    static const int32_t codes[] = {HV_EPERM,  HV_ENOENT, HV_E2BIG,
                                    HV_ENOMEM, HV_EFAULT, HV_EBUSY,
                                    HV_EINVAL, HV_ERANGE, HV_ENOSYS};
    for (unsigned int i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        if (rc == -codes[i]) {
            return (allowed >> i) & 1u;
        }
    }
    return false;
}
#define E_PERM (1u << 0)
#define E_NOENT (1u << 1)
#define E_2BIG (1u << 2)
#define E_NOMEM (1u << 3)
#define E_FAULT (1u << 4)
#define E_BUSY (1u << 5)
#define E_INVAL (1u << 6)
#define E_RANGE (1u << 7)
#define E_NOSYS (1u << 8)

/* Checks @rc: 0 (or in [0, @max_ok]) or one of @allowed; @exact, if not
 * 0, is the one result the arguments call for. */
static void fz_expect(const struct hcfuzz_io *io, uint32_t max_ok,
                      uint32_t allowed, int32_t exact)
{
    int32_t rc = (int32_t)io->r[0];
    if (io->clobbered != 0) {
        fz_unexpected(io, "a preserved register or flag changed");
    }
    if (exact != 0 && rc != exact) {
        fz_unexpected(io, "not the error the arguments call for");
    } else if (rc >= 0 && (uint32_t)rc > max_ok) {
        fz_unexpected(io, "success value out of range");
    } else if (rc < 0 && !fz_in(rc, allowed)) {
        fz_unexpected(io, "an error the call does not document");
    }
    if (rc >= 0) {
        fz_ok++;
    } else {
        fz_errors++;
    }
}

static void fz_call(struct hcfuzz_io *io, uint32_t op, uint32_t a0, uint32_t a1,
                    uint32_t a2, uint32_t a3)
{
    io->op = op;
    io->a[0] = a0;
    io->a[1] = a1;
    io->a[2] = a2;
    io->a[3] = a3;
    hcfuzz_svc(io);
}

/* --- The calls
 * ---------------------------------------------------------------- */

static void fz_mmu_update(struct hcfuzz_io *io)
{
    uint32_t count = fz_chance(8) ? fz_int() : 1 + fz_below(8);
    /* By physical address (since 0.8) a quarter of the time; a random
     * count may carry the flag too. */
    if (fz_chance(4)) {
        count |= HV_MMU_UPDATE_BY_PA;
    }
    bool by_pa = (count & HV_MMU_UPDATE_BY_PA) != 0;
    uint32_t asked = count & ~HV_MMU_UPDATE_BY_PA;
    uint32_t n = asked < HV_MMU_UPDATE_MAX ? asked : HV_MMU_UPDATE_MAX;
    uint32_t buf = (uint32_t)(uintptr_t)fz_batch;

    for (uint32_t i = 0; i < n; i++) {
        fz_batch[i].ptr = fz_entry_ptr();
        fz_batch[i].val = fz_desc();
        fz_protect(&fz_batch[i]);
    }
    if (by_pa) {
        buf = fz_pa(buf); /* may cross a page: HV_EINVAL */
    }
    if (fz_chance(8)) {
        /* A batch the fuzzer does not own: refused, never read as its
         * own memory. */
        buf = fz_bad_va();
    }
    fz_call(io, HV_OP_MMU_UPDATE, buf, count, fz_int(), 0);
    fz_expect(io, 0, E_2BIG | E_FAULT | E_INVAL | E_PERM | E_BUSY | E_NOMEM,
              asked > HV_MMU_UPDATE_MAX ? -HV_E2BIG : 0);
    if (io->r[1] > n || ((int32_t)io->r[0] == 0 && io->r[1] != n)) {
        fz_unexpected(io, "wrong count of updates applied");
    }
}

static void fz_mmu_switch(struct hcfuzz_io *io)
{
    uint32_t pa;
    switch (fz_below(4)) {
    case 0:
        pa = fz_l1;
        break;
    case 1:
    case 2:
        pa = fz_sandbox_group();
        break;
    default:
        pa = fz_phys();
        break;
    }
    /* Only to an L1 it has just checked, or to what cannot be a pinned
     * L1 of its own (refused). */
    if (fz_own_pa(pa) && (pa & (HV_MMU_L1_SIZE - 1)) == 0 && !fz_l1_good(pa)) {
        pa |= 4u;
    }
    fz_call(io, HV_OP_MMU_SWITCH, pa, fz_int(), 0, 0);
    fz_expect(io, 0, E_INVAL, 0);
    if ((int32_t)io->r[0] == 0) {
        fz_active = pa;
        fz_switches++;
    }
}

static void fz_vcpu_register(struct hcfuzz_io *io)
{
    uint32_t home = fz_pa((uint32_t)(uintptr_t)fz_home);
    uint32_t pa;
    switch (fz_below(4)) {
    case 0:
        pa = home;
        break;
    case 1:
        pa = fz_sandbox_frame();
        break;
    default:
        pa = fz_phys();
        break;
    }
    /* The monitor writes the page: not the fuzzer's own data. */
    if (fz_own_pa(pa) && !fz_sandbox_pa(pa) && (pa & ~0xfffu) != home &&
        (pa < fz_pa(fz_l1_va) || pa >= fz_pa(fz_start_info_va()))) {
        pa = home + (pa & 0xfffu);
    }
    fz_call(io, HV_OP_VCPU_REGISTER, pa, 0, 0, 0);
    fz_expect(io, 0, E_INVAL | E_PERM | E_BUSY,
              (pa & 0xfffu) != 0 ? -HV_EINVAL : 0);
    if ((int32_t)io->r[0] == 0) {
        fz_home_registered = pa == home;
    }
}

static void fz_callbacks_call(struct hcfuzz_io *io)
{
    uint32_t va;
    int32_t exact = 0;
    switch (fz_below(3)) {
    case 0:
        va = (uint32_t)(uintptr_t)&fz_callbacks;
        break;
    case 1:
        va = (uint32_t)(uintptr_t)&fz_bad_callbacks;
        exact = -HV_EINVAL;
        break;
    default:
        va = fz_bad_va();
        break;
    }
    fz_call(io, HV_OP_VCPU_CALLBACKS, va, 0, 0, 0);
    fz_expect(io, 0, E_FAULT | E_INVAL, exact);
}

static void fz_iret(struct hcfuzz_io *io)
{
    struct hv_frame *f = &fz_frame;
    volatile uint32_t va = (uint32_t)(uintptr_t)f;
    uint32_t kind = fz_below(5);
    volatile int32_t exact = 0;

    for (unsigned int i = 0; i < 13; i++) {
        f->r[i] = fz_int();
    }
    f->sp = (uint32_t)(uintptr_t)(fz_landing_stack + sizeof(fz_landing_stack));
    f->lr = fz_rand();
    f->pc = (uint32_t)(uintptr_t)fz_landing;
    f->cpsr = HV_VCPSR_KERNEL | (fz_rand() & 0xf80f0000u) |
              (fz_chance(2) ? HV_VCPSR_I : 0);
    f->orig_r0 = fz_rand();
    if (kind == 1 && fz_home_registered) {
        f->cpsr = (f->cpsr & ~HV_VCPSR_MODE_MASK) | HV_VCPSR_USER;
        fz_armed = FZ_ARMED_USER;
        fz_user_irets++;
    } else if (kind <= 1) {
        fz_armed = FZ_ARMED_LANDING;
    } else if (kind == 2) {
        /* A bad CPSR: wrong mode, or A, F, J or bits 20-23 set. */
        uint32_t bad[] = {0x00u, 0x11u, 0x12u, 0x17u, 0x1bu, 0x1fu};
        f->cpsr = fz_chance(2)
                      ? (f->cpsr & ~HV_VCPSR_MODE_MASK) | bad[fz_below(6)]
                      : f->cpsr | (1u << (fz_chance(2) ? 6 + 2 * fz_below(2)
                                                       : 20 + fz_below(5)));
        exact = -HV_EINVAL;
    } else {
        va = fz_bad_va();
    }
    int jumped = setjmp(fz_jb);
    if (jumped == 0) {
        fz_call(io, HV_OP_IRET, va, 0, 0, 0);
        if (fz_armed != FZ_ARMED_NONE) {
            fz_armed = FZ_ARMED_NONE;
            fz_unexpected(io, "a good IRET returned");
            return;
        }
        fz_expect(io, 0, E_PERM | E_FAULT | E_INVAL, exact);
        if ((int32_t)io->r[0] >= 0) {
            fz_unexpected(io, "IRET returned success");
        }
        return;
    }
    if (jumped == FZ_JUMP_LANDED) {
        fz_landings++;
    }
    fz_armed = FZ_ARMED_NONE;
    fz_ok++;
}

static void fz_block(struct hcfuzz_io *io)
{
    if (fz_home_registered) {
        volatile struct hv_vcpu_shared *sh = (volatile void *)fz_home;
        __atomic_store_n(&sh->events_pending, 0, __ATOMIC_SEQ_CST);
    }
    uint64_t at = hv_clock_read() + fz_below(200000);
    fz_call(io, HV_OP_TIMER_SET, (uint32_t)at, (uint32_t)(at >> 32), 0, 0);
    fz_expect(io, 0, 0, 0);
    fz_call(io, HV_OP_BLOCK, fz_int(), fz_int(), 0, 0);
    fz_expect(io, 0, 0, 0);
}

static uint32_t fz_guest_id(void)
{
    switch (fz_below(6)) {
    case 0:
        return fz_si->vm_id;
    case 1:
    case 2:
        return fz_peer ? fz_peer : 1 + fz_below(3);
    case 3:
        return 1 + fz_below(9);
    default:
        return fz_int();
    }
}

static uint32_t fz_port(void)
{
    return fz_chance(4) ? fz_int() : fz_below(34);
}

static void fz_one(struct hcfuzz_io *io)
{
    uint32_t op = fz_below(HV_OP_COUNT + 3);
    uint32_t a0, a1, a2;

    switch (op) {
    case HV_OP_VERSION:
        fz_call(io, op, fz_int(), fz_int(), fz_int(), fz_int());
        if (io->r[0] != HV_ABI_VERSION || io->clobbered) {
            fz_unexpected(io, "wrong version");
        }
        fz_ok++;
        break;
    case HV_OP_FEATURES:
        a0 = fz_int();
        fz_call(io, op, a0, 0, 0, 0);
        fz_expect(io, 0, E_RANGE, a0 >= HV_FEATURE_WORDS ? -HV_ERANGE : 0);
        break;
    case HV_OP_CONSOLE_WRITE:
        if (fz_chance(64)) {
            a0 = (uint32_t)(uintptr_t)fz_text;
            a1 = fz_below(sizeof(fz_text));
        } else {
            a0 = fz_virt();
            a1 = fz_int();
            if (a1 <= HV_CONSOLE_WRITE_MAX && a1 != 0) {
                /* Something to print: only refused buffers (or nothing
                 * at all), not pages of memory on the console. */
                a0 = fz_bad_va();
            }
        }
        fz_call(io, op, a0, a1, 0, 0);
        fz_expect(io, a1, E_2BIG | E_FAULT,
                  a1 > HV_CONSOLE_WRITE_MAX ? -HV_E2BIG : 0);
        if ((int32_t)io->r[0] >= 0 && io->r[0] != a1) {
            fz_unexpected(io, "wrote another length");
        }
        break;
    case HV_OP_YIELD:
        if (!fz_chance(8)) {
            op = HV_OP_CLOCK_READ;
        }
        fz_call(io, op, fz_int(), 0, 0, 0);
        fz_expect(io, 0, 0, 0);
        break;
    case HV_OP_SHUTDOWN: /* only as the last call: one of the others */
        fz_call(io, HV_OP_EVENTS_CHECK, fz_int(), fz_int(), 0, 0);
        fz_expect(io, 0, 0, 0);
        break;
    case HV_OP_CLOCK_READ: {
        fz_call(io, op, fz_int(), fz_int(), 0, 0);
        fz_expect(io, 0, 0, 0);
        uint64_t now = (uint64_t)io->r[2] << 32 | io->r[1];
        if (now < fz_last_clock) {
            fz_unexpected(io, "the clock went back");
        }
        fz_last_clock = now;
        break;
    }
    case HV_OP_VM_INFO:
        a0 = fz_virt_out();
        fz_call(io, op, a0, 0, 0, 0);
        fz_expect(io, 0, E_INVAL | E_FAULT, (a0 & 7u) ? -HV_EINVAL : 0);
        if (a0 == (uint32_t)(uintptr_t)fz_info_words &&
            ((int32_t)io->r[0] != 0 ||
             ((struct hv_vm_info *)fz_info_words)->vm_id != fz_si->vm_id)) {
            fz_unexpected(io, "no info in a good buffer");
        }
        break;
    case HV_OP_MMU_PIN:
        a0 = fz_chance(2)
                 ? (fz_chance(4) ? fz_sandbox_frame() : fz_sandbox_group())
                 : fz_phys();
        a1 = fz_chance(8) ? fz_int() : 1 + fz_below(2);
        /* Bytes to clear first (since 0.8): none, some, too many; only
         * in the sandbox (a pin of its own code would clear it). */
        a2 = fz_chance(2) || !fz_sandbox_pa(a0) ? 0
             : fz_chance(4)                     ? fz_int()
                            : fz_below(HV_MMU_L1_SIZE / 4 + 2) * 4;
        fz_call(io, op, a0, a1, a2, 0);
        fz_expect(io, 0, E_INVAL | E_PERM | E_BUSY | E_NOMEM,
                  (a1 != HV_MMU_L1 && a1 != HV_MMU_L2) || (a2 & 3u) ||
                          a2 > (a1 == HV_MMU_L1 ? HV_MMU_L1_SIZE : 4096u)
                      ? -HV_EINVAL
                      : 0);
        fz_pins += (int32_t)io->r[0] == 0;
        break;
    case HV_OP_MMU_UNPIN:
        a0 = fz_chance(4) ? fz_phys() : fz_sandbox_frame();
        if (fz_chance(16)) {
            a0 = fz_active;
        }
        fz_call(io, op, a0, 0, 0, 0);
        fz_expect(io, 0, E_INVAL | E_BUSY, a0 == fz_active ? -HV_EBUSY : 0);
        break;
    case HV_OP_MMU_UPDATE:
        fz_mmu_update(io);
        break;
    case HV_OP_MMU_SWITCH:
        fz_mmu_switch(io);
        break;
    case HV_OP_MMU_TLB:
        a0 = fz_chance(4) ? fz_int() : fz_below(3);
        a1 = fz_chance(4) ? 0xfe000000u + fz_below(0x1000000u) : fz_virt();
        a2 = fz_chance(2) ? 0 : fz_chance(2) ? fz_active : fz_phys();
        fz_call(io, op, a0, a1, a2, 0);
        fz_expect(io, 0, E_INVAL,
                  a0 >= 3 || (a0 == HV_TLB_FLUSH_VA && a1 >= 0xfe000000u &&
                              a1 < 0xff000000u)
                      ? -HV_EINVAL
                      : 0);
        break;
    case HV_OP_VCPU_REGISTER:
        fz_vcpu_register(io);
        break;
    case HV_OP_VCPU_CALLBACKS:
        fz_callbacks_call(io);
        break;
    case HV_OP_IRET:
        fz_iret(io);
        break;
    case HV_OP_EVENTS_CHECK:
        fz_call(io, op, fz_int(), 0, 0, 0);
        fz_expect(io, 0, 0, 0);
        break;
    case HV_OP_TIMER_SET: {
        uint64_t at = fz_chance(2) ? hv_clock_read() : 0;
        switch (fz_below(4)) {
        case 0:
            at = 0;
            break;
        case 1:
            at -= fz_below(1000000);
            break;
        case 2:
            at += fz_below(5000000);
            break;
        default:
            at = (uint64_t)fz_int() << 32 | fz_int();
            break;
        }
        fz_call(io, op, (uint32_t)at, (uint32_t)(at >> 32), 0, 0);
        fz_expect(io, 0, 0, 0);
        break;
    }
    case HV_OP_CACHE:
        a0 = fz_chance(4) ? fz_int() : fz_below(4);
        a1 = fz_virt();
        a2 = fz_chance(2) ? fz_below(0x3000) : fz_int();
        fz_call(io, op, a0, a1, a2, 0);
        fz_expect(io, 0, E_INVAL | E_2BIG | E_FAULT,
                  a0 == HV_CACHE_ICACHE_ALL ? 0
                  : a0 > 3                  ? -HV_EINVAL
                  : a2 > HV_CACHE_MAX       ? -HV_E2BIG
                                            : 0);
        break;
    case HV_OP_BLOCK:
        fz_block(io);
        break;
    case HV_OP_EVTCHN_ALLOC_UNBOUND:
        a0 = fz_guest_id();
        fz_call(io, op, a0, 0, 0, 0);
        fz_expect(io, HV_EVTCHN_PORTS - 1, E_INVAL | E_NOENT | E_NOMEM,
                  a0 == fz_si->vm_id ? -HV_EINVAL : 0);
        if ((int32_t)io->r[0] == 0) {
            fz_unexpected(io, "port 0 handed out");
        }
        break;
    case HV_OP_EVTCHN_BIND_INTERDOMAIN:
        a0 = fz_guest_id();
        a1 = fz_port();
        fz_call(io, op, a0, a1, 0, 0);
        fz_expect(io, HV_EVTCHN_PORTS - 1, E_INVAL | E_NOENT | E_NOMEM,
                  a0 == fz_si->vm_id ? -HV_EINVAL : 0);
        break;
    case HV_OP_EVTCHN_SEND:
    case HV_OP_EVTCHN_CLOSE:
    case HV_OP_EVTCHN_UNMASK:
        a0 = fz_port();
        fz_call(io, op, a0, 0, 0, 0);
        fz_expect(io, 0, E_RANGE | E_INVAL,
                  a0 >= HV_EVTCHN_PORTS ? -HV_ERANGE
                  : (op == HV_OP_EVTCHN_CLOSE && a0 == 0) ||
                          op == HV_OP_EVTCHN_UNMASK
                      ? -HV_EINVAL
                      : 0);
        break;
    case HV_OP_EVTCHN_BIND_VIRQ:
        a0 = fz_chance(2) ? HV_VIRQ_CONSOLE : fz_int();
        fz_call(io, op, a0, 0, 0, 0);
        fz_expect(io, 0, E_INVAL | E_PERM,
                  a0 == HV_VIRQ_CONSOLE ? -HV_EPERM : -HV_EINVAL);
        break;
    case HV_OP_EVTCHN_BIND_IRQ:
        a0 = fz_chance(2) ? 32 + fz_below(64) : fz_int();
        fz_call(io, op, a0, 0, 0, 0);
        fz_expect(io, 0, E_PERM, -HV_EPERM);
        break;
    case HV_OP_CONSOLE_READ:
        a0 = fz_virt_out();
        a1 = fz_int();
        fz_call(io, op, a0, a1, 0, 0);
        fz_expect(io, 0, E_PERM, -HV_EPERM);
        break;
    case HV_OP_VFP:
        a0 = fz_chance(4) ? fz_int() : fz_below(3);
        fz_call(io, op, a0, 0, 0, 0);
        fz_expect(io, HV_VFP_FPEXC_EN, E_INVAL | E_NOSYS, 0);
        if ((int32_t)io->r[0] > 0 &&
            (a0 != HV_VFP_STATUS || io->r[0] != HV_VFP_FPEXC_EN)) {
            fz_unexpected(io, "VFP status out of place");
        }
        if (a0 > HV_VFP_STATUS && (int32_t)io->r[0] == 0) {
            fz_unexpected(io, "unknown VFP operation accepted");
        }
        break;
    case HV_OP_CONN_QUERY:
        a0 = fz_chance(2) ? fz_below(4) : fz_int();
        a1 = fz_virt_out();
        fz_call(io, op, a0, a1, 0, 0);
        /* The fuzz system names no device: misaligned, or the end. */
        fz_expect(io, 0, E_INVAL | E_RANGE,
                  (a1 & 3u) != 0 ? -HV_EINVAL : -HV_ERANGE);
        break;
    case HV_OP_CONN_SET_RING:
    case HV_OP_CONN_SET_STATE:
        a0 = fz_chance(2) ? fz_below(4) : fz_int();
        fz_call(io, op, a0, fz_chance(2) ? fz_below(6) : fz_int(), 0, 0);
        fz_expect(io, 0, E_NOENT, -HV_ENOENT);
        break;
    case HV_OP_CONN_SET_INFO:
        a0 = fz_chance(2) ? fz_below(4) : fz_int();
        a1 = fz_virt();
        a2 = fz_chance(2) ? fz_below(HV_CONN_INFO_MAX + 8) : fz_int();
        fz_call(io, op, a0, a1, a2, 0);
        fz_expect(io, 0, E_2BIG | E_FAULT | E_NOENT,
                  a2 > HV_CONN_INFO_MAX ? -HV_E2BIG : 0);
        break;
    default: /* a number the ABI does not have */
        op = fz_chance(2) ? HV_OP_COUNT + fz_below(16) : fz_int();
        if (op < HV_OP_COUNT) {
            op += HV_OP_COUNT;
        }
        fz_call(io, op, fz_int(), fz_int(), fz_int(), fz_int());
        fz_expect(io, 0, E_NOSYS, -HV_ENOSYS);
        break;
    }
}

/*
 * A table the way a kernel makes one, so that pinned L1s and L2s in use
 * are common rather than rare: built in the sandbox, its frames made
 * read-only, pinned, then switched to (an L1) or hooked into the active
 * L1 at an address outside the fuzzer's memory (an L2). Every step is a
 * checked call; any of them may fail, as the sandbox is in any state.
 */
static void fz_scenario(struct hcfuzz_io *io)
{
    bool l1 = !fz_chance(4);
    uint32_t pa = l1 ? fz_sandbox_group() : fz_sandbox_frame();
    uint32_t va = pa - fz_mem_phys + fz_mem_base;
    uint32_t frames = l1 ? HV_MMU_L1_SIZE / FZ_PAGE : 1;

    /* Tables left pinned there before (unless still in use). */
    for (uint32_t i = 0; i < frames; i++) {
        fz_call(io, HV_OP_MMU_UNPIN, pa + i * FZ_PAGE, 0, 0, 0);
        fz_expect(io, 0, E_INVAL | E_BUSY, 0);
    }
    fz_build_table(pa, l1, true, fz_below(4));
    for (uint32_t i = 0; i < frames; i++) {
        fz_batch[i].ptr = fz_initial_pte(va + i * FZ_PAGE);
        fz_batch[i].val = (pa + i * FZ_PAGE) | FZ_L2_NORMAL | FZ_L2_AP_RO;
    }
    fz_call(io, HV_OP_MMU_UPDATE, (uint32_t)(uintptr_t)fz_batch, frames, 0, 0);
    fz_expect(io, 0, E_BUSY | E_NOMEM, 0);
    fz_call(io, HV_OP_MMU_TLB, HV_TLB_FLUSH_ALL, 0, 0, 0);
    fz_expect(io, 0, 0, 0);
    fz_call(io, HV_OP_MMU_PIN, pa, l1 ? HV_MMU_L1 : HV_MMU_L2, 0, 0);
    fz_expect(io, 0, E_INVAL | E_PERM | E_BUSY | E_NOMEM, 0);
    fz_pins += (int32_t)io->r[0] == 0;
    if (l1) {
    }
    if (l1 && fz_l1_good(pa)) {
        fz_call(io, HV_OP_MMU_SWITCH, pa, 0, 0, 0);
        fz_expect(io, 0, E_INVAL, 0);
        if ((int32_t)io->r[0] == 0) {
            fz_active = pa;
            fz_switches++;
        }
    } else if (!l1) {
        uint32_t index = 0x900u + fz_below(0x100);
        fz_batch[0].ptr = fz_active + index * 4;
        fz_batch[0].val = (pa + HV_MMU_L2_HW_OFFSET + fz_below(2) * 1024) |
                          (1u + fz_below(2)) << 5 | FZ_L1_TABLE;
        fz_protect(&fz_batch[0]);
        fz_call(io, HV_OP_MMU_UPDATE, (uint32_t)(uintptr_t)fz_batch, 1, 0, 0);
        fz_expect(io, 0, E_INVAL | E_BUSY | E_NOMEM, 0);
    }
}

/* Every other guest has stopped (ENOENT from ALLOC_UNBOUND): the
 * fuzzer's state is then checked by the monitor as it halts. */
static bool fz_others_gone(uint32_t mask)
{
    for (uint32_t id = 1; id <= 8; id++) {
        if (id == fz_si->vm_id || !(mask & (1u << id))) {
            continue;
        }
        int32_t port =
            hv_call(HV_OP_EVTCHN_ALLOC_UNBOUND, id, 0, 0, 0, 0, 0, 0);
        if (port > 0) {
            hv_call(HV_OP_EVTCHN_CLOSE, (uint32_t)port, 0, 0, 0, 0, 0, 0);
        }
        if (port != -HV_ENOENT) {
            return false;
        }
    }
    return true;
}

int hcfuzz_role(const struct hv_start_info *si)
{
    struct hcfuzz_io io;
    uint32_t seed = 1;
    uint32_t count = 1000;
    uint32_t waitall = 0;
    uint32_t wait = 0;
    uint32_t linger = 0;

    fz_si = si;
    hv_cmdline_get_u32(si->cmdline, "seed", &seed);
    hv_cmdline_get_u32(si->cmdline, "count", &count);
    hv_cmdline_get_u32(si->cmdline, "peer", &fz_peer);
    hv_cmdline_get_u32(si->cmdline, "waitall", &waitall);
    hv_cmdline_get_u32(si->cmdline, "wait", &wait);
    hv_cmdline_get_u32(si->cmdline, "linger", &linger);
    if (waitall) {
        wait = 0x1feu; /* guests 1-8 */
    }
    fz_seed = seed;
    fz_state = 0x9e3779b97f4a7c15ull ^ seed;
    fz_mem_base = si->mem_base;
    fz_mem_size = si->mem_size;
    fz_mem_phys = si->mem_phys;
    fz_l1 = si->pt_l1;
    fz_active = fz_l1;
    fz_l1_va = fz_l1 - fz_mem_phys + fz_mem_base;
    fz_sb_va = ((uint32_t)(uintptr_t)__guest_end + HV_MMU_L1_SIZE - 1) &
               ~(HV_MMU_L1_SIZE - 1);
    hv_printf("hcfuzz: seed %lu count %lu\n", (unsigned long)seed,
              (unsigned long)count);
    if ((fz_mem_size >> 20) > FZ_MAX_MIB ||
        fz_sb_va + FZ_SANDBOX_FRAMES * FZ_PAGE + 0x10000u > fz_l1_va) {
        hv_puts("hvtest: error: hcfuzz needs more memory (or less)\n");
        hv_puts("hvtest: role.hcfuzz: ERROR\n");
        return HVTEST_ERROR;
    }
    const volatile uint32_t *l1 = (const volatile uint32_t *)fz_l1_va;
    for (uint32_t i = 0; i < fz_mem_size >> 20; i++) {
        fz_canon[i] = l1[(fz_mem_base >> 20) + i];
    }
    /* Upcalls: every kind to fz_upcall, events masked, a kernel stack for
     * upcalls from user mode. */
    volatile struct hv_vcpu_shared *sh = (volatile void *)fz_home;
    sh->events_masked = 1;
    sh->kernel_sp =
        (uint32_t)(uintptr_t)(fz_kernel_stack + sizeof(fz_kernel_stack));
    for (unsigned int k = 0; k < HV_UPCALL_COUNT; k++) {
        fz_callbacks.entry[k] = (uint32_t)(uintptr_t)fz_upcall;
        fz_bad_callbacks.entry[k] = (uint32_t)(uintptr_t)fz_upcall;
    }
    if (fz_chance(2)) {
        fz_bad_callbacks.reserved[fz_below(2)] = 1;
    } else {
        fz_bad_callbacks.flags = 1u << (1 + fz_below(31));
    }
    /* Half the seeds run with the registers in place: then every IRET
     * (fz_iret's included, its r1-r11 the canaries) takes r1-r11 from
     * the registers. No system call reaches fz_upcall: the user mode
     * fz_iret enters aborts at once. */
    if (fz_chance(2)) {
        fz_callbacks.flags = HV_CALLBACKS_REGS_IN_PLACE;
    }
    hv_printf("hcfuzz: registers in place: %s\n",
              fz_callbacks.flags != 0 ? "yes" : "no");
    if (hv_vcpu_register(fz_pa((uint32_t)(uintptr_t)fz_home)) != 0 ||
        hv_vcpu_callbacks(&fz_callbacks) != 0) {
        hv_puts("hvtest: role.hcfuzz: ERROR\n");
        return HVTEST_ERROR;
    }
    fz_home_registered = true;

    for (fz_index = 0; fz_index < count; fz_index++) {
        if (fz_chance(128)) {
            bool l1 = fz_chance(2);
            fz_build_table(l1 ? fz_sandbox_group() : fz_sandbox_frame(), l1,
                           fz_chance(2), fz_below(12));
        }
        if (fz_chance(64)) {
            fz_scenario(&io);
        } else {
            fz_one(&io);
        }
        /* Callbacks always lead back here. */
        if (io.op == HV_OP_VCPU_CALLBACKS && (int32_t)io.r[0] == 0 &&
            io.a[0] != (uint32_t)(uintptr_t)&fz_callbacks) {
            fz_unexpected(&io, "callbacks from a buffer not meant for it");
        }
        if (fz_index % 100000 == 99999) {
            hv_printf("hcfuzz: %lu calls\n", (unsigned long)fz_index + 1);
        }
        if (fz_failures > FZ_REPORT_MAX) {
            break;
        }
    }
    hv_printf("\nhcfuzz: done: %lu calls, seed %lu: %lu ok, %lu errors, %lu "
              "faults recovered, %lu IRET landings, %lu user IRETs, %lu "
              "switches, %lu pins\n",
              (unsigned long)fz_index, (unsigned long)seed,
              (unsigned long)fz_ok, (unsigned long)fz_errors,
              (unsigned long)fz_faults, (unsigned long)fz_landings,
              (unsigned long)fz_user_irets, (unsigned long)fz_switches,
              (unsigned long)fz_pins);
    if (wait != 0) {
        uint64_t until = hv_clock_read() + 600000000000ull;
        while (!fz_others_gone(wait)) {
            if (hv_clock_read() > until) {
                hv_puts("hcfuzz: the other guests did not finish\n");
                fz_failures++;
                break;
            }
            hv_yield();
        }
    }
    if (fz_failures != 0) {
        hv_printf("hcfuzz: %lu unexpected outcomes (seed %lu)\n",
                  (unsigned long)fz_failures, (unsigned long)seed);
        hv_puts("hvtest: role.hcfuzz: FAILURE\n");
        return HVTEST_FAILURE;
    }
    hv_puts("hvtest: role.hcfuzz: SUCCESS\n");
    if (linger) {
        /* Stays, with its tables and ports, for the monitor's check when
         * another guest halts the machine; events only wake it. */
        volatile struct hv_vcpu_shared *home = (volatile void *)fz_home;
        hv_vcpu_register(fz_pa((uint32_t)(uintptr_t)fz_home));
        fz_home_registered = true;
        for (;;) {
            __atomic_store_n(&home->events_pending, 0, __ATOMIC_SEQ_CST);
            hv_block();
        }
    }
    return HVTEST_SUCCESS;
}
