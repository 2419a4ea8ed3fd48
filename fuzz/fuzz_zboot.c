/* SPDX-License-Identifier: MIT */
/* libFuzzer target: EFI zboot vmlinuz with each compression (seeds
 * from tests/fixtures/mkarm64), inspected and loaded
 * through the public API (fuzz/image_target.h). */
#define FUZZ_ARCH KX_ARCH_ARM64
#define FUZZ_RAM 0x40000000
#include "image_target.h"
