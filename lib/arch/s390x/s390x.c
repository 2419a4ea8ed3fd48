/* SPDX-License-Identifier: MIT */
/*
 * s390x: the relocation types the compiler emits for the purgatory (the
 * "zSeries ELF Application Binary Interface Supplement", "Relocation
 * Types"), and the architecture's entry in the table. Data relocations
 * map onto the generic kinds; the "DBL" ones (LARL, BRASL, BRC and their
 * kin) hold the distance in halfwords, big-endian.
 *
 * The purgatory's address is fixed, not found: an s390 image and its
 * parameter area sit at fixed low addresses from 0x10000 on, and the
 * purgatory runs from the pages between the 8 KiB lowcore of CPU 0 and
 * the image (0x2000-0xffff), below 2 GiB as its 31-bit entry PSW needs,
 * where no segment of any s390 kernel goes.
 */
#include <inttypes.h>
#include <stdio.h>

#include "../reloc.h"
#include "../purgatories.h"
#include "../boot.h"
#include "parmarea.h"

enum {
	R_390_NONE = 0, R_390_32 = 4, R_390_PC32 = 5, R_390_PC16DBL = 17,
	R_390_PLT16DBL = 18, R_390_PC32DBL = 19, R_390_PLT32DBL = 20,
	R_390_64 = 22, R_390_PC64 = 23,
};

static const struct kx_reloc_map data_relocs[] = {
	{ R_390_NONE, KX_R_NONE }, { R_390_32, KX_R_ABS32 },
	{ R_390_PC32, KX_R_PC32 }, { R_390_64, KX_R_ABS64 },
	{ R_390_PC64, KX_R_PC64 },
};

/* S + A - P in halfwords, in a @bits-bit signed field. No PLT: a PLT
 * relocation is a direct branch. */
static int dbl(struct kx_purgatory *p, const struct kx_reloc *rel,
	       unsigned bits)
{
	int64_t v = (int64_t)(rel->S + (uint64_t)rel->A - rel->P);

	if (rel->room < bits / 8)
		return kx_seterr(p->err, -ENOEXEC, "purgatory: relocation at 0x%"
				 PRIx64 " runs past its section", rel->P);
	if (v & 1)
		return kx_seterr(p->err, -ENOEXEC, "purgatory: s390x relocation "
				 "type %u at 0x%" PRIx64 " has an odd distance",
				 rel->type, rel->P);
	v /= 2;
	if (v < -(1LL << (bits - 1)) || v >= 1LL << (bits - 1))
		return kx_seterr(p->err, -ERANGE, "purgatory: s390x relocation "
				 "type %u at 0x%" PRIx64 " cannot reach 0x%" PRIx64,
				 rel->type, rel->P, rel->S);
	kx_put_uint(rel->loc, bits / 8, (uint64_t)v & ((1ULL << bits) - 1),
		    true);
	return 0;
}

static int s390x_apply_reloc(struct kx_purgatory *p,
			     const struct kx_reloc *rel)
{
	switch (rel->type) {
	case R_390_PC16DBL:
	case R_390_PLT16DBL:
		return dbl(p, rel, 16);
	case R_390_PC32DBL:
	case R_390_PLT32DBL:
		return dbl(p, rel, 32);
	}
	return kx_reloc_by_table(p, rel, data_relocs,
				 KX_ARRAY_SIZE(data_relocs));
}

const struct kx_arch_ops kx_arch_s390x = {
	.arch = KX_ARCH_S390X,
	.name = "s390x",
	.elf_machine = 22,             /* EM_S390 */
	.big_endian = true,
	.elf64 = true,
	.kexec_arch = 22UL << 16,      /* KEXEC_ARCH_S390 */
	.purgatory = kx_purgatory_s390x,
	.purgatory_size = &kx_purgatory_s390x_size,
	.purgatory_fixed = KX_S390X_PURGATORY,
	.apply_reloc = s390x_apply_reloc,
	.boot = kx_s390x_boot,
	/* Its kdump kernel finds the old memory from the parameter area and
	 * builds the core header itself. */
	.crash = true,
	.crash_own_header = true,
	/* LEGACY_COMMAND_LINE_SIZE (896, with the NUL), for an image whose
	 * parameter area does not say; the format reads it from there. */
	.cmdline_max = 895,
};
