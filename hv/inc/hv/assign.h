/* SPDX-License-Identifier: MIT */
/*
 * The board hardware a manifest gives each guest (interrupts, device
 * regions) and its check against the board description. Shared by the
 * monitor at boot and by hvpack, so both refuse the same manifests with
 * the same words; it depends on nothing of the monitor's but libfdt.
 */
#ifndef HV_ASSIGN_H
#define HV_ASSIGN_H

#include "hv/board.h"
#include "hv/config.h"
#include "hv/types.h"

/** Physical memory a guest may map as device memory. */
struct vm_device {
    uint32_t pa; /* 4 KiB aligned */
    uint32_t size;
};

/** What one guest is given of the board. */
struct assign {
    uint32_t irq_count;
    uint32_t irqs[HV_VM_MAX_IRQS]; /* GIC interrupt IDs it may bind */
    uint32_t device_count;
    struct vm_device devices[HV_VM_MAX_DEVICES]; /* device memory it may map */
    /* Bit i: devices[i] is in "dma-capable-regions", so the guest is
     * trusted with all memory. */
    uint32_t dma_mask;
};

/** One guest for assign_check: its name and what it is given. */
struct assign_guest {
    const char *name;
    const struct assign *hw;
};

/**
 * Reads "interrupts", "device-regions" and "dma-capable-regions" of the
 * manifest guest @node into @hw (zeroed first). On failure writes
 * "manifest: node <path>: property '<p>' <problem>" to @err.
 */
bool assign_parse(const void *fdt, int node, struct assign *hw, char *err,
                  size_t err_size);

/**
 * Checks every guest's interrupts and device regions against the board
 * and against the guests before it (docs/manifest.md). On failure writes
 * one line, "manifest: guest '<name>': ...", to @err.
 */
bool assign_check(const struct board_desc *board,
                  const struct assign_guest *guests, unsigned int count,
                  char *err, size_t err_size);

/**
 * Writes the warning for a guest trusted with DMA to @buf; false (and
 * @buf untouched) if no region of it is in "dma-capable-regions".
 */
bool assign_dma_warning(const struct assign_guest *guest, char *buf,
                        size_t size);

#endif /* HV_ASSIGN_H */
