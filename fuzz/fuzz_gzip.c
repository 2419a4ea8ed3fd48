/* SPDX-License-Identifier: MIT */
/* libFuzzer target: gzip-wrapped kernels, Image.gz (seeds from
 * tests/fixtures/mkarm64), inspected and loaded
 * through the public API (fuzz/image_target.h). */
#define FUZZ_ARCH KX_ARCH_ARM64
#define FUZZ_RAM 0x40000000
#include "image_target.h"
