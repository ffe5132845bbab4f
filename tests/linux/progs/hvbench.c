/* SPDX-License-Identifier: MIT */
/*
 * hvbench TEST ITERATIONS: micro-benchmarks of the kernel paths a
 * hypervisor makes expensive. TEST is one of
 *   getppid  a null syscall, syscall(SYS_getppid), in a loop
 *   fork     fork + _exit(0) in the child + waitpid in the parent
 *   pipe     one byte back and forth between two processes over two
 *            pipes; one iteration is a round trip (2 context switches)
 *   faults   one write to each page of anonymous private memory, mapped
 *            256 pages (1 MiB) at a time and unmapped after: one
 *            iteration is one page, its fault allocating a zeroed page
 *   forkexec fork, exec of this program (/proc/self/exe, argument "nop":
 *            it exits 0 at once) in the child, waitpid in the parent
 * Prints one line, timed with clock_gettime(CLOCK_MONOTONIC):
 *   BENCH <name> <iterations> <elapsed_ns> <ns_per_op>
 *
 * hvbench mark LABEL executes the marker instruction once and prints
 *   MARK <label>
 * The marker is `orr r12, r12, r12` in ARM state (0xe18cc00c), which no
 * compiler emits: bench/qemu-plugin/hvcount.c snapshots its counters
 * each time one executes, so scripts/bench-linux can pair each snapshot
 * with the MARK line printed in the same order.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static unsigned long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (unsigned long long)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int bench_getppid(unsigned long n)
{
    for (unsigned long i = 0; i < n; i++)
        syscall(SYS_getppid);
    return 0;
}

static int bench_fork(unsigned long n)
{
    for (unsigned long i = 0; i < n; i++) {
        int status;
        pid_t pid = fork();
        if (pid < 0) {
            perror("hvbench: fork");
            return 1;
        }
        if (pid == 0)
            _exit(0);
        if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
            WEXITSTATUS(status) != 0) {
            fprintf(stderr, "hvbench: fork: bad child status\n");
            return 1;
        }
    }
    return 0;
}

static int bench_pipe(unsigned long n)
{
    int ping[2], pong[2], status;
    char c = 'x';
    pid_t pid;

    if (pipe(ping) || pipe(pong)) {
        perror("hvbench: pipe");
        return 1;
    }
    pid = fork();
    if (pid < 0) {
        perror("hvbench: fork");
        return 1;
    }
    if (pid == 0) {
        close(ping[1]);
        close(pong[0]);
        while (read(ping[0], &c, 1) == 1)
            if (write(pong[1], &c, 1) != 1)
                _exit(1);
        _exit(0);
    }
    close(ping[0]);
    close(pong[1]);
    for (unsigned long i = 0; i < n; i++) {
        if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1) {
            fprintf(stderr, "hvbench: pipe: round trip %lu failed\n", i);
            return 1;
        }
    }
    close(ping[1]);
    waitpid(pid, &status, 0);
    return 0;
}

#define FAULT_CHUNK_PAGES 256u

static int bench_faults(unsigned long n)
{
    long page = sysconf(_SC_PAGESIZE);

    while (n > 0) {
        unsigned long pages = n < FAULT_CHUNK_PAGES ? n : FAULT_CHUNK_PAGES;
        size_t len = pages * (size_t)page;
        volatile char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
                                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
            perror("hvbench: faults: mmap");
            return 1;
        }
        for (unsigned long i = 0; i < pages; i++)
            p[i * (size_t)page] = 1;
        if (munmap((void *)p, len)) {
            perror("hvbench: faults: munmap");
            return 1;
        }
        n -= pages;
    }
    return 0;
}

static char self_path[PATH_MAX];

static int bench_forkexec(unsigned long n)
{
    ssize_t len = readlink("/proc/self/exe", self_path, sizeof(self_path) - 1);
    if (len <= 0) {
        perror("hvbench: forkexec: readlink /proc/self/exe");
        return 1;
    }
    self_path[len] = '\0';
    for (unsigned long i = 0; i < n; i++) {
        int status;
        pid_t pid = fork();
        if (pid < 0) {
            perror("hvbench: forkexec: fork");
            return 1;
        }
        if (pid == 0) {
            execl(self_path, "hvbench", "nop", (char *)NULL);
            _exit(127);
        }
        if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
            WEXITSTATUS(status) != 0) {
            fprintf(stderr, "hvbench: forkexec: bad child status 0x%x\n",
                    status);
            return 1;
        }
    }
    return 0;
}

/* -marm (scripts/initramfs-build): the asm is assembled in ARM state. */
static void mark(const char *label)
{
    __asm__ volatile("orr r12, r12, r12" ::: "r12", "memory");
    printf("MARK %s\n", label);
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*fn)(unsigned long);
    } tests[] = {
        {"getppid", bench_getppid},   {"fork", bench_fork},
        {"pipe", bench_pipe},         {"faults", bench_faults},
        {"forkexec", bench_forkexec},
    };
    unsigned long n;
    unsigned long long t0, t1;

    if (argc == 2 && strcmp(argv[1], "nop") == 0)
        return 0; /* forkexec's child */
    if (argc == 3 && strcmp(argv[1], "mark") == 0) {
        mark(argv[2]);
        return 0;
    }
    if (argc != 3 || (n = strtoul(argv[2], NULL, 0)) == 0) {
        fprintf(stderr, "usage: hvbench "
                        "getppid|fork|pipe|faults|forkexec ITERATIONS\n"
                        "       hvbench mark LABEL\n");
        return 2;
    }
    for (unsigned i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
        if (strcmp(argv[1], tests[i].name) != 0)
            continue;
        t0 = now_ns();
        if (tests[i].fn(n))
            return 1;
        t1 = now_ns();
        printf("BENCH %s %lu %llu %llu\n", tests[i].name, n, t1 - t0,
               (t1 - t0) / n);
        return 0;
    }
    fprintf(stderr, "hvbench: unknown test %s\n", argv[1]);
    return 2;
}
