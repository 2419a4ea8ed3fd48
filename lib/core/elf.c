/* SPDX-License-Identifier: MIT */
/*
 * The one ELF reader: 32- and 64-bit, either byte order, following the
 * System V ABI's ELF chapter (object file format). Every field is read
 * through the bounds-checked reader.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define ELFCLASS32 1
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define ELFDATA2MSB 2

uint64_t kx_elf_word(struct kx_elf *e, uint64_t off, unsigned size)
{
	const uint8_t *p = kx_rd_bytes(&e->r, off, size);

	return p ? kx_get_uint(p, size, e->big_endian) : 0;
}

int kx_elf_open(struct kx_elf *e, const void *buf, uint64_t len,
		const char *name)
{
	const uint8_t *id;
	struct kx_reader *r = &e->r;

	memset(e, 0, sizeof(*e));
	kx_reader_init(r, buf, len, name);
	id = kx_rd_bytes(r, 0, 16);
	if (!id || memcmp(id, "\x7f" "ELF", 4))
		return kx_seterr(e->err, -ENOEXEC, "%s: not an ELF file", name);
	if ((id[4] != ELFCLASS32 && id[4] != ELFCLASS64) ||
	    (id[5] != ELFDATA2LSB && id[5] != ELFDATA2MSB))
		return kx_seterr(e->err, -ENOEXEC,
				 "%s: unknown ELF class %u or data encoding %u",
				 name, id[4], id[5]);
	e->is64 = id[4] == ELFCLASS64;
	e->big_endian = id[5] == ELFDATA2MSB;
	e->type = (uint16_t)kx_elf_word(e, 16, 2);
	e->machine = (uint16_t)kx_elf_word(e, 18, 2);
	if (e->is64) {
		e->entry = kx_elf_word(e, 24, 8);
		e->phoff = kx_elf_word(e, 32, 8);
		e->phentsize = (uint16_t)kx_elf_word(e, 54, 2);
		e->phnum = (uint16_t)kx_elf_word(e, 56, 2);
		e->shoff = kx_elf_word(e, 40, 8);
		e->shentsize = (uint16_t)kx_elf_word(e, 58, 2);
		e->shnum = (uint16_t)kx_elf_word(e, 60, 2);
		e->shstrndx = (uint16_t)kx_elf_word(e, 62, 2);
	} else {
		e->entry = kx_elf_word(e, 24, 4);
		e->phoff = kx_elf_word(e, 28, 4);
		e->phentsize = (uint16_t)kx_elf_word(e, 42, 2);
		e->phnum = (uint16_t)kx_elf_word(e, 44, 2);
		e->shoff = kx_elf_word(e, 32, 4);
		e->shentsize = (uint16_t)kx_elf_word(e, 46, 2);
		e->shnum = (uint16_t)kx_elf_word(e, 48, 2);
		e->shstrndx = (uint16_t)kx_elf_word(e, 50, 2);
	}
	if (r->failed)
		return kx_seterr(e->err, -ENOEXEC, "%s: truncated ELF header",
				 name);
	if (e->phnum && e->phentsize != (e->is64 ? 56 : 32))
		return kx_seterr(e->err, -ENOEXEC,
				 "%s: unexpected program header size %u", name,
				 e->phentsize);
	if (e->phnum &&
	    !kx_rd_fits(r, e->phoff, (uint64_t)e->phnum * e->phentsize))
		return kx_seterr(e->err, -ENOEXEC,
				 "%s: program headers (%u at 0x%" PRIx64
				 ") run past the end of the file (%" PRIu64
				 " bytes)", name, e->phnum, e->phoff, len);
	if (e->shnum && e->shentsize != (e->is64 ? 64 : 40))
		return kx_seterr(e->err, -ENOEXEC,
				 "%s: unexpected section header size %u", name,
				 e->shentsize);
	if (e->shnum &&
	    !kx_rd_fits(r, e->shoff, (uint64_t)e->shnum * e->shentsize))
		return kx_seterr(e->err, -ENOEXEC,
				 "%s: section headers (%u at 0x%" PRIx64
				 ") run past the end of the file (%" PRIu64
				 " bytes): truncated?", name, e->shnum, e->shoff,
				 len);
	return 0;
}

int kx_elf_shdr(struct kx_elf *e, unsigned idx, struct kx_elf_shdr *sh)
{
	uint64_t o = e->shoff + (uint64_t)idx * e->shentsize;
	unsigned w = e->is64 ? 8 : 4;

	if (idx >= e->shnum)
		return -ERANGE;
	sh->name = (uint32_t)kx_elf_word(e, o, 4);
	sh->type = (uint32_t)kx_elf_word(e, o + 4, 4);
	sh->flags = kx_elf_word(e, o + 8, w);
	sh->addr = kx_elf_word(e, o + 8 + w, w);
	sh->offset = kx_elf_word(e, o + 8 + 2 * w, w);
	sh->size = kx_elf_word(e, o + 8 + 3 * w, w);
	sh->link = (uint32_t)kx_elf_word(e, o + 8 + 4 * w, 4);
	sh->info = (uint32_t)kx_elf_word(e, o + 12 + 4 * w, 4);
	sh->addralign = kx_elf_word(e, o + 16 + 4 * w, w);
	sh->entsize = kx_elf_word(e, o + 16 + 5 * w, w);
	if (e->r.failed)
		return -ENOEXEC;
	if (sh->type != 8 /* SHT_NOBITS */ &&
	    !kx_rd_fits(&e->r, sh->offset, sh->size))
		return -ENOEXEC;
	return 0;
}

const char *kx_elf_str(struct kx_elf *e, unsigned strtab_idx, uint32_t off)
{
	struct kx_elf_shdr sh;
	const char *s;

	if (kx_elf_shdr(e, strtab_idx, &sh) || off >= sh.size)
		return NULL;
	s = (const char *)e->r.buf + sh.offset + off;
	return memchr(s, '\0', sh.size - off) ? s : NULL;
}

int kx_elf_sym(struct kx_elf *e, const struct kx_elf_shdr *symtab, uint64_t idx,
	       struct kx_elf_sym *sym)
{
	uint64_t esz = e->is64 ? 24 : 16;
	uint64_t o = symtab->offset + idx * esz;

	if (idx >= symtab->size / esz)
		return -ERANGE;
	sym->name = (uint32_t)kx_elf_word(e, o, 4);
	if (e->is64) {
		sym->info = (uint8_t)kx_elf_word(e, o + 4, 1);
		sym->other = (uint8_t)kx_elf_word(e, o + 5, 1);
		sym->shndx = (uint16_t)kx_elf_word(e, o + 6, 2);
		sym->value = kx_elf_word(e, o + 8, 8);
		sym->size = kx_elf_word(e, o + 16, 8);
	} else {
		sym->value = kx_elf_word(e, o + 4, 4);
		sym->size = kx_elf_word(e, o + 8, 4);
		sym->info = (uint8_t)kx_elf_word(e, o + 12, 1);
		sym->other = (uint8_t)kx_elf_word(e, o + 13, 1);
		sym->shndx = (uint16_t)kx_elf_word(e, o + 14, 2);
	}
	return e->r.failed ? -ENOEXEC : 0;
}

int kx_elf_phdr(struct kx_elf *e, unsigned idx, struct kx_elf_phdr *ph)
{
	uint64_t o = e->phoff + (uint64_t)idx * e->phentsize;

	if (idx >= e->phnum)
		return -ERANGE;
	ph->type = (uint32_t)kx_elf_word(e, o, 4);
	if (e->is64) {
		ph->flags = (uint32_t)kx_elf_word(e, o + 4, 4);
		ph->offset = kx_elf_word(e, o + 8, 8);
		ph->vaddr = kx_elf_word(e, o + 16, 8);
		ph->paddr = kx_elf_word(e, o + 24, 8);
		ph->filesz = kx_elf_word(e, o + 32, 8);
		ph->memsz = kx_elf_word(e, o + 40, 8);
		ph->align = kx_elf_word(e, o + 48, 8);
	} else {
		ph->offset = kx_elf_word(e, o + 4, 4);
		ph->vaddr = kx_elf_word(e, o + 8, 4);
		ph->paddr = kx_elf_word(e, o + 12, 4);
		ph->filesz = kx_elf_word(e, o + 16, 4);
		ph->memsz = kx_elf_word(e, o + 20, 4);
		ph->flags = (uint32_t)kx_elf_word(e, o + 24, 4);
		ph->align = kx_elf_word(e, o + 28, 4);
	}
	return e->r.failed ? -ENOEXEC : 0;
}

static int check_load(struct kx_elf *e, unsigned i,
		      const struct kx_elf_phdr *ph)
{
	const char *n = e->r.name;

	if (!kx_rd_fits(&e->r, ph->offset, ph->filesz))
		return kx_seterr(e->err, -ENOEXEC,
				 "%s: program header %u: file bytes 0x%" PRIx64
				 "+0x%" PRIx64 " run past the end of the file "
				 "(%" PRIu64 " bytes)", n, i, ph->offset,
				 ph->filesz, e->r.len);
	if (ph->filesz > ph->memsz)
		return kx_seterr(e->err, -ENOEXEC,
				 "%s: program header %u: file size 0x%" PRIx64
				 " is more than its memory size 0x%" PRIx64, n, i,
				 ph->filesz, ph->memsz);
	if (ph->memsz && ph->memsz - 1 > UINT64_MAX - ph->paddr)
		return kx_seterr(e->err, -ENOEXEC,
				 "%s: program header %u: 0x%" PRIx64 "+0x%" PRIx64
				 " wraps around the address space", n, i,
				 ph->paddr, ph->memsz);
	return 0;
}

int kx_elf_check_loads(struct kx_elf *e)
{
	int n = 0;

	for (unsigned i = 0; i < e->phnum; i++) {
		struct kx_elf_phdr a;
		int rc;

		if (kx_elf_phdr(e, i, &a))
			return kx_seterr(e->err, -ENOEXEC,
					 "%s: program header %u unreadable",
					 e->r.name, i);
		if (a.type != KX_PT_LOAD || !a.memsz)
			continue;
		rc = check_load(e, i, &a);
		if (rc)
			return rc;
		for (unsigned j = 0; j < i; j++) {
			struct kx_elf_phdr b;

			if (kx_elf_phdr(e, j, &b) || b.type != KX_PT_LOAD ||
			    !b.memsz)
				continue;
			if (a.paddr <= b.paddr + (b.memsz - 1) &&
			    b.paddr <= a.paddr + (a.memsz - 1))
				return kx_seterr(e->err, -ENOEXEC,
						 "%s: program headers %u and %u "
						 "overlap (0x%" PRIx64 "+0x%" PRIx64
						 " and 0x%" PRIx64 "+0x%" PRIx64 ")",
						 e->r.name, j, i, b.paddr, b.memsz,
						 a.paddr, a.memsz);
		}
		n++;
	}
	if (!n)
		return kx_seterr(e->err, -ENOEXEC,
				 "%s: no loadable segment (no PT_LOAD program "
				 "header)", e->r.name);
	return n;
}
