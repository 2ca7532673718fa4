//! The words both engines read by: units of measure, Chinese numerals and
//! the classes of units. The plan reader and the returns reader use these
//! lists and nothing of their own, so that a word one knows the other knows
//! (a return's 5批 reads as the plan's 批).

/// Units of measure, longest first so that 个工作日 wins over 个. Those that
/// begin with 万 or 亿 (万人, 亿元) are units of their own; see
/// [`plain_measure_words`] for the rest.
pub const MEASURE_WORDS: &[&str] = &[
    "EFLOPS",
    "PFLOPS",
    "TFLOPS",
    "Tbps",
    "Gbps",
    "Mbps",
    "个百分点",
    "个工作日",
    "工作日",
    "万人次",
    "亿人次",
    "万亿元",
    "平方米",
    "万人",
    "万元",
    "亿元",
    "人次",
    "小时",
    "分钟",
    "毫秒",
    "公里",
    "千米",
    "PB",
    "TB",
    "户",
    "个",
    "项",
    "家",
    "次",
    "轮",
    "场",
    "件",
    "条",
    "套",
    "所",
    "座",
    "台",
    "处",
    "类",
    "份",
    "名",
    "人",
    "元",
    "天",
    "秒",
    "%",
    "倍",
    "张",
    "期",
    "批",
    "篇",
    "部",
    "本",
    "款",
    "G",
    "T",
];

/// The measure words that do not carry a 万 or 亿 of their own (a reader
/// that takes 万 and 亿 apart first uses these).
pub fn plain_measure_words() -> impl Iterator<Item = &'static str> {
    MEASURE_WORDS
        .iter()
        .copied()
        .filter(|w| !w.starts_with(['万', '亿']))
}

/// What a unit of measure measures, to tell a contradiction (a count given
/// for a rate) from another word for the same thing (个 and 家).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnitClass {
    Percent,
    Time,
    Money,
    Count,
    /// Data sizes, multiples and the rest: never said to contradict.
    Other,
}

/// The class of a unit of measure (万 and 亿 ignored).
pub fn unit_class(unit: &str) -> UnitClass {
    let u = crate::domain::text::fold(unit.trim());
    let u = u.trim_start_matches(['万', '亿']);
    match u {
        "%" | "个百分点" => UnitClass::Percent,
        "个工作日" | "工作日" | "天" | "小时" | "分钟" | "秒" | "毫秒" => {
            UnitClass::Time
        }
        "元" | "万元" | "亿元" => UnitClass::Money,
        "户" | "个" | "项" | "家" | "次" | "轮" | "场" | "件" | "条" | "套" | "所" | "座"
        | "台" | "处" | "类" | "份" | "名" | "人" | "人次" | "张" | "期" | "批" | "篇" | "部"
        | "本" | "款" => UnitClass::Count,
        _ => UnitClass::Other,
    }
}

/// The kinds of heading number, in no particular order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Marker {
    /// 一、
    Han,
    /// （一） or (一)
    ParenHan,
    /// 1. or 1、
    Arabic,
    /// （1） or (1)
    ParenArabic,
    /// ①
    Circled,
}

/// The digits a heading number is written with.
pub const HAN_DIGITS: &str = "〇零一二三四五六七八九十百";

/// Recognises a heading number at the start of a folded line: its kind, the
/// number as written (normalised: `一`, `(一)`, `1`, `(1)`, `①`) and the
/// length of the marker in characters (including leading blanks).
pub fn heading_marker(line: &[char]) -> Option<(Marker, String, usize)> {
    let lead = line.iter().take_while(|c| c.is_whitespace()).count();
    let l = &line[lead..];
    let han_run = |s: &[char]| s.iter().take_while(|c| HAN_DIGITS.contains(**c)).count();
    let digit_run = |s: &[char]| s.iter().take_while(|c| c.is_ascii_digit()).count();
    let first = *l.first()?;
    if HAN_DIGITS.contains(first) {
        let n = han_run(l);
        if n <= 3 && l.get(n) == Some(&'、') {
            return Some((Marker::Han, l[..n].iter().collect(), lead + n + 1));
        }
    }
    if first == '(' {
        let n = han_run(&l[1..]);
        if (1..=3).contains(&n) && l.get(1 + n) == Some(&')') {
            return Some((
                Marker::ParenHan,
                format!("({})", l[1..1 + n].iter().collect::<String>()),
                lead + n + 2,
            ));
        }
        let n = digit_run(&l[1..]);
        if (1..=3).contains(&n) && l.get(1 + n) == Some(&')') {
            return Some((
                Marker::ParenArabic,
                format!("({})", l[1..1 + n].iter().collect::<String>()),
                lead + n + 2,
            ));
        }
    }
    if first.is_ascii_digit() {
        let n = digit_run(l);
        let sep = l.get(n).copied();
        let after = l.get(n + 1).copied();
        if n <= 3
            && matches!(sep, Some('.') | Some('、'))
            && !after.is_some_and(|c| c.is_ascii_digit())
        {
            return Some((Marker::Arabic, l[..n].iter().collect(), lead + n + 1));
        }
    }
    if ('①'..='⑳').contains(&first) {
        return Some((Marker::Circled, first.to_string(), lead + 1));
    }
    None
}

/// The value of a Chinese numeral (〇 … 九, 两).
pub fn han_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '零' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// The value of a run of Chinese numerals (二十, 一百五十, 两千, 3 万 is handled by the caller).
pub fn han_number(s: &[char]) -> Option<f64> {
    if s.is_empty() {
        return None;
    }
    let mut total = 0.0;
    let mut section = 0.0;
    let mut digit: Option<f64> = None;
    for &c in s {
        if let Some(d) = han_digit(c) {
            digit = Some(f64::from(d));
            continue;
        }
        let unit = match c {
            '十' => 10.0,
            '百' => 100.0,
            '千' => 1000.0,
            '万' => 10_000.0,
            '亿' => 100_000_000.0,
            _ => return None,
        };
        if unit >= 10_000.0 {
            section += digit.take().unwrap_or(0.0);
            total = (total + section) * unit;
            section = 0.0;
        } else {
            section += digit.take().unwrap_or(1.0) * unit;
        }
    }
    Some(total + section + digit.unwrap_or(0.0))
}

/// Quarters, the half year and the year, with the month their figures run
/// to from January, longest phrase first: what a return's title or a period
/// column says instead of a month. (下半年 is the second half's own figure,
/// not a running total: only a title reads it, as the year's end.)
pub const PERIOD_SPANS: &[(&str, u32)] = &[
    ("前三季度", 9),
    ("第一季度", 3),
    ("第二季度", 6),
    ("第三季度", 9),
    ("第四季度", 12),
    ("一季度", 3),
    ("二季度", 6),
    ("三季度", 9),
    ("四季度", 12),
    ("上半年", 6),
    ("全年", 12),
];
