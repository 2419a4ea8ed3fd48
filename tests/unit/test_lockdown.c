/* SPDX-License-Identifier: MIT */
/*
 * The choices lib/sys/lockdown.c makes from a machine's state, without a
 * system call: after kexec_load(2) failed with each errno, whether `load`
 * falls back to kexec_file_load(2) and why (table-driven); and the exact
 * message for each refusal of either call.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kexload.h"
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
		  "kexec_load: refused: the kernel is locked down (integrity); only "
		  "kexec_file_load with a signed kernel works here" },
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

int main(void)
{
	test_falls_back();
	test_explain();
	return done_testing();
}
