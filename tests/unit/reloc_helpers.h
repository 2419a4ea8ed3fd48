/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the unit tests that decode a relocated purgatory again
 * (test_arm64.c, test_arm.c): sign extension of an instruction field, and
 * a tally of the relocations checked, by type, with its verdict.
 */
#ifndef KX_RELOC_HELPERS_H
#define KX_RELOC_HELPERS_H

#include <stdint.h>

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

#endif
