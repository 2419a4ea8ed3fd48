/* SPDX-License-Identifier: MIT */
/* The table of image formats the core asks in turn, and helpers they share. */
#include <stdio.h>
#include <string.h>

#include "../core/internal.h"

extern const struct kx_format kx_format_bzimage;
extern const struct kx_format kx_format_arm64_image;
extern const struct kx_format kx_format_zimage;
extern const struct kx_format kx_format_uimage;

/* Built with `make KX_UIMAGE=0`, lib/formats/uimage.c is left out, and a
 * uImage meets this instead: recognised by its magic, and refused. */
static int no_uimage_probe(struct kx_image *img, struct kx_reader *r,
			   struct kx_info *info)
{
	(void)info;
	if (kx_rd_be32(r, 0) != 0x27051956u || r->failed)
		return -ENOEXEC;
	return kx_err(img, -ENOTSUP,
		      "%s: a U-Boot uImage, and this kexload is built without "
		      "uImage support (make KX_UIMAGE=0)", r->name);
}

static const struct kx_format no_uimage = {
	.name = "uImage (not built)",
	.probe = no_uimage_probe,
};

/* A uImage's magic at 0 is surer than a zImage's at 0x24 or an arm64
 * Image's at 56 (which a uImage's name may hold): it is asked first. */
const struct kx_format *const kx_formats[] = {
	KX_UIMAGE ? &kx_format_uimage : &no_uimage,
	&kx_format_arm64_image,
	&kx_format_bzimage,
	&kx_format_zimage,
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

bool kx_find_linux_version(const uint8_t *p, uint64_t len, char *out,
			   size_t outlen)
{
	static const char banner[] = "Linux version ";
	const uint8_t *v = memmem(p, len, banner, sizeof(banner) - 1);
	size_t n = 0;

	out[0] = '\0';
	if (!v || !outlen)
		return false;
	v += sizeof(banner) - 1;
	while (v + n < p + len && n + 1 < outlen && v[n] >= ' ' && v[n] < 0x7f)
		n++;
	memcpy(out, v, n);
	out[n] = '\0';
	while (n && out[n - 1] == ' ')
		out[--n] = '\0';
	return true;
}
