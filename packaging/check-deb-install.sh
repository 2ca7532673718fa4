#!/usr/bin/env bash
# Installs the x86-64 .deb as a user would on a clean Debian 12 (a throwaway
# root made by debootstrap, kept between runs as a tarball): `apt-get install
# ./taizhang_….deb` pulls its dependencies, the desktop entry validates, the
# program starts from it (its Exec line, on this machine's Xvfb, with the
# Mesa drivers a desktop has) and takes a screenshot, then `apt-get remove`
# takes every file of the package away again.
#   apt-get install debootstrap desktop-file-utils xvfb      (Debian; run as root)
#   bash packaging/check-deb-install.sh [PACKAGE.deb]
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir="${CARGO_TARGET_DIR:-target}"
deb="${1:-$(ls -t "$target_dir"/debian/taizhang_*_amd64.deb | head -1)}"
cache="${TAIZHANG_DEBOOTSTRAP_CACHE:-$HOME/.cache/taizhang/bookworm-minbase.tar}"
work=$(mktemp -d)
root="$work/root"
cleanup() {
    for m in dev/pts dev proc tmp/.X11-unix; do umount "$root/$m" 2>/dev/null || true; done
    [ -n "${xvfb:-}" ] && kill "$xvfb" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$root"
if [ -s "$cache" ]; then
    tar -xf "$cache" -C "$root"
else
    debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 \
        || { tail -20 "$work/debootstrap.log"; exit 1; }
    mkdir -p "$(dirname "$cache")"
    tar -cf "$cache" -C "$root" .
fi
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
cp /etc/resolv.conf "$root/etc/resolv.conf"
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }
cp "$deb" "$root/tmp/"
in_root apt-get update -qq
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "/tmp/$(basename "$deb")" >"$work/install.log" 2>&1 \
    || { tail -20 "$work/install.log"; exit 1; }
echo "  apt-get install ./$(basename "$deb"): installed with its dependencies"
desktop="$root/usr/share/applications/taizhang.desktop"
desktop-file-validate "$desktop"
echo "  desktop-file-validate: ok"
exec_line=$(sed -n 's/^Exec=//p' "$desktop" | sed 's/ %[fFuU]//g')
[ -n "$exec_line" ] || { echo "no Exec line"; exit 1; }
echo "  Exec=$exec_line → $(in_root $exec_line --version)"
# The window from the desktop entry's command, as a desktop would start it:
# the host's Xvfb, the Mesa drivers every desktop has.
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    mesa-vulkan-drivers libgl1-mesa-dri libegl1 >"$work/mesa.log" 2>&1 || { tail -5 "$work/mesa.log"; exit 1; }
Xvfb :87 -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
sleep 2
mkdir -p "$root/tmp/.X11-unix"
mount --bind /tmp/.X11-unix "$root/tmp/.X11-unix"
in_root env DISPLAY=:87 XDG_RUNTIME_DIR=/tmp $exec_line --db /tmp/t.sqlite3 --screenshot /tmp/shot.png --view welcome \
    >"$work/window.log" 2>&1 || { tail -5 "$work/window.log"; exit 1; }
[ -s "$root/tmp/shot.png" ] || { echo "no screenshot"; exit 1; }
colours=$(convert "$root/tmp/shot.png" -format '%k' info:)
[ "$colours" -gt 10 ] || { echo "the window drew nothing ($colours colours)"; exit 1; }
echo "  the window started from the entry's command: welcome screen, $(identify -format '%wx%h' "$root/tmp/shot.png"), $colours colours"
[ -z "${DEB_SHOT_TO:-}" ] || cp "$root/tmp/shot.png" "$DEB_SHOT_TO"
files=$(in_root dpkg -L taizhang | grep -c '^/usr/.*\.' || true)
in_root env DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq --purge taizhang >/dev/null
for f in usr/bin/taizhang usr/share/applications/taizhang.desktop usr/share/icons/hicolor/256x256/apps/taizhang.png; do
    [ ! -e "$root/$f" ] || { echo "apt-get remove left /$f"; exit 1; }
done
echo "  apt-get remove --purge: the package's $files files are gone"
