/* SPDX-License-Identifier: MIT */
/* libFuzzer target: x86_64 bzImages (seeds from tests/fixtures/mkbzimage), inspected and loaded
 * through the public API (fuzz/image_target.h). */
#define FUZZ_ARCH KX_ARCH_X86_64
#define FUZZ_RAM 0
#include "image_target.h"
