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

/**
 * What happens when a guest's life ends (manifest on-crash, on-shutdown,
 * on-restart-limit; docs/manifest.md).
 */
enum vm_action {
    VM_ACTION_DEFAULT =
        0,             /* not given: halt with halt-on-shutdown, else stop */
    VM_ACTION_STOP,    /* it stays stopped; the others run on */
    VM_ACTION_RESTART, /* reloaded from its image, after the backoff */
    VM_ACTION_HALT,    /* the whole system halts */
};

/** A guest's lifecycle policy, from its manifest entry. */
struct vm_policy {
    uint8_t on_crash;    /* enum vm_action: a fault, or a non-zero code */
    uint8_t on_shutdown; /* enum vm_action: shutdown with code 0 */
    uint8_t on_limit;    /* enum vm_action but restart: restarts used up */
    uint32_t limit;      /* restarts allowed (per window); 0: no limit */
    uint32_t window_ms;  /* a life this long starts the count over; 0: never */
    uint32_t delay_ms;   /* before the first restart; doubles each time */
    uint32_t delay_max_ms; /* the doubling stops here */
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
    bool halt_on_shutdown; /* policy: on-shutdown (and on-crash) halt */
    bool console_input;    /* gets console input (HV_VIRQ_CONSOLE) */
    uint32_t may_kill;     /* HV_OP_VM_KILL: bit id - 1 per guest it may end */
    uint32_t weight;       /* time slice in HV_TIME_SLICE_UNIT_NS */
    uint32_t max_grants;   /* grant references 0 .. max_grants - 1 */
    struct vm_policy policy;
    struct assign hw; /* interrupts and device regions */
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

/**
 * What a guest keeps across restarts (guest.c's): its count and when its
 * current life began or its next one begins.
 */
struct vm_life {
    uint32_t restarts;   /* restarts so far (in the current window) */
    uint32_t total;      /* restarts since boot (hv_start_info.restarts) */
    uint64_t started_ns; /* when the current life began (clock_now_ns) */
    uint64_t restart_ns; /* stopped, due to restart then; 0: not pending */
};

struct vm {
    /* Saved registers; entry.S stores into them directly. */
    struct arch_regs regs;
    enum vm_state state;
    uint32_t id; /* 1 .. HV_MAX_VMS */
    char name[HV_VM_NAME_MAX];
    /* Its manifest entry (boot's, kept for the life of the system): a
     * restart reloads the guest from it. */
    const struct vm_config *config;
    struct vm_policy policy; /* the manifest's */
    struct vm_life life;
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
    struct hv_vcpu_shared *vcpu_shared_va; /* arch_mm_vcpu_page's */
    uint32_t callbacks[HV_UPCALL_COUNT];
    uint32_t callback_flags; /* HV_CALLBACKS_*, as last set */
    /* callbacks[HV_UPCALL_SYSCALL] with HV_CALLBACKS_REGS_IN_PLACE, else
     * 0: the one word the system call fast path tests. */
    uint32_t syscall_entry_in_place;
    uint64_t timer_deadline; /* HV_OP_TIMER_SET, 0 if disarmed */
    /* Boosted time not yet paid for by a shorter turn (sched.c). */
    uint64_t sched_debt_ns;
    uint32_t weight;
    uint32_t max_grants; /* the manifest's: grants it may hold at once */
    struct evtchn_port ports[HV_EVTCHN_PORTS];
    bool console_input;
    uint32_t may_kill; /* the manifest's: bit id - 1 per guest it may end */
    uint32_t irq_count;
    uint32_t irqs[HV_VM_MAX_IRQS];
    uint32_t device_count;
    struct vm_device devices[HV_VM_MAX_DEVICES];
    uint32_t exit_code;
    struct console_line console;
    struct arch_vm arch;
};

#endif /* HV_VM_TYPES_H */
