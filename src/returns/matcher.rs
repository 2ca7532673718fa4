//! Which plan indicator a return's row speaks of: the template's indicator
//! code first, then the exact name (or a confirmed alias), then a normalised
//! name (brackets, units, quotes, Traditional characters), then a fuzzy
//! match on the name and the plan's own phrase, weighted so that rare words
//! (供需对接, 县级节点) count more than common ones (数据, 应用). A weak
//! fuzzy match is not taken (the row matches no indicator; the nearest is
//! named so that the user can take it), and an ambiguous one is taken only
//! as a question to the user, never silently.
//!
//! When a plan states the same thing city-wide and per district (全市打造50个
//! 应用场景, 各区县至少3个), a district's row goes to the per-district
//! indicator and a department's row to the city-wide one.

use crate::domain::text::fold;
use crate::domain::{Indicator, Scope, UnitKind};
use std::collections::{HashMap, HashSet};

/// How a row was matched.
#[derive(Clone, Debug, PartialEq)]
pub enum How {
    Code,
    Exact,
    Alias,
    Normalised,
    /// A fuzzy match with its score (0–1).
    Fuzzy(f64),
}

/// What a row says of itself besides its name: the unit of measure (a 单位
/// column, the name's brackets, a % in the cell), a qualifier in brackets
/// ((累计) a running total, (新建)/(新增) what is new this year), its own
/// annual target.
#[derive(Clone, Debug, Default)]
pub struct Evidence {
    pub measure: Option<crate::domain::lexicon::UnitClass>,
    /// `Some(true)`: a running total; `Some(false)`: this year's new ones.
    pub cumulative: Option<bool>,
    pub target: Option<f64>,
}

impl Evidence {
    /// The row says nothing of itself beyond its name.
    pub fn is_empty(&self) -> bool {
        self.measure.is_none() && self.cumulative.is_none() && self.target.is_none()
    }

    /// The qualifier a name carries in brackets or words: (累计) / 累计 →
    /// running total; (新建) / (新增) / 本年新增 → new this year.
    pub fn qualifier(name: &str) -> Option<bool> {
        // Most names carry none: look for the words before folding.
        const WORDS: [&str; 4] = ["累计", "累計", "新建", "新增"];
        if !WORDS.iter().any(|w| name.contains(w)) {
            return None;
        }
        let f = fold(name);
        // The word right after an opening bracket.
        let bracketed = |w: &str| {
            f.match_indices(w)
                .any(|(i, _)| f[..i].ends_with(['(', '[']))
        };
        if bracketed("累计") || f.starts_with("累计") {
            Some(true)
        } else if bracketed("新建")
            || bracketed("新增")
            || f.contains("本年新增")
            || f.contains("当年新增")
        {
            Some(false)
        } else {
            None
        }
    }
}

/// A name with an explanation in brackets: (outside, inside), when the
/// bracket holds words and not only a unit of measure.
fn bracketed(text: &str) -> Option<(String, String)> {
    let f = fold(text);
    let open = f.find('(')?;
    let close = f[open..].find(')')? + open;
    let inside = f[open + 1..close].trim().to_string();
    let outside = format!("{}{}", &f[..open], &f[close + 1..])
        .trim()
        .to_string();
    let words = inside
        .chars()
        .filter(|c| crate::domain::text::is_han(*c))
        .count();
    (words >= 4 && !inside.starts_with("单位")).then_some((outside, inside))
}

/// The outcome of matching one row.
#[derive(Clone, Debug, PartialEq)]
pub enum Match {
    Found {
        index: usize,
        how: How,
    },
    /// A good fuzzy match too close to another to take unasked.
    Unsure {
        index: usize,
        score: f64,
        runner_up: Option<usize>,
    },
    /// Nothing matches well: `index` is only the nearest, to show the user.
    Weak {
        index: usize,
        score: f64,
    },
    None,
}

/// A fuzzy score at or above this is taken; below it the row matches no
/// indicator of the plan.
pub const ACCEPT: f64 = 0.45;
/// Below this, no indicator is even near enough to name as the nearest.
pub const FLOOR: f64 = 0.25;
/// Two candidates closer than this are ambiguous.
pub const MARGIN: f64 = 0.04;

type Bigrams = HashSet<(char, char)>;

struct Candidate {
    /// The class of the indicator's unit of measure; `None`: no unit (a
    /// pure ratio such as PUE).
    class: Option<crate::domain::lexicon::UnitClass>,
    norm: String,
    norm_core: String,
    name_grams: Bigrams,
    core_grams: Bigrams,
    phrase_norm: String,
    phrase_grams: Bigrams,
}

/// Matches rows against one plan's indicators.
pub struct Matcher<'a> {
    indicators: &'a [Indicator],
    cands: Vec<Candidate>,
    /// Each name as the plan writes it: its first indicator.
    names: HashMap<&'a str, usize>,
    aliases: HashMap<String, usize>,
    idf: HashMap<(char, char), f64>,
    unknown: f64,
}

/// Scope words that start an indicator's name (各区县…, 全市…).
const SCOPE_PREFIXES: &[&str] = &[
    "各区县",
    "每个区县",
    "各区(市)",
    "每个区(市)",
    "各区市",
    "各县区",
    "全市",
    "全省",
    "各区",
    "每个区",
];

/// The matching form of a name: folded, no spaces, quotes or brackets
/// around units, no leading task number.
pub fn normalise(s: &str) -> String {
    let f: String = super::value::without_bracket_unit(&fold(s))
        .chars()
        .filter(|c| !c.is_whitespace() && !"“”\"'‘’「」『』《》()[]【】".contains(*c))
        .collect::<String>()
        .to_lowercase();
    // "8.提升…" — a task number in front.
    let digits = f.chars().take_while(|c| c.is_ascii_digit()).count();
    let f = if digits > 0 && f.chars().nth(digits).is_some_and(|c| c == '.' || c == '、') {
        f.chars().skip(digits + 1).collect()
    } else {
        f
    };
    plain_words(&f)
}

/// Short forms that statistics tables use for what plans spell out.
const SHORT_FORMS: &[(&str, &str, &str)] = &[
    // (short form, unless followed by, long form)
    ("日活", "跃", "日均活跃用户数"),
    ("月活", "跃", "月均活跃用户数"),
];

/// Words at the end of a name that say "how many" or "what share" in
/// different ways: 建成数量, 案例个数 and 案例数 speak of the same count.
const ENDINGS: &[(&str, &str)] = &[
    ("数量", "数"),
    ("个数", "数"),
    ("比例", "率"),
    ("比率", "率"),
];

/// The same wording for short forms and for count and share endings.
fn plain_words(s: &str) -> String {
    let mut out = s.to_string();
    for (short, unless, long) in SHORT_FORMS {
        let mut from = 0;
        while let Some(at) = out[from..].find(short).map(|p| p + from) {
            let after = at + short.len();
            if out[after..].starts_with(unless) {
                from = after;
                continue;
            }
            // Drop what the long form repeats right after it (日活用户数).
            let rest = &out[after..];
            let repeat = ["用户数", "用户"]
                .iter()
                .find(|r| rest.starts_with(**r))
                .map_or(0, |r| r.len());
            out.replace_range(at..after + repeat, long);
            from = at + long.len();
        }
    }
    for (ending, plain) in ENDINGS {
        if let Some(stem) = out.strip_suffix(ending) {
            out = format!("{stem}{plain}");
            break;
        }
    }
    out
}

fn core(name: &str) -> String {
    let mut s = name.to_string();
    for p in SCOPE_PREFIXES {
        if let Some(rest) = s.strip_prefix(p) {
            s = rest.to_string();
            break;
        }
    }
    s
}

/// Character pairs within runs of letters and digits (punctuation splits).
fn bigrams(s: &str) -> Bigrams {
    let mut out = Bigrams::new();
    for run in s.split(|c: char| !c.is_alphanumeric()) {
        let cs: Vec<char> = run.chars().collect();
        out.extend(cs.windows(2).map(|w| (w[0], w[1])));
    }
    out
}

impl<'a> Matcher<'a> {
    /// A matcher over a plan's indicators; `aliases` are names users confirmed.
    pub fn new(indicators: &'a [Indicator], aliases: &[(String, i64)]) -> Matcher<'a> {
        let cands: Vec<Candidate> = indicators
            .iter()
            .map(|i| {
                let norm = normalise(&i.name);
                let norm_core = core(&norm);
                let phrase_norm = normalise(&i.phrase);
                Candidate {
                    class: if i.is_percent() {
                        Some(crate::domain::lexicon::UnitClass::Percent)
                    } else {
                        i.unit.as_deref().map(crate::domain::lexicon::unit_class)
                    },
                    name_grams: bigrams(&norm),
                    core_grams: bigrams(&norm_core),
                    phrase_grams: bigrams(&phrase_norm),
                    norm,
                    norm_core,
                    phrase_norm,
                }
            })
            .collect();
        let mut df: HashMap<(char, char), usize> = HashMap::new();
        for c in &cands {
            for g in c.name_grams.union(&c.phrase_grams) {
                *df.entry(*g).or_default() += 1;
            }
        }
        let n = cands.len().max(1) as f64;
        let idf = df
            .into_iter()
            .map(|(g, d)| (g, (1.0 + n / d as f64).ln()))
            .collect();
        let aliases = aliases
            .iter()
            .filter_map(|(a, id)| {
                indicators
                    .iter()
                    .position(|i| i.id == *id)
                    .map(|p| (normalise(a), p))
            })
            .collect();
        let mut names = HashMap::new();
        for (k, i) in indicators.iter().enumerate() {
            names.entry(i.name.as_str()).or_insert(k);
        }
        Matcher {
            indicators,
            cands,
            names,
            aliases,
            idf,
            unknown: (1.0 + n).ln(),
        }
    }

    fn w(&self, g: &(char, char)) -> f64 {
        // A bigram no indicator has is as telling as the rarest: the row
        // speaks of something the plan does not.
        self.idf.get(g).copied().unwrap_or(self.unknown)
    }

    fn weight(&self, set: &Bigrams) -> f64 {
        set.iter().map(|g| self.w(g)).sum()
    }

    fn common(&self, a: &Bigrams, b: &Bigrams) -> f64 {
        a.intersection(b).map(|g| self.w(g)).sum()
    }

    /// The fuzzy score of a row text against candidate `k`.
    fn score(&self, row: &str, grams: &Bigrams, k: usize) -> f64 {
        let c = &self.cands[k];
        let rw = self.weight(grams);
        if rw <= 0.0 {
            return 0.0;
        }
        let dice = |other: &Bigrams| {
            let ow = self.weight(other);
            if ow <= 0.0 {
                0.0
            } else {
                2.0 * self.common(grams, other) / (rw + ow)
            }
        };
        let contained = |other: &Bigrams| self.common(grams, other) / rw;
        let mut s = dice(&c.name_grams).max(dice(&c.core_grams));
        // The row's words all within the name (PUE), or within the plan's phrase.
        s = s.max(0.9 * contained(&c.name_grams));
        if row.chars().count() >= 6 {
            s = s.max(0.9 * contained(&c.phrase_grams));
            if c.phrase_norm.contains(row) {
                s = s.max(0.95);
            }
        }
        s
    }

    /// Matches one row: its code cell (if any), its indicator text, and the
    /// kind of the reporting unit (for city-wide versus per-district twins).
    pub fn find(&self, code: Option<&str>, text: &str, unit_kind: Option<UnitKind>) -> Match {
        self.find_with(code, text, unit_kind, &Evidence::default())
    }

    /// [`Matcher::find`] with what else the row says of itself ([`Evidence`]):
    /// a candidate it contradicts (a count for a rate, a running total for a
    /// `new` indicator, a target a hundred times off) is passed over when one
    /// it does not contradict is good enough; a name with an explanation in
    /// brackets is also tried by the explanation alone.
    pub fn find_with(
        &self,
        code: Option<&str>,
        text: &str,
        unit_kind: Option<UnitKind>,
        ev: &Evidence,
    ) -> Match {
        let whole = self.find_one(code, text, unit_kind, ev);
        if matches!(whole, Match::Found { .. }) {
            return whole;
        }
        // 数据开放（全市数据开放创新应用实验室数）: the explanation on its own.
        // Never the name without it: the explanation says which of its kind
        // the row means (智慧应用场景（新型智慧城市优秀案例）数 is the cases).
        let Some((_, inside)) = bracketed(text) else {
            return whole;
        };
        match self.find_one(None, &inside, unit_kind, ev) {
            found @ Match::Found { .. } => found,
            _ => whole,
        }
    }

    /// Whether the row's evidence contradicts indicator `k`.
    fn contradicts(&self, k: usize, ev: &Evidence) -> bool {
        use crate::domain::lexicon::UnitClass;
        let ind = &self.indicators[k];
        if let Some(row) = ev.measure.filter(|c| *c != UnitClass::Other) {
            // No unit: a pure ratio (PUE), which no measure word fits.
            match self.cands[k].class {
                None => return true,
                Some(own) if own != UnitClass::Other && own != row => return true,
                _ => {}
            }
        }
        if let Some(cumulative) = ev.cumulative {
            use crate::domain::Kind;
            match ind.kind {
                Kind::Cumulative if !cumulative => return true,
                Kind::New | Kind::CountOfEvents if cumulative => return true,
                _ => {}
            }
        }
        if let Some(t) = ev.target.filter(|t| *t > 0.0)
            && ind.target > 0.0
            && !ind.is_percent()
        {
            let ratio = t / ind.target;
            if !(0.01..=100.0).contains(&ratio) {
                return true;
            }
        }
        false
    }

    fn find_one(
        &self,
        code: Option<&str>,
        text: &str,
        unit_kind: Option<UnitKind>,
        ev: &Evidence,
    ) -> Match {
        if let Some(code) = code.map(str::trim).filter(|c| !c.is_empty())
            && let Some(i) = self
                .indicators
                .iter()
                .position(|i| i.code == code || i.ref_id.as_deref() == Some(code))
        {
            return Match::Found {
                index: i,
                how: How::Code,
            };
        }
        let t = text.trim();
        if t.is_empty() {
            return Match::None;
        }
        if let Some(&i) = self.names.get(t) {
            return Match::Found {
                index: i,
                how: How::Exact,
            };
        }
        let norm = normalise(t);
        if norm.chars().filter(|c| c.is_alphanumeric()).count() == 0 {
            return Match::None;
        }
        if let Some(&i) = self.aliases.get(&norm) {
            return Match::Found {
                index: i,
                how: How::Alias,
            };
        }
        let norm_core = core(&norm);
        let exact: Vec<usize> = (0..self.cands.len())
            .filter(|&k| {
                let c = &self.cands[k];
                c.norm == norm || c.norm_core == norm || c.norm_core == norm_core
            })
            .collect();
        let fitting: Vec<usize> = exact
            .iter()
            .copied()
            .filter(|&k| ev.is_empty() || !self.contradicts(k, ev))
            .collect();
        let exact = if fitting.is_empty() { exact } else { fitting };
        if let Some(&first) = exact.first() {
            let chosen = self.prefer_scope(&exact, unit_kind).unwrap_or(first);
            return Match::Found {
                index: chosen,
                how: How::Normalised,
            };
        }
        let grams = bigrams(&norm);
        let mut scored: Vec<(usize, f64)> = (0..self.cands.len())
            .map(|k| (k, self.score(&norm, &grams, k)))
            .collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1));
        // What the row contradicts gives way to what it does not, when that
        // is good enough to take.
        // (Only candidates near enough to be named can change the outcome.)
        if !ev.is_empty()
            && scored
                .iter()
                .take_while(|(_, sc)| *sc >= ACCEPT)
                .any(|&(k, _)| !self.contradicts(k, ev))
        {
            scored.retain(|&(k, sc)| sc < FLOOR || !self.contradicts(k, ev));
        }
        let Some(&(best, best_score)) = scored.first() else {
            return Match::None;
        };
        if best_score < FLOOR {
            return Match::None;
        }
        if best_score < ACCEPT {
            return Match::Weak {
                index: best,
                score: best_score,
            };
        }
        let close: Vec<usize> = scored
            .iter()
            .take_while(|(_, s)| *s >= best_score - MARGIN)
            .map(|(k, _)| *k)
            .collect();
        let chosen = if close.len() > 1 {
            match self
                .by_name(&close, &grams)
                .or_else(|| self.prefer_scope(&close, unit_kind))
            {
                Some(k) => k,
                None => {
                    return Match::Unsure {
                        index: best,
                        score: best_score,
                        runner_up: Some(close[1]),
                    };
                }
            }
        } else {
            best
        };
        Match::Found {
            index: self.twin(chosen, unit_kind, (&norm, &grams, best_score)),
            how: How::Fuzzy(best_score),
        }
    }

    /// Among candidates that score alike (often because they share one
    /// sentence of the plan, as 字段共享率 and 证明材料共享率 do), the one
    /// whose own name is clearly nearest the row's, if one is.
    fn by_name(&self, close: &[usize], grams: &Bigrams) -> Option<usize> {
        let rw = self.weight(grams);
        if rw <= 0.0 {
            return None;
        }
        let mut named: Vec<(usize, f64)> = close
            .iter()
            .map(|&k| (k, self.common(grams, &self.cands[k].name_grams) / rw))
            .collect();
        named.sort_by(|a, b| b.1.total_cmp(&a.1));
        match named.as_slice() {
            [(k, best), (_, next), ..] if *best >= ACCEPT && best - next >= 2.0 * MARGIN => {
                Some(*k)
            }
            _ => None,
        }
    }

    /// Among close candidates, the only one of the scope the unit reports
    /// (districts: per-unit; departments: city-wide).
    fn prefer_scope(&self, close: &[usize], unit_kind: Option<UnitKind>) -> Option<usize> {
        let want = match unit_kind? {
            UnitKind::District => Scope::PerUnit,
            UnitKind::Department => Scope::City,
        };
        let of_scope: Vec<usize> = close
            .iter()
            .copied()
            .filter(|&k| self.indicators[k].scope == want)
            .collect();
        (of_scope.len() == 1).then(|| of_scope[0])
    }

    /// The city-wide or per-district twin in the same task with the same unit
    /// of measure, when the reporting unit's kind calls for it and the twin
    /// speaks of the same thing (it scores at least half as well).
    fn twin(&self, k: usize, unit_kind: Option<UnitKind>, row: (&str, &Bigrams, f64)) -> usize {
        let Some(kind) = unit_kind else { return k };
        let want = match kind {
            UnitKind::District => Scope::PerUnit,
            UnitKind::Department => Scope::City,
        };
        let me = &self.indicators[k];
        if me.scope == want || me.task.is_none() {
            return k;
        }
        let twins: Vec<usize> = (0..self.indicators.len())
            .filter(|&j| {
                let o = &self.indicators[j];
                j != k && o.scope == want && o.task == me.task && o.unit == me.unit
            })
            .collect();
        let (norm, grams, best) = row;
        let same_thing = |j: usize| self.score(norm, grams, j) >= 0.5 * best;
        let fits: Vec<usize> = twins.into_iter().filter(|&j| same_thing(j)).collect();
        if fits.len() == 1 { fits[0] } else { k }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qualifiers_and_explanations_in_brackets() {
        assert_eq!(Evidence::qualifier("智慧社区数（累计）"), Some(true));
        assert_eq!(Evidence::qualifier("累计建成智慧社区"), Some(true));
        assert_eq!(Evidence::qualifier("智慧社区（新建）"), Some(false));
        assert_eq!(Evidence::qualifier("本年新增机架数"), Some(false));
        assert_eq!(Evidence::qualifier("智慧社区数"), None);
        assert_eq!(
            bracketed("数据开放（全市数据开放创新应用实验室数）"),
            Some(("数据开放".into(), "全市数据开放创新应用实验室数".into()))
        );
        assert_eq!(bracketed("新建智慧社区（个）"), None);
        assert_eq!(bracketed("日活（单位：万人）"), None);
    }

    #[test]
    fn normal_forms() {
        assert_eq!(normalise("新建智慧社区(个)"), "新建智慧社区");
        assert_eq!(
            normalise("“爱山东”日均活跃用户数（单位：万人）"),
            "爱山东日均活跃用户数"
        );
        assert_eq!(
            normalise("8.提升数据资源统筹管理水平"),
            "提升数据资源统筹管理水平"
        );
        assert_eq!(
            normalise("政务服务表格（表单）字段共享率"),
            "政务服务表格表单字段共享率"
        );
        assert_eq!(normalise("PaaS和SaaS"), "paas和saas");
        assert_eq!(normalise("爱山东日活"), "爱山东日均活跃用户数");
        assert_eq!(normalise("日活用户数"), "日均活跃用户数");
        assert_eq!(normalise("日活跃用户数"), "日活跃用户数");
        assert_eq!(normalise("智慧社区建成数量"), "智慧社区建成数");
        assert_eq!(normalise("优秀案例个数"), "优秀案例数");
        assert_eq!(normalise("证明材料共享比例"), "证明材料共享率");
        // Only at the end: 10个数据产品 keeps its 个数.
        assert_eq!(normalise("形成10个数据产品"), "形成10个数据产品");
    }
}
