/* SPDX-License-Identifier: MIT */
/* Generic relocation kinds, and the table that maps an architecture's
 * ELF relocation types onto them. */
#ifndef KX_RELOC_H
#define KX_RELOC_H

#include "../core/purgatory.h"

enum kx_reloc_kind {
	KX_R_NONE,
	KX_R_ABS64,   /* S + A */
	KX_R_ABS32,   /* S + A, must fit 32 bits unsigned */
	KX_R_ABS32S,  /* S + A, must fit 32 bits signed */
	KX_R_PC32,    /* S + A - P, must fit 32 bits signed */
	KX_R_PC64,    /* S + A - P */
};

struct kx_reloc_map {
	uint32_t type;
	enum kx_reloc_kind kind;
};

/* Both write in @p's architecture's byte order, and keep their message in
 * p->err. */
int kx_reloc_apply_kind(struct kx_purgatory *p, const struct kx_reloc *rel,
			enum kx_reloc_kind kind);
int kx_reloc_by_table(struct kx_purgatory *p, const struct kx_reloc *rel,
		      const struct kx_reloc_map *map, size_t n);

#endif
