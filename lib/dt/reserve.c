/* SPDX-License-Identifier: MIT */
/*
 * The memory the load's device tree reserves, for placement: the entries
 * of its header's memory reservation block (/memreserve/ in dts; the
 * Devicetree Specification, 5.3) and the children of /reserved-memory
 * that have a reg (dt-schema's reserved-memory.yaml), read with libfdt and
 * added to the image's memory map as reserved ranges, so that the one hole
 * finder keeps every segment off them. 32-bit ARM's /proc/iomem does not
 * list the memory the kernel reserved this way, so the tree is the only
 * place that says it. The tree handed to the new kernel starts from the
 * same one, so the new kernel reserves the same memory.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <libfdt.h>

#include "dt.h"

static uint64_t get_cells(const fdt32_t *p, int cells)
{
	uint64_t v = 0;

	for (int i = 0; i < cells; i++)
		v = v << 32 | fdt32_to_cpu(p[i]);
	return v;
}

/* @size bytes at @base (what: "/memreserve/ entry 0", a node's path) as a
 * reserved range of the image's memory map, once. */
static int reserve(struct kx_dt *dt, const char *what, uint64_t base,
		   uint64_t size)
{
	struct kx_image *img = dt->img;
	struct kx_memmap *map;
	uint64_t end;
	int rc;

	if (!size) {
		kx_log(img, KX_LOG_DEBUG, "%s: %s: size 0, nothing reserved",
		       dt->name, what);
		return 0;
	}
	if (size - 1 > UINT64_MAX - base)
		return kx_err(img, -EINVAL,
			      "%s: device tree: %s: 0x%" PRIx64 " bytes at 0x%"
			      PRIx64 " run past the end of the address space",
			      dt->name, what, size, base);
	rc = kx_image_load_memmap(img, &map);
	if (rc)
		return kx_err(img, rc, "%s: %s: out of memory", dt->name, what);
	end = base + size - 1;
	kx_log(img, KX_LOG_DEBUG, "%s: %s reserves 0x%" PRIx64 "-0x%" PRIx64
	       ": no segment goes there", dt->name, what, base, end);
	/* The same range twice (a /memreserve/ entry and a node) is added
	 * once. */
	for (size_t i = 0; i < kx_memmap_count(map); i++) {
		const struct kx_mem_range *r = kx_memmap_range(map, i);

		if (r->start == base && r->end == end &&
		    r->type == KX_MEM_RESERVED)
			return 0;
	}
	rc = kx_memmap_add(map, base, end, KX_MEM_RESERVED);
	return rc ? kx_err(img, rc, "%s: %s: %s", dt->name, what,
			   rc == -ENOMEM ? "out of memory" :
					   kx_memmap_error(map)) : 0;
}

static int memreserve(struct kx_dt *dt)
{
	int n = fdt_num_mem_rsv(dt->fdt);

	if (n < 0)
		return kx_err(dt->img, -EINVAL, "%s: device tree: /memreserve/: %s",
			      dt->name, fdt_strerror(n));
	for (int i = 0; i < n; i++) {
		uint64_t base, size;
		char what[40];
		int rc = fdt_get_mem_rsv(dt->fdt, i, &base, &size);

		if (rc)
			return kx_err(dt->img, -EINVAL,
				      "%s: device tree: /memreserve/ entry %d: %s",
				      dt->name, i, fdt_strerror(rc));
		snprintf(what, sizeof(what), "/memreserve/ entry %d", i);
		rc = reserve(dt, what, base, size);
		if (rc)
			return rc;
	}
	return 0;
}

/* /reserved-memory's own #address-cells or #size-cells (@prop), else the
 * root's: its binding says they are the same. */
static int rm_cells(struct kx_dt *dt, int rm, const char *prop)
{
	int node = fdt_getprop(dt->fdt, rm, prop, NULL) ? rm : 0;
	int v = !strcmp(prop, "#address-cells") ?
			fdt_address_cells(dt->fdt, node) :
			fdt_size_cells(dt->fdt, node);
	const char *whose = node ? "" : " (the root's)";

	if (v < 0)
		return kx_err(dt->img, -EINVAL,
			      "%s: device tree: /reserved-memory: %s%s: %s",
			      dt->name, prop, whose, fdt_strerror(v));
	if (v < 1 || v > 2)
		return kx_err(dt->img, -EINVAL,
			      "%s: device tree: /reserved-memory: %s%s is %d: "
			      "kexload reads addresses and sizes of 1 or 2 "
			      "cells", dt->name, prop, whose, v);
	return v;
}

/* Whether the kernel takes the node: no status, or "okay" or "ok" (as
 * of_fdt_device_is_available does; "disabled" reserves nothing). */
static bool available(const void *fdt, int node, const char **status)
{
	int len;
	const char *s = fdt_getprop(fdt, node, "status", &len);

	*status = s && len > 0 && !s[len - 1] ? s : "(not a string)";
	return !s || (len == 5 && !memcmp(s, "okay", 5)) ||
	       (len == 3 && !memcmp(s, "ok", 3));
}

/* One child of /reserved-memory: every (address, size) pair of its reg,
 * in @ac and @sc cells. */
static int reserved_node(struct kx_dt *dt, int node, int ac, int sc)
{
	const void *fdt = dt->fdt;
	const char *name = fdt_get_name(fdt, node, NULL), *status;
	const fdt32_t *reg;
	char what[300];
	int len, entry = (ac + sc) * 4;

	snprintf(what, sizeof(what), "/reserved-memory/%s", name ? name : "?");
	if (!available(fdt, node, &status)) {
		kx_log(dt->img, KX_LOG_DEBUG, "%s: %s: status \"%s\", nothing "
		       "reserved", dt->name, what, status);
		return 0;
	}
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg) {
		/* A size alone: the running kernel placed it where it found
		 * room, and the new kernel places its own from the same node,
		 * clear of the segments it is loaded from. */
		if (fdt_getprop(fdt, node, "size", NULL))
			kx_log(dt->img, KX_LOG_DEBUG, "%s: %s: a size and no "
			       "reg: each kernel places it itself, nothing "
			       "fixed to avoid", dt->name, what);
		return 0;
	}
	if (len % entry)
		return kx_err(dt->img, -EINVAL,
			      "%s: device tree: %s: reg is %d bytes, not a whole "
			      "number of %d-byte entries (#address-cells %d, "
			      "#size-cells %d of /reserved-memory)", dt->name,
			      what, len, entry, ac, sc);
	for (int i = 0; i < len / entry; i++) {
		const fdt32_t *p = reg + i * (ac + sc);
		int rc = reserve(dt, what, get_cells(p, ac),
				 get_cells(p + ac, sc));

		if (rc)
			return rc;
	}
	return 0;
}

static int reserved_memory(struct kx_dt *dt)
{
	int rm = fdt_path_offset(dt->fdt, "/reserved-memory"), node, ac, sc;

	if (rm == -FDT_ERR_NOTFOUND)
		return 0;
	if (rm < 0)
		return kx_err(dt->img, -EINVAL, "%s: device tree: "
			      "/reserved-memory: %s", dt->name,
			      fdt_strerror(rm));
	ac = rm_cells(dt, rm, "#address-cells");
	if (ac < 0)
		return ac;
	sc = rm_cells(dt, rm, "#size-cells");
	if (sc < 0)
		return sc;
	fdt_for_each_subnode(node, dt->fdt, rm) {
		int rc = reserved_node(dt, node, ac, sc);

		if (rc)
			return rc;
	}
	if (node != -FDT_ERR_NOTFOUND)
		return kx_err(dt->img, -EINVAL, "%s: device tree: "
			      "/reserved-memory: %s", dt->name,
			      fdt_strerror(node));
	return 0;
}

int kx_dt_reserve(struct kx_image *img)
{
	struct kx_dt dt;
	int rc;

	if (!img->arch || !img->arch->dt_reservations || !img->in.dtb.buf)
		return 0;
	rc = kx_dt_open(img, &dt, &img->in.dtb);
	if (!rc)
		rc = memreserve(&dt);
	if (!rc)
		rc = reserved_memory(&dt);
	kx_dt_close(&dt);
	return rc;
}
