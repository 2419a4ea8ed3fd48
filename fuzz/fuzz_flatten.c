/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the /proc/device-tree flattener (lib/dt/flatten.c) on
 * directory trees made from the input. The input is a list of records,
 * each a kind byte (0: property, 1: enter a node, 2: leave it), a name
 * length and name, and for a property a 16-bit length and its bytes; the
 * tree is written under a scratch directory and flattened. A flatten that
 * succeeds must give a tree libfdt finds sound, holding every property
 * with its bytes; a failure must say why.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libfdt.h>

#include "internal.h"
#include "../lib/dt/dt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_PROPS 64
#define MAX_DEPTH 8

struct prop {
	char node[512];   /* the node's path in the tree ("/" for the root) */
	char name[64];
	const uint8_t *val;
	size_t len;
};

static char root[64];

static void clean(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd))
		abort();
	if (mkdir(root, 0755))
		abort();
}

/* A name from the input that is a file name, not "." or "..", unique
 * enough: printable, no '/'. */
static void take_name(const uint8_t *p, size_t n, char *out, size_t outlen)
{
	size_t k = 0;

	for (size_t i = 0; i < n && k + 1 < outlen; i++)
		out[k++] = p[i] > 32 && p[i] < 127 && p[i] != '/' ? (char)p[i] : '_';
	out[k] = '\0';
	if (!k || !strcmp(out, ".") || !strcmp(out, ".."))
		snprintf(out, outlen, "n%zu", n);
}

static bool exists(const char *path)
{
	struct stat st;

	return !lstat(path, &st);
}

static void check(const struct prop *props, size_t n)
{
	void *blob = NULL;
	size_t len = 0;
	char err[KX_ERR_LEN] = "";

	if (kx_dt_flatten(root, &blob, &len, err)) {
		if (!err[0] || blob)
			abort();
		return;
	}
	if (fdt_check_full(blob, len))
		abort();
	for (size_t i = 0; i < n; i++) {
		int node = fdt_path_offset(blob, props[i].node), plen;
		const void *v = node < 0 ? NULL :
			fdt_getprop(blob, node, props[i].name, &plen);

		if (!v || (size_t)plen != props[i].len ||
		    memcmp(v, props[i].val, props[i].len))
			abort();
	}
	free(blob);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct prop props[MAX_PROPS];
	char dir[PATH_MAX], node[512] = "/";
	size_t np = 0, depth = 0, i = 0;

	if (!root[0])
		snprintf(root, sizeof(root), "/tmp/kx-fuzz-dt-%d", (int)getpid());
	clean();
	snprintf(dir, sizeof(dir), "%s", root);
	while (i + 2 <= size && np < MAX_PROPS) {
		uint8_t kind = data[i] % 3, nl = data[i + 1] % 32;
		char name[40], path[PATH_MAX];

		i += 2;
		if (kind == 2) {
			if (depth) {
				*strrchr(dir, '/') = '\0';
				*strrchr(node, '/') = '\0';
				if (!node[0])
					strcpy(node, "/");
				depth--;
			}
			continue;
		}
		if (i + nl > size)
			break;
		take_name(data + i, nl, name, sizeof(name));
		i += nl;
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		if (exists(path))
			continue;
		if (kind == 1) {
			if (depth == MAX_DEPTH || mkdir(path, 0755))
				continue;
			snprintf(dir, sizeof(dir), "%s", path);
			if (strcmp(node, "/"))
				strncat(node, "/", sizeof(node) - strlen(node) - 1);
			strncat(node, name, sizeof(node) - strlen(node) - 1);
			depth++;
		} else {
			size_t vl;
			FILE *f;

			if (i + 2 > size)
				break;
			vl = (size_t)(data[i] | data[i + 1] << 8) % 4096;
			i += 2;
			if (vl > size - i)
				vl = size - i;
			f = fopen(path, "wb");
			if (!f || fwrite(data + i, 1, vl, f) != vl)
				abort();
			fclose(f);
			props[np] = (struct prop){ .val = data + i, .len = vl };
			snprintf(props[np].node, sizeof(props[np].node), "%s", node);
			snprintf(props[np].name, sizeof(props[np].name), "%s", name);
			np++;
			i += vl;
		}
	}
	check(props, np);
	return 0;
}
