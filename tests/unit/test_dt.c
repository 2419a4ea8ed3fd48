/* SPDX-License-Identifier: MIT */
/*
 * Device-tree editing (lib/dt/dt.c) on trees built here with libfdt's
 * sequential writer, every edit read back with libfdt: /chosen bootargs,
 * the initrd range (set, and removed when there is none), the seeds (the
 * image's random bytes, fresh on every load), memory nodes added from the
 * memory map only where the tree has none and no UEFI memory map (1 and 2
 * cells), a tree with no
 * room left that must grow, the purgatory console found through
 * stdout-path, and blobs that are not device trees, each with its message.
 */
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "internal.h"
#include "tap.h"
#include "../../lib/dt/dt.h"

static int counting_random(void *arg, void *buf, size_t len)
{
	uint8_t *p = buf, *n = arg;

	for (size_t i = 0; i < len; i++)
		p[i] = (*n)++;
	return 0;
}

struct tree_opts {
	int cells;            /* #address-cells = #size-cells */
	bool memory;          /* a /memory node */
	bool initrd;          /* /chosen has an initrd range already */
	const char *stdout_path;
	bool uart_8250;       /* the console is an ns16550a, else a PL011 */
	bool bus;             /* the console sits on a bus with ranges */
	bool efi;             /* /chosen has the UEFI memory map */
	uint32_t reg_shift;   /* the 8250's reg-shift; 0: 2 */
};

static void *make_tree(const struct tree_opts *t, size_t *len)
{
	static char buf[8192] __attribute__((aligned(8)));   /* libfdt wants 8 */
	fdt32_t cells = cpu_to_fdt32((uint32_t)t->cells);
	fdt32_t shift = cpu_to_fdt32(t->reg_shift ? t->reg_shift : 2);
	fdt32_t width = cpu_to_fdt32(4);
	fdt32_t one = cpu_to_fdt32(1);
	fdt32_t reg1[2] = { cpu_to_fdt32(0x1000), cpu_to_fdt32(0x100) };
	fdt32_t ranges[4] = { cpu_to_fdt32(0), cpu_to_fdt32(0),   /* child, parent */
			      cpu_to_fdt32(0x9000000), cpu_to_fdt32(0x10000) };
	fdt64_t reg2[2] = { cpu_to_fdt64(0x9000000), cpu_to_fdt64(0x1000) };
	fdt64_t mem[2] = { cpu_to_fdt64(0x40000000), cpu_to_fdt64(0x10000000) };
	fdt64_t initrd = cpu_to_fdt64(0x48000000);

	fdt_create(buf, sizeof(buf));
	fdt_finish_reservemap(buf);
	fdt_begin_node(buf, "");
	fdt_property(buf, "#address-cells", &cells, 4);
	fdt_property(buf, "#size-cells", &cells, 4);
	fdt_property_string(buf, "model", "dt test");
	fdt_begin_node(buf, "chosen");
	if (t->stdout_path)
		fdt_property_string(buf, "stdout-path", t->stdout_path);
	if (t->efi)
		fdt_property(buf, "linux,uefi-mmap-start", &initrd, 8);
	if (t->initrd) {
		fdt_property(buf, "linux,initrd-start", &initrd, 8);
		fdt_property(buf, "linux,initrd-end", &initrd, 8);
	}
	fdt_end_node(buf);
	fdt_begin_node(buf, "aliases");
	fdt_property_string(buf, "serial0", t->bus ? "/bus@0/uart@1000" : "/uart@9000000");
	fdt_end_node(buf);
	if (t->memory) {
		fdt_begin_node(buf, "memory@40000000");
		fdt_property_string(buf, "device_type", "memory");
		fdt_property(buf, "reg", mem, t->cells == 2 ? 16 : 8);
		fdt_end_node(buf);
	}
	if (t->bus) {
		fdt_begin_node(buf, "bus@0");
		fdt_property(buf, "#address-cells", &one, 4);
		fdt_property(buf, "#size-cells", &one, 4);
		fdt_property(buf, "ranges", ranges, sizeof(ranges));
		fdt_begin_node(buf, "uart@1000");
		fdt_property(buf, "reg", reg1, sizeof(reg1));
	} else {
		fdt_begin_node(buf, "uart@9000000");
		fdt_property(buf, "reg", reg2, sizeof(reg2));
	}
	if (t->uart_8250) {
		fdt_property_string(buf, "compatible", "ns16550a");
		fdt_property(buf, "reg-shift", &shift, 4);
		fdt_property(buf, "reg-io-width", &width, 4);
	} else {
		fdt_property(buf, "compatible", "arm,pl011\0arm,primecell", 24);
	}
	fdt_end_node(buf);
	if (t->bus)
		fdt_end_node(buf);
	fdt_end_node(buf);
	fdt_finish(buf);
	fdt_pack(buf);   /* no room left: every edit must grow it */
	*len = fdt_totalsize(buf);
	return buf;
}

struct env {
	struct kx_image *img;
	uint8_t counter;
};

static void env_init(struct env *e, const char *ram, const char *cmdline)
{
	struct kx_memmap *map;

	if (kx_memmap_new(&map) || kx_memmap_parse_iomem(map, "map", ram, strlen(ram)) ||
	    kx_image_new(&e->img) || kx_image_set_memmap(e->img, map))
		abort();
	kx_memmap_free(map);
	e->counter = 0;
	kx_image_set_random(e->img, counting_random, &e->counter);
	e->img->cmdline = strdup(cmdline);
}

static void env_free(struct env *e)
{
	kx_image_free(e->img);
}

static const char *two_banks =
	"40000000-4fffffff : System RAM\n"
	"  40200000-40ffffff : Kernel code\n"
	"100000000-17fffffff : System RAM\n";

/* Opens, edits /chosen and memory and finishes @t; returns the blob. */
static const void *edit(struct env *e, const struct tree_opts *t,
			uint64_t initrd, uint64_t initrd_size, size_t *outlen)
{
	struct kx_dt dt;
	size_t len;
	uint64_t uart[2];
	const void *in = make_tree(t, &len), *blob = NULL;
	int rc = kx_dt_open_buffer(e->img, &dt, in, len, "board.dtb");

	if (!rc)
		rc = kx_dt_edit(&dt, initrd, initrd_size, uart, &blob, outlen);
	kx_dt_close(&dt);
	if (!is_int(rc, 0, "edit the tree: %s", kx_image_error(e->img)))
		return NULL;
	ok(fdt_check_full(blob, *outlen) == 0, "the edited tree is sound");
	return blob;
}

static uint64_t get64(const void *fdt, const char *path, const char *prop)
{
	int len;
	const fdt64_t *v = fdt_getprop(fdt, fdt_path_offset(fdt, path), prop, &len);

	return v && len == 8 ? fdt64_ld(v) : 0;
}

static void test_chosen(void)
{
	struct tree_opts t = { .cells = 2, .memory = true };
	char longline[3000];
	struct env e;
	const void *fdt;
	const uint8_t *seed;
	const char *s;
	size_t len;
	int n;

	memset(longline, 'x', sizeof(longline) - 1);
	longline[sizeof(longline) - 1] = '\0';
	memcpy(longline, "console=ttyAMA0 ", 16);
	env_init(&e, two_banks, longline);
	fdt = edit(&e, &t, 0x48000000, 0x123457, &len);
	if (!fdt) {
		env_free(&e);
		return;
	}
	s = fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), "bootargs", &n);
	ok(s && n == (int)sizeof(longline) && !strcmp(s, longline),
	   "bootargs is the 2999-byte command line (the packed tree grew)");
	is_u64(get64(fdt, "/chosen", "linux,initrd-start"), 0x48000000,
	       "linux,initrd-start is the initrd's address");
	is_u64(get64(fdt, "/chosen", "linux,initrd-end"), 0x48123457,
	       "linux,initrd-end is its end (exclusive, not page rounded)");
	seed = fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), "kaslr-seed", &n);
	ok(seed && n == 8 && seed[0] == 0 && seed[7] == 7,
	   "kaslr-seed: the first 8 random bytes");
	seed = fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), "rng-seed", &n);
	ok(seed && n == 64 && seed[0] == 8 && seed[63] == 71,
	   "rng-seed: the next 64");
	s = fdt_getprop(fdt, 0, "model", NULL);
	is_str(s ? s : "", "dt test", "the rest of the tree is kept");
	env_free(&e);

	/* No initrd this time: the old tree's range must go. */
	t.initrd = true;
	env_init(&e, two_banks, "quiet");
	fdt = edit(&e, &t, 0, 0, &len);
	if (fdt) {
		ok(!fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"),
				"linux,initrd-start", NULL) &&
		   !fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"),
				"linux,initrd-end", NULL),
		   "without an initrd the old linux,initrd-start/end are removed");
	}
	env_free(&e);
}

/* Two loads with the library's own random source get different seeds. */
static void test_fresh_seeds(void)
{
	struct tree_opts t = { .cells = 2, .memory = true };
	uint8_t first[64];
	bool differ = false;

	for (int round = 0; round < 2; round++) {
		struct env e;
		const void *fdt;
		const uint8_t *seed;
		size_t len;
		int n;

		env_init(&e, two_banks, "");
		kx_image_set_random(e.img, NULL, NULL);   /* getrandom(2) */
		fdt = edit(&e, &t, 0, 0, &len);
		seed = fdt ? fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"),
					 "rng-seed", &n) : NULL;
		if (seed && round == 0)
			memcpy(first, seed, sizeof(first));
		else if (seed)
			differ = memcmp(first, seed, sizeof(first)) != 0;
		env_free(&e);
	}
	ok(differ, "two loads get different rng-seeds from getrandom");
}

static void test_memory_nodes(void)
{
	struct tree_opts t = { .cells = 2 };
	struct env e;
	const void *fdt;
	const fdt64_t *reg;
	const fdt32_t *reg32;
	size_t len;
	int n, node, count = 0;

	env_init(&e, two_banks, "");
	fdt = edit(&e, &t, 0, 0, &len);
	if (fdt) {
		for (node = fdt_node_offset_by_prop_value(fdt, -1, "device_type",
							  "memory", 7);
		     node >= 0;
		     node = fdt_node_offset_by_prop_value(fdt, node, "device_type",
							  "memory", 7))
			count++;
		is_int(count, 2, "a memory node per System RAM range");
		reg = fdt_getprop(fdt, fdt_path_offset(fdt, "/memory@40000000"),
				  "reg", &n);
		ok(reg && n == 16 && fdt64_ld(reg) == 0x40000000 &&
		   fdt64_ld(reg + 1) == 0x10000000,
		   "/memory@40000000 reg = <0x40000000 256 MiB> in 2 cells");
		reg = fdt_getprop(fdt, fdt_path_offset(fdt, "/memory@100000000"),
				  "reg", &n);
		ok(reg && n == 16 && fdt64_ld(reg) == 0x100000000 &&
		   fdt64_ld(reg + 1) == 0x80000000,
		   "/memory@100000000 reg = <4 GiB, 2 GiB>");
	}
	env_free(&e);

	t.cells = 1;
	env_init(&e, "40000000-4fffffff : System RAM\n", "");
	fdt = edit(&e, &t, 0, 0, &len);
	if (fdt) {
		reg32 = fdt_getprop(fdt, fdt_path_offset(fdt, "/memory@40000000"),
				    "reg", &n);
		ok(reg32 && n == 8 && fdt32_ld(reg32) == 0x40000000 &&
		   fdt32_ld(reg32 + 1) == 0x10000000,
		   "with 1 cell: reg = <0x40000000 0x10000000>");
	}
	env_free(&e);

	/* RAM above 4 GiB cannot be written in one cell. */
	{
		struct kx_dt dt;
		const void *in = make_tree(&t, &len);

		env_init(&e, two_banks, "");
		is_int(kx_dt_open_buffer(e.img, &dt, in, len, "board.dtb"), 0,
		       "open a 1-cell tree");
		is_int(kx_dt_add_memory(&dt), -ERANGE, "RAM at 4 GiB in 1 cell is refused");
		like(kx_image_error(e.img),
		     "board.dtb: device tree: RAM at 0x100000000 does not fit its cells",
		     "... saying which RAM");
		kx_dt_close(&dt);
		env_free(&e);
	}

	/* Booted through UEFI: memory is in the EFI map, none is added. */
	t = (struct tree_opts){ .cells = 2, .efi = true };
	env_init(&e, two_banks, "");
	fdt = edit(&e, &t, 0, 0, &len);
	if (fdt)
		ok(fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory", 7) < 0,
		   "with linux,uefi-mmap-start in /chosen no memory node is added");
	env_free(&e);

	/* A tree with memory nodes is left as it is. */
	t = (struct tree_opts){ .cells = 2, .memory = true };
	env_init(&e, two_banks, "");
	fdt = edit(&e, &t, 0, 0, &len);
	if (fdt) {
		ok(fdt_path_offset(fdt, "/memory@100000000") < 0,
		   "the tree's own memory node is kept, none added");
		reg = fdt_getprop(fdt, fdt_path_offset(fdt, "/memory@40000000"),
				  "reg", &n);
		ok(reg && n == 16 && fdt64_ld(reg + 1) == 0x10000000,
		   "... unchanged");
	}
	env_free(&e);
}

static void test_console(void)
{
	static const struct {
		const char *name;
		struct tree_opts t;
		uint64_t base, kind;
	} cases[] = {
		{ "pl011 by path", { .cells = 2, .memory = true,
			.stdout_path = "/uart@9000000:115200n8" },
		  0x9000000, KX_UART_PL011 | 4 << 16 },
		{ "ns16550a by alias", { .cells = 2, .memory = true,
			.stdout_path = "serial0", .uart_8250 = true },
		  0x9000000, KX_UART_8250 | 2 << 8 | 4 << 16 },
		{ "pl011 on a bus with ranges", { .cells = 2, .memory = true,
			.stdout_path = "serial0:115200", .bus = true },
		  0x9001000, KX_UART_PL011 | 4 << 16 },
		{ "no stdout-path", { .cells = 2, .memory = true }, 0, 0 },
		{ "a path to nothing", { .cells = 2, .memory = true,
			.stdout_path = "/nowhere" }, 0, 0 },
		{ "reg-shift 31", { .cells = 2, .memory = true,
			.stdout_path = "serial0", .uart_8250 = true,
			.reg_shift = 31 },
		  0x9000000, KX_UART_8250 | 31 << 8 | 4 << 16 },
		/* The purgatory would shift by it: no console, with a warning. */
		{ "reg-shift 32: refused", { .cells = 2, .memory = true,
			.stdout_path = "serial0", .uart_8250 = true,
			.reg_shift = 32 }, 0, 0 },
		{ "reg-shift 0x102: refused, not taken as 2", { .cells = 2,
			.memory = true, .stdout_path = "serial0",
			.uart_8250 = true, .reg_shift = 0x102 }, 0, 0 },
	};

	for (size_t i = 0; i < KX_ARRAY_SIZE(cases); i++) {
		struct kx_dt dt;
		struct env e;
		uint64_t uart[2] = { 1, 1 };
		size_t len;
		const void *in = make_tree(&cases[i].t, &len);

		env_init(&e, two_banks, "");
		if (kx_dt_open_buffer(e.img, &dt, in, len, "board.dtb") ||
		    kx_dt_console(&dt, uart))
			abort();
		is_u64(uart[0], cases[i].base, "%s: console base", cases[i].name);
		is_u64(uart[1], cases[i].kind, "%s: console kind", cases[i].name);
		kx_dt_close(&dt);
		env_free(&e);
	}
}

static void test_not_a_tree(void)
{
	struct tree_opts t = { .cells = 2, .memory = true };
	static uint8_t bad[8192];
	size_t len;
	const void *good = make_tree(&t, &len);
	static const struct {
		const char *name;
		size_t off, cut;
		uint32_t poke;
		const char *msg;
	} cases[] = {
		{ "zeros", 0, 4096, 0, "zeros: not a device tree (no FDT magic d00dfeed)" },
		{ "short", 0, 20, 0xd00dfeed,
		  "short: device tree cut short: 20 bytes, less than its 40-byte header" },
		{ "cut", 0, 200, 0xd00dfeed,
		  "cut: device tree: not a sound tree: FDT_ERR_TRUNCATED" },
		{ "bad-struct", 8, 0, 0x7fffff00,
		  "bad-struct: device tree: not a sound tree: FDT_ERR_" },
		{ "bad-version", 24, 0, 99,   /* last_comp_version */
		  "bad-version: device tree: not a sound tree: FDT_ERR_BADVERSION" },
	};

	for (size_t i = 0; i < KX_ARRAY_SIZE(cases); i++) {
		struct kx_dt dt;
		struct env e;
		size_t n = cases[i].cut ? cases[i].cut : len;

		memcpy(bad, good, len);
		if (!strcmp(cases[i].name, "zeros"))
			memset(bad, 0, sizeof(bad));
		else if (cases[i].poke)
			kx_put_uint(bad + cases[i].off, 4, cases[i].poke, true);
		env_init(&e, two_banks, "");
		is_int(kx_dt_open_buffer(&*e.img, &dt, bad, n, cases[i].name),
		       -EINVAL, "%s: refused", cases[i].name);
		like(kx_image_error(e.img), cases[i].msg, "%s: message", cases[i].name);
		kx_dt_close(&dt);
		env_free(&e);
	}
}

int main(void)
{
	test_chosen();
	test_fresh_seeds();
	test_memory_nodes();
	test_console();
	test_not_a_tree();
	return done_testing();
}
