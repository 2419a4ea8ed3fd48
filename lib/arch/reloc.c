/* SPDX-License-Identifier: MIT */
/*
 * Relocation kinds shared by the architectures. Each architecture maps its
 * ELF relocation types onto these (as musl's dynamic linker does) and keeps
 * only the instruction encodings that are its own.
 */
#include <inttypes.h>
#include <stdio.h>

#include "reloc.h"

int kx_reloc_apply_kind(const struct kx_reloc *rel, enum kx_reloc_kind kind,
			bool big_endian, char *err, size_t errlen)
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
		snprintf(err, errlen, "purgatory: relocation kind %d unknown", kind);
		return -ENOEXEC;
	}
	if (rel->room < size) {
		snprintf(err, errlen,
			 "purgatory: relocation at 0x%" PRIx64 " runs past its section",
			 rel->P);
		return -ENOEXEC;
	}
	kx_put_uint(rel->loc, size, v, big_endian);
	return 0;
overflow:
	snprintf(err, errlen,
		 "purgatory: relocation type %u at 0x%" PRIx64
		 " cannot reach 0x%" PRIx64, rel->type, rel->P, rel->S);
	return -ERANGE;
}

int kx_reloc_by_table(const struct kx_reloc *rel,
		      const struct kx_reloc_map *map, size_t n, bool big_endian,
		      const char *arch, char *err, size_t errlen)
{
	for (size_t i = 0; i < n; i++)
		if (map[i].type == rel->type)
			return kx_reloc_apply_kind(rel, map[i].kind, big_endian,
						   err, errlen);
	snprintf(err, errlen, "purgatory: %s relocation type %u is not supported",
		 arch, rel->type);
	return -ENOEXEC;
}
