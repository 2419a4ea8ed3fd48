#!/bin/sh
# make bench-vm: kexload against Debian's kexec-tools, in the same QEMU guest.
#
# Guest: 1 GiB, one CPU, TCG (x86_64 -M pc, arm64 -M virt -cpu max, as
# tests/vm/lib.sh sets them up), Debian's kernel (scripts/fetch-kernel.sh),
# booted with an initramfs holding busybox, the static build/ARCH/kexload,
# Debian's kexec-tools with its libraries and loader
# (scripts/fetch-kexec-tools.sh), bench/kx-measure, the same Debian kernel
# as kernel2 and initrd2.cpio: a root file system with a 32 MiB random
# payload (about 34 MiB in all). Every guest of an architecture boots the
# same initramfs; the kernel command line says which tool and check mode
# (kxb.tool=, kxb.checks=) bench/vm-init.sh uses. One guest per
# measurement, one guest at a time, BENCH_RUNS (3) of each cell, the cells
# taken in turn within a run so that a slow spell of the host hits all.
#
# What is measured, per tool, checks on and off (kexload: default and
# --no-checks; kexec-tools: default and -i):
#  load    kexload load / kexec -l, from fork to exit, on the guest's
#          CLOCK_MONOTONIC (bench/kx-measure.c, which only sleeps in wait4
#          meanwhile), the files already in the initramfs (RAM). The first
#          load in the guest is the one in the table; a third, warm one and
#          kexload plan (the same work without kexec_load(2)) show where
#          the time goes.
#  exec -> new init
#          from just before "kexload exec" / "kexec -e" to the first thing
#          the second kernel's /init does. No kernel clock spans this: the
#          second kernel's clocks start again from zero, and its uptime at
#          init leaves out the old kernel's shutdown, the purgatory (the
#          check being measured) and the decompressor. The CPU's own
#          counter does span it (x86 TSC, arm64 CNTVCT_EL0: the machine's,
#          never reset by a kexec), so bench/kx-measure stamps the counter
#          just before the exec command runs and as the new /init's first
#          command, and the time between is the counter difference at the
#          rate measured in the first kernel (counter against its
#          CLOCK_MONOTONIC, from its /init to the exec: seconds apart). A
#          counter that went back fails the run. As a cross-check the host
#          stamps each console line with its own CLOCK_MONOTONIC when QEMU
#          writes it; under TCG the guest's clocks follow the host's real
#          time, so the two must agree ("clock agreement" below), and the
#          host stamp of the kexload purgatory's report splits the exec
#          into shutdown and check, and the new kernel's boot.
#  memory  in a second, untimed load after an unload (so that sampling
#          cannot slow the timed one): peak RSS (ru_maxrss, the kernel's
#          VmHWM), and the peaks of RssAnon (private anonymous memory) and
#          RssShmem (the tmpfs files it maps) read from /proc/PID/status
#          every 2 ms. Reported, not judged.
# Medians of the runs go into the table, with the ratios kexload /
# kexec-tools and the project's targets beside them (met or not: a
# record, not a pass/fail). A guest that fails (a load error, a wrong
# payload digest or command line in the second kernel, a timeout) stops
# the benchmark with its console; nothing is left out silently.
#
# Under TCG the guest's time is the host's: other work on the host slows
# the guest and moves the figures (see "every run" in the output).
# BENCH_ICOUNT=1 runs QEMU with -icount shift=0,sleep=off instead: the
# guest's clocks then count its instructions (1 ns each) and skip idle
# time, so the figures repeat whatever the host does, but they measure
# instructions (an ARMv8 SHA-256 instruction costs as much as an add), not
# TCG's speed; host-stamped figures are then host time and not compared.
#
# BENCH_ARCH=x86_64,arm64 (default both), BENCH_RUNS=3, BENCH_ICOUNT=0.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
KX_TOP="$top"
export KX_TOP
. "$top/tests/vm/lib.sh"
W=$KX_BUILD/bench-vm
arches=$(echo "${BENCH_ARCH:-x86_64,arm64}" | tr , ' ')
runs=${BENCH_RUNS:-3}
limit=${KX_VM_TIMEOUT:-600}
mb=32
ram=1G
cells="kexload-on kexec-tools-on kexload-off kexec-tools-off"
icount=
[ "${BENCH_ICOUNT:-0}" = 1 ] && icount="-icount shift=0,sleep=off"
begin=$(date +%s)

die() {
	echo "bench-vm: $*" >&2
	exit 1
}

# Copies stdin to stdout, each line led by the host's CLOCK_MONOTONIC (in
# seconds) when the line's end arrived; carriage returns dropped.
stamp() {
	perl -MTime::HiRes=clock_gettime,CLOCK_MONOTONIC -e '
		$| = 1; my $buf = "";
		while (sysread(STDIN, my $c, 65536)) {
			my $t = clock_gettime(CLOCK_MONOTONIC);
			$c =~ tr/\r//d; $buf .= $c;
			printf "%.6f %s\n", $t, $1 while $buf =~ s/^([^\n]*)\n//;
		}
		printf "%.6f %s\n", clock_gettime(CLOCK_MONOTONIC), $buf if length $buf;'
}

# kx-measure for ARCH, static, with the compiler the static kexload uses.
build_measure() {
	case $1 in
	x86_64) cc=gcc ;;
	arm64) cc=aarch64-linux-gnu-gcc ;;
	esac
	$cc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -static \
		"$top/bench/kx-measure.c" -o "$W/$1/kx-measure"
}

# prepare ARCH: build/bench-vm/ARCH/initrd1.cpio and expected.sha256.
prepare() {
	arch=$1
	why=$(vm_cannot_run "$arch")
	[ -z "$why" ] || die "$arch: cannot run: $why"
	vm_arch_facts "$arch"
	w=$W/$arch
	rm -rf "$w"
	mkdir -p "$w"
	kernel=$("$top/scripts/fetch-kernel.sh" "$DEBARCH") || die "no $DEBARCH kernel"
	kt=$("$top/scripts/fetch-kexec-tools.sh" "$DEBARCH") || die "no $DEBARCH kexec-tools"
	build_measure "$arch"

	vm_rootfs "$w/root2"
	cp "$top/bench/vm-init.sh" "$w/root2/init"
	cp "$w/kx-measure" "$w/root2/kx-measure"
	vm_payload "$w/root2/payload" "$mb"
	sha256sum "$w/root2/payload" | cut -d' ' -f1 >"$w/expected.sha256"

	vm_rootfs "$w/root1"
	cp "$top/bench/vm-init.sh" "$w/root1/init"
	vm_pack "$w/root2" "$w/root1/initrd2.cpio"
	rm -rf "$w/root2"
	initrd2=$(stat -c %s "$w/root1/initrd2.cpio")
	cp "$KX_BUILD/$arch/kexload" "$w/root1/kexload"
	cp "$w/kx-measure" "$w/root1/kx-measure"
	vm_add_kexec_tools "$w/root1" "$arch" || die "no $DEBARCH kexec-tools"
	cp "$kernel" "$w/root1/kernel2"
	echo "CONSOLE='$CONSOLE panic=-1 quiet'" >"$w/root1/kxb.conf"
	vm_pack "$w/root1" "$w/initrd1.cpio"
	rm -rf "$w/root1"
	echo "$kernel" >"$w/kernel"
	{
		echo "kernel: $(cat "$(dirname "$kernel")/package") ($(stat -c %s "$kernel") bytes)"
		echo "initrd: $initrd2 bytes ($mb MiB payload)"
		echo "kexec-tools: $(sed -n 's/^kexec-tools //p' "$(dirname "$kt")/manifest")"
	} >"$w/facts"
}

# boot ARCH CELL RUN: one guest; its stamped console in DIR/console.
boot() {
	arch=$1 cell=$2 run=$3
	vm_arch_facts "$arch"
	d=$W/$arch/$cell-$run
	rm -rf "$d"
	mkdir -p "$d"
	tool=${cell%-*} checks=${cell##*-}
	kernel=$(cat "$W/$arch/kernel")
	marker=KX2-$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')
	echo "$marker" >"$d/marker"
	mkfifo "$d/serial"
	stamp <"$d/serial" >"$d/console" &
	spid=$!
	start=$(date +%s)
	# shellcheck disable=SC2086
	"$QEMU" $QEMU_ARGS $icount -m "$ram" -smp 1 -display none -monitor none \
		-no-reboot -serial stdio -kernel "$kernel" \
		-initrd "$W/$arch/initrd1.cpio" \
		-append "$CONSOLE panic=-1 quiet kx.stage=1 kxb.tool=$tool kxb.checks=$checks kxb.marker=$marker" \
		</dev/null >"$d/serial" 2>"$d/qemu.log" &
	qpid=$!
	while kill -0 "$qpid" 2>/dev/null; do
		if grep -q -e "SHA-256 mismatch" -e "KXB-DONE stage=1" "$d/console" 2>/dev/null ||
			[ $(($(date +%s) - start)) -ge "$limit" ]; then
			sleep 2
			kill "$qpid" 2>/dev/null || true
			break
		fi
		sleep 1
	done
	wait "$qpid" 2>/dev/null || true
	wait "$spid" 2>/dev/null || true
	echo $(($(date +%s) - start)) >"$d/seconds"
}

# measure ARCH CELL RUN: checks the console of one guest and prints its
# figures in the columns of $W/ARCH/CELL.runs (see COLUMNS), or "FAIL why".
COLUMNS="load_s exec_s maxrss_kb anon_kb shmem_kb purg_s up2_s skew_ms load2_s plan_s sha_s file_kb exec_host_s"
measure() {
	arch=$1 cell=$2 run=$3
	d=$W/$arch/$cell-$run
	awk -v marker="$(cat "$d/marker")" -v want="$(cat "$W/$arch/expected.sha256")" \
		-v cell="$cell" '
	function fail(why) { print "FAIL " why; bad = 1; exit }
	# "LABEL ns=N maxrss_kb=K rc=R": seconds, or fail
	function timed(what,   f) {
		split(line, f, /[ =]/)
		if (f[7] != 0) fail(what " exited with " f[7])
		return f[3] / 1e9
	}
	function opt(v) { return v == "" ? "-" : sprintf("%.4f", v) }
	# "LABEL counter=C mono_ns=M"
	function stamp(f) { split(line, f, /[ =]/); sc = f[3]; sm = f[5] }
	{ t = $1; line = substr($0, length($1) + 2) }
	line ~ /SHA-256 mismatch/ { fail("the purgatory reported a SHA-256 mismatch") }
	line ~ /^KXB-DONE stage=1/ { fail("stage 1: " line) }
	line ~ /^kx-measure: / { fail(line) }
	line == "KXB-LOAD start" { tls = t }
	line ~ /^KXB-LOAD ns=/ { load = timed("the load"); split(line, f, /[ =]/); rss = f[5]; tle = t }
	line ~ /^KXB-LOAD2 ns=/ { load2 = timed("the second load") }
	line ~ /^KXB-PLAN ns=/ { plan = timed("kexload plan") }
	line ~ /^KXB-SHA ns=/ { sha = timed("sha256sum") }
	line ~ /^KXB-MEM / {
		split(line, f, /[ =]/); anon = f[3]; file = f[5]; shmem = f[7]
		if (f[13] != 0) fail("the memory run of the load exited with " f[13])
	}
	line == "KXB-LOADED 1" { loaded = 1 }
	line ~ /^KXB-INIT / && c1 == "" { stamp(); c1 = sc; m1 = sm }
	line ~ /^KXB-EXEC / { stamp(); cx = sc; mx = sm; tx = t }
	line ~ /^KXB-INIT / && tx != "" && ti == "" { stamp(); c2 = sc; up2 = sm / 1e9; ti = t }
	line ~ /^kexload purgatory: / && tx != "" { tp = t; purg = line }
	line ~ /^KXB-CMDLINE / && ti != "" { cmd = line }
	line ~ /^KXB-PAYLOAD / && ti != "" { split(line, f, " "); got = f[2] }
	line == "KXB-DONE stage=2 ok" { done = 1 }
	END {
		if (bad) exit
		if (load == "" || load2 == "") fail("no timed load")
		if (anon == "") fail("no memory figures")
		if (cell ~ /^kexload/ && plan == "") fail("no timed plan")
		if (!loaded) fail("no kernel loaded before exec")
		if (tx == "") fail("never got to exec")
		if (ti == "") fail("no second kernel init after exec")
		if (index(cmd, "kx.marker=" marker) == 0) fail("stage 2: command line lacks " marker)
		if (got != want) fail("stage 2: payload digest " got ", want " want)
		if (!done) fail("stage 2 did not finish")
		if (cell == "kexload-on" && purg !~ /^kexload purgatory: [1-9][0-9]* segments, [1-9]/)
			fail("the kexload purgatory did not say it checked: " purg)
		if (cell == "kexload-off" && purg !~ /^kexload purgatory: 0 segments/)
			fail("the kexload purgatory did not say checks were off: " purg)
		# the counter rate, from the first kernel: its init to its exec
		if (mx <= m1 || cx <= c1) fail("stage 1: the counter did not advance")
		hz = (cx - c1) / ((mx - m1) / 1e9)
		if (c2 <= cx) fail("the counter went back across the kexec (" cx " to " c2 ")")
		skew = ((tle - tls) - load) * 1000
		printf "%.4f %.4f %d %d %d %s %.4f %.1f %.4f %s %s %d %.4f\n", load,
			(c2 - cx) / hz, rss, anon, shmem,
			tp == "" ? "-" : sprintf("%.4f", tp - tx), up2, skew, load2,
			opt(plan), opt(sha), file, ti - tx
	}' "$d/console"
}

median() {
	sort -n | awk '{ v[NR] = $1 } END {
		if (!NR) { print "-"; exit }
		print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# col ARCH CELL N: the median of column N of that cell's runs.
col() {
	awk -v n="$3" '{ print $n }' "$W/$1/$2.runs" | grep -v '^-$' | median
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b }'
}

# ---- run -------------------------------------------------------------------
mkdir -p "$W"
for arch in $arches; do
	prepare "$arch"
done
for arch in $arches; do
	for cell in $cells; do : >"$W/$arch/$cell.runs"; done
	r=1
	while [ $r -le "$runs" ]; do
		for cell in $cells; do
			boot "$arch" "$cell" "$r"
			res=$(measure "$arch" "$cell" "$r")
			case $res in
			FAIL*)
				echo "bench-vm: $arch $cell run $r failed: ${res#FAIL }" >&2
				echo "bench-vm: console of $W/$arch/$cell-$r (last 30 lines):" >&2
				cut -d' ' -f2- "$W/$arch/$cell-$r/console" | tail -n 30 | sed 's/^/  /' >&2
				exit 1 ;;
			esac
			echo "$res" >>"$W/$arch/$cell.runs"
			echo "bench-vm: $arch $cell run $r: load $(echo "$res" | cut -d' ' -f1) s," \
				"exec -> new init $(echo "$res" | cut -d' ' -f2) s" \
				"(guest $(cat "$W/$arch/$cell-$r/seconds") s)" >&2
		done
		r=$((r + 1))
	done
done

# ---- report ----------------------------------------------------------------
fmt() { [ "$1" = - ] && echo - || printf '%.3f' "$1"; }
met() {
	awk -v r="$1" -v lim="$2" 'BEGIN { if (r == "-") print "unknown"; else if (r <= lim) print "met"; else print "NOT met" }'
}
echo
mode="TCG guest, one CPU; guest time is host time"
[ -n "$icount" ] && mode="TCG guest, one CPU, $icount: guest time counts instructions"
echo "make bench-vm: medians of $runs run(s); $mb MiB random payload; $ram $mode"
for arch in $arches; do
	echo "  $arch: $(tr '\n' ';' <"$W/$arch/facts" | sed 's/;$//; s/;/; /g')"
done
echo "  kexload: $(git -C "$top" describe --always --dirty 2>/dev/null || echo unknown); QEMU: $($QEMU --version | head -n 1)"
echo
echo "| | load s, checks on | load s, checks off | exec → new init s, checks on | exec → new init s, checks off |"
echo "|---|---|---|---|---|"
for arch in $arches; do
	for tool in kexload kexec-tools; do
		printf '| %s %s | %s | %s | %s | %s |\n' "$arch" "$tool" \
			"$(fmt "$(col "$arch" "$tool-on" 1)")" "$(fmt "$(col "$arch" "$tool-off" 1)")" \
			"$(fmt "$(col "$arch" "$tool-on" 2)")" "$(fmt "$(col "$arch" "$tool-off" 2)")"
	done
done
for arch in $arches; do
	printf '| %s kexload / kexec-tools | %s | %s | %s | %s |\n' "$arch" \
		"$(ratio "$(col "$arch" kexload-on 1)" "$(col "$arch" kexec-tools-on 1)")" \
		"$(ratio "$(col "$arch" kexload-off 1)" "$(col "$arch" kexec-tools-off 1)")" \
		"$(ratio "$(col "$arch" kexload-on 2)" "$(col "$arch" kexec-tools-on 2)")" \
		"$(ratio "$(col "$arch" kexload-off 2)" "$(col "$arch" kexec-tools-off 2)")"
done
echo
echo "Targets (a record, not a test):"
for arch in $arches; do
	a=$(ratio "$(col "$arch" kexload-on 1)" "$(col "$arch" kexec-tools-on 1)")
	b=$(ratio "$(col "$arch" kexload-off 1)" "$(col "$arch" kexec-tools-off 1)")
	c=$(ratio "$(col "$arch" kexload-on 2)" "$(col "$arch" kexec-tools-off 2)")
	echo "  $arch: load with checks <= 0.8 x kexec-tools with checks: $a, $(met "$a" 0.8)"
	echo "  $arch: load --no-checks <= kexec-tools -i: $b, $(met "$b" 1.0)"
	echo "  $arch: exec -> new init with checks <= 1.05 x kexec-tools -i: $c, $(met "$c" 1.05)"
done
echo
echo "Memory of the load (medians, KiB): peak RSS = ru_maxrss (VmHWM); anon = peak RssAnon,"
echo "the private anonymous memory; shmem = peak RssShmem, the initramfs (tmpfs) files it maps;"
echo "anon and shmem sampled every 2 ms in an untimed load."
echo "| | peak RSS, on | anon, on | shmem, on | peak RSS, off | anon, off | shmem, off |"
echo "|---|---|---|---|---|---|---|"
for arch in $arches; do
	for tool in kexload kexec-tools; do
		printf '| %s %s | %s | %s | %s | %s | %s | %s |\n' "$arch" "$tool" \
			"$(col "$arch" "$tool-on" 3)" "$(col "$arch" "$tool-on" 4)" "$(col "$arch" "$tool-on" 5)" \
			"$(col "$arch" "$tool-off" 3)" "$(col "$arch" "$tool-off" 4)" "$(col "$arch" "$tool-off" 5)"
	done
done
echo
echo "Where the time goes (medians, s). Load: the first load in a guest (cold: QEMU"
echo "translates the tool's code as it runs), the third (warm), kexload plan (warm: the"
echo "same work without kexec_load(2)) and busybox sha256sum of the kernel and initrd."
echo "Exec: until the kexload purgatory's report (old kernel's shutdown, purgatory; host"
echo "stamps), and the new kernel's CLOCK_MONOTONIC at init (its clock's start to init)."
[ -n "$icount" ] && echo "(With -icount the host stamps are not guest time: no exec->purgatory.)"
for arch in $arches; do
	for cell in $cells; do
		purg=$(col "$arch" "$cell" 6)
		[ -n "$icount" ] && purg=-
		printf '  %-7s %-16s load cold %-6s warm %-6s plan %-6s sha256sum %-6s | exec->purgatory %-6s new kernel at init %s\n' \
			"$arch" "$cell" "$(col "$arch" "$cell" 1)" "$(col "$arch" "$cell" 9)" \
			"$(col "$arch" "$cell" 10)" "$(col "$arch" "$cell" 11)" \
			"$purg" "$(col "$arch" "$cell" 7)"
	done
done
echo
echo "Every run (load s / exec -> new init s):"
for arch in $arches; do
	for cell in $cells; do
		printf '  %-7s %-16s %s\n' "$arch" "$cell" \
			"$(awk '{ printf "%s / %s   ", $1, $2 }' "$W/$arch/$cell.runs")"
	done
done
# range AWK-EXPR: min..max of the expression over every run of this bench.
range() {
	for arch in $arches; do
		for cell in $cells; do cat "$W/$arch/$cell.runs"; done
	done | awk "{ printf \"%.1f\\n\", $1 }" | sort -n | sed -n '1p;$p' |
		tr '\n' ' ' | sed 's/ $//; s/ /../'
}
# shellcheck disable=SC2016
if [ -z "$icount" ]; then
	echo "Clock agreement, host stamps minus guest clocks, ms (min..max over all runs):" \
		"load $(range '$8'), exec -> new init $(range '($13 - $2) * 1000')"
fi
echo "Raw runs ($COLUMNS): $W/ARCH/CELL.runs"
echo "Total wall time: $(($(date +%s) - begin)) s"
