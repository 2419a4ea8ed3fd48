/* SPDX-License-Identifier: MIT */
/*
 * The x86_64 purgatory's second way to end: after the check, start a PE
 * (a bzImage through its PE entry) through its own EFI stub
 * (purgatory/efi/). UEFI 2.10 section 2.3.4 (x64 platforms) asks for
 * long mode on an identity map of the memory the map lists, caches on,
 * interrupts off, SSE on, the direction flag clear, a stack of 128 KiB
 * aligned to 16 bytes, and Microsoft's calling convention (image handle
 * in RCX, system table in RDX, 32 bytes of shadow space). The kernel's
 * relocate_kernel already runs us on such an identity map of RAM (and
 * of the ACPI tables and EFI regions it knows), with caches on; the
 * check turned SSE on; the console is COM1's I/O ports.
 *
 * But the page tables the kernel left are in its control pages, which
 * lie anywhere in RAM the segments do not: memory the environment hands
 * out as free. So before the stub runs, the purgatory switches to page
 * tables of its own, in its own pages: every address up to the top of
 * the map identity-mapped writable and executable, in 1 GiB pages where
 * the CPU has them (CPUID 0x80000001 EDX bit 26), else 2 MiB, with a
 * fifth level where the kernel left LA57 on (it cannot be turned off in
 * long mode). The caching of device ranges is the MTRRs' to say (UC
 * there wins over the page's write-back).
 *
 * The purgatory's own pages become EfiRuntimeServicesCode: the new
 * kernel calls the environment's SetVirtualAddressMap (which accepts and
 * changes nothing) and reads the system table through a 1:1 mapping it
 * makes of the runtime regions only. The environment's
 * EFI_RT_PROPERTIES_TABLE says that no runtime service is supported
 * after that, so the kernel calls nothing more here.
 */
#include "../common/purgatory.h"
#include "../efi/env.h"
#include "../../lib/arch/x86_64/bootparam.h"

/* Written by the loader: the hand-over block, or 0 to enter a kernel. */
KX_DATA uint64_t kx_efi_handover;
KX_DATA uint64_t kx_self[2];         /* this purgatory: start, size */

efi_status kx_x86_64_efi_call(uint64_t entry, efi_handle image,
			      efi_system_table *st, uint64_t sp);

static struct kx_efi_env env;

#define PAGE 4096ULL
#define GIB (1ULL << 30)
#define PT_PAGES 16      /* 1 GiB pages: 8 TiB; 2 MiB pages: 13 GiB */
#define PTE_P 0x1ULL
#define PTE_W 0x2ULL
#define PTE_PS 0x80ULL
#define CR4_LA57 (1ULL << 12)

static uint64_t pt[PT_PAGES][512] __attribute__((aligned(4096)));

static bool has_gbpages(void)
{
	uint32_t a = 0x80000000u, b, c, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
	if (a < 0x80000001u)
		return false;
	a = 0x80000001u;
	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
	return d & (1u << 26);
}

/* Identity-maps [0, top of the map) in pt[], loads it; -1 where pt[]
 * is too small for it. */
static int identity_map(const struct kx_efi_env *e)
{
	uint64_t top = 0, cr4, gib, used = 1, *pml4 = pt[0], *root = pml4;
	bool big = has_gbpages();

	for (unsigned i = 0; i < e->nmap; i++)
		if (e->map[i].phys + e->map[i].pages * PAGE > top)
			top = e->map[i].phys + e->map[i].pages * PAGE;
	gib = (top + GIB - 1) / GIB;
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	if (cr4 & CR4_LA57) {
		root = pt[used++];
		root[0] = (uint64_t)(uintptr_t)pml4 | PTE_P | PTE_W;
	}
	for (uint64_t g = 0; g < gib; g++) {
		uint64_t *pdpt, *pd;

		if (g % 512 == 0) {
			if (used == PT_PAGES)
				return -1;
			pml4[g / 512] = (uint64_t)(uintptr_t)pt[used] | PTE_P | PTE_W;
			used++;
		}
		pdpt = (uint64_t *)(uintptr_t)(pml4[g / 512] & ~(PAGE - 1));
		if (big) {
			pdpt[g % 512] = (g * GIB) | PTE_P | PTE_W | PTE_PS;
			continue;
		}
		if (used == PT_PAGES)
			return -1;
		pd = pt[used++];
		pdpt[g % 512] = (uint64_t)(uintptr_t)pd | PTE_P | PTE_W;
		for (uint64_t m = 0; m < 512; m++)
			pd[m] = (g * GIB + m * (2ULL << 20)) | PTE_P | PTE_W | PTE_PS;
	}
	__asm__ volatile("mov %0, %%cr3" : : "r"((uint64_t)(uintptr_t)root)
			 : "memory");
	return 0;
}

/* The boot_params the stub made: what marks them, and what the hook
 * changes in them, at the library's offsets (bootparam.h). */
#define STUB_LOADER 0x21          /* what Linux's EFI stub calls itself */

static uint32_t rd32(const uint8_t *p) { return *(const volatile uint32_t *)p; }
static void wr32(uint8_t *p, uint32_t v) { *(volatile uint32_t *)p = v; }

/* The boot_params the stub filled for this environment: a page of
 * memory the PE allocated, with the stub's type_of_loader, the 64-bit
 * loader signature and our system table in efi_info. (Its setup header
 * is the stub's own: recent stubs copy neither boot_flag nor "HdrS".) */
static uint8_t *find_boot_params(const struct kx_efi_env *e)
{
	uint64_t st = (uint64_t)(uintptr_t)&e->st;

	for (unsigned i = 0; i < e->nmap; i++) {
		const struct kx_efi_mem *m = &e->map[i];

		if (m->type != EFI_LOADER_DATA || (m->flags & KX_EFI_MEM_LOADER))
			continue;
		for (uint64_t p = 0; p < m->pages; p++) {
			uint8_t *bp = (uint8_t *)(uintptr_t)(m->phys + p * PAGE);

			if (bp[HDR_TYPE_OF_LOADER] == STUB_LOADER &&
			    rd32(bp + BP_EFI_LOADER_SIGNATURE) == EFI64_LOADER_SIGNATURE &&
			    rd32(bp + BP_EFI_SYSTAB) == (uint32_t)st &&
			    rd32(bp + BP_EFI_SYSTAB_HI) == (uint32_t)(st >> 32))
				return bp;
		}
	}
	return 0;
}

/* The stub has exited boot services with boot_params filled (all but
 * the e820 table, which it makes afterwards from the map efi_info points
 * to: so that stays the stub's): point efi_info at the firmware's system
 * table and put the SETUP_EFI node first in their setup_data, as kexec
 * does. The new kernel then maps every descriptor of the map at its
 * VirtualStart, the firmware's runtime regions where the first kernel
 * mapped them, and calls the firmware's runtime services there. */
static void hand_on_runtime(struct kx_efi_env *e)
{
	const struct kx_efi_handover *ho = e->ho;
	uint8_t *base = (uint8_t *)(uintptr_t)ho, *bp;
	uint64_t node = (uint64_t)(uintptr_t)(base + ho->efi_setup_off);

	if (!ho->fw_systab)
		return;
	bp = find_boot_params(e);
	if (!bp) {
		kx_puts("kexload purgatory: the stub's boot_params are not to be "
		    "found: the new kernel gets no EFI runtime services\n");
		return;
	}
	wr32(bp + BP_EFI_SYSTAB, (uint32_t)ho->fw_systab);
	wr32(bp + BP_EFI_SYSTAB_HI, (uint32_t)(ho->fw_systab >> 32));
	*(volatile uint64_t *)(uintptr_t)node =
		*(volatile uint64_t *)(bp + HDR_SETUP_DATA);
	*(volatile uint64_t *)(bp + HDR_SETUP_DATA) = node;
	kx_puts("kexload purgatory: the firmware's runtime services handed on "
	    "(boot_params at ");
	kx_puthex((uint64_t)(uintptr_t)bp);
	kx_puts(", SETUP_EFI)\n");
}

void kx_x86_64_efi_start(void) __attribute__((noreturn));

/* After the claim: its own identity map, and the hook that hands the
 * firmware's runtime services on. */
static int prepare(struct kx_efi_env *e)
{
	e->exit_hook = hand_on_runtime;
	if (identity_map(e)) {
		kx_puts("kexload purgatory: too much memory for the EFI stub's "
			"identity map\n");
		return -1;
	}
	return 0;
}

void kx_x86_64_efi_start(void)
{
	kx_efi_start(&env, (const struct kx_efi_handover *)(uintptr_t)
				   kx_efi_handover,
		     EFI_RUNTIME_SERVICES_CODE, prepare, kx_x86_64_efi_call);
}
