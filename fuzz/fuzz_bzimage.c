/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: arbitrary bytes as a kernel image, through the public
 * open-from-memory API, as a user of libkexload would call it: inspect
 * (every format's probe), then a full load (format load, placement,
 * purgatory, digests) on a fixed 1 GiB memory map with a fixed random
 * source. A load that succeeds must give a sane plan; anything else must
 * fail with a message and leave nothing loaded.
 */
#include "fuzz_plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct kx_image *img;
	struct kx_load_opts o = { .arch = KX_ARCH_X86_64,
				  .cmdline = "console=ttyS0 root=/dev/vda" };
	struct kx_info info;

	if (!img)
		img = new_image("1G");
	if (!kx_image_inspect_buffer(img, "fuzz", data, size, &info))
		o.arch = info.arch;
	else if (!kx_image_error(img)[0])
		abort();
	if (kx_image_load_buffer(img, &o, data, size)) {
		if (!kx_image_error(img)[0] || kx_image_segment_count(img))
			abort();
		return 0;
	}
	fuzz_check_plan(img, 0, 0x3fffffff);
	return 0;
}
