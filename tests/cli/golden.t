#!/usr/bin/perl
# Golden plans: plan --json for fixed inputs (synthetic bzImages from
# tests/fixtures/mkbzimage, a fixed initrd), fixed memory maps and a fixed
# random source, compared with tests/golden/*.json, so that any change in
# placement, boot_params or the purgatory shows as a diff. After a change
# that is meant, regenerate with KX_UPDATE_GOLDEN=1 prove tests/cli/golden.t
# and review the diff.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use KxTest;
use Test::More;
use File::Path qw(make_path);

my $top = top();
my $mk = "$top/build/host/mkbzimage";
plan skip_all => "build/host/mkbzimage is missing (make build/host/mkbzimage)" unless -x $mk;

my $work = "$top/build/golden-work";
make_path($work);
chdir $work or die;
# Inputs, named relatively so the plans do not depend on where this runs.
system($mk, 'bz-default') == 0 or die;
system($mk, '-P', '0x2000000', '-a', '0x1000000', '-i', '0x1800000', '-k', '65536',
	'bz-big') == 0 or die;
write_file('initrd.img', join('', map { chr($_ % 251) } 0 .. 3 * 1048576 + 4));
write_file('many.iomem', join('', map {
	sprintf("%08x-%08x : %s\n", $_ * 0x100000, $_ * 0x100000 + 0xfffff,
		$_ % 2 ? 'Reserved' : 'System RAM') } 0 .. 139) .
	"10000000-3fffffff : System RAM\n");
my $maps = "$top/tests/fixtures/iomem";

my @cases = (
	['bz-default-1g', 'bz-default', '--initrd', 'initrd.img', '--mem-map', "$maps/qemu-pc-1g.iomem",
		'--command-line', 'console=ttyS0 root=/dev/vda'],
	['bz-default-6g', 'bz-default', '--initrd', 'initrd.img', '--mem-map', "$maps/qemu-pc-6g.iomem",
		'--append', 'quiet'],
	['bz-big-ram2g-no-checks', 'bz-big', '--initrd', 'initrd.img', '--ram', '2G', '--no-checks'],
	['bz-default-e820-ext', 'bz-default', '--mem-map', 'many.iomem'],
	['bz-default-window', 'bz-default', '--initrd', 'initrd.img', '--ram', '4G',
		'--mem-min', '0x40000000', '--mem-max', '0x7fffffff'],
);

for my $c (@cases) {
	my ($name, @args) = @$c;
	my ($rc, $out, $err) = run(kx(), 'plan', @args, '--fixed-random', '0x5a', '--json');
	is($rc, 0, "$name: plan exits 0") or diag $err;
	$out =~ s/\Q$maps\E/MAPS/g;
	my $golden = "$top/tests/golden/$name.json";
	if ($ENV{KX_UPDATE_GOLDEN}) {
		write_file($golden, $out);
		pass("$name: golden file written");
		next;
	}
	ok(-f $golden, "$name: golden file exists") or next;
	my $want = read_file($golden);
	is($out, $want, "$name: plan equals tests/golden/$name.json")
		or diag "regenerate with KX_UPDATE_GOLDEN=1 if the change is meant";
}
done_testing();
