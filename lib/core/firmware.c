/* SPDX-License-Identifier: MIT */
/*
 * What the firmware left for the next kernel, as data (struct kx_firmware):
 * the fields of the running kernel's x86 boot_params that a UEFI boot
 * filled (Documentation/arch/x86/zero-page.rst: screen_info at 0x000,
 * acpi_rsdp_addr at 0x070, efi_info at 0x1c0, secure_boot at 0x1ec,
 * hardware_subarch at 0x23c), and the EFI runtime memory map. Files are
 * read by lib/sys/efi.c; this file takes bytes, so every host can test it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "../arch/x86_64/bootparam.h"


int kx_firmware_seterr(struct kx_firmware *fw, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(fw->err, sizeof(fw->err), fmt, ap);
	va_end(ap);
	return code;
}

int kx_firmware_new(struct kx_firmware **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

void kx_firmware_free(struct kx_firmware *fw)
{
	if (!fw)
		return;
	free(fw->map);
	free(fw);
}

const char *kx_firmware_error(const struct kx_firmware *fw)
{
	return fw->err;
}

int kx_firmware_add_desc(struct kx_firmware *fw, const struct kx_efi_desc *d)
{
	struct kx_efi_desc *m = realloc(fw->map, (fw->nmap + 1) * sizeof(*d));

	if (!m)
		return kx_firmware_seterr(fw, -ENOMEM, "out of memory");
	fw->map = m;
	fw->map[fw->nmap++] = *d;
	fw->have_map = true;
	return 0;
}

int kx_firmware_parse_boot_params(struct kx_firmware *fw, const char *name,
				  const void *buf, size_t len)
{
	struct kx_reader r;
	const uint8_t *si;

	if (len != BP_SIZE)
		return kx_firmware_seterr(fw, -EINVAL,
					  "%s: %zu bytes, not the 4096 of x86 "
					  "boot_params (as in "
					  "/sys/kernel/boot_params/data)",
					  name, len);
	kx_reader_init(&r, buf, len, name);
	fw->efi_loader_signature = kx_rd_le32(&r, BP_EFI_LOADER_SIGNATURE);
	fw->efi_systab = kx_rd_le32(&r, BP_EFI_SYSTAB) |
			 (uint64_t)kx_rd_le32(&r, BP_EFI_SYSTAB_HI) << 32;
	fw->efi_memdesc_version = kx_rd_le32(&r, BP_EFI_MEMDESC_VERSION);
	fw->efi_memmap_size = kx_rd_le32(&r, BP_EFI_MEMMAP_SIZE);
	fw->acpi_rsdp = kx_rd_le64(&r, BP_ACPI_RSDP_ADDR);
	fw->hardware_subarch = kx_rd_le32(&r, HDR_HARDWARE_SUBARCH);
	fw->hardware_subarch_data = kx_rd_le64(&r, HDR_HARDWARE_SUBARCH_DATA);
	fw->secure_boot = kx_rd_u8(&r, BP_SECURE_BOOT);
	si = kx_rd_bytes(&r, BP_SCREEN_INFO, KX_SCREEN_INFO_SIZE);
	if (r.failed || !si)
		return kx_firmware_seterr(fw, -EINVAL, "%s: truncated", name);
	memcpy(fw->screen_info, si, KX_SCREEN_INFO_SIZE);
	fw->have_boot_params = true;
	return 0;
}

bool kx_firmware_uefi(const struct kx_firmware *fw)
{
	return fw->have_boot_params && fw->efi_memmap_size &&
	       (fw->efi_loader_signature == EFI64_LOADER_SIGNATURE ||
		fw->efi_loader_signature == EFI32_LOADER_SIGNATURE);
}

size_t kx_firmware_runtime_map_count(const struct kx_firmware *fw)
{
	return fw->nmap;
}

int kx_image_set_firmware(struct kx_image *img, const struct kx_firmware *fw)
{
	struct kx_firmware *copy = NULL;

	if (fw) {
		copy = malloc(sizeof(*copy));
		if (!copy)
			return kx_err(img, -ENOMEM, "out of memory");
		*copy = *fw;
		copy->map = NULL;
		if (fw->nmap) {
			copy->map = malloc(fw->nmap * sizeof(*fw->map));
			if (!copy->map) {
				free(copy);
				return kx_err(img, -ENOMEM, "out of memory");
			}
			memcpy(copy->map, fw->map, fw->nmap * sizeof(*fw->map));
		}
	}
	kx_firmware_free(img->firmware);
	img->firmware = copy;
	return 0;
}
