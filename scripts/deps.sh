#!/bin/sh
# Install the Debian packages forkbench needs, but only those missing, so
# a machine that has them all makes no network access at all; then fetch
# Debian's cloud kernel for the Linux peer guest into build/linux once
# (scripts/linux_kernel.sh: apt-get download, nothing installed).
# Also fetches the TCG plugin API header for plugin/ (fbsim.so) into
# build/qemu-plugin (scripts/qemu_plugin_header.sh: Debian's qemu source
# package, nothing installed).
# Usage: scripts/deps.sh        (root installs; others get the list)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)

# The peer's kernel: fetched once; a failure is said, not fatal (the
# tests that need it skip, naming why; forkbench run --os linux says so).
fetch_kernel() {
	[ -e "$top/build/linux/vmlinuz" ] && return 0
	"$top/scripts/linux_kernel.sh" "$top/build/linux" >/dev/null 2>&1 && return 0
	# a fresh machine may have no package lists yet
	[ "$(id -u)" -eq 0 ] && apt-get update -q >&2
	"$top/scripts/linux_kernel.sh" "$top/build/linux" >/dev/null ||
		echo "deps: could not fetch the Linux peer's kernel (see above)" >&2
}

# The plugin header: same treatment; without it `make` builds all but
# fbsim.so and its smoke test skips.
fetch_plugin_header() {
	"$top/scripts/qemu_plugin_header.sh" "$top/build/qemu-plugin" >/dev/null ||
		echo "deps: could not fetch QEMU's plugin header (see above)" >&2
}

PACKAGES="make gcc libc6-dev binutils pkg-config linux-libc-dev \
qemu-system-x86 libcpuid-dev libcriterion-dev bats gnuplot-nox git \
clang-14 libclang-rt-14-dev busybox-static cpio libjson-c-dev \
python3 python3-jsonschema cpuid libglib2.0-dev xz-utils"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
if [ -z "$missing" ]; then
	fetch_kernel
	fetch_plugin_header
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing Debian packages:$missing (run as root to install)" >&2
	exit 1
fi
echo "deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
# shellcheck disable=SC2086 # the list is meant to split
apt-get install -y -q --no-install-recommends $missing >&2
fetch_kernel
fetch_plugin_header
