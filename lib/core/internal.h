/* SPDX-License-Identifier: MIT */
/*
 * Library-internal declarations: the image being built (the one context a
 * load hangs off), the bounds-checked reader, the format and architecture
 * operation tables, and the helpers the pipeline stages share.
 */
#ifndef KX_INTERNAL_H
#define KX_INTERNAL_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kexload.h"

#define KX_PAGE_SIZE 4096ULL
#define KX_MAX_SEGMENTS 16
#define KX_MAX_INITRDS 16
#define KX_MAX_FILES (KX_MAX_INITRDS + 4)
#define KX_ERR_LEN 512
/* The most a pipe or a device (anything but a regular file) may give for
 * one input: reading stops there with an error, so that /dev/zero or an
 * endless pipe cannot take all memory. Regular files are mapped, whatever
 * their size. Documented in kexload(8). */
#define KX_MAX_STREAM (512ULL << 20)
/* A pipe or device that gives nothing for this long is given up on. */
#define KX_STREAM_TIMEOUT_MS 10000
/* The most wrapper formats may unwrap to, all of a load's wrappers
 * together: no kernel comes near it. */
#define KX_MAX_UNWRAPPED (1ULL << 30)

#define KX_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The one error convention: a function returns 0 or a negative errno, and
 * the object that failed keeps the message in its err member (an image, a
 * memory map, an ELF file, a purgatory, a file). This writes one and
 * returns @code. */
int kx_seterr(char err[KX_ERR_LEN], int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static inline uint64_t kx_align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static inline uint64_t kx_align_down(uint64_t v, uint64_t a)
{
	return v & ~(a - 1);
}

static inline bool kx_is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

/* Several initrds as the one the kernel gets: each part but the last
 * padded with zeros to 4 bytes (the kernel's initramfs unpacker skips zeros
 * between archives, and wants each cpio header 4-byte aligned). Returns
 * the joined size; writes the bytes to @dst unless it is NULL. Used for
 * both load paths (pipeline.c, and kexec_file_load's memfd). */
uint64_t kx_initrds_join(const struct kx_input *parts, size_t n, uint8_t *dst);

/* ---- bounds-checked reader --------------------------------------------
 * Every header is parsed through it. Reads past the end return 0 and make
 * the reader "failed" (sticky, first failure kept), so a parser reads the
 * fields it needs and checks once; nothing outside buf is ever touched. */
struct kx_reader {
	const uint8_t *buf;
	uint64_t len;
	const char *name;    /* file name, for messages */
	bool failed;
	uint64_t fail_off;   /* the first read that did not fit */
	uint64_t fail_len;
};

void kx_reader_init(struct kx_reader *r, const void *buf, uint64_t len,
		    const char *name);
bool kx_rd_fits(const struct kx_reader *r, uint64_t off, uint64_t len);
uint8_t kx_rd_u8(struct kx_reader *r, uint64_t off);
uint16_t kx_rd_le16(struct kx_reader *r, uint64_t off);
uint32_t kx_rd_le32(struct kx_reader *r, uint64_t off);
uint64_t kx_rd_le64(struct kx_reader *r, uint64_t off);
uint16_t kx_rd_be16(struct kx_reader *r, uint64_t off);
uint32_t kx_rd_be32(struct kx_reader *r, uint64_t off);
uint64_t kx_rd_be64(struct kx_reader *r, uint64_t off);
/* Pointer to len bytes at off, or NULL (and failed) if they do not fit. */
const uint8_t *kx_rd_bytes(struct kx_reader *r, uint64_t off, uint64_t len);
/* A NUL-terminated string starting at off, at most max bytes long; copies
 * up to outlen - 1 printable characters. Returns false if no NUL in reach. */
bool kx_rd_cstr(struct kx_reader *r, uint64_t off, uint64_t max, char *out,
		size_t outlen);

/* kx_seterr on a memory map (lib/sys reads them). */
int kx_memmap_seterr(struct kx_memmap *map, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ---- files --------------------------------------------------------- */

struct kx_file {
	char *path;
	const uint8_t *data;
	uint64_t size;
	bool mapped;        /* mmap'ed (else malloc'ed) */
	char err[KX_ERR_LEN];
};

/* Maps a regular file, or reads anything else (a pipe, a device, a /sys
 * attribute that cannot be mapped) up to KX_MAX_STREAM bytes. Never blocks
 * on a FIFO without a writer. An empty file is an error. */
int kx_file_open(struct kx_file *f, const char *path);
void kx_file_close(struct kx_file *f);
/* Reads a small text file whole (for /proc and /sys); NUL-terminated. */
int kx_read_text(const char *path, char **out, size_t *len);

/* ---- formats ----------------------------------------------------------- */

struct kx_image;
struct kx_boot;
struct kx_pe;
struct kx_efi_handover;

struct kx_format {
	const char *name;
	enum kx_arch arch;
	/* The names kexec-tools' -t/--type takes for this format. */
	const char *const *kexec_names;
	/* 0: mine, -ENOEXEC: not mine, other: mine but broken (message set). */
	int (*probe)(struct kx_image *img, struct kx_reader *r,
		     struct kx_info *info);
	/* Places the kernel and says, in @boot, where it is entered and
	 * where its initrd and boot data may go (see struct kx_boot). */
	int (*load)(struct kx_image *img, struct kx_reader *r,
		    struct kx_boot *boot);
	/* Wrapper formats have unwrap instead of load: the inner image, in a
	 * buffer the image owns, named for messages ("vmlinuz (gzip)"). */
	int (*unwrap)(struct kx_image *img, struct kx_reader *r,
		      struct kx_reader *inner);
	/* For an architecture of both byte orders: this format's images are
	 * big endian (kx_arch_ops_order). */
	bool big_endian;
};

extern const struct kx_format *const kx_formats[];
/* The formats asked when a load wants the EFI stub (kx_load_opts.efi_stub):
 * the PE ones only. */
extern const struct kx_format *const kx_formats_pe[];

void kx_info_add(struct kx_info *info, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *kx_compression_by_magic(const uint8_t *p, uint64_t len);
/* The "Linux version ..." banner in an uncompressed kernel, up to the end
 * of its line; false (and "" in @out) if there is none. */
bool kx_find_linux_version(const uint8_t *p, uint64_t len, char *out,
			   size_t outlen);

/* ---- architectures ------------------------------------------------------ */

struct kx_reloc {
	uint32_t type;
	uint64_t S;        /* symbol address */
	int64_t A;         /* addend */
	uint64_t P;        /* address of the place */
	uint8_t *loc;      /* the place, in the purgatory buffer */
	uint64_t room;     /* bytes available at loc */
	bool implicit_addend; /* REL: the addend is in the place (ARM) */
	const char *sym_name; /* the symbol's name, or "" */
	uint8_t sym_other;    /* its st_other (ppc64 ELFv2: local entry) */
	uint16_t sym_shndx;   /* its section (ppc64 ELFv1: .opd) */
};

struct kx_purgatory;

struct kx_arch_ops {
	enum kx_arch arch;
	const char *name;
	uint16_t elf_machine;
	bool big_endian;
	bool elf64;
	unsigned long kexec_arch;   /* KEXEC_ARCH_* << 16 */
	const uint8_t *purgatory;   /* relocatable ELF object */
	const size_t *purgatory_size;
	/* The last byte any segment may use, where the architecture has
	 * such a limit (0: none); kx_image_place applies it to every
	 * request. */
	uint64_t segment_max;
	/* Where the purgatory may go: the window [purgatory_min,
	 * purgatory_max] (0: up to segment_max), or exactly at
	 * purgatory_fixed when that is set (the architecture, not the hole
	 * finder, decides; in a crash load it is counted from the crash
	 * region's start, kx_image_load_base). */
	uint64_t purgatory_min;
	uint64_t purgatory_max;
	/* For a crash load, where the crash region alone bounds it (0: the
	 * same purgatory_max): ppc64's running kernel puts the region in
	 * its real mode area, which may end above purgatory_max. */
	uint64_t purgatory_max_crash;
	uint64_t purgatory_fixed;
	/* Patches one relocation; 0, or a negative errno with the message in
	 * p->err. @p gives the context: symbols, sections, the TOC or GOT. */
	int (*apply_reloc)(struct kx_purgatory *p, const struct kx_reloc *rel);
	/* Optional: the address of a symbol the purgatory object leaves
	 * undefined (a TOC base, say); -ENOENT if the architecture has none. */
	int (*resolve)(struct kx_purgatory *p, const char *name, uint64_t *addr);
	/* The boot data and entry registers: after the format placed the
	 * kernel and the pipeline the initrd, this places what the new
	 * kernel reads at boot (boot_params, a device tree, ...) and sets
	 * img->kernel_entry and img->kernel_args. */
	int (*boot)(struct kx_image *img, struct kx_boot *boot);
	/* The same for a PE started through its own EFI stub (boot->pe):
	 * the purgatory's EFI environment and what it hands the stub.
	 * NULL where the purgatory cannot start a PE. */
	int (*boot_efi)(struct kx_image *img, struct kx_boot *boot);
	/* The longest command line its kernels take (characters, without
	 * the NUL), where the image does not say; 0: no limit known. */
	uint64_t cmdline_max;
	/* The largest page size its kernels run with, where more than
	 * KX_PAGE_SIZE (ppc64's 64 KiB): kexec_load wants every segment's
	 * start and size in whole pages of the running kernel. */
	uint64_t page_size;
	/* It boots with a device tree: the load's tree's /memreserve/ and
	 * /reserved-memory are kept clear of every segment (kx_dt_reserve). */
	bool dt_reservations;
	/* Its boot stage hands a crash kernel the ELF core header (and the
	 * memory it may use); without it crash loads are refused. */
	bool crash;
	/* The bytes from physical 0 that a crash kernel overwrites as it
	 * starts (ppc64's interrupt vectors: 64 KiB), 0 for none: a crash
	 * load places a backup segment that size, the purgatory copies
	 * them there before it enters the crash kernel, and the core
	 * header's PT_LOAD for them reads the copy. */
	uint64_t crash_backup;
	/* Its crash kernel builds the ELF core header itself (s390x, from
	 * the old memory the purgatory swapped into the crash region and
	 * the CPUs' save areas): none is built or passed. */
	bool crash_own_header;
};

const struct kx_arch_ops *kx_arch_ops(enum kx_arch arch);
/* For an architecture of both byte orders (ppc64): the operations whose
 * purgatory the running kernel can enter. That is the byte order of this
 * library where it runs on such a machine (a kernel runs user space of its
 * own byte order only), else (a plan made elsewhere) @image_big_endian. */
const struct kx_arch_ops *kx_arch_ops_order(enum kx_arch arch,
					    bool image_big_endian);

/* ---- firmware data (lib/core/firmware.c reads bytes, lib/sys/efi.c files) */

/* One EFI memory descriptor of the runtime map (UEFI spec,
 * EFI_MEMORY_DESCRIPTOR; the padding after type is not kept). */
struct kx_efi_desc {
	uint32_t type;
	uint64_t phys_addr;
	uint64_t virt_addr;
	uint64_t num_pages;
	uint64_t attribute;
};

#define KX_SCREEN_INFO_SIZE 0x40

struct kx_firmware {
	char err[KX_ERR_LEN];
	/* From the running kernel's boot_params. */
	bool have_boot_params;
	uint32_t efi_loader_signature;   /* "EL64" for a 64-bit UEFI boot */
	uint64_t efi_systab;
	uint32_t efi_memdesc_version;
	uint32_t efi_memmap_size;        /* the boot's map: 0 if not UEFI */
	uint8_t screen_info[KX_SCREEN_INFO_SIZE];
	uint64_t acpi_rsdp;
	uint32_t hardware_subarch;
	uint64_t hardware_subarch_data;
	uint8_t secure_boot;
	/* From a directory shaped like /sys/firmware/efi. */
	bool have_efi;
	uint64_t fw_vendor, runtime, config_table, smbios, acpi20;
	uint64_t smbios3;                /* systab SMBIOS3= (0: none) */
	struct kx_efi_desc *map;         /* the runtime map, in order */
	size_t nmap;
	bool have_map;                   /* runtime-map/ was there */
};

int kx_firmware_seterr(struct kx_firmware *fw, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int kx_firmware_add_desc(struct kx_firmware *fw, const struct kx_efi_desc *d);

/* ---- the image: the one context a load hangs off ------------------------ */

struct kx_placed {      /* a hole request for the shared finder */
	uint64_t size;
	uint64_t align;
	uint64_t min;
	uint64_t max;       /* inclusive */
	bool top_down;
	bool crash;         /* inside the crashkernel= reservation only: set
			     * by kx_image_place for crash loads, never by a
			     * format */
};

/* The inputs stage's result: every input as bytes, read once, up front,
 * before any format is asked. Formats and architectures read these, never
 * paths. */
struct kx_load_inputs {
	struct kx_input kernel;
	/* The initrd's parts in order: a format's own first (a UKI's
	 * .initrd), then every --initrd; the segment is their
	 * concatenation, each part padded to 4 bytes as the kernel's
	 * initramfs unpacker wants. */
	struct kx_input initrds[KX_MAX_INITRDS];
	size_t ninitrds;
	size_t nformat_initrds;     /* how many of them the format added */
	struct kx_input dtb;        /* buf NULL: none given */
	struct kx_input acpi_spcr;  /* buf NULL: none given */
};

/* What a format's load tells the pipeline and the architecture. */
struct kx_boot {
	const struct kx_segment *kernel;  /* placed by the format */
	uint64_t entry;                    /* the kernel's entry point */
	/* Where the initrd may go (its size is set by the pipeline), and a
	 * sentence for the error when it does not fit ("" for none). */
	struct kx_placed initrd_req;
	const char *initrd_room;
	/* Tried first, where initrd_req.min is lower: the lowest address the
	 * kernel's own loader would use while there is room above it. */
	uint64_t initrd_prefer_min;
	/* Where the device tree may go, where the format knows better than
	 * the architecture (size 0: the architecture's rule). */
	struct kx_placed dtb_req;
	/* A device tree the image carries (an appended DTB), used when the
	 * load gives none. */
	struct kx_input dtb_fallback;
	/* The header the architecture's boot data starts from (x86's setup
	 * header), if it has one. */
	struct kx_input boot_header;
	uint64_t cmdline_max;   /* the longest command line it takes, 0: any */
	/* Set by the pipeline: the initrd's segment, or NULL. */
	const struct kx_segment *initrd;
	/* A PE to start through its own EFI stub (lib/formats/pe.c): the
	 * architecture's boot_efi stage builds its EFI environment. */
	const struct kx_pe *pe;
};

struct kx_image {
	char err[KX_ERR_LEN];
	kx_log_fn log_fn;
	void *log_arg;
	kx_random_fn random_fn;
	void *random_arg;
	/* The map this load places in: the caller's (kx_image_set_memmap),
	 * or, once a stage adds to it (a device tree's reservations), this
	 * load's copy, with the caller's kept in set_memmap until the next
	 * load starts. */
	struct kx_memmap *memmap;
	struct kx_memmap *set_memmap;
	struct kx_firmware *firmware;   /* kx_image_set_firmware, or NULL */

	struct kx_load_opts opts;
	struct kx_load_inputs in;
	/* The tables the pipeline asks; the library's own, or a test's. */
	const struct kx_format *const *formats;
	const struct kx_arch_ops *arch;
	const struct kx_format *format;
	const char *wrappers[KX_MAX_WRAPPERS];   /* outermost first */
	size_t nwrappers;
	char *cmdline;

	struct kx_file files[KX_MAX_FILES];
	size_t nfiles;
	void *owned[KX_MAX_SEGMENTS * 4];   /* buffers built by the stages */
	size_t nowned;

	struct kx_segment seg[KX_MAX_SEGMENTS];
	size_t nseg;
	/* Per segment: bytes past bufsz that the boot protocol relies on
	 * being zero, which the purgatory checks with the segment. */
	uint64_t zero_tail[KX_MAX_SEGMENTS];

	uint64_t kernel_entry;
	uint64_t kernel_args[4];   /* registers the purgatory hands over */
	/* A PE started through its own EFI stub (kx_image_efi): the PE and
	 * where it lies, the hand-over block and where it lies. */
	const struct kx_pe *pe;
	uint64_t pe_base;
	const struct kx_efi_handover *efi;
	uint64_t efi_at;
	struct kx_purg_value {     /* more purgatory symbols, by name */
		const char *name;
		uint64_t vals[2];
		size_t n;
	} purg_values[6];
	size_t npurg_values;
	struct kx_purg_bytes {     /* purgatory symbols filled with bytes */
		const char *name;
		const void *buf;
		size_t len;
	} purg_bytes[2];
	size_t npurg_bytes;
	uint64_t entry;            /* where kexec starts: the purgatory */
	/* A crash load's ELF core header (lib/core/crash.c), for the
	 * architecture to hand on; 0 for a normal load. */
	uint64_t elfcorehdr;
	uint64_t elfcorehdr_size;  /* page multiple */
	/* Where a crash load's backup of [0, crash_backup_size) goes (the
	 * architecture's crash_backup; lib/core/crash.c), 0: none. */
	uint64_t crash_backup;
	uint64_t crash_backup_size;
	/* What wrappers may unwrap into, all of a load's together (one
	 * budget, so that nested wrappers cannot multiply it): the limit
	 * (KX_MAX_UNWRAPPED; tests lower it) and what this load used. */
	uint64_t unwrap_limit;
	uint64_t unwrapped;
	bool loaded;
};

/* Empties the image for the next load, its message included. */
void kx_image_reset(struct kx_image *img);
/* The same after a failure: the message stays for kx_image_error(). */
void kx_image_reset_keep_error(struct kx_image *img);
/* kx_seterr on the image. */
int kx_err(struct kx_image *img, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void kx_log(struct kx_image *img, enum kx_log_level lvl, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A message for a reader that failed: "NAME: truncated ..." */
int kx_err_truncated(struct kx_image *img, const struct kx_reader *r,
		     const char *what);

void *kx_image_alloc(struct kx_image *img, size_t size); /* zeroed, owned */
/* A string the image owns, for reader names ("vmlinuz (gzip)"). */
const char *kx_image_name(struct kx_image *img, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Decompresses "gzip", "xz", "lzma" or "zstd" data into a buffer the image
 * owns, at most @max bytes and at most what is left of the load's unwrap
 * budget; @out reads it, named "NAME (METHOD)". */
int kx_decompress(struct kx_image *img, const char *name, const char *method,
		  const uint8_t *in, size_t len, size_t max,
		  struct kx_reader *out);
int kx_image_random(struct kx_image *img, void *buf, size_t len);
/* Opens a file the image keeps until it is reset (the inputs stage's job;
 * nothing after it opens files). */
int kx_image_open(struct kx_image *img, const char *path,
		  const struct kx_file **out);
/* Adds an initrd part of the format's own, ahead of the user's. */
int kx_image_add_format_initrd(struct kx_image *img, const char *name,
			       const void *buf, size_t len);

/* Where a load's fixed addresses count from: 0 for a normal load, the
 * start of the crash region for a crash load (an architecture whose
 * kernel runs where it was loaded only after the purgatory moved it
 * there, as s390x's kdump kernel, places at this base plus its fixed
 * addresses); @size, if not NULL, gets the crash region's size (0 for a
 * normal load or a map without one). */
uint64_t kx_image_load_base(const struct kx_image *img, uint64_t *size);

/* Applies --mem-min/--mem-max and the load type (a crash load places
 * everything inside the crash region) to a request, then finds a hole
 * that avoids every segment placed so far. */
int kx_image_place(struct kx_image *img, const char *what,
		   struct kx_placed req, uint64_t *addr);
int kx_image_add_segment(struct kx_image *img, const void *buf, size_t bufsz,
			 uint64_t mem, uint64_t memsz,
			 enum kx_segment_kind kind);
/* The purgatory also checks that the @len bytes after @seg's copied bytes
 * are still zero (kexec zeroes them; a boot protocol relies on them, as
 * the zImage on the word after _edata), without hashing the rest of the
 * segment's zeros. */
int kx_image_check_zeros(struct kx_image *img, const struct kx_segment *seg,
			 uint64_t len);

/* The shared hole finder (kexec_locate_mem_hole's job). */
/* The memory map of this load, for a stage that adds ranges to it: a copy
 * of the caller's, made on first use, that the next load forgets. */
int kx_image_load_memmap(struct kx_image *img, struct kx_memmap **out);
void kx_image_forget_load_memmap(struct kx_image *img);

int kx_memmap_find_hole(const struct kx_memmap *map, const struct kx_placed *req,
			const struct kx_segment *used, size_t nused,
			uint64_t *addr);

/* The memory-mapped console an ACPI SPCR table describes, as kx_uart[2]
 * (purgatory_abi.h); a table that is not sound is logged and gives none. */
int kx_spcr_console(struct kx_image *img, const uint8_t *buf, uint64_t len,
		    const char *name, uint64_t uart[2]);

/* ---- crash loads (lib/core/crash.c) ----------------------------------- */

/* The crash stage: for a crash load, builds the ELF core header from
 * img->opts.crash and the memory map, places it in the crash region and
 * sets img->elfcorehdr; nothing for a normal load. */
int kx_crash_load(struct kx_image *img);

/* ---- purgatory -------------------------------------------------------- */

/* The digest table and console description, shared with the purgatories. */
#include "purgatory_abi.h"

/* The purgatory stage: loads, places, relocates and fills the purgatory,
 * and (with checks on) the digest table. */
int kx_purgatory_load(struct kx_image *img);
/* A format's or architecture's value for a purgatory symbol of its own
 * (a console address, say), written when the purgatory is loaded; the
 * symbol must exist and hold @n words. */
int kx_image_purgatory_value(struct kx_image *img, const char *name,
			     const uint64_t *vals, size_t n);
/* The same for a symbol filled with @len bytes (which must be its size),
 * such as ppc64's copy of the new kernel's first bytes. @buf must live as
 * long as the load. */
int kx_image_purgatory_bytes(struct kx_image *img, const char *name,
			     const void *buf, size_t len);

/* ---- ELF (one reader for the purgatory and, later, ELF kernels) --------- */

struct kx_elf {
	struct kx_reader r;
	bool is64;
	bool big_endian;
	uint16_t type;
	uint16_t machine;
	uint64_t entry;
	uint64_t phoff;
	uint16_t phentsize;
	uint16_t phnum;
	uint64_t shoff;
	uint16_t shentsize;
	uint16_t shnum;
	uint16_t shstrndx;
	char err[KX_ERR_LEN];
};

struct kx_elf_shdr {
	uint32_t name;
	uint32_t type;
	uint64_t flags;
	uint64_t addr;
	uint64_t offset;
	uint64_t size;
	uint32_t link;
	uint32_t info;
	uint64_t addralign;
	uint64_t entsize;
};

struct kx_elf_sym {
	uint32_t name;
	uint8_t info;
	uint8_t other;
	uint16_t shndx;
	uint64_t value;
	uint64_t size;
};

struct kx_elf_phdr {
	uint32_t type;
	uint32_t flags;
	uint64_t offset;
	uint64_t vaddr;
	uint64_t paddr;
	uint64_t filesz;
	uint64_t memsz;
	uint64_t align;
};

#define KX_PT_LOAD 1

int kx_elf_open(struct kx_elf *e, const void *buf, uint64_t len,
		const char *name);
/* Program header @idx (read as it is: see kx_elf_check_loads). */
int kx_elf_phdr(struct kx_elf *e, unsigned idx, struct kx_elf_phdr *ph);
/* Checks every PT_LOAD against the file and the others: its file bytes
 * inside the file, filesz <= memsz, no wrap, no two overlapping in
 * physical memory, at least one. Returns how many there are, or a
 * negative errno with the message in e->err. */
int kx_elf_check_loads(struct kx_elf *e);
int kx_elf_shdr(struct kx_elf *e, unsigned idx, struct kx_elf_shdr *sh);
const char *kx_elf_str(struct kx_elf *e, unsigned strtab_idx, uint32_t off);
int kx_elf_sym(struct kx_elf *e, const struct kx_elf_shdr *symtab, uint64_t idx,
	       struct kx_elf_sym *sym);
uint64_t kx_elf_word(struct kx_elf *e, uint64_t off, unsigned size);

/* Writes @v as a @size byte integer in the target's byte order. */
void kx_put_uint(uint8_t *p, unsigned size, uint64_t v, bool big_endian);
uint64_t kx_get_uint(const uint8_t *p, unsigned size, bool big_endian);

#endif
