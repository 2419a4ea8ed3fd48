/* SPDX-License-Identifier: MIT */
/*
 * arm64: the relocation types the compiler emits for the purgatory (Arm's
 * "ELF for the Arm 64-bit Architecture", section "Relocation"), and the
 * architecture's entry in the table. Data relocations map onto the generic
 * kinds; the instruction ones (ADRP, ADD/LDR/STR immediates, branches)
 * patch fields of a little-endian instruction word.
 */
#include <inttypes.h>
#include <stdio.h>

#include "../reloc.h"
#include "../purgatories.h"
#include "../boot.h"

enum {
	R_NONE = 0, R_ABS64 = 257, R_ABS32 = 258, R_PREL64 = 260,
	R_PREL32 = 261, R_ADR_PREL_LO21 = 274, R_ADR_PREL_PG_HI21 = 275,
	R_ADR_PREL_PG_HI21_NC = 276, R_ADD_ABS_LO12_NC = 277,
	R_LDST8_ABS_LO12_NC = 278, R_TSTBR14 = 279, R_CONDBR19 = 280,
	R_JUMP26 = 282, R_CALL26 = 283, R_LDST16_ABS_LO12_NC = 284,
	R_LDST32_ABS_LO12_NC = 285, R_LDST64_ABS_LO12_NC = 286,
	R_LDST128_ABS_LO12_NC = 299,
};

static const struct kx_reloc_map data_relocs[] = {
	{ R_NONE, KX_R_NONE },     { R_ABS64, KX_R_ABS64 },
	{ R_PREL64, KX_R_PC64 },   { R_PREL32, KX_R_PC32 },
};

/* An instruction field: the value's bits [lo, lo + width) go to bit @at. */
struct field {
	uint32_t type;
	unsigned shift;      /* the value is scaled down by this first */
	unsigned width;
	unsigned at;
	bool pc;             /* S + A - P, else S + A */
	bool page;           /* ADRP: 4 KiB pages of both */
	bool check;          /* must fit @width + @shift bits, signed */
};

static const struct field fields[] = {
	{ R_ADR_PREL_PG_HI21, 12, 21, 0, true, true, true },
	{ R_ADR_PREL_PG_HI21_NC, 12, 21, 0, true, true, false },
	{ R_ADR_PREL_LO21, 0, 21, 0, true, false, true },
	{ R_ADD_ABS_LO12_NC, 0, 12, 10, false, false, false },
	{ R_LDST8_ABS_LO12_NC, 0, 12, 10, false, false, false },
	{ R_LDST16_ABS_LO12_NC, 1, 11, 10, false, false, false },
	{ R_LDST32_ABS_LO12_NC, 2, 10, 10, false, false, false },
	{ R_LDST64_ABS_LO12_NC, 3, 9, 10, false, false, false },
	{ R_LDST128_ABS_LO12_NC, 4, 8, 10, false, false, false },
	{ R_TSTBR14, 2, 14, 5, true, false, true },
	{ R_CONDBR19, 2, 19, 5, true, false, true },
	{ R_JUMP26, 2, 26, 0, true, false, true },
	{ R_CALL26, 2, 26, 0, true, false, true },
};

static int patch(struct kx_purgatory *p, const struct kx_reloc *rel,
		 const struct field *f)
{
	uint64_t v = rel->S + (uint64_t)rel->A;
	uint64_t mask = (1ULL << f->width) - 1;
	int64_t sv;
	uint32_t insn, imm;

	if (rel->room < 4) {
		return kx_seterr(p->err, -ENOEXEC,
				 "purgatory: relocation at 0x%" PRIx64
				 " runs past its section",
				 rel->P);
	}
	if (f->page)
		v = (v & ~0xfffULL) - (rel->P & ~0xfffULL);
	else if (f->pc)
		v -= rel->P;
	sv = (int64_t)v;
	if (f->pc || f->page) {
		if (f->check && (sv < -(1LL << (f->width + f->shift - 1)) ||
				 sv >= 1LL << (f->width + f->shift - 1)))
			goto range;
	} else {
		v &= 0xfff;
	}
	if (v & ((1ULL << f->shift) - 1) && !f->page)
		goto align;
	imm = (uint32_t)((v >> f->shift) & mask);
	insn = (uint32_t)kx_get_uint(rel->loc, 4, false);
	if (f->type == R_ADR_PREL_PG_HI21 || f->type == R_ADR_PREL_PG_HI21_NC ||
	    f->type == R_ADR_PREL_LO21)   /* immlo [30:29], immhi [23:5] */
		insn = (insn & ~(3u << 29 | 0x7ffffu << 5)) |
		       (imm & 3) << 29 | (imm >> 2) << 5;
	else
		insn = (insn & ~((uint32_t)mask << f->at)) | imm << f->at;
	kx_put_uint(rel->loc, 4, insn, false);
	return 0;
range:
	return kx_seterr(p->err, -ERANGE,
			 "purgatory: arm64 relocation type %u at 0x%" PRIx64
			 " cannot reach 0x%" PRIx64,
			 rel->type, rel->P, rel->S);
align:
	return kx_seterr(p->err, -ENOEXEC,
			 "purgatory: arm64 relocation type %u at 0x%" PRIx64
			 " has a misaligned target 0x%" PRIx64,
			 rel->type, rel->P, rel->S + (uint64_t)rel->A);
}

static int arm64_apply_reloc(struct kx_purgatory *p,
			     const struct kx_reloc *rel)
{
	for (size_t i = 0; i < KX_ARRAY_SIZE(fields); i++)
		if (fields[i].type == rel->type)
			return patch(p, rel, &fields[i]);
	if (rel->type == R_ABS32) {   /* -2^31 <= X < 2^32 */
		int64_t v = (int64_t)(rel->S + (uint64_t)rel->A);

		return kx_reloc_apply_kind(p, rel,
					   v < 0 ? KX_R_ABS32S : KX_R_ABS32);
	}
	return kx_reloc_by_table(p, rel, data_relocs,
				 KX_ARRAY_SIZE(data_relocs));
}

const struct kx_arch_ops kx_arch_arm64 = {
	.arch = KX_ARCH_ARM64,
	.name = "arm64",
	.elf_machine = 183,            /* EM_AARCH64 */
	.big_endian = false,
	.elf64 = true,
	.kexec_arch = 183UL << 16,     /* KEXEC_ARCH_AARCH64 */
	.purgatory = kx_purgatory_arm64,
	.purgatory_size = &kx_purgatory_arm64_size,
	/* ADRP reaches 4 GiB either way, and the purgatory is one piece, so
	 * any address works; the page tables it builds map 48 bits. */
	.purgatory_max = (1ULL << 48) - 1,
	.apply_reloc = arm64_apply_reloc,
	.boot = kx_arm64_boot,
	.boot_efi = kx_arm64_boot_efi,
	/* COMMAND_LINE_SIZE of arm64 (2048, with the NUL): the kernel cuts
	 * a longer /chosen bootargs short. */
	.cmdline_max = 2047,
	.dt_reservations = true,
	.crash = true,
};
