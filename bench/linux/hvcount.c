/* SPDX-License-Identifier: MIT */
/*
 * hvcount: a QEMU TCG plugin (QEMU 7.2, plugin API version 1) that counts
 * what instruction counts under -icount miss: exceptions taken and the
 * CP15 writes a silicon core pays for (DACR, TTBR, CONTEXTIDR, TLB and
 * cache maintenance), so a reader can estimate what a benchmark costs on
 * a Cortex-A8 or A9. scripts/bench-linux loads it into both the native
 * and the PV run.
 *
 *   qemu-system-arm -plugin hvcount.so,out=FILE,vectors=ADDR[,kernel=ADDR]
 *
 *   vectors  the exception vector base the kernel that takes exceptions
 *            uses: 0xffff0000 for native Linux, hv's hv_vectors for PV
 *            (every exception of a PV guest enters the monitor). An
 *            exception is counted when a translation block starting at
 *            one of the seven vectors runs: only an exception gets there.
 *   kernel   CP15 writes are counted only at and above this address
 *            (default 0xc0000000): user code cannot execute them, and its
 *            Thumb-2 instructions are not decoded as ARM ones.
 *   profile  optional FILE: instructions executed per translation block,
 *            by its start address, written at each marker and at exit
 *            as the blocks that ran since the one before:
 *              PMARK <n>        (or PEND)
 *              <address hex> <instructions>
 *            A block that an exception leaves early counts whole; a
 *            block translated twice appears twice (the reader adds).
 *
 * Counters are snapshot each time the marker instruction runs, an ARM-state
 * `orr r12, r12, r12` (0xe18cc00c, which no compiler emits), executed by
 * `hvbench mark LABEL`; the file gets one line per snapshot, in order, and
 * one at exit:
 *   MARK <n> <counter>=<value> ...
 *   END <counter>=<value> ...
 * Counters are cumulative from QEMU's start: the harness subtracts.
 *
 * The plugin API is declared here, not included: Debian ships no
 * qemu-plugin.h. These are the declarations of QEMU 7.2's
 * include/qemu/qemu-plugin.h that the plugin uses (API version 1).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
typedef struct qemu_info_t qemu_info_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS };
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id,
                                               struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index,
                                            void *userdata);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
                                           qemu_plugin_vcpu_tb_trans_cb_t cb);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb,
                                              enum qemu_plugin_op op, void *ptr,
                                              uint64_t imm);
void qemu_plugin_register_vcpu_insn_exec_inline(struct qemu_plugin_insn *insn,
                                                enum qemu_plugin_op op,
                                                void *ptr, uint64_t imm);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn,
                                            qemu_plugin_vcpu_udata_cb_t cb,
                                            enum qemu_plugin_cb_flags flags,
                                            void *userdata);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *
qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
const void *qemu_plugin_insn_data(const struct qemu_plugin_insn *insn);
size_t qemu_plugin_insn_size(const struct qemu_plugin_insn *insn);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id,
                                    qemu_plugin_udata_cb_t cb, void *userdata);

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

#define HVCOUNT_MARKER 0xe18cc00cu

enum hvcount_counter {
    C_INSNS,
    C_EXC, /* all seven vectors */
    C_UND,
    C_SVC,
    C_PABT,
    C_DABT,
    C_IRQ,
    C_FIQ,
    C_DACR,
    C_TTBR, /* TTBR0, TTBR1, TTBCR */
    C_CONTEXTIDR,
    C_TLS,
    C_TLB,
    C_CACHE,   /* cache and branch predictor maintenance */
    C_BARRIER, /* CP15 DSB, DMB, ISB */
    C_OTHER_CP15,
    C_COND_CP15, /* conditional: counted whether or not it executes */
    C_COUNT
};

static const char *const hvcount_names[C_COUNT] = {
    "insns", "exc",   "und",     "svc",        "pabt",       "dabt",
    "irq",   "fiq",   "dacr",    "ttbr",       "contextidr", "tls",
    "tlb",   "cache", "barrier", "other_cp15", "cond_cp15",
};

/* Vector offsets 0x04 .. 0x1c, by index (offset / 4); 0x14 is unused. */
static const int hvcount_vector_counter[8] = {-1,     C_UND, C_SVC, C_PABT,
                                              C_DABT, -1,    C_IRQ, C_FIQ};

static uint64_t hvcount[C_COUNT];
static uint64_t hvcount_vectors = 0xffff0000u;
static uint64_t hvcount_kernel = 0xc0000000u;
static const char *hvcount_out;
static FILE *hvcount_file;
static unsigned long hvcount_marks;

/* profile=: one record per translated block, in a list. */
struct hvcount_block {
    uint64_t vaddr;
    uint64_t insns; /* executed, cumulative (an inline add per run) */
    uint64_t reported;
    struct hvcount_block *next;
};
static FILE *hvcount_profile_file;
static struct hvcount_block *hvcount_blocks;

static void hvcount_profile_dump(const char *head)
{
    if (hvcount_profile_file == NULL) {
        return;
    }
    fprintf(hvcount_profile_file, "%s\n", head);
    for (struct hvcount_block *b = hvcount_blocks; b != NULL; b = b->next) {
        if (b->insns != b->reported) {
            fprintf(hvcount_profile_file, "%llx %llu\n",
                    (unsigned long long)b->vaddr,
                    (unsigned long long)(b->insns - b->reported));
            b->reported = b->insns;
        }
    }
    fflush(hvcount_profile_file);
}

/* The counter an MCR p15 word @w belongs to, or -1 if it is none. */
static int hvcount_mcr_counter(uint32_t w)
{
    if ((w >> 28) == 0xfu || (w & 0x0f100f10u) != 0x0e000f10u) {
        return -1; /* not an MCR to coprocessor 15 */
    }
    if ((w >> 28) != 0xeu) {
        /* The plugin sees it run, not whether its condition passed
         * (native Linux's SCTLR write on syscall entry, usually not). */
        return C_COND_CP15;
    }
    uint32_t crn = (w >> 16) & 15u;
    uint32_t opc1 = (w >> 21) & 7u;
    uint32_t crm = w & 15u;
    uint32_t opc2 = (w >> 5) & 7u;

    if (crn == 3 && opc1 == 0 && crm == 0 && opc2 == 0) {
        return C_DACR;
    }
    if (crn == 2 && opc1 == 0 && crm == 0 && opc2 <= 2) {
        return C_TTBR;
    }
    if (crn == 13 && opc1 == 0 && crm == 0) {
        return opc2 == 1 ? C_CONTEXTIDR : opc2 >= 2 ? C_TLS : C_OTHER_CP15;
    }
    if (crn == 8) {
        return C_TLB;
    }
    if (crn == 7 && opc1 == 0) {
        if ((crm == 10 && (opc2 == 4 || opc2 == 5)) ||
            (crm == 5 && opc2 == 4)) {
            return C_BARRIER;
        }
        if (crm == 1 || crm == 5 || crm == 6 || crm == 10 || crm == 11 ||
            crm == 14) {
            return C_CACHE;
        }
    }
    return C_OTHER_CP15;
}

static void hvcount_line(const char *head)
{
    fputs(head, hvcount_file);
    for (int i = 0; i < C_COUNT; i++) {
        fprintf(hvcount_file, " %s=%llu", hvcount_names[i],
                (unsigned long long)hvcount[i]);
    }
    fputc('\n', hvcount_file);
    fflush(hvcount_file);
}

static void hvcount_mark(unsigned int vcpu, void *userdata)
{
    char head[32];
    (void)vcpu;
    (void)userdata;
    snprintf(head, sizeof(head), "MARK %lu", ++hvcount_marks);
    hvcount_line(head);
    snprintf(head, sizeof(head), "PMARK %lu", hvcount_marks);
    hvcount_profile_dump(head);
}

static void hvcount_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    uint64_t va = qemu_plugin_tb_vaddr(tb);
    size_t n = qemu_plugin_tb_n_insns(tb);
    (void)id;

    qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64,
                                             &hvcount[C_INSNS], n);
    if (hvcount_profile_file != NULL) {
        struct hvcount_block *b = calloc(1, sizeof(*b));
        if (b == NULL) {
            fprintf(stderr, "hvcount: out of memory for the profile\n");
            abort();
        }
        b->vaddr = va;
        b->next = hvcount_blocks;
        hvcount_blocks = b;
        qemu_plugin_register_vcpu_tb_exec_inline(
            tb, QEMU_PLUGIN_INLINE_ADD_U64, &b->insns, n);
    }
    if (va >= hvcount_vectors && va < hvcount_vectors + 0x20 && (va & 3) == 0 &&
        hvcount_vector_counter[(va - hvcount_vectors) / 4] >= 0) {
        int c = hvcount_vector_counter[(va - hvcount_vectors) / 4];
        qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64,
                                                 &hvcount[C_EXC], 1);
        qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64,
                                                 &hvcount[c], 1);
    }
    for (size_t i = 0; i < n; i++) {
        struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
        uint32_t w;
        if (qemu_plugin_insn_size(insn) != 4) {
            continue;
        }
        memcpy(&w, qemu_plugin_insn_data(insn), 4);
        if (w == HVCOUNT_MARKER) {
            qemu_plugin_register_vcpu_insn_exec_cb(
                insn, hvcount_mark, QEMU_PLUGIN_CB_NO_REGS, NULL);
            continue;
        }
        if (qemu_plugin_insn_vaddr(insn) < hvcount_kernel) {
            continue;
        }
        int c = hvcount_mcr_counter(w);
        if (c >= 0) {
            qemu_plugin_register_vcpu_insn_exec_inline(
                insn, QEMU_PLUGIN_INLINE_ADD_U64, &hvcount[c], 1);
        }
    }
}

static void hvcount_exit(qemu_plugin_id_t id, void *userdata)
{
    (void)id;
    (void)userdata;
    hvcount_line("END");
    fclose(hvcount_file);
    hvcount_profile_dump("PEND");
    if (hvcount_profile_file != NULL) {
        fclose(hvcount_profile_file);
    }
}

static int hvcount_arg(const char *arg, const char *key, uint64_t *value)
{
    size_t len = strlen(key);
    char *end;
    if (strncmp(arg, key, len) != 0 || arg[len] != '=') {
        return 0;
    }
    *value = strtoull(arg + len + 1, &end, 0);
    if (end == arg + len + 1 || *end != '\0') {
        fprintf(stderr, "hvcount: %s: not a number\n", arg);
        return -1;
    }
    return 1;
}

__attribute__((visibility("default"))) int
qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc,
                    char **argv)
{
    (void)info;
    for (int i = 0; i < argc; i++) {
        int r;
        if (strncmp(argv[i], "out=", 4) == 0) {
            hvcount_out = argv[i] + 4;
        } else if (strncmp(argv[i], "profile=", 8) == 0) {
            hvcount_profile_file = fopen(argv[i] + 8, "w");
            if (hvcount_profile_file == NULL) {
                perror(argv[i] + 8);
                return -1;
            }
        } else if ((r = hvcount_arg(argv[i], "vectors", &hvcount_vectors)) ||
                   (r = hvcount_arg(argv[i], "kernel", &hvcount_kernel))) {
            if (r < 0) {
                return -1;
            }
        } else {
            fprintf(stderr, "hvcount: unknown argument %s\n", argv[i]);
            return -1;
        }
    }
    if (hvcount_out == NULL) {
        fprintf(stderr, "hvcount: out=FILE is required\n");
        return -1;
    }
    hvcount_file = fopen(hvcount_out, "w");
    if (hvcount_file == NULL) {
        perror(hvcount_out);
        return -1;
    }
    fprintf(hvcount_file, "hvcount 1 vectors=0x%llx kernel=0x%llx\n",
            (unsigned long long)hvcount_vectors,
            (unsigned long long)hvcount_kernel);
    qemu_plugin_register_vcpu_tb_trans_cb(id, hvcount_trans);
    qemu_plugin_register_atexit_cb(id, hvcount_exit, NULL);
    return 0;
}
