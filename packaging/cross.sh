#!/usr/bin/env bash
# The other platforms, built and run here: the Windows .exe and its
# installer (under Wine), the aarch64 .deb (under qemu-user), and the x86-64
# .deb installed with apt on a clean Debian root. Installs what it needs
# (Debian packages, Rust targets) when missing. Called by .ci/run after the
# x86-64 .deb is built; runs alone too:
#   bash packaging/cross.sh
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
step() { printf '\n== %s (%ss)\n' "$1" "$(($(date +%s) - started))"; }

step "cross toolchains"
need=()
for p in gcc-mingw-w64-x86-64 nsis wine wine64 gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user \
         desktop-file-utils debootstrap file xvfb xauth imagemagick; do
    dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
    echo "installing: ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
installed=$(rustup target list --installed)
for t in x86_64-pc-windows-gnu aarch64-unknown-linux-gnu; do
    grep -qx "$t" <<<"$installed" || rustup target add "$t"
done

step "Windows: taizhang.exe and its installer (packaging/build-windows.sh)"
bash packaging/build-windows.sh

step "Windows: under Wine (packaging/check-windows.sh)"
bash packaging/check-windows.sh

step "ARM64 Linux: the .deb, run under qemu-aarch64 (packaging/build-arm64.sh)"
bash packaging/build-arm64.sh

step "x86-64 Linux: the .deb installed with apt on a clean Debian 12 (packaging/check-deb-install.sh)"
bash packaging/check-deb-install.sh

step "other platforms done"
