/* SPDX-License-Identifier: MIT */
/*
 * The system calls that change kernel state: kexec_load(2),
 * kexec_file_load(2) and reboot(2) with LINUX_REBOOT_CMD_KEXEC, and the
 * /sys and /proc files that say what is loaded. Nothing else in kexload
 * makes these calls; the tests never do outside a QEMU guest.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../core/internal.h"

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

/* Test suites on development and CI machines set KEXLOAD_FORBID_KEXEC=1,
 * so that nothing they run can load or execute a kernel by accident. */
static bool forbidden(const char *call, char *err, size_t errlen)
{
	const char *v = getenv("KEXLOAD_FORBID_KEXEC");

	if (!v || !*v || !strcmp(v, "0"))
		return false;
	snprintf(err, errlen, "%s: refused: KEXLOAD_FORBID_KEXEC is set", call);
	return true;
}

static void read_lockdown(char *out, size_t len)
{
	char *s, *l, *r;

	snprintf(out, len, "%s", "");
	if (kx_read_text("/sys/kernel/security/lockdown", &s, NULL))
		return;
	l = strchr(s, '[');
	r = l ? strchr(l, ']') : NULL;
	if (l && r) {
		*r = '\0';
		snprintf(out, len, "%s", l + 1);
	}
	free(s);
}

static int explain(int e, const char *call, char *err, size_t errlen)
{
	char lock[32];

	read_lockdown(lock, sizeof(lock));
	if (e == EPERM && lock[0] && strcmp(lock, "none"))
		snprintf(err, errlen,
			 "%s: refused: the kernel is locked down (%s); only "
			 "kexec_file_load with a signed kernel works here "
			 "(kexload load --file-syscall)", call, lock);
	else if (e == EPERM)
		snprintf(err, errlen,
			 "%s: not permitted: needs root (CAP_SYS_BOOT), and "
			 "/proc/sys/kernel/kexec_load_disabled must be 0", call);
	else if (e == ENOSYS)
		snprintf(err, errlen, "%s: this kernel was built without it",
			 call);
	else
		snprintf(err, errlen, "%s: %s", call, strerror(e));
	return -e;
}

int kx_kexec_load(const struct kx_image *img, char *err, size_t errlen)
{
	struct kexec_segment_abi segs[KX_MAX_SEGMENTS];
	size_t n = kx_image_segment_count(img);
	long rc;

	if (forbidden("kexec_load", err, errlen))
		return -EPERM;
	if (!n) {
		snprintf(err, errlen, "nothing to load");
		return -EINVAL;
	}
	if (kx_image_arch(img) != kx_arch_host()) {
		snprintf(err, errlen, "kexec_load: the image is for %s, this "
			 "machine is %s", kx_arch_name(kx_image_arch(img)),
			 kx_arch_name(kx_arch_host()));
		return -EINVAL;
	}
	for (size_t i = 0; i < n; i++) {
		const struct kx_segment *s = kx_image_segment(img, i);

		segs[i] = (struct kexec_segment_abi){
			s->buf, s->bufsz, (const void *)(uintptr_t)s->mem,
			(size_t)s->memsz };
	}
	rc = syscall(SYS_kexec_load, (unsigned long)kx_image_entry(img),
		     (unsigned long)n, segs, kx_image_kexec_flags(img));
	return rc ? explain(errno, "kexec_load", err, errlen) : 0;
}

int kx_kexec_file_load(const struct kx_load_opts *opts, char *err,
		       size_t errlen)
{
#ifdef SYS_kexec_file_load
	const char *cmdline = opts->cmdline ? opts->cmdline : "";
	unsigned long flags = 0;
	int kfd, ifd = -1;
	long rc;

	if (forbidden("kexec_file_load", err, errlen))
		return -EPERM;
	kfd = open(opts->kernel, O_RDONLY | O_CLOEXEC);
	if (kfd < 0) {
		snprintf(err, errlen, "%s: %s", opts->kernel, strerror(errno));
		return -errno;
	}
	if (opts->initrd) {
		ifd = open(opts->initrd, O_RDONLY | O_CLOEXEC);
		if (ifd < 0) {
			int e = errno;

			snprintf(err, errlen, "%s: %s", opts->initrd, strerror(e));
			close(kfd);
			return -e;
		}
	} else {
		flags |= KEXEC_FILE_NO_INITRAMFS;
	}
	if (opts->type == KX_IMAGE_CRASH)
		flags |= KEXEC_FILE_ON_CRASH;
	rc = syscall(SYS_kexec_file_load, kfd, ifd, strlen(cmdline) + 1,
		     cmdline, flags);
	if (rc)
		rc = explain(errno, "kexec_file_load", err, errlen);
	close(kfd);
	if (ifd >= 0)
		close(ifd);
	return (int)rc;
#else
	(void)opts;
	return explain(ENOSYS, "kexec_file_load", err, errlen);
#endif
}

int kx_kexec_unload(enum kx_image_type type, char *err, size_t errlen)
{
	unsigned long flags = type == KX_IMAGE_CRASH ? KEXEC_ON_CRASH : 0;
	long rc;

	if (forbidden("unload", err, errlen))
		return -EPERM;
	rc = syscall(SYS_kexec_load, 0UL, 0UL, NULL, flags);

#ifdef SYS_kexec_file_load
	/* A kernel loaded by kexec_file_load is unloaded by it too. */
	if (rc && (errno == ENOSYS || errno == EPERM)) {
		unsigned long fflags = KEXEC_FILE_UNLOAD;

		if (type == KX_IMAGE_CRASH)
			fflags |= KEXEC_FILE_ON_CRASH;
		rc = syscall(SYS_kexec_file_load, -1, -1, 0UL, NULL, fflags);
	}
#endif
	return rc ? explain(errno, "unload", err, errlen) : 0;
}

int kx_kexec_exec(char *err, size_t errlen)
{
	struct kx_status st;

	if (forbidden("reboot(LINUX_REBOOT_CMD_KEXEC)", err, errlen))
		return -EPERM;
	if (kx_kexec_status(&st) == 0 && !st.loaded) {
		snprintf(err, errlen, "no kernel is loaded (kexload load first)");
		return -ENOENT;
	}
	sync();
	syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
		LINUX_REBOOT_CMD_KEXEC, NULL);
	return explain(errno, "reboot(LINUX_REBOOT_CMD_KEXEC)", err, errlen);
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
	read_lockdown(st->lockdown, sizeof(st->lockdown));
	return 0;
}
