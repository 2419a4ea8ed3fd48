/* SPDX-License-Identifier: MIT */
/*
 * x86_64 boot_params for a machine booted through UEFI
 * (lib/sys/efi.c, lib/core/firmware.c, lib/arch/x86_64/efi.c): a sample
 * /sys/firmware/efi tree (a runtime map of 12 entries, fw_vendor,
 * runtime, config_table, systab) and the running kernel's boot_params
 * (UEFI, a GOP framebuffer) are written here, a synthetic bzImage is
 * loaded with them, and the zero page is checked field by field against
 * Documentation/arch/x86/zero-page.rst and the kernel's struct
 * efi_setup_data; then a BIOS boot, a UEFI boot without a runtime map,
 * and broken inputs, each with its exact message.
 */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "tap.h"

static char tmpdir[256];

static void put(uint8_t *p, uint64_t off, unsigned n, uint64_t v)
{
	kx_put_uint(p + off, n, v, false);
}

static uint64_t get(const uint8_t *p, uint64_t off, unsigned n)
{
	return kx_get_uint(p + off, n, false);
}

/* A bzImage of protocol 2.15 whose header has 0x5a5a5a5a where
 * hardware_subarch is, so that the running kernel's value is seen to
 * replace it. */
static uint8_t *bzimage(size_t *len)
{
	size_t n = 0xa00 + 0x2000;
	uint8_t *p = calloc(1, n);

	if (!p)
		abort();
	p[0x1f1] = 4;
	put(p, 0x1f4, 4, 0x2000 / 16);
	put(p, 0x1fe, 2, 0xaa55);
	p[0x200] = 0xeb;
	p[0x201] = 0x6a;
	memcpy(p + 0x202, "HdrS", 4);
	put(p, 0x206, 2, 0x020f);
	put(p, 0x230, 4, 0x200000);
	p[0x234] = 1;
	put(p, 0x236, 2, 0x3);
	put(p, 0x238, 4, 2047);
	put(p, 0x23c, 4, 0x5a5a5a5a);
	put(p, 0x258, 8, 0x1000000);
	put(p, 0x260, 4, 0x400000);
	*len = n;
	return p;
}

/* ---- the sample tree ------------------------------------------------------ */

static const struct kx_efi_desc sample_map[12] = {
	{ 5, 0x3fe00000, 0xfffffffeffe00000, 0x20, 0x800000000000000f },
	{ 6, 0x3fe20000, 0xfffffffeffe20000, 0x40, 0x800000000000000f },
	{ 6, 0x3fe60000, 0xfffffffeffe60000, 0x10, 0x800000000000000f },
	{ 5, 0x3fe70000, 0xfffffffeffe70000, 0x08, 0x800000000000000f },
	{ 6, 0x3fe78000, 0xfffffffeffe78000, 0x18, 0x800000000000000f },
	{ 6, 0x3fec0000, 0xfffffffeffec0000, 0x20, 0x800000000000000f },
	{ 5, 0x3fee0000, 0xfffffffeffee0000, 0x04, 0x800000000000000f },
	{ 6, 0x3fef0000, 0xfffffffeffef0000, 0x08, 0x800000000000000f },
	{ 11, 0xffc00000, 0xfffffffeffc00000, 0x400, 0x8000000000000001 },
	{ 11, 0xb0000000, 0xfffffffeb0000000, 0x10000, 0x8000000000000001 },
	{ 6, 0x3ff50000, 0xfffffffeff950000, 0x30, 0x800000000000000f },
	{ 5, 0x3ff80000, 0xfffffffeff980000, 0x02, 0x800000000000000f },
};

#define SYSTAB 0x13fe8e018ULL
#define FW_VENDOR 0x3fe9a018ULL
#define RUNTIME 0x3fe8eb98ULL
#define CONFIG_TABLE 0x3fe8d018ULL
#define SMBIOS 0x3f9ad000ULL
#define ACPI20 0x3fb7e014ULL
#define RSDP 0x3fb7e014ULL

static void write_text(const char *path, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void write_text(const char *path, const char *fmt, ...)
{
	FILE *f = fopen(path, "w");
	va_list ap;

	if (!f)
		abort();
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
}

static void write_bytes(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(p, 1, n, f) != n)
		abort();
	fclose(f);
}

static void sample_efi(const char *dir, size_t nmap)
{
	char p[512];

	mkdir(dir, 0755);
	snprintf(p, sizeof(p), "%s/runtime-map", dir);
	mkdir(p, 0755);
	for (size_t i = 0; i < nmap; i++) {
		const struct kx_efi_desc *d = &sample_map[i];

		snprintf(p, sizeof(p), "%s/runtime-map/%zu", dir, i);
		mkdir(p, 0755);
		snprintf(p, sizeof(p), "%s/runtime-map/%zu/type", dir, i);
		write_text(p, "0x%x\n", d->type);
		snprintf(p, sizeof(p), "%s/runtime-map/%zu/phys_addr", dir, i);
		write_text(p, "0x%llx\n", (unsigned long long)d->phys_addr);
		snprintf(p, sizeof(p), "%s/runtime-map/%zu/virt_addr", dir, i);
		write_text(p, "0x%llx\n", (unsigned long long)d->virt_addr);
		snprintf(p, sizeof(p), "%s/runtime-map/%zu/num_pages", dir, i);
		write_text(p, "0x%llx\n", (unsigned long long)d->num_pages);
		snprintf(p, sizeof(p), "%s/runtime-map/%zu/attribute", dir, i);
		write_text(p, "0x%llx\n", (unsigned long long)d->attribute);
	}
	snprintf(p, sizeof(p), "%s/fw_vendor", dir);
	write_text(p, "0x%llx\n", FW_VENDOR);
	snprintf(p, sizeof(p), "%s/runtime", dir);
	write_text(p, "0x%llx\n", RUNTIME);
	snprintf(p, sizeof(p), "%s/config_table", dir);
	write_text(p, "0x%llx\n", CONFIG_TABLE);
	snprintf(p, sizeof(p), "%s/systab", dir);
	write_text(p, "ACPI20=0x%llx\nACPI=0x3fb7e000\nSMBIOS=0x%llx\n"
		   "SMBIOS3=0x3f9ab000\n", ACPI20, SMBIOS);
}

/* The running kernel's boot_params after a UEFI boot through the EFI
 * stub: efi_info, a GOP framebuffer (VIDEO_TYPE_EFI), the RSDP. */
static void sample_boot_params(uint8_t bp[4096], bool uefi)
{
	memset(bp, 0, 4096);
	if (uefi) {
		memcpy(bp + 0x1c0, "EL64", 4);
		put(bp, 0x1c4, 4, SYSTAB & 0xffffffff);
		put(bp, 0x1d8, 4, SYSTAB >> 32);
		put(bp, 0x1c8, 4, 48);              /* the firmware's size */
		put(bp, 0x1cc, 4, 1);
		put(bp, 0x1d0, 4, 0x3e000000);      /* the boot's map: gone */
		put(bp, 0x1d4, 4, 0x1e00);
		bp[0x1ec] = 3;                      /* secure boot enabled */
		bp[0x0f] = 0x70;                    /* VIDEO_TYPE_EFI */
	} else {
		bp[0x0f] = 0x22;                    /* VIDEO_TYPE_VGAC */
	}
	put(bp, 0x02, 2, 0x1234);                   /* ext_mem_k */
	put(bp, 0x12, 2, 1280);                     /* lfb_width */
	put(bp, 0x14, 2, 800);                      /* lfb_height */
	put(bp, 0x16, 2, 32);                       /* lfb_depth */
	put(bp, 0x18, 4, 0x80000000);               /* lfb_base */
	put(bp, 0x1c, 4, 0x3e8000);                 /* lfb_size */
	put(bp, 0x24, 2, 5120);                     /* lfb_linelength */
	put(bp, 0x36, 4, 0x3);                      /* capabilities */
	put(bp, 0x070, 8, RSDP);
	put(bp, 0x1f1, 1, 0x1f);                    /* the running header */
	put(bp, 0x23c, 4, 0);                       /* X86_SUBARCH_PC */
}

/* ---- loading ---------------------------------------------------------------- */

static int fixed_random(void *arg, void *buf, size_t len)
{
	(void)arg;
	memset(buf, 0xa5, len);
	return 0;
}

static char logbuf[4096];
static uint8_t *kernels[16];
static size_t nkernels;

static void log_fn(void *arg, enum kx_log_level level, const char *msg)
{
	size_t n = strlen(logbuf);

	(void)arg;
	if (level == KX_LOG_WARN)
		snprintf(logbuf + n, sizeof(logbuf) - n, "%s\n", msg);
}

/* Loads the bzImage on 1 GiB with @fw (NULL: none); the params segment. */
static struct kx_image *load(const struct kx_firmware *fw,
			     const struct kx_segment **params)
{
	static const char cmdline[] = "console=ttyS0 kx=efi";
	struct kx_memmap *map;
	struct kx_image *img;
	struct kx_load_opts o = { .arch = KX_ARCH_X86_64, .cmdline = cmdline };
	struct kx_inputs in = { 0 };
	size_t len;
	uint8_t *k = bzimage(&len);

	if (kx_memmap_new(&map) || kx_memmap_parse_ram(map, "1G") ||
	    kx_image_new(&img) || kx_image_set_memmap(img, map) ||
	    (fw && kx_image_set_firmware(img, fw)))
		abort();
	kx_memmap_free(map);
	kx_image_set_random(img, fixed_random, NULL);
	logbuf[0] = '\0';
	kx_image_set_log(img, log_fn, NULL);
	in.kernel = (struct kx_input){ "bzImage", k, len };
	*params = NULL;
	if (kx_image_load_inputs(img, &o, &in)) {
		ok(false, "load: %s", kx_image_error(img));
		free(k);
		return img;
	}
	for (size_t i = 0; i < kx_image_segment_count(img); i++)
		if (kx_image_segment(img, i)->kind == KX_SEG_PARAMS)
			*params = kx_image_segment(img, i);
	/* the kernel segment points into k: freed at the end */
	kernels[nkernels++] = k;
	return img;
}

static struct kx_firmware *firmware(const char *efi, const char *bp_path)
{
	struct kx_firmware *fw;

	if (kx_firmware_new(&fw))
		abort();
	if (bp_path && kx_firmware_read_boot_params(fw, bp_path))
		ok(false, "boot_params: %s", kx_firmware_error(fw));
	if (efi && kx_firmware_read_efi(fw, efi))
		ok(false, "efi: %s", kx_firmware_error(fw));
	return fw;
}

/* ---- UEFI, field by field ------------------------------------------------------ */

static void test_uefi(void)
{
	char efi[300], bpf[300];
	uint8_t bp[4096], want[4096];
	const struct kx_segment *base, *s;
	struct kx_image *plain, *img;
	struct kx_firmware *fw;
	uint64_t rng_off = (4096 + sizeof("console=ttyS0 kx=efi") + 15) & ~15ULL;
	uint64_t efi_off = rng_off + 48;   /* 16-aligned already */
	uint64_t a, map;
	const uint8_t *p;
	bool same = true;

	snprintf(efi, sizeof(efi), "%s/efi", tmpdir);
	snprintf(bpf, sizeof(bpf), "%s/boot_params", tmpdir);
	sample_efi(efi, 12);
	sample_boot_params(bp, true);
	write_bytes(bpf, bp, sizeof(bp));
	fw = firmware(efi, bpf);
	ok(kx_firmware_uefi(fw), "the sample boot_params say UEFI");
	is_u64(kx_firmware_runtime_map_count(fw), 12,
	       "runtime map: 12 entries read (0..11, in number order)");
	ok(fw->acpi20 == ACPI20 && fw->smbios == SMBIOS &&
	   fw->smbios3 == 0x3f9ab000, "systab: ACPI20=, SMBIOS= and SMBIOS3= "
	   "read, ACPI= (1.0) left");

	plain = load(NULL, &base);
	img = load(fw, &s);
	if (!base || !s) {
		ok(false, "both loads give a params segment");
		goto out;
	}
	p = s->buf;
	a = s->mem;
	is_u64(s->bufsz, efi_off + 16 + 96 + 12 * 40,
	       "params: zero page, command line, RNG seed, SETUP_EFI (16 + 96) "
	       "and 12 descriptors of 40 bytes");
	map = a + efi_off + 16 + 96;

	/* efi_info at 0x1c0 */
	is_mem(p + 0x1c0, "EL64", 4, "efi_loader_signature \"EL64\"");
	is_u64(get(p, 0x1c4, 4), SYSTAB & 0xffffffff, "efi_systab");
	is_u64(get(p, 0x1d8, 4), SYSTAB >> 32, "efi_systab_hi");
	is_u64(get(p, 0x1c8, 4), 40, "efi_memdesc_size: 40, the descriptors "
	       "written (not the firmware's 48)");
	is_u64(get(p, 0x1cc, 4), 1, "efi_memdesc_version");
	is_u64(get(p, 0x1d0, 4), map & 0xffffffff,
	       "efi_memmap: the runtime map in the params segment");
	is_u64(get(p, 0x1dc, 4), map >> 32, "efi_memmap_hi");
	is_u64(get(p, 0x1d4, 4), 12 * 40, "efi_memmap_size: 12 descriptors");
	is_u64(p[0x1ec], 3, "secure_boot as the running kernel's");
	/* the others from the running kernel */
	is_u64(get(p, 0x070, 8), RSDP, "acpi_rsdp_addr");
	is_u64(get(p, 0x23c, 4), 0, "hardware_subarch: the running kernel's "
	       "(0), not the file's 0x5a5a5a5a");
	is_u64(p[0x0f], 0x70, "screen_info: orig_video_isVGA VIDEO_TYPE_EFI");
	is_u64(get(p, 0x18, 4), 0x80000000, "screen_info: lfb_base");
	is_u64(get(p, 0x1c, 4), 0x3e8000, "screen_info: lfb_size");
	is_u64(get(p, 0x12, 2) | get(p, 0x14, 2) << 16, 800 << 16 | 1280,
	       "screen_info: 1280x800");
	is_u64(get(p, 0x02, 2), 0, "screen_info: ext_mem_k zeroed");

	/* setup_data: SETUP_EFI first, then the RNG seed */
	is_u64(get(p, 0x250, 8), a + efi_off, "setup_data -> SETUP_EFI");
	is_u64(get(p, efi_off, 8), a + rng_off, "SETUP_EFI's next -> the RNG seed");
	is_u64(get(p, efi_off + 8, 4), 4, "SETUP_EFI (4)");
	is_u64(get(p, efi_off + 12, 4), 96, "len 96: struct efi_setup_data");
	is_u64(get(p, efi_off + 16, 8), FW_VENDOR, "efi_setup_data.fw_vendor");
	is_u64(get(p, efi_off + 24, 8), RUNTIME,
	       "efi_setup_data's second word: runtime (read by kernels before 5.7)");
	is_u64(get(p, efi_off + 32, 8), CONFIG_TABLE, "efi_setup_data.tables");
	is_u64(get(p, efi_off + 40, 8), SMBIOS, "efi_setup_data.smbios (SMBIOS=)");
	for (unsigned i = 0; i < 8; i++)
		same &= get(p, efi_off + 48 + 8 * i, 8) == 0;
	ok(same, "efi_setup_data.reserved[8] zero");
	is_u64(get(p, rng_off + 8, 4), 9, "the RNG seed follows (SETUP_RNG_SEED)");
	is_u64(get(p, rng_off, 8), 0, "and ends the chain");

	/* the runtime map, entry by entry */
	for (size_t i = 0; i < 12; i++) {
		const uint8_t *d = p + efi_off + 16 + 96 + 40 * i;
		const struct kx_efi_desc *w = &sample_map[i];

		ok(get(d, 0, 4) == w->type && get(d, 4, 4) == 0 &&
		   get(d, 8, 8) == w->phys_addr && get(d, 16, 8) == w->virt_addr &&
		   get(d, 24, 8) == w->num_pages && get(d, 32, 8) == w->attribute,
		   "descriptor %zu: type %u, 0x%llx -> 0x%llx, 0x%llx pages", i,
		   w->type, (unsigned long long)w->phys_addr,
		   (unsigned long long)w->virt_addr,
		   (unsigned long long)w->num_pages);
	}

	/* Nothing else of the zero page changed: the page of a load without
	 * firmware data, with only the fields above (and the pointers into
	 * the segment, which moved) patched. */
	memcpy(want, base->buf, 4096);
	memcpy(want, p, 0x40);
	put(want, 0x070, 8, RSDP);
	memcpy(want + 0x1c0, p + 0x1c0, 0x20);
	want[0x1ec] = 3;
	put(want, 0x23c, 4, 0);
	put(want, 0x228, 4, (a + 4096) & 0xffffffff);
	put(want, 0x0c8, 4, (a + 4096) >> 32);
	put(want, 0x250, 8, a + efi_off);
	is_mem(p, want, 4096, "the rest of the zero page is a load's without "
	       "firmware data");
	is_str(logbuf, "", "no warning");
out:
	kx_image_free(plain);
	kx_image_free(img);
	kx_firmware_free(fw);
}

/* ---- BIOS, UEFI without a runtime map, 32-bit UEFI ---------------------------- */

static void test_bios(void)
{
	char bpf[300];
	uint8_t bp[4096];
	const struct kx_segment *base, *s;
	struct kx_image *plain, *img;
	struct kx_firmware *fw;
	uint8_t zero[0x40] = { 0 };

	snprintf(bpf, sizeof(bpf), "%s/bios_boot_params", tmpdir);
	sample_boot_params(bp, false);
	write_bytes(bpf, bp, sizeof(bp));
	fw = firmware(NULL, bpf);
	ok(!kx_firmware_uefi(fw), "BIOS boot_params: not UEFI");
	plain = load(NULL, &base);
	img = load(fw, &s);
	if (base && s) {
		is_u64(s->bufsz, base->bufsz, "BIOS: the params segment has no "
		       "SETUP_EFI");
		is_mem(s->buf + 0x1c0, zero, 0x20, "BIOS: efi_info all zero");
		is_mem(s->buf, zero, 0x40, "BIOS: VGA text is no framebuffer: "
		       "screen_info stays zero");
		is_u64(get(s->buf, 0x070, 8), RSDP, "BIOS: acpi_rsdp_addr passed");
		is_u64(get(s->buf, 0x250, 8), s->mem + ((4096 +
		       sizeof("console=ttyS0 kx=efi") + 15) & ~15ULL),
		       "BIOS: setup_data -> the RNG seed");
	}
	kx_image_free(plain);
	kx_image_free(img);
	kx_firmware_free(fw);
}

static void test_no_runtime_map(void)
{
	char efi[300], bpf[300], p[400];
	uint8_t bp[4096], zero[0x20] = { 0 };
	const struct kx_segment *s;
	struct kx_image *img;
	struct kx_firmware *fw;

	snprintf(efi, sizeof(efi), "%s/efi-nomap", tmpdir);
	snprintf(bpf, sizeof(bpf), "%s/boot_params", tmpdir);
	sample_efi(efi, 0);
	snprintf(p, sizeof(p), "%s/runtime-map", efi);
	rmdir(p);
	fw = firmware(efi, bpf);
	img = load(fw, &s);
	if (s) {
		is_mem(s->buf + 0x1c0, zero, 0x20,
		       "UEFI without a runtime map: no efi_info");
		is_u64(get(s->buf, 0x070, 8), RSDP, "... the RSDP still passed");
	}
	is_str(logbuf, "booted through UEFI, but there is no EFI runtime map "
	       "(/sys/firmware/efi/runtime-map: a kernel without "
	       "CONFIG_EFI_RUNTIME_MAP, or efi=noruntime): the new kernel gets "
	       "no EFI runtime services\n", "... and a warning says why");
	kx_image_free(img);
	kx_firmware_free(fw);

	/* 32-bit firmware ("EL32"): the runtime map is not for it */
	sample_boot_params(bp, true);
	memcpy(bp + 0x1c0, "EL32", 4);
	snprintf(p, sizeof(p), "%s/el32_boot_params", tmpdir);
	write_bytes(p, bp, sizeof(bp));
	snprintf(efi, sizeof(efi), "%s/efi", tmpdir);
	fw = firmware(efi, p);
	img = load(fw, &s);
	if (s)
		is_mem(s->buf + 0x1c0, zero, 0x20, "32-bit UEFI: no efi_info");
	is_str(logbuf, "this machine booted through 32-bit UEFI: the new kernel "
	       "gets no EFI runtime services\n", "... and a warning says why");
	kx_image_free(img);
	kx_firmware_free(fw);
}

/* ---- broken inputs ------------------------------------------------------------ */

static void expect_efi_error(const char *dir, int code, const char *msg,
			     const char *what)
{
	struct kx_firmware *fw;
	int rc;

	kx_firmware_new(&fw);
	rc = kx_firmware_read_efi(fw, dir);
	is_int(rc, code, "%s: error code", what);
	is_str(kx_firmware_error(fw), msg, "%s: message", what);
	kx_firmware_free(fw);
}

static void test_bad(void)
{
	char dir[300], p[400], msg[600];
	struct kx_firmware *fw;
	uint8_t bp[100] = { 0 };

	kx_firmware_new(&fw);
	is_int(kx_firmware_parse_boot_params(fw, "bp", bp, sizeof(bp)), -EINVAL,
	       "boot_params of 100 bytes: refused");
	is_str(kx_firmware_error(fw), "bp: 100 bytes, not the 4096 of x86 "
	       "boot_params (as in /sys/kernel/boot_params/data)",
	       "... with the message");
	snprintf(p, sizeof(p), "%s/nothing", tmpdir);
	is_int(kx_firmware_read_boot_params(fw, p), -ENOENT,
	       "boot_params file missing: -ENOENT");
	kx_firmware_free(fw);

	snprintf(dir, sizeof(dir), "%s/nothing", tmpdir);
	snprintf(msg, sizeof(msg), "%s: cannot open: No such file or directory",
		 dir);
	expect_efi_error(dir, -ENOENT, msg, "--efi a missing directory");

	snprintf(dir, sizeof(dir), "%s/boot_params", tmpdir);
	snprintf(msg, sizeof(msg), "%s: not a directory shaped like "
		 "/sys/firmware/efi", dir);
	expect_efi_error(dir, -ENOTDIR, msg, "--efi a file");

	snprintf(dir, sizeof(dir), "%s/efi-bad1", tmpdir);
	sample_efi(dir, 3);
	snprintf(p, sizeof(p), "%s/runtime-map/1/attribute", dir);
	unlink(p);
	snprintf(msg, sizeof(msg), "%s: cannot read: No such file or directory", p);
	expect_efi_error(dir, -ENOENT, msg, "an entry without its attribute");

	snprintf(dir, sizeof(dir), "%s/efi-bad2", tmpdir);
	sample_efi(dir, 3);
	snprintf(p, sizeof(p), "%s/runtime-map/2/num_pages", dir);
	write_text(p, "zz\n");
	snprintf(msg, sizeof(msg), "%s: \"zz\" is not a number", p);
	expect_efi_error(dir, -EINVAL, msg, "num_pages not a number");

	snprintf(dir, sizeof(dir), "%s/efi-bad3", tmpdir);
	sample_efi(dir, 2);
	snprintf(p, sizeof(p), "%s/runtime-map/foo", dir);
	mkdir(p, 0755);
	snprintf(msg, sizeof(msg), "%s: not an entry of the runtime map (0 to "
		 "1023)", p);
	expect_efi_error(dir, -EINVAL, msg, "a runtime-map entry not a number");

	snprintf(dir, sizeof(dir), "%s/efi-bad4", tmpdir);
	sample_efi(dir, 2);
	snprintf(p, sizeof(p), "%s/runtime-map/5", dir);
	mkdir(p, 0755);
	snprintf(msg, sizeof(msg), "%s/runtime-map/2/type: cannot read: No such "
		 "file or directory", dir);
	expect_efi_error(dir, -ENOENT, msg,
			 "entries 0, 1 and 5: entry 2 is missing");
}

int main(void)
{
	const char *t = getenv("TMPDIR");
	char cmd[400];

	snprintf(tmpdir, sizeof(tmpdir), "%s/kx-test-efi-XXXXXX",
		 t && *t ? t : "/tmp");
	if (!mkdtemp(tmpdir)) {
		ok(false, "mkdtemp %s", tmpdir);
		return done_testing();
	}
	test_uefi();
	test_bios();
	test_no_runtime_map();
	test_bad();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd))
		diag("could not remove %s", tmpdir);
	for (size_t i = 0; i < nkernels; i++)
		free(kernels[i]);
	return done_testing();
}
