/* SPDX-License-Identifier: MIT */
/*
 * 32-bit ARM boot data, following the kernel's Documentation/arch/arm/
 * booting.rst: the device tree (the load's, else one appended to the
 * zImage, else an empty one), edited through lib/dt and placed where the
 * format says the new kernel finds it (in its lowmem, above the zImage's
 * working memory), at most 1 MiB long; the zImage is entered with r0 = 0,
 * r1 = ~0 (a DT-only machine) and r2 = the device tree. A crash kernel
 * gets elfcorehdr= and mem= on its command line.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
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

/* " mem=SIZE@START" for [@s, @e], if not empty. */
static void add_mem(char *out, size_t len, uint64_t s, uint64_t e)
{
	size_t n = strlen(out);

	if (s <= e && n < len)
		snprintf(out + n, len - n, " mem=0x%" PRIx64 "@0x%" PRIx64,
			 e - s + 1, s);
}

/* A crash kernel learns of its ELF core header from elfcorehdr= and of the
 * memory it may use from mem=SIZE@START, once per bank (the first mem=
 * drops the device tree's memory, each adds one): the crash regions less
 * the header, so that the kernel cannot overwrite it (the kernel's
 * Documentation/admin-guide/kdump/kdump.rst and arch/arm's early_mem). */
static int crash_cmdline(struct kx_image *img)
{
	const struct kx_memmap *map = img->memmap;
	uint64_t hs = img->elfcorehdr, he = hs + img->elfcorehdr_size - 1;
	size_t len = strlen(img->cmdline) + 48 + 96 * kx_memmap_count(map);
	char *s = malloc(len);

	if (!s)
		return kx_err(img, -ENOMEM, "out of memory");
	snprintf(s, len, "%s%selfcorehdr=0x%" PRIx64, img->cmdline,
		 img->cmdline[0] ? " " : "", hs);
	for (size_t i = 0; i < kx_memmap_count(map); i++) {
		const struct kx_mem_range *c = kx_memmap_range(map, i);

		if (c->type != KX_MEM_CRASH)
			continue;
		if (hs < c->start || hs > c->end) {
			add_mem(s, len, c->start, c->end);
			continue;
		}
		add_mem(s, len, c->start, hs - 1);
		if (he < c->end)
			add_mem(s, len, he + 1, c->end);
	}
	free(img->cmdline);
	img->cmdline = s;
	return 0;
}

int kx_arm_boot(struct kx_image *img, struct kx_boot *b)
{
	struct kx_dt dt;
	uint64_t addr = 0;
	int rc = img->elfcorehdr ? crash_cmdline(img) : 0;

	if (rc)
		return rc;
	rc = open_dt(img, b, &dt);

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
