#!/bin/sh
# Remove what install.sh installed for the current user. Your journal ($XDG_DATA_HOME/netjournal,
# default ~/.local/share/netjournal) and its backups stay exactly where they are.
set -eu
data_home=${XDG_DATA_HOME:-$HOME/.local/share}
opt=$HOME/.local/opt/netjournal
bindir=$HOME/.local/bin

if [ -L "$bindir/netjournal" ] && [ "$(readlink "$bindir/netjournal")" = "$opt/netjournal" ]; then
    rm -f "$bindir/netjournal"
fi
rm -f "$data_home/applications/netjournal.desktop" "$data_home/metainfo/io.github.netjournal.metainfo.xml"
rm -f "$data_home"/icons/hicolor/*/apps/netjournal.png "$data_home/icons/hicolor/scalable/apps/netjournal.svg"
for dir in "$data_home"/icons/hicolor/*/apps; do  # the folders install.sh made, if nothing else is in them
    rmdir "$dir" "${dir%/apps}" 2>/dev/null || true
done
if [ -d "$data_home/icons/hicolor" ]; then touch "$data_home/icons/hicolor"; fi
if command -v update-desktop-database >/dev/null 2>&1 && [ -d "$data_home/applications" ]; then
    update-desktop-database -q "$data_home/applications" || true
fi
rm -rf "$opt"
rmdir "$HOME/.local/opt" 2>/dev/null || true

echo "netjournal is uninstalled. Your journal is still in $data_home/netjournal (delete it yourself if you want it gone)."
