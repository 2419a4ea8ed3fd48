#!/bin/busybox sh
# /init of make bench-vm's guests (built by bench/vm-kexec-tools.sh). The
# first thing it does, before any mount, is stamp its start with the CPU's
# counter (bench/kx-measure.c), which runs on through a kexec; the host
# also stamps every console line as it arrives.
#
# Stage 1 (kx.stage=1 on the command line) loads /kernel2 with
# /initrd2.cpio using the tool and check mode the host chose
# (kxb.tool=kexload|kexec-tools, kxb.checks=on|off), three times, with an
# unload before each but the first:
#   1. timed, the first run of the tool in this guest:
#      "KXB-LOAD start" / "KXB-LOAD ns=... maxrss_kb=... rc=..."
#      (bench/kx-measure.c: CLOCK_MONOTONIC around fork, exec and exit);
#   2. with its memory sampled: "KXB-MEM anon_kb=... ..." (untimed);
#   3. timed again, warm (QEMU has translated the tool's code by now):
#      "KXB-LOAD2 ...";
# and, to see where a kexload load goes, kexload plan with the same
# options, warm (all of a load but the kexec_load(2) call): "KXB-PLAN ...",
# and with checks, sha256sum of the same two files: "KXB-SHA ...". Then it
# stamps "KXB-EXEC" and executes the loaded kernel. Stage 2 prints what the
# host checks (command line, payload digest) and powers off.
/kx-measure stamp KXB-INIT
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
/bin/busybox --install -s /bin
export PATH=/bin:/sbin

stage='' tool='' checks='' marker=''
for w in $(cat /proc/cmdline); do
	case $w in
	kx.stage=*) stage=${w#kx.stage=} ;;
	kx.marker=*) marker=${w#kx.marker=} ;;
	kxb.tool=*) tool=${w#kxb.tool=} ;;
	kxb.checks=*) checks=${w#kxb.checks=} ;;
	kxb.marker=*) marker=${w#kxb.marker=} ;;
	esac
done

finish() {
	echo "KXB-DONE stage=$stage $1"
	poweroff -f
	sleep 10
}

echo "KXB-STAGE $stage"
if [ "$stage" != 1 ]; then
	echo "KXB-CMDLINE $(cat /proc/cmdline)"
	echo "KXB-PAYLOAD $(sha256sum /payload | cut -d' ' -f1)"
	finish ok
fi

. /kxb.conf
cmdline="$CONSOLE kx.stage=2 kx.marker=$marker"
no=
[ "$checks" = off ] && no=--no-checks
case $tool-$checks in
kexload-on | kexload-off)
	set -- /kexload load /kernel2 --initrd /initrd2.cpio --command-line "$cmdline" $no
	unload="/kexload unload" exec="/kexload exec" ;;
kexec-tools-on)
	set -- /sbin/kexec -l /kernel2 --initrd=/initrd2.cpio --command-line="$cmdline"
	unload="/sbin/kexec -u" exec="/sbin/kexec -e" ;;
kexec-tools-off)
	set -- /sbin/kexec -l /kernel2 --initrd=/initrd2.cpio --command-line="$cmdline" -i
	unload="/sbin/kexec -u" exec="/sbin/kexec -e" ;;
*)
	finish "unknown kxb.tool=$tool kxb.checks=$checks" ;;
esac
echo "KXB-CELL $tool checks=$checks: $*"

/kx-measure time KXB-LOAD "$@"
$unload || finish "unload-failed rc=$?"
/kx-measure mem KXB-MEM "$@"
$unload || finish "unload-failed rc=$?"
/kx-measure time KXB-LOAD2 "$@"
if [ "$tool" = kexload ]; then
	/kx-measure time KXB-PLAN /kexload plan /kernel2 --initrd /initrd2.cpio \
		--command-line "$cmdline" $no >/dev/null
	[ "$checks" = on ] &&
		/kx-measure time KXB-SHA /bin/sha256sum /kernel2 /initrd2.cpio >/dev/null
fi
echo "KXB-LOADED $(cat /sys/kernel/kexec_loaded)"
/kx-measure stamp KXB-EXEC
$exec
finish "exec-failed rc=$?"
