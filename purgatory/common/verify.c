/* SPDX-License-Identifier: MIT */
/*
 * The check the purgatory exists for: the SHA-256 of every segment, as it
 * lies in memory after the kernel copied it there, against the digest taken
 * at load time. Physical addresses are identity mapped here. This file is
 * also built into the host's unit tests, with addresses that are pointers.
 */
#include "purgatory.h"
#include "kexload.h"

unsigned kx_purgatory_verify(const struct kx_digest *d, uint32_t n)
{
	if (n > KX_PURG_MAX_DIGESTS)
		return KX_PURG_MAX_DIGESTS + 1;
	for (uint32_t i = 0; i < n; i++) {
		uint8_t got[KX_SHA256_LEN];
		uint8_t diff = 0;

		kx_sha256((const void *)(uintptr_t)d[i].addr, (size_t)d[i].len,
			  got);
		for (unsigned k = 0; k < KX_SHA256_LEN; k++)
			diff |= got[k] ^ d[i].sha256[k];
		if (diff)
			return i + 1;
	}
	return 0;
}
