/* SPDX-License-Identifier: MIT */
/*
 * The wrapper formats (lib/formats/gzip.c, lib/formats/zboot.c) on inputs
 * built here around a synthetic arm64 Image (tests/fixtures/arm64.c):
 * Image.gz, and EFI zboot with each compression the kernel's build uses
 * and each name it writes; what a load of each holds (the kernel segment
 * is the Image byte for byte); and hostile headers and streams, each
 * refused with its exact message and nothing loaded.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "tap.h"
#include "../fixtures/arm64.h"

#define IMG_LEN 0x30000
#define IMG_SIZE 0x40000

static int fixed_random(void *arg, void *buf, size_t len)
{
	(void)arg;
	memset(buf, 0x3c, len);
	return 0;
}

static struct kx_image *new_image(void)
{
	struct kx_memmap *map;
	struct kx_image *img;

	if (kx_memmap_new(&map) || kx_memmap_parse_ram(map, "1G@0x40000000") ||
	    kx_image_new(&img) || kx_image_set_memmap(img, map))
		abort();
	kx_memmap_free(map);
	kx_image_set_random(img, fixed_random, NULL);
	return img;
}

static const char *field(const struct kx_info *info, const char *key)
{
	for (size_t i = 0; i < info->nfields; i++)
		if (!strcmp(info->fields[i].key, key))
			return info->fields[i].value;
	return "";
}

/* Loads @buf as @name and checks the kernel segment is @image. */
static void check_loads(const char *name, const uint8_t *buf, size_t len,
			const uint8_t *image, size_t image_len,
			const char *wrapper)
{
	struct kx_image *img = new_image();
	struct kx_load_opts o = { .arch = KX_ARCH_ARM64, .kernel = name };
	const struct kx_segment *k;
	uint8_t md[KX_SHA256_LEN];

	if (!is_int(kx_image_load_buffer(img, &o, buf, len), 0, "%s: loads: %s",
		    name, kx_image_error(img))) {
		kx_image_free(img);
		return;
	}
	is_str(kx_image_format(img), "arm64 Image", "%s: an arm64 Image inside", name);
	is_u64(kx_image_wrapper_count(img), 1, "%s: one wrapper", name);
	is_str(kx_image_wrapper(img, 0), wrapper, "%s: the wrapper is %s", name,
	       wrapper);
	k = kx_image_segment(img, 0);
	kx_sha256(image, image_len, md);
	ok(k && k->kind == KX_SEG_KERNEL && k->bufsz == image_len,
	   "%s: the kernel segment holds the %zu unwrapped bytes", name, image_len);
	is_mem(k ? k->sha256 : md, md, sizeof(md), "%s: its digest is the Image's",
	       name);
	is_u64(k ? k->memsz : 0, IMG_SIZE, "%s: with image_size bytes of room", name);
	kx_image_free(img);
}

static void test_gzip(const uint8_t *image)
{
	struct kx_image *img = new_image();
	struct kx_info info;
	uint8_t *gz;
	size_t len;

	if (kx_fix_compress("gzip", 9, image, IMG_LEN, &gz, &len))
		abort();
	check_loads("Image.gz", gz, len, image, IMG_LEN, "gzip");
	is_int(kx_image_inspect_buffer(img, "Image.gz", gz, len, &info), 0,
	       "Image.gz: inspect");
	is_str(info.format, "arm64 Image", "Image.gz: inspect says arm64 Image");
	is_str(info.compression, "gzip", "Image.gz: compression gzip");
	is_u64(info.file_size, len, "Image.gz: the size is the file's");
	is_str(info.version, "6.1.0-test (kx@host) #1 SMP",
	       "Image.gz: the version banner of the Image inside");
	kx_image_free(img);
	free(gz);
}

static void test_zboot(const uint8_t *image)
{
	static const struct {
		const char *comp_name, *method, *compression;
	} cases[] = {
		{ "gzip", "gzip", "gzip" },   { "lzma", "lzma", "lzma" },
		{ "xzkern", "xz", "xz" },     { "zstd22", "zstd", "zstd" },
		{ "zstd", "zstd", "zstd" },
	};

	for (size_t i = 0; i < KX_ARRAY_SIZE(cases); i++) {
		struct kx_fix_zboot z = { .comp_name = cases[i].comp_name,
					  .method = cases[i].method, .level = 6,
					  .pe_machine = 0xaa64 };
		struct kx_image *img = new_image();
		struct kx_info info;
		char name[48];
		uint8_t *zb;
		size_t len;

		if (kx_fix_zboot(&z, image, IMG_LEN, &zb, &len))
			abort();
		snprintf(name, sizeof(name), "vmlinuz.%s", cases[i].comp_name);
		check_loads(name, zb, len, image, IMG_LEN, "ZBOOT");
		is_int(kx_image_inspect_buffer(img, name, zb, len, &info), 0,
		       "%s: inspect", name);
		is_str(info.compression, cases[i].compression, "%s: compression %s",
		       name, cases[i].compression);
		is_str(field(&info, "zboot_compression"), cases[i].comp_name,
		       "%s: the header's compression name", name);
		is_str(field(&info, "pe_machine"), "0xaa64 (arm64)",
		       "%s: the PE machine", name);
		is_str(field(&info, "image_size"), "0x40000",
		       "%s: the Image's own fields follow", name);
		kx_image_free(img);
		free(zb);
	}
}

/* A hostile or broken wrapper: refused with @msg, nothing loaded. */
static void check_refused(const char *name, const uint8_t *buf, size_t len,
			  int rc, const char *msg)
{
	struct kx_image *img = new_image();
	struct kx_load_opts o = { .arch = KX_ARCH_ARM64, .kernel = name };

	is_int(kx_image_load_buffer(img, &o, buf, len), rc, "%s: refused", name);
	like(kx_image_error(img), msg, "%s: message", name);
	ok(!strchr(kx_image_error(img), '\n'), "%s: one line", name);
	is_u64(kx_image_segment_count(img), 0, "%s: nothing loaded", name);
	kx_image_free(img);
}

static void refuse_zboot(const char *name, struct kx_fix_zboot z,
			 const uint8_t *image, size_t len, int rc,
			 const char *msg)
{
	uint8_t *zb;
	size_t zlen;

	if (!z.method)
		z.method = "gzip";
	if (!z.comp_name)
		z.comp_name = z.method;
	if (!z.pe_machine)
		z.pe_machine = 0xaa64;
	z.level = 1;
	if (kx_fix_zboot(&z, image, len, &zb, &zlen))
		abort();
	check_refused(name, zb, zlen, rc, msg);
	free(zb);
}

static void test_bad_zboot(const uint8_t *image)
{
	static uint8_t noise[IMG_LEN];
	uint8_t *zb;
	size_t len;

	refuse_zboot("past-end", (struct kx_fix_zboot){ .payload_size_adjust = 0x10000 },
		     image, IMG_LEN, -EINVAL,
		     "past-end: EFI zboot payload (offset 0x1000, size 0x");
	refuse_zboot("past-end", (struct kx_fix_zboot){ .payload_size_adjust = 0x10000 },
		     image, IMG_LEN, -EINVAL, ") runs past the end of the file");
	refuse_zboot("brotli", (struct kx_fix_zboot){ .comp_name = "brotli" },
		     image, IMG_LEN, -EINVAL,
		     "brotli: EFI zboot: unknown compression \"brotli\"");
	refuse_zboot("lz4", (struct kx_fix_zboot){ .comp_name = "lz4" }, image,
		     IMG_LEN, -ENOTSUP,
		     "lz4: EFI zboot: lz4 compression is not supported "
		     "(kexload unpacks gzip, lzma, xz and zstd)");
	refuse_zboot("long-name", (struct kx_fix_zboot){
		     .comp_name = "gzipgzipgzipgzipgzipgzipgzipgzipgzip" },
		     image, IMG_LEN, -EINVAL,
		     "long-name: EFI zboot compression name is not "
		     "NUL-terminated within 32 bytes");
	refuse_zboot("riscv", (struct kx_fix_zboot){ .pe_machine = 0x5064 },
		     image, IMG_LEN, -ENOEXEC,
		     "riscv: an EFI zboot image for PE machine 0x5064 (riscv64); "
		     "kexload unwraps arm64 ones");
	refuse_zboot("size-off", (struct kx_fix_zboot){ .method = "zstd", .size_adjust = 1 },
		     image, IMG_LEN, -EINVAL,
		     "size-off: EFI zboot payload gives 196608 bytes, but the "
		     "image says 196609");
	refuse_zboot("size-zero", (struct kx_fix_zboot){ .method = "lzma",
		     .size_adjust = -IMG_LEN }, image, IMG_LEN, -EINVAL,
		     "size-zero: EFI zboot: uncompressed size 0 bytes");
	refuse_zboot("size-short", (struct kx_fix_zboot){ .method = "xz",
		     .comp_name = "xzkern", .size_adjust = -0x10000 }, image,
		     IMG_LEN, -EFBIG,
		     "size-short: xz data expands past 131073 bytes");
	refuse_zboot("mislabelled", (struct kx_fix_zboot){ .method = "gzip",
		     .comp_name = "zstd22" }, image, IMG_LEN, -EINVAL,
		     "mislabelled: EFI zboot: no uncompressed size after the");
	refuse_zboot("mislabelled-lzma", (struct kx_fix_zboot){ .method = "zstd",
		     .comp_name = "lzma" }, image, IMG_LEN, -EINVAL,
		     "mislabelled-lzma: lzma data is corrupt (liblzma: ");
	memset(noise, 0x77, sizeof(noise));
	refuse_zboot("not-arm64", (struct kx_fix_zboot){ .method = "zstd" }, noise,
		     sizeof(noise), -EINVAL,
		     "not-arm64: EFI zboot payload is not an arm64 Image (no "
		     "\"ARM\\x64\" magic at 0x38)");

	/* No PE header where the header says. */
	{
		struct kx_fix_zboot z = { .comp_name = "gzip", .method = "gzip",
					  .level = 1, .pe_machine = 0xaa64 };

		if (kx_fix_zboot(&z, image, IMG_LEN, &zb, &len))
			abort();
		memcpy(zb + 0x40, "XX", 2);
		check_refused("no-pe", zb, len, -EINVAL,
			      "no-pe: EFI zboot image without a PE header (no "
			      "\"PE\\0\\0\" at offset 0x40)");
		check_refused("cut-header", zb, 0x30, -EINVAL,
			      "cut-header: truncated: the EFI zboot header needs "
			      "bytes 0x3c-0x3f but the file has only 48 bytes");
		free(zb);
	}
}

static void put_le32(uint8_t *p, uint32_t v)
{
	kx_put_uint(p, 4, v, false);
}

static void test_bad_gzip(const uint8_t *image)
{
	uint8_t *gz;
	size_t len;

	if (kx_fix_compress("gzip", 6, image, IMG_LEN, &gz, &len))
		abort();
	check_refused("cut-gzip", gz, 12, -EINVAL,
		      "cut-gzip: gzip data is truncated (12 bytes; a gzip file "
		      "has at least 18)");
	/* zlib checks ISIZE against the data itself; a size the data does
	 * not reach is found either way. */
	put_le32(gz + len - 4, IMG_LEN + 1);
	check_refused("isize-off", gz, len, -EINVAL,
		      "isize-off: gzip data is corrupt (zlib: incorrect length check)");
	put_le32(gz + len - 4, IMG_LEN - 2);
	check_refused("isize-short", gz, len, -EFBIG,
		      "isize-short: gzip data expands past 196607 bytes");
	put_le32(gz + len - 4, 0x80030000);
	check_refused("isize-huge", gz, len, -EINVAL,
		      "isize-huge: the gzip trailer gives an uncompressed size of "
		      "2147680256 bytes; a kernel is 1 byte to 1024 MiB");
	put_le32(gz + len - 4, IMG_LEN);
	gz[len - 8] ^= 0xff;   /* the CRC32 of the data */
	check_refused("bad-crc", gz, len, -EINVAL,
		      "bad-crc: gzip data is corrupt (zlib: incorrect data check)");
	gz[len - 8] ^= 0xff;
	memset(gz + 10, 0xff, 64);   /* the deflate stream itself */
	check_refused("bad-stream", gz, len, -EINVAL,
		      "bad-stream: gzip data is corrupt (zlib: ");
	free(gz);
	/* Data cut short, with a trailer that claims the full size. */
	if (kx_fix_compress("gzip", 6, image, IMG_LEN, &gz, &len))
		abort();
	memmove(gz + len / 2, gz + len - 8, 8);
	check_refused("cut-stream", gz, len / 2 + 8, -EINVAL,
		      "cut-stream: gzip data is");
	free(gz);
	/* A gzip of something that is no kernel. */
	{
		static const uint8_t text[4096] = "not a kernel";

		if (kx_fix_compress("gzip", 6, text, sizeof(text), &gz, &len))
			abort();
		check_refused("text.gz", gz, len, -ENOEXEC,
			      "text.gz (gzip): not a kernel image kexload knows");
		free(gz);
	}
}

/* Wrappers inside wrappers: the same kind twice is refused, and every
 * layer draws on one budget for the whole load. */
static void test_nested(const uint8_t *image)
{
	struct kx_fix_zboot zg = { "gzip", "gzip", 6, 0xaa64, 0, 0, 0 };
	uint8_t *gz, *gzgz, *zb, *gzb;
	size_t len, len2, zlen, glen;
	struct kx_image *img;
	struct kx_load_opts o = { .arch = KX_ARCH_ARM64, .kernel = "nested" };

	if (kx_fix_compress("gzip", 6, image, IMG_LEN, &gz, &len) ||
	    kx_fix_compress("gzip", 1, gz, len, &gzgz, &len2) ||
	    kx_fix_zboot(&zg, image, IMG_LEN, &zb, &zlen) ||
	    kx_fix_compress("gzip", 1, zb, zlen, &gzb, &glen))
		abort();
	check_refused("gzip-in-gzip", gzgz, len2, -EINVAL,
		      "gzip-in-gzip (gzip): a gzip inside a gzip: refused (no "
		      "kernel is wrapped twice the same way)");
	/* A zboot inside a gzip: two kinds, allowed, in one budget. */
	img = new_image();
	if (is_int(kx_image_load_buffer(img, &o, gzb, glen), 0,
		   "a zboot inside a gzip: loads: %s", kx_image_error(img)))
		is_u64(kx_image_wrapper_count(img), 2, "... two wrappers");
	/* The budget covers both layers: enough for either, not both. */
	img->unwrap_limit = zlen + IMG_LEN;
	is_int(kx_image_load_buffer(img, &o, gzb, glen), 0,
	       "a budget of both layers' sizes: loads: %s", kx_image_error(img));
	img->unwrap_limit = zlen + IMG_LEN - 1;
	is_int(kx_image_load_buffer(img, &o, gzb, glen), -EFBIG,
	       "one byte less: refused");
	like(kx_image_error(img), "unwrapping it would take 196608 bytes, "
	     "more than the 196607 left of",
	     "... at the inner layer, saying how much was left");
	is_u64(kx_image_segment_count(img), 0, "... nothing loaded");
	kx_image_free(img);
	free(gz);
	free(gzgz);
	free(zb);
	free(gzb);
}

int main(void)
{
	uint8_t *image = kx_fix_arm64_image(0, IMG_SIZE, 0xa, IMG_LEN);

	for (size_t i = 0x2000; i < IMG_LEN; i++)   /* something to compress */
		image[i] = (uint8_t)(i * 7 ^ i >> 9);
	test_gzip(image);
	test_nested(image);
	test_zboot(image);
	test_bad_zboot(image);
	test_bad_gzip(image);
	free(image);
	return done_testing();
}
