/* SPDX-License-Identifier: MIT */
/*
 * The driver registry (hv/inc/hv/driver.h) and the devices boot installs.
 * Also linked into hvpack, so that it takes the same devices for the
 * monitor's as the monitor does.
 */
#include "hv/driver.h"

#include <string.h>

#include "hv/irqchip.h"
#include "hv/timer_dev.h"
#include "hv/uart.h"

/* Provided by the linker for the section HV_DRIVER places entries in. */
extern const struct driver *const __start_hv_drivers[];
extern const struct driver *const __stop_hv_drivers[];

const struct irqchip_ops *irqchip;
const struct timer_dev *tick_timer;
const struct uart_ops *console_uart;

const struct driver *driver_at(size_t i)
{
    return i < (size_t)(__stop_hv_drivers - __start_hv_drivers)
               ? __start_hv_drivers[i]
               : NULL;
}

const struct driver *driver_find(uint32_t kind, const char *compatible)
{
    const struct driver *d;
    for (size_t i = 0; (d = driver_at(i)) != NULL; i++) {
        for (const char *const *c = d->compatible; d->kind == kind && *c; c++) {
            if (strcmp(*c, compatible) == 0) {
                return d;
            }
        }
    }
    return NULL;
}

const char *driver_kind_name(uint32_t kind)
{
    static const char *const names[DRIVER_KINDS] = {
        "console UART", "interrupt controller", "preemption timer", "clock",
        "watchdog",     "outer cache"};
    return kind < DRIVER_KINDS ? names[kind] : "device";
}
