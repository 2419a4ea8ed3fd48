/* SPDX-License-Identifier: MIT */
/*
 * The purgatory's EFI environment: enough of UEFI's boot services for a
 * PE's own EFI stub (Linux's) to run, built from the hand-over block
 * kexload writes (lib/core/efi_abi.h). Freestanding; also compiled for the
 * host, where addresses are the test's pointers, so that each service has
 * a unit test (tests/unit/test_efienv.c).
 *
 * What it provides: a system table; boot services for pages (any, below
 * a maximum, at an address), pool, the memory map with its key,
 * ExitBootServices with the map-key rule, handles by protocol, protocols
 * by handle, by GUID and by device path, protocols installed and
 * uninstalled by the PE (one or several at a time), LoadImage of a PE32+
 * from a buffer (a PE loader: headers checked, sections at their RVAs,
 * DIR64 relocations), StartImage and UnloadImage, configuration tables,
 * CRC32, CopyMem and SetMem; the protocols LoadedImage (with the
 * command line as UTF-16 LoadOptions), LoadFile2 for the initrd on LINUX_EFI_INITRD_MEDIA_GUID's
 * device path, RNG (seeded by kexload), SimpleTextOutput and
 * SimpleTextInput on the purgatory's console; runtime services where
 * GetVariable finds nothing, SetVariable stores nothing (EFI_UNSUPPORTED,
 * with the variable's name) and SetVirtualAddressMap is accepted and
 * ignored. Every other service prints its name and returns
 * EFI_UNSUPPORTED.
 */
#ifndef KX_EFI_ENV_H
#define KX_EFI_ENV_H

#include "efi.h"
#include "efi_abi.h"

#define KX_EFI_MAX_DESC 256
/* Handles: the environment's four, and what the PEs add (a UKI's stub
 * adds its kernel's image and its initrd's LoadFile2). */
#define KX_EFI_MAX_HANDLES 16
#define KX_EFI_MAX_PROTOCOLS 4
/* Images LoadImage may hold at once (a UKI's stub loads one, its kernel). */
#define KX_EFI_MAX_IMAGES 4

/* A handle with no protocol is no handle: its slot is free. */
struct kx_efi_handle {
	efi_guid guid[KX_EFI_MAX_PROTOCOLS];
	void *iface[KX_EFI_MAX_PROTOCOLS];
	unsigned n;
};

/* An image LoadImage laid out: its pages and entry point, and its
 * LoadedImage (whose FilePath is a copy in pool memory). */
struct kx_efi_image {
	efi_handle handle;         /* NULL: the slot is free */
	efi_loaded_image li;
	uint64_t pages;
	uint64_t entry;
	bool started;
	uint8_t path[256];         /* FilePath */
};

struct kx_efi_env {
	const struct kx_efi_handover *ho;
	struct kx_efi_mem map[KX_EFI_MAX_DESC];
	unsigned nmap;
	uint64_t map_key;
	bool exited;
	bool trace;

	efi_system_table st;
	efi_boot_services bs;
	efi_runtime_services rt;
	efi_configuration_table tables[KX_EFI_MAX_TABLES + 2];
	efi_rt_properties_table rt_props;
	efi_char16 vendor[8];

	struct kx_efi_handle handles[KX_EFI_MAX_HANDLES];
	unsigned nhandles;
	efi_handle image;        /* LoadedImage */
	efi_handle console;      /* SimpleTextOutput, SimpleTextInput */
	efi_handle initrd;       /* DevicePath, LoadFile2 (with an initrd) */
	efi_handle rng_handle;   /* RNG */

	efi_loaded_image loaded_image;
	efi_char16 load_options[KX_EFI_MAX_CMDLINE];
	efi_simple_text_output con_out;
	efi_text_output_mode con_mode;
	efi_simple_text_input con_in;
	efi_load_file2 initrd_lf2;
	efi_vendor_media_path initrd_path;
	efi_rng rng;
	uint64_t rng_counter;

	struct kx_efi_image images[KX_EFI_MAX_IMAGES];

	/* The firmware's runtime services, handed on at SetVirtualAddressMap
	 * (KX_EFI_FW_RUNTIME): its RuntimeServices (virtual already),
	 * and the buffer the stub's last GetMemoryMap filled (what it gives
	 * the kernel). */
	bool fw_handover;
	uint64_t fw_runtime;
	uint8_t *last_map;
	uint64_t last_map_size;

	/* Called once ExitBootServices has succeeded, before it returns to
	 * the PE (x86_64: hand the firmware's runtime services to the
	 * boot_params the stub made); NULL: nothing. */
	void (*exit_hook)(struct kx_efi_env *env);
};

/* Builds the environment from @ho in @env (which must stay where it is:
 * the tables point into it). 0, or -1 for a hand-over block that is not
 * sound (magic, version, size, counts), with the reason on the console. */
int kx_efi_env_init(struct kx_efi_env *env, const struct kx_efi_handover *ho);
/* Marks [start, start + len) of free memory as the loader's own (the
 * purgatory's pages) with @type: the PE may neither allocate nor free it.
 * 0, or -1 where it is not all free memory of one range. */
int kx_efi_env_claim(struct kx_efi_env *env, uint64_t start, uint64_t len,
		     uint32_t type);
/* @pages pages for the PE's stack (EfiBootServicesData), or 0. */
uint64_t kx_efi_env_stack(struct kx_efi_env *env, uint64_t pages);
/* Calls the PE's entry point with the image handle and the system table,
 * as firmware's StartImage does; returns what the PE returned (a Linux
 * stub returns only on failure). */
efi_status kx_efi_env_start(struct kx_efi_env *env);

/* Supplied by whoever links the environment: one character on the
 * console (the purgatory's UART, purgatory/efi/start.c, or a test's
 * buffer). */
void kx_efi_putc(char c);

/* The purgatory's start of a PE (purgatory/efi/start.c): the environment
 * from @ho, the purgatory's pages (kx_self) claimed as @self_type, then
 * @prepare (the architecture's; it prints its reason and returns non-zero
 * to halt), a stack, and @call, which enters the PE with the image handle
 * and the system table on stack @sp, the architecture's way. Never
 * returns. */
typedef efi_status (*kx_efi_call_fn)(uint64_t entry, efi_handle image,
				     efi_system_table *st, uint64_t sp);
extern uint64_t kx_self[2];
void kx_efi_start(struct kx_efi_env *env, const struct kx_efi_handover *ho,
		  uint32_t self_type, int (*prepare)(struct kx_efi_env *env),
		  kx_efi_call_fn call) __attribute__((noreturn));

#endif
