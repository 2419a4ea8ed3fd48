/* SPDX-License-Identifier: MIT */
/*
 * x86_64 boot_params for a machine booted through UEFI, as the kernel's
 * own kexec_file fills them, following Documentation/arch/x86/
 * zero-page.rst and boot.rst: efi_info (0x1c0: loader signature, system
 * table, descriptor size and version, memory map address and size), a
 * SETUP_EFI setup_data entry (struct efi_setup_data of
 * arch/x86/include/asm/efi.h: fw_vendor, an unused word kept as runtime
 * for kernels before 5.7, config tables, SMBIOS, 8 reserved words) that
 * tells the new kernel it was kexec'ed and must map the runtime services
 * where the running kernel did, the runtime memory map (EFI memory
 * descriptors, UEFI spec EFI_MEMORY_DESCRIPTOR, 40 bytes each) that
 * efi_info points to; and from the running kernel's boot_params also
 * acpi_rsdp_addr (0x070), the framebuffer's screen_info (0x000),
 * secure_boot (0x1ec) and hardware_subarch (0x23c). The data come from
 * struct kx_firmware; without it, nothing here changes boot_params.
 */
#include <inttypes.h>
#include <string.h>

#include "bootparam.h"
#include "efi.h"

#define SI_EXT_MEM_K 0x02
#define SI_ORIG_VIDEO_ISVGA 0x0f
#define VIDEO_TYPE_VLFB 0x23
#define VIDEO_TYPE_EFI 0x70
#define SETUP_EFI 4
#define EFI_SETUP_DATA_SIZE 96

/* The runtime map goes to a 64-bit UEFI boot's next kernel only. */
bool kx_x86_64_passes_efi(const struct kx_firmware *fw)
{
	return fw && kx_firmware_uefi(fw) && fw->nmap &&
	       fw->efi_loader_signature == EFI64_LOADER_SIGNATURE;
}

uint64_t kx_x86_64_efi_size(const struct kx_image *img)
{
	const struct kx_firmware *fw = img->firmware;

	if (!kx_x86_64_passes_efi(fw))
		return 0;
	return KX_X86_64_EFI_MAP_OFF + fw->nmap * KX_X86_64_EFI_DESC_SIZE;
}

static void put(uint8_t *p, uint64_t off, unsigned size, uint64_t v)
{
	kx_put_uint(p + off, size, v, false);
}

static void put_desc(uint8_t *p, const struct kx_efi_desc *d)
{
	memset(p, 0, KX_X86_64_EFI_DESC_SIZE);
	put(p, 0, 4, d->type);
	put(p, 8, 8, d->phys_addr);
	put(p, 16, 8, d->virt_addr);
	put(p, 24, 8, d->num_pages);
	put(p, 32, 8, d->attribute);
}

uint64_t kx_x86_64_efi_setup(const struct kx_firmware *fw, uint8_t *buf)
{
	uint8_t *sd = buf;

	memset(sd, 0, KX_X86_64_EFI_MAP_OFF);
	put(sd, 8, 4, SETUP_EFI);
	put(sd, 12, 4, EFI_SETUP_DATA_SIZE);
	put(sd, 16, 8, fw->fw_vendor);
	put(sd, 24, 8, fw->runtime);
	put(sd, 32, 8, fw->config_table);
	put(sd, 40, 8, fw->smbios);
	for (size_t i = 0; i < fw->nmap; i++)
		put_desc(buf + KX_X86_64_EFI_MAP_OFF + i * KX_X86_64_EFI_DESC_SIZE,
			 &fw->map[i]);
	return KX_X86_64_EFI_MAP_OFF + fw->nmap * KX_X86_64_EFI_DESC_SIZE;
}

/* efi_info, the SETUP_EFI entry and the runtime map at @off. */
static void fill_efi(const struct kx_firmware *fw, uint8_t *bp, uint64_t addr,
		     uint64_t off)
{
	uint64_t map = addr + off + KX_X86_64_EFI_MAP_OFF;
	uint8_t *sd = bp + off;

	put(bp, BP_EFI_LOADER_SIGNATURE, 4, fw->efi_loader_signature);
	put(bp, BP_EFI_SYSTAB, 4, fw->efi_systab & 0xffffffff);
	put(bp, BP_EFI_SYSTAB_HI, 4, fw->efi_systab >> 32);
	put(bp, BP_EFI_MEMDESC_SIZE, 4, KX_X86_64_EFI_DESC_SIZE);
	put(bp, BP_EFI_MEMDESC_VERSION, 4, fw->efi_memdesc_version);
	put(bp, BP_EFI_MEMMAP, 4, map & 0xffffffff);
	put(bp, BP_EFI_MEMMAP_HI, 4, map >> 32);
	put(bp, BP_EFI_MEMMAP_SIZE, 4, fw->nmap * KX_X86_64_EFI_DESC_SIZE);
	bp[BP_SECURE_BOOT] = fw->secure_boot;

	kx_x86_64_efi_setup(fw, sd);
	put(sd, 0, 8, kx_get_uint(bp + HDR_SETUP_DATA, 8, false));
	put(bp, HDR_SETUP_DATA, 8, addr + off);
}

static bool is_framebuffer(const uint8_t *si)
{
	return si[SI_ORIG_VIDEO_ISVGA] == VIDEO_TYPE_VLFB ||
	       si[SI_ORIG_VIDEO_ISVGA] == VIDEO_TYPE_EFI;
}

void kx_x86_64_firmware_fill(struct kx_image *img, uint8_t *bp, uint64_t addr,
			     uint64_t efi_off)
{
	const struct kx_firmware *fw = img->firmware;
	uint64_t rsdp;

	if (!fw)
		return;
	if (kx_firmware_uefi(fw) && !kx_x86_64_passes_efi(fw))
		kx_log(img, KX_LOG_WARN, "%s",
		       fw->efi_loader_signature != EFI64_LOADER_SIGNATURE ?
		       "this machine booted through 32-bit UEFI: the new "
		       "kernel gets no EFI runtime services" :
		       "booted through UEFI, but there is no EFI runtime map "
		       "(/sys/firmware/efi/runtime-map: a kernel without "
		       "CONFIG_EFI_RUNTIME_MAP, or efi=noruntime): the new "
		       "kernel gets no EFI runtime services");
	rsdp = fw->acpi_rsdp ? fw->acpi_rsdp : fw->acpi20;
	put(bp, BP_ACPI_RSDP_ADDR, 8, rsdp);
	if (fw->have_boot_params) {
		put(bp, HDR_HARDWARE_SUBARCH, 4, fw->hardware_subarch);
		put(bp, HDR_HARDWARE_SUBARCH_DATA, 8, fw->hardware_subarch_data);
	}
	if (is_framebuffer(fw->screen_info)) {
		memcpy(bp, fw->screen_info, KX_SCREEN_INFO_SIZE);
		put(bp, SI_EXT_MEM_K, 2, 0);
	}
	if (efi_off)
		fill_efi(fw, bp, addr, efi_off);
	kx_log(img, KX_LOG_DEBUG,
	       "boot_params: UEFI %s, system table 0x%" PRIx64 ", runtime map "
	       "%zu entries%s, ACPI RSDP 0x%" PRIx64 ", framebuffer %s, "
	       "hardware_subarch %u",
	       efi_off ? "passed" : "not passed", efi_off ? fw->efi_systab : 0,
	       efi_off ? fw->nmap : 0, efi_off ? " (SETUP_EFI)" : "", rsdp,
	       is_framebuffer(fw->screen_info) ? "passed" : "none",
	       fw->hardware_subarch);
}
