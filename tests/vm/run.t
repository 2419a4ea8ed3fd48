#!/bin/sh
# Runs every QEMU scenario of tests/vm/scenarios, two guests at a time, and
# reports TAP. KX_VM selects: "all" (default, what CI runs), "none", or a
# comma-separated list of architectures and scenario names, such as
# "x86_64" or "arm64-uefi,arm-basic". A scenario that cannot
# run here is reported as skipped, with the reason.
KX_TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$KX_TOP/tests/vm/lib.sh"

sel=${KX_VM:-all}
jobs=${KX_VM_JOBS:-2}
list=$(grep -v '^#' "$KX_TOP/tests/vm/scenarios" | grep -v '^ *$')
n=$(echo "$list" | wc -l)
echo "1..$n"

# An architecture or a scenario's name selects it.
selected() {
	[ "$sel" = all ] && return 0
	echo ",$sel," | grep -q -e ",$1," -e ",$2,"
}

run_one() {
	# name arch ram mb kexecs style opts expect variant
	set -- $1
	w=$KX_VMDIR/$1
	mkdir -p "$w"
	KX_RAM=$3   # for variants that must match the guest (a dumped DTB)
	export KX_RAM
	case $6 in
	kdump-*)
		# tests/vm/kdump.sh: a crash captured and read back; 77 is
		# "cannot run here", with the reason
		sh "$KX_TOP/tests/vm/kdump.sh" "$1" "$2" "$3" "$5" \
			"${6#kdump-}" "$8" >"$w.result" 2>&1
		rc=$?
		[ "$rc" = 77 ] && tail -n 1 "$w.result" >"$w.skip"
		echo "$rc" >"$w.status"
		return ;;
	esac
	{
		vm_build "$1" "$2" "$4" "$5" "$6" "$7" "${9:--}" &&
			vm_boot "$1" "$2" "$3" &&
			vm_verify "$1" "$5" "$8"
	} >"$w.result" 2>&1
	echo $? >"$w.status"
}

# Start them, at most $jobs at once.
mkdir -p "$KX_VMDIR"
pids=
running() {
	c=0
	for p in $pids; do
		kill -0 "$p" 2>/dev/null && c=$((c + 1))
	done
	echo "$c"
}
for name in $(echo "$list" | awk '{print $1}'); do
	line=$(echo "$list" | awk -v n="$name" '$1 == n')
	arch=$(echo "$line" | awk '{print $2}')
	rm -f "$KX_VMDIR/$name.status" "$KX_VMDIR/$name.result" "$KX_VMDIR/$name.skip"
	if ! selected "$arch" "$name"; then
		echo "not selected (KX_VM=$sel; CI runs all)" >"$KX_VMDIR/$name.skip"
		continue
	fi
	why=$(vm_cannot_run "$arch")
	if [ -n "$why" ]; then
		echo "$why" >"$KX_VMDIR/$name.skip"
		continue
	fi
	while [ "$(running)" -ge "$jobs" ]; do
		sleep 1
	done
	run_one "$line" &
	pids="$pids $!"
done
wait

i=0
for name in $(echo "$list" | awk '{print $1}'); do
	i=$((i + 1))
	w=$KX_VMDIR/$name
	if [ -f "$w.skip" ]; then
		echo "ok $i - $name # SKIP $(cat "$w.skip")"
		echo "# SKIPPED: QEMU scenario $name did not run: $(cat "$w.skip")" >&2
		continue
	fi
	secs=$(cat "$w/seconds" 2>/dev/null || echo "?")
	if [ "$(cat "$w.status" 2>/dev/null)" = 0 ]; then
		echo "ok $i - $name ($secs s)"
		echo "# vm: $name passed in $secs s" >&2
		if [ -f "$w/summary" ]; then
			sed 's/^/# vm: /' "$w/summary" >&2
		fi
	else
		echo "# vm: $name FAILED after $secs s" >&2
		echo "not ok $i - $name ($secs s)"
		sed 's/^/# /' "$w.result"
		if [ -f "$w/summary" ]; then
			sed 's/^/# /' "$w/summary"
		fi
		echo "# console (last 30 lines):"
		tr -d '\r' <"$w/console.log" 2>/dev/null | tail -n 30 | sed 's/^/#   /'
	fi
done
# The failures again, last, where a log's tail shows them (prove prints a
# test's standard error, not its diagnostics).
for name in $(echo "$list" | awk '{print $1}'); do
	w=$KX_VMDIR/$name
	[ -f "$w.skip" ] && continue
	[ "$(cat "$w.status" 2>/dev/null)" = 0 ] && continue
	echo "# vm: FAILED $name: $(grep -v '^ *$' "$w.result" | tail -n 1)" >&2
	[ -f "$w/summary" ] && grep '^FAILED' "$w/summary" | sed "s/^/# vm:   /" >&2
done
# The verdict is the ok / not ok lines above; a last scenario without a
# summary must not turn into a failing exit status.
exit 0
