/* SPDX-License-Identifier: MIT */
/* libFuzzer target: PE/COFF images (lib/formats/pe.c), seeded with small
 * PE32+ images that tests/fuzz/fuzz.t writes (arm64 and x86_64, with and
 * without base relocations), inspected and loaded with the EFI stub asked
 * for, so that only the PE formats probe them (headers, sections, layout,
 * relocations), through the public API (fuzz/image_target.h). */
#define FUZZ_ARCH KX_ARCH_ARM64
#define FUZZ_RAM 0x40000000
#define FUZZ_EFI_STUB 1
#include "image_target.h"
