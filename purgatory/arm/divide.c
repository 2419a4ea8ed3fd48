/* SPDX-License-Identifier: MIT */
/*
 * Integer division for the 32-bit ARM purgatory. ARMv7-A has no divide
 * instruction in ARM state before the virtualization extensions, so the
 * compiler calls these helpers, named and shaped by the "Run-time ABI for
 * the Arm Architecture" (section 4.3.1): __aeabi_uidiv, __aeabi_uidivmod
 * (quotient in r0, remainder in r1: a 64-bit return value) and
 * __aeabi_uldivmod (in entry.S, around kx_udivmod64). Long division, one
 * bit at a time: the purgatory divides a handful of times, for its report.
 * Division by zero gives 0 (there is nobody to trap to).
 */
#include <stdint.h>

uint64_t kx_udivmod64(uint64_t n, uint64_t d, uint64_t *rem);
unsigned __aeabi_uidiv(unsigned n, unsigned d);
uint64_t __aeabi_uidivmod(unsigned n, unsigned d);

uint64_t kx_udivmod64(uint64_t n, uint64_t d, uint64_t *rem)
{
	uint64_t q = 0, r = 0;

	if (!d) {
		*rem = 0;
		return 0;
	}
	for (int i = 63; i >= 0; i--) {
		r = r << 1 | ((n >> i) & 1);
		if (r >= d) {
			r -= d;
			q |= 1ULL << i;
		}
	}
	*rem = r;
	return q;
}

uint64_t __aeabi_uidivmod(unsigned n, unsigned d)
{
	uint64_t r, q = kx_udivmod64(n, d, &r);

	return (uint32_t)q | r << 32;
}

unsigned __aeabi_uidiv(unsigned n, unsigned d)
{
	return (unsigned)__aeabi_uidivmod(n, d);
}
