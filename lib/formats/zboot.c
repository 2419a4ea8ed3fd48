/* SPDX-License-Identifier: MIT */
/*
 * EFI zboot vmlinuz: a PE/COFF EFI application that carries a compressed
 * kernel image and decompresses it when the firmware runs it. The header
 * is the one the kernel's drivers/firmware/efi/libstub/zboot-header.S
 * writes (and kexec-tools' and the kernel's own kexec readers expect):
 *
 *   0x00  "MZ" (as a 32-bit word)      0x18  compression name, NUL-ended,
 *   0x04  "zimg"                             at most 32 bytes
 *   0x08  payload offset (le32)        0x38  LINUX_PE_MAGIC
 *   0x0c  payload size (le32)          0x3c  PE header offset (le32)
 *
 * Every method but gzip has the uncompressed size appended after the
 * payload as a le32 (gzip has it in its own trailer). A wrapper format:
 * the payload is decompressed with the well-kept libraries, checked to be
 * exactly as long as the size says, and handed back to probing.
 */
#include <inttypes.h>
#include <string.h>

#include "../core/internal.h"

#define ZB_MZ 0x00
#define ZB_TYPE 0x04
#define ZB_PAYLOAD_OFFSET 0x08
#define ZB_PAYLOAD_SIZE 0x0c
#define ZB_COMP 0x18
#define ZB_COMP_MAX 32
#define ZB_PE_OFFSET 0x3c
#define MZ_MAGIC 0x5a4d
#define ZIMG_MAGIC 0x676d697au     /* "zimg" */
#define PE_MAGIC 0x00004550u       /* "PE\0\0" */
#define PE_MACHINE_ARM64 0xaa64
#define ARM64_MAGIC_OFFSET 56
#define ARM64_MAGIC 0x644d5241u    /* "ARM\x64" */

/* The kernel's names for its methods (comp-type in Makefile.zboot). */
static const struct {
	const char *name;
	const char *method;    /* kx_decompress's name, or NULL: unsupported */
} methods[] = {
	{ "gzip", "gzip" }, { "lzma", "lzma" }, { "xzkern", "xz" },
	{ "xz", "xz" },     { "zstd22", "zstd" }, { "zstd", "zstd" },
	{ "lz4", NULL },    { "lzo", NULL },    { "bzip2", NULL },
};

static const char *pe_machine_name(uint16_t m)
{
	switch (m) {
	case PE_MACHINE_ARM64: return "arm64";
	case 0x5064: return "riscv64";
	case 0x6264: return "loongarch64";
	case 0x8664: return "x86_64";
	default: return "unknown";
	}
}

struct zboot {
	uint32_t payload_off;
	uint32_t payload_size;
	uint16_t machine;
	char comp[ZB_COMP_MAX + 1];
	const char *method;        /* NULL: a method kexload cannot unpack */
	bool known;                /* the name is one the kernel uses */
};

static int zboot_probe_magic(struct kx_reader *r)
{
	if (kx_rd_le16(r, ZB_MZ) != MZ_MAGIC ||
	    kx_rd_le32(r, ZB_TYPE) != ZIMG_MAGIC || r->failed)
		return -ENOEXEC;
	return 0;
}

/* The header's fields, checked against the file. */
static int zboot_parse(struct kx_image *img, struct kx_reader *r,
		       struct zboot *z)
{
	uint32_t pe;
	bool ended;

	memset(z, 0, sizeof(*z));
	z->payload_off = kx_rd_le32(r, ZB_PAYLOAD_OFFSET);
	z->payload_size = kx_rd_le32(r, ZB_PAYLOAD_SIZE);
	pe = kx_rd_le32(r, ZB_PE_OFFSET);
	ended = kx_rd_cstr(r, ZB_COMP, ZB_COMP_MAX, z->comp, sizeof(z->comp));
	if (r->failed)
		return kx_err_truncated(img, r, "the EFI zboot header");
	if (!ended)
		return kx_err(img, -EINVAL,
			      "%s: EFI zboot compression name is not "
			      "NUL-terminated within %d bytes", r->name,
			      ZB_COMP_MAX);
	if (kx_rd_le32(r, pe) != PE_MAGIC || r->failed)
		return kx_err(img, -EINVAL,
			      "%s: EFI zboot image without a PE header (no "
			      "\"PE\\0\\0\" at offset 0x%" PRIx32 ")", r->name, pe);
	z->machine = kx_rd_le16(r, (uint64_t)pe + 4);
	for (size_t i = 0; i < KX_ARRAY_SIZE(methods); i++) {
		if (!strcmp(z->comp, methods[i].name)) {
			z->method = methods[i].method;
			z->known = true;
		}
	}
	if (!z->payload_size || !kx_rd_fits(r, z->payload_off, z->payload_size))
		return kx_err(img, -EINVAL,
			      "%s: EFI zboot payload (offset 0x%" PRIx32
			      ", size 0x%" PRIx32 ") runs past the end of the "
			      "file (0x%" PRIx64 " bytes)", r->name,
			      z->payload_off, z->payload_size, r->len);
	return 0;
}

static int zboot_probe(struct kx_image *img, struct kx_reader *r,
		       struct kx_info *info)
{
	struct zboot z;
	int rc = zboot_probe_magic(r);

	if (rc)
		return rc;
	rc = zboot_parse(img, r, &z);
	if (rc)
		return rc;
	info->compression = z.method ? z.method : z.known ? z.comp : "unknown";
	kx_info_add(info, "zboot_compression", "%s", z.comp);
	kx_info_add(info, "zboot_payload", "0x%" PRIx32 "+0x%" PRIx32,
		    z.payload_off, z.payload_size);
	kx_info_add(info, "pe_machine", "0x%04x (%s)", z.machine,
		    pe_machine_name(z.machine));
	return 0;
}

/* The uncompressed size the image gives: gzip's ISIZE, else the le32 the
 * kernel's build appends after the payload. */
static int zboot_size(struct kx_image *img, struct kx_reader *r,
		      const struct zboot *z, uint32_t *size)
{
	uint64_t end = (uint64_t)z->payload_off + z->payload_size;

	if (!strcmp(z->method, "gzip"))
		*size = kx_rd_le32(r, end - 4);
	else
		*size = kx_rd_le32(r, end);
	if (r->failed)
		return kx_err(img, -EINVAL,
			      "%s: EFI zboot: no uncompressed size after the "
			      "%s payload (the file ends at 0x%" PRIx64 ")",
			      r->name, z->comp, r->len);
	if (!*size || *size > KX_MAX_UNWRAPPED)
		return kx_err(img, -EINVAL,
			      "%s: EFI zboot: uncompressed size %" PRIu32
			      " bytes; a kernel is 1 byte to %llu MiB", r->name,
			      *size, KX_MAX_UNWRAPPED >> 20);
	return 0;
}

static int zboot_unwrap(struct kx_image *img, struct kx_reader *r,
			struct kx_reader *inner)
{
	struct zboot z;
	uint32_t size;
	int rc = zboot_parse(img, r, &z);

	if (rc)
		return rc;
	if (!z.known)
		return kx_err(img, -EINVAL,
			      "%s: EFI zboot: unknown compression \"%s\"",
			      r->name, z.comp);
	if (!z.method)
		return kx_err(img, -ENOTSUP,
			      "%s: EFI zboot: %s compression is not supported "
			      "(kexload unpacks gzip, lzma, xz and zstd)",
			      r->name, z.comp);
	if (z.machine != PE_MACHINE_ARM64)
		return kx_err(img, -ENOEXEC,
			      "%s: an EFI zboot image for PE machine 0x%04x "
			      "(%s); kexload unwraps arm64 ones", r->name,
			      z.machine, pe_machine_name(z.machine));
	rc = zboot_size(img, r, &z, &size);
	if (!rc)
		rc = kx_decompress(img, r->name, z.method, r->buf + z.payload_off,
				   z.payload_size, size + 1ULL, inner);
	if (rc)
		return rc;
	if (inner->len != size)
		return kx_err(img, -EINVAL,
			      "%s: EFI zboot payload gives %" PRIu64 " bytes, "
			      "but the image says %" PRIu32, r->name, inner->len,
			      size);
	if (kx_rd_le32(inner, ARM64_MAGIC_OFFSET) != ARM64_MAGIC || inner->failed)
		return kx_err(img, -EINVAL,
			      "%s: EFI zboot payload is not an arm64 Image (no "
			      "\"ARM\\x64\" magic at 0x38)", r->name);
	return 0;
}

static const char *const zboot_kexec_names[] = { "vmlinuz", NULL };

const struct kx_format kx_format_zboot = {
	.name = "ZBOOT",
	.arch = KX_ARCH_NONE,
	.kexec_names = zboot_kexec_names,
	.probe = zboot_probe,
	.unwrap = zboot_unwrap,
};
