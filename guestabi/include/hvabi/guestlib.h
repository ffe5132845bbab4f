/* SPDX-License-Identifier: MIT */
/*
 * The small guest library for bare-metal C guests: start-up (lib/start.S),
 * link script (lib/guest.ld) and console helpers. A guest defines
 *     int guest_main(const struct hv_start_info *si);
 * and its return value becomes the guest's exit code.
 */
#ifndef HVABI_GUESTLIB_H
#define HVABI_GUESTLIB_H

#include "guest.h"

#ifdef __cplusplus
extern "C" {
#endif

int guest_main(const struct hv_start_info *si);

/** r2 at entry: the physical address of the guest's device tree, or 0. */
extern uint32_t hv_entry_r2;

/** printf to the guest console; long output goes out in several calls. */
int hv_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** Writes a NUL-terminated string to the console. */
void hv_puts(const char *s);
/**
 * Finds "key=value" in the space-separated @cmdline and copies value to
 * @out (at most @size - 1 characters). Returns 1 if found, else 0.
 */
int hv_cmdline_get(const char *cmdline, const char *key, char *out,
                   unsigned int size);
/**
 * As hv_cmdline_get, parsed with strtoul base 0 (decimal, 0x hex, or octal
 * with a leading 0); 0 if absent, longer than 23 characters or not a
 * number.
 */
int hv_cmdline_get_u32(const char *cmdline, const char *key, uint32_t *value);

#ifdef __cplusplus
}
#endif

#endif /* HVABI_GUESTLIB_H */
