//! Who reported and for which month: the reporting unit from 填报单位 /
//! 报送单位 lines, the title, the sheet name or the file name (through the
//! units catalogue and its aliases); the period from the title, 截至 / 统计时间
//! lines, the notes, the sheet name or the file name — never from 填报时间.

use crate::domain::text::fold;
use crate::domain::{Period, Unit, UnitKind};

/// Words after which a unit's name stands.
const UNIT_LABELS: &[&str] = &[
    "填报单位",
    "报送单位",
    "填表单位",
    "单位名称",
    "报送部门",
    "填报部门",
];
/// Labels of the filling-in date, which is not the period.
const FILL_DATE_LABELS: &[&str] = &[
    "填报时间",
    "填报日期",
    "填表时间",
    "填表日期",
    "报送时间",
    "报送日期",
    "导出时间",
    "打印时间",
    "制表时间",
];
/// Suffixes of an organisation that the catalogue names without.
const ORG_SUFFIXES: &[&str] = &[
    "大数据管理局",
    "大数据局",
    "大数据中心",
    "人民政府",
    "政府",
    "管委会",
    "管理委员会",
    "办公室",
    "数据局",
    "工委",
];

/// The unit a text names, canonical: `(name, kind)`. A department's
/// sub-unit (淄博市大数据局数据资源管理科) keeps its own full name.
pub fn unit_in(text: &str, units: &[Unit]) -> Option<(String, UnitKind)> {
    let t: String = fold(text).chars().filter(|c| !c.is_whitespace()).collect();
    if t.is_empty() {
        return None;
    }
    if let Some(found) = unit_named(&t, units) {
        return Some(found);
    }
    // The longest catalogue name or alias inside the text.
    let mut best: Option<(&Unit, usize, usize)> = None;
    for u in units {
        for n in std::iter::once(&u.name).chain(&u.aliases) {
            let n = fold(n);
            if let Some(pos) = t.find(&n)
                && best.is_none_or(|b| n.len() > b.1)
            {
                best = Some((u, n.len(), pos));
            }
        }
    }
    let (u, len, pos) = best?;
    if u.kind == UnitKind::Department {
        // A section of a department reports under its own full name.
        let rest = &t[pos + len..];
        let sub: String = rest
            .chars()
            .take_while(|c| crate::domain::text::is_han(*c))
            .collect();
        if !sub.is_empty()
            && ["科", "处", "室", "中心", "股", "办", "部"]
                .iter()
                .any(|e| sub.ends_with(e))
            && sub.chars().count() <= 12
        {
            let whole: String = t[pos..pos + len].to_string() + &sub;
            return Some((whole, UnitKind::Department));
        }
    }
    Some((u.name.clone(), u.kind))
}

/// The unit a cell is the name of, canonical: a catalogue name or alias,
/// alone or with an office's suffix (张店区大数据局); not a text that only
/// mentions one (张店区新建智慧社区数).
pub fn unit_named(text: &str, units: &[Unit]) -> Option<(String, UnitKind)> {
    let t: String = fold(text).chars().filter(|c| !c.is_whitespace()).collect();
    // A leading sequence number (1.张店区) is not part of the name.
    let t = t.trim_start_matches(|c: char| c.is_ascii_digit() || ".、 ".contains(c));
    let exact = |s: &str| {
        units
            .iter()
            .find(|u| fold(&u.name) == s || u.aliases.iter().any(|a| fold(a) == s))
    };
    if let Some(u) = exact(t) {
        return Some((u.name.clone(), u.kind));
    }
    ORG_SUFFIXES.iter().find_map(|suf| {
        let u = exact(t.strip_suffix(suf)?)?;
        Some((u.name.clone(), u.kind))
    })
}

/// The text after a label in a cell: "填报单位：张店区大数据局  填报时间：…" → 张店区大数据局.
fn after_label(cell: &str, labels: &[&str]) -> Option<String> {
    let f = fold(cell);
    let (_, rest) = labels
        .iter()
        .find_map(|l| f.find(l).map(|p| (p, &f[p + l.len()..])))?;
    // Skip (盖章) and the colon.
    let rest = rest.trim_start();
    let rest = if rest.starts_with('(') {
        rest.find(')').map_or(rest, |p| &rest[p + 1..])
    } else {
        rest
    };
    let rest = rest.trim_start_matches([':', ' ']).trim_start();
    let mut end = rest.len();
    for stop in FILL_DATE_LABELS
        .iter()
        .chain(["联系人", "电话", "  ", "\t"].iter())
    {
        if let Some(p) = rest.find(stop) {
            end = end.min(p);
        }
    }
    let v = rest[..end].trim().trim_end_matches([',', ';']).trim();
    (!v.is_empty()).then(|| v.to_string())
}

/// The unit of a return: the 填报单位 line, else the title lines, else the
/// sheet name, else the file name.
pub fn unit(
    lines: &[String],
    sheet_name: &str,
    file_name: &str,
    units: &[Unit],
) -> Option<(String, UnitKind)> {
    lines
        .iter()
        .find_map(|l| after_label(l, UNIT_LABELS).and_then(|v| unit_in(&v, units)))
        .or_else(|| lines.iter().find_map(|l| unit_in(&cut_fill_date(l), units)))
        .or_else(|| unit_in(sheet_name, units))
        .or_else(|| unit_in(file_name, units))
}

/// Words that, right after a date, make it the day the form was filled in,
/// sent or printed (（2023年7月5日填报）), not the period.
const FILL_VERBS: &[&str] = &[
    "填报", "填表", "报送", "上报", "导出", "打印", "制表", "印发",
];

/// A line without its filling-in date part: what follows a 填报时间 label,
/// and a date followed by 填报 / 报送 ….
fn cut_fill_date(line: &str) -> String {
    let f = fold(line);
    let cut = FILL_DATE_LABELS
        .iter()
        .filter_map(|l| f.find(l))
        .min()
        .unwrap_or(f.len());
    let mut out = f[..cut].to_string();
    for verb in FILL_VERBS {
        let mut from = 0;
        while let Some(at) = out[from..].find(verb).map(|p| p + from) {
            match date_before(&out[..at]) {
                Some(start) => {
                    out.replace_range(start..at + verb.len(), " ");
                    from = start + 1;
                }
                None => from = at + verb.len(),
            }
        }
    }
    out
}

/// Where a date with its day (2023年7月5日, 2023.7.5, 2023-07-05, 7月5日)
/// ending `text` begins, allowing a 于 or spaces before the verb; not one
/// that follows 截至 / 截止 (the day the figures run to).
fn date_before(text: &str) -> Option<usize> {
    let t = text.trim_end_matches([' ', '于']);
    let cs: Vec<(usize, char)> = t.char_indices().collect();
    // Walk back over digits and date separators; a date has three numbers.
    let mut i = cs.len();
    let mut numbers = 0;
    let mut in_number = false;
    while i > 0 {
        let c = cs[i - 1].1;
        if c.is_ascii_digit() {
            if !in_number {
                numbers += 1;
                in_number = true;
            }
        } else if "年月日.-/".contains(c) {
            in_number = false;
            if numbers == 3 {
                break;
            }
        } else {
            break;
        }
        i -= 1;
    }
    let dated = numbers == 3 || numbers == 2 && t.ends_with('日');
    let start = cs.get(i).map_or(t.len(), |&(at, _)| at);
    let up_to = t[..start].ends_with("截至") || t[..start].ends_with("截止");
    (dated && !up_to).then_some(start)
}

/// The month a text's figures run to, with the year if it says one.
pub fn period_in(text: &str) -> Option<(Option<i32>, u32)> {
    let t: String = cut_fill_date(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if t.is_empty() {
        return None;
    }
    let cs: Vec<char> = t.chars().collect();
    let year = (0..cs.len().saturating_sub(3)).find_map(|i| {
        let y: String = cs[i..i + 4].iter().collect();
        (y.chars().all(|c| c.is_ascii_digit())
            && (i == 0 || !cs[i - 1].is_ascii_digit())
            && !cs.get(i + 4).is_some_and(|c| c.is_ascii_digit()))
        .then(|| y.parse::<i32>().ok())
        .flatten()
        .filter(|y| (2000..=2100).contains(y))
    });
    // Quarters and halves, then the year's end in a title's words.
    const YEAR_END: &[(&str, u32)] = &[("下半年", 12), ("年度", 12), ("年底", 12), ("年末", 12)];
    // The first month named: N月 (the end of a range 1-6月), or a date
    // YYYY.M.D / YYYY-M-D.
    let digits_at = |i: usize| {
        if i > 0 && cs[i - 1].is_ascii_digit() {
            0
        } else {
            cs[i..].iter().take_while(|c| c.is_ascii_digit()).count()
        }
    };
    let num = |i: usize, n: usize| cs[i..i + n].iter().collect::<String>().parse::<u32>().ok();
    let mut found: Option<u32> = None;
    for i in 0..cs.len() {
        let n = digits_at(i);
        if n == 4 && matches!(cs.get(i + 4), Some('.') | Some('-') | Some('/')) {
            let k = digits_at(i + 5).min(2);
            if k > 0
                && let Some(m) = num(i + 5, k).filter(|m| (1..=12).contains(m))
            {
                found = Some(m);
                break;
            }
        }
        if (1..=2).contains(&n) && cs.get(i + n) == Some(&'月') {
            let range_start = matches!(cs.get(i + n + 1), Some('-') | Some('至') | Some('~'))
                && cs.get(i + n + 2).is_some_and(|c| c.is_ascii_digit());
            if let Some(m) = num(i, n).filter(|m| (1..=12).contains(m))
                && !range_start
            {
                found = Some(m);
                break;
            }
        }
    }
    if found.is_none() {
        let s: String = cs.iter().collect();
        found = crate::domain::lexicon::PERIOD_SPANS
            .iter()
            .chain(YEAR_END)
            .find(|(w, _)| s.contains(w) && !s.contains("年度目标"))
            .map(|(_, m)| *m);
    }
    found.map(|m| (year, m))
}

/// The period of a return: the title lines, then the notes, then the sheet
/// name, then the file name; the year defaults to `default_year`.
pub fn period(
    title_lines: &[String],
    notes: &[String],
    sheet_name: &str,
    file_name: &str,
    default_year: i32,
) -> Option<Period> {
    let pick = |texts: &[String]| texts.iter().find_map(|t| period_in(t));
    let (y, m) = pick(title_lines)
        .or_else(|| pick(notes))
        .or_else(|| period_in(sheet_name))
        .or_else(|| period_in(file_name))?;
    let year = y
        .or_else(|| {
            title_lines
                .iter()
                .chain(std::iter::once(&file_name.to_string()))
                .find_map(|t| period_in(t).and_then(|p| p.0))
        })
        .unwrap_or(default_year);
    Period::new(year, m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units() -> Vec<Unit> {
        let u = |id, name: &str, kind, aliases: &[&str]| Unit {
            id,
            name: name.into(),
            kind,
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
        };
        vec![
            u(1, "张店区", UnitKind::District, &[]),
            u(2, "高新区", UnitKind::District, &["淄博高新区"]),
            u(3, "淄博市大数据局", UnitKind::Department, &["市大数据局"]),
            u(4, "崂山区", UnitKind::District, &[]),
        ]
    }

    #[test]
    fn units_from_lines_titles_and_aliases() {
        let us = units();
        let get = |s: &str| unit_in(s, &us).map(|u| u.0);
        assert_eq!(get("张店区大数据局").as_deref(), Some("张店区"));
        assert_eq!(get("淄博高新区大数据局").as_deref(), Some("高新区"));
        assert_eq!(get("嶗山區大數據局").as_deref(), Some("崂山区"));
        assert_eq!(
            get("淄博市大数据局数据资源管理科").as_deref(),
            Some("淄博市大数据局数据资源管理科")
        );
        assert_eq!(get("市大数据局").as_deref(), Some("淄博市大数据局"));
        assert_eq!(
            after_label(
                "填报单位（盖章）：淄川区大数据局   填报日期：2023.10.9",
                UNIT_LABELS
            )
            .as_deref(),
            Some("淄川区大数据局")
        );
        assert_eq!(
            after_label(
                "填报单位：张店区大数据局  填报时间：2023年7月5日",
                UNIT_LABELS
            )
            .as_deref(),
            Some("张店区大数据局")
        );
    }

    #[test]
    fn periods_in_their_forms() {
        let p = |s: &str| period_in(s);
        assert_eq!(p("张店区2023年6月大数据工作进展"), Some((Some(2023), 6)));
        assert_eq!(
            p("淄川区2023年前三季度大数据工作进展"),
            Some((Some(2023), 9))
        );
        assert_eq!(p("博山区2023年第一季度重点指标"), Some((Some(2023), 3)));
        assert_eq!(p("2023年上半年重点工作进展"), Some((Some(2023), 6)));
        assert_eq!(p("临淄区2023年度进展情况统计表"), Some((Some(2023), 12)));
        assert_eq!(p("注：完成情况为截至2023年9月30日"), Some((Some(2023), 9)));
        assert_eq!(p("统计时间:2023年1-6月"), Some((Some(2023), 6)));
        assert_eq!(p("数据截至2023.9.30"), Some((Some(2023), 9)));
        assert_eq!(p("填报时间：2023年7月5日"), None);
        assert_eq!(
            p("2023年二季度指标统计表（2023年7月5日填报）"),
            Some((Some(2023), 6))
        );
        assert_eq!(p("2023年上半年进展（2023.7.8报送）"), Some((Some(2023), 6)));
        assert_eq!(p("进展情况表 于2023-07-06导出"), None);
        assert_eq!(p("2023年二季度统计表（7月5日填报）"), Some((Some(2023), 6)));
        assert_eq!(p("数据截至6月30日报送"), Some((None, 6)));
        // A date the figures run to stays the period.
        assert_eq!(p("数据截至2023年6月30日"), Some((Some(2023), 6)));
        assert_eq!(p("2023年大数据工作要点进展情况"), None);
    }
}
