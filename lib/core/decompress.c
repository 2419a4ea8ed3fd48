/* SPDX-License-Identifier: MIT */
/*
 * Decompression for wrapper formats, with the well-kept libraries: zlib
 * (gzip, RFC 1952), liblzma (xz and the legacy .lzma "alone" format) and
 * libzstd. The output is bounded, grows as needed, and is owned by the
 * image; every failure names the file and what the library said.
 */
#include <inttypes.h>
#include <lzma.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "internal.h"

struct outbuf {
	uint8_t *p;
	size_t len;
	size_t cap;
	size_t max;
};

static int grow(struct outbuf *o)
{
	size_t cap = o->cap ? o->cap * 2 : 1 << 20;
	uint8_t *p;

	if (o->cap >= o->max)
		return -EFBIG;
	if (cap > o->max)
		cap = o->max;
	p = realloc(o->p, cap);
	if (!p)
		return -ENOMEM;
	o->p = p;
	o->cap = cap;
	return 0;
}

static int gunzip(struct kx_image *img, const char *name, const uint8_t *in,
		  size_t len, struct outbuf *o)
{
	z_stream z = { 0 };
	int zr;

	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return kx_err(img, -ENOMEM, "%s: cannot start zlib", name);
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)(len > UINT32_MAX ? UINT32_MAX : len);
	do {
		if (o->len == o->cap && grow(o)) {
			inflateEnd(&z);
			return kx_err(img, -EFBIG,
				      "%s: gzip data expands past %zu bytes", name,
				      o->max);
		}
		z.next_out = o->p + o->len;
		z.avail_out = (uInt)(o->cap - o->len);
		zr = inflate(&z, Z_NO_FLUSH);
		o->len = o->cap - z.avail_out;
	} while (zr == Z_OK);
	inflateEnd(&z);
	if (zr == Z_STREAM_END)
		return 0;
	if (zr == Z_BUF_ERROR)
		return kx_err(img, -EINVAL, "%s: gzip data is truncated", name);
	return kx_err(img, -EINVAL, "%s: gzip data is corrupt (zlib: %s)", name,
		      z.msg ? z.msg : "error");
}

static const char *lzma_msg(lzma_ret r)
{
	switch (r) {
	case LZMA_FORMAT_ERROR: return "not in this format";
	case LZMA_OPTIONS_ERROR: return "unsupported options";
	case LZMA_DATA_ERROR: return "corrupt data";
	case LZMA_BUF_ERROR: return "truncated data";
	case LZMA_MEM_ERROR: return "out of memory";
	case LZMA_MEMLIMIT_ERROR: return "memory limit reached";
	default: return "error";
	}
}

static int unxz(struct kx_image *img, const char *name, const char *what,
		bool alone, const uint8_t *in, size_t len, struct outbuf *o)
{
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_ret r;

	r = alone ? lzma_alone_decoder(&s, UINT64_MAX) :
		    lzma_stream_decoder(&s, UINT64_MAX, 0);
	if (r != LZMA_OK)
		return kx_err(img, -ENOMEM, "%s: cannot start liblzma", name);
	s.next_in = in;
	s.avail_in = len;
	do {
		if (o->len == o->cap && grow(o)) {
			lzma_end(&s);
			return kx_err(img, -EFBIG, "%s: %s data expands past %zu bytes",
				      name, what, o->max);
		}
		s.next_out = o->p + o->len;
		s.avail_out = o->cap - o->len;
		r = lzma_code(&s, LZMA_FINISH);
		o->len = o->cap - s.avail_out;
	} while (r == LZMA_OK);
	lzma_end(&s);
	if (r == LZMA_STREAM_END)
		return 0;
	return kx_err(img, -EINVAL, "%s: %s data is corrupt (liblzma: %s)", name,
		      what, lzma_msg(r));
}

static int unzstd(struct kx_image *img, const char *name, const uint8_t *in,
		  size_t len, struct outbuf *o)
{
	ZSTD_DStream *d = ZSTD_createDStream();
	ZSTD_inBuffer ib = { in, len, 0 };
	size_t r = 1;

	if (!d)
		return kx_err(img, -ENOMEM, "%s: cannot start libzstd", name);
	while (r != 0) {
		ZSTD_outBuffer ob;

		if (o->len == o->cap && grow(o)) {
			ZSTD_freeDStream(d);
			return kx_err(img, -EFBIG,
				      "%s: zstd data expands past %zu bytes", name,
				      o->max);
		}
		ob = (ZSTD_outBuffer){ o->p, o->cap, o->len };
		r = ZSTD_decompressStream(d, &ob, &ib);
		o->len = ob.pos;
		if (ZSTD_isError(r)) {
			ZSTD_freeDStream(d);
			return kx_err(img, -EINVAL,
				      "%s: zstd data is corrupt (libzstd: %s)", name,
				      ZSTD_getErrorName(r));
		}
		if (r && ib.pos == ib.size && ob.pos < ob.size) {
			ZSTD_freeDStream(d);
			return kx_err(img, -EINVAL, "%s: zstd data is truncated",
				      name);
		}
	}
	ZSTD_freeDStream(d);
	return 0;
}

int kx_decompress(struct kx_image *img, const char *name, const char *method,
		  const uint8_t *in, size_t len, size_t max,
		  struct kx_reader *out)
{
	struct outbuf o = { .max = max };
	int rc;

	/* @max is the size expected plus one byte (to see data that runs
	 * long): the size expected must fit what is left of the budget. */
	if (max - 1 > img->unwrap_limit - img->unwrapped)
		return kx_err(img, -EFBIG, "%s: unwrapping it would take %zu "
			      "bytes, more than the %" PRIu64 " left of the %"
			      PRIu64 " kexload unwraps for one load (wrappers "
			      "inside wrappers)", name, max - 1,
			      img->unwrap_limit - img->unwrapped,
			      img->unwrap_limit);
	if (!strcmp(method, "gzip"))
		rc = gunzip(img, name, in, len, &o);
	else if (!strcmp(method, "xz"))
		rc = unxz(img, name, "xz", false, in, len, &o);
	else if (!strcmp(method, "lzma"))
		rc = unxz(img, name, "lzma", true, in, len, &o);
	else if (!strcmp(method, "zstd"))
		rc = unzstd(img, name, in, len, &o);
	else
		rc = kx_err(img, -ENOTSUP, "%s: %s compression is not supported",
			    name, method);
	if (rc) {
		free(o.p);
		return rc;
	}
	if (img->nowned == KX_ARRAY_SIZE(img->owned)) {
		free(o.p);
		return kx_err(img, -ENOMEM, "out of memory");
	}
	img->owned[img->nowned++] = o.p;
	img->unwrapped += o.len;
	kx_reader_init(out, o.p, o.len, kx_image_name(img, "%s (%s)", name, method));
	return 0;
}
