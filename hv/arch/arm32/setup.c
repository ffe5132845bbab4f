/* SPDX-License-Identifier: MIT */
/* From boot.S to generic boot, with the MMU on and the window mapped. */
#include <arch/layout.h>

#include "hv/arch.h"
#include "hv/boot.h"

extern char __image_start[];
extern char __image_end[];
extern char __bss_start[];
extern char __bss_end[];

void arch_mm_boot_init(uint32_t load_pa, uint32_t bss_pa);
void arch_vfp_init(void);

/* Stacks live in bss; boot.S and entry.S load their top addresses. */
uint8_t hv_stack[HV_STACK_SIZE] __attribute__((aligned(8)));
uint8_t hv_panic_stack[HV_PANIC_STACK_SIZE] __attribute__((aligned(8)));

/*
 * Called by boot.S: r0 = physical address of the image, r1 = of the
 * package, r2 = of the memory backing bss, r3 = package size (unchecked).
 */
noreturn void hv_main(uint32_t load_pa, uint32_t pkg_pa, uint32_t bss_pa,
                      uint32_t pkg_size)
{
    (void)pkg_size; /* boot.S used it to place bss; pkg_open checks it */
    arch_mm_boot_init(load_pa, bss_pa);
    arch_vfp_init();
    /* ThumbEE's TEEHBR is a register USR mode may use by default and
     * that no one switches between guests: make USR access undefined
     * (TEECR.XED) rather than let it carry values between guests. */
    __asm__ volatile("mcr p14, 6, %0, c0, c0, 0" : : "r"(1u));

    struct boot_params params = {
        .monitor = __image_start,
        .monitor_size = (size_t)(__image_end - __image_start),
        .monitor_pa = pa_init(load_pa),
        .package_pa = pa_init(pkg_pa),
        .reserved_end = pa_init(bss_pa + (uint32_t)(__bss_end - __bss_start)),
    };
    boot_start(&params);
}
