/* SPDX-License-Identifier: MIT */
/* Build-time sizes of the monitor's static pools. */
#ifndef HV_CONFIG_H
#define HV_CONFIG_H

#ifndef HV_MAX_VMS
#define HV_MAX_VMS 8 /* guests that can exist at once */
#endif

/* Guest memory is allocated in 1 MiB sections. */
#define HV_MEM_GRANULE 0x00100000u
/* Alignment preferred for guest memory of a multiple of this size. */
#define HV_MEM_LARGE_ALIGN 0x00200000u
/* Most RAM the section allocator can track: 1 GiB. */
#define HV_MEM_MAX_GRANULES 1024u

/* Physical interrupts and device regions one guest may be given. */
#define HV_VM_MAX_IRQS 8
#define HV_VM_MAX_DEVICES 4

/* Grants (grant.c): entries of each guest's grant table, and mappings of
 * other guests' frames each guest may hold. */
#define HV_GRANT_ENTRIES 512u
#define HV_GRANT_MAPS 128u

/* Device connections the manifest may name (conn.c): records held for the
 * life of the system. */
#define HV_MAX_CONNS 16u

/* A guest's time slice is its weight (1 .. HV_WEIGHT_MAX) times this. */
#define HV_TIME_SLICE_UNIT_NS 1000000ull
#define HV_WEIGHT_DEFAULT 10u /* 10 ms */
#define HV_WEIGHT_MAX 100u
/* A guest on its turn runs this long before a woken guest may preempt it
 * (sched.c): wake-ups cannot make it thrash. */
#define SCHED_MIN_RUN_NS 2000000ull

/* Where a guest's memory starts in its address space unless the manifest
 * says otherwise. */
#define HV_DEFAULT_GUEST_BASE 0x80000000u

/* Codes the monitor exits QEMU with (semihosting), besides a guest's own. */
#define HV_HALT_GUEST_FAULT 0xf0u /* a halt-on-shutdown guest faulted */
#define HV_HALT_PANIC 0xf1u       /* the monitor hit a bug */
#define HV_HALT_BOOT_ERROR 0xf2u  /* bad image, device tree or manifest */
#define HV_HALT_SELFCHECK 0xf3u   /* the self-check at halt failed */
#define HV_HALT_CHECK 0xf4u       /* an invariant check failed (hv/check.h) */

#endif /* HV_CONFIG_H */
