/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: arbitrary bytes as the base device tree, edited as an
 * arm64 or ARM load edits it (lib/dt): opened and checked, /chosen set
 * (command line, initrd range, seeds), memory nodes added from a fixed
 * two-bank memory map, the purgatory console looked up, and packed. An
 * edit that succeeds must give a tree libfdt finds sound, with the
 * bootargs and initrd range that were set; any failure must say why.
 */
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "internal.h"
#include "../lib/dt/dt.h"
#include "common.h"

static const char map_text[] =
	"40000000-7fffffff : System RAM\n"
	"100000000-13fffffff : System RAM\n";
static const char cmdline[] = "console=ttyAMA0 root=/dev/vda kx.fuzz=1";

static struct kx_image *setup(void)
{
	struct kx_memmap *map;
	struct kx_image *img;

	if (kx_memmap_new(&map) ||
	    kx_memmap_parse_iomem(map, "map", map_text, sizeof(map_text) - 1) ||
	    kx_image_new(&img) || kx_image_set_memmap(img, map))
		abort();
	kx_memmap_free(map);
	kx_image_set_random(img, fixed_random, NULL);
	return img;
}

static void check_tree(const void *fdt, size_t len)
{
	int chosen = fdt_path_offset(fdt, "/chosen"), n;
	const char *args;
	const fdt64_t *start;

	if (fdt_check_full(fdt, len) || chosen < 0)
		abort();
	args = fdt_getprop(fdt, chosen, "bootargs", &n);
	if (!args || n != (int)sizeof(cmdline) || memcmp(args, cmdline, sizeof(cmdline)))
		abort();
	start = fdt_getprop(fdt, chosen, "linux,initrd-start", &n);
	if (!start || n != 8 || fdt64_ld(start) != 0x48000000)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct kx_image *img;
	struct kx_dt dt;
	const void *blob = NULL;
	uint64_t uart[2];
	size_t len = 0;
	int rc;

	if (!img)
		img = setup();
	img->err[0] = '\0';
	free(img->cmdline);
	img->cmdline = strdup(cmdline);
	rc = kx_dt_open_buffer(img, &dt, data, size, "fuzz.dtb");
	if (!rc)
		rc = kx_dt_edit(&dt, 0x48000000, 0x100000, uart, &blob, &len);
	kx_dt_close(&dt);
	if (rc) {
		if (!img->err[0])
			abort();
		return 0;
	}
	check_tree(blob, len);
	/* The finished blob is owned by the image: let it go now. */
	free(img->owned[--img->nowned]);
	return 0;
}
