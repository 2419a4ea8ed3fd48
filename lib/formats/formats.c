/* SPDX-License-Identifier: MIT */
/* The table of image formats the core asks in turn, and helpers they share. */
#include <stdio.h>
#include <string.h>

#include "../core/internal.h"

extern const struct kx_format kx_format_bzimage;
extern const struct kx_format kx_format_arm64_image;
extern const struct kx_format kx_format_gzip;
extern const struct kx_format kx_format_zboot;
extern const struct kx_format kx_format_zimage;
extern const struct kx_format kx_format_uimage;
extern const struct kx_format kx_format_s390_image;
extern const struct kx_format kx_format_elf_s390;
extern const struct kx_format kx_format_elf_ppc64be;
extern const struct kx_format kx_format_elf_ppc64;
extern const struct kx_format kx_format_pe_arm64;
extern const struct kx_format kx_format_pe_x86_64;

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

/* Wrappers first: their magic is exact, and what they hold is probed
 * again. A uImage's magic at 0 is surer than a zImage's at 0x24 or an
 * arm64 Image's at 56, which a uImage's name may hold. */
const struct kx_format *const kx_formats[] = {
	KX_UIMAGE ? &kx_format_uimage : &no_uimage,
	&kx_format_zboot,
	&kx_format_gzip,
	&kx_format_elf_s390,    /* an s390x ELF kernel: its memory image */
	&kx_format_arm64_image,
	&kx_format_bzimage,
	&kx_format_zimage,
	&kx_format_s390_image,
	/* After every format that knows the kernel inside a PE (arm64
	 * Image, bzImage, zboot, an ARM zImage's stub): only the PEs
	 * nobody else takes. */
	&kx_format_pe_arm64,
	&kx_format_pe_x86_64,   /* refuses PEs of other machines */
	&kx_format_elf_ppc64be,
	&kx_format_elf_ppc64,   /* last: it refuses ELF of other machines */
	NULL,
};

const struct kx_format *const kx_formats_pe[] = {
	&kx_format_pe_arm64,
	&kx_format_pe_x86_64,   /* refuses PEs of other machines */
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

/* The banner's printable run at @v, up to the end of its line. */
static size_t banner_len(const uint8_t *v, const uint8_t *end)
{
	size_t n = 0;

	while (v + n < end && v[n] >= ' ' && v[n] < 0x7f)
		n++;
	return n;
}

/* Whether the banner has a build number ("#1 SMP ..."): some kernels hold
 * a copy without it ("# SMP ...") before the real linux_banner. */
static bool banner_numbered(const uint8_t *v, size_t n)
{
	const uint8_t *h = memchr(v, '#', n);

	return h && h + 1 < v + n && h[1] >= '0' && h[1] <= '9';
}

bool kx_find_linux_version(const uint8_t *p, uint64_t len, char *out,
			   size_t outlen)
{
	static const char banner[] = "Linux version ";
	const size_t blen = sizeof(banner) - 1;
	const uint8_t *end = p + len, *best = NULL, *v = p;
	size_t n = 0, bestn = 0;

	out[0] = '\0';
	if (!outlen)
		return false;
	/* The first numbered banner, else the first of all. */
	while ((v = memmem(v, (size_t)(end - v), banner, blen))) {
		v += blen;
		n = banner_len(v, end);
		if (!best || banner_numbered(v, n)) {
			best = v;
			bestn = n;
		}
		if (banner_numbered(v, n))
			break;
	}
	if (!best)
		return false;
	if (bestn >= outlen)
		bestn = outlen - 1;
	memcpy(out, best, bestn);
	out[bestn] = '\0';
	while (bestn && out[bestn - 1] == ' ')
		out[--bestn] = '\0';
	return true;
}
