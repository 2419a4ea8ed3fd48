/*
 * kx-measure: runs one command inside a make bench-vm guest and prints what
 * it cost, from the guest's own clock and kernel (bench/vm-kexec-tools.sh
 * reads the lines off the console).
 *
 *   kx-measure time LABEL CMD [ARG...]
 *	prints "LABEL start", then CLOCK_MONOTONIC from just before fork()
 *	to just after wait4() returns, and the child's peak resident set
 *	(wait4's ru_maxrss, the kernel's VmHWM of the child):
 *	"LABEL ns=N maxrss_kb=K rc=R". The parent only sleeps in wait4, so
 *	measuring takes nothing from the command on the guest's one CPU.
 *   kx-measure stamp LABEL
 *	prints "LABEL counter=C mono_ns=M": the CPU's free-running counter
 *	(x86 TSC, arm64 CNTVCT_EL0) and CLOCK_MONOTONIC. The counter is the
 *	machine's, not the kernel's: it keeps counting through a kexec, where
 *	the new kernel's clocks start again from zero, so two stamps on either
 *	side of one give the time between them, at the counter's rate (which
 *	the host works out from two stamps of the first kernel).
 *   kx-measure mem LABEL CMD [ARG...]
 *	runs the command while reading its /proc/PID/status every 2 ms (an
 *	untimed run: sampling costs CPU), and prints the peaks of RssAnon
 *	(its private anonymous memory: heap and anonymous mappings),
 *	RssFile and RssShmem (file pages it maps; a file on the initramfs,
 *	tmpfs, counts as shmem), the number of samples, and ru_maxrss:
 *	"LABEL anon_kb=A file_kb=F shmem_kb=S samples=N maxrss_kb=K rc=R".
 *
 * R is the command's exit status, or 128 + the signal that ended it, or
 * 127 if it could not be run. The lines go to standard error, so that the
 * command's own output can be sent elsewhere (kx-measure ... >/dev/null).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The architecture's free-running counter, readable from user space. */
static unsigned long long counter(void)
{
#if defined(__x86_64__)
	unsigned int lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (unsigned long long)hi << 32 | lo;
#elif defined(__aarch64__)
	unsigned long long v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
	return v;
#else
#error "kx-measure: no counter for this architecture"
#endif
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int status_of(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return 255;
}

static pid_t start(char **argv)
{
	pid_t pid = fork();

	if (pid == 0) {
		execv(argv[0], argv);
		fprintf(stderr, "kx-measure: cannot run %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	return pid;
}

/* One "Name:  N kB" field of a /proc/PID/status text, or -1. */
static long field_kb(const char *text, const char *name)
{
	const char *p = strstr(text, name);

	return p ? strtol(p + strlen(name), NULL, 10) : -1;
}

struct peaks {
	long anon, file, shmem, samples;
};

static void peak(long *max, long v)
{
	if (v > *max)
		*max = v;
}

static void sample(pid_t pid, struct peaks *p)
{
	char path[64], buf[4096];
	FILE *f;
	size_t n;
	long a, fl, sh;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* a zombie's status has no memory fields: not a sample */
	a = field_kb(buf, "\nRssAnon:");
	fl = field_kb(buf, "\nRssFile:");
	sh = field_kb(buf, "\nRssShmem:");
	if (a < 0 || fl < 0 || sh < 0)
		return;
	peak(&p->anon, a);
	peak(&p->file, fl);
	peak(&p->shmem, sh);
	p->samples++;
}

static int cmd_time(const char *label, char **argv)
{
	struct rusage ru;
	long long t0, t1;
	pid_t pid;
	int st;

	fprintf(stderr, "%s start\n", label);
	t0 = now_ns();
	pid = start(argv);
	if (pid < 0 || wait4(pid, &st, 0, &ru) != pid) {
		perror("kx-measure");
		return 1;
	}
	t1 = now_ns();
	fprintf(stderr, "%s ns=%lld maxrss_kb=%ld rc=%d\n", label, t1 - t0,
	       ru.ru_maxrss, status_of(st));
	return 0;
}

static int cmd_mem(const char *label, char **argv)
{
	const struct timespec tick = { 0, 2000000 };
	struct peaks p = { 0, 0, 0, 0 };
	struct rusage ru;
	pid_t pid, w;
	int st;

	pid = start(argv);
	if (pid < 0) {
		perror("kx-measure");
		return 1;
	}
	for (;;) {
		sample(pid, &p);
		w = wait4(pid, &st, WNOHANG, &ru);
		if (w == pid)
			break;
		if (w < 0) {
			perror("kx-measure");
			return 1;
		}
		nanosleep(&tick, NULL);
	}
	fprintf(stderr, "%s anon_kb=%ld file_kb=%ld shmem_kb=%ld samples=%ld "
		"maxrss_kb=%ld rc=%d\n", label, p.anon, p.file, p.shmem,
		p.samples, ru.ru_maxrss, status_of(st));
	return 0;
}

static int cmd_stamp(const char *label)
{
	unsigned long long c = counter();
	long long m = now_ns();

	fprintf(stderr, "%s counter=%llu mono_ns=%lld\n", label, c, m);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "stamp"))
		return cmd_stamp(argv[2]);
	if (argc >= 4 && !strcmp(argv[1], "time"))
		return cmd_time(argv[2], argv + 3);
	if (argc >= 4 && !strcmp(argv[1], "mem"))
		return cmd_mem(argv[2], argv + 3);
	fprintf(stderr, "usage: kx-measure time|mem LABEL CMD [ARG...]\n"
			"       kx-measure stamp LABEL\n");
	return 2;
}
