/* SPDX-License-Identifier: MIT */
/*
 * The PE format (lib/formats/pe.c): a small PE32+ built here, laid out
 * at its section alignment and relocated; hostile variants of it, each
 * refused with its exact message and nothing loaded; the probe order
 * (an arm64 Image and a bzImage stay theirs unless the EFI stub is asked
 * for); and Debian's real arm64 and amd64 kernels, which are PEs, laid
 * out and compared section by section with their files.
 */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "tap.h"
#include "load_helpers.h"
#include "../../lib/formats/pe.h"
#include "efi_abi.h"

#define LFANEW 0x40
#define OPT (LFANEW + 24)
#define OPT_SIZE (112 + 16 * 8)
#define SECTIONS (OPT + OPT_SIZE)

struct sec_spec {
	const char *name;
	uint32_t vs, va, rs, rp, flags;
};

struct pe_spec {
	uint16_t machine, magic, subsystem, nsec, chars;
	uint32_t lfanew, sa, fa, soi, soh, entry, len;
	uint64_t image_base;
	uint32_t reloc_rva, reloc_size;
	struct sec_spec sec[4];
};

/* .text, .data (part of it BSS) and .reloc with one DIR64 relocation of
 * the word at RVA 0x2008, which holds ImageBase + 0x1234. */
static struct pe_spec good(void)
{
	return (struct pe_spec){
		.machine = KX_PE_MACHINE_ARM64, .magic = 0x20b, .subsystem = 10,
		.nsec = 3, .chars = 0x206, .lfanew = LFANEW, .sa = 0x1000,
		.fa = 0x200, .soi = 0x5000, .soh = 0x400, .entry = 0x1010,
		.len = 0x1800, .image_base = 0x10000000, .reloc_rva = 0x4000,
		.reloc_size = 12,
		.sec = { { ".text", 0x1000, 0x1000, 0x1000, 0x400, 0x60000020 },
			 { ".data", 0x2000, 0x2000, 0x200, 0x1400, 0xc0000040 },
			 { ".reloc", 0xc, 0x4000, 0x200, 0x1600, 0x42000040 } },
	};
}

static void put16(uint8_t *p, uint16_t v) { kx_put_uint(p, 2, v, false); }
static void put32(uint8_t *p, uint32_t v) { kx_put_uint(p, 4, v, false); }
static void put64(uint8_t *p, uint64_t v) { kx_put_uint(p, 8, v, false); }

static uint8_t *build(const struct pe_spec *s)
{
	uint8_t *b = calloc(1, s->len + 0x2000);

	if (!b)
		abort();
	b[0] = 'M';
	b[1] = 'Z';
	put32(b + 0x3c, s->lfanew);
	if (s->lfanew + 0x200 > s->len)
		return b;
	memcpy(b + s->lfanew, "PE\0\0", 4);
	put16(b + s->lfanew + 4, s->machine);
	put16(b + s->lfanew + 6, s->nsec);
	put16(b + s->lfanew + 20, OPT_SIZE);
	put16(b + s->lfanew + 22, s->chars);
	put16(b + OPT, s->magic);
	put32(b + OPT + 16, s->entry);
	put64(b + OPT + 24, s->image_base);
	put32(b + OPT + 32, s->sa);
	put32(b + OPT + 36, s->fa);
	put32(b + OPT + 56, s->soi);
	put32(b + OPT + 60, s->soh);
	put16(b + OPT + 68, s->subsystem);
	put32(b + OPT + 108, 16);
	put32(b + OPT + 112 + 8 * 5, s->reloc_rva);
	put32(b + OPT + 112 + 8 * 5 + 4, s->reloc_size);
	for (unsigned i = 0; i < 4 && s->sec[i].name; i++) {
		uint8_t *h = b + SECTIONS + 40 * i;
		const struct sec_spec *c = &s->sec[i];

		memcpy(h, c->name, strlen(c->name));
		put32(h + 8, c->vs);
		put32(h + 12, c->va);
		put32(h + 16, c->rs);
		put32(h + 20, c->rp);
		put32(h + 36, c->flags);
		for (uint32_t k = 0; k < c->rs && c->rp + k < s->len; k++)
			b[c->rp + k] = (uint8_t)(0x11 * (i + 1) + k);
	}
	/* The relocated word in .data, and .reloc's one block. */
	if (s->len >= 0x1800) {
		put64(b + 0x1408, s->image_base + 0x1234);
		put32(b + 0x1600, 0x2000);
		put32(b + 0x1604, 12);
		put16(b + 0x1608, 10 << 12 | 0x008);
		put16(b + 0x160a, 0);
	}
	return b;
}

/* The spec's PE parsed and laid out at @base through the internal API. */
static void test_layout(void)
{
	struct pe_spec s = good();
	uint8_t *b = build(&s);
	struct kx_image *img = new_image("1G@0x40000000");
	struct kx_reader r;
	struct kx_pe pe;
	char err[KX_ERR_LEN] = "";
	const uint8_t *out;
	uint64_t len, base = 0x40200000;

	kx_reader_init(&r, b, s.len, "good.efi");
	if (!is_int(kx_pe_parse(&r, &pe, err), 0, "a small PE32+ parses: %s",
		    err))
		goto out;
	is_int(pe.nsections, 3, "three sections");
	is_u64(pe.size_of_image, 0x5000, "SizeOfImage");
	is_str(pe.sec[1].name, ".data", "section names");
	if (!is_int(kx_pe_layout(img, &r, &pe, base, &out, &len), 0,
		    "laid out: %s", kx_image_error(img)))
		goto out;
	is_u64(len, 0x400c, "laid out as far as the last data byte");
	is_mem(out, b, 0x400, "headers first");
	is_mem(out + 0x1000, b + 0x400, 0x1000, ".text at its RVA");
	is_mem(out + 0x4000, b + 0x1600, 0xc, ".reloc at its RVA");
	ok(out[0x2200] == 0 && out[0x3fff] == 0 && out[0x500] == 0,
	   "zeros between and after sections' data");
	is_u64(kx_get_uint(out + 0x2008, 8, false), base + 0x1234,
	       "the DIR64 relocation moved by the load address");
	is_mem(out + 0x2010, b + 0x1410, 0x1f0, "the rest of .data as it is");
out:
	kx_image_free(img);
	free(b);
}

/* A section whose RVA is off SectionAlignment, as Debian 12's x86_64
 * systemd-stub has one: laid out at its RVA, as firmware does. */
static void test_misaligned(void)
{
	struct pe_spec s = good();
	uint8_t *b;
	struct kx_image *img = new_image("1G@0x40000000");
	struct kx_reader r;
	struct kx_pe pe;
	char err[KX_ERR_LEN] = "";
	const uint8_t *out;
	uint64_t len;

	s.sec[2].va = 0x4100;
	s.reloc_rva = 0x4100;
	b = build(&s);
	kx_reader_init(&r, b, s.len, "misaligned.efi");
	if (is_int(kx_pe_parse(&r, &pe, err), 0,
		   "a section at RVA 0x4100, SectionAlignment 0x1000: parses: %s",
		   err) &&
	    is_int(kx_pe_layout(img, &r, &pe, 0x40200000, &out, &len), 0,
		   "... and is laid out: %s", kx_image_error(img))) {
		is_mem(out + 0x4100, b + 0x1600, 0xc, "... at its RVA");
		is_u64(kx_get_uint(out + 0x2008, 8, false), 0x40200000 + 0x1234,
		       "... its relocations applied");
	}
	kx_image_free(img);
	free(b);
}

/* Through the public API with the EFI stub asked for. */
static int load_pe(const struct pe_spec *s, enum kx_arch arch, char *msg,
		   size_t *nseg)
{
	uint8_t *b = build(s);
	struct kx_image *img = new_image("1G@0x40000000");
	struct kx_load_opts o = { .arch = arch, .kernel = "hostile.efi",
				  .efi_stub = true };
	int rc = kx_image_load_buffer(img, &o, b, s->len);

	snprintf(msg, KX_ERR_LEN, "%s", kx_image_error(img));
	*nseg = kx_image_segment_count(img);
	kx_image_free(img);
	free(b);
	return rc;
}

struct hostile {
	const char *what;
	void (*edit)(struct pe_spec *s);
	const char *msg;
};

static void outside(struct pe_spec *s) { s->sec[1].rs = 0x800; }
static void overlap(struct pe_spec *s) { s->sec[1].va = 0x1000; s->sec[1].vs = 0x1000; }
static void overlap2(struct pe_spec *s) { s->sec[0].vs = 0x1001; }
static void riscv(struct pe_spec *s) { s->machine = KX_PE_MACHINE_RISCV64; }
static void align_huge(struct pe_spec *s) { s->sa = 0x400000; }
static void align_odd(struct pe_spec *s) { s->sa = 0x3000; }
static void fa_big(struct pe_spec *s) { s->fa = 0x2000; }
static void soi_small(struct pe_spec *s) { s->soi = 0x4000; }
static void soi_odd(struct pe_spec *s) { s->soi = 0x5800; }
static void soi_zero(struct pe_spec *s) { s->soi = 0; }
static void sec_headers(struct pe_spec *s) { s->soh = 0x1200; }
static void soh_past(struct pe_spec *s) { s->soh = 0x8000; s->soi = 0x10000; }
static void entry_out(struct pe_spec *s) { s->entry = 0x4800; }
static void nsec0(struct pe_spec *s) { s->nsec = 0; }
static void nsec97(struct pe_spec *s) { s->nsec = 97; }
static void table_past(struct pe_spec *s) { s->soh = 0x1a0; }
static void pe32(struct pe_spec *s) { s->magic = 0x10b; }
static void magic(struct pe_spec *s) { s->magic = 0x107; }
static void windows(struct pe_spec *s) { s->subsystem = 3; }
static void reloc_past(struct pe_spec *s) { s->reloc_size = 0x1001; }
static void lfanew_past(struct pe_spec *s) { s->lfanew = 0x10000; }

static const struct hostile hostile[] = {
	{ "section data past the file", outside,
	  "hostile.efi: PE section .data's data (0x800 bytes at 0x1400) runs "
	  "past the end of the file (0x1800 bytes)" },
	{ "two sections at one RVA", overlap,
	  "hostile.efi: PE sections .text (RVA 0x1000-0x1fff) and .data (RVA "
	  "0x1000-0x1fff) overlap" },
	{ "a section running into the next", overlap2,
	  "hostile.efi: PE sections .text (RVA 0x1000-0x2000) and .data (RVA "
	  "0x2000-0x3fff) overlap" },
	{ "another machine", riscv,
	  "hostile.efi: a PE/COFF image for machine 0x5064 (riscv64), which "
	  "kexload cannot start" },
	{ "4 MiB section alignment", align_huge,
	  "hostile.efi: PE SectionAlignment 0x400000 is not a power of two up "
	  "to 2 MiB" },
	{ "section alignment not a power of two", align_odd,
	  "hostile.efi: PE SectionAlignment 0x3000 is not a power of two up to "
	  "2 MiB" },
	{ "file alignment above section alignment", fa_big,
	  "hostile.efi: PE FileAlignment 0x2000 is not a power of two up to "
	  "SectionAlignment 0x1000" },
	{ "SizeOfImage short of the last section", soi_small,
	  "hostile.efi: PE section .reloc (RVA 0x4000, 0xc bytes) ends past "
	  "SizeOfImage 0x4000" },
	{ "SizeOfImage not a multiple of the alignment", soi_odd,
	  "hostile.efi: PE SizeOfImage 0x5800 is not a multiple of "
	  "SectionAlignment 0x1000 up to 1 GiB" },
	{ "SizeOfImage 0", soi_zero,
	  "hostile.efi: PE SizeOfImage 0x0 is not a multiple of "
	  "SectionAlignment 0x1000 up to 1 GiB" },
	{ "a section over the headers", sec_headers,
	  "hostile.efi: PE section .text at RVA 0x1000 overlaps the headers "
	  "(0x1200 bytes)" },
	{ "headers past the file", soh_past,
	  "hostile.efi: truncated: the PE headers (SizeOfHeaders 0x8000) run "
	  "past the end of the file (0x1800 bytes)" },
	{ "entry point in no section", entry_out,
	  "hostile.efi: PE AddressOfEntryPoint 0x4800 is in no section" },
	{ "no sections", nsec0,
	  "hostile.efi: PE NumberOfSections 0 is not 1 to 96" },
	{ "97 sections", nsec97,
	  "hostile.efi: PE NumberOfSections 97 is not 1 to 96" },
	{ "section table past the headers", table_past,
	  "hostile.efi: the PE section table ends past SizeOfHeaders 0x1a0" },
	{ "PE32 for arm64", pe32,
	  "hostile.efi: a PE32 (32-bit) image for a 64-bit machine (arm64)" },
	{ "unknown optional header magic", magic,
	  "hostile.efi: PE optional header magic 0x107 is neither PE32 (0x10b) "
	  "nor PE32+ (0x20b)" },
	{ "a Windows program", windows,
	  "hostile.efi: a PE for subsystem 3 (not EFI), not an EFI application "
	  "or driver" },
	{ "relocations past the image", reloc_past,
	  "hostile.efi: the PE base relocation table (RVA 0x4000, 0x1001 bytes) "
	  "ends past SizeOfImage" },
	{ "e_lfanew past the file", lfanew_past,
	  "hostile.efi: not a PE/COFF image (no \"MZ\" header with a \"PE\" "
	  "signature), so it has no EFI stub to start" },
};

static void test_hostile(void)
{
	for (size_t i = 0; i < KX_ARRAY_SIZE(hostile); i++) {
		struct pe_spec s = good();
		char msg[KX_ERR_LEN];
		size_t nseg;
		int rc;

		hostile[i].edit(&s);
		rc = load_pe(&s, KX_ARCH_ARM64, msg, &nseg);
		ok(rc < 0, "%s: refused", hostile[i].what);
		is_str(msg, hostile[i].msg, "%s: its message", hostile[i].what);
		is_int((int)nseg, 0, "%s: nothing loaded", hostile[i].what);
	}
}

/* A good PE for the wrong machine: a clear refusal, nothing loaded. */
static void test_machine(void)
{
	struct pe_spec s = good();
	char msg[KX_ERR_LEN];
	size_t nseg;

	s.machine = KX_PE_MACHINE_AMD64;
	ok(load_pe(&s, KX_ARCH_ARM64, msg, &nseg) < 0, "x86_64 PE for arm64");
	is_str(msg, "hostile.efi: is a kernel for x86_64 (PE (EFI stub)), not "
	       "for arm64", "its message");
	is_int((int)nseg, 0, "nothing loaded");
	is_int(load_pe(&s, KX_ARCH_X86_64, msg, &nseg), 0,
	       "an x86_64 PE loads for x86_64: %s", msg);
	is_int((int)nseg, 3, "... the PE, the hand-over block, the purgatory");
}

static const struct kx_segment *seg_kind(struct kx_image *img,
					 enum kx_segment_kind kind)
{
	for (size_t i = 0; i < kx_image_segment_count(img); i++)
		if (kx_image_segment(img, i)->kind == kind)
			return kx_image_segment(img, i);
	return NULL;
}

/* Every page of [start, start + len) in the hand-over's map has @type. */
static bool map_says(const struct kx_efi_handover *ho, uint64_t start,
		     uint64_t len, uint32_t type, uint32_t flags)
{
	for (uint64_t a = start; a < start + len; a += 4096) {
		bool found = false;

		for (uint32_t i = 0; i < ho->nmem; i++)
			if (a >= ho->mem[i].phys &&
			    a < ho->mem[i].phys + ho->mem[i].pages * 4096) {
				if (ho->mem[i].type != type ||
				    ho->mem[i].flags != flags)
					return false;
				found = true;
			}
		if (!found)
			return false;
	}
	return true;
}

/* arm64: the hand-over block the purgatory's EFI environment reads,
 * read back: the PE, its entry, the initrd, the command line, the
 * device tree as a configuration table, a seed, and a memory map that
 * covers the RAM with every segment the loader's. */
static void test_handover(void)
{
	static const uint8_t initrd[8192] = { 1, 2, 3 };
	static const uint8_t dtb_guid[16] = { 0xd5, 0x21, 0xb6, 0xb1, 0x9c, 0xf1,
					      0xa5, 0x41, 0x83, 0x0b, 0xd9, 0x15,
					      0x2c, 0x69, 0xaa, 0xe0 };
	struct pe_spec s = good();
	uint8_t *b = build(&s);
	struct kx_image *img = new_image("1G@0x40000000");
	struct kx_load_opts o = { .arch = KX_ARCH_ARM64, .kernel = "good.efi",
				  .efi_stub = true,
				  .cmdline = "console=ttyAMA0 kx=1" };
	struct kx_input ird = { "initrd", initrd, sizeof(initrd) };
	struct kx_inputs in = { .kernel = { "good.efi", b, s.len },
				.initrds = &ird, .ninitrds = 1 };
	const struct kx_segment *k, *i, *p, *d;
	const struct kx_efi_handover *ho;
	uint64_t pages = 0, seed = 0;

	if (!is_int(kx_image_load_inputs(img, &o, &in), 0,
		    "an arm64 PE loads with the EFI stub: %s",
		    kx_image_error(img)))
		goto out;
	k = seg_kind(img, KX_SEG_KERNEL);
	i = seg_kind(img, KX_SEG_INITRD);
	p = seg_kind(img, KX_SEG_PARAMS);
	d = seg_kind(img, KX_SEG_DTB);
	if (!ok(k && i && p && d, "kernel, initrd, hand-over block and device "
		"tree segments") || !ok(p->bufsz == sizeof(*ho),
					"the block is struct kx_efi_handover"))
		goto out;
	ho = p->buf;
	is_u64(ho->magic, KX_EFI_HANDOVER_MAGIC, "its magic");
	is_u64(ho->image_base, k->mem, "ImageBase: the laid-out PE");
	is_u64(ho->image_size, k->memsz, "ImageSize: SizeOfImage");
	is_u64(ho->entry, k->mem + s.entry, "entry: base + AddressOfEntryPoint");
	ok(ho->initrd_base == i->mem && ho->initrd_size == sizeof(initrd),
	   "the initrd for LoadFile2");
	is_str(ho->cmdline, "console=ttyAMA0 kx=1", "the command line");
	ok(ho->ntables == 1 && !memcmp(ho->tables[0].guid, dtb_guid, 16) &&
	   ho->tables[0].addr == d->mem, "the device tree as a configuration table");
	for (int n = 0; n < KX_EFI_SEED_LEN; n++)
		seed |= ho->seed[n];
	ok(seed, "a seed for the RNG protocol");
	for (uint32_t n = 0; n < ho->nmem; n++) {
		pages += ho->mem[n].pages;
		if (n && ho->mem[n].phys < ho->mem[n - 1].phys +
					       ho->mem[n - 1].pages * 4096)
			pages = 0;
	}
	is_u64(pages, (1ULL << 30) / 4096, "the map covers the 1 GiB of RAM, in order");
	ok(map_says(ho, k->mem, k->memsz, 1, KX_EFI_MEM_LOADER),
	   "the PE: LoaderCode, the loader's");
	ok(map_says(ho, i->mem, i->memsz, 2, KX_EFI_MEM_LOADER) &&
	   map_says(ho, d->mem, d->memsz, 2, KX_EFI_MEM_LOADER) &&
	   map_says(ho, p->mem, p->memsz, 2, KX_EFI_MEM_LOADER),
	   "initrd, device tree and the block: LoaderData, the loader's");
	ok(map_says(ho, 0x40000000 + k->memsz + 0x10000, 4096, 7, 0),
	   "the rest: conventional memory");
	is_u64(kx_image_kernel_entry(img), ho->entry, "the kernel entry is the PE's");
out:
	kx_image_free(img);
	free(b);
}

/* arm64 after a UEFI first boot: the firmware's ACPI 2.0 and SMBIOS
 * entry points (systab) follow the device tree as configuration tables,
 * and the memory /proc/iomem shows as reserved outside RAM (what the
 * first kernel kept off its linear map: runtime regions, ACPI tables) is
 * in the map as EFI_RESERVED_MEMORY_TYPE, write-back; without the
 * firmware's data the same range stays out of the map. */
static void test_handover_uefi(void)
{
	static const uint8_t acpi20[16] = { 0x71, 0xe8, 0x68, 0x88, 0xf1, 0xe4,
					    0xd3, 0x11, 0xbc, 0x22, 0x00, 0x80,
					    0xc7, 0x3c, 0x88, 0x81 };
	static const uint8_t smbios3[16] = { 0x44, 0x15, 0xfd, 0xf2, 0x94, 0x97,
					     0x2c, 0x4a, 0x99, 0x2e, 0xe5, 0xbb,
					     0xcf, 0x20, 0xe3, 0x94 };
	struct pe_spec s = good();
	uint8_t *b = build(&s);
	struct kx_load_opts o = { .arch = KX_ARCH_ARM64, .kernel = "good.efi",
				  .efi_stub = true, .cmdline = "kx=uefi" };
	struct kx_inputs in = { .kernel = { "good.efi", b, s.len } };
	struct kx_firmware *fw;

	if (kx_firmware_new(&fw))
		abort();
	fw->have_efi = true;
	fw->acpi20 = 0x7c1d0018;
	fw->smbios3 = 0x7c3f0000;
	for (int uefi = 0; uefi < 2; uefi++) {
		struct kx_image *img = new_image("1G@0x40000000");
		struct kx_memmap *map;
		const struct kx_segment *p;
		const struct kx_efi_handover *ho;

		/* 1 GiB of RAM with a hole the firmware kept (nomap) */
		if (kx_memmap_new(&map) ||
		    kx_memmap_add(map, 0x40000000, 0x7c1cffff, KX_MEM_RAM) ||
		    kx_memmap_add(map, 0x7c1d0000, 0x7c3fffff, KX_MEM_RESERVED) ||
		    kx_memmap_add(map, 0x7c400000, 0x7fffffff, KX_MEM_RAM) ||
		    kx_image_set_memmap(img, map) ||
		    (uefi && kx_image_set_firmware(img, fw)))
			abort();
		kx_memmap_free(map);
		if (!is_int(kx_image_load_inputs(img, &o, &in), 0,
			    "%s: an arm64 PE loads: %s", uefi ? "UEFI" : "no UEFI",
			    kx_image_error(img))) {
			kx_image_free(img);
			continue;
		}
		p = seg_kind(img, KX_SEG_PARAMS);
		ho = p->buf;
		if (uefi) {
			is_u64(ho->flags & KX_EFI_FW_RUNTIME, 0, "UEFI, but a "
			       "tree without linux,uefi-*: no runtime services "
			       "handed on");
			ok(ho->ntables == 3 &&
			   !memcmp(ho->tables[1].guid, acpi20, 16) &&
			   ho->tables[1].addr == 0x7c1d0018 &&
			   !memcmp(ho->tables[2].guid, smbios3, 16) &&
			   ho->tables[2].addr == 0x7c3f0000,
			   "UEFI: the device tree, then ACPI 2.0 and SMBIOS3 "
			   "(no SMBIOS 2 entry point: none given)");
			ok(map_says(ho, 0x7c1d0000, 0x230000, 0, 0),
			   "UEFI: the firmware's hole is EFI_RESERVED, not the loader's");
			for (uint32_t n = 0; n < ho->nmem; n++)
				if (ho->mem[n].phys == 0x7c1d0000)
					is_u64(ho->mem[n].attr, 0xf, "UEFI: with "
					       "the write-back attribute");
		} else {
			is_int((int)ho->ntables, 1, "no UEFI: the device tree only");
			ok(!map_says(ho, 0x7c1d0000, 4096, 0, 0) &&
			   !map_says(ho, 0x7c1d0000, 4096, 7, 0),
			   "no UEFI: the hole is not in the map");
		}
		kx_image_free(img);
	}
	kx_firmware_free(fw);
	free(b);
}

/* arm64 after a UEFI first boot, with the running tree's /chosen as its
 * stub left it: the firmware's system table and the memory map it got go
 * into the block, for the environment to hand the runtime services on. */
static void test_handover_uefi_chosen(void)
{
	static uint8_t fdt[4096] __attribute__((aligned(8)));
	struct pe_spec s = good();
	uint8_t *b = build(&s);
	struct kx_load_opts o = { .arch = KX_ARCH_ARM64, .kernel = "good.efi",
				  .efi_stub = true };
	struct kx_inputs in = { .kernel = { "good.efi", b, s.len },
				.dtb = { "running.dtb", fdt, sizeof(fdt) } };
	struct kx_image *img = new_image("1G@0x40000000");
	struct kx_firmware *fw;
	const struct kx_efi_handover *ho;
	int chosen;

	if (kx_firmware_new(&fw) || fdt_create_empty_tree(fdt, sizeof(fdt)))
		abort();
	fw->have_efi = true;
	chosen = fdt_add_subnode(fdt, 0, "chosen");
	if (chosen < 0 ||
	    fdt_setprop_u64(fdt, chosen, "linux,uefi-system-table", 0x7ffd0018) ||
	    fdt_setprop_u64(fdt, chosen, "linux,uefi-mmap-start", 0x79b2d9c0) ||
	    fdt_setprop_u32(fdt, chosen, "linux,uefi-mmap-size", 33 * 48) ||
	    fdt_setprop_u32(fdt, chosen, "linux,uefi-mmap-desc-size", 48) ||
	    fdt_setprop_u32(fdt, chosen, "linux,uefi-mmap-desc-ver", 1) ||
	    kx_image_set_firmware(img, fw))
		abort();
	in.dtb.len = fdt_totalsize(fdt);
	if (is_int(kx_image_load_inputs(img, &o, &in), 0,
		   "an arm64 PE loads with the running tree: %s",
		   kx_image_error(img))) {
		ho = seg_kind(img, KX_SEG_PARAMS)->buf;
		ok(ho->flags & KX_EFI_FW_RUNTIME, "the firmware's runtime "
		   "services are handed on");
		ok(ho->fw_systab == 0x7ffd0018 && ho->fw_mmap == 0x79b2d9c0 &&
		   ho->fw_mmap_size == 33 * 48 && ho->fw_desc_size == 48,
		   "... the system table and the map from /chosen");
	}
	kx_image_free(img);
	kx_firmware_free(fw);
	free(b);
}

/* x86_64, a PC's memory as SeaBIOS gives it: the stub builds its e820
 * from GetMemoryMap, so every range keeps its kind (ACPI tables, ACPI
 * NVS, reserved), the page RAM shares with the EBDA is not RAM, and the
 * PE sits where a PC's firmware loads images (top of RAM below 4 GiB).
 * The ACPI RSDP the first kernel found is the ACPI 1.0 table after a BIOS
 * boot; after UEFI the firmware's entry points are the tables. */
static void test_handover_x86(void)
{
	static const uint8_t acpi[16] = { 0x30, 0x2d, 0x9d, 0xeb, 0x88, 0x2d,
					  0xd3, 0x11, 0x9a, 0x16, 0x00, 0x90,
					  0x27, 0x3f, 0xc1, 0x4d };
	static const uint8_t acpi20[16] = { 0x71, 0xe8, 0x68, 0x88, 0xf1, 0xe4,
					    0xd3, 0x11, 0xbc, 0x22, 0x00, 0x80,
					    0xc7, 0x3c, 0x88, 0x81 };
	struct pe_spec s = good();
	uint8_t *b;
	struct kx_load_opts o = { .arch = KX_ARCH_X86_64, .kernel = "x86.efi",
				  .efi_stub = true, .cmdline = "console=ttyS0" };
	struct kx_firmware *fw;

	s.machine = KX_PE_MACHINE_AMD64;
	b = build(&s);
	if (kx_firmware_new(&fw))
		abort();
	fw->have_boot_params = true;
	fw->acpi_rsdp = 0xf59d0;
	for (int uefi = 0; uefi < 2; uefi++) {
		struct kx_inputs in = { .kernel = { "x86.efi", b, s.len } };
		struct kx_image *img = new_image("1G");
		struct kx_memmap *map;
		const struct kx_segment *k, *p;
		const struct kx_efi_handover *ho;

		if (uefi) {
			/* a runtime map of two regions, at the first kernel's
			 * virtual addresses, inside a reserved e820 range */
			struct kx_efi_desc code = { .type = 5, .phys_addr = 0x3ffe0000,
						    .virt_addr = 0xfffffffeffa00000ULL,
						    .num_pages = 8,
						    .attribute = (1ULL << 63) | 0xf };
			struct kx_efi_desc data = code;

			data.type = 6;
			data.phys_addr += 8 * 4096;
			data.virt_addr += 8 * 4096;
			fw->have_efi = true;
			fw->acpi20 = 0x3f77d014;
			fw->smbios = 0x3f520000;
			fw->fw_vendor = 0x3f5eb098;
			fw->config_table = 0x3f5eb118;
			fw->efi_systab = 0x3f5eb018;
			fw->efi_memmap_size = 0x1000;
			fw->efi_loader_signature = 0x34364c45;
			if (kx_firmware_add_desc(fw, &code) ||
			    kx_firmware_add_desc(fw, &data))
				abort();
		}
		if (kx_memmap_new(&map) ||
		    kx_memmap_add(map, 0, 0x9fbff, KX_MEM_RAM) ||
		    kx_memmap_add(map, 0x9fc00, 0x9ffff, KX_MEM_RESERVED) ||
		    kx_memmap_add(map, 0xf0000, 0xfffff, KX_MEM_RESERVED) ||
		    kx_memmap_add(map, 0x100000, 0x3ef0ffff, KX_MEM_RAM) ||
		    kx_memmap_add(map, 0x3ef10000, 0x3ef1ffff, KX_MEM_ACPI) ||
		    kx_memmap_add(map, 0x3ef20000, 0x3ef2ffff, KX_MEM_NVS) ||
		    kx_memmap_add(map, 0x3ef30000, 0x3ffdffff, KX_MEM_RAM) ||
		    kx_memmap_add(map, 0x3ffe0000, 0x3fffffff, KX_MEM_RESERVED) ||
		    kx_memmap_add(map, 0xfffc0000, 0xffffffff, KX_MEM_RESERVED) ||
		    kx_image_set_memmap(img, map) ||
		    kx_image_set_firmware(img, fw))
			abort();
		kx_memmap_free(map);
		if (!is_int(kx_image_load_inputs(img, &o, &in), 0,
			    "x86_64 %s: the PE loads with the EFI stub: %s",
			    uefi ? "UEFI" : "BIOS", kx_image_error(img))) {
			kx_image_free(img);
			continue;
		}
		k = seg_kind(img, KX_SEG_KERNEL);
		p = seg_kind(img, KX_SEG_PARAMS);
		ho = p->buf;
		if (!uefi) {
			ok(k->mem >= 0x100000 && k->mem + k->memsz == 0x3ffe0000,
			   "the PE at the top of RAM below 4 GiB (0x%llx)",
			   (unsigned long long)k->mem);
			ok(p->mem + p->memsz <= 0x100000000ULL,
			   "the block below 4 GiB");
			ok(map_says(ho, 0x9e000, 4096, 7, 0),
			   "RAM below the EBDA: conventional");
			ok(map_says(ho, 0x9f000, 4096, 0, 0),
			   "the page RAM shares with the EBDA: reserved");
			ok(map_says(ho, 0xf0000, 0x10000, 0, 0),
			   "the BIOS area: reserved");
			ok(map_says(ho, 0x3ef10000, 0x10000, 9, 0),
			   "ACPI tables: EfiACPIReclaimMemory");
			ok(map_says(ho, 0x3ef20000, 0x10000, 10, 0),
			   "ACPI NVS: EfiACPIMemoryNVS");
			ok(map_says(ho, 0xfffc0000, 0x40000, 0, 0),
			   "the flash below 4 GiB: reserved");
			ok(map_says(ho, k->mem, k->memsz, 1, KX_EFI_MEM_LOADER),
			   "the PE: LoaderCode, the loader's");
			ok(!map_says(ho, 0xa0000, 4096, 0, 0) &&
			   !map_says(ho, 0xa0000, 4096, 7, 0),
			   "the VGA hole is not in the map");
			ok(ho->ntables == 1 && !memcmp(ho->tables[0].guid, acpi, 16) &&
			   ho->tables[0].addr == 0xf59d0,
			   "BIOS: the first kernel's RSDP as the ACPI 1.0 table");
			is_u64(ho->fw_systab, 0, "BIOS: no runtime services handed on");
		} else {
			const uint8_t *sd = (const uint8_t *)ho + ho->efi_setup_off;

			ok(ho->ntables == 2 && !memcmp(ho->tables[0].guid, acpi20, 16) &&
			   ho->tables[0].addr == 0x3f77d014 &&
			   ho->tables[1].addr == 0x3f520000,
			   "UEFI: the firmware's ACPI 2.0 and SMBIOS entry points");
			is_u64(ho->fw_systab, 0x3f5eb018, "UEFI: the firmware's "
			       "system table, for the new kernel's efi_info");
			ok(ho->efi_setup_off + 112 <= sizeof(*ho) &&
			   kx_get_uint(sd + 8, 4, false) == 4 &&
			   kx_get_uint(sd + 12, 4, false) == 96 &&
			   kx_get_uint(sd + 16, 8, false) == 0x3f5eb098 &&
			   kx_get_uint(sd + 32, 8, false) == 0x3f5eb118 &&
			   kx_get_uint(sd + 40, 8, false) == 0x3f520000,
			   "UEFI: a SETUP_EFI node (fw_vendor, tables, SMBIOS) "
			   "in the block");
			for (uint32_t n = 0; n < ho->nmem; n++)
				if (ho->mem[n].phys == 0x3ffe0000)
					ok(ho->mem[n].type == 5 && ho->mem[n].pages == 8 &&
					   ho->mem[n].virt == 0xfffffffeffa00000ULL &&
					   ho->mem[n].attr >> 63,
					   "UEFI: runtime code where the first "
					   "kernel mapped it");
				else if (ho->mem[n].phys == 0x3ffe8000)
					ok(ho->mem[n].type == 6 && ho->mem[n].pages == 8 &&
					   ho->mem[n].virt == 0xfffffffeffa08000ULL,
					   "UEFI: runtime data after it, not joined");
			ok(map_says(ho, 0x3fff0000, 0x10000, 0, 0),
			   "UEFI: the rest of the reserved range: reserved");
		}
		is_u64(ho->flags, 0, "no trace without efi_trace");
		kx_image_free(img);
	}
	kx_firmware_free(fw);
	free(b);
}

/* A relocated image with relocations stripped must sit at ImageBase. */
static void test_stripped(void)
{
	struct pe_spec s = good();
	uint8_t *b;
	struct kx_image *img = new_image("1G@0x40000000");
	struct kx_info info;

	s.chars |= 1;
	s.image_base = 0x48000000;
	b = build(&s);
	if (is_int(kx_image_inspect_buffer(img, "fixed.efi", b, s.len, &info), 0,
		   "a PE with relocations stripped inspects: %s",
		   kx_image_error(img))) {
		is_str(info.format, "PE (EFI stub)", "as a PE");
		is_int(info.arch, KX_ARCH_ARM64, "for arm64");
	}
	kx_image_free(img);
	free(b);
}

/* ---- Debian's kernels ---------------------------------------------------- */

static uint8_t *read_kernel(const char *debarch, size_t *len, char *path,
			    size_t pathlen)
{
	char cmd[256];
	FILE *p, *f;
	uint8_t *buf;
	long n;

	snprintf(cmd, sizeof(cmd), "scripts/fetch-kernel.sh %s 2>/dev/null",
		 debarch);
	p = popen(cmd, "r");
	if (!p)
		return NULL;
	if (!fgets(path, (int)pathlen, p))
		path[0] = '\0';
	pclose(p);
	path[strcspn(path, "\n")] = '\0';
	f = path[0] ? fopen(path, "rb") : NULL;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = n > 0 ? malloc((size_t)n) : NULL;
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void test_debian(const char *debarch, enum kx_arch arch,
			uint16_t machine, const char *native)
{
	char path[4096];
	size_t len = 0;
	uint8_t *k = read_kernel(debarch, &len, path, sizeof(path));
	struct kx_image *img;
	struct kx_info info;
	struct kx_reader r;
	struct kx_pe pe;
	char err[KX_ERR_LEN] = "";
	const uint8_t *out;
	uint64_t n, base = 0x40000000;
	bool same = true, zeros = true;

	if (!k) {
		skip("no Debian kernel (scripts/fetch-kernel.sh failed)",
		     "Debian %s kernel", debarch);
		return;
	}
	img = new_image("1G@0x40000000");
	if (is_int(kx_image_inspect_buffer(img, path, k, len, &info), 0,
		   "%s: inspects", debarch))
	{
		is_str(info.format, native, "%s: still its own format first",
		       debarch);
		is_int(info.arch, arch, "%s: its architecture", debarch);
	}
	if (is_int(kx_image_inspect_pe(img, path, &info), 0,
		   "%s: inspects as a PE: %s", debarch, kx_image_error(img)))
		is_str(info.format, "PE (EFI stub)", "%s: the PE format",
		       debarch);
	kx_reader_init(&r, k, len, path);
	if (!is_int(kx_pe_parse(&r, &pe, err), 0, "%s: a sound PE: %s",
		    debarch, err))
		goto out;
	is_int(pe.machine, machine, "%s: machine", debarch);
	ok(pe.pe32plus && pe.subsystem == 10, "%s: a PE32+ EFI application",
	   debarch);
	if (!is_int(kx_pe_layout(img, &r, &pe, base, &out, &n), 0,
		    "%s: laid out: %s", debarch, kx_image_error(img)))
		goto out;
	for (unsigned i = 0; i < pe.nsections; i++) {
		const struct kx_pe_section *s = &pe.sec[i];
		uint32_t d = s->raw_size < s->vsize ? s->raw_size : s->vsize;

		same &= !memcmp(out + s->va, k + s->raw_ptr, d);
		for (uint64_t a = s->va + d; a < s->va + s->vsize && a < n; a++)
			zeros &= !out[a];
	}
	ok(same, "%s: every section's bytes at its RVA", debarch);
	ok(zeros, "%s: zeros past each section's data", debarch);
	ok(n <= pe.size_of_image, "%s: nothing past SizeOfImage", debarch);
out:
	kx_image_free(img);
	free(k);
}

int main(void)
{
	test_layout();
	test_misaligned();
	test_hostile();
	test_machine();
	test_handover();
	test_handover_uefi();
	test_handover_uefi_chosen();
	test_handover_x86();
	test_stripped();
	test_debian("arm64", KX_ARCH_ARM64, KX_PE_MACHINE_ARM64, "arm64 Image");
	test_debian("amd64", KX_ARCH_X86_64, KX_PE_MACHINE_AMD64, "bzImage");
	return done_testing();
}
