#!/bin/sh
# The second kernel of an arm64 scenario, made from the Debian Image:
#   variants-arm64.sh VARIANT KERNEL ROOTDIR
# writes ROOTDIR/kernel2 (and ROOTDIR/user.dtb for "dtb"):
#   gz           Image.gz, gzip -9 as the kernel's build makes it
#   zboot-METHOD an EFI zboot vmlinuz (gzip, lzma or zstd payload), built by
#                build/host/mkarm64 following the header the kernel writes
#   uefi         the Debian Image as it is; the first boot goes through UEFI
#   uki          a UKI (scripts/mkuki.sh: Debian 12's systemd-stub with the
#                Debian Image as .linux) holding the second kernel's
#                initrd as .initrd and its command line, with efi=debug,
#                as .cmdline, at ROOTDIR/uki.efi; made by finish-root
#                (tests/vm/uki-root.sh) once that initrd is packed (style
#                uki loads it without either)
#   uki-uefi     the same, the first boot through UEFI (as uefi)
#   dtb          the Debian Image as it is, and the device tree QEMU gives
#                this guest (-machine dumpdtb, same machine and RAM: $KX_RAM)
#                with /model changed, for --dtb=/user.dtb
#   dt-reserved  the Debian Image as it is; the first kernel boots (-dtb)
#                with QEMU's tree for this guest plus a no-map
#                /reserved-memory/kx-pattern@ADDR over the last MiB of RAM
#                (where the initrd goes top-down) and a size-only node,
#                so that it really reserves the region and kexload finds
#                it in /sys/firmware/fdt (guest-init.sh plants a pattern
#                in it; the next kernel reads it back)
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
dt-reserved)
	cp "$kernel" "$root/kernel2"
	case ${KX_RAM:?KX_RAM is the guest RAM size} in
	*G) mb=$((${KX_RAM%G} * 1024)) ;;
	*M) mb=${KX_RAM%M} ;;
	*) echo "variants-arm64.sh: RAM size $KX_RAM: not NG or NM" >&2; exit 2 ;;
	esac
	base=$((0x40000000 + mb * 1048576 - 0x100000))
	w=$(cd "$root/.." && pwd)
	qemu-system-aarch64 -M virt,dumpdtb="$w/qemu.dtb" -cpu max -m "$KX_RAM" \
		-smp 1 -display none >/dev/null 2>&1
	{
		dtc -q -I dtb -O dts "$w/qemu.dtb"
		printf '/ { reserved-memory { #address-cells = <2>; #size-cells = <2>; ranges;\n'
		printf '\tkx-pattern@%x { reg = <0x%x 0x%x 0x0 0x100000>; no-map; };\n' \
			"$base" $((base >> 32)) $((base & 0xffffffff))
		printf '\tkx-dynamic { size = <0x0 0x100000>; }; }; };\n'
	} | dtc -q -I dts -O dtb -o "$w/first.dtb"
	echo "-dtb $w/first.dtb" >"$w/qemu.args"
	;;
uki | uki-uefi)
	cp "$kernel" "$root/kernel2"
	printf '#!/bin/sh\nexec "%s" arm64 "%s" "$@"\n' \
		"$top/tests/vm/uki-root.sh" "$kernel" >"$root/../finish-root"
	chmod +x "$root/../finish-root"
	if [ "$variant" = uki-uefi ]; then
		echo "-bios /usr/share/qemu-efi-aarch64/QEMU_EFI.fd" >"$root/../qemu.args"
		"$top/tests/vm/efivarfs.sh" arm64 "$kernel" "$root"
	fi
	;;
uefi)
	# The first kernel boots through UEFI (QEMU's EDK2 build loads it
	# from -kernel): its device tree has no memory nodes, and the EFI
	# memory map's reservations are in /proc/iomem.
	cp "$kernel" "$root/kernel2"
	echo "-bios /usr/share/qemu-efi-aarch64/QEMU_EFI.fd" >"$root/../qemu.args"
	"$top/tests/vm/efivarfs.sh" arm64 "$kernel" "$root"
	;;
*)
	echo "variants-arm64.sh: unknown variant $variant" >&2
	exit 2
	;;
esac
