//! The document's skeleton: its title, issuer, city and year; its numbered
//! headings (一、 / （一） / 1. 1、 / (1) / ①) at whatever depth it uses, the
//! deepest numbered item being a task; each task's responsible units and
//! deadline.

use super::source::Source;
use crate::domain::{Date, ResponsibleUnit, Role};

pub use crate::domain::lexicon::{Marker, heading_marker as marker};

/// A numbered item found in the text.
#[derive(Clone, Debug)]
pub struct Item {
    pub marker: Marker,
    pub number: String,
    /// The item's text (after its number) in the matching copy: `[start, end)`.
    pub start: usize,
    pub end: usize,
}

/// Numbered items in document order, each with its text up to the next one.
/// Lines before the first item are the preamble; lines that close a document
/// (附件, 抄送, a signature date) end the last item.
pub fn items(src: &Source) -> (Vec<Item>, usize) {
    let mut items: Vec<Item> = Vec::new();
    let mut preamble_end = src.text.len();
    let mut closed = false;
    let lines: Vec<(usize, usize)> = src
        .lines()
        .into_iter()
        .flat_map(|(s, e)| inline_headings(&src.text, s, e))
        .collect();
    for (s, e) in lines {
        let line = &src.text[s..e];
        if let Some((m, number, len)) = marker(line) {
            if items.is_empty() {
                preamble_end = s;
            }
            if let Some(last) = items.last_mut() {
                last.end = trim_end(src, last.start, last.end);
            }
            items.push(Item {
                marker: m,
                number,
                start: s + len,
                end: e,
            });
            closed = false;
        } else if let Some(last) = items.last_mut() {
            let folded: String = line.iter().collect();
            let t = folded.trim();
            if closed || closes_document(t) {
                closed = true;
            } else if !t.is_empty() {
                last.end = e;
            }
        }
    }
    if let Some(last) = items.last_mut() {
        last.end = trim_end(src, last.start, last.end);
    }
    (items, preamble_end)
}

/// A line cut where a heading stands inside it: text copied from a web page
/// often loses its line breaks, the whole plan arriving as one paragraph
/// (`…如下: 一、总体要求 坚持… 二、重点任务 (一)大力… 1.加大…`). A heading is
/// recognised inside a line after a sentence's end or a blank, and only
/// when it continues the numbering seen so far in the line (一 after 一's
/// start, (二) after (一) …), so that 1. in "完成1.5万个" or a list such as
/// "一、二季度" is left alone.
pub fn inline_headings(text: &[char], s: usize, e: usize) -> Vec<(usize, usize)> {
    let mut cuts = vec![s];
    // The last number seen per kind of heading in this line, to accept
    // only the next one (or a first one of a deeper kind).
    let mut last: Vec<(Marker, u32)> = Vec::new();
    if let Some((m, n, _)) = marker(&text[s..e]) {
        last.push((m, ordinal(&n)));
    }
    let mut i = s + 1;
    while i < e {
        let prev = text[i - 1];
        let boundary = matches!(prev, '。' | ';' | ':' | '!' | '?') || prev.is_whitespace();
        if boundary
            && !text[i].is_whitespace()
            && let Some((m, n, len)) = marker(&text[i..e])
        {
            let k = ordinal(&n);
            let fits = match last.iter().rev().find(|(x, _)| *x == m) {
                Some((_, before)) => k == before + 1,
                None => k == 1,
            };
            if fits {
                last.retain(|(x, _)| *x != m);
                last.push((m, k));
                cuts.push(i);
                i += len;
                continue;
            }
        }
        i += 1;
    }
    cuts.iter()
        .enumerate()
        .map(|(k, &a)| (a, cuts.get(k + 1).copied().unwrap_or(e)))
        .collect()
}

/// A heading's number as a count (一 → 1, (12) → 12, ⑤ → 5).
fn ordinal(number: &str) -> u32 {
    let inner: Vec<char> = number.chars().filter(|c| !matches!(c, '(' | ')')).collect();
    if let Some(c) = inner.first()
        && ('①'..='⑳').contains(c)
    {
        return *c as u32 - '①' as u32 + 1;
    }
    let digits: String = inner.iter().collect();
    digits
        .parse()
        .ok()
        .or_else(|| crate::domain::lexicon::han_number(&inner).map(|v| v as u32))
        .unwrap_or(0)
}

fn trim_end(src: &Source, start: usize, mut end: usize) -> usize {
    while end > start && src.text[end - 1].is_whitespace() {
        end -= 1;
    }
    end
}

fn closes_document(t: &str) -> bool {
    t.starts_with("附件")
        || t.starts_with("抄送")
        || t.starts_with("(此件")
        || t.contains("印发") && t.len() < 60
        || is_date_line(t)
}

/// A line that is only a date: 2023年7月12日.
fn is_date_line(t: &str) -> bool {
    let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    let rest = t
        .trim_start_matches(|c: char| c.is_ascii_digit() || "〇零一二三四五六七八九十".contains(c));
    rest.len() < t.len() && rest.starts_with('年') && t.ends_with('日') && t.chars().count() <= 12
}

/// The heading levels a document uses, outermost first: markers ordered by
/// first appearance. The last one is the task level.
pub fn levels(items: &[Item]) -> Vec<Marker> {
    let mut out: Vec<Marker> = Vec::new();
    for it in items {
        if !out.contains(&it.marker) {
            out.push(it.marker);
        }
    }
    out
}

/// Title text of an item: up to the first 。 (without it), trimmed.
pub fn title_end(text: &[char], start: usize, end: usize) -> usize {
    let stop = text[start..end]
        .iter()
        .position(|&c| c == '。' || c == '\n')
        .map_or(end, |p| start + p);
    let mut e = stop;
    while e > start && (text[e - 1].is_whitespace() || text[e - 1] == ':' || text[e - 1] == ',') {
        e -= 1;
    }
    e
}

/// Where a section's heading ends: as a task's title, and also at a blank
/// followed by more words (a heading whose paragraph lost its line break:
/// `一、总体要求 坚持…`).
pub fn section_title_end(text: &[char], start: usize, end: usize) -> usize {
    let e = title_end(text, start, end);
    let lead = text[start..e]
        .iter()
        .take_while(|c| c.is_whitespace())
        .count();
    match text[start + lead..e].iter().position(|c| c.is_whitespace()) {
        Some(p) => start + lead + p,
        None => e,
    }
}

/// The headings under which a plan states its headline targets (主要目标,
/// 总体要求 …): a section with a paragraph, never a task.
pub fn is_goals_heading(title: &str) -> bool {
    const GOALS: &[&str] = &[
        "主要目标",
        "工作目标",
        "发展目标",
        "总体目标",
        "预期目标",
        "总体要求",
        "目标任务",
        "指导思想",
        "基本原则",
    ];
    let t = title.trim();
    GOALS.iter().any(|g| t.starts_with(g)) && t.chars().count() <= 12
}

/// Facts stated at the head of the document.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Header {
    pub title: Option<String>,
    pub issuer: Option<String>,
    pub city: Option<String>,
    pub year: Option<i32>,
}

const TITLE_ENDINGS: &[&str] = &[
    "工作要点",
    "行动方案",
    "实施方案",
    "工作方案",
    "行动计划",
    "工作计划",
    "推进方案",
    "任务清单",
    "重点任务",
    "要点",
    "方案",
    "计划",
];
const ORG_ENDINGS: &[&str] = &[
    "大数据局",
    "大数据中心",
    "人民政府办公厅",
    "人民政府办公室",
    "人民政府",
    "办公厅",
    "办公室",
    "委员会",
    "管理局",
    "服务局",
    "局",
    "中心",
    "管委会",
];

fn org_at_end(s: &str) -> bool {
    ORG_ENDINGS.iter().any(|e| s.ends_with(e))
}

/// A four-digit year 1990–2100 followed by 年.
fn years(s: &str) -> Vec<i32> {
    let cs: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    for i in 0..cs.len().saturating_sub(4) {
        if cs[i..i + 4].iter().all(|c| c.is_ascii_digit())
            && cs[i + 4] == '年'
            && (i == 0 || !cs[i - 1].is_ascii_digit())
        {
            let y: i32 = cs[i..i + 4].iter().collect::<String>().parse().unwrap_or(0);
            if (1990..=2100).contains(&y) {
                out.push(y);
            }
        }
    }
    out
}

/// The city named in an organisation or title: 淄博市大数据局 → 淄博,
/// 数字青岛2022年行动方案 → 青岛. Masked names (X市) give none.
fn city_of(s: &str) -> Option<String> {
    let cs: Vec<char> = s.chars().collect();
    if let Some(p) = cs.iter().position(|&c| c == '市') {
        let name: String = cs[..p]
            .iter()
            .rev()
            .take_while(|c| crate::domain::text::is_han(**c))
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let name = name.trim_start_matches("关于印发").to_string();
        if (2..=4).contains(&name.chars().count()) && !name.contains('X') && !name.starts_with('全')
        {
            return Some(name);
        }
    }
    if let Some(rest) = s.strip_prefix("数字") {
        let name: String = rest
            .chars()
            .take_while(|c| crate::domain::text::is_han(*c))
            .collect();
        if name.chars().count() == 2 && !name.contains('X') {
            return Some(name);
        }
    }
    None
}

/// The city of a "数字X" programme named in running text (统筹推进数字青岛建设 → 青岛).
fn digital_city(s: &str) -> Option<String> {
    let cs: Vec<char> = s.chars().collect();
    (0..cs.len().saturating_sub(5)).find_map(|i| {
        let name: String = cs[i + 2..i + 4].iter().collect();
        (cs[i] == '数'
            && cs[i + 1] == '字'
            && cs[i + 2..i + 4]
                .iter()
                .all(|c| crate::domain::text::is_han(*c))
            && ["建设", "发展", "规划", "城市", "政府"]
                .iter()
                .any(|w| cs[i + 4..].iter().collect::<String>().starts_with(w))
            && ![
                "中国", "强省", "政府", "社会", "经济", "乡村", "机关", "城市", "治理", "赋能",
                "技术", "转型",
            ]
            .contains(&name.as_str()))
        .then_some(name)
    })
}

/// Title, issuer, city and year from the preamble (and, for the year, the
/// first lines of the body).
pub fn header(src: &Source, preamble_end: usize) -> Header {
    let mut h = Header::default();
    let lines: Vec<(usize, usize)> = src
        .lines()
        .into_iter()
        .filter(|(s, _)| *s < preamble_end)
        .collect();
    let folded = |(s, e): (usize, usize)| src.folded(s, e).trim().to_string();
    // Title: a short line, no sentence stop, ending like a plan's name.
    for &(s, e) in &lines {
        let t = folded((s, e));
        let t2 = t.trim_matches(|c| c == '《' || c == '》');
        if t.chars().count() <= 40
            && !t.contains('。')
            && !t.starts_with("关于")
            && !t.ends_with("通知")
            && TITLE_ENDINGS.iter().any(|end| t2.ends_with(end))
        {
            let lead = src.text[s..e]
                .iter()
                .take_while(|c| c.is_whitespace())
                .count();
            h.title = Some(src.clean(s + lead, s + lead + t.chars().count()));
            break;
        }
    }
    // Issuer: a line that is only an organisation (a letterhead or a signature),
    // else the organisation the title starts with, else the opening sentence's subject.
    for &(s, e) in &lines {
        let t = folded((s, e));
        if (3..=20).contains(&t.chars().count())
            && org_at_end(&t)
            && !t.contains(',')
            && !t.contains('、')
        {
            let lead = src.text[s..e]
                .iter()
                .take_while(|c| c.is_whitespace())
                .count();
            h.issuer = Some(src.clean(s + lead, s + lead + t.chars().count()));
            break;
        }
    }
    if h.issuer.is_none()
        && let Some(title) = &h.title
    {
        let t = crate::domain::text::fold(title);
        if let Some(y) = years(&t).first() {
            let head = t.split(&format!("{y}年")).next().unwrap_or("");
            if org_at_end(head) {
                h.issuer = Some(title.chars().take(head.chars().count()).collect());
            }
        }
    }
    let opening: Vec<(usize, usize)> = src
        .lines()
        .into_iter()
        .filter(|(s, e)| e > s && src.folded(*s, *e).trim().chars().count() > 40)
        .take(2)
        .collect();
    if h.issuer.is_none() {
        // "2022年,市大数据局以…" — the subject of the opening sentence.
        for &(s, e) in &opening {
            let t = folded((s, e));
            if let Some(rest) = t.split_once("年,").map(|x| x.1) {
                let subject: String = rest
                    .chars()
                    .take_while(|c| crate::domain::text::is_han(*c))
                    .collect();
                if let Some(end) = ORG_ENDINGS
                    .iter()
                    .filter_map(|o| subject.find(o).map(|p| p + o.len()))
                    .min()
                    && subject[..end].chars().count() <= 12
                {
                    let start = t.find(&subject).unwrap_or(0);
                    let lead = src.text[s..e]
                        .iter()
                        .take_while(|c| c.is_whitespace())
                        .count();
                    let cs = t[..start].chars().count();
                    h.issuer = Some(src.clean(
                        s + lead + cs,
                        s + lead + cs + subject[..end].chars().count(),
                    ));
                    break;
                }
            }
        }
    }
    // Year: from the title, else the opening sentence, else the preamble.
    h.year = h
        .title
        .as_deref()
        .and_then(|t| years(&crate::domain::text::fold(t)).first().copied())
        .or_else(|| {
            opening
                .iter()
                .find_map(|&l| years(&folded(l)).first().copied())
        })
        .or_else(|| {
            lines
                .iter()
                .find_map(|&l| years(&folded(l)).first().copied())
        });
    h.city = h
        .issuer
        .as_deref()
        .and_then(|i| city_of(&crate::domain::text::fold(i)))
        .or_else(|| {
            h.title
                .as_deref()
                .and_then(|t| city_of(&crate::domain::text::fold(t)))
        })
        .or_else(|| opening.iter().find_map(|&l| digital_city(&folded(l))));
    h
}

/// Responsible units in brackets after an item: （责任单位：A、B）,
/// （牵头单位：A；配合单位：B）. Lead units come first. Returns the units
/// and the bracket spans, so that titles can leave them out.
pub fn responsible_units(
    text: &[char],
    start: usize,
    end: usize,
) -> (Vec<ResponsibleUnit>, Vec<(usize, usize)>) {
    let mut units: Vec<ResponsibleUnit> = Vec::new();
    let mut spans = Vec::new();
    let mut i = start;
    while i < end {
        if text[i] == '(' {
            let close = (i + 1..end).find(|&j| text[j] == ')');
            let Some(close) = close else { break };
            let inner: String = text[i + 1..close].iter().collect();
            let mut found = false;
            for part in inner.split([';']) {
                let part = part.trim();
                let Some((label, list)) = part.split_once(':') else {
                    continue;
                };
                let role = match label.trim() {
                    "责任单位" | "责任部门" | "牵头单位" | "牵头部门" | "主责单位" => {
                        Role::Lead
                    }
                    "配合单位" | "配合部门" | "协同单位" | "参与单位" => {
                        Role::Support
                    }
                    _ => continue,
                };
                found = true;
                for name in split_units(list) {
                    if !units.iter().any(|u| u.name == name) {
                        units.push(ResponsibleUnit { name, role });
                    }
                }
            }
            if found {
                spans.push((i, close + 1));
            }
            i = close + 1;
        } else {
            i += 1;
        }
    }
    units.sort_by_key(|u| u.role != Role::Lead);
    (units, spans)
}

/// Splits a list of units on 、，,；; keeping 各区、市政府 (各区(市)) whole.
fn split_units(list: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut glue = false;
    for part in list.split(['、', ',', '，', ';', '；']) {
        let p = part.trim().trim_end_matches('等').trim();
        if p.is_empty() {
            continue;
        }
        if glue && let Some(last) = out.last_mut() {
            last.push('、');
            last.push_str(p);
            glue = false;
            continue;
        }
        // "各区" followed by "市政府": one unit, the districts and county-level cities.
        glue = p.starts_with('各') && p.ends_with('区') && p.chars().count() <= 3;
        out.push(p.to_string());
    }
    out
}

/// The last day of a month.
fn month_end(y: i32, m: u32) -> Option<Date> {
    Date::new(y, m, crate::domain::date::days_in_month(y, m))
}

/// Reads a deadline phrase starting at `i` (after an optional explicit year):
/// its length from `i` and its date.
fn deadline_at(cs: &[char], i: usize, year: i32) -> Option<(usize, Date)> {
    let digits = |from: usize| {
        cs[from.min(cs.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    let num = |from: usize, n: usize| {
        cs[from..from + n]
            .iter()
            .collect::<String>()
            .parse::<u32>()
            .ok()
    };
    let at = |k: usize, w: &str| {
        cs[k.min(cs.len())..]
            .iter()
            .take(w.chars().count())
            .copied()
            .eq(w.chars())
    };
    // An explicit year: 2023年…
    let (y, j) = if digits(i) == 4 && cs.get(i + 4) == Some(&'年') {
        (num(i, 4)? as i32, i + 5)
    } else {
        (year, i)
    };
    let explicit = j > i;
    // 到2025年 / 至2025年: by the end of that year.
    if explicit
        && i > 0
        && matches!(cs[i - 1], '到' | '至')
        && !cs.get(j).is_some_and(|c| c.is_ascii_digit() || *c == '底')
    {
        return Some((5, Date::new(y, 12, 31)?));
    }
    let prev_is_number =
        i > 0 && (cs[i - 1].is_ascii_digit() || "一二三四五六七八九十两".contains(cs[i - 1]));
    let words: [(&str, Option<Date>); 10] = [
        ("年底前", Date::new(y, 12, 31)),
        ("年底", Date::new(y, 12, 31)),
        ("年内", Date::new(y, 12, 31)),
        ("上半年", Date::new(y, 6, 30)),
        ("下半年", Date::new(y, 12, 31)),
        ("第一季度", month_end(y, 3)),
        ("第二季度", month_end(y, 6)),
        ("第三季度", month_end(y, 9)),
        ("第四季度", month_end(y, 12)),
        ("一季度", month_end(y, 3)),
    ];
    for (w, date) in words.iter().chain(
        [
            ("二季度", month_end(y, 6)),
            ("三季度", month_end(y, 9)),
            ("四季度", month_end(y, 12)),
        ]
        .iter(),
    ) {
        // 年底 / 年内 read after a stated year as 2023年底; on their own they
        // must not follow a number (3年内 is a duration).
        let w_here = if explicit && w.starts_with('年') {
            &w['年'.len_utf8()..]
        } else {
            w
        };
        if at(j, w_here) && (explicit || !prev_is_number) {
            return Some((j - i + w_here.chars().count(), (*date)?));
        }
    }
    // N月底(前) / N月末 / N月N日前 / 到N月底
    let k = j + usize::from(cs.get(j) == Some(&'到'));
    let n = digits(k);
    if !(1..=2).contains(&n) || cs.get(k + n) != Some(&'月') || (k == i && prev_is_number) {
        return None;
    }
    let m = num(k, n)?;
    let after = k + n + 1;
    if at(after, "底前") {
        return Some((after + 2 - i, month_end(y, m)?));
    }
    if at(after, "底") || at(after, "末") {
        return Some((after + 1 - i, month_end(y, m)?));
    }
    let dn = digits(after);
    if dn > 0 && at(after + dn, "日前") {
        return Some((after + dn + 2 - i, Date::new(y, m, num(after, dn)?)?));
    }
    None
}

/// Deadline phrases in a stretch of text, each with its span and date; the
/// year is `year` unless the phrase states one (2024年底前).
pub fn deadlines(text: &[char], year: i32) -> Vec<(usize, usize, Date)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        match deadline_at(text, i, year) {
            Some((len, date)) => {
                out.push((i, i + len, date));
                i += len;
            }
            None => i += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn markers_of_every_level() {
        let m = |s: &str| marker(&chars(s));
        assert_eq!(m("一、总体"), Some((Marker::Han, "一".into(), 2)));
        assert_eq!(
            m("  (十二)基础"),
            Some((Marker::ParenHan, "(十二)".into(), 6))
        );
        assert_eq!(m("12.加强"), Some((Marker::Arabic, "12".into(), 3)));
        assert_eq!(m("3、加强"), Some((Marker::Arabic, "3".into(), 2)));
        assert_eq!(m("(3)加强"), Some((Marker::ParenArabic, "(3)".into(), 3)));
        assert_eq!(m("②加强"), Some((Marker::Circled, "②".into(), 1)));
        assert_eq!(m("3.5万个机架"), None);
        assert_eq!(m("2023年是开局之年"), None);
        assert_eq!(m("(此件公开发布)"), None);
    }

    #[test]
    fn deadlines_in_their_forms() {
        let d = |s: &str| {
            deadlines(&chars(s), 2023)
                .into_iter()
                .map(|x| x.2.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(d("6月底前,完成迁移"), vec!["2023-06-30"]);
        assert_eq!(d("年底前建成"), vec!["2023-12-31"]);
        assert_eq!(d("年内新接入"), vec!["2023-12-31"]);
        assert_eq!(d("上半年完成"), vec!["2023-06-30"]);
        assert_eq!(d("三季度完成"), vec!["2023-09-30"]);
        assert_eq!(d("2024年底前全市"), vec!["2024-12-31"]);
        assert_eq!(d("到9月底完成"), vec!["2023-09-30"]);
        assert_eq!(d("10月15日前上报"), vec!["2023-10-15"]);
        assert!(d("2023年是开局之年,3年行动,3年内完成").is_empty());
        assert_eq!(d("2023年底前全市新建"), vec!["2023-12-31"]);
        assert_eq!(d("到2025年,全市"), vec!["2025-12-31"]);
    }

    #[test]
    fn units_split_but_keep_districts_and_cities_together() {
        let t = chars("推进。(责任单位:市大数据局、市统计局,各区、市政府)");
        let (u, spans) = responsible_units(&t, 0, t.len());
        let names: Vec<&str> = u.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(names, ["市大数据局", "市统计局", "各区、市政府"]);
        assert_eq!(spans, vec![(3, t.len())]);
        let t = chars("(牵头单位:市发展改革委;配合单位:市财政局、市大数据局)");
        let (u, _) = responsible_units(&t, 0, t.len());
        assert_eq!(u[0].role, Role::Lead);
        assert_eq!(u[2].role, Role::Support);
    }
}
