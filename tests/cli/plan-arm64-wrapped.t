#!/usr/bin/perl
# The Debian arm64 Image wrapped the ways arm64 kernels ship: Image.gz
# (made with gzip -9 -n, as the kernel's build does) and EFI zboot vmlinuz
# with gzip, lzma and zstd payloads (made by build/host/mkarm64 following
# the header the kernel's zboot-header.S writes, the Image padded to its
# image_size first). inspect names the wrapper and compression; plan
# --json loads the Image inside: its kernel segment is the Image byte for
# byte (sha256 of the file, or of the padded file for zboot) at the place
# the plain Image goes. Then broken wrappers and a device tree that is not
# one: each refused with one line naming the file and the problem.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use KxTest;
use Test::More;

my ($kernel, $why) = debian_kernel('arm64');
plan skip_all => $why unless $kernel;
my $mk = top() . '/build/host/mkarm64';
plan skip_all => 'build/host/mkarm64 is missing (make build/host/mkarm64)' unless -x $mk;
my $dir = tmpdir();
my $map = top() . '/tests/fixtures/iomem/qemu-virt-2g.iomem';
my $img = read_file($kernel);
my $image_size = unpack('Q<', substr($img, 16, 8));
my $padded = $img . ("\0" x ($image_size - length $img));
my @common = ('--arch', 'arm64', '--mem-map', $map, '--fixed-random', '7', '--json');

system("gzip -9 -n -c '$kernel' > '$dir/Image.gz'") == 0 or die 'gzip';
my %files = ('Image.gz' => ["$dir/Image.gz", 'gzip', 'gzip', sha256_hex($img), length $img]);
for my $m (qw(gzip lzma zstd)) {
	system($mk, 'zboot', $m, $kernel, "$dir/vmlinuz.$m") == 0 or die "mkarm64 $m";
	$files{"vmlinuz.$m"} = ["$dir/vmlinuz.$m", 'ZBOOT', $m, sha256_hex($padded), $image_size];
}

my ($rc, $out, $err) = run(kx(), 'plan', $kernel, @common);
is($rc, 0, 'plain Image plans') or diag $err;
my $plain = decode_json($out);
my $kseg = $plain->{segments}[0];

for my $name (sort keys %files) {
	my ($file, $wrapper, $comp, $sha, $len) = @{$files{$name}};
	($rc, $out, $err) = run(kx(), 'inspect', '--json', $file);
	is($rc, 0, "$name: inspect") or diag $err;
	my $i = decode_json($out);
	is($i->{format}, 'arm64 Image', "$name: inspect: arm64 Image inside");
	is_deeply($i->{wrappers}, [$wrapper], "$name: inspect: wrapped in $wrapper");
	is($i->{compression}, $comp, "$name: inspect: compression $comp");
	like($i->{version}, qr/^6\.\d+\.\d+-\d+-arm64 \(debian-kernel\@lists\.debian\.org\).* #\d+ SMP/,
		"$name: inspect: the Debian version banner");
	is($i->{fields}{zboot_compression}, $comp eq 'zstd' ? 'zstd22' : $comp,
		"$name: inspect: the header's compression name") if $wrapper eq 'ZBOOT';

	($rc, $out, $err) = run(kx(), 'plan', $file, @common);
	is($rc, 0, "$name: plan") or diag $err;
	my $p = decode_json($out);
	is_deeply($p->{wrappers}, [$wrapper], "$name: plan names the wrapper");
	my $k = $p->{segments}[0];
	is($k->{kind}, 'kernel', "$name: the first segment is the kernel");
	is($k->{bufsz}, $len, "$name: the kernel segment holds $len unwrapped bytes");
	is($k->{sha256}, $sha, "$name: its digest is the Image's");
	is($k->{mem}, $kseg->{mem}, "$name: placed where the plain Image goes");
	is($k->{memsz}, $image_size, "$name: with image_size bytes of room");
}

# Broken wrappers, each from a good one with one thing wrong.
sub variant {
	my ($src, $name, $edit) = @_;
	my $copy = read_file($src);
	$edit->(\$copy);
	write_file("$dir/$name", $copy);
	return "$dir/$name";
}
sub poke { my ($r, $off, $b) = @_; substr($$r, $off, length $b) = $b }
my $zb = "$dir/vmlinuz.zstd";
my $zlen = -s $zb;
my $dtb_text = "$dir/not-a.dtb";
write_file($dtb_text, "/dts-v1/;\n/ { model = \"source, not a blob\"; };\n");
my @bad = (
	['ZBOOT payload past the file', variant($zb, 'past-end', sub { poke($_[0], 12, pack('V', $zlen)) }),
		[], qr/past-end: EFI zboot payload \(offset 0x1000, size 0x[0-9a-f]+\) runs past the end of the file \(0x[0-9a-f]+ bytes\)/],
	['ZBOOT cut short', variant($zb, 'cut', sub { ${$_[0]} = substr(${$_[0]}, 0, $zlen / 2) }),
		[], qr/cut: EFI zboot payload .* runs past the end of the file/],
	['unknown compression', variant($zb, 'brotli', sub { poke($_[0], 0x18, "brotli\0") }),
		[], qr/brotli: EFI zboot: unknown compression "brotli"/],
	['lz4, which kexload does not unpack', variant($zb, 'lz4', sub { poke($_[0], 0x18, "lz4\0\0\0\0") }),
		[], qr/lz4: EFI zboot: lz4 compression is not supported \(kexload unpacks gzip, lzma, xz and zstd\)/],
	['corrupted zstd payload', variant($zb, 'bad-zstd', sub { poke($_[0], 0x1000 + 0x10000, "\xff" x 64) }),
		[], qr/bad-zstd: zstd data is corrupt \(libzstd: /],
	['corrupted gzip stream', variant("$dir/Image.gz", 'bad.gz', sub { poke($_[0], 0x10000, "\x00\xff" x 32) }),
		[], qr/bad\.gz: gzip data (is corrupt \(zlib: |expands past \d+ bytes)/],
	['gzip CRC wrong', variant("$dir/Image.gz", 'crc.gz', sub { poke($_[0], length(${$_[0]}) - 8, "\0\0\0\0") }),
		[], qr/crc\.gz: gzip data is corrupt \(zlib: incorrect data check\)/],
	['a device tree that is not one', $kernel, ['--dtb', $dtb_text],
		qr/not-a\.dtb: not a device tree \(no FDT magic d00dfeed\)/],
	['a device tree cut short', $kernel, ['--dtb', variant("$dir/Image.gz", 'cut.dtb', sub {
		${$_[0]} = pack('N10', 0xd00dfeed, 0x1000, 0x38, 0x200, 0x28, 17, 16, 0, 0x100, 0x100) })],
		qr/cut\.dtb: device tree: not a sound tree: FDT_ERR_TRUNCATED/],
	['a device tree header cut short', $kernel, ['--dtb', variant("$dir/Image.gz", 'hdr.dtb', sub {
		${$_[0]} = pack('N6', 0xd00dfeed, 0x1000, 0x38, 0x200, 0x28, 17) })],
		qr/hdr\.dtb: device tree cut short: 24 bytes, less than its 40-byte header/],
);
for my $c (@bad) {
	my ($what, $file, $extra, $want) = @$c;
	($rc, $out, $err) = run(kx(), 'plan', $file, @common, @$extra);
	is($rc, 1, "$what: exit 1");
	like($err, $want, "$what: message");
	is(scalar(() = $err =~ /\n/g), 1, "$what: one line");
	is($out, '', "$what: no plan printed");
}
done_testing();
