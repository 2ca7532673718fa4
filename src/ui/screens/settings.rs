//! Settings: language, thresholds, as-of date, due-soon window, database
//! location, backup now.

use crate::domain::{Date, Period};
use crate::ui::app::{App, Command, Language};
use crate::ui::jobs;
use crate::ui::widgets;
use egui::{RichText, Ui};

pub fn show(app: &mut App, ui: &mut Ui) {
    let Some(data) = app.data.as_ref() else {
        return;
    };
    let s = app.settings.clone();
    ui.heading(s.tr("设置", "Settings"));
    ui.add_space(8.0);
    let edit = app
        .state
        .settings_edit
        .get_or_insert_with(|| data.settings.clone());
    let tx = app.tx.clone();
    egui::Grid::new("settings")
        .num_columns(2)
        .spacing([24.0, 10.0])
        .show(ui, |ui| {
            ui.label(s.tr("界面语言", "Language"));
            ui.horizontal(|ui| {
                if ui
                    .selectable_label(s.language == Language::Chinese, "中文")
                    .clicked()
                {
                    tx.send(Command::SetLanguage(Language::Chinese));
                }
                if ui
                    .selectable_label(s.language == Language::English, "English")
                    .clicked()
                {
                    tx.send(Command::SetLanguage(Language::English));
                }
            });
            ui.end_row();
            ui.label(s.tr(
                "正常推进：完成率不低于序时进度减",
                "On track within (points)",
            ));
            ui.add(
                egui::DragValue::new(&mut edit.on_track_pp)
                    .range(0.0..=50.0)
                    .suffix(" 个百分点"),
            );
            ui.end_row();
            ui.label(s.tr(
                "进度滞后：完成率不低于序时进度减",
                "Lagging within (points)",
            ));
            ui.add(
                egui::DragValue::new(&mut edit.lagging_pp)
                    .range(0.0..=100.0)
                    .suffix(" 个百分点"),
            );
            ui.end_row();
            ui.label(s.tr("临期提醒：截止前", "Due-soon window"));
            ui.add(
                egui::DragValue::new(&mut edit.due_soon_days)
                    .range(0..=120)
                    .suffix(" 天"),
            );
            ui.end_row();
            ui.label(s.tr("报送周期", "Reporting cycle"));
            ui.horizontal(|ui| {
                use crate::domain::Cycle;
                for (c, zh, en) in [
                    (Cycle::Monthly, "按月", "Monthly"),
                    (Cycle::Quarterly, "按季度", "Quarterly"),
                    (Cycle::HalfYearly, "按半年", "Half-yearly"),
                ] {
                    ui.selectable_value(&mut edit.cycle, c, s.tr(zh, en));
                }
            });
            ui.end_row();
            ui.label(s.tr("报送期限：次月", "Due on day"));
            ui.add(
                egui::DragValue::new(&mut edit.due_day)
                    .range(1..=31)
                    .suffix(s.tr(" 日前", " of the next month")),
            );
            ui.end_row();
            ui.label("");
            if ui.button(s.tr("保存", "Save")).clicked() {
                tx.send(Command::SaveProgressSettings(edit.clone()));
            }
            ui.end_row();
            ui.label(s.tr("期别锁定", "Period locks"));
            ui.horizontal(|ui| {
                let year = data
                    .plan
                    .as_ref()
                    .map_or(data.as_of.year(), |p| p.summary.year);
                let months: Vec<Period> = (1..=12).filter_map(|m| Period::new(year, m)).collect();
                let default = data
                    .plan
                    .as_ref()
                    .and_then(|p| p.status.period_due)
                    .unwrap_or_else(|| data.as_of.period());
                let pick = app.state.lock_pick.get_or_insert(default);
                egui::ComboBox::from_id_salt("lock-period")
                    .selected_text(widgets::period(*pick))
                    .show_ui(ui, |ui| {
                        for m in months {
                            let locked = if data.locked.contains(&m) {
                                "（已锁定）"
                            } else {
                                ""
                            };
                            ui.selectable_value(pick, m, format!("{}{locked}", widgets::period(m)));
                        }
                    });
                let chosen = *pick;
                super::period_lock(ui, &tx, &data.locked, chosen);
            });
            ui.end_row();
            ui.label("");
            ui.label(
                RichText::new(if data.locked.is_empty() {
                    "目前没有锁定的期别。".to_string()
                } else {
                    format!(
                        "已锁定：{}",
                        data.locked
                            .iter()
                            .map(|p| widgets::period(*p))
                            .collect::<Vec<_>>()
                            .join("、")
                    )
                })
                .weak(),
            );
            ui.end_row();
            ui.label(s.tr("统计截至日期", "As-of date"));
            ui.horizontal(|ui| {
                ui.add(
                    egui::TextEdit::singleline(&mut app.state.as_of_text)
                        .desired_width(110.0)
                        .hint_text("2023-06-30")
                        .id_salt("as-of"),
                );
                if ui.button(s.tr("应用", "Apply")).clicked() {
                    match app.state.as_of_text.trim().parse::<Date>() {
                        Ok(d) => tx.send(Command::SetAsOf(Some(d))),
                        Err(_) => tx.send(Command::Message(
                            false,
                            s.tr("日期格式应为 2023-06-30。", "Write the date as 2023-06-30.")
                                .into(),
                        )),
                    }
                }
                if ui
                    .button(s.tr(
                        "恢复默认（今天，年度结束后为年末）",
                        "Default (today, or the year's end)",
                    ))
                    .clicked()
                {
                    tx.send(Command::SetAsOf(None));
                }
            });
            ui.end_row();
            ui.label(s.tr("数据库位置", "Database"));
            ui.horizontal(|ui| {
                ui.label(RichText::new(app.db.display().to_string()).monospace());
                if ui
                    .button(s.tr("打开其他数据库…", "Open another…"))
                    .clicked()
                {
                    tx.send(Command::PickFile(crate::ui::files::FileRequest::open(
                        "打开台账数据库",
                        ("台账数据库", &["sqlite3", "db", "sqlite"]),
                        Command::OpenDatabase,
                    )));
                }
            });
            ui.end_row();
            ui.label(s.tr("备份", "Backup"));
            if ui.button(s.tr("立即备份…", "Back up now…")).clicked() {
                tx.send(Command::PickFile(crate::ui::files::FileRequest::save(
                    "备份台账",
                    &[("台账数据库", &["sqlite3"])],
                    format!("台账备份-{}.sqlite3", crate::cli::today()),
                    |path| Command::Run(jobs::backup(path)),
                )));
            }
            ui.end_row();
            ui.label(s.tr("操作人姓名", "Your name"));
            ui.horizontal(|ui| {
                let name = app
                    .state
                    .display_name_edit
                    .get_or_insert_with(|| s.display_name.clone());
                ui.add(
                    egui::TextEdit::singleline(name)
                        .desired_width(160.0)
                        .hint_text(s.tr("如：张三", "e.g. Zhang San"))
                        .id_salt("display-name"),
                );
                if ui
                    .add_enabled(
                        *name != s.display_name,
                        egui::Button::new(s.tr("保存", "Save")),
                    )
                    .on_hover_text("写入修改记录（留痕）的操作人，系统账户名附在其后")
                    .clicked()
                {
                    tx.send(Command::SetDisplayName(name.trim().to_string()));
                }
            });
            ui.end_row();
            ui.label(s.tr("文件选择窗口", "File chooser"));
            ui.horizontal(|ui| {
                if ui
                    .selectable_label(!s.in_window_files, s.tr("系统", "The desktop's"))
                    .clicked()
                {
                    tx.send(Command::SetInWindowFiles(false));
                }
                if ui
                    .selectable_label(s.in_window_files, s.tr("台账自带", "Taizhang's own"))
                    .on_hover_text("系统没有文件选择服务时（部分国产桌面、远程桌面）使用")
                    .clicked()
                {
                    tx.send(Command::SetInWindowFiles(true));
                }
            });
            ui.end_row();
        });
    for n in &data.notices {
        ui.label(RichText::new(n).weak());
    }
}
