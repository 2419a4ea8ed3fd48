/* SPDX-License-Identifier: MIT */
/*
 * s390x purgatory: the console, the clock and the halt.
 *
 * The console is the SCLP's ASCII (VT220) console, QEMU's and the LPAR's
 * ttysclp0: each line is one Write Event Data of a VT220 message event
 * (type 0x1a), between a Write Event Mask that announces we send such
 * events and one that withdraws it, as the kernel's early SCLP code does.
 * SERVICE CALL completes with a service-signal external interrupt
 * (code 0x2401); we wait for it in an enabled wait state, with the clock
 * comparator as a one-second time-out, and keep interrupts off otherwise.
 * The clock is the TOD clock: bit 51 ticks once a microsecond. DAT is off
 * and caches are always on, so there is nothing to set up around the
 * check.
 */
#include "../common/purgatory.h"
#include "sha256_accel.h"

#define LC_EXT_INT_CODE 0x86        /* lowcore: external interruption code */
#define LC_EXT_NEW_PSW 0x1b0
#define EXT_SERVICE_SIGNAL 0x2401
#define EXT_CLOCK_COMPARATOR 0x1004
#define CR0_SERVICE_SIGNAL 0x200ULL  /* subclass mask, CR0 bit 54 */
#define CR0_CLOCK_COMPARATOR 0x800ULL /* CR0 bit 52 */
#define PSW_64 0x0000000180000000ULL /* EA and BA: 64-bit addressing */
#define PSW_EXT 0x0100000000000000ULL
#define PSW_WAIT 0x0002000000000000ULL
#define TOD_PER_US 4096ULL

#define SCLP_WRITE_EVENT_MASK 0x00780005u
#define SCLP_WRITE_EVENT_DATA 0x00760005u
#define SCLP_OK 0x0020
#define EVENT_VT220 0x1a
#define MASK_VT220 0x00000040u       /* 0x80000000 >> (0x1a - 1) */
#define LINE_MAX 256

static uint8_t sccb[512] __attribute__((aligned(512)));  /* within a page */
static char line[LINE_MAX];
static unsigned nline;
static int console_dead;

static uint64_t tod(void)
{
	uint64_t t;

	__asm__ volatile("stck %0" : "=Q"(t) : : "cc");
	return t;
}

uint64_t kx_arch_usec(void)
{
	return tod() / TOD_PER_US;
}

static uint64_t cr0_get(void)
{
	uint64_t v;

	__asm__ volatile("stctg 0,0,%0" : "=Q"(v));
	return v;
}

static void cr0_set(uint64_t v)
{
	__asm__ volatile("lctlg 0,0,%0" : : "Q"(v));
}

/* Waits, enabled for the service signal and the clock comparator only,
 * until one of them comes; returns its interruption code. */
static uint16_t wait_service_signal(void)
{
	volatile uint16_t *code = (volatile uint16_t *)LC_EXT_INT_CODE;
	volatile uint64_t *newpsw = (volatile uint64_t *)LC_EXT_NEW_PSW;
	uint64_t wait_psw[2] __attribute__((aligned(8)));
	uint64_t cr0 = cr0_get(), cc = tod() + 1000000 * TOD_PER_US, addr;

	__asm__ volatile("sckc %0" : : "Q"(cc));
	cr0_set(cr0 | CR0_SERVICE_SIGNAL | CR0_CLOCK_COMPARATOR);
	*code = 0;
	newpsw[0] = PSW_64;
	wait_psw[0] = PSW_64 | PSW_EXT | PSW_WAIT;
	/* Both PSWs resume at 0: the interrupt's new PSW, with interrupts
	 * off again, is where the wait ends. */
	__asm__ volatile("larl %[a],0f\n\t"
			 "stg %[a],%[np]\n\t"
			 "stg %[a],%[wp]\n\t"
			 "lpswe %[w]\n"
			 "0:"
			 : [a] "=&d"(addr), [np] "=Q"(newpsw[1]),
			   [wp] "=Q"(wait_psw[1])
			 : [w] "Q"(wait_psw)
			 : "cc", "memory");
	cr0_set(cr0);
	return *code;
}

/* One SERVICE CALL and its completion; the SCLP's response code, or 0. */
static unsigned sclp_call(uint32_t command)
{
	for (int tries = 0; tries < 100; tries++) {
		register uint64_t cmd __asm__("4") = command;
		register uint64_t addr __asm__("5") = (uintptr_t)sccb;
		int cc;

		__asm__ volatile(".long 0xb2200045\n\t"   /* servc %r4,%r5 */
				 "ipm %0\n\t"
				 "srl %0,28"
				 : "=d"(cc) : "d"(cmd), "d"(addr) : "cc", "memory");
		if (cc == 2)
			continue;           /* busy */
		if (cc != 0 || wait_service_signal() != EXT_SERVICE_SIGNAL)
			return 0;
		return (unsigned)sccb[6] << 8 | sccb[7];
	}
	return 0;
}

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

/* Write Event Mask: we send VT220 messages (@on) or nothing; mask length
 * 4. Returns whether the SCLP takes VT220 messages. */
static int event_mask(int on)
{
	for (unsigned i = 0; i < 28; i++)
		sccb[i] = 0;
	put16(sccb, 28);              /* SCCB length */
	put16(sccb + 10, 4);          /* mask length */
	put32(sccb + 16, on ? MASK_VT220 : 0);   /* our send mask */
	if (sclp_call(SCLP_WRITE_EVENT_MASK) != SCLP_OK)
		return 0;
	return (sccb[20] << 24 | sccb[21] << 16 | sccb[22] << 8 | sccb[23]) &
	       MASK_VT220;            /* the SCLP's receive mask */
}

static void flush(void)
{
	unsigned len = 8 + 6 + nline;

	if (!nline || console_dead)
		goto out;
	if (!event_mask(1)) {
		console_dead = 1;
		goto out;
	}
	for (unsigned i = 0; i < 14; i++)
		sccb[i] = 0;
	put16(sccb, len);             /* SCCB length; function code 0 */
	put16(sccb + 8, 6 + nline);   /* event buffer length */
	sccb[10] = EVENT_VT220;
	for (unsigned i = 0; i < nline; i++)
		sccb[14 + i] = (uint8_t)line[i];
	sclp_call(SCLP_WRITE_EVENT_DATA);
	event_mask(0);
out:
	nline = 0;
}

void kx_console_putc(char c)
{
	line[nline++] = c;
	if (c == '\n' || nline == LINE_MAX)
		flush();
}

void kx_arch_check_begin(void)
{
}

void kx_arch_check_end(void)
{
}

const char *kx_arch_check_mode(void)
{
	return kx_sha256_accel_available() ? "caches on, CPACF SHA-256" :
					     "caches on, generic C";
}

void kx_halt(void)
{
	static const uint64_t psw[2] __attribute__((aligned(8))) = {
		PSW_64 | PSW_WAIT, 0 };   /* disabled wait */

	flush();
	for (;;)
		__asm__ volatile("lpswe %0" : : "Q"(psw) : "memory");
}
