#!/bin/sh
# The unit tests built for the other architectures kexload targets (make
# static ARCH=arm64 builds them under build/arm64/tests/), run here under
# qemu-user: the library's byte order (s390x is big-endian), word size
# and, on arm64, its SHA-256 instructions, against the same vectors as
# the host's build. (QEMU's s390x has no CPACF SHA-256, so the s390x
# tests run the C blocks.)
# An architecture whose tests are not built, or without qemu-user, is a
# loud skip.
cd "$(dirname "$0")/../.." || exit 1
B=${KX_BUILD:-build}
n=0
fails=0
for arch in ${KX_CROSS:-arm64 arm s390x}; do
	case $arch in
	arm64) qemu=qemu-aarch64-static ;;
	arm) qemu=qemu-arm-static ;;
	*) qemu=qemu-$arch-static ;;
	esac
	set -- "$B/$arch"/tests/test_*
	if [ ! -x "$1" ]; then
		n=$((n + 1))
		echo "ok $n - $arch unit tests # SKIP not built (make static ARCH=$arch)"
		echo "# SKIPPED: $arch unit tests: not built" >&2
		continue
	fi
	if ! command -v "$qemu" >/dev/null; then
		n=$((n + 1))
		echo "ok $n - $arch unit tests # SKIP $qemu is not installed"
		echo "# SKIPPED: $arch unit tests: $qemu is not installed" >&2
		continue
	fi
	for t in "$@"; do
		n=$((n + 1))
		out=$("$qemu" "$t" 2>&1)
		rc=$?
		plan=$(echo "$out" | grep -c '^ok ')
		bad=$(echo "$out" | grep '^not ok ' | head -5)
		if [ "$rc" -eq 0 ] && [ -z "$bad" ] && [ "$plan" -gt 0 ]; then
			echo "ok $n - $arch $(basename "$t"): $plan checks"
		else
			fails=$((fails + 1))
			echo "not ok $n - $arch $(basename "$t") (exit $rc)"
			echo "$bad$(echo "$out" | tail -3)" | sed 's/^/# /'
		fi
	done
done
echo "1..$n"
exit $((fails > 0))
