/* SPDX-License-Identifier: MIT */
/*
 * The monitor's virtual window and boot constants (ARMv7-A short
 * descriptors). Shared by assembly, C and the linker script, so only
 * preprocessor constants here.
 *
 *   0xfe000000  image: text, rodata, data (2 MiB, 1 MiB sections)
 *   0xfe400000  bss: stacks, page tables, pools (2 MiB)
 *   0xfe800000  device slots, one 1 MiB section each (6 slots)
 *   0xfee00000  temporary mapping slot (1 MiB) for physical memory
 *   0xff000000  end of the monitor window (guests may map above it;
 *               0xfef00000-0xff000000 is reserved for growth)
 *
 * Every guest address space holds the same window entries, mapped
 * privileged-only (AP=01) in domain 0 and global, so a guest in USR mode
 * faults on any access to it.
 */
#ifndef ARCH_LAYOUT_H
#define ARCH_LAYOUT_H

#define HV_WINDOW_BASE 0xfe000000
#define HV_WINDOW_END 0xff000000
#define HV_IMAGE_VA 0xfe000000
#define HV_IMAGE_WINDOW 0x00200000
#define HV_BSS_VA 0xfe400000
#define HV_BSS_WINDOW 0x00200000
#define HV_DEVICE_VA 0xfe800000
#define HV_DEVICE_SLOTS 6
#define HV_TEMP_VA 0xfee00000

/*
 * The image must be loaded at an address whose offset within its 1 MiB
 * section is this (QEMU loads a raw -kernel image at RAM base + 0x10000;
 * give U-Boot's bootm the same offset).
 */
#define HV_LOAD_OFFSET 0x00010000

#define HV_SECTION_SIZE 0x00100000
#define HV_SECTION_SHIFT 20

/* boot.S identity-maps this much from the load section (image and boot
 * package), never into the window; mm.c keeps it until guests run. */
#define HV_IDMAP_SIZE 0x10000000

/* Domains 0 (monitor), 1 and 2 (guest kernel and user: HV_MMU_DOMAIN_* of
 * <hvabi/mmu.h>, checked in cpu.c) are Client; the others No Access. */
#define HV_DACR_CLIENT(d) (1 << (2 * (d)))
#define HV_DACR_VALUE 0x00000015

#define HV_STACK_SIZE 8192
#define HV_PANIC_STACK_SIZE 2048

#endif /* ARCH_LAYOUT_H */
