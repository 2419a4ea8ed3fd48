/* SPDX-License-Identifier: MIT */
/*
 * arm64 purgatory: the check runs with the MMU and caches on. The kernel
 * enters the purgatory with them off, and hashing through uncached memory
 * is what made kexec-tools' arm64 purgatory take minutes on real machines.
 * So before the check we build identity-mapped page tables (4 KiB granule,
 * 48-bit addresses, 2 MiB blocks of Normal write-back memory) covering the
 * segments to hash and the purgatory itself, and nothing else: device
 * memory stays unmapped and is never touched while the MMU is on. After
 * the check the purgatory's own lines are cleaned and invalidated and the
 * MMU turned off again; the hashed segments were only read, and their
 * clean lines are invalidated too so that none is left stale for the next
 * kernel (the ARM ARM's "Data cache maintenance instructions").
 * Where the tables would not fit the pool, or an address is beyond 48
 * bits, the check runs uncached: slower, still correct.
 */
#include "../common/purgatory.h"
#include "efi_abi.h"
#include "sha256_accel.h"

#define BLOCK_SIZE (2ULL << 20)
#define POOL_PAGES 24
#define DESC_TABLE 3ULL
#define DESC_BLOCK 1ULL
#define DESC_AF (1ULL << 10)
#define DESC_SH_INNER (3ULL << 8)
#define DESC_AP1 (1ULL << 6)        /* RES1 in a non-VHE EL2 regime */
#define MAIR_NORMAL_WB 0xffULL      /* attribute 0: inner/outer WB RW-alloc */
#define MAIR_DEVICE (0x04ULL << 8)  /* attribute 1: Device-nGnRE */
#define DESC_DEVICE (1ULL << 2)     /* AttrIndx 1 */
#define DESC_XN (3ULL << 53)        /* UXN, PXN */
#define TCR_T0SZ_48 16ULL
#define TCR_WB_SH (1ULL << 8 | 1ULL << 10 | 3ULL << 12)
#define TCR_EL1_EPD1 (1ULL << 23)
#define TCR_EL2_RES1 (1ULL << 31 | 1ULL << 23)

void kx_arm64_mmu_on(uint64_t ttbr0, uint64_t tcr, uint64_t mair, int el2);
void kx_arm64_mmu_off(uint64_t start, uint64_t end, int el2);

/* Written by the loader: the purgatory's own physical extent. */
KX_DATA uint64_t kx_self[2];

static uint64_t pool[POOL_PAGES][512] __attribute__((aligned(4096)));
static unsigned pool_used;
static int mmu_el2;     /* -1: the check runs uncached */

#define SYSREG(name)                                                  \
	({                                                            \
		uint64_t v_;                                          \
		__asm__ volatile("mrs %0, " #name : "=r"(v_));        \
		v_;                                                   \
	})

int kx_sha256_accel_available(void)
{
	return ((SYSREG(id_aa64isar0_el1) >> 12) & 0xf) != 0;   /* SHA2 */
}

void kx_console_putc(char c)
{
	kx_uart_putc(c);
}

void kx_halt(void)
{
	for (;;)
		__asm__ volatile("wfi");
}

uint64_t kx_arch_usec(void)
{
	uint64_t f = SYSREG(cntfrq_el0), c;

	__asm__ volatile("isb");
	c = SYSREG(cntvct_el0);
	if (!f)
		return 0;
	return c / f * 1000000 + c % f * 1000000 / f;
}

const char *kx_arch_check_mode(void)
{
	if (kx_sha256_accel_available())
		return mmu_el2 < 0 ? "caches off, SHA-256 instructions" :
				     "caches on, SHA-256 instructions";
	return mmu_el2 < 0 ? "caches off, generic C" : "caches on, generic C";
}

static uint64_t *table_at(uint64_t *parent, unsigned idx)
{
	uint64_t d = parent[idx];

	if (d & 1)
		return (uint64_t *)(uintptr_t)(d & 0x0000fffffffff000ULL);
	if (pool_used == POOL_PAGES)
		return 0;
	parent[idx] = (uint64_t)(uintptr_t)pool[pool_used] | DESC_TABLE;
	return pool[pool_used++];
}

/* Maps the 2 MiB blocks that [start, end) touches; false if out of room. */
static int map(uint64_t start, uint64_t end, uint64_t attrs)
{
	if (end <= start)
		return 1;
	if (end > 1ULL << 48)
		return 0;
	for (uint64_t b = start & ~(BLOCK_SIZE - 1); b < end; b += BLOCK_SIZE) {
		uint64_t *l1 = table_at(pool[0], (b >> 39) & 511);
		uint64_t *l2 = l1 ? table_at(l1, (b >> 30) & 511) : 0;

		if (!l2)
			return 0;
		l2[(b >> 21) & 511] = b | attrs;
	}
	return 1;
}

/* The translation regime the MMU is set up in: 1 for EL2 (without E2H),
 * 0 for EL1 (or EL2 with E2H, through the EL1 registers), -1 for none. */
static int regime(void)
{
	uint64_t el = (SYSREG(CurrentEL) >> 2) & 3;

	if (el == 2 && !((SYSREG(hcr_el2) >> 34) & 1))
		return 1;
	return el == 1 || el == 2 ? 0 : -1;
}

static uint64_t normal_attrs(void)
{
	return DESC_BLOCK | DESC_AF | DESC_SH_INNER | (mmu_el2 ? DESC_AP1 : 0);
}

/* Empty tables: pool[0] is the level 0 table. */
static void tables_reset(void)
{
	for (unsigned i = 0; i < pool_used; i++)
		for (unsigned k = 0; k < 512; k++)
			pool[i][k] = 0;
	pool_used = 1;
}

static void mmu_on(uint64_t mair)
{
	uint64_t pa = SYSREG(id_aa64mmfr0_el1) & 7, tcr;   /* PARange */

	if (pa > 5)
		pa = 5;      /* 48 bits is what these tables map */
	if (mmu_el2)
		tcr = TCR_EL2_RES1 | pa << 16 | TCR_WB_SH | TCR_T0SZ_48;
	else
		tcr = TCR_EL1_EPD1 | pa << 32 | TCR_WB_SH | TCR_T0SZ_48;
	__asm__ volatile("dsb sy" ::: "memory");
	kx_arm64_mmu_on((uint64_t)(uintptr_t)pool[0], tcr, mair, mmu_el2);
}

void kx_arch_check_begin(void)
{
	int ok;

	mmu_el2 = regime();
	if (mmu_el2 < 0 || !kx_self[1])
		goto uncached;
	tables_reset();
	ok = map(kx_self[0], kx_self[0] + kx_self[1], normal_attrs());
	for (uint32_t i = 0; ok && i < kx_digest_count && i < KX_PURG_MAX_DIGESTS; i++)
		ok = map(kx_digests[i].addr, kx_digests[i].addr + kx_digests[i].len,
			 normal_attrs());
	if (!ok)
		goto uncached;
	mmu_on(MAIR_NORMAL_WB);
	return;
uncached:
	mmu_el2 = -1;
}

/* For the EFI environment (purgatory/arm64/efi.c): every range of the
 * hand-over's map and the purgatory as Normal memory, the console's UART
 * as Device memory, MMU and caches on; left on for the PE. */
int kx_arm64_mmu_efi(const struct kx_efi_mem *mem, uint32_t n, uint64_t uart)
{
	int ok;

	mmu_el2 = regime();
	if (mmu_el2 < 0)
		return -1;
	tables_reset();
	ok = !uart || map(uart, uart + 1, DESC_BLOCK | DESC_AF | DESC_DEVICE |
			  DESC_XN | (mmu_el2 ? DESC_AP1 : 0));
	for (uint32_t i = 0; ok && i < n; i++)
		ok = map(mem[i].phys, mem[i].phys + mem[i].pages * 4096,
			 normal_attrs());
	if (ok)
		ok = map(kx_self[0], kx_self[0] + kx_self[1], normal_attrs());
	if (!ok)
		return -1;
	mmu_on(MAIR_NORMAL_WB | MAIR_DEVICE);
	return 0;
}

static void clean_inval(uint64_t start, uint64_t end)
{
	uint64_t line = 4ULL << ((SYSREG(ctr_el0) >> 16) & 0xf);

	for (uint64_t a = start & ~(line - 1); a < end; a += line)
		__asm__ volatile("dc civac, %0" : : "r"(a) : "memory");
}

void kx_arch_check_end(void)
{
	if (mmu_el2 < 0)
		return;
	for (uint32_t i = 0; i < kx_digest_count && i < KX_PURG_MAX_DIGESTS; i++)
		clean_inval(kx_digests[i].addr, kx_digests[i].addr + kx_digests[i].len);
	kx_arm64_mmu_off(kx_self[0], kx_self[0] + kx_self[1], mmu_el2);
}
