/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: arbitrary bytes as a 32-bit ARM kernel, through the
 * public open-from-memory API: inspect (every format's probe, the zImage's
 * header and extension-tag walk among them), then a full load for arm on
 * a fixed 1 GiB map at 0x40000000 with a fixed random source. A load that
 * succeeds must give a sane plan: segments page aligned, inside RAM, not
 * overlapping, digests right, and the device tree below the end of a
 * 32-bit kernel's lowmem; anything else must fail with a message and leave
 * nothing loaded.
 */
#include <stdlib.h>
#include <string.h>

#include "kexload.h"

#define RAM_START 0x40000000ULL
#define RAM_END 0x7fffffffULL
#define LOWMEM_END 0x6fffffffULL

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

static void check_plan(const struct kx_image *img)
{
	size_t n = kx_image_segment_count(img);

	if (!n || !kx_image_entry(img))
		abort();
	for (size_t i = 0; i < n; i++) {
		const struct kx_segment *s = kx_image_segment(img, i);
		uint8_t md[KX_SHA256_LEN];

		if (s->mem % 4096 || s->memsz % 4096 || s->memsz < s->bufsz ||
		    s->mem < RAM_START || s->mem + s->memsz - 1 > RAM_END)
			abort();
		if (s->kind == KX_SEG_DTB && s->mem + s->memsz - 1 > LOWMEM_END)
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
	struct kx_load_opts o = { .arch = KX_ARCH_ARM,
				  .cmdline = "console=ttyAMA0 vmalloc=256M" };
	struct kx_info info;

	if (!img)
		img = setup();
	if (kx_image_inspect_buffer(img, "fuzz", data, size, &info) &&
	    !kx_image_error(img)[0])
		abort();
	if (kx_image_load_buffer(img, &o, data, size)) {
		if (!kx_image_error(img)[0] || kx_image_segment_count(img))
			abort();
		return 0;
	}
	check_plan(img);
	return 0;
}
