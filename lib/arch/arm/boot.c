/* SPDX-License-Identifier: MIT */
/*
 * 32-bit ARM boot data, following the kernel's Documentation/arch/arm/
 * booting.rst: the device tree (the load's, else one appended to the
 * zImage, else an empty one), edited through lib/dt and placed where the
 * format says the new kernel finds it (in its lowmem, above the zImage's
 * working memory), at most 1 MiB long; the zImage is entered with r0 = 0,
 * r1 = ~0 (a DT-only machine) and r2 = the device tree.
 */
#include <inttypes.h>
#include <string.h>

#include "../boot.h"
#include "../../dt/dt.h"

#define DTB_MAX (1ULL << 20)
#define MACH_TYPE_DT 0xffffffffULL  /* booting.rst: DT-only boards */

static int open_dt(struct kx_image *img, const struct kx_boot *b,
		   struct kx_dt *dt)
{
	const struct kx_input *app = &b->dtb_fallback;
	void *copy;

	if (app->buf && img->in.dtb.buf)
		kx_log(img, KX_LOG_DEBUG, "%s: the device tree appended to "
		       "the zImage (%zu bytes) is not used: %s is", app->name,
		       app->len, img->in.dtb.name);
	if (img->in.dtb.buf)
		return kx_dt_open(img, dt, &img->in.dtb);
	if (!app->buf)
		return kx_dt_open_empty(img, dt);
	/* libfdt wants the blob aligned; after _edata it may not be. */
	copy = kx_image_alloc(img, app->len);
	if (!copy)
		return kx_err(img, -ENOMEM, "out of memory");
	memcpy(copy, app->buf, app->len);
	kx_log(img, KX_LOG_DEBUG, "%s: starting from the device tree appended "
	       "to the zImage (%zu bytes), handed over in r2 instead",
	       app->name, app->len);
	return kx_dt_open_buffer(img, dt, copy, app->len, app->name);
}

int kx_arm_boot(struct kx_image *img, struct kx_boot *b)
{
	struct kx_dt dt;
	uint64_t addr = 0;
	int rc = open_dt(img, b, &dt);

	if (!rc)
		rc = kx_dt_load(&dt, b->initrd, b->dtb_req, DTB_MAX,
				"a 32-bit ARM kernel maps only the 1 MiB "
				"sections around it at boot, so kexload takes "
				"at most 1 MiB", &addr);
	kx_dt_close(&dt);
	img->kernel_entry = b->entry;
	img->kernel_args[0] = 0;
	img->kernel_args[1] = MACH_TYPE_DT;
	img->kernel_args[2] = addr;
	return rc;
}
