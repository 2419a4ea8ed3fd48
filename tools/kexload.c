/* SPDX-License-Identifier: MIT */
/*
 * The kexload command: plan, load, exec, unload, status and inspect on
 * libkexload. Invoked as "kexec" it takes kexec-tools' spelling of the same
 * actions and options (-l, -e, -u, -S, -i, --initrd, --append, ...).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kexload.h"
#include "output.h"

#define VERSION "0.1.0"
#define SYSTEM_FDT "/sys/firmware/fdt"
#define PROC_DT "/proc/device-tree"
#define SYSTEM_SPCR "/sys/firmware/acpi/tables/SPCR"

enum cmd { CMD_NONE, CMD_PLAN, CMD_LOAD, CMD_EXEC, CMD_UNLOAD, CMD_STATUS,
	   CMD_INSPECT, CMD_LOAD_EXEC, CMD_LOAD_SHUTDOWN, CMD_CKR_SIZE };

struct cli {
	enum cmd cmd;
	bool kexec_spelling;
	struct kx_load_opts opts;
	const char *initrds[16];
	bool list_formats;
	const char *append;
	const char *command_line;
	bool reuse_cmdline;
	const char *mem_map;
	const char *ram;
	const char *efi_dir;        /* --efi: shaped like /sys/firmware/efi */
	const char *boot_params;    /* --boot-params */
	bool system_firmware;       /* load: this machine's */
	bool json;
	bool debug;
	bool file_syscall;
	bool plain_syscall;
	bool fixed_random;
	uint8_t fixed_byte;
	bool no_sync;
	const char *crash_regions[4];   /* --crash-region SIZE@BASE */
	size_t ncrash_regions;
	const char *sys_root;           /* --sys-root: the crash data's */
	bool hotplug;
};

static const char *prog = "kexload";

static int fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(int code, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

static void usage(FILE *f)
{
	fprintf(f,
"Usage: kexload COMMAND [OPTIONS] [KERNEL]\n"
"\n"
"Load a Linux kernel from files and boot it with kexec, checking at reboot\n"
"that every loaded piece is intact (SHA-256, in a relocated purgatory).\n"
"\n"
"Commands:\n"
"  plan KERNEL       show where every segment would go; touches no kernel\n"
"                    state and needs no root\n"
"  load KERNEL       load KERNEL for a later 'exec' (kexec_load(2))\n"
"  exec              sync, then reboot into the loaded kernel\n"
"  unload            unload the loaded kernel\n"
"  status            say whether a kernel is loaded, and lockdown state\n"
"  inspect FILE      describe a kernel image: format, architecture,\n"
"                    version string, compression, header fields\n"
"  inspect --formats list the formats kexload knows, and the names\n"
"                    kexec -t takes for each\n"
"\n"
"Options for plan and load:\n"
"  --initrd FILE         initial ramdisk for the new kernel (--ramdisk too);\n"
"                        given more than once, the files are concatenated\n"
"                        in order (each padded to 4 bytes)\n"
"  --dtb FILE            device tree to start from (arm64, arm); load uses\n"
"                        /sys/firmware/fdt when none is given\n"
"  --acpi-spcr FILE      ACPI SPCR table naming the purgatory's console\n"
"                        where the device tree names none (UEFI and ACPI\n"
"                        machines); load uses " SYSTEM_SPCR "\n"
"  --command-line STR    the new kernel's command line\n"
"  --append STR          text added to the command line\n"
"  --reuse-cmdline       start from this kernel's /proc/cmdline\n"
"                        (without BOOT_IMAGE=)\n"
"  --mem-map FILE        memory map in /proc/iomem syntax, instead of the\n"
"                        running machine's\n"
"  --ram SIZE[@BASE]     one RAM range instead of a memory map (1G, 512M@0x40000000)\n"
"  --efi DIR             x86_64: a directory shaped like /sys/firmware/efi\n"
"                        (runtime-map/, fw_vendor, runtime, config_table,\n"
"                        systab) for the new kernel's EFI data; arm64 with\n"
"                        --efi-stub: its systab's ACPI and SMBIOS tables\n"
"                        (plan; load reads this machine's)\n"
"  --efi-stub            start a PE/COFF kernel through its own EFI stub,\n"
"                        in the purgatory's EFI environment, even where\n"
"                        another format knows the kernel (arm64 Image,\n"
"                        bzImage); with inspect, show its PE headers;\n"
"                        with --debug, the console shows every EFI\n"
"                        service the stub calls\n"
"  --boot-params FILE    x86_64: the running kernel's boot_params, as\n"
"                        /sys/kernel/boot_params/data (plan; load reads\n"
"                        this machine's)\n"
"  --mem-min ADDR        no segment below ADDR\n"
"  --mem-max ADDR        no segment above ADDR\n"
"  --crash               a crash (kdump) kernel, run when this one panics;\n"
"                        with unload, unload it\n"
"  --crash-region SIZE@BASE  a crash kernel reservation in the memory map\n"
"                        (plan; load uses /proc/iomem's \"Crash kernel\")\n"
"  --sys-root DIR        read the running kernel's crash notes,\n"
"                        vmcoreinfo and kcore under DIR (plan)\n"
"  --hotplug             let the kernel update the crash image on\n"
"                        hotplug (kernels with crash_hotplug)\n"
"  --arch ARCH           target architecture (plan only; default: the\n"
"                        image's own)\n"
"  -i, --no-checks       leave the purgatory's SHA-256 check out\n"
"  -s, --file-syscall    load with kexec_file_load(2) (load only; what a\n"
"                        locked-down kernel demands, chosen by itself then)\n"
"  -c, --kexec-syscall   always use kexec_load(2)\n"
"  --fixed-random BYTE   fill seeds with BYTE, not random bytes, for\n"
"                        reproducible plans (plan only)\n"
"\n"
"Common options:\n"
"  --json                machine-readable output (plan, status, inspect)\n"
"  -d, --debug           explain each step on standard error\n"
"  -h, --help            this text\n"
"  -v, --version         the version\n"
"\n"
"Invoked as 'kexec', kexload takes kexec-tools' options: -l (load), -e\n"
"(exec), -u (unload), -S (status), -f (load and exec now, without a clean\n"
"shutdown), -y (no sync before exec), and with no action loads and asks\n"
"for a clean reboot with 'shutdown -r now'; -p loads a crash kernel (-u -p\n"
"unloads it), --print-ckr-size prints the crash reservation's size.\n"
"See kexload(8).\n");
}

enum {
	OPT_INITRD = 256, OPT_APPEND, OPT_CMDLINE, OPT_REUSE, OPT_MEMMAP,
	OPT_RAM, OPT_MEMMIN, OPT_MEMMAX, OPT_ARCH, OPT_JSON, OPT_FIXED,
	OPT_NOIFDOWN, OPT_TYPE, OPT_DTB, OPT_SPCR, OPT_FORMATS, OPT_EFI,
	OPT_BOOT_PARAMS, OPT_CRASH, OPT_CRASH_REGION, OPT_SYS_ROOT, OPT_HOTPLUG,
	OPT_CKR, OPT_EFI_STUB,
};

static const struct option long_opts[] = {
	{ "initrd", required_argument, 0, OPT_INITRD },
	{ "ramdisk", required_argument, 0, OPT_INITRD },
	{ "dtb", required_argument, 0, OPT_DTB },
	{ "acpi-spcr", required_argument, 0, OPT_SPCR },
	{ "append", required_argument, 0, OPT_APPEND },
	{ "command-line", required_argument, 0, OPT_CMDLINE },
	{ "reuse-cmdline", no_argument, 0, OPT_REUSE },
	{ "mem-map", required_argument, 0, OPT_MEMMAP },
	{ "ram", required_argument, 0, OPT_RAM },
	{ "efi", required_argument, 0, OPT_EFI },
	{ "efi-stub", no_argument, 0, OPT_EFI_STUB },
	{ "boot-params", required_argument, 0, OPT_BOOT_PARAMS },
	{ "mem-min", required_argument, 0, OPT_MEMMIN },
	{ "mem-max", required_argument, 0, OPT_MEMMAX },
	{ "arch", required_argument, 0, OPT_ARCH },
	{ "no-checks", no_argument, 0, 'i' },
	{ "file-syscall", no_argument, 0, 's' },
	{ "kexec-file-syscall", no_argument, 0, 's' },
	{ "kexec-syscall", no_argument, 0, 'c' },
	{ "kexec-syscall-auto", no_argument, 0, 'a' },
	{ "fixed-random", required_argument, 0, OPT_FIXED },
	{ "json", no_argument, 0, OPT_JSON },
	{ "formats", no_argument, 0, OPT_FORMATS },
	{ "crash", no_argument, 0, OPT_CRASH },
	{ "crash-region", required_argument, 0, OPT_CRASH_REGION },
	{ "sys-root", required_argument, 0, OPT_SYS_ROOT },
	{ "hotplug", no_argument, 0, OPT_HOTPLUG },
	{ "print-ckr-size", no_argument, 0, OPT_CKR },
	{ "debug", no_argument, 0, 'd' },
	{ "help", no_argument, 0, 'h' },
	{ "version", no_argument, 0, 'v' },
	/* kexec-tools' actions */
	{ "load", no_argument, 0, 'l' },
	{ "exec", no_argument, 0, 'e' },
	{ "unload", no_argument, 0, 'u' },
	{ "status", no_argument, 0, 'S' },
	{ "force", no_argument, 0, 'f' },
	{ "load-panic", no_argument, 0, 'p' },
	{ "no-ifdown", no_argument, 0, 'x' },
	{ "no-sync", no_argument, 0, 'y' },
	{ "type", required_argument, 0, 't' },
	{ 0, 0, 0, 0 },
};

static int parse_addr(const char *opt, const char *s, uint64_t *v)
{
	if (kx_parse_size(s, v))
		return fail(2, "%s %s: not an address or size", opt, s);
	return 0;
}

/* kexec-tools' -t names, from the format table: kexload recognises the
 * format itself, so a known name changes nothing. */
static int check_kexec_type(const char *type)
{
	const char *seen[32];
	char known[256] = "";
	const char *const *names;
	size_t nseen = 0;

	for (size_t i = 0; kx_format_name(i, NULL, &names); i++) {
		for (size_t k = 0; names[k]; k++) {
			bool dup = false;

			if (!strcmp(type, names[k]))
				return 0;
			for (size_t j = 0; j < nseen; j++)
				dup |= !strcmp(seen[j], names[k]);
			if (dup || nseen == sizeof(seen) / sizeof(seen[0]))
				continue;
			seen[nseen++] = names[k];
			snprintf(known + strlen(known), sizeof(known) - strlen(known),
				 "%s%s", nseen > 1 ? ", " : "", names[k]);
		}
	}
	return fail(2, "--type %s: kexload recognises the format itself and "
		    "knows %s", type, known);
}

static int set_action(struct cli *c, enum cmd cmd, int opt)
{
	if (!c->kexec_spelling)
		return fail(2, "-%c is kexec-tools' spelling; use the '%s' command "
			    "(or invoke kexload as 'kexec')", opt,
			    cmd == CMD_LOAD ? "load" : cmd == CMD_EXEC ? "exec" :
			    cmd == CMD_UNLOAD ? "unload" : "status");
	c->cmd = cmd;
	return 0;
}

static int parse_opt(struct cli *c, int o)
{
	uint64_t v;

	switch (o) {
	case OPT_INITRD:
		if (c->opts.ninitrds == sizeof(c->initrds) / sizeof(c->initrds[0]))
			return fail(2, "--initrd %s: at most %zu initrds", optarg,
				    c->opts.ninitrds);
		c->initrds[c->opts.ninitrds++] = optarg;
		c->opts.initrds = c->initrds;
		return 0;
	case OPT_FORMATS: c->list_formats = true; return 0;
	case OPT_DTB: c->opts.dtb = optarg; return 0;
	case OPT_SPCR: c->opts.acpi_spcr = optarg; return 0;
	case OPT_APPEND: c->append = optarg; return 0;
	case OPT_CMDLINE: c->command_line = optarg; return 0;
	case OPT_REUSE: c->reuse_cmdline = true; return 0;
	case OPT_MEMMAP: c->mem_map = optarg; return 0;
	case OPT_RAM: c->ram = optarg; return 0;
	case OPT_EFI: c->efi_dir = optarg; return 0;
	case OPT_EFI_STUB: c->opts.efi_stub = true; return 0;
	case OPT_BOOT_PARAMS: c->boot_params = optarg; return 0;
	case OPT_MEMMIN: return parse_addr("--mem-min", optarg, &c->opts.mem_min);
	case OPT_MEMMAX:
		if (parse_addr("--mem-max", optarg, &c->opts.mem_max))
			return 2;
		if (!c->opts.mem_max)
			return fail(2, "--mem-max %s: no segment fits below "
				    "address 0 (leave --mem-max out for no "
				    "limit)", optarg);
		return 0;
	case OPT_ARCH:
		if (kx_arch_from_name(optarg, &c->opts.arch))
			return fail(2, "--arch %s: unknown architecture", optarg);
		return 0;
	case OPT_FIXED:
		if (kx_parse_size(optarg, &v) || v > 255)
			return fail(2, "--fixed-random %s: expected a byte value",
				    optarg);
		c->fixed_random = true;
		c->fixed_byte = (uint8_t)v;
		return 0;
	case OPT_JSON: c->json = true; return 0;
	case 'i': c->opts.no_checks = true; return 0;
	case 's': c->file_syscall = true; c->plain_syscall = false; return 0;
	case 'c': c->plain_syscall = true; c->file_syscall = false; return 0;
	case 'a': c->plain_syscall = c->file_syscall = false; return 0;
	case 'd':
		c->debug = true;
		c->opts.efi_trace = true;   /* the EFI environment's trace too */
		return 0;
	case 'h': usage(stdout); exit(0);
	case 'v': printf("kexload %s\n", VERSION); exit(0);
	case 'l': return set_action(c, CMD_LOAD, o);
	case 'e': return set_action(c, CMD_EXEC, o);
	case 'u': return set_action(c, CMD_UNLOAD, o);
	case 'S': return set_action(c, CMD_STATUS, o);
	case 'f': return set_action(c, CMD_LOAD_EXEC, o);
	case 'p':
		/* kexec -p loads a crash kernel (and no reboot follows);
		 * with -u it unloads one, in either order. */
		if (!c->kexec_spelling)
			return fail(2, "-p is kexec-tools' spelling; use --crash");
		c->opts.type = KX_IMAGE_CRASH;
		if (c->cmd == CMD_LOAD_SHUTDOWN)
			c->cmd = CMD_LOAD;
		return 0;
	case OPT_CRASH: c->opts.type = KX_IMAGE_CRASH; return 0;
	case OPT_CRASH_REGION:
		if (c->ncrash_regions == sizeof(c->crash_regions) /
					 sizeof(c->crash_regions[0]))
			return fail(2, "--crash-region %s: at most %zu regions",
				    optarg, c->ncrash_regions);
		c->crash_regions[c->ncrash_regions++] = optarg;
		return 0;
	case OPT_SYS_ROOT: c->sys_root = optarg; return 0;
	case OPT_HOTPLUG: c->hotplug = true; return 0;
	case OPT_CKR: c->cmd = CMD_CKR_SIZE; return 0;
	case 'y': c->no_sync = true; return 0;
	case 'x': return 0;   /* kexload never takes interfaces down */
	case 't':
		return check_kexec_type(optarg);
	default:
		usage(stderr);
		return 2;
	}
}

/* "kexload -l ...": someone with kexec-tools habits; say what to type. */
static int kexec_action_hint(const char *arg)
{
	static const char *const hints[][2] = {
		{ "-l", "load" }, { "--load", "load" }, { "-e", "exec" },
		{ "--exec", "exec" }, { "-u", "unload" }, { "--unload", "unload" },
		{ "-S", "status" }, { "--status", "status" },
	};

	for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
		if (!strcmp(arg, hints[i][0]))
			return fail(2, "%s is kexec-tools' spelling; use the '%s' "
				    "command (or invoke kexload as 'kexec')",
				    arg, hints[i][1]);
	return fail(2, "give a command first: plan, load, exec, unload, "
		    "status or inspect (try --help)");
}

static const struct {
	const char *name;
	enum cmd cmd;
} commands[] = {
	{ "plan", CMD_PLAN }, { "load", CMD_LOAD }, { "exec", CMD_EXEC },
	{ "unload", CMD_UNLOAD }, { "status", CMD_STATUS },
	{ "inspect", CMD_INSPECT },
};

static int parse_args(struct cli *c, int argc, char **argv, const char **file)
{
	int o, rc;

	if (!c->kexec_spelling) {
		if (argc < 2 || argv[1][0] == '-') {
			if (argc >= 2 && (!strcmp(argv[1], "-h") ||
					  !strcmp(argv[1], "--help"))) {
				usage(stdout);
				exit(0);
			}
			if (argc >= 2 && (!strcmp(argv[1], "-v") ||
					  !strcmp(argv[1], "--version"))) {
				printf("kexload %s\n", VERSION);
				exit(0);
			}
			if (argc >= 2)
				return kexec_action_hint(argv[1]);
			usage(stderr);
			return 2;
		}
		for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
			if (!strcmp(argv[1], commands[i].name))
				c->cmd = commands[i].cmd;
		if (c->cmd == CMD_NONE)
			return fail(2, "unknown command '%s' (try --help)", argv[1]);
		argv++;
		argc--;
	} else {
		/* kexec-tools: no action = load, then a clean reboot */
		c->cmd = CMD_LOAD_SHUTDOWN;
	}
	while ((o = getopt_long(argc, argv, "hvdilseucaSfpxyt:", long_opts,
				NULL)) != -1) {
		rc = parse_opt(c, o);
		if (rc)
			return rc;
	}
	*file = optind < argc ? argv[optind++] : NULL;
	if (optind < argc)
		return fail(2, "unexpected argument '%s'", argv[optind]);
	return 0;
}

/* --reuse-cmdline, --command-line and --append, in kexec-tools' order. */
static int build_cmdline(struct cli *c, char **out)
{
	char *reused = NULL;
	int rc;

	if (c->reuse_cmdline) {
		rc = kx_read_cmdline(&reused);
		if (rc)
			return fail(1, "/proc/cmdline: %s", strerror(-rc));
	}
	rc = kx_cmdline_build(reused, c->command_line, c->append,
			      c->opts.type, out);
	free(reused);
	return rc ? fail(1, "out of memory") : 0;
}

/* --crash-region SIZE@BASE: a crash kernel reservation inside the map's
 * System RAM, as crashkernel=SIZE@BASE makes one. A positive return is
 * the command's exit code (the message printed). */
static int add_crash_region(struct kx_memmap *map, const char *spec)
{
	char buf[64];
	char *at;
	uint64_t size, base;

	snprintf(buf, sizeof(buf), "%s", spec);
	at = strchr(buf, '@');
	if (!at)
		return fail(2, "--crash-region %s: expected SIZE@BASE, as "
			    "256M@0x30000000", spec);
	*at = '\0';
	if (kx_parse_size(buf, &size) || !size || kx_parse_size(at + 1, &base))
		return fail(2, "--crash-region %s: expected SIZE@BASE, as "
			    "256M@0x30000000", spec);
	if (base + size - 1 < base)
		return fail(2, "--crash-region %s: wraps around", spec);
	for (size_t i = 0; i < kx_memmap_count(map); i++) {
		const struct kx_mem_range *r = kx_memmap_range(map, i);

		if (r->type == KX_MEM_RAM && r->start <= base &&
		    base + size - 1 <= r->end)
			return kx_memmap_add(map, base, base + size - 1,
					     KX_MEM_CRASH) ? fail(1, "out of memory") : 0;
	}
	return fail(2, "--crash-region %s: not inside one System RAM range of "
		    "the memory map", spec);
}

static int build_memmap(struct cli *c, struct kx_memmap **out)
{
	struct kx_memmap *map;
	int rc;

	if (kx_memmap_new(&map))
		return fail(1, "out of memory");
	if (c->mem_map && c->ram) {
		kx_memmap_free(map);
		return fail(2, "--mem-map and --ram both give the memory map: "
			    "give one");
	}
	if (c->mem_map)
		rc = kx_memmap_read_file(map, c->mem_map);
	else if (c->ram)
		rc = kx_memmap_parse_ram(map, c->ram);
	else
		rc = kx_memmap_read_system(map);
	for (size_t i = 0; !rc && i < c->ncrash_regions; i++)
		rc = add_crash_region(map, c->crash_regions[i]);
	if (rc < 0) {
		if (!kx_memmap_error(map)[0])
			rc = fail(1, "%s: %s", c->mem_map ? c->mem_map :
				  "memory map of this machine", strerror(-rc));
		else
			rc = fail(1, "%s", kx_memmap_error(map));
		kx_memmap_free(map);
		return rc;
	}
	if (rc) {
		kx_memmap_free(map);
		return rc;
	}
	*out = map;
	return 0;
}

/* What the firmware left for the next kernel: --efi and --boot-params,
 * or this machine's for load. */
static int set_firmware(struct cli *c, struct kx_image *img)
{
	struct kx_firmware *fw;
	int rc = 0;

	if (!c->efi_dir && !c->boot_params && !c->system_firmware)
		return 0;
	if (kx_firmware_new(&fw))
		return fail(1, "out of memory");
	if (c->system_firmware)
		rc = kx_firmware_read_system(fw);
	if (!rc && c->boot_params)
		rc = kx_firmware_read_boot_params(fw, c->boot_params);
	if (!rc && c->efi_dir)
		rc = kx_firmware_read_efi(fw, c->efi_dir);
	if (rc)
		rc = fail(1, "%s", kx_firmware_error(fw));
	else if (kx_image_set_firmware(img, fw))
		rc = fail(1, "%s", kx_image_error(img));
	kx_firmware_free(fw);
	return rc;
}

/* Warnings always, debug lines with --debug (@arg: the flag). */
static void log_to_stderr(void *arg, enum kx_log_level level, const char *msg)
{
	if (level == KX_LOG_DEBUG && !*(const bool *)arg)
		return;
	fprintf(stderr, "%s: %s%s\n", prog,
		level == KX_LOG_DEBUG ? "debug: " :
		level == KX_LOG_WARN ? "warning: " : "", msg);
}

static int fixed_random(void *arg, void *buf, size_t len)
{
	memset(buf, *(uint8_t *)arg, len);
	return 0;
}

static int prepare(struct cli *c, const char *kernel, struct kx_image **out)
{
	struct kx_memmap *map = NULL;
	struct kx_image *img = NULL;
	struct kx_crash_info ci = { 0 };
	char *cmdline = NULL;
	int rc;

	if (!kernel)
		return fail(2, "no kernel image given");
	c->opts.kernel = kernel;
	rc = build_cmdline(c, &cmdline);
	if (!rc)
		rc = build_memmap(c, &map);
	if (rc)
		goto out;
	c->opts.cmdline = cmdline;
	/* Where the crash data cannot be read, the load goes on without
	 * it: an architecture whose crash kernel builds its own core header
	 * (s390x) does not need it, the others refuse with -ENODATA, and
	 * then the reason it could not be read is the message. */
	if (c->opts.type == KX_IMAGE_CRASH &&
	    !kx_crash_info_read(&ci, c->sys_root ? c->sys_root : ""))
		c->opts.crash = &ci;
	if (kx_image_new(&img)) {
		rc = fail(1, "out of memory");
		goto out;
	}
	kx_image_set_log(img, log_to_stderr, &c->debug);
	if (c->fixed_random)
		kx_image_set_random(img, fixed_random, &c->fixed_byte);
	rc = kx_image_set_memmap(img, map);
	if (!rc)
		rc = set_firmware(c, img);
	if (!rc) {
		int lrc = kx_image_load(img, &c->opts);

		if (lrc == -ENODATA && c->opts.type == KX_IMAGE_CRASH &&
		    !c->opts.crash && ci.err[0])
			rc = fail(1, "%s", ci.err);
		else if (lrc)
			rc = fail(1, "%s", kx_image_error(img));
	}
	if (!rc) {
		*out = img;
		img = NULL;
	}
out:
	kx_image_free(img);
	kx_memmap_free(map);
	kx_crash_info_release(&ci);
	c->opts.crash = NULL;
	free(cmdline);
	c->opts.cmdline = NULL;
	return rc;
}

static int cmd_plan(struct cli *c, const char *kernel)
{
	struct kx_image *img;
	int rc = prepare(c, kernel, &img);

	if (rc)
		return rc;
	if (c->json)
		print_plan_json(stdout, img, &c->opts);
	else
		print_plan_table(stdout, img, &c->opts);
	kx_image_free(img);
	return 0;
}

/* The lockdown mode, where the kernel is locked down. */
static bool locked_down(char *mode, size_t len)
{
	struct kx_status st;

	if (kx_kexec_status(&st) || !st.lockdown[0] ||
	    !strcmp(st.lockdown, "none"))
		return false;
	snprintf(mode, len, "%s", st.lockdown);
	return true;
}

/* The files as they are, to kexec_file_load(2): the kernel checks the
 * signature, builds the boot data and places everything itself. With
 * @enosys_quiet, a kernel without the call returns -ENOSYS and prints
 * nothing, for the caller to load its own way. */
static int file_load(struct cli *c, const char *kernel, bool enosys_quiet)
{
	struct kx_image *img;
	char *cmdline = NULL;
	int rc;

	if (!kernel)
		return fail(2, "no kernel image given");
	rc = build_cmdline(c, &cmdline);
	if (rc)
		return rc;
	if (c->opts.dtb)
		fprintf(stderr, "%s: note: --dtb %s is not used: kexec_file_load "
			"gives the new kernel the running machine's device tree\n",
			prog, c->opts.dtb);
	c->opts.kernel = kernel;
	c->opts.cmdline = cmdline;
	if (kx_image_new(&img)) {
		free(cmdline);
		return fail(1, "out of memory");
	}
	rc = kx_kexec_file_load(img, &c->opts);
	if (rc && !(rc == -ENOSYS && enosys_quiet))
		rc = fail(1, "%s", kx_image_error(img));
	kx_image_free(img);
	free(cmdline);
	c->opts.cmdline = NULL;
	return rc;
}

/* kexec_load refused: whether (and why) kexec_file_load may do it. */
static bool falls_back(struct cli *c, int rc, const char **why)
{
	struct kx_status st;

	if (c->plain_syscall)
		return false;
	kx_kexec_status(&st);
	return kx_kexec_falls_back(rc, &st, why);
}

static int cmd_load(struct cli *c, const char *kernel)
{
	struct kx_image *img;
	const char *why;
	char mode[32];
	int rc;

	if (c->opts.arch && c->opts.arch != kx_arch_host())
		return fail(2, "--arch %s: load only loads for this machine (%s)",
			    kx_arch_name(c->opts.arch), kx_arch_name(kx_arch_host()));
	if (c->fixed_random)
		return fail(2, "--fixed-random is for plans, not real loads");
	if (c->opts.efi_stub && c->file_syscall)
		return fail(2, "--efi-stub starts the PE in kexload's purgatory; "
			    "kexec_file_load (-s) boots the kernel its own way");
	if (c->hotplug) {
		/* The kernel rewrites the core header on hotplug only in
		 * images it loaded itself. */
		if (!kx_crash_hotplug_supported())
			return fail(2, "--hotplug: this kernel does not update "
				    "crash images on CPU or memory hotplug (no "
				    "crash_hotplug in /sys/devices/system/cpu)");
		if (c->opts.type != KX_IMAGE_CRASH)
			return fail(2, "--hotplug is for crash loads (-p)");
		c->file_syscall = true;
	}
	if (!c->file_syscall && !c->plain_syscall &&
	    locked_down(mode, sizeof(mode))) {
		fprintf(stderr, "%s: note: the kernel is locked down (%s): "
			"loading with kexec_file_load, which checks the kernel's "
			"signature\n", prog, mode);
		c->file_syscall = true;
	}
	if (c->file_syscall) {
		rc = file_load(c, kernel, true);
		if (rc != -ENOSYS)
			return rc;
		/* kdump tools pass -s on every architecture; where the
		 * kernel has no kexec_file_load, kexload's own path does the
		 * same load, unless lockdown leaves no way at all. */
		if (locked_down(mode, sizeof(mode)))
			return fail(1, "kexec_file_load: this kernel was built "
				    "without it, and it is locked down (%s), which "
				    "refuses kexec_load: no kernel can be loaded",
				    mode);
		fprintf(stderr, "%s: note: this kernel has no kexec_file_load; "
			"loading with kexec_load and kexload's purgatory\n",
			prog);
	}
	/* A load is for this machine: a kernel for another is refused. */
	c->opts.arch = kx_arch_host();
	c->opts.five_level_paging = kx_machine_five_level();
	/* x86_64's boot_params need the firmware's data; on arm64 only a
	 * PE started through its own stub does (its configuration tables):
	 * the device tree hands everything on otherwise. */
	c->system_firmware = kx_arch_host() == KX_ARCH_X86_64 ||
			     (kx_arch_host() == KX_ARCH_ARM64 && c->opts.efi_stub);
	/* Nothing reads the digests of a load without checks (but --debug,
	 * which prints the plan): do not read every input page for them. */
	c->opts.no_digests = c->opts.no_checks && !c->debug;
	if (!c->opts.dtb && !access(SYSTEM_FDT, R_OK))
		c->opts.dtb = SYSTEM_FDT;
	else if (!c->opts.dtb && !access(PROC_DT "/chosen", R_OK))
		c->opts.dtb = PROC_DT;  /* flattened by the library */
	if (!c->opts.acpi_spcr && !access(SYSTEM_SPCR, R_OK))
		c->opts.acpi_spcr = SYSTEM_SPCR;
	rc = prepare(c, kernel, &img);
	if (rc)
		return rc;
	if (c->debug)
		print_plan_table(stderr, img, &c->opts);
	rc = kx_kexec_load(img);
	if (rc && falls_back(c, rc, &why)) {
		fprintf(stderr, "%s: note: kexec_load was refused (%s): loading "
			"with kexec_file_load, which checks the kernel's "
			"signature\n", prog, why);
		kx_image_free(img);
		return file_load(c, kernel, false);
	}
	if (rc)
		rc = fail(1, "%s", kx_image_error(img));
	kx_image_free(img);
	return rc;
}

/* What kexec-tools does after a load with no action: ask the init system
 * for a clean reboot, which executes the loaded kernel at its end. */
static int cmd_shutdown(void)
{
	static const char *const paths[] = {
		"/sbin/shutdown", "/etc/shutdown", "/bin/shutdown",
	};
	char *const args[] = { "shutdown", "-r", "now", NULL };

	fflush(NULL);
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		execv(paths[i], args);
	return fail(1, "loaded, but cannot run shutdown -r now (%s): reboot "
		    "cleanly, or run kexec -e", strerror(errno));
}

static int cmd_exec(struct cli *c)
{
	struct kx_image *img;
	int rc;

	if (kx_image_new(&img))
		return fail(1, "out of memory");
	kx_kexec_exec(img, c->no_sync);
	rc = fail(1, "%s", kx_image_error(img));
	kx_image_free(img);
	return rc;
}

static int cmd_unload(struct cli *c)
{
	struct kx_image *img;
	int rc = 0;

	if (kx_image_new(&img))
		return fail(1, "out of memory");
	if (kx_kexec_unload(img, c->opts.type))
		rc = fail(1, "%s", kx_image_error(img));
	kx_image_free(img);
	return rc;
}

static int cmd_status(struct cli *c)
{
	struct kx_status st;
	int rc = kx_kexec_status(&st);

	if (rc)
		return fail(1, "cannot read /sys/kernel/kexec_loaded: %s "
			    "(kernel without CONFIG_KEXEC?)", strerror(-rc));
	print_status(stdout, &st, c->json);
	/* kexec -S: exit status says whether a kernel is loaded (with -p,
	 * a crash kernel) */
	if (!c->kexec_spelling)
		return 0;
	return (c->opts.type == KX_IMAGE_CRASH ? st.crash_loaded : st.loaded) ?
		       0 : 1;
}

/* kexec --print-ckr-size: the crash kernel reservation's size. */
static int cmd_ckr_size(void)
{
	struct kx_status st;
	int rc = kx_kexec_status(&st);

	if (rc)
		return fail(1, "cannot read /sys/kernel/kexec_crash_size: %s",
			    strerror(-rc));
	printf("%" PRIu64 "\n", st.crash_size);
	return 0;
}

static int cmd_inspect(struct cli *c, const char *file)
{
	struct kx_image *img;
	struct kx_info info;
	int rc;

	if (c->list_formats) {
		if (file)
			return fail(2, "inspect --formats takes no file");
		print_formats(stdout, c->json);
		return 0;
	}
	if (!file)
		return fail(2, "no file given");
	if (kx_image_new(&img))
		return fail(1, "out of memory");
	rc = c->opts.efi_stub ? kx_image_inspect_pe(img, file, &info) :
				kx_image_inspect(img, file, &info);
	if (rc)
		rc = fail(1, "%s", kx_image_error(img));
	else
		print_info(stdout, file, &info, c->json);
	kx_image_free(img);
	return rc;
}

int main(int argc, char **argv)
{
	struct cli c = { 0 };
	const char *base = strrchr(argv[0], '/');
	const char *file = NULL;
	int rc;

	base = base ? base + 1 : argv[0];
	c.kexec_spelling = !strcmp(base, "kexec");
	prog = c.kexec_spelling ? "kexec" : "kexload";
	rc = parse_args(&c, argc, argv, &file);
	if (rc)
		return rc;
	switch (c.cmd) {
	case CMD_PLAN:
		return cmd_plan(&c, file);
	case CMD_LOAD:
		return cmd_load(&c, file);
	case CMD_LOAD_SHUTDOWN:
		rc = cmd_load(&c, file);
		return rc ? rc : cmd_shutdown();
	case CMD_LOAD_EXEC:
		rc = cmd_load(&c, file);
		return rc ? rc : cmd_exec(&c);
	case CMD_EXEC:
		return cmd_exec(&c);
	case CMD_UNLOAD:
		return cmd_unload(&c);
	case CMD_STATUS:
		return cmd_status(&c);
	case CMD_CKR_SIZE:
		return cmd_ckr_size();
	case CMD_INSPECT:
		return cmd_inspect(&c, file);
	default:
		usage(stderr);
		return 2;
	}
}
