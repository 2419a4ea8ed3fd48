/* SPDX-License-Identifier: MIT */
/*
 * ppc64: both embedded purgatories (little endian, ABI v2; big endian,
 * ABI v1) relocated at two bases, every relocated field decoded again here
 * against the ELF ABIs' formulas; the reserve-map edits; and whole loads of
 * synthetic vmlinux files of both byte orders with a device tree built
 * here, read back with libfdt: placement, /chosen, the reserve map, the
 * boot CPU and what the purgatory is told; crash loads of both byte
 * orders (the kernel's __run_at_load, the backup of the first 64 KiB and
 * the core header's PT_LOAD for it, linux,usable-memory and
 * linux,drconf-usable-memory of both formats, the reserve map,
 * elfcorehdr=), and crash loads refused.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libfdt.h>

#include "internal.h"
#include "purgatory.h"
#include "load_helpers.h"
#include "reloc_helpers.h"
#include "tap.h"

extern const struct kx_arch_ops kx_arch_ppc64;
extern const struct kx_arch_ops kx_arch_ppc64be;
int kx_ppc64_del_rsv(void *fdt, uint64_t start, uint64_t size);
int kx_ppc64_add_rsv(void *fdt, uint64_t start, uint64_t size);
int kx_dt_flatten(const char *dir, void **blob, size_t *len, char *err);

#define TOC_BIAS 0x8000

static const uint64_t bases[2] = { 0xfff0000, 0x3450000 };

static bool in_opd(struct kx_purgatory *p, unsigned shndx)
{
	struct kx_elf_shdr sh;
	const char *n;

	if (kx_elf_shdr(&p->elf, shndx, &sh))
		return false;
	n = kx_elf_str(&p->elf, p->elf.shstrndx, sh.name);
	return n && !strcmp(n, ".opd");
}

/* 1: right, 0: wrong, -1: a type this test does not decode. */
static int check_field(struct kx_purgatory *p, uint32_t type,
		       const uint8_t *loc, uint64_t S, int64_t A, uint64_t P,
		       const struct kx_elf_sym *sym)
{
	bool be = p->arch->big_endian;
	uint64_t toc = p->base + TOC_BIAS;
	uint64_t X = S + (uint64_t)A;
	uint16_t h = (uint16_t)kx_get_uint(loc, 2, be);
	uint32_t insn = (uint32_t)kx_get_uint(loc, 4, be);

	switch (type) {
	case 38:    /* ADDR64 */
		return kx_get_uint(loc, 8, be) == X;
	case 51:    /* TOC: the TOC base */
		return kx_get_uint(loc, 8, be) == toc;
	case 10: {  /* REL24: to the local entry, or through the descriptor */
		uint64_t target = X;
		unsigned le = sym->other >> 5 & 7;

		if (in_opd(p, sym->shndx))
			target = kx_get_uint(p->buf + (X - p->base), 8, be);
		else if (le >= 2 && le <= 6)
			target += 1u << le;
		return (insn >> 26) == 18 &&
		       (uint64_t)sext(insn & 0x03fffffc, 26) == target - P;
	}
	case 50:    /* TOC16_HA */
		return h == (uint16_t)((X - toc + 0x8000) >> 16);
	case 48:    /* TOC16_LO */
		return h == (uint16_t)(X - toc);
	case 64:    /* TOC16_LO_DS */
		return (h & 0xfffc) == (uint16_t)((X - toc) & 0xfffc) &&
		       !((X - toc) & 3);
	case 252:   /* REL16_HA */
		return h == (uint16_t)((X - P + 0x8000) >> 16);
	case 250:   /* REL16_LO */
		return h == (uint16_t)(X - P);
	}
	return -1;
}

static int check_rela(const struct rela_field *f)
{
	return check_field(f->p, f->type, f->loc, f->S, f->A, f->P, f->sym);
}

static void check_purgatory(const struct kx_arch_ops *arch)
{
	struct kx_purgatory p[2];
	struct kx_purgatory_sym start, slave;
	struct tally t = { 0 };
	struct kx_elf e;

	note("%s purgatory", arch->name);
	for (int b = 0; b < 2; b++) {
		is_int(kx_purgatory_open(&p[b], arch), 0, "open the %s purgatory",
		       arch->name);
		is_int(kx_purgatory_relocate(&p[b], bases[b]), 0,
		       "relocate it at 0x%" PRIx64 ": %s", bases[b],
		       p[b].err[0] ? p[b].err : "every relocation resolved");
	}
	e = p[0].elf;
	ok(e.big_endian == arch->big_endian && e.is64 && e.machine == 21,
	   "it is a %s-endian ELF64 object for EM_PPC64",
	   arch->big_endian ? "big" : "little");
	check_relas(p, bases, TOC_BIAS, check_rela, &t);
	tally_verdict(&t);
	/* kexec_sequence copies purgatory_start's first 0x100 bytes to 0:
	 * a branch to the master code, then the kernel's spin code. */
	is_int(kx_purgatory_symbol(&p[0], "purgatory_start", &start), 0,
	       "purgatory_start is there");
	is_int(kx_purgatory_symbol(&p[0], "kx_ppc64_slave", &slave), 0,
	       "kx_ppc64_slave is there");
	is_u64(slave.offset - start.offset, 4, "kx_ppc64_slave is at +4");
	is_u64(slave.size, 0xfc, "... for the rest of the first 0x100 bytes");
	is_u64(kx_get_uint(p[0].buf + start.offset, 4, arch->big_endian),
	       0x48000100, "its first word is b +0x100 (the master code)");
	for (int b = 0; b < 2; b++)
		kx_purgatory_close(&p[b]);
}

static void test_reloc_errors(void)
{
	uint8_t insn[4] = { 0x48, 0, 0, 1 };   /* bl . (big endian) */
	struct kx_reloc r = { .type = 10, .S = 0x4000000, .P = 0,
			      .loc = insn, .room = 4, .sym_name = "far" };
	struct kx_purgatory rp = { .arch = &kx_arch_ppc64be };

	is_int(kx_arch_ppc64be.apply_reloc(&rp, &r), -ERANGE,
	       "REL24 beyond 32 MiB is refused");
	is_str(rp.err, "purgatory: ppc64 relocation type 10 at 0x0 cannot "
	       "reach 0x4000000 (far)", "... saying where and what");
	r.S = 0x1002;
	is_int(kx_arch_ppc64be.apply_reloc(&rp, &r), -ENOEXEC,
	       "a branch to a misaligned target is refused");
	r.S = 0x1000;
	is_int(kx_arch_ppc64be.apply_reloc(&rp, &r), 0, "bl +0x1000 fits");
	is_u64(kx_get_uint(insn, 4, true), 0x48001001,
	       "... encoded with LI = 0x1000 and LK kept");
	r.type = 47;   /* TOC16: 16 bits signed from the TOC base */
	r.S = rp.base + TOC_BIAS + 0x8000;
	is_int(kx_arch_ppc64be.apply_reloc(&rp, &r), -ERANGE,
	       "TOC16 out of 16 bits is refused");
	r.type = 9999;
	is_int(kx_arch_ppc64be.apply_reloc(&rp, &r), -ENOEXEC,
	       "an unknown type is refused");
	is_str(rp.err, "purgatory: ppc64 relocation type 9999 is not supported",
	       "... by number");
}

/* ---- reserve map ------------------------------------------------------ */

static void test_rsvmap(void)
{
	static char buf[2048] __attribute__((aligned(8)));
	uint64_t a, s;

	fdt_create(buf, sizeof(buf));
	fdt_add_reservemap_entry(buf, 0x2c90000, 0x270000);   /* 64K pages */
	fdt_add_reservemap_entry(buf, 0x2fff0000, 0x10000);   /* RTAS */
	fdt_add_reservemap_entry(buf, 0x5000000, 0x1234);     /* exact */
	fdt_finish_reservemap(buf);
	fdt_begin_node(buf, "");
	fdt_end_node(buf);
	fdt_finish(buf);
	fdt_open_into(buf, buf, sizeof(buf));
	is_int(kx_ppc64_del_rsv(buf, 0x2c90000, 0x263600), 0,
	       "an initrd reserved in whole 64 KiB pages is found and deleted");
	is_int(fdt_num_mem_rsv(buf), 2, "two entries are left");
	is_int(kx_ppc64_del_rsv(buf, 0x5000000, 0x1234), 0,
	       "an initrd reserved to the byte is deleted");
	is_int(kx_ppc64_del_rsv(buf, 0x6000000, 0x1000), -FDT_ERR_NOTFOUND,
	       "a range with no entry is not found");
	fdt_get_mem_rsv(buf, 0, &a, &s);
	ok(fdt_num_mem_rsv(buf) == 1 && a == 0x2fff0000 && s == 0x10000,
	   "only RTAS's entry is left");
	is_int(kx_ppc64_add_rsv(buf, 0x2fff8000, 0x1000), 0,
	       "a range inside an entry is not added again");
	is_int(fdt_num_mem_rsv(buf), 1, "... the map has one entry");
	is_int(kx_ppc64_add_rsv(buf, 0x3f000000, 0x200001), 0, "a new range is added");
	fdt_get_mem_rsv(buf, 1, &a, &s);
	ok(a == 0x3f000000 && s == 0x200001, "... as it is: 0x3f000000+0x200001");
}

/* ---- synthetic vmlinux ------------------------------------------------ */

#define KLEN 0x20000           /* file bytes of the PT_LOAD */
#define KMEM 0x2f0000          /* its memory size */
#define KOFF 0x10000           /* its offset in the file */

static void put(uint8_t *p, unsigned n, uint64_t v, bool be)
{
	kx_put_uint(p, n, v, be);
}

/* An ELF64 ppc64 vmlinux: one PT_LOAD at paddr 0, vaddr 0xc000...,
 * and a PT_NOTE, as Debian's. */
static uint8_t *make_vmlinux(bool be, uint16_t type, size_t *len)
{
	uint8_t *f = calloc(1, KOFF + KLEN);

	memcpy(f, "\x7f" "ELF\x02", 5);
	f[5] = be ? 2 : 1;
	f[6] = 1;
	put(f + 16, 2, type, be);
	put(f + 18, 2, 21, be);
	put(f + 20, 4, 1, be);
	put(f + 24, 8, 0xc000000000000000ULL, be);   /* e_entry */
	put(f + 32, 8, 64, be);                      /* e_phoff */
	put(f + 52, 2, 64, be);
	put(f + 54, 2, 56, be);
	put(f + 56, 2, 2, be);
	/* PT_LOAD */
	put(f + 64, 4, 1, be);
	put(f + 68, 4, 7, be);
	put(f + 72, 8, KOFF, be);
	put(f + 80, 8, 0xc000000000000000ULL, be);
	put(f + 88, 8, 0, be);
	put(f + 96, 8, KLEN, be);
	put(f + 104, 8, KMEM, be);
	put(f + 112, 8, 0x10000, be);
	/* PT_NOTE inside it */
	put(f + 120, 4, 4, be);
	put(f + 128, 8, KOFF + 0x100, be);
	put(f + 136, 8, 0xc000000000000100ULL, be);
	put(f + 144, 8, 0x100, be);
	put(f + 152, 8, 0x10, be);
	put(f + 160, 8, 0x10, be);
	for (size_t i = 0; i < KLEN; i++)
		f[KOFF + i] = (uint8_t)(i * 7 + 3);
	*len = KOFF + KLEN;
	return f;
}

static void *make_tree(void)
{
	static char buf[4096] __attribute__((aligned(8)));
	fdt32_t one = cpu_to_fdt32(1), two = cpu_to_fdt32(2);
	fdt64_t mem[2] = { cpu_to_fdt64(0), cpu_to_fdt64(0x80000000) };
	fdt64_t is = cpu_to_fdt64(0x2c90000), ie = cpu_to_fdt64(0x2ef3600);
	fdt32_t reg8 = cpu_to_fdt32(8), tb = cpu_to_fdt32(512000000);
	fdt32_t vty = cpu_to_fdt32(0x30000000);
	fdt32_t rb = cpu_to_fdt32(0x2fff0000), rs = cpu_to_fdt32(0x10000);

	fdt_create(buf, sizeof(buf));
	fdt_add_reservemap_entry(buf, 0x2c90000, 0x270000);
	fdt_finish_reservemap(buf);
	fdt_begin_node(buf, "");
	fdt_property(buf, "#address-cells", &two, 4);
	fdt_property(buf, "#size-cells", &two, 4);
	fdt_begin_node(buf, "chosen");
	fdt_property_string(buf, "bootargs", "old");
	fdt_property(buf, "linux,initrd-start", &is, 8);
	fdt_property(buf, "linux,initrd-end", &ie, 8);
	fdt_property(buf, "linux,kernel-end", &is, 8);
	fdt_property(buf, "linux,crashkernel-base", &is, 8);
	fdt_property(buf, "linux,crashkernel-size", &is, 8);
	fdt_property(buf, "linux,memory-limit", &is, 8);
	fdt_property(buf, "linux,htab-base", &is, 8);
	fdt_property(buf, "linux,htab-size", &is, 8);
	fdt_end_node(buf);
	fdt_begin_node(buf, "cpus");
	fdt_property(buf, "#address-cells", &one, 4);
	fdt_property(buf, "#size-cells", &one, 0);
	fdt_begin_node(buf, "PowerPC,POWER9@8");
	fdt_property_string(buf, "device_type", "cpu");
	fdt_property(buf, "reg", &reg8, 4);
	fdt_property(buf, "timebase-frequency", &tb, 4);
	fdt_end_node(buf);
	fdt_end_node(buf);
	fdt_begin_node(buf, "memory@0");
	fdt_property_string(buf, "device_type", "memory");
	fdt_property(buf, "reg", mem, sizeof(mem));
	fdt_end_node(buf);
	fdt_begin_node(buf, "rtas");
	fdt_property(buf, "linux,rtas-base", &rb, 4);
	fdt_property(buf, "rtas-size", &rs, 4);
	fdt_end_node(buf);
	fdt_begin_node(buf, "vdevice");
	fdt_property(buf, "#address-cells", &one, 4);
	fdt_property(buf, "#size-cells", &one, 0);
	fdt_begin_node(buf, "vty@30000000");
	fdt_property_string(buf, "compatible", "hvterm1");
	fdt_property(buf, "reg", &vty, 4);
	fdt_end_node(buf);
	fdt_end_node(buf);
	fdt_end_node(buf);
	fdt_finish(buf);
	return buf;
}

static uint64_t purg_sym(const struct kx_segment *ps, bool be,
			 const char *name, unsigned idx)
{
	struct kx_purgatory p;
	struct kx_purgatory_sym s;
	uint64_t v = ~0ULL;

	if (!kx_purgatory_open(&p, be ? &kx_arch_ppc64be : &kx_arch_ppc64) &&
	    !kx_purgatory_symbol(&p, name, &s))
		v = kx_get_uint((const uint8_t *)ps->buf + s.offset + idx * 8, 8, be);
	kx_purgatory_close(&p);
	return v;
}

static const uint8_t *purg_bytes(const struct kx_segment *ps, bool be,
				 const char *name)
{
	struct kx_purgatory p;
	struct kx_purgatory_sym s;
	const uint8_t *v = NULL;

	if (!kx_purgatory_open(&p, be ? &kx_arch_ppc64be : &kx_arch_ppc64) &&
	    !kx_purgatory_symbol(&p, name, &s))
		v = (const uint8_t *)ps->buf + s.offset;
	kx_purgatory_close(&p);
	return v;
}

static void test_load(bool be, uint16_t type)
{
	struct kx_image *img = new_image("2G@0");
	size_t klen;
	uint8_t *k = make_vmlinux(be, type, &klen);
	static uint8_t initrd[0x12345];
	const void *tree = make_tree();
	struct kx_input rd = { "initrd", initrd, sizeof(initrd) };
	struct kx_inputs in = { .kernel = { "vmlinux", k, klen },
				.initrds = &rd, .ninitrds = 1,
				.dtb = { "tree", tree, fdt_totalsize(tree) } };
	struct kx_load_opts o = { .arch = KX_ARCH_PPC64,
				  .cmdline = "console=hvc0 kx=1" };
	/* The purgatory is in the running kernel's byte order: this
	 * library's own on a ppc64 host (qemu-user runs), else the image's. */
	bool pbe = kx_arch_host() == KX_ARCH_PPC64 ?
			   __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__ : be;
	const struct kx_segment *ks, *is, *ds, *ps;
	const void *fdt;
	int chosen, len;
	const fdt64_t *p64;
	uint64_t a, s;

	note("%s-endian %s vmlinux", be ? "big" : "little",
	     type == 2 ? "ET_EXEC" : "ET_DYN");
	if (!is_int(kx_image_load_inputs(img, &o, &in), 0, "it loads: %s",
		    kx_image_error(img)))
		goto out;
	is_str(kx_image_format(img), be ? "ELF vmlinux (ppc64, big endian)" :
	       "ELF vmlinux (ppc64le)", "the format");
	ks = seg_of(img, KX_SEG_KERNEL);
	is = seg_of(img, KX_SEG_INITRD);
	ds = seg_of(img, KX_SEG_DTB);
	ps = seg_of(img, KX_SEG_PURGATORY);
	/* The kernel copies itself to 0 and uses KMEM from there: it goes
	 * right above, in 64 KiB pages. */
	is_u64(ks->mem, KMEM, "the kernel sits right above its run area");
	is_u64(ks->memsz, KMEM, "... its memory size");
	is_u64(ks->bufsz, KLEN, "... with the PT_LOAD's file bytes");
	ok(!memcmp(ks->buf, k + KOFF, KLEN), "... which are the file's");
	is_u64(kx_image_kernel_entry(img), KMEM, "the entry is its first byte");
	is_u64(is->mem, 0x40000000 - 0x20000, "the initrd goes top-down below 1 GiB");
	is_u64(is->memsz, 0x20000, "... in 64 KiB pages");
	is_u64(ds->mem, is->mem - 0x10000, "the device tree right below it");
	ok(ps->mem + ps->memsz <= 0x10000000, "the purgatory below 256 MiB");
	ok(!memcmp(purg_bytes(ps, pbe, "kx_ppc64_slave"), k + KOFF + 4, 0xfc),
	   "the purgatory carries the kernel's bytes 4-0xff");
	is_u64(purg_sym(ps, pbe, "kx_args", 0), ds->mem, "r3 = the device tree");
	is_u64(purg_sym(ps, pbe, "kx_args", 1), KMEM, "r4 = the kernel's base");
	is_u64(purg_sym(ps, pbe, "kx_args", 2), 0, "r5 = 0");
	is_u64(purg_sym(ps, pbe, "kx_entry", 0), KMEM, "kx_entry");
	is_u64(purg_sym(ps, pbe, "kx_ppc64_hvterm", 0), 1, "console: the vty");
	is_u64(purg_sym(ps, pbe, "kx_ppc64_hvterm", 1), 0x30000000, "... 0x30000000");
	is_u64(purg_sym(ps, pbe, "kx_ppc64_tb_hz", 0), 512000000, "timebase 512 MHz");

	fdt = ds->buf;
	is_int(fdt_check_full(fdt, ds->bufsz), 0, "the device tree is sound");
	chosen = fdt_path_offset(fdt, "/chosen");
	is_str(fdt_getprop(fdt, chosen, "bootargs", NULL), "console=hvc0 kx=1",
	       "bootargs");
	p64 = fdt_getprop(fdt, chosen, "linux,initrd-start", &len);
	ok(p64 && len == 8 && kx_get_uint((const void *)p64, 8, true) == is->mem,
	   "linux,initrd-start");
	p64 = fdt_getprop(fdt, chosen, "linux,initrd-end", &len);
	ok(p64 && len == 8 && kx_get_uint((const void *)p64, 8, true) ==
	   is->mem + sizeof(initrd), "linux,initrd-end");
	ok(!fdt_getprop(fdt, chosen, "linux,kernel-end", NULL) &&
	   !fdt_getprop(fdt, chosen, "linux,crashkernel-base", NULL) &&
	   !fdt_getprop(fdt, chosen, "linux,crashkernel-size", NULL) &&
	   !fdt_getprop(fdt, chosen, "linux,memory-limit", NULL) &&
	   !fdt_getprop(fdt, chosen, "linux,htab-base", NULL) &&
	   !fdt_getprop(fdt, chosen, "linux,htab-size", NULL),
	   "the running kernel's own /chosen properties are gone");
	is_int(fdt_num_mem_rsv(fdt), 2, "two reservations");
	fdt_get_mem_rsv(fdt, 0, &a, &s);
	ok(a == 0x2fff0000 && s == 0x10000, "RTAS first (the old initrd's is gone)");
	fdt_get_mem_rsv(fdt, 1, &a, &s);
	ok(a == is->mem && s == sizeof(initrd), "then the new initrd, to the byte");
	is_u64(fdt_boot_cpuid_phys(fdt), 8, "the boot CPU is /cpus' first, 8");
out:
	kx_image_free(img);
	free(k);
}

/* Bad vmlinux files: each refused with its message, nothing loaded. */
static void refuse(const char *what, uint8_t *k, size_t len, const char *msg)
{
	struct kx_image *img = new_image("2G@0");
	struct kx_inputs in = { .kernel = { "vmlinux", k, len } };
	struct kx_load_opts o = { .cmdline = "" };

	ok(kx_image_load_inputs(img, &o, &in) < 0, "%s is refused", what);
	is_str(kx_image_error(img), msg, "... with its message");
	is_u64(kx_image_segment_count(img), 0, "... and nothing loaded");
	kx_image_free(img);
}

static void test_bad(void)
{
	size_t len;
	uint8_t *k = make_vmlinux(false, 2, &len);

	refuse("an ELF header cut short", k, 40,
	       "vmlinux: truncated ELF header");
	refuse("a file cut in its PT_LOAD", k, KOFF + 0x1000,
	       "vmlinux: program header 0: file bytes 0x10000+0x20000 run past "
	       "the end of the file (69632 bytes)");
	put(k + 32, 8, len - 8, false);
	refuse("program headers outside the file", k, len,
	       "vmlinux: program headers (2 at 0x2fff8) run past the end of "
	       "the file (196608 bytes)");
	put(k + 32, 8, 64, false);
	put(k + 120, 4, 1, false);   /* the NOTE becomes a PT_LOAD inside it */
	refuse("overlapping PT_LOADs", k, len,
	       "vmlinux: program headers 0 and 1 overlap (0x0+0x2f0000 and "
	       "0x100+0x10)");
	put(k + 120, 4, 4, false);
	put(k + 96, 8, KMEM + 1, false);
	refuse("a file size above the memory size", k, len,
	       "vmlinux: program header 0: file bytes 0x10000+0x2f0001 run "
	       "past the end of the file (196608 bytes)");
	put(k + 96, 8, 0x100, false);
	put(k + 104, 8, 0x80, false);
	refuse("a file size above the memory size", k, len,
	       "vmlinux: program header 0: file size 0x100 is more than its "
	       "memory size 0x80");
	put(k + 96, 8, KLEN, false);
	put(k + 104, 8, KMEM, false);
	put(k + 64, 4, 6, false);    /* PT_PHDR: no PT_LOAD left */
	refuse("a file without PT_LOAD", k, len,
	       "vmlinux: no loadable segment (no PT_LOAD program header)");
	put(k + 64, 4, 1, false);
	put(k + 18, 2, 62, false);
	refuse("an x86-64 ELF", k, len,
	       "vmlinux: an ELF file for x86-64 (machine 62, 64-bit): kexload "
	       "loads ELF kernels for ppc64 and s390x only");
	free(k);
}

/* ---- crash kernels ------------------------------------------------------ */

#define CRASH_LO 0x8000000ULL     /* crashkernel=256M@128M */
#define CRASH_HI 0x17ffffffULL
#define LMB 0x10000000ULL
#define PAGE_OFFSET 0xc000000000000000ULL

static struct kx_crash_note crash_cpus[2] = { { 0x3ff10000, 0x1a8 },
					      { 0x3ff30000, 0x1a8 } };
static const struct kx_crash_info crash_ci = {
	.cpus = crash_cpus, .ncpus = 2, .vmcoreinfo = { 0x3e000000, 0x1000 },
	.linear_offset = PAGE_OFFSET, .linear = true,
};

/* A pseries tree: memory@0 (2 GiB) and memory@80000000 (2 GiB, all of it
 * above the crash region), RTAS at 0x2fff0000, and dynamic
 * reconfiguration memory with 256 MiB LMBs at 0x10000000, 0x20000000 and
 * 0x100000000, as ibm,dynamic-memory (v1: one entry each) or -v2 (a set
 * of two, then one). */
static void *make_crash_tree(bool v2, bool broken)
{
	static char buf[8192] __attribute__((aligned(8)));
	fdt32_t one = cpu_to_fdt32(1), two = cpu_to_fdt32(2);
	fdt64_t mem0[2] = { cpu_to_fdt64(0), cpu_to_fdt64(0x80000000) };
	fdt64_t mem1[2] = { cpu_to_fdt64(0x80000000), cpu_to_fdt64(0x80000000) };
	fdt64_t lmb = cpu_to_fdt64(LMB), cb = cpu_to_fdt64(CRASH_LO);
	fdt32_t reg8 = cpu_to_fdt32(8);
	fdt32_t rb = cpu_to_fdt32(0x2fff0000), rs = cpu_to_fdt32(0x10000);
	uint8_t dm[4 + 3 * 24] = { 0 };
	size_t n = v2 ? 2 : 3;

	kx_put_uint(dm, 4, n, true);
	if (v2) {   /* seq_lmbs, base, drc index, aa index, flags */
		kx_put_uint(dm + 4, 4, 2, true);
		kx_put_uint(dm + 8, 8, LMB, true);
		kx_put_uint(dm + 28, 4, 1, true);
		kx_put_uint(dm + 32, 8, 0x100000000ULL, true);
	} else {    /* base, drc index, reserved, aa index, flags */
		kx_put_uint(dm + 4, 8, LMB, true);
		kx_put_uint(dm + 28, 8, 2 * LMB, true);
		kx_put_uint(dm + 52, 8, 0x100000000ULL, true);
	}
	fdt_create(buf, sizeof(buf));
	fdt_finish_reservemap(buf);
	fdt_begin_node(buf, "");
	fdt_property(buf, "#address-cells", &two, 4);
	fdt_property(buf, "#size-cells", &two, 4);
	fdt_begin_node(buf, "chosen");
	fdt_property_string(buf, "bootargs", "old crashkernel=256M");
	fdt_property(buf, "linux,crashkernel-base", &cb, 8);
	fdt_property(buf, "linux,crashkernel-size", &cb, 8);
	fdt_end_node(buf);
	fdt_begin_node(buf, "cpus");
	fdt_property(buf, "#address-cells", &one, 4);
	fdt_property(buf, "#size-cells", &one, 0);
	fdt_begin_node(buf, "PowerPC,POWER9@8");
	fdt_property_string(buf, "device_type", "cpu");
	fdt_property(buf, "reg", &reg8, 4);
	fdt_end_node(buf);
	fdt_end_node(buf);
	fdt_begin_node(buf, "memory@0");
	fdt_property_string(buf, "device_type", "memory");
	fdt_property(buf, "reg", mem0, sizeof(mem0));
	fdt_end_node(buf);
	fdt_begin_node(buf, "memory@80000000");
	fdt_property_string(buf, "device_type", "memory");
	fdt_property(buf, "reg", mem1, sizeof(mem1));
	fdt_end_node(buf);
	fdt_begin_node(buf, "ibm,dynamic-reconfiguration-memory");
	fdt_property(buf, "ibm,lmb-size", &lmb, 8);
	fdt_property(buf, v2 ? "ibm,dynamic-memory-v2" : "ibm,dynamic-memory",
		     dm, 4 + n * 24 - (broken ? 1 : 0));
	fdt_end_node(buf);
	fdt_begin_node(buf, "rtas");
	fdt_property(buf, "linux,rtas-base", &rb, 4);
	fdt_property(buf, "rtas-size", &rs, 4);
	fdt_end_node(buf);
	fdt_end_node(buf);
	fdt_finish(buf);
	return buf;
}

/* RAM 0-4 GiB with the crash region @lo-@hi (none if @lo > @hi). */
static struct kx_image *crash_image(uint64_t lo, uint64_t hi)
{
	struct kx_memmap *map;
	struct kx_image *img;

	if (kx_memmap_new(&map) || kx_image_new(&img) ||
	    kx_memmap_add(map, 0, 0xffffffff, KX_MEM_RAM) ||
	    (lo <= hi && kx_memmap_add(map, lo, hi, KX_MEM_CRASH)) ||
	    kx_image_set_memmap(img, map))
		abort();
	kx_memmap_free(map);
	kx_image_set_random(img, fixed_random, NULL);
	return img;
}

/* A vmlinux of a relocatable kernel: "run0" at 0x5c of its image. */
static uint8_t *make_relocatable(bool be, size_t *len)
{
	uint8_t *k = make_vmlinux(be, be ? 3 : 2, len);

	put(k + KOFF + 0x5c, 4, 0x72756e30, be);
	return k;
}

static bool is_cells(const void *fdt, const char *path, const char *prop,
		     const uint64_t *want, size_t n, const char *what)
{
	int node = fdt_path_offset(fdt, path), len = 0;
	const uint8_t *v = node >= 0 ? fdt_getprop(fdt, node, prop, &len) : NULL;
	bool good = v && (size_t)len == n * 8;

	for (size_t i = 0; good && i < n; i++)
		good = kx_get_uint(v + 8 * i, 8, true) == want[i];
	if (!good && v)
		for (int i = 0; i + 8 <= len; i += 8)
			diag("%s %s[%d] = 0x%" PRIx64, path, prop, i / 8,
			     kx_get_uint(v + i, 8, true));
	return ok(good, "%s", what);
}

static bool has_rsv(const void *fdt, uint64_t a, uint64_t s)
{
	for (int i = 0; i < fdt_num_mem_rsv(fdt); i++) {
		uint64_t ra, rs;

		if (!fdt_get_mem_rsv(fdt, i, &ra, &rs) && ra == a && rs == s)
			return true;
	}
	return false;
}

/* One program header of a core header in byte order @be, against what it
 * must be. */
static void check_core_phdr(const uint8_t *h, bool be, size_t i, uint32_t type,
			    uint64_t off, uint64_t vaddr, uint64_t paddr,
			    uint64_t size, const char *what)
{
	const uint8_t *p = h + 64 + 56 * i;
	bool good = kx_get_uint(p, 4, be) == type &&
		    kx_get_uint(p + 8, 8, be) == off &&
		    kx_get_uint(p + 16, 8, be) == vaddr &&
		    kx_get_uint(p + 24, 8, be) == paddr &&
		    kx_get_uint(p + 32, 8, be) == size &&
		    kx_get_uint(p + 40, 8, be) == size;

	if (!good)
		diag("got type %" PRIu64 " offset 0x%" PRIx64 " vaddr 0x%" PRIx64
		     " paddr 0x%" PRIx64 " size 0x%" PRIx64, kx_get_uint(p, 4, be),
		     kx_get_uint(p + 8, 8, be), kx_get_uint(p + 16, 8, be),
		     kx_get_uint(p + 24, 8, be), kx_get_uint(p + 32, 8, be));
	ok(good, "%s", what);
}

static void test_crash(bool be, bool v2)
{
	struct kx_image *img = crash_image(CRASH_LO, CRASH_HI);
	size_t klen;
	uint8_t *k = make_relocatable(be, &klen);
	static uint8_t initrd[0x12345];
	const void *tree = make_crash_tree(v2, false);
	struct kx_input rd = { "initrd", initrd, sizeof(initrd) };
	struct kx_inputs in = { .kernel = { "vmlinux", k, klen },
				.initrds = &rd, .ninitrds = 1,
				.dtb = { "tree", tree, fdt_totalsize(tree) } };
	struct kx_load_opts o = { .arch = KX_ARCH_PPC64, .type = KX_IMAGE_CRASH,
				  .cmdline = "console=hvc0 nr_cpus=1",
				  .crash = &crash_ci };
	bool pbe = kx_arch_host() == KX_ARCH_PPC64 ?
			   __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__ : be;
	const struct kx_segment *ks, *bs, *hs, *ds, *ps;
	const uint8_t *h;
	const void *fdt;
	char want[160];
	uint64_t b;

	note("crash load, %s-endian vmlinux, ibm,dynamic-memory%s",
	     be ? "big" : "little", v2 ? "-v2" : "");
	if (pbe != be) {   /* a ppc64 host of the other byte order */
		is_int(kx_image_load_inputs(img, &o, &in), -ENOEXEC,
		       "a crash kernel of the other byte order is refused");
		snprintf(want, sizeof(want), "vmlinux: a %s-endian crash "
			 "kernel for a %s-endian kernel: it could not read the "
			 "crashed kernel's notes", be ? "big" : "little",
			 be ? "little" : "big");
		is_str(kx_image_error(img), want, "... saying why");
		is_u64(kx_image_segment_count(img), 0, "... nothing loaded");
		goto out;
	}
	if (!is_int(kx_image_load_inputs(img, &o, &in), 0, "it loads: %s",
		    kx_image_error(img)))
		goto out;
	ks = seg_of(img, KX_SEG_KERNEL);
	bs = seg_of(img, KX_SEG_BACKUP);
	hs = seg_of(img, KX_SEG_ELFCOREHDR);
	ds = seg_of(img, KX_SEG_DTB);
	ps = seg_of(img, KX_SEG_PURGATORY);
	if (!ok(ks && bs && hs && ds && ps, "kernel, backup, core header, "
		"device tree and purgatory segments"))
		goto out;
	for (size_t i = 0; i < kx_image_segment_count(img); i++) {
		const struct kx_segment *s = kx_image_segment(img, i);

		ok(s->mem >= CRASH_LO && s->mem + s->memsz - 1 <= CRASH_HI,
		   "the %s segment is inside the crash region",
		   kx_segment_kind_name(s->kind));
	}
	/* __run_at_load: the crash kernel runs where it is loaded. */
	is_u64(ks->mem, CRASH_LO, "the kernel at the crash region's start "
	       "(it runs there, not at 0)");
	is_u64(kx_get_uint((const uint8_t *)ks->buf + 0x5c, 4, be), 1,
	       "__run_at_load (0x5c) is 1 in the placed kernel's bytes");
	ok(!memcmp(ks->buf, k + KOFF, 0x5c) &&
	   !memcmp((const uint8_t *)ks->buf + 0x60, k + KOFF + 0x60, KLEN - 0x60),
	   "... and every other byte is the file's");
	is_u64(kx_get_uint(k + KOFF + 0x5c, 4, be), 0x72756e30,
	       "... in a copy: the input still says \"run0\"");
	ok(!memcmp(purg_bytes(ps, pbe, "kx_ppc64_slave") + 0x58, "\0\0\0\1", 4) ||
	   !memcmp(purg_bytes(ps, pbe, "kx_ppc64_slave") + 0x58, "\1\0\0\0", 4),
	   "the spin code copied to 0 has it too");
	is_u64(kx_image_kernel_entry(img), CRASH_LO, "entered at its first byte");
	ok(ps->mem >= 0x10000000, "the purgatory top-down in the region, above "
	   "the 256 MiB of normal loads (the running kernel put the region in "
	   "its real mode area): 0x%" PRIx64, ps->mem);

	/* The backup of [0, 64 KiB). */
	b = bs->mem;
	is_u64(bs->memsz, 0x10000, "the backup segment is 64 KiB");
	ok(bs->bufsz == 0x10000 && !memcmp(bs->buf, initrd, 0x10000) && bs->checked,
	   "... zeros that the purgatory checks");
	is_u64(purg_sym(ps, pbe, "kx_ppc64_backup", 0), b,
	       "the purgatory copies to the backup");
	is_u64(purg_sym(ps, pbe, "kx_ppc64_backup", 1), 0x10000, "... 64 KiB");

	/* The core header, in the kernel's byte order. */
	h = hs->buf;
	is_mem(h, be ? "\177ELF\2\2\1" : "\177ELF\2\1\1", 7, "core header: ELF64, "
	       "%s-endian", be ? "big" : "little");
	is_u64(kx_get_uint(h + 18, 2, be), 21, "core header: EM_PPC64");
	is_u64(kx_get_uint(h + 56, 2, be), 6, "core header: 2 CPU notes, "
	       "VMCOREINFO, 3 PT_LOADs");
	check_core_phdr(h, be, 0, 4, 0x3ff10000, 0, 0x3ff10000, 0x1a8, "CPU 0's notes");
	check_core_phdr(h, be, 1, 4, 0x3ff30000, 0, 0x3ff30000, 0x1a8, "CPU 1's notes");
	check_core_phdr(h, be, 2, 4, 0x3e000000, 0, 0x3e000000, 0x1000, "VMCOREINFO");
	check_core_phdr(h, be, 3, 1, b, PAGE_OFFSET, 0, 0x10000,
			"PT_LOAD of [0, 64 KiB): read from the backup");
	check_core_phdr(h, be, 4, 1, 0x10000, PAGE_OFFSET + 0x10000, 0x10000,
			CRASH_LO - 0x10000, "PT_LOAD from 64 KiB to the crash region");
	check_core_phdr(h, be, 5, 1, CRASH_HI + 1, PAGE_OFFSET + CRASH_HI + 1,
			CRASH_HI + 1, 0x100000000ULL - CRASH_HI - 1,
			"PT_LOAD from the crash region to the end of RAM");

	/* The tree: usable memory, reservations, /chosen. */
	fdt = ds->buf;
	is_int(fdt_check_full(fdt, ds->bufsz), 0, "the device tree is sound");
	is_cells(fdt, "/memory@0", "linux,usable-memory", (const uint64_t[]){
		0, CRASH_HI + 1, 0x2fff0000, 0x10000 }, 4,
		"memory@0: linux,usable-memory: [0, the crash region's end) and RTAS");
	is_cells(fdt, "/memory@80000000", "linux,usable-memory",
		 (const uint64_t[]){ 0, 0 }, 2,
		 "memory@80000000: linux,usable-memory (0, 0): none of it");
	is_cells(fdt, "/ibm,dynamic-reconfiguration-memory",
		 "linux,drconf-usable-memory", (const uint64_t[]){
		 1, LMB, CRASH_HI + 1 - LMB,   /* the LMB at 256 MiB */
		 1, 0x2fff0000, 0x10000,       /* at 512 MiB: RTAS */
		 0 }, 7,                       /* at 4 GiB: nothing */
		 "linux,drconf-usable-memory: a count and pairs for each LMB");
	ok(has_rsv(fdt, 0x10000, CRASH_LO - 0x10000),
	   "reserve map: 64 KiB up to the crash region (the crashed kernel's)");
	ok(has_rsv(fdt, b, 0x10000), "reserve map: the backup");
	ok(has_rsv(fdt, hs->mem, 0x10000), "reserve map: the core header, "
	   "in 64 KiB pages");
	ok(has_rsv(fdt, seg_of(img, KX_SEG_INITRD)->mem, sizeof(initrd)),
	   "reserve map: the initrd");
	ok(has_rsv(fdt, 0x2fff0000, 0x10000), "reserve map: RTAS");
	snprintf(want, sizeof(want), "elfcorehdr=0x%" PRIx64 " console=hvc0 "
		 "nr_cpus=1", hs->mem);
	is_str(fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), "bootargs",
			   NULL), want, "bootargs: elfcorehdr= first");
	is_str(kx_image_cmdline(img), want, "... the image's command line");
	ok(!fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"),
			"linux,crashkernel-base", NULL) &&
	   !fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"),
			"linux,crashkernel-size", NULL),
	   "the running kernel's linux,crashkernel-base/-size are gone");
out:
	kx_image_free(img);
	free(k);
}

/* Bad crash loads: one message each, nothing loaded. */
static void crash_refused(const char *what, struct kx_image *img, uint8_t *k,
			  size_t len, const void *tree, int code, const char *msg)
{
	struct kx_inputs in = { .kernel = { "vmlinux", k, len },
				.dtb = { "tree", tree, fdt_totalsize(tree) } };
	struct kx_load_opts o = { .arch = KX_ARCH_PPC64, .type = KX_IMAGE_CRASH,
				  .crash = &crash_ci };

	is_int(kx_image_load_inputs(img, &o, &in), code, "%s is refused", what);
	is_str(kx_image_error(img), msg, "... with its message");
	is_u64(kx_image_segment_count(img), 0, "... and nothing loaded");
	kx_image_free(img);
}

/* The tree with memory@0 cut to 256 MiB: the real mode area. */
static void *small_rma(void *tree)
{
	fdt64_t reg[2] = { cpu_to_fdt64(0), cpu_to_fdt64(0x10000000) };

	if (fdt_setprop_inplace(tree, fdt_path_offset(tree, "/memory@0"), "reg",
				reg, sizeof(reg)))
		abort();
	return tree;
}

static void test_crash_bad(void)
{
	size_t len;
	uint8_t *k = make_relocatable(false, &len);
	uint8_t *plain = make_vmlinux(false, 2, &len);

	crash_refused("a crash load without a crash region", crash_image(1, 0),
		      k, len, make_crash_tree(false, false), -ENOSPC,
		      "no crash kernel region in the memory map to place the "
		      "kernel in (boot the running kernel with crashkernel=SIZE)");
	crash_refused("a crash region too small for the kernel",
		      crash_image(CRASH_LO, CRASH_LO + 0x1fffff), k, len,
		      make_crash_tree(false, false), -ENOSPC,
		      "no room in memory for the kernel (3080192 bytes, "
		      "65536-byte aligned) between 0x0 and 0x3fffffff in the "
		      "crash kernel region");
	crash_refused("a crash region with no room left for the backup",
		      crash_image(CRASH_LO, CRASH_LO + KMEM - 1), k, len,
		      make_crash_tree(false, false), -ENOSPC,
		      "no room in memory for the backup of the first 64 KiB "
		      "(65536 bytes, 65536-byte aligned) between 0x0 and "
		      "0xffffffffffffffff in the crash kernel region");
	crash_refused("a kernel that is not relocatable",
		      crash_image(CRASH_LO, CRASH_HI), plain, len,
		      make_crash_tree(false, false), -ENOEXEC,
		      "vmlinux: not a relocatable kernel (0x9c958e87 at 0x5c, "
		      "not \"run0\"): a ppc64 crash kernel must run where it "
		      "is loaded, in the crash region");
	crash_refused("a crash region past the real mode area",
		      crash_image(CRASH_LO, CRASH_HI), k, len,
		      small_rma(make_crash_tree(false, false)), -ENOSPC,
		      "tree: the crash region 0x8000000-0x17ffffff is past the "
		      "real mode area (0-0xfffffff, the memory node at 0), "
		      "which the crash kernel starts in");
	crash_refused("a cut ibm,dynamic-memory",
		      crash_image(CRASH_LO, CRASH_HI), k, len,
		      make_crash_tree(false, true), -EINVAL,
		      "tree: device tree: /ibm,dynamic-reconfiguration-memory: "
		      "ibm,dynamic-memory is 75 bytes, not the 3 entries of 24 "
		      "bytes it announces");
	free(k);
	free(plain);
}

/* ---- the /proc/device-tree flattener ---------------------------------- */

static void put_file(const char *dir, const char *rel, const void *p, size_t n)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	write_file(path, p, n);
}

static void put_dir(const char *dir, const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	if (mkdir(path, 0755))
		abort();
}

static bool prop_is(const void *fdt, const char *node, const char *name,
		    const void *want, int n)
{
	int off = fdt_path_offset(fdt, node), len;
	const void *v = off < 0 ? NULL : fdt_getprop(fdt, off, name, &len);

	return v && len == n && !memcmp(v, want, (size_t)n);
}

static void test_flatten(void)
{
	char dir[] = "/tmp/kx-proc-dt-XXXXXX", path[512], err[KX_ERR_LEN] = "";
	static uint8_t big[100000];
	const uint8_t two[4] = { 0, 0, 0, 2 }, reg[4] = { 0, 0, 0, 8 };
	const uint8_t srv[8] = { 0, 0, 0, 8, 0, 0, 0, 9 };
	const uint8_t rd[8] = { 0, 0, 0, 0, 0x02, 0xc9, 0, 0 };
	void *blob = NULL, *again = NULL;
	size_t len = 0, len2 = 0;
	const char *names[8];
	int n = 0, off, node;

	if (!mkdtemp(dir))
		abort();
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 31);
	put_file(dir, "#address-cells", two, 4);
	put_file(dir, "model", "IBM pSeries (emulated by qemu)", 31);
	put_file(dir, "empty", "", 0);
	put_dir(dir, "chosen");
	put_file(dir, "chosen/bootargs", "console=hvc0", 13);
	put_file(dir, "chosen/linux,initrd-start", rd, 8);
	put_file(dir, "chosen/big", big, sizeof(big));
	put_dir(dir, "cpus");
	put_dir(dir, "cpus/PowerPC,POWER9@8");
	put_file(dir, "cpus/PowerPC,POWER9@8/reg", reg, 4);
	put_file(dir, "cpus/PowerPC,POWER9@8/ibm,ppc-interrupt-server#s", srv, 8);
	put_dir(dir, "vdevice");
	put_dir(dir, "vdevice/vty@30000000");
	put_file(dir, "vdevice/vty@30000000/compatible", "hvterm1", 8);

	if (!is_int(kx_dt_flatten(dir, &blob, &len, err), 0, "flatten: %s", err))
		return;
	is_int(fdt_check_full(blob, len), 0, "the blob is a sound tree");
	is_int(fdt_num_mem_rsv(blob), 0, "with an empty reserve map");
	ok(prop_is(blob, "/", "#address-cells", two, 4), "/#address-cells");
	ok(prop_is(blob, "/", "model", "IBM pSeries (emulated by qemu)", 31),
	   "/model, its NUL included");
	ok(prop_is(blob, "/", "empty", "", 0), "/empty, a property of 0 bytes");
	ok(prop_is(blob, "/chosen", "bootargs", "console=hvc0", 13),
	   "/chosen/bootargs");
	ok(prop_is(blob, "/chosen", "linux,initrd-start", rd, 8),
	   "/chosen/linux,initrd-start");
	ok(prop_is(blob, "/chosen", "big", big, sizeof(big)),
	   "/chosen/big, 100000 bytes (the buffer grew for it)");
	ok(prop_is(blob, "/cpus/PowerPC,POWER9@8", "reg", reg, 4),
	   "/cpus/PowerPC,POWER9@8/reg");
	ok(prop_is(blob, "/cpus/PowerPC,POWER9@8", "ibm,ppc-interrupt-server#s",
		   srv, 8), "... ibm,ppc-interrupt-server#s");
	ok(prop_is(blob, "/vdevice/vty@30000000", "compatible", "hvterm1", 8),
	   "/vdevice/vty@30000000/compatible");
	fdt_for_each_property_offset(off, blob, 0)
		if (n < 8)
			fdt_getprop_by_offset(blob, off, &names[n++], NULL);
	ok(n == 3 && !strcmp(names[0], "#address-cells") &&
	   !strcmp(names[1], "empty") && !strcmp(names[2], "model"),
	   "the root's properties, in name order");
	n = 0;
	fdt_for_each_subnode(node, blob, 0)
		if (n < 8)
			names[n++] = fdt_get_name(blob, node, NULL);
	ok(n == 3 && !strcmp(names[0], "chosen") && !strcmp(names[1], "cpus") &&
	   !strcmp(names[2], "vdevice"), "its nodes, in name order");
	is_int(kx_dt_flatten(dir, &again, &len2, err), 0, "flatten again");
	ok(len == len2 && !memcmp(blob, again, len), "the same bytes");
	free(blob);
	free(again);

	/* a property that cannot be read: refused, with the path and why */
	snprintf(path, sizeof(path), "%s/chosen/stale", dir);
	if (symlink("/nonexistent-kexload-test", path))
		abort();
	blob = NULL;
	is_int(kx_dt_flatten(dir, &blob, &len, err), -ENOENT,
	       "a property that cannot be read is an error");
	snprintf(path, sizeof(path), "%s/chosen/stale: cannot read the "
		 "property: No such file or directory", dir);
	is_str(err, path, "... naming it");
	ok(!blob, "... and no blob");
	{
		struct kx_image *img = new_image("2G@0");
		size_t klen;
		uint8_t *k = make_vmlinux(false, 2, &klen);
		char kpath[600];
		struct kx_load_opts o = { .kernel = kpath, .dtb = dir };

		snprintf(kpath, sizeof(kpath), "%s-vmlinux", dir);
		write_file(kpath, k, klen);
		ok(kx_image_load(img, &o) < 0,
		   "a load with that directory as its tree fails");
		is_str(kx_image_error(img), path, "... with that message");
		is_u64(kx_image_segment_count(img), 0, "... and nothing loaded");
		unlink(kpath);
		kx_image_free(img);
		free(k);
	}
	/* a FIFO (or a device) would block or never end: refused */
	snprintf(path, sizeof(path), "%s/chosen/stale", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/chosen/fifo", dir);
	if (mkfifo(path, 0600))
		abort();
	is_int(kx_dt_flatten(dir, &blob, &len, err), -EINVAL,
	       "a FIFO in the tree is an error, not a wait");
	strncat(path, ": not a property (not a regular file)",
		sizeof(path) - strlen(path) - 1);
	is_str(err, path, "... naming it");
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	if (system(path))
		diag("could not remove %s", dir);
}

int main(void)
{
	check_purgatory(&kx_arch_ppc64);
	check_purgatory(&kx_arch_ppc64be);
	test_reloc_errors();
	test_rsvmap();
	test_load(false, 2);
	test_load(true, 3);
	test_load(true, 2);
	test_bad();
	test_crash(false, false);
	test_crash(true, true);
	test_crash(false, true);
	test_crash_bad();
	test_flatten();
	return done_testing();
}
