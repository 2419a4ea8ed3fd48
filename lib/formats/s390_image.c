/* SPDX-License-Identifier: MIT */
/*
 * The s390 kernel image (arch/s390/boot's "image", Debian's
 * /boot/vmlinuz-*-s390x): a program IPLed at absolute 0. Its first 24
 * bytes are an IPL PSW and two read CCWs; the startup code for an IPL or
 * a kexec is at 0x10000 (startup_normal; 0x10010 for kdump), since Linux
 * 5.x marked there by "S390EP"; the parameter area at 0x10400 (the
 * kernel's asm/setup.h, struct parmarea) holds, as big-endian 64-bit
 * words, the initrd's start (0x10408) and size (0x10410), a pointer to
 * the kernel's version string (0x10428), and the longest command line
 * the kernel takes with its NUL (0x10430; 0 in older kernels, whose limit
 * is the legacy 896); the command line itself is at 0x10480. The
 * decompressor's BSS and stacks are inside the file.
 *
 * Like kexec-tools, kexload loads the image from 0x10000 on (the first
 * 64 KiB are for an IPL from a device, not for a kexec) to the same
 * addresses, and enters it at 0x10000. The pages holding the parameter
 * area are the architecture's boot data (lib/arch/s390x/boot.c writes
 * the initrd and the command line into them): this format hands them
 * over as the boot header and places the rest of the image. The initrd
 * goes right above the image, as the kernel's own kexec_file_load puts
 * it; the decompressor keeps it there or moves it out of its way.
 *
 * A crash (kdump) load puts all of that at the same addresses counted
 * from the crash region's start: at the crash, the purgatory swaps the
 * region with the memory from 0 and enters the kernel at 0x10010
 * (startup_kdump), where it runs from 0 like any other (the kernel's
 * kexec_file and kexec-tools place it so too).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../core/internal.h"
#include "../arch/s390x/parmarea.h"

#define IPL_PSW_MASK 0x00080000u     /* short PSW, bit 12 */
#define IPL_PSW_BA 0x80000000u       /* 31-bit addressing */
#define IPL_CCW0 0x0200001860000050ULL
#define IPL_CCW1 0x0200006860000050ULL
#define EP_MAGIC "S390EP"
#define EP_MAGIC_OFF 0x10008
#define PARM_KERNEL_VERSION 0x28
#define PARM_MAX_CMDLINE 0x30
#define LEGACY_CMDLINE_SIZE 896
/* More than any kernel's CONFIG_COMMAND_LINE_SIZE (4096 in Debian's). */
#define MAX_CMDLINE_SIZE (1ULL << 20)

static bool s390_ipl_header(struct kx_reader *r)
{
	uint32_t mask = kx_rd_be32(r, 0), addr = kx_rd_be32(r, 4);

	return !r->failed && mask == IPL_PSW_MASK && (addr & IPL_PSW_BA) &&
	       kx_rd_be64(r, 8) == IPL_CCW0 && kx_rd_be64(r, 16) == IPL_CCW1 &&
	       !r->failed;
}

/* The version string the parameter area points at, if it is in the file. */
static void s390_version(struct kx_reader *r, char *out, size_t len)
{
	uint64_t p = kx_rd_be64(r, KX_S390_PARMAREA + PARM_KERNEL_VERSION);

	out[0] = '\0';
	if (r->failed || !p || p >= r->len ||
	    !kx_rd_cstr(r, p, 256, out, len))
		kx_find_linux_version(r->buf, r->len, out, len);
	r->failed = false;
}

static int s390_probe(struct kx_image *img, struct kx_reader *r,
		      struct kx_info *info)
{
	uint64_t max;

	(void)img;
	if (!s390_ipl_header(r))
		return -ENOEXEC;
	s390_version(r, info->version, sizeof(info->version));
	info->compression = "unknown";
	max = kx_rd_be64(r, KX_S390_PARMAREA + PARM_MAX_CMDLINE);
	kx_info_add(info, "entry", "0x%x", KX_S390_ENTRY);
	kx_info_add(info, "entry_marker", "%s",
		    kx_rd_fits(r, EP_MAGIC_OFF, 6) &&
		    !memcmp(r->buf + EP_MAGIC_OFF, EP_MAGIC, 6) ? "S390EP" : "none");
	if (r->failed)
		kx_info_add(info, "max_command_line_size", "none (truncated)");
	else
		kx_info_add(info, "max_command_line_size", "%" PRIu64 "%s",
			    max ? max : LEGACY_CMDLINE_SIZE,
			    max ? "" : " (legacy)");
	r->failed = false;
	return 0;
}

static int s390_load(struct kx_image *img, struct kx_reader *r,
		     struct kx_boot *boot)
{
	uint64_t max, head_end, addr, base = kx_image_load_base(img, NULL);
	bool crash = img->opts.type == KX_IMAGE_CRASH;
	const struct kx_segment *k;
	int rc;

	max = kx_rd_be64(r, KX_S390_PARMAREA + PARM_MAX_CMDLINE);
	if (r->failed)
		return kx_err(img, -ENOEXEC, "%s: truncated: an s390 image has "
			      "its parameter area at 0x%x, but the file has "
			      "only 0x%" PRIx64 " bytes", r->name,
			      KX_S390_PARMAREA, r->len);
	if (!max)
		max = LEGACY_CMDLINE_SIZE;
	if (max > MAX_CMDLINE_SIZE)
		return kx_err(img, -EINVAL, "%s: the parameter area says the "
			      "command line takes 0x%" PRIx64 " bytes (at most "
			      "0x%llx expected)", r->name, max, MAX_CMDLINE_SIZE);
	if (r->len < KX_S390_CMDLINE + max)
		return kx_err(img, -ENOEXEC, "%s: truncated: the command line "
			      "(%" PRIu64 " bytes at 0x%x) runs past the end of "
			      "the file (0x%" PRIx64 " bytes)", r->name, max,
			      KX_S390_CMDLINE, r->len);
	head_end = kx_align_up(KX_S390_CMDLINE + max, KX_PAGE_SIZE);
	if (r->len <= head_end)
		return kx_err(img, -ENOEXEC, "%s: truncated: an s390 image "
			      "continues past its parameter area (0x%" PRIx64
			      "), the file ends at 0x%" PRIx64, r->name,
			      head_end, r->len);
	rc = kx_image_place(img, "the kernel", (struct kx_placed){
		.size = r->len - head_end, .min = base + head_end,
		.max = base + kx_align_up(r->len, KX_PAGE_SIZE) - 1 }, &addr);
	if (!rc)
		rc = kx_image_add_segment(img, r->buf + head_end,
					  r->len - head_end, addr,
					  kx_align_up(r->len, KX_PAGE_SIZE) - head_end,
					  KX_SEG_KERNEL);
	if (rc)
		return rc;
	k = &img->seg[img->nseg - 1];
	boot->kernel = k;
	boot->entry = crash ? KX_S390_KDUMP_ENTRY : KX_S390_ENTRY;
	boot->boot_header = (struct kx_input){ .name = r->name,
		.buf = r->buf + KX_S390_ENTRY, .len = head_end - KX_S390_ENTRY };
	boot->cmdline_max = max - 1;   /* the NUL must fit */
	boot->initrd_req = (struct kx_placed){ .align = KX_PAGE_SIZE,
		.min = k->mem + k->memsz, .max = UINT64_MAX };
	boot->initrd_room = kx_image_name(img, "an s390 initrd goes right above "
		"the kernel image (which ends at 0x%" PRIx64 "), in RAM and "
		"below --mem-max; there is no room for it there",
		k->mem + k->memsz - 1);
	kx_log(img, KX_LOG_DEBUG, "%s: parameter area at 0x%" PRIx64 ", command "
	       "line of at most %" PRIu64 " bytes with its NUL; image 0x%"
	       PRIx64 "-0x%" PRIx64 ", entered at 0x%" PRIx64, r->name,
	       base + KX_S390_PARMAREA, max, base + KX_S390_ENTRY,
	       k->mem + k->memsz - 1, boot->entry);
	return 0;
}

static const char *const s390_kexec_names[] = { "image", NULL };

const struct kx_format kx_format_s390_image = {
	.name = "s390 image",
	.arch = KX_ARCH_S390X,
	.kexec_names = s390_kexec_names,
	.probe = s390_probe,
	.load = s390_load,
};
