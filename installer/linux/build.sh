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
"$BUILD_VENV/bin/python" -m pip install --quiet ".[gui]" "pyinstaller>=6.10"
# The bundle is made from the installed copy: make sure it is this tree, even at the same version.
"$BUILD_VENV/bin/python" -m pip install --quiet --no-deps --force-reinstall .
rm -rf build/pyinstaller dist/MusicMatch
"$BUILD_VENV/bin/pyinstaller" installer/musicmatch.spec --noconfirm --clean \
    --workpath build/pyinstaller --distpath dist
cp installer/linux/musicmatch.desktop dist/MusicMatch/
cp resources/musicmatch.png dist/MusicMatch/musicmatch.png
cp installer/linux/install.sh dist/MusicMatch/
echo "$VERSION" > dist/MusicMatch/VERSION
archive="dist/MusicMatch-$VERSION-linux-x86_64.tar.gz"
tar -C dist -czf "$archive" MusicMatch
echo "bundle:  dist/MusicMatch ($(du -sh dist/MusicMatch | cut -f1))"
echo "archive: $archive ($(du -sh "$archive" | cut -f1))"
echo "built in $(( $(date +%s) - start )) s"
