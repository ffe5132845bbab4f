/* SPDX-License-Identifier: MIT */
/*
 * Test hooks of the host "fake" architecture (hv/arch/fake/fake.c), which
 * implements hv/inc/hv/arch.h so that hv/core runs in a host process.
 *
 * Physical memory is one host buffer covering
 * FAKE_RAM_BASE .. FAKE_RAM_BASE + FAKE_RAM_SIZE; everything the monitor
 * prints (console UART or debug channel) is captured in one text buffer;
 * arch_halt unwinds to fake_halt_catch instead of stopping the process.
 */
#ifndef ARCH_FAKE_H
#define ARCH_FAKE_H

#include "hv/types.h"

struct vm;

#define FAKE_RAM_BASE 0x60000000u
#define FAKE_RAM_SIZE 0x04000000u /* 64 MiB */

/* Guest address ranges overlapping this are refused, as arm32 refuses
 * its monitor window. */
#define FAKE_WINDOW_BASE 0xfe000000u
#define FAKE_WINDOW_END 0xff000000u

/* What arch_mm_fill_window writes into L1 entry @index of the window: a
 * section mapping the same address, PL1 only (AP=01), never executable,
 * domain 0, as arm32 copies its own window entries. */
#define FAKE_WINDOW_L1(index) (((uint32_t)(index) << 20) | 0x412u)

/* arch_mm_phys_ptr reaches at most this many 4 KiB pages, as on arm32. */
#define FAKE_PHYS_PTR_PAGES 4u

/* Distinct 4 KiB register pages arch_mm_map_device can hand out. */
#define FAKE_DEVICE_SLOTS 6

/** Forgets all recorded state and output; fake RAM is filled with 0xa5. */
void fake_reset(void);

/* --- Physical memory ---------------------------------------------------- */

/** Host pointer of physical address @pa, NULL outside fake RAM. */
void *fake_phys(paddr_t pa);

/* --- Captured output ---------------------------------------------------- */

/** The console output routine that captures (console_set_output). */
void fake_console_putc(char c);
/** Routes the monitor console into the capture buffer. */
void fake_console_capture(void);
/** Everything printed since the last clear, NUL-terminated. */
const char *fake_output(void);
size_t fake_output_len(void);
void fake_output_clear(void);
/** Characters that went through arch_debug_puts rather than the UART. */
size_t fake_debug_chars(void);

/* --- Halting ------------------------------------------------------------- */

/**
 * Calls @fn(@ctx). If it reaches arch_halt, unwinds back here and returns
 * true; fake_halt_code() then tells the code. Returns false if @fn
 * returned normally. The setjmp lives here rather than in a macro so no
 * caller's locals are ever at the mercy of longjmp.
 */
bool fake_halt_catch(void (*fn)(void *ctx), void *ctx);
/** How many times arch_halt was reached, and the last code. */
unsigned int fake_halt_count(void);
uint32_t fake_halt_code(void);

/* --- Address spaces ------------------------------------------------------ */

/** The vm last passed to arch_mm_activate / arch_mm_vm_free (or NULL). */
struct vm *fake_last_activated(void);
struct vm *fake_last_freed(void);
unsigned int fake_vm_free_count(void);
/** Device pages handed out by arch_mm_map_device so far. */
unsigned int fake_device_slots_used(void);
/** Calls of arch_mm_pt_written and arch_mm_tlb_flush_all. */
unsigned int fake_pt_write_count(void);
unsigned int fake_tlb_flush_count(void);

#endif /* ARCH_FAKE_H */
