/* SPDX-License-Identifier: MIT */
/*
 * x86_64 purgatory entry. The kernel's relocate_kernel jumps here in 64-bit
 * mode on identity-mapped page tables, with its own stack and GDT. We load
 * a GDT with the flat __BOOT_CS (0x10) and __BOOT_DS (0x18) descriptors the
 * 64-bit boot protocol asks for (Documentation/arch/x86/boot.rst, "64-bit
 * Boot Protocol"), check the segments, and enter the kernel's 64-bit entry
 * with %rsi = boot_params and interrupts off.
 */
	.code64
	.text
	.globl	purgatory_start
	.type	purgatory_start, @function
purgatory_start:
	cli
	cld
	leaq	kx_stack_top(%rip), %rsp
	lgdt	kx_gdt_desc(%rip)
	pushq	$0x10
	leaq	1f(%rip), %rax
	pushq	%rax
	lretq
1:	movl	$0x18, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	call	kx_purgatory_main
	/* A PE to start through its EFI stub: the second way to end. */
	cmpq	$0, kx_efi_handover(%rip)
	je	2f
	call	kx_x86_64_efi_start	/* does not return */
2:	movq	kx_args(%rip), %rsi
	movq	kx_entry(%rip), %rax
	xorl	%ebx, %ebx
	xorl	%ecx, %ecx
	xorl	%edx, %edx
	xorl	%edi, %edi
	xorl	%ebp, %ebp
	xorl	%r8d, %r8d
	xorl	%r9d, %r9d
	xorl	%r10d, %r10d
	xorl	%r11d, %r11d
	xorl	%r12d, %r12d
	xorl	%r13d, %r13d
	xorl	%r14d, %r14d
	xorl	%r15d, %r15d
	jmp	*%rax
	.size	purgatory_start, . - purgatory_start

/*
 * efi_status kx_x86_64_efi_call(u64 entry, handle image, table *st, u64 sp):
 * the PE's entry on a stack of its own (UEFI wants 128 KiB; ours is 16),
 * called the Microsoft way: RCX = the image handle, RDX = the system
 * table, 32 bytes of shadow space above the return address, RSP 16-byte
 * aligned at the call. Back on ours if it returns.
 */
	.globl	kx_x86_64_efi_call
	.type	kx_x86_64_efi_call, @function
kx_x86_64_efi_call:
	pushq	%rbp
	movq	%rsp, %rbp
	andq	$-16, %rcx
	movq	%rcx, %rsp
	subq	$32, %rsp
	movq	%rdi, %rax
	movq	%rsi, %rcx
	/* %rdx is the system table already */
	cld
	call	*%rax
	movq	%rbp, %rsp
	popq	%rbp
	ret
	.size	kx_x86_64_efi_call, . - kx_x86_64_efi_call

	.data
	.balign	16
kx_gdt:
	.quad	0
	.quad	0
	.quad	0x00af9a000000ffff	/* 0x10: 64-bit code, flat */
	.quad	0x00cf92000000ffff	/* 0x18: data, flat, 4 GiB */
kx_gdt_end:
	.balign	16
	.word	0, 0, 0
kx_gdt_desc:
	.word	kx_gdt_end - kx_gdt - 1
	.quad	kx_gdt

	.bss
	.balign	16
kx_stack:
	.skip	16384
kx_stack_top:

	.section .note.GNU-stack, "", @progbits
