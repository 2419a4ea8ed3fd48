#!/usr/bin/perl
# plan for a UEFI-booted x86_64 machine, from files: a directory shaped like
# /sys/firmware/efi (--efi) and the running kernel's boot_params
# (--boot-params), with the Debian amd64 kernel: the params segment grows
# by the SETUP_EFI entry and the runtime map, and --debug says what was
# passed; a BIOS machine's boot_params add nothing; bad inputs are refused
# with their one-line message and no plan.
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

sub put_file { my ($p, $t) = @_; write_file($p, $t) }
mkdir "$dir/efi";
mkdir "$dir/efi/runtime-map";
my @map = ([5, 0x3fe00000, 0xfffffffeffe00000, 0x20, 0x800000000000000f],
	   [6, 0x3fe20000, 0xfffffffeffe20000, 0x40, 0x800000000000000f],
	   [11, 0xffc00000, 0xfffffffeffc00000, 0x400, 0x8000000000000001]);
for my $i (0 .. $#map) {
	mkdir "$dir/efi/runtime-map/$i";
	my @f = qw(type phys_addr virt_addr num_pages attribute);
	put_file("$dir/efi/runtime-map/$i/$f[$_]", sprintf("0x%x\n", $map[$i][$_])) for 0 .. 4;
}
put_file("$dir/efi/fw_vendor", "0x3fe9a018\n");
put_file("$dir/efi/runtime", "0x3fe8eb98\n");
put_file("$dir/efi/config_table", "0x3fe8d018\n");
put_file("$dir/efi/systab", "ACPI20=0x3fb7e014\nACPI=0x3fb7e000\nSMBIOS=0x3f9ad000\n");

sub boot_params {
	my ($uefi) = @_;
	my $bp = "\0" x 4096;
	substr($bp, 0x0f, 1) = chr($uefi ? 0x70 : 0x22);   # EFI framebuffer / VGA text
	substr($bp, 0x18, 4) = pack('V', 0x80000000);
	substr($bp, 0x70, 8) = pack('Q<', 0x3fb7e014);
	if ($uefi) {
		substr($bp, 0x1c0, 4) = 'EL64';
		substr($bp, 0x1c4, 4) = pack('V', 0x3fe8e018);
		substr($bp, 0x1cc, 4) = pack('V', 1);
		substr($bp, 0x1d4, 4) = pack('V', 0x1e00);
	}
	return $bp;
}
write_file("$dir/bp-uefi", boot_params(1));
write_file("$dir/bp-bios", boot_params(0));

my @base = (kx(), 'plan', $kernel, '--ram', '1G', '--command-line', 'console=ttyS0', '--fixed-random', '7');
sub params_size {
	my ($out) = @_;
	my ($s) = grep { $_->{kind} eq 'params' } @{decode_json($out)->{segments}};
	return $s->{bufsz};
}
my ($rc, $out, $err) = run(@base, '--json');
is($rc, 0, 'plan without firmware data') or diag $err;
my $plain = params_size($out);

($rc, $out, $err) = run(@base, '--json', '--debug', '--efi', "$dir/efi", '--boot-params', "$dir/bp-uefi");
is($rc, 0, 'plan --efi --boot-params exits 0') or diag $err;
is(params_size($out), $plain + 16 + 96 + 3 * 40,
	'params grow by SETUP_EFI (16 + 96 bytes) and 3 descriptors of 40');
like($err, qr/^kexload: debug: boot_params: UEFI passed, system table 0x3fe8e018, runtime map 3 entries \(SETUP_EFI\), ACPI RSDP 0x3fb7e014, framebuffer passed, hardware_subarch 0$/m,
	'--debug: what boot_params got');

($rc, $out, $err) = run(@base, '--json', '--debug', '--boot-params', "$dir/bp-bios");
is($rc, 0, 'plan with BIOS boot_params exits 0') or diag $err;
is(params_size($out), $plain, 'BIOS: no SETUP_EFI');
like($err, qr/^kexload: debug: boot_params: UEFI not passed, system table 0x0, runtime map 0 entries, ACPI RSDP 0x3fb7e014, framebuffer none, hardware_subarch 0$/m,
	'--debug: only the RSDP');

($rc, $out, $err) = run(@base, '--boot-params', "$dir/bp-uefi");
is($rc, 0, 'UEFI boot_params without --efi: planned');
is($err, "kexload: warning: booted through UEFI, but there is no EFI runtime map (/sys/firmware/efi/runtime-map: a kernel without CONFIG_EFI_RUNTIME_MAP, or efi=noruntime): the new kernel gets no EFI runtime services\n",
	'... with a warning that the new kernel gets no runtime services');

# Bad inputs: exit 1, one line, nothing on stdout.
write_file("$dir/short", "\0" x 100);
mkdir "$dir/efi-bad";
mkdir "$dir/efi-bad/runtime-map";
mkdir "$dir/efi-bad/runtime-map/0";
put_file("$dir/efi-bad/runtime-map/0/type", "0x5\n");
for my $case (
	[['--efi', "$dir/none"], "kexload: $dir/none: cannot open: No such file or directory\n", 'missing --efi directory'],
	[['--efi', "$dir/short"], "kexload: $dir/short: not a directory shaped like /sys/firmware/efi\n", '--efi a file'],
	[['--efi', "$dir/efi-bad"], "kexload: $dir/efi-bad/runtime-map/0/phys_addr: cannot read: No such file or directory\n", 'runtime map entry without phys_addr'],
	[['--boot-params', "$dir/short"], "kexload: $dir/short: 100 bytes, not the 4096 of x86 boot_params (as in /sys/kernel/boot_params/data)\n", 'boot_params of 100 bytes'],
) {
	my ($args, $msg, $name) = @$case;
	($rc, $out, $err) = run(@base, @$args);
	is($rc, 1, "$name: exit 1");
	is($err, $msg, "$name: message");
	is($out, '', "$name: no plan");
}
done_testing();
