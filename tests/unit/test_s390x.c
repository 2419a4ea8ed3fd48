/* SPDX-License-Identifier: MIT */
/*
 * s390x: the embedded purgatory relocated at two bases, every field its
 * RELA relocations touch decoded again here and compared with the
 * zSeries ELF ABI's formulas; the purgatory placed at the architecture's
 * fixed address (0x2000) and relocated there; the s390 image format
 * (lib/formats/s390_image.c) and its parameter area
 * (lib/arch/s390x/boot.c) on synthetic images built here: the layout, the
 * parameter area's words and command line against the image's own bytes,
 * command lines at and beyond the size the image announces (and the
 * legacy 896 where it announces none), hostile and truncated images, an
 * initrd that does not fit, and inspect. The s390x ELF kernel
 * (lib/formats/elf_kernel.c) on executables built with binutils' s390x
 * tools (tests/fixtures/s390_elf.s): loaded like the image objcopy makes
 * of it, and refused when it does not start at 0, is of 31 bits, is for
 * another machine or is truncated. Crash (kdump) loads: every segment at
 * its address from the crash region's start, the parameter area's
 * initrd start as the kernel sees it after the swap and its old-memory
 * fields, no core header, the purgatory's crash region, its own place and
 * the kdump entry; crash regions too small or missing.
 */
#include <stdlib.h>

#include "internal.h"
#include "purgatory.h"
#include "load_helpers.h"
#include "reloc_helpers.h"
#include "tap.h"

#define R_390_64 22
#define R_390_PC16DBL 17
#define R_390_PC32DBL 19
#define R_390_PLT32DBL 20
#define PARM 0x10400
#define CMDLINE 0x10480
#define IMG_LEN 0x30000
#define VERSION_AT 0x18000

static const uint64_t bases[2] = { 0x2000, 0x7fff0000 };

static uint64_t be(const uint8_t *p, unsigned n)
{
	return kx_get_uint(p, n, true);
}

/* 1: the relocated field at @now is right, 0: wrong, -1: unknown type. */
static int check_field(uint32_t type, const uint8_t *now, uint64_t S,
		       int64_t A, uint64_t P)
{
	int64_t d = (int64_t)(S + (uint64_t)A - P);

	switch (type) {
	case R_390_64:
		return be(now, 8) == S + (uint64_t)A;
	case R_390_PC16DBL:
		return sext(be(now, 2), 16) * 2 == d;
	case R_390_PC32DBL:
	case R_390_PLT32DBL:
		return sext(be(now, 4), 32) * 2 == d;
	}
	return -1;
}

static int check_rela(const struct rela_field *f)
{
	return check_field(f->type, f->loc, f->S, f->A, f->P);
}

static void test_purgatory_relocation(void)
{
	const struct kx_arch_ops *arch = kx_arch_ops(KX_ARCH_S390X);
	struct kx_purgatory p[2];
	struct tally t = { 0 };
	struct kx_elf e;

	if (!ok(arch != NULL, "the s390x architecture is in the table"))
		return;
	for (int b = 0; b < 2; b++) {
		is_int(kx_purgatory_open(&p[b], arch), 0, "open the s390x purgatory");
		is_int(kx_purgatory_relocate(&p[b], bases[b]), 0,
		       "relocate it at 0x%" PRIx64 ": %s", bases[b],
		       p[b].err[0] ? p[b].err : "every relocation resolved");
	}
	e = p[0].elf;
	ok(e.big_endian && e.is64 && e.machine == 22,
	   "it is a big-endian ELF64 object for EM_S390");
	check_relas(p, bases, 0, check_rela, &t);
	note("%u relocations of %u types", t.n, t.types);
	ok(t.n > 100 && t.types >= 3, "the object has relocations of several types");
	is_u64(t.unknown, 0, "every relocation is of a type this test decodes");
	is_u64(t.bad, 0, "every relocated field decodes to its formula at both bases");
	for (int b = 0; b < 2; b++)
		kx_purgatory_close(&p[b]);
}

/* Relocations the purgatory cannot satisfy are refused with a message. */
static void test_reloc_refused(void)
{
	const struct kx_arch_ops *arch = kx_arch_ops(KX_ARCH_S390X);
	struct kx_purgatory p;
	uint8_t f[4] = { 0 };
	struct kx_reloc far = { .type = R_390_PC32DBL, .S = 0x200000000ULL,
				.P = 0x2000, .loc = f, .room = 4 };
	struct kx_reloc odd = { .type = R_390_PC16DBL, .S = 0x2001, .P = 0x2000,
				.loc = f, .room = 2 };
	struct kx_reloc weird = { .type = 8 /* R_390_PLT32 */, .S = 0x3000,
				  .P = 0x2000, .loc = f, .room = 4 };

	if (kx_purgatory_open(&p, arch))
		abort();
	is_int(arch->apply_reloc(&p, &far), -ERANGE, "a PC32DBL beyond 4 GiB: refused");
	is_str(p.err, "purgatory: s390x relocation type 19 at 0x2000 cannot "
	       "reach 0x200000000", "... saying so");
	is_int(arch->apply_reloc(&p, &odd), -ENOEXEC, "an odd DBL distance: refused");
	is_str(p.err, "purgatory: s390x relocation type 17 at 0x2000 has an "
	       "odd distance", "... saying so");
	is_int(arch->apply_reloc(&p, &weird), -ENOEXEC, "an unknown type: refused");
	is_str(p.err, "purgatory: s390x relocation type 8 is not supported",
	       "... saying so");
	kx_purgatory_close(&p);
}

/* A synthetic s390 image of @len bytes: the IPL PSW and CCWs, the entry
 * marker, a parameter area announcing @max (0: none), a default command
 * line, a version string, and a byte pattern everywhere else. */
static uint8_t *make_image(size_t len, uint64_t max)
{
	static const uint8_t head[24] = {
		0x00, 0x08, 0x00, 0x00, 0x80, 0x00, 0x02, 0x00,
		0x02, 0x00, 0x00, 0x18, 0x60, 0x00, 0x00, 0x50,
		0x02, 0x00, 0x00, 0x68, 0x60, 0x00, 0x00, 0x50 };
	uint8_t *k = malloc(len);

	if (!k)
		abort();
	for (size_t i = 0; i < len; i++)
		k[i] = (uint8_t)(i * 7 + (i >> 8));
	memcpy(k, head, sizeof(head));
	if (len >= 0x10010)
		memcpy(k + 0x10008, "S390EP\0\1", 8);
	if (len >= CMDLINE) {
		memset(k + PARM, 0, CMDLINE - PARM);
		kx_put_uint(k + PARM + 0x28, 8, len > VERSION_AT + 64 ?
			    VERSION_AT : 0, true);
		kx_put_uint(k + PARM + 0x30, 8, max, true);
	}
	if (len >= CMDLINE + 32)
		memcpy(k + CMDLINE, "root=/dev/ram0 ro", 18);
	if (len > VERSION_AT + 64)
		memcpy(k + VERSION_AT, "6.1.0-test (kx@host) #1 SMP", 28);
	return k;
}

struct load {
	struct kx_image *img;
	int rc;
};

static struct load load_image(const uint8_t *k, size_t len, const char *ram,
			      const char *cmdline, const uint8_t *initrd,
			      size_t ilen, uint64_t mem_max)
{
	struct kx_input ird = { "initrd", initrd, ilen };
	struct kx_inputs in = { .kernel = { "image", k, len },
				.initrds = initrd ? &ird : NULL,
				.ninitrds = initrd ? 1 : 0 };
	struct kx_load_opts o = { .arch = KX_ARCH_S390X, .cmdline = cmdline,
				  .mem_max = mem_max };
	struct load l = { new_image(ram), 0 };

	l.rc = kx_image_load_inputs(l.img, &o, &in);
	return l;
}

static const uint8_t *bytes_at(const struct kx_segment *s, uint64_t addr)
{
	return (const uint8_t *)s->buf + (addr - s->mem);
}

static void test_layout(void)
{
	static uint8_t initrd[12345];
	uint8_t *k = make_image(IMG_LEN, 0x1000);
	const char *cmd = "console=ttysclp0 kx.marker=layout";
	struct load l;
	const struct kx_segment *kern, *ird, *parm, *purg;
	struct kx_purgatory_sym start;
	struct kx_purgatory p;

	memset(initrd, 0x5a, sizeof(initrd));
	l = load_image(k, IMG_LEN, "1G", cmd, initrd, sizeof(initrd), 0);
	if (!is_int(l.rc, 0, "load a synthetic s390 image: %s",
		    kx_image_error(l.img)))
		return;
	is_str(kx_image_format(l.img), "s390 image", "format");
	is_u64(kx_image_kexec_flags(l.img), 22UL << 16, "KEXEC_ARCH_S390");
	kern = seg_of(l.img, KX_SEG_KERNEL);
	ird = seg_of(l.img, KX_SEG_INITRD);
	parm = seg_of(l.img, KX_SEG_PARAMS);
	purg = seg_of(l.img, KX_SEG_PURGATORY);
	if (!ok(kern && ird && parm && purg, "kernel, initrd, parameter area "
		"and purgatory segments"))
		return;
	is_u64(kx_image_segment_count(l.img), 4, "nothing else");
	/* 0x10480 + 4096 bytes of command line end at 0x11480: two pages. */
	is_u64(parm->mem, 0x10000, "the parameter area's pages start at the entry");
	is_u64(parm->memsz, 0x2000, "... and hold the command line's 4096 bytes");
	is_u64(parm->bufsz, 0x2000, "... all copied");
	is_u64(kern->mem, 0x12000, "the rest of the image right after them");
	is_u64(kern->bufsz, IMG_LEN - 0x12000, "... the file's bytes to its end");
	ok(!memcmp(kern->buf, k + 0x12000, IMG_LEN - 0x12000),
	   "... unchanged, at the addresses they have in the file");
	is_u64(ird->mem, IMG_LEN, "the initrd right above the image");
	is_u64(ird->bufsz, sizeof(initrd), "... whole");
	is_u64(kx_image_kernel_entry(l.img), 0x10000, "the kernel is entered at 0x10000");
	/* The parameter area: the initrd, the command line, nothing else. */
	is_u64(be(bytes_at(parm, 0x10408), 8), IMG_LEN, "parmarea initrd_start");
	is_u64(be(bytes_at(parm, 0x10410), 8), sizeof(initrd), "parmarea initrd_size");
	is_u64(be(bytes_at(parm, 0x10430), 8), 0x1000,
	       "max_command_line_size kept");
	is_str((const char *)bytes_at(parm, CMDLINE), cmd, "the command line at 0x10480");
	{
		const uint8_t *c = bytes_at(parm, CMDLINE);
		size_t n = 0;

		for (size_t i = strlen(cmd); i < 0x1000; i++)
			n += c[i] != 0;
		is_u64(n, 0, "the rest of its 4096 bytes zeroed (the default "
		       "\"root=/dev/ram0 ro\" gone)");
	}
	ok(!memcmp(parm->buf, k + 0x10000, 0x408) &&
	   !memcmp(bytes_at(parm, 0x10418), k + 0x10418, CMDLINE - 0x10418 - 0x28) ,
	   "the startup code and the other parameter words are the image's");
	ok(!memcmp(bytes_at(parm, 0x11480), k + 0x11480, 0x12000 - 0x11480),
	   "the image's code after the command line's room is untouched");
	/* The purgatory: at the architecture's address, relocated there. */
	is_u64(purg->mem, 0x2000, "the purgatory at the architecture's fixed 0x2000");
	ok(purg->mem + purg->memsz <= 0x10000, "... below the image (ends 0x%" PRIx64 ")",
	   purg->mem + purg->memsz - 1);
	if (kx_purgatory_open(&p, kx_arch_ops(KX_ARCH_S390X)) ||
	    kx_purgatory_relocate(&p, 0x2000) ||
	    kx_purgatory_symbol(&p, "purgatory_start", &start))
		abort();
	is_u64(kx_image_entry(l.img), start.addr, "kexec enters purgatory_start at "
	       "0x%" PRIx64, start.addr);
	{
		struct kx_purgatory_sym s;
		size_t diff = 0;

		/* The loaded bytes are the object relocated at 0x2000, but
		 * for the symbols the loader writes. */
		kx_purgatory_symbol(&p, "kx_entry", &s);
		is_u64(be((const uint8_t *)purg->buf + s.offset, 8), 0x10000,
		       "kx_entry = 0x10000");
		kx_purgatory_symbol(&p, "kx_digest_count", &s);
		is_u64(be((const uint8_t *)purg->buf + s.offset, 4), 3,
		       "kx_digest_count = 3");
		kx_purgatory_symbol(&p, "kx_digests", &s);
		for (size_t i = 0; i < 3; i++) {
			const uint8_t *row = (const uint8_t *)purg->buf + s.offset + 48 * i;
			const struct kx_segment *g = kx_image_segment(l.img, i);

			ok(be(row, 8) == g->mem && be(row + 8, 8) == g->bufsz &&
			   !memcmp(row + 16, g->sha256, 32),
			   "digest row %zu: %s at 0x%" PRIx64 ", its length and SHA-256",
			   i, kx_segment_kind_name(g->kind), g->mem);
		}
		for (uint64_t i = 0; i < p.bufsz; i++) {
			if (i >= s.offset && i < s.offset + s.size)
				continue;
			diff += p.buf[i] != ((const uint8_t *)purg->buf)[i];
		}
		note("%zu bytes differ outside the digest table (kx_entry, "
		     "kx_digest_count)", diff);
		ok(diff > 0 && diff <= 12, "otherwise the segment is the object "
		   "relocated at 0x2000");
	}
	kx_purgatory_close(&p);
	kx_image_free(l.img);
	free(k);
}

static void test_cmdline_limits(void)
{
	static const struct {
		uint64_t max;     /* announced; 0: none (legacy 896) */
		size_t len;
		int rc;
		const char *msg;
	} cases[] = {
		{ 0x1000, 4095, 0, "" },
		{ 0x1000, 4096, -E2BIG, "the command line is 4096 bytes; this "
		  "kernel takes at most 4095" },
		{ 0, 895, 0, "" },
		{ 0, 896, -E2BIG, "the command line is 896 bytes; this kernel "
		  "takes at most 895" },
		{ 0x2000, 8191, 0, "" },
	};

	for (size_t i = 0; i < KX_ARRAY_SIZE(cases); i++) {
		uint8_t *k = make_image(IMG_LEN, cases[i].max);
		char *cmd = malloc(cases[i].len + 1);
		struct load l;

		memset(cmd, 'x', cases[i].len);
		cmd[cases[i].len] = '\0';
		cmd[cases[i].len - 1] = 'Z';
		l = load_image(k, IMG_LEN, "1G", cmd, NULL, 0, 0);
		is_int(l.rc, cases[i].rc, "max_command_line_size %" PRIu64
		       ", a command line of %zu: %s", cases[i].max, cases[i].len,
		       cases[i].rc ? "refused" : "taken");
		if (cases[i].rc) {
			is_str(kx_image_error(l.img), cases[i].msg, "... saying so");
			is_u64(kx_image_segment_count(l.img), 0, "... nothing loaded");
		} else {
			const struct kx_segment *parm = seg_of(l.img, KX_SEG_PARAMS);
			const uint8_t *c = bytes_at(parm, CMDLINE);

			ok(c[cases[i].len - 1] == 'Z' && c[cases[i].len] == 0,
			   "... its last character at 0x%zx, the NUL after it",
			   CMDLINE + cases[i].len - 1);
			is_u64(parm->memsz, kx_align_up(CMDLINE + (cases[i].max ?
			       cases[i].max : 896), 4096) - 0x10000,
			       "... in parameter pages that end with its room");
		}
		kx_image_free(l.img);
		free(cmd);
		free(k);
	}
}

static void test_bad(void)
{
	static const struct {
		const char *name;
		size_t len;
		uint64_t max;
		const char *ram;
		int rc;
		const char *msg;
	} cases[] = {
		{ "header only", 0x1000, 0x1000, "1G", -ENOEXEC,
		  "image: truncated: an s390 image has its parameter area at "
		  "0x10400, but the file has only 0x1000 bytes" },
		{ "no command line room", 0x10800, 0x1000, "1G", -ENOEXEC,
		  "image: truncated: the command line (4096 bytes at 0x10480) "
		  "runs past the end of the file (0x10800 bytes)" },
		{ "nothing after it", 0x12000, 0x1000, "1G", -ENOEXEC,
		  "image: truncated: an s390 image continues past its parameter "
		  "area (0x12000), the file ends at 0x12000" },
		{ "hostile size", IMG_LEN, 0xffffffffffffff00ULL, "1G", -EINVAL,
		  "image: the parameter area says the command line takes "
		  "0xffffffffffffff00 bytes (at most 0x100000 expected)" },
		{ "no low RAM", IMG_LEN, 0x1000, "1G@0x40000000", -ENOSPC,
		  "no room in memory for the kernel (122880 bytes, 4096-byte "
		  "aligned) between 0x12000 and 0x2ffff" },
	};

	for (size_t i = 0; i < KX_ARRAY_SIZE(cases); i++) {
		uint8_t *k = make_image(cases[i].len, cases[i].max);
		struct load l = load_image(k, cases[i].len, cases[i].ram, "", NULL,
					   0, 0);

		is_int(l.rc, cases[i].rc, "%s: refused", cases[i].name);
		is_str(kx_image_error(l.img), cases[i].msg, "%s: message",
		       cases[i].name);
		is_u64(kx_image_segment_count(l.img), 0, "%s: nothing loaded",
		       cases[i].name);
		kx_image_free(l.img);
		free(k);
	}
}

/* An initrd goes above the image, below the end of RAM or --mem-max. */
static void test_initrd_room(void)
{
	size_t ilen = 16 << 20;
	uint8_t *initrd = calloc(1, ilen);
	uint8_t *k = make_image(IMG_LEN, 0x1000);
	struct {
		const char *ram;
		uint64_t mem_max;
		int rc;
	} cases[] = {
		{ "16M", 0, -ENOSPC },
		{ "64M", 0, 0 },
		{ "64M", 0xffffff, -ENOSPC },
		{ "64M", 0x1030000 + (16 << 20) - 1, 0 },
	};

	for (size_t i = 0; i < KX_ARRAY_SIZE(cases); i++) {
		struct load l = load_image(k, IMG_LEN, cases[i].ram, "", initrd,
					   ilen, cases[i].mem_max);

		is_int(l.rc, cases[i].rc, "a 16 MiB initrd, %s of RAM, --mem-max "
		       "0x%" PRIx64 ": %s", cases[i].ram, cases[i].mem_max,
		       cases[i].rc ? "refused" : "taken");
		if (cases[i].rc) {
			is_str(kx_image_error(l.img), "initrd: an s390 initrd goes "
			       "right above the kernel image (which ends at "
			       "0x2ffff), in RAM and below --mem-max; there is "
			       "no room for it there", "... saying where it must go");
			is_u64(kx_image_segment_count(l.img), 0, "... nothing loaded");
		} else {
			is_u64(seg_of(l.img, KX_SEG_INITRD)->mem, IMG_LEN,
			       "... at 0x%x", IMG_LEN);
		}
		kx_image_free(l.img);
	}
	free(initrd);
	free(k);
}

static void test_probe(void)
{
	struct kx_image *img;
	struct kx_info info;
	uint8_t *k = make_image(IMG_LEN, 0x1000);
	uint8_t *old = make_image(IMG_LEN, 0);
	const struct kx_arch_ops *arch = kx_arch_ops(KX_ARCH_S390X);

	kx_image_new(&img);
	is_int(kx_image_inspect_buffer(img, "image", k, IMG_LEN, &info), 0,
	       "inspect a synthetic s390 image");
	is_str(info.format, "s390 image", "format");
	is_int(info.arch, KX_ARCH_S390X, "architecture");
	is_str(info.version, "6.1.0-test (kx@host) #1 SMP",
	       "the version string the parameter area points at");
	is_str(info_field(&info, "entry"), "0x10000", "entry");
	is_str(info_field(&info, "entry_marker"), "S390EP", "entry marker");
	is_str(info_field(&info, "max_command_line_size"), "4096",
	       "max_command_line_size");
	is_int(kx_image_inspect_buffer(img, "old", old, IMG_LEN, &info), 0,
	       "inspect one that announces no size");
	is_str(info_field(&info, "max_command_line_size"), "896 (legacy)",
	       "... the legacy 896");
	/* Not an s390 image: one word of the IPL record changed, or an
	 * s390x ELF object (the purgatory). */
	k[9] ^= 1;
	is_int(kx_image_inspect_buffer(img, "ccw", k, IMG_LEN, &info), -ENOEXEC,
	       "a changed IPL CCW: not an s390 image");
	is_str(kx_image_error(img), "ccw: not a kernel image kexload knows (no "
	       "format recognised it)", "... no format takes it");
	is_int(kx_image_inspect_buffer(img, "s390x.ro", arch->purgatory,
				       *arch->purgatory_size, &info), -EINVAL,
	       "an s390x ELF object is not taken for an s390 image");
	is_str(kx_image_error(img), "s390x.ro: no loadable segment (no PT_LOAD "
	       "program header)", "... the ELF format says what it is");
	kx_image_free(img);
	free(k);
	free(old);
}

/* A file the Makefile builds under build/fixtures, or NULL. */
static uint8_t *fixture(const char *name, size_t *len)
{
	char path[256];
	FILE *f;
	uint8_t *buf;
	long n;

	snprintf(path, sizeof(path), "%s/fixtures/%s",
		 getenv("KX_BUILD") ? getenv("KX_BUILD") : "build", name);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = n > 0 ? malloc((size_t)n) : NULL;
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* The ELF kernel loads as the image objcopy makes of it: the same
 * parameter area, the same kernel bytes, and its BSS (which the image
 * file leaves out) as zeros the kernel segment covers. */
static void test_elf_kernel(void)
{
	static uint8_t initrd[5000];
	const char *cmd = "console=ttysclp0 kx.marker=elf";
	size_t elen, ilen;
	uint8_t *elf = fixture("s390x-vmlinux", &elen);
	uint8_t *image = fixture("s390x-vmlinux.image", &ilen);
	struct load e, i;
	const struct kx_segment *ek, *ik, *ep, *ip;
	struct kx_info info;
	size_t nonzero = 0;

	if (!elf || !image) {
		skip("not built (make check builds them with binutils' s390x "
		     "tools)", "the s390x ELF kernel fixtures");
		free(elf);
		free(image);
		return;
	}
	memset(initrd, 0x3c, sizeof(initrd));
	is_u64(ilen, 0x24000, "the image objcopy made: 0x24000 bytes (text, "
	       "gap, data)");
	e = load_image(elf, elen, "1G", cmd, initrd, sizeof(initrd), 0);
	i = load_image(image, ilen, "1G", cmd, initrd, sizeof(initrd), 0);
	if (!is_int(e.rc, 0, "load the s390x ELF kernel: %s",
		    kx_image_error(e.img)) ||
	    !is_int(i.rc, 0, "load its image: %s", kx_image_error(i.img)))
		goto out;
	is_str(kx_image_format(e.img), "s390 image", "the format inside");
	is_str(kx_image_wrapper(e.img, 0), "ELF s390x kernel", "... wrapped in ELF");
	ek = seg_of(e.img, KX_SEG_KERNEL);
	ik = seg_of(i.img, KX_SEG_KERNEL);
	ep = seg_of(e.img, KX_SEG_PARAMS);
	ip = seg_of(i.img, KX_SEG_PARAMS);
	is_u64(kx_image_segment_count(e.img), 4, "kernel, initrd, parameter "
	       "area, purgatory");
	is_u64(ek->mem, 0x12000, "the kernel from 0x12000, as the image's");
	is_u64(ek->bufsz, 0x26000 - 0x12000, "... to the end of the BSS "
	       "(0x25fff)");
	ok(!memcmp(ek->buf, ik->buf, ik->bufsz), "... the image's bytes");
	for (size_t k = ik->bufsz; k < ek->bufsz; k++)
		nonzero += ((const uint8_t *)ek->buf)[k] != 0;
	is_u64(nonzero, 0, "... then the BSS's 0x2000 zeros");
	ok(ep->mem == ip->mem && ep->bufsz == ip->bufsz &&
	   !memcmp(ep->buf, ip->buf, 0x408) &&
	   !memcmp(bytes_at(ep, 0x10410), bytes_at(ip, 0x10410),
		   ep->bufsz - 0x410),
	   "the parameter area's pages are the image's but for initrd_start");
	is_u64(be(bytes_at(ep, 0x10408), 8), 0x26000,
	       "initrd_start: right above the BSS");
	is_u64(be(bytes_at(ep, 0x10410), 8), sizeof(initrd), "initrd_size");
	is_str((const char *)bytes_at(ep, CMDLINE), cmd, "the command line");
	is_u64(seg_of(e.img, KX_SEG_PURGATORY)->mem, 0x2000,
	       "the purgatory at 0x2000");
	is_u64(kx_image_kernel_entry(e.img), 0x10000, "entered at 0x10000");
	is_int(kx_image_inspect_buffer(e.img, "vmlinux", elf, elen, &info), 0,
	       "inspect it");
	is_str(info.version, "6.1.0-elf (kx@host) #1 SMP", "its version");
	is_str(info_field(&info, "elf_loads"), "2", "two PT_LOADs");
	is_str(info_field(&info, "elf_mem_size"), "0x26000", "0x26000 bytes "
	       "laid out");
	is_str(info_field(&info, "max_command_line_size"), "4096",
	       "the parameter area read through the ELF");
out:
	kx_image_free(e.img);
	kx_image_free(i.img);
	free(elf);
	free(image);
}

static void test_elf_bad(void)
{
	size_t len, hlen, len31;
	uint8_t *elf = fixture("s390x-vmlinux", &len);
	uint8_t *high = fixture("s390x-vmlinux-high", &hlen);
	uint8_t *e31 = fixture("s390x-vmlinux-31", &len31);
	struct load l;

	if (!elf || !high || !e31) {
		skip("not built (make check builds them with binutils' s390x "
		     "tools)", "the s390x ELF kernel fixtures");
		goto out;
	}
	l = load_image(high, hlen, "1G", "", NULL, 0, 0);
	is_int(l.rc, -EINVAL, "an ELF kernel from 1 MiB (a decompressed "
	       "vmlinux): refused");
	is_str(kx_image_error(l.img), "image: an s390x ELF kernel starts at "
	       "physical 0 (its IPL code and parameter area are in its first "
	       "0x11000 bytes), this one at 0x100000: a decompressed vmlinux "
	       "(as in a -dbg package) cannot be booted by kexec; load the "
	       "image (/boot/vmlinuz) instead", "... saying why");
	is_u64(kx_image_segment_count(l.img), 0, "... nothing loaded");
	kx_image_free(l.img);
	l = load_image(e31, len31, "1G", "", NULL, 0, 0);
	is_int(l.rc, -EINVAL, "a 31-bit s390 ELF: refused");
	is_str(kx_image_error(l.img), "image: a 32-bit big-endian ELF file for "
	       "s390: kexload loads 64-bit (big-endian) s390x kernels only",
	       "... saying so");
	kx_image_free(l.img);
	l = load_image(elf, 0x10000, "1G", "", NULL, 0, 0);
	is_int(l.rc, -EINVAL, "an ELF kernel cut at 64 KiB: refused");
	is_str(kx_image_error(l.img), "image: section headers (7 at 0x240d0) "
	       "run past the end of the file (65536 bytes): truncated?",
	       "... saying what runs past its end");
	kx_image_free(l.img);
	kx_put_uint(elf + 18, 2, 62, true);   /* e_machine: EM_X86_64 */
	l = load_image(elf, len, "1G", "", NULL, 0, 0);
	is_int(l.rc, -EINVAL, "the same ELF for x86-64: refused");
	is_str(kx_image_error(l.img), "image: an ELF file for x86-64 (machine "
	       "62, 64-bit): kexload loads ELF kernels for ppc64 and s390x only",
	       "... naming the machine");
	is_u64(kx_image_segment_count(l.img), 0, "... nothing loaded");
	kx_image_free(l.img);
	kx_put_uint(elf + 18, 2, 22, true);
	{
		struct kx_input in = { "vmlinux", elf, len };
		struct kx_inputs ins = { .kernel = in };
		struct kx_load_opts o = { .arch = KX_ARCH_PPC64, .cmdline = "" };
		struct kx_image *img = new_image("1G");

		is_int(kx_image_load_inputs(img, &o, &ins), -ENOEXEC,
		       "the s390x ELF kernel for a ppc64 target: refused");
		is_str(kx_image_error(img), "vmlinux (ELF memory image): is a "
		       "kernel for s390x (s390 image), not for ppc64",
		       "... naming both machines");
		is_u64(kx_image_segment_count(img), 0, "... nothing loaded");
		kx_image_free(img);
	}
out:
	free(elf);
	free(high);
	free(e31);
}

/* A crash load on 1 GiB of RAM with a crash region of @csize at @cbase
 * (none if 0). */
static struct load load_crash(const uint8_t *k, size_t len, uint64_t cbase,
			      uint64_t csize, const uint8_t *initrd, size_t ilen)
{
	struct kx_input ird = { "initrd", initrd, ilen };
	struct kx_inputs in = { .kernel = { "image", k, len },
				.initrds = initrd ? &ird : NULL,
				.ninitrds = initrd ? 1 : 0 };
	struct kx_load_opts o = { .arch = KX_ARCH_S390X, .type = KX_IMAGE_CRASH,
				  .cmdline = "console=ttysclp0 kx.marker=kdump" };
	struct kx_memmap *map;
	struct load l = { NULL, 0 };

	if (kx_memmap_new(&map) ||
	    kx_memmap_add(map, 0, (1ULL << 30) - 1, KX_MEM_RAM) ||
	    (csize && kx_memmap_add(map, cbase, cbase + csize - 1,
				    KX_MEM_CRASH)) ||
	    kx_image_new(&l.img) || kx_image_set_memmap(l.img, map))
		abort();
	kx_memmap_free(map);
	l.rc = kx_image_load_inputs(l.img, &o, &in);
	return l;
}

static uint64_t purg_word(const struct kx_segment *purg, uint64_t at,
			  const char *name, size_t i)
{
	struct kx_purgatory p;
	struct kx_purgatory_sym s;
	uint64_t v = ~0ULL;

	if (kx_purgatory_open(&p, kx_arch_ops(KX_ARCH_S390X)) ||
	    kx_purgatory_relocate(&p, at))
		abort();
	if (!kx_purgatory_symbol(&p, name, &s) && s.size >= 8 * (i + 1))
		v = be((const uint8_t *)purg->buf + s.offset + 8 * i, 8);
	kx_purgatory_close(&p);
	return v;
}

static void test_crash(void)
{
	static uint8_t initrd[70000];
	const uint64_t cb = 0x30000000, cs = 0x10000000;
	uint8_t *k = make_image(IMG_LEN, 0x1000);
	const struct kx_segment *kern, *ird, *parm, *purg;
	struct load l;

	memset(initrd, 0x6b, sizeof(initrd));
	l = load_crash(k, IMG_LEN, cb, cs, initrd, sizeof(initrd));
	if (!is_int(l.rc, 0, "a crash load of an s390 image, no crash data "
		    "given: %s", kx_image_error(l.img)))
		goto out;
	is_u64(kx_image_kexec_flags(l.img), 22UL << 16 | 1,
	       "KEXEC_ARCH_S390 | KEXEC_ON_CRASH");
	kern = seg_of(l.img, KX_SEG_KERNEL);
	ird = seg_of(l.img, KX_SEG_INITRD);
	parm = seg_of(l.img, KX_SEG_PARAMS);
	purg = seg_of(l.img, KX_SEG_PURGATORY);
	ok(!seg_of(l.img, KX_SEG_ELFCOREHDR), "no ELF core header: the kdump "
	   "kernel builds its own");
	is_u64(kx_image_segment_count(l.img), 4, "kernel, initrd, parameter "
	       "area, purgatory");
	is_u64(parm->mem, cb + 0x10000, "the parameter area at the region's "
	       "start + 0x10000");
	is_u64(kern->mem, cb + 0x12000, "the kernel at + 0x12000");
	is_u64(ird->mem, cb + IMG_LEN, "the initrd right above the image");
	is_u64(purg->mem, cb + 0x2000, "the purgatory at + 0x2000");
	for (size_t i = 0; i < kx_image_segment_count(l.img); i++) {
		const struct kx_segment *s = kx_image_segment(l.img, i);

		ok(s->mem >= cb && s->mem + s->memsz <= cb + cs, "%s inside the "
		   "crash region", kx_segment_kind_name(s->kind));
	}
	is_u64(be(bytes_at(parm, cb + 0x10408), 8), IMG_LEN, "initrd_start: where "
	       "the kdump kernel finds it once the region is swapped to 0");
	is_u64(be(bytes_at(parm, cb + 0x10410), 8), sizeof(initrd), "initrd_size");
	is_u64(be(bytes_at(parm, cb + 0x10418), 8), cb, "oldmem_base: the crash "
	       "region");
	is_u64(be(bytes_at(parm, cb + 0x10420), 8), cs, "oldmem_size: its size");
	is_str((const char *)bytes_at(parm, cb + CMDLINE),
	       "console=ttysclp0 kx.marker=kdump", "the command line");
	is_u64(kx_image_kernel_entry(l.img), 0x10010, "the kdump entry 0x10010 "
	       "(startup_kdump), after the swap");
	is_u64(purg_word(purg, purg->mem, "kx_entry", 0), 0x10010,
	       "the purgatory's kx_entry");
	is_u64(purg_word(purg, purg->mem, "kx_crash", 0), cb,
	       "the purgatory's kx_crash: the region's start");
	is_u64(purg_word(purg, purg->mem, "kx_crash", 1), cs, "... and size");
	is_u64(purg_word(purg, purg->mem, "kx_self", 0), purg->mem,
	       "kx_self: its own place");
	is_u64(kx_align_up(purg_word(purg, purg->mem, "kx_self", 1), 4096),
	       purg->memsz, "... and size (the segment's, in whole pages)");
	ok(purg->memsz + 0x2000 <= 0x10000, "its pages (0x%" PRIx64 " bytes) "
	   "end below the image's, at the same offsets after the swap",
	   purg->memsz);
	kx_image_free(l.img);

	l = load_crash(k, IMG_LEN, cb, cs, NULL, 0);
	is_int(l.rc, 0, "without an initrd");
	is_u64(be(bytes_at(seg_of(l.img, KX_SEG_PARAMS), cb + 0x10408), 8), 0,
	       "... initrd_start 0");
	kx_image_free(l.img);

	l = load_crash(k, IMG_LEN, cb, 0x34000, initrd, sizeof(initrd));
	is_int(l.rc, -ENOSPC, "a 208 KiB crash region and a 68 KiB initrd: "
	       "refused");
	is_str(kx_image_error(l.img), "initrd: an s390 initrd goes right above "
	       "the kernel image (which ends at 0x3002ffff), in RAM and below "
	       "--mem-max; there is no room for it there", "... naming what "
	       "does not fit");
	is_u64(kx_image_segment_count(l.img), 0, "... nothing loaded");
	kx_image_free(l.img);

	l = load_crash(k, IMG_LEN, cb, 0x10000, NULL, 0);
	is_int(l.rc, -ENOSPC, "a 64 KiB one: refused");
	is_str(kx_image_error(l.img), "no room in memory for the kernel (122880 "
	       "bytes, 4096-byte aligned) between 0x30012000 and 0x3002ffff in "
	       "the crash kernel region", "... the kernel does not fit");
	kx_image_free(l.img);

	l = load_crash(k, IMG_LEN, 0x8000000, 0x10000000, NULL, 0);
	is_int(l.rc, -EINVAL, "a 256 MiB region at 128 MiB: refused");
	is_str(kx_image_error(l.img), "the crash region 0x8000000-0x17ffffff "
	       "overlaps the first 0x10000000 bytes of memory, which the "
	       "purgatory swaps it with", "... it would be swapped with itself");
	is_u64(kx_image_segment_count(l.img), 0, "... nothing loaded");
	kx_image_free(l.img);

	l = load_crash(k, IMG_LEN, 0, 0, NULL, 0);
	is_int(l.rc, -ENOSPC, "no crash region: refused");
	is_str(kx_image_error(l.img), "no crash kernel region in the memory map "
	       "to place the kernel in (boot the running kernel with "
	       "crashkernel=SIZE)", "... saying how to get one");
out:
	kx_image_free(l.img);
	free(k);
}

int main(void)
{
	test_purgatory_relocation();
	test_reloc_refused();
	test_layout();
	test_cmdline_limits();
	test_bad();
	test_initrd_room();
	test_probe();
	test_elf_kernel();
	test_elf_bad();
	test_crash();
	return done_testing();
}
