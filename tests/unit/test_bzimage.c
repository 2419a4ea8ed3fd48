/* SPDX-License-Identifier: MIT */
/*
 * The bzImage format (lib/formats/bzimage.c) through the whole pipeline,
 * on synthetic images built here byte by byte after the x86 boot protocol
 * (Documentation/arch/x86/boot.rst): where each segment goes, the whole
 * boot_params page, the setup_data chain (RNG seed, e820 past 128
 * entries), the purgatory's symbols and digests; then broken images, each
 * with its error code, its message and nothing left loaded; inspect; and
 * the same through kx_image_load_buffer and kx_image_inspect_buffer.
 */
#include <stdlib.h>
#include <unistd.h>

#include "internal.h"
#include "purgatory.h"
#include "tap.h"

/* ---- building images ---------------------------------------------------- */

struct bz_spec {
	uint8_t setup_sects;
	uint16_t version;
	uint8_t jump;               /* the header ends at 0x202 + jump */
	uint16_t xloadflags;
	uint32_t kernel_alignment;
	uint8_t relocatable;
	uint32_t init_size;
	uint64_t pref_address;
	uint32_t cmdline_size;
	uint32_t initrd_addr_max;
	uint32_t payload_size;      /* syssize * 16 */
	uint32_t payload_offset;
	uint32_t payload_length;
	const char *magic;          /* at payload_offset */
	size_t magic_len;           /* 0: strlen(magic) */
	uint16_t kver;              /* the version string is at 0x200 + kver */
	const char *version_str;
};

#define SETUP 0xa00             /* (4 + 1) * 512 */
#define PAYLOAD 0x2000
#define INIT_SIZE 0x400000
#define KVERSION "6.1.0-kx-synthetic (kexload@tests) #1 SMP PREEMPT_DYNAMIC"

static const struct bz_spec base_spec = {
	.setup_sects = 4,
	.version = 0x020f,
	.jump = 0x6a,               /* header to 0x26c, as Linux 6.x */
	.xloadflags = 0x3,          /* XLF_KERNEL_64 | CAN_BE_LOADED_ABOVE_4G */
	.kernel_alignment = 0x200000,
	.relocatable = 1,
	.init_size = INIT_SIZE,
	.pref_address = 0x1000000,
	.cmdline_size = 2047,
	.initrd_addr_max = 0x7fffffff,
	.payload_size = PAYLOAD,
	.payload_offset = 0x100,
	.payload_length = 0x1000,
	.magic = "\x1f\x8b\x08",    /* gzip */
	.kver = 0x200,
	.version_str = KVERSION,
};

static void put(uint8_t *p, uint64_t off, unsigned n, uint64_t v)
{
	kx_put_uint(p + off, n, v, false);
}

static uint64_t get(const uint8_t *p, uint64_t off, unsigned n)
{
	return kx_get_uint(p + off, n, false);
}

static uint8_t *build(const struct bz_spec *s, size_t *len)
{
	size_t setup = ((size_t)s->setup_sects + 1) * 512;
	size_t n = setup + s->payload_size;
	uint8_t *p = malloc(n);

	if (!p)
		abort();
	for (size_t i = 0; i < setup; i++)     /* the real-mode code */
		p[i] = (uint8_t)(i ^ 0x5a);
	for (size_t i = setup; i < n; i++)     /* the compressed kernel */
		p[i] = (uint8_t)(i * 13 + 7);
	memset(p + 0x1f1, 0, 0x290 - 0x1f1);
	p[0x1f1] = s->setup_sects;
	put(p, 0x1f4, 4, s->payload_size / 16);
	put(p, 0x1fe, 2, 0xaa55);
	p[0x200] = 0xeb;
	p[0x201] = s->jump;
	memcpy(p + 0x202, "HdrS", 4);
	put(p, 0x206, 2, s->version);
	put(p, 0x20e, 2, s->kver);
	p[0x211] = 0x01;                       /* LOADED_HIGH */
	put(p, 0x214, 4, 0x100000);            /* code32_start */
	put(p, 0x22c, 4, s->initrd_addr_max);
	put(p, 0x230, 4, s->kernel_alignment);
	p[0x234] = s->relocatable;
	p[0x235] = 0x15;                       /* min_alignment: 2 MiB */
	put(p, 0x236, 2, s->xloadflags);
	put(p, 0x238, 4, s->cmdline_size);
	put(p, 0x248, 4, s->payload_offset);
	put(p, 0x24c, 4, s->payload_length);
	put(p, 0x258, 8, s->pref_address);
	put(p, 0x260, 4, s->init_size);
	if (s->kver && 0x200 + s->kver + strlen(s->version_str) < setup)
		strcpy((char *)p + 0x200 + s->kver, s->version_str);
	if (s->magic) {
		size_t m = s->magic_len ? s->magic_len : strlen(s->magic);

		if (setup + s->payload_offset + m <= n)
			memcpy(p + setup + s->payload_offset, s->magic, m);
	}
	*len = n;
	return p;
}

/* ---- files under $TMPDIR ------------------------------------------------- */

static char tmpdir[256];
static char *paths[64];
static size_t npaths;

static const char *write_file(const char *name, const void *buf, size_t len,
			      uint64_t sparse_size)
{
	char *path = malloc(strlen(tmpdir) + strlen(name) + 2);
	FILE *f;

	if (!path || npaths == KX_ARRAY_SIZE(paths))
		abort();
	sprintf(path, "%s/%s", tmpdir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len ||
	    (sparse_size && ftruncate(fileno(f), (off_t)sparse_size)) ||
	    fclose(f))
		abort();
	paths[npaths++] = path;
	return path;
}

static const char *write_image(const char *name, const struct bz_spec *s)
{
	size_t len;
	uint8_t *p = build(s, &len);
	const char *path = write_file(name, p, len, 0);

	free(p);
	return path;
}

static void cleanup_files(void)
{
	for (size_t i = 0; i < npaths; i++) {
		unlink(paths[i]);
		free(paths[i]);
	}
	rmdir(tmpdir);
}

/* ---- loading --------------------------------------------------------------- */

static int fixed_random(void *arg, void *buf, size_t len)
{
	uint8_t *p = buf;

	(void)arg;
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(0xa0 + i);
	return 0;
}

static int failing_random(void *arg, void *buf, size_t len)
{
	(void)arg;
	(void)buf;
	(void)len;
	return -EIO;
}

static char logbuf[8192];

static void log_fn(void *arg, enum kx_log_level level, const char *msg)
{
	size_t n = strlen(logbuf);

	(void)arg;
	(void)level;
	snprintf(logbuf + n, sizeof(logbuf) - n, "%s\n", msg);
}

static const char qemu_pc_1g[] =
	"00000000-00000fff : Reserved\n"
	"00001000-0009fbff : System RAM\n"
	"0009fc00-0009ffff : Reserved\n"
	"000a0000-000bffff : PCI Bus 0000:00\n"
	"000f0000-000fffff : Reserved\n"
	"  000f0000-000fffff : System ROM\n"
	"00100000-3ffdffff : System RAM\n"
	"  29a00000-2a801d31 : Kernel code\n"
	"3ffe0000-3fffffff : Reserved\n"
	"40000000-febfffff : PCI Bus 0000:00\n"
	"fec00000-fec003ff : IOAPIC 0\n"
	"fffc0000-ffffffff : Reserved\n"
	"fd00000000-ffffffffff : Reserved\n";

static const char qemu_pc_6g[] =
	"00000000-0009fbff : System RAM\n"
	"0009fc00-0009ffff : Reserved\n"
	"000f0000-000fffff : Reserved\n"
	"00100000-bffdffff : System RAM\n"
	"  a9000000-b8ffffff : Crash kernel\n"
	"bffe0000-bfffffff : Reserved\n"
	"c0000000-febfffff : PCI Bus 0000:00\n"
	"fffc0000-ffffffff : Reserved\n"
	"100000000-1bfffffff : System RAM\n"
	"  1b4a00000-1b5801d31 : Kernel code\n"
	"fd00000000-ffffffffff : Reserved\n";

static struct kx_memmap *iomem_map(const char *text)
{
	struct kx_memmap *map;

	if (kx_memmap_new(&map) ||
	    kx_memmap_parse_iomem(map, "iomem", text, strlen(text)))
		abort();
	return map;
}

static struct kx_memmap *ram_map(const char *spec)
{
	struct kx_memmap *map;

	if (kx_memmap_new(&map) || kx_memmap_parse_ram(map, spec))
		abort();
	return map;
}

/* 150 RAM ranges of 24 MiB every 32 MiB, the first 50 followed by 8 MiB
 * reserved: 200 e820 entries, 72 past the zero page's 128. */
static struct kx_memmap *big_map(void)
{
	struct kx_memmap *map;

	kx_memmap_new(&map);
	for (uint64_t i = 0; i < 150; i++) {
		kx_memmap_add(map, i << 25, (i << 25) + 0x17fffff, KX_MEM_RAM);
		if (i < 50)
			kx_memmap_add(map, (i << 25) + 0x1800000,
				      (i << 25) + 0x1ffffff, KX_MEM_RESERVED);
	}
	return map;
}

static struct kx_image *new_image(const struct kx_memmap *map)
{
	struct kx_image *img;

	if (kx_image_new(&img))
		abort();
	if (map && kx_image_set_memmap(img, map))
		abort();
	kx_image_set_random(img, fixed_random, NULL);
	return img;
}

static struct kx_load_opts opts_for(const char *kernel, const char *initrd,
				    const char *cmdline)
{
	return (struct kx_load_opts){ .arch = KX_ARCH_X86_64, .kernel = kernel,
				      .initrd = initrd, .cmdline = cmdline };
}

/* ---- what a load must give ----------------------------------------------- */

struct e820 {
	uint64_t addr, size;
	uint32_t type;
};

static size_t e820_of(const struct kx_memmap *map, struct e820 *out)
{
	static const uint32_t types[] = {
		[KX_MEM_RAM] = 1, [KX_MEM_RESERVED] = 2, [KX_MEM_ACPI] = 3,
		[KX_MEM_NVS] = 4, [KX_MEM_UNUSABLE] = 5, [KX_MEM_PMEM] = 7,
		[KX_MEM_CRASH] = 0,   /* inside RAM: not an e820 entry */
	};
	size_t n = 0;

	for (size_t i = 0; i < kx_memmap_count(map); i++) {
		const struct kx_mem_range *r = kx_memmap_range(map, i);

		if (types[r->type])
			out[n++] = (struct e820){ r->start, r->end - r->start + 1,
						  types[r->type] };
	}
	return n;
}

struct expect {
	const uint8_t *file;        /* the image, for the header copy */
	uint64_t hdr_end;
	uint64_t kernel;
	uint64_t params;
	uint64_t initrd;            /* 0: none */
	uint64_t initrd_size;
	const char *cmdline;
	const struct e820 *e820;
	size_t ne820;
};

static uint64_t align16(uint64_t v)
{
	return (v + 15) & ~15ULL;
}

/* The whole zero page as the boot protocol wants it. */
static void expected_zero_page(const struct expect *x, uint8_t bp[4096])
{
	uint64_t cmdline = x->params + 4096;
	uint64_t rng = align16(4096 + strlen(x->cmdline) + 1);

	memset(bp, 0, 4096);
	memcpy(bp + 0x1f1, x->file + 0x1f1, x->hdr_end - 0x1f1);
	bp[0x210] = 0xd0;                             /* type_of_loader */
	put(bp, 0x214, 4, x->kernel);                 /* code32_start */
	put(bp, 0x228, 4, cmdline & 0xffffffff);      /* cmd_line_ptr */
	put(bp, 0x0c8, 4, cmdline >> 32);             /* ext_cmd_line_ptr */
	if (x->initrd) {
		put(bp, 0x218, 4, x->initrd & 0xffffffff);
		put(bp, 0x21c, 4, x->initrd_size & 0xffffffff);
		put(bp, 0x0c0, 4, x->initrd >> 32);
		put(bp, 0x0c4, 4, x->initrd_size >> 32);
	}
	put(bp, 0x250, 8, x->params + rng);           /* setup_data */
	bp[0x1e8] = (uint8_t)(x->ne820 < 128 ? x->ne820 : 128);
	for (size_t i = 0; i < x->ne820 && i < 128; i++) {
		put(bp, 0x2d0 + 20 * i, 8, x->e820[i].addr);
		put(bp, 0x2d0 + 20 * i + 8, 8, x->e820[i].size);
		put(bp, 0x2d0 + 20 * i + 16, 4, x->e820[i].type);
	}
}

static void check_params(const struct kx_segment *s, const struct expect *x,
			 const char *what)
{
	const uint8_t *p = s->buf;
	uint8_t bp[4096];
	uint64_t rng_off = align16(4096 + strlen(x->cmdline) + 1);
	uint64_t e820_off = align16(rng_off + 48);
	size_t extra = x->ne820 > 128 ? x->ne820 - 128 : 0;
	uint64_t size = extra ? e820_off + 16 + 20 * extra : rng_off + 48;
	uint8_t seed[32];
	bool same = true;

	is_u64(s->mem, x->params, "%s: params at 0x%" PRIx64, what, x->params);
	is_u64(s->bufsz, size, "%s: params size", what);
	if (s->bufsz != size)
		return;
	expected_zero_page(x, bp);
	is_mem(p, bp, 4096, "%s: the whole boot_params page", what);
	is_u64(p[0x210], 0xd0, "%s: type_of_loader 0xd0", what);
	is_u64(get(p, 0x228, 4) | get(p, 0x0c8, 4) << 32, x->params + 4096,
	       "%s: cmd_line_ptr and ext_cmd_line_ptr point to the command line",
	       what);
	is_str((const char *)p + 4096, x->cmdline, "%s: the command line", what);
	is_u64(get(p, 0x218, 4) | get(p, 0x0c0, 4) << 32, x->initrd,
	       "%s: ramdisk_image and ext_ramdisk_image", what);
	is_u64(get(p, 0x21c, 4) | get(p, 0x0c4, 4) << 32, x->initrd_size,
	       "%s: ramdisk_size and ext_ramdisk_size", what);
	is_u64(p[0x1e8], x->ne820 < 128 ? x->ne820 : 128, "%s: e820_entries",
	       what);

	/* setup_data: the RNG seed, then the rest of the e820 table */
	is_u64(get(p, 0x250, 8), x->params + rng_off,
	       "%s: setup_data points to the RNG seed", what);
	is_u64(get(p, rng_off, 8), extra ? x->params + e820_off : 0,
	       "%s: RNG seed's next", what);
	is_u64(get(p, rng_off + 8, 4), 9, "%s: SETUP_RNG_SEED (9)", what);
	is_u64(get(p, rng_off + 12, 4), 32, "%s: 32 bytes of seed", what);
	fixed_random(NULL, seed, sizeof(seed));
	is_mem(p + rng_off + 16, seed, 32, "%s: the seed is the random source's",
	       what);
	if (!extra)
		return;
	is_u64(get(p, e820_off, 8), 0, "%s: SETUP_E820_EXT ends the chain", what);
	is_u64(get(p, e820_off + 8, 4), 1, "%s: SETUP_E820_EXT (1)", what);
	is_u64(get(p, e820_off + 12, 4), 20 * extra,
	       "%s: SETUP_E820_EXT holds the %zu entries past 128", what, extra);
	for (size_t i = 0; i < extra; i++) {
		const uint8_t *e = p + e820_off + 16 + 20 * i;
		const struct e820 *w = &x->e820[128 + i];

		same &= get(e, 0, 8) == w->addr && get(e, 8, 8) == w->size &&
			get(e, 16, 4) == w->type;
	}
	ok(same, "%s: SETUP_E820_EXT entries match the map", what);
}

/* The purgatory segment is exactly the purgatory relocated at its address
 * with the entry, registers and digest table set. */
static void check_purgatory(const struct kx_image *img, const char *what)
{
	const struct kx_arch_ops *arch = kx_arch_ops(KX_ARCH_X86_64);
	size_t n = kx_image_segment_count(img);
	const struct kx_segment *ps = kx_image_segment(img, n - 1);
	struct kx_purgatory p;
	struct kx_purgatory_sym start, tab;
	uint64_t args[4] = { 0 }, entry = kx_image_kernel_entry(img);
	uint64_t count = 0;

	is_u64(ps->kind, KX_SEG_PURGATORY, "%s: the last segment is the purgatory",
	       what);
	if (kx_purgatory_open(&p, arch) ||
	    kx_purgatory_relocate(&p, ps->mem) ||
	    kx_purgatory_symbol(&p, "purgatory_start", &start) ||
	    kx_purgatory_symbol(&p, "kx_digests", &tab)) {
		ok(false, "%s: the purgatory opens (%s)", what, p.err);
		kx_purgatory_close(&p);
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (kx_image_segment(img, i)->kind == KX_SEG_PARAMS)
			args[0] = kx_image_segment(img, i)->mem;
	for (size_t i = 0; i + 1 < n && kx_image_checks(img); i++) {
		const struct kx_segment *s = kx_image_segment(img, i);
		uint8_t *row = p.buf + tab.offset + 48 * count++;

		put(row, 0, 8, s->mem);
		put(row, 8, 8, s->bufsz);
		kx_sha256(s->buf, s->bufsz, row + 16);
	}
	kx_purgatory_set(&p, "kx_entry", &entry, 1);
	kx_purgatory_set(&p, "kx_args", args, 4);
	kx_purgatory_set(&p, "kx_digest_count", &count, 1);
	/* its own extent, for the EFI path's claim of its pages */
	kx_purgatory_set(&p, "kx_self", (uint64_t[2]){ ps->mem, p.memsz }, 2);
	is_u64(kx_image_entry(img), ps->mem + start.offset,
	       "%s: kexec enters at purgatory_start", what);
	is_u64(ps->bufsz, p.bufsz, "%s: purgatory bufsz", what);
	is_u64(ps->memsz, kx_align_up(p.memsz, 4096), "%s: purgatory memsz "
	       "(with its stack)", what);
	if (ps->bufsz == p.bufsz)
		is_mem(ps->buf, p.buf, p.bufsz,
		       "%s: purgatory relocated at 0x%" PRIx64 " with kx_entry, "
		       "kx_args, %" PRIu64 " digests", what, ps->mem, count);
	kx_purgatory_close(&p);
}

static void check_digests(const struct kx_image *img, const char *what)
{
	size_t n = kx_image_segment_count(img);

	for (size_t i = 0; i < n; i++) {
		const struct kx_segment *s = kx_image_segment(img, i);
		uint8_t md[32];
		bool want_checked = kx_image_checks(img) &&
				    s->kind != KX_SEG_PURGATORY;

		kx_sha256(s->buf, s->bufsz, md);
		is_mem(s->sha256, md, 32, "%s: %s segment digest", what,
		       kx_segment_kind_name(s->kind));
		ok(s->checked == want_checked, "%s: %s segment %s", what,
		   kx_segment_kind_name(s->kind),
		   want_checked ? "checked" : "not checked");
		ok(s->mem % 4096 == 0 && s->memsz % 4096 == 0 &&
		   s->memsz >= s->bufsz, "%s: %s segment page aligned", what,
		   kx_segment_kind_name(s->kind));
	}
}

static void check_kernel(const struct kx_segment *s, const uint8_t *file,
			 uint64_t addr, const char *what)
{
	is_u64(s->kind, KX_SEG_KERNEL, "%s: segment 0 is the kernel", what);
	is_u64(s->mem, addr, "%s: kernel at 0x%" PRIx64, what, addr);
	is_u64(s->memsz, INIT_SIZE, "%s: kernel memsz is init_size", what);
	is_u64(s->bufsz, PAYLOAD, "%s: kernel bufsz is syssize * 16", what);
	ok(s->bufsz == PAYLOAD && !memcmp(s->buf, file + SETUP, PAYLOAD),
	   "%s: kernel bytes are the protected-mode part", what);
}

/* ---- good loads ------------------------------------------------------------ */

static void test_load_1g(void)
{
	static const struct e820 e820[] = {
		{ 0x0, 0x1000, 2 },           { 0x1000, 0x9ec00, 1 },
		{ 0x9fc00, 0x400, 2 },        { 0xf0000, 0x10000, 2 },
		{ 0x100000, 0x3fee0000, 1 },  { 0x3ffe0000, 0x20000, 2 },
		{ 0xfffc0000, 0x40000, 2 },   { 0xfd00000000, 0x300000000, 2 },
	};
	const char *cmdline = "console=ttyS0 root=/dev/vda";
	struct kx_memmap *map = iomem_map(qemu_pc_1g);
	struct kx_image *img = new_image(map);
	size_t len;
	uint8_t *file = build(&base_spec, &len);
	const char *path = write_file("bz-1g", file, len, 0);
	struct kx_load_opts o = opts_for(path, NULL, cmdline);
	struct expect x = { .file = file, .hdr_end = 0x26c, .kernel = 0x1000000,
			    .params = 0x3ffde000, .cmdline = cmdline,
			    .e820 = e820, .ne820 = KX_ARRAY_SIZE(e820) };
	int rc;

	kx_image_set_log(img, log_fn, NULL);
	logbuf[0] = '\0';
	rc = kx_image_load(img, &o);
	if (!is_int(rc, 0, "1 GiB: loads")) {
		diag("%s", kx_image_error(img));
		goto out;
	}
	is_str(kx_image_error(img), "", "1 GiB: no message");
	is_str(kx_image_format(img), "bzImage", "1 GiB: format");
	is_u64(kx_image_arch(img), KX_ARCH_X86_64, "1 GiB: arch");
	is_str(kx_image_cmdline(img), cmdline, "1 GiB: command line");
	is_u64(kx_image_kexec_flags(img), 62UL << 16,
	       "1 GiB: kexec flags KEXEC_ARCH_X86_64");
	is_u64(kx_image_wrapper_count(img), 0, "1 GiB: no wrappers");
	if (!is_u64(kx_image_segment_count(img), 3,
		    "1 GiB: kernel, params, purgatory"))
		goto out;
	check_kernel(kx_image_segment(img, 0), file, 0x1000000, "1 GiB");
	is_u64(kx_image_kernel_entry(img), 0x1000200,
	       "1 GiB: kernel entry is the 64-bit entry, kernel + 0x200");
	is_u64(kx_image_segment(img, 1)->kind, KX_SEG_PARAMS,
	       "1 GiB: segment 1 is params");
	check_params(kx_image_segment(img, 1), &x, "1 GiB");
	is_u64(kx_image_segment(img, 2)->mem + kx_image_segment(img, 2)->memsz,
	       0x3ffde000, "1 GiB: purgatory right under params (top-down)");
	check_purgatory(img, "1 GiB");
	check_digests(img, "1 GiB");
	like(logbuf, "placed the kernel at 0x1000000-0x13fffff",
	     "1 GiB: the log says where the kernel went");
out:
	free(file);
	kx_image_free(img);
	kx_memmap_free(map);
}

/* An initrd above 4 GiB, where the kernel says it may go, and below
 * initrd_addr_max where it does not. */
static void test_load_6g_initrd(void)
{
	static const struct {
		const char *what;
		uint16_t xloadflags;
		uint64_t initrd;
	} cases[] = {
		{ "6 GiB, initrd above 4 GiB", 0x3, 0x1bfffc000ULL },
		{ "6 GiB, initrd below initrd_addr_max", 0x1, 0x7fffc000 },
	};
	uint8_t initrd[0x307b];
	struct kx_memmap *map = iomem_map(qemu_pc_6g);
	struct e820 e820[16];
	size_t ne820 = e820_of(map, e820);
	const char *ipath;

	for (size_t i = 0; i < sizeof(initrd); i++)
		initrd[i] = (uint8_t)(i * 5 + 1);
	ipath = write_file("initrd", initrd, sizeof(initrd), 0);
	is_u64(ne820, 8, "6 GiB: 8 e820 entries (the crash region is not one)");
	for (size_t i = 0; i < KX_ARRAY_SIZE(cases); i++) {
		struct bz_spec s = base_spec;
		struct kx_image *img = new_image(map);
		size_t len;
		uint8_t *file;
		const char *path;
		struct kx_load_opts o;
		const char *w = cases[i].what;
		struct expect x;

		s.xloadflags = cases[i].xloadflags;
		file = build(&s, &len);
		path = write_file(i ? "bz-6g-low" : "bz-6g", file, len, 0);
		o = opts_for(path, ipath, "quiet");
		x = (struct expect){ .file = file, .hdr_end = 0x26c,
				     .kernel = 0x1000000, .params = 0xbffde000,
				     .initrd = cases[i].initrd,
				     .initrd_size = sizeof(initrd),
				     .cmdline = "quiet", .e820 = e820,
				     .ne820 = ne820 };
		if (!is_int(kx_image_load(img, &o), 0, "%s: loads", w)) {
			diag("%s", kx_image_error(img));
		} else if (is_u64(kx_image_segment_count(img), 4,
				  "%s: kernel, initrd, params, purgatory", w)) {
			const struct kx_segment *is = kx_image_segment(img, 1);

			check_kernel(kx_image_segment(img, 0), file, 0x1000000, w);
			is_u64(is->kind, KX_SEG_INITRD,
			       "%s: segment 1 is the initrd", w);
			is_u64(is->mem, cases[i].initrd, "%s: initrd at 0x%" PRIx64,
			       w, cases[i].initrd);
			is_u64(is->bufsz, sizeof(initrd), "%s: initrd bufsz", w);
			is_u64(is->memsz, 0x4000, "%s: initrd memsz", w);
			ok(is->bufsz == sizeof(initrd) &&
			   !memcmp(is->buf, initrd, sizeof(initrd)),
			   "%s: initrd bytes", w);
			check_params(kx_image_segment(img, 2), &x, w);
			check_purgatory(img, w);
			check_digests(img, w);
		}
		free(file);
		kx_image_free(img);
	}
	kx_memmap_free(map);
}

/* Where the kernel goes when its preferred address will not do. */
static void test_kernel_placement(void)
{
	static const struct {
		const char *what;
		const char *ram;            /* --ram, or NULL: 1 GiB map */
		bool reserve_pref;          /* reserve 16-17 MiB */
		uint64_t pref;
		uint64_t mem_min;
		uint64_t kernel, params;
	} cases[] = {
		{ "pref_address free", NULL, false, 0x1000000, 0, 0x1000000,
		  0x3ffde000 },
		{ "pref_address reserved: lowest 2 MiB aligned from 1 MiB", NULL,
		  true, 0x1000000, 0, 0x200000, 0x3ffde000 },
		{ "pref_address not aligned", NULL, false, 0x1100000, 0,
		  0x200000, 0x3ffde000 },
		{ "pref_address below 1 MiB", NULL, false, 0x80000, 0, 0x200000,
		  0x3ffde000 },
		{ "pref_address below --mem-min", NULL, false, 0x1000000,
		  0x2000000, 0x2000000, 0x3ffde000 },
		{ "no RAM at pref_address", "512M@0x40000000", false, 0x1000000,
		  0, 0x40000000, 0x5fffe000 },
		{ "pref_address at the top of 64 bits", NULL, false,
		  0xffffffffffe00000ULL, 0, 0x200000, 0x3ffde000 },
	};

	for (size_t i = 0; i < KX_ARRAY_SIZE(cases); i++) {
		struct kx_memmap *map = cases[i].ram ? ram_map(cases[i].ram) :
						       iomem_map(qemu_pc_1g);
		struct kx_image *img;
		struct bz_spec s = base_spec;
		const char *path;
		struct kx_load_opts o;

		if (cases[i].reserve_pref)
			kx_memmap_add(map, 0x1000000, 0x10fffff, KX_MEM_RESERVED);
		img = new_image(map);
		s.pref_address = cases[i].pref;
		path = write_image("bz-place", &s);
		o = opts_for(path, NULL, "x");
		o.mem_min = cases[i].mem_min;
		if (is_int(kx_image_load(img, &o), 0, "%s: loads", cases[i].what) &&
		    kx_image_segment_count(img) == 3) {
			is_u64(kx_image_segment(img, 0)->mem, cases[i].kernel,
			       "%s: kernel at 0x%" PRIx64, cases[i].what,
			       cases[i].kernel);
			is_u64(kx_image_kernel_entry(img), cases[i].kernel + 0x200,
			       "%s: entry at kernel + 0x200", cases[i].what);
			is_u64(kx_image_segment(img, 1)->mem, cases[i].params,
			       "%s: params at 0x%" PRIx64, cases[i].what,
			       cases[i].params);
		} else {
			diag("%s", kx_image_error(img));
		}
		kx_image_free(img);
		kx_memmap_free(map);
	}
}

/* Memory rules the boot protocol sets: a kernel that cannot run above
 * 4 GiB stays below it; the initrd stays above 16 MiB while there is room
 * there; a kernel without 5-level paging is refused where it is in use. */
static void test_low_memory_rules(void)
{
	struct kx_memmap *map = ram_map("2M@0x100000");
	struct kx_image *img;
	struct bz_spec s = base_spec;
	struct kx_load_opts o;
	const char *path;
	uint8_t initrd[0x1000] = { 1 };
	const char *ipath = write_file("initrd-16m", initrd, sizeof(initrd), 0);

	/* 2 MiB at 1 MiB and 1 GiB at 4 GiB: the 4 MiB kernel fits only high. */
	kx_memmap_add(map, 0x100000000ULL, 0x13fffffffULL, KX_MEM_RAM);
	img = new_image(map);
	s.xloadflags = 0x1;
	path = write_image("bz-low-only", &s);
	o = opts_for(path, NULL, "x");
	is_int(kx_image_load(img, &o), -ENOSPC,
	       "no XLF_CAN_BE_LOADED_ABOVE_4G, no room below 4 GiB: refused");
	is_str(kx_image_error(img), "no room in memory for the kernel (4194304 "
	       "bytes, 2097152-byte aligned) between 0x100000 and 0xffffffff "
	       "(the kernel cannot run above 4 GiB: XLF_CAN_BE_LOADED_ABOVE_4G "
	       "is not set)", "... saying why");
	s.xloadflags = 0x3;
	path = write_image("bz-high-ok", &s);
	o = opts_for(path, NULL, "x");
	if (is_int(kx_image_load(img, &o), 0, "with the flag: loads: %s",
		   kx_image_error(img)))
		is_u64(kx_image_segment(img, 0)->mem, 0x100000000ULL,
		       "... the kernel at 4 GiB");
	kx_image_free(img);
	kx_memmap_free(map);

	/* The initrd: above 16 MiB while it fits there, else below. */
	map = ram_map("64M@0");
	img = new_image(map);
	o = opts_for(write_image("bz-16m", &base_spec), ipath, "x");
	o.mem_max = 0x1ffffff;
	if (is_int(kx_image_load(img, &o), 0, "32 MiB usable: loads: %s",
		   kx_image_error(img)))
		ok(kx_image_segment(img, 1)->mem >= 0x1000000,
		   "... the initrd at or above 16 MiB (0x%" PRIx64 ")",
		   kx_image_segment(img, 1)->mem);
	o.mem_max = 0x13fffff;   /* the kernel at 16 MiB fills what is above */
	if (is_int(kx_image_load(img, &o), 0, "no room above 16 MiB: loads: %s",
		   kx_image_error(img)))
		ok(kx_image_segment(img, 1)->mem < 0x1000000 &&
		   kx_image_segment(img, 1)->mem >= 0x10000,
		   "... the initrd below 16 MiB, where it fits (0x%" PRIx64 ")",
		   kx_image_segment(img, 1)->mem);

	/* 5-level paging in use: only a kernel with XLF_5LEVEL. */
	o = opts_for(write_image("bz-4level", &base_spec), NULL, "x");
	o.five_level_paging = true;
	is_int(kx_image_load(img, &o), -EINVAL,
	       "5-level paging, a kernel without XLF_5LEVEL: refused");
	like(kx_image_error(img), "bz-4level: this machine runs with 5-level "
	     "paging and the kernel cannot enter it (XLF_5LEVEL is not set in "
	     "xloadflags 0x3)", "... saying why");
	is_u64(kx_image_segment_count(img), 0, "... nothing loaded");
	s = base_spec;
	s.xloadflags = 0x3 | 0x20;
	o = opts_for(write_image("bz-5level", &s), NULL, "x");
	o.five_level_paging = true;
	is_int(kx_image_load(img, &o), 0, "with XLF_5LEVEL: loads: %s",
	       kx_image_error(img));
	kx_image_free(img);
	kx_memmap_free(map);
}

static void test_e820_ext(void)
{
	const char *cmdline = "console=ttyS0 root=/dev/vda";
	struct kx_memmap *map = big_map();
	struct kx_image *img = new_image(map);
	static struct e820 e820[256];
	size_t ne820 = e820_of(map, e820), len;
	uint8_t *file = build(&base_spec, &len);
	const char *path = write_file("bz-e820", file, len, 0);
	struct kx_load_opts o = opts_for(path, NULL, cmdline);
	struct expect x = { .file = file, .hdr_end = 0x26c, .kernel = 0x1000000,
			    .params = 0xff7fe000, .cmdline = cmdline,
			    .e820 = e820, .ne820 = ne820 };

	is_u64(ne820, 200, "200 e820 entries in the map");
	if (is_int(kx_image_load(img, &o), 0, "200 e820 entries: loads") &&
	    is_u64(kx_image_segment_count(img), 3, "200 e820 entries: 3 segments")) {
		check_kernel(kx_image_segment(img, 0), file, 0x1000000,
			     "200 e820 entries");
		check_params(kx_image_segment(img, 1), &x, "200 e820 entries");
		check_purgatory(img, "200 e820 entries");
		check_digests(img, "200 e820 entries");
	} else {
		diag("%s", kx_image_error(img));
	}
	free(file);
	kx_image_free(img);
	kx_memmap_free(map);
}

static void test_options(void)
{
	struct kx_memmap *map = iomem_map(qemu_pc_1g);
	struct kx_image *img = new_image(map);
	const char *path = write_image("bz-opts", &base_spec);
	struct kx_load_opts o = opts_for(path, NULL, NULL);
	const struct kx_segment *s;
	char line[2048];

	is_int(kx_image_load(img, &o), 0, "no command line: loads");
	is_str(kx_image_cmdline(img), "", "no command line: empty");
	s = kx_image_segment(img, 1);
	ok(s && s->bufsz == 4112 + 48 && ((const char *)s->buf)[4096] == '\0',
	   "no command line: an empty string, RNG seed at 4112");

	o.no_checks = true;
	is_int(kx_image_load(img, &o), 0, "--no-checks: loads");
	ok(!kx_image_checks(img), "--no-checks: kx_image_checks is false");
	check_purgatory(img, "--no-checks");
	check_digests(img, "--no-checks");
	o.no_checks = false;

	/* cmdline_size counts characters, without the NUL */
	{
		struct bz_spec sp = base_spec;

		sp.cmdline_size = 255;
		o.kernel = write_image("bz-cmdline", &sp);
	}
	memset(line, 'a', 255);
	line[255] = '\0';
	o.cmdline = line;
	is_int(kx_image_load(img, &o), 0,
	       "a command line of exactly cmdline_size characters loads");
	is_u64(kx_image_segment_count(img), 3, "... with its 3 segments");
	kx_image_free(img);
	kx_memmap_free(map);
}

/* ---- broken images and loads that cannot be done -------------------------- */

enum edit {
	NONE, CUT, POKE8, POKE16, POKE32, MAGIC,
};

static void test_bad(void)
{
	static const struct {
		const char *what;
		enum edit edit;
		uint64_t off;          /* CUT: the length; POKE: where */
		uint64_t val;
		int rc;
		const char *msg;       /* after "DIR/bad: " for file errors */
	} cases[] = {
		{ "cut at 0x100", CUT, 0x100, 0, -ENOEXEC,
		  "bad: not a kernel image kexload knows (no format recognised it)" },
		{ "cut at 0x1f0", CUT, 0x1f0, 0, -ENOEXEC,
		  "bad: not a kernel image kexload knows" },
		{ "cut at 0x200", CUT, 0x200, 0, -EINVAL,
		  "bad: truncated: the setup header needs bytes 0x202-0x205 but "
		  "the file has only 512 bytes" },
		{ "cut at 0x210", CUT, 0x210, 0, -EINVAL,
		  "bad: truncated: the setup header needs bytes 0x236-0x237 but "
		  "the file has only 528 bytes" },
		{ "cut at 0x260", CUT, 0x260, 0, -EINVAL,
		  "bad: truncated: the setup header needs bytes 0x260-0x263 but "
		  "the file has only 608 bytes" },
		{ "cut inside the setup code", CUT, 0x600, 0, -EINVAL,
		  "bad: truncated: the protected-mode kernel needs bytes "
		  "0xa00-0x29ff but the file has only 1536 bytes" },
		{ "cut inside the payload", CUT, SETUP + 0x100, 0, -EINVAL,
		  "bad: truncated: the protected-mode kernel needs bytes "
		  "0xa00-0x29ff but the file has only 2816 bytes" },
		{ "cut one byte short", CUT, SETUP + PAYLOAD - 1, 0, -EINVAL,
		  "bad: truncated: the protected-mode kernel needs bytes "
		  "0xa00-0x29ff but the file has only 10751 bytes" },
		{ "wrong magic", MAGIC, 0, 0, -EINVAL,
		  "bad: has a boot sector signature but no Linux setup header "
		  "(\"HdrS\" at 0x202): not a bzImage" },
		{ "no boot sector signature", POKE16, 0x1fe, 0x55aa, -ENOEXEC,
		  "bad: not a kernel image kexload knows" },
		{ "protocol 2.11", POKE16, 0x206, 0x020b, -EINVAL,
		  "bad: boot protocol 2.11 is too old: kexload needs 2.12 or later" },
		{ "header too short for its protocol", POKE8, 0x201, 0x50, -EINVAL,
		  "bad: setup header ends at 0x252, too short for protocol 2.15" },
		{ "not relocatable", POKE8, 0x234, 0, -EINVAL,
		  "bad: the kernel is not relocatable (built without "
		  "CONFIG_RELOCATABLE)" },
		{ "no XLF_KERNEL_64", POKE16, 0x236, 0x2, -EINVAL,
		  "bad: no 64-bit entry point (XLF_KERNEL_64 is not set in "
		  "xloadflags 0x2)" },
		{ "alignment not a power of two", POKE32, 0x230, 0x300000, -EINVAL,
		  "bad: kernel_alignment 0x300000 is not a power of two" },
		{ "alignment 0", POKE32, 0x230, 0, -EINVAL,
		  "bad: kernel_alignment 0x0 is not a power of two" },
		{ "syssize 0", POKE32, 0x1f4, 0, -EINVAL,
		  "bad: the setup header gives no kernel size (syssize 0, "
		  "init_size 4194304)" },
		{ "init_size 0", POKE32, 0x260, 0, -EINVAL,
		  "bad: the setup header gives no kernel size (syssize 512, "
		  "init_size 0)" },
		{ "syssize past the end", POKE32, 0x1f4, 0x10000000, -EINVAL,
		  "bad: truncated: the protected-mode kernel needs bytes "
		  "0xa00-0x1000009ff but the file has only 10752 bytes" },
		{ "a huge syssize", POKE32, 0x1f4, 0xffffffff, -EINVAL,
		  "bad: truncated: the protected-mode kernel needs bytes" },
		{ "cmdline_size too small", POKE32, 0x238, 10, -E2BIG,
		  "the command line is 11 bytes; this kernel takes at most 10" },
	};
	struct kx_memmap *map = iomem_map(qemu_pc_1g);
	struct kx_image *img = new_image(map);
	const char *good = write_image("bz-good", &base_spec);
	size_t len;
	uint8_t *file = build(&base_spec, &len);

	for (size_t i = 0; i < KX_ARRAY_SIZE(cases); i++) {
		uint8_t *p = malloc(len);
		size_t n = len;
		const char *path;
		struct kx_load_opts o = opts_for(good, NULL, "console=tty");
		struct kx_info info;
		char want[1024];
		int rc;

		memcpy(p, file, len);
		switch (cases[i].edit) {
		case NONE: break;
		case CUT: n = cases[i].off; break;
		case POKE8: p[cases[i].off] = (uint8_t)cases[i].val; break;
		case POKE16: put(p, cases[i].off, 2, cases[i].val); break;
		case POKE32: put(p, cases[i].off, 4, cases[i].val); break;
		case MAGIC: memcpy(p + 0x202, "HdrZ", 4); break;
		}
		snprintf(want, sizeof(want), "%s", cases[i].msg);
		if (!strncmp(want, "bad:", 4))
			snprintf(want, sizeof(want), "%s/%s", tmpdir, cases[i].msg);
		/* a good load first: the failure must clear it */
		is_int(kx_image_load(img, &o), 0, "%s: a good load before",
		       cases[i].what);
		path = write_file("bad", p, n, 0);
		o.kernel = path;
		rc = kx_image_load(img, &o);
		is_int(rc, cases[i].rc, "%s: load fails with %d", cases[i].what,
		       cases[i].rc);
		like(kx_image_error(img), want, "%s: load message", cases[i].what);
		is_u64(kx_image_segment_count(img), 0,
		       "%s: nothing left loaded", cases[i].what);
		ok(!kx_image_segment(img, 0), "%s: no segment 0", cases[i].what);
		is_u64(kx_image_entry(img), 0, "%s: no entry", cases[i].what);
		rc = kx_image_inspect(img, path, &info);
		if (cases[i].rc == -E2BIG) {
			is_int(rc, 0, "%s: inspect is fine with it", cases[i].what);
		} else {
			is_int(rc, cases[i].rc, "%s: inspect fails with %d",
			       cases[i].what, cases[i].rc);
			like(kx_image_error(img), want, "%s: inspect message",
			     cases[i].what);
		}
		unlink(path);
		npaths--;
		free(paths[npaths]);
		free(p);
	}
	free(file);
	kx_image_free(img);
	kx_memmap_free(map);
}

/* Loads that fail for what is around the image, not in it. */
static void test_bad_load(void)
{
	struct kx_memmap *m1g = iomem_map(qemu_pc_1g);
	struct kx_memmap *m64 = ram_map("64M");
	struct kx_image *img = new_image(m1g);
	struct kx_image *nomap = new_image(NULL);
	const char *good = write_image("bz-good2", &base_spec);
	const char *big = write_file("initrd-48m", "x", 1, 0x3000000);
	const char *empty = write_file("empty", "", 0, 0);
	const char *text = write_file("text", "hello, world\n", 13, 0);
	char longline[2049];
	char want[600];   /* the missing file's path, filled in below */
	struct {
		const char *what;
		struct kx_image *img;
		const struct kx_memmap *map;
		struct kx_load_opts o;
		int rc;
		const char *msg;
	} cases[] = {
		{ "command line too long", img, m1g,
		  opts_for(good, NULL, longline), -E2BIG,
		  "the command line is 2048 bytes; this kernel takes at most 2047" },
		{ "an initrd that does not fit", img, m64,
		  opts_for(good, big, ""), -ENOSPC,
		  "no room in memory for the initrd (50331648 bytes, 4096-byte "
		  "aligned) between 0x0 and 0xffffffffffffffff" },
		{ "--mem-max too low for the kernel", img, m1g,
		  opts_for(good, NULL, ""), -ENOSPC,
		  "no room in memory for the kernel (4194304 bytes, 2097152-byte "
		  "aligned) between 0x100000 and 0xfffff" },
		{ "--mem-min and --mem-max around the kernel only", img, m1g,
		  opts_for(good, NULL, ""), -ENOSPC,
		  "no room in memory for boot_params and the command line (8192 "
		  "bytes, 4096-byte aligned) between 0x1000000 and 0x13fffff" },
		{ "no memory map", nomap, NULL, opts_for(good, NULL, ""),
		  -EINVAL, "no memory map given" },
		{ "no kernel", img, m1g, opts_for(NULL, NULL, ""), -EINVAL,
		  "no kernel image given" },
		{ "an architecture kexload does not know", img, m1g,
		  opts_for(good, NULL, ""), -ENOTSUP,
		  "kexload cannot load kernels for architecture 42" },
		{ "a missing kernel", img, m1g, opts_for(want, NULL, ""), -ENOENT,
		  "missing: cannot open: No such file or directory" },
		{ "a missing initrd", img, m1g, opts_for(good, want, ""), -ENOENT,
		  "missing: cannot open: No such file or directory" },
		{ "an empty kernel", img, m1g, opts_for(empty, NULL, ""), -ENOEXEC,
		  "empty: file is empty" },
		{ "not a kernel", img, m1g, opts_for(text, NULL, ""), -ENOEXEC,
		  "text: not a kernel image kexload knows" },
		{ "a crash kernel, no crash region", img, m1g,
		  opts_for(good, NULL, ""), -ENOSPC,
		  "no crash kernel region in the memory map to place the kernel "
		  "in (boot the running kernel with crashkernel=SIZE)" },
		{ "the random source fails", img, m1g, opts_for(good, NULL, ""),
		  -EIO, "cannot get random bytes: Input/output error" },
	};

	memset(longline, 'a', 2048);
	longline[2048] = '\0';
	snprintf(want, sizeof(want), "%s/missing", tmpdir);
	cases[2].o.mem_max = 0xfffff;
	cases[3].o.mem_min = 0x1000000;   /* room for the kernel only */
	cases[3].o.mem_max = 0x13fffff;
	cases[6].o.arch = (enum kx_arch)42;   /* every known one has a loader */
	cases[11].o.type = KX_IMAGE_CRASH;
	for (size_t i = 0; i < KX_ARRAY_SIZE(cases); i++) {
		struct kx_load_opts ok_opts = opts_for(good, NULL, "");
		struct kx_image *im = cases[i].img;
		int rc;

		if (cases[i].map)
			kx_image_set_memmap(im, cases[i].map);
		if (im != nomap)
			is_int(kx_image_load(im, &ok_opts), 0, "%s: a good load before",
			       cases[i].what);
		if (i == KX_ARRAY_SIZE(cases) - 1)
			kx_image_set_random(im, failing_random, NULL);
		rc = kx_image_load(im, &cases[i].o);
		is_int(rc, cases[i].rc, "%s: fails with %d", cases[i].what,
		       cases[i].rc);
		like(kx_image_error(im), cases[i].msg, "%s: message", cases[i].what);
		is_u64(kx_image_segment_count(im), 0, "%s: nothing left loaded",
		       cases[i].what);
	}
	kx_image_set_random(img, fixed_random, NULL);
	kx_image_set_memmap(img, m1g);
	is_int(kx_image_load(img, &cases[0].o), -E2BIG,
	       "the same image fails the same way twice");
	cases[0].o.cmdline = "ok";
	is_int(kx_image_load(img, &cases[0].o), 0, "and then loads again");
	is_str(kx_image_error(img), "", "with the message cleared");
	kx_image_free(img);
	kx_image_free(nomap);
	kx_memmap_free(m1g);
	kx_memmap_free(m64);
}

/* ---- inspect --------------------------------------------------------------- */

static const char *field(const struct kx_info *info, const char *key)
{
	for (size_t i = 0; i < info->nfields; i++)
		if (!strcmp(info->fields[i].key, key))
			return info->fields[i].value;
	return NULL;
}

static void test_inspect(void)
{
	static const struct {
		const char *what;
		const char *magic;
		size_t magic_len;
		uint32_t plen;
		uint32_t poff;
		uint16_t kver;
		const char *compression;
		const char *version;
	} cases[] = {
		{ "gzip", "\x1f\x8b", 2, 0x1000, 0x100, 0x200, "gzip", KVERSION },
		{ "xz", "\xfd" "7zXZ\0", 6, 0x1000, 0x100, 0x200, "xz", KVERSION },
		{ "xz at another offset", "\xfd" "7zXZ\0", 6, 0x1000, 0x3f0, 0x200,
		  "xz", KVERSION },
		{ "zstd", "\x28\xb5\x2f\xfd", 4, 0x1000, 0x100, 0x200, "zstd",
		  KVERSION },
		{ "lz4", "\x02\x21\x4c\x18", 4, 0x1000, 0x100, 0x200, "lz4",
		  KVERSION },
		{ "unknown magic", "\0\0\0\0\0\0", 6, 0x1000, 0x100, 0x200,
		  "unknown", KVERSION },
		{ "no payload_length", "\x1f\x8b", 2, 0, 0x100, 0x200, "unknown",
		  KVERSION },
		{ "payload past syssize", "\x1f\x8b", 2, 0x1f01, 0x100, 0x200,
		  "unknown", KVERSION },
		{ "no version string", "\x1f\x8b", 2, 0x1000, 0x100, 0, "gzip", "" },
	};
	struct kx_image *img = new_image(NULL);

	for (size_t i = 0; i < KX_ARRAY_SIZE(cases); i++) {
		struct bz_spec s = base_spec;
		struct kx_info info;
		const char *path;
		const char *w = cases[i].what;

		s.magic = cases[i].magic;
		s.magic_len = cases[i].magic_len;
		s.payload_length = cases[i].plen;
		s.payload_offset = cases[i].poff;
		s.kver = cases[i].kver;
		path = write_image("bz-inspect", &s);
		if (!is_int(kx_image_inspect(img, path, &info), 0,
			    "inspect %s: 0", w)) {
			diag("%s", kx_image_error(img));
			continue;
		}
		is_str(info.format, "bzImage", "inspect %s: format", w);
		is_u64(info.arch, KX_ARCH_X86_64, "inspect %s: arch", w);
		is_str(info.compression, cases[i].compression,
		       "inspect %s: compression", w);
		is_str(info.version, cases[i].version, "inspect %s: version", w);
		is_u64(info.file_size, SETUP + PAYLOAD, "inspect %s: file size", w);
		is_u64(info.nwrappers, 0, "inspect %s: no wrappers", w);
		is_u64(kx_image_segment_count(img), 0,
		       "inspect %s: loads nothing", w);
		npaths--;
		unlink(paths[npaths]);
		free(paths[npaths]);
		if (i)
			continue;
		{
			static const struct {
				const char *key, *value;
			} fields[] = {
				{ "protocol", "2.15" },
				{ "xloadflags", "0x3" },
				{ "setup_size", "2560" },
				{ "payload_size", "8192" },
				{ "init_size", "4194304" },
				{ "kernel_alignment", "0x200000" },
				{ "pref_address", "0x1000000" },
				{ "cmdline_size", "2047" },
			};

			for (size_t k = 0; k < KX_ARRAY_SIZE(fields); k++)
				is_str(field(&info, fields[k].key), fields[k].value,
				       "inspect: %s", fields[k].key);
		}
	}
	kx_image_free(img);
}

/* ---- the same from memory -------------------------------------------------- */

static void test_buffers(void)
{
	struct kx_memmap *map = iomem_map(qemu_pc_1g);
	struct kx_image *a = new_image(map), *b = new_image(map);
	size_t len;
	uint8_t *file = build(&base_spec, &len);
	uint8_t *copy = malloc(len);
	const char *path = write_file("bz-buf", file, len, 0);
	struct kx_load_opts o = opts_for(path, NULL, "console=ttyS0");
	struct kx_info info;
	bool same = true;
	int rc;

	memcpy(copy, file, len);
	is_int(kx_image_load(a, &o), 0, "buffer: load from the file");
	o.kernel = NULL;
	rc = kx_image_load_buffer(b, &o, copy, len);
	if (!is_int(rc, 0, "buffer: load from memory"))
		diag("%s", kx_image_error(b));
	/* the library keeps its own copy */
	memset(copy, 0xff, len);
	free(copy);
	is_u64(kx_image_segment_count(b), kx_image_segment_count(a),
	       "buffer: as many segments as from the file");
	for (size_t i = 0; i < kx_image_segment_count(a); i++) {
		const struct kx_segment *sa = kx_image_segment(a, i);
		const struct kx_segment *sb = kx_image_segment(b, i);

		same &= sb && sa->mem == sb->mem && sa->memsz == sb->memsz &&
			sa->bufsz == sb->bufsz && sa->kind == sb->kind &&
			!memcmp(sa->sha256, sb->sha256, 32) &&
			!memcmp(sa->buf, sb->buf, sa->bufsz);
	}
	ok(same, "buffer: the same segments, addresses, bytes and digests");
	is_u64(kx_image_entry(b), kx_image_entry(a), "buffer: the same entry");
	check_digests(b, "buffer");

	rc = kx_image_load_buffer(b, &o, file, 0x210);
	is_int(rc, -EINVAL, "buffer: cut at 0x210 fails");
	like(kx_image_error(b), "kernel: truncated: the setup header needs "
	     "bytes 0x236-0x237 but the file has only 528 bytes",
	     "buffer: named \"kernel\" in messages");
	is_u64(kx_image_segment_count(b), 0, "buffer: nothing left loaded");
	o.kernel = "vmlinuz-in-memory";
	rc = kx_image_load_buffer(b, &o, file, 0x100);
	is_int(rc, -ENOEXEC, "buffer: cut at 0x100 fails");
	like(kx_image_error(b), "vmlinuz-in-memory: not a kernel image",
	     "buffer: named after opts->kernel when given");
	rc = kx_image_load_buffer(b, &o, file, 0);
	is_int(rc, -ENOEXEC, "buffer: empty fails");
	is_str(kx_image_error(b), "vmlinuz-in-memory: file is empty",
	       "buffer: empty: message");

	is_int(kx_image_inspect_buffer(b, "mem", file, len, &info), 0,
	       "inspect buffer: 0");
	is_str(info.format, "bzImage", "inspect buffer: format");
	is_str(info.version, KVERSION, "inspect buffer: version");
	is_str(info.compression, "gzip", "inspect buffer: compression");
	is_u64(info.file_size, len, "inspect buffer: size");
	is_int(kx_image_inspect_buffer(b, NULL, file, 0x200, &info), -EINVAL,
	       "inspect buffer: cut at 0x200");
	is_str(kx_image_error(b), "buffer: truncated: the setup header needs "
	       "bytes 0x202-0x205 but the file has only 512 bytes",
	       "inspect buffer: named \"buffer\" without a name");
	free(file);
	kx_image_free(a);
	kx_image_free(b);
	kx_memmap_free(map);
}

int main(void)
{
	const char *t = getenv("TMPDIR");

	snprintf(tmpdir, sizeof(tmpdir), "%s/kx-test-bzimage-XXXXXX",
		 t && *t ? t : "/tmp");
	if (!mkdtemp(tmpdir)) {
		ok(false, "mkdtemp %s", tmpdir);
		return done_testing();
	}
	test_load_1g();
	test_load_6g_initrd();
	test_kernel_placement();
	test_low_memory_rules();
	test_e820_ext();
	test_options();
	test_bad();
	test_bad_load();
	test_inspect();
	test_buffers();
	cleanup_files();
	return done_testing();
}
