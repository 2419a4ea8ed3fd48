/* SPDX-License-Identifier: MIT */
/*
 * The system calls that change kernel state: kexec_load(2),
 * kexec_file_load(2) and reboot(2) with LINUX_REBOOT_CMD_KEXEC, and the
 * /sys and /proc files that say what is loaded. Nothing else in kexload
 * makes these calls; the tests never do outside a QEMU guest.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../core/internal.h"
#include "lockdown.h"

#define KEXEC_ON_CRASH 0x1
#define KEXEC_FILE_UNLOAD 0x1
#define KEXEC_FILE_ON_CRASH 0x2
#define KEXEC_FILE_NO_INITRAMFS 0x4
#define LINUX_REBOOT_MAGIC1 0xfee1dead
#define LINUX_REBOOT_MAGIC2 672274793
#define LINUX_REBOOT_CMD_KEXEC 0x45584543

struct kexec_segment_abi {      /* struct kexec_segment of <linux/kexec.h> */
	const void *buf;
	size_t bufsz;
	const void *mem;
	size_t memsz;
};

static int read_u64(const char *path, uint64_t *v);

/* Test suites on development and CI machines set KEXLOAD_FORBID_KEXEC=1,
 * so that nothing they run can load or execute a kernel by accident. */
static int forbidden(struct kx_image *img, const char *call)
{
	const char *v = getenv("KEXLOAD_FORBID_KEXEC");

	if (!v || !*v || !strcmp(v, "0"))
		return 0;
	return kx_err(img, -ECANCELED, "%s: refused: KEXLOAD_FORBID_KEXEC is "
		      "set", call);
}

/* The message for a refused call, from the machine's state
 * (lib/sys/lockdown.c); @kernel names the file kexec_file_load read. */
static int explain_kernel(struct kx_image *img, int e, const char *call,
			  const char *kernel)
{
	struct kx_status st = { 0 };
	uint64_t v = 0;
	const char *src;

	kx_lockdown_read(st.lockdown, sizeof(st.lockdown), &src);
	st.cap_sys_boot = kx_cap_sys_boot();
	if (!read_u64("/proc/sys/kernel/kexec_load_disabled", &v))
		st.kexec_load_disabled = v;
	kx_kexec_probe(&st);
	return kx_kexec_explain(img->err, sizeof(img->err), e, call, kernel,
				&st);
}

static int explain(struct kx_image *img, int e, const char *call)
{
	return explain_kernel(img, e, call, NULL);
}

int kx_kexec_load(struct kx_image *img)
{
	struct kexec_segment_abi segs[KX_MAX_SEGMENTS];
	size_t n = kx_image_segment_count(img);
	long rc;

	if (forbidden(img, kx_image_type(img) == KX_IMAGE_CRASH ?
		      "kexec_load of a crash kernel" : "kexec_load"))
		return -ECANCELED;
	if (!n)
		return kx_err(img, -EINVAL, "nothing to load");
	if (kx_image_arch(img) != kx_arch_host())
		return kx_err(img, -EINVAL, "kexec_load: the image is for %s, "
			      "this machine is %s",
			      kx_arch_name(kx_image_arch(img)),
			      kx_arch_name(kx_arch_host()));
	for (size_t i = 0; i < n; i++) {
		const struct kx_segment *s = kx_image_segment(img, i);

		/* A 32-bit kernel's struct kexec_segment holds an address
		 * and size in a pointer and a size_t. */
		if (s->memsz > SIZE_MAX ||
		    (s->memsz && s->mem + s->memsz - 1 > UINTPTR_MAX))
			return kx_err(img, -EOVERFLOW, "kexec_load: the segment "
				      "at 0x%" PRIx64 " (0x%" PRIx64 " bytes) is "
				      "beyond what this %zu-bit kernel's "
				      "kexec_load can address", s->mem,
				      s->memsz, sizeof(void *) * 8);
		segs[i] = (struct kexec_segment_abi){
			s->buf, s->bufsz, (const void *)(uintptr_t)s->mem,
			(size_t)s->memsz };
	}
	rc = syscall(SYS_kexec_load, (unsigned long)kx_image_entry(img),
		     (unsigned long)n, segs, kx_image_kexec_flags(img));
	return rc ? explain(img, errno, "kexec_load") : 0;
}

/* Writes all of @len bytes. */
static int write_all(int fd, const uint8_t *p, uint64_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len > (1 << 30) ? (1 << 30) : len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (uint64_t)n;
	}
	return 0;
}

#ifdef SYS_kexec_file_load
/* The initrds as one file for kexec_file_load: the one file, or their
 * join (kx_initrds_join, as for kexec_load) in a memfd. -1 in *fd when
 * there is none. */
static int initrd_fd(struct kx_image *img, const struct kx_load_opts *o,
		     int *fd)
{
	const char *paths[KX_MAX_INITRDS + 1];
	struct kx_file files[KX_MAX_INITRDS + 1];
	struct kx_input parts[KX_MAX_INITRDS + 1];
	size_t n = 0, opened = 0;
	uint64_t total;
	void *dst = MAP_FAILED;
	int rc = 0;

	*fd = -1;
	if (o->initrd)
		paths[n++] = o->initrd;
	for (size_t i = 0; i < o->ninitrds && n < KX_ARRAY_SIZE(paths); i++)
		paths[n++] = o->initrds[i];
	if (n == 1) {
		*fd = open(paths[0], O_RDONLY | O_CLOEXEC);
		return *fd < 0 ? kx_err(img, -errno, "%s: cannot open: %s",
					paths[0], strerror(errno)) : 0;
	}
	if (!n)
		return 0;
	for (; opened < n; opened++) {
		rc = kx_file_open(&files[opened], paths[opened]);
		if (rc) {
			kx_err(img, rc, "%s", files[opened].err);
			goto out;
		}
		parts[opened] = (struct kx_input){ paths[opened],
			files[opened].data, files[opened].size };
		if (!files[opened].size) {
			rc = kx_err(img, -EINVAL, "%s: the initrd is empty",
				    paths[opened++]);
			goto out;
		}
	}
	total = kx_initrds_join(parts, n, NULL);
	if (total > SIZE_MAX) {
		rc = kx_err(img, -EFBIG, "the %zu initrds (%" PRIu64 " bytes) "
			    "are more than this machine can map", n, total);
		goto out;
	}
	*fd = memfd_create("kexload-initrd", MFD_CLOEXEC);
	if (*fd < 0 || ftruncate(*fd, (off_t)total) ||
	    (dst = mmap(NULL, (size_t)total, PROT_WRITE, MAP_SHARED, *fd,
			0)) == MAP_FAILED) {
		rc = kx_err(img, -errno, "memfd for the initrds (%" PRIu64
			    " bytes): %s", total, strerror(errno));
		goto out;
	}
	kx_initrds_join(parts, n, dst);
	munmap(dst, (size_t)total);
out:
	while (opened)
		kx_file_close(&files[--opened]);
	if (rc && *fd >= 0) {
		close(*fd);
		*fd = -1;
	}
	return rc;
}
#endif

int kx_kexec_file_kernel_fd(struct kx_image *img,
			    const struct kx_load_opts *opts, int *fd)
{
	const void *buf;
	size_t len;
	int rc;

	*fd = -1;
	if (!kx_image_unwrap_file(img, opts->kernel, &buf, &len) &&
	    kx_image_wrapper_count(img)) {
		*fd = memfd_create("kexload-kernel", MFD_CLOEXEC);
		if (*fd < 0)
			return kx_err(img, -errno, "memfd_create: %s",
				      strerror(errno));
		rc = write_all(*fd, buf, len);
		kx_log(img, KX_LOG_DEBUG, "%s: the %s inside %s, %zu bytes, to "
		       "kexec_file_load through a memfd", opts->kernel,
		       kx_image_format(img), kx_image_wrapper(img, 0), len);
		if (rc) {
			close(*fd);
			*fd = -1;
			return kx_err(img, rc, "memfd for %s: %s", opts->kernel,
				      strerror(-rc));
		}
		return 0;
	}
	/* not wrapped, or not a format kexload knows: the kernel decides */
	img->err[0] = '\0';
	*fd = open(opts->kernel, O_RDONLY | O_CLOEXEC);
	if (*fd < 0)
		return kx_err(img, -errno, "%s: cannot open: %s", opts->kernel,
			      strerror(errno));
	return 0;
}

int kx_kexec_file_load(struct kx_image *img, const struct kx_load_opts *opts)
{
#ifdef SYS_kexec_file_load
	const char *cmdline = opts->cmdline ? opts->cmdline : "";
	unsigned long flags = 0;
	int kfd, ifd = -1;
	long rc;

	if (forbidden(img, opts->type == KX_IMAGE_CRASH ?
		      "kexec_file_load of a crash kernel" : "kexec_file_load"))
		return -ECANCELED;
	rc = kx_kexec_file_kernel_fd(img, opts, &kfd);
	if (rc)
		return (int)rc;
	rc = initrd_fd(img, opts, &ifd);
	if (rc) {
		close(kfd);
		return (int)rc;
	}
	if (ifd < 0)
		flags |= KEXEC_FILE_NO_INITRAMFS;
	if (opts->type == KX_IMAGE_CRASH)
		flags |= KEXEC_FILE_ON_CRASH;
	rc = syscall(SYS_kexec_file_load, kfd, ifd, strlen(cmdline) + 1,
		     cmdline, flags);
	if (rc)
		rc = explain_kernel(img, errno, "kexec_file_load", opts->kernel);
	close(kfd);
	if (ifd >= 0)
		close(ifd);
	return (int)rc;
#else
	(void)opts;
	return explain(img, ENOSYS, "kexec_file_load");
#endif
}

int kx_kexec_unload(struct kx_image *img, enum kx_image_type type)
{
	unsigned long flags = type == KX_IMAGE_CRASH ? KEXEC_ON_CRASH : 0;
	long rc;

	if (forbidden(img, type == KX_IMAGE_CRASH ? "unload of the crash kernel" :
		      "unload"))
		return -EPERM;
	rc = syscall(SYS_kexec_load, 0UL, 0UL, NULL, flags);

#ifdef SYS_kexec_file_load
	/* A kernel loaded by kexec_file_load is unloaded by it too. */
	if (rc && (errno == ENOSYS || errno == EPERM || errno == EACCES)) {
		unsigned long fflags = KEXEC_FILE_UNLOAD;

		if (type == KX_IMAGE_CRASH)
			fflags |= KEXEC_FILE_ON_CRASH;
		rc = syscall(SYS_kexec_file_load, -1, -1, 0UL, NULL, fflags);
	}
#endif
	return rc ? explain(img, errno, "unload") : 0;
}

int kx_kexec_exec(struct kx_image *img, bool no_sync)
{
	struct kx_status st;

	/* First, as kexec-tools does (and harmless where the rest is
	 * refused): file systems are flushed unless asked not to be. */
	if (!no_sync)
		sync();
	if (forbidden(img, "reboot(LINUX_REBOOT_CMD_KEXEC)"))
		return -EPERM;
	if (kx_kexec_status(&st) == 0 && !st.loaded)
		return kx_err(img, -ENOENT,
			      "no kernel is loaded (kexload load first)");
	syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
		LINUX_REBOOT_CMD_KEXEC, NULL);
	return explain(img, errno, "reboot(LINUX_REBOOT_CMD_KEXEC)");
}

static int read_u64(const char *path, uint64_t *v)
{
	char *s;
	int rc = kx_read_text(path, &s, NULL);

	if (rc)
		return rc;
	*v = strtoull(s, NULL, 0);
	free(s);
	return 0;
}

int kx_kexec_status(struct kx_status *st)
{
	uint64_t v = 0;
	int rc;

	memset(st, 0, sizeof(*st));
	rc = read_u64("/sys/kernel/kexec_loaded", &v);
	if (rc)
		return rc;
	st->loaded = v;
	if (!read_u64("/sys/kernel/kexec_crash_loaded", &v))
		st->crash_loaded = v;
	if (!read_u64("/sys/kernel/kexec_crash_size", &v))
		st->crash_size = v;
	if (!read_u64("/proc/sys/kernel/kexec_load_disabled", &v))
		st->kexec_load_disabled = v;
	kx_lockdown_read(st->lockdown, sizeof(st->lockdown),
			 &st->lockdown_source);
	st->cap_sys_boot = kx_cap_sys_boot();
	st->uefi = !access("/sys/firmware/efi", F_OK);
	kx_kexec_probe(st);
	return 0;
}
