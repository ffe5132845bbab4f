/* SPDX-License-Identifier: MIT */
/*
 * kaccess [read|write] [ADDR ...]: touches kernel addresses from user
 * mode, each in a forked child. Every access must fault: the child's
 * SIGSEGV handler prints "kaccess: SIGSEGV at <addr>" and exits 0. An
 * access that succeeds prints FAIL. Exit 0 only if every access faulted.
 *
 * Default addresses: the start of the kernel linear map (0xc0000000), the
 * usual kernel text start (0xc0008000), and for reads the vectors' stubs
 * page (0xffff1000; the vectors page 0xffff0000 itself is user-readable on
 * Linux with kuser helpers), for writes the vectors page (0xffff0000).
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void put_hex(char *p, uintptr_t v)
{
    for (int i = 7; i >= 0; i--) {
        p[i] = "0123456789abcdef"[v & 15];
        v >>= 4;
    }
}

static void on_fault(int sig, siginfo_t *si, void *uc)
{
    char msg[] = "kaccess: SIGSEGV at 0x00000000\n";
    (void)uc;
    if (sig == SIGBUS)
        memcpy(msg + 9, "SIGBUS ", 7);
    put_hex(msg + 22, (uintptr_t)si->si_addr);
    write(1, msg, sizeof(msg) - 1);
    _exit(sig == SIGSEGV ? 0 : 3);
}

static int probe(int do_write, uintptr_t addr)
{
    int status;
    pid_t pid;

    fflush(stdout);
    pid = fork();
    if (pid < 0) {
        perror("kaccess: fork");
        return 1;
    }
    if (pid == 0) {
        struct sigaction sa;
        volatile uint32_t *p = (volatile uint32_t *)addr;

        memset(&sa, 0, sizeof(sa));
        sa.sa_sigaction = on_fault;
        sa.sa_flags = SA_SIGINFO;
        sigaction(SIGSEGV, &sa, NULL);
        sigaction(SIGBUS, &sa, NULL);
        if (do_write) {
            *p = 0x5a5a5a5a;
            printf("kaccess: FAIL write to 0x%08lx succeeded\n",
                   (unsigned long)addr);
        } else {
            uint32_t v = *p;
            printf("kaccess: FAIL read of 0x%08lx succeeded (0x%08lx)\n",
                   (unsigned long)addr, (unsigned long)v);
        }
        fflush(stdout);
        _exit(1);
    }
    if (waitpid(pid, &status, 0) != pid) {
        perror("kaccess: waitpid");
        return 1;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        printf("kaccess: %s 0x%08lx OK (faulted)\n",
               do_write ? "write" : "read", (unsigned long)addr);
        return 0;
    }
    if (WIFSIGNALED(status))
        printf("kaccess: %s 0x%08lx FAIL: child killed by signal %d\n",
               do_write ? "write" : "read", (unsigned long)addr,
               WTERMSIG(status));
    else if (WEXITSTATUS(status) == 3)
        printf("kaccess: %s 0x%08lx FAIL: SIGBUS, not SIGSEGV\n",
               do_write ? "write" : "read", (unsigned long)addr);
    return 1;
}

int main(int argc, char **argv)
{
    static const uintptr_t rd[] = {0xc0000000, 0xc0008000, 0xffff1000};
    static const uintptr_t wr[] = {0xc0000000, 0xc0008000, 0xffff0000};
    int do_write = 0, bad = 0, i = 1;

    if (argc > 1 && (!strcmp(argv[1], "write") || !strcmp(argv[1], "w"))) {
        do_write = 1;
        i = 2;
    } else if (argc > 1 &&
               (!strcmp(argv[1], "read") || !strcmp(argv[1], "r"))) {
        i = 2;
    }
    if (i < argc) {
        for (; i < argc; i++)
            bad |= probe(do_write, (uintptr_t)strtoul(argv[i], NULL, 0));
    } else {
        const uintptr_t *a = do_write ? wr : rd;
        for (unsigned j = 0; j < sizeof(rd) / sizeof(rd[0]); j++)
            bad |= probe(do_write, a[j]);
    }
    printf("kaccess: %s %s\n", do_write ? "write" : "read",
           bad ? "FAIL" : "OK");
    return bad;
}
