/* SPDX-License-Identifier: MIT */
/*
 * The arm64 purgatory's second way to end: after the check, start a PE
 * through its own EFI stub (purgatory/efi/). UEFI 2.10 section 2.3.6
 * (AArch64 platforms) asks for what this sets up: the MMU on with an
 * identity map of all memory in the map (Normal, write-back), caches on,
 * interrupts masked, a stack of at least 128 KiB, and the entry called
 * with x0 = the image handle and x1 = the system table. The console's
 * UART is mapped as Device memory, so that OutputString can reach it.
 */
#include "../common/purgatory.h"
#include "../efi/env.h"

/* Written by the loader: the hand-over block, or 0 to enter a kernel. */
KX_DATA uint64_t kx_efi_handover;

int kx_arm64_mmu_efi(const struct kx_efi_mem *mem, uint32_t n,
		     uint64_t uart);
efi_status kx_arm64_efi_call(uint64_t entry, efi_handle image,
			     efi_system_table *st, uint64_t sp);

static struct kx_efi_env env;

void kx_arm64_efi_start(void) __attribute__((noreturn));

void kx_arm64_efi_start(void)
{
	const struct kx_efi_handover *ho =
		(const struct kx_efi_handover *)(uintptr_t)kx_efi_handover;

	if (kx_arm64_mmu_efi(ho->mem, ho->nmem < KX_EFI_MAX_MEM ? ho->nmem :
				      KX_EFI_MAX_MEM, kx_uart[0])) {
		kx_puts("kexload purgatory: cannot map memory for the EFI stub\n");
		kx_halt();
	}
	kx_efi_start(&env, ho, EFI_LOADER_CODE, NULL, kx_arm64_efi_call);
}
