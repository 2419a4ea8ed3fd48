#!/bin/sh
# make demo: boots the Debian amd64 kernel in QEMU (TCG), and inside it
# kexload loads the same kernel with a new initrd and command line and
# executes it. Shows the plan kexload makes in the guest and the console of
# both kernels as it happens.
set -eu
KX_TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$KX_TOP/tests/vm/lib.sh"

why=$(vm_cannot_run x86_64)
if [ -n "$why" ]; then
	echo "demo: cannot run: $why" >&2
	exit 1
fi
echo "demo: building the guest (Debian kernel, busybox, static kexload, a 4 MiB payload)..."
vm_build demo x86_64 4 1 kexload --debug
w=$KX_VMDIR/demo
echo "demo: the plan for QEMU's 1 GiB memory map, from this host:"
"$KX_TOP/build/host/kexload" plan "$KERNEL" \
	--mem-map "$KX_TOP/tests/fixtures/iomem/qemu-pc-1g.iomem" \
	--command-line "console=ttyS0 panic=-1 quiet kx.stage=2" | sed 's/^/  /'
echo "demo: booting; the guest's console follows (kexload's plan in the guest is its --debug output)"
echo "--------------------------------------------------------------------------"
vm_boot demo x86_64 1G &
boot=$!
# vm_build emptied $w: the log is there once the guest starts.
while [ ! -f "$w/console.log" ] && kill -0 $boot 2>/dev/null; do
	sleep 0.2
done
tail -n +1 -f "$w/console.log" --pid=$boot | tr -d '\r'
wait $boot || true
echo "--------------------------------------------------------------------------"
if vm_verify demo 1 ok; then
	echo "demo: the second kernel came up with the new command line (marker KX2-$(cat "$w/marker"))"
	echo "demo: and read its payload with SHA-256 $(cat "$w/expected.sha256"), as on the host"
	echo "demo: round trip $(cat "$w/seconds") s under TCG"
else
	echo "demo: FAILED" >&2
	exit 1
fi
