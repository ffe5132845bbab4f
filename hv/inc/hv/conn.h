/* SPDX-License-Identifier: MIT */
/*
 * Device connections (<hvabi/conn.h>): the monitor's record of each
 * device of the manifest, held for the life of the system: a state and
 * an event port per side, the frontend's ring reference. Survives either
 * side's stop and restart.
 */
#ifndef HV_CONN_H
#define HV_CONN_H

#include "hv/manifest.h"
#include "hv/vm.h"

/* Sides of a record: index by HV_CONN_FRONTEND, HV_CONN_BACKEND. */
struct conn_side {
    uint8_t state;     /* HV_CONN_* */
    uint8_t port;      /* the guest's port for the connection, 0 if none */
    uint32_t attaches; /* DOWN -> INIT so far */
};

struct conn {
    const struct manifest_device *dev; /* NULL: the slot is unused */
    struct conn_side side[2];
    uint32_t ring_ref; /* HV_CONN_NO_RING until the frontend publishes */
    uint32_t info_len; /* bytes of info the backend published */
    uint8_t info[HV_CONN_INFO_MAX];
};

/** The records of the manifest's @count @devices (kept, not copied). */
void conn_init(const struct manifest_device *devices, unsigned int count);
/** HV_OP_CONN_QUERY: @vm's @index-th connection into @out. */
HV_MUST_CHECK int32_t conn_query(const struct vm *vm, uint32_t index,
                                 struct hv_conn_info *out);
/** HV_OP_CONN_SET_RING. */
HV_MUST_CHECK int32_t conn_set_ring(struct vm *vm, uint32_t id, uint32_t ref);
/** HV_OP_CONN_SET_INFO, the bytes copied in already (@len checked). */
HV_MUST_CHECK int32_t conn_set_info(struct vm *vm, uint32_t id,
                                    const void *info, uint32_t len);
/** HV_OP_CONN_SET_STATE; *@peer_state gets the peer's state on success. */
HV_MUST_CHECK int32_t conn_set_state(struct vm *vm, uint32_t id, uint32_t state,
                                     uint32_t *peer_state);
/**
 * @vm has stopped (after evtchn_release_vm): its sides go DOWN without a
 * port, a frontend's ring reference is dropped, and each peer's port is
 * raised.
 */
void conn_release_vm(const struct vm *vm);
/** For tests and the self-check: record @id, or NULL. */
const struct conn *conn_at(uint32_t id);

#endif /* HV_CONN_H */
