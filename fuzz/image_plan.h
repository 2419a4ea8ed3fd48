/* SPDX-License-Identifier: MIT */
/*
 * What the image fuzz targets check (image_target.h's, and fuzz_uimage.c's
 * own driver): an image on a fixed 1 GiB memory map at FUZZ_RAM with a
 * fixed random source, and the promises every successful load keeps:
 * segments page aligned, inside that RAM, not overlapping, hashed right,
 * and an entry point.
 */
#ifndef KX_FUZZ_IMAGE_PLAN_H
#define KX_FUZZ_IMAGE_PLAN_H

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

#endif
