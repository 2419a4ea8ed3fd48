/* SPDX-License-Identifier: MIT */
/*
 * ppc64 purgatory entry, built twice: little endian (ELF ABI v2) and big
 * endian (ABI v1, function descriptors). The running kernel's
 * kexec_sequence (arch/powerpc/kexec) copies the first 0x100 bytes of this
 * entry to physical address 0, releases the other CPUs to 0x60 there with
 * r3 = their physical id, and enters here with r3 = this CPU's physical
 * id, r4 = this address, real mode (MMU off). So the first word branches
 * to the master code, and bytes 4-0xff are the new kernel's own first
 * 0x100 bytes (its __secondary_hold spin code, which the loader copies
 * into kx_ppc64_slave): the other CPUs wait there, in the new kernel's
 * code, until the new kernel releases them.
 *
 * The master checks the segments (common/main.c), writes its physical id
 * as the device tree's boot CPU (header offset 28, big endian), and enters
 * the kernel as the kernel's own kexec purgatory does: r3 = the device
 * tree, r4 = the kernel's base, r5 = 0, with MSR_LE cleared (the kernel's
 * first instructions switch to its own byte order).
 *
 * Before that, for a crash kernel, the master copies the first
 * kx_ppc64_backup[1] bytes of memory to kx_ppc64_backup[0]: the crash
 * kernel puts its interrupt vectors there as it starts, and the crashed
 * kernel's bytes are read from the copy (the core header says so). The
 * copy comes after the check, which covers the backup segment's zeros.
 */
#define STACK_FRAME 128

	.machine power8
	.text
	.balign	256
	.globl	purgatory_start
	.type	purgatory_start, @function
purgatory_start:
	b	master
	.globl	kx_ppc64_slave
	.type	kx_ppc64_slave, @object
kx_ppc64_slave:
	.space	0xfc
	.size	kx_ppc64_slave, . - kx_ppc64_slave

master:
	or	1, 1, 1			/* low priority while the check runs */
	mr	17, 3			/* our physical CPU id */
	bcl	20, 31, 1f
1:	mflr	18
	ld	2, (toc_word - 1b)(18)
	ld	1, (stack_word - 1b)(18)
	li	0, 0
	stdu	0, -STACK_FRAME(1)
	bl	kx_purgatory_main
	nop
	/* The crash kernel's backup of low memory, a doubleword at a time:
	 * r9 walks the source from 0, r10 the destination. */
	ld	8, (backup_word - 1b)(18)
	ld	10, 0(8)		/* destination */
	ld	7, 8(8)			/* bytes */
	cmpdi	10, 0
	beq	4f
	srdi.	7, 7, 3
	beq	4f
	mtctr	7
	li	9, 0
5:	ldx	0, 0, 9
	stdx	0, 10, 9
	addi	9, 9, 8
	bdnz	5b
	sync
4:	or	2, 2, 2			/* normal priority */
	ld	9, (args_word - 1b)(18)
	ld	3, 0(9)			/* r3: the device tree */
	ld	4, 8(9)			/* r4: the kernel's base */
	li	5, 0
	cmpdi	3, 0
	beq	2f
	/* The header is big endian. Version 2 and later have
	 * boot_cpuid_phys at offset 28. */
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	lwz	7, 20(3)
	cmpwi	7, 2
	blt	2f
	stw	17, 28(3)
#else
	li	6, 20
	lwbrx	7, 3, 6
	cmpwi	7, 2
	blt	2f
	li	6, 28
	stwbrx	17, 3, 6
#endif
2:	ld	9, (entry_word - 1b)(18)
	ld	9, 0(9)
	mfmsr	11
	andi.	10, 11, 1		/* MSR_LE */
	beq	3f
	clrrdi	11, 11, 1
	mtsrr0	9
	mtsrr1	11
	rfid
3:	mtctr	9
	bctr
	.size	purgatory_start, . - purgatory_start

/* void kx_ppc64_hcall_put_term_char(u64 termno, u64 len, u64 hi, u64 lo) */
	.globl	kx_ppc64_hcall_put
	.type	kx_ppc64_hcall_put, @function
kx_ppc64_hcall_put:
	mr	7, 6
	mr	6, 5
	mr	5, 4
	mr	4, 3
	li	3, 0x58			/* H_PUT_TERM_CHAR */
	sc	1
	blr
	.size	kx_ppc64_hcall_put, . - kx_ppc64_hcall_put

	.balign	8
toc_word:
	.quad	.TOC.
stack_word:
	.quad	kx_stack_top
args_word:
	.quad	kx_args
entry_word:
	.quad	kx_entry
backup_word:
	.quad	kx_ppc64_backup

	.bss
	.balign	16
kx_stack:
	.skip	16384
kx_stack_top:

	.section .note.GNU-stack, "", @progbits
