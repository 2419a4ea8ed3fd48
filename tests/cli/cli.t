#!/usr/bin/perl
# The command's interface: help, usage errors, options that shape the plan,
# status, and the kexec-tools spelling. Loads here stop at the library's
# KEXLOAD_FORBID_KEXEC guard (and run without CAP_SYS_BOOT besides).
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use KxTest;
use Test::More;

my ($rc, $out, $err) = run(kx(), '--help');
is($rc, 0, '--help exits 0');
for my $opt (qw(--initrd --append --command-line --reuse-cmdline --mem-map --ram
		--mem-min --mem-max --no-checks --json --debug --arch)) {
	like($out, qr/^\s+(-\w, )?\Q$opt\E\b.*\S/m, "--help explains $opt");
}
for my $cmd (qw(plan load exec unload status inspect)) {
	like($out, qr/^  $cmd\b.*\S/m, "--help explains the $cmd command");
}
($rc, $out, $err) = run(kx());
is($rc, 2, 'no command: exit 2');
like($err, qr/^Usage: kexload COMMAND/, 'no command: usage on stderr');
($rc, $out, $err) = run(kx(), 'frobnicate');
is($rc, 2, 'unknown command: exit 2');
is($err, "kexload: unknown command 'frobnicate' (try --help)\n", 'unknown command: says so');
($rc, $out, $err) = run(kx(), 'plan', '--ram', '1G');
is($rc, 2, 'plan without a kernel: exit 2');
is($err, "kexload: no kernel image given\n", 'plan without a kernel: says so');
($rc, $out, $err) = run(kx(), '-l', '/boot/vmlinuz');
is($rc, 2, 'kexec-tools action under the kexload name: exit 2');
like($err, qr/-l is kexec-tools' spelling; use the 'load' command/, '... and says what to use');
($rc, $out) = run(kx(), '--version');
like($out, qr/^kexload \d+\.\d+\.\d+$/, '--version');

my ($kernel, $why) = debian_kernel('amd64');
SKIP: {
	skip $why, 40 unless $kernel;
	my $dir = tmpdir();
	my $initrd = "$dir/initrd";
	write_file($initrd, "initrd" x 10000);
	my $map = top() . '/tests/fixtures/iomem/qemu-pc-1g.iomem';

	# --mem-min / --mem-max
	($rc, $out, $err) = run(kx(), 'plan', $kernel, '--initrd', $initrd, '--mem-map', $map,
		'--mem-min', '0x8000000', '--mem-max', '0x1fffffff', '--json');
	is($rc, 0, '--mem-min/--mem-max plan') or diag $err;
	my $p = decode_json($out);
	for my $s (@{$p->{segments}}) {
		ok(hex $s->{mem} >= 0x8000000 && hex $s->{end} <= 0x1fffffff,
			"$s->{kind} inside --mem-min..--mem-max");
	}
	is($p->{segments}[0]{mem}, '0x8000000', 'kernel at the lowest aligned address >= --mem-min');

	# --reuse-cmdline drops BOOT_IMAGE= and --append goes after it
	my $cur = read_file('/proc/cmdline');
	chomp $cur;
	my $want = join ' ', grep { !/^BOOT_IMAGE=/ } split / +/, $cur;
	$want = join ' ', grep { length } $want, 'kx.extra=1';
	($rc, $out) = run(kx(), 'plan', $kernel, '--mem-map', $map, '--reuse-cmdline',
		'--append', 'kx.extra=1', '--json');
	is(decode_json($out)->{cmdline}, $want, '--reuse-cmdline + --append');
	($rc, $out) = run(kx(), 'plan', $kernel, '--mem-map', $map, '--command-line', 'a b',
		'--append', 'c', '--json');
	is(decode_json($out)->{cmdline}, 'a b c', '--command-line then --append');

	# --debug explains placement; the table is printed
	($rc, $out, $err) = run(kx(), 'plan', $kernel, '--mem-map', $map, '--debug');
	like($err, qr/^kexload: debug: placed the kernel at 0x1000000-0x\w+ \(bottom-up, align 0x200000/m,
		'--debug explains where the kernel went');
	like($out, qr/^0\s+kernel\s+0x0000000001000000 /m, 'the table lists the kernel segment');
	like($out, qr/^\d\s+purgatory .* \(not checked\)$/m, 'the table marks the purgatory unchecked');

	# planning for another architecture from this host
	($rc, $out, $err) = run(kx(), 'plan', $kernel, '--ram', '1G', '--arch', 'arm64');
	isnt($rc, 0, 'plan of an x86_64 kernel for arm64 fails');
	like($err, qr/arm64/, '... naming the architecture');

	# load stops at the guard, after a complete plan
	($rc, $out, $err) = run(kx(), 'load', $kernel, '--initrd', $initrd, '--mem-map', $map);
	is($rc, 1, 'load on the host: refused');
	is($err, "kexload: kexec_load: refused: KEXLOAD_FORBID_KEXEC is set\n", 'load: by the guard');
	($rc, $out, $err) = run(kx(), 'load', $kernel, '--file-syscall', '--initrd', $initrd);
	is($err, "kexload: kexec_file_load: refused: KEXLOAD_FORBID_KEXEC is set\n", 'load -s: by the guard');
	($rc, $out, $err) = run(kx(), 'load', $kernel, '--ram', '1G', '--fixed-random', '7');
	is($rc, 2, '--fixed-random is refused for a real load');
	($rc, $out, $err) = run(kx(), 'exec');
	like($err, qr/^kexload: reboot\(LINUX_REBOOT_CMD_KEXEC\): refused/, 'exec: by the guard');
	($rc, $out, $err) = run(kx(), 'unload');
	like($err, qr/^kexload: unload: refused/, 'unload: by the guard');

	# the kexec-tools spelling
	my $kexec = "$dir/kexec";
	symlink kx(), $kexec or die;
	($rc, $out, $err) = run($kexec, '-h');
	is($rc, 0, 'kexec -h');
	($rc, $out, $err) = run($kexec, '-l', $kernel, "--initrd=$initrd", '--append=x y',
		'--mem-map', $map, '-i', '-d');
	is($rc, 1, 'kexec -l reaches the load');
	like($err, qr/^kexec: kexec_load: refused: KEXLOAD_FORBID_KEXEC is set$/m, 'kexec -l: stopped by the guard');
	like($err, qr/^command line: "x y"$/m, 'kexec -l: --append is the command line');
	like($err, qr/^entry: 0x\w+ \(purgatory, no checks\)/m, 'kexec -l -i: no checks');
	like($err, qr/^1\s+initrd\s/m, 'kexec -l: --initrd= taken');
	($rc, $out, $err) = run($kexec, '-l', $kernel, "--ramdisk=$initrd", '--command-line=z',
		'--mem-map', $map, '-d');
	like($err, qr/^command line: "z"$/m, 'kexec -l --command-line=');
	like($err, qr/^1\s+initrd\s/m, 'kexec -l: --ramdisk= is --initrd');
	# kexec -p: crash loads, in tests/cli/plan-crash.t
	($rc, $out, $err) = run($kexec, '-e');
	like($err, qr/^kexec: reboot\(LINUX_REBOOT_CMD_KEXEC\): refused/, 'kexec -e: by the guard');
	($rc, $out, $err) = run($kexec, '-u');
	like($err, qr/^kexec: unload: refused/, 'kexec -u: by the guard');
	# -y: no sync(2) before exec (the guard refuses after it).
	SKIP: {
		skip 'strace is not installed: cannot watch for sync(2)', 3
			unless -x '/usr/bin/strace';
		($rc, $out, $err) = run('strace', '-f', '-e', 'trace=sync', $kexec, '-e');
		like($err, qr/^(\[pid +\d+\] )?sync\(\)/m, 'kexec -e: sync(2), as kexec-tools does');
		($rc, $out, $err) = run('strace', '-f', '-e', 'trace=sync', $kexec, '-e', '-y');
		unlike($err, qr/sync\(\)/, 'kexec -e -y: no sync(2)');
		like($err, qr/reboot\(LINUX_REBOOT_CMD_KEXEC\): refused/, '... and on to the guard');
	}
	# No action: load, then shutdown -r now (the load is refused here first).
	($rc, $out, $err) = run($kexec, $kernel, '--mem-map', $map);
	is($rc, 1, 'kexec KERNEL: the load comes first');
	like($err, qr/^kexec: kexec_load: refused/, '... refused by the guard before any shutdown');
	($rc, $out, $err) = run($kexec, '-t', 'multiboot-x86', '-l', $kernel);
	is($rc, 2, 'kexec -t with a type kexload lacks: exit 2');
	like($err, qr/--type multiboot-x86: kexload recognises the format itself/,
		'... saying which types it knows');
	($rc, $out, $err) = run($kexec, '-t', 'Image', '-l', $kernel, '--mem-map', $map);
	unlike($err, qr/--type/, 'kexec -t Image (the arm64 spelling) is accepted');
	like($err, qr/refused/, '... and the load goes on, to the guard');
}

# the plan --json contract: every field is documented in the man page
SKIP: {
	skip $why, 2 unless $kernel;
	my $man = read_file(top() . '/man/kexload.8');
	my ($json_sec) = $man =~ /^\.SH JSON OUTPUT\n(.*?)^\.SH /ms;
	($rc, $out) = run(kx(), 'plan', $kernel, '--ram', '1G', '--json');
	my $p = decode_json($out);
	my @keys = (keys %$p, keys %{$p->{segments}[0]});
	my @undoc = grep { $json_sec !~ /^\.B[R ]* \Q$_\E\b/m && $json_sec !~ /\.BR? [^\n]*\b\Q$_\E\b/ } @keys;
	is_deeply(\@undoc, [], 'every plan --json field is in kexload(8) JSON OUTPUT');
	is($p->{version}, 1, 'plan --json version 1');
}

# status reads /sys, changes nothing
SKIP: {
	skip 'no /sys/kernel/kexec_loaded on this kernel', 3 unless -e '/sys/kernel/kexec_loaded';
	($rc, $out, $err) = run(kx(), 'status', '--json');
	is($rc, 0, 'status --json exits 0');
	my $st = decode_json($out);
	is($st->{loaded}, (read_file('/sys/kernel/kexec_loaded') =~ /1/ ? JSON::PP::true : JSON::PP::false),
		'status: loaded as /sys says');
	ok(exists $st->{lockdown} && exists $st->{crash_size}, 'status: lockdown and crash_size');
}

done_testing();
