/* SPDX-License-Identifier: MIT */
/*
 * Input files: regular files mapped read-only, not copied. Anything else
 * (a pipe, a FIFO, a character or block device, a /sys attribute that
 * cannot be mapped) is read, up to KX_MAX_STREAM bytes. Files are opened
 * non-blocking, so that a FIFO without a writer reads as empty instead of
 * blocking the open for ever, and a pipe or device that goes quiet for
 * KX_STREAM_TIMEOUT_MS is given up on.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/internal.h"

/* Waits until @fd has something to read (or its end). */
static int wait_readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int n;

	do
		n = poll(&p, 1, KX_STREAM_TIMEOUT_MS);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n ? 0 : -ETIMEDOUT;
}

/* Reads @fd to its end, at most @limit bytes (more is -EFBIG). */
static int read_all(int fd, uint64_t limit, uint8_t **out, uint64_t *size)
{
	size_t cap = 1 << 16, n = 0;
	uint8_t *buf = malloc(cap);
	int rc = 0;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t r;

		if (n == cap) {
			size_t want = cap * 2 > limit + 1 ? limit + 1 : cap * 2;
			uint8_t *b = n > limit ? NULL : realloc(buf, want);

			if (n > limit) {
				rc = -EFBIG;
				break;
			}
			if (!b) {
				rc = -ENOMEM;
				break;
			}
			buf = b;
			cap = want;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == EAGAIN) {
			rc = wait_readable(fd);
			if (rc)
				break;
			continue;
		}
		if (r < 0) {
			rc = -errno;
			break;
		}
		if (!r)
			break;
		n += (size_t)r;
	}
	if (!rc && n > limit)
		rc = -EFBIG;
	if (rc) {
		free(buf);
		return rc;
	}
	*out = buf;
	*size = n;
	return 0;
}

static const char *kind_of(mode_t m)
{
	return S_ISFIFO(m) ? "pipe or FIFO" : S_ISCHR(m) ? "character device" :
	       S_ISBLK(m) ? "block device" : S_ISSOCK(m) ? "socket" : "file";
}

static int read_stream(struct kx_file *f, int fd, const char *path,
		       const struct stat *st)
{
	uint8_t *buf;
	int rc = read_all(fd, KX_MAX_STREAM, &buf, &f->size);

	if (rc == -EFBIG)
		return kx_seterr(f->err, rc, "%s: a %s that gives more than %llu "
				 "MiB: kexload reads at most that from anything "
				 "but a regular file", path, kind_of(st->st_mode),
				 KX_MAX_STREAM >> 20);
	if (rc == -ETIMEDOUT)
		return kx_seterr(f->err, rc, "%s: a %s that gave nothing to read "
				 "for %d s", path, kind_of(st->st_mode),
				 KX_STREAM_TIMEOUT_MS / 1000);
	if (rc)
		return kx_seterr(f->err, rc, "%s: cannot read: %s", path,
				 strerror(-rc));
	f->data = buf;
	if (!f->size && S_ISFIFO(st->st_mode))
		return kx_seterr(f->err, -ENOEXEC, "%s: nothing to read from "
				 "the pipe or FIFO (no writer)", path);
	return 0;
}

int kx_file_open(struct kx_file *f, const char *path)
{
	struct stat st;
	int fd, rc = 0;

	memset(f, 0, sizeof(*f));
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0 || fstat(fd, &st)) {
		rc = -errno;
		kx_seterr(f->err, rc, "%s: cannot open: %s", path, strerror(-rc));
		goto out_close;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = kx_seterr(f->err, -EISDIR, "%s: cannot read: %s", path,
			       strerror(EISDIR));
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
	if (!f->data)
		rc = read_stream(f, fd, path, &st);
	if (!rc && !f->size)
		rc = kx_seterr(f->err, -ENOEXEC, "%s: file is empty", path);
	if (!rc) {
		f->path = strdup(path);
		if (!f->path)
			rc = kx_seterr(f->err, -ENOMEM, "out of memory");
	}
	if (rc) {
		char keep[KX_ERR_LEN];

		memcpy(keep, f->err, sizeof(keep));
		kx_file_close(f);
		memcpy(f->err, keep, sizeof(keep));
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
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	uint8_t *buf;
	uint64_t n;
	int rc;

	if (fd < 0)
		return -errno;
	rc = read_all(fd, KX_MAX_STREAM, &buf, &n);
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
