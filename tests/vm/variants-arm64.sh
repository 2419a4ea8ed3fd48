#!/bin/sh
# The second kernel of an arm64 scenario, made from the Debian Image:
#   variants-arm64.sh VARIANT KERNEL ROOTDIR
# writes ROOTDIR/kernel2 (and ROOTDIR/user.dtb for "dtb"):
#   gz           Image.gz, gzip -9 as the kernel's build makes it
#   zboot-METHOD an EFI zboot vmlinuz (gzip, lzma or zstd payload), built by
#                build/host/mkarm64 following the header the kernel writes
#   uefi         the Debian Image as it is; the first boot goes through UEFI
#   dtb          the Debian Image as it is, and the device tree QEMU gives
#                this guest (-machine dumpdtb, same machine and RAM: $KX_RAM)
#                with /model changed, for --dtb=/user.dtb
set -eu
variant=$1 kernel=$2 root=$3
top=$(cd "$(dirname "$0")/../.." && pwd)
B=${KX_BUILD:-$top/build}

case $variant in
gz)
	gzip -9 -n -c "$kernel" >"$root/kernel2"
	;;
zboot-gzip | zboot-lzma | zboot-zstd)
	"$B/host/mkarm64" zboot "${variant#zboot-}" "$kernel" "$root/kernel2"
	;;
dtb)
	cp "$kernel" "$root/kernel2"
	qemu-system-aarch64 -M virt,dumpdtb="$root/user.dtb" -cpu max \
		-m "${KX_RAM:?KX_RAM is the guest RAM size}" -smp 1 \
		-display none >/dev/null 2>&1
	fdtput -t s "$root/user.dtb" / model "kexload-user-dtb"
	;;
uefi)
	# The first kernel boots through UEFI (QEMU's EDK2 build loads it
	# from -kernel): its device tree has no memory nodes, and the EFI
	# memory map's reservations are in /proc/iomem.
	cp "$kernel" "$root/kernel2"
	echo "-bios /usr/share/qemu-efi-aarch64/QEMU_EFI.fd" >"$root/../qemu.args"
	;;
*)
	echo "variants-arm64.sh: unknown variant $variant" >&2
	exit 2
	;;
esac
