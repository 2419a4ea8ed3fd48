/* SPDX-License-Identifier: MIT */
/*
 * What a crash load needs to know about the running kernel, read from /sys
 * and /proc (or the same files under a test's directory): the crash notes
 * of each possible CPU (Documentation/ABI/testing/sysfs-devices-system-cpu:
 * crash_notes, crash_notes_size), the VMCOREINFO note
 * (Documentation/ABI/testing/sysfs-kernel-vmcoreinfo), and, from the
 * program headers of /proc/kcore, the kernel text's mapping and the linear
 * map's offset. Nothing here reads /proc/kallsyms, which hides addresses
 * under kptr_restrict. The library gets the result as data.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/internal.h"

#define KCORE_HEAD (256 * 1024)   /* enough for thousands of headers */
#define PT_LOAD 1

static int ci_err(struct kx_crash_info *ci, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int ci_err(struct kx_crash_info *ci, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ci->err, sizeof(ci->err), fmt, ap);
	va_end(ap);
	return code;
}

static void path_of(char *out, size_t len, const char *root, const char *rel)
{
	size_t n = strlen(root);

	while (n && root[n - 1] == '/')
		n--;
	snprintf(out, len, "%.*s/%s", (int)n, root, rel);
}

/* A file of numbers: up to @n of them, in @base (0: C rules). */
static int read_numbers(struct kx_crash_info *ci, const char *path,
			uint64_t *v, int n, int base)
{
	char *s, *p, *end;
	int rc = kx_read_text(path, &s, NULL), k;

	if (rc)
		return ci_err(ci, rc, "%s: cannot read: %s%s", path,
			      strerror(-rc), rc == -EACCES || rc == -EPERM ?
			      " (a crash load needs root)" : "");
	p = s;
	for (k = 0; k < n; k++) {
		v[k] = strtoull(p, &end, base);
		if (end == p)
			break;
		p = end;
	}
	free(s);
	if (k < n)
		return ci_err(ci, -EINVAL, "%s: expected %d number%s", path, n,
			      n > 1 ? "s" : "");
	return 0;
}

/* One possible CPU's notes; a CPU without the files (not present) has
 * none. */
static int read_cpu(struct kx_crash_info *ci, const char *root, unsigned cpu)
{
	char rel[96], path[1024];
	uint64_t addr, size;
	int rc;

	snprintf(rel, sizeof(rel), "sys/devices/system/cpu/cpu%u/crash_notes",
		 cpu);
	path_of(path, sizeof(path), root, rel);
	if (access(path, F_OK))
		return 0;
	rc = read_numbers(ci, path, &addr, 1, 16);
	if (rc)
		return rc;
	strcat(rel, "_size");
	path_of(path, sizeof(path), root, rel);
	rc = read_numbers(ci, path, &size, 1, 10);
	if (rc)
		return rc;
	if (!addr || !size)
		return ci_err(ci, -EINVAL, "%s: CPU %u's crash notes at 0x%" PRIx64
			      ", %" PRIu64 " bytes: not usable", path, cpu, addr,
			      size);
	ci->cpus[ci->ncpus++] = (struct kx_crash_note){ addr, size };
	return 0;
}

/* sys/devices/system/cpu/possible: "0-3,6". */
static int read_cpus(struct kx_crash_info *ci, const char *root)
{
	char path[1024], *s, *p;
	unsigned max = 0;
	int rc;

	path_of(path, sizeof(path), root, "sys/devices/system/cpu/possible");
	rc = kx_read_text(path, &s, NULL);
	if (rc)
		return ci_err(ci, rc, "%s: cannot read: %s", path, strerror(-rc));
	for (p = s; *p; p++)   /* the largest number bounds the count */
		if (*p >= '0' && *p <= '9') {
			unsigned v = (unsigned)strtoul(p, &p, 10);

			max = v > max ? v : max;
			p--;
		}
	ci->cpus = calloc(max + 1, sizeof(*ci->cpus));
	rc = ci->cpus ? 0 : ci_err(ci, -ENOMEM, "out of memory");
	for (p = s; !rc && *p && *p != '\n';) {
		char *end;
		unsigned lo = (unsigned)strtoul(p, &end, 10), hi = lo;

		if (end == p) {
			rc = ci_err(ci, -EINVAL, "%s: not a CPU list", path);
			break;
		}
		if (*end == '-')
			hi = (unsigned)strtoul(end + 1, &end, 10);
		for (unsigned c = lo; !rc && c <= hi && c <= max; c++)
			rc = read_cpu(ci, root, c);
		p = *end == ',' ? end + 1 : end;
	}
	free(s);
	if (!rc && !ci->ncpus)
		rc = ci_err(ci, -ENOENT, "%s/cpu*/crash_notes: none (a kernel "
			    "built without CONFIG_CRASH_DUMP?)",
			    "sys/devices/system/cpu");
	return rc;
}

struct kcore_load {
	uint64_t vaddr, paddr, size;
};

/* The program headers of /proc/kcore: each PT_LOAD that has a physical
 * address (the kernel gives one to its text and to RAM, all ones to the
 * rest). The linear map is the offset most of them share by size; the
 * text is the first with another (none where the text is in the linear
 * map, as on 32-bit ARM). */
static int parse_kcore(struct kx_crash_info *ci, const char *path,
		       const uint8_t *buf, size_t len)
{
	struct kx_reader r;
	struct kcore_load loads[64];
	size_t n = 0;
	uint64_t best = 0, none;
	bool is64, be;
	unsigned phnum, phent;
	uint64_t phoff;

	kx_reader_init(&r, buf, len, path);
	if (len < 52 || memcmp(buf, "\177ELF", 4) || (buf[4] != 1 && buf[4] != 2)
	    || (buf[5] != 1 && buf[5] != 2))
		return ci_err(ci, -EINVAL, "%s: not an ELF file", path);
	is64 = buf[4] == 2;
	be = buf[5] == 2;
#define RD(off, w) ((w) == 8 ? (be ? kx_rd_be64(&r, off) : kx_rd_le64(&r, off)) : \
		    (w) == 4 ? (be ? kx_rd_be32(&r, off) : kx_rd_le32(&r, off)) : \
		    (be ? kx_rd_be16(&r, off) : kx_rd_le16(&r, off)))
	phoff = is64 ? RD(32, 8) : RD(28, 4);
	phent = (unsigned)(is64 ? RD(54, 2) : RD(42, 2));
	phnum = (unsigned)(is64 ? RD(56, 2) : RD(44, 2));
	none = is64 ? UINT64_MAX : UINT32_MAX;
	if (phent != (is64 ? 56u : 32u))
		return ci_err(ci, -EINVAL, "%s: program headers of %u bytes",
			      path, phent);
	for (unsigned i = 0; i < phnum && n < KX_ARRAY_SIZE(loads); i++) {
		uint64_t o = phoff + (uint64_t)i * phent;
		struct kcore_load l;

		if (RD(o, 4) != PT_LOAD)
			continue;
		l.vaddr = is64 ? RD(o + 16, 8) : RD(o + 8, 4);
		l.paddr = is64 ? RD(o + 24, 8) : RD(o + 12, 4);
		l.size = is64 ? RD(o + 40, 8) : RD(o + 20, 4);
		if (!r.failed && l.paddr != none && l.size)
			loads[n++] = l;
	}
#undef RD
	if (r.failed)
		return ci_err(ci, -EINVAL, "%s: program headers cut short", path);
	for (size_t i = 0; i < n; i++) {
		uint64_t off = loads[i].vaddr - loads[i].paddr, sum = 0;

		for (size_t k = 0; k < n; k++)
			if (loads[k].vaddr - loads[k].paddr == off)
				sum += loads[k].size;
		if (sum > best) {
			best = sum;
			ci->linear_offset = off;
			ci->linear = true;
		}
	}
	if (!ci->linear)
		return ci_err(ci, -EINVAL, "%s: no memory with a physical address "
			      "in its program headers (a kernel older than "
			      "4.19?)", path);
	for (size_t i = 0; i < n; i++) {
		if (loads[i].vaddr - loads[i].paddr == ci->linear_offset)
			continue;
		ci->text_virt = loads[i].vaddr;
		ci->text_phys = loads[i].paddr;
		ci->text_size = loads[i].size;
		break;
	}
	return 0;
}

/* Where there is no /proc/kcore (Debian's armhf kernel has none), a
 * 32-bit kernel's linear map is still known without kallsyms: it maps
 * the first RAM (PHYS_OFFSET, the first System RAM of /proc/iomem) at
 * PAGE_OFFSET, which is TASK_SIZE + 16 MiB (arch/arm/include/asm/memory.h)
 * and a multiple of 256 MiB for every split the kernel offers; the top of
 * this process's stack lies within 8 MiB (its randomisation) under
 * TASK_SIZE. */
static int linear_from_maps(struct kx_crash_info *ci, const char *root)
{
	char path[1024], *s, *line;
	uint64_t stack_end = 0, ram = UINT64_MAX, page_offset;
	int rc;

	path_of(path, sizeof(path), root, "proc/self/maps");
	if (kx_read_text(path, &s, NULL))
		return -ENOENT;
	for (line = strtok(s, "\n"); line; line = strtok(NULL, "\n"))
		if (strstr(line, "[stack]"))
			stack_end = strtoull(strchr(line, '-') + 1, NULL, 16);
	free(s);
	path_of(path, sizeof(path), root, "proc/iomem");
	rc = kx_read_text(path, &s, NULL);
	if (rc)
		return rc;
	for (line = strtok(s, "\n"); line; line = strtok(NULL, "\n"))
		if (line[0] != ' ' && strstr(line, " : System RAM")) {
			ram = strtoull(line, NULL, 16);
			break;
		}
	free(s);
	if (!stack_end || stack_end > UINT32_MAX || ram == UINT64_MAX)
		return -ENOENT;
	page_offset = kx_align_up(stack_end + (16ULL << 20), 256ULL << 20);
	ci->linear_offset = (page_offset - ram) & UINT32_MAX;
	ci->linear = true;
	return 0;
}

static int read_kcore(struct kx_crash_info *ci, const char *root)
{
	char path[1024];
	uint8_t *buf = malloc(KCORE_HEAD);
	ssize_t got;
	int fd, rc;

	path_of(path, sizeof(path), root, "proc/kcore");
	if (!buf)
		return ci_err(ci, -ENOMEM, "out of memory");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		free(buf);
		if (rc == -ENOENT && !linear_from_maps(ci, root))
			return 0;
		return ci_err(ci, rc, "%s: cannot open: %s (the crash kernel's "
			      "dump needs the kernel's virtual addresses)", path,
			      strerror(-rc));
	}
	got = pread(fd, buf, KCORE_HEAD, 0);
	rc = got < 0 ? ci_err(ci, -errno, "%s: cannot read: %s", path,
			       strerror(errno)) :
		       parse_kcore(ci, path, buf, (size_t)got);
	close(fd);
	free(buf);
	return rc;
}

int kx_crash_info_read(struct kx_crash_info *ci, const char *root)
{
	char path[1024];
	uint64_t v[2];
	int rc;

	memset(ci, 0, sizeof(*ci));
	if (!root)
		root = "";
	rc = read_cpus(ci, root);
	if (!rc) {
		path_of(path, sizeof(path), root, "sys/kernel/vmcoreinfo");
		rc = read_numbers(ci, path, v, 2, 16);
		ci->vmcoreinfo = (struct kx_crash_note){ v[0], v[1] };
	}
	if (!rc)
		rc = read_kcore(ci, root);
	if (rc) {
		char err[sizeof(ci->err)];

		memcpy(err, ci->err, sizeof(err));
		kx_crash_info_release(ci);
		memcpy(ci->err, err, sizeof(err));
	}
	return rc;
}

void kx_crash_info_release(struct kx_crash_info *ci)
{
	free(ci->cpus);
	memset(ci, 0, sizeof(*ci));
}

bool kx_crash_hotplug_supported(void)
{
	static const char *const files[] = {
		"/sys/devices/system/cpu/crash_hotplug",
		"/sys/devices/system/memory/crash_hotplug",
	};

	for (size_t i = 0; i < KX_ARRAY_SIZE(files); i++) {
		char *s;
		bool yes;

		if (kx_read_text(files[i], &s, NULL))
			continue;
		yes = s[0] == '1';
		free(s);
		if (yes)
			return true;
	}
	return false;
}
