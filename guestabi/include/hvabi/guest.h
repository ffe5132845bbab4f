/* SPDX-License-Identifier: MIT */
/*
 * Inline hypercall wrappers for guests written in C (ARM or Thumb).
 *
 * Each wrapper is one SVC following <hvabi/abi.h>. On a non-ARM compiler the
 * wrappers are left out, so the rest of the ABI can still be included by
 * host tools.
 */
#ifndef HVABI_GUEST_H
#define HVABI_GUEST_H

#include "hypercall.h"
#include "start_info.h"
#include "vcpu.h"

#if defined(__arm__)

#if defined(__cplusplus)
#define HV_INLINE inline
#else
#define HV_INLINE __inline__
#endif

/* The single call primitive: every wrapper below goes through it. */
static HV_INLINE int32_t hv_call(uint32_t op, uint32_t a0, uint32_t a1,
                                 uint32_t a2, uint32_t a3, uint32_t *out1,
                                 uint32_t *out2, uint32_t *out3)
{
    register uint32_t r0 __asm__("r0") = a0;
    register uint32_t r1 __asm__("r1") = a1;
    register uint32_t r2 __asm__("r2") = a2;
    register uint32_t r3 __asm__("r3") = a3;
    register uint32_t r12 __asm__("r12") = op;
    __asm__ __volatile__("svc #0"
                         : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)
                         : "r"(r12)
                         : "memory", "cc");
    if (out1) {
        *out1 = r1;
    }
    if (out2) {
        *out2 = r2;
    }
    if (out3) {
        *out3 = r3;
    }
    return (int32_t)r0;
}

static HV_INLINE uint32_t hv_version(void)
{
    return (uint32_t)hv_call(HV_OP_VERSION, 0, 0, 0, 0, 0, 0, 0);
}

static HV_INLINE int32_t hv_features(uint32_t index, uint32_t *bitmap)
{
    return hv_call(HV_OP_FEATURES, index, 0, 0, 0, bitmap, 0, 0);
}

static HV_INLINE int32_t hv_console_write(const void *buf, uint32_t len)
{
    return hv_call(HV_OP_CONSOLE_WRITE, (uint32_t)(uintptr_t)buf, len, 0, 0, 0,
                   0, 0);
}

static HV_INLINE int32_t hv_yield(void)
{
    return hv_call(HV_OP_YIELD, 0, 0, 0, 0, 0, 0, 0);
}

static HV_INLINE __attribute__((noreturn)) void hv_shutdown(uint32_t code)
{
    hv_call(HV_OP_SHUTDOWN, code, 0, 0, 0, 0, 0, 0);
    for (;;) {
        /* HV_OP_SHUTDOWN does not return. */
    }
}

static HV_INLINE uint64_t hv_clock_read(void)
{
    uint32_t lo = 0;
    uint32_t hi = 0;
    hv_call(HV_OP_CLOCK_READ, 0, 0, 0, 0, &lo, &hi, 0);
    return ((uint64_t)hi << 32) | lo;
}

static HV_INLINE int32_t hv_vm_info(struct hv_vm_info *info)
{
    return hv_call(HV_OP_VM_INFO, (uint32_t)(uintptr_t)info, 0, 0, 0, 0, 0, 0);
}

static HV_INLINE int32_t hv_vm_kill(uint32_t id, uint32_t how)
{
    return hv_call(HV_OP_VM_KILL, id, how, 0, 0, 0, 0, 0);
}

static HV_INLINE int32_t hv_mmu_pin(uint32_t pa, uint32_t level)
{
    return hv_call(HV_OP_MMU_PIN, pa, level, 0, 0, 0, 0, 0);
}

/* Since 0.8 (HV_FEAT_PIN_ZERO): the first zero_bytes are written 0. */
static HV_INLINE int32_t hv_mmu_pin_zeroed(uint32_t pa, uint32_t level,
                                           uint32_t zero_bytes)
{
    return hv_call(HV_OP_MMU_PIN, pa, level, zero_bytes, 0, 0, 0, 0);
}

static HV_INLINE int32_t hv_mmu_unpin(uint32_t pa)
{
    return hv_call(HV_OP_MMU_UNPIN, pa, 0, 0, 0, 0, 0, 0);
}

static HV_INLINE int32_t hv_mmu_update(const struct hv_mmu_update *reqs,
                                       uint32_t count, uint32_t *done)
{
    return hv_call(HV_OP_MMU_UPDATE, (uint32_t)(uintptr_t)reqs, count, 0, 0,
                   done, 0, 0);
}

static HV_INLINE int32_t hv_mmu_switch(uint32_t l1_pa)
{
    return hv_call(HV_OP_MMU_SWITCH, l1_pa, 0, 0, 0, 0, 0, 0);
}

static HV_INLINE int32_t hv_mmu_tlb(uint32_t op, uint32_t va)
{
    return hv_call(HV_OP_MMU_TLB, op, va, 0, 0, 0, 0, 0);
}

/* HV_TLB_FLUSH_VA in the address space of another pinned L1. */
static HV_INLINE int32_t hv_mmu_tlb_in(uint32_t va, uint32_t l1_pa)
{
    return hv_call(HV_OP_MMU_TLB, HV_TLB_FLUSH_VA, va, l1_pa, 0, 0, 0, 0);
}

/* Since 0.8: every entry of one address space (0: the active one). */
static HV_INLINE int32_t hv_mmu_tlb_mm(uint32_t l1_pa)
{
    return hv_call(HV_OP_MMU_TLB, HV_TLB_FLUSH_MM, 0, l1_pa, 0, 0, 0, 0);
}

static HV_INLINE int32_t hv_vcpu_register(uint32_t shared_pa)
{
    return hv_call(HV_OP_VCPU_REGISTER, shared_pa, 0, 0, 0, 0, 0, 0);
}

static HV_INLINE int32_t hv_vcpu_callbacks(const struct hv_callbacks *cb)
{
    return hv_call(HV_OP_VCPU_CALLBACKS, (uint32_t)(uintptr_t)cb, 0, 0, 0, 0, 0,
                   0);
}

/* Returns only on error. With HV_CALLBACKS_REGS_IN_PLACE, r1-r11 are
 * whatever the compiler left in them: use hv_iret_regs. */
static HV_INLINE int32_t hv_iret(const struct hv_frame *frame)
{
    return hv_call(HV_OP_IRET, (uint32_t)(uintptr_t)frame, 0, 0, 0, 0, 0, 0);
}

/*
 * HV_OP_IRET that restores the whole frame with or without
 * HV_CALLBACKS_REGS_IN_PLACE: r1-r11 are loaded from the frame before the
 * call (so the frame must be readable here). Returns only on error, with
 * r4-r11 as they were.
 */
static HV_INLINE int32_t hv_iret_regs(const struct hv_frame *frame)
{
    register uint32_t r0 __asm__("r0") = (uint32_t)(uintptr_t)frame;
    register uint32_t r12 __asm__("r12") = HV_OP_IRET;
    __asm__ __volatile__("push {r4-r11}\n\t"
                         "add r1, r0, #4\n\t"
                         "ldmia r1, {r1-r11}\n\t"
                         "svc #0\n\t"
                         "pop {r4-r11}"
                         : "+r"(r0)
                         : "r"(r12)
                         : "r1", "r2", "r3", "memory", "cc");
    return (int32_t)r0;
}

static HV_INLINE int32_t hv_events_check(void)
{
    return hv_call(HV_OP_EVENTS_CHECK, 0, 0, 0, 0, 0, 0, 0);
}

static HV_INLINE int32_t hv_timer_set(uint64_t deadline_ns)
{
    return hv_call(HV_OP_TIMER_SET, (uint32_t)deadline_ns,
                   (uint32_t)(deadline_ns >> 32), 0, 0, 0, 0, 0);
}

static HV_INLINE int32_t hv_cache(uint32_t op, uint32_t va, uint32_t len)
{
    return hv_call(HV_OP_CACHE, op, va, len, 0, 0, 0, 0);
}

static HV_INLINE int32_t hv_block(void)
{
    return hv_call(HV_OP_BLOCK, 0, 0, 0, 0, 0, 0, 0);
}

static HV_INLINE int32_t hv_evtchn_alloc_unbound(uint32_t remote)
{
    return hv_call(HV_OP_EVTCHN_ALLOC_UNBOUND, remote, 0, 0, 0, 0, 0, 0);
}

static HV_INLINE int32_t hv_evtchn_bind_interdomain(uint32_t remote,
                                                    uint32_t port)
{
    return hv_call(HV_OP_EVTCHN_BIND_INTERDOMAIN, remote, port, 0, 0, 0, 0, 0);
}

static HV_INLINE int32_t hv_evtchn_send(uint32_t port)
{
    return hv_call(HV_OP_EVTCHN_SEND, port, 0, 0, 0, 0, 0, 0);
}

static HV_INLINE int32_t hv_evtchn_close(uint32_t port)
{
    return hv_call(HV_OP_EVTCHN_CLOSE, port, 0, 0, 0, 0, 0, 0);
}

static HV_INLINE int32_t hv_evtchn_bind_virq(uint32_t virq)
{
    return hv_call(HV_OP_EVTCHN_BIND_VIRQ, virq, 0, 0, 0, 0, 0, 0);
}

static HV_INLINE int32_t hv_evtchn_bind_irq(uint32_t irq)
{
    return hv_call(HV_OP_EVTCHN_BIND_IRQ, irq, 0, 0, 0, 0, 0, 0);
}

static HV_INLINE int32_t hv_evtchn_unmask(uint32_t port)
{
    return hv_call(HV_OP_EVTCHN_UNMASK, port, 0, 0, 0, 0, 0, 0);
}

static HV_INLINE int32_t hv_console_read(void *buf, uint32_t size)
{
    return hv_call(HV_OP_CONSOLE_READ, (uint32_t)(uintptr_t)buf, size, 0, 0, 0,
                   0, 0);
}

/*
 * The guest clock in nanoseconds, without a trap (<hvabi/vcpu.h>, TIME):
 * @shared is the registered page, @counter the mapped counter register.
 */
static HV_INLINE uint64_t
hv_time_ns(const volatile struct hv_vcpu_shared *shared,
           const volatile uint32_t *counter, uint32_t hz)
{
    uint32_t version;
    uint32_t ticks;
    uint32_t base_ticks;
    uint64_t base_ns;
    do {
        version = shared->time_version;
        __asm__ __volatile__("dmb" ::: "memory");
        base_ns = shared->time_ns;
        base_ticks = shared->time_ticks;
        ticks = ~*counter;
        __asm__ __volatile__("dmb" ::: "memory");
    } while ((version & 1u) || version != shared->time_version);
    return base_ns +
           (uint64_t)(uint32_t)(ticks - base_ticks) * 1000000000u / hz;
}

static HV_INLINE int32_t hv_vfp(uint32_t op)
{
    return hv_call(HV_OP_VFP, op, 0, 0, 0, 0, 0, 0);
}

/* Each entry's result in ops[i].result; 0, or -HV_E* for the array. */
static HV_INLINE int32_t hv_grant_batch(struct hv_grant_op *ops, uint32_t count)
{
    return hv_call(HV_OP_GRANT_BATCH, (uint32_t)(uintptr_t)ops, count, 0, 0, 0,
                   0, 0);
}

/* Returns the grant reference, or -HV_E*. */
static HV_INLINE int32_t hv_grant_access(uint32_t frame_pa, uint32_t peer,
                                         uint32_t flags)
{
    return hv_call(HV_OP_GRANT_ACCESS, frame_pa, peer, flags, 0, 0, 0, 0);
}

static HV_INLINE int32_t hv_grant_end(uint32_t ref)
{
    return hv_call(HV_OP_GRANT_END, ref, 0, 0, 0, 0, 0, 0);
}

static HV_INLINE int32_t hv_grant_map(uint32_t granter, uint32_t ref,
                                      uint32_t entry_pa, uint32_t attrs)
{
    return hv_call(HV_OP_GRANT_MAP, granter, ref, entry_pa, attrs, 0, 0, 0);
}

static HV_INLINE int32_t hv_grant_unmap(uint32_t entry_pa)
{
    return hv_call(HV_OP_GRANT_UNMAP, entry_pa, 0, 0, 0, 0, 0, 0);
}

static HV_INLINE int32_t hv_grant_copy(const struct hv_grant_copy *ops,
                                       uint32_t count, uint32_t *done)
{
    return hv_call(HV_OP_GRANT_COPY, (uint32_t)(uintptr_t)ops, count, 0, 0,
                   done, 0, 0);
}

static HV_INLINE int32_t hv_conn_query(uint32_t index,
                                       struct hv_conn_info *info)
{
    return hv_call(HV_OP_CONN_QUERY, index, (uint32_t)(uintptr_t)info, 0, 0, 0,
                   0, 0);
}

static HV_INLINE int32_t hv_conn_set_ring(uint32_t id, uint32_t ref)
{
    return hv_call(HV_OP_CONN_SET_RING, id, ref, 0, 0, 0, 0, 0);
}

static HV_INLINE int32_t hv_conn_set_info(uint32_t id, const void *info,
                                          uint32_t len)
{
    return hv_call(HV_OP_CONN_SET_INFO, id, (uint32_t)(uintptr_t)info, len, 0,
                   0, 0, 0);
}

/* *peer_state (may be NULL) gets the peer's state on success. */
static HV_INLINE int32_t hv_conn_set_state(uint32_t id, uint32_t state,
                                           uint32_t *peer_state)
{
    return hv_call(HV_OP_CONN_SET_STATE, id, state, 0, 0, peer_state, 0, 0);
}

#endif /* __arm__ */

#endif /* HVABI_GUEST_H */
