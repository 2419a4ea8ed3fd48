/* SPDX-License-Identifier: MIT */
/*
 * x86_64 around the check. relocate_kernel enters the purgatory on the
 * kernel's identity-mapped page tables with caches on, so memory is
 * already fast; but it sets CR4 to a known state that leaves SSE off
 * (OSFXSR clear), and the SHA extensions work on SSE registers. So the
 * check turns OSFXSR and OSXMMEXCPT on first, and hashes with the SHA
 * extensions where CPUID says the CPU has them (leaf 7, EBX bit 29, with
 * SSSE3 and SSE4.1: lib/core/sha256_x86.c's test); the new kernel sets CR4
 * its own way when it starts. There is no calibrated clock here (the
 * TSC's rate is not known without the kernel), so no timing.
 */
#include "../common/purgatory.h"
#include "../../lib/core/sha256_accel.h"

#define CR4_OSFXSR (1UL << 9)
#define CR4_OSXMMEXCPT (1UL << 10)

static int sha_ni;

/* SSE on, on every x86_64 CPU (all have SSE2): the same steps whether
 * or not the SHA extensions follow, so that every machine, emulated ones
 * without them included, runs this code. The pxor is the proof: with
 * OSFXSR clear it would fault. */
static void sse_on(void)
{
	unsigned long cr4;

	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	cr4 |= CR4_OSFXSR | CR4_OSXMMEXCPT;
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4) : "memory");
	__asm__ volatile(".byte 0x66, 0x0f, 0xef, 0xc0" /* pxor %xmm0,%xmm0 */
			 ::: "memory");
}

void kx_arch_check_begin(void)
{
	sse_on();
	sha_ni = kx_sha256_accel_available();
}

void kx_arch_check_end(void)
{
}

const char *kx_arch_check_mode(void)
{
	return sha_ni ? "caches on, SHA-256 instructions" :
			"caches on, generic C";
}

uint64_t kx_arch_usec(void)
{
	return 0;
}
