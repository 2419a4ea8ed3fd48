/* SPDX-License-Identifier: MIT */
/* Readers of the running machine's /proc and /sys (see machine.c). */
#ifndef KX_MACHINE_H
#define KX_MACHINE_H

#include "kexload.h"

int kx_memmap_read_firmware(struct kx_memmap *map, const char *dir);
int kx_memmap_read_iomem(struct kx_memmap *map, const char *path);

#endif
