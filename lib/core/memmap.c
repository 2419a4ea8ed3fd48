/* SPDX-License-Identifier: MIT */
/*
 * The memory map: ranges of RAM and of memory that is not RAM, read from
 * /proc/iomem text (the kernel's Documentation/filesystems/proc.rst), from
 * /sys/firmware/memmap entries (Documentation/ABI/testing/sysfs-firmware-memmap),
 * or from a "SIZE[@BASE]" description. Ranges are kept sorted by start.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct kx_memmap {
	struct kx_mem_range *r;
	size_t n;
	size_t cap;
	char err[KX_ERR_LEN];
};

int kx_memmap_seterr(struct kx_memmap *map, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(map->err, sizeof(map->err), fmt, ap);
	va_end(ap);
	return code;
}

#define map_err kx_memmap_seterr

int kx_memmap_new(struct kx_memmap **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

void kx_memmap_free(struct kx_memmap *map)
{
	if (!map)
		return;
	free(map->r);
	free(map);
}

const char *kx_memmap_error(const struct kx_memmap *map)
{
	return map->err;
}

size_t kx_memmap_count(const struct kx_memmap *map)
{
	return map->n;
}

const struct kx_mem_range *kx_memmap_range(const struct kx_memmap *map,
					   size_t i)
{
	return i < map->n ? &map->r[i] : NULL;
}

static const struct {
	enum kx_mem_type type;
	const char *name;
} type_names[] = {
	{ KX_MEM_RAM, "System RAM" },
	{ KX_MEM_RESERVED, "Reserved" },
	{ KX_MEM_RESERVED, "reserved" },
	{ KX_MEM_ACPI, "ACPI Tables" },
	{ KX_MEM_NVS, "ACPI Non-volatile Storage" },
	{ KX_MEM_UNUSABLE, "Unusable memory" },
	{ KX_MEM_PMEM, "Persistent Memory (legacy)" },
	{ KX_MEM_PMEM, "Persistent Memory" },
	{ KX_MEM_CRASH, "Crash kernel" },
};

const char *kx_mem_type_name(enum kx_mem_type type)
{
	for (size_t i = 0; i < KX_ARRAY_SIZE(type_names); i++)
		if (type_names[i].type == type)
			return type_names[i].name;
	return "unknown";
}

static int type_by_name(const char *name, enum kx_mem_type *type)
{
	for (size_t i = 0; i < KX_ARRAY_SIZE(type_names); i++) {
		if (!strcmp(type_names[i].name, name)) {
			*type = type_names[i].type;
			return 0;
		}
	}
	return -ENOENT;
}

int kx_memmap_add(struct kx_memmap *map, uint64_t start, uint64_t end,
		  enum kx_mem_type type)
{
	size_t i;

	if (end < start)
		return map_err(map, -EINVAL,
			       "memory range 0x%" PRIx64 "-0x%" PRIx64
			       " ends before it starts", start, end);
	if (map->n == map->cap) {
		size_t cap = map->cap ? map->cap * 2 : 32;
		struct kx_mem_range *r = realloc(map->r, cap * sizeof(*r));

		if (!r)
			return -ENOMEM;
		map->r = r;
		map->cap = cap;
	}
	for (i = map->n; i > 0 && map->r[i - 1].start > start; i--)
		map->r[i] = map->r[i - 1];
	map->r[i] = (struct kx_mem_range){ start, end, type };
	map->n++;
	return 0;
}

/* Parses a hexadecimal number with optional 0x; returns the end or NULL. */
static const char *parse_hex(const char *s, uint64_t *v)
{
	uint64_t x = 0;
	const char *p = s;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	if (!isxdigit((unsigned char)*p))
		return NULL;
	for (; isxdigit((unsigned char)*p); p++) {
		unsigned d = isdigit((unsigned char)*p) ?
				     (unsigned)(*p - '0') :
				     (unsigned)(tolower((unsigned char)*p) - 'a' + 10);

		if (x >> 60)
			return NULL;
		x = x << 4 | d;
	}
	*v = x;
	return p;
}

static void trim(char *s)
{
	size_t n = strlen(s);

	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
}

static int parse_iomem_line(struct kx_memmap *map, const char *name,
			    unsigned lineno, char *line, bool *all_zero)
{
	const char *p = line;
	uint64_t start, end;
	enum kx_mem_type type;
	bool nested = *p == ' ';

	while (*p == ' ')
		p++;
	p = parse_hex(p, &start);
	if (p && *p == '-')
		p = parse_hex(p + 1, &end);
	else
		p = NULL;
	if (!p || strncmp(p, " : ", 3) || !p[3])
		return map_err(map, -EINVAL,
			       "%s:%u: not a /proc/iomem line: \"%.60s\"", name,
			       lineno, line);
	if (end < start)
		return map_err(map, -EINVAL,
			       "%s:%u: range 0x%" PRIx64 "-0x%" PRIx64
			       " ends before it starts", name, lineno, start,
			       end);
	if (start || end)
		*all_zero = false;
	p += 3;
	if (type_by_name(p, &type))
		return 0;   /* device memory, ROMs: not for us */
	/* Below top level, only the crash kernel reservation and memory the
	 * kernel reserved inside RAM (arm64 lists its memblock reservations
	 * there: firmware tables, EFI runtime regions, reserved-memory nodes)
	 * are of interest; the latter blocks placement like any reserved
	 * range. "System RAM" counts only at top level. */
	if (nested && type != KX_MEM_CRASH && type != KX_MEM_RESERVED)
		return 0;
	if (!nested && type == KX_MEM_CRASH)
		return 0;
	return kx_memmap_add(map, start, end, type);
}

static size_t count_ram(const struct kx_memmap *map)
{
	size_t n = 0;

	for (size_t i = 0; i < map->n; i++)
		n += map->r[i].type == KX_MEM_RAM;
	return n;
}

/* Parses @text line by line; the caller undoes a failure. */
static int parse_iomem_text(struct kx_memmap *map, const char *name,
			    const char *text, size_t len)
{
	unsigned lineno = 0, lines = 0;
	bool all_zero = true;
	size_t ram_before = count_ram(map);
	size_t pos = 0;
	char line[256];

	while (pos < len) {
		size_t n = 0;
		int rc;

		lineno++;
		while (pos < len && text[pos] != '\n') {
			if (n + 1 >= sizeof(line) || !text[pos])
				return map_err(map, -EINVAL,
					       "%s:%u: not a /proc/iomem line",
					       name, lineno);
			line[n++] = text[pos++];
		}
		pos++;
		line[n] = '\0';
		trim(line);
		if (!line[0])
			continue;
		lines++;
		rc = parse_iomem_line(map, name, lineno, line, &all_zero);
		if (rc)
			return rc;
	}
	if (lines && all_zero)
		return map_err(map, -EPERM,
			       "%s: every address is zero (the kernel hides them "
			       "from users other than root); run as root, or "
			       "pass --mem-map FILE or --ram SIZE", name);
	if (count_ram(map) == ram_before)
		return map_err(map, -EINVAL,
			       "%s: no System RAM in the memory map", name);
	return 0;
}

/* All or nothing: on failure the map is as it was. */
int kx_memmap_parse_iomem(struct kx_memmap *map, const char *name,
			  const char *text, size_t len)
{
	size_t before = map->n;
	struct kx_mem_range *saved = NULL;
	int rc;

	if (before) {
		saved = malloc(before * sizeof(*saved));
		if (!saved)
			return -ENOMEM;
		memcpy(saved, map->r, before * sizeof(*saved));
	}
	rc = parse_iomem_text(map, name, text, len);
	if (rc) {
		if (before)
			memcpy(map->r, saved, before * sizeof(*saved));
		map->n = before;
	}
	free(saved);
	return rc;
}

int kx_memmap_parse_firmware_entry(struct kx_memmap *map, const char *name,
				   const char *start, const char *end,
				   const char *type)
{
	uint64_t s, e;
	enum kx_mem_type t;
	char tbuf[64];
	const char *p;

	p = parse_hex(start, &s);
	if (!p || (*p && !isspace((unsigned char)*p)))
		return map_err(map, -EINVAL, "%s: bad start address \"%.40s\"",
			       name, start);
	p = parse_hex(end, &e);
	if (!p || (*p && !isspace((unsigned char)*p)))
		return map_err(map, -EINVAL, "%s: bad end address \"%.40s\"",
			       name, end);
	snprintf(tbuf, sizeof(tbuf), "%s", type);
	trim(tbuf);
	if (type_by_name(tbuf, &t))
		return 0;
	if (e < s)
		return map_err(map, -EINVAL, "%s: range ends before it starts",
			       name);
	return kx_memmap_add(map, s, e, t);
}

/* "512M", "6G", "0x40000000": a byte count with an optional suffix. */
static int parse_size(const char *s, const char **endp, uint64_t *v)
{
	char *end;
	unsigned long long x;
	unsigned shift = 0;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	x = strtoull(s, &end, 0);
	if (errno)
		return -EINVAL;
	switch (*end) {
	case 'K': case 'k': shift = 10; end++; break;
	case 'M': case 'm': shift = 20; end++; break;
	case 'G': case 'g': shift = 30; end++; break;
	case 'T': case 't': shift = 40; end++; break;
	}
	if (shift && x > (UINT64_MAX >> shift))
		return -ERANGE;
	*v = (uint64_t)x << shift;
	*endp = end;
	return 0;
}

int kx_memmap_parse_ram(struct kx_memmap *map, const char *spec)
{
	uint64_t size, base = 0;
	const char *p;

	if (parse_size(spec, &p, &size) || !size)
		return map_err(map, -EINVAL,
			       "--ram %s: expected SIZE[@BASE], as 1G or 512M@0x40000000",
			       spec);
	if (*p == '@' && parse_size(p + 1, &p, &base))
		return map_err(map, -EINVAL, "--ram %s: bad base address", spec);
	if (*p)
		return map_err(map, -EINVAL,
			       "--ram %s: unexpected \"%s\"", spec, p);
	if (base + size - 1 < base)
		return map_err(map, -ERANGE, "--ram %s: range wraps around", spec);
	return kx_memmap_add(map, base, base + size - 1, KX_MEM_RAM);
}

int kx_parse_size(const char *s, uint64_t *v)
{
	const char *end;

	if (parse_size(s, &end, v) || *end)
		return -EINVAL;
	return 0;
}
