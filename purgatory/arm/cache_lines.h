/* SPDX-License-Identifier: MIT */
/*
 * The data cache lines a range of physical memory covers, for the arm
 * purgatory's clean and invalidate by address (DCCIMVAC, ARM DDI 0406C,
 * B4.2.1): the first line's address and a count, never an end address.
 * A range may end at 4 GiB, an end that 32 bits cannot hold, where a
 * loop `for (a = start; a < end; a += line)` over 32-bit addresses wraps
 * to 0 after the last line and never stops; a count always runs out. Here
 * rather than in cpu.c so that the unit tests build it on the host.
 */
#ifndef KX_PURGATORY_ARM_CACHE_LINES_H
#define KX_PURGATORY_ARM_CACHE_LINES_H

#include <stdint.h>

struct kx_arm_lines {
	uint32_t first;   /* the address of the line that holds start */
	uint32_t count;   /* lines from there to the one that holds end - 1 */
};

/* The lines of 1 << @line_shift bytes that [@start, @end) touches; none
 * if the range is empty or does not end within 32 bits. */
static inline struct kx_arm_lines kx_arm_lines(uint64_t start, uint64_t end,
					       unsigned line_shift)
{
	uint64_t first = start >> line_shift << line_shift;

	if (end <= start || end > 1ULL << 32)
		return (struct kx_arm_lines){ 0, 0 };
	return (struct kx_arm_lines){
		(uint32_t)first,
		(uint32_t)((end - first + (1ULL << line_shift) - 1) >> line_shift)
	};
}

#endif
