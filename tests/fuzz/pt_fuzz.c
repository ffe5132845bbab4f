/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for guest page-table validation (hv/core/pt.c).
 *
 * The input is a script of operations by two hostile guests: pin, unpin
 * and update tables, and write directly to any frame that is not a pinned
 * table (more than a real guest can, since it can only write what it has
 * mapped writable). After every operation the oracle (pt_oracle.c)
 * recounts the entries the operation could have changed and compares the
 * reference counts they imply; at the end of the input it recounts
 * everything from scratch. Any difference aborts.
 */
#include <arch/fake.h>
#include <hvabi/mmu.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hv/pt.h"
#include "pt_oracle.h"

#define GUEST_SIZE 0x200000u /* two sections, 512 frames */
#define GUEST_A FAKE_RAM_BASE
#define GUEST_B (FAKE_RAM_BASE + GUEST_SIZE)
#define BLOCK 16384u
#define BLOCKS (2 * GUEST_SIZE / BLOCK)

static struct vm fuzz_vm[2];
/* 16 KiB blocks of guest memory written during this input. */
static bool fuzz_dirty[BLOCKS];

static uint32_t *fuzz_word(uint32_t pa)
{
    return fake_phys(pa_init(pa));
}

static bool fuzz_in_guests(uint32_t pa)
{
    return pa - GUEST_A < 2 * GUEST_SIZE;
}

static void fuzz_mark_dirty(uint32_t pa, uint32_t size)
{
    for (uint32_t a = pa & ~(BLOCK - 1); a < pa + size; a += BLOCK) {
        if (fuzz_in_guests(a)) {
            fuzz_dirty[(a - GUEST_A) / BLOCK] = true;
        }
    }
}

/* The operation may change [pa, pa + size): the oracle recounts it. */
static void fuzz_touch(uint32_t pa, uint32_t size)
{
    pt_oracle_touch(pa, size);
    fuzz_mark_dirty(pa, size);
}

static uint32_t fuzz_type(uint32_t pa)
{
    struct pt_frame_counts c;
    return pt_frame_counts(pa_init(pa), &c) ? c.type : 0;
}

static void fuzz_setup(void)
{
    fake_reset();
    fake_set_phys_direct(true); /* pt.c keeps no pointer across calls */
    pt_init(pa_init(FAKE_RAM_BASE), 4 * GUEST_SIZE);
    memset(fake_phys(pa_init(GUEST_A)), 0, 2 * GUEST_SIZE);
    struct vm *vms[2];
    for (int i = 0; i < 2; i++) {
        memset(&fuzz_vm[i], 0, sizeof(fuzz_vm[i]));
        fuzz_vm[i].id = (uint32_t)i + 1;
        fuzz_vm[i].mem_pa = pa_init(i ? GUEST_B : GUEST_A);
        fuzz_vm[i].mem_size = GUEST_SIZE;
        fuzz_vm[i].state = VM_RUNNABLE;
        vms[i] = &fuzz_vm[i];
    }
    pt_oracle_reset(vms, 2, false);
    pt_oracle_full();
}

/*
 * End of an input: everything recounted from scratch and compared; then
 * pt.c and the memory written start over for the next input.
 */
static void fuzz_finish(void)
{
    pt_oracle_full();
    if (!pt_oracle_empty()) {
        pt_release_vm(&fuzz_vm[0]);
        pt_release_vm(&fuzz_vm[1]);
        pt_oracle_cleared();
    }
    for (uint32_t b = 0; b < BLOCKS; b++) {
        if (fuzz_dirty[b]) {
            memset(fake_phys(pa_init(GUEST_A + b * BLOCK)), 0, BLOCK);
            fuzz_dirty[b] = false;
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
        fuzz_setup();
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
            pa = fuzz_pa(a) & ~(HV_MMU_L1_SIZE - 1);
            fuzz_touch(pa, HV_MMU_L1_SIZE);
            /* zeroing: in range, past it, misaligned */
            pt_pin_l1(vm, pa_init(pa), b % (HV_MMU_L1_SIZE + 8u));
            break;
        case 1:
            pa = fuzz_pa(a) & ~0xfffu;
            fuzz_touch(pa, 4096u);
            pt_pin_l2(vm, pa_init(pa), b % (4096u + 8u));
            break;
        case 2:
            /* The L1 the frame would be part of, too. */
            pa = fuzz_pa(a) & ~0xfffu;
            fuzz_touch(pa & ~(HV_MMU_L1_SIZE - 1), HV_MMU_L1_SIZE);
            pt_unpin(vm, pa_init(pa));
            break;
        case 3:
            pa = fuzz_pa(a) & ~3u;
            fuzz_touch(pa, 4);
            pt_update(vm, pa_init(pa),
                      fuzz_desc(b, data[pos + 1] | (b & 0xfffu)));
            break;
        case 4:
            /* Raw write by the guest, only where no table lives. */
            pa = fuzz_pa(a) & ~3u;
            if (fuzz_in_guests(pa) && fuzz_type(pa) == 0) {
                fuzz_mark_dirty(pa, 4);
                *fuzz_word(pa) = fuzz_desc(b, data[pos + 1]);
            }
            break;
        case 5:
            /* Fill a whole L2 hardware half with one pattern. */
            pa = fuzz_pa(a) & ~0xfffu;
            if (fuzz_in_guests(pa) && fuzz_type(pa) == 0) {
                fuzz_mark_dirty(pa, 4096u);
                for (uint32_t i = 0; i < 512; i += 7) {
                    fuzz_word(pa + HV_MMU_L2_HW_OFFSET)[i] =
                        fuzz_desc(b + i * 4096u, data[pos + 1]);
                }
            }
            break;
        }
        pt_oracle_check();
    }
    fuzz_finish();
    return 0;
}
