//! Settings kept in the ledger file, so that they travel with the data:
//! the progress thresholds, the due-soon window and the start of the year,
//! plus free key/value settings for the window.

use super::db::{OptionalExtension, params};
use super::{Context, Result, Store, StoreError};
use crate::domain::ProgressSettings;

const PROGRESS_KEY: &str = "progress";

impl Store {
    /// A setting's stored text, if any.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        self.conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()
            .context("reading a setting")
    }

    /// Stores a setting's text.
    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.writable()?;
        self.conn
            .execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )
            .context("storing a setting")?;
        Ok(())
    }

    /// The progress settings; the defaults where none were stored, and the
    /// defaults (not an error) where the stored text no longer parses.
    pub fn progress_settings(&self) -> Result<ProgressSettings> {
        Ok(self
            .setting(PROGRESS_KEY)?
            .and_then(|s| serde_json::from_str::<ProgressSettings>(&s).ok())
            .filter(|s| s.validate().is_ok())
            .unwrap_or_default())
    }

    /// Stores the progress settings after checking them.
    pub fn set_progress_settings(&mut self, s: &ProgressSettings) -> Result<()> {
        s.validate().map_err(StoreError::Invalid)?;
        let text = serde_json::to_string(s).map_err(|e| StoreError::Invalid(e.to_string()))?;
        self.set_setting(PROGRESS_KEY, &text)
    }
}
