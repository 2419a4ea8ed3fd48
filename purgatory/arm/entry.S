/* SPDX-License-Identifier: MIT */
/*
 * 32-bit ARM purgatory entry. The kernel's relocate_new_kernel (after
 * machine_kexec's soft restart: MMU and data cache off) jumps here in ARM
 * state, in SVC mode, or in HYP mode where the old kernel was booted in
 * it. We mask interrupts and aborts, take our own stack, check the
 * segments (common/main.c), and enter the zImage as the kernel's
 * Documentation/arch/arm/booting.rst asks: MMU and data cache off, ARM
 * state, r0 = 0, r1 = the machine type (~0 for device-tree-only boards),
 * r2 = the device tree's physical address. Those values, and the entry,
 * are in kx_args and kx_entry, 64-bit words of which the low halves are
 * read (little-endian).
 *
 * Also here: __aeabi_uldivmod, whose result comes back in r0-r3 (the
 * "Run-time ABI for the Arm Architecture", section 4.2), which C cannot
 * say; the division itself is kx_udivmod64 in divide.c.
 */
	.syntax	unified
	.arm
	.text
	.globl	purgatory_start
	.type	purgatory_start, %function
purgatory_start:
	cpsid	aif
	ldr	sp, =kx_stack_top
	bl	kx_purgatory_main
	ldr	r3, =kx_args
	ldr	r0, [r3]
	ldr	r1, [r3, #8]
	ldr	r2, [r3, #16]
	ldr	r3, =kx_entry
	ldr	r3, [r3]
	bx	r3
	.ltorg
	.size	purgatory_start, . - purgatory_start

/* {u64 quotient in r0:r1, u64 remainder in r2:r3} =
 *	__aeabi_uldivmod(u64 numerator in r0:r1, u64 denominator in r2:r3) */
	.globl	__aeabi_uldivmod
	.type	__aeabi_uldivmod, %function
__aeabi_uldivmod:
	push	{r4, lr}
	sub	sp, sp, #16		@ the remainder at sp + 8, 8-byte aligned
	add	r4, sp, #8
	str	r4, [sp]		@ kx_udivmod64's third argument
	bl	kx_udivmod64
	ldr	r2, [sp, #8]
	ldr	r3, [sp, #12]
	add	sp, sp, #16
	pop	{r4, pc}
	.size	__aeabi_uldivmod, . - __aeabi_uldivmod

	.bss
	.balign	8
kx_stack:
	.skip	16384
kx_stack_top:

	.section .note.GNU-stack, "", %progbits
