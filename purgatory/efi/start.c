/* SPDX-License-Identifier: MIT */
/*
 * The purgatory's second way to end, what every architecture shares:
 * after the check and the architecture's own preparation, build the EFI
 * environment from the hand-over block, claim the purgatory's pages,
 * take a 128 KiB stack (UEFI 2.10 section 2.3: at least that) and call
 * the PE's entry point the architecture's way. Linux's stub returns only
 * on failure; then the purgatory says so and halts.
 */
#include "../common/purgatory.h"
#include "env.h"

#define STACK_PAGES 32   /* 128 KiB */

void kx_efi_putc(char c)
{
	kx_console_putc(c);
}

void kx_efi_start(struct kx_efi_env *env, const struct kx_efi_handover *ho,
		  uint32_t self_type, int (*prepare)(struct kx_efi_env *env),
		  kx_efi_call_fn call)
{
	uint64_t stack;
	efi_status s;

	if (kx_efi_env_init(env, ho) ||
	    kx_efi_env_claim(env, kx_self[0], kx_self[1], self_type)) {
		kx_puts("kexload purgatory: the EFI environment cannot start\n");
		kx_halt();
	}
	if (prepare && prepare(env))
		kx_halt();
	stack = kx_efi_env_stack(env, STACK_PAGES);
	if (!stack) {
		kx_puts("kexload purgatory: no memory for the EFI stub's stack\n");
		kx_halt();
	}
	kx_puts("kexload purgatory: starting the PE at ");
	kx_puthex(ho->entry);
	kx_puts(" through its EFI stub\n");
	s = call(ho->entry, env->image, &env->st, stack + STACK_PAGES * 4096);
	kx_puts("kexload purgatory: the PE returned ");
	kx_puthex(s);
	kx_puts("\n");
	kx_halt();
}
