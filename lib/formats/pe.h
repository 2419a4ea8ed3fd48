/* SPDX-License-Identifier: MIT */
/*
 * PE/COFF images as a UEFI firmware loader sees them (Microsoft's PE
 * Format specification; UEFI 2.10, section 2.1.1 "UEFI Images"): the
 * headers and section table, checked against the file, and the image
 * laid out at its section alignment. Shared by the PE format
 * (lib/formats/pe.c) and the architectures' EFI boot stages.
 */
#ifndef KX_FORMATS_PE_H
#define KX_FORMATS_PE_H

#include "../core/internal.h"

#define KX_PE_MACHINE_I386 0x014c
#define KX_PE_MACHINE_ARMNT 0x01c2
#define KX_PE_MACHINE_AMD64 0x8664
#define KX_PE_MACHINE_ARM64 0xaa64
#define KX_PE_MACHINE_RISCV64 0x5064
#define KX_PE_MACHINE_LOONGARCH64 0x6264

/* The PE specification's limit on NumberOfSections for images. */
#define KX_PE_MAX_SECTIONS 96
/* The largest SectionAlignment taken: a firmware allocates pages, and no
 * EFI image aligns sections beyond a 2 MiB block. */
#define KX_PE_MAX_SECTION_ALIGN (2ULL << 20)
/* The largest SizeOfImage taken (no kernel comes near it). */
#define KX_PE_MAX_IMAGE (1ULL << 30)

struct kx_pe_section {
	char name[9];          /* NUL-terminated; "/4" names are kept as is */
	uint32_t vsize;        /* VirtualSize (its raw size where 0) */
	uint32_t va;           /* VirtualAddress, an RVA */
	uint32_t raw_size;     /* SizeOfRawData */
	uint32_t raw_ptr;      /* PointerToRawData */
	uint32_t flags;        /* Characteristics */
};

struct kx_pe {
	uint16_t machine;
	bool pe32plus;             /* optional header magic 0x20b */
	uint16_t characteristics;
	uint16_t subsystem;
	uint16_t dll_characteristics;
	uint32_t entry;            /* AddressOfEntryPoint, an RVA */
	uint64_t image_base;
	uint32_t section_align;
	uint32_t file_align;
	uint32_t size_of_image;
	uint32_t size_of_headers;
	uint32_t reloc_rva;        /* the base relocation directory */
	uint32_t reloc_size;
	uint16_t nsections;
	struct kx_pe_section sec[KX_PE_MAX_SECTIONS];
};

/* "MZ" and a "PE\0\0" signature where e_lfanew says: 0 and the machine,
 * or -ENOEXEC. Cheap: a probe's question. */
int kx_pe_machine(struct kx_reader *r, uint16_t *machine);
/* Every header and section checked against the file and each other; 0,
 * or a negative errno with "NAME: problem" in @err. */
int kx_pe_parse(struct kx_reader *r, struct kx_pe *pe, char err[KX_ERR_LEN]);
/* The image as a loader lays it out at @base: the headers, each section's
 * bytes at its RVA, base relocations applied for @base. @*len bytes (the
 * rest of SizeOfImage is zeros) in a buffer the image owns. */
int kx_pe_layout(struct kx_image *img, struct kx_reader *r,
		 const struct kx_pe *pe, uint64_t base, const uint8_t **out,
		 uint64_t *len);
const char *kx_pe_machine_name(uint16_t machine);
const char *kx_pe_subsystem_name(uint16_t subsystem);

#endif
