/* SPDX-License-Identifier: MIT */
/*
 * The purgatory's EFI environment (purgatory/efi/env.c), compiled for the
 * host: a hand-over block describing an arena of this process's memory as
 * RAM (two free ranges around the loader's own: the PE, the initrd, the
 * device tree), and every service exercised the way an EFI stub calls it:
 * pages at any, maximum and fixed addresses, pool, GetMemoryMap with a
 * buffer too small, the map-key rule of ExitBootServices, protocols by
 * handle, GUID and device path, LoadedImage's UTF-16 LoadOptions,
 * LoadFile2 for the initrd, the RNG, the console, configuration tables,
 * runtime services, and a service the environment does not provide;
 * then what a UKI's systemd-stub asks for: LoadImage of a small PE32+
 * built here (sections at their RVAs, a DIR64 relocation, DeviceHandle
 * and FilePath from the path) and of hostile edits of it, StartImage and
 * UnloadImage, protocols installed and uninstalled one or several at a
 * time, and LocateDevicePath finding the initrd path installed so.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "../../purgatory/efi/env.h"
#include "kexload.h"

#define PAGE 4096ULL
#define ARENA_PAGES 1024   /* 4 MiB */

static char console[8192];
static size_t nconsole;

void kx_efi_putc(char c)
{
	if (nconsole + 1 < sizeof(console))
		console[nconsole++] = c;
	console[nconsole] = '\0';
}

static void console_clear(void)
{
	nconsole = 0;
	console[0] = '\0';
}

static uint8_t *arena;
static uint64_t base;          /* the arena's address */
static struct kx_efi_handover *ho;
static struct kx_efi_env env;
static const uint8_t initrd[] = "070701 an initrd's bytes, in a cpio or not";

static uint64_t at(uint64_t page) { return base + page * PAGE; }

static void add_mem(uint32_t type, uint32_t flags, uint64_t first,
		    uint64_t pages)
{
	ho->mem[ho->nmem++] = (struct kx_efi_mem){
		.type = type, .flags = flags, .phys = at(first), .pages = pages,
		.attr = EFI_MEMORY_WB | EFI_MEMORY_WT | EFI_MEMORY_WC |
			EFI_MEMORY_UC };
}

/* Pages 0-255 free, 256-511 the PE (LoaderCode), 512-515 the initrd
 * and 516 the device tree (LoaderData), 517-1023 free. */
static void handover(const char *cmdline, bool with_initrd)
{
	static const efi_guid dtb = EFI_DTB_TABLE_GUID;

	memset(ho, 0, sizeof(*ho));
	ho->magic = KX_EFI_HANDOVER_MAGIC;
	ho->version = KX_EFI_HANDOVER_VERSION;
	ho->size = sizeof(*ho);
	ho->image_base = at(256);
	ho->image_size = 256 * PAGE;
	add_mem(EFI_CONVENTIONAL_MEMORY, 0, 0, 256);
	add_mem(EFI_LOADER_CODE, KX_EFI_MEM_LOADER, 256, 256);
	add_mem(EFI_LOADER_DATA, KX_EFI_MEM_LOADER, 512, 5);
	add_mem(EFI_CONVENTIONAL_MEMORY, 0, 517, ARENA_PAGES - 517);
	memcpy((void *)(uintptr_t)at(512), initrd, sizeof(initrd));
	if (with_initrd) {
		ho->initrd_base = at(512);
		ho->initrd_size = sizeof(initrd);
	}
	memcpy(ho->tables[0].guid, &dtb, sizeof(dtb));
	ho->tables[0].addr = at(516);
	ho->ntables = 1;
	for (int i = 0; i < KX_EFI_SEED_LEN; i++)
		ho->seed[i] = (uint8_t)(i * 7 + 1);
	snprintf(ho->cmdline, sizeof(ho->cmdline), "%s", cmdline);
}

static bool fresh(const char *cmdline, bool with_initrd)
{
	handover(cmdline, with_initrd);
	console_clear();
	return kx_efi_env_init(&env, ho) == 0;
}

static efi_boot_services *bs(void) { return env.st.boot_services; }

/* The map as GetMemoryMap gives it. */
static unsigned get_map(efi_memory_descriptor *out, unsigned max,
			uint64_t *key)
{
	static uint8_t buf[KX_EFI_MAX_DESC * 64];
	uint64_t size = sizeof(buf), dsize = 0;
	uint32_t ver = 0;
	unsigned n;

	if (bs()->get_memory_map(&size, (efi_memory_descriptor *)buf, key,
				 &dsize, &ver) || !dsize)
		return 0;
	n = (unsigned)(size / dsize);
	for (unsigned i = 0; i < n && i < max; i++)
		memcpy(&out[i], buf + i * dsize, sizeof(out[i]));
	return n;
}

static uint32_t type_at(uint64_t addr)
{
	efi_memory_descriptor d[64];
	uint64_t key;
	unsigned n = get_map(d, 64, &key);

	for (unsigned i = 0; i < n; i++)
		if (addr >= d[i].phys && addr < d[i].phys + d[i].pages * PAGE)
			return d[i].type;
	return 0xffffffff;
}

static uint64_t attr_at(uint64_t addr)
{
	efi_memory_descriptor d[64];
	uint64_t key;
	unsigned n = get_map(d, 64, &key);

	for (unsigned i = 0; i < n; i++)
		if (addr >= d[i].phys && addr < d[i].phys + d[i].pages * PAGE)
			return d[i].attr;
	return 0;
}

static uint32_t crc(const void *p, size_t n)
{
	uint32_t c;

	bs()->calculate_crc32(p, n, &c);
	return c;
}

static void test_init(void)
{
	efi_table_header h;

	handover("", false);
	ho->magic = 0;
	console_clear();
	is_int(kx_efi_env_init(&env, ho), -1, "a hand-over block without magic");
	like(console, "has no magic", "... says so on the console");
	handover("", false);
	ho->mem[1].phys = at(100);
	console_clear();
	is_int(kx_efi_env_init(&env, ho), -1, "an overlapping memory map");
	like(console, "out of order", "... says so");
	if (!ok(fresh("", false), "a sound hand-over block"))
		return;
	is_u64(env.st.hdr.signature, EFI_SYSTEM_TABLE_SIGNATURE,
	       "system table signature");
	is_u64(bs()->hdr.signature, EFI_BOOT_SERVICES_SIGNATURE,
	       "boot services signature");
	is_u64(env.st.runtime_services->hdr.signature,
	       EFI_RUNTIME_SERVICES_SIGNATURE, "runtime services signature");
	h = env.st.hdr;
	env.st.hdr.crc32 = 0;
	is_u64(crc(&env.st, sizeof(env.st)), h.crc32,
	       "the system table's CRC32 is right");
	env.st.hdr = h;
	is_u64(env.st.hdr.revision, (2u << 16) | 100u, "revision 2.10");
	ok(env.st.firmware_vendor[0] == 'k' && env.st.firmware_vendor[7] == 0,
	   "firmware vendor \"kexload\"");
}

static void test_pages(void)
{
	efi_memory_descriptor d[64];
	uint64_t key0, key, a = 0;
	unsigned n0;

	if (!fresh("", false))
		return;
	n0 = get_map(d, 64, &key0);
	is_int(n0, 4, "four ranges to start with");
	is_int((int)bs()->allocate_pages(EFI_ALLOCATE_ANY_PAGES, EFI_LOADER_DATA,
					 4, &a), 0, "AllocatePages(any)");
	is_u64(a, at(ARENA_PAGES - 4), "... the top of the highest free range");
	is_int((int)type_at(a), EFI_LOADER_DATA, "... LoaderData in the map");
	get_map(d, 64, &key);
	ok(key != key0, "... and the map key changed");
	a = at(300) - 1;
	is_int((int)bs()->allocate_pages(EFI_ALLOCATE_MAX_ADDRESS,
					 EFI_BOOT_SERVICES_DATA, 16, &a), 0,
	       "AllocatePages(max below the PE)");
	is_u64(a, at(240), "... the highest 16 free pages below it");
	a = at(100);
	is_int((int)bs()->allocate_pages(EFI_ALLOCATE_ADDRESS, EFI_LOADER_CODE,
					 8, &a), 0, "AllocatePages(address)");
	is_u64(a, at(100), "... exactly there");
	is_int((int)type_at(at(107)), EFI_LOADER_CODE, "... in the map");
	is_int((int)type_at(at(108)), EFI_CONVENTIONAL_MEMORY, "... and no more");
	a = at(104);
	ok(bs()->allocate_pages(EFI_ALLOCATE_ADDRESS, EFI_LOADER_CODE, 1, &a) ==
		   EFI_NOT_FOUND, "the same pages again: EFI_NOT_FOUND");
	a = at(300);
	ok(bs()->allocate_pages(EFI_ALLOCATE_ADDRESS, EFI_LOADER_CODE, 1, &a) ==
		   EFI_NOT_FOUND, "the loader's pages: EFI_NOT_FOUND");
	a = at(10) + 12;
	ok(bs()->allocate_pages(EFI_ALLOCATE_ADDRESS, EFI_LOADER_CODE, 1, &a) ==
		   EFI_INVALID_PARAMETER, "an unaligned address: invalid");
	a = 0;
	ok(bs()->allocate_pages(EFI_ALLOCATE_ANY_PAGES, EFI_CONVENTIONAL_MEMORY,
				1, &a) == EFI_INVALID_PARAMETER,
	   "allocating conventional memory: invalid");
	a = at(1) - 1;
	ok(bs()->allocate_pages(EFI_ALLOCATE_MAX_ADDRESS, EFI_LOADER_DATA, 2,
				&a) == EFI_NOT_FOUND,
	   "two pages below the arena's second page: not found");
	ok(bs()->allocate_pages(EFI_ALLOCATE_ANY_PAGES, EFI_LOADER_DATA, 600,
				&a) == EFI_NOT_FOUND, "more than any range: not found");
	is_int((int)bs()->free_pages(at(100), 8), 0, "FreePages");
	is_int((int)bs()->free_pages(at(240), 16), 0, "FreePages");
	is_int((int)bs()->free_pages(at(ARENA_PAGES - 4), 4), 0, "FreePages");
	is_int((int)get_map(d, 64, &key), 4, "... the map is as it was");
	ok(bs()->free_pages(at(256), 1) == EFI_NOT_FOUND,
	   "freeing the PE's pages: not found");
	ok(bs()->free_pages(at(10), 1) == EFI_NOT_FOUND,
	   "freeing free pages: not found");
}

static void test_pool(void)
{
	efi_memory_descriptor d[64];
	uint64_t key;
	void *p = NULL, *q = NULL;

	if (!fresh("", false))
		return;
	is_int((int)bs()->allocate_pool(EFI_LOADER_DATA, 100, &p), 0,
	       "AllocatePool(100)");
	is_int((int)bs()->allocate_pool(EFI_BOOT_SERVICES_DATA, 9000, &q), 0,
	       "AllocatePool(9000)");
	ok(p && q && !((uintptr_t)p % 8) && !((uintptr_t)q % 8),
	   "... 8-byte aligned");
	ok((uint64_t)(uintptr_t)p >= base &&
	   (uint64_t)(uintptr_t)p + 100 <= at(ARENA_PAGES), "... inside RAM");
	if (p && q) {
		memset(p, 0xaa, 100);
		memset(q, 0xbb, 9000);
	}
	is_int((int)type_at((uint64_t)(uintptr_t)q + 8999),
	       EFI_BOOT_SERVICES_DATA, "... typed in the map");
	is_int((int)bs()->free_pool(p), 0, "FreePool");
	is_int((int)bs()->free_pool(q), 0, "FreePool");
	is_int((int)get_map(d, 64, &key), 4, "... the map is as it was");
	ok(bs()->free_pool(p) == EFI_INVALID_PARAMETER, "FreePool twice: invalid");
}

static void test_memory_map(void)
{
	static uint8_t buf[4096];
	efi_memory_descriptor d[64];
	uint64_t size = 10, key = 0, dsize = 0, a = 0;
	uint32_t ver = 0;
	unsigned n;

	if (!fresh("", false))
		return;
	ok(bs()->get_memory_map(&size, (efi_memory_descriptor *)buf, &key,
				&dsize, &ver) == EFI_BUFFER_TOO_SMALL,
	   "GetMemoryMap into 10 bytes: EFI_BUFFER_TOO_SMALL");
	is_u64(size, 4 * dsize, "... with the size it needs");
	ok(dsize >= sizeof(efi_memory_descriptor) && ver == 1,
	   "... and the descriptor's size and version");
	is_int((int)bs()->get_memory_map(&size, (efi_memory_descriptor *)buf,
					 &key, &dsize, &ver), 0,
	       "GetMemoryMap with that size");
	n = get_map(d, 64, &key);
	ok(n == 4 && d[0].phys == base && d[0].pages == 256 &&
	   d[1].type == EFI_LOADER_CODE && d[2].type == EFI_LOADER_DATA &&
	   d[3].phys == at(517) && d[3].type == EFI_CONVENTIONAL_MEMORY,
	   "... the hand-over's map, in order");
	ok(d[0].attr & EFI_MEMORY_WB, "... with its attributes");
	bs()->allocate_pages(EFI_ALLOCATE_ADDRESS, EFI_LOADER_DATA, 1,
			     &(uint64_t){ at(600) });
	size = 4 * dsize;
	ok(bs()->get_memory_map(&size, (efi_memory_descriptor *)buf, &key,
				&dsize, &ver) == EFI_BUFFER_TOO_SMALL &&
	   size == 6 * dsize, "one allocation later it needs two more");
	(void)a;
}

static int hook_calls;

static void exit_hook(struct kx_efi_env *e)
{
	hook_calls += e == &env && e->exited && !e->st.boot_services;
}

/* A runtime region of the firmware keeps the virtual address the first
 * kernel gave it; every other descriptor says 1:1 (x86_64's kexec'ed
 * kernel maps each descriptor at its VirtualStart). */
static void test_virt(void)
{
	efi_memory_descriptor d[64];
	uint64_t key;
	unsigned n;

	handover("", false);
	ho->mem[1].type = EFI_RUNTIME_SERVICES_CODE;
	ho->mem[1].flags = 0;
	ho->mem[1].attr |= EFI_MEMORY_RUNTIME;
	ho->mem[1].virt = 0xfffffffeffa00000ULL;
	console_clear();
	if (!ok(kx_efi_env_init(&env, ho) == 0, "a map with a runtime region"))
		return;
	n = get_map(d, 64, &key);
	ok(n == 4 && d[1].virt == 0xfffffffeffa00000ULL &&
	   d[1].type == EFI_RUNTIME_SERVICES_CODE,
	   "GetMemoryMap: the runtime region at its virtual address");
	ok(d[0].virt == d[0].phys && d[3].virt == d[3].phys,
	   "... the others 1:1");
}

/* Where the first kernel booted through UEFI: the firmware's runtime
 * regions (from the map its stub left, in memory this map keeps
 * reserved, or outside RAM: a device's registers) join the map with
 * their attributes and virtual addresses, no properties table stops the
 * new kernel from calling them, the system table points at the
 * firmware's RuntimeServices once boot services are left, and a stub's
 * SetVirtualAddressMap gets the first kernel's addresses. A region over
 * free memory means the maps disagree: nothing is handed on. */
static void fw_handover(bool overlap_free)
{
	uint8_t *st = (uint8_t *)(uintptr_t)at(901);
	efi_memory_descriptor *fw = (efi_memory_descriptor *)(uintptr_t)at(902);
	uint64_t mmio = base + ARENA_PAGES * PAGE + (1ULL << 30);

	handover("", false);
	ho->mem[3].pages = 900 - 517;
	add_mem(EFI_RESERVED_MEMORY, 0, 900, 20);
	add_mem(EFI_CONVENTIONAL_MEMORY, 0, 920, ARENA_PAGES - 920);
	memset(st, 0, 128);
	*(uint64_t *)st = EFI_SYSTEM_TABLE_SIGNATURE;
	*(uint64_t *)(st + 88) = 0xfeedf000ULL;   /* its RuntimeServices */
	memset(fw, 0, 3 * sizeof(*fw));
	fw[0] = (efi_memory_descriptor){ .type = EFI_RUNTIME_SERVICES_DATA,
		.phys = overlap_free ? at(930) : at(905), .pages = 2,
		.virt = 0x40000000, .attr = EFI_MEMORY_RUNTIME | EFI_MEMORY_WB };
	fw[1] = (efi_memory_descriptor){ .type = EFI_MEMORY_MAPPED_IO,
		.phys = mmio, .pages = 1, .virt = 0x40002000,
		.attr = EFI_MEMORY_RUNTIME | EFI_MEMORY_UC };
	fw[2] = (efi_memory_descriptor){ .type = EFI_CONVENTIONAL_MEMORY,
		.phys = at(0), .pages = 10, .attr = EFI_MEMORY_WB };
	ho->flags |= KX_EFI_FW_RUNTIME;
	ho->fw_systab = at(901);
	ho->fw_mmap = at(902);
	ho->fw_mmap_size = 3 * sizeof(*fw);
	ho->fw_desc_size = sizeof(*fw);
	console_clear();
	if (!ok(kx_efi_env_init(&env, ho) == 0, "a map with the firmware's runtime"))
		return;
}

static bool has_rt_props(void)
{
	static const efi_guid g = EFI_RT_PROPERTIES_TABLE_GUID;

	for (uint64_t i = 0; i < env.st.number_of_table_entries; i++)
		if (!memcmp(&env.st.configuration_table[i].guid, &g, sizeof(g)))
			return true;
	return false;
}

static void test_fw_runtime(void)
{
	static uint8_t buf[KX_EFI_MAX_DESC * 64];
	efi_memory_descriptor d[64], *m = NULL;
	uint64_t key, size = sizeof(buf), dsize;
	uint32_t ver;
	unsigned n;

	fw_handover(false);
	ok(env.fw_handover, "the firmware's runtime services will be handed on");
	n = get_map(d, 64, &key);
	for (unsigned i = 0; i < n; i++)
		if (d[i].phys == at(905))
			m = &d[i];
	ok(m && m->type == EFI_RUNTIME_SERVICES_DATA && m->pages == 2 &&
	   m->virt == 0x40000000 && (m->attr & EFI_MEMORY_RUNTIME),
	   "its runtime data, carved out of the reserved range");
	ok(n >= 2 && d[n - 1].type == EFI_MEMORY_MAPPED_IO &&
	   d[n - 1].virt == 0x40002000,
	   "its device registers, after all RAM");
	ok(!has_rt_props(), "no properties table: all services supported");
	bs()->get_memory_map(&size, (efi_memory_descriptor *)buf, &key, &dsize,
			     &ver);
	for (unsigned i = 0; i < size / dsize; i++)   /* the stub's choice */
		((efi_memory_descriptor *)(buf + i * dsize))->virt =
			((efi_memory_descriptor *)(buf + i * dsize))->attr &
			EFI_MEMORY_RUNTIME ? 0x80000000 : 0;
	console_clear();
	is_int((int)bs()->exit_boot_services(env.image, key), 0,
	       "ExitBootServices");
	is_u64((uint64_t)(uintptr_t)env.st.runtime_services, 0xfeedf000ULL,
	       "... the system table's RuntimeServices are the firmware's");
	like(console, "runtime services handed on", "... said on the console");
	is_int((int)env.rt.set_virtual_address_map(size, dsize, ver,
						    (efi_memory_descriptor *)buf), 0,
	       "SetVirtualAddressMap, from a stub that calls it");
	m = NULL;
	for (unsigned i = 0; i < size / dsize; i++)
		if (((efi_memory_descriptor *)(buf + i * dsize))->phys == at(905))
			m = (efi_memory_descriptor *)(buf + i * dsize);
	ok(m && m->virt == 0x40000000,
	   "... the stub's map gets the first kernel's address back");

	fw_handover(true);
	ok(!env.fw_handover, "a runtime region over free memory: none handed on");
	like(console, "no runtime services handed on", "... said on the console");
	ok(has_rt_props(), "... and the properties table says none");
}

static void test_exit(void)
{
	efi_boot_services *saved;
	uint64_t key;
	efi_memory_descriptor d[64];
	efi_phys a = 0;
	efi_table_header h;

	if (!fresh("", false))
		return;
	get_map(d, 64, &key);
	bs()->allocate_pages(EFI_ALLOCATE_ANY_PAGES, EFI_LOADER_DATA, 1, &a);
	console_clear();
	ok(bs()->exit_boot_services(env.image, key) == EFI_INVALID_PARAMETER,
	   "ExitBootServices with a stale map key: invalid");
	like(console, "ExitBootServices", "... said on the console");
	ok(bs()->exit_boot_services(NULL, key + 1) == EFI_INVALID_PARAMETER,
	   "... and with another image handle");
	get_map(d, 64, &key);
	saved = bs();
	env.exit_hook = exit_hook;
	hook_calls = 0;
	is_int((int)saved->exit_boot_services(env.image, key), 0,
	       "ExitBootServices with the current key");
	is_int(hook_calls, 1, "... the architecture's hook ran once, after it");
	ok(!env.st.boot_services && !env.st.con_out && !env.st.con_in &&
	   !env.st.console_out_handle, "... boot services and consoles gone");
	h = env.st.hdr;
	env.st.hdr.crc32 = 0;
	env.st.boot_services = saved;
	{
		efi_system_table copy = env.st;

		copy.boot_services = NULL;
		is_u64(crc(&copy, sizeof(copy)), h.crc32,
		       "... the system table's CRC32 recomputed");
	}
	env.st.boot_services = NULL;
	env.st.hdr = h;
	console_clear();
	ok(saved->allocate_pages(EFI_ALLOCATE_ANY_PAGES, EFI_LOADER_DATA, 1,
				 &a) == EFI_UNSUPPORTED,
	   "AllocatePages after it: unsupported");
	like(console, "AllocatePages", "... by name on the console");
	ok(env.st.runtime_services->set_virtual_address_map(0, 48, 1, NULL) ==
		   EFI_SUCCESS, "SetVirtualAddressMap after it: accepted");
}

static void test_loaded_image(void)
{
	efi_loaded_image *li = NULL;
	const efi_guid g = EFI_LOADED_IMAGE_GUID;
	const efi_guid gop = EFI_GUID_INIT(0x9042a9de, 0x23dc, 0x4a38, 0x96,
					   0xfb, 0x7a, 0xde, 0xd0, 0x80, 0x51,
					   0x6a);
	const char *cmd = "console=ttyAMA0 kx=\xc3\xa9t\xc3\xa9";
	const efi_char16 *o;

	if (!fresh(cmd, false))
		return;
	is_int((int)bs()->handle_protocol(env.image, &g, (void **)&li), 0,
	       "HandleProtocol(image, LoadedImage)");
	if (!li)
		return;
	is_u64((uint64_t)(uintptr_t)li->image_base, at(256), "... ImageBase");
	is_u64(li->image_size, 256 * PAGE, "... ImageSize");
	ok(li->system_table == &env.st, "... SystemTable");
	/* 22 characters ("é" is one) and the NUL. */
	is_int((int)li->load_options_size, 2 * 23,
	       "... LoadOptionsSize: UTF-16 bytes with the NUL");
	o = li->load_options;
	ok(o && o[0] == 'c' && o[16] == 'k' && o[19] == 0xe9 && o[20] == 't' &&
	   o[21] == 0xe9 && o[22] == 0, "... LoadOptions: UTF-16, é as U+00E9");
	console_clear();
	ok(bs()->handle_protocol(env.image, &gop, (void **)&li) ==
		   EFI_UNSUPPORTED, "HandleProtocol(image, GOP): unsupported");
	like(console, "9042a9de-23dc-4a38-96fb-7aded080516a",
	     "... the GUID asked for is on the console");
	ok(bs()->handle_protocol((efi_handle)&li, &g, (void **)&li) ==
		   EFI_INVALID_PARAMETER, "HandleProtocol(not a handle): invalid");
	ok(bs()->open_protocol(env.image, &g, NULL, env.image, NULL,
			       EFI_OPEN_PROTOCOL_TEST_PROTOCOL) == EFI_SUCCESS,
	   "OpenProtocol(TEST_PROTOCOL)");
	li = NULL;
	ok(bs()->open_protocol(env.image, &g, (void **)&li, env.image, NULL, 2) ==
		   EFI_SUCCESS && li == &env.loaded_image, "OpenProtocol(GET)");
	is_int((int)bs()->close_protocol(env.image, &g, env.image, NULL), 0,
	       "CloseProtocol");
	if (fresh("", false))
		ok(!env.loaded_image.load_options &&
		   !env.loaded_image.load_options_size,
		   "no command line: no LoadOptions");
}

static void test_initrd(void)
{
	const efi_guid lf2 = EFI_LOAD_FILE2_GUID;
	efi_vendor_media_path path = {
		{ EFI_DP_MEDIA, EFI_DP_MEDIA_VENDOR, { 20, 0 } },
		LINUX_EFI_INITRD_MEDIA_GUID, { EFI_DP_END, EFI_DP_END_ENTIRE, { 4, 0 } },
	};
	efi_device_path *dp = &path.vendor;
	efi_handle h = NULL;
	efi_load_file2 *lf = NULL;
	uint8_t buf[256];
	uint64_t size = 0;

	if (!fresh("", true))
		return;
	is_int((int)bs()->locate_device_path(&lf2, &dp, &h), 0,
	       "LocateDevicePath(LoadFile2, the initrd media path)");
	ok(h == env.initrd && dp == &path.end, "... its handle, the path "
	   "advanced to the end node");
	is_int((int)bs()->handle_protocol(h, &lf2, (void **)&lf), 0,
	       "HandleProtocol(LoadFile2)");
	if (!lf)
		return;
	ok(lf->load_file(lf, dp, false, &size, NULL) == EFI_BUFFER_TOO_SMALL,
	   "LoadFile2 without a buffer: EFI_BUFFER_TOO_SMALL");
	is_u64(size, sizeof(initrd), "... with the initrd's size");
	size = sizeof(buf);
	is_int((int)lf->load_file(lf, dp, false, &size, buf), 0, "LoadFile2");
	ok(size == sizeof(initrd) && !memcmp(buf, initrd, sizeof(initrd)),
	   "... the initrd's bytes");
	ok(lf->load_file(lf, dp, true, &size, buf) == EFI_UNSUPPORTED,
	   "LoadFile2 with BootPolicy: unsupported");
	path.guid.d1 ^= 1;
	dp = &path.vendor;
	ok(bs()->locate_device_path(&lf2, &dp, &h) == EFI_NOT_FOUND,
	   "another vendor GUID: not found");
	path.guid.d1 ^= 1;
	if (!fresh("", false))
		return;
	dp = &path.vendor;
	ok(bs()->locate_device_path(&lf2, &dp, &h) == EFI_NOT_FOUND,
	   "no initrd: the media path is not found");
}

static void test_rng(void)
{
	const efi_guid g = EFI_RNG_GUID;
	const efi_guid raw = EFI_GUID_INIT(0xe43176d7, 0xb6e8, 0x4827, 0xb7,
					   0x84, 0x7f, 0xfd, 0xc4, 0xb6, 0x85,
					   0x61);
	efi_rng *rng = NULL;
	uint8_t a[40], b[40], want[KX_SHA256_LEN], in[KX_EFI_SEED_LEN + 8];

	if (!fresh("", false))
		return;
	is_int((int)bs()->locate_protocol(&g, NULL, (void **)&rng), 0,
	       "LocateProtocol(RNG)");
	if (!rng)
		return;
	is_int((int)rng->get_rng(rng, NULL, sizeof(a), a), 0, "GetRNG(default)");
	memcpy(in, ho->seed, KX_EFI_SEED_LEN);
	memset(in + KX_EFI_SEED_LEN, 0, 8);
	kx_sha256(in, sizeof(in), want);
	is_mem(a, want, KX_SHA256_LEN, "... SHA-256 of the seed and counter 0");
	in[KX_EFI_SEED_LEN] = 1;
	kx_sha256(in, sizeof(in), want);
	is_mem(a + 32, want, 8, "... then of counter 1");
	rng->get_rng(rng, NULL, sizeof(b), b);
	ok(memcmp(a, b, sizeof(a)), "a second call gives other bytes");
	ok(rng->get_rng(rng, &raw, 16, b) == EFI_UNSUPPORTED,
	   "GetRNG(RAW): unsupported (no named algorithm is claimed)");
	ok(rng->get_rng(rng, NULL, 0, b) == EFI_INVALID_PARAMETER,
	   "GetRNG of 0 bytes: invalid");
	handover("", false);
	ho->seed[0] ^= 0xff;
	if (!ok(kx_efi_env_init(&env, ho) == 0, "another seed"))
		return;
	bs()->locate_protocol(&g, NULL, (void **)&rng);
	rng->get_rng(rng, NULL, sizeof(b), b);
	ok(memcmp(a, b, sizeof(a)), "another seed, other bytes");
}

static void test_console(void)
{
	static const efi_char16 hello[] = { 'E', 'F', 'I', ' ', 's', 't', 'u',
					    'b', ':', ' ', 0x263a, '\r', '\n', 0 };
	efi_input_key k;

	if (!fresh("", false))
		return;
	console_clear();
	is_int((int)env.st.con_out->output_string(env.st.con_out, hello), 0,
	       "OutputString");
	is_str(console, "EFI stub: ?\n", "... on the console, ASCII, one line end");
	ok(env.st.con_out->mode && env.st.con_out->mode->max_mode == 1,
	   "... a Mode to read");
	ok(env.st.con_in->read_key_stroke(env.st.con_in, &k) == EFI_NOT_READY,
	   "ReadKeyStroke: nothing typed");
	console_clear();
	ok(env.st.con_out->clear_screen() == EFI_UNSUPPORTED,
	   "ClearScreen: unsupported");
	like(console, "SimpleTextOutput.ClearScreen: EFI_UNSUPPORTED",
	     "... by name");
}

static void test_tables(void)
{
	const efi_guid dtb = EFI_DTB_TABLE_GUID;
	const efi_guid rtp = EFI_RT_PROPERTIES_TABLE_GUID;
	const efi_guid other = EFI_GUID_INIT(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
	efi_configuration_table *t;
	efi_rt_properties_table *p = NULL;
	int x;
	uint32_t c0;

	if (!fresh("", false))
		return;
	t = env.st.configuration_table;
	is_int((int)env.st.number_of_table_entries, 2,
	       "two configuration tables");
	ok(!memcmp(&t[0].guid, &dtb, 16) &&
	   (uint64_t)(uintptr_t)t[0].table == at(516), "... the device tree");
	if (!memcmp(&t[1].guid, &rtp, 16))
		p = t[1].table;
	ok(p && p->version == 1 && p->supported == 0,
	   "... and EFI_RT_PROPERTIES_TABLE: no runtime service after the stub");
	c0 = env.st.hdr.crc32;
	is_int((int)bs()->install_configuration_table(&other, &x), 0,
	       "InstallConfigurationTable(new)");
	ok(env.st.number_of_table_entries == 3 && t[2].table == &x,
	   "... added");
	ok(env.st.hdr.crc32 != c0, "... the system table resealed");
	is_int((int)bs()->install_configuration_table(&other, &c0), 0,
	       "InstallConfigurationTable(replace)");
	ok(env.st.number_of_table_entries == 3 && t[2].table == &c0,
	   "... replaced");
	is_int((int)bs()->install_configuration_table(&dtb, NULL), 0,
	       "InstallConfigurationTable(delete)");
	ok(env.st.number_of_table_entries == 2 && !memcmp(&t[0].guid, &rtp, 16),
	   "... deleted, the rest moved up");
	ok(bs()->install_configuration_table(&dtb, NULL) == EFI_NOT_FOUND,
	   "deleting it again: not found");
}

static void test_runtime(void)
{
	const efi_guid g = EFI_GUID_INIT(0x8be4df61, 0x93ca, 0x11d2, 0xaa, 0x0d,
					 0x00, 0xe0, 0x98, 0x03, 0x2b, 0x8c);
	static const efi_char16 name[] = { 'S', 'e', 'c', 'u', 'r', 'e', 'B',
					   'o', 'o', 't', 0 };
	efi_runtime_services *rt;
	uint64_t size = 1;
	uint8_t v;

	if (!fresh("", false))
		return;
	rt = env.st.runtime_services;
	ok(rt->get_variable(name, &g, NULL, &size, &v) == EFI_NOT_FOUND,
	   "GetVariable(SecureBoot): not found");
	ok(rt->get_next_variable_name(&size, (efi_char16 *)name,
				      (efi_guid *)&g) == EFI_NOT_FOUND,
	   "GetNextVariableName: none");
	ok(rt->set_virtual_address_map(0, 48, 1, NULL) == EFI_SUCCESS,
	   "SetVirtualAddressMap: accepted");
	console_clear();
	ok(rt->set_variable(name, &g, 7, 1, &v) == EFI_UNSUPPORTED,
	   "SetVariable: unsupported (no variable store)");
	like(console, "SetVariable SecureBoot 8be4df61-93ca-11d2-aa0d-00e098032b8c: "
	     "EFI_UNSUPPORTED", "... with the variable's name and vendor");
	ok(rt->set_variable(name, &g, 7, 1, NULL) == EFI_INVALID_PARAMETER,
	   "SetVariable with a size and no data: invalid");
	{
		char b[8] = "abcdefg";

		bs()->copy_mem(b + 1, b, 5);
		is_str(b, "aabcdeg", "CopyMem over itself, forwards");
		bs()->copy_mem(b, b + 2, 5);
		is_str(b, "bcdegeg", "... and backwards");
		bs()->set_mem(b, 3, 'z');
		is_str(b, "zzzegeg", "SetMem");
	}
	console_clear();
	ok(bs()->stall() == EFI_UNSUPPORTED, "Stall: unsupported");
	like(console, "kexload efi: Stall: EFI_UNSUPPORTED", "... by name");
}

static void test_handles(void)
{
	const efi_guid gop = EFI_GUID_INIT(0x9042a9de, 0x23dc, 0x4a38, 0x96,
					   0xfb, 0x7a, 0xde, 0xd0, 0x80, 0x51,
					   0x6a);
	const efi_guid out = EFI_SIMPLE_TEXT_OUTPUT_GUID;
	efi_handle *hs = NULL;
	uint64_t n = 0;
	void *p = (void *)1;

	if (!fresh("", true))
		return;
	ok(bs()->locate_handle_buffer(EFI_BY_PROTOCOL, &gop, NULL, &n, &hs) ==
		   EFI_NOT_FOUND, "LocateHandleBuffer(GOP): not found");
	is_int((int)bs()->locate_handle_buffer(EFI_ALL_HANDLES, NULL, NULL, &n,
					       &hs), 0,
	       "LocateHandleBuffer(all)");
	is_int((int)n, 4, "... image, console, initrd, RNG");
	if (hs)
		bs()->free_pool(hs);
	is_int((int)bs()->locate_handle_buffer(EFI_BY_PROTOCOL, &out, NULL, &n,
					       &hs), 0,
	       "LocateHandleBuffer(SimpleTextOutput)");
	ok(n == 1 && hs && hs[0] == env.console, "... the console");
	ok(bs()->locate_protocol(&gop, NULL, &p) == EFI_NOT_FOUND && !p,
	   "LocateProtocol(GOP): not found, NULL");
	{
		efi_handle buf[KX_EFI_MAX_HANDLES];
		uint64_t size = 0;

		ok(bs()->locate_handle(EFI_BY_PROTOCOL, &gop, NULL, &size, buf) ==
			   EFI_NOT_FOUND, "LocateHandle(GOP): not found");
		ok(bs()->locate_handle(EFI_ALL_HANDLES, NULL, NULL, &size, buf) ==
			   EFI_BUFFER_TOO_SMALL && size == 4 * sizeof(efi_handle),
		   "LocateHandle(all) into nothing: too small, with the size");
		is_int((int)bs()->locate_handle(EFI_BY_PROTOCOL, &out, NULL,
						&size, buf), 0,
		       "LocateHandle(SimpleTextOutput)");
		ok(size == sizeof(efi_handle) && buf[0] == env.console,
		   "... the console");
		console_clear();
		ok(bs()->locate_handle(EFI_BY_REGISTER_NOTIFY, &out, NULL, &size,
				       buf) == EFI_UNSUPPORTED,
		   "LocateHandle(by notify): unsupported");
		like(console, "LocateHandle(by notify)", "... by name");
	}
}

/* What the purgatory itself does before the PE runs. */
static void test_claim(void)
{
	efi_memory_descriptor d[64];
	uint64_t key, sp, a;

	if (!fresh("", false))
		return;
	is_int(kx_efi_env_claim(&env, at(20) + 100, 3 * PAGE, EFI_LOADER_CODE), 0,
	       "the purgatory claims its pages");
	is_int((int)type_at(at(20)), EFI_LOADER_CODE, "... LoaderCode from its "
	       "first page");
	is_int((int)type_at(at(23)), EFI_LOADER_CODE, "... to its last");
	is_int((int)type_at(at(24)), EFI_CONVENTIONAL_MEMORY, "... and no more");
	ok(bs()->free_pages(at(20), 1) == EFI_NOT_FOUND,
	   "the PE cannot free them");
	a = at(21);
	ok(bs()->allocate_pages(EFI_ALLOCATE_ADDRESS, EFI_LOADER_DATA, 1, &a) ==
		   EFI_NOT_FOUND, "nor allocate them");
	is_int(kx_efi_env_claim(&env, at(300), PAGE, EFI_LOADER_CODE), -1,
	       "claiming the loader's pages fails");
	sp = kx_efi_env_stack(&env, 32);
	ok(sp && sp % PAGE == 0, "a 128 KiB stack");
	is_int((int)type_at(sp), EFI_BOOT_SERVICES_DATA, "... BootServicesData");
	is_int((int)get_map(d, 64, &key), 7, "... seven ranges now");
	ok(!(attr_at(at(20)) & EFI_MEMORY_RUNTIME), "LoaderCode is not runtime");

	/* x86_64's purgatory claims itself as runtime code: the next kernel
	 * maps it 1:1 to call the environment's SetVirtualAddressMap. */
	if (!fresh("", false))
		return;
	is_int(kx_efi_env_claim(&env, at(40), 2 * PAGE,
				EFI_RUNTIME_SERVICES_CODE), 0,
	       "the purgatory claims its pages as runtime code");
	is_int((int)type_at(at(41)), EFI_RUNTIME_SERVICES_CODE,
	       "... RuntimeServicesCode");
	ok(attr_at(at(41)) & EFI_MEMORY_RUNTIME, "... with EFI_MEMORY_RUNTIME");
	ok(!(attr_at(at(42)) & EFI_MEMORY_RUNTIME), "... and no more");
}

/* The PE's entry, as the environment calls it. */
static efi_handle seen_image;
static efi_system_table *seen_st;

static efi_status EFIAPI fake_entry(efi_handle image, efi_system_table *st)
{
	seen_image = image;
	seen_st = st;
	return EFI_LOAD_ERROR;
}

static void test_start(void)
{
	if (!fresh("", false))
		return;
	ho->entry = (uint64_t)(uintptr_t)fake_entry;
	ok(kx_efi_env_start(&env) == EFI_LOAD_ERROR,
	   "the entry point's return value comes back");
	ok(seen_image == env.image && seen_st == &env.st,
	   "... it got the image handle and the system table");
}

/* ---- LoadImage: a small PE32+ built here ------------------------------- */

#define PE_FILE 0x800
#define PE_OPT 0x58           /* the optional header */
#define PE_SECS (PE_OPT + 240) /* the section table */
#define PE_BASE 0x10000ULL    /* its ImageBase */

static void le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t rdle(const uint8_t *p, int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

/* Headers in 0x400 bytes; .text at RVA 0x2000 (file 0x400), .data at
 * RVA 0x4000 (file 0x600, 0x2000 bytes in memory) holding one base
 * relocation block (DIR64 at RVA 0x4100, then an ABSOLUTE pad) and, at
 * 0x4100, a pointer to .text as linked at ImageBase. SectionAlignment
 * 0x2000, more than a page; entry at .text. */
static void small_pe(uint8_t *b)
{
	uint8_t *o = b + PE_OPT, *s = b + PE_SECS;

	memset(b, 0, PE_FILE);
	b[0] = 'M';
	b[1] = 'Z';
	le(b + 0x3c, 0x40, 4);
	memcpy(b + 0x40, "PE\0\0", 4);
	le(b + 0x44, KX_EFI_PE_MACHINE, 2);
	le(b + 0x46, 2, 2);                 /* sections */
	le(b + 0x54, 240, 2);               /* SizeOfOptionalHeader */
	le(b + 0x56, 0x22, 2);              /* executable, large address */
	le(o, 0x20b, 2);
	le(o + 16, 0x2000, 4);              /* AddressOfEntryPoint */
	le(o + 24, PE_BASE, 8);
	le(o + 32, 0x2000, 4);              /* SectionAlignment */
	le(o + 36, 0x200, 4);               /* FileAlignment */
	le(o + 56, 0x6000, 4);              /* SizeOfImage */
	le(o + 60, 0x400, 4);               /* SizeOfHeaders */
	le(o + 68, 10, 2);                  /* EFI application */
	le(o + 108, 16, 4);
	le(o + 112 + 5 * 8, 0x4000, 4);     /* base relocations */
	le(o + 112 + 5 * 8 + 4, 12, 4);
	memcpy(s, ".text", 5);
	le(s + 8, 0x10, 4);
	le(s + 12, 0x2000, 4);
	le(s + 16, 0x200, 4);
	le(s + 20, 0x400, 4);
	memcpy(s + 40, ".data", 5);
	le(s + 48, 0x2000, 4);
	le(s + 52, 0x4000, 4);
	le(s + 56, 0x200, 4);
	le(s + 60, 0x600, 4);
	memcpy(b + 0x400, "the code, or so", 16);
	le(b + 0x600, 0x4000, 4);           /* block: page RVA, size */
	le(b + 0x604, 12, 4);
	le(b + 0x608, 10 << 12 | 0x100, 2); /* DIR64 at 0x4100 */
	le(b + 0x60a, 0, 2);                /* ABSOLUTE: padding */
	le(b + 0x700, PE_BASE + 0x2000, 8);
}

static efi_vendor_media_path vendor_path(uint32_t d1)
{
	return (efi_vendor_media_path){
		{ EFI_DP_MEDIA, EFI_DP_MEDIA_VENDOR, { 20, 0 } },
		EFI_GUID_INIT(d1, 0x04cd, 0x46b5, 0x8a, 0x20, 0xe5, 0x6c, 0xbb,
			      0x30, 0x52, 0xd0),
		{ EFI_DP_END, EFI_DP_END_ENTIRE, { 4, 0 } },
	};
}

static void test_load_image(void)
{
	const efi_guid lig = EFI_LOADED_IMAGE_GUID;
	static uint8_t pe[PE_FILE];
	efi_vendor_media_path path = vendor_path(0x55c5d1f8);
	efi_memory_descriptor d[64];
	efi_loaded_image *li = NULL;
	efi_handle h = NULL;
	uint64_t key, base;
	const uint8_t *img;

	if (!fresh("", false))
		return;
	small_pe(pe);
	is_int((int)bs()->load_image(false, env.image, &path.vendor, pe,
				     sizeof(pe), &h), 0,
	       "LoadImage from a buffer");
	if (!ok(h && bs()->handle_protocol(h, &lig, (void **)&li) == 0 && li,
		"... a new handle with LoadedImage"))
		return;
	base = (uint64_t)(uintptr_t)li->image_base;
	img = li->image_base;
	ok(base >= at(0) && base + 0x6000 <= at(ARENA_PAGES) && base % 0x2000 == 0,
	   "... in the arena, at its SectionAlignment (0x2000)");
	is_u64(li->image_size, 0x6000, "... ImageSize is SizeOfImage");
	is_int((int)type_at(base), EFI_LOADER_CODE, "... LoaderCode in the map");
	is_int((int)type_at(base + 0x5fff), EFI_LOADER_CODE, "... all of it");
	ok(!memcmp(img + 0x2000, "the code, or so", 16),
	   ".text at its RVA");
	ok(img[0] == 'M' && img[1] == 'Z' && img[0x3ff] == 0, "... the headers too");
	is_u64(rdle(img + 0x4100, 8), base + 0x2000,
	       "the DIR64 relocation moved the pointer by the load's delta");
	is_u64(rdle(img + 0x5ff8, 8), 0, ".data's tail beyond its file bytes is zero");
	is_u64(rdle(img + PE_OPT + 24, 8), base,
	       "the headers' ImageBase says where it is");
	ok(li->parent == env.image && li->system_table == &env.st,
	   "ParentHandle and SystemTable");
	ok(!li->device, "DeviceHandle: none (no handle has that vendor path)");
	ok(li->file_path && li->file_path != &path.vendor &&
	   !memcmp(li->file_path, &path, sizeof(path)),
	   "FilePath: a copy of the whole path");
	ok(li->image_code_type == EFI_LOADER_CODE &&
	   li->image_data_type == EFI_LOADER_DATA, "an application's memory types");
	is_int((int)bs()->unload_image(h), 0, "UnloadImage");
	is_int((int)get_map(d, 64, &key), 4, "... the map is as it was");
	ok(bs()->handle_protocol(h, &lig, (void **)&li) == EFI_INVALID_PARAMETER,
	   "... and the handle is gone");
	ok(bs()->unload_image(h) == EFI_INVALID_PARAMETER,
	   "UnloadImage again: invalid");
	ok(bs()->unload_image(env.image) == EFI_INVALID_PARAMETER,
	   "UnloadImage of the environment's own image: invalid");
	h = NULL;
	ok(bs()->load_image(false, NULL, NULL, pe, sizeof(pe), &h) ==
		   EFI_INVALID_PARAMETER && !h, "LoadImage with no parent: invalid");
	console_clear();
	ok(bs()->load_image(false, env.image, &path.vendor, NULL, 0, &h) ==
		   EFI_UNSUPPORTED, "LoadImage from a device path: unsupported");
	like(console, "LoadImage(from a device path): EFI_UNSUPPORTED",
	     "... by name");
}

/* A device handle: a path that begins with one installed gives its
 * handle as DeviceHandle and the rest as FilePath. */
static void test_load_image_device(void)
{
	const efi_guid dpg = EFI_DEVICE_PATH_GUID;
	static uint8_t pe[PE_FILE];
	efi_vendor_media_path dev = vendor_path(0xdead);
	struct {
		efi_device_path vendor;
		efi_guid guid;
		efi_device_path file;
		efi_guid fguid;
		efi_device_path end;
	} __attribute__((packed)) full = {
		dev.vendor, dev.guid, dev.vendor, vendor_path(0xbeef).guid,
		dev.end,
	};
	efi_handle dh = NULL, h = NULL;
	efi_loaded_image *li = NULL;
	const efi_guid lig = EFI_LOADED_IMAGE_GUID;

	if (!fresh("", false))
		return;
	small_pe(pe);
	is_int((int)bs()->install_protocol_interface(&dh, &dpg,
						     EFI_NATIVE_INTERFACE, &dev),
	       0, "InstallProtocolInterface(a new handle, DevicePath)");
	is_int((int)bs()->load_image(false, env.image, &full.vendor, pe,
				     sizeof(pe), &h), 0,
	       "LoadImage from a path under it");
	bs()->handle_protocol(h, &lig, (void **)&li);
	ok(li && li->device == dh, "... DeviceHandle is that handle");
	ok(li && li->file_path && !memcmp(li->file_path, &full.file, 24),
	   "... FilePath the rest of the path");
}

/* Hostile PEs: each edit of the small PE, what LoadImage says, and that
 * nothing is left allocated. */
struct pe_case {
	const char *name;
	unsigned off, width;
	uint64_t value;
	efi_status want;
	const char *msg;
};

static const struct pe_case pe_cases[] = {
	{ "no MZ", 0, 2, 0, EFI_LOAD_ERROR, "no MZ header" },
	{ "e_lfanew past the end", 0x3c, 4, 0x7fff0, EFI_LOAD_ERROR,
	  "no PE signature" },
	{ "another machine", 0x44, 2, 0x5064, EFI_UNSUPPORTED,
	  "a PE for another machine" },
	{ "PE32", PE_OPT, 2, 0x10b, EFI_UNSUPPORTED, "not a PE32+" },
	{ "a boot service driver", PE_OPT + 68, 2, 11, EFI_UNSUPPORTED,
	  "not an EFI application" },
	{ "optional header past the end", 0x54, 2, 0xf000, EFI_LOAD_ERROR,
	  "a truncated optional header" },
	{ "SectionAlignment 0x3000", PE_OPT + 32, 4, 0x3000, EFI_LOAD_ERROR,
	  "SectionAlignment is not a power of two" },
	{ "SizeOfImage 2 GiB", PE_OPT + 56, 4, 0x80000000, EFI_LOAD_ERROR,
	  "SizeOfImage or SizeOfHeaders out of bounds" },
	{ "SizeOfHeaders past the file", PE_OPT + 60, 4, 0x1000, EFI_LOAD_ERROR,
	  "SizeOfImage or SizeOfHeaders out of bounds" },
	{ "256 sections", 0x46, 2, 256, EFI_LOAD_ERROR,
	  "a section table outside the headers" },
	{ "17 data directories", PE_OPT + 108, 4, 17, EFI_LOAD_ERROR,
	  "too many data directories" },
	{ "entry outside", PE_OPT + 16, 4, 0x6000, EFI_LOAD_ERROR,
	  "an entry point outside the image" },
	{ "section data past the file", PE_SECS + 40 + 20, 4, 0x700,
	  EFI_LOAD_ERROR, "a section's data outside the buffer" },
	{ "section past SizeOfImage", PE_SECS + 40 + 8, 4, 0x2001,
	  EFI_LOAD_ERROR, "a section over the headers or past SizeOfImage" },
	{ "section over the headers", PE_SECS + 12, 4, 0x200, EFI_LOAD_ERROR,
	  "a section over the headers or past SizeOfImage" },
	{ "relocations past the image", PE_OPT + 112 + 40, 4, 0x5ff8,
	  EFI_LOAD_ERROR, "base relocations outside the image" },
	{ "relocation block too long", 0x604, 4, 16, EFI_LOAD_ERROR,
	  "a base relocation block out of bounds" },
	{ "a HIGHLOW relocation", 0x608, 2, 3 << 12 | 0x100, EFI_UNSUPPORTED,
	  "a base relocation that is not DIR64" },
	{ "a relocation at the image's end", 0x600, 4, 0x5000 + 0xffc - 0x100,
	  EFI_LOAD_ERROR, "a base relocation outside the image" },
};

static void test_load_image_hostile(void)
{
	static uint8_t pe[PE_FILE];
	efi_memory_descriptor d[64];
	uint64_t key;
	char msg[200];

	for (size_t i = 0; i < sizeof(pe_cases) / sizeof(pe_cases[0]); i++) {
		const struct pe_case *c = &pe_cases[i];
		efi_handle h = NULL;
		efi_status s;

		if (!fresh("", false))
			return;
		small_pe(pe);
		le(pe + c->off, c->value, (int)c->width);
		s = bs()->load_image(false, env.image, NULL, pe, sizeof(pe), &h);
		snprintf(msg, sizeof(msg), "%s: refused (status 0x%llx)", c->name,
			 (unsigned long long)c->want);
		ok(s == c->want && !h, msg);
		snprintf(msg, sizeof(msg), "kexload efi: LoadImage: %s", c->msg);
		like(console, msg, "... the reason on the console");
		ok(get_map(d, 64, &key) == 4 && d[3].type == EFI_CONVENTIONAL_MEMORY,
		   "... nothing left allocated");
	}
	/* A truncated file: each prefix of the headers is refused. */
	small_pe(pe);
	if (!fresh("", false))
		return;
	{
		int refused = 0;

		for (uint64_t n = 0; n < 0x400; n += 8) {
			efi_handle h = NULL;

			refused += bs()->load_image(false, env.image, NULL, pe, n,
						    &h) != EFI_SUCCESS;
		}
		is_int(refused, 0x400 / 8, "every cut inside the headers is refused");
	}
}

/* StartImage: the arena is not executable, so the loaded image's entry
 * is pointed at a function here. */
static efi_handle started_with;
static int entered;

static efi_status EFIAPI image_entry(efi_handle image, efi_system_table *st)
{
	const efi_guid lig = EFI_LOADED_IMAGE_GUID;
	efi_loaded_image *li = NULL;

	entered++;
	started_with = image;
	if (st->boot_services->handle_protocol(image, &lig, (void **)&li) ||
	    !li || li->parent != env.image)
		return EFI_INVALID_PARAMETER;
	return EFI_ACCESS_DENIED;   /* any status: StartImage hands it back */
}

static void test_start_image(void)
{
	static uint8_t pe[PE_FILE];
	efi_memory_descriptor d[64];
	uint64_t key, exit_size = 99;
	efi_char16 *exit_data = (efi_char16 *)1;
	efi_handle h = NULL;

	if (!fresh("", false))
		return;
	small_pe(pe);
	if (bs()->load_image(false, env.image, NULL, pe, sizeof(pe), &h))
		return;
	for (unsigned i = 0; i < KX_EFI_MAX_IMAGES; i++)
		if (env.images[i].handle == h)
			env.images[i].entry = (uint64_t)(uintptr_t)image_entry;
	ok(bs()->start_image(h, &exit_size, &exit_data) == EFI_ACCESS_DENIED,
	   "StartImage: the image's own status comes back");
	ok(entered == 1 && started_with == h,
	   "... its entry ran once, with its own handle and LoadedImage");
	ok(exit_size == 0 && !exit_data, "... no exit data");
	is_int((int)get_map(d, 64, &key), 4,
	       "... an application that returned is unloaded: the map as it was");
	ok(bs()->start_image(h, NULL, NULL) == EFI_INVALID_PARAMETER,
	   "StartImage of it again: invalid");
	ok(bs()->start_image(env.image, NULL, NULL) == EFI_INVALID_PARAMETER,
	   "StartImage of the environment's own image: invalid");
	if (!fresh("", false) ||
	    bs()->load_image(false, env.image, NULL, pe, sizeof(pe), &h))
		return;
	get_map(d, 64, &key);
	is_int((int)bs()->exit_boot_services(h, key), 0,
	       "ExitBootServices with a loaded image's handle (a UKI's kernel)");
}

/* What systemd-stub does with its initrd: a new handle with the initrd's
 * device path and LoadFile2, found by the kernel's stub through
 * LocateDevicePath, and taken off if the kernel returns. */
static void test_install_multiple(void)
{
	const efi_guid dpg = EFI_DEVICE_PATH_GUID;
	const efi_guid lf2 = EFI_LOAD_FILE2_GUID;
	const efi_guid rng = EFI_RNG_GUID;
	efi_vendor_media_path initrd_path = {
		{ EFI_DP_MEDIA, EFI_DP_MEDIA_VENDOR, { 20, 0 } },
		LINUX_EFI_INITRD_MEDIA_GUID, { EFI_DP_END, EFI_DP_END_ENTIRE, { 4, 0 } },
	};
	efi_vendor_media_path same = initrd_path;
	efi_device_path *dp = &initrd_path.vendor;
	efi_load_file2 loader = { NULL }, other = { NULL };
	efi_handle h = NULL, h2 = NULL, found = NULL;
	void *p = NULL;

	if (!fresh("", false))
		return;
	ok(bs()->locate_device_path(&lf2, &dp, &found) == EFI_NOT_FOUND,
	   "without --initrd no initrd media path is there");
	is_int((int)bs()->install_multiple_protocol_interfaces(
		       &h, &dpg, &initrd_path, &lf2, &loader, NULL), 0,
	       "InstallMultipleProtocolInterfaces(new handle, DevicePath, LoadFile2)");
	ok(h != NULL, "... a new handle");
	dp = &initrd_path.vendor;
	is_int((int)bs()->locate_device_path(&lf2, &dp, &found), 0,
	       "LocateDevicePath(LoadFile2, the initrd media path) finds it");
	ok(found == h && dp == &initrd_path.end, "... that handle, the path at its end");
	ok(bs()->handle_protocol(h, &lf2, &p) == 0 && p == &loader,
	   "HandleProtocol(LoadFile2) gives its interface");
	ok(bs()->install_multiple_protocol_interfaces(&h2, &dpg, &same, &lf2,
						      &other, NULL) ==
		   EFI_ALREADY_STARTED && !h2,
	   "the same device path on another handle: EFI_ALREADY_STARTED");
	ok(bs()->install_multiple_protocol_interfaces(&h, &rng, &other, &lf2,
						      &other, NULL) ==
		   EFI_INVALID_PARAMETER,
	   "a protocol the handle has already: invalid");
	ok(bs()->handle_protocol(h, &rng, &p) == EFI_UNSUPPORTED,
	   "... and the pair before it is not left installed");
	ok(bs()->uninstall_multiple_protocol_interfaces(h, &dpg, &initrd_path,
							&lf2, &other, NULL) ==
		   EFI_INVALID_PARAMETER,
	   "UninstallMultiple with another interface: invalid");
	ok(bs()->handle_protocol(h, &dpg, &p) == 0,
	   "... and nothing came off");
	is_int((int)bs()->uninstall_multiple_protocol_interfaces(
		       h, &dpg, &initrd_path, &lf2, &loader, NULL), 0,
	       "UninstallMultipleProtocolInterfaces");
	ok(bs()->handle_protocol(h, &lf2, &p) == EFI_INVALID_PARAMETER,
	   "... the handle is gone with its last protocol");
	dp = &initrd_path.vendor;
	ok(bs()->locate_device_path(&lf2, &dp, &found) == EFI_NOT_FOUND,
	   "... and LocateDevicePath finds nothing again");
	ok(bs()->uninstall_multiple_protocol_interfaces(
		   env.console, &(efi_guid)EFI_SIMPLE_TEXT_OUTPUT_GUID,
		   &env.con_out, NULL) == EFI_ACCESS_DENIED,
	   "the environment's own protocols cannot be taken off");
	is_int((int)bs()->install_protocol_interface(&h2, &rng,
						     EFI_NATIVE_INTERFACE, &other),
	       0, "InstallProtocolInterface(new handle)");
	is_int((int)bs()->uninstall_protocol_interface(h2, &rng, &other), 0,
	       "UninstallProtocolInterface");
	if (fresh("", true)) {
		h = NULL;
		ok(bs()->install_multiple_protocol_interfaces(
			   &h, &dpg, &initrd_path, &lf2, &loader, NULL) ==
			   EFI_ALREADY_STARTED,
		   "with kexload's --initrd the path is taken: EFI_ALREADY_STARTED");
	}
	if (fresh("", false)) {
		int made = 0;

		for (int i = 0; i < KX_EFI_MAX_HANDLES; i++) {
			h = NULL;
			made += !bs()->install_protocol_interface(
				&h, &rng, EFI_NATIVE_INTERFACE, &other);
		}
		is_int(made, KX_EFI_MAX_HANDLES - 3,
		       "handles up to KX_EFI_MAX_HANDLES, the environment's "
		       "three (no initrd) with them");
	}
}

int main(void)
{
	arena = aligned_alloc(PAGE, ARENA_PAGES * PAGE);
	ho = calloc(1, sizeof(*ho));
	if (!arena || !ho)
		return 1;
	base = (uint64_t)(uintptr_t)arena;
	test_init();
	test_pages();
	test_pool();
	test_memory_map();
	test_virt();
	test_fw_runtime();
	test_exit();
	test_loaded_image();
	test_initrd();
	test_rng();
	test_console();
	test_tables();
	test_runtime();
	test_handles();
	test_claim();
	test_start();
	test_load_image();
	test_load_image_device();
	test_load_image_hostile();
	test_start_image();
	test_install_multiple();
	free(arena);
	free(ho);
	return done_testing();
}
