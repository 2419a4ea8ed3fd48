/* SPDX-License-Identifier: MIT */
/*
 * s390x purgatory entry. The kernel's relocate_kernel copies the segments,
 * stores a short (ESA/390-format) PSW for our entry at absolute 0 and
 * resets the machine with DIAGNOSE 0x308 subcode 0, which loads that PSW:
 * we start in 31-bit addressing mode, DAT, interrupts and machine checks
 * off, prefix 0. After the check the new kernel is entered the same way,
 * as if IPLed: a short PSW for its entry (0x10000, startup_normal, which
 * sets the architecture and 64-bit mode itself) at absolute 0, and
 * DIAGNOSE 0x308 subcode 0 (z/Architecture Principles of Operation,
 * "Short PSW"; the subcodes as the kernel's asm/ipl.h names them). The
 * reset also leaves no external interrupt of the console pending for the
 * new kernel.
 */
	.text
	.globl	purgatory_start
	.type	purgatory_start, @function
purgatory_start:
	lhi	%r1,1
	sigp	%r1,%r0,0x12		/* SET ARCHITECTURE: z/Architecture */
	sam64
	larl	%r15,kx_stack_top
	aghi	%r15,-160		/* the callee's register save area */
	xc	0(8,%r15),0(%r15)	/* no back chain */
	brasl	%r14,kx_purgatory_main
	larl	%r1,kx_entry
	lg	%r4,0(%r1)
	larl	%r1,kx_short_psw
	og	%r4,0(%r1)
	stg	%r4,0			/* absolute 0: prefix is 0 */
	xgr	%r0,%r0
	xgr	%r1,%r1			/* subcode 0 */
	.long	0x83010308		/* diag %r0,%r1,0x308 */
	j	kx_halt
	.size	purgatory_start, . - purgatory_start

	.section .rodata
	.balign	8
kx_short_psw:
	.quad	0x0008000080000000	/* short PSW, 31-bit addressing */

	.bss
	.balign	16
kx_stack:
	.skip	8192
kx_stack_top:

	.section .note.GNU-stack, "", @progbits
