/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the purgatory EFI environment's PE loader
 * (purgatory/efi/env.c, LoadImage from a buffer), compiled for the host
 * as its unit test does: the input is the buffer a UKI's systemd-stub
 * would hand it (kexload never parses that .linux itself). Seeded with
 * the small PE32+ images tests/fuzz/fuzz.t writes for fuzz_pe. A loaded
 * image must lie inside the arena and unload back to one free range. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../purgatory/efi/env.h"

#define PAGES 4096   /* 16 MiB of "RAM" */

static uint8_t arena[PAGES * 4096] __attribute__((aligned(4096)));
static struct kx_efi_handover ho;
static struct kx_efi_env env;

void kx_efi_putc(char c)
{
	(void)c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t base = (uint64_t)(uintptr_t)arena;
	efi_handle h = NULL;
	efi_loaded_image *li;

	memset(&ho, 0, sizeof(ho));
	ho.magic = KX_EFI_HANDOVER_MAGIC;
	ho.version = KX_EFI_HANDOVER_VERSION;
	ho.size = sizeof(ho);
	ho.nmem = 1;
	ho.mem[0] = (struct kx_efi_mem){ .type = EFI_CONVENTIONAL_MEMORY,
					 .phys = base, .pages = PAGES,
					 .attr = EFI_MEMORY_WB };
	if (kx_efi_env_init(&env, &ho))
		abort();
	if (env.bs.load_image(false, env.image, NULL, (void *)data, size, &h))
		return 0;
	li = env.images[0].handle == h ? &env.images[0].li : NULL;
	if (!li || (uint64_t)(uintptr_t)li->image_base < base ||
	    (uint64_t)(uintptr_t)li->image_base + li->image_size >
		    base + sizeof(arena))
		abort();
	if (env.bs.unload_image(h) || env.nmap != 1)
		abort();
	return 0;
}
