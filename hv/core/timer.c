/* SPDX-License-Identifier: MIT */
#include "hv/timer.h"

#include "hv/clock.h"
#include "hv/config.h"
#include "hv/vm.h"

static void (*timer_program)(uint64_t ns);
static uint64_t timer_slice_end;

void timer_set_device(void (*program_ns)(uint64_t ns))
{
    timer_program = program_ns;
}

void timer_start_slice(uint32_t weight)
{
    timer_slice_end = clock_now_ns() + weight * HV_TIME_SLICE_UNIT_NS;
}

bool timer_slice_over(void)
{
    return clock_now_ns() >= timer_slice_end;
}

void timer_reprogram(void)
{
    uint64_t next = timer_slice_end;

    for (unsigned int i = 0; i < HV_MAX_VMS; i++) {
        struct vm *vm = vm_by_index(i);
        if (vm->state != VM_FREE && vm->state != VM_STOPPED &&
            vm->timer_deadline != 0 && vm->timer_deadline < next) {
            next = vm->timer_deadline;
        }
    }
    if (timer_program) {
        uint64_t now = clock_now_ns();
        timer_program(next > now ? next - now : 0);
    }
}
