/* SPDX-License-Identifier: MIT */
/*
 * Device-tree editing for the architectures that boot with one (arm64,
 * 32-bit ARM, ...), on libfdt. An architecture's boot stage opens the base
 * tree (the load's --dtb input, or the running machine's /sys/firmware/fdt
 * that the command passes the same way), sets /chosen and the memory nodes,
 * and finishes it into a blob the image owns, ready to be a segment.
 */
#ifndef KX_DT_H
#define KX_DT_H

#include "../core/internal.h"

struct kx_dt {
	struct kx_image *img;
	const char *name;   /* the file it came from, for messages */
	void *fdt;
	size_t cap;
};

/* Opens the tree in @in (the load's --dtb, or the running machine's that
 * the command passes the same way), checks it is a whole, sound device
 * tree, and makes room to edit it. */
int kx_dt_open(struct kx_image *img, struct kx_dt *dt,
	       const struct kx_input *in);
/* Opens a tree from memory (an appended or embedded DTB). */
int kx_dt_open_buffer(struct kx_image *img, struct kx_dt *dt, const void *buf,
		      size_t len, const char *name);
/* An empty tree (root with 2-cell addresses and sizes, and /chosen), for
 * plans made where no device tree is at hand. */
int kx_dt_open_empty(struct kx_image *img, struct kx_dt *dt);
/* The console the purgatory can write to: /chosen stdout-path's node if it
 * is a PL011 or an 8250-compatible UART, else the one the load's ACPI SPCR
 * table names, as kx_uart[2] describes it (lib/core/purgatory_abi.h);
 * uart[0] is 0 when there is none. */
int kx_dt_console(struct kx_dt *dt, uint64_t uart[2]);
/* /chosen: bootargs from the image's command line, linux,initrd-start and
 * linux,initrd-end (removed when @initrd_size is 0), a fresh kaslr-seed and
 * rng-seed from the image's random source. */
int kx_dt_set_chosen(struct kx_dt *dt, uint64_t initrd_start,
		     uint64_t initrd_size);
/* Where the tree has no memory node, and no UEFI memory map in /chosen
 * (the EFI stub removes memory nodes, and the kernel then takes memory
 * from the EFI map), adds one per RAM range of the image's memory map. */
int kx_dt_add_memory(struct kx_dt *dt);
/* /chosen for a crash load (Documentation/devicetree/bindings/chosen.txt
 * and dt-schema's chosen.yaml): linux,elfcorehdr (the image's ELF core
 * header) and linux,usable-memory-range (the crash regions, the only
 * memory the crash kernel may use); for a normal load, both removed. */
int kx_dt_set_crash(struct kx_dt *dt);
/* What a UEFI boot's stub left in /chosen (Documentation/arch/arm/uefi.rst):
 * the firmware's system table and the memory map it got, whose runtime
 * regions carry the virtual addresses the running kernel mapped them at.
 * 0, or -ENOENT where /chosen lacks them or they are malformed. */
struct kx_dt_uefi {
	uint64_t systab, mmap;
	uint32_t mmap_size, desc_size, desc_ver;
};
int kx_dt_uefi(const struct kx_dt *dt, struct kx_dt_uefi *u);
/* fdt_setprop that makes the tree bigger where it is full (node offsets
 * stay); a libfdt error becomes -EINVAL with the message in the image. */
int kx_dt_setprop(struct kx_dt *dt, int node, const char *prop,
		  const void *val, int len);
/* Packs the tree; *blob is owned by the image. */
int kx_dt_finish(struct kx_dt *dt, const void **blob, size_t *len);
void kx_dt_close(struct kx_dt *dt);
/* What every load does to its tree, in order: /chosen (kx_dt_set_chosen),
 * memory nodes (kx_dt_add_memory), the purgatory's console in @uart
 * (kx_dt_console), then kx_dt_finish. */
int kx_dt_edit(struct kx_dt *dt, uint64_t initrd_start, uint64_t initrd_size,
	       uint64_t uart[2], const void **blob, size_t *len);
/* The whole of a load's tree: kx_dt_edit for @initrd (or none), then, if
 * the tree is at most @max bytes (else an error that says @limit), placed
 * with @req (its size set here) as the DTB segment, and the purgatory's
 * console handed to it; *addr is where it went. The caller closes @dt. */
int kx_dt_load(struct kx_dt *dt, const struct kx_segment *initrd,
	       struct kx_placed req, size_t max, const char *limit,
	       uint64_t *addr);
/* Where the image's architecture boots with a device tree
 * (dt_reservations) and the load has one (img->in.dtb): adds every range
 * its /memreserve/ entries and its /reserved-memory children with a reg
 * reserve (status "okay", or none) to the image's memory map as
 * KX_MEM_RESERVED, so that no segment goes there. A reg that is not whole
 * (address, size) pairs, or a range that runs past 2^64, is an error that
 * names the tree and the node (lib/dt/reserve.c). */
int kx_dt_reserve(struct kx_image *img);

/* A directory shaped like /proc/device-tree flattened into a device tree
 * (lib/dt/flatten.c); *blob is malloc'ed, the message goes to @err. */
int kx_dt_flatten(const char *dir, void **blob, size_t *len,
		  char err[KX_ERR_LEN]);

#endif
