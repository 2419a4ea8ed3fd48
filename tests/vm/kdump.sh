#!/bin/sh
# Usage: tests/vm/kdump.sh NAME ARCH RAM SMP STYLE [EXPECT]
# One kdump scenario (tests/vm/scenarios' style "kdump-STYLE"): boot the
# Debian kernel with crashkernel=, load a crash kernel (STYLE kexload:
# "kexload load --crash"; kexec: kexload as /sbin/kexec, loading and
# unloading as Fedora's kdump-utils does ("kexec -s -p --command-line=
# --initrd=", "kexec -s -p -u"), then loading as Debian's kdump-tools
# does ("kexec -p [-s] --command-line= --initrd="); kexec-tools:
# Debian's kexec-tools package), fill 4 MiB with a pattern, write a marker
# to the kernel log, crash through /proc/sysrq-trigger; the crash kernel
# checks /proc/vmcore with kx-vmcore (ELF header, notes, every pattern
# page) and runs Debian's makedumpfile --dump-dmesg. Writes
# build/vm/NAME/summary (times, results). Exit 0: passed; 1: failed (the
# reason on stdout); 77: cannot run here (the reason on stdout). EXPECT
# "fails" (kexec-tools' arm64 crash loads under kptr_restrict): the capture
# must fail, and how it failed is reported; passing then is a failure.
KX_TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$KX_TOP/tests/vm/lib.sh"
set -u

name=$1 arch=$2 ram=$3 smp=$4 style=$5 expect=${6:-ok}
skip() { echo "$*"; exit 77; }
vm_arch_facts "$arch" || skip "no QEMU set-up for $arch"
w=$KX_VMDIR/$name
rm -rf "$w"
mkdir -p "$w"
why=$(vm_cannot_run "$arch")
[ -z "$why" ] || skip "$why"
[ -x "$KX_BUILD/$arch/kx-vmcore" ] ||
	skip "build/$arch/kx-vmcore is missing (make static ARCH=$arch)"
command -v readelf >/dev/null || skip "readelf is not installed"

# Debian packages for the guest, unpacked into the cache: makedumpfile
# (crash kernel) and kexec-tools (first kernel, STYLE kexec-tools).
debroot() {
	d=$KX_CACHE/kdump/$DEBARCH/$1
	if [ ! -f "$d/.complete" ]; then
		tmp=$(mktemp -d)
		for p in $2; do
			(cd "$tmp" && apt-get download -q "$p:$DEBARCH" >/dev/null 2>&1) ||
				{ rm -rf "$tmp"; return 1; }
		done
		rm -rf "$d"
		mkdir -p "$d"
		for f in "$tmp"/*.deb; do dpkg-deb -x "$f" "$d"; done
		rm -rf "$tmp"
		touch "$d/.complete"
	fi
	echo "$d"
}

# Copies the dynamic program $2 (a path inside the unpacked tree $1) to the
# same path under $3, with its interpreter and every NEEDED library,
# recursively, found in the tree.
copy_dynamic() {
	src=$1 prog=$2 dst=$3
	mkdir -p "$dst$(dirname "$prog")"
	cp "$src$prog" "$dst$prog"
	interp=$(readelf -l "$src$prog" | sed -n 's/.*interpreter: \(.*\)]/\1/p')
	[ -n "$interp" ] || return 1
	todo="$prog"
	seen=
	real=$(find "$src" -name "$(basename "$interp")" | head -n 1)
	[ -n "$real" ] || return 1
	mkdir -p "$dst$(dirname "$interp")"
	cp -L "$real" "$dst$interp"
	while [ -n "$todo" ]; do
		set -- $todo
		f=$1
		shift
		todo=$*
		for lib in $(readelf -d "$src$f" 2>/dev/null |
			sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
			case " $seen " in *" $lib "*) continue ;; esac
			seen="$seen $lib"
			p=$(cd "$src" && find . -name "$lib" | head -n 1)
			[ -n "$p" ] || { echo "copy_dynamic: $lib not found"; return 1; }
			p=${p#.}
			mkdir -p "$dst$(dirname "$p")"
			cp -L "$src$p" "$dst$p"
			todo="$todo $p"
		done
	done
}

mdf=$(debroot makedumpfile "makedumpfile libc6 libdw1 libelf1 liblzo2-2 zlib1g libbz2-1.0 liblzma5 libzstd1") ||
	skip "apt-get download of makedumpfile:$DEBARCH and its libraries failed"
KERNEL=$("$KX_TOP/scripts/fetch-kernel.sh" "$DEBARCH") || skip "no Debian $DEBARCH kernel"
# Without CONFIG_CRASH_DUMP a kernel reserves no crashkernel= region (and
# has no /proc/vmcore): Debian 12's s390x kernel is built so (measured:
# no "Crash kernel" in /proc/iomem, kexec_crash_size 0).
kconfig=$(dirname "$KERNEL")/config
if [ -f "$kconfig" ] && ! grep -q "^CONFIG_CRASH_DUMP=y" "$kconfig"; then
	skip "Debian's $DEBARCH kernel ($(basename "$(dirname "$KERNEL")")) is built without CONFIG_CRASH_DUMP: crashkernel= reserves nothing, so no crash kernel can be loaded, and it has no /proc/vmcore"
fi
seed=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
marker=$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')

# The crash kernel's initramfs.
vm_rootfs "$w/root2"
cp "$KX_TOP/tests/vm/kdump-init.sh" "$w/root2/init"
cp "$KX_BUILD/$arch/kx-vmcore" "$w/root2/kx-vmcore"
copy_dynamic "$mdf" /usr/bin/makedumpfile "$w/root2" ||
	{ echo "makedumpfile's libraries could not be gathered"; exit 1; }
# The first kernel's.
vm_rootfs "$w/root1"
cp "$KX_TOP/tests/vm/kdump-init.sh" "$w/root1/init"
cp "$KX_BUILD/$arch/kexload" "$KX_BUILD/$arch/kx-vmcore" "$w/root1/"
cp "$KERNEL" "$w/root1/kernel2"
sflag=
case $style in
kexec)
	# kdump-tools passes -s where the kernel has kexec_file_load by its
	# configuration; Debian's arm64 and armhf kernels have none, and
	# kexload then loads through its own path (and says so).
	[ "$arch" = x86_64 ] || sflag=-s ;;
kexec-tools)
	ktpkgs="kexec-tools libc6 zlib1g liblzma5"
	# Xen's libraries, where Debian builds kexec-tools with Xen
	case $DEBARCH in
	amd64 | arm64 | armhf)
		ktpkgs="$ktpkgs libxenmisc4.17 libxentoollog1 libxencall1 libxenevtchn1 libxengnttab1 libxenforeignmemory1 libxendevicemodel1 libxentoolcore1" ;;
	esac
	kt=$(debroot kexec-tools "$ktpkgs") ||
		skip "apt-get download of kexec-tools:$DEBARCH failed"
	copy_dynamic "$kt" /sbin/kexec "$w/root1/kt-root" ||
		{ echo "kexec-tools' libraries could not be gathered"; exit 1; }
	# its own loader and libraries, where the guest has none
	mkdir -p "$w/root1/kt"
	cp -a "$w/root1/kt-root/." "$w/root1/"
	ln -sf /sbin/kexec "$w/root1/kt/kexec"
	rm -rf "$w/root1/kt-root" ;;
esac
conf="STYLE=$style
SFLAG=$sflag
SEED=$seed
MARKER=$marker
CRASH_CMDLINE='$CONSOLE irqpoll nr_cpus=1 reset_devices panic=-1 kx.stage=2'"
echo "$conf" >"$w/root2/kx.conf"
echo "$conf" >"$w/root1/kx.conf"
vm_pack "$w/root2" "$w/root1/initrd2.cpio"
vm_pack "$w/root1" "$w/initrd1.cpio"
rm -rf "$w/root1" "$w/root2"

# Boot; every console line gets the host's clock in times.log, for the
# time from the crash to the crash kernel's init.
start=$(date +%s)
limit=${KX_VM_TIMEOUT:-900}
# shellcheck disable=SC2086
timeout "$limit" "$QEMU" $QEMU_ARGS -m "$ram" -smp "$smp" \
	-display none -monitor none -no-reboot -serial stdio \
	-kernel "$KERNEL" -initrd "$w/initrd1.cpio" \
	-append "$CONSOLE crashkernel=256M panic=-1 quiet kx.stage=1" \
	</dev/null 2>"$w/qemu.log" |
	perl -MTime::HiRes=time -ne 'BEGIN { $| = 1; open T, ">", shift; select((select(T), $| = 1)[0]) }
		print; printf T "%.3f %s", time, $_' "$w/times.log" >"$w/console.log"
echo $(($(date +%s) - start)) >"$w/seconds"
tr -d '\r' <"$w/console.log" >"$w/console.txt"
tr -d '\r' <"$w/times.log" >"$w/times.txt"

c=$w/console.txt
fail() {
	if [ "$expect" = fails ]; then
		echo "failed as expected: $*"
		echo "FAILED, AS EXPECTED: $*" >>"$w/summary"
		exit 0
	fi
	echo "$*"
	echo "FAILED: $*" >>"$w/summary"
	exit 1
}
t_crash=$(awk '/KX-CRASH-NOW/ { print $1; exit }' "$w/times.txt")
t_init=$(awk '/KX-STAGE 2/ { print $1; exit }' "$w/times.txt")
load=$(grep -m 1 "^KX-LOAD " "$c")
vmcore=$(grep -m 1 "^KX-VMCORE " "$c")
mdf_line=$(grep -m 1 "^KX-MAKEDUMPFILE " "$c")
dmesg=$(grep -m 1 "^KX-DMESG " "$c")
uptime=$(grep -m 1 "^KX-UPTIME " "$c" | cut -d' ' -f2)
secs=
[ -n "$t_crash" ] && [ -n "$t_init" ] &&
	secs=$(awk -v a="$t_crash" -v b="$t_init" 'BEGIN { printf "%.1f", b - a }')
{
	echo "scenario: $name ($arch, $ram, $smp CPU, $style)"
	echo "load: ${load:-none}"
	grep -m 1 "^KX-DT-CRASH " "$c" | sed 's/^KX-DT-CRASH /crashkernel= region in the device tree: /'
	grep -m 1 -i -e "Can't get the symbol" -e "page_offset" "$c" | sed 's/^/loader said: /'
	echo "crash to the crash kernel's init: ${secs:-never} s (crash kernel uptime at init: ${uptime:-?} s)"
	echo "vmcore: ${vmcore:-none}"
	grep "^KX-VMCORE-LOAD \|^KX-VMCORE-BADVADDR \|^KX-VMCORE-LOW " "$c" | sed 's/^KX-VMCORE-/vmcore /'
	echo "makedumpfile: ${mdf_line:-none}; ${dmesg:-none}"
} >"$w/summary"
# kexec-tools' own failure under kptr_restrict=2 (kdump-init.sh), reported;
# only the one whose cause is known is accepted, and only where KASLR put
# the kernel's text where that cause applies (a kernel under 128 MiB that
# starts below 0xffffffff98000000 ends below the 512 MiB kexec-tools scans).
restricted=$(grep -m 1 "^KX-KT-RESTRICTED " "$c")
if [ -n "$restricted" ]; then
	echo "kexec-tools under kptr_restrict=2: FAILED: ${restricted#KX-KT-RESTRICTED }; loaded again under kptr_restrict=1" >>"$w/summary"
	echo "$restricted" | grep -q "said=Can't find kernel text map area from kcore" ||
		fail "kexec-tools failed for an unknown reason: $restricted"
	text=$(echo "$restricted" | sed -n 's/.* text=\([0-9a-f]*\) .*/\1/p')
	low=$(echo "$text" | tail -c 9)
	[ ${#text} = 16 ] && [ $((0x$low)) -ge $((0x98000000)) ] ||
		fail "kexec-tools failed with the kernel's text at ${text:-?}, where its 512 MiB scan would find it: $restricted"
elif [ "$style" = kexec-tools ]; then
	echo "kexec-tools under kptr_restrict=2: loaded" >>"$w/summary"
fi
grep -q "^KX-LOAD rc=0 crash_loaded=1" "$c" || fail "the crash kernel was not loaded: ${load:-no KX-LOAD line}"
grep -q "^KX-PATTERN ready" "$c" || fail "the pattern was not written"
grep -q "^KX-CRASH-NOW" "$c" || fail "the first kernel never crashed"
grep -q "^KX-STAGE 2" "$c" || fail "the crash kernel never came up"
if [ "$style" != kexec-tools ]; then
	# kexload's hand-over, by the architecture's rules
	case $arch in
	arm64)
		grep -q "^KX-DT linux,elfcorehdr " "$c" ||
			fail "the crash kernel's /chosen has no linux,elfcorehdr"
		grep -q "^KX-DT linux,usable-memory-range " "$c" ||
			fail "the crash kernel's /chosen has no linux,usable-memory-range" ;;
	ppc64le)
		# elfcorehdr= first, the memory node limited to [0, the
		# crash region's end) and RTAS, the purgatory's backup of
		# the first 64 KiB read back through /proc/vmcore
		grep -q "^KX-CMDLINE elfcorehdr=" "$c" ||
			fail "the crash kernel's command line does not start with elfcorehdr="
		grep -q "^KX-DT memory@0/linux,usable-memory 0000000000000000" "$c" ||
			fail "the crash kernel's memory@0 has no linux,usable-memory from 0"
		grep -q "^KX-VMCORE-LOAD paddr=0x0 vaddr=0xc000000000000000 size=0x10000$" "$c" ||
			fail "/proc/vmcore has no PT_LOAD of its own for the first 64 KiB"
		grep -q "^KX-VMCORE-LOW bytes=65536 nonzero=[1-9]" "$c" ||
			fail "/proc/vmcore's first 64 KiB are zeros: the purgatory's backup did not run"
		grep -q "^kexload purgatory: [0-9]* segments, [0-9]* bytes checked.*, $PURG_MODE" "$c" ||
			fail "no line from the purgatory's check on the console" ;;
	s390x)
		# no core header is passed: the kdump kernel builds its own
		# from the parameter area's oldmem_base and oldmem_size (the
		# /proc/vmcore checks below); the purgatory's line comes after
		# it swapped the crash region to 0
		grep -q "^KX-CMDLINE .*elfcorehdr=" "$c" &&
			fail "an elfcorehdr= was passed to the s390x crash kernel"
		grep -q "^kexload purgatory: [0-9]* segments, [0-9]* bytes checked" "$c" ||
			fail "no line from the purgatory after the swap" ;;
	*)
		grep -q "^KX-CMDLINE .*elfcorehdr=" "$c" ||
			fail "the crash kernel's command line has no elfcorehdr=" ;;
	esac
fi
if [ "$style" = kexec ]; then
	grep -q "^KX-FEDORA-LOAD rc=0 crash_loaded=1" "$c" ||
		fail "kexec -s -p (Fedora's kdump-utils) did not load"
	grep -q "^KX-FEDORA-UNLOAD rc=0 crash_loaded=0" "$c" ||
		fail "kexec -s -p -u (Fedora's kdump-utils) did not unload"
fi
if [ "$style" = kexec ] && [ -n "$sflag" ]; then
	grep -q "^kexec: note: this kernel has no kexec_file_load; loading with kexec_load" "$c" ||
		fail "kexec -s: no note that kexec_load was used instead"
fi
echo "$vmcore" | grep -q " vaddrs=[0-9]*-right,0-wrong " ||
	fail "/proc/vmcore: PT_LOADs with the wrong virtual address: $(grep -m 1 '^KX-VMCORE-BADVADDR' "$c")"
echo "$vmcore" | grep -q "vmcoreinfo=yes .* pages=1024/1024 bad=0" ||
	fail "/proc/vmcore: ${vmcore:-no KX-VMCORE line}"
grep -q "^KX-VMCORE-RC 0" "$c" || fail "kx-vmcore check failed"
echo "$vmcore" | grep -q " prstatus=$smp " ||
	fail "/proc/vmcore: not one PRSTATUS note for each of the $smp CPUs: $vmcore"
echo "$mdf_line" | grep -q "rc=0" || fail "makedumpfile: ${mdf_line:-did not run}"
echo "$dmesg" | grep -q "marker=yes" || fail "makedumpfile's dmesg lacks the marker: ${dmesg:-none}"
grep -q "^KX-DONE stage=2" "$c" || fail "the crash kernel did not finish"
if [ "$expect" = fails ]; then
	echo "expected to fail, but the capture worked"
	echo "PASSED, NOT AS EXPECTED" >>"$w/summary"
	exit 1
fi
exit 0
