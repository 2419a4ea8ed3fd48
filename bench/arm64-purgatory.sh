#!/bin/sh
# make bench: the arm64 purgatory's hashing throughput, measured in a QEMU
# guest (qemu-system-aarch64 -M virt -cpu max, TCG, 2 GiB): the Debian arm64
# Image loaded with a 200 MiB initrd, once with the check and once with
# --no-checks. The purgatory times its own check with the architected
# counter (CNTVCT_EL0) and prints it on the console; the host prints that
# line for both runs, and the wall time of each guest (boot, load, kexec,
# second kernel up). Under TCG the figure is QEMU's emulation speed, not a
# real CPU's: it shows the check's share of a kexec, and that the fast
# path (caches on, SHA-256 instructions) is the one that ran.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
KX_TOP=$top
. "$top/tests/vm/lib.sh"
KX_VMDIR=$KX_BUILD/bench/vm
mb=${KX_BENCH_MB:-200}

why=$(vm_cannot_run arm64)
if [ -n "$why" ]; then
	echo "arm64 purgatory bench: cannot run: $why" >&2
	exit 1
fi
for mode in checks no-checks; do
	opts=-
	[ $mode = no-checks ] && opts=--no-checks
	name=arm64-bench-$mode
	vm_build "$name" arm64 "$mb" 1 kexload "$opts" >/dev/null
	vm_boot "$name" arm64 2G
	if ! out=$(vm_verify "$name" 1 ok); then
		echo "arm64 purgatory bench ($mode): the guest failed: $out" >&2
		exit 1
	fi
	line=$(grep "^kexload purgatory:" "$KX_VMDIR/$name/console.txt")
	printf '%-10s %s s guest wall time; %s\n' "$mode" \
		"$(cat "$KX_VMDIR/$name/seconds")" "${line#kexload purgatory: }"
done
