//! Taizhang (台账): an offline ledger for a city's annual digital-government
//! work plan. The library holds every layer; the binary in `main.rs` only
//! hands its arguments to [`cli::run`].
//!
//! | module | owns |
//! |---|---|
//! | [`domain`] | types and the progress rules (pure) |
//! | [`store`] | the SQLite file: schema, migrations, queries, audit |
//! | [`cli`] | commands and their JSON output |
//! | [`ui`] | the window |

pub mod cli;
pub mod domain;
pub mod export;
pub mod plan_text;
pub mod returns;
pub mod store;
#[cfg(feature = "gui")]
pub mod ui;
