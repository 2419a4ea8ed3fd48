/* SPDX-License-Identifier: MIT */
/*
 * 32-bit ARM: the embedded purgatory relocated at two bases, every field
 * its REL relocations touch decoded again here and compared with the
 * formulas of Arm's "ELF for the Arm Architecture" (the addend taken from
 * the unrelocated object); the zImage format (lib/formats/zimage.c) on
 * synthetic zImages built in the test: header and extension-tag walking,
 * hostile tag lists, placement against hand-computed layouts, the device
 * tree and registers handed over, RAM that reaches or passes 4 GiB; the
 * purgatory's cache-line walk (purgatory/arm/cache_lines.h) and its check
 * of a segment that ends at 4 GiB; and the uImage wrapper
 * (lib/formats/uimage.c): both CRCs, and every refusal with its message.
 */
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <libfdt.h>
#include <zlib.h>

#include "internal.h"
#include "purgatory.h"
#include "load_helpers.h"
#include "reloc_helpers.h"
#include "tap.h"
/* The purgatory's own headers: struct kx_digest and the check (verify.c,
 * built into this test), and the cache-line walk of its cpu.c. */
#include "../../purgatory/common/purgatory.h"
#include "../../purgatory/arm/cache_lines.h"

#define SHT_REL 9
#define R_ABS32 2
#define R_REL32 3
#define R_CALL 28
#define R_JUMP24 29
#define R_PREL31 42
#define R_MOVW 43
#define R_MOVT 44

static const uint64_t bases[2] = { 0x40000000, 0xbfff0000 };

static uint32_t imm16(uint32_t insn)
{
	return (insn >> 4 & 0xf000) | (insn & 0xfff);
}

/* 1: the relocated word @now is right for the original @was, 0: wrong,
 * -1: a type this test does not know. */
static int check_field(uint32_t type, uint32_t was, uint32_t now, uint64_t S,
		       uint64_t P)
{
	switch (type) {
	case R_ABS32:
		return now == (uint32_t)(S + (uint64_t)(int64_t)(int32_t)was);
	case R_REL32:
		return now == (uint32_t)(S + (uint64_t)(int64_t)(int32_t)was - P);
	case R_CALL:
	case R_JUMP24: {
		int64_t A = sext(was & 0xffffff, 24) * 4;

		return (now & 0xff000000) == (was & 0xff000000) &&
		       sext(now & 0xffffff, 24) * 4 == (int64_t)(S + A - P);
	}
	case R_PREL31: {
		int64_t A = sext(was & 0x7fffffff, 31);

		return (now & 0x80000000) == (was & 0x80000000) &&
		       sext(now & 0x7fffffff, 31) == (int64_t)(S + A - P);
	}
	case R_MOVW:
	case R_MOVT: {
		uint64_t X = S + (uint64_t)sext(imm16(was), 16);

		return (now & 0xfff0f000) == (was & 0xfff0f000) &&
		       imm16(now) == (type == R_MOVW ? X & 0xffff : X >> 16 & 0xffff);
	}
	}
	return -1;
}

static void check_section(struct kx_purgatory p[2], const struct kx_elf_shdr *rs,
			  struct tally *t)
{
	struct kx_elf e = p[0].elf;
	struct kx_elf_shdr symtab, target;

	if (kx_elf_shdr(&e, rs->link, &symtab) || kx_elf_shdr(&e, rs->info, &target))
		return;
	for (uint64_t o = 0; o + 8 <= rs->size; o += 8) {
		uint64_t roff = kx_elf_word(&e, rs->offset + o, 4);
		uint64_t info = kx_elf_word(&e, rs->offset + o + 4, 4);
		uint32_t type = (uint32_t)(info & 0xff);
		uint32_t was = (uint32_t)kx_elf_word(&e, target.offset + roff, 4);
		struct kx_elf_sym sym;

		if (kx_elf_sym(&e, &symtab, info >> 8, &sym)) {
			t->unknown++;
			continue;
		}
		count_type(t, type);
		t->n++;
		for (int b = 0; b < 2; b++) {
			uint64_t off = p[b].secoff[rs->info] + roff;
			uint64_t S = bases[b] + p[b].secoff[sym.shndx] + sym.value;
			uint32_t now = (uint32_t)kx_get_uint(p[b].buf + off, 4, false);
			int r = check_field(type, was, now, S, bases[b] + off);

			if (r < 0)
				t->unknown++;
			else if (!r && !t->bad++)
				diag("type %u at 0x%" PRIx64 " is wrong: 0x%08x -> 0x%08x",
				     type, off, was, now);
		}
	}
}

static void test_purgatory_relocation(void)
{
	const struct kx_arch_ops *arch = kx_arch_ops(KX_ARCH_ARM);
	struct kx_purgatory p[2];
	struct tally t = { 0 };
	struct kx_elf e;

	if (!ok(arch != NULL, "the arm architecture is in the table"))
		return;
	is_u64(arch->kexec_arch, 40UL << 16, "KEXEC_ARCH_ARM is 40 << 16");
	for (int b = 0; b < 2; b++) {
		is_int(kx_purgatory_open(&p[b], arch), 0,
		       "open the arm purgatory");
		is_int(kx_purgatory_relocate(&p[b], bases[b]),
		       0, "relocate it at 0x%" PRIx64 ": %s", bases[b],
		       p[b].err[0] ? p[b].err : "every relocation resolved");
	}
	e = p[0].elf;
	ok(!e.big_endian && !e.is64 && e.machine == 40,
	   "it is a little-endian ELF32 object for EM_ARM");
	for (unsigned i = 0; i < e.shnum; i++) {
		struct kx_elf_shdr rs;

		if (!kx_elf_shdr(&e, i, &rs) && rs.type == SHT_REL &&
		    p[0].secoff[rs.info] != UINT64_MAX)
			check_section(p, &rs, &t);
	}
	tally_verdict(&t);
	for (int b = 0; b < 2; b++)
		kx_purgatory_close(&p[b]);
}

static void test_reloc_encodings(void)
{
	const struct kx_arch_ops *arch = kx_arch_ops(KX_ARCH_ARM);
	uint8_t w[4];
	struct kx_reloc r = { .type = R_CALL, .S = 0x1000, .P = 0x100, .loc = w,
			      .room = 4, .implicit_addend = true };
	struct kx_purgatory rp = { .arch = arch };

	kx_put_uint(w, 4, 0xebfffffe, false);   /* bl ., the REL addend -8 */
	is_int(arch->apply_reloc(&rp, &r), 0, "bl to 0x1000 from 0x100");
	is_u64(kx_get_uint(w, 4, false), 0xeb0003be,
	       "... imm24 = (0x1000 - 8 - 0x100) / 4 = 0x3be, the condition kept");
	kx_put_uint(w, 4, 0xebfffffe, false);
	r.S = 0x4000000;
	is_int(arch->apply_reloc(&rp, &r), -ERANGE,
	       "a branch beyond 32 MiB is refused");
	like(rp.err, "arm relocation type 28 at 0x100 cannot reach 0x3fffff8", "... saying where");
	r.S = 0x1002;
	is_int(arch->apply_reloc(&rp, &r), -ENOEXEC,
	       "a branch to a misaligned target is refused");
	kx_put_uint(w, 4, 0xfafffffe, false);   /* blx: into Thumb */
	r.S = 0x1000;
	is_int(arch->apply_reloc(&rp, &r), -ENOEXEC, "BLX is refused");
	like(rp.err, "Thumb code is not expected", "... as Thumb");

	r = (struct kx_reloc){ .type = R_MOVW, .S = 0x12345678, .loc = w,
			       .room = 4, .implicit_addend = true };
	kx_put_uint(w, 4, 0xe3000000, false);   /* movw r0, #0 */
	is_int(arch->apply_reloc(&rp, &r), 0, "MOVW");
	is_u64(kx_get_uint(w, 4, false), 0xe3050678, "... imm4:imm12 = 0x5678");
	r.type = R_MOVT;
	kx_put_uint(w, 4, 0xe3400004, false);   /* movt r0, #4: addend 4 */
	is_int(arch->apply_reloc(&rp, &r), 0, "MOVT");
	is_u64(kx_get_uint(w, 4, false), 0xe3410234,
	       "... the high half of 0x12345678 + 4 = 0x1234");
	r.type = R_ABS32;
	kx_put_uint(w, 4, 0x10, false);
	is_int(arch->apply_reloc(&rp, &r), 0, "ABS32");
	is_u64(kx_get_uint(w, 4, false), 0x12345688, "... S + the word in place");
	r.type = 9999;
	is_int(arch->apply_reloc(&rp, &r), -ENOEXEC,
	       "an unknown type is refused");
	like(rp.err, "arm relocation type 9999 is not supported", "... by number");
	r = (struct kx_reloc){ .type = R_ABS32, .S = 0, .loc = w, .room = 2,
			       .implicit_addend = true };
	is_int(arch->apply_reloc(&rp, &r), -ENOEXEC,
	       "a place past its section is refused");
}

/* ---- synthetic zImages ------------------------------------------------- */

#define ZSIZE 0x300000
#define TAG_OFF 0x100

struct ztags {
	bool no_table;        /* no 0x45454545 marker */
	uint32_t words;       /* the kernel-size tag's size; 0: no tag */
	uint32_t size_ptr;
	uint32_t edata, bss, text_offset, malloc_size;
};

static const struct ztags debian_like = {
	.words = 6, .size_ptr = ZSIZE - 0x100, .edata = 0xc00000,
	.bss = 0x40000, .text_offset = 0x208000, .malloc_size = 0x10000,
};

static void put32(uint8_t *p, uint64_t off, uint32_t v)
{
	kx_put_uint(p + off, 4, v, false);
}

/* A zImage of @len bytes (its header says ZSIZE) with one tag table. */
static uint8_t *make_zimage(size_t len, const struct ztags *t)
{
	uint8_t *p = calloc(1, len > ZSIZE ? len : ZSIZE);

	put32(p, 0x24, 0x016f2818);
	put32(p, 0x28, 0);
	put32(p, 0x2c, ZSIZE);
	put32(p, 0x30, 0x04030201);
	if (t->no_table)
		return p;
	put32(p, 0x34, 0x45454545);
	put32(p, 0x38, TAG_OFF);
	if (t->words) {
		uint32_t v[6] = { t->words, 0x5a534c4b, t->size_ptr, t->bss,
				  t->text_offset, t->malloc_size };

		for (uint32_t i = 0; i < t->words && i < 6; i++)
			put32(p, TAG_OFF + 4 * i, v[i]);
		put32(p, TAG_OFF + 4 * t->words, 0);   /* the end */
		if (t->size_ptr < ZSIZE - 4)
			put32(p, t->size_ptr, t->edata);
	}
	return p;
}

static void *make_dtb(const char *model)
{
	static char buf[2][4096] __attribute__((aligned(8)));   /* libfdt wants 8 */
	static int n;
	char *b = buf[n++ % 2];
	fdt32_t two = cpu_to_fdt32(2);
	uint64_t reg[2] = { cpu_to_fdt64(0x9000000), cpu_to_fdt64(0x1000) };

	fdt_create(b, sizeof(buf[0]));
	fdt_finish_reservemap(b);
	fdt_begin_node(b, "");
	fdt_property(b, "#address-cells", &two, 4);
	fdt_property(b, "#size-cells", &two, 4);
	fdt_property_string(b, "model", model);
	fdt_begin_node(b, "chosen");
	fdt_property_string(b, "stdout-path", "/pl011@9000000");
	fdt_end_node(b);
	fdt_begin_node(b, "pl011@9000000");
	fdt_property(b, "compatible", "arm,pl011\0arm,primecell", 24);
	fdt_property(b, "reg", reg, sizeof(reg));
	fdt_end_node(b);
	fdt_end_node(b);
	fdt_finish(b);
	return b;
}

struct env {
	char dir[64];
	char dtb[96];
	char initrd[96];
	char big[96];
};

/* Debug lines, kept for the checks that the rule used is said. */
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

/* A hand-computed layout: where each piece must be. */
struct layout {
	const char *name;
	const char *ram;
	const char *cmdline;
	const struct ztags *tags;
	uint64_t zimage, zimage_memsz, initrd, dtb;
	uint64_t purgatory_top;   /* it ends here (its size is the build's) */
	const char *rule;     /* in the debug output */
};

/* The Debian-like tag: text+data 0xc00000 + bss 0x40000 at 0x208000
 * above RAM; zImage 0x300000 + 4 + malloc 0x10000 + 0x10000 slack. */
static const struct ztags four_words = {
	.words = 4, .size_ptr = ZSIZE - 0x100, .edata = 0xc00000, .bss = 0x40000,
};
static const struct ztags no_tags = { .no_table = true };

static const struct layout layouts[] = {
	{ "1 GiB, kernel-size tag", "1G@0x40000000", "console=ttyAMA0",
	  &debian_like, 0x40e48000, 0x321000, 0x6ffff000, 0x6fffe000,
	  0x80000000, "zImage rule: kernel-size tag: text+data 0xc00000, "
	  "bss 0x40000, TEXT_OFFSET 0x208000, malloc 0x10000" },
	/* Highmem above 0x70000000: the initrd and DTB stay below it; the
	 * purgatory, which runs with the MMU off, may be up there. */
	{ "2 GiB", "2G@0x40000000", "console=ttyAMA0", &debian_like,
	  0x40e48000, 0x321000, 0x6ffff000, 0x6fffe000, 0xc0000000,
	  "lowmem ends 0x6fffffff" },
	{ "256 MiB", "256M@0x40000000", "console=ttyAMA0", &debian_like,
	  0x40e48000, 0x321000, 0x4ffff000, 0x4fffe000, 0x4fffe000,
	  "decompressed kernel 0x40208000-0x40e47fff" },
	/* A tag without TEXT_OFFSET: the largest one is assumed. */
	{ "tag of 4 words", "1G@0x40000000", "", &four_words, 0x40f48000,
	  0x321000, 0x6ffff000, 0x6fffe000, 0x80000000,
	  "no TEXT_OFFSET in the tag: assuming at most 0x308000" },
	/* No tag: 6 x 0x300000 at TEXT_OFFSET 0x308000. */
	{ "no tags", "1G@0x40000000", "", &no_tags, 0x41508000, 0x321000,
	  0x6ffff000, 0x6fffe000, 0x80000000,
	  "no kernel-size tag: assuming the decompressed kernel and its BSS "
	  "take at most 6 times the zImage (0x1200000)" },
	/* RAM not 128 MiB aligned: the start rounded up to 2 MiB. */
	{ "RAM at 0x41100000", "1G@0x41100000", "", &debian_like,
	  0x42048000, 0x321000, 0x711ff000, 0x711fe000, 0x81100000,
	  "decompressed kernel 0x41408000-0x42047fff (RAM start 0x41200000)" },
	/* vmalloc=512M, the last one: lowmem is 0x3f000000 - 512 MiB. */
	{ "vmalloc=512M", "1G@0x40000000", "novmalloc=1 vmalloc=64M vmalloc=512M",
	  &debian_like, 0x40e48000, 0x321000, 0x5efff000, 0x5effe000,
	  0x80000000, "lowmem is at most 0x1f000000 bytes" },
	/* RAM up to 4 GiB: the purgatory, top-down, stops below the last
	 * page, which a 32-bit kexec_load refuses and where the end of its
	 * stack would be 2^32. */
	{ "RAM to 4 GiB, from 0x80000000", "2G@0x80000000", "", &debian_like,
	  0x80e48000, 0x321000, 0xaffff000, 0xafffe000, 0xfffff000,
	  "lowmem ends 0xafffffff" },
	{ "RAM to 4 GiB, from 0x40000000", "3G@0x40000000", "", &debian_like,
	  0x40e48000, 0x321000, 0x6ffff000, 0x6fffe000, 0xfffff000,
	  "lowmem ends 0x6fffffff" },
	/* LPAE: RAM past 4 GiB; every segment stays below it. */
	{ "LPAE, 8 GiB from 0x40000000", "8G@0x40000000", "", &debian_like,
	  0x40e48000, 0x321000, 0x6ffff000, 0x6fffe000, 0xfffff000,
	  "lowmem ends 0x6fffffff" },
	/* Lowmem (768 MiB from 0xe0000000) would run past 4 GiB: the initrd
	 * and the device tree go below the last page instead. */
	{ "LPAE, 8 GiB from 0xe0000000", "8G@0xe0000000", "", &debian_like,
	  0xe0e48000, 0x321000, 0xffffe000, 0xffffd000, 0xffffd000,
	  "the new kernel's lowmem would end at 0x10fffffff: the initrd and "
	  "device tree stay below 0xfffff000" },
	/* RAM that ends at 4 GiB: nothing ends there, the initrd included. */
	{ "512 MiB ending at 4 GiB", "512M@0xe0000000", "", &debian_like,
	  0xe0e48000, 0x321000, 0xffffe000, 0xffffd000, 0xffffd000,
	  "lowmem ends 0xffffefff" },
};

static void test_layout(const struct env *env, const struct layout *l)
{
	struct kx_image *img = new_image(l->ram);
	uint8_t *k = make_zimage(ZSIZE, l->tags);
	struct kx_load_opts o = { .arch = KX_ARCH_ARM, .kernel = "zImage",
				  .initrd = env->initrd, .dtb = env->dtb,
				  .cmdline = l->cmdline };
	const struct kx_segment *ks, *is, *ds, *ps;
	struct logbuf log = { "" };

	kx_image_set_log(img, keep_log, &log);
	if (!is_int(kx_image_load_buffer(img, &o, k, ZSIZE), 0, "%s: load: %s",
		    l->name, kx_image_error(img)))
		goto out;
	ks = seg_of(img, KX_SEG_KERNEL);
	is = seg_of(img, KX_SEG_INITRD);
	ds = seg_of(img, KX_SEG_DTB);
	ps = seg_of(img, KX_SEG_PURGATORY);
	if (!ok(ks && is && ds && ps, "%s: zImage, initrd, DTB, purgatory", l->name))
		goto out;
	is_u64(ks->mem, l->zimage, "%s: the zImage", l->name);
	is_u64(ks->bufsz, ZSIZE, "%s: ... holds the zImage's bytes", l->name);
	is_u64(ks->memsz, l->zimage_memsz, "%s: ... and reserves its working memory",
	       l->name);
	is_u64(is->mem, l->initrd, "%s: the initrd", l->name);
	is_u64(ds->mem, l->dtb, "%s: the device tree", l->name);
	is_u64(ps->mem, l->purgatory_top - kx_align_up(ps->memsz, KX_PAGE_SIZE),
	       "%s: the purgatory, top-down below 0x%" PRIx64, l->name,
	       l->purgatory_top);
	is_u64(kx_image_kernel_entry(img), l->zimage, "%s: entered at the zImage",
	       l->name);
	ok(img->kernel_args[0] == 0 && img->kernel_args[1] == 0xffffffff &&
	   img->kernel_args[2] == ds->mem, "%s: r0 = 0, r1 = ~0, r2 = the DTB",
	   l->name);
	like(log.text, l->rule, "%s: --debug says the rule", l->name);
out:
	kx_image_free(img);
	free(k);
}

/* The zImage's row of the digest table covers the word after _edata,
 * which the decompressor reads: its bytes, then 4 zero bytes. */
static void check_zimage_row(struct kx_image *img, struct kx_purgatory *p,
			     const uint8_t *b)
{
	const struct kx_segment *z = seg_of(img, KX_SEG_KERNEL);
	struct kx_purgatory_sym tab;
	struct kx_sha256 c;
	uint8_t want[KX_SHA256_LEN];
	static const uint8_t zero[4];

	if (!ok(!kx_purgatory_symbol(p, "kx_digests", &tab) && z,
		"the digest table and the zImage segment"))
		return;
	kx_sha256_init(&c);
	kx_sha256_update(&c, z->buf, z->bufsz);
	kx_sha256_update(&c, zero, 4);
	kx_sha256_final(&c, want);
	is_u64(kx_get_uint(b + tab.offset, 8, false), z->mem,
	       "row 0 is the zImage");
	is_u64(kx_get_uint(b + tab.offset + 8, 8, false), z->bufsz + 4,
	       "... its %zu bytes and the word after _edata", z->bufsz);
	is_mem(b + tab.offset + 16, want, KX_SHA256_LEN,
	       "... whose digest is of the zImage and 4 zero bytes");
	ok(memcmp(z->sha256, want, KX_SHA256_LEN) != 0,
	   "... (the plan's sha256 stays that of the zImage's bytes)");
}

/* The values the purgatory gets, read back from its segment. */
static void test_purgatory_values(const struct env *env)
{
	struct kx_image *img = new_image("1G@0x40000000");
	uint8_t *k = make_zimage(ZSIZE, &debian_like);
	struct kx_load_opts o = { .arch = KX_ARCH_ARM, .kernel = "zImage",
				  .initrd = env->initrd, .dtb = env->dtb };
	const struct kx_arch_ops *arch = kx_arch_ops(KX_ARCH_ARM);
	const struct kx_segment *ps, *ds;
	struct kx_purgatory p;
	struct kx_purgatory_sym entry, args, uart, count;

	if (!is_int(kx_image_load_buffer(img, &o, k, ZSIZE), 0, "load for the "
		    "purgatory's values: %s", kx_image_error(img)) ||
	    !is_int(kx_purgatory_open(&p, arch), 0,
		    "open the purgatory to find its symbols"))
		goto out;
	ps = seg_of(img, KX_SEG_PURGATORY);
	ds = seg_of(img, KX_SEG_DTB);
	ok(!kx_purgatory_symbol(&p, "kx_entry", &entry) &&
	   !kx_purgatory_symbol(&p, "kx_args", &args) &&
	   !kx_purgatory_symbol(&p, "kx_uart", &uart) &&
	   !kx_purgatory_symbol(&p, "kx_digest_count", &count),
	   "kx_entry, kx_args, kx_uart and kx_digest_count exist");
	if (ps && ds) {
		const uint8_t *b = ps->buf;

		is_u64(kx_get_uint(b + entry.offset, 8, false), 0x40e48000,
		       "kx_entry is the zImage");
		is_u64(kx_get_uint(b + args.offset, 8, false), 0, "r0 = 0");
		is_u64(kx_get_uint(b + args.offset + 8, 8, false), 0xffffffff,
		       "r1 = ~0 (a device-tree-only machine)");
		is_u64(kx_get_uint(b + args.offset + 16, 8, false), ds->mem,
		       "r2 = the device tree");
		is_u64(kx_get_uint(b + uart.offset, 8, false), 0x9000000,
		       "the console is the PL011 stdout-path names");
		is_u64(kx_get_uint(b + uart.offset + 8, 8, false),
		       KX_UART_PL011 | 4 << 16, "... a PL011, 32-bit accesses");
		is_u64(kx_get_uint(b + count.offset, 4, false), 3,
		       "three segments are checked");
		check_zimage_row(img, &p, b);
		ok(kx_image_entry(img) >= ps->mem &&
		   kx_image_entry(img) < ps->mem + ps->bufsz,
		   "kexec starts inside the purgatory segment");
	}
	is_u64(kx_image_kexec_flags(img), 0x280000, "kexec_load flags: KEXEC_ARCH_ARM");
	kx_purgatory_close(&p);
out:
	kx_image_free(img);
	free(k);
}

/* The device tree handed over: /chosen, memory, the user's tree kept;
 * and the word after _edata left zero, so that the decompressor does not
 * take what follows for an appended device tree. */
static void test_dtb(const struct env *env)
{
	struct kx_image *img = new_image("1G@0x40000000");
	uint8_t *k = make_zimage(ZSIZE, &debian_like);
	struct kx_load_opts o = { .arch = KX_ARCH_ARM, .kernel = "zImage",
				  .initrd = env->initrd, .dtb = env->dtb,
				  .cmdline = "console=ttyAMA0 kx=1" };
	const struct kx_segment *ks, *ds;
	const fdt64_t *v;
	const char *s;
	int len, chosen;

	if (!is_int(kx_image_load_buffer(img, &o, k, ZSIZE), 0, "load: %s",
		    kx_image_error(img)))
		goto out;
	ks = seg_of(img, KX_SEG_KERNEL);
	ds = seg_of(img, KX_SEG_DTB);
	ok(ks->memsz >= ks->bufsz + 4, "the zImage is followed by zeroed memory");
	is_int(fdt_check_full(ds->buf, ds->bufsz), 0, "the tree handed over is sound");
	chosen = fdt_path_offset(ds->buf, "/chosen");
	s = fdt_getprop(ds->buf, chosen, "bootargs", &len);
	is_str(s ? s : "", "console=ttyAMA0 kx=1", "/chosen/bootargs");
	v = fdt_getprop(ds->buf, chosen, "linux,initrd-start", &len);
	is_u64(v && len == 8 ? fdt64_ld(v) : 0, 0x6ffff000, "linux,initrd-start");
	v = fdt_getprop(ds->buf, chosen, "linux,initrd-end", &len);
	is_u64(v && len == 8 ? fdt64_ld(v) : 0, 0x70000000, "linux,initrd-end");
	s = fdt_getprop(ds->buf, 0, "model", NULL);
	is_str(s ? s : "", "kexload user", "the user's tree is kept");
	ok(fdt_path_offset(ds->buf, "/memory@40000000") >= 0,
	   "a memory node is added where the tree has none");
out:
	kx_image_free(img);
	free(k);
}

/* An appended DTB: told apart, not loaded, the base tree when there is
 * no --dtb; a --dtb wins over it. Junk after the zImage is not loaded. */
static void test_appended(const struct env *env)
{
	const void *app = make_dtb("appended");
	size_t alen = fdt_totalsize(app), len = ZSIZE + alen;
	uint8_t *k = make_zimage(len, &debian_like);
	struct kx_load_opts o = { .arch = KX_ARCH_ARM, .kernel = "zImage+dtb" };
	struct kx_image *img = new_image("1G@0x40000000");
	struct kx_info info;
	const struct kx_segment *ks, *ds;
	const char *s;

	memcpy(k + ZSIZE, app, alen);
	is_int(kx_image_inspect_buffer(img, "zImage+dtb", k, len, &info), 0,
	       "inspect a zImage with a DTB appended");
	like(info_field(&info, "appended_dtb"), "bytes at 0x300000",
	     "inspect tells the appended DTB apart");
	if (is_int(kx_image_load_buffer(img, &o, k, len), 0, "load it: %s",
		   kx_image_error(img))) {
		ks = seg_of(img, KX_SEG_KERNEL);
		ds = seg_of(img, KX_SEG_DTB);
		is_u64(ks->bufsz, ZSIZE, "the appended DTB is not loaded with the zImage");
		s = fdt_getprop(ds->buf, 0, "model", NULL);
		is_str(s ? s : "", "appended", "without --dtb it is the base tree");
	}
	o.dtb = env->dtb;
	if (is_int(kx_image_load_buffer(img, &o, k, len), 0, "load with --dtb")) {
		ds = seg_of(img, KX_SEG_DTB);
		s = fdt_getprop(ds->buf, 0, "model", NULL);
		is_str(s ? s : "", "kexload user", "--dtb wins over the appended one");
	}
	memset(k + ZSIZE, 0x77, alen);
	if (is_int(kx_image_load_buffer(img, &o, k, len), 0, "junk after the zImage"))
		is_u64(seg_of(img, KX_SEG_KERNEL)->bufsz, ZSIZE, "... is not loaded");
	kx_image_free(img);
	free(k);
}

/* Hostile headers and tag lists: each refused with its message, nothing
 * loaded, and the walk always ends. */
struct bad {
	const char *name;
	size_t len;
	uint32_t poke_off, poke_val;   /* poke_off 0: none */
	uint32_t poke2_off, poke2_val;
	int rc;
	const char *msg;
};

static const struct bad bads[] = {
	{ "truncated", 0x100000, 0, 0, 0, 0, -EINVAL,
	  "truncated: truncated: the zImage header says the zImage is 0x300000 "
	  "bytes but the file has only 0x100000" },
	{ "cut-in-header", 0x30, 0, 0, 0, 0, -EINVAL,
	  "cut-in-header: truncated: the zImage header needs bytes 0x30-0x33 "
	  "but the file has only 48 bytes" },
	{ "linked", ZSIZE, 0x28, 0x8000, 0, 0, -EINVAL,
	  "linked: the zImage is linked to run at 0x8000: kexload loads "
	  "position-independent zImages" },
	{ "end-in-header", ZSIZE, 0x2c, 0x20, 0, 0, -EINVAL,
	  "end-in-header: the zImage header's end 0x20 is inside the header" },
	{ "big-endian", ZSIZE, 0x30, 0x01020304, 0, 0, -EINVAL,
	  "big-endian: a big-endian (BE8) zImage" },
	{ "tag-ptr-out", ZSIZE, TAG_OFF + 8, 0xfffffff0, 0, 0, -EINVAL,
	  "tag-ptr-out: the zImage kernel-size tag points at 0xfffffff0, "
	  "outside the zImage (0x300000 bytes)" },
	{ "tag-ptr-edge", ZSIZE, TAG_OFF + 8, ZSIZE - 3, 0, 0, -EINVAL,
	  "tag-ptr-edge: the zImage kernel-size tag points at 0x2ffffd, "
	  "outside the zImage" },
	{ "table-out", ZSIZE, 0x38, 0x7ffffff0, 0, 0, -EINVAL,
	  "table-out: zImage extension tag at 0x7ffffff0 is outside the zImage" },
	{ "tag-past-end", ZSIZE, TAG_OFF, 0x100000, 0, 0, -EINVAL,
	  "tag-past-end: zImage extension tag 0x5a534c4b at 0x100 (1048576 words) "
	  "runs past the end of the zImage (0x300000 bytes)" },
	/* 2^30 words is 4 GiB: a 32-bit offset would wrap back to this tag
	 * and loop; the walk ends instead. */
	{ "tag-loops", ZSIZE, TAG_OFF, 0x40000000, 0, 0, -EINVAL,
	  "tag-loops: zImage extension tag 0x5a534c4b at 0x100 (1073741824 "
	  "words) runs past the end" },
	{ "tag-size-1", ZSIZE, TAG_OFF, 1, 0, 0, -EINVAL,
	  "tag-size-1: zImage extension tag at 0x100 has size 1, smaller than "
	  "its header" },
	{ "tag-short", ZSIZE, TAG_OFF, 3, TAG_OFF + 12, 0, -EINVAL,
	  "tag-short: zImage kernel-size tag at 0x100 has 3 words, fewer than "
	  "the 4 it needs" },
	{ "kernel-0", ZSIZE, ZSIZE - 0x100, 0, 0, 0, -EINVAL,
	  "kernel-0: the zImage kernel-size tag says the kernel is 0 bytes" },
	{ "text-offset", ZSIZE, TAG_OFF + 16, 0x1000, 0, 0, -EINVAL,
	  "text-offset: zImage TEXT_OFFSET 0x1000 leaves no room for the page "
	  "tables" },
	{ "kernel-huge", ZSIZE, ZSIZE - 0x100, 0x8000000, 0, 0, -ENOSPC,
	  "kernel-huge: no room for the zImage (0x321000 bytes with its "
	  "working memory) between the end of the decompressed kernel "
	  "0x48248000 and the end of the first 128 MiB of RAM 0x48000000" },
};

static void test_bad(const struct env *env)
{
	for (size_t i = 0; i < KX_ARRAY_SIZE(bads); i++) {
		const struct bad *b = &bads[i];
		struct kx_image *img = new_image("1G@0x40000000");
		uint8_t *k = make_zimage(ZSIZE, &debian_like);
		struct kx_load_opts o = { .arch = KX_ARCH_ARM, .kernel = b->name,
					  .initrd = env->initrd, .dtb = env->dtb };

		if (b->poke_off)
			put32(k, b->poke_off, b->poke_val);
		if (b->poke2_off)
			put32(k, b->poke2_off, b->poke2_val);
		is_int(kx_image_load_buffer(img, &o, k, b->len), b->rc, "%s: refused",
		       b->name);
		like(kx_image_error(img), b->msg, "%s: message", b->name);
		is_u64(kx_image_segment_count(img), 0, "%s: nothing loaded", b->name);
		kx_image_free(img);
		free(k);
	}
}

/* Tags the walk steps over, a list ended by size zero, and too many. */
static void test_tag_walk(const struct env *env)
{
	struct kx_image *img = new_image("1G@0x40000000");
	uint8_t *k = make_zimage(ZSIZE, &no_tags);
	struct kx_load_opts o = { .arch = KX_ARCH_ARM, .kernel = "walk",
				  .initrd = env->initrd, .dtb = env->dtb };
	uint32_t off = TAG_OFF;

	put32(k, 0x34, 0x45454545);
	put32(k, 0x38, TAG_OFF);
	put32(k, off, 0);   /* an empty list */
	is_int(kx_image_load_buffer(img, &o, k, ZSIZE), 0,
	       "an empty tag list (size zero first) ends cleanly");
	is_u64(seg_of(img, KX_SEG_KERNEL)->mem, 0x41508000,
	       "... and the conservative rule places the zImage");
	/* Two unknown tags, then the kernel-size tag, then the end. */
	put32(k, off, 3);
	put32(k, off + 4, 0x12345678);
	put32(k, off + 12, 2);
	put32(k, off + 16, 0x87654321);
	off += 20;
	put32(k, off, 6);
	put32(k, off + 4, 0x5a534c4b);
	put32(k, off + 8, ZSIZE - 0x100);
	put32(k, off + 12, 0x40000);
	put32(k, off + 16, 0x208000);
	put32(k, off + 20, 0x10000);
	put32(k, off + 24, 0);
	put32(k, ZSIZE - 0x100, 0xc00000);
	is_int(kx_image_load_buffer(img, &o, k, ZSIZE), 0,
	       "unknown tags are stepped over: %s", kx_image_error(img));
	is_u64(kx_image_segment_count(img) ? seg_of(img, KX_SEG_KERNEL)->mem : 0,
	       0x40e48000, "... to the kernel-size tag after them");
	off = TAG_OFF;
	for (int i = 0; i < 40; i++, off += 8) {
		put32(k, off, 2);
		put32(k, off + 4, 0x1000 + (uint32_t)i);
	}
	put32(k, off, 0);
	is_int(kx_image_load_buffer(img, &o, k, ZSIZE), -EINVAL, "40 tags are refused");
	like(kx_image_error(img), "walk: more than 32 zImage extension tags",
	     "... saying so");
	kx_image_free(img);
	free(k);
}

static void test_inspect(void)
{
	struct kx_image *img;
	struct kx_info info;
	uint8_t *k = make_zimage(ZSIZE, &debian_like);
	const char *want[][2] = {
		{ "zimage_size", "0x300000" }, { "endianness", "little" },
		{ "kernel_text_data", "0xc00000" }, { "kernel_bss", "0x40000" },
		{ "text_offset", "0x208000" }, { "malloc_size", "0x10000" },
		{ "extension_tags", "1" }, { "appended_dtb", "no" },
	};

	kx_image_new(&img);
	memcpy(k + ZSIZE - 0x102, "YZ", 2);
	is_int(kx_image_inspect_buffer(img, "zImage", k, ZSIZE, &info), 0,
	       "inspect a synthetic zImage");
	is_str(info.format, "zImage", "format");
	is_int(info.arch, KX_ARCH_ARM, "architecture");
	is_str(info.compression, "xz", "an xz footer before the size word");
	for (size_t i = 0; i < KX_ARRAY_SIZE(want); i++)
		is_str(info_field(&info, want[i][0]), want[i][1], "inspect field %s",
		       want[i][0]);
	kx_image_free(img);
	free(k);
}

/* Two 16 MiB initrds do not fit in 32 MiB of lowmem (vmalloc= takes the
 * rest): refused, saying where an ARM kernel reads its initrd. */
static void test_lowmem(const struct env *env)
{
	struct kx_image *img = new_image("1G@0x40000000");
	uint8_t *k = make_zimage(ZSIZE, &debian_like);
	struct kx_load_opts o = { .arch = KX_ARCH_ARM, .kernel = "zImage",
				  .initrd = env->big, .dtb = env->dtb,
				  .cmdline = "vmalloc=1000M" };

	is_int(kx_image_load_buffer(img, &o, k, ZSIZE), -ENOSPC,
	       "an initrd that does not fit in lowmem is refused");
	like(kx_image_error(img), "no room for the initrd between the zImage's "
	     "end 0x41169000 and the end of the new kernel's lowmem 0x42000000",
	     "... naming the window");
	is_u64(kx_image_segment_count(img), 0, "... nothing loaded");
	kx_image_free(img);
	img = new_image("1M@0x40000000");
	o.initrd = env->initrd;
	o.cmdline = "";
	is_int(kx_image_load_buffer(img, &o, k, ZSIZE), -EINVAL,
	       "a kernel that would decompress outside RAM is refused");
	like(kx_image_error(img), "zImage: the decompressed kernel would land at "
	     "0x40208000-0x40e47fff (TEXT_OFFSET 0x208000 above the start of RAM "
	     "0x40000000), which is not all RAM", "... saying where");
	kx_image_free(img);
	free(k);
}

/* ---- 4 GiB -------------------------------------------------------------- */

/* RAM up to 4 GiB: the purgatory goes top-down to the last page but one,
 * and its stack, which ends where the segment does, ends at 0xfffff000:
 * at 0xffffffff + 1 the code's 32-bit literal could not hold it. */
static void test_stack_top(const struct env *env)
{
	struct kx_image *img = new_image("2G@0x80000000");
	uint8_t *k = make_zimage(ZSIZE, &debian_like);
	struct kx_load_opts o = { .arch = KX_ARCH_ARM, .kernel = "zImage",
				  .initrd = env->initrd, .dtb = env->dtb };
	const struct kx_arch_ops *arch = kx_arch_ops(KX_ARCH_ARM);
	const struct kx_segment *ps;
	struct kx_purgatory_sym top;
	struct kx_purgatory p;

	is_u64(arch->segment_max, 0xffffefff,
	       "arm's segments (the purgatory's too) may use addresses up to "
	       "0xffffefff");
	if (!is_int(kx_image_load_buffer(img, &o, k, ZSIZE), 0, "RAM to 4 GiB "
		    "loads: %s", kx_image_error(img)) ||
	    !(ps = seg_of(img, KX_SEG_PURGATORY)) ||
	    !is_int(kx_purgatory_open(&p, arch), 0,
		    "open the purgatory to find its stack"))
		goto out;
	is_u64(ps->mem + ps->memsz, 0xfffff000,
	       "the purgatory segment ends at 0xffffefff");
	is_int(kx_purgatory_relocate(&p, ps->mem), 0,
	       "it relocates there: %s", p.err[0] ? p.err : "no field overflows");
	if (is_int(kx_purgatory_symbol(&p, "kx_stack_top", &top), 0,
		   "kx_stack_top is in the object"))
		is_u64(top.addr, 0xfffff000, "the stack ends at 0xfffff000");
	kx_purgatory_close(&p);
out:
	kx_image_free(img);
	free(k);
}

/* RAM only above 4 GiB: the kernel cannot be entered there. */
static void test_above_4g(const struct env *env)
{
	struct kx_image *img = new_image("1G@0x800000000");
	uint8_t *k = make_zimage(ZSIZE, &debian_like);
	struct kx_load_opts o = { .arch = KX_ARCH_ARM, .kernel = "zImage",
				  .initrd = env->initrd, .dtb = env->dtb };

	is_int(kx_image_load_buffer(img, &o, k, ZSIZE), -EINVAL,
	       "RAM that starts above 4 GiB is refused");
	is_str(kx_image_error(img), "zImage: RAM starts at 0x800000000, so the "
	       "zImage would decompress the kernel to 0x800208000-0x800e47fff, "
	       "not below 0xfffff000: a 32-bit ARM kernel is entered, and given "
	       "its initrd and device tree, below 4 GiB", "... saying why");
	is_u64(kx_image_segment_count(img), 0, "... nothing loaded");
	kx_image_free(img);
	free(k);
}

/* The lines the purgatory cleans and invalidates: by count, so that a
 * range that ends at 4 GiB, whose end 32 bits cannot hold, is walked to
 * its last line and the walk ends. */
static const struct {
	const char *name;
	uint64_t start, end;
	unsigned shift;
	uint32_t first, count;
} line_cases[] = {
	{ "a page that ends at 4 GiB, 64-byte lines", 0xfffff000,
	  1ULL << 32, 6, 0xfffff000, 64 },
	{ "the last byte below 4 GiB", 0xffffffff, 1ULL << 32, 6, 0xffffffc0, 1 },
	{ "the top 64 KiB, 4-byte lines", 0xffff0000, 1ULL << 32, 2,
	  0xffff0000, 0x4000 },
	{ "both ends inside a line", 0x40000010, 0x40000041, 6, 0x40000000, 2 },
	{ "one 32-byte line", 0x40000000, 0x40000020, 5, 0x40000000, 1 },
	{ "an empty range", 0x40001000, 0x40001000, 6, 0, 0 },
	{ "a range past 4 GiB (never mapped, never cleaned)", 0xfffff000,
	  (1ULL << 32) + 1, 6, 0, 0 },
};

static void test_cache_lines(void)
{
	for (size_t i = 0; i < KX_ARRAY_SIZE(line_cases); i++) {
		struct kx_arm_lines l = kx_arm_lines(line_cases[i].start,
						     line_cases[i].end,
						     line_cases[i].shift);

		is_u64(l.first, line_cases[i].first, "%s: first line",
		       line_cases[i].name);
		is_u64(l.count, line_cases[i].count, "%s: lines",
		       line_cases[i].name);
	}
}

/* The check of a segment that ends at 4 GiB: every byte up to 0xffffffff
 * is hashed and none after it (the page above is mapped inaccessible).
 * Needs the two pages at 0xfffff000 free: on this host's plain build;
 * ASan keeps its shadow memory there, and a 32-bit process may not have
 * them, so those runs skip it. */
static void test_verify_at_4g(void)
{
	void *want = (void *)(uintptr_t)0xfffff000u;
	uint8_t *seg = UINTPTR_MAX > 0xffffffffu ?
		mmap(want, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE |
		     MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) : MAP_FAILED;
	struct kx_digest d;

	if (seg != want) {
		if (seg != MAP_FAILED)
			munmap(seg, 2 * 4096);
		skip("the pages at 0xfffff000 cannot be mapped here",
		     "a segment that ends at 4 GiB is checked to its last byte");
		return;
	}
	mprotect(seg + 4096, 4096, PROT_NONE);
	for (unsigned i = 0; i < 4096; i++)
		seg[i] = (uint8_t)(i * 7 + 1);
	d.addr = 0xfffff000;
	d.len = 4096;
	kx_sha256(seg, 4096, d.sha256);
	is_int(kx_purgatory_verify(&d, 1), 0,
	       "a segment at 0xfffff000-0xffffffff passes its check");
	seg[4095] ^= 0x01;
	is_int(kx_purgatory_verify(&d, 1), 1,
	       "a bit flipped in its last byte, 0xffffffff, is caught");
	seg[4095] ^= 0x01;
	seg[0] ^= 0x80;
	is_int(kx_purgatory_verify(&d, 1), 1,
	       "a bit flipped in its first byte, 0xfffff000, is caught");
	munmap(seg, 2 * 4096);
}

/* ---- uImages ------------------------------------------------------------ */

struct uhdr {
	uint8_t os, arch, type, comp;
	uint32_t load, ep;
};

static const struct uhdr arm_kernel = { 5, 2, 2, 0, 0x40008000, 0x40008000 };

static uint32_t crc(const void *p, size_t n)
{
	return (uint32_t)crc32(crc32(0L, Z_NULL, 0), p, (uInt)n);
}

static uint8_t *make_uimage(const uint8_t *data, size_t n, const struct uhdr *h)
{
	uint8_t *u = calloc(1, 64 + n);

	kx_put_uint(u, 4, 0x27051956, true);
	kx_put_uint(u + 8, 4, 1700000000, true);
	kx_put_uint(u + 12, 4, n, true);
	kx_put_uint(u + 16, 4, h->load, true);
	kx_put_uint(u + 20, 4, h->ep, true);
	u[28] = h->os;
	u[29] = h->arch;
	u[30] = h->type;
	u[31] = h->comp;
	memcpy(u + 32, "kexload test zImage", 19);
	memcpy(u + 64, data, n);
	kx_put_uint(u + 24, 4, crc(data, n), true);
	kx_put_uint(u + 4, 4, crc(u, 64), true);   /* hcrc still 0 here */
	return u;
}

static void test_uimage_good(const struct env *env)
{
	uint8_t *z = make_zimage(ZSIZE, &debian_like), *u;
	struct uhdr noload = arm_kernel;
	struct kx_load_opts o = { .arch = KX_ARCH_ARM, .kernel = "uImage",
				  .initrd = env->initrd, .dtb = env->dtb };
	struct kx_image *img = new_image("1G@0x40000000");
	uint8_t want[KX_SHA256_LEN];
	struct kx_info info;

	kx_sha256(z, ZSIZE, want);
	u = make_uimage(z, ZSIZE, &arm_kernel);
	if (is_int(kx_image_load_buffer(img, &o, u, 64 + ZSIZE), 0,
		   "a uImage of a zImage loads: %s", kx_image_error(img))) {
		const struct kx_segment *ks = seg_of(img, KX_SEG_KERNEL);

		is_str(kx_image_format(img), "zImage", "the format is the zImage inside");
		is_int(kx_image_wrapper_count(img), 1, "one wrapper");
		is_str(kx_image_wrapper(img, 0), "uImage", "... the uImage");
		is_u64(ks->mem, 0x40e48000,
		       "placed by the zImage's rule, not the uImage's load address");
		is_mem(ks->sha256, want, sizeof(want), "the segment is the zImage's bytes");
	}
	is_int(kx_image_inspect_buffer(img, "uImage", u, 64 + ZSIZE, &info), 0,
	       "inspect a uImage");
	ok(info.nwrappers == 1 && !strcmp(info.wrappers[0], "uImage") &&
	   !strcmp(info.format, "zImage"), "inspect: a zImage in a uImage");
	free(u);
	noload.type = 14;
	noload.load = noload.ep = 0;
	u = make_uimage(z, ZSIZE, &noload);
	is_int(kx_image_load_buffer(img, &o, u, 64 + ZSIZE), 0,
	       "a kernel_noload uImage loads too");
	/* The zImage magic at 0x24 is in a uImage's name: still a uImage. */
	kx_put_uint(u + 0x24, 4, 0x016f2818, false);
	memset(u + 4, 0, 4);
	kx_put_uint(u + 4, 4, crc(u, 64), true);
	if (is_int(kx_image_load_buffer(img, &o, u, 64 + ZSIZE), 0,
		   "a uImage whose name holds the zImage magic at 0x24"))
		is_int(kx_image_wrapper_count(img), 1, "... is read as a uImage");
	free(u);
	kx_image_free(img);
	free(z);
}

struct ubad {
	const char *name;
	struct uhdr h;
	int flip;          /* 0: none, else the byte to flip */
	size_t cut;        /* 0: whole, else the file's length */
	int rc;
	const char *msg;
};

static void test_uimage_bad(const struct env *env)
{
	static const struct ubad cases[] = {
		{ "wrong-arch", { 5, 22, 2, 0, 0, 0 }, 0, 0, -ENOEXEC,
		  "wrong-arch: the uImage is for arm64 (architecture 22), not ARM (2)" },
		{ "gzip", { 5, 2, 2, 1, 0, 0 }, 0, 0, -EINVAL,
		  "gzip: the uImage's data is gzip-compressed (compression 1); "
		  "kexload takes uncompressed uImages (mkimage -C none)" },
		{ "ramdisk", { 5, 2, 3, 0, 0, 0 }, 0, 0, -EINVAL,
		  "ramdisk: the uImage is a ramdisk image (type 3), not a kernel" },
		{ "netbsd", { 2, 2, 2, 0, 0, 0 }, 0, 0, -EINVAL,
		  "netbsd: the uImage holds OS 2, not Linux (5)" },
		{ "data-cut", { 5, 2, 2, 0, 0, 0 }, 0, 64 + 0x1000, -EINVAL,
		  "data-cut: truncated: the uImage header says 3145728 data bytes "
		  "but the file has only 4096 after the header" },
		{ "header-cut", { 5, 2, 2, 0, 0, 0 }, 0, 40, -EINVAL,
		  "header-cut: truncated: the uImage header needs bytes" },
		{ "zimage-cut", { 5, 2, 2, 0, 0, 0 }, 0, 0, -EINVAL,
		  "zimage-cut (uImage data): truncated: the zImage header says" },
	};
	uint8_t *z = make_zimage(ZSIZE, &debian_like);

	for (size_t i = 0; i < KX_ARRAY_SIZE(cases); i++) {
		const struct ubad *c = &cases[i];
		size_t n = !strcmp(c->name, "zimage-cut") ? 0x2000 : ZSIZE;
		uint8_t *u = make_uimage(z, n, &c->h);
		struct kx_image *img = new_image("1G@0x40000000");
		struct kx_load_opts o = { .arch = KX_ARCH_ARM, .kernel = c->name,
					  .initrd = env->initrd, .dtb = env->dtb };

		is_int(kx_image_load_buffer(img, &o, u, c->cut ? c->cut : 64 + n),
		       c->rc, "%s: refused", c->name);
		like(kx_image_error(img), c->msg, "%s: message", c->name);
		is_u64(kx_image_segment_count(img), 0, "%s: nothing loaded", c->name);
		kx_image_free(img);
		free(u);
	}
	free(z);
}

/* A byte changed after the CRCs were made: each CRC names both values. */
static void test_uimage_crc(const struct env *env)
{
	uint8_t *z = make_zimage(ZSIZE, &debian_like);
	uint8_t *u = make_uimage(z, ZSIZE, &arm_kernel);
	struct kx_image *img = new_image("1G@0x40000000");
	struct kx_load_opts o = { .arch = KX_ARCH_ARM, .kernel = "vmlinuz",
				  .initrd = env->initrd, .dtb = env->dtb };
	uint32_t says = (uint32_t)kx_get_uint(u + 4, 4, true), gives;
	uint8_t h[64];
	char want[160];

	u[40] ^= 0x20;   /* in the name */
	memcpy(h, u, 64);
	memset(h + 4, 0, 4);
	gives = crc(h, 64);
	snprintf(want, sizeof(want), "vmlinuz: uImage header CRC mismatch (header "
		 "says 0x%08x, header gives 0x%08x)", says, gives);
	is_int(kx_image_load_buffer(img, &o, u, 64 + ZSIZE), -EINVAL,
	       "a bad header CRC is refused");
	is_str(kx_image_error(img), want, "... naming both CRCs");
	is_u64(kx_image_segment_count(img), 0, "... nothing loaded");
	u[40] ^= 0x20;
	says = (uint32_t)kx_get_uint(u + 24, 4, true);
	u[64 + 0x1234] ^= 0x01;
	gives = crc(u + 64, ZSIZE);
	snprintf(want, sizeof(want), "vmlinuz: uImage data CRC mismatch (header "
		 "says 0x%08x, data gives 0x%08x)", says, gives);
	is_int(kx_image_load_buffer(img, &o, u, 64 + ZSIZE), -EINVAL,
	       "a bad data CRC is refused");
	is_str(kx_image_error(img), want, "... naming both CRCs");
	is_u64(kx_image_segment_count(img), 0, "... nothing loaded");
	ok(says != gives, "the two CRCs differ (the test changed the data)");
	kx_image_free(img);
	free(u);
	free(z);
}

int main(void)
{
	struct env env;
	const char *t = getenv("TMPDIR");
	static uint8_t initrd[4096];
	FILE *f;

	snprintf(env.dir, sizeof(env.dir), "%s/kx-arm-XXXXXX", t ? t : "/tmp");
	if (!mkdtemp(env.dir))
		abort();
	snprintf(env.dtb, sizeof(env.dtb), "%s/board.dtb", env.dir);
	snprintf(env.initrd, sizeof(env.initrd), "%s/initrd", env.dir);
	snprintf(env.big, sizeof(env.big), "%s/big-initrd", env.dir);
	write_file(env.dtb, make_dtb("kexload user"),
		   fdt_totalsize(make_dtb("kexload user")));
	memset(initrd, 0x42, sizeof(initrd));
	write_file(env.initrd, initrd, sizeof(initrd));
	f = fopen(env.big, "wb");
	if (!f || ftruncate(fileno(f), 16 << 20))
		abort();
	fclose(f);

	test_purgatory_relocation();
	test_reloc_encodings();
	for (size_t i = 0; i < KX_ARRAY_SIZE(layouts); i++)
		test_layout(&env, &layouts[i]);
	test_purgatory_values(&env);
	test_dtb(&env);
	test_appended(&env);
	test_bad(&env);
	test_tag_walk(&env);
	test_inspect();
	test_lowmem(&env);
	test_stack_top(&env);
	test_above_4g(&env);
	test_cache_lines();
	test_verify_at_4g();
	test_uimage_good(&env);
	test_uimage_bad(&env);
	test_uimage_crc(&env);

	remove(env.dtb);
	remove(env.initrd);
	remove(env.big);
	rmdir(env.dir);
	return done_testing();
}
