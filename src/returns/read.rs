//! Spreadsheet bytes → plain grids of cells. The format is decided by the
//! first bytes, never the extension: `PK` (xlsx, xlsm, xlsb, ods), the OLE
//! signature `D0 CF 11 E0` (xls; or an encrypted workbook), `<html`/`<table`
//! (the ".xls" that government systems export), else CSV text in UTF-8,
//! UTF-16 or GB18030. An ordinary .xlsx is read directly from its XML
//! (`xlsx.rs`), anything else by calamine. Hostile files meet limits on size,
//! on the zip's declared uncompressed sizes, and on the number of cells.

use calamine::{Data, Reader};
use std::io::{Cursor, Read};

/// The largest file accepted.
pub const MAX_FILE_BYTES: usize = 50 * 1024 * 1024;
/// The most uncompressed bytes a zip-based workbook may declare: a return
/// unpacks to a few MB; a part is read whole, so this bounds the memory a
/// file takes (a 450 MB comments part took 478 MB with a limit of 500).
pub const MAX_UNZIPPED_BYTES: u64 = 150 * 1024 * 1024;
/// The most cells read from one file.
pub const MAX_CELLS: usize = 5_000_000;

/// One cell as the importer sees it.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
}

impl Cell {
    /// The cell as text (numbers without needless decimals).
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.trim().to_string(),
            // Exact for whole numbers below 2^53, and much cheaper than `{:.0}`.
            Cell::Number(v) if v.fract() == 0.0 && v.abs() < 1e15 => (*v as i64).to_string(),
            Cell::Number(v) => v.to_string(),
        }
    }
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            Cell::Number(_) => false,
        }
    }
}

/// One sheet: its name, its cells, and the sheet row number (1-based, as
/// Excel shows it) of `rows[0]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Sheet {
    pub name: String,
    pub first_row: usize,
    pub rows: Vec<Vec<Cell>>,
}

/// Why a whole file was refused: what kind of refusal, and the plain
/// detail. Said as `kind: detail` on the command line and in JSON; the
/// window words the kind in its language.
#[derive(Clone, Debug, PartialEq)]
pub struct FileError {
    pub kind: FileErrorKind,
    pub detail: String,
}

/// The kinds of refused file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileErrorKind {
    /// Not a spreadsheet, or a damaged one.
    Corrupt,
    /// No content, or no filled cell.
    Empty,
    /// Protected by a password.
    Encrypted,
    /// Over one of the reading limits.
    TooLarge,
    /// A kind of file no reader takes.
    Unsupported,
    /// The file could not be opened.
    Unreadable,
    /// No sheet has the table looked for (a catalogue, a 任务分解表).
    NoTable,
}

impl FileErrorKind {
    /// The category word of the JSON and the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            FileErrorKind::Corrupt => "corrupt",
            FileErrorKind::Empty => "empty",
            FileErrorKind::Encrypted => "encrypted",
            FileErrorKind::TooLarge => "too_large",
            FileErrorKind::Unsupported => "unsupported",
            FileErrorKind::Unreadable => "unreadable",
            FileErrorKind::NoTable => "no_table",
        }
    }
}

impl FileError {
    pub fn new(kind: FileErrorKind, detail: String) -> FileError {
        FileError { kind, detail }
    }
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.kind.as_str(), self.detail)
    }
}

impl serde::Serialize for FileError {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

fn corrupt(e: impl std::fmt::Display) -> FileError {
    FileError::new(
        FileErrorKind::Corrupt,
        format!("the file cannot be read as a spreadsheet ({e})"),
    )
}

/// What the first bytes say the file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Xlsb,
    Ods,
    Xls,
    Html,
    Text,
}

/// Decides the format from the bytes.
pub fn sniff(bytes: &[u8]) -> Result<Format, FileError> {
    if bytes.starts_with(b"PK\x03\x04") {
        let zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(corrupt)?;
        let names: Vec<String> = zip
            .file_names()
            .filter_map(|n| n.ok().map(|n| n.into_owned()))
            .collect();
        return if names
            .iter()
            .any(|n| n.eq_ignore_ascii_case("xl/workbook.bin"))
        {
            Ok(Format::Xlsb)
        } else if names.iter().any(|n| n.starts_with("xl/")) {
            Ok(Format::Xlsx)
        } else if names.iter().any(|n| n == "content.xml") {
            Ok(Format::Ods)
        } else {
            Err(FileError::new(
                FileErrorKind::Corrupt,
                "a zip file, but not a workbook (no xl/ or content.xml inside)".into(),
            ))
        };
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        // An encrypted xlsx is an OLE file holding an "EncryptedPackage" stream.
        let marker: Vec<u8> = "EncryptedPackage"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        if bytes.windows(marker.len()).any(|w| w == marker.as_slice()) {
            return Err(FileError::new(
                FileErrorKind::Encrypted,
                "the workbook is protected by a password; save an unprotected copy".into(),
            ));
        }
        return Ok(Format::Xls);
    }
    let head: String =
        String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with("<html")
        || head.starts_with("<!doctype html")
        || head.starts_with("<table")
        || head.contains("<table") && head.starts_with('<')
    {
        return Ok(Format::Html);
    }
    Ok(Format::Text)
}

/// Reads every sheet of a file.
pub fn read(bytes: &[u8]) -> Result<Vec<Sheet>, FileError> {
    if bytes.is_empty() {
        return Err(FileError::new(
            FileErrorKind::Empty,
            "the file has no content".into(),
        ));
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(FileError::new(
            FileErrorKind::TooLarge,
            format!(
                "{} MB; a return is at most {} MB",
                bytes.len() / 1024 / 1024,
                MAX_FILE_BYTES / 1024 / 1024
            ),
        ));
    }
    let format = sniff(bytes)?;
    if matches!(format, Format::Xlsx | Format::Xlsb | Format::Ods) {
        check_zip(bytes)?;
    }
    // A reader that panics on a malformed file must not take the program down.
    let sheets = std::panic::catch_unwind(|| read_format(format, bytes)).unwrap_or_else(|_| {
        Err(FileError::new(
            FileErrorKind::Corrupt,
            "the spreadsheet reader could not make sense of the file".into(),
        ))
    })?;
    if sheets
        .iter()
        .all(|s| s.rows.iter().all(|r| r.iter().all(Cell::is_empty)))
    {
        return Err(FileError::new(
            FileErrorKind::Empty,
            "the workbook has no filled cells".into(),
        ));
    }
    Ok(sheets)
}

fn read_format(format: Format, bytes: &[u8]) -> Result<Vec<Sheet>, FileError> {
    Ok(match format {
        Format::Xlsx => xlsx(bytes)?,
        Format::Xlsb => xlsb(bytes)?,
        Format::Ods => {
            let mut cells = Cells::default();
            super::ods::read(bytes, &mut cells)?;
            cells.into_sheets()?
        }
        Format::Xls => {
            let clean = super::cfb::sanitize(bytes)?;
            workbook(calamine::Xls::new(Cursor::new(clean)).map_err(|e| {
                let s = e.to_string();
                if s.to_ascii_lowercase().contains("password") {
                    FileError::new(
                        FileErrorKind::Encrypted,
                        "the workbook is protected by a password; save an unprotected copy".into(),
                    )
                } else {
                    corrupt(s)
                }
            })?)?
        }
        Format::Html => html(&decode_text(bytes, true)?)?,
        Format::Text => vec![csv(&decode_text(bytes, false)?)?],
    })
}

/// The most rows, columns and grid cells of one sheet: a return is a few
/// hundred rows; two cells at opposite corners must not become a grid of
/// billions.
pub const MAX_ROWS: u32 = 200_000;
pub const MAX_COLS: u32 = 2_000;

fn too_large_sheet(name: &str) -> FileError {
    FileError::new(
        FileErrorKind::TooLarge,
        format!(
            "sheet {name} spreads over more than {MAX_ROWS} rows, {MAX_COLS} columns or {MAX_CELLS} cells"
        ),
    )
}

/// An .xlsx: read directly (see [`super::xlsx`]), or by calamine cell by
/// cell when the direct reader is not sure of the file; either way the grid
/// is built under our limits (calamine's own range would be as large as the
/// cells' extent).
fn xlsx(bytes: &[u8]) -> Result<Vec<Sheet>, FileError> {
    xlsx_direct(bytes).unwrap_or_else(|| xlsx_by_calamine(bytes))
}

/// A workbook's sheets, or why it was refused.
pub type Sheets = Result<Vec<Sheet>, FileError>;

/// An .xlsx read by the direct reader alone (`None` when it is not sure of
/// the file). With [`xlsx_by_calamine`], for the tests and the fuzz target
/// that hold the two to the same cells.
#[doc(hidden)]
pub fn xlsx_direct(bytes: &[u8]) -> Option<Sheets> {
    zip::ZipArchive::new(Cursor::new(bytes))
        .ok()
        .and_then(|mut zip| super::xlsx::read(&mut zip, MAX_CELLS))
        .map(Cells::of)
}

/// Every worksheet's cells of a calamine workbook that reads cell by cell
/// (.xlsx, .xlsb), placed under our limits as they come (its range of a
/// sheet would be as large as the cells' extent). A macro: the two cell
/// readers share no trait.
macro_rules! cells_of {
    ($wb:expr) => {{
        let mut cells = Cells::default();
        for name in worksheets(&$wb) {
            let mut reader = $wb
                .worksheet_cells_reader(&name)
                .map_err(|e| corrupt(format!("sheet {name}: {e}")))?;
            cells.sheet(name.clone());
            while let Some(c) = reader
                .next_cell()
                .map_err(|e| corrupt(format!("sheet {name}: {e}")))?
            {
                let (r, col) = c.get_position();
                if let Some(v) = cell_of(c.get_value()) {
                    cells.push(r, col, v)?;
                }
            }
        }
        cells.into_sheets()
    }};
}

/// An .xlsx read by calamine alone (see [`xlsx_direct`]).
#[doc(hidden)]
pub fn xlsx_by_calamine(bytes: &[u8]) -> Result<Vec<Sheet>, FileError> {
    let patched = without_macro_sheets(bytes, "xl/_rels/workbook.xml.rels")?;
    let mut wb =
        calamine::Xlsx::new(Cursor::new(patched.as_deref().unwrap_or(bytes))).map_err(corrupt)?;
    cells_of!(wb)
}

/// A cell as calamine gives it, as the importer sees it (`None`: empty).
fn cell_of(v: &calamine::DataRef) -> Option<Cell> {
    use calamine::DataRef;
    Some(match v {
        DataRef::Empty | DataRef::Error(_) => return None,
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
            Cell::Text(s.clone())
        }
        DataRef::SharedString(s) => Cell::Text((*s).to_string()),
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Bool(b) => Cell::Text(if *b { "是".into() } else { "否".into() }),
        DataRef::DateTime(d) => Cell::Number(d.as_f64()),
    })
}

/// The worksheets of a workbook: chart, dialog and macro sheets hold no
/// cells to import and are skipped (calamine refuses to read them as
/// worksheets, which refused the whole file).
fn worksheets<RS: std::io::Read + std::io::Seek, R: Reader<RS>>(wb: &R) -> Vec<String> {
    wb.sheets_metadata()
        .iter()
        .filter(|s| s.typ == calamine::SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .collect()
}

/// calamine refuses a whole .xlsb or .xlsm whose workbook lists a macro
/// sheet (an Excel 4 macro sheet beside ordinary worksheets); such a
/// package is given to it with the macro sheets listed as dialog sheets,
/// which it knows and which are skipped like charts. `RELS` is the
/// workbook's relationships part. `None`: nothing to change.
fn without_macro_sheets(bytes: &[u8], rels_part: &str) -> Result<Option<Vec<u8>>, FileError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(corrupt)?;
    let rels = match zip.by_name(rels_part) {
        Ok(f) => {
            let mut text = String::new();
            f.take(MAX_FILE_BYTES as u64)
                .read_to_string(&mut text)
                .map_err(corrupt)?;
            text
        }
        Err(_) => return Ok(None),
    };
    if !rels.contains("macrosheet") {
        return Ok(None);
    }
    // .xlsb: the sheet's path says its kind; .xlsx/.xlsm: the relationship type.
    let rels = rels
        .replace("macrosheets/", "dialogsheets/")
        .replace("/macrosheet\"", "/dialogsheet\"")
        .replace("/xlMacrosheet\"", "/dialogsheet\"")
        .replace("/xlIntlMacrosheet\"", "/dialogsheet\"");
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(bytes.len())));
    for i in 0..zip.len() {
        let f = zip.by_index_raw(i).map_err(corrupt)?;
        if f.name().is_ok_and(|n| n == rels_part) {
            drop(f);
            out.start_file(rels_part, zip::write::SimpleFileOptions::default())
                .map_err(corrupt)?;
            std::io::Write::write_all(&mut out, rels.as_bytes()).map_err(corrupt)?;
        } else {
            out.raw_copy_file(f).map_err(corrupt)?;
        }
    }
    Ok(Some(out.finish().map_err(corrupt)?.into_inner()))
}

/// An .xlsb, read cell by cell by calamine under our limits.
fn xlsb(bytes: &[u8]) -> Result<Vec<Sheet>, FileError> {
    let patched = without_macro_sheets(bytes, "xl/_rels/workbook.bin.rels")?;
    let mut wb =
        calamine::Xlsb::new(Cursor::new(patched.as_deref().unwrap_or(bytes))).map_err(corrupt)?;
    cells_of!(wb)
}

/// A workbook's cells as read, sheet by sheet, under the limits of one
/// file: each cell is counted and placed before any grid exists.
#[derive(Default)]
pub(super) struct Cells {
    total: usize,
    sheets: Vec<(String, super::xlsx::SheetCells)>,
}

impl Cells {
    /// The grids of the sheets the direct reader read.
    fn of(sheets: Vec<(String, super::xlsx::SheetCells)>) -> Result<Vec<Sheet>, FileError> {
        let mut cells = Cells::default();
        for (name, list) in sheets {
            cells.sheet(name);
            for (r, c, v) in list {
                cells.push(r, c, v)?;
            }
        }
        cells.into_sheets()
    }

    /// Starts the next sheet.
    pub(super) fn sheet(&mut self, name: String) {
        self.sheets.push((name, Vec::new()));
    }

    /// A non-empty cell of the current sheet (0-based row and column).
    pub(super) fn push(&mut self, r: u32, col: u32, v: Cell) -> Result<(), FileError> {
        let Some((name, cells)) = self.sheets.last_mut() else {
            return Err(corrupt("a cell outside any sheet"));
        };
        if r >= MAX_ROWS || col >= MAX_COLS {
            return Err(too_large_sheet(name));
        }
        self.total += 1;
        if self.total > MAX_CELLS {
            return Err(FileError::new(
                FileErrorKind::TooLarge,
                format!("more than {MAX_CELLS} cells"),
            ));
        }
        cells.push((r, col, v));
        Ok(())
    }

    /// The grids, each from its first filled row.
    pub(super) fn into_sheets(self) -> Result<Vec<Sheet>, FileError> {
        let mut out = Vec::with_capacity(self.sheets.len());
        for (name, cells) in self.sheets {
            let first = cells.iter().map(|c| c.0).min().unwrap_or(0);
            let last = cells.iter().map(|c| c.0).max().unwrap_or(0);
            let width = cells.iter().map(|c| c.1 + 1).max().unwrap_or(0) as usize;
            let height = if cells.is_empty() {
                0
            } else {
                (last - first + 1) as usize
            };
            if height.saturating_mul(width) > MAX_CELLS {
                return Err(too_large_sheet(&name));
            }
            let mut rows = vec![vec![Cell::Empty; width]; height];
            for (r, c, v) in cells {
                rows[(r - first) as usize][c as usize] = v;
            }
            out.push(Sheet {
                name,
                first_row: first as usize + 1,
                rows,
            });
        }
        Ok(out)
    }
}

/// Refuses a zip whose entries declare more than the limit uncompressed.
fn check_zip(bytes: &[u8]) -> Result<(), FileError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(corrupt)?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let f = zip.by_index_raw(i).map_err(corrupt)?;
        if f.encrypted() {
            return Err(FileError::new(
                FileErrorKind::Encrypted,
                "the workbook is protected by a password; save an unprotected copy".into(),
            ));
        }
        total = total.saturating_add(f.size());
    }
    if total > MAX_UNZIPPED_BYTES {
        return Err(FileError::new(
            FileErrorKind::TooLarge,
            format!(
                "the workbook unpacks to {} MB (at most {} MB)",
                total / 1024 / 1024,
                MAX_UNZIPPED_BYTES / 1024 / 1024
            ),
        ));
    }
    Ok(())
}

fn workbook<RS: std::io::Read + std::io::Seek, R: Reader<RS>>(
    mut wb: R,
) -> Result<Vec<Sheet>, FileError>
where
    R::Error: std::fmt::Display,
{
    let mut out = Vec::new();
    let mut cells = 0usize;
    for name in worksheets(&wb) {
        let range = match wb.worksheet_range(&name) {
            Ok(r) => r,
            Err(e) => return Err(corrupt(format!("sheet {name}: {e}"))),
        };
        let (h, w) = range.get_size();
        cells = cells.saturating_add(h.saturating_mul(w));
        if cells > MAX_CELLS {
            return Err(FileError::new(
                FileErrorKind::TooLarge,
                format!("more than {MAX_CELLS} cells"),
            ));
        }
        let first_row = range.start().map_or(1, |(r, _)| r as usize + 1);
        let first_col = range.start().map_or(0, |(_, c)| c as usize);
        let rows = range
            .rows()
            .map(|row| {
                let mut v: Vec<Cell> = vec![Cell::Empty; first_col];
                v.extend(row.iter().map(|c| match c {
                    Data::Empty | Data::Error(_) => Cell::Empty,
                    Data::String(s) => Cell::Text(s.clone()),
                    Data::Int(i) => Cell::Number(*i as f64),
                    Data::Float(f) => Cell::Number(*f),
                    Data::Bool(b) => Cell::Text(if *b { "是".into() } else { "否".into() }),
                    Data::DateTime(d) => Cell::Number(d.as_f64()),
                    Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
                }));
                v
            })
            .collect();
        out.push(Sheet {
            name,
            first_row,
            rows,
        });
    }
    Ok(out)
}

/// Text of a CSV or HTML file: BOMs, UTF-8, else the charset an HTML page
/// declares, else GB18030.
fn decode_text(bytes: &[u8], html: bool) -> Result<String, FileError> {
    use crate::domain::decode::NotText;
    // The charset an HTML page declares in its head.
    let declared = html
        .then(|| {
            let head =
                String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
            let p = head.find("charset=")?;
            Some(
                head[p + 8..]
                    .trim_start_matches(['"', '\''])
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                    .collect::<String>(),
            )
        })
        .flatten();
    crate::domain::decode::decode_text(bytes, declared.as_deref()).map_err(|e| match e {
        NotText::Invalid(enc) => {
            FileError::new(FileErrorKind::Corrupt, format!("not valid {enc} text"))
        }
        NotText::Binary => FileError::new(
            FileErrorKind::Corrupt,
            "not a spreadsheet, nor text in UTF-8, UTF-16 or GBK".into(),
        ),
    })
}

/// Parses CSV (comma, tab or semicolon; quoted fields with doubled quotes;
/// lines ended by LF, CR LF or a CR alone). A first pass measures the file
/// without keeping anything — a quote opened and never closed, a row wider
/// than the column limit, more cells than the file limit each refuse the
/// file, naming the row — so every row is either read or the whole file
/// refused, never silently dropped, and a huge file is refused before its
/// cells exist.
pub fn csv(text: &str) -> Result<Sheet, FileError> {
    if text.contains('\0') {
        return Err(FileError::new(
            FileErrorKind::Corrupt,
            "binary content, not CSV text".into(),
        ));
    }
    let sep = [',', '\t', ';', '，']
        .into_iter()
        .max_by_key(|s| {
            text.split(['\n', '\r'])
                .take(20)
                .map(|l| l.matches(*s).count())
                .sum::<usize>()
        })
        .unwrap_or(',');
    let mut cells = 0usize;
    let mut width = 0usize;
    let mut row_no = 1usize;
    csv_fields(text, sep, false, |_, end_of_row| {
        cells += 1;
        width += 1;
        if width > MAX_COLS as usize {
            return Err(FileError::new(
                FileErrorKind::TooLarge,
                format!("row {row_no} has more than {MAX_COLS} columns"),
            ));
        }
        if cells > MAX_CELLS {
            return Err(FileError::new(
                FileErrorKind::TooLarge,
                format!("more than {MAX_CELLS} cells"),
            ));
        }
        if end_of_row {
            width = 0;
            row_no += 1;
            if row_no > MAX_ROWS as usize + 1 {
                return Err(FileError::new(
                    FileErrorKind::TooLarge,
                    format!("more than {MAX_ROWS} rows"),
                ));
            }
        }
        Ok(())
    })?;
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut row: Vec<Cell> = Vec::new();
    csv_fields(text, sep, true, |f, end_of_row| {
        let f = f.unwrap_or_default();
        row.push(if f.trim().is_empty() {
            Cell::Empty
        } else {
            Cell::Text(f)
        });
        if end_of_row {
            rows.push(std::mem::take(&mut row));
        }
        Ok(())
    })?;
    Ok(Sheet {
        name: String::new(),
        first_row: 1,
        rows,
    })
}

/// Walks the fields of CSV text, calling `done(text, end_of_row)` after
/// each; the field's text is kept and handed over only when `keep` (the
/// first pass keeps nothing). A quote opened and never closed refuses the
/// file, naming the row where it opened.
fn csv_fields(
    text: &str,
    sep: char,
    keep: bool,
    mut done: impl FnMut(Option<String>, bool) -> Result<(), FileError>,
) -> Result<(), FileError> {
    let mut buffer = String::new();
    let mut field: Option<&mut String> = keep.then_some(&mut buffer);
    let mut quoted = false;
    let mut quote_row = 0usize;
    let mut row = 1usize;
    // Whether the field so far is blank (a quote opens only a blank field).
    let mut blank = true;
    let mut any = false;
    let mut chars = text.chars().peekable();
    let push = |field: &mut Option<&mut String>, c: char| {
        if let Some(f) = field.as_deref_mut() {
            f.push(c);
        }
    };
    while let Some(c) = chars.next() {
        any = true;
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    push(&mut field, '"');
                    chars.next();
                }
                '"' => quoted = false,
                '\n' => {
                    row += 1;
                    push(&mut field, c);
                }
                '\r' => {
                    if chars.peek() != Some(&'\n') {
                        row += 1;
                    }
                    push(&mut field, c);
                }
                c => push(&mut field, c),
            }
            continue;
        }
        match c {
            '"' if blank => {
                if let Some(f) = field.as_deref_mut() {
                    f.clear();
                }
                quoted = true;
                quote_row = row;
            }
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                done(field.as_deref_mut().map(std::mem::take), true)?;
                row += 1;
                blank = true;
                any = false;
            }
            c if c == sep => {
                done(field.as_deref_mut().map(std::mem::take), false)?;
                blank = true;
            }
            c => {
                if !c.is_whitespace() {
                    blank = false;
                }
                push(&mut field, c);
            }
        }
    }
    if quoted {
        return Err(FileError::new(
            FileErrorKind::Corrupt,
            format!(
                "a quote (\") opened in row {quote_row} is never closed, so the rows after it cannot be told apart; close it and import again"
            ),
        ));
    }
    if any {
        done(field.map(std::mem::take), true)?;
    }
    Ok(())
}

/// Parses the `<tr>`/`<td>` cells of an HTML page's tables into one sheet;
/// a cell spanning columns leaves empty cells after it, one spanning rows
/// leaves empty cells below. One pass over the page, tag after tag: a cell
/// ends at its `</td>` or at the next cell or row, a row at its `</tr>` or
/// at the next row (pages often leave them out), rows of nested tables are
/// rows; comments, scripts and styles are skipped. Limits: rows, columns
/// and cells as for any sheet.
pub fn html(text: &str) -> Result<Vec<Sheet>, FileError> {
    let bytes = text.as_bytes();
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut row: Option<Vec<Cell>> = None;
    // The open cell: where its content starts, and its spans.
    let mut cell: Option<(usize, usize, usize)> = None;
    let mut cells = 0usize;
    // Columns still covered by a cell spanning rows from above: rows left.
    let mut carry: Vec<usize> = Vec::new();
    let skip_carried = |row: &mut Vec<Cell>, carry: &mut Vec<usize>| {
        while carry.get(row.len()).is_some_and(|n| *n > 0) {
            carry[row.len()] -= 1;
            row.push(Cell::Empty);
        }
    };
    let too_many = || {
        FileError::new(
            FileErrorKind::TooLarge,
            format!(
                "the page's table spreads over more than {MAX_ROWS} rows, {MAX_COLS} columns or {MAX_CELLS} cells"
            ),
        )
    };
    // Ends the open cell at `at` (the start of the tag that ends it).
    let close_cell = |cell: &mut Option<(usize, usize, usize)>,
                      row: &mut Option<Vec<Cell>>,
                      carry: &mut Vec<usize>,
                      at: usize|
     -> Result<(), FileError> {
        let Some((from, colspan, rowspan)) = cell.take() else {
            return Ok(());
        };
        let row = row.get_or_insert_with(Vec::new);
        let t = html_text(&text[from.min(at)..at]);
        skip_carried(row, carry);
        let col = row.len();
        if col + colspan > MAX_COLS as usize {
            return Err(too_many());
        }
        row.push(if t.trim().is_empty() {
            Cell::Empty
        } else {
            Cell::Text(t)
        });
        row.extend(std::iter::repeat_n(Cell::Empty, colspan - 1));
        if rowspan > 1 {
            if carry.len() < col + colspan {
                carry.resize(col + colspan, 0);
            }
            for c in carry.iter_mut().skip(col).take(colspan) {
                *c = rowspan - 1;
            }
        }
        Ok(())
    };
    let mut close_row = |row: &mut Option<Vec<Cell>>,
                         carry: &mut Vec<usize>,
                         rows: &mut Vec<Vec<Cell>>|
     -> Result<(), FileError> {
        let Some(mut r) = row.take() else {
            return Ok(());
        };
        skip_carried(&mut r, carry);
        cells += r.len();
        if cells > MAX_CELLS || rows.len() >= MAX_ROWS as usize {
            return Err(too_many());
        }
        rows.push(r);
        Ok(())
    };
    let mut pos = 0;
    while let Some(lt) = memchr_from(bytes, b'<', pos) {
        let rest = &bytes[lt + 1..];
        // Comments, scripts and styles: skipped whole.
        if rest.starts_with(b"!--") {
            pos = find_from(bytes, b"-->", lt + 4).map_or(bytes.len(), |e| e + 3);
            continue;
        }
        let closing = rest.first() == Some(&b'/');
        let name_start = lt + 1 + closing as usize;
        let name_end = bytes[name_start..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .map_or(bytes.len(), |n| name_start + n);
        if name_end == name_start {
            // A '<' in text ("a < b"), not a tag.
            pos = lt + 1;
            continue;
        }
        let name = bytes[name_start..name_end].to_ascii_lowercase();
        let gt = memchr_from(bytes, b'>', name_end).unwrap_or(bytes.len());
        pos = (gt + 1).min(bytes.len());
        if !closing && (name == b"script" || name == b"style") {
            let end_tag: &[u8] = if name == b"script" {
                b"</script"
            } else {
                b"</style"
            };
            pos = find_ascii_ci(bytes, end_tag, pos).unwrap_or(bytes.len());
            continue;
        }
        match (closing, name.as_slice()) {
            (false, b"tr") => {
                close_cell(&mut cell, &mut row, &mut carry, lt)?;
                close_row(&mut row, &mut carry, &mut rows)?;
                row = Some(Vec::new());
            }
            (true, b"tr") => {
                close_cell(&mut cell, &mut row, &mut carry, lt)?;
                close_row(&mut row, &mut carry, &mut rows)?;
            }
            (false, b"td") | (false, b"th") => {
                close_cell(&mut cell, &mut row, &mut carry, lt)?;
                let attrs = text[name_end.min(gt)..gt].to_ascii_lowercase();
                let span_of = |name: &str| -> usize {
                    attrs
                        .find(name)
                        .and_then(|i| {
                            attrs[i + name.len()..]
                                .trim_start_matches(['=', '"', '\'', ' '])
                                .chars()
                                .take_while(|c| c.is_ascii_digit())
                                .take(4)
                                .collect::<String>()
                                .parse()
                                .ok()
                        })
                        .unwrap_or(1)
                        .clamp(1, 100)
                };
                cell = Some((pos, span_of("colspan"), span_of("rowspan")));
            }
            (true, b"td") | (true, b"th") => close_cell(&mut cell, &mut row, &mut carry, lt)?,
            (true, b"table") => {
                close_cell(&mut cell, &mut row, &mut carry, lt)?;
                close_row(&mut row, &mut carry, &mut rows)?;
            }
            _ => {}
        }
    }
    close_cell(&mut cell, &mut row, &mut carry, bytes.len())?;
    close_row(&mut row, &mut carry, &mut rows)?;
    if rows.is_empty() {
        return Err(FileError::new(
            FileErrorKind::Empty,
            "the page has no table rows".into(),
        ));
    }
    Ok(vec![Sheet {
        name: String::new(),
        first_row: 1,
        rows,
    }])
}

/// The first `b` at or after `from`.
fn memchr_from(bytes: &[u8], b: u8, from: usize) -> Option<usize> {
    bytes
        .get(from..)?
        .iter()
        .position(|x| *x == b)
        .map(|p| p + from)
}

/// The first `needle` at or after `from`.
fn find_from(bytes: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// The first `needle` (ASCII, any case) at or after `from`.
fn find_ascii_ci(bytes: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|p| p + from)
}

/// The text of an HTML fragment: tags dropped, entities decoded, <br> as a space.
fn html_text(raw: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in raw.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = crate::domain::decode::unescape(&out);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Reads a file from disk with the size limit applied before reading it whole.
pub fn read_path(path: &std::path::Path) -> Result<Vec<u8>, FileError> {
    let meta = std::fs::metadata(path)
        .map_err(|e| FileError::new(FileErrorKind::Unreadable, format!("{e}")))?;
    if meta.len() as usize > MAX_FILE_BYTES {
        return Err(FileError::new(
            FileErrorKind::TooLarge,
            format!(
                "{} MB; a return is at most {} MB",
                meta.len() / 1024 / 1024,
                MAX_FILE_BYTES / 1024 / 1024
            ),
        ));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .map_err(|e| FileError::new(FileErrorKind::Unreadable, format!("{e}")))?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_separators() {
        let s = csv("a,\"12,560\",\"say \"\"hi\"\"\"\r\nb,,c\n").unwrap();
        assert_eq!(
            s.rows[0],
            vec![
                Cell::Text("a".into()),
                Cell::Text("12,560".into()),
                Cell::Text("say \"hi\"".into())
            ]
        );
        assert_eq!(
            s.rows[1],
            vec![Cell::Text("b".into()), Cell::Empty, Cell::Text("c".into())]
        );
        let t = csv("x\ty\n1\t2\n").unwrap();
        assert_eq!(
            t.rows[1],
            vec![Cell::Text("1".into()), Cell::Text("2".into())]
        );
    }

    #[test]
    fn html_tables_with_spans() {
        let page = "<html><meta charset=gbk><table><tr><th colspan=2>完成情况</th><td>x&amp;y</td></tr><tr><td>1</td><td><b>2</b></td></tr></table>";
        let s = &html(page).unwrap()[0];
        assert_eq!(
            s.rows[0],
            vec![
                Cell::Text("完成情况".into()),
                Cell::Empty,
                Cell::Text("x&y".into())
            ]
        );
        assert_eq!(s.rows[1][1], Cell::Text("2".into()));
    }

    #[test]
    fn sniffing_ignores_the_extension() {
        assert_eq!(sniff(b"<html><table>").unwrap(), Format::Html);
        assert_eq!(sniff("序号,指标".as_bytes()).unwrap(), Format::Text);
        assert_eq!(
            sniff(b"PK\x03\x04broken").unwrap_err().kind,
            FileErrorKind::Corrupt
        );
        assert_eq!(read(b"").unwrap_err().kind, FileErrorKind::Empty);
    }
}
