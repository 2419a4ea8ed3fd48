/* SPDX-License-Identifier: MIT */
/*
 * x86_64: the relocation types the compiler emits for the purgatory (the
 * System V AMD64 psABI, "Relocation Types"), and the architecture's entry
 * in the table.
 */
#include "../reloc.h"
#include "../purgatories.h"
#include "../boot.h"

static const struct kx_reloc_map x86_64_relocs[] = {
	{ 0, KX_R_NONE },     /* R_X86_64_NONE */
	{ 1, KX_R_ABS64 },    /* R_X86_64_64 */
	{ 2, KX_R_PC32 },     /* R_X86_64_PC32 */
	{ 4, KX_R_PC32 },     /* R_X86_64_PLT32: no PLT, a direct call */
	{ 10, KX_R_ABS32 },   /* R_X86_64_32 */
	{ 11, KX_R_ABS32S },  /* R_X86_64_32S */
	{ 24, KX_R_PC64 },    /* R_X86_64_PC64 */
};

static int x86_64_apply_reloc(struct kx_purgatory *p,
			      const struct kx_reloc *rel)
{
	return kx_reloc_by_table(p, rel, x86_64_relocs,
				 KX_ARRAY_SIZE(x86_64_relocs));
}

const struct kx_arch_ops kx_arch_x86_64 = {
	.arch = KX_ARCH_X86_64,
	.name = "x86_64",
	.elf_machine = 62,             /* EM_X86_64 */
	.big_endian = false,
	.elf64 = true,
	.kexec_arch = 62UL << 16,      /* KEXEC_ARCH_X86_64 */
	.purgatory = kx_purgatory_x86_64,
	.purgatory_size = &kx_purgatory_x86_64_size,
	/* Below 4 GiB, where every kernel's kexec identity map reaches. */
	.purgatory_max = 0xffffffffULL,
	.apply_reloc = x86_64_apply_reloc,
	.boot = kx_x86_64_boot,
	.boot_efi = kx_x86_64_boot_efi,
	.crash = true,
};
