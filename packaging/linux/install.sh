#!/bin/sh
# Install netjournal for the current user, from an unpacked netjournal-*-linux-*.tar.gz:
#   the app into ~/.local/opt/netjournal, a `netjournal` link into ~/.local/bin, and the menu entry,
#   icons and metainfo into $XDG_DATA_HOME (default ~/.local/share). No root needed.
# Your journal ($XDG_DATA_HOME/netjournal) is never touched. Run it again to upgrade;
# ~/.local/opt/netjournal/uninstall.sh removes the app again.
set -eu
src=$(cd "$(dirname "$0")" && pwd)
data_home=${XDG_DATA_HOME:-$HOME/.local/share}
opt_root=$HOME/.local/opt
opt=$opt_root/netjournal
bindir=$HOME/.local/bin

if [ ! -x "$src/netjournal/netjournal" ]; then
    echo "install.sh: run me from the unpacked netjournal folder (no app found in $src/netjournal)." >&2
    exit 1
fi

# The app: copied beside the old one first, then swapped in, so an upgrade never leaves half an app.
mkdir -p "$opt_root"
rm -rf "$opt.new" "$opt.old"
cp -a "$src/netjournal" "$opt.new"
install -m755 "$src/uninstall.sh" "$opt.new/uninstall.sh"
if [ -e "$opt" ]; then mv "$opt" "$opt.old"; fi
mv "$opt.new" "$opt"
rm -rf "$opt.old"

# The command: a link, unless something else (say, a pip install) already owns that name.
mkdir -p "$bindir"
if [ -e "$bindir/netjournal" ] && [ ! -L "$bindir/netjournal" ]; then
    echo "install.sh: $bindir/netjournal exists and is not ours; left it alone." >&2
else
    ln -sfn "$opt/netjournal" "$bindir/netjournal"
fi

# Menu entry (pointing at the app itself, since ~/.local/bin is not always on the desktop's PATH),
# icons and metainfo.
mkdir -p "$data_home/applications" "$data_home/metainfo" "$data_home/icons"
sed "s|^Exec=netjournal\$|Exec=\"$opt/netjournal\"|" "$src/share/applications/netjournal.desktop" \
    > "$data_home/applications/netjournal.desktop"
cp "$src/share/metainfo/io.github.netjournal.metainfo.xml" "$data_home/metainfo/"
cp -R "$src/share/icons/hicolor" "$data_home/icons/"
touch "$data_home/icons/hicolor"  # tells icon caches to look again
if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$data_home/applications" || true
fi

echo "netjournal is installed. Start it from your applications menu, or run: $bindir/netjournal"
case ":$PATH:" in
    *":$bindir:"*) ;;
    *) echo "($bindir is not on your PATH; add it to run \`netjournal\` by name.)" ;;
esac
echo "Your journal lives in $data_home/netjournal; installing and uninstalling never touch it."
