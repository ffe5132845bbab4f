/* SPDX-License-Identifier: MIT */
/*
 * The runner of the unit tests.
 *
 *   hv_unit_tests                 every enabled test
 *   hv_unit_tests --list          names of all tests (disabled ones marked)
 *   hv_unit_tests NAME...         tests "suite.name" or whole suites "suite"
 *
 * hv/core keeps its state in statics it never resets (the scheduler's
 * halt code, the vm pool, ...), so when more than one test runs each runs
 * in a child process of its own: a test cannot pass or fail because of
 * what an earlier one left behind. A single named test runs in-process,
 * which is what ctest does and what a debugger wants.
 *
 * Exit status: 0 when every test run passed, 1 otherwise, 2 for usage.
 *
 * Built with UNIT_NO_FAKE_ARCH, it runs tests that need nothing of the
 * monitor (tests/io: the wire-protocol headers alone), with no fake
 * architecture to reset or monitor output to show.
 */
#ifndef UNIT_NO_FAKE_ARCH
#include <arch/fake.h>
#endif
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"

/* What a forked test exits with when it failed and said so. */
#define UNIT_EXIT_FAILED 3

struct unit_block {
    struct unit_block *next;
    _Alignas(8) unsigned char data[];
};

static struct unit_test *unit_head;
static struct unit_test **unit_tail = &unit_head;
static const struct unit_test *unit_running;
static unsigned int unit_failures;
static jmp_buf unit_abort;
static struct unit_block *unit_blocks;

void unit_register(struct unit_test *test)
{
    *unit_tail = test;
    unit_tail = &test->next;
}

static void unit_report(const char *file, int line)
{
    unit_failures++;
    printf("%s:%d: FAILED in %s.%s: ", file, line,
           unit_running ? unit_running->suite : "?",
           unit_running ? unit_running->name : "?");
}

static void unit_end_check(bool fatal)
{
    fflush(stdout);
    if (fatal) {
        longjmp(unit_abort, 1);
    }
}

void unit_fail(const char *file, int line, bool fatal, const char *fmt, ...)
{
    va_list args;

    unit_report(file, line);
    va_start(args, fmt);
    vprintf(fmt, args);
    va_end(args);
    printf("\n");
    unit_end_check(fatal);
}

void unit_fail_int(const char *file, int line, bool fatal, const char *expr,
                   long long got, long long want)
{
    unit_report(file, line);
    printf("%s\n    left:  %lld (0x%llx)\n    right: %lld (0x%llx)\n", expr,
           got, (unsigned long long)got, want, (unsigned long long)want);
    unit_end_check(fatal);
}

void unit_fail_str(const char *file, int line, bool fatal, const char *expr,
                   const char *got, const char *want)
{
    unit_report(file, line);
    printf("%s\n    left:  \"%s\"\n    right: \"%s\"\n", expr,
           got ? got : "(null)", want ? want : "(null)");
    unit_end_check(fatal);
}

void *unit_alloc(size_t size)
{
    struct unit_block *b = calloc(1, sizeof(*b) + size);
    if (!b) {
        fprintf(stderr, "unit: out of memory\n");
        abort();
    }
    b->next = unit_blocks;
    unit_blocks = b;
    return b->data;
}

static void unit_free_all(void)
{
    while (unit_blocks) {
        struct unit_block *b = unit_blocks;
        unit_blocks = b->next;
        free(b);
    }
}

bool unit_contains(const char *haystack, const char *needle)
{
    return haystack && needle && strstr(haystack, needle) != NULL;
}

unsigned int unit_count(const char *haystack, const char *needle)
{
    unsigned int n = 0;
    size_t len = strlen(needle);

    if (len == 0) {
        return 0;
    }
    for (const char *p = strstr(haystack, needle); p;
         p = strstr(p + len, needle)) {
        n++;
    }
    return n;
}

static bool unit_run_here(const struct unit_test *t)
{
    unit_running = t;
    unit_failures = 0;
#ifndef UNIT_NO_FAKE_ARCH
    fake_reset();
#endif
    if (setjmp(unit_abort) == 0) {
        t->fn();
    }
    unit_free_all();
    unit_running = NULL;
#ifndef UNIT_NO_FAKE_ARCH
    if (unit_failures > 0 && fake_output_len() > 0) {
        printf("    captured monitor output:\n%s\n", fake_output());
    }
#endif
    printf("%s %s.%s\n", unit_failures ? "FAIL" : "ok  ", t->suite, t->name);
    fflush(stdout);
    return unit_failures == 0;
}

static bool unit_run_forked(const struct unit_test *t)
{
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        perror("unit: fork");
        return false;
    }
    if (pid == 0) {
        /* exit, not _exit: the leak checker runs at exit. */
        exit(unit_run_here(t) ? 0 : UNIT_EXIT_FAILED);
    }
    int status;
    if (waitpid(pid, &status, 0) < 0) {
        perror("unit: waitpid");
        return false;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        return true;
    }
    /* A failure the child reported itself has its FAIL line already; a
     * sanitizer abort or a crash does not. */
    if (WIFEXITED(status) && WEXITSTATUS(status) != UNIT_EXIT_FAILED) {
        printf("FAIL %s.%s: exit status %d (sanitizer or abort)\n", t->suite,
               t->name, WEXITSTATUS(status));
    } else if (WIFSIGNALED(status)) {
        printf("FAIL %s.%s: killed by signal %d\n", t->suite, t->name,
               WTERMSIG(status));
    }
    return false;
}

static bool unit_matches(const struct unit_test *t, const char *arg)
{
    size_t n = strlen(t->suite);

    if (strcmp(arg, t->suite) == 0) {
        return true;
    }
    return strncmp(arg, t->suite, n) == 0 && arg[n] == '.' &&
           strcmp(arg + n + 1, t->name) == 0;
}

/* A disabled test runs only when named itself, never with its suite. */
static bool unit_wanted(const struct unit_test *t, int argc, char **argv)
{
    if (argc == 1) {
        return !t->disabled;
    }
    for (int i = 1; i < argc; i++) {
        if (unit_matches(t, argv[i]) &&
            (!t->disabled || strcmp(argv[i], t->suite) != 0)) {
            return true;
        }
    }
    return false;
}

int main(int argc, char **argv)
{
    unsigned int run = 0;
    unsigned int failed = 0;

    /* Line by line, so failures and a sanitizer report (stderr) stay in
     * order in the ctest log. */
    setvbuf(stdout, NULL, _IOLBF, 0);

    if (argc == 2 && strcmp(argv[1], "--list") == 0) {
        for (const struct unit_test *t = unit_head; t; t = t->next) {
            printf("%s.%s%s\n", t->suite, t->name,
                   t->disabled ? " (disabled)" : "");
        }
        return 0;
    }
    for (int i = 1; i < argc; i++) {
        bool any = false;
        for (const struct unit_test *t = unit_head; t; t = t->next) {
            any |= unit_matches(t, argv[i]);
        }
        if (!any) {
            fprintf(stderr,
                    "unit: no test or suite named '%s' "
                    "(try --list)\n",
                    argv[i]);
            return 2;
        }
    }

    /* Count first: a lone test runs in-process. */
    const struct unit_test *only = NULL;
    for (const struct unit_test *t = unit_head; t; t = t->next) {
        if (unit_wanted(t, argc, argv)) {
            only = run == 0 ? t : NULL;
            run++;
        }
    }
    if (run == 1) {
        return unit_run_here(only) ? 0 : 1;
    }
    for (const struct unit_test *t = unit_head; t; t = t->next) {
        if (unit_wanted(t, argc, argv)) {
            failed += unit_run_forked(t) ? 0 : 1;
        }
    }
    printf("%u test(s), %u failed\n", run, failed);
    return failed ? 1 : 0;
}
