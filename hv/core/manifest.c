/* SPDX-License-Identifier: MIT */
/*
 * The guest manifest, a device tree of its own (docs/manifest.md):
 *
 *   / { compatible = "hv,manifest";
 *       guests { <name> { compatible = "hv,guest"; image = "<entry>";
 *                         memory-size = <bytes>; ... }; };
 *       devices { <name> { compatible = "hv,block"; frontend = "<guest>";
 *                          backend = "<guest>"; backend-device = "...";
 *                          ... };
 *                 <name> { compatible = "hv,console"; frontend = "<guest>";
 *                          backend = "<guest>"; backend-device = "<uart>";
 *                        };
 *                 <name> { compatible = "hv,net"; frontend = "<guest>";
 *                          backend = "<guest>"; backend-device = "<bridge>";
 *                          mac-address = [xx xx xx xx xx xx]; }; }; };
 *
 * Checking is strict: an unknown property is refused, because a typo that
 * silently falls back to a default is worse than an error.
 */
#include "hv/manifest.h"

#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include "hv/assign.h"
#include "hv/fdt_util.h"
#include "hv/pt.h"

#define WHAT "manifest"

static const char *const manifest_known_props[] = {
    "compatible",
    "image",
    "memory-size",
    "base-address",
    "entry-offset",
    "bootargs",
    "halt-on-shutdown",
    "console-input",
    "interrupts",
    "device-regions",
    "weight",
    "max-grants",
    "physical-address",
    "image-offset",
    "device-tree",
    "dma-capable-regions",
    "on-crash",
    "on-shutdown",
    "on-restart-limit",
    "restart-limit",
    "restart-window-ms",
    "restart-delay-ms",
    "restart-delay-max-ms",
    "may-kill",
    NULL,
};

_Static_assert(HV_GRANT_ENTRIES == 512u, "max-grants' message names 512");

static bool manifest_fail(const void *fdt, int node, const char *prop,
                          const char *problem, char *err, size_t err_size)
{
    return fdt_util_fail(fdt, node, prop, problem, WHAT, err, err_size);
}

static bool manifest_known(const char *prop)
{
    for (const char *const *k = manifest_known_props; *k; k++) {
        if (strcmp(*k, prop) == 0) {
            return true;
        }
    }
    return false;
}

static bool manifest_u32(const void *fdt, int node, const char *prop,
                         bool required, uint32_t *value, char *err,
                         size_t err_size)
{
    int rc = fdt_util_u32(fdt, node, prop, value, WHAT, err, err_size);
    if (rc == FDT_UTIL_MISSING && required) {
        return manifest_fail(fdt, node, prop, "is missing", err, err_size);
    }
    return rc != FDT_UTIL_BAD;
}

/*
 * "device-tree": a package entry the guest gets in its memory, below its
 * initial tables and the stack gap, 4 KiB aligned.
 */
static bool manifest_device_tree(const void *fdt, int node,
                                 const struct pkg *pkg, struct vm_config *cfg,
                                 char *err, size_t err_size)
{
    const char *s;

    if (!fdt_util_string(fdt, node, "device-tree", &s, HVPKG_NAME_MAX - 1, WHAT,
                         err, err_size)) {
        return false;
    }
    if (!s) {
        return true;
    }
    const struct hvpkg_entry *e = pkg_find(pkg, HVPKG_TYPE_IMAGE, s);
    if (!e) {
        char problem[80];
        snprintf(problem, sizeof(problem),
                 "names \"%s\", which the boot package does not hold", s);
        return manifest_fail(fdt, node, "device-tree", problem, err, err_size);
    }
    uint32_t top = pt_initial_tables_offset(cfg->mem_size);
    if (e->size == 0 || top < HV_DTB_STACK_GAP ||
        e->size > top - HV_DTB_STACK_GAP) {
        return manifest_fail(fdt, node, "device-tree",
                             "does not fit below the initial page tables", err,
                             err_size);
    }
    cfg->dtb = pkg_payload(pkg, e);
    cfg->dtb_size = e->size;
    cfg->dtb_offset = (top - HV_DTB_STACK_GAP - e->size) & ~0xfffu;
    return true;
}

/* Restart delays are at most an hour: longer is a typo or a stopped guest. */
#define MANIFEST_DELAY_MAX_MS 3600000u
#define MANIFEST_DELAY_DEFAULT_MS 100u
#define MANIFEST_DELAY_CAP_DEFAULT_MS 10000u
#define MANIFEST_LIMIT_DEFAULT 5u

/*
 * An action property ("on-crash" and the like): absent leaves *action
 * alone; "restart" only where @restart_ok.
 */
static bool manifest_action(const void *fdt, int node, const char *prop,
                            bool restart_ok, uint8_t *action, char *err,
                            size_t err_size)
{
    const char *s;

    if (!fdt_util_string(fdt, node, prop, &s, 15, WHAT, err, err_size)) {
        return false;
    }
    if (!s) {
        return true;
    }
    if (strcmp(s, "stop") == 0) {
        *action = VM_ACTION_STOP;
    } else if (strcmp(s, "halt-system") == 0) {
        *action = VM_ACTION_HALT;
    } else if (restart_ok && strcmp(s, "restart") == 0) {
        *action = VM_ACTION_RESTART;
    } else {
        return manifest_fail(fdt, node, prop,
                             restart_ok ? "must be \"stop\", \"restart\" or "
                                          "\"halt-system\""
                                        : "must be \"stop\" or \"halt-system\"",
                             err, err_size);
    }
    return true;
}

/*
 * The lifecycle policy: what a crash and a shutdown do, and the restart
 * limit and backoff. halt-on-shutdown (read before) is on-shutdown =
 * "halt-system" and, unless on-crash says otherwise, on-crash too.
 */
static bool manifest_policy(const void *fdt, int node, struct vm_config *cfg,
                            char *err, size_t err_size)
{
    static const char *const restart_props[] = {
        "on-restart-limit", "restart-limit",        "restart-window-ms",
        "restart-delay-ms", "restart-delay-max-ms",
    };
    struct vm_policy *p = &cfg->policy;
    uint8_t halt = cfg->halt_on_shutdown ? VM_ACTION_HALT : VM_ACTION_STOP;

    p->on_crash = halt;
    p->on_shutdown = halt;
    p->on_limit = halt;
    p->limit = MANIFEST_LIMIT_DEFAULT;
    p->delay_ms = MANIFEST_DELAY_DEFAULT_MS;
    if (cfg->halt_on_shutdown && fdt_getprop(fdt, node, "on-shutdown", NULL)) {
        return manifest_fail(fdt, node, "on-shutdown",
                             "cannot be given with 'halt-on-shutdown' (which "
                             "is on-shutdown = \"halt-system\")",
                             err, err_size);
    }
    if (!manifest_action(fdt, node, "on-shutdown", true, &p->on_shutdown, err,
                         err_size) ||
        !manifest_action(fdt, node, "on-crash", true, &p->on_crash, err,
                         err_size)) {
        return false;
    }
    if (p->on_crash != VM_ACTION_RESTART &&
        p->on_shutdown != VM_ACTION_RESTART) {
        for (unsigned int i = 0; i < ARRAY_SIZE(restart_props); i++) {
            if (fdt_getprop(fdt, node, restart_props[i], NULL)) {
                return manifest_fail(fdt, node, restart_props[i],
                                     "has no effect: neither 'on-crash' nor "
                                     "'on-shutdown' is \"restart\"",
                                     err, err_size);
            }
        }
        return true;
    }
    if (!manifest_action(fdt, node, "on-restart-limit", false, &p->on_limit,
                         err, err_size) ||
        !manifest_u32(fdt, node, "restart-limit", false, &p->limit, err,
                      err_size) ||
        !manifest_u32(fdt, node, "restart-window-ms", false, &p->window_ms, err,
                      err_size) ||
        !manifest_u32(fdt, node, "restart-delay-ms", false, &p->delay_ms, err,
                      err_size)) {
        return false;
    }
    if (p->delay_ms > MANIFEST_DELAY_MAX_MS) {
        return manifest_fail(fdt, node, "restart-delay-ms",
                             "must be at most 3600000 (1 hour)", err, err_size);
    }
    p->delay_max_ms = p->delay_ms > MANIFEST_DELAY_CAP_DEFAULT_MS
                          ? p->delay_ms
                          : MANIFEST_DELAY_CAP_DEFAULT_MS;
    if (!manifest_u32(fdt, node, "restart-delay-max-ms", false,
                      &p->delay_max_ms, err, err_size)) {
        return false;
    }
    if (p->delay_max_ms < p->delay_ms ||
        p->delay_max_ms > MANIFEST_DELAY_MAX_MS) {
        return manifest_fail(fdt, node, "restart-delay-max-ms",
                             "must be from 'restart-delay-ms' to 3600000 (1 "
                             "hour)",
                             err, err_size);
    }
    return true;
}

/* The id a guest of node @guests named @name will have (node order), or 0. */
static uint32_t manifest_guest_id(const void *fdt, int guests, const char *name)
{
    int node;
    uint32_t id = 0;

    fdt_for_each_subnode (node, fdt, guests) {
        id++;
        if (strcmp(fdt_get_name(fdt, node, NULL), name) == 0) {
            return id;
        }
    }
    return 0;
}

/*
 * "may-kill": the guests this one may end with HV_OP_VM_KILL, by name, as
 * a bit per id. Absent: none.
 */
static bool manifest_may_kill(const void *fdt, int guests, int node,
                              struct vm_config *cfg, char *err, size_t err_size)
{
    static const char prop[] = "may-kill";
    int len;
    const char *list = fdt_getprop(fdt, node, prop, &len);
    char problem[96];

    if (!list) {
        return true;
    }
    if (len <= 0 || list[len - 1] != '\0') {
        return manifest_fail(fdt, node, prop, "must be a list of guest names",
                             err, err_size);
    }
    for (int off = 0; off < len; off += (int)strlen(list + off) + 1) {
        const char *name = list + off;
        uint32_t id = name[0] ? manifest_guest_id(fdt, guests, name) : 0;
        if (id == 0) {
            snprintf(problem, sizeof(problem),
                     "names \"%.31s\", which is not a guest of /guests", name);
            return manifest_fail(fdt, node, prop, problem, err, err_size);
        }
        if (strcmp(name, cfg->name) == 0) {
            return manifest_fail(fdt, node, prop,
                                 "names the guest itself (a guest ends "
                                 "itself with HV_OP_SHUTDOWN)",
                                 err, err_size);
        }
        if (id > HV_MAX_VMS) {
            continue; /* the manifest is refused for its guest count */
        }
        if (cfg->may_kill & (1u << (id - 1))) {
            snprintf(problem, sizeof(problem), "names \"%s\" twice", name);
            return manifest_fail(fdt, node, prop, problem, err, err_size);
        }
        cfg->may_kill |= 1u << (id - 1);
    }
    return true;
}

static bool manifest_guest(const void *fdt, int guests, int node,
                           const struct pkg *pkg, struct vm_config *cfg,
                           char *err, size_t err_size)
{
    int prop;
    const char *name = fdt_get_name(fdt, node, NULL);
    const char *s;

    memset(cfg, 0, sizeof(*cfg));
    if (name[0] == '\0' || strlen(name) >= HV_VM_NAME_MAX ||
        strchr(name, '@')) {
        return manifest_fail(fdt, node, NULL,
                             "guest name must be 1 to 15 "
                             "characters without '@'",
                             err, err_size);
    }
    strcpy(cfg->name, name);

    fdt_for_each_property_offset (prop, fdt, node) {
        const char *pname;
        fdt_getprop_by_offset(fdt, prop, &pname, NULL);
        if (!manifest_known(pname)) {
            return manifest_fail(fdt, node, pname,
                                 "is not a manifest "
                                 "property (misspelt?)",
                                 err, err_size);
        }
    }

    if (fdt_node_check_compatible(fdt, node, "hv,guest") != 0) {
        return manifest_fail(fdt, node, "compatible", "must be \"hv,guest\"",
                             err, err_size);
    }

    if (!fdt_util_string(fdt, node, "image", &s, HVPKG_NAME_MAX - 1, WHAT, err,
                         err_size)) {
        return false;
    }
    if (!s) {
        return manifest_fail(fdt, node, "image", "is missing", err, err_size);
    }
    const struct hvpkg_entry *image = pkg_find(pkg, HVPKG_TYPE_IMAGE, s);
    if (!image) {
        char problem[80];
        snprintf(problem, sizeof(problem),
                 "names \"%s\", which the boot "
                 "package does not hold",
                 s);
        return manifest_fail(fdt, node, "image", problem, err, err_size);
    }
    cfg->image = pkg_payload(pkg, image);
    cfg->image_size = image->size;

    if (!manifest_u32(fdt, node, "memory-size", true, &cfg->mem_size, err,
                      err_size)) {
        return false;
    }
    if (cfg->mem_size == 0 || !IS_ALIGNED(cfg->mem_size, HV_MEM_GRANULE)) {
        return manifest_fail(fdt, node, "memory-size",
                             "must be a non-zero "
                             "multiple of 1 MiB (0x100000)",
                             err, err_size);
    }
    if (!manifest_u32(fdt, node, "image-offset", false, &cfg->image_offset, err,
                      err_size)) {
        return false;
    }
    if (!IS_ALIGNED(cfg->image_offset, 4096u) ||
        cfg->image_offset >= cfg->mem_size) {
        return manifest_fail(fdt, node, "image-offset",
                             "must be 4 KiB-aligned and inside the memory", err,
                             err_size);
    }
    if (!manifest_device_tree(fdt, node, pkg, cfg, err, err_size)) {
        return false;
    }
    /* The image, the device tree, the initial page tables and the
     * start-info page. */
    if ((uint64_t)cfg->image_offset + cfg->image_size >
        (cfg->dtb ? cfg->dtb_offset
                  : pt_initial_tables_offset(cfg->mem_size))) {
        return manifest_fail(fdt, node, "memory-size",
                             "leaves no room for the image, the initial "
                             "page tables and the start-info page",
                             err, err_size);
    }

    cfg->base_gva = HV_DEFAULT_GUEST_BASE;
    if (!manifest_u32(fdt, node, "base-address", false, &cfg->base_gva, err,
                      err_size)) {
        return false;
    }
    if (!IS_ALIGNED(cfg->base_gva, HV_MEM_GRANULE) ||
        (uint64_t)cfg->base_gva + cfg->mem_size > 0x100000000ull) {
        return manifest_fail(fdt, node, "base-address",
                             "must be 1 MiB-"
                             "aligned with the memory below 4 GiB",
                             err, err_size);
    }

    cfg->entry_offset = cfg->image_offset;
    if (!manifest_u32(fdt, node, "entry-offset", false, &cfg->entry_offset, err,
                      err_size)) {
        return false;
    }
    if (cfg->entry_offset < cfg->image_offset ||
        cfg->entry_offset - cfg->image_offset >= cfg->image_size ||
        !IS_ALIGNED(cfg->entry_offset, 2u)) {
        return manifest_fail(fdt, node, "entry-offset",
                             "must be an even "
                             "offset inside the image",
                             err, err_size);
    }

    if (!fdt_util_string(fdt, node, "bootargs", &s, HV_CMDLINE_MAX - 1, WHAT,
                         err, err_size)) {
        return false;
    }
    if (s) {
        strcpy(cfg->cmdline, s);
    }

    int len;
    if (fdt_getprop(fdt, node, "halt-on-shutdown", &len)) {
        if (len != 0) {
            return manifest_fail(fdt, node, "halt-on-shutdown",
                                 "takes no "
                                 "value",
                                 err, err_size);
        }
        cfg->halt_on_shutdown = true;
    }
    if (fdt_getprop(fdt, node, "console-input", &len)) {
        if (len != 0) {
            return manifest_fail(fdt, node, "console-input", "takes no value",
                                 err, err_size);
        }
        cfg->console_input = true;
    }
    if (!manifest_u32(fdt, node, "physical-address", false, &cfg->phys_addr,
                      err, err_size)) {
        return false;
    }
    if (fdt_getprop(fdt, node, "physical-address", NULL) &&
        (cfg->phys_addr == 0 || !IS_ALIGNED(cfg->phys_addr, HV_MEM_GRANULE) ||
         (uint64_t)cfg->phys_addr + cfg->mem_size > 0x100000000ull)) {
        return manifest_fail(fdt, node, "physical-address",
                             "must be a non-zero, 1 MiB-aligned address with "
                             "the memory below 4 GiB",
                             err, err_size);
    }
    cfg->weight = HV_WEIGHT_DEFAULT;
    if (!manifest_u32(fdt, node, "weight", false, &cfg->weight, err,
                      err_size)) {
        return false;
    }
    if (cfg->weight < 1 || cfg->weight > HV_WEIGHT_MAX) {
        return manifest_fail(fdt, node, "weight",
                             "must be 1 to 100 (time slice in ms)", err,
                             err_size);
    }
    cfg->max_grants = HV_GRANT_ENTRIES;
    if (!manifest_u32(fdt, node, "max-grants", false, &cfg->max_grants, err,
                      err_size)) {
        return false;
    }
    if (cfg->max_grants < 1 || cfg->max_grants > HV_GRANT_ENTRIES) {
        return manifest_fail(fdt, node, "max-grants",
                             "must be 1 to 512 (HV_GRANT_ENTRIES, the "
                             "monitor's grant table)",
                             err, err_size);
    }
    if (!manifest_policy(fdt, node, cfg, err, err_size) ||
        !manifest_may_kill(fdt, guests, node, cfg, err, err_size)) {
        return false;
    }
    return assign_parse(fdt, node, &cfg->hw, err, err_size);
}

static const char *const manifest_device_props[] = {
    "compatible", "frontend",    "backend",     "backend-device",
    "read-only",  "sector-size", "mac-address", NULL,
};

/* A Linux interface name's longest (IFNAMSIZ 16, NUL included). */
#define MANIFEST_IFNAME_MAX 15

_Static_assert(HV_MANIFEST_MAC_TEXT <= HV_CONN_DEVICE_MAX,
               "a MAC address's text fits hv_conn_info.device");

void manifest_mac_text(const uint8_t *mac, char *text)
{
    static const char hex[] = "0123456789abcdef";

    for (unsigned int i = 0; i < HV_MANIFEST_MAC_LEN; i++) {
        text[3 * i] = hex[mac[i] >> 4];
        text[3 * i + 1] = hex[mac[i] & 0xf];
        text[3 * i + 2] = i + 1 < HV_MANIFEST_MAC_LEN ? ':' : '\0';
    }
}

/* The id of the guest named by string property @prop of @node. */
static bool manifest_device_guest(const void *fdt, int node, const char *prop,
                                  const struct manifest *m, uint32_t *id,
                                  char *err, size_t err_size)
{
    const char *s;

    if (!fdt_util_string(fdt, node, prop, &s, HV_VM_NAME_MAX - 1, WHAT, err,
                         err_size)) {
        return false;
    }
    if (!s) {
        return manifest_fail(fdt, node, prop, "is missing", err, err_size);
    }
    for (unsigned int i = 0; i < m->count; i++) {
        if (strcmp(m->guests[i].name, s) == 0) {
            *id = i + 1; /* guests get ids in manifest order */
            return true;
        }
    }
    char problem[80];
    snprintf(problem, sizeof(problem),
             "names \"%s\", which is no guest of "
             "/guests",
             s);
    return manifest_fail(fdt, node, prop, problem, err, err_size);
}

/*
 * Another kind's property on @node is refused rather than ignored: the
 * integrator meant something this kind will not do. @props are the
 * other kind's (@other names it), @takes what this kind takes.
 */
static bool manifest_foreign(const void *fdt, int node,
                             const char *const *props, unsigned int count,
                             const char *other, const char *takes, char *err,
                             size_t err_size)
{
    for (unsigned int i = 0; i < count; i++) {
        if (fdt_getprop(fdt, node, props[i], NULL)) {
            char problem[160];
            snprintf(problem, sizeof(problem), "is a %s property: %s", other,
                     takes);
            return manifest_fail(fdt, node, props[i], problem, err, err_size);
        }
    }
    return true;
}

static const char *const manifest_block_only[] = {"read-only", "sector-size"};
static const char *const manifest_net_only[] = {"mac-address"};

/*
 * The rest of a console (hv,console): it has no options, so its flags
 * and sector_size stay 0 (<hvabi/conn.h>).
 */
static bool manifest_console(const void *fdt, int node, char *err,
                             size_t err_size)
{
    static const char takes[] = "a console (hv,console) takes only "
                                "'frontend', 'backend' and 'backend-device'";

    return manifest_foreign(fdt, node, manifest_block_only,
                            ARRAY_SIZE(manifest_block_only), "block device",
                            takes, err, err_size) &&
           manifest_foreign(fdt, node, manifest_net_only,
                            ARRAY_SIZE(manifest_net_only), "network interface",
                            takes, err, err_size);
}

/*
 * A network's name (hv,net's backend-device): the backend makes it a
 * Linux interface, a bridge, so it must be a name Linux takes for one
 * (dev_valid_name), and plain enough for a shell script: letters,
 * digits, '-', '_', '.'; never "." or "..". The length is checked.
 */
static bool manifest_ifname(const void *fdt, int node, const char *s, char *err,
                            size_t err_size)
{
    char problem[160];

    for (unsigned int i = 0; s[i]; i++) {
        char ch = s[i];
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
            (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.') {
            continue;
        }
        /* fdt_util_string let printable ASCII only through. */
        snprintf(problem, sizeof(problem),
                 "has '%c' at %u: a network's name (a Linux interface "
                 "name) takes letters, digits, '-', '_' and '.' only",
                 ch, i);
        return manifest_fail(fdt, node, "backend-device", problem, err,
                             err_size);
    }
    if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0) {
        snprintf(problem, sizeof(problem),
                 "is \"%s\", which Linux takes for no interface name", s);
        return manifest_fail(fdt, node, "backend-device", problem, err,
                             err_size);
    }
    return true;
}

/*
 * The rest of a network interface (hv,net): flags and sector_size stay
 * 0; its MAC address is required, a unicast one, and no other interface
 * of the manifest has it (two would confuse the bridge and every peer).
 * @d at @node against the devices of @m before it.
 */
static bool manifest_net(const void *fdt, int node, const struct manifest *m,
                         struct manifest_device *d, char *err, size_t err_size)
{
    char problem[160];
    char text[HV_MANIFEST_MAC_TEXT];
    int len;

    if (!manifest_ifname(fdt, node, d->device, err, err_size) ||
        !manifest_foreign(fdt, node, manifest_block_only,
                          ARRAY_SIZE(manifest_block_only), "block device",
                          "a network interface (hv,net) takes only "
                          "'frontend', 'backend', 'backend-device' and "
                          "'mac-address'",
                          err, err_size)) {
        return false;
    }
    const uint8_t *mac = fdt_getprop(fdt, node, "mac-address", &len);
    if (!mac) {
        return manifest_fail(fdt, node, "mac-address", "is missing", err,
                             err_size);
    }
    if (len != HV_MANIFEST_MAC_LEN) {
        snprintf(problem, sizeof(problem),
                 "is %d bytes, expected 6 (e.g. [02 00 00 00 01 01])", len);
        return manifest_fail(fdt, node, "mac-address", problem, err, err_size);
    }
    memcpy(d->mac, mac, HV_MANIFEST_MAC_LEN);
    manifest_mac_text(d->mac, text);
    if (d->mac[0] & 1) {
        snprintf(problem, sizeof(problem),
                 "is %s, a multicast address (bit 0 of the first byte "
                 "set): an interface needs a unicast one",
                 text);
        return manifest_fail(fdt, node, "mac-address", problem, err, err_size);
    }
    static const uint8_t zero[HV_MANIFEST_MAC_LEN];
    if (memcmp(d->mac, zero, sizeof(zero)) == 0) {
        return manifest_fail(fdt, node, "mac-address",
                             "is 00:00:00:00:00:00, which is no interface's "
                             "address",
                             err, err_size);
    }
    for (unsigned int i = 0; i < m->device_count; i++) {
        const struct manifest_device *o = &m->devices[i];
        if (o->kind == HV_CONN_KIND_NET &&
            memcmp(o->mac, d->mac, HV_MANIFEST_MAC_LEN) == 0) {
            snprintf(problem, sizeof(problem),
                     "is %s, which /devices/%s has already: each "
                     "interface needs its own",
                     text, o->name);
            return manifest_fail(fdt, node, "mac-address", problem, err,
                                 err_size);
        }
    }
    return true;
}

/*
 * A console's UART (backend-device in its backend) serves one console:
 * two frontends' bytes on one UART would interleave, and two backend
 * threads would fight over it. @d at @node against the devices before it.
 */
static bool manifest_console_unique(const void *fdt, int node,
                                    const struct manifest *m,
                                    const struct manifest_device *d, char *err,
                                    size_t err_size)
{
    if (d->kind != HV_CONN_KIND_CONSOLE) {
        return true;
    }
    for (unsigned int i = 0; i < m->device_count; i++) {
        const struct manifest_device *o = &m->devices[i];
        if (o->kind == HV_CONN_KIND_CONSOLE && o->backend == d->backend &&
            strcmp(o->device, d->device) == 0) {
            char problem[160];
            snprintf(problem, sizeof(problem),
                     "names \"%s\" of guest '%s', which console "
                     "/devices/%s uses already: one UART serves one console",
                     d->device, m->guests[d->backend - 1].name, o->name);
            return manifest_fail(fdt, node, "backend-device", problem, err,
                                 err_size);
        }
    }
    return true;
}

/* One device of /devices: a connection between two guests. */
static bool manifest_device(const void *fdt, int node, struct manifest *m,
                            struct manifest_device *d, char *err,
                            size_t err_size)
{
    int prop;
    const char *name = fdt_get_name(fdt, node, NULL);
    const char *s;

    memset(d, 0, sizeof(*d));
    if (name[0] == '\0' || strlen(name) >= HV_VM_NAME_MAX) {
        return manifest_fail(fdt, node, NULL,
                             "device name must be 1 to 15 characters", err,
                             err_size);
    }
    strcpy(d->name, name);
    fdt_for_each_property_offset (prop, fdt, node) {
        const char *pname;
        bool known = false;
        fdt_getprop_by_offset(fdt, prop, &pname, NULL);
        for (const char *const *k = manifest_device_props; *k; k++) {
            known |= strcmp(*k, pname) == 0;
        }
        if (!known) {
            return manifest_fail(fdt, node, pname,
                                 "is not a device property (misspelt?)", err,
                                 err_size);
        }
    }
    bool block = fdt_node_check_compatible(fdt, node, "hv,block") == 0;
    bool console = fdt_node_check_compatible(fdt, node, "hv,console") == 0;
    bool net = fdt_node_check_compatible(fdt, node, "hv,net") == 0;
    int kinds = block + console + net;
    if (kinds != 1) {
        return manifest_fail(fdt, node, "compatible",
                             kinds > 1
                                 ? "names more than one of \"hv,block\", "
                                   "\"hv,console\" and \"hv,net\": a "
                                   "device is one kind"
                                 : "must be \"hv,block\", \"hv,console\" or "
                                   "\"hv,net\"",
                             err, err_size);
    }
    d->kind = block     ? HV_CONN_KIND_BLOCK
              : console ? HV_CONN_KIND_CONSOLE
                        : HV_CONN_KIND_NET;
    if (!manifest_device_guest(fdt, node, "frontend", m, &d->frontend, err,
                               err_size) ||
        !manifest_device_guest(fdt, node, "backend", m, &d->backend, err,
                               err_size)) {
        return false;
    }
    if (d->frontend == d->backend) {
        return manifest_fail(fdt, node, "backend",
                             "names the frontend: a device connects two "
                             "guests",
                             err, err_size);
    }
    if (!fdt_util_string(fdt, node, "backend-device", &s,
                         net ? MANIFEST_IFNAME_MAX : HV_CONN_DEVICE_MAX - 1,
                         WHAT, err, err_size)) {
        return false;
    }
    if (!s || s[0] == '\0') {
        return manifest_fail(fdt, node, "backend-device", "is missing", err,
                             err_size);
    }
    strcpy(d->device, s);
    if (console) {
        return manifest_console(fdt, node, err, err_size);
    }
    if (net) {
        return manifest_net(fdt, node, m, d, err, err_size);
    }
    if (!manifest_foreign(fdt, node, manifest_net_only,
                          ARRAY_SIZE(manifest_net_only), "network interface",
                          "a block device (hv,block) takes 'frontend', "
                          "'backend', 'backend-device', 'read-only' and "
                          "'sector-size'",
                          err, err_size)) {
        return false;
    }
    int len;
    if (fdt_getprop(fdt, node, "read-only", &len)) {
        if (len != 0) {
            return manifest_fail(fdt, node, "read-only", "takes no value", err,
                                 err_size);
        }
        d->flags |= HV_CONN_READONLY;
    }
    d->sector_size = 512;
    if (!manifest_u32(fdt, node, "sector-size", false, &d->sector_size, err,
                      err_size)) {
        return false;
    }
    if (d->sector_size < 512 || d->sector_size > 4096 ||
        (d->sector_size & (d->sector_size - 1)) != 0) {
        return manifest_fail(fdt, node, "sector-size",
                             "must be 512, 1024, 2048 or 4096", err, err_size);
    }
    return true;
}

/* The optional /devices node, after the guests it names. */
static bool manifest_devices(const void *fdt, struct manifest *m, char *err,
                             size_t err_size)
{
    int node;
    int devices = fdt_subnode_offset(fdt, 0, "devices");

    if (devices < 0) {
        return true;
    }
    fdt_for_each_subnode (node, fdt, devices) {
        if (m->device_count == HV_MAX_CONNS) {
            snprintf(err, err_size,
                     WHAT ": /devices: more than %u devices (HV_MAX_CONNS)",
                     (unsigned)HV_MAX_CONNS);
            return false;
        }
        struct manifest_device *d = &m->devices[m->device_count];
        if (!manifest_device(fdt, node, m, d, err, err_size) ||
            !manifest_console_unique(fdt, node, m, d, err, err_size)) {
            return false;
        }
        m->device_count++;
    }
    return true;
}

bool manifest_parse(const void *fdt, const struct pkg *pkg,
                    struct manifest *manifest, char *err, size_t err_size)
{
    int node;

    manifest->count = 0;
    manifest->device_count = 0;
    if (fdt_node_check_compatible(fdt, 0, "hv,manifest") != 0) {
        snprintf(err, err_size,
                 WHAT ": root node: property 'compatible' "
                      "must be \"hv,manifest\"");
        return false;
    }
    int guests = fdt_subnode_offset(fdt, 0, "guests");
    if (guests < 0) {
        snprintf(err, err_size, WHAT ": no /guests node");
        return false;
    }
    fdt_for_each_subnode (node, fdt, guests) {
        if (manifest->count == HV_MAX_VMS) {
            snprintf(err, err_size,
                     WHAT ": /guests: more than %u guests "
                          "(HV_MAX_VMS)",
                     (unsigned)HV_MAX_VMS);
            return false;
        }
        if (!manifest_guest(fdt, guests, node, pkg,
                            &manifest->guests[manifest->count], err,
                            err_size)) {
            return false;
        }
        manifest->count++;
    }
    if (manifest->count == 0) {
        snprintf(err, err_size, WHAT ": /guests declares no guest");
        return false;
    }
    return manifest_devices(fdt, manifest, err, err_size);
}
