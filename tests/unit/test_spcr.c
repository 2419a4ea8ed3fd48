/* SPDX-License-Identifier: MIT */
/*
 * The ACPI SPCR table reader (lib/core/spcr.c) on tables built here as the
 * SPCR specification lays them out: the console each interface type gives
 * the purgatory, tables that are not sound (ignored with a warning, so a
 * load still works), and an arm64 load whose device tree names no console
 * (as on a UEFI and ACPI machine) taking the SPCR's.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libfdt.h>

#include "internal.h"
#include "tap.h"
#include "../fixtures/arm64.h"

struct spcr {
	uint8_t iface, space, bits;
	uint64_t base;
	uint32_t len;        /* 0: 80 */
	int sum_off;         /* added to the checksum byte */
};

static size_t make_spcr(uint8_t *p, const struct spcr *s)
{
	uint32_t len = s->len ? s->len : 80;
	uint8_t sum = 0;

	memset(p, 0, 128);
	memcpy(p, "SPCR", 4);
	kx_put_uint(p + 4, 4, len, false);
	p[8] = 2;                       /* revision */
	memcpy(p + 10, "KXTEST", 6);
	p[36] = s->iface;
	p[40] = s->space;
	p[41] = s->bits;
	p[43] = s->bits == 32 ? 3 : 1;  /* access size */
	kx_put_uint(p + 44, 8, s->base, false);
	for (uint32_t i = 0; i < 80; i++)
		sum = (uint8_t)(sum + p[i]);
	p[9] = (uint8_t)(-sum + s->sum_off);
	return 80;
}

struct logbuf {
	char last[512];
	int warnings;
};

static void capture(void *arg, enum kx_log_level level, const char *msg)
{
	struct logbuf *l = arg;

	if (level != KX_LOG_WARN)
		return;
	l->warnings++;
	snprintf(l->last, sizeof(l->last), "%s", msg);
}

static void test_tables(void)
{
	static const struct {
		const char *name;
		struct spcr s;
		uint64_t base, kind;
		const char *warning;
	} cases[] = {
		{ "pl011", { 0x03, 0, 32, 0x9000000, 0, 0 }, 0x9000000,
		  KX_UART_PL011 | 4 << 16, NULL },
		{ "sbsa", { 0x0e, 0, 32, 0x2a400000, 0, 0 }, 0x2a400000,
		  KX_UART_PL011 | 4 << 16, NULL },
		{ "16550-32bit", { 0x12, 0, 32, 0xfe215040, 0, 0 }, 0xfe215040,
		  KX_UART_8250 | 2 << 8 | 4 << 16, NULL },
		{ "16550-8bit", { 0x00, 0, 8, 0x10000000, 0, 0 }, 0x10000000,
		  KX_UART_8250 | 1 << 16, NULL },
		{ "io-port", { 0x00, 1, 8, 0x3f8, 0, 0 }, 0, 0,
		  "io-port: ACPI SPCR table ignored: the console is not memory-mapped" },
		{ "bad-sum", { 0x03, 0, 32, 0x9000000, 0, 1 }, 0, 0,
		  "bad-sum: ACPI SPCR table ignored: its checksum is wrong" },
		{ "too-long", { 0x03, 0, 32, 0x9000000, 4096, 0 }, 0, 0,
		  "too-long: ACPI SPCR table ignored: its length does not fit the file" },
		{ "too-short", { 0x03, 0, 32, 0x9000000, 40, 0 }, 0, 0,
		  "too-short: ACPI SPCR table ignored: its length does not fit the file" },
		{ "other-uart", { 0x10, 0, 32, 0x9000000, 0, 0 }, 0, 0,
		  "other-uart: ACPI SPCR table ignored: its interface type is not "
		  "a PL011 or a 16550" },
	};

	for (size_t i = 0; i < KX_ARRAY_SIZE(cases); i++) {
		struct kx_image *img;
		struct logbuf log = { "", 0 };
		uint8_t t[128];
		uint64_t uart[2] = { 1, 1 };
		size_t len = make_spcr(t, &cases[i].s);

		kx_image_new(&img);
		kx_image_set_log(img, capture, &log);
		is_int(kx_spcr_console(img, t, len, cases[i].name, uart), 0,
		       "%s: read without failing the load", cases[i].name);
		is_u64(uart[0], cases[i].base, "%s: console base", cases[i].name);
		is_u64(uart[1], cases[i].kind, "%s: console kind", cases[i].name);
		if (cases[i].warning)
			like(log.last, cases[i].warning, "%s: warns", cases[i].name);
		else
			is_int(log.warnings, 0, "%s: no warning", cases[i].name);
		kx_image_free(img);
	}
	{
		struct kx_image *img;
		struct logbuf log = { "", 0 };
		uint64_t uart[2];

		kx_image_new(&img);
		kx_image_set_log(img, capture, &log);
		kx_spcr_console(img, (const uint8_t *)"DSDT", 4, "dsdt", uart);
		is_str(log.last, "dsdt: ACPI SPCR table ignored: no \"SPCR\" signature; "
		       "the purgatory will be silent", "another table: warns");
		kx_image_free(img);
	}
}

static void write_file(const char *path, const void *p, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(p, 1, len, f) != len)
		abort();
	fclose(f);
}

/* A UEFI-booted kernel's tree: /chosen only, with the EFI memory map. */
static size_t make_stub_tree(void *buf, size_t cap)
{
	fdt32_t two = cpu_to_fdt32(2);
	fdt64_t v = cpu_to_fdt64(0x7c000000);

	fdt_create(buf, (int)cap);
	fdt_finish_reservemap(buf);
	fdt_begin_node(buf, "");
	fdt_property(buf, "#address-cells", &two, 4);
	fdt_property(buf, "#size-cells", &two, 4);
	fdt_begin_node(buf, "chosen");
	fdt_property(buf, "linux,uefi-system-table", &v, 8);
	fdt_property(buf, "linux,uefi-mmap-start", &v, 8);
	fdt_end_node(buf);
	fdt_end_node(buf);
	fdt_finish(buf);
	return fdt_totalsize(buf);
}

static int fixed_random(void *arg, void *buf, size_t len)
{
	(void)arg;
	memset(buf, 1, len);
	return 0;
}

static void test_uefi_load(void)
{
	static char tree[4096];
	char dir[] = "/tmp/kx-spcr-XXXXXX", dtb[64], spcr[64];
	uint8_t t[128];
	struct kx_memmap *map;
	struct kx_image *img;
	uint8_t *k = kx_fix_arm64_image(0, 0x200000, 0xa, 0x30000);
	struct kx_load_opts o = { .arch = KX_ARCH_ARM64, .kernel = "Image",
				  .dtb = dtb, .acpi_spcr = spcr };
	const struct kx_segment *d = NULL;

	if (!mkdtemp(dir))
		abort();
	snprintf(dtb, sizeof(dtb), "%s/fdt", dir);
	snprintf(spcr, sizeof(spcr), "%s/SPCR", dir);
	write_file(dtb, tree, make_stub_tree(tree, sizeof(tree)));
	write_file(spcr, t, make_spcr(t, &(struct spcr){ 0x03, 0, 32, 0x9000000, 0, 0 }));
	if (kx_memmap_new(&map) || kx_memmap_parse_ram(map, "1G@0x40000000") ||
	    kx_image_new(&img) || kx_image_set_memmap(img, map))
		abort();
	kx_image_set_random(img, fixed_random, NULL);
	is_int(kx_image_load_buffer(img, &o, k, 0x30000), 0,
	       "load with a UEFI stub's tree and an SPCR: %s", kx_image_error(img));
	ok(img->npurg_values == 1 && !strcmp(img->purg_values[0].name, "kx_uart") &&
	   img->purg_values[0].vals[0] == 0x9000000 &&
	   img->purg_values[0].vals[1] == (KX_UART_PL011 | 4 << 16),
	   "the purgatory's console is the SPCR's PL011");
	for (size_t i = 0; i < kx_image_segment_count(img); i++)
		if (kx_image_segment(img, i)->kind == KX_SEG_DTB)
			d = kx_image_segment(img, i);
	ok(d && fdt_node_offset_by_prop_value(d->buf, -1, "device_type",
					      "memory", 7) < 0,
	   "no memory nodes: the kernel takes memory from the UEFI map");
	ok(d && fdt_first_subnode(d->buf, 0) == fdt_path_offset(d->buf, "/chosen") &&
	   fdt_next_subnode(d->buf, fdt_path_offset(d->buf, "/chosen")) < 0,
	   "the tree still holds only /chosen, so the kernel boots with ACPI");
	kx_image_free(img);
	kx_memmap_free(map);
	free(k);
	remove(dtb);
	remove(spcr);
	rmdir(dir);
}

int main(void)
{
	test_tables();
	test_uefi_load();
	return done_testing();
}
