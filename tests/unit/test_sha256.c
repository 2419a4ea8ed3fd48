/* SPDX-License-Identifier: MIT */
/*
 * SHA-256 (lib/core/sha256.c) against FIPS 180-4's examples and NIST CAVS
 * short messages, at the padding boundaries, with the input split into
 * updates at every offset, and the generic C block function against the
 * CPU's SHA instructions on random lengths.
 */
#include <stdlib.h>

#include "internal.h"
#include "sha256_accel.h"
#include "tap.h"

/* A digest with the block function chosen: 1 the CPU's, 0 generic C. */
static void digest(const void *p, size_t len, int accel, uint8_t out[32])
{
	struct kx_sha256 c;

	kx_sha256_init(&c);
	c.accel = accel;
	kx_sha256_update(&c, p, len);
	kx_sha256_final(&c, out);
}

static int modes[2];   /* the block functions to try: 0, and 1 if the CPU has it */
static int nmodes = 1;

static void test_nist(void)
{
	static const struct {
		const char *msg;
		size_t len;
		const char *md;
		const char *what;
	} cases[] = {
		{ "", 0,
		  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		  "empty message" },
		{ "abc", 3,
		  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
		  "FIPS 180-4 one block, \"abc\"" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
		  "FIPS 180-4 two blocks, 448 bits" },
		{ "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
		  "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu", 112,
		  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1",
		  "896-bit message" },
		{ "\xd3", 1,
		  "28969cdfa74a12c82f3bad960b0b000aca2ac329deea5c2328ebc6f2ba9802c1",
		  "CAVS ShortMsg Len=8" },
		{ "\x11\xaf", 2,
		  "5ca7133fa735326081558ac312c620eeca9970d1e70a4b95533d956f072d1f98",
		  "CAVS ShortMsg Len=16" },
	};

	for (size_t i = 0; i < KX_ARRAY_SIZE(cases); i++) {
		uint8_t md[32];

		kx_sha256(cases[i].msg, cases[i].len, md);
		is_hex(md, cases[i].md, "%s", cases[i].what);
		for (int m = 0; m < nmodes; m++) {
			digest(cases[i].msg, cases[i].len, modes[m], md);
			is_hex(md, cases[i].md, "%s (%s blocks)", cases[i].what,
			       modes[m] ? "CPU" : "generic");
		}
	}
}

static void test_million_a(void)
{
	static const char *md_hex =
		"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
	size_t n = 1000000;
	char *a = malloc(n);
	uint8_t md[32];

	if (!ok(a != NULL, "allocate a million bytes"))
		return;
	memset(a, 'a', n);
	kx_sha256(a, n, md);
	is_hex(md, md_hex, "one million 'a', in one update");
	for (int m = 0; m < nmodes; m++) {
		struct kx_sha256 c;

		kx_sha256_init(&c);
		c.accel = modes[m];
		for (size_t off = 0, step = 1; off < n; step = step % 997 + 1) {
			size_t k = step < n - off ? step : n - off;

			kx_sha256_update(&c, a + off, k);
			off += k;
		}
		kx_sha256_final(&c, md);
		is_hex(md, md_hex,
		       "one million 'a', in updates of 1..997 bytes (%s blocks)",
		       modes[m] ? "CPU" : "generic");
	}
	free(a);
}

/* Lengths around the padding boundaries; digests from Python's hashlib of
 * bytes (i * 7 + 3) & 0xff. */
static void test_boundaries(void)
{
	static const struct {
		size_t len;
		const char *md;
	} cases[] = {
		{ 55, "e7313d333c272e639f790978283f9eb392e843d0f29b7016828bb1daa4aac70b" },
		{ 56, "4324d65f3c103567f5589c710bc08f8523f929a9272e3af36fc968e52abc6c27" },
		{ 57, "35df609437dcfea3279283ab79fd554e2bf78f8f7ae2de532d8ee300b09e8f73" },
		{ 63, "81c80242132f230c3bd41b3e63bbcff16107339549214a99614ff26664625055" },
		{ 64, "39e3d7b6b5d075d37d053ad89b24b41bef4f3c29760c84447cab3f3be1882241" },
		{ 65, "aacca6ff74fdbb296d165a45cecfa04e5127bc008770fbbdd48006f2d2fae95e" },
		{ 119, "9ce7368e4daf32341631b492e80359dc9f594b48453cd0dd5bf0b19279cc177e" },
		{ 120, "7836b787757e95e58b3ca5aec90b1b004e8deba1e50e9675af9cabf1a13a04b5" },
		{ 127, "a8d23e75d936f303d248888d9b165ee543f4cbafcad3c9dd2a79bd84faa11d07" },
		{ 128, "d2742f1f4ac6bb7ca2b239ee18402ba8b3f9f8e652d2a72973c2b9ba11c08cf6" },
		{ 129, "307f8fc2c1622b92762e818d39a185d4d667ad49a4b07ceae1f4afa008a93ec4" },
		{ 1000, "1e9bc38cbf860b9ec31918b065f9b52476c549a782e0e7990bed8ce3868d2371" },
	};
	uint8_t msg[1000];

	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 7 + 3);
	for (size_t i = 0; i < KX_ARRAY_SIZE(cases); i++) {
		for (int m = 0; m < nmodes; m++) {
			uint8_t md[32];

			digest(msg, cases[i].len, modes[m], md);
			is_hex(md, cases[i].md, "%zu bytes (%s blocks)",
			       cases[i].len, modes[m] ? "CPU" : "generic");
		}
	}
}

/* Two updates split at every offset, and three at every pair of offsets
 * up to 130, give the one-shot digest. */
static void test_splits(void)
{
	uint8_t msg[200], want[32];

	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 131 + 17);
	kx_sha256(msg, sizeof(msg), want);
	for (int m = 0; m < nmodes; m++) {
		const char *mode = modes[m] ? "CPU" : "generic";
		size_t bad2 = SIZE_MAX, bad3 = SIZE_MAX;

		for (size_t cut = 0; cut <= 130; cut++) {
			struct kx_sha256 c;
			uint8_t md[32];

			kx_sha256_init(&c);
			c.accel = modes[m];
			kx_sha256_update(&c, msg, cut);
			kx_sha256_update(&c, msg + cut, sizeof(msg) - cut);
			kx_sha256_final(&c, md);
			if (memcmp(md, want, 32) && bad2 == SIZE_MAX)
				bad2 = cut;
			for (size_t cut2 = cut; cut2 <= 130; cut2++) {
				kx_sha256_init(&c);
				c.accel = modes[m];
				kx_sha256_update(&c, msg, cut);
				kx_sha256_update(&c, msg + cut, cut2 - cut);
				kx_sha256_update(&c, msg + cut2,
						 sizeof(msg) - cut2);
				kx_sha256_final(&c, md);
				if (memcmp(md, want, 32) && bad3 == SIZE_MAX)
					bad3 = cut * 1000 + cut2;
			}
		}
		is_u64(bad2, SIZE_MAX,
		       "two updates split at 0..130 agree (%s blocks; got is "
		       "the first bad offset)", mode);
		is_u64(bad3, SIZE_MAX,
		       "three updates split at 0..130 agree (%s blocks; got is "
		       "the first bad cut * 1000 + cut2)", mode);
	}
}

static uint64_t rng_state = 0x243f6a8885a308d3ULL;

static uint64_t xorshift(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* The CPU's block function against the generic one. */
static void test_accel_agrees(void)
{
	size_t max = 1 << 16, first_bad = SIZE_MAX;
	uint8_t *buf = malloc(max);

	if (nmodes < 2) {
		skip("this CPU has no SHA-256 instructions",
		     "CPU and generic blocks agree on random inputs");
		free(buf);
		return;
	}
	if (!ok(buf != NULL, "allocate 64 KiB"))
		return;
	for (size_t i = 0; i < max; i++)
		buf[i] = (uint8_t)xorshift();
	for (int round = 0; round < 500; round++) {
		size_t len = round < 300 ? (size_t)round : xorshift() % max;
		size_t off = xorshift() % 16;   /* unaligned starts too */
		uint8_t g[32], a[32];

		if (len > max - off)
			len = max - off;
		digest(buf + off, len, 0, g);
		digest(buf + off, len, 1, a);
		if (memcmp(g, a, 32) && first_bad == SIZE_MAX)
			first_bad = len;
	}
	is_u64(first_bad, SIZE_MAX,
	       "CPU and generic blocks agree on 500 random inputs (got is "
	       "the first length that differs)");
	free(buf);
}

int main(void)
{
	struct kx_sha256 c;

	kx_sha256_init(&c);
	note("SHA-256 instructions: %s", c.accel ? "yes" : "no");
	modes[0] = 0;
	if (c.accel) {
		modes[1] = 1;
		nmodes = 2;
	}
	ok(c.accel == kx_sha256_accel_available(),
	   "kx_sha256_init picks the CPU's blocks exactly when it has them");
	test_nist();
	test_million_a();
	test_boundaries();
	test_splits();
	test_accel_agrees();
	return done_testing();
}
