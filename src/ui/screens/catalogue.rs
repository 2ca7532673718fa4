//! 单位名录: the units catalogue — every district and department with its
//! aliases; add a unit, import a catalogue (JSON or a spreadsheet with
//! 单位名称 / 类型 / 别名), and for the unit chosen: rename it (the old name
//! stays as an alias), make it a district or a department, add or remove
//! aliases, or merge it into another unit that turns out to be the same.

use crate::domain::UnitKind;
use crate::tf;
use crate::ui::app::{App, Command, UnitForm, join_list};
use crate::ui::files::FileRequest;
use crate::ui::i18n::t;
use crate::ui::jobs;
use egui::{RichText, Ui};

fn kind_name(k: UnitKind) -> &'static str {
    t(k.key())
}

pub fn show(app: &mut App, ui: &mut Ui) {
    let Some(data) = app.data.as_ref() else {
        return;
    };
    let tx = app.tx.clone();
    let form = app.state.unit_form.get_or_insert_with(UnitForm::default);
    ui.horizontal(|ui| {
        ui.heading(t("catalogue.title"));
        ui.label(RichText::new(tf!("catalogue.count", n = data.units.len())).weak());
        ui.separator();
        let label = ui.label(t("catalogue.new-unit"));
        ui.add(
            egui::TextEdit::singleline(&mut form.new_name)
                .desired_width(200.0)
                .id_salt("new-unit"),
        )
        .labelled_by(label.id);
        for k in UnitKind::ALL {
            ui.selectable_value(&mut form.new_kind, *k, kind_name(*k));
        }
        if ui
            .add_enabled(
                !form.new_name.trim().is_empty(),
                egui::Button::new(t("catalogue.add-unit")),
            )
            .clicked()
        {
            tx.run(jobs::unit_change(jobs::UnitChange::Add(
                form.new_name.trim().to_string(),
                form.new_kind,
            )));
            form.new_name.clear();
        }
        ui.separator();
        if ui
            .button(t("catalogue.import"))
            .on_hover_text(t("catalogue.import-hover"))
            .clicked()
        {
            tx.send(Command::PickFile(FileRequest::open(
                t("catalogue.import-title"),
                (
                    t("catalogue.import-filter"),
                    &["json", "xlsx", "xls", "xlsm", "ods", "csv"],
                ),
                |path| Command::Run(jobs::unit_change(jobs::UnitChange::Import(path))),
            )));
        }
    });
    ui.separator();
    if data.units.is_empty() {
        ui.label(t("catalogue.empty"));
        return;
    }
    ui.columns(2, |cols| {
        let ui = &mut cols[0];
        egui::ScrollArea::vertical()
            .id_salt("catalogue")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                egui::Grid::new("catalogue-grid")
                    .striped(true)
                    .num_columns(3)
                    .show(ui, |ui| {
                        ui.strong(t("catalogue.col-unit"));
                        ui.strong(t("catalogue.col-kind"));
                        ui.strong(t("catalogue.col-aliases"));
                        ui.end_row();
                        for u in &data.units {
                            if ui
                                .selectable_label(
                                    form.selected.as_deref() == Some(&u.name),
                                    &u.name,
                                )
                                .clicked()
                            {
                                form.selected = Some(u.name.clone());
                                form.rename = u.name.clone();
                                form.alias.clear();
                                form.merge_into = None;
                            }
                            ui.label(kind_name(u.kind));
                            ui.label(RichText::new(join_list(&u.aliases, t("app.list"))).weak());
                            ui.end_row();
                        }
                    });
            });
        let ui = &mut cols[1];
        let Some(unit) = form
            .selected
            .as_ref()
            .and_then(|n| data.units.iter().find(|u| &u.name == n))
        else {
            ui.label(RichText::new(t("catalogue.choose")).weak());
            return;
        };
        ui.heading(&unit.name);
        egui::Grid::new("unit-edit")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                let label = ui.label(t("catalogue.name"));
                ui.horizontal(|ui| {
                    ui.add(
                        egui::TextEdit::singleline(&mut form.rename)
                            .desired_width(220.0)
                            .id_salt("unit-rename"),
                    )
                    .labelled_by(label.id);
                    let changed = !form.rename.trim().is_empty() && form.rename.trim() != unit.name;
                    if ui
                        .add_enabled(changed, egui::Button::new(t("catalogue.rename")))
                        .on_hover_text(t("catalogue.rename-hover"))
                        .clicked()
                    {
                        tx.run(jobs::unit_change(jobs::UnitChange::Rename(
                            unit.name.clone(),
                            form.rename.trim().to_string(),
                        )));
                        form.selected = Some(form.rename.trim().to_string());
                    }
                });
                ui.end_row();
                ui.label(t("catalogue.kind"));
                ui.horizontal(|ui| {
                    for k in UnitKind::ALL {
                        if ui
                            .selectable_label(unit.kind == *k, kind_name(*k))
                            .clicked()
                            && unit.kind != *k
                        {
                            tx.run(jobs::unit_change(jobs::UnitChange::Kind(
                                unit.name.clone(),
                                *k,
                            )));
                        }
                    }
                });
                ui.end_row();
                ui.label(t("catalogue.aliases"));
                ui.vertical(|ui| {
                    for a in &unit.aliases {
                        ui.horizontal(|ui| {
                            ui.label(a);
                            if ui.small_button(t("catalogue.remove-alias")).clicked() {
                                tx.run(jobs::unit_change(jobs::UnitChange::Alias(
                                    unit.name.clone(),
                                    a.clone(),
                                    false,
                                )));
                            }
                        });
                    }
                    ui.horizontal(|ui| {
                        ui.add(
                            egui::TextEdit::singleline(&mut form.alias)
                                .desired_width(160.0)
                                .hint_text(t("catalogue.alias-hint"))
                                .id_salt("unit-alias"),
                        );
                        if ui
                            .add_enabled(
                                !form.alias.trim().is_empty(),
                                egui::Button::new(t("catalogue.add-alias")),
                            )
                            .clicked()
                        {
                            tx.run(jobs::unit_change(jobs::UnitChange::Alias(
                                unit.name.clone(),
                                form.alias.trim().to_string(),
                                true,
                            )));
                            form.alias.clear();
                        }
                    });
                });
                ui.end_row();
                ui.label(t("catalogue.merge-into"));
                ui.vertical(|ui| {
                    ui.horizontal(|ui| {
                        egui::ComboBox::from_id_salt("merge-into")
                            .selected_text(
                                form.merge_into
                                    .as_deref()
                                    .unwrap_or(t("catalogue.merge-choose")),
                            )
                            .width(220.0)
                            .show_ui(ui, |ui| {
                                for other in data.units.iter().filter(|o| o.id != unit.id) {
                                    ui.selectable_value(
                                        &mut form.merge_into,
                                        Some(other.name.clone()),
                                        &other.name,
                                    );
                                }
                            });
                        if let Some(into) = form.merge_into.clone()
                            && ui.button(t("catalogue.merge")).clicked()
                        {
                            tx.run(jobs::unit_change(jobs::UnitChange::Merge(
                                unit.name.clone(),
                                into.clone(),
                            )));
                            form.selected = Some(into);
                            form.merge_into = None;
                        }
                    });
                    ui.label(
                        RichText::new(tf!("catalogue.merge-explained", unit = unit.name))
                            .weak()
                            .small(),
                    );
                });
                ui.end_row();
            });
    });
}
