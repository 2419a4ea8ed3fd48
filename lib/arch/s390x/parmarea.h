/* SPDX-License-Identifier: MIT */
/*
 * Where an s390 kernel image (loaded at absolute 0) is entered and keeps
 * its parameter area (the kernel's asm/setup.h: STARTUP_NORMAL_OFFSET,
 * PARMAREA, struct parmarea). Shared by lib/formats/s390_image.c and
 * lib/arch/s390x/boot.c.
 */
#ifndef KX_S390X_PARMAREA_H
#define KX_S390X_PARMAREA_H

#define KX_S390_ENTRY 0x10000          /* startup_normal */
#define KX_S390_KDUMP_ENTRY 0x10010    /* startup_kdump */
#define KX_S390_PARMAREA 0x10400
#define KX_S390_INITRD_START 0x10408   /* big-endian 64-bit words */
#define KX_S390_INITRD_SIZE 0x10410
#define KX_S390_OLDMEM_BASE 0x10418
#define KX_S390_OLDMEM_SIZE 0x10420
#define KX_S390_CMDLINE 0x10480
/* The purgatory: above CPU 0's 8 KiB lowcore, below the image (in a
 * crash load, from the crash region's start, as every address here). */
#define KX_S390X_PURGATORY 0x2000

#endif
