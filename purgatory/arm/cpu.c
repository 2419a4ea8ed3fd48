/* SPDX-License-Identifier: MIT */
/*
 * 32-bit ARM purgatory: what common/main.c asks of an architecture, and
 * the check run with the MMU and caches on. The kernel enters the
 * purgatory with them off (entry.S), where every instruction fetch and
 * every load goes to memory: on a real Cortex-A9 that is minutes for a
 * large initrd. So, in SVC mode on a CPU with a VMSAv7 MMU, we build a
 * short-descriptor translation table (ARM DDI 0406C, B3.5) that maps, with
 * 1 MiB sections of Normal write-back memory, the purgatory and the
 * segments to hash and nothing else (device memory stays unmapped: the
 * console is not used while the MMU is on), invalidate the data caches by
 * set/way (lines the old kernel left would be stale: the segments were
 * copied with caches off), and turn the MMU and caches on. Afterwards the
 * hashed ranges and the purgatory are cleaned and invalidated and the
 * machine left as booting.rst asks: MMU and data cache off. In HYP mode,
 * or without a VMSAv7 MMU, the check runs uncached: slower, still right.
 * The clock is the Generic Timer's virtual count (B8), where ID_PFR1 says
 * there is one. Console: the UART of the device tree's stdout-path.
 */
#include "../common/purgatory.h"
#include "cache_lines.h"

#define MODE_MASK 0x1f
#define MODE_HYP 0x1a
#define SECTION_SHIFT 20
/* A section: Normal memory, outer and inner write-back write-allocate
 * (TEX 001, C, B), read/write at PL1 (AP 11), shareable, domain 0. */
#define SECT_NORMAL (2u | 1u << 2 | 1u << 3 | 3u << 10 | 1u << 12 | 1u << 16)
#define TABLE_ENTRIES 4096
#define TABLE_ALIGN 0x4000u

void kx_arm_mmu_on(uint32_t ttbr0);
void kx_arm_mmu_off(uint32_t first, uint32_t count, uint32_t line,
		    uint32_t sctlr);

/* Written by the loader: the purgatory's own physical extent. */
KX_DATA uint64_t kx_self[2];

/* Room for a 16 KiB table on a 16 KiB boundary (sections align to 4 KiB). */
static uint32_t table_pool[2 * TABLE_ENTRIES] __attribute__((aligned(4096)));
static uint32_t saved_sctlr;
static int cached;

#define CP15_READ(op1, crn, crm, op2)                                         \
	({                                                                     \
		uint32_t v_;                                                   \
		__asm__ volatile("mrc p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 \
				 : "=r"(v_));                                  \
		v_;                                                            \
	})
#define CP15_WRITE(op1, crn, crm, op2, v)                                     \
	__asm__ volatile("mcr p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 \
			 : : "r"(v) : "memory")

void kx_console_putc(char c)
{
	kx_uart_putc(c);
}

void kx_halt(void)
{
	for (;;)
		__asm__ volatile("wfi");
}

const char *kx_arch_check_mode(void)
{
	return cached ? "caches on, generic C" : "caches off, generic C";
}

uint64_t kx_arch_usec(void)
{
	uint32_t freq, lo, hi;
	uint64_t c;

	if (!((CP15_READ(0, c0, c1, 1) >> 16) & 0xf))   /* ID_PFR1.GenTimer */
		return 0;
	freq = CP15_READ(0, c14, c0, 0);                  /* CNTFRQ */
	__asm__ volatile("isb\n\tmrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi));
	if (!freq)
		return 0;
	c = (uint64_t)hi << 32 | lo;
	return c / freq * 1000000 + c % freq * 1000000 / freq;
}

static uint32_t *table(void)
{
	return (uint32_t *)(((uintptr_t)table_pool + TABLE_ALIGN - 1) &
			    ~(uintptr_t)(TABLE_ALIGN - 1));
}

/* Maps the sections [start, end) touches; false beyond 32 bits. */
static int map(uint32_t *t, uint64_t start, uint64_t end)
{
	if (end <= start)
		return 1;
	if (end > 1ULL << 32)
		return 0;
	for (uint64_t s = start >> SECTION_SHIFT; s <= (end - 1) >> SECTION_SHIFT; s++)
		t[s] = (uint32_t)(s << SECTION_SHIFT) | SECT_NORMAL;
	return 1;
}

/* Every data or unified cache level up to the point of coherency, by set
 * and way (CLIDR, CSSELR, CCSIDR; B4.2.1). */
static void dcache_invalidate_all(void)
{
	uint32_t clidr = CP15_READ(1, c0, c0, 1);
	uint32_t loc = (clidr >> 24) & 7;

	for (uint32_t level = 0; level < loc; level++) {
		uint32_t ccsidr, ways, sets, line, wshift;

		if (((clidr >> (3 * level)) & 7) < 2)   /* no data cache */
			continue;
		CP15_WRITE(2, c0, c0, 0, level << 1);
		__asm__ volatile("isb");
		ccsidr = CP15_READ(1, c0, c0, 0);
		line = (ccsidr & 7) + 4;
		ways = (ccsidr >> 3) & 0x3ff;
		sets = (ccsidr >> 13) & 0x7fff;
		wshift = ways ? (uint32_t)__builtin_clz(ways) : 0;
		for (uint32_t w = 0; w <= ways; w++)
			for (uint32_t s = 0; s <= sets; s++)
				CP15_WRITE(0, c7, c6, 2, (w << wshift) |
					   (s << line) | level << 1);
	}
	__asm__ volatile("dsb" ::: "memory");
}

void kx_arch_check_begin(void)
{
	uint32_t cpsr, *t = table();
	int ok;

	cached = 0;
	__asm__ volatile("mrs %0, cpsr" : "=r"(cpsr));
	if ((cpsr & MODE_MASK) == MODE_HYP || !kx_self[1] ||
	    (CP15_READ(0, c0, c1, 4) & 0xf) < 3)   /* ID_MMFR0: VMSAv7 */
		return;
	for (int i = 0; i < TABLE_ENTRIES; i++)
		t[i] = 0;   /* fault: nothing else is mapped */
	ok = map(t, kx_self[0], kx_self[0] + kx_self[1]);
	for (uint32_t i = 0; ok && i < kx_digest_count && i < KX_PURG_MAX_DIGESTS; i++)
		ok = map(t, kx_digests[i].addr, kx_digests[i].addr + kx_digests[i].len);
	if (!ok)
		return;
	saved_sctlr = CP15_READ(0, c1, c0, 0);
	dcache_invalidate_all();
	kx_arm_mmu_on((uint32_t)(uintptr_t)t);
	cached = 1;
}

/* log2 of the smallest data cache line in bytes (CTR.DminLine, in words). */
static unsigned dline_shift(void)
{
	return ((CP15_READ(0, c0, c0, 1) >> 16) & 0xf) + 2;
}

/* By a count of lines: a segment may end at 4 GiB (cache_lines.h). */
static void clean_inval(uint64_t start, uint64_t end)
{
	unsigned shift = dline_shift();
	struct kx_arm_lines l = kx_arm_lines(start, end, shift);

	for (uint32_t a = l.first, n = l.count; n; n--, a += 1u << shift)
		CP15_WRITE(0, c7, c14, 1, a);   /* DCCIMVAC */
}

void kx_arch_check_end(void)
{
	struct kx_arm_lines self;
	unsigned shift;

	if (!cached)
		return;
	shift = dline_shift();
	/* The segments were only read: no line of theirs is dirty, but
	 * none may stay valid for the next kernel to hit once it turns its
	 * caches on. The purgatory's own lines, written through the cache,
	 * are cleaned last, in kx_arm_mmu_off, with no store after. */
	for (uint32_t i = 0; i < kx_digest_count && i < KX_PURG_MAX_DIGESTS; i++)
		clean_inval(kx_digests[i].addr, kx_digests[i].addr + kx_digests[i].len);
	self = kx_arm_lines(kx_self[0], kx_self[0] + kx_self[1], shift);
	kx_arm_mmu_off(self.first, self.count, 1u << shift, saved_sctlr);
}
