/* SPDX-License-Identifier: MIT */
/* Lockdown, CAP_SYS_BOOT and the load calls' presence (lockdown.c). */
#ifndef KX_LOCKDOWN_H
#define KX_LOCKDOWN_H

#include "kexload.h"

/* The lockdown mode ("" if unknown) and where it was read. */
void kx_lockdown_read(char *out, size_t len, const char **source);
bool kx_cap_sys_boot(void);
/* Fills st->kexec_load and st->kexec_file_load (and their errnos). */
void kx_kexec_probe(struct kx_status *st);

#endif
