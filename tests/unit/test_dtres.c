/* SPDX-License-Identifier: MIT */
/*
 * The device tree's reservations (lib/dt/reserve.c) kept clear by
 * placement: trees built here with libfdt's sequential writer, with
 * /memreserve/ entries and /reserved-memory children (1 and 2 cells, a reg
 * of two pairs, a disabled node, a size-only node), loaded from memory for
 * arm64 and 32-bit ARM onto a memory map that says nothing of them. Each
 * reservation sits exactly where the same load from the same tree without
 * them puts a segment (checked first), and every segment must move to the
 * address computed here. Then: the reservations reach the new kernel's
 * tree, --debug says each one, a second load adds nothing to the image's
 * map, and malformed trees are refused with their exact message and
 * nothing loaded.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "internal.h"
#include "load_helpers.h"
#include "tap.h"
#include "../../lib/dt/dt.h"

/* ---- inputs built here ----------------------------------------------- */

struct rnode {
	const char *name;
	uint32_t reg[8];       /* the cells of reg, as written */
	int ncells;            /* how many; 0: no reg */
	const char *status;    /* NULL: none */
	bool size_only;        /* a size property (and no reg) */
};

struct tree {
	int root_cells;        /* #address-cells = #size-cells of / */
	int rm_ac, rm_sc;      /* /reserved-memory's own; 0: not set */
	uint64_t rsv[4][2];    /* /memreserve/ entries: address, size */
	size_t nrsv;
	struct rnode nodes[6];
	size_t nnodes;         /* 0: no /reserved-memory */
};

static void cells_prop(void *b, const char *name, int v)
{
	fdt32_t c = cpu_to_fdt32((uint32_t)v);

	fdt_property(b, name, &c, 4);
}

static void *make_tree(const struct tree *t, size_t *len)
{
	static char b[8192] __attribute__((aligned(8)));   /* libfdt wants 8 */

	fdt_create(b, sizeof(b));
	for (size_t i = 0; i < t->nrsv; i++)
		fdt_add_reservemap_entry(b, t->rsv[i][0], t->rsv[i][1]);
	fdt_finish_reservemap(b);
	fdt_begin_node(b, "");
	cells_prop(b, "#address-cells", t->root_cells);
	cells_prop(b, "#size-cells", t->root_cells);
	fdt_property_string(b, "model", "reservations");
	fdt_begin_node(b, "chosen");
	fdt_end_node(b);
	if (t->nnodes) {
		fdt_begin_node(b, "reserved-memory");
		if (t->rm_ac)
			cells_prop(b, "#address-cells", t->rm_ac);
		if (t->rm_sc)
			cells_prop(b, "#size-cells", t->rm_sc);
		fdt_property(b, "ranges", NULL, 0);
		for (size_t i = 0; i < t->nnodes; i++) {
			const struct rnode *n = &t->nodes[i];
			fdt32_t reg[8], size[2] = { 0, cpu_to_fdt32(0x100000) };

			for (int c = 0; c < n->ncells; c++)
				reg[c] = cpu_to_fdt32(n->reg[c]);
			fdt_begin_node(b, n->name);
			if (n->ncells)
				fdt_property(b, "reg", reg, n->ncells * 4);
			if (n->size_only)
				fdt_property(b, "size", size, sizeof(size));
			if (n->status)
				fdt_property_string(b, "status", n->status);
			fdt_end_node(b);
		}
		fdt_end_node(b);
	}
	fdt_end_node(b);
	fdt_finish(b);
	*len = fdt_totalsize(b);
	return b;
}

#define IMG_LEN 0x30000

static void put_le(uint8_t *p, uint64_t off, unsigned n, uint64_t v)
{
	kx_put_uint(p + off, n, v, false);
}

/* A synthetic arm64 Image (booting.rst's header): text_offset 0,
 * image_size 2 MiB, 4K pages, placed anywhere. */
static uint8_t *make_image(size_t *len)
{
	uint8_t *p = calloc(1, IMG_LEN);

	if (!p)
		abort();
	put_le(p, 16, 8, 0x200000);
	put_le(p, 24, 8, 0xa);
	memcpy(p + 56, "ARMd", 4);
	*len = IMG_LEN;
	return p;
}

#define ZSIZE 0x300000

/* A zImage with Debian's kernel-size tag: text+data 0xc00000, bss
 * 0x40000, TEXT_OFFSET 0x208000, malloc 0x10000 (as test_arm.c's). */
static uint8_t *make_zimage(size_t *len)
{
	static const uint32_t tag[6] = { 6, 0x5a534c4b, ZSIZE - 0x100, 0x40000,
					 0x208000, 0x10000 };
	uint8_t *p = calloc(1, ZSIZE);

	if (!p)
		abort();
	put_le(p, 0x24, 4, 0x016f2818);
	put_le(p, 0x2c, 4, ZSIZE);
	put_le(p, 0x30, 4, 0x04030201);
	put_le(p, 0x34, 4, 0x45454545);
	put_le(p, 0x38, 4, 0x100);
	for (int i = 0; i < 6; i++)
		put_le(p, 0x100 + 4 * i, 4, tag[i]);
	put_le(p, ZSIZE - 0x100, 4, 0xc00000);
	*len = ZSIZE;
	return p;
}

/* ---- loads ------------------------------------------------------------ */

struct logbuf {
	char text[8192];
};

static void keep_log(void *arg, enum kx_log_level level, const char *msg)
{
	struct logbuf *l = arg;
	size_t n = strlen(l->text);

	(void)level;
	snprintf(l->text + n, sizeof(l->text) - n, "%s\n", msg);
}

static const uint8_t initrd_bytes[4096] = { 0x42 };

/* Loads a kernel for @arch with a 4 KiB initrd and @t as the tree, all
 * from memory, onto @ram (which says nothing of any reservation). */
static int load(struct kx_image *img, enum kx_arch arch, const struct tree *t,
		struct logbuf *log)
{
	size_t klen, dlen;
	uint8_t *k = arch == KX_ARCH_ARM ? make_zimage(&klen) : make_image(&klen);
	const void *dtb = make_tree(t, &dlen);
	struct kx_input initrd = { "initrd", initrd_bytes, sizeof(initrd_bytes) };
	struct kx_inputs in = {
		.kernel = { arch == KX_ARCH_ARM ? "zImage" : "Image", k, klen },
		.initrds = &initrd, .ninitrds = 1,
		.dtb = { "board.dtb", dtb, dlen },
	};
	struct kx_load_opts o = { .arch = arch, .cmdline = "console=ttyAMA0" };
	int rc;

	if (log) {
		log->text[0] = '\0';
		kx_image_set_log(img, keep_log, log);
	}
	rc = kx_image_load_inputs(img, &o, &in);
	free(k);   /* only the segments' addresses are read after this */
	return rc;
}

struct where {
	uint64_t kernel, initrd, dtb, purgatory_end;
};

/* Each segment's address; the purgatory's end, as its size is the build's. */
static struct where where(struct kx_image *img)
{
	const struct kx_segment *k = seg_of(img, KX_SEG_KERNEL);
	const struct kx_segment *i = seg_of(img, KX_SEG_INITRD);
	const struct kx_segment *d = seg_of(img, KX_SEG_DTB);
	const struct kx_segment *p = seg_of(img, KX_SEG_PURGATORY);

	return (struct where){ k ? k->mem : 0, i ? i->mem : 0, d ? d->mem : 0,
			       p ? p->mem + p->memsz : 0 };
}

static void is_where(struct kx_image *img, const struct where *w,
		     const char *name)
{
	struct where got = where(img);

	is_u64(got.kernel, w->kernel, "%s: the kernel at 0x%" PRIx64, name, w->kernel);
	is_u64(got.initrd, w->initrd, "%s: the initrd at 0x%" PRIx64, name, w->initrd);
	is_u64(got.dtb, w->dtb, "%s: the device tree at 0x%" PRIx64, name, w->dtb);
	is_u64(got.purgatory_end, w->purgatory_end,
	       "%s: the purgatory ends at 0x%" PRIx64, name, w->purgatory_end);
}

/* ---- arm64: 2 cells ---------------------------------------------------- */

/* 2 GiB from 0x40000000: without reservations the kernel is at the base,
 * the initrd in the last page, the tree in the 2 MiB block below it, and
 * the purgatory top-down under the initrd. */
static const struct tree arm64_tree = {
	.root_cells = 2, .rm_ac = 2, .rm_sc = 2,
	/* the initrd's page (an entry of size 0 would end the reserve
	 * map: libfdt, like the kernel, stops at the first) */
	.rsv = { { 0xbfff0000, 0x10000 } }, .nrsv = 1,
	.nodes = {
		/* two pairs: the tree's 2 MiB block (one page of it is
		 * enough) and the purgatory's place under the initrd's new
		 * page, 0xbffef000 */
		{ "fw@bfe00000", { 0, 0xbfe00000, 0, 0x1000,
				   0, 0xbff00000, 0, 0xef000 }, 8 },
		/* disabled: the tree's next block stays usable */
		{ "off@bfc00000", { 0, 0xbfc00000, 0, 0x200000 }, 4, "disabled" },
		/* no fixed address: nothing to avoid */
		{ "pool", { 0 }, 0, NULL, true },
		/* "okay" reserves: the kernel's place at the base of RAM */
		{ "low@40000000", { 0, 0x40000000, 0, 0x1000 }, 4, "okay" },
		/* a size of 0 reserves nothing */
		{ "empty@50000000", { 0, 0x50000000, 0, 0 }, 4 },
	},
	.nnodes = 5,
};

static void test_arm64(void)
{
	struct tree bare = { .root_cells = 2 };
	struct kx_image *img = new_image("2G@0x40000000");
	struct where natural = { 0x40000000, 0xbffff000, 0xbfe00000, 0xbffff000 };
	/* the kernel 2 MiB aligned above the reserved page; the initrd under
	 * the /memreserve/ entry; the tree in the block the disabled node
	 * names; the purgatory under the second pair of fw's reg */
	struct where moved = { 0x40200000, 0xbffef000, 0xbfc00000, 0xbff00000 };
	struct logbuf log;
	const struct kx_segment *d;
	uint64_t a, s;
	int n;

	if (is_int(load(img, KX_ARCH_ARM64, &bare, NULL), 0,
		   "arm64 without reservations: %s", kx_image_error(img)))
		is_where(img, &natural, "arm64 without reservations");
	if (!is_int(load(img, KX_ARCH_ARM64, &arm64_tree, &log), 0,
		    "arm64 with them: %s", kx_image_error(img)))
		goto out;
	is_where(img, &moved, "arm64 with reservations");

	like(log.text, "board.dtb: /memreserve/ entry 0 reserves "
	     "0xbfff0000-0xbfffffff: no segment goes there", "debug: entry 0");
	like(log.text, "board.dtb: /reserved-memory/empty@50000000: size 0, "
	     "nothing reserved", "debug: a pair of size 0 reserves nothing");
	like(log.text, "board.dtb: /reserved-memory/fw@bfe00000 reserves "
	     "0xbfe00000-0xbfe00fff", "debug: fw's first pair");
	like(log.text, "board.dtb: /reserved-memory/fw@bfe00000 reserves "
	     "0xbff00000-0xbffeefff", "debug: fw's second pair");
	like(log.text, "board.dtb: /reserved-memory/off@bfc00000: status "
	     "\"disabled\", nothing reserved", "debug: the disabled node");
	like(log.text, "board.dtb: /reserved-memory/pool: a size and no reg: "
	     "each kernel places it itself, nothing fixed to avoid",
	     "debug: the size-only node");
	like(log.text, "board.dtb: /reserved-memory/low@40000000 reserves "
	     "0x40000000-0x40000fff", "debug: the \"okay\" node");

	/* The new kernel gets the same reservations. */
	d = seg_of(img, KX_SEG_DTB);
	if (!d || !is_int(fdt_check_full(d->buf, d->bufsz), 0, "the tree handed on is sound"))
		goto out;
	is_int(fdt_num_mem_rsv(d->buf), 1, "its /memreserve/ has the entry");
	ok(!fdt_get_mem_rsv(d->buf, 0, &a, &s) && a == 0xbfff0000 && s == 0x10000,
	   "... 0xbfff0000 + 0x10000");
	{
		const fdt32_t *reg = fdt_getprop(d->buf, fdt_path_offset(d->buf,
				"/reserved-memory/fw@bfe00000"), "reg", &n);

		ok(reg && n == 32 && fdt32_ld(reg + 1) == 0xbfe00000 &&
		   fdt32_ld(reg + 5) == 0xbff00000 && fdt32_ld(reg + 7) == 0xef000,
		   "its /reserved-memory/fw@bfe00000 has both pairs");
	}

	/* The load's map has the reservations; loading again starts from
	 * the caller's map, so the same tree gives the same map. */
	n = (int)kx_memmap_count(img->memmap);
	is_int(n, 5, "the map: RAM and the 4 reserved ranges");
	if (is_int(load(img, KX_ARCH_ARM64, &arm64_tree, NULL), 0, "load again"))
		is_where(img, &moved, "arm64 loaded again");
	is_int((int)kx_memmap_count(img->memmap), n, "... adds no range twice");
	/* A tree without them, next, on the same image: nothing of the
	 * first tree's stays. */
	if (is_int(load(img, KX_ARCH_ARM64, &bare, NULL), 0,
		   "then without reservations: %s", kx_image_error(img)))
		is_where(img, &natural, "arm64 without them after a load with them");
	is_int((int)kx_memmap_count(img->memmap), 1,
	       "... the map is the caller's again: RAM only");
	/* A failed load leaves the caller's map too. */
	{
		struct tree hostile = arm64_tree;

		hostile.nodes[0].reg[2] = 0xffffffff;   /* past the address space */
		hostile.nodes[0].reg[3] = 0xffffffff;
		hostile.nodes[0].reg[1] = 0xffffffff;
		hostile.nodes[0].reg[0] = 0xffffffff;
		ok(load(img, KX_ARCH_ARM64, &hostile, NULL) < 0,
		   "a reservation past the end of the address space is refused: %s",
		   kx_image_error(img));
		is_int((int)kx_memmap_count(img->memmap), 1,
		       "... and the map is the caller's again");
	}
out:
	kx_image_free(img);
}

/* ---- 32-bit ARM: 1 cell ------------------------------------------------ */

/* 1 GiB from 0x40000000: the zImage above the decompressed kernel, the
 * initrd and the tree at the end of lowmem (0x70000000), the purgatory at
 * the end of RAM. */
static const struct tree arm_tree = {
	.root_cells = 1, .rm_ac = 1, .rm_sc = 1,
	.rsv = { { 0x7ff00000, 0x100000 } }, .nrsv = 1,
	.nodes = {
		{ "ramoops@6ff00000", { 0x6ff00000, 0x100000 }, 2 },
		{ "fw@40e48000", { 0x40e48000, 0x1000 }, 2 },
		{ "off@6fe00000", { 0x6fe00000, 0x100000 }, 2, "disabled" },
		{ "cma", { 0 }, 0, NULL, true },
	},
	.nnodes = 4,
};

static void test_arm(void)
{
	struct tree bare = { .root_cells = 1 };
	struct kx_image *img = new_image("1G@0x40000000");
	struct where natural = { 0x40e48000, 0x6ffff000, 0x6fffe000, 0x80000000 };
	/* the zImage one page up, the initrd and tree under ramoops (in the
	 * disabled node's range), the purgatory under the /memreserve/ */
	struct where moved = { 0x40e49000, 0x6feff000, 0x6fefe000, 0x7ff00000 };
	struct logbuf log;
	const struct kx_segment *d;
	uint64_t a, s;
	int n;

	if (is_int(load(img, KX_ARCH_ARM, &bare, NULL), 0,
		   "arm without reservations: %s", kx_image_error(img)))
		is_where(img, &natural, "arm without reservations");
	if (!is_int(load(img, KX_ARCH_ARM, &arm_tree, &log), 0,
		    "arm with them: %s", kx_image_error(img)))
		goto out;
	is_where(img, &moved, "arm with reservations");
	like(log.text, "board.dtb: /reserved-memory/ramoops@6ff00000 reserves "
	     "0x6ff00000-0x6fffffff", "debug: a 1-cell reg");
	d = seg_of(img, KX_SEG_DTB);
	ok(d && !fdt_get_mem_rsv(d->buf, 0, &a, &s) && a == 0x7ff00000 &&
	   s == 0x100000 && fdt_num_mem_rsv(d->buf) == 1,
	   "the tree handed on keeps the /memreserve/ entry");
	ok(d && fdt_getprop(d->buf, fdt_path_offset(d->buf,
			"/reserved-memory/ramoops@6ff00000"), "reg", &n) && n == 8,
	   "... and /reserved-memory/ramoops@6ff00000");
out:
	kx_image_free(img);
}

/* Cells /reserved-memory does not set are the root's; and a 1-cell
 * /reserved-memory under a 2-cell root reads 1-cell regs. */
static void test_cells(void)
{
	struct tree t = {
		.root_cells = 1,
		.nodes = { { "r@6ff00000", { 0x6ff00000, 0x100000 }, 2 } },
		.nnodes = 1,
	};
	struct kx_image *img = new_image("1G@0x40000000");

	if (is_int(load(img, KX_ARCH_ARM, &t, NULL), 0,
		   "a /reserved-memory without cells of its own: %s",
		   kx_image_error(img)))
		is_u64(where(img).initrd, 0x6feff000,
		       "... reads reg in the root's 1 cell");
	t.root_cells = 2;
	t.rm_ac = t.rm_sc = 1;
	if (is_int(load(img, KX_ARCH_ARM, &t, NULL), 0,
		   "1-cell /reserved-memory under a 2-cell root: %s",
		   kx_image_error(img)))
		is_u64(where(img).initrd, 0x6feff000, "... reads reg in its own 1 cell");
	kx_image_free(img);
}

/* ---- refusals ------------------------------------------------------------ */

static void test_bad(void)
{
	static const struct {
		const char *name;
		struct tree t;
		const char *msg;
	} cases[] = {
		{ "reg of 3 cells in a 2+2 tree", { .root_cells = 2, .rm_ac = 2, .rm_sc = 2,
		  .nodes = { { "bad@1000", { 0, 0x1000, 0x1000 }, 3 } }, .nnodes = 1 },
		  "board.dtb: device tree: /reserved-memory/bad@1000: reg is 12 bytes, "
		  "not a whole number of 16-byte entries (#address-cells 2, "
		  "#size-cells 2 of /reserved-memory)" },
		{ "second pair cut short", { .root_cells = 1, .rm_ac = 1, .rm_sc = 1,
		  .nodes = { { "ok@1000", { 0x1000, 0x1000 }, 2 },
			     { "bad@2000", { 0x2000, 0x1000, 0x3000 }, 3 } }, .nnodes = 2 },
		  "board.dtb: device tree: /reserved-memory/bad@2000: reg is 12 bytes, "
		  "not a whole number of 8-byte entries (#address-cells 1, "
		  "#size-cells 1 of /reserved-memory)" },
		{ "a size that wraps", { .root_cells = 2, .rm_ac = 2, .rm_sc = 2,
		  .nodes = { { "wrap@fffffffffff00000", { 0xffffffff, 0xfff00000,
							 0, 0x200000 }, 4 } }, .nnodes = 1 },
		  "board.dtb: device tree: /reserved-memory/wrap@fffffffffff00000: "
		  "0x200000 bytes at 0xfffffffffff00000 run past the end of the "
		  "address space" },
		{ "a /memreserve/ entry that wraps", { .root_cells = 2,
		  .rsv = { { 0x1000, 0x1000 }, { 0xfffffffffffff000, 0x2000 } }, .nrsv = 2 },
		  "board.dtb: device tree: /memreserve/ entry 1: 0x2000 bytes at "
		  "0xfffffffffffff000 run past the end of the address space" },
		{ "3 address cells", { .root_cells = 2, .rm_ac = 3, .rm_sc = 2,
		  .nodes = { { "r@0", { 0, 0, 0x1000, 0, 0x1000 }, 5 } }, .nnodes = 1 },
		  "board.dtb: device tree: /reserved-memory: #address-cells is 3: "
		  "kexload reads addresses and sizes of 1 or 2 cells" },
		{ "the root's 3 size cells", { .root_cells = 3, .rm_ac = 2,
		  .nodes = { { "r@0", { 0, 0x1000, 0, 0, 0x1000 }, 5 } }, .nnodes = 1 },
		  "board.dtb: device tree: /reserved-memory: #size-cells (the "
		  "root's) is 3: kexload reads addresses and sizes of 1 or 2 cells" },
	};

	for (size_t i = 0; i < KX_ARRAY_SIZE(cases); i++) {
		for (int a = 0; a < 2; a++) {
			enum kx_arch arch = a ? KX_ARCH_ARM : KX_ARCH_ARM64;
			struct kx_image *img = new_image(a ? "1G@0x40000000" :
							     "2G@0x40000000");
			const char *msg = cases[i].msg;

			is_int(load(img, arch, &cases[i].t, NULL), -EINVAL, "%s (%s): refused",
			       cases[i].name, kx_arch_name(arch));
			is_str(kx_image_error(img), msg, "%s (%s): message",
			       cases[i].name, kx_arch_name(arch));
			is_u64(kx_image_segment_count(img), 0, "%s (%s): nothing loaded",
			       cases[i].name, kx_arch_name(arch));
			kx_image_free(img);
		}
	}
}

/* An architecture without a device tree (x86_64) does not read one. */
static void test_not_dt_arch(void)
{
	struct kx_image *img = new_image("2G@0x40000000");
	size_t len;
	const void *dtb = make_tree(&arm64_tree, &len);

	img->arch = kx_arch_ops(KX_ARCH_X86_64);
	img->in.dtb = (struct kx_input){ "board.dtb", dtb, len };
	is_int(kx_dt_reserve(img), 0, "x86_64: the tree is not read");
	is_int((int)kx_memmap_count(img->memmap), 1, "... and nothing added");
	img->arch = kx_arch_ops(KX_ARCH_ARM64);
	is_int(kx_dt_reserve(img), 0, "arm64: the same tree is read");
	is_int((int)kx_memmap_count(img->memmap), 5, "... and its 4 ranges added");
	kx_image_free(img);
}

int main(void)
{
	test_arm64();
	test_arm();
	test_cells();
	test_bad();
	test_not_dt_arch();
	return done_testing();
}
