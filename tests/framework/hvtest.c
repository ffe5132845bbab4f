/* SPDX-License-Identifier: MIT */
/* The in-guest half of hvtest: find the named test, run it, report. */
#include "hvtest.h"

#include <setjmp.h>
#include <string.h>

extern const struct hvtest __start_hvtest_list[];
extern const struct hvtest __stop_hvtest_list[];

/* Guests define their non-test behaviour (roles) here; 0 if none. */
int hvtest_role(const struct hv_start_info *si, const char *role);

static const struct hv_start_info *hvtest_si;
static const struct hvtest *hvtest_current;
static int hvtest_failed;
static jmp_buf hvtest_abort;

static const char *const hvtest_names[] = {"SUCCESS", "FAILURE", "ERROR",
                                           "SKIP"};

const struct hv_start_info *hvtest_start_info(void)
{
    return hvtest_si;
}

static __attribute__((noreturn)) void hvtest_finish(enum hvtest_result r)
{
    hv_printf("hvtest: %s.%s: %s\n", hvtest_current->suite,
              hvtest_current->name, hvtest_names[r]);
    hv_shutdown((uint32_t)r);
}

void hvtest_fail(const char *file, int line, const char *what, uint32_t got,
                 uint32_t want, int fatal)
{
    hv_printf("hvtest: FAIL %s:%d: %s: got 0x%08lx (%ld), want 0x%08lx "
              "(%ld)\n",
              file, line, what, (unsigned long)got, (long)(int32_t)got,
              (unsigned long)want, (long)(int32_t)want);
    hvtest_failed = 1;
    if (fatal) {
        longjmp(hvtest_abort, 1);
    }
}

void hvtest_skip(const char *reason)
{
    hv_printf("hvtest: skip: %s\n", reason);
    hvtest_finish(HVTEST_SKIP);
}

void hvtest_error(const char *reason)
{
    hv_printf("hvtest: error: %s\n", reason);
    hvtest_finish(HVTEST_ERROR);
}

static const struct hvtest *hvtest_find(const char *full)
{
    for (const struct hvtest *t = __start_hvtest_list; t < __stop_hvtest_list;
         t++) {
        size_t slen = strlen(t->suite);
        if (strncmp(full, t->suite, slen) == 0 && full[slen] == '.' &&
            strcmp(full + slen + 1, t->name) == 0) {
            return t;
        }
    }
    return NULL;
}

int guest_main(const struct hv_start_info *si)
{
    char arg[64];

    hvtest_si = si;
    if (si->magic != HV_START_INFO_MAGIC) {
        hv_puts("hvtest: error: bad start-info magic\n");
        return HVTEST_ERROR;
    }
    if (hv_cmdline_get(si->cmdline, "role", arg, sizeof(arg))) {
        return hvtest_role(si, arg);
    }
    if (hv_cmdline_get(si->cmdline, "list", arg, sizeof(arg))) {
        for (const struct hvtest *t = __start_hvtest_list;
             t < __stop_hvtest_list; t++) {
            hv_printf("hvtest: test %s.%s\n", t->suite, t->name);
        }
        return HVTEST_SUCCESS;
    }
    if (!hv_cmdline_get(si->cmdline, "test", arg, sizeof(arg))) {
        hv_puts("hvtest: error: no test=suite.name or role= given\n");
        return HVTEST_ERROR;
    }
    hvtest_current = hvtest_find(arg);
    if (!hvtest_current) {
        static const struct hvtest unknown = {"unknown", "test", 0};
        hvtest_current = &unknown;
        hv_printf("hvtest: error: no test named '%s' in this image\n", arg);
        hvtest_finish(HVTEST_ERROR);
    }
    hv_printf("hvtest: running %s.%s\n", hvtest_current->suite,
              hvtest_current->name);
    if (setjmp(hvtest_abort) == 0) {
        hvtest_current->fn();
    }
    hvtest_finish(hvtest_failed ? HVTEST_FAILURE : HVTEST_SUCCESS);
}
