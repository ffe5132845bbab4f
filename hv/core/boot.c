/* SPDX-License-Identifier: MIT */
/*
 * Boot: check the image, read the board, bring up console, interrupts and
 * time, create every guest of the manifest, run the first one. Any error
 * stops here with one line that names what is wrong; nothing half-booted
 * ever runs.
 */
#include "hv/boot.h"

#include <libfdt.h>

#include "hv/arch.h"
#include "hv/assign.h"
#include "hv/board.h"
#include "hv/clock.h"
#include "hv/config.h"
#include "hv/console.h"
#include "hv/drivers.h"
#include "hv/evtchn.h"
#include "hv/fdt_util.h"
#include "hv/irq.h"
#include "hv/manifest.h"
#include "hv/mem.h"
#include "hv/pkg.h"
#include "hv/pt.h"
#include "hv/sched.h"
#include "hv/timer.h"

#include "hv/version.h" /* generated at build time */

static struct board_desc boot_board;
static struct manifest boot_manifest;
static char boot_err[256];

static noreturn void boot_fail(const char *err)
{
    dlog("boot failed: %s", err);
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
        boot_fail(boot_err);
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
        dlog("boot failed: cannot map %s at 0x%08x (monitor device window "
             "full, or it crosses a 1 MiB boundary)",
             what, (unsigned)pa_addr(pa));
        arch_halt(HV_HALT_BOOT_ERROR);
    }
    return va;
}

static const void *boot_fdt(const struct pkg *pkg, uint32_t type,
                            const char *what)
{
    const struct hvpkg_entry *e = pkg_find(pkg, type, NULL);
    const void *fdt = pkg_payload(pkg, e);
    if (!fdt_util_header_ok(fdt, e->size, what, boot_err, sizeof(boot_err))) {
        boot_fail(boot_err);
    }
    return fdt;
}

static void boot_devices(const struct board_desc *b)
{
    gic_init(boot_map(b->gic_dist, 4096, "GIC distributor"),
             boot_map(b->gic_cpu, 256, "GIC CPU interface"));
    sp804_init(boot_map(b->timer, 4096, "SP804 timer"), b->timer_hz);
    timer_set_device(sp804_program_ns);
    if (b->has_global_timer) {
        a9gt_init(boot_map(b->global_timer, 32, "global timer"));
        clock_set_source(a9gt_counter, b->global_timer_hz);
    } else {
        clock_set_source(sp804_counter, b->timer_hz);
    }
    /* Timer 2's value register: readable by guests without a trap. */
    clock_set_guest_counter(sp804_counter, b->timer_hz,
                            pa_init(pa_addr(b->timer) & ~0xfffu),
                            (uint32_t)(pa_addr(b->timer) & 0xfffu) + 0x24);
    irq_set_tick(b->timer_irq);
    gic_enable(b->timer_irq);
    static const struct evtchn_irqchip chip = {gic_enable, gic_disable};
    evtchn_set_irqchip(&chip);
    irq_set_console(b->uart_irq);
    pl011_enable_rx_irq();
    gic_enable(b->uart_irq);
}

static void boot_memory(const struct board_desc *b, const struct boot_params *p)
{
    uint32_t ram_start = (uint32_t)pa_addr(b->ram_base);
    uint32_t ram_end = ram_start + b->ram_size;
    uint32_t mon_start = (uint32_t)pa_addr(p->monitor_pa);
    uint32_t free_start =
        ALIGN_UP((uint32_t)pa_addr(p->reserved_end), HV_MEM_GRANULE);

    if (mon_start < ram_start || free_start > ram_end) {
        dlog("boot failed: monitor and package at 0x%08x-0x%08x are not "
             "inside RAM 0x%08x-0x%08x from the board device tree",
             (unsigned)mon_start, (unsigned)free_start - 1, (unsigned)ram_start,
             (unsigned)ram_end - 1);
        arch_halt(HV_HALT_BOOT_ERROR);
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
        boot_fail(base ? boot_err : "boot package is out of reach");
    }

    const void *board_fdt =
        boot_fdt(&pkg, HVPKG_TYPE_BOARD_DTB, "board device tree");
    if (!board_parse(board_fdt, &boot_board, boot_err, sizeof(boot_err))) {
        boot_fail(boot_err);
    }
    pl011_init(boot_map(boot_board.uart, 4096, "console UART"));
    /* A PL011's FIFO depth (r1p5; 16 before). */
    static const struct console_uart uart = {pl011_try_putc, pl011_putc,
                                             pl011_tx_irq, 32};
    console_set_output(&uart);
    dlog("hv %s, guest ABI %u.%u, board \"%s\"", HV_VERSION_STRING,
         (unsigned)HV_ABI_VERSION_MAJOR, (unsigned)HV_ABI_VERSION_MINOR,
         boot_board.model);
    if (p->cpu_warning) {
        dlog("warning: %s", p->cpu_warning);
    }

    boot_memory(&boot_board, p);
    boot_devices(&boot_board);

    const void *manifest_fdt = boot_fdt(&pkg, HVPKG_TYPE_MANIFEST, "manifest");
    if (!manifest_parse(manifest_fdt, &pkg, &boot_manifest, boot_err,
                        sizeof(boot_err))) {
        boot_fail(boot_err);
    }
    boot_check_assignments(&boot_board, &boot_manifest);
    vm_pool_init();
    for (unsigned int i = 0; i < boot_manifest.count; i++) {
        if (!vm_create(&boot_manifest.guests[i])) {
            dlog("boot failed: guest '%s' could not be created",
                 boot_manifest.guests[i].name);
            arch_halt(HV_HALT_BOOT_ERROR);
        }
    }
    dlog("starting %u guest(s)", boot_manifest.count);
    timer_start_slice(HV_WEIGHT_DEFAULT);
    timer_reprogram();
    arch_resume_guest(sched_resume());
}
