/* SPDX-License-Identifier: MIT */
/* libFuzzer target: ELF files (seeds: the clang-built executables of both
 * byte orders and classes test_elf reads, build/fixtures/elf-*): the one
 * ELF reader's header and program-header checks through the ppc64 vmlinux
 * format's probe and load, placement, the purgatory of either byte order
 * and the device tree, inspected and loaded through the public API
 * (fuzz/image_target.h). */
#define FUZZ_ARCH KX_ARCH_PPC64
#define FUZZ_RAM 0
#include "image_target.h"
