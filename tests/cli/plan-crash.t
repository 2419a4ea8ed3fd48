#!/usr/bin/perl
# Crash (kdump) loads from the command line, on the current Debian amd64
# kernel: plan --crash against a memory map with a "Crash kernel"
# reservation (and with --crash-region), with the running kernel's crash
# data taken from a sysfs and kcore tree written here; the ELF core
# header's digest against the header this test builds itself from the same
# data; every segment inside the crash region; elfcorehdr= on the command
# line. Then bad input, each refused with its one-line message and no plan;
# and the invocations of Fedora's kdump-utils and Debian's kdump-tools
# (kexec -s -p / kexec -p with --command-line= and --initrd=, and their
# unloads) through the kexec spelling, up to the guard that keeps every
# load off this host.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use KxTest;
use Test::More;
use File::Path qw(make_path);
no warnings "portable";   # 64-bit addresses in hex

my ($kernel, $why) = debian_kernel('amd64');
plan skip_all => $why unless $kernel;
my $dir = tmpdir();
my $initrd = "$dir/initrd.img";
write_file($initrd, "0707010000" x 1000);
my $big = "$dir/big.img";
write_file($big, "\0" x 1048576);
my $map = top() . '/tests/fixtures/iomem/qemu-pc-1g-crash.iomem';
my $plain = top() . '/tests/fixtures/iomem/qemu-pc-1g.iomem';

# The running kernel's crash data, as sysfs and /proc/kcore give it.
my $root = "$dir/root";
my @cpus = ([0x3ff10000, 424], [0x3ff30000, 424]);
my ($vmci, $vmci_size) = (0x2b0e000, 0x1000);
my ($text_v, $text_p, $text_s) = (0xffffffff81000000, 0x29a00000, 0x3400000);
my $linear = 0xffff888000000000;
make_path("$root/sys/kernel", "$root/proc");
write_file("$root/sys/devices/system/cpu/possible", "0-1\n") if make_path("$root/sys/devices/system/cpu");
for my $i (0 .. $#cpus) {
	make_path("$root/sys/devices/system/cpu/cpu$i");
	write_file("$root/sys/devices/system/cpu/cpu$i/crash_notes", sprintf("%x\n", $cpus[$i][0]));
	write_file("$root/sys/devices/system/cpu/cpu$i/crash_notes_size", "$cpus[$i][1]\n");
}
write_file("$root/sys/kernel/vmcoreinfo", sprintf("%x %x\n", $vmci, $vmci_size));
sub phdr64 { return elf64_phdr(@_) }
sub ehdr64 { return elf64_ehdr(@_) }
my @kcore = ([$text_v, $text_p, $text_s], [0xffffc90000000000, ~0, 1 << 34],
	[$linear + 0x1000, 0x1000, 0x9ec00], [$linear + 0x100000, 0x100000, 0x3fee0000]);
write_file("$root/proc/kcore", substr(ehdr64(4, 62, scalar @kcore), 0, 64) .
	join('', map { phdr64(1, 7, 0, @$_[0, 1], $_->[2]) } @kcore));

# The header kexload must build: notes, VMCOREINFO, text, RAM less the region.
sub want_header {
	my (@ram) = @_;
	my @ph = ((map { phdr64(4, 0, $_->[0], 0, $_->[0], $_->[1]) } @cpus),
		phdr64(4, 0, $vmci, 0, $vmci, $vmci_size),
		phdr64(1, 7, $text_p, $text_v, $text_p, $text_s),
		map { phdr64(1, 7, $_->[0], $_->[0] + $linear, $_->[0], $_->[1] - $_->[0] + 1) } @ram);
	return ehdr64(4, 62, scalar @ph) . join('', @ph);
}

sub check_plan {
	my ($what, $out, $lo, $hi, @ram) = @_;
	my $p = decode_json($out);
	is($p->{type}, 'crash', "$what: a crash image");
	is($p->{kexec_flags}, '0x3e0001', "$what: KEXEC_ARCH_X86_64 | KEXEC_ON_CRASH");
	my @s = @{$p->{segments}};
	is_deeply([map { $_->{kind} } @s], [qw(kernel initrd elfcorehdr params purgatory)],
		"$what: segment kinds");
	for my $seg (@s) {
		ok(hex $seg->{mem} >= $lo && hex $seg->{end} <= $hi,
			"$what: $seg->{kind} $seg->{mem}-$seg->{end} inside the crash region");
	}
	my ($h) = grep { $_->{kind} eq 'elfcorehdr' } @s;
	my $want = want_header(@ram);
	is($h->{bufsz}, length $want, "$what: the header is " . length($want) . ' bytes');
	is($h->{sha256}, sha256_hex($want), "$what: ... and exactly the header built here");
	ok($h->{checked}, "$what: ... checked by the purgatory");
	is($p->{cmdline}, "elfcorehdr=$h->{mem} console=ttyS0 irqpoll nr_cpus=1",
		"$what: elfcorehdr= first on the command line");
	return $p;
}

my ($rc, $out, $err) = run(kx(), 'plan', '--crash', $kernel, '--initrd', $initrd,
	'--mem-map', $map, '--sys-root', $root, '--append', 'console=ttyS0 irqpoll nr_cpus=1', '--json');
is($rc, 0, 'plan --crash with a "Crash kernel" in the memory map') or diag $err;
check_plan('iomem', $out, 0x30000000, 0x37ffffff,
	[0x1000, 0x9fbff], [0x100000, 0x2fffffff], [0x38000000, 0x3ffdffff]) if $rc == 0;

($rc, $out, $err) = run(kx(), 'plan', '--crash', $kernel, '--initrd', $initrd,
	'--mem-map', $plain, '--crash-region', '128M@0x20000000', '--sys-root', $root,
	'--append', 'console=ttyS0 irqpoll nr_cpus=1', '--json');
is($rc, 0, 'plan --crash --crash-region 128M@0x20000000') or diag $err;
check_plan('--crash-region', $out, 0x20000000, 0x27ffffff,
	[0x1000, 0x9fbff], [0x100000, 0x1fffffff], [0x28000000, 0x3ffdffff]) if $rc == 0;

# Bad input: one line, the exact message, nothing planned.
my @bad = (
	[ 'no crash region', [ '--mem-map', $plain ], 1,
	  'kexload: no crash kernel region in the memory map to place the kernel in (boot the running kernel with crashkernel=SIZE)' ],
	[ 'a crash region too small for the kernel', [ '--mem-map', $plain, '--crash-region', '8M@0x20000000' ], 1,
	  'kexload: no room in memory for the kernel (66682880 bytes, 2097152-byte aligned) between 0x100000 and 0xffffffffffffffff in the crash kernel region' ],
	[ 'room for the kernel, not for the initrd', [ '--mem-map', $plain, '--crash-region', '64M@0x20000000', '--initrd', $big ], 1,
	  'kexload: no room in memory for the initrd (1048576 bytes, 4096-byte aligned) between 0x0 and 0xffffffffffffffff in the crash kernel region' ],
	[ '--crash-region without a base', [ '--mem-map', $plain, '--crash-region', '128M' ], 2,
	  'kexload: --crash-region 128M: expected SIZE@BASE, as 256M@0x30000000' ],
	[ '--crash-region outside RAM', [ '--mem-map', $plain, '--crash-region', '128M@0x3ff00000' ], 2,
	  'kexload: --crash-region 128M@0x3ff00000: not inside one System RAM range of the memory map' ],
	[ 'no crash data under --sys-root', [ '--mem-map', $map, '--sys-root', "$dir/none" ], 1,
	  "kexload: $dir/none/sys/devices/system/cpu/possible: cannot read: No such file or directory" ],
);
for my $b (@bad) {
	my ($what, $args, $code, $msg) = @$b;
	my @sr = grep { $_ eq '--sys-root' } @$args;
	my @rd = grep { $_ eq '--initrd' } @$args;
	($rc, $out, $err) = run(kx(), 'plan', '--crash', $kernel, @rd ? () : ('--initrd', $initrd), @$args,
		@sr ? () : ('--sys-root', $root), '--json');
	is($rc, $code, "$what: exit $code");
	is($err, "$msg\n", "$what: the message");
	is($out, '', "$what: no plan");
}

# kdump tools, with kexload as /sbin/kexec, on this host stopped by the guard.
my $kexec = "$dir/kexec";
symlink kx(), $kexec or die;
my $cmd = 'irqpoll nr_cpus=1 reset_devices console=ttyS0';
# Fedora's kdump-utils (and Debian's kdump-tools with -s):
($rc, $out, $err) = run($kexec, '-s', '-p', "--command-line=$cmd", "--initrd=$initrd", $kernel);
is($rc, 1, 'kexec -s -p --command-line= --initrd= KERNEL: reaches the load');
is($err, "kexec: kexec_file_load of a crash kernel: refused: KEXLOAD_FORBID_KEXEC is set\n",
	'... kexec_file_load with KEXEC_FILE_ON_CRASH, stopped by the guard');
for my $u (['-s', '-p', '-u'], ['-p', '-u'], ['-u', '-p'], ['-s', '-u', '-p']) {
	($rc, $out, $err) = run($kexec, @$u);
	is($rc, 1, "kexec @$u: reaches the unload");
	is($err, "kexec: unload of the crash kernel: refused: KEXLOAD_FORBID_KEXEC is set\n",
		"kexec @$u: the crash kernel's unload, stopped by the guard");
}
# Debian's kdump-tools without -s: kexload's own load, all of it but the call.
($rc, $out, $err) = run($kexec, '-p', "--command-line=$cmd", "--initrd=$initrd", $kernel,
	'--mem-map', $map, '--sys-root', $root, '-d');
is($rc, 1, 'kexec -p --command-line= --initrd= KERNEL: reaches the load');
like($err, qr/^kexec: kexec_load of a crash kernel: refused: KEXLOAD_FORBID_KEXEC is set$/m,
	'... kexec_load with KEXEC_ON_CRASH, stopped by the guard');
like($err, qr/bzImage for x86_64, crash image$/m, '... a crash image was built');
like($err, qr/^command line: "elfcorehdr=0x3\w+ \Q$cmd\E"$/m, '... with elfcorehdr= and --command-line=');
like($err, qr/^2\s+elfcorehdr\s+0x00000000(3[0-7]\w{6})\s/m, '... and its core header in the region');
unlike($out, qr/\S/, '... and no shutdown');
# kexload's own spelling
($rc, $out, $err) = run(kx(), 'unload', '--crash');
is($err, "kexload: unload of the crash kernel: refused: KEXLOAD_FORBID_KEXEC is set\n",
	'kexload unload --crash: the crash kernel, stopped by the guard');
($rc, $out, $err) = run(kx(), 'load', '-p', $kernel);
is($rc, 2, 'kexload load -p: exit 2');
is($err, "kexload: -p is kexec-tools' spelling; use --crash\n", '... and says --crash');
SKIP: {
	skip 'this kernel has crash_hotplug', 2
		if -e '/sys/devices/system/cpu/crash_hotplug' || -e '/sys/devices/system/memory/crash_hotplug';
	($rc, $out, $err) = run($kexec, '-p', '--hotplug', $kernel);
	is($rc, 2, 'kexec -p --hotplug on a kernel without crash hotplug: exit 2');
	is($err, "kexec: --hotplug: this kernel does not update crash images on CPU or memory hotplug (no crash_hotplug in /sys/devices/system/cpu)\n",
		'... and says why');
}
done_testing();
