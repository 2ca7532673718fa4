#!/usr/bin/env bash
# Cross-builds the .deb for 64-bit ARM desktops (统信UOS and 银河麒麟 on 飞腾 /
# 鲲鹏 CPUs) and runs its binary under qemu-user: --version, the demo,
# status --json.
#   rustup target add aarch64-unknown-linux-gnu
#   apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user   (Debian)
#   bash packaging/build-arm64.sh     → $CARGO_TARGET_DIR/aarch64-unknown-linux-gnu/debian/taizhang_*_arm64.deb
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir="${CARGO_TARGET_DIR:-target}"
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc
export CC_aarch64_unknown_linux_gnu=aarch64-linux-gnu-gcc
command -v cargo-deb >/dev/null || cargo install cargo-deb --locked --quiet
cargo deb --locked --quiet --target aarch64-unknown-linux-gnu
deb=$(ls -t "$target_dir"/aarch64-unknown-linux-gnu/debian/taizhang_*_arm64.deb | head -1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dpkg -x "$deb" "$work/root"
bin="$work/root/usr/bin/taizhang"
file "$bin" | grep -q 'ARM aarch64' || { echo "not an aarch64 binary: $(file "$bin")"; exit 1; }
run() { qemu-aarch64 -L /usr/aarch64-linux-gnu "$bin" "$@"; }
echo "  $(basename "$deb"): $(du -k "$deb" | cut -f1) KB, $(dpkg-deb -f "$deb" Installed-Size) KiB installed"
echo "  under qemu-aarch64: $(run --version)"
run --db "$work/demo.sqlite3" demo >/dev/null
run --db "$work/demo.sqlite3" status --as-of 2023-06-30 --json >"$work/status.json"
python3 - "$work/status.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1], encoding="utf-8"))
assert s["period_due"] == "2023-05" and len(s["indicators"]) == 24, s["period_due"]
print(f"  demo and status --json: {len(s['indicators'])} indicators, {s['summary']}")
PY
