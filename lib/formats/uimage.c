/* SPDX-License-Identifier: MIT */
/*
 * U-Boot legacy uImage, a wrapper: the 64-byte big-endian header of
 * U-Boot's include/image.h (magic 0x27051956, header CRC32 computed with
 * its own field zeroed, creation time, data size, load address, entry
 * point, data CRC32, then one byte each of OS, architecture, image type
 * and compression, and a 32-byte name), followed by the data. Both CRCs
 * are checked, as U-Boot does, before anything in the header is trusted;
 * kexload takes Linux kernels (type kernel or kernel_noload) for ARM,
 * uncompressed, and hands the data back to probing (a zImage, in
 * practice). The load address and entry point are not used: a zImage
 * runs wherever it is put, and kexload places it by the zImage's rules.
 * `make KX_UIMAGE=0` leaves this file out (lib/formats/formats.c).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <zlib.h>

#include "../core/internal.h"

#define HDR_LEN 64
#define UIMAGE_MAGIC 0x27051956u
#define OFF_HCRC 4
#define OFF_TIME 8
#define OFF_SIZE 12
#define OFF_LOAD 16
#define OFF_EP 20
#define OFF_DCRC 24
#define OFF_OS 28
#define OFF_ARCH 29
#define OFF_TYPE 30
#define OFF_COMP 31
#define OFF_NAME 32
#define NAME_LEN 32

#define IH_OS_LINUX 5
#define IH_ARCH_ARM 2
#define IH_TYPE_KERNEL 2
#define IH_TYPE_KERNEL_NOLOAD 14
#define IH_COMP_NONE 0

struct uimage {
	uint32_t hcrc, time, size, load, ep, dcrc;
	uint8_t os, arch, type, comp;
	char name[NAME_LEN + 1];
};

struct code_name {
	unsigned code;
	const char *name;
};

static const struct code_name arches[] = {
	{ 1, "alpha" }, { 2, "arm" }, { 3, "x86" }, { 4, "ia64" },
	{ 5, "mips" }, { 6, "mips64" }, { 7, "powerpc" }, { 8, "s390" },
	{ 9, "sh" }, { 10, "sparc" }, { 11, "sparc64" }, { 12, "m68k" },
	{ 22, "arm64" }, { 24, "x86_64" }, { 26, "riscv" },
};

static const struct code_name types[] = {
	{ 1, "standalone" }, { 2, "kernel" }, { 3, "ramdisk" }, { 4, "multi" },
	{ 5, "firmware" }, { 6, "script" }, { 7, "filesystem" },
	{ 8, "flat_dt" }, { 14, "kernel_noload" },
};

static const struct code_name comps[] = {
	{ 0, "none" }, { 1, "gzip" }, { 2, "bzip2" }, { 3, "lzma" },
	{ 4, "lzo" }, { 5, "lz4" }, { 6, "zstd" },
};

static const char *name_of(const struct code_name *t, size_t n, unsigned code)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].code == code)
			return t[i].name;
	return "unknown";
}

#define NAME_OF(table, code) name_of(table, KX_ARRAY_SIZE(table), code)

static void read_header(struct kx_reader *r, struct uimage *u)
{
	kx_rd_bytes(r, 0, HDR_LEN);   /* all of it, or the reader fails */
	u->hcrc = kx_rd_be32(r, OFF_HCRC);
	u->time = kx_rd_be32(r, OFF_TIME);
	u->size = kx_rd_be32(r, OFF_SIZE);
	u->load = kx_rd_be32(r, OFF_LOAD);
	u->ep = kx_rd_be32(r, OFF_EP);
	u->dcrc = kx_rd_be32(r, OFF_DCRC);
	u->os = kx_rd_u8(r, OFF_OS);
	u->arch = kx_rd_u8(r, OFF_ARCH);
	u->type = kx_rd_u8(r, OFF_TYPE);
	u->comp = kx_rd_u8(r, OFF_COMP);
	/* Not NUL-terminated when all 32 bytes are used. */
	kx_rd_cstr(r, OFF_NAME, NAME_LEN, u->name, sizeof(u->name));
}

/* The header's CRC32, with its own field counted as zero. */
static uint32_t header_crc(struct kx_reader *r)
{
	static const uint8_t zero[4];
	const uint8_t *h = kx_rd_bytes(r, 0, HDR_LEN);
	uLong crc = crc32(0L, Z_NULL, 0);

	crc = crc32(crc, h, OFF_HCRC);
	crc = crc32(crc, zero, sizeof(zero));
	crc = crc32(crc, h + OFF_HCRC + 4, HDR_LEN - OFF_HCRC - 4);
	return (uint32_t)crc;
}

static int uimage_probe(struct kx_image *img, struct kx_reader *r,
			struct kx_info *info)
{
	struct uimage u;

	if (kx_rd_be32(r, 0) != UIMAGE_MAGIC || r->failed)
		return -ENOEXEC;
	read_header(r, &u);
	if (r->failed)
		return kx_err_truncated(img, r, "the uImage header");
	kx_info_add(info, "uimage_name", "%s", u.name);
	kx_info_add(info, "uimage_type", "%s", NAME_OF(types, u.type));
	kx_info_add(info, "uimage_arch", "%s", NAME_OF(arches, u.arch));
	kx_info_add(info, "uimage_load", "0x%08x", u.load);
	kx_info_add(info, "uimage_entry", "0x%08x", u.ep);
	if (u.comp != IH_COMP_NONE)
		info->compression = NAME_OF(comps, u.comp);
	return 0;
}

/* What kexload loads: an uncompressed Linux kernel for ARM. */
static int check_kind(struct kx_image *img, const struct kx_reader *r,
		      const struct uimage *u)
{
	if (u->os != IH_OS_LINUX)
		return kx_err(img, -EINVAL, "%s: the uImage holds OS %u, not "
			      "Linux (%d)", r->name, u->os, IH_OS_LINUX);
	if (u->arch != IH_ARCH_ARM)
		return kx_err(img, -ENOEXEC, "%s: the uImage is for %s "
			      "(architecture %u), not ARM (%d)", r->name,
			      NAME_OF(arches, u->arch), u->arch, IH_ARCH_ARM);
	if (u->type != IH_TYPE_KERNEL && u->type != IH_TYPE_KERNEL_NOLOAD)
		return kx_err(img, -EINVAL, "%s: the uImage is a %s image "
			      "(type %u), not a kernel", r->name,
			      NAME_OF(types, u->type), u->type);
	if (u->comp != IH_COMP_NONE)
		return kx_err(img, -EINVAL, "%s: the uImage's data is %s-"
			      "compressed (compression %u); kexload takes "
			      "uncompressed uImages (mkimage -C none)", r->name,
			      NAME_OF(comps, u->comp), u->comp);
	return 0;
}

static int uimage_unwrap(struct kx_image *img, struct kx_reader *r,
			 struct kx_reader *inner)
{
	const uint8_t *data;
	struct uimage u;
	uint32_t crc;
	int rc;

	read_header(r, &u);
	if (r->failed)
		return kx_err_truncated(img, r, "the uImage header");
	crc = header_crc(r);
	if (crc != u.hcrc)
		return kx_err(img, -EINVAL, "%s: uImage header CRC mismatch "
			      "(header says 0x%08x, header gives 0x%08x)",
			      r->name, u.hcrc, crc);
	rc = check_kind(img, r, &u);
	if (rc)
		return rc;
	data = kx_rd_bytes(r, HDR_LEN, u.size);
	if (!data)
		return kx_err(img, -EINVAL, "%s: truncated: the uImage header "
			      "says %u data bytes but the file has only %" PRIu64
			      " after the header", r->name, u.size,
			      r->len - HDR_LEN);
	crc = (uint32_t)crc32(crc32(0L, Z_NULL, 0), data, u.size);
	if (crc != u.dcrc)
		return kx_err(img, -EINVAL, "%s: uImage data CRC mismatch "
			      "(header says 0x%08x, data gives 0x%08x)",
			      r->name, u.dcrc, crc);
	if (r->len > HDR_LEN + (uint64_t)u.size)
		kx_log(img, KX_LOG_DEBUG, "%s: %" PRIu64 " bytes after the "
		       "uImage's data are not part of it", r->name,
		       r->len - HDR_LEN - u.size);
	kx_log(img, KX_LOG_DEBUG, "%s: uImage \"%s\", %s, load 0x%08x, entry "
	       "0x%08x (not used: the payload is placed by its own format)",
	       r->name, u.name, NAME_OF(types, u.type), u.load, u.ep);
	kx_reader_init(inner, data, u.size,
		       kx_image_name(img, "%s (uImage data)", r->name));
	return 0;
}

static const char *const uimage_kexec_names[] = { "uImage", NULL };

const struct kx_format kx_format_uimage = {
	.name = "uImage",
	.arch = KX_ARCH_ARM,
	.kexec_names = uimage_kexec_names,
	.probe = uimage_probe,
	.unwrap = uimage_unwrap,
};
