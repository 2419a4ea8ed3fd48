/* SPDX-License-Identifier: MIT */
/*
 * Output of the kexload command: the plan as a table or as JSON (a stable
 * contract, documented in kexload(8)), status, and inspect.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

static void json_str(FILE *f, const char *s)
{
	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20 || ch == 0x7f)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

static void hex(char *out, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
}

/* A PE through its EFI stub: "efi", what its EFI environment holds. */
static void print_efi_json(FILE *f, const struct kx_image *img)
{
	static struct kx_efi_plan e;

	if (kx_image_efi(img, &e))
		return;
	fprintf(f, ",\n  \"efi\": {\"handover\": \"0x%" PRIx64 "\", "
		"\"firmware_runtime\": %s,\n    \"sections\": [", e.handover,
		e.firmware_runtime ? "true" : "false");
	for (size_t i = 0; i < e.nsections; i++) {
		fprintf(f, "%s{\"name\": ", i ? ", " : "");
		json_str(f, e.sections[i].name);
		fprintf(f, ", \"mem\": \"0x%" PRIx64 "\", \"size\": %" PRIu64 "}",
			e.sections[i].start, e.sections[i].size);
	}
	fprintf(f, "],\n    \"tables\": [");
	for (size_t i = 0; i < e.ntables; i++) {
		fprintf(f, "%s{\"name\": ", i ? ", " : "");
		json_str(f, e.tables[i].name);
		fprintf(f, ", \"addr\": \"0x%" PRIx64 "\"}", e.tables[i].addr);
	}
	fprintf(f, "],\n    \"memory_map\": [\n");
	for (size_t i = 0; i < e.nranges; i++) {
		const struct kx_efi_plan_range *r = &e.ranges[i];

		fprintf(f, "      {\"start\": \"0x%" PRIx64 "\", \"end\": \"0x%"
			PRIx64 "\", \"type\": %u, \"type_name\": \"%s\", "
			"\"loader\": %s, \"runtime\": %s, \"virt\": \"0x%" PRIx64
			"\"}%s\n", r->start, r->end, r->type, r->type_name,
			r->loader ? "true" : "false", r->runtime ? "true" : "false",
			r->virt, i + 1 < e.nranges ? "," : "");
	}
	fprintf(f, "    ]}");
}

static void print_efi_table(FILE *f, const struct kx_image *img)
{
	static struct kx_efi_plan e;

	if (kx_image_efi(img, &e))
		return;
	fprintf(f, "EFI stub: hand-over block at 0x%" PRIx64 "; the firmware's "
		"runtime services %s\n", e.handover,
		e.firmware_runtime ? "handed on" : "not handed on");
	for (size_t i = 0; i < e.nsections; i++)
		fprintf(f, "  PE section %-8s 0x%016" PRIx64 " %12" PRIu64 "\n",
			e.sections[i].name, e.sections[i].start, e.sections[i].size);
	for (size_t i = 0; i < e.ntables; i++)
		fprintf(f, "  configuration table %-11s 0x%" PRIx64 "\n",
			e.tables[i].name, e.tables[i].addr);
	fprintf(f, "  memory map the stub sees (%zu ranges):\n", e.nranges);
	for (size_t i = 0; i < e.nranges; i++)
		fprintf(f, "    0x%016" PRIx64 "-0x%016" PRIx64 " %s%s%s\n",
			e.ranges[i].start, e.ranges[i].end, e.ranges[i].type_name,
			e.ranges[i].loader ? " (kexload's)" : "",
			e.ranges[i].runtime ? " (runtime)" : "");
}

void print_plan_json(FILE *f, const struct kx_image *img,
		     const struct kx_load_opts *opts)
{
	size_t n = kx_image_segment_count(img);

	fprintf(f, "{\n  \"version\": %d,\n  \"format\": ", KX_PLAN_JSON_VERSION);
	json_str(f, kx_image_format(img));
	fprintf(f, ",\n  \"wrappers\": [");
	for (size_t i = 0; i < kx_image_wrapper_count(img); i++) {
		fprintf(f, "%s", i ? ", " : "");
		json_str(f, kx_image_wrapper(img, i));
	}
	fprintf(f, "],\n  \"arch\": ");
	json_str(f, kx_arch_name(kx_image_arch(img)));
	fprintf(f, ",\n  \"type\": \"%s\",\n  \"kernel\": ",
		kx_image_type(img) == KX_IMAGE_CRASH ? "crash" : "normal");
	json_str(f, opts->kernel);
	fprintf(f, ",\n  \"initrd\": ");
	json_str(f, opts->initrd ? opts->initrd :
		    opts->ninitrds ? opts->initrds[0] : NULL);
	fprintf(f, ",\n  \"initrds\": [");
	for (size_t i = 0, k = 0; i < opts->ninitrds + 1; i++) {
		const char *p = i ? opts->initrds[i - 1] : opts->initrd;

		if (!p)
			continue;
		fprintf(f, "%s", k++ ? ", " : "");
		json_str(f, p);
	}
	fprintf(f, "]");
	fprintf(f, ",\n  \"cmdline\": ");
	json_str(f, kx_image_cmdline(img));
	fprintf(f, ",\n  \"checks\": %s,\n", kx_image_checks(img) ? "true" : "false");
	fprintf(f, "  \"entry\": \"0x%" PRIx64 "\",\n", kx_image_entry(img));
	fprintf(f, "  \"kernel_entry\": \"0x%" PRIx64 "\",\n",
		kx_image_kernel_entry(img));
	fprintf(f, "  \"kexec_flags\": \"0x%lx\",\n", kx_image_kexec_flags(img));
	fprintf(f, "  \"segments\": [\n");
	for (size_t i = 0; i < n; i++) {
		const struct kx_segment *s = kx_image_segment(img, i);
		char sha[2 * KX_SHA256_LEN + 1];

		hex(sha, s->sha256, KX_SHA256_LEN);
		fprintf(f,
			"    {\"index\": %zu, \"kind\": \"%s\", \"mem\": \"0x%" PRIx64
			"\", \"end\": \"0x%" PRIx64 "\", \"memsz\": %" PRIu64
			", \"bufsz\": %zu, \"sha256\": \"%s\", \"checked\": %s}%s\n",
			i, kx_segment_kind_name(s->kind), s->mem,
			s->mem + s->memsz - 1, s->memsz, s->bufsz, sha,
			s->checked ? "true" : "false", i + 1 < n ? "," : "");
	}
	fprintf(f, "  ]");
	print_efi_json(f, img);
	fprintf(f, "\n}\n");
}

void print_plan_table(FILE *f, const struct kx_image *img,
		      const struct kx_load_opts *opts)
{
	size_t n = kx_image_segment_count(img);

	fprintf(f, "%s: %s", opts->kernel, kx_image_format(img));
	for (size_t i = 0; i < kx_image_wrapper_count(img); i++)
		fprintf(f, " in %s", kx_image_wrapper(img, i));
	fprintf(f, " for %s, %s image\n", kx_arch_name(kx_image_arch(img)),
		kx_image_type(img) == KX_IMAGE_CRASH ? "crash" : "normal");
	fprintf(f, "command line: \"%s\"\n", kx_image_cmdline(img));
	fprintf(f, "entry: 0x%" PRIx64 " (purgatory, %s), kernel entry 0x%" PRIx64
		"\n", kx_image_entry(img),
		kx_image_checks(img) ? "checks SHA-256" : "no checks",
		kx_image_kernel_entry(img));
	fprintf(f, "%-3s %-10s %-18s %-18s %12s %12s  %s\n", "#", "kind",
		"start", "end", "memsz", "bufsz", "sha256");
	for (size_t i = 0; i < n; i++) {
		const struct kx_segment *s = kx_image_segment(img, i);
		char sha[2 * KX_SHA256_LEN + 1];

		hex(sha, s->sha256, KX_SHA256_LEN);
		fprintf(f, "%-3zu %-10s 0x%016" PRIx64 " 0x%016" PRIx64
			" %12" PRIu64 " %12zu  %s%s\n", i,
			kx_segment_kind_name(s->kind), s->mem,
			s->mem + s->memsz - 1, s->memsz, s->bufsz, sha,
			s->checked ? "" : " (not checked)");
	}
	print_efi_table(f, img);
}

static const char *call_text(enum kx_call_state s, int e, char *buf,
			     size_t len)
{
	if (s == KX_CALL_REFUSED)
		snprintf(buf, len, "refused (%s)", strerror(e));
	else if (s == KX_CALL_ABSENT)
		snprintf(buf, len, "absent (not built into this kernel)");
	else
		snprintf(buf, len, "%s", kx_call_state_name(s));
	return buf;
}

void print_status(FILE *f, const struct kx_status *st, bool json)
{
	const char *lock = st->lockdown[0] ? st->lockdown : "unknown";
	char a[96], b[96];

	if (json) {
		fprintf(f,
			"{\"loaded\": %s, \"crash_loaded\": %s, \"crash_size\": %" PRIu64
			", \"kexec_load_disabled\": %s, \"lockdown\": \"%s\", "
			"\"lockdown_source\": ",
			st->loaded ? "true" : "false",
			st->crash_loaded ? "true" : "false", st->crash_size,
			st->kexec_load_disabled ? "true" : "false", lock);
		json_str(f, st->lockdown_source && st->lockdown_source[0] ?
			 st->lockdown_source : NULL);
		fprintf(f, ", \"kexec_load\": \"%s\", \"kexec_file_load\": "
			"\"%s\", \"uefi\": %s}\n",
			kx_call_state_name(st->kexec_load),
			kx_call_state_name(st->kexec_file_load),
			st->uefi ? "true" : "false");
		return;
	}
	fprintf(f, "loaded: %s\ncrash kernel loaded: %s\ncrash kernel region: "
		"%" PRIu64 " bytes\nkexec_load disabled: %s\nlockdown: %s\n",
		st->loaded ? "yes" : "no", st->crash_loaded ? "yes" : "no",
		st->crash_size, st->kexec_load_disabled ? "yes" : "no", lock);
	fprintf(f, "kexec_load: %s\nkexec_file_load: %s\nbooted through UEFI: "
		"%s\n", call_text(st->kexec_load, st->kexec_load_errno, a,
				  sizeof(a)),
		call_text(st->kexec_file_load, st->kexec_file_load_errno, b,
			  sizeof(b)), st->uefi ? "yes" : "no");
}

void print_info(FILE *f, const char *file, const struct kx_info *info,
		bool json)
{
	if (json) {
		fprintf(f, "{\"file\": ");
		json_str(f, file);
		fprintf(f, ", \"format\": ");
		json_str(f, info->format);
		fprintf(f, ", \"wrappers\": [");
		for (size_t i = 0; i < info->nwrappers; i++) {
			fprintf(f, "%s", i ? ", " : "");
			json_str(f, info->wrappers[i]);
		}
		fprintf(f, "], \"arch\": \"%s\", \"size\": %" PRIu64 ", \"version\": ",
			kx_arch_name(info->arch), info->file_size);
		json_str(f, info->version);
		fprintf(f, ", \"compression\": ");
		json_str(f, info->compression);
		fprintf(f, ", \"fields\": {");
		for (size_t i = 0; i < info->nfields; i++) {
			fprintf(f, "%s", i ? ", " : "");
			json_str(f, info->fields[i].key);
			fprintf(f, ": ");
			json_str(f, info->fields[i].value);
		}
		fprintf(f, "}}\n");
		return;
	}
	fprintf(f, "file: %s\nformat: %s\n", file, info->format);
	for (size_t i = 0; i < info->nwrappers; i++)
		fprintf(f, "inside: %s\n", info->wrappers[i]);
	fprintf(f, "arch: %s\nsize: %" PRIu64 "\nversion: %s\ncompression: %s\n",
		kx_arch_name(info->arch), info->file_size,
		info->version[0] ? info->version : "(none)", info->compression);
	for (size_t i = 0; i < info->nfields; i++)
		fprintf(f, "%s: %s\n", info->fields[i].key, info->fields[i].value);
}

/* kexec-tools drops the boot loader's BOOT_IMAGE= from a reused line. */
void print_formats(FILE *f, bool json)
{
	const char *const *names;
	enum kx_arch arch;
	const char *name;

	if (json)
		fprintf(f, "[");
	else
		fprintf(f, "%-20s %-8s %s\n", "format", "arch", "kexec -t");
	for (size_t i = 0; (name = kx_format_name(i, &arch, &names)); i++) {
		if (json) {
			fprintf(f, "%s\n  {\"name\": ", i ? "," : "");
			json_str(f, name);
			fprintf(f, ", \"arch\": ");
			json_str(f, arch ? kx_arch_name(arch) : NULL);
			fprintf(f, ", \"wrapper\": %s, \"kexec_types\": [",
				arch ? "false" : "true");
			for (size_t k = 0; names[k]; k++) {
				fprintf(f, "%s", k ? ", " : "");
				json_str(f, names[k]);
			}
			fprintf(f, "]}");
			continue;
		}
		fprintf(f, "%-20s %-8s", name, arch ? kx_arch_name(arch) :
			"(wrapper)");
		for (size_t k = 0; names[k]; k++)
			fprintf(f, "%s%s", k ? ", " : " ", names[k]);
		fprintf(f, "\n");
	}
	if (json)
		fprintf(f, "\n]\n");
}
