#!/usr/bin/env bash
# Regenerates the README's screenshots: the real window (release build) on
# the demo ledger under Xvfb, one PNG per screen, plus three indicators
# (per district, lower is better, a percentage) and a chart file as
# `taizhang export chart` draws it. Needs xvfb (Debian).
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
# 自上次会议以来 needs a meeting before: one at the end of July on a copy made
# before any screenshot starts one.
cp "$work/demo.sqlite3" "$work/meet.sqlite3"
"$bin" --db "$work/meet.sqlite3" meeting start --as-of 2023-07-31 >/dev/null
shot() { # name view [extra args…]
    local name=$1 view=$2; shift 2
    xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
        "$bin" --db "$work/demo.sqlite3" --screenshot "assets/screenshots/$name.png" --view "$view" "$@"
    echo "assets/screenshots/$name.png"
}
for view in overview plan indicator settings; do
    shot "$view" "$view"
done
# The next meeting, at the end of September, opens on what changed since July.
xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
    "$bin" --db "$work/meet.sqlite3" --screenshot assets/screenshots/meeting-since.png --view meeting --as-of 2023-09-30
echo assets/screenshots/meeting-since.png
# 历年对比: the demo's Qingdao plan of 2023 (plan 4), its smart-community line.
shot indicator-lineage indicator --plan 4 --indicator 2023-04-009 --indicator-tab lineage --as-of 2023-06-30
shot units units --as-of 2023-06-30
shot import import --import "seeds/returns/淄川区_2023年前三季度_进展情况统计表.xlsx"
# The demo plan's codes: 应用场景数（各区县）, 平均PUE, 字段共享率.
shot indicator-per-district indicator --indicator 2023-01-010
shot indicator-lower-is-better indicator --indicator 2023-01-022
shot indicator-percentage indicator --indicator 2023-01-003 --as-of 2023-06-30
"$bin" --db "$work/demo.sqlite3" export chart --indicator 2023-01-021 --as-of 2023-09-30 \
    assets/screenshots/chart-racks.png
# The coordinator's year in the window, on a copy of the demo: 新建智慧社区数
# (2023-01-018) split among the districts (任务分解), a figure corrected with
# its reason and the target revised (修改记录, 修改指标).
cp "$work/demo.sqlite3" "$work/year.sqlite3"
year() { "$bin" --db "$work/year.sqlite3" "$@" >/dev/null; }
for pair in 张店区:12 淄川区:10 博山区:6 临淄区:10 周村区:7 桓台县:7 高青县:5 沂源县:5 高新区:6 经开区:4 文昌湖省级旅游度假区:3; do
    year targets set --indicator 2023-01-018 --unit "${pair%%:*}" --target "${pair##*:}"
done
year report correct --indicator 2023-01-018 --unit 张店区 --period 2023-06 --value 10 --reason 区县来函更正
year indicator edit 2023-01-018 --target 80 --reason 市政府常务会议调增
yshot() { # name tab
    xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
        "$bin" --db "$work/year.sqlite3" --screenshot "assets/screenshots/$1.png" --view indicator \
        --indicator 2023-01-018 --indicator-tab "$2" --as-of 2023-12-31
    echo "assets/screenshots/$1.png"
}
yshot indicator-targets targets
yshot indicator-history history
yshot indicator-edit edit
# A saved plan's task edited and an indicator retired (计划), the change log
# with them (留痕), the review of a plan document with its fields editor,
# and two screens in English.
year plan task 一/1 --deadline 2023-10-31 --lead 张店区 --support 市大数据局
year indicator retire 2023-01-001 --reason 并入2023-01-002
xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
    "$bin" --db "$work/year.sqlite3" --screenshot assets/screenshots/audit.png --view audit
echo assets/screenshots/audit.png
shot plan-review plan --import seeds/004_ab0cb6b6d6a23def.txt
shot overview-en overview --lang en
xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
    "$bin" --db "$work/year.sqlite3" --screenshot assets/screenshots/indicator-edit-en.png --view indicator \
    --indicator 2023-01-018 --indicator-tab edit --as-of 2023-12-31 --lang en
echo assets/screenshots/indicator-edit-en.png
