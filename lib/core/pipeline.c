/* SPDX-License-Identifier: MIT */
/*
 * The pipeline, one stage after the other, in one direction:
 *
 *   inputs -> probe -> format load -> initrd -> crash (ELF core header)
 *          -> architecture boot data -> purgatory (with the digests)
 *
 * The inputs stage reads every input into bytes the image owns (regular
 * files mapped, not copied) before any format is asked; after it nothing
 * opens a file. A format places the kernel and says, in a struct kx_boot,
 * where the rest may go; the pipeline places the initrd; the architecture
 * builds its boot data and entry registers; the purgatory loader places
 * and relocates the purgatory and writes the digest table. The load type
 * (normal or crash) is applied to every placement by kx_image_place. A
 * failed load leaves nothing behind. This is the only file that calls
 * formats, architectures and the purgatory loader.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "../dt/dt.h"

#include <sys/stat.h>

/* ---- probe -------------------------------------------------------------- */

/* Asks each format of @table in turn whether @r is its own. */
static int probe_one(struct kx_image *img, const struct kx_format *const *table,
		     struct kx_reader *r, struct kx_info *info,
		     const struct kx_format **out)
{
	for (size_t i = 0; table[i]; i++) {
		const struct kx_format *f = table[i];
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
	if (table == kx_formats_pe)
		return kx_err(img, -ENOEXEC, "%s: not a PE/COFF image (no \"MZ\" "
			      "header with a \"PE\" signature), so it has no EFI "
			      "stub to start", r->name);
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
 * @want (unless KX_ARCH_NONE) is an error. With @efi_stub only the PE
 * formats are asked (no wrapper: a firmware starts the PE as it is). */
static int probe(struct kx_image *img, struct kx_reader *r, enum kx_arch want,
		 bool efi_stub, struct kx_info *info,
		 const struct kx_format **out)
{
	const struct kx_format *const *table = efi_stub ? kx_formats_pe :
							  img->formats;
	const char *wrappers[KX_MAX_WRAPPERS];
	const char *wrap_comp = NULL;
	uint64_t outer_size = r->len;
	size_t n = 0, nwf = 0;
	struct kx_info_field wfields[KX_INFO_MAX_FIELDS];

	for (;;) {
		const struct kx_format *f = NULL;
		struct kx_reader inner;
		int rc = probe_one(img, table, r, info, &f);

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
		for (size_t i = 0; i < n; i++)
			if (!strcmp(wrappers[i], f->name))
				return kx_err(img, -EINVAL,
					      "%s: a %s inside a %s: refused "
					      "(no kernel is wrapped twice the "
					      "same way)", r->name, f->name,
					      f->name);
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

/* ---- inputs ------------------------------------------------------------- */

/* One input read from @path into @in (nothing when @path is NULL). */
static int read_input(struct kx_image *img, const char *path,
		      struct kx_input *in)
{
	const struct kx_file *f;
	int rc;

	if (!path)
		return 0;
	rc = kx_image_open(img, path, &f);
	if (rc)
		return rc;
	*in = (struct kx_input){ .name = f->path, .buf = f->data,
				 .len = (size_t)f->size };
	return 0;
}

static int add_initrd_path(struct kx_image *img, const char *path)
{
	struct kx_load_inputs *in = &img->in;

	if (in->ninitrds == KX_MAX_INITRDS)
		return kx_err(img, -E2BIG, "%s: too many initrds (at most %d)",
			      path, KX_MAX_INITRDS);
	return read_input(img, path, &in->initrds[in->ninitrds++]);
}

/* Kernel bytes the caller holds, as one of the image's files: copied, so
 * that segments pointing into them live as long as the image does. */
static int adopt(struct kx_image *img, const char *name, const void *buf,
		 size_t len, struct kx_input *in)
{
	struct kx_file *f;
	uint8_t *copy;
	char *path;

	if (img->nfiles == KX_MAX_FILES)
		return kx_err(img, -EMFILE, "%s: too many files", name);
	if (!len)
		return kx_err(img, -ENOEXEC, "%s: file is empty", name);
	copy = malloc(len);
	path = strdup(name);
	if (!copy || !path) {
		free(copy);
		free(path);
		return kx_err(img, -ENOMEM, "out of memory");
	}
	memcpy(copy, buf, len);
	f = &img->files[img->nfiles++];
	*f = (struct kx_file){ .path = path, .data = copy, .size = len };
	*in = (struct kx_input){ .name = f->path, .buf = f->data, .len = len };
	return 0;
}

/* A device tree given as a directory shaped like /proc/device-tree (it
 * has a chosen node, as every running machine's has) is flattened; any
 * other path is read as a file (and a directory refused). */
static int read_dtb(struct kx_image *img, const char *path,
		    struct kx_input *in)
{
	char chosen[4096];
	struct stat st;
	void *blob;
	size_t len;
	int rc;

	if (!path || (size_t)snprintf(chosen, sizeof(chosen), "%s/chosen",
				      path) >= sizeof(chosen) ||
	    stat(chosen, &st) || !S_ISDIR(st.st_mode))
		return read_input(img, path, in);
	if (img->nowned == KX_ARRAY_SIZE(img->owned))
		return kx_err(img, -ENOMEM, "out of memory");
	rc = kx_dt_flatten(path, &blob, &len, img->err);
	if (rc)
		return rc;
	img->owned[img->nowned++] = blob;
	*in = (struct kx_input){ .name = path, .buf = blob, .len = len };
	return 0;
}

/* The inputs stage from paths; @kernel (if not NULL) replaces
 * opts->kernel's bytes. */
static int read_inputs(struct kx_image *img, const struct kx_load_opts *o,
		       const struct kx_input *kernel)
{
	struct kx_load_inputs *in = &img->in;
	int rc;

	if (kernel)
		rc = adopt(img, kernel->name, kernel->buf, kernel->len,
			   &in->kernel);
	else
		rc = read_input(img, o->kernel, &in->kernel);
	if (!rc && o->initrd)
		rc = add_initrd_path(img, o->initrd);
	for (size_t i = 0; !rc && i < o->ninitrds; i++)
		rc = add_initrd_path(img, o->initrds[i]);
	if (!rc)
		rc = read_dtb(img, o->dtb, &in->dtb);
	if (!rc)
		rc = read_input(img, o->acpi_spcr, &in->acpi_spcr);
	return rc;
}

/* The inputs stage from bytes the caller holds: nothing is copied. */
static int take_inputs(struct kx_image *img, const struct kx_inputs *given)
{
	struct kx_load_inputs *in = &img->in;

	if (given->ninitrds > KX_MAX_INITRDS)
		return kx_err(img, -E2BIG, "too many initrds (at most %d)",
			      KX_MAX_INITRDS);
	in->kernel = given->kernel;
	if (!in->kernel.name)
		in->kernel.name = "kernel";
	if (!in->kernel.len)
		return kx_err(img, -ENOEXEC, "%s: file is empty",
			      in->kernel.name);
	for (size_t i = 0; i < given->ninitrds; i++) {
		in->initrds[i] = given->initrds[i];
		if (!in->initrds[i].name)
			in->initrds[i].name = "initrd";
	}
	in->ninitrds = given->ninitrds;
	in->dtb = given->dtb;
	if (in->dtb.buf && !in->dtb.name)
		in->dtb.name = "device tree";
	in->acpi_spcr = given->acpi_spcr;
	if (in->acpi_spcr.buf && !in->acpi_spcr.name)
		in->acpi_spcr.name = "SPCR";
	return 0;
}

/* ---- initrd ------------------------------------------------------------- */

uint64_t kx_initrds_join(const struct kx_input *parts, size_t n, uint8_t *dst)
{
	uint64_t off = 0;

	for (size_t i = 0; i < n; i++) {
		uint64_t at = kx_align_up(off, 4);

		if (dst) {
			memset(dst + off, 0, (size_t)(at - off));
			memcpy(dst + at, parts[i].buf, parts[i].len);
		}
		off = at + parts[i].len;
	}
	return off;
}

/* The initrd's bytes: its one part as it is, or every part joined. */
static int join_initrds(struct kx_image *img, struct kx_input *out)
{
	const struct kx_load_inputs *in = &img->in;
	uint64_t total;
	uint8_t *buf;

	for (size_t i = 0; i < in->ninitrds; i++)
		if (!in->initrds[i].len)
			return kx_err(img, -EINVAL, "%s: the initrd is empty",
				      in->initrds[i].name);
	if (in->ninitrds == 1) {
		*out = in->initrds[0];
		return 0;
	}
	total = kx_initrds_join(in->initrds, in->ninitrds, NULL);
	buf = kx_image_alloc(img, (size_t)total);
	if (!buf)
		return kx_err(img, -ENOMEM, "out of memory for the %zu initrds "
			      "(%" PRIu64 " bytes)", in->ninitrds, total);
	kx_initrds_join(in->initrds, in->ninitrds, buf);
	*out = (struct kx_input){ .name = in->initrds[in->nformat_initrds <
						      in->ninitrds ?
					      in->nformat_initrds : 0].name,
				  .buf = buf, .len = (size_t)total };
	kx_log(img, KX_LOG_DEBUG, "initrd: %zu parts, %" PRIu64 " bytes in all",
	       in->ninitrds, total);
	return 0;
}

static int place_initrd(struct kx_image *img, struct kx_boot *boot)
{
	struct kx_input initrd = { 0 };
	struct kx_placed req = boot->initrd_req;
	uint64_t addr;
	int rc;

	boot->initrd = NULL;
	if (!img->in.ninitrds)
		return 0;
	rc = join_initrds(img, &initrd);
	if (rc)
		return rc;
	req.size = initrd.len;
	rc = -ENOSPC;
	if (boot->initrd_prefer_min > req.min) {
		struct kx_placed pref = req;
		char saved[KX_ERR_LEN];

		pref.min = boot->initrd_prefer_min;
		memcpy(saved, img->err, sizeof(saved));
		rc = kx_image_place(img, "the initrd", pref, &addr);
		if (rc == -ENOSPC)
			memcpy(img->err, saved, sizeof(saved));
	}
	if (rc == -ENOSPC)
		rc = kx_image_place(img, "the initrd", req, &addr);
	if (rc == -ENOSPC && boot->initrd_room && boot->initrd_room[0])
		return kx_err(img, rc, "%s: %s", initrd.name,
			      boot->initrd_room);
	if (!rc)
		rc = kx_image_add_segment(img, initrd.buf, initrd.len, addr,
					  initrd.len, KX_SEG_INITRD);
	if (!rc)
		boot->initrd = &img->seg[img->nseg - 1];
	return rc;
}

/* ---- the load ----------------------------------------------------------- */

static int check_cmdline(struct kx_image *img, const struct kx_boot *boot)
{
	size_t len = strlen(img->cmdline);
	uint64_t max = boot->cmdline_max ? boot->cmdline_max :
					   img->arch->cmdline_max;

	/* The limits count characters, not the terminating NUL. */
	if (max && len > max)
		return kx_err(img, -E2BIG,
			      "the command line is %zu bytes; this kernel takes "
			      "at most %" PRIu64, len, max);
	return 0;
}

/* The architecture's boot data: for a PE started through its EFI stub,
 * the EFI environment the purgatory builds. */
static int boot_stage(struct kx_image *img, struct kx_boot *boot)
{
	if (!boot->pe)
		return img->arch->boot(img, boot);
	if (!img->arch->boot_efi)
		return kx_err(img, -ENOTSUP, "%s: %skexload cannot start a PE "
			      "through its EFI stub on %s yet (the %s purgatory "
			      "has no EFI environment)", img->in.kernel.name,
			      img->opts.efi_stub ? "" : "a PE/COFF image that "
			      "no other format takes, and ", img->arch->name,
			      img->arch->name);
	return img->arch->boot_efi(img, boot);
}

/* Everything after the inputs: probe, the format, the initrd, the
 * architecture's boot data, the purgatory. */
static int load_kernel(struct kx_image *img, enum kx_arch want)
{
	struct kx_reader r;
	struct kx_info info;
	struct kx_boot boot = { 0 };
	int rc;

	kx_reader_init(&r, img->in.kernel.buf, img->in.kernel.len,
		       img->in.kernel.name);
	rc = probe(img, &r, want, img->opts.efi_stub, &info, &img->format);
	if (rc)
		return rc;
	img->arch = kx_arch_ops_order(img->format->arch,
				      img->format->big_endian);
	if (!img->arch)
		return kx_err(img, -ENOTSUP, "kexload cannot load kernels for %s",
			      kx_arch_name(img->format->arch));
	kx_log(img, KX_LOG_DEBUG, "%s: %s for %s", img->in.kernel.name,
	       info.format, img->arch->name);
	/* The device tree's reservations, before anything is placed. */
	rc = kx_dt_reserve(img);
	if (rc)
		return rc;
	rc = img->format->load(img, &r, &boot);
	if (!rc)
		rc = check_cmdline(img, &boot);
	if (!rc)
		rc = place_initrd(img, &boot);
	/* Before the boot data: the architecture hands its address on. */
	if (!rc)
		rc = kx_crash_load(img);
	if (!rc)
		rc = boot_stage(img, &boot);
	if (!rc)
		rc = kx_purgatory_load(img);
	return rc;
}

/* @given: every input as bytes; else @kernel: the kernel's bytes, the rest
 * from paths; else all from paths. */
static int load_stages(struct kx_image *img, const struct kx_load_opts *opts,
		       const struct kx_inputs *given,
		       const struct kx_input *kernel)
{
	int rc;

	img->opts = *opts;
	if (opts->arch && !kx_arch_ops(opts->arch)) {
		if (!strcmp(kx_arch_name(opts->arch), "none"))
			return kx_err(img, -ENOTSUP, "kexload cannot load kernels "
				      "for architecture %d", (int)opts->arch);
		return kx_err(img, -ENOTSUP, "kexload cannot load kernels for %s",
			      kx_arch_name(opts->arch));
	}
	if (!given && !opts->kernel && !kernel)
		return kx_err(img, -EINVAL, "no kernel image given");
	if (!img->memmap)
		return kx_err(img, -EINVAL, "no memory map given");
	img->cmdline = strdup(opts->cmdline ? opts->cmdline : "");
	if (!img->cmdline)
		return kx_err(img, -ENOMEM, "out of memory");
	rc = given ? take_inputs(img, given) : read_inputs(img, opts, kernel);
	if (rc)
		return rc;
	return load_kernel(img, opts->arch);
}

static int load(struct kx_image *img, const struct kx_load_opts *opts,
		const struct kx_inputs *given, const struct kx_input *kernel)
{
	int rc;

	kx_image_reset(img);
	rc = load_stages(img, opts, given, kernel);
	if (rc) {
		if (!img->err[0])
			kx_err(img, rc, "load failed: %s", strerror(-rc));
		kx_image_reset_keep_error(img);
		return rc;
	}
	img->loaded = true;
	return 0;
}

int kx_image_load(struct kx_image *img, const struct kx_load_opts *opts)
{
	return load(img, opts, NULL, NULL);
}

int kx_image_load_inputs(struct kx_image *img, const struct kx_load_opts *opts,
			 const struct kx_inputs *in)
{
	return load(img, opts, in, NULL);
}

int kx_image_load_buffer(struct kx_image *img, const struct kx_load_opts *opts,
			 const void *kernel, size_t len)
{
	struct kx_input k = { opts->kernel ? opts->kernel : "kernel", kernel,
			      len };

	return load(img, opts, NULL, &k);
}

/* ---- inspect ------------------------------------------------------------ */

static int inspect(struct kx_image *img, bool efi_stub, struct kx_info *info)
{
	const struct kx_format *fmt;
	struct kx_reader r;
	int rc;

	kx_reader_init(&r, img->in.kernel.buf, img->in.kernel.len,
		       img->in.kernel.name);
	rc = probe(img, &r, KX_ARCH_NONE, efi_stub, info, &fmt);
	kx_image_reset_keep_error(img);
	return rc;
}

static int inspect_file(struct kx_image *img, const char *path,
			bool efi_stub, struct kx_info *info)
{
	int rc;

	kx_image_reset(img);
	rc = read_input(img, path, &img->in.kernel);
	if (rc) {
		kx_image_reset_keep_error(img);
		return rc;
	}
	return inspect(img, efi_stub, info);
}

int kx_image_inspect(struct kx_image *img, const char *path,
		     struct kx_info *info)
{
	return inspect_file(img, path, false, info);
}

int kx_image_inspect_pe(struct kx_image *img, const char *path,
			struct kx_info *info)
{
	return inspect_file(img, path, true, info);
}

int kx_image_inspect_buffer(struct kx_image *img, const char *name,
			    const void *buf, size_t len, struct kx_info *info)
{
	int rc;

	kx_image_reset(img);
	rc = adopt(img, name ? name : "buffer", buf, len, &img->in.kernel);
	if (rc) {
		kx_image_reset_keep_error(img);
		return rc;
	}
	return inspect(img, false, info);
}

/* ---- the innermost image, for kexec_file_load --------------------------- */

int kx_image_unwrap_file(struct kx_image *img, const char *path,
			 const void **buf, size_t *len)
{
	const struct kx_format *fmt;
	struct kx_info info;
	struct kx_reader r;
	int rc;

	kx_image_reset(img);
	rc = read_input(img, path, &img->in.kernel);
	if (!rc) {
		kx_reader_init(&r, img->in.kernel.buf, img->in.kernel.len,
			       img->in.kernel.name);
		rc = probe(img, &r, KX_ARCH_NONE, false, &info, &fmt);
	}
	if (rc) {
		kx_image_reset_keep_error(img);
		return rc;
	}
	*buf = r.buf;
	*len = (size_t)r.len;
	return 0;
}

/* ---- the format table, for callers -------------------------------------- */

const char *kx_format_name(size_t i, enum kx_arch *arch,
			   const char *const **kexec_names)
{
	static const char *const none[] = { NULL };
	size_t n = 0;

	while (kx_formats[n])
		n++;
	if (i >= n)
		return NULL;
	if (arch)
		*arch = kx_formats[i]->unwrap ? KX_ARCH_NONE : kx_formats[i]->arch;
	if (kexec_names)
		*kexec_names = kx_formats[i]->kexec_names ?
				       kx_formats[i]->kexec_names : none;
	return kx_formats[i]->name;
}
