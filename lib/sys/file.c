/* SPDX-License-Identifier: MIT */
/*
 * Input files: mapped read-only, not copied. Files that cannot be mapped
 * (pipes, some /sys attributes such as /sys/firmware/initrd) are read.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/internal.h"

static int read_all(int fd, uint8_t **out, uint64_t *size)
{
	size_t cap = 1 << 16, n = 0;
	uint8_t *buf = malloc(cap);

	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t r;

		if (n == cap) {
			uint8_t *b = realloc(buf, cap * 2);

			if (!b) {
				free(buf);
				return -ENOMEM;
			}
			buf = b;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = -errno;

			free(buf);
			return e;
		}
		if (!r)
			break;
		n += (size_t)r;
	}
	*out = buf;
	*size = n;
	return 0;
}

int kx_file_open(struct kx_file *f, const char *path, char *err, size_t errlen)
{
	struct stat st;
	int fd, rc = 0;

	memset(f, 0, sizeof(*f));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		rc = -errno;
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		goto out_close;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = -EISDIR;
		snprintf(err, errlen, "%s: is a directory", path);
		goto out_close;
	}
	if (S_ISREG(st.st_mode) && st.st_size > 0) {
		void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE,
			       fd, 0);

		if (p != MAP_FAILED) {
			f->data = p;
			f->size = (uint64_t)st.st_size;
			f->mapped = true;
		}
	}
	if (!f->data) {
		uint8_t *buf;

		rc = read_all(fd, &buf, &f->size);
		if (rc) {
			snprintf(err, errlen, "%s: cannot read: %s", path,
				 strerror(-rc));
			goto out_close;
		}
		f->data = buf;
	}
	if (!f->size) {
		rc = -ENOEXEC;
		snprintf(err, errlen, "%s: file is empty", path);
		kx_file_close(f);
		goto out_close;
	}
	f->path = strdup(path);
	if (!f->path) {
		rc = -ENOMEM;
		kx_file_close(f);
	}
out_close:
	if (fd >= 0)
		close(fd);
	return rc;
}

void kx_file_close(struct kx_file *f)
{
	if (f->data) {
		if (f->mapped)
			munmap((void *)f->data, f->size);
		else
			free((void *)f->data);
	}
	free(f->path);
	memset(f, 0, sizeof(*f));
}

int kx_read_text(const char *path, char **out, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	uint8_t *buf;
	uint64_t n;
	int rc;

	if (fd < 0)
		return -errno;
	rc = read_all(fd, &buf, &n);
	close(fd);
	if (rc)
		return rc;
	*out = realloc(buf, n + 1);
	if (!*out) {
		free(buf);
		return -ENOMEM;
	}
	(*out)[n] = '\0';
	if (len)
		*len = n;
	return 0;
}
