/* SPDX-License-Identifier: MIT */
/*
 * s390x purgatory for a crash (kdump) kernel. Facts from the kernel's
 * arch/s390/kernel/machine_kexec.c and crash_dump.c and its purgatory's
 * head.S (read, not copied): the crashed kernel calls the entry as a
 * function, in 64-bit mode with DAT off, twice. First with r2 = 0, from
 * the running kernel before it stops anything: check the segments and
 * return 0 if they are intact (else it does not use this kernel). Then,
 * after it reset the machine (prefix 0, the other CPUs stopped with
 * their status stored) and copied its CPU's registers to the save areas
 * at absolute 0x1200, with r2 = 1: start the kdump kernel. That kernel
 * was loaded into the crash region at the addresses it runs at counted
 * from the region's start, and it runs from 0: so the region and the
 * memory from 0 of the region's size are swapped (the crashed kernel's
 * first bytes, lowcore and save areas included, are then in the region,
 * where the parameter area's oldmem_base and oldmem_size tell the kdump
 * kernel to read them), and the kernel is entered at 0x10010 through a
 * short PSW at 0 and DIAGNOSE 0x308 subcode 1 ("load normal"), the reset
 * that keeps the stopped CPUs' registers for the dump.
 *
 * This code runs from the region itself (at its start plus 0x2000), so
 * its own pages are swapped last, by a few instructions (kx_crash_tail,
 * entry.S) copied to low memory the kdump kernel does not use before it
 * sets up its lowcore. Nothing touches the lowcore before the swap: the
 * console line is written after it.
 */
#include "../common/purgatory.h"

#define PAGE 4096ULL
#define TAIL_AT 0x1800ULL            /* in the new lowcore, unused by then */
#define SHORT_PSW 0x0008000080000000ULL

KX_DATA uint64_t kx_crash[2];        /* the crash region: start, size */
KX_DATA uint64_t kx_self[2];         /* this purgatory: start, size */
/* What kx_crash_tail gets: r2-r6 (destination, length, source, length,
 * the PSW for absolute 0). */
uint64_t kx_crash_tail_args[5];

extern const uint8_t kx_crash_tail[], kx_crash_tail_end[];

/* An address as a pointer the compiler knows nothing about (0 is one). */
static uint64_t *at(uint64_t addr)
{
	__asm__("" : "+d"(addr));
	return (uint64_t *)addr;
}

static void swap(uint64_t a, uint64_t b, uint64_t len)
{
	uint64_t *p = at(a), *q = at(b);

	for (uint64_t i = 0; i < len / 8; i++) {
		uint64_t t = p[i];

		p[i] = q[i];
		q[i] = t;
	}
}

/* r2 = 0: the check alone, silent; 0 when every segment is intact. */
int kx_crash_check(void)
{
	uint64_t usec;

	return (int)kx_purgatory_check(&usec);
}

/* r2 = 1: check, swap, report; returns where kx_crash_tail now is. */
uint64_t kx_crash_start(void)
{
	uint64_t base = kx_crash[0], size = kx_crash[1], usec;
	uint64_t self = kx_self[0] - base;
	uint64_t self_end = (self + kx_self[1] + PAGE - 1) & ~(PAGE - 1);
	unsigned bad = kx_purgatory_check(&usec);
	volatile uint8_t *tail = (volatile uint8_t *)at(TAIL_AT);

	if (bad)
		kx_purgatory_report(bad, usec);   /* does not return */
	swap(0, base, self);
	swap(self_end, base + self_end, size - self_end);
	kx_purgatory_report(0, usec);
	for (const uint8_t *p = kx_crash_tail; p < kx_crash_tail_end; p++)
		*tail++ = *p;
	kx_crash_tail_args[0] = base + self;
	kx_crash_tail_args[1] = self_end - self;
	kx_crash_tail_args[2] = self;
	kx_crash_tail_args[3] = self_end - self;
	kx_crash_tail_args[4] = SHORT_PSW | kx_entry;
	return TAIL_AT;
}
