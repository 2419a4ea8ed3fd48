/* SPDX-License-Identifier: MIT */
/*
 * The hole finder, shared by every architecture: the lowest (bottom-up) or
 * highest (top-down) address with the requested alignment where @size bytes
 * lie inside one usable range, inside [min, max], and clear of every range
 * that is not RAM and of every segment already placed. It does the job of
 * the kernel's kexec_locate_mem_hole().
 *
 * The blockers are sorted and merged once; then each usable range is cut
 * into the free gaps between them, and each gap is tried once: O((R + B)
 * log B) for R ranges and B blockers, so a large memory map or many
 * segments cost no more than sorting them.
 */
#include <stdlib.h>

#include "internal.h"

struct span {
	uint64_t start;
	uint64_t end;   /* inclusive */
};

static int by_start(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* Sorts @b and merges what overlaps or touches; returns the new count. */
static size_t merge(struct span *b, size_t n)
{
	size_t k = 0;

	if (!n)
		return 0;
	qsort(b, n, sizeof(*b), by_start);
	for (size_t i = 1; i < n; i++) {
		if (b[k].end == UINT64_MAX || b[i].start <= b[k].end + 1) {
			if (b[i].end > b[k].end)
				b[k].end = b[i].end;
		} else {
			b[++k] = b[i];
		}
	}
	return k + 1;
}

/* The first blocker that ends at or after @addr (b is sorted, disjoint). */
static size_t first_after(const struct span *b, size_t n, uint64_t addr)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (b[mid].end < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The best place for @req in the free gap [lo, hi], if it fits. */
static bool fit_gap(uint64_t lo, uint64_t hi, const struct kx_placed *req,
		    uint64_t *addr)
{
	uint64_t size = req->size, a = req->align, c;

	if (hi < lo || hi - lo < size - 1)
		return false;
	if (req->top_down) {
		c = kx_align_down(hi - (size - 1), a);
		if (c < lo)
			return false;
	} else {
		c = kx_align_up(lo, a);
		if (c < lo || c > hi || hi - c < size - 1)
			return false;   /* no aligned start, or it wrapped */
	}
	*addr = c;
	return true;
}

static void keep(const struct kx_placed *req, uint64_t a, bool *found,
		 uint64_t *best)
{
	if (!*found || (req->top_down ? a > *best : a < *best))
		*best = a;
	*found = true;
}

/* Tries every free gap of [lo, hi] between the blockers; keeps the best. */
static void fit_range(uint64_t lo, uint64_t hi, const struct kx_placed *req,
		      const struct span *b, size_t nb, bool *found,
		      uint64_t *best)
{
	uint64_t a;

	for (size_t i = first_after(b, nb, lo); i < nb && b[i].start <= hi; i++) {
		/* b[i] ends at or after lo and starts at or before hi */
		if (b[i].start > lo && fit_gap(lo, b[i].start - 1, req, &a))
			keep(req, a, found, best);
		if (b[i].end >= hi)
			return;
		lo = b[i].end + 1;
	}
	if (fit_gap(lo, hi, req, &a))
		keep(req, a, found, best);
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
	nb = merge(b, nb);
	for (size_t i = 0; i < n; i++) {
		const struct kx_mem_range *r = kx_memmap_range(map, i);
		uint64_t lo = r->start > req->min ? r->start : req->min;
		uint64_t hi = r->end < req->max ? r->end : req->max;

		if (r->type == want && lo <= hi)
			fit_range(lo, hi, req, b, nb, &found, &best);
	}
	free(b);
	if (!found)
		return -ENOSPC;
	*addr = best;
	return 0;
}
