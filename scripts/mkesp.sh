#!/bin/sh
# Usage: scripts/mkesp.sh KERNEL INITRD DISK "COMMAND LINE"
# Writes DISK: a GPT disk image with one FAT EFI system partition holding
# Debian's signed shim as the removable-media boot loader
# (\EFI\BOOT\BOOTX64.EFI), Debian's signed GRUB beside it, a grub.cfg that
# boots KERNEL with INITRD and COMMAND LINE, and those two files. With
# OVMF's Secure Boot build and Microsoft's keys, the firmware trusts shim,
# shim trusts Debian's GRUB and kernel: the boot a Debian user has.
# Needs shim-signed, grub-efi-amd64-signed, mtools, dosfstools and fdisk
# (sfdisk); builds as any user, nothing mounted.
set -eu
kernel=$1 initrd=$2 disk=$3 cmdline=$4
shim=/usr/lib/shim/shimx64.efi.signed
mm=/usr/lib/shim/mmx64.efi.signed
grub=/usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed
for f in "$shim" "$grub"; do
	[ -f "$f" ] || { echo "mkesp: $f is missing (shim-signed, grub-efi-amd64-signed)" >&2; exit 1; }
done
for c in sfdisk mkfs.vfat mcopy mmd; do
	command -v "$c" >/dev/null || { echo "mkesp: $c is missing (fdisk, dosfstools, mtools)" >&2; exit 1; }
done

# room for both files, boot loaders and FAT32's minimum, in MiB
need=$(( ($(stat -c %s "$kernel") + $(stat -c %s "$initrd")) / 1048576 + 16 ))
[ "$need" -lt 64 ] && need=64
part=$disk.part
rm -f "$part" "$disk"
truncate -s "${need}M" "$part"
mkfs.vfat -F 32 -n KXESP "$part" >/dev/null
cfg=$(mktemp)
trap 'rm -f "$cfg" "$part"' EXIT
cat >"$cfg" <<EOC
set timeout=0
search --no-floppy --file --set=root /vmlinuz
linux /vmlinuz $cmdline
initrd /initrd.cpio
boot
EOC
mmd -i "$part" ::/EFI ::/EFI/BOOT ::/EFI/debian
mcopy -i "$part" "$shim" ::/EFI/BOOT/BOOTX64.EFI
[ -f "$mm" ] && mcopy -i "$part" "$mm" ::/EFI/BOOT/mmx64.efi
mcopy -i "$part" "$grub" ::/EFI/BOOT/grubx64.efi
# Debian's signed GRUB looks in /EFI/debian, then beside itself
mcopy -i "$part" "$cfg" ::/EFI/debian/grub.cfg
mcopy -i "$part" "$cfg" ::/EFI/BOOT/grub.cfg
mcopy -i "$part" "$kernel" ::/vmlinuz
mcopy -i "$part" "$initrd" ::/initrd.cpio

# GPT: the partition at 1 MiB, of type EFI system partition
truncate -s "$((need + 2))M" "$disk"
printf 'label: gpt\nstart=2048, size=%d, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B\n' \
	$((need * 2048)) | sfdisk -q "$disk"
dd if="$part" of="$disk" bs=1M seek=1 conv=notrunc status=none
