/* SPDX-License-Identifier: MIT */
/*
 * Crash loads: the ELF core header (lib/core/crash.c) built from memory
 * maps and crash data given here (several CPUs, RAM with holes, crash
 * regions at the start, middle and end of RAM), read back field by field;
 * each architecture's hand-over (x86_64's elfcorehdr= and e820, arm64's
 * /chosen read back with libfdt, 32-bit ARM's elfcorehdr= and mem= with an
 * ELF32 header); crash regions too small, none at all, no crash data; and
 * kx_crash_info_read on sysfs and kcore trees written here.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libfdt.h>

#include "internal.h"
#include "x86_64/bootparam.h"
#include "tap.h"
#include "load_helpers.h"
#include "../fixtures/arm64.h"

#define PT_LOAD 1
#define PT_NOTE 4

static void put(uint8_t *p, uint64_t off, unsigned n, uint64_t v)
{
	kx_put_uint(p + off, n, v, false);
}

/* A zImage without extension tags. */
static uint8_t *make_zimage(size_t n)
{
	uint8_t *p = calloc(1, n);

	if (!p)
		abort();
	put(p, 0x24, 4, 0x016f2818);
	put(p, 0x2c, 4, n);
	put(p, 0x30, 4, 0x04030201);
	return p;
}

struct r { uint64_t s, e; enum kx_mem_type t; };

static struct kx_image *image_on(const struct r *r, size_t n)
{
	struct kx_memmap *map;
	struct kx_image *img;

	if (kx_memmap_new(&map) || kx_image_new(&img))
		abort();
	for (size_t i = 0; i < n; i++)
		if (kx_memmap_add(map, r[i].s, r[i].e, r[i].t))
			abort();
	if (kx_image_set_memmap(img, map))
		abort();
	kx_memmap_free(map);
	kx_image_set_random(img, fixed_random, NULL);
	return img;
}

struct phdr { uint32_t type, flags; uint64_t off, vaddr, paddr, filesz, memsz, align; };

static struct phdr phdr64(const uint8_t *h, size_t i)
{
	const uint8_t *p = h + 64 + 56 * i;

	return (struct phdr){ kx_get_uint(p, 4, false), kx_get_uint(p + 4, 4, false),
			      kx_get_uint(p + 8, 8, false), kx_get_uint(p + 16, 8, false),
			      kx_get_uint(p + 24, 8, false), kx_get_uint(p + 32, 8, false),
			      kx_get_uint(p + 40, 8, false), kx_get_uint(p + 48, 8, false) };
}

static struct phdr phdr32(const uint8_t *h, size_t i)
{
	const uint8_t *p = h + 52 + 32 * i;

	return (struct phdr){ kx_get_uint(p, 4, false), kx_get_uint(p + 24, 4, false),
			      kx_get_uint(p + 4, 4, false), kx_get_uint(p + 8, 4, false),
			      kx_get_uint(p + 12, 4, false), kx_get_uint(p + 16, 4, false),
			      kx_get_uint(p + 20, 4, false), kx_get_uint(p + 28, 4, false) };
}

/* One program header against what it must be: p_offset = p_paddr. */
static void check_phdr(struct phdr p, uint32_t type, uint64_t vaddr,
		       uint64_t paddr, uint64_t size, const char *what)
{
	bool good = p.type == type && p.flags == (type == PT_LOAD ? 7u : 0u) &&
		    p.off == paddr && p.vaddr == vaddr && p.paddr == paddr &&
		    p.filesz == size && p.memsz == size && p.align == 0;

	if (!good)
		diag("got type %u flags %u offset 0x%" PRIx64 " vaddr 0x%" PRIx64
		     " paddr 0x%" PRIx64 " filesz 0x%" PRIx64 " memsz 0x%" PRIx64
		     " align %" PRIu64, p.type, p.flags, p.off, p.vaddr, p.paddr,
		     p.filesz, p.memsz, p.align);
	ok(good, "%s: %s vaddr 0x%" PRIx64 " paddr=offset 0x%" PRIx64
	   " size 0x%" PRIx64, what, type == PT_LOAD ? "PT_LOAD" : "PT_NOTE",
	   vaddr, paddr, size);
}

/* ---- x86_64: the header, elfcorehdr= and the crash kernel's e820 --------- */

static struct kx_crash_note x86_cpus[4] = {
	{ 0x13ff10000, 0x1a8 }, { 0x13ff30000, 0x1a8 },
	{ 0x13ff50000, 0x1a8 }, { 0x13ff70000, 0x1a8 },
};
static const struct kx_crash_info x86_ci = {
	.cpus = x86_cpus, .ncpus = 4,
	.vmcoreinfo = { 0x2b0e000, 0x1000 },
	.text_virt = 0xffffffff81000000, .text_phys = 0x2000000,
	.text_size = 0x2a00000,
	.linear_offset = 0xffff888000000000, .linear = true,
};

static void test_x86_64(void)
{
	static const struct r map[] = {
		{ 0x0, 0xfff, KX_MEM_RESERVED },
		{ 0x1000, 0x9efff, KX_MEM_RAM },
		{ 0x9f000, 0x9ffff, KX_MEM_RESERVED },
		{ 0xf0000, 0xfffff, KX_MEM_RESERVED },
		{ 0x100000, 0xbffdffff, KX_MEM_RAM },
		{ 0x30000000, 0x37ffffff, KX_MEM_CRASH },
		{ 0xbffe0000, 0xbfffffff, KX_MEM_ACPI },
		{ 0xfeffc000, 0xfeffffff, KX_MEM_RESERVED },
		{ 0x100000000, 0x13fffffff, KX_MEM_RAM },
	};
	static const uint64_t e820[][3] = {   /* start, size, type */
		{ 0x0, 0x1000, 2 }, { 0x1000, 0x9e000, 1 },
		{ 0x9f000, 0x1000, 2 }, { 0xf0000, 0x10000, 2 },
		{ 0x30000000, 0x7ffe000, 1 }, { 0x37fff000, 0x1000, 1 },
		{ 0xbffe0000, 0x20000, 3 }, { 0xfeffc000, 0x4000, 2 },
	};
	size_t blen;
	uint8_t *bz = make_bzimage(&blen);
	struct kx_input initrd = { "initrd", "0707010000", 10 };
	struct kx_inputs in = { .kernel = { "bzImage", bz, blen },
				.initrds = &initrd, .ninitrds = 1 };
	struct kx_load_opts o = { .type = KX_IMAGE_CRASH, .cmdline = "maxcpus=1",
				  .crash = &x86_ci };
	struct kx_image *img = image_on(map, KX_ARRAY_SIZE(map));
	const struct kx_segment *h, *bp;
	const uint8_t *p;
	char want[96];

	if (!is_int(kx_image_load_inputs(img, &o, &in), 0,
		    "x86_64 crash load: %s", kx_image_error(img)))
		goto out;
	h = seg_of(img, KX_SEG_ELFCOREHDR);
	if (!ok(h != NULL, "x86_64: an elfcorehdr segment"))
		goto out;
	is_u64(h->mem, 0x37ffe000, "x86_64: the header top-down in the crash "
	       "region, under the initrd");
	ok(h->checked, "x86_64: the purgatory checks the header");
	is_u64(h->bufsz, 64 + 10 * 56, "x86_64: 10 program headers");
	p = h->buf;
	is_mem(p, "\177ELF\2\1\1", 7, "x86_64: ELF64, little-endian, version 1");
	is_u64(kx_get_uint(p + 16, 2, false), 4, "x86_64: ET_CORE");
	is_u64(kx_get_uint(p + 18, 2, false), 62, "x86_64: EM_X86_64");
	is_u64(kx_get_uint(p + 32, 8, false), 64, "x86_64: e_phoff");
	is_u64(kx_get_uint(p + 52, 2, false), 64, "x86_64: e_ehsize");
	is_u64(kx_get_uint(p + 54, 2, false), 56, "x86_64: e_phentsize");
	is_u64(kx_get_uint(p + 56, 2, false), 10, "x86_64: e_phnum");
	for (size_t i = 0; i < 4; i++)
		check_phdr(phdr64(p, i), PT_NOTE, 0, x86_cpus[i].addr, 0x1a8,
			   "x86_64 CPU notes");
	check_phdr(phdr64(p, 4), PT_NOTE, 0, 0x2b0e000, 0x1000, "x86_64 VMCOREINFO");
	check_phdr(phdr64(p, 5), PT_LOAD, 0xffffffff81000000, 0x2000000,
		   0x2a00000, "x86_64 kernel text");
	check_phdr(phdr64(p, 6), PT_LOAD, 0xffff888000001000, 0x1000, 0x9e000,
		   "x86_64 RAM below 640K");
	check_phdr(phdr64(p, 7), PT_LOAD, 0xffff888000100000, 0x100000,
		   0x2ff00000, "x86_64 RAM up to the crash region");
	check_phdr(phdr64(p, 8), PT_LOAD, 0xffff888038000000, 0x38000000,
		   0x87fe0000, "x86_64 RAM after the crash region");
	check_phdr(phdr64(p, 9), PT_LOAD, 0xffff888100000000, 0x100000000,
		   0x40000000, "x86_64 RAM above 4G");

	snprintf(want, sizeof(want), "elfcorehdr=0x%" PRIx64 " maxcpus=1", h->mem);
	is_str(kx_image_cmdline(img), want, "x86_64: elfcorehdr= first on the "
	       "command line");
	bp = seg_of(img, KX_SEG_PARAMS);
	if (!ok(bp != NULL, "x86_64: boot_params"))
		goto out;
	p = bp->buf;
	is_u64(p[BP_E820_ENTRIES], KX_ARRAY_SIZE(e820), "x86_64: e820 entries");
	for (size_t i = 0; i < KX_ARRAY_SIZE(e820); i++) {
		const uint8_t *e = p + BP_E820_TABLE + 20 * i;
		bool good = kx_get_uint(e, 8, false) == e820[i][0] &&
			    kx_get_uint(e + 8, 8, false) == e820[i][1] &&
			    kx_get_uint(e + 16, 4, false) == e820[i][2];

		ok(good, "x86_64 crash e820 %zu: 0x%" PRIx64 " +0x%" PRIx64
		   " type %" PRIu64, i, e820[i][0], e820[i][1], e820[i][2]);
	}
	is_str((const char *)p + (kx_get_uint(p + HDR_CMD_LINE_PTR, 4, false) -
				  bp->mem), want, "x86_64: that command line in "
	       "boot_params");
out:
	kx_image_free(img);
	free(bz);
}

/* ---- arm64: RAM with holes, the crash region at start, middle, end ------ */

static struct kx_crash_note a64_cpus[2] = { { 0xbfe10000, 0x1a8 },
					    { 0xbfe30000, 0x1a8 } };
static const struct kx_crash_info a64_ci = {
	.cpus = a64_cpus, .ncpus = 2, .vmcoreinfo = { 0xbf000000, 0x1000 },
	.text_virt = 0xffff800008000000, .text_phys = 0x40200000,
	.text_size = 0x1c00000,
	.linear_offset = 0xfffeffffc0000000, .linear = true,
};

static void check_chosen(const void *fdt, uint64_t hdr, uint64_t cs,
			 uint64_t ce, const char *what)
{
	int node = fdt_path_offset(fdt, "/chosen"), len = 0;
	const uint8_t *v = fdt_getprop(fdt, node, "linux,elfcorehdr", &len);

	if (ok(v && len == 16, "%s: linux,elfcorehdr, 2+2 cells", what)) {
		is_u64(kx_get_uint(v, 8, true), hdr, "%s: ... the header's address", what);
		is_u64(kx_get_uint(v + 8, 8, true), 0x1000, "%s: ... its size", what);
	}
	v = fdt_getprop(fdt, node, "linux,usable-memory-range", &len);
	if (ok(v && len == 16, "%s: linux,usable-memory-range, one range", what)) {
		is_u64(kx_get_uint(v, 8, true), cs, "%s: ... the crash region's start", what);
		is_u64(kx_get_uint(v + 8, 8, true), ce - cs + 1, "%s: ... its size", what);
	}
}

static void test_arm64(void)
{
	static const struct {
		const char *what;
		struct r map[3];
		uint64_t ram[3][2];   /* the PT_LOADs of RAM */
		size_t nram;
	} cases[] = {
		{ "crash region at the start of RAM",
		  { { 0x40000000, 0xbfffffff, KX_MEM_RAM },
		    { 0x40000000, 0x4fffffff, KX_MEM_CRASH } },
		  { { 0x50000000, 0xbfffffff } }, 1 },
		{ "crash region in the middle, RAM with a hole",
		  { { 0x40000000, 0x7fffffff, KX_MEM_RAM },
		    { 0x60000000, 0x6fffffff, KX_MEM_CRASH },
		    { 0x90000000, 0xbfffffff, KX_MEM_RAM } },
		  { { 0x40000000, 0x5fffffff }, { 0x70000000, 0x7fffffff },
		    { 0x90000000, 0xbfffffff } }, 3 },
		{ "crash region at the end of RAM",
		  { { 0x40000000, 0xbfffffff, KX_MEM_RAM },
		    { 0xb0000000, 0xbfffffff, KX_MEM_CRASH } },
		  { { 0x40000000, 0xafffffff } }, 1 },
	};
	size_t alen = 0x30000;
	uint8_t *a = kx_fix_arm64_image(0, 0x200000, 0x2, alen);
	struct kx_inputs in = { .kernel = { "Image", a, alen } };
	struct kx_load_opts o = { .type = KX_IMAGE_CRASH, .crash = &a64_ci };

	for (size_t c = 0; c < KX_ARRAY_SIZE(cases); c++) {
		size_t nmap = cases[c].map[2].e ? 3 : 2;
		struct kx_image *img = image_on(cases[c].map, nmap);
		const struct kx_segment *h, *dtb;
		const struct r *cr = &cases[c].map[1];
		const char *w = cases[c].what;

		if (!is_int(kx_image_load_inputs(img, &o, &in), 0, "arm64, %s: %s",
			    w, kx_image_error(img))) {
			kx_image_free(img);
			continue;
		}
		h = seg_of(img, KX_SEG_ELFCOREHDR);
		dtb = seg_of(img, KX_SEG_DTB);
		if (ok(h && dtb, "%s: a header and a device tree", w)) {
			const uint8_t *p = h->buf;

			is_u64(h->mem, cr->e + 1 - 0x1000, "%s: the header in the "
			       "top page of the crash region", w);
			is_u64(kx_get_uint(p + 18, 2, false), 183, "%s: EM_AARCH64", w);
			is_u64(kx_get_uint(p + 56, 2, false), 4 + cases[c].nram,
			       "%s: e_phnum", w);
			check_phdr(phdr64(p, 0), PT_NOTE, 0, 0xbfe10000, 0x1a8, w);
			check_phdr(phdr64(p, 1), PT_NOTE, 0, 0xbfe30000, 0x1a8, w);
			check_phdr(phdr64(p, 2), PT_NOTE, 0, 0xbf000000, 0x1000, w);
			check_phdr(phdr64(p, 3), PT_LOAD, 0xffff800008000000,
				   0x40200000, 0x1c00000, w);
			for (size_t i = 0; i < cases[c].nram; i++) {
				uint64_t s = cases[c].ram[i][0], e = cases[c].ram[i][1];

				check_phdr(phdr64(p, 4 + i), PT_LOAD,
					   s + 0xfffeffffc0000000, s, e - s + 1, w);
			}
			check_chosen(dtb->buf, h->mem, cr->s, cr->e, w);
		}
		kx_image_free(img);
	}
	free(a);
}

/* A normal load from a tree a crash kernel booted with: both properties go. */
static void test_arm64_normal_drops(void)
{
	size_t alen = 0x30000;
	uint8_t *a = kx_fix_arm64_image(0, 0x200000, 0x2, alen);
	static uint64_t tree[512];
	fdt64_t two[2] = { cpu_to_fdt64(0x48000000), cpu_to_fdt64(0x1000) };
	struct kx_inputs in = { .kernel = { "Image", a, alen } };
	struct kx_load_opts o = { 0 };
	struct kx_image *img = new_image("1G@0x40000000");
	const struct kx_segment *dtb;
	int chosen;

	fdt_create_empty_tree(tree, sizeof(tree));
	fdt_setprop_u32(tree, 0, "#address-cells", 2);
	fdt_setprop_u32(tree, 0, "#size-cells", 2);
	chosen = fdt_add_subnode(tree, 0, "chosen");
	fdt_setprop(tree, chosen, "linux,elfcorehdr", two, sizeof(two));
	fdt_setprop(tree, chosen, "linux,usable-memory-range", two, sizeof(two));
	in.dtb = (struct kx_input){ "crash.dtb", tree, fdt_totalsize(tree) };
	if (is_int(kx_image_load_inputs(img, &o, &in), 0, "arm64: a normal load "
		   "from a crash kernel's tree: %s", kx_image_error(img))) {
		dtb = seg_of(img, KX_SEG_DTB);
		chosen = fdt_path_offset(dtb->buf, "/chosen");
		ok(!fdt_getprop(dtb->buf, chosen, "linux,elfcorehdr", NULL) &&
		   !fdt_getprop(dtb->buf, chosen, "linux,usable-memory-range", NULL),
		   "... has neither linux,elfcorehdr nor linux,usable-memory-range");
		ok(!seg_of(img, KX_SEG_ELFCOREHDR), "... and no core header");
	}
	kx_image_free(img);
	free(a);
}

/* ---- 32-bit ARM: ELF32, elfcorehdr= and mem= ------------------------------ */

static void test_arm(void)
{
	static const struct r map[] = {
		{ 0x40000000, 0x7fffffff, KX_MEM_RAM },
		{ 0x48000000, 0x4fffffff, KX_MEM_CRASH },
	};
	static const struct r high[] = {
		{ 0x40000000, 0x7fffffff, KX_MEM_RAM },
		{ 0x48000000, 0x4fffffff, KX_MEM_CRASH },
		{ 0x100000000, 0x13fffffff, KX_MEM_RAM },
	};
	static struct kx_crash_note cpus[1] = { { 0x7fe10000, 0xa0 } };
	static const struct kx_crash_info ci = {
		.cpus = cpus, .ncpus = 1, .vmcoreinfo = { 0x7f000000, 0x1000 },
		.linear_offset = 0x80000000, .linear = true,
	};
	size_t zlen = 0x400000;
	uint8_t *z = make_zimage(zlen);
	struct kx_input initrd = { "initrd", "0707010000", 10 };
	struct kx_inputs in = { .kernel = { "zImage", z, zlen },
				.initrds = &initrd, .ninitrds = 1 };
	struct kx_load_opts o = { .type = KX_IMAGE_CRASH,
				  .cmdline = "console=ttyAMA0", .crash = &ci };
	struct kx_image *img = image_on(map, 2);
	const struct kx_segment *h;
	char want[160];

	if (!is_int(kx_image_load_inputs(img, &o, &in), 0, "ARM crash load: %s",
		    kx_image_error(img)))
		goto out;
	h = seg_of(img, KX_SEG_ELFCOREHDR);
	if (!ok(h != NULL, "ARM: a header"))
		goto out;
	is_mem(h->buf, "\177ELF\1\1\1", 7, "ARM: ELF32 (the ARM kernel refuses "
	       "ELF64 core headers), little-endian");
	is_u64(kx_get_uint((const uint8_t *)h->buf + 18, 2, false), 40, "ARM: EM_ARM");
	is_u64(kx_get_uint((const uint8_t *)h->buf + 28, 4, false), 52, "ARM: e_phoff");
	is_u64(kx_get_uint((const uint8_t *)h->buf + 42, 2, false), 32,
	       "ARM: e_phentsize");
	is_u64(kx_get_uint((const uint8_t *)h->buf + 44, 2, false), 4, "ARM: e_phnum");
	check_phdr(phdr32(h->buf, 0), PT_NOTE, 0, 0x7fe10000, 0xa0, "ARM CPU notes");
	check_phdr(phdr32(h->buf, 1), PT_NOTE, 0, 0x7f000000, 0x1000, "ARM VMCOREINFO");
	check_phdr(phdr32(h->buf, 2), PT_LOAD, 0xc0000000, 0x40000000,
		   0x8000000, "ARM RAM below the crash region");
	check_phdr(phdr32(h->buf, 3), PT_LOAD, 0xd0000000, 0x50000000,
		   0x30000000, "ARM RAM above it");
	snprintf(want, sizeof(want), "console=ttyAMA0 elfcorehdr=0x%" PRIx64
		 " mem=0x%" PRIx64 "@0x48000000 mem=0x%" PRIx64 "@0x%" PRIx64,
		 h->mem, h->mem - 0x48000000, 0x4fffffff - h->mem - 0xfff,
		 h->mem + 0x1000);
	is_str(kx_image_cmdline(img), want, "ARM: elfcorehdr= and mem= for the "
	       "crash region less the header");
	kx_image_free(img);

	img = image_on(high, 3);
	is_int(kx_image_load_inputs(img, &o, &in), -ERANGE, "ARM with RAM above "
	       "4 GiB");
	is_str(kx_image_error(img), "RAM at 0x100000000-0x13fffffff is above "
	       "4 GiB, which a 32-bit ELF core header cannot describe (and arm "
	       "kernels refuse ELF64 ones)", "... says why");
	is_u64(kx_image_segment_count(img), 0, "... nothing loaded");
out:
	kx_image_free(img);
	free(z);
}

/* ---- what does not fit, what is missing --------------------------------- */

static void test_refusals(void)
{
	static const struct r small[] = {
		{ 0x40000000, 0x7fffffff, KX_MEM_RAM },
		{ 0x48000000, 0x483fffff, KX_MEM_CRASH },   /* 4 MiB */
	};
	static const struct r none[] = { { 0x40000000, 0x7fffffff, KX_MEM_RAM } };
	size_t alen = 0x30000;
	uint8_t *a = kx_fix_arm64_image(0, 0x200000, 0x2, alen);
	uint8_t *rd = calloc(1, 0x200000);
	struct kx_input initrd = { "initrd.img", rd, 0x200000 };
	struct kx_inputs in = { .kernel = { "Image", a, alen },
				.initrds = &initrd, .ninitrds = 1 };
	struct kx_load_opts o = { .type = KX_IMAGE_CRASH, .crash = &a64_ci };
	struct kx_image *img = image_on(small, 2);

	/* The kernel takes 2 MiB, the initrd the other 2: no page left. */
	is_int(kx_image_load_inputs(img, &o, &in), -ENOSPC,
	       "a crash region with no room left for the core header");
	is_str(kx_image_error(img), "no room in memory for the ELF core header "
	       "(4096 bytes, 4096-byte aligned) between 0x0 and "
	       "0xffffffffffffffff in the crash kernel region", "... names it");
	is_u64(kx_image_segment_count(img), 0, "... nothing loaded");
	initrd.len = 0x200001;
	is_int(kx_image_load_inputs(img, &o, &in), -ENOSPC,
	       "a crash region too small for the initrd");
	like(kx_image_error(img), "no room in memory for the initrd (2101248 "
	     "bytes", "... names the initrd");
	like(kx_image_error(img), "in the crash kernel region", "... and where");
	kx_image_free(img);

	img = image_on(none, 1);
	initrd.len = 10;
	is_int(kx_image_load_inputs(img, &o, &in), -ENOSPC,
	       "no crash region in the memory map");
	is_str(kx_image_error(img), "no crash kernel region in the memory map "
	       "to place the kernel in (boot the running kernel with "
	       "crashkernel=SIZE)", "... says to boot with crashkernel=");
	is_u64(kx_image_segment_count(img), 0, "... nothing loaded");
	kx_image_free(img);

	img = image_on(small, 2);
	o.crash = NULL;
	is_int(kx_image_load_inputs(img, &o, &in), -ENODATA,
	       "a crash load without the running kernel's crash data");
	is_str(kx_image_error(img), "a crash load needs the running kernel's "
	       "crash notes and VMCOREINFO (kx_load_opts.crash)", "... says so");
	is_u64(kx_image_segment_count(img), 0, "... nothing loaded");
	kx_image_free(img);
	free(a);
	free(rd);
}

/* ---- kx_crash_info_read on trees written here --------------------------- */

static void write_text(const char *root, const char *rel, const char *text)
{
	char path[512], dir[512], *slash;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	snprintf(dir, sizeof(dir), "%s", path);
	for (slash = dir + strlen(root) + 1; (slash = strchr(slash, '/')); slash++) {
		*slash = '\0';
		mkdir(dir, 0755);
		*slash = '/';
	}
	write_file(path, text, strlen(text));
}

/* A kcore's program headers: ELF64 (x86_64-like) or ELF32 (ARM-like). */
static void write_kcore(const char *root, bool is64)
{
	static const uint64_t l64[][3] = {   /* vaddr, paddr, size */
		{ 0xffffffff81000000, 0x2000000, 0x2a00000 },    /* text */
		{ 0xffffc90000000000, UINT64_MAX, 0x200000000 }, /* vmalloc */
		{ 0xffff888000001000, 0x1000, 0x9e000 },         /* RAM */
		{ 0xffff888000100000, 0x100000, 0xbfee0000 },
	};
	static const uint64_t l32[][3] = {
		{ 0xbf000000, UINT32_MAX, 0x1000000 },   /* modules */
		{ 0xc0000000, 0x40000000, 0x30000000 },  /* lowmem */
	};
	uint8_t buf[64 + 4 * 56] = { 0 };
	size_t n = is64 ? 4 : 2, eh = is64 ? 64 : 52, ph = is64 ? 56 : 32;
	char path[512];

	memcpy(buf, "\177ELF", 4);
	buf[4] = is64 ? 2 : 1;
	buf[5] = 1;
	put(buf, 16, 2, 4);
	put(buf, is64 ? 32 : 28, is64 ? 8 : 4, eh);
	put(buf, is64 ? 54 : 42, 2, ph);
	put(buf, is64 ? 56 : 44, 2, n);
	for (size_t i = 0; i < n; i++) {
		uint8_t *p = buf + eh + ph * i;
		const uint64_t *l = is64 ? l64[i] : l32[i];

		put(p, 0, 4, 1);
		if (is64) {
			put(p, 16, 8, l[0]);
			put(p, 24, 8, l[1]);
			put(p, 32, 8, l[2]);
			put(p, 40, 8, l[2]);
		} else {
			put(p, 8, 4, l[0]);
			put(p, 12, 4, l[1]);
			put(p, 16, 4, l[2]);
			put(p, 20, 4, l[2]);
		}
	}
	snprintf(path, sizeof(path), "%s/proc/kcore", root);
	write_file(path, buf, eh + ph * n);
}

static void test_info_read(void)
{
	char root[] = "/tmp/kx-crash-XXXXXX", path[600];
	struct kx_crash_info ci;

	if (!mkdtemp(root))
		abort();
	write_text(root, "sys/devices/system/cpu/possible", "0-2,4\n");
	write_text(root, "sys/devices/system/cpu/cpu0/crash_notes", "13ff10000\n");
	write_text(root, "sys/devices/system/cpu/cpu0/crash_notes_size", "424\n");
	write_text(root, "sys/devices/system/cpu/cpu1/crash_notes", "13ff30000\n");
	write_text(root, "sys/devices/system/cpu/cpu1/crash_notes_size", "424\n");
	/* cpu2: possible, never present: no files */
	write_text(root, "sys/devices/system/cpu/cpu4/crash_notes", "13ff90000\n");
	write_text(root, "sys/devices/system/cpu/cpu4/crash_notes_size", "424\n");
	write_text(root, "sys/kernel/vmcoreinfo", "0x0000000002b0e000 1000\n");
	mkdir(strcat(strcpy(path, root), "/proc"), 0755);
	write_kcore(root, true);
	if (is_int(kx_crash_info_read(&ci, root), 0, "crash data from a tree: %s",
		   ci.err)) {
		is_u64(ci.ncpus, 3, "three CPUs with crash notes (cpu2 has none)");
		is_u64(ci.cpus[0].addr, 0x13ff10000, "cpu0's notes");
		is_u64(ci.cpus[1].addr, 0x13ff30000, "cpu1's notes");
		is_u64(ci.cpus[2].addr, 0x13ff90000, "cpu4's notes");
		is_u64(ci.cpus[2].size, 424, "... 424 bytes");
		is_u64(ci.vmcoreinfo.addr, 0x2b0e000, "VMCOREINFO's address");
		is_u64(ci.vmcoreinfo.size, 0x1000, "VMCOREINFO's size (hex)");
		is_u64(ci.linear_offset, 0xffff888000000000, "kcore: the linear map");
		is_u64(ci.text_virt, 0xffffffff81000000, "kcore: the text's address");
		is_u64(ci.text_phys, 0x2000000, "kcore: ... its physical address");
		is_u64(ci.text_size, 0x2a00000, "kcore: ... its size");
	}
	kx_crash_info_release(&ci);

	write_kcore(root, false);
	if (is_int(kx_crash_info_read(&ci, root), 0, "an ELF32 kcore: %s", ci.err)) {
		is_u64(ci.linear_offset, 0x80000000, "ELF32 kcore: the linear map");
		is_u64(ci.text_size, 0, "ELF32 kcore: the text in the linear map");
	}
	kx_crash_info_release(&ci);

	/* No kcore (Debian's armhf kernel): a 32-bit linear map from the
	 * stack's top (TASK_SIZE less its randomisation) and the first RAM. */
	snprintf(path, sizeof(path), "%s/proc/kcore", root);
	unlink(path);
	write_text(root, "proc/self/maps", "00400000-00500000 r-xp 00000000 00:00 0 /x\n"
		   "bea1f000-bea40000 rw-p 00000000 00:00 0          [stack]\n"
		   "ffff0000-ffff1000 r-xp 00000000 00:00 0          [vectors]\n");
	write_text(root, "proc/iomem", "09000000-09000fff : pl011@9000000\n"
		   "40000000-7fffffff : System RAM\n  40008000-40ffffff : Kernel code\n");
	if (is_int(kx_crash_info_read(&ci, root), 0, "no kcore, 32-bit: %s", ci.err)) {
		is_u64(ci.linear_offset, 0x80000000, "no kcore: PAGE_OFFSET 0xc0000000 "
		       "less the first RAM 0x40000000");
		is_u64(ci.text_size, 0, "no kcore: no separate text");
	}
	kx_crash_info_release(&ci);
	snprintf(path, sizeof(path), "%s/proc/self/maps", root);
	unlink(path);
	is_int(kx_crash_info_read(&ci, root), -ENOENT, "no kcore and no maps");
	snprintf(path, sizeof(path), "%s/proc/kcore: cannot open: No such file "
		 "or directory (the crash kernel's dump needs the kernel's virtual "
		 "addresses)", root);
	is_str(ci.err, path, "... says kcore is missing");
	kx_crash_info_release(&ci);

	snprintf(path, sizeof(path), "%s/sys/kernel/vmcoreinfo", root);
	unlink(path);
	is_int(kx_crash_info_read(&ci, root), -ENOENT, "no vmcoreinfo");
	snprintf(path, sizeof(path), "%s/sys/kernel/vmcoreinfo: cannot read: "
		 "No such file or directory", root);
	is_str(ci.err, path, "... names the file");
	ok(!ci.cpus && !ci.ncpus, "... and keeps nothing");
	kx_crash_info_release(&ci);
	snprintf(path, sizeof(path), "rm -rf '%s'", root);
	if (system(path))
		diag("could not remove %s", root);
}

int main(void)
{
	test_x86_64();
	test_arm64();
	test_arm64_normal_drops();
	test_arm();
	test_refusals();
	test_info_read();
	return done_testing();
}
