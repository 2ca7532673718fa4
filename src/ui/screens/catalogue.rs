//! 单位名录: the units catalogue — every district and department with its
//! aliases; add a unit, import a catalogue (JSON or a spreadsheet with
//! 单位名称 / 类型 / 别名), and for the unit chosen: rename it (the old name
//! stays as an alias), make it a district or a department, add or remove
//! aliases, or merge it into another unit that turns out to be the same.

use crate::domain::UnitKind;
use crate::ui::app::{App, Command, UnitForm};
use crate::ui::files::FileRequest;
use crate::ui::jobs;
use egui::{RichText, Ui};

fn kind_name(k: UnitKind) -> &'static str {
    match k {
        UnitKind::District => "区县",
        UnitKind::Department => "部门",
    }
}

pub fn show(app: &mut App, ui: &mut Ui) {
    let Some(data) = app.data.as_ref() else {
        return;
    };
    let tx = app.tx.clone();
    let form = app.state.unit_form.get_or_insert_with(UnitForm::default);
    ui.horizontal(|ui| {
        ui.heading("单位名录");
        ui.label(RichText::new(format!("{} 个单位", data.units.len())).weak());
        ui.separator();
        let label = ui.label("新单位");
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
                egui::Button::new("添加单位"),
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
            .button("导入名录…")
            .on_hover_text("JSON，或含“单位名称、类型、别名”列的表格；已有的单位只补充别名和类型")
            .clicked()
        {
            tx.send(Command::PickFile(FileRequest::open(
                "导入单位名录",
                ("单位名录", &["json", "xlsx", "xls", "xlsm", "ods", "csv"]),
                |path| Command::Run(jobs::unit_change(jobs::UnitChange::Import(path))),
            )));
        }
    });
    ui.separator();
    if data.units.is_empty() {
        ui.label("名录中还没有单位：请导入名录，或逐个添加。计划中的责任单位、报表中的填报单位都按名录识别。");
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
                        ui.strong("单位");
                        ui.strong("类型");
                        ui.strong("别名");
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
                            ui.label(RichText::new(u.aliases.join("、")).weak());
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
            ui.label(
                RichText::new("在左侧选择一个单位，即可改名、改类型、管理别名或合并。").weak(),
            );
            return;
        };
        ui.heading(&unit.name);
        egui::Grid::new("unit-edit")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                let label = ui.label("名称");
                ui.horizontal(|ui| {
                    ui.add(
                        egui::TextEdit::singleline(&mut form.rename)
                            .desired_width(220.0)
                            .id_salt("unit-rename"),
                    )
                    .labelled_by(label.id);
                    let changed = !form.rename.trim().is_empty() && form.rename.trim() != unit.name;
                    if ui
                        .add_enabled(changed, egui::Button::new("改名"))
                        .on_hover_text("原名称保留为别名，旧报表仍能识别")
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
                ui.label("类型");
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
                ui.label("别名");
                ui.vertical(|ui| {
                    for a in &unit.aliases {
                        ui.horizontal(|ui| {
                            ui.label(a);
                            if ui.small_button("删除").clicked() {
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
                                .hint_text("如：张店")
                                .id_salt("unit-alias"),
                        );
                        if ui
                            .add_enabled(
                                !form.alias.trim().is_empty(),
                                egui::Button::new("添加别名"),
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
                ui.label("合并到");
                ui.vertical(|ui| {
                    ui.horizontal(|ui| {
                        egui::ComboBox::from_id_salt("merge-into")
                            .selected_text(
                                form.merge_into
                                    .as_deref()
                                    .unwrap_or("（选择同一单位的另一条目）"),
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
                            && ui.button("合并").clicked()
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
                        RichText::new(format!(
                            "“{}”的数据、批次、分解目标和别名并入所选单位，名称保留为别名。",
                            unit.name
                        ))
                        .weak()
                        .small(),
                    );
                });
                ui.end_row();
            });
    });
}
