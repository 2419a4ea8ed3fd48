#!/bin/sh
# The second kernel of an s390x scenario:
#   variants-s390x.sh VARIANT KERNEL ROOTDIR
# writes ROOTDIR/kernel2, for
#   elf    the Debian image as an s390x ELF kernel: its bytes linked at
#          physical 0, entry 0x10000, with binutils' s390x ld (what a
#          kernel build's arch/s390/boot/vmlinux is, and what the kernel's
#          own kexec_file_load takes as ELF); kexload lays the PT_LOAD out
#          and loads it as the image
set -eu
variant=$1 kernel=$2 root=$3

case $variant in
elf)
	command -v s390x-linux-gnu-ld >/dev/null || {
		echo "variants-s390x.sh: s390x-linux-gnu-ld is not installed" >&2
		exit 2
	}
	printf '%s\n' 'OUTPUT_FORMAT(elf64-s390)' 'ENTRY(kx_startup)' \
		'kx_startup = 0x10000;' 'SECTIONS { . = 0; .text : { *(.data) } }' \
		>"$root/../image-elf.ld"
	s390x-linux-gnu-ld -m elf64_s390 -T "$root/../image-elf.ld" \
		-b binary "$kernel" -o "$root/kernel2"
	;;
*)
	echo "variants-s390x.sh: unknown variant $variant" >&2
	exit 2
	;;
esac
