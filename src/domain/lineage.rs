//! The same metric across plan years: which indicator of last year's plan
//! an indicator continues (智慧社区示范点 50 → 累计150 → 累计不少于400), proposed
//! from the words of both and confirmed or changed by a person.

use super::lexicon::unit_class;
use super::model::Indicator;
use super::text::fold;
use std::collections::HashSet;

/// How alike two indicators' words are below which none is proposed.
pub const PROPOSE: f64 = 0.4;

fn grams(ind: &Indicator) -> HashSet<(char, char)> {
    // The name and the plan's own phrase, in matching form, without digits
    // (the targets differ from year to year) and punctuation.
    let text = fold(&format!("{} {}", ind.name, ind.phrase));
    // A short bracket is an alternative or a qualifier (智慧社(街)区,
    // 各区(市), (累计)): the words read on without it.
    let mut kept = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(open) = rest.find('(') {
        kept.push_str(&rest[..open]);
        match rest[open..].find(')') {
            Some(close) if rest[open + 1..open + close].chars().count() <= 2 => {
                rest = &rest[open + close + 1..];
            }
            _ => {
                kept.push('(');
                rest = &rest[open + 1..];
            }
        }
    }
    kept.push_str(rest);
    let cs: Vec<char> = kept
        .chars()
        .filter(|c| super::text::is_han(*c) || c.is_ascii_alphabetic())
        .collect();
    cs.windows(2).map(|w| (w[0], w[1])).collect()
}

/// Whether two indicators' units of measure are of one class (a count
/// never continues a rate).
fn same_class(a: &Indicator, b: &Indicator) -> bool {
    let class = |i: &Indicator| {
        if i.is_percent() {
            Some(super::lexicon::UnitClass::Percent)
        } else {
            i.unit.as_deref().map(unit_class)
        }
    };
    class(a) == class(b)
}

/// How well `prev` (last year's) continues into `ind`, with the words of
/// every indicator of both plans (`all`) weighing each pair of characters
/// by how rare it is (数据, 应用, 累计 say little; 社区, 机架 much): the
/// weighted Dice overlap of their words, a little more for the same unit of
/// measure and the same kind; `None` when their units of measure are of
/// different classes.
pub fn likeness(ind: &Indicator, prev: &Indicator, all: &[&Indicator]) -> Option<f64> {
    if !same_class(ind, prev) {
        return None;
    }
    let (a, b) = (grams(ind), grams(prev));
    if a.is_empty() || b.is_empty() {
        return None;
    }
    let n = all.len().max(1) as f64;
    let sets: Vec<HashSet<(char, char)>> = all.iter().map(|i| grams(i)).collect();
    let w = |g: &(char, char)| {
        let df = sets.iter().filter(|s| s.contains(g)).count().max(1) as f64;
        (n / df).ln().max(0.1)
    };
    let total: f64 = a.iter().map(w).sum::<f64>() + b.iter().map(w).sum::<f64>();
    let common: f64 = a.intersection(&b).map(w).sum();
    let mut score = 2.0 * common / total;
    if ind.unit == prev.unit {
        score += 0.05;
    }
    if ind.kind == prev.kind {
        score += 0.05;
    }
    Some(score)
}

/// Proposed links from this year's indicators to last year's: (this id,
/// last year's id, likeness), each of last year's used once, the likeliest
/// pairs first; pairs below [`PROPOSE`] are not proposed.
pub fn propose(this_year: &[Indicator], last_year: &[Indicator]) -> Vec<(i64, i64, f64)> {
    let all: Vec<&Indicator> = this_year.iter().chain(last_year).collect();
    let mut pairs: Vec<(i64, i64, f64)> = this_year
        .iter()
        .flat_map(|a| {
            let all = &all;
            last_year
                .iter()
                .filter_map(move |b| Some((a.id, b.id, likeness(a, b, all)?)))
        })
        .filter(|p| p.2 >= PROPOSE)
        .collect();
    pairs.sort_by(|x, y| y.2.total_cmp(&x.2));
    let (mut used_a, mut used_b) = (HashSet::new(), HashSet::new());
    pairs
        .into_iter()
        .filter(|(a, b, _)| {
            let free = !used_a.contains(a) && !used_b.contains(b);
            if free {
                used_a.insert(*a);
                used_b.insert(*b);
            }
            free
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Comparator, Kind, Scope};

    fn ind(id: i64, name: &str, unit: Option<&str>, kind: Kind) -> Indicator {
        use crate::domain::reporting::{Reporting, ReportingSet};
        use crate::domain::{Aggregation, Better, Date};
        Indicator {
            id,
            plan_id: 1,
            plan_year: 2023,
            code: format!("2023-01-{id:03}"),
            ref_id: None,
            task: None,
            task_title: None,
            name: name.into(),
            unit: unit.map(String::from),
            comparator: Comparator::Ge,
            target: 10.0,
            target_max: None,
            baseline: None,
            better: Better::Higher,
            kind,
            scope: Scope::City,
            reporting: Reporting {
                aggregation: Aggregation::Sum,
                units: Vec::new().into(),
                city_reporter: None,
                set: ReportingSet::default(),
            },
            required_share: 1.0,
            deadline: Date::new(2023, 12, 31).unwrap(),
            phrase: String::new(),
            confidence: None,
            revision: None,
        }
    }

    #[test]
    fn the_same_metric_is_proposed_and_a_count_never_continues_a_rate() {
        let last = [
            ind(1, "新建智慧社区数", Some("个"), Kind::New),
            ind(2, "智慧社区覆盖率", Some("%"), Kind::Level),
            ind(3, "数据中心标准机柜数", Some("个"), Kind::Cumulative),
        ];
        let this = [
            ind(11, "智慧社区数（累计）", Some("个"), Kind::Cumulative),
            ind(12, "数据中心标准机架数", Some("个"), Kind::Cumulative),
            ind(13, "政务服务事项网办率", Some("%"), Kind::Level),
        ];
        let links: Vec<(i64, i64)> = propose(&this, &last)
            .into_iter()
            .map(|(a, b, _)| (a, b))
            .collect();
        assert!(links.contains(&(11, 1)), "{links:?}");
        assert!(links.contains(&(12, 3)), "{links:?}");
        assert!(
            !links.iter().any(|l| l.0 == 13),
            "a rate of another thing: {links:?}"
        );
        let all: Vec<&Indicator> = this.iter().chain(&last).collect();
        assert_eq!(
            likeness(&this[0], &last[1], &all),
            None,
            "a count never continues a rate"
        );
    }
}
