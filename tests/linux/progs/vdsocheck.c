/* SPDX-License-Identifier: MIT */
/*
 * vdsocheck: clock_gettime and gettimeofday run in the vDSO, on hv's
 * board counter, without a system call, and tell the same time as the
 * kernel. The vDSO's functions are found in its symbol table and called
 * directly (a static glibc never uses the vDSO; a dynamic one, as
 * sysbench's, calls these same functions).
 *  - the process has a vDSO (AT_SYSINFO_EHDR) exporting
 *    __vdso_clock_gettime64 and __vdso_gettimeofday, and its [vvar]
 *    mapping in /proc/self/maps is two pages: hv's counter, then the
 *    data page;
 *  - for CLOCK_MONOTONIC, CLOCK_REALTIME and CLOCK_MONOTONIC_RAW, 2000
 *    times: the vDSO's read, the kernel's (the clock_gettime64 system
 *    call), the vDSO's again are in order;
 *  - a child in seccomp strict mode (only read, write, exit and
 *    sigreturn allowed: any other system call kills it) per clock, and
 *    one for gettimeofday, reads it 1000 times and sees time advance.
 * Prints "vdsocheck: OK" and exits 0, or says what failed and exits 1.
 */
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SECCOMP_MODE_STRICT
#define SECCOMP_MODE_STRICT 1
#endif

struct kernel_timespec64 {
    int64_t tv_sec;
    int64_t tv_nsec;
};

struct kernel_old_timeval {
    int32_t tv_sec;
    int32_t tv_usec;
};

static int (*vdso_clock_gettime64)(clockid_t, struct kernel_timespec64 *);
static int (*vdso_gettimeofday)(struct kernel_old_timeval *, void *);

/*
 * The address of the vDSO's @name, from its dynamic symbol table (the
 * ARM vDSO is linked with a SysV hash table, whose chain count is the
 * number of symbols), or NULL.
 */
static void *vdso_symbol(const Elf32_Ehdr *ehdr, const char *name)
{
    const Elf32_Phdr *ph = (const void *)((const char *)ehdr + ehdr->e_phoff);
    uintptr_t base = 0;
    const Elf32_Dyn *dyn = NULL;
    int have_base = 0;

    for (int i = 0; i < ehdr->e_phnum; i++) {
        if (ph[i].p_type == PT_LOAD && !have_base) {
            base = (uintptr_t)ehdr + ph[i].p_offset - ph[i].p_vaddr;
            have_base = 1;
        } else if (ph[i].p_type == PT_DYNAMIC) {
            dyn = (const void *)((const char *)ehdr + ph[i].p_offset);
        }
    }
    if (!have_base || !dyn) {
        return NULL;
    }
    const Elf32_Sym *symtab = NULL;
    const char *strtab = NULL;
    const Elf32_Word *hash = NULL;
    for (; dyn->d_tag != DT_NULL; dyn++) {
        if (dyn->d_tag == DT_SYMTAB) {
            symtab = (const void *)(base + dyn->d_un.d_ptr);
        } else if (dyn->d_tag == DT_STRTAB) {
            strtab = (const void *)(base + dyn->d_un.d_ptr);
        } else if (dyn->d_tag == DT_HASH) {
            hash = (const void *)(base + dyn->d_un.d_ptr);
        }
    }
    if (!symtab || !strtab || !hash) {
        return NULL;
    }
    for (Elf32_Word i = 0; i < hash[1]; i++) {
        if (symtab[i].st_name != 0 && symtab[i].st_shndx != SHN_UNDEF &&
            ELF32_ST_TYPE(symtab[i].st_info) == STT_FUNC &&
            strcmp(strtab + symtab[i].st_name, name) == 0) {
            return (void *)(base + symtab[i].st_value);
        }
    }
    return NULL;
}

static int64_t vdso_ns(clockid_t clock)
{
    struct kernel_timespec64 ts;
    if (vdso_clock_gettime64(clock, &ts) != 0) {
        return -1;
    }
    return ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t kernel_ns(clockid_t clock)
{
    struct kernel_timespec64 ts;
    if (syscall(SYS_clock_gettime64, clock, &ts) != 0) {
        return -1;
    }
    return ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Pages of the [vvar] mapping (hv's counter and the data page: 2), or 0. */
static unsigned long vvar_pages(void)
{
    char line[256];
    unsigned long start, end, pages = 0;
    FILE *maps = fopen("/proc/self/maps", "r");
    if (!maps) {
        perror("vdsocheck: /proc/self/maps");
        return 0;
    }
    while (fgets(line, sizeof(line), maps)) {
        if (strstr(line, "[vvar]") || strstr(line, "[vdso]")) {
            printf("vdsocheck: %s", line);
        }
        if (strstr(line, "[vvar]") &&
            sscanf(line, "%lx-%lx", &start, &end) == 2) {
            pages = (end - start) / 4096;
        }
    }
    fclose(maps);
    return pages;
}

static int in_order(const char *name, clockid_t clock)
{
    for (int i = 0; i < 2000; i++) {
        int64_t a = vdso_ns(clock), b = kernel_ns(clock), c = vdso_ns(clock);
        if (a < 0 || b < 0 || c < 0 || a > b || b > c) {
            printf("vdsocheck: %s out of order: vDSO %lld, kernel %lld, "
                   "vDSO %lld\n",
                   name, (long long)a, (long long)b, (long long)c);
            return 0;
        }
    }
    return 1;
}

/* In the child, under seccomp strict mode: only write and exit. */
static void say(const char *text)
{
    ssize_t unused = write(1, text, strlen(text));
    (void)unused;
}

/* 1000 reads of @clock (or gettimeofday, for -1): 1 if time advanced. */
static int reads_advance(clockid_t clock)
{
    if (clock == (clockid_t)-1) {
        struct kernel_old_timeval tv0, tv1;
        if (vdso_gettimeofday(&tv0, NULL) != 0) {
            return 0;
        }
        for (int i = 0; i < 1000; i++) {
            if (vdso_gettimeofday(&tv1, NULL) != 0) {
                return 0;
            }
        }
        return tv1.tv_sec > tv0.tv_sec ||
               (tv1.tv_sec == tv0.tv_sec && tv1.tv_usec > tv0.tv_usec);
    }
    int64_t first = vdso_ns(clock), last = first;
    int ok = first >= 0;
    for (int i = 0; i < 1000; i++) {
        int64_t t = vdso_ns(clock);
        ok &= t >= last;
        last = t;
    }
    return ok && last > first;
}

/* A child reads @clock in seccomp strict mode: 1 if it lived and saw
 * the time advance. */
static int strict_reads(const char *name, clockid_t clock)
{
    int status;

    fflush(stdout);
    pid_t child = fork();
    if (child < 0) {
        perror("vdsocheck: fork");
        return 0;
    }
    if (child == 0) {
        if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT) != 0) {
            say("vdsocheck: PR_SET_SECCOMP failed\n");
            syscall(SYS_exit, 2);
        }
        syscall(SYS_exit, reads_advance(clock) ? 0 : 3);
    }
    if (waitpid(child, &status, 0) != child) {
        perror("vdsocheck: waitpid");
        return 0;
    }
    if (WIFSIGNALED(status)) {
        printf("vdsocheck: %s in seccomp strict mode: killed by signal %d, "
               "so it made a system call\n",
               name, WTERMSIG(status));
        return 0;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        printf("vdsocheck: %s in seccomp strict mode: exit status %d (3: "
               "the time did not advance)\n",
               name, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        return 0;
    }
    printf("vdsocheck: %s: 1000 reads without a system call\n", name);
    return 1;
}

int main(void)
{
    const Elf32_Ehdr *vdso = (const void *)getauxval(AT_SYSINFO_EHDR);
    if (!vdso) {
        printf("vdsocheck: the process has no vDSO\n");
        return 1;
    }
    vdso_clock_gettime64 = vdso_symbol(vdso, "__vdso_clock_gettime64");
    vdso_gettimeofday = vdso_symbol(vdso, "__vdso_gettimeofday");
    if (!vdso_clock_gettime64 || !vdso_gettimeofday) {
        printf("vdsocheck: the vDSO exports no %s\n",
               vdso_clock_gettime64 ? "__vdso_gettimeofday"
                                    : "__vdso_clock_gettime64");
        return 1;
    }
    unsigned long pages = vvar_pages();
    if (pages != 2) {
        printf("vdsocheck: [vvar] has %lu pages, not 2 (hv's counter and "
               "the data page)\n",
               pages);
        return 1;
    }
    if (!in_order("CLOCK_MONOTONIC", CLOCK_MONOTONIC) ||
        !in_order("CLOCK_REALTIME", CLOCK_REALTIME) ||
        !in_order("CLOCK_MONOTONIC_RAW", CLOCK_MONOTONIC_RAW)) {
        return 1;
    }
    int ok = strict_reads("CLOCK_MONOTONIC", CLOCK_MONOTONIC);
    ok &= strict_reads("CLOCK_REALTIME", CLOCK_REALTIME);
    ok &= strict_reads("CLOCK_MONOTONIC_RAW", CLOCK_MONOTONIC_RAW);
    ok &= strict_reads("gettimeofday", (clockid_t)-1);
    if (!ok) {
        return 1;
    }
    printf("vdsocheck: OK\n");
    return 0;
}
