//! The ordinary .xlsx, read straight from its XML: the workbook's list of
//! sheets, the shared strings and each worksheet's cells — nothing of the
//! styles, the theme or the drawings, which calamine parses for every file
//! before the first cell and which a return's figures never need (a date
//! comes out as its serial number either way). About twice calamine's speed
//! on a return.
//!
//! It gives up — and the file is read by calamine instead — on whatever it
//! does not fully understand: CDATA, a document type, an encoding other than
//! UTF-8, a part not at the path the workbook names, a cell without its
//! reference, an unknown cell type or child, an entity it does not know, a
//! malformed tag (a name followed by more than space in an end tag, a
//! repeated attribute, a '<' in a value: XML parsers read on past such tags
//! in different ways). tests/returns.rs and the `xlsx` fuzz target hold the
//! two readers to the same cells on every file both read; a file whose style
//! sheet calamine cannot parse is read here and refused there.

use super::read::Cell;
use std::io::{Cursor, Read};

/// The reader is not sure of this file: calamine reads it.
#[derive(Debug, PartialEq)]
pub(super) struct Unsure;

type R<T> = Result<T, Unsure>;

/// One worksheet's non-empty cells: (row, column, value), 0-based, in the
/// order the sheet lists them.
pub(super) type SheetCells = Vec<(u32, u32, Cell)>;

/// Every worksheet of the workbook in its order: its name and cells.
/// `None`: not sure of the file, or more than `max_cells` cells (calamine
/// then reads it, and refuses it as too large with the same words as any
/// other). Chart and dialog sheets, which hold no cells, are left out.
pub(super) fn read(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    max_cells: usize,
) -> Option<Vec<(String, SheetCells)>> {
    let parts = Parts::read(zip).ok()?;
    let strings = with_part(zip, "xl/sharedStrings.xml", shared_strings)
        .ok()?
        .unwrap_or_default();
    let mut budget = max_cells;
    let mut out = Vec::with_capacity(parts.sheets.len());
    for (name, path) in parts.sheets {
        let cells = with_part(zip, &path, |xml| worksheet(xml, &strings, budget)).ok()??;
        budget -= cells.len();
        out.push((name, cells));
    }
    Some(out)
}

/// The worksheets of the workbook, in its order: name and part.
struct Parts {
    sheets: Vec<(String, String)>,
}

impl Parts {
    fn read(zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> R<Parts> {
        // The workbook the package points to; anywhere but xl/workbook.xml is
        // left to calamine.
        let package = part(zip, "_rels/.rels")?.ok_or(Unsure)?;
        let mut target = None;
        for (ty, _, tgt) in relationships(&package)? {
            if ty.ends_with("/relationships/officeDocument") {
                target = Some(unescape_attr(tgt)?);
            }
        }
        if !matches!(
            target.as_deref(),
            Some("xl/workbook.xml" | "/xl/workbook.xml")
        ) {
            return Err(Unsure);
        }
        let rels = part(zip, "xl/_rels/workbook.xml.rels")?.ok_or(Unsure)?;
        let rels = relationships(&rels)?;
        let workbook = part(zip, "xl/workbook.xml")?.ok_or(Unsure)?;
        let mut sheets = Vec::new();
        let mut xml = Xml::new(&workbook)?;
        while let Some(tok) = xml.next()? {
            let Tok::Start { name, attrs, .. } = tok else {
                continue;
            };
            if local(name) != "sheet" {
                continue;
            }
            let mut sheet_name = String::new();
            let mut id = "";
            for (k, v) in Attrs::new(attrs) {
                let (k, v) = (k?, v);
                match k {
                    "name" => sheet_name = unescape_attr(v)?,
                    "state" if !matches!(v, "visible" | "hidden" | "veryHidden") => {
                        return Err(Unsure);
                    }
                    k if local(k) == "id" => id = v,
                    _ => {}
                }
            }
            let (ty, target) = rels
                .iter()
                .rev()
                .find(|(_, rid, _)| *rid == id)
                .map(|(ty, _, target)| (*ty, *target))
                .ok_or(Unsure)?;
            match ty.rsplit('/').next() {
                Some("worksheet") => {}
                // Chart, dialog and macro sheets hold no cells to import.
                Some(
                    "chartsheet" | "dialogsheet" | "macrosheet" | "xlMacrosheet"
                    | "xlIntlMacrosheet",
                ) => continue,
                _ => return Err(Unsure),
            }
            if target.contains("..") || target.contains('&') || target.contains('\\') {
                return Err(Unsure);
            }
            let path = match target.strip_prefix('/') {
                Some(abs) => abs.to_string(),
                None => format!("xl/{target}"),
            };
            if sheets.iter().any(|(n, _)| *n == sheet_name) {
                return Err(Unsure);
            }
            sheets.push((sheet_name, path));
        }
        Ok(Parts { sheets })
    }
}

/// A part's text; `None` when the package has no part of that name.
fn part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> R<Option<String>> {
    with_part(zip, name, |text| Ok(text.to_string()))
}

/// Where the part of exactly this name is in the package; `None` when
/// there is none.
fn index_of(zip: &zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> R<Option<usize>> {
    if let Some(index) = zip.index_for_name(name) {
        return Ok(Some(index));
    }
    // Another spelling of the name is calamine's to find.
    let lower = name.to_ascii_lowercase();
    if zip
        .file_names()
        .any(|n| n.is_ok_and(|n| n.replace('\\', "/").to_ascii_lowercase() == lower))
    {
        return Err(Unsure);
    }
    Ok(None)
}

/// A part's text handed to `read` from a buffer each reading thread keeps
/// between files, instead of a fresh buffer of a few hundred kilobytes per
/// file for the large parts (the shared strings, a sheet); `None` when the
/// package has no part of that name.
fn with_part<T>(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    read: impl FnOnce(&str) -> R<T>,
) -> R<Option<T>> {
    thread_local! {
        static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let Some(index) = index_of(zip, name)? else {
        return Ok(None);
    };
    let mut f = zip.by_index(index).map_err(|_| Unsure)?;
    BUFFER.with_borrow_mut(|bytes| {
        bytes.clear();
        f.read_to_end(bytes).map_err(|_| Unsure)?;
        let text = std::str::from_utf8(bytes).map_err(|_| Unsure)?;
        let out = read(text).map(Some);
        // A part far larger than returns usually are is not kept.
        if bytes.capacity() > 16 << 20 {
            *bytes = Vec::new();
        }
        out
    })
}

/// A relationships part: (type, id, target), raw.
fn relationships(xml: &str) -> R<Vec<(&str, &str, &str)>> {
    let mut out = Vec::new();
    let mut x = Xml::new(xml)?;
    while let Some(tok) = x.next()? {
        if let Tok::Start { name, attrs, .. } = tok
            && local(name) == "Relationship"
        {
            let (mut ty, mut id, mut target) = ("", None, "");
            for (k, v) in Attrs::new(attrs) {
                match k? {
                    "Type" => ty = v,
                    "Id" => id = Some(v),
                    "Target" => target = v,
                    _ => {}
                }
            }
            if let Some(id) = id {
                out.push((ty, id, target));
            }
        }
    }
    Ok(out)
}

/// The shared strings, in order.
fn shared_strings(xml: &str) -> R<Vec<String>> {
    let mut out = Vec::new();
    let mut x = Xml::new(xml)?;
    while let Some(tok) = x.next()? {
        if let Tok::Start { name, empty, .. } = tok
            && local(name) == "si"
        {
            out.push(if empty {
                String::new()
            } else {
                rich_text(&mut x, name)?
            });
        }
    }
    Ok(out)
}

/// The text of a string item (`<si>` or a cell's `<is>`) up to its end tag:
/// every `<t>` outside the phonetic runs, each trimmed of ASCII white space
/// unless it preserves space, with Excel's `_xHHHH_` escapes decoded.
fn rich_text(x: &mut Xml, closing: &str) -> R<String> {
    let mut out = String::new();
    let mut phonetic = false;
    loop {
        match x.next()?.ok_or(Unsure)? {
            Tok::Start { name, attrs, empty } => match local(name) {
                "rPh" => phonetic = !empty,
                "t" if empty => {}
                "t" => {
                    let text = x.text_until(name)?;
                    if phonetic {
                        continue;
                    }
                    let preserve =
                        Attrs::new(attrs).any(|(k, v)| k == Ok("xml:space") && v == "preserve");
                    let mut value = String::with_capacity(text.len());
                    unescape(text, &mut value)?;
                    let value = if preserve {
                        value.as_str()
                    } else {
                        value.trim_matches([' ', '\t', '\r', '\n'])
                    };
                    unescape_excel(value, &mut out);
                }
                _ => {}
            },
            Tok::End(name) if name == closing => return Ok(out),
            Tok::End(name) if local(name) == "rPh" => phonetic = false,
            _ => {}
        }
    }
}

/// A worksheet's non-empty cells.
fn worksheet(xml: &str, strings: &[String], max_cells: usize) -> R<SheetCells> {
    let mut x = Xml::new(xml)?;
    // Up to the cells: a dimension, if given, must be a reference.
    loop {
        match x.next()?.ok_or(Unsure)? {
            Tok::Start { name, attrs, empty } => match local(name) {
                "sheetData" if empty => return Ok(Vec::new()),
                "sheetData" => break,
                "dimension" => {
                    let r = Attrs::new(attrs)
                        .find(|(k, _)| *k == Ok("ref"))
                        .ok_or(Unsure)?
                        .1;
                    for p in r.split(':') {
                        reference(p)?;
                    }
                }
                _ => {}
            },
            _ => continue,
        }
    }
    let mut cells = Vec::new();
    loop {
        match x.next()?.ok_or(Unsure)? {
            Tok::Start { name, attrs, empty } => match local(name) {
                "row" => {
                    // Every cell names its place; a row's own number is not
                    // needed, but must be a number.
                    if let Some((_, r)) = Attrs::new(attrs).find(|(k, _)| *k == Ok("r")) {
                        digits(r)?;
                    }
                }
                "c" => {
                    let (mut at, mut ty) = (None, None);
                    for (k, v) in Attrs::new(attrs) {
                        match k? {
                            "r" => at = Some(v),
                            "t" => ty = Some(v),
                            _ => {}
                        }
                    }
                    let (r, c) = reference(at.ok_or(Unsure)?)?;
                    let value = if empty {
                        None
                    } else {
                        cell(&mut x, name, ty, strings)?
                    };
                    if let Some(v) = value {
                        if cells.len() == max_cells {
                            return Err(Unsure);
                        }
                        cells.push((r, c, v));
                    }
                }
                _ => {}
            },
            Tok::End(name) if local(name) == "sheetData" => return Ok(cells),
            _ => {}
        }
    }
}

/// A cell's value from its children, up to its end tag (the last child
/// decides, as in calamine); `None` for an empty or error cell.
fn cell(x: &mut Xml, closing: &str, ty: Option<&str>, strings: &[String]) -> R<Option<Cell>> {
    let mut value = None;
    loop {
        match x.next()?.ok_or(Unsure)? {
            Tok::Start { name, empty, .. } => {
                value = match local(name) {
                    "f" => {
                        if !empty {
                            x.text_until(name)?;
                        }
                        None
                    }
                    "is" if empty => Some(Cell::Text(String::new())),
                    "is" => Some(Cell::Text(rich_text(x, name)?)),
                    "v" if empty => value_of("", ty, strings)?,
                    "v" => {
                        let raw = x.text_until(name)?;
                        value_of(raw, ty, strings)?
                    }
                    _ => return Err(Unsure),
                };
            }
            Tok::End(name) if name == closing => return Ok(value),
            Tok::End(_) => return Err(Unsure),
            Tok::Text => {}
        }
    }
}

/// A `<v>` by the cell's type.
fn value_of(raw: &str, ty: Option<&str>, strings: &[String]) -> R<Option<Cell>> {
    Ok(match ty {
        Some("inlineStr" | "is") => None,
        None | Some("n" | "s" | "b" | "e") if raw.is_empty() => None,
        Some("str") => {
            let mut s = String::with_capacity(raw.len());
            unescape(raw, &mut s)?;
            let mut out = String::with_capacity(s.len());
            unescape_excel(&s, &mut out);
            Some(Cell::Text(out))
        }
        Some("d") => {
            let mut s = String::with_capacity(raw.len());
            unescape(raw, &mut s)?;
            Some(Cell::Text(s))
        }
        // calamine reads these types' text up to the first entity.
        _ if raw.contains('&') => return Err(Unsure),
        Some("s") => {
            let i = digits(raw)? as usize;
            Some(Cell::Text(strings.get(i).ok_or(Unsure)?.clone()))
        }
        Some("b") => match raw.trim() {
            "" => None,
            v if v == "0" || v.eq_ignore_ascii_case("false") => Some(Cell::Text("否".into())),
            v if v == "1" || v.eq_ignore_ascii_case("true") => Some(Cell::Text("是".into())),
            _ => return Err(Unsure),
        },
        Some("e") => match raw {
            "#DIV/0!" | "#N/A" | "#NAME?" | "#NULL!" | "#NUM!" | "#REF!" | "#VALUE!"
            | "#GETTING_DATA" => None,
            _ => return Err(Unsure),
        },
        Some("n") | None => match fast_float2::parse::<f64, _>(raw.as_bytes()) {
            Ok(v) => Some(Cell::Number(v)),
            Err(_) if ty.is_none() => Some(Cell::Text(raw.to_string())),
            Err(_) => return Err(Unsure),
        },
        Some(_) => return Err(Unsure),
    })
}

/// A cell reference such as `AB12`: (row, column), 0-based.
fn reference(r: &str) -> R<(u32, u32)> {
    let b = r.as_bytes();
    let letters = b.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    if letters == 0 || letters > 3 {
        return Err(Unsure);
    }
    let col = b[..letters].iter().fold(0u32, |acc, c| {
        acc * 26 + u32::from(c.to_ascii_uppercase() - b'A') + 1
    });
    let row = digits(&r[letters..])?;
    if row == 0 {
        return Err(Unsure);
    }
    Ok((row - 1, col - 1))
}

/// A plain decimal number (1 to 9 digits).
fn digits(s: &str) -> R<u32> {
    if s.is_empty() || s.len() > 9 || !s.bytes().all(|c| c.is_ascii_digit()) {
        return Err(Unsure);
    }
    s.parse().map_err(|_| Unsure)
}

/// An element's name without its namespace prefix.
fn local(name: &str) -> &str {
    match name.bytes().rposition(|b| b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

/// The first position of `byte` in `s`.
fn find(s: &str, byte: u8) -> Option<usize> {
    s.bytes().position(|b| b == byte)
}

/// Decodes XML text: the five named entities and character references,
/// with line ends normalised (CR LF and a lone CR become LF) as an XML
/// parser does.
fn unescape(raw: &str, out: &mut String) -> R<()> {
    let mut rest = raw;
    while let Some(i) = rest.find(['&', '\r']) {
        out.push_str(&rest[..i]);
        if rest.as_bytes()[i] == b'\r' {
            out.push('\n');
            rest = &rest[i + 1..];
            rest = rest.strip_prefix('\n').unwrap_or(rest);
            continue;
        }
        let end = rest[i..].find(';').ok_or(Unsure)? + i;
        let entity = &rest[i + 1..end];
        // XML knows no nbsp nor #X: what only HTML reads is left to calamine.
        if entity == "nbsp" || entity.starts_with("#X") {
            return Err(Unsure);
        }
        out.push(crate::domain::decode::entity(entity).ok_or(Unsure)?);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Ok(())
}

/// An attribute value decoded (attribute values keep their line ends).
fn unescape_attr(raw: &str) -> R<String> {
    if raw.contains(['\r', '\n', '\t']) {
        return Err(Unsure);
    }
    let mut s = String::with_capacity(raw.len());
    unescape(raw, &mut s)?;
    Ok(s)
}

/// Excel's `_xHHHH_` escapes (UTF-16 code units; a broken surrogate
/// becomes U+FFFD), appended to `out`.
fn unescape_excel(s: &str, out: &mut String) {
    fn unit_at(s: &[u8], i: usize) -> Option<u16> {
        let b = s.get(i..i + 7)?;
        if b[0] != b'_'
            || b[1] != b'x'
            || b[6] != b'_'
            || !b[2..6].iter().all(u8::is_ascii_hexdigit)
        {
            return None;
        }
        u16::from_str_radix(std::str::from_utf8(&b[2..6]).ok()?, 16).ok()
    }
    let b = s.as_bytes();
    let mut copied = 0;
    let mut i = 0;
    while let Some(off) = s[i..].find('_') {
        let at = i + off;
        let Some(unit) = unit_at(b, at) else {
            i = at + 1;
            continue;
        };
        out.push_str(&s[copied..at]);
        let mut next = at + 7;
        let c = match unit {
            0xD800..=0xDBFF => match unit_at(b, next) {
                Some(low @ 0xDC00..=0xDFFF) => {
                    next += 7;
                    char::from_u32(
                        0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00),
                    )
                }
                _ => None,
            },
            0xDC00..=0xDFFF => None,
            u => char::from_u32(u32::from(u)),
        };
        out.push(c.unwrap_or(char::REPLACEMENT_CHARACTER));
        copied = next;
        i = next;
    }
    out.push_str(&s[copied..]);
}

/// One piece of XML.
enum Tok<'a> {
    /// An opening tag: its name, its attributes unparsed, and whether it
    /// closes itself (`<c r="A1"/>`).
    Start {
        name: &'a str,
        attrs: &'a str,
        empty: bool,
    },
    End(&'a str),
    /// Text between tags (what it says is read with `text_until`).
    Text,
}

/// A small XML tokenizer over text already known to be UTF-8. Comments,
/// processing instructions and the declaration are skipped; CDATA and
/// document types give up.
struct Xml<'a> {
    s: &'a str,
    at: usize,
}

impl<'a> Xml<'a> {
    fn new(s: &'a str) -> R<Xml<'a>> {
        let s = s.strip_prefix('\u{feff}').unwrap_or(s);
        if let Some(decl) = s.strip_prefix("<?xml") {
            let end = decl.find("?>").ok_or(Unsure)?;
            let decl = &decl[..end];
            if let Some(p) = decl.find("encoding") {
                let enc = decl[p + 8..]
                    .trim_start_matches([' ', '='])
                    .trim_start_matches(['"', '\''])
                    .split(['"', '\''])
                    .next()
                    .unwrap_or("");
                if !enc.eq_ignore_ascii_case("utf-8") {
                    return Err(Unsure);
                }
            }
        }
        Ok(Xml { s, at: 0 })
    }

    /// The next piece, `None` at the end.
    fn next(&mut self) -> R<Option<Tok<'a>>> {
        loop {
            let rest = &self.s[self.at..];
            if rest.is_empty() {
                return Ok(None);
            }
            if !rest.starts_with('<') {
                let end = find(rest, b'<').unwrap_or(rest.len());
                self.at += end;
                return Ok(Some(Tok::Text));
            }
            let b = rest.as_bytes();
            match b.get(1) {
                Some(b'?') => {
                    self.at += rest.find("?>").ok_or(Unsure)? + 2;
                }
                Some(b'!') => {
                    if !rest.starts_with("<!--") {
                        return Err(Unsure);
                    }
                    self.at += rest.find("-->").ok_or(Unsure)? + 3;
                }
                Some(b'/') => {
                    let end = find(rest, b'>').ok_or(Unsure)?;
                    self.at += end + 1;
                    return Ok(Some(Tok::End(name(rest[2..end].trim_end())?)));
                }
                _ => {
                    // The tag ends at the first '>' outside quotes.
                    let mut i = 1;
                    let mut quote = None;
                    let end = loop {
                        let c = *b.get(i).ok_or(Unsure)?;
                        match (quote, c) {
                            (None, b'"' | b'\'') => quote = Some(c),
                            (Some(q), c) if c == q => quote = None,
                            (None, b'>') => break i,
                            // Not even inside a value (which parsers
                            // then end in different places).
                            (_, b'<') => return Err(Unsure),
                            _ => {}
                        }
                        i += 1;
                    };
                    self.at += end + 1;
                    let inner = &rest[1..end];
                    let (inner, empty) = match inner.strip_suffix('/') {
                        Some(i) => (i, true),
                        None => (inner, false),
                    };
                    let name_end = inner
                        .bytes()
                        .position(|c| c.is_ascii_whitespace())
                        .unwrap_or(inner.len());
                    let name = name(&inner[..name_end])?;
                    return Ok(Some(Tok::Start {
                        name,
                        attrs: &inner[name_end..],
                        empty,
                    }));
                }
            }
        }
    }

    /// The raw text of an element whose opening tag was just read, up to its
    /// end tag `name`; an element inside gives up.
    fn text_until(&mut self, name: &str) -> R<&'a str> {
        let rest = &self.s[self.at..];
        let end = find(rest, b'<').ok_or(Unsure)?;
        let close = &rest[end..];
        let tail = close
            .strip_prefix("</")
            .and_then(|c| c.strip_prefix(name))
            .ok_or(Unsure)?;
        let gt = find(tail, b'>').ok_or(Unsure)?;
        if !tail[..gt].trim().is_empty() {
            return Err(Unsure);
        }
        self.at += end + 2 + name.len() + gt + 1;
        Ok(&rest[..end])
    }
}

/// A tag's name, if it is one: nothing else may follow it in an end tag
/// (`</is" t="s">` is not read as the end of `<is>`, as one parser would and
/// another would not).
fn name(s: &str) -> R<&str> {
    if s.is_empty()
        || s.bytes().any(|b| {
            b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b'=' | b'<' | b'>' | b'/')
        })
    {
        return Err(Unsure);
    }
    Ok(s)
}

/// The attributes of a tag: (name, raw value). A malformed or repeated one,
/// attributes not parted by space, or more than 8 (a cell has at most six),
/// end the iteration with `Err` as its name: parsers differ on what such a
/// tag says (calamine reads `<c r="F29" s="" s="3" t="s">` as a number).
struct Attrs<'a> {
    rest: &'a str,
    seen: [&'a str; 8],
    n: usize,
}

impl<'a> Attrs<'a> {
    fn new(attrs: &'a str) -> Attrs<'a> {
        Attrs {
            rest: attrs,
            seen: [""; 8],
            n: 0,
        }
    }
}

impl<'a> Iterator for Attrs<'a> {
    type Item = (R<&'a str>, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        let s = self.rest.trim_ascii_start();
        if s.is_empty() {
            return None;
        }
        let bad = Some((Err(Unsure), ""));
        let Some(eq) = find(s, b'=') else {
            self.rest = "";
            return bad;
        };
        let key = s[..eq].trim_ascii_end();
        let after = s[eq + 1..].trim_ascii_start();
        let Some(q) = after.bytes().next().filter(|c| *c == b'"' || *c == b'\'') else {
            self.rest = "";
            return bad;
        };
        let Some(close) = find(&after[1..], q) else {
            self.rest = "";
            return bad;
        };
        self.rest = &after[close + 2..];
        if name(key).is_err()
            || !(self.rest.is_empty() || self.rest.starts_with(|c: char| c.is_ascii_whitespace()))
            || self.n == self.seen.len()
            || self.seen[..self.n].contains(&key)
        {
            self.rest = "";
            return bad;
        }
        self.seen[self.n] = key;
        self.n += 1;
        Some((Ok(key), &after[1..close + 1]))
    }
}
