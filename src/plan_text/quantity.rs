//! Quantitative targets in a task's text: numbers (Arabic, full-width,
//! Chinese numerals, 万/亿, ranges, percentages) with their unit, the words
//! that make them targets (不少于, 达到, 以上, 不高于 …) and the contexts
//! that make them something else (dates, ordinals, names in quotes, slogans,
//! qualifiers such as 50强, levels such as 两级, version numbers).
//!
//! The lexicons below are the rules; nothing here knows any one document.

use crate::domain::{Better, Comparator, Confidence, Kind, Scope};

/// Units of measure, longest first (the shared lexicon).
const UNITS: &[&str] = crate::domain::lexicon::MEASURE_WORDS;
/// Units that count events.
const EVENT_UNITS: &[&str] = &["次", "轮", "场", "期"];
/// Units of time: a limit in them is better lower.
const TIME_UNITS: &[&str] = &["个工作日", "工作日", "天", "小时", "分钟", "秒", "毫秒"];
/// Units that stand for plain counts which 万 or 亿 multiply (4.5万个 → 45000 个);
/// 亿元 and 万元 stay units of their own; 万人 multiplies out to 人 (rule 7).
const COUNT_UNITS: &[&str] = &[
    "户", "个", "项", "家", "次", "件", "条", "套", "所", "座", "台", "处", "份", "名", "人", "张",
    "篇", "部", "本", "款",
];

/// Words before a number that make it a target, with their comparator.
const CUES_BEFORE: &[(&str, Comparator)] = &[
    ("不少于", Comparator::Ge),
    ("不低于", Comparator::Ge),
    ("不小于", Comparator::Ge),
    ("力争达到", Comparator::Ge),
    ("达到", Comparator::Ge),
    ("提升至", Comparator::Ge),
    ("提升到", Comparator::Ge),
    ("提高至", Comparator::Ge),
    ("提高到", Comparator::Ge),
    ("增加至", Comparator::Ge),
    ("增加到", Comparator::Ge),
    ("增长至", Comparator::Ge),
    ("扩大至", Comparator::Ge),
    ("增至", Comparator::Ge),
    // a growth rate stated bare: 增加值年均增长10%
    ("增长", Comparator::Ge),
    ("至少", Comparator::Ge),
    ("分别达", Comparator::Ge),
    ("均达", Comparator::Ge),
    ("累计", Comparator::Ge),
    ("达", Comparator::Ge),
    ("超过", Comparator::Gt),
    ("突破", Comparator::Gt),
    ("多于", Comparator::Gt),
    ("大于", Comparator::Gt),
    ("超", Comparator::Gt),
    ("不高于", Comparator::Le),
    ("不超过", Comparator::Le),
    ("不多于", Comparator::Le),
    ("不大于", Comparator::Le),
    ("控制在", Comparator::Le),
    ("压减至", Comparator::Le),
    ("压减到", Comparator::Le),
    ("压缩至", Comparator::Le),
    ("压缩到", Comparator::Le),
    ("降低至", Comparator::Le),
    ("降低到", Comparator::Le),
    ("缩短至", Comparator::Le),
    ("缩短到", Comparator::Le),
    ("减少至", Comparator::Le),
    ("降至", Comparator::Le),
    ("降到", Comparator::Le),
    ("低于", Comparator::Lt),
    ("少于", Comparator::Lt),
    ("小于", Comparator::Lt),
    ("保持在", Comparator::Eq),
    ("稳定在", Comparator::Eq),
    ("保持", Comparator::Eq),
];
/// Cue words that state a level reached by a stock (机架数达到3.5万个):
/// the target is a running total, not an amount delivered this year.
pub const STOCK_CUES: &[&str] = &[
    "达到",
    "达",
    "提升至",
    "提升到",
    "提高至",
    "提高到",
    "增加至",
    "增加到",
    "增长至",
    "扩大至",
    "增至",
    "突破",
    "超过",
    "超",
];

/// Verbs that, right before an Arabic number with a unit, state an amount to
/// deliver (打造50个 → at least 50).
const ACTION_VERBS: &[&str] = &[
    "申报",
    "挖掘",
    "新认证",
    "新认定",
    "认证",
    "增加",
    "推广",
    "新建",
    "新增",
    "新接入",
    "新开通",
    "建成",
    "建设",
    "打造",
    "形成",
    "开展",
    "举办",
    "组织",
    "完成",
    "接入",
    "培育",
    "推出",
    "上线",
    "发布",
    "认定",
    "创建",
    "争创",
    "遴选",
    "培训",
    "召开",
    "编制",
    "制定",
    "出台",
    "推动",
    "支持",
    "引进",
    "招引",
    "孵化",
    "建立",
    "开放",
    "归集",
    "汇聚",
    "部署",
    "改造",
    "覆盖",
    "实现",
    "提供",
    "打通",
    "整合",
    "迁移",
    "评选",
    "选树",
    "征集",
    "梳理",
    "办理",
    "服务",
    "开发",
    "上云",
    "入选",
    "创成",
    "获批",
    "落地",
    "签约",
    "新培育",
    "再打造",
    "共打造",
    "累计建成",
];
/// What may stand between a cue and its number (全市新建 …, 达到约 …).
const FILLERS: &[&str] = &[
    "全市", "全省", "共", "再", "约", "近", "每年", "年均", "累计", "总计", "合计", "为", "到",
];

/// Suffixes after a number or its unit that mean it is not a target.
const NOT_AFTER: &[&str] = &[
    "年", "月", "日", "号", "强", "级", "星", "届", "大", "代", "维", "化", "版", "周年", "号文",
    "批次", "季度", "个月", "年度", "岁",
];

/// Phrases that make a target's scope per unit (each district …).
const PER_UNIT: &[&str] = &[
    "各区县",
    "每个区县",
    "各区(市)",
    "每个区(市)",
    "各区市",
    "各县区",
    "各县(市、区)",
    "各县(市区)",
    "每个县(市、区)",
    "各区、市",
    "各功能区",
    "每个区",
    "每个县",
    "各县",
    "各区",
];

/// Endings of a metric's name (字段共享率, 日均活跃用户数, 平均PUE).
const METRIC_ENDINGS: &[&str] = &[
    "增加值",
    "零售额",
    "销售额",
    "交易额",
    "营业收入",
    "收入",
    "产值",
    "金额",
    "投资",
    "保有量",
    "增长",
    "增速",
    "增幅",
    "额",
    "量",
    "覆盖率",
    "达标率",
    "满意度",
    "使用率",
    "共享率",
    "利用率",
    "办理率",
    "好评率",
    "占比",
    "比例",
    "比重",
    "率",
    "PUE",
    "总数",
    "总量",
    "规模",
    "人数",
    "用户数",
    "数量",
    "指数",
    "时限",
    "时间",
    "时长",
    "数",
];
/// Words a name does not start with (time, place, modal words).
const NAME_PREFIXES: &[&str] = &[
    "年内",
    "年度",
    "年底前",
    "今年",
    "当年",
    "力争",
    "争取",
    "累计",
    "推动",
    "推进",
    "确保",
    "全市",
    "全省",
    "实现",
    "使",
    "让",
    "其中",
    "同时",
    "并",
    "和",
    "及",
    "原则上",
    "各级各部门",
    "各区县",
    "每个区县",
    "支持",
    "持续",
    "进一步",
    "共同",
    "到",
    "在",
    "底前",
];

/// A quantity found in a clause.
#[derive(Clone, Debug, PartialEq)]
pub struct Quantity {
    /// Character range of the number and its unit within the text given.
    pub start: usize,
    pub end: usize,
    pub value: f64,
    pub value_max: Option<f64>,
    pub unit: Option<String>,
    pub chinese: bool,
    /// A 万 or 亿 with no unit after it, already multiplied in: money names
    /// (金额, 产值 …) take it back as 万元/亿元.
    pub bare_multiplier: Option<char>,
    /// 余 or 多 after the number (10余个, 100多家): more than it.
    pub over: bool,
}

/// Why a number was not taken as a target.
#[derive(Clone, Debug, PartialEq)]
pub struct Rejected {
    pub start: usize,
    pub end: usize,
    pub why: &'static str,
}

fn starts_with_at(text: &[char], i: usize, w: &str) -> bool {
    w.chars()
        .enumerate()
        .all(|(k, c)| text.get(i + k) == Some(&c))
}

fn ends_with_at(text: &[char], end: usize, w: &str) -> bool {
    let n = w.chars().count();
    end >= n && starts_with_at(text, end - n, w)
}

use crate::domain::lexicon::han_digit;
pub use crate::domain::lexicon::han_number;

/// Reads the number at `i` (Arabic with decimals and thousands separators, or
/// Chinese numerals); returns its value, where it ends and whether it was Chinese.
fn number_at(text: &[char], i: usize) -> Option<(f64, usize, bool)> {
    let c = *text.get(i)?;
    if c.is_ascii_digit() {
        let mut j = i;
        let mut s = String::new();
        while j < text.len() {
            let c = text[j];
            if c.is_ascii_digit() {
                s.push(c);
                j += 1;
            } else if c == '.'
                && text.get(j + 1).is_some_and(|d| d.is_ascii_digit())
                && !s.contains('.')
            {
                s.push('.');
                j += 1;
            } else if c == ','
                && text
                    .get(j + 1..j + 4)
                    .is_some_and(|d| d.iter().all(|d| d.is_ascii_digit()))
                && !text.get(j + 4).is_some_and(|d| d.is_ascii_digit())
            {
                j += 1;
            } else {
                break;
            }
        }
        return s.parse().ok().map(|v| (v, j, false));
    }
    // 千 on its own counts (超千项) but not in 千兆 (gigabit).
    if han_digit(c).is_some()
        || c == '十'
        || c == '百'
        || c == '千' && text.get(i + 1) != Some(&'兆')
    {
        let n = text[i..]
            .iter()
            .take_while(|c| han_digit(**c).is_some() || "十百千".contains(**c))
            .count();
        return han_number(&text[i..i + n]).map(|v| (v, i + n, true));
    }
    None
}

fn unit_at(text: &[char], i: usize) -> Option<&'static str> {
    UNITS.iter().copied().find(|u| starts_with_at(text, i, u))
}

/// Spans inside quotes or book-title marks (“…”, "…", 「…」, 《…》):
/// names and slogans, never targets.
pub fn quoted(text: &[char]) -> Vec<bool> {
    let mut mask = vec![false; text.len()];
    let mut open: Vec<(char, usize)> = Vec::new();
    let mut ascii_open: Option<usize> = None;
    for (i, &c) in text.iter().enumerate() {
        match c {
            '“' | '「' | '《' | '『' => open.push((c, i)),
            '”' | '」' | '》' | '』' => {
                let want = match c {
                    '”' => '“',
                    '」' => '「',
                    '》' => '《',
                    _ => '『',
                };
                if let Some(p) = open.iter().rposition(|(o, _)| *o == want) {
                    let (_, s) = open.remove(p);
                    mask[s..=i].iter_mut().for_each(|m| *m = true);
                }
            }
            '"' => match ascii_open.take() {
                Some(s) => mask[s..=i].iter_mut().for_each(|m| *m = true),
                None => ascii_open = Some(i),
            },
            '\n' | '。' => {
                open.clear();
                ascii_open = None;
            }
            _ => {}
        }
    }
    mask
}

/// Every number in `text[start..end]` with its unit, and the ones rejected
/// with a reason.
pub fn quantities(
    text: &[char],
    start: usize,
    end: usize,
    mask: &[bool],
) -> (Vec<Quantity>, Vec<Rejected>) {
    let mut found = Vec::new();
    let mut rejected = Vec::new();
    let mut i = start;
    while i < end {
        let Some((value, mut j, chinese)) = number_at(text, i) else {
            i += 1;
            continue;
        };
        // 10余个, 100多家: more than the number.
        let over = matches!(text.get(j), Some('余') | Some('多'))
            && text
                .get(j + 1)
                .is_some_and(|c| *c == '万' || *c == '亿' || unit_at(text, j + 1).is_some());
        if over {
            j += 1;
        }
        let j0 = j;
        let reject = |why: &'static str, to: usize, rejected: &mut Vec<Rejected>| {
            rejected.push(Rejected {
                start: i,
                end: to,
                why,
            });
        };
        let prev = if i > 0 {
            text.get(i - 1).copied()
        } else {
            None
        };
        if mask.get(i).copied().unwrap_or(false) {
            reject("a name or slogan in quotes", j, &mut rejected);
            i = j;
            continue;
        }
        if prev == Some('第') || (chinese && text.get(j) == Some(&'大')) {
            reject("an ordinal", j, &mut rejected);
            i = j;
            continue;
        }
        if prev.is_some_and(|p| p.is_ascii_alphabetic() || p == '+' || p == '.' || p == 'X')
            || text.get(j).is_some_and(|c| {
                *c == '+'
                    || c.is_ascii_alphabetic()
                        && !starts_with_at(text, j, "PB")
                        && !starts_with_at(text, j, "TB")
                        // a unit in letters: 62Tbps, 5EFLOPS (not 5G)
                        && unit_at(text, j).is_none_or(|u| u.chars().count() < 4)
            })
        {
            reject(
                "part of a name or slogan (5G, 1+3+N, 2.0)",
                j,
                &mut rejected,
            );
            i = j;
            continue;
        }
        if chinese && value == 1.0 && j == i + 1 {
            // 一 on its own: 一人一号, 一网通办, 一个门户.
            i = j;
            continue;
        }
        // Multipliers: 4.5万个 → 45000 个; 1000亿元 stays 1000 亿元.
        let mut value = value;
        let mut unit: Option<String> = None;
        let mut bare_multiplier = None;
        if let Some(&m) = text.get(j).filter(|c| **c == '万' || **c == '亿') {
            let factor = if m == '万' { 1e4 } else { 1e8 };
            match unit_at(text, j) {
                // 60万人 → 600000 人, 3万人次 → 30000 人次 (rule 7); 万元 and
                // 亿元 stay units of their own.
                Some(u)
                    if u.starts_with(m)
                        && (COUNT_UNITS.contains(&&u[m.len_utf8()..])
                            || &u[m.len_utf8()..] == "人次") =>
                {
                    value *= factor;
                    unit = Some(u[m.len_utf8()..].to_string());
                    j += u.chars().count();
                }
                Some(u) if u.starts_with(m) => {
                    unit = Some(u.to_string());
                    j += u.chars().count();
                }
                _ => {
                    value *= factor;
                    j += 1;
                    if let Some(u) = unit_at(text, j).filter(|u| COUNT_UNITS.contains(u)) {
                        unit = Some(u.to_string());
                        j += u.chars().count();
                    } else {
                        bare_multiplier = Some(m);
                    }
                }
            }
        }
        // A range: 2-3个, 2至3个, 2到3个.
        let mut value_max = None;
        if unit.is_none()
            && matches!(text.get(j), Some('-') | Some('~') | Some('至') | Some('到'))
            && let Some((v2, j2, _)) = number_at(text, j + 1)
            && v2 > value
            && (unit_at(text, j2).is_some() || text.get(j2) == Some(&'%'))
        {
            value_max = Some(v2);
            j = j2;
        }
        if unit.is_none()
            && let Some(u) = unit_at(text, j)
        {
            unit = Some(u.to_string());
            j += u.chars().count();
        }
        if NOT_AFTER.iter().any(|w| starts_with_at(text, j0, w))
            || NOT_AFTER.iter().any(|w| starts_with_at(text, j, w))
        {
            // 2023年, 6月底, 50强, 两级, 五星级, 二十大 …
            let w = NOT_AFTER
                .iter()
                .find(|w| starts_with_at(text, j0, w) || starts_with_at(text, j, w))
                .unwrap();
            let why = match *w {
                "年" | "月" | "日" | "号" | "季度" | "个月" | "年度" | "周年" => {
                    "a date or a duration"
                }
                "强" => "a ranking qualifier (50强)",
                "级" | "星" => "a level or grade",
                _ => "not a quantity",
            };
            reject(why, j.max(j0 + 1), &mut rejected);
            i = j.max(j0 + 1);
            continue;
        }
        found.push(Quantity {
            start: i,
            end: j,
            value,
            value_max,
            unit,
            chinese,
            bare_multiplier,
            over,
        });
        i = j.max(i + 1);
    }
    (found, rejected)
}

/// The comparator a cue right before `at` gives, skipping fillers; with
/// where the cue starts.
pub fn cue_before(
    text: &[char],
    clause_start: usize,
    at: usize,
) -> Option<(Comparator, usize, bool, &'static str)> {
    let mut end = at;
    loop {
        // The longest cue ending here: 不超过 is not 超过.
        if let Some((w, c)) = CUES_BEFORE
            .iter()
            .filter(|(w, _)| ends_with_at(text, end, w))
            .max_by_key(|(w, _)| w.chars().count())
        {
            let s = end - w.chars().count();
            if s >= clause_start {
                return Some((*c, s, true, w));
            }
        }
        if let Some(v) = ACTION_VERBS.iter().find(|w| ends_with_at(text, end, w)) {
            let s = end - v.chars().count();
            if s >= clause_start {
                return Some((Comparator::Ge, s, false, v));
            }
        }
        match FILLERS.iter().find(|w| ends_with_at(text, end, w)) {
            Some(f) if end - f.chars().count() >= clause_start => end -= f.chars().count(),
            _ => return None,
        }
    }
}

/// An action verb opening the clause (after time and place words) whose
/// object the quantity at the clause's end counts: 新增上云企业500家.
pub fn leading_verb(text: &[char], clause_start: usize, at: usize) -> Option<usize> {
    let cs: Vec<char> = text[clause_start..at].to_vec();
    (0..cs.len()).find_map(|p| {
        let head: String = cs[..p].iter().collect();
        let verb = ACTION_VERBS.iter().find(|v| starts_with_at(&cs, p, v))?;
        (trim_name(&head).is_empty() && cs.len() > p + verb.chars().count() + 1)
            .then_some(clause_start + p)
    })
}

/// The comparator a suffix after a quantity gives (10个以上, 3个工作日内).
pub fn cue_after(text: &[char], at: usize, unit: Option<&str>) -> Option<Comparator> {
    if starts_with_at(text, at, "以上") || starts_with_at(text, at, "及以上") {
        Some(Comparator::Ge)
    } else if starts_with_at(text, at, "左右") {
        // approximate: the number itself
        Some(Comparator::Eq)
    } else if starts_with_at(text, at, "以内")
        || starts_with_at(text, at, "以下")
        || starts_with_at(text, at, "之内")
        || starts_with_at(text, at, "内") && unit.is_some_and(|u| TIME_UNITS.contains(&u))
    {
        Some(Comparator::Le)
    } else {
        None
    }
}

/// Words that close a named group of districts (7个试点区县, 5个县(市、区)).
const GROUP_OF_DISTRICTS: &[&str] = &[
    "区县",
    "县区",
    "县市区",
    "区(县)",
    "县(区)",
    "县(市、区)",
    "县(市区)",
    "区(市)",
    "县(市)",
];

/// Whether the clause text before `at` makes the target per unit: 各区县 /
/// 每个区县 …, or a rate held by a named group of districts (7个试点区县智慧
/// 社区覆盖率达到40%: each of the seven is judged). A count of districts
/// (首批4个试点区(县)) is one number for the city.
pub fn scope_of(text: &[char], clause_start: usize, at: usize, unit: Option<&str>) -> Scope {
    let before: String = text[clause_start..at].iter().collect();
    if PER_UNIT.iter().any(|p| before.contains(p)) {
        return Scope::PerUnit;
    }
    let rate = matches!(unit, Some("%"));
    let group = (clause_start..at).any(|i| {
        text[i] == '个'
            && i > clause_start
            && (text[i - 1].is_ascii_digit() || "一二两三四五六七八九十".contains(text[i - 1]))
            && {
                let tail: String = text[i + 1..at.min(i + 17)]
                    .iter()
                    .take_while(|c| !"，,；;。、".contains(**c))
                    .collect();
                GROUP_OF_DISTRICTS.iter().any(|w| tail.contains(w))
            }
    });
    if rate && group {
        Scope::PerUnit
    } else {
        Scope::City
    }
}

/// Removes leading deadline, place and modal words from a name.
pub fn trim_name(s: &str) -> String {
    let mut s = s.trim().to_string();
    loop {
        let before = s.clone();
        for p in NAME_PREFIXES {
            if let Some(rest) = s.strip_prefix(p) {
                s = rest.to_string();
            }
        }
        // A leading year or deadline: 2023年底前, 2023年, 11月底前.
        let digits = s.chars().take_while(|c| c.is_ascii_digit()).count();
        if digits == 4 && s[digits..].starts_with('年') {
            s = s[digits + '年'.len_utf8()..].to_string();
        }

        // A leading count of the group the metric is held by (7个试点区县
        // 智慧社区覆盖率): the name is the metric, the group its scope.
        if (1..=2).contains(&digits)
            && s[digits..].starts_with('个')
            && s[digits..].chars().count() > 4
        {
            s = s[digits + '个'.len_utf8()..].to_string();
        }
        // A leading month deadline: 11月底前 (the digits read again: the
        // string may have changed above).
        let digits = s.chars().take_while(|c| c.is_ascii_digit()).count();
        if (1..=2).contains(&digits) && s[digits..].starts_with("月底") {
            s = s[digits + "月底".len()..].to_string();
        }
        s = s
            .trim_start_matches(|c: char| c == ',' || c == '、' || c.is_whitespace())
            .to_string();
        if s == before {
            break;
        }
    }
    s
}

/// A name made from the words before a target (累计建成智慧社区 → 智慧社区):
/// without leading time, modal and action words, nor a trailing 达.
pub fn subject_object(s: &str) -> String {
    let mut s = trim_name(s);
    // One leading action word goes (累计建成 counts as one: 累计 is a prefix).
    if let Some(v) = ACTION_VERBS
        .iter()
        .chain(["新", "再", "共"].iter())
        .filter(|v| s.starts_with(**v) && s.chars().count() >= v.chars().count() + 2)
        .max_by_key(|v| v.len())
    {
        s = trim_name(&s[v.len()..]);
    }
    s.trim_end_matches(['达', '到', '为']).trim().to_string()
}

/// Whether a name already reads as a metric (ends like 率, 数, 额 …).
pub fn is_metric(name: &str) -> bool {
    METRIC_ENDINGS.iter().any(|e| name.ends_with(e))
}

/// Splits a subject naming several metrics that share one target
/// (覆盖率和联网率不低于80%, 合规率、及时率不低于98%) into one name each;
/// a short later part borrows the first part's head (“双公示”及时率).
pub fn split_metrics(subject: &str) -> Vec<String> {
    let parts: Vec<&str> = subject
        .split(['、', '和', '与'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() < 2 || !parts.iter().all(|p| is_metric(p)) {
        return vec![subject.to_string()];
    }
    // A short later part (及时率) replaces as many characters at the end of the first.
    let first: Vec<char> = parts[0].chars().collect();
    parts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let n = p.chars().count();
            if i > 0 && n <= 4 && n < first.len() {
                first[..first.len() - n].iter().collect::<String>() + p
            } else {
                p.to_string()
            }
        })
        .collect()
}

/// Whether the words right after a percentage make it a share of units
/// (60%以上的区(市)达到… → each unit is judged, per-unit scope). After a
/// count they name what is counted (4个县级节点…: city scope).
pub fn per_unit_after(text: &[char], at: usize, unit: Option<&str>) -> bool {
    if unit != Some("%") {
        return false;
    }
    let rest: String = text[at..text.len().min(at + 8)].iter().collect();
    let rest = rest.trim_start_matches("以上").trim_start_matches('的');
    ["区", "县", "市(区)", "区(市)", "区县"]
        .iter()
        .any(|p| rest.starts_with(p))
}

/// The object a quantity counts: the words after its unit up to a verb or
/// the end of the clause (75个智慧社区 → 智慧社区).
pub fn object_after(text: &[char], from: usize, clause_end: usize) -> String {
    const STOPS: &[&str] = &[
        "入选", "争创", "通过", "得到", "实现", "顺利", "完成", "达到", "覆盖", "建成", "接入",
        "并", "以上", "以内", "以下", "等", "和", "及", "、", "(", "内",
    ];
    let stop_at = |stops: &[&str], mut j: usize| {
        while j < clause_end && !stops.iter().any(|w| starts_with_at(text, j, w)) {
            j += 1;
        }
        j
    };
    let j = stop_at(STOPS, from);
    // 具备创新性、示范性的智慧应用场景: qualities joined by 、 (和, 及) and
    // closed by 的 describe the thing counted, which follows that 的.
    if ["、", "和", "及"]
        .iter()
        .any(|w| starts_with_at(text, j, w))
    {
        let hard: Vec<&str> = STOPS
            .iter()
            .copied()
            .filter(|w| !["、", "和", "及"].contains(w))
            .collect();
        let k = stop_at(&hard, j);
        if let Some(d) = (j + 1..k).rev().find(|&i| text[i] == '的') {
            let end = stop_at(STOPS, d + 1);
            if end >= d + 3 {
                return text[d + 1..end]
                    .iter()
                    .collect::<String>()
                    .trim()
                    .to_string();
            }
        }
    }
    let s: String = text[from..j].iter().collect();
    s.trim_start_matches("左右")
        .trim_start_matches(|c: char| "以上以内的,".contains(c))
        .trim()
        .to_string()
}

/// Kind, direction and confidence of a target from its words.
/// `stock` says the target is a state reached (…达到N个), not an amount delivered (打造N个).
pub fn classify(
    clause: &str,
    name: &str,
    unit: Option<&str>,
    comparator: Comparator,
    stock: bool,
) -> (Kind, Better) {
    let is_time = unit.is_some_and(|u| TIME_UNITS.contains(&u));
    let better = match comparator {
        Comparator::Le | Comparator::Lt => Better::Lower,
        _ if is_time && comparator == Comparator::Eq => Better::Lower,
        _ => Better::Higher,
    };
    let kind = if unit.is_some_and(|u| EVENT_UNITS.contains(&u)) {
        Kind::CountOfEvents
    } else if unit == Some("%")
        || unit == Some("个百分点")
        || is_time
        || [
            "率",
            "占比",
            "比例",
            "比重",
            "PUE",
            "满意度",
            "指数",
            "增长",
            "增速",
            "增幅",
        ]
        .iter()
        .any(|e| name.ends_with(e))
        || name.starts_with("日均")
        || unit.is_none()
    {
        Kind::Level
    } else if clause.contains("累计")
        || name.ends_with("总数")
        || name.ends_with("总量")
        || name.ends_with("保有量")
        || stock
            && !["新建", "新增", "新接入", "年内", "新培育"]
                .iter()
                .any(|w| clause.contains(w))
    {
        Kind::Cumulative
    } else {
        Kind::New
    };
    (kind, better)
}

/// The confidence of a target: sure with an explicit comparator word, to
/// review when it came from a verb alone, a Chinese numeral or a count of
/// listed items.
pub fn confidence(explicit: bool, q: &Quantity, enumerated: bool) -> Confidence {
    if enumerated || q.chinese || !explicit && q.unit.is_none() {
        Confidence::Debatable
    } else {
        Confidence::Certain
    }
}

/// Whether the quantity counts items listed right before it
/// (淄川区、博山区…沂源县7个, 张店、临淄等首批4个): a count, not a target to reach.
pub fn enumerated(text: &[char], clause_start: usize, at: usize) -> bool {
    let window = &text[clause_start.max(at.saturating_sub(8))..at];
    let s: String = window.iter().collect();
    if let Some(p) = s.rfind('等') {
        // 公安、城管等10余个项目 counts the list; 在…等领域打造10个案例 names
        // where, and the verb after it states the target.
        let after = &s[p + '等'.len_utf8()..];
        return !ACTION_VERBS.iter().any(|v| after.contains(v));
    }
    let before: String = text[clause_start..at].iter().collect();
    let tail = before.rsplit([',', '。']).next().unwrap_or("");
    tail.matches('、').count() >= 2
        && tail.chars().last().is_none_or(crate::domain::text::is_han)
        && before.chars().rev().take_while(|c| *c != '、').count() <= 6
}

/// Unit inferred from a metric's name when the text gives none (用户数超47万 → 人).
pub fn unit_from_name(name: &str) -> Option<String> {
    if name.ends_with("用户数") || name.ends_with("人数") || name.ends_with("用户") {
        Some("人".into())
    } else if name.ends_with("率")
        || name.ends_with("占比")
        || name.ends_with("比例")
        || name.ends_with("比重")
    {
        Some("%".into())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn chinese_numerals() {
        assert_eq!(han_number(&c("二十")), Some(20.0));
        assert_eq!(han_number(&c("十二")), Some(12.0));
        assert_eq!(han_number(&c("一百五十")), Some(150.0));
        assert_eq!(han_number(&c("两千")), Some(2000.0));
        assert_eq!(han_number(&c("三万五千")), Some(35000.0));
        assert_eq!(han_number(&c("四")), Some(4.0));
    }

    fn qs(s: &str) -> Vec<(f64, Option<f64>, Option<String>)> {
        let t = c(s);
        let mask = quoted(&t);
        quantities(&t, 0, t.len(), &mask)
            .0
            .into_iter()
            .map(|q| (q.value, q.value_max, q.unit))
            .collect()
    }

    #[test]
    fn numbers_units_and_multipliers() {
        assert_eq!(qs("达到3.5万个"), vec![(35000.0, None, Some("个".into()))]);
        assert_eq!(qs("超47万"), vec![(470000.0, None, None)]);
        assert_eq!(qs("1000亿元"), vec![(1000.0, None, Some("亿元".into()))]);
        assert_eq!(qs("60万人"), vec![(600000.0, None, Some("人".into()))]);
        assert_eq!(qs("2-3个区"), vec![(2.0, Some(3.0), Some("个".into()))]);
        assert_eq!(qs("25%以上"), vec![(25.0, None, Some("%".into()))]);
        assert_eq!(
            qs("在2个工作日处理"),
            vec![(2.0, None, Some("个工作日".into()))]
        );
        assert_eq!(qs("不少于两个"), vec![(2.0, None, Some("个".into()))]);
        assert_eq!(qs("12,560个"), vec![(12560.0, None, Some("个".into()))]);
    }

    #[test]
    fn numbers_that_are_not_targets() {
        for s in [
            "2023年底前",
            "党的二十大",
            "第三届",
            "“3510”发展目标",
            "50强特色分厅",
            "省市两级",
            "五星级",
            "《规划(2023-2025年)》",
            "1+3+N",
            "5G基站",
            "一人一号",
            "“一朵云2.0”",
            "6月底前",
        ] {
            assert!(qs(s).is_empty(), "{s}: {:?}", qs(s));
        }
    }

    #[test]
    fn cues_before_and_after() {
        let t = c("年内全市打造不少于50个应用场景");
        let at = t.iter().position(|c| *c == '5').unwrap();
        assert_eq!(
            cue_before(&t, 0, at).map(|x| (x.0, x.2)),
            Some((Comparator::Ge, true))
        );
        let t = c("日均活跃用户数超47万");
        let at = t.iter().position(|c| *c == '4').unwrap();
        assert_eq!(cue_before(&t, 0, at).map(|x| x.0), Some(Comparator::Gt));
        assert!(is_metric("日均活跃用户数"));
        assert_eq!(subject_object("累计建成智慧社区"), "智慧社区");
        assert_eq!(
            split_metrics("“双公示”合规率、及时率"),
            vec!["“双公示”合规率", "“双公示”及时率"]
        );
        let t = c("推动打造50个典型案例");
        let at = t.iter().position(|c| *c == '5').unwrap();
        assert_eq!(
            cue_before(&t, 0, at).map(|x| (x.0, x.2)),
            Some((Comparator::Ge, false))
        );
        assert_eq!(cue_after(&c("以上"), 0, Some("个")), Some(Comparator::Ge));
        assert_eq!(
            cue_after(&c("内得到响应"), 0, Some("个工作日")),
            Some(Comparator::Le)
        );
    }

    #[test]
    fn what_is_counted_follows_the_qualities_before_its_de() {
        let object = |s: &str| {
            let t = c(s);
            object_after(&t, 0, t.len())
        };
        assert_eq!(object("具备创新性、示范性的智慧应用场景"), "智慧应用场景");
        assert_eq!(object("数据开放实验室、创新中心"), "数据开放实验室");
        assert_eq!(object("具有创新性的数据产品和服务"), "具有创新性的数据产品");
    }
}
