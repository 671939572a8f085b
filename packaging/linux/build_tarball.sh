#!/bin/sh
# Build dist/netjournal-<version>-linux-<machine>.tar.gz from the onedir build (run `make dist` first).
# Unpack it anywhere and run ./install.sh: it installs for the current user only, under ~/.local.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
app=${DIST_DIR:-$root/dist/netjournal}
out=${OUT_DIR:-$root/dist}
[ -x "$app/netjournal" ] || { echo "build_tarball.sh: no app in $app (run make dist first)" >&2; exit 1; }

version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/pyproject.toml" | head -n1)
name="netjournal-$version-linux-$(uname -m)"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

mkdir -p "$stage/$name"
cp -a "$app" "$stage/$name/netjournal"
sh "$here/stage_share.sh" "$stage/$name/share"
install -m755 "$here/install.sh" "$here/uninstall.sh" "$stage/$name/"
mkdir -p "$out"
tar -C "$stage" -czf "$out/$name.tar.gz" "$name"
echo "$out/$name.tar.gz"
