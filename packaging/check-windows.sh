#!/usr/bin/env bash
# Runs the Windows build under Wine, as a user on a Windows PC would use it:
# the .exe's commands (version, the demo into the default ledger under
# %APPDATA%, status, a return imported, the meeting workbook), the installer
# run silently into a fresh Wine prefix, the installed program, the
# uninstaller (which keeps the ledger), the window (glow, under Xvfb), and
# the library's unit tests built for Windows (the Windows-only code: network
# shares by GetDriveTypeW and UNC paths, the default data folder).
#   apt-get install wine gcc-mingw-w64-x86-64 xvfb xauth imagemagick   (Debian)
#   bash packaging/build-windows.sh && bash packaging/check-windows.sh
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir="${CARGO_TARGET_DIR:-target}"
exe="$(cd "$target_dir" && pwd)/x86_64-pc-windows-gnu/release/taizhang.exe"
setup=$(ls -t "$target_dir"/packages/taizhang-*-setup.exe | head -1)
work=$(mktemp -d)
export WINEPREFIX="$work/prefix" WINEARCH=win64 WINEDEBUG=-all
cleanup() { wineserver -k 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
say() { printf '  %s\n' "$*"; }
fail() { echo "FAIL: $*"; exit 1; }
# A Windows path for a path here (Wine maps Z: to /).
winpath() { local p; p=$(realpath -m "$1"); echo "Z:${p//\//\\}"; }

wineboot --init >/dev/null 2>&1
wineserver -w
# Wine 8 lacks ProcessPrng, which every Rust program imports (test only).
x86_64-w64-mingw32-gcc -shared -O2 -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
    packaging/windows/wine-shim/bcp.c -ladvapi32
users="$WINEPREFIX/drive_c/users/$(whoami)"

echo "the .exe's commands"
version=$(wine "$exe" --version | tr -d '\r')
say "--version: $version"
[[ "$version" == taizhang* ]] || fail "--version printed '$version'"
wine "$exe" demo >/dev/null
ledger="$users/AppData/Roaming/Taizhang/data/taizhang.sqlite3"
[ -s "$ledger" ] || fail "the demo did not make the ledger in %APPDATA%\\Taizhang\\data"
say "demo: the default ledger is %APPDATA%\\Taizhang\\data\\taizhang.sqlite3 ($(du -k "$ledger" | cut -f1) KB)"
wine "$exe" status --as-of 2023-06-30 --json | tr -d '\r' >"$work/status.json"
python3 - "$work/status.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1], encoding="utf-8"))
assert s["period_due"] == "2023-05", s["period_due"]
assert len(s["indicators"]) == 24, len(s["indicators"])
print(f"  status --json: {len(s['indicators'])} indicators, period due {s['period_due']}")
PY
db=$(winpath "$work/import.sqlite3")
wine "$exe" --db "$db" demo >/dev/null
ret=$(winpath "seeds/returns/张店区_2023年6月_大数据工作进展情况统计表.xlsx")
wine "$exe" --db "$db" returns import "$ret" --force --json | tr -d '\r' >"$work/import.json"
python3 - "$work/import.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))[0]
assert r["batch"] and r["unit"] == "张店区" and len(r["rows"]) >= 11, r
print(f"  returns import: {r['file']} → batch {r['batch']}, {len(r['rows'])} rows, unit {r['unit']}")
PY
wine "$exe" --db "$db" export report --as-of 2023-09-30 "$(winpath "$work/report.xlsx")" >/dev/null
head -c 2 "$work/report.xlsx" | grep -q PK || fail "export report wrote no workbook"
say "export report: $(du -k "$work/report.xlsx" | cut -f1) KB workbook"

echo "the installer, silently, per user"
wine "$setup" /S
wineserver -w
inst="$users/AppData/Local/Programs/Taizhang"
for f in taizhang.exe uninstall.exe FONT-LICENSE-OFL.txt; do
    [ -s "$inst/$f" ] || fail "the installer did not install $f"
done
lnk=$(find "$users" -name '台账 Taizhang.lnk' | head -1)
[ -n "$lnk" ] || fail "no Start-menu entry"
say "installed into %LOCALAPPDATA%\\Programs\\Taizhang; Start menu: ${lnk#"$users/"}"
installed=$(wine "$inst/taizhang.exe" --version | tr -d '\r')
[ "$installed" = "$version" ] || fail "the installed program says '$installed'"
say "the installed taizhang.exe runs: $installed"
wine "$inst/uninstall.exe" /S
wineserver -w
sleep 2
wineserver -w
[ ! -e "$inst/taizhang.exe" ] || fail "the uninstaller left taizhang.exe"
[ -z "$(find "$users" -name '台账 Taizhang.lnk')" ] || fail "the uninstaller left the Start-menu entry"
[ -s "$ledger" ] || fail "the uninstaller removed the ledger"
say "uninstalled: the program and its Start-menu entry are gone, the ledger is kept"

echo "the window under Wine (glow, Xvfb)"
shot="$work/wine-overview.png"
if TAIZHANG_RENDERER=glow timeout 120 xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
    wine "$exe" --db "$db" --screenshot "$(winpath "$shot")" --view overview >"$work/window.log" 2>&1 \
    && [ -s "$shot" ]; then
    colours=$(convert "$shot" -format '%k' info:)
    [ "$colours" -gt 10 ] || fail "the window under Wine rendered nothing ($colours colours)"
    say "overview: $(identify -format '%wx%h' "$shot"), $colours colours"
    [ -z "${WINE_SHOT_TO:-}" ] || cp "$shot" "$WINE_SHOT_TO"
else
    echo "the window did not start under Wine:"; tail -5 "$work/window.log"; exit 1
fi

echo "the library's unit tests, built for Windows, under Wine"
tests=$(cargo test --locked --target x86_64-pc-windows-gnu --no-default-features --lib --no-run \
    --message-format=json 2>/dev/null | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["target"]["kind"] == ["lib"]:
        print(m["executable"])')
[ -n "$tests" ] || fail "the unit tests did not build for Windows"
wine "$tests" --test-threads 1 2>&1 | tr -d '\r' | tee "$work/tests.log" | grep -E '^test result' || true
grep -q '^test result: ok' "$work/tests.log" || { grep -E 'FAILED|panicked' "$work/tests.log"; fail "unit tests under Wine"; }
grep -q 'unc_paths_are_network_shares_and_drive_letters_are_asked ... ok' "$work/tests.log" \
    || fail "the Windows-only test did not run"
echo "Windows: all checks passed"
