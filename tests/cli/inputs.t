#!/usr/bin/perl
# The inputs stage from the command line: every input (kernel, initrd,
# device tree, SPCR table, memory map) that is a directory, a FIFO with no writer, /dev/zero or an
# unreadable file gets one line naming it and the system's reason, a
# non-zero exit and nothing printed or loaded, in bounded time (a timeout
# would say so) and memory (an address-space limit of 1.5 GiB); several
# --initrd files are concatenated; plan and inspect take the architecture
# from the image; the format list and kexec -t come from the format table.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use KxTest;
use POSIX qw(mkfifo);
use Test::More;

my ($kernel, $why) = debian_kernel('amd64');
plan skip_all => $why unless $kernel;

my $dir = tmpdir();
chmod 0755, $dir;
my $fifo = "$dir/fifo";
mkfifo($fifo, 0600) or die "mkfifo: $!";
my $secret = "$dir/secret";
write_file($secret, "not for you");
chmod 0, $secret;
my $initrd = "$dir/initrd";
write_file($initrd, "y" x 4096);
# A copy the unprivileged user can read (the cache may not be).
my $kcopy = "$dir/vmlinuz";
write_file($kcopy, read_file($kernel));
chmod 0644, $kcopy, $initrd;

# run under a time and address-space bound; as nobody when @as_nobody.
sub bounded {
	my ($as_nobody, @cmd) = @_;
	my @who = $as_nobody ? ('setpriv', '--reuid=65534', '--regid=65534',
				'--clear-groups') : ();
	return run('timeout', '60', @who, 'sh', '-c', 'ulimit -v 1572864; exec "$@"',
		   'sh', @cmd);
}

my @bad = (
	# [ name, path, as nobody, message ]
	['a directory', $dir, 0, qr/\Q$dir\E: cannot read: Is a directory/],
	['a FIFO with no writer', $fifo, 0,
		qr/\Q$fifo\E: nothing to read from the pipe or FIFO \(no writer\)/],
	['/dev/zero', '/dev/zero', 0,
		qr{/dev/zero: a character device that gives more than 512 MiB: kexload reads at most that from anything but a regular file}],
	['an unreadable file', $secret, 1, qr/\Q$secret\E: cannot open: Permission denied/],
);
for my $c (@bad) {
	my ($name, $path, $nobody, $pat) = @$c;
	my @as = (['kernel', [$path]], ['initrd', [$kcopy, '--initrd', $path]],
		  ['dtb', [$kcopy, '--dtb', $path]],
		  ['SPCR table', [$kcopy, '--acpi-spcr', $path]]);
	# A directory is a /sys/firmware/memmap to --mem-map (tested below).
	push @as, ['memory map', [$kcopy, '--mem-map', $path]] unless -d $path;
	for my $as (@as) {
		my ($what, $args) = @$as;
		my @ram = $what eq 'memory map' ? () : ('--ram', '1G');
		for my $cmd ('plan', 'load') {
			my ($rc, $out, $err) = bounded($nobody, kx(), $cmd, @$args,
				@ram);
			isnt($rc, 124, "$cmd, $name as the $what: ends in time");
			isnt($rc, 0, "$cmd, $name as the $what: non-zero exit");
			is($out, '', "$cmd, $name as the $what: nothing printed");
			like($err, qr/^kexload: [^\n]*\n\z/, "$cmd, $name as the $what: one line");
			like($err, $pat, "$cmd, $name as the $what: names it and the reason")
				or diag $err;
			unlike($err, qr/KEXLOAD_FORBID_KEXEC|out of memory/,
				"$cmd, $name as the $what: stopped before kexec_load, within its memory");
		}
	}
}

# A pipe that has a writer is read (process substitution, a shell pipe).
my ($rc, $out, $err) = run('sh', '-c', 'cat "$1" | "$2" plan "$3" --initrd /dev/stdin --ram 1G --json',
	'sh', $initrd, kx(), $kcopy);
is($rc, 0, 'an initrd from a pipe is read') or diag $err;
my $p = $rc ? {} : decode_json($out);
my ($seg) = grep { $_->{kind} eq 'initrd' } @{$p->{segments} // []};
is($seg->{sha256}, sha256_hex("y" x 4096), '... all of it');

# Several initrds: one segment, their concatenation (padded to 4 bytes).
write_file("$dir/a", "abcde");
write_file("$dir/b", "fgh");
($rc, $out, $err) = run(kx(), 'plan', $kcopy, '--initrd', "$dir/a", '--initrd', "$dir/b",
	'--ram', '1G', '--json');
is($rc, 0, 'two --initrd files') or diag $err;
$p = $rc ? {} : decode_json($out);
($seg) = grep { $_->{kind} eq 'initrd' } @{$p->{segments} // []};
is($seg->{bufsz}, 11, '... one segment of 5 + 3 padding + 3 bytes');
is($seg->{sha256}, sha256_hex("abcde\0\0\0fgh"), '... the files in order, padded to 4 bytes');
is_deeply($p->{initrds}, ["$dir/a", "$dir/b"], '... both in "initrds"');
is($p->{initrd}, "$dir/a", '... "initrd" is the first');

# inspect --formats: the format table, with kexec -t's names.
($rc, $out, $err) = run(kx(), 'inspect', '--formats', '--json');
is($rc, 0, 'inspect --formats --json');
my $f = $rc ? [] : decode_json($out);
my %by = map { $_->{name} => $_ } @$f;
is_deeply([map { $_->{name} } @$f],
	['uImage', 'ZBOOT', 'gzip', 'ELF s390x kernel', 'arm64 Image', 'bzImage', 'zImage', 's390 image',
	 'PE (EFI stub)', 'PE (EFI stub)', 'ELF vmlinux (ppc64, big endian)', 'ELF vmlinux (ppc64le)'],
	'... every format, in the order kexload asks them');
is_deeply($by{bzImage}{kexec_types}, ['bzImage', 'bzImage64'], '... bzImage: kexec -t bzImage, bzImage64');
is($by{gzip}{arch}, undef, '... a wrapper has no architecture');
is($by{'arm64 Image'}{arch}, 'arm64', '... an arm64 Image is arm64');
($rc, $out, $err) = run(kx(), 'inspect', '--formats');
like($out, qr/^zImage\s+arm\s+zImage$/m, 'inspect --formats as a table');

# kexec -t: every name from the table is taken, others are refused with the list.
my $kexec = "$dir/kexec";
symlink(kx(), $kexec) or die;
for my $t (map { @{$_->{kexec_types}} } @$f) {
	($rc, $out, $err) = run($kexec, '-t', $t, '-l', $kcopy, '--ram', '1G');
	unlike($err, qr/--type/, "kexec -t $t is taken");
}
($rc, $out, $err) = run($kexec, '-t', 'elf-x86_64', '-l', $kcopy);
is($rc, 2, 'kexec -t elf-x86_64: exit 2');
like($err, qr/--type elf-x86_64: kexload recognises the format itself and knows uImage, vmlinuz, zImage, Image, bzImage, bzImage64, image, elf-ppc64$/m,
	'... listing the names the format table has');

# --mem-map: a directory shaped like /sys/firmware/memmap is read as one;
# an empty one, and --ram beside --mem-map, and --mem-max 0 are refused.
my $fw = "$dir/memmap";
mkdir $fw;
for my $e ([0, '0x0', '0x9fbff', 'System RAM'], [1, '0x100000', '0x3ffdffff', 'System RAM'],
	   [2, '0x3ffe0000', '0x3fffffff', 'Reserved']) {
	mkdir "$fw/$e->[0]";
	write_file("$fw/$e->[0]/start", "$e->[1]\n");
	write_file("$fw/$e->[0]/end", "$e->[2]\n");
	write_file("$fw/$e->[0]/type", "$e->[3]\n");
}
($rc, $out, $err) = run(kx(), 'plan', $kcopy, '--mem-map', $fw, '--json');
is($rc, 0, '--mem-map DIR (as /sys/firmware/memmap): planned') or diag $err;
$p = $rc ? {} : decode_json($out);
($seg) = grep { $_->{kind} eq 'params' } @{$p->{segments} // []};
is($seg->{end}, '0x3ffdffff', '... boot_params at the top of its RAM');
mkdir "$dir/empty";
($rc, $out, $err) = run(kx(), 'plan', $kcopy, '--mem-map', "$dir/empty");
is($rc, 1, '--mem-map of an empty directory: exit 1');
like($err, qr/^kexload: \Q$dir\E\/empty: a directory with no memory map entries \(N\/start, N\/end, N\/type, as in \/sys\/firmware\/memmap\)\n\z/,
	'... saying what it lacks');
($rc, $out, $err) = run(kx(), 'plan', $kcopy, '--mem-map', $fw, '--ram', '1G');
is($rc, 2, '--mem-map and --ram together: exit 2');
like($err, qr/--mem-map and --ram both give the memory map: give one/, '... saying so');
($rc, $out, $err) = run(kx(), 'plan', $kcopy, '--ram', '1G', '--mem-max', '0');
is($rc, 2, '--mem-max 0: exit 2');
like($err, qr/--mem-max 0: no segment fits below address 0 \(leave --mem-max out for no limit\)/,
	'... not taken as no limit');
is($out, '', '... nothing planned');

done_testing();
