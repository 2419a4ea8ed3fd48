#!/usr/bin/perl
# plan --json for the current Debian amd64 kernel with an initrd, against
# QEMU's real 1 GiB and 6 GiB memory maps: every segment inside RAM, none
# overlapping, and the digests equal to sha256 of the files' bytes.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use KxTest;
use Test::More;
no warnings "portable";   # 64-bit addresses in hex

my ($kernel, $why) = debian_kernel('amd64');
plan skip_all => $why unless $kernel;

my $dir = tmpdir();
my $initrd = "$dir/initrd.img";
open my $fh, '<:raw', '/dev/urandom' or die;
read $fh, my $bytes, 48 * 1048576 + 123;
write_file($initrd, $bytes);

# bzImage facts straight from the file, as the boot protocol lays them out.
my $img = read_file($kernel);
my $setup = (unpack('C', substr($img, 0x1f1, 1)) + 1) * 512;
my $payload = unpack('V', substr($img, 0x1f4, 4)) * 16;
my $init_size = unpack('V', substr($img, 0x260, 4));
my $kernel_sha = sha256_hex(substr($img, $setup, $payload));
my $initrd_sha = file_sha256($initrd);

sub ram_of {
	my ($map) = @_;
	my @ram;
	open my $m, '<', $map or die;
	while (<$m>) {
		push @ram, [hex $1, hex $2] if /^([0-9a-f]+)-([0-9a-f]+) : System RAM$/;
	}
	return @ram;
}

for my $case (['qemu-pc-1g.iomem', 0x40000000], ['qemu-pc-6g.iomem', 6 << 30]) {
	my ($mapname, $ramsize) = @$case;
	my $map = top() . "/tests/fixtures/iomem/$mapname";
	my ($rc, $out, $err) = run(kx(), 'plan', $kernel, '--initrd', $initrd,
		'--mem-map', $map, '--append', 'console=ttyS0 kx.marker=1', '--json');
	is($rc, 0, "$mapname: plan exits 0") or diag $err;
	my $p = eval { decode_json($out) };
	ok($p, "$mapname: output is JSON") or next;
	is($p->{format}, 'bzImage', "$mapname: format");
	is($p->{arch}, 'x86_64', "$mapname: arch");
	is($p->{cmdline}, 'console=ttyS0 kx.marker=1', "$mapname: cmdline");
	is($p->{checks}, JSON::PP::true, "$mapname: checks on");
	my @s = @{$p->{segments}};
	is_deeply([map { $_->{kind} } @s], [qw(kernel initrd params purgatory)],
		"$mapname: segment kinds");
	my @ram = ram_of($map);
	for my $seg (@s) {
		my ($lo, $hi) = (hex $seg->{mem}, hex $seg->{end});
		is($hi - $lo + 1, $seg->{memsz}, "$mapname: $seg->{kind} end = mem + memsz - 1");
		is($lo % 4096, 0, "$mapname: $seg->{kind} page aligned");
		ok((grep { $lo >= $_->[0] && $hi <= $_->[1] } @ram),
			sprintf("%s: %s 0x%x-0x%x inside System RAM", $mapname, $seg->{kind}, $lo, $hi));
		ok($seg->{bufsz} <= $seg->{memsz}, "$mapname: $seg->{kind} bufsz <= memsz");
	}
	for my $i (0 .. $#s) {
		for my $j ($i + 1 .. $#s) {
			my ($a, $b) = ($s[$i], $s[$j]);
			ok(hex $a->{end} < hex $b->{mem} || hex $b->{end} < hex $a->{mem},
				"$mapname: $a->{kind} and $b->{kind} do not overlap");
		}
	}
	my ($k, $i, $prm, $pg) = @s;
	is($k->{sha256}, $kernel_sha, "$mapname: kernel digest = sha256 of the protected-mode part");
	is($k->{bufsz}, $payload, "$mapname: kernel bufsz = syssize * 16");
	ok($k->{memsz} >= $init_size, "$mapname: kernel memsz covers init_size");
	is(hex($k->{mem}) % 0x200000, 0, "$mapname: kernel aligned to kernel_alignment");
	is($p->{kernel_entry}, sprintf('0x%x', hex($k->{mem}) + 0x200), "$mapname: 64-bit entry");
	is($i->{sha256}, $initrd_sha, "$mapname: initrd digest = sha256sum of the file");
	is($i->{bufsz}, length $bytes, "$mapname: initrd size");
	ok($_->{checked}, "$mapname: $_->{kind} is checked") for ($k, $i, $prm);
	ok(!$pg->{checked}, "$mapname: the purgatory does not check itself");
	ok(hex $pg->{end} <= 0xffffffff, "$mapname: purgatory below 4 GiB");
	ok(hex $p->{entry} >= hex $pg->{mem} && hex $p->{entry} <= hex $pg->{end},
		"$mapname: entry is inside the purgatory");
	if ($ramsize > 4 << 30) {
		ok(hex $i->{mem} >= 1 << 32, "$mapname: initrd above 4 GiB (ext_ramdisk fields)");
	}
}

# --no-checks: same segments, nothing checked
my ($rc, $out) = run(kx(), 'plan', $kernel, '--initrd', $initrd, '--ram', '1G',
	'--no-checks', '--json');
is($rc, 0, '--no-checks plan exits 0');
my $p = decode_json($out);
is($p->{checks}, JSON::PP::false, '--no-checks: checks false');
ok(!(grep { $_->{checked} } @{$p->{segments}}), '--no-checks: no segment checked');

# inspect says what the file is
($rc, $out) = run(kx(), 'inspect', '--json', $kernel);
is($rc, 0, 'inspect exits 0');
my $info = decode_json($out);
is($info->{format}, 'bzImage', 'inspect: format');
is($info->{arch}, 'x86_64', 'inspect: arch');
like($info->{version}, qr/^6\.\d+\.\d+-\d+-amd64 \(debian-kernel\@lists\.debian\.org\)/,
	'inspect: kernel version string');
like($info->{compression}, qr/^(xz|gzip|zstd|lzma|lz4|bzip2|lzo)$/, 'inspect: compression');
is($info->{size}, -s $kernel, 'inspect: size');

done_testing();
