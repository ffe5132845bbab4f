/* SPDX-License-Identifier: MIT */
/*
 * First-fit allocator over a bitmap of 1 MiB granules. Guests are few and
 * live long, so simplicity beats fragmentation resistance here.
 */
#include "hv/mem.h"

#include <string.h>

#include "hv/config.h"

static uint32_t mem_base;
static uint32_t mem_granules;
static uint32_t mem_used[HV_MEM_MAX_GRANULES / 32];

static bool mem_is_used(uint32_t i)
{
    return mem_used[i / 32] & (1u << (i % 32));
}

static void mem_mark(uint32_t first, uint32_t count, bool used)
{
    for (uint32_t i = first; i < first + count; i++) {
        if (used) {
            mem_used[i / 32] |= 1u << (i % 32);
        } else {
            mem_used[i / 32] &= ~(1u << (i % 32));
        }
    }
}

void mem_init(paddr_t base, uint32_t size)
{
    memset(mem_used, 0, sizeof(mem_used));
    mem_base = (uint32_t)pa_addr(base);
    mem_granules = size / HV_MEM_GRANULE;
    if (mem_granules > HV_MEM_MAX_GRANULES) {
        mem_granules = HV_MEM_MAX_GRANULES;
    }
}

/* First fit among runs that start on an @align boundary. */
static bool mem_alloc_aligned(uint32_t need, uint32_t align, paddr_t *pa)
{
    for (uint32_t first = 0; first + need <= mem_granules; first++) {
        uint32_t n = 0;
        if (!IS_ALIGNED(mem_base + first * HV_MEM_GRANULE, align)) {
            continue;
        }
        while (n < need && !mem_is_used(first + n)) {
            n++;
        }
        if (n == need) {
            mem_mark(first, need, true);
            *pa = pa_init(mem_base + first * HV_MEM_GRANULE);
            return true;
        }
    }
    return false;
}

bool mem_alloc(uint32_t size, paddr_t *pa)
{
    uint32_t need = size / HV_MEM_GRANULE;

    if (need == 0 || !IS_ALIGNED(size, HV_MEM_GRANULE)) {
        return false;
    }
    /*
     * Memory of a multiple of 2 MiB starts on a 2 MiB boundary when it
     * can: Linux patches its phys-to-virt offset in 2 MiB units.
     */
    if (IS_ALIGNED(size, HV_MEM_LARGE_ALIGN) &&
        mem_alloc_aligned(need, HV_MEM_LARGE_ALIGN, pa)) {
        return true;
    }
    return mem_alloc_aligned(need, HV_MEM_GRANULE, pa);
}

bool mem_alloc_at(paddr_t pa, uint32_t size)
{
    uint32_t a = (uint32_t)pa_addr(pa);
    uint32_t need = size / HV_MEM_GRANULE;

    if (need == 0 || !IS_ALIGNED(size, HV_MEM_GRANULE) ||
        !IS_ALIGNED(a, HV_MEM_GRANULE) || a < mem_base) {
        return false;
    }
    uint32_t first = (a - mem_base) / HV_MEM_GRANULE;
    if (first >= mem_granules || need > mem_granules - first) {
        return false;
    }
    for (uint32_t i = first; i < first + need; i++) {
        if (mem_is_used(i)) {
            return false;
        }
    }
    mem_mark(first, need, true);
    return true;
}

void mem_free(paddr_t pa, uint32_t size)
{
    uint32_t first = ((uint32_t)pa_addr(pa) - mem_base) / HV_MEM_GRANULE;
    mem_mark(first, size / HV_MEM_GRANULE, false);
}

uint32_t mem_free_bytes(void)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < mem_granules; i++) {
        n += mem_is_used(i) ? 0 : 1;
    }
    return n * HV_MEM_GRANULE;
}
