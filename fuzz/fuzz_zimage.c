/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: arbitrary bytes as a 32-bit ARM kernel, through the
 * public open-from-memory API: inspect (every format's probe, the zImage's
 * header and extension-tag walk among them), then a full load for arm on
 * a fixed 1 GiB map at 0x40000000 with a fixed random source. A load that
 * succeeds must give a sane plan (fuzz_plan.h), with the device tree below
 * the end of a 32-bit kernel's lowmem (vmalloc=256M on the command line
 * puts it at 0x6effffff); anything else must fail with a message and leave
 * nothing loaded.
 */
#include "fuzz_plan.h"

#define LOWMEM_END 0x6effffffULL

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct kx_image *img;
	struct kx_load_opts o = { .arch = KX_ARCH_ARM,
				  .cmdline = "console=ttyAMA0 vmalloc=256M" };

	if (!img)
		img = new_image("1G@0x40000000");
	if (!fuzz_load(img, &o, data, size))
		return 0;
	fuzz_check_plan(img, 0x40000000, 0x7fffffff);
	for (size_t i = 0; i < kx_image_segment_count(img); i++) {
		const struct kx_segment *s = kx_image_segment(img, i);

		if (s->kind == KX_SEG_DTB && s->mem + s->memsz - 1 > LOWMEM_END)
			abort();
	}
	return 0;
}
