#!/bin/sh
# Usage: scripts/sysroot.sh DEBIAN-ARCH
# Unpacks, with dpkg-deb -x into the git-ignored cache, the Debian packages
# a guest of DEBIAN-ARCH needs from the host: busybox-static, and the -dev
# packages the static kexload links (libfdt, zlib, liblzma, libzstd,
# libssl). Unpacking avoids multi-arch installs, which apt refuses when the
# archive's versions differ between architectures. Prints the sysroot path.
set -eu

arch=${1:?usage: sysroot.sh DEBIAN-ARCH}
top=$(cd "$(dirname "$0")/.." && pwd)
root=${KX_CACHE:-$top/.cache}/sysroot/$arch
pkgs="busybox-static libfdt-dev libfdt1 zlib1g-dev liblzma-dev libzstd-dev libssl-dev"

if [ -f "$root/.complete" ]; then
	echo "$root"
	exit 0
fi
if [ "$arch" != "$(dpkg --print-architecture)" ] &&
	! dpkg --print-foreign-architectures | grep -qx "$arch"; then
	dpkg --add-architecture "$arch"
	apt-get update -qq >/dev/null 2>&1 || true
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for p in $pkgs; do
	if ! (cd "$tmp" && apt-get download -q "$p:$arch" >/dev/null 2>&1); then
		apt-get update -qq >/dev/null 2>&1 || true
		(cd "$tmp" && apt-get download -q "$p:$arch" >/dev/null 2>&1) || {
			echo "sysroot: apt-get download $p:$arch failed" >&2
			exit 1
		}
	fi
done
rm -rf "$root"
mkdir -p "$root"
for d in "$tmp"/*.deb; do
	dpkg-deb -x "$d" "$root"
done
touch "$root/.complete"
echo "$root"
