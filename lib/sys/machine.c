/* SPDX-License-Identifier: MIT */
/*
 * The one place that reads the running machine's /proc and /sys for what a
 * load needs to know about it: the memory map and the current command line.
 * Formats never look here; what they need comes to them as data.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/internal.h"
#include "machine.h"

static int read_fw_entry(struct kx_memmap *map, const char *dir,
			 const char *name)
{
	char path[512], *v[3] = { 0 };
	static const char *const files[3] = { "start", "end", "type" };
	int rc = 0;

	for (int i = 0; i < 3 && !rc; i++) {
		snprintf(path, sizeof(path), "%s/%s/%s", dir, name, files[i]);
		rc = kx_read_text(path, &v[i], NULL);
		if (rc)
			kx_memmap_seterr(map, rc, "%s: cannot read: %s", path,
					 strerror(-rc));
	}
	if (!rc) {
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		rc = kx_memmap_parse_firmware_entry(map, path, v[0], v[1], v[2]);
	}
	for (int i = 0; i < 3; i++)
		free(v[i]);
	return rc;
}

int kx_memmap_read_firmware(struct kx_memmap *map, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int rc = 0, n = 0;

	if (!d)
		return kx_memmap_seterr(map, -errno, "%s: cannot open: %s", dir,
					strerror(errno));
	for (errno = 0; !rc && (de = readdir(d)); errno = 0) {
		if (de->d_name[0] == '.')
			continue;
		rc = read_fw_entry(map, dir, de->d_name);
		n++;
	}
	if (!rc && errno)
		rc = kx_memmap_seterr(map, -errno, "%s: cannot read: %s", dir,
				      strerror(errno));
	closedir(d);
	if (!rc && !n)
		rc = kx_memmap_seterr(map, -ENOENT, "%s: a directory with no "
				      "memory map entries (N/start, N/end, "
				      "N/type, as in /sys/firmware/memmap)", dir);
	return rc;
}

int kx_memmap_read_iomem(struct kx_memmap *map, const char *path)
{
	struct kx_file f;
	int rc = kx_file_open(&f, path);

	if (rc)
		return kx_memmap_seterr(map, rc, "%s", f.err);
	rc = kx_memmap_parse_iomem(map, path, (const char *)f.data,
				   (size_t)f.size);
	kx_file_close(&f);
	return rc;
}

int kx_memmap_read_file(struct kx_memmap *map, const char *path)
{
	struct stat st;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return kx_memmap_read_firmware(map, path);
	return kx_memmap_read_iomem(map, path);
}

/* A big-endian number of 4 or 8 bytes from a /proc/device-tree property. */
static bool dt_number(const char *path, uint64_t *v)
{
	char *s;
	size_t len;

	if (kx_read_text(path, &s, &len))
		return false;
	*v = 0;
	for (size_t i = 0; i < len && (len == 4 || len == 8); i++)
		*v = *v << 8 | (uint8_t)s[i];
	free(s);
	return len == 4 || len == 8;
}

static bool has_crash(const struct kx_memmap *map)
{
	for (size_t i = 0; i < kx_memmap_count(map); i++)
		if (kx_memmap_range(map, i)->type == KX_MEM_CRASH)
			return true;
	return false;
}

/* ppc64: memory /proc/iomem shows as RAM that no segment may use.
 * kexec_load refuses a segment below the running kernel's end (-ETXTBSY
 * from machine_kexec_prepare), which that kernel publishes for kexec as
 * /chosen linux,kernel-end; and RTAS, the firmware's runtime the new
 * kernel calls into, is in RAM (/rtas linux,rtas-base, rtas-size).
 * Its /proc/iomem has no "Crash kernel" line either: the crashkernel=
 * reservation is published as /chosen linux,crashkernel-base and -size
 * (arch/powerpc/kexec/core.c), where kexec-tools reads it too. */
static void reserve_ppc64(struct kx_memmap *map)
{
	uint64_t end, base, size;

	if (!has_crash(map) &&
	    dt_number("/proc/device-tree/chosen/linux,crashkernel-base", &base) &&
	    dt_number("/proc/device-tree/chosen/linux,crashkernel-size", &size) &&
	    size && size - 1 <= UINT64_MAX - base)
		kx_memmap_add(map, base, base + size - 1, KX_MEM_CRASH);

	if (dt_number("/proc/device-tree/chosen/linux,kernel-end", &end) && end)
		kx_memmap_add(map, 0, end - 1, KX_MEM_RESERVED);
	if (dt_number("/proc/device-tree/rtas/linux,rtas-base", &base) &&
	    dt_number("/proc/device-tree/rtas/rtas-size", &size) && size &&
	    size - 1 <= UINT64_MAX - base)
		kx_memmap_add(map, base, base + size - 1, KX_MEM_RESERVED);
}

int kx_memmap_read_system(struct kx_memmap *map)
{
	struct kx_memmap *iomem;
	int rc;

	/* The firmware's own map is what the next kernel should be given;
	 * /proc/iomem adds the crash kernel reservation. */
	rc = kx_memmap_read_firmware(map, "/sys/firmware/memmap");
	if (rc) {
		kx_memmap_seterr(map, 0, "%s", "");
		rc = kx_memmap_read_iomem(map, "/proc/iomem");
		if (!rc)
			reserve_ppc64(map);
		return rc;
	}
	if (kx_memmap_new(&iomem))
		return kx_memmap_seterr(map, -ENOMEM, "out of memory");
	if (!kx_memmap_read_iomem(iomem, "/proc/iomem")) {
		for (size_t i = 0; i < kx_memmap_count(iomem); i++) {
			const struct kx_mem_range *r = kx_memmap_range(iomem, i);

			if (r->type == KX_MEM_CRASH)
				kx_memmap_add(map, r->start, r->end, r->type);
		}
	}
	kx_memmap_free(iomem);
	return 0;
}

int kx_read_cmdline(char **out)
{
	char *s;
	int rc = kx_read_text("/proc/cmdline", &s, NULL);

	if (rc)
		return rc;
	s[strcspn(s, "\n")] = '\0';
	*out = s;
	return 0;
}

bool kx_machine_five_level(void)
{
	char *s, *flags, *end;
	bool la57 = false;

	if (kx_read_text("/proc/cpuinfo", &s, NULL))
		return false;
	/* The first "flags" line: every CPU has the same paging mode. */
	flags = strstr(s, "\nflags");
	if (flags) {
		end = strchr(flags + 1, '\n');
		if (end)
			*end = '\0';
		la57 = strstr(flags, " la57") != NULL;
	}
	free(s);
	return la57;
}
