/* SPDX-License-Identifier: MIT */
/* The hand-over block for a PE started through its own EFI stub, built
 * by the architectures' boot_efi stages (lib/core/efi_handover.c). */
#ifndef KX_EFI_HANDOVER_H
#define KX_EFI_HANDOVER_H

#include "internal.h"
#include "efi_abi.h"

/* UEFI memory types the loader writes (UEFI 2.10 table 7.5). */
#define KX_EFI_RESERVED 0
#define KX_EFI_LOADER_CODE 1
#define KX_EFI_LOADER_DATA 2
#define KX_EFI_CONVENTIONAL 7
#define KX_EFI_UNUSABLE 8
#define KX_EFI_ACPI_RECLAIM 9
#define KX_EFI_ACPI_NVS 10
#define KX_EFI_PERSISTENT 14

extern const uint8_t kx_efi_acpi20_guid[16], kx_efi_acpi_guid[16],
	kx_efi_smbios3_guid[16], kx_efi_smbios_guid[16], kx_efi_dtb_guid[16];

/* What the page at @a is, for the stub's memory map: true, with its UEFI
 * type in @m (and KX_EFI_MEM_LOADER in flags for the loader's own; attr,
 * the write-back attributes unless set; virt, a runtime region's virtual
 * address for this page), or false for a page the map leaves out. */
typedef bool (*kx_efi_kind_fn)(const struct kx_image *img, uint64_t a,
			       struct kx_efi_mem *m);

/* Is the page at @a in a range of @t in @map (RAM counts the crash
 * region): all of it (@whole), or any byte? A page that RAM shares with
 * firmware data (x86's EBDA below 640 KiB) is RAM only if whole. */
bool kx_efi_page_in(const struct kx_memmap *map, uint64_t a,
		    enum kx_mem_type t, bool whole);
/* A segment's page: LoaderCode for the kernel, LoaderData otherwise. */
bool kx_efi_segment_kind(const struct kx_image *img, uint64_t a,
			 struct kx_efi_mem *m);

/* A zeroed block in @ho, after the checks every architecture shares (no
 * crash load, the command line fits). */
int kx_efi_handover_new(struct kx_image *img, struct kx_efi_handover **ho);
/* A configuration table (ignored at address 0 or with the table full). */
void kx_efi_handover_table(struct kx_efi_handover *ho, const uint8_t guid[16],
			   uint64_t addr);
/* The firmware's ACPI 2.0, SMBIOS3 and SMBIOS entry points, where the
 * first kernel booted through UEFI (the image's firmware data). */
void kx_efi_handover_firmware_tables(const struct kx_image *img,
				     struct kx_efi_handover *ho);
/* Places the block at or below @max, fills it from @b and the image, and
 * builds the memory map with @kind; the purgatory's kx_efi_handover then
 * points at it. */
int kx_efi_handover_finish(struct kx_image *img, const struct kx_boot *b,
			   struct kx_efi_handover *ho, kx_efi_kind_fn kind,
			   uint64_t max);

#endif
