//! Import: pick or drop files; per file the detected unit and period
//! (editable), a preview grid where each row's indicator can be re-matched
//! from a searchable list (a confirmed match is remembered as an alias),
//! commit; and the batch history with undo.

use crate::domain::Period;
use crate::ui::app::{App, Command, CommandSender, ImportCommand, Rematch};
use crate::ui::jobs;
use crate::ui::widgets;
use egui::{Color32, RichText, Ui};

pub fn show(app: &mut App, ui: &mut Ui) {
    let s = app.settings.clone();
    ui.horizontal(|ui| {
        ui.heading(s.tr("导入报表", "Import returns"));
        if ui.button(s.tr("选择文件…", "Choose files…")).clicked() {
            app.tx
                .send(Command::PickFile(crate::ui::files::FileRequest::open_many(
                    "选择报表",
                    ("报表", &["xlsx", "xlsm", "xlsb", "xls", "ods", "csv"]),
                    |files| Command::Run(jobs::read_returns(files, Default::default())),
                )));
        }
        ui.label(
            RichText::new(s.tr("也可把文件拖进窗口。", "Or drop files on the window.")).weak(),
        );
    });
    ui.separator();
    if app.state.import.is_some() {
        preview(app, ui);
        ui.separator();
    }
    history(app, ui);
}

fn preview(app: &mut App, ui: &mut Ui) {
    let Some(data) = app.data.as_ref() else {
        return;
    };
    let unit_names: Vec<String> = data.units.iter().map(|u| u.name.clone()).collect();
    let indicators: Vec<(i64, String, String)> = data
        .plan
        .as_ref()
        .map(|p| {
            p.indicators
                .iter()
                .map(|i| (i.id, i.code.clone(), i.name.clone()))
                .collect()
        })
        .unwrap_or_default();
    let locked = app
        .data
        .as_ref()
        .map(|d| d.locked.clone())
        .unwrap_or_default();
    let review = app.state.import.as_mut().expect("checked by the caller");
    let tx = app.tx.clone();
    let committable = review
        .files
        .iter()
        .filter(|f| f.result.file_error.is_none())
        .count();
    ui.horizontal(|ui| {
        ui.label(format!(
            "{} 个文件，其中 {} 个可导入。",
            review.files.len(),
            committable
        ));
        if ui
            .add_enabled(
                committable > 0,
                egui::Button::new(RichText::new("确认导入").strong()),
            )
            .clicked()
        {
            tx.import(ImportCommand::Commit);
        }
        if ui.button("放弃").clicked() {
            tx.import(ImportCommand::Discard);
        }
    });
    egui::ScrollArea::vertical()
        .id_salt("import-preview")
        .max_height(ui.available_height() * 0.65)
        .show(ui, |ui| {
            for (fi, f) in review.files.iter().enumerate() {
                let r = &f.result;
                egui::CollapsingHeader::new(RichText::new(&r.file).strong())
                    .id_salt(("import-file", fi))
                    .default_open(true)
                    .show(ui, |ui| {
                        if let Some(e) = &r.file_error {
                            ui.label(
                                RichText::new(format!("无法导入：{}", explain_file_error(e)))
                                    .color(Color32::from_rgb(0xc6, 0x28, 0x28)),
                            );
                            return;
                        }
                        ui.horizontal(|ui| {
                            ui.label("填报单位");
                            let current = r
                                .unit
                                .clone()
                                .unwrap_or_else(|| "（未识别，请选择）".into());
                            egui::ComboBox::from_id_salt(("unit", fi))
                                .selected_text(current)
                                .width(220.0)
                                .show_ui(ui, |ui| {
                                    for u in &unit_names {
                                        if ui
                                            .selectable_label(r.unit.as_deref() == Some(u), u)
                                            .clicked()
                                        {
                                            tx.import(ImportCommand::SetFileUnit(fi, u.clone()));
                                        }
                                    }
                                });
                            ui.label("报送期");
                            let mut text = r.period.clone().unwrap_or_default();
                            let resp = ui.add(
                                egui::TextEdit::singleline(&mut text)
                                    .desired_width(80.0)
                                    .hint_text("2023-06")
                                    .id_salt(("period", fi)),
                            );
                            if resp.changed()
                                && let Ok(p) = text.parse::<Period>()
                            {
                                tx.import(ImportCommand::SetFilePeriod(fi, p));
                            }
                            match r.period.as_deref().and_then(|p| p.parse::<Period>().ok()) {
                                None => {
                                    ui.label(
                                        RichText::new("未识别报送期")
                                            .color(Color32::from_rgb(0xc6, 0x28, 0x28)),
                                    );
                                }
                                Some(p) if locked.contains(&p) => {
                                    ui.label(
                                        RichText::new("该期别已锁定，确认导入时本文件将被拒绝。")
                                            .color(Color32::from_rgb(0xc6, 0x28, 0x28)),
                                    );
                                    super::period_lock(ui, &tx, &locked, p);
                                }
                                Some(_) => {}
                            }
                        });
                        egui::Grid::new(("rows", fi))
                            .striped(true)
                            .num_columns(6)
                            .show(ui, |ui| {
                                for h in ["行", "报表中的名称", "对应指标", "数值", "判断", ""]
                                {
                                    ui.strong(h);
                                }
                                ui.end_row();
                                for (ri, row) in r.rows.iter().enumerate() {
                                    ui.label(row.row.to_string());
                                    ui.label(&row.source_name);
                                    if ui
                                        .link(&row.indicator)
                                        .on_hover_text("点击重新匹配")
                                        .clicked()
                                    {
                                        review_open(&tx, fi, Rematch::Row(ri));
                                    }
                                    ui.label(widgets::with_unit(row.value, None));
                                    let (text, color) = if row.status == "warned" {
                                        (
                                            format!("需核对：{}", explain_row(&row.why)),
                                            Color32::from_rgb(0xf9, 0xa8, 0x25),
                                        )
                                    } else if row.why.is_empty() {
                                        ("通过".to_string(), Color32::from_rgb(0x2e, 0x7d, 0x32))
                                    } else {
                                        (row.why.clone(), Color32::from_rgb(0x2e, 0x7d, 0x32))
                                    };
                                    ui.label(RichText::new(text).color(color));
                                    if ui.small_button("移除").clicked() {
                                        tx.import(ImportCommand::DropRow(fi, ri));
                                    }
                                    ui.end_row();
                                }
                                for (ji, j) in r.rejects.iter().enumerate() {
                                    ui.label(j.row.to_string());
                                    ui.label(
                                        j.unmatched
                                            .as_ref()
                                            .map(|u| u.source_name.clone())
                                            .unwrap_or_default(),
                                    );
                                    if j.unmatched.is_some() {
                                        if ui.button("选择指标…").clicked() {
                                            review_open(&tx, fi, Rematch::Reject(ji));
                                        }
                                    } else {
                                        ui.label("—");
                                    }
                                    ui.label(
                                        j.unmatched
                                            .as_ref()
                                            .map(|u| widgets::with_unit(u.value, None))
                                            .unwrap_or_default(),
                                    );
                                    ui.label(
                                        RichText::new(format!("未导入：{}", explain_row(&j.why)))
                                            .color(Color32::from_rgb(0xc6, 0x28, 0x28)),
                                    );
                                    ui.label("");
                                    ui.end_row();
                                }
                            });
                    });
            }
        });
    // The searchable list for re-matching a row.
    if let Some((file, which)) = review.rematching {
        let mut keep_open = true;
        egui::Window::new("选择对应指标")
            .open(&mut keep_open)
            .collapsible(false)
            .default_width(460.0)
            .show(ui.ctx(), |ui| {
                ui.horizontal(|ui| {
                    let label = ui.label("搜索指标");
                    ui.add(
                        egui::TextEdit::singleline(&mut review.search)
                            .hint_text("名称或编号")
                            .id_salt("rematch-search"),
                    )
                    .labelled_by(label.id);
                });
                let q = crate::domain::text::fold(review.search.trim());
                egui::ScrollArea::vertical()
                    .max_height(320.0)
                    .show(ui, |ui| {
                        for (id, code, name) in &indicators {
                            let hay = crate::domain::text::fold(&format!("{code} {name}"));
                            if !q.is_empty() && !q.split_whitespace().all(|w| hay.contains(w)) {
                                continue;
                            }
                            if ui
                                .selectable_label(false, format!("{code}  {name}"))
                                .clicked()
                            {
                                tx.import(ImportCommand::Rematch {
                                    file,
                                    which,
                                    indicator: *id,
                                });
                            }
                        }
                    });
            });
        if !keep_open {
            tx.import(ImportCommand::CloseRematch);
        }
    }
}

fn review_open(tx: &CommandSender, file: usize, which: Rematch) {
    tx.import(ImportCommand::OpenRematch { file, which });
}

/// A row's verdict in Chinese, keeping the detail (names and figures).
pub fn explain_row(why: &str) -> String {
    in_chinese(
        why,
        &[
            (
                "not_in_plan",
                "计划中没有对应的指标，可点“选择指标…”手动对应",
            ),
            ("duplicate", "与前面的行重复，只取第一行"),
            ("negative", "数值为负"),
            ("unreadable", "数值无法识别"),
            (
                "absurd",
                "数值异常（达到年度目标的10倍以上，或百分比超过100%）",
            ),
            ("jump", "与本单位上期数值相差过大"),
            (
                "cleared",
                "本行没有数值，导入后将取代台账中该单位本期已有的数值；如不应取代，请移除此行",
            ),
            ("match", "指标匹配不确定，请确认或重新选择"),
        ],
        None,
    )
}

/// A refused file's reason in Chinese, keeping the detail.
pub fn explain_file_error(e: &str) -> String {
    in_chinese(
        e,
        &[
            ("corrupt", "文件已损坏或不是表格文件"),
            ("empty", "文件中没有找到数据表（需要指标名称列和数值列）"),
            ("encrypted", "文件设有密码，请另存为无密码的文件后再导入"),
            ("too_large", "文件过大，超出可导入的范围"),
            ("unsupported", "不支持的文件格式，请另存为 .xlsx 或 .csv"),
        ],
        Some("无法读取"),
    )
}

/// `word: detail` with the word said in Chinese from `words` (else
/// `otherwise`; else the text as it is), the detail kept in brackets.
fn in_chinese(text: &str, words: &[(&str, &str)], otherwise: Option<&str>) -> String {
    let (word, rest) = text.split_once(':').unwrap_or(("", text));
    match words
        .iter()
        .find(|(w, _)| *w == word)
        .map(|(_, said)| *said)
        .or(otherwise)
    {
        Some(said) => format!("{said}（{}）", rest.trim()),
        None => text.to_string(),
    }
}

fn history(app: &mut App, ui: &mut Ui) {
    let Some(data) = app.data.as_ref() else {
        return;
    };
    ui.strong("导入批次");
    if data.batches.is_empty() {
        ui.label(RichText::new("还没有导入过报表。").weak());
        return;
    }
    let tx = app.tx.clone();
    egui::ScrollArea::vertical()
        .id_salt("batches")
        .show(ui, |ui| {
            egui::Grid::new("batch-history")
                .striped(true)
                .num_columns(7)
                .show(ui, |ui| {
                    for h in ["批次", "文件", "单位", "期别", "行数", "导入时间", ""]
                    {
                        ui.strong(h);
                    }
                    ui.end_row();
                    for b in &data.batches {
                        ui.label(b.id.to_string());
                        ui.label(&b.file_name);
                        ui.label(b.unit.clone().unwrap_or_default());
                        ui.label(b.period.clone().unwrap_or_default());
                        ui.label(b.rows.to_string());
                        ui.label(
                            b.imported_at
                                .replace('T', " ")
                                .trim_end_matches('Z')
                                .to_string(),
                        );
                        if b.state == "committed" {
                            if ui.small_button("撤销").clicked() {
                                tx.send(Command::ConfirmUndo(b.id));
                            }
                        } else {
                            ui.horizontal(|ui| {
                                ui.label(RichText::new("已撤销").weak());
                                if ui
                                    .small_button("恢复")
                                    .on_hover_text(
                                        "该批次的数据重新计入（此后已有更新数值的保留新值）",
                                    )
                                    .clicked()
                                {
                                    tx.run(jobs::restore_batch(b.id));
                                }
                            });
                        }
                        ui.end_row();
                    }
                });
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_and_refusals_are_said_in_chinese_with_their_detail() {
        assert_eq!(
            explain_row("duplicate: '新建智慧社区数' was already given in row 9"),
            "与前面的行重复，只取第一行（'新建智慧社区数' was already given in row 9）"
        );
        assert_eq!(explain_row("已手动对应"), "已手动对应");
        assert_eq!(
            explain_file_error("corrupt: invalid zip header"),
            "文件已损坏或不是表格文件（invalid zip header）"
        );
        assert_eq!(
            explain_file_error("unreadable: No such file"),
            "无法读取（No such file）"
        );
    }
}
