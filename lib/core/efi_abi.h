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
#define KX_EFI_HANDOVER_VERSION 1
#define KX_EFI_MAX_MEM 128
#define KX_EFI_MAX_TABLES 8
#define KX_EFI_MAX_CMDLINE 4096   /* bytes of the command line, with NUL */
#define KX_EFI_SEED_LEN 64

/* One range of the map: UEFI memory type (EFI_CONVENTIONAL_MEMORY and so
 * on), physical start and 4 KiB pages, UEFI attributes. */
struct kx_efi_mem {
	uint32_t type;
	uint32_t flags;            /* KX_EFI_MEM_* */
	uint64_t phys;
	uint64_t pages;
	uint64_t attr;
};

/* A range the loader owns (a segment): the stub may not free it. */
#define KX_EFI_MEM_LOADER 1u

struct kx_efi_table {
	uint8_t guid[16];          /* as EFI_GUID lays it out in memory */
	uint64_t addr;
};

/* Print every service the PE calls, with the answer, on the console. */
#define KX_EFI_TRACE 1u

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
	struct kx_efi_mem mem[KX_EFI_MAX_MEM];
	struct kx_efi_table tables[KX_EFI_MAX_TABLES];  /* the DTB on arm64 */
	uint8_t seed[KX_EFI_SEED_LEN];   /* the RNG protocol's seed */
	char cmdline[KX_EFI_MAX_CMDLINE];  /* UTF-8, NUL-terminated */
};

#endif
