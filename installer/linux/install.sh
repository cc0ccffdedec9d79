#!/usr/bin/env bash
# Install the unpacked bundle for the current user: ~/.local/opt/MusicMatch, a launcher in
# ~/.local/bin, the desktop entry and icon. Run from inside the unpacked MusicMatch folder.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
TARGET="$HOME/.local/opt/MusicMatch"
mkdir -p "$HOME/.local/opt" "$HOME/.local/bin" "$HOME/.local/share/applications" \
         "$HOME/.local/share/icons/hicolor/256x256/apps"
if [ "$HERE" != "$TARGET" ]; then
    rm -rf "$TARGET"
    cp -a "$HERE" "$TARGET"
fi
ln -sf "$TARGET/musicmatch-gui" "$HOME/.local/bin/musicmatch-gui"
ln -sf "$TARGET/musicmatch" "$HOME/.local/bin/musicmatch"
cp "$TARGET/musicmatch.png" "$HOME/.local/share/icons/hicolor/256x256/apps/musicmatch.png"
sed "s|^Exec=.*|Exec=$TARGET/musicmatch-gui %f|" "$TARGET/musicmatch.desktop" \
    > "$HOME/.local/share/applications/musicmatch.desktop"
echo "Installed to $TARGET; start it from your applications menu or with musicmatch-gui"
