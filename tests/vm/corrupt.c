/* SPDX-License-Identifier: MIT */
/*
 * kx-corrupt: a test tool for the QEMU guests only. It loads a kernel the
 * way "kexload load" does, then flips one byte of the initrd segment after
 * the digests were taken and hands the segments to kexec_load(2) itself.
 * The purgatory must then refuse to enter the new kernel. Never run it on a
 * development or CI machine: it calls kexec_load.
 *
 * Usage: kx-corrupt KERNEL INITRD CMDLINE
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kexload.h"

struct kseg {
	const void *buf;
	size_t bufsz;
	const void *mem;
	size_t memsz;
};

int main(int argc, char **argv)
{
	struct kx_load_opts o = { 0 };
	struct kx_memmap *map;
	struct kx_image *img;
	struct kseg segs[16];
	size_t n;

	if (argc != 4) {
		fprintf(stderr, "usage: kx-corrupt KERNEL INITRD CMDLINE\n");
		return 2;
	}
	o.kernel = argv[1];
	o.initrd = argv[2];
	o.cmdline = argv[3];
	if (!access("/sys/firmware/fdt", R_OK))
		o.dtb = "/sys/firmware/fdt";
	if (kx_memmap_new(&map) || kx_memmap_read_system(map) ||
	    kx_image_new(&img) || kx_image_set_memmap(img, map) ||
	    kx_image_load(img, &o)) {
		fprintf(stderr, "kx-corrupt: load failed\n");
		return 1;
	}
	n = kx_image_segment_count(img);
	for (size_t i = 0; i < n; i++) {
		const struct kx_segment *s = kx_image_segment(img, i);
		unsigned char *copy = malloc(s->bufsz);

		if (!copy)
			return 1;
		memcpy(copy, s->buf, s->bufsz);
		if (s->kind == KX_SEG_INITRD) {
			copy[s->bufsz / 2] ^= 0x01;
			printf("kx-corrupt: flipped a bit of the initrd at 0x%llx\n",
			       (unsigned long long)(s->mem + s->bufsz / 2));
		}
		segs[i] = (struct kseg){ copy, s->bufsz,
					 (const void *)(uintptr_t)s->mem,
					 (size_t)s->memsz };
	}
	if (syscall(SYS_kexec_load, (unsigned long)kx_image_entry(img),
		    (unsigned long)n, segs, kx_image_kexec_flags(img))) {
		perror("kx-corrupt: kexec_load");
		return 1;
	}
	return 0;
}
