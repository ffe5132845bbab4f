/* SPDX-License-Identifier: MIT */
#ifndef HV_BOOT_H
#define HV_BOOT_H

#include "hv/types.h"

/** Where the arch's early boot found things. */
struct boot_params {
    const void *monitor; /* the monitor image as loaded (its VA) */
    size_t monitor_size; /* bytes up to the package */
    paddr_t monitor_pa;
    paddr_t package_pa;
    paddr_t reserved_end; /* first byte after monitor, package and bss */
    /* A problem the arch found before there was a console, printed once
     * there is one (NULL: none). */
    const char *cpu_warning;
    /* How the boot loader entered the monitor, printed as is (NULL:
     * nothing worth saying). */
    const char *entry_note;
    /* The boot loader's r2: the board device tree when the package has
     * none (U-Boot's bootm passes the FIT's there). */
    paddr_t loader_fdt_pa;
};

/** Validates the image, reads the board and manifest, starts guests. */
noreturn void boot_start(const struct boot_params *params);

#endif /* HV_BOOT_H */
