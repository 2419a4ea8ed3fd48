/* SPDX-License-Identifier: MIT */
/* libFuzzer target: s390 images (seeds written by tests/fuzz/fuzz.t: the
 * IPL record, the entry marker and a parameter area announcing 4096, 0
 * and 0x2000 command-line bytes; and the s390x ELF kernels of
 * build/fixtures, which the ELF wrapper lays out): the probe, the
 * parameter area's checks and the layout, inspected and loaded through the public API
 * (fuzz/image_target.h) on 1 GiB of RAM at 0, where s390 kernels go. */
#define FUZZ_ARCH KX_ARCH_S390X
#define FUZZ_RAM 0x0
#include "image_target.h"
