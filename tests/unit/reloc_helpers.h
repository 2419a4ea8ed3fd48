/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the unit tests that decode a relocated purgatory again
 * (test_arm64.c, test_arm.c, test_ppc64.c, test_s390x.c): sign extension
 * of an instruction field, a tally of the relocations checked, by type,
 * with its verdict, and the walk over a 64-bit object's RELA entries.
 */
#ifndef KX_RELOC_HELPERS_H
#define KX_RELOC_HELPERS_H

#include <inttypes.h>
#include <stdint.h>

#include "internal.h"
#include "purgatory.h"
#include "tap.h"

static inline int64_t sext(uint64_t v, unsigned bits)
{
	return (int64_t)(v << (64 - bits)) >> (64 - bits);
}

struct tally {
	unsigned n, bad, unknown, types;
	uint32_t seen[32];
};

static inline void count_type(struct tally *t, uint32_t type)
{
	for (unsigned i = 0; i < t->types; i++)
		if (t->seen[i] == type)
			return;
	if (t->types < 32)
		t->seen[t->types++] = type;
}

/* The verdict on a tally: enough relocations of enough types, every one
 * of a type the test decodes, none wrong. */
static inline void tally_verdict(const struct tally *t)
{
	note("%u relocations of %u types", t->n, t->types);
	ok(t->n > 100 && t->types >= 5, "the object has relocations of several types");
	is_u64(t->unknown, 0, "every relocation is of a type this test decodes");
	is_u64(t->bad, 0, "every relocated field decodes to its formula at both bases");
}

/* One relocation, in the copy of the purgatory relocated at one base. */
struct rela_field {
	struct kx_purgatory *p;         /* that copy */
	uint32_t type;
	const uint8_t *loc;             /* the relocated field in p->buf */
	uint64_t S, P;
	int64_t A;
	const struct kx_elf_sym *sym;
};

/* Every RELA entry of a 64-bit purgatory object that applies to a loaded
 * section, with p[0] and p[1] the object relocated at bases[0] and
 * bases[1]: @check says of the field at each base 1 (right), 0 (wrong) or
 * -1 (a type it does not decode), counted in @t. S is the symbol's
 * address there; a symbol with no section (ppc64's TOC base) is at
 * base + @undef_off. */
static inline void check_relas(struct kx_purgatory p[2],
			       const uint64_t bases[2], uint64_t undef_off,
			       int (*check)(const struct rela_field *),
			       struct tally *t)
{
	struct kx_elf *e = &p[0].elf;

	for (unsigned i = 0; i < e->shnum; i++) {
		struct kx_elf_shdr rs, symtab;

		if (kx_elf_shdr(e, i, &rs) || rs.type != 4 /* SHT_RELA */ ||
		    kx_elf_shdr(e, rs.link, &symtab) ||
		    p[0].secoff[rs.info] == UINT64_MAX)
			continue;
		for (uint64_t o = 0; o + 24 <= rs.size; o += 24) {
			uint64_t roff = kx_elf_word(e, rs.offset + o, 8);
			uint64_t info = kx_elf_word(e, rs.offset + o + 8, 8);
			int64_t A = (int64_t)kx_elf_word(e, rs.offset + o + 16, 8);
			struct kx_elf_sym sym;

			if (kx_elf_sym(e, &symtab, info >> 32, &sym)) {
				t->unknown++;
				continue;
			}
			count_type(t, (uint32_t)info);
			t->n++;
			for (int b = 0; b < 2; b++) {
				uint64_t off = p[b].secoff[rs.info] + roff;
				struct rela_field f = {
					&p[b], (uint32_t)info, p[b].buf + off,
					sym.shndx ? bases[b] + p[b].secoff[sym.shndx] +
							    sym.value :
						    bases[b] + undef_off,
					bases[b] + off, A, &sym };
				int r = check(&f);

				if (r < 0)
					t->unknown++;
				else if (!r && !t->bad++)
					diag("type %u at 0x%" PRIx64 " is wrong",
					     f.type, off);
			}
		}
	}
}

#endif
