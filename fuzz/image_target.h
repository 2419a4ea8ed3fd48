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

#include "image_plan.h"

/* 1: the loads ask for the EFI stub (only the PE formats probe). */
#ifndef FUZZ_EFI_STUB
#define FUZZ_EFI_STUB 0
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct kx_image *img;
	struct kx_load_opts o = { .arch = FUZZ_ARCH,
				  .cmdline = "console=ttyS0 root=/dev/vda",
				  .efi_stub = FUZZ_EFI_STUB };
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
