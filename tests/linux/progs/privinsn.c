/* SPDX-License-Identifier: MIT */
/*
 * privinsn: privileged instructions and hypercall-looking SVCs from a
 * Linux user process; each check runs in a forked child so a fault only
 * ends that child. One line per check, "privinsn: <check>: OK|FAIL
 * (<what happened>)"; exit status 1 if any check failed.
 *
 * - cpsid i: a no-op in USR mode; CPSR.I must still read 0 and the
 *   process must keep running (syscalls, a short loop).
 * - msr cpsr_c, #0xd3: only the flags are writable in USR mode; the mode
 *   must read back 0x10 (user), I clear and F as it was (hv runs guests
 *   with F set: it uses no FIQ).
 * - svc #0 with r12 = 0..27 (every hypervisor operation number) and
 *   r7 = 0xffff (no such syscall): Linux returns -ENOSYS; the SVC must
 *   never reach the hypervisor (r12 = 4 would be HV_OP_SHUTDOWN).
 *   (r7 = 0xfffff would not do: it is in the ARM private range 0xfxxxx,
 *   above 0xf07ff, where Linux raises SIGILL instead; checked separately.)
 * - svc #0 with r12 = 4 and r7 = getpid: a real syscall, returns the pid.
 * - mrc p15 (SCTLR, MIDR) from USR mode: undefined, SIGILL.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define HV_NOPS 28
#define BAD_NR 0xffff
#define BAD_PRIVATE_NR 0xfffff

static int failures;

static unsigned long read_cpsr(void)
{
    unsigned long v;
    __asm__ volatile("mrs %0, cpsr" : "=r"(v));
    return v;
}

/* svc #0 with the syscall number in r7 and op in r12, r0-r6 zero. */
static long svc_with_r12(unsigned long op, unsigned long nr)
{
    register unsigned long r0 __asm__("r0") = 0;
    register unsigned long r1 __asm__("r1") = 0;
    register unsigned long r2 __asm__("r2") = 0;
    register unsigned long r3 __asm__("r3") = 0;
    register unsigned long r4 __asm__("r4") = 0;
    register unsigned long r5 __asm__("r5") = 0;
    register unsigned long r6 __asm__("r6") = 0;
    register unsigned long r7 __asm__("r7") = nr;
    register unsigned long r12 __asm__("r12") = op;

    __asm__ volatile("svc #0"
                     : "+r"(r0), "+r"(r12)
                     : "r"(r1), "r"(r2), "r"(r3), "r"(r4), "r"(r5), "r"(r6),
                       "r"(r7)
                     : "memory", "cc");
    return (long)r0;
}

/* Busy work and syscalls after an instruction: "keeps running". */
static int still_running(void)
{
    volatile unsigned long x = 0;
    for (unsigned long i = 0; i < 100000; i++)
        x += i;
    return syscall(SYS_getppid) > 0 && x == 100000UL * 99999UL / 2;
}

static int check_cpsid(void)
{
    unsigned long cpsr;
    __asm__ volatile("cpsid i\n\tmrs %0, cpsr" : "=r"(cpsr) : : "memory");
    printf("privinsn: cpsid i: cpsr after 0x%08lx\n", cpsr);
    if (cpsr & 0x80) {
        printf("privinsn: cpsid i: the I bit is set\n");
        return 1;
    }
    if ((cpsr & 0x1f) != 0x10) {
        printf("privinsn: cpsid i: mode 0x%02lx, not user\n", cpsr & 0x1f);
        return 1;
    }
    return still_running() ? 0 : 1;
}

static int check_msr(void)
{
    unsigned long before = read_cpsr(), after;
    __asm__ volatile("msr cpsr_c, #0xd3\n\tmrs %0, cpsr"
                     : "=r"(after)
                     :
                     : "memory", "cc");
    printf("privinsn: msr cpsr_c: cpsr 0x%08lx -> 0x%08lx\n", before, after);
    if ((after & 0x1f) != 0x10 || (after & 0x80) ||
        (after & 0x40) != (before & 0x40)) {
        printf("privinsn: msr cpsr_c: mode/mask bits changed\n");
        return 1;
    }
    return still_running() ? 0 : 1;
}

static int check_mrc_sctlr(void)
{
    unsigned long v;
    __asm__ volatile("mrc p15, 0, %0, c1, c0, 0" : "=r"(v));
    printf("privinsn: mrc SCTLR returned 0x%08lx\n", v);
    return 1;
}

static int check_mrc_midr(void)
{
    unsigned long v;
    __asm__ volatile("mrc p15, 0, %0, c0, c0, 0" : "=r"(v));
    printf("privinsn: mrc MIDR returned 0x%08lx\n", v);
    return 1;
}

static int check_svc_real(void)
{
    long r = svc_with_r12(4, SYS_getpid);
    if (r != (long)getpid()) {
        printf("privinsn: getpid with r12=4 returned %ld, pid is %ld\n", r,
               (long)getpid());
        return 1;
    }
    return 0;
}

static int check_svc_private(void)
{
    long r = svc_with_r12(4, BAD_PRIVATE_NR);
    printf("privinsn: svc r7=0x%x returned %ld\n", BAD_PRIVATE_NR, r);
    return 1;
}

/*
 * Runs fn in a child; want_sig 0: the child must exit 0; otherwise the
 * child must die of that signal.
 */
static void run(const char *name, int (*fn)(void), int want_sig)
{
    int status;
    pid_t pid;

    fflush(stdout);
    pid = fork();
    if (pid < 0) {
        printf("privinsn: %s: FAIL (fork: %s)\n", name, strerror(errno));
        failures++;
        return;
    }
    if (pid == 0) {
        int r = fn();
        fflush(stdout);
        _exit(r);
    }
    if (waitpid(pid, &status, 0) != pid) {
        printf("privinsn: %s: FAIL (waitpid: %s)\n", name, strerror(errno));
        failures++;
        return;
    }
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        if (sig == want_sig) {
            printf("privinsn: %s: OK (%s, as expected)\n", name,
                   strsignal(sig));
        } else {
            printf("privinsn: %s: FAIL (killed by signal %d, %s)\n", name, sig,
                   strsignal(sig));
            failures++;
        }
    } else if (want_sig) {
        printf("privinsn: %s: FAIL (exit status %d, expected %s)\n", name,
               WEXITSTATUS(status), strsignal(want_sig));
        failures++;
    } else if (WEXITSTATUS(status) != 0) {
        printf("privinsn: %s: FAIL (exit status %d)\n", name,
               WEXITSTATUS(status));
        failures++;
    } else {
        printf("privinsn: %s: OK (no fault, still running, user mode)\n", name);
    }
}

static unsigned long svc_op;

static int check_svc_op(void)
{
    long r = svc_with_r12(svc_op, BAD_NR);
    if (r != -ENOSYS) {
        printf("privinsn: svc r12=%lu r7=0x%x returned %ld, expected %d\n",
               svc_op, BAD_NR, r, -ENOSYS);
        return 1;
    }
    return 0;
}

int main(void)
{
    char name[64];

    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("privinsn: running as pid %ld, cpsr 0x%08lx\n", (long)getpid(),
           read_cpsr());
    run("cpsid i is a no-op", check_cpsid, 0);
    run("msr cpsr_c #0xd3 keeps user mode", check_msr, 0);
    for (svc_op = 0; svc_op < HV_NOPS; svc_op++) {
        snprintf(name, sizeof(name), "svc r12=%lu r7=0x%x gives -ENOSYS",
                 svc_op, BAD_NR);
        run(name, check_svc_op, 0);
    }
    run("svc r12=4 r7=getpid is getpid", check_svc_real, 0);
    run("svc r12=4 r7=0xfffff (bad ARM private syscall) gives SIGILL",
        check_svc_private, SIGILL);
    run("mrc p15 SCTLR gives SIGILL", check_mrc_sctlr, SIGILL);
    run("mrc p15 MIDR gives SIGILL", check_mrc_midr, SIGILL);
    printf("privinsn: %s (%d failed)\n", failures ? "FAIL" : "OK", failures);
    return failures ? 1 : 0;
}
