/* SPDX-License-Identifier: MIT */
/* The guest manifest: which guests to start, from which images. */
#ifndef HV_MANIFEST_H
#define HV_MANIFEST_H

#include "hv/pkg.h"
#include "hv/vm.h"

/** A device of the manifest's /devices node: one connection (conn.c). */
struct manifest_device {
    char name[HV_VM_NAME_MAX]; /* the node's */
    uint32_t kind;             /* HV_CONN_KIND_* */
    uint32_t frontend;         /* guest ids (manifest order, 1 ..) */
    uint32_t backend;
    uint32_t flags; /* HV_CONN_READONLY */
    uint32_t sector_size;
    char device[HV_CONN_DEVICE_MAX]; /* backend-device */
};

struct manifest {
    unsigned int count;
    struct vm_config guests[HV_MAX_VMS];
    unsigned int device_count;
    struct manifest_device devices[HV_MAX_CONNS];
};

/**
 * Reads the manifest blob @fdt: the guests, then the devices (whose
 * frontend and backend name guests); images are looked up in @pkg. On
 * failure writes a one-line reason naming the node and property to @err.
 */
bool manifest_parse(const void *fdt, const struct pkg *pkg,
                    struct manifest *manifest, char *err, size_t err_size);

#endif /* HV_MANIFEST_H */
