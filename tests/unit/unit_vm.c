/* SPDX-License-Identifier: MIT */
#include "unit_vm.h"

#include <arch/fake.h>
#include <stdio.h>

#include "hv/conn.h"
#include "hv/mem.h"
#include "hv/pt.h"
#include "hv/sched.h"
#include "unit.h"

const uint8_t unit_vm_image[64] = {
    0xde, 0xad, 0xbe, 0xef, 'i', 'm', 'a', 'g', 'e', 0, 1, 2, 3, 4, 5, 6,
};

void unit_vm_setup(void)
{
    /* As boot.c does it: both over the same RAM. */
    mem_init(pa_init(FAKE_RAM_BASE), FAKE_RAM_SIZE);
    pt_init(pa_init(FAKE_RAM_BASE), FAKE_RAM_SIZE);
    vm_pool_init();
    conn_init(NULL, 0); /* no device connections */
    sched_set_current(NULL);
    fake_console_capture();
}

struct vm_config unit_vm_config(const char *name, uint32_t mem_size)
{
    struct vm_config c = {0};

    snprintf(c.name, sizeof(c.name), "%s", name);
    c.image = unit_vm_image;
    c.image_size = sizeof(unit_vm_image);
    c.mem_size = mem_size;
    c.base_gva = UNIT_GUEST_BASE;
    c.entry_offset = 0;
    return c;
}

struct vm *unit_vm_create(const char *name, uint32_t mem_size)
{
    struct vm_config c = unit_vm_config(name, mem_size);
    struct vm *vm = vm_create(&c);
    ASSERT_TRUE(vm != NULL);
    return vm;
}

void *unit_vm_mem(const struct vm *vm, uint32_t gva)
{
    uint32_t off = gva - gva_addr(vm->mem_gva);
    ASSERT_TRUE(gva >= gva_addr(vm->mem_gva) && off < vm->mem_size);
    return fake_phys(pa_add(vm->mem_pa, off));
}
