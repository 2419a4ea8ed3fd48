/* SPDX-License-Identifier: MIT */
/*
 * The image (the kernel's "kimage"): the one context a load hangs off, and
 * the services every stage calls on it: errors and logging, buffers the
 * image owns, random bytes, placement and segments. The pipeline that
 * fills it is lib/core/pipeline.c; nothing here calls a format, an
 * architecture or the purgatory loader.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "internal.h"

static int default_random(void *arg, void *buf, size_t len)
{
	uint8_t *p = buf;

	(void)arg;
	while (len) {
		ssize_t n = getrandom(p, len, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int kx_image_new(struct kx_image **out)
{
	struct kx_image *img = calloc(1, sizeof(*img));

	if (!img)
		return -ENOMEM;
	img->random_fn = default_random;
	img->formats = kx_formats;
	img->unwrap_limit = KX_MAX_UNWRAPPED;
	*out = img;
	return 0;
}

static void image_reset(struct kx_image *img)
{
	for (size_t i = 0; i < img->nfiles; i++)
		kx_file_close(&img->files[i]);
	for (size_t i = 0; i < img->nowned; i++)
		free(img->owned[i]);
	free(img->cmdline);
	img->cmdline = NULL;
	img->nfiles = img->nowned = img->nseg = 0;
	memset(&img->in, 0, sizeof(img->in));
	img->unwrapped = 0;
	img->format = NULL;
	img->nwrappers = 0;
	img->arch = NULL;
	img->entry = img->kernel_entry = 0;
	img->pe = NULL;
	img->efi = NULL;
	img->pe_base = img->efi_at = 0;
	img->elfcorehdr = img->elfcorehdr_size = 0;
	img->crash_backup = img->crash_backup_size = 0;
	memset(img->kernel_args, 0, sizeof(img->kernel_args));
	img->npurg_values = 0;
	img->npurg_bytes = 0;
	memset(&img->opts, 0, sizeof(img->opts));
	img->loaded = false;
	kx_image_forget_load_memmap(img);
}

void kx_image_free(struct kx_image *img)
{
	if (!img)
		return;
	image_reset(img);
	kx_memmap_free(img->memmap);
	kx_firmware_free(img->firmware);
	free(img);
}

void kx_image_set_log(struct kx_image *img, kx_log_fn fn, void *arg)
{
	img->log_fn = fn;
	img->log_arg = arg;
}

void kx_image_set_random(struct kx_image *img, kx_random_fn fn, void *arg)
{
	img->random_fn = fn ? fn : default_random;
	img->random_arg = arg;
}

static int memmap_copy(const struct kx_memmap *map, struct kx_memmap **out)
{
	struct kx_memmap *copy;
	int rc = kx_memmap_new(&copy);

	for (size_t i = 0; !rc && i < kx_memmap_count(map); i++) {
		const struct kx_mem_range *r = kx_memmap_range(map, i);

		rc = kx_memmap_add(copy, r->start, r->end, r->type);
	}
	if (rc) {
		kx_memmap_free(copy);
		return rc;
	}
	*out = copy;
	return 0;
}

int kx_image_set_memmap(struct kx_image *img, const struct kx_memmap *map)
{
	struct kx_memmap *copy;
	int rc = memmap_copy(map, &copy);

	if (rc)
		return rc;
	kx_image_forget_load_memmap(img);
	kx_memmap_free(img->memmap);
	img->memmap = copy;
	return 0;
}

int kx_image_load_memmap(struct kx_image *img, struct kx_memmap **out)
{
	int rc;

	if (!img->set_memmap) {
		struct kx_memmap *copy;

		rc = memmap_copy(img->memmap, &copy);
		if (rc)
			return rc;
		img->set_memmap = img->memmap;
		img->memmap = copy;
	}
	*out = img->memmap;
	return 0;
}

void kx_image_forget_load_memmap(struct kx_image *img)
{
	if (!img->set_memmap)
		return;
	kx_memmap_free(img->memmap);
	img->memmap = img->set_memmap;
	img->set_memmap = NULL;
}

int kx_err(struct kx_image *img, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(img->err, sizeof(img->err), fmt, ap);
	va_end(ap);
	return code;
}

void kx_image_reset(struct kx_image *img)
{
	image_reset(img);
	img->err[0] = '\0';
}

void kx_image_reset_keep_error(struct kx_image *img)
{
	image_reset(img);
}

void kx_log(struct kx_image *img, enum kx_log_level lvl, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (!img->log_fn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	img->log_fn(img->log_arg, lvl, msg);
}

int kx_err_truncated(struct kx_image *img, const struct kx_reader *r,
		     const char *what)
{
	return kx_err(img, -EINVAL,
		      "%s: truncated: %s needs bytes 0x%" PRIx64 "-0x%" PRIx64
		      " but the file has only %" PRIu64 " bytes",
		      r->name, what, r->fail_off, r->fail_off + r->fail_len - 1,
		      r->len);
}

const char *kx_image_error(const struct kx_image *img)
{
	return img->err;
}

void *kx_image_alloc(struct kx_image *img, size_t size)
{
	void *p;

	if (img->nowned == KX_ARRAY_SIZE(img->owned))
		return NULL;
	p = calloc(1, size ? size : 1);
	if (p)
		img->owned[img->nowned++] = p;
	return p;
}

const char *kx_image_name(struct kx_image *img, const char *fmt, ...)
{
	char tmp[512];
	char *p;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	p = kx_image_alloc(img, strlen(tmp) + 1);
	if (!p)
		return "(out of memory)";
	memcpy(p, tmp, strlen(tmp) + 1);
	return p;
}

int kx_image_random(struct kx_image *img, void *buf, size_t len)
{
	int rc = img->random_fn(img->random_arg, buf, len);

	if (rc)
		return kx_err(img, rc, "cannot get random bytes: %s",
			      strerror(-rc));
	return 0;
}

int kx_image_open(struct kx_image *img, const char *path,
		  const struct kx_file **out)
{
	struct kx_file *f;
	int rc;

	if (img->nfiles == KX_MAX_FILES)
		return kx_err(img, -EMFILE, "%s: too many files (at most %d)",
			      path, KX_MAX_FILES);
	f = &img->files[img->nfiles];
	rc = kx_file_open(f, path);
	if (rc)
		return kx_err(img, rc, "%s", f->err);
	img->nfiles++;
	*out = f;
	return 0;
}

int kx_image_add_format_initrd(struct kx_image *img, const char *name,
			       const void *buf, size_t len)
{
	struct kx_load_inputs *in = &img->in;

	if (in->ninitrds == KX_MAX_INITRDS)
		return kx_err(img, -E2BIG, "%s: too many initrds (at most %d)",
			      name, KX_MAX_INITRDS);
	memmove(in->initrds + in->nformat_initrds + 1,
		in->initrds + in->nformat_initrds,
		(in->ninitrds - in->nformat_initrds) * sizeof(in->initrds[0]));
	in->initrds[in->nformat_initrds++] =
		(struct kx_input){ .name = name, .buf = buf, .len = len };
	in->ninitrds++;
	return 0;
}

static bool has_crash_region(const struct kx_memmap *map)
{
	for (size_t i = 0; i < kx_memmap_count(map); i++)
		if (kx_memmap_range(map, i)->type == KX_MEM_CRASH)
			return true;
	return false;
}

uint64_t kx_image_load_base(const struct kx_image *img, uint64_t *size)
{
	if (size)
		*size = 0;
	if (img->opts.type != KX_IMAGE_CRASH || !img->memmap)
		return 0;
	for (size_t i = 0; i < kx_memmap_count(img->memmap); i++) {
		const struct kx_mem_range *r = kx_memmap_range(img->memmap, i);

		if (r->type != KX_MEM_CRASH)
			continue;
		if (size)
			*size = r->end - r->start + 1;
		return r->start;
	}
	return 0;
}

int kx_image_place(struct kx_image *img, const char *what,
		   struct kx_placed req, uint64_t *addr)
{
	uint64_t lim = img->opts.mem_max ? img->opts.mem_max : UINT64_MAX;
	int rc;
	uint64_t pg = img->arch && img->arch->page_size ? img->arch->page_size :
							  KX_PAGE_SIZE;

	if (req.align < pg)
		req.align = pg;
	req.size = kx_align_up(req.size, pg);
	if (req.min < img->opts.mem_min)
		req.min = img->opts.mem_min;
	if (req.max > lim)
		req.max = lim;
	if (img->arch && img->arch->segment_max &&
	    req.max > img->arch->segment_max)
		req.max = img->arch->segment_max;
	req.crash = img->opts.type == KX_IMAGE_CRASH;
	if (!img->memmap)
		return kx_err(img, -EINVAL, "no memory map to place %s in", what);
	if (req.crash && !has_crash_region(img->memmap))
		return kx_err(img, -ENOSPC, "no crash kernel region in the memory "
			      "map to place %s in (boot the running kernel with "
			      "crashkernel=SIZE)", what);
	rc = req.max < req.min ? -ENOSPC :
		kx_memmap_find_hole(img->memmap, &req, img->seg, img->nseg, addr);
	if (rc == -ENOSPC)
		return kx_err(img, rc,
			      "no room in memory for %s (%" PRIu64
			      " bytes, %" PRIu64 "-byte aligned) between 0x%" PRIx64
			      " and 0x%" PRIx64 "%s", what, req.size, req.align,
			      req.min, req.max,
			      req.crash ? " in the crash kernel region" : "");
	if (rc)
		return kx_err(img, rc, "cannot place %s: %s", what,
			      strerror(-rc));
	kx_log(img, KX_LOG_DEBUG,
	       "placed %s at 0x%" PRIx64 "-0x%" PRIx64 " (%s, align 0x%" PRIx64
	       ", window 0x%" PRIx64 "-0x%" PRIx64 ")", what, *addr,
	       *addr + req.size - 1, req.top_down ? "top-down" : "bottom-up",
	       req.align, req.min, req.max);
	return 0;
}

int kx_image_add_segment(struct kx_image *img, const void *buf, size_t bufsz,
			 uint64_t mem, uint64_t memsz,
			 enum kx_segment_kind kind)
{
	struct kx_segment *s;
	uint64_t pg = img->arch && img->arch->page_size ? img->arch->page_size :
							  KX_PAGE_SIZE;

	if (mem % KX_PAGE_SIZE)
		return kx_err(img, -EINVAL,
			      "%s segment at 0x%" PRIx64 " is not page aligned",
			      kx_segment_kind_name(kind), mem);
	if (memsz < bufsz)
		memsz = bufsz;
	if (!memsz || memsz > UINT64_MAX - pg ||
	    kx_align_up(memsz, pg) - 1 > UINT64_MAX - mem)
		return kx_err(img, -EINVAL,
			      "%s segment at 0x%" PRIx64 " of 0x%" PRIx64
			      " bytes runs past the end of the address space",
			      kx_segment_kind_name(kind), mem, memsz);
	memsz = kx_align_up(memsz, pg);
	if (img->nseg == KX_MAX_SEGMENTS)
		return kx_err(img, -E2BIG, "too many segments (at most %d)",
			      KX_MAX_SEGMENTS);
	for (size_t i = 0; i < img->nseg; i++) {
		const struct kx_segment *o = &img->seg[i];

		if (mem <= o->mem + o->memsz - 1 && o->mem <= mem + memsz - 1)
			return kx_err(img, -EINVAL,
				      "%s segment 0x%" PRIx64
				      " overlaps the %s segment at 0x%" PRIx64,
				      kx_segment_kind_name(kind), mem,
				      kx_segment_kind_name(o->kind), o->mem);
	}
	img->zero_tail[img->nseg] = 0;
	s = &img->seg[img->nseg++];
	*s = (struct kx_segment){ .buf = buf, .bufsz = bufsz, .mem = mem,
				  .memsz = memsz, .kind = kind };
	return 0;
}

size_t kx_image_wrapper_count(const struct kx_image *img)
{
	return img->nwrappers;
}

const char *kx_image_wrapper(const struct kx_image *img, size_t i)
{
	return i < img->nwrappers ? img->wrappers[i] : NULL;
}

size_t kx_image_segment_count(const struct kx_image *img)
{
	return img->nseg;
}

const struct kx_segment *kx_image_segment(const struct kx_image *img, size_t i)
{
	return i < img->nseg ? &img->seg[i] : NULL;
}

uint64_t kx_image_entry(const struct kx_image *img)
{
	return img->entry;
}

uint64_t kx_image_kernel_entry(const struct kx_image *img)
{
	return img->kernel_entry;
}

const char *kx_image_format(const struct kx_image *img)
{
	return img->format ? img->format->name : NULL;
}

enum kx_arch kx_image_arch(const struct kx_image *img)
{
	return img->arch ? img->arch->arch : KX_ARCH_NONE;
}

const char *kx_image_cmdline(const struct kx_image *img)
{
	return img->cmdline ? img->cmdline : "";
}

bool kx_image_checks(const struct kx_image *img)
{
	return !img->opts.no_checks;
}

enum kx_image_type kx_image_type(const struct kx_image *img)
{
	return img->opts.type;
}

unsigned long kx_image_kexec_flags(const struct kx_image *img)
{
	unsigned long flags = img->arch ? img->arch->kexec_arch : 0;

	if (img->opts.type == KX_IMAGE_CRASH)
		flags |= 0x1; /* KEXEC_ON_CRASH */
	return flags;
}

const char *kx_segment_kind_name(enum kx_segment_kind kind)
{
	static const char *const names[] = {
		[KX_SEG_KERNEL] = "kernel",   [KX_SEG_INITRD] = "initrd",
		[KX_SEG_PARAMS] = "params",   [KX_SEG_DTB] = "dtb",
		[KX_SEG_PURGATORY] = "purgatory", [KX_SEG_OTHER] = "other",
		[KX_SEG_ELFCOREHDR] = "elfcorehdr",
		[KX_SEG_BACKUP] = "backup",
	};

	return (unsigned)kind < KX_ARRAY_SIZE(names) ? names[kind] : "other";
}

int kx_image_check_zeros(struct kx_image *img, const struct kx_segment *seg,
			 uint64_t len)
{
	size_t i = (size_t)(seg - img->seg);

	if (i >= img->nseg || len > seg->memsz - seg->bufsz)
		return kx_err(img, -EINVAL, "%s segment at 0x%" PRIx64 ": %" PRIu64
			      " bytes to check past its %zu are not in it",
			      kx_segment_kind_name(seg->kind), seg->mem, len,
			      seg->bufsz);
	img->zero_tail[i] = len;
	return 0;
}
