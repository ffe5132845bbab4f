/* SPDX-License-Identifier: MIT */
/* From the vectors (entry.S) into generic handling. */
#include <arch/cp15.h>

#include "hv/arch.h"
#include "hv/config.h"
#include "hv/console.h"
#include "hv/evtchn.h"
#include "hv/fault.h"
#include "hv/guest.h"
#include "hv/hypercall.h"
#include "hv/irq.h"
#include "hv/sched.h"
#include "arm32.h"
#include "psr.h"

#define FSR_WNR (1u << 11)

/* Short-descriptor fault status: FS[4] is bit 10, FS[3:0] bits 3:0. */
static const char *exception_fsr_text(uint32_t fsr)
{
    switch ((fsr & 0xfu) | ((fsr >> 6) & 0x10u)) {
    case 0x01:
        return "alignment fault";
    case 0x02:
        return "debug event";
    case 0x03:
    case 0x06:
        return "access flag fault";
    case 0x05:
        return "translation fault, section";
    case 0x07:
        return "translation fault, page";
    case 0x09:
    case 0x0b:
        return "domain fault";
    case 0x0d:
        return "permission fault, section";
    case 0x0f:
        return "permission fault, page";
    case 0x08:
        return "synchronous external abort";
    case 0x16:
        return "asynchronous external abort";
    default:
        return "other abort";
    }
}

/*
 * Read-only CP15 registers a guest kernel legitimately reads (Linux's
 * setup_processor and cache code): "MRC p15, 0, Rt, c0, ..." and CLIDR,
 * executed in ARM state, are emulated on the undefined-instruction trap.
 * Everything else stays undefined. ID values come from the real core;
 * MPIDR reads as a uniprocessor (its U bit set), since a guest has one
 * vCPU. Documented in guestabi hv/vcpu.h.
 */
static bool exception_emulate_cp15(struct vm *vm)
{
    uint32_t insn;
    /*
     * Only for the guest kernel: its user programs get what user code
     * gets on the bare core, an undefined instruction (SIGILL in Linux).
     */
    if (vm->mode == VM_MODE_USER || (vm->regs.cpsr & PSR_T) ||
        vm_copy_from_guest(vm, &insn, gva_init(vm->regs.pc), 4) != HV_OK) {
        return false;
    }
    /* MRC p15, opc1, Rt, CRn, CRm, opc2 (any condition but NV): */
    if ((insn & 0x0f100f10u) != 0x0e100f10u || (insn >> 28) == 0xfu) {
        return false;
    }
    uint32_t opc1 = (insn >> 21) & 7u;
    uint32_t crn = (insn >> 16) & 15u;
    uint32_t rt = (insn >> 12) & 15u;
    uint32_t crm = insn & 15u;
    uint32_t opc2 = (insn >> 5) & 7u;
    uint32_t value;

    if (rt > 12) {
        return false; /* sp, lr, pc as destination: not worth it */
    }
    if (!arch_regs_condition_passed(insn >> 28, vm->regs.cpsr)) {
        vm->regs.pc += 4; /* a core may trap before checking: skip it */
        return true;
    }
    if (opc1 == 0 && crn == 0 && crm == 0) {
        switch (opc2) {
        case 0: /* MIDR */
            __asm__ volatile("mrc p15, 0, %0, c0, c0, 0" : "=r"(value));
            break;
        case 1: /* CTR */
            __asm__ volatile("mrc p15, 0, %0, c0, c0, 1" : "=r"(value));
            break;
        case 5: /* MPIDR: one vCPU */
            value = 0x80000000u | (1u << 30);
            break;
        default:
            return false;
        }
    } else if (opc1 == 0 && crn == 0 && crm >= 1 && crm <= 2) {
        /* ID_PFR0 .. ID_ISAR5 (c1 and c2, opc2 0-7) */
        switch ((crm << 3) | opc2) {
#define CP15_ID(crm_, opc2_, name)                                             \
    case ((crm_) << 3) | (opc2_):                                              \
        __asm__ volatile("mrc p15, 0, %0, c0, c" #crm_ ", " #opc2_             \
                         : "=r"(value));                                       \
        break;
            CP15_ID(1, 0, pfr0)
            CP15_ID(1, 1, pfr1)
            CP15_ID(1, 2, dfr0)
            CP15_ID(1, 3, afr0)
            CP15_ID(1, 4, mmfr0)
            CP15_ID(1, 5, mmfr1)
            CP15_ID(1, 6, mmfr2)
            CP15_ID(1, 7, mmfr3)
            CP15_ID(2, 0, isar0)
            CP15_ID(2, 1, isar1)
            CP15_ID(2, 2, isar2)
            CP15_ID(2, 3, isar3)
            CP15_ID(2, 4, isar4)
            CP15_ID(2, 5, isar5)
#undef CP15_ID
        default:
            return false;
        }
    } else if (opc1 == 1 && crn == 0 && crm == 0 && opc2 == 1) {
        __asm__ volatile("mrc p15, 1, %0, c0, c0, 1" : "=r"(value)); /* CLIDR */
    } else {
        return false;
    }
    vm->regs.r[rt] = value;
    vm->regs.pc += 4;
    return true;
}

/* A fault whose address is the instruction's own (or the next one's). */
static struct arch_regs *exception_at_pc(struct vm *vm, const char *kind,
                                         const char *detail, int upcall)
{
    struct fault_info fault = {
        .kind = kind,
        .detail = detail,
        .address = vm->regs.pc,
        .pc = vm->regs.pc,
        .upcall = upcall,
    };
    return fault_guest(vm, &fault);
}

/* The registers to run next, or NULL if only blocked guests are left. */
static struct arch_regs *exception_handle(struct arch_regs *frame,
                                          uint32_t kind)
{
    struct vm *vm = sched_current();

    if (frame != &vm->regs) {
        dlog("PANIC: exception frame %p is not the running guest's",
             (void *)frame);
        arch_halt(HV_HALT_PANIC);
    }
    switch (kind) {
    case EXC_SVC:
        if (vm->mode == VM_MODE_KERNEL) {
            return hypercall_handle(vm);
        }
        /* In virtual user mode an SVC is a system call for the guest
         * kernel, whatever its number: user code never reaches the
         * monitor's hypercalls. */
        return exception_at_pc(vm, "system call in virtual user mode",
                               "no syscall entry registered",
                               HV_UPCALL_SYSCALL);
    case EXC_IRQ:
        /* Before the interrupt is taken: it may be the one whose device
         * the guest has just quieted. */
        evtchn_unmask_shared(vm);
        irq_handle();
        return guest_resume();
    case EXC_DABT_SVC_WINDOW: /* an asynchronous abort before the SVC */
    case EXC_DABT: {
        if (kind == EXC_DABT_SVC_WINDOW) {
            arch_regs_it_before_svc(frame);
        }
        uint32_t fsr = cp15_read_dfsr();
        struct fault_info fault = {
            .kind =
                (fsr & FSR_WNR) ? "data abort on write" : "data abort on read",
            .detail = exception_fsr_text(fsr),
            .address = cp15_read_dfar(),
            .pc = frame->pc,
            .status = fsr,
            .upcall = HV_UPCALL_DATA_ABORT,
        };
        return fault_guest(vm, &fault);
    }
    case EXC_PABT: {
        uint32_t fsr = cp15_read_ifsr();
        struct fault_info fault = {
            .kind = "prefetch abort",
            .detail = exception_fsr_text(fsr),
            .address = cp15_read_ifar(),
            .pc = frame->pc,
            .status = fsr,
            .upcall = HV_UPCALL_PREFETCH_ABORT,
        };
        return fault_guest(vm, &fault);
    }
    case EXC_UNDEF:
        /* The vector left lr (the next instruction) in pc. */
        frame->pc -= (frame->cpsr & PSR_T) ? 2 : 4;
        if (arch_vfp_trap(vm)) {
            return guest_resume(); /* its VFP state is in: run it again */
        }
        if (exception_emulate_cp15(vm)) {
            return guest_resume();
        }
        return exception_at_pc(
            vm, "undefined instruction",
            "includes privileged and coprocessor instructions",
            HV_UPCALL_UNDEFINED);
    default:
        return exception_at_pc(vm, "unexpected exception",
                               kind == EXC_FIQ ? "FIQ" : "reserved vector", -1);
    }
}

/* @next, or if every guest left waits for an event (@next is NULL), the
 * first to be woken: sleep until an interrupt (they stay masked; the GIC
 * is polled) makes one runnable. */
static inline struct arch_regs *exception_next(struct arch_regs *next)
{
    while (!next) {
        arch_wait_for_interrupt();
        irq_handle();
        next = guest_resume();
    }
    return next;
}

struct arch_regs *arch_exception_dispatch(struct arch_regs *frame,
                                          uint32_t kind)
{
    return exception_next(exception_handle(frame, kind));
}

struct arch_regs *arm32_exception_wait(void)
{
    return exception_next(NULL);
}

struct arch_regs *arch_exception_hypercall(struct arch_regs *frame)
{
    struct vm *vm = sched_current();

    if (frame != &vm->regs) {
        dlog("PANIC: hypercall frame %p is not the running guest's",
             (void *)frame);
        arch_halt(HV_HALT_PANIC);
    }
    return exception_next(hypercall_handle(vm));
}

noreturn void arch_exception_monitor_fault(struct arch_regs *frame,
                                           uint32_t kind)
{
    dlog("PANIC: exception %u in the monitor at pc 0x%08x, cpsr 0x%08x, "
         "dfsr 0x%08x dfar 0x%08x ifsr 0x%08x ifar 0x%08x",
         (unsigned)kind, (unsigned)frame->pc, (unsigned)frame->cpsr,
         (unsigned)cp15_read_dfsr(), (unsigned)cp15_read_dfar(),
         (unsigned)cp15_read_ifsr(), (unsigned)cp15_read_ifar());
    arch_halt(HV_HALT_PANIC);
}
