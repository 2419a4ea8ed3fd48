/* SPDX-License-Identifier: MIT */
/*
 * The hole finder, shared by every architecture: the lowest (bottom-up) or
 * highest (top-down) address with the requested alignment where @size bytes
 * lie inside one usable range, inside [min, max], and clear of every range
 * that is not RAM and of every segment already placed. It does the job of
 * the kernel's kexec_locate_mem_hole().
 */
#include <stdlib.h>

#include "internal.h"

struct span {
	uint64_t start;
	uint64_t end;   /* inclusive */
};

static bool overlaps(uint64_t s, uint64_t e, const struct span *b)
{
	return s <= b->end && b->start <= e;
}

/* The first blocker that overlaps [s, e], or NULL. */
static const struct span *blocked(const struct span *b, size_t nb, uint64_t s,
				  uint64_t e)
{
	for (size_t i = 0; i < nb; i++)
		if (overlaps(s, e, &b[i]))
			return &b[i];
	return NULL;
}

/* Searches [lo, hi] (inclusive) for a fit; returns true and sets *addr. */
static bool fit_in(uint64_t lo, uint64_t hi, const struct kx_placed *req,
		   const struct span *b, size_t nb, uint64_t *addr)
{
	uint64_t size = req->size, a = req->align;

	if (hi < lo || hi - lo < size - 1)
		return false;
	if (!req->top_down) {
		uint64_t c = kx_align_up(lo, a);

		while (c >= lo && c <= hi && hi - c >= size - 1) {
			const struct span *x = blocked(b, nb, c, c + size - 1);

			if (!x) {
				*addr = c;
				return true;
			}
			/* Past the blocker, unless that wraps past 2^64 (which
			 * would start the search again from 0, for ever). */
			if (kx_align_up(x->end + 1, a) <= x->end)
				return false;
			c = kx_align_up(x->end + 1, a);
		}
		return false;
	}
	uint64_t c = kx_align_down(hi - (size - 1), a);

	while (c >= lo && c <= hi) {
		const struct span *x = blocked(b, nb, c, c + size - 1);

		if (!x) {
			*addr = c;
			return true;
		}
		if (x->start < size)
			return false;
		c = kx_align_down(x->start - size, a);
	}
	return false;
}

int kx_memmap_find_hole(const struct kx_memmap *map, const struct kx_placed *req,
			const struct kx_segment *used, size_t nused,
			uint64_t *addr)
{
	enum kx_mem_type want = req->crash ? KX_MEM_CRASH : KX_MEM_RAM;
	size_t n = kx_memmap_count(map), nb = 0;
	struct span *b;
	bool found = false;
	uint64_t best = 0;

	if (!req->size || !kx_is_pow2(req->align) || req->max < req->min)
		return -EINVAL;
	b = malloc((n + nused + 1) * sizeof(*b));
	if (!b)
		return -ENOMEM;
	for (size_t i = 0; i < nused; i++)
		b[nb++] = (struct span){ used[i].mem,
					 used[i].mem + used[i].memsz - 1 };
	for (size_t i = 0; i < n; i++) {
		const struct kx_mem_range *r = kx_memmap_range(map, i);

		if (r->type != KX_MEM_RAM && r->type != KX_MEM_CRASH)
			b[nb++] = (struct span){ r->start, r->end };
	}
	for (size_t i = 0; i < n; i++) {
		const struct kx_mem_range *r = kx_memmap_range(map, i);
		uint64_t lo = r->start > req->min ? r->start : req->min;
		uint64_t hi = r->end < req->max ? r->end : req->max;
		uint64_t a;

		if (r->type != want || !fit_in(lo, hi, req, b, nb, &a))
			continue;
		if (!found || (req->top_down ? a > best : a < best))
			best = a;
		found = true;
	}
	free(b);
	if (!found)
		return -ENOSPC;
	*addr = best;
	return 0;
}
