/* SPDX-License-Identifier: MIT */
/*
 * Hypercall dispatch. Every argument is checked before anything is done;
 * the errors are those documented in guestabi/include/hvabi/hypercall.h.
 */
#include <hvabi/mmu.h>
#include <string.h>

#include "hv/arch.h"
#include "hv/check.h"
#include "hv/clock.h"
#include "hv/conn.h"
#include "hv/console.h"
#include "hv/evtchn.h"
#include "hv/grant.h"
#include "hv/guest.h"
#include "hv/hypercall.h"
#include "hv/pt.h"
#include "hv/vcpu.h"
#include "hv/sched.h"
#include "hv/timer.h"

/*
 * The handlers below marked HV_NOINLINE would, inlined, grow
 * hypercall_handle's frame (each was checked with -fstack-usage), which
 * every hypercall, HV_OP_VERSION included, sets up and tears down.
 */

/* HV_FEAT_VFP is added at run time: it depends on the core. */
static const uint32_t hypercall_features[HV_FEATURE_WORDS] = {
    (1u << HV_FEAT_CONSOLE_WRITE) | (1u << HV_FEAT_YIELD) |
        (1u << HV_FEAT_CLOCK) | (1u << HV_FEAT_VM_INFO) | (1u << HV_FEAT_MMU) |
        (1u << HV_FEAT_VCPU) | (1u << HV_FEAT_TIMER) | (1u << HV_FEAT_CACHE) |
        (1u << HV_FEAT_BLOCK) | (1u << HV_FEAT_EVTCHN) | (1u << HV_FEAT_GRANT) |
        (1u << HV_FEAT_VM_KILL) | (1u << HV_FEAT_CONN) |
        (1u << HV_FEAT_UNMASK_PORTS) | (1u << HV_FEAT_GRANT_BATCH) |
        (1u << HV_FEAT_PIN_ZERO) | (1u << HV_FEAT_REGS_IN_PLACE),
};

static void hypercall_status(struct vm *vm, int32_t status)
{
    arch_regs_set_result(&vm->regs, 0, (uint32_t)status);
}

/*
 * The way back from a hypercall. In the common case the caller runs on
 * with no event due, and its registers go back as the trap saved them,
 * plus the results, without guest_resume's sanitizing: their CPSR is the
 * SPSR of a trap taken from USR mode, which USR mode cannot have made
 * unsafe (mode, A, I and F are beyond its reach, and ARM state has no IT
 * bits), and their pc is the instruction after the SVC. So a handler
 * that changes the caller's pc or CPSR (HV_OP_IRET, an upcall) must
 * return guest_resume() itself, as HV_OP_IRET and HV_OP_SHUTDOWN do.
 * Everything else (the caller blocked, yielded, stopped, or has an event
 * to take, or woke a guest that may preempt it) goes through
 * guest_resume.
 */
static struct arch_regs *hypercall_return(struct vm *vm)
{
    if (vm == vcpu_settled && vm->state == VM_RUNNABLE &&
        !vcpu_events_due(vm)) {
        return &vm->regs;
    }
    return guest_resume();
}

static HV_NOINLINE int32_t hypercall_console_write(struct vm *vm)
{
    gvaddr_t buf = gva_init(arch_regs_arg(&vm->regs, 0));
    uint32_t len = arch_regs_arg(&vm->regs, 1);
    char copy[HV_CONSOLE_WRITE_MAX];

    if (len > HV_CONSOLE_WRITE_MAX) {
        return -HV_E2BIG;
    }
    /* Copy first: what is printed is what was checked. */
    int32_t rc = vm_copy_from_guest(vm, copy, buf, len);
    if (rc != HV_OK) {
        return rc;
    }
    uint32_t taken = console_guest_write(&vm->console, vm->name, copy, len);
    if (taken == 0 && len > 0) {
        return -HV_EAGAIN;
    }
    return (int32_t)taken;
}

static HV_NOINLINE int32_t hypercall_console_read(struct vm *vm)
{
    gvaddr_t buf = gva_init(arch_regs_arg(&vm->regs, 0));
    uint32_t size = arch_regs_arg(&vm->regs, 1);
    char copy[HV_CONSOLE_WRITE_MAX];

    if (!vm->console_input) {
        return -HV_EPERM;
    }
    if (size > HV_CONSOLE_WRITE_MAX) {
        return -HV_E2BIG;
    }
    /* Check before taking: failed calls must not consume input. */
    int32_t rc = vm_translate_range(vm, buf, size, true, NULL, 0, NULL);
    if (rc != HV_OK) {
        return rc;
    }
    uint32_t n = console_input_take(copy, size);
    rc = vm_copy_to_guest(vm, buf, copy, n);
    return rc == HV_OK ? (int32_t)n : rc;
}

static HV_NOINLINE int32_t hypercall_vm_info(struct vm *vm)
{
    gvaddr_t out = gva_init(arch_regs_arg(&vm->regs, 0));
    struct hv_vm_info info;

    if (!IS_ALIGNED(gva_addr(out), 8u)) {
        return -HV_EINVAL;
    }
    memset(&info, 0, sizeof(info));
    info.abi_version = HV_ABI_VERSION;
    info.vm_id = vm->id;
    info.mem_base = gva_addr(vm->mem_gva);
    info.mem_size = vm->mem_size;
    info.uptime_ns = clock_now_ns();
    memcpy(info.name, vm->name, sizeof(info.name));
    return vm_copy_to_guest(vm, out, &info, sizeof(info));
}

/* True if the frame at @pa is a pinned page table: written by pt.c alone. */
static bool hypercall_frame_is_table(paddr_t pa)
{
    struct pt_frame_counts fc;
    return pt_frame_counts(pa, &fc) && (fc.type == 1 || fc.type == 2);
}

/* A buffer by physical address (HV_GRANT_COPY_BUF_PA, HV_MMU_UPDATE_BY_PA):
 * @buf, @len inside one page of @vm's own RAM, and no pinned table if
 * the monitor writes it. */
static int32_t hypercall_copy_buf_pa(const struct vm *vm, uint32_t buf,
                                     uint32_t len, bool write, paddr_t *page)
{
    uint32_t base = (uint32_t)pa_addr(vm->mem_pa);

    if (len > 4096u - (buf & 0xfffu)) {
        return -HV_EINVAL;
    }
    if (buf < base || buf - base >= vm->mem_size) {
        return -HV_EFAULT;
    }
    *page = pa_init(buf & ~0xfffu);
    return write && hypercall_frame_is_table(*page) ? -HV_EBUSY : HV_OK;
}

/*
 * The batch is copied in before any entry is applied: each is read once,
 * whatever the guest's memory holds later. By physical address
 * (HV_MMU_UPDATE_BY_PA) it is read through one mapping, without the walk
 * of the guest's tables a virtual address costs.
 */
static int32_t hypercall_mmu_update(struct vm *vm)
{
    uint32_t reqs = arch_regs_arg(&vm->regs, 0);
    bool by_pa = (arch_regs_arg(&vm->regs, 1) & HV_MMU_UPDATE_BY_PA) != 0;
    uint32_t count = arch_regs_arg(&vm->regs, 1) & ~HV_MMU_UPDATE_BY_PA;
    uint32_t size = count * sizeof(struct hv_mmu_update);
    struct hv_mmu_update batch[HV_MMU_UPDATE_MAX];
    int32_t rc;

    arch_regs_set_result(&vm->regs, 1, 0);
    if (count > HV_MMU_UPDATE_MAX) {
        return -HV_E2BIG;
    }
    if (!by_pa) {
        rc = vm_copy_from_guest(vm, batch, gva_init(reqs), size);
    } else {
        paddr_t page;
        rc = hypercall_copy_buf_pa(vm, reqs, size, false, &page);
        if (rc == HV_OK && size != 0) {
            memcpy(batch, arch_mm_phys_ptr(pa_init(reqs), size), size);
        }
    }
    if (rc != HV_OK) {
        return rc;
    }
    for (uint32_t i = 0; i < count; i++) {
        rc = pt_update(vm, pa_init(batch[i].ptr), batch[i].val);
        if (rc != HV_OK) {
            return rc;
        }
        arch_regs_set_result(&vm->regs, 1, i + 1);
    }
    return HV_OK;
}

static int32_t hypercall_mmu_pin(struct vm *vm)
{
    paddr_t pa = pa_init(arch_regs_arg(&vm->regs, 0));

    switch (arch_regs_arg(&vm->regs, 1)) {
    case HV_MMU_L1:
        return pt_pin_l1(vm, pa, arch_regs_arg(&vm->regs, 2));
    case HV_MMU_L2:
        return pt_pin_l2(vm, pa, arch_regs_arg(&vm->regs, 2));
    default:
        return -HV_EINVAL;
    }
}

static int32_t hypercall_mmu_switch(struct vm *vm)
{
    paddr_t l1 = pa_init(arch_regs_arg(&vm->regs, 0));

    if (!pt_is_l1(vm, l1)) {
        return -HV_EINVAL;
    }
    vm->active_l1 = l1;
    vm->active_asid = pt_asid_of(l1);
    arch_mm_activate(vm);
    return HV_OK;
}

static HV_NOINLINE int32_t hypercall_mmu_tlb(struct vm *vm)
{
    uint32_t op = arch_regs_arg(&vm->regs, 0);
    uint32_t va = arch_regs_arg(&vm->regs, 1);
    paddr_t l1 = pa_init(arch_regs_arg(&vm->regs, 2));

    if (op == HV_TLB_FLUSH_ALL) {
        pt_asid_flush_vm(vm);
        return HV_OK;
    }
    if (op != HV_TLB_FLUSH_VA && op != HV_TLB_FLUSH_MM) {
        return -HV_EINVAL;
    }
    /* The window's entries are global: a guest must not be able to evict
     * them (it would only slow the monitor, but still). */
    if (op == HV_TLB_FLUSH_VA && va >= HV_MMU_WINDOW_BASE &&
        va < HV_MMU_WINDOW_END) {
        return -HV_EINVAL;
    }
    if (pa_addr(l1) == 0) {
        l1 = vm->active_l1;
    } else if (!pt_is_l1(vm, l1)) {
        return -HV_EINVAL;
    }
    uint32_t asid = pt_asid_live(vm, l1);
    if (asid == 0) {
        return HV_OK; /* no ASID: nothing of it can be in the TLB */
    }
    if (op == HV_TLB_FLUSH_VA) {
        arch_mm_tlb_flush_va(gva_init(va), asid);
    } else {
        arch_mm_tlb_flush_asid(asid);
    }
    return HV_OK;
}

static HV_NOINLINE int32_t hypercall_cache(struct vm *vm)
{
    uint32_t op = arch_regs_arg(&vm->regs, 0);
    uint32_t va = arch_regs_arg(&vm->regs, 1);
    uint32_t len = arch_regs_arg(&vm->regs, 2);
    paddr_t pa;

    if (op == HV_CACHE_ICACHE_ALL) {
        /* Invalidating instruction caches loses no one's data. */
        arch_cache_invalidate_icache();
        return HV_OK;
    }
    if (op != HV_CACHE_SYNC_ICACHE && op != HV_CACHE_CLEAN &&
        op != HV_CACHE_FLUSH) {
        return -HV_EINVAL;
    }
    if (len > HV_CACHE_MAX) {
        return -HV_E2BIG;
    }
    if (len == 0) {
        return HV_OK;
    }
    /* All pages first: a failed call does nothing. */
    if (vm_translate_range(vm, gva_init(va), len, false, NULL, 0, NULL) !=
        HV_OK) {
        return -HV_EFAULT;
    }
    while (len > 0) {
        uint32_t chunk = 0x1000u - (va & 0xfffu);
        chunk = chunk < len ? chunk : len;
        int32_t rc = pt_translate(vm, va, false, &pa);
        CHECK(rc == HV_OK); /* vm_translate_range has checked every page */
        arch_cache_range(op == HV_CACHE_FLUSH   ? ARCH_CACHE_FLUSH
                         : op == HV_CACHE_CLEAN ? ARCH_CACHE_CLEAN
                                                : ARCH_CACHE_CLEAN_POU,
                         pa, chunk);
        va += chunk;
        len -= chunk;
    }
    if (op == HV_CACHE_SYNC_ICACHE) {
        arch_cache_invalidate_icache();
    }
    return HV_OK;
}

static HV_NOINLINE int32_t hypercall_grant_end(struct vm *vm, uint32_t ref)
{
    uint32_t peer;
    int32_t rc = grant_end(vm, ref, &peer);
    struct vm *p = rc == HV_OK && peer != 0 ? vm_by_id(peer) : NULL;

    if (p != NULL) {
        /* The peer unmapped the frame but may still hold it in its TLB;
         * a peer that stopped lost its TLB entries with its ASIDs. */
        pt_asid_flush_vm(p);
    }
    return rc;
}

/* One entry of HV_OP_GRANT_BATCH; peers to flush collect in @flush. */
static int32_t hypercall_grant_op(struct vm *vm, const struct hv_grant_op *op,
                                  uint32_t *flush)
{
    if (op->reserved != 0) {
        return -HV_EINVAL;
    }
    if (op->op == HV_GRANT_OP_ACCESS) {
        return grant_access(vm, pa_init(op->arg), op->peer, op->flags);
    }
    if (op->op != HV_GRANT_OP_END || op->peer != 0 || op->flags != 0) {
        return -HV_EINVAL;
    }
    uint32_t peer;
    int32_t rc = grant_end(vm, op->arg, &peer);
    if (rc == HV_OK && peer != 0) {
        *flush |= 1u << (peer - 1);
    }
    return rc;
}
_Static_assert(HV_MAX_VMS <= 32, "a batch's peers to flush fit a word");

static HV_NOINLINE int32_t hypercall_grant_batch(struct vm *vm)
{
    gvaddr_t ops = gva_init(arch_regs_arg(&vm->regs, 0));
    uint32_t count = arch_regs_arg(&vm->regs, 1);
    struct hv_grant_op batch[HV_GRANT_BATCH_MAX];
    uint32_t len = count * (uint32_t)sizeof(batch[0]);

    if (count > HV_GRANT_BATCH_MAX) {
        return -HV_E2BIG;
    }
    if ((gva_addr(ops) & 3u) != 0) {
        return -HV_EINVAL;
    }
    /* Writable before anything is done: the results' write-back cannot
     * fail once grants exist that only they name. */
    int32_t rc = vm_translate_range(vm, ops, len, true, NULL, 0, NULL);
    if (rc != HV_OK || count == 0) {
        return rc;
    }
    rc = vm_copy_from_guest(vm, batch, ops, len);
    if (rc != HV_OK) {
        return rc;
    }
    uint32_t flush = 0;
    for (uint32_t i = 0; i < count; i++) {
        batch[i].result = hypercall_grant_op(vm, &batch[i], &flush);
    }
    /* As after each HV_OP_GRANT_END: no TLB entry of a peer that
     * unmapped an ended frame maps it any more (a stopped peer lost its
     * entries with its ASIDs). */
    for (uint32_t peer = 1; flush != 0; peer++, flush >>= 1) {
        struct vm *p = (flush & 1u) ? vm_by_id(peer) : NULL;
        if (p != NULL) {
            pt_asid_flush_vm(p);
        }
    }
    rc = vm_copy_to_guest(vm, ops, batch, len);
    CHECK(rc == HV_OK); /* checked writable above */
    return HV_OK;
}

/* One struct hv_grant_copy, checked whole before a byte moves. */
static int32_t hypercall_grant_copy_one(struct vm *vm,
                                        const struct hv_grant_copy *c)
{
    bool to_grant = (c->flags & HV_GRANT_COPY_TO_GRANT) != 0;
    paddr_t frame;
    paddr_t pages[2];
    unsigned int count = 1;

    if ((c->flags & ~(HV_GRANT_COPY_TO_GRANT | HV_GRANT_COPY_BUF_PA)) != 0 ||
        c->offset >= 4096u || c->len > 4096u - c->offset) {
        return -HV_EINVAL;
    }
    int32_t rc = grant_find(vm->id, c->granter, c->ref, to_grant, &frame);
    if (rc != HV_OK) {
        return rc;
    }
    if (to_grant && hypercall_frame_is_table(frame)) {
        return -HV_EBUSY; /* a pinned table: written only by pt.c */
    }
    if (c->flags & HV_GRANT_COPY_BUF_PA) {
        rc = hypercall_copy_buf_pa(vm, c->buf, c->len, !to_grant, &pages[0]);
    } else {
        rc = vm_translate_range(vm, gva_init(c->buf), c->len, !to_grant, pages,
                                ARRAY_SIZE(pages), &count);
    }
    if (rc != HV_OK || c->len == 0) {
        return rc;
    }
    /* At most 4 KiB: the buffer spans one or two pages. */
    uint32_t va = c->buf;
    uint32_t done = 0;
    for (unsigned int n = 0; n < count; n++) {
        uint32_t chunk = 0x1000u - (va & 0xfffu);
        chunk = chunk < c->len - done ? chunk : c->len - done;
        paddr_t g = pa_add(frame, c->offset + done);
        paddr_t b = pa_init(pa_addr(pages[n]) | (va & 0xfffu));
        if (to_grant) {
            arch_mm_phys_copy(g, b, chunk);
        } else {
            arch_mm_phys_copy(b, g, chunk);
        }
        va += chunk;
        done += chunk;
    }
    CHECK(done == c->len);
    return HV_OK;
}

static int32_t hypercall_grant_copy(struct vm *vm)
{
    gvaddr_t reqs = gva_init(arch_regs_arg(&vm->regs, 0));
    uint32_t count = arch_regs_arg(&vm->regs, 1);
    struct hv_grant_copy batch[HV_GRANT_COPY_MAX];

    arch_regs_set_result(&vm->regs, 1, 0);
    if (count > HV_GRANT_COPY_MAX) {
        return -HV_E2BIG;
    }
    /* Copied out once: what is checked is what is done. */
    int32_t rc = vm_copy_from_guest(vm, batch, reqs, count * sizeof(batch[0]));
    if (rc != HV_OK) {
        return rc;
    }
    for (uint32_t i = 0; i < count; i++) {
        rc = hypercall_grant_copy_one(vm, &batch[i]);
        if (rc != HV_OK) {
            return rc;
        }
        arch_regs_set_result(&vm->regs, 1, i + 1);
    }
    return HV_OK;
}

/* HV_OP_VM_KILL: errors in the order <hvabi/hypercall.h> gives. */
static HV_NOINLINE int32_t hypercall_vm_kill(struct vm *vm, uint32_t id,
                                             uint32_t how)
{
    if ((how != HV_VM_KILL_CRASH && how != HV_VM_KILL_SHUTDOWN) ||
        id == vm->id) {
        return -HV_EINVAL;
    }
    /* Before the lookup: a guest without the right learns nothing of
     * which guests are running. */
    if (id == 0 || id > HV_MAX_VMS || (vm->may_kill & (1u << (id - 1))) == 0) {
        return -HV_EPERM;
    }
    struct vm *target = vm_by_id(id);
    if (target == NULL) {
        return -HV_ENOENT;
    }
    guest_kill(target, vm, how == HV_VM_KILL_CRASH);
    return HV_OK;
}

static HV_NOINLINE int32_t hypercall_conn_query(struct vm *vm, uint32_t index)
{
    gvaddr_t out = gva_init(arch_regs_arg(&vm->regs, 1));
    struct hv_conn_info info;

    if (!IS_ALIGNED(gva_addr(out), 4u)) {
        return -HV_EINVAL;
    }
    int32_t rc = conn_query(vm, index, &info);
    if (rc != HV_OK) {
        return rc;
    }
    return vm_copy_to_guest(vm, out, &info, sizeof(info));
}

static HV_NOINLINE int32_t hypercall_conn_set_info(struct vm *vm, uint32_t id)
{
    gvaddr_t src = gva_init(arch_regs_arg(&vm->regs, 1));
    uint32_t len = arch_regs_arg(&vm->regs, 2);
    uint8_t info[HV_CONN_INFO_MAX];

    if (len > HV_CONN_INFO_MAX) {
        return -HV_E2BIG;
    }
    int32_t rc = vm_copy_from_guest(vm, info, src, len);
    if (rc != HV_OK) {
        return rc;
    }
    return conn_set_info(vm, id, info, len);
}

static int32_t hypercall_conn_set_state(struct vm *vm, uint32_t id)
{
    uint32_t peer;
    int32_t rc = conn_set_state(vm, id, arch_regs_arg(&vm->regs, 1), &peer);
    if (rc == HV_OK) {
        arch_regs_set_result(&vm->regs, 1, peer);
    }
    return rc;
}

/*
 * The operations numbered above HV_OP_VM_KILL (connections, the grant
 * batch), and unknown numbers. Not inlined: kept out of hypercall_handle,
 * whose jump table and layout the hot calls (IRET, events, the null
 * hypercall) pay for; a case there for 38 moved the null hypercall's
 * return one branch further.
 */
__attribute__((noinline)) static int32_t
hypercall_high(struct vm *vm, uint32_t op, uint32_t arg0)
{
    switch (op) {
    case HV_OP_GRANT_BATCH:
        return hypercall_grant_batch(vm);
    case HV_OP_CONN_QUERY:
        return hypercall_conn_query(vm, arg0);
    case HV_OP_CONN_SET_RING:
        return conn_set_ring(vm, arg0, arch_regs_arg(&vm->regs, 1));
    case HV_OP_CONN_SET_STATE:
        return hypercall_conn_set_state(vm, arg0);
    case HV_OP_CONN_SET_INFO:
        return hypercall_conn_set_info(vm, arg0);
    default:
        return -HV_ENOSYS;
    }
}

static int32_t hypercall_vfp(struct vm *vm, uint32_t op)
{
    if (!arch_vfp_present()) {
        return -HV_ENOSYS;
    }
    switch (op) {
    case HV_VFP_ENABLE:
    case HV_VFP_DISABLE:
        arch_vfp_set_enabled(vm, op == HV_VFP_ENABLE);
        return HV_OK;
    case HV_VFP_STATUS:
        return arch_vfp_enabled(vm) ? (int32_t)HV_VFP_FPEXC_EN : 0;
    default:
        return -HV_EINVAL;
    }
}

struct arch_regs *hypercall_handle(struct vm *vm)
{
    uint32_t op = arch_regs_hypercall_op(&vm->regs);
    uint32_t arg0 = arch_regs_arg(&vm->regs, 0);

    int32_t rc;

    switch (op) {
    case HV_OP_VERSION:
        rc = (int32_t)HV_ABI_VERSION;
        break;
    case HV_OP_FEATURES: {
        if (arg0 >= HV_FEATURE_WORDS) {
            rc = -HV_ERANGE;
            break;
        }
        uint32_t bits = hypercall_features[arg0];
        if (arg0 == 0 && arch_vfp_present()) {
            bits |= 1u << HV_FEAT_VFP;
        }
        arch_regs_set_result(&vm->regs, 1, bits);
        rc = HV_OK;
        break;
    }
    case HV_OP_CONSOLE_WRITE:
        rc = hypercall_console_write(vm);
        break;
    case HV_OP_YIELD:
        sched_rotate();
        rc = HV_OK;
        break;
    case HV_OP_SHUTDOWN:
        guest_shutdown(vm, arg0);
        return guest_resume();
    case HV_OP_CLOCK_READ: {
        uint64_t now = clock_now_ns();
        arch_regs_set_result(&vm->regs, 1, (uint32_t)now);
        arch_regs_set_result(&vm->regs, 2, (uint32_t)(now >> 32));
        rc = HV_OK;
        break;
    }
    case HV_OP_VM_INFO:
        rc = hypercall_vm_info(vm);
        break;
    case HV_OP_MMU_PIN:
        rc = hypercall_mmu_pin(vm);
        break;
    case HV_OP_MMU_UNPIN:
        rc = pt_unpin(vm, pa_init(arg0));
        break;
    case HV_OP_MMU_UPDATE:
        rc = hypercall_mmu_update(vm);
        break;
    case HV_OP_MMU_SWITCH:
        rc = hypercall_mmu_switch(vm);
        break;
    case HV_OP_MMU_TLB:
        rc = hypercall_mmu_tlb(vm);
        break;
    case HV_OP_VCPU_REGISTER:
        rc = vcpu_register(vm, pa_init(arg0));
        break;
    case HV_OP_VCPU_CALLBACKS:
        rc = vcpu_set_callbacks(vm, gva_init(arg0));
        break;
    case HV_OP_IRET:
        evtchn_unmask_shared(vm); /* as fast_iret does */
        rc = vcpu_iret(vm, gva_init(arg0));
        if (rc == HV_OK) {
            return guest_resume(); /* r0 is the frame's */
        }
        break;
    case HV_OP_CACHE:
        rc = hypercall_cache(vm);
        break;
    case HV_OP_EVENTS_CHECK:
        rc = HV_OK; /* guest_resume delivers */
        break;
    case HV_OP_TIMER_SET:
        vcpu_timer_arm(vm, (uint64_t)arch_regs_arg(&vm->regs, 1) << 32 | arg0);
        vcpu_check_timers();
        timer_reprogram();
        rc = HV_OK;
        break;
    case HV_OP_EVTCHN_ALLOC_UNBOUND:
        rc = evtchn_alloc_unbound(vm, arg0);
        break;
    case HV_OP_EVTCHN_BIND_INTERDOMAIN:
        rc = evtchn_bind_interdomain(vm, arg0, arch_regs_arg(&vm->regs, 1));
        break;
    case HV_OP_EVTCHN_SEND:
        rc = evtchn_send(vm, arg0);
        break;
    case HV_OP_EVTCHN_CLOSE:
        rc = evtchn_close(vm, arg0);
        break;
    case HV_OP_EVTCHN_BIND_VIRQ:
        rc = evtchn_bind_virq(vm, arg0);
        break;
    case HV_OP_EVTCHN_BIND_IRQ:
        rc = evtchn_bind_irq(vm, arg0);
        break;
    case HV_OP_EVTCHN_UNMASK:
        rc = evtchn_unmask(vm, arg0);
        break;
    case HV_OP_CONSOLE_READ:
        rc = hypercall_console_read(vm);
        break;
    case HV_OP_VFP:
        rc = hypercall_vfp(vm, arg0);
        break;
    case HV_OP_BLOCK:
        evtchn_unmask_shared(vm); /* its device may be what wakes it */
        rc = vcpu_block(vm);
        break;
    case HV_OP_GRANT_ACCESS:
        rc = grant_access(vm, pa_init(arg0), arch_regs_arg(&vm->regs, 1),
                          arch_regs_arg(&vm->regs, 2));
        break;
    case HV_OP_GRANT_END:
        rc = hypercall_grant_end(vm, arg0);
        break;
    case HV_OP_GRANT_MAP:
        rc = pt_grant_map(vm, arg0, arch_regs_arg(&vm->regs, 1),
                          pa_init(arch_regs_arg(&vm->regs, 2)),
                          arch_regs_arg(&vm->regs, 3));
        break;
    case HV_OP_GRANT_UNMAP:
        rc = pt_grant_unmap(vm, pa_init(arg0));
        break;
    case HV_OP_GRANT_COPY:
        rc = hypercall_grant_copy(vm);
        break;
    case HV_OP_VM_KILL:
        rc = hypercall_vm_kill(vm, arg0, arch_regs_arg(&vm->regs, 1));
        break;
    default:
        rc = hypercall_high(vm, op, arg0);
        break;
    }
    hypercall_status(vm, rc);
    return hypercall_return(vm);
}
