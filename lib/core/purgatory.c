/* SPDX-License-Identifier: MIT */
/*
 * The purgatory: a small relocatable ELF object per architecture, embedded
 * in the library. Here it is laid out (allocated sections in order, NOBITS
 * last), placed, relocated by one generic loop that hands each relocation to
 * the architecture's function, and its named symbols are written: the
 * kernel's entry and registers, and the table of segment digests it checks
 * before it enters the kernel. Every write is checked against the symbol's
 * size.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "purgatory.h"

#define SHT_SYMTAB 2
#define SHT_RELA 4
#define SHT_NOBITS 8
#define SHT_REL 9
#define SHF_ALLOC 0x2
#define SHN_UNDEF 0
#define SHN_ABS 0xfff1
#define SHN_COMMON 0xfff2

void kx_purgatory_close(struct kx_purgatory *p)
{
	free(p->buf);
	free(p->secoff);
	memset(p, 0, sizeof(*p));
}

/* Lays allocated sections out: contents first, then NOBITS (the stack). */
static int layout(struct kx_purgatory *p)
{
	struct kx_elf *e = &p->elf;
	uint64_t off = 0;

	p->align = 1;
	for (int pass = 0; pass < 2; pass++) {
		for (unsigned i = 0; i < e->shnum; i++) {
			struct kx_elf_shdr sh;
			uint64_t a;

			if (kx_elf_shdr(e, i, &sh))
				return kx_seterr(p->err, -ENOEXEC,
					    "purgatory: bad section %u", i);
			if (!(sh.flags & SHF_ALLOC) ||
			    (sh.type == SHT_NOBITS) != (pass == 1))
				continue;
			a = sh.addralign ? sh.addralign : 1;
			if (!kx_is_pow2(a) || a > KX_PAGE_SIZE)
				return kx_seterr(p->err, -ENOEXEC,
					    "purgatory: section %u alignment %" PRIu64,
					    i, a);
			if (a > p->align)
				p->align = a;
			off = kx_align_up(off, a);
			p->secoff[i] = off;
			off += sh.size;
			if (pass == 0)
				p->bufsz = off;
		}
	}
	p->memsz = off;
	return 0;
}

int kx_purgatory_open(struct kx_purgatory *p, const struct kx_arch_ops *arch)
{
	struct kx_elf *e = &p->elf;
	int rc;

	memset(p, 0, sizeof(*p));
	p->arch = arch;
	rc = kx_elf_open(e, arch->purgatory, *arch->purgatory_size, "purgatory");
	if (rc)
		return kx_seterr(p->err, rc, "%s", e->err);
	if (e->type != 1 /* ET_REL */ || e->machine != arch->elf_machine ||
	    e->is64 != arch->elf64 || e->big_endian != arch->big_endian)
		return kx_seterr(p->err, -ENOEXEC,
			    "purgatory: not a relocatable object for %s",
			    arch->name);
	p->secoff = malloc(e->shnum * sizeof(*p->secoff));
	if (!p->secoff)
		return kx_seterr(p->err, -ENOMEM, "purgatory: out of memory");
	for (unsigned i = 0; i < e->shnum; i++) {
		struct kx_elf_shdr sh;

		p->secoff[i] = UINT64_MAX;
		if (!kx_elf_shdr(e, i, &sh) && sh.type == SHT_SYMTAB) {
			p->symtab = sh;
			p->symtab_idx = i;
		}
	}
	if (!p->symtab_idx)
		return kx_seterr(p->err, -ENOEXEC, "purgatory: no symbol table");
	rc = layout(p);
	if (rc)
		return rc;
	p->buf = calloc(1, p->bufsz ? p->bufsz : 1);
	if (!p->buf)
		return kx_seterr(p->err, -ENOMEM, "purgatory: out of memory");
	for (unsigned i = 0; i < e->shnum; i++) {
		struct kx_elf_shdr sh;

		if (p->secoff[i] == UINT64_MAX || kx_elf_shdr(e, i, &sh) ||
		    sh.type == SHT_NOBITS)
			continue;
		memcpy(p->buf + p->secoff[i], e->r.buf + sh.offset, sh.size);
	}
	return 0;
}

/* A symbol's address: from its section, or, for one the object leaves
 * undefined (a TOC base, say), from the architecture. */
static int sym_addr(struct kx_purgatory *p, const struct kx_elf_sym *s,
		    const char *name, uint64_t *addr)
{
	if (s->shndx == SHN_ABS) {
		*addr = s->value;
		return 0;
	}
	if (s->shndx == SHN_UNDEF && *name && p->arch->resolve) {
		int rc = p->arch->resolve(p, name, addr);

		if (rc != -ENOENT)
			return rc;
	}
	if (s->shndx == SHN_UNDEF || s->shndx == SHN_COMMON ||
	    s->shndx >= p->elf.shnum || p->secoff[s->shndx] == UINT64_MAX)
		return kx_seterr(p->err, -ENOEXEC,
				 "purgatory: symbol %s is undefined",
				 *name ? name : "(unnamed)");
	*addr = p->base + p->secoff[s->shndx] + s->value;
	return 0;
}

static int relocate_section(struct kx_purgatory *p,
			    const struct kx_elf_shdr *rs)
{
	struct kx_elf *e = &p->elf;
	bool rela = rs->type == SHT_RELA;
	unsigned w = e->is64 ? 8 : 4;
	uint64_t esz = rela ? 3 * w : 2 * w;
	struct kx_elf_shdr target;
	uint64_t tbase;

	if (kx_elf_shdr(e, rs->info, &target) || rs->link != p->symtab_idx)
		return kx_seterr(p->err, -ENOEXEC,
			    "purgatory: bad relocation section");
	tbase = p->secoff[rs->info];
	if (tbase == UINT64_MAX)
		return 0;   /* relocations of a section that is not loaded */
	if (target.type == SHT_NOBITS)
		return kx_seterr(p->err, -ENOEXEC,
			    "purgatory: relocations against a NOBITS section");
	for (uint64_t o = 0; o + esz <= rs->size; o += esz) {
		uint64_t roff = kx_elf_word(e, rs->offset + o, w);
		uint64_t info = kx_elf_word(e, rs->offset + o + w, w);
		struct kx_elf_sym sym;
		struct kx_reloc rel = { 0 };
		uint64_t symidx = e->is64 ? info >> 32 : info >> 8;
		int rc;

		rel.type = (uint32_t)(e->is64 ? info & 0xffffffff : info & 0xff);
		if (rela)
			rel.A = (int64_t)kx_elf_word(e, rs->offset + o + 2 * w, w);
		if (!e->is64 && rela)
			rel.A = (int32_t)rel.A;
		rel.implicit_addend = !rela;
		if (roff >= target.size)
			return kx_seterr(p->err, -ENOEXEC,
				    "purgatory: relocation outside its section");
		rc = kx_elf_sym(e, &p->symtab, symidx, &sym);
		if (rc)
			return kx_seterr(p->err, rc, "purgatory: bad symbol %" PRIu64,
					 symidx);
		rel.sym_name = kx_elf_str(e, p->symtab.link, sym.name);
		if (!rel.sym_name)
			rel.sym_name = "";
		rel.sym_other = sym.other;
		rel.sym_shndx = sym.shndx;
		/* STN_UNDEF: S is 0 (ppc64's R_PPC64_TOC has no symbol) */
		rc = symidx ? sym_addr(p, &sym, rel.sym_name, &rel.S) : 0;
		if (rc)
			return rc;
		rel.P = p->base + tbase + roff;
		rel.loc = p->buf + tbase + roff;
		rel.room = target.size - roff;
		rc = p->arch->apply_reloc(p, &rel);
		if (rc)
			return rc;
	}
	return 0;
}

int kx_purgatory_relocate(struct kx_purgatory *p, uint64_t base)
{
	struct kx_elf *e = &p->elf;

	p->base = base;
	for (unsigned i = 0; i < e->shnum; i++) {
		struct kx_elf_shdr sh;
		int rc;

		if (kx_elf_shdr(e, i, &sh))
			return kx_seterr(p->err, -ENOEXEC,
				    "purgatory: bad section %u", i);
		if (sh.type != SHT_RELA && sh.type != SHT_REL)
			continue;
		rc = relocate_section(p, &sh);
		if (rc)
			return rc;
	}
	return 0;
}

int kx_purgatory_symbol(struct kx_purgatory *p, const char *name,
			struct kx_purgatory_sym *out)
{
	struct kx_elf *e = &p->elf;
	uint64_t n = p->symtab.size / (e->is64 ? 24 : 16);

	for (uint64_t i = 1; i < n; i++) {
		struct kx_elf_sym s;
		struct kx_elf_shdr sh;
		const char *sname;

		if (kx_elf_sym(e, &p->symtab, i, &s))
			return -ENOEXEC;
		sname = kx_elf_str(e, p->symtab.link, s.name);
		if (!sname || strcmp(sname, name))
			continue;
		if (s.shndx == SHN_UNDEF || s.shndx >= e->shnum ||
		    p->secoff[s.shndx] == UINT64_MAX ||
		    kx_elf_shdr(e, s.shndx, &sh) || s.value > sh.size ||
		    s.size > sh.size - s.value)
			return -ENOENT;
		out->addr = p->base + p->secoff[s.shndx] + s.value;
		out->size = s.size;
		out->offset = p->secoff[s.shndx] + s.value;
		out->in_buffer = sh.type != SHT_NOBITS;
		return 0;
	}
	return -ENOENT;
}

int kx_purgatory_set(struct kx_purgatory *p, const char *name,
		     const uint64_t *vals, size_t n)
{
	struct kx_purgatory_sym s;
	unsigned w;

	if (kx_purgatory_symbol(p, name, &s) || !s.in_buffer)
		return kx_seterr(p->err, -ENOEXEC,
			    "purgatory: no data symbol %s", name);
	if (!n || s.size % n || (s.size / n != 4 && s.size / n != 8))
		return kx_seterr(p->err, -ENOEXEC,
			    "purgatory: symbol %s has %" PRIu64
			    " bytes, not %zu words", name, s.size, n);
	w = (unsigned)(s.size / n);
	for (size_t i = 0; i < n; i++) {
		if (w == 4 && vals[i] > UINT32_MAX)
			return kx_seterr(p->err, -ERANGE,
				    "purgatory: 0x%" PRIx64
				    " does not fit the 32-bit %s", vals[i], name);
		kx_put_uint(p->buf + s.offset + i * w, w, vals[i],
			    p->arch->big_endian);
	}
	return 0;
}

/* The digest of @s's bytes followed by @n zero bytes. */
static void digest_with_zeros(const struct kx_segment *s, uint64_t n,
			      uint8_t out[KX_SHA256_LEN])
{
	static const uint8_t zeros[64];
	struct kx_sha256 c;

	kx_sha256_init(&c);
	kx_sha256_update(&c, s->buf, s->bufsz);
	for (; n; n -= n > sizeof(zeros) ? sizeof(zeros) : n)
		kx_sha256_update(&c, zeros, n > sizeof(zeros) ? sizeof(zeros) : n);
	kx_sha256_final(&c, out);
}

/* Fills the digest table, a row per checked segment (with the zeros past
 * it that a boot protocol relies on). */
static int write_digests(struct kx_image *img, struct kx_purgatory *p)
{
	struct kx_purgatory_sym tab;
	uint64_t count = 0;

	if (kx_purgatory_symbol(p, "kx_digests", &tab) || !tab.in_buffer ||
	    tab.size != KX_PURG_MAX_DIGESTS * KX_PURG_DIGEST_SIZE)
		return kx_seterr(p->err, -ENOEXEC, "purgatory: kx_digests is "
				 "missing or has the wrong size");
	for (size_t i = 0; i < img->nseg; i++) {
		struct kx_segment *s = &img->seg[i];
		uint8_t *row = p->buf + tab.offset + count * KX_PURG_DIGEST_SIZE;

		if (img->opts.no_checks) {
			if (!img->opts.no_digests)
				kx_sha256(s->buf, s->bufsz, s->sha256);
			continue;
		}
		kx_sha256(s->buf, s->bufsz, s->sha256);
		kx_put_uint(row, 8, s->mem, p->arch->big_endian);
		kx_put_uint(row + 8, 8, s->bufsz + img->zero_tail[i],
			    p->arch->big_endian);
		memcpy(row + 16, s->sha256, KX_SHA256_LEN);
		if (img->zero_tail[i])
			digest_with_zeros(s, img->zero_tail[i], row + 16);
		s->checked = true;
		count++;
	}
	return kx_purgatory_set(p, "kx_digest_count", &count, 1);
}

/* A purgatory that maps memory for its check (arm64) needs to know its own
 * extent: it has a kx_self symbol for it. */
static int write_self(struct kx_purgatory *p, uint64_t base)
{
	struct kx_purgatory_sym s;
	uint64_t self[2] = { base, p->memsz };

	if (kx_purgatory_symbol(p, "kx_self", &s))
		return 0;
	return kx_purgatory_set(p, "kx_self", self, 2);
}

int kx_image_purgatory_value(struct kx_image *img, const char *name,
			     const uint64_t *vals, size_t n)
{
	struct kx_purg_value *v;

	if (img->npurg_values == KX_ARRAY_SIZE(img->purg_values) || !n ||
	    n > KX_ARRAY_SIZE(v->vals))
		return kx_err(img, -E2BIG, "purgatory: too many values for %s",
			      name);
	v = &img->purg_values[img->npurg_values++];
	v->name = name;
	v->n = n;
	memcpy(v->vals, vals, n * sizeof(vals[0]));
	return 0;
}

int kx_image_purgatory_bytes(struct kx_image *img, const char *name,
			     const void *buf, size_t len)
{
	struct kx_purg_bytes *b;

	if (img->npurg_bytes == KX_ARRAY_SIZE(img->purg_bytes))
		return kx_err(img, -E2BIG, "purgatory: too many values for %s",
			      name);
	b = &img->purg_bytes[img->npurg_bytes++];
	*b = (struct kx_purg_bytes){ .name = name, .buf = buf, .len = len };
	return 0;
}

static int set_bytes(struct kx_purgatory *p, const struct kx_purg_bytes *b)
{
	struct kx_purgatory_sym s;

	if (kx_purgatory_symbol(p, b->name, &s) || !s.in_buffer)
		return kx_seterr(p->err, -ENOEXEC,
				 "purgatory: no data symbol %s", b->name);
	if (s.size != b->len)
		return kx_seterr(p->err, -ENOEXEC,
				 "purgatory: symbol %s has %" PRIu64
				 " bytes, not %zu", b->name, s.size, b->len);
	memcpy(p->buf + s.offset, b->buf, b->len);
	return 0;
}

/* Where the architecture wants it: at its fixed address, or top-down in
 * its window (for a crash load, the one it may give for those). */
static int place(struct kx_image *img, const struct kx_purgatory *p,
		 uint64_t *base)
{
	const struct kx_arch_ops *arch = img->arch;
	struct kx_placed req = { .size = p->memsz, .align = p->align,
				 .min = arch->purgatory_min,
				 .max = arch->purgatory_max ? arch->purgatory_max :
							      UINT64_MAX,
				 .top_down = true };

	if (img->opts.type == KX_IMAGE_CRASH && arch->purgatory_max_crash)
		req.max = arch->purgatory_max_crash;

	if (arch->purgatory_fixed) {
		if (arch->purgatory_fixed % KX_PAGE_SIZE)
			return kx_err(img, -EINVAL, "purgatory: %s fixes it at "
				      "0x%" PRIx64 ", not page aligned",
				      arch->name, arch->purgatory_fixed);
		req.min = kx_image_load_base(img, NULL) + arch->purgatory_fixed;
		req.max = req.min + kx_align_up(p->memsz, KX_PAGE_SIZE) - 1;
	}
	return kx_image_place(img, "the purgatory", req, base);
}

/* Everything the purgatory is told, by symbol. */
static int fill(struct kx_image *img, struct kx_purgatory *p, uint64_t base)
{
	int rc = kx_purgatory_relocate(p, base);

	if (!rc)
		rc = kx_purgatory_set(p, "kx_entry", &img->kernel_entry, 1);
	if (!rc)
		rc = kx_purgatory_set(p, "kx_args", img->kernel_args, 4);
	for (size_t i = 0; !rc && i < img->npurg_values; i++)
		rc = kx_purgatory_set(p, img->purg_values[i].name,
				      img->purg_values[i].vals,
				      img->purg_values[i].n);
	for (size_t i = 0; !rc && i < img->npurg_bytes; i++)
		rc = set_bytes(p, &img->purg_bytes[i]);
	if (!rc)
		rc = write_self(p, base);
	if (!rc)
		rc = write_digests(img, p);
	return rc;
}

int kx_purgatory_load(struct kx_image *img)
{
	struct kx_purgatory p;
	struct kx_purgatory_sym start;
	struct kx_segment *seg;
	uint64_t base;
	int rc;

	if (img->nseg >= KX_PURG_MAX_DIGESTS)
		return kx_err(img, -E2BIG, "too many segments for the purgatory");
	rc = kx_purgatory_open(&p, img->arch);
	if (!rc)
		rc = place(img, &p, &base);
	else
		kx_err(img, rc, "%s", p.err);
	if (rc)
		goto out;
	rc = fill(img, &p, base);
	if (!rc && kx_purgatory_symbol(&p, "purgatory_start", &start))
		rc = kx_seterr(p.err, -ENOEXEC, "purgatory: no purgatory_start");
	if (rc) {
		kx_err(img, rc, "%s", p.err);
		goto out;
	}
	if (img->nowned == KX_ARRAY_SIZE(img->owned)) {
		rc = kx_err(img, -ENOMEM, "out of memory");
		goto out;
	}
	rc = kx_image_add_segment(img, p.buf, p.bufsz, base, p.memsz,
				  KX_SEG_PURGATORY);
	if (rc)
		goto out;
	img->owned[img->nowned++] = p.buf;
	p.buf = NULL;
	img->entry = start.addr;
	seg = &img->seg[img->nseg - 1];
	if (!(img->opts.no_checks && img->opts.no_digests))
		kx_sha256(seg->buf, seg->bufsz, seg->sha256);
out:
	kx_purgatory_close(&p);
	return rc;
}
