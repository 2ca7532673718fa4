//! The overview: status counts, then every indicator with its completion
//! bar and 序时 mark, status, sparkline; filters and search. The table is
//! virtualised (only visible rows are laid out), so 600 rows scroll smoothly.

use crate::domain::Status;
use crate::store::IndicatorStatus;
use crate::tf;
use crate::ui::app::{App, Command, OverviewFilter};
use crate::ui::i18n::t;
use crate::ui::jobs;
use crate::ui::widgets;
use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

/// Whether an indicator passes the filter (search folds Traditional and
/// full-width forms, and matches names, codes and tasks).
pub fn passes(i: &IndicatorStatus, f: &OverviewFilter) -> bool {
    if f.status.is_some_and(|s| i.evaluation.status != s) {
        return false;
    }
    if f.due_soon_only && !i.evaluation.due_soon {
        return false;
    }
    let q = crate::domain::text::fold(f.search.trim());
    if q.is_empty() {
        return true;
    }
    let hay = crate::domain::text::fold(&format!(
        "{} {} {}",
        i.label,
        i.code,
        i.task.as_deref().unwrap_or("")
    ));
    q.split_whitespace().all(|w| hay.contains(w))
}

pub fn show(app: &mut App, ui: &mut Ui) {
    let Some(plan) = app.data.as_ref().and_then(|d| d.plan.as_ref()) else {
        super::no_plan(ui, app);
        return;
    };
    let locked = app
        .data
        .as_ref()
        .map(|d| d.locked.clone())
        .unwrap_or_default();
    let tx = app.tx.clone();
    // Status counts, each a filter button.
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(&plan.summary.title).heading());
        ui.add_space(12.0);
        let total = plan.status.indicators.len();
        if ui
            .selectable_label(
                app.state.filter.status.is_none(),
                tf!("overview.all", n = total),
            )
            .clicked()
        {
            app.state.filter.status = None;
        }
        for st in Status::ALL.iter().copied() {
            let n = plan.status.summary.get(st.as_str()).copied().unwrap_or(0);
            let text = RichText::new(format!("● {} {n}", widgets::status_name(st)))
                .color(widgets::status_color(st));
            if ui
                .selectable_label(app.state.filter.status == Some(st), text)
                .clicked()
            {
                app.state.filter.status = if app.state.filter.status == Some(st) {
                    None
                } else {
                    Some(st)
                };
            }
        }
        let due = plan
            .status
            .indicators
            .iter()
            .filter(|i| i.evaluation.due_soon)
            .count();
        ui.checkbox(
            &mut app.state.filter.due_soon_only,
            tf!("overview.due-soon", n = due),
        );
        if let Some(p) = plan.status.period_due {
            ui.separator();
            super::period_lock(ui, &tx, &locked, p);
        }
    });
    ui.horizontal(|ui| {
        let label = ui.label(t("overview.search"));
        ui.add(
            egui::TextEdit::singleline(&mut app.state.filter.search)
                .hint_text(t("overview.search-hint"))
                .desired_width(280.0)
                .id_salt("overview-search"),
        )
        .labelled_by(label.id);
        if !app.state.filter.search.is_empty() && ui.button("×").clicked() {
            app.state.filter.search.clear();
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.button(t("overview.bulletin")).clicked() {
                app.tx.run(jobs::bulletin(plan.status.as_of));
            }
            if ui.button(t("overview.export")).clicked() {
                let as_of = plan.status.as_of;
                app.tx
                    .send(Command::PickFile(crate::ui::files::FileRequest::save(
                        t("overview.export-title"),
                        &[(t("overview.export-filter"), &["xlsx"])],
                        tf!("overview.export-file", date = as_of),
                        move |path| Command::Run(jobs::export_report(path, as_of)),
                    )));
            }
        });
    });
    ui.separator();
    let rows: Vec<&IndicatorStatus> = plan
        .status
        .indicators
        .iter()
        .filter(|i| passes(i, &app.state.filter))
        .collect();
    ui.label(RichText::new(tf!("overview.count", n = rows.len())).weak());
    let mut open = None;
    TableBuilder::new(ui)
        .striped(true)
        .resizable(true)
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .column(Column::exact(84.0))
        .column(Column::remainder().at_least(220.0).clip(true))
        .column(Column::exact(110.0))
        .column(Column::exact(110.0))
        .column(Column::exact(150.0))
        .column(Column::exact(90.0))
        .column(Column::exact(70.0))
        .header(24.0, |mut h| {
            for title in [
                t("overview.col-code"),
                t("overview.col-indicator"),
                t("overview.col-target"),
                t("overview.col-actual"),
                t("overview.col-progress"),
                t("overview.col-status"),
                t("overview.col-trend"),
            ] {
                h.col(|ui| {
                    ui.strong(title);
                });
            }
        })
        .body(|body| {
            body.rows(24.0, rows.len(), |mut row| {
                let i = rows[row.index()];
                let e = &i.evaluation;
                row.col(|ui| {
                    ui.label(RichText::new(&i.code).monospace().small());
                });
                row.col(|ui| {
                    let mut name = i.label.clone();
                    if e.due_soon {
                        name = tf!("overview.due-soon-name", name = name);
                    }
                    if ui
                        .link(name)
                        .on_hover_text(tf!(
                            "overview.row-hover",
                            task = i.task.as_deref().unwrap_or("—"),
                            reporting =
                                crate::export::reporting_words(i, crate::ui::i18n::language())
                        ))
                        .clicked()
                    {
                        open = Some(i.id);
                    }
                });
                row.col(|ui| {
                    ui.label(widgets::target(i.comparator, i.target, i.unit.as_deref()));
                });
                row.col(|ui| {
                    ui.label(widgets::actual(i));
                });
                row.col(|ui| {
                    widgets::completion_bar(ui, e.completion, e.expected, e.status, 140.0);
                });
                row.col(|ui| {
                    ui.label(
                        RichText::new(widgets::status_name(e.status))
                            .color(widgets::status_color(e.status)),
                    );
                });
                row.col(|ui| {
                    let series = plan.series.get(&i.id).map(Vec::as_slice).unwrap_or(&[]);
                    widgets::sparkline(ui, series, 60.0);
                });
            });
        });
    if let Some(id) = open {
        app.tx.send(Command::OpenIndicator(id));
    }
}
