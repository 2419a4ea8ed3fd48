/* SPDX-License-Identifier: MIT */
/*
 * SHA-256 blocks with the ARMv8 Cryptographic Extension (the Arm
 * Architecture Reference Manual's SHA256H, SHA256H2, SHA256SU0 and
 * SHA256SU1), through the ACLE intrinsics of <arm_neon.h>. Each group of
 * four rounds takes the next four schedule words plus constants; the
 * schedule for the groups four ahead is made as it goes. Built into the
 * library on arm64 hosts and into the arm64 purgatory; the caller checks
 * that the CPU has the instructions (kx_sha256_accel_available).
 */
#include <arm_neon.h>

#include "sha256_accel.h"

void kx_sha256_blocks_accel(uint32_t h[8], const uint8_t *p, size_t n)
{
	uint32x4_t abcd = vld1q_u32(&h[0]), efgh = vld1q_u32(&h[4]);

	for (; n; n--, p += 64) {
		uint32x4_t abcd0 = abcd, efgh0 = efgh;
		uint32x4_t m[4];

		for (int i = 0; i < 4; i++)
			m[i] = vreinterpretq_u32_u8(vrev32q_u8(vld1q_u8(p + 16 * i)));
		for (int g = 0; g < 16; g++) {
			uint32x4_t w = vaddq_u32(m[g & 3], vld1q_u32(&kx_sha256_k[4 * g]));
			uint32x4_t t = abcd;

			abcd = vsha256hq_u32(abcd, efgh, w);
			efgh = vsha256h2q_u32(efgh, t, w);
			if (g < 12)
				m[g & 3] = vsha256su1q_u32(
					vsha256su0q_u32(m[g & 3], m[(g + 1) & 3]),
					m[(g + 2) & 3], m[(g + 3) & 3]);
		}
		abcd = vaddq_u32(abcd, abcd0);
		efgh = vaddq_u32(efgh, efgh0);
	}
	vst1q_u32(&h[0], abcd);
	vst1q_u32(&h[4], efgh);
}
