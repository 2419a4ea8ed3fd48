/* SPDX-License-Identifier: MIT */
/*
 * A gzip-compressed kernel (arm64's Image.gz, and any other image gzip'ed
 * whole), following RFC 1952: a wrapper format. The probe takes the magic
 * and method bytes; unwrap inflates with zlib into a buffer as large as the
 * trailer's ISIZE says, checks the result is exactly that long, and hands
 * it back to probing, which decides what kernel is inside.
 */
#include <inttypes.h>

#include "../core/internal.h"

#define GZIP_MIN_LEN 18      /* 10-byte header, empty deflate, 8-byte trailer */
#define GZIP_CM_DEFLATE 8

static int gzip_probe(struct kx_image *img, struct kx_reader *r,
		      struct kx_info *info)
{
	(void)img;
	if (kx_rd_u8(r, 0) != 0x1f || kx_rd_u8(r, 1) != 0x8b ||
	    kx_rd_u8(r, 2) != GZIP_CM_DEFLATE || r->failed)
		return -ENOEXEC;
	info->compression = "gzip";
	return 0;
}

static int gzip_unwrap(struct kx_image *img, struct kx_reader *r,
		       struct kx_reader *inner)
{
	uint32_t isize;
	int rc;

	if (r->len < GZIP_MIN_LEN)
		return kx_err(img, -EINVAL,
			      "%s: gzip data is truncated (%" PRIu64
			      " bytes; a gzip file has at least %d)", r->name,
			      r->len, GZIP_MIN_LEN);
	isize = kx_rd_le32(r, r->len - 4);
	if (!isize || isize > KX_MAX_UNWRAPPED)
		return kx_err(img, -EINVAL,
			      "%s: the gzip trailer gives an uncompressed size of "
			      "%" PRIu32 " bytes; a kernel is 1 byte to %llu MiB",
			      r->name, isize, KX_MAX_UNWRAPPED >> 20);
	/* One byte of room past ISIZE, so that longer data shows as such. */
	rc = kx_decompress(img, r->name, "gzip", r->buf, r->len, isize + 1ULL,
			   inner);
	if (rc)
		return rc;
	if (inner->len != isize)
		return kx_err(img, -EINVAL,
			      "%s: gzip data gives %" PRIu64 " bytes, but its "
			      "trailer says %" PRIu32, r->name, inner->len, isize);
	return 0;
}

/* kexec-tools' --type name for it (on arm64, "zImage" is Image.gz). */
static const char *const gzip_kexec_names[] = { "zImage", NULL };

const struct kx_format kx_format_gzip = {
	.name = "gzip",
	.arch = KX_ARCH_NONE,
	.kexec_names = gzip_kexec_names,
	.probe = gzip_probe,
	.unwrap = gzip_unwrap,
};
