//! A structural check of OLE compound files (legacy .xls) before calamine
//! reads them. calamine follows sector chains without looking for cycles, so
//! a crafted file whose allocation table loops makes it allocate until memory
//! runs out; a pointer past the table makes it index out of bounds. Both are
//! refused here as corrupt. (Found by the `header` fuzz target.)

use super::read::{FileError, FileErrorKind};

const FREE_OR_SPECIAL: u32 = 0xFFFF_FFFA;
const END_OF_CHAIN: u32 = 0xFFFF_FFFE;

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    b.get(at..at + 2).map(|s| u16::from_le_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 4)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// Whether an allocation table has a pointer out of range or a cycle.
fn table_is_sound(table: &[u32]) -> bool {
    let n = table.len();
    if table
        .iter()
        .any(|&next| next < FREE_OR_SPECIAL && next as usize >= n)
    {
        return false;
    }
    // 0 unvisited, 1 on the current path, 2 finished.
    let mut state = vec![0u8; n];
    let mut path = Vec::new();
    for start in 0..n {
        let mut cur = start as u32;
        path.clear();
        while cur < FREE_OR_SPECIAL && state[cur as usize] == 0 {
            state[cur as usize] = 1;
            path.push(cur);
            cur = table[cur as usize];
        }
        if cur < FREE_OR_SPECIAL && state[cur as usize] == 1 {
            return false;
        }
        for &p in &path {
            state[p as usize] = 2;
        }
    }
    true
}

/// Checks an OLE compound file's allocation tables, and returns a copy in
/// which DIMENSIONS records that claim more cells than a sheet may hold are
/// zeroed (WPS writes wrong ones; a hostile one would make calamine reserve
/// memory it cannot have). `Err` says what is wrong.
pub fn sanitize(bytes: &[u8]) -> Result<Vec<u8>, FileError> {
    sanitized(bytes).map_err(|e| match e {
        Refusal::TooLarge(d) => FileError::new(FileErrorKind::TooLarge, d),
        Refusal::Encrypted(d) => FileError::new(FileErrorKind::Encrypted, d),
        Refusal::Corrupt(d) => FileError::new(FileErrorKind::Corrupt, d),
    })
}

/// Why a compound file is refused.
enum Refusal {
    Corrupt(String),
    TooLarge(String),
    Encrypted(String),
}

impl From<&str> for Refusal {
    fn from(s: &str) -> Self {
        Refusal::Corrupt(s.to_string())
    }
}

impl From<String> for Refusal {
    fn from(s: String) -> Self {
        Refusal::Corrupt(s)
    }
}

fn sanitized(bytes: &[u8]) -> Result<Vec<u8>, Refusal> {
    let shift = u16_at(bytes, 30).ok_or("too short for its header")?;
    if shift != 9 && shift != 12 {
        return Err(format!("sector size 2^{shift} is not 512 or 4096").into());
    }
    let ss = 1usize << shift;
    if bytes.len() < ss {
        return Err("too short for its header".into());
    }
    let sectors = bytes.len() / ss - 1;
    let sector = |id: u32| -> Option<&[u8]> {
        let start = (id as usize).checked_add(1)?.checked_mul(ss)?;
        bytes.get(start..start + ss)
    };
    // The DIFAT: 109 entries in the header, then a bounded chain of sectors.
    let mut difat: Vec<u32> = (0..109).filter_map(|i| u32_at(bytes, 76 + 4 * i)).collect();
    let mut next = u32_at(bytes, 68).ok_or("header")?;
    let mut hops = 0;
    while next < FREE_OR_SPECIAL {
        hops += 1;
        if hops > sectors {
            return Err("the DIFAT chain loops".into());
        }
        let s = sector(next).ok_or("a DIFAT sector lies past the end of the file")?;
        let per = ss / 4 - 1;
        difat.extend((0..per).filter_map(|i| u32_at(s, 4 * i)));
        next = u32_at(s, 4 * per).unwrap_or(END_OF_CHAIN);
    }
    let mut fat: Vec<u32> = Vec::new();
    for id in difat.into_iter().filter(|&id| id < FREE_OR_SPECIAL) {
        let s = sector(id).ok_or("an allocation-table sector lies past the end of the file")?;
        fat.extend((0..ss / 4).filter_map(|i| u32_at(s, 4 * i)));
        if fat.len() > 64 * 1024 * 1024 {
            return Err("the allocation table is too large".into());
        }
    }
    if !table_is_sound(&fat) {
        return Err("its sector allocation table points outside itself or loops".into());
    }
    let in_fat = |id: u32| id >= FREE_OR_SPECIAL || (id as usize) < fat.len();
    let dir_start = u32_at(bytes, 48).ok_or("header")?;
    let mini_fat_start = u32_at(bytes, 60).ok_or("header")?;
    if !in_fat(dir_start) || !in_fat(mini_fat_start) {
        return Err("the directory or mini table starts outside the allocation table".into());
    }
    // Follow a chain (now known to be finite) and collect its sectors.
    let chain = |start: u32| -> Result<Vec<u8>, Refusal> {
        let mut out = Vec::new();
        let mut cur = start;
        while cur < FREE_OR_SPECIAL {
            out.extend_from_slice(sector(cur).ok_or("a chain runs past the end of the file")?);
            cur = fat[cur as usize];
        }
        Ok(out)
    };
    let mini_fat: Vec<u32> = chain(mini_fat_start)?
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    if !table_is_sound(&mini_fat) {
        return Err("its mini allocation table points outside itself or loops".into());
    }
    // Every stream starts inside the table that holds it.
    let cutoff = u32_at(bytes, 56).unwrap_or(4096) as u64;
    let dir = chain(dir_start)?;
    let mut workbook: Option<(u32, u64)> = None;
    for entry in dir.chunks_exact(128) {
        let kind = entry[66];
        if kind != 2 {
            continue; // only streams are read
        }
        let start = u32_at(entry, 116).unwrap_or(END_OF_CHAIN);
        let size = u32_at(entry, 120).unwrap_or(0) as u64;
        let ok = if size < cutoff {
            start >= FREE_OR_SPECIAL || (start as usize) < mini_fat.len()
        } else {
            in_fat(start)
        };
        if !ok {
            return Err("a stream starts outside its allocation table".into());
        }
        let name_len = (u16_at(entry, 64).unwrap_or(0) as usize).min(64);
        let name: String = char::decode_utf16(
            entry[..name_len]
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]])),
        )
        .filter_map(Result::ok)
        .filter(|c| *c != '\0')
        .collect();
        if name == "Workbook" || name == "Book" {
            workbook = Some((start, size));
        }
    }
    let mut out = bytes.to_vec();
    let Some((start, size)) = workbook else {
        return Ok(out);
    };
    // File offsets of the workbook stream's bytes, sector by sector.
    let mut offsets: Vec<usize> = Vec::new();
    if size >= cutoff {
        let mut cur = start;
        while cur < FREE_OR_SPECIAL && (offsets.len() as u64) < size {
            let base = (cur as usize + 1) * ss;
            offsets.extend(base..(base + ss).min(bytes.len()));
            cur = fat[cur as usize];
        }
    } else {
        // A small stream lives in the mini stream, itself a chain of big sectors.
        let root_start = dir
            .get(116..120)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .unwrap_or(END_OF_CHAIN);
        let mut mini_stream: Vec<usize> = Vec::new();
        let mut cur = root_start;
        while cur < FREE_OR_SPECIAL {
            let base = (cur as usize + 1) * ss;
            mini_stream.extend(base..(base + ss).min(bytes.len()));
            cur = fat[cur as usize];
        }
        let mut cur = start;
        while cur < FREE_OR_SPECIAL && (offsets.len() as u64) < size {
            let base = cur as usize * 64;
            offsets.extend(mini_stream.iter().skip(base).take(64));
            cur = mini_fat[cur as usize];
        }
    }
    offsets.truncate(size as usize);
    // calamine reads each sheet from where the workbook's sheet list
    // (BOUNDSHEET) says it starts, which need not be where a walk over the
    // stream from its start lands: so the stream is walked from its start
    // (finding that list) and then from each sheet's start, as calamine
    // will, up to the sheet's own end of file.
    let mut starts: Vec<usize> = Vec::new();
    walk(&offsets, 0, false, &mut out, &mut starts, bytes)?;
    starts.sort_unstable();
    starts.dedup();
    if starts.len() > 4096 {
        return Err(Refusal::TooLarge(
            "the workbook lists more than 4096 sheets".into(),
        ));
    }
    for start in starts {
        walk(&offsets, start, true, &mut out, &mut Vec::new(), bytes)?;
    }
    Ok(out)
}

/// Walks the workbook stream's records from `pos`: each sheet's cell
/// extent (calamine makes a dense grid of it) must stay within the cell
/// limit, and a DIMENSIONS record claiming more than that is zeroed in
/// `out`. From the stream's start (`one_sheet` false) it walks to the end
/// and collects the sheets' starts in `starts`; from a sheet's start it
/// stops at that sheet's end of file, skipping nested substreams (an
/// embedded chart), as calamine does.
fn walk(
    offsets: &[usize],
    mut pos: usize,
    one_sheet: bool,
    out: &mut [u8],
    starts: &mut Vec<usize>,
    bytes: &[u8],
) -> Result<(), Refusal> {
    let at = |i: usize| offsets.get(i).map(|&o| bytes[o]);
    let u16_in = |i: usize| u16::from_le_bytes([at(i).unwrap_or(0), at(i + 1).unwrap_or(0)]) as u64;
    let mut extent: Option<(u64, u64, u64, u64)> = None;
    let too_big = |e: Option<(u64, u64, u64, u64)>| {
        e.is_some_and(|(r0, r1, c0, c1)| {
            (r1 - r0 + 1).saturating_mul(c1 - c0 + 1) > super::read::MAX_CELLS as u64
        })
    };
    let refuse = || {
        Err(Refusal::TooLarge(format!(
            "a sheet's cells spread over more than {} cells",
            super::read::MAX_CELLS
        )))
    };
    let mut seen_bof = false;
    let mut nested = 0usize;
    while pos + 4 <= offsets.len() {
        let typ = u16::from_le_bytes([at(pos).unwrap_or(0), at(pos + 1).unwrap_or(0)]);
        let len = u16::from_le_bytes([at(pos + 2).unwrap_or(0), at(pos + 3).unwrap_or(0)]) as usize;
        let data = pos + 4;
        pos = data + len;
        if one_sheet {
            match typ {
                0x0809 if seen_bof => nested += 1,
                0x0809 => seen_bof = true,
                0x000A if nested > 0 => nested -= 1,
                0x000A => break,
                _ if nested > 0 => continue,
                _ => {}
            }
        }
        match typ {
            // FILEPASS: the records after it are encrypted (a workbook saved
            // with a password); their bytes would read as nonsense.
            0x002F if !one_sheet => {
                return Err(Refusal::Encrypted(
                    "the workbook is protected by a password; save an unprotected copy".into(),
                ));
            }
            // BOF / EOF: a sheet's records begin and end.
            0x0809 | 0x000A if !one_sheet => {
                if too_big(extent) {
                    return refuse();
                }
                extent = None;
            }
            // BOUNDSHEET: where a sheet's records start.
            0x0085 if !one_sheet && len >= 4 => {
                let p = (0..4).fold(0usize, |v, k| {
                    v | (at(data + k).unwrap_or(0) as usize) << (8 * k)
                });
                starts.push(p);
            }
            // Cell records: row and column first; MULRK/MULBLANK end with the last column.
            0x0006 | 0x00BD | 0x00BE | 0x00D6 | 0x00FD | 0x0201 | 0x0203 | 0x0204 | 0x0205
            | 0x027E
                if len >= 4 =>
            {
                let row = u16_in(data);
                let first = u16_in(data + 2);
                let last = if matches!(typ, 0x00BD | 0x00BE) && len >= 6 {
                    u16_in(data + len - 2).max(first)
                } else {
                    first
                };
                extent = Some(match extent {
                    None => (row, row, first, last),
                    Some((r0, r1, c0, c1)) => {
                        (r0.min(row), r1.max(row), c0.min(first), c1.max(last))
                    }
                });
            }
            _ => {}
        }
        if typ == 0x0200 && (len == 10 || len == 14 || len == 16) && data + len <= offsets.len() {
            let get = |k: usize| at(data + k).unwrap_or(0) as u64;
            let (rf, rl, cf, cl) = if len == 10 {
                (
                    get(0) | get(1) << 8,
                    get(2) | get(3) << 8,
                    get(4) | get(5) << 8,
                    get(6) | get(7) << 8,
                )
            } else {
                (
                    get(0) | get(1) << 8 | get(2) << 16 | get(3) << 24,
                    get(4) | get(5) << 8 | get(6) << 16 | get(7) << 24,
                    get(8) | get(9) << 8,
                    get(10) | get(11) << 8,
                )
            };
            // Within the largest sheet Excel knows, and a grid we would read.
            let sane = rf <= rl
                && cf <= cl
                && rl <= 1_048_576
                && cl <= 16_384
                && (rl - rf + 1).saturating_mul(cl - cf + 1) <= super::read::MAX_CELLS as u64;
            if !sane {
                for k in 0..len.min(12) {
                    out[offsets[data + k]] = 0;
                }
            }
        }
    }
    if too_big(extent) {
        return refuse();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loops_and_wild_pointers_are_found() {
        assert!(table_is_sound(&[1, 2, END_OF_CHAIN, END_OF_CHAIN]));
        assert!(!table_is_sound(&[1, 2, 0]), "a cycle");
        assert!(!table_is_sound(&[5]), "past the table");
        assert!(!table_is_sound(&[0]), "a self-loop");
    }

    #[test]
    fn the_sample_xls_is_sound() {
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("seeds/returns/博山区_2023年一季度_重点指标进展.xls");
        let bytes = std::fs::read(p).unwrap();
        assert_eq!(
            sanitize(&bytes).unwrap(),
            bytes,
            "nothing to change in a sound file"
        );
    }
}
