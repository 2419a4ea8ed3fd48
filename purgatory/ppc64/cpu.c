/* SPDX-License-Identifier: MIT */
/*
 * ppc64: the console and clock around the check. The kernel enters the
 * purgatory in real mode (MMU off), where memory accesses are cacheable,
 * so the check runs with caches on. The console is the hypervisor's
 * (PAPR's H_PUT_TERM_CHAR on the vty the loader found under /vdevice) or
 * an 8250 UART the device tree names (common/uart.c); the clock is the
 * timebase, at the frequency the device tree gives.
 */
#include "../common/purgatory.h"

/* kx_ppc64_hvterm[0]: 1 when [1] is a PAPR vty's terminal number. */
KX_DATA uint64_t kx_ppc64_hvterm[2];
/* The timebase frequency in Hz, 0 if not known. */
KX_DATA uint64_t kx_ppc64_tb_hz;
/* A crash load's backup: where [0, kx_ppc64_backup[1]) is copied after
 * the check (entry.S), before the crash kernel overwrites it; 0: none. */
KX_DATA uint64_t kx_ppc64_backup[2];

void kx_ppc64_hcall_put(uint64_t termno, uint64_t len, uint64_t hi,
			uint64_t lo);

void kx_console_putc(char c)
{
	if (kx_ppc64_hvterm[0] == 1)
		kx_ppc64_hcall_put(kx_ppc64_hvterm[1], 1,
				   (uint64_t)(uint8_t)c << 56, 0);
	else
		kx_uart_putc(c);
}

void kx_arch_check_begin(void)
{
}

void kx_arch_check_end(void)
{
}

const char *kx_arch_check_mode(void)
{
	return "caches on, generic C";
}

uint64_t kx_arch_usec(void)
{
	uint64_t tb;

	if (kx_ppc64_tb_hz < 1000000)
		return 0;
	__asm__ volatile("mftb %0" : "=r"(tb));
	return tb / (kx_ppc64_tb_hz / 1000000);
}

void kx_halt(void)
{
	for (;;)
		__asm__ volatile("or 1, 1, 1");
}
