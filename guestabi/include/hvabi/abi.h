/* SPDX-License-Identifier: MIT */
/*
 * hv guest ABI: interface version, calling convention, error codes.
 *
 * This header is self-contained: it needs only <stdint.h>. It compiles as
 * C89, C99 and C++. Guests of any license may include it (MIT).
 *
 * CALLING CONVENTION (ARMv7-A, guest in USR mode, ARM or Thumb state)
 *
 *   trap        SVC (ARM "svc #0", Thumb "svc #0"). The immediate is not
 *               read by the monitor; use 0.
 *   number      r12 holds the hypercall number (HV_OP_*).
 *   arguments   r0, r1, r2, r3 in order; unused argument registers are
 *               ignored.
 *   status      r0 on return: 0 or a positive count on success, a negative
 *               HV_E* code on failure. Never both.
 *   outputs     r1, r2, r3 carry additional results where an operation
 *               documents them; otherwise their values are unspecified.
 *   preserved   r4-r11, r12, sp, lr, pc (the call returns to the
 *               instruction after the SVC) and the CPSR flags.
 *   memory      pointers are guest virtual addresses. A buffer must lie
 *               entirely in memory that this guest may access in the
 *               direction the operation uses (read or write); it must not
 *               wrap past 4 GiB. Otherwise the call fails with HV_EFAULT
 *               and nothing is read or written.
 *   atomicity   a hypercall either completes or fails without side effect,
 *               except HV_OP_SHUTDOWN, which never returns.
 *
 * An unknown hypercall number returns HV_ENOSYS. A guest that is stopped by
 * the monitor (fault, shutdown) never runs again; its memory is freed.
 */
#ifndef HVABI_ABI_H
#define HVABI_ABI_H

#if defined(__KERNEL__) && defined(__linux__)
/* A Linux guest kernel carries these headers verbatim (pvlinux-patches):
 * it has no <stdint.h>, and <linux/types.h> defines the same types. */
#include <linux/types.h>
#else
#include <stdint.h>
#endif

/*
 * Interface version. A guest built against MAJOR.MINOR runs on a monitor
 * that reports the same MAJOR and a MINOR at least as large. Numbers are
 * never reused: an operation, once published, keeps its number and
 * semantics for the lifetime of a MAJOR version.
 */
#define HV_ABI_VERSION_MAJOR 0
#define HV_ABI_VERSION_MINOR 12
#define HV_ABI_VERSION                                                         \
    ((uint32_t)((HV_ABI_VERSION_MAJOR << 16) | HV_ABI_VERSION_MINOR))
#define HV_ABI_VERSION_GET_MAJOR(v) (((uint32_t)(v) >> 16) & 0xffffu)
#define HV_ABI_VERSION_GET_MINOR(v) ((uint32_t)(v)&0xffffu)

/*
 * Error codes, returned negated in r0. The values follow Linux errno
 * numbers where one fits, so a Linux guest can pass them on unchanged.
 */
#define HV_OK 0
#define HV_EPERM 1   /* the guest may not perform this operation */
#define HV_ENOENT 2  /* the named object does not exist */
#define HV_E2BIG 7   /* a length or count is above the documented limit */
#define HV_EAGAIN 11 /* try again later */
#define HV_ENOMEM 12 /* a monitor pool is exhausted */
#define HV_EFAULT 14 /* a buffer is not accessible to the guest */
#define HV_EBUSY 16  /* the object is in use */
#define HV_EINVAL 22 /* an argument is malformed (including misaligned) */
#define HV_ERANGE 34 /* an index is out of range */
#define HV_ENOSYS 38 /* unknown hypercall number */

/* Compile-time layout checks that work in C89, C99, C11 and C++. */
#if defined(__cplusplus) && __cplusplus >= 201103L
#define HV_STATIC_ASSERT(cond, msg) static_assert(cond, #msg)
#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#define HV_STATIC_ASSERT(cond, msg) _Static_assert(cond, #msg)
#else
/* C89: a negative array size fails; msg makes the typedef name unique. */
#define HV_STATIC_ASSERT(cond, msg)                                            \
    typedef char hv_static_assert_##msg[(cond) ? 1 : -1]
#endif

#endif /* HVABI_ABI_H */
