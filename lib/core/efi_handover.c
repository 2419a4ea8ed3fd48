/* SPDX-License-Identifier: MIT */
/*
 * The hand-over block (efi_abi.h) for a PE started through its own EFI
 * stub, the part every architecture shares: the checks, the block's
 * place and fields, the firmware's configuration tables, and the memory
 * map the stub will see. The architecture says what each page is
 * (its kind function) and adds its own tables (arm64: the device tree).
 *
 * The map lists every page of RAM, and of the firmware's memory where
 * the architecture says so, split around every segment; segments are
 * the loader's (LoaderCode for the PE, LoaderData for the rest) and may
 * be neither allocated nor freed. The purgatory claims its own pages
 * when it starts (it is placed after this stage).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "efi_handover.h"
#include "../formats/pe.h"

#define EFI_ATTR_RAM 0xfULL   /* UC | WC | WT | WB */
#define MAX_POINTS (2 * (KX_EFI_MAX_MEM + KX_MAX_SEGMENTS))

const uint8_t kx_efi_acpi20_guid[16] = { /* 8868e871-e4f1-11d3-bc22-0080c73c8881 */
	0x71, 0xe8, 0x68, 0x88, 0xf1, 0xe4, 0xd3, 0x11,
	0xbc, 0x22, 0x00, 0x80, 0xc7, 0x3c, 0x88, 0x81,
};

const uint8_t kx_efi_acpi_guid[16] = {   /* eb9d2d30-2d88-11d3-9a16-0090273fc14d */
	0x30, 0x2d, 0x9d, 0xeb, 0x88, 0x2d, 0xd3, 0x11,
	0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d,
};

const uint8_t kx_efi_smbios3_guid[16] = { /* f2fd1544-9794-4a2c-992e-e5bbcf20e394 */
	0x44, 0x15, 0xfd, 0xf2, 0x94, 0x97, 0x2c, 0x4a,
	0x99, 0x2e, 0xe5, 0xbb, 0xcf, 0x20, 0xe3, 0x94,
};

const uint8_t kx_efi_smbios_guid[16] = { /* eb9d2d31-2d88-11d3-9a16-0090273fc14d */
	0x31, 0x2d, 0x9d, 0xeb, 0x88, 0x2d, 0xd3, 0x11,
	0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d,
};

const uint8_t kx_efi_dtb_guid[16] = {    /* b1b621d5-f19c-41a5-830b-d9152c69aae0 */
	0xd5, 0x21, 0xb6, 0xb1, 0x9c, 0xf1, 0xa5, 0x41,
	0x83, 0x0b, 0xd9, 0x15, 0x2c, 0x69, 0xaa, 0xe0,
};

bool kx_efi_page_in(const struct kx_memmap *map, uint64_t a,
		    enum kx_mem_type t, bool whole)
{
	uint64_t last = a + KX_PAGE_SIZE - 1;

	for (size_t i = 0; i < kx_memmap_count(map); i++) {
		const struct kx_mem_range *r = kx_memmap_range(map, i);

		if (r->type != t && !(t == KX_MEM_RAM && r->type == KX_MEM_CRASH))
			continue;
		if (whole ? a >= r->start && last <= r->end :
			    a <= r->end && last >= r->start)
			return true;
	}
	return false;
}

bool kx_efi_segment_kind(const struct kx_image *img, uint64_t a,
			 struct kx_efi_mem *m)
{
	for (size_t i = 0; i < img->nseg; i++)
		if (a >= img->seg[i].mem && a - img->seg[i].mem < img->seg[i].memsz) {
			m->type = img->seg[i].kind == KX_SEG_KERNEL ?
					  KX_EFI_LOADER_CODE : KX_EFI_LOADER_DATA;
			m->flags = KX_EFI_MEM_LOADER;
			return true;
		}
	return false;
}

int kx_efi_handover_new(struct kx_image *img, struct kx_efi_handover **ho)
{
	if (img->opts.type == KX_IMAGE_CRASH)
		return kx_err(img, -ENOTSUP, "%s: a crash kernel cannot be "
			      "started through its EFI stub", img->in.kernel.name);
	if (strlen(img->cmdline) >= KX_EFI_MAX_CMDLINE)
		return kx_err(img, -E2BIG, "the command line is longer than the "
			      "EFI environment takes (%d bytes)",
			      KX_EFI_MAX_CMDLINE - 1);
	*ho = kx_image_alloc(img, sizeof(**ho));
	return *ho ? 0 : kx_err(img, -ENOMEM, "out of memory");
}

void kx_efi_handover_table(struct kx_efi_handover *ho, const uint8_t guid[16],
			   uint64_t addr)
{
	if (!addr || ho->ntables == KX_EFI_MAX_TABLES)
		return;
	memcpy(ho->tables[ho->ntables].guid, guid, 16);
	ho->tables[ho->ntables++].addr = addr;
}

void kx_efi_handover_firmware_tables(const struct kx_image *img,
				     struct kx_efi_handover *ho)
{
	const struct kx_firmware *fw = img->firmware;

	if (!fw || !fw->have_efi)
		return;
	/* SMBIOS3 before SMBIOS: UEFI 2.10 section 4.6 lets a reader stop
	 * at the first it knows. */
	kx_efi_handover_table(ho, kx_efi_acpi20_guid, fw->acpi20);
	kx_efi_handover_table(ho, kx_efi_smbios3_guid, fw->smbios3);
	kx_efi_handover_table(ho, kx_efi_smbios_guid, fw->smbios);
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

/* Every page the kind function names, by kind, in order. */
static int build_map(struct kx_image *img, struct kx_efi_handover *ho,
		     kx_efi_kind_fn kind)
{
	uint64_t pts[MAX_POINTS];
	size_t n = 0;
	int bad = 0;

	for (size_t i = 0; i < kx_memmap_count(img->memmap); i++) {
		const struct kx_mem_range *r = kx_memmap_range(img->memmap, i);

		bad |= add_point(pts, &n, kx_align_up(r->start, KX_PAGE_SIZE));
		bad |= add_point(pts, &n, kx_align_down(r->end + 1, KX_PAGE_SIZE));
	}
	for (size_t i = 0; i < img->nseg; i++) {
		bad |= add_point(pts, &n, img->seg[i].mem);
		bad |= add_point(pts, &n, img->seg[i].mem + img->seg[i].memsz);
	}
	for (size_t i = 0; img->firmware && i < img->firmware->nmap; i++) {
		const struct kx_efi_desc *d = &img->firmware->map[i];

		bad |= add_point(pts, &n, d->phys_addr);
		bad |= add_point(pts, &n, d->phys_addr + d->num_pages * KX_PAGE_SIZE);
	}
	if (bad)
		return kx_err(img, -E2BIG, "the EFI memory map has too many ranges");
	qsort(pts, n, sizeof(pts[0]), cmp_u64);
	for (size_t i = 0; i + 1 < n; i++) {
		struct kx_efi_mem *last = ho->nmem ? &ho->mem[ho->nmem - 1] : NULL;
		struct kx_efi_mem m = { .phys = pts[i], .attr = EFI_ATTR_RAM,
					.pages = (pts[i + 1] - pts[i]) / KX_PAGE_SIZE };

		if (pts[i] == pts[i + 1] || !kind(img, pts[i], &m))
			continue;
		if (last && last->type == m.type && last->flags == m.flags &&
		    last->attr == m.attr &&
		    last->phys + last->pages * KX_PAGE_SIZE == pts[i] &&
		    (last->virt ? last->virt + last->pages * KX_PAGE_SIZE == m.virt :
				  !m.virt)) {
			last->pages += m.pages;
			continue;
		}
		if (ho->nmem == KX_EFI_MAX_MEM)
			return kx_err(img, -E2BIG, "the EFI memory map has more "
				      "than %d ranges", KX_EFI_MAX_MEM);
		ho->mem[ho->nmem++] = m;
	}
	return ho->nmem ? 0 : kx_err(img, -EINVAL, "no RAM for the EFI memory map");
}

static const char *table_name(const uint8_t guid[16])
{
	return !memcmp(guid, kx_efi_dtb_guid, 16) ? "device tree" :
	       !memcmp(guid, kx_efi_acpi20_guid, 16) ? "ACPI 2.0" :
	       !memcmp(guid, kx_efi_acpi_guid, 16) ? "ACPI 1.0" :
	       !memcmp(guid, kx_efi_smbios3_guid, 16) ? "SMBIOS3" :
	       !memcmp(guid, kx_efi_smbios_guid, 16) ? "SMBIOS" : "table";
}

int kx_efi_handover_finish(struct kx_image *img, const struct kx_boot *b,
			   struct kx_efi_handover *ho, kx_efi_kind_fn kind,
			   uint64_t max)
{
	uint64_t size = kx_align_up(sizeof(*ho), KX_PAGE_SIZE), at;
	int rc = kx_image_place(img, "the EFI hand-over block",
				(struct kx_placed){ .size = size,
						    .align = KX_PAGE_SIZE,
						    .max = max,
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
	ho->flags |= img->opts.efi_trace ? KX_EFI_TRACE : 0;
	ho->image_base = b->kernel->mem;
	ho->image_size = b->kernel->memsz;
	ho->entry = b->entry;
	if (b->initrd) {
		ho->initrd_base = b->initrd->mem;
		ho->initrd_size = b->initrd->bufsz;
	}
	memcpy(ho->cmdline, img->cmdline, strlen(img->cmdline) + 1);
	rc = build_map(img, ho, kind);
	if (rc)
		return rc;
	kx_log(img, KX_LOG_DEBUG, "EFI hand-over block at 0x%" PRIx64 ": %u "
	       "memory ranges, %u configuration tables", at, ho->nmem,
	       ho->ntables);
	for (uint32_t i = 0; i < ho->ntables; i++)
		kx_log(img, KX_LOG_DEBUG, "  EFI table %s at 0x%" PRIx64,
		       table_name(ho->tables[i].guid), ho->tables[i].addr);
	for (uint32_t i = 0; i < ho->nmem; i++)
		kx_log(img, KX_LOG_DEBUG, "  EFI memory 0x%016" PRIx64 "-0x%016"
		       PRIx64 " type %u%s%s", ho->mem[i].phys,
		       (uint64_t)(ho->mem[i].phys + ho->mem[i].pages * KX_PAGE_SIZE - 1),
		       ho->mem[i].type, ho->mem[i].flags ? " (kexload's)" : "",
		       ho->mem[i].attr & (1ULL << 63) ? " (runtime)" : "");
	img->kernel_entry = b->entry;
	img->pe = b->pe;
	img->pe_base = b->kernel->mem;
	img->efi = ho;
	img->efi_at = at;
	return kx_image_purgatory_value(img, "kx_efi_handover", &at, 1);
}

static const char *type_name(uint32_t t)
{
	static const char *const names[] = {
		"reserved", "loader code", "loader data", "boot code",
		"boot data", "runtime code", "runtime data", "conventional",
		"unusable", "ACPI reclaim", "ACPI NVS", "MMIO", "MMIO port",
		"PAL code", "persistent",
	};

	return t < KX_ARRAY_SIZE(names) ? names[t] : "other";
}

int kx_image_efi(const struct kx_image *img, struct kx_efi_plan *out)
{
	const struct kx_efi_handover *ho = img->efi;

	memset(out, 0, sizeof(*out));
	if (!ho || !img->pe)
		return -ENOENT;
	out->handover = img->efi_at;
	out->firmware_runtime = ho->fw_systab != 0;
	for (unsigned i = 0; i < img->pe->nsections &&
	     out->nsections < KX_ARRAY_SIZE(out->sections); i++) {
		struct kx_efi_plan_section *s = &out->sections[out->nsections++];

		memcpy(s->name, img->pe->sec[i].name, sizeof(s->name));
		s->start = img->pe_base + img->pe->sec[i].va;
		s->size = img->pe->sec[i].vsize;
	}
	for (uint32_t i = 0; i < ho->ntables &&
	     out->ntables < KX_ARRAY_SIZE(out->tables); i++) {
		out->tables[out->ntables].name = table_name(ho->tables[i].guid);
		out->tables[out->ntables++].addr = ho->tables[i].addr;
	}
	for (uint32_t i = 0; i < ho->nmem &&
	     out->nranges < KX_ARRAY_SIZE(out->ranges); i++) {
		struct kx_efi_plan_range *r = &out->ranges[out->nranges++];

		r->start = ho->mem[i].phys;
		r->end = ho->mem[i].phys + ho->mem[i].pages * KX_PAGE_SIZE - 1;
		r->type = ho->mem[i].type;
		r->type_name = type_name(ho->mem[i].type);
		r->loader = ho->mem[i].flags & KX_EFI_MEM_LOADER;
		r->runtime = ho->mem[i].attr >> 63;
		r->virt = ho->mem[i].virt;
	}
	return 0;
}
