/* SPDX-License-Identifier: MIT */
/*
 * The body of the image fuzz targets: arbitrary bytes as a kernel image,
 * through the public open-from-memory API, as a user of libkexload would
 * call it: inspect (every format's probe, every wrapper unwrapped), then a
 * full load (format load, placement, purgatory, digests) for the
 * architecture the probe found, or FUZZ_ARCH, on a fixed 1 GiB memory map
 * at FUZZ_RAM with a fixed random source. A load that succeeds must give a
 * sane plan; anything else must fail with a message and leave nothing
 * loaded. Each target (fuzz_bzimage.c, fuzz_arm64_image.c, ...) sets
 * FUZZ_ARCH and FUZZ_RAM and has a seed corpus of its own format, so the
 * mutations start from, and mostly stay in, that format's probe.
 */
#ifndef KX_FUZZ_IMAGE_TARGET_H
#define KX_FUZZ_IMAGE_TARGET_H

#include <stdlib.h>
#include <string.h>

#include "kexload.h"
#include "common.h"

#define FUZZ_STR2(x) #x
#define FUZZ_STR(x) FUZZ_STR2(x)

static struct kx_image *setup(void)
{
	struct kx_memmap *map;
	struct kx_image *img;

	if (kx_memmap_new(&map) || kx_memmap_parse_ram(map, "1G@" FUZZ_STR(FUZZ_RAM)) ||
	    kx_image_new(&img) || kx_image_set_memmap(img, map))
		abort();
	kx_memmap_free(map);
	kx_image_set_random(img, fixed_random, NULL);
	return img;
}

/* What every successful load promises. */
static void check_plan(const struct kx_image *img)
{
	size_t n = kx_image_segment_count(img);

	if (!n || !kx_image_entry(img))
		abort();
	for (size_t i = 0; i < n; i++) {
		const struct kx_segment *s = kx_image_segment(img, i);
		uint8_t md[KX_SHA256_LEN];

		if (s->mem % 4096 || s->memsz % 4096 || s->memsz < s->bufsz ||
		    s->mem - FUZZ_RAM > 0x3fffffffULL ||   /* below wraps too */
		    s->mem + s->memsz - 1 - FUZZ_RAM > 0x3fffffffULL)
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct kx_image *img;
	struct kx_load_opts o = { .arch = FUZZ_ARCH,
				  .cmdline = "console=ttyS0 root=/dev/vda" };
	struct kx_info info;

	if (!img)
		img = setup();
	if (!kx_image_inspect_buffer(img, "fuzz", data, size, &info))
		o.arch = info.arch;
	else if (!kx_image_error(img)[0])
		abort();
	if (kx_image_load_buffer(img, &o, data, size)) {
		if (!kx_image_error(img)[0] || kx_image_segment_count(img))
			abort();
		return 0;
	}
	check_plan(img);
	return 0;
}

#endif
