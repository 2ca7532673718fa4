//! The whole importer — format sniffing, readers, the header finder, unit
//! and period detection, matching and verdicts — never panics on any bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;
use taizhang::domain::*;
use taizhang::returns::{self, Context, Overrides};

fn indicator(id: i64, name: &str, unit: &str, scope: Scope) -> Indicator {
    Indicator {
        id,
        plan_id: 1,
        plan_year: 2023,
        code: format!("2023-01-{id:03}"),
        ref_id: None,
        task: Some("一/1".into()),
        task_title: None,
        name: name.into(),
        unit: Some(unit.into()),
        comparator: Comparator::Ge,
        target: 10.0,
        target_max: None,
        baseline: None,
        better: Better::Higher,
        kind: Kind::New,
        scope,
        reporting: Reporting {
            aggregation: Aggregation::Sum,
            units: Vec::new().into(),
            city_reporter: None,
            set: ReportingSet::default(),
        },
        required_share: 1.0,
        deadline: Date::end_of_year(2023),
        phrase: format!("年内打造不少于10个{name}"),
        confidence: None,
        revision: None,
    }
}

fuzz_target!(
    init: {
        // Taizhang turns a panic inside a spreadsheet reader into a `corrupt:`
        // refusal (catch_unwind). libfuzzer-sys's hook would abort before that;
        // a silent hook lets those be caught, while a panic that escapes the
        // importer still aborts through libfuzzer-sys's own catch_unwind.
        std::panic::set_hook(Box::new(|_| {}));
    },
    |data: &[u8]| {
    let indicators = [
        indicator(1, "新建智慧社区数", "个", Scope::City),
        indicator(2, "各区县数据创新应用场景数", "个", Scope::PerUnit),
        indicator(3, "证明材料共享率", "%", Scope::City),
    ];
    let units = [Unit { id: 1, name: "张店区".into(), kind: UnitKind::District, aliases: vec!["张店".into()] }];
    let history = FigureHistory::new();
    let ctx = Context::new(&indicators, &units, &[], 2023, &history);
    let r = returns::import("fuzz.xlsx", data, &ctx, &Overrides::default());
    for row in &r.rows {
        assert!(row.value.is_none_or(|v| v.is_finite() && v >= 0.0));
    }
});
