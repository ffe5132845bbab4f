/* SPDX-License-Identifier: MIT */
/*
 * The host "fake" architecture: hv/inc/hv/arch.h implemented in a plain
 * host process so that hv/core can be unit tested with the host compiler.
 * Register conventions are those of hv/arch/arm32/cpu.c, so the core sees
 * the same behaviour it gets on hardware; memory, output and halting are
 * host stand-ins that tests can inspect (arch/fake.h).
 *
 * Where the arch.h contract is narrower than what arm32 happens to
 * tolerate, the fake enforces the contract, so core code that leans on
 * an arm32 accident fails here first.
 */
#define _GNU_SOURCE /* memfd_create */
#include <arch/fake.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "hv/arch.h"
#include "hv/console.h"
#include "hv/guest.h"
#include "hv/irq.h"
#include "hv/vm.h"

#define FAKE_PAGE 4096u
#define FAKE_SLOT_SIZE 16384u /* arch_mm_phys_ptr's limit */

/*
 * Fake RAM is a memory file mapped twice: once whole (fake_ram, what
 * fake_phys and arch_mm_boot_ptr hand out) and, a few pages at a time, at
 * the temporary slot arch_mm_phys_ptr remaps on every call, as arm32
 * remaps its temporary window. Both views are the same memory, and a
 * pointer kept past the next arch_mm_phys_ptr call reaches whatever the
 * slot maps then, exactly the arm32 hazard; pages of the slot beyond the
 * last request are inaccessible.
 */
static int fake_ram_fd = -1;
static uint8_t *fake_ram;
static uint8_t *fake_slot;
/* arch_mm_vcpu_page's pages, one per guest slot, inaccessible while
 * dropped: a core that kept the pointer past the drop faults here. */
static uint8_t *fake_vcpu_pages;
static bool fake_phys_direct; /* fake_set_phys_direct */

static char *fake_out;
static size_t fake_out_len;
static size_t fake_out_cap;
static size_t fake_out_debug;
/* The console UART's transmit FIFO: what it holds is already captured;
 * fake_uart_tx_send empties it as the line would. */
static size_t fake_tx_fifo_size;
static size_t fake_tx_fifo_len;
static unsigned int fake_tx_waits;
static bool fake_tx_irq;

static jmp_buf fake_halt_jmp;
static bool fake_halt_armed;
static unsigned int fake_halts;
static uint32_t fake_halt_last;

static unsigned int fake_cache_ops[ARCH_CACHE_FLUSH + 1];
static size_t fake_cache_bytes;
/* Words whose data cache line is stale and clean: fake RAM holds what the
 * cache holds; memory (what an invalidate brings back) is kept here. */
#define FAKE_STALE_MAX 8
static struct {
    uint32_t pa;
    uint32_t memory;
} fake_stale[FAKE_STALE_MAX];
static unsigned int fake_stale_count;
static unsigned int fake_icache_invalidates;
static bool fake_vfp;
static unsigned int fake_vcpu_switches;
static struct vm *fake_vcpu_prev;
static struct vm *fake_vcpu_next;
static struct vm *fake_activated;
static uint32_t fake_ttbr0; /* what TTBR0 and the ASID would hold on arm32 */
static uint32_t fake_asid;
static struct vm *fake_freed;
static unsigned int fake_frees;
static unsigned int fake_pt_writes;
static unsigned int fake_tlb_all;
static unsigned int fake_tlb_vm;
static unsigned int fake_tlb_va;
static uint32_t fake_tlb_va_last;

static _Alignas(FAKE_PAGE) uint8_t
    fake_device_mem[FAKE_DEVICE_SLOTS][FAKE_PAGE];
static uintptr_t fake_device_page[FAKE_DEVICE_SLOTS];
static unsigned int fake_device_used;

noreturn void fake_die(const char *what)
{
    fflush(stdout);
    fprintf(stderr, "fake arch: %s\n", what);
    if (fake_out_len > 0) {
        fprintf(stderr, "fake arch: captured output so far:\n%s\n", fake_out);
    }
    abort();
}

static void fake_slot_unmap(void)
{
    if (mmap(fake_slot, FAKE_SLOT_SIZE, PROT_NONE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED) {
        fake_die("cannot unmap the temporary slot");
    }
}

/* On first use: the memory file, its two views. */
static void fake_mem_init(void)
{
    if (fake_ram) {
        return;
    }
    if (sysconf(_SC_PAGESIZE) != FAKE_PAGE) {
        fake_die("the host page size is not 4 KiB");
    }
    fake_ram_fd = memfd_create("hv-fake-ram", 0);
    if (fake_ram_fd < 0 || ftruncate(fake_ram_fd, FAKE_RAM_SIZE) != 0) {
        fake_die("cannot create the fake RAM file");
    }
    void *ram = mmap(NULL, FAKE_RAM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
                     fake_ram_fd, 0);
    void *slot = mmap(NULL, FAKE_SLOT_SIZE, PROT_NONE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    void *vcpu_pages = mmap(NULL, HV_MAX_VMS * FAKE_PAGE, PROT_NONE,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (ram == MAP_FAILED || slot == MAP_FAILED || vcpu_pages == MAP_FAILED) {
        fake_die("cannot map fake RAM");
    }
    fake_ram = ram;
    fake_slot = slot;
    fake_vcpu_pages = vcpu_pages;
}

static void fake_vcpu_page_unmap(unsigned int vm_index)
{
    if (mmap(fake_vcpu_pages + vm_index * FAKE_PAGE, FAKE_PAGE, PROT_NONE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED) {
        fake_die("cannot unmap a vCPU page slot");
    }
}

void fake_reset(void)
{
    /* A guest must never see what was in its memory before (vm_create
     * clears it); poisoning makes a missing clear visible. */
    fake_mem_init();
    fake_slot_unmap();
    for (unsigned int i = 0; i < HV_MAX_VMS; i++) {
        fake_vcpu_page_unmap(i);
    }
    fake_phys_direct = false;
    memset(fake_ram, 0xa5, FAKE_RAM_SIZE);
    fake_output_clear();
    fake_halt_armed = false;
    fake_halts = 0;
    fake_halt_last = 0;
    memset(fake_cache_ops, 0, sizeof(fake_cache_ops));
    fake_cache_bytes = 0;
    fake_stale_count = 0;
    fake_icache_invalidates = 0;
    fake_vfp = true;
    fake_vcpu_switches = 0;
    fake_vcpu_prev = NULL;
    fake_vcpu_next = NULL;
    fake_activated = NULL;
    fake_ttbr0 = 0;
    fake_asid = 0;
    fake_freed = NULL;
    fake_frees = 0;
    fake_pt_writes = 0;
    fake_tlb_all = 0;
    fake_tlb_vm = 0;
    fake_tlb_va = 0;
    fake_tlb_va_last = 0;
    memset(fake_device_mem, 0, sizeof(fake_device_mem));
    fake_device_used = 0;
    console_set_output(NULL);
    fake_tx_fifo_size = 0;
    fake_tx_fifo_len = 0;
    fake_tx_waits = 0;
    fake_tx_irq = false;
    fake_drivers_reset();
}

static bool fake_in_ram(uintptr_t a, size_t size)
{
    return a >= FAKE_RAM_BASE && a - FAKE_RAM_BASE < FAKE_RAM_SIZE &&
           size <= FAKE_RAM_SIZE - (a - FAKE_RAM_BASE);
}

void *fake_phys(paddr_t pa)
{
    uintptr_t a = pa_addr(pa);

    if (!fake_in_ram(a, 1)) {
        return NULL;
    }
    fake_mem_init();
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

static bool fake_uart_try_putc(char c)
{
    if (fake_tx_fifo_size > 0) {
        if (fake_tx_fifo_len == fake_tx_fifo_size) {
            return false;
        }
        fake_tx_fifo_len++;
    }
    fake_console_putc(c);
    return true;
}

static void fake_uart_putc_wait(char c)
{
    if (!fake_uart_try_putc(c)) {
        /* Waiting: meanwhile the line sends the whole FIFO. */
        fake_tx_waits++;
        fake_tx_fifo_len = 0;
        (void)fake_uart_try_putc(c);
    }
}

static void fake_uart_tx_irq_set(bool on)
{
    fake_tx_irq = on;
}

/* No burst limit: a test that wants one sets a FIFO, which limits as
 * much. */
static const struct uart_ops fake_uart = {
    fake_uart_try_putc, fake_uart_putc_wait, fake_uart_tx_irq_set,
    fake_uart_rx_ack,   fake_uart_getc,      0};

void fake_console_capture(void)
{
    console_set_output(&fake_uart);
}

void fake_uart_tx_fifo(size_t size)
{
    fake_tx_fifo_size = size;
    fake_tx_fifo_len = 0;
}

size_t fake_uart_tx_send(size_t n)
{
    if (n > fake_tx_fifo_len) {
        n = fake_tx_fifo_len;
    }
    fake_tx_fifo_len -= n;
    return n;
}

size_t fake_uart_tx_queued(void)
{
    return fake_tx_fifo_len;
}

unsigned int fake_uart_tx_waits(void)
{
    return fake_tx_waits;
}

bool fake_uart_tx_irq_enabled(void)
{
    return fake_tx_irq;
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
    console_sync();
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

/* The arm32 conventions themselves: hv/arch/arm32/regs.c is compiled in. */

/* --- Virtual modes ------------------------------------------------------- */

void arch_vcpu_switch(struct vm *prev, struct vm *next)
{
    /* The thread registers live in the CPU on arm32; here, in arch_vm
     * already, so there is nothing to save. */
    fake_vcpu_switches++;
    fake_vcpu_prev = prev;
    fake_vcpu_next = next;
    if (next) {
        arch_vcpu_mode_changed(next);
    }
}

void arch_vcpu_mode_changed(struct vm *vm)
{
    vm->arch.mode_changes++;
}

/* No fast way here: the core's vcpu_upcall is what the tests run. */
void arch_vcpu_upcall_event(struct vm *vm)
{
    (void)vm;
}

void arch_vcpu_set_user_tls(struct vm *vm, uint32_t value)
{
    vm->arch.tpidruro = value;
}

void arch_vfp_vm_init(struct vm *vm)
{
    vm->arch.vfp_enabled = true;
    vm->arch.vfp_live = true;
}

void arch_vfp_vm_free(struct vm *vm)
{
    vm->arch.vfp_live = false;
}

void arch_vfp_set_enabled(struct vm *vm, bool enabled)
{
    vm->arch.vfp_enabled = enabled;
}

bool arch_vfp_enabled(const struct vm *vm)
{
    return vm->arch.vfp_enabled;
}

bool arch_vfp_present(void)
{
    return fake_vfp;
}

void fake_set_vfp_present(bool present)
{
    fake_vfp = present;
}

unsigned int fake_vcpu_switch_count(void)
{
    return fake_vcpu_switches;
}

struct vm *fake_vcpu_switch_prev(void)
{
    return fake_vcpu_prev;
}

struct vm *fake_vcpu_switch_next(void)
{
    return fake_vcpu_next;
}

/* --- Address spaces ------------------------------------------------------ */

bool arch_mm_vm_init(struct vm *vm)
{
    /* As on arm32, the core has placed and checked the memory already;
     * only the host view of it is set up here. */
    vm->arch.host_mem = arch_mm_boot_ptr(vm->mem_pa, vm->mem_size);
    if (!vm->arch.host_mem) {
        fake_die("arch_mm_vm_init: guest memory outside fake RAM");
    }
    vm->arch.activations = 0;
    return true;
}

void arch_mm_vm_free(struct vm *vm)
{
    fake_freed = vm;
    fake_frees++;
    /* As arm32: off the dead guest's tables and ASID, to the monitor's. */
    if (fake_ttbr0 - (uint32_t)pa_addr(vm->mem_pa) < vm->mem_size) {
        arch_mm_use_monitor_table();
    }
}

void arch_mm_use_monitor_table(void)
{
    fake_ttbr0 = 0;
    fake_asid = 0;
}

void arch_mm_activate(struct vm *vm)
{
    /* arm32 loads TTBR0 with it: 0 would run the guest on garbage. */
    if (pa_addr(vm->active_l1) == 0) {
        fake_die("arch_mm_activate: the guest has no active L1");
    }
    vm->arch.activations++;
    fake_activated = vm;
    fake_ttbr0 = (uint32_t)pa_addr(vm->active_l1);
    fake_asid = vm->active_asid;
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

    /* On arm32 the identity map is only in the monitor's own table: a
     * guest's active table would fault (arch_mm_use_monitor_table). */
    if (fake_ttbr0 != 0) {
        fake_die("arch_mm_boot_ptr: a guest's table is active, the identity "
                 "map is not");
    }

    if (!fake_in_ram(a, size)) {
        return NULL;
    }
    fake_mem_init();
    return fake_ram + (a - FAKE_RAM_BASE);
}

size_t arch_mm_boot_reach(paddr_t pa)
{
    uintptr_t a = pa_addr(pa);

    if (!fake_in_ram(a, 1)) {
        return 0;
    }
    return FAKE_RAM_SIZE - (a - FAKE_RAM_BASE);
}

int32_t arch_mm_translate_user(const struct vm *vm, uint32_t va, bool write,
                               paddr_t *pa)
{
    (void)vm;
    (void)va;
    (void)write;
    (void)pa;
    return -HV_ENOSYS; /* no MMU here: the core walks the tables */
}

int32_t arch_mm_write_user(const struct vm *vm, uint32_t va, const void *src,
                           uint32_t len)
{
    (void)vm;
    (void)va;
    (void)src;
    (void)len;
    return -HV_ENOSYS; /* no MMU here: the core copies by translation */
}

void *arch_mm_vcpu_page(unsigned int vm_index, paddr_t pa)
{
    uintptr_t a = pa_addr(pa);

    if (vm_index >= HV_MAX_VMS || (a & (FAKE_PAGE - 1)) != 0 ||
        !fake_in_ram(a, FAKE_PAGE)) {
        fake_die("arch_mm_vcpu_page: a bad slot, or not a page of fake RAM");
    }
    fake_mem_init();
    uint8_t *page = fake_vcpu_pages + vm_index * FAKE_PAGE;
    if (mmap(page, FAKE_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
             fake_ram_fd, (off_t)(a - FAKE_RAM_BASE)) == MAP_FAILED) {
        fake_die("cannot map a vCPU page slot");
    }
    return page;
}

void arch_mm_vcpu_page_drop(unsigned int vm_index)
{
    if (vm_index >= HV_MAX_VMS) {
        fake_die("arch_mm_vcpu_page_drop: a bad slot");
    }
    fake_mem_init();
    fake_vcpu_page_unmap(vm_index);
}

void *arch_mm_phys_ptr(paddr_t pa, size_t size)
{
    uintptr_t a = pa_addr(pa);

    if (size == 0 || size > FAKE_SLOT_SIZE ||
        a / FAKE_SLOT_SIZE != (a + size - 1) / FAKE_SLOT_SIZE) {
        fake_die("arch_mm_phys_ptr: more than 16 KiB, or crossing a 16 KiB "
                 "boundary");
    }
    /* arm32 would map whatever it is asked; here that is a core bug. */
    if (!fake_in_ram(a, size)) {
        fake_die("arch_mm_phys_ptr outside fake RAM");
    }
    fake_mem_init();
    if (fake_phys_direct) {
        return fake_ram + (a - FAKE_RAM_BASE);
    }
    uintptr_t first = a & ~(uintptr_t)(FAKE_PAGE - 1);
    size_t bytes = ALIGN_UP(a + size - first, FAKE_PAGE);
    fake_slot_unmap();
    if (mmap(fake_slot, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
             fake_ram_fd, (off_t)(first - FAKE_RAM_BASE)) == MAP_FAILED) {
        fake_die("cannot map the temporary slot");
    }
    return fake_slot + (a - first);
}

void arch_mm_phys_copy(paddr_t dst, paddr_t src, size_t size)
{
    uintptr_t d = pa_addr(dst);
    uintptr_t s = pa_addr(src);

    if (size == 0) {
        return;
    }
    if (size > FAKE_PAGE || d / FAKE_PAGE != (d + size - 1) / FAKE_PAGE ||
        s / FAKE_PAGE != (s + size - 1) / FAKE_PAGE) {
        fake_die("arch_mm_phys_copy: a range crosses a page");
    }
    if (!fake_in_ram(d, size) || !fake_in_ram(s, size)) {
        fake_die("arch_mm_phys_copy outside fake RAM");
    }
    fake_mem_init();
    fake_slot_unmap(); /* the last arch_mm_phys_ptr pointer is gone */
    memmove(fake_ram + (d - FAKE_RAM_BASE), fake_ram + (s - FAKE_RAM_BASE),
            size);
}

void fake_set_phys_direct(bool direct)
{
    fake_phys_direct = direct;
}

void arch_mm_pt_written(void *ptr, size_t size)
{
    (void)ptr;
    (void)size;
    fake_pt_writes++;
}

void arch_mm_fill_window(uint32_t *l1)
{
    for (uint32_t i = FAKE_WINDOW_BASE >> 20; i < FAKE_WINDOW_END >> 20; i++) {
        l1[i] = FAKE_WINDOW_L1(i);
    }
}

void arch_mm_tlb_flush_all(void)
{
    fake_tlb_all++;
}

void arch_mm_tlb_flush_asid(uint32_t asid)
{
    (void)asid;
    fake_tlb_vm++;
}

void arch_mm_tlb_flush_va(gvaddr_t va, uint32_t asid)
{
    (void)asid;
    fake_tlb_va++;
    fake_tlb_va_last = gva_addr(va);
}

void arch_cache_range(enum arch_cache_op op, paddr_t pa, size_t size)
{
    uintptr_t a = pa_addr(pa);

    if ((unsigned int)op > ARCH_CACHE_FLUSH || size == 0 ||
        a / FAKE_PAGE != (a + size - 1) / FAKE_PAGE || !fake_in_ram(a, size)) {
        fake_die("arch_cache_range: bad operation, or not within one page "
                 "of fake RAM");
    }
    fake_cache_ops[op]++;
    fake_cache_bytes += size;
    if (op != ARCH_CACHE_FLUSH) {
        return; /* cleaning a clean line changes nothing */
    }
    for (unsigned int i = 0; i < fake_stale_count;) {
        if (fake_stale[i].pa >= a && fake_stale[i].pa - a < size) {
            *(uint32_t *)fake_phys(pa_init(fake_stale[i].pa)) =
                fake_stale[i].memory;
            fake_stale[i] = fake_stale[--fake_stale_count];
        } else {
            i++;
        }
    }
}

void fake_cache_stale(paddr_t pa, uint32_t cached, uint32_t memory)
{
    uint32_t a = (uint32_t)pa_addr(pa);
    if (fake_stale_count == FAKE_STALE_MAX || !fake_in_ram(a, 4)) {
        fake_die("fake_cache_stale: too many stale words, or not in RAM");
    }
    *(uint32_t *)fake_phys(pa) = cached;
    fake_stale[fake_stale_count].pa = a;
    fake_stale[fake_stale_count++].memory = memory;
}

void arch_outer_cache_set(const struct outer_cache_ops *ops)
{
    (void)ops; /* the fake CPU has no outer cache to reach */
}

void arch_cache_invalidate_icache(void)
{
    fake_icache_invalidates++;
}

unsigned int fake_cache_op_count(enum arch_cache_op op)
{
    return (unsigned int)op <= ARCH_CACHE_FLUSH ? fake_cache_ops[op] : 0;
}

size_t fake_cache_byte_count(void)
{
    return fake_cache_bytes;
}

unsigned int fake_icache_invalidate_count(void)
{
    return fake_icache_invalidates;
}

unsigned int fake_pt_write_count(void)
{
    return fake_pt_writes;
}

unsigned int fake_tlb_flush_count(void)
{
    return fake_tlb_all;
}

unsigned int fake_tlb_flush_vm_count(void)
{
    return fake_tlb_vm;
}

unsigned int fake_tlb_flush_va_count(void)
{
    return fake_tlb_va;
}

uint32_t fake_tlb_flush_va_last(void)
{
    return fake_tlb_va_last;
}

struct vm *fake_last_activated(void)
{
    return fake_activated;
}

uint32_t fake_current_ttbr0(void)
{
    return fake_ttbr0;
}

uint32_t fake_current_asid(void)
{
    return fake_asid;
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

struct arch_regs *fake_exception_return(struct arch_regs *next)
{
    /* As arm32's arch_exception_dispatch: every guest left is blocked. */
    while (!next) {
        arch_wait_for_interrupt();
        irq_handle();
        next = guest_resume();
    }
    return next;
}

noreturn void arch_resume_guest(struct arch_regs *regs)
{
    (void)regs;
    fake_die("arch_resume_guest: there is no guest CPU on the host");
}
