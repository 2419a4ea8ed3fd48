#!/bin/busybox sh
# /init of every QEMU guest kexload's tests boot. It prints what the host
# checks (stage, command line, payload digest), then, while stages remain,
# loads the next kernel with kexload and executes it. /kx.conf (written by
# tests/vm/lib.sh) says what to do:
#   KEXECS       how many kexecs the chain makes in all
#   STYLE        kexload | kexec (the command's spelling) | kexec-reboot
#                (kexec with no action: load, then shutdown -r now) |
#                corrupt (the test tool that loads a bit-flipped initrd) |
#                kexec-tools (Debian's /sbin/kexec, beside kexload) |
#                uki (kexload load /uki.efi: a UKI that holds the next
#                kernel's command line and initrd itself)
#   OPTS         extra load options
#   CONSOLE      console= for the next kernels
#   NEXT_INITRD  a prepared initrd for stage 2, or "rebuild" to pack this
#                root file system again (each kernel loading the next)
/bin/busybox mkdir -p /proc /sys /dev /tmp /bin /sbin
/bin/busybox mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
/bin/busybox --install -s /bin
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
. /kx.conf

stage=1
marker=
for w in $(cat /proc/cmdline); do
	case $w in
	kx.stage=*) stage=${w#kx.stage=} ;;
	kx.marker=*) marker=${w#kx.marker=} ;;
	esac
done

finish() {
	echo "KX-DONE stage=$stage $1"
	sync
	poweroff -f
	sleep 10
}

# A newline first: some consoles (ppc64's hvc0) leave the kernel's early
# banner without one.
echo
echo "KX-STAGE $stage"
echo "KX-KERNEL $(cat /proc/version)"
if [ -f /proc/device-tree/model ]; then
	echo "KX-MODEL $(tr -d '\0' </proc/device-tree/model)"
fi
[ -d /sys/firmware/acpi/tables ] && echo "KX-ACPI yes"
# What a UEFI scenario compares between the kernels: the ACPI tables, EFI
# and its variables, the CPUs online, the framebuffer.
if [ -d /sys/firmware/acpi/tables ]; then
	t=$(cd /sys/firmware/acpi/tables && for f in *; do [ -f "$f" ] && echo "$f"; done)
	echo "KX-ACPI-TABLES $(echo "$t" | grep -c .) $(echo $t)"
	# FACS holds the firmware's global lock, which changes as it runs
	echo "KX-ACPI-SHA256 $(cd /sys/firmware/acpi/tables && cat $(echo "$t" | grep -v '^FACS') | sha256sum | cut -d' ' -f1)"
fi
if [ -d /sys/firmware/efi ]; then
	# the firmware's table entry points, as the kernel publishes them
	[ -r /sys/firmware/efi/systab ] &&
		echo "KX-FW-SYSTAB $(tr '\n' ' ' </sys/firmware/efi/systab)"
	echo "KX-FW-EFI-FILES $(ls /sys/firmware/efi | tr '\n' ' ')"
	[ -f /efivarfs.ko ] && insmod /efivarfs.ko 2>/dev/null
	mount -t efivarfs efivarfs /sys/firmware/efi/efivars 2>/dev/null
	n=$(ls /sys/firmware/efi/efivars 2>/dev/null | grep -c .)
	b=$(cat /sys/firmware/efi/efivars/BootOrder-* 2>/dev/null | wc -c)
	echo "KX-EFI yes vars=$n bootorder_bytes=$b"
fi
echo "KX-CPUS $(cat /sys/devices/system/cpu/online)"
[ -f /proc/fb ] && echo "KX-FB $(cat /proc/fb | tr '\n' ' ')"
echo "KX-CMDLINE $(cat /proc/cmdline)"
echo "KX-CPUS $(grep -c '^processor' /proc/cpuinfo)"
# a second initrd's file (a variant loads one beside the first)
[ -f /kx-extra ] && echo "KX-EXTRA $(cat /kx-extra)"
if [ -f /payload ]; then
	echo "KX-PAYLOAD $(sha256sum /payload | cut -d' ' -f1)"
else
	echo "KX-PAYLOAD missing"
fi

# A device tree that reserves /reserved-memory/kx-pattern@ADDR (2 address
# and 2 size cells; tests/vm/variants-arm64.sh dt-reserved): stage 1 writes
# a pattern made from the marker into it with devmem (a no-map region is
# not RAM to /dev/mem), every later stage reads it back, so that a segment
# placed there, or the new kernel's tree without the node, shows.
kx_pattern() {
	for n in /proc/device-tree/reserved-memory/*; do
		[ -d "$n" ] && echo "KX-RESERVED-NODE ${n##*/}: $(ls "$n" | tr '\n' ' ')"
	done
	for n in /proc/device-tree/reserved-memory/kx-pattern@*; do
		[ -f "$n/reg" ] || continue
		reg=$(od -An -tx1 -v "$n/reg" | tr -d ' \n')
		[ ${#reg} -eq 32 ] || { echo "KX-PATTERN unreadable reg $reg"; continue; }
		base=$((0x$(echo "$reg" | cut -c1-16)))
		size=$((0x$(echo "$reg" | cut -c17-32)))
		seed=$((0x$(echo "$MARKER" | cut -c1-8)))
		bad=0 words=0 off=0
		while [ "$off" -lt "$size" ]; do
			want=$(((seed ^ off) & 0xffffffff))
			if [ "$stage" -eq 1 ]; then
				devmem $((base + off)) 32 "$want"
			fi
			got=$(($(devmem $((base + off)) 32)))
			if [ "$got" -ne "$want" ]; then
				echo "KX-PATTERN changed at $(printf 0x%x $((base + off))):" \
					"$(printf 0x%08x "$got"), not $(printf 0x%08x "$want")"
				bad=$((bad + 1))
			fi
			words=$((words + 1))
			[ "$off" -eq $((size - 4)) ] && break
			off=$((off + 0x10000))
			[ "$off" -ge "$size" ] && off=$((size - 4))
		done
		what=intact
		[ "$stage" -eq 1 ] && what=planted
		[ "$bad" -eq 0 ] && echo "KX-PATTERN $what $(printf 0x%x "$base") $words words"
	done
}
[ -d /proc/device-tree/reserved-memory ] && kx_pattern

[ "$stage" -gt "$KEXECS" ] && finish ok
[ -x /kexload ] || finish "no-kexload"

next=$((stage + 1))
initrd=$NEXT_INITRD
if [ "$initrd" = rebuild ] || [ "$stage" -gt 1 ]; then
	initrd=/tmp/next.cpio
	(cd / && find . -xdev \( -path ./proc -o -path ./sys -o -path ./tmp \
		-o -path './dev/*' \) -prune -o -print | cpio -o -H newc \
		>"$initrd" 2>/dev/null)
fi
cmdline="$CONSOLE kx.stage=$next kx.marker=KX$next-$MARKER"
# a variant's step before the load (a load that must be refused, say)
[ -x /pre-load.sh ] && /pre-load.sh "$initrd"
t0=$(cut -d' ' -f1 /proc/uptime)
case $STYLE in
corrupt)
	/kx-corrupt /kernel2 "$initrd" "$cmdline" || finish "load-failed rc=$?"
	;;
kexec)
	ln -sf /kexload /bin/kexec
	kexec -l /kernel2 --initrd="$initrd" --command-line="$cmdline" $OPTS ||
		finish "load-failed rc=$?"
	;;
kexec-reboot)
	# kexec-tools' habit: no action loads, then runs shutdown -r now;
	# this shutdown stands for the init system, which executes the
	# loaded kernel at the end of a clean reboot.
	ln -sf /kexload /bin/kexec
	printf '#!/bin/sh\necho "KX-SHUTDOWN $*"\n/kexload status\nexec kexec -e\n' \
		>/sbin/shutdown
	chmod +x /sbin/shutdown
	kexec /kernel2 --initrd="$initrd" --command-line="$cmdline" $OPTS
	finish "shutdown-not-run rc=$?"
	;;
uki)
	/kexload load /uki.efi $OPTS || {
		rc=$?
		/kexload status
		finish "load-failed rc=$rc"
	}
	;;
kexec-tools)
	/sbin/kexec -l /kernel2 --initrd="$initrd" --command-line="$cmdline" $OPTS ||
		finish "load-failed rc=$?"
	;;
*)
	/kexload load /kernel2 --initrd "$initrd" --command-line "$cmdline" \
		$OPTS || {
		rc=$?
		/kexload status
		/kexload status --json
		finish "load-failed rc=$rc"
	}
	;;
esac
t1=$(cut -d' ' -f1 /proc/uptime)
echo "KX-LOADED stage=$stage load_start=$t0 load_end=$t1"
/kexload status
if [ "$STYLE" = kexec ]; then
	kexec -e
elif [ "$STYLE" = kexec-tools ]; then
	/sbin/kexec -e
else
	/kexload exec
fi
finish "exec-failed rc=$?"
