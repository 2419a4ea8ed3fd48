/* SPDX-License-Identifier: MIT */
/*
 * The hole finder (kx_memmap_find_hole in lib/core/hole.c): exact answers
 * for hand-made maps (bottom-up, top-down, alignment, the min/max window,
 * ranges that are not RAM, segments already placed, the top of the 64-bit
 * space, the crash kernel region), then a randomized property test that
 * places requests one after another until the map is full, checking every
 * answer against a brute-force oracle.
 */
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "internal.h"
#include "tap.h"

#define RAM KX_MEM_RAM
#define RES KX_MEM_RESERVED
#define CRASH KX_MEM_CRASH
#define MAX UINT64_MAX

struct rng {
	uint64_t start, end;
	enum kx_mem_type type;
};

static struct kx_memmap *mkmap(const struct rng *r, size_t n)
{
	struct kx_memmap *map;

	if (kx_memmap_new(&map))
		abort();
	for (size_t i = 0; i < n; i++)
		if (kx_memmap_add(map, r[i].start, r[i].end, r[i].type))
			abort();
	return map;
}

#define MAP(...) mkmap((const struct rng[]){ __VA_ARGS__ },                  \
		       sizeof((const struct rng[]){ __VA_ARGS__ }) /            \
			       sizeof(struct rng))

/* The QEMU pc 1 GiB map, as the memmap parser gives it. */
static struct kx_memmap *qemu_1g(void)
{
	return MAP({ 0x0, 0xfff, RES }, { 0x1000, 0x9fbff, RAM },
		   { 0x9fc00, 0x9ffff, RES }, { 0xf0000, 0xfffff, RES },
		   { 0x100000, 0x3ffdffff, RAM }, { 0x3ffe0000, 0x3fffffff, RES },
		   { 0xfffc0000, 0xffffffff, RES });
}

struct seg {
	uint64_t mem, memsz;
};

static void test_table(void)
{
	static const struct {
		const char *what;
		int map;                 /* index into maps[] below */
		struct kx_placed req;
		struct seg used[3];
		int rc;
		uint64_t addr;
	} cases[] = {
		{ "bottom-up: the lowest page of RAM", 0,
		  { .size = 0x1000, .align = 0x1000, .max = MAX }, {}, 0, 0x1000 },
		{ "top-down: the highest page of RAM", 0,
		  { .size = 0x1000, .align = 0x1000, .max = MAX, .top_down = true },
		  {}, 0, 0x3ffdf000 },
		{ "bottom-up, 2 MiB aligned: skips low memory", 0,
		  { .size = 0x1000, .align = 0x200000, .max = MAX }, {}, 0,
		  0x200000 },
		{ "top-down, 2 MiB aligned", 0,
		  { .size = 0x1000, .align = 0x200000, .max = MAX, .top_down = true },
		  {}, 0, 0x3fe00000 },
		{ "top-down, 16 MiB aligned, 16 MiB", 0,
		  { .size = 0x1000000, .align = 0x1000000, .max = MAX,
		    .top_down = true }, {}, 0, 0x3e000000 },
		{ "align 1 takes an unaligned range start", 1,
		  { .size = 0x10, .align = 1, .max = MAX }, {}, 0, 0x1003 },
		{ "min is honoured (bottom-up)", 0,
		  { .size = 0x1000, .align = 0x1000, .min = 0x1234567, .max = MAX },
		  {}, 0, 0x1235000 },
		{ "min exactly at an aligned address", 0,
		  { .size = 0x1000, .align = 0x1000, .min = 0x1000000, .max = MAX },
		  {}, 0, 0x1000000 },
		{ "max is honoured (top-down)", 0,
		  { .size = 0x1000, .align = 0x1000, .max = 0x7fffffff - 1,
		    .top_down = true }, {}, 0, 0x3ffdf000 },
		{ "max inside RAM (top-down)", 0,
		  { .size = 0x1000, .align = 0x1000, .max = 0x12345678,
		    .top_down = true }, {}, 0, 0x12344000 },
		{ "max is inclusive: the last byte may be max", 0,
		  { .size = 0x1000, .align = 0x1000, .max = 0x1fff,
		    .top_down = true }, {}, 0, 0x1000 },
		{ "max one byte short: no room", 0,
		  { .size = 0x1000, .align = 0x1000, .max = 0x1ffe,
		    .top_down = true }, {}, -ENOSPC, 0 },
		{ "a window of exactly the size", 0,
		  { .size = 0x1000, .align = 0x1000, .min = 0x3ffdf000,
		    .max = 0x3ffdffff }, {}, 0, 0x3ffdf000 },
		{ "a window of exactly a whole range", 0,
		  { .size = 0x3fee0000, .align = 0x100000, .min = 0,
		    .max = MAX }, {}, 0, 0x100000 },
		{ "larger than any one range, smaller than the sum", 0,
		  { .size = 0x3fee0001, .align = 1, .max = MAX }, {}, -ENOSPC, 0 },
		{ "a window that holds no RAM", 0,
		  { .size = 0x1000, .align = 0x1000, .min = 0x40000000,
		    .max = 0xffffffff }, {}, -ENOSPC, 0 },
		{ "size 0", 0, { .size = 0, .align = 0x1000, .max = MAX }, {},
		  -EINVAL, 0 },
		{ "align 0", 0, { .size = 0x1000, .align = 0, .max = MAX }, {},
		  -EINVAL, 0 },
		{ "align not a power of two", 0,
		  { .size = 0x1000, .align = 0x3000, .max = MAX }, {}, -EINVAL, 0 },
		{ "max below min", 0,
		  { .size = 0x1000, .align = 0x1000, .min = 0x2000, .max = 0x1fff },
		  {}, -EINVAL, 0 },
		/* map 2: RAM 0-16 MiB with reserved 4-5 MiB and 15.5-17 MiB */
		{ "bottom-up steps over reserved memory inside RAM", 2,
		  { .size = 0x200000, .align = 0x1000, .min = 0x300000,
		    .max = MAX }, {}, 0, 0x500000 },
		{ "top-down steps under reserved memory inside RAM", 2,
		  { .size = 0x200000, .align = 0x1000, .max = 0x5fffff,
		    .top_down = true }, {}, 0, 0x200000 },
		{ "top-down: reserved memory overlapping the end of RAM", 2,
		  { .size = 0x1000, .align = 0x1000, .max = MAX,
		    .top_down = true }, {}, 0, 0xf7f000 },
		{ "bottom-up steps over used segments", 2,
		  { .size = 0x2000, .align = 0x1000, .max = MAX },
		  { { 0x0, 0x2000 }, { 0x3000, 0x1000 } }, 0, 0x4000 },
		{ "a page fits between used segments", 2,
		  { .size = 0x1000, .align = 0x1000, .max = MAX },
		  { { 0x0, 0x2000 }, { 0x3000, 0x1000 } }, 0, 0x2000 },
		{ "top-down steps under a used segment", 2,
		  { .size = 0x1000, .align = 0x1000, .max = 0x3fffff,
		    .top_down = true }, { { 0x3ff000, 0x1000 } }, 0, 0x3fe000 },
		{ "used segments fill RAM: no room", 2,
		  { .size = 0x1000, .align = 0x1000, .max = MAX },
		  { { 0x0, 0x400000 }, { 0x500000, 0xa80000 } }, -ENOSPC, 0 },
		/* map 3: the top of the 64-bit space */
		{ "top-down at the top of the 64-bit space", 3,
		  { .size = 0x1000, .align = 0x1000, .max = MAX, .top_down = true },
		  {}, 0, 0xfffffffffffff000ULL },
		{ "bottom-up at the top of the 64-bit space", 3,
		  { .size = 0x1000, .align = 0x1000, .min = 0x100000000ULL,
		    .max = MAX }, {}, 0, 0xffffffff00000000ULL },
		{ "an alignment past the top of the space wraps: no room", 3,
		  { .size = 0x1000, .align = 1ULL << 63, .min = 0x100000000ULL,
		    .max = MAX }, {}, -ENOSPC, 0 },
		{ "the whole top range", 3,
		  { .size = 0x100000000ULL, .align = 0x1000, .min = 0x100000000ULL,
		    .max = MAX }, {}, 0, 0xffffffff00000000ULL },
		{ "one byte more than the top range", 3,
		  { .size = 0x100000001ULL, .align = 1, .min = 0x100000000ULL,
		    .max = MAX }, {}, -ENOSPC, 0 },
		{ "a used segment ending at 2^64 - 1", 3,
		  { .size = 0x1000, .align = 0x1000, .min = 0x100000000ULL,
		    .max = MAX, .top_down = true },
		  { { 0xfffffffffffff000ULL, 0x1000 } }, 0,
		  0xffffffffffffe000ULL },
		/* map 4: all of the address space is RAM */
		{ "bottom-up past a segment whose end rounds up past 2^64", 4,
		  { .size = 0x1000, .align = 0x1000, .max = MAX },
		  { { 0x0, 0xfffffffffffff800ULL } }, -ENOSPC, 0 },
		{ "... but a half page fits", 4,
		  { .size = 0x800, .align = 0x800, .max = MAX },
		  { { 0x0, 0xfffffffffffff800ULL } }, 0, 0xfffffffffffff800ULL },
		{ "bottom-up past a segment that ends at 2^64 - 1", 4,
		  { .size = 0x1000, .align = 0x1000, .min = 0x1000, .max = MAX },
		  { { 0x1000, 0xfffffffffffff000ULL } }, -ENOSPC, 0 },
		{ "size 2^64 - 1", 4,
		  { .size = MAX, .align = 1, .max = MAX }, {}, 0, 0 },
		{ "size 2^64 - 1, top-down", 4,
		  { .size = MAX, .align = 1, .max = MAX, .top_down = true }, {},
		  0, 1 },
		{ "size 2^64 - 1 does not fit past min 2", 4,
		  { .size = MAX, .align = 1, .min = 2, .max = MAX }, {},
		  -ENOSPC, 0 },
		/* map 5: the 6 GiB map with crashkernel=256M */
		{ "crash: bottom-up inside the crash kernel region only", 5,
		  { .size = 0x1000, .align = 0x1000, .max = MAX, .crash = true },
		  {}, 0, 0xa9000000 },
		{ "crash: top-down inside the crash kernel region only", 5,
		  { .size = 0x1000, .align = 0x1000, .max = MAX, .crash = true,
		    .top_down = true }, {}, 0, 0xb8fff000 },
		{ "crash: larger than the region", 5,
		  { .size = 0x10001000, .align = 0x1000, .max = MAX,
		    .crash = true }, {}, -ENOSPC, 0 },
		{ "crash: the region's used, RAM is not for crash", 5,
		  { .size = 0x1000, .align = 0x1000, .max = MAX, .crash = true },
		  { { 0xa9000000, 0x10000000 } }, -ENOSPC, 0 },
		{ "crash: the window is honoured", 5,
		  { .size = 0x1000, .align = 0x1000, .min = 0xb0000001,
		    .max = MAX, .crash = true }, {}, 0, 0xb0001000 },
		{ "normal: top-down uses the top of RAM, above 4 GiB", 5,
		  { .size = 0x1000, .align = 0x1000, .max = MAX,
		    .top_down = true }, {}, 0, 0x1bffff000ULL },
		{ "normal: below 4 GiB", 5,
		  { .size = 0x1000, .align = 0x1000, .max = 0xffffffff,
		    .top_down = true }, {}, 0, 0xbffdf000 },
		{ "crash: no crash region in the map", 0,
		  { .size = 0x1000, .align = 0x1000, .max = MAX, .crash = true },
		  {}, -ENOSPC, 0 },
	};
	struct kx_memmap *maps[] = {
		qemu_1g(),
		MAP({ 0x1003, 0x1fff, RAM }),
		MAP({ 0x0, 0xffffff, RAM }, { 0x400000, 0x4fffff, RES },
		    { 0xf80000, 0x10fffff, RES }),
		MAP({ 0x0, 0xfff, RES }, { 0x1000, 0x9ffff, RAM },
		    { 0xffffffff00000000ULL, MAX, RAM }),
		MAP({ 0, MAX, RAM }),
		MAP({ 0x0, 0x9fbff, RAM }, { 0x9fc00, 0x9ffff, RES },
		    { 0xf0000, 0xfffff, RES }, { 0x100000, 0xbffdffff, RAM },
		    { 0xa9000000, 0xb8ffffff, CRASH }, { 0xbffe0000, 0xbfffffff, RES },
		    { 0xfffc0000, 0xffffffff, RES },
		    { 0x100000000ULL, 0x1bfffffffULL, RAM }),
	};

	for (size_t i = 0; i < KX_ARRAY_SIZE(cases); i++) {
		struct kx_segment used[3] = { 0 };
		size_t nused = 0;
		uint64_t addr = 0xdead;
		int rc;

		for (; nused < 3 && cases[i].used[nused].memsz; nused++) {
			used[nused].mem = cases[i].used[nused].mem;
			used[nused].memsz = cases[i].used[nused].memsz;
		}
		rc = kx_memmap_find_hole(maps[cases[i].map], &cases[i].req, used,
					 nused, &addr);
		is_int(rc, cases[i].rc, "%s: returns %d", cases[i].what,
		       cases[i].rc);
		if (!cases[i].rc)
			is_u64(addr, cases[i].addr, "%s: address", cases[i].what);
		else
			is_u64(addr, 0xdead, "%s: address untouched",
			       cases[i].what);
	}
	for (size_t i = 0; i < KX_ARRAY_SIZE(maps); i++)
		kx_memmap_free(maps[i]);
}

/* ---- the property test ------------------------------------------------ */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static uint64_t rnd_below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

struct world {
	struct kx_memmap *map;
	struct kx_segment *used;
	size_t nused, cap;
};

static bool span_overlap(uint64_t s1, uint64_t e1, uint64_t s2, uint64_t e2)
{
	return s1 <= e2 && s2 <= e1;
}

/* [c, c + size - 1] is a valid answer for @req inside range @r. */
static bool feasible(const struct world *w, const struct kx_placed *req,
		     const struct kx_mem_range *r, uint64_t c)
{
	uint64_t lo = r->start > req->min ? r->start : req->min;
	uint64_t hi = r->end < req->max ? r->end : req->max;
	uint64_t e = c + (req->size - 1);

	if (c < lo || c > hi || hi - c < req->size - 1 || c % req->align)
		return false;
	for (size_t i = 0; i < w->nused; i++)
		if (span_overlap(c, e, w->used[i].mem,
				 w->used[i].mem + w->used[i].memsz - 1))
			return false;
	for (size_t i = 0; i < kx_memmap_count(w->map); i++) {
		const struct kx_mem_range *b = kx_memmap_range(w->map, i);

		if (b->type != RAM && b->type != CRASH &&
		    span_overlap(c, e, b->start, b->end))
			return false;
	}
	return true;
}

/* Every end of a blocker, for the oracle's candidates. */
static size_t blocker_edges(const struct world *w, uint64_t *starts,
			    uint64_t *ends)
{
	size_t n = 0;

	for (size_t i = 0; i < w->nused; i++) {
		starts[n] = w->used[i].mem;
		ends[n++] = w->used[i].mem + w->used[i].memsz - 1;
	}
	for (size_t i = 0; i < kx_memmap_count(w->map); i++) {
		const struct kx_mem_range *b = kx_memmap_range(w->map, i);

		if (b->type != RAM && b->type != CRASH) {
			starts[n] = b->start;
			ends[n++] = b->end;
		}
	}
	return n;
}

/*
 * The answer by brute force. The lowest fit in a range is either the
 * aligned start of the window or the aligned address just past some
 * blocker (else one alignment step lower would fit too); the highest is
 * the aligned last fit of the window or the aligned fit just under some
 * blocker. Try them all.
 */
static int oracle(const struct world *w, const struct kx_placed *req,
		  uint64_t *addr)
{
	size_t nb = w->nused + kx_memmap_count(w->map);
	uint64_t *bs = malloc((nb + 1) * sizeof(*bs));
	uint64_t *be = malloc((nb + 1) * sizeof(*be));
	enum kx_mem_type want = req->crash ? CRASH : RAM;
	bool found = false;
	uint64_t best = 0;

	nb = blocker_edges(w, bs, be);
	for (size_t i = 0; i < kx_memmap_count(w->map); i++) {
		const struct kx_mem_range *r = kx_memmap_range(w->map, i);
		uint64_t lo = r->start > req->min ? r->start : req->min;
		uint64_t hi = r->end < req->max ? r->end : req->max;

		if (r->type != want || hi < lo || hi - lo < req->size - 1)
			continue;
		for (size_t k = 0; k <= nb; k++) {
			uint64_t c;

			if (!req->top_down) {
				uint64_t from = k == nb ? lo : be[k] + 1;

				if (k < nb && be[k] == MAX)
					continue;
				c = kx_align_up(from, req->align);
				if (c < from)
					continue;
			} else {
				uint64_t to = k == nb ? hi : bs[k] - 1;

				if (k < nb && bs[k] == 0)
					continue;
				if (to < req->size - 1)
					continue;
				c = kx_align_down(to - (req->size - 1), req->align);
			}
			if (!feasible(w, req, r, c))
				continue;
			if (!found || (req->top_down ? c > best : c < best))
				best = c;
			found = true;
		}
	}
	free(bs);
	free(be);
	if (!found)
		return -ENOSPC;
	*addr = best;
	return 0;
}

/* A map of a few RAM ranges at odd boundaries, reserved ranges that
 * overlap some of them, a crash region, and sometimes a range at the very
 * top of the address space. About 48 MiB of RAM in all. */
static struct kx_memmap *random_map(void)
{
	struct kx_memmap *map;
	uint64_t at = rnd_below(0x100000);
	unsigned nram = 2 + (unsigned)rnd_below(7);

	kx_memmap_new(&map);
	for (unsigned i = 0; i < nram; i++) {
		uint64_t size = 0x1000 + rnd_below(0x1000000);

		kx_memmap_add(map, at, at + size - 1, RAM);
		if (rnd_below(3) == 0) {
			uint64_t s = at + rnd_below(size);

			kx_memmap_add(map, s, s + rnd_below(0x200000), RES);
		}
		if (i == 1 && size > 0x400000) {
			uint64_t s = kx_align_up(at + rnd_below(size / 2), 0x1000);

			kx_memmap_add(map, s, s + 0x1fffff, CRASH);
		}
		at += size + rnd_below(0x40000000);
		if (rnd_below(4) == 0)
			kx_memmap_add(map, at - 0x800, at + 0x7ff, RES);
	}
	if (rnd_below(2))
		kx_memmap_add(map, MAX - rnd_below(0x800000) - 0xfff, MAX, RAM);
	return map;
}

static bool has_crash(const struct kx_memmap *map)
{
	for (size_t i = 0; i < kx_memmap_count(map); i++)
		if (kx_memmap_range(map, i)->type == CRASH)
			return true;
	return false;
}

static struct kx_placed random_req(const struct world *w)
{
	struct kx_placed req = { 0 };

	/* as kx_image_place asks: page multiples, at least page aligned */
	req.size = (1 + rnd_below(rnd_below(4) ? 64 : 1024)) * KX_PAGE_SIZE;
	req.align = KX_PAGE_SIZE << rnd_below(11);
	req.top_down = rnd_below(2);
	req.crash = has_crash(w->map) && rnd_below(4) == 0;
	req.max = MAX;
	switch (rnd_below(4)) {
	case 0:
		req.min = rnd_below(0x80000000);
		break;
	case 1:
		req.max = rnd_below(0x100000000ULL);
		break;
	case 2:
		req.min = rnd_below(0x80000000);
		req.max = req.min + rnd_below(0x80000000);
		break;
	}
	return req;
}

/* What every answer must be, whatever the oracle says; NULL if it is. */
static const char *invalid_answer(const struct world *w,
				  const struct kx_placed *req, uint64_t a)
{
	enum kx_mem_type want = req->crash ? CRASH : RAM;
	uint64_t e = a + (req->size - 1);
	bool inside = false;

	if (e < a)
		return "wraps past 2^64";
	if (a % req->align)
		return "not aligned";
	if (a < req->min || e > req->max)
		return "outside the window";
	for (size_t i = 0; i < kx_memmap_count(w->map); i++) {
		const struct kx_mem_range *r = kx_memmap_range(w->map, i);

		if (r->type == want && r->start <= a && e <= r->end)
			inside = true;
		if (r->type != RAM && r->type != CRASH &&
		    span_overlap(a, e, r->start, r->end))
			return "overlaps memory that is not RAM";
	}
	if (!inside)
		return req->crash ? "not inside the crash region" :
				    "not inside one RAM range";
	for (size_t i = 0; i < w->nused; i++)
		if (span_overlap(a, e, w->used[i].mem,
				 w->used[i].mem + w->used[i].memsz - 1))
			return "overlaps an earlier placement";
	return NULL;
}

static void use(struct world *w, uint64_t a, uint64_t size)
{
	if (w->nused == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 64;
		w->used = realloc(w->used, w->cap * sizeof(*w->used));
		if (!w->used)
			abort();
	}
	w->used[w->nused++] = (struct kx_segment){ .mem = a, .memsz = size };
}

struct tally {
	unsigned placed, nospc, wrong, invalid;
};

/* One request: the finder's answer against the oracle's and the rules. */
static int one(struct world *w, const struct kx_placed *req,
	       struct tally *t, uint64_t seed)
{
	uint64_t a = 0, oa = 0;
	int rc = kx_memmap_find_hole(w->map, req, w->used, w->nused, &a);
	int orc = oracle(w, req, &oa);
	const char *why;

	if (rc != orc || (!rc && a != oa)) {
		if (!t->wrong++)
			diag("seed 0x%" PRIx64 ": size 0x%" PRIx64 " align 0x%" PRIx64
			     " window 0x%" PRIx64 "-0x%" PRIx64 " %s%s: got %d "
			     "0x%" PRIx64 ", oracle %d 0x%" PRIx64, seed,
			     req->size, req->align, req->min, req->max,
			     req->top_down ? "top-down" : "bottom-up",
			     req->crash ? " crash" : "", rc, a, orc, oa);
	}
	if (rc) {
		t->nospc += rc == -ENOSPC;
		return rc;
	}
	why = invalid_answer(w, req, a);
	if (why && !t->invalid++)
		diag("seed 0x%" PRIx64 ": 0x%" PRIx64 " %s", seed, a, why);
	use(w, a, req->size);
	t->placed++;
	return 0;
}

static void test_random(void)
{
	struct tally t = { 0 };
	unsigned maps = 0, full = 0;

	for (uint64_t seed = 1; seed <= 60; seed++) {
		struct world w = { 0 };

		rng_state = 0x9e3779b97f4a7c15ULL * seed;
		w.map = random_map();
		/* random requests, many of them refused by their window */
		for (int i = 0; i < 150; i++) {
			struct kx_placed req = random_req(&w);

			one(&w, &req, &t, seed);
		}
		/* then fill what is left, largest first, to -ENOSPC */
		for (uint64_t pages = 1024; pages; pages /= 2) {
			struct kx_placed req = { .size = pages * KX_PAGE_SIZE,
						 .align = KX_PAGE_SIZE,
						 .max = MAX,
						 .top_down = pages % 2 };

			while (!one(&w, &req, &t, seed))
				;
		}
		{
			struct kx_placed last = { .size = KX_PAGE_SIZE,
						  .align = KX_PAGE_SIZE,
						  .max = MAX };
			uint64_t a;

			full += kx_memmap_find_hole(w.map, &last, w.used,
						    w.nused, &a) == -ENOSPC &&
				oracle(&w, &last, &a) == -ENOSPC;
		}
		maps++;
		free(w.used);
		kx_memmap_free(w.map);
	}
	note("%u maps, %u placements, %u refused", maps, t.placed, t.nospc);
	ok(t.placed > 1000, "random: many placements (%u)", t.placed);
	is_u64(t.wrong, 0, "random: every answer equals the oracle's");
	is_u64(t.invalid, 0,
	       "random: every placement aligned, inside one RAM range and its "
	       "window, clear of reserved memory and of every earlier one");
	is_u64(full, maps, "random: every map is filled until -ENOSPC");
}

int main(void)
{
	alarm(120);   /* a finder that loops forever fails, not hangs */
	test_table();
	test_random();
	return done_testing();
}
