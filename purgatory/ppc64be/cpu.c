/* SPDX-License-Identifier: MIT */
/* The big-endian (ELF ABI v1) build of the ppc64 purgatory's console. */
#include "../ppc64/cpu.c"
