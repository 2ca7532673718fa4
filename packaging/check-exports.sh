#!/usr/bin/env bash
# Converts the meeting workbook and a unit's template, made from the demo
# ledger, to PDF with LibreOffice headless and fails on any error; the first
# page of each is also rendered to PNG (pdftoppm) for a look; an
# indicator chart is drawn as PNG and SVG and checked.
#   apt-get install libreoffice-calc-nogui poppler-utils   (Debian)
#   bash packaging/check-exports.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-$(mktemp -d)}"
mkdir -p "$out"
bin="${TAIZHANG_BIN:-${CARGO_TARGET_DIR:-target}/debug/taizhang}"
[ -x "$bin" ] || cargo build --locked
db="$out/check.sqlite3"
rm -f "$db" "$db-wal" "$db-shm"
"$bin" --db "$db" demo >/dev/null
"$bin" --db "$db" export report --as-of 2023-09-30 "$out/report.xlsx"
"$bin" --db "$db" export template --unit 张店区 --period 2023-10 "$out/template.xlsx"
export HOME="$out/home"   # LibreOffice writes a profile; keep it out of the user's
for f in report template; do
    rm -f "$out/$f.pdf"
    if ! timeout 180 soffice --headless --norestore --convert-to pdf --outdir "$out" "$out/$f.xlsx" >"$out/$f.log" 2>&1; then
        echo "LibreOffice failed on $f.xlsx:"; cat "$out/$f.log"; exit 1
    fi
    if grep -qi "error" "$out/$f.log"; then
        echo "LibreOffice reported an error on $f.xlsx:"; cat "$out/$f.log"; exit 1
    fi
    [ -s "$out/$f.pdf" ] || { echo "no PDF for $f.xlsx"; exit 1; }
    pages=$(pdfinfo "$out/$f.pdf" | awk '/^Pages:/{print $2}')
    pdftoppm -png -r 60 -f 1 -l 1 "$out/$f.pdf" "$out/$f-page"
    echo "$f.xlsx -> $f.pdf: $pages pages; first page $(ls "$out/$f-page"*.png)"
done
# An indicator's chart for print, as PNG and SVG: a real picture (many
# colours, the size asked for) and an SVG ImageMagick can read.
"$bin" --db "$db" export chart --indicator 2023-01-021 --as-of 2023-09-30 "$out/chart.png" >/dev/null
"$bin" --db "$db" export chart --indicator 2023-01-010 --as-of 2023-12-31 "$out/chart.svg" >/dev/null
size=$(identify -format '%wx%h' "$out/chart.png")
colours=$(convert "$out/chart.png" -format '%k' info:)
[ "$size" = 1600x900 ] && [ "$colours" -gt 20 ] || { echo "chart.png: $size, $colours colours"; exit 1; }
grep -q '<svg' "$out/chart.svg" && grep -q '各区县' "$out/chart.svg" || { echo "chart.svg lacks the chart"; exit 1; }
echo "chart.png: $size, $colours colours; chart.svg: $(wc -c <"$out/chart.svg") bytes"
