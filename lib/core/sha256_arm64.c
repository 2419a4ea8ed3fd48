/* SPDX-License-Identifier: MIT */
/*
 * Whether the CPU the library runs on has the ARMv8 SHA-256 instructions:
 * the kernel says so in the auxiliary vector (HWCAP_SHA2, the arm64
 * ELF hwcaps of Documentation/arch/arm64/elf_hwcaps.rst).
 */
#include <sys/auxv.h>

#include "sha256_accel.h"

#define KX_HWCAP_SHA2 (1UL << 6)

int kx_sha256_accel_available(void)
{
	return !!(getauxval(AT_HWCAP) & KX_HWCAP_SHA2);
}
