/* SPDX-License-Identifier: MIT */
/*
 * What the kernel-image fuzz targets share (their image comes from
 * tests/unit/load_helpers.h's new_image): a load that must fail cleanly
 * or succeed, and the promises every successful load keeps (segments page
 * aligned, inside RAM, not overlapping, hashed right, an entry point); a
 * target adds its format's own. A broken promise aborts, which libFuzzer
 * reports as a crash.
 */
#ifndef KX_FUZZ_PLAN_H
#define KX_FUZZ_PLAN_H

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "load_helpers.h"

/* Inspects, then loads @data with @o: true if it loaded; a failure must
 * have a message and leave nothing loaded. */
static inline bool fuzz_load(struct kx_image *img,
			     const struct kx_load_opts *o, const uint8_t *data,
			     size_t size)
{
	struct kx_info info;

	if (kx_image_inspect_buffer(img, "fuzz", data, size, &info) &&
	    !kx_image_error(img)[0])
		abort();
	if (kx_image_load_buffer(img, o, data, size)) {
		if (!kx_image_error(img)[0] || kx_image_segment_count(img))
			abort();
		return false;
	}
	return true;
}

/* Every segment inside [ram_lo, ram_hi] (inclusive), and sane. */
static inline void fuzz_check_plan(const struct kx_image *img,
				   uint64_t ram_lo, uint64_t ram_hi)
{
	size_t n = kx_image_segment_count(img);

	if (!n || !kx_image_entry(img))
		abort();
	for (size_t i = 0; i < n; i++) {
		const struct kx_segment *s = kx_image_segment(img, i);
		uint8_t md[KX_SHA256_LEN];

		if (s->mem % 4096 || s->memsz % 4096 || s->memsz < s->bufsz ||
		    s->mem < ram_lo || s->mem + s->memsz - 1 > ram_hi)
			abort();
		for (size_t k = 0; k < i; k++) {
			const struct kx_segment *o = kx_image_segment(img, k);

			if (s->mem < o->mem + o->memsz && o->mem < s->mem + s->memsz)
				abort();
		}
		kx_sha256(s->buf, s->bufsz, md);
		if (memcmp(md, s->sha256, sizeof(md)))
			abort();
	}
}

#endif
