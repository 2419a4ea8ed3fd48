/* SPDX-License-Identifier: MIT */
/* What the firmware left for the next kernel, in x86_64 boot_params
 * (lib/arch/x86_64/efi.c), called from kx_x86_64_boot. */
#ifndef KX_X86_64_EFI_H
#define KX_X86_64_EFI_H

#include "../../core/internal.h"

/* A SETUP_EFI setup_data node: header (next, type, len), struct
 * efi_setup_data; the runtime map follows it, in descriptors of 40. */
#define KX_X86_64_EFI_MAP_OFF (16 + 96)
#define KX_X86_64_EFI_DESC_SIZE 40

/* Does the next kernel get the firmware's runtime services (a 64-bit UEFI
 * boot with a runtime map)? */
bool kx_x86_64_passes_efi(const struct kx_firmware *fw);
/* The SETUP_EFI node (next word 0) and the runtime map after it, at @buf
 * (kx_x86_64_efi_size bytes); returns that size. */
uint64_t kx_x86_64_efi_setup(const struct kx_firmware *fw, uint8_t *buf);
/* The bytes the SETUP_EFI entry and the runtime map add to the params
 * segment (0: the image's firmware data gives none). */
uint64_t kx_x86_64_efi_size(const struct kx_image *img);
/* Fills @bp's firmware fields from the image's firmware data, and with
 * @efi_off (not 0) the SETUP_EFI entry and runtime map at that offset of
 * the params segment at @addr, put first in the setup_data chain. */
void kx_x86_64_firmware_fill(struct kx_image *img, uint8_t *bp, uint64_t addr,
			     uint64_t efi_off);

#endif
