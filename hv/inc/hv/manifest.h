/* SPDX-License-Identifier: MIT */
/* The guest manifest: which guests to start, from which images. */
#ifndef HV_MANIFEST_H
#define HV_MANIFEST_H

#include "hv/pkg.h"
#include "hv/vm.h"

struct manifest {
    unsigned int count;
    struct vm_config guests[HV_MAX_VMS];
};

/**
 * Reads the manifest blob @fdt; images are looked up in @pkg. On failure
 * writes a one-line reason naming the node and property to @err.
 */
bool manifest_parse(const void *fdt, const struct pkg *pkg,
                    struct manifest *manifest, char *err, size_t err_size);

#endif /* HV_MANIFEST_H */
