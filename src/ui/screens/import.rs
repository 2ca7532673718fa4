//! Import: pick or drop files; per file the detected unit and period
//! (editable), a preview grid where each row's indicator can be re-matched
//! from a searchable list (a confirmed match is remembered as an alias),
//! commit; and the batch history with undo.

use crate::domain::Period;
use crate::returns::Why;
use crate::tf;
use crate::ui::app::{App, Command, CommandSender, ImportCommand, Rematch};
use crate::ui::i18n::t;
use crate::ui::jobs;
use crate::ui::widgets;
use egui::{Color32, RichText, Ui};

pub fn show(app: &mut App, ui: &mut Ui) {
    ui.horizontal(|ui| {
        ui.heading(t("import.title"));
        if ui.button(t("import.choose-files")).clicked() {
            app.tx
                .send(Command::PickFile(crate::ui::files::FileRequest::open_many(
                    t("import.choose-title"),
                    (
                        t("import.filter-returns"),
                        &["xlsx", "xlsm", "xlsb", "xls", "ods", "csv"],
                    ),
                    |files| Command::Run(jobs::read_returns(files, Default::default())),
                )));
        }
        ui.label(RichText::new(t("import.drop-hint")).weak());
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
        ui.label(tf!(
            "import.files-count",
            files = review.files.len(),
            ok = committable
        ));
        if ui
            .add_enabled(
                committable > 0,
                egui::Button::new(RichText::new(t("import.commit")).strong()),
            )
            .clicked()
        {
            tx.import(ImportCommand::Commit);
        }
        if ui.button(t("import.discard")).clicked() {
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
                                RichText::new(tf!(
                                    "import.file-refused",
                                    why = explain_file_error(e)
                                ))
                                .color(Color32::from_rgb(0xc6, 0x28, 0x28)),
                            );
                            return;
                        }
                        ui.horizontal(|ui| {
                            ui.label(t("import.unit"));
                            let current = r
                                .unit
                                .clone()
                                .unwrap_or_else(|| t("import.unit-unknown").into());
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
                            ui.label(t("import.period"));
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
                                        RichText::new(t("import.period-unknown"))
                                            .color(Color32::from_rgb(0xc6, 0x28, 0x28)),
                                    );
                                }
                                Some(p) if locked.contains(&p) => {
                                    ui.label(
                                        RichText::new(t("import.period-locked"))
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
                                for h in [
                                    t("import.col-row"),
                                    t("import.col-source"),
                                    t("import.col-indicator"),
                                    t("import.col-value"),
                                    t("import.col-verdict"),
                                    "",
                                ] {
                                    ui.strong(h);
                                }
                                ui.end_row();
                                for (ri, row) in r.rows.iter().enumerate() {
                                    ui.label(row.row.to_string());
                                    match &row.unit {
                                        Some(u) => ui.label(format!("{u} · {}", row.source_name)),
                                        None => ui.label(&row.source_name),
                                    };
                                    if ui
                                        .link(&row.indicator)
                                        .on_hover_text(t("import.rematch-hover"))
                                        .clicked()
                                    {
                                        review_open(&tx, fi, Rematch::Row(ri));
                                    }
                                    if row.earlier.is_empty() {
                                        ui.label(widgets::with_unit(row.value, None));
                                    } else {
                                        let list: Vec<String> = row
                                            .earlier
                                            .iter()
                                            .map(|(p, v)| {
                                                format!(
                                                    "{p} {}",
                                                    widgets::with_unit(Some(*v), None)
                                                )
                                            })
                                            .collect();
                                        ui.label(format!(
                                            "{}  {}",
                                            widgets::with_unit(row.value, None),
                                            tf!("import.earlier", n = row.earlier.len())
                                        ))
                                        .on_hover_text(
                                            tf!(
                                                "import.earlier-hover",
                                                list =
                                                    crate::ui::app::join_list(&list, t("app.list"))
                                            ),
                                        );
                                    }
                                    let (text, color) = if !row.warnings.is_empty() {
                                        (
                                            tf!(
                                                "import.row-check",
                                                why = explain_warnings(&row.warnings)
                                            ),
                                            Color32::from_rgb(0xf9, 0xa8, 0x25),
                                        )
                                    } else if row.by_hand {
                                        (
                                            t("app.matched-by-hand").to_string(),
                                            Color32::from_rgb(0x2e, 0x7d, 0x32),
                                        )
                                    } else {
                                        (
                                            t("import.row-passed").to_string(),
                                            Color32::from_rgb(0x2e, 0x7d, 0x32),
                                        )
                                    };
                                    ui.label(RichText::new(text).color(color));
                                    if ui.small_button(t("import.remove")).clicked() {
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
                                        if ui.button(t("import.choose-indicator")).clicked() {
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
                                        RichText::new(tf!(
                                            "import.row-refused",
                                            why = explain_row(&j.why)
                                        ))
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
        egui::Window::new(t("import.rematch-title"))
            .open(&mut keep_open)
            .collapsible(false)
            .default_width(460.0)
            .show(ui.ctx(), |ui| {
                ui.horizontal(|ui| {
                    let label = ui.label(t("import.search"));
                    ui.add(
                        egui::TextEdit::singleline(&mut review.search)
                            .hint_text(t("import.search-hint"))
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

/// Why a row is warned about or refused, in the window's language.
pub fn explain_row(why: &Why) -> String {
    why.words(crate::ui::i18n::language())
}

/// A row's warnings, one after another.
pub fn explain_warnings(whys: &[Why]) -> String {
    whys.iter()
        .map(explain_row)
        .reduce(|list, item| tf!("import.why-list", list = list, item = item))
        .unwrap_or_default()
}

/// A refused file's reason in the window's language, keeping the detail.
pub fn explain_file_error(e: &crate::returns::read::FileError) -> String {
    use crate::returns::read::FileErrorKind as K;
    let detail = e.detail.as_str();
    match e.kind {
        K::Corrupt => tf!("import.file-corrupt", detail = detail),
        K::Empty => tf!("import.file-empty", detail = detail),
        K::Encrypted => tf!("import.file-encrypted", detail = detail),
        K::TooLarge => tf!("import.file-too-large", detail = detail),
        K::Unsupported => tf!("import.file-unsupported", detail = detail),
        K::Unreadable | K::NoTable => tf!("import.file-unreadable", detail = detail),
    }
}

fn history(app: &mut App, ui: &mut Ui) {
    let Some(data) = app.data.as_ref() else {
        return;
    };
    ui.strong(t("import.batches"));
    if data.batches.is_empty() {
        ui.label(RichText::new(t("import.no-batches")).weak());
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
                    for h in [
                        t("import.col-batch"),
                        t("import.col-file"),
                        t("import.col-unit"),
                        t("import.col-period"),
                        t("import.col-rows"),
                        t("import.col-imported-at"),
                        "",
                    ] {
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
                            ui.horizontal(|ui| {
                                if ui.small_button(t("import.undo")).clicked() {
                                    tx.send(Command::ConfirmUndo(b.id));
                                }
                                if ui
                                    .small_button(t("import.return"))
                                    .on_hover_text(t("import.return-hover"))
                                    .clicked()
                                {
                                    tx.run(jobs::return_notice(b.id));
                                }
                            });
                        } else {
                            ui.horizontal(|ui| {
                                ui.label(
                                    RichText::new(if b.returned {
                                        t("import.returned")
                                    } else {
                                        t("import.undone")
                                    })
                                    .weak(),
                                );
                                if ui
                                    .small_button(t("import.restore"))
                                    .on_hover_text(t("import.restore-hover"))
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
    use crate::returns::read::{FileError, FileErrorKind};

    #[test]
    fn verdicts_and_refusals_are_said_in_chinese_with_their_data() {
        assert_eq!(
            explain_row(&Why::Duplicate {
                indicator: "新建智慧社区数".into(),
                first_row: 9
            }),
            "“新建智慧社区数”已在第 9 行填报，只取第一行"
        );
        assert_eq!(
            explain_warnings(&[
                Why::AboveHundred { value: 120.5 },
                Why::Jump {
                    value: 80.0,
                    previous: 10.0,
                    period: "2023-05".into()
                }
            ]),
            "百分比 120.5% 超过100%；数值 80 与本单位2023年5月报送的 10 相差过大"
        );
        assert_eq!(
            explain_file_error(&FileError::new(
                FileErrorKind::Corrupt,
                "invalid zip header".into()
            )),
            "文件已损坏或不是表格文件（invalid zip header）"
        );
        assert_eq!(
            explain_file_error(&FileError::new(
                FileErrorKind::Unreadable,
                "No such file".into()
            )),
            "无法读取（No such file）"
        );
    }

    #[test]
    fn verdicts_and_refusals_are_said_in_english_with_their_data() {
        use crate::domain::words::Language;
        crate::ui::i18n::set_language(Language::English);
        let row = explain_row(&Why::Negative { value: -3.0 });
        let decrease = explain_row(&Why::Decrease {
            value: 40.0,
            previous: 52.0,
            period: "2023-06".into(),
        });
        let file = explain_file_error(&FileError::new(
            FileErrorKind::Unreadable,
            "No such file".into(),
        ));
        crate::ui::i18n::set_language(Language::Chinese);
        assert_eq!(row, "The value -3 is below zero");
        assert_eq!(
            decrease,
            "The running total 40 is below the 52 this unit reported for Jun 2023"
        );
        assert_eq!(file, "Cannot be read (No such file)");
    }
}
