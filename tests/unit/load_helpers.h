/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the unit tests that load images from memory (test_arm64.c,
 * test_arm.c), on the public API alone: an image on a one-range memory
 * map with a fixed random source (so seeds in device trees are
 * reproducible), a segment by kind, an inspect field by key, and a file
 * written whole (a device tree, an initrd).
 */
#ifndef KX_LOAD_HELPERS_H
#define KX_LOAD_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kexload.h"
#include "internal.h"

static inline int fixed_random(void *arg, void *buf, size_t len)
{
	(void)arg;
	memset(buf, 0xa5, len);
	return 0;
}

/* An image whose memory map is @ram ("SIZE@BASE"). */
static inline struct kx_image *new_image(const char *ram)
{
	struct kx_memmap *map;
	struct kx_image *img;

	if (kx_memmap_new(&map) || kx_memmap_parse_ram(map, ram) ||
	    kx_image_new(&img) || kx_image_set_memmap(img, map))
		abort();
	kx_memmap_free(map);
	kx_image_set_random(img, fixed_random, NULL);
	return img;
}

/* The first segment of @kind, or NULL. */
static inline const struct kx_segment *seg_of(struct kx_image *img,
					      enum kx_segment_kind kind)
{
	for (size_t i = 0; i < kx_image_segment_count(img); i++)
		if (kx_image_segment(img, i)->kind == kind)
			return kx_image_segment(img, i);
	return NULL;
}

/* The value of inspect's field @key, or "". */
static inline const char *info_field(const struct kx_info *info, const char *key)
{
	for (size_t f = 0; f < info->nfields; f++)
		if (!strcmp(info->fields[f].key, key))
			return info->fields[f].value;
	return "";
}

static inline void write_file(const char *path, const void *p, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(p, 1, len, f) != len)
		abort();
	fclose(f);
}

/* A relocatable x86_64 bzImage (protocol 2.15, 64-bit entry, above 4G):
 * 1 setup sector, a 64 KiB payload, 4 MiB init_size, 2 MiB alignment. */
static inline uint8_t *make_bzimage(size_t *len)
{
	size_t n = 1024 + 0x10000;
	uint8_t *p = calloc(1, n);

	if (!p)
		abort();
	p[0x1f1] = 1;
	kx_put_uint(p + 0x1f4, 4, 0x10000 / 16, false);
	kx_put_uint(p + 0x1fe, 2, 0xaa55, false);
	p[0x200] = 0xeb;
	p[0x201] = 0x6a;                 /* the header ends at 0x26c */
	memcpy(p + 0x202, "HdrS", 4);
	kx_put_uint(p + 0x206, 2, 0x020f, false);
	kx_put_uint(p + 0x22c, 4, 0x7fffffff, false);
	kx_put_uint(p + 0x230, 4, 0x200000, false);
	p[0x234] = 1;
	kx_put_uint(p + 0x236, 2, 0x3, false);   /* XLF_KERNEL_64, above 4G */
	kx_put_uint(p + 0x238, 4, 2048, false);
	kx_put_uint(p + 0x260, 4, 0x400000, false);
	*len = n;
	return p;
}

#endif
