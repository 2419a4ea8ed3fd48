#!/bin/sh
# The second kernel of a ppc64le scenario, and the guest it runs in:
#   variants-ppc64.sh VARIANT KERNEL ROOTDIR
# writes ROOTDIR/kernel2 (the Debian vmlinux as it is), and for
#   smp2   a guest with two CPUs (ROOTDIR/../qemu.args), both of which
#          must be online in the second kernel
set -eu
variant=$1 kernel=$2 root=$3

cp "$kernel" "$root/kernel2"
case $variant in
smp2)
	echo "-smp 2" >"$root/../qemu.args"
	;;
*)
	echo "variants-ppc64.sh: unknown variant $variant" >&2
	exit 2
	;;
esac
