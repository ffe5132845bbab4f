/* SPDX-License-Identifier: MIT */
/*
 * hvpack: packs the monitor, the board device tree, the guest manifest and
 * the guest images into one bootable image (format in include/hvpkg.h).
 *
 *   hvpack -o IMAGE -m MONITOR.bin -b BOARD.dtb -g MANIFEST.dtb
 *          [-i NAME=FILE]... [--no-check] [--board-by-loader]
 *
 *   hvpack --board-info BOARD.dtb
 *
 * prints what the monitor reads from BOARD.dtb (board_info below).
 *
 * --board-by-loader checks against BOARD.dtb but leaves it out of the
 * package: the boot loader passes the board tree (U-Boot's bootm, from a
 * FIT; loader/hvfit).
 *
 * Unless --no-check is given, both device trees must be well-formed, every
 * image the manifest names must be supplied, and the board must allow
 * every guest its interrupts and device regions (hv/core/assign.c, as at
 * boot), so mistakes are caught on the host rather than at boot. (--no-check
 * exists so tests can build deliberately broken images.)
 */
#include <errno.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hv/assign.h"
#include "hv/board.h"
#include "hvpkg.h"

uint32_t crc32_update(uint32_t crc, const void *data, size_t len);

struct blob {
    char name[HVPKG_NAME_MAX];
    uint32_t type;
    uint8_t *data;
    size_t size;
};

static struct blob blobs[HVPKG_MAX_ENTRIES];
static unsigned int blob_count;

static void die(const char *fmt, const char *a, const char *b)
{
    fprintf(stderr, "hvpack: ");
    fprintf(stderr, fmt, a, b);
    fprintf(stderr, "\n");
    exit(1);
}

static uint8_t *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        die("cannot open %s: %s", path, strerror(errno));
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    if (n < 0 || n > 0x10000000L) {
        die("%s: unreasonable size%s", path, "");
    }
    uint8_t *buf = malloc((size_t)n + 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        die("cannot read %s%s", path, "");
    }
    fclose(f);
    *size = (size_t)n;
    return buf;
}

static void add_blob(const char *name, uint32_t type, const char *path)
{
    if (blob_count == HVPKG_MAX_ENTRIES) {
        die("too many entries (at most %s)%s", "16", "");
    }
    if (strlen(name) == 0 || strlen(name) >= HVPKG_NAME_MAX) {
        die("entry name '%s' must be 1 to 31 characters%s", name, "");
    }
    for (unsigned int i = 0; i < blob_count; i++) {
        if (strcmp(blobs[i].name, name) == 0) {
            die("entry '%s' given twice%s", name, "");
        }
    }
    struct blob *b = &blobs[blob_count++];
    strcpy(b->name, name);
    b->type = type;
    b->data = read_file(path, &b->size);
}

static void check_fdt(const struct blob *b)
{
    int rc = fdt_check_full(b->data, b->size);
    if (rc != 0) {
        die("%s is not a valid device tree: %s", b->name, fdt_strerror(rc));
    }
}

/* Every guest's "image" must be one of the -i entries. */
static void check_manifest(const struct blob *m)
{
    int guests = fdt_subnode_offset(m->data, 0, "guests");
    int node;
    if (guests < 0) {
        die("manifest has no /guests node%s%s", "", "");
    }
    fdt_for_each_subnode (node, m->data, guests) {
        const char *image = fdt_getprop(m->data, node, "image", NULL);
        const char *dtb = fdt_getprop(m->data, node, "device-tree", NULL);
        const char *gname = fdt_get_name(m->data, node, NULL);
        int found = 0;
        if (!image) {
            die("manifest guest '%s' has no 'image' property%s", gname, "");
        }
        for (unsigned int i = 0; i < blob_count; i++) {
            found |= blobs[i].type == HVPKG_TYPE_IMAGE &&
                     strcmp(blobs[i].name, image) == 0;
        }
        if (!found) {
            die("manifest guest '%s' needs image '%s': add -i NAME=FILE", gname,
                image);
        }
        for (unsigned int i = 0; dtb && i < blob_count; i++) {
            if (blobs[i].type == HVPKG_TYPE_IMAGE &&
                strcmp(blobs[i].name, dtb) == 0) {
                dtb = NULL;
            }
        }
        if (dtb) {
            die("manifest guest '%s' needs device tree '%s': add -i "
                "NAME=FILE",
                gname, dtb);
        }
    }
}

/*
 * Device regions and interrupts against the board, with the monitor's own
 * code (hv/core/assign.c), so a manifest the monitor would refuse at boot
 * is refused here first, in the same words.
 */
static void check_assignments(const struct blob *board_blob,
                              const struct blob *m)
{
    static struct board_desc board;
    static struct assign hw[HV_MAX_VMS];
    struct assign_guest guests[HV_MAX_VMS];
    unsigned int count = 0;
    char err[256];
    int node;

    if (!board_parse(board_blob->data, &board, err, sizeof(err))) {
        die("%s%s", err, "");
    }
    fdt_for_each_subnode (node, m->data,
                          fdt_subnode_offset(m->data, 0, "guests")) {
        if (count == HV_MAX_VMS) {
            die("manifest: more than %s guests%s", "8", "");
        }
        if (!assign_parse(m->data, node, &hw[count], err, sizeof(err))) {
            die("%s%s", err, "");
        }
        guests[count].name = fdt_get_name(m->data, node, NULL);
        guests[count].hw = &hw[count];
        count++;
    }
    if (!assign_check(&board, guests, count, err, sizeof(err))) {
        die("%s%s", err, "");
    }
    for (unsigned int i = 0; i < count; i++) {
        if (assign_dma_warning(&guests[i], err, sizeof(err))) {
            fprintf(stderr, "hvpack: %s\n", err);
        }
    }
}

/*
 * hvpack --board-info BOARD.dtb: what the monitor reads from a board tree,
 * one line each (docs/boards.md): RAM, each role's node, driver, reg
 * windows as the CPU addresses them, interrupt and rate, and every RAM,
 * DMA master and monitor-only window.
 */
static int board_info(const char *path)
{
    static struct board_desc board;
    static const char *const kinds[DRIVER_KINDS] = {
        [DRIVER_UART] = "uart",         [DRIVER_IRQCHIP] = "irqchip",
        [DRIVER_TIMER] = "timer",       [DRIVER_CLOCK] = "clock",
        [DRIVER_WATCHDOG] = "watchdog", [DRIVER_OUTER_CACHE] = "outer-cache",
    };
    static const char *const windows[] = {
        [BOARD_WINDOW_RAM] = "ram",
        [BOARD_WINDOW_RAM_ALIAS] = "ram-alias",
        [BOARD_WINDOW_DMA] = "dma-master",
        [BOARD_WINDOW_MONITOR] = "monitor-only",
    };
    char err[256];
    add_blob("board.dtb", HVPKG_TYPE_BOARD_DTB, path);
    check_fdt(&blobs[0]);
    if (!board_parse(blobs[0].data, &board, err, sizeof(err))) {
        die("%s%s", err, "");
    }
    printf("model \"%s\"\n", board.model);
    printf("ram 0x%08x-0x%08x\n", (unsigned)pa_addr(board.ram_base),
           (unsigned)(pa_addr(board.ram_base) + board.ram_size - 1));
    for (uint32_t k = 0; k < DRIVER_KINDS; k++) {
        const struct board_device *d = &board.devices[k];
        if (!d->driver) {
            printf("%s none\n", kinds[k]);
            continue;
        }
        printf("%s %s driver %s", kinds[k], d->node, d->driver->name);
        for (uint32_t r = 0; r < d->reg_count; r++) {
            printf(" %s 0x%08x+0x%x", d->driver->regs[r],
                   (unsigned)pa_addr(d->reg[r].base), (unsigned)d->reg[r].size);
        }
        if (d->driver->flags & DRIVER_IRQ) {
            printf(" irq %u", (unsigned)d->irq);
        }
        if (d->driver->flags & DRIVER_HZ) {
            printf(" hz %u", (unsigned)d->hz);
        }
        if (d->enable) {
            printf(" enable");
        }
        if (d->smc_control) {
            printf(" smc-control 0x%x", (unsigned)d->smc_control);
        }
        printf("\n");
    }
    for (uint32_t i = 0; i < board.window_count; i++) {
        const struct board_window *w = &board.windows[i];
        printf("window %s 0x%08x+0x%x %s\n", windows[w->kind],
               (unsigned)w->base, (unsigned)w->size, w->node);
    }
    return 0;
}

static void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

int main(int argc, char **argv)
{
    const char *out = NULL;
    const char *monitor_path = NULL;
    int check = 1;
    int have_board = 0;
    int have_manifest = 0;
    int board_by_loader = 0;

    if (argc == 3 && strcmp(argv[1], "--board-info") == 0) {
        return board_info(argv[2]);
    }
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(arg, "--no-check") == 0) {
            check = 0;
            continue;
        }
        if (strcmp(arg, "--board-by-loader") == 0) {
            board_by_loader = 1;
            continue;
        }
        if (!val) {
            die("option %s needs a value%s", arg, "");
        }
        i++;
        if (strcmp(arg, "-o") == 0) {
            out = val;
        } else if (strcmp(arg, "-m") == 0) {
            monitor_path = val;
        } else if (strcmp(arg, "-b") == 0) {
            add_blob("board.dtb", HVPKG_TYPE_BOARD_DTB, val);
            have_board = 1;
        } else if (strcmp(arg, "-g") == 0) {
            add_blob("manifest.dtb", HVPKG_TYPE_MANIFEST, val);
            have_manifest = 1;
        } else if (strcmp(arg, "-i") == 0) {
            char name[HVPKG_NAME_MAX + 1];
            const char *eq = strchr(val, '=');
            if (!eq || (size_t)(eq - val) > HVPKG_NAME_MAX) {
                die("-i wants NAME=FILE, got '%s'%s", val, "");
            }
            memcpy(name, val, (size_t)(eq - val));
            name[eq - val] = '\0';
            add_blob(name, HVPKG_TYPE_IMAGE, eq + 1);
        } else {
            die("unknown option %s%s", arg, "");
        }
    }
    if (!out || !monitor_path || !have_board || !have_manifest) {
        die("usage: hvpack -o IMAGE -m MONITOR.bin -b BOARD.dtb -g "
            "MANIFEST.dtb [-i NAME=FILE]... [--no-check] "
            "[--board-by-loader]%s%s",
            "", "");
    }
    if (check) {
        const struct blob *board = NULL;
        const struct blob *manifest = NULL;
        for (unsigned int i = 0; i < blob_count; i++) {
            if (blobs[i].type != HVPKG_TYPE_IMAGE) {
                check_fdt(&blobs[i]);
            }
            if (blobs[i].type == HVPKG_TYPE_MANIFEST) {
                check_manifest(&blobs[i]);
                manifest = &blobs[i];
            }
            if (blobs[i].type == HVPKG_TYPE_BOARD_DTB) {
                board = &blobs[i];
            }
        }
        check_assignments(board, manifest);
    }

    if (board_by_loader) {
        unsigned int kept = 0;
        for (unsigned int i = 0; i < blob_count; i++) {
            if (blobs[i].type != HVPKG_TYPE_BOARD_DTB) {
                blobs[kept++] = blobs[i];
            }
        }
        blob_count = kept;
    }

    size_t monitor_size;
    uint8_t *monitor = read_file(monitor_path, &monitor_size);
    size_t pad = (HVPKG_ALIGN - monitor_size % HVPKG_ALIGN) % HVPKG_ALIGN;

    size_t header_size =
        sizeof(struct hvpkg_header) + blob_count * sizeof(struct hvpkg_entry);
    size_t total = (header_size + 7) & ~(size_t)7;
    uint32_t offsets[HVPKG_MAX_ENTRIES];
    for (unsigned int i = 0; i < blob_count; i++) {
        offsets[i] = (uint32_t)total;
        total = (total + blobs[i].size + 7) & ~(size_t)7;
    }
    uint8_t *pkg = calloc(1, total);
    if (!pkg) {
        die("out of memory%s%s", "", "");
    }
    for (unsigned int i = 0; i < blob_count; i++) {
        uint8_t *e =
            pkg + sizeof(struct hvpkg_header) + i * sizeof(struct hvpkg_entry);
        memcpy(e, blobs[i].name, strlen(blobs[i].name));
        put_le32(e + 32, blobs[i].type);
        put_le32(e + 36, offsets[i]);
        put_le32(e + 40, (uint32_t)blobs[i].size);
        put_le32(e + 44, crc32_update(0, blobs[i].data, blobs[i].size));
        memcpy(pkg + offsets[i], blobs[i].data, blobs[i].size);
    }
    put_le32(pkg + 0, HVPKG_MAGIC);
    put_le32(pkg + 4, HVPKG_VERSION);
    put_le32(pkg + 8, (uint32_t)header_size);
    put_le32(pkg + 12, (uint32_t)total);
    put_le32(pkg + 16, blob_count);
    put_le32(pkg + 20, (uint32_t)monitor_size);
    put_le32(pkg + 24, crc32_update(0, monitor, monitor_size));
    put_le32(pkg + 28, crc32_update(0, pkg, header_size));

    FILE *f = fopen(out, "wb");
    static const uint8_t zeros[HVPKG_ALIGN];
    if (!f || fwrite(monitor, 1, monitor_size, f) != monitor_size ||
        fwrite(zeros, 1, pad, f) != pad || fwrite(pkg, 1, total, f) != total ||
        fclose(f) != 0) {
        die("cannot write %s: %s", out, strerror(errno));
    }
    return 0;
}
