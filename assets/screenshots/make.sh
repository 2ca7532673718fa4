#!/usr/bin/env bash
# Regenerates the README's screenshots: the real window (release build) on
# the demo ledger under Xvfb, one PNG per screen. Needs xvfb (Debian).
#   bash assets/screenshots/make.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
# SCREENSHOT_BIN picks another build (and skips this one).
if [ -z "${SCREENSHOT_BIN:-}" ]; then
    cargo build --release --locked
fi
bin="${SCREENSHOT_BIN:-${CARGO_TARGET_DIR:-target}/release/taizhang}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_RUNTIME_DIR="$work/xdg"
mkdir -p -m 0700 "$XDG_RUNTIME_DIR"
"$bin" --db "$work/demo.sqlite3" demo >/dev/null
for view in overview plan indicator units import meeting settings; do
    extra=()
    if [ "$view" = import ]; then
        extra=(--import "seeds/returns/淄川区_2023年前三季度_进展情况统计表.xlsx")
    fi
    xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
        "$bin" --db "$work/demo.sqlite3" --screenshot "assets/screenshots/$view.png" --view "$view" "${extra[@]}"
    echo "assets/screenshots/$view.png"
done
