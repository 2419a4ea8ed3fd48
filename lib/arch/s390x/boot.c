/* SPDX-License-Identifier: MIT */
/*
 * s390x boot data: the image's parameter area (lib/arch/s390x/parmarea.h).
 * The format hands over the image's pages from its entry (0x10000) to the
 * end of the command line's room; here they are copied, the initrd's
 * start and size written (0 for none), the command line written and the
 * rest of its room (max_command_line_size bytes, as the format found it:
 * the image's code follows) zeroed, as the image carries a default one,
 * the old-memory fields cleared, and the pages placed where they were.
 * The new kernel takes no registers: the purgatory enters it at 0x10000
 * as after an IPL.
 *
 * A crash kernel's pages go to the same addresses from the crash region's
 * start; the initrd's start is written as the kernel will see it after
 * the purgatory swapped the region with the memory from 0, and the
 * old-memory fields (oldmem_base, oldmem_size) say where the crashed
 * kernel's first crash-size bytes went: the crash region. With them the
 * kdump kernel limits itself to that much memory and builds its own ELF
 * core header (no elfcorehdr is passed). The purgatory gets the region
 * too (kx_crash), to swap it.
 */
#include <inttypes.h>
#include <string.h>

#include "../boot.h"
#include "parmarea.h"

int kx_s390x_boot(struct kx_image *img, struct kx_boot *b)
{
	const struct kx_input *h = &b->boot_header;
	uint64_t base = KX_S390_ENTRY, addr, crash[2];
	size_t room;
	uint8_t *p;
	int rc;

	/* The command line's room is what the parameter area announces
	 * (the format's limit and its NUL); the image's code follows it. */
	room = b->cmdline_max + 1;
	if (!h->buf || !b->cmdline_max ||
	    h->len < KX_S390_CMDLINE - base + room)
		return kx_err(img, -EINVAL, "%s: s390x kernels need a parameter "
			      "area (an s390 image)", img->in.kernel.name);
	if (strlen(img->cmdline) >= room)   /* checked already; kept here */
		return kx_err(img, -E2BIG, "the command line is %zu bytes; this "
			      "kernel takes at most %zu", strlen(img->cmdline),
			      room - 1);
	crash[0] = kx_image_load_base(img, &crash[1]);
	if (crash[1] && crash[0] < crash[1])
		return kx_err(img, -EINVAL, "the crash region 0x%" PRIx64 "-0x%"
			      PRIx64 " overlaps the first 0x%" PRIx64 " bytes of "
			      "memory, which the purgatory swaps it with",
			      crash[0], crash[0] + crash[1] - 1, crash[1]);
	rc = kx_image_place(img, "the parameter area", (struct kx_placed){
		.size = h->len, .min = crash[0] + base,
		.max = crash[0] + base + h->len - 1 }, &addr);
	if (!rc && crash[1])
		rc = kx_image_purgatory_value(img, "kx_crash", crash, 2);
	if (rc)
		return rc;
	p = kx_image_alloc(img, h->len);
	if (!p)
		return kx_err(img, -ENOMEM, "out of memory");
	memcpy(p, h->buf, h->len);
	kx_put_uint(p + KX_S390_INITRD_START - base, 8,
		    b->initrd ? b->initrd->mem - crash[0] : 0, true);
	kx_put_uint(p + KX_S390_INITRD_SIZE - base, 8,
		    b->initrd ? b->initrd->bufsz : 0, true);
	kx_put_uint(p + KX_S390_OLDMEM_BASE - base, 8, crash[0], true);
	kx_put_uint(p + KX_S390_OLDMEM_SIZE - base, 8, crash[1], true);
	memset(p + KX_S390_CMDLINE - base, 0, room);
	memcpy(p + KX_S390_CMDLINE - base, img->cmdline, strlen(img->cmdline));
	img->kernel_entry = b->entry;
	return kx_image_add_segment(img, p, h->len, addr, h->len,
				    KX_SEG_PARAMS);
}
