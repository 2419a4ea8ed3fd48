/* SPDX-License-Identifier: MIT */
/*
 * The choices lib/sys/lockdown.c makes from a machine's state, without a
 * system call: after kexec_load(2) failed with each errno, whether `load`
 * falls back to kexec_file_load(2) and why (table-driven); and the exact
 * message for each refusal of either call; and what the fallback hands
 * kexec_file_load for a wrapped arm64 kernel (Image.gz, EFI zboot): the
 * Image inside, through a memfd, since the kernel's own loader takes
 * only the Image.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kexload.h"
#include "../fixtures/arm64.h"
#include "tap.h"

static const struct kx_status root_none = {
	.lockdown = "none", .cap_sys_boot = true,
	.kexec_load = KX_CALL_AVAILABLE, .kexec_file_load = KX_CALL_AVAILABLE,
};
static const struct kx_status root_integrity = {
	.lockdown = "integrity", .cap_sys_boot = true,
	.kexec_load = KX_CALL_REFUSED, .kexec_file_load = KX_CALL_AVAILABLE,
};
/* securityfs not mounted, and kexload could not mount it */
static const struct kx_status root_unknown = {
	.lockdown = "", .cap_sys_boot = true,
	.kexec_load = KX_CALL_REFUSED, .kexec_file_load = KX_CALL_AVAILABLE,
};
static const struct kx_status user = {
	.lockdown = "none", .cap_sys_boot = false,
};
static const struct kx_status disabled = {
	.lockdown = "none", .cap_sys_boot = true, .kexec_load_disabled = true,
};
/* Debian's arm64: no kexec_file_load at all */
static const struct kx_status no_file_load = {
	.lockdown = "integrity", .cap_sys_boot = true,
	.kexec_load = KX_CALL_REFUSED, .kexec_file_load = KX_CALL_ABSENT,
};

static void test_falls_back(void)
{
	static const struct {
		int err;
		const struct kx_status *st;
		const char *st_name;
		const char *why;   /* NULL: no fallback */
	} cases[] = {
		{ -EPERM, &root_integrity, "root, integrity",
		  "the kernel is locked down" },
		{ -EPERM, &root_unknown, "root, lockdown unknown",
		  "the kernel is locked down" },
		{ -EACCES, &root_none, "root, IMA appraisal",
		  "the kernel's IMA policy appraises kernels, which kexec_load "
		  "cannot give it" },
		{ -ENOSYS, &root_none, "a kernel without kexec_load",
		  "the kernel has no kexec_load" },
		{ -EPERM, &user, "not root", NULL },
		{ -EPERM, &disabled, "kexec_load_disabled", NULL },
		{ -EPERM, &no_file_load, "no kexec_file_load", NULL },
		{ -EACCES, &no_file_load, "IMA, no kexec_file_load", NULL },
		{ -EINVAL, &root_integrity, "EINVAL", NULL },
		{ -EBUSY, &root_none, "EBUSY", NULL },
		{ -ENOMEM, &root_none, "ENOMEM", NULL },
		{ -EADDRNOTAVAIL, &root_none, "EADDRNOTAVAIL", NULL },
		{ -ECANCELED, &root_integrity, "KEXLOAD_FORBID_KEXEC", NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *why = "unset";
		bool fb = kx_kexec_falls_back(cases[i].err, cases[i].st, &why);

		is_int(fb, cases[i].why != NULL, "%s (%s): %s", strerror(-cases[i].err),
		       cases[i].st_name, cases[i].why ? "falls back" : "does not");
		if (cases[i].why)
			is_str(why, cases[i].why, "... because %s", cases[i].why);
		else
			ok(why == NULL, "... and gives no reason");
	}
}

static void test_explain(void)
{
	static const struct {
		int err;
		const char *call;
		const struct kx_status *st;
		const char *msg;
	} cases[] = {
		{ EPERM, "kexec_file_load", &root_integrity,
		  "kexec_file_load: refused: the kernel is locked down (integrity) "
		  "and refused /vmlinuz's signature: it loads only kernels signed "
		  "with a key it trusts" },
		{ EPERM, "kexec_file_load", &root_unknown,
		  "kexec_file_load: refused: the kernel is locked down and "
		  "refused /vmlinuz's signature: it loads only kernels signed "
		  "with a key it trusts" },
		{ EKEYREJECTED, "kexec_file_load", &root_integrity,
		  "kexec_file_load: the running kernel refused /vmlinuz: its "
		  "signature does not verify with a key the kernel trusts (Key "
		  "was rejected by service)" },
		{ EBADMSG, "kexec_file_load", &root_integrity,
		  "kexec_file_load: the running kernel refused /vmlinuz: its "
		  "signature is malformed (Bad message)" },
		{ ENOPKG, "kexec_file_load", &root_integrity,
		  "kexec_file_load: the running kernel refused /vmlinuz: it cannot "
		  "check the signature's algorithm or format (Package not "
		  "installed)" },
		{ EACCES, "kexec_file_load", &root_integrity,
		  "kexec_file_load: the running kernel's IMA policy refused "
		  "/vmlinuz: it is not signed as the policy demands (Permission "
		  "denied)" },
		{ ENOSYS, "kexec_file_load", &no_file_load,
		  "kexec_file_load: this kernel was built without it, and the "
		  "kernel is locked down (integrity): a locked-down kernel "
		  "without kexec_file_load cannot load another one" },
		{ ENOEXEC, "kexec_file_load", &root_integrity,
		  "kexec_file_load: the running kernel's own loader does not take "
		  "/vmlinuz's format (Exec format error)" },
		{ EPERM, "kexec_file_load", &user,
		  "kexec_file_load: not permitted: needs root (CAP_SYS_BOOT)" },
		{ EPERM, "kexec_load", &user,
		  "kexec_load: not permitted: needs root (CAP_SYS_BOOT)" },
		{ EPERM, "kexec_load", &disabled,
		  "kexec_load: not permitted: /proc/sys/kernel/kexec_load_disabled "
		  "is set (it stays set until reboot)" },
		{ EPERM, "kexec_load", &root_integrity,
		  "kexec_load: refused: the kernel is locked down (integrity); only "
		  "kexec_file_load with a signed kernel works here" },
		{ EPERM, "kexec_load", &no_file_load,
		  "kexec_load: refused: the kernel is locked down (integrity), and "
		  "this kernel has no kexec_file_load: a locked-down kernel cannot "
		  "load another one here" },
		{ EACCES, "kexec_load", &root_none,
		  "kexec_load: refused by the kernel's IMA policy, which appraises "
		  "kernels: only kexec_file_load with a signed kernel works here" },
		{ ENOSYS, "kexec_load", &root_none,
		  "kexec_load: this kernel was built without it" },
		{ EBUSY, "kexec_load", &root_none, "kexec_load: Device or resource busy" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[512];
		int rc = kx_kexec_explain(out, sizeof(out), cases[i].err,
					  cases[i].call, "/vmlinuz", cases[i].st);

		is_int(rc, -cases[i].err, "%s %s: returns -errno", cases[i].call,
		       strerror(cases[i].err));
		is_str(out, cases[i].msg, "%s %s: message", cases[i].call,
		       strerror(cases[i].err));
	}
}

/* ---- what kexec_file_load is handed ----------------------------------------- */

static char tmpdir[256];

static const char *put_tmp(const char *name, const void *p, size_t len)
{
	static char paths[8][300];
	static size_t n;
	char *path = paths[n++ % 8];
	FILE *f;

	snprintf(path, 300, "%s/%s", tmpdir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, len, f) != len)
		abort();
	fclose(f);
	return path;
}

/* The file behind @fd ("/memfd:kexload-kernel (deleted)" for a memfd) and
 * its bytes; closes @fd. */
static uint8_t *fd_contents(int fd, char *link, size_t linklen, size_t *len)
{
	char proc[64];
	struct stat st;
	uint8_t *p;
	ssize_t n;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = readlink(proc, link, linklen - 1);
	link[n > 0 ? n : 0] = '\0';
	if (fstat(fd, &st) || !(p = malloc((size_t)st.st_size + 1)))
		abort();
	*len = (size_t)pread(fd, p, (size_t)st.st_size, 0);
	close(fd);
	return p;
}

static void check_fd(const char *path, const uint8_t *want, size_t wantlen,
		     bool memfd, const char *what)
{
	struct kx_load_opts o = { .kernel = path };
	struct kx_image *img;
	char link[512];
	uint8_t *got;
	size_t len;
	int fd = -1;

	kx_image_new(&img);
	if (!is_int(kx_kexec_file_kernel_fd(img, &o, &fd), 0, "%s: a descriptor",
		    what)) {
		diag("%s", kx_image_error(img));
		kx_image_free(img);
		return;
	}
	got = fd_contents(fd, link, sizeof(link), &len);
	if (memfd)
		like(link, "/memfd:kexload-kernel", "%s: a memfd", what);
	else
		is_str(link, path, "%s: the file itself", what);
	ok(len == wantlen && !memcmp(got, want, len), "%s: holds the %s (%zu "
	   "bytes)", what, memfd ? "Image inside" : "file as it is", wantlen);
	free(got);
	kx_image_free(img);
}

static void test_file_load_kernel(void)
{
	const size_t n = 256 << 10;
	uint8_t *image = kx_fix_arm64_image(0, 0x400000, 0xa, n);
	struct kx_fix_zboot z = { .comp_name = "gzip", .method = "gzip",
				  .level = 9, .pe_machine = 0xaa64 };
	struct kx_load_opts o = { 0 };
	struct kx_image *img;
	uint8_t *gz, *zb, junk[4096];
	size_t gzlen, zblen;
	char msg[600];
	int fd = -1;

	if (kx_fix_compress("gzip", 9, image, n, &gz, &gzlen) ||
	    kx_fix_zboot(&z, image, n, &zb, &zblen))
		abort();
	check_fd(put_tmp("Image.gz", gz, gzlen), image, n, true, "Image.gz");
	check_fd(put_tmp("vmlinuz.efi", zb, zblen), image, n, true,
		 "EFI zboot (gzip)");
	check_fd(put_tmp("Image", image, n), image, n, false, "an Image");
	memset(junk, 0x3c, sizeof(junk));
	check_fd(put_tmp("unknown", junk, sizeof(junk)), junk, sizeof(junk), false,
		 "a format kexload does not know (the kernel decides)");

	o.kernel = "/nonexistent/vmlinuz";
	kx_image_new(&img);
	is_int(kx_kexec_file_kernel_fd(img, &o, &fd), -ENOENT,
	       "a missing kernel: -ENOENT");
	snprintf(msg, sizeof(msg), "%s: cannot open: No such file or directory",
		 o.kernel);
	is_str(kx_image_error(img), msg, "... with the message");
	is_int(fd, -1, "... and no descriptor");
	kx_image_free(img);
	free(image);
	free(gz);
	free(zb);
}

int main(void)
{
	const char *t = getenv("TMPDIR");
	char cmd[400];

	snprintf(tmpdir, sizeof(tmpdir), "%s/kx-test-lockdown-XXXXXX",
		 t && *t ? t : "/tmp");
	if (!mkdtemp(tmpdir)) {
		ok(false, "mkdtemp %s", tmpdir);
		return done_testing();
	}
	test_file_load_kernel();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd))
		diag("could not remove %s", tmpdir);
	test_falls_back();
	test_explain();
	return done_testing();
}
