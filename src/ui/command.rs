//! What the screens ask for. A screen never changes the application: it
//! sends a [`Command`] through the [`CommandSender`] it is given, and
//! [`App::apply`](super::app::App::apply) applies every command in one place
//! after the frame is drawn. Work on the ledger is a
//! [`Job`](super::jobs::Job) sent with [`CommandSender::run`]; adding such an
//! action is one constructor in [`jobs`](super::jobs) and the button that
//! sends it.

use super::app::{Language, Screen};
use super::jobs::Job;
use crate::domain::{Date, Period, ProgressSettings};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};

/// Everything a screen can ask for.
#[derive(Debug)]
pub enum Command {
    /// Run a job on the worker.
    Run(Job),
    Show(Screen),
    OpenIndicator(i64),
    /// Load the open indicator's figures (once per indicator and date).
    LoadDetail(i64),
    /// Load the ledger's change log for the 留痕 screen.
    LoadAudit,
    /// Load the latest progress texts for the plan screen (once per date).
    LoadLatestProgress,
    SelectUnit(String),
    /// Show another plan of the ledger.
    SelectPlan(i64),
    Reload,
    OpenDatabase(PathBuf),
    SaveDraft,
    DiscardDraft,
    Import(ImportCommand),
    /// Ask before a batch's figures are taken out (the dialog names them).
    ConfirmUndo(i64),
    CancelUndo,
    SaveProgressSettings(ProgressSettings),
    SetAsOf(Option<Date>),
    SetLanguage(Language),
    CloseBulletin,
    CopyBulletin,
    /// The notice window: close it, copy its text, send the batch back.
    CloseNotice,
    CopyNotice,
    ConfirmReturn,
    Cancel,
    Meeting(MeetingCommand),
    /// Choose files (the desktop's dialog, else the in-window chooser),
    /// then do what the request says with them.
    PickFile(super::files::FileRequest),
    /// The in-window chooser closed: with the paths chosen, or cancelled.
    PickerDone(Option<Vec<PathBuf>>),
    /// The coordinator's name in the change log.
    SetDisplayName(String),
    /// Use the in-window file chooser instead of the desktop's (or not).
    SetInWindowFiles(bool),
    /// A message for the status line (`false`: a problem).
    Message(bool, String),
    DismissMessage,
}

/// Changes to the import being reviewed (nothing is written until
/// [`ImportCommand::Commit`]).
#[derive(Debug)]
pub enum ImportCommand {
    SetFileUnit(usize, String),
    SetFilePeriod(usize, Period),
    Rematch {
        file: usize,
        which: super::app::Rematch,
        indicator: i64,
    },
    OpenRematch {
        file: usize,
        which: super::app::Rematch,
    },
    CloseRematch,
    DropRow(usize, usize),
    Commit,
    Discard,
}

/// Meeting mode.
#[derive(Debug)]
pub enum MeetingCommand {
    Enter,
    /// Save the meeting's snapshot (once the data is loaded), unless it is
    /// saved or being saved.
    Open,
    Leave,
    /// Move by this many pages.
    Page(isize),
}

/// The screens' end of the command channel. Cheap to clone; a screen can
/// hold one while it borrows the data it draws.
#[derive(Clone, Debug)]
pub struct CommandSender(Sender<Command>);

impl CommandSender {
    /// Queues a command for the end of this frame.
    pub fn send(&self, command: Command) {
        // The receiver lives as long as the app that gave out the sender.
        let _ = self.0.send(command);
    }

    /// Queues a job for the worker.
    pub fn run(&self, job: Job) {
        self.send(Command::Run(job));
    }

    /// Queues a change to the import being reviewed.
    pub fn import(&self, command: ImportCommand) {
        self.send(Command::Import(command));
    }
}

/// A new command channel.
pub fn channel_pair() -> (CommandSender, Receiver<Command>) {
    let (tx, rx) = channel();
    (CommandSender(tx), rx)
}
