/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the command-line builder (kx_cmdline_build) on three
 * arbitrary strings (the old command line, --command-line, --append, cut
 * from the input at NUL bytes), for a normal and a crash load. The result
 * must fit the inputs, hold --command-line and --append as they were
 * given, and hold no BOOT_IMAGE= (nor, for a crash load, crashkernel=)
 * word taken from the old command line.
 */
#include <stdlib.h>
#include <string.h>

#include "kexload.h"

/* The words of @s (a quoted value is one), each checked against @key. */
static int has_word(const char *s, const char *key)
{
	size_t k = strlen(key);

	while (*s) {
		int quoted = 0;
		const char *w;

		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			s++;
		w = s;
		for (; *s && (quoted || (*s != ' ' && *s != '\t' &&
					 *s != '\n' && *s != '\r')); s++)
			if (*s == '"')
				quoted = !quoted;
		if (s > w && !strncmp(w, key, k))
			return 1;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 3), *part[3], *out;
	size_t off = 0;

	if (!buf)
		abort();
	memcpy(buf, data, size);
	buf[size] = buf[size + 1] = buf[size + 2] = '\0';
	for (int i = 0; i < 3; i++) {
		part[i] = buf + off;
		off += strlen(buf + off) + 1;
		if (off > size + 2)
			off = size + 2;
	}
	for (int type = 0; type < 2; type++) {
		if (kx_cmdline_build(part[0], part[1], part[2], type, &out))
			abort();
		if (strlen(out) > strlen(part[0]) + strlen(part[1]) +
					  strlen(part[2]) + 2)
			abort();
		if (part[1][0] && !strstr(out, part[1]))
			abort();
		if (part[2][0] && !strstr(out, part[2]))
			abort();
		free(out);
		/* From the old command line alone, the dropped words. */
		if (kx_cmdline_build(part[0], NULL, NULL, type, &out))
			abort();
		if (has_word(out, "BOOT_IMAGE=") ||
		    (type == KX_IMAGE_CRASH && has_word(out, "crashkernel=")))
			abort();
		free(out);
	}
	free(buf);
	return 0;
}
