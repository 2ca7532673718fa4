#!/usr/bin/env bash
# Cross-builds taizhang.exe for 64-bit Windows with the GNU toolchain (icon
# and version information embedded by build.rs; no console window for the
# window, the console attached for commands) and its per-user NSIS installer.
#   rustup target add x86_64-pc-windows-gnu
#   apt-get install gcc-mingw-w64-x86-64 nsis          (Debian)
#   bash packaging/build-windows.sh      → $CARGO_TARGET_DIR/packages/taizhang-VERSION-setup.exe
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir="${CARGO_TARGET_DIR:-target}"
cargo build --release --locked --target x86_64-pc-windows-gnu
exe="$target_dir/x86_64-pc-windows-gnu/release/taizhang.exe"
version=$(awk -F'"' '/^version = /{print $2; exit}' Cargo.toml)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp "$exe" "$stage/taizhang.exe"
cp packaging/icons/taizhang.ico README.md LICENSE-MIT LICENSE-APACHE "$stage/"
cp assets/fonts/OFL.txt "$stage/FONT-LICENSE-OFL.txt"
mkdir -p "$target_dir/packages"
setup="$(cd "$target_dir/packages" && pwd)/taizhang-$version-setup.exe"
makensis -V2 -DVERSION="$version" -DSTAGE="$stage" -DOUTFILE="$setup" packaging/windows/installer.nsi
echo "$(basename "$exe"): $(du -k "$exe" | cut -f1) KB; $(basename "$setup"): $(du -k "$setup" | cut -f1) KB"
