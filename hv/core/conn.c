/* SPDX-License-Identifier: MIT */
/*
 * Device connections: the records of the manifest's /devices, held by the
 * monitor for the life of the system (no store daemon). Each side walks
 * its own state (<hvabi/conn.h>: DOWN -> INIT -> READY -> CONNECTED,
 * CLOSING); every change raises the peer's port. A side that stops goes
 * DOWN; the rest of the record stays, so a restarted backend finds the
 * frontend's ring where it was and a late one finds it waiting.
 */
#include "hv/conn.h"

#include <string.h>

#include "hv/check.h"
#include "hv/evtchn.h"
#include "hv/grant.h"
#include "hv/vcpu.h"

static struct conn conn_pool[HV_MAX_CONNS];
static unsigned int conn_count;

void conn_init(const struct manifest_device *devices, unsigned int count)
{
    CHECK(count <= HV_MAX_CONNS);
    memset(conn_pool, 0, sizeof(conn_pool));
    for (unsigned int i = 0; i < count; i++) {
        conn_pool[i].dev = &devices[i];
        conn_pool[i].ring_ref = HV_CONN_NO_RING;
    }
    conn_count = count;
}

const struct conn *conn_at(uint32_t id)
{
    return id < conn_count ? &conn_pool[id] : NULL;
}

static uint32_t conn_guest(const struct conn *c, unsigned int role)
{
    return role == HV_CONN_FRONTEND ? c->dev->frontend : c->dev->backend;
}

/* The record @id with @vm as a side (its role in *@role), or NULL. */
static struct conn *conn_find(const struct vm *vm, uint32_t id,
                              unsigned int *role)
{
    if (id >= conn_count) {
        return NULL;
    }
    struct conn *c = &conn_pool[id];
    if (c->dev->frontend == vm->id) {
        *role = HV_CONN_FRONTEND;
    } else if (c->dev->backend == vm->id) {
        *role = HV_CONN_BACKEND;
    } else {
        return NULL;
    }
    return c;
}

/*
 * Side @role's port of @c if @vm (that side's guest) still holds it for
 * the connection: open for the peer or bound to it. 0 if not (never
 * attached, or the guest closed it).
 */
static uint32_t conn_port(const struct conn *c, unsigned int role,
                          const struct vm *vm)
{
    uint32_t port = c->side[role].port;
    if (port == 0) {
        return 0;
    }
    const struct evtchn_port *p = &vm->ports[port];
    if ((p->kind != EVTCHN_UNBOUND && p->kind != EVTCHN_INTERDOMAIN) ||
        p->remote_id != conn_guest(c, 1u - role)) {
        return 0;
    }
    return port;
}

/* Raises the port of the side opposite @role, if it is up. */
static void conn_notify_peer(const struct conn *c, unsigned int role)
{
    struct vm *peer = vm_by_id(conn_guest(c, 1u - role));
    if (!peer) {
        return;
    }
    uint32_t port = conn_port(c, 1u - role, peer);
    if (port != 0) {
        vcpu_raise(peer, 1u << port);
    }
}

int32_t conn_query(const struct vm *vm, uint32_t index,
                   struct hv_conn_info *out)
{
    for (uint32_t id = 0; id < conn_count; id++) {
        unsigned int role;
        const struct conn *c = conn_find(vm, id, &role);
        if (!c || index-- != 0) {
            continue;
        }
        memset(out, 0, sizeof(*out));
        out->id = id;
        out->kind = c->dev->kind;
        out->role = role;
        out->peer_id = conn_guest(c, 1u - role);
        out->flags = c->dev->flags;
        out->sector_size = c->dev->sector_size;
        out->state = c->side[role].state;
        out->peer_state = c->side[1u - role].state;
        out->ring_ref = c->ring_ref;
        out->port = conn_port(c, role, vm);
        out->peer_attaches = c->side[1u - role].attaches;
        if (role == HV_CONN_BACKEND) {
            memcpy(out->device, c->dev->device, sizeof(out->device));
        } else if (c->dev->kind == HV_CONN_KIND_NET) {
            /* The frontend's own business: which address its
             * interface has (the network is the backend's). */
            manifest_mac_text(c->dev->mac, out->device);
        }
        out->backend_info_len = c->info_len;
        memcpy(out->backend_info, c->info, c->info_len);
        return HV_OK;
    }
    return -HV_ERANGE;
}

int32_t conn_set_ring(struct vm *vm, uint32_t id, uint32_t ref)
{
    unsigned int role;
    struct conn *c = conn_find(vm, id, &role);
    paddr_t frame;

    if (!c) {
        return -HV_ENOENT;
    }
    if (role != HV_CONN_FRONTEND) {
        return -HV_EPERM;
    }
    if (c->side[role].state != HV_CONN_INIT) {
        return -HV_EBUSY;
    }
    if (grant_find(c->dev->backend, vm->id, ref, true, &frame) != HV_OK) {
        return -HV_EINVAL;
    }
    c->ring_ref = ref;
    return HV_OK;
}

int32_t conn_set_info(struct vm *vm, uint32_t id, const void *info,
                      uint32_t len)
{
    unsigned int role;
    struct conn *c = conn_find(vm, id, &role);

    CHECK(len <= HV_CONN_INFO_MAX);
    if (!c) {
        return -HV_ENOENT;
    }
    if (role != HV_CONN_BACKEND) {
        return -HV_EPERM;
    }
    if (c->side[role].state != HV_CONN_INIT) {
        return -HV_EBUSY;
    }
    memset(c->info, 0, sizeof(c->info));
    memcpy(c->info, info, len);
    c->info_len = len;
    return HV_OK;
}

/* DOWN -> INIT: a port for the connection, bound to the peer's if it has
 * one open for this guest, else open for the peer. */
static int32_t conn_attach(struct vm *vm, struct conn *c, unsigned int role)
{
    uint32_t peer_id = conn_guest(c, 1u - role);
    struct vm *peer = vm_by_id(peer_id);
    int32_t port = -HV_ENOMEM;

    if (peer) {
        uint32_t pp = conn_port(c, 1u - role, peer);
        if (pp != 0 && peer->ports[pp].kind == EVTCHN_UNBOUND) {
            port = evtchn_bind_interdomain(vm, peer_id, pp);
            if (port == -HV_ENOMEM) {
                return port;
            }
            CHECK(port > 0);
        }
    }
    if (port < 0) {
        port = evtchn_open(vm, peer_id);
        if (port < 0) {
            return port;
        }
    }
    c->side[role].port = (uint8_t)port;
    c->side[role].attaches++;
    return HV_OK;
}

/* CLOSING -> DOWN: the side lets its port and (frontend) ring go. */
static void conn_detach(struct vm *vm, struct conn *c, unsigned int role)
{
    uint32_t port = conn_port(c, role, vm);
    if (port != 0) {
        CHECK(evtchn_close(vm, port) == HV_OK);
    }
    c->side[role].port = 0;
    if (role == HV_CONN_FRONTEND) {
        c->ring_ref = HV_CONN_NO_RING;
    }
}

int32_t conn_set_state(struct vm *vm, uint32_t id, uint32_t state,
                       uint32_t *peer_state)
{
    unsigned int role;
    struct conn *c = conn_find(vm, id, &role);

    if (!c) {
        return -HV_ENOENT;
    }
    uint32_t cur = c->side[role].state;
    uint32_t peer = c->side[1u - role].state;
    bool ok;
    switch (state) {
    case HV_CONN_DOWN:
    case HV_CONN_INIT:
        ok = cur == HV_CONN_CLOSING ||
             (state == HV_CONN_INIT && cur == HV_CONN_DOWN);
        break;
    case HV_CONN_READY:
        ok = cur == HV_CONN_INIT &&
             (role == HV_CONN_BACKEND || c->ring_ref != HV_CONN_NO_RING);
        break;
    case HV_CONN_CONNECTED:
        ok = cur == HV_CONN_READY;
        break;
    case HV_CONN_CLOSING:
        ok = cur == HV_CONN_INIT || cur == HV_CONN_READY ||
             cur == HV_CONN_CONNECTED;
        break;
    default:
        return -HV_EINVAL;
    }
    if (state == cur) {
        *peer_state = peer;
        return HV_OK;
    }
    if (!ok) {
        return -HV_EINVAL;
    }
    if (state == HV_CONN_CONNECTED && peer != HV_CONN_READY &&
        peer != HV_CONN_CONNECTED) {
        return -HV_EAGAIN;
    }
    if (state == HV_CONN_INIT && cur == HV_CONN_DOWN) {
        int32_t rc = conn_attach(vm, c, role);
        if (rc != HV_OK) {
            return rc;
        }
    } else if (state == HV_CONN_DOWN) {
        conn_detach(vm, c, role); /* the peer's port stays open for it */
    }
    c->side[role].state = (uint8_t)state;
    conn_notify_peer(c, role);
    *peer_state = peer;
    return HV_OK;
}

void conn_release_vm(const struct vm *vm)
{
    for (uint32_t id = 0; id < conn_count; id++) {
        unsigned int role;
        struct conn *c = conn_find(vm, id, &role);
        if (!c) {
            continue;
        }
        /* evtchn_release_vm closed the port; the peer's is open again. */
        c->side[role].port = 0;
        if (role == HV_CONN_FRONTEND) {
            c->ring_ref = HV_CONN_NO_RING; /* its grants ended or orphaned */
        }
        if (c->side[role].state != HV_CONN_DOWN) {
            c->side[role].state = HV_CONN_DOWN;
            conn_notify_peer(c, role);
        }
    }
}
