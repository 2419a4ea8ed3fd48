/* SPDX-License-Identifier: MIT */
/*
 * ppc64: the relocation types the compiler emits for the purgatory, in both
 * byte orders ("64-bit ELF V2 ABI Specification: Power Architecture",
 * section 3.5, and the 64-bit PowerPC ELF ABI Supplement 1.9 for ABI v1),
 * and the architecture's two entries in the table: little endian with the
 * ABI v2 purgatory, big endian with the ABI v1 one.
 *
 * What the two ABIs differ in, here:
 * - ABI v2 functions that set up the TOC pointer have a local entry point
 *   (st_other bits 5-7) after the two instructions that compute r2 from
 *   r12; a direct call (REL24) goes to the local entry, since the caller
 *   shares the TOC.
 * - ABI v1 function symbols name a descriptor in .opd (code address, TOC,
 *   environment); a direct call goes to the descriptor's code address,
 *   which is the target of the .opd word's own ADDR64 relocation.
 * The TOC base (.TOC., and R_PPC64_TOC in descriptors) is the purgatory's
 * base + 0x8000: the object has one TOC, reached with 32-bit offsets
 * (TOC16_HA/LO), so any base both sides agree on works; the purgatory's
 * entry loads it into r2 from a word relocated against .TOC.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../reloc.h"
#include "../purgatories.h"
#include "../boot.h"

enum {
	R_NONE = 0, R_ADDR32 = 1, R_ADDR16 = 3, R_ADDR16_LO = 4,
	R_ADDR16_HI = 5, R_ADDR16_HA = 6, R_REL24 = 10, R_REL14 = 11,
	R_REL32 = 26, R_ADDR64 = 38, R_ADDR16_HIGHER = 39,
	R_ADDR16_HIGHERA = 40, R_ADDR16_HIGHEST = 41, R_ADDR16_HIGHESTA = 42,
	R_REL64 = 44, R_TOC16 = 47, R_TOC16_LO = 48, R_TOC16_HI = 49,
	R_TOC16_HA = 50, R_TOC = 51, R_ADDR16_DS = 56, R_ADDR16_LO_DS = 57,
	R_TOC16_DS = 63, R_TOC16_LO_DS = 64, R_REL16 = 249, R_REL16_LO = 250,
	R_REL16_HI = 251, R_REL16_HA = 252,
};

#define TOC_BIAS 0x8000
#define SHT_RELA 4

/* What a 16-bit field takes from the value. */
enum half { H_CHECKED, H_LO, H_HI, H_HA, H_HIGHER, H_HIGHERA, H_HIGHEST,
	    H_HIGHESTA };
enum base { B_ABS, B_TOC, B_PC };

static const struct half16 {
	uint32_t type;
	enum base base;
	enum half half;
	bool ds;        /* DS form: the low 2 bits are the opcode's */
} halves[] = {
	{ R_ADDR16, B_ABS, H_CHECKED, false },
	{ R_ADDR16_LO, B_ABS, H_LO, false },
	{ R_ADDR16_HI, B_ABS, H_HI, false },
	{ R_ADDR16_HA, B_ABS, H_HA, false },
	{ R_ADDR16_HIGHER, B_ABS, H_HIGHER, false },
	{ R_ADDR16_HIGHERA, B_ABS, H_HIGHERA, false },
	{ R_ADDR16_HIGHEST, B_ABS, H_HIGHEST, false },
	{ R_ADDR16_HIGHESTA, B_ABS, H_HIGHESTA, false },
	{ R_ADDR16_DS, B_ABS, H_CHECKED, true },
	{ R_ADDR16_LO_DS, B_ABS, H_LO, true },
	{ R_TOC16, B_TOC, H_CHECKED, false },
	{ R_TOC16_LO, B_TOC, H_LO, false },
	{ R_TOC16_HI, B_TOC, H_HI, false },
	{ R_TOC16_HA, B_TOC, H_HA, false },
	{ R_TOC16_DS, B_TOC, H_CHECKED, true },
	{ R_TOC16_LO_DS, B_TOC, H_LO, true },
	{ R_REL16, B_PC, H_CHECKED, false },
	{ R_REL16_LO, B_PC, H_LO, false },
	{ R_REL16_HI, B_PC, H_HI, false },
	{ R_REL16_HA, B_PC, H_HA, false },
};

static const struct kx_reloc_map data_relocs[] = {
	{ R_NONE, KX_R_NONE },    { R_ADDR64, KX_R_ABS64 },
	{ R_REL64, KX_R_PC64 },   { R_REL32, KX_R_PC32 },
	{ R_ADDR32, KX_R_ABS32 },
};

uint64_t kx_ppc64_toc_base(const struct kx_purgatory *p)
{
	return p->base + TOC_BIAS;
}

static int range_err(struct kx_purgatory *p, const struct kx_reloc *rel,
		     uint64_t v)
{
	return kx_seterr(p->err, -ERANGE,
			 "purgatory: ppc64 relocation type %u at 0x%" PRIx64
			 " cannot reach 0x%" PRIx64 " (%s)",
			 rel->type, rel->P, v, rel->sym_name);
}

static int room_err(struct kx_purgatory *p, const struct kx_reloc *rel)
{
	return kx_seterr(p->err, -ENOEXEC,
			 "purgatory: relocation at 0x%" PRIx64
			 " runs past its section", rel->P);
}

static int half16(struct kx_purgatory *p, const struct kx_reloc *rel,
		  const struct half16 *h)
{
	bool be = p->arch->big_endian;
	uint64_t v = rel->S + (uint64_t)rel->A;
	uint16_t old, f;

	if (rel->room < 2)
		return room_err(p, rel);
	if (h->base == B_TOC)
		v -= kx_ppc64_toc_base(p);
	else if (h->base == B_PC)
		v -= rel->P;
	switch (h->half) {
	case H_CHECKED:
		if ((int64_t)v < INT16_MIN || (int64_t)v > INT16_MAX)
			return range_err(p, rel, rel->S + (uint64_t)rel->A);
		f = (uint16_t)v;
		break;
	case H_LO: f = (uint16_t)v; break;
	case H_HI: f = (uint16_t)(v >> 16); break;
	case H_HA: f = (uint16_t)((v + 0x8000) >> 16); break;
	case H_HIGHER: f = (uint16_t)(v >> 32); break;
	case H_HIGHERA: f = (uint16_t)((v + 0x8000) >> 32); break;
	case H_HIGHEST: f = (uint16_t)(v >> 48); break;
	default: f = (uint16_t)((v + 0x8000) >> 48); break;
	}
	if (h->ds) {
		if (v & 3)
			return kx_seterr(p->err, -ENOEXEC,
					 "purgatory: ppc64 relocation type %u at 0x%"
					 PRIx64 " has a misaligned target", rel->type,
					 rel->P);
		old = (uint16_t)kx_get_uint(rel->loc, 2, be);
		f = (uint16_t)((f & 0xfffc) | (old & 3));
	}
	kx_put_uint(rel->loc, 2, f, be);
	return 0;
}

static bool section_named(struct kx_purgatory *p, unsigned idx,
			  const char *name)
{
	struct kx_elf_shdr sh;
	const char *n;

	if (kx_elf_shdr(&p->elf, idx, &sh))
		return false;
	n = kx_elf_str(&p->elf, p->elf.shstrndx, sh.name);
	return n && !strcmp(n, name);
}

/* ABI v1: the code address in the .opd descriptor at @off of section
 * @opd, from the ADDR64 relocation of its first word. */
static int opd_code(struct kx_purgatory *p, unsigned opd, uint64_t off,
		    uint64_t *code)
{
	struct kx_elf *e = &p->elf;

	for (unsigned i = 0; i < e->shnum; i++) {
		struct kx_elf_shdr rs;

		if (kx_elf_shdr(e, i, &rs) || rs.type != SHT_RELA ||
		    rs.info != opd)
			continue;
		for (uint64_t o = 0; o + 24 <= rs.size; o += 24) {
			uint64_t roff = kx_elf_word(e, rs.offset + o, 8);
			uint64_t info = kx_elf_word(e, rs.offset + o + 8, 8);
			int64_t a = (int64_t)kx_elf_word(e, rs.offset + o + 16, 8);
			struct kx_elf_sym s;

			if (roff != off || (info & 0xffffffff) != R_ADDR64)
				continue;
			if (kx_elf_sym(e, &p->symtab, info >> 32, &s) ||
			    s.shndx >= e->shnum ||
			    p->secoff[s.shndx] == UINT64_MAX)
				break;
			*code = p->base + p->secoff[s.shndx] + s.value +
				(uint64_t)a;
			return 0;
		}
	}
	return kx_seterr(p->err, -ENOEXEC,
			 "purgatory: no code address in the .opd descriptor "
			 "at 0x%" PRIx64, off);
}

/* REL24 (b, bl) and REL14 (bc): the branch target, word aligned and in
 * reach, in the instruction's LI or BD field. */
static int branch(struct kx_purgatory *p, const struct kx_reloc *rel)
{
	bool be = p->arch->big_endian;
	uint64_t target = rel->S + (uint64_t)rel->A;
	unsigned bits = rel->type == R_REL24 ? 26 : 16;
	uint32_t mask = rel->type == R_REL24 ? 0x03fffffc : 0xfffc;
	uint32_t insn;
	int64_t off;
	int rc;

	if (rel->room < 4)
		return room_err(p, rel);
	if (rel->sym_shndx && rel->sym_shndx < p->elf.shnum &&
	    section_named(p, rel->sym_shndx, ".opd")) {
		rc = opd_code(p, rel->sym_shndx,
			      target - p->base - p->secoff[rel->sym_shndx],
			      &target);
		if (rc)
			return rc;
	} else {
		unsigned le = rel->sym_other >> 5 & 7;

		if (le >= 2 && le <= 6)   /* ABI v2 local entry point */
			target += 1u << le;
	}
	off = (int64_t)(target - rel->P);
	if (target & 3)
		return kx_seterr(p->err, -ENOEXEC,
				 "purgatory: ppc64 branch at 0x%" PRIx64
				 " to a misaligned 0x%" PRIx64, rel->P, target);
	if (off < -(1LL << (bits - 1)) || off >= 1LL << (bits - 1))
		return range_err(p, rel, target);
	insn = (uint32_t)kx_get_uint(rel->loc, 4, be);
	insn = (insn & ~mask) | ((uint32_t)off & mask);
	kx_put_uint(rel->loc, 4, insn, be);
	return 0;
}

static int ppc64_apply_reloc(struct kx_purgatory *p, const struct kx_reloc *rel)
{
	if (rel->type == R_REL24 || rel->type == R_REL14)
		return branch(p, rel);
	if (rel->type == R_TOC) {
		struct kx_reloc r = *rel;

		r.S = kx_ppc64_toc_base(p);
		return kx_reloc_apply_kind(p, &r, KX_R_ABS64);
	}
	for (size_t i = 0; i < KX_ARRAY_SIZE(halves); i++)
		if (halves[i].type == rel->type)
			return half16(p, rel, &halves[i]);
	return kx_reloc_by_table(p, rel, data_relocs,
				 KX_ARRAY_SIZE(data_relocs));
}

static int ppc64_resolve(struct kx_purgatory *p, const char *name,
			 uint64_t *addr)
{
	if (strcmp(name, ".TOC."))
		return -ENOENT;
	*addr = kx_ppc64_toc_base(p);
	return 0;
}

/* The purgatory runs in real mode, where a logical partition reaches only
 * its real mode area (the first memory node; at least 256 MiB on the
 * machines Linux supports): it stays below 256 MiB. */
#define PPC64_PURGATORY_MAX 0x0fffffffULL
/* A crash load's purgatory goes in the crash region, which the running
 * kernel reserved inside its real mode area (arch/powerpc/kexec/core.c:
 * "crash kernel needs to placed in the first RMA region"), possibly above
 * 256 MiB (at half the RMA of a guest); 1 GiB bounds it as the kernel. */
#define PPC64_CRASH_PURGATORY_MAX 0x3fffffffULL

const struct kx_arch_ops kx_arch_ppc64 = {
	.arch = KX_ARCH_PPC64,
	.name = "ppc64le",
	.elf_machine = 21,             /* EM_PPC64 */
	.big_endian = false,
	.elf64 = true,
	.kexec_arch = 21UL << 16,      /* KEXEC_ARCH_PPC64 */
	.purgatory = kx_purgatory_ppc64,
	.purgatory_size = &kx_purgatory_ppc64_size,
	.purgatory_max = PPC64_PURGATORY_MAX,
	.purgatory_max_crash = PPC64_CRASH_PURGATORY_MAX,
	.apply_reloc = ppc64_apply_reloc,
	.resolve = ppc64_resolve,
	.boot = kx_ppc64_boot,
	/* COMMAND_LINE_SIZE of powerpc (2048, with the NUL). */
	.cmdline_max = 2047,
	.page_size = 0x10000,
	.dt_reservations = true,
	.crash = true,
	/* A crash kernel copies its interrupt vectors to 0 as it starts. */
	.crash_backup = 0x10000,
};

const struct kx_arch_ops kx_arch_ppc64be = {
	.arch = KX_ARCH_PPC64,
	.name = "ppc64",
	.elf_machine = 21,
	.big_endian = true,
	.elf64 = true,
	.kexec_arch = 21UL << 16,
	.purgatory = kx_purgatory_ppc64be,
	.purgatory_size = &kx_purgatory_ppc64be_size,
	.purgatory_max = PPC64_PURGATORY_MAX,
	.purgatory_max_crash = PPC64_CRASH_PURGATORY_MAX,
	.apply_reloc = ppc64_apply_reloc,
	.resolve = ppc64_resolve,
	.boot = kx_ppc64_boot,
	.cmdline_max = 2047,
	.page_size = 0x10000,
	.dt_reservations = true,
	.crash = true,
	/* A crash kernel copies its interrupt vectors to 0 as it starts. */
	.crash_backup = 0x10000,
};
