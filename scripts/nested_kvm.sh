#!/usr/bin/env bash
# Run fbvmm's real KVM backend on any host, also one without /dev/kvm:
# Debian's cloud kernel boots under QEMU TCG on a CPU with emulated SVM
# (-cpu max), loads kvm and kvm_amd, and runs the commands of CMDS (one
# per line, in BUILD's copy of fbvmm, guest.elf and empty.elf) inside.
# It checks the KVM code path, not performance: there, ring 0 is TCG.
#
# usage: scripts/nested_kvm.sh BUILD CMDS LOG
# Exit: 0 /init ran every command (their own statuses are in LOG),
#       1 the nested Linux did not get there (LOG says how far it got),
#       2 bad usage, 3 a prerequisite is missing (message says which).
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: $0 BUILD CMDS LOG" >&2; exit 2; }
build=$(cd "$1" && pwd) cmds=$2 log=$3
top=$(cd "$(dirname "$0")/.." && pwd)
work=$build/nested
mkdir -p "$work"

need() { # COMMAND PACKAGE
	command -v "$1" >/dev/null || {
		echo "nested_kvm: $1 missing (apt-get install $2)" >&2; exit 3; }
}
need qemu-system-x86_64 qemu-system-x86
need cpio cpio
busybox=/bin/busybox
[ -x "$busybox" ] && ! ldd "$busybox" >/dev/null 2>&1 || {
	echo "nested_kvm: no static busybox (apt-get install busybox-static)" >&2
	exit 3; }

# The kernel: Debian's cloud kernel, fetched into build/ (nothing installed).
kdir=$("$top/scripts/linux_kernel.sh" "$build/linux") || exit 3
kver=$(ls "$kdir/lib/modules")
mods=$kdir/lib/modules/$kver/kernel

# The initramfs: busybox, the KVM modules, fbvmm with its libraries.
root=$work/root
rm -rf "$root"
mkdir -p "$root"/{bin,proc,sys,dev,tmp,mods,fb}
cp "$busybox" "$root/bin/busybox"
${CC:-cc} -O2 -static -o "$root/bin/fbexit" "$top/tests/nested/fbexit.c"
cp "$mods/virt/lib/irqbypass.ko" "$mods/arch/x86/kvm/kvm.ko" \
	"$mods/arch/x86/kvm/kvm-amd.ko" "$root/mods/"
cp "$build/fbvmm" "$build/guest.elf" "$build/empty.elf" "$root/fb/"
for lib in $(ldd "$build/fbvmm" | grep -o '/[^ ]*'); do
	mkdir -p "$root$(dirname "$lib")"
	cp -L "$lib" "$root$lib"
done
cp "$cmds" "$root/cmds"
cp "$top/tests/nested/init" "$root/init"
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/initrd.gz"

# Under TCG the nested kernel's own TSC calibration often fails, and KVM
# then has no TSC frequency to give; TCG's TSC is the host's, so say it.
khz=$(awk -F: '/^cpu MHz/ { printf "%d", $2 * 1000; exit }' /proc/cpuinfo)
set +e
timeout "${NESTED_TIMEOUT:-900}" qemu-system-x86_64 -M microvm,acpi=off \
	-accel tcg -cpu max -smp 1 -m 2G -nodefaults -nographic -no-reboot \
	-serial stdio -device isa-debug-exit,iobase=0xf4,iosize=4 \
	-kernel "$kdir/boot/vmlinuz-$kver" -initrd "$work/initrd.gz" \
	-append "console=ttyS0 panic=-1 loglevel=3 ${khz:+tsc_early_khz=$khz}" \
	</dev/null >"$log" 2>&1
rc=$?
set -e
# isa-debug-exit with 0: QEMU exits 1, and only /init's last line does it
[ $rc -eq 1 ] && grep -q '^=== done' "$log" && exit 0
echo "nested_kvm: the nested Linux did not finish (QEMU exit $rc); see $log" >&2
exit 1
