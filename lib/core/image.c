/* SPDX-License-Identifier: MIT */
/*
 * The image (the kernel's "kimage"): the one context a load hangs off, and
 * the pipeline that fills it: files -> probe -> format load -> placement ->
 * purgatory -> digests. A failed load leaves nothing behind.
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
	img->format = NULL;
	img->nwrappers = 0;
	img->arch = NULL;
	img->entry = img->kernel_entry = 0;
	memset(img->kernel_args, 0, sizeof(img->kernel_args));
	img->npurg_values = 0;
	memset(&img->opts, 0, sizeof(img->opts));
	img->loaded = false;
}

void kx_image_free(struct kx_image *img)
{
	if (!img)
		return;
	image_reset(img);
	kx_memmap_free(img->memmap);
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

int kx_image_set_memmap(struct kx_image *img, const struct kx_memmap *map)
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
	kx_memmap_free(img->memmap);
	img->memmap = copy;
	return 0;
}

int kx_err(struct kx_image *img, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(img->err, sizeof(img->err), fmt, ap);
	va_end(ap);
	return code;
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

const struct kx_file *kx_image_open(struct kx_image *img, const char *path)
{
	struct kx_file *f;

	if (img->nfiles == KX_MAX_FILES) {
		kx_err(img, -EMFILE, "%s: too many files", path);
		return NULL;
	}
	f = &img->files[img->nfiles];
	if (kx_file_open(f, path, img->err, sizeof(img->err)))
		return NULL;
	img->nfiles++;
	return f;
}

int kx_image_place(struct kx_image *img, const char *what,
		   struct kx_placed req, uint64_t *addr)
{
	uint64_t lim = img->opts.mem_max ? img->opts.mem_max : UINT64_MAX;
	int rc;

	if (req.align < KX_PAGE_SIZE)
		req.align = KX_PAGE_SIZE;
	req.size = kx_align_up(req.size, KX_PAGE_SIZE);
	if (req.min < img->opts.mem_min)
		req.min = img->opts.mem_min;
	if (req.max > lim)
		req.max = lim;
	if (!img->memmap)
		return kx_err(img, -EINVAL, "no memory map to place %s in", what);
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

	memsz = kx_align_up(memsz > bufsz ? memsz : bufsz, KX_PAGE_SIZE);
	if (mem % KX_PAGE_SIZE || !memsz || mem + memsz - 1 < mem)
		return kx_err(img, -EINVAL,
			      "%s segment at 0x%" PRIx64 " is not page aligned",
			      kx_segment_kind_name(kind), mem);
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
	s = &img->seg[img->nseg++];
	*s = (struct kx_segment){ .buf = buf, .bufsz = bufsz, .mem = mem,
				  .memsz = memsz, .kind = kind };
	return 0;
}

int kx_image_add_initrd(struct kx_image *img, struct kx_placed req,
			const struct kx_segment **out)
{
	const struct kx_file *f;
	uint64_t addr;
	int rc;

	*out = NULL;
	if (!img->opts.initrd)
		return 0;
	f = kx_image_open(img, img->opts.initrd);
	if (!f)
		return -EIO;
	if (!f->size)
		return kx_err(img, -EINVAL, "%s: the initrd is empty", f->path);
	req.size = f->size;
	rc = kx_image_place(img, "the initrd", req, &addr);
	if (!rc)
		rc = kx_image_add_segment(img, f->data, f->size, addr, f->size,
					  KX_SEG_INITRD);
	if (!rc)
		*out = &img->seg[img->nseg - 1];
	return rc;
}

/* Asks each format in turn whether @r is its own. */
static int probe_one(struct kx_image *img, struct kx_reader *r,
		     struct kx_info *info, const struct kx_format **out)
{
	for (size_t i = 0; kx_formats[i]; i++) {
		const struct kx_format *f = kx_formats[i];
		int rc;

		memset(info, 0, sizeof(*info));
		info->compression = "none";
		r->failed = false;   /* one format's misses are not the next's */
		rc = f->probe(img, r, info);
		if (rc == -ENOEXEC)
			continue;
		if (rc)
			return rc;
		*out = f;
		return 0;
	}
	return kx_err(img, -ENOEXEC,
		      "%s: not a kernel image kexload knows (no format "
		      "recognised it)", r->name);
}

/* The wrappers' fields first, then the kernel's, as many as fit. */
static void info_prepend(struct kx_info *info, const struct kx_info_field *w,
			 size_t nw)
{
	size_t keep = info->nfields;

	if (nw > KX_INFO_MAX_FIELDS)
		nw = KX_INFO_MAX_FIELDS;
	if (keep > KX_INFO_MAX_FIELDS - nw)
		keep = KX_INFO_MAX_FIELDS - nw;
	memmove(info->fields + nw, info->fields, keep * sizeof(*w));
	memcpy(info->fields, w, nw * sizeof(*w));
	info->nfields = nw + keep;
}

/* Probes, unwrapping wrapper formats (gzip, ZBOOT, uImage, ...) into new
 * buffers and probing again, until a format that loads. On success @r is
 * the reader of the innermost image. A match for another architecture than
 * @want is an error. */
static int probe(struct kx_image *img, struct kx_reader *r, enum kx_arch want,
		 struct kx_info *info, const struct kx_format **out)
{
	const char *wrappers[KX_MAX_WRAPPERS];
	const char *wrap_comp = NULL;
	uint64_t outer_size = r->len;
	size_t n = 0, nwf = 0;
	struct kx_info_field wfields[KX_INFO_MAX_FIELDS];

	for (;;) {
		const struct kx_format *f = NULL;
		struct kx_reader inner;
		int rc = probe_one(img, r, info, &f);

		if (rc)
			return rc;
		if (!f->unwrap) {
			info->format = f->name;
			info->arch = f->arch;
			info->file_size = outer_size;
			for (size_t i = 0; i < n; i++)
				info->wrappers[i] = wrappers[i];
			info->nwrappers = n;
			if (wrap_comp && !strcmp(info->compression, "none"))
				info->compression = wrap_comp;
			info_prepend(info, wfields, nwf);
			if (want != KX_ARCH_NONE && f->arch != want)
				return kx_err(img, -ENOEXEC,
					      "%s: is a kernel for %s (%s), not for %s",
					      r->name, kx_arch_name(f->arch),
					      f->name, kx_arch_name(want));
			*out = f;
			img->nwrappers = n;
			memcpy(img->wrappers, wrappers, n * sizeof(wrappers[0]));
			return 0;
		}
		if (n == KX_MAX_WRAPPERS)
			return kx_err(img, -EINVAL,
				      "%s: wrapped more than %d times", r->name,
				      KX_MAX_WRAPPERS);
		if (strcmp(info->compression, "none"))
			wrap_comp = info->compression;
		for (size_t i = 0; i < info->nfields && nwf < KX_INFO_MAX_FIELDS; i++)
			wfields[nwf++] = info->fields[i];
		rc = f->unwrap(img, r, &inner);
		if (rc)
			return rc;
		kx_log(img, KX_LOG_DEBUG, "%s: %s holds %" PRIu64 " bytes",
		       r->name, f->name, inner.len);
		wrappers[n++] = f->name;
		*r = inner;
	}
}

/* Kernel bytes the caller holds, as one of the image's files: copied, so
 * that segments pointing into them live as long as the image does. */
static const struct kx_file *image_adopt(struct kx_image *img, const char *name,
					 const void *buf, size_t len)
{
	struct kx_file *f;
	uint8_t *copy;
	char *path;

	if (img->nfiles == KX_MAX_FILES) {
		kx_err(img, -EMFILE, "%s: too many files", name);
		return NULL;
	}
	if (!len) {
		kx_err(img, -ENOEXEC, "%s: file is empty", name);
		return NULL;
	}
	copy = malloc(len);
	path = strdup(name);
	if (!copy || !path) {
		free(copy);
		free(path);
		kx_err(img, -ENOMEM, "out of memory");
		return NULL;
	}
	memcpy(copy, buf, len);
	f = &img->files[img->nfiles++];
	*f = (struct kx_file){ .path = path, .data = copy, .size = len };
	return f;
}

static int inspect(struct kx_image *img, const struct kx_file *f,
		   struct kx_info *info)
{
	const struct kx_format *fmt;
	struct kx_reader r;
	int rc;

	if (!f)
		return -EIO;
	kx_reader_init(&r, f->data, f->size, f->path);
	rc = probe(img, &r, KX_ARCH_NONE, info, &fmt);
	image_reset(img);
	return rc;
}

int kx_image_inspect(struct kx_image *img, const char *path,
		     struct kx_info *info)
{
	image_reset(img);
	img->err[0] = '\0';
	return inspect(img, kx_image_open(img, path), info);
}

int kx_image_inspect_buffer(struct kx_image *img, const char *name,
			    const void *buf, size_t len, struct kx_info *info)
{
	image_reset(img);
	img->err[0] = '\0';
	return inspect(img, image_adopt(img, name ? name : "buffer", buf, len),
		       info);
}

/* The kernel given as bytes (mem != NULL) rather than by path. */
struct kernel_bytes {
	const void *buf;
	size_t len;
};

static int load_stages(struct kx_image *img, const struct kx_load_opts *opts,
		       const struct kernel_bytes *mem)
{
	enum kx_arch arch = opts->arch ? opts->arch : kx_arch_host();
	const struct kx_file *kf;
	struct kx_reader r;
	struct kx_info info;
	int rc;

	img->opts = *opts;
	img->arch = kx_arch_ops(arch);
	if (!img->arch)
		return kx_err(img, -ENOTSUP, "kexload cannot load kernels for %s",
			      kx_arch_name(arch));
	if (!opts->kernel && !mem)
		return kx_err(img, -EINVAL, "no kernel image given");
	/* Placing every segment in the crashkernel= region, and the ELF core
	 * header the crash kernel needs, are not done yet: refuse rather
	 * than make a plan kexec_load(KEXEC_ON_CRASH) would reject. */
	if (opts->type == KX_IMAGE_CRASH)
		return kx_err(img, -ENOTSUP,
			      "crash (kdump) kernels are not supported yet");
	if (!img->memmap)
		return kx_err(img, -EINVAL, "no memory map given");
	img->cmdline = strdup(opts->cmdline ? opts->cmdline : "");
	if (!img->cmdline)
		return kx_err(img, -ENOMEM, "out of memory");
	if (mem)
		kf = image_adopt(img, opts->kernel ? opts->kernel : "kernel",
				 mem->buf, mem->len);
	else
		kf = kx_image_open(img, opts->kernel);
	if (!kf)
		return -EIO;
	kx_reader_init(&r, kf->data, kf->size, kf->path);
	rc = probe(img, &r, arch, &info, &img->format);
	if (rc)
		return rc;
	kx_log(img, KX_LOG_DEBUG, "%s: %s for %s", kf->path, info.format,
	       kx_arch_name(arch));
	rc = img->format->load(img, &r);
	if (rc)
		return rc;
	return kx_purgatory_load(img);
}

static int load(struct kx_image *img, const struct kx_load_opts *opts,
		const struct kernel_bytes *mem)
{
	int rc;

	image_reset(img);
	img->err[0] = '\0';
	rc = load_stages(img, opts, mem);
	if (rc) {
		if (!img->err[0])
			kx_err(img, rc, "load failed: %s", strerror(-rc));
		image_reset(img);
		return rc;
	}
	img->loaded = true;
	return 0;
}

int kx_image_load(struct kx_image *img, const struct kx_load_opts *opts)
{
	return load(img, opts, NULL);
}

int kx_image_load_buffer(struct kx_image *img, const struct kx_load_opts *opts,
			 const void *kernel, size_t len)
{
	struct kernel_bytes mem = { kernel, len };

	return load(img, opts, &mem);
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
	};

	return (unsigned)kind < KX_ARRAY_SIZE(names) ? names[kind] : "other";
}
