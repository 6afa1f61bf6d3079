#!/bin/sh
# kernel-fetch.sh VERSION: print the path of Debian's linux-source-VERSION
# tarball, fetching the package first when it is missing.
#
# Where the package comes from:
#   1. /usr/src/linux-source-VERSION.tar.xz, when the package is installed;
#   2. the system's apt, when one of its suites has the package (6.1 and
#      6.12 on Debian 12): installed as root, as scripts/setup.sh does;
#   3. otherwise a private apt configuration under the git-ignored
#      .kernel/apt/: its own sources list, package lists, cache and an empty
#      dpkg status, so that the system's apt state is left as it was.  Its
#      URI is the machine's own Debian mirror, read from /etc/apt at run
#      time (no host name is written into the project); its suites are
#      KERNEL_SUITES (default "trixie-backports sid": 7.3 is in
#      trixie-backports, 7.2 in sid), tried in that order.  The package is
#      downloaded with "apt-get download" and only its tarball is unpacked,
#      into .kernel/apt/root/usr/src/.
#
# Progress goes to stderr; the only line on stdout is the tarball's path.
# Exit status 1 with a message naming what failed.
set -eu

version=${1:?usage: kernel-fetch.sh VERSION}
case $version in
*[!0-9.]* | "" | .* | *.)
	echo "kernel-fetch: '$version' is not a version (try 6.12, 6.1 or 7.3)" >&2
	exit 2
	;;
esac
pkg="linux-source-$version"
top=$(cd "$(dirname "$0")/.." && pwd)
apt_dir="$top/.kernel/apt"
private="$apt_dir/root/usr/src/$pkg.tar.xz"

for t in "/usr/src/$pkg.tar.xz" "$private"; do
	[ -f "$t" ] && { echo "$t"; exit 0; }
done

as_root() {
	if [ "$(id -u)" = 0 ]; then
		"$@"
	elif command -v sudo >/dev/null; then
		sudo "$@"
	else
		return 1
	fi
}

# 2. The system's own suites.
if apt-cache show "$pkg" >/dev/null 2>&1; then
	echo "kernel-fetch: installing $pkg" >&2
	if as_root apt-get install -y -q "$pkg" >&2 ||
	   { as_root apt-get update -q >&2 && as_root apt-get install -y -q "$pkg" >&2; }; then
		[ -f "/usr/src/$pkg.tar.xz" ] && { echo "/usr/src/$pkg.tar.xz"; exit 0; }
	fi
	echo "kernel-fetch: the system's apt knows $pkg but it did not install;" \
	     "trying the private configuration" >&2
fi

# 3. A private apt configuration.  The mirror: the first Debian URI of the
# machine's sources that is not the security archive, in either format
# (deb822 .sources or one-line .list).
mirror=$(cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list \
	     /etc/apt/sources.list 2>/dev/null |
	awk '/^URIs:/ { for (i = 2; i <= NF; i++) print $i }
	     /^deb[ \t]/ { for (i = 2; i <= NF; i++) if ($i ~ /:\/\//) { print $i; break } }' |
	grep -v -e security -e '^cdrom:' | grep -i debian | head -n 1)
[ -n "$mirror" ] || {
	echo "kernel-fetch: no Debian mirror in /etc/apt/sources.list{,.d/}:" \
	     "cannot look for $pkg in newer suites" >&2
	exit 1
}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -f "$keyring" ] || { echo "kernel-fetch: $keyring is missing (debian-archive-keyring)" >&2; exit 1; }

mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" \
	 "$apt_dir/debs" "$apt_dir/root"
: >"$apt_dir/status"
private_apt() {
	private_tool=$1
	shift
	"$private_tool" -q \
		-o Dir::Etc::SourceList="$apt_dir/sources.list" \
		-o Dir::Etc::SourceParts=/dev/null \
		-o Dir::Etc::Preferences=/dev/null \
		-o Dir::Etc::PreferencesParts=/dev/null \
		-o Dir::State::Lists="$apt_dir/lists" \
		-o Dir::State::status="$apt_dir/status" \
		-o Dir::Cache="$apt_dir/cache" \
		-o APT::Sandbox::User=root \
		"$@"
}
for suite in ${KERNEL_SUITES:-trixie-backports sid}; do
	echo "deb [signed-by=$keyring] $mirror $suite main" >"$apt_dir/sources.list"
	echo "kernel-fetch: looking for $pkg in $suite (private apt in .kernel/apt)" >&2
	private_apt apt-get update >"$apt_dir/update.log" 2>&1 ||
		{ tail -n 5 "$apt_dir/update.log" >&2; continue; }
	private_apt apt-cache show "$pkg" >/dev/null 2>&1 || continue
	rm -f "$apt_dir/debs/$pkg"_*.deb
	(cd "$apt_dir/debs" && private_apt apt-get download "$pkg") >&2 || continue
	deb=$(ls "$apt_dir/debs/$pkg"_*.deb 2>/dev/null | head -n 1)
	[ -n "$deb" ] || continue
	echo "kernel-fetch: unpacking $(basename "$deb")" >&2
	dpkg-deb --fsys-tarfile "$deb" |
		tar -C "$apt_dir/root" -x "./usr/src/$pkg.tar.xz"
	rm -f "$deb"
	[ -f "$private" ] && { echo "$private"; exit 0; }
done
echo "kernel-fetch: $pkg is in none of the system's suites nor in" \
     "${KERNEL_SUITES:-trixie-backports sid} of $mirror" >&2
exit 1
