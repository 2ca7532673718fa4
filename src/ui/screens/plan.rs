//! The plan: the task tree with responsible units, deadlines and the latest
//! progress text of each task's indicators; and the review of an extracted
//! draft before it is saved (accept, edit, drop each indicator).

use crate::domain::{PlanSection, Role};
use crate::plan_text::Review;
use crate::ui::app::{App, Command};
use crate::ui::widgets;
use egui::{RichText, Ui};
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
            RichText::new(format!(
                "{} {}年",
                doc.issuer.as_deref().unwrap_or(""),
                doc.year
            ))
            .weak(),
        );
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .button("导入另一份计划…")
                .on_hover_text("另一年度或另一项工作的计划，与本计划并存；导入后在顶部切换")
                .clicked()
            {
                app.tx
                    .send(Command::PickFile(crate::ui::files::FileRequest::open(
                        "导入计划文件",
                        ("计划文件", &["txt", "docx"]),
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
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for section in &doc.sections {
                section_ui(ui, section, "", &latest, &mut open, plan);
            }
        });
    if let Some(id) = open {
        app.tx.send(Command::OpenIndicator(id));
    }
}

fn section_ui(
    ui: &mut Ui,
    s: &PlanSection,
    prefix: &str,
    latest: &HashMap<&str, (crate::domain::Period, String, String)>,
    open: &mut Option<i64>,
    plan: &crate::ui::data::Loaded,
) {
    let path = if prefix.is_empty() {
        s.number.clone()
    } else {
        format!("{prefix}/{}", s.number)
    };
    egui::CollapsingHeader::new(RichText::new(format!("{}、{}", s.number, s.title)).strong())
        .id_salt(&path)
        .default_open(true)
        .show(ui, |ui| {
            for sub in &s.subsections {
                section_ui(ui, sub, &path, latest, open, plan);
            }
            for t in &s.tasks {
                let task_path = format!("{path}/{}", t.number);
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(format!("{}．", t.number)).strong());
                    ui.label(&t.title);
                });
                ui.indent(&task_path, |ui| {
                    ui.horizontal_wrapped(|ui| {
                        for (role, label) in [(Role::Lead, "责任单位"), (Role::Support, "配合单位")]
                        {
                            let names: Vec<&str> = t
                                .responsible_units
                                .iter()
                                .filter(|u| u.role == role)
                                .map(|u| u.name.as_str())
                                .collect();
                            if !names.is_empty() {
                                ui.label(
                                    RichText::new(format!("{label}：{}", names.join("、"))).weak(),
                                );
                            }
                        }
                        if let Some(d) = t.deadline {
                            ui.label(RichText::new(format!("完成时限：{d}")).weak());
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
                            RichText::new(format!(
                                "最新进展（{}，{unit}）：{text}",
                                widgets::period(*p)
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
    let Some((draft, text)) = app.state.draft.as_mut() else {
        return;
    };
    ui.horizontal(|ui| {
        ui.heading(format!("审核识别结果：{}", draft.plan.display_title()));
    });
    ui.label(format!(
        "共识别 {} 项任务、{} 个指标。逐个确认、修改或删除指标；漏识别的指标可在原文中选中后添加。",
        draft.plan.tasks_with_paths().len(),
        draft.plan.indicators.len()
    ));
    ui.horizontal(|ui| {
        if ui.button(RichText::new("保存计划").strong()).clicked() {
            tx.send(Command::SaveDraft);
        }
        if ui.button("全部确认").clicked() {
            for i in 0..draft.plan.indicators.len() {
                if draft.review[i] == Review::Proposed {
                    draft.accept(i);
                }
            }
        }
        if ui.button("添加空白指标").clicked() {
            let task = selected
                .and_then(|i| draft.plan.indicators.get(i))
                .and_then(|i| i.task.clone());
            *selected = Some(draft.add(blank_indicator(task)));
        }
        if ui.button("放弃").clicked() {
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
            ui.label(RichText::new("在左侧选择一个指标以查看、修改全部字段。").weak());
            plan_text(ui, draft, text.as_deref(), None, selected, passage);
            return;
        };
        let mut ind = draft.plan.indicators[i].clone();
        let changed = egui::ScrollArea::vertical()
            .id_salt("draft-fields")
            .max_height(ui.available_height() * 0.55)
            .show(ui, |ui| draft_fields(ui, &mut ind, &tasks, &units))
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
        name: "新指标".into(),
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
                    for h in ["审核", "任务", "指标", "目标"] {
                        ui.strong(h);
                    }
                    ui.end_row();
                    for i in 0..draft.plan.indicators.len() {
                        let state = draft.review[i];
                        let dropped = state == Review::Dropped;
                        ui.horizontal(|ui| {
                            ui.label(match state {
                                Review::Proposed => "待审核",
                                Review::Accepted => "已确认",
                                Review::Edited => "已修改",
                                Review::Dropped => "已删除",
                            });
                            if state != Review::Accepted
                                && !dropped
                                && ui.small_button("确认").clicked()
                            {
                                draft.accept(i);
                            }
                            if !dropped && ui.small_button("删除").clicked() {
                                draft.drop_indicator(i);
                            }
                            if dropped && ui.small_button("恢复").clicked() {
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

/// Every field of a proposed indicator. Returns whether one changed.
fn draft_fields(
    ui: &mut Ui,
    ind: &mut crate::domain::PlanIndicator,
    tasks: &[String],
    units: &[String],
) -> bool {
    use crate::domain::{Better, Comparator, Kind, Scope};
    let before = ind.clone();
    egui::Grid::new("draft-fields")
        .num_columns(2)
        .spacing([10.0, 6.0])
        .show(ui, |ui| {
            let label = ui.label("名称");
            ui.add(
                egui::TextEdit::singleline(&mut ind.name)
                    .desired_width(360.0)
                    .id_salt("draft-name"),
            )
            .labelled_by(label.id);
            ui.end_row();
            ui.label("所属任务");
            egui::ComboBox::from_id_salt("draft-task")
                .selected_text(ind.task.clone().unwrap_or_else(|| "（无）".into()))
                .height(300.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut ind.task, None, "（无）");
                    for t in tasks {
                        ui.selectable_value(&mut ind.task, Some(t.clone()), t.as_str());
                    }
                });
            ui.end_row();
            ui.label("目标");
            ui.horizontal(|ui| {
                egui::ComboBox::from_id_salt("draft-comparator")
                    .selected_text(widgets::comparator_name(ind.comparator))
                    .show_ui(ui, |ui| {
                        for c in Comparator::ALL {
                            ui.selectable_value(
                                &mut ind.comparator,
                                *c,
                                widgets::comparator_name(*c),
                            );
                        }
                    });
                ui.add(egui::DragValue::new(&mut ind.target).speed(1.0));
                let mut unit = ind.unit.clone().unwrap_or_default();
                let label = ui.label("计量单位");
                if ui
                    .add(
                        egui::TextEdit::singleline(&mut unit)
                            .desired_width(70.0)
                            .id_salt("draft-unit"),
                    )
                    .labelled_by(label.id)
                    .changed()
                {
                    ind.unit = Some(unit).filter(|u| !u.trim().is_empty());
                }
            });
            ui.end_row();
            ui.label("上限 / 基数");
            ui.horizontal(|ui| {
                optional_number(ui, &mut ind.target_max, "上限");
                optional_number(ui, &mut ind.baseline, "基数");
            });
            ui.end_row();
            ui.label("方向");
            ui.horizontal(|ui| {
                ui.selectable_value(&mut ind.better, None, "按比较符");
                for b in Better::ALL {
                    ui.selectable_value(&mut ind.better, Some(*b), widgets::better_name(*b));
                }
            });
            ui.end_row();
            ui.label("类型");
            ui.horizontal_wrapped(|ui| {
                for k in Kind::ALL {
                    ui.selectable_value(&mut ind.kind, *k, widgets::kind_name(*k));
                }
            });
            ui.end_row();
            ui.label("目标范围");
            ui.horizontal(|ui| {
                for sc in Scope::ALL {
                    ui.selectable_value(&mut ind.scope, *sc, widgets::scope_name(*sc));
                }
            });
            ui.end_row();
            widgets::reporting_rows(
                ui,
                "draft",
                &mut ind.aggregation,
                &mut ind.city_reporter,
                &mut ind.reporting_units,
                units,
                None,
            );
            ui.label("完成时限");
            ui.horizontal(|ui| {
                let mut text = ind.deadline.map(|d| d.to_string()).unwrap_or_default();
                let r = ui.add(
                    egui::TextEdit::singleline(&mut text)
                        .desired_width(110.0)
                        .hint_text("年底")
                        .id_salt("draft-deadline"),
                );
                if r.changed() {
                    if text.trim().is_empty() {
                        ind.deadline = None;
                    } else if let Ok(d) = text.trim().parse() {
                        ind.deadline = Some(d);
                    }
                }
            });
            ui.end_row();
        });
    *ind != before
}

/// A number that may be absent, typed as text.
fn optional_number(ui: &mut Ui, v: &mut Option<f64>, hint: &str) {
    let mut text = v
        .map(|x| crate::export::number(x, crate::ui::i18n::language()).replace(',', ""))
        .unwrap_or_default();
    let r = ui.add(
        egui::TextEdit::singleline(&mut text)
            .desired_width(80.0)
            .hint_text(hint)
            .id_salt(("draft-number", hint)),
    );
    if r.changed() {
        if text.trim().is_empty() {
            *v = None;
        } else if let Ok(x) = text.trim().parse::<f64>() {
            *v = Some(x);
        }
    }
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
    let phrase = phrase.map(str::trim).filter(|p| !p.is_empty());
    let at = phrase.and_then(|p| text.find(p));
    let output = egui::ScrollArea::vertical()
        .id_salt(("plan-text", at))
        .auto_shrink([false, false])
        // Room below for the passage and the button that adds it.
        .max_height((ui.available_height() - 64.0).max(120.0))
        .show(ui, |ui| {
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
                .id_salt("plan-source")
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
        });
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
        let label = ui.label("或粘贴原文");
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
            (None, _) => "在上方原文中选中含目标的文字，即可据此添加指标。".to_string(),
            (Some(_), 0) => "所选文字中没有识别出目标，可“添加空白指标”后手工填写。".to_string(),
            (Some(_), n) => format!("所选文字中识别出 {n} 个指标。"),
        };
        if ui
            .add_enabled(!found.is_empty(), egui::Button::new("用所选文字添加指标"))
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
