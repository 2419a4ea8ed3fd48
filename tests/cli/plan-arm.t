#!/usr/bin/perl
# plan --json for the current Debian armhf (armmp) zImage with an initrd and
# the device tree QEMU gives a -M virt guest, against memory maps read from
# such guests (1 GiB and 2 GiB): the zImage's header and kernel-size tag
# decoded here, independently, and the placement rule checked against them
# (the zImage above the decompressed kernel and its BSS, in the first 128
# MiB of RAM; initrd and device tree above it, below the end of lowmem);
# digests equal to sha256 of the files; the same through uImages made by
# Debian's mkimage; then bad zImages and uImages, each refused with its
# message, on one line, with nothing printed; and a build without uImage
# support (make KX_UIMAGE=0) refusing a uImage by name.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use KxTest;
use Test::More;
use Compress::Zlib qw(crc32);

my ($kernel, $why) = debian_kernel('armhf');
plan skip_all => $why unless $kernel;
my $dir = tmpdir();
my $dtb = "$dir/virt.dtb";
system("qemu-system-arm -M virt,dumpdtb=$dtb -m 1G -display none >/dev/null 2>&1");
plan skip_all => "qemu-system-arm could not dump a device tree" unless -s $dtb;

my $initrd = "$dir/initrd.img";
open my $fh, '<:raw', '/dev/urandom' or die;
read $fh, my $bytes, 20 * 1048576 + 77;
write_file($initrd, $bytes);
my $img = read_file($kernel);

# The header (arch/arm/boot/compressed/head.S) and the kernel-size tag
# (vmlinux.lds.S), decoded here.
my ($magic, $start, $end, $endian, $magic2, $tags) = unpack('V6', substr($img, 0x24, 24));
is(sprintf('0x%08x', $magic), '0x016f2818', 'zImage magic at 0x24');
is($start, 0, 'linked at 0');
is($end, length $img, 'the header\'s end is the file size (no appended DTB)');
is(sprintf('0x%08x', $endian), '0x04030201', 'little-endian');
is(sprintf('0x%08x', $magic2), '0x45454545', 'an extension tag table');
my %k;
for (my ($off, $n) = ($tags, 0); $n < 32; $n++) {
	my ($words, $tag) = unpack('VV', substr($img, $off, 8));
	last unless $words;
	if ($tag == 0x5a534c4b) {
		@k{qw(size_ptr bss text_offset malloc)} = unpack('V4', substr($img, $off + 8, 16));
		$k{words} = $words;
	}
	$off += 4 * $words;
}
is($k{words}, 6, 'the kernel-size tag has TEXT_OFFSET and MALLOC_SIZE');
$k{edata} = unpack('V', substr($img, $k{size_ptr}, 4));
note(sprintf('text+data 0x%x, bss 0x%x, TEXT_OFFSET 0x%x, malloc 0x%x',
	@k{qw(edata bss text_offset malloc)}));
sub align { my ($v, $a) = @_; return ($v + $a - 1) & ~($a - 1) }
my $ram = 0x40000000;
my $kernel_end = align($ram + $k{text_offset} + $k{edata} + $k{bss}, 4096);
my $lowmem_end = $ram + 768 * 1048576;

sub plan_json {
	my ($file, $map, @more) = @_;
	my ($rc, $out, $err) = run(kx(), 'plan', '--arch', 'arm', $file, '--initrd', $initrd,
		'--dtb', $dtb, '--mem-map', top() . "/tests/fixtures/iomem/$map",
		'--append', 'console=ttyAMA0 kx.marker=1', '--json', @more);
	is($rc, 0, "plan $map exits 0") or diag $err;
	return $rc ? undef : decode_json($out);
}

sub check_layout {
	my ($p, $what, $ram_end, $zimage_sha) = @_;
	my @s = @{$p->{segments}};
	is_deeply([map { $_->{kind} } @s], [qw(kernel initrd dtb purgatory)], "$what: segment kinds");
	my ($z, $i, $d, $pg) = @s;
	for my $seg (@s) {
		ok(hex $seg->{mem} >= $ram && hex $seg->{end} <= $ram_end,
			"$what: $seg->{kind} $seg->{mem}-$seg->{end} inside RAM");
	}
	for my $a (0 .. $#s) {
		for my $b ($a + 1 .. $#s) {
			ok(hex $s[$a]{end} < hex $s[$b]{mem} || hex $s[$b]{end} < hex $s[$a]{mem},
				"$what: $s[$a]{kind} and $s[$b]{kind} do not overlap");
		}
	}
	is(hex $z->{mem}, $kernel_end, sprintf('%s: the zImage sits right above the decompressed '
		. 'kernel and its BSS (0x%x)', $what, $kernel_end));
	ok(hex $z->{end} < $ram + 128 * 1048576, "$what: the zImage is in the first 128 MiB of RAM");
	is($z->{bufsz}, length $img, "$what: the zImage's bytes are loaded");
	ok($z->{memsz} >= length($img) + 4 + $k{malloc},
		"$what: ... with its working memory (malloc 0x$k{malloc}) reserved after it");
	is($z->{sha256}, $zimage_sha, "$what: kernel digest = sha256 of the zImage");
	is($p->{kernel_entry}, $z->{mem}, "$what: entered at the zImage");
	for my $seg ($i, $d) {
		ok(hex $seg->{mem} > hex $z->{end} && hex $seg->{end} < $lowmem_end,
			"$what: $seg->{kind} above the zImage, below the end of lowmem");
	}
	is($i->{sha256}, file_sha256($initrd), "$what: initrd digest = sha256sum of the file");
	ok($_->{checked}, "$what: $_->{kind} is checked") for ($z, $i, $d);
	ok(!$pg->{checked}, "$what: the purgatory does not check itself");
	is($p->{kexec_flags}, '0x280000', "$what: KEXEC_ARCH_ARM");
}

my $zsha = sha256_hex($img);
for my $map (qw(qemu-virt-arm-1g.iomem qemu-virt-arm-2g.iomem)) {
	my $p = plan_json($kernel, $map) or next;
	is($p->{format}, 'zImage', "$map: format");
	is($p->{arch}, 'arm', "$map: arch");
	is_deeply($p->{wrappers}, [], "$map: no wrappers");
	check_layout($p, $map, $map =~ /2g/ ? 0xbfffffff : 0x7fffffff, $zsha);
}

my ($rc, $out, $err) = run(kx(), 'plan', '--arch', 'arm', $kernel, '--initrd', $initrd,
	'--dtb', $dtb, '--ram', '1G@0x40000000', '--debug');
is($rc, 0, '--debug plan exits 0');
like($err, qr/zImage rule: kernel-size tag: text\+data 0x${\ sprintf('%x', $k{edata})}, bss 0x${\ sprintf('%x', $k{bss})}, TEXT_OFFSET 0x${\ sprintf('%x', $k{text_offset})}/,
	'--debug names the kernel-size tag rule and its figures');
like($err, qr/zImage layout: zImage 0x\w+-0x\w+ \(working memory to 0x\w+\), decompressed kernel 0x${\ sprintf('%x', $ram + $k{text_offset})}-0x${\ sprintf('%x', $kernel_end - 1)}/,
	'--debug prints the layout with the decompressed kernel\'s extent');

# RAM up to 4 GiB, or past it (LPAE): no segment in the last page, which
# a 32-bit kexec_load refuses (a segment's end, mem + memsz, must be below
# ~0UL in an unsigned long) and where the purgatory's stack would end at
# 2^32; none above 4 GiB, where the purgatory and r2 cannot reach. The
# initrd and the device tree go top-down below the end of lowmem or below
# that last page, whichever is lower; the purgatory top-down below them or
# below that page.
my $top = 0xfffff000;
my $isz = align(length $bytes, 4096);
for my $c (['2G@0x80000000', 0x80000000], ['3G@0x40000000', 0x40000000],
	   ['8G@0x40000000', 0x40000000], ['8G@0xe0000000', 0xe0000000],
	   ['512M@0xe0000000', 0xe0000000]) {
	my ($ramopt, $base) = @$c;
	my ($rc, $out, $err) = run(kx(), 'plan', '--arch', 'arm', $kernel, '--initrd', $initrd,
		'--dtb', $dtb, '--ram', $ramopt, '--json');
	is($rc, 0, "--ram $ramopt: plan exits 0") or do { diag $err; next };
	my ($z, $i, $d, $pg) = @{decode_json($out)->{segments}};
	my $lim = $base + 768 * 1048576 < $top ? $base + 768 * 1048576 : $top;
	is($z->{mem}, sprintf('0x%x', align($base + $k{text_offset} + $k{edata} + $k{bss}, 4096)),
		"--ram $ramopt: the zImage above the decompressed kernel");
	is($i->{mem}, sprintf('0x%x', $lim - $isz), "--ram $ramopt: the initrd starts "
		. sprintf('0x%x', $lim - $isz));
	is($i->{end}, sprintf('0x%x', $lim - 1), "--ram $ramopt: ... and ends "
		. sprintf('0x%x', $lim - 1));
	is(hex $d->{end}, hex($i->{mem}) - 1, "--ram $ramopt: the device tree right below it");
	my $pend = $lim == $top ? hex($d->{mem}) - 1 : $top - 1;
	is($pg->{end}, sprintf('0x%x', $pend), "--ram $ramopt: the purgatory ends "
		. sprintf('0x%x', $pend));
	is(hex $pg->{mem}, $pend + 1 - $pg->{memsz}, "--ram $ramopt: ... and is $pg->{memsz} bytes");
}
my $high = 8 << 32;   # RAM at 0x800000000 only (a Keystone-like map)
($rc, $out, $err) = run(kx(), 'plan', '--arch', 'arm', $kernel, '--initrd', $initrd,
	'--dtb', $dtb, '--ram', sprintf('1G@0x%x', $high));
is($rc, 1, 'RAM only above 4 GiB: exit 1');
is($err, sprintf("kexload: %s: RAM starts at 0x800000000, so the zImage would decompress "
	. "the kernel to 0x%x-0x%x, not below 0xfffff000: a 32-bit ARM kernel is entered, and "
	. "given its initrd and device tree, below 4 GiB\n", $kernel, $high + $k{text_offset},
	align($high + $k{text_offset} + $k{edata} + $k{bss}, 4096) - 1),
	'RAM only above 4 GiB: the message, on one line');
is($out, '', 'RAM only above 4 GiB: no plan');

($rc, $out, $err) = run(kx(), 'inspect', '--json', $kernel);
is($rc, 0, 'inspect exits 0');
my $info = decode_json($out);
is($info->{format}, 'zImage', 'inspect: format');
is($info->{compression}, 'xz', 'inspect: Debian\'s armmp zImage is xz');
is($info->{fields}{text_offset}, sprintf('0x%x', $k{text_offset}), 'inspect: TEXT_OFFSET');
is($info->{fields}{kernel_text_data}, sprintf('0x%x', $k{edata}), 'inspect: text+data');
is($info->{fields}{appended_dtb}, 'no', 'inspect: no appended DTB');

# uImages made by Debian's mkimage: the zImage inside, placed by its rule.
my $have_mkimage = system('mkimage -V >/dev/null 2>&1') == 0;
sub mkimage {
	my ($name, @opts) = @_;
	my $f = "$dir/$name";
	system("mkimage @opts -n 'kexload test' -d '$kernel' '$f' >/dev/null") == 0
		or die "mkimage $name";
	return $f;
}
my %u;
SKIP: {
	skip 'mkimage (u-boot-tools) is not installed', 1 unless $have_mkimage;
	$u{kernel} = mkimage('uImage', qw(-A arm -O linux -T kernel -C none -a 0x40008000 -e 0x40008000));
	$u{noload} = mkimage('uImage-noload', qw(-A arm -O linux -T kernel_noload -C none -a 0 -e 0));
	$u{arm64} = mkimage('uImage-arm64', qw(-A arm64 -O linux -T kernel -C none -a 0 -e 0));
	$u{gzip} = mkimage('uImage-gzip', qw(-A arm -O linux -T kernel -C gzip -a 0 -e 0));
	$u{ramdisk} = mkimage('uImage-ramdisk', qw(-A arm -O linux -T ramdisk -C none -a 0 -e 0));
	ok(1, 'mkimage made the uImages');
}
for my $t (grep { $u{$_} } qw(kernel noload)) {
	my $p = plan_json($u{$t}, 'qemu-virt-arm-1g.iomem') or next;
	is($p->{format}, 'zImage', "uImage $t: the format is the zImage inside");
	is_deeply($p->{wrappers}, ['uImage'], "uImage $t: wrapped in a uImage");
	check_layout($p, "uImage $t", 0x7fffffff, $zsha);
}

# Bad input: one line naming the file and the problem, exit 1, no plan.
sub variant {
	my ($name, $from, $edit) = @_;
	my $copy = read_file($from);
	$edit->(\$copy);
	write_file("$dir/$name", $copy);
	return "$dir/$name";
}
sub poke { my ($r, $off, $b) = @_; substr($$r, $off, length $b) = $b }
my @bad = (
	['truncated zImage', variant('cut-1m', $kernel, sub { ${$_[0]} = substr(${$_[0]}, 0, 1 << 20) }),
		qr/cut-1m: truncated: the zImage header says the zImage is 0x${\ sprintf('%x', length $img)} bytes but the file has only 0x100000/],
	['tag pointer outside the file', variant('tag-out', $kernel, sub { poke($_[0], $tags + 8, pack('V', 0xfffffff0)) }),
		qr/tag-out: the zImage kernel-size tag points at 0xfffffff0, outside the zImage \(0x${\ sprintf('%x', length $img)} bytes\)/],
	['tag table outside the file', variant('table-out', $kernel, sub { poke($_[0], 0x38, pack('V', 0x7ffffff0)) }),
		qr/table-out: zImage extension tag at 0x7ffffff0 is outside the zImage/],
	['big-endian', variant('be', $kernel, sub { poke($_[0], 0x30, pack('V', 0x01020304)) }),
		qr/be: a big-endian \(BE8\) zImage; kexload loads little-endian ARM kernels/],
);
if ($u{kernel}) {
	my $u = read_file($u{kernel});
	my $h = substr($u, 0, 64);
	substr($h, 40, 1) = chr(ord(substr($h, 40, 1)) ^ 0x20);
	my $says = unpack('N', substr($h, 4, 4));
	my $z = $h;
	substr($z, 4, 4) = "\0\0\0\0";
	push @bad, ['uImage header CRC', variant('bad-hcrc', $u{kernel}, sub { substr(${$_[0]}, 0, 64) = $h }),
		qr/bad-hcrc: uImage header CRC mismatch \(header says ${\ sprintf('0x%08x', $says)}, header gives ${\ sprintf('0x%08x', crc32($z))}\)/];
	my $d = substr($u, 64);
	substr($d, 0x1000, 1) = chr(ord(substr($d, 0x1000, 1)) ^ 1);
	push @bad, ['uImage data CRC', variant('bad-dcrc', $u{kernel}, sub { substr(${$_[0]}, 64) = $d }),
		qr/bad-dcrc: uImage data CRC mismatch \(header says ${\ sprintf('0x%08x', unpack('N', substr($u, 24, 4)))}, data gives ${\ sprintf('0x%08x', crc32($d))}\)/];
	push @bad, ['uImage cut short', variant('u-cut', $u{kernel}, sub { ${$_[0]} = substr(${$_[0]}, 0, 64 + 4096) }),
		qr/u-cut: truncated: the uImage header says ${\ length $img} data bytes but the file has only 4096 after the header/];
	push @bad, ['uImage for arm64', $u{arm64},
		qr/uImage-arm64: the uImage is for arm64 \(architecture 22\), not ARM \(2\)/];
	push @bad, ['uImage with a compressed payload', $u{gzip},
		qr/uImage-gzip: the uImage's data is gzip-compressed \(compression 1\); kexload takes uncompressed uImages/];
	push @bad, ['uImage of a ramdisk', $u{ramdisk},
		qr/uImage-ramdisk: the uImage is a ramdisk image \(type 3\), not a kernel/];
}
for my $c (@bad) {
	my ($name, $file, $want) = @$c;
	my ($rc, $out, $err) = run(kx(), 'plan', '--arch', 'arm', $file, '--initrd', $initrd,
		'--dtb', $dtb, '--mem-map', top() . '/tests/fixtures/iomem/qemu-virt-arm-1g.iomem');
	is($rc, 1, "$name: exit 1");
	like($err, $want, "$name: message");
	is(scalar(() = $err =~ /\n/g), 1, "$name: one line");
	is($out, '', "$name: no plan printed");
}

($rc, $out, $err) = run(kx(), 'plan', '--arch', 'x86_64', $kernel, '--ram', '1G');
is($rc, 1, 'an arm zImage planned for x86_64 is refused');
like($err, qr/vmlinuz: is a kernel for arm \(zImage\), not for x86_64/, '... saying so');
# Without --arch, plan takes the architecture from the image.
($rc, $out, $err) = run(kx(), 'plan', $kernel, '--mem-map',
	top() . '/tests/fixtures/iomem/qemu-virt-arm-1g.iomem', '--json');
is($rc, 0, 'plan without --arch: the zImage is planned for arm') or diag $err;
is(($rc ? {} : decode_json($out))->{arch}, 'arm', '... "arch" is arm');

# make check builds the command without uImage support too.
my $nou = top() . '/build/no-uimage/host/kexload';
SKIP: {
	skip "$nou is not built (make check builds it: make B=build/no-uimage KX_UIMAGE=0)", 4
		unless -x $nou;
	skip 'mkimage (u-boot-tools) is not installed', 4 unless $u{kernel};
	my ($rc, $out, $err) = run($nou, 'plan', '--arch', 'arm', $u{kernel}, '--ram', '1G@0x40000000');
	is($rc, 1, 'KX_UIMAGE=0: a uImage is refused');
	like($err, qr/uImage: a U-Boot uImage, and this kexload is built without uImage support/,
		'... saying the build leaves uImages out');
	is($out, '', '... with no plan');
	($rc) = run($nou, 'plan', '--arch', 'arm', $kernel, '--ram', '1G@0x40000000');
	is($rc, 0, 'KX_UIMAGE=0: a zImage still loads');
}
done_testing();
