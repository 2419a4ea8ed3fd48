/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: arbitrary bytes as a U-Boot uImage, through the public
 * open-from-memory API. Each input is tried twice: as it is (so the CRC
 * checks themselves are fuzzed), and with both CRCs made right for its
 * header and data (so that mutations reach the fields behind them and the
 * image inside, as a crafted, correctly checksummed file would). Either
 * way a load must fail with a message and nothing loaded, or give a plan
 * whose segments are page aligned, inside RAM, apart and hashed right.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "kexload.h"

static int fixed_random(void *arg, void *buf, size_t len)
{
	(void)arg;
	memset(buf, 0x5a, len);
	return 0;
}

static struct kx_image *setup(void)
{
	struct kx_memmap *map;
	struct kx_image *img;

	if (kx_memmap_new(&map) || kx_memmap_parse_ram(map, "1G@0x40000000") ||
	    kx_image_new(&img) || kx_image_set_memmap(img, map))
		abort();
	kx_memmap_free(map);
	kx_image_set_random(img, fixed_random, NULL);
	return img;
}

/* @wrapped: the input starts with the uImage magic, so a load found a
 * uImage (the raw inputs may be anything, a bare zImage too). */
static void check_plan(const struct kx_image *img, bool wrapped)
{
	size_t n = kx_image_segment_count(img);

	if (!n || !kx_image_entry(img) ||
	    (wrapped && (kx_image_wrapper_count(img) != 1 ||
			 strcmp(kx_image_wrapper(img, 0), "uImage"))))
		abort();
	for (size_t i = 0; i < n; i++) {
		const struct kx_segment *s = kx_image_segment(img, i);
		uint8_t md[KX_SHA256_LEN];

		if (s->mem % 4096 || s->memsz % 4096 || s->memsz < s->bufsz ||
		    s->mem < 0x40000000 || s->mem + s->memsz - 1 > 0x7fffffff)
			abort();
		for (size_t k = 0; k < i; k++) {
			const struct kx_segment *o = kx_image_segment(img, k);

			if (s->mem < o->mem + o->memsz && o->mem < s->mem + s->memsz)
				abort();
		}
		kx_sha256(s->buf, s->bufsz, md);
		if (memcmp(md, s->sha256, sizeof(md)))
			abort();
	}
}

static void try_load(struct kx_image *img, const uint8_t *data, size_t size,
		     bool wrapped)
{
	struct kx_load_opts o = { .arch = KX_ARCH_ARM, .cmdline = "console=ttyAMA0" };
	struct kx_info info;

	if (kx_image_inspect_buffer(img, "fuzz", data, size, &info) &&
	    !kx_image_error(img)[0])
		abort();
	if (kx_image_load_buffer(img, &o, data, size)) {
		if (!kx_image_error(img)[0] || kx_image_segment_count(img))
			abort();
		return;
	}
	check_plan(img, wrapped);
}

static void put_be32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> 8 * (3 - i));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct kx_image *img;
	uint8_t *copy;
	uint32_t n;

	if (!img)
		img = setup();
	try_load(img, data, size, false);
	if (size < 64)
		return 0;
	copy = malloc(size);
	if (!copy)
		abort();
	memcpy(copy, data, size);
	put_be32(copy, 0x27051956);
	n = (uint32_t)((uint64_t)copy[12] << 24 | copy[13] << 16 | copy[14] << 8 | copy[15]);
	if (n > size - 64)
		n = (uint32_t)(size - 64);
	put_be32(copy + 12, n);
	put_be32(copy + 24, (uint32_t)crc32(crc32(0L, Z_NULL, 0), copy + 64, n));
	memset(copy + 4, 0, 4);
	put_be32(copy + 4, (uint32_t)crc32(crc32(0L, Z_NULL, 0), copy, 64));
	try_load(img, copy, size, true);
	free(copy);
	return 0;
}
