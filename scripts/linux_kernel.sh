#!/usr/bin/env bash
# Debian's cloud kernel, fetched with apt-get download into DIR (nothing
# is installed, /boot is not touched) and unpacked there once: the version
# the linux-image-cloud-amd64 meta-package points at. Prints the unpacked
# package's directory; DIR/PKG/forkbench-kernel.txt records the package,
# its version and the bzImage's path inside it. DIR/vmlinuz and
# DIR/kernel.txt point at the newest (forkbench run --os linux's default).
#
# With PACKAGE (another kernel to compare with, e.g.
# linux-image-6.12.115+deb12-cloud-amd64) that one is fetched instead and
# the links are left alone: pass its bzImage with --kernel.
#
# usage: scripts/linux_kernel.sh DIR [PACKAGE]
# Exit: 0 ok, 2 bad usage, 3 apt cannot provide it (message says why).
set -euo pipefail
[ $# -eq 1 ] || [ $# -eq 2 ] || { echo "usage: $0 DIR [PACKAGE]" >&2; exit 2; }
mkdir -p "$1"
dir=$(cd "$1" && pwd)

if [ $# -eq 2 ]; then
	pkg=$2
else
	pkg=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9].*-cloud-amd64\)$/\1/p' |
		head -n 1)
	[ -n "$pkg" ] || { echo "linux_kernel: apt-cache knows no" \
		"linux-image-cloud-amd64 (apt-get update?)" >&2; exit 3; }
fi
if [ ! -f "$dir/$pkg/forkbench-kernel.txt" ]; then
	rm -rf "$dir/deb" "$dir/$pkg" "$dir/$pkg.tmp" && mkdir -p "$dir/deb"
	(cd "$dir/deb" && apt-get download -q "$pkg" >/dev/null 2>&1) || {
		echo "linux_kernel: apt-get download $pkg failed" >&2; exit 3; }
	dpkg-deb -x "$dir"/deb/*.deb "$dir/$pkg.tmp"
	kver=$(ls "$dir/$pkg.tmp/lib/modules" | head -n 1)
	version=$(dpkg-deb -f "$dir"/deb/*.deb Version)
	printf 'package %s\nversion %s\nkernel %s\nbzimage boot/vmlinuz-%s\n' \
		"$pkg" "$version" "$kver" "$kver" >"$dir/$pkg.tmp/forkbench-kernel.txt"
	mv "$dir/$pkg.tmp" "$dir/$pkg"
fi
kver=$(sed -n 's/^kernel //p' "$dir/$pkg/forkbench-kernel.txt")
if [ $# -eq 1 ]; then
	ln -sfn "$pkg/boot/vmlinuz-$kver" "$dir/vmlinuz"
	ln -sfn "$pkg/forkbench-kernel.txt" "$dir/kernel.txt"
fi
echo "$dir/$pkg"
