#!/bin/sh
# Install the Debian packages forkbench needs, but only those missing, so
# a machine that has them all makes no network access at all.
# Usage: scripts/deps.sh        (root installs; others get the list)
set -eu

PACKAGES="make gcc libc6-dev binutils pkg-config linux-libc-dev \
qemu-system-x86 libcpuid-dev libcriterion-dev bats gnuplot-nox git \
clang-14 libclang-rt-14-dev busybox-static cpio libjson-c-dev \
python3 python3-jsonschema"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing Debian packages:$missing (run as root to install)" >&2
	exit 1
fi
echo "deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
# shellcheck disable=SC2086 # the list is meant to split
apt-get install -y -q --no-install-recommends $missing >&2
