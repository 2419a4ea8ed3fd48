/* SPDX-License-Identifier: MIT */
/*
 * Lockdown and the two load calls (Documentation/admin-guide/LSM and the
 * kernel's kexec_load / kexec_file_load checks): what state the machine
 * is in, whether kexload falls back from kexec_load(2) to
 * kexec_file_load(2), and the message for a refused load.
 *
 * The lockdown mode is read from securityfs; where it is not mounted (a
 * minimal initramfs) kexload mounts it in a mount namespace of its own, in
 * a child process, so the caller's mounts are untouched. Each call is
 * asked whether it is there with arguments no kernel accepts (an unknown
 * flag, and for kexec_load more segments than any kernel takes), which
 * load and unload nothing: EINVAL means it is there and allowed, EPERM or
 * EACCES that it is refused (root, kexec_load_disabled, lockdown, IMA),
 * ENOSYS that the kernel was built without it. Nothing here asks while
 * KEXLOAD_FORBID_KEXEC is set.
 */
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../core/internal.h"
#include "lockdown.h"

#define SECURITYFS_LOCKDOWN "/sys/kernel/security/lockdown"
#define CAP_SYS_BOOT 22
#define PROBE_FLAG 0x8000UL      /* in no kernel's KEXEC_FLAGS */
#define PROBE_SEGMENTS 4096UL    /* past every KEXEC_SEGMENT_MAX */

/* "none [integrity] confidentiality" -> "integrity" */
static bool parse_lockdown(const char *s, char *out, size_t len)
{
	const char *l = strchr(s, '['), *r = l ? strchr(l, ']') : NULL;

	if (!l || !r)
		return false;
	snprintf(out, len, "%.*s", (int)(r - l - 1), l + 1);
	return true;
}

/* In a child with a mount namespace of its own: mount securityfs there,
 * read the lockdown file, and pass it back through a pipe. */
static bool read_private(char *out, size_t len)
{
	char buf[128] = "";
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	if (geteuid() != 0 || pipe(fds))
		return false;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return false;
	}
	if (pid == 0) {
		char *s;

		close(fds[0]);
		if (!unshare(CLONE_NEWNS) &&
		    !mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) &&
		    !mount("securityfs", "/sys/kernel/security", "securityfs", 0,
			   NULL) &&
		    !kx_read_text(SECURITYFS_LOCKDOWN, &s, NULL)) {
			if (write(fds[1], s, strlen(s)) < 0)
				_exit(1);
		}
		_exit(0);
	}
	close(fds[1]);
	n = read(fds[0], buf, sizeof(buf) - 1);
	close(fds[0]);
	waitpid(pid, &status, 0);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	return parse_lockdown(buf, out, len);
}

void kx_lockdown_read(char *out, size_t len, const char **source)
{
	char *s;

	snprintf(out, len, "%s", "");
	*source = "";
	if (!kx_read_text(SECURITYFS_LOCKDOWN, &s, NULL)) {
		if (parse_lockdown(s, out, len))
			*source = "securityfs";
		free(s);
		return;
	}
	if (read_private(out, len))
		*source = "securityfs (mounted privately)";
}

bool kx_cap_sys_boot(void)
{
	char *s, *p;
	bool yes = false;

	if (kx_read_text("/proc/self/status", &s, NULL))
		return geteuid() == 0;
	p = strstr(s, "\nCapEff:");
	if (p)
		yes = strtoull(p + 8, NULL, 16) >> CAP_SYS_BOOT & 1;
	free(s);
	return yes;
}

static enum kx_call_state probe_result(long rc, int e, int *err)
{
	*err = 0;
	if (!rc || e == EINVAL || e == EBADF)
		return KX_CALL_AVAILABLE;
	if (e == ENOSYS)
		return KX_CALL_ABSENT;
	*err = e;
	return KX_CALL_REFUSED;
}

void kx_kexec_probe(struct kx_status *st)
{
	const char *v = getenv("KEXLOAD_FORBID_KEXEC");
	long rc;

	st->kexec_load = st->kexec_file_load = KX_CALL_UNKNOWN;
	if (v && *v && strcmp(v, "0"))
		return;
	rc = syscall(SYS_kexec_load, 0UL, PROBE_SEGMENTS, NULL, PROBE_FLAG);
	st->kexec_load = probe_result(rc, errno, &st->kexec_load_errno);
#ifdef SYS_kexec_file_load
	rc = syscall(SYS_kexec_file_load, -1, -1, 0UL, NULL, PROBE_FLAG);
	st->kexec_file_load = probe_result(rc, errno,
					   &st->kexec_file_load_errno);
#else
	st->kexec_file_load = KX_CALL_ABSENT;
#endif
}

const char *kx_call_state_name(enum kx_call_state s)
{
	switch (s) {
	case KX_CALL_AVAILABLE: return "available";
	case KX_CALL_REFUSED: return "refused";
	case KX_CALL_ABSENT: return "absent";
	default: return "unknown";
	}
}

static bool locked_down(const struct kx_status *st)
{
	return st->lockdown[0] && strcmp(st->lockdown, "none");
}

bool kx_kexec_falls_back(int err, const struct kx_status *st, const char **why)
{
	const char *w = NULL;

	switch (-err) {
	case EACCES:
		w = "the kernel's IMA policy appraises kernels, which "
		    "kexec_load cannot give it";
		break;
	case EPERM:
		/* Not root, or kexec disabled: kexec_file_load is refused
		 * the same way. Else it is lockdown (or an LSM). */
		if (!st->cap_sys_boot || st->kexec_load_disabled)
			break;
		w = "the kernel is locked down";
		break;
	case ENOSYS:
		w = "the kernel has no kexec_load";
		break;
	}
	if (w && st->kexec_file_load == KX_CALL_ABSENT)
		w = NULL;
	if (why)
		*why = w;
	return w != NULL;
}

/* "the kernel is locked down (integrity)", or without the mode where it
 * is unknown. */
static void lock_words(char *out, size_t len, const struct kx_status *st)
{
	if (locked_down(st))
		snprintf(out, len, "the kernel is locked down (%s)", st->lockdown);
	else
		snprintf(out, len, "the kernel is locked down");
}

static int explain_file(char *out, size_t len, int e, const char *kernel,
			const struct kx_status *st)
{
	const char *call = "kexec_file_load";
	char lock[96];

	lock_words(lock, sizeof(lock), st);
	switch (e) {
	case EKEYREJECTED:
		snprintf(out, len, "%s: the running kernel refused %s: its "
			 "signature does not verify with a key the kernel "
			 "trusts (%s)", call, kernel, strerror(e));
		return -e;
	case EBADMSG:
		snprintf(out, len, "%s: the running kernel refused %s: its "
			 "signature is malformed (%s)", call, kernel,
			 strerror(e));
		return -e;
	case ENOPKG:
		snprintf(out, len, "%s: the running kernel refused %s: it "
			 "cannot check the signature's algorithm or format "
			 "(%s)", call, kernel, strerror(e));
		return -e;
	case ENODATA:
	case ENOKEY:
		snprintf(out, len, "%s: the running kernel refused %s: it is "
			 "not signed with a key the kernel has (%s)", call,
			 kernel, strerror(e));
		return -e;
	case EACCES:
		snprintf(out, len, "%s: the running kernel's IMA policy refused "
			 "%s: it is not signed as the policy demands (%s)",
			 call, kernel, strerror(e));
		return -e;
	case ENOSYS:
		snprintf(out, len, "%s: this kernel was built without it, and "
			 "%s: a locked-down kernel without kexec_file_load "
			 "cannot load another one", call, lock);
		return -e;
	case ENOEXEC:
		snprintf(out, len, "%s: the running kernel's own loader does not "
			 "take %s's format (%s)", call, kernel, strerror(e));
		return -e;
	}
	if (e == EPERM && st->cap_sys_boot && !st->kexec_load_disabled) {
		snprintf(out, len, "%s: refused: %s and refused %s's signature: "
			 "it loads only kernels signed with a key it trusts",
			 call, lock, kernel);
		return -e;
	}
	return 0;
}

int kx_kexec_explain(char *out, size_t len, int e, const char *call,
		     const char *kernel, const struct kx_status *st)
{
	char lock[96];

	if (!strcmp(call, "kexec_file_load") && kernel &&
	    explain_file(out, len, e, kernel, st))
		return -e;
	lock_words(lock, sizeof(lock), st);
	if (e == EPERM && st->kexec_load_disabled)
		snprintf(out, len, "%s: not permitted: "
			 "/proc/sys/kernel/kexec_load_disabled is set (it stays "
			 "set until reboot)", call);
	else if (e == EPERM && !st->cap_sys_boot)
		snprintf(out, len, "%s: not permitted: needs root "
			 "(CAP_SYS_BOOT)", call);
	else if ((e == EPERM || e == EACCES) &&
		 st->kexec_file_load == KX_CALL_ABSENT)
		snprintf(out, len, "%s: refused: %s, and this kernel has no "
			 "kexec_file_load: a locked-down kernel cannot load "
			 "another one here", call, lock);
	else if (e == EPERM)
		snprintf(out, len, "%s: refused: %s; only kexec_file_load with "
			 "a signed kernel works here", call, lock);
	else if (e == EACCES && !strcmp(call, "kexec_load"))
		snprintf(out, len, "%s: refused by the kernel's IMA policy, "
			 "which appraises kernels: only kexec_file_load with a "
			 "signed kernel works here", call);
	else if (e == ENOSYS)
		snprintf(out, len, "%s: this kernel was built without it", call);
	else
		snprintf(out, len, "%s: %s", call, strerror(e));
	return -e;
}
