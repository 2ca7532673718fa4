//! An indicator's chart, as the window draws it and as a file for print.
//!
//! [`ChartData`] decides what a chart shows from the status the rules gave
//! — so that the chart always agrees with the status beside it — and the
//! window (egui_plot) and [`render`] (plotters, PNG or SVG, for print) both
//! draw it:
//!
//! * a city figure: its series over the plan year (累计实际 for a running
//!   total, 年内累计 for what is added in the year, 实际 for a level), the
//!   target line, the expected-progress (序时) line where there is a linear
//!   path, the forecast while there is one;
//! * per district: the share of units meeting their targets, with the share
//!   required;
//! * each unit's bar against its own target marker, every bar named, red
//!   where a level misses its target (a PUE above 1.4);
//! * one number format on both (万 from 100,000 up), % on percentage axes.

use super::{ExportError, number, period};
use crate::domain::words::{Language, fill};
use crate::domain::{Date, Kind, Period, Scope, Status};
use crate::store::IndicatorStatus;

/// The bundled CJK font (a Noto Sans CJK SC subset; assets/fonts), compiled
/// into the binary once: the window and the chart files both use it.
pub const FONT: &[u8] = include_bytes!("../../assets/fonts/NotoSansSC-Taizhang-subset.otf");

/// How an axis writes its numbers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scale {
    /// 1,234 (and 1.35)
    Plain,
    /// 4.5万: every tick in 万 once the figures reach 100,000 (in
    /// English written out: 45,000)
    Wan,
    /// 40%: a percentage, in percent points
    Percent,
}

impl Scale {
    /// The scale for figures up to `max` (in percent points when `percent`).
    pub fn for_values(max: f64, percent: bool) -> Scale {
        if percent {
            Scale::Percent
        } else if max.abs() >= 100_000.0 {
            Scale::Wan
        } else {
            Scale::Plain
        }
    }

    /// A tick or value label.
    ///
    /// ```
    /// use taizhang::domain::words::Language::{Chinese, English};
    /// use taizhang::export::chart::Scale;
    /// assert_eq!(Scale::Wan.label(45_000.0, Chinese), "4.5万");
    /// assert_eq!(Scale::Wan.label(45_000.0, English), "45,000");
    /// assert_eq!(Scale::Percent.label(40.0, Chinese), "40%");
    /// assert_eq!(Scale::Plain.label(24_280.0, Chinese), "24,280");
    /// ```
    pub fn label(self, v: f64, lang: Language) -> String {
        match self {
            Scale::Plain => number(v, lang),
            Scale::Wan if lang == Language::English => {
                // Every figure written out, as the numbers in English are.
                let whole = (v.round() as i64).unsigned_abs().to_string();
                let mut out = String::new();
                for (i, c) in whole.chars().enumerate() {
                    if i > 0 && (whole.len() - i).is_multiple_of(3) {
                        out.push(',');
                    }
                    out.push(c);
                }
                if v.round() < 0.0 {
                    format!("-{out}")
                } else {
                    out
                }
            }
            Scale::Wan => {
                let w = format!("{:.2}", v / 10_000.0);
                format!("{}万", w.trim_end_matches('0').trim_end_matches('.'))
            }
            Scale::Percent => {
                let t = format!("{v:.1}");
                format!("{}%", t.trim_end_matches('0').trim_end_matches('.'))
            }
        }
    }
}

/// How a unit's bar is coloured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// judged, with this status
    Judged(Status),
    /// a level judged against its target: met or not (a PUE above 1.4 is
    /// red whatever its distance)
    Met(bool),
    /// a part of the city's figure with no target of its own
    Part,
    /// shown, not counted (another unit's figure)
    Other,
}

/// One unit's bar.
#[derive(Clone, Debug, PartialEq)]
pub struct UnitBar {
    pub unit: String,
    pub value: Option<f64>,
    pub target: Option<f64>,
    pub tone: Tone,
    /// The figure is older than the period due.
    pub stale: bool,
}

/// A line of the main chart: points at months from the year's start.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub name: &'static str,
    pub points: Vec<[f64; 2]>,
}

/// Everything a chart shows, decided once from the status, in one language
/// (the chart file's is Chinese; the window's, the reader's).
#[derive(Clone, Debug, PartialEq)]
pub struct ChartData {
    /// The language of the chart's words.
    pub lang: Language,
    /// The indicator's name as shown (with 全市 / 各区县 where needed).
    pub title: String,
    /// Target, figure, status, as-of, in one line.
    pub subtitle: String,
    /// The scale of the main chart's values.
    pub scale: Scale,
    /// The scale of the unit bars (the same format; % for a per-district rate).
    pub bar_scale: Scale,
    /// The x axis runs from 0 (the year's start) to this many months (the
    /// deadline); month k ends at x = k.
    pub months: f64,
    /// The first month of the plan year (for the axis labels).
    pub first_month: Period,
    /// The figures (实际 / 累计实际 / 年内累计 / 达标单位占比).
    pub actual: Line,
    /// The target as a line across the chart.
    pub target: f64,
    pub target_name: &'static str,
    /// 序时进度: from the start to the target at the deadline.
    pub expected: Option<Line>,
    /// 预测: from the latest point to the deadline.
    pub forecast: Option<Line>,
    /// Whether the value axis starts at zero: counts and shares do; a
    /// level's line (PUE around 1.4) is drawn over the range it moves in.
    pub from_zero: bool,
    /// The bars' caption: 各单位完成情况 (目标为各单位目标) …
    pub bar_caption: String,
    pub bars: Vec<UnitBar>,
}

/// Months from the start of `first` to the end of `p` (June of a calendar
/// year: 6).
fn month_x(first: Period, p: Period) -> f64 {
    (first.months_until(p) + 1) as f64
}

/// Months from the start of `first` to a date (fractional within its month).
fn date_x(first: Period, d: Date) -> f64 {
    let p = d.period();
    let days = crate::domain::date::days_in_month(p.year(), p.month()) as f64;
    first.months_until(p) as f64 + d.day() as f64 / days
}

impl ChartData {
    /// The chart of one indicator at the status's date, from its series
    /// (the city's line by period, as the rules give it) and the year's
    /// first day, worded in `lang`.
    pub fn new(
        i: &IndicatorStatus,
        series: &[(Period, f64)],
        year_start: Date,
        as_of: Date,
        lang: Language,
    ) -> ChartData {
        let e = &i.evaluation;
        let first = year_start.period();
        let months = date_x(first, i.deadline).max(1.0);
        let percent_unit = matches!(i.unit.as_deref(), Some("%") | Some("％"));
        let per_unit = i.scope == Scope::PerUnit;
        let unit = i.unit.as_deref().unwrap_or("");
        let status = lang.t(e.status.key());
        let figure = match (per_unit, e.units_met, e.units_total) {
            (true, Some(m), Some(n)) => {
                fill(lang.t("export.units-met"), &[("met", &m), ("total", &n)])
            }
            _ => e.actual.map_or_else(
                || lang.t("export.not-reported").to_string(),
                |v| {
                    fill(
                        lang.t("export.chart-actual"),
                        &[("value", &format!("{}{unit}", number(v, lang)))],
                    )
                },
            ),
        };
        let target = format!(
            "{}{}{unit}",
            super::sign(i.comparator),
            number(i.target, lang)
        );
        let target_words = if per_unit {
            fill(lang.t("export.chart-target-each"), &[("target", &target)])
        } else {
            fill(lang.t("export.chart-target"), &[("target", &target)])
        };
        let status = match e.completion {
            Some(c) => fill(
                lang.t("export.chart-status-completion"),
                &[("status", &status), ("pct", &format!("{:.1}", c * 100.0))],
            ),
            None => status.to_string(),
        };
        // The parts of the line apart: a full-width space in Chinese.
        let gap = match lang {
            Language::Chinese => "\u{3000}",
            Language::English => "   ",
        };
        let mut parts = vec![target_words, figure, status];
        if e.stale
            && let Some(p) = e.latest_period
        {
            parts.push(fill(
                lang.t("export.chart-data-of"),
                &[("period", &period(p, lang))],
            ));
        }
        parts.push(fill(lang.t("export.chart-as-of"), &[("date", &as_of)]));
        let subtitle = parts.join(gap);

        let (actual_name, points, target, target_name, scale): (_, Vec<[f64; 2]>, _, _, _) =
            if per_unit {
                let required = 100.0 * i.required_share;
                (
                    lang.t("export.series-share-met"),
                    series
                        .iter()
                        .map(|(p, v)| [month_x(first, *p), v * 100.0])
                        .collect(),
                    required,
                    lang.t("export.series-share-required"),
                    Scale::Percent,
                )
            } else {
                let max = series
                    .iter()
                    .map(|(_, v)| v.abs())
                    .fold(i.target.abs(), f64::max);
                (
                    match i.kind {
                        Kind::Cumulative => lang.t("export.series-cumulative"),
                        Kind::New | Kind::CountOfEvents => lang.t("export.series-year-to-date"),
                        Kind::Level => lang.t("export.series-actual"),
                    },
                    series
                        .iter()
                        .map(|(p, v)| [month_x(first, *p), *v])
                        .collect(),
                    i.target,
                    lang.t("export.series-target"),
                    Scale::for_values(max, percent_unit),
                )
            };
        let expected = e.expected.map(|_| {
            let base = if per_unit {
                0.0
            } else {
                i.baseline.unwrap_or(0.0)
            };
            Line {
                name: lang.t("export.series-expected"),
                points: vec![[0.0, base], [months, target]],
            }
        });
        let forecast = match (&e.forecast, points.last()) {
            (Some(f), Some(last)) if !per_unit => Some(Line {
                name: lang.t("export.series-forecast"),
                points: vec![*last, [months, f.value]],
            }),
            _ => None,
        };
        let level = i.kind == Kind::Level;
        let bars: Vec<UnitBar> = e
            .units
            .iter()
            .filter(|u| u.actual.is_some() || (u.counted && u.target.is_some()))
            .map(|u| UnitBar {
                unit: u.unit.clone(),
                value: u.actual,
                target: u.target,
                tone: match (u.counted, u.status, u.target) {
                    (false, ..) => Tone::Other,
                    (true, Some(_), Some(t)) if level => Tone::Met(u.actual.is_some_and(|v| {
                        crate::domain::Goal {
                            target: t,
                            ..i_goal(i)
                        }
                        .meets(v)
                    })),
                    (true, Some(s), _) => Tone::Judged(s),
                    (true, None, _) => Tone::Part,
                },
                stale: u.stale,
            })
            .collect();
        let bar_max = bar_max(&bars);
        let bar_caption = if per_unit {
            lang.t("export.bars-each-target").to_string()
        } else if bars.iter().any(|b| b.target.is_some()) {
            lang.t("export.bars-target").to_string()
        } else {
            match (e.source, &i.city_reporter) {
                (Some(crate::domain::CitySource::Reporter), Some(r)) => {
                    fill(lang.t("export.bars-reporter"), &[("unit", r)])
                }
                _ => lang.t("export.bars-sum").to_string(),
            }
        };
        ChartData {
            lang,
            title: i.label.clone(),
            subtitle,
            scale,
            // One number format on both charts: 万 on the bars too when the
            // city's figures are in 万.
            bar_scale: match (scale, percent_unit) {
                (Scale::Wan, false) => Scale::Wan,
                _ => Scale::for_values(bar_max, percent_unit),
            },
            months,
            first_month: first,
            actual: Line {
                name: actual_name,
                points,
            },
            target,
            target_name,
            expected,
            forecast,
            from_zero: per_unit || !level || percent_unit,
            bar_caption,
            bars,
        }
    }

    /// The largest figure or target of the unit bars (the bars' scale).
    pub fn bar_max(&self) -> f64 {
        bar_max(&self.bars).max(1e-9)
    }

    /// The label of month tick `k` (the month that ends there).
    pub fn month_label(&self, k: f64) -> String {
        let k = k.round() as i32;
        if k < 1 {
            return String::new();
        }
        let mut p = self.first_month;
        for _ in 1..k {
            p = p.next();
        }
        if p.month() == 1 && k > 1 {
            period(p, self.lang)
        } else {
            super::month(p.month(), self.lang).to_string()
        }
    }

    /// The lowest and highest values the main chart must show (zero, the
    /// target, every point).
    pub fn y_range(&self) -> (f64, f64) {
        let all = self
            .actual
            .points
            .iter()
            .chain(self.expected.iter().flat_map(|l| &l.points))
            .chain(self.forecast.iter().flat_map(|l| &l.points))
            .map(|p| p[1])
            .chain([self.target])
            .chain(self.from_zero.then_some(0.0));
        let (lo, hi) = all.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
        let span = (hi - lo).abs().max(hi.abs() * 0.05).max(1e-9);
        let pad = span * 0.12;
        if self.from_zero {
            (
                lo.min(0.0),
                hi + pad.max(if hi.abs() < 1e-9 { 1.0 } else { 0.0 }),
            )
        } else {
            (lo - pad, hi + pad)
        }
    }

    /// Round tick values for the value axis between `lo` and `hi`: steps of
    /// 1, 2 or 5 times a power of ten, about `count` of them.
    pub fn ticks(lo: f64, hi: f64, count: usize) -> Vec<f64> {
        if hi.partial_cmp(&lo) != Some(std::cmp::Ordering::Greater) || count == 0 {
            return Vec::new();
        }
        let raw = (hi - lo) / count as f64;
        let mag = 10f64.powf(raw.log10().floor());
        let step = [1.0, 2.0, 5.0, 10.0]
            .iter()
            .map(|m| m * mag)
            .find(|s| *s >= raw)
            .unwrap_or(10.0 * mag);
        let mut v = (lo / step).ceil() * step;
        let mut out = Vec::new();
        while v <= hi + step * 1e-9 && out.len() < 100 {
            out.push(if v.abs() < step * 1e-9 { 0.0 } else { v });
            v += step;
        }
        out
    }
}

fn bar_max(bars: &[UnitBar]) -> f64 {
    bars.iter()
        .flat_map(|b| [b.value, b.target])
        .flatten()
        .fold(0.0_f64, |m, v| m.max(v.abs()))
}

fn i_goal(i: &IndicatorStatus) -> crate::domain::Goal {
    crate::domain::Goal {
        comparator: i.comparator,
        target: i.target,
        target_max: i.target_max,
        better: i.better,
        baseline: i.baseline,
    }
}

/// The colours of the chart (RGB), shared with the window.
pub mod colour {
    pub const ACTUAL: (u8, u8, u8) = (0x2e, 0x7d, 0x32);
    pub const TARGET: (u8, u8, u8) = (0xe5, 0x39, 0x35);
    pub const EXPECTED: (u8, u8, u8) = (0x8c, 0x8c, 0x8c);
    pub const FORECAST: (u8, u8, u8) = (0x1e, 0x88, 0xe5);
    pub const PART: (u8, u8, u8) = (0x5c, 0x8d, 0xc9);
    pub const OTHER: (u8, u8, u8) = (0xbd, 0xbd, 0xbd);
    pub const MET: (u8, u8, u8) = (0x43, 0xa0, 0x47);
    pub const MISSED: (u8, u8, u8) = (0xe5, 0x39, 0x35);

    /// A status's traffic-light colour.
    pub fn status(s: crate::domain::Status) -> (u8, u8, u8) {
        use crate::domain::Status::*;
        match s {
            Done => (0x2e, 0x7d, 0x32),
            OnTrack => (0x43, 0xa0, 0x47),
            Lagging => (0xf9, 0xa8, 0x25),
            Behind => (0xe5, 0x39, 0x35),
            Overdue => (0x8e, 0x24, 0xaa),
            NoData => (0x9e, 0x9e, 0x9e),
        }
    }

    /// A bar's colour.
    pub fn tone(t: super::Tone) -> (u8, u8, u8) {
        match t {
            super::Tone::Judged(s) => status(s),
            super::Tone::Met(true) => MET,
            super::Tone::Met(false) => MISSED,
            super::Tone::Part => PART,
            super::Tone::Other => OTHER,
        }
    }
}

/// The file format of a chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Png,
    Svg,
}

impl Format {
    /// The format a file name asks for (.png or .svg).
    pub fn of(path: &std::path::Path) -> Option<Format> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("png") => Some(Format::Png),
            Some("svg") => Some(Format::Svg),
            _ => None,
        }
    }
}

/// The size of a chart file in pixels: A4 landscape at ~150 dpi, half page.
pub const SIZE: (u32, u32) = (1600, 900);

const FAMILY: &str = "taizhang-cjk";

fn register_font() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // The bundled font always parses (tested); a failure leaves
        // plotters without it and drawing text then reports an error.
        let _ = plotters::style::register_font(FAMILY, plotters::style::FontStyle::Normal, FONT);
    });
}

/// The chart as a file: title, indicator, target, as-of, axes, legend and
/// each unit's bar, in the bundled font.
///
/// ```
/// use taizhang::export::chart::{self, Format};
/// use taizhang::store::Store;
/// let mut store = Store::open_in_memory().unwrap();
/// taizhang::cli::demo(&mut store).unwrap();
/// let png = chart::for_indicator(&store, None, "2023-01-022", "2023-12-31".parse().unwrap(), Format::Png).unwrap();
/// assert_eq!(&png[1..4], b"PNG");
/// ```
pub fn render(data: &ChartData, plan_title: &str, format: Format) -> Result<Vec<u8>, ExportError> {
    use plotters::prelude::*;
    register_font();
    let (w, h) = SIZE;
    let fail = |e: String| ExportError::Chart(e);
    match format {
        Format::Png => {
            let mut rgb = vec![255u8; (w * h * 3) as usize];
            {
                let area = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
                draw(&area, data, plan_title).map_err(fail)?;
                area.present().map_err(|e| fail(e.to_string()))?;
            }
            let mut out = Vec::new();
            let mut enc = png::Encoder::new(&mut out, w, h);
            enc.set_color(png::ColorType::Rgb);
            enc.set_depth(png::BitDepth::Eight);
            enc.write_header()
                .and_then(|mut wr| wr.write_image_data(&rgb))
                .map_err(|e| fail(e.to_string()))?;
            Ok(out)
        }
        Format::Svg => {
            let mut s = String::new();
            {
                let area = SVGBackend::with_string(&mut s, (w, h)).into_drawing_area();
                draw(&area, data, plan_title).map_err(fail)?;
                area.present().map_err(|e| fail(e.to_string()))?;
            }
            Ok(s.into_bytes())
        }
    }
}

fn rgb(c: (u8, u8, u8)) -> plotters::style::RGBColor {
    plotters::style::RGBColor(c.0, c.1, c.2)
}

fn draw<DB: plotters::prelude::DrawingBackend>(
    root: &plotters::prelude::DrawingArea<DB, plotters::coord::Shift>,
    data: &ChartData,
    plan_title: &str,
) -> Result<(), String> {
    use plotters::prelude::*;
    let e = |x: DrawingAreaErrorKind<DB::ErrorType>| x.to_string();
    let font = |size: f64| (FAMILY, size).into_font();
    let text = |size: f64, c: (u8, u8, u8)| font(size).color(&rgb(c));
    root.fill(&WHITE).map_err(e)?;
    let (w, h) = root.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    // Title, subtitle, the plan and the legend, above the plots.
    root.draw(&Text::new(
        data.title.clone(),
        (40, 24),
        text(40.0, (0x21, 0x21, 0x21)),
    ))
    .map_err(e)?;
    root.draw(&Text::new(
        data.subtitle.clone(),
        (40, 80),
        text(24.0, (0x42, 0x42, 0x42)),
    ))
    .map_err(e)?;
    root.draw(&Text::new(
        format!("{plan_title}　台账 Taizhang"),
        (40, h - 40),
        text(18.0, (0x75, 0x75, 0x75)),
    ))
    .map_err(e)?;
    let mut legend: Vec<(&str, (u8, u8, u8), bool)> = vec![
        (data.actual.name, colour::ACTUAL, false),
        (data.target_name, colour::TARGET, true),
    ];
    if let Some(l) = &data.expected {
        legend.push((l.name, colour::EXPECTED, true));
    }
    if let Some(l) = &data.forecast {
        legend.push((l.name, colour::FORECAST, true));
    }
    let mut x = 40;
    for (name, c, dashed) in &legend {
        let y = 128;
        if *dashed {
            for k in 0..3 {
                root.draw(&PathElement::new(
                    vec![(x + k * 12, y), (x + k * 12 + 7, y)],
                    rgb(*c).stroke_width(3),
                ))
                .map_err(e)?;
            }
        } else {
            root.draw(&PathElement::new(
                vec![(x, y), (x + 32, y)],
                rgb(*c).stroke_width(4),
            ))
            .map_err(e)?;
        }
        root.draw(&Text::new(
            name.to_string(),
            (x + 42, y - 13),
            text(22.0, (0x42, 0x42, 0x42)),
        ))
        .map_err(e)?;
        x += 60 + 24 * name.chars().count() as i32;
    }
    let body = root.margin(160, 80, 20, 30);
    let (left, right) = body.split_horizontally((w as f64 * 0.58) as i32);

    // The city's line over the plan year.
    let (lo, hi) = data.y_range();
    let scale = data.scale;
    let mut chart = ChartBuilder::on(&left)
        .margin_right(30)
        .x_label_area_size(50)
        .y_label_area_size(100)
        .build_cartesian_2d(0.0..data.months, lo..hi)
        .map_err(e)?;
    let months = data.months;
    let month_label = |x: &f64| {
        let k = x.round();
        if (x - k).abs() < 1e-6 && k >= 1.0 && k <= months + 1e-6 {
            data.month_label(k)
        } else {
            String::new()
        }
    };
    let y_label = |v: &f64| scale.label(*v, data.lang);
    chart
        .configure_mesh()
        .x_labels((months.ceil() as usize + 1).min(25))
        .x_label_formatter(&month_label)
        .y_labels(8)
        .y_label_formatter(&y_label)
        .label_style(font(20.0))
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(0xe0, 0xe0, 0xe0))
        .draw()
        .map_err(e)?;
    let dashed = |points: &[[f64; 2]], c: (u8, u8, u8)| -> Vec<PathElement<(f64, f64)>> {
        // Short dashes along each segment.
        let mut out = Vec::new();
        for pair in points.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let n = 40;
            for k in (0..n).step_by(2) {
                let t0 = k as f64 / n as f64;
                let t1 = (k + 1) as f64 / n as f64;
                out.push(PathElement::new(
                    vec![
                        (a[0] + (b[0] - a[0]) * t0, a[1] + (b[1] - a[1]) * t0),
                        (a[0] + (b[0] - a[0]) * t1, a[1] + (b[1] - a[1]) * t1),
                    ],
                    rgb(c).stroke_width(3),
                ));
            }
        }
        out
    };
    chart
        .draw_series(dashed(
            &[[0.0, data.target], [months, data.target]],
            colour::TARGET,
        ))
        .map_err(e)?;
    if let Some(l) = &data.expected {
        chart
            .draw_series(dashed(&l.points, colour::EXPECTED))
            .map_err(e)?;
    }
    if let Some(l) = &data.forecast {
        chart
            .draw_series(dashed(&l.points, colour::FORECAST))
            .map_err(e)?;
    }
    let pts: Vec<(f64, f64)> = data.actual.points.iter().map(|p| (p[0], p[1])).collect();
    chart
        .draw_series(LineSeries::new(
            pts.clone(),
            rgb(colour::ACTUAL).stroke_width(4),
        ))
        .map_err(e)?;
    chart
        .draw_series(
            pts.iter()
                .map(|p| Circle::new(*p, 6, rgb(colour::ACTUAL).filled())),
        )
        .map_err(e)?;
    if let Some(last) = pts.last() {
        chart
            .draw_series(std::iter::once(Text::new(
                scale.label(last.1, data.lang),
                (last.0, last.1),
                text(22.0, colour::ACTUAL),
            )))
            .map_err(e)?;
    }
    if pts.is_empty() {
        let (pw, ph) = left.dim_in_pixel();
        left.draw(&Text::new(
            data.lang.t("export.chart-no-figures").to_string(),
            (pw as i32 / 2 - 70, ph as i32 / 2),
            text(28.0, (0x9e, 0x9e, 0x9e)),
        ))
        .map_err(e)?;
    }

    // Each unit's bar against its target marker, every bar named.
    right
        .draw(&Text::new(
            data.bar_caption.clone(),
            (10, 0),
            text(22.0, (0x21, 0x21, 0x21)),
        ))
        .map_err(e)?;
    let (rw, rh) = right.dim_in_pixel();
    let (rw, rh) = (rw as i32, rh as i32);
    if data.bars.is_empty() {
        right
            .draw(&Text::new(
                data.lang.t("export.chart-no-units").to_string(),
                (10, 50),
                text(22.0, (0x9e, 0x9e, 0x9e)),
            ))
            .map_err(e)?;
        return Ok(());
    }
    let top = 40;
    let n = data.bars.len() as i32;
    let row = ((rh - top - 20) / n).clamp(18, 46);
    let name_w = 200;
    let value_w = 110;
    let bar_left = name_w + 10;
    let bar_width = (rw - bar_left - value_w).max(60);
    let max = data.bar_max() * 1.05;
    let size = (row as f64 * 0.55).clamp(13.0, 22.0);
    for (k, b) in data.bars.iter().enumerate() {
        let y = top + k as i32 * row;
        let mid = y + row / 2;
        let name: String = if b.unit.chars().count() > 9 {
            b.unit.chars().take(8).collect::<String>() + "…"
        } else {
            b.unit.clone()
        };
        right
            .draw(&Text::new(
                name,
                (10, mid - size as i32 / 2 - 2),
                text(size, (0x21, 0x21, 0x21)),
            ))
            .map_err(e)?;
        let px = |v: f64| bar_left + ((v.max(0.0) / max) * bar_width as f64) as i32;
        if let Some(v) = b.value {
            right
                .draw(&Rectangle::new(
                    [
                        (bar_left, y + row / 5),
                        (px(v).max(bar_left + 2), y + row - row / 5),
                    ],
                    rgb(colour::tone(b.tone)).filled(),
                ))
                .map_err(e)?;
            let mut label = data.bar_scale.label(v, data.lang);
            if b.stale {
                label.push('*');
            }
            right
                .draw(&Text::new(
                    label,
                    (px(v) + 6, mid - size as i32 / 2 - 2),
                    text(size, (0x42, 0x42, 0x42)),
                ))
                .map_err(e)?;
        } else {
            right
                .draw(&Text::new(
                    data.lang.t("export.not-reported").to_string(),
                    (bar_left + 4, mid - size as i32 / 2 - 2),
                    text(size, (0x9e, 0x9e, 0x9e)),
                ))
                .map_err(e)?;
        }
        if let Some(t) = b.target {
            let x = px(t);
            right
                .draw(&Polygon::new(
                    vec![(x, mid - 8), (x + 7, mid), (x, mid + 8), (x - 7, mid)],
                    rgb(colour::TARGET).filled(),
                ))
                .map_err(e)?;
        }
    }
    if data.bars.iter().any(|b| b.stale) {
        right
            .draw(&Text::new(
                data.lang.t("export.chart-stale-note").to_string(),
                (10, top + n * row + 6),
                text(16.0, (0x75, 0x75, 0x75)),
            ))
            .map_err(e)?;
    }
    Ok(())
}

/// The chart of an indicator (by code or name) of a plan at a date.
pub fn for_indicator(
    store: &crate::store::Store,
    plan: Option<i64>,
    indicator: &str,
    as_of: Date,
    format: Format,
) -> Result<Vec<u8>, ExportError> {
    let plan = store.plan_or_latest(plan)?;
    let ind = store.find_indicator(indicator, Some(plan.id))?;
    let settings = store.progress_settings()?;
    let inputs = store.indicator_inputs(plan.id)?;
    let status = crate::store::judge(plan.clone(), &inputs, &store.units()?, &settings, as_of);
    let (found, units) = inputs
        .iter()
        .find(|(i, _)| i.id == ind.id)
        .ok_or_else(|| ExportError::Chart(format!("indicator {indicator} has no status")))?;
    let series = found.rule(&settings).series(units, as_of);
    let line = status
        .indicators
        .iter()
        .find(|i| i.id == ind.id)
        .expect("every indicator is judged");
    // The chart file is a Chinese document.
    let data = ChartData::new(
        line,
        &series,
        settings.year_start(plan.year),
        as_of,
        Language::Chinese,
    );
    render(&data, &plan.title, format)
}
