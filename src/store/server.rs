//! The ledger on a PostgreSQL server: `--db postgres://user@host/database`.
//!
//! The address names the server, never the password: a password in it is
//! refused (it would be echoed by the shell's history, the process list, the
//! window's title and the audit of who opened what). The password comes
//! from `PGPASSWORD` or the password file (`PGPASSFILE`, else `~/.pgpass`,
//! on Windows `%APPDATA%\postgresql\pgpass.conf`), as for `psql`.
//!
//! The role needs no superuser: it must be able to create tables in the
//! database's schema on the first start (the migrations), and to read and
//! write them afterwards (docs/shared-ledger.md).

use super::db::Db;
use super::{Context, Journal, Notice, Result, Store, StoreError};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Whether `db` names a server rather than a file.
pub fn is_server_address(db: &Path) -> bool {
    let s = db.to_string_lossy();
    s.starts_with("postgres://") || s.starts_with("postgresql://")
}

/// How long a writer waits for another's transaction before it is told the
/// ledger is busy (SQLite's busy timeout is the same).
const LOCK_WAIT: &str = "10s";

impl Store {
    /// Opens the ledger on the PostgreSQL server `url`, creating its tables
    /// on the first start.
    pub fn open_server(url: &str) -> Result<Store> {
        let shown = url.to_string();
        let mut config: postgres::Config = url
            .parse()
            .map_err(|e| StoreError::Invalid(format!("{shown}: not a server address ({e})")))?;
        if config.get_password().is_some() {
            return Err(StoreError::Invalid(format!(
                "{}: the address holds a password; give it in PGPASSWORD or the password file (~/.pgpass) instead, and leave it out of the address",
                without_password(url)
            )));
        }
        if config.get_user().is_none() {
            config.user(&super::default_actor());
        }
        if let Ok(pw) = std::env::var("PGPASSWORD") {
            config.password(pw);
        } else if let Some(pw) = pgpass_lookup(&config) {
            config.password(pw);
        }
        config
            .connect_timeout(std::time::Duration::from_secs(10))
            .application_name("taizhang");
        let client = config.connect(tls()?).map_err(|e| StoreError::Server {
            address: shown.clone(),
            source: e.into(),
        })?;
        let db = Db::postgres(client);
        db.execute_batch(&format!(
            "SET lock_timeout = '{LOCK_WAIT}'; SET client_min_messages = warning;"
        ))
        .context("setting the lock wait")?;
        // The audit log names the database user.
        let account: String = db
            .query_row("SELECT current_user", [], |r| r.get(0))
            .context("asking the server who we are")?;
        super::schema::migrate(&db)?;
        let mut notices = Vec::new();
        let can_write: bool = db
            .query_row("SELECT has_table_privilege('reports', 'INSERT')", [], |r| {
                r.get(0)
            })
            .context("asking the server what we may change")?;
        if !can_write {
            notices.push(Notice::ReadOnly(PathBuf::from(&shown)));
        }
        Ok(Store {
            conn: db,
            path: Some(PathBuf::from(&shown)),
            actor: account.clone(),
            account,
            journal: Journal::Rollback,
            notices,
            unverified: false,
            copy: None,
        })
    }

    /// Whether the ledger is on a server.
    pub fn is_server(&self) -> bool {
        self.conn.is_postgres()
    }

    /// On a server, whether the connection is encrypted (TLS); `None` for
    /// a file.
    pub fn server_tls(&self) -> Result<Option<bool>> {
        if !self.is_server() {
            return Ok(None);
        }
        self.conn
            .query_row(
                "SELECT coalesce((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false)",
                [],
                |r| r.get(0),
            )
            .map(Some)
            .context("asking the server about encryption")
    }
}

/// TLS as psql does by default (`sslmode=prefer`; the address may say
/// `require` or `disable`): the connection is encrypted whenever the server
/// offers it. As in libpq's `prefer` and `require`, the server's
/// certificate is not checked against a certificate authority (government
/// intranets mostly run their own); its key still signs the handshake.
fn tls() -> Result<tokio_postgres_rustls::MakeRustlsConnect> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| StoreError::Invalid(format!("setting up TLS: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(EncryptOnly(provider)))
        .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

/// Accepts the server's certificate as libpq's `sslmode=prefer` does,
/// checking only that the handshake is signed by its key.
#[derive(Debug)]
struct EncryptOnly(Arc<rustls::crypto::CryptoProvider>);

impl rustls::client::danger::ServerCertVerifier for EncryptOnly {
    fn verify_server_cert(
        &self,
        _end_entity: &rustls::pki_types::CertificateDer<'_>,
        _intermediates: &[rustls::pki_types::CertificateDer<'_>],
        _server_name: &rustls::pki_types::ServerName<'_>,
        _ocsp_response: &[u8],
        _now: rustls::pki_types::UnixTime,
    ) -> std::result::Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> std::result::Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> std::result::Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// `url` with any password left out, for a message.
fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.split_once('@') {
        Some((user, host)) if user.contains(':') => format!(
            "{scheme}://{}:***@{host}",
            user.split(':').next().unwrap_or("")
        ),
        _ => url.to_string(),
    }
}

/// The password for `config` in the password file, as libpq finds it.
fn pgpass_lookup(config: &postgres::Config) -> Option<String> {
    let file = std::env::var_os("PGPASSFILE")
        .map(PathBuf::from)
        .or_else(default_pgpass)?;
    let text = std::fs::read_to_string(file).ok()?;
    let host = match config.get_hosts().first()? {
        postgres::config::Host::Tcp(h) => h.clone(),
        #[cfg(unix)]
        postgres::config::Host::Unix(p) => p.display().to_string(),
    };
    let host = if host.starts_with('/') {
        "localhost".to_string()
    } else {
        host
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let user = config.get_user().unwrap_or("");
    let dbname = config.get_dbname().unwrap_or(user);
    pgpass_find(&text, &[&host, &port, dbname, user])
}

fn default_pgpass() -> Option<PathBuf> {
    if cfg!(windows) {
        std::env::var_os("APPDATA").map(|a| PathBuf::from(a).join("postgresql/pgpass.conf"))
    } else {
        std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".pgpass"))
    }
}

/// The first line of a password file matching host, port, database and
/// user (`*` matches anything; `\:` and `\\` escape).
fn pgpass_find(text: &str, wanted: &[&str; 4]) -> Option<String> {
    for line in text.lines() {
        if line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut fields = Vec::new();
        let mut cur = String::new();
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    if let Some(n) = chars.next() {
                        cur.push(n);
                    }
                }
                ':' if fields.len() < 4 => fields.push(std::mem::take(&mut cur)),
                c => cur.push(c),
            }
        }
        fields.push(cur);
        if fields.len() == 5
            && fields[..4]
                .iter()
                .zip(wanted)
                .all(|(f, w)| f == "*" || f == w)
        {
            return fields.pop();
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_file_is_read_as_libpq_reads_it() {
        let text = "# comment\nother:5432:*:*:no\nlocalhost:5432:ledger:tz:pa\\:ss\n*:*:*:tz:any\n";
        assert_eq!(
            pgpass_find(text, &["localhost", "5432", "ledger", "tz"]).as_deref(),
            Some("pa:ss")
        );
        assert_eq!(
            pgpass_find(text, &["db.example", "6543", "x", "tz"]).as_deref(),
            Some("any")
        );
        assert_eq!(pgpass_find(text, &["db.example", "6543", "x", "bob"]), None);
    }

    #[test]
    fn a_password_in_the_address_is_refused_and_never_repeated() {
        let e = match Store::open_server("postgres://tz:secret@127.0.0.1:1/ledger") {
            Err(e) => e.to_string(),
            Ok(_) => panic!("opened with a password in the address"),
        };
        assert!(e.contains("PGPASSWORD"), "{e}");
        assert!(!e.contains("secret"), "{e}");
        assert!(is_server_address(Path::new("postgresql://h/db")));
        assert!(!is_server_address(Path::new("/home/x/postgres.sqlite3")));
    }
}
