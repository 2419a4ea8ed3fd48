/* SPDX-License-Identifier: MIT */
/*
 * The bounds-checked reader (lib/core/reader.c): reads that fit and reads
 * that do not (at the end, one past it, offsets near UINT64_MAX), the
 * sticky first failure, C strings, both byte orders at every width, and
 * kx_put_uint/kx_get_uint.
 */
#include "internal.h"
#include "tap.h"

static const uint8_t seq[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

/* Each reader function at one offset of seq, and what it must give. */
enum rd_fn { U8, LE16, LE32, LE64, BE16, BE32, BE64 };

static const char *const fn_names[] = {
	"u8", "le16", "le32", "le64", "be16", "be32", "be64",
};

static uint64_t rd(struct kx_reader *r, enum rd_fn fn, uint64_t off)
{
	switch (fn) {
	case U8: return kx_rd_u8(r, off);
	case LE16: return kx_rd_le16(r, off);
	case LE32: return kx_rd_le32(r, off);
	case LE64: return kx_rd_le64(r, off);
	case BE16: return kx_rd_be16(r, off);
	case BE32: return kx_rd_be32(r, off);
	case BE64: return kx_rd_be64(r, off);
	}
	return 0;
}

static void test_widths(void)
{
	static const struct {
		enum rd_fn fn;
		uint64_t off;
		uint64_t want;
	} cases[] = {
		{ U8, 0, 0x01 },
		{ U8, 7, 0x08 },                      /* the last byte */
		{ LE16, 0, 0x0201 },
		{ LE16, 6, 0x0807 },
		{ LE32, 0, 0x04030201 },
		{ LE32, 4, 0x08070605 },
		{ LE64, 0, 0x0807060504030201ULL },
		{ BE16, 0, 0x0102 },
		{ BE16, 6, 0x0708 },
		{ BE32, 1, 0x02030405 },
		{ BE32, 4, 0x05060708 },
		{ BE64, 0, 0x0102030405060708ULL },
	};

	for (size_t i = 0; i < KX_ARRAY_SIZE(cases); i++) {
		struct kx_reader r;
		uint64_t v;

		kx_reader_init(&r, seq, sizeof(seq), "seq");
		v = rd(&r, cases[i].fn, cases[i].off);
		is_u64(v, cases[i].want, "%s at %" PRIu64,
		       fn_names[cases[i].fn], cases[i].off);
		ok(!r.failed, "%s at %" PRIu64 " leaves the reader good",
		   fn_names[cases[i].fn], cases[i].off);
	}
}

/* Reads that do not fit: 0, failed, and the first bad offset and length. */
static void test_out_of_bounds(void)
{
	static const struct {
		enum rd_fn fn;
		uint64_t off;
		uint64_t len;      /* the width, as fail_len must say */
	} cases[] = {
		{ U8, 8, 1 },                  /* one past the end */
		{ LE16, 7, 2 },                /* one byte in, one out */
		{ LE32, 5, 4 },
		{ LE64, 1, 8 },
		{ BE16, 8, 2 },
		{ BE32, 6, 4 },
		{ BE64, 4, 8 },
		{ U8, UINT64_MAX, 1 },
		{ LE32, UINT64_MAX - 3, 4 },   /* off + len wraps to 0 */
		{ LE64, UINT64_MAX - 1, 8 },
		{ BE64, UINT64_MAX - 7, 8 },   /* off + len == 2^64 exactly */
	};

	for (size_t i = 0; i < KX_ARRAY_SIZE(cases); i++) {
		struct kx_reader r;
		uint64_t v;

		kx_reader_init(&r, seq, sizeof(seq), "seq");
		v = rd(&r, cases[i].fn, cases[i].off);
		is_u64(v, 0, "%s at 0x%" PRIx64 " reads 0", fn_names[cases[i].fn],
		       cases[i].off);
		ok(r.failed, "%s at 0x%" PRIx64 " fails the reader",
		   fn_names[cases[i].fn], cases[i].off);
		is_u64(r.fail_off, cases[i].off, "%s at 0x%" PRIx64 ": fail_off",
		       fn_names[cases[i].fn], cases[i].off);
		is_u64(r.fail_len, cases[i].len, "%s at 0x%" PRIx64 ": fail_len",
		       fn_names[cases[i].fn], cases[i].off);
	}
}

static void test_fits_and_bytes(void)
{
	static const struct {
		uint64_t off, len;
		bool fits;
	} cases[] = {
		{ 0, 0, true },   { 0, 8, true },   { 8, 0, true },
		{ 7, 1, true },   { 0, 9, false },  { 9, 0, false },
		{ 4, 5, false },  { 1, UINT64_MAX, false },
		{ UINT64_MAX, 1, false },   { UINT64_MAX, 0, false },
		{ 4, UINT64_MAX - 3, false },   /* 4 + len wraps to 1 */
		{ 8, UINT64_MAX, false },
	};
	struct kx_reader r;
	const uint8_t *p;

	kx_reader_init(&r, seq, sizeof(seq), "seq");
	for (size_t i = 0; i < KX_ARRAY_SIZE(cases); i++)
		ok(kx_rd_fits(&r, cases[i].off, cases[i].len) == cases[i].fits,
		   "fits(0x%" PRIx64 ", 0x%" PRIx64 ") is %s", cases[i].off,
		   cases[i].len, cases[i].fits ? "true" : "false");
	ok(!r.failed, "kx_rd_fits never fails the reader");

	p = kx_rd_bytes(&r, 2, 6);
	ok(p == seq + 2, "bytes(2, 6) points into the buffer");
	ok(!r.failed, "bytes(2, 6) leaves the reader good");
	p = kx_rd_bytes(&r, 4, UINT64_MAX - 3);
	ok(!p, "bytes(4, 2^64 - 3) is NULL");
	ok(r.failed && r.fail_off == 4 && r.fail_len == UINT64_MAX - 3,
	   "bytes(4, 2^64 - 3) fails with that offset and length");
}

static void test_sticky(void)
{
	struct kx_reader r;

	kx_reader_init(&r, seq, sizeof(seq), "seq");
	kx_rd_le32(&r, 100);
	kx_rd_le64(&r, 200);
	kx_rd_u8(&r, 9);
	ok(r.failed, "failed after three bad reads");
	is_u64(r.fail_off, 100, "the first failure's offset is kept");
	is_u64(r.fail_len, 4, "the first failure's length is kept");
	is_u64(kx_rd_le16(&r, 2), 0x0403,
	       "a good read after a failure still reads");
	ok(r.failed, "and the reader stays failed");
	is_str(r.name, "seq", "the name is kept for messages");
	is_u64(r.len, 8, "the length is kept");

	kx_reader_init(&r, seq, sizeof(seq), "again");
	ok(!r.failed && !r.fail_off && !r.fail_len,
	   "kx_reader_init clears the failure");
}

static void test_cstr(void)
{
	static const uint8_t text[] = "abc\0de\x01\x7f" "f\0gh";
	static const struct {
		uint64_t off, max;
		size_t outlen;
		bool want_ok;
		const char *want;
		const char *what;
	} cases[] = {
		{ 0, 64, 16, true, "abc", "a string" },
		{ 0, 4, 16, true, "abc", "max just reaches the NUL" },
		{ 0, 3, 16, false, "abc", "max stops before the NUL" },
		{ 3, 64, 16, true, "", "an empty string" },
		{ 4, 64, 16, true, "de??f", "unprintable bytes become ?" },
		{ 0, 64, 3, true, "ab", "output cut to outlen - 1" },
		{ 0, 64, 1, true, "", "outlen 1 gives an empty string" },
		{ 10, 64, 16, false, "gh", "no NUL before the end" },
		{ 12, 64, 16, false, "", "at the end" },
	};
	struct kx_reader r;
	char out[16];

	/* sizeof(text) - 1: the literal's own NUL is not part of the buffer */
	for (size_t i = 0; i < KX_ARRAY_SIZE(cases); i++) {
		bool got;

		kx_reader_init(&r, text, sizeof(text) - 1, "text");
		memset(out, 'X', sizeof(out));
		got = kx_rd_cstr(&r, cases[i].off, cases[i].max, out,
				 cases[i].outlen);
		ok(got == cases[i].want_ok, "cstr: %s: returns %s",
		   cases[i].what, cases[i].want_ok ? "true" : "false");
		is_str(out, cases[i].want, "cstr: %s: text", cases[i].what);
	}

	kx_reader_init(&r, text, sizeof(text) - 1, "text");
	memset(out, 'X', sizeof(out));
	ok(!kx_rd_cstr(&r, 13, 64, out, sizeof(out)), "cstr one past the end");
	ok(r.failed && r.fail_off == 13, "... fails the reader at 13");
	is_str(out, "", "... with an empty output");

	kx_reader_init(&r, text, sizeof(text) - 1, "text");
	ok(!kx_rd_cstr(&r, UINT64_MAX, 64, out, sizeof(out)),
	   "cstr at UINT64_MAX");
	ok(r.failed, "... fails the reader");

	kx_reader_init(&r, text, sizeof(text) - 1, "text");
	ok(!kx_rd_cstr(&r, 10, UINT64_MAX, out, sizeof(out)),
	   "cstr with max UINT64_MAX stops at the end of the buffer");
	is_str(out, "gh", "... having read what was there");
	ok(kx_rd_cstr(&r, 0, 64, NULL, 0), "cstr with no output buffer");
}

static void test_put_get(void)
{
	static const struct {
		unsigned size;
		bool be;
		uint64_t v;
		const char *bytes;   /* what kx_put_uint writes */
		uint64_t back;       /* what kx_get_uint reads back */
	} cases[] = {
		{ 1, false, 0xab, "\xab", 0xab },
		{ 1, true, 0x1ff, "\xff", 0xff },
		{ 2, false, 0x1234, "\x34\x12", 0x1234 },
		{ 2, true, 0x1234, "\x12\x34", 0x1234 },
		{ 4, false, 0x11223344, "\x44\x33\x22\x11", 0x11223344 },
		{ 4, true, 0x11223344, "\x11\x22\x33\x44", 0x11223344 },
		{ 4, false, 0x1122334455667788ULL, "\x88\x77\x66\x55", 0x55667788 },
		{ 4, true, 0x1122334455667788ULL, "\x55\x66\x77\x88", 0x55667788 },
		{ 8, false, 0x1122334455667788ULL,
		  "\x88\x77\x66\x55\x44\x33\x22\x11", 0x1122334455667788ULL },
		{ 8, true, 0x1122334455667788ULL,
		  "\x11\x22\x33\x44\x55\x66\x77\x88", 0x1122334455667788ULL },
		{ 8, false, UINT64_MAX, "\xff\xff\xff\xff\xff\xff\xff\xff",
		  UINT64_MAX },
		{ 3, true, 0xabcdef, "\xab\xcd\xef", 0xabcdef },
	};

	for (size_t i = 0; i < KX_ARRAY_SIZE(cases); i++) {
		uint8_t buf[12];
		unsigned n = cases[i].size;
		const char *bo = cases[i].be ? "BE" : "LE";

		memset(buf, 0xee, sizeof(buf));
		kx_put_uint(buf + 2, n, cases[i].v, cases[i].be);
		is_mem(buf + 2, cases[i].bytes, n, "put %u bytes %s of 0x%" PRIx64,
		       n, bo, cases[i].v);
		ok(buf[0] == 0xee && buf[1] == 0xee && buf[2 + n] == 0xee,
		   "put %u bytes %s writes nothing outside them", n, bo);
		is_u64(kx_get_uint(buf + 2, n, cases[i].be), cases[i].back,
		       "get %u bytes %s", n, bo);
	}

	/* Round trips of a value pattern through every width and order. */
	for (unsigned n = 1; n <= 8; n++) {
		bool good = true;

		for (int be = 0; be < 2; be++) {
			for (uint64_t k = 0; k < 64; k++) {
				uint64_t v = 0x9e3779b97f4a7c15ULL * (k + 1);
				uint64_t mask = n == 8 ? UINT64_MAX :
						(1ULL << (8 * n)) - 1;
				uint8_t buf[8];

				kx_put_uint(buf, n, v, be);
				good &= kx_get_uint(buf, n, be) == (v & mask);
			}
		}
		ok(good, "put/get round trip, %u bytes, both orders", n);
	}
}

int main(void)
{
	test_widths();
	test_out_of_bounds();
	test_fits_and_bytes();
	test_sticky();
	test_cstr();
	test_put_get();
	return done_testing();
}
