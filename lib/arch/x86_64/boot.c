/* SPDX-License-Identifier: MIT */
/*
 * x86_64 boot data, following the kernel's x86 boot protocol
 * (Documentation/arch/x86/boot.rst and zero-page.rst): a params segment
 * holds boot_params (the "zero page", started from the kernel's own setup
 * header), the command line and the setup_data chain: an RNG seed and,
 * past the zero page's 128 entries, the rest of the e820 table. The
 * purgatory enters the kernel's 64-bit entry with %rsi = boot_params.
 * A crash kernel gets elfcorehdr= and an e820 table of only the memory it
 * may use (the rules of the kernel's arch/x86/kernel/crash.c).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/internal.h"
#include "../boot.h"
#include "bootparam.h"
#include "efi.h"

#define E820_ZEROPAGE_MAX 128
#define E820_ENTRY_SIZE 20
#define SETUP_E820_EXT 1
#define SETUP_RNG_SEED 9
#define RNG_SEED_LEN 32
#define LOADER_TYPE_KEXEC 0xd0
#define MIN_PARAMS_ADDR 0x10000ULL

static int e820_type(enum kx_mem_type t)
{
	switch (t) {
	case KX_MEM_RAM: return 1;
	case KX_MEM_RESERVED: return 2;
	case KX_MEM_ACPI: return 3;
	case KX_MEM_NVS: return 4;
	case KX_MEM_UNUSABLE: return 5;
	case KX_MEM_PMEM: return 7;
	default: return 0;
	}
}

static size_t e820_count(const struct kx_memmap *map)
{
	size_t n = 0;

	for (size_t i = 0; i < kx_memmap_count(map); i++)
		n += e820_type(kx_memmap_range(map, i)->type) != 0;
	return n;
}

static void put_e820(uint8_t *p, const struct kx_mem_range *r)
{
	kx_put_uint(p, 8, r->start, false);
	kx_put_uint(p + 8, 8, r->end - r->start + 1, false);
	kx_put_uint(p + 16, 4, (uint64_t)e820_type(r->type), false);
}

/* e820 entries: the first 128 into the zero page, the rest into @ext. */
static void fill_e820(const struct kx_memmap *map, uint8_t *bp, uint8_t *ext)
{
	size_t k = 0;

	for (size_t i = 0; i < kx_memmap_count(map); i++) {
		const struct kx_mem_range *r = kx_memmap_range(map, i);

		if (!e820_type(r->type))
			continue;
		if (k < E820_ZEROPAGE_MAX)
			put_e820(bp + BP_E820_TABLE + k * E820_ENTRY_SIZE, r);
		else
			put_e820(ext + (k - E820_ZEROPAGE_MAX) * E820_ENTRY_SIZE, r);
		k++;
	}
	bp[BP_E820_ENTRIES] = (uint8_t)(k < E820_ZEROPAGE_MAX ? k : E820_ZEROPAGE_MAX);
}

struct params_layout {
	uint64_t cmdline_off;
	uint64_t rng_off;
	uint64_t e820_off;     /* 0: no SETUP_E820_EXT */
	uint64_t e820_extra;
	uint64_t size;
};

static void params_layout(const char *cmdline, size_t ne820,
			  struct params_layout *l)
{
	l->cmdline_off = BP_SIZE;
	l->rng_off = kx_align_up(l->cmdline_off + strlen(cmdline) + 1, 16);
	l->size = l->rng_off + 16 + RNG_SEED_LEN;
	l->e820_extra = ne820 > E820_ZEROPAGE_MAX ? ne820 - E820_ZEROPAGE_MAX : 0;
	l->e820_off = 0;
	if (l->e820_extra) {
		l->e820_off = kx_align_up(l->size, 16);
		l->size = l->e820_off + 16 + l->e820_extra * E820_ENTRY_SIZE;
	}
}

static void put_setup_data(uint8_t *p, uint64_t next, uint32_t type,
			   uint32_t len)
{
	kx_put_uint(p, 8, next, false);
	kx_put_uint(p + 8, 4, type, false);
	kx_put_uint(p + 12, 4, len, false);
}

/* The command line, the initrd and the kernel's address in the zero page. */
static void fill_header(uint8_t *p, uint64_t addr, const struct params_layout *l,
			const char *cmdline, const struct kx_boot *b)
{
	const struct kx_segment *initrd = b->initrd;
	uint64_t end = b->boot_header.len;

	if (end > HDR_END_MAX)
		end = HDR_END_MAX;
	memcpy(p + HDR_SETUP_SECTS, (const uint8_t *)b->boot_header.buf +
	       HDR_SETUP_SECTS, end - HDR_SETUP_SECTS);
	p[HDR_TYPE_OF_LOADER] = LOADER_TYPE_KEXEC;
	kx_put_uint(p + HDR_CODE32_START, 4, b->kernel->mem & 0xffffffff, false);
	memcpy(p + l->cmdline_off, cmdline, strlen(cmdline) + 1);
	kx_put_uint(p + HDR_CMD_LINE_PTR, 4, (addr + l->cmdline_off) & 0xffffffff,
		    false);
	kx_put_uint(p + BP_EXT_CMD_LINE_PTR, 4, (addr + l->cmdline_off) >> 32,
		    false);
	if (initrd) {
		kx_put_uint(p + HDR_RAMDISK_IMAGE, 4, initrd->mem & 0xffffffff, false);
		kx_put_uint(p + HDR_RAMDISK_SIZE, 4, initrd->bufsz & 0xffffffff, false);
		kx_put_uint(p + BP_EXT_RAMDISK_IMAGE, 4, initrd->mem >> 32, false);
		kx_put_uint(p + BP_EXT_RAMDISK_SIZE, 4,
			    (uint64_t)initrd->bufsz >> 32, false);
	}
}

static int boot_params(struct kx_image *img, struct kx_boot *b,
		       const struct kx_memmap *map)
{
	struct params_layout l;
	uint64_t addr, rng, e820, efi_off = 0, efi_size;
	uint8_t *p;
	struct kx_placed req = { .align = 16, .min = MIN_PARAMS_ADDR,
				 .max = 0xffffffffULL, .top_down = true };
	int rc;

	if (b->boot_header.len < HDR_SETUP_SECTS)
		return kx_err(img, -EINVAL, "%s: x86_64 kernels need a setup "
			      "header (a bzImage)", img->in.kernel.name);
	params_layout(img->cmdline, e820_count(map), &l);
	efi_size = kx_x86_64_efi_size(img);
	if (efi_size) {
		efi_off = kx_align_up(l.size, 16);
		l.size = efi_off + efi_size;
	}
	req.size = l.size;
	rc = kx_image_place(img, "boot_params and the command line", req,
			    &addr);
	if (rc)
		return rc;
	p = kx_image_alloc(img, l.size);
	if (!p)
		return kx_err(img, -ENOMEM, "out of memory");
	fill_header(p, addr, &l, img->cmdline, b);
	rng = addr + l.rng_off;
	e820 = l.e820_off ? addr + l.e820_off : 0;
	kx_put_uint(p + HDR_SETUP_DATA, 8, rng, false);
	put_setup_data(p + l.rng_off, e820, SETUP_RNG_SEED, RNG_SEED_LEN);
	rc = kx_image_random(img, p + l.rng_off + 16, RNG_SEED_LEN);
	if (rc)
		return rc;
	if (e820)
		put_setup_data(p + l.e820_off, 0, SETUP_E820_EXT,
			       (uint32_t)(l.e820_extra * E820_ENTRY_SIZE));
	fill_e820(map, p, e820 ? p + l.e820_off + 16 : NULL);
	kx_x86_64_firmware_fill(img, p, addr, efi_off);
	kx_log(img, KX_LOG_DEBUG,
	       "boot_params: %zu e820 entries (%" PRIu64 " in SETUP_E820_EXT), "
	       "command line %zu bytes, RNG seed at 0x%" PRIx64,
	       e820_count(map), l.e820_extra, strlen(img->cmdline), rng + 16);
	img->kernel_entry = b->entry;
	img->kernel_args[0] = addr;   /* %rsi */
	return kx_image_add_segment(img, p, l.size, addr, l.size, KX_SEG_PARAMS);
}


static int add_range(struct kx_image *img, struct kx_memmap *m, uint64_t s,
		     uint64_t e, enum kx_mem_type t)
{
	int rc = s <= e ? kx_memmap_add(m, s, e, t) : 0;

	return rc ? kx_err(img, rc, "out of memory") : 0;
}

/* A crash kernel's e820: the RAM below 1 MiB (every kernel keeps it to
 * itself now, but firmware tables live there), the ACPI, NVS and reserved
 * ranges it must still see, and the crash regions as its only other RAM,
 * less the ELF core header, which it must not overwrite. */
static int crash_e820(struct kx_image *img, struct kx_memmap *m)
{
	const struct kx_memmap *map = img->memmap;
	uint64_t hs = img->elfcorehdr, he = hs + img->elfcorehdr_size - 1;
	int rc = 0;

	for (size_t i = 0; !rc && i < kx_memmap_count(map); i++) {
		const struct kx_mem_range *r = kx_memmap_range(map, i);

		switch (r->type) {
		case KX_MEM_RAM:
			if (r->start < 0x100000)
				rc = add_range(img, m, r->start, r->end < 0xfffff ?
					       r->end : 0xfffff, KX_MEM_RAM);
			break;
		case KX_MEM_ACPI:
		case KX_MEM_NVS:
		case KX_MEM_RESERVED:
			rc = add_range(img, m, r->start, r->end, r->type);
			break;
		case KX_MEM_CRASH:
			if (hs < r->start || hs > r->end) {
				rc = add_range(img, m, r->start, r->end,
					       KX_MEM_RAM);
				break;
			}
			rc = add_range(img, m, r->start, hs - 1, KX_MEM_RAM);
			if (!rc && he < r->end)
				rc = add_range(img, m, he + 1, r->end,
					       KX_MEM_RAM);
			break;
		default:
			break;
		}
	}
	return rc;
}

/* elfcorehdr= first on the command line, as the kernel's own crash loads
 * put it (ahead of a "--" that hands the rest to init). */
static int crash_cmdline(struct kx_image *img)
{
	size_t len = strlen(img->cmdline) + 40;
	char *s = malloc(len);

	if (!s)
		return kx_err(img, -ENOMEM, "out of memory");
	snprintf(s, len, "elfcorehdr=0x%" PRIx64 "%s%s", img->elfcorehdr,
		 img->cmdline[0] ? " " : "", img->cmdline);
	free(img->cmdline);
	img->cmdline = s;
	return 0;
}

int kx_x86_64_boot(struct kx_image *img, struct kx_boot *b)
{
	struct kx_memmap *crash;
	int rc;

	if (!img->elfcorehdr)
		return boot_params(img, b, img->memmap);
	if (kx_memmap_new(&crash))
		return kx_err(img, -ENOMEM, "out of memory");
	rc = crash_e820(img, crash);
	if (!rc)
		rc = crash_cmdline(img);
	if (!rc)
		rc = boot_params(img, b, crash);
	kx_memmap_free(crash);
	return rc;
}
