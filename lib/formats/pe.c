/* SPDX-License-Identifier: MIT */
/*
 * PE/COFF images started through their own EFI stub, following Microsoft's
 * PE Format specification and UEFI 2.10 section 2.1.1: a DOS header ("MZ",
 * e_lfanew at 0x3c), the "PE\0\0" signature, the COFF file header, the
 * optional header (PE32 or PE32+) and the section table. Every field is
 * checked against the file before it is used; the image is laid out the
 * way a firmware's LoadImage does it (headers, then each section's bytes
 * at its RVA, the rest zeros, base relocations applied), at its section
 * alignment. Entered at AddressOfEntryPoint with the EFI calling
 * convention by the purgatory's EFI environment: the architecture's
 * boot_efi stage builds what it needs.
 *
 * The format is asked after every format that knows the kernel inside a
 * PE (an arm64 Image, a bzImage, an EFI zboot are PEs too): it only takes
 * the PEs nobody else does, unless the load asks for the EFI stub
 * (kx_load_opts.efi_stub), when it is the only one asked.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "pe.h"

#define DOS_LFANEW 0x3c
#define COFF_SIZE 20
#define PE32_MAGIC 0x10b
#define PE32PLUS_MAGIC 0x20b
#define SECTION_SIZE 40
#define MAX_DIRS 16
#define DIR_BASERELOC 5
#define FILE_RELOCS_STRIPPED 0x0001
#define SCN_MEM_EXECUTE 0x20000000u
#define SCN_MEM_READ 0x40000000u
#define SCN_MEM_WRITE 0x80000000u
#define REL_ABSOLUTE 0
#define REL_HIGHLOW 3
#define REL_DIR64 10

const char *kx_pe_machine_name(uint16_t machine)
{
	switch (machine) {
	case KX_PE_MACHINE_I386: return "i386";
	case KX_PE_MACHINE_ARMNT: return "ARM Thumb-2";
	case KX_PE_MACHINE_AMD64: return "x86_64";
	case KX_PE_MACHINE_ARM64: return "arm64";
	case KX_PE_MACHINE_RISCV64: return "riscv64";
	case KX_PE_MACHINE_LOONGARCH64: return "loongarch64";
	default: return "unknown";
	}
}

const char *kx_pe_subsystem_name(uint16_t subsystem)
{
	switch (subsystem) {
	case 10: return "EFI application";
	case 11: return "EFI boot service driver";
	case 12: return "EFI runtime driver";
	case 13: return "EFI ROM";
	default: return "not EFI";
	}
}

int kx_pe_machine(struct kx_reader *r, uint16_t *machine)
{
	uint32_t lfanew;

	if (kx_rd_le16(r, 0) != 0x5a4d || r->failed)   /* "MZ" */
		return -ENOEXEC;
	lfanew = kx_rd_le32(r, DOS_LFANEW);
	if (kx_rd_le32(r, lfanew) != 0x00004550u || r->failed)  /* "PE\0\0" */
		return -ENOEXEC;
	*machine = kx_rd_le16(r, (uint64_t)lfanew + 4);
	return r->failed ? -ENOEXEC : 0;
}

/* The optional header's fields, PE32 or PE32+; @opt is its offset. */
static int parse_optional(struct kx_reader *r, struct kx_pe *pe, uint64_t opt,
			  uint16_t opt_size, char err[KX_ERR_LEN])
{
	uint16_t magic = kx_rd_le16(r, opt);
	uint64_t dirs, ndirs_off;
	uint32_t ndirs;

	if (r->failed)
		return kx_seterr(err, -EINVAL, "%s: truncated PE optional header",
				 r->name);
	if (magic != PE32_MAGIC && magic != PE32PLUS_MAGIC)
		return kx_seterr(err, -EINVAL, "%s: PE optional header magic "
				 "0x%x is neither PE32 (0x10b) nor PE32+ (0x20b)",
				 r->name, magic);
	pe->pe32plus = magic == PE32PLUS_MAGIC;
	ndirs_off = pe->pe32plus ? 108 : 92;
	if (opt_size < ndirs_off + 4)
		return kx_seterr(err, -EINVAL, "%s: PE SizeOfOptionalHeader %u "
				 "is too small for a %s optional header",
				 r->name, opt_size, pe->pe32plus ? "PE32+" : "PE32");
	pe->entry = kx_rd_le32(r, opt + 16);
	pe->image_base = pe->pe32plus ? kx_rd_le64(r, opt + 24) :
					kx_rd_le32(r, opt + 28);
	pe->section_align = kx_rd_le32(r, opt + 32);
	pe->file_align = kx_rd_le32(r, opt + 36);
	pe->size_of_image = kx_rd_le32(r, opt + 56);
	pe->size_of_headers = kx_rd_le32(r, opt + 60);
	pe->subsystem = kx_rd_le16(r, opt + 68);
	pe->dll_characteristics = kx_rd_le16(r, opt + 70);
	ndirs = kx_rd_le32(r, opt + ndirs_off);
	dirs = opt + ndirs_off + 4;
	if (ndirs > MAX_DIRS || dirs + 8ULL * ndirs > opt + opt_size)
		return kx_seterr(err, -EINVAL, "%s: PE NumberOfRvaAndSizes %u "
				 "does not fit its optional header (%u bytes)",
				 r->name, ndirs, opt_size);
	if (ndirs > DIR_BASERELOC) {
		pe->reloc_rva = kx_rd_le32(r, dirs + 8 * DIR_BASERELOC);
		pe->reloc_size = kx_rd_le32(r, dirs + 8 * DIR_BASERELOC + 4);
	}
	if (r->failed)
		return kx_seterr(err, -EINVAL, "%s: truncated PE optional header",
				 r->name);
	return 0;
}

static int check_alignment(struct kx_reader *r, const struct kx_pe *pe,
			   char err[KX_ERR_LEN])
{
	if (!kx_is_pow2(pe->section_align) ||
	    pe->section_align > KX_PE_MAX_SECTION_ALIGN)
		return kx_seterr(err, -EINVAL, "%s: PE SectionAlignment 0x%x is "
				 "not a power of two up to 2 MiB", r->name,
				 pe->section_align);
	if (!kx_is_pow2(pe->file_align) || pe->file_align > pe->section_align)
		return kx_seterr(err, -EINVAL, "%s: PE FileAlignment 0x%x is not "
				 "a power of two up to SectionAlignment 0x%x",
				 r->name, pe->file_align, pe->section_align);
	if (!pe->size_of_image || pe->size_of_image > KX_PE_MAX_IMAGE ||
	    pe->size_of_image % pe->section_align)
		return kx_seterr(err, -EINVAL, "%s: PE SizeOfImage 0x%x is not a "
				 "multiple of SectionAlignment 0x%x up to 1 GiB",
				 r->name, pe->size_of_image, pe->section_align);
	if (pe->size_of_headers > r->len)
		return kx_seterr(err, -EINVAL, "%s: truncated: the PE headers "
				 "(SizeOfHeaders 0x%x) run past the end of the "
				 "file (0x%" PRIx64 " bytes)", r->name,
				 pe->size_of_headers, r->len);
	if (pe->size_of_headers > pe->size_of_image)
		return kx_seterr(err, -EINVAL, "%s: PE SizeOfHeaders 0x%x is "
				 "more than SizeOfImage 0x%x", r->name,
				 pe->size_of_headers, pe->size_of_image);
	return 0;
}

static uint64_t section_end(const struct kx_pe_section *s)
{
	return (uint64_t)s->va + s->vsize;
}

/* One section header at @off, checked alone. */
static int parse_section(struct kx_reader *r, struct kx_pe *pe, uint64_t off,
			 struct kx_pe_section *s, char err[KX_ERR_LEN])
{
	const uint8_t *name = kx_rd_bytes(r, off, 8);

	if (!name)
		return kx_seterr(err, -EINVAL, "%s: the PE section table runs "
				 "past the end of the file", r->name);
	memcpy(s->name, name, 8);
	s->name[8] = '\0';
	for (size_t i = 0; s->name[i]; i++)
		if (s->name[i] < ' ' || s->name[i] > '~')
			s->name[i] = '?';
	s->vsize = kx_rd_le32(r, off + 8);
	s->va = kx_rd_le32(r, off + 12);
	s->raw_size = kx_rd_le32(r, off + 16);
	s->raw_ptr = kx_rd_le32(r, off + 20);
	s->flags = kx_rd_le32(r, off + 36);
	if (!s->vsize)
		s->vsize = s->raw_size;
	if (s->raw_size &&
	    (uint64_t)s->raw_ptr + s->raw_size > r->len)
		return kx_seterr(err, -EINVAL, "%s: PE section %s's data "
				 "(0x%x bytes at 0x%x) runs past the end of the "
				 "file (0x%" PRIx64 " bytes)", r->name, s->name,
				 s->raw_size, s->raw_ptr, r->len);
	/* A section's RVA off SectionAlignment is not refused: firmware
	 * loads such images (EDK2 checks where a section's data is in the
	 * file, not where its RVA falls), and Debian 12's x86_64
	 * systemd-stub is one (.sdmagic at 0x19100, SectionAlignment
	 * 0x200). The layout copies each section to its RVA whatever it is. */
	if (s->va < pe->size_of_headers)
		return kx_seterr(err, -EINVAL, "%s: PE section %s at RVA 0x%x "
				 "overlaps the headers (0x%x bytes)", r->name,
				 s->name, s->va, pe->size_of_headers);
	if (section_end(s) > pe->size_of_image)
		return kx_seterr(err, -EINVAL, "%s: PE section %s (RVA 0x%x, "
				 "0x%x bytes) ends past SizeOfImage 0x%x",
				 r->name, s->name, s->va, s->vsize,
				 pe->size_of_image);
	return 0;
}

/* No two sections share a byte of the image. */
static int check_overlaps(struct kx_reader *r, const struct kx_pe *pe,
			  char err[KX_ERR_LEN])
{
	for (unsigned i = 0; i < pe->nsections; i++)
		for (unsigned j = i + 1; j < pe->nsections; j++) {
			const struct kx_pe_section *a = &pe->sec[i];
			const struct kx_pe_section *b = &pe->sec[j];

			if (a->va < section_end(b) && b->va < section_end(a) &&
			    a->vsize && b->vsize)
				return kx_seterr(err, -EINVAL, "%s: PE sections "
						 "%s (RVA 0x%x-0x%" PRIx64 ") and "
						 "%s (RVA 0x%x-0x%" PRIx64 ") overlap",
						 r->name, a->name, a->va,
						 section_end(a) - 1, b->name,
						 b->va, section_end(b) - 1);
		}
	return 0;
}

static int check_entry(struct kx_reader *r, const struct kx_pe *pe,
		       char err[KX_ERR_LEN])
{
	for (unsigned i = 0; i < pe->nsections; i++)
		if (pe->entry >= pe->sec[i].va &&
		    pe->entry < section_end(&pe->sec[i]))
			return 0;
	return kx_seterr(err, -EINVAL, "%s: PE AddressOfEntryPoint 0x%x is in "
			 "no section", r->name, pe->entry);
}

int kx_pe_parse(struct kx_reader *r, struct kx_pe *pe, char err[KX_ERR_LEN])
{
	uint32_t lfanew;
	uint64_t opt, sections;
	uint16_t opt_size;
	int rc;

	memset(pe, 0, sizeof(*pe));
	if (kx_pe_machine(r, &pe->machine))
		return kx_seterr(err, -ENOEXEC, "%s: not a PE/COFF image (no "
				 "\"MZ\" header with a \"PE\" signature)", r->name);
	lfanew = kx_rd_le32(r, DOS_LFANEW);
	pe->nsections = kx_rd_le16(r, (uint64_t)lfanew + 6);
	opt_size = kx_rd_le16(r, (uint64_t)lfanew + 20);
	pe->characteristics = kx_rd_le16(r, (uint64_t)lfanew + 22);
	if (r->failed)
		return kx_seterr(err, -EINVAL, "%s: truncated COFF file header",
				 r->name);
	if (!pe->nsections || pe->nsections > KX_PE_MAX_SECTIONS)
		return kx_seterr(err, -EINVAL, "%s: PE NumberOfSections %u is not "
				 "1 to %d", r->name, pe->nsections,
				 KX_PE_MAX_SECTIONS);
	opt = (uint64_t)lfanew + 4 + COFF_SIZE;
	rc = parse_optional(r, pe, opt, opt_size, err);
	if (!rc)
		rc = check_alignment(r, pe, err);
	if (rc)
		return rc;
	sections = opt + opt_size;
	if (sections + (uint64_t)SECTION_SIZE * pe->nsections >
	    pe->size_of_headers)
		return kx_seterr(err, -EINVAL, "%s: the PE section table ends "
				 "past SizeOfHeaders 0x%x", r->name,
				 pe->size_of_headers);
	for (unsigned i = 0; i < pe->nsections; i++) {
		rc = parse_section(r, pe, sections + (uint64_t)SECTION_SIZE * i,
				   &pe->sec[i], err);
		if (rc)
			return rc;
	}
	rc = check_overlaps(r, pe, err);
	if (!rc)
		rc = check_entry(r, pe, err);
	if (!rc && pe->reloc_size &&
	    (uint64_t)pe->reloc_rva + pe->reloc_size > pe->size_of_image)
		rc = kx_seterr(err, -EINVAL, "%s: the PE base relocation table "
			       "(RVA 0x%x, 0x%x bytes) ends past SizeOfImage",
			       r->name, pe->reloc_rva, pe->reloc_size);
	return rc;
}

/* Base relocations for a load at @base (PE Format, ".reloc"): blocks of a
 * page RVA, a block size and 16-bit entries (type << 12 | offset). */
static int relocate(struct kx_image *img, const char *name,
		    const struct kx_pe *pe, uint8_t *buf, uint64_t len,
		    uint64_t base)
{
	uint64_t delta = base - pe->image_base;
	uint64_t off = pe->reloc_rva, end = off + pe->reloc_size;
	struct kx_reader r;

	if (!delta || !pe->reloc_size)
		return 0;
	kx_reader_init(&r, buf, len, name);
	while (off + 8 <= end) {
		uint32_t page = kx_rd_le32(&r, off);
		uint32_t size = kx_rd_le32(&r, off + 4);

		if (r.failed || size < 8 || size % 2 || off + size > end)
			return kx_err(img, -EINVAL, "%s: PE base relocation block "
				      "at RVA 0x%" PRIx64 " is malformed", name,
				      off);
		for (uint64_t e = off + 8; e < off + size; e += 2) {
			uint16_t v = kx_rd_le16(&r, e);
			unsigned type = v >> 12;
			uint64_t at = (uint64_t)page + (v & 0xfff);
			unsigned n = type == REL_DIR64 ? 8 : 4;

			if (type == REL_ABSOLUTE)
				continue;
			if ((type != REL_DIR64 || !pe->pe32plus) &&
			    (type != REL_HIGHLOW || pe->pe32plus))
				return kx_err(img, -ENOTSUP, "%s: PE base "
					      "relocation type %u at RVA 0x%"
					      PRIx64 " is not one kexload applies",
					      name, type, at);
			if (at + n > len)
				return kx_err(img, -EINVAL, "%s: PE base "
					      "relocation at RVA 0x%" PRIx64
					      " is outside the image's data",
					      name, at);
			kx_put_uint(buf + at, n,
				    kx_get_uint(buf + at, n, false) + delta,
				    false);
		}
		off += size;
	}
	return 0;
}

int kx_pe_layout(struct kx_image *img, struct kx_reader *r,
		 const struct kx_pe *pe, uint64_t base, const uint8_t **out,
		 uint64_t *len)
{
	uint64_t n = pe->size_of_headers;
	uint8_t *buf;

	/* Only as far as the last byte of data: the rest is zeros kexec
	 * writes anyway, and a kernel's BSS can be most of an image. */
	for (unsigned i = 0; i < pe->nsections; i++) {
		const struct kx_pe_section *s = &pe->sec[i];
		uint64_t data = s->raw_size < s->vsize ? s->raw_size : s->vsize;

		if (data && s->va + data > n)
			n = s->va + data;
	}
	if (pe->reloc_size && (uint64_t)pe->reloc_rva + pe->reloc_size > n)
		n = (uint64_t)pe->reloc_rva + pe->reloc_size;
	buf = kx_image_alloc(img, (size_t)n);
	if (!buf)
		return kx_err(img, -ENOMEM, "%s: out of memory for the PE image "
			      "(%" PRIu64 " bytes)", r->name, n);
	memcpy(buf, r->buf, pe->size_of_headers);
	for (unsigned i = 0; i < pe->nsections; i++) {
		const struct kx_pe_section *s = &pe->sec[i];
		uint64_t data = s->raw_size < s->vsize ? s->raw_size : s->vsize;

		if (data)
			memcpy(buf + s->va, r->buf + s->raw_ptr, (size_t)data);
	}
	*out = buf;
	*len = n;
	return relocate(img, r->name, pe, buf, n, base);
}

/* ---- the format ---------------------------------------------------------- */

static const char *const section_keys[] = {
	"section 0", "section 1", "section 2", "section 3",
	"section 4", "section 5", "section 6",
};

static void describe(const struct kx_pe *pe, struct kx_info *info)
{
	unsigned shown = 0;

	kx_info_add(info, "pe_machine", "0x%04x (%s)", pe->machine,
		    kx_pe_machine_name(pe->machine));
	kx_info_add(info, "pe_subsystem", "%u (%s)", pe->subsystem,
		    kx_pe_subsystem_name(pe->subsystem));
	kx_info_add(info, "pe_entry", "0x%x", pe->entry);
	kx_info_add(info, "pe_image_base", "0x%" PRIx64, pe->image_base);
	kx_info_add(info, "pe_section_alignment", "0x%x", pe->section_align);
	kx_info_add(info, "pe_file_alignment", "0x%x", pe->file_align);
	kx_info_add(info, "pe_size_of_image", "0x%x", pe->size_of_image);
	kx_info_add(info, "pe_size_of_headers", "0x%x", pe->size_of_headers);
	kx_info_add(info, "pe_sections", "%u", pe->nsections);
	for (unsigned i = 0; i < pe->nsections &&
	     info->nfields < KX_INFO_MAX_FIELDS; i++) {
		const struct kx_pe_section *s = &pe->sec[i];

		if (shown == KX_ARRAY_SIZE(section_keys))
			break;
		kx_info_add(info, section_keys[shown++],
			    "%s rva 0x%x size 0x%x file 0x%x+0x%x %c%c%c",
			    s->name, s->va, s->vsize, s->raw_ptr, s->raw_size,
			    s->flags & SCN_MEM_READ ? 'r' : '-',
			    s->flags & SCN_MEM_WRITE ? 'w' : '-',
			    s->flags & SCN_MEM_EXECUTE ? 'x' : '-');
	}
}

/* A PE for @want: the deep checks too, so that inspect describes it and a
 * broken one is refused with its reason. */
static int pe_probe_machine(struct kx_image *img, struct kx_reader *r,
			    struct kx_info *info, uint16_t want)
{
	struct kx_pe *pe;
	uint16_t machine;
	int rc;

	if (kx_pe_machine(r, &machine) || machine != want)
		return -ENOEXEC;
	pe = kx_image_alloc(img, sizeof(*pe));
	if (!pe)
		return kx_err(img, -ENOMEM, "out of memory");
	rc = kx_pe_parse(r, pe, img->err);
	if (rc)
		return rc == -ENOEXEC ? -EINVAL : rc;
	if (pe->subsystem < 10 || pe->subsystem > 12)
		return kx_err(img, -EINVAL, "%s: a PE for subsystem %u (%s), not "
			      "an EFI application or driver", r->name,
			      pe->subsystem, kx_pe_subsystem_name(pe->subsystem));
	if (!pe->pe32plus)
		return kx_err(img, -EINVAL, "%s: a PE32 (32-bit) image for a "
			      "64-bit machine (%s)", r->name,
			      kx_pe_machine_name(machine));
	kx_find_linux_version(r->buf, r->len, info->version,
			      sizeof(info->version));
	describe(pe, info);
	return 0;
}

static int pe_probe_arm64(struct kx_image *img, struct kx_reader *r,
			  struct kx_info *info)
{
	return pe_probe_machine(img, r, info, KX_PE_MACHINE_ARM64);
}

/* Asked last of the PE formats: it also refuses a PE of any machine but
 * arm64's by name. */
static int pe_probe_x86_64(struct kx_image *img, struct kx_reader *r,
			   struct kx_info *info)
{
	uint16_t machine;

	if (kx_pe_machine(r, &machine))
		return -ENOEXEC;
	if (machine != KX_PE_MACHINE_AMD64 && machine != KX_PE_MACHINE_ARM64)
		return kx_err(img, -ENOTSUP, "%s: a PE/COFF image for machine "
			      "0x%04x (%s), which kexload cannot start", r->name,
			      machine, kx_pe_machine_name(machine));
	return pe_probe_machine(img, r, info, KX_PE_MACHINE_AMD64);
}

static bool has_section(const struct kx_pe *pe, const char *name)
{
	for (unsigned i = 0; i < pe->nsections; i++)
		if (!strcmp(pe->sec[i].name, name))
			return true;
	return false;
}

/* A UKI (systemd-stub with .linux) and what kexload would give it on
 * top of its own sections. It puts its .initrd on the initrd media path
 * itself, and systemd-stub (v252, Debian 12) starts nothing when another
 * is there already: refused now, not at reboot. Without Secure Boot it
 * takes the LoadOptions it is given over its .cmdline, whole: said, as
 * a user who only meant to add a word would lose the rest. */
static int uki_checks(struct kx_image *img, const char *name,
		      const struct kx_pe *pe)
{
	if (!has_section(pe, ".linux"))
		return 0;
	if (has_section(pe, ".initrd") &&
	    img->in.ninitrds > img->in.nformat_initrds)
		return kx_err(img, -EINVAL, "%s: a UKI with an initrd of its "
			      "own (.initrd): its systemd-stub starts no kernel "
			      "when --initrd is given too (EFI_ALREADY_STARTED "
			      "on the initrd media path); leave --initrd out",
			      name);
	if (has_section(pe, ".cmdline") && img->cmdline && img->cmdline[0])
		kx_log(img, KX_LOG_WARN, "%s: the command line given replaces "
		       "the UKI's own (.cmdline) whole: its systemd-stub takes "
		       "it instead, unless Secure Boot is on", name);
	return 0;
}

static int pe_load(struct kx_image *img, struct kx_reader *r,
		   struct kx_boot *boot)
{
	struct kx_pe *pe = kx_image_alloc(img, sizeof(*pe));
	uint64_t base, len, size, align;
	const uint8_t *buf;
	int rc;

	if (!pe)
		return kx_err(img, -ENOMEM, "out of memory");
	rc = kx_pe_parse(r, pe, img->err);
	if (!rc)
		rc = uki_checks(img, r->name, pe);
	if (rc)
		return rc;
	size = kx_align_up(pe->size_of_image, KX_PAGE_SIZE);
	align = pe->section_align > KX_PAGE_SIZE ? pe->section_align :
						    KX_PAGE_SIZE;
	/* Without relocations the image runs only at its ImageBase. */
	if (pe->characteristics & FILE_RELOCS_STRIPPED)
		rc = kx_image_place(img, "the PE image", (struct kx_placed){
			.size = size, .align = align, .min = pe->image_base,
			.max = pe->image_base + size - 1 }, &base);
	else if (img->arch->arch == KX_ARCH_X86_64)
		/* Where a PC's firmware loads images: the top of the RAM
		 * below 4 GiB, clear of the first MiB's BIOS data. */
		rc = kx_image_place(img, "the PE image", (struct kx_placed){
			.size = size, .align = align, .min = 1ULL << 20,
			.max = 0xffffffffULL, .top_down = true }, &base);
	else
		rc = kx_image_place(img, "the PE image", (struct kx_placed){
			.size = size, .align = align, .min = 0,
			.max = UINT64_MAX }, &base);
	if (!rc)
		rc = kx_pe_layout(img, r, pe, base, &buf, &len);
	if (!rc)
		rc = kx_image_add_segment(img, buf, (size_t)len, base, size,
					  KX_SEG_KERNEL);
	if (rc)
		return rc;
	boot->kernel = &img->seg[img->nseg - 1];
	boot->entry = base + pe->entry;
	boot->pe = pe;
	kx_log(img, KX_LOG_DEBUG, "%s: PE for %s at 0x%" PRIx64 ", entry RVA "
	       "0x%x, %u sections, SectionAlignment 0x%x", r->name,
	       kx_pe_machine_name(pe->machine), base, pe->entry, pe->nsections,
	       pe->section_align);
	for (unsigned i = 0; i < pe->nsections; i++)
		kx_log(img, KX_LOG_DEBUG, "  PE section %-8s at 0x%" PRIx64
		       ", 0x%x bytes (0x%x from the file)", pe->sec[i].name,
		       base + pe->sec[i].va, pe->sec[i].vsize,
		       pe->sec[i].raw_size < pe->sec[i].vsize ?
			       pe->sec[i].raw_size : pe->sec[i].vsize);
	/* The stub reads the initrd through LoadFile2 into memory of its
	 * own: where it waits does not matter to the kernel. */
	boot->initrd_req = (struct kx_placed){ .align = KX_PAGE_SIZE,
					       .max = UINT64_MAX,
					       .top_down = true };
	return 0;
}

const struct kx_format kx_format_pe_arm64 = {
	.name = "PE (EFI stub)",
	.arch = KX_ARCH_ARM64,
	.probe = pe_probe_arm64,
	.load = pe_load,
};

const struct kx_format kx_format_pe_x86_64 = {
	.name = "PE (EFI stub)",
	.arch = KX_ARCH_X86_64,
	.probe = pe_probe_x86_64,
	.load = pe_load,
};
