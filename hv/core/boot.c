/* SPDX-License-Identifier: MIT */
/*
 * Boot: check the image, read the board, bring up console, interrupts and
 * time, create every guest of the manifest, run the first one. Any error
 * stops here with one line that names what is wrong; nothing half-booted
 * ever runs.
 */
#include "hv/boot.h"

#include <libfdt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hv/arch.h"
#include "hv/assign.h"
#include "hv/board.h"
#include "hv/clock.h"
#include "hv/config.h"
#include "hv/conn.h"
#include "hv/console.h"
#include "hv/driver.h"
#include "hv/evtchn.h"
#include "hv/fdt_util.h"
#include "hv/guest.h"
#include "hv/irq.h"
#include "hv/irqchip.h"
#include "hv/manifest.h"
#include "hv/mem.h"
#include "hv/outer_cache.h"
#include "hv/pkg.h"
#include "hv/pt.h"
#include "hv/timer.h"
#include "hv/timer_dev.h"
#include "hv/uart.h"

#include "hv/version.h" /* generated at build time */

static struct board_desc boot_board;
static struct manifest boot_manifest;
static char boot_err[256];

/* Every boot error ends here: one line naming what is wrong, then halt. */
static noreturn void __attribute__((format(printf, 1, 2)))
boot_fail(const char *fmt, ...)
{
    static char line[sizeof(boot_err)];
    va_list args;

    va_start(args, fmt);
    vsnprintf(line, sizeof(line), fmt, args);
    va_end(args);
    dlog("boot failed: %s", line);
    arch_halt(HV_HALT_BOOT_ERROR);
}

/*
 * Devices and interrupts in the manifest: never RAM in any view, never
 * what the monitor drives itself, never the same one for two guests, DMA
 * masters only where the manifest says it trusts the guest with them.
 */
static void boot_check_assignments(const struct board_desc *b,
                                   const struct manifest *m)
{
    struct assign_guest guests[HV_MAX_VMS];
    char line[sizeof(boot_err)];

    for (unsigned int i = 0; i < m->count; i++) {
        guests[i] = (struct assign_guest){m->guests[i].name, &m->guests[i].hw};
    }
    if (!assign_check(b, guests, m->count, boot_err, sizeof(boot_err))) {
        boot_fail("%s", boot_err);
    }
    for (unsigned int i = 0; i < m->count; i++) {
        if (assign_dma_warning(&guests[i], line, sizeof(line))) {
            dlog("%s", line);
        }
    }
}

static void *boot_map(paddr_t pa, size_t size, const char *what)
{
    void *va = arch_mm_map_device(pa, size);
    if (!va) {
        boot_fail("cannot map %s at 0x%08x (monitor device window full, or "
                  "it crosses a 1 MiB boundary)",
                  what, (unsigned)pa_addr(pa));
    }
    return va;
}

static const void *boot_fdt(const struct pkg *pkg, uint32_t type,
                            const char *what)
{
    const struct hvpkg_entry *e = pkg_find(pkg, type, NULL);
    const void *fdt = pkg_payload(pkg, e);
    if (!fdt_util_header_ok(fdt, e->size, what, boot_err, sizeof(boot_err))) {
        boot_fail("%s", boot_err);
    }
    return fdt;
}

/*
 * The board tree the boot loader passed (r2, U-Boot's bootm), copied
 * into the monitor's bss before anything reads it: it lies in RAM that
 * will be the guests', perhaps outside the boot identity map, perhaps
 * only word-aligned inside a FIT. board_parse keeps nothing of it.
 */
static const void *boot_loader_fdt(const struct boot_params *p)
{
    static uint8_t copy[BOARD_FDT_MAX] __attribute__((aligned(8)));
    uint32_t pa = (uint32_t)pa_addr(p->loader_fdt_pa);
    uint32_t mon_start = (uint32_t)pa_addr(p->monitor_pa);
    uint32_t mon_end = (uint32_t)pa_addr(p->reserved_end);

    if (pa == 0 || (pa & 3u) != 0) {
        boot_fail("no board device tree: the boot package has none and the "
                  "boot loader passed none (r2 = 0x%08x)",
                  (unsigned)pa);
    }
    /* boot.S zeroed the bss before this could look. */
    if (pa >= mon_start && pa < mon_end) {
        boot_fail("the boot loader's device tree at 0x%08x lies inside the "
                  "monitor, its package or bss (0x%08x-0x%08x): have it "
                  "placed elsewhere (U-Boot: fdt_high)",
                  (unsigned)pa, (unsigned)mon_start, (unsigned)mon_end - 1);
    }
    const struct fdt_header *h = arch_mm_phys_ptr(p->loader_fdt_pa, sizeof(*h));
    uint32_t magic = fdt32_to_cpu(h->magic);
    uint32_t size = fdt32_to_cpu(h->totalsize);
    if (magic != FDT_MAGIC) {
        boot_fail("no board device tree: the boot package has none and r2 "
                  "from the boot loader (0x%08x) points to no device tree "
                  "(magic 0x%08x, expected 0x%08x)",
                  (unsigned)pa, (unsigned)magic, (unsigned)FDT_MAGIC);
    }
    if (size < sizeof(*h) || size > sizeof(copy)) {
        boot_fail("the boot loader's device tree at 0x%08x is %u bytes; the "
                  "monitor takes %u to %u (BOARD_FDT_MAX)",
                  (unsigned)pa, (unsigned)size, (unsigned)sizeof(*h),
                  (unsigned)sizeof(copy));
    }
    if (pa + size < pa || (pa < mon_end && pa + size > mon_start)) {
        boot_fail("the boot loader's device tree at 0x%08x-0x%08x overlaps "
                  "the monitor, its package or bss (0x%08x-0x%08x)",
                  (unsigned)pa, (unsigned)(pa + size - 1), (unsigned)mon_start,
                  (unsigned)mon_end - 1);
    }
    for (uint32_t done = 0; done < size;) {
        uint32_t chunk = 4096u - ((pa + done) & 4095u);
        if (chunk > size - done) {
            chunk = size - done;
        }
        memcpy(copy + done, arch_mm_phys_ptr(pa_init(pa + done), chunk), chunk);
        done += chunk;
    }
    if (!fdt_util_header_ok(copy, size,
                            "board device tree from the boot loader", boot_err,
                            sizeof(boot_err))) {
        boot_fail("%s", boot_err);
    }
    return copy;
}

/* Maps the reg windows of @kind's device into @regs, for its driver's
 * probe (which returns the interface of that kind). */
static const struct board_device *boot_probe(const struct board_desc *b,
                                             uint32_t kind, void **regs)
{
    const struct board_device *d = &b->devices[kind];
    for (uint32_t i = 0; i < d->reg_count; i++) {
        regs[i] = boot_map(d->reg[i].base, d->reg[i].size, d->driver->regs[i]);
    }
    return d;
}

static void boot_devices(const struct board_desc *b)
{
    void *regs[BOARD_DEVICE_REGS];
    const struct board_device *d = boot_probe(b, DRIVER_IRQCHIP, regs);
    irqchip = d->driver->probe.irqchip(d, regs);
    d = boot_probe(b, DRIVER_TIMER, regs);
    tick_timer = d->driver->probe.timer(d, regs);
    /* The finest counter is the clock. */
    clock_offer(tick_timer);
    if (b->devices[DRIVER_CLOCK].driver) {
        d = boot_probe(b, DRIVER_CLOCK, regs);
        clock_offer(d->driver->probe.clock(d, regs));
    }
    irq_set_tick(b->devices[DRIVER_TIMER].irq);
    irqchip->enable(b->devices[DRIVER_TIMER].irq);
    irq_set_console(b->devices[DRIVER_UART].irq);
    irqchip->enable(b->devices[DRIVER_UART].irq);
}

/*
 * Before anything long: the watchdog off (a BeagleBoard's would reset the
 * board mid-boot), and an outer cache the boot loader left on maintained
 * from the first page table on.
 */
static void boot_board_state(const struct board_desc *b)
{
    void *regs[BOARD_DEVICE_REGS];
    if (b->devices[DRIVER_WATCHDOG].driver) {
        const struct board_device *d = boot_probe(b, DRIVER_WATCHDOG, regs);
        const char *problem = d->driver->probe.watchdog(d, regs);
        if (problem) {
            boot_fail("watchdog %s: %s", d->node, problem);
        }
        dlog("watchdog %s: off", d->node);
    }
    if (b->devices[DRIVER_OUTER_CACHE].driver) {
        const struct board_device *d = boot_probe(b, DRIVER_OUTER_CACHE, regs);
        if (d->enable) {
            /* Said first: a secure monitor call that never returns would
             * otherwise leave nothing on the console. */
            dlog("outer cache %s: hv,enable: turned on if off%s", d->node,
                 d->smc_control ? ", by the secure monitor" : "");
        }
        const struct outer_cache_ops *outer =
            d->driver->probe.outer_cache(d, regs);
        arch_outer_cache_set(outer);
        dlog("outer cache %s: %s", d->node,
             outer       ? "on, maintained by physical address"
             : d->enable ? "still off after turning it on: running without"
                         : "off, as the boot loader left it");
    }
}

static void boot_memory(const struct board_desc *b, const struct boot_params *p)
{
    uint32_t ram_start = (uint32_t)pa_addr(b->ram_base);
    uint32_t ram_end = ram_start + b->ram_size;
    uint32_t mon_start = (uint32_t)pa_addr(p->monitor_pa);
    uint32_t free_start =
        ALIGN_UP((uint32_t)pa_addr(p->reserved_end), HV_MEM_GRANULE);

    if (mon_start < ram_start || free_start > ram_end) {
        boot_fail("monitor and package at 0x%08x-0x%08x are not inside RAM "
                  "0x%08x-0x%08x from the board device tree",
                  (unsigned)mon_start, (unsigned)free_start - 1,
                  (unsigned)ram_start, (unsigned)ram_end - 1);
    }
    mem_init(pa_init(free_start), ram_end - free_start);
    pt_init(pa_init(free_start), ram_end - free_start);
    dlog("RAM 0x%08x-0x%08x, %u KiB free for guests", (unsigned)ram_start,
         (unsigned)ram_end - 1, (unsigned)(mem_free_bytes() / 1024));
}

noreturn void boot_start(const struct boot_params *p)
{
    struct pkg pkg;
    size_t reach = arch_mm_boot_reach(p->package_pa);
    const void *base = arch_mm_boot_ptr(p->package_pa, reach);

    /* Before anything else writes memory: .data is still as loaded. */
    if (!base || !pkg_open(&pkg, base, reach, boot_err, sizeof(boot_err)) ||
        !pkg_check_monitor(&pkg, p->monitor, p->monitor_size, boot_err,
                           sizeof(boot_err))) {
        boot_fail("%s", base ? boot_err : "boot package is out of reach");
    }

    bool from_loader = pkg_find(&pkg, HVPKG_TYPE_BOARD_DTB, NULL) == NULL;
    const void *board_fdt =
        from_loader ? boot_loader_fdt(p)
                    : boot_fdt(&pkg, HVPKG_TYPE_BOARD_DTB, "board device tree");
    if (!board_parse(board_fdt, &boot_board, boot_err, sizeof(boot_err))) {
        boot_fail("%s", boot_err);
    }
    void *regs[BOARD_DEVICE_REGS];
    const struct board_device *uart =
        boot_probe(&boot_board, DRIVER_UART, regs);
    console_set_output(uart->driver->probe.uart(uart, regs));
    dlog("hv %s, guest ABI %u.%u, board \"%s\"", HV_VERSION_STRING,
         (unsigned)HV_ABI_VERSION_MAJOR, (unsigned)HV_ABI_VERSION_MINOR,
         boot_board.model);
    if (p->cpu_warning) {
        dlog("warning: %s", p->cpu_warning);
    }
    if (p->entry_note) {
        dlog("%s", p->entry_note);
    }
    if (from_loader) {
        dlog("board device tree from the boot loader at 0x%08x, %u bytes",
             (unsigned)pa_addr(p->loader_fdt_pa),
             (unsigned)fdt_totalsize(board_fdt));
    }

    boot_board_state(&boot_board);
    boot_memory(&boot_board, p);
    boot_devices(&boot_board);

    const void *manifest_fdt = boot_fdt(&pkg, HVPKG_TYPE_MANIFEST, "manifest");
    if (!manifest_parse(manifest_fdt, &pkg, &boot_manifest, boot_err,
                        sizeof(boot_err))) {
        boot_fail("%s", boot_err);
    }
    boot_check_assignments(&boot_board, &boot_manifest);
    vm_pool_init();
    conn_init(boot_manifest.devices, boot_manifest.device_count);
    for (unsigned int i = 0; i < boot_manifest.count; i++) {
        if (!vm_create(&boot_manifest.guests[i])) {
            boot_fail("guest '%s' could not be created",
                      boot_manifest.guests[i].name);
        }
    }
    dlog("starting %u guest(s)", boot_manifest.count);
    timer_start_slice(HV_WEIGHT_DEFAULT);
    timer_reprogram();
    arch_resume_guest(guest_resume()); /* every guest is runnable */
}
