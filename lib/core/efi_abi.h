/* SPDX-License-Identifier: MIT */
/*
 * The hand-over block: what kexload writes for the purgatory's EFI
 * environment (purgatory/efi/), which starts a PE through its own EFI
 * stub. Included by the library (lib/arch/<arch>/, which builds it) and
 * the environment (which reads it) alike; fixed-width fields only, in the
 * target's byte order, no pointers of the host.
 *
 * The memory map is the one the stub will see through GetMemoryMap: kexload
 * has already split RAM around every segment it placed, so the environment
 * only hands out EFI_CONVENTIONAL_MEMORY ranges and never touches what the
 * loader owns.
 */
#ifndef KX_EFI_ABI_H
#define KX_EFI_ABI_H

#include <stdint.h>

#define KX_EFI_HANDOVER_MAGIC 0x314f484946454b58ULL  /* "XKEFIHO1" */
#define KX_EFI_HANDOVER_VERSION 2
#define KX_EFI_MAX_MEM 128
#define KX_EFI_MAX_TABLES 8
#define KX_EFI_MAX_CMDLINE 4096   /* bytes of the command line, with NUL */
#define KX_EFI_SEED_LEN 64
#define KX_EFI_FW_DATA 4096       /* bytes for x86_64's SETUP_EFI and map */

/* One range of the map: UEFI memory type (EFI_CONVENTIONAL_MEMORY and so
 * on), physical start and 4 KiB pages, UEFI attributes. */
struct kx_efi_mem {
	uint32_t type;
	uint32_t flags;            /* KX_EFI_MEM_* */
	uint64_t phys;
	uint64_t pages;
	uint64_t attr;
	uint64_t virt;             /* a runtime region's, as the first kernel
				    * mapped it; 0: none */
};

/* A range the loader owns (a segment): the stub may not free it. */
#define KX_EFI_MEM_LOADER 1u

struct kx_efi_table {
	uint8_t guid[16];          /* as EFI_GUID lays it out in memory */
	uint64_t addr;
};

/* Print every service the PE calls, with the answer, on the console. */
#define KX_EFI_TRACE 1u
/* arm64 after a UEFI first boot: hand the firmware's runtime services on
 * (fw_systab, fw_mmap) when the stub exits boot services. */
#define KX_EFI_FW_RUNTIME 2u

struct kx_efi_handover {
	uint64_t magic;
	uint32_t version;
	uint32_t size;             /* sizeof(struct kx_efi_handover) */
	uint64_t image_base;       /* the PE, laid out (LoadedImage) */
	uint64_t image_size;
	uint64_t entry;            /* its AddressOfEntryPoint */
	uint64_t initrd_base;      /* LoadFile2 on the initrd media path */
	uint64_t initrd_size;      /* 0: no initrd, the device path is absent */
	uint32_t nmem;
	uint32_t ntables;
	uint32_t flags;            /* KX_EFI_TRACE */
	uint32_t reserved;
	/* x86_64 after a UEFI first boot: the firmware's runtime services
	 * for the new kernel, the way kexec hands them over. The map lists
	 * the firmware's runtime regions with their virtual addresses; when
	 * the stub exits boot services the environment points its
	 * boot_params' efi_info at the firmware's system table and puts the
	 * SETUP_EFI node in fw_data (its next word set then) first in their
	 * setup_data, so that the new kernel maps every descriptor where
	 * its VirtualStart says. 0: not handed on. */
	uint64_t fw_systab;
	uint32_t efi_setup_off;    /* the setup_data node, from this block */
	uint32_t reserved2;
	/* arm64 after a UEFI first boot (KX_EFI_FW_RUNTIME): the
	 * firmware's system table (fw_systab) and the memory map the first
	 * kernel's stub got (/chosen linux,uefi-mmap-*, memory the first
	 * kernel reserved): the environment lists its runtime regions with
	 * the first kernel's virtual addresses, installs no properties
	 * table, and when the stub exits boot services points the system
	 * table at the firmware's RuntimeServices (if the stub then calls
	 * SetVirtualAddressMap, the first kernel's addresses go into its
	 * map). */
	uint64_t fw_mmap;
	uint32_t fw_mmap_size;
	uint32_t fw_desc_size;
	uint8_t fw_data[KX_EFI_FW_DATA];
	struct kx_efi_mem mem[KX_EFI_MAX_MEM];
	struct kx_efi_table tables[KX_EFI_MAX_TABLES];  /* the DTB on arm64 */
	uint8_t seed[KX_EFI_SEED_LEN];   /* the RNG protocol's seed */
	char cmdline[KX_EFI_MAX_CMDLINE];  /* UTF-8, NUL-terminated */
};

#endif
