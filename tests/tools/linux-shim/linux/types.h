/* SPDX-License-Identifier: MIT */
/*
 * Just enough of the kernel's <linux/types.h> for arch/arm/include/asm/
 * hv-pv.h to compile outside a kernel tree (tests/tools/linux_abi_check.py).
 * On ARM the kernel's u32 and u64 are these fixed-width types.
 */
#ifndef LINUX_SHIM_TYPES_H
#define LINUX_SHIM_TYPES_H

#include <stdbool.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;
typedef uint32_t phys_addr_t; /* no LPAE on these guests */

#endif /* LINUX_SHIM_TYPES_H */
