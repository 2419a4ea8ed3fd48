#!/bin/sh
# A UKI variant's finish-root (tests/vm/lib.sh runs it once the second
# kernel's initrd is packed):
#   uki-root.sh ARCH KERNEL ROOTDIR INITRD2 CMDLINE
# writes ROOTDIR/uki.efi (scripts/mkuki.sh: Debian 12's systemd-stub for
# ARCH with KERNEL as .linux, INITRD2 as .initrd and CMDLINE plus
# efi=debug, so that the kernel's stub speaks under "quiet", as .cmdline)
# and takes KERNEL's copy and INITRD2 out of ROOTDIR: only the UKI goes
# to the guest, which loads it with neither (style uki).
set -e
top=$(cd "$(dirname "$0")/../.." && pwd)
"$top/scripts/mkuki.sh" "$1" "$2" "$4" "$5 efi=debug" "$3/uki.efi"
rm -f "$3/kernel2" "$4"
