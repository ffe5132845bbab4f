/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for guest page-table validation (hv/core/pt.c).
 *
 * The input is a script of operations by a hostile guest: pin, unpin and
 * update tables, and write directly to any frame that is not a pinned
 * table (more than a real guest can, since it can only write what it has
 * mapped writable). After every operation an oracle recomputes from
 * scratch what the reference counts must be and checks the invariant of
 * guestabi/include/hv/mmu.h; any difference aborts.
 */
#include <arch/fake.h>
#include <hv/mmu.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hv/pt.h"

#define GUEST_SIZE 0x200000u /* two sections, 512 frames */
#define GUEST_A FAKE_RAM_BASE
#define GUEST_B (FAKE_RAM_BASE + GUEST_SIZE)
#define FRAMES (2 * GUEST_SIZE / 4096u)

static struct vm fuzz_vm[2];

static void fuzz_fail(const char *what, uint32_t pa, uint32_t want,
                      uint32_t got)
{
    fprintf(stderr, "pt_fuzz: %s at 0x%08x: want %u, got %u\n", what,
            (unsigned)pa, (unsigned)want, (unsigned)got);
    abort();
}

static uint32_t *fuzz_word(uint32_t pa)
{
    return fake_phys(pa_init(pa));
}

static const struct vm *fuzz_owner(uint32_t pa)
{
    for (int i = 0; i < 2; i++) {
        uint32_t base = (uint32_t)pa_addr(fuzz_vm[i].mem_pa);
        if (pa >= base && pa - base < GUEST_SIZE) {
            return &fuzz_vm[i];
        }
    }
    return NULL;
}

/* The oracle: expected counts recomputed from every pinned table. */
static void fuzz_check(void)
{
    static uint32_t want_type_refs[FRAMES];
    static uint32_t want_writable[FRAMES];
    static uint32_t want_section_rw[FRAMES / 256];
    struct pt_frame_counts c;

    memset(want_type_refs, 0, sizeof(want_type_refs));
    memset(want_writable, 0, sizeof(want_writable));
    memset(want_section_rw, 0, sizeof(want_section_rw));

    for (uint32_t f = 0; f < FRAMES; f++) {
        uint32_t pa = GUEST_A + f * 4096u;
        pt_frame_counts(pa_init(pa), &c);
        const struct vm *owner = fuzz_owner(pa);
        uint32_t entries = 0;
        uint32_t first = 0; /* byte offset of the first hardware entry */
        bool l1 = false;
        if (c.type == 1 && (pa & (HV_MMU_L1_SIZE - 1)) == 0) {
            entries = 4096;
            l1 = true;
        } else if (c.type == 2) {
            entries = HV_MMU_L2_HW_SIZE / 4;
            first = HV_MMU_L2_HW_OFFSET;
        }
        for (uint32_t i = 0; i < entries; i++) {
            uint32_t d = fuzz_word(pa + first + i * 4)[0];
            uint32_t va = i << 20;
            if (l1 && va >= HV_MMU_WINDOW_BASE && va < HV_MMU_WINDOW_END) {
                continue;
            }
            uint32_t target;
            bool writable;
            if (l1 && (d & 3u) == 1) {
                target = d & ~0xfffu;
                pt_frame_counts(pa_init(target), &c);
                if (fuzz_owner(target) != owner || c.type != 2 ||
                    (d & 0xfffu & ~0x3ffu) < HV_MMU_L2_HW_OFFSET) {
                    fuzz_fail("L1 points at a non-L2 frame", pa + i * 4, 2,
                              c.type);
                }
                want_type_refs[(target - GUEST_A) / 4096u]++;
                continue;
            }
            if (l1 && (d & 3u) == 2) {
                target = d & ~0xfffffu;
                writable = (((d >> 10) & 3u) | ((d >> 13) & 4u)) == 3u;
            } else if (!l1 && (d & 2u)) {
                target = d & ~0xfffu;
                writable = (((d >> 4) & 3u) | ((d >> 7) & 4u)) == 3u;
            } else if ((d & 3u) == 0) {
                continue;
            } else {
                fuzz_fail("invalid entry kept", pa + i * 4, 0, d);
                continue;
            }
            if (fuzz_owner(target) != owner) {
                fuzz_fail("maps memory of another guest", pa + i * 4, 0, d);
            }
            if (!writable) {
                continue;
            }
            if (l1) {
                want_section_rw[(target - GUEST_A) >> 20]++;
                for (uint32_t k = 0; k < 256; k++) {
                    pt_frame_counts(pa_init(target + k * 4096u), &c);
                    if (c.type != 0) {
                        fuzz_fail("writable section over a table",
                                  target + k * 4096u, 0, c.type);
                    }
                }
            } else {
                want_writable[(target - GUEST_A) / 4096u]++;
                pt_frame_counts(pa_init(target), &c);
                if (c.type != 0) {
                    fuzz_fail("writable page of a table", target, 0, c.type);
                }
            }
        }
    }
    for (uint32_t f = 0; f < FRAMES; f++) {
        uint32_t pa = GUEST_A + f * 4096u;
        pt_frame_counts(pa_init(pa), &c);
        if (c.type_refs != want_type_refs[f]) {
            fuzz_fail("L2 reference count", pa, want_type_refs[f], c.type_refs);
        }
        if (c.writable_refs != want_writable[f]) {
            fuzz_fail("writable reference count", pa, want_writable[f],
                      c.writable_refs);
        }
    }
    for (uint32_t s = 0; s < FRAMES / 256; s++) {
        uint32_t pa = GUEST_A + (s << 20);
        if (pt_section_writable_refs(pa_init(pa)) != want_section_rw[s]) {
            fuzz_fail("section writable count", pa, want_section_rw[s],
                      pt_section_writable_refs(pa_init(pa)));
        }
    }
}

/* Biases addresses into the two guests (and a little beyond). */
static uint32_t fuzz_pa(uint32_t r)
{
    return GUEST_A + r % (2 * GUEST_SIZE + 0x1000u);
}

/* A descriptor whose address field points somewhere interesting. */
static uint32_t fuzz_desc(uint32_t r, uint32_t bits)
{
    uint32_t target = fuzz_pa(r);
    if ((bits & 3u) == 2 && (r & 0x80000000u)) {
        target &= ~0xfffffu; /* section-aligned */
    }
    return (target & ~0x3ffu) | (bits & 0x3ffu);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool once;
    if (!once) {
        once = true;
        fake_reset();
    }
    pt_init(pa_init(FAKE_RAM_BASE), 4 * GUEST_SIZE);
    memset(fake_phys(pa_init(GUEST_A)), 0, 2 * GUEST_SIZE);
    for (int i = 0; i < 2; i++) {
        memset(&fuzz_vm[i], 0, sizeof(fuzz_vm[i]));
        fuzz_vm[i].id = (uint32_t)i + 1;
        fuzz_vm[i].mem_pa = pa_init(i ? GUEST_B : GUEST_A);
        fuzz_vm[i].mem_size = GUEST_SIZE;
        fuzz_vm[i].state = VM_RUNNABLE;
    }

    for (size_t pos = 0; pos + 10 <= size; pos += 10) {
        struct vm *vm = &fuzz_vm[data[pos] >> 7];
        uint32_t a;
        uint32_t b;
        uint32_t pa;
        memcpy(&a, data + pos + 2, 4);
        memcpy(&b, data + pos + 6, 4);
        switch (data[pos] % 6) {
        case 0:
            pt_pin_l1(vm, pa_init(fuzz_pa(a) & ~(HV_MMU_L1_SIZE - 1)));
            break;
        case 1:
            pt_pin_l2(vm, pa_init(fuzz_pa(a) & ~0xfffu));
            break;
        case 2:
            pt_unpin(vm, pa_init(fuzz_pa(a) & ~0xfffu));
            break;
        case 3:
            pt_update(vm, pa_init(fuzz_pa(a) & ~3u),
                      fuzz_desc(b, data[pos + 1] | (b & 0xfffu)));
            break;
        case 4:
            /* Raw write by the guest, only where no table lives. */
            pa = fuzz_pa(a) & ~3u;
            if (fuzz_owner(pa)) {
                struct pt_frame_counts c;
                pt_frame_counts(pa_init(pa), &c);
                if (c.type == 0) {
                    *fuzz_word(pa) = fuzz_desc(b, data[pos + 1]);
                }
            }
            break;
        case 5:
            /* Fill a whole L2 hardware half with one pattern. */
            pa = fuzz_pa(a) & ~0xfffu;
            if (fuzz_owner(pa)) {
                struct pt_frame_counts c;
                pt_frame_counts(pa_init(pa), &c);
                for (uint32_t i = 0; c.type == 0 && i < 512; i += 7) {
                    fuzz_word(pa + HV_MMU_L2_HW_OFFSET)[i] =
                        fuzz_desc(b + i * 4096u, data[pos + 1]);
                }
            }
            break;
        }
        fuzz_check();
    }
    return 0;
}
