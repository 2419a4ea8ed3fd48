/* SPDX-License-Identifier: MIT */
/*
 * 32-bit ARM zImage, following the kernel's Documentation/arch/arm/
 * booting.rst and the header that arch/arm/boot/compressed/head.S and
 * vmlinux.lds.S write: magic 0x016f2818 at 0x24, the start and end
 * (_edata) addresses at 0x28 and 0x2c, the endianness word 0x04030201 at
 * 0x30, and, after the marker 0x45454545 at 0x34, the offset at 0x38 of a
 * table of extension tags ({size in words, tag, data...}, ended by a zero
 * size). The kernel-size tag 0x5a534c4b holds the offset of the word that
 * gives the decompressed kernel's text+data size, its BSS size and, in
 * later kernels, TEXT_OFFSET and the decompressor's malloc size.
 *
 * The zImage decompresses itself: the kernel lands TEXT_OFFSET above the
 * start of RAM (the zImage's address rounded down to 128 MiB, checked
 * against the device tree's memory), its page tables 16 KiB below that,
 * its BSS after it, and a zImage in the way is first moved past the
 * decompressed kernel. So kexload puts the zImage itself above the
 * decompressed kernel and its BSS, with its working memory (stack, BSS,
 * malloc arena) reserved after it, in the first 128 MiB of RAM; the
 * initrd and the device tree go above all that, in the memory the new
 * kernel maps directly (lowmem) where it looks for them. doc/design-notes.md
 * says why in more words.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/internal.h"

#define HDR_MAGIC 0x24
#define HDR_START 0x28
#define HDR_END 0x2c
#define HDR_ENDIAN 0x30
#define HDR_MAGIC2 0x34
#define HDR_TAGS 0x38
#define HDR_LEN 0x3c
#define ZIMAGE_MAGIC 0x016f2818u
#define ZIMAGE_LE 0x04030201u
#define ZIMAGE_BE 0x01020304u
#define ZIMAGE_MAGIC2 0x45454545u
#define TAG_KRNL_SIZE 0x5a534c4bu
#define MAX_TAGS 32

#define MIB (1ULL << 20)
#define WINDOW (128 * MIB)          /* the start of RAM, by masking pc */
#define PGDIR_SIZE 0x5000ULL        /* 16 KiB, 20 KiB with LPAE */
/* Without TEXT_OFFSET in the tag: the largest arch/arm/Makefile sets. */
#define TEXT_OFFSET_MAX 0x308000ULL
/* Without the kernel-size tag: decompressed text, data and BSS at most
 * this many times the zImage (xz, the densest, gives about 4). */
#define RATIO_MAX 6
#define MALLOC_DEFAULT 0x10000ULL
/* The decompressor's stack (4 KiB), BSS and relocation code, rounded up. */
#define DECOMP_SLACK 0x10000ULL
/* lowmem of a VMSPLIT_3G kernel with the default 240 MiB vmalloc area
 * (VMALLOC_END 0xff800000, 8 MiB gap): the least any split gives. */
#define LOWMEM_MIN (768 * MIB)
#define VMALLOC_DEFAULT (240 * MIB)
#define LOWMEM_SPAN 0x3f000000ULL   /* 0xff800000 - 8 MiB - PAGE_OFFSET 3G */
#define FDT_MAGIC_WORD 0xd00dfeedu
#define FDT_HEADER_MIN 40           /* a version 17 header */

struct zimage {
	uint64_t size;          /* _edata - start: the bytes loaded */
	bool endian_word;       /* the header has 0x04030201 */
	uint64_t tags;          /* offset of the tag table, or 0 */
	unsigned ntags;
	bool size_tag;          /* the kernel-size tag was found */
	uint32_t size_ptr;
	uint32_t edata;         /* decompressed text + data */
	uint32_t bss;
	uint32_t text_offset;   /* 0: not in the tag */
	uint32_t malloc_size;   /* 0: not in the tag */
	uint64_t dtb_off;       /* an appended device tree: offset, length */
	uint64_t dtb_len;
};

/* The kernel-size tag: size_ptr, bss_size, then (longer tags)
 * TEXT_OFFSET and MALLOC_SIZE. */
static int size_tag(struct kx_image *img, struct kx_reader *r, uint64_t off,
		    uint32_t words, struct zimage *z)
{
	if (words < 4)
		return kx_err(img, -EINVAL,
			      "%s: zImage kernel-size tag at 0x%" PRIx64
			      " has %u words, fewer than the 4 it needs",
			      r->name, off, words);
	z->size_tag = true;
	z->size_ptr = kx_rd_le32(r, off + 8);
	z->bss = kx_rd_le32(r, off + 12);
	if (words >= 5)
		z->text_offset = kx_rd_le32(r, off + 16);
	if (words >= 6)
		z->malloc_size = kx_rd_le32(r, off + 20);
	if (!kx_rd_fits(r, z->size_ptr, 4))
		return kx_err(img, -EINVAL,
			      "%s: the zImage kernel-size tag points at 0x%x, "
			      "outside the zImage (0x%" PRIx64 " bytes)",
			      r->name, z->size_ptr, r->len);
	z->edata = kx_rd_le32(r, z->size_ptr);   /* little-endian always */
	if (!z->edata)
		return kx_err(img, -EINVAL,
			      "%s: the zImage kernel-size tag says the kernel "
			      "is 0 bytes", r->name);
	if (words >= 5 && (z->text_offset < PGDIR_SIZE ||
			   z->text_offset >= WINDOW))
		return kx_err(img, -EINVAL,
			      "%s: zImage TEXT_OFFSET 0x%x leaves no room for "
			      "the page tables below it or is past 128 MiB",
			      r->name, z->text_offset);
	return 0;
}

/* Walks the extension tags. Sizes are in words and at least the 2-word
 * header, so every step moves forward; offsets are 64-bit, so a size that
 * would wrap a 32-bit offset back to an earlier tag runs past the file
 * instead, and the walk ends there. */
static int walk_tags(struct kx_image *img, struct kx_reader *r,
		     struct zimage *z)
{
	uint64_t off = z->tags;

	for (unsigned n = 0;; n++) {
		uint32_t words, tag;
		int rc;

		if (n == MAX_TAGS)
			return kx_err(img, -EINVAL,
				      "%s: more than %d zImage extension tags",
				      r->name, MAX_TAGS);
		if (!kx_rd_fits(r, off, 4))
			return kx_err(img, -EINVAL,
				      "%s: zImage extension tag at 0x%" PRIx64
				      " is outside the zImage (0x%" PRIx64
				      " bytes)", r->name, off, r->len);
		words = kx_rd_le32(r, off);
		if (!words)
			return 0;
		tag = kx_rd_le32(r, off + 4);
		if (words < 2)
			return kx_err(img, -EINVAL,
				      "%s: zImage extension tag at 0x%" PRIx64
				      " has size %u, smaller than its header",
				      r->name, off, words);
		if (!kx_rd_fits(r, off, 4ULL * words))
			return kx_err(img, -EINVAL,
				      "%s: zImage extension tag 0x%08x at 0x%"
				      PRIx64 " (%u words) runs past the end of "
				      "the zImage (0x%" PRIx64 " bytes)",
				      r->name, tag, off, words, r->len);
		z->ntags++;
		if (tag == TAG_KRNL_SIZE && !z->size_tag) {
			rc = size_tag(img, r, off, words, z);
			if (rc)
				return rc;
		}
		off += 4ULL * words;
	}
}

/* A device tree right after _edata (CONFIG_ARM_APPENDED_DTB): its magic
 * and a totalsize that fits, read here (it need not be aligned). */
static void appended_dtb(struct kx_reader *r, struct zimage *z)
{
	uint32_t total;

	if (kx_rd_be32(r, z->size) != FDT_MAGIC_WORD || r->failed) {
		r->failed = false;
		return;
	}
	total = kx_rd_be32(r, z->size + 4);
	if (r->failed || total < FDT_HEADER_MIN || total > r->len - z->size) {
		r->failed = false;
		return;
	}
	z->dtb_off = z->size;
	z->dtb_len = total;
}

static int zimage_parse(struct kx_image *img, struct kx_reader *r,
			struct zimage *z)
{
	struct kx_reader zr;
	uint32_t start, end, endian;

	memset(z, 0, sizeof(*z));
	if (kx_rd_le32(r, HDR_MAGIC) != ZIMAGE_MAGIC || r->failed)
		return -ENOEXEC;
	start = kx_rd_le32(r, HDR_START);
	end = kx_rd_le32(r, HDR_END);
	endian = kx_rd_le32(r, HDR_ENDIAN);
	if (r->failed)
		return kx_err_truncated(img, r, "the zImage header");
	if (start)
		return kx_err(img, -EINVAL,
			      "%s: the zImage is linked to run at 0x%x: kexload "
			      "loads position-independent zImages (linked at 0)",
			      r->name, start);
	if (end < HDR_LEN)
		return kx_err(img, -EINVAL,
			      "%s: the zImage header's end 0x%x is inside the "
			      "header", r->name, end);
	if (end > r->len)
		return kx_err(img, -EINVAL,
			      "%s: truncated: the zImage header says the zImage "
			      "is 0x%x bytes but the file has only 0x%" PRIx64,
			      r->name, end, r->len);
	if (endian == ZIMAGE_BE)
		return kx_err(img, -EINVAL,
			      "%s: a big-endian (BE8) zImage; kexload loads "
			      "little-endian ARM kernels", r->name);
	z->size = end;
	z->endian_word = endian == ZIMAGE_LE;
	appended_dtb(r, z);
	kx_reader_init(&zr, r->buf, z->size, r->name);
	if (kx_rd_le32(&zr, HDR_MAGIC2) != ZIMAGE_MAGIC2)
		return 0;   /* older than the tag table */
	z->tags = kx_rd_le32(&zr, HDR_TAGS);
	return walk_tags(img, &zr, z);
}

/* xz streams end with the footer magic "YZ"; the kernel's build puts the
 * size word right after the compressed data. */
static const char *zimage_compression(struct kx_reader *r,
				      const struct zimage *z)
{
	const uint8_t *footer = z->size_tag && z->size_ptr >= 2 ?
		kx_rd_bytes(r, z->size_ptr - 2, 2) : NULL;

	return footer && !memcmp(footer, "YZ", 2) ? "xz" : "unknown";
}

static int zimage_probe(struct kx_image *img, struct kx_reader *r,
			struct kx_info *info)
{
	struct zimage z;
	int rc = zimage_parse(img, r, &z);

	if (rc)
		return rc;
	info->compression = zimage_compression(r, &z);
	kx_info_add(info, "zimage_size", "0x%" PRIx64, z.size);
	kx_info_add(info, "endianness", "%s", z.endian_word ? "little" :
		    "little (no endianness word: an old zImage)");
	if (z.size_tag) {
		kx_info_add(info, "kernel_text_data", "0x%x", z.edata);
		kx_info_add(info, "kernel_bss", "0x%x", z.bss);
	}
	if (z.text_offset)
		kx_info_add(info, "text_offset", "0x%x", z.text_offset);
	if (z.malloc_size)
		kx_info_add(info, "malloc_size", "0x%x", z.malloc_size);
	kx_info_add(info, "extension_tags", "%u", z.ntags);
	if (z.dtb_len)
		kx_info_add(info, "appended_dtb", "%" PRIu64 " bytes at 0x%" PRIx64,
			    z.dtb_len, z.dtb_off);
	else
		kx_info_add(info, "appended_dtb", "no");
	return 0;
}

/* What the decompressed kernel and the decompressor need, by the tag's
 * figures or, without them, by conservative bounds; says which. */
struct footprint {
	uint64_t mem_start;     /* the start of RAM the kernel will use */
	uint64_t window_end;    /* the zImage must start below this */
	uint64_t kernel;        /* the decompressed kernel's address */
	uint64_t kernel_end;    /* ... and the end of its BSS */
	uint64_t zimage_mem;    /* the zImage and its working memory */
	uint64_t lowmem_end;
};

/* Where the new kernel's RAM starts: the first RAM, or for a crash kernel
 * (which runs in the crash region alone) the crash region. */
static uint64_t ram_start(const struct kx_image *img)
{
	enum kx_mem_type want = img->opts.type == KX_IMAGE_CRASH ?
					KX_MEM_CRASH : KX_MEM_RAM;
	uint64_t lo = UINT64_MAX;

	for (size_t i = 0; i < kx_memmap_count(img->memmap); i++) {
		const struct kx_mem_range *m = kx_memmap_range(img->memmap, i);

		if (m->type == want && m->start < lo)
			lo = m->start;
	}
	return lo;
}

/* 0: [start, end) is RAM; 1: RAM, but a reserved range overlaps it;
 * -1: not all RAM. */
static int ram_state(const struct kx_memmap *map, uint64_t start, uint64_t end)
{
	bool in_ram = false, reserved = false;

	for (size_t i = 0; i < kx_memmap_count(map); i++) {
		const struct kx_mem_range *m = kx_memmap_range(map, i);

		if (m->type == KX_MEM_RAM && m->start <= start && end - 1 <= m->end)
			in_ram = true;
		else if (m->type != KX_MEM_RAM && m->type != KX_MEM_CRASH &&
			 m->start <= end - 1 && start <= m->end)
			reserved = true;
	}
	return !in_ram ? -1 : reserved;
}

/* The new kernel's lowmem: vmalloc= on its command line (the last one,
 * as the kernel reads them) shrinks it. */
static uint64_t lowmem_size(struct kx_image *img)
{
	const char *p = NULL, *q = img->cmdline;
	uint64_t v, low = LOWMEM_MIN;
	char val[32];
	size_t n;

	while ((q = strstr(q, "vmalloc=")) != NULL) {
		if (q == img->cmdline || q[-1] == ' ')
			p = q;
		q++;
	}
	if (!p)
		return low;
	p += strlen("vmalloc=");
	n = strcspn(p, " ");
	if (n >= sizeof(val))
		return low;
	memcpy(val, p, n);
	val[n] = '\0';
	if (kx_parse_size(val, &v) || v <= VMALLOC_DEFAULT)
		return low;
	low = v < LOWMEM_SPAN - 32 * MIB ? LOWMEM_SPAN - v : 32 * MIB;
	kx_log(img, KX_LOG_DEBUG, "vmalloc=%s on the command line: the new "
	       "kernel's lowmem is at most 0x%" PRIx64 " bytes", val, low);
	return low;
}

/* Keeps every segment within the architecture's segment_max (below
 * 4 GiB: lib/arch/arm/arm.c says why), even where RAM (LPAE) and the new
 * kernel's lowmem go past 4 GiB. */
static int below_4g(struct kx_image *img, const struct kx_reader *r,
		    uint64_t ram, struct footprint *f)
{
	const uint64_t seg_end = img->arch->segment_max + 1;

	if (f->kernel_end > seg_end)
		return kx_err(img, -EINVAL,
			      "%s: RAM starts at 0x%" PRIx64 ", so the zImage "
			      "would decompress the kernel to 0x%" PRIx64 "-0x%"
			      PRIx64 ", not below 0x%" PRIx64 ": a 32-bit ARM kernel is "
			      "entered, and given its initrd and device tree, "
			      "below 4 GiB", r->name, ram, f->kernel,
			      f->kernel_end - 1, seg_end);
	if (f->window_end > seg_end)
		f->window_end = seg_end;
	if (f->lowmem_end > seg_end) {
		kx_log(img, KX_LOG_DEBUG, "the new kernel's lowmem would end at "
		       "0x%" PRIx64 ": the initrd and device tree stay below "
		       "0x%" PRIx64 ", where a 32-bit kexec_load, the purgatory and r2 "
		       "reach", f->lowmem_end - 1, seg_end);
		f->lowmem_end = seg_end;
	}
	return 0;
}

static int footprint(struct kx_image *img, const struct kx_reader *r,
		     const struct zimage *z, struct footprint *f)
{
	uint64_t ram = ram_start(img), text_offset, size, malloc_size;
	int state;

	if (ram == UINT64_MAX)
		return kx_err(img, -EINVAL, "%s: the memory map has no RAM",
			      r->name);
	f->window_end = kx_align_down(ram, WINDOW) + WINDOW;
	if (ram % WINDOW) {
		f->mem_start = kx_align_up(ram, 2 * MIB);
		kx_log(img, KX_LOG_DEBUG, "RAM starts at 0x%" PRIx64 ", not 128 "
		       "MiB aligned: the decompressor rounds it up to 2 MiB "
		       "from the device tree (Linux 5.12 and later)", ram);
	} else {
		f->mem_start = ram;
	}
	text_offset = z->text_offset ? z->text_offset : TEXT_OFFSET_MAX;
	malloc_size = z->malloc_size ? z->malloc_size : MALLOC_DEFAULT;
	if (z->size_tag) {
		size = (uint64_t)z->edata + z->bss;
		kx_log(img, KX_LOG_DEBUG,
		       "%s: zImage rule: kernel-size tag: text+data 0x%x, bss "
		       "0x%x, %s 0x%" PRIx64 ", malloc 0x%" PRIx64, r->name,
		       z->edata, z->bss, z->text_offset ? "TEXT_OFFSET" :
		       "no TEXT_OFFSET in the tag: assuming at most",
		       text_offset, malloc_size);
	} else {
		size = RATIO_MAX * z->size;
		kx_log(img, KX_LOG_DEBUG,
		       "%s: zImage rule: no kernel-size tag: assuming the "
		       "decompressed kernel and its BSS take at most %d times "
		       "the zImage (0x%" PRIx64 "), at TEXT_OFFSET at most 0x%"
		       PRIx64, r->name, RATIO_MAX, size, text_offset);
	}
	f->kernel = f->mem_start + text_offset;
	f->kernel_end = kx_align_up(f->kernel + size, KX_PAGE_SIZE);
	f->zimage_mem = kx_align_up(z->size + 4 + malloc_size + DECOMP_SLACK,
				    KX_PAGE_SIZE);
	f->lowmem_end = f->mem_start + lowmem_size(img);
	state = ram_state(img->memmap, f->kernel - PGDIR_SIZE, f->kernel_end);
	if (state < 0)
		return kx_err(img, -EINVAL,
			      "%s: the decompressed kernel would land at 0x%"
			      PRIx64 "-0x%" PRIx64 " (TEXT_OFFSET 0x%" PRIx64
			      " above the start of RAM 0x%" PRIx64 "), which is "
			      "not all RAM", r->name, f->kernel,
			      f->kernel_end - 1, text_offset, f->mem_start);
	if (state > 0)
		kx_log(img, KX_LOG_WARN, "%s: the decompressed kernel at 0x%"
		       PRIx64 "-0x%" PRIx64 " overlaps memory the memory map "
		       "calls reserved", r->name, f->kernel, f->kernel_end - 1);
	return below_4g(img, r, ram, f);
}

static int place_zimage(struct kx_image *img, const struct kx_reader *r,
			const struct zimage *z, const struct footprint *f,
			uint64_t *addr)
{
	struct kx_placed req = { .size = f->zimage_mem, .align = KX_PAGE_SIZE,
				 .min = f->kernel_end, .max = f->window_end - 1 };
	int rc = kx_image_place(img, "the zImage", req, addr);

	if (rc == -ENOSPC)
		return kx_err(img, rc,
			      "%s: no room for the zImage (0x%" PRIx64 " bytes "
			      "with its working memory) between the end of the "
			      "decompressed kernel 0x%" PRIx64 " and the end of "
			      "the first 128 MiB of RAM 0x%" PRIx64, r->name,
			      f->zimage_mem, f->kernel_end, f->window_end);
	if (rc)
		return rc;
	rc = kx_image_add_segment(img, r->buf, z->size, *addr, f->zimage_mem,
				  KX_SEG_KERNEL);
	/* The decompressor reads the word after _edata (an appended DTB's
	 * magic, or zero): the purgatory checks it is still zero. */
	return rc ? rc : kx_image_check_zeros(img, &img->seg[img->nseg - 1], 4);
}

/* Where the initrd and the device tree may go: above the zImage's
 * working memory, below the end of the new kernel's lowmem. */
static struct kx_placed high_req(uint64_t zend, const struct footprint *f)
{
	return (struct kx_placed){ .align = KX_PAGE_SIZE, .min = zend,
				   .max = f->lowmem_end - 1, .top_down = true };
}

static int zimage_load(struct kx_image *img, struct kx_reader *r,
		       struct kx_boot *boot)
{
	struct footprint f = { 0 };
	struct zimage z;
	uint64_t addr, zend;
	int rc = zimage_parse(img, r, &z);

	if (!rc)
		rc = footprint(img, r, &z, &f);
	if (!rc)
		rc = place_zimage(img, r, &z, &f, &addr);
	if (rc)
		return rc;
	boot->kernel = &img->seg[img->nseg - 1];
	boot->entry = addr;
	zend = addr + f.zimage_mem;
	if (r->len > z.size && !z.dtb_len)
		kx_log(img, KX_LOG_DEBUG, "%s: %" PRIu64 " bytes after the "
		       "zImage's end are not a device tree: not loaded",
		       r->name, r->len - z.size);
	kx_log(img, KX_LOG_DEBUG,
	       "%s: zImage layout: zImage 0x%" PRIx64 "-0x%" PRIx64
	       " (working memory to 0x%" PRIx64 "), decompressed kernel 0x%"
	       PRIx64 "-0x%" PRIx64 " (RAM start 0x%" PRIx64 "), lowmem ends "
	       "0x%" PRIx64, r->name, addr, addr + z.size - 1, zend - 1,
	       f.kernel, f.kernel_end - 1, f.mem_start, f.lowmem_end - 1);
	/* The initrd and the device tree: above the zImage's working
	 * memory, below the end of the new kernel's lowmem. */
	boot->initrd_req = high_req(zend, &f);
	boot->dtb_req = high_req(zend, &f);
	boot->initrd_room = kx_image_name(img,
		"no room for the initrd between the zImage's end 0x%" PRIx64
		" and the end of the new kernel's lowmem 0x%" PRIx64 " (a 32-bit "
		"ARM kernel reads its initrd there)", zend, f.lowmem_end);
	if (z.dtb_len)
		boot->dtb_fallback = (struct kx_input){
			.name = r->name, .len = z.dtb_len,
			.buf = kx_rd_bytes(r, z.dtb_off, z.dtb_len) };
	return 0;
}

static const char *const zimage_kexec_names[] = { "zImage", NULL };

const struct kx_format kx_format_zimage = {
	.name = "zImage",
	.arch = KX_ARCH_ARM,
	.kexec_names = zimage_kexec_names,
	.probe = zimage_probe,
	.load = zimage_load,
};
