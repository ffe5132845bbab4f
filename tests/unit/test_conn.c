/* SPDX-License-Identifier: MIT */
/*
 * hv/core/conn.c (<hvabi/conn.h>): the manifest's /devices, the state
 * machine of each side, the events a change raises, a late backend, and
 * the record across the backend's restart and the frontend's stop; the
 * hypercalls through hypercall_handle.
 */
#include <arch/fake.h>
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include "hv/clock.h"
#include "hv/conn.h"
#include "hv/evtchn.h"
#include "hv/fdt_util.h"
#include "hv/grant.h"
#include "hv/guest.h"
#include "hv/hypercall.h"
#include "hv/irq.h"
#include "hv/irqchip.h"
#include "hv/manifest.h"
#include "hv/sched.h"
#include "hv/selfcheck.h"
#include "hv/timer.h"
#include "hv/timer_dev.h"
#include "unit.h"
#include "unit_build.h"
#include "unit_vm.h"

#define MIB UNIT_MIB
#define SHARED_OFF 0x2000u /* each guest's shared vCPU page */
#define RING_OFF 0x3000u   /* the frontend's ring page */
#define INFO_OFF 0x4000u   /* where hypercall tests put hv_conn_info */
#define CN_TICK_IRQ 34u
#define CN_MS 1000u /* fake counter ticks (1 MHz) */

/* --- /devices in the manifest -------------------------------------------- */

static char cn_err[256];
static struct manifest cn_manifest;

struct cn_dev {
    const char *node;
    const char *compatible;
    const char *frontend;
    const char *backend;
    const char *device;
    int read_only; /* 0 absent, 1 empty, 2 with a value */
    bool has_sector;
    uint32_t sector;
    const char *extra;  /* an unknown property */
    const uint8_t *mac; /* mac-address (6 bytes), or NULL */
};

static struct cn_dev cn_dev_default(void)
{
    return (struct cn_dev){.node = "disk",
                           .compatible = "hv,block",
                           .frontend = "front",
                           .backend = "back",
                           .device = "mmcblk0p2"};
}

static bool cn_parse(const struct cn_dev *d, unsigned int count)
{
    static struct pkg pkg;
    struct unit_pkg p;
    struct unit_fdt f;

    unit_pkg_standard(&p);
    ASSERT_TRUE(pkg_open(&pkg, p.base, p.size, cn_err, sizeof(cn_err)));
    unit_fdt_begin(&f);
    unit_fdt_str(&f, "compatible", "hv,manifest");
    unit_fdt_node(&f, "guests");
    static const char *const names[] = {"front", "back"};
    for (unsigned int i = 0; i < 2; i++) {
        unit_fdt_node(&f, names[i]);
        unit_fdt_str(&f, "compatible", "hv,guest");
        unit_fdt_str(&f, "image", "img-a");
        unit_fdt_u32(&f, "memory-size", MIB);
        unit_fdt_end_node(&f);
    }
    unit_fdt_end_node(&f);
    if (d) {
        unit_fdt_node(&f, "devices");
        for (unsigned int i = 0; i < count; i++) {
            char name[16];
            snprintf(name, sizeof(name), "%s%u", d->node, i);
            unit_fdt_node(&f, count == 1 ? d->node : name);
            if (d->compatible) {
                unit_fdt_str(&f, "compatible", d->compatible);
            }
            if (d->frontend) {
                unit_fdt_str(&f, "frontend", d->frontend);
            }
            if (d->backend) {
                unit_fdt_str(&f, "backend", d->backend);
            }
            if (d->device) {
                unit_fdt_str(&f, "backend-device", d->device);
            }
            if (d->read_only == 1) {
                unit_fdt_empty(&f, "read-only");
            } else if (d->read_only == 2) {
                unit_fdt_u32(&f, "read-only", 1);
            }
            if (d->has_sector) {
                unit_fdt_u32(&f, "sector-size", d->sector);
            }
            if (d->extra) {
                unit_fdt_u32(&f, d->extra, 1);
            }
            if (d->mac) {
                /* Each device its own address: they must differ. */
                uint8_t mac[6];
                memcpy(mac, d->mac, sizeof(mac));
                mac[5] = (uint8_t)(mac[5] + i);
                unit_fdt_raw(&f, "mac-address", mac, sizeof(mac));
            }
            unit_fdt_end_node(&f);
        }
        unit_fdt_end_node(&f);
    }
    void *fdt = unit_fdt_finish(&f);
    memset(cn_err, 0, sizeof(cn_err));
    return manifest_parse(fdt, &pkg, &cn_manifest, cn_err, sizeof(cn_err));
}

TEST(conn, manifest_without_devices_has_none)
{
    ASSERT_TRUE(cn_parse(NULL, 0));
    EXPECT_EQ(cn_manifest.device_count, 0u);
}

TEST(conn, manifest_device_defaults_and_options)
{
    struct cn_dev d = cn_dev_default();
    ASSERT_TRUE(cn_parse(&d, 1));
    ASSERT_EQ(cn_manifest.device_count, 1u);
    const struct manifest_device *m = &cn_manifest.devices[0];
    EXPECT_STREQ(m->name, "disk");
    EXPECT_EQ(m->kind, HV_CONN_KIND_BLOCK);
    EXPECT_EQ(m->frontend, 1u);
    EXPECT_EQ(m->backend, 2u);
    EXPECT_STREQ(m->device, "mmcblk0p2");
    EXPECT_EQ(m->flags, 0u);
    EXPECT_EQ(m->sector_size, 512u);

    d.frontend = "back";
    d.backend = "front";
    d.read_only = 1;
    d.has_sector = true;
    d.sector = 4096;
    ASSERT_TRUE(cn_parse(&d, HV_MAX_CONNS));
    EXPECT_EQ(cn_manifest.device_count, HV_MAX_CONNS);
    m = &cn_manifest.devices[HV_MAX_CONNS - 1];
    EXPECT_EQ(m->frontend, 2u);
    EXPECT_EQ(m->backend, 1u);
    EXPECT_EQ(m->flags, HV_CONN_READONLY);
    EXPECT_EQ(m->sector_size, 4096u);
}

#define CN_EXPECT_REFUSED(d, count, text)                                      \
    do {                                                                       \
        EXPECT_FALSE(cn_parse(d, count));                                      \
        EXPECT_STREQ(cn_err, text);                                            \
    } while (0)

TEST(conn, manifest_device_errors_name_node_and_property)
{
    struct cn_dev d = cn_dev_default();
    d.compatible = "hv,serial";
    CN_EXPECT_REFUSED(&d, 1,
                      "manifest: node /devices/disk: property 'compatible' "
                      "must be \"hv,block\", \"hv,console\" or \"hv,net\"");
    d = cn_dev_default();
    d.frontend = NULL;
    CN_EXPECT_REFUSED(&d, 1,
                      "manifest: node /devices/disk: property 'frontend' is "
                      "missing");
    d = cn_dev_default();
    d.backend = "nobody";
    CN_EXPECT_REFUSED(&d, 1,
                      "manifest: node /devices/disk: property 'backend' names "
                      "\"nobody\", which is no guest of /guests");
    d = cn_dev_default();
    d.backend = "front";
    CN_EXPECT_REFUSED(&d, 1,
                      "manifest: node /devices/disk: property 'backend' names "
                      "the frontend: a device connects two guests");
    d = cn_dev_default();
    d.device = NULL;
    CN_EXPECT_REFUSED(&d, 1,
                      "manifest: node /devices/disk: property "
                      "'backend-device' is missing");
    d = cn_dev_default();
    d.device = "0123456789012345678901234567890123";
    EXPECT_FALSE(cn_parse(&d, 1));
    EXPECT_CONTAINS(cn_err, "property 'backend-device' is 34 characters");
    d = cn_dev_default();
    d.read_only = 2;
    CN_EXPECT_REFUSED(&d, 1,
                      "manifest: node /devices/disk: property 'read-only' "
                      "takes no value");
    d = cn_dev_default();
    d.has_sector = true;
    d.sector = 768;
    CN_EXPECT_REFUSED(&d, 1,
                      "manifest: node /devices/disk: property 'sector-size' "
                      "must be 512, 1024, 2048 or 4096");
    d.sector = 8192;
    EXPECT_FALSE(cn_parse(&d, 1));
    d = cn_dev_default();
    d.extra = "readonly";
    CN_EXPECT_REFUSED(&d, 1,
                      "manifest: node /devices/disk: property 'readonly' is "
                      "not a device property (misspelt?)");
    d = cn_dev_default();
    CN_EXPECT_REFUSED(&d, HV_MAX_CONNS + 1,
                      "manifest: /devices: more than 16 devices "
                      "(HV_MAX_CONNS)");
}

/* --- The records ---------------------------------------------------------- */

static struct vm *front;
static struct vm *back;
static struct vm *other;
static struct vm_config back_cfg;
static const struct manifest_device cn_devs[] = {
    {"disk",
     HV_CONN_KIND_BLOCK,
     1,
     2,
     HV_CONN_READONLY,
     4096,
     "mmcblk0p2",
     {0}},
    {"swap", HV_CONN_KIND_BLOCK, 2, 3, 0, 512, "ram0", {0}}, /* back is front */
};

static struct hv_vcpu_shared *cn_shared(struct vm *vm)
{
    return unit_vm_mem(vm, UNIT_GUEST_BASE + SHARED_OFF);
}

static void cn_register(struct vm *vm)
{
    ASSERT_EQ(vcpu_register(vm, pa_add(vm->mem_pa, SHARED_OFF)), HV_OK);
}

/* Clears and returns @vm's pending events. */
static uint32_t cn_events(struct vm *vm)
{
    uint32_t e = cn_shared(vm)->events_pending;
    cn_shared(vm)->events_pending = 0;
    return e;
}

static struct hv_conn_info cn_info(const struct vm *vm, uint32_t index)
{
    struct hv_conn_info i;
    memset(&i, 0xa5, sizeof(i));
    EXPECT_EQ(conn_query(vm, index, &i), HV_OK);
    return i;
}

static int32_t cn_set(struct vm *vm, uint32_t id, uint32_t state)
{
    uint32_t peer = 0xdead;
    int32_t rc = conn_set_state(vm, id, state, &peer);
    if (rc == HV_OK) {
        EXPECT_EQ(peer, conn_at(id)
                            ->side[vm == front && id == 0  ? 1
                                   : vm == back && id == 0 ? 0
                                   : vm == back            ? 1
                                                           : 0]
                            .state);
    }
    return rc;
}

/* front (1), back (2, restarted by its policy at once), other (3);
 * @with_back false leaves back to be created later (a late backend). */
static void cn_setup(bool with_back)
{
    unit_vm_setup();
    fake_counter_set(1 * CN_MS);
    clock_set_source(&fake_timer);
    tick_timer = &fake_timer;
    irqchip = &fake_gic;
    irq_set_tick(CN_TICK_IRQ);
    irqchip->enable(CN_TICK_IRQ);
    conn_init(cn_devs, 2);
    front = unit_vm_create("front", MIB);
    back_cfg = unit_vm_config("back", MIB);
    back_cfg.policy = (struct vm_policy){
        .on_crash = VM_ACTION_RESTART,
        .on_shutdown = VM_ACTION_STOP,
        .on_limit = VM_ACTION_STOP,
    };
    cn_register(front);
    if (with_back) {
        back = vm_create(&back_cfg);
        ASSERT_TRUE(back != NULL);
        other = unit_vm_create("other", MIB);
        cn_register(back);
        cn_register(other);
    }
    sched_set_current(front);
    timer_start_slice(HV_WEIGHT_MAX);
    fake_output_clear();
}

/* The frontend grants its ring page to the backend and publishes it. */
static uint32_t cn_publish(void)
{
    int32_t ref = grant_access(front, pa_add(front->mem_pa, RING_OFF), 2, 0);
    ASSERT_TRUE(ref >= 0);
    EXPECT_EQ(conn_set_ring(front, 0, (uint32_t)ref), HV_OK);
    return (uint32_t)ref;
}

/* Both sides of "disk" CONNECTED. */
static uint32_t cn_connect(void)
{
    EXPECT_EQ(cn_set(front, 0, HV_CONN_INIT), HV_OK);
    uint32_t ref = cn_publish();
    EXPECT_EQ(cn_set(front, 0, HV_CONN_READY), HV_OK);
    EXPECT_EQ(cn_set(back, 0, HV_CONN_INIT), HV_OK);
    EXPECT_EQ(cn_set(back, 0, HV_CONN_READY), HV_OK);
    EXPECT_EQ(cn_set(back, 0, HV_CONN_CONNECTED), HV_OK);
    EXPECT_EQ(cn_set(front, 0, HV_CONN_CONNECTED), HV_OK);
    cn_events(front);
    cn_events(back);
    return ref;
}

TEST(conn, query_enumerates_each_guests_side)
{
    cn_setup(true);
    struct hv_conn_info i = cn_info(front, 0);
    EXPECT_EQ(i.id, 0u);
    EXPECT_EQ(i.kind, HV_CONN_KIND_BLOCK);
    EXPECT_EQ(i.role, HV_CONN_FRONTEND);
    EXPECT_EQ(i.peer_id, 2u);
    EXPECT_EQ(i.flags, HV_CONN_READONLY);
    EXPECT_EQ(i.sector_size, 4096u);
    EXPECT_EQ(i.state, HV_CONN_DOWN);
    EXPECT_EQ(i.peer_state, HV_CONN_DOWN);
    EXPECT_EQ(i.ring_ref, HV_CONN_NO_RING);
    EXPECT_EQ(i.port, 0u);
    EXPECT_EQ(i.peer_attaches, 0u);
    EXPECT_EQ(i.backend_info_len, 0u);
    EXPECT_EQ(i.backend_info[0], 0u);
    EXPECT_STREQ(i.device, ""); /* the backend's business */
    struct hv_conn_info o;
    EXPECT_EQ(conn_query(front, 1, &o), -HV_ERANGE);

    /* back is the backend of disk and the frontend of swap. */
    i = cn_info(back, 0);
    EXPECT_EQ(i.role, HV_CONN_BACKEND);
    EXPECT_EQ(i.peer_id, 1u);
    EXPECT_STREQ(i.device, "mmcblk0p2");
    i = cn_info(back, 1);
    EXPECT_EQ(i.id, 1u);
    EXPECT_EQ(i.role, HV_CONN_FRONTEND);
    EXPECT_EQ(i.peer_id, 3u);
    EXPECT_EQ(conn_query(back, 2, &o), -HV_ERANGE);
    i = cn_info(other, 0);
    EXPECT_EQ(i.id, 1u);
    EXPECT_STREQ(i.device, "ram0");
}

TEST(conn, only_a_side_may_use_a_connection)
{
    cn_setup(true);
    uint32_t peer;
    EXPECT_EQ(conn_set_state(other, 0, HV_CONN_INIT, &peer), -HV_ENOENT);
    EXPECT_EQ(conn_set_state(front, 2, HV_CONN_INIT, &peer), -HV_ENOENT);
    EXPECT_EQ(conn_set_ring(other, 0, 0), -HV_ENOENT);
    EXPECT_EQ(conn_set_ring(front, 1, 0), -HV_ENOENT);
    EXPECT_EQ(conn_set_ring(back, 0, 0), -HV_EPERM);
}

TEST(conn, state_machine)
{
    cn_setup(true);
    /* Only INIT from DOWN; unknown states are refused. */
    EXPECT_EQ(cn_set(front, 0, HV_CONN_READY), -HV_EINVAL);
    EXPECT_EQ(cn_set(front, 0, HV_CONN_CONNECTED), -HV_EINVAL);
    EXPECT_EQ(cn_set(front, 0, HV_CONN_CLOSING), -HV_EINVAL);
    EXPECT_EQ(cn_set(front, 0, 5), -HV_EINVAL);
    EXPECT_EQ(cn_set(front, 0, 0xffffffffu), -HV_EINVAL);
    EXPECT_EQ(cn_set(front, 0, HV_CONN_DOWN), HV_OK); /* no change */
    EXPECT_EQ(cn_set(front, 0, HV_CONN_INIT), HV_OK);
    EXPECT_EQ(cn_set(front, 0, HV_CONN_INIT), HV_OK); /* again: nothing */
    EXPECT_EQ(conn_at(0)->side[0].attaches, 1u);
    /* A frontend is READY only with its ring published. */
    EXPECT_EQ(cn_set(front, 0, HV_CONN_READY), -HV_EINVAL);
    EXPECT_EQ(cn_set(front, 0, HV_CONN_DOWN), -HV_EINVAL);
    cn_publish();
    EXPECT_EQ(cn_set(front, 0, HV_CONN_CONNECTED), -HV_EINVAL);
    EXPECT_EQ(cn_set(front, 0, HV_CONN_READY), HV_OK);
    /* The ring is fixed once READY. */
    EXPECT_EQ(conn_set_ring(front, 0, 0), -HV_EBUSY);
    /* CONNECTED waits for the peer. */
    EXPECT_EQ(cn_set(front, 0, HV_CONN_CONNECTED), -HV_EAGAIN);
    EXPECT_EQ(conn_at(0)->side[0].state, HV_CONN_READY);
    EXPECT_EQ(cn_set(back, 0, HV_CONN_INIT), HV_OK);
    EXPECT_EQ(cn_set(front, 0, HV_CONN_CONNECTED), -HV_EAGAIN);
    EXPECT_EQ(cn_set(back, 0, HV_CONN_READY), HV_OK); /* no ring needed */
    EXPECT_EQ(cn_set(front, 0, HV_CONN_CONNECTED), HV_OK);
    EXPECT_EQ(cn_set(back, 0, HV_CONN_CONNECTED), HV_OK);
    EXPECT_EQ(cn_set(front, 0, HV_CONN_INIT), -HV_EINVAL);
    EXPECT_EQ(cn_set(front, 0, HV_CONN_READY), -HV_EINVAL);
    EXPECT_EQ(cn_set(front, 0, HV_CONN_DOWN), -HV_EINVAL);
    /* CLOSING, then INIT again (keeping port and ring) or DOWN. */
    EXPECT_EQ(cn_set(back, 0, HV_CONN_CLOSING), HV_OK);
    EXPECT_EQ(cn_set(back, 0, HV_CONN_CONNECTED), -HV_EINVAL);
    EXPECT_EQ(cn_set(back, 0, HV_CONN_READY), -HV_EINVAL);
    uint32_t bport = conn_at(0)->side[1].port;
    EXPECT_EQ(cn_set(back, 0, HV_CONN_INIT), HV_OK);
    EXPECT_EQ(conn_at(0)->side[1].port, bport);
    EXPECT_EQ(conn_at(0)->side[1].attaches, 1u);
    EXPECT_EQ(cn_set(front, 0, HV_CONN_CLOSING), HV_OK);
    uint32_t fport = conn_at(0)->side[0].port;
    EXPECT_EQ(cn_set(front, 0, HV_CONN_DOWN), HV_OK);
    EXPECT_EQ(conn_at(0)->side[0].port, 0u);
    EXPECT_EQ(front->ports[fport].kind, EVTCHN_FREE);
    EXPECT_EQ(conn_at(0)->ring_ref, HV_CONN_NO_RING);
    /* The backend's port is open for the frontend again. */
    EXPECT_EQ(back->ports[bport].kind, EVTCHN_UNBOUND);
    EXPECT_EQ(back->ports[bport].remote_id, 1u);
}

TEST(conn, ring_must_be_a_live_writable_grant_to_the_backend)
{
    cn_setup(true);
    EXPECT_EQ(cn_set(front, 0, HV_CONN_INIT), HV_OK);
    EXPECT_EQ(conn_set_ring(front, 0, 0), -HV_EINVAL); /* none yet */
    int32_t to_other =
        grant_access(front, pa_add(front->mem_pa, RING_OFF), 3, 0);
    int32_t ro = grant_access(front, pa_add(front->mem_pa, RING_OFF), 2,
                              HV_GRANT_READONLY);
    ASSERT_TRUE(to_other >= 0 && ro >= 0);
    EXPECT_EQ(conn_set_ring(front, 0, (uint32_t)to_other), -HV_EINVAL);
    EXPECT_EQ(conn_set_ring(front, 0, (uint32_t)ro), -HV_EINVAL);
    EXPECT_EQ(conn_set_ring(front, 0, 999), -HV_EINVAL);
    EXPECT_EQ(conn_at(0)->ring_ref, HV_CONN_NO_RING);
    uint32_t ref = cn_publish();
    EXPECT_EQ(cn_info(back, 0).ring_ref, ref);
}

TEST(conn, backend_publishes_its_description)
{
    cn_setup(true);
    static const uint8_t blob[HV_CONN_INFO_MAX] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    EXPECT_EQ(conn_set_info(back, 0, blob, 8), -HV_EBUSY); /* DOWN */
    EXPECT_EQ(cn_set(back, 0, HV_CONN_INIT), HV_OK);
    EXPECT_EQ(conn_set_info(front, 0, blob, 8), -HV_EPERM);
    EXPECT_EQ(conn_set_info(other, 0, blob, 8), -HV_ENOENT);
    EXPECT_EQ(conn_set_info(back, 0, blob, HV_CONN_INFO_MAX), HV_OK);
    EXPECT_EQ(conn_set_info(back, 0, blob + 1, 3), HV_OK); /* replaces */
    struct hv_conn_info i = cn_info(front, 0);
    EXPECT_EQ(i.backend_info_len, 3u);
    EXPECT_EQ(i.backend_info[0], 2u);
    EXPECT_EQ(i.backend_info[2], 4u);
    EXPECT_EQ(i.backend_info[3], 0u); /* the rest cleared */
    EXPECT_EQ(cn_set(back, 0, HV_CONN_READY), HV_OK);
    EXPECT_EQ(conn_set_info(back, 0, blob, 8), -HV_EBUSY);
    /* It stays while the backend is down. */
    guest_stop(back, 2, false);
    EXPECT_EQ(cn_info(front, 0).backend_info_len, 3u);
    EXPECT_EQ(cn_info(front, 0).backend_info[1], 3u);
}

TEST(conn, attaching_binds_one_channel_and_changes_raise_the_peer)
{
    cn_setup(true);
    EXPECT_EQ(cn_set(front, 0, HV_CONN_INIT), HV_OK);
    uint32_t fp = cn_info(front, 0).port;
    ASSERT_TRUE(fp > 0);
    EXPECT_EQ(front->ports[fp].kind, EVTCHN_UNBOUND);
    EXPECT_EQ(front->ports[fp].remote_id, 2u);
    EXPECT_EQ(cn_events(back), 0u); /* the backend has no port yet */
    EXPECT_EQ(cn_set(back, 0, HV_CONN_INIT), HV_OK);
    uint32_t bp = cn_info(back, 0).port;
    ASSERT_TRUE(bp > 0);
    EXPECT_EQ(back->ports[bp].kind, EVTCHN_INTERDOMAIN);
    EXPECT_EQ(back->ports[bp].remote_port, fp);
    EXPECT_EQ(front->ports[fp].kind, EVTCHN_INTERDOMAIN);
    EXPECT_EQ(front->ports[fp].remote_port, bp);
    EXPECT_EQ(cn_events(front), 1u << fp);
    EXPECT_EQ(cn_info(front, 0).peer_attaches, 1u);

    /* Each change raises the peer, and only it. */
    cn_publish();
    EXPECT_EQ(cn_events(back), 0u); /* publishing is no state change */
    EXPECT_EQ(cn_set(front, 0, HV_CONN_READY), HV_OK);
    EXPECT_EQ(cn_events(back), 1u << bp);
    EXPECT_EQ(cn_events(front), 0u);
    EXPECT_EQ(cn_set(front, 0, HV_CONN_READY), HV_OK); /* no change */
    EXPECT_EQ(cn_events(back), 0u);
    EXPECT_EQ(cn_set(back, 0, HV_CONN_READY), HV_OK);
    EXPECT_EQ(cn_events(front), 1u << fp);
    EXPECT_EQ(cn_set(back, 0, HV_CONN_CONNECTED), HV_OK);
    EXPECT_EQ(cn_events(front), 1u << fp);
    EXPECT_EQ(cn_events(other), 0u);
    /* The channel carries the guests' own notifications too. */
    EXPECT_EQ(evtchn_send(front, fp), HV_OK);
    EXPECT_EQ(cn_events(back), 1u << bp);
}

TEST(conn, late_backend_finds_the_frontend_waiting)
{
    cn_setup(false); /* only the frontend exists */
    EXPECT_EQ(cn_set(front, 0, HV_CONN_INIT), HV_OK);
    uint32_t ref = cn_publish();
    EXPECT_EQ(cn_set(front, 0, HV_CONN_READY), HV_OK);
    EXPECT_EQ(cn_set(front, 0, HV_CONN_CONNECTED), -HV_EAGAIN);
    uint32_t fp = cn_info(front, 0).port;
    EXPECT_EQ(front->ports[fp].kind, EVTCHN_UNBOUND);

    back = vm_create(&back_cfg);
    ASSERT_TRUE(back != NULL);
    cn_register(back);
    struct hv_conn_info i = cn_info(back, 0);
    EXPECT_EQ(i.state, HV_CONN_DOWN);
    EXPECT_EQ(i.peer_state, HV_CONN_READY);
    EXPECT_EQ(i.ring_ref, ref);
    EXPECT_EQ(cn_set(back, 0, HV_CONN_INIT), HV_OK);
    EXPECT_EQ(front->ports[fp].kind, EVTCHN_INTERDOMAIN);
    EXPECT_EQ(cn_events(front), 1u << fp);
    EXPECT_EQ(cn_set(back, 0, HV_CONN_READY), HV_OK);
    EXPECT_EQ(cn_set(back, 0, HV_CONN_CONNECTED), HV_OK);
    EXPECT_EQ(cn_set(front, 0, HV_CONN_CONNECTED), HV_OK);
}

TEST(conn, backend_restart_keeps_the_record_and_the_ring)
{
    cn_setup(true);
    uint32_t ref = cn_connect();
    uint32_t fp = cn_info(front, 0).port;
    uint32_t bp = cn_info(back, 0).port;

    guest_stop(back, 2, false); /* a crash: restarted by its policy */
    EXPECT_EQ(back->state, VM_STOPPED);
    /* The frontend hears of it; its side, port and ring stay. */
    EXPECT_EQ(cn_events(front), 1u << fp);
    struct hv_conn_info i = cn_info(front, 0);
    EXPECT_EQ(i.state, HV_CONN_CONNECTED);
    EXPECT_EQ(i.peer_state, HV_CONN_DOWN);
    EXPECT_EQ(i.ring_ref, ref);
    EXPECT_EQ(i.port, fp);
    EXPECT_EQ(front->ports[fp].kind, EVTCHN_UNBOUND);
    EXPECT_EQ(conn_at(0)->side[1].port, 0u);
    /* Its other connection's peer heard too. */
    EXPECT_EQ(conn_at(1)->side[0].state, HV_CONN_DOWN);
    /* Sending while the backend is down fails harmlessly. */
    EXPECT_EQ(evtchn_send(front, fp), -HV_EINVAL);
    /* The grant outlives its grantee. */
    paddr_t frame;
    EXPECT_EQ(grant_find(2, 1, ref, true, &frame), HV_OK);

    fake_counter_set(10 * CN_MS);
    guest_restart_due();
    ASSERT_EQ(back->state, VM_RUNNABLE);
    cn_register(back);
    i = cn_info(back, 0);
    EXPECT_EQ(i.state, HV_CONN_DOWN);
    EXPECT_EQ(i.peer_state, HV_CONN_CONNECTED);
    EXPECT_EQ(i.ring_ref, ref);
    EXPECT_EQ(i.port, 0u);
    EXPECT_STREQ(i.device, "mmcblk0p2");
    /* It attaches again to the same channel end of the frontend. */
    EXPECT_EQ(cn_set(back, 0, HV_CONN_INIT), HV_OK);
    uint32_t bp2 = cn_info(back, 0).port;
    EXPECT_EQ(front->ports[fp].kind, EVTCHN_INTERDOMAIN);
    EXPECT_EQ(front->ports[fp].remote_port, bp2);
    (void)bp;
    EXPECT_EQ(cn_events(front), 1u << fp);
    EXPECT_EQ(cn_info(front, 0).peer_attaches, 2u);
    EXPECT_EQ(cn_set(back, 0, HV_CONN_READY), HV_OK);
    /* The frontend stayed CONNECTED: the backend may connect at once. */
    EXPECT_EQ(cn_set(back, 0, HV_CONN_CONNECTED), HV_OK);
    EXPECT_EQ(evtchn_send(front, fp), HV_OK);
    EXPECT_EQ(cn_events(back), 1u << bp2);
}

TEST(conn, frontend_stop_tells_the_backend_and_drops_the_ring)
{
    cn_setup(true);
    cn_connect();
    uint32_t bp = cn_info(back, 0).port;

    guest_stop(front, 0, false);
    EXPECT_EQ(cn_events(back), 1u << bp);
    struct hv_conn_info i = cn_info(back, 0);
    EXPECT_EQ(i.state, HV_CONN_CONNECTED);
    EXPECT_EQ(i.peer_state, HV_CONN_DOWN);
    EXPECT_EQ(i.ring_ref, HV_CONN_NO_RING);
    EXPECT_EQ(i.port, bp);
    EXPECT_EQ(back->ports[bp].kind, EVTCHN_UNBOUND);
    /* The backend lets go and waits for the frontend's next life. */
    EXPECT_EQ(cn_set(back, 0, HV_CONN_CLOSING), HV_OK);
    EXPECT_EQ(cn_set(back, 0, HV_CONN_INIT), HV_OK);
    EXPECT_EQ(cn_set(back, 0, HV_CONN_READY), HV_OK);
    EXPECT_EQ(cn_set(back, 0, HV_CONN_CONNECTED), -HV_EAGAIN);
}

TEST(conn, stop_of_a_side_never_attached_raises_nothing)
{
    cn_setup(true);
    EXPECT_EQ(cn_set(front, 0, HV_CONN_INIT), HV_OK);
    cn_events(front);
    guest_stop(back, 0, false); /* shut down: stays stopped */
    EXPECT_EQ(cn_events(front), 0u);
    EXPECT_EQ(cn_info(front, 0).peer_state, HV_CONN_DOWN);
}

TEST(conn, selfcheck_checks_the_records)
{
    cn_setup(true);
    cn_connect();
    struct selfcheck_result r;
    EXPECT_TRUE(selfcheck_run(&r));
    guest_stop(back, 2, false);
    EXPECT_TRUE(selfcheck_run(&r));
    /* Records as only a monitor bug could leave them. */
    struct conn *c = (struct conn *)conn_at(0); /* the test's licence */
    c->side[1].state = HV_CONN_READY; /* attached, its guest stopped */
    c->side[1].port = 3;
    EXPECT_FALSE(selfcheck_run(&r));
    EXPECT_STREQ(r.what, "connection 0: side of guest 2 in state 2 with "
                         "port 3");
    c->side[1].state = HV_CONN_DOWN;
    c->side[1].port = 0;
    EXPECT_TRUE(selfcheck_run(&r));
    c->side[0].state = 7;
    EXPECT_FALSE(selfcheck_run(&r));
    c->side[0].state = HV_CONN_DOWN; /* port still set */
    EXPECT_FALSE(selfcheck_run(&r));
    c->side[0].port = 0;
    EXPECT_FALSE(selfcheck_run(&r));
    EXPECT_STREQ(r.what, "connection 0: a ring without its frontend");
}

/* --- Through the hypercalls ----------------------------------------------- */

static int32_t cn_call(struct vm *vm, uint32_t op, uint32_t a0, uint32_t a1)
{
    sched_set_current(vm);
    vm->regs.r[12] = op;
    vm->regs.r[0] = a0;
    vm->regs.r[1] = a1;
    (void)fake_exception_return(hypercall_handle(vm));
    return (int32_t)vm->regs.r[0];
}

/* A console from the manifest to both sides' queries: kind 2, no
 * sector size or flags, the UART's name for the backend only. */
TEST(conn, console_queried_from_both_sides)
{
    cn_setup(true);
    struct cn_dev d = cn_dev_default();
    d.node = "con";
    d.compatible = "hv,console";
    d.device = "uart1";
    ASSERT_TRUE(cn_parse(&d, 1));
    conn_init(cn_manifest.devices, cn_manifest.device_count);

    struct hv_conn_info i = cn_info(front, 0);
    EXPECT_EQ(i.id, 0u);
    EXPECT_EQ(i.kind, HV_CONN_KIND_CONSOLE);
    EXPECT_EQ(i.role, HV_CONN_FRONTEND);
    EXPECT_EQ(i.peer_id, 2u);
    EXPECT_EQ(i.flags, 0u);
    EXPECT_EQ(i.sector_size, 0u);
    EXPECT_EQ(i.ring_ref, HV_CONN_NO_RING);
    EXPECT_STREQ(i.device, "");
    for (unsigned int b = 0; b < HV_CONN_DEVICE_MAX; b++) {
        EXPECT_EQ(i.device[b], 0); /* nothing of the name leaks */
    }
    i = cn_info(back, 0);
    EXPECT_EQ(i.kind, HV_CONN_KIND_CONSOLE);
    EXPECT_EQ(i.role, HV_CONN_BACKEND);
    EXPECT_EQ(i.peer_id, 1u);
    EXPECT_EQ(i.flags, 0u);
    EXPECT_EQ(i.sector_size, 0u);
    EXPECT_STREQ(i.device, "uart1");
    struct hv_conn_info o;
    EXPECT_EQ(conn_query(other, 0, &o), -HV_ERANGE);
    EXPECT_EQ(conn_query(front, 1, &o), -HV_ERANGE);

    /* It connects as a block device does; publishing no description is
     * fine (the protocol has none). */
    uint32_t ref = cn_connect();
    i = cn_info(back, 0);
    EXPECT_EQ(i.state, HV_CONN_CONNECTED);
    EXPECT_EQ(i.peer_state, HV_CONN_CONNECTED);
    EXPECT_EQ(i.ring_ref, ref);
    EXPECT_EQ(i.backend_info_len, 0u);
    EXPECT_EQ(cn_info(front, 0).backend_info_len, 0u);

    /* What a guest sees through HV_OP_CONN_QUERY. */
    uint32_t gva = UNIT_GUEST_BASE + INFO_OFF;
    EXPECT_EQ(cn_call(front, HV_OP_CONN_QUERY, 0, gva), HV_OK);
    const struct hv_conn_info *g = unit_vm_mem(front, gva);
    EXPECT_EQ(g->kind, 2u);
    EXPECT_EQ(g->role, HV_CONN_FRONTEND);
    EXPECT_EQ(g->sector_size, 0u);
    EXPECT_STREQ(g->device, "");
    EXPECT_EQ(cn_call(back, HV_OP_CONN_QUERY, 0, gva), HV_OK);
    g = unit_vm_mem(back, gva);
    EXPECT_EQ(g->kind, 2u);
    EXPECT_EQ(g->role, HV_CONN_BACKEND);
    EXPECT_EQ(g->sector_size, 0u);
    EXPECT_STREQ(g->device, "uart1");
}

/* A network interface from the manifest to both sides' queries: kind 3,
 * no sector size or flags; the frontend reads its MAC address as text,
 * the backend the network's name. */
TEST(conn, net_queried_from_both_sides)
{
    static const uint8_t mac[6] = {0x02, 0x1f, 0x00, 0xab, 0xcd, 0xe0};
    cn_setup(true);
    struct cn_dev d = cn_dev_default();
    d.node = "net";
    d.compatible = "hv,net";
    d.device = "br0";
    d.mac = mac;
    ASSERT_TRUE(cn_parse(&d, 2)); /* net0 ends in e0, net1 in e1 */
    conn_init(cn_manifest.devices, cn_manifest.device_count);

    struct hv_conn_info i = cn_info(front, 0);
    EXPECT_EQ(i.id, 0u);
    EXPECT_EQ(i.kind, HV_CONN_KIND_NET);
    EXPECT_EQ(i.kind, 3u);
    EXPECT_EQ(i.role, HV_CONN_FRONTEND);
    EXPECT_EQ(i.peer_id, 2u);
    EXPECT_EQ(i.flags, 0u);
    EXPECT_EQ(i.sector_size, 0u);
    EXPECT_EQ(i.ring_ref, HV_CONN_NO_RING);
    EXPECT_STREQ(i.device, "02:1f:00:ab:cd:e0");
    EXPECT_EQ(strlen(i.device), 17u);
    for (unsigned int b = 17; b < HV_CONN_DEVICE_MAX; b++) {
        EXPECT_EQ(i.device[b], 0); /* NUL-terminated, nothing after */
    }
    EXPECT_EQ(i.backend_info_len, 0u);
    EXPECT_STREQ(cn_info(front, 1).device, "02:1f:00:ab:cd:e1");
    i = cn_info(back, 0);
    EXPECT_EQ(i.kind, HV_CONN_KIND_NET);
    EXPECT_EQ(i.role, HV_CONN_BACKEND);
    EXPECT_EQ(i.peer_id, 1u);
    EXPECT_EQ(i.flags, 0u);
    EXPECT_EQ(i.sector_size, 0u);
    EXPECT_STREQ(i.device, "br0"); /* the network, not the address */
    for (unsigned int b = 3; b < HV_CONN_DEVICE_MAX; b++) {
        EXPECT_EQ(i.device[b], 0);
    }
    EXPECT_STREQ(cn_info(back, 1).device, "br0");
    struct hv_conn_info o;
    EXPECT_EQ(conn_query(other, 0, &o), -HV_ERANGE);
    EXPECT_EQ(conn_query(front, 2, &o), -HV_ERANGE);

    /* It connects as the other kinds do; no description is needed. */
    uint32_t ref = cn_connect();
    i = cn_info(back, 0);
    EXPECT_EQ(i.state, HV_CONN_CONNECTED);
    EXPECT_EQ(i.peer_state, HV_CONN_CONNECTED);
    EXPECT_EQ(i.ring_ref, ref);
    EXPECT_STREQ(cn_info(front, 0).device, "02:1f:00:ab:cd:e0");

    /* What a guest sees through HV_OP_CONN_QUERY. */
    uint32_t gva = UNIT_GUEST_BASE + INFO_OFF;
    EXPECT_EQ(cn_call(front, HV_OP_CONN_QUERY, 0, gva), HV_OK);
    const struct hv_conn_info *g = unit_vm_mem(front, gva);
    EXPECT_EQ(g->kind, 3u);
    EXPECT_EQ(g->role, HV_CONN_FRONTEND);
    EXPECT_EQ(g->flags, 0u);
    EXPECT_EQ(g->sector_size, 0u);
    EXPECT_STREQ(g->device, "02:1f:00:ab:cd:e0");
    EXPECT_EQ(cn_call(back, HV_OP_CONN_QUERY, 1, gva), HV_OK);
    g = unit_vm_mem(back, gva);
    EXPECT_EQ(g->id, 1u);
    EXPECT_EQ(g->kind, 3u);
    EXPECT_EQ(g->role, HV_CONN_BACKEND);
    EXPECT_STREQ(g->device, "br0");
}

TEST(conn, hypercalls)
{
    cn_setup(true);
    uint32_t gva = UNIT_GUEST_BASE + INFO_OFF;
    EXPECT_EQ(cn_call(back, HV_OP_CONN_QUERY, 0, gva), HV_OK);
    const struct hv_conn_info *i = unit_vm_mem(back, gva);
    EXPECT_EQ(i->role, HV_CONN_BACKEND);
    EXPECT_STREQ(i->device, "mmcblk0p2");
    EXPECT_EQ(cn_call(back, HV_OP_CONN_QUERY, 2, gva), -HV_ERANGE);
    EXPECT_EQ(cn_call(back, HV_OP_CONN_QUERY, 0, gva + 2), -HV_EINVAL);
    EXPECT_EQ(cn_call(back, HV_OP_CONN_QUERY, 0, 0x1000), -HV_EFAULT);

    EXPECT_EQ(cn_call(front, HV_OP_CONN_SET_STATE, 0, HV_CONN_INIT), HV_OK);
    EXPECT_EQ(front->regs.r[1], HV_CONN_DOWN); /* the peer's state */
    int32_t ref = grant_access(front, pa_add(front->mem_pa, RING_OFF), 2, 0);
    ASSERT_TRUE(ref >= 0);
    EXPECT_EQ(cn_call(front, HV_OP_CONN_SET_RING, 0, (uint32_t)ref), HV_OK);
    EXPECT_EQ(cn_call(front, HV_OP_CONN_SET_STATE, 0, HV_CONN_READY), HV_OK);
    EXPECT_EQ(cn_call(back, HV_OP_CONN_SET_STATE, 0, HV_CONN_INIT), HV_OK);
    EXPECT_EQ(back->regs.r[1], HV_CONN_READY);
    EXPECT_EQ(cn_call(back, HV_OP_CONN_SET_STATE, 0, HV_CONN_CONNECTED),
              -HV_EINVAL);
    EXPECT_EQ(cn_call(back, HV_OP_CONN_SET_RING, 0, (uint32_t)ref), -HV_EPERM);
    EXPECT_EQ(cn_call(other, HV_OP_CONN_SET_STATE, 0, HV_CONN_INIT),
              -HV_ENOENT);

    /* The backend's description: length, then the bytes, then rules. */
    uint32_t *blob = unit_vm_mem(back, gva + 0x100);
    blob[0] = 0x12345678u;
    back->regs.r[2] = HV_CONN_INFO_MAX + 1;
    EXPECT_EQ(cn_call(back, HV_OP_CONN_SET_INFO, 0, gva + 0x100), -HV_E2BIG);
    back->regs.r[2] = 4;
    EXPECT_EQ(cn_call(back, HV_OP_CONN_SET_INFO, 0, 0x1000), -HV_EFAULT);
    back->regs.r[2] = 4;
    EXPECT_EQ(cn_call(back, HV_OP_CONN_SET_INFO, 0, gva + 0x100), HV_OK);
    front->regs.r[2] = 4;
    EXPECT_EQ(cn_call(front, HV_OP_CONN_SET_INFO, 0, gva + 0x100), -HV_EPERM);
    EXPECT_EQ(cn_info(front, 0).backend_info_len, 4u);
    EXPECT_EQ(cn_info(front, 0).backend_info[0], 0x78u);

    EXPECT_EQ(cn_call(front, HV_OP_FEATURES, 0, 0), HV_OK);
    EXPECT_TRUE(front->regs.r[1] & (1u << HV_FEAT_CONN));
}
