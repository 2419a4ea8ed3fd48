/* SPDX-License-Identifier: MIT */
/*
 * ELF kernels, read through the one ELF reader (lib/core/elf.c) that
 * checks the program headers against the file and each other:
 *
 * - The 64-bit PowerPC vmlinux, little endian (Debian's ppc64el, ET_EXEC)
 *   and big endian (ET_DYN). The kernel is one segment spanning its
 *   PT_LOADs, entered at e_entry's place in it.
 * - The s390x ELF kernel (EM_S390, 64-bit, ET_EXEC): a program IPLed at
 *   absolute 0, whose PT_LOADs at their physical addresses from 0 are the
 *   s390 image byte for byte (a kernel build's arch/s390/boot/vmlinux, of
 *   which the image is the objcopy'd binary; the kernel's own
 *   kexec_file_load takes either). So it is a wrapper: its PT_LOADs are
 *   laid out at their physical addresses in one buffer (BSS zeroed), and
 *   that memory image is probed again, where the s390 image format places
 *   it and the architecture writes its parameter area, as for the image.
 *   A vmlinux that does not start at 0 (the decompressed kernel, as in a
 *   -dbg package) has no IPL code or parameter area and is refused.
 *
 * Where it goes follows the kernel's own start-up code
 * (arch/powerpc/kernel/head_64.S): entered anywhere, a ppc64 kernel copies
 * itself to physical 0 (bytes 0x100 on; the first 0x100 bytes are the spin
 * code its other CPUs already run there, copied by kexec), and then uses
 * its memory size from 0. So the kernel, the initrd and the device tree
 * all go above that "run area", and below 1 GiB: under the hash MMU a
 * logical partition's real mode (the MMU off, as the kernel starts and
 * the purgatory runs) reaches only its real mode area, at most 1 GiB
 * (the ppc64 boot stage also checks the machine's own, the memory node at
 * 0). The segments are in 64 KiB pages, the page size of ppc64 kernels.
 *
 * A crash kernel does not copy itself to 0: it runs where it is loaded,
 * in the crash region, when the word at 0x5c of its image (head_64.S's
 * __run_at_load) is 1. A relocatable kernel has "run0" there; the crash
 * load's kernel segment gets a copy of the bytes with 1 in its place (so
 * the purgatory's digest covers it), and a kernel without "run0" is
 * refused: it can run only at the address it was linked for.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../core/internal.h"

#define EM_PPC64 21
#define EM_S390 22
#define ET_EXEC 2
#define ET_DYN 3
#define PPC64_ALIGN 0x10000ULL
#define PPC64_RMA_MAX ((1ULL << 30) - 1)
#define RUN_AT_LOAD 0x5c
#define RUN_AT_LOAD_DEFAULT 0x72756e30   /* "run0" */

struct vmlinux {
	struct kx_elf e;
	uint64_t lo, hi;       /* the physical span of the PT_LOADs */
	uint64_t file_end;     /* the end of the last file bytes in it */
	uint64_t entry_off;    /* e_entry's offset from lo */
	int nloads;
};

static const char *machine_name(uint16_t m)
{
	switch (m) {
	case 3: return "i386";
	case 20: return "ppc";
	case 21: return "ppc64";
	case 22: return "s390";
	case 40: return "arm";
	case 62: return "x86-64";
	case 183: return "aarch64";
	case 243: return "riscv";
	default: return "unknown";
	}
}

/* Where e_entry is, as an offset from the physical start. */
static int find_entry(struct kx_image *img, struct vmlinux *v)
{
	for (unsigned i = 0; i < v->e.phnum; i++) {
		struct kx_elf_phdr ph;

		if (kx_elf_phdr(&v->e, i, &ph) || ph.type != KX_PT_LOAD ||
		    !ph.memsz)
			continue;
		if (v->e.entry >= ph.vaddr && v->e.entry - ph.vaddr < ph.memsz) {
			v->entry_off = ph.paddr - v->lo + (v->e.entry - ph.vaddr);
			return 0;
		}
	}
	return kx_err(img, -EINVAL,
		      "%s: the entry point 0x%" PRIx64 " is in no loadable "
		      "segment", v->e.r.name, v->e.entry);
}

/* The PT_LOADs' physical span and file end. -EINVAL, not the reader's
 * -ENOEXEC: an ELF file of the format's machine is its own, and a broken
 * one is refused, not passed on. */
static int parse_loads(struct kx_image *img, struct kx_reader *r,
		       struct vmlinux *v)
{
	int rc = kx_elf_open(&v->e, r->buf, r->len, r->name);

	if (rc)
		return kx_err(img, -EINVAL, "%s", v->e.err);
	rc = kx_elf_check_loads(&v->e);
	if (rc < 0)
		return kx_err(img, -EINVAL, "%s", v->e.err);
	v->nloads = rc;
	v->lo = UINT64_MAX;
	v->hi = v->file_end = 0;
	for (unsigned i = 0; i < v->e.phnum; i++) {
		struct kx_elf_phdr ph;

		if (kx_elf_phdr(&v->e, i, &ph) || ph.type != KX_PT_LOAD ||
		    !ph.memsz)
			continue;
		if (ph.paddr < v->lo)
			v->lo = ph.paddr;
		if (ph.paddr + ph.memsz > v->hi)
			v->hi = ph.paddr + ph.memsz;
		if (ph.filesz && ph.paddr + ph.filesz > v->file_end)
			v->file_end = ph.paddr + ph.filesz;
	}
	return 0;
}

static int parse(struct kx_image *img, struct kx_reader *r, struct vmlinux *v)
{
	int rc = parse_loads(img, r, v);

	if (rc)
		return rc;
	if (v->hi - v->lo > PPC64_RMA_MAX)
		return kx_err(img, -EFBIG,
			      "%s: the loadable segments span 0x%" PRIx64
			      " bytes, more than the 1 GiB a ppc64 kernel "
			      "starts in", r->name, v->hi - v->lo);
	return find_entry(img, v);
}

/* ELF, 64-bit PowerPC, an executable or a position-independent one, in
 * this format's byte order; an ELF file for another machine is refused
 * here (by the little-endian format, which is asked last). */
static int probe_order(struct kx_image *img, struct kx_reader *r,
		       struct kx_info *info, bool be)
{
	struct vmlinux v;
	const uint8_t *id = kx_rd_bytes(r, 0, 20);
	uint16_t machine;
	int rc;

	if (!id || memcmp(id, "\x7f" "ELF", 4))
		return -ENOEXEC;
	machine = id[5] == 2 ? (uint16_t)(id[18] << 8 | id[19]) :
			       (uint16_t)(id[19] << 8 | id[18]);
	if (machine == EM_PPC64 && (id[5] == 2) != be)
		return -ENOEXEC;
	if (machine != EM_PPC64 || id[4] != 2) {
		if (be)
			return -ENOEXEC;
		return kx_err(img, -EINVAL,
			      "%s: an ELF file for %s (machine %u, %d-bit): "
			      "kexload loads ELF kernels for ppc64 and s390x "
			      "only",
			      r->name, machine_name(machine), machine,
			      id[4] == 2 ? 64 : 32);
	}
	rc = parse(img, r, &v);
	if (rc)
		return rc;
	if (v.e.type != ET_EXEC && v.e.type != ET_DYN)
		return kx_err(img, -EINVAL,
			      "%s: ELF type %u, not an executable (ET_EXEC or "
			      "ET_DYN)", r->name, v.e.type);
	kx_find_linux_version(r->buf, r->len, info->version,
			      sizeof(info->version));
	kx_info_add(info, "endianness", "%s", be ? "big" : "little");
	kx_info_add(info, "elf_type", "%s", v.e.type == ET_EXEC ? "EXEC" : "DYN");
	kx_info_add(info, "entry", "0x%" PRIx64, v.e.entry);
	kx_info_add(info, "loads", "%d", v.nloads);
	kx_info_add(info, "mem_size", "0x%" PRIx64, v.hi - v.lo);
	return 0;
}

static int probe_le(struct kx_image *img, struct kx_reader *r,
		    struct kx_info *info)
{
	return probe_order(img, r, info, false);
}

static int probe_be(struct kx_image *img, struct kx_reader *r,
		    struct kx_info *info)
{
	return probe_order(img, r, info, true);
}

/* The PT_LOADs' file bytes at their places in one buffer (the file's own
 * bytes where there is one PT_LOAD). */
static int kernel_bytes(struct kx_image *img, struct vmlinux *v,
			const uint8_t **out)
{
	uint8_t *buf;

	if (v->nloads == 1) {
		for (unsigned i = 0; i < v->e.phnum; i++) {
			struct kx_elf_phdr ph;

			if (!kx_elf_phdr(&v->e, i, &ph) &&
			    ph.type == KX_PT_LOAD && ph.memsz) {
				*out = v->e.r.buf + ph.offset;
				return 0;
			}
		}
	}
	buf = kx_image_alloc(img, (size_t)(v->file_end - v->lo));
	if (!buf)
		return kx_err(img, -ENOMEM, "out of memory for %s",
			      v->e.r.name);
	for (unsigned i = 0; i < v->e.phnum; i++) {
		struct kx_elf_phdr ph;

		if (kx_elf_phdr(&v->e, i, &ph) || ph.type != KX_PT_LOAD ||
		    !ph.memsz)
			continue;
		memcpy(buf + (ph.paddr - v->lo), v->e.r.buf + ph.offset,
		       ph.filesz);
	}
	*out = buf;
	return 0;
}

/* A crash kernel's bytes with __run_at_load set to 1, in a copy. */
static int run_at_load(struct kx_image *img, const struct vmlinux *v,
		       const uint8_t **bytes)
{
	bool be = v->e.big_endian;
	size_t len = (size_t)(v->file_end - v->lo);
	uint64_t word = kx_get_uint(*bytes + RUN_AT_LOAD, 4, be);
	uint8_t *copy;

	if (word != RUN_AT_LOAD_DEFAULT)
		return kx_err(img, -ENOEXEC,
			      "%s: not a relocatable kernel (0x%08" PRIx64
			      " at 0x5c, not \"run0\"): a ppc64 crash kernel "
			      "must run where it is loaded, in the crash region",
			      v->e.r.name, word);
	copy = kx_image_alloc(img, len);
	if (!copy)
		return kx_err(img, -ENOMEM, "out of memory for %s", v->e.r.name);
	memcpy(copy, *bytes, len);
	kx_put_uint(copy + RUN_AT_LOAD, 4, 1, be);
	*bytes = copy;
	return 0;
}

static int elf_load(struct kx_image *img, struct kx_reader *r,
		    struct kx_boot *boot)
{
	struct vmlinux v;
	const uint8_t *bytes = NULL;
	bool crash = img->opts.type == KX_IMAGE_CRASH;
	uint64_t run_end, mem;
	int rc = parse(img, r, &v);

	if (!rc)
		rc = kernel_bytes(img, &v, &bytes);
	if (rc)
		return rc;
	if (v.file_end - v.lo < 0x100)
		return kx_err(img, -ENOEXEC,
			      "%s: less than 0x100 bytes of kernel (its entry "
			      "and spin code)", r->name);
	/* The crash kernel reads the core header and the crashed kernel's
	 * notes in its own byte order: the running kernel's. */
	if (crash && v.e.big_endian != img->arch->big_endian)
		return kx_err(img, -ENOEXEC,
			      "%s: a %s-endian crash kernel for a %s-endian "
			      "kernel: it could not read the crashed kernel's "
			      "notes", r->name, v.e.big_endian ? "big" : "little",
			      img->arch->big_endian ? "big" : "little");
	if (crash) {
		rc = run_at_load(img, &v, &bytes);
		if (rc)
			return rc;
	}
	/* A crash kernel stays where it is loaded: no run area at 0. */
	run_end = crash ? 0 : kx_align_up(v.hi - v.lo, PPC64_ALIGN);
	rc = kx_image_place(img, "the kernel", (struct kx_placed){
		.size = v.hi - v.lo, .align = PPC64_ALIGN, .min = run_end,
		.max = PPC64_RMA_MAX }, &mem);
	if (!rc)
		rc = kx_image_add_segment(img, bytes, v.file_end - v.lo, mem,
					  v.hi - v.lo, KX_SEG_KERNEL);
	if (rc)
		return rc;
	boot->kernel = &img->seg[img->nseg - 1];
	boot->entry = mem + v.entry_off;
	kx_log(img, KX_LOG_DEBUG,
	       "%s: %d PT_LOAD, 0x%" PRIx64 " bytes in memory, entry +0x%" PRIx64
	       "; %s 0x%" PRIx64, r->name, v.nloads, v.hi - v.lo, v.entry_off,
	       crash ? "a crash kernel, run where it is loaded, at" :
	       "it copies itself to 0, so nothing goes below", crash ? mem : run_end);
	boot->initrd_req = (struct kx_placed){
		.align = PPC64_ALIGN, .min = run_end, .max = PPC64_RMA_MAX,
		.top_down = true };
	boot->initrd_room = "no room for it between the kernel's run area "
			    "and 1 GiB (the most a ppc64 kernel reaches in "
			    "real mode)";
	boot->dtb_req = (struct kx_placed){
		.align = PPC64_ALIGN, .min = run_end, .max = PPC64_RMA_MAX,
		.top_down = true };
	return 0;
}

/* ---- s390x: an ELF memory image from absolute 0 ------------------------ */

/* The image's span: [0, hi), the file bytes checked by the reader. */
static int s390_parse(struct kx_image *img, struct kx_reader *r,
		      struct vmlinux *v)
{
	int rc = parse_loads(img, r, v);

	if (rc)
		return rc;
	if (!v->e.big_endian || !v->e.is64)
		return kx_err(img, -EINVAL, "%s: a %d-bit %s-endian ELF file "
			      "for s390: kexload loads 64-bit (big-endian) "
			      "s390x kernels only", r->name,
			      v->e.is64 ? 64 : 32,
			      v->e.big_endian ? "big" : "little");
	if (v->e.type != ET_EXEC)
		return kx_err(img, -EINVAL, "%s: ELF type %u, not an executable "
			      "(ET_EXEC)", r->name, v->e.type);
	if (v->lo)
		return kx_err(img, -EINVAL, "%s: an s390x ELF kernel starts at "
			      "physical 0 (its IPL code and parameter area are "
			      "in its first 0x11000 bytes), this one at 0x%"
			      PRIx64 ": a decompressed vmlinux (as in a -dbg "
			      "package) cannot be booted by kexec; load the "
			      "image (/boot/vmlinuz) instead", r->name, v->lo);
	if (v->hi > KX_MAX_UNWRAPPED)
		return kx_err(img, -EFBIG, "%s: the loadable segments reach "
			      "0x%" PRIx64 ", more than the 0x%llx bytes "
			      "kexload lays out", r->name, v->hi,
			      KX_MAX_UNWRAPPED);
	return 0;
}

static int s390_probe(struct kx_image *img, struct kx_reader *r,
		      struct kx_info *info)
{
	const uint8_t *id = kx_rd_bytes(r, 0, 20);
	struct vmlinux v;
	int rc;

	if (!id || memcmp(id, "\x7f" "ELF", 4))
		return -ENOEXEC;
	if ((id[5] == 2 ? (id[18] << 8 | id[19]) : (id[19] << 8 | id[18])) !=
	    EM_S390)
		return -ENOEXEC;
	rc = s390_parse(img, r, &v);
	if (rc)
		return rc;
	kx_info_add(info, "elf_entry", "0x%" PRIx64, v.e.entry);
	kx_info_add(info, "elf_loads", "%d", v.nloads);
	kx_info_add(info, "elf_mem_size", "0x%" PRIx64, v.hi);
	return 0;
}

static int s390_unwrap(struct kx_image *img, struct kx_reader *r,
		       struct kx_reader *inner)
{
	struct vmlinux v;
	uint8_t *buf;
	int rc = s390_parse(img, r, &v);

	if (rc)
		return rc;
	if (v.hi > img->unwrap_limit - img->unwrapped)
		return kx_err(img, -EFBIG, "%s: its memory image (0x%" PRIx64
			      " bytes) is more than the 0x%" PRIx64 " left to "
			      "unwrap into (0x%" PRIx64 " in all)", r->name,
			      v.hi, img->unwrap_limit - img->unwrapped,
			      img->unwrap_limit);
	buf = kx_image_alloc(img, (size_t)v.hi);
	if (!buf)
		return kx_err(img, -ENOMEM, "out of memory for %s's memory "
			      "image (0x%" PRIx64 " bytes)", r->name, v.hi);
	img->unwrapped += v.hi;
	for (unsigned i = 0; i < v.e.phnum; i++) {
		struct kx_elf_phdr ph;

		if (kx_elf_phdr(&v.e, i, &ph) || ph.type != KX_PT_LOAD ||
		    !ph.memsz)
			continue;
		memcpy(buf + ph.paddr, v.e.r.buf + ph.offset, ph.filesz);
	}
	kx_log(img, KX_LOG_DEBUG, "%s: %d PT_LOAD laid out from 0 to 0x%"
	       PRIx64 " (e_entry 0x%" PRIx64 ")", r->name, v.nloads,
	       v.hi - 1, v.e.entry);
	kx_reader_init(inner, buf, v.hi,
		       kx_image_name(img, "%s (ELF memory image)", r->name));
	return 0;
}

/* Wrapper formats have no architecture of their own; the image inside
 * says it. */
const struct kx_format kx_format_elf_s390 = {
	.name = "ELF s390x kernel",
	.probe = s390_probe,
	.unwrap = s390_unwrap,
};

static const char *const elf_kexec_names[] = { "elf-ppc64", NULL };

const struct kx_format kx_format_elf_ppc64be = {
	.name = "ELF vmlinux (ppc64, big endian)",
	.arch = KX_ARCH_PPC64,
	.kexec_names = elf_kexec_names,
	.probe = probe_be,
	.load = elf_load,
	.big_endian = true,
};

const struct kx_format kx_format_elf_ppc64 = {
	.name = "ELF vmlinux (ppc64le)",
	.arch = KX_ARCH_PPC64,
	.kexec_names = elf_kexec_names,
	.probe = probe_le,
	.load = elf_load,
};
