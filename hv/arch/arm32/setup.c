/* SPDX-License-Identifier: MIT */
/* From boot.S to generic boot, with the MMU on and the window mapped. */
#include <arch/cp15.h>
#include <arch/layout.h>

#include "hv/arch.h"
#include "hv/boot.h"
#include "hv/console.h"
#include "arm32.h"
#include "psr.h"

extern char __image_start[];
extern char __image_end[];
extern char __bss_start[];
extern char __bss_end[];

/* Stacks live in bss; boot.S and entry.S load their top addresses. */
uint8_t hv_stack[HV_STACK_SIZE] __attribute__((aligned(8)));
uint8_t hv_panic_stack[HV_PANIC_STACK_SIZE] __attribute__((aligned(8)));

/*
 * Registers a boot loader may leave set that would reach guests, each
 * forced to what the monitor assumes (the list, with those boot.S forces
 * and those switched per guest, is in docs/design.md, "CPU state at
 * boot").
 */
static void setup_force_cpu_state(void)
{
    /* The PMU (ID_DFR0.PerfMon 0xf: none): USR access off, else a guest
     * could read and drive counters other guests' work moves (a channel
     * between them); counters, overflow interrupts and flags off. */
    uint32_t dfr0;
    __asm__ volatile("mrc p15, 0, %0, c0, c1, 2" : "=r"(dfr0));
    if (((dfr0 >> 24) & 0xfu) != 0xfu) {
        cp15_write_pmuserenr(0);
        cp15_write_pmcntenclr(0xffffffffu);
        cp15_write_pmintenclr(0xffffffffu);
        cp15_write_pmovsr(0xffffffffu);
        cp15_write_pmcr(cp15_read_pmcr() & ~1u); /* E: all counters off */
    }
    /* Thread registers: each guest loads its own when it first runs;
     * until then nothing of the boot loader's is left in them. */
    cp15_write_tpidrurw(0);
    cp15_write_tpidruro(0);
    /* ThumbEE's TEEHBR is a register USR mode may use by default and
     * that no one switches between guests: make USR access undefined
     * (TEECR.XED) rather than let it carry values between guests. */
    __asm__ volatile("mcr p14, 6, %0, c0, c0, 0" : : "r"(1u));
    __asm__ volatile("mcr p14, 6, %0, c1, c0, 0" : : "r"(0u)); /* TEEHBR */
    /* A generic timer (ID_PFR1.GenTimer; not on Cortex-A8/A9): no PL0
     * access to its counters or timers. */
    if ((cp15_read_id_pfr1() >> 16) & 0xfu) {
        cp15_write_cntkctl(0);
    }
    isb();
}

/*
 * The monitor relies on CPSR.A and CPSR.F masking asynchronous aborts and
 * FIQs (boot.S and every vector set them; guests run with F set). In
 * Non-secure state with SCR.AW = 0 (or SCR.FW = 0, or SCTLR.NMFI) the
 * bits cannot be written, and SCR cannot be read from there: so look at
 * the bits themselves. Returns what to warn about, or NULL; the console
 * does not exist yet.
 */
static const char *setup_check_masks(void)
{
    uint32_t cpsr;
    __asm__ volatile("cpsid aif\n\tmrs %0, cpsr" : "=r"(cpsr));
    if (!(cpsr & PSR_A)) {
        return "CPSR.A cannot be set (Non-secure with SCR.AW = 0?): an "
               "asynchronous abort a guest causes may halt the monitor";
    }
    if (!(cpsr & PSR_F)) {
        return "CPSR.F cannot be set (Non-secure with SCR.FW = 0, or "
               "SCTLR.NMFI?): a FIQ would halt the monitor or stop a guest";
    }
    return NULL;
}

/*
 * Called by boot.S: r0 = physical address of the image, r1 = of the
 * package, r2 = of the memory backing bss, r3 = package size (unchecked);
 * on the stack the boot loader's r2 and the CPSR at entry.
 */
noreturn void hv_main(uint32_t load_pa, uint32_t pkg_pa, uint32_t bss_pa,
                      uint32_t pkg_size, uint32_t loader_r2,
                      uint32_t entry_cpsr)
{
    (void)pkg_size; /* boot.S used it to place bss; pkg_open checks it */
    arch_mm_boot_init(load_pa, bss_pa);
    arch_vfp_init();
    setup_force_cpu_state();
    const char *cpu_warning = setup_check_masks();

    struct boot_params params = {
        .monitor = __image_start,
        .monitor_size = (size_t)(__image_end - __image_start),
        .monitor_pa = pa_init(load_pa),
        .package_pa = pa_init(pkg_pa),
        .reserved_end = pa_init(bss_pa + (uint32_t)(__bss_end - __bss_start)),
        .cpu_warning = cpu_warning,
        .loader_fdt_pa = pa_init(loader_r2),
        .entry_note = (entry_cpsr & PSR_MODE_MASK) == PSR_MODE_HYP
                          ? "entered in Hyp mode: left for SVC by an "
                            "exception return (virtualization unused)"
                          : NULL,
    };
    boot_start(&params);
}
