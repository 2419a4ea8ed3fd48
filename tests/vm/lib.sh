# shellcheck shell=sh
# The QEMU harness every architecture's scenarios share: fetch the Debian
# kernel, build the guest's initramfs (busybox-static, the static kexload,
# a second kernel and initrd), boot it under TCG, and read the console.
# Scenarios are declared in tests/vm/scenarios; tests/vm/run.t runs them.

KX_TOP=${KX_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
KX_BUILD=${KX_BUILD:-$KX_TOP/build}
KX_VMDIR=${KX_VMDIR:-$KX_BUILD/vm}
KX_CACHE=${KX_CACHE:-$KX_TOP/.cache}

# Per-architecture facts: Debian arch, QEMU, machine, console, static
# build, and how the purgatory must say it ran its check (empty: no line).
vm_arch_facts() {
	PURG_MODE=
	VARIANTS=$1
	case $1 in
	x86_64)
		DEBARCH=amd64
		QEMU=qemu-system-x86_64
		QEMU_ARGS="-M pc -cpu max"
		CONSOLE=console=ttyS0
		BUSYBOX=/bin/busybox
		PURG_MODE="caches on, generic C"
		;;
	arm64)
		DEBARCH=arm64
		QEMU=qemu-system-aarch64
		QEMU_ARGS="-M virt -cpu max"
		CONSOLE=console=ttyAMA0
		BUSYBOX=$KX_CACHE/sysroot/arm64/bin/busybox
		PURG_MODE="caches on, SHA-256 instructions"
		;;
	arm)
		DEBARCH=armhf
		QEMU=qemu-system-arm
		QEMU_ARGS="-M virt"
		CONSOLE=console=ttyAMA0
		BUSYBOX=$KX_CACHE/sysroot/armhf/bin/busybox
		PURG_MODE="caches on, generic C"
		;;
	s390x)
		DEBARCH=s390x
		QEMU=qemu-system-s390x
		QEMU_ARGS="-M s390-ccw-virtio"
		CONSOLE=console=ttysclp0
		BUSYBOX=$KX_CACHE/sysroot/s390x/bin/busybox
		# QEMU's TCG has no CPACF SHA-256 (KIMD function 2)
		PURG_MODE="caches on, generic C"
		;;
	ppc64le)
		DEBARCH=ppc64el
		QEMU=qemu-system-ppc64
		QEMU_ARGS="-M pseries -cpu POWER9"
		CONSOLE=console=hvc0
		BUSYBOX=$KX_CACHE/sysroot/ppc64el/bin/busybox
		PURG_MODE="caches on, generic C"
		VARIANTS=ppc64
		;;
	*)
		return 1 ;;
	esac
}

# Why a scenario for $1 cannot run here, or nothing.
vm_cannot_run() {
	vm_arch_facts "$1" || { echo "no QEMU set-up for $1"; return; }
	command -v "$QEMU" >/dev/null || { echo "$QEMU is not installed"; return; }
	command -v cpio >/dev/null || { echo "cpio is not installed"; return; }
	if [ ! -x "$BUSYBOX" ] && [ "$DEBARCH" != amd64 ]; then
		"$KX_TOP/scripts/sysroot.sh" "$DEBARCH" >/dev/null 2>&1
	fi
	[ -x "$BUSYBOX" ] || { echo "busybox-static ($BUSYBOX) is missing"; return; }
	[ -x "$KX_BUILD/$1/kexload" ] ||
		{ echo "build/$1/kexload is missing (make static ARCH=$1)"; return; }
}

# A directory packed as a newc cpio archive.
vm_pack() {
	(cd "$1" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) >"$2"
}

# Lays out a root file system in $1 with init, busybox and kx.conf.
vm_rootfs() {
	dir=$1
	rm -rf "$dir"
	mkdir -p "$dir/bin" "$dir/dev" "$dir/proc" "$dir/sys" "$dir/tmp"
	cp "$BUSYBOX" "$dir/bin/busybox"
	cp "$KX_TOP/tests/vm/guest-init.sh" "$dir/init"
	if [ "$(id -u)" -eq 0 ]; then
		mknod "$dir/dev/console" c 5 1 2>/dev/null || true
	fi
}

# vm_add_kexec_tools ROOT ARCH: Debian's kexec-tools for ARCH added to the
# guest root file system ROOT: /sbin/kexec, /sbin/vmcore-dmesg, the
# libraries they need and their loader (scripts/fetch-kexec-tools.sh), so
# that a guest can run kexec-tools beside kexload.
vm_add_kexec_tools() {
	vm_arch_facts "$2" || return 1
	kt=$("$KX_TOP/scripts/fetch-kexec-tools.sh" "$DEBARCH") || return 1
	cp -a "$kt/." "$1/"
}

# A payload file of $2 MiB of random bytes at $1.
vm_payload() {
	head -c "$(($2 * 1048576))" /dev/urandom >"$1"
}

# vm_build NAME ARCH PAYLOAD_MB KEXECS STYLE OPTS [VARIANT]: builds
# build/vm/NAME/ with initrd1.cpio and expected.sha256; sets KERNEL.
# VARIANT (not "-") makes the second kernel and any files it needs with
# tests/vm/variants-ARCH.sh VARIANT KERNEL ROOTDIR, which must write
# ROOTDIR/kernel2 (an Image.gz, a ZBOOT, a uImage, a --dtb file, ...),
# and may write ROOTDIR/../qemu.args: more QEMU options for the first boot
# (firmware, say), ROOTDIR/../root-extra/: files for the second kernel's
# root file system too, and ROOTDIR/../finish-root: a program run once the
# second kernel's initrd is packed, as finish-root ROOTDIR INITRD2 CMDLINE
# (CMDLINE: what guest-init.sh would give the second kernel), for files
# made of them (a UKI holding both).
vm_build() {
	name=$1 arch=$2 mb=$3 kexecs=$4 style=$5 opts=$6 variant=${7:--}
	vm_arch_facts "$arch"
	w=$KX_VMDIR/$name
	rm -rf "$w"
	mkdir -p "$w"
	KERNEL=$("$KX_TOP/scripts/fetch-kernel.sh" "$DEBARCH") || return 1
	marker=$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')
	[ "$opts" = - ] && opts=
	opts=$(echo "$opts" | tr , ' ')
	conf="KEXECS=$kexecs
STYLE=$style
OPTS='$opts'
CONSOLE='$CONSOLE panic=-1 quiet'
MARKER=$marker"
	vm_rootfs "$w/root1"
	cp "$KX_BUILD/$arch/kexload" "$w/root1/kexload"
	if [ "$style" = corrupt ]; then
		cp "$KX_BUILD/$arch/kx-corrupt" "$w/root1/kx-corrupt"
	fi
	if [ "$style" = kexec-tools ]; then
		vm_add_kexec_tools "$w/root1" "$arch" ||
			{ echo "no kexec-tools for $arch"; return 1; }
	fi
	if [ "$variant" = - ]; then
		cp "$KERNEL" "$w/root1/kernel2"
	else
		sh "$KX_TOP/tests/vm/variants-$VARIANTS.sh" "$variant" "$KERNEL" \
			"$w/root1" || { echo "variant $variant failed"; return 1; }
		[ -f "$w/root1/kernel2" ] || { echo "variant $variant made no kernel2"; return 1; }
	fi
	if [ "$kexecs" -gt 1 ]; then
		vm_payload "$w/root1/payload" "$mb"
		sha256sum "$w/root1/payload" | cut -d' ' -f1 >"$w/expected.sha256"
		printf '%s\nNEXT_INITRD=rebuild\n' "$conf" >"$w/root1/kx.conf"
	else
		vm_rootfs "$w/root2"
		# a variant's files for the second kernel's root too
		[ -d "$w/root-extra" ] && cp -a "$w/root-extra/." "$w/root2/"
		vm_payload "$w/root2/payload" "$mb"
		sha256sum "$w/root2/payload" | cut -d' ' -f1 >"$w/expected.sha256"
		printf '%s\nNEXT_INITRD=/initrd2.cpio\n' "$conf" >"$w/root2/kx.conf"
		cp "$w/root2/kx.conf" "$w/root1/kx.conf"
		vm_pack "$w/root2" "$w/root1/initrd2.cpio"
		rm -rf "$w/root2"
		if [ -x "$w/finish-root" ]; then
			"$w/finish-root" "$w/root1" "$w/root1/initrd2.cpio" \
				"$CONSOLE panic=-1 quiet kx.stage=2 kx.marker=KX2-$marker" ||
				{ echo "variant $variant: finish-root failed"; return 1; }
		fi
	fi
	echo "$marker" >"$w/marker"
	echo "$style $opts" >"$w/opts"
	vm_pack "$w/root1" "$w/initrd1.cpio"
	rm -rf "$w/root1"
}

# vm_boot NAME ARCH RAM: boots build/vm/NAME under TCG; console in console.log.
vm_boot() {
	name=$1 arch=$2 ram=$3
	vm_arch_facts "$arch"
	w=$KX_VMDIR/$name
	KERNEL=$("$KX_TOP/scripts/fetch-kernel.sh" "$DEBARCH") || return 1
	start=$(date +%s)
	limit=${KX_VM_TIMEOUT:-900}
	: >"$w/console.log"
	# shellcheck disable=SC2086
	extra=
	# A variant's prepare-boot builds what the first boot needs from the
	# initramfs (a disk image the firmware boots, say) and may write
	# qemu.args and no-direct-kernel (no -kernel: the firmware's boot
	# loader starts the kernel); append: more words for its command line.
	if [ -x "$w/prepare-boot" ]; then
		"$w/prepare-boot" "$KERNEL" "$w/initrd1.cpio" ||
			{ echo "prepare-boot failed" >"$w/qemu.rc"; return 1; }
	fi
	[ -f "$w/qemu.args" ] && extra=$(cat "$w/qemu.args")
	append="$CONSOLE panic=-1 quiet kx.stage=1"
	[ -f "$w/append" ] && append="$append $(cat "$w/append")"
	set -- -kernel "$KERNEL" -initrd "$w/initrd1.cpio" -append "$append"
	[ -f "$w/no-direct-kernel" ] && set --
	# qemu.args last: its -M or -smp wins over the defaults
	"$QEMU" $QEMU_ARGS -m "$ram" -smp 1 \
		-display none -monitor none -no-reboot \
		-serial "file:$w/console.log" "$@" $extra \
		>"$w/qemu.log" 2>&1 &
	pid=$!
	echo running >"$w/qemu.rc"
	# A guest whose purgatory refused the kernel halts: stop it then.
	while kill -0 "$pid" 2>/dev/null; do
		if grep -q "SHA-256 mismatch" "$w/console.log" 2>/dev/null; then
			sleep 2
			kill "$pid" 2>/dev/null
			echo halted >"$w/qemu.rc"
			break
		fi
		if [ $(($(date +%s) - start)) -ge "$limit" ]; then
			kill "$pid" 2>/dev/null
			echo "timeout after $limit s" >"$w/qemu.rc"
			break
		fi
		sleep 1
	done
	wait "$pid" 2>/dev/null
	rc=$?
	[ "$(cat "$w/qemu.rc")" = running ] && echo "$rc" >"$w/qemu.rc"
	echo $(($(date +%s) - start)) >"$w/seconds"
}

# The purgatory's report, once per kexec: what it checked, and how (the
# architecture's PURG_MODE); with --no-checks, nothing. Debian's
# kexec-tools (style kexec-tools) has a purgatory of its own, which says
# nothing.
vm_verify_purgatory() {
	w=$1 kexecs=$2
	[ -n "$PURG_MODE" ] || return 0
	[ "$(cut -d' ' -f1 "$w/opts")" = kexec-tools ] && return 0
	# loaded by kexec_file_load: the kernel's own purgatory
	[ -f "$w/kernel-purgatory" ] && return 0
	if grep -q -- --no-checks "$w/opts"; then
		n=$(grep -c "^kexload purgatory: 0 segments, 0 bytes checked" "$w/console.txt")
		[ "$n" -eq "$kexecs" ] ||
			{ echo "purgatory: $n of $kexecs reports say nothing was checked"; return 1; }
		return 0
	fi
	n=$(grep -c "^kexload purgatory: [1-9][0-9]* segments, [1-9][0-9]* bytes checked.*, $PURG_MODE\$" "$w/console.txt")
	[ "$n" -eq "$kexecs" ] ||
		{ echo "purgatory: $n of $kexecs reports say it checked, with $PURG_MODE"; return 1; }
}

# The "pattern" expectation (tests/vm/variants-arm64.sh dt-reserved): stage
# 1 planted the pattern in /reserved-memory/kx-pattern@ADDR and kexload
# took the reservation from the running tree, and stage 2 found the node
# in its own tree and every word of the pattern as it was.
vm_verify_pattern() {
	w=$1
	planted=$(sed -n '/^KX-STAGE 2$/q; s/^KX-PATTERN planted //p' "$w/console.txt")
	[ -n "$planted" ] ||
		{ echo "stage 1: no pattern planted in a kx-pattern region"; return 1; }
	base=${planted%% *}
	grep -q "^kexload: debug: /sys/firmware/fdt: /reserved-memory/kx-pattern@${base#0x} reserves $base-" \
		"$w/console.txt" ||
		{ echo "stage 1: kexload did not take the reservation at $base"; return 1; }
	grep "^KX-PATTERN changed" "$w/stage2.txt" && return 1
	grep -q "^KX-PATTERN intact $planted\$" "$w/stage2.txt" ||
		{ echo "stage 2: no intact pattern ($planted) in a kx-pattern region"; return 1; }
	return 0
}

# The second kernel of a UEFI boot has what the first had: the same ACPI
# tables (names, and the bytes of all but FACS), EFI with readable
# variables (the firmware's runtime services), every CPU online. Writes
# what each showed to uefi.txt. With "efistub" (a PE through its stub),
# the first kernel may have one CPU (arm64's guests), and the EFI
# environment must have said that it handed the runtime services on.
vm_verify_uefi() {
	w=$1 how=${2:-}
	# (OVMF's escape sequences may come before KX-STAGE 1 on its line)
	sed -n '/KX-STAGE 1$/,/^KX-STAGE 2$/p' "$w/console.txt" >"$w/stage1.txt"
	for s in 1 2; do
		f=$w/stage$s.txt
		echo "stage $s: $(grep '^KX-ACPI-TABLES' "$f" | cut -d' ' -f2) ACPI tables," \
			"$(grep '^KX-EFI' "$f" | cut -d' ' -f2- || echo 'no EFI'), CPUs" \
			"$(grep '^KX-CPUS' "$f" | head -n 1 | cut -d' ' -f2)"
	done >"$w/uefi.txt"
	grep -q "^KX-EFI yes" "$w/stage1.txt" ||
		{ echo "stage 1 did not boot through UEFI"; return 1; }
	[ "$how" = efistub ] || grep -q "^KX-CPUS 0-1\$" "$w/stage1.txt" ||
		{ echo "stage 1 has not 2 CPUs: $(grep '^KX-CPUS' "$w/stage1.txt")"; return 1; }
	[ "$how" != efistub ] || grep -q "runtime services handed on" "$w/console.txt" ||
		{ echo "the EFI environment did not hand the firmware's runtime services on"; return 1; }
	for k in KX-ACPI-TABLES KX-ACPI-SHA256 KX-CPUS; do
		a=$(grep "^$k " "$w/stage1.txt") b=$(grep "^$k " "$w/stage2.txt")
		[ -n "$a" ] && [ "$a" = "$b" ] ||
			{ echo "stage 2: '$b', stage 1: '$a'"; return 1; }
	done
	grep -q "^KX-EFI yes vars=[1-9][0-9]* bootorder_bytes=[1-9]" "$w/stage2.txt" ||
		{ echo "stage 2: no EFI, or its variables unreadable: $(grep '^KX-EFI' "$w/stage2.txt")"; return 1; }
}

# A UKI (tests/vm/variants-arm64.sh uki): systemd-stub ran in the EFI
# environment (it names itself in the variables it sets), loaded and
# started the kernel from its .linux, and gave it its .initrd on the
# initrd media path; the marker and payload vm_verify checked came from
# the UKI's .cmdline and .initrd (style uki passes neither).
vm_verify_uki() {
	w=$1
	for l in "SetVariable StubInfo 4a67b082-0a4c-41cf-b6c7-440b29bb8c4f" \
		"LoadImage 0x[0-9a-f]*: ok" \
		"InstallMultipleProtocolInterfaces 09576e91-6d3f-11d2-8e39-00a0c969723b 0x[0-9a-f]*: ok" \
		"StartImage 0x[0-9a-f]*: ok" \
		"LocateDevicePath 4006c0c1-fcb3-403e-996d-4a6c8724e06d: ok"; do
		grep -q "^kexload efi: $l" "$w/console.txt" ||
			{ echo "no line: kexload efi: $l"; return 1; }
	done
	grep -q "EFI stub: Loaded initrd from LINUX_EFI_INITRD_MEDIA_GUID device path" \
		"$w/console.txt" || { echo "the kernel's stub found no initrd"; return 1; }
}

# A load the first kernel refuses: the note and the one-line message the
# variant expects (expected.note, expected.error), status after it says
# nothing is loaded, and no second kernel.
vm_verify_refused() {
	w=$1
	tr -d '\r' <"$w/console.log" >"$w/console.txt"
	grep -q "KX-STAGE 1\$" "$w/console.txt" || { echo "stage 1 never came up"; return 1; }
	grep -q "^KX-STAGE 2" "$w/console.txt" &&
		{ echo "a second kernel came up: the load was not refused"; return 1; }
	for f in note error; do
		[ -f "$w/expected.$f" ] || continue
		grep -qxF "$(cat "$w/expected.$f")" "$w/console.txt" ||
			{ echo "no line: $(cat "$w/expected.$f")"; grep '^kexload:' "$w/console.txt"; return 1; }
	done
	grep -q "^KX-DONE stage=1 load-failed rc=1\$" "$w/console.txt" ||
		{ echo "the load did not fail with exit status 1"; return 1; }
	grep -q "^loaded: no\$" "$w/console.txt" ||
		{ echo "status does not say that nothing is loaded"; return 1; }
	for l in "kexec_load: refused (Operation not permitted)" "kexec_file_load: available"; do
		grep -qxF "$l" "$w/console.txt" || { echo "status lacks: $l"; return 1; }
	done
	j='"lockdown": "integrity", "lockdown_source": "securityfs (mounted privately)", "kexec_load": "refused", "kexec_file_load": "available", "uefi": false}'
	grep -qF "$j" "$w/console.txt" || { echo "status --json lacks: $j"; return 1; }
}

# Secure Boot: the signed kernel came up through kexec_file_load (with the
# note saying so, and the second initrd's file), and the same kernel with one byte changed was refused
# first, with the message naming the signature, nothing loaded.
vm_verify_secureboot() {
	w=$1
	for f in note error extra; do
		grep -qxF "$(cat "$w/expected.$f")" "$w/console.txt" ||
			{ echo "no line: $(cat "$w/expected.$f")"; grep '^kexload:' "$w/console.txt"; return 1; }
	done
	grep -q "^KX-BAD rc=1 loaded=0\$" "$w/console.txt" ||
		{ echo "the changed kernel: $(grep '^KX-BAD' "$w/console.txt")"; return 1; }
	grep -q "^lockdown: integrity\$" "$w/console.txt" ||
		{ echo "stage 1 is not locked down by Secure Boot"; return 1; }
}

# vm_verify NAME KEXECS EXPECT: checks the console; prints the reason and
# returns 1 on failure. EXPECT is "ok" (every stage up, markers and digests
# right), "refused" (the load is refused: vm_verify_refused), "secureboot"
# (ok through kexec_file_load: vm_verify_secureboot), "efistub-acpi"
# (efistub, and the second kernel booted with ACPI), "efistub-uefi"
# (efistub, and the first's ACPI tables, EFI runtime services and CPUs),
# "uefi" (ok, and the
# second kernel has the first's ACPI tables, EFI and CPUs: vm_verify_uefi),
# "cpus=N" (ok, and N CPUs online in the second kernel), "uki" (efistub,
# through a UKI's systemd-stub: vm_verify_uki), "uki-uefi" (uki, and what
# efistub-uefi checks), "efistub" (ok,
# the kernel's own EFI stub spoke and left the purgatory's boot services),
# "model=TEXT" (ok, and the second kernel's device tree /model is
# TEXT), "acpi" (ok, and the second kernel booted with ACPI), "shutdown"
# (ok, and the load asked for shutdown -r now), "pattern" (ok, and the
# pattern stage 1 planted in its tree's reserved region is intact in stage
# 2, whose tree still reserves it) or "mismatch" (the purgatory refused, no
# second kernel).
vm_verify() {
	w=$KX_VMDIR/$1 kexecs=$2
	case ${3:-ok} in
	pattern)
		vm_verify "$1" "$2" ok || return 1
		vm_verify_pattern "$w"
		return ;;
	refused)
		vm_verify_refused "$w"
		return ;;
	secureboot)
		vm_verify "$1" "$2" ok || return 1
		vm_verify_secureboot "$w"
		return ;;
	uefi)
		vm_verify "$1" "$2" ok || return 1
		vm_verify_uefi "$w" || return 1
		return 0 ;;
	efistub-uefi)
		vm_verify "$1" "$2" efistub || return 1
		vm_verify_uefi "$w" efistub
		return ;;
	efistub-acpi)
		vm_verify "$1" "$2" efistub || return 1
		grep -q "^KX-ACPI yes\$" "$w/stage2.txt" ||
			{ echo "stage 2: the second kernel did not boot with ACPI"; return 1; }
		return 0 ;;
	uki)
		vm_verify "$1" "$2" efistub || return 1
		vm_verify_uki "$w"
		return ;;
	uki-uefi)
		vm_verify "$1" "$2" uki || return 1
		vm_verify_uefi "$w" efistub
		return ;;
	efistub)
		vm_verify "$1" "$2" ok || return 1
		# arm64's stub says "Booting Linux Kernel...", x86_64's only
		# what it did ("Loaded initrd from ...")
		grep -q "^EFI stub: " "$w/console.txt" ||
			{ echo "the kernel's EFI stub never spoke"; return 1; }
		grep -q "^kexload efi: ExitBootServices 0x[0-9a-f]*: ok" "$w/console.txt" ||
			{ echo "the stub never left boot services"; return 1; }
		return 0 ;;
	acpi)
		vm_verify "$1" "$2" ok || return 1
		grep -q "^KX-ACPI yes\$" "$w/stage2.txt" ||
			{ echo "stage 2: the second kernel did not boot with ACPI"; return 1; }
		return 0 ;;
	shutdown)
		vm_verify "$1" "$2" ok || return 1
		grep -q "^KX-SHUTDOWN -r now\$" "$w/console.txt" ||
			{ echo "kexec with no action did not run shutdown -r now"; return 1; }
		return 0 ;;
	cpus=*)
		vm_verify "$1" "$2" ok || return 1
		grep -q "^KX-CPUS ${3#cpus=}\$" "$w/stage2.txt" ||
			{ echo "stage 2: not ${3#cpus=} CPUs online"; return 1; }
		return 0 ;;
	model=*)
		model=${3#model=}
		vm_verify "$1" "$2" ok || return 1
		grep -q "^KX-MODEL $model\$" "$w/stage2.txt" ||
			{ echo "stage 2: device tree model is not $model"; return 1; }
		return 0 ;;
	esac
	if [ "${3:-ok}" = mismatch ]; then
		tr -d '\r' <"$w/console.log" >"$w/console.txt"
		grep -q "^KX-STAGE 2" "$w/console.txt" &&
			{ echo "a second kernel came up from corrupted memory"; return 1; }
		grep -q "kexload purgatory: SHA-256 mismatch in segment" "$w/console.txt" ||
			{ echo "no mismatch report from the purgatory (qemu: $(cat "$w/qemu.rc"))"; return 1; }
		return 0
	fi
	log=$w/console.log
	want=$(cat "$w/expected.sha256")
	marker=$(cat "$w/marker")
	last=$((kexecs + 1))
	[ -f "$log" ] || { echo "no console log"; return 1; }
	tr -d '\r' <"$log" >"$w/console.txt"
	s=2
	while [ "$s" -le "$last" ]; do
		grep -q "^KX-STAGE $s\$" "$w/console.txt" ||
			{ echo "stage $s never came up"; return 1; }
		# the block of lines this stage printed
		sed -n "/^KX-STAGE $s\$/,/^KX-\(STAGE $((s + 1))\|DONE\)/p" \
			"$w/console.txt" >"$w/stage$s.txt"
		grep -q "^KX-CMDLINE .*kx.marker=KX$s-$marker" "$w/stage$s.txt" ||
			{ echo "stage $s: command line lacks the marker KX$s-$marker"; return 1; }
		grep -q "^KX-PAYLOAD $want\$" "$w/stage$s.txt" ||
			{ echo "stage $s: payload digest is not $want"; return 1; }
		s=$((s + 1))
	done
	grep -q "^loaded: yes" "$w/console.txt" ||
		{ echo "kexload status never said a kernel was loaded"; return 1; }
	grep -q "^KX-DONE stage=$last ok" "$w/console.txt" ||
		{ echo "the last stage did not finish"; return 1; }
	vm_verify_purgatory "$w" "$kexecs" || return 1
	if grep -q "SHA-256 mismatch" "$w/console.txt"; then
		echo "the purgatory reported a mismatch"; return 1
	fi
	return 0
}
