#!/bin/sh
# The second kernel of an x86_64 scenario, and how the first boots:
#   variants-x86_64.sh VARIANT KERNEL ROOTDIR
# writes ROOTDIR/kernel2 and ROOTDIR/../qemu.args (more QEMU options):
#   lockdown-integrity  the Debian kernel; the first boots with
#                    lockdown=integrity (SeaBIOS), so the load is refused
#   secureboot       the Debian kernel; the first boots with Secure Boot
#                    (OVMF secboot, Microsoft's keys, Debian's shim and GRUB)
#   uefi             the Debian kernel as it is; the first boots through
#                    OVMF (Debian's ovmf: -M q35, OVMF_CODE_4M.fd and a copy
#                    of OVMF_VARS_4M.fd as pflash), with 2 CPUs
#   uefi-kexec-tools the same, with Debian's kexec-tools in the guest
#                    (/sbin/kexec), for the kexec-tools style
#   uki              a UKI (scripts/mkuki.sh: Debian 12's systemd-stub with
#                    the Debian kernel as .linux) holding the second
#                    kernel's initrd and command line, at ROOTDIR/uki.efi,
#                    made by finish-root (tests/vm/uki-root.sh); SeaBIOS
#   uki-uefi         the same, the first boot through OVMF (as uefi)
set -eu
variant=$1 kernel=$2 root=$3
top=$(cd "$(dirname "$0")/../.." && pwd)
cache=${KX_CACHE:-$top/.cache}
ovmf=/usr/share/OVMF

uefi() {
	for f in OVMF_CODE_4M.fd OVMF_VARS_4M.fd; do
		[ -f "$ovmf/$f" ] || { echo "$ovmf/$f is missing (Debian's ovmf)" >&2; exit 1; }
	done
	w=$(cd "$root/.." && pwd)   # root is gone once packed
	cp "$ovmf/OVMF_VARS_4M.fd" "$w/ovmf-vars.fd"
	cp "$kernel" "$root/kernel2"
	efivarfs
	echo "-M q35 -smp 2 -drive if=pflash,format=raw,unit=0,readonly=on,file=$ovmf/OVMF_CODE_4M.fd -drive if=pflash,format=raw,unit=1,file=$w/ovmf-vars.fd" >"$w/qemu.args"
}

efivarfs() {
	"$top/tests/vm/efivarfs.sh" amd64 "$kernel" "$root"
}

# Debian's kexec-tools and the libraries it needs, as a root file system
# part: scripts/fetch-kexec-tools.sh where it is, else the copy it left in
# the cache.
kexec_tools() {
	if [ -x "$top/scripts/fetch-kexec-tools.sh" ]; then
		kt=$("$top/scripts/fetch-kexec-tools.sh" amd64)
	else
		kt=$(ls -d "$cache"/kexec-tools/amd64/*/root 2>/dev/null | sort -V | tail -n 1)
	fi
	[ -n "$kt" ] && [ -x "$kt/sbin/kexec" ] ||
		{ echo "no Debian kexec-tools for the guest (scripts/fetch-kexec-tools.sh)" >&2; exit 1; }
	cp -a "$kt/." "$root/"
}

# Secure Boot as a Debian user has it: OVMF's Secure Boot build with
# Microsoft's keys enrolled, Debian's signed shim and GRUB on a GPT disk
# with a FAT EFI system partition (scripts/mkesp.sh), GRUB booting Debian's
# signed kernel, which is then locked down and trusts Debian's key through
# shim. The disk is made at boot time (prepare-boot), from the initramfs.
secureboot() {
	w=$(cd "$root/.." && pwd)
	for f in OVMF_CODE_4M.secboot.fd OVMF_VARS_4M.ms.fd; do
		[ -f "$ovmf/$f" ] || { echo "$ovmf/$f is missing (Debian's ovmf)" >&2; exit 1; }
	done
	cp "$kernel" "$root/kernel2"
	cp "$ovmf/OVMF_VARS_4M.ms.fd" "$w/ovmf-vars.fd"
	cat >"$w/prepare-boot" <<EOS
#!/bin/sh
# kernel initrd: the disk the firmware boots (rebuilt each boot)
"$top/scripts/mkesp.sh" "\$1" "\$2" "$w/disk.img" \
	"console=ttyS0 panic=-1 quiet kx.stage=1"
EOS
	chmod +x "$w/prepare-boot"
	touch "$w/no-direct-kernel" "$w/kernel-purgatory"
	echo "-M q35,smm=on -global driver=cfi.pflash01,property=secure,value=on -drive if=pflash,format=raw,unit=0,readonly=on,file=$ovmf/OVMF_CODE_4M.secboot.fd -drive if=pflash,format=raw,unit=1,file=$w/ovmf-vars.fd -drive if=virtio,format=raw,file=$w/disk.img" >"$w/qemu.args"
	# A second initrd (the scenario's --initrd=/extra.cpio): kexec_file_load
	# gets the two joined in a memfd; the second kernel shows its file.
	mkdir -p "$w/extra"
	echo "second-initrd-$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')" >"$w/extra/kx-extra"
	(cd "$w/extra" && echo kx-extra | cpio -o -H newc --quiet) >"$root/extra.cpio"
	echo "KX-EXTRA $(cat "$w/extra/kx-extra")" >"$w/expected.extra"
	rm -rf "$w/extra"
	echo "kexload: note: the kernel is locked down (integrity): loading with kexec_file_load, which checks the kernel's signature" >"$w/expected.note"
	echo "kexload: kexec_file_load: the running kernel refused /tmp/kernel-bad: its signature does not verify with a key the kernel trusts (Key was rejected by service)" >"$w/expected.error"
	# Before the real load: the same kernel with one byte changed (1 MiB
	# in, inside what the signature covers) must be refused.
	cat >"$root/pre-load.sh" <<'EOS'
#!/bin/busybox sh
cp /kernel2 /tmp/kernel-bad
b=$(od -An -tx1 -j 1048576 -N 1 /kernel2 | tr -d ' ')
if [ "$b" = 55 ]; then v='\252'; else v='\125'; fi
printf "$v" | dd of=/tmp/kernel-bad bs=1 seek=1048576 conv=notrunc 2>/dev/null
/kexload load /tmp/kernel-bad --initrd "$1" --command-line "kx.bad=1"
rc=$?
echo "KX-BAD rc=$rc loaded=$(cat /sys/kernel/kexec_loaded)"
rm -f /tmp/kernel-bad
EOS
	chmod +x "$root/pre-load.sh"
}

case $variant in
secureboot)
	secureboot
	;;
lockdown-integrity)
	# SeaBIOS, lockdown=integrity: kexec_load is refused, and no key
	# trusts any kernel (Debian's is trusted only through shim).
	cp "$kernel" "$root/kernel2"
	w=$(cd "$root/.." && pwd)
	echo "lockdown=integrity" >"$w/append"
	echo "kexload: note: the kernel is locked down (integrity): loading with kexec_file_load, which checks the kernel's signature" >"$w/expected.note"
	echo "kexload: kexec_file_load: refused: the kernel is locked down (integrity) and refused /kernel2's signature: it loads only kernels signed with a key it trusts" >"$w/expected.error"
	;;
uefi)
	uefi
	;;
uefi-kexec-tools)
	uefi
	kexec_tools
	;;
uki | uki-uefi)
	if [ "$variant" = uki-uefi ]; then uefi; else cp "$kernel" "$root/kernel2"; fi
	printf '#!/bin/sh\nexec "%s" x86_64 "%s" "$@"\n' \
		"$top/tests/vm/uki-root.sh" "$kernel" >"$root/../finish-root"
	chmod +x "$root/../finish-root"
	;;
*)
	echo "variants-x86_64.sh: unknown variant $variant" >&2
	exit 2
	;;
esac
