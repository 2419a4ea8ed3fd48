/* SPDX-License-Identifier: MIT */
/*
 * Device-tree editing on libfdt (dtc's libfdt; the /chosen properties are
 * those of the kernel's Documentation/devicetree/usage-model.rst and
 * dt-schema's chosen.yaml). libfdt's error codes collide with errno values,
 * so they are turned into -EINVAL with libfdt's own message here, at the
 * edge of this module, and nowhere else.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "dt.h"

#define DT_ROOM (64 * 1024)
#define KASLR_SEED_LEN 8
#define RNG_SEED_LEN 64

static int dt_err(struct kx_dt *dt, const char *what, int fdterr)
{
	return kx_err(dt->img, -EINVAL, "%s: device tree: %s: %s", dt->name,
		      what, fdt_strerror(fdterr));
}

static int grow(struct kx_dt *dt, size_t more)
{
	size_t cap = dt->cap + (more > DT_ROOM ? more : DT_ROOM);
	void *p = realloc(dt->fdt, cap);
	int rc;

	if (!p)
		return kx_err(dt->img, -ENOMEM, "out of memory");
	rc = fdt_open_into(p, p, (int)cap);
	dt->fdt = p;
	dt->cap = cap;
	return rc ? dt_err(dt, "resize", rc) : 0;
}

int kx_dt_open_buffer(struct kx_image *img, struct kx_dt *dt, const void *buf,
		      size_t len, const char *name)
{
	int rc;

	memset(dt, 0, sizeof(*dt));
	dt->img = img;
	dt->name = name;
	if (len < 4 || fdt_magic(buf) != FDT_MAGIC)
		return kx_err(img, -EINVAL,
			      "%s: not a device tree (no FDT magic d00dfeed)", name);
	if (len < sizeof(struct fdt_header))
		return kx_err(img, -EINVAL,
			      "%s: device tree cut short: %zu bytes, less than "
			      "its %zu-byte header", name, len,
			      sizeof(struct fdt_header));
	rc = fdt_check_full(buf, len);
	if (rc)
		return dt_err(dt, "not a sound tree", rc);
	dt->cap = fdt_totalsize(buf) + DT_ROOM;
	dt->fdt = malloc(dt->cap);
	if (!dt->fdt)
		return kx_err(img, -ENOMEM, "out of memory");
	rc = fdt_open_into(buf, dt->fdt, (int)dt->cap);
	return rc ? dt_err(dt, "open", rc) : 0;
}

int kx_dt_open(struct kx_image *img, struct kx_dt *dt,
	       const struct kx_input *in)
{
	return kx_dt_open_buffer(img, dt, in->buf, in->len, in->name);
}

int kx_dt_open_empty(struct kx_image *img, struct kx_dt *dt)
{
	fdt32_t two = cpu_to_fdt32(2);
	int rc;

	memset(dt, 0, sizeof(*dt));
	dt->img = img;
	dt->name = "empty device tree";
	dt->cap = DT_ROOM;
	dt->fdt = malloc(dt->cap);
	if (!dt->fdt)
		return kx_err(img, -ENOMEM, "out of memory");
	rc = fdt_create_empty_tree(dt->fdt, (int)dt->cap);
	if (!rc)
		rc = fdt_setprop(dt->fdt, 0, "#address-cells", &two, sizeof(two));
	if (!rc)
		rc = fdt_setprop(dt->fdt, 0, "#size-cells", &two, sizeof(two));
	if (rc)
		return dt_err(dt, "create", rc);
	kx_log(img, KX_LOG_DEBUG, "no device tree given: starting from an "
	       "empty one (give --dtb for the target machine's)");
	return 0;
}

static uint64_t get_cells(const fdt32_t *p, int cells)
{
	uint64_t v = 0;

	for (int i = 0; i < cells; i++)
		v = v << 32 | fdt32_to_cpu(p[i]);
	return v;
}

/* @addr, a bus address in @node's children's space, as a CPU physical
 * address through every parent's "ranges"; false where it does not map. */
static bool translate(const void *fdt, int node, uint64_t *addr)
{
	while (node > 0) {
		int parent = fdt_parent_offset(fdt, node), len;
		const fdt32_t *rg = fdt_getprop(fdt, node, "ranges", &len);
		int ca = fdt_address_cells(fdt, node), sc = fdt_size_cells(fdt, node);
		int pa = parent >= 0 ? fdt_address_cells(fdt, parent) : -1;
		int n = ca + pa + sc;
		bool found = false;

		if (!rg || parent < 0 || ca < 1 || ca > 2 || pa < 1 || pa > 2 ||
		    sc < 1 || sc > 2)
			return false;
		for (int i = 0; i + n <= len / 4; i += n) {
			uint64_t cb = get_cells(rg + i, ca);
			uint64_t pb = get_cells(rg + i + ca, pa);
			uint64_t sz = get_cells(rg + i + ca + pa, sc);

			if (*addr >= cb && *addr - cb < sz) {
				*addr = pb + (*addr - cb);
				found = true;
				break;
			}
		}
		if (len && !found)
			return false;
		node = parent;
	}
	return true;
}

/* /chosen stdout-path's UART, if it is one the purgatory can drive. */
static int dt_console(struct kx_dt *dt, uint64_t uart[2])
{
	static const char *const uarts_8250[] = {
		"ns16550a", "ns16550", "ns8250", "snps,dw-apb-uart",
	};
	const void *fdt = dt->fdt;
	int chosen = fdt_path_offset(fdt, "/chosen"), node, parent, len, ac;
	const char *path = NULL, *colon;
	const fdt32_t *reg;
	char buf[256];
	uint64_t kind = KX_UART_NONE, shift = 0, width = 1;

	uart[0] = uart[1] = 0;
	if (chosen >= 0)
		path = fdt_getprop(fdt, chosen, "stdout-path", &len);
	if (chosen >= 0 && !path)
		path = fdt_getprop(fdt, chosen, "linux,stdout-path", &len);
	if (!path || len < 2 || path[len - 1])
		return 0;
	colon = strchr(path, ':');
	len = colon ? (int)(colon - path) : len - 1;
	if (len >= (int)sizeof(buf))
		return 0;
	memcpy(buf, path, (size_t)len);
	buf[len] = '\0';
	node = fdt_path_offset(fdt, buf);   /* an alias works too */
	if (node < 0)
		return 0;
	if (!fdt_node_check_compatible(fdt, node, "arm,pl011")) {
		kind = KX_UART_PL011;
		width = 4;
	}
	for (size_t i = 0; i < KX_ARRAY_SIZE(uarts_8250); i++) {
		if (!fdt_node_check_compatible(fdt, node, uarts_8250[i])) {
			const fdt32_t *v = fdt_getprop(fdt, node, "reg-shift", &len);
			const fdt32_t *w = fdt_getprop(fdt, node, "reg-io-width", NULL);

			kind = KX_UART_8250;
			shift = v && len == 4 ? fdt32_to_cpu(*v) : 0;
			width = w && fdt32_to_cpu(*w) == 4 ? 4 : 1;
			break;
		}
	}
	parent = fdt_parent_offset(fdt, node);
	ac = parent >= 0 ? fdt_address_cells(fdt, parent) : -1;
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (kind == KX_UART_NONE || !reg || ac < 1 || ac > 2 || len < ac * 4)
		return 0;
	if (shift > 31) {
		kx_log(dt->img, KX_LOG_WARN, "%s: %s: reg-shift %" PRIu64 " is "
		       "more than 31: the purgatory writes no console line",
		       dt->name, buf, shift);
		return 0;
	}
	uart[0] = get_cells(reg, ac);
	if (!translate(fdt, parent, &uart[0])) {
		uart[0] = 0;
		return 0;
	}
	uart[1] = kind | shift << 8 | width << 16;
	kx_log(dt->img, KX_LOG_DEBUG, "%s: purgatory console %s at 0x%" PRIx64,
	       dt->name, buf, uart[0]);
	return 0;
}

/* No console in the tree: the ACPI SPCR table's, if the load has one. */
static int spcr_console(struct kx_dt *dt, uint64_t uart[2])
{
	const struct kx_input *t = &dt->img->in.acpi_spcr;

	uart[0] = uart[1] = 0;
	if (!t->buf)
		return 0;
	return kx_spcr_console(dt->img, t->buf, t->len, t->name, uart);
}

int kx_dt_console(struct kx_dt *dt, uint64_t uart[2])
{
	int rc = dt_console(dt, uart);

	return rc || uart[0] ? rc : spcr_console(dt, uart);
}

void kx_dt_close(struct kx_dt *dt)
{
	free(dt->fdt);
	dt->fdt = NULL;
}

/* fdt_setprop that makes room when the tree is full. */
static int setprop(struct kx_dt *dt, int node, const char *prop,
		   const void *val, int len)
{
	int rc = fdt_setprop(dt->fdt, node, prop, val, len);

	if (rc == -FDT_ERR_NOSPACE) {
		rc = grow(dt, (size_t)len + 256);
		if (rc)
			return rc;
		rc = fdt_setprop(dt->fdt, node, prop, val, len);
	}
	return rc ? dt_err(dt, prop, rc) : 0;
}

int kx_dt_setprop(struct kx_dt *dt, int node, const char *prop,
		  const void *val, int len)
{
	return setprop(dt, node, prop, val, len);
}

static int subnode(struct kx_dt *dt, int parent, const char *name)
{
	int node = fdt_subnode_offset(dt->fdt, parent, name);

	if (node >= 0)
		return node;
	node = fdt_add_subnode(dt->fdt, parent, name);
	if (node == -FDT_ERR_NOSPACE) {
		int rc = grow(dt, 256);

		if (rc)
			return rc;
		node = fdt_add_subnode(dt->fdt, parent, name);
	}
	return node < 0 ? dt_err(dt, name, node) : node;
}

static int delprop(struct kx_dt *dt, int node, const char *prop)
{
	int rc = fdt_delprop(dt->fdt, node, prop);

	return rc && rc != -FDT_ERR_NOTFOUND ? dt_err(dt, prop, rc) : 0;
}

static int set_u64(struct kx_dt *dt, int node, const char *prop, uint64_t v)
{
	fdt64_t be = cpu_to_fdt64(v);

	return setprop(dt, node, prop, &be, sizeof(be));
}

int kx_dt_set_chosen(struct kx_dt *dt, uint64_t initrd_start,
		     uint64_t initrd_size)
{
	struct kx_image *img = dt->img;
	uint8_t kaslr[KASLR_SEED_LEN], rng[RNG_SEED_LEN];
	const char *cmdline = img->cmdline ? img->cmdline : "";
	int node = subnode(dt, 0, "chosen");
	int rc;

	if (node < 0)
		return node;
	rc = setprop(dt, node, "bootargs", cmdline, (int)strlen(cmdline) + 1);
	if (rc)
		return rc;
	node = fdt_path_offset(dt->fdt, "/chosen");   /* offsets may move */
	if (initrd_size) {
		rc = set_u64(dt, node, "linux,initrd-start", initrd_start);
		if (!rc)
			rc = set_u64(dt, node, "linux,initrd-end",
				     initrd_start + initrd_size);
	} else {
		rc = delprop(dt, node, "linux,initrd-start");
		if (!rc)
			rc = delprop(dt, node, "linux,initrd-end");
	}
	if (!rc)
		rc = kx_image_random(img, kaslr, sizeof(kaslr));
	if (!rc)
		rc = setprop(dt, node, "kaslr-seed", kaslr, sizeof(kaslr));
	if (!rc)
		rc = kx_image_random(img, rng, sizeof(rng));
	if (!rc)
		rc = setprop(dt, node, "rng-seed", rng, sizeof(rng));
	return rc;
}

static bool get_prop(const void *fdt, int node, const char *name, int len,
		     uint64_t *v)
{
	int got;
	const uint8_t *p = fdt_getprop(fdt, node, name, &got);
	fdt64_t v64;
	fdt32_t v32;

	if (!p || got != len)
		return false;
	/* properties are 4-byte aligned only */
	if (len == 8) {
		memcpy(&v64, p, 8);
		*v = fdt64_to_cpu(v64);
	} else {
		memcpy(&v32, p, 4);
		*v = fdt32_to_cpu(v32);
	}
	return true;
}

int kx_dt_uefi(const struct kx_dt *dt, struct kx_dt_uefi *u)
{
	int chosen = fdt_path_offset(dt->fdt, "/chosen");
	uint64_t size, dsize, ver;

	if (chosen < 0 ||
	    !get_prop(dt->fdt, chosen, "linux,uefi-system-table", 8, &u->systab) ||
	    !get_prop(dt->fdt, chosen, "linux,uefi-mmap-start", 8, &u->mmap) ||
	    !get_prop(dt->fdt, chosen, "linux,uefi-mmap-size", 4, &size) ||
	    !get_prop(dt->fdt, chosen, "linux,uefi-mmap-desc-size", 4, &dsize) ||
	    !get_prop(dt->fdt, chosen, "linux,uefi-mmap-desc-ver", 4, &ver) ||
	    !u->systab || !u->mmap || dsize < 40 || size % dsize)
		return -ENOENT;
	u->mmap_size = (uint32_t)size;
	u->desc_size = (uint32_t)dsize;
	u->desc_ver = (uint32_t)ver;
	return 0;
}

/* /chosen has linux,uefi-mmap-start: the kernel was booted through UEFI. */
static bool has_efi_memmap(const struct kx_dt *dt)
{
	int chosen = fdt_path_offset(dt->fdt, "/chosen");

	return chosen >= 0 &&
	       fdt_getprop(dt->fdt, chosen, "linux,uefi-mmap-start", NULL);
}

static bool has_memory_node(const void *fdt)
{
	int node = fdt_node_offset_by_prop_value(fdt, -1, "device_type",
						 "memory", sizeof("memory"));

	return node >= 0;
}

static int put_cells(uint8_t *p, int cells, uint64_t v)
{
	if (cells == 1) {
		if (v > UINT32_MAX)
			return -ERANGE;
		kx_put_uint(p, 4, v, true);
	} else {
		kx_put_uint(p, 8, v, true);
	}
	return cells * 4;
}

int kx_dt_add_memory(struct kx_dt *dt)
{
	const struct kx_memmap *map = dt->img->memmap;
	int ac = fdt_address_cells(dt->fdt, 0), sc = fdt_size_cells(dt->fdt, 0);

	if (has_memory_node(dt->fdt))
		return 0;
	/* Booted through UEFI, the kernel takes its memory from the EFI
	 * memory map /chosen points at, and drops memory nodes anyway; and a
	 * tree that holds more than /chosen is no longer the EFI stub's, so
	 * the kernel would boot from it instead of ACPI, with no CPUs or
	 * timer in it. */
	if (has_efi_memmap(dt)) {
		kx_log(dt->img, KX_LOG_DEBUG, "%s: no memory nodes, but the UEFI "
		       "memory map in /chosen describes memory: none added",
		       dt->name);
		return 0;
	}
	if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return kx_err(dt->img, -EINVAL,
			      "%s: device tree: root #address-cells %d, "
			      "#size-cells %d: not 1 or 2", dt->name, ac, sc);
	for (size_t i = 0; i < kx_memmap_count(map); i++) {
		const struct kx_mem_range *r = kx_memmap_range(map, i);
		uint8_t reg[16];
		char name[32];
		int node, a, s, rc;

		if (r->type != KX_MEM_RAM)
			continue;
		a = put_cells(reg, ac, r->start);
		s = a < 0 ? a : put_cells(reg + a, sc, r->end - r->start + 1);
		if (a < 0 || s < 0)
			return kx_err(dt->img, -ERANGE,
				      "%s: device tree: RAM at 0x%" PRIx64
				      " does not fit its cells", dt->name, r->start);
		snprintf(name, sizeof(name), "memory@%" PRIx64, r->start);
		node = subnode(dt, 0, name);
		if (node < 0)
			return node;
		rc = setprop(dt, node, "device_type", "memory", sizeof("memory"));
		if (!rc) {   /* offsets may move when the tree grows */
			char path[40];

			snprintf(path, sizeof(path), "/%s", name);
			node = fdt_path_offset(dt->fdt, path);
			rc = setprop(dt, node, "reg", reg, a + s);
		}
		if (rc)
			return rc;
		kx_log(dt->img, KX_LOG_DEBUG, "%s: added /%s", dt->name, name);
	}
	return 0;
}

int kx_dt_finish(struct kx_dt *dt, const void **blob, size_t *len)
{
	struct kx_image *img = dt->img;
	int rc = fdt_pack(dt->fdt);

	if (rc)
		return dt_err(dt, "pack", rc);
	if (img->nowned == KX_ARRAY_SIZE(img->owned))
		return kx_err(img, -ENOMEM, "out of memory");
	img->owned[img->nowned++] = dt->fdt;
	*blob = dt->fdt;
	*len = fdt_totalsize(dt->fdt);
	dt->fdt = NULL;
	return 0;
}

int kx_dt_edit(struct kx_dt *dt, uint64_t initrd_start, uint64_t initrd_size,
	       uint64_t uart[2], const void **blob, size_t *len)
{
	int rc = kx_dt_set_chosen(dt, initrd_start, initrd_size);

	if (!rc)
		rc = kx_dt_add_memory(dt);
	if (!rc)
		rc = kx_dt_console(dt, uart);
	if (!rc)
		rc = kx_dt_finish(dt, blob, len);
	return rc;
}

int kx_dt_load(struct kx_dt *dt, const struct kx_segment *initrd,
	       struct kx_placed req, size_t max, const char *limit,
	       uint64_t *addr)
{
	struct kx_image *img = dt->img;
	const void *blob;
	size_t len;
	uint64_t uart[2];
	int rc = kx_dt_edit(dt, initrd ? initrd->mem : 0,
			    initrd ? initrd->bufsz : 0, uart, &blob, &len);

	if (rc)
		return rc;
	if (len > max)
		return kx_err(img, -E2BIG, "%s: the device tree is %zu bytes; %s",
			      dt->name, len, limit);
	req.size = len;
	rc = kx_image_place(img, "the device tree", req, addr);
	if (!rc)
		rc = kx_image_add_segment(img, blob, len, *addr, len, KX_SEG_DTB);
	if (!rc && uart[0])
		rc = kx_image_purgatory_value(img, "kx_uart", uart, 2);
	return rc;
}

/* A reg-style list of (address, size) pairs in the root's cells. */
static int set_ranges(struct kx_dt *dt, int node, const char *prop,
		      const uint64_t (*r)[2], size_t n)
{
	int ac = fdt_address_cells(dt->fdt, 0), sc = fdt_size_cells(dt->fdt, 0);
	uint8_t buf[8 * 16];
	int len = 0;

	if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return kx_err(dt->img, -EINVAL,
			      "%s: device tree: root #address-cells %d, "
			      "#size-cells %d: not 1 or 2", dt->name, ac, sc);
	for (size_t i = 0; i < n && i < 8; i++) {
		int a = put_cells(buf + len, ac, r[i][0]);
		int s = a < 0 ? a : put_cells(buf + len + a, sc, r[i][1]);

		if (a < 0 || s < 0)
			return kx_err(dt->img, -ERANGE, "%s: device tree: %s "
				      "0x%" PRIx64 " does not fit its cells",
				      dt->name, prop, r[i][0]);
		len += a + s;
	}
	return setprop(dt, node, prop, buf, len);
}

int kx_dt_set_crash(struct kx_dt *dt)
{
	const struct kx_image *img = dt->img;
	const struct kx_memmap *map = img->memmap;
	uint64_t hdr[1][2] = { { img->elfcorehdr, img->elfcorehdr_size } };
	uint64_t usable[8][2];
	size_t n = 0;
	int node = subnode(dt, 0, "chosen"), rc;

	if (node < 0)
		return node;
	if (!img->elfcorehdr) {
		rc = delprop(dt, node, "linux,elfcorehdr");
		return rc ? rc : delprop(dt, node, "linux,usable-memory-range");
	}
	for (size_t i = 0; i < kx_memmap_count(map) && n < 8; i++) {
		const struct kx_mem_range *r = kx_memmap_range(map, i);

		if (r->type != KX_MEM_CRASH)
			continue;
		usable[n][0] = r->start;
		usable[n++][1] = r->end - r->start + 1;
	}
	rc = set_ranges(dt, node, "linux,elfcorehdr", hdr, 1);
	node = fdt_path_offset(dt->fdt, "/chosen");   /* offsets may move */
	if (!rc)
		rc = set_ranges(dt, node, "linux,usable-memory-range", usable, n);
	return rc;
}
