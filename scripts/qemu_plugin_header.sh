#!/bin/sh
# The TCG plugin API header (include/qemu/qemu-plugin.h) for the QEMU this
# machine runs, fetched from Debian's `qemu` source package into DIR: Debian
# ships plugin loading in qemu-system-x86 but no header. apt gets private
# deb-src lines (built from the machine's own Debian archive entries), a
# private list and cache directory under DIR, so the system's apt state is
# left untouched. Nothing is installed, nothing is unpacked but the header
# and contrib/plugins/cache.c (QEMU's own cache model, for reference).
#
# Writes DIR/qemu-plugin.h, DIR/cache.c and DIR/qemu-src.txt (the source
# version fetched, the installed QEMU's, and the header's plugin API
# version). Does nothing when DIR/qemu-plugin.h exists.
#
# usage: scripts/qemu_plugin_header.sh DIR
# Exit: 0 ok, 2 bad usage, 3 apt cannot provide it (message says why).
set -eu
[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
mkdir -p "$1"
dir=$(cd "$1" && pwd)
[ -f "$dir/qemu-plugin.h" ] && exit 0

die() { echo "qemu_plugin_header: $*" >&2; exit 3; }

apt_dir=$dir/apt
rm -rf "$apt_dir"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/src"

# deb_entries: "URI SUITE COMPONENTS... | SIGNED-BY" for every enabled `deb`
# entry apt itself reads (one-line *.list and sources.list, deb822
# *.sources); files apt ignores (other suffixes) are ignored here too.
deb_entries() {
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		sed -n 's/^[[:space:]]*deb[[:space:]]\+\(\[\([^]]*\)\][[:space:]]\+\)\{0,1\}\([^[:space:]]\+\)[[:space:]]\+\(.*\)$/\3 \4 | \2/p' "$f" |
			sed 's/|.*signed-by=\([^[:space:]]*\).*/| \1/; s/| [^/].*$/|/'
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		# a blank line ends a stanza; print the stanzas of Types deb
		awk '
		function flush() {
			if (types ~ /(^| )deb( |$)/ && enabled != "no")
				for (i = 1; i <= nu; i++)
					for (j = 1; j <= ns; j++)
						print u[i], s[j], comps, "|", signed
			types = ""; enabled = ""; comps = ""; signed = ""; nu = 0; ns = 0
		}
		/^[[:space:]]*$/ { flush(); next }
		/^#/ { next }
		{
			key = tolower($1); sub(/:$/, "", key)
			val = $0; sub(/^[^:]*:[[:space:]]*/, "", val)
			if (key == "types") types = val
			else if (key == "enabled") enabled = tolower(val)
			else if (key == "uris") nu = split(val, u, /[[:space:]]+/)
			else if (key == "suites") ns = split(val, s, /[[:space:]]+/)
			else if (key == "components") comps = val
			else if (key == "signed-by") signed = val
		}
		END { flush() }' "$f"
	done
}

# Only the distribution's own archives: suites named after this release
# (bookworm, bookworm-updates, bookworm-security); third-party repositories
# have no source packages for apt to index and would fail the update.
codename=$(sed -n 's/^VERSION_CODENAME=//p' /etc/os-release | tr -d '"')
[ -n "$codename" ] || die "no VERSION_CODENAME in /etc/os-release"
deb_entries | while read -r uri suite rest; do
	case $suite in
	"$codename" | "$codename"-*) ;;
	*) continue ;;
	esac
	comps=$(echo "${rest%%|*}" | sed 's/[[:space:]]*$//')
	signed=$(echo "${rest#*|}" | tr -d ' ')
	opt=""
	[ -n "$signed" ] && opt="[signed-by=$signed] "
	echo "deb-src $opt$uri $suite $comps"
done | sort -u >"$apt_dir/sources.list"
[ -s "$apt_dir/sources.list" ] ||
	die "no $codename archive entries in the machine's apt sources"

apt_private() {
	apt-get -q -o Dir::Etc::SourceList="$apt_dir/sources.list" \
		-o Dir::Etc::SourceParts=/dev/null \
		-o Dir::State::Lists="$apt_dir/lists" \
		-o Dir::Cache="$apt_dir/cache" \
		-o Dir::Cache::pkgcache="" -o Dir::Cache::srcpkgcache="" \
		-o APT::Sandbox::User="$(id -un)" "$@"
}

apt_private update >"$apt_dir/update.log" 2>&1 ||
	die "apt-get update of the deb-src lists failed (see $apt_dir/update.log)"

# The source of the installed qemu-system-x86 (a binNMU such as +b3 has
# the version of its source without the suffix); the newest one when that
# version is no longer in the archive.
want=$(dpkg-query -W -f='${source:Version}' qemu-system-x86 2>/dev/null) ||
	die "qemu-system-x86 is not installed"
installed=$(dpkg-query -W -f='${Version}' qemu-system-x86)
cd "$apt_dir/src"
if apt_private source --download-only "qemu=$want" >"$apt_dir/source.log" 2>&1; then
	got=$want
else
	apt_private source --download-only qemu >"$apt_dir/source.log" 2>&1 ||
		die "apt-get source qemu failed (see $apt_dir/source.log)"
	got=$(sed -n 's/^Version: //p' qemu_*.dsc | head -n 1)
	echo "qemu_plugin_header: source $want is gone from the archive;" \
		"using $got" >&2
fi

set -- qemu_*.orig.tar.*
tar -xf "$1" --wildcards --no-anchored --strip-components=1 \
	'include/qemu/qemu-plugin.h' 'contrib/plugins/cache.c'
# Debian's patches (stable point releases among them) apply on top of the
# upstream tarball: any that touch the two files are applied here.
tar -xf qemu_*.debian.tar.* debian/patches
if [ -f debian/patches/series ]; then
	grep -v '^[[:space:]]*#' debian/patches/series | while read -r p _; do
		[ -n "$p" ] || continue
		if grep -qE '^\+\+\+ [^/]+/(include/qemu/qemu-plugin\.h|contrib/plugins/cache\.c)' \
			"debian/patches/$p"; then
			echo "qemu_plugin_header: debian patch $p touches the header or cache.c" >&2
			die "applying it is not implemented: extract with dpkg-source -x instead"
		fi
	done
fi

api=$(sed -n 's/^#define QEMU_PLUGIN_VERSION \([0-9]*\).*/\1/p' include/qemu/qemu-plugin.h)
[ -n "$api" ] || die "no QEMU_PLUGIN_VERSION in the fetched header"
cp contrib/plugins/cache.c "$dir/cache.c"
{
	echo "source qemu $got"
	echo "installed qemu-system-x86 $installed (source $want)"
	echo "plugin_api $api"
} >"$dir/qemu-src.txt"
# last, so that an interrupted fetch is retried
cp include/qemu/qemu-plugin.h "$dir/qemu-plugin.h.tmp"
mv "$dir/qemu-plugin.h.tmp" "$dir/qemu-plugin.h"
rm -rf "$apt_dir"
cat "$dir/qemu-src.txt"
