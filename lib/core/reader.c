/* SPDX-License-Identifier: MIT */
/*
 * The bounds-checked reader through which every header is parsed. A read
 * that does not fit inside the buffer returns 0 and marks the reader failed;
 * the first failing offset is kept for the error message. Fields are read
 * with explicit width and byte order, never by casting a struct.
 */
#include <string.h>

#include "internal.h"

void kx_reader_init(struct kx_reader *r, const void *buf, uint64_t len,
		    const char *name)
{
	memset(r, 0, sizeof(*r));
	r->buf = buf;
	r->len = len;
	r->name = name;
}

bool kx_rd_fits(const struct kx_reader *r, uint64_t off, uint64_t len)
{
	return off <= r->len && len <= r->len - off;
}

static const uint8_t *at(struct kx_reader *r, uint64_t off, uint64_t len)
{
	if (kx_rd_fits(r, off, len))
		return r->buf + off;
	if (!r->failed) {
		r->failed = true;
		r->fail_off = off;
		r->fail_len = len;
	}
	return NULL;
}

const uint8_t *kx_rd_bytes(struct kx_reader *r, uint64_t off, uint64_t len)
{
	return at(r, off, len);
}

uint8_t kx_rd_u8(struct kx_reader *r, uint64_t off)
{
	const uint8_t *p = at(r, off, 1);

	return p ? p[0] : 0;
}

static uint64_t rd(struct kx_reader *r, uint64_t off, unsigned n, bool be)
{
	const uint8_t *p = at(r, off, n);

	return p ? kx_get_uint(p, n, be) : 0;
}

uint16_t kx_rd_le16(struct kx_reader *r, uint64_t off)
{
	return (uint16_t)rd(r, off, 2, false);
}

uint32_t kx_rd_le32(struct kx_reader *r, uint64_t off)
{
	return (uint32_t)rd(r, off, 4, false);
}

uint64_t kx_rd_le64(struct kx_reader *r, uint64_t off)
{
	return rd(r, off, 8, false);
}

uint16_t kx_rd_be16(struct kx_reader *r, uint64_t off)
{
	return (uint16_t)rd(r, off, 2, true);
}

uint32_t kx_rd_be32(struct kx_reader *r, uint64_t off)
{
	return (uint32_t)rd(r, off, 4, true);
}

uint64_t kx_rd_be64(struct kx_reader *r, uint64_t off)
{
	return rd(r, off, 8, true);
}

bool kx_rd_cstr(struct kx_reader *r, uint64_t off, uint64_t max, char *out,
		size_t outlen)
{
	size_t o = 0;

	if (outlen)
		out[0] = '\0';
	if (off >= r->len)
		return at(r, off, 1) != NULL;
	if (max > r->len - off)
		max = r->len - off;
	for (uint64_t i = 0; i < max; i++) {
		uint8_t c = r->buf[off + i];

		if (!c) {
			if (outlen)
				out[o] = '\0';
			return true;
		}
		if (o + 1 < outlen)
			out[o++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	if (outlen)
		out[o] = '\0';
	return false;
}

void kx_put_uint(uint8_t *p, unsigned size, uint64_t v, bool big_endian)
{
	for (unsigned i = 0; i < size; i++) {
		unsigned shift = 8 * (big_endian ? size - 1 - i : i);

		p[i] = (uint8_t)(v >> shift);
	}
}

uint64_t kx_get_uint(const uint8_t *p, unsigned size, bool big_endian)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < size; i++) {
		unsigned shift = 8 * (big_endian ? size - 1 - i : i);

		v |= (uint64_t)p[i] << shift;
	}
	return v;
}
