//! The bundled CJK font (a Noto Sans CJK SC subset, see assets/fonts) as the
//! first proportional and a fallback monospace font; system fonts (eframe's
//! `system_fonts`) fill in rare characters the subset lacks.

/// The subset, compiled into the binary once (the chart files use it too).
pub const CJK_FONT: &[u8] = crate::export::chart::FONT;

/// Installs the CJK font into a context (the window and the UI tests).
pub fn install(ctx: &egui::Context) {
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert(
        "noto-sans-sc-subset".to_owned(),
        std::sync::Arc::new(egui::FontData::from_static(CJK_FONT)),
    );
    fonts
        .families
        .entry(egui::FontFamily::Proportional)
        .or_default()
        .insert(0, "noto-sans-sc-subset".to_owned());
    fonts
        .families
        .entry(egui::FontFamily::Monospace)
        .or_default()
        .push("noto-sans-sc-subset".to_owned());
    ctx.set_fonts(fonts);
}
