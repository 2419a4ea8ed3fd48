/* SPDX-License-Identifier: MIT */
/*
 * What every purgatory shares: the symbols the loader writes by name (the
 * kernel's entry, the registers to hand it, the digest table) and the
 * functions each architecture supplies (console output, halt).
 * The table layout matches KX_PURG_DIGEST_SIZE in lib/core/internal.h.
 */
#ifndef KX_PURGATORY_COMMON_H
#define KX_PURGATORY_COMMON_H

#include <stdint.h>

#define KX_PURG_MAX_DIGESTS 16

struct kx_digest {
	uint64_t addr;
	uint64_t len;
	uint8_t sha256[32];
};

extern uint64_t kx_entry;
extern uint64_t kx_args[4];
extern uint32_t kx_digest_count;
extern struct kx_digest kx_digests[KX_PURG_MAX_DIGESTS];

/* 0 when every digest matches, else the number (from 1) of the first bad. */
unsigned kx_purgatory_verify(const struct kx_digest *d, uint32_t n);
/* Checks the digests; returns to the entry code only if they all match. */
void kx_purgatory_main(void);

/* Per architecture. */
void kx_console_putc(char c);
void kx_halt(void) __attribute__((noreturn));

#endif
