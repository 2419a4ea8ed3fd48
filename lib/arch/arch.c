/* SPDX-License-Identifier: MIT */
/* The table of architectures: names, and the operations of those kexload
 * can load kernels for. */
#include <string.h>
#include <strings.h>

#include "../core/internal.h"

extern const struct kx_arch_ops kx_arch_x86_64;
extern const struct kx_arch_ops kx_arch_arm64;
extern const struct kx_arch_ops kx_arch_arm;
extern const struct kx_arch_ops kx_arch_s390x;

static const struct kx_arch_ops *const arch_table[] = {
	&kx_arch_x86_64,
	&kx_arch_arm64,
	&kx_arch_arm,
	&kx_arch_s390x,
};

static const struct {
	enum kx_arch arch;
	const char *name;
} arch_names[] = {
	{ KX_ARCH_X86_64, "x86_64" }, { KX_ARCH_X86_64, "amd64" },
	{ KX_ARCH_ARM64, "arm64" },   { KX_ARCH_ARM64, "aarch64" },
	{ KX_ARCH_ARM, "arm" },       { KX_ARCH_ARM, "armhf" },
	{ KX_ARCH_PPC64, "ppc64" },   { KX_ARCH_PPC64, "ppc64le" },
	{ KX_ARCH_PPC64, "ppc64el" }, { KX_ARCH_S390X, "s390x" },
};

const struct kx_arch_ops *kx_arch_ops(enum kx_arch arch)
{
	for (size_t i = 0; i < KX_ARRAY_SIZE(arch_table); i++)
		if (arch_table[i]->arch == arch)
			return arch_table[i];
	return NULL;
}

const char *kx_arch_name(enum kx_arch arch)
{
	for (size_t i = 0; i < KX_ARRAY_SIZE(arch_names); i++)
		if (arch_names[i].arch == arch)
			return arch_names[i].name;
	return "none";
}

int kx_arch_from_name(const char *name, enum kx_arch *arch)
{
	for (size_t i = 0; i < KX_ARRAY_SIZE(arch_names); i++) {
		if (!strcasecmp(arch_names[i].name, name)) {
			*arch = arch_names[i].arch;
			return 0;
		}
	}
	return -EINVAL;
}

enum kx_arch kx_arch_host(void)
{
#if defined(__x86_64__)
	return KX_ARCH_X86_64;
#elif defined(__aarch64__)
	return KX_ARCH_ARM64;
#elif defined(__arm__)
	return KX_ARCH_ARM;
#elif defined(__powerpc64__)
	return KX_ARCH_PPC64;
#elif defined(__s390x__)
	return KX_ARCH_S390X;
#else
	return KX_ARCH_NONE;
#endif
}
