#!/usr/bin/env bash
# Check the Linux archive on a bare Debian system that has only the packages the README lists.
#
# Makes a minimal Debian 12 root with debootstrap, installs RUNTIME_PACKAGES into it and
# nothing else (no Python), unpacks the archive there, runs its install.sh as a user would,
# then runs the installed `musicmatch` inside that root: --version, demo, recommend, and the
# app's --screenshot offscreen and, when Xvfb is on this machine, in a real X11 window.
# Needs root (debootstrap, chroot) and Debian's package mirror.
#
# Usage:  installer/linux/check_minimal.sh [dist/MusicMatch-<version>-linux-x86_64.tar.gz]
# Exit status: 0 passed, 1 a check failed, 3 this machine cannot run the check (not root,
# no debootstrap, no mirror): it says which, and nothing was checked.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
VERSION=$(python3 -c "import tomllib; print(tomllib.load(open('$ROOT/pyproject.toml','rb'))['project']['version'])")
ARCHIVE="${1:-$ROOT/dist/MusicMatch-$VERSION-linux-x86_64.tar.gz}"
# What the bundle needs from the system; everything else (Qt, PortAudio, PulseAudio's client,
# FFmpeg, Python) is inside it. The README's "Installing the Linux build" lists the same.
RUNTIME_PACKAGES="libgl1 libegl1 fonts-dejavu-core fontconfig-config"
SUITE=bookworm
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

cannot() { echo "check_minimal: cannot run here: $*" >&2; exit 3; }
fail() { echo "check_minimal: FAILED: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || cannot "needs root (debootstrap and chroot)"
command -v debootstrap >/dev/null || cannot "debootstrap is not installed (apt-get install debootstrap)"
[ -f "$ARCHIVE" ] || fail "$ARCHIVE: no such archive (build it with installer/linux/build.sh)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/musicmatch-minimal.XXXXXX")
SYS="$WORK/root"
XVFB_PID=""
cleanup() {
    [ -n "$XVFB_PID" ] && kill "$XVFB_PID" 2>/dev/null || true
    for m in "$SYS/tmp/.X11-unix" "$SYS/proc"; do mountpoint -q "$m" 2>/dev/null && umount "$m"; done
    rm -rf "$WORK"
}
trap cleanup EXIT
start=$(date +%s)

echo "== bare Debian ($SUITE, minbase) in $SYS"
debootstrap --variant=minbase "$SUITE" "$SYS" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 \
    || { tail -5 "$WORK/debootstrap.log" >&2; cannot "debootstrap from $MIRROR failed"; }
mount -t proc proc "$SYS/proc" 2>/dev/null || echo "(no /proc inside: mounting is not allowed here)"
# Each step inside gets at most STEP_TIMEOUT seconds: a hung app must fail the check, not stall it.
inside() { timeout "${STEP_TIMEOUT:-600}" chroot "$SYS" /usr/bin/env -i PATH=/usr/bin:/bin:/usr/sbin:/sbin \
    HOME=/root LANG=C.UTF-8 "$@"; }
inside sh -c '! command -v python3 && ! command -v python' >/dev/null || fail "the bare system has a Python"

echo "== system packages: $RUNTIME_PACKAGES"
inside env DEBIAN_FRONTEND=noninteractive sh -c \
    "apt-get update -qq && apt-get install -y -qq --no-install-recommends $RUNTIME_PACKAGES" \
    >"$WORK/apt.log" 2>&1 || { tail -5 "$WORK/apt.log" >&2; cannot "apt-get inside the bare system failed"; }

echo "== unpack $(basename "$ARCHIVE") and run its install.sh"
mkdir -p "$SYS/root/Downloads"
tar -C "$SYS/root/Downloads" -xzf "$ARCHIVE"
inside /root/Downloads/MusicMatch/install.sh
MM=/root/.local/bin/musicmatch
grep -q "^Exec=/root/.local/opt/MusicMatch/musicmatch-gui" "$SYS/root/.local/share/applications/musicmatch.desktop" \
    || fail "install.sh did not point the desktop entry at the installed app"

echo "== musicmatch --version"
got=$(inside "$MM" --version)
[ "$got" = "musicmatch $VERSION" ] || fail "--version printed '$got', expected 'musicmatch $VERSION'"

echo "== musicmatch demo, recommend"
inside "$MM" demo --out /root/demo >"$WORK/demo.log" 2>&1 || { tail -5 "$WORK/demo.log" >&2; fail "demo"; }
inside "$MM" recommend /root/demo/demo_fast_cuts.mp4 --db /root/demo/library.sqlite --device cpu --json \
    >"$WORK/recommend.json" 2>"$WORK/recommend.log" || { tail -5 "$WORK/recommend.log" >&2; fail "recommend"; }
grep -q '"rank": 1' "$WORK/recommend.json" || fail "recommend printed no ranked tracks"

screenshot() {  # $1: name, then environment for the app
    local name=$1; shift
    inside "$@" "$MM" gui --video /root/demo/demo_calm_warm.mp4 --db /root/demo/library.sqlite --device cpu \
        --screenshot "/root/$name.png" >"$WORK/$name.log" 2>&1 || { tail -5 "$WORK/$name.log" >&2; fail "gui ($name)"; }
    [ -f "$SYS/root/$name.png" ] || fail "gui ($name): no screenshot was written"
    [ "$(stat -c %s "$SYS/root/$name.png")" -gt 50000 ] || fail "gui ($name): the screenshot is nearly empty"
    if grep -q "Fontconfig error" "$WORK/$name.log"; then fail "gui ($name): no usable fonts"; fi
    [ -z "${KEEP_SCREENSHOTS:-}" ] || cp "$SYS/root/$name.png" "$KEEP_SCREENSHOTS/minimal-$name.png"
}
echo "== musicmatch gui --screenshot (offscreen)"
screenshot offscreen env QT_QPA_PLATFORM=offscreen
if command -v Xvfb >/dev/null; then
    echo "== musicmatch gui --screenshot (X11 window on Xvfb)"
    display=:$(( 90 + RANDOM % 100 ))
    Xvfb "$display" -screen 0 1440x900x24 -nolisten tcp >/dev/null 2>&1 &
    XVFB_PID=$!
    for _ in $(seq 50); do [ -S "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done
    mkdir -p "$SYS/tmp/.X11-unix"
    mount --bind /tmp/.X11-unix "$SYS/tmp/.X11-unix"
    screenshot x11 env DISPLAY="$display" QT_QPA_PLATFORM=xcb
else
    echo "(no Xvfb here: the X11 window was not checked)"
fi
echo "check_minimal: passed in $(( $(date +%s) - start )) s on Debian $SUITE with only: $RUNTIME_PACKAGES"
