#!/usr/bin/perl
# plan --json and inspect of ppc64 ELF vmlinux files of both byte orders:
# Debian's ppc64el kernel with an initrd and the device tree QEMU gives a
# -M pseries guest (placement by the rules of lib/formats/elf_kernel.c:
# above the kernel's run area, below 1 GiB, in 64 KiB pages; digests
# equal to sha256 of the file bytes), and the big-endian executable the
# Makefile builds with clang for test_elf (the big-endian purgatory is
# chosen for it off a ppc64 host); then bad ELF files, each refused with
# its one-line message and nothing printed.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use KxTest;
use Test::More;
no warnings "portable";   # 64-bit addresses in hex

my ($kernel, $why) = debian_kernel('ppc64el');
plan skip_all => $why unless $kernel;
my $dir = tmpdir();
my $dtb = "$dir/pseries.dtb";
system("qemu-system-ppc64 -M pseries,dumpdtb=$dtb -cpu POWER9 -m 2G -display none >/dev/null 2>&1");
plan skip_all => "qemu-system-ppc64 could not dump a device tree" unless -s $dtb;
my $be = top() . '/build/fixtures/elf-powerpc64-linux-gnu';
plan skip_all => "$be is not built (make check builds it)" unless -f $be;

my $initrd = "$dir/initrd.img";
open my $fh, '<:raw', '/dev/urandom' or die;
read $fh, my $bytes, 20 * 1048576 + 77;
write_file($initrd, $bytes);
my $img = read_file($kernel);
# The one PT_LOAD of Debian's vmlinux: file offset, size in the file and
# in memory, from its program header.
my ($phoff) = unpack('Q<', substr($img, 32, 8));
my ($off, $filesz, $memsz) = unpack('Q< x8 x8 Q< Q<', substr($img, $phoff + 8, 40));

my ($rc, $out, $err) = run(kx(), 'plan', '--arch', 'ppc64le', $kernel, '--initrd', $initrd,
	'--dtb', $dtb, '--ram', '2G', '--append', 'console=hvc0 kx.marker=1', '--json');
is($rc, 0, 'plan exits 0') or diag $err;
my $p = decode_json($out);
is($p->{format}, 'ELF vmlinux (ppc64le)', 'format');
is($p->{arch}, 'ppc64', 'arch');
is($p->{kexec_flags}, '0x150000', 'KEXEC_ARCH_PPC64');
my @s = @{$p->{segments}};
is_deeply([map { $_->{kind} } @s], [qw(kernel initrd dtb purgatory)], 'segment kinds');
my ($k, $i, $d, $pg) = @s;
my $run_end = ($memsz + 0xffff) & ~0xffff;
is(hex $k->{mem}, $run_end, sprintf('kernel right above its run area, at 0x%x', $run_end));
is($k->{memsz}, $run_end, 'kernel memsz: its memory size in 64 KiB pages');
is($k->{bufsz}, $filesz, 'kernel bufsz: the PT_LOAD\'s file size');
is($k->{sha256}, sha256_hex(substr($img, $off, $filesz)), 'kernel digest = sha256 of the PT_LOAD');
is($p->{kernel_entry}, $k->{mem}, 'entered at its first byte (e_entry is the PT_LOAD\'s start)');
is(hex $i->{end}, 0x3fffffff, 'initrd top-down below 1 GiB');
is($i->{memsz} % 0x10000, 0, 'initrd in 64 KiB pages');
is($i->{sha256}, file_sha256($initrd), 'initrd digest = sha256sum of the file');
is(hex($d->{end}) + 1, hex $i->{mem}, 'device tree right below the initrd');
ok(hex($pg->{end}) < 0x10000000, 'purgatory below 256 MiB');
for my $seg (@s) {
	is(hex($seg->{mem}) % 0x10000, 0, "$seg->{kind} 64 KiB aligned");
	ok(hex $seg->{mem} >= $run_end, "$seg->{kind} clear of the run area");
}
ok($_->{checked}, "$_->{kind} is checked") for ($k, $i, $d);

# Big endian: inspect and plan from this host.
($rc, $out, $err) = run(kx(), 'inspect', $be);
is($rc, 0, 'inspect of the big-endian executable') or diag $err;
like($out, qr/^format: ELF vmlinux \(ppc64, big endian\)$/m, '... its format');
like($out, qr/^endianness: big$/m, '... big endian');
like($out, qr/^entry: 0x100000$/m, '... its entry');
like($out, qr/^loads: 2$/m, '... two PT_LOADs');
($rc, $out, $err) = run(kx(), 'plan', $be, '--ram', '1G', '--json');
is($rc, 0, 'plan of the big-endian executable') or diag $err;
$p = $rc ? { segments => [] } : decode_json($out);
is($p->{format}, 'ELF vmlinux (ppc64, big endian)', '... its format');
is_deeply([map { $_->{kind} } @{$p->{segments}}], [qw(kernel dtb purgatory)], '... its segments');
is($p->{segments}[0]{mem}, '0x110000', '... the kernel above its 0x101008-byte run area');
is($p->{kernel_entry}, '0x110000', '... entered at its first byte');

# Bad ELF files: one line naming the file and the problem, exit 1, no plan.
sub variant {
	my ($name, $edit) = @_;
	my $copy = substr($img, 0, 0x200000);
	$edit->(\$copy);
	write_file("$dir/$name", $copy);
	return "$dir/$name";
}
sub poke { my ($r, $o, $b) = @_; substr($$r, $o, length $b) = $b }
my @bad = (
	['truncated ELF header', variant('cut-40', sub { ${$_[0]} = substr(${$_[0]}, 0, 40) }),
		qr/cut-40: truncated ELF header$/],
	['program headers outside the file', variant('phoff', sub {
		poke($_[0], 40, pack('Q<', 0)); poke($_[0], 60, pack('S<', 0));
		poke($_[0], 32, pack('Q<', 0x1fffff0)) }),
		qr/phoff: program headers \(2 at 0x1fffff0\) run past the end of the file \(2097152 bytes\)$/],
	['a cut vmlinux', variant('cut', sub {
		poke($_[0], 40, pack('Q<', 0)); poke($_[0], 60, pack('S<', 0)) }),
		qr/cut: program header 0: file bytes 0x10000\+0x2714ebc run past the end of the file \(2097152 bytes\)$/],
	['overlapping segments', variant('overlap', sub {
		poke($_[0], 40, pack('Q<', 0)); poke($_[0], 60, pack('S<', 0));
		poke($_[0], $phoff + 8, pack('Q< Q< Q< Q< Q<', 0x10000, 0xc000000000000000, 0, 0x1000, 0x2000));
		poke($_[0], $phoff + 56, pack('L< x4 Q< x8 Q<', 1, 0x10100, 0x100)) }),
		qr/overlap: program headers 0 and 1 overlap \(0x0\+0x2000 and 0x100\+0x80\)$/],
	['a file size above the memory size', variant('filesz', sub {
		poke($_[0], 40, pack('Q<', 0)); poke($_[0], 60, pack('S<', 0));
		poke($_[0], $phoff + 8, pack('Q< Q< Q< Q< Q<', 0x10000, 0xc000000000000000, 0, 0x2000, 0x1000)) }),
		qr/filesz: program header 0: file size 0x2000 is more than its memory size 0x1000$/],
	['the wrong machine', variant('x86', sub { poke($_[0], 18, pack('S<', 62)) }),
		qr/x86: an ELF file for x86-64 \(machine 62, 64-bit\): kexload loads ELF kernels for ppc64 and s390x only$/],
	['no loadable segment', variant('noload', sub {
		poke($_[0], 40, pack('Q<', 0)); poke($_[0], 60, pack('S<', 0));
		poke($_[0], $phoff, pack('L<', 6)); poke($_[0], $phoff + 56, pack('L<', 6)) }),
		qr/noload: no loadable segment \(no PT_LOAD program header\)$/],
);
for my $c (@bad) {
	my ($name, $file, $want) = @$c;
	my ($rc, $out, $err) = run(kx(), 'plan', $file, '--ram', '2G');
	is($rc, 1, "$name: exit 1");
	like($err, $want, "$name: message") or diag $err;
	is(scalar(() = $err =~ /\n/g), 1, "$name: one line");
	is($out, '', "$name: no plan printed");
}
done_testing();
