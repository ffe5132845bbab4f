/* SPDX-License-Identifier: MIT */
/*
 * TI OMAP UART (a 16550 with 64-byte FIFOs and registers 4 bytes apart),
 * as on OMAP3 and OMAP4: the BeagleBoard's console is UART3, the
 * PandaBoard's UART3 too. Baud rate and format are the boot loader's; the
 * monitor turns the FIFOs on and uses the OMAP's supplementary status
 * register for a full transmit FIFO (a plain 16550 says only "empty").
 */
#include <stdint.h>

#include "hv/board.h"
#include "hv/driver.h"
#include "hv/uart.h"

#define UART_RHR 0x00 /* read */
#define UART_THR 0x00 /* write */
#define UART_IER 0x04
#define UART_IIR 0x08 /* read */
#define UART_FCR 0x08 /* write */
#define UART_LSR 0x14
#define UART_SSR 0x44

#define IER_RHR (1u << 0)
#define IER_THR (1u << 1)
#define FCR_FIFO_EN (1u << 0)
#define FCR_RX_CLEAR (1u << 1)
#define LSR_RX_DATA (1u << 0)
#define SSR_TX_FULL (1u << 0)
#define UART_FIFO 64u

static volatile uint32_t *uart_regs;

static inline volatile uint32_t *uart_reg(uint32_t offset)
{
    return uart_regs + offset / 4;
}

static bool uart_try_putc(char c)
{
    if (*uart_reg(UART_SSR) & SSR_TX_FULL) {
        return false;
    }
    *uart_reg(UART_THR) = (uint8_t)c;
    return true;
}

static void uart_putc(char c)
{
    while (*uart_reg(UART_SSR) & SSR_TX_FULL) {
    }
    *uart_reg(UART_THR) = (uint8_t)c;
}

static void uart_tx_irq(bool on)
{
    if (on) {
        *uart_reg(UART_IER) |= IER_THR;
    } else {
        *uart_reg(UART_IER) &= ~IER_THR;
    }
}

/* Reading IIR clears a transmit interrupt; a receive one clears as
 * getc drains the FIFO. */
static void uart_ack(void)
{
    (void)*uart_reg(UART_IIR);
}

static int uart_getc(void)
{
    if (!(*uart_reg(UART_LSR) & LSR_RX_DATA)) {
        return -1;
    }
    return (int)(*uart_reg(UART_RHR) & 0xffu);
}

static const struct uart_ops uart_ops = {uart_try_putc, uart_putc, uart_tx_irq,
                                         uart_ack,      uart_getc, UART_FIFO};

static const struct uart_ops *uart_probe(const struct board_device *dev,
                                         void *const *regs)
{
    (void)dev;
    uart_regs = regs[0];
    /* The FIFOs on, the receive one emptied; what the boot loader
     * queued to send goes out. */
    *uart_reg(UART_FCR) = FCR_FIFO_EN | FCR_RX_CLEAR;
    *uart_reg(UART_IER) = IER_RHR; /* the line stays off until boot */
    return &uart_ops;
}

HV_DRIVER(omap_uart, uart, uart_probe, ("UART"), DRIVER_IRQ, "ti,omap3-uart",
          "ti,omap4-uart");
