/* SPDX-License-Identifier: MIT */
/*
 * The purgatory loader's steps, exposed for the library and its tests:
 * open (parse and lay out), relocate at a base address, find and write
 * symbols.
 */
#ifndef KX_PURGATORY_H
#define KX_PURGATORY_H

#include "internal.h"

struct kx_purgatory {
	const struct kx_arch_ops *arch;
	struct kx_elf elf;
	struct kx_elf_shdr symtab;
	unsigned symtab_idx;
	uint64_t *secoff;   /* per section: offset in the image, or UINT64_MAX */
	uint8_t *buf;       /* bufsz bytes: the sections with contents */
	uint64_t bufsz;
	uint64_t memsz;     /* with the NOBITS sections (stack) */
	uint64_t align;
	uint64_t base;
	char err[KX_ERR_LEN];   /* the message of the last failure */
};

struct kx_purgatory_sym {
	uint64_t addr;
	uint64_t size;
	uint64_t offset;    /* in buf */
	bool in_buffer;     /* false for NOBITS */
};

int kx_purgatory_open(struct kx_purgatory *p, const struct kx_arch_ops *arch);
int kx_purgatory_relocate(struct kx_purgatory *p, uint64_t base);
int kx_purgatory_symbol(struct kx_purgatory *p, const char *name,
			struct kx_purgatory_sym *out);
int kx_purgatory_set(struct kx_purgatory *p, const char *name,
		     const uint64_t *vals, size_t n);
void kx_purgatory_close(struct kx_purgatory *p);

#endif
