/* SPDX-License-Identifier: MIT */
/*
 * 32-bit ARM purgatory: what common/main.c asks of an architecture. The
 * check runs as the kernel left the machine (MMU and data cache off, see
 * entry.S), so every access goes to memory: there is no cache state to
 * set up or clean, and nothing stale is left for the next kernel. The
 * clock is the ARMv7 Generic Timer's virtual count (ARM DDI 0406C, B8),
 * where ID_PFR1 says the CPU has one. Console: the UART of the device
 * tree's stdout-path (common/uart.c).
 */
#include "../common/purgatory.h"

void kx_console_putc(char c)
{
	kx_uart_putc(c);
}

void kx_halt(void)
{
	for (;;)
		__asm__ volatile("wfi");
}

void kx_arch_check_begin(void)
{
}

void kx_arch_check_end(void)
{
}

const char *kx_arch_check_mode(void)
{
	return "caches off, generic C";
}

uint64_t kx_arch_usec(void)
{
	uint32_t pfr1, freq, lo, hi;
	uint64_t c;

	__asm__ volatile("mrc p15, 0, %0, c0, c1, 1" : "=r"(pfr1));
	if (!((pfr1 >> 16) & 0xf))       /* GenTimer */
		return 0;
	__asm__ volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(freq));
	__asm__ volatile("isb\n\tmrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi));
	if (!freq)
		return 0;
	c = (uint64_t)hi << 32 | lo;
	return c / freq * 1000000 + c % freq * 1000000 / freq;
}
