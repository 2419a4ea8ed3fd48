/* SPDX-License-Identifier: MIT */
/*
 * The purgatory objects, embedded as read-only data: one relocatable ELF
 * per architecture, built by the Makefile from purgatory/<arch>/. Every
 * architecture's purgatory is in every build, so that planning a load for
 * any architecture works on any host.
 */
#if __SIZEOF_POINTER__ == 8
#define SIZE_T .quad
#else
#define SIZE_T .long
#endif

/* Files are found through the assembler's -I (see the Makefile). */
#define BLOB(name, file)                 \
	.section .rodata;                \
	.balign 16;                      \
	.globl kx_purgatory_##name;      \
kx_purgatory_##name:                     \
	.incbin file;                    \
kx_purgatory_##name##_end:               \
	.balign 8;                       \
	.globl kx_purgatory_##name##_size; \
kx_purgatory_##name##_size:              \
	SIZE_T kx_purgatory_##name##_end - kx_purgatory_##name

BLOB(x86_64, "x86_64.ro")

	.section .note.GNU-stack, "", %progbits
