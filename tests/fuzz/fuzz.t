#!/bin/sh
# Fuzz smoke runs: every libFuzzer target in fuzz/ runs for a few seconds
# (KX_FUZZ_TIME, 5 by default) on its seed corpus and must exit 0: no
# crash, sanitizer report, leak or timeout. A target that was not built is
# a failure, not a skip. Seeds are the committed fuzz/corpus/NAME/ and, for
# bzimage, synthetic images written by build/host/mkbzimage (no real kernel
# is committed or downloaded), for the arm64 ones build/host/mkarm64, for
# zimage and uimage build/host/mkzimage, for s390_image a few written
# here with perl, for the device tree the trees
# QEMU's virt machines have. `make fuzz build/host/mkbzimage
# build/host/mkarm64 build/host/mkzimage` builds all this runs; the
# corpora grow under build/fuzz-corpus/.
set -u
cd "$(dirname "$0")/../.." || exit 1
B=${KX_BUILD:-build}
TIME=${KX_FUZZ_TIME:-5}
# UBSan's reports are errors here, as in the unit tests.
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export UBSAN_OPTIONS

n=0
fails=0
pass() { n=$((n + 1)); echo "ok $n - $*"; }
fail() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }

# A few valid variants, and header edge cases a mutator reaches slowly.
seed_bzimage() {
	mk=$B/host/mkbzimage
	[ -x "$mk" ] || return 1
	"$mk" "$1/default" &&
	"$mk" -c xz "$1/xz" &&
	"$mk" -c zstd -p 0x020c -x 0x1 "$1/protocol-2.12" &&
	"$mk" -c none -s 1 -k 1024 "$1/small" &&
	"$mk" -s 0 -k 4096 -i 0x10000 -l 255 "$1/setup-sects-0" &&
	"$mk" -P 0x1100000 -a 0x1000 "$1/pref-unaligned" &&
	"$mk" -c lz4 -s 30 -a 0x1000000 -i 0x2000000 "$1/big"
}

# arm64: a synthetic Image (mkarm64), and the wrappers around it.
seed_arm64() {
	mk=$B/host/mkarm64
	[ -x "$mk" ] || return 1
	"$mk" image "$1/image" || return 1
	case $2 in
	arm64_image) ;;
	gzip) "$mk" gzip "$1/image" "$1/image.gz" && rm "$1/image" ;;
	zboot)
		for m in gzip lzma xz zstd; do
			"$mk" zboot "$m" "$1/image" "$1/zboot-$m" || return 1
		done
		rm "$1/image" ;;
	esac
}

# 32-bit ARM: small synthetic zImages and uImages (headers only).
seed_arm() {
	mk=$B/host/mkzimage
	[ -x "$mk" ] && "$mk" "$2" "$1"
}

# s390: small synthetic images (the IPL record, the entry marker, a
# parameter area announcing 4096, 0 or 0x2000 command-line bytes).
seed_s390() {
	for max in 4096 0 8192; do
		perl -e '
			my ($max, $len) = @ARGV;
			my $d = join "", map { chr(($_ * 7) & 0xff) } 0 .. $len - 1;
			substr($d, 0, 24) = pack("N6", 0x00080000, 0x80000200,
				0x02000018, 0x60000050, 0x02000068, 0x60000050);
			substr($d, 0x10008, 8) = "S390EP\0\1";
			substr($d, 0x10400, 0x80) = pack("Q>7", 0, 0, 0, 0, 0, 0x14000, $max)
				. "\0" x 0x48;
			substr($d, 0x14000, 11) = "6.1.0-fuzz\0";
			print $d;' "$max" $((0x16000)) >"$1/image-$max" || return 1
	done
}

# PE/COFF: small PE32+ images, written here: arm64 and x86_64, one with
# a .reloc section (one DIR64 relocation), one with relocations stripped.
seed_pe() {
	for v in arm64 x86_64 reloc stripped; do
		perl -e '
			my ($v) = @ARGV;
			my $len = 0x1800;
			my $d = join "", map { chr(($_ * 13) & 0xff) } 0 .. $len - 1;
			substr($d, 0, 0x400) = "\0" x 0x400;
			substr($d, 0, 2) = "MZ";
			substr($d, 0x3c, 4) = pack("V", 0x40);
			my $m = $v eq "x86_64" ? 0x8664 : 0xaa64;
			my $nsec = $v eq "reloc" ? 3 : 2;
			my $chars = $v eq "stripped" ? 0x207 : 0x206;
			my $base = $v eq "stripped" ? 0x40400000 : 0;
			substr($d, 0x40, 24) = "PE\0\0" . pack("vvVVVvv", $m, $nsec,
				0, 0, 0, 240, $chars);
			my $opt = pack("vCCVVVVVQ<VVvvvvvvVVVVvvQ<Q<Q<Q<VV",
				0x20b, 2, 0, 0x1000, 0x200, 0, 0x1010, 0x1000,
				$base, 0x1000, 0x200, 0, 0, 0, 0, 0, 0, 0, 0x5000,
				0x400, 0, 10, 0, 0, 0, 0, 0, 0, 16);
			my @dirs = (0) x 32;
			@dirs[10, 11] = (0x4000, 12) if $v eq "reloc";
			substr($d, 0x58, 240) = $opt . pack("V32", @dirs);
			my $sec = pack("a8VVVVVVvvV", ".text", 0x1000, 0x1000, 0x1000,
				0x400, 0, 0, 0, 0, 0x60000020)
				. pack("a8VVVVVVvvV", ".data", 0x2000, 0x2000, 0x200,
				0x1400, 0, 0, 0, 0, 0xc0000040);
			$sec .= pack("a8VVVVVVvvV", ".reloc", 12, 0x4000, 0x200,
				0x1600, 0, 0, 0, 0, 0x42000040) if $v eq "reloc";
			substr($d, 0x148, length $sec) = $sec;
			substr($d, 0x1600, 12) = pack("VVvv", 0x2000, 12, 0xa008, 0)
				if $v eq "reloc";
			print $d;' "$v" >"$1/pe-$v" || return 1
	done
}

# Device trees: what QEMU gives its arm64 and ARM virt machines.
seed_dt() {
	got=1
	for q in "qemu-system-aarch64 -cpu max" qemu-system-arm; do
		# shellcheck disable=SC2086
		$q -M virt,dumpdtb="$1/${q%% *}.dtb" -m 1G -display none \
			>/dev/null 2>&1 && got=0
	done
	return $got
}

for src in fuzz/fuzz_*.c; do
	t=$(basename "$src" .c)
	name=${t#fuzz_}
	bin=$B/fuzz/$t
	corpus=$B/fuzz-corpus/$t
	log=$B/fuzz-corpus/$t.log

	rm -rf "$corpus"
	mkdir -p "$corpus"
	if [ -d "fuzz/corpus/$name" ]; then
		cp "fuzz/corpus/$name"/* "$corpus"/
	fi
	case $name in
	bzimage)
		if seed_bzimage "$corpus"; then
			pass "$t: seed images from mkbzimage"
		else
			fail "$t: seed images from $B/host/mkbzimage (missing or failed)"
		fi ;;
	arm64_image | gzip | zboot)
		if seed_arm64 "$corpus" "$name"; then
			pass "$t: seed images from mkarm64"
		else
			fail "$t: seed images from $B/host/mkarm64 (missing or failed)"
		fi ;;
	zimage | uimage)
		if seed_arm "$corpus" "$name"; then
			pass "$t: seed images from mkzimage"
		else
			fail "$t: seed images from $B/host/mkzimage (missing or failed)"
		fi ;;
	s390_image)
		# and the s390x ELF kernels test_s390x reads, laid out as images
		if seed_s390 "$corpus" &&
			cp "$B"/fixtures/s390x-vmlinux "$B"/fixtures/s390x-vmlinux-high \
				"$corpus"/ 2>/dev/null; then
			pass "$t: seed images written here, ELF kernels from $B/fixtures"
		else
			fail "$t: seed images (perl failed)"
		fi ;;
	elf)
		if cp "$B"/fixtures/elf-* "$corpus"/ 2>/dev/null; then
			pass "$t: seed executables from $B/fixtures"
		else
			fail "$t: no seed executable in $B/fixtures (make check builds them)"
		fi ;;
	pe | efienv)
		if seed_pe "$corpus"; then
			pass "$t: seed images written here"
		else
			fail "$t: seed images (perl failed)"
		fi ;;
	dt)
		if seed_dt "$corpus"; then
			pass "$t: seed device trees from QEMU's virt machines"
		else
			fail "$t: no seed device tree (qemu-system-aarch64/arm -M virt,dumpdtb)"
		fi ;;
	esac
	if [ ! -x "$bin" ]; then
		fail "$t: $bin is missing (make fuzz)"
		continue
	fi
	seeds=$(ls "$corpus" | wc -l)
	# -timeout: one input taking 30 s is a hang; 10 s was reached once
	# by a slow input on a host busy with QEMU guests.
	if "$bin" -max_total_time="$TIME" -timeout=30 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$B/fuzz-corpus/$t-" \
		"$corpus" >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		pass "$t: ${TIME}s from $seeds seeds, ${runs:-?} runs, no failure"
	else
		rc=$?
		fail "$t: exited $rc (log: $log)"
		tail -n 40 "$log" | sed 's/^/# /' >&2
	fi
done
echo "1..$n"
[ "$fails" -eq 0 ]
