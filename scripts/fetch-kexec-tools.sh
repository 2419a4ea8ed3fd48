#!/bin/sh
# Usage: scripts/fetch-kexec-tools.sh DEBIAN-ARCH
# Debian's kexec-tools for DEBIAN-ARCH (amd64, arm64, armhf, ...), ready to
# be copied into a QEMU guest's root file system: downloads the package
# with apt-get, unpacks it with dpkg-deb -x, and adds every shared library
# its programs need (readelf -d NEEDED, followed through the libraries) and
# the dynamic loader they ask for (readelf -l), each taken from the Debian
# package that ships it. Those packages are found by following the Depends
# of the packages already taken, so nothing here knows library names.
# Prints the path of a directory in the git-ignored cache holding
#   sbin/kexec, sbin/vmcore-dmesg     the programs, as packaged
#   lib/TRIPLET/*.so.*                their libraries, symlinks resolved
#   the loader, at its packaged path  (/lib64/ld-linux-x86-64.so.2, ...)
#   ../manifest                       the packages and versions used
# Libraries go where Debian's loader looks without an ld.so.cache
# (/lib/TRIPLET). The programs are only read here, never run: running
# kexec on the host is exactly what this project must not do.
# Word splitting below is over package names and paths made here (no spaces).
# shellcheck disable=SC2012,SC2013,SC2044,SC2086
set -eu

arch=${1:?usage: fetch-kexec-tools.sh DEBIAN-ARCH}
top=$(cd "$(dirname "$0")/.." && pwd)
base=${KX_CACHE:-$top/.cache}/kexec-tools/$arch
mkdir -p "$base"

candidate() {
	apt-cache policy "kexec-tools:$arch" 2>/dev/null |
		awk '/Candidate:/ && $2 != "(none)" { print $2; exit }'
}

ver=$(candidate)
if [ -z "$ver" ]; then
	# apt knows a foreign architecture's packages only once it is added
	# (scripts/fetch-kernel.sh does the same).
	if [ "$arch" != "$(dpkg --print-architecture)" ] &&
		! dpkg --print-foreign-architectures | grep -qx "$arch"; then
		dpkg --add-architecture "$arch" 2>/dev/null || true
	fi
	apt-get update -qq >/dev/null 2>&1 || true
	ver=$(candidate)
fi
if [ -z "$ver" ]; then
	last=$(ls -d "$base"/*/.complete 2>/dev/null | sort -V | tail -n 1)
	if [ -n "$last" ]; then
		echo "fetch-kexec-tools: archive not reachable; using cached ${last%/.complete}" >&2
		echo "${last%/.complete}/root"
		exit 0
	fi
	echo "fetch-kexec-tools: apt knows no kexec-tools for $arch" >&2
	exit 1
fi

dir=$base/${ver#*:}
if [ -f "$dir/.complete" ]; then
	echo "$dir/root"
	exit 0
fi

tmp=$(mktemp -d "$base/.dl.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/debs" "$tmp/pkg" "$tmp/out"
: >"$tmp/fetched"
: >"$tmp/useful"

# fetch PKG: downloads and unpacks PKG:$arch once; an architecture-less
# package (debconf) or a virtual one fails here, harmlessly: only a library
# left unresolved at the end is an error.
fetch() {
	grep -qx "$1" "$tmp/fetched" && return 0
	echo "$1" >>"$tmp/fetched"
	mkdir -p "$tmp/debs/$1"
	(cd "$tmp/debs/$1" && apt-get download -q "$1:$arch" >/dev/null 2>&1) ||
		return 0
	deb=$(ls "$tmp/debs/$1"/*.deb)
	dpkg-deb -x "$deb" "$tmp/pkg/$1"
	echo "$1 $(dpkg-deb -f "$deb" Version)" >>"$tmp/versions"
}

# The first name of each Depends alternative, without versions.
depends() {
	dpkg-deb -f "$(ls "$tmp/debs/$1"/*.deb)" Depends |
		tr ',' '\n' | sed 's/|.*//; s/(.*//; s/:any//; s/[[:space:]]//g' |
		grep -v '^$' || true
}

needed() {
	readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'
}

fetch kexec-tools
[ -f "$tmp/pkg/kexec-tools/sbin/kexec" ] ||
	{ echo "fetch-kexec-tools: kexec-tools:$arch has no sbin/kexec" >&2; exit 1; }
echo kexec-tools >>"$tmp/useful"
mkdir -p "$tmp/out/sbin"
for p in kexec vmcore-dmesg; do
	[ -f "$tmp/pkg/kexec-tools/sbin/$p" ] &&
		cp "$tmp/pkg/kexec-tools/sbin/$p" "$tmp/out/sbin/$p"
done
interp=$(readelf -l "$tmp/out/sbin/kexec" |
	sed -n 's/.*Requesting program interpreter: \(.*\)\]$/\1/p')
[ -n "$interp" ] ||
	{ echo "fetch-kexec-tools: sbin/kexec names no program interpreter" >&2; exit 1; }

# in_pkg ROOT FILE: FILE with its symlinks followed inside the unpacked
# package ROOT (an absolute link such as /lib64/ld-linux-x86-64.so.2 ->
# /lib/x86_64-linux-gnu/... must not reach the host's own files).
in_pkg() {
	f=$2 n=0
	while [ -L "$f" ] && [ $n -lt 16 ]; do
		l=$(readlink "$f")
		case $l in
		/*) f=$1$l ;;
		*) f=$(dirname "$f")/$l ;;
		esac
		n=$((n + 1))
	done
	[ -f "$f" ] && echo "$f"
}

# find_lib NAME: "PACKAGE DIR FILE": the packaged library NAME (in DIR,
# as packaged), resolved to a regular file, from the packages fetched.
find_lib() {
	for p in $(cat "$tmp/fetched"); do
		[ -d "$tmp/pkg/$p" ] || continue
		for f in $(find "$tmp/pkg/$p/lib" "$tmp/pkg/$p/usr/lib" -name "$1" \
			\( -type f -o -type l \) 2>/dev/null); do
			r=$(in_pkg "$tmp/pkg/$p" "$f") &&
				{ echo "$p $(dirname "$f") $r"; return 0; }
		done
	done
	return 1
}

# resolve: copies every library the copied programs and libraries need and
# that is found in the packages fetched so far; lists the rest.
resolve() {
	: >"$tmp/missing"
	changed=1
	while [ $changed = 1 ]; do
		changed=0
		for elf in $(find "$tmp/out" -type f); do
			for so in $(needed "$elf"); do
				[ -n "$(find "$tmp/out/lib" -name "$so" 2>/dev/null)" ] && continue
				hit=$(find_lib "$so") || { echo "$so" >>"$tmp/missing"; continue; }
				set -- $hit
				# usr/lib/TRIPLET and lib/TRIPLET both become lib/TRIPLET
				triplet=$(basename "$2")
				mkdir -p "$tmp/out/lib/$triplet"
				cp "$3" "$tmp/out/lib/$triplet/$so"
				grep -qx "$1" "$tmp/useful" || echo "$1" >>"$tmp/useful"
				changed=1
			done
		done
	done
	sort -u -o "$tmp/missing" "$tmp/missing"
}

# Widen the set of packages along the Depends of those that gave something,
# until every library is found or no package is left to try.
while :; do
	resolve
	# the loader the programs ask for, at that path
	if [ ! -e "$tmp/out$interp" ]; then
		name=$(basename "$interp")
		mkdir -p "$tmp/out$(dirname "$interp")"
		have=$(cd "$tmp/out" && find lib -name "$name" 2>/dev/null | head -n 1)
		if [ -n "$have" ]; then
			# the loader is also a NEEDED library (arm64): link to it
			up=$(dirname "$interp" | sed 's|/[^/]*|../|g')
			ln -s "$up$have" "$tmp/out$interp"
		elif hit=$(find_lib "$name"); then
			set -- $hit
			cp "$3" "$tmp/out$interp"
		else
			echo "$name" >>"$tmp/missing"
		fi
	fi
	[ -s "$tmp/missing" ] || break
	new=0
	for p in $(cat "$tmp/useful"); do
		for d in $(depends "$p"); do
			grep -qx "$d" "$tmp/fetched" && continue
			fetch "$d"
			new=1
		done
	done
	if [ $new = 0 ]; then
		echo "fetch-kexec-tools: no package among the Depends of" \
			"$(tr '\n' ' ' <"$tmp/useful")ships: $(tr '\n' ' ' <"$tmp/missing")" >&2
		exit 1
	fi
done

rm -rf "$dir"
mkdir -p "$dir"
mv "$tmp/out" "$dir/root"
{
	echo "# Debian packages in $dir/root (kexec-tools:$arch and what its programs need)"
	for p in $(cat "$tmp/useful"); do
		grep "^$p " "$tmp/versions"
	done
} >"$dir/manifest"
touch "$dir/.complete"
echo "$dir/root"
