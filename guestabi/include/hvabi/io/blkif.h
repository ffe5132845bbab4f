/* SPDX-License-Identifier: MIT */
/*
 * The block device protocol between a frontend (the guest using a disk)
 * and a backend (the guest that owns it), carried by a one-page ring of
 * <hvabi/io/ring.h>. docs/io.md is the reference; in short:
 *
 *   - Sectors are always 512 bytes here (HV_BLKIF_SECTOR_SIZE), whatever
 *     the device's logical block size (struct hv_blkif_info.sector_size):
 *     requests must be aligned to that size.
 *   - A read or write carries 1 to HV_BLKIF_MAX_SEGMENTS segments, each a
 *     byte range of one granted 4 KiB frame; their lengths add up to
 *     nr_sectors. Flush and discard carry no segment.
 *   - Every request gets exactly one response with its id and a status.
 *   - The backend copies a request out of the ring (hv_blkif_get_request)
 *     and checks the copy (hv_blkif_check_request) before anything else;
 *     the frontend copies each response out and checks its id is
 *     outstanding (hv_blkif_check_response).
 *   - A backend that restarts replays the requests between rsp_prod and
 *     req_prod: each must be safe to execute twice (docs/io.md).
 */
#ifndef HVABI_IO_BLKIF_H
#define HVABI_IO_BLKIF_H

#if defined(__KERNEL__) && defined(__linux__)
/* A Linux guest kernel carries these headers verbatim (pvlinux-patches):
 * it has no <stdint.h>, and <linux/types.h> defines the same types. */
#include <linux/types.h>
#else
#include <stdint.h>
#endif

#include "../abi.h"
#include "ring.h"

#define HV_BLKIF_SECTOR_SIZE 512u /* the unit of sector and nr_sectors */
#define HV_BLKIF_FRAME_SIZE 4096u /* a granted data frame */
/*
 * A one-page ring holds 16 requests of up to 27 segments (108 KiB each,
 * 1.7 MiB in flight), not 32 of 11 (44 KiB): every request costs both
 * guests a pass through their block layers and the backend a device
 * command, and measured per byte, fewer and larger requests win (docs/io.md,
 * "Geometry"). 16 still covers a queue depth of 16 small requests.
 */
#define HV_BLKIF_MAX_SEGMENTS 27u /* per request: 108 KiB */
#define HV_BLKIF_RING_SIZE 16u    /* requests in flight on a one-page ring */
#define HV_BLKIF_RING_PAGE 4096u  /* bytes of the shared ring area */

/* Operations. */
#define HV_BLKIF_OP_READ 0u    /* device to the segments' frames */
#define HV_BLKIF_OP_WRITE 1u   /* the segments' frames to the device */
#define HV_BLKIF_OP_FLUSH 2u   /* completed writes to stable media */
#define HV_BLKIF_OP_DISCARD 3u /* the range's contents may be dropped */

/* Request flags. */
#define HV_BLKIF_REQ_FUA 0x01u /* write: on stable media before answered */
#define HV_BLKIF_REQ_FLAGS HV_BLKIF_REQ_FUA

/* Response status. */
#define HV_BLKIF_OK 0         /* done */
#define HV_BLKIF_EIO (-1)     /* the device failed */
#define HV_BLKIF_ENOTSUP (-2) /* operation or flag not offered */
#define HV_BLKIF_EINVAL (-3)  /* malformed request: nothing was done */
#define HV_BLKIF_EROFS (-4)   /* write or discard to a read-only device */
#define HV_BLKIF_EACCES (-5)  /* a segment's grant is not usable for this */

/* Device features (struct hv_blkif_info.features). */
#define HV_BLKIF_F_READ_ONLY 0x01u /* writes and discards refused */
#define HV_BLKIF_F_FLUSH 0x02u     /* HV_BLKIF_OP_FLUSH: volatile cache */
#define HV_BLKIF_F_FUA 0x04u       /* HV_BLKIF_REQ_FUA */
#define HV_BLKIF_F_DISCARD 0x08u   /* HV_BLKIF_OP_DISCARD */
#define HV_BLKIF_F_ALL 0x0fu

/* One granted frame's part in a read or write. */
struct hv_blkif_segment {
    uint32_t gref;   /* grant reference of the frame */
    uint16_t offset; /* first byte in the frame, a multiple of sector_size */
    uint16_t length; /* bytes, a non-zero multiple of sector_size;
                        offset + length <= HV_BLKIF_FRAME_SIZE */
};
HV_STATIC_ASSERT(sizeof(struct hv_blkif_segment) == 8, hv_blkif_segment_size);
HV_STATIC_ASSERT(HV_IO_OFFSETOF(struct hv_blkif_segment, offset) == 4,
                 hv_blkif_segment_offset);
HV_STATIC_ASSERT(HV_IO_OFFSETOF(struct hv_blkif_segment, length) == 6,
                 hv_blkif_segment_length);

struct hv_blkif_request {
    uint32_t id;         /* the frontend's; echoed in the response */
    uint8_t operation;   /* HV_BLKIF_OP_* */
    uint8_t flags;       /* HV_BLKIF_REQ_* */
    uint8_t nr_segments; /* read, write: 1 to MAX_SEGMENTS; else 0 */
    uint8_t reserved0;   /* 0 */
    uint64_t sector;     /* first sector (512 bytes); flush: 0 */
    uint32_t nr_sectors; /* read, write: the segments' total; discard: the
                            range (> 0); flush: 0 */
    uint32_t reserved1;  /* 0 */
    struct hv_blkif_segment seg[HV_BLKIF_MAX_SEGMENTS]; /* nr_segments used */
};
HV_STATIC_ASSERT(sizeof(struct hv_blkif_request) == 240, hv_blkif_req_size);
HV_STATIC_ASSERT(HV_IO_OFFSETOF(struct hv_blkif_request, operation) == 4,
                 hv_blkif_req_operation);
HV_STATIC_ASSERT(HV_IO_OFFSETOF(struct hv_blkif_request, flags) == 5,
                 hv_blkif_req_flags);
HV_STATIC_ASSERT(HV_IO_OFFSETOF(struct hv_blkif_request, nr_segments) == 6,
                 hv_blkif_req_nr_segments);
HV_STATIC_ASSERT(HV_IO_OFFSETOF(struct hv_blkif_request, reserved0) == 7,
                 hv_blkif_req_reserved0);
HV_STATIC_ASSERT(HV_IO_OFFSETOF(struct hv_blkif_request, sector) == 8,
                 hv_blkif_req_sector);
HV_STATIC_ASSERT(HV_IO_OFFSETOF(struct hv_blkif_request, nr_sectors) == 16,
                 hv_blkif_req_nr_sectors);
HV_STATIC_ASSERT(HV_IO_OFFSETOF(struct hv_blkif_request, reserved1) == 20,
                 hv_blkif_req_reserved1);
HV_STATIC_ASSERT(HV_IO_OFFSETOF(struct hv_blkif_request, seg) == 24,
                 hv_blkif_req_seg);

struct hv_blkif_response {
    uint32_t id;         /* the request's */
    uint8_t operation;   /* the request's */
    uint8_t reserved[3]; /* 0 */
    int32_t status;      /* HV_BLKIF_OK or HV_BLKIF_E* */
};
HV_STATIC_ASSERT(sizeof(struct hv_blkif_response) == 12, hv_blkif_rsp_size);
HV_STATIC_ASSERT(HV_IO_OFFSETOF(struct hv_blkif_response, operation) == 4,
                 hv_blkif_rsp_operation);
HV_STATIC_ASSERT(HV_IO_OFFSETOF(struct hv_blkif_response, status) == 8,
                 hv_blkif_rsp_status);

/*
 * What the backend offers, as the connection record will carry it (the
 * frontend learns it with the connection, docs/io.md).
 */
struct hv_blkif_info {
    uint64_t sectors;     /* capacity in 512-byte sectors */
    uint32_t sector_size; /* logical block size: 512, 1024, 2048 or 4096 */
    uint32_t features;    /* HV_BLKIF_F_* */
    uint32_t reserved[2]; /* 0 */
};
HV_STATIC_ASSERT(sizeof(struct hv_blkif_info) == 24, hv_blkif_info_size);
HV_STATIC_ASSERT(HV_IO_OFFSETOF(struct hv_blkif_info, sector_size) == 8,
                 hv_blkif_info_sector_size);
HV_STATIC_ASSERT(HV_IO_OFFSETOF(struct hv_blkif_info, features) == 12,
                 hv_blkif_info_features);

/*
 * The ring: struct hv_blkif_sring (header, 16 request slots of 240 bytes,
 * 16 response slots of 12), and hv_blkif_front_init, hv_blkif_back_attach,
 * hv_blkif_put_request, hv_blkif_get_request, hv_blkif_put_response,
 * hv_blkif_get_response.
 */
HV_RING_DEFINE(hv_blkif, struct hv_blkif_request, struct hv_blkif_response,
               HV_BLKIF_RING_SIZE);
HV_STATIC_ASSERT(HV_IO_OFFSETOF(struct hv_blkif_sring, req) == 64,
                 hv_blkif_sring_req);
HV_STATIC_ASSERT(HV_IO_OFFSETOF(struct hv_blkif_sring, rsp) == 64 + 16 * 240,
                 hv_blkif_sring_rsp);
HV_STATIC_ASSERT(sizeof(struct hv_blkif_sring) == 64 + 16 * (240 + 12),
                 hv_blkif_sring_size);
HV_STATIC_ASSERT(sizeof(struct hv_blkif_sring) <= HV_BLKIF_RING_PAGE,
                 hv_blkif_sring_fits);
HV_STATIC_ASSERT(HV_RING_SLOTS_IN(HV_BLKIF_RING_PAGE,
                                  sizeof(struct hv_blkif_request) +
                                      sizeof(struct hv_blkif_response)) ==
                     HV_BLKIF_RING_SIZE,
                 hv_blkif_ring_size_is_what_fits);
HV_STATIC_ASSERT(HV_BLKIF_RING_SIZE <= HV_RING_IDS_MAX, hv_blkif_ids_fit);

/* HV_BLKIF_OK if the device description is one a backend may offer. */
static HV_IO_INLINE int32_t hv_blkif_check_info(const struct hv_blkif_info *dev)
{
    uint32_t ss = dev->sector_size;

    /* A power of two, so that the checks below (per segment, on the
     * data path) mask instead of dividing: ARM has no divide instruction
     * before Cortex-A15, and a library division costs some 40. */
    if ((ss != 512 && ss != 1024 && ss != 2048 && ss != 4096) ||
        (dev->features & ~HV_BLKIF_F_ALL) != 0 || dev->reserved[0] != 0 ||
        dev->reserved[1] != 0 ||
        (dev->sectors & (ss / HV_BLKIF_SECTOR_SIZE - 1)) != 0) {
        return HV_BLKIF_EINVAL;
    }
    return HV_BLKIF_OK;
}

/*
 * The backend's check of a request it copied out of the ring (never of
 * the shared slot itself): HV_BLKIF_OK, or the status to answer with, the
 * request left undone. Checked in this order, the first failure wins:
 *   a bad device description                          EINVAL
 *   reserved fields not 0, unknown flags              EINVAL
 *   unknown operation                                 ENOTSUP
 *   write or discard on a read-only device            EROFS
 *   flush, discard or FUA not offered                 ENOTSUP
 *   FUA on anything but a write                       EINVAL
 *   shape: segment count; each segment non-empty,
 *     aligned to sector_size, inside its frame; the
 *     lengths add up to nr_sectors; flush all zero    EINVAL
 *   sector and nr_sectors aligned to sector_size,
 *     the range inside the device (no wrap)           EINVAL
 * Grants are the backend's to check as it uses them (EACCES).
 */
static HV_IO_INLINE int32_t hv_blkif_check_request(
    const struct hv_blkif_request *req, const struct hv_blkif_info *dev)
{
    uint32_t ss = dev->sector_size;
    uint32_t unit;
    uint32_t total = 0;
    uint32_t i;

    if (hv_blkif_check_info(dev) != HV_BLKIF_OK) {
        return HV_BLKIF_EINVAL;
    }
    unit = ss / HV_BLKIF_SECTOR_SIZE; /* a power of two, as ss */
    if (req->reserved0 != 0 || req->reserved1 != 0 ||
        (req->flags & ~HV_BLKIF_REQ_FLAGS) != 0) {
        return HV_BLKIF_EINVAL;
    }
    switch (req->operation) {
    case HV_BLKIF_OP_READ:
    case HV_BLKIF_OP_WRITE:
        break;
    case HV_BLKIF_OP_FLUSH:
        if (!(dev->features & HV_BLKIF_F_FLUSH)) {
            return HV_BLKIF_ENOTSUP;
        }
        break;
    case HV_BLKIF_OP_DISCARD:
        break;
    default:
        return HV_BLKIF_ENOTSUP;
    }
    if ((req->operation == HV_BLKIF_OP_WRITE ||
         req->operation == HV_BLKIF_OP_DISCARD) &&
        (dev->features & HV_BLKIF_F_READ_ONLY)) {
        return HV_BLKIF_EROFS;
    }
    if (req->operation == HV_BLKIF_OP_DISCARD &&
        !(dev->features & HV_BLKIF_F_DISCARD)) {
        return HV_BLKIF_ENOTSUP;
    }
    if (req->flags & HV_BLKIF_REQ_FUA) {
        if (req->operation != HV_BLKIF_OP_WRITE) {
            return HV_BLKIF_EINVAL;
        }
        if (!(dev->features & HV_BLKIF_F_FUA)) {
            return HV_BLKIF_ENOTSUP;
        }
    }
    if (req->operation == HV_BLKIF_OP_FLUSH) {
        return req->nr_segments == 0 && req->nr_sectors == 0 && req->sector == 0
                   ? HV_BLKIF_OK
                   : HV_BLKIF_EINVAL;
    }
    if (req->operation == HV_BLKIF_OP_DISCARD) {
        if (req->nr_segments != 0 || req->nr_sectors == 0) {
            return HV_BLKIF_EINVAL;
        }
    } else {
        if (req->nr_segments == 0 || req->nr_segments > HV_BLKIF_MAX_SEGMENTS) {
            return HV_BLKIF_EINVAL;
        }
        for (i = 0; i < req->nr_segments; i++) {
            uint32_t off = req->seg[i].offset;
            uint32_t len = req->seg[i].length;
            if (len == 0 || ((off | len) & (ss - 1)) != 0 ||
                off + len > HV_BLKIF_FRAME_SIZE) {
                return HV_BLKIF_EINVAL;
            }
            total += len; /* at most 27 * 4096: no overflow */
        }
        if (total / HV_BLKIF_SECTOR_SIZE != req->nr_sectors) {
            return HV_BLKIF_EINVAL;
        }
    }
    if ((req->sector & (unit - 1)) != 0 ||
        (req->nr_sectors & (unit - 1)) != 0 || req->nr_sectors > dev->sectors ||
        req->sector > dev->sectors - req->nr_sectors) {
        return HV_BLKIF_EINVAL;
    }
    return HV_BLKIF_OK;
}

/* True for the statuses this header defines. */
static HV_IO_INLINE int hv_blkif_status_known(int32_t status)
{
    return status <= HV_BLKIF_OK && status >= HV_BLKIF_EACCES;
}

/*
 * The frontend's check of a response it copied out of the ring. ops[id]
 * is the operation of the request it issued as id (ids from ids, at most
 * HV_BLKIF_RING_SIZE). Returns 0 when the response answers an outstanding
 * request (its id is then free again), -HV_ERANGE for an id out of range,
 * -HV_ENOENT for one not outstanding (never issued, or answered already),
 * -HV_EINVAL for another operation than the request's or an unknown
 * status (the id stays outstanding). Anything but 0 means the backend
 * is broken or hostile: stop using the ring (docs/io.md).
 */
static HV_IO_INLINE int32_t
hv_blkif_check_response(const struct hv_blkif_response *rsp,
                        struct hv_ring_ids *ids, const uint8_t *ops)
{
    uint32_t bit;

    if (rsp->id >= ids->count) {
        return -HV_ERANGE;
    }
    bit = 1u << (rsp->id % 32);
    if (!(ids->outstanding[rsp->id / 32] & bit)) {
        return -HV_ENOENT;
    }
    if (rsp->operation != ops[rsp->id] || !hv_blkif_status_known(rsp->status)) {
        return -HV_EINVAL;
    }
    return hv_ring_id_complete(ids, rsp->id);
}

#endif /* HVABI_IO_BLKIF_H */
