#!/usr/bin/perl
# plan --crash of Debian's ppc64el vmlinux, from any host: the device tree
# QEMU gives a 1 GiB -M pseries guest, a crash region given with
# --crash-region (where such a guest's crashkernel=256M goes, 128 MiB),
# and the running kernel's crash data from a sysfs and kcore tree written
# here. Checked in the JSON: every segment inside the crash region, the
# kernel at its start with __run_at_load (0x5c) set to 1 (its digest is
# that of the file's bytes so changed, computed here), the 64 KiB backup
# segment of zeros, the ELF core header byte for byte against the one this
# test builds (its PT_LOAD for [0, 64 KiB) reads the backup), and
# elfcorehdr= first on the command line. Then bad input, each refused
# with its one line and no plan.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use KxTest;
use Test::More;
use File::Path qw(make_path);
use Digest::SHA qw(sha256_hex);
no warnings "portable";   # 64-bit addresses in hex

my ($kernel, $why) = debian_kernel('ppc64el');
plan skip_all => $why unless $kernel;
my $dir = tmpdir();
my $dtb = "$dir/pseries.dtb";
system("qemu-system-ppc64 -M pseries,dumpdtb=$dtb -cpu POWER9 -m 1G -display none >/dev/null 2>&1");
plan skip_all => "qemu-system-ppc64 could not dump a device tree" unless -s $dtb;
my $initrd = "$dir/initrd.img";
write_file($initrd, "0707010000" x 1000);
my ($lo, $hi) = (0x8000000, 0x17ffffff);
my $page_offset = 0xc000000000000000;

# The running kernel's crash data: two CPUs, VMCOREINFO, a kcore whose
# one PT_LOAD is the linear map of the 1 GiB.
my $root = "$dir/root";
my @cpus = ([0x3ff10000, 424], [0x3ff30000, 424]);
my ($vmci, $vmci_size) = (0x3e000000, 0x1000);
make_path("$root/sys/kernel", "$root/proc", map { "$root/sys/devices/system/cpu/cpu$_" } 0 .. $#cpus);
write_file("$root/sys/devices/system/cpu/possible", "0-1\n");
for my $i (0 .. $#cpus) {
	write_file("$root/sys/devices/system/cpu/cpu$i/crash_notes", sprintf("%x\n", $cpus[$i][0]));
	write_file("$root/sys/devices/system/cpu/cpu$i/crash_notes_size", "$cpus[$i][1]\n");
}
write_file("$root/sys/kernel/vmcoreinfo", sprintf("%x %x\n", $vmci, $vmci_size));
write_file("$root/proc/kcore", elf64_ehdr(4, 21, 1) . elf64_phdr(1, 7, 0, $page_offset, 0, 0x40000000));

# The kernel's bytes as the crash load must place them.
my $img = read_file($kernel);
my ($phoff) = unpack('Q<', substr($img, 32, 8));
my ($off, $filesz, $memsz) = unpack('Q< x8 x8 Q< Q<', substr($img, $phoff + 8, 40));
my $bytes = substr($img, $off, $filesz);
is(unpack('V', substr($bytes, 0x5c, 4)), 0x72756e30, 'the Debian kernel is relocatable ("run0" at 0x5c)');
substr($bytes, 0x5c, 4) = pack('V', 1);

my ($rc, $out, $err) = run(kx(), 'plan', '--crash', '--arch', 'ppc64le', $kernel, '--initrd', $initrd,
	'--dtb', $dtb, '--ram', '1G', '--crash-region', '256M@0x8000000', '--sys-root', $root,
	'--append', 'console=hvc0 nr_cpus=1', '--json');
is($rc, 0, 'plan --crash of the ppc64el kernel') or diag $err;
my $p = $rc ? { segments => [] } : decode_json($out);
is($p->{type}, 'crash', 'a crash image');
is($p->{arch}, 'ppc64', 'for ppc64');
is($p->{kexec_flags}, '0x150001', 'KEXEC_ARCH_PPC64 | KEXEC_ON_CRASH');
my @s = @{$p->{segments}};
is_deeply([map { $_->{kind} } @s], [qw(kernel initrd backup elfcorehdr dtb purgatory)], 'segment kinds');
my %seg = map { $_->{kind} => $_ } @s;
for my $x (@s) {
	ok(hex $x->{mem} >= $lo && hex $x->{end} <= $hi,
		"$x->{kind} $x->{mem}-$x->{end} inside the crash region");
	is(hex($x->{mem}) % 0x10000, 0, "$x->{kind} in 64 KiB pages");
}
my ($k, $bak, $h) = @seg{qw(kernel backup elfcorehdr)};
is(hex $k->{mem}, $lo, 'the kernel at the start of the crash region');
is($p->{kernel_entry}, $k->{mem}, '... entered there (it runs where it is loaded)');
is($k->{sha256}, sha256_hex($bytes), '... its digest: the file\'s bytes with __run_at_load = 1');
is($bak->{memsz}, 0x10000, 'the backup segment: 64 KiB');
is($bak->{sha256}, sha256_hex("\0" x 0x10000), '... of zeros until the purgatory copies into it');
ok($bak->{checked} && $h->{checked} && $k->{checked}, 'kernel, backup and header are checked');

# The header: notes, VMCOREINFO, [0, 64 KiB) read from the backup at
# $backup, then RAM less the crash region, at PAGE_OFFSET + physical; in
# the kernel's byte order.
sub want_header {
	my ($backup, $be) = @_;
	my @ph = ((map { elf64_phdr(4, 0, $_->[0], 0, $_->[0], $_->[1], $be) } @cpus),
		elf64_phdr(4, 0, $vmci, 0, $vmci, $vmci_size, $be),
		elf64_phdr(1, 7, $backup, $page_offset, 0, 0x10000, $be),
		elf64_phdr(1, 7, 0x10000, $page_offset + 0x10000, 0x10000, $lo - 0x10000, $be),
		elf64_phdr(1, 7, $hi + 1, $page_offset + $hi + 1, $hi + 1, 0x40000000 - $hi - 1, $be));
	return elf64_ehdr(4, 21, scalar @ph, $be) . join('', @ph);
}
my $want = want_header(hex $bak->{mem});
is($h->{bufsz}, length $want, 'the core header is ' . length($want) . ' bytes');
is($h->{sha256}, sha256_hex($want), '... exactly the header built here');
is($p->{cmdline}, "elfcorehdr=$h->{mem} console=hvc0 nr_cpus=1", 'elfcorehdr= first on the command line');

# Big endian, from this host, with the big-endian purgatory: the ELF the
# Makefile builds for test_elf (two PT_LOADs), made "relocatable" here.
my $befix = top() . '/build/fixtures/elf-powerpc64-linux-gnu';
SKIP: {
	skip "$befix is not built (make check builds it)", 10 unless -f $befix;
	my $f = read_file($befix);
	my ($bphoff) = unpack('Q>', substr($f, 32, 8));
	my ($bphnum) = unpack('n', substr($f, 56, 2));
	my @loads = grep { $_->[0] == 1 } map { [unpack('N x4 Q> x8 Q> Q>', substr($f, $bphoff + 56 * $_, 40))] } 0 .. $bphnum - 1;
	my ($blo) = sort { $a <=> $b } map { $_->[2] } @loads;
	my ($bend) = sort { $b <=> $a } map { $_->[2] + $_->[3] } @loads;
	($rc, $out, $err) = run(kx(), 'plan', '--crash', $befix, '--ram', '1G',
		'--crash-region', '256M@0x8000000', '--sys-root', $root, '--json');
	is($rc, 1, 'plan --crash of a big-endian kernel without "run0" at 0x5c');
	is($err, sprintf("kexload: $befix: not a relocatable kernel (0x%08x at 0x5c, not \"run0\"): a ppc64 crash kernel must run where it is loaded, in the crash region\n",
		unpack('N', substr($f, $loads[0][1] + 0x5c, 4))), '... refused with its one line');
	is($out, '', '... and no plan');
	substr($f, $loads[0][1] + 0x5c, 4) = 'run0';
	my $bk = "$dir/vmlinux-be";
	write_file($bk, $f);
	my $want_bytes = "\0" x ($bend - $blo);
	substr($want_bytes, $_->[2] - $blo, $_->[3]) = substr($f, $_->[1], $_->[3]) for @loads;
	substr($want_bytes, 0x5c, 4) = pack('N', 1);
	($rc, $out, $err) = run(kx(), 'plan', '--crash', $bk, '--ram', '1G',
		'--crash-region', '256M@0x8000000', '--sys-root', $root, '--json');
	is($rc, 0, 'plan --crash of it with "run0" at 0x5c') or diag $err;
	my $q = $rc ? { segments => [] } : decode_json($out);
	is($q->{format}, 'ELF vmlinux (ppc64, big endian)', '... big endian');
	is_deeply([map { $_->{kind} } @{$q->{segments}}], [qw(kernel backup elfcorehdr dtb purgatory)],
		'... its segments');
	my %bs = map { $_->{kind} => $_ } @{$q->{segments}};
	is($bs{kernel}{sha256}, sha256_hex($want_bytes), '... the kernel with __run_at_load = 1 (big endian)');
	ok(!grep({ hex $_->{mem} < $lo || hex $_->{end} > $hi } @{$q->{segments}}),
		'... every segment inside the crash region');
	my $bwant = want_header(hex $bs{backup}{mem}, 1);
	is($bs{elfcorehdr}{sha256}, sha256_hex($bwant), '... a big-endian core header, byte for byte');
	is($q->{cmdline}, "elfcorehdr=$bs{elfcorehdr}{mem}", '... elfcorehdr= on the command line');
}

# Bad input: one line, the exact message, nothing planned.
my @bad = (
	[ 'no crash region', [], 1,
	  'kexload: no crash kernel region in the memory map to place the kernel in (boot the running kernel with crashkernel=SIZE)' ],
	[ 'a crash region too small for the kernel', [ '--crash-region', '32M@0x8000000' ], 1,
	  sprintf('kexload: no room in memory for the kernel (%d bytes, 65536-byte aligned) between 0x0 and 0x3fffffff in the crash kernel region',
		($memsz + 0xffff) & ~0xffff) ],
);
for my $x (@bad) {
	my ($what, $args, $code, $msg) = @$x;
	($rc, $out, $err) = run(kx(), 'plan', '--crash', '--arch', 'ppc64le', $kernel, '--dtb', $dtb,
		'--ram', '1G', @$args, '--sys-root', $root, '--json');
	is($rc, $code, "$what: exit $code");
	is($err, "$msg\n", "$what: the message");
	is($out, '', "$what: no plan");
}
done_testing();
