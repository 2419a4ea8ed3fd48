/* SPDX-License-Identifier: MIT */
/*
 * The purgatory's C entry (purgatory/common/main.c), built for the host
 * with the architecture's functions replaced by stubs that capture the
 * console: what it says when every digest matches, when checks are off,
 * and which segment it names on a mismatch (from 0, past the tenth too).
 */
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "../../purgatory/common/purgatory.h"
#include "tap.h"
#include "kexload.h"

static char console[512];
static size_t nconsole;
static jmp_buf halted;

void kx_console_putc(char c)
{
	if (nconsole + 1 < sizeof(console))
		console[nconsole++] = c;
	console[nconsole] = '\0';
}

void kx_arch_check_begin(void)
{
}

void kx_arch_check_end(void)
{
}

const char *kx_arch_check_mode(void)
{
	return "host test";
}

uint64_t kx_arch_usec(void)
{
	return 0;
}

void kx_halt(void)
{
	longjmp(halted, 1);
}

/* Runs the purgatory's main; true if it halted. */
static bool run(void)
{
	nconsole = 0;
	console[0] = '\0';
	if (setjmp(halted))
		return true;
	kx_purgatory_main();
	return false;
}

int main(void)
{
	static uint8_t seg[14][256];
	char want[160];

	for (unsigned i = 0; i < 14; i++) {
		memset(seg[i], (int)i + 1, sizeof(seg[i]));
		kx_digests[i].addr = (uint64_t)(uintptr_t)seg[i];
		kx_digests[i].len = sizeof(seg[i]);
		kx_sha256(seg[i], sizeof(seg[i]), kx_digests[i].sha256);
	}
	kx_digest_count = 14;
	ok(!run(), "14 intact segments: it returns to enter the kernel");
	is_str(console, "kexload purgatory: 14 segments, 3584 bytes checked, "
	       "host test\r\n", "... and says what it checked");

	for (unsigned bad = 0; bad < 14; bad += 11) {
		seg[bad][100] ^= 0x40;
		ok(run(), "segment %u changed: it halts", bad);
		snprintf(want, sizeof(want), "\r\nkexload purgatory: SHA-256 "
			 "mismatch in segment %u at 0x%016llx; not entering the "
			 "new kernel\r\n", bad,
			 (unsigned long long)(uintptr_t)seg[bad]);
		is_str(console, want, "... naming segment %u and its address",
		       bad);
		seg[bad][100] ^= 0x40;
	}

	kx_digest_count = 0;
	ok(!run(), "checks off: it returns");
	is_str(console, "kexload purgatory: 0 segments, 0 bytes checked "
	       "(checks off)\r\n", "... saying so");
	kx_digest_count = KX_PURG_MAX_DIGESTS + 1;
	ok(run(), "a digest count past the table: it halts");
	like(console, "more digests than it holds", "... saying so");
	return done_testing();
}
