/* SPDX-License-Identifier: MIT */
/*
 * SHA-256 blocks with the x86 SHA extensions (Intel's "SHA extensions"
 * white paper describes the instructions), used when CPUID leaf 7 says the
 * CPU has them. The state is kept as ABEF/CDGH, as sha256rnds2 wants it.
 */
#include <cpuid.h>
#include <immintrin.h>

#include "sha256_accel.h"

int kx_sha256_accel_available(void)
{
	unsigned a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d))
		return 0;
	if (!(c & bit_SSE4_1) || !(c & bit_SSSE3))
		return 0;
	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
		return 0;
	return !!(b & (1u << 29));
}

__attribute__((target("sha,sse4.1,ssse3"))) void
kx_sha256_blocks_accel(uint32_t h[8], const uint8_t *p, size_t n)
{
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL,
					     0x0405060700010203ULL);
	__m128i t = _mm_loadu_si128((const __m128i *)&h[0]);
	__m128i s1 = _mm_loadu_si128((const __m128i *)&h[4]);
	__m128i s0;

	t = _mm_shuffle_epi32(t, 0xb1);
	s1 = _mm_shuffle_epi32(s1, 0x1b);
	s0 = _mm_alignr_epi8(t, s1, 8);
	s1 = _mm_blend_epi16(s1, t, 0xf0);

	for (; n; n--, p += 64) {
		__m128i abef = s0, cdgh = s1, w[4], m;

		for (int i = 0; i < 16; i++) {
			__m128i *wi = &w[i & 3];

			if (i < 4) {
				m = _mm_loadu_si128((const __m128i *)(p + 16 * i));
				*wi = _mm_shuffle_epi8(m, bswap);
			} else {
				__m128i w0 = w[i & 3], w1 = w[(i + 1) & 3];
				__m128i w2 = w[(i + 2) & 3], w3 = w[(i + 3) & 3];

				m = _mm_add_epi32(_mm_sha256msg1_epu32(w0, w1),
						  _mm_alignr_epi8(w3, w2, 4));
				*wi = _mm_sha256msg2_epu32(m, w3);
			}
			m = _mm_add_epi32(*wi, _mm_loadu_si128(
				(const __m128i *)(kx_sha256_k + 4 * i)));
			s1 = _mm_sha256rnds2_epu32(s1, s0, m);
			m = _mm_shuffle_epi32(m, 0x0e);
			s0 = _mm_sha256rnds2_epu32(s0, s1, m);
		}
		s0 = _mm_add_epi32(s0, abef);
		s1 = _mm_add_epi32(s1, cdgh);
	}

	t = _mm_shuffle_epi32(s0, 0x1b);
	s1 = _mm_shuffle_epi32(s1, 0xb1);
	s0 = _mm_blend_epi16(t, s1, 0xf0);
	s1 = _mm_alignr_epi8(s1, t, 8);
	_mm_storeu_si128((__m128i *)&h[0], s0);
	_mm_storeu_si128((__m128i *)&h[4], s1);
}
