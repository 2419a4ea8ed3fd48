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
	while (!rc && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		rc = read_fw_entry(map, dir, de->d_name);
		n++;
	}
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

int kx_memmap_read_system(struct kx_memmap *map)
{
	struct kx_memmap *iomem;
	int rc;

	/* The firmware's own map is what the next kernel should be given;
	 * /proc/iomem adds the crash kernel reservation. */
	rc = kx_memmap_read_firmware(map, "/sys/firmware/memmap");
	if (rc) {
		kx_memmap_seterr(map, 0, "%s", "");
		return kx_memmap_read_iomem(map, "/proc/iomem");
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
