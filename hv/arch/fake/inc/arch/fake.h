/* SPDX-License-Identifier: MIT */
/*
 * Test hooks of the host "fake" architecture (hv/arch/fake/fake.c), which
 * implements hv/inc/hv/arch.h so that hv/core runs in a host process.
 *
 * Physical memory is one host buffer covering
 * FAKE_RAM_BASE .. FAKE_RAM_BASE + FAKE_RAM_SIZE (arch_mm_phys_ptr maps
 * a few pages of it at a time at a second address, so a pointer kept too
 * long goes wrong as it would on arm32); everything the monitor prints
 * (console UART or debug channel) is captured in one text buffer;
 * arch_halt unwinds to fake_halt_catch instead of stopping the process.
 */
#ifndef ARCH_FAKE_H
#define ARCH_FAKE_H

#include "hv/arch.h"
#include "hv/irqchip.h"
#include "hv/timer_dev.h"
#include "hv/types.h"

struct vm;

#define FAKE_RAM_BASE 0x60000000u
#define FAKE_RAM_SIZE 0x04000000u /* 64 MiB */

/* The monitor window, as arm32 has it (and <hvabi/mmu.h> documents it). */
#define FAKE_WINDOW_BASE 0xfe000000u
#define FAKE_WINDOW_END 0xff000000u

/* What arch_mm_fill_window writes into L1 entry @index of the window: a
 * section mapping the same address, PL1 only (AP=01), never executable,
 * domain 0, as arm32 copies its own window entries. */
#define FAKE_WINDOW_L1(index) (((uint32_t)(index) << 20) | 0x412u)

/* Distinct 4 KiB register pages arch_mm_map_device can hand out. */
#define FAKE_DEVICE_SLOTS 6

/** Forgets all recorded state and output; fake RAM is filled with 0xa5. */
void fake_reset(void);
/**
 * An inconsistency no test can recover from (a core bug the fake caught,
 * or a broken test): prints @what and the captured output, aborts.
 */
noreturn void fake_die(const char *what);

/* --- Physical memory ---------------------------------------------------- */

/** Host pointer of physical address @pa, NULL outside fake RAM. */
void *fake_phys(paddr_t pa);

/**
 * For fuzzers: arch_mm_phys_ptr hands out the whole-RAM view (as
 * fake_phys) instead of remapping the temporary slot, which takes two
 * system calls per call. Its contract is still checked, but a pointer
 * kept past the next call is no longer caught. fake_reset turns it off.
 */
void fake_set_phys_direct(bool direct);

/* --- Captured output ---------------------------------------------------- */

/** The console output routine that captures (console_set_output). */
void fake_console_putc(char c);
/** Routes the monitor console into the capture buffer. */
void fake_console_capture(void);
/**
 * Gives the captured console UART a transmit FIFO of @size bytes, empty
 * (0, the default: it never fills). Bytes are captured when they enter
 * the FIFO.
 */
void fake_uart_tx_fifo(size_t size);
/** The line sends up to @n bytes out of the FIFO; returns how many. */
size_t fake_uart_tx_send(size_t n);
/** Bytes in the transmit FIFO. */
size_t fake_uart_tx_queued(void);
/** Times the monitor waited for room in the FIFO (putc_wait). */
unsigned int fake_uart_tx_waits(void);
/** Whether the monitor asked for the transmit interrupt. */
bool fake_uart_tx_irq_enabled(void);
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

/* --- Exceptions ----------------------------------------------------------- */

/**
 * What arm32's arch_exception_dispatch does with a handler's result
 * (hypercall_handle, fault_guest, guest_resume) before returning to a
 * guest: while it is NULL (no guest can run, some are blocked), waits for
 * an interrupt (arch_wait_for_interrupt), handles it (irq_handle) and asks
 * guest_resume again. Returns the registers to run.
 */
struct arch_regs *fake_exception_return(struct arch_regs *next);

/* --- Virtual modes ------------------------------------------------------- */

/** Whether arch_vfp_present says so (after fake_reset: yes). */
void fake_set_vfp_present(bool present);
/** Calls of arch_vcpu_switch, and the vms of the last one. */
unsigned int fake_vcpu_switch_count(void);
struct vm *fake_vcpu_switch_prev(void);
struct vm *fake_vcpu_switch_next(void);

/* --- Address spaces ------------------------------------------------------ */

/** The vm last passed to arch_mm_activate / arch_mm_vm_free (or NULL). */
struct vm *fake_last_activated(void);
/** The table and ASID the CPU would translate with (0, 0: the monitor's). */
uint32_t fake_current_ttbr0(void);
uint32_t fake_current_asid(void);
struct vm *fake_last_freed(void);
unsigned int fake_vm_free_count(void);
/** Device pages handed out by arch_mm_map_device so far. */
unsigned int fake_device_slots_used(void);
/** Calls of arch_mm_pt_written and of the TLB maintenance functions. */
unsigned int fake_pt_write_count(void);
unsigned int fake_tlb_flush_count(void); /* arch_mm_tlb_flush_all */
unsigned int fake_tlb_flush_vm_count(void);
unsigned int fake_tlb_flush_va_count(void);
/** The address of the last arch_mm_tlb_flush_va. */
uint32_t fake_tlb_flush_va_last(void);
/** Calls of arch_cache_range by kind, bytes they covered, and calls of
 * arch_cache_invalidate_icache. */
unsigned int fake_cache_op_count(enum arch_cache_op op);
size_t fake_cache_byte_count(void);
/**
 * Makes the word at @pa a clean but stale cache line: the monitor reads
 * @cached until an ARCH_CACHE_FLUSH covers it; from then on @memory (what
 * a non-cacheable write put in memory, as the table walker would see).
 */
void fake_cache_stale(paddr_t pa, uint32_t cached, uint32_t memory);
unsigned int fake_icache_invalidate_count(void);

/* --- Board devices (hv/arch/fake/fake_drivers.c) -------------------------- */

/**
 * The stand-ins register as drivers for the real ones' compatibles
 * ("arm,cortex-a9-gic", "arm,pl390", "arm,sp804",
 * "arm,cortex-a9-global-timer", "arm,pl011"). Their interfaces, for
 * tests that install them as boot would:
 */
extern const struct irqchip_ops fake_gic;
/** The SP804 stand-in: one-shot event and a 1 MHz counter. */
extern const struct timer_dev fake_timer;
/** The global timer stand-in: the same counter, said to be 100 MHz. */
extern const struct timer_dev fake_clock;

/** Part of fake_reset: no interrupt pending or enabled, no input;
 * irqchip is fake_gic, tick_timer none. */
void fake_drivers_reset(void);
/** Makes @irq pending at the GIC; fake_gic.ack returns it once enabled. */
void fake_gic_raise(uint32_t irq);
bool fake_gic_is_pending(uint32_t irq);
bool fake_gic_is_enabled(uint32_t irq);
/** fake_gic.end calls, and the interrupt of the last one. */
unsigned int fake_gic_eoi_count(void);
uint32_t fake_gic_eoi_last(void);
/** Sets the SP804's timer 1 interrupt status (raise its IRQ as well). */
void fake_timer_fire(void);
/** What fake_timer.program_ns was last asked for, and how often. */
uint64_t fake_timer_programmed_ns(void);
unsigned int fake_timer_program_count(void);
/** What the counter of fake_timer and fake_clock returns. */
void fake_counter_set(uint64_t ticks);
/** Queues bytes for fake_uart_getc; returns how many fitted. */
size_t fake_uart_rx(const char *s, size_t len);
/** True once the UART stand-in was probed. */
bool fake_uart_rx_irq_enabled(void);
/** The receive side of the console UART fake_console_capture installs. */
void fake_uart_rx_ack(void);
int fake_uart_getc(void);
/**
 * Called by arch_wait_for_interrupt, which otherwise refuses to wait when
 * no enabled interrupt is pending (nothing would ever come).
 */
void fake_set_wfi_hook(void (*hook)(void));
unsigned int fake_wfi_count(void);

#endif /* ARCH_FAKE_H */
