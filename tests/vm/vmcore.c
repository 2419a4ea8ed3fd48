/* SPDX-License-Identifier: MIT */
/*
 * kx-vmcore: the kdump scenarios' tool inside the guests (built static per
 * architecture, as kx-corrupt).
 *
 *   kx-vmcore fill SEED    in the first kernel: 4 MiB in 1024 pages, each
 *                          self-identifying (magic, seed, page index, then
 *                          pseudo-random bytes from seed and index), locked
 *                          in memory; prints "KX-PATTERN ready" and stays
 *                          alive until killed (the crash does).
 *   kx-vmcore check SEED [FILE]   in the crash kernel: reads /proc/vmcore
 *                          (or FILE): the ELF header, the notes (CPU
 *                          PRSTATUS, VMCOREINFO), and every page of every
 *                          PT_LOAD, looking for the 1024 pattern pages;
 *                          prints each PT_LOAD's addresses (and how many
 *                          bytes of the one at physical 0 are not zero),
 *                          checks their
 *                          virtual addresses against VMCOREINFO where the
 *                          architecture's numbers allow (arm64; x86_64's
 *                          text; ppc64's linear map, at its fixed
 *                          PAGE_OFFSET), and one KX-VMCORE line; exits 0 only if
 *                          the header is sound, VMCOREINFO is there and
 *                          every page was found whole and no virtual
 *                          address is wrong.
 *
 * The ELF core file layout is the System V gABI's, read field by field.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096
#define NPAGES 1024
#define MAGIC "KXPATTRN"
#define CHUNK (1 << 20)

static uint64_t rnd_next(uint64_t *s)
{
	/* xorshift64*: a fixed, portable sequence */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get(const uint8_t *p, int n, bool be)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v |= (uint64_t)p[be ? n - 1 - i : i] << (8 * i);
	return v;
}

static void make_page(uint8_t *p, uint64_t seed, uint64_t idx)
{
	uint64_t s = seed ^ ((idx + 1) * 0x9e3779b97f4a7c15ULL);

	memcpy(p, MAGIC, 8);
	put64(p + 8, seed);
	put64(p + 16, idx);
	for (size_t o = 24; o < PAGE; o += 8)
		put64(p + o, rnd_next(&s));
}

static int fill(uint64_t seed)
{
	uint8_t *m = mmap(NULL, (size_t)NPAGES * PAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	if (m == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (uint64_t i = 0; i < NPAGES; i++)
		make_page(m + i * PAGE, seed, i);
	if (mlock(m, (size_t)NPAGES * PAGE))
		perror("mlock");
	printf("KX-PATTERN ready seed=%" PRIu64 " pages=%d\n", seed, NPAGES);
	fflush(stdout);
	for (;;)
		pause();
}

struct core {
	int fd;
	bool is64, be;
	uint16_t machine;
	uint64_t phoff;
	unsigned phnum, phent;
};

static int rd(int fd, void *buf, size_t len, uint64_t off)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = pread(fd, p, len, (off_t)off);

		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

static char vmcoreinfo_text[16384];

/* NUMBER(name)=value of VMCOREINFO; false if it has none. */
static bool vmci_number(const char *name, int64_t *v)
{
	char key[64];
	const char *p;

	snprintf(key, sizeof(key), "NUMBER(%s)=", name);
	p = strstr(vmcoreinfo_text, key);
	if (!p)
		return false;
	/* unsigned: kimage_voffset is printed as 0xffff...; a negative
	 * decimal wraps to the same bits */
	*v = (int64_t)strtoull(p + strlen(key), NULL, 0);
	return true;
}

/* The notes: NT_PRSTATUS "CORE" notes and the VMCOREINFO one. */
static void notes(struct core *c, uint64_t off, uint64_t size, unsigned *prstatus,
		  bool *vmcoreinfo, char *osrelease, size_t oslen)
{
	uint8_t *buf = size < (16 << 20) ? malloc(size) : NULL;
	uint64_t o = 0;

	if (!buf || rd(c->fd, buf, size, off)) {
		free(buf);
		return;
	}
	while (o + 12 <= size) {
		uint64_t nsz = get(buf + o, 4, c->be), dsz = get(buf + o + 4, 4, c->be);
		uint64_t type = get(buf + o + 8, 4, c->be);
		uint64_t name = o + 12, desc = name + ((nsz + 3) & ~3ULL);

		if (!nsz || desc + dsz > size)
			break;
		if (nsz == 5 && !memcmp(buf + name, "CORE", 5) && type == 1)
			(*prstatus)++;
		if (nsz == 11 && !memcmp(buf + name, "VMCOREINFO", 11)) {
			const char *d = (const char *)buf + desc, *r;

			*vmcoreinfo = true;
			snprintf(vmcoreinfo_text, sizeof(vmcoreinfo_text), "%.*s",
				 (int)dsz, d);
			r = memmem(d, dsz, "OSRELEASE=", 10);
			if (r) {
				size_t n = strcspn(r + 10, "\n");

				snprintf(osrelease, oslen, "%.*s", (int)n, r + 10);
			}
		}
		o = desc + ((dsz + 3) & ~3ULL);
	}
	free(buf);
}

/* Whether a PT_LOAD's virtual address is the one the dump tools expect,
 * by the kernel's own VMCOREINFO: on arm64 the kernel image at paddr +
 * kimage_voffset, else the linear map, (paddr - PHYS_OFFSET) | PAGE_OFFSET
 * with PAGE_OFFSET = -(1 << VA_BITS); on x86_64 the kernel text at paddr -
 * phys_base + __START_KERNEL_map; on ppc64 paddr + 0xc000000000000000.
 * -1: cannot tell here. */
static int vaddr_ok(uint16_t machine, uint64_t paddr, uint64_t vaddr)
{
	int64_t va_bits, voff, phys_off, phys_base;

	if (machine == 183 && vmci_number("VA_BITS", &va_bits) &&
	    vmci_number("kimage_voffset", &voff) &&
	    vmci_number("PHYS_OFFSET", &phys_off))
		return vaddr == paddr + (uint64_t)voff ||
		       vaddr == ((paddr - (uint64_t)phys_off) |
				 (~0ULL << (unsigned)va_bits));
	if (machine == 62 && vaddr >= 0xffffffff80000000ULL &&
	    vmci_number("phys_base", &phys_base))
		return vaddr == paddr - (uint64_t)phys_base + 0xffffffff80000000ULL;
	/* ppc64 (Book3S): the linear map at the fixed PAGE_OFFSET */
	if (machine == 21)
		return vaddr == paddr + 0xc000000000000000ULL;
	return -1;
}

/* The first 64 KiB as the dump gives them: on ppc64 the crash kernel's
 * vectors are at 0 now, and the dump reads the purgatory's copy of the
 * crashed kernel's; a copy that never ran would read as zeros. */
static void low_memory(struct core *c, uint64_t off, uint64_t size)
{
	uint8_t buf[65536];
	size_t n = size < sizeof(buf) ? (size_t)size : sizeof(buf), nz = 0;

	if (rd(c->fd, buf, n, off)) {
		printf("KX-VMCORE-LOW error=read-failed\n");
		return;
	}
	for (size_t i = 0; i < n; i++)
		nz += buf[i] != 0;
	printf("KX-VMCORE-LOW bytes=%zu nonzero=%zu\n", n, nz);
}

static int check(uint64_t seed, const char *path)
{
	struct core c = { 0 };
	uint8_t eh[64], *chunk = malloc(CHUNK), want[PAGE];
	static bool found[NPAGES];
	unsigned nfound = 0, bad = 0, prstatus = 0, loads = 0, vgood = 0, vbad = 0;
	uint64_t vaddrs[64], paddrs[64];
	unsigned nv = 0;
	bool vmcoreinfo = false;
	char osrelease[80] = "?";
	uint64_t ram = 0;

	c.fd = open(path, O_RDONLY);
	if (c.fd < 0 || !chunk || rd(c.fd, eh, sizeof(eh), 0)) {
		printf("KX-VMCORE error=cannot-read %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (memcmp(eh, "\177ELF", 4) || (eh[4] != 1 && eh[4] != 2) ||
	    (eh[5] != 1 && eh[5] != 2)) {
		printf("KX-VMCORE error=not-elf\n");
		return 1;
	}
	c.is64 = eh[4] == 2;
	c.be = eh[5] == 2;
	c.machine = (uint16_t)get(eh + 18, 2, c.be);
	if (get(eh + 16, 2, c.be) != 4) {
		printf("KX-VMCORE error=not-ET_CORE\n");
		return 1;
	}
	c.phoff = c.is64 ? get(eh + 32, 8, c.be) : get(eh + 28, 4, c.be);
	c.phent = (unsigned)get(eh + (c.is64 ? 54 : 42), 2, c.be);
	c.phnum = (unsigned)get(eh + (c.is64 ? 56 : 44), 2, c.be);
	for (unsigned i = 0; i < c.phnum; i++) {
		uint8_t ph[56];
		uint64_t type, off, paddr, filesz;

		if (rd(c.fd, ph, c.phent, c.phoff + (uint64_t)i * c.phent))
			break;
		type = get(ph, 4, c.be);
		off = c.is64 ? get(ph + 8, 8, c.be) : get(ph + 4, 4, c.be);
		paddr = c.is64 ? get(ph + 24, 8, c.be) : get(ph + 12, 4, c.be);
		filesz = c.is64 ? get(ph + 32, 8, c.be) : get(ph + 16, 4, c.be);
		if (type == 4)
			notes(&c, off, filesz, &prstatus, &vmcoreinfo, osrelease,
			      sizeof(osrelease));
		if (type != 1)
			continue;
		if (nv < 64) {
			paddrs[nv] = paddr;
			vaddrs[nv++] = c.is64 ? get(ph + 16, 8, c.be) : get(ph + 8, 4, c.be);
		}
		printf("KX-VMCORE-LOAD paddr=0x%" PRIx64 " vaddr=0x%" PRIx64
		       " size=0x%" PRIx64 "\n", paddr, vaddrs[nv - 1], filesz);
		if (paddr == 0)
			low_memory(&c, off, filesz);
		loads++;
		ram += filesz;
		/* whole pages only: a page of the pattern is page aligned */
		for (uint64_t p = (paddr + PAGE - 1) & ~(uint64_t)(PAGE - 1);
		     p + PAGE <= paddr + filesz;) {
			uint64_t n = paddr + filesz - p;

			n = n > CHUNK ? CHUNK : n & ~(uint64_t)(PAGE - 1);
			if (rd(c.fd, chunk, n, off + (p - paddr))) {
				printf("KX-VMCORE error=read-failed at 0x%" PRIx64 "\n", p);
				return 1;
			}
			for (uint64_t k = 0; k < n; k += PAGE) {
				const uint8_t *pg = chunk + k;
				uint64_t idx;

				if (memcmp(pg, MAGIC, 8) || get(pg + 8, 8, false) != seed)
					continue;
				idx = get(pg + 16, 8, false);
				if (idx >= NPAGES) {
					bad++;
					continue;
				}
				make_page(want, seed, idx);
				if (memcmp(pg, want, PAGE)) {
					bad++;
					continue;
				}
				if (!found[idx])
					nfound++;
				found[idx] = true;
			}
			p += n;
		}
	}
	/* the notes come first in the file, so VMCOREINFO is known now */
	for (unsigned i = 0; i < nv; i++) {
		int v = vaddr_ok(c.machine, paddrs[i], vaddrs[i]);

		vgood += v == 1;
		vbad += v == 0;
		if (!v)
			printf("KX-VMCORE-BADVADDR paddr=0x%" PRIx64 " vaddr=0x%" PRIx64 "\n",
			       paddrs[i], vaddrs[i]);
	}
	printf("KX-VMCORE elf=ELF%d machine=%u phnum=%u loads=%u ram=%" PRIu64
	       " prstatus=%u vmcoreinfo=%s osrelease=%s vaddrs=%u-right,%u-wrong"
	       " pages=%u/%d bad=%u\n",
	       c.is64 ? 64 : 32, c.machine, c.phnum, loads, ram, prstatus,
	       vmcoreinfo ? "yes" : "no", osrelease, vgood, vbad, nfound, NPAGES,
	       bad);
	return vmcoreinfo && prstatus > 0 && nfound == NPAGES && !bad && !vbad ?
		       0 : 1;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "fill"))
		return fill(strtoull(argv[2], NULL, 0));
	if (argc >= 3 && !strcmp(argv[1], "check"))
		return check(strtoull(argv[2], NULL, 0),
			     argc > 3 ? argv[3] : "/proc/vmcore");
	fprintf(stderr, "usage: kx-vmcore fill SEED | check SEED [FILE]\n");
	return 2;
}
