//! The `taizhang` binary: with a command, runs it; without one, opens the window.

// A release build on Windows opens no console window; commands run from a
// console attach to it (see `attach_console`).
#![cfg_attr(all(windows, not(debug_assertions)), windows_subsystem = "windows")]

use clap::Parser;
use std::process::ExitCode;
use taizhang::cli::{self, Args};

fn main() -> ExitCode {
    let started = std::time::Instant::now();
    steady_heap();
    // The spreadsheet readers' panics on malformed files are caught and
    // reported as refused files; keep their messages off the user's screen.
    // Any other panic is a bug: one plain line for the user (the full
    // report with RUST_BACKTRACE set), never a backtrace on their screen.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let in_reader = info
            .location()
            .is_some_and(|l| l.file().contains("calamine"));
        if in_reader {
            return;
        }
        if std::env::var_os("RUST_BACKTRACE").is_some() {
            default_hook(info);
        } else {
            let what = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let at = info
                .location()
                .map(|l| format!(" ({}:{})", l.file(), l.line()))
                .unwrap_or_default();
            eprintln!("taizhang: internal error{at}: {what}");
        }
    }));
    attach_console();
    let args = Args::parse();
    if args.command.is_some() {
        // A command that panics has written only whole changes (each is one
        // transaction); say so and fail.
        return std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| cli::run(args)))
            .unwrap_or_else(|_| {
                eprintln!(
                    "taizhang: the command stopped on an internal error (a bug: please report it with the command and its input); each change is written whole or not at all, so the ledger holds only changes completed before it stopped"
                );
                ExitCode::from(1)
            });
    }
    window(args, started)
}

/// glibc raises its threshold for serving large blocks from fresh mappings
/// each time one is freed, after which the buffers of every file read (a
/// sheet's cells, a few hundred kilobytes at city scale) come from the heap
/// and leave it fragmented by the rows kept in between: importing 1,440
/// returns peaked 15% higher. A fixed threshold (its default value) keeps
/// them out of the heap.
fn steady_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; called before any
    // other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

#[cfg(feature = "gui")]
fn window(args: Args, started: std::time::Instant) -> ExitCode {
    let db = args.db.unwrap_or_else(cli::default_db_path);
    if let Some(dir) = db.parent()
        && !taizhang::store::is_server_address(&db)
        && let Err(e) = std::fs::create_dir_all(dir)
    {
        eprintln!(
            "taizhang: cannot create the data folder {}: {e}",
            dir.display()
        );
        return ExitCode::from(1);
    }
    let start = taizhang::ui::Start {
        screenshot: args.screenshot,
        view: args
            .view
            .as_deref()
            .and_then(taizhang::ui::app::Screen::from_view),
        import: args.import_files,
        as_of: args.window_as_of,
        indicator: args.open_indicator,
        plan: args.window_plan,
        indicator_tab: args
            .indicator_tab
            .as_deref()
            .and_then(taizhang::ui::app::IndicatorTab::from_name),
        language: args.language.as_deref().map(|l| match l {
            "en" => taizhang::domain::words::Language::English,
            _ => taizhang::domain::words::Language::Chinese,
        }),
        started: Some(started),
    };
    let screenshot = start.screenshot.is_some();
    match taizhang::ui::run(&db, start) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("taizhang: {e}");
            // A user who started the program from the desktop has no console:
            // say it in a system message box too.
            let desktop = cfg!(any(windows, target_os = "macos"))
                || std::env::var_os("DISPLAY").is_some()
                || std::env::var_os("WAYLAND_DISPLAY").is_some();
            if desktop && !screenshot {
                rfd::MessageDialog::new()
                    .set_level(rfd::MessageLevel::Error)
                    .set_title("台账")
                    .set_description(&e)
                    .set_buttons(rfd::MessageButtons::Ok)
                    .show();
            }
            ExitCode::from(1)
        }
    }
}

#[cfg(not(feature = "gui"))]
fn window(_: Args, _: std::time::Instant) -> ExitCode {
    eprintln!(
        "taizhang: this build has no window (built without the `gui` feature); run `taizhang --help` for the commands"
    );
    ExitCode::from(2)
}

/// On Windows, writes command output to the console the program was started
/// from (a GUI-subsystem program has none of its own).
#[cfg(windows)]
fn attach_console() {
    unsafe extern "system" {
        fn AttachConsole(process: u32) -> i32;
    }
    const ATTACH_PARENT_PROCESS: u32 = u32::MAX;
    // SAFETY: AttachConsole has no preconditions; failing (no parent
    // console, e.g. started from the desktop) is harmless.
    unsafe {
        AttachConsole(ATTACH_PARENT_PROCESS);
    }
}

#[cfg(not(windows))]
fn attach_console() {}
