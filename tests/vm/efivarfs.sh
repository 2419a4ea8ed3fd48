#!/bin/sh
# efivarfs is a module in Debian's kernels: taken from the kernel's
# package (kept beside the kernel in the cache) for the guest to insmod,
# so that the guest can read EFI variables through the runtime services.
#   efivarfs.sh DEBARCH KERNEL ROOTDIR
# copies it to ROOTDIR/efivarfs.ko and ROOTDIR/../root-extra/.
set -eu
arch=$1 kernel=$2 root=$3
kdir=$(dirname "$kernel")
if [ ! -f "$kdir/efivarfs.ko" ]; then
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get download -q "$(cat "$kdir/package"):$arch" >/dev/null 2>&1) ||
		{ rm -rf "$tmp"; echo "cannot download $(cat "$kdir/package"):$arch" >&2; exit 1; }
	dpkg-deb -x "$tmp"/*.deb "$tmp/root"
	ko=$(find "$tmp/root" -name 'efivarfs.ko*' | head -n 1)
	case $ko in
	*.xz) xz -dc "$ko" >"$kdir/efivarfs.ko" ;;
	?*) cp "$ko" "$kdir/efivarfs.ko" ;;
	esac
	rm -rf "$tmp"
fi
[ -f "$kdir/efivarfs.ko" ] || { echo "no efivarfs.ko in the kernel's package" >&2; exit 1; }
cp "$kdir/efivarfs.ko" "$root/efivarfs.ko"
mkdir -p "$root/../root-extra"
cp "$kdir/efivarfs.ko" "$root/../root-extra/efivarfs.ko"
