/* SPDX-License-Identifier: MIT */
/* How the kexload command shows plans, status and image descriptions. */
#ifndef KX_OUTPUT_H
#define KX_OUTPUT_H

#include <stdio.h>

#include "kexload.h"

/* The plan --json fields are a contract: see kexload(8), "JSON OUTPUT". */
#define KX_PLAN_JSON_VERSION 1

void print_plan_table(FILE *f, const struct kx_image *img,
		      const struct kx_load_opts *opts);
void print_plan_json(FILE *f, const struct kx_image *img,
		     const struct kx_load_opts *opts);
void print_status(FILE *f, const struct kx_status *st, bool json);
void print_info(FILE *f, const char *file, const struct kx_info *info,
		bool json);
/* The formats kexload knows, from the library's format table. */
void print_formats(FILE *f, bool json);

#endif
