/* SPDX-License-Identifier: MIT */
/*
 * arm64 boot data for a PE started through its own EFI stub: the
 * hand-over block (lib/core/efi_abi.h) the purgatory's EFI environment
 * builds its system table from. The stub finds the device tree as a
 * configuration table (UEFI 2.10 section 4.6, EFI_DTB_TABLE_GUID), edits
 * it itself (bootargs from LoadOptions, the initrd it reads through
 * LoadFile2, the linux,uefi-* properties with the memory map it got),
 * and takes all memory from GetMemoryMap: so the map lists every RAM
 * range, split around every segment, which are the loader's (LoaderCode
 * for the PE, LoaderData for the rest) and may be neither allocated nor
 * freed. The purgatory claims its own pages when it starts.
 *
 * Where the first kernel booted through UEFI, the firmware's ACPI and
 * SMBIOS entry points (/sys/firmware/efi/systab, as the image's firmware
 * data) become configuration tables too, and the memory the first kernel
 * kept off its linear map (the top-level "reserved" ranges of arm64's
 * /proc/iomem: the firmware's runtime code and data, its ACPI tables)
 * is EFI_RESERVED_MEMORY_TYPE with the write-back attribute: the stub and
 * the new kernel keep off it, and the new kernel maps the ACPI tables in
 * it as Normal memory (arm64's acpi_os_ioremap maps what the map does
 * not list as Device memory).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "../boot.h"
#include "../../dt/dt.h"
#include "efi_abi.h"

#define DTB_MAX (2ULL << 20)
#define EFI_RESERVED 0
#define EFI_LOADER_CODE 1
#define EFI_LOADER_DATA 2
#define EFI_CONVENTIONAL 7
#define EFI_ATTR_RAM 0xfULL   /* UC | WC | WT | WB */
#define MAX_POINTS (2 * (KX_EFI_MAX_MEM + KX_MAX_SEGMENTS))

static const uint8_t dtb_guid[16] = {   /* b1b621d5-f19c-41a5-830b-d9152c69aae0 */
	0xd5, 0x21, 0xb6, 0xb1, 0x9c, 0xf1, 0xa5, 0x41,
	0x83, 0x0b, 0xd9, 0x15, 0x2c, 0x69, 0xaa, 0xe0,
};

static const uint8_t acpi20_guid[16] = { /* 8868e871-e4f1-11d3-bc22-0080c73c8881 */
	0x71, 0xe8, 0x68, 0x88, 0xf1, 0xe4, 0xd3, 0x11,
	0xbc, 0x22, 0x00, 0x80, 0xc7, 0x3c, 0x88, 0x81,
};

static const uint8_t smbios3_guid[16] = { /* f2fd1544-9794-4a2c-992e-e5bbcf20e394 */
	0x44, 0x15, 0xfd, 0xf2, 0x94, 0x97, 0x2c, 0x4a,
	0x99, 0x2e, 0xe5, 0xbb, 0xcf, 0x20, 0xe3, 0x94,
};

static const uint8_t smbios_guid[16] = { /* eb9d2d31-2d88-11d3-9a16-0090273fc14d */
	0x31, 0x2d, 0x9d, 0xeb, 0x88, 0x2d, 0xd3, 0x11,
	0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d,
};

static bool in_type(const struct kx_memmap *map, uint64_t a,
		    enum kx_mem_type t)
{
	for (size_t i = 0; i < kx_memmap_count(map); i++) {
		const struct kx_mem_range *r = kx_memmap_range(map, i);

		if ((r->type == t || (t == KX_MEM_RAM && r->type == KX_MEM_CRASH)) &&
		    a >= r->start && a <= r->end)
			return true;
	}
	return false;
}

/* What the page at @a is: a segment's, reserved, free RAM, or not RAM.
 * Reserved memory outside RAM counts only after a UEFI boot (@uefi),
 * where it is what the firmware's map kept from the first kernel. */
static int kind_of(const struct kx_image *img, bool uefi, uint64_t a,
		   uint32_t *type, uint32_t *flags)
{
	*flags = 0;
	for (size_t i = 0; i < img->nseg; i++)
		if (a >= img->seg[i].mem && a - img->seg[i].mem < img->seg[i].memsz) {
			*type = img->seg[i].kind == KX_SEG_KERNEL ? EFI_LOADER_CODE :
								    EFI_LOADER_DATA;
			*flags = KX_EFI_MEM_LOADER;
			return 1;
		}
	if (in_type(img->memmap, a, KX_MEM_RESERVED) &&
	    (uefi || in_type(img->memmap, a, KX_MEM_RAM))) {
		*type = EFI_RESERVED;
		return 1;
	}
	if (!in_type(img->memmap, a, KX_MEM_RAM))
		return 0;
	*type = EFI_CONVENTIONAL;
	return 1;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int add_point(uint64_t *pts, size_t *n, uint64_t v)
{
	if (*n == MAX_POINTS)
		return -1;
	pts[(*n)++] = v;
	return 0;
}

/* The map the stub will see: every page of RAM, by kind, in order. */
static int build_map(struct kx_image *img, struct kx_efi_handover *ho)
{
	uint64_t pts[MAX_POINTS];
	size_t n = 0;
	int bad = 0;
	bool uefi = img->firmware && img->firmware->have_efi;

	for (size_t i = 0; i < kx_memmap_count(img->memmap); i++) {
		const struct kx_mem_range *r = kx_memmap_range(img->memmap, i);

		bad |= add_point(pts, &n, kx_align_up(r->start, KX_PAGE_SIZE));
		bad |= add_point(pts, &n, kx_align_down(r->end + 1, KX_PAGE_SIZE));
	}
	for (size_t i = 0; i < img->nseg; i++) {
		bad |= add_point(pts, &n, img->seg[i].mem);
		bad |= add_point(pts, &n, img->seg[i].mem + img->seg[i].memsz);
	}
	if (bad)
		return kx_err(img, -E2BIG, "the EFI memory map has too many ranges");
	qsort(pts, n, sizeof(pts[0]), cmp_u64);
	for (size_t i = 0; i + 1 < n; i++) {
		struct kx_efi_mem *last = ho->nmem ? &ho->mem[ho->nmem - 1] : NULL;
		uint32_t type, flags;

		if (pts[i] == pts[i + 1] || !kind_of(img, uefi, pts[i], &type, &flags))
			continue;
		if (last && last->type == type && last->flags == flags &&
		    last->phys + last->pages * KX_PAGE_SIZE == pts[i]) {
			last->pages += (pts[i + 1] - pts[i]) / KX_PAGE_SIZE;
			continue;
		}
		if (ho->nmem == KX_EFI_MAX_MEM)
			return kx_err(img, -E2BIG, "the EFI memory map has more "
				      "than %d ranges", KX_EFI_MAX_MEM);
		ho->mem[ho->nmem++] = (struct kx_efi_mem){
			.type = type, .flags = flags, .phys = pts[i],
			.pages = (pts[i + 1] - pts[i]) / KX_PAGE_SIZE,
			.attr = EFI_ATTR_RAM };
	}
	return ho->nmem ? 0 : kx_err(img, -EINVAL, "no RAM for the EFI memory map");
}

static int device_tree(struct kx_image *img, uint64_t *addr)
{
	struct kx_dt dt;
	int rc = img->in.dtb.buf ? kx_dt_open(img, &dt, &img->in.dtb) :
				   kx_dt_open_empty(img, &dt);

	/* No initrd in /chosen: the stub puts in the one LoadFile2 gives. */
	if (!rc)
		rc = kx_dt_load(&dt, NULL, (struct kx_placed){
			.align = KX_PAGE_SIZE, .max = UINT64_MAX,
			.top_down = true }, DTB_MAX,
			"arm64 kernels take at most 2 MiB", addr);
	kx_dt_close(&dt);
	return rc;
}

static void add_table(struct kx_efi_handover *ho, const uint8_t guid[16],
		      uint64_t addr)
{
	if (!addr || ho->ntables == KX_EFI_MAX_TABLES)
		return;
	memcpy(ho->tables[ho->ntables].guid, guid, 16);
	ho->tables[ho->ntables++].addr = addr;
}

/* The device tree, and the firmware's tables where the first kernel
 * booted through UEFI (SMBIOS3 first: UEFI 2.10 section 4.6 lets a
 * reader stop at it). */
static void add_tables(const struct kx_image *img, struct kx_efi_handover *ho,
		       uint64_t dtb)
{
	const struct kx_firmware *fw = img->firmware;

	add_table(ho, dtb_guid, dtb);
	if (!fw || !fw->have_efi)
		return;
	add_table(ho, acpi20_guid, fw->acpi20);
	add_table(ho, smbios3_guid, fw->smbios3);
	add_table(ho, smbios_guid, fw->smbios);
}

int kx_arm64_boot_efi(struct kx_image *img, struct kx_boot *b)
{
	struct kx_efi_handover *ho = kx_image_alloc(img, sizeof(*ho));
	uint64_t size = kx_align_up(sizeof(*ho), KX_PAGE_SIZE), dtb = 0, at;
	int rc;

	if (!ho)
		return kx_err(img, -ENOMEM, "out of memory");
	if (img->opts.type == KX_IMAGE_CRASH)
		return kx_err(img, -ENOTSUP, "%s: a crash kernel cannot be started "
			      "through its EFI stub", img->in.kernel.name);
	if (strlen(img->cmdline) >= KX_EFI_MAX_CMDLINE)
		return kx_err(img, -E2BIG, "the command line is longer than the "
			      "EFI environment takes (%d bytes)",
			      KX_EFI_MAX_CMDLINE - 1);
	rc = device_tree(img, &dtb);
	if (!rc)
		rc = kx_image_place(img, "the EFI hand-over block",
				    (struct kx_placed){ .size = size,
							.align = KX_PAGE_SIZE,
							.max = UINT64_MAX,
							.top_down = true }, &at);
	if (!rc)
		rc = kx_image_add_segment(img, ho, sizeof(*ho), at, size,
					  KX_SEG_PARAMS);
	if (!rc)
		rc = kx_image_random(img, ho->seed, sizeof(ho->seed));
	if (rc)
		return rc;
	ho->magic = KX_EFI_HANDOVER_MAGIC;
	ho->version = KX_EFI_HANDOVER_VERSION;
	ho->size = sizeof(*ho);
	ho->flags = KX_EFI_TRACE;
	ho->image_base = b->kernel->mem;
	ho->image_size = b->kernel->memsz;
	ho->entry = b->entry;
	if (b->initrd) {
		ho->initrd_base = b->initrd->mem;
		ho->initrd_size = b->initrd->bufsz;
	}
	add_tables(img, ho, dtb);
	memcpy(ho->cmdline, img->cmdline, strlen(img->cmdline) + 1);
	rc = build_map(img, ho);
	if (rc)
		return rc;
	kx_log(img, KX_LOG_DEBUG, "EFI hand-over block at 0x%" PRIx64 ": %u "
	       "memory ranges, device tree at 0x%" PRIx64 ", %u configuration "
	       "tables", at, ho->nmem, dtb, ho->ntables);
	for (uint32_t i = 1; i < ho->ntables; i++)
		kx_log(img, KX_LOG_DEBUG, "  EFI table %s at 0x%" PRIx64,
		       !memcmp(ho->tables[i].guid, acpi20_guid, 16) ? "ACPI 2.0" :
		       !memcmp(ho->tables[i].guid, smbios3_guid, 16) ? "SMBIOS3" :
								       "SMBIOS",
		       ho->tables[i].addr);
	for (uint32_t i = 0; i < ho->nmem; i++)
		kx_log(img, KX_LOG_DEBUG, "  EFI memory 0x%016" PRIx64 "-0x%016"
		       PRIx64 " type %u%s", ho->mem[i].phys,
		       (uint64_t)(ho->mem[i].phys + ho->mem[i].pages * KX_PAGE_SIZE - 1),
		       ho->mem[i].type, ho->mem[i].flags ? " (kexload's)" : "");
	img->kernel_entry = b->entry;
	return kx_image_purgatory_value(img, "kx_efi_handover", &at, 1);
}
