/* SPDX-License-Identifier: MIT */
/*
 * Guest faults, from the arch's exception handling: reflected to the
 * guest kernel as upcalls (vcpu.c), or the guest is stopped (guest.c).
 */
#include "hv/fault.h"

#include "hv/guest.h"

struct arch_regs *fault_upcall(struct vm *vm, enum hv_upcall kind,
                               uint32_t address, uint32_t status)
{
    struct fault_info failed;

    if (vcpu_upcall(vm, kind, address, status, &failed) != HV_OK) {
        guest_stop_fault(vm, &failed);
    }
    return guest_resume();
}

struct arch_regs *fault_guest(struct vm *vm, const struct fault_info *fault)
{
    if (fault->upcall >= 0 &&
        vcpu_can_upcall(vm, (enum hv_upcall)fault->upcall)) {
        return fault_upcall(vm, (enum hv_upcall)fault->upcall, fault->address,
                            fault->status);
    }
    guest_stop_fault(vm, fault);
    return guest_resume();
}
