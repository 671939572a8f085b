#!/bin/sh
# Build dist/netjournal_<version>_<arch>.deb from the onedir build (run `make dist` first).
# Layout: /opt/netjournal (the app), /usr/bin/netjournal (a link to it), desktop entry, metainfo, icons.
# Removing the package leaves every user's journal (~/.local/share/netjournal) alone: dpkg only
# removes the files it installed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
app=${DIST_DIR:-$root/dist/netjournal}
out=${OUT_DIR:-$root/dist}
[ -x "$app/netjournal" ] || { echo "build_deb.sh: no app in $app (run make dist first)" >&2; exit 1; }

version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/pyproject.toml" | head -n1)
arch=$(dpkg --print-architecture)
stage=$(mktemp -d)
chmod 755 "$stage"
trap 'rm -rf "$stage"' EXIT

mkdir -p "$stage/opt" "$stage/usr/bin" "$stage/DEBIAN"
cp -a "$app" "$stage/opt/netjournal"
ln -s /opt/netjournal/netjournal "$stage/usr/bin/netjournal"
sh "$here/stage_share.sh" "$stage/usr/share"
size=$(du -sk "$stage" | cut -f1)
# What Qt's xcb platform plugin loads to open a window (netjournal/xcb.py has the same list, and says
# which package is missing instead of letting Qt abort), plus libdrm2 for the GL stack.
depends="libc6, libdrm2, libxcb1, libx11-6, libx11-xcb1, libxcb-cursor0, libxcb-icccm4, libxcb-image0,\
 libxcb-keysyms1, libxcb-randr0, libxcb-render0, libxcb-render-util0, libxcb-shape0, libxcb-shm0,\
 libxcb-sync1, libxcb-util1, libxcb-xfixes0, libxcb-xkb1, libxkbcommon0, libxkbcommon-x11-0, libgl1,\
 libegl1, libfontconfig1, libfreetype6, libglib2.0-0, libdbus-1-3"
cat > "$stage/DEBIAN/control" <<CONTROL
Package: netjournal
Version: $version
Architecture: $arch
Maintainer: netjournal developers <netjournal@users.noreply.github.com>
Installed-Size: $size
Section: misc
Priority: optional
Depends: $depends
Recommends: libwayland-client0, libwayland-cursor0, libwayland-egl1
Description: private journal for the people you meet
 netjournal is a desktop journal for people who find networking hard: keep a
 small record of the people you meet, log a conversation in seconds, keep
 track of promises, prepare for meetings and reflect afterwards. Everything
 stays on your computer unless you export it.
CONTROL
mkdir -p "$out"
deb="$out/netjournal_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
echo "$deb"
