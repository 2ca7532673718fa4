//! The window, driven through egui_kittest on the demo ledger: every screen
//! renders with the bundled font (kittest panics on a missing glyph), an
//! import goes through the preview into the ledger and is undone, a row is
//! re-matched by hand, the overview filters (typing Chinese through IME
//! events), meeting mode pages with the arrow keys.

#![cfg(feature = "gui")]

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use taizhang::store::Store;
use taizhang::ui::app::{App, Command, ImportCommand, Rematch, Screen, Settings};
use taizhang::ui::fonts;
use taizhang::ui::jobs;

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("seeds/returns")
        .join(name)
}

/// A demo ledger without the returns (so that the tests import them).
fn ledger(dir: &Path, with_returns: bool) -> PathBuf {
    let path = dir.join("ui.sqlite3");
    let mut store = Store::open(&path).unwrap();
    if with_returns {
        taizhang::cli::demo(&mut store).unwrap();
    } else {
        let units: taizhang::domain::UnitsFile =
            serde_json::from_str(include_str!("../seeds/units_zibo.json")).unwrap();
        store.import_units(&units.units).unwrap();
        let text = include_str!("../seeds/002_170162ee7e3b2779.txt");
        let draft = taizhang::plan_text::extract(text, &Default::default()).unwrap();
        store.import_plan(&draft.into_plan(), Some(text)).unwrap();
    }
    path
}

fn harness(db: PathBuf) -> Harness<'static, App> {
    let app = App::new(db, Settings::default(), Arc::new(|| {}));
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_context_setup(fonts::install)
        .build_ui_state(|ui, app: &mut App| app.ui(ui), app);
    settle(&mut h);
    h
}

/// Steps frames until the worker is idle and the data is loaded.
fn settle(h: &mut Harness<'static, App>) {
    let start = Instant::now();
    loop {
        h.step();
        if !h.state().busy() && h.state().data.is_some() {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the worker did not finish"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    h.run_steps(3);
}

fn send(h: &mut Harness<'static, App>, c: Command) {
    h.state_mut().tx.send(c);
    h.step();
    settle(h);
}

/// Clicks a button inside a scroll area as a mouse does: scrolled into
/// view, the pointer arrives over it a frame before the press (a press with no hover first
/// is taken by the scroll area).
fn press(h: &mut Harness<'static, App>, label: &str) {
    h.get_by_label(label).scroll_to_me();
    h.run_steps(2);
    h.get_by_label(label).hover();
    h.run_steps(1);
    h.get_by_label(label).click();
    h.run_steps(2);
}

/// An IME composition in progress (pinyin being typed).
fn preedit(text: &str) -> egui::Event {
    egui::Event::Ime(egui::ImeEvent::Preedit {
        text: text.into(),
        active_range_chars: None,
    })
}

fn actual(app: &App, name: &str) -> Option<f64> {
    let plan = loaded(app);
    plan.status
        .indicators
        .iter()
        .find(|i| i.name == name)
        .unwrap()
        .evaluation
        .actual
}

#[test]
fn every_screen_renders_with_the_demo_data() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(ledger(dir.path(), true));
    assert_eq!(
        h.state().screen(),
        Screen::Overview,
        "a ledger with a plan opens on the overview"
    );
    assert!(
        !h.query_all_by_label_contains("2023年全市大数据工作要点")
            .collect::<Vec<_>>()
            .is_empty()
    );
    for screen in [
        Screen::Overview,
        Screen::Plan,
        Screen::Indicator,
        Screen::Units,
        Screen::Import,
        Screen::Settings,
        Screen::Welcome,
        Screen::Meeting,
    ] {
        send(&mut h, Command::Show(screen));
        assert_eq!(h.state().screen(), screen);
    }
    // The plan's tasks and the units' ranking are on their screens.
    send(&mut h, Command::Show(Screen::Plan));
    let first_task = {
        let plan = loaded(h.state());
        plan.doc.tasks_with_paths()[0].1.title.clone()
    };
    h.get_by_label(&first_task);
    send(&mut h, Command::Show(Screen::Units));
    h.get_by_label("单位排名（晾晒）");
}

#[test]
fn an_empty_ledger_opens_on_the_welcome_screen_and_builds_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path().join("empty.sqlite3"));
    assert_eq!(h.state().screen(), Screen::Welcome);
    h.get_by_label("打开演示数据").click();
    h.step();
    settle(&mut h);
    settle(&mut h);
    assert_eq!(h.state().screen(), Screen::Overview);
    assert_eq!(h.state().data.as_ref().unwrap().batches.len(), 5);
}

#[test]
fn a_return_goes_through_the_preview_into_the_ledger_and_is_undone() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(ledger(dir.path(), false));
    assert_eq!(actual(h.state(), "新建智慧社区数"), None);
    send(
        &mut h,
        Command::Run(jobs::read_returns(
            vec![sample("张店区_2023年6月_大数据工作进展情况统计表.xlsx")],
            Default::default(),
        )),
    );
    assert_eq!(h.state().screen(), Screen::Import);
    {
        let review = h.state().state.import.as_ref().expect("a preview");
        let f = &review.files[0];
        assert_eq!(f.result.unit.as_deref(), Some("张店区"));
        assert_eq!(f.result.period.as_deref(), Some("2023-06"));
        // One row's name is too far from every indicator this extracted
        // plan has: it waits among the rejects, with its figure, for a hand.
        assert_eq!(f.result.rows.len(), 11);
        assert_eq!(f.result.rejects.len(), 1);
        assert!(
            f.result.rejects[0]
                .why
                .to_string()
                .starts_with("not_in_plan: '智慧应用场景（新型智慧城市优秀案例）数'"),
            "{}",
            f.result.rejects[0].why
        );
    }
    // The window says why in Chinese, naming the row.
    h.get(
        egui_kittest::kittest::by().label_contains(
            "未导入：计划中没有与“智慧应用场景（新型智慧城市优秀案例）数”对应的指标",
        ),
    );
    // The coordinator takes it for the plan's 上榜案例数.
    let cases = loaded(h.state())
        .indicators
        .iter()
        .find(|i| i.name == "上榜案例数")
        .expect("the extracted plan's name for 每个区县上榜案例")
        .id;
    send(
        &mut h,
        Command::Import(ImportCommand::Rematch {
            file: 0,
            which: Rematch::Reject(0),
            indicator: cases,
        }),
    );
    {
        let f = &h.state().state.import.as_ref().unwrap().files[0];
        assert_eq!(f.result.rows.len(), 12);
        assert!(f.result.rejects.is_empty());
        let taken = f.result.rows.iter().find(|r| r.row == 5).unwrap();
        assert_eq!(
            (taken.indicator.as_str(), taken.value),
            ("上榜案例数", Some(7.0))
        );
    }
    h.get_by_label("已手动对应");
    h.get_by_label("确认导入").click();
    h.step();
    settle(&mut h);
    settle(&mut h);
    assert!(
        h.state().state.import.is_none(),
        "{:?}",
        h.state().state.message
    );
    let batches = &h.state().data.as_ref().unwrap().batches;
    assert_eq!(batches.len(), 1);
    assert_eq!(batches[0].rows, 12);
    assert_eq!(actual(h.state(), "新建智慧社区数"), Some(9.0));
    send(&mut h, Command::Show(Screen::Plan));
    {
        // The row's 进展情况 is the task's latest progress on the plan screen.
        let plan = loaded(h.state());
        let ind = plan
            .indicators
            .iter()
            .find(|i| i.name == "新建智慧社区数")
            .unwrap();
        let (period, unit, text) = &plan
            .latest_progress
            .as_ref()
            .expect("loaded for the plan screen")[&ind.id];
        assert_eq!(
            (period.to_string().as_str(), unit.as_str()),
            ("2023-06", "张店区")
        );
        assert!(text.contains("9个社区"), "{text}");
    }
    // The value is on the overview and on the indicator screen.
    send(&mut h, Command::Show(Screen::Overview));
    h.get_by_label("9个");
    let id = {
        let plan = loaded(h.state());
        plan.status
            .indicators
            .iter()
            .find(|i| i.name == "新建智慧社区数")
            .unwrap()
            .id
    };
    send(&mut h, Command::OpenIndicator(id));
    h.get_by_label("实际 9个");
    // Undo from the batch history: first a question that names what
    // changes; nothing happens until it is answered.
    send(&mut h, Command::Show(Screen::Import));
    h.get_by_label("撤销").click();
    h.step();
    settle(&mut h);
    h.get(egui_kittest::kittest::by().label_contains("张店区2023年6月的 12 个数据将不再计入"));
    assert_eq!(
        h.state().data.as_ref().unwrap().batches[0].state,
        "committed"
    );
    h.get_by_label("取消").click();
    h.step();
    settle(&mut h);
    assert!(h.state().state.confirm_undo.is_none());
    assert_eq!(actual(h.state(), "新建智慧社区数"), Some(9.0));
    h.get_by_label("撤销").click();
    h.step();
    settle(&mut h);
    h.get_by_label("确认撤销").click();
    h.step();
    settle(&mut h);
    settle(&mut h);
    assert_eq!(h.state().data.as_ref().unwrap().batches[0].state, "undone");
    assert_eq!(actual(h.state(), "新建智慧社区数"), None);
    // An undone batch comes back.
    h.get_by_label("恢复").click();
    h.step();
    settle(&mut h);
    settle(&mut h);
    assert_eq!(
        h.state().data.as_ref().unwrap().batches[0].state,
        "committed"
    );
    assert_eq!(actual(h.state(), "新建智慧社区数"), Some(9.0));
    assert!(
        h.state()
            .state
            .message
            .as_ref()
            .is_some_and(|(ok, m)| *ok && m.contains("12 个数据重新计入")),
        "{:?}",
        h.state().state.message
    );
}

#[test]
fn a_period_locked_in_the_window_refuses_an_import_in_the_preview() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(ledger(dir.path(), false));
    send(
        &mut h,
        Command::SetAsOf(Some("2023-07-20".parse().unwrap())),
    );
    // The overview offers the lock of the period due (June at 07-20).
    send(&mut h, Command::Show(Screen::Overview));
    h.get_by_label("锁定2023年6月").click();
    h.step();
    settle(&mut h);
    settle(&mut h);
    let june = "2023-06".parse().unwrap();
    assert_eq!(h.state().data.as_ref().unwrap().locked, vec![june]);
    h.get_by_label("2023年6月已锁定");
    // A June return: the preview says the period is locked and offers the
    // unlock; committing anyway is refused and writes nothing.
    send(
        &mut h,
        Command::Run(jobs::read_returns(
            vec![sample("张店区_2023年6月_大数据工作进展情况统计表.xlsx")],
            Default::default(),
        )),
    );
    h.get_by_label("该期别已锁定，确认导入时本文件将被拒绝。");
    h.get_by_label("确认导入").click();
    h.step();
    settle(&mut h);
    settle(&mut h);
    assert!(h.state().data.as_ref().unwrap().batches.is_empty());
    let (ok, msg) = h.state().state.message.clone().unwrap();
    assert!(
        !ok && msg.contains("该期别已锁定") && msg.contains("设置"),
        "{msg}"
    );
    // Unlocked from the preview, the same file goes in.
    h.get_by_label("解锁").click();
    h.step();
    settle(&mut h);
    settle(&mut h);
    assert!(h.state().data.as_ref().unwrap().locked.is_empty());
    h.get_by_label("确认导入").click();
    h.step();
    settle(&mut h);
    settle(&mut h);
    assert_eq!(h.state().data.as_ref().unwrap().batches.len(), 1);
}

/// A return with a row named in words the plan does not use.
fn odd_return(dir: &Path) -> PathBuf {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "淄川区2023年6月重点指标进展")
        .unwrap();
    ws.write_string(1, 0, "指标名称").unwrap();
    ws.write_string(1, 1, "完成值").unwrap();
    ws.write_string(2, 0, "新建智慧社区数").unwrap();
    ws.write_number(2, 1, 4.0).unwrap();
    ws.write_string(3, 0, "机房机柜规模").unwrap();
    ws.write_number(3, 1, 1200.0).unwrap();
    let path = dir.join("淄川区_2023年6月.xlsx");
    wb.save(&path).unwrap();
    path
}

#[test]
fn a_row_is_rematched_by_hand_and_the_name_remembered() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger(dir.path(), false);
    let mut h = harness(db.clone());
    send(
        &mut h,
        Command::Run(jobs::read_returns(
            vec![odd_return(dir.path())],
            Default::default(),
        )),
    );
    {
        let f = &h.state().state.import.as_ref().unwrap().files[0];
        assert_eq!(f.result.rows.len(), 1);
        assert!(
            f.result.rejects[0].why.category() == "not_in_plan",
            "{:?}",
            f.result.rejects
        );
    }
    h.get_by_label("选择指标…").click();
    h.run_steps(4);
    assert!(
        h.state()
            .state
            .import
            .as_ref()
            .unwrap()
            .rematching
            .is_some()
    );
    // Search the list by typing Chinese through the IME.
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "搜索指标")
        .focus();
    h.run_steps(1);
    for e in [
        preedit("jijia"),
        preedit("机架"),
        egui::Event::Ime(egui::ImeEvent::Commit("机架".into())),
    ] {
        h.event(e);
        h.run_steps(1);
    }
    assert_eq!(h.state().state.import.as_ref().unwrap().search, "机架");
    h.get_by_label_contains("数据中心标准机架总数").click();
    h.run_steps(2);
    {
        let review = h.state().state.import.as_ref().unwrap();
        let rows = &review.files[0].result.rows;
        assert_eq!(rows.len(), 2);
        assert!(
            rows.iter()
                .any(|r| r.indicator == "数据中心标准机架总数" && r.value == Some(1200.0))
        );
        assert_eq!(
            review.aliases[0],
            vec![("机房机柜规模".to_string(), rows[1].indicator_id)]
        );
    }
    h.get_by_label("确认导入").click();
    h.step();
    settle(&mut h);
    settle(&mut h);
    assert_eq!(actual(h.state(), "数据中心标准机架总数"), Some(1200.0));
    drop(h);
    let store = Store::open(&db).unwrap();
    let aliases = store.indicator_aliases(1).unwrap();
    assert!(
        aliases.iter().any(|(a, _)| a == "机房机柜规模"),
        "{aliases:?}"
    );
}

#[test]
fn the_overview_filters_by_status_and_by_chinese_search() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(ledger(dir.path(), true));
    let total = loaded(h.state()).status.indicators.len();
    h.get_by_label(&format!("{total} 个指标"));
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "搜索")
        .focus();
    h.run_steps(1);
    h.event(preedit("zhihui"));
    h.run_steps(1);
    h.event(egui::Event::Ime(egui::ImeEvent::Commit("智慧".into())));
    h.run_steps(2);
    assert_eq!(h.state().state.filter.search, "智慧");
    let plan = loaded(h.state());
    let matching = plan
        .status
        .indicators
        .iter()
        .filter(|i| i.name.contains("智慧"))
        .count();
    assert!(matching > 0 && matching < total);
    h.get_by_label(&format!("{matching} 个指标"));
    // Traditional characters find the same rows.
    h.state_mut().state.filter.search = "智慧社區".into();
    h.run_steps(2);
    let folded = plan_count(&h, "智慧社区");
    h.get_by_label(&format!("{folded} 个指标"));
    // A status button filters too.
    h.state_mut().state.filter.search.clear();
    h.run_steps(1);
    let done = loaded(h.state()).status.summary["done"];
    h.get_by_label(&format!("● 已完成 {done}")).click();
    h.run_steps(2);
    h.get_by_label(&format!("{done} 个指标"));
}

/// The plan on screen, as loaded.
fn loaded(app: &App) -> &taizhang::ui::data::Loaded {
    app.data
        .as_ref()
        .expect("the ledger is loaded")
        .plan
        .as_ref()
        .expect("a plan")
}

fn plan_count(h: &Harness<'static, App>, needle: &str) -> usize {
    let plan = loaded(h.state());
    plan.status
        .indicators
        .iter()
        .filter(|i| i.name.contains(needle))
        .count()
}

#[test]
fn meeting_mode_pages_with_the_arrow_keys_and_esc_leaves() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(ledger(dir.path(), true));
    h.get_by_label("会议模式").click();
    h.run_steps(2);
    assert_eq!(h.state().screen(), Screen::Meeting);
    h.get_by_label("自上次会议以来");
    h.key_press(egui::Key::ArrowRight);
    h.run_steps(2);
    h.get_by_label("总体进展");
    h.key_press(egui::Key::ArrowRight);
    h.run_steps(2);
    h.get_by_label("滞后指标");
    h.key_press(egui::Key::ArrowRight);
    h.run_steps(2);
    h.get_by_label("单位排名");
    h.key_press(egui::Key::ArrowRight);
    h.run_steps(2);
    assert_eq!(h.state().state.meeting_page, 3, "the last page stays");
    h.key_press(egui::Key::ArrowLeft);
    h.run_steps(2);
    assert_eq!(h.state().state.meeting_page, 2);
    h.key_press(egui::Key::Escape);
    h.run_steps(2);
    assert_eq!(h.state().screen(), Screen::Overview);
}

#[test]
fn a_plan_document_is_reviewed_then_saved() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path().join("new.sqlite3"));
    assert_eq!(h.state().screen(), Screen::Welcome);
    let doc = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/004_ab0cb6b6d6a23def.txt");
    send(&mut h, Command::Run(jobs::extract_plan(doc)));
    assert_eq!(h.state().screen(), Screen::Plan);
    let proposed = h
        .state()
        .state
        .draft
        .as_ref()
        .expect("a draft")
        .0
        .plan
        .indicators
        .len();
    assert!(proposed > 3, "{proposed}");
    // Drop the first proposal.
    h.get_all_by_label("删除").next().unwrap().click();
    h.run_steps(2);
    // The second: chosen, its fields edited on the right.
    let second = h.state().state.draft.as_ref().unwrap().0.plan.indicators[1]
        .name
        .clone();
    press(&mut h, &second);
    assert_eq!(h.state().state.draft_selected, Some(1));
    // The typed form of the chosen proposal (the editor a saved indicator has).
    h.state_mut()
        .state
        .draft_form
        .as_mut()
        .unwrap()
        .1
        .name
        .clear();
    h.get_by_label("名称").focus();
    h.run_steps(1);
    h.get_by_label("名称").type_text("改过的指标名称");
    h.run_steps(1);
    press(&mut h, "开展次数");
    press(&mut h, "每个单位一个目标");
    press(&mut h, "越低越好");
    // Target, unit of measure, baseline and deadline typed in the editor a
    // saved indicator has.
    {
        let f = &mut h.state_mut().state.draft_form.as_mut().unwrap().1;
        f.target.clear();
        f.unit.clear();
        f.deadline.clear();
    }
    for (label, text) in [
        ("目标值", "12"),
        ("计量单位", "次"),
        ("基数（起点）", "3"),
        ("完成时限", "2022-11-30"),
    ] {
        h.get_by_label(label).focus();
        h.run_steps(1);
        h.get_by_label(label).type_text(text);
        h.run_steps(1);
    }
    // A target the extractor missed, from a passage of the document.
    h.get_by_label("或粘贴原文").focus();
    h.run_steps(1);
    h.get_by_label("或粘贴原文")
        .type_text("全年新增5G基站不少于3000个");
    h.run_steps(2);
    h.get_by_label("所选文字中识别出 1 个指标。");
    press(&mut h, "用所选文字添加指标");
    assert_eq!(
        h.state()
            .state
            .draft
            .as_ref()
            .unwrap()
            .0
            .plan
            .indicators
            .len(),
        proposed + 1
    );
    // Confirm the rest, save.
    press(&mut h, "全部确认");
    press(&mut h, "保存计划");
    settle(&mut h);
    settle(&mut h);
    assert!(h.state().state.draft.is_none());
    let plan = loaded(h.state());
    assert_eq!(plan.indicators.len(), proposed);
    assert_eq!(h.state().screen(), Screen::Overview);
    let edited = plan
        .indicators
        .iter()
        .find(|i| i.name == "改过的指标名称")
        .expect("the edited indicator");
    assert_eq!(edited.kind, taizhang::domain::Kind::CountOfEvents);
    assert_eq!(edited.scope, taizhang::domain::Scope::PerUnit);
    assert_eq!(edited.better, taizhang::domain::Better::Lower);
    assert_eq!(edited.target, 12.0);
    assert_eq!(edited.unit.as_deref(), Some("次"));
    assert_eq!(edited.baseline, Some(3.0));
    assert_eq!(edited.deadline, "2022-11-30".parse().unwrap());
    let added = plan
        .indicators
        .iter()
        .find(|i| i.target == 3000.0)
        .expect("the added indicator");
    assert_eq!(added.unit.as_deref(), Some("个"));
}

#[test]
fn the_bulletin_opens_from_the_overview_and_is_copied() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(ledger(dir.path(), true));
    h.get_by_label("通报文字").click();
    h.step();
    settle(&mut h);
    let text = h.state().state.bulletin.clone().expect("the bulletin");
    assert!(
        text.contains("项量化指标") && text.contains("已完成"),
        "{text}"
    );
    h.run_steps(3);
    h.get_by_label("复制到剪贴板").click();
    h.run_steps(2);
    assert!(
        h.state()
            .state
            .message
            .as_ref()
            .unwrap()
            .1
            .contains("已复制")
    );
    h.get_by_label("关闭").click();
    h.run_steps(2);
    assert!(h.state().state.bulletin.is_none());
}

#[test]
fn every_screen_follows_the_as_of_date() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(ledger(dir.path(), true));
    // The demo's plan year (2023) is over: it opens at its last day, and says so.
    assert_eq!(
        h.state().data.as_ref().unwrap().as_of.to_string(),
        "2023-12-31"
    );
    h.get_by_label_contains("计划年度已结束，按年末");
    send(
        &mut h,
        Command::SetAsOf(Some("2023-06-30".parse().unwrap())),
    );
    h.get_by_label_contains("截至 2023-06-30（所选日期）");
    let plan = loaded(h.state());
    assert_eq!(plan.status.period_due.unwrap().to_string(), "2023-05");
    // 张店区 reported June; 博山区's last return is March.
    assert!(!plan.status.not_reported.iter().any(|u| u == "张店区"));
    assert!(plan.status.not_reported.iter().any(|u| u == "博山区"));
    // 淄川区 reports only in September: not ranked in June, listed apart.
    assert!(plan.ranking.unit("淄川区").is_none());
    assert!(plan.ranking.not_reported.iter().any(|u| u == "淄川区"));
    assert!(plan.ranking.ranked.iter().all(|r| r.reported > 0));
    // No series point after June anywhere.
    assert!(
        plan.series
            .values()
            .flatten()
            .all(|(p, _)| p.to_string().as_str() <= "2023-06")
    );
    // The units screen names the period due and offers June's template.
    send(&mut h, Command::Show(Screen::Units));
    h.get_by_label("2023年5月 未报送单位");
    send(&mut h, Command::SelectUnit("张店区".into()));
    h.get_by_label("导出2023年6月填报模板…");
    // The indicator screen loads only figures up to June.
    let racks = loaded(h.state())
        .status
        .indicators
        .iter()
        .find(|i| i.name == "数据中心标准机架总数")
        .unwrap()
        .id;
    send(&mut h, Command::OpenIndicator(racks));
    settle(&mut h);
    let detail = loaded(h.state()).detail.as_ref().expect("figures loaded");
    assert_eq!(detail.indicator_id, racks);
    assert!(!detail.reports.is_empty());
    assert!(detail.reports.iter().all(|r| r.period.month() <= 6));
    h.get_by_label_contains("实际 7,920个");
    // The plan screen's latest progress stops at June too.
    send(&mut h, Command::Show(Screen::Plan));
    settle(&mut h);
    let latest = loaded(h.state()).latest_progress.as_ref().expect("loaded");
    assert!(!latest.is_empty());
    assert!(latest.values().all(|(p, ..)| p.month() <= 6));
    // A date outside the plan year is said.
    send(
        &mut h,
        Command::SetAsOf(Some("2024-03-01".parse().unwrap())),
    );
    h.get_by_label_contains("该日期不在计划年度（2023年）内");
}

#[test]
fn the_indicator_screen_tells_the_two_scene_counts_apart_and_counts_units() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(ledger(dir.path(), true));
    let plan = loaded(h.state());
    let labels: Vec<&str> = plan
        .status
        .indicators
        .iter()
        .filter(|i| i.name == "应用场景数")
        .map(|i| i.label.as_str())
        .collect();
    assert_eq!(labels, ["应用场景数（全市）", "应用场景数（各区县）"]);
    let per_district = plan
        .status
        .indicators
        .iter()
        .find(|i| i.label == "应用场景数（各区县）")
        .unwrap()
        .id;
    send(&mut h, Command::OpenIndicator(per_district));
    settle(&mut h);
    // Per district: how many units meet their target, never a fraction of 个.
    h.get_by_label("实际 3/11 个单位达标");
    h.get_by_label_contains("各单位完成情况");
    // Every reporting district has its own bar, named.
    for unit in ["张店区", "博山区", "文昌湖省级旅游度假区"] {
        assert!(h.query_all_by_label(unit).count() >= 1, "{unit} has a bar");
    }
}

#[test]
fn a_figure_is_corrected_by_hand_with_its_reason_and_both_are_in_the_history() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(ledger(dir.path(), true));
    send(
        &mut h,
        Command::SetAsOf(Some("2023-07-20".parse().unwrap())),
    );
    let id = loaded(h.state())
        .indicators
        .iter()
        .find(|i| i.name == "新建智慧社区数")
        .unwrap()
        .id;
    let before = actual(h.state(), "新建智慧社区数").unwrap();
    send(&mut h, Command::OpenIndicator(id));
    h.get_by_label("录入 / 更正数据").click();
    h.step();
    settle(&mut h);
    // The unit is picked (the list's names also label the unit bars).
    h.state_mut().state.figure_form.as_mut().unwrap().unit = "张店区".into();
    h.run_steps(2);
    h.get(egui_kittest::kittest::by().label_contains("当前：9个（导入自 张店区_2023年6月"));
    // The field starts at the current figure; it is cleared and typed.
    h.state_mut()
        .state
        .figure_form
        .as_mut()
        .unwrap()
        .value
        .clear();
    h.get_by_label("数值").focus();
    h.run_steps(1);
    h.get_by_label("数值").type_text("10");
    h.run_steps(2);
    // An imported figure is not corrected without a reason.
    h.get_by_label("请填写更正理由。");
    h.get_by_label("更正理由（必填）").focus();
    h.get_by_label("更正理由（必填）").type_text("区县来函更正");
    h.run_steps(2);
    h.get_by_label("保存更正").click();
    h.step();
    settle(&mut h);
    settle(&mut h);
    assert_eq!(actual(h.state(), "新建智慧社区数"), Some(before + 1.0));
    h.get(egui_kittest::kittest::by().label_contains("当前：10个（手工录入"));
    h.get_by_label("修改记录").click();
    h.step();
    settle(&mut h);
    h.get_by_label("区县来函更正");
    h.get_by_label("9个 → 10个");
    h.get_by_label("更正");
    h.get(
        egui_kittest::kittest::by()
            .label_contains("张店区_2023年6月_大数据工作进展情况统计表.xlsx 第"),
    );
    h.get_by_label("— → 9个");
}

#[test]
fn a_city_target_is_split_evenly_among_the_districts_and_each_is_judged_by_its_share() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger(dir.path(), true);
    let mut h = harness(db.clone());
    send(
        &mut h,
        Command::SetAsOf(Some("2023-07-20".parse().unwrap())),
    );
    let id = loaded(h.state())
        .indicators
        .iter()
        .find(|i| i.name == "新建智慧社区数")
        .unwrap()
        .id;
    send(&mut h, Command::OpenIndicator(id));
    h.get_by_label("任务分解").click();
    h.step();
    settle(&mut h);
    // Nothing to save until something is typed or split.
    {
        use egui_kittest::kittest::NodeT;
        assert!(
            h.get_by_label("保存分解目标")
                .accesskit_node()
                .is_disabled()
        );
    }
    // Below the grid: scrolled into view as a user would.
    press(&mut h, "平均分解");
    h.get_by_label("合计 75个，与全市目标一致。");
    press(&mut h, "保存分解目标");
    settle(&mut h);
    settle(&mut h);
    let store = Store::open(&db).unwrap();
    let plan = store.plan_or_latest(None).unwrap();
    let targets = store.unit_targets(plan.id).unwrap();
    assert_eq!(targets.len(), 11);
    assert_eq!(targets.iter().map(|t| t.target).sum::<f64>(), 75.0);
    // Each district is now judged against its share: 张店区's 9 meets its 7.
    let i = loaded(h.state())
        .status
        .indicators
        .iter()
        .find(|i| i.id == id)
        .unwrap();
    let zhang = i
        .evaluation
        .units
        .iter()
        .find(|u| u.unit == "张店区")
        .unwrap();
    assert_eq!((zhang.target, zhang.actual), (Some(7.0), Some(9.0)));
    // The grid shows what the ledger holds, and the change is in the history.
    h.get_by_label("修改记录").click();
    h.step();
    settle(&mut h);
    assert!(
        h.query_all_by_label("调整分解目标").count() >= 11,
        "one history line per unit"
    );
}

#[test]
fn the_in_window_file_chooser_opens_returns() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(ledger(dir.path(), false));
    send(&mut h, Command::SetInWindowFiles(true));
    h.state_mut().settings.last_dir = Some(sample("x").parent().unwrap().to_path_buf());
    send(&mut h, Command::Show(Screen::Import));
    h.get_by_label("选择文件…").click();
    h.run_steps(3);
    assert!(h.state().state.picker.is_some(), "the chooser is open");
    h.get_by_label("张店区_2023年6月_大数据工作进展情况统计表.xlsx")
        .click();
    h.run_steps(2);
    h.get_by_label("淄川区_2023年前三季度_进展情况统计表.xlsx")
        .click();
    h.run_steps(2);
    h.get_by_label("已选 2 个文件");
    h.get_by_label("打开").click();
    h.step();
    settle(&mut h);
    assert!(h.state().state.picker.is_none());
    assert_eq!(h.state().screen(), Screen::Import);
    let review = h.state().state.import.as_ref().expect("a preview");
    let units: Vec<_> = review
        .files
        .iter()
        .map(|f| f.result.unit.clone().unwrap_or_default())
        .collect();
    assert_eq!(units, ["张店区", "淄川区"]);
}

#[test]
fn a_saved_indicator_is_edited_and_its_target_revised_with_both_targets_in_the_bulletin() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(ledger(dir.path(), true));
    send(
        &mut h,
        Command::SetAsOf(Some("2023-12-31".parse().unwrap())),
    );
    let status = |h: &Harness<'static, App>| {
        loaded(h.state())
            .status
            .indicators
            .iter()
            .find(|i| i.name == "新建智慧社区数")
            .unwrap()
            .clone()
    };
    let before = status(&h);
    let largest = before
        .evaluation
        .units
        .iter()
        .filter_map(|u| u.actual)
        .fold(f64::MIN, f64::max);
    assert!(
        before.evaluation.actual.unwrap() > largest,
        "a sum of several"
    );
    send(&mut h, Command::OpenIndicator(before.id));
    h.get_by_label("修改指标").click();
    h.step();
    settle(&mut h);
    // The city's figure becomes the largest unit's (the list is a combo box).
    h.state_mut()
        .state
        .indicator_form
        .as_mut()
        .unwrap()
        .form
        .aggregation = Some(taizhang::domain::Aggregation::Max);
    h.run_steps(2);
    press(&mut h, "保存修改");
    settle(&mut h);
    settle(&mut h);
    let after = status(&h);
    assert_eq!(after.evaluation.actual, Some(largest));
    assert_eq!(after.aggregation, taizhang::domain::Aggregation::Max);
    // The target revised: saving waits for the reason.
    h.get_by_label("修改指标").click();
    h.step();
    settle(&mut h);
    h.state_mut()
        .state
        .indicator_form
        .as_mut()
        .unwrap()
        .form
        .target
        .clear();
    h.get_by_label("目标值").focus();
    h.run_steps(1);
    h.get_by_label("目标值").type_text("80");
    h.run_steps(2);
    h.get(egui_kittest::kittest::by().label_contains("请填写调整理由"));
    h.get_by_label("调整理由").focus();
    h.run_steps(1);
    h.get_by_label("调整理由").type_text("市政府常务会议调增");
    h.run_steps(2);
    press(&mut h, "保存修改");
    settle(&mut h);
    settle(&mut h);
    let revised = status(&h);
    assert_eq!(revised.target, 80.0);
    let r = revised.revision.as_ref().expect("a revision");
    assert_eq!(
        (r.original, r.reason.as_str()),
        (75.0, "市政府常务会议调增")
    );
    h.get(egui_kittest::kittest::by().label_contains("原目标75个"));
    send(
        &mut h,
        Command::Run(jobs::bulletin("2023-12-31".parse().unwrap())),
    );
    let text = h.state().state.bulletin.clone().expect("the bulletin");
    assert!(
        text.contains("新建智慧社区数（原目标≥75个，调整后≥80个，市政府常务会议调增）"),
        "{text}"
    );
    // Both changes are in the history, in words.
    send(&mut h, Command::CloseBulletin);
    h.get_by_label("修改记录").click();
    h.step();
    settle(&mut h);
    h.get_by_label("目标值：75 → 80");
    h.get_by_label("全市数的算法：按规则 → 取最大值");
}

#[test]
fn a_second_plan_is_imported_beside_the_first_and_every_screen_follows_the_choice() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(ledger(dir.path(), true));
    let first = loaded(h.state()).summary.clone();
    let before = h.state().data.as_ref().unwrap().plans.len();
    // Another plan document, from the plan screen.
    send(&mut h, Command::Show(Screen::Plan));
    h.get_by_label("导入另一份计划…");
    let doc = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/000_041fee072608d777.txt");
    send(&mut h, Command::Run(jobs::extract_plan(doc)));
    h.get_by_label("全部确认").click();
    h.run_steps(2);
    h.get_by_label("保存计划").click();
    h.step();
    settle(&mut h);
    settle(&mut h);
    // The window turns to the new plan; the first is kept beside it.
    let second = loaded(h.state()).summary.clone();
    assert_ne!(second.id, first.id);
    assert_eq!(h.state().data.as_ref().unwrap().plans.len(), before + 1);
    assert!(loaded(h.state()).status.summary.values().sum::<usize>() > 0);
    // The bulletin (a job) is the chosen plan's.
    send(
        &mut h,
        Command::Run(jobs::bulletin("2023-12-31".parse().unwrap())),
    );
    let text = h.state().state.bulletin.clone().unwrap();
    assert!(text.contains(&second.title), "{text}");
    send(&mut h, Command::CloseBulletin);
    // The picker in the top bar turns every screen back to the first.
    let picked = format!("{}（{}年）", second.title, second.year);
    h.get(egui_kittest::kittest::by().value(&picked)).click();
    h.run_steps(2);
    h.get_by_label(format!("{}（{}年）", first.title, first.year).as_str())
        .click();
    h.step();
    settle(&mut h);
    assert_eq!(loaded(h.state()).summary.id, first.id);
    send(
        &mut h,
        Command::Run(jobs::bulletin("2023-12-31".parse().unwrap())),
    );
    let text = h.state().state.bulletin.clone().unwrap();
    assert!(text.contains(&first.title), "{text}");
}

#[test]
fn a_units_spreadsheet_is_imported_in_the_window_and_a_unit_renamed() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path().join("new.sqlite3"));
    // A catalogue kept as a spreadsheet.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, t) in ["单位名称", "类型", "别名"].iter().enumerate() {
        ws.write_string(0, c as u16, *t).unwrap();
    }
    ws.write_string(1, 0, "张店区").unwrap();
    ws.write_string(1, 2, "张店").unwrap();
    ws.write_string(2, 0, "淄博市大数据局").unwrap();
    ws.write_string(2, 1, "部门").unwrap();
    wb.save(dir.path().join("名录.xlsx")).unwrap();
    send(&mut h, Command::SetInWindowFiles(true));
    h.state_mut().settings.last_dir = Some(dir.path().to_path_buf());
    send(&mut h, Command::Show(Screen::Units));
    h.get_by_label("单位名录").click();
    h.run_steps(2);
    h.get_by_label("导入名录…").click();
    // The chooser's window sizes itself in its first frame.
    h.run_steps(4);
    h.get_by_label("名录.xlsx").click();
    h.run_steps(2);
    h.get_by_label("打开").click();
    h.step();
    settle(&mut h);
    let units = &h.state().data.as_ref().unwrap().units;
    assert_eq!(units.len(), 2);
    assert_eq!(units[0].aliases, ["张店"]);
    assert_eq!(units[1].kind, taizhang::domain::UnitKind::Department);
    // Renamed in the window: the old name stays as an alias.
    h.get_by_label("淄博市大数据局").click();
    h.run_steps(2);
    h.state_mut().state.unit_form.as_mut().unwrap().rename = "淄博市大数据中心".into();
    h.run_steps(1);
    h.get_by_label("改名").click();
    h.step();
    settle(&mut h);
    let units = &h.state().data.as_ref().unwrap().units;
    assert_eq!(units[1].name, "淄博市大数据中心");
    assert_eq!(units[1].aliases, ["淄博市大数据局"]);
}

#[test]
fn the_change_log_lists_every_change_with_its_author_and_reverts_a_hand_correction() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(ledger(dir.path(), true));
    send(&mut h, Command::SetDisplayName("张三".into()));
    let before = actual(h.state(), "新建智慧社区数");
    let mut entry = taizhang::store::ReportEntry::new(
        "新建智慧社区数",
        "张店区",
        "2023-06".parse().unwrap(),
        10.0,
    );
    entry.reason = Some("区县来函更正".into());
    send(&mut h, Command::Run(jobs::save_figure(entry)));
    send(&mut h, Command::Show(Screen::Audit));
    settle(&mut h);
    let lines = h.state().state.audit.clone().expect("the log is loaded");
    assert_eq!(lines[0].action, taizhang::domain::AuditAction::Correct);
    assert!(lines[0].actor.starts_with("张三（"), "{}", lines[0].actor);
    h.get_by_label("区县来函更正");
    // Filtered to one unit and to corrections, then reverted.
    h.state_mut().state.audit_filter.unit = Some("张店区".into());
    h.state_mut().state.audit_filter.action = Some(taizhang::domain::AuditAction::Correct);
    h.run_steps(2);
    h.get(egui_kittest::kittest::by().label_contains("1 条（共"));
    press(&mut h, "撤回");
    settle(&mut h);
    settle(&mut h);
    assert_eq!(actual(h.state(), "新建智慧社区数"), before);
    let lines = h.state().state.audit.clone().unwrap_or_default();
    assert!(
        h.state()
            .state
            .message
            .as_ref()
            .is_some_and(|(ok, m)| *ok && m.contains("已撤回")),
        "{:?} {}",
        h.state().state.message,
        lines.len()
    );
}

#[test]
fn a_target_is_split_by_last_years_shares() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger(dir.path(), true);
    {
        // Last year's plan with the same indicator, split 3 : 1.
        let mut store = Store::open(&db).unwrap();
        let mut doc = store.plan_doc(1).unwrap();
        doc.year -= 1;
        doc.title = Some(format!("{}（上年）", doc.display_title()));
        for ind in &mut doc.indicators {
            ind.deadline = None;
        }
        let before = store.import_plan(&doc, None).unwrap().plan_id;
        let ind = store
            .find_indicator("新建智慧社区数", Some(before))
            .unwrap();
        store
            .set_unit_targets(&[
                taizhang::store::TargetChange {
                    indicator_id: ind.id,
                    unit: "张店区".into(),
                    target: Some(30.0),
                },
                taizhang::store::TargetChange {
                    indicator_id: ind.id,
                    unit: "淄川区".into(),
                    target: Some(10.0),
                },
            ])
            .unwrap();
    }
    let mut h = harness(db.clone());
    let first = h
        .state()
        .data
        .as_ref()
        .unwrap()
        .plans
        .iter()
        .find(|p| p.id == 1)
        .unwrap()
        .id;
    send(&mut h, Command::SelectPlan(first));
    let id = loaded(h.state())
        .indicators
        .iter()
        .find(|i| i.name == "新建智慧社区数")
        .unwrap()
        .id;
    send(&mut h, Command::OpenIndicator(id));
    h.get_by_label("任务分解").click();
    h.step();
    settle(&mut h);
    press(&mut h, "按上年比例分解");
    let cells = h.state().state.target_form.as_ref().unwrap().cells.clone();
    let typed = |u: &str| cells.iter().find(|(n, _)| n == u).unwrap().1.clone();
    // 75 × 3/4 = 56.25 and 75 × 1/4 = 18.75, whole communities.
    assert_eq!(
        (typed("张店区"), typed("淄川区"), typed("博山区")),
        ("56".into(), "19".into(), String::new())
    );
    press(&mut h, "保存分解目标");
    settle(&mut h);
    let store = Store::open(&db).unwrap();
    let saved: Vec<(String, f64)> = store
        .unit_targets(1)
        .unwrap()
        .into_iter()
        .map(|t| (t.unit, t.target))
        .collect();
    assert_eq!(
        saved,
        [("张店区".to_string(), 56.0), ("淄川区".to_string(), 19.0)]
    );
}

#[test]
fn a_task_is_edited_on_the_plan_screen_reverted_from_the_log_and_an_indicator_retired_and_restored()
{
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(ledger(dir.path(), true));
    send(&mut h, Command::Show(Screen::Plan));
    settle(&mut h);
    let (path, old_title) = {
        let doc = &loaded(h.state()).doc;
        let (p, t) = &doc.tasks_with_paths()[0];
        (p.clone(), t.title.clone())
    };
    // The first task's 修改 opens its editor in place.
    h.get_all_by_label("修改").next().unwrap().click();
    h.run_steps(3);
    assert_eq!(
        h.state().state.task_form.as_ref().map(|f| f.path.clone()),
        Some(path.clone())
    );
    h.state_mut()
        .state
        .task_form
        .as_mut()
        .unwrap()
        .title
        .clear();
    h.get_by_label("任务内容").focus();
    h.run_steps(1);
    h.get_by_label("任务内容")
        .type_text("统筹推进城市数字化转型");
    h.state_mut().state.task_form.as_mut().unwrap().deadline = "2023-10-31".into();
    h.run_steps(2);
    press(&mut h, "保存任务");
    settle(&mut h);
    settle(&mut h);
    let task = |h: &Harness<'static, App>| loaded(h.state()).doc.tasks_with_paths()[0].1.clone();
    assert_eq!(task(&h).title, "统筹推进城市数字化转型");
    assert_eq!(task(&h).deadline, Some("2023-10-31".parse().unwrap()));
    h.get_by_label("统筹推进城市数字化转型");
    // The title's change is reverted from the change log.
    send(&mut h, Command::Show(Screen::Audit));
    settle(&mut h);
    h.state_mut().state.audit_filter.action = Some(taizhang::domain::AuditAction::Task);
    h.run_steps(2);
    h.get(egui_kittest::kittest::by().label_contains(&format!("任务内容：{old_title}")));
    let title_line = h
        .state()
        .state
        .audit
        .as_ref()
        .unwrap()
        .iter()
        .position(|l| l.field.as_deref() == Some("title"))
        .unwrap();
    h.get_all_by_label("撤回").nth(title_line).unwrap().click();
    h.run_steps(2);
    settle(&mut h);
    settle(&mut h);
    assert_eq!(task(&h).title, old_title);
    assert_eq!(task(&h).deadline, Some("2023-10-31".parse().unwrap()));

    // An indicator retired from its editor leaves the overview; 恢复 on the
    // plan screen brings it back.
    let id = loaded(h.state())
        .status
        .indicators
        .iter()
        .find(|i| i.name == "新建智慧社区数")
        .unwrap()
        .id;
    let n = loaded(h.state()).status.indicators.len();
    send(&mut h, Command::OpenIndicator(id));
    h.get_by_label("修改指标").click();
    h.step();
    settle(&mut h);
    h.get_by_label("停用理由").focus();
    h.run_steps(1);
    h.get_by_label("停用理由").type_text("并入其他指标");
    h.run_steps(2);
    press(&mut h, "停用该指标");
    settle(&mut h);
    settle(&mut h);
    assert_eq!(loaded(h.state()).status.indicators.len(), n - 1);
    assert!(
        loaded(h.state())
            .status
            .indicators
            .iter()
            .all(|i| i.id != id)
    );
    assert_eq!(loaded(h.state()).retired[0].id, id);
    send(&mut h, Command::Show(Screen::Plan));
    settle(&mut h);
    h.get(egui_kittest::kittest::by().label_contains("已停用的指标（1 个）"));
    press(&mut h, "恢复");
    settle(&mut h);
    settle(&mut h);
    assert_eq!(loaded(h.state()).status.indicators.len(), n);
    assert!(loaded(h.state()).retired.is_empty());

    // An indicator the reading missed, added to the saved plan from a
    // pasted passage.
    press(&mut h, "添加指标…");
    h.get_by_label("或粘贴原文").focus();
    h.run_steps(1);
    h.get_by_label("或粘贴原文")
        .type_text("全年新增5G基站不少于3000个");
    h.run_steps(2);
    press(&mut h, "据此填写");
    press(&mut h, "保存指标");
    settle(&mut h);
    settle(&mut h);
    assert_eq!(loaded(h.state()).status.indicators.len(), n + 1);
    let added = loaded(h.state())
        .indicators
        .iter()
        .find(|i| i.target == 3000.0)
        .expect("the added indicator");
    assert_eq!(added.unit.as_deref(), Some("个"));
}

#[test]
fn the_next_meeting_opens_on_what_changed_since_the_last() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger(dir.path(), true);
    let mut h = harness(db.clone());
    // The first meeting: nothing to compare with; its figures are saved.
    send(
        &mut h,
        Command::SetAsOf(Some("2023-07-20".parse().unwrap())),
    );
    h.get_by_label("会议模式").click();
    h.run_steps(2);
    settle(&mut h);
    h.get_by_label_contains("这是本计划的第一次会议");
    h.key_press(egui::Key::Escape);
    h.run_steps(2);
    // A figure changes between the meetings.
    let entry = taizhang::store::ReportEntry::new(
        "新建智慧社区数",
        "张店区",
        "2023-07".parse().unwrap(),
        70.0,
    );
    send(&mut h, Command::Run(jobs::save_figure(entry)));
    // The next meeting, a month on, opens on the change.
    send(
        &mut h,
        Command::SetAsOf(Some("2023-08-20".parse().unwrap())),
    );
    h.get_by_label("会议模式").click();
    h.run_steps(2);
    settle(&mut h);
    assert_eq!(h.state().state.meeting_page, 0);
    h.get_by_label_contains("与上次会议（数据截至 2023-07-20");
    h.get_by_label_contains("有新数据的指标（");
    let open = h
        .state()
        .state
        .meeting
        .clone()
        .expect("the meeting is open");
    let (_, d) = open.since.expect("a meeting before");
    let f = d
        .new_figures
        .iter()
        .find(|f| f.name == "新建智慧社区数")
        .expect("the changed figure is listed");
    h.get_by_label_contains(&format!(
        "● 新建智慧社区数：{}",
        taizhang::ui::widgets::number(f.from.unwrap())
    ));
    // Both meetings are in the ledger; entering again the same day re-enters
    // the same meeting.
    h.key_press(egui::Key::Escape);
    h.run_steps(2);
    h.get_by_label("会议模式").click();
    h.run_steps(2);
    settle(&mut h);
    assert_eq!(
        h.state().state.meeting.as_ref().unwrap().meeting.id,
        open.meeting.id
    );
    let store = Store::open(&db).unwrap();
    let plan = store.plan_or_latest(None).unwrap();
    assert_eq!(store.meetings(plan.id).unwrap().len(), 2);
}

#[test]
fn the_lineage_of_an_indicator_is_shown_and_its_proposed_link_confirmed() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger(dir.path(), true);
    let mut h = harness(db.clone());
    // The demo's Qingdao plan of 2023 and its smart-community running total.
    let qd = h
        .state()
        .data
        .as_ref()
        .unwrap()
        .plans
        .iter()
        .find(|p| p.year == 2023 && p.city == "青岛")
        .expect("the Qingdao plan of 2023")
        .id;
    send(&mut h, Command::SelectPlan(qd));
    send(
        &mut h,
        Command::SetAsOf(Some("2023-06-30".parse().unwrap())),
    );
    let id = loaded(h.state())
        .status
        .indicators
        .iter()
        .find(|i| {
            taizhang::domain::text::fold(&i.name).contains("智慧社区")
                && i.kind == taizhang::domain::Kind::Cumulative
        })
        .expect("the running total of smart communities")
        .id;
    h.state_mut().state.selected = Some(id);
    h.state_mut().state.indicator_tab = taizhang::ui::app::IndicatorTab::Lineage;
    send(&mut h, Command::Show(Screen::Indicator));
    settle(&mut h);
    h.get_by_label("2021年 ≥50个 → 2022年 ≥150个 → 2023年 ≥400个");
    h.get_by_label_contains("演示数据");
    h.get_by_label_contains("去年同期（2022年6月）");
    // The link was proposed; a person confirms it.
    h.get_by_label("确认关联").click();
    h.step();
    settle(&mut h);
    h.get_by_label_contains("（已确认）");
    let store = Store::open(&db).unwrap();
    assert_eq!(store.predecessor(id).unwrap().map(|p| p.1), Some(true));
}

#[test]
fn a_reminder_is_written_for_each_unit_that_has_not_reported_and_copied() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(ledger(dir.path(), true));
    send(
        &mut h,
        Command::SetAsOf(Some("2023-07-20".parse().unwrap())),
    );
    send(&mut h, Command::Show(Screen::Units));
    let owed = loaded(h.state()).status.not_reported.clone();
    assert!(!owed.is_empty());
    h.get_by_label("催报通知…").click();
    h.step();
    settle(&mut h);
    let notice = h.state().state.notice.clone().expect("the reminders");
    for u in &owed {
        assert!(
            notice.text.contains(&format!("{u}：")),
            "{u} in {}",
            notice.text
        );
    }
    assert!(
        notice.text.contains("2023年6月进展情况应于"),
        "{}",
        notice.text
    );
    h.get_by_label("复制全文").click();
    h.step();
    h.step();
    let copied = h
        .output()
        .platform_output
        .commands
        .iter()
        .any(|c| matches!(c, egui::OutputCommand::CopyText(t) if *t == notice.text));
    let said = h
        .state()
        .state
        .message
        .as_ref()
        .is_some_and(|m| m.1.contains("通知已复制"));
    assert!(copied || said, "the text went to the clipboard");
    assert!(said);
}

#[test]
fn a_meeting_copy_taken_in_the_window_opens_read_only_with_its_time_in_the_title() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger(dir.path(), true);
    let copy = dir.path().join("会议副本.sqlite3");
    {
        // Two meetings on the ledger, the second after a figure changed;
        // the copy is taken after the second.
        let mut h = harness(db.clone());
        send(
            &mut h,
            Command::SetAsOf(Some("2023-07-20".parse().unwrap())),
        );
        h.get_by_label("会议模式").click();
        h.run_steps(2);
        settle(&mut h);
        h.key_press(egui::Key::Escape);
        h.run_steps(2);
        let entry = taizhang::store::ReportEntry::new(
            "新建智慧社区数",
            "张店区",
            "2023-07".parse().unwrap(),
            70.0,
        );
        send(&mut h, Command::Run(jobs::save_figure(entry)));
        send(
            &mut h,
            Command::SetAsOf(Some("2023-08-20".parse().unwrap())),
        );
        h.get_by_label("会议模式").click();
        h.run_steps(2);
        settle(&mut h);
        h.key_press(egui::Key::Escape);
        h.run_steps(2);
        assert_eq!(h.state().window_title(), "台账 Taizhang");
        send(&mut h, Command::Run(jobs::meeting_copy(copy.clone())));
        let (ok, msg) = h.state().state.message.clone().expect("a message");
        assert!(ok && msg.contains("会议副本已保存"), "{msg}");
    }
    let ledger_meetings = {
        let s = Store::open(&db).unwrap();
        s.meetings(s.plan_or_latest(None).unwrap().id)
            .unwrap()
            .len()
    };
    // On the meeting-room laptop.
    let mut h = harness(copy.clone());
    let title = h.state().window_title();
    assert!(
        title.starts_with("台账 Taizhang — 会议副本（")
            && title.ends_with("取自 ui.sqlite3，只读）"),
        "{title}"
    );
    // Meeting mode at the same date shows what changed since the first
    // meeting, from the copy, without saving anything.
    send(
        &mut h,
        Command::SetAsOf(Some("2023-08-20".parse().unwrap())),
    );
    h.get_by_label("会议模式").click();
    h.run_steps(2);
    settle(&mut h);
    h.get_by_label_contains("与上次会议（数据截至 2023-07-20");
    h.get_by_label_contains("有新数据的指标（");
    h.key_press(egui::Key::Escape);
    h.run_steps(2);
    // A change is refused with the reason, in words.
    let entry = taizhang::store::ReportEntry::new(
        "新建智慧社区数",
        "张店区",
        "2023-08".parse().unwrap(),
        80.0,
    );
    send(&mut h, Command::Run(jobs::save_figure(entry)));
    let (ok, msg) = h.state().state.message.clone().expect("a message");
    assert!(
        !ok && msg.contains("这是会议副本，只能查看，不能修改。"),
        "{msg}"
    );
    drop(h);
    let s = Store::open(&copy).unwrap();
    assert_eq!(
        s.meetings(s.plan_or_latest(None).unwrap().id)
            .unwrap()
            .len(),
        ledger_meetings
    );
}

#[test]
fn an_indicator_changed_by_someone_else_while_the_editor_is_open_is_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger(dir.path(), true);
    let mut h = harness(db.clone());
    let ind = loaded(h.state())
        .status
        .indicators
        .iter()
        .find(|i| i.name == "新建智慧社区数")
        .unwrap()
        .clone();
    send(&mut h, Command::OpenIndicator(ind.id));
    h.get_by_label("修改指标").click();
    h.step();
    settle(&mut h);
    // A colleague revises the target through their own connection.
    let mut other = Store::open(&db).unwrap();
    other.set_actor("李四");
    let saved = other.indicator(ind.id).unwrap();
    let mut theirs = taizhang::store::IndicatorFields::of(&saved);
    theirs.target = saved.target + 100.0;
    other
        .edit_indicator(
            ind.id,
            &theirs,
            Some(taizhang::store::TargetEdit::Revise {
                reason: "调整".into(),
            }),
        )
        .unwrap();
    drop(other);
    // Here the name is changed and saved: refused, naming who and when.
    let form = h.state_mut().state.indicator_form.as_mut().unwrap();
    form.form.name = "新建智慧社区数（改）".into();
    h.run_steps(2);
    press(&mut h, "保存修改");
    settle(&mut h);
    settle(&mut h);
    let (ok, message) = h.state().state.message.clone().unwrap();
    assert!(!ok && message.contains("李四"), "{message}");
    let now = Store::open(&db).unwrap().indicator(ind.id).unwrap();
    assert_eq!(
        (now.name.as_str(), now.target),
        ("新建智慧社区数", saved.target + 100.0)
    );
    // The ledger read again, the editor says so and offers theirs; what
    // was typed is still in the form until then.
    settle(&mut h);
    h.get_by_label("载入最新内容");
    assert_eq!(
        h.state().state.indicator_form.as_ref().unwrap().form.name,
        "新建智慧社区数（改）"
    );
    press(&mut h, "载入最新内容");
    settle(&mut h);
    assert!(h.query_by_label("载入最新内容").is_none());
    let form = h.state_mut().state.indicator_form.as_mut().unwrap();
    form.form.name = "新建智慧社区数（改）".into();
    h.run_steps(2);
    press(&mut h, "保存修改");
    settle(&mut h);
    settle(&mut h);
    let now = Store::open(&db).unwrap().indicator(ind.id).unwrap();
    assert_eq!(
        (now.name.as_str(), now.target),
        ("新建智慧社区数（改）", saved.target + 100.0)
    );
}

#[test]
fn a_server_address_is_typed_in_the_settings_and_one_with_a_password_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger(dir.path(), false);
    let mut h = harness(db.clone());
    send(&mut h, Command::Show(Screen::Settings));
    h.state_mut().state.server_address = "postgres://zhang:secret@10.1.2.3/ledger".into();
    h.run_steps(2);
    press(&mut h, "连接");
    settle(&mut h);
    let (ok, message) = h.state().state.message.clone().unwrap();
    assert!(!ok && message.contains("PGPASSWORD"), "{message}");
    assert!(!message.contains("secret"));
    assert_eq!(h.state().db, db, "the ledger in use is kept");
    // Without a password, the window turns to the server; where there is
    // a test server (TAIZHANG_TEST_PG), its ledger opens and is empty.
    match std::env::var("TAIZHANG_TEST_PG") {
        Ok(admin) if !admin.is_empty() => {
            let name = format!("ui{}", std::process::id());
            let mut c = postgres::Client::connect(&admin, postgres::NoTls).unwrap();
            c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
            let url = format!("{}/{name}", admin.rsplit_once('/').unwrap().0);
            h.state_mut().state.server_address = url.clone();
            h.run_steps(2);
            press(&mut h, "连接");
            settle(&mut h);
            assert_eq!(h.state().db.to_string_lossy(), url);
            assert!(h.state().data.as_ref().unwrap().plans.is_empty());
        }
        _ => {
            h.state_mut().state.server_address = "mysql://host/db".into();
            h.run_steps(2);
            press(&mut h, "连接");
            settle(&mut h);
            let (ok, message) = h.state().state.message.clone().unwrap();
            assert!(!ok && message.contains("postgres://"), "{message}");
        }
    }
}
