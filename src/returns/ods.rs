//! OpenDocument spreadsheets (.ods): `content.xml` read as it is unpacked,
//! cell by cell, each cell placed under the limits of one file before any
//! grid exists. (A reader that builds the sheet's range first turns two
//! cells at opposite corners of an 817-byte file into a grid of billions.)
//!
//! What a cell holds: `office:value` for numbers, percentages (the fraction,
//! 0.465) and currencies; `office:date-value` / `office:time-value` as text;
//! a boolean as 是 / 否 (as calamine gives them elsewhere); otherwise its
//! paragraphs' text joined by line breaks, with `text:s` spaces and tabs,
//! annotations left out. Repeated rows and cells (`number-rows-repeated`,
//! `number-columns-repeated`) advance the position without cost when empty.
//! A covered cell of a merge keeps what it holds (as calamine reads it).

use super::read::{Cell, Cells, FileError};
use crate::returns::read::FileErrorKind;
use quick_xml::events::{BytesStart, Event};
use std::io::{BufReader, Cursor, Read};

fn corrupt(e: impl std::fmt::Display) -> FileError {
    FileError::new(
        FileErrorKind::Corrupt,
        format!("the file cannot be read as a spreadsheet ({e})"),
    )
}

/// Whether the package is encrypted (its manifest describes encryption
/// data: LibreOffice's "save with password").
pub fn encrypted(zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> bool {
    let Ok(f) = zip.by_name("META-INF/manifest.xml") else {
        return false;
    };
    let mut text = String::new();
    // A manifest is a few KB; a larger one is not read for this check.
    f.take(1 << 20).read_to_string(&mut text).is_ok() && text.contains("encryption-data")
}

/// An attribute's value, unescaped (`None` when absent or malformed).
fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.try_get_attribute(name).ok().flatten().and_then(|a| {
        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .ok()
            .map(|v| v.into_owned())
    })
}

/// A repeat count attribute: 1 when absent, at most `cap`.
fn repeats(e: &BytesStart, name: &str, cap: u32) -> u32 {
    attr(e, name)
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(1)
        .clamp(1, cap as u64) as u32
}

/// The cell being read: its value from the attributes, or its text.
struct Open {
    value: Option<Cell>,
    text: String,
    paragraphs: usize,
    repeat: u32,
}

/// Reads every sheet of an .ods into `cells`.
pub fn read(bytes: &[u8], cells: &mut Cells) -> Result<(), FileError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(corrupt)?;
    if encrypted(&mut zip) {
        return Err(FileError::new(
            FileErrorKind::Encrypted,
            "the workbook is protected by a password; save an unprotected copy".into(),
        ));
    }
    let content = zip.by_name("content.xml").map_err(corrupt)?;
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(content));
    let mut buf = Vec::new();
    // Where we are: inside a sheet (row, column), inside a cell, inside an
    // annotation or a table nested in a cell (skipped), inside a paragraph.
    let mut in_sheet = false;
    let mut row: u32 = 0;
    let mut col: u32 = 0;
    let mut row_repeat: u32 = 1;
    let mut row_cells: Vec<(u32, Cell)> = Vec::new();
    let mut cell: Option<Open> = None;
    let mut skip_depth = 0usize;
    let mut in_paragraph = 0usize;
    let beyond = super::read::MAX_ROWS + 1;
    loop {
        let event = reader.read_event_into(&mut buf).map_err(corrupt)?;
        if skip_depth > 0 {
            match event {
                Event::Start(_) => skip_depth += 1,
                Event::End(_) => skip_depth -= 1,
                Event::Eof => break,
                _ => {}
            }
            buf.clear();
            continue;
        }
        match event {
            Event::Start(e) if !in_sheet && e.name().as_ref() == "table:table" => {
                in_sheet = true;
                row = 0;
                cells.sheet(attr(&e, "table:name").unwrap_or_default());
            }
            Event::Empty(e) if !in_sheet && e.name().as_ref() == "table:table" => {
                cells.sheet(attr(&e, "table:name").unwrap_or_default());
            }
            Event::Start(_) | Event::Empty(_) if !in_sheet => {}
            Event::Start(e) => match e.name().as_ref() {
                "table:table-row" => {
                    row_repeat = repeats(&e, "table:number-rows-repeated", beyond);
                    col = 0;
                    row_cells.clear();
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    cell = Some(Open {
                        value: value_of(&e),
                        text: String::new(),
                        paragraphs: 0,
                        repeat: repeats(&e, "table:number-columns-repeated", beyond),
                    });
                }
                "office:annotation" | "table:table" if cell.is_some() => skip_depth = 1,
                "text:p" | "text:h" if cell.is_some() => {
                    if let Some(c) = cell.as_mut() {
                        if c.paragraphs > 0 {
                            c.text.push('\n');
                        }
                        c.paragraphs += 1;
                    }
                    in_paragraph += 1;
                }
                _ => {}
            },
            Event::Empty(e) => match e.name().as_ref() {
                "table:table-row" => {
                    // A row with no cells: only its repeats count.
                    let n = repeats(&e, "table:number-rows-repeated", beyond);
                    row = row.saturating_add(n);
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    let n = repeats(&e, "table:number-columns-repeated", beyond);
                    match value_of(&e) {
                        Some(v) => {
                            for _ in 0..n {
                                row_cells.push((col, v.clone()));
                                col = col.saturating_add(1);
                                if col >= beyond {
                                    break;
                                }
                            }
                        }
                        None => col = col.saturating_add(n),
                    }
                }
                "text:s" => {
                    if let Some(c) = cell.as_mut().filter(|_| in_paragraph > 0) {
                        let n = attr(&e, "text:c")
                            .and_then(|v| v.parse::<usize>().ok())
                            .unwrap_or(1)
                            .min(100);
                        c.text.extend(std::iter::repeat_n(' ', n));
                    }
                }
                "text:tab" => {
                    if let Some(c) = cell.as_mut().filter(|_| in_paragraph > 0) {
                        c.text.push('\t');
                    }
                }
                "text:line-break" => {
                    if let Some(c) = cell.as_mut().filter(|_| in_paragraph > 0) {
                        c.text.push('\n');
                    }
                }
                _ => {}
            },
            Event::Text(t) => {
                if let Some(c) = cell.as_mut().filter(|_| in_paragraph > 0) {
                    c.text.push_str(&t.xml10_content());
                    if c.text.len() > MAX_CELL_TEXT {
                        return Err(FileError::new(
                            FileErrorKind::TooLarge,
                            format!("a cell holds more than {} KB of text", MAX_CELL_TEXT / 1024),
                        ));
                    }
                }
            }
            Event::GeneralRef(r) => {
                if let Some(c) = cell.as_mut().filter(|_| in_paragraph > 0) {
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(ch)) => Some(ch),
                        _ => match r.as_ref() {
                            "amp" => Some('&'),
                            "lt" => Some('<'),
                            "gt" => Some('>'),
                            "quot" => Some('"'),
                            "apos" => Some('\''),
                            // Entities a DTD would define are not expanded.
                            _ => None,
                        },
                    };
                    if let Some(ch) = resolved {
                        c.text.push(ch);
                    }
                }
            }
            Event::End(e) => match e.name().as_ref() {
                "text:p" | "text:h" => in_paragraph = in_paragraph.saturating_sub(1),
                "table:table-cell" | "table:covered-table-cell" => {
                    if let Some(c) = cell.take() {
                        let v = c.value.or_else(|| {
                            (!c.text.trim().is_empty()).then(|| Cell::Text(c.text.clone()))
                        });
                        match v {
                            Some(v) => {
                                for _ in 0..c.repeat {
                                    row_cells.push((col, v.clone()));
                                    col = col.saturating_add(1);
                                    if col >= beyond {
                                        break;
                                    }
                                }
                            }
                            _ => col = col.saturating_add(c.repeat),
                        }
                    }
                    in_paragraph = 0;
                }
                "table:table-row" => {
                    // The row's cells, once for each repeat: a repeated row
                    // with content meets the limits like any other.
                    if row_cells.is_empty() {
                        row = row.saturating_add(row_repeat);
                    } else {
                        for _ in 0..row_repeat {
                            for (c, v) in &row_cells {
                                cells.push(row, *c, v.clone())?;
                            }
                            row = row.saturating_add(1);
                        }
                    }
                    row_cells.clear();
                }
                "table:table" => in_sheet = false,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(())
}

/// The most text one cell may hold: a return's longest 进展情况 is a few KB.
const MAX_CELL_TEXT: usize = 1 << 20;

/// A cell's value from its attributes, or `None` for text (read from its
/// paragraphs) and empty cells.
fn value_of(e: &BytesStart) -> Option<Cell> {
    let typ = attr(e, "office:value-type")?;
    match typ.as_str() {
        "float" | "percentage" | "currency" => attr(e, "office:value")
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|v| v.is_finite())
            .map(Cell::Number),
        "date" => attr(e, "office:date-value").map(Cell::Text),
        "time" => attr(e, "office:time-value").map(Cell::Text),
        "boolean" => attr(e, "office:boolean-value")
            .map(|v| Cell::Text(if v.trim() == "true" { "是" } else { "否" }.into())),
        // "string": the text of its paragraphs (or office:string-value).
        _ => attr(e, "office:string-value")
            .filter(|s| !s.trim().is_empty())
            .map(Cell::Text),
    }
}
