/* SPDX-License-Identifier: MIT */
/*
 * The console the ACPI Serial Port Console Redirection table (SPCR, as
 * Microsoft's specification and ACPI's table list give it) describes, for
 * the purgatory's messages where the device tree names none: a machine
 * booted through UEFI with ACPI hands the kernel a device tree that holds
 * only /chosen. A table that is not sound is reported and ignored: it
 * decides only where the purgatory writes, never whether a load works.
 */
#include <inttypes.h>
#include <string.h>

#include "internal.h"

#define SPCR_LEN 4
#define SPCR_IFACE 36
#define SPCR_GAS 40        /* generic address structure, 12 bytes */
#define SPCR_MIN_LEN 80    /* revision 1 ends at 80 bytes */
#define GAS_SPACE_MEMORY 0

/* Interface types. */
#define SPCR_16550 0x00
#define SPCR_16450 0x01
#define SPCR_PL011 0x03
#define SPCR_SBSA_32BIT 0x0d
#define SPCR_SBSA 0x0e
#define SPCR_16550_GAS 0x12

static int ignore(struct kx_image *img, const char *name, const char *why)
{
	kx_log(img, KX_LOG_WARN, "%s: ACPI SPCR table ignored: %s; the purgatory "
	       "will be silent", name, why);
	return 0;
}

int kx_spcr_console(struct kx_image *img, const uint8_t *buf, uint64_t len,
		    const char *name, uint64_t uart[2])
{
	struct kx_reader r;
	uint32_t tlen;
	uint8_t sum = 0, iface, space, bits;
	uint64_t base;

	uart[0] = uart[1] = 0;
	kx_reader_init(&r, buf, len, name);
	if (len < 4 || memcmp(buf, "SPCR", 4))
		return ignore(img, name, "no \"SPCR\" signature");
	tlen = kx_rd_le32(&r, SPCR_LEN);
	if (r.failed || tlen < SPCR_MIN_LEN || tlen > len)
		return ignore(img, name, "its length does not fit the file");
	for (uint32_t i = 0; i < tlen; i++)
		sum = (uint8_t)(sum + buf[i]);
	if (sum)
		return ignore(img, name, "its checksum is wrong");
	iface = kx_rd_u8(&r, SPCR_IFACE);
	space = kx_rd_u8(&r, SPCR_GAS);
	bits = kx_rd_u8(&r, SPCR_GAS + 1);
	base = kx_rd_le64(&r, SPCR_GAS + 4);
	if (space != GAS_SPACE_MEMORY || !base)
		return ignore(img, name, "the console is not memory-mapped");
	switch (iface) {
	case SPCR_PL011:
	case SPCR_SBSA:
	case SPCR_SBSA_32BIT:   /* a PL011 subset, 32-bit registers */
		uart[1] = KX_UART_PL011 | 4 << 16;
		break;
	case SPCR_16550:
	case SPCR_16450:
	case SPCR_16550_GAS:
		uart[1] = bits == 32 ? KX_UART_8250 | 2 << 8 | 4 << 16 :
				       KX_UART_8250 | 1 << 16;
		break;
	default:
		return ignore(img, name, "its interface type is not a PL011 or a 16550");
	}
	uart[0] = base;
	kx_log(img, KX_LOG_DEBUG, "%s: purgatory console from ACPI SPCR at 0x%" PRIx64
	       " (interface type 0x%02x)", name, base, iface);
	return 0;
}
