#!/bin/sh
# The second kernel of an arm scenario, made from the Debian armmp zImage:
#   variants-arm.sh VARIANT KERNEL ROOTDIR
# writes ROOTDIR/kernel2:
#   uimage         a legacy uImage of the zImage, made by Debian's mkimage
#                  (u-boot-tools): type kernel, with a load address and
#                  entry that kexload must not use
#   uimage-noload  the same, type kernel_noload
#   appended-dtb   the zImage with a device tree appended (QEMU's for this
#                  guest, -machine dumpdtb, /model changed): kexload must
#                  tell it apart, not load it, and hand over the running
#                  machine's tree in r2 (the scenario checks /model)
set -eu
variant=$1 kernel=$2 root=$3

case $variant in
uimage)
	mkimage -A arm -O linux -T kernel -C none -a 0x40008000 \
		-e 0x40008000 -n "kexload test zImage" -d "$kernel" \
		"$root/kernel2" >/dev/null
	;;
uimage-noload)
	mkimage -A arm -O linux -T kernel_noload -C none -a 0 -e 0 \
		-n "kexload test zImage" -d "$kernel" "$root/kernel2" >/dev/null
	;;
appended-dtb)
	qemu-system-arm -M virt,dumpdtb="$root/appended.dtb" \
		-m "${KX_RAM:?KX_RAM is the guest RAM size}" -smp 1 \
		-display none >/dev/null 2>&1
	fdtput -t s "$root/appended.dtb" / model "kexload-appended-dtb"
	cat "$kernel" "$root/appended.dtb" >"$root/kernel2"
	rm "$root/appended.dtb"
	;;
*)
	echo "variants-arm.sh: unknown variant $variant" >&2
	exit 2
	;;
esac
