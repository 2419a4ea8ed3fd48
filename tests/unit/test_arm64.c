/* SPDX-License-Identifier: MIT */
/*
 * arm64: the embedded purgatory relocated at two bases, every instruction
 * and data field decoded again here and compared with the formulas of
 * Arm's "ELF for the Arm 64-bit Architecture"; and the Image format
 * (lib/formats/arm64_image.c) on synthetic Images built in the test:
 * header checks with their exact messages, placement by booting.rst's
 * rules against hand-computed addresses, and the device tree it hands
 * over (read back with libfdt).
 */
#include <stdlib.h>
#include <unistd.h>

#include <libfdt.h>

#include "internal.h"
#include "purgatory.h"
#include "load_helpers.h"
#include "reloc_helpers.h"
#include "tap.h"
#include "../fixtures/arm64.h"


static const uint64_t bases[2] = { 0x40000000, 0x8fffe0000 };

/* 1: the field is right, 0: wrong, -1: a type this test does not know. */
static int check_field(uint32_t type, const uint8_t *loc, uint64_t S,
		       int64_t A, uint64_t P)
{
	uint64_t X = S + (uint64_t)A;
	uint32_t insn = (uint32_t)kx_get_uint(loc, 4, false);
	uint64_t lo12 = (insn >> 10) & 0xfff;

	switch (type) {
	case 257:   /* ABS64 */
		return kx_get_uint(loc, 8, false) == X;
	case 261:   /* PREL32 */
		return (uint32_t)kx_get_uint(loc, 4, false) == (uint32_t)(X - P);
	case 275: { /* ADR_PREL_PG_HI21 */
		uint64_t imm = ((insn >> 29) & 3) | ((insn >> 5) & 0x7ffff) << 2;

		return (uint64_t)(sext(imm, 21) * 4096) ==
		       (X & ~0xfffULL) - (P & ~0xfffULL);
	}
	case 277:   /* ADD_ABS_LO12_NC */
	case 278:   /* LDST8 */
		return lo12 == (X & 0xfff);
	case 284:
		return lo12 << 1 == (X & 0xfff);
	case 285:
		return lo12 << 2 == (X & 0xfff);
	case 286:
		return lo12 << 3 == (X & 0xfff);
	case 299:
		return lo12 << 4 == (X & 0xfff);
	case 282:   /* JUMP26 */
	case 283:   /* CALL26 */
		return (uint64_t)(sext(insn & 0x3ffffff, 26) * 4) == X - P;
	case 280:   /* CONDBR19 */
		return (uint64_t)(sext((insn >> 5) & 0x7ffff, 19) * 4) == X - P;
	case 279:   /* TSTBR14 */
		return (uint64_t)(sext((insn >> 5) & 0x3fff, 14) * 4) == X - P;
	}
	return -1;
}

static int check_rela(const struct rela_field *f)
{
	return check_field(f->type, f->loc, f->S, f->A, f->P);
}

static void test_purgatory_relocation(void)
{
	const struct kx_arch_ops *arch = kx_arch_ops(KX_ARCH_ARM64);
	struct kx_purgatory p[2];
	struct tally t = { 0 };
	struct kx_elf e;

	for (int b = 0; b < 2; b++) {
		is_int(kx_purgatory_open(&p[b], arch), 0,
		       "open the arm64 purgatory");
		is_int(kx_purgatory_relocate(&p[b], bases[b]),
		       0, "relocate it at 0x%" PRIx64 ": %s", bases[b],
		       p[b].err[0] ? p[b].err : "every relocation resolved");
	}
	e = p[0].elf;
	ok(!e.big_endian && e.is64 && e.machine == 183,
	   "it is a little-endian ELF64 object for EM_AARCH64");
	check_relas(p, bases, 0, check_rela, &t);
	tally_verdict(&t);
	for (int b = 0; b < 2; b++)
		kx_purgatory_close(&p[b]);
}

/* A reloc the purgatory cannot satisfy is refused with a message. */
static void test_reloc_range(void)
{
	const struct kx_arch_ops *arch = kx_arch_ops(KX_ARCH_ARM64);
	uint8_t insn[4] = { 0x00, 0x00, 0x00, 0x94 };   /* bl . */
	struct kx_reloc r = { .type = 283, .S = 0x10000000, .P = 0x100,
			      .loc = insn, .room = 4 };
	struct kx_purgatory rp = { .arch = arch };

	is_int(arch->apply_reloc(&rp, &r), -ERANGE,
	       "CALL26 beyond 128 MiB is refused");
	like(rp.err, "arm64 relocation type 283 at 0x100 cannot reach 0x10000000",
	     "... saying where and what");
	r.S = 0x102;
	is_int(arch->apply_reloc(&rp, &r), -ENOEXEC,
	       "a branch to a misaligned target is refused");
	r.type = 9999;
	is_int(arch->apply_reloc(&rp, &r), -ENOEXEC,
	       "an unknown type is refused");
	like(rp.err, "arm64 relocation type 9999 is not supported", "... by number");
	r = (struct kx_reloc){ .type = 283, .S = 0x1000, .P = 0x100,
			       .loc = insn, .room = 4 };
	is_int(arch->apply_reloc(&rp, &r), 0, "bl +0xf00 fits");
	is_u64(kx_get_uint(insn, 4, false), 0x94000000 | (0xf00 >> 2),
	       "... and is encoded as imm26 = 0x3c0");
}

/* ---- the Image format ------------------------------------------------ */

#define IMG_LEN 0x30000

static void *make_dtb(bool stdout_path)
{
	static char buf[4096] __attribute__((aligned(8)));   /* libfdt wants 8 */
	fdt32_t two = cpu_to_fdt32(2);
	uint64_t reg[2] = { cpu_to_fdt64(0x9000000), cpu_to_fdt64(0x1000) };
	uint64_t mem[2] = { cpu_to_fdt64(0x40000000), cpu_to_fdt64(0x40000000) };

	fdt_create(buf, sizeof(buf));
	fdt_finish_reservemap(buf);
	fdt_begin_node(buf, "");
	fdt_property(buf, "#address-cells", &two, 4);
	fdt_property(buf, "#size-cells", &two, 4);
	fdt_property_string(buf, "model", "kexload test");
	fdt_begin_node(buf, "chosen");
	if (stdout_path)
		fdt_property_string(buf, "stdout-path", "/pl011@9000000:115200n8");
	fdt_property_string(buf, "bootargs", "old");
	fdt_end_node(buf);
	fdt_begin_node(buf, "memory@40000000");
	fdt_property_string(buf, "device_type", "memory");
	fdt_property(buf, "reg", mem, sizeof(mem));
	fdt_end_node(buf);
	fdt_begin_node(buf, "pl011@9000000");
	fdt_property(buf, "compatible", "arm,pl011\0arm,primecell", 24);
	fdt_property(buf, "reg", reg, sizeof(reg));
	fdt_end_node(buf);
	fdt_end_node(buf);
	fdt_finish(buf);
	return buf;
}

struct case_env {
	char dir[64];
	char dtb[96];
	char initrd[96];
};

static void test_placement(const struct case_env *env)
{
	struct kx_image *img = new_image("2G@0x40000000");
	uint8_t *k = kx_fix_arm64_image(0, 0x200000, 0xa, IMG_LEN);
	struct kx_load_opts o = { .arch = KX_ARCH_ARM64, .kernel = "Image",
				  .initrd = env->initrd, .dtb = env->dtb,
				  .cmdline = "console=ttyAMA0 kx=1" };
	const struct kx_segment *ks, *is, *ds;
	const void *fdt;
	const fdt64_t *v;
	const char *s;
	int len, chosen;

	is_int(kx_image_load_buffer(img, &o, k, IMG_LEN), 0, "load a synthetic Image: %s",
	       kx_image_error(img));
	ks = seg_of(img, KX_SEG_KERNEL);
	is = seg_of(img, KX_SEG_INITRD);
	ds = seg_of(img, KX_SEG_DTB);
	if (!ok(ks && is && ds, "kernel, initrd and device tree segments")) {
		kx_image_free(img);
		free(k);
		return;
	}
	/* Bottom-up at the base of RAM, 2 MiB aligned, image_size of room. */
	is_u64(ks->mem, 0x40000000, "the kernel sits at the base of RAM");
	is_u64(ks->memsz, 0x200000, "... with image_size bytes of room");
	is_u64(ks->bufsz, IMG_LEN, "... holding the whole file");
	is_u64(kx_image_kernel_entry(img), 0x40000000, "entered at its first byte");
	/* The initrd at the top, then the tree 2 MiB aligned below it: high,
	 * away from the pages the running kernel hands kexec_load. */
	is_u64(is->mem, 0xbffff000, "the initrd is at the top of RAM");
	is_u64(ds->mem, 0xbfe00000, "the device tree is 2 MiB aligned below it");
	fdt = ds->buf;
	is_int(fdt_check_full(fdt, ds->bufsz), 0, "the tree handed over is sound");
	chosen = fdt_path_offset(fdt, "/chosen");
	s = fdt_getprop(fdt, chosen, "bootargs", &len);
	is_str(s ? s : "", "console=ttyAMA0 kx=1", "/chosen/bootargs is the command line");
	v = fdt_getprop(fdt, chosen, "linux,initrd-start", &len);
	is_u64(v && len == 8 ? fdt64_ld(v) : 0, 0xbffff000, "linux,initrd-start");
	v = fdt_getprop(fdt, chosen, "linux,initrd-end", &len);
	is_u64(v && len == 8 ? fdt64_ld(v) : 0, 0xc0000000, "linux,initrd-end");
	s = fdt_getprop(fdt, 0, "model", NULL);
	is_str(s ? s : "", "kexload test", "the rest of the user's tree is kept");
	ok(img->npurg_values == 1 && !strcmp(img->purg_values[0].name, "kx_uart") &&
	   img->purg_values[0].vals[0] == 0x9000000 &&
	   img->purg_values[0].vals[1] == (KX_UART_PL011 | 4 << 16),
	   "the purgatory's console is the PL011 stdout-path names");
	is_u64(img->kernel_args[0], ds->mem, "x0 is the device tree");
	ok(!img->kernel_args[1] && !img->kernel_args[2] && !img->kernel_args[3],
	   "x1-x3 are 0");
	kx_image_free(img);
	free(k);
}

static void test_initrd_window(const struct case_env *env)
{
	/* RAM from 1 GiB to 48 GiB, the kernel at the bottom: the initrd
	 * goes as high as it may, the top of the 1 GiB aligned 32 GiB window
	 * that holds the kernel, not the top of RAM. */
	struct kx_image *img = new_image("47G@0x40000000");
	uint8_t *k = kx_fix_arm64_image(0x80000, 0x200000, 0x2, IMG_LEN);
	struct kx_load_opts o = { .arch = KX_ARCH_ARM64, .kernel = "Image",
				  .initrd = env->initrd, .dtb = env->dtb };
	const struct kx_segment *ks, *is;

	is_int(kx_image_load_buffer(img, &o, k, IMG_LEN), 0,
	       "load with text_offset 0x80000 into 47 GiB: %s",
	       kx_image_error(img));
	ks = seg_of(img, KX_SEG_KERNEL);
	is = seg_of(img, KX_SEG_INITRD);
	is_u64(ks ? ks->mem : 0, 0x40080000, "the kernel is text_offset above a 2 MiB base");
	is_u64(is ? is->mem : 0, 0x83ffff000,
	       "the initrd takes the last page of the 32 GiB window, not RAM above it");
	kx_image_free(img);
	free(k);
}

static void test_bad(const struct case_env *env)
{
	static const struct {
		const char *name;
		uint64_t text_offset, image_size, flags;
		size_t len;
		int rc;
		const char *msg;
	} cases[] = {
		{ "big-endian", 0, 0x200000, 0xb, IMG_LEN, -EINVAL,
		  "big-endian: a big-endian arm64 kernel (header flags 0xb); "
		  "kexload loads little-endian ones" },
		{ "old", 0x80000, 0, 0xa, IMG_LEN, -EINVAL,
		  "old: image_size is 0 (a kernel older than 3.17)" },
		{ "unaligned", 0x80100, 0x200000, 0xa, IMG_LEN, -EINVAL,
		  "unaligned: text_offset 0x80100 is not a page multiple below 2 MiB" },
		{ "small", 0, 0x1000, 0xa, IMG_LEN, -EINVAL,
		  "small: the header's image_size 0x1000 is smaller than the "
		  "file (0x30000 bytes)" },
		{ "short", 0, 0x200000, 0xa, 60, -EINVAL,
		  "short: truncated: the arm64 Image header needs bytes "
		  "0x3c-0x3f but the file has only 60 bytes" },
		{ "huge", 0, 0x100000000, 0xa, IMG_LEN, -ENOSPC,
		  "no room in memory for the kernel" },
		{ "wraps", 0x1000, 0xffffffffffffe000ULL, 0xa, IMG_LEN, -EINVAL,
		  "wraps: text_offset 0x1000 + image_size 0xffffffffffffe000 "
		  "runs past the end of the address space" },
	};

	for (size_t i = 0; i < KX_ARRAY_SIZE(cases); i++) {
		struct kx_image *img = new_image("2G@0x40000000");
		uint8_t *k = kx_fix_arm64_image(cases[i].text_offset, cases[i].image_size,
					cases[i].flags, cases[i].len);
		struct kx_load_opts o = { .arch = KX_ARCH_ARM64,
					  .kernel = cases[i].name,
					  .initrd = env->initrd, .dtb = env->dtb };

		is_int(kx_image_load_buffer(img, &o, k, cases[i].len), cases[i].rc,
		       "%s: refused", cases[i].name);
		like(kx_image_error(img), cases[i].msg, "%s: message", cases[i].name);
		is_u64(kx_image_segment_count(img), 0, "%s: nothing loaded",
		       cases[i].name);
		kx_image_free(img);
		free(k);
	}
}

static void test_inspect(void)
{
	struct kx_image *img;
	struct kx_info info;
	uint8_t *k = kx_fix_arm64_image(0, 0x200000, 0xa, IMG_LEN);
	const char *want[][2] = {
		{ "text_offset", "0x0" }, { "image_size", "0x200000" },
		{ "endianness", "little" }, { "page_size", "4K" },
		{ "placement", "anywhere" }, { "efi_stub", "no" },
	};

	kx_image_new(&img);
	is_int(kx_image_inspect_buffer(img, "Image", k, IMG_LEN, &info), 0,
	       "inspect a synthetic Image");
	is_str(info.format, "arm64 Image", "format");
	is_int(info.arch, KX_ARCH_ARM64, "architecture");
	is_str(info.version, "6.1.0-test (kx@host) #1 SMP", "the version banner");
	for (size_t i = 0; i < KX_ARRAY_SIZE(want); i++)
		is_str(info_field(&info, want[i][0]), want[i][1], "inspect field %s",
		       want[i][0]);
	kx_image_free(img);
	free(k);
}

int main(void)
{
	struct case_env env;
	const char *t = getenv("TMPDIR");
	static uint8_t initrd[4096];

	snprintf(env.dir, sizeof(env.dir), "%s/kx-arm64-XXXXXX", t ? t : "/tmp");
	if (!mkdtemp(env.dir))
		abort();
	snprintf(env.dtb, sizeof(env.dtb), "%s/board.dtb", env.dir);
	snprintf(env.initrd, sizeof(env.initrd), "%s/initrd", env.dir);
	write_file(env.dtb, make_dtb(true), fdt_totalsize(make_dtb(true)));
	memset(initrd, 0x42, sizeof(initrd));
	write_file(env.initrd, initrd, sizeof(initrd));

	test_purgatory_relocation();
	test_reloc_range();
	test_placement(&env);
	test_initrd_window(&env);
	test_bad(&env);
	test_inspect();

	remove(env.dtb);
	remove(env.initrd);
	rmdir(env.dir);
	return done_testing();
}
