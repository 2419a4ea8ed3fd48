/* SPDX-License-Identifier: MIT */
/*
 * What the loader and every purgatory agree on: the digest table's size
 * and row layout, and how a memory-mapped console is described. Included
 * by lib/core/internal.h and purgatory/common/purgatory.h alike.
 */
#ifndef KX_PURGATORY_ABI_H
#define KX_PURGATORY_ABI_H

#define KX_PURG_MAX_DIGESTS 16
#define KX_PURG_DIGEST_SIZE 48  /* u64 addr, u64 len, u8 sha256[32] */

/* kx_uart[0] is the console's physical base address (0: none), kx_uart[1]
 * its kind, with the register shift in bits 8-15 and the access width in
 * bytes (1 or 4) in bits 16-23. */
#define KX_UART_NONE 0
#define KX_UART_PL011 1     /* ARM PrimeCell PL011 */
#define KX_UART_8250 2      /* 8250/16550 and compatibles */
#define KX_UART_SHIFT(v) (((v) >> 8) & 0xff)
#define KX_UART_WIDTH(v) (((v) >> 16) & 0xff)

#endif
