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
 *
 * A crash kernel's purgatory (kx_crash set by the loader) is instead
 * called by the crashed kernel as a function, in 64-bit mode: r2 = 0 to
 * check and return, r2 = 1 to start the kdump kernel (crash.c). The
 * check returns to the caller with its registers r6-r15 as they were.
 */
	.text
	.globl	purgatory_start
	.type	purgatory_start, @function
purgatory_start:
	larl	%r1,kx_crash
	lg	%r1,8(%r1)		/* its size: 0 for a normal load */
	ltgr	%r1,%r1
	jnz	kx_crash_entry
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

kx_crash_entry:
	larl	%r1,kx_saved
	stmg	%r6,%r15,0(%r1)
	larl	%r15,kx_stack_top
	aghi	%r15,-160
	xc	0(8,%r15),0(%r15)
	ltr	%r2,%r2			/* an int */
	jnz	1f
	brasl	%r14,kx_crash_check	/* r2: 0 if every segment is intact */
	larl	%r1,kx_saved
	lmg	%r6,%r15,0(%r1)
	br	%r14
1:	brasl	%r14,kx_crash_start	/* r2: where kx_crash_tail is now */
	lgr	%r7,%r2
	larl	%r1,kx_crash_tail_args
	lmg	%r2,%r6,0(%r1)
	br	%r7

/* Copied to low memory and run from there: copies our own pages' old
 * memory (r4, r5) into the crash region over us (r2, r3), stores the
 * kernel's PSW (r6) at absolute 0 and enters it with a load-normal
 * reset. Position independent. */
	.globl	kx_crash_tail, kx_crash_tail_end
kx_crash_tail:
0:	.long	0xa8240000		/* mvcle %r2,%r4,0 */
	jo	0b
	stg	%r6,0
	xgr	%r0,%r0
	lghi	%r1,1			/* subcode 1: load normal */
	.long	0x83010308		/* diag %r0,%r1,0x308 */
	j	.
kx_crash_tail_end:

	.section .rodata
	.balign	8
kx_short_psw:
	.quad	0x0008000080000000	/* short PSW, 31-bit addressing */

	.bss
	.balign	8
kx_saved:
	.skip	80
	.balign	16
kx_stack:
	.skip	8192
kx_stack_top:

	.section .note.GNU-stack, "", @progbits
