#!/bin/sh
# Copy the desktop entry, AppStream metainfo and icons into a share/ tree: stage_share.sh SHARE_DIR
# (used by build_deb.sh for usr/share and build_tarball.sh for the tarball's share/).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
share=$1

install -Dm644 "$here/netjournal.desktop" "$share/applications/netjournal.desktop"
install -Dm644 "$here/io.github.netjournal.metainfo.xml" "$share/metainfo/io.github.netjournal.metainfo.xml"
install -Dm644 "$root/resources/icons/netjournal.svg" "$share/icons/hicolor/scalable/apps/netjournal.svg"
for png in "$root"/resources/icons/netjournal-*.png; do
    size=$(basename "$png" .png)
    size=${size#netjournal-}
    install -Dm644 "$png" "$share/icons/hicolor/${size}x${size}/apps/netjournal.png"
done
