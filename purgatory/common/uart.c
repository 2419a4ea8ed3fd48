/* SPDX-License-Identifier: MIT */
/*
 * Polled output on a memory-mapped UART that the loader found in the
 * device tree (/chosen stdout-path) and described in kx_uart: an ARM
 * PL011 (ARM DDI 0183: data register at 0, flag register at 0x18, TXFF
 * bit 5) or an 8250/16550 (THR at 0, LSR at 5 registers, THRE bit 5).
 * Called with the MMU off, so the base is a physical address.
 */
#include "purgatory.h"

KX_DATA uint64_t kx_uart[2];

#define PL011_DR 0x00
#define PL011_FR 0x18
#define PL011_FR_TXFF 0x20
#define UART8250_THR 0
#define UART8250_LSR 5
#define UART8250_LSR_THRE 0x20
#define SPIN 100000

static uint32_t rd(uintptr_t a, unsigned width)
{
	if (width == 4)
		return *(volatile uint32_t *)a;
	return *(volatile uint8_t *)a;
}

static void wr(uintptr_t a, unsigned width, uint32_t v)
{
	if (width == 4)
		*(volatile uint32_t *)a = v;
	else
		*(volatile uint8_t *)a = (uint8_t)v;
}

void kx_uart_putc(char c)
{
	uintptr_t base = (uintptr_t)kx_uart[0];
	unsigned shift = KX_UART_SHIFT(kx_uart[1]);
	unsigned width = KX_UART_WIDTH(kx_uart[1]);

	if (!base)
		return;
	switch (kx_uart[1] & 0xff) {
	case KX_UART_PL011:
		for (int i = 0; i < SPIN && (rd(base + PL011_FR, 4) & PL011_FR_TXFF); i++)
			;
		wr(base + PL011_DR, 4, (uint8_t)c);
		break;
	case KX_UART_8250:
		for (int i = 0; i < SPIN &&
		     !(rd(base + (UART8250_LSR << shift), width) & UART8250_LSR_THRE); i++)
			;
		wr(base + (UART8250_THR << shift), width, (uint8_t)c);
		break;
	}
}
