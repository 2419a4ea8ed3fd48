/* SPDX-License-Identifier: MIT */
/*
 * A crash load's ELF core header ("elfcorehdr"): the ELF file header
 * that the crash kernel's /proc/vmcore starts from (the System V gABI's
 * ELF core file, as the kernel's own kexec_file code builds it for its
 * crash loads). In the target's byte order, it holds a PT_NOTE for each
 * possible CPU's crash notes and one for VMCOREINFO, a PT_LOAD for the
 * kernel text where the running kernel maps it apart from the linear map,
 * and a PT_LOAD for every System RAM range less the crash regions (where
 * the header itself lies), with the physical address as file offset and
 * the linear map's virtual address. The running kernel's side of it comes
 * as data (struct kx_crash_info, lib/sys/crash.c).
 * ELF64 for 64-bit architectures; ELF32 for 32-bit ARM, whose kernel
 * refuses an ELF64 core header (arch/arm/include/asm/elf.h defines
 * vmcore_elf64_check_arch as 0), so its memory must lie below 4 GiB.
 * Where the crash kernel overwrites low memory as it starts (ppc64: its
 * interrupt vectors, in the first 64 KiB; the architecture's
 * crash_backup), a backup segment is placed in the crash region for the
 * purgatory to copy that memory into, and the header's PT_LOAD for it
 * reads the copy (file offset = the backup's address), as the kernel's
 * own ppc64 kexec_file code does.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define EHDR64 64
#define PHDR64 56
#define EHDR32 52
#define PHDR32 32
#define ET_CORE 4
#define PT_LOAD 1
#define PT_NOTE 4
#define PF_RWX 7

struct crash_range {
	uint64_t start, end;   /* inclusive */
};

/* System RAM less every crash region, into @out (NULL: count only). */
static size_t dump_ranges(const struct kx_memmap *map, struct crash_range *out)
{
	size_t n = 0;

	for (size_t i = 0; i < kx_memmap_count(map); i++) {
		const struct kx_mem_range *r = kx_memmap_range(map, i);
		uint64_t s = r->start;
		bool done = false;

		if (r->type != KX_MEM_RAM)
			continue;
		/* The ranges are sorted by start: cut the crash regions out
		 * in order. */
		for (size_t k = 0; k < kx_memmap_count(map) && !done; k++) {
			const struct kx_mem_range *c = kx_memmap_range(map, k);

			if (c->type != KX_MEM_CRASH || c->end < s ||
			    c->start > r->end)
				continue;
			if (c->start > s) {
				if (out)
					out[n] = (struct crash_range){ s, c->start - 1 };
				n++;
			}
			if (c->end >= r->end)
				done = true;
			else
				s = c->end + 1;
		}
		if (!done) {
			if (out)
				out[n] = (struct crash_range){ s, r->end };
			n++;
		}
	}
	return n;
}

/* One program header, ELF64 or ELF32 (their fields are in other orders);
 * the file offset is where the crash kernel reads the bytes: the physical
 * address itself, but for a backup. */
static void put_phdr_at(uint8_t *p, bool is64, bool be, uint32_t type,
			uint64_t vaddr, uint64_t paddr, uint64_t size,
			uint64_t offset)
{
	uint32_t flags = type == PT_LOAD ? PF_RWX : 0;

	kx_put_uint(p, 4, type, be);
	if (is64) {
		kx_put_uint(p + 4, 4, flags, be);
		kx_put_uint(p + 8, 8, offset, be);
		kx_put_uint(p + 16, 8, vaddr, be);
		kx_put_uint(p + 24, 8, paddr, be);
		kx_put_uint(p + 32, 8, size, be);
		kx_put_uint(p + 40, 8, size, be);
		return;
	}
	kx_put_uint(p + 4, 4, offset, be);
	kx_put_uint(p + 8, 4, vaddr & 0xffffffff, be);
	kx_put_uint(p + 12, 4, paddr, be);
	kx_put_uint(p + 16, 4, size, be);
	kx_put_uint(p + 20, 4, size, be);
	kx_put_uint(p + 24, 4, flags, be);
}

static void put_phdr(uint8_t *p, bool is64, bool be, uint32_t type,
		     uint64_t vaddr, uint64_t paddr, uint64_t size)
{
	put_phdr_at(p, is64, be, type, vaddr, paddr, size, paddr);
}

static void put_ehdr(uint8_t *p, const struct kx_arch_ops *a, size_t phnum)
{
	bool be = a->big_endian, is64 = a->elf64;
	unsigned eh = is64 ? EHDR64 : EHDR32;

	memcpy(p, "\177ELF", 4);
	p[4] = is64 ? 2 : 1;      /* ELFCLASS64 or ELFCLASS32 */
	p[5] = be ? 2 : 1;        /* ELFDATA2MSB or ELFDATA2LSB */
	p[6] = 1;                 /* EV_CURRENT */
	kx_put_uint(p + 16, 2, ET_CORE, be);
	kx_put_uint(p + 18, 2, a->elf_machine, be);
	kx_put_uint(p + 20, 4, 1, be);
	kx_put_uint(p + (is64 ? 32 : 28), is64 ? 8 : 4, eh, be);   /* e_phoff */
	p += is64 ? 52 : 40;
	kx_put_uint(p, 2, eh, be);                                   /* e_ehsize */
	kx_put_uint(p + 2, 2, is64 ? PHDR64 : PHDR32, be);
	kx_put_uint(p + 4, 2, phnum, be);
}

/* The header's bytes, in a buffer the image owns. */
static int build(struct kx_image *img, const struct kx_crash_info *ci,
		 uint8_t **out, size_t *len)
{
	bool be = img->arch->big_endian, is64 = img->arch->elf64;
	size_t eh = is64 ? EHDR64 : EHDR32, ph_size = is64 ? PHDR64 : PHDR32;
	size_t nram = dump_ranges(img->memmap, NULL), phnum, k = 0;
	uint64_t bsize = img->crash_backup_size;
	struct crash_range *ram;
	uint8_t *p, *ph;

	/* The backup's range gets a PT_LOAD of its own (bsize > 0 only
	 * where RAM starts at 0 and runs past it: backup_needed). */
	phnum = ci->ncpus + (ci->vmcoreinfo.size != 0) + (ci->text_size != 0) +
		nram + (bsize != 0);
	if (!nram)
		return kx_err(img, -EINVAL, "the memory map has no System RAM "
			      "outside the crash region to dump");
	if (phnum >= 0xffff)
		return kx_err(img, -E2BIG, "the ELF core header would need %zu "
			      "program headers; ELF takes at most 65534", phnum);
	ram = calloc(nram, sizeof(*ram));
	*len = eh + phnum * ph_size;
	p = ram ? kx_image_alloc(img, *len) : NULL;
	if (!p) {
		free(ram);
		return kx_err(img, -ENOMEM, "out of memory");
	}
	dump_ranges(img->memmap, ram);
	if (!is64 && ram[nram - 1].end > UINT32_MAX) {
		kx_err(img, -ERANGE, "RAM at 0x%" PRIx64 "-0x%" PRIx64 " is "
		       "above 4 GiB, which a 32-bit ELF core header cannot "
		       "describe (and %s kernels refuse ELF64 ones)",
		       ram[nram - 1].start, ram[nram - 1].end, img->arch->name);
		free(ram);
		return -ERANGE;
	}
	put_ehdr(p, img->arch, phnum);
	ph = p + eh;
	for (size_t i = 0; i < ci->ncpus; i++)
		put_phdr(ph + ph_size * k++, is64, be, PT_NOTE, 0, ci->cpus[i].addr,
			 ci->cpus[i].size);
	if (ci->vmcoreinfo.size)
		put_phdr(ph + ph_size * k++, is64, be, PT_NOTE, 0,
			 ci->vmcoreinfo.addr, ci->vmcoreinfo.size);
	if (ci->text_size)
		put_phdr(ph + ph_size * k++, is64, be, PT_LOAD, ci->text_virt,
			 ci->text_phys, ci->text_size);
	for (size_t i = 0; i < nram; i++) {
		uint64_t start = ram[i].start;

		if (bsize && start == 0) {
			put_phdr_at(ph + ph_size * k++, is64, be, PT_LOAD,
				    ci->linear ? ci->linear_offset : 0, 0, bsize,
				    img->crash_backup);
			start = bsize;
		}
		put_phdr(ph + ph_size * k++, is64, be, PT_LOAD,
			 ci->linear ? start + ci->linear_offset : 0, start,
			 ram[i].end - start + 1);
	}
	kx_log(img, KX_LOG_DEBUG, "elfcorehdr: %zu CPU notes, %s, %s, %zu RAM "
	       "ranges, %zu bytes", ci->ncpus,
	       ci->vmcoreinfo.size ? "VMCOREINFO" : "no VMCOREINFO",
	       ci->text_size ? "kernel text" : "no separate kernel text",
	       nram, *len);
	free(ram);
	*out = p;
	return 0;
}

/* Whether the first RAM range holds all of [0, @size) and more (the
 * crash regions are never at 0 on the architectures that have a backup:
 * the crash kernel's vectors go there). */
static bool backup_needed(const struct kx_memmap *map, uint64_t size)
{
	for (size_t i = 0; i < kx_memmap_count(map); i++) {
		const struct kx_mem_range *r = kx_memmap_range(map, i);

		if (r->type == KX_MEM_CRASH && r->start < size)
			return false;
		if (r->type == KX_MEM_RAM && r->start == 0 && r->end >= size)
			return true;
	}
	return false;
}

/* The backup segment: zeros at load time (the purgatory checks them like
 * any segment's bytes), the saved memory after the crash. */
static int place_backup(struct kx_image *img)
{
	uint64_t size = img->arch->crash_backup, addr;
	struct kx_placed req = { .size = size, .align = KX_PAGE_SIZE,
				 .max = UINT64_MAX };
	uint8_t *buf;
	char what[64];
	int rc;

	if (!size || !backup_needed(img->memmap, size))
		return 0;
	buf = kx_image_alloc(img, size);
	if (!buf)
		return kx_err(img, -ENOMEM, "out of memory");
	snprintf(what, sizeof(what), "the backup of the first %" PRIu64 " KiB",
		 size >> 10);
	rc = kx_image_place(img, what, req, &addr);
	if (!rc)
		rc = kx_image_add_segment(img, buf, size, addr, size,
					  KX_SEG_BACKUP);
	if (rc)
		return rc;
	img->crash_backup = addr;
	img->crash_backup_size = size;
	return 0;
}

int kx_crash_load(struct kx_image *img)
{
	struct kx_placed req = { .align = KX_PAGE_SIZE, .max = UINT64_MAX,
				 .top_down = true };
	uint8_t *buf = NULL;
	size_t len = 0;
	uint64_t addr;
	int rc;

	img->elfcorehdr = img->elfcorehdr_size = 0;
	img->crash_backup = img->crash_backup_size = 0;
	if (img->opts.type != KX_IMAGE_CRASH)
		return 0;
	if (!img->arch->crash)
		return kx_err(img, -ENOTSUP, "crash (kdump) kernels are not "
			      "supported on %s yet", img->arch->name);
	if (img->arch->crash_own_header) {
		kx_log(img, KX_LOG_DEBUG, "elfcorehdr: none, the %s crash kernel "
		       "builds its own", img->arch->name);
		return 0;
	}
	if (!img->opts.crash)
		return kx_err(img, -ENODATA, "a crash load needs the running "
			      "kernel's crash notes and VMCOREINFO "
			      "(kx_load_opts.crash)");
	rc = place_backup(img);
	if (!rc)
		rc = build(img, img->opts.crash, &buf, &len);
	if (!rc) {
		req.size = len;
		rc = kx_image_place(img, "the ELF core header", req, &addr);
	}
	if (!rc)
		rc = kx_image_add_segment(img, buf, len, addr, len,
					  KX_SEG_ELFCOREHDR);
	if (rc)
		return rc;
	img->elfcorehdr = addr;
	img->elfcorehdr_size = kx_align_up(len, KX_PAGE_SIZE);
	return 0;
}
