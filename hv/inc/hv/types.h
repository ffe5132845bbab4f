/* SPDX-License-Identifier: MIT */
/*
 * Address types. Physical addresses and guest virtual addresses are
 * distinct structs, so one cannot be passed where the other is expected
 * without an explicit, greppable conversion; monitor virtual addresses
 * are plain pointers.
 */
#ifndef HV_TYPES_H
#define HV_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** A physical address. */
typedef struct {
    uintptr_t pa;
} paddr_t;

/** An address in a guest's virtual address space. */
typedef struct {
    uint32_t gva;
} gvaddr_t;

static inline paddr_t pa_init(uintptr_t pa)
{
    return (paddr_t){pa};
}

static inline uintptr_t pa_addr(paddr_t pa)
{
    return pa.pa;
}

static inline paddr_t pa_add(paddr_t pa, uintptr_t n)
{
    return (paddr_t){pa.pa + n};
}

static inline gvaddr_t gva_init(uint32_t gva)
{
    return (gvaddr_t){gva};
}

static inline uint32_t gva_addr(gvaddr_t gva)
{
    return gva.gva;
}

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + ((a)-1)) & ~((a)-1))
#define IS_ALIGNED(x, a) (((x) & ((a)-1)) == 0)

#define noreturn _Noreturn

#endif /* HV_TYPES_H */
