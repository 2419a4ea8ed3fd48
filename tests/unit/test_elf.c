/* SPDX-License-Identifier: MIT */
/*
 * The one ELF reader (lib/core/elf.c) on executables of both byte orders
 * and both classes that the Makefile builds with clang and ld.lld from
 * tests/fixtures/elf_min.c (ppc64le, ppc64, i686, ppc: their layout is
 * fixed by elf_min.ld), and on those files broken one field at a time,
 * each refused with its exact message.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "tap.h"

static const struct fixture {
	const char *triple;
	bool is64, be;
	uint16_t machine;
	uint64_t text_off, data_off;
} fixtures[] = {
	{ "powerpc64le-linux-gnu", true, false, 21, 0x10000, 0x20000 },
	{ "powerpc64-linux-gnu", true, true, 21, 0x10000, 0x20000 },
	{ "i686-linux-gnu", false, false, 3, 0x1000, 0x2000 },
	{ "powerpc-linux-gnu", false, true, 20, 0x10000, 0x20000 },
};

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* The offset of program header @i's field at @off64 (ELF64) / @off32. */
static size_t ph_field(const struct fixture *x, const struct kx_elf *e,
		       unsigned i, unsigned off64, unsigned off32)
{
	return (size_t)(e->phoff + i * e->phentsize) + (x->is64 ? off64 : off32);
}

static void refused(const struct fixture *x, uint8_t *f, size_t len,
		    const char *what, const char *msg)
{
	struct kx_elf e;
	int rc = kx_elf_open(&e, f, len, "elf");

	if (!rc)
		rc = kx_elf_check_loads(&e);
	ok(rc < 0, "%s %s is refused", x->triple, what);
	is_str(e.err, msg, "... with its message");
}

static void test_fixture(const struct fixture *x)
{
	char path[256];
	size_t len;
	uint8_t *f;
	struct kx_elf e;
	struct kx_elf_phdr t, d;
	unsigned w = x->is64 ? 8 : 4;
	char msg[256];

	snprintf(path, sizeof(path), "%s/fixtures/elf-%s",
		 getenv("KX_BUILD") ? getenv("KX_BUILD") : "build", x->triple);
	f = slurp(path, &len);
	if (!f) {
		skip("not built (make check builds it)", "%s", path);
		return;
	}
	note("%s", x->triple);
	is_int(kx_elf_open(&e, f, len, "elf"), 0, "open: %s", e.err);
	ok(e.is64 == x->is64 && e.big_endian == x->be, "class %d, %s endian",
	   x->is64 ? 64 : 32, x->be ? "big" : "little");
	is_u64(e.machine, x->machine, "machine");
	is_u64(e.type, 2, "ET_EXEC");
	is_u64(e.entry, 0x100000, "entry 0x100000");
	is_int(kx_elf_check_loads(&e), 2, "two PT_LOADs, sound");
	kx_elf_phdr(&e, 0, &t);
	kx_elf_phdr(&e, 1, &d);
	ok(t.type == KX_PT_LOAD && t.vaddr == 0x100000 && t.paddr == 0x100000 &&
	   t.offset == x->text_off && t.filesz == 0x200 && t.memsz == 0x200,
	   "text: 0x200 bytes at 0x100000 from file offset 0x%" PRIx64,
	   x->text_off);
	ok(d.type == KX_PT_LOAD && d.vaddr == 0x200000 && d.offset == x->data_off &&
	   d.filesz == 8 && d.memsz == 0x1008,
	   "data: 8 bytes and 0x1000 of BSS at 0x200000");
	is_u64(kx_get_uint(f + d.offset, 8, x->be), 0x1122334455667788ULL,
	       "the magic word reads back in the file's byte order");

	/* broken copies */
	kx_put_uint(f + ph_field(x, &e, 1, 32, 16), w, 0x1009, x->be);
	snprintf(msg, sizeof(msg), "elf: program header 1: file size 0x1009 is "
		 "more than its memory size 0x1008");
	kx_put_uint(f + ph_field(x, &e, 1, 8, 4), w, 0, x->be);
	refused(x, f, len, "a file size above the memory size", msg);
	kx_put_uint(f + ph_field(x, &e, 1, 8, 4), w, d.offset, x->be);
	kx_put_uint(f + ph_field(x, &e, 1, 32, 16), w, 8, x->be);
	kx_put_uint(f + ph_field(x, &e, 1, 24, 12), w, 0x1001f0, x->be);
	snprintf(msg, sizeof(msg), "elf: program headers 0 and 1 overlap "
		 "(0x100000+0x200 and 0x1001f0+0x1008)");
	refused(x, f, len, "overlapping PT_LOADs", msg);
	kx_put_uint(f + ph_field(x, &e, 1, 24, 12), w, 0x200000, x->be);
	/* cut: the section headers, at the end, go first */
	snprintf(msg, sizeof(msg), "elf: section headers (%u at 0x%" PRIx64
		 ") run past the end of the file (%zu bytes): truncated?",
		 e.shnum, e.shoff, (size_t)d.offset + 4);
	refused(x, f, (size_t)d.offset + 4, "a file cut in its data", msg);
	kx_put_uint(f + (x->is64 ? 60 : 48), 2, 0, x->be);   /* e_shnum 0 */
	snprintf(msg, sizeof(msg), "elf: program header 1: file bytes 0x%"
		 PRIx64 "+0x8 run past the end of the file (%zu bytes)",
		 d.offset, (size_t)d.offset + 4);
	refused(x, f, (size_t)d.offset + 4,
		"a file without section headers cut in its data", msg);
	kx_put_uint(f + ph_field(x, &e, 0, 0, 0), 4, 4, x->be);
	kx_put_uint(f + ph_field(x, &e, 1, 0, 0), 4, 4, x->be);
	refused(x, f, len, "a file without PT_LOAD",
		"elf: no loadable segment (no PT_LOAD program header)");
	refused(x, f, x->is64 ? 60 : 50, "a header cut short",
		"elf: truncated ELF header");
	kx_put_uint(f + (x->is64 ? 32 : 28), w, len - 8, x->be);
	snprintf(msg, sizeof(msg), "elf: program headers (2 at 0x%zx) run past "
		 "the end of the file (%zu bytes)", len - 8, len);
	refused(x, f, len, "program headers outside the file", msg);
	free(f);
}

int main(void)
{
	for (size_t i = 0; i < KX_ARRAY_SIZE(fixtures); i++)
		test_fixture(&fixtures[i]);
	return done_testing();
}
