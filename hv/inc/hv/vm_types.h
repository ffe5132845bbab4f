/* SPDX-License-Identifier: MIT */
/*
 * What a guest is: struct vm (one vCPU each), its manifest entry and its
 * event-channel ports. Types only, below the page tables (pt.h) that
 * take a struct vm; the pool and its operations are vm.h's.
 */
#ifndef HV_VM_TYPES_H
#define HV_VM_TYPES_H

#include <arch/regs.h>
#include <arch/vm.h>

#include "hv/assign.h"
#include "hv/config.h"
#include "hv/console.h"
#include "hv/types.h"
#include <hvabi/hypercall.h>
#include <hvabi/vcpu.h>
#include <hvabi/start_info.h>

enum vm_state {
    VM_FREE = 0, /* slot unused */
    VM_RUNNABLE, /* may be scheduled */
    VM_BLOCKED,  /* waits for an event (HV_OP_BLOCK) */
    VM_STOPPED,  /* shut down or faulted; memory released */
};

/** What the manifest says about one guest. */
struct vm_config {
    char name[HV_VM_NAME_MAX];
    const void *image; /* the image bytes (in the boot package) */
    uint32_t image_size;
    uint32_t mem_size;     /* bytes, multiple of HV_MEM_GRANULE */
    uint32_t base_gva;     /* where memory starts in guest space */
    uint32_t phys_addr;    /* where it must be in RAM; 0: anywhere */
    uint32_t image_offset; /* the image is loaded at base + image_offset */
    const void *dtb;       /* the guest's device tree, or NULL */
    uint32_t dtb_size;
    uint32_t dtb_offset;   /* where it goes in guest memory */
    uint32_t entry_offset; /* entry point = base_gva + entry_offset */
    bool halt_on_shutdown;
    bool console_input; /* gets console input (HV_VIRQ_CONSOLE) */
    uint32_t weight;    /* time slice in HV_TIME_SLICE_UNIT_NS */
    struct assign hw;   /* interrupts and device regions */
    char cmdline[HV_CMDLINE_MAX];
};

/** What one event-channel port of a guest is bound to. */
enum evtchn_kind {
    EVTCHN_FREE = 0,
    EVTCHN_TIMER,       /* port 0: the virtual timer */
    EVTCHN_UNBOUND,     /* open for remote_id to bind */
    EVTCHN_INTERDOMAIN, /* connected to remote_id's remote_port */
    EVTCHN_VIRQ_CONSOLE,
    EVTCHN_IRQ, /* physical interrupt irq */
};

struct evtchn_port {
    uint8_t kind; /* enum evtchn_kind */
    uint8_t remote_id;
    uint8_t remote_port;
    uint16_t irq;
};

/** The virtual mode of a guest vCPU (<hvabi/vcpu.h>). */
enum vm_mode {
    VM_MODE_KERNEL = 0,
    VM_MODE_USER = 1,
};

struct vm {
    /* Saved registers; entry.S stores into them directly. */
    struct arch_regs regs;
    enum vm_state state;
    uint32_t id; /* 1 .. HV_MAX_VMS */
    char name[HV_VM_NAME_MAX];
    paddr_t mem_pa;
    uint32_t mem_size;
    gvaddr_t mem_gva;
    uint32_t image_size;
    uint32_t image_offset;
    bool halt_on_shutdown;
    paddr_t active_l1;    /* the guest's pinned L1 in use */
    uint32_t active_asid; /* its ASID (pt_asid_of), 1 .. 255 */
    enum vm_mode mode;
    paddr_t vcpu_shared; /* struct hv_vcpu_shared, 0 until registered */
    uint32_t callbacks[HV_UPCALL_COUNT];
    uint64_t timer_deadline; /* HV_OP_TIMER_SET, 0 if disarmed */
    uint32_t weight;
    struct evtchn_port ports[HV_EVTCHN_PORTS];
    bool console_input;
    uint32_t irq_count;
    uint32_t irqs[HV_VM_MAX_IRQS];
    uint32_t device_count;
    struct vm_device devices[HV_VM_MAX_DEVICES];
    uint32_t exit_code;
    struct console_line console;
    struct arch_vm arch;
};

#endif /* HV_VM_TYPES_H */
