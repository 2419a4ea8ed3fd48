/* SPDX-License-Identifier: MIT */
/*
 * arm64 purgatory entry, and the two steps of the cache set-up that must
 * not touch memory: turning the MMU on and off. The kernel's
 * arm64_relocate_new_kernel enters here with the MMU and data cache off,
 * at EL1 or EL2. We mask interrupts, take our own stack, let the SHA-256
 * instructions run (CPACR_EL1.FPEN, or CPTR_EL2.TFP under a non-VHE EL2),
 * check the segments (cpu.c, common/main.c), and enter the kernel as
 * Documentation/arch/arm64/booting.rst asks: MMU and D-cache off, x0 = the
 * device tree's physical address, x1-x3 = 0.
 */
	.text
	.globl	purgatory_start
	.type	purgatory_start, %function
purgatory_start:
	msr	daifset, #0xf
	adrp	x0, kx_stack_top
	add	x0, x0, :lo12:kx_stack_top
	mov	sp, x0
	mrs	x0, CurrentEL
	cmp	x0, #(2 << 2)
	b.ne	1f
	mrs	x1, hcr_el2
	tbnz	x1, #34, 1f		/* E2H: CPACR_EL1 is CPTR_EL2 */
	mrs	x1, cptr_el2
	bic	x1, x1, #(1 << 10)	/* TFP */
	msr	cptr_el2, x1
	b	2f
1:	mrs	x1, cpacr_el1
	orr	x1, x1, #(3 << 20)	/* FPEN: no traps */
	msr	cpacr_el1, x1
2:	isb
	bl	kx_purgatory_main
	/* A PE to start through its EFI stub: the second way to end. */
	adrp	x4, kx_efi_handover
	ldr	x4, [x4, :lo12:kx_efi_handover]
	cbz	x4, 3f
	bl	kx_arm64_efi_start	/* does not return */
3:	adrp	x4, kx_entry
	ldr	x4, [x4, :lo12:kx_entry]
	adrp	x5, kx_args
	add	x5, x5, :lo12:kx_args
	ldp	x0, x1, [x5]
	ldp	x2, x3, [x5, #16]
	br	x4
	.size	purgatory_start, . - purgatory_start

/*
 * efi_status kx_arm64_efi_call(u64 entry, handle image, table *st, u64 sp):
 * the PE's entry on a stack of its own (UEFI wants 128 KiB; ours is 16),
 * with x0 = the image handle and x1 = the system table; back on ours if
 * it returns.
 */
	.globl	kx_arm64_efi_call
	.type	kx_arm64_efi_call, %function
kx_arm64_efi_call:
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	mov	sp, x3
	mov	x4, x0
	mov	x0, x1
	mov	x1, x2
	blr	x4
	mov	sp, x29
	ldp	x29, x30, [sp], #16
	ret
	.size	kx_arm64_efi_call, . - kx_arm64_efi_call

/* void kx_arm64_mmu_on(u64 ttbr0, u64 tcr, u64 mair, int el2) */
	.globl	kx_arm64_mmu_on
	.type	kx_arm64_mmu_on, %function
kx_arm64_mmu_on:
	ic	iallu
	cbnz	w3, 1f
	msr	mair_el1, x2
	msr	tcr_el1, x1
	msr	ttbr0_el1, x0
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	mrs	x0, sctlr_el1
	b	2f
1:	msr	mair_el2, x2
	msr	tcr_el2, x1
	msr	ttbr0_el2, x0
	isb
	tlbi	alle2
	dsb	nsh
	isb
	mrs	x0, sctlr_el2
2:	orr	x0, x0, #(1 << 0)	/* M */
	orr	x0, x0, #(1 << 2)	/* C */
	orr	x0, x0, #(1 << 12)	/* I */
	bic	x0, x0, #(1 << 1)	/* A: no alignment faults */
	bic	x0, x0, #(1 << 19)	/* WXN: our code pages are writable */
	cbnz	w3, 3f
	msr	sctlr_el1, x0
	isb
	ret
3:	msr	sctlr_el2, x0
	isb
	ret
	.size	kx_arm64_mmu_on, . - kx_arm64_mmu_on

/*
 * void kx_arm64_mmu_off(u64 start, u64 end, int el2): cleans and
 * invalidates [start, end) (the purgatory itself, whose stack and data
 * were written through the cache) to the point of coherency, then turns
 * the MMU and caches off. No memory is written between the two, so no
 * dirty line is left to be evicted over what the next kernel writes.
 */
	.globl	kx_arm64_mmu_off
	.type	kx_arm64_mmu_off, %function
kx_arm64_mmu_off:
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4		/* DminLine: log2 of words */
	mov	x4, #4
	lsl	x3, x4, x3
	sub	x4, x3, #1
	bic	x0, x0, x4
1:	dc	civac, x0
	add	x0, x0, x3
	cmp	x0, x1
	b.lo	1b
	dsb	sy
	cbnz	w2, 2f
	mrs	x0, sctlr_el1
	bic	x0, x0, #(1 << 0)
	bic	x0, x0, #(1 << 2)
	bic	x0, x0, #(1 << 12)
	msr	sctlr_el1, x0
	isb
	ic	iallu
	tlbi	vmalle1
	dsb	nsh
	isb
	ret
2:	mrs	x0, sctlr_el2
	bic	x0, x0, #(1 << 0)
	bic	x0, x0, #(1 << 2)
	bic	x0, x0, #(1 << 12)
	msr	sctlr_el2, x0
	isb
	ic	iallu
	tlbi	alle2
	dsb	nsh
	isb
	ret
	.size	kx_arm64_mmu_off, . - kx_arm64_mmu_off

	.bss
	.balign	16
kx_stack:
	.skip	16384
kx_stack_top:

	.section .note.GNU-stack, "", %progbits
