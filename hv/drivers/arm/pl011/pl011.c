/* SPDX-License-Identifier: MIT */
/* ARM PrimeCell UART (PL011). */
#include <stdint.h>

#include "hv/board.h"
#include "hv/driver.h"
#include "hv/uart.h"

#define UARTDR 0x00
#define UARTFR 0x18
#define UARTCR 0x30
#define UARTIMSC 0x38
#define UARTICR 0x44
#define FR_RXFE (1u << 4)
#define INT_RX (1u << 4)
#define INT_TX (1u << 5)
#define INT_RT (1u << 6)
#define FR_TXFF (1u << 5)
#define CR_UARTEN (1u << 0)
#define CR_TXE (1u << 8)
#define CR_RXE (1u << 9)

static volatile uint32_t *pl011_regs;

static inline volatile uint32_t *pl011_reg(uint32_t offset)
{
    return pl011_regs + offset / 4;
}

static void pl011_init(void *base)
{
    pl011_regs = base;
    /* Baud rate and format are the boot loader's (QEMU needs none). */
    *pl011_reg(UARTCR) |= CR_UARTEN | CR_TXE | CR_RXE;
}

static void pl011_putc(char c)
{
    while (*pl011_reg(UARTFR) & FR_TXFF) {
    }
    *pl011_reg(UARTDR) = (uint8_t)c;
}

static bool pl011_try_putc(char c)
{
    if (*pl011_reg(UARTFR) & FR_TXFF) {
        return false;
    }
    *pl011_reg(UARTDR) = (uint8_t)c;
    return true;
}

static void pl011_tx_irq(bool on)
{
    if (on) {
        *pl011_reg(UARTIMSC) |= INT_TX;
    } else {
        *pl011_reg(UARTIMSC) &= ~INT_TX;
    }
}

static void pl011_enable_rx_irq(void)
{
    *pl011_reg(UARTIMSC) |= INT_RX | INT_RT;
}

static void pl011_ack(void)
{
    *pl011_reg(UARTICR) = INT_RX | INT_RT | INT_TX;
}

static int pl011_getc(void)
{
    if (*pl011_reg(UARTFR) & FR_RXFE) {
        return -1;
    }
    return (int)(*pl011_reg(UARTDR) & 0xffu);
}

/* A PL011's FIFO depth (r1p5; 16 before). */
static const struct uart_ops pl011_ops = {
    pl011_try_putc, pl011_putc, pl011_tx_irq, pl011_ack, pl011_getc, 32};

static const struct uart_ops *pl011_probe(const struct board_device *dev,
                                          void *const *regs)
{
    (void)dev;
    pl011_init(regs[0]);
    /* Its line stays off at the interrupt controller until boot enables
     * it. */
    pl011_enable_rx_irq();
    return &pl011_ops;
}

HV_DRIVER(pl011, uart, pl011_probe, ("console UART"), DRIVER_IRQ, "arm,pl011");
