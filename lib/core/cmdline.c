/* SPDX-License-Identifier: MIT */
/*
 * The new kernel's command line, put together the way kexec-tools users
 * expect: the running kernel's (--reuse-cmdline) without the words that
 * only meant something to the old boot (the boot loader's BOOT_IMAGE=,
 * and for a crash kernel crashkernel=, which would reserve memory again
 * inside the crash region), then --command-line, then --append, as they
 * are given.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Whether the word at @w (ending at a space or the end) is @key=... */
static bool word_is(const char *w, const char *key)
{
	size_t n = strlen(key);

	return !strncmp(w, key, n) && w[n] == '=';
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The length of the word at @s: up to a blank outside double quotes, as
 * the kernel's own parser reads parameters (foo="a b" is one word). */
static size_t word_len(const char *s)
{
	bool quoted = false;
	size_t n = 0;

	for (; s[n] && (quoted || !blank(s[n])); n++)
		if (s[n] == '"')
			quoted = !quoted;
	return n;
}

/* Appends the words of the old command line @s to @out (at @len), one
 * space apart, leaving out BOOT_IMAGE= and, if @crash, crashkernel=. */
static size_t add_reused(char *out, size_t len, const char *s, bool crash)
{
	while (s && *s) {
		size_t n;

		while (blank(*s))
			s++;
		n = word_len(s);
		if (n && !word_is(s, "BOOT_IMAGE") &&
		    !(crash && word_is(s, "crashkernel"))) {
			if (len)
				out[len++] = ' ';
			memcpy(out + len, s, n);
			len += n;
		}
		s += n;
	}
	out[len] = '\0';
	return len;
}

/* Appends @s as it is, after a space. */
static size_t add_verbatim(char *out, size_t len, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (!n)
		return len;
	if (len)
		out[len++] = ' ';
	memcpy(out + len, s, n + 1);
	return len + n;
}

int kx_cmdline_build(const char *reused, const char *command_line,
		     const char *append, enum kx_image_type type, char **out)
{
	size_t cap = 1, len = 0;
	bool crash = type == KX_IMAGE_CRASH;
	char *s;

	cap += reused ? strlen(reused) + 1 : 0;
	cap += command_line ? strlen(command_line) + 1 : 0;
	cap += append ? strlen(append) + 1 : 0;
	s = malloc(cap);
	if (!s)
		return -ENOMEM;
	s[0] = '\0';
	len = add_reused(s, len, reused, crash);
	len = add_verbatim(s, len, command_line);
	add_verbatim(s, len, append);
	*out = s;
	return 0;
}
