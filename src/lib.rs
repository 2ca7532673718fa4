//! Taizhang (台账): an offline ledger for a city's annual digital-government
//! work plan. The library holds every layer; the binary in `main.rs` only
//! hands its arguments to [`cli::run`].
//!
//! | module | owns |
//! |---|---|
//! | [`domain`] | types and the progress rules (pure) |
//! | [`plan_text`] | plan documents → plan drafts |
//! | [`returns`] | spreadsheets → rows matched to the plan, with verdicts |
//! | [`store`] | the SQLite file: schema, migrations, queries, audit |
//! | [`export`] | templates, meeting workbooks, bulletins |
//! | [`cli`] | commands and their JSON output |
//! | `ui` | the window (with the `gui` feature, on by default) |

pub mod cli;
pub mod domain;
pub mod export;
pub mod plan_text;
pub mod returns;
pub mod store;
#[cfg(feature = "gui")]
pub mod ui;
