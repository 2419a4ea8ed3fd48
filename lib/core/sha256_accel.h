/* SPDX-License-Identifier: MIT */
/*
 * The hook through which sha256.c uses SHA-256 instructions. Each build of
 * sha256.c (the library on some host, a purgatory for some target) is
 * linked with exactly one provider of these two functions:
 *   lib/core/sha256_x86.c    x86 SHA extensions, checked with CPUID
 *   lib/core/sha256_none.c   none: the generic C block function only
 */
#ifndef KX_SHA256_ACCEL_H
#define KX_SHA256_ACCEL_H

#include <stddef.h>
#include <stdint.h>

extern const uint32_t *const kx_sha256_k;

void kx_sha256_blocks_generic(uint32_t h[8], const uint8_t *p, size_t n);
int kx_sha256_accel_available(void);
void kx_sha256_blocks_accel(uint32_t h[8], const uint8_t *p, size_t n);

#endif
