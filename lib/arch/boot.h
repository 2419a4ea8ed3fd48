/* SPDX-License-Identifier: MIT */
/* Each architecture's boot-data stage (struct kx_arch_ops' boot), in its
 * own lib/arch/<arch>/boot.c. */
#ifndef KX_ARCH_BOOT_H
#define KX_ARCH_BOOT_H

#include "../core/internal.h"

int kx_x86_64_boot(struct kx_image *img, struct kx_boot *b);
int kx_arm64_boot(struct kx_image *img, struct kx_boot *b);
/* A PE started through its EFI stub (lib/arch/arm64/efi.c). */
int kx_arm64_boot_efi(struct kx_image *img, struct kx_boot *b);
int kx_x86_64_boot_efi(struct kx_image *img, struct kx_boot *b);
int kx_arm_boot(struct kx_image *img, struct kx_boot *b);
int kx_s390x_boot(struct kx_image *img, struct kx_boot *b);
int kx_ppc64_boot(struct kx_image *img, struct kx_boot *b);

/* The reserve-map edits of lib/arch/ppc64/boot.c; libfdt's codes. */
int kx_ppc64_del_rsv(void *fdt, uint64_t start, uint64_t size);
int kx_ppc64_add_rsv(void *fdt, uint64_t start, uint64_t size);

struct kx_dt;
/* ppc64's crash-kernel edits of the tree it boots with, and the purgatory's
 * backup (lib/arch/ppc64/crash.c). */
int kx_ppc64_crash(struct kx_image *img, struct kx_dt *dt);

#endif
