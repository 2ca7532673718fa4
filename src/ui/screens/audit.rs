//! 留痕: every change to the ledger, newest first — figures imported,
//! entered, corrected, undone and restored, targets split or revised,
//! indicators and units edited, periods locked — filtered by unit,
//! indicator, date and kind of change; a figure entered or corrected by hand
//! can be reverted here (an import is undone as a batch).

use crate::domain::{AuditAction, Date};
use crate::ui::app::{App, Command};
use crate::ui::jobs;
use crate::ui::widgets;
use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

pub fn show(app: &mut App, ui: &mut Ui) {
    let Some(data) = app.data.as_ref() else {
        return;
    };
    let tx = app.tx.clone();
    let Some(lines) = app.state.audit.as_ref() else {
        tx.send(Command::LoadAudit);
        ui.label(RichText::new("正在读取修改记录…").weak());
        return;
    };
    let f = &mut app.state.audit_filter;
    ui.horizontal_wrapped(|ui| {
        ui.heading("留痕");
        ui.separator();
        ui.label("单位");
        egui::ComboBox::from_id_salt("audit-unit")
            .selected_text(f.unit.as_deref().unwrap_or("全部"))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut f.unit, None, "全部");
                for u in &data.units {
                    ui.selectable_value(&mut f.unit, Some(u.name.clone()), &u.name);
                }
            });
        let label = ui.label("指标");
        ui.add(
            egui::TextEdit::singleline(&mut f.indicator)
                .desired_width(160.0)
                .hint_text("编号或名称")
                .id_salt("audit-indicator"),
        )
        .labelled_by(label.id);
        let label = ui.label("自");
        ui.add(
            egui::TextEdit::singleline(&mut f.since)
                .desired_width(100.0)
                .hint_text("2023-07-01")
                .id_salt("audit-since"),
        )
        .labelled_by(label.id);
        ui.label("操作");
        egui::ComboBox::from_id_salt("audit-action")
            .selected_text(f.action.map_or("全部", widgets::audit_action))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut f.action, None, "全部");
                for a in AuditAction::ALL {
                    ui.selectable_value(&mut f.action, Some(*a), widgets::audit_action(*a));
                }
            });
    });
    // Indicator names by code, for the lines (which keep the code).
    let names: std::collections::HashMap<&str, &str> = data
        .plan
        .as_ref()
        .map(|p| {
            p.indicators
                .iter()
                .map(|i| (i.code.as_str(), i.name.as_str()))
                .collect()
        })
        .unwrap_or_default();
    let since = f.since.trim().parse::<Date>().ok().map(|d| d.to_string());
    let needle = f.indicator.trim();
    let shown: Vec<&crate::store::AuditEntry> = lines
        .iter()
        .filter(|l| f.unit.as_ref().is_none_or(|u| &l.unit == u))
        .filter(|l| f.action.is_none_or(|a| l.action == a))
        .filter(|l| since.as_ref().is_none_or(|s| l.at.as_str() >= s.as_str()))
        .filter(|l| {
            needle.is_empty()
                || l.indicator_code.contains(needle)
                || names
                    .get(l.indicator_code.as_str())
                    .is_some_and(|n| n.contains(needle))
        })
        .collect();
    ui.label(RichText::new(format!("{} 条（共 {} 条）", shown.len(), lines.len())).weak());
    ui.separator();
    // One line per change: long names and files are cut, shown whole on hover.
    ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
    TableBuilder::new(ui)
        .id_salt("audit-table")
        .striped(true)
        .column(Column::exact(130.0))
        .column(Column::exact(90.0))
        .column(Column::initial(220.0).at_least(120.0))
        .column(Column::exact(110.0))
        .column(Column::exact(80.0))
        .column(Column::initial(200.0).at_least(120.0))
        .column(Column::remainder().at_least(140.0))
        .column(Column::exact(70.0))
        .column(Column::exact(50.0))
        .header(22.0, |mut h| {
            for t in [
                "时间",
                "操作",
                "指标",
                "单位",
                "期别",
                "变化",
                "来源 / 理由",
                "操作人",
                "",
            ] {
                h.col(|ui| {
                    ui.strong(t);
                });
            }
        })
        .body(|body| {
            body.rows(22.0, shown.len(), |mut row| {
                let l = shown[row.index()];
                row.col(|ui| {
                    ui.label(l.at.replace('T', " ").trim_end_matches('Z').to_string());
                });
                row.col(|ui| {
                    ui.label(widgets::audit_action(l.action));
                });
                row.col(|ui| {
                    let name = names.get(l.indicator_code.as_str()).copied().unwrap_or("");
                    ui.label(format!("{} {name}", l.indicator_code).trim().to_string());
                });
                row.col(|ui| {
                    ui.label(&l.unit);
                });
                row.col(|ui| {
                    ui.label(match l.period.as_deref().map(str::parse) {
                        Some(Ok(p)) => widgets::period(p),
                        _ => l.period.clone().unwrap_or_else(|| "—".into()),
                    });
                });
                row.col(|ui| {
                    ui.label(match &l.field {
                        Some(field) if l.action == AuditAction::Unit => format!(
                            "{}：{} → {}",
                            match field.as_str() {
                                "add" => "新增单位",
                                "name" => "名称",
                                "kind" => "类型",
                                "alias" => "别名",
                                "merge" => "合并",
                                other => other,
                            },
                            l.before_text.as_deref().unwrap_or(""),
                            l.after_text.as_deref().unwrap_or("")
                        ),
                        Some(field) => widgets::field_change(
                            field,
                            l.before_text.as_deref().unwrap_or(""),
                            l.after_text.as_deref().unwrap_or(""),
                        ),
                        None if matches!(l.action, AuditAction::Lock | AuditAction::Unlock) => {
                            String::new()
                        }
                        None => format!(
                            "{} → {}",
                            crate::ui::widgets::with_unit(l.before, None),
                            crate::ui::widgets::with_unit(l.after, None)
                        ),
                    });
                });
                row.col(|ui| {
                    let file = l.batch_id.and_then(|b| {
                        data.batches.iter().find(|x| x.id == b).map(|x| {
                            format!(
                                "{}{}",
                                x.file_name,
                                l.row.map(|n| format!(" 第{n}行")).unwrap_or_default()
                            )
                        })
                    });
                    ui.label(match file {
                        Some(f) => f,
                        None if !l.note.is_empty() => l.note.clone(),
                        None if l.action == AuditAction::Edit => "手工录入".into(),
                        None => String::new(),
                    });
                });
                row.col(|ui| {
                    ui.label(&l.actor);
                });
                row.col(|ui| {
                    if matches!(l.action, AuditAction::Edit | AuditAction::Correct)
                        && ui
                            .small_button("撤回")
                            .on_hover_text("该数据恢复为修改前的数值（记为一次更正）")
                            .clicked()
                    {
                        tx.run(jobs::revert_edit(l.id));
                    }
                });
            });
        });
}
