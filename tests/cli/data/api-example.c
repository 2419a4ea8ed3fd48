/* A program on libkexload's public API alone, as a user would write it:
 * plan a load and print each segment. Built by tests/cli/library.t against
 * the shared library and kexload.h. */
#include <inttypes.h>
#include <stdio.h>

#include <kexload.h>

int main(int argc, char **argv)
{
	struct kx_load_opts o = { .arch = KX_ARCH_X86_64 };
	struct kx_memmap *map;
	struct kx_image *img;

	if (argc != 3)
		return 2;
	o.kernel = argv[1];
	o.cmdline = "console=ttyS0";
	if (kx_memmap_new(&map) || kx_memmap_parse_ram(map, argv[2]) ||
	    kx_image_new(&img) || kx_image_set_memmap(img, map))
		return 1;
	if (kx_image_load(img, &o)) {
		fprintf(stderr, "%s\n", kx_image_error(img));
		return 1;
	}
	printf("%s %zu\n", kx_image_format(img), kx_image_segment_count(img));
	for (size_t i = 0; i < kx_image_segment_count(img); i++) {
		const struct kx_segment *s = kx_image_segment(img, i);

		printf("%s 0x%" PRIx64 "\n", kx_segment_kind_name(s->kind), s->mem);
	}
	kx_image_free(img);
	kx_memmap_free(map);
	return 0;
}
