/* SPDX-License-Identifier: MIT */
/*
 * arm64 boot data, following the kernel's Documentation/arch/arm64/
 * booting.rst: the device tree (the load's, or an empty one for a plan
 * made where none is at hand), edited through lib/dt, placed above the
 * kernel, 2 MiB aligned so that it does not share a block with anything
 * mapped differently, and at most 2 MiB long; the kernel is entered at its
 * first byte with x0 = the device tree. A crash kernel finds its ELF core
 * header and usable memory in /chosen.
 */
#include "../boot.h"
#include "../../dt/dt.h"

#define DTB_ALIGN (2ULL << 20)
#define DTB_MAX (2ULL << 20)

int kx_arm64_boot(struct kx_image *img, struct kx_boot *b)
{
	struct kx_dt dt;
	uint64_t addr = 0;
	int rc = img->in.dtb.buf ? kx_dt_open(img, &dt, &img->in.dtb) :
				   kx_dt_open_empty(img, &dt);

	if (!rc)
		rc = kx_dt_set_crash(&dt);
	if (!rc)
		rc = kx_dt_load(&dt, b->initrd, (struct kx_placed){
			.align = DTB_ALIGN, .min = b->kernel->mem,
			.max = UINT64_MAX, .top_down = true }, DTB_MAX,
			"arm64 kernels take at most 2 MiB", &addr);
	kx_dt_close(&dt);
	img->kernel_entry = b->entry;
	img->kernel_args[0] = addr;   /* x0 */
	return rc;
}
