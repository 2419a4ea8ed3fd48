#!/usr/bin/perl
# The library as others use it: the shared object exports the kx_ API and
# nothing else, a program built on kexload.h and pkg-config's flags links
# and plans a load.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use KxTest;
use Test::More;

my $top = top();
my $so = "$top/build/host/libkexload.so";
ok(-f $so, 'libkexload.so is built');
my @syms = map { (split ' ')[2] =~ s/@.*//r } grep { / [TDRB] / } split /\n/, `nm -D --defined-only $so`;
ok(@syms > 20, 'it exports symbols (' . scalar(@syms) . ')');
is_deeply([grep { !/^kx_/ } @syms], [], 'every exported symbol has the kx_ prefix');
ok((grep { $_ eq 'kx_image_load' } @syms), 'kx_image_load is exported');
ok(!(grep { $_ eq 'kx_rd_le32' || $_ eq 'kx_err' } @syms), 'internal helpers are not');

my $pc = read_file("$top/build/host/kexload.pc");
like($pc, qr/^Libs: -L\$\{libdir\} -lkexload$/m, 'kexload.pc: Libs');
like($pc, qr/^Libs.private: .*-lfdt/m, 'kexload.pc: Libs.private');

my $dir = tmpdir();
my ($rc, $out, $err) = run('cc', '-std=c11', '-Wall', '-Werror', "-I$top/include",
	"$top/tests/cli/data/api-example.c", "-L$top/build/host", '-lkexload',
	'-o', "$dir/example");
is($rc, 0, 'a program on kexload.h links against the shared library') or diag $err;

my ($kernel, $why) = debian_kernel('amd64');
SKIP: {
	skip $why, 2 unless $kernel;
	local $ENV{LD_LIBRARY_PATH} = "$top/build/host";
	($rc, $out, $err) = run("$dir/example", $kernel, '1G');
	is($rc, 0, 'it plans a load') or diag $err;
	like($out, qr/^bzImage 3\nkernel 0x1000000\nparams 0x\w+\npurgatory 0x\w+\n\z/,
		'bzImage, three segments, kernel at its preferred address');
}

done_testing();
