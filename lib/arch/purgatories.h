/* SPDX-License-Identifier: MIT */
/* The purgatory objects embedded by purgatory/blobs.S, one per architecture. */
#ifndef KX_PURGATORIES_H
#define KX_PURGATORIES_H

#include <stddef.h>
#include <stdint.h>

extern const uint8_t kx_purgatory_x86_64[];
extern const size_t kx_purgatory_x86_64_size;
extern const uint8_t kx_purgatory_arm64[];
extern const size_t kx_purgatory_arm64_size;
extern const uint8_t kx_purgatory_arm[];
extern const size_t kx_purgatory_arm_size;
extern const uint8_t kx_purgatory_s390x[];
extern const size_t kx_purgatory_s390x_size;

#endif
