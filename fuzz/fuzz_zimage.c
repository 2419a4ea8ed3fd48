/* SPDX-License-Identifier: MIT */
/* libFuzzer target: 32-bit ARM zImages (seeds from tests/fixtures/mkzimage:
 * kernel-size tags of 6 and 4 words, none, an appended device tree): the
 * header and extension-tag walk, and the placement, inspected and loaded
 * through the public API (fuzz/image_target.h). */
#define FUZZ_ARCH KX_ARCH_ARM
#define FUZZ_RAM 0x40000000
#include "image_target.h"
