/* SPDX-License-Identifier: MIT */
/*
 * hv/core/manifest.c and assign.c (the check against the board): manifests
 * like tests/systems/default.dts, built with libfdt's sequential-write API,
 * against a package holding the images, and boards as struct board_desc.
 */
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include "hv/assign.h"
#include "hv/fdt_util.h"
#include "hv/manifest.h"
#include "unit.h"
#include "unit_build.h"

#define MIB 0x100000u
#define MF_MAX_GUESTS (HV_MAX_VMS + 2)

struct mf_guest {
    const char *node;
    const char *compatible; /* NULL: leave out */
    const char *image;      /* NULL: leave out */
    bool has_mem;
    uint32_t mem;
    bool has_base;
    uint32_t base;
    bool has_entry;
    uint32_t entry;
    const char *bootargs; /* NULL: leave out */
    int halt;             /* 0: absent, 1: empty (valid), 2: with value */
    const char *extra;    /* a property no manifest knows, or NULL */
    int mem_bytes;        /* length of memory-size; 4 unless broken */
    /* interrupts, device-regions, dma-capable-regions: cells, or none. */
    uint32_t irqs[HV_VM_MAX_IRQS];
    unsigned int irq_cells;
    uint32_t devices[2 * HV_VM_MAX_DEVICES + 1];
    unsigned int device_cells;
    uint32_t dma[2 * HV_VM_MAX_DEVICES + 1];
    unsigned int dma_cells;
    /* Further properties, in order: a string (str) or one cell. */
    struct {
        const char *name; /* NULL: end */
        const char *str;  /* NULL: the cell */
        uint32_t cell;
        int len; /* non-zero: str is this many raw bytes (a string list) */
    } props[8];
};

/* A node of /devices; NULL strings are left out. */
struct mf_device {
    const char *node;
    const char *compatible;
    int compatible_len; /* non-zero: compatible is this many raw bytes */
    const char *frontend;
    const char *backend;
    const char *device;
    bool read_only;
    bool has_sector;
    uint32_t sector;
    const uint8_t *mac; /* mac-address, mac_len bytes; NULL: left out */
    int mac_len;
};

#define MF_MAX_DEVICES 4

struct mf_spec {
    const char *root_compatible; /* NULL: leave out */
    bool guests_node;
    unsigned int count;
    struct mf_guest g[MF_MAX_GUESTS];
    unsigned int device_count; /* 0: no /devices node */
    struct mf_device d[MF_MAX_DEVICES];
};

/* Image sizes in the package. */
#define MF_IMG_A_SIZE 64u
#define MF_IMG_B_SIZE 16u
#define MF_BIG_SIZE (MIB - 4096u) /* exactly fills 1 MiB */

static struct mf_guest mf_guest_default(const char *node, const char *image,
                                        uint32_t mem)
{
    return (struct mf_guest){
        .node = node,
        .compatible = "hv,guest",
        .image = image,
        .has_mem = true,
        .mem = mem,
        .mem_bytes = 4,
    };
}

/* ping: defaults everywhere; pong: every optional property set. */
static struct mf_spec mf_spec_default(void)
{
    struct mf_spec s = {
        .root_compatible = "hv,manifest",
        .guests_node = true,
        .count = 2,
    };
    s.g[0] = mf_guest_default("ping", "img-a", MIB);
    s.g[0].bootargs = "role=chatter count=5 mode=yield";
    s.g[1] = mf_guest_default("pong", "img-b", 2 * MIB);
    s.g[1].has_base = true;
    s.g[1].base = 0x40000000u;
    s.g[1].has_entry = true;
    s.g[1].entry = 8;
    s.g[1].halt = 1;
    return s;
}

static void mf_cells(struct unit_fdt *f, const char *prop,
                     const uint32_t *cells, unsigned int count)
{
    fdt32_t be[2 * HV_VM_MAX_DEVICES + HV_VM_MAX_IRQS];
    if (count == 0) {
        return;
    }
    for (unsigned int i = 0; i < count; i++) {
        be[i] = cpu_to_fdt32(cells[i]);
    }
    unit_fdt_raw(f, prop, be, (int)(count * 4));
}

static void *mf_build(const struct mf_spec *s)
{
    struct unit_fdt f;

    unit_fdt_begin(&f);
    if (s->root_compatible) {
        unit_fdt_str(&f, "compatible", s->root_compatible);
    }
    if (s->guests_node) {
        unit_fdt_node(&f, "guests");
        for (unsigned int i = 0; i < s->count; i++) {
            const struct mf_guest *g = &s->g[i];
            unit_fdt_node(&f, g->node);
            if (g->compatible) {
                unit_fdt_str(&f, "compatible", g->compatible);
            }
            if (g->image) {
                unit_fdt_str(&f, "image", g->image);
            }
            if (g->has_mem) {
                const fdt32_t cells[2] = {cpu_to_fdt32(g->mem), 0};
                unit_fdt_raw(&f, "memory-size", cells, g->mem_bytes);
            }
            if (g->has_base) {
                unit_fdt_u32(&f, "base-address", g->base);
            }
            if (g->has_entry) {
                unit_fdt_u32(&f, "entry-offset", g->entry);
            }
            if (g->bootargs) {
                unit_fdt_str(&f, "bootargs", g->bootargs);
            }
            if (g->halt == 1) {
                unit_fdt_empty(&f, "halt-on-shutdown");
            } else if (g->halt == 2) {
                unit_fdt_u32(&f, "halt-on-shutdown", 1);
            }
            if (g->extra) {
                unit_fdt_u32(&f, g->extra, 1);
            }
            mf_cells(&f, "interrupts", g->irqs, g->irq_cells);
            mf_cells(&f, "device-regions", g->devices, g->device_cells);
            mf_cells(&f, "dma-capable-regions", g->dma, g->dma_cells);
            for (unsigned int p = 0; p < 8 && g->props[p].name; p++) {
                if (g->props[p].len) {
                    unit_fdt_raw(&f, g->props[p].name, g->props[p].str,
                                 g->props[p].len);
                } else if (g->props[p].str) {
                    unit_fdt_str(&f, g->props[p].name, g->props[p].str);
                } else {
                    unit_fdt_u32(&f, g->props[p].name, g->props[p].cell);
                }
            }
            unit_fdt_end_node(&f);
        }
        unit_fdt_end_node(&f);
    }
    if (s->device_count > 0) {
        unit_fdt_node(&f, "devices");
        for (unsigned int i = 0; i < s->device_count; i++) {
            const struct mf_device *d = &s->d[i];
            unit_fdt_node(&f, d->node);
            if (d->compatible_len) {
                unit_fdt_raw(&f, "compatible", d->compatible,
                             d->compatible_len);
            } else if (d->compatible) {
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
            if (d->read_only) {
                unit_fdt_empty(&f, "read-only");
            }
            if (d->has_sector) {
                unit_fdt_u32(&f, "sector-size", d->sector);
            }
            if (d->mac) {
                unit_fdt_raw(&f, "mac-address", d->mac, d->mac_len);
            }
            unit_fdt_end_node(&f);
        }
        unit_fdt_end_node(&f);
    }
    return unit_fdt_finish(&f);
}

static struct pkg mf_pkg;
static struct manifest mf;
static char mf_err[200];

static void mf_open_pkg(void)
{
    static const char stand_in[] = "device tree stand-in";
    uint8_t *img_a = unit_alloc(MF_IMG_A_SIZE);
    uint8_t *img_b = unit_alloc(MF_IMG_B_SIZE);
    uint8_t *big = unit_alloc(MF_BIG_SIZE + 1);
    for (uint32_t i = 0; i < MF_IMG_A_SIZE; i++) {
        img_a[i] = (uint8_t)i;
    }
    const struct unit_pkg_item items[] = {
        {"board.dtb", HVPKG_TYPE_BOARD_DTB, stand_in, sizeof(stand_in)},
        {"manifest.dtb", HVPKG_TYPE_MANIFEST, stand_in, sizeof(stand_in)},
        {"img-a", HVPKG_TYPE_IMAGE, img_a, MF_IMG_A_SIZE},
        {"img-b", HVPKG_TYPE_IMAGE, img_b, MF_IMG_B_SIZE},
        {"big", HVPKG_TYPE_IMAGE, big, MF_BIG_SIZE},
        {"bigger", HVPKG_TYPE_IMAGE, big, MF_BIG_SIZE + 1},
    };
    struct unit_pkg p;
    unit_pkg_build(&p, items, sizeof(items) / sizeof(items[0]), 16);
    if (!pkg_open(&mf_pkg, p.base, p.size, mf_err, sizeof(mf_err))) {
        unit_fail(__FILE__, __LINE__, true, "test package refused: %s", mf_err);
    }
}

static bool mf_parse(const struct mf_spec *s)
{
    void *fdt = mf_build(s);
    if (!fdt_util_header_ok(fdt, fdt_totalsize(fdt), "manifest", mf_err,
                            sizeof(mf_err))) {
        unit_fail(__FILE__, __LINE__, true, "test blob refused: %s", mf_err);
    }
    if (!mf_pkg.base) {
        mf_open_pkg();
    }
    memset(mf_err, 0, sizeof(mf_err));
    return manifest_parse(fdt, &mf_pkg, &mf, mf_err, sizeof(mf_err));
}

/* The default manifest with guest 0 changed by @edit must be refused with
 * each of the words. */
#define MF_EXPECT_REFUSED(s, ...)                                              \
    do {                                                                       \
        EXPECT_FALSE(mf_parse(s));                                             \
        const char *mf_words_[] = {__VA_ARGS__};                               \
        for (size_t mf_i_ = 0;                                                 \
             mf_i_ < sizeof(mf_words_) / sizeof(mf_words_[0]); mf_i_++) {      \
            EXPECT_CONTAINS(mf_err, mf_words_[mf_i_]);                         \
        }                                                                      \
    } while (0)

TEST(manifest, two_guests)
{
    struct mf_spec s = mf_spec_default();
    ASSERT_TRUE(mf_parse(&s));
    EXPECT_STREQ(mf_err, "");
    ASSERT_EQ(mf.count, 2u);

    const struct vm_config *ping = &mf.guests[0];
    const struct hvpkg_entry *a = pkg_find(&mf_pkg, HVPKG_TYPE_IMAGE, "img-a");
    ASSERT_TRUE(a != NULL);
    EXPECT_STREQ(ping->name, "ping");
    EXPECT_PTR_EQ(ping->image, pkg_payload(&mf_pkg, a));
    EXPECT_EQ(ping->image_size, MF_IMG_A_SIZE);
    EXPECT_EQ(ping->mem_size, MIB);
    EXPECT_EQ(ping->base_gva, HV_DEFAULT_GUEST_BASE);
    EXPECT_EQ(ping->entry_offset, 0u);
    EXPECT_FALSE(ping->halt_on_shutdown);
    EXPECT_STREQ(ping->cmdline, "role=chatter count=5 mode=yield");

    const struct vm_config *pong = &mf.guests[1];
    EXPECT_STREQ(pong->name, "pong");
    EXPECT_EQ(pong->image_size, MF_IMG_B_SIZE);
    EXPECT_EQ(pong->mem_size, 2 * MIB);
    EXPECT_EQ(pong->base_gva, 0x40000000u);
    EXPECT_EQ(pong->entry_offset, 8u);
    EXPECT_TRUE(pong->halt_on_shutdown);
    EXPECT_STREQ(pong->cmdline, "");
}

TEST(manifest, same_image_twice)
{
    struct mf_spec s = mf_spec_default();
    s.g[1].image = "img-a";
    ASSERT_TRUE(mf_parse(&s));
    EXPECT_PTR_EQ(mf.guests[0].image, mf.guests[1].image);
}

TEST(manifest, wrong_root_compatible)
{
    struct mf_spec s = mf_spec_default();
    s.root_compatible = "hv,manifest-v2";
    MF_EXPECT_REFUSED(&s, "root node", "'compatible'", "\"hv,manifest\"");
    s.root_compatible = NULL;
    MF_EXPECT_REFUSED(&s, "root node", "'compatible'");
}

TEST(manifest, no_guests_node)
{
    struct mf_spec s = mf_spec_default();
    s.guests_node = false;
    MF_EXPECT_REFUSED(&s, "no /guests node");
}

TEST(manifest, zero_guests)
{
    struct mf_spec s = mf_spec_default();
    s.count = 0;
    MF_EXPECT_REFUSED(&s, "/guests declares no guest");
    EXPECT_EQ(mf.count, 0u);
}

TEST(manifest, unknown_property)
{
    struct mf_spec s = mf_spec_default();
    s.g[1].extra = "memory_size";
    MF_EXPECT_REFUSED(&s, "/guests/pong", "'memory_size'", "misspelt");
    s.g[1].extra = "halt-on-shutdwon";
    MF_EXPECT_REFUSED(&s, "'halt-on-shutdwon'");
}

TEST(manifest, guest_compatible)
{
    struct mf_spec s = mf_spec_default();
    s.g[0].compatible = "hv,gust";
    MF_EXPECT_REFUSED(&s, "/guests/ping", "'compatible'", "\"hv,guest\"");
    s.g[0].compatible = NULL;
    MF_EXPECT_REFUSED(&s, "/guests/ping", "'compatible'");
}

TEST(manifest, image_missing)
{
    struct mf_spec s = mf_spec_default();
    s.g[0].image = NULL;
    MF_EXPECT_REFUSED(&s, "/guests/ping", "'image' is missing");
}

TEST(manifest, image_not_in_package)
{
    struct mf_spec s = mf_spec_default();
    s.g[1].image = "img-c";
    MF_EXPECT_REFUSED(&s, "/guests/pong", "'image'", "\"img-c\"");
    /* The board's device tree is in the package, but not as an image. */
    s.g[1].image = "board.dtb";
    MF_EXPECT_REFUSED(&s, "/guests/pong", "\"board.dtb\"");
}

TEST(manifest, image_name_too_long)
{
    struct mf_spec s = mf_spec_default();
    s.g[0].image = "an-image-name-longer-than-31-chars";
    MF_EXPECT_REFUSED(&s, "/guests/ping", "'image'", "at most 31");
}

TEST(manifest, memory_size_missing)
{
    struct mf_spec s = mf_spec_default();
    s.g[0].has_mem = false;
    MF_EXPECT_REFUSED(&s, "/guests/ping", "'memory-size' is missing");
}

TEST(manifest, memory_size_zero)
{
    struct mf_spec s = mf_spec_default();
    s.g[0].mem = 0;
    MF_EXPECT_REFUSED(&s, "/guests/ping", "'memory-size'", "1 MiB");
}

TEST(manifest, memory_size_not_mib_multiple)
{
    struct mf_spec s = mf_spec_default();
    s.g[0].mem = MIB + MIB / 2;
    MF_EXPECT_REFUSED(&s, "/guests/ping", "'memory-size'", "1 MiB");
    s.g[0].mem = MIB - 4096;
    MF_EXPECT_REFUSED(&s, "'memory-size'", "1 MiB");
}

TEST(manifest, memory_size_not_one_cell)
{
    struct mf_spec s = mf_spec_default();
    s.g[0].mem_bytes = 8;
    MF_EXPECT_REFUSED(&s, "/guests/ping", "'memory-size' is 8 bytes");
}

TEST(manifest, image_larger_than_memory)
{
    struct mf_spec s = mf_spec_default();
    /* Image plus the start-info page must fit: MIB - 4095 bytes do not. */
    s.g[0].image = "bigger";
    MF_EXPECT_REFUSED(&s, "/guests/ping", "'memory-size'", "no room");
    s.g[0].mem = 2 * MIB;
    EXPECT_TRUE(mf_parse(&s));
    s.g[0].image = "big";
    EXPECT_TRUE(mf_parse(&s));
}

/*
 * Inconsistency: since ABI 0.2 a guest's memory also holds its initial
 * page tables (16 KiB L1, an L2 frame per 2 MiB) below the start-info
 * page, but hv/core/manifest.c still only asks for room for the image and
 * that page. An image the manifest accepts (here 1 MiB - 4 KiB in 1 MiB)
 * then fails later, in vm_create ("no room for its initial page
 * tables"), instead of at the manifest property that is wrong.
 */
TEST(manifest, image_leaves_room_for_page_tables)
{
    struct mf_spec s = mf_spec_default();
    s.g[0].image = "big";
    MF_EXPECT_REFUSED(&s, "/guests/ping", "'memory-size'");
}

TEST(manifest, base_address_misaligned)
{
    struct mf_spec s = mf_spec_default();
    s.g[1].base = 0x40080000u;
    MF_EXPECT_REFUSED(&s, "/guests/pong", "'base-address'", "aligned");
    s.g[1].base = 0x40000001u;
    MF_EXPECT_REFUSED(&s, "'base-address'");
}

TEST(manifest, base_address_wraps)
{
    struct mf_spec s = mf_spec_default();
    /* 2 MiB from 0xfff00000 would wrap past 4 GiB. */
    s.g[1].base = 0xfff00000u;
    MF_EXPECT_REFUSED(&s, "/guests/pong", "'base-address'", "4 GiB");
    s.g[1].base = 0xffe00000u;
    EXPECT_TRUE(mf_parse(&s));
    s.g[1].base = 0;
    EXPECT_TRUE(mf_parse(&s));
}

TEST(manifest, entry_offset_outside_image)
{
    struct mf_spec s = mf_spec_default();
    s.g[1].entry = MF_IMG_B_SIZE;
    MF_EXPECT_REFUSED(&s, "/guests/pong", "'entry-offset'", "inside");
    s.g[1].entry = 0xfffffffeu;
    MF_EXPECT_REFUSED(&s, "'entry-offset'");
    s.g[1].entry = MF_IMG_B_SIZE - 2;
    EXPECT_TRUE(mf_parse(&s));
}

TEST(manifest, entry_offset_odd)
{
    struct mf_spec s = mf_spec_default();
    s.g[1].entry = 3;
    MF_EXPECT_REFUSED(&s, "/guests/pong", "'entry-offset'", "even");
}

TEST(manifest, bootargs_length)
{
    char args[HV_CMDLINE_MAX + 1];
    struct mf_spec s = mf_spec_default();

    memset(args, 'b', HV_CMDLINE_MAX - 1);
    args[HV_CMDLINE_MAX - 1] = '\0';
    s.g[0].bootargs = args;
    ASSERT_TRUE(mf_parse(&s));
    EXPECT_EQ(strlen(mf.guests[0].cmdline), (size_t)HV_CMDLINE_MAX - 1);

    args[HV_CMDLINE_MAX - 1] = 'b';
    args[HV_CMDLINE_MAX] = '\0';
    MF_EXPECT_REFUSED(&s, "/guests/ping", "'bootargs'", "256 characters",
                      "at most 255");
}

TEST(manifest, halt_on_shutdown_with_value)
{
    struct mf_spec s = mf_spec_default();
    s.g[1].halt = 2;
    MF_EXPECT_REFUSED(&s, "/guests/pong", "'halt-on-shutdown'", "no value");
}

TEST(manifest, guest_name_length)
{
    struct mf_spec s = mf_spec_default();
    s.g[0].node = "fifteen-chars-x";
    ASSERT_TRUE(mf_parse(&s));
    EXPECT_STREQ(mf.guests[0].name, "fifteen-chars-x");
    s.g[0].node = "sixteen-chars-xy";
    MF_EXPECT_REFUSED(&s, "/guests/sixteen-chars-xy", "1 to 15 characters");
}

TEST(manifest, guest_name_with_unit_address)
{
    struct mf_spec s = mf_spec_default();
    s.g[0].node = "ping@1";
    MF_EXPECT_REFUSED(&s, "/guests/ping@1", "'@'");
}

/*
 * Bug: hv/core/manifest.c manifest_guest says a guest name "must be 1 to
 * 15 characters" but only checks the upper bound, so a guest node with an
 * empty name (which libfdt builds and reads without complaint) is
 * accepted, and its console lines come out prefixed "[] ".
 */
TEST(manifest, guest_name_empty)
{
    struct mf_spec s = mf_spec_default();
    s.g[0].node = "";
    MF_EXPECT_REFUSED(&s, "1 to 15 characters");
}

TEST(manifest, max_guests)
{
    struct mf_spec s = mf_spec_default();
    static char names[MF_MAX_GUESTS][8];
    for (unsigned int i = 0; i < MF_MAX_GUESTS; i++) {
        snprintf(names[i], sizeof(names[i]), "g%u", i);
        s.g[i] = mf_guest_default(names[i], "img-b", MIB);
    }
    s.count = HV_MAX_VMS;
    ASSERT_TRUE(mf_parse(&s));
    EXPECT_EQ(mf.count, (unsigned)HV_MAX_VMS);
    EXPECT_STREQ(mf.guests[HV_MAX_VMS - 1].name, names[HV_MAX_VMS - 1]);

    s.count = HV_MAX_VMS + 1;
    MF_EXPECT_REFUSED(&s, "/guests", "more than 8 guests", "HV_MAX_VMS");
}

TEST(manifest, error_in_second_guest_names_it)
{
    struct mf_spec s = mf_spec_default();
    s.g[1].has_mem = false;
    MF_EXPECT_REFUSED(&s, "/guests/pong");
    EXPECT_NOT_CONTAINS(mf_err, "ping");
}

/* --- Device regions and interrupts against the board (hv/core/assign.c) ---
 */

/*
 * vexpress-a9 as hv/boards/vexpress-a9.dts describes it, with a second RAM
 * bank the monitor does not manage.
 */
static struct board_desc mf_board(void)
{
    struct board_desc b = {
        .ram_base = pa_init(0x60000000u),
        .ram_size = 0x10000000u,
        .devices =
            {
                [DRIVER_UART] = {driver_find(DRIVER_UART, "arm,pl011"),
                                 "/serial@10009000",
                                 1,
                                 {{pa_init(0x10009000u), 0x1000u}},
                                 37,
                                 0},
                [DRIVER_IRQCHIP] = {driver_find(DRIVER_IRQCHIP,
                                                "arm,cortex-a9-gic"),
                                    "/interrupt-controller@1e001000",
                                    2,
                                    {{pa_init(0x1e001000u), 0x1000u},
                                     {pa_init(0x1e000100u), 0x100u}},
                                    0,
                                    0},
                [DRIVER_TIMER] = {driver_find(DRIVER_TIMER, "arm,sp804"),
                                  "/timer@10011000",
                                  1,
                                  {{pa_init(0x10011000u), 0x1000u}},
                                  34,
                                  1000000u},
                [DRIVER_CLOCK] = {driver_find(DRIVER_CLOCK,
                                              "arm,cortex-a9-global-timer"),
                                  "/timer@1e000200",
                                  1,
                                  {{pa_init(0x1e000200u), 0x20u}},
                                  0,
                                  100000000u},
            },
        .window_count = 6,
        .windows =
            {
                {BOARD_WINDOW_RAM, 0x60000000u, 0x10000000u, 0,
                 "/memory@60000000"},
                {BOARD_WINDOW_RAM, 0x48000000u, 0x2000000u, 0,
                 "/sram@48000000"},
                {BOARD_WINDOW_RAM_ALIAS, 0x0u, 0x4000000u, 0x60000000u,
                 "/memory@60000000"},
                {BOARD_WINDOW_DMA, 0x10020000u, 0x1000u, 0, "/clcd@10020000"},
                {BOARD_WINDOW_DMA, 0x10013000u, 0x200u, 0, "/virtio@10013000"},
                {BOARD_WINDOW_DMA, 0x10013200u, 0x200u, 0, "/virtio@10013000"},
            },
    };
    return b;
}

/* Parses @s and checks it against @b; false with mf_err set if refused. */
static bool mf_assign(const struct mf_spec *s, const struct board_desc *b)
{
    struct assign_guest guests[HV_MAX_VMS];
    if (!mf_parse(s)) {
        return false;
    }
    for (unsigned int i = 0; i < mf.count; i++) {
        guests[i] = (struct assign_guest){mf.guests[i].name, &mf.guests[i].hw};
    }
    return assign_check(b, guests, mf.count, mf_err, sizeof(mf_err));
}

static void mf_give(struct mf_guest *g, uint32_t pa, uint32_t size)
{
    g->devices[g->device_cells++] = pa;
    g->devices[g->device_cells++] = size;
}

static void mf_trust(struct mf_guest *g, uint32_t pa, uint32_t size)
{
    g->dma[g->dma_cells++] = pa;
    g->dma[g->dma_cells++] = size;
}

#define MF_EXPECT_ASSIGN_REFUSED(s, b, message)                                \
    do {                                                                       \
        EXPECT_FALSE(mf_assign(s, b));                                         \
        EXPECT_STREQ(mf_err, message);                                         \
    } while (0)

TEST(manifest, device_regions_read)
{
    struct mf_spec s = mf_spec_default();
    mf_give(&s.g[1], 0x10012000u, 0x1000u);
    mf_give(&s.g[1], 0x10020000u, 0x2000u);
    mf_trust(&s.g[1], 0x10020000u, 0x2000u);
    s.g[1].irqs[0] = 35;
    s.g[1].irq_cells = 1;
    ASSERT_TRUE(mf_parse(&s));
    const struct assign *hw = &mf.guests[1].hw;
    EXPECT_EQ(hw->device_count, 2u);
    EXPECT_EQ(hw->devices[1].pa, 0x10020000u);
    EXPECT_EQ(hw->devices[1].size, 0x2000u);
    EXPECT_EQ(hw->dma_mask, 2u);
    EXPECT_EQ(hw->irq_count, 1u);
    EXPECT_EQ(hw->irqs[0], 35u);
    EXPECT_EQ(mf.guests[0].hw.device_count, 0u);
    EXPECT_EQ(mf.guests[0].hw.dma_mask, 0u);
}

TEST(manifest, device_regions_malformed)
{
    struct mf_spec s = mf_spec_default();
    mf_give(&s.g[0], 0x10012800u, 0x1000u);
    MF_EXPECT_REFUSED(&s, "/guests/ping", "'device-regions'", "4 KiB-aligned");
    s = mf_spec_default();
    mf_give(&s.g[0], 0xfffff000u, 0x2000u);
    MF_EXPECT_REFUSED(&s, "'device-regions'", "below 4 GiB");
    s = mf_spec_default();
    s.g[0].device_cells = 3;
    MF_EXPECT_REFUSED(&s, "'device-regions' must list 1 to 4");
}

/* An acknowledgement must name a whole region of the guest's. */
TEST(manifest, dma_capable_region_not_a_device_region)
{
    struct mf_spec s = mf_spec_default();
    mf_give(&s.g[1], 0x10020000u, 0x2000u);
    mf_trust(&s.g[1], 0x10020000u, 0x1000u);
    EXPECT_FALSE(mf_parse(&s));
    EXPECT_STREQ(mf_err, "manifest: node /guests/pong: property "
                         "'dma-capable-regions' names <0x10020000 0x1000>, "
                         "which is not a pair of 'device-regions'");
    /* Nor may it come without device regions at all. */
    s = mf_spec_default();
    mf_trust(&s.g[1], 0x10020000u, 0x1000u);
    MF_EXPECT_REFUSED(&s, "'dma-capable-regions' names <0x10020000 0x1000>");
    s = mf_spec_default();
    mf_give(&s.g[1], 0x10020000u, 0x1000u);
    s.g[1].dma_cells = 1;
    MF_EXPECT_REFUSED(&s, "'dma-capable-regions' must list 1 to 4");
}

TEST(manifest, assign_accepted)
{
    struct board_desc b = mf_board();
    struct mf_spec s = mf_spec_default();
    /* Right next to the monitor's SP804, and the GIC's neighbours. */
    mf_give(&s.g[0], 0x10012000u, 0x1000u);
    mf_give(&s.g[0], 0x10010000u, 0x1000u);
    mf_give(&s.g[0], 0x1e002000u, 0x1000u);
    s.g[0].irqs[0] = 35;
    s.g[0].irq_cells = 1;
    /* Just below the managed RAM, just above the alias. */
    mf_give(&s.g[1], 0x5ffff000u, 0x1000u);
    mf_give(&s.g[1], 0x04000000u, 0x1000u);
    /* A DMA master the manifest trusts the guest with. */
    mf_give(&s.g[1], 0x10020000u, 0x1000u);
    mf_trust(&s.g[1], 0x10020000u, 0x1000u);
    s.g[1].irqs[0] = 36;
    s.g[1].irq_cells = 1;
    EXPECT_TRUE(mf_assign(&s, &b));
    EXPECT_STREQ(mf_err, "");
}

TEST(manifest, device_region_is_ram)
{
    struct board_desc b = mf_board();
    struct mf_spec s = mf_spec_default();
    mf_give(&s.g[1], 0x6ff00000u, 0x1000u);
    MF_EXPECT_ASSIGN_REFUSED(
        &s, &b,
        "manifest: guest 'pong': device region 0x6ff00000-0x6ff00fff is RAM "
        "(0x60000000-0x6fffffff, /memory@60000000)");
    /* Straddling its start. */
    s = mf_spec_default();
    mf_give(&s.g[1], 0x5ffff000u, 0x2000u);
    MF_EXPECT_ASSIGN_REFUSED(
        &s, &b,
        "manifest: guest 'pong': device region 0x5ffff000-0x60000fff is RAM "
        "(0x60000000-0x6fffffff, /memory@60000000)");
}

/* RAM the monitor does not manage is still RAM. */
TEST(manifest, device_region_is_other_ram)
{
    struct board_desc b = mf_board();
    struct mf_spec s = mf_spec_default();
    mf_give(&s.g[0], 0x49fff000u, 0x1000u);
    MF_EXPECT_ASSIGN_REFUSED(
        &s, &b,
        "manifest: guest 'ping': device region 0x49fff000-0x49ffffff is RAM "
        "(0x48000000-0x49ffffff, /sram@48000000)");
}

/* The same RAM seen at another address: the monitor's image included. */
TEST(manifest, device_region_is_ram_alias)
{
    struct board_desc b = mf_board();
    struct mf_spec s = mf_spec_default();
    mf_give(&s.g[0], 0x00010000u, 0x1000u);
    MF_EXPECT_ASSIGN_REFUSED(
        &s, &b,
        "manifest: guest 'ping': device region 0x00010000-0x00010fff is RAM "
        "(0x00000000-0x03ffffff is an alias of 0x60000000, "
        "/memory@60000000)");
    /* A region that ends inside it. */
    s = mf_spec_default();
    mf_give(&s.g[0], 0x03fff000u, 0x2000u);
    EXPECT_FALSE(mf_assign(&s, &b));
    EXPECT_CONTAINS(mf_err, "is an alias of 0x60000000");
}

TEST(manifest, device_region_holds_monitor_device)
{
    struct board_desc b = mf_board();
    const struct {
        uint32_t pa, size;
        const char *message;
    } cases[] = {
        {0x10009000u, 0x1000u,
         "manifest: guest 'ping': device region 0x10009000-0x10009fff holds "
         "the monitor's console UART (0x10009000-0x10009fff)"},
        /* Ends in the GIC distributor. */
        {0x1e000000u, 0x2000u,
         "manifest: guest 'ping': device region 0x1e000000-0x1e001fff holds "
         "the monitor's GIC distributor (0x1e001000-0x1e001fff)"},
        {0x1e000000u, 0x1000u,
         "manifest: guest 'ping': device region 0x1e000000-0x1e000fff holds "
         "the monitor's GIC CPU interface (0x1e000000-0x1e000fff)"},
        {0x10000000u, 0x100000u,
         "manifest: guest 'ping': device region 0x10000000-0x100fffff holds "
         "the monitor's console UART (0x10009000-0x10009fff)"},
        {0x10011000u, 0x1000u,
         "manifest: guest 'ping': device region 0x10011000-0x10011fff holds "
         "the monitor's SP804 timer (0x10011000-0x10011fff)"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct mf_spec s = mf_spec_default();
        mf_give(&s.g[0], cases[i].pa, cases[i].size);
        MF_EXPECT_ASSIGN_REFUSED(&s, &b, cases[i].message);
    }
}

/* A monitor device larger than a page is protected as a whole. */
TEST(manifest, device_region_in_monitor_device_beyond_first_page)
{
    struct board_desc b = mf_board();
    b.devices[DRIVER_UART].reg[0].size = 0x3000u;
    struct mf_spec s = mf_spec_default();
    mf_give(&s.g[0], 0x1000b000u, 0x1000u);
    MF_EXPECT_ASSIGN_REFUSED(
        &s, &b,
        "manifest: guest 'ping': device region 0x1000b000-0x1000bfff holds "
        "the monitor's console UART (0x10009000-0x1000bfff)");
}

/* Without a global timer its (zero) address protects nothing. */
TEST(manifest, no_global_timer)
{
    struct board_desc b = mf_board();
    b.devices[DRIVER_CLOCK] = (struct board_device){0};
    b.window_count = 1;
    struct mf_spec s = mf_spec_default();
    mf_give(&s.g[0], 0x0u, 0x1000u);
    EXPECT_TRUE(mf_assign(&s, &b));
}

TEST(manifest, device_region_shared)
{
    struct board_desc b = mf_board();
    struct mf_spec s = mf_spec_default();
    mf_give(&s.g[0], 0x10012000u, 0x1000u);
    mf_give(&s.g[1], 0x10010000u, 0x1000u);
    mf_give(&s.g[1], 0x10012000u, 0x1000u);
    MF_EXPECT_ASSIGN_REFUSED(
        &s, &b,
        "manifest: guest 'pong': device region 0x10012000-0x10012fff "
        "overlaps device region 0x10012000-0x10012fff of guest 'ping'");
    /* The monitor's devices are checked before other guests'. */
    s = mf_spec_default();
    mf_give(&s.g[0], 0x10012000u, 0x1000u);
    mf_give(&s.g[1], 0x10011000u, 0x3000u);
    MF_EXPECT_ASSIGN_REFUSED(
        &s, &b,
        "manifest: guest 'pong': device region 0x10011000-0x10013fff holds "
        "the monitor's SP804 timer (0x10011000-0x10011fff)");
    /* Overlapping by one page. */
    s = mf_spec_default();
    mf_give(&s.g[0], 0x10100000u, 0x4000u);
    mf_give(&s.g[1], 0x10103000u, 0x2000u);
    MF_EXPECT_ASSIGN_REFUSED(
        &s, &b,
        "manifest: guest 'pong': device region 0x10103000-0x10104fff "
        "overlaps device region 0x10100000-0x10103fff of guest 'ping'");
}

TEST(manifest, device_region_is_dma_master)
{
    struct board_desc b = mf_board();
    struct mf_spec s = mf_spec_default();
    mf_give(&s.g[1], 0x10020000u, 0x1000u);
    MF_EXPECT_ASSIGN_REFUSED(
        &s, &b,
        "manifest: guest 'pong': device region 0x10020000-0x10020fff holds "
        "DMA master /clcd@10020000, which reaches all memory, and is not in "
        "'dma-capable-regions'");
    /* The second of two windows of one node; the acknowledgement of
     * another region does not cover it. */
    s = mf_spec_default();
    mf_give(&s.g[1], 0x10020000u, 0x1000u);
    mf_trust(&s.g[1], 0x10020000u, 0x1000u);
    mf_give(&s.g[1], 0x10013000u, 0x1000u);
    MF_EXPECT_ASSIGN_REFUSED(
        &s, &b,
        "manifest: guest 'pong': device region 0x10013000-0x10013fff holds "
        "DMA master /virtio@10013000, which reaches all memory, and is not in "
        "'dma-capable-regions'");
    mf_trust(&s.g[1], 0x10013000u, 0x1000u);
    EXPECT_TRUE(mf_assign(&s, &b));
}

/* Consent does not make RAM or the monitor's devices grantable. */
TEST(manifest, dma_capable_region_still_checked)
{
    struct board_desc b = mf_board();
    struct mf_spec s = mf_spec_default();
    mf_give(&s.g[0], 0x00010000u, 0x1000u);
    mf_trust(&s.g[0], 0x00010000u, 0x1000u);
    EXPECT_FALSE(mf_assign(&s, &b));
    EXPECT_CONTAINS(mf_err, "is an alias of 0x60000000");
    s = mf_spec_default();
    mf_give(&s.g[0], 0x1e001000u, 0x1000u);
    mf_trust(&s.g[0], 0x1e001000u, 0x1000u);
    EXPECT_FALSE(mf_assign(&s, &b));
    EXPECT_CONTAINS(mf_err, "the monitor's GIC distributor");
}

TEST(manifest, dma_warning)
{
    struct board_desc b = mf_board();
    struct mf_spec s = mf_spec_default();
    mf_give(&s.g[1], 0x10012000u, 0x1000u);
    mf_give(&s.g[1], 0x10020000u, 0x1000u);
    mf_trust(&s.g[1], 0x10020000u, 0x1000u);
    ASSERT_TRUE(mf_assign(&s, &b));

    char line[200] = "untouched";
    struct assign_guest ping = {mf.guests[0].name, &mf.guests[0].hw};
    EXPECT_FALSE(assign_dma_warning(&ping, line, sizeof(line)));
    EXPECT_STREQ(line, "untouched");
    struct assign_guest pong = {mf.guests[1].name, &mf.guests[1].hw};
    EXPECT_TRUE(assign_dma_warning(&pong, line, sizeof(line)));
    EXPECT_STREQ(line, "WARNING: guest 'pong' is trusted with all memory (no "
                       "IOMMU): DMA-capable device region(s) "
                       "0x10020000-0x10020fff");
    /* A short buffer is cut, never overrun. */
    char tiny[16];
    EXPECT_TRUE(assign_dma_warning(&pong, tiny, sizeof(tiny)));
    EXPECT_EQ(strlen(tiny), sizeof(tiny) - 1);
}

TEST(manifest, irq_checks)
{
    struct board_desc b = mf_board();
    struct mf_spec s = mf_spec_default();
    s.g[0].irqs[0] = 34;
    s.g[0].irq_cells = 1;
    MF_EXPECT_ASSIGN_REFUSED(&s, &b,
                             "manifest: guest 'ping': interrupt 34 is the "
                             "monitor's");
    s.g[0].irqs[0] = 40;
    s.g[1].irqs[0] = 41;
    s.g[1].irqs[1] = 40;
    s.g[1].irq_cells = 2;
    MF_EXPECT_ASSIGN_REFUSED(&s, &b,
                             "manifest: guests 'ping' and 'pong' both claim "
                             "interrupt 40");
}

/* --- Lifecycle policy ------------------------------------------------------
 */

/* Adds string property @name = @str (or the cell @cell) to guest 0. */
static void mf_prop(struct mf_spec *s, const char *name, const char *str,
                    uint32_t cell)
{
    unsigned int p = 0;
    while (s->g[0].props[p].name) {
        p++;
    }
    s->g[0].props[p].name = name;
    s->g[0].props[p].str = str;
    s->g[0].props[p].cell = cell;
}

TEST(manifest, policy_defaults)
{
    struct mf_spec s = mf_spec_default();
    ASSERT_TRUE(mf_parse(&s));
    const struct vm_policy *ping = &mf.guests[0].policy;
    EXPECT_EQ(ping->on_crash, VM_ACTION_STOP);
    EXPECT_EQ(ping->on_shutdown, VM_ACTION_STOP);
    EXPECT_EQ(ping->on_limit, VM_ACTION_STOP);
    /* pong has halt-on-shutdown: every end halts the system. */
    const struct vm_policy *pong = &mf.guests[1].policy;
    EXPECT_EQ(pong->on_crash, VM_ACTION_HALT);
    EXPECT_EQ(pong->on_shutdown, VM_ACTION_HALT);
    EXPECT_EQ(pong->on_limit, VM_ACTION_HALT);
}

TEST(manifest, policy_restart_defaults)
{
    struct mf_spec s = mf_spec_default();
    mf_prop(&s, "on-crash", "restart", 0);
    ASSERT_TRUE(mf_parse(&s));
    const struct vm_policy *p = &mf.guests[0].policy;
    EXPECT_EQ(p->on_crash, VM_ACTION_RESTART);
    EXPECT_EQ(p->on_shutdown, VM_ACTION_STOP);
    EXPECT_EQ(p->on_limit, VM_ACTION_STOP);
    EXPECT_EQ(p->limit, 5u);
    EXPECT_EQ(p->window_ms, 0u);
    EXPECT_EQ(p->delay_ms, 100u);
    EXPECT_EQ(p->delay_max_ms, 10000u);
}

TEST(manifest, policy_read)
{
    struct mf_spec s = mf_spec_default();
    mf_prop(&s, "on-shutdown", "restart", 0);
    mf_prop(&s, "on-crash", "halt-system", 0);
    mf_prop(&s, "on-restart-limit", "halt-system", 0);
    mf_prop(&s, "restart-limit", NULL, 0);
    mf_prop(&s, "restart-window-ms", NULL, 60000);
    mf_prop(&s, "restart-delay-ms", NULL, 0);
    mf_prop(&s, "restart-delay-max-ms", NULL, 400);
    ASSERT_TRUE(mf_parse(&s));
    const struct vm_policy *p = &mf.guests[0].policy;
    EXPECT_EQ(p->on_crash, VM_ACTION_HALT);
    EXPECT_EQ(p->on_shutdown, VM_ACTION_RESTART);
    EXPECT_EQ(p->on_limit, VM_ACTION_HALT);
    EXPECT_EQ(p->limit, 0u); /* no limit */
    EXPECT_EQ(p->window_ms, 60000u);
    EXPECT_EQ(p->delay_ms, 0u);
    EXPECT_EQ(p->delay_max_ms, 400u);
}

TEST(manifest, policy_stop_given)
{
    struct mf_spec s = mf_spec_default();
    s.g[0].halt = 1;
    mf_prop(&s, "on-crash", "stop", 0);
    ASSERT_TRUE(mf_parse(&s));
    EXPECT_EQ(mf.guests[0].policy.on_crash, VM_ACTION_STOP);
    EXPECT_EQ(mf.guests[0].policy.on_shutdown, VM_ACTION_HALT);
}

TEST(manifest, policy_halt_on_shutdown_with_restart_on_crash)
{
    struct mf_spec s = mf_spec_default();
    s.g[0].halt = 1;
    mf_prop(&s, "on-crash", "restart", 0);
    mf_prop(&s, "restart-limit", NULL, 2);
    ASSERT_TRUE(mf_parse(&s));
    const struct vm_policy *p = &mf.guests[0].policy;
    EXPECT_EQ(p->on_crash, VM_ACTION_RESTART);
    EXPECT_EQ(p->on_shutdown, VM_ACTION_HALT);
    EXPECT_EQ(p->on_limit, VM_ACTION_HALT);
    EXPECT_EQ(p->limit, 2u);
}

TEST(manifest, policy_delay_cap_follows_a_longer_delay)
{
    struct mf_spec s = mf_spec_default();
    mf_prop(&s, "on-crash", "restart", 0);
    mf_prop(&s, "restart-delay-ms", NULL, 20000);
    ASSERT_TRUE(mf_parse(&s));
    EXPECT_EQ(mf.guests[0].policy.delay_max_ms, 20000u);
}

/* max-grants bounds a guest's grant references; absent: the whole table. */
TEST(manifest, max_grants)
{
    struct mf_spec s = mf_spec_default();
    mf_prop(&s, "max-grants", NULL, 64);
    ASSERT_TRUE(mf_parse(&s));
    EXPECT_EQ(mf.guests[0].max_grants, 64u);
    EXPECT_EQ(mf.guests[1].max_grants, HV_GRANT_ENTRIES);

    s = mf_spec_default();
    mf_prop(&s, "max-grants", NULL, 0);
    MF_EXPECT_REFUSED(&s, "manifest: node /guests/ping: property 'max-grants' "
                          "must be 1 to 512 (HV_GRANT_ENTRIES");
    s = mf_spec_default();
    mf_prop(&s, "max-grants", NULL, HV_GRANT_ENTRIES + 1);
    MF_EXPECT_REFUSED(&s, "/guests/ping: property 'max-grants' must be 1 to");
    s = mf_spec_default();
    mf_prop(&s, "max-grants", "many", 0);
    MF_EXPECT_REFUSED(&s, "/guests/ping: property 'max-grants'");
}

TEST(manifest, policy_bad_action)
{
    struct mf_spec s = mf_spec_default();
    mf_prop(&s, "on-crash", "reboot", 0);
    MF_EXPECT_REFUSED(&s,
                      "manifest: node /guests/ping: property 'on-crash' must "
                      "be \"stop\", \"restart\" or \"halt-system\"");
    s = mf_spec_default();
    mf_prop(&s, "on-shutdown", "Restart", 0);
    MF_EXPECT_REFUSED(&s, "/guests/ping: property 'on-shutdown' must be");
    s = mf_spec_default();
    mf_prop(&s, "on-crash", NULL, 1);
    MF_EXPECT_REFUSED(&s, "/guests/ping: property 'on-crash'");
}

TEST(manifest, policy_limit_action_cannot_restart)
{
    struct mf_spec s = mf_spec_default();
    mf_prop(&s, "on-crash", "restart", 0);
    mf_prop(&s, "on-restart-limit", "restart", 0);
    MF_EXPECT_REFUSED(&s, "manifest: node /guests/ping: property "
                          "'on-restart-limit' must be \"stop\" or "
                          "\"halt-system\"");
}

TEST(manifest, policy_on_shutdown_with_halt_on_shutdown)
{
    struct mf_spec s = mf_spec_default();
    s.g[0].halt = 1;
    mf_prop(&s, "on-shutdown", "stop", 0);
    MF_EXPECT_REFUSED(&s, "manifest: node /guests/ping: property 'on-shutdown' "
                          "cannot be given with 'halt-on-shutdown'");
}

TEST(manifest, policy_restart_properties_need_a_restart)
{
    static const char *const props[] = {
        "on-restart-limit", "restart-limit",        "restart-window-ms",
        "restart-delay-ms", "restart-delay-max-ms",
    };
    for (unsigned int i = 0; i < sizeof(props) / sizeof(props[0]); i++) {
        struct mf_spec s = mf_spec_default();
        mf_prop(&s, "on-crash", "stop", 0);
        if (i == 0) {
            mf_prop(&s, props[i], "stop", 0);
        } else {
            mf_prop(&s, props[i], NULL, 1);
        }
        MF_EXPECT_REFUSED(&s, "/guests/ping: property '", props[i],
                          "' has no effect: neither 'on-crash' nor "
                          "'on-shutdown' is \"restart\"");
    }
}

TEST(manifest, policy_delays_bounded)
{
    struct mf_spec s = mf_spec_default();
    mf_prop(&s, "on-shutdown", "restart", 0);
    mf_prop(&s, "restart-delay-ms", NULL, 3600001);
    MF_EXPECT_REFUSED(&s,
                      "/guests/ping: property 'restart-delay-ms' must be at "
                      "most 3600000 (1 hour)");

    s = mf_spec_default();
    mf_prop(&s, "on-shutdown", "restart", 0);
    mf_prop(&s, "restart-delay-ms", NULL, 500);
    mf_prop(&s, "restart-delay-max-ms", NULL, 499);
    MF_EXPECT_REFUSED(&s,
                      "/guests/ping: property 'restart-delay-max-ms' must be "
                      "from 'restart-delay-ms' to 3600000 (1 hour)");

    s = mf_spec_default();
    mf_prop(&s, "on-shutdown", "restart", 0);
    mf_prop(&s, "restart-delay-max-ms", NULL, 3600001);
    MF_EXPECT_REFUSED(&s, "property 'restart-delay-max-ms' must be from");

    s = mf_spec_default();
    mf_prop(&s, "on-shutdown", "restart", 0);
    mf_prop(&s, "restart-limit", "ab", 0);
    MF_EXPECT_REFUSED(&s, "property 'restart-limit' is 3 bytes");
}

/* --- may-kill -------------------------------------------------------------
 */

/* Adds "may-kill" to guest @g as the @len bytes of @list. */
static void mf_may_kill(struct mf_spec *s, unsigned int g, const char *list,
                        int len)
{
    unsigned int p = 0;
    while (s->g[g].props[p].name) {
        p++;
    }
    s->g[g].props[p].name = "may-kill";
    s->g[g].props[p].str = list;
    s->g[g].props[p].len = len;
}

/* ping, pong and a third guest, "dd" (id 3). */
static struct mf_spec mf_spec_three(void)
{
    struct mf_spec s = mf_spec_default();
    s.count = 3;
    s.g[2] = mf_guest_default("dd", "img-a", MIB);
    return s;
}

TEST(manifest, may_kill_default_none)
{
    struct mf_spec s = mf_spec_three();
    ASSERT_TRUE(mf_parse(&s));
    for (unsigned int i = 0; i < 3; i++) {
        EXPECT_EQ(mf.guests[i].may_kill, 0u);
    }
}

TEST(manifest, may_kill_read_as_ids)
{
    struct mf_spec s = mf_spec_three();
    static const char list[] = "dd\0pong"; /* ids 3 and 2 */
    mf_may_kill(&s, 0, list, sizeof(list));
    static const char one[] = "ping"; /* a later guest names an earlier */
    mf_may_kill(&s, 2, one, sizeof(one));
    ASSERT_TRUE(mf_parse(&s));
    EXPECT_EQ(mf.guests[0].may_kill, (1u << 2) | (1u << 1));
    EXPECT_EQ(mf.guests[1].may_kill, 0u);
    EXPECT_EQ(mf.guests[2].may_kill, 1u << 0);
}

TEST(manifest, may_kill_refused)
{
    struct mf_spec s = mf_spec_three();
    static const char unknown[] = "dd\0nobody";
    mf_may_kill(&s, 0, unknown, sizeof(unknown));
    MF_EXPECT_REFUSED(&s, "manifest: node /guests/ping: property 'may-kill' "
                          "names \"nobody\", which is not a guest of /guests");

    s = mf_spec_three();
    static const char self[] = "dd\0ping";
    mf_may_kill(&s, 0, self, sizeof(self));
    MF_EXPECT_REFUSED(&s, "manifest: node /guests/ping: property 'may-kill' "
                          "names the guest itself");

    s = mf_spec_three();
    static const char twice[] = "dd\0pong\0dd";
    mf_may_kill(&s, 0, twice, sizeof(twice));
    MF_EXPECT_REFUSED(&s, "property 'may-kill' names \"dd\" twice");

    s = mf_spec_three();
    static const char unterminated[] = {'d', 'd'};
    mf_may_kill(&s, 0, unterminated, sizeof(unterminated));
    MF_EXPECT_REFUSED(&s, "property 'may-kill' must be a list of guest "
                          "names");

    s = mf_spec_three();
    static const char empty_name[] = "dd\0";
    mf_may_kill(&s, 0, empty_name, sizeof(empty_name));
    MF_EXPECT_REFUSED(&s, "property 'may-kill' names \"\", which is not a "
                          "guest");

    /* A cell is no list of names. */
    s = mf_spec_three();
    mf_may_kill(&s, 1, "", 0);
    s.g[1].props[0].len = 0;
    s.g[1].props[0].str = NULL;
    s.g[1].props[0].cell = 1; /* a cell: not strings */
    MF_EXPECT_REFUSED(&s, "/guests/pong: property 'may-kill'");
}

/* --- Devices: consoles (hv,console) ------------------------------------- */

/* A console of pong's UART @uart for ping, as device @i of @s. */
static void mf_console(struct mf_spec *s, unsigned int i, const char *node,
                       const char *uart)
{
    s->d[i] = (struct mf_device){
        .node = node,
        .compatible = "hv,console",
        .frontend = "ping",
        .backend = "pong",
        .device = uart,
    };
    if (s->device_count <= i) {
        s->device_count = i + 1;
    }
}

TEST(manifest, console_device)
{
    struct mf_spec s = mf_spec_three();
    mf_console(&s, 0, "con", "uart1");
    /* A block device whose device string is a UART's name: another
     * namespace (the backend's block devices), so no clash. */
    s.d[1] = (struct mf_device){.node = "disk",
                                .compatible = "hv,block",
                                .frontend = "ping",
                                .backend = "pong",
                                .device = "uart1",
                                .read_only = true,
                                .has_sector = true,
                                .sector = 1024};
    /* Another UART of the same backend, and a UART of the same name in
     * another backend. */
    mf_console(&s, 2, "con2", "uart2");
    mf_console(&s, 3, "con3", "uart1");
    s.d[3].frontend = "pong";
    s.d[3].backend = "dd";
    ASSERT_TRUE(mf_parse(&s));
    EXPECT_STREQ(mf_err, "");
    ASSERT_EQ(mf.device_count, 4u);
    const struct manifest_device *d = &mf.devices[0];
    EXPECT_STREQ(d->name, "con");
    EXPECT_EQ(d->kind, HV_CONN_KIND_CONSOLE);
    EXPECT_EQ(d->frontend, 1u);
    EXPECT_EQ(d->backend, 2u);
    EXPECT_STREQ(d->device, "uart1");
    EXPECT_EQ(d->flags, 0u);
    EXPECT_EQ(d->sector_size, 0u);
    d = &mf.devices[1];
    EXPECT_EQ(d->kind, HV_CONN_KIND_BLOCK);
    EXPECT_EQ(d->flags, HV_CONN_READONLY);
    EXPECT_EQ(d->sector_size, 1024u);
    EXPECT_EQ(mf.devices[2].kind, HV_CONN_KIND_CONSOLE);
    EXPECT_STREQ(mf.devices[2].device, "uart2");
    EXPECT_EQ(mf.devices[3].frontend, 2u);
    EXPECT_EQ(mf.devices[3].backend, 3u);
    EXPECT_EQ(mf.devices[3].sector_size, 0u);
}

TEST(manifest, console_needs_backend_device)
{
    struct mf_spec s = mf_spec_default();
    mf_console(&s, 0, "con", NULL);
    MF_EXPECT_REFUSED(&s, "manifest: node /devices/con: property "
                          "'backend-device' is missing");
    s.d[0].device = "";
    MF_EXPECT_REFUSED(&s, "manifest: node /devices/con: property "
                          "'backend-device' is missing");
    s.d[0].device = "0123456789012345678901234567890123"; /* 34 */
    MF_EXPECT_REFUSED(&s, "manifest: node /devices/con: property "
                          "'backend-device' is 34 characters, at most 31 "
                          "allowed");
    s.d[0].device = "0123456789012345678901234567890"; /* 31: the most */
    EXPECT_TRUE(mf_parse(&s));
}

TEST(manifest, console_needs_two_guests)
{
    struct mf_spec s = mf_spec_default();
    mf_console(&s, 0, "con", "uart1");
    s.d[0].frontend = NULL;
    MF_EXPECT_REFUSED(&s, "manifest: node /devices/con: property 'frontend' "
                          "is missing");
    mf_console(&s, 0, "con", "uart1");
    s.d[0].backend = NULL;
    MF_EXPECT_REFUSED(&s, "manifest: node /devices/con: property 'backend' "
                          "is missing");
    s.d[0].backend = "ping";
    MF_EXPECT_REFUSED(&s, "manifest: node /devices/con: property 'backend' "
                          "names the frontend: a device connects two "
                          "guests");
    s.d[0].backend = "nobody";
    MF_EXPECT_REFUSED(&s, "manifest: node /devices/con: property 'backend' "
                          "names \"nobody\", which is no guest of /guests");
}

TEST(manifest, console_refuses_sector_size)
{
    struct mf_spec s = mf_spec_default();
    mf_console(&s, 0, "con", "uart1");
    s.d[0].has_sector = true;
    s.d[0].sector = 512; /* even the block default */
    EXPECT_FALSE(mf_parse(&s));
    EXPECT_STREQ(mf_err, "manifest: node /devices/con: property "
                         "'sector-size' is a block device property: a "
                         "console (hv,console) takes only 'frontend', "
                         "'backend' and 'backend-device'");
}

TEST(manifest, console_refuses_read_only)
{
    struct mf_spec s = mf_spec_default();
    mf_console(&s, 0, "con", "uart1");
    s.d[0].read_only = true;
    EXPECT_FALSE(mf_parse(&s));
    EXPECT_STREQ(mf_err, "manifest: node /devices/con: property "
                         "'read-only' is a block device property: a "
                         "console (hv,console) takes only 'frontend', "
                         "'backend' and 'backend-device'");
}

TEST(manifest, console_same_uart_twice)
{
    struct mf_spec s = mf_spec_three();
    mf_console(&s, 0, "con0", "uart1");
    mf_console(&s, 1, "con1", "uart2");
    mf_console(&s, 2, "con2", "uart1");
    s.d[2].frontend = "dd"; /* another frontend: the UART is still taken */
    EXPECT_FALSE(mf_parse(&s));
    EXPECT_STREQ(mf_err, "manifest: node /devices/con2: property "
                         "'backend-device' names \"uart1\" of guest 'pong', "
                         "which console /devices/con0 uses already: one "
                         "UART serves one console");
}

TEST(manifest, device_compatible_unknown)
{
    struct mf_spec s = mf_spec_default();
    mf_console(&s, 0, "tty", "uart1");
    s.d[0].compatible = "hv,serial";
    EXPECT_FALSE(mf_parse(&s));
    EXPECT_STREQ(mf_err, "manifest: node /devices/tty: property "
                         "'compatible' must be \"hv,block\", "
                         "\"hv,console\" or \"hv,net\"");
    s.d[0].compatible = NULL;
    EXPECT_FALSE(mf_parse(&s));
    EXPECT_STREQ(mf_err, "manifest: node /devices/tty: property "
                         "'compatible' must be \"hv,block\", "
                         "\"hv,console\" or \"hv,net\"");
    /* Two kinds at once: refused, not taken as whichever comes first;
     * each pair of the three, and all three. */
    static const char *const lists[] = {
        "hv,console\0hv,block", "hv,net\0hv,block", "hv,console\0hv,net",
        "hv,net\0hv,console\0hv,block"};
    static const int lens[] = {
        sizeof("hv,console\0hv,block"), sizeof("hv,net\0hv,block"),
        sizeof("hv,console\0hv,net"), sizeof("hv,net\0hv,console\0hv,block")};
    for (unsigned int i = 0; i < 4; i++) {
        s.d[0].compatible = lists[i];
        s.d[0].compatible_len = lens[i];
        EXPECT_FALSE(mf_parse(&s));
        EXPECT_STREQ(mf_err, "manifest: node /devices/tty: property "
                             "'compatible' names more than one of "
                             "\"hv,block\", \"hv,console\" and \"hv,net\": "
                             "a device is one kind");
    }
    /* A list with one of them and something else is that one. */
    static const char one[] = "acme,tty\0hv,console";
    s.d[0].compatible = one;
    s.d[0].compatible_len = sizeof(one);
    ASSERT_TRUE(mf_parse(&s));
    EXPECT_EQ(mf.devices[0].kind, HV_CONN_KIND_CONSOLE);
}

/* --- Devices: network interfaces (hv,net) -------------------------------- */

static const uint8_t mf_mac1[] = {0x02, 0x00, 0x00, 0x00, 0x01, 0x01};
static const uint8_t mf_mac2[] = {0x52, 0x54, 0x00, 0xab, 0xcd, 0xef};

/* An interface of ping's on pong's network @bridge, MAC @mac (6 bytes),
 * as device @i of @s. */
static void mf_net(struct mf_spec *s, unsigned int i, const char *node,
                   const char *bridge, const uint8_t *mac)
{
    s->d[i] = (struct mf_device){
        .node = node,
        .compatible = "hv,net",
        .frontend = "ping",
        .backend = "pong",
        .device = bridge,
        .mac = mac,
        .mac_len = 6,
    };
    if (s->device_count <= i) {
        s->device_count = i + 1;
    }
}

TEST(manifest, net_device)
{
    struct mf_spec s = mf_spec_three();
    mf_net(&s, 0, "net0", "br0", mf_mac1);
    /* A second interface of the same frontend on the same network, and
     * a third guest's on another network of another backend, named with
     * every kind of character allowed, 15 of them (the most). */
    mf_net(&s, 1, "net1", "br0", mf_mac2);
    static const uint8_t mac3[] = {0xfe, 0xff, 0xff, 0xff, 0xff, 0xfe};
    mf_net(&s, 2, "lan", "Lan-2_b.r9xyzAB", mac3);
    s.d[2].frontend = "dd";
    s.d[2].backend = "ping";
    /* A console on a UART named like the network: another namespace. */
    mf_console(&s, 3, "con", "br0");
    ASSERT_TRUE(mf_parse(&s));
    EXPECT_STREQ(mf_err, "");
    ASSERT_EQ(mf.device_count, 4u);
    const struct manifest_device *d = &mf.devices[0];
    EXPECT_STREQ(d->name, "net0");
    EXPECT_EQ(d->kind, HV_CONN_KIND_NET);
    EXPECT_EQ(d->kind, 3u);
    EXPECT_EQ(d->frontend, 1u);
    EXPECT_EQ(d->backend, 2u);
    EXPECT_STREQ(d->device, "br0");
    EXPECT_EQ(d->flags, 0u);
    EXPECT_EQ(d->sector_size, 0u);
    EXPECT_EQ(memcmp(d->mac, mf_mac1, 6), 0);
    d = &mf.devices[1];
    EXPECT_EQ(d->kind, HV_CONN_KIND_NET);
    EXPECT_STREQ(d->device, "br0");
    EXPECT_EQ(memcmp(d->mac, mf_mac2, 6), 0);
    d = &mf.devices[2];
    EXPECT_EQ(d->frontend, 3u);
    EXPECT_EQ(d->backend, 1u);
    EXPECT_STREQ(d->device, "Lan-2_b.r9xyzAB");
    EXPECT_EQ(memcmp(d->mac, mac3, 6), 0);
    /* Other kinds have no address. */
    static const uint8_t zero[6];
    EXPECT_EQ(mf.devices[3].kind, HV_CONN_KIND_CONSOLE);
    EXPECT_EQ(memcmp(mf.devices[3].mac, zero, 6), 0);

    char text[HV_MANIFEST_MAC_TEXT];
    memset(text, 'x', sizeof(text));
    manifest_mac_text(mf_mac2, text);
    EXPECT_STREQ(text, "52:54:00:ab:cd:ef");
    manifest_mac_text(mac3, text);
    EXPECT_STREQ(text, "fe:ff:ff:ff:ff:fe");
}

TEST(manifest, net_needs_mac_address)
{
    struct mf_spec s = mf_spec_default();
    mf_net(&s, 0, "net", "br0", NULL);
    EXPECT_FALSE(mf_parse(&s));
    EXPECT_STREQ(mf_err, "manifest: node /devices/net: property "
                         "'mac-address' is missing");
}

TEST(manifest, net_mac_address_length)
{
    static const uint8_t seven[] = {2, 0, 0, 0, 1, 1, 1};
    static const char text[] = "02:00:00:00:01:01";
    struct mf_spec s = mf_spec_default();
    mf_net(&s, 0, "net", "br0", seven);
    s.d[0].mac_len = 5;
    EXPECT_FALSE(mf_parse(&s));
    EXPECT_STREQ(mf_err, "manifest: node /devices/net: property "
                         "'mac-address' is 5 bytes, expected 6 (e.g. "
                         "[02 00 00 00 01 01])");
    s.d[0].mac_len = 7;
    EXPECT_FALSE(mf_parse(&s));
    EXPECT_STREQ(mf_err, "manifest: node /devices/net: property "
                         "'mac-address' is 7 bytes, expected 6 (e.g. "
                         "[02 00 00 00 01 01])");
    s.d[0].mac_len = 0; /* mac-address; */
    EXPECT_FALSE(mf_parse(&s));
    EXPECT_CONTAINS(mf_err, "'mac-address' is 0 bytes, expected 6");
    /* The address as a string is not its bytes. */
    s.d[0].mac = (const uint8_t *)text;
    s.d[0].mac_len = sizeof(text);
    EXPECT_FALSE(mf_parse(&s));
    EXPECT_CONTAINS(mf_err, "'mac-address' is 18 bytes, expected 6");
    s.d[0].mac_len = 6;
    EXPECT_TRUE(mf_parse(&s)); /* "02:00:" is unicast and not zero */
}

TEST(manifest, net_mac_address_multicast_or_zero)
{
    static const uint8_t multicast[] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0x01};
    static const uint8_t broadcast[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    static const uint8_t zero[] = {0, 0, 0, 0, 0, 0};
    static const uint8_t odd_later[] = {0x02, 0x01, 0x01, 0x01, 0x01, 0x01};
    struct mf_spec s = mf_spec_default();
    mf_net(&s, 0, "net", "br0", multicast);
    EXPECT_FALSE(mf_parse(&s));
    EXPECT_STREQ(mf_err, "manifest: node /devices/net: property "
                         "'mac-address' is 01:00:5e:00:00:01, a multicast "
                         "address (bit 0 of the first byte set): an "
                         "interface needs a unicast one");
    s.d[0].mac = broadcast;
    EXPECT_FALSE(mf_parse(&s));
    EXPECT_CONTAINS(mf_err, "'mac-address' is ff:ff:ff:ff:ff:ff, a "
                            "multicast address");
    s.d[0].mac = zero;
    EXPECT_FALSE(mf_parse(&s));
    EXPECT_STREQ(mf_err, "manifest: node /devices/net: property "
                         "'mac-address' is 00:00:00:00:00:00, which is no "
                         "interface's address");
    /* Only bit 0 of the first byte says multicast. */
    s.d[0].mac = odd_later;
    EXPECT_TRUE(mf_parse(&s));
}

TEST(manifest, net_same_mac_twice)
{
    struct mf_spec s = mf_spec_three();
    mf_net(&s, 0, "net0", "br0", mf_mac1);
    mf_net(&s, 1, "net1", "br0", mf_mac2);
    /* Another frontend, backend and network: the address still clashes
     * (it would the moment the networks are joined). */
    mf_net(&s, 2, "net2", "br1", mf_mac1);
    s.d[2].frontend = "dd";
    s.d[2].backend = "ping";
    EXPECT_FALSE(mf_parse(&s));
    EXPECT_STREQ(mf_err, "manifest: node /devices/net2: property "
                         "'mac-address' is 02:00:00:00:01:01, which "
                         "/devices/net0 has already: each interface needs "
                         "its own");
}

TEST(manifest, net_backend_device_name)
{
    struct mf_spec s = mf_spec_default();
    mf_net(&s, 0, "net", NULL, mf_mac1);
    EXPECT_FALSE(mf_parse(&s));
    EXPECT_STREQ(mf_err, "manifest: node /devices/net: property "
                         "'backend-device' is missing");
    s.d[0].device = "";
    EXPECT_FALSE(mf_parse(&s));
    EXPECT_STREQ(mf_err, "manifest: node /devices/net: property "
                         "'backend-device' is missing");
    /* 16 characters: one more than a Linux interface name holds. */
    s.d[0].device = "br0123456789abcd";
    EXPECT_FALSE(mf_parse(&s));
    EXPECT_STREQ(mf_err, "manifest: node /devices/net: property "
                         "'backend-device' is 16 characters, at most 15 "
                         "allowed");
    s.d[0].device = "br0123456789abc";
    EXPECT_TRUE(mf_parse(&s));
    s.d[0].device = "br 0";
    EXPECT_FALSE(mf_parse(&s));
    EXPECT_STREQ(mf_err, "manifest: node /devices/net: property "
                         "'backend-device' has ' ' at 2: a network's name "
                         "(a Linux interface name) takes letters, digits, "
                         "'-', '_' and '.' only");
    static const char *const bad[] = {"br/0", "br:0", "eth@1", "br%d",
                                      "a'b",  "x\"",  "~"};
    static const char at[] = {2, 2, 3, 2, 1, 1, 0};
    for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char want[120];
        s.d[0].device = bad[i];
        snprintf(want, sizeof(want),
                 "'backend-device' has '%c' at %d: ", bad[i][(int)at[i]],
                 at[i]);
        EXPECT_FALSE(mf_parse(&s));
        EXPECT_CONTAINS(mf_err, want);
    }
    s.d[0].device = ".";
    EXPECT_FALSE(mf_parse(&s));
    EXPECT_STREQ(mf_err, "manifest: node /devices/net: property "
                         "'backend-device' is \".\", which Linux takes for "
                         "no interface name");
    s.d[0].device = "..";
    EXPECT_FALSE(mf_parse(&s));
    EXPECT_CONTAINS(mf_err, "'backend-device' is \"..\", which Linux takes");
    s.d[0].device = "...";
    EXPECT_TRUE(mf_parse(&s));
    /* Non-ASCII never gets this far. */
    s.d[0].device = "br\xc3\xa9";
    EXPECT_FALSE(mf_parse(&s));
    EXPECT_CONTAINS(mf_err, "not printable ASCII");
}

TEST(manifest, net_refuses_block_properties)
{
    struct mf_spec s = mf_spec_default();
    mf_net(&s, 0, "net", "br0", mf_mac1);
    s.d[0].has_sector = true;
    s.d[0].sector = 512;
    EXPECT_FALSE(mf_parse(&s));
    EXPECT_STREQ(mf_err, "manifest: node /devices/net: property "
                         "'sector-size' is a block device property: a "
                         "network interface (hv,net) takes only "
                         "'frontend', 'backend', 'backend-device' and "
                         "'mac-address'");
    mf_net(&s, 0, "net", "br0", mf_mac1);
    s.d[0].read_only = true;
    EXPECT_FALSE(mf_parse(&s));
    EXPECT_STREQ(mf_err, "manifest: node /devices/net: property "
                         "'read-only' is a block device property: a "
                         "network interface (hv,net) takes only "
                         "'frontend', 'backend', 'backend-device' and "
                         "'mac-address'");
}

TEST(manifest, mac_address_only_on_net)
{
    struct mf_spec s = mf_spec_default();
    mf_console(&s, 0, "con", "uart1");
    s.d[0].mac = mf_mac1;
    s.d[0].mac_len = 6;
    EXPECT_FALSE(mf_parse(&s));
    EXPECT_STREQ(mf_err, "manifest: node /devices/con: property "
                         "'mac-address' is a network interface property: "
                         "a console (hv,console) takes only 'frontend', "
                         "'backend' and 'backend-device'");
    s.d[0].compatible = "hv,block";
    EXPECT_FALSE(mf_parse(&s));
    EXPECT_STREQ(mf_err, "manifest: node /devices/con: property "
                         "'mac-address' is a network interface property: "
                         "a block device (hv,block) takes 'frontend', "
                         "'backend', 'backend-device', 'read-only' and "
                         "'sector-size'");
}

TEST(manifest, net_needs_two_guests)
{
    struct mf_spec s = mf_spec_default();
    mf_net(&s, 0, "net", "br0", mf_mac1);
    s.d[0].backend = NULL;
    EXPECT_FALSE(mf_parse(&s));
    EXPECT_STREQ(mf_err, "manifest: node /devices/net: property 'backend' "
                         "is missing");
    s.d[0].backend = "ping";
    EXPECT_FALSE(mf_parse(&s));
    EXPECT_STREQ(mf_err, "manifest: node /devices/net: property 'backend' "
                         "names the frontend: a device connects two guests");
    mf_net(&s, 0, "net", "br0", mf_mac1);
    s.d[0].frontend = NULL;
    EXPECT_FALSE(mf_parse(&s));
    EXPECT_STREQ(mf_err, "manifest: node /devices/net: property 'frontend' "
                         "is missing");
}
