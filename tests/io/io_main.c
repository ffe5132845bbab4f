/* SPDX-License-Identifier: MIT */
/*
 * The runner of the wire-protocol tests (tests/io), the harness of
 * tests/unit/unit.h without the monitor's fake architecture.
 *
 *   hv_io_tests                every test
 *   hv_io_tests --list         their names
 *   hv_io_tests NAME...        tests "suite.name" or whole suites "suite"
 *
 * Tests run in this process one after the other (ctest runs each in a
 * process of its own). Exit status: 0 when every test run passed, 1
 * otherwise, 2 for usage.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

struct io_block {
    struct io_block *next;
    _Alignas(8) unsigned char data[];
};

static struct unit_test *io_head;
static struct unit_test **io_tail = &io_head;
static const struct unit_test *io_running;
static unsigned int io_failures;
static jmp_buf io_abort;
static struct io_block *io_blocks;

void unit_register(struct unit_test *test)
{
    *io_tail = test;
    io_tail = &test->next;
}

static void io_report(const char *file, int line)
{
    io_failures++;
    printf("%s:%d: FAILED in %s.%s: ", file, line,
           io_running ? io_running->suite : "?",
           io_running ? io_running->name : "?");
}

static void io_end_check(bool fatal)
{
    fflush(stdout);
    if (fatal) {
        longjmp(io_abort, 1);
    }
}

void unit_fail(const char *file, int line, bool fatal, const char *fmt, ...)
{
    va_list args;

    io_report(file, line);
    va_start(args, fmt);
    vprintf(fmt, args);
    va_end(args);
    printf("\n");
    io_end_check(fatal);
}

void unit_fail_int(const char *file, int line, bool fatal, const char *expr,
                   long long got, long long want)
{
    io_report(file, line);
    printf("%s\n    left:  %lld (0x%llx)\n    right: %lld (0x%llx)\n", expr,
           got, (unsigned long long)got, want, (unsigned long long)want);
    io_end_check(fatal);
}

void unit_fail_str(const char *file, int line, bool fatal, const char *expr,
                   const char *got, const char *want)
{
    io_report(file, line);
    printf("%s\n    left:  \"%s\"\n    right: \"%s\"\n", expr,
           got ? got : "(null)", want ? want : "(null)");
    io_end_check(fatal);
}

void *unit_alloc(size_t size)
{
    struct io_block *b = calloc(1, sizeof(*b) + size);

    if (!b) {
        fprintf(stderr, "io: out of memory\n");
        abort();
    }
    b->next = io_blocks;
    io_blocks = b;
    return b->data;
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

static bool io_run(const struct unit_test *t)
{
    io_running = t;
    io_failures = 0;
    if (setjmp(io_abort) == 0) {
        t->fn();
    }
    while (io_blocks) {
        struct io_block *b = io_blocks;
        io_blocks = b->next;
        free(b);
    }
    io_running = NULL;
    printf("%s %s.%s\n", io_failures ? "FAIL" : "ok  ", t->suite, t->name);
    fflush(stdout);
    return io_failures == 0;
}

static bool io_matches(const struct unit_test *t, const char *want)
{
    size_t n = strlen(t->suite);

    if (strcmp(want, t->suite) == 0) {
        return true;
    }
    return strncmp(want, t->suite, n) == 0 && want[n] == '.' &&
           strcmp(want + n + 1, t->name) == 0;
}

int main(int argc, char **argv)
{
    unsigned int run = 0;
    unsigned int failed = 0;

    if (argc == 2 && strcmp(argv[1], "--list") == 0) {
        for (const struct unit_test *t = io_head; t; t = t->next) {
            printf("%s.%s\n", t->suite, t->name);
        }
        return 0;
    }
    for (const struct unit_test *t = io_head; t; t = t->next) {
        bool wanted = argc == 1;
        for (int i = 1; i < argc && !wanted; i++) {
            wanted = io_matches(t, argv[i]);
        }
        if (wanted) {
            run++;
            failed += !io_run(t);
        }
    }
    if (run == 0) {
        fprintf(stderr, "hv_io_tests: no test matches\n");
        return 2;
    }
    printf("%u of %u tests passed\n", run - failed, run);
    return failed ? 1 : 0;
}
