/* SPDX-License-Identifier: MIT */
/*
 * 32-bit ARM purgatory entry. The kernel's relocate_new_kernel (after
 * machine_kexec's soft restart: MMU and data cache off) jumps here in ARM
 * state, in SVC mode, or in HYP mode where the old kernel was booted in
 * it. We mask interrupts and aborts, take our own stack, check the
 * segments (common/main.c; cpu.c turns the MMU and caches on around the
 * check with the two functions below), and enter the zImage as the kernel's
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

/* Drops the TLBs, the instruction cache and the branch predictor's
 * entries (clobbers \tmp), and waits for that to be done. */
	.macro	forget, tmp
	mov	\tmp, #0
	mcr	p15, 0, \tmp, c8, c7, 0	@ TLBIALL
	mcr	p15, 0, \tmp, c7, c5, 0	@ ICIALLU
	mcr	p15, 0, \tmp, c7, c5, 6	@ BPIALL
	dsb
	isb
	.endm

/*
 * void kx_arm_mmu_on(u32 ttbr0): short descriptors from TTBR0 alone, the
 * table walked uncached (it was written with caches off), domain 0 a
 * client, then MMU, caches and branch prediction on. Alignment faults
 * off, TEX remap and the access flag off (the sections' TEX, C, B and AP
 * are meant as they are), and WXN off: our code is in writable sections.
 */
	.globl	kx_arm_mmu_on
	.type	kx_arm_mmu_on, %function
kx_arm_mmu_on:
	mov	r1, #0
	mcr	p15, 0, r1, c2, c0, 2	@ TTBCR
	mcr	p15, 0, r0, c2, c0, 0	@ TTBR0
	mov	r1, #1
	mcr	p15, 0, r1, c3, c0, 0	@ DACR: domain 0 client
	forget	r1
	mrc	p15, 0, r1, c1, c0, 0	@ SCTLR
	orr	r1, r1, #(1 << 0)	@ M
	orr	r1, r1, #(1 << 2)	@ C
	orr	r1, r1, #(1 << 11)	@ Z
	orr	r1, r1, #(1 << 12)	@ I
	bic	r1, r1, #(1 << 1)	@ A
	bic	r1, r1, #(1 << 19)	@ WXN
	bic	r1, r1, #(1 << 20)	@ UWXN
	bic	r1, r1, #(1 << 28)	@ TRE
	bic	r1, r1, #(1 << 29)	@ AFE
	mcr	p15, 0, r1, c1, c0, 0
	isb
	bx	lr
	.size	kx_arm_mmu_on, . - kx_arm_mmu_on

/*
 * void kx_arm_mmu_off(u32 first, u32 count, u32 line, u32 sctlr): cleans
 * and invalidates count data cache lines of line bytes from first (the
 * purgatory, whose stack and data were written through the cache) to the
 * point of coherency, then puts back the SCTLR the kernel left (MMU and
 * caches off), with no store between, so that no dirty line is left to be
 * evicted over the next kernel. A count, not an end address, so that the
 * loop ends even for a range that ends at 4 GiB (cache_lines.h).
 */
	.globl	kx_arm_mmu_off
	.type	kx_arm_mmu_off, %function
kx_arm_mmu_off:
	cmp	r1, #0
	beq	2f
1:	mcr	p15, 0, r0, c7, c14, 1	@ DCCIMVAC
	add	r0, r0, r2
	subs	r1, r1, #1
	bne	1b
2:	dsb
	mcr	p15, 0, r3, c1, c0, 0	@ SCTLR as it was
	isb
	forget	r0
	bx	lr
	.size	kx_arm_mmu_off, . - kx_arm_mmu_off

	.bss
	.balign	8
kx_stack:
	.skip	16384
kx_stack_top:

	.section .note.GNU-stack, "", %progbits
