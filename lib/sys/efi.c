/* SPDX-License-Identifier: MIT */
/*
 * Reads what the firmware left for the next kernel from files: a directory
 * shaped like /sys/firmware/efi (the kernel's
 * Documentation/ABI/testing/sysfs-firmware-efi and
 * sysfs-firmware-efi-runtime-map: runtime-map/N/{type,phys_addr,virt_addr,
 * num_pages,attribute}, fw_vendor, runtime, config_table, systab), and the
 * running kernel's boot_params (/sys/kernel/boot_params/data,
 * Documentation/ABI/testing/sysfs-kernel-boot_params). `load` reads the
 * running machine's; `plan` takes the same as files from anywhere.
 */
/* 32-bit builds: readdir fails with EOVERFLOW on 64-bit inode numbers */
#define _FILE_OFFSET_BITS 64
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/internal.h"

#define SYSTEM_EFI "/sys/firmware/efi"
#define SYSTEM_BOOT_PARAMS "/sys/kernel/boot_params/data"
#define MAX_MAP_ENTRIES 1024

/* A number as sysfs writes them ("0x1f\n"); -ENOENT if @optional and the
 * file is not there. */
static int read_number(struct kx_firmware *fw, const char *path,
		       bool optional, uint64_t *v)
{
	char *s, *end;
	int rc = kx_read_text(path, &s, NULL);

	if (rc == -ENOENT && optional)
		return rc;
	if (rc)
		return kx_firmware_seterr(fw, rc, "%s: cannot read: %s", path,
					  strerror(-rc));
	*v = strtoull(s, &end, 0);
	while (*end == '\n' || *end == ' ')
		end++;
	rc = end == s || *end ? -EINVAL : 0;
	if (rc)
		kx_firmware_seterr(fw, rc, "%s: \"%.*s\" is not a number", path,
				   (int)strcspn(s, "\n"), s);
	free(s);
	return rc;
}

static int read_desc(struct kx_firmware *fw, const char *dir, unsigned n)
{
	static const char *const names[] = { "type", "phys_addr", "virt_addr",
					     "num_pages", "attribute" };
	uint64_t v[5];
	char path[1100];
	struct kx_efi_desc d;

	for (size_t i = 0; i < KX_ARRAY_SIZE(names); i++) {
		int rc;

		snprintf(path, sizeof(path), "%s/%u/%s", dir, n, names[i]);
		rc = read_number(fw, path, false, &v[i]);
		if (rc)
			return rc;
	}
	if (v[0] > UINT32_MAX)
		return kx_firmware_seterr(fw, -EINVAL, "%s/%u/type: 0x%llx is not "
					  "an EFI memory type", dir, n,
					  (unsigned long long)v[0]);
	d = (struct kx_efi_desc){ (uint32_t)v[0], v[1], v[2], v[3], v[4] };
	return kx_firmware_add_desc(fw, &d);
}

/* runtime-map/0 .. runtime-map/N-1, in that order (readdir's is none). */
static int read_runtime_map(struct kx_firmware *fw, const char *efi)
{
	char dir[1024];
	struct dirent *de;
	unsigned count = 0;
	DIR *d;
	int rc = 0;

	snprintf(dir, sizeof(dir), "%s/runtime-map", efi);
	d = opendir(dir);
	if (!d && errno == ENOENT)
		return 0;
	if (!d)
		return kx_firmware_seterr(fw, -errno, "%s: cannot open: %s", dir,
					  strerror(errno));
	for (errno = 0; (de = readdir(d)); errno = 0) {
		char *end;
		unsigned long n;

		if (de->d_name[0] == '.')
			continue;
		n = strtoul(de->d_name, &end, 10);
		if (*end || end == de->d_name || n >= MAX_MAP_ENTRIES) {
			rc = kx_firmware_seterr(fw, -EINVAL, "%s/%s: not an entry "
						"of the runtime map (0 to %d)", dir,
						de->d_name, MAX_MAP_ENTRIES - 1);
			break;
		}
		count++;
	}
	if (!rc && errno)
		rc = kx_firmware_seterr(fw, -errno, "%s: cannot read: %s", dir,
					strerror(errno));
	closedir(d);
	fw->nmap = 0;
	fw->have_map = true;
	for (unsigned i = 0; !rc && i < count; i++)
		rc = read_desc(fw, dir, i);
	return rc;
}

/* systab: "ACPI20=0x...", "ACPI=0x...", "SMBIOS3=0x...", "SMBIOS=0x..."
 * lines (arm64 has only these; x86_64 adds its own). */
static int read_systab(struct kx_firmware *fw, const char *efi)
{
	char path[1024], *s, *line;
	int rc;

	snprintf(path, sizeof(path), "%s/systab", efi);
	rc = kx_read_text(path, &s, NULL);
	if (rc == -ENOENT)
		return 0;
	if (rc)
		return kx_firmware_seterr(fw, rc, "%s: cannot read: %s", path,
					  strerror(-rc));
	for (line = s; line && *line; line = strchr(line, '\n'),
	     line = line ? line + 1 : NULL) {
		if (!strncmp(line, "ACPI20=", 7))
			fw->acpi20 = strtoull(line + 7, NULL, 0);
		else if (!strncmp(line, "SMBIOS=", 7))
			fw->smbios = strtoull(line + 7, NULL, 0);
		else if (!strncmp(line, "SMBIOS3=", 8))
			fw->smbios3 = strtoull(line + 8, NULL, 0);
	}
	free(s);
	return 0;
}

int kx_firmware_read_efi(struct kx_firmware *fw, const char *dir)
{
	static const char *const names[] = { "fw_vendor", "runtime",
					     "config_table" };
	uint64_t *vals[] = { &fw->fw_vendor, &fw->runtime, &fw->config_table };
	struct stat st;
	char path[1024];
	int rc;

	if (stat(dir, &st))
		return kx_firmware_seterr(fw, -errno, "%s: cannot open: %s", dir,
					  strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return kx_firmware_seterr(fw, -ENOTDIR, "%s: not a directory "
					  "shaped like /sys/firmware/efi", dir);
	for (size_t i = 0; i < KX_ARRAY_SIZE(names); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		rc = read_number(fw, path, true, vals[i]);
		if (rc && rc != -ENOENT)
			return rc;
	}
	rc = read_systab(fw, dir);
	if (!rc)
		rc = read_runtime_map(fw, dir);
	if (!rc)
		fw->have_efi = true;
	return rc;
}

int kx_firmware_read_boot_params(struct kx_firmware *fw, const char *path)
{
	struct kx_file f;
	int rc = kx_file_open(&f, path);

	if (rc)
		return kx_firmware_seterr(fw, rc, "%s", f.err);
	rc = kx_firmware_parse_boot_params(fw, path, f.data, (size_t)f.size);
	kx_file_close(&f);
	return rc;
}

int kx_firmware_read_system(struct kx_firmware *fw)
{
	int rc = 0;

	if (!access(SYSTEM_BOOT_PARAMS, F_OK))
		rc = kx_firmware_read_boot_params(fw, SYSTEM_BOOT_PARAMS);
	if (!rc && !access(SYSTEM_EFI, F_OK))
		rc = kx_firmware_read_efi(fw, SYSTEM_EFI);
	return rc;
}
