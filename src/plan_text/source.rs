//! The document as read and as matched: bytes decoded (UTF-8, UTF-16 with a
//! BOM, GB18030, .docx), then a matching copy with web-page debris lines and
//! pinyin reading aids removed and every character in Simplified, half-width
//! form. Each character of the copy remembers where it stands in the
//! original, so that a phrase found in the copy is quoted from the original.

use crate::domain::text::{fold_char, is_han};
use std::io::Read;

/// Why a document could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadError(pub String);

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ReadError {}

/// The largest document accepted (a plan is tens of kilobytes).
pub const MAX_DOCUMENT_BYTES: usize = 20 * 1024 * 1024;

/// Decodes a plan document: `.docx` (by its zip signature) or text in UTF-8,
/// UTF-16 (with a BOM) or GB18030/GBK.
pub fn decode(bytes: &[u8]) -> Result<String, ReadError> {
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(ReadError(format!(
            "too large: {} MB (a plan document is at most {} MB)",
            bytes.len() / 1024 / 1024,
            MAX_DOCUMENT_BYTES / 1024 / 1024
        )));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return docx_text(bytes);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(ReadError(
            "an old Word .doc (or an encrypted file): save it as .docx or .txt first".into(),
        ));
    }
    use crate::domain::decode::{NotText, decode_text};
    let text = decode_text(bytes, None).map_err(|e| match e {
        NotText::Invalid(enc) => ReadError(format!("not valid {enc} text")),
        NotText::Binary => ReadError(
            "not a text document: not UTF-8, UTF-16 or GBK/GB18030 text (is it a binary file?)"
                .into(),
        ),
    })?;
    Ok(text)
}

/// The paragraphs of a .docx (including those in tables), one per line.
fn docx_text(bytes: &[u8]) -> Result<String, ReadError> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| ReadError(format!("not a readable .docx: {e}")))?;
    let mut file = zip
        .by_name("word/document.xml")
        .map_err(|_| ReadError("a zip file, but not a Word .docx (no word/document.xml)".into()))?;
    if file.size() > 200 * 1024 * 1024 {
        return Err(ReadError("the .docx text is too large".into()));
    }
    let mut xml = String::new();
    file.by_ref()
        .take(200 * 1024 * 1024)
        .read_to_string(&mut xml)
        .map_err(|e| ReadError(format!("the .docx is damaged: {e}")))?;
    Ok(docx_paragraphs(&xml))
}

/// Text of WordprocessingML: `<w:t>` runs, tabs and breaks, one line per `<w:p>`.
fn docx_paragraphs(xml: &str) -> String {
    let mut out = String::new();
    let mut rest = xml;
    while let Some(lt) = rest.find('<') {
        let Some(gt) = rest[lt..].find('>') else {
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        rest = &rest[lt + gt + 1..];
        let name = tag.split([' ', '/']).next().unwrap_or("");
        match name {
            "w:t" if !tag.ends_with('/') => {
                let end = rest.find("</w:t>").unwrap_or(rest.len());
                out.push_str(&crate::domain::decode::unescape(&rest[..end]));
                rest = &rest[end..];
            }
            "w:tab" => out.push('\t'),
            "w:br" | "w:cr" => out.push('\n'),
            _ if tag == "/w:p" => out.push('\n'),
            _ if tag == "/w:tc" => out.push('\t'),
            _ => {}
        }
    }
    out
}

/// Whole lines of web-page furniture (matched on the folded line).
const DEBRIS_LINES: &[&str] = &[
    "导航",
    "我要收藏",
    "取消收藏",
    "收藏",
    "打印",
    "打印本页",
    "关闭",
    "关闭窗口",
    "关闭本页",
    "分享",
    "分享到",
    "返回顶部",
    "字号",
    "大",
    "中",
    "小",
    "【打印】",
    "【关闭】",
    "【字体:大中小】",
    "字体:大中小",
    "首页",
    "当前位置",
    "下载",
    "附件下载",
    "相关链接",
    "网站地图",
    "【纠错】",
    "纠错",
    "扫码",
    "默认",
    "复制链接",
];
/// Line starts that mark web-page furniture.
const DEBRIS_STARTS: &[&str] = &[
    "扫一扫",
    "扫描二维码",
    "来源:",
    "来源：",
    "发布时间",
    "发布日期",
    "浏览次数",
    "阅读次数",
    "点击数",
    "字号:",
    "字体:",
    "当前位置:",
    "您当前的位置",
    "您的位置",
    "分享到:",
    "【字体",
    "【打印",
    "责任编辑",
];

fn is_debris(folded: &str) -> bool {
    let t: String = folded.chars().filter(|c| !c.is_whitespace()).collect();
    !t.is_empty()
        && (DEBRIS_LINES.contains(&t.as_str()) || DEBRIS_STARTS.iter().any(|s| t.starts_with(s)))
}

fn is_tone_letter(c: char) -> bool {
    c.is_ascii_lowercase() || "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ".contains(c)
}

fn has_tone_mark(s: &[char]) -> bool {
    s.iter()
        .any(|c| "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ".contains(*c))
}

/// The document's matching copy with its map back to the original.
#[derive(Debug, Clone)]
pub struct Source {
    original: Vec<char>,
    /// Folded characters kept for matching.
    pub text: Vec<char>,
    /// For each character of `text`, its index in `original`.
    map: Vec<usize>,
}

impl Source {
    /// Builds the matching copy: folds every character, drops `\r`, debris
    /// lines and pinyin in brackets after a character (數(shù) → 数).
    pub fn new(original: &str) -> Source {
        let original: Vec<char> = original.trim_start_matches('\u{feff}').chars().collect();
        let mut text = Vec::with_capacity(original.len());
        let mut map = Vec::with_capacity(original.len());
        let mut line_start = 0;
        while line_start < original.len() {
            let line_end = original[line_start..]
                .iter()
                .position(|&c| c == '\n')
                .map_or(original.len(), |p| line_start + p);
            let folded: String = original[line_start..line_end]
                .iter()
                .map(|&c| fold_char(c))
                .collect();
            if !is_debris(&folded) {
                let mut i = line_start;
                while i < line_end {
                    let c = original[i];
                    if c == '\r' {
                        i += 1;
                        continue;
                    }
                    // Pinyin reading aid: (letters with a tone mark) right after a character.
                    if fold_char(c) == '(' && text.last().is_some_and(|&p| is_han(p)) {
                        let inner: Vec<char> = original[i + 1..line_end]
                            .iter()
                            .take_while(|&&c| is_tone_letter(c))
                            .copied()
                            .collect();
                        let close = i + 1 + inner.len();
                        if (1..=7).contains(&inner.len())
                            && has_tone_mark(&inner)
                            && close < line_end
                            && fold_char(original[close]) == ')'
                        {
                            i = close + 1;
                            continue;
                        }
                    }
                    text.push(fold_char(c));
                    map.push(i);
                    i += 1;
                }
            }
            if line_end < original.len() {
                text.push('\n');
                map.push(line_end);
            }
            line_start = line_end + 1;
        }
        Source {
            original,
            text,
            map,
        }
    }

    /// The original characters behind `text[start..end]`.
    pub fn original(&self, start: usize, end: usize) -> String {
        if start >= end || end > self.map.len() {
            return String::new();
        }
        self.original[self.map[start]..=self.map[end - 1]]
            .iter()
            .collect()
    }

    /// The matching copy of `text[start..end]` as a string.
    pub fn folded(&self, start: usize, end: usize) -> String {
        self.text[start..end.min(self.text.len())].iter().collect()
    }

    /// The cleaned text (pinyin and debris removed) of `text[start..end]` in
    /// the original script: what titles and names are made of.
    pub fn clean(&self, start: usize, end: usize) -> String {
        (start..end.min(self.text.len()))
            .map(|i| self.original[self.map[i]])
            .collect()
    }

    /// Line ranges `[start, end)` of the matching copy.
    pub fn lines(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut s = 0;
        for (i, &c) in self.text.iter().enumerate() {
            if c == '\n' {
                out.push((s, i));
                s = i + 1;
            }
        }
        if s < self.text.len() {
            out.push((s, self.text.len()));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinyin_and_debris_go_and_positions_map_back() {
        let s = Source::new("導航\n一、深入推進服務數(shù)字化(GIS)\r\n掃一掃在手機打開當前頁");
        let folded: String = s.text.iter().collect();
        assert_eq!(folded, "\n一、深入推进服务数字化(GIS)\n");
        let start = folded.chars().position(|c| c == '服').unwrap();
        let end = folded.chars().position(|c| c == '(').unwrap();
        assert_eq!(s.original(start, end), "服務數(shù)字化");
        assert_eq!(s.clean(start, end), "服務數字化");
    }

    #[test]
    fn encodings_are_detected() {
        let text = "2023年全市大数据工作要点";
        assert_eq!(decode(text.as_bytes()).unwrap(), text);
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        assert_eq!(decode(&gbk).unwrap(), text);
        let mut utf16 = vec![0xFF, 0xFE];
        for u in text.encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&utf16).unwrap(), text);
        assert!(
            decode(&[0xD0, 0xCF, 0x11, 0xE0, 0, 0])
                .unwrap_err()
                .0
                .contains(".doc")
        );
        assert!(decode(b"PK\x03\x04garbage").unwrap_err().0.contains("docx"));
    }

    #[test]
    fn docx_paragraphs_and_entities() {
        let xml = r#"<w:document><w:body><w:p><w:r><w:t>一、总体</w:t></w:r></w:p><w:p><w:r><w:t xml:space="preserve">1.建设 &amp; 运营</w:t></w:r><w:r><w:tab/><w:t>A&#x4E00;</w:t></w:r></w:p></w:body></w:document>"#;
        assert_eq!(docx_paragraphs(xml), "一、总体\n1.建设 & 运营\tA一\n");
    }
}
