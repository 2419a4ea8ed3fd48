/* SPDX-License-Identifier: MIT */
/*
 * x86_64 purgatory console: the first PC serial port (COM1, I/O 0x3f8),
 * polled. Where there is no UART the status read gives 0xff and the bytes
 * go nowhere.
 */
#include "../common/purgatory.h"

#define COM1 0x3f8
#define LSR 5
#define LSR_THRE 0x20

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

void kx_console_putc(char c)
{
	for (int i = 0; i < 100000 && !(inb(COM1 + LSR) & LSR_THRE); i++)
		;
	outb(COM1, (uint8_t)c);
}

void kx_halt(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}
