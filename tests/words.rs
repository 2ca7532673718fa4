//! The catalogue of words (`assets/i18n/`): every key has both languages
//! with the same arguments, every key the code asks for exists, every
//! enumeration the window names has its words, and no screen writes Chinese
//! (or any text a person reads) outside the catalogue.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use taizhang::domain::words::{self, Language};
use taizhang::domain::{
    Aggregation, AuditAction, Better, Comparator, Confidence, Cycle, Kind, Role, Scope, Status,
    UnitKind, ValueBasis,
};

fn catalogue() -> Vec<words::Entry> {
    words::entries().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_key_has_both_languages_with_the_same_arguments() {
    let mut faults = Vec::new();
    // A file without its last line end invites the next entry appended to
    // it to be read as part of the last text.
    for (file, text) in words::FILES {
        if !text.is_empty() && !text.ends_with('\n') {
            faults.push(format!(
                "assets/i18n/{file}.txt: no line end after its last text"
            ));
        }
    }
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for e in catalogue() {
        let at = format!("assets/i18n/{}.txt:{} {}", e.file, e.line, e.key);
        if let Some(first) = seen.insert(e.key.clone(), at.clone()) {
            faults.push(format!("{at}: the key is also at {first}"));
        }
        let (zh, en) = match (&e.zh, &e.en) {
            (Some(zh), Some(en)) if !zh.trim().is_empty() && !en.trim().is_empty() => (zh, en),
            (zh, en) => {
                faults.push(format!(
                    "{at}: lacks {}",
                    match (zh.as_deref().map(str::trim), en.as_deref().map(str::trim)) {
                        (None | Some(""), None | Some("")) => "both languages",
                        (None | Some(""), _) => "its Chinese (zh)",
                        _ => "its English (en)",
                    }
                ));
                continue;
            }
        };
        let mut a = words::arguments(zh);
        let mut b = words::arguments(en);
        a.sort();
        b.sort();
        if a != b {
            faults.push(format!("{at}: arguments differ: zh {a:?}, en {b:?}"));
        }
        if en.chars().any(is_cjk) && !e.key.starts_with("Comparator.") {
            // English may quote a Chinese name (of a column, a button the
            // coordinator knows by it) only in brackets or quotes.
            let bare = strip_quoted(en);
            if bare.chars().any(is_cjk) {
                faults.push(format!(
                    "{at}: the English text has Chinese outside quotes: {en}"
                ));
            }
        }
    }
    assert!(
        faults.is_empty(),
        "catalogue faults:\n{}",
        faults.join("\n")
    );
}

/// A key that lacks a language is reported by the test above (the
/// catalogue's reader itself keeps such entries).
#[test]
fn a_missing_language_is_seen() {
    let e = words::parse("t", "a.b\n  zh 只有中文\n").unwrap();
    assert_eq!(e[0].en, None);
    // and the window shows the other language rather than nothing
    assert_eq!(Language::English.t("no.such.key"), "no.such.key");
}

#[test]
fn every_enumeration_has_its_words() {
    let keys: BTreeSet<String> = catalogue().into_iter().map(|e| e.key).collect();
    let mut wanted: Vec<&str> = Vec::new();
    wanted.extend(Comparator::ALL.iter().map(|v| v.key()));
    wanted.extend(AuditAction::ALL.iter().map(|v| v.key()));
    wanted.extend(Better::ALL.iter().map(|v| v.key()));
    wanted.extend(Kind::ALL.iter().map(|v| v.key()));
    wanted.extend(Scope::ALL.iter().map(|v| v.key()));
    wanted.extend(Aggregation::ALL.iter().map(|v| v.key()));
    wanted.extend(Cycle::ALL.iter().map(|v| v.key()));
    wanted.extend(Status::ALL.iter().map(|v| v.key()));
    wanted.extend(UnitKind::ALL.iter().map(|v| v.key()));
    wanted.extend(Role::ALL.iter().map(|v| v.key()));
    wanted.extend(Confidence::ALL.iter().map(|v| v.key()));
    wanted.extend(ValueBasis::ALL.iter().map(|v| v.key()));
    let missing: Vec<&str> = wanted.into_iter().filter(|k| !keys.contains(*k)).collect();
    assert!(missing.is_empty(), "no words for {missing:?}");
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

fn sources(under: &str) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join(under),
        &mut files,
    );
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p, text)
        })
        .collect()
}

/// The keys named in code: `t("key")`, `tf!("key", …)`, `text!("key", …)`,
/// `Text::new("key")`, `.t("key")`.
fn keys_in(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for call in ["t(", "tf!(", "text!(", "Text::new("] {
        let mut from = 0;
        while let Some(i) = text[from..].find(call) {
            let at = from + i;
            from = at + call.len();
            // `t(` must be the whole name (not `set(`, `print(` …).
            if call == "t(" {
                let before = text[..at].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
            }
            let rest = text[from..].trim_start();
            let Some(rest) = rest.strip_prefix('"') else {
                continue;
            };
            let Some(end) = rest.find('"') else { continue };
            let key = &rest[..end];
            if !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
                && key.contains('.')
            {
                let line = text[..at].matches('\n').count() + 1;
                out.push((line, key.to_string()));
            }
        }
    }
    out
}

#[test]
fn every_key_the_code_names_is_in_the_catalogue_and_every_entry_is_used() {
    let entries = catalogue();
    let keys: BTreeSet<&str> = entries.iter().map(|e| e.key.as_str()).collect();
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut faults = Vec::new();
    for (path, text) in sources("src") {
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for (line, key) in keys_in(code) {
            if !keys.contains(key.as_str()) {
                faults.push(format!("{}:{line}: no entry for {key}", path.display()));
            }
            used.insert(key);
        }
    }
    // Entries named by an enumeration's key() are used through it; the
    // test above checks them.
    let unused: Vec<String> = entries
        .iter()
        .filter(|e| !used.contains(&e.key) && !is_enumeration_key(&e.key))
        .map(|e| format!("assets/i18n/{}.txt:{} {}", e.file, e.line, e.key))
        .collect();
    assert!(faults.is_empty(), "keys missing:\n{}", faults.join("\n"));
    assert!(
        unused.is_empty(),
        "entries no code uses (remove them):\n{}",
        unused.join("\n")
    );
}

fn is_enumeration_key(key: &str) -> bool {
    key.chars().next().is_some_and(|c| c.is_ascii_uppercase())
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0x4E00..=0x9FFF | 0xFF00..=0xFFEF)
}

fn strip_quoted(s: &str) -> String {
    let mut out = String::new();
    let mut depth = 0i32;
    for c in s.chars() {
        match c {
            '（' | '(' | '“' | '「' | '《' => depth += 1,
            '）' | ')' | '”' | '」' | '》' => depth -= 1,
            _ if depth <= 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The string literals of a Rust file with their lines, comments skipped;
/// stops at `#[cfg(test)]` (tests may say what the window shows).
fn literals(text: &str) -> Vec<(usize, String)> {
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut line = 1;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c == '/' && chars.get(i + 1) == Some(&'/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                if chars[i] == '\n' {
                    line += 1;
                }
                i += 1;
            }
            i += 2;
        } else if c == '\'' {
            // a char literal ('x', '\n', '“') or a lifetime ('a)
            if chars.get(i + 2) == Some(&'\'') {
                out.push((line, chars[i + 1].to_string()));
                i += 3;
            } else if chars.get(i + 1) == Some(&'\\') {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else {
                i += 1;
            }
        } else if c == 'r' && (chars.get(i + 1) == Some(&'"') || chars.get(i + 1) == Some(&'#')) {
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                i += 1;
                continue;
            }
            j += 1;
            let start = line;
            let mut s = String::new();
            while j < chars.len() {
                if chars[j] == '"' && (0..hashes).all(|h| chars.get(j + 1 + h) == Some(&'#')) {
                    break;
                }
                if chars[j] == '\n' {
                    line += 1;
                }
                s.push(chars[j]);
                j += 1;
            }
            out.push((start, s));
            i = j + 1 + hashes;
        } else if c == '"' {
            let start = line;
            let mut s = String::new();
            let mut j = i + 1;
            while j < chars.len() && chars[j] != '"' {
                if chars[j] == '\\' {
                    s.push(chars[j]);
                    j += 1;
                }
                if chars.get(j) == Some(&'\n') {
                    line += 1;
                }
                if let Some(&c) = chars.get(j) {
                    s.push(c);
                }
                j += 1;
            }
            out.push((start, s));
            i = j + 1;
        } else if c.is_alphanumeric() || c == '_' {
            // skip identifiers whole (so the `r` of `for` is not a raw string)
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
        } else {
            i += 1;
        }
    }
    out
}

/// Lines that may carry Chinese: data the window matches against (a
/// column's name in a file), marked `// i18n: data` on the line.
fn marked(text: &str, line: usize) -> bool {
    text.lines()
        .nth(line - 1)
        .is_some_and(|l| l.contains("// i18n: data"))
}

#[test]
fn the_window_writes_no_chinese_outside_the_catalogue() {
    let mut faults = Vec::new();
    for (path, text) in sources("src/ui") {
        for (line, lit) in literals(&text) {
            if lit.chars().any(is_cjk) && !marked(&text, line) {
                faults.push(format!("{}:{line}: \"{lit}\"", path.display()));
            }
        }
    }
    assert!(
        faults.is_empty(),
        "{} Chinese texts written in code, not in assets/i18n/:\n{}",
        faults.len(),
        faults.join("\n")
    );
}

#[test]
fn the_literal_scanner_sees_strings_and_skips_comments() {
    let src =
        "// 注释\nlet a = \"中文\"; /* 块 */ let b = r#\"原\"#; let c = '“';\nfor x in y {}\n";
    let lits: Vec<String> = literals(src).into_iter().map(|(_, s)| s).collect();
    assert_eq!(lits, vec!["中文", "原", "“"]);
    assert_eq!(
        keys_in("ui.label(t(\"a.b\")); tf!(\n  \"c.d\", n = 1); set(\"x.y\")"),
        vec![(1, "a.b".to_string()), (1, "c.d".to_string())]
    );
}
