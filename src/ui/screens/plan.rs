//! The plan: the task tree with responsible units, deadlines and the latest
//! progress text of each task's indicators; and the review of an extracted
//! draft before it is saved (accept, edit, drop each indicator).

use super::fields::{self, FieldsForm};
use crate::domain::{PlanSection, Role};
use crate::plan_text::Review;
use crate::tf;
use crate::ui::app::{App, Command, CommandSender, NewIndicator, TaskForm};
use crate::ui::i18n::t;
use crate::ui::widgets;
use egui::{Color32, RichText, Ui};
use std::collections::HashMap;

pub fn show(app: &mut App, ui: &mut Ui) {
    if app.state.draft.is_some() {
        review(app, ui);
        return;
    }
    let Some(plan) = app.data.as_ref().and_then(|d| d.plan.as_ref()) else {
        super::no_plan(ui, app);
        return;
    };
    let doc = &plan.doc;
    ui.horizontal(|ui| {
        ui.heading(doc.display_title());
        ui.label(
            RichText::new(tf!(
                "plan.issuer-year",
                issuer = doc.issuer.as_deref().unwrap_or(""),
                year = doc.year
            ))
            .weak(),
        );
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .button(t("plan.add-indicator"))
                .on_hover_text(t("plan.add-indicator-hover"))
                .clicked()
                && app.state.new_indicator.is_none()
            {
                app.state.new_indicator = Some(NewIndicator {
                    form: FieldsForm::of_draft(&blank_indicator(None)),
                    task: None,
                    passage: String::new(),
                });
            }
            if ui
                .button(t("plan.import-another"))
                .on_hover_text(t("plan.import-another-hover"))
                .clicked()
            {
                app.tx
                    .send(Command::PickFile(crate::ui::files::FileRequest::open(
                        t("plan.import-title"),
                        (t("plan.file-kind"), &["txt", "docx"]),
                        |path| Command::Run(crate::ui::jobs::extract_plan(path)),
                    )));
            }
        });
    });
    ui.separator();
    // The latest words reported for each task's indicators (loaded on the
    // first visit; the tree shows without them meanwhile).
    if plan.latest_progress.is_none() {
        app.tx.send(Command::LoadLatestProgress);
    }
    let mut latest: HashMap<&str, (crate::domain::Period, String, String)> = HashMap::new();
    for ind in &plan.indicators {
        let Some(task) = ind.task.as_deref() else {
            continue;
        };
        if let Some((period, unit, text)) =
            plan.latest_progress.as_ref().and_then(|l| l.get(&ind.id))
            && latest.get(task).is_none_or(|(p, ..)| period >= p)
        {
            latest.insert(task, (*period, unit.clone(), text.clone()));
        }
    }
    let mut open = None;
    let units: Vec<String> = app
        .data
        .as_ref()
        .map(|d| d.units.iter().map(|u| u.name.clone()).collect())
        .unwrap_or_default();
    let tx = app.tx.clone();
    let form = &mut app.state.task_form;
    let adding = &mut app.state.new_indicator;
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            new_indicator(ui, adding, plan, &units, &tx);
            for section in &doc.sections {
                section_ui(ui, section, "", &latest, &mut open, plan, form, &units, &tx);
            }
            retired(ui, plan, &tx);
        });
    if let Some(id) = open {
        app.tx.send(Command::OpenIndicator(id));
    }
}

#[allow(clippy::too_many_arguments)]
fn section_ui(
    ui: &mut Ui,
    s: &PlanSection,
    prefix: &str,
    latest: &HashMap<&str, (crate::domain::Period, String, String)>,
    open: &mut Option<i64>,
    plan: &crate::ui::data::Loaded,
    form: &mut Option<TaskForm>,
    units: &[String],
    tx: &CommandSender,
) {
    let path = if prefix.is_empty() {
        s.number.clone()
    } else {
        format!("{prefix}/{}", s.number)
    };
    egui::CollapsingHeader::new(
        RichText::new(tf!("plan.section", number = s.number, title = s.title)).strong(),
    )
    .id_salt(&path)
    .default_open(true)
    .show(ui, |ui| {
        for sub in &s.subsections {
            section_ui(ui, sub, &path, latest, open, plan, form, units, tx);
        }
        for task in &s.tasks {
            let task_path = format!("{path}/{}", task.number);
            if form.as_ref().is_some_and(|f| f.path == task_path) {
                saved_task_editor(ui, form, plan, units, tx);
                ui.add_space(4.0);
                continue;
            }
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(tf!("plan.task-number", number = task.number)).strong());
                ui.label(&task.title);
                if ui
                    .small_button(t("plan.task-edit"))
                    .on_hover_text(t("plan.task-edit-hover"))
                    .clicked()
                {
                    *form = Some(TaskForm::of(&task_path, task));
                }
            });
            ui.indent(&task_path, |ui| {
                ui.horizontal_wrapped(|ui| {
                    for (role, words) in [
                        (Role::Lead, t("plan.lead-units")),
                        (Role::Support, t("plan.support-units")),
                    ] {
                        let names: Vec<&str> = task
                            .responsible_units
                            .iter()
                            .filter(|u| u.role == role)
                            .map(|u| u.name.as_str())
                            .collect();
                        if !names.is_empty() {
                            ui.label(
                                RichText::new(crate::domain::words::fill(
                                    words,
                                    &[("names", &crate::ui::app::join_list(&names, t("app.list")))],
                                ))
                                .weak(),
                            );
                        }
                    }
                    if let Some(d) = task.deadline {
                        ui.label(RichText::new(tf!("plan.deadline", date = d)).weak());
                    }
                });
                for ind in plan
                    .indicators
                    .iter()
                    .filter(|i| i.task.as_deref() == Some(task_path.as_str()))
                {
                    let st = plan.status.indicators.iter().find(|s| s.id == ind.id);
                    ui.horizontal(|ui| {
                        if let Some(st) = st {
                            ui.label(
                                RichText::new("●")
                                    .color(widgets::status_color(st.evaluation.status)),
                            );
                        }
                        let label = st.map_or(ind.name.as_str(), |st| st.label.as_str());
                        if ui.link(label).clicked() {
                            *open = Some(ind.id);
                        }
                        ui.label(
                            RichText::new(widgets::target(
                                ind.comparator,
                                ind.target,
                                ind.unit.as_deref(),
                            ))
                            .weak(),
                        );
                        if let Some(st) = st {
                            ui.label(RichText::new(widgets::actual(st)).weak());
                        }
                    });
                }
                if let Some((p, unit, text)) = latest.get(task_path.as_str()) {
                    ui.label(
                        RichText::new(tf!(
                            "plan.latest",
                            period = widgets::period(*p),
                            unit = unit,
                            text = text
                        ))
                        .italics(),
                    );
                }
            });
            ui.add_space(4.0);
        }
    });
}

/// Reviewing an extracted draft.
/// The review of an extracted draft: the proposals listed on the left, the
/// chosen one's every field on the right with its phrase highlighted in the
/// plan text below; an indicator the extractor missed is added from text
/// selected there (or blank), one is confirmed, dropped or moved to another
/// task.
fn review(app: &mut App, ui: &mut Ui) {
    let units: Vec<String> = app
        .data
        .as_ref()
        .map(|d| d.units.iter().map(|u| u.name.clone()).collect())
        .unwrap_or_default();
    let tx = app.tx.clone();
    let selected = &mut app.state.draft_selected;
    let passage = &mut app.state.draft_passage;
    let task_form = &mut app.state.task_form;
    let draft_form = &mut app.state.draft_form;
    let Some((draft, text)) = app.state.draft.as_mut() else {
        return;
    };
    ui.horizontal(|ui| {
        ui.heading(tf!("plan.review-title", title = draft.plan.display_title()));
    });
    ui.label(tf!(
        "plan.review-summary",
        tasks = draft.plan.tasks_with_paths().len(),
        indicators = draft.plan.indicators.len()
    ));
    ui.horizontal(|ui| {
        if ui.button(RichText::new(t("plan.save")).strong()).clicked() {
            tx.send(Command::SaveDraft);
        }
        if ui.button(t("plan.accept-all")).clicked() {
            for i in 0..draft.plan.indicators.len() {
                if draft.review[i] == Review::Proposed {
                    draft.accept(i);
                }
            }
        }
        if ui.button(t("plan.add-blank")).clicked() {
            let task = selected
                .and_then(|i| draft.plan.indicators.get(i))
                .and_then(|i| i.task.clone());
            *selected = Some(draft.add(blank_indicator(task)));
        }
        if ui.button(t("plan.discard")).clicked() {
            tx.send(Command::DiscardDraft);
        }
    });
    ui.separator();
    let tasks: Vec<String> = draft
        .plan
        .tasks_with_paths()
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    ui.columns(2, |cols| {
        proposals(&mut cols[0], draft, selected);
        let ui = &mut cols[1];
        let Some(i) = selected.filter(|i| *i < draft.plan.indicators.len()) else {
            ui.label(RichText::new(t("plan.choose-one")).weak());
            plan_text(ui, draft, text.as_deref(), None, selected, passage);
            return;
        };
        let mut ind = draft.plan.indicators[i].clone();
        let changed = egui::ScrollArea::vertical()
            .id_salt("draft-fields")
            .max_height(ui.available_height() * 0.55)
            .show(ui, |ui| {
                let changed = draft_fields(ui, i, &mut ind, draft_form, &tasks, &units);
                if let Some(path) = ind.task.clone() {
                    draft_task(ui, &mut draft.plan, &path, task_form, &units);
                }
                changed
            })
            .inner;
        if changed {
            draft.edit(i, ind.clone());
        }
        plan_text(
            ui,
            draft,
            text.as_deref(),
            Some(&ind.phrase),
            selected,
            passage,
        );
    });
}

/// A new indicator with nothing filled in but its task.
fn blank_indicator(task: Option<String>) -> crate::domain::PlanIndicator {
    crate::domain::PlanIndicator {
        id: None,
        task,
        phrase: String::new(),
        name: t("plan.new-indicator").into(),
        comparator: crate::domain::Comparator::Ge,
        target: 0.0,
        target_max: None,
        unit: None,
        better: None,
        baseline: None,
        scope: crate::domain::Scope::City,
        kind: crate::domain::Kind::New,
        aggregation: None,
        reporting_units: None,
        city_reporter: None,
        deadline: None,
        confidence: None,
    }
}

/// The proposals: state, task, name and target; a click chooses one.
fn proposals(ui: &mut Ui, draft: &mut crate::plan_text::PlanDraft, selected: &mut Option<usize>) {
    egui::ScrollArea::vertical()
        .id_salt("draft-list")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            egui::Grid::new("draft-indicators")
                .striped(true)
                .num_columns(4)
                .show(ui, |ui| {
                    for h in [
                        t("plan.col-review"),
                        t("plan.col-task"),
                        t("plan.col-indicator"),
                        t("plan.col-target"),
                    ] {
                        ui.strong(h);
                    }
                    ui.end_row();
                    for i in 0..draft.plan.indicators.len() {
                        let state = draft.review[i];
                        let dropped = state == Review::Dropped;
                        ui.horizontal(|ui| {
                            ui.label(match state {
                                Review::Proposed => t("plan.review-proposed"),
                                Review::Accepted => t("plan.review-accepted"),
                                Review::Edited => t("plan.review-edited"),
                                Review::Dropped => t("plan.review-dropped"),
                            });
                            if state != Review::Accepted
                                && !dropped
                                && ui.small_button(t("plan.accept")).clicked()
                            {
                                draft.accept(i);
                            }
                            if !dropped && ui.small_button(t("plan.drop")).clicked() {
                                draft.drop_indicator(i);
                            }
                            if dropped && ui.small_button(t("plan.undrop")).clicked() {
                                draft.accept(i);
                            }
                        });
                        let ind = &draft.plan.indicators[i];
                        ui.label(ind.task.clone().unwrap_or_default());
                        let name = if dropped {
                            RichText::new(&ind.name).strikethrough().weak()
                        } else {
                            RichText::new(&ind.name)
                        };
                        if ui.selectable_label(*selected == Some(i), name).clicked() {
                            *selected = Some(i);
                        }
                        ui.label(widgets::target(
                            ind.comparator,
                            ind.target,
                            ind.unit.as_deref(),
                        ));
                        ui.end_row();
                    }
                });
        });
}

/// Every field of a proposed indicator: its task, then the editor a saved
/// indicator has, on the typed form kept in `form`. Returns whether one
/// changed.
fn draft_fields(
    ui: &mut Ui,
    i: usize,
    ind: &mut crate::domain::PlanIndicator,
    form: &mut Option<(usize, FieldsForm)>,
    tasks: &[String],
    units: &[String],
) -> bool {
    let before = ind.clone();
    egui::Grid::new("draft-task-row")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            ui.label(t("plan.field-task"));
            egui::ComboBox::from_id_salt("draft-task")
                .selected_text(ind.task.clone().unwrap_or_else(|| t("plan.no-task").into()))
                .height(300.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut ind.task, None, t("plan.no-task"));
                    for task in tasks {
                        ui.selectable_value(&mut ind.task, Some(task.clone()), task.as_str());
                    }
                });
            ui.end_row();
        });
    let f = match form {
        Some((k, f)) if *k == i => f,
        slot => &mut slot.insert((i, FieldsForm::of_draft(ind))).1,
    };
    if fields::editor(ui, "draft", f, units, None, true) {
        f.apply_to_draft(ind);
    }
    let problems = f.check(false).problems;
    if !problems.is_empty() {
        ui.label(
            RichText::new(fields::problems_line(
                &problems.iter().map(|p| p.words()).collect::<Vec<_>>(),
            ))
            .weak(),
        );
    }
    *ind != before
}

/// A plan's text with a phrase highlighted and brought into view the first
/// time it is shown; returns the text selected in it, if any. The draft
/// review and the saved indicator's editor both show the plan this way.
pub fn highlighted_text(
    ui: &mut Ui,
    text: &str,
    phrase: Option<&str>,
    salt: &str,
) -> Option<String> {
    let phrase = phrase.map(str::trim).filter(|p| !p.is_empty());
    let at = phrase.and_then(|p| text.find(p));
    let mut layouter = |ui: &Ui, buf: &dyn egui::TextBuffer, wrap: f32| {
        let s = buf.as_str();
        let font = egui::TextStyle::Body.resolve(ui.style());
        let normal = egui::TextFormat::simple(font.clone(), ui.visuals().text_color());
        let mut mark = egui::TextFormat::simple(font, ui.visuals().strong_text_color());
        mark.background = egui::Color32::from_rgb(0xff, 0xe0, 0x82);
        let mut job = egui::text::LayoutJob::default();
        match at.zip(phrase) {
            Some((a, p)) if a + p.len() <= s.len() => {
                job.append(&s[..a], 0.0, normal.clone());
                job.append(&s[a..a + p.len()], 0.0, mark);
                job.append(&s[a + p.len()..], 0.0, normal);
            }
            _ => job.append(s, 0.0, normal),
        }
        job.wrap.max_width = wrap;
        ui.fonts_mut(|f| f.layout_job(job))
    };
    let mut shown = text;
    let out = egui::TextEdit::multiline(&mut shown)
        .desired_width(f32::INFINITY)
        .layouter(&mut layouter)
        .id_salt(salt)
        .show(ui);
    if let Some(a) = at {
        // Bring the phrase into view the first time it is shown.
        let chars = text[..a].chars().count();
        let rect = out
            .galley
            .pos_from_cursor(egui::text::CCursor::new(chars))
            .translate(out.galley_pos.to_vec2());
        let id = ui.scope_id().with(("scrolled", a));
        if !ui.data(|d| d.get_temp::<bool>(id).unwrap_or(false)) {
            ui.scroll_to_rect(rect, Some(egui::Align::Center));
            ui.data_mut(|d| d.insert_temp(id, true));
        }
    }
    out.cursor_range.and_then(|r| {
        let [a, b] = r.sorted_cursors();
        let (a, b): (usize, usize) = (a.index.into(), b.index.into());
        (b > a).then(|| text.chars().skip(a).take(b - a).collect::<String>())
    })
}

/// The plan's text, the chosen indicator's phrase highlighted; text selected
/// here becomes a new indicator.
fn plan_text(
    ui: &mut Ui,
    draft: &mut crate::plan_text::PlanDraft,
    text: Option<&str>,
    phrase: Option<&str>,
    selected: &mut Option<usize>,
    passage: &mut String,
) {
    let Some(text) = text else {
        return;
    };
    ui.separator();
    let year = draft.plan.year;
    let task = selected
        .and_then(|i| draft.plan.indicators.get(i))
        .and_then(|i| i.task.clone());
    let output = egui::ScrollArea::vertical()
        .id_salt(("plan-text", phrase.and_then(|p| text.find(p.trim()))))
        .auto_shrink([false, false])
        // Room below for the passage and the button that adds it.
        .max_height((ui.available_height() - 64.0).max(120.0))
        .show(ui, |ui| highlighted_text(ui, text, phrase, "plan-source"));
    // The selection is reported while the text has the focus; clicking the
    // button takes the focus, so the last one is kept until the text is
    // clicked again.
    let kept = ui.scope_id().with("plan-text-selection");
    let chosen: Option<String> = match output.inner {
        Some(sel) => {
            ui.data_mut(|d| d.insert_temp(kept, sel.clone()));
            Some(sel)
        }
        None => ui.data(|d| d.get_temp::<String>(kept)),
    }
    // Or a passage pasted (from the document in a word processor).
    .or_else(|| Some(passage.trim().to_string()).filter(|p| !p.is_empty()));
    ui.horizontal(|ui| {
        let label = ui.label(t("plan.paste"));
        ui.add(
            egui::TextEdit::singleline(passage)
                .desired_width(360.0)
                .id_salt("draft-passage"),
        )
        .labelled_by(label.id);
    });
    ui.horizontal(|ui| {
        let found = chosen
            .as_deref()
            .map(|p| crate::plan_text::indicators_in(p, year, task.as_deref()))
            .unwrap_or_default();
        let label = match (&chosen, found.len()) {
            (None, _) => t("plan.select-hint").to_string(),
            (Some(_), 0) => t("plan.select-none").to_string(),
            (Some(_), n) => tf!("plan.select-found", n = n),
        };
        if ui
            .add_enabled(
                !found.is_empty(),
                egui::Button::new(t("plan.add-from-selection")),
            )
            .clicked()
        {
            for ind in found {
                *selected = Some(draft.add(ind));
            }
            ui.data_mut(|d| d.remove::<String>(kept));
            passage.clear();
        }
        ui.label(RichText::new(label).weak());
    });
}

/// The draft's task of the chosen indicator, in the same editor as a saved
/// plan's; a change goes into the draft at once (saved with the plan).
fn draft_task(
    ui: &mut Ui,
    plan: &mut crate::domain::PlanDoc,
    path: &str,
    form: &mut Option<TaskForm>,
    units: &[String],
) {
    let Some(task) = plan.task_mut(path) else {
        return;
    };
    let f = match form {
        Some(f) if f.path == path => f,
        slot => slot.insert(TaskForm::of(path, task)),
    };
    egui::CollapsingHeader::new(RichText::new(tf!("plan.draft-task", path = path)).strong())
        .id_salt(("draft-task", path))
        .default_open(false)
        .show(ui, |ui| {
            if task_editor(ui, f, units) {
                if !f.title.trim().is_empty() {
                    task.title = f.title.trim().to_string();
                }
                if let Ok(d) = f.deadline() {
                    task.deadline = d;
                }
                task.responsible_units = f.units();
            }
        });
}

/// The saved plan's task in its editor, with 保存 / 取消.
fn saved_task_editor(
    ui: &mut Ui,
    form: &mut Option<TaskForm>,
    plan: &crate::ui::data::Loaded,
    units: &[String],
    tx: &CommandSender,
) {
    let Some(f) = form.as_mut() else {
        return;
    };
    let mut close = false;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        task_editor(ui, f, units);
        ui.horizontal(|ui| {
            let deadline = f.deadline();
            let ok = deadline.is_ok() && !f.title.trim().is_empty();
            if ui
                .add_enabled(ok, egui::Button::new(t("plan.task-save")))
                .clicked()
                && let Ok(deadline) = deadline
            {
                tx.run(crate::ui::jobs::edit_task(
                    plan.summary.id,
                    f.path.clone(),
                    crate::store::TaskFields {
                        title: f.title.clone(),
                        deadline,
                        units: f.units(),
                    },
                ));
                close = true;
            }
            if ui.button(t("common.cancel")).clicked() {
                close = true;
            }
        });
    });
    if close {
        *form = None;
    }
}

/// A task's title, deadline and lead / supporting units (picked from the
/// catalogue): one editor for a draft's task and the saved plan's.
/// Returns whether anything changed this frame.
pub fn task_editor(ui: &mut Ui, f: &mut TaskForm, units: &[String]) -> bool {
    let mut changed = false;
    egui::Grid::new(("task-editor", f.path.as_str()))
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            ui.label(t("plan.task-path"));
            ui.label(RichText::new(&f.path).monospace());
            ui.end_row();
            let l = ui.label(t("plan.task-title"));
            changed |= ui
                .add(
                    egui::TextEdit::multiline(&mut f.title)
                        .desired_rows(2)
                        .desired_width(520.0),
                )
                .labelled_by(l.id)
                .changed();
            ui.end_row();
            let l = ui.label(t("plan.task-deadline"));
            ui.horizontal(|ui| {
                changed |= ui
                    .add(
                        egui::TextEdit::singleline(&mut f.deadline)
                            .hint_text("YYYY-MM-DD")
                            .desired_width(120.0),
                    )
                    .labelled_by(l.id)
                    .changed();
                if f.deadline().is_err() {
                    ui.colored_label(
                        Color32::from_rgb(0xc6, 0x28, 0x28),
                        t("plan.task-deadline-bad"),
                    );
                }
            });
            ui.end_row();
            for (label, list, id) in [
                (t("plan.task-lead"), &mut f.lead, "lead"),
                (t("plan.task-support"), &mut f.support, "support"),
            ] {
                ui.label(label);
                ui.horizontal_wrapped(|ui| {
                    let mut remove = None;
                    for (k, name) in list.iter().enumerate() {
                        if ui
                            .small_button(format!("{name} ×"))
                            .on_hover_text(t("plan.task-unit-remove"))
                            .clicked()
                        {
                            remove = Some(k);
                        }
                    }
                    if let Some(k) = remove {
                        list.remove(k);
                        changed = true;
                    }
                    let mut add = None;
                    let combo = egui::ComboBox::from_id_salt(("task-unit", id, f.path.as_str()))
                        .selected_text(t("plan.task-unit-add"))
                        .width(160.0)
                        .show_ui(ui, |ui| {
                            for u in units {
                                if !list.contains(u) && ui.selectable_label(false, u).clicked() {
                                    add = Some(u.clone());
                                }
                            }
                        });
                    combo.response.on_hover_text(label);
                    if let Some(u) = add {
                        list.push(u);
                        changed = true;
                    }
                });
                ui.end_row();
            }
        });
    changed
}

/// The plan's retired indicators, each with 恢复.
fn retired(ui: &mut Ui, plan: &crate::ui::data::Loaded, tx: &CommandSender) {
    if plan.retired.is_empty() {
        return;
    }
    ui.add_space(12.0);
    egui::CollapsingHeader::new(
        RichText::new(tf!("plan.retired-title", n = plan.retired.len())).strong(),
    )
    .id_salt("retired")
    .default_open(true)
    .show(ui, |ui| {
        ui.label(RichText::new(t("plan.retired-note")).weak());
        for ind in &plan.retired {
            ui.horizontal(|ui| {
                ui.label(RichText::new(&ind.code).monospace().weak());
                ui.label(&ind.name);
                if ui.small_button(t("plan.retired-restore")).clicked() {
                    tx.run(crate::ui::jobs::set_retired(ind.id, false, String::new()));
                }
            });
        }
    });
}

/// An indicator added to the saved plan: read from a passage of the plan
/// (pasted), or typed in the fields editor; its task chosen.
fn new_indicator(
    ui: &mut Ui,
    adding: &mut Option<NewIndicator>,
    plan: &crate::ui::data::Loaded,
    units: &[String],
    tx: &CommandSender,
) {
    let Some(n) = adding.as_mut() else {
        return;
    };
    let mut close = false;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.strong(t("plan.add-indicator-title"));
        ui.horizontal(|ui| {
            let label = ui.label(t("plan.paste"));
            ui.add(
                egui::TextEdit::singleline(&mut n.passage)
                    .desired_width(420.0)
                    .id_salt("new-passage"),
            )
            .labelled_by(label.id);
            let found = crate::plan_text::indicators_in(
                n.passage.trim(),
                plan.summary.year,
                n.task.as_deref(),
            );
            if ui
                .add_enabled(
                    found.len() == 1,
                    egui::Button::new(t("plan.fill-from-passage")),
                )
                .on_hover_text(t("plan.fill-from-passage-hover"))
                .clicked()
            {
                n.form = FieldsForm::of_draft(&found[0]);
            }
        });
        let tasks = plan.doc.tasks_with_paths();
        ui.horizontal(|ui| {
            let label = ui.label(t("plan.field-task"));
            let shown = n
                .task
                .as_deref()
                .and_then(|p| tasks.iter().find(|(x, _)| x == p))
                .map(|(p, task)| tf!("indicator.task-choice", path = p, title = task.title))
                .unwrap_or_else(|| t("plan.no-task").into());
            egui::ComboBox::from_id_salt("new-task")
                .selected_text(shown)
                .width(480.0)
                .truncate()
                .height(300.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut n.task, None, t("plan.no-task"));
                    for (p, task) in &tasks {
                        ui.selectable_value(
                            &mut n.task,
                            Some(p.clone()),
                            tf!("indicator.task-choice", path = p, title = task.title),
                        );
                    }
                })
                .response
                .labelled_by(label.id);
        });
        fields::editor(ui, "new", &mut n.form, units, None, true);
        let problems = n.form.check(false).problems;
        ui.horizontal(|ui| {
            if ui
                .add_enabled(
                    problems.is_empty(),
                    egui::Button::new(RichText::new(t("plan.add-indicator-save")).strong()),
                )
                .clicked()
            {
                let mut ind = blank_indicator(n.task.clone());
                n.form.apply_to_draft(&mut ind);
                ind.phrase = n.passage.trim().to_string();
                tx.run(crate::ui::jobs::add_indicator(plan.summary.id, ind));
                close = true;
            }
            if ui.button(t("common.cancel")).clicked() {
                close = true;
            }
            if !problems.is_empty() {
                ui.label(
                    RichText::new(fields::problems_line(
                        &problems.iter().map(|p| p.words()).collect::<Vec<_>>(),
                    ))
                    .weak(),
                );
            }
        });
    });
    if close {
        *adding = None;
    }
    ui.add_space(8.0);
}
