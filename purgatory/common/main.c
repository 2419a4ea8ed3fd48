/* SPDX-License-Identifier: MIT */
/*
 * The purgatory's C entry: its data symbols (kept in .data so that the
 * loader can write them into the segment), and the check that runs before
 * the new kernel is entered. On a mismatch it says which segment on the
 * console and stops: entering a kernel whose memory changed is worse.
 */
#include "purgatory.h"

#define DATA __attribute__((section(".data"), used))

DATA uint64_t kx_entry;
DATA uint64_t kx_args[4];
DATA uint32_t kx_digest_count;
DATA struct kx_digest kx_digests[KX_PURG_MAX_DIGESTS];

static void puts_(const char *s)
{
	while (*s)
		kx_console_putc(*s++);
}

static void puthex(uint64_t v)
{
	puts_("0x");
	for (int i = 60; i >= 0; i -= 4)
		kx_console_putc("0123456789abcdef"[(v >> i) & 0xf]);
}

void kx_purgatory_main(void)
{
	unsigned bad = kx_purgatory_verify(kx_digests, kx_digest_count);

	if (!bad)
		return;
	puts_("\r\nkexload purgatory: SHA-256 mismatch in segment ");
	kx_console_putc((char)('0' + (bad - 1) % 10));
	if (bad <= KX_PURG_MAX_DIGESTS) {
		puts_(" at ");
		puthex(kx_digests[bad - 1].addr);
	}
	puts_("; not entering the new kernel\r\n");
	kx_halt();
}
