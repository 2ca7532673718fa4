//! Choosing files. A screen asks with a [`FileRequest`] (what for, which
//! kinds, a name to save under) and says what follows with the chosen paths;
//! the app tries the desktop's file dialog first. Where the desktop has no
//! file-chooser service (a bare X session, some domestic desktops without
//! the portal), that dialog returns at once with nothing: the app then
//! opens [`Picker`], a file chooser drawn in the window, and remembers to
//! use it from then on. It can also be chosen in the settings.

use super::command::Command;
use crate::tf;
use crate::ui::i18n::t;
use egui::RichText;
use std::path::{Path, PathBuf};

/// What to do with the chosen paths.
pub type Then = Box<dyn FnOnce(Vec<PathBuf>) -> Command + Send>;

/// A request for files: to open (one or several) or to save.
pub struct FileRequest {
    pub title: &'static str,
    /// (name, extensions without the dot)
    pub filters: Vec<(&'static str, Vec<&'static str>)>,
    /// Save under this name (a save dialog); `None`: open.
    pub save_as: Option<String>,
    pub multiple: bool,
    pub then: Then,
}

impl std::fmt::Debug for FileRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FileRequest({})", self.title)
    }
}

impl FileRequest {
    /// Open one file of these kinds.
    pub fn open(
        title: &'static str,
        filter: (&'static str, &[&'static str]),
        then: impl FnOnce(PathBuf) -> Command + Send + 'static,
    ) -> FileRequest {
        FileRequest {
            title,
            filters: vec![(filter.0, filter.1.to_vec())],
            save_as: None,
            multiple: false,
            then: Box::new(move |mut paths| match paths.pop() {
                Some(p) => then(p),
                None => Command::DismissMessage,
            }),
        }
    }

    /// Open one or more files of these kinds.
    pub fn open_many(
        title: &'static str,
        filter: (&'static str, &[&'static str]),
        then: impl FnOnce(Vec<PathBuf>) -> Command + Send + 'static,
    ) -> FileRequest {
        FileRequest {
            title,
            filters: vec![(filter.0, filter.1.to_vec())],
            save_as: None,
            multiple: true,
            then: Box::new(then),
        }
    }

    /// Save a file under a suggested name.
    pub fn save(
        title: &'static str,
        filters: &[(&'static str, &[&'static str])],
        name: String,
        then: impl FnOnce(PathBuf) -> Command + Send + 'static,
    ) -> FileRequest {
        FileRequest {
            title,
            filters: filters.iter().map(|(n, e)| (*n, e.to_vec())).collect(),
            save_as: Some(name),
            multiple: false,
            then: Box::new(move |mut paths| match paths.pop() {
                Some(p) => then(p),
                None => Command::DismissMessage,
            }),
        }
    }

    /// The extensions any filter accepts (lower case).
    fn extensions(&self) -> Vec<String> {
        self.filters
            .iter()
            .flat_map(|(_, e)| e.iter().map(|x| x.to_ascii_lowercase()))
            .collect()
    }

    /// Asks the desktop's dialog. `None`: it could not be shown (it came
    /// back with nothing faster than a person can cancel); `Some(paths)`:
    /// what the user chose (none when cancelled).
    pub fn desktop(&self, dir: Option<&Path>) -> Option<Vec<PathBuf>> {
        let mut d = rfd::FileDialog::new().set_title(self.title);
        for (name, ext) in &self.filters {
            d = d.add_filter(*name, ext);
        }
        if let Some(dir) = dir {
            d = d.set_directory(dir);
        }
        let started = std::time::Instant::now();
        let chosen: Vec<PathBuf> = match (&self.save_as, self.multiple) {
            (Some(name), _) => d.set_file_name(name).save_file().into_iter().collect(),
            (None, true) => d.pick_files().unwrap_or_default(),
            (None, false) => d.pick_file().into_iter().collect(),
        };
        if chosen.is_empty() && started.elapsed() < std::time::Duration::from_millis(250) {
            return None;
        }
        Some(chosen)
    }
}

/// The file chooser drawn in the window.
pub struct Picker {
    pub request: FileRequest,
    pub dir: PathBuf,
    /// The name typed (save) or the file clicked (open).
    pub name: String,
    /// Files ticked (open several).
    pub ticked: Vec<PathBuf>,
    /// The folder typed in the path field.
    pub typed_dir: String,
}

/// What the picker's frame decided.
pub enum Picked {
    Open,
    Chosen(Vec<PathBuf>),
    Cancelled,
}

impl Picker {
    pub fn new(request: FileRequest, dir: PathBuf) -> Picker {
        Picker {
            name: request.save_as.clone().unwrap_or_default(),
            typed_dir: dir.display().to_string(),
            request,
            dir,
            ticked: Vec::new(),
        }
    }

    /// Where people keep files: home, desktop, documents, downloads (the
    /// ones that exist), and on Windows each drive.
    fn places() -> Vec<(String, PathBuf)> {
        let mut out = Vec::new();
        if let Some(u) = directories::UserDirs::new() {
            out.push((t("files.home").to_string(), u.home_dir().to_path_buf()));
            for (name, p) in [
                (t("files.desktop"), u.desktop_dir()),
                (t("files.documents"), u.document_dir()),
                (t("files.downloads"), u.download_dir()),
            ] {
                if let Some(p) = p {
                    out.push((name.to_string(), p.to_path_buf()));
                }
            }
        }
        #[cfg(windows)]
        for letter in b'C'..=b'Z' {
            let root = PathBuf::from(format!("{}:\\", letter as char));
            if root.exists() {
                out.push((format!("{}:", letter as char), root));
            }
        }
        #[cfg(not(windows))]
        out.push(("/".to_string(), PathBuf::from("/")));
        out
    }

    /// The folder's subfolders and the files of the requested kinds, by name.
    fn entries(&self) -> Result<(Vec<PathBuf>, Vec<PathBuf>), String> {
        let exts = self.request.extensions();
        let mut dirs = Vec::new();
        let mut files = Vec::new();
        for e in std::fs::read_dir(&self.dir).map_err(|e| e.to_string())? {
            let Ok(e) = e else { continue };
            let p = e.path();
            let hidden = e.file_name().to_string_lossy().starts_with('.');
            if hidden {
                continue;
            }
            if p.is_dir() {
                dirs.push(p);
            } else if p
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| exts.contains(&x.to_ascii_lowercase()))
            {
                files.push(p);
            }
        }
        dirs.sort();
        files.sort();
        Ok((dirs, files))
    }

    /// Draws the chooser for one frame.
    pub fn show(&mut self, ctx: &egui::Context) -> Picked {
        let mut outcome = Picked::Open;
        let mut open = true;
        let saving = self.request.save_as.is_some();
        egui::Window::new(self.request.title)
            .open(&mut open)
            .collapsible(false)
            .default_size([720.0, 480.0])
            .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
            .show(ctx, |ui| {
                ui.horizontal_wrapped(|ui| {
                    for (name, p) in Self::places() {
                        if ui.small_button(name).clicked() {
                            self.go(p);
                        }
                    }
                });
                ui.horizontal(|ui| {
                    if ui.button(t("files.up")).clicked()
                        && let Some(parent) = self.dir.parent().map(Path::to_path_buf)
                    {
                        self.go(parent);
                    }
                    let field = ui.add(
                        egui::TextEdit::singleline(&mut self.typed_dir)
                            .desired_width(f32::INFINITY)
                            .id_salt("picker-dir"),
                    );
                    if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                        let p = PathBuf::from(self.typed_dir.trim());
                        if p.is_dir() {
                            self.go(p);
                        }
                    }
                });
                ui.separator();
                let listing = self.entries();
                egui::ScrollArea::vertical()
                    .max_height(300.0)
                    .auto_shrink([false, false])
                    .show(ui, |ui| match &listing {
                        Err(e) => {
                            ui.label(
                                RichText::new(tf!("files.cannot-open", error = e))
                                    .color(egui::Color32::from_rgb(0xc6, 0x28, 0x28)),
                            );
                        }
                        Ok((dirs, files)) => {
                            for d in dirs {
                                let name = d.file_name().map(|n| n.to_string_lossy().into_owned());
                                if ui
                                    .selectable_label(
                                        false,
                                        format!("{}/", name.unwrap_or_default()),
                                    )
                                    .clicked()
                                {
                                    self.go(d.clone());
                                }
                            }
                            for f in files {
                                let name = f
                                    .file_name()
                                    .map(|n| n.to_string_lossy().into_owned())
                                    .unwrap_or_default();
                                if self.request.multiple {
                                    let mut on = self.ticked.contains(f);
                                    if ui.checkbox(&mut on, &name).changed() {
                                        if on {
                                            self.ticked.push(f.clone());
                                        } else {
                                            self.ticked.retain(|t| t != f);
                                        }
                                    }
                                } else {
                                    let r = ui.selectable_label(self.name == name, &name);
                                    if r.clicked() {
                                        self.name = name.clone();
                                    }
                                    if r.double_clicked() && !saving {
                                        outcome = Picked::Chosen(vec![f.clone()]);
                                    }
                                }
                            }
                            if dirs.is_empty() && files.is_empty() {
                                ui.label(RichText::new(t("files.nothing-here")).weak());
                            }
                        }
                    });
                ui.separator();
                ui.horizontal(|ui| {
                    if !self.request.multiple {
                        ui.label(if saving {
                            t("files.save-as")
                        } else {
                            t("files.file")
                        });
                        ui.add(
                            egui::TextEdit::singleline(&mut self.name)
                                .desired_width(360.0)
                                .id_salt("picker-name"),
                        );
                    } else {
                        ui.label(tf!("files.ticked", n = self.ticked.len()));
                    }
                    let chosen = self.chosen();
                    if ui
                        .add_enabled(
                            !chosen.is_empty(),
                            egui::Button::new(if saving {
                                t("files.save")
                            } else {
                                t("files.open")
                            }),
                        )
                        .clicked()
                    {
                        outcome = Picked::Chosen(chosen);
                    }
                    if ui.button(t("common.cancel")).clicked() {
                        outcome = Picked::Cancelled;
                    }
                });
            });
        if !open {
            outcome = Picked::Cancelled;
        }
        outcome
    }

    fn go(&mut self, dir: PathBuf) {
        self.typed_dir = dir.display().to_string();
        self.dir = dir;
        self.ticked.clear();
    }

    /// The paths the buttons would give now.
    fn chosen(&self) -> Vec<PathBuf> {
        if self.request.multiple {
            return self.ticked.clone();
        }
        let name = self.name.trim();
        if name.is_empty() {
            return Vec::new();
        }
        let mut p = self.dir.join(name);
        if let Some(first) = self.request.extensions().first()
            && self.request.save_as.is_some()
            && p.extension().is_none()
        {
            p.set_extension(first);
        }
        vec![p]
    }
}

/// The chooser's starting folder: the last one used, else documents, else home.
pub fn start_dir(last: Option<&Path>) -> PathBuf {
    last.filter(|p| p.is_dir())
        .map(Path::to_path_buf)
        .or_else(|| {
            directories::UserDirs::new().and_then(|u| {
                u.document_dir()
                    .map(Path::to_path_buf)
                    .or(Some(u.home_dir().to_path_buf()))
            })
        })
        .unwrap_or_else(|| PathBuf::from("."))
}
