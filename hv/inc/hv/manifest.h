/* SPDX-License-Identifier: MIT */
/* The guest manifest: which guests to start, from which images. */
#ifndef HV_MANIFEST_H
#define HV_MANIFEST_H

#include "hv/pkg.h"
#include "hv/vm.h"

/* Bytes of a network interface's MAC address (mac-address), and of its
 * text, "xx:xx:xx:xx:xx:xx" and the NUL (<hvabi/conn.h>). */
#define HV_MANIFEST_MAC_LEN 6
#define HV_MANIFEST_MAC_TEXT 18

/** A device of the manifest's /devices node: one connection (conn.c). */
struct manifest_device {
    char name[HV_VM_NAME_MAX]; /* the node's */
    uint32_t kind;             /* HV_CONN_KIND_* */
    uint32_t frontend;         /* guest ids (manifest order, 1 ..) */
    uint32_t backend;
    uint32_t flags; /* HV_CONN_READONLY */
    uint32_t sector_size;
    char device[HV_CONN_DEVICE_MAX];  /* backend-device */
    uint8_t mac[HV_MANIFEST_MAC_LEN]; /* net: mac-address; 0 otherwise */
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

/**
 * Writes @mac as a frontend's query gives it: six lower-case hex pairs
 * joined by ':', NUL-terminated (HV_MANIFEST_MAC_TEXT bytes).
 */
void manifest_mac_text(const uint8_t *mac, char *text);

#endif /* HV_MANIFEST_H */
