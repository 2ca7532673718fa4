//! Plan documents (工作要点 / 行动方案) → a plan draft for review: the task
//! tree with responsible units and deadlines, and every quantitative target
//! with its comparator, unit, kind, scope and the exact words of the plan.
//!
//! The rules are general (PRODUCT.md section 4): heading numbers at any
//! depth, a lexicon of target words, units and non-target contexts. Work is
//! done on a matching copy of the text (Simplified, half-width, without
//! pinyin or web debris); every phrase is quoted from the original.

mod outline;
mod quantity;
pub mod source;

pub use source::{ReadError, decode};

use crate::domain::{
    Comparator, Date, PlanDoc, PlanIndicator, PlanSection, PlanTask, ResponsibleUnit, Scope,
};
use outline::Item;
use serde::Serialize;
use source::Source;
use std::path::Path;

/// Options for an extraction.
#[derive(Clone, Debug, Default)]
pub struct ExtractOptions {
    /// The plan year when the document does not state it (or states it wrongly).
    pub year: Option<i32>,
    /// The document's file name, kept in the plan.
    pub document: Option<String>,
}

/// A number in the plan that was not taken as a target, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NonTarget {
    pub task: Option<String>,
    pub phrase: String,
    pub why: String,
}

/// What a reviewer decided about a proposed indicator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Review {
    Proposed,
    Accepted,
    Edited,
    Dropped,
}

/// An extracted plan awaiting review: the plan, the proposal for each
/// indicator, and the numbers that were left out.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlanDraft {
    #[serde(flatten)]
    pub plan: PlanDoc,
    pub non_targets: Vec<NonTarget>,
    #[serde(skip)]
    pub review: Vec<Review>,
}

impl PlanDraft {
    /// Accepts indicator `i` as proposed.
    pub fn accept(&mut self, i: usize) {
        if let Some(r) = self.review.get_mut(i) {
            *r = Review::Accepted;
        }
    }

    /// Replaces indicator `i` with a reviewer's correction.
    pub fn edit(&mut self, i: usize, indicator: PlanIndicator) {
        if i < self.plan.indicators.len() {
            self.plan.indicators[i] = indicator;
            self.review[i] = Review::Edited;
        }
    }

    /// Adds an indicator the reviewer found (from a passage of the text, or
    /// blank) and returns its index.
    pub fn add(&mut self, indicator: PlanIndicator) -> usize {
        self.plan.indicators.push(indicator);
        self.review.push(Review::Edited);
        self.plan.indicators.len() - 1
    }

    /// Drops indicator `i` (it will not be saved).
    pub fn drop_indicator(&mut self, i: usize) {
        if let Some(r) = self.review.get_mut(i) {
            *r = Review::Dropped;
        }
    }

    /// The plan to save: every indicator not dropped.
    pub fn into_plan(self) -> PlanDoc {
        let mut plan = self.plan;
        let review = self.review;
        let mut k = 0;
        plan.indicators.retain(|_| {
            let keep = review.get(k) != Some(&Review::Dropped);
            k += 1;
            keep
        });
        plan
    }
}

/// Reads a plan document file (.txt in any common encoding, or .docx).
pub fn read_file(path: &Path) -> Result<String, ReadError> {
    let bytes = std::fs::read(path).map_err(|e| ReadError(e.to_string()))?;
    decode(&bytes)
}

/// Extracts the plan from a document's text.
///
/// ```
/// use taizhang::plan_text::{extract, ExtractOptions};
/// let text = "2023年全市大数据工作要点\n一、建设智慧社区\n1.推动智慧社区建设。2023年底前全市新建不少于75个智慧社区。\n";
/// let draft = extract(text, &ExtractOptions::default()).unwrap();
/// let ind = &draft.plan.indicators[0];
/// assert_eq!((ind.target, ind.unit.as_deref(), ind.name.as_str()), (75.0, Some("个"), "新建智慧社区数"));
/// assert_eq!(ind.task.as_deref(), Some("一/1"));
/// ```
pub fn extract(text: &str, opts: &ExtractOptions) -> Result<PlanDraft, ReadError> {
    let src = Source::new(text);
    let (items, preamble_end) = outline::items(&src);
    if items.is_empty() {
        return Err(ReadError(
            "no numbered headings or tasks were found (一、 / （一） / 1.): is this a plan document?".into(),
        ));
    }
    let header = outline::header(&src, preamble_end);
    let year = opts
        .year
        .or(header.year)
        .or_else(|| most_common_year(&src))
        .ok_or_else(|| {
            ReadError("the plan year is not stated in the document: give it with --year".into())
        })?;
    let levels = outline::levels(&items);
    let level_of = |item: &Item| {
        levels
            .iter()
            .position(|m| *m == item.marker)
            .expect("listed")
    };
    // The lowest numbered item of its branch is a task, whatever its
    // numbering ((一) items are tasks in one plan, sections holding 1. items
    // in another); a top-level heading with nothing numbered under it is a
    // section whose paragraph may state targets (一、主要目标).
    let is_task: Vec<bool> = items
        .iter()
        .enumerate()
        .map(|(k, item)| {
            let level = level_of(item);
            let has_child = items.get(k + 1).is_some_and(|next| level_of(next) > level);
            let title_end = outline::section_title_end(&src.text, item.start, item.end);
            let title: String = src.text[item.start..title_end].iter().collect();
            !has_child && (level > 0 || levels.len() == 1) && !outline::is_goals_heading(&title)
        })
        .collect();
    let mask = quantity::quoted(&src.text);

    let mut roots: Vec<PlanSection> = Vec::new();
    let mut stack: Vec<(usize, PlanSection)> = Vec::new();
    let mut indicators = Vec::new();
    let mut non_targets = Vec::new();
    // Targets stated before the first heading (the preamble) or in a
    // section's own paragraph: the plan's headline targets.
    let mut headline: Vec<usize> = Vec::new();
    if preamble_end > 0 {
        let preamble = Item {
            marker: outline::Marker::Han,
            number: String::new(),
            start: 0,
            end: preamble_end,
        };
        let before = indicators.len();
        task_indicators(
            &src,
            &preamble,
            "",
            year,
            &mask,
            &mut indicators,
            &mut non_targets,
        );
        headline.extend(before..indicators.len());
    }
    for (k, item) in items.iter().enumerate() {
        let level = level_of(item);
        if is_task[k] {
            if stack.is_empty() {
                stack.push((
                    0,
                    PlanSection {
                        number: String::new(),
                        title: String::new(),
                        subsections: vec![],
                        tasks: vec![],
                    },
                ));
            }
            let path = stack
                .iter()
                .map(|(_, s)| s.number.as_str())
                .chain(std::iter::once(item.number.as_str()))
                .collect::<Vec<_>>()
                .join("/");
            let task = task_of(&src, item, year);
            task_indicators(
                &src,
                item,
                &path,
                year,
                &mask,
                &mut indicators,
                &mut non_targets,
            );
            stack.last_mut().expect("a section").1.tasks.push(task);
        } else {
            while stack.last().is_some_and(|(l, _)| *l >= level) {
                close(&mut stack, &mut roots);
            }
            let end = outline::section_title_end(&src.text, item.start, item.end);
            let title = src.clean(item.start, end).trim().to_string();
            let path = stack
                .iter()
                .map(|(_, s)| s.number.as_str())
                .chain(std::iter::once(item.number.as_str()))
                .collect::<Vec<_>>()
                .join("/");
            let before = indicators.len();
            task_indicators(
                &src,
                item,
                &path,
                year,
                &mask,
                &mut indicators,
                &mut non_targets,
            );
            headline.extend(before..indicators.len());
            stack.push((
                level,
                PlanSection {
                    number: item.number.clone(),
                    title,
                    subsections: vec![],
                    tasks: vec![],
                },
            ));
        }
    }
    while !stack.is_empty() {
        close(&mut stack, &mut roots);
    }
    // The same target stated as a headline and in a task is one indicator,
    // kept at the task; stated in the preamble and in a section's
    // paragraph, kept at the section.
    let depth = |k: usize| -> u8 {
        match indicators[k].task.as_deref() {
            Some("") | None => 0,
            _ if headline.contains(&k) => 1,
            _ => 2,
        }
    };
    let restated = |k: usize| {
        let h = &indicators[k];
        indicators.iter().enumerate().any(|(j, t)| {
            depth(j) > depth(k)
                && t.target == h.target
                && t.unit == h.unit
                && t.comparator == h.comparator
                && same_metric(&t.name, &h.name)
        })
    };
    let drop: Vec<bool> = (0..indicators.len())
        .map(|k| depth(k) < 2 && restated(k))
        .collect();
    let mut k = 0;
    indicators.retain(|_| {
        k += 1;
        !drop[k - 1]
    });
    let n = indicators.len();
    Ok(PlanDraft {
        plan: PlanDoc {
            document: opts.document.clone(),
            title: header.title,
            issuer: header.issuer,
            city: header.city,
            year,
            sections: roots,
            indicators,
        },
        non_targets,
        review: vec![Review::Proposed; n],
    })
}

/// Whether two names speak of one metric: one holds the other, or most of
/// the shorter one's characters are in the longer (网上可办率 / 政务服务事项
/// 网上可办率), not merely the same number.
fn same_metric(a: &str, b: &str) -> bool {
    let (short, long) = if a.chars().count() <= b.chars().count() {
        (a, b)
    } else {
        (b, a)
    };
    if short.is_empty() {
        return false;
    }
    if long.contains(short) {
        return true;
    }
    let n = short.chars().count();
    let shared = short.chars().filter(|c| long.contains(*c)).count();
    shared * 10 >= n * 7
}

fn close(stack: &mut Vec<(usize, PlanSection)>, roots: &mut Vec<PlanSection>) {
    let (_, s) = stack.pop().expect("non-empty");
    match stack.last_mut() {
        Some((_, parent)) => parent.subsections.push(s),
        None => roots.push(s),
    }
}

fn most_common_year(src: &Source) -> Option<i32> {
    let t: String = src.text.iter().collect();
    let mut counts: std::collections::HashMap<i32, usize> = std::collections::HashMap::new();
    let cs: Vec<char> = t.chars().collect();
    for i in 0..cs.len().saturating_sub(4) {
        if cs[i..i + 4].iter().all(|c| c.is_ascii_digit())
            && cs[i + 4] == '年'
            && let Ok(y) = cs[i..i + 4].iter().collect::<String>().parse::<i32>()
            && (1990..=2100).contains(&y)
        {
            *counts.entry(y).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by_key(|(y, n)| (*n, *y))
        .map(|(y, _)| y)
}

/// A task: its title (to the first 。, without a units bracket), responsible
/// units and deadline (the latest deadline phrase in its text).
fn task_of(src: &Source, item: &Item, year: i32) -> PlanTask {
    let (units, spans) = outline::responsible_units(&src.text, item.start, item.end);
    let end = outline::title_end(&src.text, item.start, item.end);
    let mut title = String::new();
    let mut i = item.start;
    for &(s, e) in spans.iter().filter(|(s, _)| *s < end) {
        title.push_str(&src.clean(i, s));
        i = e;
    }
    if i < end {
        title.push_str(&src.clean(i, end));
    }
    let deadline = outline::deadlines(&src.text[item.start..item.end], year)
        .into_iter()
        .map(|d| d.2)
        .max();
    PlanTask {
        number: item.number.clone(),
        title: title.trim().trim_end_matches(['。', '.']).to_string(),
        responsible_units: units
            .into_iter()
            .map(|u| ResponsibleUnit {
                name: u.name,
                role: u.role,
            })
            .collect(),
        deadline,
    }
}

/// Clause boundaries: sentence and clause punctuation (a comma between
/// digits of a number is not one).
fn clauses(
    text: &[char],
    start: usize,
    end: usize,
    skip: &[(usize, usize)],
) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut s = start;
    for i in start..end {
        let c = text[i];
        let in_skip = skip.iter().any(|&(a, b)| i >= a && i < b);
        if in_skip {
            if i > s && !skip.iter().any(|&(a, b)| s >= a && s < b) {
                out.push((s, i));
            }
            s = i + 1;
            continue;
        }
        let boundary = matches!(c, '。' | ';' | '\n' | '!' | '?' | ':')
            || c == ','
                && !(i > 0
                    && text[i - 1].is_ascii_digit()
                    && text
                        .get(i + 1..i + 4)
                        .is_some_and(|d| d.iter().all(|d| d.is_ascii_digit())));
        if boundary {
            if i > s {
                out.push((s, i));
            }
            s = i + 1;
        }
    }
    if end > s {
        out.push((s, end));
    }
    out
}

/// A target found in a clause before it becomes an indicator.
struct Found {
    q: quantity::Quantity,
    comparator: Comparator,
    explicit: bool,
    enumerated: bool,
    /// Where the words that name it end (the cue's start), for subject names.
    cue_start: usize,
    /// The cue word before the number, if any.
    cue_word: Option<&'static str>,
}

#[allow(clippy::too_many_arguments)]
/// The indicators in a passage the user chose in the plan text (a target the
/// extractor missed), read by the same rules as a task's text; each takes
/// `task` as its task. No indicator: the passage states no target.
///
/// ```
/// let found = taizhang::plan_text::indicators_in("全年新增5G基站不少于3000个", 2023, Some("二/4"));
/// assert_eq!(found.len(), 1);
/// assert_eq!((found[0].target, found[0].unit.as_deref()), (3000.0, Some("个")));
/// assert_eq!(found[0].task.as_deref(), Some("二/4"));
/// ```
pub fn indicators_in(passage: &str, year: i32, task: Option<&str>) -> Vec<PlanIndicator> {
    let src = Source::new(passage);
    let item = Item {
        marker: outline::Marker::Arabic,
        number: String::new(),
        start: 0,
        end: src.text.len(),
    };
    let mask = quantity::quoted(&src.text);
    let mut out = Vec::new();
    let mut non_targets = Vec::new();
    task_indicators(
        &src,
        &item,
        task.unwrap_or(""),
        year,
        &mask,
        &mut out,
        &mut non_targets,
    );
    for ind in &mut out {
        ind.task = task.map(str::to_string);
        ind.id = None;
    }
    out
}

fn task_indicators(
    src: &Source,
    item: &Item,
    path: &str,
    year: i32,
    mask: &[bool],
    out: &mut Vec<PlanIndicator>,
    non_targets: &mut Vec<NonTarget>,
) {
    let text = &src.text;
    let (_, unit_spans) = outline::responsible_units(text, item.start, item.end);
    let mut carried: Option<Date> = None;
    for (cs, ce) in clauses(text, item.start, item.end, &unit_spans) {
        // A clause that is only a deadline (到2025年,) sets the next one's.
        let here = outline::deadlines(&text[cs..ce], year);
        let only_deadline = here.len() == 1 && {
            let (a, b, _) = here[0];
            let rest = (ce - cs) - (b - a);
            rest <= 2
        };
        let inherited = carried.take();
        if only_deadline {
            carried = Some(here[0].2);
            continue;
        }
        let (qs, rejected) = quantity::quantities(text, cs, ce, mask);
        for r in rejected {
            non_targets.push(NonTarget {
                task: Some(path.to_string()),
                phrase: src.original(r.start, r.end),
                why: r.why.to_string(),
            });
        }
        let mut found: Vec<Found> = Vec::new();
        for q in qs {
            let before = quantity::cue_before(text, cs, q.start);
            let after = quantity::cue_after(text, q.end, q.unit.as_deref());
            let enumerated = q.unit.is_some()
                && before.is_none_or(|b| !b.2)
                && after.is_none()
                && quantity::enumerated(text, cs, q.start);
            let cue_word = before.map(|b| b.3);
            let in_limit = q.unit.as_deref().is_some_and(|u| {
                ["个工作日", "工作日", "天", "小时", "分钟", "秒", "毫秒"].contains(&u)
            }) && q.start > cs
                && text[q.start - 1] == '在';
            let coordinated = found.last().filter(|prev| {
                let between: String = text[prev.q.end..q.start].iter().collect();
                (between.contains('、') || between.contains('和') || between.contains('及'))
                    && between.chars().count() <= 20
            });
            let (comparator, explicit, cue_start) = if enumerated {
                (Comparator::Eq, false, q.start)
            } else if let Some(c) = after {
                (c, true, before.map_or(q.start, |b| b.1))
            } else if let Some((c, s, explicit, _)) = before {
                (c, explicit, s)
            } else if in_limit {
                (Comparator::Le, true, q.start - 1)
            } else if let Some(prev) = coordinated {
                (prev.comparator, prev.explicit, q.start)
            } else if let Some(v) = quantity::leading_verb(text, cs, q.start).filter(|_| {
                let rest: String = text[q.end..ce].iter().collect();
                q.unit.is_some()
                    && (!q.chinese || q.value >= 10.0)
                    && matches!(rest.trim(), "" | "左右" | "以上")
            }) {
                (Comparator::Ge, false, v)
            } else {
                non_targets.push(NonTarget {
                    task: Some(path.to_string()),
                    phrase: src.original(q.start, q.end),
                    why: "no target word (不少于, 达到, 以上 …) with it".into(),
                });
                continue;
            };
            // 10余个: more than ten; a rate cannot exceed 100% (达100% is =).
            let comparator = match comparator {
                Comparator::Ge | Comparator::Eq if q.over => Comparator::Gt,
                Comparator::Ge | Comparator::Gt
                    if q.unit.as_deref() == Some("%") && q.value == 100.0 =>
                {
                    Comparator::Eq
                }
                c => c,
            };
            // A Chinese numeral counts as a number (rule 7) when a verb or a
            // target word governs it and it is not a small structure count
            // (三项机制, 两个拓展).
            if q.chinese && !explicit && q.value < 10.0 {
                non_targets.push(NonTarget {
                    task: Some(path.to_string()),
                    phrase: src.original(q.start, q.end),
                    why: "a Chinese numeral without a target word".into(),
                });
                continue;
            }
            if q.unit.is_none() && !explicit {
                continue;
            }
            found.push(Found {
                q,
                comparator,
                explicit,
                enumerated,
                cue_start,
                cue_word,
            });
        }
        // A count stated only by a verb before a target with its own word is a
        // qualifier (7个试点区县…覆盖率达到40%): not a target itself.
        if found.iter().any(|f| f.explicit) {
            let keep: Vec<bool> = found
                .iter()
                .enumerate()
                .map(|(i, f)| f.explicit || !found[i + 1..].iter().any(|g| g.explicit))
                .collect();
            let mut k = 0;
            found.retain(|f| {
                let keep_it = keep[k];
                k += 1;
                if !keep_it {
                    non_targets.push(NonTarget {
                        task: Some(path.to_string()),
                        phrase: src.original(f.q.start, f.q.end),
                        why: "a qualifier of the target that follows it".into(),
                    });
                }
                keep_it
            });
        }
        let clause_str: String = text[cs..ce].iter().collect();
        let respectively = clause_str.contains("分别");
        let subjects: Vec<String> = if respectively {
            let at = cs + clause_str.chars().position(|c| c == '分').unwrap_or(0);
            let head: String = text[cs..at].iter().collect();
            head.split('、').map(quantity::trim_name).collect()
        } else {
            Vec::new()
        };
        let clause_deadline = here.iter().map(|d| d.2).max().or(inherited);
        let lead = text[cs..ce]
            .iter()
            .take_while(|c| c.is_whitespace())
            .count();
        for (k, f) in found.iter().enumerate() {
            let q = &f.q;
            // The words before the target: after the previous target's 、 or 和
            // when several stand in one clause.
            let seg_start = if !respectively && k > 0 {
                (found[k - 1].q.end..f.cue_start.max(found[k - 1].q.end))
                    .rev()
                    .find(|&i| matches!(text[i], '、' | '和' | '及'))
                    .map_or(cs, |i| i + 1)
            } else {
                cs
            };
            let coordinated = seg_start > cs;
            let subject: String = text[seg_start..f.cue_start.max(seg_start)].iter().collect();
            let subject = quantity::trim_name(subject.trim_end_matches(['在', '的']));
            let mut names: Vec<String> = if respectively && subjects.len() == found.len() {
                vec![subjects[k].clone()]
            } else if quantity::is_metric(&subject) && subject.chars().count() >= 2 {
                if found.len() == 1 {
                    quantity::split_metrics(&subject)
                } else {
                    vec![subject.clone()]
                }
            } else {
                let mut from = q.end;
                for w in ["以上", "以内", "以下", "及以上", "左右"] {
                    if text[from..ce].starts_with(&w.chars().collect::<Vec<_>>()) {
                        from += w.chars().count();
                    }
                }
                let object = quantity::object_after(text, from, ce);
                let object = object.trim_start_matches('的').to_string();
                let suffix = match q.unit.as_deref() {
                    Some("次") => "次数",
                    Some("轮") => "轮次",
                    Some("场") => "场次",
                    _ => "数",
                };
                let verb = ["新建", "新增", "新接入", "新开通"]
                    .iter()
                    .find(|v| {
                        subject.ends_with(**v)
                            || text[f.cue_start..q.start]
                                .starts_with(&v.chars().collect::<Vec<_>>())
                    })
                    .copied()
                    .unwrap_or("");
                // The words naming what is counted: before the cue, or between a
                // leading verb and the number (新增上云企业500家).
                let words: String = if subject.is_empty() {
                    text[f.cue_start..q.start].iter().collect()
                } else {
                    subject.clone()
                };
                let base = quantity::subject_object(&words);
                let name = if object.chars().count() >= 2 {
                    format!("{verb}{object}{suffix}")
                } else if base.chars().count() >= 2 {
                    if quantity::is_metric(&base) {
                        base
                    } else {
                        format!("{verb}{base}{suffix}")
                    }
                } else {
                    quantity::trim_name(&clause_str)
                };
                let cumulative = clause_str.contains("累计") && !name.contains("累计");
                vec![if cumulative {
                    format!("{name}（累计）")
                } else {
                    name
                }]
            };
            let stock = f
                .cue_word
                .is_some_and(|w| quantity::STOCK_CUES.contains(&w))
                && quantity::subject_object(&subject).chars().count() >= 2;
            // A 万 or 亿 with no unit: money (金额, 产值 …) keeps it as 万元 / 亿元.
            let (target, target_max, mut unit) = match q.bare_multiplier {
                Some(m)
                    if [
                        "额",
                        "产值",
                        "金额",
                        "收入",
                        "投资",
                        "增加值",
                        "资金",
                        "规模",
                    ]
                    .iter()
                    .any(|e| names[0].ends_with(e)) =>
                {
                    let f = if m == '万' { 1e4 } else { 1e8 };
                    (
                        q.value / f,
                        q.value_max.map(|v| v / f),
                        Some(format!("{m}元")),
                    )
                }
                _ => (q.value, q.value_max, q.unit.clone()),
            };
            if unit.is_none() {
                unit = quantity::unit_from_name(&names[0]);
            }
            let scope = if quantity::per_unit_after(text, q.end, q.unit.as_deref()) {
                Scope::PerUnit
            } else {
                quantity::scope_of(text, cs, q.start, unit.as_deref())
            };
            // A coordinated target's phrase is its own part of the clause.
            let phrase_start = if coordinated { seg_start } else { cs + lead };
            let phrase_end = if !respectively && found.get(k + 1).is_some() {
                (q.end..ce).find(|&i| text[i] == '、').unwrap_or(ce)
            } else {
                ce
            };
            for name in names.drain(..) {
                let (kind, better) =
                    quantity::classify(&clause_str, &name, unit.as_deref(), f.comparator, stock);
                out.push(PlanIndicator {
                    id: None,
                    task: Some(path.to_string()),
                    phrase: src.original(phrase_start, phrase_end),
                    name: clean_name(src, cs, ce, &name),
                    comparator: f.comparator,
                    target,
                    target_max,
                    unit: unit.clone(),
                    better: Some(better),
                    baseline: None,
                    scope,
                    kind,
                    aggregation: None,
                    reporting_units: None,
                    city_reporter: None,
                    deadline: Some(clause_deadline.unwrap_or_else(|| Date::end_of_year(year))),
                    confidence: Some(quantity::confidence(f.explicit, q, f.enumerated)),
                });
            }
        }
    }
}

/// A name made from the matching copy, given back in the original script
/// (without pinyin): each longest piece of it found in the clause is taken
/// from the original; built parts (数, （累计）) stay as they are.
fn clean_name(src: &Source, cs: usize, ce: usize, name: &str) -> String {
    let clause = &src.text[cs..ce];
    let n: Vec<char> = name.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < n.len() {
        let found = (1..=n.len() - i).rev().find_map(|len| {
            clause
                .windows(len)
                .position(|w| w == &n[i..i + len])
                .map(|p| (p, len))
        });
        match found {
            Some((p, len)) if len >= 2 || crate::domain::text::is_han(n[i]) => {
                out.push_str(&src.clean(cs + p, cs + p + len));
                i += len;
            }
            _ => {
                out.push(n[i]);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Confidence;

    #[test]
    fn respectively_gives_one_indicator_each() {
        let t = "2023年工作要点\n一、服务\n1.深化应用。政务服务表格（表单）字段共享率、证明材料共享率分别达50%和60%。\n";
        let d = extract(t, &ExtractOptions::default()).unwrap();
        let got: Vec<(&str, f64)> = d
            .plan
            .indicators
            .iter()
            .map(|i| (i.name.as_str(), i.target))
            .collect();
        assert_eq!(
            got,
            vec![
                ("政务服务表格（表单）字段共享率", 50.0),
                ("证明材料共享率", 60.0)
            ]
        );
        assert!(
            d.plan
                .indicators
                .iter()
                .all(|i| i.unit.as_deref() == Some("%") && i.comparator == Comparator::Ge)
        );
    }

    #[test]
    fn drafts_are_reviewed_indicator_by_indicator() {
        let t = "2023年工作要点\n一、安全\n1.演练。年内至少开展2次攻防演练、1次应急演练。\n";
        let mut d = extract(t, &ExtractOptions::default()).unwrap();
        assert_eq!(d.plan.indicators.len(), 2);
        assert_eq!(d.plan.indicators[1].name, "应急演练次数");
        assert_eq!(d.plan.indicators[1].comparator, Comparator::Ge);
        d.accept(0);
        let mut edited = d.plan.indicators[1].clone();
        edited.target = 3.0;
        d.edit(1, edited);
        assert_eq!(d.review, vec![Review::Accepted, Review::Edited]);
        d.drop_indicator(0);
        let plan = d.into_plan();
        assert_eq!(plan.indicators.len(), 1);
        assert_eq!(plan.indicators[0].target, 3.0);
    }

    #[test]
    fn a_document_without_headings_is_refused() {
        let e = extract("这是一段普通的文字。", &ExtractOptions::default()).unwrap_err();
        assert!(e.0.contains("no numbered headings"));
        let e = extract(
            "一、总体\n1.建设。打造10个场景。",
            &ExtractOptions::default(),
        )
        .unwrap_err();
        assert!(e.0.contains("--year"));
        assert!(
            extract(
                "一、总体\n1.建设。打造10个场景。",
                &ExtractOptions {
                    year: Some(2024),
                    document: None
                }
            )
            .is_ok()
        );
    }

    #[test]
    fn confidence_is_set() {
        let t = "2023年工作要点\n一、总体\n1.建设。推进张店、临淄等首批4个县级节点建设。\n";
        let d = extract(t, &ExtractOptions::default()).unwrap();
        assert_eq!(d.plan.indicators[0].comparator, Comparator::Eq);
        assert_eq!(d.plan.indicators[0].confidence, Some(Confidence::Debatable));
    }
}
