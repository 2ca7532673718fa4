//! Reading a figure from a cell as people write it: 4.2万, 约3800个,
//! "12,560", full-width １２, 95%, ≤1.4, 已完成 (no number), and bringing it
//! to the indicator's unit (万 from a 单位 column, percent points for %).

use super::read::Cell;
use crate::domain::text::fold;

/// A number read from a cell.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Reading {
    pub value: f64,
    /// Written with a % sign.
    pub percent: bool,
    /// 万 or 亿 was written with it (already applied).
    pub scaled: bool,
}

/// Reads a cell. `Ok(None)` for a cell with no number (empty, 已完成, —);
/// an error for a number that cannot be read with confidence (3-5个).
pub fn parse(cell: &Cell) -> Result<Option<Reading>, super::Why> {
    let raw = match cell {
        Cell::Empty => return Ok(None),
        Cell::Number(v) => {
            return Ok(Some(Reading {
                value: *v,
                percent: false,
                scaled: false,
            }));
        }
        Cell::Text(s) => s,
    };
    let folded = fold(raw);
    let mut s: &str = folded.trim();
    if !s.chars().any(|c| c.is_ascii_digit()) {
        return Ok(None);
    }
    for p in [
        "约", "近", "超过", "超", "≈", "~", "达到", "达", "共", "累计", "≥", "≤", ">=", "<=", ">",
        "<", "=",
    ] {
        s = s.strip_prefix(p).unwrap_or(s).trim_start();
    }
    // Trailing words in any order: 100余项, 3个以上, 95%左右.
    let mut t = s.trim_end().to_string();
    let mut percent = false;
    loop {
        let before = t.len();
        for suffix in ["余", "多", "+", "以上", "左右"] {
            if let Some(x) = t.strip_suffix(suffix) {
                t = x.trim_end().to_string();
            }
        }
        if let Some(x) = t.strip_suffix('%') {
            percent = true;
            t = x.trim_end().to_string();
        }
        if let Some(u) = crate::domain::lexicon::plain_measure_words().find(|u| t.ends_with(*u)) {
            t = t[..t.len() - u.len()].trim_end().to_string();
        }
        if t.len() == before {
            break;
        }
    }
    let mut factor = 1.0;
    let mut scaled = false;
    if let Some(x) = t.strip_suffix('万') {
        factor = 1e4;
        scaled = true;
        t = x.trim_end().to_string();
    } else if let Some(x) = t.strip_suffix('亿') {
        factor = 1e8;
        scaled = true;
        t = x.trim_end().to_string();
    }
    let digits: String = t.chars().filter(|c| *c != ',' && *c != ' ').collect();
    let ok = !digits.is_empty()
        && digits
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
        && digits.chars().filter(|c| *c == '-').count() <= usize::from(digits.starts_with('-'));
    match digits.parse::<f64>() {
        Ok(v) if ok && v.is_finite() => Ok(Some(Reading {
            value: v * factor,
            percent,
            scaled,
        })),
        _ => Err(super::Why::Unreadable {
            text: raw.trim().to_string(),
        }),
    }
}

/// How many times a unit of measure multiplies a figure: 万个 → 10000.
pub fn unit_factor(unit: &str) -> f64 {
    let u = fold(unit);
    let u = u.trim();
    if u.starts_with('万') && u != "万元" {
        1e4
    } else if u.starts_with('亿') && u != "亿元" {
        1e8
    } else {
        1.0
    }
}

/// The unit stated in a name or header in brackets: 新建智慧社区(个),
/// 日均活跃用户数（单位：万人）.
pub fn bracket_unit(name: &str) -> Option<String> {
    // Most names have no brackets at all: skip folding them.
    if !name.contains(['(', '（']) {
        return None;
    }
    let f = fold(name);
    let open = f.rfind('(')?;
    let close = f[open..].find(')')? + open;
    let inner = f[open + 1..close].trim();
    let inner = inner
        .strip_prefix("单位:")
        .or_else(|| inner.strip_prefix("单位"))
        .unwrap_or(inner)
        .trim();
    let known = inner == "%"
        || crate::domain::lexicon::MEASURE_WORDS.contains(&inner.trim_start_matches(['万', '亿']))
        || inner == "万"
        || inner == "亿";
    (known && !inner.is_empty()).then(|| inner.to_string())
}

/// A folded name without its unit in brackets: 新建智慧社区(个) → 新建智慧社区.
/// Other brackets stay (政务服务表格(表单)字段共享率).
pub fn without_bracket_unit(folded: &str) -> String {
    let mut f = folded.to_string();
    if bracket_unit(&f).is_some()
        && let Some(p) = f.rfind('(')
    {
        let close = f[p..].find(')').map_or(f.len(), |c| p + c + 1);
        f.replace_range(p..close, "");
    }
    f
}

/// Brings a reading to the indicator's unit: a 万 unit multiplies (unless
/// the cell already said 万), and a percentage indicator is in percent
/// points, a bare number from 0 to 1 being a fraction.
pub fn normalise(r: Reading, unit_of_row: Option<&str>, indicator_is_percent: bool) -> f64 {
    let mut v = r.value;
    if !r.scaled
        && let Some(u) = unit_of_row
    {
        v *= unit_factor(u);
    }
    if indicator_is_percent && !r.percent && (0.0..=1.0).contains(&v) {
        v *= 100.0;
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Option<f64> {
        parse(&Cell::Text(s.into())).unwrap().map(|r| r.value)
    }

    #[test]
    fn values_as_people_write_them() {
        assert_eq!(p("4.2万"), Some(42000.0));
        assert_eq!(p("约3800个"), Some(3800.0));
        assert_eq!(p("12,560"), Some(12560.0));
        assert_eq!(p("１２"), Some(12.0));
        assert_eq!(p("３个"), Some(3.0));
        assert_eq!(p("95%"), Some(95.0));
        assert_eq!(p("９５％"), Some(95.0));
        assert_eq!(p("≤1.4"), Some(1.4));
        assert_eq!(p("2个工作日"), Some(2.0));
        assert_eq!(p("100余项"), Some(100.0));
        assert_eq!(p("-3"), Some(-3.0));
        assert_eq!(p("已完成"), None);
        assert_eq!(p("—"), None);
        assert_eq!(p("/"), None);
        assert!(parse(&Cell::Text("3-5个".into())).is_err());
        assert!(parse(&Cell::Text("第2季度完成1个".into())).is_err());
    }

    #[test]
    fn units_and_percentages() {
        let r = |v: f64, percent: bool| Reading {
            value: v,
            percent,
            scaled: false,
        };
        assert_eq!(normalise(r(0.15, false), Some("万个"), false), 1500.0);
        assert_eq!(normalise(r(0.465, false), None, true), 46.5);
        assert_eq!(normalise(r(38.5, false), None, true), 38.5);
        assert_eq!(normalise(r(95.0, true), None, true), 95.0);
        assert_eq!(
            normalise(
                Reading {
                    value: 42000.0,
                    percent: false,
                    scaled: true
                },
                Some("万人"),
                false
            ),
            42000.0
        );
        assert_eq!(
            bracket_unit("日均活跃用户数（单位：万人）").as_deref(),
            Some("万人")
        );
        assert_eq!(bracket_unit("新建智慧社区(个)").as_deref(), Some("个"));
        assert_eq!(bracket_unit("政务服务表格（表单）字段共享率"), None);
        assert_eq!(without_bracket_unit("年度目标(个)/数值"), "年度目标/数值");
        assert_eq!(without_bracket_unit("字段共享率(表单)"), "字段共享率(表单)");
    }
}
