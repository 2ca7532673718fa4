//! Bytes to text and markup's escapes to characters, once for both engines:
//! plan documents (text files, the XML inside a .docx) and returns (CSV,
//! HTML tables saved as .xls, the XML inside an .xlsx).
//!
//! The one crate used here besides std is `encoding_rs`, for its decoding
//! tables (GB18030, UTF-16 and the labels an HTML page may declare); nothing
//! here reads a file.

/// Why bytes are not text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotText {
    /// Marked (by a byte-order mark) as an encoding they do not follow.
    Invalid(&'static str),
    /// Neither UTF-8 nor GB18030, or holding NUL bytes: a binary file.
    Binary,
}

/// Decodes text: a byte-order mark (UTF-8, UTF-16) first, then the
/// `declared` charset label (an HTML page's), then UTF-8, then GB18030
/// (which covers GBK), as Chinese office files are written.
///
/// ```
/// use taizhang::domain::decode::{decode_text, NotText};
/// assert_eq!(decode_text("指标".as_bytes(), None).unwrap(), "指标");
/// assert_eq!(decode_text(&[0xD6, 0xB8, 0xB1, 0xEA], None).unwrap(), "指标"); // GBK
/// assert_eq!(decode_text(&[0xFF, 0xFE, 0x07, 0x63], None).unwrap(), "指");
/// assert_eq!(decode_text(b"a\0b", None), Err(NotText::Binary));
/// ```
pub fn decode_text(bytes: &[u8], declared: Option<&str>) -> Result<String, NotText> {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (cow, bad) = enc.decode_without_bom_handling(&bytes[bom..]);
        if bad {
            return Err(NotText::Invalid(enc.name()));
        }
        if cow.contains('\0') {
            return Err(NotText::Binary);
        }
        return Ok(cow.into_owned());
    }
    if let Some(enc) = declared.and_then(|l| encoding_rs::Encoding::for_label(l.as_bytes())) {
        let (cow, _) = enc.decode_without_bom_handling(bytes);
        return Ok(cow.into_owned());
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => {
            let (cow, bad) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
            if bad {
                return Err(NotText::Binary);
            }
            cow.into_owned()
        }
    };
    if text.contains('\0') {
        return Err(NotText::Binary);
    }
    Ok(text)
}

/// The character an XML or HTML entity names, without its `&` and `;`:
/// the five of XML, `nbsp` (as a plain space), and numeric references.
///
/// ```
/// use taizhang::domain::decode::entity;
/// assert_eq!(entity("amp"), Some('&'));
/// assert_eq!(entity("#x4E00"), Some('一'));
/// assert_eq!(entity("#39"), Some('\''));
/// assert_eq!(entity("nbsp"), Some(' '));
/// assert_eq!(entity("copy"), None);
/// ```
pub fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => {
            let code = if let Some(hex) = name.strip_prefix("#x").or(name.strip_prefix("#X")) {
                u32::from_str_radix(hex, 16).ok()?
            } else {
                name.strip_prefix('#')?.parse().ok()?
            };
            char::from_u32(code)
        }
    }
}

/// Text with its entities decoded; an `&` that starts no known entity is
/// kept as written (what a browser does with a stray `&`).
///
/// ```
/// use taizhang::domain::decode::unescape;
/// assert_eq!(unescape("建设 &amp; 运营 A&#x4E00; R&D"), "建设 & 运营 A一 R&D");
/// ```
pub fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        // An entity is short; a `;` far away belongs to something else.
        let found = tail[1..]
            .char_indices()
            .take(10)
            .find(|(_, c)| *c == ';')
            .and_then(|(end, _)| Some((entity(&tail[1..1 + end])?, end)));
        match found {
            Some((c, end)) => {
                out.push(c);
                rest = &tail[end + 2..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}
