/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: arbitrary text as /proc/iomem, as a /sys/firmware/memmap
 * entry or as a --ram SIZE[@BASE] (see parse()). A parse that fails must
 * say why; one that succeeds must give ranges sorted by start, each ending
 * at or after its start, and the hole finder must place a few requests on
 * the result inside RAM, without overlap, or say there is no room.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static void place(const struct kx_memmap *map)
{
	static const struct kx_placed reqs[] = {
		{ .size = 0x1000, .align = 0x1000, .max = UINT64_MAX },
		{ .size = 0x400000, .align = 0x200000, .min = 0x100000,
		  .max = UINT64_MAX },
		{ .size = 0x2000, .align = 0x1000, .max = 0xffffffff,
		  .top_down = true },
		{ .size = 0x1000, .align = 0x1000, .max = UINT64_MAX,
		  .top_down = true, .crash = true },
		{ .size = 0x10000, .align = 1ULL << 40, .max = UINT64_MAX,
		  .top_down = true },
	};
	struct kx_segment used[KX_ARRAY_SIZE(reqs)];
	size_t nused = 0;

	for (size_t i = 0; i < KX_ARRAY_SIZE(reqs); i++) {
		const struct kx_placed *q = &reqs[i];
		enum kx_mem_type want = q->crash ? KX_MEM_CRASH : KX_MEM_RAM;
		uint64_t a, e;
		bool inside = false;
		int rc = kx_memmap_find_hole(map, q, used, nused, &a);

		if (rc == -ENOSPC)
			continue;
		if (rc)
			abort();
		e = a + q->size - 1;
		if (e < a || a % q->align || a < q->min || e > q->max)
			abort();
		for (size_t k = 0; k < kx_memmap_count(map); k++) {
			const struct kx_mem_range *r = kx_memmap_range(map, k);

			if (r->type == want && r->start <= a && e <= r->end)
				inside = true;
			if (r->type != KX_MEM_RAM && r->type != KX_MEM_CRASH &&
			    a <= r->end && r->start <= e)
				abort();
		}
		for (size_t k = 0; k < nused; k++)
			if (a <= used[k].mem + used[k].memsz - 1 &&
			    used[k].mem <= e)
				abort();
		if (!inside)
			abort();
		used[nused++] = (struct kx_segment){ .mem = a, .memsz = q->size };
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The other parsers: an input that starts with 'F' is one entry of
 * /sys/firmware/memmap (its start, end and type, NUL-separated), with 'R'
 * a --ram SIZE[@BASE]; the rest is /proc/iomem text. */
static int parse(struct kx_memmap *map, const uint8_t *data, size_t size)
{
	char *buf, *f[3];
	size_t off = 1;
	int rc;

	if (!size || (data[0] != 'F' && data[0] != 'R'))
		return kx_memmap_parse_iomem(map, "fuzz", (const char *)data, size);
	buf = malloc(size + 3);
	if (!buf)
		abort();
	memcpy(buf, data, size);
	buf[size] = buf[size + 1] = buf[size + 2] = '\0';
	for (int i = 0; i < 3; i++) {
		f[i] = buf + off;
		off += strlen(buf + off) + 1;
		if (off > size + 2)
			off = size + 2;
	}
	rc = data[0] == 'R' ? kx_memmap_parse_ram(map, f[0]) :
			      kx_memmap_parse_firmware_entry(map, "fuzz", f[0],
							     f[1], f[2]);
	free(buf);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kx_memmap *map;
	int rc;

	if (kx_memmap_new(&map))
		abort();
	rc = parse(map, data, size);
	if (rc) {
		if (!kx_memmap_error(map)[0])
			abort();
		kx_memmap_free(map);
		return 0;
	}
	for (size_t i = 0; i < kx_memmap_count(map); i++) {
		const struct kx_mem_range *r = kx_memmap_range(map, i);

		if (r->end < r->start ||
		    (i && kx_memmap_range(map, i - 1)->start > r->start))
			abort();
	}
	place(map);
	kx_memmap_free(map);
	return 0;
}
