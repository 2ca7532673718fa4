//! Finding the data table in a workbook: the sheet and header row (one row,
//! or two with merged group headers), each column's role from its header
//! words, and the data rows — leaving out titles, 填报单位 lines, section
//! rows (一、数字政府), 备注 rows and blank rows.

use super::read::{Cell, Sheet};
use crate::domain::text::fold;

/// What a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Seq,
    Code,
    Indicator,
    Task,
    Target,
    Value,
    /// 完成情况 on its own: the value, unless another column is.
    MaybeValue,
    Rate,
    Progress,
    Problems,
    NextSteps,
    Unit,
    Remark,
    Month(u32),
    /// A unit's own column in a table of several units (张店区 | 淄川区 …):
    /// the unit's figures.
    Reporter,
    Other,
}

/// Header words and their roles, most specific first. Matched on the
/// folded header with spaces and unit brackets removed.
const LEXICON: &[(&str, Role)] = &[
    ("序号", Role::Seq),
    ("指标编码", Role::Code),
    ("指标代码", Role::Code),
    ("指标编号", Role::Code),
    ("编码", Role::Code),
    ("代码", Role::Code),
    ("完成率", Role::Rate),
    ("完成比例", Role::Rate),
    ("完成进度", Role::Rate),
    ("进度(%)", Role::Rate),
    ("存在问题", Role::Problems),
    ("问题", Role::Problems),
    ("下步", Role::NextSteps),
    ("下一步", Role::NextSteps),
    ("进展情况", Role::Progress),
    ("工作进展", Role::Progress),
    ("主要进展", Role::Progress),
    ("推进情况", Role::Progress),
    ("进展", Role::Progress),
    ("完成情况说明", Role::Progress),
    ("完成值", Role::Value),
    ("数值", Role::Value),
    ("完成数", Role::Value),
    ("完成量", Role::Value),
    ("截至目前", Role::Value),
    ("截止目前", Role::Value),
    ("累计完成", Role::Value),
    ("实际完成", Role::Value),
    ("实际值", Role::Value),
    ("当前值", Role::Value),
    ("本期值", Role::Value),
    ("完成情况", Role::MaybeValue),
    ("年度目标", Role::Target),
    ("全年目标", Role::Target),
    ("目标值", Role::Target),
    ("目标任务", Role::Target),
    ("年度任务", Role::Target),
    ("计划值", Role::Target),
    ("目标", Role::Target),
    ("量化指标", Role::Indicator),
    ("指标名称", Role::Indicator),
    ("考核指标", Role::Indicator),
    ("任务指标", Role::Indicator),
    ("重点指标", Role::Indicator),
    ("指标内容", Role::Indicator),
    ("指标", Role::Indicator),
    ("工作任务", Role::Task),
    ("重点工作", Role::Task),
    ("工作内容", Role::Task),
    ("任务名称", Role::Task),
    ("任务", Role::Task),
    ("项目名称", Role::Indicator),
    ("计量单位", Role::Unit),
    ("备注", Role::Remark),
    ("说明", Role::Remark),
];

/// A header cell in matching form: folded, no spaces, no unit in brackets.
fn header_key(s: &str) -> String {
    let f: String = fold(s).chars().filter(|c| !c.is_whitespace()).collect();
    super::value::without_bracket_unit(&f)
}

/// The role a header names.
pub fn role_of(header: &str) -> Role {
    let h = header_key(header);
    if h.is_empty() {
        return Role::Other;
    }
    if h == "单位" {
        return Role::Unit;
    }
    // A group header over a sub-header: the sub-header decides (完成情况/数值,
    // 截至各月底累计完成值/3月).
    let last = h.rsplit('/').next().unwrap_or(&h);
    if let Some(m) = period_column(last) {
        return Role::Month(m);
    }
    if h.contains("责任") || h.contains("填报") || h.contains("联系") || h.contains("时限")
    {
        return Role::Other;
    }
    words_role(&h)
}

/// The role the header's words give, leaving periods aside.
fn words_role(h: &str) -> Role {
    let last = h.rsplit('/').next().unwrap_or(h);
    // The sub-header first, then the whole (the same text without a group).
    let keys: &[&str] = if last.len() == h.len() {
        &[h]
    } else {
        &[last, h]
    };
    keys.iter()
        .find_map(|key| LEXICON.iter().find(|(w, _)| key.contains(w)))
        .map_or(Role::Other, |(_, r)| *r)
}

/// The month a period column's figures run to, when the header says a
/// period and nothing else: 3月, 3月底, 3月份, 1-3月, 1-3月累计, 1～6月,
/// 一季度, 上半年, 前三季度, 全年 (with 截至 before or 累计/完成/数 after).
/// Not 截至9月底完成值 with other words in it, nor 年度目标.
pub fn period_column(key: &str) -> Option<u32> {
    let mut k = key.trim();
    for head in ["截至", "截止", "至"] {
        k = k.strip_prefix(head).unwrap_or(k);
    }
    // Words that may follow a period and say nothing more.
    loop {
        let before = k;
        for tail in [
            "累计完成值",
            "累计值",
            "累计",
            "完成值",
            "完成数",
            "完成",
            "末",
            "底",
            "份",
            "止",
        ] {
            k = k.strip_suffix(tail).unwrap_or(k);
        }
        if k == before {
            break;
        }
    }
    if let Some((_, m)) = crate::domain::lexicon::PERIOD_SPANS
        .iter()
        .find(|(w, _)| *w == k)
    {
        return Some(*m);
    }
    let k = k.strip_suffix('月')?;
    // 1-3, 1～3, 1月-3, 1至3: the range's end.
    let end = k
        .rsplit(['-', '~', '～', '至', '—', '–'])
        .next()
        .unwrap_or(k);
    let start = &k[..k.len() - end.len()];
    let start_ok = start.is_empty()
        || start
            .trim_end_matches(['-', '~', '～', '至', '—', '–'])
            .trim_end_matches('月')
            .parse::<u32>()
            .is_ok_and(|s| s == 1);
    let m = end.parse::<u32>().ok().filter(|m| (1..=12).contains(m))?;
    start_ok.then_some(m)
}

/// A data table found in a sheet.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub sheet: usize,
    /// Index in `rows` of the first header row.
    pub header: usize,
    /// 1 or 2 header rows.
    pub header_rows: usize,
    /// The header text of each column (group/sub for two rows).
    pub headers: Vec<String>,
    pub roles: Vec<Role>,
}

impl Table {
    /// The column with a role.
    pub fn column(&self, role: Role) -> Option<usize> {
        self.roles.iter().position(|r| *r == role)
    }
    /// Month columns, by month.
    pub fn months(&self) -> Vec<(u32, usize)> {
        self.roles
            .iter()
            .enumerate()
            .filter_map(|(c, r)| {
                if let Role::Month(m) = r {
                    Some((*m, c))
                } else {
                    None
                }
            })
            .collect()
    }
    /// The first data row's index in `rows`.
    pub fn data_start(&self) -> usize {
        self.header + self.header_rows
    }
}

fn texts(row: &[Cell]) -> Vec<String> {
    row.iter().map(Cell::text).collect()
}

/// Header texts of one row, or of two rows with group headers filled across
/// the columns they span.
fn combine(top: &[String], bottom: Option<&[String]>) -> Vec<String> {
    let Some(bottom) = bottom else {
        return top.to_vec();
    };
    let n = top.len().max(bottom.len());
    let mut group = String::new();
    (0..n)
        .map(|c| {
            let t = top.get(c).map(String::as_str).unwrap_or("");
            let b = bottom.get(c).map(String::as_str).unwrap_or("");
            if !t.is_empty() {
                group = t.to_string();
            } else if b.is_empty() {
                group.clear();
            }
            let t = if t.is_empty() && !b.is_empty() {
                group.as_str()
            } else {
                t
            };
            match (t.is_empty(), b.is_empty()) {
                (false, false) => format!("{t}/{b}"),
                (false, true) => t.to_string(),
                (true, false) => b.to_string(),
                (true, true) => String::new(),
            }
        })
        .collect()
}

fn resolve(headers: &[String], mut roles: Vec<Role>) -> Vec<Role> {
    // One period column (全年完成值, 截至9月) is what its words say when they
    // name a value; a series takes two or more.
    let periods = roles.iter().filter(|r| matches!(r, Role::Month(_))).count();
    if periods == 1
        && let Some(c) = roles.iter().position(|r| matches!(r, Role::Month(_)))
    {
        let words = words_role(&header_key(&headers[c]));
        if matches!(words, Role::Value | Role::MaybeValue) {
            roles[c] = words;
        }
    }
    if roles.contains(&Role::Value) {
        for r in roles.iter_mut().filter(|r| **r == Role::MaybeValue) {
            *r = Role::Other;
        }
    } else if let Some(r) = roles.iter_mut().find(|r| **r == Role::MaybeValue) {
        *r = Role::Value;
    }
    if !roles.contains(&Role::Indicator)
        && let Some(r) = roles.iter_mut().find(|r| **r == Role::Task)
    {
        *r = Role::Indicator;
    }
    // Only the first column of each role counts.
    let mut seen = Vec::new();
    for r in roles.iter_mut() {
        if !matches!(r, Role::Other | Role::Month(_)) {
            if seen.contains(r) {
                *r = Role::Other;
            } else {
                seen.push(*r);
            }
        }
    }
    roles
}

fn score(roles: &[Role]) -> Option<usize> {
    let has_value = roles
        .iter()
        .any(|r| matches!(r, Role::Value | Role::Month(_) | Role::Reporter));
    (roles.contains(&Role::Indicator) && has_value)
        .then(|| roles.iter().filter(|r| **r != Role::Other).count())
}

/// Finds the best table across sheets: a header row in the first 40 rows
/// with an indicator column and a value column (or month columns).
pub fn find(sheets: &[Sheet]) -> Option<Table> {
    find_with(sheets, &|_| false)
}

/// [`find`], with the columns whose header is a unit's name (`is_unit`) read
/// as that unit's figures ([`Role::Reporter`]): a summary table of several
/// units, one column each.
pub fn find_with(sheets: &[Sheet], is_unit: &dyn Fn(&str) -> bool) -> Option<Table> {
    let reporters = |headers: &[String], mut roles: Vec<Role>| {
        // Only a header with an indicator column and no value column can be
        // one of units' columns (most rows looked at are neither).
        if !roles.contains(&Role::Indicator)
            || roles
                .iter()
                .any(|r| matches!(r, Role::Value | Role::Month(_)))
        {
            return roles;
        }
        for (r, h) in roles.iter_mut().zip(headers) {
            if *r == Role::Other && is_unit(h.rsplit('/').next().unwrap_or(h)) {
                *r = Role::Reporter;
            }
        }
        roles
    };
    let mut best: Option<(usize, Table)> = None;
    for (si, sheet) in sheets.iter().enumerate() {
        // Once a sheet has a header, only the rows right after it (a second
        // header row) can do better; data rows below need no look.
        let mut stop = sheet.rows.len().min(40);
        for r in 0..sheet.rows.len().min(40) {
            if r >= stop {
                break;
            }
            // A row of numbers is data, never a header.
            if sheet.rows[r]
                .iter()
                .filter(|c| matches!(c, Cell::Text(t) if !t.trim().is_empty()))
                .count()
                < 2
            {
                continue;
            }
            let top = texts(&sheet.rows[r]);
            let bottom = sheet.rows.get(r + 1).map(|row| texts(row));
            let top_roles: Vec<Role> = top.iter().map(|h| role_of(h)).collect();
            // Two header rows: the top one must itself read as a header.
            let top_known = top_roles.iter().filter(|r| **r != Role::Other).count();
            let single = reporters(&top, resolve(&top, top_roles));
            let mut options = vec![(1, top.clone(), single)];
            if let Some(b) = &bottom
                && top_known >= 2
                && b.iter().any(|t| role_of(t) != Role::Other)
                && !sheet.rows[r + 1]
                    .iter()
                    .any(|c| matches!(c, Cell::Number(_)))
            {
                let headers = combine(&top, Some(b));
                let roles = reporters(
                    &headers,
                    resolve(&headers, headers.iter().map(|h| role_of(h)).collect()),
                );
                options.push((2, headers, roles));
            }
            for (rows, headers, roles) in options {
                if let Some(s) = score(&roles) {
                    stop = stop.min(r + 3);
                    if best.as_ref().is_none_or(|(bs, _)| s > *bs) {
                        best = Some((
                            s,
                            Table {
                                sheet: si,
                                header: r,
                                header_rows: rows,
                                headers,
                                roles,
                            },
                        ));
                    }
                }
            }
        }
    }
    best.map(|(_, t)| t)
}

/// Whether a data-area row is a section, note or title row rather than data.
pub fn is_furniture(row: &[Cell], table: &Table) -> bool {
    let mut filled = row.iter().filter(|c| !c.is_empty());
    let Some(first) = filled.next().map(Cell::text) else {
        return true;
    };
    let alone = filled.next().is_none();
    let f = fold(&first);
    let f = f.trim();
    if [
        "备注",
        "注:",
        "注 :",
        "说明",
        "填表说明",
        "填报说明",
        "注释",
    ]
    .iter()
    .any(|w| f.starts_with(w))
        || f.starts_with("注") && f.chars().nth(1).is_some_and(|c| c == ':' || c == '1')
    {
        return true;
    }
    if ["合计", "总计", "小计"].contains(&f) {
        return true;
    }
    // 一、数字政府 / （一）… / 一 | 数字政府: a section row, with nothing in
    // the value column; its heading may follow a 序号.
    let value_empty = table
        .column(Role::Value)
        .is_none_or(|c| row.get(c).is_none_or(Cell::is_empty));
    let named = table
        .column(Role::Indicator)
        .and_then(|c| row.get(c))
        .map(Cell::text);
    if value_empty && (section_heading(f) || named.is_some_and(|n| section_heading(&n))) {
        return true;
    }
    // A lone text cell (a title or a note) with no value.
    alone
        && value_empty
        && table
            .column(Role::Indicator)
            .is_none_or(|c| row.get(c).is_none_or(Cell::is_empty))
}

/// 一、… / 一.… / （一）… / a bare 一: how plans and returns number their
/// sections (data rows are numbered 1, 2, 3). The heading numbers are the
/// plan reader's ([`crate::domain::lexicon::heading_marker`]).
fn section_heading(text: &str) -> bool {
    use crate::domain::lexicon::{HAN_DIGITS, Marker, heading_marker};
    let f: Vec<char> = fold(text).trim().chars().collect();
    if let Some((Marker::Han | Marker::ParenHan, _, _)) = heading_marker(&f) {
        return true;
    }
    // 一. and a bare 一 (a section row of a table).
    let n = f.iter().take_while(|c| HAN_DIGITS.contains(**c)).count();
    n > 0 && n <= 3 && matches!(f.get(n), None | Some('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_headings() {
        for h in [
            "一、数字政府",
            "十二、其他",
            "（三）数据资源",
            "(一)平台",
            "二",
            "四.数字社会",
        ] {
            assert!(section_heading(h), "{h}");
        }
        for h in [
            "一网通办率",
            "十大应用场景数",
            "1、新建智慧社区",
            "三星级",
            "(1)平台",
            "",
        ] {
            assert!(!section_heading(h), "{h}");
        }
    }

    #[test]
    fn header_words() {
        assert_eq!(role_of("指标名称"), Role::Indicator);
        assert_eq!(role_of("量化指标"), Role::Indicator);
        assert_eq!(role_of("截至目前完成值"), Role::Value);
        assert_eq!(role_of("完成情况/数值"), Role::Value);
        assert_eq!(role_of("完成情况/完成率"), Role::Rate);
        assert_eq!(role_of("年度目标（个）"), Role::Target);
        assert_eq!(role_of("進展情況"), Role::Progress);
        assert_eq!(role_of("单位"), Role::Unit);
        assert_eq!(role_of("责任单位"), Role::Other);
        assert_eq!(role_of("9月"), Role::Month(9));
        assert_eq!(role_of("截至各月底累计完成值/3月"), Role::Month(3));
        assert_eq!(role_of("1-6月累计"), Role::Month(6));
        assert_eq!(role_of("1月-9月"), Role::Month(9));
        assert_eq!(role_of("前三季度"), Role::Month(9));
        assert_eq!(role_of("截至12月底"), Role::Month(12));
        assert_eq!(
            role_of("4-6月"),
            Role::Other,
            "a quarter's increment is not a running total"
        );
        assert_eq!(role_of("年度目标"), Role::Target);
        assert_eq!(role_of("13月"), Role::Other);
        // One period column that names a value is the value column; two or
        // more are a series.
        let one: Vec<String> = ["指标名称", "截至9月底完成值", "全年目标"]
            .map(String::from)
            .to_vec();
        let roles = resolve(&one, one.iter().map(|h| role_of(h)).collect());
        assert_eq!(roles, [Role::Indicator, Role::Value, Role::Target]);
        let series: Vec<String> = ["指标名称", "1-3月累计", "1-6月累计"]
            .map(String::from)
            .to_vec();
        let roles = resolve(&series, series.iter().map(|h| role_of(h)).collect());
        assert_eq!(roles, [Role::Indicator, Role::Month(3), Role::Month(6)]);
        assert_eq!(role_of("存在问题"), Role::Problems);
        assert_eq!(role_of("下步打算"), Role::NextSteps);
    }

    #[test]
    fn two_level_headers_fill_their_groups() {
        let top: Vec<String> = ["指标名称", "完成情况", "", "进展情况"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let bottom: Vec<String> = ["", "数值", "完成率", ""]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            combine(&top, Some(&bottom)),
            vec!["指标名称", "完成情况/数值", "完成情况/完成率", "进展情况"]
        );
    }
}
