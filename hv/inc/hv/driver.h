/* SPDX-License-Identifier: MIT */
/*
 * The driver registry. Each driver of a device the monitor drives itself
 * registers once with HV_DRIVER, naming the device-tree "compatible"
 * strings it handles; board.c finds the board's device for each role
 * (enum driver_kind) and the driver that matches it, and boot.c probes it
 * and installs the interface it returns (irqchip.h, timer_dev.h, uart.h).
 * Drivers live in hv/drivers/<vendor>/<name>/; the host tests' stand-ins
 * in hv/arch/fake/fake_drivers.c register the same way.
 */
#ifndef HV_DRIVER_H
#define HV_DRIVER_H

#include "hv/types.h"

struct board_device;
struct irqchip_ops;
struct outer_cache_ops;
struct timer_dev;
struct uart_ops;

/* The roles, in the order board.c looks for them. */
enum driver_kind {
    DRIVER_UART,        /* the console: struct uart_ops */
    DRIVER_IRQCHIP,     /* the interrupt controller: struct irqchip_ops */
    DRIVER_TIMER,       /* the one-shot event timer: struct timer_dev */
    DRIVER_CLOCK,       /* optional, a finer counter: struct timer_dev */
    DRIVER_WATCHDOG,    /* optional, turned off at boot (probe only) */
    DRIVER_OUTER_CACHE, /* optional: struct outer_cache_ops if it is on */
    DRIVER_KINDS,
};
#define DRIVER_KIND_uart DRIVER_UART
#define DRIVER_KIND_irqchip DRIVER_IRQCHIP
#define DRIVER_KIND_timer DRIVER_TIMER
#define DRIVER_KIND_clock DRIVER_CLOCK
#define DRIVER_KIND_watchdog DRIVER_WATCHDOG
#define DRIVER_KIND_outer_cache DRIVER_OUTER_CACHE

/* What the driver reads of its node besides "reg" (flags). */
#define DRIVER_IRQ (1u << 0) /* "interrupts": its first, a GIC SPI or PPI */
#define DRIVER_HZ (1u << 1)  /* "clock-frequency", not zero */

/* @regs are the device's reg windows, mapped, in board_device order. */
typedef const struct irqchip_ops *
driver_irqchip_probe(const struct board_device *dev, void *const *regs);
typedef const struct timer_dev *
driver_timer_probe(const struct board_device *dev, void *const *regs);
typedef const struct uart_ops *driver_uart_probe(const struct board_device *dev,
                                                 void *const *regs);
/* Stops the watchdog: NULL once it is off, else why it could not be. */
typedef const char *driver_watchdog_probe(const struct board_device *dev,
                                          void *const *regs);
/* The maintenance of an outer cache that is on; NULL if it is off (the
 * boot loader's choice is kept: nothing to maintain). */
typedef const struct outer_cache_ops *
driver_outer_cache_probe(const struct board_device *dev, void *const *regs);

struct driver {
    const char *name;
    uint32_t kind; /* enum driver_kind */
    /** The compatible strings it handles, NULL-terminated. */
    const char *const *compatible;
    /** What each reg window it needs is, for messages; NULL-terminated
     * (at most BOARD_DEVICE_REGS). */
    const char *const *regs;
    uint32_t flags; /* DRIVER_IRQ, DRIVER_HZ */
    /** Sets the device up and returns its interface; by kind. */
    union {
        driver_irqchip_probe *irqchip;
        driver_timer_probe *timer; /* DRIVER_TIMER and DRIVER_CLOCK */
        driver_timer_probe *clock;
        driver_uart_probe *uart;
        driver_watchdog_probe *watchdog;
        driver_outer_cache_probe *outer_cache;
    } probe;
};

#define HV_DRIVER_LIST_(...)                                                   \
    {                                                                          \
        __VA_ARGS__, NULL                                                      \
    }

/*
 * Registers driver @id of @kind_ (uart, irqchip, timer, clock) with its
 * @probe, the names of its reg windows @regs (a parenthesised list),
 * @flags and its compatible strings. The section's name is a C
 * identifier, so the linker provides __start_hv_drivers and
 * __stop_hv_drivers (hv.ld.S keeps it in the monitor); it holds pointers,
 * so no padding can come between entries.
 */
#define HV_DRIVER(id, kind_, probe_, regs_, flags_, ...)                       \
    static const char *const driver_compatible_##id[] = {__VA_ARGS__, NULL};   \
    static const char *const driver_regs_##id[] = HV_DRIVER_LIST_ regs_;       \
    static const struct driver driver_##id = {.name = #id,                     \
                                              .kind = DRIVER_KIND_##kind_,     \
                                              .compatible =                    \
                                                  driver_compatible_##id,      \
                                              .regs = driver_regs_##id,        \
                                              .flags = flags_,                 \
                                              .probe = {.kind_ = probe_}};     \
    static const struct driver *const driver_entry_##id                        \
        __attribute__((used, section("hv_drivers"))) = &driver_##id

/** The registered drivers, in link order: @i from 0; NULL past the end. */
const struct driver *driver_at(size_t i);
/** The driver of @kind that handles @compatible; NULL if none does. */
const struct driver *driver_find(uint32_t kind, const char *compatible);
/** What a device of @kind is to the monitor, for messages. */
const char *driver_kind_name(uint32_t kind);

#endif /* HV_DRIVER_H */
