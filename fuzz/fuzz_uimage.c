/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: arbitrary bytes as a U-Boot uImage (seeds from
 * tests/fixtures/mkzimage), through the public open-from-memory API. Each
 * input is tried twice: as it is (so the CRC checks themselves are
 * fuzzed), and with the uImage magic and both CRCs made right for its
 * header and data (so that mutations reach the fields behind them and the
 * image inside, as a crafted, correctly checksummed file would). Either
 * way a load must fail with a message and nothing loaded, or give a sane
 * plan (image_plan.h) that, for the second, found the uImage.
 */
#include <stdbool.h>

#include <zlib.h>

#define FUZZ_RAM 0x40000000
#include "image_plan.h"

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
	check_plan(img);
	if (wrapped && (kx_image_wrapper_count(img) != 1 ||
			strcmp(kx_image_wrapper(img, 0), "uImage")))
		abort();
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
	n = (uint32_t)copy[12] << 24 | (uint32_t)copy[13] << 16 |
	    (uint32_t)copy[14] << 8 | copy[15];
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
