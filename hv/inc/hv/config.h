/* SPDX-License-Identifier: MIT */
/* Build-time sizes of the monitor's static pools. */
#ifndef HV_CONFIG_H
#define HV_CONFIG_H

#ifndef HV_MAX_VMS
#define HV_MAX_VMS 8 /* guests that can exist at once */
#endif

/* Guest memory is allocated in 1 MiB sections. */
#define HV_MEM_GRANULE 0x00100000u
/* Most RAM the section allocator can track: 1 GiB. */
#define HV_MEM_MAX_GRANULES 1024u

/* Physical interrupts and device regions one guest may be given. */
#define HV_VM_MAX_IRQS 8
#define HV_VM_MAX_DEVICES 4

/* Length of one preemption time slice. */
#define HV_TIME_SLICE_NS 10000000ull

/* Where a guest's memory starts in its address space unless the manifest
 * says otherwise. */
#define HV_DEFAULT_GUEST_BASE 0x80000000u

/* Codes the monitor exits QEMU with (semihosting), besides a guest's own. */
#define HV_HALT_GUEST_FAULT 0xf0u /* a halt-on-shutdown guest faulted */
#define HV_HALT_PANIC 0xf1u       /* the monitor hit a bug */
#define HV_HALT_BOOT_ERROR 0xf2u  /* bad image, device tree or manifest */

#endif /* HV_CONFIG_H */
