#!/bin/sh
# make bench: kexload plan of the Debian amd64 kernel with a 256 MiB initrd,
# timed against sha256sum of the same two files in the same run. plan reads,
# places and hashes everything it would load, so sha256sum of the inputs is
# the floor it is measured against. Best of 7 runs each, files in the page
# cache. Prints both times and the ratio.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
kx=$top/build/host/kexload
runs=${KX_BENCH_RUNS:-7}

kernel=$("$top/scripts/fetch-kernel.sh" amd64)
initrd=$top/build/bench/initrd-256M
mkdir -p "$top/build/bench"
if [ ! -f "$initrd" ] || [ "$(stat -c %s "$initrd")" -ne 268435456 ]; then
	head -c 268435456 /dev/urandom >"$initrd"
fi
cat "$kernel" "$initrd" >/dev/null

now() { date +%s%N; }

# best NAME CMD...: the fastest of $runs runs, in nanoseconds
best() {
	b=0
	i=0
	while [ $i -lt "$runs" ]; do
		t0=$(now)
		"$@" >/dev/null
		t=$(($(now) - t0))
		if [ $b -eq 0 ] || [ $t -lt $b ]; then b=$t; fi
		i=$((i + 1))
	done
	echo $b
}

plan_ns=$(best "$kx" plan "$kernel" --initrd "$initrd" --ram 4G --json)
sha_ns=$(best sha256sum "$kernel" "$initrd")
mb=$(( ($(stat -c %s "$kernel") + 268435456) / 1048576 ))
ms() { echo "$1" | awk '{ printf "%.1f", $1 / 1e6 }'; }

echo "bench: inputs: $(basename "$(dirname "$kernel")") ($(stat -c %s "$kernel") bytes) + 256 MiB initrd, $mb MiB in all"
echo "bench: sha256 instructions on this CPU: $(grep -q -w sha_ni /proc/cpuinfo && echo yes || echo no)"
echo "bench: kexload plan --json      best of $runs: $(ms "$plan_ns") ms ($(echo "$mb $plan_ns" | awk '{ printf "%.0f", $1 / ($2 / 1e9) }') MiB/s)"
echo "bench: sha256sum kernel initrd  best of $runs: $(ms "$sha_ns") ms ($(echo "$mb $sha_ns" | awk '{ printf "%.0f", $1 / ($2 / 1e9) }') MiB/s)"
echo "bench: ratio plan / sha256sum: $(echo "$plan_ns $sha_ns" | awk '{ printf "%.2f", $1 / $2 }')"
