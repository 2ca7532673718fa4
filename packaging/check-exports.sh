#!/usr/bin/env bash
# Converts the meeting workbook and a unit's template, made from the demo
# ledger, to PDF with LibreOffice headless and fails on any error; the first
# page of each is also rendered to PNG (pdftoppm) for a look.
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
