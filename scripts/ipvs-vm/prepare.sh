#!/usr/bin/env bash
# Prepares a kernel with IPVS and a base initramfs for the IPVS VM test (docs/lvs.md).
#
#   scripts/ipvs-vm/prepare.sh [CACHE_DIR]
#
# Downloads the Debian kernel package that linux-image-amd64 points at (apt-get download),
# extracts it, runs depmod, and builds base.cpio.gz: static busybox, /init, the ip_vs module chain
# with every scheduler, and ipvsadm with its libraries. Everything is cached under
# CACHE_DIR/<kernel version>-<hash of this script and init> (default /var/cache/gokeepalived-ipvs-vm),
# so a second run only prints the directory. The test binary is appended as a second cpio archive
# by the caller, as the kernel unpacks concatenated archives in order.
#
# Prints the directory holding vmlinuz and base.cpio.gz on its last line. Fails (exit 1) when a
# tool or the kernel package cannot be obtained; run scripts/install-deps.sh first.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${1:-/var/cache/gokeepalived-ipvs-vm}

for tool in apt-get apt-cache dpkg-deb depmod modprobe cpio gzip busybox ipvsadm ldd; do
	command -v "$tool" >/dev/null || { echo "prepare.sh: $tool not found (run scripts/install-deps.sh)" >&2; exit 1; }
done
[ -x /bin/busybox ] && file_busybox=/bin/busybox || file_busybox=$(command -v busybox)
if ldd "$file_busybox" >/dev/null 2>&1; then
	echo "prepare.sh: $file_busybox is dynamic; install busybox-static" >&2
	exit 1
fi

# The package linux-image-amd64 depends on, e.g. linux-image-6.1.0-56-amd64.
pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
[ -n "$pkg" ] || { echo "prepare.sh: cannot resolve linux-image-amd64 (apt-get update?)" >&2; exit 1; }
kver=${pkg#linux-image-}
key=$(cat "$here/prepare.sh" "$here/init" | sha256sum | cut -c1-12)
dir=$cache/$kver-$key
if [ -s "$dir/base.cpio.gz" ] && [ -s "$dir/vmlinuz" ]; then
	echo "$dir"
	exit 0
fi

mkdir -p "$cache"
work=$(mktemp -d "$cache/.build.XXXXXX")
chmod 755 "$work" # apt-get download drops privileges to _apt
trap 'rm -rf "$work"' EXIT

# The .deb is shared by every key of one kernel version.
deb=$(ls "$cache/$pkg"_*.deb 2>/dev/null | head -n1 || true)
if [ -z "$deb" ]; then
	(cd "$work" && apt-get download "$pkg" >&2) || { echo "prepare.sh: apt-get download $pkg failed" >&2; exit 1; }
	mv "$work/$pkg"_*.deb "$cache/"
	deb=$(ls "$cache/$pkg"_*.deb | head -n1)
fi
dpkg-deb -x "$deb" "$work/kernel"
depmod -b "$work/kernel" "$kver"

root=$work/root
mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,lib/modules,etc}
cp "$file_busybox" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
cp "$here/init" "$root/init"
chmod 755 "$root/init"

# The module chain, in dependency order, without crc32c-intel (it fails under TCG with -cpu qemu64).
mods=(ip_vs ip_vs_rr ip_vs_wrr ip_vs_lc ip_vs_wlc ip_vs_lblc ip_vs_lblcr ip_vs_dh ip_vs_sh ip_vs_mh
	ip_vs_sed ip_vs_nq ip_vs_fo ip_vs_ovf ip_vs_twos ip_vs_pe_sip veth)
: >"$root/modules.order"
for m in "${mods[@]}"; do
	modprobe -d "$work/kernel" -S "$kver" --show-depends "$m" 2>/dev/null || true
done | awk '$1 == "insmod" {print $2}' | grep -v crc32c-intel | awk '!seen[$0]++' | while read -r ko; do
	cp "$ko" "$root/lib/modules/"
	basename "$ko" >>"$root/modules.order"
done
grep -q '^ip_vs.ko$' "$root/modules.order" || { echo "prepare.sh: ip_vs.ko not found in $pkg" >&2; exit 1; }

# ipvsadm and its shared libraries at their host paths.
ipvsadm=$(command -v ipvsadm)
cp "$ipvsadm" "$root/sbin/ipvsadm"
for lib in $(ldd "$ipvsadm" | awk '/=>/ {print $3} /^\t\// {print $1}'); do
	mkdir -p "$root$(dirname "$lib")"
	cp -L "$lib" "$root$lib"
done

cp "$work/kernel/boot/vmlinuz-$kver" "$work/vmlinuz"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -9) >"$work/base.cpio.gz"

mkdir -p "$dir"
mv "$work/vmlinuz" "$work/base.cpio.gz" "$dir/"
echo "$dir"
