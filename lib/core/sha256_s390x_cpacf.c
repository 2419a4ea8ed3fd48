/* SPDX-License-Identifier: MIT */
/*
 * SHA-256 blocks with CPACF, the s390x Message-Security Assist
 * (z/Architecture Principles of Operation, "COMPUTE INTERMEDIATE MESSAGE
 * DIGEST"): KIMD with function code 2 (KIMD-SHA-256) hashes whole 64-byte
 * blocks into a parameter block that is the chaining value itself, eight
 * big-endian words, which on s390x is h[] as it is. The instruction may
 * stop early (condition code 3) and is then resumed where it left off.
 * Whether the machine has it: STORE FACILITY LIST EXTENDED for the
 * Message-Security Assist (facility 17), then KIMD's query function (code
 * 0) for SHA-256 (bit 2). Built into the library on s390x hosts and into
 * the s390x purgatory; the caller checks kx_sha256_accel_available.
 */
#include "sha256_accel.h"

#define FACILITY_MSA 17
#define KIMD_QUERY 0
#define KIMD_SHA_256 2

/* KIMD of @len bytes at @src with function @fc on parameter block @param. */
static void kimd(unsigned long fc, void *param, const uint8_t *src,
		 unsigned long len)
{
	register unsigned long r0 __asm__("0") = fc;
	register unsigned long r1 __asm__("1") = (unsigned long)param;
	register unsigned long r2 __asm__("2") = (unsigned long)src;
	register unsigned long r3 __asm__("3") = len;

	__asm__ volatile("0: .long 0xb93e0002\n\t"   /* kimd %r0,%r2 */
			 "brc 1,0b"                   /* cc 3: resume */
			 : "+d"(r2), "+d"(r3)
			 : "d"(r0), "d"(r1)
			 : "cc", "memory");
}

int kx_sha256_accel_available(void)
{
	register unsigned long r0 __asm__("0") = 0;   /* one doubleword */
	unsigned long fac = 0;
	uint8_t query[16] __attribute__((aligned(8))) = { 0 };

	__asm__ volatile("stfle %0" : "=Q"(fac), "+d"(r0) : : "cc");
	if (!(fac >> (63 - FACILITY_MSA) & 1))
		return 0;
	kimd(KIMD_QUERY, query, 0, 0);
	return query[0] >> (7 - KIMD_SHA_256) & 1;
}

void kx_sha256_blocks_accel(uint32_t h[8], const uint8_t *p, size_t n)
{
	kimd(KIMD_SHA_256, h, p, (unsigned long)n * 64);
}
