/* SPDX-License-Identifier: MIT */
/*
 * Offsets of the x86 boot protocol's setup header and boot_params (the
 * "zero page"), from the kernel's Documentation/arch/x86/boot.rst and
 * zero-page.rst: the setup header sits at the same offsets in a bzImage
 * file and in boot_params. Shared by the bzImage format, which reads them,
 * and the x86_64 architecture, which writes boot_params.
 */
#ifndef KX_X86_BOOTPARAM_H
#define KX_X86_BOOTPARAM_H

#define HDR_SETUP_SECTS 0x1f1
#define HDR_SYSSIZE 0x1f4
#define HDR_BOOT_FLAG 0x1fe
#define HDR_JUMP 0x200
#define HDR_MAGIC 0x202
#define HDR_VERSION 0x206
#define HDR_KERNEL_VERSION 0x20e
#define HDR_TYPE_OF_LOADER 0x210
#define HDR_CODE32_START 0x214
#define HDR_RAMDISK_IMAGE 0x218
#define HDR_RAMDISK_SIZE 0x21c
#define HDR_CMD_LINE_PTR 0x228
#define HDR_INITRD_ADDR_MAX 0x22c
#define HDR_KERNEL_ALIGNMENT 0x230
#define HDR_RELOCATABLE 0x234
#define HDR_XLOADFLAGS 0x236
#define HDR_CMDLINE_SIZE 0x238
#define HDR_PAYLOAD_OFFSET 0x248
#define HDR_PAYLOAD_LENGTH 0x24c
#define HDR_SETUP_DATA 0x250
#define HDR_PREF_ADDRESS 0x258
#define HDR_INIT_SIZE 0x260
#define HDR_END_MAX 0x290   /* boot_params' header area ends here */

#define BP_EXT_RAMDISK_IMAGE 0x0c0
#define BP_EXT_RAMDISK_SIZE 0x0c4
#define BP_EXT_CMD_LINE_PTR 0x0c8
#define BP_E820_ENTRIES 0x1e8
#define BP_E820_TABLE 0x2d0
#define BP_SIZE 4096

/* What a UEFI boot fills (lib/core/firmware.c reads them from the running
 * kernel's boot_params, lib/arch/x86_64/efi.c writes them). */
#define BP_SCREEN_INFO 0x000
#define BP_ACPI_RSDP_ADDR 0x070
#define BP_EFI_LOADER_SIGNATURE 0x1c0
#define BP_EFI_SYSTAB 0x1c4
#define BP_EFI_MEMDESC_SIZE 0x1c8
#define BP_EFI_MEMDESC_VERSION 0x1cc
#define BP_EFI_MEMMAP 0x1d0
#define BP_EFI_MEMMAP_SIZE 0x1d4
#define BP_EFI_SYSTAB_HI 0x1d8
#define BP_EFI_MEMMAP_HI 0x1dc
#define BP_SECURE_BOOT 0x1ec
#define HDR_HARDWARE_SUBARCH 0x23c
#define HDR_HARDWARE_SUBARCH_DATA 0x240
#define EFI64_LOADER_SIGNATURE 0x34364c45   /* "EL64" */
#define EFI32_LOADER_SIGNATURE 0x32334c45   /* "EL32" */

#endif
