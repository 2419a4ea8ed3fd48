/* SPDX-License-Identifier: MIT */
/*
 * kx_cmdline_build: --reuse-cmdline's words without BOOT_IMAGE= (and
 * crashkernel= for a crash kernel), a quoted value kept whole, then
 * --command-line and --append as they are given.
 */
#include <stdlib.h>

#include "tap.h"
#include "kexload.h"

int main(void)
{
	static const struct {
		const char *what, *reused, *line, *append;
		enum kx_image_type type;
		const char *want;
	} cases[] = {
		{ "nothing", NULL, NULL, NULL, KX_IMAGE_NORMAL, "" },
		{ "empty parts", "", "", "", KX_IMAGE_NORMAL, "" },
		{ "reuse drops BOOT_IMAGE=",
		  "BOOT_IMAGE=/vmlinuz-6.1 root=/dev/vda ro quiet\n", NULL, NULL,
		  KX_IMAGE_NORMAL, "root=/dev/vda ro quiet" },
		{ "BOOT_IMAGE= anywhere, twice", "a BOOT_IMAGE=x b BOOT_IMAGE=y",
		  NULL, NULL, KX_IMAGE_NORMAL, "a b" },
		{ "only a word that starts with it", "XBOOT_IMAGE=1 BOOT_IMAGEX=2",
		  NULL, NULL, KX_IMAGE_NORMAL, "XBOOT_IMAGE=1 BOOT_IMAGEX=2" },
		{ "crashkernel= kept for a normal load", "crashkernel=256M quiet",
		  NULL, NULL, KX_IMAGE_NORMAL, "crashkernel=256M quiet" },
		{ "crashkernel= dropped for a crash load",
		  "BOOT_IMAGE=/k crashkernel=256M,high crashkernel=64M,low quiet",
		  NULL, "irqpoll maxcpus=1", KX_IMAGE_CRASH,
		  "quiet irqpoll maxcpus=1" },
		{ "crashkernel= given on purpose stays", NULL,
		  "crashkernel=1M", NULL, KX_IMAGE_CRASH, "crashkernel=1M" },
		{ "a quoted value is one word",
		  "dyndbg=\"file x  +p\" BOOT_IMAGE=\"a b\" z", NULL, NULL,
		  KX_IMAGE_NORMAL, "dyndbg=\"file x  +p\" z" },
		{ "spaces between old words collapse", "  a   b  ", NULL, NULL,
		  KX_IMAGE_NORMAL, "a b" },
		{ "--command-line and --append as given", "old",
		  "x  y", " z", KX_IMAGE_NORMAL, "old x  y  z" },
		{ "--append alone", NULL, NULL, "console=ttyS0",
		  KX_IMAGE_NORMAL, "console=ttyS0" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *out = NULL;

		if (is_int(kx_cmdline_build(cases[i].reused, cases[i].line,
					    cases[i].append, cases[i].type, &out),
			   0, "%s: builds", cases[i].what))
			is_str(out, cases[i].want, "%s", cases[i].what);
		free(out);
	}
	return done_testing();
}
