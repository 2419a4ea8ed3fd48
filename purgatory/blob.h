/* SPDX-License-Identifier: MIT */
/*
 * The macro that embeds one purgatory object as read-only data, for the
 * blobs.S the Makefile writes with one BLOB(arch, "arch.ro") line per
 * directory under purgatory/. Every architecture's purgatory is in every
 * build, so that planning a load for any architecture works on any host.
 * Files are found through the assembler's -I (see the Makefile).
 */
#if __SIZEOF_POINTER__ == 8
#define SIZE_T .quad
#else
#define SIZE_T .long
#endif

#define BLOB(name, file)                   \
	.section .rodata;                  \
	.balign 16;                        \
	.globl kx_purgatory_##name;        \
kx_purgatory_##name:                       \
	.incbin file;                      \
kx_purgatory_##name##_end:                 \
	.balign 8;                         \
	.globl kx_purgatory_##name##_size; \
kx_purgatory_##name##_size:                \
	SIZE_T kx_purgatory_##name##_end - kx_purgatory_##name
