/* SPDX-License-Identifier: MIT */
/*
 * x86_64 boot data for a PE started through its own EFI stub (a bzImage
 * through its PE entry, in 64-bit mode): the hand-over block
 * (lib/core/efi_handover.c). The stub builds boot_params itself, from its
 * own setup header, LoadedImage's command line, the initrd it reads
 * through LoadFile2, and an e820 table it makes from GetMemoryMap: so the
 * map carries every range of the first kernel's e820 by its UEFI type
 * (RAM free, ACPI tables reclaimable, ACPI NVS, reserved, unusable,
 * persistent), split around the segments, which are the loader's.
 *
 * Configuration tables: after a UEFI first boot the firmware's ACPI 2.0,
 * SMBIOS3 and SMBIOS entry points (/sys/firmware/efi/systab); after a BIOS
 * one, the RSDP the first kernel found (boot_params.acpi_rsdp_addr) as
 * the ACPI 1.0 table, since a kernel booted through EFI looks for ACPI
 * in the configuration tables only (ACPICA reads the RSDP's own
 * revision, so a 2.0 RSDP behind the 1.0 GUID is read as 2.0).
 *
 * The firmware's runtime services, after a UEFI first boot: they are
 * virtual already, at the first kernel's addresses, and SetVirtualAddressMap
 * works once, so the new kernel must map them where the first did, which
 * only kexec's way says (a SETUP_EFI setup_data node, efi_info pointing at
 * the firmware's system table and at the runtime map). The stub builds
 * boot_params itself, so the block carries that node and map, built as the
 * direct path builds them (lib/arch/x86_64/efi.c), and the environment
 * puts them into the stub's boot_params when it exits boot services.
 */
#include <inttypes.h>
#include <stddef.h>

#include "../boot.h"
#include "efi.h"
#include "efi_handover.h"

/* The firmware's runtime region holding @a, where they are handed on. */
static const struct kx_efi_desc *runtime_region(const struct kx_image *img,
						uint64_t a)
{
	const struct kx_firmware *fw = img->firmware;

	if (!kx_x86_64_passes_efi(fw))
		return NULL;
	for (size_t i = 0; i < fw->nmap; i++)
		if (a >= fw->map[i].phys_addr &&
		    a - fw->map[i].phys_addr < fw->map[i].num_pages * KX_PAGE_SIZE)
			return &fw->map[i];
	return NULL;
}

static bool kind_of(const struct kx_image *img, uint64_t a,
		    struct kx_efi_mem *m)
{
	static const struct { enum kx_mem_type mem; uint32_t efi; } types[] = {
		{ KX_MEM_RAM, KX_EFI_CONVENTIONAL },
		{ KX_MEM_ACPI, KX_EFI_ACPI_RECLAIM },
		{ KX_MEM_NVS, KX_EFI_ACPI_NVS },
		{ KX_MEM_UNUSABLE, KX_EFI_UNUSABLE },
		{ KX_MEM_PMEM, KX_EFI_PERSISTENT },
		{ KX_MEM_RESERVED, KX_EFI_RESERVED },
	};
	const struct kx_efi_desc *rt;

	if (kx_efi_segment_kind(img, a, m))
		return true;
	rt = runtime_region(img, a);
	if (rt) {
		m->type = rt->type;
		m->attr = rt->attribute;
		m->virt = rt->virt_addr + (a - rt->phys_addr);
		return true;
	}
	for (size_t i = 0; i < KX_ARRAY_SIZE(types); i++)
		if (kx_efi_page_in(img->memmap, a, types[i].mem,
				   types[i].mem == KX_MEM_RAM)) {
			m->type = types[i].efi;
			return true;
		}
	return false;
}

int kx_x86_64_boot_efi(struct kx_image *img, struct kx_boot *b)
{
	const struct kx_firmware *fw = img->firmware;
	struct kx_efi_handover *ho;
	int rc = kx_efi_handover_new(img, &ho);

	if (rc)
		return rc;
	if (fw && fw->have_efi)
		kx_efi_handover_firmware_tables(img, ho);
	else if (fw && fw->have_boot_params)
		kx_efi_handover_table(ho, kx_efi_acpi_guid, fw->acpi_rsdp);
	if (kx_x86_64_passes_efi(fw)) {
		uint64_t off = offsetof(struct kx_efi_handover, fw_data);

		if (kx_x86_64_efi_size(img) > KX_EFI_FW_DATA)
			return kx_err(img, -E2BIG, "the EFI runtime map has %zu "
				      "entries; the EFI environment takes %d",
				      fw->nmap, (KX_EFI_FW_DATA -
						 KX_X86_64_EFI_MAP_OFF) /
						KX_X86_64_EFI_DESC_SIZE);
		kx_x86_64_efi_setup(fw, ho->fw_data);
		ho->fw_systab = fw->efi_systab;
		ho->efi_setup_off = (uint32_t)off;
		kx_log(img, KX_LOG_DEBUG, "EFI runtime services handed on: system "
		       "table 0x%" PRIx64 ", %zu runtime regions (SETUP_EFI)",
		       fw->efi_systab, fw->nmap);
	}
	/* Below 4 GiB, in the kexec identity map's reach, as the purgatory. */
	return kx_efi_handover_finish(img, b, ho, kind_of, 0xffffffffULL);
}
