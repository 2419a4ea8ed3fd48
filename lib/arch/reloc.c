/* SPDX-License-Identifier: MIT */
/*
 * Relocation kinds shared by the architectures. Each architecture maps its
 * ELF relocation types onto these (as musl's dynamic linker does) and keeps
 * only the instruction encodings that are its own.
 */
#include <inttypes.h>
#include <stdio.h>

#include "reloc.h"

int kx_reloc_apply_kind(struct kx_purgatory *p, const struct kx_reloc *rel,
			enum kx_reloc_kind kind)
{
	uint64_t v = rel->S + (uint64_t)rel->A;
	unsigned size;

	switch (kind) {
	case KX_R_NONE:
		return 0;
	case KX_R_ABS64:
		size = 8;
		break;
	case KX_R_PC64:
		size = 8;
		v -= rel->P;
		break;
	case KX_R_ABS32:
		size = 4;
		if (v > UINT32_MAX)
			goto overflow;
		break;
	case KX_R_ABS32S:
		size = 4;
		if ((int64_t)v != (int32_t)v)
			goto overflow;
		break;
	case KX_R_PC32:
		size = 4;
		v -= rel->P;
		if ((int64_t)v != (int32_t)v)
			goto overflow;
		break;
	default:
		return kx_seterr(p->err, -ENOEXEC,
				 "purgatory: relocation kind %d unknown", kind);
	}
	if (rel->room < size)
		return kx_seterr(p->err, -ENOEXEC, "purgatory: relocation at 0x%"
				 PRIx64 " runs past its section", rel->P);
	kx_put_uint(rel->loc, size, v, p->arch->big_endian);
	return 0;
overflow:
	return kx_seterr(p->err, -ERANGE, "purgatory: relocation type %u at 0x%"
			 PRIx64 " cannot reach 0x%" PRIx64, rel->type, rel->P,
			 rel->S);
}

int kx_reloc_by_table(struct kx_purgatory *p, const struct kx_reloc *rel,
		      const struct kx_reloc_map *map, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (map[i].type == rel->type)
			return kx_reloc_apply_kind(p, rel, map[i].kind);
	return kx_seterr(p->err, -ENOEXEC,
			 "purgatory: %s relocation type %u is not supported",
			 p->arch->name, rel->type);
}
