/* SPDX-License-Identifier: MIT */
/*
 * arm64 Image, following the kernel's Documentation/arch/arm64/booting.rst:
 * a 64-byte header (text_offset, image_size, flags, magic "ARM\x64" at 56),
 * placed text_offset bytes above a 2 MiB aligned base with image_size
 * bytes of room (the BSS included), entered at its first byte with x0 =
 * the device tree. The initrd must lie in the 1 GiB aligned window of up
 * to 32 GiB that covers the kernel. The device tree is the architecture's
 * (lib/arch/arm64/boot.c).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../core/internal.h"

#define HDR_TEXT_OFFSET 8
#define HDR_IMAGE_SIZE 16
#define HDR_FLAGS 24
#define HDR_MAGIC 56
#define HDR_PE_OFFSET 60
#define ARM64_MAGIC 0x644d5241u      /* "ARM\x64" */
#define FLAG_BE (1ULL << 0)
#define FLAG_PAGE_SHIFT 1
#define FLAG_PAGE_MASK 3ULL
#define FLAG_ANYWHERE (1ULL << 3)
#define KERNEL_ALIGN (2ULL << 20)
#define INITRD_WINDOW (32ULL << 30)
#define GIB (1ULL << 30)

struct arm64_hdr {
	uint64_t text_offset;
	uint64_t image_size;
	uint64_t flags;
	uint32_t pe_offset;
};

static const char *page_size_name(uint64_t flags)
{
	static const char *const names[] = { "unspecified", "4K", "16K", "64K" };

	return names[(flags >> FLAG_PAGE_SHIFT) & FLAG_PAGE_MASK];
}

static int arm64_probe(struct kx_image *img, struct kx_reader *r,
		       struct kx_info *info)
{
	struct arm64_hdr h;

	(void)img;
	if (kx_rd_le32(r, HDR_MAGIC) != ARM64_MAGIC || r->failed)
		return -ENOEXEC;
	h.text_offset = kx_rd_le64(r, HDR_TEXT_OFFSET);
	h.image_size = kx_rd_le64(r, HDR_IMAGE_SIZE);
	h.flags = kx_rd_le64(r, HDR_FLAGS);
	h.pe_offset = kx_rd_le32(r, HDR_PE_OFFSET);
	kx_find_linux_version(r->buf, r->len, info->version,
			      sizeof(info->version));
	kx_info_add(info, "text_offset", "0x%" PRIx64, h.text_offset);
	kx_info_add(info, "image_size", "0x%" PRIx64, h.image_size);
	kx_info_add(info, "endianness", "%s", h.flags & FLAG_BE ? "big" : "little");
	kx_info_add(info, "page_size", "%s", page_size_name(h.flags));
	kx_info_add(info, "placement", "%s", h.flags & FLAG_ANYWHERE ?
		    "anywhere" : "near the base of DRAM");
	kx_info_add(info, "efi_stub", "%s",
		    r->len > 2 && !memcmp(r->buf, "MZ", 2) && h.pe_offset ?
			    "yes" : "no");
	return 0;
}

static int arm64_parse(struct kx_image *img, struct kx_reader *r,
		       struct arm64_hdr *h)
{
	h->text_offset = kx_rd_le64(r, HDR_TEXT_OFFSET);
	h->image_size = kx_rd_le64(r, HDR_IMAGE_SIZE);
	h->flags = kx_rd_le64(r, HDR_FLAGS);
	h->pe_offset = kx_rd_le32(r, HDR_PE_OFFSET);
	if (r->failed)
		return kx_err_truncated(img, r, "the arm64 Image header");
	if (h->flags & FLAG_BE)
		return kx_err(img, -EINVAL,
			      "%s: a big-endian arm64 kernel (header flags 0x%" PRIx64
			      "); kexload loads little-endian ones", r->name,
			      h->flags);
	if (!h->image_size)
		return kx_err(img, -EINVAL,
			      "%s: image_size is 0 (a kernel older than 3.17): "
			      "kexload cannot tell how much memory it needs",
			      r->name);
	if (h->text_offset % KX_PAGE_SIZE || h->text_offset >= KERNEL_ALIGN)
		return kx_err(img, -EINVAL,
			      "%s: text_offset 0x%" PRIx64 " is not a page "
			      "multiple below 2 MiB", r->name, h->text_offset);
	if (h->image_size > UINT64_MAX - KERNEL_ALIGN - h->text_offset)
		return kx_err(img, -EINVAL,
			      "%s: text_offset 0x%" PRIx64 " + image_size 0x%"
			      PRIx64 " runs past the end of the address space",
			      r->name, h->text_offset, h->image_size);
	if (h->image_size < r->len)
		return kx_err(img, -EINVAL,
			      "%s: the header's image_size 0x%" PRIx64
			      " is smaller than the file (0x%" PRIx64 " bytes)",
			      r->name, h->image_size, r->len);
	return 0;
}

static int arm64_load(struct kx_image *img, struct kx_reader *r,
		      struct kx_boot *boot)
{
	struct arm64_hdr h;
	const struct kx_segment *kernel;
	uint64_t base, window;
	int rc = arm64_parse(img, r, &h);

	if (rc)
		return rc;
	/* Lowest first: without FLAG_ANYWHERE the kernel cannot use memory
	 * below its base, and the kernel's own kexec_file does the same. */
	rc = kx_image_place(img, "the kernel", (struct kx_placed){
		.size = h.text_offset + h.image_size, .align = KERNEL_ALIGN,
		.min = 0, .max = UINT64_MAX }, &base);
	if (!rc)
		rc = kx_image_add_segment(img, r->buf, r->len,
					  base + h.text_offset, h.image_size,
					  KX_SEG_KERNEL);
	if (rc)
		return rc;
	kernel = &img->seg[img->nseg - 1];
	boot->kernel = kernel;
	boot->entry = kernel->mem;
	kx_log(img, KX_LOG_DEBUG,
	       "%s: text_offset 0x%" PRIx64 ", image_size 0x%" PRIx64
	       ", flags 0x%" PRIx64 " (%s pages, %s)", r->name, h.text_offset,
	       h.image_size, h.flags, page_size_name(h.flags),
	       h.flags & FLAG_ANYWHERE ? "anywhere" : "near the base of DRAM");
	window = kx_align_down(base, GIB);
	boot->initrd_req = (struct kx_placed){
		.align = KX_PAGE_SIZE, .min = kernel->mem + kernel->memsz,
		.max = window + INITRD_WINDOW - 1, .top_down = true };
	return 0;
}

static const char *const arm64_kexec_names[] = { "Image", NULL };

const struct kx_format kx_format_arm64_image = {
	.name = "arm64 Image",
	.arch = KX_ARCH_ARM64,
	.kexec_names = arm64_kexec_names,
	.probe = arm64_probe,
	.load = arm64_load,
};
