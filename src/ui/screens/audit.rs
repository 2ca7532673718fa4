//! 留痕: every change to the ledger, newest first — figures imported,
//! entered, corrected, undone and restored, targets split or revised,
//! indicators and units edited, periods locked — filtered by unit,
//! indicator, date and kind of change; a figure entered or corrected by hand
//! can be reverted here (an import is undone as a batch).

use crate::domain::{AuditAction, Date};
use crate::tf;
use crate::ui::app::{App, Command};
use crate::ui::i18n::t;
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
        ui.label(RichText::new(t("audit.loading")).weak());
        return;
    };
    let f = &mut app.state.audit_filter;
    ui.horizontal_wrapped(|ui| {
        ui.heading(t("audit.title"));
        ui.separator();
        ui.label(t("audit.unit"));
        egui::ComboBox::from_id_salt("audit-unit")
            .selected_text(f.unit.as_deref().unwrap_or(t("audit.all")))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut f.unit, None, t("audit.all"));
                for u in &data.units {
                    ui.selectable_value(&mut f.unit, Some(u.name.clone()), &u.name);
                }
            });
        let label = ui.label(t("audit.indicator"));
        ui.add(
            egui::TextEdit::singleline(&mut f.indicator)
                .desired_width(160.0)
                .hint_text(t("audit.indicator-hint"))
                .id_salt("audit-indicator"),
        )
        .labelled_by(label.id);
        let label = ui.label(t("audit.since"));
        ui.add(
            egui::TextEdit::singleline(&mut f.since)
                .desired_width(100.0)
                .hint_text("2023-07-01")
                .id_salt("audit-since"),
        )
        .labelled_by(label.id);
        ui.label(t("audit.action"));
        egui::ComboBox::from_id_salt("audit-action")
            .selected_text(f.action.map_or(t("audit.all"), widgets::audit_action))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut f.action, None, t("audit.all"));
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
                .chain(&p.retired)
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
    ui.label(RichText::new(tf!("audit.count", shown = shown.len(), all = lines.len())).weak());
    ui.separator();
    // One line per change: long names and files are cut, shown whole on hover.
    ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
    TableBuilder::new(ui)
        .id_salt("audit-table")
        .striped(true)
        .column(Column::exact(130.0))
        .column(Column::exact(120.0))
        .column(Column::initial(220.0).at_least(120.0))
        .column(Column::exact(110.0))
        .column(Column::exact(80.0))
        .column(Column::initial(200.0).at_least(120.0))
        .column(Column::remainder().at_least(140.0))
        .column(Column::exact(70.0))
        .column(Column::exact(64.0))
        .header(22.0, |mut h| {
            for head in [
                t("audit.col-at"),
                t("audit.action"),
                t("audit.indicator"),
                t("audit.unit"),
                t("audit.col-period"),
                t("audit.col-change"),
                t("audit.col-source"),
                t("audit.col-actor"),
                "",
            ] {
                h.col(|ui| {
                    ui.strong(head);
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
                    if let Some(task) = &l.task {
                        ui.label(tf!("audit.task", path = task));
                    } else {
                        let name = names.get(l.indicator_code.as_str()).copied().unwrap_or("");
                        ui.label(format!("{} {name}", l.indicator_code).trim().to_string());
                    }
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
                        Some(_) if l.action == AuditAction::Task => task_change(l),
                        Some(field) if l.action == AuditAction::Unit => tf!(
                            "audit.change",
                            field = match field.as_str() {
                                "add" => t("audit.unit-add"),
                                "name" => t("audit.unit-name"),
                                "kind" => t("audit.unit-kind"),
                                "alias" => t("audit.unit-alias"),
                                "merge" => t("audit.unit-merge"),
                                other => other,
                            },
                            before = l.before_text.as_deref().unwrap_or(""),
                            after = l.after_text.as_deref().unwrap_or("")
                        ),
                        Some(field) => widgets::field_change(
                            field,
                            l.before_text.as_deref().unwrap_or(""),
                            l.after_text.as_deref().unwrap_or(""),
                        ),
                        None if matches!(l.action, AuditAction::Lock | AuditAction::Unlock) => {
                            String::new()
                        }
                        None => tf!(
                            "audit.figures",
                            before = crate::ui::widgets::with_unit(l.before, None),
                            after = crate::ui::widgets::with_unit(l.after, None)
                        ),
                    });
                });
                row.col(|ui| {
                    let file = l.batch_id.and_then(|b| {
                        data.batches.iter().find(|x| x.id == b).map(|x| {
                            format!(
                                "{}{}",
                                x.file_name,
                                l.row.map(|n| tf!("audit.row", n = n)).unwrap_or_default()
                            )
                        })
                    });
                    ui.label(match file {
                        Some(f) => f,
                        None if !l.note.is_empty() => l.note.clone(),
                        None if l.action == AuditAction::Edit => t("audit.by-hand").into(),
                        None => String::new(),
                    });
                });
                row.col(|ui| {
                    ui.label(&l.actor);
                });
                row.col(|ui| {
                    if revertable(l)
                        && ui
                            .small_button(t("audit.revert"))
                            .on_hover_text(t("audit.revert-hover"))
                            .clicked()
                    {
                        tx.run(jobs::revert_line(l.id));
                    }
                });
            });
        });
}

/// Whether a line can be reverted from the log (the store refuses the rest
/// with a reason; the button is not offered for them).
fn revertable(l: &crate::store::AuditEntry) -> bool {
    match l.action {
        AuditAction::Edit
        | AuditAction::Correct
        | AuditAction::Indicator
        | AuditAction::Target
        | AuditAction::Task => true,
        AuditAction::Unit => matches!(l.field.as_deref(), Some("name" | "kind" | "alias")),
        _ => false,
    }
}

fn dash(v: Option<&str>) -> String {
    match v {
        Some(v) if !v.is_empty() => v.to_string(),
        _ => t("audit.empty").to_string(),
    }
}

/// A task's field before → after: the units as lead and supporting.
fn task_change(l: &crate::store::AuditEntry) -> String {
    let field = l.field.as_deref().unwrap_or("");
    let say = |v: Option<&str>| -> String {
        let v = v.unwrap_or("");
        if field != "units" {
            return dash(Some(v));
        }
        let units = crate::store::units_from_text(v);
        let names = |role| {
            let names: Vec<&str> = units
                .iter()
                .filter(|u| u.role == role)
                .map(|u| u.name.as_str())
                .collect();
            crate::ui::app::join_list(&names, t("app.list"))
        };
        tf!(
            "audit.task-units",
            lead = dash(Some(&names(crate::domain::Role::Lead))),
            support = dash(Some(&names(crate::domain::Role::Support)))
        )
    };
    let name = match field {
        "title" => t("audit.task-title"),
        "deadline" => t("audit.task-deadline"),
        _ => t("audit.task-units-field"),
    };
    tf!(
        "audit.change",
        field = name,
        before = say(l.before_text.as_deref()),
        after = say(l.after_text.as_deref())
    )
}
