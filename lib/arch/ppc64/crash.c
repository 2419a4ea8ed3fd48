/* SPDX-License-Identifier: MIT */
/*
 * ppc64 crash (kdump) kernels: what the device tree, the command line and
 * the purgatory must say so that the crash kernel uses only the memory it
 * may use and finds the crashed kernel's. The facts follow the kernel's own
 * ppc64 kexec_file code (arch/powerpc/kexec/file_load_64.c, file_load.c)
 * and kexec-tools' kexec/arch/ppc64, read for them; the device-tree
 * properties are those the kernel's early memory scan reads
 * (arch/powerpc/kernel/prom.c, arch/powerpc/mm/drmem.c):
 * - the crash kernel may use [0, the end of the crash region), RTAS and
 *   OPAL (its firmware), and nothing else: every memory node gets
 *   linux,usable-memory, the parts of its reg inside that set ((0, 0)
 *   where none is), and /ibm,dynamic-reconfiguration-memory gets
 *   linux,drconf-usable-memory, for every LMB of ibm,dynamic-memory (or
 *   -v2) in order, a count and that many (base, size) pairs;
 * - the reserve map keeps it off the crashed kernel's memory below the
 *   crash region, [64 KiB, the crash region) (the first 64 KiB are saved
 *   to the backup segment and may be used), and off the backup and the
 *   ELF core header;
 * - "elfcorehdr=0x<address> " goes first on its command line;
 * - the purgatory copies [0, 64 KiB) to the backup segment after its check
 *   (kx_ppc64_backup), before it enters the crash kernel, whose start
 *   overwrites that memory with its interrupt vectors. (The kernel's own
 *   kexec_sequence has by then copied the purgatory's first 0x100 bytes
 *   to 0 already: the backup holds those, not the crashed kernel's.)
 * Cells are the root's #address-cells and #size-cells, as the kernel
 * reads them.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "../boot.h"
#include "../../dt/dt.h"

#define MAX_USABLE 8
#define DRCONF "/ibm,dynamic-reconfiguration-memory"
#define LMB_ENTRY 24   /* v1 and v2 entries are both 24 bytes */

/* [start, end) ranges the crash kernel may use. */
struct usable {
	uint64_t r[MAX_USABLE][2];
	size_t n;
};

/* A property's bytes as they grow. */
struct prop {
	uint8_t *buf;
	size_t len, cap;
	int ac, sc;
};

static int tree_err(struct kx_dt *dt, const char *what)
{
	return kx_err(dt->img, -EINVAL, "%s: device tree: %s", dt->name, what);
}

static uint64_t cells(const uint8_t *p, int n)
{
	return n == 1 ? kx_get_uint(p, 4, true) : kx_get_uint(p, 8, true);
}

static int prop_put(struct prop *p, int n, uint64_t v)
{
	if (p->len + 8 > p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 256;
		uint8_t *b = realloc(p->buf, cap);

		if (!b)
			return -ENOMEM;
		p->buf = b;
		p->cap = cap;
	}
	if (n == 1 && v > UINT32_MAX)
		return -ERANGE;
	kx_put_uint(p->buf + p->len, (unsigned)n * 4, v, true);
	p->len += (size_t)n * 4;
	return 0;
}

/* The parts of [base, end) the crash kernel may use, as (base, size)
 * pairs; *count says how many. */
static int put_usable(struct prop *p, const struct usable *u, uint64_t base,
		      uint64_t end, uint64_t *count)
{
	*count = 0;
	for (size_t i = 0; i < u->n; i++) {
		uint64_t s = u->r[i][0] > base ? u->r[i][0] : base;
		uint64_t e = u->r[i][1] < end ? u->r[i][1] : end;
		int rc;

		if (s >= e)
			continue;
		rc = prop_put(p, p->ac, s);
		if (!rc)
			rc = prop_put(p, p->sc, e - s);
		if (rc)
			return rc;
		(*count)++;
	}
	return 0;
}

static bool get_u(const void *fdt, int node, const char *name, uint64_t *v)
{
	int len;
	const uint8_t *p = fdt_getprop(fdt, node, name, &len);

	if (!p || (len != 4 && len != 8))
		return false;
	*v = kx_get_uint(p, (unsigned)len, true);
	return true;
}

/* Firmware the crash kernel calls into stays usable: RTAS, OPAL. */
static void add_firmware(const void *fdt, struct usable *u, const char *path,
			 const char *base, const char *size)
{
	int node = fdt_path_offset(fdt, path);
	uint64_t b, s;

	if (node >= 0 && u->n < MAX_USABLE && get_u(fdt, node, base, &b) &&
	    get_u(fdt, node, size, &s) && s && b + s > b) {
		u->r[u->n][0] = b;
		u->r[u->n++][1] = b + s;
	}
}

/* [0, the end of the crash region): the kernel's own loader gives a crash
 * kernel the memory below its region too (a pseries guest fails early
 * without its first memory block), and keeps it off the crashed kernel's
 * part of it with the reserve map. */
static int usable_set(struct kx_dt *dt, struct usable *u, uint64_t *crash_lo)
{
	const struct kx_memmap *map = dt->img->memmap;
	uint64_t hi = 0;

	*crash_lo = UINT64_MAX;
	for (size_t i = 0; i < kx_memmap_count(map); i++) {
		const struct kx_mem_range *r = kx_memmap_range(map, i);

		if (r->type != KX_MEM_CRASH)
			continue;
		if (r->start < *crash_lo)
			*crash_lo = r->start;
		if (r->end + 1 > hi)
			hi = r->end + 1;
	}
	u->r[0][0] = 0;
	u->r[0][1] = hi;
	u->n = 1;
	add_firmware(dt->fdt, u, "/rtas", "linux,rtas-base", "rtas-size");
	add_firmware(dt->fdt, u, "/ibm,opal", "opal-base-address",
		     "opal-runtime-size");
	return 0;
}

/* linux,usable-memory on every memory node. */
static int memory_nodes(struct kx_dt *dt, const struct usable *u,
			struct prop *p)
{
	int node = -1, len;

	for (;;) {
		const uint8_t *reg;
		uint64_t count, total = 0;
		int rc = 0, step = (p->ac + p->sc) * 4;

		node = fdt_node_offset_by_prop_value(dt->fdt, node, "device_type",
						     "memory", sizeof("memory"));
		if (node < 0)
			return 0;
		reg = fdt_getprop(dt->fdt, node, "reg", &len);
		if (!reg || len <= 0)
			continue;
		if (len % step)
			return kx_err(dt->img, -EINVAL, "%s: device tree: %s: reg "
				      "is %d bytes, not whole (address, size) "
				      "pairs of %d cells", dt->name,
				      fdt_get_name(dt->fdt, node, NULL), len,
				      p->ac + p->sc);
		p->len = 0;
		for (int o = 0; !rc && o < len; o += step) {
			uint64_t base = cells(reg + o, p->ac);
			uint64_t size = cells(reg + o + p->ac * 4, p->sc);

			rc = put_usable(p, u, base, base + size, &count);
			total += count;
		}
		if (!rc && !total) {   /* none of it: (0, 0) */
			rc = prop_put(p, p->ac, 0);
			if (!rc)
				rc = prop_put(p, p->sc, 0);
		}
		if (rc)
			return kx_err(dt->img, rc, "%s: device tree: linux,usable-"
				      "memory: %s", dt->name, strerror(-rc));
		rc = kx_dt_setprop(dt, node, "linux,usable-memory", p->buf,
				   (int)p->len);
		if (rc)
			return rc;
	}
}

/* One LMB's entry of linux,drconf-usable-memory. */
static int drconf_lmb(struct prop *p, const struct usable *u, uint64_t base,
		      uint64_t size)
{
	size_t at = p->len;
	uint64_t count;
	int rc = prop_put(p, p->sc, 0);   /* the count, filled in below */

	if (!rc)
		rc = put_usable(p, u, base, base + size, &count);
	if (!rc)
		kx_put_uint(p->buf + at, (unsigned)p->sc * 4, count, true);
	return rc;
}

/* linux,drconf-usable-memory for the LMBs of ibm,dynamic-memory (v1: one
 * entry per LMB, its base first) or ibm,dynamic-memory-v2 (sets of
 * sequential LMBs: a count, then the first one's base). */
static int drconf(struct kx_dt *dt, const struct usable *u, struct prop *p)
{
	int node = fdt_path_offset(dt->fdt, DRCONF), len, rc = 0;
	const uint8_t *mem;
	uint64_t lmb, n;
	bool v2 = false;

	if (node < 0)
		return 0;
	mem = fdt_getprop(dt->fdt, node, "ibm,dynamic-memory-v2", &len);
	if (mem)
		v2 = true;
	else
		mem = fdt_getprop(dt->fdt, node, "ibm,dynamic-memory", &len);
	if (!mem)
		return 0;
	if (!get_u(dt->fdt, node, "ibm,lmb-size", &lmb) || !lmb)
		return tree_err(dt, DRCONF ": no ibm,lmb-size");
	n = len >= 4 ? kx_get_uint(mem, 4, true) : 0;
	if (len < 4 || (uint64_t)len - 4 != n * LMB_ENTRY)
		return kx_err(dt->img, -EINVAL, "%s: device tree: " DRCONF
			      ": ibm,dynamic-memory%s is %d bytes, not the %"
			      PRIu64 " entries of %d bytes it announces",
			      dt->name, v2 ? "-v2" : "", len, n, LMB_ENTRY);
	p->len = 0;
	for (uint64_t i = 0; !rc && i < n; i++) {
		const uint8_t *e = mem + 4 + i * LMB_ENTRY;
		uint64_t seq = v2 ? kx_get_uint(e, 4, true) : 1;
		uint64_t base = kx_get_uint(e + (v2 ? 4 : 0), 8, true);

		for (uint64_t k = 0; !rc && k < seq; k++)
			rc = drconf_lmb(p, u, base + k * lmb, lmb);
	}
	if (!rc && p->len > INT32_MAX)
		rc = -E2BIG;
	if (rc)
		return kx_err(dt->img, rc, "%s: device tree: linux,drconf-usable-"
			      "memory: %s", dt->name, strerror(-rc));
	return kx_dt_setprop(dt, node, "linux,drconf-usable-memory", p->buf,
			     (int)p->len);
}

static int reserve(struct kx_dt *dt, uint64_t start, uint64_t size)
{
	int rc = size ? kx_ppc64_add_rsv(dt->fdt, start, size) : 0;

	return rc ? kx_err(dt->img, -EINVAL, "%s: device tree: reserve map: "
			   "%s", dt->name, fdt_strerror(rc)) : 0;
}

/* "elfcorehdr=0x<address> " first, as the kernel's own loader puts it. */
static int crash_cmdline(struct kx_image *img)
{
	const char *old = img->cmdline ? img->cmdline : "";
	size_t len = strlen(old) + 40;
	char *s = malloc(len);

	if (!s)
		return kx_err(img, -ENOMEM, "out of memory");
	snprintf(s, len, "elfcorehdr=0x%" PRIx64 "%s%s", img->elfcorehdr,
		 old[0] ? " " : "", old);
	if (img->arch->cmdline_max && strlen(s) > img->arch->cmdline_max) {
		kx_err(img, -E2BIG, "the crash kernel's command line with "
		       "elfcorehdr= is %zu characters; ppc64 kernels take at "
		       "most %" PRIu64, strlen(s), img->arch->cmdline_max);
		free(s);
		return -E2BIG;
	}
	free(img->cmdline);
	img->cmdline = s;
	return 0;
}

int kx_ppc64_crash(struct kx_image *img, struct kx_dt *dt)
{
	struct usable u;
	struct prop p = { .ac = fdt_address_cells(dt->fdt, 0),
			  .sc = fdt_size_cells(dt->fdt, 0) };
	uint64_t crash_lo, low = img->crash_backup_size;
	int rc;

	if (!img->elfcorehdr)
		return 0;
	if (p.ac < 1 || p.ac > 2 || p.sc < 1 || p.sc > 2)
		return kx_err(img, -EINVAL, "%s: device tree: root #address-cells "
			      "%d, #size-cells %d: not 1 or 2", dt->name, p.ac,
			      p.sc);
	rc = usable_set(dt, &u, &crash_lo);
	if (!rc)
		rc = memory_nodes(dt, &u, &p);
	if (!rc)
		rc = drconf(dt, &u, &p);
	free(p.buf);
	if (!rc && crash_lo > low)
		rc = reserve(dt, low, crash_lo - low);
	if (!rc)
		rc = reserve(dt, img->crash_backup, img->crash_backup_size);
	if (!rc)   /* whole pages of the kernel's, as the segment */
		rc = reserve(dt, img->elfcorehdr,
			     kx_align_up(img->elfcorehdr_size,
					 img->arch->page_size));
	if (!rc && img->crash_backup)
		rc = kx_image_purgatory_value(img, "kx_ppc64_backup",
					      (uint64_t[]){ img->crash_backup,
							    img->crash_backup_size },
					      2);
	if (!rc)
		rc = crash_cmdline(img);
	return rc;
}
