#!/bin/sh
# Installs, with apt-get, the Debian packages kexload's build, tests, demo
# and benchmarks need, when any is missing. Idempotent: with everything
# present it only checks, and changes nothing.
set -eu

PKGS="make gcc clang lld perl cpio busybox-static qemu-system-x86 \
libfdt-dev libssl-dev zlib1g-dev liblzma-dev libzstd-dev libclang-rt-14-dev \
gcc-aarch64-linux-gnu libc6-dev-arm64-cross gcc-arm-linux-gnueabihf \
libc6-dev-armhf-cross qemu-system-arm qemu-user-static u-boot-tools \
device-tree-compiler qemu-efi-aarch64 ovmf mtools dosfstools fdisk \
shim-signed grub-efi-amd64-signed \
gcc-s390x-linux-gnu libc6-dev-s390x-cross qemu-system-misc \
ca-certificates"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "deps: installing:$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
