/* SPDX-License-Identifier: MIT */
/*
 * The memory map (lib/core/memmap.c): /proc/iomem text from QEMU x86 and
 * arm64 machines, as root and as other users see it, and broken; entries
 * of /sys/firmware/memmap; "--ram SIZE[@BASE]" and byte counts.
 */
#include "internal.h"
#include "tap.h"

#define RAM KX_MEM_RAM
#define RES KX_MEM_RESERVED
#define ACPI KX_MEM_ACPI
#define NVS KX_MEM_NVS
#define CRASH KX_MEM_CRASH

/* The exact ranges, in order, one check per range. */
static void check_ranges(const struct kx_memmap *map,
			 const struct kx_mem_range *want, size_t n,
			 const char *what)
{
	size_t got_n = kx_memmap_count(map);

	is_u64(got_n, n, "%s: %zu ranges", what, n);
	for (size_t i = 0; i < n && i < got_n; i++) {
		const struct kx_mem_range *r = kx_memmap_range(map, i);
		bool same = r->start == want[i].start &&
			    r->end == want[i].end && r->type == want[i].type;

		if (!ok(same, "%s: range %zu is 0x%" PRIx64 "-0x%" PRIx64 " %s",
			what, i, want[i].start, want[i].end,
			kx_mem_type_name(want[i].type)))
			diag("got 0x%" PRIx64 "-0x%" PRIx64 " %s", r->start,
			     r->end, kx_mem_type_name(r->type));
	}
	ok(kx_memmap_range(map, got_n) == NULL,
	   "%s: no range past the count", what);
}

static const char qemu_pc_1g[] =
	"00000000-00000fff : Reserved\n"
	"00001000-0009fbff : System RAM\n"
	"0009fc00-0009ffff : Reserved\n"
	"000a0000-000bffff : PCI Bus 0000:00\n"
	"000c0000-000c9bff : Video ROM\n"
	"000ca000-000cadff : Adapter ROM\n"
	"000cb000-000cb5ff : Adapter ROM\n"
	"000f0000-000fffff : Reserved\n"
	"  000f0000-000fffff : System ROM\n"
	"00100000-3ffdffff : System RAM\n"
	"  29a00000-2a801d31 : Kernel code\n"
	"  2aa00000-2b2eafff : Kernel rodata\n"
	"  2b400000-2b64897f : Kernel data\n"
	"  2bd10000-2cdfffff : Kernel bss\n"
	"3ffe0000-3fffffff : Reserved\n"
	"40000000-febfffff : PCI Bus 0000:00\n"
	"  fd000000-fdffffff : 0000:00:02.0\n"
	"  feb80000-febbffff : 0000:00:03.0\n"
	"  febc0000-febdffff : 0000:00:03.0\n"
	"  febf0000-febf0fff : 0000:00:02.0\n"
	"fec00000-fec003ff : IOAPIC 0\n"
	"fed00000-fed003ff : HPET 0\n"
	"  fed00000-fed003ff : PNP0103:00\n"
	"fee00000-fee00fff : Local APIC\n"
	"fffc0000-ffffffff : Reserved\n"
	"100000000-17fffffff : PCI Bus 0000:00\n"
	"fd00000000-ffffffffff : Reserved\n";

static const struct kx_mem_range qemu_pc_1g_want[] = {
	{ 0x0, 0xfff, RES },
	{ 0x1000, 0x9fbff, RAM },
	{ 0x9fc00, 0x9ffff, RES },
	{ 0xf0000, 0xfffff, RES },
	{ 0x100000, 0x3ffdffff, RAM },
	{ 0x3ffe0000, 0x3fffffff, RES },
	{ 0xfffc0000, 0xffffffff, RES },
	{ 0xfd00000000, 0xffffffffff, RES },
};

/* 6 GiB: RAM below the PCI hole and above 4 GiB, crashkernel=256M. */
static const char qemu_pc_6g[] =
	"00000000-0009fbff : System RAM\n"
	"0009fc00-0009ffff : Reserved\n"
	"000a0000-000bffff : PCI Bus 0000:00\n"
	"000c0000-000c9bff : Video ROM\n"
	"000ca000-000cadff : Adapter ROM\n"
	"000f0000-000fffff : Reserved\n"
	"  000f0000-000fffff : System ROM\n"
	"00100000-bffdffff : System RAM\n"
	"  a9000000-b8ffffff : Crash kernel\n"
	"bffe0000-bfffffff : Reserved\n"
	"c0000000-febfffff : PCI Bus 0000:00\n"
	"  fd000000-fdffffff : 0000:00:02.0\n"
	"fec00000-fec003ff : IOAPIC 0\n"
	"fed00000-fed003ff : HPET 0\n"
	"  fed00000-fed003ff : PNP0103:00\n"
	"fee00000-fee00fff : Local APIC\n"
	"fffc0000-ffffffff : Reserved\n"
	"100000000-1bfffffff : System RAM\n"
	"  1b4a00000-1b5801d31 : Kernel code\n"
	"  1b5a00000-1b62eafff : Kernel rodata\n"
	"  1b6400000-1b664897f : Kernel data\n"
	"  1b6d10000-1b7dfffff : Kernel bss\n"
	"1c0000000-23fffffff : PCI Bus 0000:00\n"
	"fd00000000-ffffffffff : Reserved\n";

static const struct kx_mem_range qemu_pc_6g_want[] = {
	{ 0x0, 0x9fbff, RAM },
	{ 0x9fc00, 0x9ffff, RES },
	{ 0xf0000, 0xfffff, RES },
	{ 0x100000, 0xbffdffff, RAM },
	{ 0xa9000000, 0xb8ffffff, CRASH },
	{ 0xbffe0000, 0xbfffffff, RES },
	{ 0xfffc0000, 0xffffffff, RES },
	{ 0x100000000, 0x1bfffffff, RAM },
	{ 0xfd00000000, 0xffffffffff, RES },
};

/* QEMU -M virt, 2 GiB, crashkernel=128M: RAM from 1 GiB. */
static const char arm64_virt[] =
	"09000000-09000fff : pl011@9000000\n"
	"  09000000-09000fff : pl011@9000000\n"
	"09010000-09010fff : pl031@9010000\n"
	"  09010000-09010fff : rtc-pl031\n"
	"09030000-09030fff : pl061@9030000\n"
	"0a003e00-0a003fff : a003e00.virtio_mmio\n"
	"10000000-3efeffff : pcie@10000000\n"
	"3f000000-3fffffff : PCI ECAM\n"
	"40000000-bfffffff : System RAM\n"
	"  40210000-4177ffff : Kernel code\n"
	"  41780000-41c4ffff : reserved\n"
	"  41c50000-4201ffff : Kernel data\n"
	"  48000000-483fffff : reserved\n"
	"  b6c00000-bebfffff : Crash kernel\n"
	"  bfa00000-bfbfffff : reserved\n"
	"4010000000-401fffffff : PCI ECAM\n"
	"8000000000-ffffffffff : pcie@10000000\n";

static const struct kx_mem_range arm64_virt_want[] = {
	{ 0x40000000, 0xbfffffff, RAM },
	{ 0x41780000, 0x41c4ffff, RES },
	{ 0x48000000, 0x483fffff, RES },
	{ 0xb6c00000, 0xbebfffff, CRASH },
	{ 0xbfa00000, 0xbfbfffff, RES },
};

/* q35 with OVMF: RAM split by ACPI tables and NVS; CRLF line ends. */
static const char q35_ovmf[] =
	"00000000-00000fff : Reserved\r\n"
	"00001000-0009ffff : System RAM\r\n"
	"000a0000-000fffff : Reserved\r\n"
	"  000a0000-000bffff : PCI Bus 0000:00\r\n"
	"00100000-007fffff : System RAM\r\n"
	"00800000-00807fff : ACPI Non-volatile Storage\r\n"
	"00808000-0080afff : System RAM\r\n"
	"0080b000-0080bfff : ACPI Non-volatile Storage\r\n"
	"0080c000-7e8ecfff : System RAM\r\n"
	"7e8ed000-7eb6cfff : Reserved\r\n"
	"7eb6d000-7eb7efff : ACPI Tables\r\n"
	"7eb7f000-7ebfefff : ACPI Non-volatile Storage\r\n"
	"7ebff000-7fffffff : System RAM\r\n"
	"\r\n"
	"b0000000-bfffffff : PCI MMCONFIG 0000 [bus 00-ff]\r\n"
	"ffc00000-ffffffff : Reserved\r\n";

static const struct kx_mem_range q35_ovmf_want[] = {
	{ 0x0, 0xfff, RES },
	{ 0x1000, 0x9ffff, RAM },
	{ 0xa0000, 0xfffff, RES },
	{ 0x100000, 0x7fffff, RAM },
	{ 0x800000, 0x807fff, NVS },
	{ 0x808000, 0x80afff, RAM },
	{ 0x80b000, 0x80bfff, NVS },
	{ 0x80c000, 0x7e8ecfff, RAM },
	{ 0x7e8ed000, 0x7eb6cfff, RES },
	{ 0x7eb6d000, 0x7eb7efff, ACPI },
	{ 0x7eb7f000, 0x7ebfefff, NVS },
	{ 0x7ebff000, 0x7fffffff, RAM },
	{ 0xffc00000, 0xffffffff, RES },
};

/* Other types, out of order, and the top of the address space. */
static const char odd_types[] =
	"ffffffff00000000-ffffffffffffffff : System RAM\n"
	"100000000-13fffffff : Persistent Memory (legacy)\n"
	"140000000-17fffffff : Persistent Memory\n"
	"0000000000001000-00000000000fffff : System RAM\n"
	"180000000-180000fff : Unusable memory\n"
	"00100000-3fffffff : System RAM\n";

static const struct kx_mem_range odd_types_want[] = {
	{ 0x1000, 0xfffff, RAM },
	{ 0x100000, 0x3fffffff, RAM },
	{ 0x100000000, 0x13fffffff, KX_MEM_PMEM },
	{ 0x140000000, 0x17fffffff, KX_MEM_PMEM },
	{ 0x180000000, 0x180000fff, KX_MEM_UNUSABLE },
	{ 0xffffffff00000000ULL, 0xffffffffffffffffULL, RAM },
};

static void test_iomem_good(void)
{
	static const struct {
		const char *name;
		const char *text;
		const struct kx_mem_range *want;
		size_t n;
	} cases[] = {
		{ "qemu-pc-1g", qemu_pc_1g, qemu_pc_1g_want,
		  KX_ARRAY_SIZE(qemu_pc_1g_want) },
		{ "qemu-pc-6g", qemu_pc_6g, qemu_pc_6g_want,
		  KX_ARRAY_SIZE(qemu_pc_6g_want) },
		{ "arm64-virt", arm64_virt, arm64_virt_want,
		  KX_ARRAY_SIZE(arm64_virt_want) },
		{ "q35-ovmf", q35_ovmf, q35_ovmf_want,
		  KX_ARRAY_SIZE(q35_ovmf_want) },
		{ "odd-types", odd_types, odd_types_want,
		  KX_ARRAY_SIZE(odd_types_want) },
	};

	for (size_t i = 0; i < KX_ARRAY_SIZE(cases); i++) {
		struct kx_memmap *map;
		int rc;

		if (!is_int(kx_memmap_new(&map), 0, "kx_memmap_new"))
			return;
		rc = kx_memmap_parse_iomem(map, cases[i].name, cases[i].text,
					   strlen(cases[i].text));
		is_int(rc, 0, "%s: parses", cases[i].name);
		is_str(kx_memmap_error(map), "", "%s: no message",
		       cases[i].name);
		check_ranges(map, cases[i].want, cases[i].n, cases[i].name);
		kx_memmap_free(map);
	}
}

/* Only len bytes count: text past it, and no final newline, are fine. */
static void test_iomem_len(void)
{
	static const char text[] = "00100000-3ffdffff : System RAM\n"
				   "this line is past len";
	static const struct kx_mem_range want[] = {
		{ 0x100000, 0x3ffdffff, RAM },
		{ 0x40000000, 0x4fffffff, RAM },
	};
	size_t len = strlen("00100000-3ffdffff : System RAM\n");
	struct kx_memmap *map;

	kx_memmap_new(&map);
	is_int(kx_memmap_parse_iomem(map, "cut", text, len), 0,
	       "text past len is not read");
	is_int(kx_memmap_parse_iomem(map, "no-newline",
				     "40000000-4fffffff : System RAM", 30), 0,
	       "a last line without a newline");
	check_ranges(map, want, KX_ARRAY_SIZE(want), "two parses append");
	kx_memmap_free(map);
}

static void test_iomem_bad(void)
{
	static const char long_line[] =
		"00100000-3ffdffff : System RAM with a name that goes on and "
		"on, longer than any line /proc/iomem has, past the 256 bytes "
		"the parser keeps for a line, which is a lot of bytes for a "
		"resource name, but the parser must refuse it clearly rather "
		"than cut it and read the rest as a line of its own xxxxxxxx\n";
	static const struct {
		const char *name;
		const char *text;
		size_t len;        /* 0: strlen */
		int rc;
		const char *msg;
	} cases[] = {
		{ "iomem",
		  "00000000-00000000 : Reserved\n"
		  "00000000-00000000 : System RAM\n"
		  "00000000-00000000 : Reserved\n"
		  "  00000000-00000000 : Kernel code\n"
		  "00000000-00000000 : PCI Bus 0000:00\n", 0, -EPERM,
		  "iomem: every address is zero (the kernel hides them from "
		  "users other than root); run as root, or pass --mem-map FILE "
		  "or --ram SIZE" },
		{ "garbage",
		  "00001000-0009fbff : System RAM\n"
		  "hello world\n", 0, -EINVAL,
		  "garbage:2: not a /proc/iomem line: \"hello world\"" },
		{ "no-colon", "00001000-0009fbff System RAM\n", 0, -EINVAL,
		  "no-colon:1: not a /proc/iomem line: "
		  "\"00001000-0009fbff System RAM\"" },
		{ "no-end", "\n\n00001000 : System RAM\n", 0, -EINVAL,
		  "no-end:3: not a /proc/iomem line: \"00001000 : System RAM\"" },
		{ "no-name", "00001000-0009fbff : \n", 0, -EINVAL,
		  "no-name:1: not a /proc/iomem line: \"00001000-0009fbff :\"" },
		{ "bad-hex", "0000g000-0009fbff : System RAM\n", 0, -EINVAL,
		  "bad-hex:1: not a /proc/iomem line" },
		{ "too-big", "1-10000000000000000 : System RAM\n", 0, -EINVAL,
		  "too-big:1: not a /proc/iomem line" },
		{ "long", long_line, 0, -EINVAL, "long:1: not a /proc/iomem line" },
		{ "nul", "00001000-0009fbff : System RAM\n0000\0", 36, -EINVAL,
		  "nul:2: not a /proc/iomem line" },
		{ "backwards",
		  "00001000-0009fbff : System RAM\n"
		  "0009fbff-00001000 : System RAM\n", 0, -EINVAL,
		  "backwards:2: range 0x9fbff-0x1000 ends before it starts" },
		{ "backwards-ignored",
		  "00100000-3fffffff : System RAM\n"
		  "  2000-1000 : Kernel code\n", 0, -EINVAL,
		  "backwards-ignored:2: range 0x2000-0x1000 ends before it starts" },
		{ "no-ram",
		  "00000000-00000fff : Reserved\n"
		  "000a0000-000bffff : PCI Bus 0000:00\n", 0, -EINVAL,
		  "no-ram: no System RAM in the memory map" },
		{ "nested-ram", "00000000-ffffffff : PCI Bus\n"
		  "  00100000-3fffffff : System RAM\n", 0, -EINVAL,
		  "nested-ram: no System RAM in the memory map" },
		{ "empty", "", 0, -EINVAL, "empty: no System RAM in the memory map" },
	};

	for (size_t i = 0; i < KX_ARRAY_SIZE(cases); i++) {
		struct kx_memmap *map;
		size_t len = cases[i].len ? cases[i].len : strlen(cases[i].text);

		kx_memmap_new(&map);
		is_int(kx_memmap_parse_iomem(map, cases[i].name, cases[i].text,
					     len), cases[i].rc,
		       "%s: fails with %d", cases[i].name, cases[i].rc);
		like(kx_memmap_error(map), cases[i].msg, "%s: message",
		     cases[i].name);
		kx_memmap_free(map);
	}
}

static void test_firmware_entry(void)
{
	static const struct {
		const char *name, *start, *end, *type;
		int rc;
		const char *msg;        /* NULL: success */
	} cases[] = {
		{ "memmap/0", "0x0\n", "0x9fbff\n", "System RAM\n", 0, NULL },
		{ "memmap/1", "0x9fc00\n", "0x9ffff\n", "Reserved\n", 0, NULL },
		{ "memmap/2", "0xf0000", "0xfffff", "Reserved", 0, NULL },
		{ "memmap/3", "0x100000\n", "0xbffdffff\n", "System RAM\n", 0, NULL },
		{ "memmap/4", "0xbffe0000\n", "0xbfffffff\n", "ACPI Tables\n", 0,
		  NULL },
		/* types kexload does not know are left out, not refused */
		{ "memmap/5", "0xfeffc000\n", "0xfeffffff\n", "Soft Reserved\n", 0,
		  NULL },
		{ "memmap/6", "100000000\n", "1bfffffff\n", "System RAM\n", 0, NULL },
		{ "memmap/7", "zz\n", "0x1000\n", "System RAM\n", -EINVAL,
		  "memmap/7: bad start address \"zz\n\"" },
		{ "memmap/8", "", "0x1000\n", "System RAM\n", -EINVAL,
		  "memmap/8: bad start address \"\"" },
		{ "memmap/9", "0x1000\n", "0x1fffx\n", "System RAM\n", -EINVAL,
		  "memmap/9: bad end address \"0x1fffx\n\"" },
		{ "memmap/10", "0x2000\n", "0x1fff\n", "System RAM\n", -EINVAL,
		  "memmap/10: range ends before it starts" },
	};
	static const struct kx_mem_range want[] = {
		{ 0x0, 0x9fbff, RAM },
		{ 0x9fc00, 0x9ffff, RES },
		{ 0xf0000, 0xfffff, RES },
		{ 0x100000, 0xbffdffff, RAM },
		{ 0xbffe0000, 0xbfffffff, ACPI },
		{ 0x100000000, 0x1bfffffff, RAM },
	};
	struct kx_memmap *map;

	kx_memmap_new(&map);
	for (size_t i = 0; i < KX_ARRAY_SIZE(cases); i++) {
		int rc = kx_memmap_parse_firmware_entry(map, cases[i].name,
							cases[i].start,
							cases[i].end,
							cases[i].type);

		is_int(rc, cases[i].rc, "%s: returns %d", cases[i].name,
		       cases[i].rc);
		if (cases[i].msg)
			is_str(kx_memmap_error(map), cases[i].msg,
			       "%s: message", cases[i].name);
	}
	check_ranges(map, want, KX_ARRAY_SIZE(want), "firmware memmap");
	kx_memmap_free(map);
}

static void test_parse_ram(void)
{
	static const struct {
		const char *spec;
		int rc;
		uint64_t start, end;    /* on success */
		const char *msg;        /* on failure: the whole message */
	} cases[] = {
		{ "1G", 0, 0, 0x3fffffff, NULL },
		{ "512M@0x40000000", 0, 0x40000000, 0x5fffffff, NULL },
		{ "64k@1m", 0, 0x100000, 0x10ffff, NULL },
		{ "0x1000@4096", 0, 0x1000, 0x1fff, NULL },
		{ "2T@0", 0, 0, 0x1ffffffffffULL, NULL },
		{ "1G@0xffffffffc0000000", 0, 0xffffffffc0000000ULL,
		  UINT64_MAX, NULL },
		{ "0", -EINVAL, 0, 0,
		  "--ram 0: expected SIZE[@BASE], as 1G or 512M@0x40000000" },
		{ "1X", -EINVAL, 0, 0, "--ram 1X: unexpected \"X\"" },
		{ "1G@", -EINVAL, 0, 0, "--ram 1G@: bad base address" },
		{ "1G@x", -EINVAL, 0, 0, "--ram 1G@x: bad base address" },
		{ "1G@0x40000000z", -EINVAL, 0, 0,
		  "--ram 1G@0x40000000z: unexpected \"z\"" },
		{ "", -EINVAL, 0, 0,
		  "--ram : expected SIZE[@BASE], as 1G or 512M@0x40000000" },
		{ "-1G", -EINVAL, 0, 0,
		  "--ram -1G: expected SIZE[@BASE], as 1G or 512M@0x40000000" },
		{ "16777216T", -EINVAL, 0, 0,
		  "--ram 16777216T: expected SIZE[@BASE], as 1G or 512M@0x40000000" },
		{ "18446744073709551616", -EINVAL, 0, 0,
		  "--ram 18446744073709551616: expected SIZE[@BASE], as 1G or "
		  "512M@0x40000000" },
		{ "1G@0xffffffffc0000001", -ERANGE, 0, 0,
		  "--ram 1G@0xffffffffc0000001: range wraps around" },
		{ "1G@16777216T", -EINVAL, 0, 0,
		  "--ram 1G@16777216T: bad base address" },
	};

	for (size_t i = 0; i < KX_ARRAY_SIZE(cases); i++) {
		struct kx_memmap *map;
		int rc;

		kx_memmap_new(&map);
		rc = kx_memmap_parse_ram(map, cases[i].spec);
		is_int(rc, cases[i].rc, "--ram \"%s\": returns %d",
		       cases[i].spec, cases[i].rc);
		if (!cases[i].rc) {
			struct kx_mem_range want = { cases[i].start,
						     cases[i].end, RAM };

			check_ranges(map, &want, 1, cases[i].spec);
		} else {
			is_str(kx_memmap_error(map), cases[i].msg,
			       "--ram \"%s\": message", cases[i].spec);
			is_u64(kx_memmap_count(map), 0,
			       "--ram \"%s\": adds nothing", cases[i].spec);
		}
		kx_memmap_free(map);
	}
}

static void test_parse_size(void)
{
	static const struct {
		const char *s;
		int rc;
		uint64_t v;
	} cases[] = {
		{ "0", 0, 0 },
		{ "4096", 0, 4096 },
		{ "0x1000", 0, 0x1000 },
		{ "0X1000", 0, 0x1000 },
		{ "4K", 0, 4096 },
		{ "4k", 0, 4096 },
		{ "1M", 0, 0x100000 },
		{ "3G", 0, 0xc0000000 },
		{ "2T", 0, 0x20000000000ULL },
		{ "0x10M", 0, 0x1000000 },
		{ "16777215T", 0, 0xffffff0000000000ULL },
		{ "18446744073709551615", 0, UINT64_MAX },
		{ "0xffffffffffffffff", 0, UINT64_MAX },
		{ "16777216T", -EINVAL, 0 },
		{ "18446744073709551616", -EINVAL, 0 },
		{ "0x10000000000000000", -EINVAL, 0 },
		{ "", -EINVAL, 0 },
		{ "K", -EINVAL, 0 },
		{ "-1", -EINVAL, 0 },
		{ " 1", -EINVAL, 0 },
		{ "1 ", -EINVAL, 0 },
		{ "1KB", -EINVAL, 0 },
		{ "1P", -EINVAL, 0 },
		{ "0x", -EINVAL, 0 },
		{ "12abc", -EINVAL, 0 },
	};

	for (size_t i = 0; i < KX_ARRAY_SIZE(cases); i++) {
		uint64_t v = 0xdeadbeef;
		int rc = kx_parse_size(cases[i].s, &v);

		is_int(rc, cases[i].rc, "size \"%s\": returns %d", cases[i].s,
		       cases[i].rc);
		if (!cases[i].rc)
			is_u64(v, cases[i].v, "size \"%s\"", cases[i].s);
	}
}

static void test_add_and_names(void)
{
	static const struct kx_mem_range want[] = {
		{ 0x0, 0xfff, RES },
		{ 0x1000, 0x1fff, RAM },
		{ 0x1000, 0x1000, CRASH },   /* equal starts keep their order */
		{ 0x5000, 0x5fff, RAM },
	};
	static const struct {
		enum kx_mem_type t;
		const char *name;
	} names[] = {
		{ RAM, "System RAM" },
		{ RES, "Reserved" },
		{ ACPI, "ACPI Tables" },
		{ NVS, "ACPI Non-volatile Storage" },
		{ KX_MEM_UNUSABLE, "Unusable memory" },
		{ KX_MEM_PMEM, "Persistent Memory (legacy)" },
		{ CRASH, "Crash kernel" },
		{ (enum kx_mem_type)99, "unknown" },
	};
	struct kx_memmap *map;
	bool sorted = true;

	kx_memmap_new(&map);
	is_int(kx_memmap_add(map, 0x5000, 0x5fff, RAM), 0, "add 0x5000");
	is_int(kx_memmap_add(map, 0x1000, 0x1fff, RAM), 0, "add 0x1000");
	is_int(kx_memmap_add(map, 0x0, 0xfff, RES), 0, "add 0x0");
	is_int(kx_memmap_add(map, 0x1000, 0x1000, CRASH), 0, "add 0x1000 again");
	is_int(kx_memmap_add(map, 0x3000, 0x2fff, RAM), -EINVAL,
	       "add a range that ends before it starts");
	is_str(kx_memmap_error(map),
	       "memory range 0x3000-0x2fff ends before it starts",
	       "... says so");
	check_ranges(map, want, KX_ARRAY_SIZE(want), "added ranges, sorted");
	for (size_t i = 0; i < 100; i++)
		kx_memmap_add(map, 0x100000 * (100 - i), 0x100000 * (100 - i) + 1,
			      RAM);
	is_u64(kx_memmap_count(map), 104, "the map grows past its first 32");
	for (size_t i = 1; i < kx_memmap_count(map); i++)
		sorted &= kx_memmap_range(map, i - 1)->start <=
			  kx_memmap_range(map, i)->start;
	ok(sorted, "... and stays sorted");
	kx_memmap_free(map);
	kx_memmap_free(NULL);

	for (size_t i = 0; i < KX_ARRAY_SIZE(names); i++)
		is_str(kx_mem_type_name(names[i].t), names[i].name,
		       "type %d is named \"%s\"", names[i].t, names[i].name);
}

/* A parse that fails leaves the map exactly as it was. */
static void test_iomem_all_or_nothing(void)
{
	static const char bad[] =
		"00000000-0009ffff : System RAM\n"
		"00100000-3fffffff : System RAM\n"
		"garbage\n";
	static const char blank[] = "\n\n  \n";
	struct kx_memmap *map;

	if (kx_memmap_new(&map))
		return;
	kx_memmap_add(map, 0x80000000, 0x8fffffff, KX_MEM_RAM);
	kx_memmap_add(map, 0x200000, 0x2fffff, KX_MEM_RESERVED);
	is_int(kx_memmap_parse_iomem(map, "bad", bad, strlen(bad)), -EINVAL,
	       "all or nothing: a bad third line fails");
	is_u64(kx_memmap_count(map), 2, "all or nothing: two ranges as before");
	is_u64(kx_memmap_range(map, 0)->start, 0x200000,
	       "all or nothing: first range restored");
	is_u64(kx_memmap_range(map, 1)->start, 0x80000000,
	       "all or nothing: second range restored");
	is_int(kx_memmap_parse_iomem(map, "blank", blank, strlen(blank)),
	       -EINVAL, "only blank lines: fails");
	is_str(kx_memmap_error(map), "blank: no System RAM in the memory map",
	       "only blank lines: no RAM, not a root problem");
	is_u64(kx_memmap_count(map), 2, "only blank lines: map unchanged");
	kx_memmap_free(map);
}

int main(void)
{
	test_iomem_good();
	test_iomem_len();
	test_iomem_bad();
	test_iomem_all_or_nothing();
	test_firmware_entry();
	test_parse_ram();
	test_parse_size();
	test_add_and_names();
	return done_testing();
}
