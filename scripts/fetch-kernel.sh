#!/bin/sh
# Usage: scripts/fetch-kernel.sh DEBIAN-ARCH
# Downloads the current Debian 12 kernel package for DEBIAN-ARCH (amd64,
# arm64, armhf, ppc64el, s390x) into the git-ignored cache, unpacks it, and
# prints the path of its kernel image. A kernel already in the cache is used
# again; if the archive cannot be asked, the newest cached one is used.
set -eu

arch=${1:?usage: fetch-kernel.sh DEBIAN-ARCH}
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${KX_CACHE:-$top/.cache}/debian/$arch
mkdir -p "$cache"

case $arch in
amd64) meta=linux-image-amd64 ;;
arm64) meta=linux-image-arm64 ;;
armhf) meta=linux-image-armmp ;;
ppc64el) meta=linux-image-powerpc64le ;;
s390x) meta=linux-image-s390x ;;
*) echo "fetch-kernel: unknown Debian architecture $arch" >&2; exit 2 ;;
esac

current() {
	apt-cache depends "$meta:$arch" 2>/dev/null |
		awk '/Depends: linux-image-[0-9]/ { sub(/:.*/, "", $2); print $2; exit }'
}

pkg=$(current)
if [ -z "$pkg" ]; then
	# apt knows a foreign architecture's packages only once it is added
	# (scripts/sysroot.sh does the same).
	if [ "$arch" != "$(dpkg --print-architecture)" ] &&
		! dpkg --print-foreign-architectures | grep -qx "$arch"; then
		dpkg --add-architecture "$arch" 2>/dev/null || true
	fi
	apt-get update -qq >/dev/null 2>&1 || true
	pkg=$(current)
fi
if [ -z "$pkg" ]; then
	last=$(ls -d "$cache"/linux-image-* 2>/dev/null | sort -V | tail -n 1)
	if [ -n "$last" ] && [ -f "$last/vmlinuz" ]; then
		echo "fetch-kernel: archive not reachable; using cached $last" >&2
		echo "$last/vmlinuz"
		exit 0
	fi
	echo "fetch-kernel: cannot find the current $meta for $arch" >&2
	exit 1
fi

dir=$cache/$pkg
if [ ! -f "$dir/vmlinuz" ]; then
	tmp=$(mktemp -d "$cache/.dl.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	(cd "$tmp" && apt-get download -q "$pkg:$arch" >/dev/null 2>&1) || {
		echo "fetch-kernel: apt-get download $pkg:$arch failed" >&2
		exit 1
	}
	dpkg-deb -x "$tmp"/*.deb "$tmp/root"
	img=$(ls "$tmp"/root/boot/vmlinu* 2>/dev/null | head -n 1)
	[ -n "$img" ] || { echo "fetch-kernel: no kernel in $pkg" >&2; exit 1; }
	mkdir -p "$dir.new"
	cp "$img" "$dir.new/vmlinuz"
	cp "$tmp"/root/boot/config-* "$dir.new/config" 2>/dev/null || true
	echo "$pkg" > "$dir.new/package"
	rm -rf "$dir"
	mv "$dir.new" "$dir"
fi
echo "$dir/vmlinuz"
