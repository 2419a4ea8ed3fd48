#!/usr/bin/perl
# plan --json for the current Debian arm64 Image with an initrd and the
# device tree QEMU gives a -M virt guest, against that guest's memory map
# (RAM with the kernel's own reservations nested in it): every segment in
# RAM and clear of the reservations, none overlapping, the placement rules
# of Documentation/arch/arm64/booting.rst, digests equal to sha256 of the
# files; then bad Images, each refused with its message and nothing printed.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use KxTest;
use Test::More;
no warnings "portable";   # 64-bit addresses in hex

my ($kernel, $why) = debian_kernel('arm64');
plan skip_all => $why unless $kernel;
my $dir = tmpdir();
my $dtb = "$dir/virt.dtb";
system("qemu-system-aarch64 -M virt,dumpdtb=$dtb -cpu max -m 2G -display none >/dev/null 2>&1");
plan skip_all => "qemu-system-aarch64 could not dump a device tree" unless -s $dtb;

my $initrd = "$dir/initrd.img";
open my $fh, '<:raw', '/dev/urandom' or die;
read $fh, my $bytes, 20 * 1048576 + 77;
write_file($initrd, $bytes);
my $img = read_file($kernel);
my ($text_offset, $image_size) = unpack('Q<Q<', substr($img, 8, 16));

my $map = top() . '/tests/fixtures/iomem/qemu-virt-2g.iomem';
my (@ram, @reserved);
open my $m, '<', $map or die;
while (<$m>) {
	push @ram, [hex $1, hex $2] if /^([0-9a-f]+)-([0-9a-f]+) : System RAM$/;
	push @reserved, [hex $1, hex $2] if /^\s+([0-9a-f]+)-([0-9a-f]+) : reserved$/;
}

my ($rc, $out, $err) = run(kx(), 'plan', '--arch', 'arm64', $kernel, '--initrd', $initrd,
	'--dtb', $dtb, '--mem-map', $map, '--append', 'console=ttyAMA0 kx.marker=1', '--json');
is($rc, 0, 'plan exits 0') or diag $err;
my $p = decode_json($out);
is($p->{format}, 'arm64 Image', 'format');
is($p->{arch}, 'arm64', 'arch');
my @s = @{$p->{segments}};
is_deeply([map { $_->{kind} } @s], [qw(kernel initrd dtb purgatory)], 'segment kinds');
for my $seg (@s) {
	my ($lo, $hi) = (hex $seg->{mem}, hex $seg->{end});
	ok((grep { $lo >= $_->[0] && $hi <= $_->[1] } @ram),
		sprintf('%s 0x%x-0x%x inside System RAM', $seg->{kind}, $lo, $hi));
	ok(!(grep { $lo <= $_->[1] && $_->[0] <= $hi } @reserved),
		"$seg->{kind} clear of the kernel's reserved ranges");
}
for my $i (0 .. $#s) {
	for my $j ($i + 1 .. $#s) {
		ok(hex $s[$i]{end} < hex $s[$j]{mem} || hex $s[$j]{end} < hex $s[$i]{mem},
			"$s[$i]{kind} and $s[$j]{kind} do not overlap");
	}
}
my ($k, $i, $d, $pg) = @s;
is((hex($k->{mem}) - $text_offset) % 0x200000, 0, 'kernel: text_offset above a 2 MiB aligned base');
is($k->{memsz}, $image_size, 'kernel memsz = the header\'s image_size');
is($k->{sha256}, sha256_hex($img), 'kernel digest = sha256sum of the Image');
is($p->{kernel_entry}, $k->{mem}, 'entered at its first byte');
my $window = hex($k->{mem}) & ~(0x40000000 - 1);
ok(hex $i->{mem} >= hex($k->{end}) + 1 && hex $i->{end} < $window + (32 << 30),
	'initrd above the kernel, inside the 32 GiB window');
is($i->{sha256}, file_sha256($initrd), 'initrd digest = sha256sum of the file');
is(hex($d->{mem}) % 0x200000, 0, 'device tree 2 MiB aligned');
ok($d->{bufsz} <= 2 << 20, 'device tree at most 2 MiB');
ok($_->{checked}, "$_->{kind} is checked") for ($k, $i, $d);
ok(!$pg->{checked}, 'the purgatory does not check itself');

# Bad Images: one line naming the file and the problem, exit 1, no plan.
sub variant {
	my ($name, $edit) = @_;
	my $copy = $img;
	$edit->(\$copy);
	write_file("$dir/$name", $copy);
	return "$dir/$name";
}
sub poke { my ($r, $off, $b) = @_; substr($$r, $off, length $b) = $b }
my @bad = (
	['truncated header', variant('cut-3e', sub { ${$_[0]} = substr(${$_[0]}, 0, 0x3e) }),
		qr/cut-3e: truncated: the arm64 Image header needs bytes 0x3c-0x3f but the file has only 62 bytes/],
	['truncated before the magic', variant('cut-30', sub { ${$_[0]} = substr(${$_[0]}, 0, 0x30) }),
		qr/cut-30: not a kernel image kexload knows/],
	['big-endian flag', variant('be', sub { poke($_[0], 24, pack('Q<', 0xb)) }),
		qr/be: a big-endian arm64 kernel \(header flags 0xb\); kexload loads little-endian ones/],
	['image_size below the file size', variant('small', sub { poke($_[0], 16, pack('Q<', 0x10000)) }),
		qr/small: the header's image_size 0x10000 is smaller than the file/],
	['cut inside the kernel', variant('cut-half', sub { ${$_[0]} = substr(${$_[0]}, 0, 1 << 20) }),
		undef],
);
# Without its magic the Image is no arm64 Image, but still a sound PE (its
# EFI stub's header), which the PE format takes: planned for its stub.
{
	my $f = variant('bad-magic', sub { poke($_[0], 56, 'ARMx') });
	my ($rc, $out, $err) = run(kx(), 'plan', '--arch', 'arm64', $f, '--dtb', $dtb,
		'--mem-map', $map);
	is($rc, 0, 'wrong magic: planned as a PE') or diag $err;
	like($out, qr/PE \(EFI stub\) for arm64/, 'wrong magic: for its EFI stub');
}
for my $c (@bad) {
	my ($name, $file, $want) = @$c;
	my ($rc, $out, $err) = run(kx(), 'plan', '--arch', 'arm64', $file, '--dtb', $dtb,
		'--mem-map', $map);
	if (!$want) {
		# An Image cut short is still an Image to its header: it loads
		# what is there, and the digest is of those bytes; say so.
		is($rc, 0, "$name: the header cannot tell; planned as it is");
		next;
	}
	is($rc, 1, "$name: exit 1");
	like($err, $want, "$name: message");
	is(scalar(() = $err =~ /\n/g), 1, "$name: one line");
	is($out, '', "$name: no plan printed");
}
my ($rc2, $out2, $err2) = run(kx(), 'plan', '--arch', 'x86_64', $kernel, '--ram', '1G');
is($rc2, 1, 'an arm64 Image planned for x86_64 is refused');
like($err2, qr/vmlinuz: is a kernel for arm64 \(arm64 Image\), not for x86_64/, '... saying so');
# Without --arch, plan and inspect take the architecture from the image.
my ($rc3, $out3, $err3) = run(kx(), 'plan', $kernel, '--ram', '1G@0x40000000', '--json');
is($rc3, 0, 'plan without --arch: the arm64 Image is planned for arm64') or diag $err3;
is(($rc3 ? {} : decode_json($out3))->{arch}, 'arm64', '... "arch" is arm64');
# The device tree's reservations, which the memory map does not list (as
# 32-bit ARM's /proc/iomem does not): QEMU's tree with a /reserved-memory
# node over the initrd's place above and a /memreserve/ entry over the
# device tree's 2 MiB block. The initrd moves to just below its old place,
# the device tree to the block below (the map leaves it free), and --debug
# says each reservation; a reg that is not whole pairs is refused.
SKIP: {
	skip 'dtc is not installed', 12 if system('command -v dtc >/dev/null') != 0;
	my $dts = `dtc -q -I dtb -O dts $dtb`;
	my ($im, $ie, $dm) = (hex $i->{mem}, hex $i->{end}, hex $d->{mem});
	my $rsv = sprintf("/memreserve/ 0x%x 0x200000;\n", $dm);
	$dts =~ s{^/dts-v1/;\n}{/dts-v1/;\n$rsv};
	$dts .= sprintf("/ { reserved-memory { #address-cells = <2>; #size-cells = <2>; ranges;\n" .
		"\tkx\@%x { reg = <0x%x 0x%x 0x%x 0x%x>; }; }; };\n",
		$im, $im >> 32, $im & 0xffffffff, ($ie - $im + 1) >> 32, ($ie - $im + 1) & 0xffffffff);
	write_file("$dir/rsv.dts", $dts);
	system("dtc -q -I dts -O dtb -o $dir/rsv.dtb $dir/rsv.dts") == 0 or die "dtc failed";
	my ($rc, $out, $err) = run(kx(), 'plan', '--arch', 'arm64', $kernel, '--initrd', $initrd,
		'--dtb', "$dir/rsv.dtb", '--mem-map', $map, '--append', 'console=ttyAMA0 kx.marker=1',
		'--json', '--debug');
	is($rc, 0, 'reservations: plan exits 0') or diag $err;
	my @r = @{($rc ? {segments => []} : decode_json($out))->{segments}};
	my ($ri) = grep { $_->{kind} eq 'initrd' } @r;
	my ($rd) = grep { $_->{kind} eq 'dtb' } @r;
	is(hex($ri->{end}), $im - 1, sprintf('reservations: the initrd ends just below 0x%x', $im));
	is(hex($rd->{mem}), $dm - 0x200000, 'reservations: the device tree in the 2 MiB block below its old one');
	for my $seg (@r) {
		my ($lo, $hi) = (hex $seg->{mem}, hex $seg->{end});
		ok(($hi < $im || $lo > $ie) && ($hi < $dm || $lo > $dm + 0x1fffff),
			"reservations: $seg->{kind} clear of both");
	}
	like($err, qr/^kexload: debug: \Q$dir\E\/rsv\.dtb: \/memreserve\/ entry 0 reserves 0x\Q@{[sprintf '%x-0x%x', $dm, $dm + 0x1fffff]}\E: no segment goes there$/m,
		'reservations: --debug says the /memreserve/ entry');
	like($err, qr/^kexload: debug: \Q$dir\E\/rsv\.dtb: \/reserved-memory\/kx\@\Q@{[sprintf '%x reserves 0x%x-0x%x', $im, $im, $ie]}\E: no segment goes there$/m,
		'reservations: --debug says the /reserved-memory node');

	# A reg of 3 cells where /reserved-memory says 2 + 2: refused, one line.
	$dts =~ s{(kx\@[0-9a-f]+ \{ reg = <)0x[0-9a-f]+ }{$1} or die 'no kx node';
	write_file("$dir/bad.dts", $dts);
	system("dtc -q -I dts -O dtb -o $dir/bad.dtb $dir/bad.dts") == 0 or die "dtc failed";
	($rc, $out, $err) = run(kx(), 'plan', '--arch', 'arm64', $kernel, '--initrd', $initrd,
		'--dtb', "$dir/bad.dtb", '--mem-map', $map);
	is($rc, 1, 'a reg of 3 cells: exit 1');
	is($err, sprintf("kexload: $dir/bad.dtb: device tree: /reserved-memory/kx\@%x: reg is 12 bytes, " .
		"not a whole number of 16-byte entries (#address-cells 2, #size-cells 2 of " .
		"/reserved-memory)\n", $im), '... the one-line message names the tree and the node');
	is($out, '', '... no plan printed');
}
done_testing();
