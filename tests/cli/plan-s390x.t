#!/usr/bin/perl
# plan --json for the current Debian s390x kernel (the s390 image) with an
# initrd, from this host: the IPL record and the parameter area decoded
# here, independently; the image from 0x10000 on at the addresses it has
# in the file, the parameter area's pages rebuilt here (initrd start and
# size, the command line in its announced room) and compared by SHA-256,
# the initrd right above the image, the purgatory at the architecture's
# fixed 0x2000, entered at 0x10000; command lines at and beyond the size
# the image announces; then bad images and an initrd that does not fit,
# each refused with its one-line message and nothing printed; and inspect.
# The same kernel as an s390x ELF kernel (the image linked at 0 with
# binutils' s390x ld, as a kernel build's arch/s390/boot/vmlinux is):
# the same plan, segment for segment; and an ELF for another machine.
# A crash plan (--crash, --crash-region): every segment at its address
# from the region's start, the parameter area with the initrd's start as
# the kdump kernel sees it after the purgatory's swap and the old-memory
# fields, no core header (the kdump kernel builds its own), entered at
# 0x10010; and a region too small.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use KxTest;
use Test::More;

my ($kernel, $why) = debian_kernel('s390x');
plan skip_all => $why unless $kernel;
my $dir = tmpdir();
my $img = read_file($kernel);
my $len = length $img;

# The IPL record and the parameter area (the kernel's asm/setup.h).
my ($psw_mask, $psw_addr, @ccw) = unpack('N6', substr($img, 0, 24));
is(sprintf('0x%08x', $psw_mask), '0x00080000', 'a short IPL PSW at 0');
ok($psw_addr & 0x80000000, '... for 31-bit addressing');
is(sprintf('%08x%08x %08x%08x', @ccw), '0200001860000050 0200006860000050',
	'the two IPL read CCWs');
is(substr($img, 0x10008, 6), 'S390EP', 'the entry marker at 0x10008');
my ($verp, $max) = unpack('Q>Q>', substr($img, 0x10428, 16));
is($max, 4096, "Debian's kernel announces a 4096-byte command line");
my ($version) = unpack('Z*', substr($img, $verp, 256));
note("version: $version");
my $head_end = (0x10480 + $max + 4095) & ~4095;
sub align { my ($v, $a) = @_; return ($v + $a - 1) & ~($a - 1) }

my $initrd = "$dir/initrd.img";
open my $fh, '<:raw', '/dev/urandom' or die;
read $fh, my $bytes, 20 * 1048576 + 77;
write_file($initrd, $bytes);
my $cmdline = 'console=ttysclp0 kx.marker=plan';

sub plan_json {
	my ($cmd, @more) = @_;
	my ($rc, $out, $err) = run(kx(), 'plan', '--arch', 's390x', $kernel, '--initrd',
		$initrd, '--command-line', $cmd, '--ram', '1G', '--json', @more);
	return ($rc, $rc ? undef : decode_json($out), $err, $out);
}

# The parameter area's pages as the new kernel must find them.
sub params_bytes {
	my ($cmd, $istart, $isize, $obase, $osize) = @_;
	my $h = substr($img, 0x10000, $head_end - 0x10000);
	substr($h, 0x408, 32) = pack('Q>4', $istart, $isize, $obase // 0, $osize // 0);
	substr($h, 0x480, $max) = $cmd . ("\0" x ($max - length $cmd));
	return $h;
}

my ($rc, $p, $err) = plan_json($cmdline);
is($rc, 0, 'plan exits 0') or diag $err;
is($p->{format}, 's390 image', 'format');
is($p->{arch}, 's390x', 'arch');
is($p->{kexec_flags}, '0x160000', 'KEXEC_ARCH_S390');
is($p->{kernel_entry}, '0x10000', 'the kernel is entered at 0x10000 (startup_normal)');
my @s = @{$p->{segments}};
is_deeply([map { $_->{kind} } @s], [qw(kernel initrd params purgatory)], 'segment kinds');
my ($k, $i, $pa, $pg) = @s;
is($pa->{mem}, '0x10000', 'the parameter area\'s pages start at 0x10000');
is($pa->{end}, sprintf('0x%x', $head_end - 1), '... and end with the command line\'s room');
is($pa->{sha256}, sha256_hex(params_bytes($cmdline, align($len, 4096), length $bytes)),
	'... holding the image\'s bytes with the initrd and command line written in');
is($k->{mem}, sprintf('0x%x', $head_end), 'the rest of the image right after them');
is($k->{bufsz}, $len - $head_end, '... to the end of the file');
is($k->{sha256}, sha256_hex(substr($img, $head_end)), '... unchanged');
is($i->{mem}, sprintf('0x%x', align($len, 4096)), 'the initrd right above the image');
is($i->{sha256}, file_sha256($initrd), '... its digest that of the file');
is($pg->{mem}, '0x2000', 'the purgatory at the architecture\'s 0x2000');
ok(hex $pg->{end} < 0x10000, "... below the image (ends $pg->{end})");
ok(hex $p->{entry} >= 0x2000 && hex $p->{entry} <= hex $pg->{end},
	"kexec enters the purgatory ($p->{entry})");
ok($_->{checked}, "$_->{kind} is checked") for ($k, $i, $pa);
ok(!$pg->{checked}, 'the purgatory does not check itself');

# At the announced size (4095 characters and the NUL) and beyond it.
my $long = ('x' x 4094) . 'Z';
($rc, $p, $err) = plan_json($long);
is($rc, 0, 'a 4095-character command line is taken') or diag $err;
is($p && $p->{segments}[2]{sha256},
	sha256_hex(params_bytes($long, align($len, 4096), length $bytes)),
	'... written whole, its NUL the room\'s last byte');
my $out;
($rc, $p, $err, $out) = plan_json($long . 'y');
is($rc, 1, 'a 4096-character one is refused');
is($err, "kexload: the command line is 4096 bytes; this kernel takes at most 4095\n",
	'... with the limit, on one line');
is($out, '', '... and no plan');

# Bad input: one line naming the file and the problem, exit 1, no plan.
sub variant {
	my ($name, $data) = @_;
	write_file("$dir/$name", $data);
	return "$dir/$name";
}
my @bad = (
	['truncated in the parameter area', [variant('cut-64k', substr($img, 0, 0x10420))],
		"kexload: $dir/cut-64k: truncated: an s390 image has its parameter area at "
		. "0x10400, but the file has only 0x10420 bytes\n"],
	['truncated in the command line', [variant('cut-cmd', substr($img, 0, 0x11000))],
		"kexload: $dir/cut-cmd: truncated: the command line (4096 bytes at 0x10480) "
		. "runs past the end of the file (0x11000 bytes)\n"],
	['an initrd that does not fit below the memory limit', [$kernel, '--ram', '24M'],
		"kexload: $initrd: an s390 initrd goes right above the kernel image (which ends "
		. sprintf('at 0x%x), in RAM and below --mem-max; there is no room for it there',
			align($len, 4096) - 1) . "\n"],
	['an initrd beyond --mem-max', [$kernel, '--mem-max', '0x1000000'],
		"kexload: $initrd: an s390 initrd goes right above the kernel image (which ends "
		. sprintf('at 0x%x), in RAM and below --mem-max; there is no room for it there',
			align($len, 4096) - 1) . "\n"],
	['an s390x ELF object (the purgatory)', [top() . '/build/purgatory/s390x.ro'],
		"kexload: " . top() . "/build/purgatory/s390x.ro: no loadable segment (no PT_LOAD "
		. "program header)\n"],
	['an ELF for the wrong machine (x86-64)', [kx()],
		"kexload: " . kx() . ": an ELF file for x86-64 (machine 62, 64-bit): kexload loads "
		. "ELF kernels for ppc64 and s390x only\n"],
);
for my $c (@bad) {
	my ($name, $args, $want) = @$c;
	my @a = @$args;
	push @a, '--initrd', $initrd unless grep { $_ eq '--initrd' } @a;
	push @a, '--ram', '1G' unless grep { $_ eq '--ram' } @a;
	my ($rc, $out, $err) = run(kx(), 'plan', '--arch', 's390x', @a);
	is($rc, 1, "$name: exit 1");
	is($err, $want, "$name: the message, on one line");
	is($out, '', "$name: no plan printed");
}

($rc, $out, $err) = run(kx(), 'plan', '--arch', 'x86_64', $kernel, '--ram', '1G');
is($rc, 1, 'an s390 image planned for x86_64 is refused');
is($err, "kexload: $kernel: is a kernel for s390x (s390 image), not for x86_64\n",
	'... saying so');
($rc, $out, $err) = run(kx(), 'plan', $kernel, '--ram', '1G', '--json');
is($rc, 0, 'plan without --arch: the image is planned for s390x') or diag $err;
is(($rc ? {} : decode_json($out))->{arch}, 's390x', '... "arch" is s390x');

($rc, $out, $err) = run(kx(), 'inspect', '--json', $kernel);
is($rc, 0, 'inspect exits 0');
my $info = decode_json($out);
is($info->{format}, 's390 image', 'inspect: format');
is($info->{arch}, 's390x', 'inspect: arch');
is($info->{version}, $version, 'inspect: the version the parameter area points at');
is($info->{fields}{entry}, '0x10000', 'inspect: entry');
is($info->{fields}{entry_marker}, 'S390EP', 'inspect: entry marker');
is($info->{fields}{max_command_line_size}, '4096', 'inspect: max_command_line_size');

# Crash: a 256 MiB region at 768 MiB of a 1 GiB machine.
my ($cb, $cs) = (0x30000000, 0x10000000);
($rc, $p, $err) = plan_json($cmdline, '--crash', '--crash-region', '256M@0x30000000');
is($rc, 0, 'plan --crash') or diag $err;
is($p->{type}, 'crash', 'crash: a crash image');
is($p->{kexec_flags}, '0x160001', 'crash: KEXEC_ARCH_S390 | KEXEC_ON_CRASH');
is($p->{kernel_entry}, '0x10010', 'crash: entered at 0x10010 (startup_kdump) once swapped to 0');
@s = @{$p->{segments} // []};
is_deeply([map { $_->{kind} } @s], [qw(kernel initrd params purgatory)],
	'crash: the same segments, no elfcorehdr');
($k, $i, $pa, $pg) = @s;
for my $seg (@s) {
	ok(hex $seg->{mem} >= $cb && hex $seg->{end} < $cb + $cs,
		"crash: $seg->{kind} $seg->{mem}-$seg->{end} inside the region");
}
is($pa->{mem}, sprintf('0x%x', $cb + 0x10000), 'crash: the parameter area at the region + 0x10000');
is($k->{mem}, sprintf('0x%x', $cb + $head_end), sprintf('crash: the kernel at the region + 0x%x', $head_end));
is($k->{sha256}, sha256_hex(substr($img, $head_end)), 'crash: ... unchanged');
is($i->{mem}, sprintf('0x%x', $cb + align($len, 4096)), 'crash: the initrd right above it');
is($pg->{mem}, sprintf('0x%x', $cb + 0x2000), 'crash: the purgatory at the region + 0x2000');
is($pa->{sha256}, sha256_hex(params_bytes($cmdline, align($len, 4096), length $bytes, $cb, $cs)),
	'crash: parameter area: initrd_start from 0, oldmem_base and oldmem_size the region');
ok(hex $p->{entry} > $cb + 0x2000 && hex $p->{entry} <= hex $pg->{end},
	"crash: kexec calls the purgatory ($p->{entry})");
($rc, $p, $err, $out) = plan_json($cmdline, '--crash', '--crash-region', '16M@0x30000000');
is($rc, 1, 'crash: a 16 MiB region is refused (the initrd does not fit)');
is($err, "kexload: $initrd: an s390 initrd goes right above the kernel image (which ends "
	. sprintf('at 0x%x), in RAM and below --mem-max; there is no room for it there',
		$cb + align($len, 4096) - 1) . "\n", 'crash: ... with one line naming it');
is($out, '', 'crash: ... and no plan');

SKIP: {
	skip 's390x-linux-gnu-ld is not installed (binutils-s390x-linux-gnu)', 8
		unless system('sh', '-c', 'command -v s390x-linux-gnu-ld >/dev/null') == 0;
	my $ld = "$dir/image-elf.ld";
	write_file($ld, "OUTPUT_FORMAT(elf64-s390)\nENTRY(kx_startup)\nkx_startup = 0x10000;\n"
		. "SECTIONS { . = 0; .text : { *(.data) } }\n");
	my $elf = "$dir/vmlinux";
	system('s390x-linux-gnu-ld', '-m', 'elf64_s390', '-T', $ld, '-b', 'binary', $kernel,
		'-o', $elf) == 0 or die "s390x-linux-gnu-ld failed";
	my @args = ('--initrd', $initrd, '--command-line', $cmdline, '--ram', '1G', '--json');
	my ($rc1, $o1, $e1) = run(kx(), 'plan', '--arch', 's390x', $kernel, @args);
	my ($rc2, $o2, $e2) = run(kx(), 'plan', '--arch', 's390x', $elf, @args);
	is($rc2, 0, 'the kernel as an s390x ELF executable: planned') or diag $e2;
	my ($pi, $pe) = map { decode_json($_) } ($o1, $o2);
	is($pe->{format}, 's390 image', '... an s390 image inside');
	is_deeply($pe->{wrappers}, ['ELF s390x kernel'], '... in an ELF s390x kernel');
	is_deeply([map { [@$_{qw(kind mem end bufsz sha256)}] } @{$pe->{segments}}],
		[map { [@$_{qw(kind mem end bufsz sha256)}] } @{$pi->{segments}}],
		'... every segment where the image puts it, with the same bytes');
	is($pe->{kernel_entry}, '0x10000', '... entered at 0x10000');
	($rc, $out, $err) = run(kx(), 'inspect', '--json', $elf);
	my $ei = $rc ? {} : decode_json($out);
	is($ei->{version}, $version, 'inspect: the version, through the ELF');
	is($ei->{fields}{elf_loads}, '1', 'inspect: one PT_LOAD');
	($rc, $out, $err) = run(kx(), 'plan', '--arch', 'ppc64', $elf, '--ram', '1G');
	is($err, "kexload: $elf (ELF memory image): is a kernel for s390x (s390 image), "
		. "not for ppc64\n", 'planned for ppc64: refused, naming both');
}
done_testing();
