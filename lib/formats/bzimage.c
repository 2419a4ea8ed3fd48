/* SPDX-License-Identifier: MIT */
/*
 * x86_64 bzImage, entered at its 64-bit entry point, following the kernel's
 * x86 boot protocol (Documentation/arch/x86/boot.rst): the setup header is
 * checked (protocol 2.12 or later, relocatable, XLF_KERNEL_64), and the
 * protected-mode kernel is placed with its alignment and init_size. The
 * setup header is handed on to the x86_64 architecture, which builds
 * boot_params from it (lib/arch/x86_64/boot.c).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../core/internal.h"
#include "../arch/x86_64/bootparam.h"

#define HDRS_MAGIC 0x53726448   /* "HdrS" */
#define XLF_KERNEL_64 (1u << 0)
#define XLF_CAN_BE_LOADED_ABOVE_4G (1u << 1)
#define XLF_5LEVEL (1u << 5)
#define MIN_KERNEL_ADDR 0x100000ULL
/* The kernel's own kexec_file keeps the initrd above 16 MiB. */
#define MIN_INITRD_ADDR 0x1000000ULL
#define ENTRY64_OFFSET 0x200

struct bzimage {
	uint64_t setup_size;     /* real-mode part, (setup_sects + 1) * 512 */
	uint64_t payload_size;   /* protected-mode part, syssize * 16 */
	uint16_t version;
	uint16_t xloadflags;
	uint32_t kernel_alignment;
	uint32_t initrd_addr_max;
	uint32_t cmdline_size;
	uint32_t init_size;
	uint64_t pref_address;
	uint64_t hdr_end;        /* end of the setup header in the file */
};

/* Mine if the boot sector signature is there; broken if "HdrS" is not. */
static int bz_probe_magic(struct kx_image *img, struct kx_reader *r)
{
	uint32_t magic;

	if (kx_rd_le16(r, HDR_BOOT_FLAG) != 0xaa55)
		return -ENOEXEC;
	magic = kx_rd_le32(r, HDR_MAGIC);
	if (r->failed)
		return kx_err_truncated(img, r, "the setup header");
	if (magic != HDRS_MAGIC)
		return kx_err(img, -EINVAL,
			      "%s: has a boot sector signature but no Linux setup "
			      "header (\"HdrS\" at 0x202): not a bzImage", r->name);
	return 0;
}

static int bz_parse(struct kx_image *img, struct kx_reader *r,
		    struct bzimage *bz)
{
	uint8_t sects = kx_rd_u8(r, HDR_SETUP_SECTS);
	uint32_t syssize = kx_rd_le32(r, HDR_SYSSIZE);

	bz->setup_size = ((uint64_t)(sects ? sects : 4) + 1) * 512;
	bz->payload_size = (uint64_t)syssize * 16;
	bz->version = kx_rd_le16(r, HDR_VERSION);
	bz->hdr_end = HDR_JUMP + 2 + kx_rd_u8(r, HDR_JUMP + 1);
	if (r->failed)
		return kx_err_truncated(img, r, "the setup header");
	if (bz->version < 0x020c)
		return kx_err(img, -EINVAL,
			      "%s: boot protocol %u.%02u is too old: kexload "
			      "needs 2.12 or later (Linux 3.8 and newer)",
			      r->name, bz->version >> 8, bz->version & 0xff);
	if (bz->hdr_end < HDR_INIT_SIZE + 4)
		return kx_err(img, -EINVAL,
			      "%s: setup header ends at 0x%" PRIx64
			      ", too short for protocol %u.%02u", r->name,
			      bz->hdr_end, bz->version >> 8, bz->version & 0xff);
	if (bz->hdr_end > HDR_END_MAX)
		bz->hdr_end = HDR_END_MAX;
	bz->xloadflags = kx_rd_le16(r, HDR_XLOADFLAGS);
	bz->kernel_alignment = kx_rd_le32(r, HDR_KERNEL_ALIGNMENT);
	bz->initrd_addr_max = kx_rd_le32(r, HDR_INITRD_ADDR_MAX);
	bz->cmdline_size = kx_rd_le32(r, HDR_CMDLINE_SIZE);
	bz->init_size = kx_rd_le32(r, HDR_INIT_SIZE);
	bz->pref_address = kx_rd_le64(r, HDR_PREF_ADDRESS);
	kx_rd_bytes(r, 0, bz->hdr_end);
	if (r->failed)
		return kx_err_truncated(img, r, "the setup header");
	if (!kx_rd_u8(r, HDR_RELOCATABLE))
		return kx_err(img, -EINVAL,
			      "%s: the kernel is not relocatable "
			      "(built without CONFIG_RELOCATABLE)", r->name);
	if (!(bz->xloadflags & XLF_KERNEL_64))
		return kx_err(img, -EINVAL,
			      "%s: no 64-bit entry point (XLF_KERNEL_64 is not "
			      "set in xloadflags 0x%x)", r->name, bz->xloadflags);
	if (!kx_is_pow2(bz->kernel_alignment))
		return kx_err(img, -EINVAL,
			      "%s: kernel_alignment 0x%x is not a power of two",
			      r->name, bz->kernel_alignment);
	if (!bz->payload_size || !bz->init_size)
		return kx_err(img, -EINVAL,
			      "%s: the setup header gives no kernel size "
			      "(syssize %u, init_size %u)", r->name, syssize,
			      bz->init_size);
	if (!kx_rd_bytes(r, bz->setup_size, bz->payload_size))
		return kx_err_truncated(img, r, "the protected-mode kernel");
	return 0;
}

static int bz_probe(struct kx_image *img, struct kx_reader *r,
		    struct kx_info *info)
{
	struct bzimage bz;
	uint16_t kver;
	uint32_t poff, plen;
	int rc = bz_probe_magic(img, r);

	if (!rc)
		rc = bz_parse(img, r, &bz);
	if (rc)
		return rc;
	kver = kx_rd_le16(r, HDR_KERNEL_VERSION);
	if (kver)
		kx_rd_cstr(r, 0x200 + (uint64_t)kver, 256, info->version,
			   sizeof(info->version));
	poff = kx_rd_le32(r, HDR_PAYLOAD_OFFSET);
	plen = kx_rd_le32(r, HDR_PAYLOAD_LENGTH);
	if (plen && (uint64_t)poff + plen <= bz.payload_size)
		info->compression = kx_compression_by_magic(
			r->buf + bz.setup_size + poff, plen);
	else
		info->compression = "unknown";
	kx_info_add(info, "protocol", "%u.%02u", bz.version >> 8,
		    bz.version & 0xff);
	kx_info_add(info, "xloadflags", "0x%x", bz.xloadflags);
	kx_info_add(info, "setup_size", "%" PRIu64, bz.setup_size);
	kx_info_add(info, "payload_size", "%" PRIu64, bz.payload_size);
	kx_info_add(info, "init_size", "%u", bz.init_size);
	kx_info_add(info, "kernel_alignment", "0x%x", bz.kernel_alignment);
	kx_info_add(info, "pref_address", "0x%" PRIx64, bz.pref_address);
	kx_info_add(info, "cmdline_size", "%u", bz.cmdline_size);
	return 0;
}

static int bz_place_kernel(struct kx_image *img, const struct bzimage *bz,
			   uint64_t memsz, uint64_t *addr)
{
	bool above_4g = bz->xloadflags & XLF_CAN_BE_LOADED_ABOVE_4G;
	struct kx_placed at_pref = {
		.size = memsz, .align = bz->kernel_alignment,
		.min = bz->pref_address, .max = bz->pref_address + memsz - 1,
	};
	struct kx_placed any = {
		.size = memsz, .align = bz->kernel_alignment,
		.min = MIN_KERNEL_ADDR,
		.max = above_4g ? UINT64_MAX : 0xffffffffULL,
	};
	char saved[KX_ERR_LEN];
	int rc;

	/* At its preferred address the decompressor need not relocate it. */
	if (bz->pref_address >= MIN_KERNEL_ADDR &&
	    bz->pref_address % bz->kernel_alignment == 0) {
		memcpy(saved, img->err, sizeof(saved));
		if (!kx_image_place(img, "the kernel", at_pref, addr))
			return 0;
		memcpy(img->err, saved, sizeof(saved));
	}
	rc = kx_image_place(img, "the kernel", any, addr);
	if (rc == -ENOSPC && !above_4g) {
		memcpy(saved, img->err, sizeof(saved));
		return kx_err(img, rc, "%s (the kernel cannot run above 4 GiB: "
			      "XLF_CAN_BE_LOADED_ABOVE_4G is not set)", saved);
	}
	return rc;
}

static int bz_load(struct kx_image *img, struct kx_reader *r,
		   struct kx_boot *boot)
{
	struct bzimage bz;
	uint64_t kaddr, memsz;
	int rc = bz_parse(img, r, &bz);

	if (rc)
		return rc;
	if (img->opts.five_level_paging && !(bz.xloadflags & XLF_5LEVEL))
		return kx_err(img, -EINVAL,
			      "%s: this machine runs with 5-level paging and the "
			      "kernel cannot enter it (XLF_5LEVEL is not set in "
			      "xloadflags 0x%x)", r->name, bz.xloadflags);
	memsz = bz.init_size > bz.payload_size ? bz.init_size : bz.payload_size;
	rc = bz_place_kernel(img, &bz, memsz, &kaddr);
	if (!rc)
		rc = kx_image_add_segment(img, r->buf + bz.setup_size,
					  bz.payload_size, kaddr, memsz,
					  KX_SEG_KERNEL);
	if (rc)
		return rc;
	boot->kernel = &img->seg[img->nseg - 1];
	boot->entry = kaddr + ENTRY64_OFFSET;
	/* Top-down, as the kernel's own loader does, and above 16 MiB where
	 * there is room (MIN_INITRD_ADDR is only a preference). */
	boot->initrd_req = (struct kx_placed){
		.align = KX_PAGE_SIZE, .min = 0, .top_down = true,
		.max = (bz.xloadflags & XLF_CAN_BE_LOADED_ABOVE_4G) ?
			       UINT64_MAX : bz.initrd_addr_max,
	};
	boot->initrd_prefer_min = MIN_INITRD_ADDR;
	boot->boot_header = (struct kx_input){ .name = r->name, .buf = r->buf,
					       .len = bz.hdr_end };
	boot->cmdline_max = bz.cmdline_size;
	return 0;
}

static const char *const bz_kexec_names[] = { "bzImage", "bzImage64", NULL };

const struct kx_format kx_format_bzimage = {
	.name = "bzImage",
	.arch = KX_ARCH_X86_64,
	.kexec_names = bz_kexec_names,
	.probe = bz_probe,
	.load = bz_load,
};
