/* SPDX-License-Identifier: MIT */
/*
 * The purgatory's EFI environment (see env.h), following UEFI 2.10:
 * section 4 (tables), 7.2 (memory allocation services, GetMemoryMap),
 * 7.3 (protocol handler services), 7.4 (ExitBootServices), 8 (runtime
 * services), 9.1 (LoadedImage), 10 (device paths), 12.3/12.4 (console),
 * 13.2 (LoadFile2), 37.5 (RNG). UEFI services take no context, so the
 * one environment of a purgatory run is this file's `E`.
 */
#include "env.h"
#include "kexload.h"   /* kx_sha256, for the RNG */

#define ALLOCATED 0x80000000u   /* internal: a range the PE allocated */
#define DESC_SIZE 48            /* more than the struct, as firmware does */
#define POOL_MAGIC 0x6c6f6f7078656b00ULL
#define POOL_HEADER 16
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* purgatory/common/string.c's, or the host's libc in the unit test. */
void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

/* Rows of a table moved within it, either way round (the purgatories'
 * string.c has no memmove). */
static void move(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	if (d < s)
		for (size_t i = 0; i < n; i++)
			d[i] = s[i];
	else
		while (n--)
			d[n] = s[n];
}

static struct kx_efi_env *E;

/* ---- console and trace ------------------------------------------------ */

static void puts_(const char *s)
{
	while (*s)
		kx_efi_putc(*s++);
}

static void puthex(uint64_t v)
{
	puts_("0x");
	for (int i = 60; i >= 0; i -= 4)   /* no leading zeros */
		if ((v >> i) || !i)
			kx_efi_putc("0123456789abcdef"[(v >> i) & 0xf]);
}

static void puthexn(uint64_t v, int digits)
{
	while (digits--)
		kx_efi_putc("0123456789abcdef"[(v >> (4 * digits)) & 0xf]);
}

/* The registry form, 8-4-4-4-12, from the fields (any byte order). */
static void putguid(const efi_guid *g)
{
	if (!g) {
		puts_("(null)");
		return;
	}
	puthexn(g->d1, 8);
	kx_efi_putc('-');
	puthexn(g->d2, 4);
	kx_efi_putc('-');
	puthexn(g->d3, 4);
	kx_efi_putc('-');
	for (int i = 0; i < 8; i++) {
		if (i == 2)
			kx_efi_putc('-');
		puthexn(g->d4[i], 2);
	}
}

static const char *status_name(efi_status s)
{
	switch (s) {
	case EFI_SUCCESS: return "ok";
	case EFI_INVALID_PARAMETER: return "EFI_INVALID_PARAMETER";
	case EFI_UNSUPPORTED: return "EFI_UNSUPPORTED";
	case EFI_BUFFER_TOO_SMALL: return "EFI_BUFFER_TOO_SMALL";
	case EFI_NOT_READY: return "EFI_NOT_READY";
	case EFI_OUT_OF_RESOURCES: return "EFI_OUT_OF_RESOURCES";
	case EFI_NOT_FOUND: return "EFI_NOT_FOUND";
	default: return "error";
	}
}

/* A service's answer: on the console when tracing, or always (@loud). */
static efi_status answer(const char *name, const efi_guid *g, uint64_t v,
			 efi_status s, bool loud)
{
	if (E->trace || loud) {
		puts_("kexload efi: ");
		puts_(name);
		if (g) {
			kx_efi_putc(' ');
			putguid(g);
		}
		if (v) {
			kx_efi_putc(' ');
			puthex(v);
		}
		puts_(": ");
		puts_(status_name(s));
		kx_efi_putc('\n');
	}
	return s;
}

static efi_status after_exit(const char *name)
{
	return answer(name, NULL, 0, EFI_UNSUPPORTED, true);
}

/* ---- the unsupported services ------------------------------------------ */

#define UNSUPPORTED(fn, label) \
	static efi_status EFIAPI fn(void) \
	{ \
		return answer(label, NULL, 0, EFI_UNSUPPORTED, true); \
	}

UNSUPPORTED(u_create_event, "CreateEvent")
UNSUPPORTED(u_set_timer, "SetTimer")
UNSUPPORTED(u_wait_for_event, "WaitForEvent")
UNSUPPORTED(u_signal_event, "SignalEvent")
UNSUPPORTED(u_close_event, "CloseEvent")
UNSUPPORTED(u_check_event, "CheckEvent")
UNSUPPORTED(u_reinstall_protocol, "ReinstallProtocolInterface")
UNSUPPORTED(u_register_notify, "RegisterProtocolNotify")
UNSUPPORTED(u_exit, "Exit")
UNSUPPORTED(u_monotonic, "GetNextMonotonicCount")
UNSUPPORTED(u_stall, "Stall")
UNSUPPORTED(u_watchdog, "SetWatchdogTimer")
UNSUPPORTED(u_connect, "ConnectController")
UNSUPPORTED(u_disconnect, "DisconnectController")
UNSUPPORTED(u_open_info, "OpenProtocolInformation")
UNSUPPORTED(u_per_handle, "ProtocolsPerHandle")
UNSUPPORTED(u_create_event_ex, "CreateEventEx")
UNSUPPORTED(u_get_time, "GetTime")
UNSUPPORTED(u_set_time, "SetTime")
UNSUPPORTED(u_get_wakeup, "GetWakeupTime")
UNSUPPORTED(u_set_wakeup, "SetWakeupTime")
UNSUPPORTED(u_convert_pointer, "ConvertPointer")
UNSUPPORTED(u_high_monotonic, "GetNextHighMonotonicCount")
UNSUPPORTED(u_reset_system, "ResetSystem")
UNSUPPORTED(u_update_capsule, "UpdateCapsule")
UNSUPPORTED(u_capsule_caps, "QueryCapsuleCapabilities")
UNSUPPORTED(u_variable_info, "QueryVariableInfo")
UNSUPPORTED(u_test_string, "SimpleTextOutput.TestString")
UNSUPPORTED(u_query_mode, "SimpleTextOutput.QueryMode")
UNSUPPORTED(u_set_mode, "SimpleTextOutput.SetMode")
UNSUPPORTED(u_set_attribute, "SimpleTextOutput.SetAttribute")
UNSUPPORTED(u_clear_screen, "SimpleTextOutput.ClearScreen")
UNSUPPORTED(u_set_cursor, "SimpleTextOutput.SetCursorPosition")
UNSUPPORTED(u_enable_cursor, "SimpleTextOutput.EnableCursor")

/* ---- CRC32 (the tables' headers, CalculateCrc32) -------------------------- */

static uint32_t crc32(const void *data, uint64_t len)
{
	const uint8_t *p = data;
	uint32_t c = 0xffffffffu;

	while (len--) {
		c ^= *p++;
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
	}
	return ~c;
}

static void seal(efi_table_header *h)
{
	h->crc32 = 0;
	h->crc32 = crc32(h, h->header_size);
}

static efi_status EFIAPI calculate_crc32(const void *data, uint64_t size,
					 uint32_t *crc)
{
	if (!data || !size || !crc)
		return answer("CalculateCrc32", NULL, 0, EFI_INVALID_PARAMETER,
			      false);
	*crc = crc32(data, size);
	return answer("CalculateCrc32", NULL, size, EFI_SUCCESS, false);
}

static void EFIAPI copy_mem(void *dst, const void *src, uint64_t len)
{
	move(dst, src, (size_t)len);   /* CopyMem allows overlap */
}

static void EFIAPI set_mem(void *dst, uint64_t len, uint8_t v)
{
	memset(dst, v, (size_t)len);
}

static efi_tpl EFIAPI raise_tpl(efi_tpl tpl)
{
	/* One CPU, no events, no interrupts: every level is the same. */
	(void)tpl;
	return 4;   /* TPL_APPLICATION */
}

static void EFIAPI restore_tpl(efi_tpl tpl)
{
	(void)tpl;
}

/* ---- the memory map ------------------------------------------------------ */

static uint64_t end_of(const struct kx_efi_mem *m)
{
	return m->phys + m->pages * EFI_PAGE_SIZE;
}

/* Can @b join @a, which it follows? */
static bool same_kind(const struct kx_efi_mem *a, const struct kx_efi_mem *b)
{
	return a->type == b->type && a->attr == b->attr && a->flags == b->flags &&
	       (a->virt ? a->virt + a->pages * EFI_PAGE_SIZE == b->virt : !b->virt);
}

/* Joins neighbours of one kind, so that a freed range becomes one free
 * range again. The map stays sorted by address. */
static void coalesce(void)
{
	unsigned out = 0;

	for (unsigned i = 0; i < E->nmap; i++) {
		struct kx_efi_mem *prev = out ? &E->map[out - 1] : NULL;

		if (prev && same_kind(prev, &E->map[i]) &&
		    end_of(prev) == E->map[i].phys)
			prev->pages += E->map[i].pages;
		else
			E->map[out++] = E->map[i];
	}
	E->nmap = out;
}

/* Makes [start, start + pages) of descriptor @i a descriptor of its own
 * with @type and @flags; the rest of @i keeps its kind. */
static efi_status carve(unsigned i, uint64_t start, uint64_t pages,
			uint32_t type, uint32_t flags)
{
	struct kx_efi_mem d = E->map[i];
	uint64_t before = (start - d.phys) / EFI_PAGE_SIZE;
	uint64_t after = d.pages - before - pages;
	unsigned extra = (before != 0) + (after != 0);

	if (E->nmap + extra > KX_EFI_MAX_DESC)
		return EFI_OUT_OF_RESOURCES;
	move(&E->map[i + 1 + extra], &E->map[i + 1],
		(E->nmap - i - 1) * sizeof(E->map[0]));
	E->nmap += extra;
	if (before) {
		E->map[i] = d;
		E->map[i++].pages = before;
	}
	/* Runtime code or data is mapped by the next kernel too
	 * (UEFI 2.10 7.2.3): it carries EFI_MEMORY_RUNTIME. */
	E->map[i] = (struct kx_efi_mem){ .type = type, .flags = flags,
		.phys = start, .pages = pages,
		.attr = d.attr | (type == EFI_RUNTIME_SERVICES_CODE ||
				  type == EFI_RUNTIME_SERVICES_DATA ?
				  EFI_MEMORY_RUNTIME : 0) };
	if (after) {
		E->map[++i] = d;
		E->map[i].phys = start + pages * EFI_PAGE_SIZE;
		E->map[i].pages = after;
	}
	coalesce();
	E->map_key++;
	return EFI_SUCCESS;
}

static bool free_range(const struct kx_efi_mem *m)
{
	return m->type == EFI_CONVENTIONAL_MEMORY && !m->flags;
}

/* The free descriptor holding [addr, addr + pages), or -1. */
static int find_free(uint64_t addr, uint64_t pages)
{
	for (unsigned i = 0; i < E->nmap; i++)
		if (free_range(&E->map[i]) && addr >= E->map[i].phys &&
		    pages <= E->map[i].pages &&
		    (addr - E->map[i].phys) / EFI_PAGE_SIZE <=
			    E->map[i].pages - pages)
			return (int)i;
	return -1;
}

/* The highest start, a multiple of @align (a power of two, at least a
 * page), of @pages free pages ending at or below @limit (exclusive), or
 * -1. */
static int find_top(uint64_t pages, uint64_t limit, uint64_t align,
		    uint64_t *addr)
{
	int best = -1;

	for (unsigned i = 0; i < E->nmap; i++) {
		const struct kx_efi_mem *m = &E->map[i];
		uint64_t top = end_of(m) < limit ? end_of(m) : limit;
		uint64_t start;

		if (!free_range(m) || top <= m->phys ||
		    (top - m->phys) / EFI_PAGE_SIZE < pages)
			continue;
		start = (top - pages * EFI_PAGE_SIZE) & ~(align - 1);
		if (start < m->phys)
			continue;
		if (best < 0 || start > *addr) {
			best = (int)i;
			*addr = start;
		}
	}
	return best;
}

static bool allocatable(uint32_t type)
{
	return (type < EFI_MAX_MEMORY_TYPE && type != EFI_CONVENTIONAL_MEMORY &&
		type != EFI_PERSISTENT_MEMORY && type != EFI_UNACCEPTED_MEMORY) ||
	       type >= 0x70000000u;
}

static efi_status alloc(int how, uint32_t type, uint64_t pages,
			efi_phys *addr)
{
	uint64_t at = 0, limit;
	int i;

	if (!addr || !pages || !allocatable(type) || how < 0 ||
	    how > EFI_ALLOCATE_ADDRESS || pages > (1ULL << 52))
		return EFI_INVALID_PARAMETER;
	if (how == EFI_ALLOCATE_ADDRESS) {
		if (*addr % EFI_PAGE_SIZE)
			return EFI_INVALID_PARAMETER;
		at = *addr;
		i = find_free(at, pages);
	} else {
		limit = how == EFI_ALLOCATE_MAX_ADDRESS ?
				(*addr == UINT64_MAX ? UINT64_MAX :
						       (*addr + 1) & ~(EFI_PAGE_SIZE - 1)) :
				UINT64_MAX;
		i = find_top(pages, limit, EFI_PAGE_SIZE, &at);
	}
	if (i < 0)
		return EFI_NOT_FOUND;
	if (carve((unsigned)i, at, pages, type, ALLOCATED))
		return EFI_OUT_OF_RESOURCES;
	*addr = at;
	return EFI_SUCCESS;
}

static efi_status EFIAPI allocate_pages(int how, uint32_t type,
					uint64_t pages, efi_phys *addr)
{
	efi_status s;

	if (E->exited)
		return after_exit("AllocatePages");
	s = alloc(how, type, pages, addr);
	return answer(how == EFI_ALLOCATE_ADDRESS ? "AllocatePages(address)" :
		      how == EFI_ALLOCATE_MAX_ADDRESS ? "AllocatePages(max)" :
							"AllocatePages(any)",
		      NULL, s ? pages : *addr, s, false);
}

static efi_status release(efi_phys addr, uint64_t pages)
{
	for (unsigned i = 0; i < E->nmap; i++) {
		struct kx_efi_mem *m = &E->map[i];

		if (!(m->flags & ALLOCATED) || addr < m->phys ||
		    addr >= end_of(m))
			continue;
		if (addr % EFI_PAGE_SIZE || !pages ||
		    (addr - m->phys) / EFI_PAGE_SIZE + pages > m->pages)
			return EFI_INVALID_PARAMETER;
		return carve(i, addr, pages, EFI_CONVENTIONAL_MEMORY, 0);
	}
	return EFI_NOT_FOUND;
}

static efi_status EFIAPI free_pages(efi_phys addr, uint64_t pages)
{
	if (E->exited)
		return after_exit("FreePages");
	return answer("FreePages", NULL, addr, release(addr, pages), false);
}

static efi_status EFIAPI get_memory_map(uint64_t *size,
					efi_memory_descriptor *map,
					uint64_t *key, uint64_t *desc_size,
					uint32_t *desc_version)
{
	uint64_t need = (uint64_t)E->nmap * DESC_SIZE;

	if (E->exited)
		return after_exit("GetMemoryMap");
	if (!size)
		return answer("GetMemoryMap", NULL, 0, EFI_INVALID_PARAMETER,
			      false);
	if (desc_size)
		*desc_size = DESC_SIZE;
	if (desc_version)
		*desc_version = EFI_MEMORY_DESCRIPTOR_VERSION;
	if (*size < need) {
		*size = need;
		return answer("GetMemoryMap", NULL, need, EFI_BUFFER_TOO_SMALL,
			      false);
	}
	if (!map)
		return answer("GetMemoryMap", NULL, 0, EFI_INVALID_PARAMETER,
			      false);
	for (unsigned i = 0; i < E->nmap; i++) {
		efi_memory_descriptor *d =
			(efi_memory_descriptor *)((uint8_t *)map + i * DESC_SIZE);

		memset(d, 0, DESC_SIZE);
		d->type = E->map[i].type;
		d->phys = E->map[i].phys;
		d->pages = E->map[i].pages;
		d->attr = E->map[i].attr;
		/* The firmware's runtime regions where the first kernel
		 * mapped them; elsewhere 1:1 (x86_64's kexec'ed kernel maps
		 * every descriptor at its VirtualStart). */
		d->virt = E->map[i].virt ? E->map[i].virt : E->map[i].phys;
	}
	*size = need;
	if (key)
		*key = E->map_key;
	E->last_map = (uint8_t *)map;
	E->last_map_size = need;
	return answer("GetMemoryMap", NULL, E->map_key, EFI_SUCCESS, false);
}

/* Pool memory: whole pages, with a header that says how many. */
static efi_status EFIAPI allocate_pool(uint32_t type, uint64_t size,
				       void **buf)
{
	efi_phys at = 0;
	efi_status s;
	uint64_t *h;

	if (E->exited)
		return after_exit("AllocatePool");
	if (!buf || size > (1ULL << 40))
		return answer("AllocatePool", NULL, size, EFI_INVALID_PARAMETER,
			      false);
	s = alloc(EFI_ALLOCATE_ANY_PAGES, type,
		  (size + POOL_HEADER + EFI_PAGE_SIZE - 1) / EFI_PAGE_SIZE, &at);
	if (s)
		return answer("AllocatePool", NULL, size, s, false);
	h = (uint64_t *)(uintptr_t)at;
	h[0] = POOL_MAGIC;
	h[1] = (size + POOL_HEADER + EFI_PAGE_SIZE - 1) / EFI_PAGE_SIZE;
	*buf = (uint8_t *)h + POOL_HEADER;
	return answer("AllocatePool", NULL, size, EFI_SUCCESS, false);
}

static efi_status EFIAPI free_pool(void *buf)
{
	uint64_t *h = (uint64_t *)((uint8_t *)buf - POOL_HEADER);
	uint64_t at = (uint64_t)(uintptr_t)h;
	efi_status s;

	if (E->exited)
		return after_exit("FreePool");
	if (!buf || at % EFI_PAGE_SIZE || h[0] != POOL_MAGIC)
		return answer("FreePool", NULL, (uint64_t)(uintptr_t)buf,
			      EFI_INVALID_PARAMETER, false);
	s = release(at, h[1]);
	if (!s)
		h[0] = 0;
	return answer("FreePool", NULL, (uint64_t)(uintptr_t)buf, s, false);
}

/* ---- protocols and handles ---------------------------------------------- */

static const efi_guid loaded_image_guid = EFI_LOADED_IMAGE_GUID;
static const efi_guid device_path_guid = EFI_DEVICE_PATH_GUID;
static const efi_guid load_file2_guid = EFI_LOAD_FILE2_GUID;
static const efi_guid rng_guid = EFI_RNG_GUID;
static const efi_guid text_out_guid = EFI_SIMPLE_TEXT_OUTPUT_GUID;
static const efi_guid text_in_guid = EFI_SIMPLE_TEXT_INPUT_GUID;
static const efi_guid rt_properties_guid = EFI_RT_PROPERTIES_TABLE_GUID;
static const efi_guid initrd_media_guid = LINUX_EFI_INITRD_MEDIA_GUID;

static bool guid_eq(const efi_guid *a, const efi_guid *b)
{
	return !memcmp(a, b, sizeof(*a));
}

/* The handle @h names, or NULL: a slot with no protocol is no handle. */
static struct kx_efi_handle *handle_of(efi_handle h)
{
	for (unsigned i = 0; i < E->nhandles; i++)
		if (h == &E->handles[i] && E->handles[i].n)
			return &E->handles[i];
	return NULL;
}

static int protocol_index(const struct kx_efi_handle *h, const efi_guid *g)
{
	for (unsigned i = 0; i < h->n; i++)
		if (guid_eq(&h->guid[i], g))
			return (int)i;
	return -1;
}

static void *protocol_of(const struct kx_efi_handle *h, const efi_guid *g)
{
	int i = protocol_index(h, g);

	return i < 0 ? NULL : h->iface[i];
}

/* A free slot (NULL when all are handles), counted in nhandles. */
static struct kx_efi_handle *free_handle(void)
{
	for (unsigned i = 0; i < KX_EFI_MAX_HANDLES; i++) {
		if (E->handles[i].n)
			continue;
		if (i >= E->nhandles)
			E->nhandles = i + 1;
		return &E->handles[i];
	}
	return NULL;
}

static void add_protocol(struct kx_efi_handle *h, const efi_guid *g,
			 void *iface)
{
	h->guid[h->n] = *g;
	h->iface[h->n++] = iface;
}

static void remove_protocol(struct kx_efi_handle *h, unsigned i)
{
	h->n--;
	move(&h->guid[i], &h->guid[i + 1], (h->n - i) * sizeof(h->guid[0]));
	move(&h->iface[i], &h->iface[i + 1], (h->n - i) * sizeof(h->iface[0]));
}

/* The environment's own handles, made at init (the slots are there). */
static efi_handle new_handle(const efi_guid *g0, void *i0, const efi_guid *g1,
			     void *i1)
{
	struct kx_efi_handle *h = free_handle();

	add_protocol(h, g0, i0);
	if (g1)
		add_protocol(h, g1, i1);
	return h;
}

static efi_status lookup(const char *name, efi_handle handle,
			 const efi_guid *g, void **iface, bool test_only)
{
	struct kx_efi_handle *h = handle_of(handle);
	void *p;

	if (E->exited)
		return after_exit(name);
	if (!h || !g || (!iface && !test_only))
		return answer(name, g, 0, EFI_INVALID_PARAMETER, true);
	p = protocol_of(h, g);
	if (iface)
		*iface = p;
	return answer(name, g, 0, p ? EFI_SUCCESS : EFI_UNSUPPORTED, !p);
}

static efi_status EFIAPI handle_protocol(efi_handle h, const efi_guid *g,
					 void **iface)
{
	return lookup("HandleProtocol", h, g, iface, false);
}

static efi_status EFIAPI open_protocol(efi_handle h, const efi_guid *g,
				       void **iface, efi_handle agent,
				       efi_handle controller, uint32_t attrs)
{
	(void)agent;
	(void)controller;
	return lookup("OpenProtocol", h, g, iface,
		      attrs == EFI_OPEN_PROTOCOL_TEST_PROTOCOL);
}

static efi_status EFIAPI close_protocol(efi_handle h, const efi_guid *g,
					efi_handle agent, efi_handle controller)
{
	struct kx_efi_handle *k = handle_of(h);

	(void)agent;
	(void)controller;
	if (!k || !g)
		return answer("CloseProtocol", g, 0, EFI_INVALID_PARAMETER, true);
	return answer("CloseProtocol", g, 0,
		      protocol_of(k, g) ? EFI_SUCCESS : EFI_NOT_FOUND, false);
}

static efi_status EFIAPI locate_protocol(const efi_guid *g, void *reg,
					 void **iface)
{
	(void)reg;
	if (E->exited)
		return after_exit("LocateProtocol");
	if (!g || !iface)
		return answer("LocateProtocol", g, 0, EFI_INVALID_PARAMETER,
			      true);
	for (unsigned i = 0; i < E->nhandles; i++) {
		*iface = protocol_of(&E->handles[i], g);
		if (*iface)
			return answer("LocateProtocol", g, 0, EFI_SUCCESS, false);
	}
	return answer("LocateProtocol", g, 0, EFI_NOT_FOUND, true);
}

/* The handles LocateHandle and LocateHandleBuffer answer with: all, or
 * those with protocol @g; how many. */
static uint64_t matching(int search, const efi_guid *g,
			 efi_handle found[KX_EFI_MAX_HANDLES])
{
	uint64_t n = 0;

	for (unsigned i = 0; i < E->nhandles; i++)
		if (E->handles[i].n && (search == EFI_ALL_HANDLES ||
					protocol_of(&E->handles[i], g)))
			found[n++] = &E->handles[i];
	return n;
}

/* UEFI 2.10 7.3.13; no protocol notifications are registered here, so
 * a search by one is unsupported. */
static efi_status EFIAPI locate_handle(int search, const efi_guid *g,
				       void *key, uint64_t *size,
				       efi_handle *buf)
{
	efi_handle found[KX_EFI_MAX_HANDLES];
	uint64_t n;

	(void)key;
	if (E->exited)
		return after_exit("LocateHandle");
	if (search == EFI_BY_REGISTER_NOTIFY)
		return answer("LocateHandle(by notify)", g, 0, EFI_UNSUPPORTED,
			      true);
	if (!size || (search != EFI_ALL_HANDLES &&
		      (search != EFI_BY_PROTOCOL || !g)))
		return answer("LocateHandle", g, 0, EFI_INVALID_PARAMETER, true);
	n = matching(search, g, found);
	if (!n)
		return answer("LocateHandle", g, 0, EFI_NOT_FOUND, false);
	if (*size < n * sizeof(efi_handle)) {
		*size = n * sizeof(efi_handle);
		return answer("LocateHandle", g, n, EFI_BUFFER_TOO_SMALL, false);
	}
	if (!buf)
		return answer("LocateHandle", g, 0, EFI_INVALID_PARAMETER, true);
	memcpy(buf, found, (size_t)n * sizeof(efi_handle));
	*size = n * sizeof(efi_handle);
	return answer("LocateHandle", g, n, EFI_SUCCESS, false);
}

static efi_status EFIAPI locate_handle_buffer(int search, const efi_guid *g,
					      void *key, uint64_t *count,
					      efi_handle **buf)
{
	efi_handle found[KX_EFI_MAX_HANDLES];
	uint64_t n = 0;
	efi_status s;

	(void)key;
	if (E->exited)
		return after_exit("LocateHandleBuffer");
	if (!count || !buf || (search != EFI_ALL_HANDLES &&
			       (search != EFI_BY_PROTOCOL || !g)))
		return answer("LocateHandleBuffer", g, 0,
			      EFI_INVALID_PARAMETER, true);
	n = matching(search, g, found);
	if (!n)
		return answer("LocateHandleBuffer", g, 0, EFI_NOT_FOUND, true);
	s = allocate_pool(EFI_BOOT_SERVICES_DATA, n * sizeof(efi_handle),
			  (void **)buf);
	if (s)
		return answer("LocateHandleBuffer", g, 0, s, true);
	memcpy(*buf, found, (size_t)n * sizeof(efi_handle));
	*count = n;
	return answer("LocateHandleBuffer", g, n, EFI_SUCCESS, false);
}

static unsigned node_len(const efi_device_path *p)
{
	return p->length[0] | (unsigned)p->length[1] << 8;
}

static bool node_end(const efi_device_path *p)
{
	return p->type == EFI_DP_END && p->subtype == EFI_DP_END_ENTIRE;
}

/* How many bytes of @path match @mine (the whole of it, but its end
 * node), or 0. */
static unsigned path_prefix(const efi_device_path *path,
			    const efi_device_path *mine)
{
	unsigned off = 0;

	for (int nodes = 0; !node_end(mine) && nodes < 64; nodes++) {
		unsigned n = node_len(mine);

		if (n < 4 || node_len(path) != n || node_end(path) ||
		    memcmp(path, mine, n))
			return 0;
		off += n;
		path = (const efi_device_path *)((const uint8_t *)path + n);
		mine = (const efi_device_path *)((const uint8_t *)mine + n);
	}
	return node_end(mine) ? off : 0;
}

static efi_status EFIAPI locate_device_path(const efi_guid *g,
					    efi_device_path **path,
					    efi_handle *device)
{
	if (E->exited)
		return after_exit("LocateDevicePath");
	if (!g || !path || !*path || !device)
		return answer("LocateDevicePath", g, 0, EFI_INVALID_PARAMETER,
			      true);
	for (unsigned i = 0; i < E->nhandles; i++) {
		const efi_device_path *mine =
			protocol_of(&E->handles[i], &device_path_guid);
		unsigned n;

		if (!mine || !protocol_of(&E->handles[i], g))
			continue;
		n = path_prefix(*path, mine);
		if (!n)
			continue;
		*path = (efi_device_path *)((uint8_t *)*path + n);
		*device = &E->handles[i];
		return answer("LocateDevicePath", g, 0, EFI_SUCCESS, false);
	}
	return answer("LocateDevicePath", g, 0, EFI_NOT_FOUND, true);
}

/* The bytes of @path up to and with its end node, or 0 when it has none
 * within 64 nodes or a node is shorter than a node's header. */
static unsigned path_size(const efi_device_path *path)
{
	unsigned off = 0;

	for (int nodes = 0; nodes < 64; nodes++) {
		unsigned n = node_len(path);

		if (n < 4)
			return 0;
		off += n;
		if (node_end(path))
			return off;
		path = (const efi_device_path *)((const uint8_t *)path + n);
	}
	return 0;
}

/* The handle that already has device path @path, whole (UEFI 2.10
 * 7.3.16: a device path is installed once), or NULL. */
static struct kx_efi_handle *path_owner(const efi_device_path *path)
{
	unsigned n = path_size(path);

	for (unsigned i = 0; n && i < E->nhandles; i++) {
		const efi_device_path *p =
			protocol_of(&E->handles[i], &device_path_guid);

		if (p && path_size(p) == n && !memcmp(p, path, n))
			return &E->handles[i];
	}
	return NULL;
}

/* One protocol onto *@handle (a new handle when it is NULL): the checks
 * of UEFI 2.10 7.3.2 and .16, and no change on failure. */
static efi_status install(efi_handle *handle, const efi_guid *g, void *iface)
{
	struct kx_efi_handle *h;

	if (!handle || !g)
		return EFI_INVALID_PARAMETER;
	h = *handle ? handle_of(*handle) : free_handle();
	if (!h)
		return *handle ? EFI_INVALID_PARAMETER : EFI_OUT_OF_RESOURCES;
	if (protocol_index(h, g) >= 0)
		return EFI_INVALID_PARAMETER;
	if (guid_eq(g, &device_path_guid) && iface &&
	    (!path_size(iface) || path_owner(iface)))
		return path_size(iface) ? EFI_ALREADY_STARTED :
					  EFI_INVALID_PARAMETER;
	if (h->n == KX_EFI_MAX_PROTOCOLS)
		return EFI_OUT_OF_RESOURCES;
	add_protocol(h, g, iface);
	*handle = h;
	return EFI_SUCCESS;
}

/* One protocol off @handle, which must have it with @iface; a handle
 * left with none is gone. The environment's own cannot be taken. */
static efi_status uninstall(efi_handle handle, const efi_guid *g, void *iface)
{
	struct kx_efi_handle *h = handle_of(handle);
	int i;

	if (!h || !g)
		return EFI_INVALID_PARAMETER;
	i = protocol_index(h, g);
	if (i < 0 || h->iface[i] != iface)
		return EFI_NOT_FOUND;
	if (handle == E->image || handle == E->console ||
	    handle == E->initrd || handle == E->rng_handle)
		return EFI_ACCESS_DENIED;
	remove_protocol(h, (unsigned)i);
	return EFI_SUCCESS;
}

static efi_status EFIAPI install_protocol_interface(efi_handle *handle,
						    const efi_guid *g,
						    int type, void *iface)
{
	if (E->exited)
		return after_exit("InstallProtocolInterface");
	if (type != EFI_NATIVE_INTERFACE)
		return answer("InstallProtocolInterface", g, 0,
			      EFI_INVALID_PARAMETER, true);
	return answer("InstallProtocolInterface", g, 0,
		      install(handle, g, iface), false);
}

static efi_status EFIAPI uninstall_protocol_interface(efi_handle handle,
						      const efi_guid *g,
						      void *iface)
{
	if (E->exited)
		return after_exit("UninstallProtocolInterface");
	return answer("UninstallProtocolInterface", g, 0,
		      uninstall(handle, g, iface), false);
}

/* The pairs (GUID, interface) up to a NULL GUID, at most a handle's
 * worth; the count, or -1 for more. */
static int take_pairs(efi_va_list *ap, const efi_guid **g, void **iface)
{
	int n = 0;

	for (;;) {
		const efi_guid *next = efi_va_arg(*ap, const efi_guid *);

		if (!next)
			return n;
		if (n == KX_EFI_MAX_PROTOCOLS)
			return -1;
		g[n] = next;
		iface[n++] = efi_va_arg(*ap, void *);
	}
}

/* UEFI 2.10 7.3.16: all the pairs, or none of them. */
static efi_status EFIAPI install_multiple(efi_handle *handle, ...)
{
	const efi_guid *g[KX_EFI_MAX_PROTOCOLS];
	void *iface[KX_EFI_MAX_PROTOCOLS];
	efi_handle h;
	efi_status s = EFI_SUCCESS;
	efi_va_list ap;
	int n, i;

	if (E->exited)
		return after_exit("InstallMultipleProtocolInterfaces");
	efi_va_start(ap, handle);
	n = take_pairs(&ap, g, iface);
	efi_va_end(ap);
	if (!handle || n <= 0)
		return answer("InstallMultipleProtocolInterfaces", NULL, 0,
			      n < 0 ? EFI_OUT_OF_RESOURCES :
				      EFI_INVALID_PARAMETER, true);
	h = *handle;
	for (i = 0; i < n && !s; i++)
		s = install(&h, g[i], iface[i]);
	if (s) {
		/* the pairs installed before the failing one come off */
		struct kx_efi_handle *k = handle_of(h);

		for (i -= 2; k && i >= 0; i--)
			remove_protocol(k, (unsigned)protocol_index(k, g[i]));
		return answer("InstallMultipleProtocolInterfaces", g[0], 0, s,
			      true);
	}
	*handle = h;
	return answer("InstallMultipleProtocolInterfaces", g[0],
		      (uint64_t)(uintptr_t)h, EFI_SUCCESS, false);
}

static efi_status EFIAPI uninstall_multiple(efi_handle handle, ...)
{
	const efi_guid *g[KX_EFI_MAX_PROTOCOLS];
	void *iface[KX_EFI_MAX_PROTOCOLS];
	struct kx_efi_handle *h = handle_of(handle);
	efi_va_list ap;
	int n;

	if (E->exited)
		return after_exit("UninstallMultipleProtocolInterfaces");
	efi_va_start(ap, handle);
	n = take_pairs(&ap, g, iface);
	efi_va_end(ap);
	if (!h || n <= 0)
		return answer("UninstallMultipleProtocolInterfaces", NULL, 0,
			      EFI_INVALID_PARAMETER, true);
	/* Every pair is checked first: all come off, or none. */
	for (int i = 0; i < n; i++) {
		int k = protocol_index(h, g[i]);

		if (k < 0 || h->iface[k] != iface[i])
			return answer("UninstallMultipleProtocolInterfaces",
				      g[i], 0, EFI_INVALID_PARAMETER, true);
	}
	for (int i = 0; i < n; i++) {
		efi_status s = uninstall(handle, g[i], iface[i]);

		if (s)
			return answer("UninstallMultipleProtocolInterfaces",
				      g[i], 0, s, true);
	}
	return answer("UninstallMultipleProtocolInterfaces", g[0],
		      (uint64_t)(uintptr_t)handle, EFI_SUCCESS, false);
}

/* ---- LoadImage, StartImage, UnloadImage ----------------------------------- */

/* PE Format (Microsoft), the fields LoadImage reads; the offsets are the
 * specification's, from the COFF header and the optional header. */
#define PE_LFANEW 0x3c
#define PE_OPT 24                  /* optional header, after "PE\0\0" + COFF */
#define PE_OPT_MIN 112             /* PE32+ up to NumberOfRvaAndSizes */
#define PE_SECTION_SIZE 40
#define PE32PLUS_MAGIC 0x20b
#define PE_RELOCS_STRIPPED 0x0001
#define PE_DIR_BASERELOC 5
#define PE_REL_ABSOLUTE 0
#define PE_REL_DIR64 10
#define PE_SUBSYSTEM_EFI_APPLICATION 10
#define PE_MAX_ALIGN 0x200000ULL
#define PE_MAX_IMAGE (1ULL << 30)  /* more than any kernel, less than RAM */

static uint32_t rd16(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8;
}

static uint32_t rd32(const uint8_t *p)
{
	return rd16(p) | rd16(p + 2) << 16;
}

static uint64_t rd64(const uint8_t *p)
{
	return rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static void wr64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* What LoadImage takes from a PE's headers, once they are checked. */
struct pe_info {
	uint64_t image_base;
	uint32_t opt;              /* the optional header's offset */
	uint32_t size_of_image;
	uint32_t size_of_headers;
	uint32_t entry;
	uint32_t align;
	uint32_t sections;         /* the section table's offset */
	uint32_t nsections;
	uint32_t reloc_rva;
	uint32_t reloc_size;
	bool stripped;
};

/* A PE LoadImage refuses: the reason on the console, and its status. */
static efi_status refuse(const char *why, efi_status s)
{
	puts_("kexload efi: LoadImage: ");
	puts_(why);
	kx_efi_putc('\n');
	return s;
}

static efi_status pe_headers(const uint8_t *b, uint64_t len,
			     struct pe_info *pe)
{
	uint32_t at, opt_size, ndirs;

	if (len < 0x40 || b[0] != 'M' || b[1] != 'Z')
		return refuse("no MZ header", EFI_LOAD_ERROR);
	at = rd32(b + PE_LFANEW);
	if (at > len - PE_OPT || memcmp(b + at, "PE\0\0", 4))
		return refuse("no PE signature", EFI_LOAD_ERROR);
	if (rd16(b + at + 4) != KX_EFI_PE_MACHINE)
		return refuse("a PE for another machine", EFI_UNSUPPORTED);
	pe->nsections = rd16(b + at + 6);
	opt_size = rd16(b + at + 20);
	pe->stripped = rd16(b + at + 22) & PE_RELOCS_STRIPPED;
	pe->opt = at + PE_OPT;
	if (opt_size < PE_OPT_MIN || opt_size > len - pe->opt)
		return refuse("a truncated optional header", EFI_LOAD_ERROR);
	if (rd16(b + pe->opt) != PE32PLUS_MAGIC)
		return refuse("not a PE32+", EFI_UNSUPPORTED);
	if (rd16(b + pe->opt + 68) != PE_SUBSYSTEM_EFI_APPLICATION)
		return refuse("not an EFI application", EFI_UNSUPPORTED);
	pe->entry = rd32(b + pe->opt + 16);
	pe->image_base = rd64(b + pe->opt + 24);
	pe->align = rd32(b + pe->opt + 32);
	pe->size_of_image = rd32(b + pe->opt + 56);
	pe->size_of_headers = rd32(b + pe->opt + 60);
	ndirs = rd32(b + pe->opt + 108);
	if (!pe->align || (pe->align & (pe->align - 1)) ||
	    pe->align > PE_MAX_ALIGN)
		return refuse("SectionAlignment is not a power of two up to 2 MiB",
			      EFI_LOAD_ERROR);
	if (ndirs > 16 || PE_OPT_MIN + ndirs * 8 > opt_size)
		return refuse("too many data directories", EFI_LOAD_ERROR);
	if (!pe->size_of_image || pe->size_of_image > PE_MAX_IMAGE ||
	    pe->size_of_headers > pe->size_of_image ||
	    pe->size_of_headers > len)
		return refuse("SizeOfImage or SizeOfHeaders out of bounds",
			      EFI_LOAD_ERROR);
	pe->sections = pe->opt + opt_size;
	if (pe->sections > pe->size_of_headers ||
	    (uint64_t)pe->nsections * PE_SECTION_SIZE >
		    pe->size_of_headers - pe->sections)
		return refuse("a section table outside the headers",
			      EFI_LOAD_ERROR);
	if (!pe->entry || pe->entry >= pe->size_of_image)
		return refuse("an entry point outside the image", EFI_LOAD_ERROR);
	pe->reloc_rva = pe->reloc_size = 0;
	if (ndirs > PE_DIR_BASERELOC) {
		pe->reloc_rva = rd32(b + pe->opt + PE_OPT_MIN + 8 * PE_DIR_BASERELOC);
		pe->reloc_size = rd32(b + pe->opt + PE_OPT_MIN +
				      8 * PE_DIR_BASERELOC + 4);
	}
	if (pe->reloc_size && (pe->reloc_rva > pe->size_of_image ||
			       pe->reloc_size > pe->size_of_image - pe->reloc_rva))
		return refuse("base relocations outside the image",
			      EFI_LOAD_ERROR);
	return EFI_SUCCESS;
}

/* Section @i: where it goes (RVA, bytes in memory) and what of the
 * buffer fills it (offset, bytes), checked against both. */
static efi_status pe_section(const uint8_t *b, uint64_t len,
			     const struct pe_info *pe, uint32_t i,
			     uint32_t *va, uint32_t *raw, uint32_t *copy)
{
	const uint8_t *s = b + pe->sections + i * PE_SECTION_SIZE;
	uint32_t vsize = rd32(s + 8), rsize = rd32(s + 16);
	uint32_t size = vsize ? vsize : rsize;

	*va = rd32(s + 12);
	*raw = rd32(s + 20);
	*copy = rsize < size ? rsize : size;
	if (*va < pe->size_of_headers || *va > pe->size_of_image ||
	    size > pe->size_of_image - *va)
		return refuse("a section over the headers or past SizeOfImage",
			      EFI_LOAD_ERROR);
	if (*copy && (*raw > len || *copy > len - *raw))
		return refuse("a section's data outside the buffer",
			      EFI_LOAD_ERROR);
	return EFI_SUCCESS;
}

/* The image's base relocations applied for its load at @base: DIR64
 * only (the only kind a PE32+ needs), every target inside the image. */
static efi_status pe_relocate(uint8_t *img, const struct pe_info *pe,
			      uint64_t delta)
{
	uint64_t pos = pe->reloc_rva, end = pos + pe->reloc_size;

	while (end - pos >= 8) {
		uint32_t page = rd32(img + pos), size = rd32(img + pos + 4);

		if (size < 8 || size > end - pos)
			return refuse("a base relocation block out of bounds",
				      EFI_LOAD_ERROR);
		for (uint64_t e = pos + 8; e + 2 <= pos + size; e += 2) {
			uint32_t v = rd16(img + e);
			uint64_t at = (uint64_t)page + (v & 0xfff);

			if (v >> 12 == PE_REL_ABSOLUTE)
				continue;
			if (v >> 12 != PE_REL_DIR64)
				return refuse("a base relocation that is not DIR64",
					      EFI_UNSUPPORTED);
			if (at + 8 > pe->size_of_image)
				return refuse("a base relocation outside the image",
					      EFI_LOAD_ERROR);
			wr64(img + at, rd64(img + at) + delta);
		}
		pos += size;
	}
	return EFI_SUCCESS;
}

/* Code written as data is fetched as code only after the data cache is
 * cleaned to where instructions are fetched from and the instruction
 * cache forgets the range (Arm ARM, B2.4.4); x86 keeps them coherent. */
static void sync_code(const void *p, uint64_t len)
{
#if defined(__aarch64__)
	uint64_t ctr, start = (uint64_t)(uintptr_t)p, dline, iline;

	__asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
	dline = 4ULL << ((ctr >> 16) & 0xf);
	iline = 4ULL << (ctr & 0xf);
	for (uint64_t a = start & ~(dline - 1); a < start + len; a += dline)
		__asm__ volatile("dc cvau, %0" : : "r"(a) : "memory");
	__asm__ volatile("dsb ish" : : : "memory");
	for (uint64_t a = start & ~(iline - 1); a < start + len; a += iline)
		__asm__ volatile("ic ivau, %0" : : "r"(a) : "memory");
	__asm__ volatile("dsb ish\n\tisb" : : : "memory");
#else
	(void)p;
	(void)len;
#endif
}

/* Pages for the image, at its alignment (its ImageBase when its
 * relocations are stripped), as LoaderCode: an application's. */
static efi_status pe_pages(const struct pe_info *pe, uint64_t *base)
{
	uint64_t pages = ((uint64_t)pe->size_of_image + EFI_PAGE_SIZE - 1) /
			 EFI_PAGE_SIZE;
	uint64_t align = pe->align < EFI_PAGE_SIZE ? EFI_PAGE_SIZE : pe->align;
	int i;

	if (pe->stripped) {
		*base = pe->image_base;
		if (alloc(EFI_ALLOCATE_ADDRESS, EFI_LOADER_CODE, pages, base))
			return refuse("relocations stripped and ImageBase "
				      "not free", EFI_LOAD_ERROR);
		return EFI_SUCCESS;
	}
	i = find_top(pages, UINT64_MAX, align, base);
	if (i < 0 || carve((unsigned)i, *base, pages, EFI_LOADER_CODE,
			   ALLOCATED))
		return refuse("no memory for the image", EFI_OUT_OF_RESOURCES);
	return EFI_SUCCESS;
}

/* The image laid out in its pages as firmware does: headers, each
 * section at its RVA, zeros elsewhere, relocations, ImageBase updated. */
static efi_status pe_load(const uint8_t *b, uint64_t len,
			  const struct pe_info *pe, uint64_t *base)
{
	uint32_t va, raw, copy;
	uint8_t *img;
	efi_status s;

	for (uint32_t i = 0; i < pe->nsections; i++)
		if ((s = pe_section(b, len, pe, i, &va, &raw, &copy)))
			return s;
	if ((s = pe_pages(pe, base)))
		return s;
	img = (uint8_t *)(uintptr_t)*base;
	memset(img, 0, pe->size_of_image);
	memcpy(img, b, pe->size_of_headers);
	for (uint32_t i = 0; i < pe->nsections; i++) {
		pe_section(b, len, pe, i, &va, &raw, &copy);
		memcpy(img + va, b + raw, copy);
	}
	s = pe->reloc_size ? pe_relocate(img, pe, *base - pe->image_base) :
			     EFI_SUCCESS;
	if (s) {
		release(*base, (pe->size_of_image + EFI_PAGE_SIZE - 1) /
				       EFI_PAGE_SIZE);
		return s;
	}
	wr64(img + pe->opt + 24, *base);
	sync_code(img, pe->size_of_image);
	return EFI_SUCCESS;
}

static struct kx_efi_image *image_of(efi_handle h)
{
	for (unsigned i = 0; h && i < KX_EFI_MAX_IMAGES; i++)
		if (E->images[i].handle == h)
			return &E->images[i];
	return NULL;
}

static bool is_image(efi_handle h)
{
	struct kx_efi_handle *k = handle_of(h);

	return k && protocol_of(k, &loaded_image_guid);
}

/* LoadedImage's DeviceHandle and FilePath for @path (UEFI 2.10 7.4.1):
 * the handle whose device path begins it, and the rest, copied; no
 * such handle, the whole path. */
static efi_status image_path(struct kx_efi_image *im, efi_device_path *path)
{
	unsigned n;

	if (!path)
		return EFI_SUCCESS;
	for (unsigned i = 0; i < E->nhandles; i++) {
		const efi_device_path *mine =
			protocol_of(&E->handles[i], &device_path_guid);

		if (mine && (n = path_prefix(path, mine))) {
			im->li.device = &E->handles[i];
			path = (efi_device_path *)((uint8_t *)path + n);
			break;
		}
	}
	n = path_size(path);
	if (!n || n > sizeof(im->path))
		return n ? EFI_OUT_OF_RESOURCES : EFI_INVALID_PARAMETER;
	memcpy(im->path, path, n);
	im->li.file_path = (efi_device_path *)im->path;
	return EFI_SUCCESS;
}

static void unload(struct kx_efi_image *im)
{
	struct kx_efi_handle *h = handle_of(im->handle);

	release((uint64_t)(uintptr_t)im->li.image_base, im->pages);
	if (h)
		h->n = 0;
	im->handle = NULL;
}

static efi_status EFIAPI load_image(bool boot_policy, efi_handle parent,
				    efi_device_path *path, void *buf,
				    uint64_t size, efi_handle *image)
{
	struct kx_efi_image *im = NULL;
	struct kx_efi_handle *h;
	struct pe_info pe;
	uint64_t base = 0;
	efi_status s;

	(void)boot_policy;   /* for loads from a device: a buffer is given */
	if (E->exited)
		return after_exit("LoadImage");
	if (!image || !is_image(parent))
		return answer("LoadImage", NULL, 0, EFI_INVALID_PARAMETER, true);
	if (!buf)   /* from a file system: there is none here */
		return answer("LoadImage(from a device path)", NULL, 0,
			      EFI_UNSUPPORTED, true);
	for (unsigned i = 0; !im && i < KX_EFI_MAX_IMAGES; i++)
		if (!E->images[i].handle)
			im = &E->images[i];
	if (!im || !(h = free_handle()))
		return answer("LoadImage", NULL, 0, EFI_OUT_OF_RESOURCES, true);
	*im = (struct kx_efi_image){ .li = {
		.revision = EFI_LOADED_IMAGE_REVISION, .parent = parent,
		.system_table = &E->st, .image_code_type = EFI_LOADER_CODE,
		.image_data_type = EFI_LOADER_DATA } };
	if ((s = image_path(im, path)) ||
	    (s = pe_headers(buf, size, &pe)) ||
	    (s = pe_load(buf, size, &pe, &base)))
		return answer("LoadImage", NULL, size, s, true);
	im->li.image_base = (void *)(uintptr_t)base;
	im->li.image_size = pe.size_of_image;
	im->pages = (pe.size_of_image + EFI_PAGE_SIZE - 1) / EFI_PAGE_SIZE;
	im->entry = base + pe.entry;
	add_protocol(h, &loaded_image_guid, &im->li);
	im->handle = h;
	*image = h;
	return answer("LoadImage", NULL, base, EFI_SUCCESS, false);
}

static efi_status EFIAPI start_image(efi_handle image, uint64_t *data_size,
				     efi_char16 **data)
{
	struct kx_efi_image *im = image_of(image);
	efi_status (EFIAPI *entry)(efi_handle, efi_system_table *);
	efi_status s;

	if (E->exited)
		return after_exit("StartImage");
	if (!im || im->started)
		return answer("StartImage", NULL, 0, EFI_INVALID_PARAMETER, true);
	if (data_size)
		*data_size = 0;
	if (data)
		*data = NULL;
	im->started = true;
	answer("StartImage", NULL, im->entry, EFI_SUCCESS, false);
	entry = (efi_status (EFIAPI *)(efi_handle, efi_system_table *))(uintptr_t)
			im->entry;
	s = entry(image, &E->st);
	/* An application that returns has exited: it is unloaded (UEFI
	 * 2.10 7.4.2). */
	unload(im);
	return answer("StartImage returned", NULL, s, s, s != EFI_SUCCESS);
}

static efi_status EFIAPI unload_image(efi_handle image)
{
	struct kx_efi_image *im = image_of(image);

	if (E->exited)
		return after_exit("UnloadImage");
	if (!im)
		return answer("UnloadImage", NULL, 0, EFI_INVALID_PARAMETER,
			      true);
	/* Started, it runs until it returns; it has no Unload function. */
	if (im->started)
		return answer("UnloadImage", NULL, 0, EFI_UNSUPPORTED, true);
	unload(im);
	return answer("UnloadImage", NULL, 0, EFI_SUCCESS, false);
}

/* ---- configuration tables ------------------------------------------------ */

static void seal_system_table(void)
{
	E->st.configuration_table = E->tables;
	seal(&E->st.hdr);
}

static efi_status EFIAPI install_configuration_table(const efi_guid *g,
						     void *table)
{
	uint64_t n = E->st.number_of_table_entries;

	if (E->exited)
		return after_exit("InstallConfigurationTable");
	if (!g)
		return answer("InstallConfigurationTable", g, 0,
			      EFI_INVALID_PARAMETER, true);
	for (uint64_t i = 0; i < n; i++) {
		if (!guid_eq(&E->tables[i].guid, g))
			continue;
		if (table) {
			E->tables[i].table = table;
		} else {
			move(&E->tables[i], &E->tables[i + 1],
				(size_t)(n - i - 1) * sizeof(E->tables[0]));
			E->st.number_of_table_entries--;
		}
		seal_system_table();
		return answer("InstallConfigurationTable", g, 0, EFI_SUCCESS,
			      false);
	}
	if (!table)
		return answer("InstallConfigurationTable", g, 0, EFI_NOT_FOUND,
			      false);
	if (n == ARRAY_LEN(E->tables))
		return answer("InstallConfigurationTable", g, 0,
			      EFI_OUT_OF_RESOURCES, true);
	E->tables[n].guid = *g;
	E->tables[n].table = table;
	E->st.number_of_table_entries++;
	seal_system_table();
	return answer("InstallConfigurationTable", g, 0, EFI_SUCCESS, false);
}

/* ---- ExitBootServices ------------------------------------------------------ */

static efi_status EFIAPI exit_boot_services(efi_handle image, uint64_t key)
{
	if (E->exited)
		return after_exit("ExitBootServices");
	/* The image leaving is the one started first or one it started
	 * (a UKI's kernel). */
	if (!is_image(image) || key != E->map_key)
		return answer("ExitBootServices", NULL, key,
			      EFI_INVALID_PARAMETER, true);
	/* What the specification says firmware does on success. */
	answer("ExitBootServices", NULL, key, EFI_SUCCESS, false);
	E->exited = true;
	E->st.console_in_handle = NULL;
	E->st.con_in = NULL;
	E->st.console_out_handle = NULL;
	E->st.con_out = NULL;
	E->st.standard_error_handle = NULL;
	E->st.std_err = NULL;
	E->st.boot_services = NULL;
	if (E->fw_handover) {
		/* The firmware's runtime services from now on, where the first
		 * kernel left them: physical still where its stub called no
		 * SetVirtualAddressMap (arm64 with 48-bit VAs maps them 1:1),
		 * else set_virtual_address_map below gives the new kernel the
		 * first one's addresses. */
		E->st.runtime_services =
			(efi_runtime_services *)(uintptr_t)E->fw_runtime;
		answer("ExitBootServices: the firmware's runtime services "
		       "handed on", NULL, E->fw_runtime, EFI_SUCCESS, true);
	}
	seal(&E->st.hdr);
	if (E->exit_hook)
		E->exit_hook(E);
	return EFI_SUCCESS;
}

/* ---- runtime services ---------------------------------------------------- */

/* A variable service's answer, with the variable's name (ASCII of its
 * UTF-16, at most 64 characters) before its vendor GUID. */
static efi_status var_answer(const char *service, const efi_char16 *name,
			     const efi_guid *vendor, efi_status s, bool loud)
{
	if (E->trace || loud) {
		puts_("kexload efi: ");
		puts_(service);
		kx_efi_putc(' ');
		for (int i = 0; name && name[i] && i < 64; i++)
			kx_efi_putc(name[i] >= 0x20 && name[i] < 0x7f ?
					    (char)name[i] : '?');
		kx_efi_putc(' ');
		putguid(vendor);
		puts_(": ");
		puts_(status_name(s));
		kx_efi_putc('\n');
	}
	return s;
}

static efi_status EFIAPI get_variable(const efi_char16 *name,
				      const efi_guid *vendor, uint32_t *attrs,
				      uint64_t *size, void *data)
{
	(void)attrs;
	(void)data;
	if (!name || !vendor || !size)
		return var_answer("GetVariable", name, vendor,
				  EFI_INVALID_PARAMETER, false);
	/* No variable store: none is found. */
	return var_answer("GetVariable", name, vendor, EFI_NOT_FOUND, false);
}

static efi_status EFIAPI set_variable(const efi_char16 *name,
				      const efi_guid *vendor, uint32_t attrs,
				      uint64_t size, const void *data)
{
	(void)attrs;
	if (!name || !name[0] || !vendor || (size && !data))
		return var_answer("SetVariable", name, vendor,
				  EFI_INVALID_PARAMETER, true);
	/* No variable store, and none the next kernel could read: UEFI
	 * 2.10 8.2's answer for a platform that cannot set variables now
	 * (systemd-stub sets its own, and goes on without them). */
	return var_answer("SetVariable", name, vendor, EFI_UNSUPPORTED, true);
}

static efi_status EFIAPI get_next_variable_name(uint64_t *size,
						efi_char16 *name,
						efi_guid *vendor)
{
	if (!size || !name || !vendor)
		return answer("GetNextVariableName", NULL, 0,
			      EFI_INVALID_PARAMETER, false);
	return answer("GetNextVariableName", NULL, 0, EFI_NOT_FOUND, false);
}

/* Every runtime descriptor of @map gets the virtual address the first
 * kernel gave its region (this environment's map holds it). */
static void first_kernel_addresses(uint8_t *map, uint64_t size, uint64_t dsize)
{
	for (uint64_t off = 0; map && dsize && off + dsize <= size; off += dsize) {
		efi_memory_descriptor *d = (efi_memory_descriptor *)(map + off);

		if (!(d->attr & EFI_MEMORY_RUNTIME))
			continue;
		for (unsigned i = 0; i < E->nmap; i++)
			if (E->map[i].phys == d->phys && E->map[i].virt)
				d->virt = E->map[i].virt;
	}
}

static efi_status EFIAPI set_virtual_address_map(uint64_t size,
						 uint64_t desc_size,
						 uint32_t version,
						 efi_memory_descriptor *map)
{
	(void)version;
	if (!E->fw_handover)
		/* This environment's runtime services are not used after
		 * the stub (its properties table says so): accepted, and
		 * nothing changes. */
		return answer("SetVirtualAddressMap", NULL, size, EFI_SUCCESS,
			      false);
	/* The firmware's runtime services went virtual in the first kernel
	 * (where its stub called this), once and for all: the new kernel
	 * must map them where that kernel did. The map the stub hands the
	 * kernel (its last GetMemoryMap's buffer) and the one it passes here
	 * get those addresses. */
	first_kernel_addresses((uint8_t *)map, size, desc_size);
	first_kernel_addresses(E->last_map, E->last_map_size, DESC_SIZE);
	return answer("SetVirtualAddressMap, at the first kernel's addresses",
		      NULL, size, EFI_SUCCESS, false);
}

/* ---- console ------------------------------------------------------------- */

static efi_status EFIAPI text_reset(efi_simple_text_output *self, bool ext)
{
	(void)self;
	(void)ext;
	return answer("SimpleTextOutput.Reset", NULL, 0, EFI_SUCCESS, false);
}

static efi_status EFIAPI output_string(efi_simple_text_output *self,
				       const efi_char16 *s)
{
	(void)self;
	if (!s)
		return EFI_INVALID_PARAMETER;
	for (; *s; s++)
		if (*s != '\r')   /* the console makes its own line ends */
			kx_efi_putc(*s < 0x80 ? (char)*s : '?');
	return EFI_SUCCESS;
}

static efi_status EFIAPI input_reset(efi_simple_text_input *self, bool ext)
{
	(void)self;
	(void)ext;
	return answer("SimpleTextInput.Reset", NULL, 0, EFI_SUCCESS, false);
}

static efi_status EFIAPI read_key_stroke(efi_simple_text_input *self,
					 efi_input_key *key)
{
	(void)self;
	(void)key;
	/* Nothing is ever typed here. */
	return answer("SimpleTextInput.ReadKeyStroke", NULL, 0, EFI_NOT_READY,
		      false);
}

/* ---- LoadFile2: the initrd ----------------------------------------------- */

static efi_status EFIAPI load_initrd(efi_load_file2 *self,
				     efi_device_path *path, bool boot_policy,
				     uint64_t *size, void *buf)
{
	uint64_t len = E->ho->initrd_size;

	(void)self;
	if (E->exited)
		return after_exit("LoadFile2");
	if (boot_policy)
		return answer("LoadFile2(initrd)", NULL, 0, EFI_UNSUPPORTED, true);
	if (!path || !size)
		return answer("LoadFile2(initrd)", NULL, 0,
			      EFI_INVALID_PARAMETER, true);
	if (!buf || *size < len) {
		*size = len;
		return answer("LoadFile2(initrd)", NULL, len,
			      EFI_BUFFER_TOO_SMALL, false);
	}
	memcpy(buf, (const void *)(uintptr_t)E->ho->initrd_base, (size_t)len);
	*size = len;
	return answer("LoadFile2(initrd)", NULL, len, EFI_SUCCESS, false);
}

/* ---- RNG ------------------------------------------------------------------ */

/* SHA-256 of the seed and a counter, block after block: the seed is
 * kexload's getrandom(2) bytes, never shown. */
static efi_status EFIAPI get_rng(efi_rng *self, const efi_guid *alg,
				 uint64_t len, uint8_t *buf)
{
	(void)self;
	if (E->exited)
		return after_exit("RNG.GetRNG");
	if (alg)   /* no named algorithm is claimed */
		return answer("RNG.GetRNG", alg, 0, EFI_UNSUPPORTED, false);
	if (!buf || !len)
		return answer("RNG.GetRNG", NULL, len, EFI_INVALID_PARAMETER,
			      true);
	for (uint64_t off = 0; off < len; off += KX_SHA256_LEN) {
		uint8_t in[KX_EFI_SEED_LEN + 8], out[KX_SHA256_LEN];
		uint64_t n = len - off < KX_SHA256_LEN ? len - off : KX_SHA256_LEN;

		memcpy(in, E->ho->seed, KX_EFI_SEED_LEN);
		for (int i = 0; i < 8; i++)
			in[KX_EFI_SEED_LEN + i] = (uint8_t)(E->rng_counter >> (8 * i));
		E->rng_counter++;
		kx_sha256(in, sizeof(in), out);
		memcpy(buf + off, out, (size_t)n);
	}
	return answer("RNG.GetRNG", NULL, len, EFI_SUCCESS, false);
}

static efi_status EFIAPI rng_get_info(efi_rng *self, uint64_t *size,
				      efi_guid *algs)
{
	(void)self;
	(void)size;
	(void)algs;
	return answer("RNG.GetInfo", NULL, 0, EFI_UNSUPPORTED, true);
}

/* ---- building it ----------------------------------------------------------- */

static void header(efi_table_header *h, uint64_t sig, uint32_t size)
{
	h->signature = sig;
	h->revision = EFI_SPEC_REVISION;
	h->header_size = size;
	seal(h);
}

static void init_boot_services(efi_boot_services *bs)
{
	*bs = (efi_boot_services){
		.raise_tpl = raise_tpl, .restore_tpl = restore_tpl,
		.allocate_pages = allocate_pages, .free_pages = free_pages,
		.get_memory_map = get_memory_map,
		.allocate_pool = allocate_pool, .free_pool = free_pool,
		.create_event = u_create_event, .set_timer = u_set_timer,
		.wait_for_event = u_wait_for_event,
		.signal_event = u_signal_event, .close_event = u_close_event,
		.check_event = u_check_event,
		.install_protocol_interface = install_protocol_interface,
		.reinstall_protocol_interface = u_reinstall_protocol,
		.uninstall_protocol_interface = uninstall_protocol_interface,
		.handle_protocol = handle_protocol,
		.register_protocol_notify = u_register_notify,
		.locate_handle = locate_handle,
		.locate_device_path = locate_device_path,
		.install_configuration_table = install_configuration_table,
		.load_image = load_image, .start_image = start_image,
		.exit = u_exit, .unload_image = unload_image,
		.exit_boot_services = exit_boot_services,
		.get_next_monotonic_count = u_monotonic, .stall = u_stall,
		.set_watchdog_timer = u_watchdog,
		.connect_controller = u_connect,
		.disconnect_controller = u_disconnect,
		.open_protocol = open_protocol, .close_protocol = close_protocol,
		.open_protocol_information = u_open_info,
		.protocols_per_handle = u_per_handle,
		.locate_handle_buffer = locate_handle_buffer,
		.locate_protocol = locate_protocol,
		.install_multiple_protocol_interfaces = install_multiple,
		.uninstall_multiple_protocol_interfaces = uninstall_multiple,
		.calculate_crc32 = calculate_crc32, .copy_mem = copy_mem,
		.set_mem = set_mem, .create_event_ex = u_create_event_ex,
	};
	header(&bs->hdr, EFI_BOOT_SERVICES_SIGNATURE, sizeof(*bs));
}

static void init_runtime_services(efi_runtime_services *rt)
{
	*rt = (efi_runtime_services){
		.get_time = u_get_time, .set_time = u_set_time,
		.get_wakeup_time = u_get_wakeup,
		.set_wakeup_time = u_set_wakeup,
		.set_virtual_address_map = set_virtual_address_map,
		.convert_pointer = u_convert_pointer,
		.get_variable = get_variable,
		.get_next_variable_name = get_next_variable_name,
		.set_variable = set_variable,
		.get_next_high_monotonic_count = u_high_monotonic,
		.reset_system = u_reset_system,
		.update_capsule = u_update_capsule,
		.query_capsule_capabilities = u_capsule_caps,
		.query_variable_info = u_variable_info,
	};
	header(&rt->hdr, EFI_RUNTIME_SERVICES_SIGNATURE, sizeof(*rt));
}

static void init_console(struct kx_efi_env *env)
{
	env->con_mode = (efi_text_output_mode){ .max_mode = 1 };
	env->con_out = (efi_simple_text_output){
		.reset = text_reset, .output_string = output_string,
		.test_string = u_test_string, .query_mode = u_query_mode,
		.set_mode = u_set_mode, .set_attribute = u_set_attribute,
		.clear_screen = u_clear_screen,
		.set_cursor_position = u_set_cursor,
		.enable_cursor = u_enable_cursor, .mode = &env->con_mode,
	};
	env->con_in = (efi_simple_text_input){ .reset = input_reset,
					       .read_key_stroke = read_key_stroke };
	env->console = new_handle(&text_out_guid, &env->con_out, &text_in_guid,
				  &env->con_in);
}

/* The command line as UTF-16 (UTF-8 decoded; what is not BMP, '?'). */
static uint32_t utf16_options(efi_char16 *out, const char *in, size_t max)
{
	const uint8_t *p = (const uint8_t *)in;
	size_t n = 0;

	while (*p && n + 1 < max) {
		uint32_t c = *p++;
		int more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;

		if (c >= 0x80)
			c &= 0x3f >> more;
		for (; more && (*p & 0xc0) == 0x80; more--)
			c = c << 6 | (*p++ & 0x3f);
		out[n++] = more || c > 0xffff ? '?' : (efi_char16)c;
	}
	out[n++] = 0;
	return (uint32_t)(n * sizeof(efi_char16));
}

static void init_image(struct kx_efi_env *env)
{
	const struct kx_efi_handover *ho = env->ho;

	env->loaded_image = (efi_loaded_image){
		.revision = EFI_LOADED_IMAGE_REVISION,
		.system_table = &env->st,
		.image_base = (void *)(uintptr_t)ho->image_base,
		.image_size = ho->image_size,
		.image_code_type = EFI_LOADER_CODE,
		.image_data_type = EFI_LOADER_DATA,
		.load_options = env->load_options,
	};
	if (ho->cmdline[0])
		env->loaded_image.load_options_size =
			utf16_options(env->load_options, ho->cmdline,
				      KX_EFI_MAX_CMDLINE);
	else
		env->loaded_image.load_options = NULL;
	env->image = new_handle(&loaded_image_guid, &env->loaded_image, NULL,
				NULL);
}

static void init_initrd(struct kx_efi_env *env)
{
	if (!env->ho->initrd_size)
		return;
	env->initrd_path = (efi_vendor_media_path){
		.vendor = { EFI_DP_MEDIA, EFI_DP_MEDIA_VENDOR,
			    { sizeof(efi_device_path) + sizeof(efi_guid), 0 } },
		.guid = initrd_media_guid,
		.end = { EFI_DP_END, EFI_DP_END_ENTIRE,
			 { sizeof(efi_device_path), 0 } },
	};
	env->initrd_lf2.load_file = load_initrd;
	env->initrd = new_handle(&device_path_guid, &env->initrd_path,
				 &load_file2_guid, &env->initrd_lf2);
}

static int bad(const char *why)
{
	puts_("kexload efi: the hand-over block ");
	puts_(why);
	kx_efi_putc('\n');
	return -1;
}

static int check_handover(const struct kx_efi_handover *ho)
{
	if (ho->magic != KX_EFI_HANDOVER_MAGIC)
		return bad("has no magic");
	if (ho->version != KX_EFI_HANDOVER_VERSION ||
	    ho->size != sizeof(*ho))
		return bad("is of another version");
	if (ho->nmem == 0 || ho->nmem > KX_EFI_MAX_MEM ||
	    ho->ntables > KX_EFI_MAX_TABLES)
		return bad("has too many entries");
	if (ho->cmdline[KX_EFI_MAX_CMDLINE - 1])
		return bad("has an unterminated command line");
	for (uint32_t i = 0; i < ho->nmem; i++)
		if (!ho->mem[i].pages || (i && ho->mem[i].phys <
					  ho->mem[i - 1].phys +
					  ho->mem[i - 1].pages * EFI_PAGE_SIZE))
			return bad("has a memory map out of order");
	return 0;
}

/* ---- the firmware's runtime services (KX_EFI_FW_RUNTIME) ----------- */

#define SYSTAB_RUNTIME 88   /* RuntimeServices in EFI_SYSTEM_TABLE */

/* Makes the firmware's runtime region @d a descriptor of its own, with its
 * type, attributes and the first kernel's virtual address. It must lie in
 * one descriptor the loader kept from the stub (reserved memory): not
 * free, not a segment; or outside every descriptor (a device's registers,
 * such as an RTC's, which RAM's map does not list). */
static bool set_runtime(const efi_memory_descriptor *d)
{
	uint64_t end = d->phys + d->pages * EFI_PAGE_SIZE;
	unsigned at = 0;

	for (unsigned i = 0; i < E->nmap; i++) {
		if (E->map[i].phys < end && end_of(&E->map[i]) > d->phys)
			break;   /* it overlaps: handled below */
		if (E->map[i].phys < d->phys)
			at = i + 1;
		if (i + 1 == E->nmap) {
			if (E->nmap == KX_EFI_MAX_DESC)
				return false;
			move(&E->map[at + 1], &E->map[at],
			     (E->nmap - at) * sizeof(E->map[0]));
			E->map[at] = (struct kx_efi_mem){ .type = d->type,
				.phys = d->phys, .pages = d->pages,
				.attr = d->attr, .virt = d->virt };
			E->nmap++;
			E->map_key++;
			return true;
		}
	}
	for (unsigned i = 0; i < E->nmap; i++) {
		struct kx_efi_mem *m = &E->map[i];

		if (d->phys < m->phys ||
		    d->phys + d->pages * EFI_PAGE_SIZE > end_of(m))
			continue;
		if (m->flags || m->type == EFI_CONVENTIONAL_MEMORY ||
		    carve(i, d->phys, d->pages, d->type, 0))
			return false;
		for (unsigned j = 0; j < E->nmap; j++)
			if (E->map[j].phys == d->phys) {
				E->map[j].attr = d->attr;
				E->map[j].virt = d->virt;
			}
		coalesce();
		return true;
	}
	return false;
}

/* The first kernel's memory map (what its stub left in /chosen): every
 * runtime region into this map. On any doubt, none are handed on. */
static void init_fw_runtime(struct kx_efi_env *env)
{
	const struct kx_efi_handover *ho = env->ho;
	const uint8_t *st = (const uint8_t *)(uintptr_t)ho->fw_systab;
	unsigned n = 0;

	if (!(ho->flags & KX_EFI_FW_RUNTIME))
		return;
	if (!st || *(const uint64_t *)st != EFI_SYSTEM_TABLE_SIGNATURE ||
	    ho->fw_desc_size < sizeof(efi_memory_descriptor)) {
		answer("the firmware's system table or memory map is not sound: "
		       "no runtime services handed on", NULL, ho->fw_systab,
		       EFI_UNSUPPORTED, true);
		return;
	}
	for (uint64_t off = 0; off + ho->fw_desc_size <= ho->fw_mmap_size;
	     off += ho->fw_desc_size) {
		const efi_memory_descriptor *d = (const efi_memory_descriptor *)
			(uintptr_t)(ho->fw_mmap + off);

		if (!(d->attr & EFI_MEMORY_RUNTIME))
			continue;
		if (!set_runtime(d)) {
			answer("a firmware runtime region is not reserved memory "
			       "here: no runtime services handed on", NULL,
			       d->phys, EFI_UNSUPPORTED, true);
			return;
		}
		n++;
	}
	env->fw_runtime = *(const uint64_t *)(st + SYSTAB_RUNTIME);
	env->fw_handover = n && env->fw_runtime;
}

static void init_tables(struct kx_efi_env *env)
{
	const struct kx_efi_handover *ho = env->ho;
	uint32_t n = 0;

	for (; n < ho->ntables; n++) {
		memcpy(&env->tables[n].guid, ho->tables[n].guid,
		       sizeof(efi_guid));
		env->tables[n].table = (void *)(uintptr_t)ho->tables[n].addr;
	}
	/* No runtime service of this environment may be called once the
	 * stub is done: the new kernel gets the firmware's (no properties
	 * table then: all supported, SetVirtualAddressMap included, which
	 * hands them on), or none (UEFI 2.10 4.6.2). */
	env->rt_props = (efi_rt_properties_table){
		.version = 1, .length = sizeof(env->rt_props), .supported = 0 };
	if (!env->fw_handover) {
		env->tables[n].guid = rt_properties_guid;
		env->tables[n++].table = &env->rt_props;
	}
	env->st.number_of_table_entries = n;
}

int kx_efi_env_init(struct kx_efi_env *env, const struct kx_efi_handover *ho)
{
	static const char vendor[] = "kexload";

	memset(env, 0, sizeof(*env));
	E = env;
	env->ho = ho;
	if (check_handover(ho))
		return -1;
	env->trace = ho->flags & KX_EFI_TRACE;
	for (uint32_t i = 0; i < ho->nmem; i++)
		env->map[i] = ho->mem[i];
	env->nmap = ho->nmem;
	coalesce();
	env->map_key = 1;
	init_fw_runtime(env);
	for (size_t i = 0; i < sizeof(vendor); i++)
		env->vendor[i] = (efi_char16)vendor[i];
	init_boot_services(&env->bs);
	init_runtime_services(&env->rt);
	init_console(env);
	init_image(env);
	init_initrd(env);
	env->rng = (efi_rng){ .get_info = rng_get_info, .get_rng = get_rng };
	env->rng_handle = new_handle(&rng_guid, &env->rng, NULL, NULL);
	init_tables(env);
	env->st.firmware_vendor = env->vendor;
	env->st.firmware_revision = 0x10000;
	env->st.console_in_handle = env->console;
	env->st.con_in = &env->con_in;
	env->st.console_out_handle = env->console;
	env->st.con_out = &env->con_out;
	env->st.standard_error_handle = env->console;
	env->st.std_err = &env->con_out;
	env->st.runtime_services = &env->rt;
	env->st.boot_services = &env->bs;
	env->st.hdr = (efi_table_header){ .signature = EFI_SYSTEM_TABLE_SIGNATURE,
					  .revision = EFI_SPEC_REVISION,
					  .header_size = sizeof(env->st) };
	seal_system_table();
	return 0;
}

int kx_efi_env_claim(struct kx_efi_env *env, uint64_t start, uint64_t len,
		     uint32_t type)
{
	uint64_t first = start & ~(EFI_PAGE_SIZE - 1);
	uint64_t pages = (start + len - first + EFI_PAGE_SIZE - 1) / EFI_PAGE_SIZE;
	int i;

	E = env;
	i = find_free(first, pages);
	if (i < 0 || carve((unsigned)i, first, pages, type, KX_EFI_MEM_LOADER))
		return -1;
	return 0;
}

uint64_t kx_efi_env_stack(struct kx_efi_env *env, uint64_t pages)
{
	efi_phys at = 0;

	E = env;
	if (alloc(EFI_ALLOCATE_ANY_PAGES, EFI_BOOT_SERVICES_DATA, pages, &at))
		return 0;
	return at;
}

efi_status kx_efi_env_start(struct kx_efi_env *env)
{
	efi_status (EFIAPI *entry)(efi_handle, efi_system_table *) =
		(efi_status (EFIAPI *)(efi_handle, efi_system_table *))(uintptr_t)
			env->ho->entry;

	E = env;
	return entry(env->image, &env->st);
}
