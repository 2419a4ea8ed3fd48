/* SPDX-License-Identifier: MIT */
/*
 * What every purgatory shares: the symbols the loader writes by name (the
 * kernel's entry, the registers to hand it, the digest table, the console)
 * and the functions each architecture supplies (console output, the set-up
 * around the check, a clock, halt). lib/core/purgatory_abi.h has the layout
 * the loader and the purgatories agree on.
 */
#ifndef KX_PURGATORY_COMMON_H
#define KX_PURGATORY_COMMON_H

#include <stdint.h>

#include "purgatory_abi.h"

/* Data the loader writes: kept in .data so that it is in the segment. */
#define KX_DATA __attribute__((section(".data"), used))

struct kx_digest {
	uint64_t addr;
	uint64_t len;
	uint8_t sha256[32];
};

extern uint64_t kx_entry;
extern uint64_t kx_args[4];
extern uint32_t kx_digest_count;
extern struct kx_digest kx_digests[KX_PURG_MAX_DIGESTS];
extern uint64_t kx_uart[2];

/* 0 when every digest matches, else the number (from 1) of the first bad. */
unsigned kx_purgatory_verify(const struct kx_digest *d, uint32_t n);
/* Checks the digests; returns to the entry code only if they all match. */
void kx_purgatory_main(void);
/* Its two halves, for an entry that must do something in between (s390x
 * kdump swaps memory): the check, silent (0: every digest matches, else
 * the first bad one's number from 1; *usec its time, 0 if unknown), and
 * the console line, which on a mismatch halts. */
unsigned kx_purgatory_check(uint64_t *usec);
void kx_purgatory_report(unsigned bad, uint64_t usec);
/* A string, and a number as 0x and 16 hex digits, on the console. */
void kx_puts(const char *s);
void kx_puthex(uint64_t v);
/* A memory-mapped console described by kx_uart (purgatory/common/uart.c). */
void kx_uart_putc(char c);

/* Per architecture. */
void kx_console_putc(char c);
/* Around the check: an architecture may map memory and turn caches on for
 * it (begin), and must leave the machine as the kernel expects (end). */
void kx_arch_check_begin(void);
void kx_arch_check_end(void);
/* How the check ran, for the report: "caches on, SHA-256 instructions". */
const char *kx_arch_check_mode(void);
/* A free-running clock in microseconds, or 0 where there is none. */
uint64_t kx_arch_usec(void);
void kx_halt(void) __attribute__((noreturn));

#endif
