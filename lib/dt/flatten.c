/* SPDX-License-Identifier: MIT */
/*
 * The running machine's device tree from the directory the kernel shows it
 * as (/proc/device-tree: a directory per node, a file per property), made
 * into a flattened tree with libfdt's sequential-write functions, for
 * machines that do not expose /sys/firmware/fdt. Properties come before
 * subnodes and both in name order, so the same directory always gives the
 * same blob. The reserve map is left empty: /proc/device-tree does not show
 * it (the ppc64 boot stage adds what it knows must be there).
 */
/* 32-bit builds: readdir must take a 64-bit file system's offsets (it
 * fails with EOVERFLOW otherwise, seen under qemu-arm). */
#define _FILE_OFFSET_BITS 64

#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libfdt.h>

#include "dt.h"

#define FLAT_START (64 * 1024)
#define FLAT_MAX (64ULL << 20)
#define PROP_MAX (16U << 20)

struct flat {
	void *fdt;
	char *err;
	char path[4096];
};

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int read_prop(struct flat *f, const char *path, uint8_t **out,
		     size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	size_t cap = 256, n = 0;
	uint8_t *buf = NULL;

	if (fd < 0)
		return kx_seterr(f->err, -errno, "%s: cannot read the property: "
				 "%s", path, strerror(errno));
	for (;;) {
		ssize_t r;

		if (n == cap || !buf) {
			uint8_t *p;

			cap = buf ? cap * 2 : cap;
			p = cap > PROP_MAX ? NULL : realloc(buf, cap);
			if (!p) {
				free(buf);
				close(fd);
				return kx_seterr(f->err, -EFBIG, "%s: property "
						 "larger than %u bytes", path,
						 PROP_MAX);
			}
			buf = p;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0) {
			int e = errno;

			free(buf);
			close(fd);
			return kx_seterr(f->err, -e, "%s: cannot read the "
					 "property: %s", path, strerror(e));
		}
		if (!r)
			break;
		n += (size_t)r;
	}
	close(fd);
	*out = buf;
	*len = n;
	return 0;
}

static int fdt_rc(struct flat *f, int err)
{
	if (err == -FDT_ERR_NOSPACE)
		return -ENOSPC;   /* the caller grows the buffer and retries */
	return kx_seterr(f->err, -EINVAL, "%s: flattening: %s", f->path,
			 fdt_strerror(err));
}

/* The node at f->path: its properties, then its subnodes. */
static int node(struct flat *f, const char *name)
{
	size_t plen = strlen(f->path);
	DIR *d = opendir(f->path);
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	int rc = 0;

	if (!d)
		return kx_seterr(f->err, -errno, "%s: cannot read the node: %s",
				 f->path, strerror(errno));
	for (;;) {
		errno = 0;
		de = readdir(d);
		if (!de) {
			if (errno)
				rc = kx_seterr(f->err, -errno, "%s: cannot read "
					       "the node: %s", f->path,
					       strerror(errno));
			break;
		}
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (n == cap) {
			char **p = realloc(names, (cap = cap ? cap * 2 : 32) *
						   sizeof(*names));
			if (!p) {
				rc = -ENOMEM;
				break;
			}
			names = p;
		}
		if (!(names[n] = strdup(de->d_name))) {
			rc = -ENOMEM;
			break;
		}
		n++;
	}
	closedir(d);
	if (rc == -ENOMEM)
		kx_seterr(f->err, rc, "out of memory");
	if (!rc) {
		if (n)   /* an empty node has no list at all */
			qsort(names, n, sizeof(*names), name_cmp);
		rc = fdt_begin_node(f->fdt, name);
		rc = rc ? fdt_rc(f, rc) : 0;
	}
	/* pass 0: properties; pass 1: subnodes */
	for (int pass = 0; !rc && pass < 2; pass++) {
		for (size_t i = 0; !rc && i < n; i++) {
			struct stat st;

			if (plen + 1 + strlen(names[i]) >= sizeof(f->path)) {
				rc = kx_seterr(f->err, -ENAMETOOLONG,
					       "%s/%s: path too long", f->path,
					       names[i]);
				break;
			}
			snprintf(f->path + plen, sizeof(f->path) - plen, "/%s",
				 names[i]);
			if (stat(f->path, &st)) {
				rc = kx_seterr(f->err, -errno, "%s: cannot read "
					       "the property: %s", f->path,
					       strerror(errno));
			} else if (S_ISDIR(st.st_mode)) {
				if (pass == 1)
					rc = node(f, names[i]);
			} else if (!S_ISREG(st.st_mode)) {
				/* a FIFO or a device would block or never end */
				rc = kx_seterr(f->err, -EINVAL, "%s: not a property "
					       "(not a regular file)", f->path);
			} else if (pass == 0) {
				uint8_t *v = NULL;
				size_t len = 0;

				rc = read_prop(f, f->path, &v, &len);
				if (!rc) {
					rc = fdt_property(f->fdt, names[i], v,
							  (int)len);
					rc = rc ? fdt_rc(f, rc) : 0;
					free(v);
				}
			}
			f->path[plen] = '\0';
		}
	}
	if (!rc) {
		rc = fdt_end_node(f->fdt);
		rc = rc ? fdt_rc(f, rc) : 0;
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

static int flatten_into(struct flat *f, size_t cap)
{
	int rc = fdt_create(f->fdt, (int)cap);

	if (!rc)
		rc = fdt_finish_reservemap(f->fdt);
	if (rc)
		return fdt_rc(f, rc);
	rc = node(f, "");
	if (!rc) {
		rc = fdt_finish(f->fdt);
		rc = rc ? fdt_rc(f, rc) : 0;
	}
	return rc;
}

int kx_dt_flatten(const char *dir, void **blob, size_t *len,
		  char err[KX_ERR_LEN])
{
	struct flat f = { .err = err };
	size_t cap = FLAT_START;
	struct stat st;
	int rc;

	if (stat(dir, &st) || !S_ISDIR(st.st_mode))
		return kx_seterr(err, -ENOTDIR, "%s: not a device-tree "
				 "directory", dir);
	if (strlen(dir) >= sizeof(f.path))
		return kx_seterr(err, -ENAMETOOLONG, "%s: path too long", dir);
	for (;;) {
		f.fdt = malloc(cap);
		if (!f.fdt)
			return kx_seterr(err, -ENOMEM, "out of memory");
		snprintf(f.path, sizeof(f.path), "%s", dir);
		rc = flatten_into(&f, cap);
		if (rc != -ENOSPC)
			break;
		free(f.fdt);
		if ((cap *= 2) > FLAT_MAX)
			return kx_seterr(err, -E2BIG, "%s: the device tree is "
					 "larger than %llu MiB", dir,
					 FLAT_MAX >> 20);
	}
	if (rc) {
		free(f.fdt);
		return rc;
	}
	*blob = f.fdt;
	*len = fdt_totalsize(f.fdt);
	return 0;
}
