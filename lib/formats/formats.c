/* SPDX-License-Identifier: MIT */
/* The table of image formats the core asks in turn, and helpers they share. */
#include <stdio.h>
#include <string.h>

#include "../core/internal.h"

extern const struct kx_format kx_format_bzimage;

const struct kx_format *const kx_formats[] = {
	&kx_format_bzimage,
	NULL,
};

void kx_info_add(struct kx_info *info, const char *key, const char *fmt, ...)
{
	struct kx_info_field *f;
	va_list ap;

	if (info->nfields == KX_INFO_MAX_FIELDS)
		return;
	f = &info->fields[info->nfields++];
	f->key = key;
	va_start(ap, fmt);
	vsnprintf(f->value, sizeof(f->value), fmt, ap);
	va_end(ap);
}

/* Compression by the stream's magic bytes (the formats' own specifications). */
const char *kx_compression_by_magic(const uint8_t *p, uint64_t len)
{
	static const struct {
		const char *name;
		const char *magic;
		size_t len;
	} m[] = {
		{ "gzip", "\x1f\x8b", 2 },
		{ "xz", "\xfd" "7zXZ\x00", 6 },
		{ "zstd", "\x28\xb5\x2f\xfd", 4 },
		{ "bzip2", "BZh", 3 },
		{ "lzo", "\x89LZO", 4 },
		{ "lz4", "\x02\x21\x4c\x18", 4 },
		{ "lzma", "\x5d\x00\x00", 3 },
	};

	for (size_t i = 0; i < KX_ARRAY_SIZE(m); i++)
		if (len >= m[i].len && !memcmp(p, m[i].magic, m[i].len))
			return m[i].name;
	return "unknown";
}
