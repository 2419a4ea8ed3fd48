#!/bin/busybox sh
# /init of the kdump scenarios' guests (tests/vm/kdump.sh). In the first
# kernel (booted with crashkernel=): load a crash kernel the way /kx.conf's
# STYLE says (kexload load --crash; kexload as /sbin/kexec with kdump-tools'
# "kexec -p [-s] --command-line= --initrd="; or Debian's kexec-tools),
# fill 4 MiB with the pattern kx-vmcore checks, write a marker line to the
# kernel log, and crash through /proc/sysrq-trigger. In the crash kernel
# (/proc/vmcore exists): check /proc/vmcore with kx-vmcore, and have
# Debian's makedumpfile recover the first kernel's log, marker included.
/bin/busybox mkdir -p /proc /sys /dev /tmp /bin /sbin
/bin/busybox mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
/bin/busybox --install -s /bin
export PATH=/bin:/sbin:/usr/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
. /kx.conf

finish() {
	echo "KX-DONE $1"
	sync
	poweroff -f
	sleep 10
}

if [ -e /proc/vmcore ]; then
	echo "KX-STAGE 2"
	echo "KX-UPTIME $(cut -d' ' -f1 /proc/uptime)"
	echo "KX-CMDLINE $(cat /proc/cmdline)"
	for p in linux,elfcorehdr linux,usable-memory-range; do
		f=/proc/device-tree/chosen/$p
		[ -f "$f" ] && echo "KX-DT $p $(od -An -tx1 "$f" | tr -d ' \n')"
	done
	# ppc64: the usable memory of each memory node, and of the LMBs
	for f in /proc/device-tree/memory*/linux,usable-memory \
		/proc/device-tree/ibm,dynamic-reconfiguration-memory/linux,drconf-usable-memory; do
		[ -f "$f" ] && echo "KX-DT ${f#/proc/device-tree/} $(head -c 64 "$f" | od -An -tx1 | tr -d ' \n')"
	done
	/kx-vmcore check "$SEED"
	echo "KX-VMCORE-RC $?"
	t0=$(cut -d' ' -f1 /proc/uptime)
	makedumpfile --dump-dmesg /proc/vmcore /tmp/dmesg.txt >/tmp/mdf.out 2>&1
	rc=$?
	t1=$(cut -d' ' -f1 /proc/uptime)
	tail -n 3 /tmp/mdf.out
	echo "KX-MAKEDUMPFILE rc=$rc start=$t0 end=$t1"
	if grep -q "KX-KMSG-MARKER $MARKER" /tmp/dmesg.txt 2>/dev/null; then
		echo "KX-DMESG marker=yes lines=$(wc -l </tmp/dmesg.txt)"
	else
		echo "KX-DMESG marker=no lines=$(wc -l </tmp/dmesg.txt 2>/dev/null)"
	fi
	grep -m 1 "KX-KMSG-MARKER" /tmp/dmesg.txt
	finish stage=2
fi

echo "KX-STAGE 1"
echo "KX-KERNEL $(cat /proc/version)"
echo "KX-CMDLINE $(cat /proc/cmdline)"
echo "KX-IOMEM-CRASH $(grep 'Crash kernel' /proc/iomem | tr '\n' ' ')"
# ppc64 publishes its crashkernel= region in the device tree instead
f=/proc/device-tree/chosen/linux,crashkernel-base
[ -f "$f" ] && echo "KX-DT-CRASH base=$(od -An -tx1 "$f" | tr -d ' \n') size=$(od -An -tx1 "${f%base}size" | tr -d ' \n')"
# As with Debian's kptr_restrict: /proc/kallsyms shows no addresses, so a
# loader that needs them (kexec-tools' arm64 page_offset) cannot have them.
echo 2 >/proc/sys/kernel/kptr_restrict
echo "KX-KALLSYMS $(grep -m 1 -w _text /proc/kallsyms)"
case $STYLE in
kexec)
	ln -sf /kexload /sbin/kexec
	# Fedora's kdump-utils: load with -s, then its unload
	/sbin/kexec -s -p --command-line="$CRASH_CMDLINE" \
		--initrd=/initrd2.cpio /kernel2
	echo "KX-FEDORA-LOAD rc=$? crash_loaded=$(cat /sys/kernel/kexec_crash_loaded)"
	/sbin/kexec -s -p -u
	echo "KX-FEDORA-UNLOAD rc=$? crash_loaded=$(cat /sys/kernel/kexec_crash_loaded)"
	# Debian's kdump-tools: the load the crash is captured with
	/sbin/kexec -p $SFLAG --command-line="$CRASH_CMDLINE" \
		--initrd=/initrd2.cpio /kernel2
	;;
kexec-tools)
	/kt/kexec -p --command-line="$CRASH_CMDLINE" --initrd=/initrd2.cpio \
		/kernel2 2>/tmp/kt.err
	rc=$?
	cat /tmp/kt.err
	if [ "$rc" -ne 0 ]; then
		# Reported, then loaded again where kallsyms shows addresses
		# to root, so the capture is still checked: kexec-tools 2.0.25
		# on x86_64 looks for the kernel's text in /proc/kcore within
		# 512 MiB of __START_KERNEL_map, and KASLR places it anywhere
		# in 1 GiB.
		echo 1 >/proc/sys/kernel/kptr_restrict
		echo "KX-KT-RESTRICTED rc=$rc text=$(grep -m 1 -w _text /proc/kallsyms | cut -d' ' -f1) said=$(head -n 1 /tmp/kt.err)"
		/kt/kexec -p --command-line="$CRASH_CMDLINE" \
			--initrd=/initrd2.cpio /kernel2
	fi
	;;
*)
	/kexload load --crash /kernel2 --initrd /initrd2.cpio \
		--command-line "$CRASH_CMDLINE"
	;;
esac
rc=$?
echo "KX-LOAD rc=$rc crash_loaded=$(cat /sys/kernel/kexec_crash_loaded) crash_size=$(cat /sys/kernel/kexec_crash_size)"
[ -x /kexload ] && /kexload status
[ "$rc" -eq 0 ] || finish "load-failed rc=$rc"
/kx-vmcore fill "$SEED" >/tmp/fill.out 2>&1 &
i=0
while ! grep -q "KX-PATTERN ready" /tmp/fill.out && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
cat /tmp/fill.out
echo "KX-KMSG-MARKER $MARKER" >/dev/kmsg
echo "KX-CRASH-NOW"
echo c >/proc/sysrq-trigger
finish "no-crash"
