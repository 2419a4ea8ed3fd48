/* SPDX-License-Identifier: MIT */
/*
 * 32-bit ARM: the relocation types the compiler emits for the purgatory
 * (Arm's "ELF for the Arm Architecture", section 5.6, "Relocation"), and
 * the architecture's entry in the table. The objects use REL sections, so
 * the addend is in the place: the word itself for data, the instruction's
 * immediate for branches (imm24, in words) and MOVW/MOVT (imm4:imm12, a
 * signed 16-bit value), the low 31 bits for PREL31 (.ARM.exidx). Data
 * relocations then map onto the generic kinds; instruction ones patch a
 * little-endian ARM-state instruction word.
 */
#include <inttypes.h>
#include <stdio.h>

#include "../reloc.h"
#include "../purgatories.h"
#include "../boot.h"

enum {
	R_NONE = 0, R_ABS32 = 2, R_REL32 = 3, R_CALL = 28, R_JUMP24 = 29,
	R_V4BX = 40, R_PREL31 = 42, R_MOVW_ABS_NC = 43, R_MOVT_ABS = 44,
};

static int64_t sext(uint64_t v, unsigned bits)
{
	return (int64_t)(v << (64 - bits)) >> (64 - bits);
}

/* The addend: in the place for REL, else the entry's. */
static int64_t addend(const struct kx_reloc *rel, uint32_t word)
{
	if (!rel->implicit_addend)
		return rel->A;
	switch (rel->type) {
	case R_CALL:
	case R_JUMP24:
		return sext(word & 0xffffff, 24) * 4;
	case R_PREL31:
		return sext(word & 0x7fffffff, 31);
	case R_MOVW_ABS_NC:
	case R_MOVT_ABS:
		return sext((word >> 4 & 0xf000) | (word & 0xfff), 16);
	default:
		return (int32_t)word;
	}
}

static int range_err(struct kx_purgatory *p, const struct kx_reloc *rel,
		     uint64_t target)
{
	return kx_seterr(p->err, -ERANGE,
			 "purgatory: arm relocation type %u at 0x%" PRIx64
			 " cannot reach 0x%" PRIx64,
			 rel->type, rel->P, target);
}

static int branch(struct kx_purgatory *p, const struct kx_reloc *rel,
		  uint32_t insn, int64_t A)
{
	uint64_t target = rel->S + (uint64_t)A;
	int64_t off = (int64_t)(target - rel->P);

	if (insn >> 28 == 0xf) { /* BLX: would enter Thumb state */
		return kx_seterr(p->err, -ENOEXEC,
				 "purgatory: arm BLX at 0x%" PRIx64
				 " (Thumb code is not expected)",
				 rel->P);
	}
	if (target & 3) {
		return kx_seterr(
		    p->err, -ENOEXEC,
		    "purgatory: arm relocation type %u at 0x%" PRIx64
		    " has a misaligned target 0x%" PRIx64,
		    rel->type, rel->P, target);
	}
	if (off < -(1LL << 25) || off >= 1LL << 25)
		return range_err(p, rel, target);
	insn = (insn & 0xff000000u) | ((uint32_t)(off >> 2) & 0xffffff);
	kx_put_uint(rel->loc, 4, insn, false);
	return 0;
}

static uint32_t movw_movt(uint32_t insn, uint32_t imm16)
{
	return (insn & 0xfff0f000u) | (imm16 & 0xf000) << 4 | (imm16 & 0xfff);
}

static int arm_apply_reloc(struct kx_purgatory *p, const struct kx_reloc *rel)
{
	struct kx_reloc r = *rel;
	uint32_t word;
	uint64_t v;

	if (rel->type == R_NONE || rel->type == R_V4BX)
		return 0;
	if (rel->room < 4) {
		return kx_seterr(p->err, -ENOEXEC,
				 "purgatory: relocation at 0x%" PRIx64
				 " runs past its section",
				 rel->P);
	}
	word = (uint32_t)kx_get_uint(rel->loc, 4, false);
	r.A = addend(rel, word);
	v = r.S + (uint64_t)r.A;
	switch (rel->type) {
	case R_ABS32:   /* -2^31 <= X < 2^32 */
		return kx_reloc_apply_kind(p, &r, (int64_t)v < 0 ? KX_R_ABS32S :
					   KX_R_ABS32);
	case R_REL32:
		return kx_reloc_apply_kind(p, &r, KX_R_PC32);
	case R_CALL:
	case R_JUMP24:
		return branch(p, &r, word, r.A);
	case R_PREL31: {
		int64_t off = (int64_t)(v - rel->P);

		if (off < -(1LL << 30) || off >= 1LL << 30)
			return range_err(p, rel, v);
		word = (word & 0x80000000u) | ((uint32_t)off & 0x7fffffff);
		break;
	}
	case R_MOVW_ABS_NC:
		word = movw_movt(word, (uint32_t)v & 0xffff);
		break;
	case R_MOVT_ABS:
		if ((int64_t)v < INT32_MIN || (int64_t)v > (int64_t)UINT32_MAX)
			return range_err(p, rel, v);
		word = movw_movt(word, (uint32_t)(v >> 16) & 0xffff);
		break;
	default:
		return kx_seterr(p->err, -ENOEXEC,
				 "purgatory: arm relocation type %u is "
				 "not supported",
				 rel->type);
	}
	kx_put_uint(rel->loc, 4, word, false);
	return 0;
}

const struct kx_arch_ops kx_arch_arm = {
	.arch = KX_ARCH_ARM,
	.name = "arm",
	.elf_machine = 40,             /* EM_ARM */
	.big_endian = false,
	.elf64 = false,
	.kexec_arch = 40UL << 16,      /* KEXEC_ARCH_ARM */
	.purgatory = kx_purgatory_arm,
	.purgatory_size = &kx_purgatory_arm_size,
	/* Every segment below 4 GiB, and not in the last page: a 32-bit
	 * kernel's kexec_load takes a segment only if its end, mem + memsz
	 * in an unsigned long, neither wraps nor reaches
	 * KEXEC_DESTINATION_MEMORY_LIMIT (~0UL); the purgatory runs with the
	 * MMU off at its physical address, and loads the end of its stack
	 * (the end of its segment) and r2 as 32-bit addresses. */
	.segment_max = 0xffffefffULL,
	.apply_reloc = arm_apply_reloc,
	.boot = kx_arm_boot,
	/* COMMAND_LINE_SIZE of 32-bit ARM (1024, with the NUL). */
	.cmdline_max = 1023,
	.dt_reservations = true,
	.crash = true,
};
