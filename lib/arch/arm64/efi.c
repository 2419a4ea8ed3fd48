/* SPDX-License-Identifier: MIT */
/*
 * arm64 boot data for a PE started through its own EFI stub: the
 * hand-over block (lib/core/efi_handover.c) the purgatory's EFI
 * environment builds its system table from. The stub finds the device
 * tree as a configuration table (UEFI 2.10 section 4.6,
 * EFI_DTB_TABLE_GUID), edits it itself (bootargs from LoadOptions, the
 * initrd it reads through LoadFile2, the linux,uefi-* properties with the
 * memory map it got), and takes all memory from GetMemoryMap.
 *
 * Where the first kernel booted through UEFI, the firmware's ACPI and
 * SMBIOS entry points (/sys/firmware/efi/systab, as the image's firmware
 * data) become configuration tables too, and the memory the first kernel
 * kept off its linear map (the top-level "reserved" ranges of arm64's
 * /proc/iomem: the firmware's runtime code and data, its ACPI tables)
 * is EFI_RESERVED_MEMORY_TYPE with the write-back attribute: the stub and
 * the new kernel keep off it, and the new kernel maps the ACPI tables in
 * it as Normal memory (arm64's acpi_os_ioremap maps what the map does
 * not list as Device memory).
 */
#include <inttypes.h>

#include "../boot.h"
#include "../../dt/dt.h"
#include "efi_handover.h"

#define DTB_MAX (2ULL << 20)

/* A segment's, reserved, free RAM, or not in the map. Reserved memory
 * outside RAM counts only after a UEFI boot, where it is what the
 * firmware's map kept from the first kernel. */
static bool kind_of(const struct kx_image *img, uint64_t a,
		    struct kx_efi_mem *m)
{
	bool uefi = img->firmware && img->firmware->have_efi;

	if (kx_efi_segment_kind(img, a, m))
		return true;
	if (kx_efi_page_in(img->memmap, a, KX_MEM_RESERVED, false) &&
	    (uefi || kx_efi_page_in(img->memmap, a, KX_MEM_RAM, false))) {
		m->type = KX_EFI_RESERVED;
		return true;
	}
	if (!kx_efi_page_in(img->memmap, a, KX_MEM_RAM, true))
		return false;
	m->type = KX_EFI_CONVENTIONAL;
	return true;
}

/* After a UEFI first boot, what the running tree's /chosen says of the
 * firmware: its runtime services are handed on at SetVirtualAddressMap. */
static void runtime(struct kx_image *img, const struct kx_dt *dt,
		    struct kx_efi_handover *ho)
{
	struct kx_dt_uefi u;

	if (!img->firmware || !img->firmware->have_efi || kx_dt_uefi(dt, &u))
		return;
	ho->flags |= KX_EFI_FW_RUNTIME;
	ho->fw_systab = u.systab;
	ho->fw_mmap = u.mmap;
	ho->fw_mmap_size = u.mmap_size;
	ho->fw_desc_size = u.desc_size;
	kx_log(img, KX_LOG_DEBUG, "EFI runtime services handed on: system table "
	       "0x%" PRIx64 ", the first kernel's memory map at 0x%" PRIx64
	       " (%u bytes)", u.systab, u.mmap, u.mmap_size);
}

static int device_tree(struct kx_image *img, uint64_t *addr,
		       struct kx_efi_handover *ho)
{
	struct kx_dt dt;
	int rc = img->in.dtb.buf ? kx_dt_open(img, &dt, &img->in.dtb) :
				   kx_dt_open_empty(img, &dt);

	if (!rc)
		runtime(img, &dt, ho);

	/* No initrd in /chosen: the stub puts in the one LoadFile2 gives. */
	if (!rc)
		rc = kx_dt_load(&dt, NULL, (struct kx_placed){
			.align = KX_PAGE_SIZE, .max = UINT64_MAX,
			.top_down = true }, DTB_MAX,
			"arm64 kernels take at most 2 MiB", addr);
	kx_dt_close(&dt);
	return rc;
}

int kx_arm64_boot_efi(struct kx_image *img, struct kx_boot *b)
{
	struct kx_efi_handover *ho;
	uint64_t dtb = 0;
	int rc = kx_efi_handover_new(img, &ho);

	if (!rc)
		rc = device_tree(img, &dtb, ho);
	if (rc)
		return rc;
	kx_efi_handover_table(ho, kx_efi_dtb_guid, dtb);
	kx_efi_handover_firmware_tables(img, ho);
	return kx_efi_handover_finish(img, b, ho, kind_of, UINT64_MAX);
}
