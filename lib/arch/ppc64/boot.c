/* SPDX-License-Identifier: MIT */
/*
 * ppc64 boot data: the device tree the new kernel starts from, edited as
 * the kernel's own ppc64 kexec_file code edits it (arch/powerpc/kexec/
 * file_load.c and file_load_64.c, read for the facts), on libfdt:
 * - the base is the running machine's tree: /sys/firmware/fdt, or
 *   /proc/device-tree flattened (lib/dt/flatten.c), which the command
 *   passes like any --dtb;
 * - /chosen gets bootargs and linux,initrd-start/-end; the running
 *   kernel's initrd reservation leaves the reserve map (as firmware or
 *   kexec made it: its exact size, or whole pages) and the new initrd's
 *   goes in; RTAS keeps its reservation;
 * - /chosen loses what only described the running kernel, which that
 *   kernel adds to its live tree for kexec-tools (arch/powerpc/kexec/
 *   core.c, core_64.c): linux,kernel-end, linux,crashkernel-base/-size,
 *   linux,memory-limit, linux,htab-base/-size;
 * - the header's boot CPU is the first CPU of /cpus (the purgatory writes
 *   the id of the CPU that actually runs it there, after its check, as
 *   kexec_sequence enters it on whichever CPU called reboot);
 * - every segment must lie in the real mode area (the memory node at 0);
 * - a crash kernel's memory, reservations, command line and the
 *   purgatory's backup of the first 64 KiB: lib/arch/ppc64/crash.c.
 * The kernel is entered with r3 = the device tree, r4 = its base, r5 = 0,
 * and its first 0x100 bytes (the spin code its other CPUs run at 0) go
 * into the purgatory's kx_ppc64_slave.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <libfdt.h>

#include "../boot.h"
#include "../../dt/dt.h"

#define PPC64_PAGE 0x10000ULL
#define DTB_MAX (8ULL << 20)
#define SLAVE_LEN 0xfc

static const char *const stale_chosen[] = {
	"linux,kernel-end", "linux,crashkernel-base", "linux,crashkernel-size",
	"linux,memory-limit", "linux,htab-base", "linux,htab-size",
};

static int fdt_fail(struct kx_dt *dt, const char *what, int err)
{
	return kx_err(dt->img, -EINVAL, "%s: device tree: %s: %s", dt->name,
		      what, fdt_strerror(err));
}

static uint64_t prop_u(const void *fdt, int node, const char *name, bool *ok)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &len);

	*ok = p && (len == 4 || len == 8);
	if (!*ok)
		return 0;
	return len == 4 ? fdt32_to_cpu(p[0]) :
			  (uint64_t)fdt32_to_cpu(p[0]) << 32 | fdt32_to_cpu(p[1]);
}

/* Deletes the reservation of [start, start + size) where it is one entry
 * of exactly that size, or of it rounded up to 4 or 64 KiB pages. */
int kx_ppc64_del_rsv(void *fdt, uint64_t start, uint64_t size)
{
	static const uint64_t pages[] = { 1, 0x1000, PPC64_PAGE };

	for (size_t k = 0; k < KX_ARRAY_SIZE(pages); k++) {
		uint64_t want = kx_align_up(size, pages[k]);

		for (int i = 0; i < fdt_num_mem_rsv(fdt); i++) {
			uint64_t a, s;

			if (fdt_get_mem_rsv(fdt, i, &a, &s))
				return -FDT_ERR_BADSTRUCTURE;
			if (a == start && s == want)
				return fdt_del_mem_rsv(fdt, i);
		}
	}
	return -FDT_ERR_NOTFOUND;
}

/* Adds [start, start + size) to the reserve map unless an entry has it. */
int kx_ppc64_add_rsv(void *fdt, uint64_t start, uint64_t size)
{
	for (int i = 0; i < fdt_num_mem_rsv(fdt); i++) {
		uint64_t a, s;

		if (!fdt_get_mem_rsv(fdt, i, &a, &s) && a <= start &&
		    start - a < s && size <= s - (start - a))
			return 0;
	}
	return fdt_add_mem_rsv(fdt, start, size);
}

/* The old initrd out of the reserve map, RTAS in it, stale /chosen
 * properties out. Runs first, while the open tree has its spare room. */
static int edit_state(struct kx_dt *dt)
{
	void *fdt = dt->fdt;
	int chosen = fdt_path_offset(fdt, "/chosen"), rtas;
	bool ok1, ok2;
	uint64_t a, b;
	int rc;

	if (chosen >= 0) {
		a = prop_u(fdt, chosen, "linux,initrd-start", &ok1);
		b = prop_u(fdt, chosen, "linux,initrd-end", &ok2);
		if (ok1 && ok2 && b > a) {
			rc = kx_ppc64_del_rsv(fdt, a, b - a);
			if (rc && rc != -FDT_ERR_NOTFOUND)
				return fdt_fail(dt, "reserve map", rc);
			kx_log(dt->img, KX_LOG_DEBUG, "%s: the running kernel's "
			       "initrd 0x%" PRIx64 "-0x%" PRIx64 " %s", dt->name,
			       a, b, rc ? "was not reserved" :
			       "left the reserve map");
		}
		for (size_t i = 0; i < KX_ARRAY_SIZE(stale_chosen); i++) {
			rc = fdt_delprop(fdt, chosen, stale_chosen[i]);
			if (rc && rc != -FDT_ERR_NOTFOUND)
				return fdt_fail(dt, stale_chosen[i], rc);
		}
	}
	rtas = fdt_path_offset(fdt, "/rtas");   /* offsets moved */
	if (rtas >= 0) {
		a = prop_u(fdt, rtas, "linux,rtas-base", &ok1);
		b = prop_u(fdt, rtas, "rtas-size", &ok2);
		if (ok1 && ok2 && b) {
			rc = kx_ppc64_add_rsv(fdt, a, b);
			if (rc)
				return fdt_fail(dt, "reserve map", rc);
		}
	}
	return 0;
}

/* The first CPU node under /cpus. */
static int first_cpu(const void *fdt)
{
	int cpus = fdt_path_offset(fdt, "/cpus"), node;

	if (cpus < 0)
		return -1;
	fdt_for_each_subnode(node, fdt, cpus) {
		const char *t = fdt_getprop(fdt, node, "device_type", NULL);

		if (t && !strcmp(t, "cpu"))
			return node;
	}
	return -1;
}

/* The boot CPU, the timebase, and the console for the purgatory. */
static int machine_facts(struct kx_dt *dt)
{
	struct kx_image *img = dt->img;
	void *fdt = dt->fdt;
	int cpu = first_cpu(fdt), vdev, node;
	bool ok;
	uint64_t v, uart[2];
	int rc = 0;

	if (cpu >= 0) {
		v = prop_u(fdt, cpu, "reg", &ok);
		if (ok)
			fdt_set_boot_cpuid_phys(fdt, (uint32_t)v);
		v = prop_u(fdt, cpu, "timebase-frequency", &ok);
		if (ok && v)
			rc = kx_image_purgatory_value(img, "kx_ppc64_tb_hz", &v, 1);
	}
	vdev = fdt_path_offset(fdt, "/vdevice");
	if (!rc && vdev >= 0) {
		fdt_for_each_subnode(node, fdt, vdev) {
			if (fdt_node_check_compatible(fdt, node, "hvterm1"))
				continue;
			v = prop_u(fdt, node, "reg", &ok);
			if (!ok)
				continue;
			kx_log(img, KX_LOG_DEBUG, "%s: purgatory console: the "
			       "hypervisor's vty 0x%" PRIx64, dt->name, v);
			return kx_image_purgatory_value(img, "kx_ppc64_hvterm",
							(uint64_t[]){ 1, v }, 2);
		}
	}
	if (!rc)
		rc = kx_dt_console(dt, uart);
	if (!rc && uart[0])
		rc = kx_image_purgatory_value(img, "kx_uart", uart, 2);
	return rc;
}

/* The end of the memory node at 0, the real mode area: 0 if none. */
static uint64_t rma_end(const void *fdt)
{
	int node = fdt_node_offset_by_prop_value(fdt, -1, "device_type",
						 "memory", sizeof("memory"));
	int ac = fdt_address_cells(fdt, 0), sc = fdt_size_cells(fdt, 0);

	for (; node >= 0;
	     node = fdt_node_offset_by_prop_value(fdt, node, "device_type",
						  "memory", sizeof("memory"))) {
		int len;
		const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
		uint64_t base = 0, size = 0;

		if (!reg || ac < 1 || ac > 2 || sc < 1 || sc > 2 ||
		    len < (ac + sc) * 4)
			continue;
		for (int i = 0; i < ac; i++)
			base = base << 32 | fdt32_to_cpu(reg[i]);
		for (int i = 0; i < sc; i++)
			size = size << 32 | fdt32_to_cpu(reg[ac + i]);
		if (base == 0)
			return size;
	}
	return 0;
}

static int check_rma(struct kx_image *img, const char *name, uint64_t rma)
{
	if (!rma)
		return 0;
	/* A crash load's purgatory, placed later, goes in the region too. */
	for (size_t i = 0; img->elfcorehdr && i < kx_memmap_count(img->memmap); i++) {
		const struct kx_mem_range *r = kx_memmap_range(img->memmap, i);

		if (r->type == KX_MEM_CRASH && r->end >= rma)
			return kx_err(img, -ENOSPC,
				      "%s: the crash region 0x%" PRIx64 "-0x%"
				      PRIx64 " is past the real mode area (0-0x%"
				      PRIx64 ", the memory node at 0), which the "
				      "crash kernel starts in", name, r->start,
				      r->end, rma - 1);
	}
	for (size_t i = 0; i < img->nseg; i++) {
		const struct kx_segment *s = &img->seg[i];

		if (s->mem + s->memsz > rma)
			return kx_err(img, -ENOSPC,
				      "%s: the %s segment at 0x%" PRIx64 "-0x%"
				      PRIx64 " is past the real mode area "
				      "(0-0x%" PRIx64 ", the memory node at 0), "
				      "which the new kernel starts in", name,
				      kx_segment_kind_name(s->kind), s->mem,
				      s->mem + s->memsz - 1, rma - 1);
	}
	return 0;
}

static int build(struct kx_image *img, struct kx_boot *b, struct kx_dt *dt,
		 uint64_t *addr)
{
	const void *blob;
	size_t len;
	uint64_t rma;
	struct kx_placed req = b->dtb_req;
	int rc = edit_state(dt);

	if (!rc)
		rc = kx_ppc64_crash(img, dt);

	if (!rc && b->initrd) {
		rc = kx_ppc64_add_rsv(dt->fdt, b->initrd->mem, b->initrd->bufsz);
		if (rc)
			return fdt_fail(dt, "reserve map", rc);
	}
	if (!rc)
		rc = kx_dt_set_chosen(dt, b->initrd ? b->initrd->mem : 0,
				      b->initrd ? b->initrd->bufsz : 0);
	if (!rc)
		rc = machine_facts(dt);
	rma = rc ? 0 : rma_end(dt->fdt);
	if (!rc)
		rc = kx_dt_finish(dt, &blob, &len);
	if (rc)
		return rc;
	if (len > DTB_MAX)
		return kx_err(img, -E2BIG, "%s: the device tree is %zu bytes; "
			      "kexload takes at most 8 MiB", dt->name, len);
	if (!req.align)   /* the format said nothing: below 1 GiB */
		req = (struct kx_placed){ .align = PPC64_PAGE,
					  .max = (1ULL << 30) - 1,
					  .top_down = true };
	req.size = len;
	rc = kx_image_place(img, "the device tree", req, addr);
	if (!rc)
		rc = kx_image_add_segment(img, blob, len, *addr, len, KX_SEG_DTB);
	if (!rc)
		rc = check_rma(img, dt->name, rma);
	return rc;
}

int kx_ppc64_boot(struct kx_image *img, struct kx_boot *b)
{
	struct kx_dt dt;
	uint64_t addr = 0;
	int rc = img->in.dtb.buf ? kx_dt_open(img, &dt, &img->in.dtb) :
				   kx_dt_open_empty(img, &dt);

	if (!rc)
		rc = build(img, b, &dt, &addr);
	kx_dt_close(&dt);
	if (!rc && b->kernel->bufsz < SLAVE_LEN + 4)
		rc = kx_err(img, -ENOEXEC, "the kernel is shorter than its "
			    "0x100 bytes of entry and spin code");
	if (!rc)
		rc = kx_image_purgatory_bytes(img, "kx_ppc64_slave",
					      (const uint8_t *)b->kernel->buf + 4,
					      SLAVE_LEN);
	img->kernel_entry = b->entry;
	img->kernel_args[0] = addr;            /* r3: the device tree */
	img->kernel_args[1] = b->kernel->mem;  /* r4: the kernel's base */
	return rc;
}
