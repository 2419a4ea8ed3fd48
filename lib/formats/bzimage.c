/* SPDX-License-Identifier: MIT */
/*
 * x86_64 bzImage, entered at its 64-bit entry point, following the kernel's
 * x86 boot protocol (Documentation/arch/x86/boot.rst): the setup header is
 * checked (protocol 2.12 or later, relocatable, XLF_KERNEL_64), the
 * protected-mode kernel is placed with its alignment and init_size, and a
 * params segment holds boot_params (the "zero page", from the image's own
 * setup header), the command line and the setup_data chain: an RNG seed and,
 * past the zero page's 128 entries, the rest of the e820 table.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../core/internal.h"

/* Setup header fields: offsets in the file and in boot_params alike. */
#define HDR_SETUP_SECTS 0x1f1
#define HDR_SYSSIZE 0x1f4
#define HDR_BOOT_FLAG 0x1fe
#define HDR_JUMP 0x200
#define HDR_MAGIC 0x202
#define HDR_VERSION 0x206
#define HDR_KERNEL_VERSION 0x20e
#define HDR_TYPE_OF_LOADER 0x210
#define HDR_CODE32_START 0x214
#define HDR_RAMDISK_IMAGE 0x218
#define HDR_RAMDISK_SIZE 0x21c
#define HDR_CMD_LINE_PTR 0x228
#define HDR_INITRD_ADDR_MAX 0x22c
#define HDR_KERNEL_ALIGNMENT 0x230
#define HDR_RELOCATABLE 0x234
#define HDR_XLOADFLAGS 0x236
#define HDR_CMDLINE_SIZE 0x238
#define HDR_PAYLOAD_OFFSET 0x248
#define HDR_PAYLOAD_LENGTH 0x24c
#define HDR_SETUP_DATA 0x250
#define HDR_PREF_ADDRESS 0x258
#define HDR_INIT_SIZE 0x260
#define HDR_END_MAX 0x290   /* boot_params' header area ends here */

/* Other boot_params fields. */
#define BP_EXT_RAMDISK_IMAGE 0x0c0
#define BP_EXT_RAMDISK_SIZE 0x0c4
#define BP_EXT_CMD_LINE_PTR 0x0c8
#define BP_E820_ENTRIES 0x1e8
#define BP_E820_TABLE 0x2d0
#define BP_SIZE 4096
#define E820_ZEROPAGE_MAX 128
#define E820_ENTRY_SIZE 20

#define HDRS_MAGIC 0x53726448   /* "HdrS" */
#define XLF_KERNEL_64 (1u << 0)
#define XLF_CAN_BE_LOADED_ABOVE_4G (1u << 1)
#define SETUP_E820_EXT 1
#define SETUP_RNG_SEED 9
#define RNG_SEED_LEN 32
#define LOADER_TYPE_KEXEC 0xd0
#define MIN_KERNEL_ADDR 0x100000ULL
#define MIN_PARAMS_ADDR 0x10000ULL
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

static int e820_type(enum kx_mem_type t)
{
	switch (t) {
	case KX_MEM_RAM: return 1;
	case KX_MEM_RESERVED: return 2;
	case KX_MEM_ACPI: return 3;
	case KX_MEM_NVS: return 4;
	case KX_MEM_UNUSABLE: return 5;
	case KX_MEM_PMEM: return 7;
	default: return 0;
	}
}

static size_t e820_count(const struct kx_memmap *map)
{
	size_t n = 0;

	for (size_t i = 0; i < kx_memmap_count(map); i++)
		n += e820_type(kx_memmap_range(map, i)->type) != 0;
	return n;
}

static void put_e820(uint8_t *p, const struct kx_mem_range *r)
{
	kx_put_uint(p, 8, r->start, false);
	kx_put_uint(p + 8, 8, r->end - r->start + 1, false);
	kx_put_uint(p + 16, 4, (uint64_t)e820_type(r->type), false);
}

/* e820 entries: the first 128 into the zero page, the rest into @ext. */
static void fill_e820(const struct kx_memmap *map, uint8_t *bp, uint8_t *ext)
{
	size_t k = 0;

	for (size_t i = 0; i < kx_memmap_count(map); i++) {
		const struct kx_mem_range *r = kx_memmap_range(map, i);

		if (!e820_type(r->type))
			continue;
		if (k < E820_ZEROPAGE_MAX)
			put_e820(bp + BP_E820_TABLE + k * E820_ENTRY_SIZE, r);
		else
			put_e820(ext + (k - E820_ZEROPAGE_MAX) * E820_ENTRY_SIZE, r);
		k++;
	}
	bp[BP_E820_ENTRIES] = (uint8_t)(k < E820_ZEROPAGE_MAX ? k : E820_ZEROPAGE_MAX);
}

struct params_layout {
	uint64_t cmdline_off;
	uint64_t rng_off;
	uint64_t e820_off;     /* 0: no SETUP_E820_EXT */
	uint64_t e820_extra;
	uint64_t size;
};

static void params_layout(const char *cmdline, size_t ne820,
			  struct params_layout *l)
{
	l->cmdline_off = BP_SIZE;
	l->rng_off = kx_align_up(l->cmdline_off + strlen(cmdline) + 1, 16);
	l->size = l->rng_off + 16 + RNG_SEED_LEN;
	l->e820_extra = ne820 > E820_ZEROPAGE_MAX ? ne820 - E820_ZEROPAGE_MAX : 0;
	l->e820_off = 0;
	if (l->e820_extra) {
		l->e820_off = kx_align_up(l->size, 16);
		l->size = l->e820_off + 16 + l->e820_extra * E820_ENTRY_SIZE;
	}
}

static void put_setup_data(uint8_t *p, uint64_t next, uint32_t type,
			   uint32_t len)
{
	kx_put_uint(p, 8, next, false);
	kx_put_uint(p + 8, 4, type, false);
	kx_put_uint(p + 12, 4, len, false);
}

static int bz_params(struct kx_image *img, struct kx_reader *r,
		     const struct bzimage *bz, uint64_t kaddr,
		     const struct kx_segment *initrd)
{
	const struct kx_memmap *map = img->memmap;
	struct params_layout l;
	uint64_t addr, rng, e820;
	uint8_t *p;
	size_t len = strlen(img->cmdline);
	struct kx_placed req = { .align = 16, .min = MIN_PARAMS_ADDR,
				 .max = 0xffffffffULL, .top_down = true };
	int rc;

	/* cmdline_size counts the characters, not the terminating NUL. */
	if (len > bz->cmdline_size)
		return kx_err(img, -E2BIG,
			      "the command line is %zu bytes; this kernel takes "
			      "at most %u", len, bz->cmdline_size);
	params_layout(img->cmdline, e820_count(map), &l);
	req.size = l.size;
	rc = kx_image_place(img, "boot_params and the command line", req,
			    &addr);
	if (rc)
		return rc;
	p = kx_image_alloc(img, l.size);
	if (!p)
		return kx_err(img, -ENOMEM, "out of memory");
	memcpy(p + HDR_SETUP_SECTS, r->buf + HDR_SETUP_SECTS,
	       bz->hdr_end - HDR_SETUP_SECTS);
	p[HDR_TYPE_OF_LOADER] = LOADER_TYPE_KEXEC;
	kx_put_uint(p + HDR_CODE32_START, 4, kaddr & 0xffffffff, false);
	memcpy(p + l.cmdline_off, img->cmdline, len + 1);
	kx_put_uint(p + HDR_CMD_LINE_PTR, 4, (addr + l.cmdline_off) & 0xffffffff,
		    false);
	kx_put_uint(p + BP_EXT_CMD_LINE_PTR, 4, (addr + l.cmdline_off) >> 32,
		    false);
	if (initrd) {
		kx_put_uint(p + HDR_RAMDISK_IMAGE, 4, initrd->mem & 0xffffffff, false);
		kx_put_uint(p + HDR_RAMDISK_SIZE, 4, initrd->bufsz & 0xffffffff, false);
		kx_put_uint(p + BP_EXT_RAMDISK_IMAGE, 4, initrd->mem >> 32, false);
		kx_put_uint(p + BP_EXT_RAMDISK_SIZE, 4,
			    (uint64_t)initrd->bufsz >> 32, false);
	}
	rng = addr + l.rng_off;
	e820 = l.e820_off ? addr + l.e820_off : 0;
	kx_put_uint(p + HDR_SETUP_DATA, 8, rng, false);
	put_setup_data(p + l.rng_off, e820, SETUP_RNG_SEED, RNG_SEED_LEN);
	rc = kx_image_random(img, p + l.rng_off + 16, RNG_SEED_LEN);
	if (rc)
		return rc;
	if (e820)
		put_setup_data(p + l.e820_off, 0, SETUP_E820_EXT,
			       (uint32_t)(l.e820_extra * E820_ENTRY_SIZE));
	fill_e820(map, p, e820 ? p + l.e820_off + 16 : NULL);
	kx_log(img, KX_LOG_DEBUG,
	       "boot_params: %zu e820 entries (%" PRIu64 " in SETUP_E820_EXT), "
	       "command line %zu bytes, RNG seed at 0x%" PRIx64,
	       e820_count(map), l.e820_extra, len, rng + 16);
	img->kernel_args[0] = addr;   /* %rsi */
	return kx_image_add_segment(img, p, l.size, addr, l.size, KX_SEG_PARAMS);
}

static int bz_place_kernel(struct kx_image *img, const struct bzimage *bz,
			   uint64_t memsz, uint64_t *addr)
{
	struct kx_placed at_pref = {
		.size = memsz, .align = bz->kernel_alignment,
		.min = bz->pref_address, .max = bz->pref_address + memsz - 1,
	};
	struct kx_placed any = {
		.size = memsz, .align = bz->kernel_alignment,
		.min = MIN_KERNEL_ADDR, .max = UINT64_MAX,
	};
	char saved[KX_ERR_LEN];

	/* At its preferred address the decompressor need not relocate it. */
	if (bz->pref_address >= MIN_KERNEL_ADDR &&
	    bz->pref_address % bz->kernel_alignment == 0) {
		memcpy(saved, img->err, sizeof(saved));
		if (!kx_image_place(img, "the kernel", at_pref, addr))
			return 0;
		memcpy(img->err, saved, sizeof(saved));
	}
	return kx_image_place(img, "the kernel", any, addr);
}

static int bz_load(struct kx_image *img, struct kx_reader *r)
{
	struct bzimage bz;
	uint64_t kaddr, memsz;
	const struct kx_segment *initrd = NULL;
	int rc = bz_parse(img, r, &bz);

	if (rc)
		return rc;
	memsz = bz.init_size > bz.payload_size ? bz.init_size : bz.payload_size;
	rc = bz_place_kernel(img, &bz, memsz, &kaddr);
	if (!rc)
		rc = kx_image_add_segment(img, r->buf + bz.setup_size,
					  bz.payload_size, kaddr, memsz,
					  KX_SEG_KERNEL);
	if (rc)
		return rc;
	img->kernel_entry = kaddr + ENTRY64_OFFSET;
	rc = kx_image_add_initrd(img, (struct kx_placed){
		.align = KX_PAGE_SIZE, .min = 0, .top_down = true,
		.max = (bz.xloadflags & XLF_CAN_BE_LOADED_ABOVE_4G) ?
			       UINT64_MAX : bz.initrd_addr_max,
	}, &initrd);
	if (rc)
		return rc;
	return bz_params(img, r, &bz, kaddr, initrd);
}

const struct kx_format kx_format_bzimage = {
	.name = "bzImage",
	.arch = KX_ARCH_X86_64,
	.probe = bz_probe,
	.load = bz_load,
};
