//! Every text a person reads, in both languages, from one catalogue.
//!
//! The catalogue is the files in `assets/i18n/` (one per area of the
//! program), compiled in. Each entry is a key at the start of a line and
//! its two texts on the indented lines below it:
//!
//! ```text
//! nav.overview
//!   zh 总览
//!   en Overview
//! ```
//!
//! A text may name arguments in braces (`已导入 {n} 行`), filled by
//! [`Language::fill`] or, later and in the reader's language, by a [`Text`].
//! `\n` in a text is a line break. A key missing one language shows the other
//! (never the bare key to a user); `tests/words.rs` fails on such a key, on
//! arguments that differ between the two, and on a key the code uses that
//! the catalogue lacks.
//!
//! Verdicts, statuses and errors are types; this is the one place they
//! become words. Nothing parses words back.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;
use std::sync::LazyLock;

/// The catalogue's files, by area.
pub const FILES: &[(&str, &str)] = &[
    ("common", include_str!("../../assets/i18n/common.txt")),
    ("domain", include_str!("../../assets/i18n/domain.txt")),
    ("import", include_str!("../../assets/i18n/import.txt")),
    ("overview", include_str!("../../assets/i18n/overview.txt")),
    ("meeting", include_str!("../../assets/i18n/meeting.txt")),
    ("welcome", include_str!("../../assets/i18n/welcome.txt")),
    ("settings", include_str!("../../assets/i18n/settings.txt")),
    ("units", include_str!("../../assets/i18n/units.txt")),
    ("catalogue", include_str!("../../assets/i18n/catalogue.txt")),
    ("files", include_str!("../../assets/i18n/files.txt")),
    ("app", include_str!("../../assets/i18n/app.txt")),
    ("widgets", include_str!("../../assets/i18n/widgets.txt")),
    ("jobs", include_str!("../../assets/i18n/jobs.txt")),
    ("data", include_str!("../../assets/i18n/data.txt")),
    ("indicator", include_str!("../../assets/i18n/indicator.txt")),
    ("plan", include_str!("../../assets/i18n/plan.txt")),
    ("audit", include_str!("../../assets/i18n/audit.txt")),
    ("fields", include_str!("../../assets/i18n/fields.txt")),
    ("export", include_str!("../../assets/i18n/export.txt")),
];

/// A language of the interface.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Language {
    #[default]
    Chinese,
    English,
}

/// One entry as written in the catalogue (for the catalogue's tests).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub file: &'static str,
    pub line: usize,
    pub key: String,
    pub zh: Option<String>,
    pub en: Option<String>,
}

/// A line the catalogue's reader did not understand.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogueError {
    pub file: &'static str,
    pub line: usize,
    pub what: &'static str,
}

impl fmt::Display for CatalogueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "assets/i18n/{}.txt:{}: {}",
            self.file, self.line, self.what
        )
    }
}

/// Reads one catalogue file.
pub fn parse(file: &'static str, text: &str) -> Result<Vec<Entry>, CatalogueError> {
    let mut out: Vec<Entry> = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = n + 1;
        let err = |what| CatalogueError { file, line, what };
        let trimmed = raw.trim_end();
        if trimmed.trim_start().is_empty() || trimmed.trim_start().starts_with('#') {
            continue;
        }
        if !raw.starts_with(' ') {
            if trimmed.contains(char::is_whitespace) {
                return Err(err("a key has no spaces"));
            }
            out.push(Entry {
                file,
                line,
                key: trimmed.to_string(),
                zh: None,
                en: None,
            });
            continue;
        }
        // A text keeps its trailing spaces (a separator ", "); only a
        // Windows line end goes.
        let body = raw.trim_end_matches('\r').trim_start();
        let (lang, text) = body.split_once(' ').unwrap_or((body, ""));
        let entry = out.last_mut().ok_or(err("a text before any key"))?;
        let slot = match lang {
            "zh" => &mut entry.zh,
            "en" => &mut entry.en,
            _ => return Err(err("a text line starts with zh or en")),
        };
        if slot.is_some() {
            return Err(err("the same language twice for one key"));
        }
        *slot = Some(text.replace("\\n", "\n"));
    }
    Ok(out)
}

/// Every entry of every file (for the catalogue's tests).
pub fn entries() -> Result<Vec<Entry>, CatalogueError> {
    let mut all = Vec::new();
    for (file, text) in FILES {
        all.extend(parse(file, text)?);
    }
    Ok(all)
}

type Catalogue = HashMap<&'static str, [&'static str; 2]>;

static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(|| {
    let mut map = HashMap::new();
    // A file the reader does not understand is caught by the tests; here
    // its entries up to the fault still serve.
    for (file, text) in FILES {
        let entries = match parse(file, text) {
            Ok(e) => e,
            Err(_) => continue,
        };
        for e in entries {
            let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
            let zh = e.zh.clone().or(e.en.clone()).unwrap_or_default();
            let en = e.en.or(e.zh).unwrap_or_default();
            map.insert(leak(e.key), [leak(zh), leak(en)]);
        }
    }
    map
});

impl Language {
    /// The text of `key` in this language; the key itself when the
    /// catalogue lacks it (a test fails first).
    pub fn t(self, key: &str) -> &'static str {
        match CATALOGUE.get(key) {
            Some(texts) => texts[self as usize],
            None => Box::leak(key.to_string().into_boxed_str()),
        }
    }

    /// The text of `key` with its `{name}` arguments filled.
    pub fn fill(self, key: &str, args: &[(&str, &dyn fmt::Display)]) -> String {
        fill(self.t(key), args)
    }
}

/// Fills `{name}` in a template; unknown names stay as written.
pub fn fill(template: &str, args: &[(&str, &dyn fmt::Display)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match args.iter().find(|(n, _)| *n == name) {
                    Some((_, v)) => out.push_str(&v.to_string()),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The names a template fills (`{n}`, `{unit}` …), in order.
pub fn arguments(template: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        names.push(&after[..close]);
        rest = &after[close + 1..];
    }
    names
}

/// A text to be worded later, in the reader's language: a key and its
/// arguments. Jobs on the worker report with these; the window words them
/// when it draws.
#[derive(Clone, Debug, PartialEq)]
pub struct Text {
    pub key: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

/// An argument of a [`Text`].
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    /// Shown as it is (a name, a number, a file, a detail in English).
    Plain(String),
    /// Another text, worded in the same language.
    Text(Text),
}

impl Text {
    pub fn new(key: &'static str) -> Text {
        Text {
            key,
            args: Vec::new(),
        }
    }

    /// Adds an argument shown as it is.
    pub fn arg(mut self, name: &'static str, value: impl fmt::Display) -> Text {
        self.args.push((name, Arg::Plain(value.to_string())));
        self
    }

    /// Adds an argument that is itself a text.
    pub fn arg_text(mut self, name: &'static str, value: Text) -> Text {
        self.args.push((name, Arg::Text(value)));
        self
    }

    /// The words in `lang`.
    pub fn words(&self, lang: Language) -> String {
        let values: Vec<String> = self
            .args
            .iter()
            .map(|(_, a)| match a {
                Arg::Plain(s) => s.clone(),
                Arg::Text(t) => t.words(lang),
            })
            .collect();
        let args: Vec<(&str, &dyn fmt::Display)> = self
            .args
            .iter()
            .zip(&values)
            .map(|((n, _), v)| (*n, v as &dyn fmt::Display))
            .collect();
        fill(lang.t(self.key), &args)
    }
}

/// `text!("key", n = 3, unit = name)`: a [`Text`] with plain arguments.
#[macro_export]
macro_rules! text {
    ($key:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::domain::words::Text::new($key)$(.arg(stringify!($name), $value))*
    };
}

/// The name of a month: 6月, Jun.
pub fn month(m: u32, lang: Language) -> &'static str {
    match m {
        1 => lang.t("export.month-1"),
        2 => lang.t("export.month-2"),
        3 => lang.t("export.month-3"),
        4 => lang.t("export.month-4"),
        5 => lang.t("export.month-5"),
        6 => lang.t("export.month-6"),
        7 => lang.t("export.month-7"),
        8 => lang.t("export.month-8"),
        9 => lang.t("export.month-9"),
        10 => lang.t("export.month-10"),
        11 => lang.t("export.month-11"),
        _ => lang.t("export.month-12"),
    }
}

/// A period as people write it: 2023年6月, Jun 2023.
pub fn period(p: super::date::Period, lang: Language) -> String {
    fill(
        lang.t("export.period"),
        &[("year", &p.year()), ("month", &month(p.month(), lang))],
    )
}

/// A period written YYYY-MM, in words ([`period`]); kept as written when it
/// does not read as one.
pub fn period_words(p: &str, lang: Language) -> String {
    p.parse()
        .map(|p| period(p, lang))
        .unwrap_or_else(|_: super::date::DateError| p.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_entries_and_fills_arguments() {
        let e = parse(
            "t",
            "# c\na.b\n  zh 已导入 {n} 行\n  en {n} rows imported\n",
        )
        .unwrap();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].key, "a.b");
        assert_eq!(e[0].zh.as_deref(), Some("已导入 {n} 行"));
        assert_eq!(fill("已导入 {n} 行，{x}", &[("n", &3)]), "已导入 3 行，{x}");
        assert_eq!(arguments("{a} and {b}"), vec!["a", "b"]);
    }

    #[test]
    fn refuses_malformed_lines() {
        assert!(parse("t", "  zh 孤行\n").is_err());
        assert!(parse("t", "a\n  fr bonjour\n").is_err());
        assert!(parse("t", "a\n  zh 一\n  zh 二\n").is_err());
        assert!(parse("t", "a b\n").is_err());
    }

    #[test]
    fn a_text_is_worded_in_each_language_with_nested_texts() {
        let inner = Text::new("common.missing-key-for-test");
        let t = Text::new("common.missing-outer").arg_text("x", inner);
        // Keys the catalogue lacks show as themselves.
        assert_eq!(t.words(Language::English), "common.missing-outer");
    }
}
