#!/usr/bin/perl
# Bad input gets one clear line naming the file and the problem, a non-zero
# exit, and nothing loaded: plan prints nothing, and load stops before it
# reaches kexec_load (which KEXLOAD_FORBID_KEXEC would refuse with another
# message).
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use KxTest;
use Test::More;

my ($kernel, $why) = debian_kernel('amd64');
plan skip_all => $why unless $kernel;

my $dir = tmpdir();
my $img = read_file($kernel);
my $initrd = "$dir/initrd";
write_file($initrd, "x" x 4096);

sub variant {
	my ($name, $edit) = @_;
	my $copy = $img;
	$edit->(\$copy);
	write_file("$dir/$name", $copy);
	return "$dir/$name";
}

sub poke { my ($r, $off, $bytes) = @_; substr($$r, $off, length $bytes) = $bytes }

my $setup = (unpack('C', substr($img, 0x1f1, 1)) + 1) * 512;
my @cases = (
	# [ name, file, extra args, message pattern ]
	['cut at 0x100', variant('cut-100', sub { ${$_[0]} = substr(${$_[0]}, 0, 0x100) }),
		[], qr/cut-100: truncated: the PE headers \(SizeOfHeaders 0x1000\) run past the end of the file \(0x100 bytes\)/],
	['cut at 0x201', variant('cut-201', sub { ${$_[0]} = substr(${$_[0]}, 0, 0x201) }),
		[], qr/cut-201: truncated: the setup header needs bytes 0x202-0x205 but the file has only 513 bytes/],
	['cut at 0x230', variant('cut-230', sub { ${$_[0]} = substr(${$_[0]}, 0, 0x230) }),
		[], qr/cut-230: truncated: the setup header needs bytes 0x\w+-0x\w+ but the file has only 560 bytes/],
	['cut inside the setup code', variant('cut-setup', sub { ${$_[0]} = substr(${$_[0]}, 0, $setup - 100) }),
		[], qr/cut-setup: truncated: the protected-mode kernel needs bytes/],
	['cut inside the kernel', variant('cut-kernel', sub { ${$_[0]} = substr(${$_[0]}, 0, length(${$_[0]}) / 2) }),
		[], qr/cut-kernel: truncated: the protected-mode kernel needs bytes 0x5000-0x\w+ but the file has only \d+ bytes/],
	['wrong magic', variant('bad-magic', sub { poke($_[0], 0x202, 'HdrZ') }),
		[], qr/bad-magic: has a boot sector signature but no Linux setup header \("HdrS" at 0x202\): not a bzImage/],
	['protocol 2.11', variant('old-proto', sub { poke($_[0], 0x206, pack('v', 0x020b)) }),
		[], qr/old-proto: boot protocol 2\.11 is too old: kexload needs 2\.12 or later/],
	['not relocatable', variant('not-reloc', sub { poke($_[0], 0x234, "\0") }),
		[], qr/not-reloc: the kernel is not relocatable/],
	['no 64-bit entry', variant('no-64', sub { poke($_[0], 0x236, pack('v', 0x7e)) }),
		[], qr/no-64: no 64-bit entry point \(XLF_KERNEL_64 is not set in xloadflags 0x7e\)/],
	['initrd that does not fit', $kernel, ['--initrd', $initrd, '--ram', '64M'],
		qr/no room in memory for the kernel/],
	['empty file', variant('empty', sub { ${$_[0]} = '' }), [], qr/empty: file is empty/],
	['missing file', "$dir/nope", [], qr/nope: cannot open: No such file or directory/],
	['not a kernel', $initrd, [], qr/initrd: not a kernel image kexload knows/],
);

# an initrd too large for the RAM left beside the kernel
my $big = "$dir/big-initrd";
open my $fh, '>', $big or die;
truncate $fh, 200 * 1048576;
close $fh;
push @cases, ['initrd bigger than free RAM', $kernel, ['--initrd', $big, '--ram', '256M'],
	qr/no room in memory for the initrd \(209715200 bytes, 4096-byte aligned\) between 0x0 and 0xffffffffffffffff/];
push @cases, ['mem-max below the kernel', $kernel, ['--ram', '1G', '--mem-max', '0x800000'],
	qr/no room in memory for the kernel/];
push @cases, ['command line too long', $kernel, ['--ram', '1G', '--command-line', 'x' x 3000],
	qr/the command line is 3000 bytes; this kernel takes at most 2047/];

my $garbage = "$dir/garbage.iomem";
write_file($garbage, "00000000-00000fff : Reserved\n00001000-0009fbff : System RAM\nthis is not iomem\n");
push @cases, ['memory map with garbage lines', $kernel, ['--mem-map', $garbage],
	qr/garbage\.iomem:3: not a \/proc\/iomem line: "this is not iomem"/];
my $zero = "$dir/zero.iomem";
write_file($zero, "00000000-00000000 : System RAM\n00000000-00000000 : Reserved\n");
push @cases, ['memory map as a non-root user sees it', $kernel, ['--mem-map', $zero],
	qr/zero\.iomem: every address is zero .*run as root, or pass --mem-map FILE or --ram SIZE/];
push @cases, ['bad --ram', $kernel, ['--ram', '12Q'], qr/--ram 12Q: /];

for my $c (@cases) {
	my ($name, $file, $args, $pat) = @$c;
	my @ram = (grep { /^--(ram|mem-map)$/ } @$args) ? () : ('--ram', '1G');
	for my $cmd ('plan', 'load') {
		my ($rc, $out, $err) = run(kx(), $cmd, $file, @ram, @$args);
		isnt($rc, 0, "$cmd, $name: non-zero exit");
		is($out, '', "$cmd, $name: nothing on standard output");
		like($err, qr/^kexload: .*\n\z/, "$cmd, $name: one line on standard error");
		like($err, $pat, "$cmd, $name: says what is wrong") or diag $err;
		unlike($err, qr/KEXLOAD_FORBID_KEXEC/, "$cmd, $name: stopped before kexec_load");
	}
}

# inspect reports the same problems
my ($rc, $out, $err) = run(kx(), 'inspect', "$dir/old-proto");
isnt($rc, 0, 'inspect of a bad image fails');
like($err, qr/old-proto: boot protocol 2\.11 is too old/, 'inspect says why');

done_testing();
