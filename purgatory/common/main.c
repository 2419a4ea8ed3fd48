/* SPDX-License-Identifier: MIT */
/*
 * The purgatory's C entry: its data symbols (kept in .data so that the
 * loader can write them into the segment), and the check that runs before
 * the new kernel is entered. On a mismatch it says which segment on the
 * console and stops: entering a kernel whose memory changed is worse. On
 * success it says how much it checked and, where there is a clock, how
 * fast, so that the cost of the check is visible on real machines.
 */
#include "purgatory.h"

KX_DATA uint64_t kx_entry;
KX_DATA uint64_t kx_args[4];
KX_DATA uint32_t kx_digest_count;
KX_DATA struct kx_digest kx_digests[KX_PURG_MAX_DIGESTS];

void kx_puts(const char *s)
{
	while (*s)
		kx_console_putc(*s++);
}

void kx_puthex(uint64_t v)
{
	kx_puts("0x");
	for (int i = 60; i >= 0; i -= 4)
		kx_console_putc("0123456789abcdef"[(v >> i) & 0xf]);
}

static void putdec(uint64_t v)
{
	char buf[24];
	int i = sizeof(buf) - 1;

	buf[i] = '\0';
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v && i);
	kx_puts(&buf[i]);
}

static void report(uint64_t usec)
{
	uint64_t bytes = 0;

	for (uint32_t i = 0; i < kx_digest_count && i < KX_PURG_MAX_DIGESTS; i++)
		bytes += kx_digests[i].len;
	kx_puts("kexload purgatory: ");
	putdec(kx_digest_count);
	kx_puts(" segments, ");
	putdec(bytes);
	kx_puts(" bytes checked");
	if (usec) {
		kx_puts(" in ");
		putdec(usec);
		kx_puts(" us (");
		putdec(bytes / usec);
		kx_puts(" MB/s)");
	}
	kx_puts(", ");
	kx_puts(kx_arch_check_mode());
	kx_puts("\r\n");
}

unsigned kx_purgatory_check(uint64_t *usec)
{
	uint64_t t0, t1;
	unsigned bad;

	*usec = 0;
	if (!kx_digest_count)
		return 0;
	t0 = kx_arch_usec();
	kx_arch_check_begin();
	bad = kx_purgatory_verify(kx_digests, kx_digest_count);
	kx_arch_check_end();
	t1 = kx_arch_usec();
	*usec = t0 && t1 > t0 ? t1 - t0 : 0;
	return bad;
}

void kx_purgatory_report(unsigned bad, uint64_t usec)
{
	if (!kx_digest_count) {
		kx_puts("kexload purgatory: 0 segments, 0 bytes checked (checks off)\r\n");
		return;
	}
	if (!bad) {
		report(usec);
		return;
	}
	if (bad > KX_PURG_MAX_DIGESTS) {
		kx_puts("\r\nkexload purgatory: more digests than it holds");
	} else {
		kx_puts("\r\nkexload purgatory: SHA-256 mismatch in segment ");
		putdec(bad - 1);
		kx_puts(" at ");
		kx_puthex(kx_digests[bad - 1].addr);
	}
	kx_puts("; not entering the new kernel\r\n");
	kx_halt();
}

void kx_purgatory_main(void)
{
	uint64_t usec;
	unsigned bad = kx_purgatory_check(&usec);

	kx_purgatory_report(bad, usec);
}
