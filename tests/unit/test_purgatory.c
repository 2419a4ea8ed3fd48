/* SPDX-License-Identifier: MIT */
/*
 * The purgatory (lib/core/purgatory.c, lib/arch/): the embedded x86_64
 * object laid out and relocated at two bases, every relocated field checked
 * against the System V AMD64 psABI's formulas by walking the object's .rela
 * sections independently; symbols written by name and checked against
 * their sizes; the relocation kinds on their own; and the check the
 * purgatory runs at reboot (purgatory/common/verify.c), here on host
 * buffers.
 */
#include <stdlib.h>

#include "internal.h"
#include "purgatory.h"
#include "reloc.h"
#include "tap.h"
/* The purgatory's own header (struct kx_digest), not lib/core's. */
#include "../../purgatory/common/purgatory.h"

#define SHT_PROGBITS 1
#define SHT_RELA 4
#define SHT_NOBITS 8
#define SHF_ALLOC 0x2
#define R_X86_64_64 1
#define R_X86_64_PC32 2
#define R_X86_64_PLT32 4

static const uint64_t bases[2] = { 0x1000000, 0x7fff0000 };

static void test_open(struct kx_purgatory *p, const struct kx_arch_ops *arch,
		      uint64_t base)
{
	is_int(kx_purgatory_open(p, arch), 0,
	       "open the x86_64 purgatory (for base 0x%" PRIx64 ")", base);
	is_str(p->err, "", "... with no message");
	is_int(kx_purgatory_relocate(p, base), 0,
	       "relocate at 0x%" PRIx64 ": every relocation resolved", base);
	is_str(p->err, "", "... with no message");
	is_u64(p->base, base, "the base is kept");
}

/* Marks the bytes of @p's buffer that relocations write. */
static void mark_relocated(const struct kx_purgatory *p, uint8_t *mask)
{
	struct kx_elf e = p->elf;

	for (unsigned i = 0; i < e.shnum; i++) {
		struct kx_elf_shdr rs;

		if (kx_elf_shdr(&e, i, &rs) || rs.type != SHT_RELA ||
		    p->secoff[rs.info] == UINT64_MAX)
			continue;
		for (uint64_t o = 0; o + 24 <= rs.size; o += 24) {
			uint64_t at = p->secoff[rs.info] +
				      kx_elf_word(&e, rs.offset + o, 8);
			uint32_t type = (uint32_t)kx_elf_word(&e, rs.offset + o + 8, 8);

			memset(mask + at, 1, type == R_X86_64_64 ? 8 : 4);
		}
	}
}

/* The layout: allocated sections in order, aligned, not overlapping,
 * contents before NOBITS, and their bytes copied from the object. */
static void test_layout(const struct kx_purgatory *p)
{
	struct kx_elf e = p->elf;
	uint64_t end = 0, nalloc = 0, nobits_seen = 0;
	bool ordered = true, aligned = true, copied = true, placed = true;
	uint8_t *mask = calloc(1, p->bufsz);

	if (!mask)
		abort();
	mark_relocated(p, mask);
	for (unsigned i = 0; i < e.shnum; i++) {
		struct kx_elf_shdr sh;
		uint64_t a;

		if (kx_elf_shdr(&e, i, &sh))
			continue;
		if (!(sh.flags & SHF_ALLOC)) {
			placed &= p->secoff[i] == UINT64_MAX;
			continue;
		}
		nalloc++;
		a = sh.addralign ? sh.addralign : 1;
		aligned &= p->secoff[i] % a == 0 && p->align % a == 0;
		if (sh.type == SHT_NOBITS) {
			nobits_seen++;
			ordered &= p->secoff[i] >= p->bufsz;
			ordered &= p->secoff[i] + sh.size <= p->memsz;
			continue;
		}
		ordered &= p->secoff[i] + sh.size <= p->bufsz;
		ordered &= p->secoff[i] >= end || nalloc == 1;
		end = p->secoff[i] + sh.size;
		for (uint64_t k = 0; k < sh.size; k++)
			if (!mask[p->secoff[i] + k])
				copied &= p->buf[p->secoff[i] + k] ==
					  e.r.buf[sh.offset + k];
	}
	ok(nalloc >= 4, "the object has its allocated sections (%" PRIu64 ")",
	   nalloc);
	ok(nobits_seen >= 1, "and a NOBITS section (the stack)");
	ok(placed, "sections that are not allocated are not laid out");
	ok(ordered, "sections with contents lie in order inside bufsz, NOBITS "
		    "after them inside memsz");
	ok(aligned, "every section at its alignment");
	ok(copied, "every byte no relocation touches is the object's");
	ok(p->memsz >= p->bufsz + 16384, "memsz 0x%" PRIx64 " holds a 16 KiB "
	   "stack past bufsz 0x%" PRIx64, p->memsz, p->bufsz);
	is_u64(p->align, 4096, "the purgatory's alignment is 4096 (the EFI "
	       "path's page tables)");
	free(mask);
}

struct reloc_tally {
	unsigned n[3];       /* ABS64, PC32, PLT32 */
	unsigned bad[3];
	unsigned unknown;
	unsigned delta_bad_abs, delta_bad_pc;
};

static int kind_index(uint32_t type)
{
	switch (type) {
	case R_X86_64_64: return 0;
	case R_X86_64_PC32: return 1;
	case R_X86_64_PLT32: return 2;
	}
	return -1;
}

/* Walks every .rela section of the object itself and checks each field in
 * both relocated buffers. */
static void test_relocations(struct kx_purgatory *p)
{
	static const char *const kind_names[3] = { "R_X86_64_64",
						   "R_X86_64_PC32",
						   "R_X86_64_PLT32" };
	struct kx_elf e = p[0].elf;
	struct reloc_tally t = { 0 };
	unsigned sections = 0;

	for (unsigned i = 0; i < e.shnum; i++) {
		struct kx_elf_shdr rs, symtab;

		if (kx_elf_shdr(&e, i, &rs) || rs.type != SHT_RELA)
			continue;
		if (kx_elf_shdr(&e, rs.link, &symtab) ||
		    p[0].secoff[rs.info] == UINT64_MAX)
			continue;
		sections++;
		for (uint64_t o = 0; o + 24 <= rs.size; o += 24) {
			uint64_t roff = kx_elf_word(&e, rs.offset + o, 8);
			uint64_t info = kx_elf_word(&e, rs.offset + o + 8, 8);
			int64_t A = (int64_t)kx_elf_word(&e, rs.offset + o + 16, 8);
			uint32_t type = (uint32_t)info;
			int k = kind_index(type);
			struct kx_elf_sym sym;
			uint64_t v[2];

			if (k < 0 || kx_elf_sym(&e, &symtab, info >> 32, &sym)) {
				t.unknown++;
				continue;
			}
			t.n[k]++;
			for (int b = 0; b < 2; b++) {
				uint64_t off = p[b].secoff[rs.info] + roff;
				uint64_t S = bases[b] + p[b].secoff[sym.shndx] +
					     sym.value;
				uint64_t P = bases[b] + off;
				uint64_t want;

				if (k == 0) {
					v[b] = kx_get_uint(p[b].buf + off, 8, false);
					want = S + (uint64_t)A;
				} else {
					v[b] = kx_get_uint(p[b].buf + off, 4, false);
					want = (S + (uint64_t)A - P) & 0xffffffff;
				}
				if (v[b] != want && !t.bad[k]++)
					diag("base 0x%" PRIx64 ": %s at 0x%" PRIx64
					     ": got 0x%" PRIx64 ", expected 0x%" PRIx64,
					     bases[b], kind_names[k], off, v[b],
					     want);
			}
			if (k == 0)
				t.delta_bad_abs += v[1] - v[0] != bases[1] - bases[0];
			else
				t.delta_bad_pc += v[1] != v[0];
		}
	}
	note("%u .rela sections: %u R_X86_64_64, %u PC32, %u PLT32", sections,
	     t.n[0], t.n[1], t.n[2]);
	ok(sections >= 2, "relocation sections for .text and .data walked");
	is_u64(t.unknown, 0, "every relocation is of a type checked here");
	ok(t.n[0] > 0 && t.n[1] > 0 && t.n[2] > 0,
	   "the object has R_X86_64_64, PC32 and PLT32 relocations");
	for (int k = 0; k < 3; k++)
		is_u64(t.bad[k], 0, "every %s field is %s at both bases",
		       kind_names[k], k ? "S + A - P" : "S + A");
	is_u64(t.delta_bad_abs, 0,
	       "every R_X86_64_64 field moved by exactly the base delta 0x%" PRIx64,
	       bases[1] - bases[0]);
	is_u64(t.delta_bad_pc, 0,
	       "every PC-relative field is the same at both bases");
}

#define ANY_SIZE UINT64_MAX

static void test_symbols(struct kx_purgatory *p)
{
	static const struct {
		const char *name;
		uint64_t size;
		bool in_buffer;
	} syms[] = {
		{ "kx_entry", 8, true },
		{ "kx_args", 32, true },
		{ "kx_digest_count", 4, true },
		{ "kx_digests", KX_PURG_MAX_DIGESTS * KX_PURG_DIGEST_SIZE, true },
		{ "purgatory_start", ANY_SIZE, true },
		{ "kx_stack_top", 0, false },      /* in .bss */
	};
	struct kx_purgatory_sym s[2];

	for (size_t i = 0; i < KX_ARRAY_SIZE(syms); i++) {
		bool found = true;

		for (int b = 0; b < 2; b++)
			found &= !kx_purgatory_symbol(&p[b], syms[i].name, &s[b]);
		if (!ok(found, "symbol %s exists", syms[i].name))
			continue;
		if (syms[i].size != ANY_SIZE)
			is_u64(s[0].size, syms[i].size, "%s has %" PRIu64 " bytes",
			       syms[i].name, syms[i].size);
		ok(s[0].in_buffer == syms[i].in_buffer, "%s is %s",
		   syms[i].name, syms[i].in_buffer ? "in the buffer" : "NOBITS");
		is_u64(s[0].offset, s[1].offset, "%s: same offset at both bases",
		       syms[i].name);
		is_u64(s[0].addr, bases[0] + s[0].offset,
		       "%s: address is base + offset (0x%" PRIx64 ")",
		       syms[i].name, bases[0]);
		is_u64(s[1].addr, bases[1] + s[1].offset,
		       "%s: address is base + offset (0x%" PRIx64 ")",
		       syms[i].name, bases[1]);
		if (syms[i].in_buffer && syms[i].size != ANY_SIZE)
			ok(s[0].offset + s[0].size <= p[0].bufsz,
			   "%s lies inside the buffer", syms[i].name);
		else
			ok(s[0].offset <= p[0].memsz, "%s lies inside memsz",
			   syms[i].name);
	}
	is_int(kx_purgatory_symbol(&p[0], "kx_no_such_symbol", &s[0]), -ENOENT,
	       "an unknown symbol is -ENOENT");
	is_int(sizeof(struct kx_digest), KX_PURG_DIGEST_SIZE,
	       "struct kx_digest is KX_PURG_DIGEST_SIZE bytes, as the "
	       "library writes it");
}

static void test_set(struct kx_purgatory *p)
{
	static const struct {
		const char *name;
		uint64_t vals[4];
		size_t n;
		int rc;
		const char *msg;
	} cases[] = {
		{ "kx_entry", { 0x1234567890abcdefULL }, 1, 0, NULL },
		{ "kx_args", { 0x1000, 2, 3, UINT64_MAX }, 4, 0, NULL },
		{ "kx_digest_count", { 0xffffffff }, 1, 0, NULL },
		{ "kx_digest_count", { 0x100000000ULL }, 1, -ERANGE,
		  "purgatory: 0x100000000 does not fit the 32-bit kx_digest_count" },
		{ "kx_no_such_symbol", { 1 }, 1, -ENOEXEC,
		  "purgatory: no data symbol kx_no_such_symbol" },
		{ "kx_stack_top", { 1 }, 1, -ENOEXEC,
		  "purgatory: no data symbol kx_stack_top" },
		{ "kx_args", { 1, 2, 3 }, 3, -ENOEXEC,
		  "purgatory: symbol kx_args has 32 bytes, not 3 words" },
		{ "kx_args", { 0 }, 0, -ENOEXEC,
		  "purgatory: symbol kx_args has 32 bytes, not 0 words" },
		{ "kx_entry", { 1, 2, 3 }, 3, -ENOEXEC,
		  "purgatory: symbol kx_entry has 8 bytes, not 3 words" },
		{ "kx_digests", { 1 }, 1, -ENOEXEC,
		  "purgatory: symbol kx_digests has 768 bytes, not 1 words" },
	};

	for (size_t i = 0; i < KX_ARRAY_SIZE(cases); i++) {
		struct kx_purgatory_sym s;
		uint8_t before[64], want[64];
		int rc;

		if (kx_purgatory_symbol(p, cases[i].name, &s) || !s.in_buffer)
			s = (struct kx_purgatory_sym){ 0 };
		memcpy(before, p->buf + s.offset,
		       s.size < sizeof(before) ? s.size : sizeof(before));
		p->err[0] = '\0';
		rc = kx_purgatory_set(p, cases[i].name, cases[i].vals,
				      cases[i].n);
		if (!is_int(rc, cases[i].rc, "set %s (%zu values): returns %d",
			    cases[i].name, cases[i].n, cases[i].rc) || rc) {
			if (cases[i].msg)
				is_str(p->err, cases[i].msg, "set %s: message",
				       cases[i].name);
			if (s.size && s.size <= sizeof(before))
				is_mem(p->buf + s.offset, before, s.size,
				       "set %s: nothing written", cases[i].name);
			continue;
		}
		for (size_t k = 0; k < cases[i].n; k++)
			kx_put_uint(want + k * (s.size / cases[i].n),
				    (unsigned)(s.size / cases[i].n),
				    cases[i].vals[k], false);
		is_mem(p->buf + s.offset, want, s.size,
		       "set %s: the bytes, little-endian", cases[i].name);
	}
}

/* kx_purgatory_open against objects that are not what they must be. */
static int failing_reloc(struct kx_purgatory *p, const struct kx_reloc *rel)
{
	snprintf(p->err, sizeof(p->err), "refused type %u", rel->type);
	return -ENOEXEC;
}

static void test_open_bad(const struct kx_arch_ops *x86)
{
	static const uint8_t junk[64] = "not an ELF object at all";
	static const size_t junk_size = sizeof(junk);
	struct kx_arch_ops ops;
	struct kx_purgatory p;

	ops = *x86;
	ops.purgatory = junk;
	ops.purgatory_size = &junk_size;
	is_int(kx_purgatory_open(&p, &ops), -ENOEXEC,
	       "open junk: -ENOEXEC");
	is_str(p.err, "purgatory: not an ELF file", "open junk: message");
	kx_purgatory_close(&p);

	ops = *x86;
	ops.elf_machine = 183;   /* EM_AARCH64 */
	ops.name = "arm64";
	is_int(kx_purgatory_open(&p, &ops), -ENOEXEC,
	       "open for another machine: -ENOEXEC");
	is_str(p.err, "purgatory: not a relocatable object for arm64",
	       "open for another machine: message");
	kx_purgatory_close(&p);

	ops = *x86;
	ops.apply_reloc = failing_reloc;
	is_int(kx_purgatory_open(&p, &ops), 0,
	       "open with a relocation function that refuses");
	is_int(kx_purgatory_relocate(&p, 0x100000), -ENOEXEC,
	       "relocate passes its error on");
	like(p.err, "refused type", "... and its message");
	kx_purgatory_close(&p);
}

/* ---- relocation kinds ---------------------------------------------------- */

static void test_kinds(void)
{
	static const struct {
		const char *what;
		enum kx_reloc_kind kind;
		uint64_t S;
		int64_t A;
		uint64_t P;
		uint64_t room;
		bool be;
		int rc;
		const char *bytes;   /* written, on success */
		unsigned n;
		const char *msg;     /* on failure */
	} cases[] = {
		{ "ABS64", KX_R_ABS64, 0x1000000, 0x10, 0, 8, false, 0,
		  "\x10\x00\x00\x01\x00\x00\x00\x00", 8, NULL },
		{ "ABS64 big-endian", KX_R_ABS64, 0x1000000, 0x10, 0, 8, true, 0,
		  "\x00\x00\x00\x00\x01\x00\x00\x10", 8, NULL },
		{ "ABS64 negative addend", KX_R_ABS64, 0x1000, -0x10, 0, 8, false,
		  0, "\xf0\x0f\x00\x00\x00\x00\x00\x00", 8, NULL },
		{ "PC64", KX_R_PC64, 0x1000, 0, 0x3000, 8, false, 0,
		  "\x00\xe0\xff\xff\xff\xff\xff\xff", 8, NULL },
		{ "PC32 backwards", KX_R_PC32, 0x1000, -4, 0x2000, 4, false, 0,
		  "\xfc\xef\xff\xff", 4, NULL },
		{ "PC32 at +2^31 - 1", KX_R_PC32, 0x7fffffff, 0, 0, 4, false, 0,
		  "\xff\xff\xff\x7f", 4, NULL },
		{ "PC32 at -2^31", KX_R_PC32, 0x10000000, 0, 0x90000000, 4, false,
		  0, "\x00\x00\x00\x80", 4, NULL },
		{ "PC32 at +2^31: overflow", KX_R_PC32, 0x80000000, 0, 0, 4, false,
		  -ERANGE, NULL, 0,
		  "purgatory: relocation type 7 at 0x0 cannot reach 0x80000000" },
		{ "PC32 at -2^31 - 1: overflow", KX_R_PC32, 0x10000000, -1,
		  0x90000000, 4, false, -ERANGE, NULL, 0,
		  "purgatory: relocation type 7 at 0x90000000 cannot reach 0x10000000" },
		{ "PC32 across 4 GiB: overflow", KX_R_PC32, 0x100001000ULL, -4,
		  0x1000, 4, false, -ERANGE, NULL, 0,
		  "purgatory: relocation type 7 at 0x1000 cannot reach 0x100001000" },
		{ "ABS32 at 2^32 - 1", KX_R_ABS32, 0xfffffff0, 0xf, 0, 4, false, 0,
		  "\xff\xff\xff\xff", 4, NULL },
		{ "ABS32 big-endian", KX_R_ABS32, 0x12345678, 0, 0, 4, true, 0,
		  "\x12\x34\x56\x78", 4, NULL },
		{ "ABS32 at 2^32: overflow", KX_R_ABS32, 0xfffffff0, 0x10, 0x40, 4,
		  false, -ERANGE, NULL, 0,
		  "purgatory: relocation type 7 at 0x40 cannot reach 0xfffffff0" },
		{ "ABS32 below 0: overflow", KX_R_ABS32, 0, -1, 0, 4, false,
		  -ERANGE, NULL, 0, "cannot reach 0x0" },
		{ "ABS32S at 2^31 - 1", KX_R_ABS32S, 0x7fffffff, 0, 0, 4, false, 0,
		  "\xff\xff\xff\x7f", 4, NULL },
		{ "ABS32S at -2^31 (sign-extends)", KX_R_ABS32S,
		  0xffffffff80000000ULL, 0, 0, 4, false, 0, "\x00\x00\x00\x80", 4,
		  NULL },
		{ "ABS32S at 2^31: overflow", KX_R_ABS32S, 0x80000000, 0, 0, 4,
		  false, -ERANGE, NULL, 0, "cannot reach 0x80000000" },
		{ "ABS32S at 2^32 - 1: overflow", KX_R_ABS32S, 0xffffffff, 0, 0, 4,
		  false, -ERANGE, NULL, 0, "cannot reach 0xffffffff" },
		{ "ABS32S at -2^31 - 1: overflow", KX_R_ABS32S,
		  0xffffffff7fffffffULL, 0, 0, 4, false, -ERANGE, NULL, 0,
		  "cannot reach 0xffffffff7fffffff" },
		{ "ABS64 with 7 bytes of room", KX_R_ABS64, 0x1000, 0, 0x2000, 7,
		  false, -ENOEXEC, NULL, 0,
		  "purgatory: relocation at 0x2000 runs past its section" },
		{ "ABS32 with 3 bytes of room", KX_R_ABS32, 0x1000, 0, 0x2000, 3,
		  false, -ENOEXEC, NULL, 0,
		  "purgatory: relocation at 0x2000 runs past its section" },
		{ "PC32 with no room", KX_R_PC32, 0x1000, 0, 0x2000, 0, false,
		  -ENOEXEC, NULL, 0,
		  "purgatory: relocation at 0x2000 runs past its section" },
		{ "NONE writes nothing", KX_R_NONE, 0x1000, 0, 0, 0, false, 0,
		  "", 0, NULL },
		{ "an unknown kind", (enum kx_reloc_kind)99, 0, 0, 0, 8, false,
		  -ENOEXEC, NULL, 0, "purgatory: relocation kind 99 unknown" },
	};

	for (size_t i = 0; i < KX_ARRAY_SIZE(cases); i++) {
		uint8_t buf[12];
		struct kx_arch_ops order = { .name = "test",
					     .big_endian = cases[i].be };
		struct kx_purgatory p = { .arch = &order };
		struct kx_reloc rel = {
			.type = 7,     /* only named in messages */
			.S = cases[i].S, .A = cases[i].A, .P = cases[i].P,
			.loc = buf + 2, .room = cases[i].room,
		};
		int rc;

		memset(buf, 0xee, sizeof(buf));
		rc = kx_reloc_apply_kind(&p, &rel, cases[i].kind);
		is_int(rc, cases[i].rc, "%s: returns %d", cases[i].what,
		       cases[i].rc);
		if (!cases[i].rc) {
			if (cases[i].n)
				is_mem(buf + 2, cases[i].bytes, cases[i].n,
				       "%s: the bytes", cases[i].what);
			ok(buf[0] == 0xee && buf[1] == 0xee &&
			   buf[2 + cases[i].n] == 0xee,
			   "%s: nothing written around them", cases[i].what);
		} else {
			like(p.err, cases[i].msg, "%s: message", cases[i].what);
			ok(buf[2] == 0xee && buf[3] == 0xee,
			   "%s: nothing written", cases[i].what);
		}
	}
}

/* The x86_64 table: ELF types to kinds, and a type it does not take. */
static void test_x86_types(const struct kx_arch_ops *x86)
{
	static const struct {
		uint32_t type;
		int rc;
		unsigned n;
		const char *bytes;
	} cases[] = {
		{ 0, 0, 0, "" },                                         /* NONE */
		{ 1, 0, 8, "\x10\x20\x00\x00\x00\x00\x00\x00" },         /* 64 */
		{ 2, 0, 4, "\x10\x10\x00\x00" },                         /* PC32 */
		{ 4, 0, 4, "\x10\x10\x00\x00" },                         /* PLT32 */
		{ 10, 0, 4, "\x10\x20\x00\x00" },                        /* 32 */
		{ 11, 0, 4, "\x10\x20\x00\x00" },                        /* 32S */
		{ 24, 0, 8, "\x10\x10\x00\x00\x00\x00\x00\x00" },        /* PC64 */
		{ 3, -ENOEXEC, 0, NULL },                                /* GOT32 */
		{ 9, -ENOEXEC, 0, NULL },                                /* GOTPCREL */
	};

	for (size_t i = 0; i < KX_ARRAY_SIZE(cases); i++) {
		uint8_t buf[8] = { 0 };
		struct kx_purgatory p = { .arch = x86 };
		struct kx_reloc rel = { .type = cases[i].type, .S = 0x2000,
					.A = 0x10, .P = 0x1000, .loc = buf,
					.room = 8 };
		int rc = x86->apply_reloc(&p, &rel);

		is_int(rc, cases[i].rc, "x86_64 type %u: returns %d",
		       cases[i].type, cases[i].rc);
		if (!rc && cases[i].n)
			is_mem(buf, cases[i].bytes, cases[i].n,
			       "x86_64 type %u: the bytes", cases[i].type);
		if (rc) {
			char want[80];

			snprintf(want, sizeof(want),
				 "purgatory: x86_64 relocation type %u is not "
				 "supported", cases[i].type);
			is_str(p.err, want, "x86_64 type %u: message",
			       cases[i].type);
		}
	}
}

/* ---- the check at reboot, on host buffers ---------------------------- */

static void test_verify(void)
{
	struct kx_digest d[KX_PURG_MAX_DIGESTS + 1];
	uint8_t *seg[KX_PURG_MAX_DIGESTS + 1];

	for (unsigned i = 0; i <= KX_PURG_MAX_DIGESTS; i++) {
		size_t len = i == 1 ? 0 : 100 + 997 * i;

		seg[i] = malloc(len + 1);
		for (size_t k = 0; k < len; k++)
			seg[i][k] = (uint8_t)(k * 31 + i);
		d[i].addr = (uint64_t)(uintptr_t)seg[i];
		d[i].len = len;
		kx_sha256(seg[i], len, d[i].sha256);
	}
	is_int(kx_purgatory_verify(d, 4), 0, "4 good segments: 0");
	is_int(kx_purgatory_verify(d, 0), 0, "no segments: 0");
	is_int(kx_purgatory_verify(d, KX_PURG_MAX_DIGESTS), 0,
	       "16 good segments (one empty): 0");
	seg[2][500] ^= 0x01;
	is_int(kx_purgatory_verify(d, 4), 3,
	       "one bit flipped in segment 2 (from 0): returns 3");
	is_int(kx_purgatory_verify(d, 2), 0,
	       "segments before the bad one still pass");
	seg[3][0] ^= 0x80;
	is_int(kx_purgatory_verify(d, 4), 3, "the first bad segment is named");
	seg[2][500] ^= 0x01;
	is_int(kx_purgatory_verify(d, 4), 4, "then the next one");
	seg[3][0] ^= 0x80;
	d[0].sha256[31] ^= 0xff;
	is_int(kx_purgatory_verify(d, 4), 1,
	       "a wrong digest in the table fails segment 0: returns 1");
	d[0].sha256[31] ^= 0xff;
	d[5].len--;
	is_int(kx_purgatory_verify(d, 8), 6, "a wrong length fails too");
	d[5].len++;
	is_int(kx_purgatory_verify(d, KX_PURG_MAX_DIGESTS + 1),
	       KX_PURG_MAX_DIGESTS + 1, "n > 16: returns 17");
	is_int(kx_purgatory_verify(d, UINT32_MAX), KX_PURG_MAX_DIGESTS + 1,
	       "n = 2^32 - 1: returns 17");
	for (unsigned i = 0; i <= KX_PURG_MAX_DIGESTS; i++)
		free(seg[i]);
}

int main(void)
{
	const struct kx_arch_ops *x86 = kx_arch_ops(KX_ARCH_X86_64);
	struct kx_purgatory p[2];

	if (!ok(x86 != NULL, "kx_arch_ops(KX_ARCH_X86_64)"))
		return done_testing();
	is_str(x86->name, "x86_64", "its name");
	is_u64(x86->purgatory_max, 0xffffffff, "purgatory below 4 GiB");
	for (int b = 0; b < 2; b++)
		test_open(&p[b], x86, bases[b]);
	is_u64(p[0].bufsz, p[1].bufsz, "the same layout at both bases");
	test_layout(&p[0]);
	test_relocations(p);
	test_symbols(p);
	test_set(&p[0]);
	for (int b = 0; b < 2; b++)
		kx_purgatory_close(&p[b]);
	ok(!p[0].buf && !p[0].secoff, "kx_purgatory_close clears");
	test_open_bad(x86);
	test_kinds();
	test_x86_types(x86);
	test_verify();
	return done_testing();
}
