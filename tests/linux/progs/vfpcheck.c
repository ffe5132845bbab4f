// SPDX-License-Identifier: MIT
/*
 * vfpcheck [procs] [rounds]: each task's VFP/NEON registers are its own.
 *
 * Forks procs processes (default 3). Each fills d0-d31 and FPSCR with a
 * pattern of its own, then rounds times (default 2000): yields the CPU
 * (other processes run and use VFP), and every 8 rounds also takes a
 * signal whose handler clobbers every register; then checks that all 32
 * registers and FPSCR still hold its pattern. A kernel that does not
 * switch (or restore after a signal) VFP state per task fails this.
 * Prints "vfpcheck: OK" or names the register, process and round.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

static void vfp_fill(uint64_t seed)
{
    uint64_t v[32];
    for (int i = 0; i < 32; i++) {
        v[i] =
            seed * 0x9e3779b97f4a7c15ull + (uint64_t)i * 0x0101010101010101ull;
    }
    const uint64_t *p = v;
    __asm__ volatile(
        ".fpu neon\n\tvldmia %0!, {d0-d15}\n\tvldmia %0!, {d16-d31}"
        : "+r"(p)
        :
        : "memory", "d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8", "d9",
          "d10", "d11", "d12", "d13", "d14", "d15", "d16", "d17", "d18", "d19",
          "d20", "d21", "d22", "d23", "d24", "d25", "d26", "d27", "d28", "d29",
          "d30", "d31");
}

static void vfp_read(uint64_t v[32], uint32_t *fpscr)
{
    uint64_t *p = v;
    __asm__ volatile(
        ".fpu neon\n\tvstmia %0!, {d0-d15}\n\tvstmia %0!, {d16-d31}"
        : "+r"(p)
        :
        : "memory");
    __asm__ volatile("vmrs %0, fpscr" : "=r"(*fpscr));
}

static void on_usr1(int sig)
{
    (void)sig;
    vfp_fill(0xdeadbeefull); /* the handler's own values */
    __asm__ volatile("vmsr fpscr, %0" : : "r"(0x03000000u));
}

static int child(unsigned int id, unsigned int rounds)
{
    uint64_t want[32], got[32];
    uint32_t fpscr_want = (id & 3u) << 22; /* rounding mode: per process */
    uint32_t fpscr;

    signal(SIGUSR1, on_usr1);
    for (int i = 0; i < 32; i++) {
        want[i] = (id + 1) * 0x9e3779b97f4a7c15ull +
                  (uint64_t)i * 0x0101010101010101ull;
    }
    vfp_fill(id + 1);
    __asm__ volatile("vmsr fpscr, %0" : : "r"(fpscr_want));
    for (unsigned int r = 0; r < rounds; r++) {
        sched_yield();
        if (r % 8 == 7) {
            kill(getpid(), SIGUSR1);
        }
        vfp_read(got, &fpscr);
        for (int i = 0; i < 32; i++) {
            if (got[i] != want[i]) {
                printf("vfpcheck: FAIL process %u round %u: d%d = %016llx, "
                       "want %016llx\n",
                       id, r, i, (unsigned long long)got[i],
                       (unsigned long long)want[i]);
                return 1;
            }
        }
        if ((fpscr & 0x00c00000u) != fpscr_want) {
            printf("vfpcheck: FAIL process %u round %u: FPSCR %08x, want "
                   "rounding bits %08x\n",
                   id, r, (unsigned)fpscr, (unsigned)fpscr_want);
            return 1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    unsigned int procs = argc > 1 ? (unsigned int)atoi(argv[1]) : 3;
    unsigned int rounds = argc > 2 ? (unsigned int)atoi(argv[2]) : 2000;
    int failed = 0;

    for (unsigned int i = 0; i < procs; i++) {
        pid_t pid = fork();
        if (pid < 0) {
            perror("vfpcheck: fork");
            return 1;
        }
        if (pid == 0) {
            _exit(child(i, rounds));
        }
    }
    for (unsigned int i = 0; i < procs; i++) {
        int status;
        if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
            failed++;
        }
    }
    if (failed) {
        printf("vfpcheck: FAIL (%d of %u processes)\n", failed, procs);
        return 1;
    }
    printf("vfpcheck: OK (%u processes x %u rounds, signals included)\n", procs,
           rounds);
    return 0;
}
