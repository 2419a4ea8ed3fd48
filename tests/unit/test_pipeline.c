/* SPDX-License-Identifier: MIT */
/*
 * The pipeline (lib/core/pipeline.c) and the operations the core gives
 * formats and architectures: every input as bytes (no files), initrds
 * concatenated, a format that brings its own initrd, the crash window on
 * every segment of every format, a purgatory an architecture fixes at an
 * address, symbols an architecture resolves for the relocator (both byte
 * orders), the image's architecture when none is asked for, and the
 * errno of every failed open kept. Inputs are built here, byte by byte.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"
#include "purgatory.h"
#include "reloc.h"
#include "tap.h"
#include "load_helpers.h"
#include "../fixtures/arm64.h"

#define MIB (1ULL << 20)

/* ---- inputs built here ---------------------------------------------------- */

static void put(uint8_t *p, uint64_t off, unsigned n, uint64_t v)
{
	kx_put_uint(p + off, n, v, false);
}

/* A zImage without extension tags: magic, start, end, endianness. */
static uint8_t *make_zimage(size_t n)
{
	uint8_t *p = calloc(1, n);

	if (!p)
		abort();
	put(p, 0x24, 4, 0x016f2818);
	put(p, 0x28, 4, 0);
	put(p, 0x2c, 4, n);
	put(p, 0x30, 4, 0x04030201);
	return p;
}

static struct kx_image *image_on(const char *const *ranges, size_t n)
{
	struct kx_memmap *map;
	struct kx_image *img;

	if (kx_memmap_new(&map) || kx_image_new(&img))
		abort();
	for (size_t i = 0; i < n; i += 3) {
		uint64_t s = strtoull(ranges[i], NULL, 0);
		uint64_t e = strtoull(ranges[i + 1], NULL, 0);

		if (kx_memmap_add(map, s, e, !strcmp(ranges[i + 2], "crash") ?
				  KX_MEM_CRASH : KX_MEM_RAM))
			abort();
	}
	if (kx_image_set_memmap(img, map))
		abort();
	kx_memmap_free(map);
	kx_image_set_random(img, fixed_random, NULL);
	return img;
}

/* ---- every input as bytes ------------------------------------------------ */

static void test_inputs_as_bytes(void)
{
	size_t klen = 0x30000;
	uint8_t *k = kx_fix_arm64_image(0, 0x100000, 0x2, klen);
	static const char a[] = "first initrd", b[] = "second!";
	struct kx_input initrds[2] = { { "a.cpio", a, sizeof(a) - 1 },
				       { "b.cpio", b, sizeof(b) - 1 } };
	struct kx_inputs in = { .kernel = { "Image-in-memory", k, klen },
				.initrds = initrds, .ninitrds = 2 };
	struct kx_load_opts o = { .cmdline = "console=ttyAMA0" };
	struct kx_image *img = new_image("1G@0x40000000");
	const struct kx_segment *s;
	uint8_t want[32] = { 0 };

	is_int(kx_image_load_inputs(img, &o, &in), 0,
	       "an arm64 Image and two initrds, all as bytes: %s",
	       kx_image_error(img));
	is_int(kx_image_arch(img), KX_ARCH_ARM64,
	       "no architecture asked: the image's own (arm64)");
	s = seg_of(img, KX_SEG_KERNEL);
	ok(s && s->buf == k, "the kernel segment points at the caller's "
	   "bytes (not copied)");
	s = seg_of(img, KX_SEG_INITRD);
	/* "first initrd" is 12 bytes: a multiple of 4, no padding; then
	 * "second!" */
	memcpy(want, a, 12);
	memcpy(want + 12, b, 7);
	if (ok(s != NULL, "one initrd segment")) {
		is_mem(s->buf, want, 19, "the initrds concatenated, in order");
		is_u64(s->bufsz, 19, "... 19 bytes");
	}

	/* 5 bytes then 7: the second starts 4-byte aligned after zeros. */
	initrds[0] = (struct kx_input){ "odd.cpio", "12345", 5 };
	is_int(kx_image_load_inputs(img, &o, &in), 0, "an initrd of 5 bytes "
	       "before another: %s", kx_image_error(img));
	s = seg_of(img, KX_SEG_INITRD);
	memset(want, 0, sizeof(want));
	memcpy(want, "12345", 5);
	memcpy(want + 8, b, 7);
	if (ok(s != NULL, "one initrd segment")) {
		is_mem(s->buf, want, 15, "padded with zeros to 4 bytes");
		is_u64(s->bufsz, 15, "... 15 bytes");
	}

	initrds[1].len = 0;
	is_int(kx_image_load_inputs(img, &o, &in), -EINVAL, "an empty initrd");
	is_str(kx_image_error(img), "b.cpio: the initrd is empty",
	       "... named in the message");
	is_u64(kx_image_segment_count(img), 0, "... nothing loaded");

	in.kernel.len = 0;
	is_int(kx_image_load_inputs(img, &o, &in), -ENOEXEC, "an empty kernel");
	is_str(kx_image_error(img), "Image-in-memory: file is empty",
	       "... named in the message");

	in.kernel.len = klen;
	o.arch = KX_ARCH_X86_64;
	is_int(kx_image_load_inputs(img, &o, &in), -ENOEXEC,
	       "an arm64 Image loaded for x86_64");
	is_str(kx_image_error(img), "Image-in-memory: is a kernel for arm64 "
	       "(arm64 Image), not for x86_64", "... refused, saying so");
	kx_image_free(img);
	free(k);
}

/* ---- a format that brings its own initrd ------------------------------- */

static int own_probe(struct kx_image *img, struct kx_reader *r,
		     struct kx_info *info)
{
	(void)img;
	(void)info;
	return r->len >= 8 && !memcmp(r->buf, "OWNINITR", 8) ? 0 : -ENOEXEC;
}

static int own_load(struct kx_image *img, struct kx_reader *r,
		    struct kx_boot *boot)
{
	uint64_t addr;
	int rc = kx_image_place(img, "the kernel", (struct kx_placed){
		.size = 2 * MIB, .align = 2 * MIB, .max = UINT64_MAX }, &addr);

	if (!rc)
		rc = kx_image_add_segment(img, r->buf, r->len, addr, 2 * MIB,
					  KX_SEG_KERNEL);
	if (!rc)
		rc = kx_image_add_format_initrd(img, "own (.initrd)",
						r->buf + 8, 8);
	boot->kernel = &img->seg[img->nseg - 1];
	boot->entry = addr;
	boot->initrd_req = (struct kx_placed){ .align = KX_PAGE_SIZE,
					       .max = UINT64_MAX,
					       .top_down = true };
	return rc;
}

static const struct kx_format own_format = {
	.name = "test format with an initrd", .arch = KX_ARCH_ARM64,
	.probe = own_probe, .load = own_load,
};

static void test_format_initrd(void)
{
	static const char kernel[16] = "OWNINITRfrom-fmt";
	static const struct kx_format *const table[] = { &own_format, NULL };
	struct kx_input user = { "user.cpio", "USER", 4 };
	struct kx_inputs in = { .kernel = { "own", kernel, sizeof(kernel) },
				.initrds = &user, .ninitrds = 1 };
	struct kx_load_opts o = { 0 };
	struct kx_image *img = new_image("1G@0x40000000");
	const struct kx_segment *s;

	img->formats = table;
	is_int(kx_image_load_inputs(img, &o, &in), 0,
	       "a format that adds an initrd of its own: %s",
	       kx_image_error(img));
	s = seg_of(img, KX_SEG_INITRD);
	if (ok(s != NULL, "one initrd segment"))
		is_mem(s->buf, "from-fmtUSER", 12,
		       "the format's initrd first, then the user's");
	in.ninitrds = 0;
	is_int(kx_image_load_inputs(img, &o, &in), 0, "without --initrd: %s",
	       kx_image_error(img));
	s = seg_of(img, KX_SEG_INITRD);
	if (ok(s != NULL, "the format's initrd alone")) {
		is_mem(s->buf, "from-fmt", 8, "... as it is");
		ok(s->buf == kernel + 8, "... not copied");
	}
	kx_image_free(img);
}

/* ---- the crash window, every segment of every format --------------------- */

static void check_crash(struct kx_image *img, const char *what, uint64_t lo,
			uint64_t hi)
{
	size_t n = kx_image_segment_count(img);
	bool inside = n > 0;

	for (size_t i = 0; i < n; i++) {
		const struct kx_segment *s = kx_image_segment(img, i);

		if (s->mem < lo || s->mem + s->memsz - 1 > hi) {
			diag("%s: %s segment at 0x%" PRIx64 "-0x%" PRIx64
			     " is outside the crash region", what,
			     kx_segment_kind_name(s->kind), s->mem,
			     s->mem + s->memsz - 1);
			inside = false;
		}
	}
	ok(inside, "%s: all %zu segments, the purgatory included, inside "
	   "the crash region 0x%" PRIx64 "-0x%" PRIx64, what, n, lo, hi);
	is_u64(kx_image_kexec_flags(img) & 1, 1, "%s: KEXEC_ON_CRASH", what);
}

static void test_crash_window(void)
{
	static const char *const x86[] = {
		"0x100000", "0xbfffffff", "ram",
		"0x30000000", "0x37ffffff", "crash" };
	static const char *const arm[] = {
		"0x40000000", "0x7fffffff", "ram",
		"0x48000000", "0x4fffffff", "crash" };
	size_t blen, zlen = 0x400000, alen = 0x30000;
	uint8_t *bz = make_bzimage(&blen), *z = make_zimage(zlen);
	uint8_t *a = kx_fix_arm64_image(0, 0x200000, 0x2, alen);
	struct kx_input initrd = { "initrd", "0707010000", 10 };
	struct kx_inputs in = { .initrds = &initrd, .ninitrds = 1 };
	static struct kx_crash_note cpus[1] = { { 0x1000000, 0x400 } };
	static const struct kx_crash_info ci = { .cpus = cpus, .ncpus = 1,
						 .linear = true };
	struct kx_load_opts o = { .type = KX_IMAGE_CRASH,
				  .cmdline = "maxcpus=1", .crash = &ci };
	struct kx_image *img = image_on(x86, 6);

	in.kernel = (struct kx_input){ "bzImage", bz, blen };
	if (is_int(kx_image_load_inputs(img, &o, &in), 0,
		   "a crash load of a bzImage: %s", kx_image_error(img)))
		check_crash(img, "bzImage", 0x30000000, 0x37ffffff);
	o.type = KX_IMAGE_NORMAL;
	is_int(kx_image_load_inputs(img, &o, &in), 0, "the same, normal: %s",
	       kx_image_error(img));
	ok(seg_of(img, KX_SEG_KERNEL)->mem < 0x30000000 ||
	   seg_of(img, KX_SEG_INITRD)->mem > 0x37ffffff,
	   "... a normal load is not confined to it");
	kx_image_free(img);

	o.type = KX_IMAGE_CRASH;
	img = image_on(arm, 6);
	in.kernel = (struct kx_input){ "Image", a, alen };
	if (is_int(kx_image_load_inputs(img, &o, &in), 0,
		   "a crash load of an arm64 Image: %s", kx_image_error(img)))
		check_crash(img, "arm64 Image", 0x48000000, 0x4fffffff);
	in.kernel = (struct kx_input){ "zImage", z, zlen };
	if (is_int(kx_image_load_inputs(img, &o, &in), 0,
		   "a crash load of a zImage: %s", kx_image_error(img)))
		check_crash(img, "zImage", 0x48000000, 0x4fffffff);
	kx_image_free(img);

	/* Too small: 1 MiB of crash region for a 2 MiB-aligned kernel. */
	{
		static const char *const tiny[] = {
			"0x40000000", "0x7fffffff", "ram",
			"0x48000000", "0x480fffff", "crash" };

		img = image_on(tiny, 6);
		in.kernel = (struct kx_input){ "Image", a, alen };
		is_int(kx_image_load_inputs(img, &o, &in), -ENOSPC,
		       "a crash region too small for the kernel");
		like(kx_image_error(img), "no room in memory for the kernel "
		     "(2097152 bytes, 2097152-byte aligned) between 0x0 and "
		     "0xffffffffffffffff in the crash kernel region",
		     "... says what did not fit, and where");
		is_u64(kx_image_segment_count(img), 0, "... nothing loaded");
		kx_image_free(img);
	}
	/* An architecture whose boot stage cannot hand a crash kernel its
	 * core header: refused, not loaded without one. */
	{
		struct kx_arch_ops nocrash = *kx_arch_ops(KX_ARCH_ARM64);

		nocrash.crash = false;
		img = image_on(arm, 6);
		img->opts = o;
		img->arch = &nocrash;
		is_int(kx_crash_load(img), -ENOTSUP,
		       "a crash load where the architecture has no hand-over");
		is_str(kx_image_error(img), "crash (kdump) kernels are not "
		       "supported on arm64 yet", "... says so");
		img->arch = NULL;
		kx_image_free(img);
	}
	free(bz);
	free(z);
	free(a);
}

/* ---- the purgatory at an address the architecture fixes ---------------- */

static void test_fixed_purgatory(void)
{
	struct kx_arch_ops fixed = *kx_arch_ops(KX_ARCH_X86_64);
	struct kx_image *img = new_image("1G@0");
	struct kx_purgatory p;
	const struct kx_segment *s;

	fixed.purgatory_fixed = 0x7000000;
	img->arch = &fixed;
	is_int(kx_purgatory_load(img), 0, "a purgatory fixed at 0x7000000: %s",
	       kx_image_error(img));
	s = kx_image_segment(img, 0);
	if (ok(s && s->kind == KX_SEG_PURGATORY, "it is the one segment")) {
		is_u64(s->mem, 0x7000000, "placed at the fixed address");
		if (!kx_purgatory_open(&p, &fixed) &&
		    !kx_purgatory_relocate(&p, 0x7000000) &&
		    is_u64(s->bufsz, p.bufsz, "its size")) {
			/* kx_digest_count and the registers differ; the code
			 * is relocated the same: compare the first 64 bytes */
			is_mem(s->buf, p.buf, 64, "relocated there");
		}
		kx_purgatory_close(&p);
	}
	kx_image_reset(img);

	/* Fixed where a segment already is. */
	img->arch = &fixed;
	kx_image_add_segment(img, "x", 1, 0x7001000, 0x1000, KX_SEG_OTHER);
	is_int(kx_purgatory_load(img), -ENOSPC, "fixed over a segment");
	like(kx_image_error(img), "no room in memory for the purgatory",
	     "... says it does not fit there");
	kx_image_reset(img);

	fixed.purgatory_fixed = 0x7000100;
	img->arch = &fixed;
	is_int(kx_purgatory_load(img), -EINVAL, "fixed at a misaligned address");
	like(kx_image_error(img), "purgatory: x86_64 fixes it at 0x7000100, not",
	     "... saying so");
	kx_image_reset(img);

	fixed.purgatory_fixed = 0;
	fixed.purgatory_min = 0x20000000;
	fixed.purgatory_max = 0x20ffffff;
	img->arch = &fixed;
	is_int(kx_purgatory_load(img), 0, "a window 0x20000000-0x20ffffff: %s",
	       kx_image_error(img));
	s = kx_image_segment(img, 0);
	ok(s && s->mem >= 0x20000000 && s->mem + s->memsz - 1 <= 0x20ffffff,
	   "placed inside the window (top-down: 0x%" PRIx64 ")", s ? s->mem : 0);
	kx_image_free(img);
}

/* ---- symbols the architecture resolves -------------------------------- */

/* A relocatable object: .text (16 bytes), .rela.text with one ABS64 at 0
 * against the undefined "kx_ext" + 8, .symtab, .strtab, .shstrtab. */
static size_t make_object(uint8_t *o, bool be)
{
	static const char shstr[] = "\0.text\0.rela.text\0.symtab\0.strtab\0"
				    ".shstrtab";
	static const char str[] = "\0kx_ext\0purgatory_start";
	const uint64_t text = 64, rela = 80, sym = 104, strt = 176,
		       shs = strt + sizeof(str), sh = 256;
	struct { uint32_t name, type; uint64_t flags, off, size; uint32_t link,
		 info; uint64_t align, entsize; } s[6] = {
		{ 0 },
		{ 1, 1, 6, text, 16, 0, 0, 16, 0 },
		{ 7, 4, 0, rela, 24, 3, 1, 8, 24 },
		{ 18, 2, 0, sym, 72, 4, 2, 8, 24 },
		{ 26, 3, 0, strt, sizeof(str), 0, 0, 1, 0 },
		{ 34, 3, 0, shs, sizeof(shstr), 0, 0, 1, 0 },
	};

	memset(o, 0, sh + 6 * 64);
	memcpy(o, "\x7f" "ELF\x02", 5);
	o[5] = be ? 2 : 1;
	o[6] = 1;
	kx_put_uint(o + 16, 2, 1, be);          /* ET_REL */
	kx_put_uint(o + 18, 2, 0x4b58, be);     /* a machine for the test */
	kx_put_uint(o + 20, 4, 1, be);
	kx_put_uint(o + 40, 8, sh, be);
	kx_put_uint(o + 52, 2, 64, be);
	kx_put_uint(o + 58, 2, 64, be);
	kx_put_uint(o + 60, 2, 6, be);
	kx_put_uint(o + 62, 2, 5, be);
	kx_put_uint(o + rela, 8, 0, be);                  /* r_offset */
	kx_put_uint(o + rela + 8, 8, 1ULL << 32 | 1, be); /* sym 1, type 1 */
	kx_put_uint(o + rela + 16, 8, 8, be);             /* addend */
	kx_put_uint(o + sym + 24, 4, 1, be);              /* kx_ext */
	o[sym + 24 + 4] = 0x10;                           /* GLOBAL NOTYPE */
	kx_put_uint(o + sym + 48, 4, 8, be);              /* purgatory_start */
	o[sym + 48 + 4] = 0x12;                           /* GLOBAL FUNC */
	kx_put_uint(o + sym + 48 + 6, 2, 1, be);          /* in .text */
	memcpy(o + strt, str, sizeof(str));
	memcpy(o + shs, shstr, sizeof(shstr));
	for (int i = 0; i < 6; i++) {
		uint8_t *h = o + sh + 64 * i;

		kx_put_uint(h, 4, s[i].name, be);
		kx_put_uint(h + 4, 4, s[i].type, be);
		kx_put_uint(h + 8, 8, s[i].flags, be);
		kx_put_uint(h + 24, 8, s[i].off, be);
		kx_put_uint(h + 32, 8, s[i].size, be);
		kx_put_uint(h + 40, 4, s[i].link, be);
		kx_put_uint(h + 44, 4, s[i].info, be);
		kx_put_uint(h + 48, 8, s[i].align, be);
		kx_put_uint(h + 56, 8, s[i].entsize, be);
	}
	return sh + 6 * 64;
}

static const struct kx_reloc_map test_relocs[] = { { 1, KX_R_ABS64 } };

static int test_apply(struct kx_purgatory *p, const struct kx_reloc *rel)
{
	return kx_reloc_by_table(p, rel, test_relocs, 1);
}

static int test_resolve(struct kx_purgatory *p, const char *name,
			uint64_t *addr)
{
	/* A TOC-like base: relative to where the purgatory is. */
	if (strcmp(name, "kx_ext"))
		return -ENOENT;
	*addr = p->base + 0x8000;
	return 0;
}

static void test_resolve_symbols(void)
{
	for (int be = 0; be < 2; be++) {
		static uint8_t obj[1024];
		static size_t size;
		struct kx_arch_ops a = { .name = "test", .elf_machine = 0x4b58,
					 .elf64 = true, .big_endian = be,
					 .purgatory = obj,
					 .purgatory_size = &size,
					 .apply_reloc = test_apply };
		struct kx_purgatory p;
		const char *order = be ? "big-endian" : "little-endian";

		size = make_object(obj, be);
		if (!is_int(kx_purgatory_open(&p, &a), 0, "%s object: %s",
			    order, p.err))
			continue;
		is_int(kx_purgatory_relocate(&p, 0x100000), -ENOEXEC,
		       "%s: without a resolver, an undefined symbol", order);
		is_str(p.err, "purgatory: symbol kx_ext is undefined",
		       "... is named");
		kx_purgatory_close(&p);

		a.resolve = test_resolve;
		kx_purgatory_open(&p, &a);
		is_int(kx_purgatory_relocate(&p, 0x100000), 0,
		       "%s: resolved by the architecture: %s", order, p.err);
		is_u64(kx_get_uint(p.buf, 8, be), 0x108008,
		       "%s: S + A written in the target's byte order", order);
		kx_purgatory_close(&p);
		kx_purgatory_open(&p, &a);
		kx_purgatory_relocate(&p, 0x7ff00000);
		is_u64(kx_get_uint(p.buf, 8, be), 0x7ff08008,
		       "%s: ... and at another base", order);
		kx_purgatory_close(&p);
	}
}

/* ---- a load without checks computes no digests ------------------------- */

static void test_no_digests(void)
{
	size_t klen = 0x30000;
	uint8_t *k = kx_fix_arm64_image(0, 0x100000, 0x2, klen);
	struct kx_inputs in = { .kernel = { "Image", k, klen } };
	struct kx_load_opts o = { .no_checks = true };
	struct kx_image *img = new_image("1G@0x40000000");
	static const uint8_t zero[KX_SHA256_LEN];
	uint8_t want[KX_SHA256_LEN];
	bool none = true;

	is_int(kx_image_load_inputs(img, &o, &in), 0, "--no-checks: loads");
	kx_sha256(k, klen, want);
	is_mem(kx_image_segment(img, 0)->sha256, want, KX_SHA256_LEN,
	       "... a plan still shows the kernel's digest");
	o.no_digests = true;
	is_int(kx_image_load_inputs(img, &o, &in), 0,
	       "--no-checks, no digests: loads");
	for (size_t i = 0; i < kx_image_segment_count(img); i++)
		none &= !memcmp(kx_image_segment(img, i)->sha256, zero,
				KX_SHA256_LEN) &&
			!kx_image_segment(img, i)->checked;
	ok(none, "... none of the %zu segments is hashed or checked",
	   kx_image_segment_count(img));
	o.no_checks = false;
	is_int(kx_image_load_inputs(img, &o, &in), 0,
	       "no_digests without no_checks: loads");
	is_mem(kx_image_segment(img, 0)->sha256, want, KX_SHA256_LEN,
	       "... and the check's digests are there (it means nothing then)");
	kx_image_free(img);
	free(k);
}

/* ---- the longest command line each architecture's kernels take -------- */

static void test_cmdline_max(void)
{
	static const struct {
		const char *what;
		enum kx_arch arch;
		size_t max;
	} cases[] = {
		{ "arm64 (COMMAND_LINE_SIZE 2048)", KX_ARCH_ARM64, 2047 },
		{ "arm (COMMAND_LINE_SIZE 1024)", KX_ARCH_ARM, 1023 },
	};
	size_t alen = 0x30000, zlen = 0x400000;
	uint8_t *a = kx_fix_arm64_image(0, 0x200000, 0x2, alen);
	uint8_t *z = make_zimage(zlen);
	char *line = malloc(4096);

	for (size_t i = 0; i < KX_ARRAY_SIZE(cases); i++) {
		struct kx_image *img = new_image("1G@0x40000000");
		struct kx_inputs in = { .kernel = { "vmlinuz",
			cases[i].arch == KX_ARCH_ARM64 ? a : z,
			cases[i].arch == KX_ARCH_ARM64 ? alen : zlen } };
		struct kx_load_opts o = { .cmdline = line };
		char want[128];

		memset(line, 'c', cases[i].max);
		line[cases[i].max] = '\0';
		is_int(kx_image_load_inputs(img, &o, &in), 0, "%s: %zu characters "
		       "load: %s", cases[i].what, cases[i].max,
		       kx_image_error(img));
		strcpy(line + cases[i].max, "c");
		is_int(kx_image_load_inputs(img, &o, &in), -E2BIG,
		       "%s: one more is refused", cases[i].what);
		snprintf(want, sizeof(want), "the command line is %zu bytes; this "
			 "kernel takes at most %zu", cases[i].max + 1,
			 cases[i].max);
		is_str(kx_image_error(img), want, "... saying so");
		is_u64(kx_image_segment_count(img), 0, "... nothing loaded");
		kx_image_free(img);
	}
	free(line);
	free(a);
	free(z);
}

/* ---- errno of each failed open ------------------------------------------ */

struct open_case {
	const char *what;
	int field;   /* 0 kernel, 1 initrd, 2 dtb */
};

static int load_paths(struct kx_image *img, int field, const char *path,
		      const char *kernel)
{
	struct kx_load_opts o = { .kernel = kernel };

	if (field == 0)
		o.kernel = path;
	else if (field == 1)
		o.initrd = path;
	else
		o.dtb = path;
	return kx_image_load(img, &o);
}

static void test_open_errors(const char *dir, const char *kernel)
{
	static const char *const fields[] = { "kernel", "initrd", "dtb" };
	char missing[300], secret[300], want[400];
	int fd;

	snprintf(missing, sizeof(missing), "%s/missing", dir);
	snprintf(secret, sizeof(secret), "%s/secret", dir);
	fd = open(secret, O_WRONLY | O_CREAT | O_TRUNC, 0);
	if (fd < 0 || write(fd, "x", 1) != 1)
		abort();
	close(fd);
	for (int f = 0; f < 3; f++) {
		struct kx_image *img = new_image("1G@0x40000000");
		pid_t pid;
		int st;

		is_int(load_paths(img, f, missing, kernel), -ENOENT,
		       "%s missing: -ENOENT", fields[f]);
		snprintf(want, sizeof(want), "%s: cannot open: No such file or "
			 "directory", missing);
		is_str(kx_image_error(img), want, "... and says so");
		is_int(load_paths(img, f, dir, kernel), -EISDIR,
		       "%s a directory: -EISDIR", fields[f]);
		snprintf(want, sizeof(want), "%s: cannot read: Is a directory",
			 dir);
		is_str(kx_image_error(img), want, "... and says so");
		is_u64(kx_image_segment_count(img), 0, "... nothing loaded");
		/* Unreadable: as an unprivileged user, root reads anything. */
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			char expect[400];

			if (getuid() == 0 && (setgid(65534) || setuid(65534)))
				_exit(3);
			snprintf(expect, sizeof(expect), "%s: cannot open: "
				 "Permission denied", secret);
			_exit(load_paths(img, f, secret, kernel) == -EACCES &&
			      !strcmp(kx_image_error(img), expect) ? 0 : 1);
		}
		waitpid(pid, &st, 0);
		ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		   "%s unreadable: -EACCES, \"Permission denied\" (exit %d)",
		   fields[f], WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		kx_image_free(img);
	}
	unlink(secret);
}

int main(void)
{
	char dir[] = "/tmp/kx-pipeline-XXXXXX", kernel[64];
	size_t klen = 0x30000;
	uint8_t *k = kx_fix_arm64_image(0, 0x100000, 0x2, klen);
	FILE *f;

	test_inputs_as_bytes();
	test_format_initrd();
	test_crash_window();
	test_fixed_purgatory();
	test_resolve_symbols();
	test_cmdline_max();
	test_no_digests();
	/* The directory must be searchable by the unprivileged child. */
	if (!mkdtemp(dir) || chmod(dir, 0755))
		abort();
	snprintf(kernel, sizeof(kernel), "%s/Image", dir);
	f = fopen(kernel, "wb");
	if (!f || fwrite(k, 1, klen, f) != klen || fclose(f))
		abort();
	test_open_errors(dir, kernel);
	unlink(kernel);
	rmdir(dir);
	free(k);
	return done_testing();
}
