# Helpers for kexload's command-line tests (TAP through Test::More).
# Every test runs with KEXLOAD_FORBID_KEXEC=1: nothing here may load or
# execute a kernel on the host, and the library refuses if something tried.
package KxTest;
use strict;
use warnings;
use Exporter 'import';
use File::Temp qw(tempdir);
use IPC::Open3;
use Symbol 'gensym';
use JSON::PP;
use Digest::SHA qw(sha256_hex);
use FindBin;

our @EXPORT = qw(kx run top debian_kernel tmpdir decode_json sha256_hex
		 file_sha256 file_part_sha256 read_file write_file elf64_ehdr
		 elf64_phdr);

$ENV{KEXLOAD_FORBID_KEXEC} = 1;

sub top { my $t = "$FindBin::Bin/../.."; $t =~ s{/tests/\w+/\.\./\.\.$}{}; return $t }
sub kx { return top() . "/build/host/kexload" }

# run(@argv) -> (exit code, stdout, stderr). Commands run without
# CAP_SYS_BOOT in their bounding set, so that even a kexload whose
# KEXLOAD_FORBID_KEXEC guard were broken could not load a kernel here.
my @nocap = -x '/usr/bin/setpriv' ?
	('/usr/bin/setpriv', '--bounding-set', '-sys_boot', '--inh-caps', '-sys_boot') : ();
sub run {
	my @cmd = (@nocap, @_);
	my $err = gensym;
	my $pid = open3(my $in, my $out, $err, @cmd);
	close $in;
	local $/;
	my $o = <$out> // '';
	my $e = <$err> // '';
	waitpid($pid, 0);
	return ($? >> 8, $o, $e);
}

# The current Debian amd64 kernel from the cache (downloading it if need
# be), or undef with the reason.
sub debian_kernel {
	my $arch = shift // 'amd64';
	my $p = `"@{[top()]}/scripts/fetch-kernel.sh" $arch 2>&1`;
	chomp $p;
	return ($p, undef) if $? == 0 && -f $p;
	return (undef, "cannot get the Debian $arch kernel: $p");
}

sub tmpdir { return tempdir(CLEANUP => 1) }

# An ELF64 file header (e_phoff 64, e_phentsize 56) and a program header
# (filesz = memsz, p_align 0), little endian, or big endian if $be: what
# the crash tests expect core headers and write /proc/kcore with.
sub elf64_ehdr {
	my ($type, $machine, $phnum, $be) = @_;
	my ($h, $w, $q) = $be ? ('n', 'N', 'Q>') : ('v', 'V', 'Q<');
	return pack("a4CCCx9${h}${h}${w}${q}${q}${q}${w}${h}${h}${h}${h}${h}${h}", "\x7fELF", 2,
		$be ? 2 : 1, 1, $type, $machine, 1, 0, 64, 0, 0, 64, 56, $phnum, 0, 0, 0);
}

sub elf64_phdr {
	my ($type, $flags, $off, $vaddr, $paddr, $size, $be) = @_;
	my ($w, $q) = $be ? ('N', 'Q>') : ('V', 'Q<');
	return pack("${w}${w}${q}${q}${q}${q}${q}${q}", $type, $flags, $off, $vaddr, $paddr,
		$size, $size, 0);
}

sub read_file {
	my ($f) = @_;
	open my $fh, '<:raw', $f or die "$f: $!";
	local $/;
	my $d = <$fh>;
	return $d;
}

sub write_file {
	my ($f, $d) = @_;
	open my $fh, '>:raw', $f or die "$f: $!";
	print $fh $d;
	close $fh;
}

sub file_sha256 {
	my $sha = Digest::SHA->new(256);
	$sha->addfile($_[0], 'b');
	return $sha->hexdigest;
}

sub file_part_sha256 {
	my ($f, $off, $len) = @_;
	return sha256_hex(substr(read_file($f), $off, $len));
}

1;
