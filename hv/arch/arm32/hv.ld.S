/* SPDX-License-Identifier: MIT */
/* Linker script of the monitor; preprocessed with arch/layout.h. */
#include <arch/layout.h>

OUTPUT_FORMAT("elf32-littlearm")
OUTPUT_ARCH(arm)
ENTRY(_start)

SECTIONS
{
    . = HV_IMAGE_VA + HV_LOAD_OFFSET;
    __image_start = .;
    .text : {
        KEEP(*(.text.boot))
        . = ALIGN(32);
        KEEP(*(.text.vectors))
        *(.text .text.*)
    }
    .rodata : {
        *(.rodata .rodata.*)
        /* The driver registry (hv/driver.h): HV_DRIVER's entries. */
        . = ALIGN(4);
        __start_hv_drivers = .;
        KEEP(*(hv_drivers))
        __stop_hv_drivers = .;
    }
    .ARM.exidx : { *(.ARM.exidx*) }
    .data : { *(.data .data.*) }
    . = ALIGN(4096);
    __image_end = .;

    . = HV_BSS_VA;
    .bss (NOLOAD) : {
        __bss_start = .;
        *(.bss.pgtable)
        *(.bss .bss.* COMMON)
        . = ALIGN(8);
        __bss_end = .;
    }

    /DISCARD/ : { *(.comment) *(.note*) }
}

ASSERT(__image_end <= HV_IMAGE_VA + HV_IMAGE_WINDOW, "monitor image does not fit its window")
ASSERT(__bss_end <= HV_BSS_VA + HV_BSS_WINDOW, "monitor bss does not fit its window")
