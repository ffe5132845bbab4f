/* SPDX-License-Identifier: MIT */
/* Physical memory for guests, handed out in HV_MEM_GRANULE sections. */
#ifndef HV_MEM_H
#define HV_MEM_H

#include "hv/types.h"

/** Makes [@base, @base + @size) available; both granule-aligned. */
void mem_init(paddr_t base, uint32_t size);
/** Allocates @size bytes of contiguous memory; false if none. */
bool mem_alloc(uint32_t size, paddr_t *pa);
/** Allocates exactly [@pa, @pa + @size); false if any of it is not free. */
bool mem_alloc_at(paddr_t pa, uint32_t size);
void mem_free(paddr_t pa, uint32_t size);
/** Bytes still free, for reports and tests. */
uint32_t mem_free_bytes(void);

#endif /* HV_MEM_H */
