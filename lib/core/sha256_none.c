/* SPDX-License-Identifier: MIT */
/* No SHA-256 instructions on this build: sha256.c uses its C blocks. */
#include "sha256_accel.h"

int kx_sha256_accel_available(void)
{
	return 0;
}

void kx_sha256_blocks_accel(uint32_t h[8], const uint8_t *p, size_t n)
{
	kx_sha256_blocks_generic(h, p, n);
}
