/* SPDX-License-Identifier: MIT */
/* What the fuzz targets share: a random source that makes runs repeatable. */
#ifndef KX_FUZZ_COMMON_H
#define KX_FUZZ_COMMON_H

#include <string.h>

static int fixed_random(void *arg, void *buf, size_t len)
{
	(void)arg;
	memset(buf, 0x5a, len);
	return 0;
}

#endif
