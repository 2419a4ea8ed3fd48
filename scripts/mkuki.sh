#!/bin/sh
# Usage: scripts/mkuki.sh ARCH KERNEL INITRD CMDLINE OUT
# Writes OUT: a unified kernel image (UKI) as a Debian 12 user makes one
# without ukify: systemd-stub from Debian's systemd-boot-efi package
# (linuxaa64.efi.stub for arm64, linuxx64.efi.stub for x86_64) with the
# sections systemd-stub's manual lists added by objcopy: .osrel (a small
# os-release), .cmdline (CMDLINE; none when it is empty), .linux (KERNEL,
# Debian's EFI-stub kernel) and .initrd (INITRD; none when it is "-").
# The stub's package is downloaded once into the git-ignored cache
# ($KX_CACHE/systemd-stub/). Needs objcopy and objdump for ARCH
# (binutils-aarch64-linux-gnu for arm64: Debian's own binutils reads no
# arm64 PE).
#
# The manual's rule: the new sections must not overlap the stub's own, and
# each starts on the stub's SectionAlignment, so each VMA is computed here
# from the end of the one before it (the manual's example does the same
# with objdump) rather than taken from fixed numbers.
set -eu
arch=${1:?usage: mkuki.sh ARCH KERNEL INITRD CMDLINE OUT}
kernel=${2:?kernel} initrd=${3:?initrd or -} cmdline=${4?command line}
out=${5:?output file}
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${KX_CACHE:-$top/.cache}/systemd-stub

case $arch in
arm64 | aarch64)
	debarch=arm64 stubname=linuxaa64.efi.stub tools=aarch64-linux-gnu- ;;
x86_64 | amd64)
	debarch=amd64 stubname=linuxx64.efi.stub tools= ;;
*)
	echo "mkuki: no systemd-stub for $arch (arm64, x86_64)" >&2; exit 2 ;;
esac
objcopy=${tools}objcopy objdump=${tools}objdump
for t in "$objcopy" "$objdump"; do
	command -v "$t" >/dev/null ||
		{ echo "mkuki: $t is missing (binutils for $arch)" >&2; exit 1; }
done

# The stub, from the cache or the archive.
stub=$(ls "$cache/$debarch"/usr/lib/systemd/boot/efi/"$stubname" 2>/dev/null || true)
if [ -z "$stub" ]; then
	mkdir -p "$cache"
	tmp=$(mktemp -d "$cache/.dl.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	(cd "$tmp" && apt-get download -q "systemd-boot-efi:$debarch" >/dev/null 2>&1) || {
		echo "mkuki: apt-get download systemd-boot-efi:$debarch failed" >&2
		exit 1
	}
	rm -rf "$cache/$debarch"
	dpkg-deb -x "$tmp"/systemd-boot-efi_*.deb "$cache/$debarch"
	stub=$cache/$debarch/usr/lib/systemd/boot/efi/$stubname
	[ -f "$stub" ] || { echo "mkuki: no $stubname in systemd-boot-efi:$debarch" >&2; exit 1; }
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/mkuki.XXXXXX")
trap 'rm -rf "$work"' EXIT
printf 'NAME="kexload test"\nID=kexload\nPRETTY_NAME="kexload test UKI"\n' \
	>"$work/osrel"

# The stub's SectionAlignment, and the end of its last section (VMA +
# size, from objdump's section table).
align=$((0x$("$objdump" -p "$stub" | awk '$1 == "SectionAlignment" { print $2 }')))
next=0
for end in $("$objdump" -h "$stub" | awk '$1 ~ /^[0-9]+$/ { print "0x" $4 "+0x" $3 }'); do
	[ $(($end)) -gt "$next" ] && next=$(($end))
done
[ "$align" -gt 0 ] && [ "$next" -gt 0 ] ||
	{ echo "mkuki: cannot read $stub's sections" >&2; exit 1; }

# One --add-section and --change-section-vma per section, each at the
# next SectionAlignment boundary after the one before.
[ -n "$cmdline" ] && printf '%s' "$cmdline" >"$work/cmdline"
set --
for name in osrel cmdline linux initrd; do
	case $name in
	osrel) file=$work/osrel ;;
	cmdline) file=$work/cmdline; [ -n "$cmdline" ] || continue ;;
	linux) file=$kernel ;;
	initrd) file=$initrd; [ "$initrd" != - ] || continue ;;
	esac
	vma=$(((next + align - 1) / align * align))
	set -- "$@" --add-section ".$name=$file" \
		--change-section-vma ".$name=$(printf 0x%x "$vma")"
	next=$((vma + $(stat -c %s "$file")))
done
"$objcopy" "$@" "$stub" "$out"
