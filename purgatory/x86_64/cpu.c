/* SPDX-License-Identifier: MIT */
/*
 * x86_64: nothing to set up around the check. relocate_kernel enters the
 * purgatory on the kernel's identity-mapped page tables with caches on,
 * so the hashing already runs at full speed. There is no calibrated clock
 * here (the TSC's rate is not known without the kernel), so no timing.
 */
#include "../common/purgatory.h"

void kx_arch_check_begin(void)
{
}

void kx_arch_check_end(void)
{
}

const char *kx_arch_check_mode(void)
{
	return "caches on, generic C";
}

uint64_t kx_arch_usec(void)
{
	return 0;
}
