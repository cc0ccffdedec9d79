#!/usr/bin/env bash
# Build the one-folder Linux bundle and pack it as dist/MusicMatch-<version>-linux-x86_64.tar.gz.
#
# Needs Python 3.11 and the system libraries the README lists; everything else is installed
# into a separate build environment (.venv-build), so the development .venv is untouched.
# Usage, from anywhere:  installer/linux/build.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
VERSION=$(python3 -c "import tomllib; print(tomllib.load(open('pyproject.toml','rb'))['project']['version'])")
BUILD_VENV="$ROOT/.venv-build"
start=$(date +%s)
if [ ! -x "$BUILD_VENV/bin/python" ]; then
    python3 -m venv "$BUILD_VENV"
fi
"$BUILD_VENV/bin/python" -m pip install --quiet --upgrade pip
"$BUILD_VENV/bin/python" -m pip install --quiet "torch==2.13.0"
# Freeze a snapshot of the tree (its tracked and new files, as git sees them), so that an edit
# made while the build runs cannot put two versions of the code into one bundle.
SRC="$ROOT/build/src"
rm -rf "$SRC"
mkdir -p "$SRC"
if git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1; then
    git -C "$ROOT" ls-files -z --cached --others --exclude-standard \
        | python3 -c "import os, shutil, sys
for name in sorted(set(sys.stdin.read().split('\0')) - {''}):
    if os.path.isfile(name):
        os.makedirs(os.path.join(sys.argv[1], os.path.dirname(name)), exist_ok=True)
        shutil.copy2(name, os.path.join(sys.argv[1], name))" "$SRC"
else  # an unpacked source archive: copy it, less the environments and build outputs
    tar -C "$ROOT" --exclude=./.venv --exclude=./.venv-build --exclude=./build --exclude=./dist -cf - . \
        | tar -C "$SRC" -xf -
fi
"$BUILD_VENV/bin/python" -m pip install --quiet "$SRC[gui]" "pyinstaller>=6.10"
# Same version number, new code: reinstall so the bundled package metadata is this snapshot's.
"$BUILD_VENV/bin/python" -m pip install --quiet --no-deps --force-reinstall "$SRC"
rm -rf build/pyinstaller dist/MusicMatch
"$BUILD_VENV/bin/pyinstaller" "$SRC/installer/musicmatch.spec" --noconfirm --clean \
    --workpath build/pyinstaller --distpath dist
cp "$SRC/installer/linux/musicmatch.desktop" dist/MusicMatch/
cp "$SRC/resources/musicmatch.png" dist/MusicMatch/musicmatch.png
cp "$SRC/installer/linux/install.sh" dist/MusicMatch/
echo "$VERSION" > dist/MusicMatch/VERSION
archive="dist/MusicMatch-$VERSION-linux-x86_64.tar.gz"
tar -C dist -czf "$archive" MusicMatch
echo "bundle:  dist/MusicMatch ($(du -sh dist/MusicMatch | cut -f1))"
echo "archive: $archive ($(du -sh "$archive" | cut -f1))"
echo "built in $(( $(date +%s) - start )) s"
