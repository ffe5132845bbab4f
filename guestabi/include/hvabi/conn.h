/* SPDX-License-Identifier: MIT */
/*
 * Device connections: the monitor, not a store daemon, holds the record
 * of each split device the manifest names (a frontend guest, a backend
 * guest, the backend's device and options), with the ring the frontend
 * published, an event channel between the two and a state per side.
 *
 * One block per operation: IN registers, OUT registers, errors. The calling
 * convention is in <hvabi/abi.h>; numbers are unique across the
 * headers of <hvabi/>.
 */
#ifndef HVABI_CONN_H
#define HVABI_CONN_H

#include "abi.h"

/*
 * CONNECTIONS
 *
 * A guest learns its connections by enumerating them (HV_OP_CONN_QUERY,
 * index 0, 1, ... until HV_ERANGE). Each has an id (the manifest's order,
 * the same for both sides and across restarts), a kind, the caller's
 * role, the peer, options, and a state for each side:
 *
 *   HV_CONN_DOWN       no life of this side is attached: at boot, after
 *                      it stopped (the monitor sets it), after CLOSING
 *   HV_CONN_INIT       attached: the side has its event port and sets up
 *                      (the frontend grants and publishes its ring)
 *   HV_CONN_READY      set up: the frontend's ring is published, the
 *                      backend has mapped it
 *   HV_CONN_CONNECTED  serving requests
 *   HV_CONN_CLOSING    going away
 *
 * A side changes only its own state (HV_OP_CONN_SET_STATE), along
 *
 *   DOWN -> INIT -> READY -> CONNECTED
 *   INIT, READY, CONNECTED -> CLOSING -> INIT or DOWN
 *
 * and never further: READY needs the frontend's ring published,
 * CONNECTED needs the peer READY or CONNECTED (HV_EAGAIN before: wait
 * for its event). Setting the current state again does nothing.
 *
 * DOWN -> INIT gives the side an event-channel port for the connection,
 * bound to the peer's when the peer has one (else it is open for the
 * peer, which binds it when it attaches). Every state change, and a
 * side's stop, raises that port of the peer: the peer then queries the
 * connection again. HV_OP_EVTCHN_SEND on the port notifies the peer
 * (HV_EINVAL while the peer is down: harmless, the peer reads the ring
 * when it attaches).
 *
 * The backend describes its device to the frontend (for block, a struct
 * hv_blkif_info of <hvabi/io/blkif.h>: capacity, features) with
 * HV_OP_CONN_SET_INFO before going READY; the monitor keeps the bytes
 * without reading them.
 *
 * What struct hv_conn_info says, by kind:
 *
 *   field          HV_CONN_KIND_BLOCK          HV_CONN_KIND_CONSOLE
 *   sector_size    512, 1024, 2048 or 4096     0
 *   flags          HV_CONN_READONLY or 0       0
 *   device         the backend's block device  the UART the backend
 *                  (e.g. "mmcblk0p2")          serves the console on
 *                                              (e.g. "uart1"); a
 *                                              manifest gives one UART
 *                                              to one console only
 *   backend_info   struct hv_blkif_info        not used by the
 *                                              protocol: may be empty
 *
 * and for HV_CONN_KIND_NET: sector_size 0, flags 0; device, for the
 * backend, the network (the manifest's backend-device: the bridge in
 * the driver domain that the interface's frames join, e.g. "br0"), and
 * for the frontend the interface's MAC address (the manifest's
 * mac-address) as text, "xx:xx:xx:xx:xx:xx": 17 characters, lower-case
 * hex, NUL-terminated; backend_info not used by the protocol.
 *
 * device is otherwise the manifest's backend-device, given to the
 * backend only (empty in the frontend's query of a block device or a
 * console). The ring page of a console is a struct hv_cons_page of
 * <hvabi/io/console.h>, that of a network interface a struct
 * hv_netif_page of <hvabi/io/netif.h>, granted and published as a block
 * device's ring is.
 *
 * What survives a side's stop: the record, the other side's state and
 * port, and, when the backend stops, the frontend's ring grant and ref
 * (the requests stay in the ring; a restarted backend attaches again and
 * serves those without a response: docs/io.md). When the frontend stops
 * its ring ref is dropped (its grants end as for any stopped granter);
 * the backend sees it DOWN, unmaps the ring and goes CLOSING -> INIT to
 * wait for the frontend's next life.
 */

/* Connection kinds */
#define HV_CONN_KIND_BLOCK 1u   /* <hvabi/io/blkif.h> over <hvabi/io/ring.h> */
#define HV_CONN_KIND_CONSOLE 2u /* <hvabi/io/console.h>: two byte rings */
#define HV_CONN_KIND_NET 3u     /* <hvabi/io/netif.h>: a tx and an rx ring */

/* Roles */
#define HV_CONN_FRONTEND 0u
#define HV_CONN_BACKEND 1u

/* States */
#define HV_CONN_DOWN 0u
#define HV_CONN_INIT 1u
#define HV_CONN_READY 2u
#define HV_CONN_CONNECTED 3u
#define HV_CONN_CLOSING 4u

/* struct hv_conn_info flags */
#define HV_CONN_READONLY 1u /* the frontend may only read the device */

/* ring_ref when the frontend has published no ring */
#define HV_CONN_NO_RING 0xffffffffu

/* Bytes of the backend's device name, NUL included. */
#define HV_CONN_DEVICE_MAX 32
/* Bytes the backend may publish about its device (HV_OP_CONN_SET_INFO). */
#define HV_CONN_INFO_MAX 32

struct hv_conn_info {
    uint32_t id;            /* OUT: connection id, for the other operations */
    uint32_t kind;          /* OUT: HV_CONN_KIND_* */
    uint32_t role;          /* OUT: the caller's: HV_CONN_FRONTEND, _BACKEND */
    uint32_t peer_id;       /* OUT: the other side's guest id */
    uint32_t flags;         /* OUT: HV_CONN_READONLY or 0 (console,
                             * net: 0) */
    uint32_t sector_size;   /* OUT: bytes per sector (512 .. 4096); 0 for
                             * a console or a network interface */
    uint32_t state;         /* OUT: the caller's side, HV_CONN_* */
    uint32_t peer_state;    /* OUT: the other side's, HV_CONN_* */
    uint32_t ring_ref;      /* OUT: the frontend's grant of the ring page to
                             * the backend, or HV_CONN_NO_RING */
    uint32_t port;          /* OUT: the caller's event port, 0 while DOWN */
    uint32_t peer_attaches; /* OUT: times the peer went DOWN -> INIT */
    uint32_t backend_info_len;       /* OUT: bytes of backend_info, 0 .. 32 */
    char device[HV_CONN_DEVICE_MAX]; /* OUT: the backend's: the manifest's
                                      * backend-device; the frontend's:
                                      * a net connection's MAC address
                                      * as text, else empty */
    uint8_t backend_info[HV_CONN_INFO_MAX]; /* OUT: what the backend
                                             * published (HV_OP_CONN_SET_INFO);
                                             * block: struct hv_blkif_info */
};
HV_STATIC_ASSERT(sizeof(struct hv_conn_info) == 112, hv_conn_info_size);

/*
 * HV_OP_CONN_QUERY: describe one connection of this guest.
 *
 *   IN   r0  index, 0 .. (this guest's connections - 1), in id order
 *        r1  guest virtual address of a struct hv_conn_info, 4-byte
 *            aligned, writable by the guest
 *   OUT  r0  0; the structure is filled in
 *   ERRORS
 *        HV_EINVAL  the address is not 4-byte aligned (checked first)
 *        HV_ERANGE  no connection with that index (the end of the list)
 *        HV_EFAULT  the structure is not entirely writable by the guest
 */
#define HV_OP_CONN_QUERY 34

/*
 * HV_OP_CONN_SET_RING: publish the frontend's ring.
 *
 *   IN   r0  connection id
 *        r1  grant reference: a read-write grant of this guest to the
 *            backend (HV_OP_GRANT_ACCESS) of the ring page
 *   OUT  r0  0; the backend sees the reference in its query
 *   ERRORS
 *        HV_ENOENT  no connection with that id has this guest as a side
 *        HV_EPERM   this guest is the connection's backend
 *        HV_EBUSY   the frontend's state is not HV_CONN_INIT
 *        HV_EINVAL  the reference is not a live read-write grant of this
 *                   guest to the backend
 *
 * No event is raised: going READY is the signal.
 */
#define HV_OP_CONN_SET_RING 35

/*
 * HV_OP_CONN_SET_STATE: change this guest's side of a connection.
 *
 *   IN   r0  connection id
 *        r1  the new state, HV_CONN_*
 *   OUT  r0  0; the peer's port is raised (unless the state was already
 *            that)
 *        r1  the peer's state
 *   ERRORS
 *        HV_ENOENT  no connection with that id has this guest as a side
 *        HV_EINVAL  not a state, or not a transition of the list above;
 *                   READY for a frontend that published no ring
 *        HV_EAGAIN  CONNECTED while the peer is neither READY nor
 *                   CONNECTED (nothing changes)
 *        HV_ENOMEM  INIT: no free event-channel port
 *
 * CLOSING -> DOWN closes the side's port (a frontend's ring reference
 * is dropped too); CLOSING -> INIT keeps them.
 */
#define HV_OP_CONN_SET_STATE 36

/*
 * HV_OP_CONN_SET_INFO: publish what the backend offers.
 *
 *   IN   r0  connection id
 *        r1  guest virtual address of the bytes
 *        r2  length, 0 .. HV_CONN_INFO_MAX
 *   OUT  r0  0; the frontend sees the bytes in its query (backend_info)
 *   ERRORS
 *        HV_ENOENT  no connection with that id has this guest as a side
 *        HV_EPERM   this guest is the connection's frontend
 *        HV_EBUSY   the backend's state is not HV_CONN_INIT
 *        HV_E2BIG   length above HV_CONN_INFO_MAX
 *        HV_EFAULT  the bytes are not readable by the guest
 *
 * The bytes replace any published before and stay, also while the
 * backend is down (a restarted backend publishes them again). The
 * frontend checks them (hv_blkif_check_info for block): the monitor
 * does not read them.
 */
#define HV_OP_CONN_SET_INFO 37

#endif /* HVABI_CONN_H */
