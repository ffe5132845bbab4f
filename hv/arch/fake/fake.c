/* SPDX-License-Identifier: MIT */
/*
 * The host "fake" architecture: hv/inc/hv/arch.h implemented in a plain
 * host process so that hv/core can be unit tested with the host compiler.
 * Register conventions are those of hv/arch/arm32/cpu.c, so the core sees
 * the same behaviour it gets on hardware; memory, output and halting are
 * host stand-ins that tests can inspect (arch/fake.h).
 */
#include <arch/fake.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hv/arch.h"
#include "hv/console.h"
#include "hv/vm.h"

/* Kept identical to hv/arch/arm32/cpu.c. */
#define PSR_MODE_USR 0x10u
#define PSR_T (1u << 5)
#define PSR_GUEST_BITS 0xfe0ffe20u

#define FAKE_PAGE 4096u

static _Alignas(FAKE_PAGE) uint8_t fake_ram[FAKE_RAM_SIZE];

static char *fake_out;
static size_t fake_out_len;
static size_t fake_out_cap;
static size_t fake_out_debug;

static jmp_buf fake_halt_jmp;
static bool fake_halt_armed;
static unsigned int fake_halts;
static uint32_t fake_halt_last;

static struct vm *fake_activated;
static struct vm *fake_freed;
static unsigned int fake_frees;

static unsigned int fake_pt_writes;
static unsigned int fake_tlb_flushes;

static _Alignas(FAKE_PAGE) uint8_t fake_device_mem[FAKE_DEVICE_SLOTS]
                                                  [FAKE_PAGE];
static uintptr_t fake_device_page[FAKE_DEVICE_SLOTS];
static unsigned int fake_device_used;

/* An internal inconsistency of the core or of a test: no way to go on. */
static noreturn void fake_die(const char *what)
{
    fflush(stdout);
    fprintf(stderr, "fake arch: %s\n", what);
    if (fake_out_len > 0) {
        fprintf(stderr, "fake arch: captured output so far:\n%s\n",
                fake_out);
    }
    abort();
}

void fake_reset(void)
{
    /* A guest must never see what was in its memory before (vm_create
     * clears it); poisoning makes a missing clear visible. */
    memset(fake_ram, 0xa5, sizeof(fake_ram));
    fake_output_clear();
    fake_halt_armed = false;
    fake_halts = 0;
    fake_halt_last = 0;
    fake_activated = NULL;
    fake_freed = NULL;
    fake_frees = 0;
    fake_pt_writes = 0;
    fake_tlb_flushes = 0;
    memset(fake_device_mem, 0, sizeof(fake_device_mem));
    fake_device_used = 0;
    console_set_output(NULL);
}

void *fake_phys(paddr_t pa)
{
    uintptr_t a = pa_addr(pa);

    if (a < FAKE_RAM_BASE || a - FAKE_RAM_BASE >= FAKE_RAM_SIZE) {
        return NULL;
    }
    return fake_ram + (a - FAKE_RAM_BASE);
}

/* --- Captured output ---------------------------------------------------- */

static void fake_out_append(const char *s, size_t n)
{
    if (fake_out_len + n + 1 > fake_out_cap) {
        size_t cap = fake_out_cap ? fake_out_cap : 4096;
        while (cap < fake_out_len + n + 1) {
            cap *= 2;
        }
        char *p = realloc(fake_out, cap);
        if (!p) {
            fake_die("out of memory for captured output");
        }
        fake_out = p;
        fake_out_cap = cap;
    }
    memcpy(fake_out + fake_out_len, s, n);
    fake_out_len += n;
    fake_out[fake_out_len] = '\0';
}

void fake_console_putc(char c)
{
    fake_out_append(&c, 1);
}

void fake_console_capture(void)
{
    console_set_output(fake_console_putc);
}

const char *fake_output(void)
{
    return fake_out ? fake_out : "";
}

size_t fake_output_len(void)
{
    return fake_out_len;
}

void fake_output_clear(void)
{
    fake_out_len = 0;
    fake_out_debug = 0;
    if (fake_out) {
        fake_out[0] = '\0';
    }
}

size_t fake_debug_chars(void)
{
    return fake_out_debug;
}

/* --- Halting ------------------------------------------------------------- */

bool fake_halt_catch(void (*fn)(void *ctx), void *ctx)
{
    if (fake_halt_armed) {
        fake_die("fake_halt_catch does not nest");
    }
    fake_halt_armed = true;
    if (setjmp(fake_halt_jmp) != 0) {
        fake_halt_armed = false;
        return true;
    }
    fn(ctx);
    fake_halt_armed = false;
    return false;
}

unsigned int fake_halt_count(void)
{
    return fake_halts;
}

uint32_t fake_halt_code(void)
{
    return fake_halt_last;
}

noreturn void arch_halt(uint32_t code)
{
    fake_halts++;
    fake_halt_last = code;
    if (fake_halt_armed) {
        longjmp(fake_halt_jmp, 1);
    }
    char msg[80];
    snprintf(msg, sizeof(msg), "arch_halt(0x%x) with no test expecting it",
             (unsigned)code);
    fake_die(msg);
}

/* --- vCPU registers ------------------------------------------------------ */

void arch_regs_init(struct arch_regs *regs, uint32_t entry, uint32_t sp,
                    uint32_t arg0)
{
    *regs = (struct arch_regs){0};
    regs->r[0] = arg0;
    regs->sp = sp;
    regs->pc = entry & ~1u;
    regs->cpsr = PSR_MODE_USR | ((entry & 1u) ? PSR_T : 0);
}

uint32_t arch_regs_hypercall_op(const struct arch_regs *regs)
{
    return regs->r[12];
}

uint32_t arch_regs_arg(const struct arch_regs *regs, unsigned int index)
{
    return index < 4 ? regs->r[index] : 0;
}

void arch_regs_set_result(struct arch_regs *regs, unsigned int index,
                          uint32_t value)
{
    if (index < 4) {
        regs->r[index] = value;
    }
}

uint32_t arch_regs_pc(const struct arch_regs *regs)
{
    return regs->pc;
}

void arch_regs_sanitize(struct arch_regs *regs)
{
    regs->cpsr = (regs->cpsr & PSR_GUEST_BITS) | PSR_MODE_USR;
}

/* --- Address spaces ------------------------------------------------------ */

bool arch_mm_vm_init(struct vm *vm)
{
    /* 64-bit arithmetic: memory may end exactly at 4 GiB. */
    uint64_t base = gva_addr(vm->mem_gva);
    uint64_t end = base + vm->mem_size;

    if (end > FAKE_WINDOW_BASE && base < FAKE_WINDOW_END) {
        dlog("guest '%s': memory 0x%08x-0x%08x overlaps the monitor window "
             "0x%08x-0x%08x", vm->name, (unsigned)base,
             (unsigned)(end - 1), (unsigned)FAKE_WINDOW_BASE,
             (unsigned)(FAKE_WINDOW_END - 1));
        return false;
    }
    vm->arch.host_mem = arch_mm_boot_ptr(vm->mem_pa, vm->mem_size);
    if (!vm->arch.host_mem) {
        dlog("guest '%s': memory at 0x%08x is outside fake RAM", vm->name,
             (unsigned)pa_addr(vm->mem_pa));
        return false;
    }
    vm->arch.activations = 0;
    return true;
}

void arch_mm_vm_free(struct vm *vm)
{
    fake_freed = vm;
    fake_frees++;
}

void arch_mm_activate(struct vm *vm)
{
    vm->arch.activations++;
    fake_activated = vm;
}

void *arch_mm_guest_ptr(struct vm *vm, gvaddr_t gva)
{
    uint32_t off = gva_addr(gva) - gva_addr(vm->mem_gva);

    /* The caller promised a vm_range_ok check; hold it to that. */
    if (!vm->arch.host_mem || vm->state != VM_RUNNABLE ||
        gva_addr(gva) < gva_addr(vm->mem_gva) || off > vm->mem_size) {
        fake_die("arch_mm_guest_ptr outside the guest's memory");
    }
    return vm->arch.host_mem + off;
}

void *arch_mm_map_device(paddr_t pa, size_t size)
{
    uintptr_t page = pa_addr(pa) & ~(uintptr_t)(FAKE_PAGE - 1);
    size_t off = pa_addr(pa) - page;
    unsigned int slot;

    if (size == 0 || size > FAKE_PAGE - off) {
        return NULL;
    }
    for (slot = 0; slot < fake_device_used; slot++) {
        if (fake_device_page[slot] == page) {
            break;
        }
    }
    if (slot == fake_device_used) {
        if (slot == FAKE_DEVICE_SLOTS) {
            return NULL;
        }
        fake_device_page[slot] = page;
        fake_device_used++;
    }
    return &fake_device_mem[slot][off];
}

unsigned int fake_device_slots_used(void)
{
    return fake_device_used;
}

void *arch_mm_boot_ptr(paddr_t pa, size_t size)
{
    uintptr_t a = pa_addr(pa);

    if (a < FAKE_RAM_BASE || a - FAKE_RAM_BASE >= FAKE_RAM_SIZE ||
        size > FAKE_RAM_SIZE - (a - FAKE_RAM_BASE)) {
        return NULL;
    }
    return fake_ram + (a - FAKE_RAM_BASE);
}

size_t arch_mm_boot_reach(paddr_t pa)
{
    uintptr_t a = pa_addr(pa);

    if (a < FAKE_RAM_BASE || a - FAKE_RAM_BASE >= FAKE_RAM_SIZE) {
        return 0;
    }
    return FAKE_RAM_SIZE - (a - FAKE_RAM_BASE);
}

void *arch_mm_phys_ptr(paddr_t pa, size_t size)
{
    /* Same limit as arm32's temporary slot: four 4 KiB pages. */
    uintptr_t a = pa_addr(pa);
    uintptr_t first = a & ~(uintptr_t)(FAKE_PAGE - 1);

    if (size == 0 || (a + size - 1) / FAKE_PAGE - first / FAKE_PAGE + 1 >
                         FAKE_PHYS_PTR_PAGES) {
        return NULL;
    }
    /* arm32 would map whatever it is asked; here that is a core bug. */
    void *p = arch_mm_boot_ptr(pa, size);
    if (!p) {
        fake_die("arch_mm_phys_ptr outside fake RAM");
    }
    return p;
}

void arch_mm_pt_written(void *ptr, size_t size)
{
    (void)ptr;
    (void)size;
    fake_pt_writes++;
}

void arch_mm_fill_window(uint32_t *l1)
{
    for (uint32_t i = FAKE_WINDOW_BASE >> 20; i < FAKE_WINDOW_END >> 20;
         i++) {
        l1[i] = FAKE_WINDOW_L1(i);
    }
}

void arch_mm_tlb_flush_all(void)
{
    fake_tlb_flushes++;
}

unsigned int fake_pt_write_count(void)
{
    return fake_pt_writes;
}

unsigned int fake_tlb_flush_count(void)
{
    return fake_tlb_flushes;
}

struct vm *fake_last_activated(void)
{
    return fake_activated;
}

struct vm *fake_last_freed(void)
{
    return fake_freed;
}

unsigned int fake_vm_free_count(void)
{
    return fake_frees;
}

/* --- CPU ----------------------------------------------------------------- */

void arch_debug_puts(const char *s)
{
    size_t n = strlen(s);
    fake_out_append(s, n);
    fake_out_debug += n;
}

void arch_wait_for_interrupt(void)
{
}

noreturn void arch_resume_guest(struct arch_regs *regs)
{
    (void)regs;
    fake_die("arch_resume_guest: there is no guest CPU on the host");
}
