#!/usr/bin/perl
# The PE format from the command line: inspect --efi-stub on Debian's arm64
# and amd64 kernels (PEs both) shows their PE headers and sections, each
# value checked against the file's own bytes read here; without --efi-stub
# the kernels stay an arm64 Image and a bzImage; plan --efi-stub lays
# both out for their stubs;
# hostile PEs get one line naming the file
# and the problem, a non-zero exit, and no plan.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use KxTest;
use Test::More;
use JSON::PP;

my $kx = kx();
my $dir = tmpdir();

# The PE headers as the PE Format specification lays them out.
sub pe_facts {
	my ($img) = @_;
	my $pe = unpack('V', substr($img, 0x3c, 4));
	my ($machine, $nsec, $optsz) = unpack('v v x12 v', substr($img, $pe + 4, 18));
	my $opt = $pe + 24;
	my %f = (
		machine => $machine,
		entry => unpack('V', substr($img, $opt + 16, 4)),
		sa => unpack('V', substr($img, $opt + 32, 4)),
		soi => unpack('V', substr($img, $opt + 56, 4)),
		nsec => $nsec,
	);
	for my $i (0 .. $nsec - 1) {
		my ($name, $vs, $va, $rs, $rp) =
			unpack('Z8 V V V V', substr($img, $opt + $optsz + 40 * $i, 24));
		push @{$f{sec}}, [$name, $va, $vs, $rp, $rs];
	}
	return %f;
}

for my $k (['arm64', 'arm64 Image', 0xaa64], ['amd64', 'bzImage', 0x8664]) {
	my ($debarch, $native, $machine) = @$k;
	my ($kernel, $why) = debian_kernel($debarch);
	SKIP: {
		skip $why, 19 unless $kernel;
		my %f = pe_facts(read_file($kernel));
		is($f{machine}, $machine, "$debarch: the file's machine");
		my ($rc, $out, $err) = run($kx, 'inspect', $kernel);
		is($rc, 0, "$debarch: inspect");
		like($out, qr/^format: \Q$native\E$/m, "$debarch: still a $native without --efi-stub");
		($rc, $out, $err) = run($kx, 'inspect', '--efi-stub', $kernel);
		is($rc, 0, "$debarch: inspect --efi-stub") or diag $err;
		like($out, qr/^format: PE \(EFI stub\)$/m, "$debarch: as a PE");
		like($out, qr/@{[sprintf('^pe_machine: 0x%04x ', $machine)]}/m, "$debarch: machine");
		like($out, qr/^pe_subsystem: 10 \(EFI application\)$/m, "$debarch: an EFI application");
		like($out, qr/@{[sprintf('^pe_entry: 0x%x$', $f{entry})]}/m, "$debarch: entry point");
		like($out, qr/@{[sprintf('^pe_section_alignment: 0x%x$', $f{sa})]}/m, "$debarch: section alignment");
		like($out, qr/@{[sprintf('^pe_size_of_image: 0x%x$', $f{soi})]}/m, "$debarch: SizeOfImage");
		my @shown = $out =~ /^section \d+: (.*) [r-][w-][x-]$/mg;
		my @want = map { sprintf('%s rva 0x%x size 0x%x file 0x%x+0x%x', @$_) } @{$f{sec}};
		is_deeply(\@shown, \@want, "$debarch: every section, as the file has it");
		($rc, $out, $err) = run($kx, 'plan', '--efi-stub', '--ram', '1G@0x40000000',
			'--json', $kernel);
		my $p = $rc ? {} : decode_json($out);
		is($rc, 0, "$debarch: plan --efi-stub") or diag $err;
		is($p->{format}, 'PE (EFI stub)', "$debarch: ... as a PE");
		is_deeply([map { $_->{kind} } @{$p->{segments} // []}],
			$debarch eq 'arm64' ? ['kernel', 'dtb', 'params', 'purgatory'] :
					      ['kernel', 'params', 'purgatory'],
			"$debarch: ... the PE, " . ($debarch eq 'arm64' ? 'its device tree, ' : '') .
			"the hand-over block, the purgatory");
		my ($k) = grep { $_->{kind} eq 'kernel' } @{$p->{segments} // []};
		is(($k->{memsz} // 0), $f{soi}, "$debarch: ... the PE's memory is SizeOfImage");
		is(hex($p->{kernel_entry} // 0) - hex($k->{mem} // 0), $f{entry},
			"$debarch: ... entered at AddressOfEntryPoint");
		# What the EFI environment will hold: the sections where they
		# lie, and the map the stub sees, with the PE the loader's.
		my $e = $p->{efi} // {};
		is_deeply([map { [$_->{name}, hex($_->{mem}) - hex($k->{mem} // 0), $_->{size}] }
			   @{$e->{sections} // []}],
			[map { [$_->[0], $_->[1], $_->[2]] } @{$f{sec}}],
			"$debarch: ... efi.sections: each at its RVA, its size");
		my ($pe) = grep { hex($_->{start}) == hex($k->{mem} // 1) } @{$e->{memory_map} // []};
		ok($pe && $pe->{type_name} eq 'loader code' && $pe->{loader} &&
		   hex($pe->{end}) == hex($k->{end}),
		   "$debarch: ... efi.memory_map: the PE is loader code, kexload's");
		is(hex($e->{handover} // 0),
		   hex((grep { $_->{kind} eq 'params' } @{$p->{segments} // []})[0]{mem} // 1),
		   "$debarch: ... efi.handover: the params segment");
	}
}

# A small PE32+ for arm64, and hostile edits of it.
sub small_pe {
	my %o = (machine => 0xaa64, sa => 0x1000, soi => 0x5000, data_rs => 0x200,
		 data_va => 0x2000, @_);
	my $d = "\0" x 0x1600;
	substr($d, 0, 2) = 'MZ';
	substr($d, 0x3c, 4) = pack('V', 0x40);
	substr($d, 0x40, 24) = "PE\0\0" . pack('vvVVVvv', $o{machine}, 2, 0, 0, 0, 240, 0x206);
	my $opt = pack('vCCVVVVVQ<VVvvvvvvVVVVvvQ<Q<Q<Q<VV', 0x20b, 2, 0, 0x1000, 0x200, 0,
		0x1010, 0x1000, 0, $o{sa}, 0x200, 0, 0, 0, 0, 0, 0, 0, $o{soi}, 0x400, 0,
		10, 0, 0, 0, 0, 0, 0, 16);
	substr($d, 0x58, 240) = $opt . ("\0" x 128);
	substr($d, 0x148, 80) = pack('a8VVVVVVvvV', '.text', 0x1000, 0x1000, 0x1000, 0x400,
		0, 0, 0, 0, 0x60000020) . pack('a8VVVVVVvvV', '.data', 0x2000, $o{data_va},
		$o{data_rs}, 0x1400, 0, 0, 0, 0, 0xc0000040);
	return $d;
}

my @cases = (
	['outside', { data_rs => 0x1000 }, qr/PE section \.data's data \(0x1000 bytes at 0x1400\) runs past the end of the file \(0x1600 bytes\)/],
	['overlap', { data_va => 0x1000 }, qr/PE sections \.text \(RVA 0x1000-0x1fff\) and \.data \(RVA 0x1000-0x2fff\) overlap/],
	['machine', { machine => 0x5064 }, qr/a PE\/COFF image for machine 0x5064 \(riscv64\), which kexload cannot start/],
	['align', { sa => 0x800000, soi => 0x1000000 }, qr/PE SectionAlignment 0x800000 is not a power of two up to 2 MiB/],
	['soi', { soi => 0x3000 }, qr/PE section \.data \(RVA 0x2000, 0x2000 bytes\) ends past SizeOfImage 0x3000/],
);
for my $c (@cases) {
	my ($name, $o, $msg) = @$c;
	my $f = "$dir/$name.efi";
	write_file($f, small_pe(%$o));
	my ($rc, $out, $err) = run($kx, 'plan', '--efi-stub', '--ram', '1G@0x40000000', $f);
	ok($rc != 0, "$name: non-zero exit");
	is($out, '', "$name: no plan");
	like($err, qr/^kexload: \Q$f\E: .*$msg.*\n\z/, "$name: one line naming the file and the problem")
		or diag $err;
}

# The small PE plans, through its stub.
{
	my $f = "$dir/good.efi";
	write_file($f, small_pe());
	my ($rc, $out, $err) = run($kx, 'plan', '--ram', '1G@0x40000000', '--json', $f);
	is($rc, 0, 'a small arm64 PE no other format takes plans') or diag $err;
	like($out, qr/"format": "PE \(EFI stub\)"/, '... as a PE');
}

# After a UEFI first boot (arm64 --efi DIR: its systab, as AAVMF's guest
# shows it) the firmware's ACPI and SMBIOS3 entry points follow the DTB as
# configuration tables of the hand-over block.
{
	my $f = "$dir/good-uefi.efi";
	write_file($f, small_pe());
	mkdir "$dir/efi";
	write_file("$dir/efi/systab", "ACPI20=0x79b40018\nSMBIOS3=0x7fed0000\n");
	my ($rc, $out, $err) = run($kx, 'plan', '--efi-stub', '--ram', '1G@0x40000000',
		'--efi', "$dir/efi", '--debug', $f);
	is($rc, 0, 'arm64 --efi-stub --efi DIR plans') or diag $err;
	like($err, qr/, 3 configuration tables$/m, '... three configuration tables');
	like($err, qr/^kexload: debug:   EFI table ACPI 2\.0 at 0x79b40018$/m, '... ACPI 2.0 from systab');
	like($err, qr/^kexload: debug:   EFI table SMBIOS3 at 0x7fed0000$/m, '... SMBIOS3 from systab');
	($rc, $out, $err) = run($kx, 'plan', '--efi-stub', '--ram', '1G@0x40000000',
		'--efi', "$dir/efi/systab", $f);
	ok($rc != 0 && $out eq '' && $err =~ m{^kexload: \Q$dir\E/efi/systab: not a directory shaped like /sys/firmware/efi\n\z},
	   '--efi naming a file: one line, no plan') or diag "rc $rc, err '$err'";
}

# Without --efi-stub a hostile PE that no other format takes is refused too.
{
	my $f = "$dir/overlap.efi";
	my ($rc, $out, $err) = run($kx, 'plan', '--ram', '1G@0x40000000', $f);
	ok($rc != 0 && $out eq '' && $err =~ /overlap/, 'a hostile PE without --efi-stub');
	($rc, $out, $err) = run($kx, 'inspect', '--efi-stub', "$dir/../" . 'nope');
	ok($rc != 0, 'inspect --efi-stub of a missing file fails');
}

# A UKI's shape (.linux and .initrd sections): systemd-stub refuses a
# second initrd on the initrd media path, so --initrd is refused at load.
{
	my $d = small_pe();
	substr($d, 0x148, 8) = pack('a8', '.linux');
	substr($d, 0x148 + 40, 8) = pack('a8', '.initrd');
	my $f = "$dir/uki.efi";
	write_file($f, $d);
	write_file("$dir/initrd", "070701");
	my ($rc, $out, $err) = run($kx, 'plan', '--efi-stub', '--ram', '1G@0x40000000', $f);
	is($rc, 0, 'a UKI plans without --initrd') or diag $err;
	($rc, $out, $err) = run($kx, 'plan', '--efi-stub', '--ram', '1G@0x40000000',
		'--initrd', "$dir/initrd", $f);
	ok($rc != 0 && $out eq '', 'a UKI with an .initrd and --initrd: refused');
	like($err, qr/^kexload: \Q$f\E: a UKI with an initrd of its own \(\.initrd\): its systemd-stub starts no kernel when --initrd is given too \(EFI_ALREADY_STARTED on the initrd media path\); leave --initrd out\n\z/,
	     '... in one line that says why');
	substr($d, 0x148 + 40, 8) = pack('a8', '.data');
	write_file($f, $d);
	($rc, $out, $err) = run($kx, 'plan', '--efi-stub', '--ram', '1G@0x40000000',
		'--initrd', "$dir/initrd", $f);
	is($rc, 0, 'a UKI without an .initrd takes --initrd') or diag $err;
	substr($d, 0x148 + 40, 8) = pack('a8', '.cmdline');
	write_file($f, $d);
	($rc, $out, $err) = run($kx, 'plan', '--efi-stub', '--ram', '1G@0x40000000',
		'--command-line', 'quiet', $f);
	is($rc, 0, 'a UKI with a .cmdline and --command-line plans') or diag $err;
	like($err, qr/^kexload: warning: \Q$f\E: the command line given replaces the UKI's own \(\.cmdline\) whole: its systemd-stub takes it instead, unless Secure Boot is on$/m,
	     '... with a warning that its .cmdline is replaced');
	($rc, $out, $err) = run($kx, 'plan', '--efi-stub', '--ram', '1G@0x40000000', $f);
	ok($rc == 0 && $err !~ /warning/, '... and none without a command line') or diag $err;
}

# --efi-stub on something that is not a PE.
{
	my $f = "$dir/text";
	write_file($f, "hello\n" x 100);
	my ($rc, $out, $err) = run($kx, 'plan', '--efi-stub', '--ram', '1G', $f);
	ok($rc != 0 && $out eq '', 'not a PE: refused');
	like($err, qr/^kexload: \Q$f\E: not a PE\/COFF image \(no "MZ" header with a "PE" signature\), so it has no EFI stub to start\n\z/,
	     'not a PE: its message');
}

done_testing();
