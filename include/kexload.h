/* SPDX-License-Identifier: MIT */
/*
 * kexload: the public API of libkexload.
 *
 * libkexload does in user space what the kernel's kexec_file_load(2) does:
 * it reads a kernel image, an initrd and a command line as files, recognises
 * the image format, places every piece in free physical memory, adds a
 * relocated purgatory that checks the SHA-256 of every piece before the new
 * kernel runs, and hands the result to kexec_load(2).
 *
 * Conventions (as libfdt): functions return 0 or a negative errno; the
 * message for the last failure is kept in the object that failed and read
 * with kx_image_error() or kx_memmap_error() (the kx_kexec_*() calls keep
 * theirs in the image they are given). The library never prints and never
 * exits; debug output goes through a callback the caller sets.
 * Only kx_kexec_*() make system calls that change kernel state.
 */
#ifndef KEXLOAD_H
#define KEXLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KX_API __attribute__((visibility("default")))

#define KX_SHA256_LEN 32

/* Target architectures. The host's architecture is data, not a build flag. */
enum kx_arch {
	KX_ARCH_NONE = 0,
	KX_ARCH_X86_64,
	KX_ARCH_ARM64,
	KX_ARCH_ARM,
	KX_ARCH_PPC64,
	KX_ARCH_S390X,
};

KX_API const char *kx_arch_name(enum kx_arch arch);
/* Accepts the kexload names and the usual aliases (amd64, aarch64, armhf). */
KX_API int kx_arch_from_name(const char *name, enum kx_arch *arch);
/* The architecture this library was built for. */
KX_API enum kx_arch kx_arch_host(void);

/* ---- memory map ------------------------------------------------------ */

enum kx_mem_type {
	KX_MEM_RAM = 1,     /* usable RAM (e820 type 1) */
	KX_MEM_RESERVED,    /* firmware reserved (e820 type 2) */
	KX_MEM_ACPI,        /* ACPI tables, reclaimable (e820 type 3) */
	KX_MEM_NVS,         /* ACPI non-volatile storage (e820 type 4) */
	KX_MEM_UNUSABLE,    /* bad memory (e820 type 5) */
	KX_MEM_PMEM,        /* persistent memory (e820 type 7) */
	KX_MEM_CRASH,       /* the crashkernel= reservation, inside RAM */
};

/* A physical range, both ends inclusive (as /proc/iomem writes them). */
struct kx_mem_range {
	uint64_t start;
	uint64_t end;
	enum kx_mem_type type;
};

struct kx_memmap;

KX_API int kx_memmap_new(struct kx_memmap **out);
KX_API void kx_memmap_free(struct kx_memmap *map);
KX_API const char *kx_memmap_error(const struct kx_memmap *map);
KX_API int kx_memmap_add(struct kx_memmap *map, uint64_t start, uint64_t end,
			 enum kx_mem_type type);
/* Text in /proc/iomem syntax; @name names the source in error messages. */
KX_API int kx_memmap_parse_iomem(struct kx_memmap *map, const char *name,
				 const char *text, size_t len);
/* One entry of /sys/firmware/memmap/N: its start, end and type files. */
KX_API int kx_memmap_parse_firmware_entry(struct kx_memmap *map,
					  const char *name, const char *start,
					  const char *end, const char *type);
/* "SIZE[@BASE]" with K, M, G, T suffixes: one RAM range. */
KX_API int kx_memmap_parse_ram(struct kx_memmap *map, const char *spec);
/* A file in /proc/iomem syntax, or a directory shaped like
 * /sys/firmware/memmap (N/start, N/end, N/type). */
KX_API int kx_memmap_read_file(struct kx_memmap *map, const char *path);
/* The running machine: /sys/firmware/memmap, else /proc/iomem. */
KX_API int kx_memmap_read_system(struct kx_memmap *map);
/* A byte count: decimal or 0x hex, with an optional K, M, G or T suffix. */
KX_API int kx_parse_size(const char *s, uint64_t *v);
/* Whether the running x86_64 kernel uses 5-level paging (the la57 flag
 * stays in /proc/cpuinfo only when it does). */
KX_API bool kx_machine_five_level(void);
/* The running kernel's command line (/proc/cmdline), for --reuse-cmdline;
 * the caller frees it. */
KX_API int kx_read_cmdline(char **out);
KX_API size_t kx_memmap_count(const struct kx_memmap *map);
KX_API const struct kx_mem_range *kx_memmap_range(const struct kx_memmap *map,
						  size_t i);
KX_API const char *kx_mem_type_name(enum kx_mem_type type);

/* ---- what the firmware left for the next kernel (x86) ---------------- */

/* What a UEFI-booted x86 machine hands the next kernel, as the kernel's own
 * kexec_file does: the EFI system table and runtime memory map (SETUP_EFI),
 * the ACPI RSDP, the framebuffer's screen_info, hardware_subarch. Read
 * from files, so that a plan for a UEFI machine can be made anywhere. */
struct kx_firmware;

KX_API int kx_firmware_new(struct kx_firmware **out);
KX_API void kx_firmware_free(struct kx_firmware *fw);
KX_API const char *kx_firmware_error(const struct kx_firmware *fw);
/* A directory shaped like /sys/firmware/efi: runtime-map/N/{type,
 * phys_addr,virt_addr,num_pages,attribute}, fw_vendor, runtime,
 * config_table and systab (each optional but the runtime map). */
KX_API int kx_firmware_read_efi(struct kx_firmware *fw, const char *dir);
/* The running kernel's boot_params, as /sys/kernel/boot_params/data gives
 * them (4096 bytes, x86): efi_info, screen_info, acpi_rsdp_addr,
 * hardware_subarch, secure_boot. @name names them in messages. */
KX_API int kx_firmware_parse_boot_params(struct kx_firmware *fw,
					 const char *name, const void *buf,
					 size_t len);
KX_API int kx_firmware_read_boot_params(struct kx_firmware *fw,
					const char *path);
/* The running machine: /sys/kernel/boot_params/data and /sys/firmware/efi,
 * each where it exists. */
KX_API int kx_firmware_read_system(struct kx_firmware *fw);
/* Whether the boot_params say the machine booted through UEFI. */
KX_API bool kx_firmware_uefi(const struct kx_firmware *fw);
KX_API size_t kx_firmware_runtime_map_count(const struct kx_firmware *fw);

/* ---- the command line ------------------------------------------------ */

enum kx_image_type {
	KX_IMAGE_NORMAL,
	KX_IMAGE_CRASH,
};

/* The new kernel's command line as kexec-tools builds it: the words of
 * @reused (the running kernel's, for --reuse-cmdline; a quoted value is
 * one word) without BOOT_IMAGE= and, for a crash kernel, without
 * crashkernel=; then @command_line; then @append, these two as given, a
 * space before each. Any part may be NULL or empty. The caller frees
 * *out. */
KX_API int kx_cmdline_build(const char *reused, const char *command_line,
			    const char *append, enum kx_image_type type,
			    char **out);

/* ---- the image ------------------------------------------------------- */

enum kx_segment_kind {
	KX_SEG_KERNEL,
	KX_SEG_INITRD,
	KX_SEG_PARAMS,    /* boot_params, command line, setup_data */
	KX_SEG_DTB,
	KX_SEG_PURGATORY,
	KX_SEG_OTHER,
	KX_SEG_ELFCOREHDR, /* a crash load's ELF core header */
	KX_SEG_BACKUP,     /* where a crash load's purgatory saves low memory
			    * the crash kernel overwrites (ppc64's first
			    * 64 KiB) */
};

struct kx_segment {
	const void *buf;  /* bytes to copy; the rest of memsz is zeroed */
	size_t bufsz;
	uint64_t mem;     /* physical address, page aligned */
	uint64_t memsz;   /* page multiple, >= bufsz */
	enum kx_segment_kind kind;
	uint8_t sha256[KX_SHA256_LEN]; /* of the bufsz bytes at buf */
	bool checked;     /* the purgatory checks this segment at reboot */
};

KX_API const char *kx_segment_kind_name(enum kx_segment_kind kind);

struct kx_load_opts {
	enum kx_arch arch;      /* KX_ARCH_NONE: the image's own */
	const char *kernel;     /* path, required */
	const char *initrd;     /* path or NULL */
	/* More initrds, after @initrd: the initrd segment is the
	 * concatenation of all of them (each padded to 4 bytes), which the
	 * kernel unpacks one archive after the other. */
	const char *const *initrds;
	size_t ninitrds;
	const char *cmdline;    /* or NULL for an empty command line */
	const char *dtb;        /* base device tree, for the architectures
				 * that boot with one; the command passes
				 * /sys/firmware/fdt when none is given */
	const char *acpi_spcr;  /* an ACPI SPCR table: where the device tree
				 * names no console, the purgatory writes to
				 * the one this names; the command passes
				 * /sys/firmware/acpi/tables/SPCR on load */
	uint64_t mem_min;       /* lowest address any segment may use */
	uint64_t mem_max;       /* highest address (inclusive); 0 = no limit */
	bool no_checks;         /* leave the purgatory's SHA-256 check out */
	bool no_digests;        /* with no_checks: compute no segment
				 * digests either (sha256 stays zero), so
				 * that a load touches no input page; a
				 * plan shows them */
	bool five_level_paging; /* x86_64: the running kernel uses 5-level
				 * paging, so a kernel without XLF_5LEVEL
				 * cannot be kexec'ed into (the command
				 * reads it for load: kx_machine_five_level) */
	enum kx_image_type type;
	/* A crash load: what the running kernel says about itself
	 * (kx_crash_info_read), for the ELF core header. Required then,
	 * where the architecture passes one (-ENODATA without it); s390x's
	 * crash kernel builds its own. */
	const struct kx_crash_info *crash;
	/* Start a PE/COFF image through its own EFI stub, in the
	 * purgatory's EFI environment, even where another format knows
	 * the kernel inside (an arm64 Image, a bzImage): only the PE
	 * formats are asked. */
	bool efi_stub;
	/* With efi_stub: the EFI environment prints every service the PE
	 * calls, with its answer, on the purgatory's console (the command
	 * sets it with --debug). A service it lacks is printed always. */
	bool efi_trace;
};

/* A key and value a format reports about an image (for inspect). */
struct kx_info_field {
	const char *key;
	char value[96];
};

#define KX_INFO_MAX_FIELDS 16
#define KX_MAX_WRAPPERS 4

struct kx_info {
	const char *format;         /* "bzImage", ... */
	enum kx_arch arch;
	char version[256];          /* the kernel's version string, or "" */
	const char *compression;    /* "gzip", "xz", ..., "none" or "unknown" */
	uint64_t file_size;
	const char *wrappers[KX_MAX_WRAPPERS]; /* outermost first: "ZBOOT", ... */
	size_t nwrappers;
	size_t nfields;
	struct kx_info_field fields[KX_INFO_MAX_FIELDS];
};

enum kx_log_level { KX_LOG_DEBUG, KX_LOG_INFO, KX_LOG_WARN };
typedef void (*kx_log_fn)(void *arg, enum kx_log_level level, const char *msg);

struct kx_image;

KX_API int kx_image_new(struct kx_image **out);
KX_API void kx_image_free(struct kx_image *img);
KX_API void kx_image_set_log(struct kx_image *img, kx_log_fn fn, void *arg);
/* The memory map used for placement (and x86's e820); copied. */
KX_API int kx_image_set_memmap(struct kx_image *img,
			       const struct kx_memmap *map);
/* What the firmware left for the next kernel (x86: UEFI, ACPI,
 * framebuffer); copied. Without it, boot_params carry none of it. */
KX_API int kx_image_set_firmware(struct kx_image *img,
				 const struct kx_firmware *fw);
/* Random bytes for seeds (KASLR, RNG); default getrandom(2). Tests set a
 * fixed source to get reproducible plans. */
typedef int (*kx_random_fn)(void *arg, void *buf, size_t len);
KX_API void kx_image_set_random(struct kx_image *img, kx_random_fn fn,
				void *arg);

/* An input given as bytes; @name names it in messages. */
struct kx_input {
	const char *name;
	const void *buf;
	size_t len;
};

/* Every input of a load as bytes (kx_image_load_inputs). */
struct kx_inputs {
	struct kx_input kernel;
	const struct kx_input *initrds;   /* concatenated, in order */
	size_t ninitrds;
	struct kx_input dtb;               /* .buf NULL: none */
	struct kx_input acpi_spcr;         /* .buf NULL: none */
};

/* Reads every input (opts->kernel, initrds, dtb, acpi_spcr), probes,
 * loads, places, relocates the purgatory and computes digests. On failure
 * nothing is left in the image and kx_image_error() says why. With
 * opts->arch KX_ARCH_NONE the architecture is the image's own. */
KX_API int kx_image_load(struct kx_image *img, const struct kx_load_opts *opts);
/* The same with every input as bytes; the paths in @opts are ignored.
 * The bytes are not copied: they must outlive the image's load. */
KX_API int kx_image_load_inputs(struct kx_image *img,
				const struct kx_load_opts *opts,
				const struct kx_inputs *in);
/* kx_image_load with the kernel's bytes in memory instead of at
 * opts->kernel, which (if not NULL) only names them in messages. The
 * bytes are copied: the caller may free them when this returns. The other
 * inputs are still read from their paths. */
KX_API int kx_image_load_buffer(struct kx_image *img,
				const struct kx_load_opts *opts,
				const void *kernel, size_t len);
/* The image inside the file at @path, past every wrapper (Image.gz, EFI
 * zboot, uImage), in bytes the image holds until its next load; the
 * wrappers are kx_image_wrapper()'s. */
KX_API int kx_image_unwrap_file(struct kx_image *img, const char *path,
				const void **buf, size_t *len);
/* Probes only and describes the file. */
KX_API int kx_image_inspect(struct kx_image *img, const char *path,
			    struct kx_info *info);
/* The file as a PE/COFF image only, what a load with efi_stub starts:
 * its PE headers and sections, even where another format knows it. */
KX_API int kx_image_inspect_pe(struct kx_image *img, const char *path,
			       struct kx_info *info);
/* The same for bytes in memory; @name (or "buffer") names them in messages. */
KX_API int kx_image_inspect_buffer(struct kx_image *img, const char *name,
				   const void *buf, size_t len,
				   struct kx_info *info);
KX_API const char *kx_image_error(const struct kx_image *img);

/* The formats kexload knows, in the order it asks them: i from 0 until
 * NULL. @arch (may be NULL) gets the architecture (KX_ARCH_NONE for a
 * wrapper), @kexec_names (may be NULL) a NULL-terminated list of the
 * names kexec-tools' --type takes for it. */
KX_API const char *kx_format_name(size_t i, enum kx_arch *arch,
				  const char *const **kexec_names);

KX_API size_t kx_image_segment_count(const struct kx_image *img);
KX_API const struct kx_segment *kx_image_segment(const struct kx_image *img,
						 size_t i);
KX_API uint64_t kx_image_entry(const struct kx_image *img);        /* purgatory */
KX_API uint64_t kx_image_kernel_entry(const struct kx_image *img); /* kernel */
KX_API const char *kx_image_format(const struct kx_image *img);
/* Wrapper formats the kernel was found inside, outermost first. */
KX_API size_t kx_image_wrapper_count(const struct kx_image *img);
KX_API const char *kx_image_wrapper(const struct kx_image *img, size_t i);
KX_API enum kx_arch kx_image_arch(const struct kx_image *img);
KX_API const char *kx_image_cmdline(const struct kx_image *img);
KX_API bool kx_image_checks(const struct kx_image *img);
KX_API enum kx_image_type kx_image_type(const struct kx_image *img);
/* The flags argument kexec_load(2) gets: KEXEC_ARCH_* and KEXEC_ON_CRASH. */
KX_API unsigned long kx_image_kexec_flags(const struct kx_image *img);

/* A PE started through its own EFI stub (kx_load_opts.efi_stub): what
 * its EFI environment will hold, for plans. The map is what the stub's
 * GetMemoryMap gives before it allocates anything (the purgatory's own
 * pages, claimed when it starts, still free in it). */
struct kx_efi_plan_section {
	char name[9];
	uint64_t start, size;        /* where the section lies, laid out */
};
struct kx_efi_plan_table {
	const char *name;            /* "device tree", "ACPI 2.0", ... */
	uint64_t addr;
};
struct kx_efi_plan_range {
	uint64_t start, end;         /* end inclusive */
	uint32_t type;               /* UEFI memory type */
	const char *type_name;       /* "conventional", "loader code", ... */
	bool loader;                 /* a segment: the stub may not free it */
	bool runtime;                /* EFI_MEMORY_RUNTIME */
	uint64_t virt;               /* a runtime region's virtual address */
};
struct kx_efi_plan {
	uint64_t handover;           /* the hand-over block's address */
	bool firmware_runtime;       /* the firmware's runtime services are
				      * handed on */
	size_t nsections, ntables, nranges;
	struct kx_efi_plan_section sections[16];
	struct kx_efi_plan_table tables[8];
	struct kx_efi_plan_range ranges[256];
};
/* 0, or -ENOENT where the image is not a PE started through its stub. */
KX_API int kx_image_efi(const struct kx_image *img, struct kx_efi_plan *out);

/* ---- crash (kdump) ----------------------------------------------------- */

/* A physical range the crashed kernel filled: a CPU's crash notes, the
 * VMCOREINFO note. */
struct kx_crash_note {
	uint64_t addr;
	uint64_t size;
};

/* What the ELF core header of a crash load needs to know about the running
 * kernel, none of it from kallsyms: the crash notes of each possible CPU
 * (/sys/devices/system/cpu/cpuN/crash_notes and crash_notes_size), the
 * VMCOREINFO note (/sys/kernel/vmcoreinfo), and from /proc/kcore's program
 * headers the kernel text's mapping and the linear map's offset. */
struct kx_crash_info {
	struct kx_crash_note *cpus;  /* kx_crash_info_read allocates them */
	size_t ncpus;
	struct kx_crash_note vmcoreinfo;   /* size 0: none */
	uint64_t text_virt;   /* the kernel text's PT_LOAD; size 0: none */
	uint64_t text_phys;
	uint64_t text_size;
	uint64_t linear_offset; /* linear map: virtual = physical + this */
	bool linear;            /* linear_offset is known */
	char err[256];
};

/* Reads @ci from the files under @root ("" or "/" for the running
 * machine; a test's directory tree for plans): sys/devices/system/cpu/
 * {possible,cpuN/crash_notes,cpuN/crash_notes_size}, sys/kernel/vmcoreinfo
 * and proc/kcore. On failure ci->err says which file and why. */
KX_API int kx_crash_info_read(struct kx_crash_info *ci, const char *root);
KX_API void kx_crash_info_release(struct kx_crash_info *ci);
/* Whether the running kernel updates a loaded crash image on CPU and
 * memory hotplug (/sys/devices/system/{cpu,memory}/crash_hotplug). */
KX_API bool kx_crash_hotplug_supported(void);

/* ---- SHA-256 --------------------------------------------------------- */

struct kx_sha256 {
	uint32_t h[8];
	uint64_t len;
	uint8_t buf[64];
	size_t nbuf;
	int accel;     /* use the CPU's SHA-256 instructions */
};

KX_API void kx_sha256_init(struct kx_sha256 *c);
KX_API void kx_sha256_update(struct kx_sha256 *c, const void *data, size_t len);
KX_API void kx_sha256_final(struct kx_sha256 *c, uint8_t out[KX_SHA256_LEN]);
KX_API void kx_sha256(const void *data, size_t len, uint8_t out[KX_SHA256_LEN]);

/* ---- system calls (the only functions that change kernel state) ------ */

/* Each keeps its message, on failure, in @img (kx_image_error()). */
/* kexec_load(2) of the image's segments. */
KX_API int kx_kexec_load(struct kx_image *img);
/* kexec_file_load(2) with the files @opts names, for kernels that demand
 * it; @img only holds the message. */
KX_API int kx_kexec_file_load(struct kx_image *img,
			      const struct kx_load_opts *opts);
/* The kernel file descriptor kx_kexec_file_load hands the kernel: the
 * file as it is, or for a wrapped kernel (Image.gz, EFI zboot) the image
 * inside it in a memfd, since the kernel's own loaders take no wrapper. */
KX_API int kx_kexec_file_kernel_fd(struct kx_image *img,
				   const struct kx_load_opts *opts, int *fd);
/* Unload the normal or crash image, with whichever call the kernel has. */
KX_API int kx_kexec_unload(struct kx_image *img, enum kx_image_type type);
/* sync(2) unless @no_sync, then reboot(2) into the loaded kernel. Returns
 * only on failure. */
KX_API int kx_kexec_exec(struct kx_image *img, bool no_sync);

/* Whether a system call can load a kernel here. */
enum kx_call_state {
	KX_CALL_UNKNOWN,   /* not asked (KEXLOAD_FORBID_KEXEC is set) */
	KX_CALL_AVAILABLE,
	KX_CALL_REFUSED,   /* built in, refused to this caller: see errno */
	KX_CALL_ABSENT,    /* the kernel was built without it (ENOSYS) */
};

struct kx_status {
	bool loaded;
	bool crash_loaded;
	uint64_t crash_size;
	bool kexec_load_disabled;   /* /proc/sys/kernel/kexec_load_disabled */
	char lockdown[32];          /* "none", "integrity", "confidentiality", "" */
	/* Where lockdown came from: "securityfs" (mounted), "securityfs
	 * (mounted privately)" (kexload mounted it in a mount namespace of
	 * its own), or "" (unknown). */
	const char *lockdown_source;
	bool cap_sys_boot;          /* this process may load kernels */
	bool uefi;                  /* /sys/firmware/efi: booted through UEFI */
	/* Each call asked with flags no kernel accepts, which loads
	 * nothing: EINVAL means it is there and would be allowed. */
	enum kx_call_state kexec_load;
	int kexec_load_errno;       /* with KX_CALL_REFUSED: EPERM, EACCES */
	enum kx_call_state kexec_file_load;
	int kexec_file_load_errno;
};
KX_API int kx_kexec_status(struct kx_status *st);
KX_API const char *kx_call_state_name(enum kx_call_state s);

/* After kx_kexec_load failed with @err (a negative errno) on a machine in
 * @st: whether kexec_file_load(2) may load the kernel instead (a locked
 * down kernel, an IMA policy that appraises kernels, a kernel with no
 * kexec_load). @why (may be NULL) gets the cause, for a note. */
KX_API bool kx_kexec_falls_back(int err, const struct kx_status *st,
				const char **why);
/* The message for a refused call: @call ("kexec_load",
 * "kexec_file_load") failed with @err (a positive errno) loading @kernel
 * on a machine in @st. Written to @out; returns -@err. */
KX_API int kx_kexec_explain(char *out, size_t len, int err, const char *call,
			    const char *kernel, const struct kx_status *st);

#ifdef __cplusplus
}
#endif

#endif
