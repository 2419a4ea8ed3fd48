/* SPDX-License-Identifier: MIT */
/* The library's one error convention (see kx_seterr in internal.h). */
#include <stdio.h>

#include "internal.h"

int kx_seterr(char err[KX_ERR_LEN], int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, KX_ERR_LEN, fmt, ap);
	va_end(ap);
	return code;
}
